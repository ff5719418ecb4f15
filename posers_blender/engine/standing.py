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

Arms: each gesture or held pose is a *layer*: a contact point of the hand
(fingertips, palm, knuckles), a goal on the body (lips, chin, neck, hip, the
other arm) tracked per frame, a designed hand orientation and an elbow pole.
Its goal is solved by two-bone IK (wrist kept in everyday ranges, contact
re-aimed), and the layers are blended in joint space, in time order, with
minimum-jerk envelopes: the upper arm first, the elbow ``elbow_lag`` later,
the hand and fingers after (proximal to distal), the clavicle leading and the
pelvis shifting before the hand leaves (APA). Joint-space blending gives
curved hand paths with the elbow kept low; at full weight a layer is its IK
solution, so holds touch exactly. A gesture the avatar cannot reach is skipped
(no marker).

Gestures are not states: envelopes compose, so they overlap with breathing and
with each other. A sigh can start a gesture or a postural fidget
(``sigh_gesture``).

Numbers cite ``human_motion_facts.md`` (§1 standing, §4 reaching, §6 fidgeting,
§7 postures, §9 timing); [E] marks estimates, which are style fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from . import ik, quat
from .breathing import BreathTrack, breath_track
from .curves import bump, minimum_jerk
from .face import blink_times, blink_track
from .gaze import GazeStyle, Glance, gaze_blinks, gaze_tracks, plan_glances
from .noise import noise_track, renewal_times
from .program import HINGE_AXES, HINGE_LIMITS, Context, Tracks
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
    elbow_lag: float = 0.04
    wrist_lag: float = 0.08
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


def _strokes(rng: np.random.Generator, t: Array, t0: float, t1: float, n: int) -> Array:
    """Irregular back-and-forth in [-1, 1] between ``t0`` and ``t1``: ``n`` minimum-jerk strokes of random length."""
    out = np.zeros_like(t)
    if n <= 0 or t1 <= t0:
        return out
    cuts = np.sort(rng.uniform(t0, t1, size=max(n - 1, 0)))
    edges = np.concatenate([[t0], cuts, [t1]])
    prev = 0.0
    for i in range(n):
        target = (1.0 if i % 2 == 0 else -1.0) * rng.uniform(0.5, 1.0) if i < n - 1 else 0.0
        out += (target - prev) * minimum_jerk((t - edges[i]) / max(edges[i + 1] - edges[i], 0.15))
        prev = target
    return out


def _reach_profile(t: Array, g: Gesture, delay: float = 0.0) -> Array:
    """0 -> 1 -> 0 envelope of a gesture; the rise peaks its speed at ~0.45 T (facts §4: 0.40-0.45 for the face)."""
    u_up = np.clip((t - g.t - delay) / g.rise, 0.0, 1.0) ** 0.88
    u_dn = np.clip((t - g.t - delay - g.rise - g.hold) / g.fall, 0.0, 1.0)
    return minimum_jerk(u_up) - minimum_jerk(u_dn)


def _point(grot: Array, gpos: Array, bone: str, offset: Array) -> Array:
    j = hm.INDEX[bone]
    return gpos[:, j] + quat.rotate(grot[:, j], offset)


def _delayed(t: Array, x: Array, lag: float) -> Array:
    """``x(t - lag)`` by linear interpolation (held at the first value); ``x`` is ``[F]`` or ``[F, k]``."""
    if lag <= 0:
        return x
    if x.ndim == 1:
        return np.interp(t - lag, t, x)
    return np.stack([np.interp(t - lag, t, x[:, k]) for k in range(x.shape[1])], axis=1)


def _hinge_angle(q: Array, axis: Array) -> Array:
    """Signed rotation angle (rad) of hinge rotations ``q [F, 4]`` about ``axis``."""
    # an explicit sum, not a BLAS matmul: BLAS kernels may round differently with memory alignment,
    # and the same seed must give bit-identical clips within one process too
    return 2.0 * np.arctan2(np.sum(q[:, 1:] * axis, axis=-1), q[:, 0])


@dataclass
class BuildResult:
    """The tracks plus what tests and markers need: schedule, weight track, per-arm gesture activity."""

    tracks: Tracks
    schedule: Schedule
    weight: Array
    arm_activity: dict[str, Array]
    feet: dict[str, Array] = field(default_factory=dict)


