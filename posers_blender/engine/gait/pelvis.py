"""Pelvis: its path, lateral shift and rotations keyed to the footfalls, and its height from the legs' reach.

The third stage of a walk. :func:`pelvis_sway` follows the path with the lateral shift toward the stance
foot and the pelvic rotation, obliquity and tilt (facts §2c), all keyed to the footfalls; it does not
depend on the contact phases, so a replan keeps it. :func:`pelvis_height` then takes the foot tracks and
puts the pelvis on a smooth wave, low in each double support and high at each mid-stance, never higher
than the legs reach (so a planted foot never slides).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ... import humanoid as hm
from .. import quat
from ..curves import minimum_jerk
from ..skeleton import Skeleton
from .feet import FootTrack
from .geometry import STANCE_REACH, hip_joints_ahead, knee_distance, leg_reach
from .plan import FootPlan, StepKeys
from .signals import key_track
from .stride_waves import StrideWaves
from .style import SIDES, GaitSettings, GaitStyle, step_width

Array = NDArray[np.float64]
X = np.array([1.0, 0.0, 0.0])
Y = np.array([0.0, 1.0, 0.0])
Z = np.array([0.0, 0.0, 1.0])

LATE_SWING_SLACK = (
    0.03  # m the landing leg may over-reach before the pelvis gives way (the swing target is pulled in) [E]
)
HIGH_AT = 0.6  # the pelvis is highest this far from one low to the next (facts §2c: max near 30 %GC) [E]
#: Walking speeds (m/s) over which the fitted surge fades from whole to none [E]. The CMU walkers walk 0.87-1.23
#: m/s (mean 1.08); at 1.1 the whole surge keeps basic-walk inside the facts bands (vertical excursion 3.2 cm,
#: knee loading peak 20°, hip at contact 27.6°). The hips lag the steady pace by 15 mm at each heel strike and
#: lead it by 11 mm at toe off, so the legs reach further either side of double support and the pelvis sinks
#: there; at 1.3 m/s, whose longer steps already put the hip at 29.6° at contact, the whole surge takes that to
#: 31.1° (facts §2b: 20-30°), the knee's loading peak to 26° (B4: 8-25°) and the excursion to 5.2 cm (facts
#: §2c: 2-5 cm; 4.1 without the surge). A fifth of it at 1.3 keeps them inside. Issue 13's follow-up: a pelvis
#: low in double support that lets the whole surge through at every pace.
SURGE_FADE = (1.1, 1.35)


@dataclass(frozen=True)
class PelvisSway:
    """The pelvis without its height: floor position ``pos [F, 3]`` (``y`` 0), rotation ``rot [F, 4]``, its
    designed yaw, roll and tilt oscillations ``[F]`` in degrees (the trunk counters them), and the fitted
    stride harmonics (``waves``: in ``pos`` and ``rot`` already; the height and the trunk add theirs)."""

    pos: Array
    rot: Array
    yaw_osc: Array
    roll: Array
    tilt: Array
    treadmill: Array | None  # [F, 3] the path point under the pelvis, taken off everything when in place
    waves: StrideWaves
    shock: dict[str, Array]  # the heel-strike response per channel [F] (:mod:`.heel_strike`), default avatar's


def pelvis_sway(
    plan: FootPlan,
    keys: StepKeys,
    style: GaitStyle,
    settings: GaitSettings,
    sk: Skeleton,
    noise: Array,
    waves: StrideWaves,
    shock: dict[str, Array],
) -> PelvisSway:
    """The pelvis along the path with its lateral shift and rotations (``noise [F, 6]``: channels 0-1 used),
    the fitted higher harmonics (``waves``) added to the designed curves in proportion to the style's.

    The path carries the hip joints, not the hips bone: where an avatar's hip joints sit behind its hips bone
    (Godette, 4.8 cm: 10 % of its leg), the pelvis is carried that much ahead. Carried on the path itself, the
    hips bone put every footfall that far ahead of the hip joints (the plan places each under the pelvis at
    mid stance): the pelvis sank to reach the landing heel (hip 43° at heel strike), the trailing knee bent
    to 66° at toe off and ~83° in swing, and its extension before heel strike ran past the 600°/s gate."""
    lr = sk.leg_ratio
    hs, sd, en, tm = keys.hs, keys.side, keys.en, keys.step_time
    s_t = plan.pelvis_s(keys.times)
    pxz = plan.path.point(s_t)
    heading = plan.heading(keys.times)
    left = plan.path.left(s_t)
    width_factor = 0.55 + 0.45 * np.clip(step_width(style, settings) / 0.09, 0.0, 1.5)
    lat_amp = style.lateral_shift * lr * width_factor * (1.3 / max(settings.speed, 0.5)) ** 0.5 / 2.0
    # facts §2c: peak over the stance foot near mid-stance (~30 %GC); APA: toward the first stance foot
    lat_t = hs + 0.3 * 2 * tm
    lat_v = sd * lat_amp * en
    if settings.start:
        apa = plan.side[1] * lat_amp * 0.5
        lat_t = np.concatenate([[plan.to[0] - 0.05], lat_t])
        lat_v = np.concatenate([[apa], lat_v])
    lateral = keys.keyed(lat_t, lat_v) + lr * waves.like("lateral", lat_amp / lr)
    # the surge: the path carries the pelvis at a steady pace, real hips slow to mid-stance and speed up into
    # double support (fitted whole; faded with the speed and in over the first stride like the rest)
    ahead = -hip_joints_ahead(sk) + surge_share(settings.speed) * lr * waves.values["forward"] + lr * shock["forward"]
    pos = np.zeros((len(keys.times), 3))
    pos[:, 0] = pxz[:, 0] + lateral * left[:, 0] + ahead * np.sin(heading)
    pos[:, 2] = pxz[:, 1] + lateral * left[:, 1] + ahead * np.cos(heading)
    yaw_osc = keys.keyed(hs, -sd * style.pelvis_rotation * en)  # leading hemipelvis forward at its heel strike
    roll = keys.keyed(hs + 0.15 * 2 * tm, sd * style.pelvis_obliquity * en)  # swing side drops in loading
    tilt = keys.keyed(
        np.concatenate([hs + 0.1 * 2 * tm, hs + 0.35 * 2 * tm]),
        np.concatenate([style.pelvis_tilt * en, -style.pelvis_tilt * en]),
    )
    # amplitude wobble from stride to stride (no mechanical oscillator)
    yaw_osc = yaw_osc * (1.0 + 0.08 * noise[:, 0])
    roll = roll * (1.0 + 0.08 * noise[:, 1])
    yaw_h, roll_h, tilt_h = (
        waves.like(c, np.radians(a))
        for c, a in (("yaw", style.pelvis_rotation), ("roll", style.pelvis_obliquity), ("tilt", style.pelvis_tilt))
    )
    rot = quat.mul(
        quat.from_axis_angle(Y, heading + np.radians(yaw_osc) + yaw_h),
        quat.mul(
            quat.from_axis_angle(Z, np.radians(roll) + roll_h + shock["roll"]),
            quat.from_axis_angle(X, np.radians(tilt + style.pelvis_forward_tilt) + tilt_h + shock["tilt"]),
        ),
    )
    treadmill = None
    if settings.in_place:
        treadmill = np.zeros((len(keys.times), 3))
        treadmill[:, 0] = pxz[:, 0]
        treadmill[:, 2] = pxz[:, 1]
        pos -= treadmill
    return PelvisSway(pos, rot, yaw_osc, roll, tilt, treadmill, waves, shock)


def surge_share(speed: float) -> float:
    """Share of the fitted surge a walk at ``speed`` (m/s) carries: whole up to ``SURGE_FADE[0]``, none from
    ``SURGE_FADE[1]``, linear between."""
    lo, hi = SURGE_FADE
    return float(np.clip((hi - speed) / (hi - lo), 0.0, 1.0))


def pelvis_height(
    plan: FootPlan,
    keys: StepKeys,
    style: GaitStyle,
    sk: Skeleton,
    sway: PelvisSway,
    feet: dict[str, FootTrack],
    noise: Array,
    duration: float,
) -> Array:
    """Pelvis height ``[F]`` (m): the keyed wave plus the fitted harmonics (``sway.waves``) under what the legs
    reach (``noise`` channel 2 adds a little)."""
    lr = sk.leg_ratio
    allowed = np.full(len(keys.times), np.inf)
    hard = np.full(len(keys.times), np.inf)
    for name, sgn in SIDES:
        ft = feet[name]
        hip_rel = quat.rotate(sway.rot, sk.offsets[hm.INDEX[f"{name}UpperLeg"]])
        dxz = np.hypot(sway.pos[:, 0] + hip_rel[:, 0] - ft.ankle[:, 0], sway.pos[:, 2] + hip_rel[:, 2] - ft.ankle[:, 2])
        reach = leg_reach(sk, name) * STANCE_REACH
        d_want = np.minimum(knee_distance(sk, name, _stance_knee(plan, keys, style, sgn)), reach)
        # in swing the leg is free
        d_use = np.where(ft.contact, d_want, reach)
        h = ft.ankle[:, 1] - hip_rel[:, 1] + np.sqrt(np.maximum(d_use**2 - dxz**2, 1e-6))
        h_hard = ft.ankle[:, 1] - hip_rel[:, 1] + np.sqrt(np.maximum(reach**2 - dxz**2, 1e-6))
        late = np.nan_to_num(ft.swing_u, nan=0.0) > 0.75
        # the landing foot must be reachable as it comes down (tight turns, long steps): the pelvis
        # anticipates that through the same eroded, smoothed curve
        allowed = np.minimum(allowed, np.where(ft.contact, h, np.where(late, h_hard + LATE_SWING_SLACK * lr, np.inf)))
        hard = np.minimum(hard, np.where(ft.contact | late, h_hard, np.inf))
    stand_y = sk.offsets[0][1] - 0.004 * lr
    allowed = np.minimum(np.where(np.isfinite(allowed), allowed, stand_y), stand_y)
    # A keyed wave, not the envelope of the legs' reach: low in each double support, high at each
    # mid-stance (facts §2c: two smooth cycles per stride), every key as high as the legs allow.
    hard = np.where(np.isfinite(hard), hard, stand_y + 1.0)
    # the wave keeps under the landing leg's hard reach too (y <= hard exactly): clipping afterwards put a
    # V into the wave just before each heel strike and a step where ``hard`` switches on in late swing
    bob = HEIGHT_HARMONICS * lr * sway.waves.like("vertical", style.bob_scale * sway.waves.fundamental["vertical"])
    # the heel strike's jolt rides on the wave, which is laid under the legs' reach with it
    bob = bob + lr * sway.shock["vertical"]
    return pelvis_wave(keys.times, plan, style, np.minimum(allowed, hard), 0.002 * lr * noise[:, 2] + bob, duration)


#: Share of the fitted height harmonics kept. CMU's full share deepens the pelvis's low in double support (the
#: keys sink under the legs' reach) until the hip is flexed past the facts §2b band at heel strike (20-30°;
#: CMU itself reads 36° on the default avatar); at this share basic-walk stays inside it.
HEIGHT_HARMONICS = 0.8


def _stance_knee(plan: FootPlan, keys: StepKeys, style: GaitStyle, sgn: float) -> Array:
    """The knee flexion ``[F]`` (degrees) planned for one leg's stances (facts §2b: 0-5° at contact, the
    loading peak at 12-15 %GC, near straight by ~40 %GC); feet standing from the start 2°."""
    t = keys.times
    knee = np.full(len(t), style.knee_midstance)
    idx = np.nonzero(plan.side == sgn)[0]
    j = np.searchsorted(plan.hs[idx], t, side="right") - 1
    m = j >= 0
    m[m] = t[m] <= plan.to[idx[j[m]]]
    fm = np.nonzero(m)[0]
    i = idx[j[fm]]
    walking = np.isfinite(plan.hs[i])
    fw, iw = fm[walking], i[walking]
    u = (t[fw] - plan.hs[iw]) / (2 * plan.step_time[iw])
    kc = style.knee_contact
    kl = kc + (style.knee_loading - kc) * keys.env[iw]
    knee[fw] = _knee_keys(u, kc, kl, style.knee_midstance)
    knee[fw] = np.maximum(knee[fw], _push_off_knee(t[fw], plan.ho[iw], plan.to[iw], style.knee_toe_off))
    knee[fm[~walking]] = 2.0
    return knee


def _push_off_knee(t: Array, ho: Array, to: Array, knee_to: float) -> Array:
    """The least flexion ``[n]`` (degrees) of the trailing knee from heel off (0) to toe off (``knee_to``),
    minimum jerk: the pelvis never holds the trailing leg straight into swing. Held only to its full reach
    after heel off, the leg reached it right at toe off wherever the roll ran short (replanned rolls, fast,
    turning or wide walks): a knee 4-5° from straight as the swing lifted the ankle, bent 4° per 1/120 s
    the other way in the next frame (pose jumps of 8-17 mm at 60 fps, 12.6 mm at 120 fps)."""
    with np.errstate(invalid="ignore"):
        w = np.clip((t - ho) / np.maximum(to - ho, 1e-6), 0.0, 1.0)
    return np.where(np.isfinite(ho) & np.isfinite(to) & (t >= ho), knee_to * minimum_jerk(w), 0.0)


def _knee_keys(u: Array, kc: float, kl: Array, km: float) -> Array:
    """Through (0, ``kc``), (0.13, ``kl``), (0.40, ``km``) with a loading key per sample: half cosines, except
    that the loading flexion comes on at once after contact (``1 - (1 - s)^3``, it only bounds the pelvis
    from above, which stays a smooth wave). With a half cosine there the pelvis rose under the landing leg
    while the heel rocker lowered its ankle, straightening the knee to ~5° some 60 ms after heel strike and
    bending it again: a V in the knee whose jerk (~5000 m/s^3 at the knee) read as 5-7 mm pose jumps at
    60 fps, where the gate's floor is 5 mm."""
    key_t = np.array([0.0, 0.13, 0.40])
    kv = np.stack([np.full(len(u), kc), kl, np.full(len(u), km)], axis=-1)
    i = np.clip(np.searchsorted(key_t, u, side="right") - 1, 0, 1)
    t0, t1 = key_t[i], key_t[i + 1]
    s = np.clip((u - t0) / np.maximum(t1 - t0, 1e-9), 0.0, 1.0)
    w = np.where(i == 0, 1.0 - (1.0 - s) ** 3, 0.5 - 0.5 * np.cos(np.pi * s))
    rows = np.arange(len(u))
    return kv[rows, i] + (kv[rows, i + 1] - kv[rows, i]) * w


