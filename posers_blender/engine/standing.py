"""A standing body shared by every standing motion: posture, breathing, sway, weight shifts, gestures, gaze.

A motion describes *who* is standing with a :class:`StandingStyle` (posture
angles, rates, amplitudes, arm mode) and this module makes the clip:

1. :func:`plan` draws the event schedule (breaths, sighs, postural fidgets,
   weight shifts, glances, blinks, arm gestures) from renewal processes at
   measured rates, without posing anything, so tests can check hours of
   schedule in milliseconds.
2. :func:`build` renders it vectorised over the clip: pelvis travel over the
   support foot, breathing on the thoracic bones, sway, gaze (eyes, head, neck,
   chest shares), arms and hands, and leg IK that keeps both feet planted.

Arms: every hand movement is a reach (:mod:`posers_blender.engine.reach`, the
same primitive smoking uses). :func:`plan_arms` turns the gesture schedule into
one :class:`~posers_blender.engine.reach.ReachPlan` per arm (one ``Move`` per
transport: out to the target with its speed peak at 0.43 T, a contact hold,
back home; held poses such as hands on hips or the fist at the chin are the
arm's home, entered and left by a move). Each waypoint is a contact point of
the hand (fingertips, palm, knuckles) on a body target tracked per frame (lips,
chin, neck, hip, the other arm), a designed hand orientation and an elbow pole
low and out; rubs and wringing are strokes of the held waypoint. The solver
gives the shoulder -> elbow -> wrist cascade, curved paths, overshoot and
settle; the clavicle leads, the fingers follow, and the pelvis shifts before
the hand leaves (APA, :func:`reach.anticipation`). A gesture the avatar cannot
reach is dropped (no marker).

Gestures are not states: envelopes compose, so they overlap with breathing and
with each other. A sigh can start a gesture or a postural fidget
(``sigh_gesture``).

Numbers cite ``human_motion_facts.md`` (§1 standing, §4 reaching, §6 fidgeting,
§7 postures, §9 timing); [E] marks estimates, which are style fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import humanoid as hm
from . import quat, reach
from .breathing import BreathTrack, breath_track
from .curves import bump, minimum_jerk
from .face import blink_times, blink_track
from .gaze import GazeStyle, Glance, gaze_blinks, gaze_tracks, plan_glances
from .hand import curl_fingers
from .noise import noise_track, renewal_times
from .params import Params
from .program import HINGE_AXES, Context, MotionProgram, Tracks
from .skeleton import Skeleton
from .springs import damp_track

Array = NDArray[np.float64]
X = np.array([1.0, 0.0, 0.0])
Y = np.array([0.0, 1.0, 0.0])
Z = np.array([0.0, 0.0, 1.0])
SIDES = (("left", 1.0), ("right", -1.0))

MIN_FIDGET_GAP_S = 10.0  # a postural excursion and its return take ~2-4 s; two never overlap

STREAMS = ("breath", "sway", "shift", "fidget", "glance", "blink", "head", "fingers", "gesture", "render")

#: Self-touch gesture kinds (facts §6 menu) and the marker each emits.
HELD_POSES = ("hips", "contract", "chin", "support")
SELF_TOUCH = ("face_touch", "neck_touch", "arm_rub", "hand_wring")


def rot(axis: Array, deg: Array | float) -> Array:
    """Quaternion(s) for ``deg`` degrees about ``axis`` (broadcasts over ``deg``)."""
    return quat.from_axis_angle(axis, np.radians(np.asarray(deg, dtype=np.float64)))


@dataclass(frozen=True)
class GestureSpec:
    """Timing ranges of one gesture kind (s); ``strokes`` rubbing strokes during the hold (min, max)."""

    rise: tuple[float, float]
    hold: tuple[float, float]
    fall: tuple[float, float]
    strokes: tuple[int, int] = (0, 0)


# Facts §4: hand-to-face transport about 0.8-1.0 s, away 0.9-1.4 s; B10 contact hold 1-5 s [E].
GESTURES: dict[str, GestureSpec] = {
    "face_touch": GestureSpec((0.7, 1.0), (1.0, 4.0), (0.8, 1.3)),
    "neck_touch": GestureSpec((0.8, 1.1), (1.0, 3.5), (0.9, 1.3), (0, 3)),
    "arm_rub": GestureSpec((0.6, 0.9), (1.2, 3.5), (0.8, 1.2), (2, 5)),
    "hand_wring": GestureSpec((0.6, 0.9), (1.5, 4.5), (0.8, 1.2), (2, 6)),
    "hip_touch": GestureSpec((0.7, 1.0), (2.0, 6.0), (0.9, 1.3)),
    "chin_rub": GestureSpec((0.3, 0.5), (1.5, 4.0), (0.3, 0.5), (2, 4)),
    "hand_change": GestureSpec((0.8, 1.2), (4.0, 12.0), (0.8, 1.2)),
}


@dataclass
class Gesture:
    """One arm gesture: hand onset ``t`` (s), ``kind``, ``side`` (``left``/``right``), phase durations (s)."""

    t: float
    kind: str
    side: str
    rise: float
    hold: float
    fall: float
    strokes: int = 0
    site: int = 0  # which spot of the target region (e.g. mouth, nose, cheek)

    @property
    def end(self) -> float:
        return self.t + self.rise + self.hold + self.fall


@dataclass(frozen=True)
class StandingStyle:
    """Everything that distinguishes one standing motion from another.

    Angles in degrees, lengths in metres for a 1.65 m avatar (scaled by leg
    length), times in seconds, rates per minute.
    """

    # posture (facts §7)
    chest_ext: float = 0.0  # thoracic extension (+ chest up), spread over spine/chest/upperChest
    head_pitch: float = 0.0  # + head up
    head_roll: float = 0.0  # + toward the avatar's left shoulder
    shoulder_raise: float = 0.0  # clavicle elevation
    shoulder_back: float = 0.0  # clavicle retraction (+ back, - rounded forward)
    stance_width: float = 0.0  # extra outward placement of each foot (m)
    toe_out: float = 7.0  # facts §1: about 14° between the feet
    support_knee: float = 4.0  # knee bend of the straighter (support) leg; the hips height follows from it
    arm_mode: str = "sides"  # sides | hips | contract | chin
    arm_hang: float = 8.0  # upper-arm angle out from vertical (sides)
    arm_forward: float = 4.0  # upper-arm flexion (sides)
    elbow_flex: float = 14.0
    finger_curl: float = 18.0
    support_side: str = "right"  # arm_mode chin: which hand holds the chin
    # breathing (facts §1)
    breath_rate: float = 14.0
    ie_ratio: float = 1.5
    breath_depth: float = 1.0
    sigh_interval: float = 300.0
    # sway (facts §1; anxiety §6)
    sway: float = 1.0  # 1 = AP RMS ~4 mm, ML ~2.5 mm
    sway_freq: float = 1.0  # scales the sway component frequencies
    # postural fidgets and weight shifts (facts §1, Duarte & Zatsiorsky 2000)
    fidget_interval: float = 55.0
    fidget_cv: float = 0.45  # Duarte: 59 ± 15 s across people; within a person less regular [E]
    fidget_amp: float = 0.011
    shift_interval: float = 240.0
    shift_cv: float = 0.7
    shift_amount: float = 1.0  # 1 = full shift over one leg (pelvis 22 mm ML, facts §1)
    shift_duration: float = 1.6
    one_leg: float = 0.8  # 0 = weight on both legs, 1 = fully on one leg between shifts
    # gaze and blinks
    gaze: GazeStyle = field(default_factory=GazeStyle)
    blink_rate: float = 15.0
    head_motion: float = 1.0
    head_share: float = 1.0  # scales the head's part of gaze shifts (a chin resting on a hand turns less)
    eye_level: float = 0.7  # share of the posture's head pitch the eyes undo (1 = eyes level; chin-down stare)
    # gestures (facts §6 / metrics B10: calm 0.2-0.8 self-touches per minute)
    gesture_interval: float = 150.0
    gesture_cv: float = 0.8
    gesture_kinds: tuple[tuple[str, float], ...] = (("face_touch", 0.6), ("neck_touch", 0.2), ("arm_rub", 0.2))
    gesture_speed: float = 1.0  # >1 faster and shorter
    handedness: str = "right"  # preferred hand: left | right | both
    sigh_gesture: float = 0.4  # chance that a sigh starts a fidget or gesture
    # proximal-to-distal lags (facts §4: 20-60 ms per joint [E]) and the anticipatory shift (APA)
    shoulder_lead: float = 0.03
    elbow_lag: float = 0.07
    wrist_lag: float = 0.12
    finger_lag: float = 0.12
    apa_lead: float = 0.05  # facts §4: pelvis shift 30-80 ms before the hand leaves
    apa_amp: float = 0.005  # facts §4: 2-10 mm [E]
    # transitions into and out of the held arm pose (arm_mode chin / hips)
    enter: float = 0.0  # s; 0 = start in the pose
    leave: float = 0.0
    # lean the upper back on a wall: the wall plane's z (m, normalised space; None = no wall)
    wall_z: float | None = None
    # layer weights
    breathing_weight: float = 1.0
    sway_weight: float = 1.0
    gesture_weight: float = 1.0
    gaze_weight: float = 1.0


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

    def gesture_times(self, kinds: tuple[str, ...] | None = None) -> Array:
        return np.asarray([g.t for g in self.gestures if kinds is None or g.kind in kinds])


def streams(rng: np.random.Generator) -> dict[str, np.random.Generator]:
    """One independent generator per component, drawn in a fixed order (a change to one leaves the others)."""
    return {n: np.random.default_rng(rng.integers(0, 2**63 - 1)) for n in STREAMS}


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


def plan(style: StandingStyle, rngs: dict[str, np.random.Generator], times: Array) -> Schedule:
    """Draw the event schedule for the time grid ``times`` (only its span and breath sampling matter)."""
    duration = float(times[-1]) + (float(times[1] - times[0]) if len(times) > 1 else 0.0)
    breaths = breath_track(
        rngs["breath"],
        times,
        style.breath_rate,
        style.ie_ratio,
        style.breath_depth,
        sigh_interval_s=style.sigh_interval,
    )
    fidgets = renewal_times(rngs["fidget"], duration, style.fidget_interval, cv=style.fidget_cv)
    rs = rngs["shift"]
    shifts = renewal_times(rs, duration, style.shift_interval, cv=style.shift_cv)
    side = float(rs.choice([-1.0, 1.0]))
    start_weight = side * style.one_leg * rs.uniform(0.5, 1.0)
    targets = []
    for _ in shifts:
        side = -side
        targets.append(side * style.shift_amount * (style.one_leg * rs.uniform(0.6, 1.0) + (1 - style.one_leg) * 0.5))
    glances = plan_glances(rngs["glance"], duration, style.gaze)
    rg = rngs["gesture"]
    gestures: list[Gesture] = []
    kinds = [k for k, _ in style.gesture_kinds]
    weights = np.asarray([w for _, w in style.gesture_kinds], dtype=np.float64)
    if kinds and style.gesture_interval > 0:
        weights = weights / weights.sum()
        for t in renewal_times(rg, duration, style.gesture_interval, cv=style.gesture_cv):
            kind = str(rg.choice(kinds, p=weights))
            gestures.append(_make_gesture(rg, t, kind, _pick_side(rg, style.handedness), style.gesture_speed))
    # A sigh can start a fidget: the exhale carries a small postural excursion or a gesture (issue 5).
    sigh_fidgets = []
    for s in breaths.sighs:
        if rg.uniform() < style.sigh_gesture:
            if kinds and rg.uniform() < 0.5:
                kind = str(rg.choice(kinds, p=weights))
                gestures.append(
                    _make_gesture(
                        rg, s + rg.uniform(1.0, 2.0), kind, _pick_side(rg, style.handedness), style.gesture_speed
                    )
                )
            else:
                sigh_fidgets.append(s + rg.uniform(1.0, 2.0))
    gestures.sort(key=lambda g: g.t)
    merged: list[float] = []
    for f in np.sort(np.concatenate([fidgets, np.asarray(sigh_fidgets)])):
        # a sigh's fidget replaces none and crowds none: keep fidgets at least a few seconds apart
        if f < duration and (not merged or f - merged[-1] >= MIN_FIDGET_GAP_S):
            merged.append(float(f))
    fidgets = np.asarray(merged)
    gestures = [g for g in gestures if g.t < duration]
    # gaze shifts bring blinks of their own (gaze.gaze_blinks): the spontaneous stream makes up the rest
    # so the total stays near ``blink_rate`` (facts §1)
    extra = gaze_blinks(rngs["blink"], glances)
    extra_per_min = 60.0 * len(extra) / max(duration, 1e-9)
    spont = blink_times(rngs["blink"], duration, max(style.blink_rate - extra_per_min, 0.6 * style.blink_rate))
    blinks = np.sort(np.concatenate([spont, extra]))
    keep: list[float] = []
    for b in blinks:
        if b < duration and (not keep or b - keep[-1] >= 0.35):  # a lid cannot blink twice within 0.35 s
            keep.append(float(b))
    blinks = np.asarray(keep)
    return Schedule(
        breaths=breaths,
        sighs=breaths.sighs,
        fidgets=fidgets,
        shifts=shifts,
        shift_targets=np.asarray(targets),
        glances=glances,
        blinks=blinks,
        gestures=gestures,
        start_weight=start_weight,
    )


def schedule_for(
    program: MotionProgram,
    style_for: Callable[[Params], StandingStyle],
    params: Mapping[str, Any] | None,
    seed: int,
    duration: float,
    fps: float,
) -> Schedule:
    """The event schedule a standing ``program`` would use for these inputs, on a coarse time grid, without posing.

    Each standing motion's module-level ``schedule`` calls this, so rate tests can check hours of events
    in milliseconds with exactly the streams the full build draws.
    """
    from .sampler import make_context
    from .skeleton import default_avatar

    ctx = make_context(program, params, seed, fps, duration, default_avatar())
    return plan(style_for(ctx.params), streams(ctx.rng), ctx.times)


# -- rendering helpers -----------------------------------------------------------------------------------------


def broadband(
    rng: np.random.Generator, t: Array, fmin: float, fmax: float, rms: float, n: int = 8, slope: float = 0.5
) -> Array:
    """Smooth broadband signal ``[F]`` with the given RMS: ``n`` log-spaced components between ``fmin`` and
    ``fmax`` Hz, amplitude ∝ f^-slope, each with a drifting frequency (±15%) and amplitude (±40%).

    Facts §1: sway is broadband (0.05-1 Hz, most power below 1 Hz), no single sine. With ``slope`` 0.5 the
    angle power falls as 1/f and the velocity power rises only as f, so with eight components no single
    one owns either spectrum (:func:`noise.sway_track`'s four near-equal components let the fastest own
    the velocity).
    """
    f = np.geomspace(fmin, fmax, n) * rng.uniform(0.9, 1.1, size=n)
    out = np.zeros(len(t))
    if len(t) == 0:
        return out
    dt = float(t[1] - t[0]) if len(t) > 1 else 1.0
    wob = noise_track(rng, t, 0.03, channels=2 * n)
    for k in range(n):
        phase = rng.uniform(0, 2 * np.pi) + 2 * np.pi * np.cumsum(f[k] * (1.0 + 0.15 * wob[:, 2 * k])) * dt
        out += f[k] ** -slope * (1.0 + 0.4 * np.tanh(wob[:, 2 * k + 1])) * np.sin(phase)
    r = float(np.sqrt(np.mean(out**2)))
    return out * (rms / r) if r > 0 else out


def wander(rng: np.random.Generator, t: Array, f0: float, channels: int = 1) -> Array:
    """Smooth broadband wandering ``[F, channels]`` with RMS 0.5, features from ``f0/3`` to ``3 f0`` Hz."""
    return np.stack([broadband(rng, t, f0 / 3.0, 3.0 * f0, 0.5, n=6) for _ in range(channels)], axis=1)


def _point(grot: Array, gpos: Array, bone: str, offset: Array) -> Array:
    j = hm.INDEX[bone]
    return gpos[:, j] + quat.rotate(grot[:, j], offset)


@dataclass
class BuildResult:
    """The tracks plus what tests and markers need: schedule, weight track, per-arm gesture activity, feet, and
    the arms' reach plans (move windows for path tests)."""

    tracks: Tracks
    schedule: Schedule
    weight: Array
    arm_activity: dict[str, Array]
    feet: dict[str, Array] = field(default_factory=dict)
    arm_plans: dict[str, ArmPlan] = field(default_factory=dict)  # each arm's reach timing as made


