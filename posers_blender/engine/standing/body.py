"""The standing body below and around the arms: pelvis, weight, trunk, head, eyes, clavicles, the wall lean and the
hips height, vectorised over the clip.

:func:`pose_body` runs the stages in order: breathing angles, postural sway (with postural fidgets), the weight
track of the shifts, the anticipatory pelvis shift before each reach, the pelvis, gaze and head, the trunk, the
eyes, the clavicles, the lean on a wall, and the hips height that keeps both legs reaching their planted feet.
:func:`plant_feet` solves the legs last, once the arms are posed.

Numbers cite ``human_motion_facts.md`` §1 (quiet standing), §4 (APA) and §9 (gaze); [E] marks estimates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ... import humanoid as hm
from .. import quat, reach
from ..breathing import BreathAngles, breath_angles
from ..curves import bump, minimum_jerk
from ..face import blink_track
from ..gaze import GazeTracks, gaze_tracks
from ..noise import noise_track
from ..program import Context, Tracks
from ..targets import place_feet
from .arm_plan import ArmPlan
from .micro import Micro
from .schedule import Schedule
from .style import SIDES, StandingStyle

Array = NDArray[np.float64]
rot = quat.from_axis_angle_deg
X = np.array([1.0, 0.0, 0.0])
Y = np.array([0.0, 1.0, 0.0])
Z = np.array([0.0, 0.0, 1.0])

#: Clavicle lift per tidal unit above 1.3 (deg): a sigh lifts the shoulders about 1 cm (facts §1).
CLAVICLE_GAIN = 1.6
SHIFT_M = 0.022  # facts §1: ML weight-shift amplitude 22 mm (pelvis, default avatar)


@dataclass
class Body:
    """What the arms and legs need from the body: the weight track (-1 right leg .. +1 left leg) ``[F]``, the
    anticipatory pelvis shift ``[F, 3]`` (m) and each foot's planted position ``[3]``."""

    weight: Array
    apa: Array
    feet: dict[str, Array]


@dataclass
class Sway:
    """Postural sway of the pelvis (m, ``[F]``): anterior-posterior ``ap``, medio-lateral ``ml`` and vertical
    ``bob``, the pelvis yaw wander ``yaw`` (deg), its pitch and roll wander ``tilt`` (rotation vector, rad,
    ``[F, 3]``) and the head's share of the postural fidgets ``head_fidget`` (deg, ``[F, 2]`` yaw, pitch)."""

    ap: Array
    ml: Array
    bob: Array
    yaw: Array
    tilt: Array
    head_fidget: Array


@dataclass
class Head:
    """Head and chest angles (deg, ``[F]``): gaze shifts plus micro-movement, and the gaze tracks they serve."""

    yaw: Array
    pitch: Array
    roll: Array
    chest_yaw: Array
    gaze: GazeTracks


def pose_body(
    ctx: Context,
    tr: Tracks,
    style: StandingStyle,
    sched: Schedule,
    arm_plans: dict[str, ArmPlan],
    rngs: dict[str, np.random.Generator],
    micro: Micro,
) -> Body:
    """Pose everything but the arms and legs on ``tr``; the hips height leaves both feet reachable. ``micro`` is
    the fitted micro-motion the pelvis, trunk and head carry."""
    t = ctx.times
    scale = ctx.skeleton.leg_ratio  # 1 for the 1.65 m default avatar
    v = sched.breaths.volume * style.breathing_weight  # tidal units: 0 end-exhale, ~1 quiet inhale, ~2 sigh
    breath = breath_angles(v, CLAVICLE_GAIN)
    sway = postural_sway(t, style, sched, v, rngs, scale, micro)
    weight = weight_track(t, sched, style, rngs["shift"])
    apa, lean_fwd = anticipation(t, style, arm_plans, scale)
    place_pelvis(tr, style, sway, weight, apa, scale)
    head = head_and_gaze(t, style, sched, sway, rngs, micro)
    pose_trunk(tr, style, breath, weight, sway, lean_fwd, head, micro)
    pose_eyes(tr, t, style, sched, head)
    pose_clavicles(tr, style, breath)
    lean_on_wall(tr, t, style, ctx.duration, scale)
    feet = settle_on_legs(tr, style, scale, micro.feet, ctx)
    tr.hips_offset[:, 1] += sway.bob - (sway.bob.max() if len(t) else 0.0)  # only down: a locked knee cannot rise
    return Body(weight, apa, feet)


