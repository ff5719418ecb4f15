"""Inertialization: the new motion plays at once; the old pose and velocity live on as an offset that decays.

After D. Bollo, "Inertialization: High-Performance Animation Transitions in
Gears of War" (GDC 2018), in the critically damped form of D. Holden's
"Dead Blending" / "Spring-It-On": the offset ``x(t) = (x0 + (v0 + y x0) t) e^{-y t}``
with ``y = 2 ln 2 / halflife`` starts at the difference between where the
old motion was going and where the new one starts, with the difference of
their velocities, and never overshoots. Both poses never fight: only the
new motion is evaluated, plus one offset per channel. Rotations decay in the
log space of ``old * new^-1`` (left-multiplied, in the parent's frame).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..engine import quat
from ..engine.springs import LN2

Array = NDArray[np.float64]


def decay(x0: ArrayLike, v0: ArrayLike, halflife: ArrayLike, t: ArrayLike) -> Array:
    """Critically damped offset ``[F, *x0.shape]`` at times ``t [F]`` (s) from offset ``x0`` and velocity ``v0``.

    ``halflife`` (s) broadcasts against ``x0``'s leading axes (one per joint, say, with ``x0 [J, 3]`` and
    ``halflife [J, 1]``).
    """
    x0 = np.asarray(x0, dtype=np.float64)
    v0 = np.asarray(v0, dtype=np.float64)
    hl = np.asarray(halflife, dtype=np.float64)
    y = 2.0 * LN2 / np.maximum(hl, 1e-5)  # springs.damping_from_halflife / 2
    t = np.asarray(t, dtype=np.float64).reshape((-1,) + (1,) * x0.ndim)
    return (x0 + (v0 + y * x0) * t) * np.exp(-y * t)


def vectors(old: Array, new: Array, fps: float, halflife: ArrayLike) -> Array:
    """Inertialise vector channels: ``old [2, ...]`` the last two frames before the seam, ``new [F, ...]`` after.

    Frame 0 of the result continues the old motion's velocity by one frame; then the offset decays.
    """
    dt = 1.0 / fps
    v_old = (old[1] - old[0]) / dt
    v_new = (new[1] - new[0]) / dt if len(new) > 1 else np.zeros_like(new[0])
    x0 = old[1] + v_old * dt - new[0]
    t = np.arange(len(new)) * dt
    return new + decay(x0, v_old - v_new, halflife, t)


def rotations(old: Array, new: Array, fps: float, halflife: ArrayLike) -> Array:
    """Inertialise quaternion channels ``old [2, J, 4]`` -> ``new [F, J, 4]`` (w, x, y, z); ``halflife`` s, [J, 1]."""
    dt = 1.0 / fps
    w_old = quat.to_scaled_axis(quat.mul(old[1], quat.conj(old[0]))) / dt
    w_new = (
        quat.to_scaled_axis(quat.mul(new[1], quat.conj(new[0]))) / dt
        if len(new) > 1
        else np.zeros(old.shape[1:-1] + (3,))
    )
    predicted = quat.mul(quat.from_scaled_axis(w_old * dt), old[1])
    x0 = quat.to_scaled_axis(quat.mul(predicted, quat.conj(new[0])))
    t = np.arange(len(new)) * dt
    off = decay(x0, w_old - w_new, halflife, t)
    return quat.normalize(quat.mul(quat.from_scaled_axis(off), new))
