"""Inverse kinematics: analytic two-bone IK with a pole (arms and legs), and a hinge limb's length at a bend.

Pure functions on numpy vectors in normalised humanoid space. Rotations are
(w, x, y, z) quaternions; positions metres; angles radians.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import quat

Array = NDArray[np.float64]


@dataclass(frozen=True)
class TwoBoneSolution:
    """Global rotation of the upper bone, local rotation of the lower bone, and whether the target was reached.

    Fields broadcast like the inputs (one solution per leading index).
    """

    upper_grot: Array
    lower_lrot: Array
    reached: NDArray[np.bool_]
    flex: Array  # total bend of the middle joint (rest bend included), radians


def _vdot(u: Array, v: Array) -> Array:
    return quat.dot(u, v)[..., None]


def _dot3(a: Array, b: Array) -> float:
    """Dot product of two 3-vectors written out: BLAS ``ddot`` may round differently with memory alignment, and a
    clip must be bit-identical for the same seed."""
    return float(a[0] * b[0] + a[1] * b[1] + a[2] * b[2])


def two_bone(
    root_pos: ArrayLike,
    upper_grot: ArrayLike,
    mid_offset: ArrayLike,
    end_offset: ArrayLike,
    target: ArrayLike,
    pole: ArrayLike,
    hinge_axis: ArrayLike,
    flex_limits: tuple[float, float] = (0.0, float(np.radians(145.0))),
    lower_twist: float = 0.0,
) -> TwoBoneSolution:
    """Solve a hinge limb (arm or leg) so its end lands on ``target``; vectorised over leading axes.

    ``mid_offset``/``end_offset`` ``[3]`` are the rest offsets of the middle and
    end joints (in the upper/lower bone frames, which equal world axes at rest).
    ``hinge_axis`` is the middle joint's flexion axis in its own frame (a
    positive rotation about it flexes). The flexion is clamped to
    ``flex_limits``; the chain then points at the target and swivels about the
    root-target line so the middle joint lies toward ``pole``. Starting from
    the current ``upper_grot`` keeps solutions continuous from frame to frame.
    A reachable target is hit exactly (to float precision).
    """
    root_pos = np.asarray(root_pos, dtype=np.float64)
    upper_grot = np.asarray(upper_grot, dtype=np.float64)
    mid_offset = np.asarray(mid_offset, dtype=np.float64)
    end_offset = np.asarray(end_offset, dtype=np.float64)
    h = np.asarray(hinge_axis, dtype=np.float64)
    h = h / np.linalg.norm(h)
    a = float(np.linalg.norm(mid_offset))
    b = float(np.linalg.norm(end_offset))
    to_target = np.asarray(target, dtype=np.float64) - root_pos
    c_raw = quat.length(to_target)
    # |m + R(h, phi) e|^2 = a^2 + b^2 + 2 (K + A cos phi + B sin phi): solve for phi. This handles
    # rest poses that are already slightly bent (a knee ahead of the hip-ankle line).
    e_par = _dot3(end_offset, h) * h
    e_perp = end_offset - e_par
    k_ = _dot3(mid_offset, e_par)
    a_ = _dot3(mid_offset, e_perp)
    b_ = _dot3(mid_offset, np.cross(h, e_perp))
    r_ = max(float(np.hypot(a_, b_)), 1e-12)
    delta = float(np.arctan2(b_, a_))  # total bend = phi - delta
    c_min = float(np.sqrt(max(a * a + b * b + 2 * (k_ - r_), 0.0)))
    c_max = float(np.sqrt(a * a + b * b + 2 * (k_ + r_)))
    c = np.clip(c_raw, c_min + 1e-7, c_max - 1e-7)
    d_ = (c * c - a * a - b * b) / 2.0
    flex_wanted = np.arccos(np.clip((d_ - k_) / r_, -1.0, 1.0))  # total bend
    flex = np.clip(flex_wanted, flex_limits[0], flex_limits[1])
    phi = flex + delta
    lower = quat.from_axis_angle(h, phi)
    if lower_twist:
        lower = quat.mul(lower, quat.from_axis_angle(end_offset, np.asarray(lower_twist)))
    # root -> end in the upper bone's frame
    u = mid_offset + quat.rotate(lower, end_offset)
    d = to_target / np.maximum(c_raw, 1e-9)[..., None]
    g = quat.mul(quat.between(quat.rotate(upper_grot, u), d), upper_grot)
    # swivel about d so the middle joint points toward the pole
    mid_dir = quat.rotate(g, mid_offset)
    pole_dir = np.asarray(pole, dtype=np.float64) - root_pos
    m_perp = mid_dir - _vdot(mid_dir, d) * d
    p_perp = pole_dir - _vdot(pole_dir, d) * d
    ang = np.arctan2(_vdot(np.cross(m_perp, p_perp), d)[..., 0], _vdot(m_perp, p_perp)[..., 0])
    ok = (quat.length(m_perp) > 1e-9) & (quat.length(p_perp) > 1e-9)
    ang = np.where(ok, ang, 0.0)
    g = quat.mul(quat.from_axis_angle(d, ang), g)
    reached = (np.abs(flex - flex_wanted) < 1e-9) & (np.abs(c - c_raw) < 1e-9)
    return TwoBoneSolution(upper_grot=quat.normalize(g), lower_lrot=lower, reached=reached, flex=flex)


def chain_length(mid_offset: ArrayLike, end_offset: ArrayLike, hinge_axis: ArrayLike, bend: ArrayLike) -> Array:
    """Root-to-end distance of a hinge limb at total bend ``bend`` (radians, rest bend included), as two_bone defines it."""
    m = np.asarray(mid_offset, dtype=np.float64)
    e = np.asarray(end_offset, dtype=np.float64)
    h = np.asarray(hinge_axis, dtype=np.float64)
    h = h / np.linalg.norm(h)
    e_par = _dot3(e, h) * h
    e_perp = e - e_par
    k_ = _dot3(m, e_par)
    r_ = float(np.hypot(_dot3(m, e_perp), _dot3(m, np.cross(h, e_perp))))
    c2 = _dot3(m, m) + _dot3(e, e) + 2.0 * (k_ + r_ * np.cos(np.asarray(bend, dtype=np.float64)))
    return np.sqrt(np.maximum(c2, 0.0))
