"""The built-in checks: the always-on hard gates and the bands a motion can declare.

Check names (declare them in ``MotionMeta.checks``; ``posers check --checks``):

============  ===========================================================================
gates         always on: NaN, pose/velocity jumps, bone length, foot slide and skate, penetration,
              floating (stricter or own bounds when ``MotionMeta.standing``), joint limits, speed caps
periodicity   in-place motions: no joint moves like one pure sinusoid (purity band)
events        gesture markers (any name except breaths/steps) at irregular intervals
breathing     rate, I:E and period CV from ``inhale``/``exhale`` markers (else chest motion)
sway          COM sway RMS AP/ML (around a 10 s moving median) and median frequency
sway-nervous  the same with metrics B7's NERV band (calm x1.3-1.6)
blinks        blink rate and interval CV from the ``blink`` expression channel
balance       COM inside the support polygon of the planted feet
gait          cadence, stance, double support, step length, stride CV, PCI, leg PLV
smoothness    whole-clip SPARC of the hips' and hands' speed (info: no band applies to
              continuous motion; reaches have their own bands)
reach         per hand reach: speed peaks, peak time, SPARC, LDLJ, overshoot, settle,
              pelvis lead and shoulder -> elbow -> wrist lags
hand-contact  ``touch:<landmark>`` markers (e.g. ``touch:lips``): a hand point (fingertips, palm,
              hand tip, fist knuckles) within 15 mm (``touch:chin``: 10 mm, issue 5)
smoking       ``puff_start``/``puff_end`` (and ``smoke_inhale_start``/``_end``) markers:
              puff duration, inter-puff interval, inhale, elbow at mouth, transport time
============  ===========================================================================

Marker conventions are the contract between motions and these checks:
write them with ``ctx.mark(name, t)``. ``inhale`` markers count as breaths
only when they come every breath (median interval <= 8 s). Names of hard
gates (``foot_slide``, ``joint_limits``, ``speed``...) and a few other
spellings are accepted as aliases (:data:`posers_blender.quality.suite.ALIASES`).
"""

from __future__ import annotations

import math

import numpy as np

from . import balance, bands, contacts, continuity, limits, mechanical, smoothness, timing, vitals
from .kinematics import kinematics
from .results import Evaluation, register_check
from .signal import derivative, lowpass


