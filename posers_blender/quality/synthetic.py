"""Synthetic clips with known answers, for tests and for calibrating gates.

Metrics §9 calibration rule: a metric becomes a gate only if held-out mocap
passes it and a deliberately broken clip fails it. These builders make the
broken (and the ideal) cases: a rest pose, a sliding foot, a joint past its
limit, a pure-sine idle, a minimum-jerk reach.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from posers_blender import humanoid as hm

from ..engine import quat
from ..engine.clip import Clip
from ..engine.curves import minimum_jerk
from ..engine.skeleton import Skeleton, default_avatar

Array = NDArray[np.float64]


def rest_clip(seconds: float = 4.0, fps: float = 30.0, skeleton: Skeleton | None = None) -> Clip:
    """The T-pose standing still, feet on the floor."""
    sk = skeleton or default_avatar()
    n = max(2, int(round(seconds * fps)))
    return Clip(
        fps=float(fps),
        lrot=quat.identity((n, len(hm.BONES))),
        hips_pos=np.tile(sk.offsets[0], (n, 1)),
        skeleton=sk,
        meta={"motion": "synthetic"},
    )


def set_rotation(clip: Clip, bone: str, q: ArrayLike) -> Clip:
    """A copy of ``clip`` with ``bone``'s local rotation replaced by ``q`` (``[4]`` or ``[F, 4]``)."""
    lrot = clip.lrot.copy()
    lrot[:, hm.INDEX[bone]] = np.broadcast_to(np.asarray(q, dtype=np.float64), (clip.n_frames, 4))
    return Clip(clip.fps, lrot, clip.hips_pos.copy(), clip.skeleton, dict(clip.expressions), clip.gaze,
                list(clip.markers), dict(clip.meta))  # fmt: skip


def move_hips(clip: Clip, offset: ArrayLike) -> Clip:
    """A copy of ``clip`` with ``offset`` (``[3]`` or ``[F, 3]``, metres) added to the hips position."""
    hips = clip.hips_pos + np.broadcast_to(np.asarray(offset, dtype=np.float64), clip.hips_pos.shape)
    return Clip(clip.fps, clip.lrot.copy(), hips, clip.skeleton, dict(clip.expressions), clip.gaze,
                list(clip.markers), dict(clip.meta))  # fmt: skip


def rot(axis: ArrayLike, degrees: ArrayLike) -> Array:
    """Quaternion(s) for a rotation of ``degrees`` about ``axis``."""
    return quat.from_axis_angle(np.asarray(axis, dtype=np.float64), np.radians(np.asarray(degrees, dtype=np.float64)))


def hanging_arm(side: str, degrees_down: float = 90.0) -> Array:
    """Local upper-arm rotation that lowers the T-pose arm by ``degrees_down`` (90 = hanging) about the trunk's Z."""
    s = 1.0 if side == "left" else -1.0
    return rot([0.0, 0.0, 1.0], -s * degrees_down)


def sine_idle(seconds: float = 30.0, fps: float = 30.0, amplitude_deg: float = 2.0, freq: float = 0.25) -> Clip:
    """The naive baseline's breathing: a pure sine on the chest (periodicity purity ~1)."""
    c = rest_clip(seconds, fps)
    t = np.arange(c.n_frames) / fps
    c = set_rotation(c, "leftUpperArm", hanging_arm("left", 80.0))
    c = set_rotation(c, "rightUpperArm", hanging_arm("right", 80.0))
    return set_rotation(c, "chest", rot([1.0, 0.0, 0.0], -amplitude_deg * np.sin(2 * np.pi * freq * t)))


def min_jerk_path(n: int, fps: float, start: ArrayLike, end: ArrayLike, t0: float, duration: float) -> Array:
    """Positions ``[n, 3]`` of a minimum-jerk point-to-point move from ``start`` to ``end`` (facts §4)."""
    t = np.arange(n) / fps
    s = minimum_jerk((t - t0) / duration)[:, None]
    a = np.asarray(start, dtype=np.float64)
    return a + s * (np.asarray(end, dtype=np.float64) - a)