def _hold_envelope(t: Array, style: StandingStyle, duration: float) -> Array:
    """0 -> 1 over ``style.enter`` s at the start and 1 -> 0 over ``style.leave`` s at the end (minimum jerk)."""
    env = np.ones(len(t))
    if style.enter > 0:
        env = env * minimum_jerk(t / style.enter)
    if style.leave > 0:
        env = env * (1.0 - minimum_jerk((t - (duration - style.leave)) / style.leave))
    return env


def _weight_track(t: Array, plan_: Schedule, style: StandingStyle, rng: np.random.Generator) -> Array:
    w = np.full(len(t), plan_.start_weight)
    prev = plan_.start_weight
    for st, target in zip(plan_.shifts, plan_.shift_targets):
        dur = style.shift_duration * rng.uniform(0.8, 1.25)
        w = w + (target - prev) * minimum_jerk((t - st) / dur)
        prev = float(target)
    return w


def build(ctx: Context, style: StandingStyle, markers: bool = True) -> BuildResult:
    """Render a standing clip for ``ctx`` (times, skeleton, seed) in ``style``; adds markers to ``ctx``."""
    t = ctx.times
    n = len(t)
    dt = 1.0 / ctx.fps
    sk = ctx.skeleton
    scale = sk.leg_length / 0.8745  # 1 for the 1.65 m default avatar
    rngs = streams(ctx.rng)
    sched = plan(style, rngs, t)
    rr = rngs["render"]
    tr = Tracks(sk, n)
    wb, ws, wgz = style.breathing_weight, style.sway_weight, style.gaze_weight

    # ---- breathing (facts §1) ------------------------------------------------------------------------------
    v = sched.breaths.volume * wb  # tidal units: 0 end-exhale, ~1 quiet inhale, ~2 sigh
    lift = 0.35 * v + 1.6 * np.maximum(v - 1.3, 0.0)  # clavicle (deg): <= 1-2 mm quiet, ~1 cm on a sigh
    # ---- sway, postural fidgets, weight shifts (facts §1) ---------------------------------------------------
    f = style.sway_freq
    # facts §1: AP RMS ~4 mm, ML ~2.5 mm, broadband 0.05-0.8 Hz
    ap = broadband(rngs["sway"], t, 0.1 * f, 1.0 * f, 0.004 * style.sway * scale)
    ml = broadband(rngs["sway"], t, 0.1 * f, 0.9 * f, 0.0025 * style.sway * scale)
    vb = v - v.mean()
    if np.std(vb) > 0:  # 10-20% of AP sway follows the breath
        ap = ap + 0.15 * 0.004 * style.sway * scale * vb / np.std(vb)
    ap *= ws
    ml *= ws
    rf = rngs["fidget"]
    head_fidget = np.zeros((n, 2))
    for ft in sched.fidgets:
        # a fast, large excursion and return (facts §1 "fidgeting", Duarte & Zatsiorsky) [E on 8-15 mm]
        amp = style.fidget_amp * rf.uniform(0.7, 1.3) * scale
        ang = rf.uniform(0, 2 * np.pi)
        env = bump(t, ft, rf.uniform(0.6, 1.0), rf.uniform(0.3, 1.5), rf.uniform(0.8, 1.5))
        ap = ap + amp * np.cos(ang) * env
        ml = ml + amp * np.sin(ang) * env
        head_fidget += env[:, None] * rf.uniform(-4, 4, size=2)
        if markers:
            ctx.mark("fidget", ft)
    weight = _weight_track(t, sched, style, rngs["shift"])
    if markers:
        for st in sched.shifts:
            ctx.mark("weight_shift", st)
        for s in sched.sighs:
            if 0 <= s < ctx.duration:
                ctx.mark("sigh", s)
        ti_frac = 1.0 / (1.0 + style.ie_ratio)
        for start, per in zip(sched.breaths.starts, sched.breaths.periods):
            if 0 <= start < ctx.duration:
                ctx.mark("inhale", start)
            if 0 <= start + per * ti_frac < ctx.duration:
                ctx.mark("exhale", start + per * ti_frac)

    # anticipatory postural adjustment before each arm gesture (facts §4 APA): back and away from the arm,
    # held as a counterbalance while the hand is away from its home pose, from the arms' reach timing
    arm_plans = plan_arms(sched, style, ctx.duration)
    apa = np.zeros((n, 3))
    lean_fwd = np.zeros(n)
    for ap_ in arm_plans.values():
        s = 1.0 if ap_.side == "left" else -1.0
        if not ap_.reaches():
            continue
        apa += reach.anticipation(
            t,
            ap_.reach_plan(),
            {},
            amplitude=style.apa_amp * scale * style.gesture_weight,
            lead=style.apa_lead,
            rise=0.3,
            persistent=True,
            direction=np.array([-0.6 * s, 0.0, -0.8]),
            home=(ap_.home, "rest"),
            onset_frac=0.05,  # facts §4's 30-80 ms lead is measured against the hand's visible onset
        )
        away = reach.approach_weight(t, ap_.plan, ap_.reaches(), delay=-style.apa_lead)
        lean_fwd = np.maximum(lean_fwd, away * 1.5 * style.gesture_weight)
    shift_m = 0.022 * scale  # facts §1: ML weight-shift amplitude 22 mm
    hips = np.zeros((n, 3))
    hips[:, 0] = ml + shift_m * weight + apa[:, 0]
    hips[:, 2] = ap + apa[:, 2]
    tr.hips_offset[:] = hips
    # pelvis rolls up on the support side (the free hip drops, so the free knee bends); spine rights the trunk
    roll = 3.0 * weight
    yaw_noise = wander(rngs["sway"], t, 0.08)[:, 0] * 1.2 * style.sway * ws
    tr.rotate("hips", quat.mul(rot(Y, yaw_noise + 2.0 * weight), rot(Z, roll)))

    # ---- gaze: eyes, head, neck, chest (facts §9) ----------------------------------------------------------
    gz = gaze_tracks(t, sched.glances, style.gaze, rngs["glance"])
    if markers:
        for gl in sched.glances:
            ctx.mark(gl.kind, gl.t)
    hn = wander(rngs["head"], t, 0.25, channels=3) * style.head_motion
    hs = style.head_share
    yaw = (hn[:, 0] * 1.2 + head_fidget[:, 0] + hs * gz.head_yaw) * wgz
    pitch = hn[:, 1] * 1.0 + head_fidget[:, 1] + hs * gz.head_pitch * wgz
    head_roll = hn[:, 2] * 0.6 + style.head_roll
    chest_yaw = gz.chest_yaw * wgz

    # ---- spine: posture + breathing + trunk righting over the support leg --------------------------------
    ext = style.chest_ext
    tr.rotate(
        "spine",
        quat.mul(rot(Y, -0.5 * yaw_noise), quat.mul(rot(X, -0.25 * ext - 0.25 * v + lean_fwd), rot(Z, -0.55 * roll))),
    )
    tr.rotate(
        "chest", quat.mul(rot(Y, 0.4 * chest_yaw), quat.mul(rot(X, -0.35 * ext - 0.45 * v), rot(Z, -0.35 * roll)))
    )
    tr.rotate("upperChest", quat.mul(rot(Y, 0.6 * chest_yaw - 0.3 * yaw_noise), rot(X, -0.40 * ext - 0.55 * v)))
    # The neck cancels the breathing extension of the chest and the chest posture, then adds the head pitch.
    head_pitch_total = style.head_pitch + pitch
    tr.rotate("neck", quat.mul(rot(Y, 0.4 * yaw), rot(X, -0.4 * head_pitch_total + 0.9 * v + 0.5 * ext)))
    tr.rotate(
        "head",
        quat.mul(
            rot(Y, 0.6 * yaw), quat.mul(rot(X, -0.6 * head_pitch_total + 0.35 * v + 0.5 * ext), rot(Z, -head_roll))
        ),
    )
    # eyes take whatever the head, neck and chest did not
    eye_yaw = (gz.gaze_yaw * wgz) - yaw - chest_yaw
    eye_pitch = gz.gaze_pitch * wgz - pitch - style.eye_level * style.head_pitch
    if sk.has("leftEye"):
        q_eye = quat.mul(rot(Y, eye_yaw), rot(X, -eye_pitch))
        tr.set("leftEye", q_eye)
        tr.set("rightEye", q_eye)
    gyr, gpr = np.radians(eye_yaw), np.radians(eye_pitch)
    tr.gaze = np.stack([np.sin(gyr) * np.cos(gpr), np.sin(gpr), np.cos(gyr) * np.cos(gpr)], axis=1)
    tr.expressions["blink"] = blink_track(t, sched.blinks)

    # ---- shoulders (clavicles): posture + breathing lift ---------------------------------------------------
    for side, s in SIDES:
        tr.rotate(
            f"{side}Shoulder", quat.mul(rot(Y, s * style.shoulder_back), rot(Z, s * (lift + style.shoulder_raise)))
        )

    # ---- lean on a wall: the pelvis moves back until the upper back touches the wall plane -------------------
    hold_env = _hold_envelope(t, style, ctx.duration)
    back_contact = None
    if style.wall_z is not None:
        grot, gpos = tr.fk()
        back_contact = _point(grot, gpos, "upperChest", np.array([0.0, 0.06, -0.11]) * scale)
        tr.hips_offset[:, 2] += (style.wall_z - back_contact[:, 2]) * hold_env
        if markers:
            ctx.mark("wall_contact", style.enter)

    # ---- the hips height follows from the legs: support knee nearly straight, the free knee bends ------------
    rest = sk.rest_positions()
    feet = {
        side: rest[sk.index(f"{side}Foot")] + np.array([s * style.stance_width * scale, 0.0, 0.0]) for side, s in SIDES
    }
    tr.settle_hips_on_legs(
        feet, style.support_knee, soft_m=0.002
    )  # smooth min: no knee jolt as the support leg changes

    # ---- arms ----------------------------------------------------------------------------------------------
    activity, arm_plans = _arms(ctx, tr, style, sched, arm_plans, apa, rr, rngs["fingers"], markers, scale, dt)
    if markers and style.arm_mode == "chin":
        # every 10 s while the fist holds the chin undisturbed: 'chin_hold' and the suite's 'touch:chin' (its
        # 'hand-contact' check measures the closest hand point, the fist's 'Knuckles' landmark among them)
        busy = [(a - 0.3, b + 0.3) for a, b in arm_plans[style.support_side].busy()]
        for tt in np.arange(style.enter + 0.5, ctx.duration - style.leave - 0.5, 10.0):
            if not any(a <= tt <= b for a, b in busy):
                ctx.mark("chin_hold", float(tt))
                ctx.mark("touch:chin", float(tt))

    # ---- legs: feet planted at the stance positions --------------------------------------------------------
    for side, s in SIDES:
        foot = feet[side]
        knee = rest[sk.index(f"{side}LowerLeg")] + np.array([s * style.stance_width * scale * 0.5, 0.0, 0.0])
        toe_out = rot(Y, s * style.toe_out)
        pole = knee + quat.rotate(toe_out, np.array([0.0, 0.0, 0.5]))
        tr.solve_limb(f"{side}Leg", foot, pole, end_grot=toe_out)
    return BuildResult(tr, sched, weight, activity, feet=feet, arm_plans=arm_plans)