def pelvis_wave(t: Array, plan: FootPlan, style: GaitStyle, allowed: Array, extra: Array, duration: float) -> Array:
    """Pelvis height ``[F]`` (m): a half-cosine wave through keys that never rises above ``allowed``.

    Facts §2c: the vertical COM is lowest in double support and highest near
    mid-stance, two cycles per stride. Keys sit in the middle of each double
    support (low) and halfway between (high), so uneven steps stay C1 and an
    even walk is a sinusoid (no plateaus, no V at heel strike). Each key starts
    at the lowest ``allowed`` near it; the mid-stance keys are then lowered by
    ``1 - bob_scale`` of the excursion. ``extra`` (a small noise layer) is added
    and, because the curve between two keys is a convex blend of them,
    lowering both keys of an interval by its worst excess makes the whole
    interval fit under ``allowed`` in one pass.
    """
    kt, kind = _wave_keys(t, plan, style, duration)
    kv = _lowest_near(t, allowed, kt, 0.1 * plan.step_period)
    # bob compression: lower the mid-stance keys toward their neighbouring lows
    if style.bob_scale != 1.0:
        for j in np.nonzero(kind == 1)[0]:
            nb = [kv[q] for q in (j - 1, j + 1) if 0 <= q < len(kv) and kind[q] == 0]
            if nb:
                lo = min(nb)
                kv[j] -= (1.0 - style.bob_scale) * max(kv[j] - lo, 0.0)
    return _fit_under(t, kt, kv, allowed, extra)


