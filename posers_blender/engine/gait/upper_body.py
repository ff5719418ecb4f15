"""Upper body: the trunk countering the pelvis, a head stabilised in space, arms swinging with the gait, blinks.

The last stage of a walk. It takes the plan's footfall keys and the pelvis sway (not the legs: nothing
above the hips depends on them, so a replan keeps this stage). Facts §2c: thorax counter-rotation, head
stabilisation with a lead on turns, a 30° arm arc forward at the opposite heel strike; facts §1 blinks.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ... import humanoid as hm
from .. import fitted, hand, quat
from ..curves import minimum_jerk
from ..face import blink_times, blink_track
from ..program import Tracks
from ..springs import damp_track
from .pelvis import PelvisSway
from .plan import FootPlan, StepKeys
from .stride_waves import STYLE_RATIO
from .style import SIDES, GaitSettings, GaitStyle

Array = NDArray[np.float64]
X = np.array([1.0, 0.0, 0.0])
Y = np.array([0.0, 1.0, 0.0])
Z = np.array([0.0, 0.0, 1.0])
TRUNK_SHARES = (("spine", 0.4), ("chest", 0.35), ("upperChest", 0.25))
HEAD_FOLLOW = 0.5  # share of the chest's pitch and roll away from the path's heading the head keeps [E]
#: share of the chest's yaw about the path's heading the head keeps: the CMU walkers' head yaw swings 0.74 of the
#: upper chest's (motion_stats.json head_stabilisation, CMU subjects 02, 16, 32, 35). 0.5 turned the head 9°/s on
#: average where the CMU walkers turn it 13°/s (realism survey). (Their pitch and roll ratios, 1.11 and 0.95,
#: would roll the head past the facts §2c 2-3° residual: those keep HEAD_FOLLOW.)
HEAD_FOLLOW_YAW = 0.74
#: harmonics of the stride frequency kept of each fitted stride's variation (the fitted curves do not close
#: from one stride to the next; their low harmonics do, and carry most of the variance)
STRIDE_HARMONICS = 2
#: fitted curves that vary the upper body stride by stride
VARIED = ("trunkPitch", "trunkRoll", "leftShoulder", "rightShoulder", "leftElbow", "rightElbow")


def upper_body(
    tr: Tracks,
    plan: FootPlan,
    keys: StepKeys,
    sway: PelvisSway,
    style: GaitStyle,
    settings: GaitSettings,
    noise: Array,
    blink_rng: np.random.Generator,
    stride_rng: np.random.Generator,
    fps: float,
    duration: float,
) -> None:
    """Pose the trunk, neck, head, arms and blinks in ``tr`` (``noise [F, 6]``: channels 3-5 move the head;
    ``stride_rng`` draws the stride-to-stride variation)."""
    vary = stride_variation(keys, plan, stride_rng, arm_amplitudes(style, settings))
    trunk(tr, sway, style, vary)
    head(tr, plan, style, noise, keys.times, sway.shock["headPitch"])
    arms(tr, plan, keys, style, settings, 1.0 / fps, vary)
    tr.expressions["blink"] = blink_track(keys.times, blink_times(blink_rng, duration, 15.0))


def arm_amplitudes(style: GaitStyle, settings: GaitSettings) -> dict[str, float]:
    """The designed arm swing's amplitude at the stride frequency per arm curve of :data:`VARIED`, degrees:
    half the shoulder arc, half the elbow's forward flexion (see :func:`arms`)."""
    amp = settings.arm_swing
    return {
        f"{name}{joint}": 0.5 * a * amp
        for name, _ in SIDES
        for joint, a in (("Shoulder", style.arm_arc), ("Elbow", style.elbow_forward))
    }