# -- arms ---------------------------------------------------------------------------------------------------------


def contact_local(sk: Skeleton, side: str, kind: str, curl: float) -> Array:
    """Where the touching part of the hand is, in the hand bone's frame (m), with fingers curled ``curl`` deg.

    ``kind``: ``fingers`` (middle fingertip), ``palm`` (palm centre, palm side),
    ``knuckles`` (back of the index PIP joint, for a fist under the chin) or
    ``wrist``. Avatars without finger bones use points along the hand.
    """
    s = 1.0 if side == "left" else -1.0
    hl = 0.74 * sk.bone_length(f"{side}LowerArm")  # facts §10: hand 0.108 H vs forearm 0.146 H
    if kind == "wrist":
        return np.zeros(3)
    if kind == "palm" or not sk.has(f"{side}MiddleDistal"):
        along = {"palm": 0.45, "fingers": 0.9, "knuckles": 0.5}[kind]
        return np.array([s * along * hl, -0.1 * hl if kind == "palm" else 0.0, 0.0])
    tr = Tracks(sk, 1)
    curl_fingers(tr, side, np.full(1, curl), np.full(1, curl))
    grot, gpos = tr.fk()
    jh = hm.INDEX[f"{side}Hand"]
    if kind == "fingers":
        lm = sk.landmarks.get(f"{side}MiddleTip")
        p = sk.landmark_positions(f"{side}MiddleTip", grot, gpos)[0] if lm else gpos[0, hm.INDEX[f"{side}MiddleDistal"]]
    else:  # knuckles: the back of the curled index's middle joint
        j = hm.INDEX[f"{side}IndexIntermediate"]
        p = gpos[0, j] + quat.rotate(grot[0, j], np.array([0.0, 0.1 * hl, 0.0]))
    return quat.rotate(quat.conj(grot[0, jh]), p - gpos[0, jh])


