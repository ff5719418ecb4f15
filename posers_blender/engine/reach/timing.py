"""Signals timed by a plan's moves: the anticipatory pelvis shift, approach weights (head and eyes toward the
hand), per-waypoint values (finger curl), rub strokes and grip closure. Each is ``[F]`` or ``[F, 3]`` over the
clip's time grid."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..curves import minimum_jerk
from ._vec import norm3, row
from .plan import ReachPlan, Waypoint, onset_delay, speed_profile

Array = NDArray[np.float64]


def approach_weight(
    times: Array,
    plan: ReachPlan,
    names: Iterable[str],
    delay: float = 0.0,
    duration: float | None = None,
) -> Array:
    """0..1 per frame: 1 while the hand is at (or travelling to) one of the waypoints ``names``.

    Each change starts ``delay`` s after the move's onset and lasts
    ``duration`` s (default: the rest of the move), minimum jerk. A negative
    ``delay`` leads the hand.
    """
    wanted = set(names)
    t = np.asarray(times, dtype=np.float64)
    cur = 1.0 if plan.initial in wanted else 0.0
    out = np.full_like(t, cur)
    for m in plan.moves:
        new = 1.0 if m.to in wanted else 0.0
        if new != cur:
            d = duration if duration is not None else max(m.duration - delay, 0.05)
            out = out + (new - cur) * minimum_jerk((t - m.start - delay) / max(d, 1e-3))
            cur = new
    return out


def waypoint_values(
    times: Array, plan: ReachPlan, values: Mapping[str, ArrayLike], delay: float = 0.0, default: ArrayLike = 0.0
) -> Array:
    """A scalar per frame ``[F]`` that takes ``values[name]`` (scalar or ``[F]``) at each waypoint and changes
    with the moves: each move blends from the value before it to its waypoint's value along the move's own
    speed profile, starting ``delay`` s after the move's onset (finger curl that follows the wrist, say).
    Waypoints missing from ``values`` take ``default``."""
    t = np.asarray(times, dtype=np.float64)
    n = len(t)

    def val(name: str) -> Array:
        return np.broadcast_to(np.asarray(values.get(name, default), dtype=np.float64), (n,))

    out = val(plan.initial).copy()
    for m in plan.moves:
        d = max(m.duration - delay, 1e-3)
        s = speed_profile((t - m.start - delay) / d, m.peak_at)
        out = out + (val(m.to) - out) * s
    return out


def strokes(rng: np.random.Generator, times: Array, t0: float, t1: float, count: int) -> Array:
    """A rub: irregular back-and-forth in [-1, 1] between ``t0`` and ``t1`` (s), ``count`` minimum-jerk strokes
    of random length and amplitude (0.5-1), ending at 0. Add it, scaled along a body direction, to a
    waypoint's position track so the hand rubs while it is there. ``[F]``."""
    t = np.asarray(times, dtype=np.float64)
    out = np.zeros_like(t)
    if count <= 0 or t1 <= t0:
        return out
    cuts = np.sort(rng.uniform(t0, t1, size=max(count - 1, 0)))
    edges = np.concatenate([[t0], cuts, [t1]])
    prev = 0.0
    for i in range(count):
        target = (1.0 if i % 2 == 0 else -1.0) * rng.uniform(0.5, 1.0) if i < count - 1 else 0.0
        out += (target - prev) * minimum_jerk((t - edges[i]) / max(edges[i + 1] - edges[i], 0.15))
        prev = target
    return out


def grip_weight(times: Array, plan: ReachPlan, initial: float = 0.0, lead: float = 0.25) -> Array:
    """Finger-grip weight 0..1 per frame: each move with a ``grip`` value closes/opens toward it starting ``lead`` s
    before arrival and finishing just before arrival (facts §4: finger closure starts with the homing phase,
    after ~75% of movement time)."""
    t = np.asarray(times, dtype=np.float64)
    out = np.full_like(t, initial)
    cur = initial
    for m in plan.moves:
        if m.grip is None or m.grip == cur:
            continue
        ld = min(lead, 0.9 * m.duration)
        out = out + (m.grip - cur) * minimum_jerk((t - (m.end - ld)) / (0.9 * ld))
        cur = m.grip
    return out