def postural_sway(
    t: Array,
    style: StandingStyle,
    sched: Schedule,
    v: Array,
    rngs: dict[str, np.random.Generator],
    scale: float,
    micro: Micro,
) -> Sway:
    """The fitted pelvis micro-motion (travel scaled to facts §1: AP RMS ~4 mm, ML ~2.5 mm around a slow
    median; its yaw, roll and pitch as fitted), 10-20% of the AP part following the breath, and the postural
    fidgets: fast, large excursions and returns (Duarte & Zatsiorsky) [E on 8-15 mm]."""
    ws = style.sway_weight
    ap = micro.hips_position[:, 2].copy()
    ml = micro.hips_position[:, 0].copy()
    bob = micro.hips_position[:, 1].copy()
    vb = v - v.mean()
    if np.std(vb) > 0:
        ap = ap + 0.15 * 0.004 * style.sway * scale * vb / np.std(vb)
    ap *= ws
    rf = rngs["fidget"]
    head_fidget = np.zeros((len(t), 2))
    for ft in sched.fidgets:
        amp = style.fidget_amp * rf.uniform(0.7, 1.3) * scale
        ang = rf.uniform(0, 2 * np.pi)
        env = bump(t, ft, rf.uniform(0.6, 1.0), rf.uniform(0.3, 1.5), rf.uniform(0.8, 1.5))
        ap = ap + amp * np.cos(ang) * env
        ml = ml + amp * np.sin(ang) * env
        head_fidget += env[:, None] * rf.uniform(-4, 4, size=2)
    yaw = np.degrees(micro.hips[:, 1])
    tilt = micro.hips * np.array([1.0, 0.0, 1.0])
    return Sway(ap, ml, bob, yaw, tilt, head_fidget)


def weight_track(t: Array, sched: Schedule, style: StandingStyle, rng: np.random.Generator) -> Array:
    """The weight over the clip (-1 right leg .. +1 left leg): minimum-jerk shifts of ``shift_duration`` (±25%)."""
    w = np.full(len(t), sched.start_weight)
    prev = sched.start_weight
    for st, target in zip(sched.shifts, sched.shift_targets):
        dur = style.shift_duration * rng.uniform(0.8, 1.25)
        w = w + (target - prev) * minimum_jerk((t - st) / dur)
        prev = float(target)
    return w


def anticipation(t: Array, style: StandingStyle, arm_plans: dict[str, ArmPlan], scale: float) -> tuple[Array, Array]:
    """The anticipatory postural adjustment before each arm reach (facts §4 APA): the pelvis ``[F, 3]`` (m) back
    and away from the arm, held as a counterbalance while the hand is away from home, and the trunk's forward
    lean (deg, ``[F]``) while it is."""
    apa = np.zeros((len(t), 3))
    lean_fwd = np.zeros(len(t))
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
    return apa, lean_fwd


def place_pelvis(tr: Tracks, style: StandingStyle, sway: Sway, weight: Array, apa: Array, scale: float) -> None:
    """Pelvis travel: sway, the weight over the support foot and the APA; the pelvis rolls up on the support side
    (the free hip drops, so the free knee bends) and yaws with the sway."""
    hips = np.zeros((len(weight), 3))
    hips[:, 0] = sway.ml + SHIFT_M * scale * weight + apa[:, 0]
    hips[:, 2] = sway.ap + apa[:, 2] + style.hips_ahead * scale
    tr.hips_offset[:] = hips
    tr.rotate("hips", quat.mul(rot(Y, sway.yaw + 2.0 * weight), rot(Z, style.pelvis_roll * weight)))
    tr.rotate("hips", quat.from_scaled_axis(sway.tilt))