# -- arm timing: every hand transport is one reach Move (engine/reach.py) -----------------------------------------

#: Speed-peak position of a transport's shoulder progress toward a body target and back. The elbow and wrist
#: run 70-120 ms behind it, so the hand's measured speed peak lands at ~0.4-0.55 T (facts §4: 0.40-0.45 T
#: toward the face; the reach tests accept one peak in 0.35-0.60).
PEAK_TOWARD = 0.43
PEAK_AWAY = 0.47
#: Sideways arc of the hand's path (fraction of the chord) on top of the arc the elbow's delayed progress
#: makes; hint forward and a little out, so a hand rising from the side passes in front of the trunk [E].
CURVATURE = 0.12
#: Arrival follow-through along the body surface (issue 7: 2-10 mm, settled within 0.3 s).
OVERSHOOT = 0.004
MIN_HOLD = 0.5  # s; a gesture squeezed to a shorter contact is dropped


@dataclass
class ArmPlan:
    """One arm's reach schedule, drawn from the gesture schedule without posing anything.

    ``home``: the waypoint the hand rests at (``rest`` = hanging, or a held pose: ``hips``, ``contract``,
    ``chin``, ``support``); ``plan``: the :class:`~posers_blender.engine.reach.ReachPlan` whose waypoints are
    ``rest``, the home pose and ``g<i>`` for gesture ``i`` of the schedule; ``gestures``: ``{waypoint:
    (gesture, onset s, hold s)}`` of the gestures this arm makes; ``rubs``: ``(index, gesture)`` made in place
    at home (a chin rub while the fist holds the chin).
    """

    side: str
    home: str
    plan: reach.ReachPlan
    gestures: dict[str, tuple[Gesture, float, float]]
    rubs: list[tuple[int, Gesture]]

    def reaches(self) -> list[str]:
        """Waypoints of the gestures that are arm reaches: all but hand wringing, a hand and forearm activity in
        front of the belly that needs no anticipatory shift or clavicle lead."""
        return [k for k, (g, _, _) in self.gestures.items() if g.kind != "hand_wring"]

    def reach_plan(self) -> reach.ReachPlan:
        """``plan`` without the moves into and back from non-reach gestures (for anticipation timing)."""
        skip = set(self.gestures) - set(self.reaches())
        moves: list[reach.Move] = []
        prev = self.plan.initial
        for m in self.plan.moves:
            if m.to not in skip and not (prev in skip and m.to == self.home):
                moves.append(m)
            prev = m.to
        return reach.ReachPlan(self.side, self.plan.initial, tuple(moves))

    def busy(self) -> list[tuple[float, float]]:
        """(start, end) times (s) when the hand is away from home or rubbing."""
        out = [(on, on + g.rise + hold + g.fall) for g, on, hold in self.gestures.values()]
        return sorted(out + [(g.t, g.end) for _, g in self.rubs])