@register_check("gates", "hard gates for every motion (always on)")
def _gates(ev: Evaluation) -> None:
    clip = ev.clip
    nan = continuity.nan_count(clip)
    ev.gate("nan_values", nan, bands.NAN_VALUES)
    if nan:
        # nothing else can be measured on non-finite data; every other gate fails loudly
        for name, b in (
            ("pose_jump", bands.pose_jump_bound(clip.fps)),
            ("foot_slide", bands.FOOT_SLIDE_MAX),
            ("joint_limit_frames", bands.LIMIT_VIOLATION_FRAMES),
        ):
            ev.gate(name, math.nan, b, detail="not measurable: the clip has NaN values")
        return
    fps = clip.fps
    pj = continuity.pose_jump(clip)
    ev.gate("pose_jump", pj.size, bands.pose_jump_bound(fps), detail=f"{pj.bone} at {pj.frame / fps:.2f} s")
    vj = continuity.velocity_jump(clip)
    ev.gate("velocity_jump", vj.size, bands.velocity_jump_bound(fps), detail=f"{vj.bone} at {vj.frame / fps:.2f} s")
    cv, bone = continuity.bone_length_cv(clip)
    ev.gate("bone_length_cv", cv, bands.BONE_LENGTH_CV_MAX, detail=bone)

    plants = contacts.foot_contacts(clip)
    slide_bound = bands.FOOT_SLIDE_MAX_STANDING if ev.standing else bands.FOOT_SLIDE_MAX
    worst = max(plants, key=lambda c: c.slide_mm, default=None)
    detail = (
        f"{len(plants)} contacts; worst {worst.point} at {worst.start / fps:.2f}-{worst.end / fps:.2f} s"
        if worst
        else "no foot contacts found"
    )
    ev.gate("foot_slide", worst.slide_mm if worst else 0.0, slide_bound, detail=detail)
    skates = contacts.foot_skates(clip)
    sk = max(skates, key=lambda s: s.path_mm, default=None)
    detail = f"{sk.point} at {sk.start / fps:.2f}-{sk.end / fps:.2f} s" if sk else "no touching foot point slides"
    skate_bound = bands.FOOT_SKATE_MAX_STANDING if ev.standing else bands.FOOT_SKATE_MAX
    ev.gate("foot_skate", sk.path_mm if sk else 0.0, skate_bound, detail=detail)
    ev.gate("penetration", contacts.penetration_max(clip), bands.PENETRATION_MAX)
    float_bound = bands.FLOAT_MAX_STANDING if ev.standing else bands.FLOAT_MAX
    ev.gate("floating", contacts.floating_max(clip), float_bound)

    lv = limits.limit_violations(clip)
    detail = (
        f"worst {lv.worst_angle} = {lv.worst_value:.1f}° at {lv.worst_frame / fps:.2f} s; "
        + ", ".join(f"{k} +{v:.1f}°" for k, v in sorted(lv.by_angle.items(), key=lambda kv: -kv[1])[:4])
        if lv.frames
        else "all anatomical angles inside facts §8 + 5°"
    )
    ev.gate("joint_limit_frames", lv.frames, bands.LIMIT_VIOLATION_FRAMES, detail=detail)
    ev.info("joint_limit_worst_excess", lv.worst_excess, "deg", "facts §8 (+5° tolerance)", detail=lv.worst_angle)
    off = {a.name: float(np.nanmax(a.degrees)) for a in limits.anatomical_angles(clip) if a.name.endswith("offaxis")}
    if off:
        worst_off = max(off, key=lambda k: off[k])
        ev.info("hinge_offaxis_max", off[worst_off], "deg", "elbow/knee swing off the hinge axis", detail=worst_off)

    sp = limits.joint_speed_stats(clip)
    body = limits.joint_speed_stats(clip, exclude=limits.EYES_AND_TOES)
    ev.gate("joint_speed_max", body.max, bands.JOINT_SPEED_MAX, detail=body.max_joint)
    toes = limits.toe_speed_max(clip)
    ev.gate("toe_speed_max", toes[0], bands.TOE_SPEED_MAX, detail=toes[1])
    if ev.standing:
        ev.gate("joint_speed_p99", sp.p99, bands.JOINT_SPEED_P99_STANDING, detail=sp.p99_joint)
    else:
        ev.info("joint_speed_p99", sp.p99, "deg/s", bands.JOINT_SPEED_P99_STANDING.source, detail=sp.p99_joint)


@register_check("periodicity", "in-place motions: no joint's motion is one pure sinusoid (periodicity purity)")
def _periodicity(ev: Evaluation) -> None:
    p = mechanical.clip_periodicity(ev.clip)
    detail = f"{p.joint} at {p.frequency:.3g} Hz" if p.joint else "no joint moves enough to score"
    ev.band("periodicity_purity", p.max, bands.PERIODICITY_PURITY_MAX, detail=detail)


@register_check("events", "gesture markers (not breaths or steps) at irregular intervals: interval CV 0.3-1.2")
def _events(ev: Evaluation) -> None:
    found = False
    for name, (cv, count) in mechanical.event_interval_cvs(ev.clip).items():
        if count < bands.MIN_EVENTS_FOR_CV:
            ev.info(f"event_interval_cv[{name}]", cv, "", bands.EVENT_INTERVAL_CV.source, detail=f"only {count} events")
            continue
        found = True
        ev.band(f"event_interval_cv[{name}]", cv, bands.EVENT_INTERVAL_CV, detail=f"{count} events")
    if not found:
        ev.info(
            "event_interval_cv",
            math.nan,
            "",
            bands.EVENT_INTERVAL_CV.source,
            detail=f"no gesture marker with >= {bands.MIN_EVENTS_FOR_CV} events; sample a longer clip",
        )


@register_check("breathing", "breathing rate, exhale:inhale ratio and breath-period variability (facts §1)")
def _breathing(ev: Evaluation) -> None:
    b = vitals.breathing(ev.clip)
    detail = f"from {b.source}, {b.breaths} quiet breaths" + (
        f" ({b.skipped} sigh/smoke breaths skipped)" if b.skipped else ""
    )
    ev.band("breath_rate", b.rate, bands.BREATH_RATE, detail=detail)
    if b.source == "inhale markers":
        ev.band("breath_ie_ratio", b.ie_ratio, bands.BREATH_IE_RATIO, detail="exhale time / inhale time")
        if b.breaths >= bands.MIN_EVENTS_FOR_CV:
            ev.band("breath_period_cv", b.period_cv, bands.BREATH_PERIOD_CV, detail=detail)
        else:
            ev.info("breath_period_cv", b.period_cv, "%", bands.BREATH_PERIOD_CV.source, detail="too few breaths")
        ev.info("breath_rate_chest", vitals.breathing_rate_from_motion(ev.clip), "1/min", "chest motion cross-check")