def _settle_hips(tr: Tracks, ankles: dict[str, Array], support_knee_deg: float, soft_m: float = 0.002) -> None:
    """Lower the hips per frame so the straighter leg keeps ``support_knee_deg`` of knee bend.

    Like :meth:`Tracks.settle_hips_on_legs`, but the two legs' requirements are combined with a smooth
    minimum (width ``soft_m``): a hard minimum has a kink where the straighter leg changes during a
    weight shift, which shows as a jolt in both knees.
    """
    grot, gpos = tr.fk()
    need = []
    for side, ankle in ankles.items():
        ju, jl, je = (hm.INDEX[f"{side}{b}"] for b in ("UpperLeg", "LowerLeg", "Foot"))
        want = float(
            ik.chain_length(
                tr.skeleton.offsets[jl],
                tr.skeleton.offsets[je],
                HINGE_AXES[f"{side}LowerLeg"],
                np.radians(support_knee_deg),
            )
        )
        hip = gpos[:, ju]
        a = np.broadcast_to(np.asarray(ankle, dtype=np.float64), hip.shape)
        horiz2 = (hip[:, 0] - a[:, 0]) ** 2 + (hip[:, 2] - a[:, 2]) ** 2
        need.append(np.sqrt(np.maximum(want * want - horiz2, 0.0)) - (hip[:, 1] - a[:, 1]))
    d = np.stack(need)
    m = d.min(axis=0)
    tr.hips_offset[:, 1] += m - soft_m * np.log(np.sum(np.exp(-(d - m) / soft_m), axis=0))


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

    # anticipatory postural adjustment before each arm gesture (facts §4 APA): back and away from the arm
    apa = np.zeros((n, 3))
    lean_fwd = np.zeros(n)
    for g in sched.gestures:
        s = 1.0 if g.side == "left" else -1.0
        env = bump(t, g.t - style.apa_lead, 0.3, g.rise + g.hold, g.fall)
        a = style.apa_amp * scale * style.gesture_weight
        apa += env[:, None] * np.array([-0.6 * s * a, 0.0, -0.8 * a])
        lean_fwd += env * 1.5 * style.gesture_weight
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
    _settle_hips(tr, feet, style.support_knee)

    # ---- arms ----------------------------------------------------------------------------------------------
    activity = _arms(ctx, tr, style, sched, rr, rngs["fingers"], markers, scale, dt)
    if markers and style.arm_mode == "chin":
        # every 10 s while the fist holds the chin undisturbed: 'chin_hold' and the suite's 'touch:chin' (its
        # 'hand-contact' check measures the closest hand point, the fist's 'Knuckles' landmark among them)
        busy = [(g.t - 0.3, g.end + 0.3) for g in sched.gestures if g.side == style.support_side]
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
    return BuildResult(tr, sched, weight, activity, feet=feet)


# -- arms ---------------------------------------------------------------------------------------------------------


def _finger_pose(tr: Tracks, side: str, curl: Array, thumb: Array) -> None:
    s = 1.0 if side == "left" else -1.0
    for finger, k in (("Index", 0.75), ("Middle", 0.95), ("Ring", 1.05), ("Little", 1.2)):
        for ph, m in (("Proximal", 0.8), ("Intermediate", 1.0), ("Distal", 0.7)):
            tr.set(f"{side}{finger}{ph}", rot(np.array([0.0, 0.0, -s]), curl * k * m))
    thumb_axis = np.cross(np.array([s * 0.7, -0.06, 0.71]), -Y)
    tr.set(f"{side}ThumbProximal", rot(thumb_axis, 0.5 * thumb))
    tr.set(f"{side}ThumbDistal", rot(thumb_axis, 0.6 * thumb))


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
    _finger_pose(tr, side, np.full(1, curl), np.full(1, curl))
    grot, gpos = tr.fk()
    jh = hm.INDEX[f"{side}Hand"]
    if kind == "fingers":
        lm = sk.landmarks.get(f"{side}MiddleTip")
        p = sk.landmark_positions(f"{side}MiddleTip", grot, gpos)[0] if lm else gpos[0, hm.INDEX[f"{side}MiddleDistal"]]
    else:  # knuckles: the back of the curled index's middle joint
        j = hm.INDEX[f"{side}IndexIntermediate"]
        p = gpos[0, j] + quat.rotate(grot[0, j], np.array([0.0, 0.1 * hl, 0.0]))
    return quat.rotate(quat.conj(grot[0, jh]), p - gpos[0, jh])