@dataclass
class _ArmTimeline:
    side: str
    home: str
    style: StandingStyle
    moves: list[reach.Move]
    free: float  # when the hand is home and free for the next gesture (s)
    limit: float  # every gesture must be home by then (the transition out of a held pose)
    pending: str | None = None  # the last gesture's waypoint while its return move is the last move

    def move(self, start: float, dur: float, to: str, kind: str) -> reach.Move:
        toward = to != "rest"  # to a body target (a gesture or a held pose), not back to hanging
        up = (0.0, 0.0, 1.0) if kind in ("chin", "chin_rub") else (0.0, 1.0, 0.0)
        s = 1.0 if self.side == "left" else -1.0
        return reach.Move(
            start,
            dur,
            to,
            peak_at=PEAK_TOWARD if toward else PEAK_AWAY,
            curvature=CURVATURE,
            bulge=(0.3 * s, 0.0, 1.0),
            # none into the hanging pose: the arm is nearly straight there, an overshoot would lock the elbow
            overshoot=0.0 if to == "rest" else OVERSHOOT,
            overshoot_dir=up if to != "rest" else None,
            elbow_delay=self.style.elbow_lag,
            wrist_delay=self.style.wrist_lag,
            elbow_by_angle=True,
        )

    def slot(self, t: float) -> tuple[float, bool]:
        """Earliest onset >= ``t`` and whether it goes straight on from the pending gesture (cutting its hold)."""
        if self.pending is not None and len(self.moves) >= 2:
            s0 = max(t, self.moves[-2].end)
            if s0 < self.moves[-1].start - 1e-9:
                return s0, True
        return max(t, self.free), False

    def fits(self, start: float, g: Gesture) -> float:
        """The hold (s) a gesture starting at ``start`` gets before ``limit``; < MIN_HOLD if it does not fit."""
        return min(g.hold, self.limit - start - g.rise - g.fall)

    def add(self, name: str, g: Gesture, start: float, chained: bool, hold: float) -> None:
        if chained:
            self.moves.pop()  # the previous gesture's return: the hand goes straight on to this one
        self.moves.append(self.move(start, g.rise, name, g.kind))
        back = start + g.rise + hold
        self.moves.append(self.move(back, g.fall, self.home, g.kind))
        self.free = back + g.fall
        self.pending = name


