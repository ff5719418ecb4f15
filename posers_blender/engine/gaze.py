"""Gaze shifts as events: eyes, head, neck and chest shares, blinks around shifts.

Facts file §9: a gaze shift of up to about 15° is made by the eyes alone; above
about 20-25° the head joins and the eye amplitude saturates near 35°. Reactive
glances (to something that caught the eye) start with the eyes 20-50 ms before
the head; planned, self-initiated ones move eyes and head together (±10 ms).
Saccade duration ≈ 21 ms + 2.2 ms/°. Head peak speed in idle stays far below
300°/s (mean daily peak 104°/s for 58° turns, facts §1). 72% of daily head
turns happen without the trunk (facts §1), so the chest only takes a share of
large turns. Blinks cluster around gaze shifts, more so when the head moves.

Besides plain glances a :class:`GazeStyle` can ask for gaze aversion (an averted
resting gaze with brief looks back, ``eye_contact``) and thinking pauses (up and
aside with long holds, ``thinking_gaze``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .curves import minimum_jerk
from .noise import renewal_times

Array = NDArray[np.float64]

EYE_ONLY_DEG = 12.0  # facts §9: below ~15-20° the head barely moves
EYE_MAX_DEG = 30.0  # eye-in-head amplitude saturates (facts §9: ~35°)
CHEST_FROM_DEG = 35.0  # the chest joins only turns larger than this [E]


@dataclass
class Glance:
    """One gaze shift away and back.

    ``t`` onset (s); ``yaw``/``pitch`` the gaze offset (deg, +yaw to the avatar's
    left, +pitch up) from the resting gaze; ``hold`` the fixation time (s);
    ``reactive`` True when the eyes lead the head; ``kind`` a marker name.
    """

    t: float
    yaw: float
    pitch: float
    hold: float
    reactive: bool
    kind: str = "glance"


@dataclass(frozen=True)
class GazeStyle:
    """How a character looks around. Angles in degrees, times in seconds."""

    interval: float = 14.0  # mean time between glances [E]
    cv: float = 0.8  # interval CV [E]
    yaw_range: tuple[float, float] = (6.0, 35.0)
    pitch_range: tuple[float, float] = (-8.0, 5.0)
    hold_range: tuple[float, float] = (0.6, 2.5)
    reactive_share: float = 0.5
    rest_pitch: float = 0.0  # resting gaze offset (gaze aversion: down)
    rest_yaw: float = 0.0
    aversion: float = 0.0  # 0..1: share of glances that are short looks back to the viewer from an averted rest
    contact_hold: float = 1.2  # eye-contact bout length when averted (facts §6: <= 2 s)
    thinking: float = 0.0  # 0..1: share of glances that go up-and-aside with long holds ("thinking pauses")


def plan_glances(rng: np.random.Generator, duration: float, style: GazeStyle) -> list[Glance]:
    """Glance events over ``[0, duration)`` from a gamma renewal process."""
    out: list[Glance] = []
    for t in renewal_times(rng, duration, style.interval, cv=style.cv):
        u = rng.uniform()
        if u < style.aversion:
            # back to the viewer from the averted rest gaze, briefly (facts §6: eye contact <= 2 s)
            out.append(
                Glance(
                    float(t),
                    -style.rest_yaw + rng.normal(0, 2.0),
                    -style.rest_pitch + rng.normal(0, 1.5),
                    float(np.clip(rng.gamma(4.0, style.contact_hold / 4.0), 0.3, 2.0)),
                    True,
                    "eye_contact",
                )
            )
            continue
        if u < style.aversion + style.thinking:
            out.append(
                Glance(
                    float(t),
                    rng.uniform(12.0, 28.0) * rng.choice([-1.0, 1.0]),
                    rng.uniform(5.0, 14.0),
                    rng.uniform(2.0, 6.0),
                    False,
                    "thinking_gaze",
                )
            )
            continue
        yaw = rng.uniform(*style.yaw_range) * rng.choice([-1.0, 1.0])
        pitch = rng.uniform(*style.pitch_range)
        out.append(Glance(float(t), yaw, pitch, rng.uniform(*style.hold_range), rng.uniform() < style.reactive_share))
    return out


@dataclass
class GazeTracks:
    """Per-frame angles (deg): total ``gaze`` yaw/pitch, and the shares taken by head+neck and chest."""

    gaze_yaw: Array
    gaze_pitch: Array
    head_yaw: Array
    head_pitch: Array
    chest_yaw: Array


def _move(t: Array, t0: float, dur: float) -> Array:
    return minimum_jerk((t - t0) / max(dur, 1e-3))


def gaze_tracks(t: Array, glances: list[Glance], style: GazeStyle, rng: np.random.Generator) -> GazeTracks:
    """Render glances into eye/head/chest angle tracks (vectorised over ``t``)."""
    n = len(t)
    gy = np.full(n, style.rest_yaw)
    gp = np.full(n, style.rest_pitch)
    # the head carries part of the resting offset (people look down with the head too)
    hy = np.full(n, 0.6 * style.rest_yaw)
    hp = np.full(n, 0.6 * style.rest_pitch)
    cy = np.zeros(n)
    for g in glances:
        amp = float(np.hypot(g.yaw, g.pitch))
        eye_dur = 0.021 + 0.0022 * amp  # facts §9 main sequence
        head_amp_y = np.sign(g.yaw) * max(0.0, abs(g.yaw) - EYE_ONLY_DEG)
        head_amp_y = np.sign(g.yaw) * max(abs(head_amp_y), abs(g.yaw) - EYE_MAX_DEG)
        head_amp_p = 0.5 * np.sign(g.pitch) * max(0.0, abs(g.pitch) - 4.0)
        chest_amp = 0.25 * np.sign(g.yaw) * max(0.0, abs(g.yaw) - CHEST_FROM_DEG)
        # head duration: ~100°/s average speed for large turns (facts §1 peak 104°/s mean) [D]
        head_dur = 0.35 + abs(head_amp_y) / 90.0
        # facts §9: reactive = eyes lead by 20-50 ms, planned = together (±10 ms), as *measured* onsets
        # (metrics B8: speed above 5% of its peak). A minimum-jerk move crosses 5% of its peak speed at
        # 5.6% of its duration, so the slower head's programmed start is moved up by the difference.
        bias = 0.056 * (head_dur - eye_dur)
        lead = (rng.uniform(0.02, 0.05) if g.reactive else rng.uniform(-0.01, 0.01)) - bias
        back = g.t + max(lead, 0.0) + head_dur + g.hold
        back_dur = 1.25 * head_dur  # returns are slower and self-initiated (eyes and head together)
        e_out = _move(t, g.t, eye_dur) - _move(t, back, eye_dur * 1.2)
        h_out = _move(t, g.t + lead, head_dur) - _move(t, back, back_dur)
        c_out = _move(t, g.t + lead + 0.05, head_dur * 1.2) - _move(t, back + 0.05, back_dur * 1.2)
        gy += g.yaw * e_out
        gp += g.pitch * e_out
        hy += head_amp_y * h_out
        hp += head_amp_p * h_out
        cy += chest_amp * c_out
    # the eye in its orbit saturates (facts §9: ~35°): the gaze can only run ahead of the head that far
    gy = np.clip(gy, hy + cy - EYE_MAX_DEG, hy + cy + EYE_MAX_DEG)
    gp = np.clip(gp, hp - 0.8 * EYE_MAX_DEG, hp + 0.8 * EYE_MAX_DEG)
    return GazeTracks(gy, gp, hy, hp, cy)


def gaze_blinks(rng: np.random.Generator, glances: list[Glance]) -> Array:
    """Blink onsets (s) that gaze shifts bring: most head-moving shifts carry one at the start, smaller
    shifts less often, the return sometimes (facts §9 / issue 5: blinks are more frequent around gaze
    shifts) [E on the probabilities]."""
    out: list[float] = []
    for g in glances:
        p_blink = 0.8 if abs(g.yaw) > EYE_ONLY_DEG else 0.35
        if rng.uniform() < p_blink:
            out.append(g.t + rng.uniform(0.0, 0.05))
        if rng.uniform() < 0.5 * p_blink:
            out.append(g.t + g.hold + rng.uniform(0.3, 0.6))
    return np.asarray(sorted(out))
