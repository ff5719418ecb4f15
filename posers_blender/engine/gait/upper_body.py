"""Upper body: the trunk countering the pelvis, a head stabilised in space, arms swinging with the gait, blinks.

The last stage of a walk. It takes the plan's footfall keys and the pelvis sway (not the legs: nothing
above the hips depends on them, so a replan keeps this stage). Facts §2c: thorax counter-rotation, head
stabilisation with a lead on turns, a 30° arm arc forward at the opposite heel strike; facts §1 blinks.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ... import humanoid as hm
from .. import hand, quat
from ..face import blink_times, blink_track
from ..program import Tracks
from ..springs import damp_track
from .pelvis import PelvisSway
from .plan import FootPlan, StepKeys
from .style import SIDES, GaitSettings, GaitStyle

Array = NDArray[np.float64]
X = np.array([1.0, 0.0, 0.0])
Y = np.array([0.0, 1.0, 0.0])
Z = np.array([0.0, 0.0, 1.0])
TRUNK_SHARES = (("spine", 0.4), ("chest", 0.35), ("upperChest", 0.25))


def upper_body(
    tr: Tracks,
    plan: FootPlan,
    keys: StepKeys,
    sway: PelvisSway,
    style: GaitStyle,
    settings: GaitSettings,
    noise: Array,
    blink_rng: np.random.Generator,
    fps: float,
    duration: float,
) -> None:
    """Pose the trunk, neck, head, arms and blinks in ``tr`` (``noise [F, 6]``: channels 3-5 move the head)."""
    trunk(tr, sway, style)
    head(tr, plan, style, noise, keys.times)
    arms(tr, plan, keys, style, settings, 1.0 / fps)
    tr.expressions["blink"] = blink_track(keys.times, blink_times(blink_rng, duration, 15.0))


def trunk(tr: Tracks, sway: PelvisSway, style: GaitStyle) -> None:
    """Counter-rotation, counter-roll and lean of the trunk, shared over spine, chest and upper chest."""
    trunk_yaw = -(1.0 + style.thorax_counter) * sway.yaw_osc
    trunk_roll = -(1.0 - style.shoulder_roll_keep) * sway.roll
    trunk_pitch = -sway.tilt - style.pelvis_forward_tilt + style.trunk_lean
    for bone, share in TRUNK_SHARES:
        yaw = quat.from_axis_angle_deg(Y, share * trunk_yaw)
        roll = quat.from_axis_angle_deg(Z, share * trunk_roll)
        tr.set(bone, quat.mul(yaw, quat.mul(roll, quat.from_axis_angle_deg(X, share * trunk_pitch))))


def head(tr: Tracks, plan: FootPlan, style: GaitStyle, noise: Array, t: Array) -> None:
    """The head stabilised in space with a little residual wobble, leading the path on turns (facts §2c)."""
    look = plan.path.theta(plan.pelvis_s(t + style.look_ahead))
    head_yaw = look + np.radians(style.head_residual * noise[:, 3])
    head_pitch = np.radians(style.head_pitch + style.head_residual * 0.7 * noise[:, 4])
    head_roll = np.radians(style.head_residual * 0.5 * noise[:, 5])
    q_head = quat.mul(
        quat.from_axis_angle(Y, head_yaw),
        quat.mul(quat.from_axis_angle(X, head_pitch), quat.from_axis_angle(Z, head_roll)),
    )
    rel = quat.normalize(quat.mul(quat.conj(_chain_rotation(tr, "upperChest")), q_head))
    rel = quat.continuous(rel)
    neck = quat.slerp(quat.identity((tr.n_frames,)), rel, 0.4)
    tr.set("neck", neck)
    tr.set("head", quat.normalize(quat.mul(quat.conj(neck), rel)))


def _chain_rotation(tr: Tracks, bone: str) -> Array:
    """World rotation ``[F, 4]`` of ``bone``, composed from the hips down as forward kinematics does."""
    chain = []
    j = hm.INDEX[bone]
    while j >= 0:
        chain.append(j)
        j = hm.PARENTS[j]
    g = tr.lrot[:, chain[-1]]
    for j in reversed(chain[:-1]):
        g = quat.mul(g, tr.lrot[:, j])
    return g


def arms(tr: Tracks, plan: FootPlan, keys: StepKeys, style: GaitStyle, settings: GaitSettings, dt: float) -> None:
    """Arms driven by the gait phase through springs (lag and damping), the bias fading in with speed."""
    amp = settings.arm_swing
    # bias and shoulder-blade retraction fade in with walking speed
    vnow = np.clip(plan.speed_at(keys.times) / max(plan.speed, 1e-6), 0, 1)
    for name, sgn in SIDES:
        sw = _arm_swing(keys, style, sgn, dt)
        flex = style.arm_bias * vnow + 0.5 * style.arm_arc * amp * sw
        fwd_part = np.maximum(sw, 0.0)
        elbow = style.elbow_base + style.elbow_forward * amp * damp_track(fwd_part, 1.6 * style.arm_halflife, dt)
        hang = 90.0 - style.arm_abduction
        tr.set(f"{name}Shoulder", quat.from_axis_angle_deg(Y, sgn * style.clavicle_retract * vnow))
        tr.set(
            f"{name}UpperArm", quat.mul(quat.from_axis_angle_deg(X, -flex), quat.from_axis_angle_deg(Z, -sgn * hang))
        )
        tr.set(f"{name}LowerArm", quat.from_axis_angle_deg(np.array([0.0, -sgn, 0.0]), elbow))
        tr.set(f"{name}Hand", quat.from_axis_angle_deg(Z, -sgn * 8.0))
        hand.curl_fingers(tr, name, 20.0, 10.0, hand.WALKING_CURL)


def _arm_swing(keys: StepKeys, style: GaitStyle, sgn: float, dt: float) -> Array:
    """The arm's swing ``[F]`` in [-1, 1] (forward +), peaking forward at the opposite heel strike."""
    # the arm is forward at the opposite foot's heel strike (facts §2c), so the drive leads by the lag
    lead = 2.8 * style.arm_halflife
    drive = keys.keyed(keys.hs - lead, np.where(keys.side == -sgn, 1.0, -1.0) * keys.en)
    # a flattened drive (muscle bursts) through two springs gives a rounded, lagged swing
    drive = np.tanh(1.6 * drive) / np.tanh(1.6)
    sw = damp_track(damp_track(drive, style.arm_halflife, dt), style.arm_halflife, dt)
    steady = np.abs(drive) > 0.0
    gain = 1.0
    if steady.sum() > 10:
        lo, hi = np.percentile(sw[steady], [3.0, 97.0])
        full = np.percentile(np.abs(drive[steady]), 97.0)
        if hi - lo > 1e-6 and full > 0:
            gain = 2.0 * full / (hi - lo)
    return sw * gain