def _home(style: StandingStyle, side: str) -> str:
    if style.arm_mode in ("hips", "contract"):
        return style.arm_mode
    if style.arm_mode == "chin":
        return "chin" if side == style.support_side else "support"
    return "rest"


def plan_arms(
    sched: Schedule, style: StandingStyle, duration: float, skip: frozenset[int] = frozenset()
) -> dict[str, ArmPlan]:
    """Both arms' reach schedules for ``sched`` (gesture indices in ``skip`` left out); no posing.

    A gesture is one reach out (``rise`` s, speed peak at 0.43 T), a contact ``hold`` and one reach home
    (``fall`` s). When the next gesture of the same hand starts while the hand is still at the previous
    target, the hand goes straight on (the previous hold is cut short); when it starts while the hand is on
    its way home, it waits until the hand is home. Hand wringing moves both hands together. A chin rub of
    the hand that holds the chin is made in place (a rub of the held waypoint, no transport).
    """
    lines: dict[str, _ArmTimeline] = {}
    for side, _ in SIDES:
        home = _home(style, side)
        moves: list[reach.Move] = []
        enter = max(style.enter, 0.3) if style.enter > 0 and home != "rest" else 0.0
        limit = duration - max(style.leave, 0.3) if style.leave > 0 and home != "rest" else np.inf
        line = _ArmTimeline(side, home, style, moves, enter, float(limit))
        if enter:
            moves.append(line.move(0.0, enter, home, "chin" if home == "chin" else home))
        lines[side] = line
    gestures: dict[str, dict[str, tuple[Gesture, float, float]]] = {"left": {}, "right": {}}
    rubs: dict[str, list[tuple[int, Gesture]]] = {"left": [], "right": []}
    for i, g in enumerate(sched.gestures if style.gesture_weight > 0 else []):
        if i in skip:
            continue
        name = f"g{i}"
        sides = [sd for sd, _ in SIDES] if g.kind == "hand_wring" else [g.side]
        if g.kind == "chin_rub" and lines[g.side].home == "chin":
            line = lines[g.side]
            if line.pending is None or line.free <= g.t:
                if g.t >= line.free and g.end <= line.limit:
                    rubs[g.side].append((i, g))
                    line.free = g.end
                    line.pending = None
            continue
        # a common onset for every hand the gesture uses
        start = g.t
        for _ in range(4):
            slots = [lines[sd].slot(start) for sd in sides]
            nxt = max(sl[0] for sl in slots)
            if nxt == start:
                break
            start = nxt
        slots = [lines[sd].slot(start) for sd in sides]
        if any(abs(sl[0] - start) > 1e-9 for sl in slots):
            continue
        hold = min(lines[sd].fits(start, g) for sd in sides)
        if hold < MIN_HOLD:
            continue
        for sd, (_, chained) in zip(sides, slots):
            lines[sd].add(name, g, start, chained, hold)
            gestures[sd][name] = (g, start, hold)
    out: dict[str, ArmPlan] = {}
    for side, line in lines.items():
        if np.isfinite(line.limit):
            line.moves.append(line.move(line.limit, max(style.leave, 0.3), "rest", "rest"))
        initial = "rest" if style.enter > 0 and line.home != "rest" else line.home
        # the real hold of each gesture: from arrival to the next move (a chained gesture's hold was cut)
        kept = {}
        for k, m in enumerate(line.moves):
            if m.to in gestures[side]:
                g, on, _ = gestures[side][m.to]
                kept[m.to] = (g, on, line.moves[k + 1].start - m.end)
        out[side] = ArmPlan(side, line.home, reach.ReachPlan(side, initial, tuple(line.moves)), kept, rubs[side])
    return out


# -- arms: poses on the body, reached with engine/reach.py ---------------------------------------------------------


def _arms(
    ctx: Context,
    tr: Tracks,
    style: StandingStyle,
    sched: Schedule,
    plans: dict[str, ArmPlan],
    apa: Array,
    rng: np.random.Generator,
    finger_rng: np.random.Generator,
    markers: bool,
    scale: float,
    dt: float,
) -> tuple[dict[str, Array], dict[str, ArmPlan]]:
    """Pose both arms: the hanging pose, then every held pose and gesture as reach waypoints on the body.

    Each waypoint is a contact point of the hand (fingertips, palm, knuckles) on a body target tracked per
    frame (lips, chin, neck, hip, the other arm), a designed hand orientation and an elbow pole low and out;
    :func:`reach.solve_reach` carries the hand between them (one speed peak per transport, shoulder ->
    elbow -> wrist cascade, overshoot and settle), the clavicle leading by ``shoulder_lead`` and the fingers
    following ``finger_lag`` behind. A gesture this avatar's arm cannot reach is dropped (no marker) and the
    timing re-planned. Returns each arm's activity (0 at the hanging rest, 1 away) and the plans used.
    """
    sk = tr.skeleton
    t = ctx.times
    n = len(t)
    # relaxed hanging arms: the base pose (FK, before any IK) and the ``rest`` waypoint
    hang = 90.0 - style.arm_hang
    # the hanging arms lag the trunk's sway (follow-through), not the deliberate APA shift before a gesture:
    # that would swing the hand just before it sets off (a second speed peak)
    body = tr.hips_offset - apa
    lag = (body - damp_track(body, 0.25, dt)) / max(
        sk.bone_length("leftUpperArm") + sk.bone_length("leftLowerArm"), 0.1
    )
    base_curl = {}
    for side, s in SIDES:
        swing_fwd = np.degrees(lag[:, 2]) * 6.0  # arms lag the trunk a little (follow-through)
        swing_out = np.degrees(lag[:, 0]) * 6.0 * s
        tr.set(f"{side}UpperArm", quat.mul(rot(X, -style.arm_forward - swing_fwd), rot(Z, -s * (hang + swing_out))))
        tr.set(f"{side}LowerArm", rot(HINGE_AXES[f"{side}LowerArm"], style.elbow_flex))
        tr.set(f"{side}Hand", rot(Z, -s * 6.0))
        base_curl[side] = style.finger_curl + wander(finger_rng, t, 0.15)[:, 0] * 3.0
        curl_fingers(tr, side, base_curl[side], np.full(n, style.finger_curl))
    sw = style.gesture_weight
    # rubbing strokes, one draw per gesture in schedule order (kept for every re-plan)
    rub = {
        i: reach.strokes(rng, t, g.t + g.rise, g.t + g.rise + g.hold, g.strokes) for i, g in enumerate(sched.gestures)
    }
    base_lrot = tr.lrot.copy()
    skip: set[int] = set()
    for _ in range(4):
        tr.lrot[:] = base_lrot
        failed = _pose_arms(tr, t, style, sched, plans, rub, base_curl, scale, sw)
        if not failed:
            break
        skip |= failed
        plans = plan_arms(sched, style, ctx.duration, frozenset(skip))
    activity = {
        side: 1.0 - reach.approach_weight(t, plans[side].plan, ["rest"], delay=-style.shoulder_lead)
        for side, _ in SIDES
    }
    if markers:  # only the gestures this avatar made; a two-handed one marks once
        done = {(on, g.kind) for ap_ in plans.values() for g, on, _ in ap_.gestures.values()}
        done |= {(g.t, g.kind) for ap_ in plans.values() for _, g in ap_.rubs}
        for start, kind in sorted(done):
            ctx.mark(kind, start)
    return activity, plans