def hand_frame(side: str, fingers: Array, palm: Array) -> Array:
    """World hand rotation(s) ``[..., 4]`` that point the fingers along ``fingers`` and the palm along ``palm``.

    In the T-pose the hand's fingers run along ±X (left +X) and the palm faces -Y.
    """
    s = 1.0 if side == "left" else -1.0
    f = np.asarray(fingers, dtype=np.float64)
    f = f / np.linalg.norm(f, axis=-1, keepdims=True)
    n = np.asarray(palm, dtype=np.float64)
    n = n - np.sum(n * f, axis=-1, keepdims=True) * f
    n = n / np.maximum(np.linalg.norm(n, axis=-1, keepdims=True), 1e-9)
    xi = s * f  # image of local +X
    yi = -n  # image of local +Y (palm normal is -Y)
    zi = np.cross(xi, yi)
    m = np.stack([xi, yi, zi], axis=-1)
    return quat.normalize(quat.from_matrix(m))


@dataclass
class _Layer:
    """One pull on a hand.

    ``env [F]`` 0..1; ``goal [F, 3]`` where the contact point should be; ``contact [3]`` that point in the hand
    frame; ``pole [F, 3]`` elbow direction point; ``hand [F, 4]`` world hand rotation; ``curl`` finger flexion
    (deg); ``bulge [F, 3]`` mid-path offset so the hand path arcs (facts §4 curved paths).
    """

    env: Array
    goal: Array
    contact: Array
    pole: Array
    hand: Array
    curl: float
    kind: str
    bulge: Array | None = None
    start: float = 0.0  # gesture onset (s), for its marker
    done: bool = False  # set by _solve_arm when the avatar could make it


