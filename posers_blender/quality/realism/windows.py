"""Takes on one common body, at one common rate, cut into windows.

A *take* is one continuous recording (a mocap file or one seed of a motion) as world joint positions
``[F, J, 3]`` (metres, +Y up) of the default avatar: mocap is retargeted onto it and motions are sampled on
it, so body proportions and the source rig cannot give a take away. Only the joints every take really has
are compared (:func:`common_joints`): a joint's *position* is known when its parent bone's rotation came from
the source (ReActIdle has no hand bones, but its forearm ends at the wrist, so the hand's position is known),
and the head's *orientation* is known when the source has a head bone.

Each take carries a group: the person or seed it comes from. Cross-validation holds a whole group out, so
no person (or seed) is in both training and test (:func:`take_group`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ... import humanoid as hm
from ...engine import quat
from ...engine.clip import Clip
from ...engine.skeleton import default_avatar
from ...io.bvh_read import read_bvh
from ...mocap import retarget
from ..signal import lowpass

Array = NDArray[np.float64]

#: The joints compared, in this order (fingers, eyes and the toes' rotation are left out: several mocap
#: families lack them). Positions are joint heads: ``leftHand`` is the wrist, ``leftToes`` the ball.
CORE_JOINTS: tuple[str, ...] = (
    "hips",
    "spine",
    "chest",
    "neck",
    "head",
    *(f"{s}{b}" for s in ("left", "right") for b in ("UpperArm", "LowerArm", "Hand")),
    *(f"{s}{b}" for s in ("left", "right") for b in ("UpperLeg", "LowerLeg", "Foot", "Toes")),
)
#: A source whose pelvis never tilts further than this from upright has no pelvis tilt or roll (deg).
PELVIS_STILL_DEG = 0.05
#: Window length and hop (s). 2 s holds a stride or a breath; the hop only sets how many windows a take gives.
WINDOW_S = 2.0
HOP_S = 1.0
#: The common rate is the slowest take's, capped here (24 fps ReActIdle and 30 fps motions meet at 24).
MAX_FPS = 30.0


@dataclass
class Take:
    """One continuous recording on the default avatar: ``pos [F, J, 3]`` of :data:`CORE_JOINTS` (metres),
    ``head_fwd [F, 3]`` (unit vector the face points along), at ``fps``; ``joints`` are those really known."""

    name: str
    group: str
    fps: float
    pos: Array
    head_fwd: Array
    joints: tuple[str, ...]
    head_known: bool = True
    #: whether the pelvis tilts and rolls in the source (ReActIdle's pelvis only turns about the vertical: its
    #: hip line and the spine joint above the hips then never move against the hips, whatever the person did)
    pelvis_known: bool = True

    @property
    def n_frames(self) -> int:
        return int(self.pos.shape[0])

    def at_rate(self, fps: float) -> Take:
        """The take resampled to ``fps`` (low-passed below the new Nyquist rate first when slowing down)."""
        if abs(fps - self.fps) < 1e-9:
            return self
        pos, fwd = self.pos, self.head_fwd
        if fps < self.fps:
            pos = lowpass(pos, self.fps, 0.4 * fps)
            fwd = lowpass(fwd, self.fps, 0.4 * fps)
        n = int(np.floor((self.n_frames - 1) * fps / self.fps)) + 1
        t_old = np.arange(self.n_frames) / self.fps
        t_new = np.arange(n) / fps

        def interp(x: Array) -> Array:
            flat = x.reshape(len(x), -1)
            out = np.stack([np.interp(t_new, t_old, flat[:, c]) for c in range(flat.shape[1])], axis=1)
            return out.reshape((n, *x.shape[1:]))

        fwd_new = interp(fwd)
        fwd_new /= np.maximum(np.linalg.norm(fwd_new, axis=-1, keepdims=True), 1e-9)
        return Take(
            self.name, self.group, float(fps), interp(pos), fwd_new, self.joints, self.head_known, self.pelvis_known
        )


# Spine bones a source may lack: the retarget aims the bone below them at the next bone it has (chest at the
# neck when there is no upperChest), so the joints above them still sit where the source's do.
_BRIDGED = ("spine", "chest", "upperChest")


def _parent(bone: str) -> str:
    p = hm.PARENTS[hm.INDEX[bone]]
    return hm.BONES[p] if p >= 0 else ""


def take_from_clip(clip: Clip, name: str, group: str, known: Iterable[str] | None = None) -> Take:
    """A take from a clip on the default avatar; ``known`` are the canonical bones whose rotation came from
    the source (``None``: all, as for a sampled motion)."""
    grot, gpos = clip.fk()
    idx = [hm.INDEX[b] for b in CORE_JOINTS]
    if known is None:
        joints = CORE_JOINTS
        head_known = True
    else:
        have = set(known)
        joints = tuple(b for b in CORE_JOINTS if b == "hips" or _parent(b) in have or _parent(b) in _BRIDGED)
        head_known = "head" in have
    fwd = quat.rotate(grot[:, hm.INDEX["head"]], np.array([0.0, 0.0, 1.0]))
    up = quat.rotate(clip.lrot[:, 0], np.array([0.0, 1.0, 0.0]))
    pelvis_known = known is None or float(np.degrees(np.arccos(np.clip(up[:, 1], -1.0, 1.0))).max()) > PELVIS_STILL_DEG
    return Take(name, group, float(clip.fps), gpos[:, idx].copy(), fwd, joints, head_known, pelvis_known)


def take_group(path: str | Path) -> str:
    """The person a mocap file shows, from its name: ``reactidle_<person>_...``, ``cmu_<subject>_...``,
    ``bnr1_...`` (one actor), ``xia_...`` (one actor); any other file is its own group."""
    stem = Path(path).stem.lower()
    for pattern in (r"^(reactidle_\d+)_", r"^(cmu_\d+)_", r"^(bnr\d*)_", r"^(xia)_"):
        m = re.match(pattern, stem)
        if m:
            return m.group(1)
    return stem


@functools.lru_cache(maxsize=64)
def _file_take(path: str, mtime: float) -> Take:
    """Retarget a BVH (or read a Posers NPZ clip) onto the default avatar; cached per process and file version."""
    p = Path(path)
    if p.suffix.lower() == ".npz":
        return take_from_clip(Clip.load_npz(p), p.stem, take_group(p))
    res = retarget(read_bvh(p), default_avatar())
    return take_from_clip(res.clip, p.stem, take_group(p), known=res.mapping)


def file_take(path: str | Path) -> Take:
    """The take of one mocap file (.bvh, retargeted) or sampled clip (.npz), on the default avatar."""
    p = Path(path).resolve()
    return _file_take(str(p), p.stat().st_mtime)


def take_files(paths: Iterable[str | Path]) -> list[Path]:
    """The .bvh/.npz files among ``paths``; folders are searched recursively (sorted). Raises ValueError naming
    a path that does not exist or holds no clip."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.suffix.lower() in (".bvh", ".npz") and q.is_file())
            if not found:
                raise ValueError(f"reference folder '{p}' holds no .bvh or .npz clip")
            out.extend(found)
        elif p.is_file():
            out.append(p)
        else:
            raise ValueError(f"reference '{p}' does not exist: give a .bvh/.npz file or a folder of them")
    return out


def common_joints(takes: Sequence[Take]) -> tuple[str, ...]:
    """The joints every take knows, in :data:`CORE_JOINTS` order."""
    have = set(CORE_JOINTS)
    for t in takes:
        have &= set(t.joints)
    return tuple(b for b in CORE_JOINTS if b in have)


def common_rate(takes: Sequence[Take]) -> float:
    """The slowest take's rate, capped at :data:`MAX_FPS`."""
    return min([MAX_FPS, *(t.fps for t in takes)])


def window_starts(n_frames: int, fps: float, window_s: float = WINDOW_S, hop_s: float = HOP_S) -> list[int]:
    """First frames of the windows of a take (none when it is shorter than one window)."""
    w = int(round(window_s * fps))
    hop = max(1, int(round(hop_s * fps)))
    return list(range(0, n_frames - w + 1, hop))