def _pose_arms(
    tr: Tracks,
    t: Array,
    style: StandingStyle,
    sched: Schedule,
    plans: dict[str, ArmPlan],
    rub: dict[int, Array],
    base_curl: dict[str, Array],
    scale: float,
    weight: float,
) -> set[int]:
    """Solve both arms along ``plans`` on ``tr`` (arms in the hanging pose); returns the indices of gestures
    whose target the arm could not reach (empty when every reach landed)."""
    sk = tr.skeleton
    # the clavicle leads each gesture (facts §4 proximal -> distal); held poses leave it
    for side, s in SIDES:
        ap_ = plans[side]
        if ap_.reaches():
            moving = reach.approach_weight(t, ap_.plan, ap_.reaches(), delay=-style.shoulder_lead)
            tr.rotate(f"{side}Shoulder", rot(Z, s * 4.0 * moving))
    grot, gpos = tr.fk()
    hips_g, chest_g, head_g = (grot[:, hm.INDEX[b]] for b in ("hips", "upperChest", "head"))
    hips_p = gpos[:, hm.INDEX["hips"]]

    def body(frame_rot: Array, origin: Array, off: tuple[float, float, float]) -> Array:
        return origin + quat.rotate(frame_rot, np.asarray(off) * scale)

    def hand(
        side: str, frame_rot: Array, fingers: tuple[float, float, float], palm: tuple[float, float, float]
    ) -> Array:
        return reach.hand_rotation(
            quat.rotate(frame_rot, np.asarray(fingers)), quat.rotate(frame_rot, np.asarray(palm)), side
        )

    def pole(frame_rot: Array, off: tuple[float, float, float]) -> Array:
        """Elbow pole: a world direction from the shoulder, given in a body frame (low and out)."""
        return quat.rotate(frame_rot, np.asarray(off, dtype=np.float64))

    def wp(goal: Array, side: str, contact: str, curl: float, hrot: Array, pl: Array) -> tuple[reach.Waypoint, float]:
        return reach.Waypoint(goal, hrot, pl, effector=contact_local(sk, side, contact, curl)), curl

    shoulder = {side: gpos[:, hm.INDEX[f"{side}UpperArm"]] for side, _ in SIDES}
    failed: set[int] = set()
    order = [style.support_side, "left" if style.support_side == "right" else "right"]
    if style.arm_mode != "chin":
        order = ["left", "right"]
    for side in order:
        s = 1.0 if side == "left" else -1.0
        other = "right" if side == "left" else "left"
        ap_ = plans[side]
        if not ap_.plan.moves and ap_.plan.initial == "rest":  # hanging all clip: the base pose as it is
            curl = base_curl[side]
            curl_fingers(tr, side, curl, np.minimum(curl, style.finger_curl + 0.5 * (curl - style.finger_curl)))
            continue
        grot, gpos = tr.fk()
        jh = hm.INDEX[f"{side}Hand"]
        elbow = gpos[:, hm.INDEX[f"{side}LowerArm"]]
        # ``rest``: the hanging hand as posed; its pole is the elbow's own offset from the shoulder-wrist line,
        # so the IK gives the hanging arm back exactly (the hinge keeps the elbow bent, the offset never vanishes)
        e = elbow - shoulder[side]
        d = gpos[:, jh] - shoulder[side]
        d = d / np.linalg.norm(d, axis=1, keepdims=True)
        rest_pole = e - np.sum(e * d, axis=1, keepdims=True) * d
        wps: dict[str, reach.Waypoint] = {"rest": reach.Waypoint(gpos[:, jh], grot[:, jh], rest_pole)}
        curls: dict[str, ArrayLike] = {"rest": base_curl[side]}
        home = ap_.home
        if home == "hips":
            # palm on the iliac crest, fingers forward and down, elbow out and back (facts §7 pride display)
            wps[home], curls[home] = wp(
                body(hips_g, hips_p, (s * 0.125, 0.06, 0.01)),
                side,
                "palm",
                25.0,
                hand(side, hips_g, (0.0, -0.45, 0.9), (-s, 0.0, 0.0)),
                pole(chest_g, (s * 0.5, -0.2, -0.12)),
            )
        elif home == "contract":
            # elbows in against the trunk, forearms forward, hands close in front of the belly (facts §7)
            wps[home], curls[home] = wp(
                body(hips_g, hips_p, (s * 0.05, 0.13, 0.21)),
                side,
                "palm",
                35.0,
                hand(side, hips_g, (-s * 0.6, -0.2, 0.75), (-s * 0.7, -0.6, 0.0)),
                body(hips_g, hips_p, (s * 0.15, 0.14, 0.0)) - shoulder[side],  # the elbow itself: beside the trunk
            )
        elif home == "chin":
            chin = sk.landmark_positions("chin", grot, gpos)
            for i, _ in ap_.rubs:  # a chin rub: the fist slides side to side under the chin
                chin = chin + quat.rotate(head_g, np.array([0.012, 0.0, 0.0]) * scale) * rub[i][:, None]
            # elbow down and a little out: never parallel to the hand path, so the swivel stays well conditioned
            wps[home], curls[home] = wp(
                chin,
                side,
                "knuckles",
                80.0,
                hand(side, head_g, (-s * 0.2, 0.85, 0.35), (0.0, -0.2, -1.0)),
                pole(chest_g, (s * 0.25, -0.4, 0.1)),
            )
        elif home == "support":
            # the other hand cups the supporting elbow from below, palm up (contemplative lean) [E]
            el = gpos[:, hm.INDEX[f"{other}LowerArm"]]
            wps[home], curls[home] = wp(
                el + quat.rotate(chest_g, np.array([0.0, -0.03, 0.0]) * scale),
                side,
                "palm",
                35.0,
                hand(side, chest_g, (-s, 0.0, 0.15), (0.0, 1.0, 0.0)),
                pole(chest_g, (s * 0.25, -0.4, -0.1)),
            )
        for name, (g, _, _) in ap_.gestures.items():
            r = rub[int(name[1:])][:, None]
            if g.kind == "face_touch":
                # fingertips to the mouth, nose, cheek or jaw (facts §6: mouth 36%, nose 31%, eyes 27%)
                lips = sk.landmark_positions("lips", grot, gpos)
                spot = [(0.0, -0.004, 0.012), (0.0, 0.03, 0.02), (s * 0.045, 0.02, -0.01), (s * 0.03, -0.03, -0.005)]
                w = wp(
                    lips + quat.rotate(head_g, np.array(spot[g.site]) * scale),
                    side,
                    "fingers",
                    20.0,
                    hand(side, head_g, (-s * 0.35, 0.85, -0.3), (0.0, 0.0, -1.0)),
                    pole(chest_g, (s * 0.25, -0.4, 0.0)),
                )
            elif g.kind == "neck_touch":
                # fingertips to the front of the neck / suprasternal notch, the common pacifying neck touch; a
                # hand on the nape or the same-side neck needs shoulder rotations past the ROM on some avatars
                neck = gpos[:, hm.INDEX["neck"]] + quat.rotate(chest_g, np.array([s * 0.01, -0.01, 0.055]) * scale)
                w = wp(
                    neck + quat.rotate(chest_g, np.array([0.012, 0.008, 0.0]) * scale) * r,
                    side,
                    "fingers",
                    25.0,
                    hand(side, chest_g, (-s * 0.55, 0.75, 0.1), (0.0, 0.0, -1.0)),
                    pole(chest_g, (s * 0.3, -0.4, 0.05)),
                )
            elif g.kind == "arm_rub":
                up = gpos[:, hm.INDEX[f"{other}UpperArm"]]
                lo = gpos[:, hm.INDEX[f"{other}LowerArm"]]
                goal = up + 0.55 * (lo - up) + quat.rotate(chest_g, np.array([0.0, 0.0, 0.045]) * scale)
                w = wp(
                    goal + 0.2 * (lo - up) * r,
                    side,
                    "palm",
                    25.0,
                    hand(side, chest_g, (-s * 0.5, -0.3, -0.8), (-s * 0.5, 0.0, -0.8)),
                    pole(chest_g, (s * 0.15, -0.4, 0.0)),
                )
            elif g.kind == "hand_wring":
                # both hands meet in front of the belly and turn over each other
                centre = body(hips_g, hips_p, (0.0, 0.1, 0.2))
                off = quat.rotate(hips_g, np.array([s * 0.03, 0.0, 0.0]) * scale)
                ring = quat.rotate(hips_g, np.array([0.0, 0.015, 0.012]) * scale) * (s * r)
                w = wp(
                    centre + off + ring,
                    side,
                    "palm",
                    40.0,
                    hand(side, hips_g, (-s * 0.35, 0.35, 0.85), (-s, 0.0, 0.0)),
                    pole(chest_g, (s * 0.2, -0.4, -0.1)),
                )
            elif g.kind == "hip_touch":
                w = wp(
                    body(hips_g, hips_p, (s * 0.125, 0.06, 0.01)),
                    side,
                    "palm",
                    25.0,
                    hand(side, hips_g, (0.0, -0.45, 0.9), (-s, 0.0, 0.0)),
                    pole(chest_g, (s * 0.5, -0.2, -0.12)),
                )
            elif g.kind == "chin_rub":  # the other hand to the chin (the chin hand rubs in place, see plan_arms)
                chin = sk.landmark_positions("chin", grot, gpos)
                w = wp(
                    chin + quat.rotate(head_g, np.array([0.012, 0.0, 0.0]) * scale) * r,
                    side,
                    "knuckles",
                    80.0,
                    hand(side, head_g, (-s * 0.2, 0.85, 0.35), (0.0, -0.2, -1.0)),
                    pole(chest_g, (s * 0.1, -0.45, 0.05)),
                )
            else:  # hand_change: fingers along the cheek, the "thinker's" other hold [E]
                lips = sk.landmark_positions("lips", grot, gpos)
                w = wp(
                    lips + quat.rotate(head_g, np.array([s * 0.045, 0.03, -0.02]) * scale),
                    side,
                    "fingers",
                    30.0,
                    hand(side, head_g, (-s * 0.15, 0.95, -0.1), (-s, 0.0, -0.3)),
                    pole(chest_g, (s * 0.1, -0.45, 0.05)),
                )
            wps[name], curls[name] = w
            if weight < 1.0:  # a partial gesture layer: the hand goes part of the way from home
                wps[name], curls[name] = _part_way(wps[home], wps[name], w[1], curls[home], weight)
        res = reach.solve_reach(tr, ap_.plan, wps, t, wrist_iterations=6, soft_wrist=True)
        for name, (_, on, hold) in ap_.gestures.items():
            g = ap_.gestures[name][0]
            held = (t >= on + g.rise) & (t <= on + g.rise + hold)
            if held.any() and np.mean(~res.waypoint_reached[name][held]) > 0.2:
                # this avatar's arm cannot make this touch (too short or too long for the spot): skip it rather
                # than fold the arm against its limits
                failed.add(int(name[1:]))
        curl = reach.waypoint_values(t, ap_.plan, curls, delay=style.finger_lag)
        curl_fingers(tr, side, curl, np.minimum(curl, style.finger_curl + 0.5 * (curl - style.finger_curl)))
    return failed


