"""Time profiles: minimum-jerk easing and event envelopes (vectorised over time)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]


def minimum_jerk(u: ArrayLike) -> Array:
    """Minimum-jerk position profile 10u^3 - 15u^4 + 6u^5 on u in [0, 1] (clamped outside).

    Facts file §4 (Flash & Hogan 1985): bell-shaped speed, peak 1.875 D/T at mid-movement,
    zero velocity and acceleration at both ends.
    """
    x = np.clip(np.asarray(u, dtype=np.float64), 0.0, 1.0)
    return x * x * x * (x * (6.0 * x - 15.0) + 10.0)


def bump(t: ArrayLike, start: float, rise: float, hold: float, fall: float) -> Array:
    """0 -> 1 -> 0 envelope: minimum-jerk rise over ``rise`` s, ``hold`` s at 1, minimum-jerk fall over ``fall`` s."""
    t = np.asarray(t, dtype=np.float64)
    up = minimum_jerk((t - start) / max(rise, 1e-6))
    down = minimum_jerk((t - start - rise - hold) / max(fall, 1e-6))
    return up - down


def step_sequence(
    t: ArrayLike, times: ArrayLike, values: ArrayLike, durations: ArrayLike, initial: float = 0.0
) -> Array:
    """A signal that moves to ``values[k]`` starting at ``times[k]`` over ``durations[k]`` (minimum jerk), else holds."""
    t = np.asarray(t, dtype=np.float64)
    out = np.full_like(t, initial)
    prev = initial
    for t0, v, d in zip(np.asarray(times), np.asarray(values), np.asarray(durations)):
        out = out + (v - prev) * minimum_jerk((t - t0) / max(float(d), 1e-6))
        prev = float(v)
    return out
