"""BVH export of clips (reading mocap lives beside it in :mod:`posers_blender.io.bvh_read`).

The written file uses VRM humanoid bone names as joint names, +Y up, the
avatar facing +Z, **metres** (Blender's BVH importer at scale 1.0 gives a
1.65 m avatar), the floor at y = 0 with the rest (T) pose standing on it. The
root (``hips``) OFFSET is its rest position and its position channels carry
the absolute world position, so root motion travels with the clip. Rotation
channels are ``Zrotation Xrotation Yrotation`` (R = Rz * Rx * Ry), degrees.

Bones an avatar lacks are left out; their rotations fold into their children.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from .. import humanoid as hm
from ..engine import quat
from ..engine.clip import Clip

ORDER = "ZXY"
UNITS = "metres"


def _bvh_parents(present: np.ndarray) -> list[int]:
    """Nearest present ancestor of each bone (-1 for the root)."""
    out = []
    for _j, p in enumerate(hm.PARENTS):
        while p >= 0 and not present[p]:
            p = hm.PARENTS[p]
        out.append(p)
    return out


def _end_site(clip: Clip, j: int) -> np.ndarray:
    name = hm.BONES[j]
    tips = {"head": "headTop", "leftToes": "leftToeTip", "rightToes": "rightToeTip"}
    for side in ("left", "right"):
        for finger in ("Thumb", "Index", "Middle", "Ring", "Little"):
            tips[f"{side}{finger}Distal"] = f"{side}{finger}Tip"
    lm_name = tips.get(name)
    if lm_name and lm_name in clip.skeleton.landmarks and clip.skeleton.landmarks[lm_name].bone == name:
        return np.asarray(clip.skeleton.landmarks[lm_name].offset)
    off = clip.skeleton.offsets[j]
    length = float(np.linalg.norm(off))
    if length < 1e-9:
        return np.array([0.0, 0.0, 0.02])
    return off / length * min(0.5 * length, 0.05)


def write_bvh(clip: Clip, path: str | Path) -> None:
    """Write ``clip`` as a BVH file (deterministic text: same clip, same bytes)."""
    Path(path).write_text(bvh_text(clip), encoding="ascii", newline="\n")


def bvh_text(clip: Clip) -> str:
    present = clip.skeleton.present.copy()
    present[0] = True
    parents = _bvh_parents(present)
    joints = [j for j in range(len(hm.BONES)) if present[j]]
    kids: dict[int, list[int]] = {j: [] for j in joints}
    for j in joints[1:]:
        kids[parents[j]].append(j)
    rest = clip.skeleton.rest_positions()

    out = io.StringIO()
    out.write("HIERARCHY\n")
    order: list[int] = []  # joints in the order the hierarchy lists them: the MOTION columns follow it

    def emit(j: int, depth: int) -> None:
        order.append(j)
        ind = "  " * depth
        name = hm.BONES[j]
        if parents[j] < 0:
            off = rest[j]
            out.write(f"ROOT {name}\n{ind}{{\n")
            out.write(f"{ind}  OFFSET {off[0]:.6f} {off[1]:.6f} {off[2]:.6f}\n")
            out.write(f"{ind}  CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation\n")
        else:
            off = rest[j] - rest[parents[j]]
            out.write(f"{ind}JOINT {name}\n{ind}{{\n")
            out.write(f"{ind}  OFFSET {off[0]:.6f} {off[1]:.6f} {off[2]:.6f}\n")
            out.write(f"{ind}  CHANNELS 3 Zrotation Xrotation Yrotation\n")
        if kids[j]:
            for c in kids[j]:
                emit(c, depth + 1)
        else:
            e = _end_site(clip, j)
            out.write(f"{ind}  End Site\n{ind}  {{\n{ind}    OFFSET {e[0]:.6f} {e[1]:.6f} {e[2]:.6f}\n{ind}  }}\n")
        out.write(f"{ind}}}\n")

    emit(0, 0)
    # local rotations relative to the nearest present ancestor (absent bones fold in)
    lrot = clip.lrot
    cols = [clip.hips_pos]
    for j in order:
        q = lrot[:, j]
        p = hm.PARENTS[j]
        while p >= 0 and not present[p]:
            q = quat.mul(lrot[:, p], q)
            p = hm.PARENTS[p]
        eul = np.degrees(quat.to_euler(q, ORDER))
        cols.append(np.unwrap(eul, period=360.0, axis=0))
    data = np.concatenate(cols, axis=1)
    data = np.where(np.abs(data) < 5e-7, 0.0, data)  # no "-0.000000"
    out.write("MOTION\n")
    out.write(f"Frames: {clip.n_frames}\n")
    out.write(f"Frame Time: {1.0 / clip.fps:.7f}\n")
    np.savetxt(out, data, fmt="%.6f", delimiter=" ")
    return out.getvalue()