def _part_way(
    home: reach.Waypoint, full: reach.Waypoint, curl: float, home_curl: ArrayLike, w: float
) -> tuple[reach.Waypoint, Array]:
    """A waypoint ``w`` (0..1) of the way from ``home`` to ``full`` (the gesture layer's weight)."""
    n = max(np.atleast_2d(np.asarray(full.position)).shape[0], np.atleast_2d(np.asarray(home.position)).shape[0])
    hp, fp = (np.broadcast_to(np.asarray(x.position, dtype=np.float64), (n, 3)) for x in (home, full))
    hr, fr = (np.broadcast_to(np.asarray(x.rotation, dtype=np.float64), (n, 4)) for x in (home, full))
    hq, fq = (np.broadcast_to(np.asarray(x.pole, dtype=np.float64), (n, 3)) for x in (home, full))
    he = np.zeros(3) if home.effector is None else np.asarray(home.effector, dtype=np.float64)
    fe = np.zeros(3) if full.effector is None else np.asarray(full.effector, dtype=np.float64)
    wp = reach.Waypoint(hp + w * (fp - hp), quat.slerp(hr, fr, np.full(n, w)), hq + w * (fq - hq), he + w * (fe - he))
    hc = np.broadcast_to(np.asarray(home_curl, dtype=np.float64), (n,))
    return wp, hc + w * (curl - hc)
