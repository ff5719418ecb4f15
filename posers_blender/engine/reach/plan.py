"""What a reach is: waypoints, moves and plans, and the speed profile each move follows.

Times in seconds; positions metres in normalised humanoid space; rotations (w, x, y, z).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..curves import minimum_jerk

Array = NDArray[np.float64]

_PROFILE_SAMPLES = 2049


@lru_cache(maxsize=32)
def _profile_table(a: float, b: float) -> tuple[Array, Array]:
    u = np.linspace(0.0, 1.0, _PROFILE_SAMPLES)
    v = u**a * (1.0 - u) ** b
    # cumulative trapezoid, normalised to end at 1
    c = np.concatenate([[0.0], np.cumsum(0.5 * (v[1:] + v[:-1]) * np.diff(u))])
    return u, c / c[-1]


def speed_profile(u: ArrayLike, peak_at: float = 0.5) -> Array:
    """Position 0 -> 1 over ``u`` in [0, 1] (clamped) with one bell-shaped speed peak at ``peak_at``.

    The speed is proportional to ``u^a (1 - u)^b`` with ``a/(a+b) = peak_at``
    and the smaller exponent 2, so velocity and acceleration are zero at both
    ends. ``peak_at = 0.5`` is exactly the minimum-jerk profile (Flash & Hogan
    1985, facts §4); an earlier peak gives the long deceleration of accurate
    movements toward the face (facts §4: 0.40-0.45).
    """
    if not 0.2 <= peak_at <= 0.8:
        raise ValueError(f"peak_at = {peak_at} must be within 0.2-0.8")
    if abs(peak_at - 0.5) < 1e-9:
        return minimum_jerk(u)
    a, b = (2.0, 2.0 * (1.0 - peak_at) / peak_at) if peak_at < 0.5 else (2.0 * peak_at / (1.0 - peak_at), 2.0)
    tu, tc = _profile_table(round(a, 9), round(b, 9))
    return np.interp(np.clip(np.asarray(u, dtype=np.float64), 0.0, 1.0), tu, tc)


@dataclass(frozen=True)
class Waypoint:
    """Where the effector goes: ``position [3] | [F, 3]`` (world), the hand's world ``rotation [4] | [F, 4]``
    there, and the elbow ``pole`` (world direction from the shoulder, ``[3] | [F, 3]``).

    ``effector`` (``[3]``, metres in the hand bone's frame), if given, is the point of the hand that lands on
    ``position`` here instead of the plan's effector: the fingertips on the lips, the palm on a hip, the
    knuckles under the chin. A track ``position`` may move while the hand is there: a rub or a slow drift is
    a waypoint that moves (see :func:`strokes`).
    """

    position: ArrayLike
    rotation: ArrayLike
    pole: ArrayLike
    effector: ArrayLike | None = None


@dataclass(frozen=True)
class Move:
    """One transport of the effector to waypoint ``to``, starting (hand onset) at ``start`` for ``duration`` s.

    ``bulge`` is a world hint direction for the sideways arc (its component
    perpendicular to the chord is used); ``curvature`` is the largest path
    deviation as a fraction of the chord. The overshoot runs along the
    approach unless ``overshoot_dir`` (world) is given, e.g. along the face
    rather than into it. ``grip`` (0..1), if given, is the
    finger-grip weight reached on arrival (see :func:`grip_weight`).
    ``elbow_by_angle`` makes the elbow's delayed progress run on its flexion
    angle rather than on the shoulder-wrist distance: from a nearly straight
    arm (a hanging hand) the distance barely changes while the angle already
    moves fast, so by distance the elbow would seem to start before the
    shoulder; by angle it starts ``elbow_delay`` after it.
    """

    start: float
    duration: float
    to: str
    peak_at: float = 0.43
    curvature: float = 0.12
    bulge: tuple[float, float, float] = (0.0, 0.0, 1.0)
    overshoot: float = 0.005
    settle: float = 0.3
    overshoot_dir: tuple[float, float, float] | None = None
    elbow_delay: float = 0.04
    wrist_delay: float = 0.08
    grip: float | None = None
    elbow_by_angle: bool = False

    @property
    def end(self) -> float:
        return self.start + self.duration


@dataclass(frozen=True)
class ReachPlan:
    """An arm's reach schedule: ``side`` (``left``/``right``), the ``initial`` waypoint name, ``moves`` in time
    order, and the ``effector`` offset (metres) in the hand bone's frame."""

    side: str
    initial: str
    moves: tuple[Move, ...]
    effector: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def __post_init__(self) -> None:
        if self.side not in ("left", "right"):
            raise ValueError(f"side must be 'left' or 'right', not {self.side!r}")
        for m0, m1 in zip(self.moves, self.moves[1:]):
            if m1.start < m0.end - 1e-9:
                raise ValueError(
                    f"moves overlap: one to '{m0.to}' ends at {m0.end:.3f} s, next starts {m1.start:.3f} s"
                )
        for m in self.moves:
            if m.elbow_delay < 0 or m.wrist_delay < m.elbow_delay or m.wrist_delay >= m.duration:
                raise ValueError("need 0 <= elbow_delay <= wrist_delay < duration (proximal-to-distal order)")


def move_progress(times: Array, m: Move) -> tuple[Array, Array, Array]:
    """(shoulder, elbow, wrist) progress 0..1 per frame for one move: staggered onsets, common arrival."""
    t = np.asarray(times, dtype=np.float64)
    s_dir = speed_profile((t - m.start) / m.duration, m.peak_at)
    s_rad = speed_profile((t - m.start - m.elbow_delay) / (m.duration - m.elbow_delay), m.peak_at)
    s_wr = speed_profile((t - m.start - m.wrist_delay) / (m.duration - m.wrist_delay), m.peak_at)
    return s_dir, s_rad, s_wr


@lru_cache(maxsize=32)
def peak_rate(peak_at: float) -> float:
    """The speed peak of :func:`speed_profile` over a unit move (its progress per unit time at the peak): 1.875
    for the minimum-jerk ``peak_at = 0.5``, 2.0 for ``0.43``. A move turning a joint by ``a`` deg over ``T`` s
    turns it at ``peak_rate * a / T`` deg/s at the peak."""
    u = np.linspace(0.0, 1.0, 4097)
    return float(np.max(np.gradient(speed_profile(u, peak_at), u)))


def least_duration(m: Move, turns: tuple[float, float, float], max_speed: float) -> float:
    """The shortest duration (s) for ``m`` that turns the upper arm, forearm and hand by ``turns`` (deg; they
    follow the shoulder's, the elbow's and the wrist's progress, the latter two ``elbow_delay`` and
    ``wrist_delay`` late) with none of them faster than ``max_speed`` (deg/s) at its speed peak."""
    k = peak_rate(m.peak_at)
    lags = (0.0, m.elbow_delay, m.wrist_delay)
    return max(lag + k * turn / max_speed for lag, turn in zip(lags, turns, strict=True))


def onset_delay(m: Move, frac: float = 0.05) -> float:
    """Seconds after ``m.start`` at which the move has covered ``frac`` of its way (its shoulder progress):
    where a speed threshold first sees the hand move (a minimum-jerk start has zero speed)."""
    u = np.linspace(0.0, 1.0, 1025)
    return float(np.interp(frac, speed_profile(u, m.peak_at), u)) * m.duration


def speed(points: Array, fps: float) -> Array:
    """Tangential speed ``[F]`` (m/s) of a point track ``[F, 3]`` by central differences."""
    return np.linalg.norm(np.gradient(np.asarray(points, dtype=np.float64), 1.0 / fps, axis=0), axis=-1)


def segment_indices(times: Array, windows: Sequence[tuple[float, float, str]]) -> list[tuple[int, int, str]]:
    """Frame index ranges ``[i0, i1)`` of move windows."""
    t = np.asarray(times)
    return [(int(np.searchsorted(t, a)), int(np.searchsorted(t, b)), name) for a, b, name in windows]