def stride_variation(
    keys: StepKeys, plan: FootPlan, rng: np.random.Generator, arm_amplitude: dict[str, float]
) -> dict[str, Array]:
    """Per frame, degrees ``[F]`` per :data:`VARIED` curve: fitted stride-to-stride variation (people swing
    each arm a little differently every stride and the two sides differ; the trunk pitches and rolls a few
    degrees at the step frequency with a drift), faded in and out with the walking speed. The arms also get
    the fitted mean curves' shape beyond their fundamental, in proportion to the designed swing
    (``arm_amplitude``, degrees per arm curve, over the fitted fundamental's).

    Each stride (left heel strike to the next) draws its own variation (:func:`~..fitted.stride_variations`),
    cut to its low harmonics so it closes on itself; a stride hands over to the next with a minimum-jerk
    crossfade through the whole stride, so the sum stays smooth (C2)."""
    t = keys.times
    left = keys.hs[keys.side > 0]
    out = {c: np.zeros(len(t)) for c in VARIED}
    if len(left) < 2:
        return out
    sv = fitted.stride_variations(rng, len(left) + 1)
    k = np.clip(np.searchsorted(left, t, side="right") - 1, 0, len(left) - 2)
    frac = np.clip((t - left[k]) / (left[k + 1] - left[k]), 0.0, 1.0)
    w = minimum_jerk(frac)
    mean = fitted.mean_stride_curves()
    fade = plan.speed_share(t)
    waves = _harmonic_waves(frac, STRIDE_HARMONICS + 1)  # the same for every curve
    for c in VARIED:
        curves = sv.offsets[c]
        if c.startswith("trunk"):  # the mean oscillation too: ours has none at the step frequency
            curves = curves + (mean[c] - mean[c].mean())
        else:  # the arms: the mean's shape beyond the designed swing's fundamental (see _beyond_fundamental)
            fundamental = 2.0 * float(np.abs(np.fft.rfft(mean[c])[1])) / len(mean[c])
            ratio = np.clip(np.radians(arm_amplitude[c]) / max(fundamental, 1e-9), 0.0, STYLE_RATIO[1])
            curves = curves + ratio * _beyond_fundamental(mean[c])
        a = _low_harmonics(curves)
        now, nxt = _harmonic_at(a[k], waves), _harmonic_at(a[k + 1], waves)
        out[c] = np.asarray(np.degrees((1.0 - w) * now + w * nxt) * fade, dtype=np.float64)
    return out


def _beyond_fundamental(curve: Array) -> Array:
    """A stride curve ``[P]`` less its mean and its fundamental: what the designed arm swing (a near-sinusoid at
    the stride frequency) lacks of the fitted mean arm curves. Their second harmonic (shoulder 1.3-1.8°, elbow
    1.7-3.9°, about 0.2 of the fundamental, CMU subjects 02, 16, 32, 35) bends the forward swing unlike the
    backward one, so the two arms' speed curves differ: anti-phase sinusoids have the same speed curve (the
    wrists' speeds correlated 0.86 at the same instant on main, the CMU walkers' 0.1, realism survey); with this
    shape, scaled to the designed swing, 0.6 (the rest is not understood yet)."""
    f = np.fft.rfft(curve)
    f[:2] = 0.0
    return np.asarray(np.fft.irfft(f, n=len(curve)), dtype=np.float64)


def _low_harmonics(curves: Array) -> NDArray[np.complex128]:
    """Complex Fourier coefficients ``[n, STRIDE_HARMONICS + 1]`` of stride curves ``[n, P]``."""
    return np.asarray(np.fft.rfft(curves, axis=-1)[:, : STRIDE_HARMONICS + 1] / curves.shape[-1], dtype=np.complex128)


def _harmonic_waves(phase: Array, n: int) -> NDArray[np.complex128]:
    """Per frame the first ``n`` harmonics ``exp(2 pi i h phase)`` ``[F, n]`` at ``phase [F]`` (cycles)."""
    return np.asarray(np.exp(2j * np.pi * phase[:, None] * np.arange(n)), dtype=np.complex128)


def _harmonic_at(a: NDArray[np.complex128], waves: NDArray[np.complex128]) -> Array:
    """Per frame the curve of coefficients ``a [F, H]`` at the phases of ``waves`` (:func:`_harmonic_waves`)."""
    h = np.arange(a.shape[-1])
    scale = np.where(h == 0, 1.0, 2.0)
    return np.asarray(np.real(np.sum(scale * a * waves[:, : len(h)], axis=-1)), dtype=np.float64)


def trunk(tr: Tracks, sway: PelvisSway, style: GaitStyle, vary: dict[str, Array]) -> None:
    """Counter-rotation, counter-roll and lean of the trunk, shared over spine, chest and upper chest."""
    fit = {c: np.degrees(sway.waves.values[c]) for c in ("trunkYaw", "trunkRoll", "trunkPitch")}  # on the pelvis
    for c in ("trunkRoll", "trunkPitch"):  # the heel strikes' jolt
        fit[c] = fit[c] + np.degrees(sway.shock[c])
    trunk_yaw = -(1.0 + style.thorax_counter) * sway.yaw_osc + fit["trunkYaw"]
    trunk_roll = -(1.0 - style.shoulder_roll_keep) * sway.roll + vary["trunkRoll"] + fit["trunkRoll"]
    trunk_pitch = -sway.tilt - style.pelvis_forward_tilt + style.trunk_lean + vary["trunkPitch"] + fit["trunkPitch"]
    for bone, share in TRUNK_SHARES:
        yaw = quat.from_axis_angle_deg(Y, share * trunk_yaw)
        roll = quat.from_axis_angle_deg(Z, share * trunk_roll)
        tr.set(bone, quat.mul(yaw, quat.mul(roll, quat.from_axis_angle_deg(X, share * trunk_pitch))))


