"""A standing body shared by every standing motion: posture, breathing, sway, weight shifts, gestures, gaze.

A motion describes *who* is standing with a :class:`StandingStyle` (posture
angles, rates, amplitudes, arm mode) and this module makes the clip:

1. :func:`plan` draws the event schedule (breaths, sighs, postural fidgets,
   weight shifts, glances, blinks, arm gestures) from renewal processes at
   measured rates, without posing anything, so tests can check hours of
   schedule in milliseconds.
2. :func:`build` renders it vectorised over the clip: pelvis travel over the
   support foot, breathing on the thoracic bones, sway, gaze (eyes, head, neck,
   chest shares), arms driven by hand targets through two-bone IK with
   proximal-to-distal lags and an anticipatory pelvis shift, and leg IK that
   keeps both feet planted.

Gestures are not states: each is an envelope that pulls one hand's goal toward
its target and back, composed in time order, so they overlap with breathing
and with each other. A sigh can start a gesture (``sigh_gesture``).

Numbers cite ``human_motion_facts.md`` (§1 standing, §4 reaching, §6 fidgeting,
§7 postures, §9 timing); [E] marks estimates, which are style fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from posers_blender import humanoid as hm

from . import ik, quat
from .breathing import BreathTrack, breath_track
from .curves import bump, minimum_jerk
from .face import blink_times, blink_track
from .gaze import Glance, GazeStyle, gaze_tracks, plan_glances
from .noise import noise_track, renewal_times, sway_track
from .program import HINGE_AXES, HINGE_LIMITS, Context, Tracks
from .skeleton import Skeleton
from .springs import damp_track

Array = NDArray[np.float64]
X = np.array([1.0, 0.0, 0.0])
Y = np.array([0.0, 1.0, 0.0])
Z = np.array([0.0, 0.0, 1.0])
SIDES = (("left", 1.0), ("right", -1.0))

STREAMS = ("breath", "sway", "shift", "fidget", "glance", "blink", "head", "fingers", "gesture", "render")

#: Self-touch gesture kinds (facts §6 menu) and the marker each emits.
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
    knee_soft: float = 0.008  # hips lowered by soft knees (m)
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
    fidget_cv: float = 0.3
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
        rise=rng.uniform(*sp.rise) * k**0.5,  # transport time shrinks less than the hold [E]
        hold=rng.uniform(*sp.hold) * k,
        fall=rng.uniform(*sp.fall) * k**0.5,
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
    fidgets = np.sort(np.concatenate([fidgets, np.asarray(sigh_fidgets)]))
    fidgets = fidgets[fidgets < duration]
    gestures = [g for g in gestures if g.t < duration]
    blinks = blink_times(rngs["blink"], duration, style.blink_rate)
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
    return 2.0 * np.arctan2(q[:, 1:] @ axis, q[:, 0])


@dataclass
class BuildResult:
    """The tracks plus what tests and markers need: schedule, weight track, per-arm gesture activity."""

    tracks: Tracks
    schedule: Schedule
    weight: Array
    arm_activity: dict[str, Array]
    contact_goals: dict[str, Array] = field(default_factory=dict)
    feet: dict[str, Array] = field(default_factory=dict)


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
    ap = sway_track(rngs["sway"], t, tuple(x * f for x in (0.06, 0.17, 0.37, 0.71)), rms=0.004 * style.sway * scale)
    ml = sway_track(rngs["sway"], t, tuple(x * f for x in (0.05, 0.13, 0.29, 0.59)), rms=0.0025 * style.sway * scale)
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
    hips[:, 1] = -style.knee_soft * scale - 0.004 * scale * np.abs(weight)
    tr.hips_offset[:] = hips
    # pelvis rolls up on the support side (the free hip drops, so the free knee bends); spine rights the trunk
    roll = 3.0 * weight
    yaw_noise = noise_track(rngs["sway"], t, 0.08)[:, 0] * 1.2 * style.sway * ws
    tr.rotate("hips", quat.mul(rot(Y, yaw_noise + 2.0 * weight), rot(Z, roll)))

    # ---- gaze: eyes, head, neck, chest (facts §9) ----------------------------------------------------------
    gz = gaze_tracks(t, sched.glances, style.gaze, rngs["glance"])
    if markers:
        for gl in sched.glances:
            ctx.mark(gl.kind, gl.t)
    hn = noise_track(rngs["head"], t, 0.25, channels=3) * style.head_motion
    yaw = (hn[:, 0] * 1.2 + head_fidget[:, 0] + gz.head_yaw) * wgz
    pitch = hn[:, 1] * 1.0 + head_fidget[:, 1] + gz.head_pitch * wgz
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
    blinks = np.sort(np.concatenate([sched.blinks, gz.extra_blinks]))
    keep: list[float] = []
    for b in blinks:
        if not keep or b - keep[-1] >= 0.35:
            keep.append(float(b))
    sched.blinks = np.asarray(keep)
    tr.expressions["blink"] = blink_track(t, sched.blinks)

    # ---- shoulders (clavicles): posture + breathing lift ---------------------------------------------------
    for side, s in SIDES:
        tr.rotate(
            f"{side}Shoulder", quat.mul(rot(Y, s * style.shoulder_back), rot(Z, s * (lift + style.shoulder_raise)))
        )

    # ---- arms ----------------------------------------------------------------------------------------------
    activity = _arms(ctx, tr, style, sched, rr, rngs["fingers"], markers, scale, dt)

    # ---- legs: feet planted at the stance positions --------------------------------------------------------
    rest = sk.rest_positions()
    feet = {}
    for side, s in SIDES:
        foot = rest[sk.index(f"{side}Foot")] + np.array([s * style.stance_width * scale, 0.0, 0.0])
        knee = rest[sk.index(f"{side}LowerLeg")] + np.array([s * style.stance_width * scale * 0.5, 0.0, 0.0])
        toe_out = rot(Y, s * style.toe_out)
        pole = knee + quat.rotate(toe_out, np.array([0.0, 0.0, 0.5]))
        tr.solve_limb(f"{side}Leg", foot, pole, end_grot=toe_out)
        feet[side] = foot
    return BuildResult(tr, sched, weight, activity, feet=feet)


# -- arms ---------------------------------------------------------------------------------------------------------


def _contact_point(sk: Skeleton, side: str, kind: str) -> tuple[str, Array]:
    """(bone, offset) of the part of the hand that touches: ``fingers``, ``palm``, ``knuckles`` or ``wrist``."""
    hand = f"{side}Hand"
    s = 1.0 if side == "left" else -1.0
    forearm = sk.bone_length(f"{side}LowerArm")
    hl = 0.74 * forearm  # facts §10: hand 0.108 H vs forearm 0.146 H
    if kind == "fingers" and sk.has(f"{side}MiddleDistal"):
        return f"{side}MiddleDistal", np.array([s * 0.01 * hl / 0.18, 0.0, 0.0])
    if kind == "knuckles" and sk.has(f"{side}IndexIntermediate"):
        return f"{side}IndexIntermediate", np.array([0.0, 0.006 * hl / 0.18, 0.0])
    if kind == "wrist":
        return hand, np.zeros(3)
    if kind == "fingers":
        return hand, np.array([s * 0.9 * hl, 0.0, 0.0])
    # palm centre, on the palm side (palm down in the T-pose = -Y)
    return hand, np.array([s * 0.45 * hl, -0.015 * hl / 0.18, 0.0])


def _finger_pose(tr: Tracks, side: str, curl: Array, thumb: Array) -> None:
    s = 1.0 if side == "left" else -1.0
    for finger, k in (("Index", 0.75), ("Middle", 0.95), ("Ring", 1.05), ("Little", 1.2)):
        for ph, m in (("Proximal", 0.8), ("Intermediate", 1.0), ("Distal", 0.7)):
            tr.set(f"{side}{finger}{ph}", rot(np.array([0.0, 0.0, -s]), curl * k * m))
    thumb_axis = np.cross(np.array([s * 0.7, -0.06, 0.71]), -Y)
    tr.set(f"{side}ThumbProximal", rot(thumb_axis, 0.5 * thumb))
    tr.set(f"{side}ThumbDistal", rot(thumb_axis, 0.6 * thumb))


@dataclass
class _Layer:
    """One pull on a hand: envelope ``env [F]``, goal ``[F, 3]``, contact (bone, offset), pole ``[F, 3]``."""

    env: Array
    goal: Array
    contact: tuple[str, Array]
    pole: Array
    wrist: Array  # hand local rotation target [F, 4] or [4]
    curl: float
    kind: str


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
    # relaxed hanging arms define the base hand positions and elbow directions (FK, before any IK)
    hang = 90.0 - style.arm_hang
    lag = (tr.hips_offset - damp_track(tr.hips_offset, 0.25, dt)) / max(
        sk.bone_length("leftUpperArm") + sk.bone_length("leftLowerArm"), 0.1
    )
    for side, s in SIDES:
        swing_fwd = np.degrees(lag[:, 2]) * 6.0  # arms lag the trunk a little (follow-through)
        swing_out = np.degrees(lag[:, 0]) * 6.0 * s
        tr.set(f"{side}UpperArm", quat.mul(rot(X, -style.arm_forward - swing_fwd), rot(Z, -s * (hang + swing_out))))
        tr.set(f"{side}LowerArm", rot(HINGE_AXES[f"{side}LowerArm"], style.elbow_flex))
        tr.set(f"{side}Hand", rot(Z, -s * 6.0))
        curl_noise = noise_track(finger_rng, t, 0.15)[:, 0] * 3.0
        _finger_pose(tr, side, style.finger_curl + curl_noise, np.full(n, style.finger_curl))
    grot, gpos = tr.fk()
    sw = style.gesture_weight
    layers: dict[str, list[_Layer]] = {"left": [], "right": []}
    base_hand_rot = {side: tr.lrot[:, hm.INDEX[f"{side}Hand"]].copy() for side, _ in SIDES}
    hips_g, chest_g = grot[:, hm.INDEX["hips"]], grot[:, hm.INDEX["upperChest"]]
    hips_p = gpos[:, hm.INDEX["hips"]]

    def body(frame_rot: Array, origin: Array, off: Array) -> Array:
        return origin + quat.rotate(frame_rot, np.asarray(off) * scale)

    base: dict[str, _Layer] = {}
    for side, s in SIDES:
        elbow = gpos[:, hm.INDEX[f"{side}LowerArm"]]
        base[side] = _Layer(
            np.ones(n),
            gpos[:, hm.INDEX[f"{side}Hand"]],
            (f"{side}Hand", np.zeros(3)),
            elbow,
            base_hand_rot[side],
            style.finger_curl,
            "rest",
        )

    # ---- held arm poses (hands on hips, contracted, hand at the chin), with optional transitions in/out ----
    hold_env = np.ones(n)
    if style.enter > 0:
        hold_env = hold_env * minimum_jerk(t / style.enter)
    if style.leave > 0:
        hold_env = hold_env * (1.0 - minimum_jerk((t - (ctx.duration - style.leave)) / style.leave))
    shoulder = {side: gpos[:, hm.INDEX[f"{side}UpperArm"]] for side, _ in SIDES}
    chin_side = style.support_side
    for side, s in SIDES:
        if style.arm_mode == "hips":
            goal = body(hips_g, hips_p, (s * 0.135, 0.045, 0.015))
            pole = body(chest_g, shoulder[side], (s * 0.45, -0.25, -0.25))
            wrist = rot(Z, s * 35.0)  # wrist bent so the palm rests on the iliac crest [E]
            layers[side].append(_Layer(hold_env, goal, _contact_point(sk, side, "palm"), pole, wrist, 35.0, "hips"))
        elif style.arm_mode == "contract":
            # elbows in against the trunk, forearms forward, hands close in front of the belly (facts §7)
            goal = body(hips_g, hips_p, (s * 0.075, 0.09, 0.13))
            pole = body(chest_g, shoulder[side], (s * 0.08, -0.35, -0.12))
            wrist = quat.mul(rot(X, 20.0), rot(Y, -s * 30.0))
            layers[side].append(_Layer(hold_env, goal, _contact_point(sk, side, "palm"), pole, wrist, 30.0, "contract"))
    if style.arm_mode == "chin":
        s = 1.0 if chin_side == "left" else -1.0
        chin = sk.landmark_positions("chin", grot, gpos)
        goal = chin + quat.rotate(grot[:, hm.INDEX["head"]], np.array([0.0, -0.012, 0.012]) * scale)
        pole = body(chest_g, shoulder[chin_side], (s * 0.05, -0.45, 0.12))
        wrist = quat.mul(rot(Z, s * 25.0), rot(X, 10.0))  # wrist extended back, fist under the chin [E]
        layers[chin_side].append(
            _Layer(hold_env, goal, _contact_point(sk, chin_side, "knuckles"), pole, wrist, 75.0, "chin")
        )
    # ---- gesture layers ------------------------------------------------------------------------------------
    for g in sched.gestures:
        s = 1.0 if g.side == "left" else -1.0
        other = "right" if g.side == "left" else "left"
        env = _reach_profile(t, g) * sw
        hold_t0 = g.t + g.rise
        strokes = _strokes(rng, t, hold_t0, hold_t0 + g.hold, g.strokes)
        head_g = grot[:, hm.INDEX["head"]]
        if g.kind == "face_touch":
            lips = sk.landmark_positions("lips", grot, gpos)
            spot = [(0.0, -0.004, 0.012), (0.0, 0.03, 0.02), (s * 0.045, 0.02, -0.01), (s * 0.02, -0.03, 0.0)][g.site]
            goal = lips + quat.rotate(head_g, np.array(spot) * scale)
            pole = body(chest_g, shoulder[g.side], (s * 0.25, -0.4, 0.05))
            lay = _Layer(
                env,
                goal,
                _contact_point(sk, g.side, "fingers"),
                pole,
                quat.mul(rot(Y, s * 60.0), rot(Z, s * 25.0)),
                25.0,
                g.kind,
            )
        elif g.kind == "neck_touch":
            neck = gpos[:, hm.INDEX["neck"]]
            goal = neck + quat.rotate(head_g, np.array([s * 0.045, 0.035, -0.02]) * scale)
            goal = goal + quat.rotate(chest_g, np.array([0.0, 0.015, 0.0]) * scale) * strokes[:, None]
            pole = body(chest_g, shoulder[g.side], (s * 0.3, -0.3, 0.15))
            lay = _Layer(
                env,
                goal,
                _contact_point(sk, g.side, "fingers"),
                pole,
                quat.mul(rot(Y, s * 70.0), rot(Z, s * 30.0)),
                20.0,
                g.kind,
            )
        elif g.kind == "arm_rub":
            up = gpos[:, hm.INDEX[f"{other}UpperArm"]]
            lo = gpos[:, hm.INDEX[f"{other}LowerArm"]]
            goal = up + 0.55 * (lo - up) + quat.rotate(chest_g, np.array([-s * 0.045, 0.0, 0.02]) * scale)
            goal = goal + 0.2 * (lo - up) * strokes[:, None]
            pole = body(chest_g, shoulder[g.side], (s * 0.15, -0.4, 0.0))
            lay = _Layer(
                env,
                goal,
                _contact_point(sk, g.side, "palm"),
                pole,
                quat.mul(rot(Y, s * 40.0), rot(Z, s * 10.0)),
                20.0,
                g.kind,
            )
        elif g.kind == "hand_wring":
            centre = body(hips_g, hips_p, (0.0, 0.1, 0.2))
            for hand_side, hs in SIDES:
                off = quat.rotate(hips_g, np.array([hs * 0.025, 0.01 * hs, 0.0]) * scale)
                ring = quat.rotate(hips_g, np.array([0.0, 0.012, 0.01]) * scale) * (hs * strokes)[:, None]
                pole_h = body(chest_g, shoulder[hand_side], (hs * 0.2, -0.4, -0.1))
                layers[hand_side].append(
                    _Layer(
                        env,
                        centre + off + ring,
                        _contact_point(sk, hand_side, "palm"),
                        pole_h,
                        quat.mul(rot(X, 10.0), rot(Y, -hs * 50.0)),
                        40.0,
                        g.kind,
                    )
                )
            if markers:
                ctx.mark(g.kind, g.t)
            continue
        elif g.kind == "hip_touch":
            goal = body(hips_g, hips_p, (s * 0.135, 0.045, 0.015))
            pole = body(chest_g, shoulder[g.side], (s * 0.45, -0.25, -0.25))
            lay = _Layer(env, goal, _contact_point(sk, g.side, "palm"), pole, rot(Z, s * 35.0), 35.0, g.kind)
        elif g.kind == "chin_rub":
            chin = sk.landmark_positions("chin", grot, gpos)
            goal = chin + quat.rotate(head_g, np.array([0.012 * strokes[0] * 0, -0.012, 0.012]) * scale)
            goal = goal + quat.rotate(head_g, np.array([0.012, 0.0, 0.0]) * scale) * strokes[:, None]
            pole = body(chest_g, shoulder[g.side], (s * 0.05, -0.45, 0.12))
            lay = _Layer(
                env,
                goal,
                _contact_point(sk, g.side, "knuckles"),
                pole,
                quat.mul(rot(Z, s * 25.0), rot(X, 10.0)),
                75.0,
                g.kind,
            )
        elif g.kind == "hand_change":
            # fingers along the cheek and thumb under the jaw: the "thinker's" other hold [E]
            lips = sk.landmark_positions("lips", grot, gpos)
            goal = lips + quat.rotate(head_g, np.array([s * 0.05, 0.01, -0.015]) * scale)
            pole = body(chest_g, shoulder[g.side], (s * 0.1, -0.45, 0.1))
            lay = _Layer(
                env,
                goal,
                _contact_point(sk, g.side, "fingers"),
                pole,
                quat.mul(rot(Y, s * 60.0), rot(Z, s * 20.0)),
                30.0,
                g.kind,
            )
        else:
            continue
        layers[g.side].append(lay)
        if markers:
            ctx.mark(g.kind, g.t)

    # the supporting forearm for the chin hand: the other hand cups that elbow (contemplative lean)
    activity: dict[str, Array] = {}
    order = [chin_side, "left" if chin_side == "right" else "right"] if style.arm_mode == "chin" else ["left", "right"]
    for side in order:
        s = 1.0 if side == "left" else -1.0
        if style.arm_mode == "chin" and side != chin_side:
            grot2, gpos2 = tr.fk()
            elbow = gpos2[:, hm.INDEX[f"{chin_side}LowerArm"]]
            lower_g = grot2[:, hm.INDEX[f"{chin_side}LowerArm"]]
            # just under and behind the elbow, palm up [E]
            goal = elbow + quat.rotate(lower_g, np.array([-s * 0.03, -0.035, 0.0]) * scale)
            goal = goal + np.array([0.0, -0.01, 0.0]) * scale
            pole = body(chest_g, shoulder[side], (s * 0.2, -0.4, -0.05))
            layers[side].insert(
                0,
                _Layer(
                    hold_env,
                    goal,
                    _contact_point(sk, side, "palm"),
                    pole,
                    quat.mul(rot(X, -70.0), rot(Z, s * 10.0)),
                    35.0,
                    "support",
                ),
            )
        activity[side] = _solve_arm(tr, side, base[side], layers[side], style, t)
    return activity


def _solve_arm(tr: Tracks, side: str, base: _Layer, layers: list[_Layer], style: StandingStyle, t: Array) -> Array:
    """Blend the layers' goals over the base in time order, then IK with proximal-to-distal lags.

    Returns the arm's activity envelope ``[F]`` (0 at rest).
    """
    sk = tr.skeleton
    n = len(t)
    s = 1.0 if side == "left" else -1.0
    upper, lower, hand = f"{side}UpperArm", f"{side}LowerArm", f"{side}Hand"
    ju, jl, jh = hm.INDEX[upper], hm.INDEX[lower], hm.INDEX[hand]
    hinge = HINGE_AXES[lower]
    activity = np.zeros(n)
    pole = base.pole.copy()
    hand_rot = base.wrist if base.wrist.ndim == 2 else np.tile(base.wrist, (n, 1))
    curl = np.full(n, base.curl)
    for lay in layers:
        e = lay.env
        activity = activity + e - activity * e
        pole = pole + (lay.pole - pole) * e[:, None]
        ew = _delayed(t, e, style.wrist_lag)
        hand_rot = quat.slerp(hand_rot, np.broadcast_to(lay.wrist, hand_rot.shape), ew)
        ef = _delayed(t, e, style.finger_lag)
        curl = curl + (lay.curl - curl) * ef
    # clavicle leads the arm (facts §4 proximal -> distal)
    clav = np.interp(t + style.shoulder_lead, t, activity)
    tr.rotate(f"{side}Shoulder", rot(Z, s * 4.0 * clav))
    tr.lrot[:, jh] = hand_rot
    if np.max(activity) > 0:
        _finger_pose(tr, side, curl, curl)
    # iterate: wrist target from each layer's contact point, IK, FK, update
    offsets = [np.zeros((n, 3)) for _ in range(len(layers) + 1)]
    all_layers = [base, *layers]
    for _ in range(3):
        grot, gpos = tr.fk()
        wrist_pos = gpos[:, jh]
        for k, lay in enumerate(all_layers):
            offsets[k] = _point(grot, gpos, lay.contact[0], lay.contact[1]) - wrist_pos
        target = base.goal - offsets[0]
        for k, lay in enumerate(layers, start=1):
            target = target + ((lay.goal - offsets[k]) - target) * lay.env[:, None]
        sol = ik.two_bone(
            gpos[:, ju],
            grot[:, ju],
            sk.offsets[jl],
            sk.offsets[jh],
            target,
            pole,
            hinge,
            HINGE_LIMITS["LowerArm"],
        )
        parent = grot[:, sk.parents[ju]]
        tr.lrot[:, ju] = quat.normalize(quat.mul(quat.conj(parent), sol.upper_grot))
        tr.lrot[:, jl] = sol.lower_lrot
    # elbow lags the shoulder (facts §4): delay the elbow flexion while the arm moves; holds stay exact
    # (always delayed, so there is no switch to cause a jump; during holds the target barely moves).
    phi = _hinge_angle(tr.lrot[:, jl], hinge)
    tr.lrot[:, jl] = quat.from_axis_angle(hinge, _delayed(t, phi, style.elbow_lag))
    return activity


def with_overrides(style: StandingStyle, **kw: object) -> StandingStyle:
    """A copy of ``style`` with some fields replaced (typed helper for the motions)."""
    return replace(style, **kw)  # type: ignore[arg-type]
