"""The hand's rotation at a waypoint, the elbow pole, and the wrist limits a reach keeps (hard or soft)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ... import humanoid as hm
from .. import quat
from ..skeleton import Skeleton
from ._vec import norm3, unit

Array = NDArray[np.float64]

#: Frames per block of :func:`hand_rotation` on tracks.
BLOCK = 4096


def hand_rotation(finger_dir: ArrayLike, palm_dir: ArrayLike, side: str) -> Array:
    """World rotation ``[..., 4]`` of a hand bone whose fingers point along ``finger_dir`` and palm faces ``palm_dir``.

    In the T-pose the left hand's fingers point +X, the right hand's -X, and
    both palms face -Y. ``palm_dir`` is made perpendicular to ``finger_dir``.
    Tracks ``[F, 3]`` are solved in blocks of :data:`BLOCK` frames (its matrices cost 40 floats a frame).
    """
    f = np.asarray(finger_dir, dtype=np.float64)
    n = np.asarray(palm_dir, dtype=np.float64)
    shape = np.broadcast_shapes(f.shape, n.shape)
    if len(shape) != 2 or shape[0] <= BLOCK:
        return _hand_rotation(f, n, side)
    f, n = np.broadcast_to(f, shape), np.broadcast_to(n, shape)
    out = np.empty((shape[0], 4))
    for s in range(0, shape[0], BLOCK):
        out[s : s + BLOCK] = _hand_rotation(f[s : s + BLOCK], n[s : s + BLOCK], side)
    return out


def _hand_rotation(f: Array, n: Array, side: str) -> Array:
    s = hm.side_sign(side + "Hand")
    f = unit(f)
    n = unit(n - np.sum(n * f, axis=-1, keepdims=True) * f)
    m = np.stack([f, n, np.cross(f, n)], axis=-1)  # columns
    f0 = np.array([s, 0.0, 0.0])
    n0 = np.array([0.0, -1.0, 0.0])
    m0 = np.stack([f0, n0, np.cross(f0, n0)], axis=-1)
    # m @ m0.T written out: a BLAS matmul may round differently with memory alignment, and a clip must be
    # bit-identical for the same seed
    r = sum(m[..., :, k, None] * m0[None, :, k] for k in range(3))
    return quat.from_matrix(r)


def elbow_pole(side: str, out: float = 0.6, down: float = 1.0, back: float = 0.25) -> Array:
    """A world elbow-pole direction: down, out to the arm's side and a little back ("elbow low and out")."""
    s = hm.side_sign(side + "Hand")
    return unit(np.array([s * out, -down, -back]))


@dataclass(frozen=True)
class WristLimits:
    """Wrist and forearm limits (degrees) kept by :func:`solve_reach`: facts §8 ROM less a margin, since
    comfortable poses stay inside the ADL envelope (facts §4: wrist -40/+38, forearm -53/+13 in ADL)."""

    flexion: float = 60.0
    extension: float = 55.0
    radial: float = 15.0
    ulnar: float = 28.0
    pronation: float = 70.0
    supination: float = 75.0


def wrist_components(local: ArrayLike, side: str) -> tuple[Array, Array, Array]:
    """(flexion, radial deviation, supination) in radians of hand-local rotations ``[..., 4]``.

    Twist about the forearm axis is supination (+, palm from down toward
    ahead in the T-pose) / pronation (-); the swing of the finger axis,
    measured in the twisted hand frame, gives flexion (+ toward the palm) and
    radial deviation (+ toward the thumb). Same convention as
    :func:`posers_blender.quality.handmouth.wrist_angles`.
    """
    s = hm.side_sign(side + "Hand")
    q = np.asarray(local, dtype=np.float64)
    axis = np.array([s, 0.0, 0.0])
    swing, twist = quat.swing_twist(q, axis)
    sup = -quat.twist_angle(q, np.array([1.0, 0.0, 0.0]))
    f = quat.rotate(quat.mul(quat.conj(twist), quat.mul(swing, twist)), axis)
    along = s * f[..., 0]
    return np.arctan2(-f[..., 1], along), np.arctan2(f[..., 2], along), sup


def clamp_wrist(local: ArrayLike, side: str, limits: WristLimits | None = None) -> Array:
    """Hand-local rotations ``[..., 4]`` with flexion, deviation and forearm twist clamped to ``limits``."""
    lim = limits or WristLimits()
    s = hm.side_sign(side + "Hand")
    flex, rad, sup = wrist_components(local, side)
    r = np.radians
    flex = np.clip(flex, -r(lim.extension), r(lim.flexion))
    rad = np.clip(rad, -r(lim.ulnar), r(lim.radial))
    sup = np.clip(sup, -r(lim.pronation), r(lim.supination))
    f = np.stack([s * np.ones_like(flex), -np.tan(flex), np.tan(rad)], axis=-1)
    swing = quat.between(np.array([s, 0.0, 0.0]), f)
    twist = quat.from_axis_angle(np.array([1.0, 0.0, 0.0]), -sup)
    return quat.normalize(quat.mul(twist, swing))


def _soft_range(x: Array, lo: float, hi: float, margin: float) -> Array:
    """Softly confine ``x`` to ``[lo, hi]``: unchanged inside ``[lo + margin, hi - margin]``, saturating (C1)."""
    a, b = lo + margin, hi - margin
    up = b + margin * np.tanh((x - b) / margin)
    dn = a - margin * np.tanh((a - x) / margin)
    return np.where(x > b, up, np.where(x < a, dn, x))


def comfortable_wrist(skeleton: Skeleton, side: str, local: ArrayLike) -> Array:
    """Hand local rotations ``[F, 4]`` with flexion, deviation and twist *softly* kept inside everyday ranges.

    The soft alternative to :func:`clamp_wrist` for poses that move continuously with the body (a hand held
    on the chin while the head turns): no kink where a limit is met. Measured about this avatar's own hand
    axis (wrist to middle knuckle) as the quality suite's joint limits do, forearm twist first, then the
    wrist bends about the turned axes (local = twist * swing). Facts §4 ADL envelope: wrist
    flexion/extension -40..+38°, deviation 20° ulnar..5° radial; §8 ROM extension 70, flexion 75-90, radial
    20, ulnar 30-45, forearm 70-90 each way. The bounds sit between the two (a gesture may reach further
    than a meal, never past the ROM).
    """
    s = hm.side_sign(side + "Hand")
    q = np.asarray(local, dtype=np.float64)
    mid = f"{side}MiddleProximal"
    axis = skeleton.offsets[hm.INDEX[mid]] if skeleton.has(mid) else np.array([s, 0.0, 0.0])
    axis = axis / norm3(axis)
    _, twist = quat.swing_twist(q, axis)
    swing = quat.mul(quat.conj(twist), q)
    rv = np.degrees(quat.to_scaled_axis(swing))
    flex = _soft_range(-s * rv[:, 2], -60.0, 75.0, 15.0)  # + flexion (palm-ward)
    dev = _soft_range(-s * rv[:, 1], -35.0, 15.0, 8.0)  # + radial
    rv[:, 2] = -s * flex
    rv[:, 1] = -s * dev
    tw = _soft_range(np.degrees(quat.twist_to_angle(twist, axis)), -60.0, 60.0, 15.0)
    return quat.mul(quat.from_axis_angle(axis, np.radians(tw)), quat.from_scaled_axis(np.radians(rv)))