def head(tr: Tracks, plan: FootPlan, style: GaitStyle, noise: Array, t: Array, shock: Array) -> None:
    """The head stabilised in space with a little residual wobble, leading the path on turns (facts §2c), and
    nodding on the chest at each heel strike (``shock [F]``, radians: the fitted heel-strike response)."""
    look = plan.heading(t + style.look_ahead)
    head_yaw = look + np.radians(style.head_residual * noise[:, 3])
    head_pitch = np.radians(style.head_pitch + style.head_residual * 0.7 * noise[:, 4])
    head_roll = np.radians(style.head_residual * 0.5 * noise[:, 5])
    q_head = quat.mul(
        quat.from_axis_angle(Y, head_yaw),
        quat.mul(quat.from_axis_angle(X, head_pitch), quat.from_axis_angle(Z, head_roll)),
    )
    chest = _chain_rotation(tr, "upperChest")
    # the stabilisation is partial: the head keeps a share of the chest's sway about the path's heading
    # (facts §2c: a 2-3° residual), so it nods and turns a little with every step, as people's heads do
    heading = quat.from_axis_angle(Y, plan.heading(t))
    sway = quat.continuous(quat.normalize(quat.mul(quat.conj(heading), chest)))
    yaw = quat.twist_angle(sway, Y)
    tilt = quat.continuous(quat.normalize(quat.mul(quat.from_axis_angle(Y, -yaw), sway)))
    follow = quat.mul(
        quat.from_axis_angle(Y, HEAD_FOLLOW_YAW * yaw), quat.slerp(quat.identity((len(t),)), tilt, HEAD_FOLLOW)
    )
    q_head = quat.mul(q_head, follow)
    rel = quat.normalize(quat.mul(quat.mul(quat.conj(chest), q_head), quat.from_axis_angle(X, shock)))
    rel = quat.continuous(rel)
    neck = quat.slerp(quat.identity((tr.n_frames,)), rel, 0.4)
    neck = quat.mul(neck, quat.from_axis_angle_deg(X, -style.neck_extension))  # the head keeps its place in space
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


def arms(
    tr: Tracks,
    plan: FootPlan,
    keys: StepKeys,
    style: GaitStyle,
    settings: GaitSettings,
    dt: float,
    vary: dict[str, Array],
) -> None:
    """Arms driven by the gait phase through springs (lag and damping), the bias fading in with speed, and
    varied stride by stride and side by side (``vary``)."""
    amp = settings.arm_swing
    # bias and shoulder-blade retraction fade in with walking speed
    vnow = plan.speed_share(keys.times)
    for name, sgn in SIDES:
        sw = _arm_swing(keys, style, sgn, dt)
        flex = style.arm_bias * vnow + 0.5 * style.arm_arc * amp * sw + vary[f"{name}Shoulder"]
        # the elbow flexes with the forward swing and extends with the backward one (the CMU mean elbow curves
        # are near-sinusoids, motion_stats.json mean_curves; flexing on the forward half only held it straight
        # through the back swing), through its own spring: the CMU curves peak with the shoulder's (0.52 vs 0.51
        # of the stride); 1.6 half-lives put ours 0.06 stride behind our shoulder, 1.0 0.04
        fwd_part = 0.5 * (sw + 1.0)
        elbow = style.elbow_base + style.elbow_forward * amp * damp_track(fwd_part, style.arm_halflife, dt)
        elbow = elbow + vary[f"{name}Elbow"]
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
    # the arm is forward at the opposite foot's heel strike (facts §2c), so the drive leads by the lag: the CMU
    # walkers' arm peaks forward 0.018 stride after it (motion_stats.json arm_swing peak_phase, CMU subjects 02,
    # 16, 32, 35); 3.5 half-lives put ours at 0.02, 2.8 at 0.04 (the wrists 33 ms behind the feet, realism survey)
    lead = 3.5 * style.arm_halflife
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