def _wave_keys(t: Array, plan: FootPlan, style: GaitStyle, duration: float) -> tuple[Array, NDArray[np.int_]]:
    """Key times of the pelvis wave and their kinds (0 low, 1 high, 2 standing), sorted, 40 ms apart at least."""
    step = plan.step_period
    ds = max(2.0 * style.stance - 1.0, 0.02)
    real = np.nonzero(plan.moving & np.isfinite(plan.hs))[0]
    lows = [float(plan.hs[i] + style.pelvis_low * ds * plan.step_time[i]) for i in real]
    kt: list[float] = []
    kind: list[int] = []
    t_first = lows[0] if lows else duration + 1.0
    kt.append(min(float(t[0]), t_first - 2.0 * step) - 1.0)
    kind.append(2)
    if lows:
        # leaving the stand: the first high key half a step before the first low one
        kt.append(t_first - 0.5 * step)
        kind.append(1)
    for a, b in zip(lows, lows[1:] + [np.inf]):
        kt.append(a)
        kind.append(0)
        if np.isfinite(b):
            kt.append(a + HIGH_AT * (b - a))
            kind.append(1)
    if lows:
        end = plan.t_end if np.isfinite(plan.t_end) else lows[-1] + step
        kt.append(max(lows[-1] + 0.6 * step, min(end, lows[-1] + 2.0 * step)))
        kind.append(2)
    kt_a = np.asarray(kt)
    kind_a = np.asarray(kind)
    order = np.argsort(kt_a, kind="stable")
    kt_a, kind_a = kt_a[order], kind_a[order]
    keep = np.concatenate([[True], np.diff(kt_a) > 0.04])
    return kt_a[keep], kind_a[keep]