def anticipation(
    times: Array,
    plan: ReachPlan,
    waypoints: Mapping[str, Waypoint],
    amplitude: float = 0.005,
    lead: float = 0.05,
    rise: float | None = None,
    hold: float = 0.0,
    relax: float = 1.0,
    persistent: bool = False,
    axis_weights: tuple[float, float, float] = (1.0, 0.0, 1.0),
    direction: ArrayLike | None = None,
    home: Iterable[str] | None = None,
    onset_frac: float = 0.0,
) -> Array:
    """Anticipatory pelvis shift ``[F, 3]`` (hips offset, metres) for every move of ``plan``.

    Facts §4 (APA, Zattara & Bouisset 1988): postural muscles act 30-80 ms
    before the arm, the COP moves backward before a forward arm raise; shift
    magnitude 2-10 mm [E]. The pelvis moves opposite to the horizontal
    direction of the hand's travel, starting ``lead`` s before hand onset,
    rising over ``rise`` s (default: until the hand's speed peak), holding
    ``hold`` s and relaxing over ``relax`` s. With ``persistent`` the shift
    is a counterbalance that stays while the hand is away from ``initial``
    (its level is set by the direction from ``initial`` to the move's
    waypoint) and goes back when the hand returns, so the body is still
    while the hand settles on its target. ``axis_weights`` scale the world
    x/y/z parts (default horizontal only). ``direction`` (world, ``[3]`` or
    ``[F, 3]``), if given, replaces the opposite-of-the-hand rule for moves
    away from ``initial``: e.g. backward for a hand-to-mouth, whose hand
    comes back toward the body while the upper arm (most of the arm's mass)
    swings forward. ``home`` (persistent only) names the waypoints where the
    hand is at rest, so no counterbalance is held (default: ``initial``),
    e.g. both the hanging hand and a held pose the arm moves into.
    ``onset_frac`` > 0 measures ``lead`` from the hand's detectable onset (the
    time the move has covered that fraction of its way, see
    :func:`onset_delay`) instead of the move's mathematical start, where a
    minimum-jerk transport has zero speed.
    """
    t = np.asarray(times, dtype=np.float64)
    n = len(t)
    out = np.zeros((n, 3))
    prev = plan.initial
    level = np.zeros(3)
    rest = {plan.initial} if home is None else set(home)
    for m in plan.moves:
        if onset_frac > 0:
            m = replace(m, start=m.start + onset_delay(m, onset_frac))
        if persistent:
            i = int(np.clip(np.searchsorted(t, m.start), 0, n - 1))
            if m.to in rest:
                new = np.zeros(3)
            elif direction is not None:
                dd = row(direction, i) * np.asarray(axis_weights)
                new = amplitude * dd / max(norm3(dd), 1e-9)
            else:
                d = row(waypoints[m.to].position, i) - row(waypoints[plan.initial].position, i)
                d = d * np.asarray(axis_weights)
                norm = norm3(d)
                new = -amplitude * d / norm if norm > 1e-6 else np.zeros(3)
            r = m.peak_at * m.duration + lead if rise is None else rise
            out += (new - level) * minimum_jerk((t - m.start + lead) / r)[:, None]
            level = new
            continue
        i = int(np.clip(np.searchsorted(t, m.start), 0, n - 1))
        p0 = row(waypoints[prev].position, i)
        p1 = row(waypoints[m.to].position, min(i + int(m.duration * (n / max(t[-1], 1e-9))), n - 1))
        d = (p1 - p0) * np.asarray(axis_weights)
        norm = norm3(d)
        if norm > 1e-6:
            r = m.peak_at * m.duration + lead if rise is None else rise
            env = minimum_jerk((t - m.start + lead) / r) - minimum_jerk((t - m.start + lead - r - hold) / relax)
            out -= amplitude * env[:, None] * (d / norm)
        prev = m.to
    return out