def _sway_lines(ev: Evaluation, ap: bands.Bound, ml: bands.Bound) -> None:
    s = vitals.sway(ev.clip)
    detail = f"around a {vitals.SWAY_DETREND_S:g} s moving median"
    ev.band("sway_ap_rms", s.ap_rms, ap, detail=detail)
    ev.band("sway_ml_rms", s.ml_rms, ml, detail=detail)
    ev.band("sway_median_freq", s.median_freq, bands.SWAY_MEDIAN_FREQ)


@register_check("sway", "postural sway of the COM projection: RMS AP/ML and median frequency (facts §1)")
def _sway(ev: Evaluation) -> None:
    _sway_lines(ev, bands.SWAY_AP_RMS, bands.SWAY_ML_RMS)


@register_check("sway-nervous", "sway of a nervous stance: the calm RMS band x1.3-1.6 (metrics B7/B11 NERV)")
def _sway_nervous(ev: Evaluation) -> None:
    _sway_lines(ev, bands.SWAY_AP_RMS_NERVOUS, bands.SWAY_ML_RMS_NERVOUS)


@register_check("blinks", "blink rate and inter-blink-interval irregularity from the 'blink' channel (facts §1)")
def _blinks(ev: Evaluation) -> None:
    b = vitals.blinks(ev.clip)
    detail = f"{b.count} blinks in {ev.clip.duration:.0f} s" if math.isfinite(b.rate) else "no 'blink' channel"
    ev.band("blink_rate", b.rate, bands.BLINK_RATE, detail=detail)
    if b.count >= bands.MIN_EVENTS_FOR_CV:
        ev.band("blink_interval_cv", b.interval_cv, bands.BLINK_INTERVAL_CV)
    else:
        ev.info("blink_interval_cv", b.interval_cv, "", bands.BLINK_INTERVAL_CV.source, detail="too few blinks")


@register_check("balance", "COM ground projection inside the support polygon of the planted feet (facts §10)")
def _balance(ev: Evaluation) -> None:
    b = balance.balance(ev.clip)
    detail = (
        f"worst at {b.worst_time:.2f} s; median {b.median_margin:.0f} mm; {b.measured_frames} frames with support"
        if b.measured_frames
        else "no frame with a foot on the floor"
    )
    ev.band("balance_margin", b.min_margin, bands.BALANCE_MARGIN, detail=detail)
    ev.info("xcom_margin", b.xcom_min_margin, "mm", "metrics §2 extrapolated COM (Hof 2005)")


