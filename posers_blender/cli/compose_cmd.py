"""posers compose SCORE.json --out FILE: motions in sequence from a score (see docs/score.md).

``.npz``, ``.bvh`` and ``.json`` are written by the engine; ``.blend`` and
``.vrma`` are baked in Blender (the pip ``bpy`` module): one NLA strip per
item on one track, or one flat Action with ``--flat``. The score is composed
completely before anything is written.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

from ..io.bvh import UNITS
from ..scene import compose, load_score
from ..scene.schema import score_schema
from . import UserError
from .sample_cmd import write_clip_file

ENGINE_FORMATS = (".npz", ".bvh", ".json")
BLENDER_FORMATS = (".blend", ".vrma")


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p = sub.add_parser("compose", help="compose a score (motions in sequence) into one clip or a .blend")
    p.add_argument("score", nargs="?", help="score file (JSON, see docs/score.md)")
    p.add_argument("--out", help="output: .blend, .vrma, .bvh, .npz or .json")
    p.add_argument("--vrm", metavar="FILE", help="VRM avatar for .blend/.vrma (default: the built-in avatar)")
    p.add_argument("--flat", action="store_true", help=".blend: one flat Action instead of one NLA strip per item")
    p.add_argument("--json-schema", action="store_true", help="print the score format as JSON Schema and exit")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    return p


def _check_out(out: Path, force: bool, vrm: str | None) -> None:
    suffix = out.suffix.lower()
    if suffix not in ENGINE_FORMATS + BLENDER_FORMATS:
        raise UserError(f"--out '{out}' must end in {', '.join(BLENDER_FORMATS + ENGINE_FORMATS)}")
    if out.exists() and not force:
        raise UserError(f"'{out}' already exists; pass --force to overwrite it or choose another --out")
    if not out.parent.exists():
        raise UserError(f"folder '{out.parent}' does not exist; create it first")
    if vrm and suffix in ENGINE_FORMATS:
        raise UserError(f"--vrm is for .blend/.vrma output; {suffix} files are written on the built-in avatar")
    if vrm and not Path(vrm).is_file():
        raise UserError(f"--vrm '{vrm}' does not exist")
    if suffix in BLENDER_FORMATS and importlib.util.find_spec("bpy") is None:
        raise UserError(
            f"{suffix} output needs Blender's Python module: pip install -r requirements/blender.txt (Python 3.11), "
            "or write .bvh/.npz"
        )


def run(args: argparse.Namespace) -> int:
    if args.json_schema:
        print(json.dumps(score_schema(), indent=2, sort_keys=True))
        return 0
    if not args.score or not args.out:
        raise UserError("give a score and --out, e.g. posers compose score.json --out scene.bvh (or --json-schema)")
    out = Path(args.out)
    _check_out(out, args.force, args.vrm)
    score = load_score(args.score)
    if out.suffix.lower() in BLENDER_FORMATS:
        from ..blender import scene_ops

        try:
            print(scene_ops.compose_to_file(score, out, vrm=args.vrm, flat=args.flat))
        except scene_ops.UserError as exc:
            raise UserError(str(exc)) from None
        return 0
    scene = compose(score)
    write_clip_file(scene.clip, out)
    unit = f", {UNITS}" if out.suffix.lower() == ".bvh" else ""
    items = ", ".join(f"{s.name} {s.start / scene.clip.fps:.1f}-{s.end / scene.clip.fps:.1f} s" for s in scene.segments)
    print(f"wrote {out} ({scene.clip.n_frames} frames at {scene.clip.fps:g} fps{unit}): {items}")
    return 0
