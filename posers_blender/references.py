"""Reference mocap for comparisons: BVH (or NPZ) clips from folders the user points at, with their categories.

Mocap is licensed separately and never ships with Posers; ``posers tune`` and
``posers report`` read it from a folder given with ``--reference DIR``. A
clip's category (``walk``, ``styled_walk``, ``stance``, ``fidget``,
``hand_to_mouth``...) comes from a ``SOURCES.md`` in the folder or its parent
(a Markdown table whose rows start ``| `file.bvh` | category |``), the way
the dev data set documents it; without one, every clip is used for every
motion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .engine.clip import Clip
from .engine.program import MotionMeta
from .engine.skeleton import Skeleton
from .io.bvh_read import BvhError
from .io.clip_file import load_clip_npz
from .mocap import load_bvh_clip

#: Motion tags -> reference categories that show the same kind of behaviour (first match wins).
TAG_CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("smoking", ("hand_to_mouth",)),
    ("hand-to-mouth", ("hand_to_mouth",)),
    ("fidget", ("fidget",)),
    ("walk", ("walk", "styled_walk")),
    ("idle", ("stance",)),
    ("standing", ("stance",)),
)
#: Categories whose clips stay in place (the periodicity calibration uses these; issue 3).
IN_PLACE_CATEGORIES: tuple[str, ...] = ("stance", "fidget", "hand_to_mouth")
#: Resample references to this rate so metrics compare like with like (metrics file §0: thresholds assume 30 fps).
REFERENCE_FPS = 30.0


class ReferenceError(ValueError):
    """No usable reference clips; the message says what was looked for and where."""


@dataclass
class Reference:
    name: str  # file stem
    category: str  # "" when the folder has no SOURCES.md entry for it
    path: Path
    clip: Clip


def read_categories(folder: Path) -> dict[str, str]:
    """``file name -> category`` from a SOURCES.md table in ``folder`` or its parent (empty if none)."""
    for cand in (folder / "SOURCES.md", folder.parent / "SOURCES.md"):
        if cand.is_file():
            out = {}
            for line in cand.read_text(encoding="utf-8", errors="replace").splitlines():
                m = re.match(r"\|\s*`([^`]+\.(?:bvh|npz))`\s*\|\s*([A-Za-z_\-]+)\s*\|", line)
                if m:
                    out[Path(m.group(1)).name] = m.group(2)
            return out
    return {}


def motion_categories(meta: MotionMeta) -> tuple[str, ...]:
    """Reference categories for a motion, from its tags (``()`` when none applies)."""
    for tag, cats in TAG_CATEGORIES:
        if tag in meta.tags or tag in meta.id:
            return cats
    return ()


def reference_files(paths: Iterable[str | Path]) -> list[Path]:
    """The .bvh/.npz files among ``paths`` (folders are listed, sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.iterdir() if q.suffix.lower() in (".bvh", ".npz")))
        elif p.is_file():
            out.append(p)
        else:
            raise ReferenceError(f"reference '{p}' does not exist")
    return out


def load_references(
    paths: Sequence[str | Path],
    categories: Sequence[str] = (),
    skeleton: Skeleton | None = None,
) -> list[Reference]:
    """Load reference clips, keeping those in ``categories`` (all when empty or when no category is known).

    BVH files are retargeted onto ``skeleton`` (default avatar) and resampled to
    :data:`REFERENCE_FPS`; NPZ files are clips saved by Posers.
    """
    files = reference_files(paths)
    if not files:
        raise ReferenceError(f"no .bvh or .npz reference clips in {', '.join(map(str, paths))}")
    cats: dict[str, str] = {}
    for f in files:
        cats.update(read_categories(f.parent))
    chosen = files
    if categories and cats:
        chosen = [f for f in files if cats.get(f.name) in categories]
        if not chosen:
            found = sorted(set(cats.values()))
            raise ReferenceError(
                f"no reference clip of category {' or '.join(categories)} in {', '.join(map(str, paths))} "
                f"(categories there: {', '.join(found) or 'none'})"
            )
    out = []
    for f in chosen:
        try:
            clip = load_bvh_clip(f, skeleton, fps=REFERENCE_FPS) if f.suffix.lower() == ".bvh" else load_clip_npz(f)
        except BvhError as exc:
            raise ReferenceError(str(exc)) from None
        out.append(Reference(f.stem, cats.get(f.name, ""), f, clip))
    return out
