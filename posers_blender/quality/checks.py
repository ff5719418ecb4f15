"""The built-in checks: the always-on hard gates and the bands a motion can declare.

Check names (declare them in ``MotionMeta.checks``):

=============  ==========================================================================
gates          always on: NaN, pose/velocity jumps, bone length, foot slide, penetration,
               floating, joint limits, joint-speed caps
periodicity    in-place motions: no joint moves like one pure sinusoid
events         gesture markers come at irregular (renewal) intervals
=============  ==========================================================================

More checks (breathing, sway, blinks, balance, gait, reach, hand-contact,
smoking) are registered further down this module.
"""

from __future__ import annotations

import math

from . import balance, bands, contacts, continuity, limits, mechanical, standing
from .suite import Evaluation, register_check


@register_check("gates", "hard gates for every motion (always on)")
def _gates(ev: Evaluation) -> None:
    clip = ev.clip
    nan = continuity.nan_count(clip)
    ev.gate("nan_values", nan, bands.NAN_VALUES)
    if nan:
        # nothing else can be measured on non-finite data; every other gate fails loudly
        for name, b in (
            ("pose_jump", bands.POSE_JUMP_MAX),
            ("foot_slide", bands.FOOT_SLIDE_MAX),
            ("joint_limit_frames", bands.LIMIT_VIOLATION_FRAMES),
        ):
            ev.gate(name, math.nan, b, detail="not measurable: the clip has NaN values")
        return
    fps = clip.fps
    pj = continuity.pose_jump(clip)
    ev.gate("pose_jump", pj.size, bands.POSE_JUMP_MAX, detail=f"{pj.bone} at {pj.frame / fps:.2f} s")
    vj = continuity.velocity_jump(clip)
    ev.gate("velocity_jump", vj.size, bands.VELOCITY_JUMP_MAX, detail=f"{vj.bone} at {vj.frame / fps:.2f} s")
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
    ev.gate("penetration", contacts.penetration_max(clip), bands.PENETRATION_MAX)
    ev.gate("floating", contacts.floating_max(clip), bands.FLOAT_MAX)

    lv = limits.limit_violations(clip)
    detail = (
        f"worst {lv.worst_angle} = {lv.worst_value:.1f}° at {lv.worst_frame / fps:.2f} s; "
        + ", ".join(f"{k} +{v:.1f}°" for k, v in sorted(lv.by_angle.items(), key=lambda kv: -kv[1])[:4])
        if lv.frames
        else "all anatomical angles inside facts §8 + 5°"
    )
    ev.gate("joint_limit_frames", lv.frames, bands.LIMIT_VIOLATION_FRAMES, detail=detail)
    ev.info("joint_limit_worst_excess", lv.worst_excess, "deg", "facts §8 (+5° tolerance)", detail=lv.worst_angle)

    sp = limits.joint_speed_stats(clip)
    ev.gate("joint_speed_max", sp.max, bands.JOINT_SPEED_MAX, detail=sp.max_joint)
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
    b = standing.breathing(ev.clip)
    detail = f"from {b.source}, {b.breaths} breaths"
    ev.band("breath_rate", b.rate, bands.BREATH_RATE, detail=detail)
    if b.source == "inhale markers":
        ev.band("breath_ie_ratio", b.ie_ratio, bands.BREATH_IE_RATIO, detail="exhale time / inhale time")
        if b.breaths >= bands.MIN_EVENTS_FOR_CV:
            ev.band("breath_period_cv", b.period_cv, bands.BREATH_PERIOD_CV, detail=detail)
        else:
            ev.info("breath_period_cv", b.period_cv, "%", bands.BREATH_PERIOD_CV.source, detail="too few breaths")
        ev.info("breath_rate_chest", standing.breathing_rate_from_motion(ev.clip), "1/min", "chest motion cross-check")


@register_check("sway", "postural sway of the COM projection: RMS AP/ML and median frequency (facts §1)")
def _sway(ev: Evaluation) -> None:
    s = standing.sway(ev.clip)
    ev.band("sway_ap_rms", s.ap_rms, bands.SWAY_AP_RMS)
    ev.band("sway_ml_rms", s.ml_rms, bands.SWAY_ML_RMS)
    ev.band("sway_median_freq", s.median_freq, bands.SWAY_MEDIAN_FREQ)


@register_check("blinks", "blink rate and inter-blink-interval irregularity from the 'blink' channel (facts §1)")
def _blinks(ev: Evaluation) -> None:
    b = standing.blinks(ev.clip)
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
