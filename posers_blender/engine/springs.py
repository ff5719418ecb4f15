"""Critically damped springs parameterised by half-life, integrated exactly.

After D. Holden, "Spring-It-On". ``halflife`` (seconds) is the time for the
distance to the goal to halve; the update is the closed-form solution for a
constant goal over ``dt``, so a spring stepped at 30 fps and at 120 fps lands
on the same values at the same times.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import quat

LN2 = math.log(2.0)


def damping_from_halflife(halflife: float) -> float:
    return (4.0 * LN2) / max(halflife, 1e-5)


def spring_step(
    x: ArrayLike, v: ArrayLike, goal: ArrayLike, halflife: float, dt: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """One exact step of a critically damped spring toward ``goal``.

    Works on scalars or arrays (any shape; ``x``, ``v`` and ``goal`` broadcast).
    Returns ``(x, v)`` after ``dt`` seconds.
    """
    x = np.asarray(x, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    goal = np.asarray(goal, dtype=np.float64)
    y = damping_from_halflife(halflife) / 2.0
    j0 = x - goal
    j1 = v + j0 * y
    eydt = math.exp(-y * dt)
    return eydt * (j0 + j1 * dt) + goal, eydt * (v - j1 * y * dt)


def quat_spring_step(
    q: ArrayLike, w: ArrayLike, goal: ArrayLike, halflife: float, dt: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Exact critically damped spring on rotations.

    ``q``/``goal`` are unit quaternions ``[..., 4]``, ``w`` angular velocity
    ``[..., 3]`` (rad/s, world axes). The spring runs in the log space of
    ``q * goal^-1``. Returns ``(q, w)``.
    """
    goal = quat.as_array(goal)
    offset = quat.to_scaled_axis(quat.mul(q, quat.conj(goal)))
    off, w_new = spring_step(offset, w, np.zeros(3), halflife, dt)
    return quat.mul(quat.from_scaled_axis(off), goal), w_new


def damp_track(
    signal: ArrayLike, halflife: float, dt: float, x0: ArrayLike | None = None, ramp: bool = False
) -> NDArray[np.float64]:
    """Run a spring over a whole goal track ``[F, ...]``.

    Gives a lagged, overshoot-free follower of ``signal`` (follow-through). By default the goal is held
    constant over each step, and the step toward frame ``i``'s goal ends at frame ``i`` (a lead of half a
    frame, which moves with the frame rate). With ``ramp`` the follower starts at rest on ``x0`` (default:
    the first goal) at the first frame and the goal moves in a straight line from one frame to the next
    (the exact solution for a piecewise-linear goal), so tracks sampled at 24 and at 120 fps agree at
    shared times. The recursion runs per channel on Python floats (the same IEEE arithmetic as
    :func:`spring_step`, several times cheaper per frame than numpy calls on a few channels).
    """
    sig = np.asarray(signal, dtype=np.float64)
    n = sig.shape[0]
    goals = sig.reshape(n, -1)
    start = goals[0] if x0 is None else np.broadcast_to(np.asarray(x0, dtype=np.float64), sig.shape[1:]).reshape(-1)
    out = np.empty_like(goals)
    y = damping_from_halflife(halflife) / 2.0
    eydt = math.exp(-y * dt)
    for c in range(goals.shape[1]):
        x, v = float(start[c]), 0.0
        follow = []
        if ramp:
            g0 = float(goals[0, c]) if n else 0.0
            follow.append(x)
            for g in goals[1:, c].tolist():
                r = (g - g0) / dt  # the goal's speed over the step
                a = x - g0 + 2.0 * r / y
                b = v - r + a * y
                x = g - 2.0 * r / y + (a + b * dt) * eydt
                v = r + (b - y * (a + b * dt)) * eydt
                follow.append(x)
                g0 = g
        else:
            for g in goals[:, c].tolist():
                j0 = x - g
                j1 = v + j0 * y
                x = eydt * (j0 + j1 * dt) + g
                v = eydt * (v - j1 * y * dt)
                follow.append(x)
        out[:, c] = follow
    return out.reshape(sig.shape)
