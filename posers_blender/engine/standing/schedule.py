"""The event schedule of a standing clip: when it breathes, sighs, fidgets, shifts its weight, glances, blinks and
gestures, drawn from renewal processes at measured rates without posing anything (so tests can check hours
of schedule in milliseconds).

Each component draws from its own generator (:func:`streams`), so a change to one leaves the others as they
were. Numbers cite ``human_motion_facts.md`` §1 (standing), §4 (reaching) and §6 (fidgeting).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import fitted
from ..breathing import BreathTrack, breath_track
from ..face import blink_times
from ..gaze import Glance, gaze_blinks, plan_glances
from ..noise import renewal_times
from ..params import Params
from ..program import MotionProgram
from .style import GESTURES, RELEASE, RESETTLE, StandingStyle

Array = NDArray[np.float64]

#: Generators in the order they are drawn; a new one goes at the end so the others keep their draws.
STREAMS = (
    "breath",
    "sway",
    "shift",
    "fidget",
    "glance",
    "blink",
    "head",
    "fingers",
    "gesture",
    "render",
    "micro",
    "hands",
    "release",
    "arm_shifts",
)
MIN_FIDGET_GAP_S = 10.0  # a postural excursion and its return take ~2-4 s; two never overlap
MIN_BLINK_GAP_S = 0.35  # a lid cannot blink twice within 0.35 s


@dataclass
class Gesture:
    """One arm gesture: hand onset ``t`` (s), ``kind``, ``side`` (``left``/``right``, ``both`` for a two-handed
    release), phase durations (s)."""

    t: float
    kind: str
    side: str
    rise: float
    hold: float
    fall: float
    strokes: int = 0
    site: int = 0  # which spot of the target region (e.g. mouth, nose, cheek)
    # a two-handed release: the arm that lets go first ("" = both together) and how the other follows it: its
    # delay leaving (s), its rise as a share of ``rise``, its delay coming back (s, < 0 back first), its fall as a
    # share of ``fall``
    lead: str = ""
    follow: tuple[float, float, float, float] = (0.0, 1.0, 0.0, 1.0)

    @property
    def end(self) -> float:
        return self.t + self.rise + self.hold + self.fall


@dataclass
class HandBout:
    """A bout of hand fidgeting at the hand's place: onset ``t`` (s), ``duration`` (s), ``side`` (``left``,
    ``right`` or ``both``) and ``kind`` (``drum``, ``thumb``, ``pick``, ``rub``)."""

    t: float
    duration: float
    side: str
    kind: str


@dataclass
class ArmShift:
    """A hanging arm settling into a slightly different hang: onset ``t`` (s), ``side``, ``duration`` (s) and the
    change it makes (deg): the upper arm ``forward`` and ``out``, the elbow ``elbow`` (more bent > 0)."""

    t: float
    side: str
    duration: float
    forward: float
    out: float
    elbow: float


@dataclass
class Schedule:
    """Event times (s) of one standing clip, drawn without posing anything."""

    breaths: BreathTrack
    sighs: Array
    fidgets: Array
    shifts: Array
    shift_targets: Array  # weight after each shift, -1 (right leg) .. +1 (left leg)
    glances: list[Glance]
    blinks: Array
    gestures: list[Gesture]
    start_weight: float
    hand_bouts: list[HandBout] = field(default_factory=list)
    arm_shifts: list[ArmShift] = field(default_factory=list)

    def gesture_times(self, kinds: tuple[str, ...] | None = None) -> Array:
        return np.asarray([g.t for g in self.gestures if kinds is None or g.kind in kinds])


def streams(rng: np.random.Generator) -> dict[str, np.random.Generator]:
    """One independent generator per component, drawn in a fixed order (a change to one leaves the others)."""
    return {n: np.random.default_rng(rng.integers(0, 2**63 - 1)) for n in STREAMS}


def plan(style: StandingStyle, rngs: dict[str, np.random.Generator], times: Array, duration: float) -> Schedule:
    """Draw the event schedule over the clip's requested ``duration`` (s) and sample the breaths on ``times``.

    Every event is drawn over ``duration``, never over the frame grid: the grid's last time moves with the frame
    rate, and an event inside one span but not the other shifts every later draw of its generator."""
    breaths = breath_track(
        rngs["breath"],
        times,
        style.breath_rate,
        style.ie_ratio,
        style.breath_depth,
        sigh_interval_s=style.sigh_interval,
        duration=duration,
    )
    shifts, shift_targets, start_weight = _weight_shifts(style, rngs["shift"], duration)
    glances = plan_glances(rngs["glance"], duration, style.gaze)
    gestures, sigh_fidgets = _gestures(style, rngs["gesture"], duration, breaths.sighs)
    releases = _releases(style, rngs["release"], duration)
    resettles = _resettles(style, rngs["release"], duration)  # drawn after the releases: those stay as they were
    gestures = sorted(gestures + releases + resettles, key=lambda g: g.t)
    fidgets = _fidgets(
        renewal_times(rngs["fidget"], duration, style.fidget_interval, cv=style.fidget_cv), sigh_fidgets, duration
    )
    return Schedule(
        breaths=breaths,
        sighs=breaths.sighs,
        fidgets=fidgets,
        shifts=shifts,
        shift_targets=shift_targets,
        glances=glances,
        blinks=_blinks(style, rngs["blink"], glances, duration),
        gestures=gestures,
        start_weight=start_weight,
        hand_bouts=_hand_bouts(style, rngs["hands"], duration),
        arm_shifts=_arm_shifts(style, rngs["arm_shifts"], duration),
    )


def lengthen_transports(sched: Schedule, least: Mapping[tuple[int, str], float]) -> Schedule:
    """``sched`` with gesture transports lengthened: ``least[(index, "rise" or "fall")]`` is the shortest that
    gesture's move out or home may take (s). A trial pose finds them (a transport that would turn a joint too
    fast for the distance it turns: a short rise at a high ``gesture_speed``, say)."""
    gestures = list(sched.gestures)
    for (i, phase), d in least.items():
        g = gestures[i]
        gestures[i] = replace(g, rise=max(g.rise, d)) if phase == "rise" else replace(g, fall=max(g.fall, d))
    return replace(sched, gestures=gestures)


def schedule_for(
    program: MotionProgram,
    style_for: Callable[[Params], StandingStyle],
    params: Mapping[str, Any] | None,
    seed: int,
    duration: float,
    fps: float,
) -> Schedule:
    """The event schedule a standing ``program`` would use for these inputs, on a coarse time grid, without posing,
    with exactly the streams the full build draws."""
    from ..sampler import make_context
    from ..skeleton import default_avatar

    ctx = make_context(program, params, seed, fps, duration, default_avatar())
    return plan(style_for(ctx.params), streams(ctx.rng), ctx.times, ctx.duration)


def _weight_shifts(style: StandingStyle, rng: np.random.Generator, duration: float) -> tuple[Array, Array, float]:
    """Weight-shift onsets (s), the weight after each (-1 right leg .. +1 left leg) and the starting weight; each
    shift goes to the other leg (facts §1: every 3-5 min, Duarte & Zatsiorsky 2000)."""
    shifts = renewal_times(rng, duration, style.shift_interval, cv=style.shift_cv)
    side = float(rng.choice([-1.0, 1.0]))
    start_weight = side * style.one_leg * rng.uniform(0.5, 1.0)
    targets = []
    for _ in shifts:
        side = -side
        targets.append(side * style.shift_amount * (style.one_leg * rng.uniform(0.6, 1.0) + (1 - style.one_leg) * 0.5))
    return shifts, np.asarray(targets), start_weight


def _gestures(
    style: StandingStyle, rng: np.random.Generator, duration: float, sighs: Array
) -> tuple[list[Gesture], list[float]]:
    """The arm gestures (sorted by onset, inside the clip) and the onsets of postural fidgets that sighs start.

    Gestures come at ``gesture_interval`` with kinds drawn from ``gesture_kinds``; a sigh starts a fidget or a
    gesture with chance ``sigh_gesture``, 1-2 s into its exhale (issue 5)."""
    gestures: list[Gesture] = []
    kinds = [k for k, _ in style.gesture_kinds]
    weights = np.asarray([w for _, w in style.gesture_kinds], dtype=np.float64)
    if kinds and style.gesture_interval > 0:
        weights = weights / weights.sum()
        for t in renewal_times(rng, duration, style.gesture_interval, cv=style.gesture_cv):
            kind = str(rng.choice(kinds, p=weights))
            gestures.append(_make_gesture(rng, t, kind, _pick_side(rng, style.handedness), style.gesture_speed))
    sigh_fidgets = []
    for s in sighs:
        if rng.uniform() < style.sigh_gesture:
            if kinds and rng.uniform() < 0.5:
                kind = str(rng.choice(kinds, p=weights))
                onset = s + rng.uniform(1.0, 2.0)
                gestures.append(_make_gesture(rng, onset, kind, _pick_side(rng, style.handedness), style.gesture_speed))
            else:
                sigh_fidgets.append(s + rng.uniform(1.0, 2.0))
    gestures.sort(key=lambda g: g.t)
    return [g for g in gestures if g.t < duration], sigh_fidgets


def _pick_side(rng: np.random.Generator, handedness: str) -> str:
    if handedness == "both":
        return str(rng.choice(["left", "right"]))
    other = "left" if handedness == "right" else "right"
    return handedness if rng.uniform() < 0.75 else other


def _make_gesture(rng: np.random.Generator, t: float, kind: str, side: str, speed: float) -> Gesture:
    sp = GESTURES[kind]
    k = 1.0 / max(speed, 0.2)
    return Gesture(
        t=float(t),
        kind=kind,
        side=side,
        # transports keep their measured durations (facts §4: to the face 0.8-1.0 s, away 0.9-1.4 s); a
        # nervous character touches more often and holds shorter, it does not snap its hand faster
        rise=rng.uniform(*sp.rise),
        # log-normal holds (CV ~0.6) inside the kind's range: most short, a few long, like contact times
        hold=float(np.clip(rng.lognormal(np.log(np.mean(sp.hold)) - 0.18, 0.6), *sp.hold)) * k,
        fall=rng.uniform(*sp.fall),
        strokes=int(rng.integers(sp.strokes[0], sp.strokes[1] + 1)),
        site=int(rng.integers(0, 4)),
    )


#: A two-handed release is two arms, not one: the other arm follows the first 0.1-0.5 s later, at its own pace
#: (0.85-1.2x), and comes back up to 0.3 s before or 0.5 s after it [E]. Let go in lockstep, the contracted arms
#: of nervous-fidget moved as one (their wrists' speeds correlating 0.96 against ReActIdle's 0.26, realism check).
FOLLOW_LAG_S = (0.1, 0.5)
FOLLOW_BACK_S = (-0.3, 0.5)
FOLLOW_PACE = (0.85, 1.2)


def _releases(style: StandingStyle, rng: np.random.Generator, duration: float) -> list[Gesture]:
    """The held arm pose let go (``release`` gestures) every ``release_interval`` s on average: mostly both arms
    (a one-armed release swings the centre of mass sideways), one after the other, which hang for a log-normal
    hold inside ``release_hold``."""
    out = []
    sp = GESTURES[RELEASE]
    lo, hi = style.release_hold
    for t in renewal_times(rng, duration, style.release_interval, cv=0.6):
        side = "both" if rng.uniform() < 0.7 else str(rng.choice(["left", "right"]))
        hold = float(np.clip(rng.lognormal(np.log(0.5 * (lo + hi)) - 0.18, 0.6), lo, hi))
        g = Gesture(float(t), RELEASE, side, rng.uniform(*sp.rise), hold, rng.uniform(*sp.fall))
        if side == "both":
            g.lead = str(rng.choice(["left", "right"]))
            g.follow = (
                float(rng.uniform(*FOLLOW_LAG_S)),
                float(rng.uniform(*FOLLOW_PACE)),
                float(rng.uniform(*FOLLOW_BACK_S)),
                float(rng.uniform(*FOLLOW_PACE)),
            )
        out.append(g)
    return out


def _resettles(style: StandingStyle, rng: np.random.Generator, duration: float) -> list[Gesture]:
    """Each held hand's slides to another spot of its held pose every ``resettle_interval`` s on average (none when
    0): a short move, a log-normal hold there, and back."""
    if style.resettle_interval <= 0:
        return []
    return [
        _make_gesture(rng, t, RESETTLE, side, 1.0)
        for side in ("left", "right")
        for t in renewal_times(rng, duration, style.resettle_interval, cv=0.6)
    ]


def _hand_bouts(style: StandingStyle, rng: np.random.Generator, duration: float) -> list[HandBout]:
    """Hand-fidget bouts every ``hand_fidget_interval`` s on average (gap from one onset to the next), kinds drawn
    from ``hand_fidget_kinds``, mostly the preferred hand, sometimes both hands."""
    kinds = [k for k, _ in style.hand_fidget_kinds]
    if not kinds:
        return []
    weights = np.asarray([w for _, w in style.hand_fidget_kinds], dtype=np.float64)
    weights = weights / weights.sum()
    out = []
    for t in renewal_times(rng, duration, style.hand_fidget_interval, cv=style.hand_fidget_cv):
        kind = str(rng.choice(kinds, p=weights))
        side = "both" if rng.uniform() < 0.25 else _pick_side(rng, style.handedness)
        out.append(HandBout(float(t), float(rng.uniform(*style.hand_fidget_duration)), side, kind))
    return out


#: A hanging arm's re-placements are the fitted arm events (ReActIdle: wrist moves of 4 cm or more in the trunk's
#: frame, 1.8-2 a minute per arm, 0.5-9 s each; docs/fitted_stats.md) that stay this small: the larger ones (to
#: 52 cm) carry the hand to another pose (in front, into a pocket), which the hanging arms do not hold.
ARM_SHIFT_MAX_M = 0.10
#: The default avatar's shoulder-to-wrist length (m): the fitted wrist travel was measured on it, so travel / this
#: is the angle an arm of any length turns.
FITTED_ARM_M = 0.548
#: How an arm's re-placement divides among upper arm forward, upper arm out and the elbow (relative SDs of a
#: random direction) [E]: a relaxed arm swings forward and back most, and abducts little.
ARM_SHIFT_AXES = np.array([1.0, 0.35, 0.8])


def _arm_shifts(style: StandingStyle, rng: np.random.Generator, duration: float) -> list[ArmShift]:
    """The hanging arms' re-placements: the fitted arm events (``arm_shifts`` x their rate; their times, durations
    and wrist travel, not their offsets) up to :data:`ARM_SHIFT_MAX_M`, each a turn of ``travel / arm length`` in a
    random direction, mostly (the fitted ``p_toward_centre``) the one that brings the arm back toward its hang."""
    if style.arm_shifts <= 0:
        return []
    events = fitted.posture_events(rng, duration, kinds=("left_arm", "right_arm"), rate_scale=style.arm_shifts)
    toward = {kind: fitted.toward_centre(kind) for kind in ("left_arm", "right_arm")}
    state = {"left": np.zeros(3), "right": np.zeros(3)}
    out = []
    for e in events:
        if e.amplitude > ARM_SHIFT_MAX_M:
            continue
        side = e.kind.split("_")[0]
        direction = rng.standard_normal(3) * ARM_SHIFT_AXES
        delta = np.degrees(e.amplitude / FITTED_ARM_M) * direction / max(float(np.linalg.norm(direction)), 1e-9)
        closer = np.linalg.norm(state[side] + delta) < np.linalg.norm(state[side] - delta)
        if closer != (rng.uniform() < toward[e.kind]):
            delta = -delta
        state[side] = state[side] + delta
        out.append(ArmShift(e.t, side, e.duration, float(delta[0]), float(delta[1]), float(delta[2])))
    return out


def _fidgets(renewal: Array, sigh_fidgets: list[float], duration: float) -> Array:
    """Postural fidget onsets: the renewal stream and the sighs' fidgets, at least ``MIN_FIDGET_GAP_S`` apart (a
    sigh's fidget replaces none and crowds none)."""
    merged: list[float] = []
    for f in np.sort(np.concatenate([renewal, np.asarray(sigh_fidgets)])):
        if f < duration and (not merged or f - merged[-1] >= MIN_FIDGET_GAP_S):
            merged.append(float(f))
    return np.asarray(merged)


def _blinks(style: StandingStyle, rng: np.random.Generator, glances: list[Glance], duration: float) -> Array:
    """Blink onsets: gaze shifts bring blinks of their own (:func:`~..gaze.gaze_blinks`), the spontaneous stream
    makes up the rest so the total stays near ``blink_rate`` (facts §1), at least ``spontaneous_blinks`` of it."""
    extra = gaze_blinks(rng, glances)
    extra_per_min = 60.0 * len(extra) / max(duration, 1e-9)
    spont = blink_times(
        rng, duration, max(style.blink_rate - extra_per_min, style.spontaneous_blinks * style.blink_rate)
    )
    keep: list[float] = []
    for b in np.sort(np.concatenate([spont, extra])):
        if b < duration and (not keep or b - keep[-1] >= MIN_BLINK_GAP_S):
            keep.append(float(b))
    return np.asarray(keep)