def _arms(
    ctx: Context,
    tr: Tracks,
    style: StandingStyle,
    sched: Schedule,
    rng: np.random.Generator,
    finger_rng: np.random.Generator,
    markers: bool,
    scale: float,
    dt: float,
) -> dict[str, Array]:
    sk = tr.skeleton
    t = ctx.times
    n = len(t)
    # relaxed hanging arms define the base hand positions (FK, before any IK)
    hang = 90.0 - style.arm_hang
    lag = (tr.hips_offset - damp_track(tr.hips_offset, 0.25, dt)) / max(
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
        _finger_pose(tr, side, base_curl[side], np.full(n, style.finger_curl))
    grot, gpos = tr.fk()
    sw = style.gesture_weight
    layers: dict[str, list[_Layer]] = {"left": [], "right": []}
    hips_g, chest_g = grot[:, hm.INDEX["hips"]], grot[:, hm.INDEX["upperChest"]]
    head_g = grot[:, hm.INDEX["head"]]
    hips_p = gpos[:, hm.INDEX["hips"]]

    def body(frame_rot: Array, origin: Array, off: tuple[float, float, float]) -> Array:
        return origin + quat.rotate(frame_rot, np.asarray(off) * scale)

    def hand(
        side: str, frame_rot: Array, fingers: tuple[float, float, float], palm: tuple[float, float, float]
    ) -> Array:
        return hand_frame(side, quat.rotate(frame_rot, np.asarray(fingers)), quat.rotate(frame_rot, np.asarray(palm)))

    def contact(side: str, kind: str, curl: float) -> Array:
        return contact_local(sk, side, kind, curl)

    base: dict[str, _Layer] = {}
    for side, s in SIDES:
        # the pole sits well behind the hanging elbow so the swivel stays well conditioned
        pole = gpos[:, hm.INDEX[f"{side}LowerArm"]] + quat.rotate(chest_g, np.array([s * 0.08, 0.0, -0.3]))
        base[side] = _Layer(
            np.ones(n),
            gpos[:, hm.INDEX[f"{side}Hand"]],
            np.zeros(3),
            pole,
            grot[:, hm.INDEX[f"{side}Hand"]],
            style.finger_curl,
            "rest",
        )

    # ---- held arm poses (hands on hips, contracted, hand at the chin), with optional transitions in/out ----
    hold_env = _hold_envelope(t, style, ctx.duration)
    shoulder = {side: gpos[:, hm.INDEX[f"{side}UpperArm"]] for side, _ in SIDES}
    chin_side = style.support_side
    for side, s in SIDES:
        bulge = quat.rotate(chest_g, np.array([s * 0.05, 0.0, 0.06]) * scale)
        if style.arm_mode == "hips":
            # palm on the iliac crest, fingers forward and down, elbow out and back (facts §7 pride display)
            goal = body(hips_g, hips_p, (s * 0.125, 0.06, 0.01))
            pole = body(chest_g, shoulder[side], (s * 0.5, -0.2, -0.12))
            hrot = hand(side, hips_g, (0.0, -0.45, 0.9), (-s, 0.0, 0.0))
            layers[side].append(_Layer(hold_env, goal, contact(side, "palm", 25.0), pole, hrot, 25.0, "hips", bulge))
        elif style.arm_mode == "contract":
            # elbows in against the trunk, forearms forward, hands close in front of the belly (facts §7)
            goal = body(hips_g, hips_p, (s * 0.05, 0.13, 0.21))
            pole = body(hips_g, hips_p, (s * 0.15, 0.14, 0.0))  # the elbow itself: at the side of the trunk
            hrot = hand(side, hips_g, (-s * 0.6, -0.2, 0.75), (-s * 0.7, -0.6, 0.0))
            layers[side].append(
                _Layer(hold_env, goal, contact(side, "palm", 35.0), pole, hrot, 35.0, "contract", bulge)
            )
    if style.arm_mode == "chin":
        s = 1.0 if chin_side == "left" else -1.0
        chin = sk.landmark_positions("chin", grot, gpos)
        # elbow down and a little out: never parallel to the hand path, so the swivel stays well conditioned
        pole = body(chest_g, shoulder[chin_side], (s * 0.25, -0.4, 0.1))
        hrot = hand(chin_side, head_g, (-s * 0.2, 0.85, 0.35), (0.0, -0.2, -1.0))
        layers[chin_side].append(
            _Layer(
                hold_env,
                chin,
                contact(chin_side, "knuckles", 80.0),
                pole,
                hrot,
                80.0,
                "chin",
                quat.rotate(chest_g, np.array([s * 0.04, -0.02, 0.14]) * scale),
            )
        )
    # ---- gesture layers ------------------------------------------------------------------------------------
    for g in sched.gestures:
        s = 1.0 if g.side == "left" else -1.0
        other = "right" if g.side == "left" else "left"
        env = _reach_profile(t, g) * sw
        hold_t0 = g.t + g.rise
        strokes = _strokes(rng, t, hold_t0, hold_t0 + g.hold, g.strokes)
        bulge = quat.rotate(chest_g, np.array([s * 0.04, -0.03, 0.09]) * scale)
        if g.kind == "face_touch":
            # fingertips to the mouth, nose, cheek or jaw (facts §6: mouth 36%, nose 31%, eyes 27%)
            lips = sk.landmark_positions("lips", grot, gpos)
            spot = [(0.0, -0.004, 0.012), (0.0, 0.03, 0.02), (s * 0.045, 0.02, -0.01), (s * 0.03, -0.03, -0.005)]
            goal = lips + quat.rotate(head_g, np.array(spot[g.site]) * scale)
            pole = body(chest_g, shoulder[g.side], (s * 0.25, -0.4, 0.0))
            hrot = hand(g.side, head_g, (-s * 0.35, 0.85, -0.3), (0.0, 0.0, -1.0))
            lay = _Layer(env, goal, contact(g.side, "fingers", 20.0), pole, hrot, 20.0, g.kind, bulge)
        elif g.kind == "neck_touch":
            # fingertips to the front of the neck / suprasternal notch, the common pacifying neck touch; a
            # hand on the nape or the same-side neck needs shoulder rotations past the ROM on some avatars
            neck = gpos[:, hm.INDEX["neck"]]
            goal = neck + quat.rotate(chest_g, np.array([s * 0.01, -0.01, 0.055]) * scale)
            goal = goal + quat.rotate(chest_g, np.array([0.012, 0.008, 0.0]) * scale) * strokes[:, None]
            pole = body(chest_g, shoulder[g.side], (s * 0.3, -0.4, 0.05))
            hrot = hand(g.side, chest_g, (-s * 0.55, 0.75, 0.1), (0.0, 0.0, -1.0))
            lay = _Layer(env, goal, contact(g.side, "fingers", 25.0), pole, hrot, 25.0, g.kind, bulge)
        elif g.kind == "arm_rub":
            up = gpos[:, hm.INDEX[f"{other}UpperArm"]]
            lo = gpos[:, hm.INDEX[f"{other}LowerArm"]]
            goal = up + 0.55 * (lo - up) + quat.rotate(chest_g, np.array([0.0, 0.0, 0.045]) * scale)
            goal = goal + 0.2 * (lo - up) * strokes[:, None]
            pole = body(chest_g, shoulder[g.side], (s * 0.15, -0.4, 0.0))
            hrot = hand(g.side, chest_g, (-s * 0.5, -0.3, -0.8), (-s * 0.5, 0.0, -0.8))
            lay = _Layer(env, goal, contact(g.side, "palm", 25.0), pole, hrot, 25.0, g.kind, bulge)
        elif g.kind == "hand_wring":
            centre = body(hips_g, hips_p, (0.0, 0.1, 0.2))
            for hand_side, hs in SIDES:
                off = quat.rotate(hips_g, np.array([hs * 0.03, 0.0, 0.0]) * scale)
                ring = quat.rotate(hips_g, np.array([0.0, 0.015, 0.012]) * scale) * (hs * strokes)[:, None]
                pole_h = body(chest_g, shoulder[hand_side], (hs * 0.2, -0.4, -0.1))
                hrot = hand(hand_side, hips_g, (-hs * 0.35, 0.35, 0.85), (-hs, 0.0, 0.0))
                layers[hand_side].append(
                    _Layer(
                        env,
                        centre + off + ring,
                        contact(hand_side, "palm", 40.0),
                        pole_h,
                        hrot,
                        40.0,
                        g.kind,
                        quat.rotate(chest_g, np.array([hs * 0.04, 0.0, 0.06]) * scale),
                    )
                )
                layers[hand_side][-1].start = g.t
            continue
        elif g.kind == "hip_touch":
            goal = body(hips_g, hips_p, (s * 0.125, 0.06, 0.01))
            pole = body(chest_g, shoulder[g.side], (s * 0.5, -0.2, -0.12))
            hrot = hand(g.side, hips_g, (0.0, -0.45, 0.9), (-s, 0.0, 0.0))
            lay = _Layer(env, goal, contact(g.side, "palm", 25.0), pole, hrot, 25.0, g.kind, bulge)
        elif g.kind == "chin_rub":
            chin = sk.landmark_positions("chin", grot, gpos)
            goal = chin + quat.rotate(head_g, np.array([0.012, 0.0, 0.0]) * scale) * strokes[:, None]
            pole = body(chest_g, shoulder[g.side], (s * 0.1, -0.45, 0.05))
            hrot = hand(g.side, head_g, (-s * 0.2, 0.85, 0.35), (0.0, -0.2, -1.0))
            lay = _Layer(env, goal, contact(g.side, "knuckles", 80.0), pole, hrot, 80.0, g.kind, bulge * 0.2)
        elif g.kind == "hand_change":
            # fingers along the cheek, the "thinker's" other hold [E]
            lips = sk.landmark_positions("lips", grot, gpos)
            goal = lips + quat.rotate(head_g, np.array([s * 0.045, 0.03, -0.02]) * scale)
            pole = body(chest_g, shoulder[g.side], (s * 0.1, -0.45, 0.05))
            hrot = hand(g.side, head_g, (-s * 0.15, 0.95, -0.1), (-s, 0.0, -0.3))
            lay = _Layer(env, goal, contact(g.side, "fingers", 30.0), pole, hrot, 30.0, g.kind, bulge * 0.5)
        else:
            continue
        lay.start = g.t
        layers[g.side].append(lay)

    activity: dict[str, Array] = {}
    order = [chin_side, "left" if chin_side == "right" else "right"] if style.arm_mode == "chin" else ["left", "right"]
    for side in order:
        s = 1.0 if side == "left" else -1.0
        if style.arm_mode == "chin" and side != chin_side:
            # the other hand cups the supporting elbow from below, palm up (contemplative lean) [E]
            grot2, gpos2 = tr.fk()
            elbow = gpos2[:, hm.INDEX[f"{chin_side}LowerArm"]]
            goal = elbow + quat.rotate(chest_g, np.array([0.0, -0.03, 0.0]) * scale)
            pole = body(chest_g, shoulder[side], (s * 0.25, -0.4, -0.1))
            hrot = hand(side, chest_g, (-s, 0.0, 0.15), (0.0, 1.0, 0.0))
            layers[side].insert(
                0,
                _Layer(
                    hold_env,
                    goal,
                    contact(side, "palm", 35.0),
                    pole,
                    hrot,
                    35.0,
                    "support",
                    quat.rotate(chest_g, np.array([s * 0.05, 0.0, 0.08]) * scale),
                ),
            )
        activity[side] = _solve_arm(tr, side, base[side], layers[side], style, t, base_curl[side])
    if markers:  # only the gestures this avatar could make (see _solve_arm); a two-handed one marks once
        done = sorted({(lay.start, lay.kind) for side in layers for lay in layers[side] if lay.done})
        for start, kind in done:
            ctx.mark(kind, start)
    return activity


def _soft_range(x: Array, lo: float, hi: float, margin: float) -> Array:
    """Softly confine ``x`` to ``[lo, hi]``: unchanged inside ``[lo + margin, hi - margin]``, saturating (C1)."""
    a, b = lo + margin, hi - margin
    up = b + margin * np.tanh((x - b) / margin)
    dn = a - margin * np.tanh((a - x) / margin)
    return np.where(x > b, up, np.where(x < a, dn, x))


def _comfortable_wrist(sk: Skeleton, side: str, local: Array) -> Array:
    """Hand local rotations ``[F, 4]`` with flexion, deviation and twist softly kept inside everyday ranges.

    Facts §4 ADL envelope: wrist flexion/extension -40..+38°, deviation 20° ulnar..5° radial; §8 ROM
    extension 70, flexion 75-90, radial 20, ulnar 30-45, forearm 70-90 each way. The bounds below sit
    between the two (a gesture may reach further than a meal, never past the ROM).
    """
    s = 1.0 if side == "left" else -1.0
    mid = f"{side}MiddleProximal"
    axis = sk.offsets[hm.INDEX[mid]] if sk.has(mid) else np.array([s, 0.0, 0.0])
    axis = axis / np.linalg.norm(axis)
    # forearm rotation first, then the wrist bends about the turned axes: local = twist * swing (the
    # quality suite reads the wrist the same way)
    _, twist = quat.swing_twist(local, axis)
    swing = quat.mul(quat.conj(twist), local)
    rv = np.degrees(quat.to_scaled_axis(swing))
    flex = _soft_range(-s * rv[:, 2], -60.0, 75.0, 15.0)  # + flexion (palm-ward)
    dev = _soft_range(-s * rv[:, 1], -35.0, 15.0, 8.0)  # + radial
    rv[:, 2] = -s * flex
    rv[:, 1] = -s * dev
    tw = np.degrees(quat.twist_angle(local, axis))
    tw = _soft_range(tw, -60.0, 60.0, 15.0)
    return quat.mul(quat.from_axis_angle(axis, np.radians(tw)), quat.from_scaled_axis(np.radians(rv)))


def _solve_goal(
    tr: Tracks, side: str, lay: _Layer, grot: Array, gpos: Array
) -> tuple[Array, Array, Array, NDArray[np.bool_]]:
    """IK for one layer held at full weight: (upper-arm local rotation [F, 4], elbow hinge angle [F] rad,
    hand local rotation [F, 4]). The wrist is kept comfortable and the contact point then re-aimed."""
    sk = tr.skeleton
    n = len(lay.env)
    upper, lower, hand = f"{side}UpperArm", f"{side}LowerArm", f"{side}Hand"
    ju, jl, jh = hm.INDEX[upper], hm.INDEX[lower], hm.INDEX[hand]
    hinge = HINGE_AXES[lower]
    parent = grot[:, sk.parents[ju]]
    hand_rot = np.broadcast_to(lay.hand, (n, 4))
    upper_g = grot[:, ju]
    sol = None
    for _ in range(6):  # IK and wrist clamp alternate; a fixed point within ~0.1 mm after 4-6 rounds
        target = lay.goal - quat.rotate(hand_rot, lay.contact)
        sol = ik.two_bone(
            gpos[:, ju], upper_g, sk.offsets[jl], sk.offsets[jh], target, lay.pole, hinge, HINGE_LIMITS["LowerArm"]
        )
        upper_g = sol.upper_grot
        lower_g = quat.mul(sol.upper_grot, sol.lower_lrot)
        # keep the wrist inside a comfortable range, then re-aim the arm with the corrected hand
        local = _comfortable_wrist(sk, side, quat.mul(quat.conj(lower_g), hand_rot))
        hand_rot = quat.mul(lower_g, local)
    assert sol is not None
    upper_l = quat.normalize(quat.mul(quat.conj(parent), sol.upper_grot))
    return upper_l, _hinge_angle(sol.lower_lrot, hinge), quat.mul(quat.conj(lower_g), hand_rot), sol.reached


def _solve_arm(
    tr: Tracks, side: str, base: _Layer, layers: list[_Layer], style: StandingStyle, t: Array, base_curl: Array
) -> Array:
    """Solve each layer's goal by IK, then blend in joint space over the base in time order.

    Joint-space blending gives curved hand paths whose elbow stays low (a straight hand line from the
    hanging hand to the chin would swing the elbow out or back), and each joint gets its own onset:
    clavicle first, then the upper arm, the elbow ``elbow_lag`` later, the hand ``wrist_lag`` and the
    fingers ``finger_lag`` after that (facts §4 proximal -> distal). At full weight a layer's pose is its
    IK solution, so holds touch exactly. Returns the arm's activity envelope ``[F]`` (0 at rest).
    """
    n = len(t)
    s = 1.0 if side == "left" else -1.0
    upper, lower, hand = f"{side}UpperArm", f"{side}LowerArm", f"{side}Hand"
    ju, jl, jh = hm.INDEX[upper], hm.INDEX[lower], hm.INDEX[hand]
    hinge = HINGE_AXES[lower]
    activity = np.zeros(n)
    for lay in layers:
        activity = activity + lay.env - activity * lay.env
    # goals are solved with the clavicle as posture and breathing left it; the gesture's clavicle raise
    # comes after, so a held pose does not twitch its elbow when the clavicle starts to lead
    grot, gpos = tr.fk()
    up = tr.lrot[:, ju].copy()
    phi = _hinge_angle(tr.lrot[:, jl], hinge)
    hl = tr.lrot[:, jh].copy()
    curl = base_curl.copy()
    for lay in layers:
        live = lay.env > 0
        if not live.any():
            continue
        u_k, phi_k, h_k, reached = _solve_goal(tr, side, lay, grot, gpos)
        held = lay.env > 0.5
        if lay.kind not in HELD_POSES and held.any() and np.mean(~reached[held]) > 0.2:
            # this avatar's arm cannot make this touch (too short or too long for the spot): skip it rather
            # than fold the arm against its limits
            continue
        e = lay.env
        lay.done = lay.kind not in HELD_POSES
        up = quat.slerp(up, u_k, e)
        phi = phi + (phi_k - phi) * _delayed(t, e, style.elbow_lag)
        hl = quat.slerp(hl, h_k, _delayed(t, e, style.wrist_lag))
        curl = curl + (lay.curl - curl) * _delayed(t, e, style.finger_lag)
    # the clavicle leads the arm (facts §4 proximal -> distal); only gestures raise it, not held poses
    moving = np.zeros(n)
    for lay in layers:
        if lay.kind not in HELD_POSES:
            moving = moving + lay.env - moving * lay.env
    tr.rotate(f"{side}Shoulder", rot(Z, s * 4.0 * np.interp(t + style.shoulder_lead, t, moving)))
    tr.lrot[:, ju] = up
    tr.lrot[:, jl] = quat.from_axis_angle(hinge, phi)
    tr.lrot[:, jh] = hl
    _finger_pose(tr, side, curl, np.minimum(curl, style.finger_curl + 0.5 * (curl - style.finger_curl)))
    return activity