def _worst(values: list[float], bound: bands.Bound) -> tuple[float, int]:
    """The value farthest outside ``bound`` (or the median when all are inside) and how many are outside."""
    vals = [v for v in values if math.isfinite(v)]
    if not vals:
        return math.nan, 0

    def excess(v: float) -> float:
        lo = bound.lo if bound.lo is not None else -math.inf
        hi = bound.hi if bound.hi is not None else math.inf
        return max(lo - v, v - hi, 0.0)

    outside = [v for v in vals if excess(v) > 0]
    if outside:
        return max(outside, key=excess), len(outside)
    return float(sorted(vals)[len(vals) // 2]), 0


def _band_over(ev: Evaluation, name: str, values: list[float], bound: bands.Bound, what: str) -> None:
    v, k = _worst(values, bound)
    n = sum(1 for x in values if math.isfinite(x))
    if n == 0:
        ev.info(name, math.nan, bound.unit, bound.source, detail=f"no {what} to measure")
        return
    ev.band(name, v, bound, detail=f"{'worst' if k else 'median'} of {n} {what}; {k} outside")


@register_check("reach", "hand reaches: one speed peak at 35-60%, SPARC/LDLJ, overshoot and settle, onset order")
def _reach(ev: Evaluation) -> None:
    reaches = [r for side in ("left", "right") for r in smoothness.hand_reaches(ev.clip, side)]
    if not reaches:
        ev.info("reach_count", 0, "", "issue 3 reaches", detail="no hand movement reached the reach thresholds")
        return
    ev.info("reach_count", len(reaches), "", "issue 3 reaches", detail="hand movements >= 5 cm, >= 0.15 m/s")
    _band_over(ev, "reach_speed_peaks", [r.units for r in reaches], bands.REACH_SPEED_PEAKS, "reaches")
    _band_over(ev, "reach_peak_time", [r.peak_fraction for r in reaches], bands.REACH_PEAK_TIME, "reaches")
    _band_over(ev, "reach_sparc", [r.sparc for r in reaches], bands.REACH_SPARC, "reaches")
    _band_over(ev, "reach_ldlj", [r.ldlj for r in reaches], bands.REACH_LDLJ, "reaches")
    _band_over(ev, "reach_overshoot", [r.overshoot_mm for r in reaches], bands.REACH_OVERSHOOT, "reaches")
    _band_over(ev, "reach_settle", [r.settle_ms for r in reaches], bands.REACH_SETTLE, "reaches")
    timings = [
        t for side in ("left", "right") for t in timing.reach_timing(ev.clip, side) if t.reach.distance >= 0.20
    ]  # metrics B8: coordination order for reaches > 20 cm
    _band_over(ev, "reach_trunk_lead", [t.trunk_lead for t in timings], bands.REACH_TRUNK_LEAD, "reaches > 20 cm")
    _band_over(ev, "reach_elbow_lag", [t.elbow_lag for t in timings], bands.REACH_JOINT_LAG, "reaches > 20 cm")
    _band_over(ev, "reach_wrist_lag", [t.wrist_lag for t in timings], bands.REACH_JOINT_LAG, "reaches > 20 cm")


@register_check("gait", "walks: cadence, stance, double support, step length, stride CV, PCI (leg PLV as info)")
def _gait(ev: Evaluation) -> None:
    g = timing.gait(ev.clip)
    detail = f"{g.steps} heel strikes, {g.strides} strides"
    ev.band("gait_cadence", g.cadence, bands.GAIT_CADENCE, detail=detail)
    ev.band("gait_stance", g.stance, bands.GAIT_STANCE)
    ev.band("gait_double_support", g.double_support, bands.GAIT_DOUBLE_SUPPORT)
    ev.band("gait_step_length", g.step_length, bands.GAIT_STEP_LENGTH)
    ev.band("gait_speed_consistency", g.speed_consistency, bands.GAIT_SPEED_CONSISTENCY, detail=f"{g.speed:.2f} m/s")
    for name, value, bound in (
        ("gait_stride_cv", g.stride_cv, bands.GAIT_STRIDE_CV),
        ("gait_pci", g.pci, bands.GAIT_PCI),
    ):
        if g.strides >= bands.GAIT_MIN_STRIDES:
            ev.band(name, value, bound, detail=detail)
        else:
            ev.info(name, value, bound.unit, bound.source, detail=f"{detail}; band needs >= {bands.GAIT_MIN_STRIDES}")
    if g.strides and math.isfinite(g.cadence):
        f_stride = g.cadence / 120.0  # two steps per stride
        plv = mechanical.phase_locking_value(
            limits.angle(ev.clip, "leftHip.flexion"),
            limits.angle(ev.clip, "rightHip.flexion"),
            ev.clip.fps,
            (0.6 * f_stride, 1.4 * f_stride),
        )
        # info, not a band: dev mocap walks score > 0.99 here (see bands.PHASE_LOCKING)
        ev.info("gait_leg_plv", plv, "", bands.PHASE_LOCKING.source, detail=f"hip flexion L vs R at {f_stride:.2f} Hz")


#: Marker prefix for intended hand contacts: ``touch:lips`` at the time a hand should be at the lips.
TOUCH_PREFIX = "touch:"


@register_check(
    "hand-contact", "hands reach face landmarks when a 'touch:<landmark>' marker says so (<= 15 mm; chin 10 mm)"
)
def _hand_contact(ev: Evaluation) -> None:
    clip = ev.clip
    touches = [(t, n[len(TOUCH_PREFIX) :]) for t, n in clip.markers if n.startswith(TOUCH_PREFIX)]
    targets = sorted({n for _, n in touches} | {"lips", "chin"})
    dist = {}
    for target in targets:
        if target not in clip.skeleton.landmarks:
            continue
        dist[target] = np.minimum(
            contacts.hand_landmark_distance(clip, "left", target),
            contacts.hand_landmark_distance(clip, "right", target),
        )
        ev.info(f"hand_closest[{target}]", float(dist[target].min()), "mm", "metrics A7 (closest hand point)")
    values: dict[str, list[float]] = {}
    w = int(round(0.1 * clip.fps))
    for t, target in touches:
        if target not in dist:
            continue
        i = int(round(t * clip.fps))
        values.setdefault(target, []).append(float(dist[target][max(0, i - w) : i + w + 1].min()))
    for target, vals in sorted(values.items()):
        bound = bands.HAND_CONTACT_BY_TARGET.get(target, bands.HAND_CONTACT_DISTANCE)
        _band_over(ev, f"hand_contact_distance[{target}]", vals, bound, f"touch:{target} markers")
    if touches and not values:
        ev.band("hand_contact_distance", math.nan, bands.HAND_CONTACT_DISTANCE, detail="no touched landmark exists")
    elif not touches:
        ev.info("hand_contact_distance", math.nan, "mm", bands.HAND_CONTACT_DISTANCE.source, detail="no touch markers")


@register_check(
    "smoking",
    "smoking topography from 'puff_start'/'puff_end' (and 'smoke_inhale_start'/'_end') markers (facts §5)",
)
def _smoking(ev: Evaluation) -> None:
    clip = ev.clip
    mk = clip.markers
    starts = sorted(t for t, n in mk if n in vitals.PUFF_START)
    ends = sorted(t for t, n in mk if n in vitals.PUFF_END)
    if not starts:
        ev.band("puff_duration", math.nan, bands.PUFF_DURATION, detail="no 'puff_start' (or 'puff') markers")
        return
    durations = [min((e for e in ends if e > s), default=math.nan) - s for s in starts]
    _band_over(ev, "puff_duration", durations, bands.PUFF_DURATION, "puffs")
    _band_over(ev, "inter_puff_interval", list(np.diff(starts)), bands.INTER_PUFF_INTERVAL, "intervals")
    ins = sorted(t for t, n in mk if n == "smoke_inhale_start")
    ine = sorted(t for t, n in mk if n == "smoke_inhale_end")
    if not ins and any(n == "hold" for _, n in mk):
        # smoking-cigarette's own convention: 'inhale' (smoke breath) then 'hold'
        ins = sorted(t for t, n in mk if n == "inhale")
        ine = sorted(t for t, n in mk if n == "hold")
    if ins:
        _band_over(ev, "smoke_inhale", [min((e for e in ine if e > s), default=math.nan) - s for s in ins],
                   bands.SMOKE_INHALE, "smoke inhales")  # fmt: skip
    # elbow at the mouth: the hand nearer the lips at mid-puff
    elbows, transports = [], []
    reaches = {s: smoothness.hand_reaches(clip, s) for s in ("left", "right")}
    for s, d in zip(starts, durations):
        mid = s + (0.5 * d if math.isfinite(d) else 0.0)
        i = min(clip.n_frames - 1, int(round(mid * clip.fps)))
        side = min(("left", "right"), key=lambda sd: contacts.hand_landmark_distance(clip, sd, "lips")[i])
        elbows.append(float(limits.angle(clip, f"{side}Elbow.flexion")[i]))
        before = [r for r in reaches[side] if r.end / clip.fps <= s + 0.5 and r.end / clip.fps >= s - 1.0]
        if before:
            transports.append(before[-1].duration)
    _band_over(ev, "elbow_at_mouth", elbows, bands.ELBOW_AT_MOUTH, "puffs")
    _band_over(ev, "hand_to_mouth_duration", transports, bands.HAND_TO_MOUTH_DURATION, "hand-to-mouth reaches")


@register_check("smoothness", "whole-clip spectral arc length of root and hand speeds (info; reaches: 'reach')")
def _smoothness(ev: Evaluation) -> None:
    clip = ev.clip
    kin = kinematics(clip)
    for name in ("hips", smoothness.hand_effector(clip, "left"), smoothness.hand_effector(clip, "right")):
        p = lowpass(contacts.track(kin, name), clip.fps, bands.SMOOTHING_CUTOFF_HZ)
        v = np.linalg.norm(derivative(p, clip.fps), axis=1)
        ev.info(
            f"sparc[{name}]", smoothness.sparc(v, clip.fps), "", "metrics §3 SPARC (whole clip; compare like with like)"
        )