def head_and_gaze(
    t: Array, style: StandingStyle, sched: Schedule, sway: Sway, rngs: dict[str, np.random.Generator], micro: Micro
) -> Head:
    """Head and chest angles from the glances (facts §9 shares, scaled by ``head_share``), the fitted head
    micro-motion (the eyes keep the gaze through it) and the head's part of the postural fidgets."""
    gz = gaze_tracks(t, sched.glances, style.gaze, rngs["glance"])
    wgz = style.gaze_weight
    hn = np.degrees(micro.head)  # + x: head down, + y: to the left, + z: roll toward the right shoulder
    hs = style.head_share
    return Head(
        yaw=(hn[:, 1] + sway.head_fidget[:, 0] + hs * gz.head_yaw) * wgz,
        pitch=-hn[:, 0] + sway.head_fidget[:, 1] + hs * gz.head_pitch * wgz,
        roll=-hn[:, 2] + style.head_roll,
        chest_yaw=gz.chest_yaw * wgz,
        gaze=gz,
    )


def pose_trunk(
    tr: Tracks,
    style: StandingStyle,
    breath: BreathAngles,
    weight: Array,
    sway: Sway,
    lean_fwd: Array,
    head: Head,
    micro: Micro,
) -> None:
    """Spine, chest, neck and head: posture + breathing + gaze shares; the spine rights the trunk over the support
    leg, the neck cancels the chest's breathing extension and posture, then adds the head pitch; the fitted trunk
    micro-motion a third on each thoracic bone. Over the pelvis' sway travel (not the weight shifts, over which the
    spine rights the trunk) the spine leans back against it so the head stays over the same spot (a hip strategy
    with the head steady in space): the chest and head then move against the hips about as much as people's do
    (realism features: chest/hips speed correlation 0.3-0.55, head/chest 0.8-0.9)."""
    ext = style.chest_ext
    roll = style.pelvis_roll * weight
    yaw = head.yaw
    rest = tr.skeleton.rest_positions()
    lever = float(rest[hm.INDEX["head"], 1] - rest[hm.INDEX["spine"], 1])
    steady_pitch = -np.degrees(np.arctan2(style.head_steady * sway.ap, lever))
    steady_roll = np.degrees(np.arctan2(style.head_steady * sway.ml, lever))
    tr.rotate(
        "spine",
        quat.mul(
            rot(Y, -0.5 * sway.yaw),
            quat.mul(rot(X, -0.25 * ext + breath.spine + lean_fwd + steady_pitch), rot(Z, -0.55 * roll + steady_roll)),
        ),
    )
    tr.rotate(
        "chest",
        quat.mul(rot(Y, 0.4 * head.chest_yaw), quat.mul(rot(X, -0.35 * ext + breath.chest), rot(Z, -0.35 * roll))),
    )
    tr.rotate(
        "upperChest",
        quat.mul(rot(Y, 0.6 * head.chest_yaw - 0.3 * sway.yaw), rot(X, -0.40 * ext + breath.upper_chest)),
    )
    third = quat.from_scaled_axis(micro.trunk / 3.0)
    for bone in ("spine", "chest", "upperChest"):
        tr.rotate(bone, third)
    pitch = style.head_pitch + head.pitch
    tr.rotate("neck", quat.mul(rot(Y, 0.4 * yaw), rot(X, -0.4 * pitch + breath.neck + 0.5 * ext)))
    tr.rotate(
        "head",
        quat.mul(
            rot(Y, 0.6 * yaw),
            quat.mul(rot(X, -0.6 * pitch + breath.head + 0.5 * ext), rot(Z, -head.roll)),
        ),
    )