def _lowest_near(t: Array, allowed: Array, kt: Array, half: float) -> Array:
    """Per key the lowest ``allowed`` within ``half`` seconds of it (interpolated where no frame is that near)."""
    # frames that may be that near (the window is widened a little; the exact test below decides), every
    # key's in one row of a [K, W] table (W the widest window)
    lo = np.searchsorted(t, kt - half - 1e-6, side="left")
    hi = np.searchsorted(t, kt + half + 1e-6, side="right")
    rows = lo[:, None] + np.arange(max(int(np.max(hi - lo, initial=0)), 1))
    near = rows < hi[:, None]
    rows = np.minimum(rows, len(t) - 1)
    near &= np.abs(t[rows] - kt[:, None]) <= half
    lowest = np.min(np.where(near, allowed[rows], np.inf), axis=1)
    return np.where(near.any(axis=1), lowest, np.interp(kt, t, allowed))


def _fit_under(t: Array, kt: Array, kv: Array, allowed: Array, extra: Array) -> Array:
    """The key track plus ``extra``, its keys lowered until it nowhere rises above ``allowed``."""
    if len(kt) < 2:  # no step at all (a target where the walker stands): one standing key
        return np.minimum(np.full(len(t), kv[0] if len(kv) else allowed.min(initial=0.0)) + extra, allowed)
    seg = np.clip(np.searchsorted(kt, t, side="right") - 1, 0, len(kt) - 2)
    u = np.clip((t - kt[seg]) / np.maximum(kt[seg + 1] - kt[seg], 1e-9), 0.0, 1.0)
    w1 = 0.5 - 0.5 * np.cos(np.pi * u)  # weight of the later key (key_track's half cosine)
    near = np.where(w1 >= 0.5, seg + 1, seg)
    # lower the nearer key by the excess where the curve pokes above the legs' reach: few rounds converge,
    # and lowering only where needed keeps the mid-stance peaks as high as the stance leg allows
    for _ in range(12):
        excess = key_track(t, kt, kv) + extra - allowed
        if float(excess.max(initial=0.0)) <= 1e-5:
            break
        drop = np.zeros(len(kt))
        np.maximum.at(drop, near, np.maximum(excess, 0.0))
        kv -= drop
    # the convex-blend pass guarantees the bound whatever is left
    excess = key_track(t, kt, kv) + extra - allowed
    need = np.zeros(len(kt) - 1)
    np.maximum.at(need, seg, np.maximum(excess, 0.0))
    drop = np.zeros(len(kt))
    drop[:-1] = need
    drop[1:] = np.maximum(drop[1:], need)
    return key_track(t, kt, kv - drop) + extra
