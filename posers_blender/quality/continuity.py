"""Continuity: non-finite values, pose and velocity jumps, bone-length constancy.

Issue 3 hard gates "no NaN, no discontinuity"; metrics §7 (velocity jumps are
the most visible error, Reitsma & Pollard 2003) and §9 A6 (bone-length CV).

A *pose jump* is the part of a joint's frame step that a smooth track cannot
explain: ``r[i] = |d[i] - (d[i-1] + d[i+1]) / 2|`` with ``d`` the per-frame
displacement (a third difference). Smooth motion leaves ``jerk / (2 fps^3)``
(about 12 mm for a very fast 0.3 m reach in 0.3 s at 30 fps, under 1 mm for
idle motion); a one-frame pop of size A leaves 1.5 A, a cut of A leaves A.
A *velocity jump* is ``|d[i] - d[i-1]| * fps``, the change of velocity within
one frame (m/s). Both are measured on every bone head except the eyes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine import quat
from ..engine.clip import Clip
from .kinematics import kinematics

Array = NDArray[np.float64]

_BODY = np.array([j for j, b in enumerate(hm.BONES) if b not in hm.EYE_BONES])


def nan_count(clip: Clip) -> int:
    """Number of non-finite values in rotations, hips, expressions and gaze (issue 3 gate: 0)."""
    n = int(np.size(clip.lrot) - np.count_nonzero(np.isfinite(clip.lrot)))
    n += int(np.size(clip.hips_pos) - np.count_nonzero(np.isfinite(clip.hips_pos)))
    for v in clip.expressions.values():
        n += int(np.size(v) - np.count_nonzero(np.isfinite(v)))
    if clip.gaze is not None:
        n += int(np.size(clip.gaze) - np.count_nonzero(np.isfinite(clip.gaze)))
    return n


@dataclass(frozen=True)
class Jump:
    """Largest jump found: size (mm for pose, m/s for velocity), bone and frame."""

    size: float
    bone: str
    frame: int


def pose_jump(clip: Clip) -> Jump:
    """Largest unexplained one-frame step of any bone head, mm (see module docstring)."""
    kin = kinematics(clip)
    p = kin.gpos[:, _BODY]
    if p.shape[0] < 4:
        return Jump(0.0, "", -1)
    d = np.diff(p, axis=0)  # [F-1, J, 3]
    r = np.linalg.norm(d[1:-1] - 0.5 * (d[:-2] + d[2:]), axis=-1)  # [F-3, J]
    i, j = np.unravel_index(int(np.nanargmax(r)), r.shape)
    return Jump(1000.0 * float(r[i, j]), hm.BONES[_BODY[j]], int(i) + 1)


def velocity_jump(clip: Clip) -> Jump:
    """Largest change of any bone head's velocity within one frame, m/s."""
    kin = kinematics(clip)
    p = kin.gpos[:, _BODY]
    if p.shape[0] < 3:
        return Jump(0.0, "", -1)
    d = np.diff(p, axis=0)
    a = np.linalg.norm(np.diff(d, axis=0), axis=-1) * clip.fps  # [F-2, J]
    i, j = np.unravel_index(int(np.nanargmax(a)), a.shape)
    return Jump(float(a[i, j]), hm.BONES[_BODY[j]], int(i) + 1)


def angular_acceleration_max(clip: Clip, bones: Sequence[str] | None = None) -> dict[str, float]:
    """Per bone (default: all but the eyes), the largest frame-to-frame change of its local angular velocity,
    deg/s^2: a rotational jump detector (a 1° pop at 120 fps reads ~29000°/s², smooth gestures ~10^3)."""
    dt = 1.0 / clip.fps
    names = list(bones) if bones is not None else [hm.BONES[j] for j in _BODY]
    if clip.n_frames < 3 or not names:
        return {}
    idx = [hm.INDEX[b] for b in names]
    w = quat.angular_velocity(clip.lrot[:, idx], dt)  # [F-1, K, 3]
    acc = np.degrees(np.max(np.linalg.norm(np.diff(w, axis=0), axis=-1), axis=0)) / dt
    return {b: float(a) for b, a in zip(names, acc)}


def bone_length_cv(clip: Clip) -> tuple[float, str]:
    """Largest coefficient of variation (%) of a bone's length over the clip (metrics §9 A6), and the bone."""
    kin = kinematics(clip)
    sk = clip.skeleton
    worst, name = 0.0, ""
    for j, p in enumerate(sk.parents):
        if p < 0 or np.linalg.norm(sk.offsets[j]) < 0.01:
            continue
        length = np.linalg.norm(kin.gpos[:, j] - kin.gpos[:, p], axis=1)
        cv = 100.0 * float(np.std(length) / max(float(np.mean(length)), 1e-9))
        if cv > worst:
            worst, name = cv, hm.BONES[j]
    return worst, name
