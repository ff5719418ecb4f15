"""Synthetic clips with known answers, for tests and for calibrating gates.

Metrics §9 calibration rule: a metric becomes a gate only if held-out mocap
passes it and a deliberately broken clip fails it. These builders make the
broken (and the ideal) cases: a rest pose, a sliding foot, a joint past its
limit, a pure-sine idle, a minimum-jerk reach.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import humanoid as hm
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


def synthetic_walk(
    seconds: float = 8.0,
    fps: float = 60.0,
    cadence: float = 110.0,
    step_length: float = 0.5,
    stance: float = 0.6,
    lift: float = 0.06,
    hips_drop: float = 0.08,
) -> Clip:
    """A mechanically perfect walk along +Z built with leg IK: known cadence, step length and stance share.

    Each foot is planted flat at the spot the hips pass over at mid-stance,
    then swings (minimum jerk forward, a lift arc of ``lift`` m) to its next
    spot; the right foot runs half a stride behind the left. Hips move at
    ``step_length * cadence / 60`` m/s, ``hips_drop`` below rest so the legs can reach
    (feet stay flat, so long steps bend the ankles past their range: use it for timing, not limits).
    """
    from ..engine.program import Tracks

    sk = default_avatar()
    n = int(round(seconds * fps))
    t = np.arange(n) / fps
    stride = 120.0 / cadence
    speed = step_length * cadence / 60.0
    tr = Tracks(sk, n)
    tr.hips_offset[:, 1] = -hips_drop
    tr.hips_offset[:, 2] = speed * t
    rest = sk.rest_positions()
    for side, offset in (("left", 0.0), ("right", 0.5)):
        ankle = rest[sk.index(f"{side}Foot")]
        pos = np.tile(ankle, (n, 1))
        k0 = int(np.floor(-offset)) - 2
        ks = range(k0, int(np.ceil(seconds / stride)) + 2)
        # planted spot of stride k: where the hips are at mid-stance
        spot = {k: speed * ((k + offset) * stride + 0.5 * stance * stride) for k in ks}
        for k in ks:
            hs = (k + offset) * stride
            to = hs + stance * stride
            nxt = hs + stride
            planted = (t >= hs) & (t < to)
            pos[planted, 2] = spot[k]
            sw = (t >= to) & (t < nxt)
            if k + 1 in spot:
                u = (t[sw] - to) / (nxt - to)
                pos[sw, 2] = spot[k] + (spot[k + 1] - spot[k]) * minimum_jerk(u)
                pos[sw, 1] = ankle[1] + lift * np.sin(np.pi * u)
        pole = pos + np.array([0.0, 0.4, 0.5])
        tr.solve_limb(f"{side}Leg", pos, pole, end_grot=quat.identity((n,)))
    return Clip(
        fps=float(fps),
        lrot=tr.lrot,
        hips_pos=sk.offsets[0] + tr.hips_offset,
        skeleton=sk,
        meta={"motion": "synthetic-walk"},
    )