def pose_eyes(tr: Tracks, t: Array, style: StandingStyle, sched: Schedule, head: Head) -> None:
    """The eyes take whatever the head, neck and chest did not (and undo ``eye_level`` of the posture's head
    pitch); the gaze direction and the blink channel."""
    wgz = style.gaze_weight
    eye_yaw = (head.gaze.gaze_yaw * wgz) - head.yaw - head.chest_yaw
    eye_pitch = head.gaze.gaze_pitch * wgz - head.pitch - style.eye_level * style.head_pitch
    if tr.skeleton.has("leftEye"):
        q_eye = quat.mul(rot(Y, eye_yaw), rot(X, -eye_pitch))
        tr.set("leftEye", q_eye)
        tr.set("rightEye", q_eye)
    gyr, gpr = np.radians(eye_yaw), np.radians(eye_pitch)
    tr.gaze = np.stack([np.sin(gyr) * np.cos(gpr), np.sin(gpr), np.cos(gyr) * np.cos(gpr)], axis=1)
    tr.expressions["blink"] = blink_track(t, sched.blinks)


def pose_clavicles(tr: Tracks, style: StandingStyle, breath: BreathAngles) -> None:
    """Clavicles: posture (retraction, elevation) plus the breathing lift."""
    for side, s in SIDES:
        tr.rotate(
            f"{side}Shoulder",
            quat.mul(rot(Y, s * style.shoulder_back), rot(Z, s * (breath.clavicle + style.shoulder_raise))),
        )


def lean_on_wall(tr: Tracks, t: Array, style: StandingStyle, duration: float, scale: float) -> None:
    """With a wall (``style.wall_z``): the pelvis moves back until the upper back touches the wall plane, in and
    out with the held pose (``enter``/``leave``)."""
    if style.wall_z is None:
        return
    grot, gpos = tr.bone_pose("upperChest")
    back = gpos + quat.rotate(grot, np.array([0.0, 0.06, -0.11]) * scale)
    tr.hips_offset[:, 2] += (style.wall_z - back[:, 2]) * hold_envelope(t, style, duration)


def hold_envelope(t: Array, style: StandingStyle, duration: float) -> Array:
    """0 -> 1 over ``style.enter`` s at the start and 1 -> 0 over ``style.leave`` s at the end (minimum jerk)."""
    env = np.ones(len(t))
    if style.enter > 0:
        env = env * minimum_jerk(t / style.enter)
    if style.leave > 0:
        env = env * (1.0 - minimum_jerk((t - (duration - style.leave)) / style.leave))
    return env


def settle_on_legs(
    tr: Tracks, style: StandingStyle, scale: float, give: dict[str, Array], ctx: Context | None = None
) -> dict[str, Array]:
    """The feet at the stance positions (``[F, 3]``, with each foot's sub-millimetre ``give``) or where ``ctx``'s
    foot targets stand, and the hips height that follows from the legs: the support knee nearly straight, the free
    knee bends (a smooth min: no knee jolt as the support leg changes)."""
    sk = tr.skeleton
    rest = sk.rest_positions()
    feet = {
        side: rest[sk.index(f"{side}Foot")] + np.array([s * style.stance_width * scale, 0.0, 0.0]) + give[side]
        for side, s in SIDES
    }
    if ctx is not None:
        feet = place_feet(ctx, tr, feet)
    tr.settle_hips_on_legs(feet, style.support_knee, soft_m=0.002)
    return feet


def plant_feet(tr: Tracks, style: StandingStyle, feet: dict[str, Array]) -> None:
    """Leg IK: each foot planted at its stance position, toed out ``toe_out`` deg, the knee over the foot."""
    sk = tr.skeleton
    rest = sk.rest_positions()
    for side, s in SIDES:
        knee = rest[sk.index(f"{side}LowerLeg")] + np.array([s * style.stance_width * sk.leg_ratio * 0.5, 0.0, 0.0])
        toe_out = rot(Y, s * style.toe_out)
        pole = knee + quat.rotate(toe_out, np.array([0.0, 0.0, 0.5]))
        tr.solve_limb(f"{side}Leg", feet[side], pole, end_grot=toe_out)


# -- smooth broadband signals ------------------------------------------------------------------------------------


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
