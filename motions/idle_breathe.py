"""idle-breathe: calm quiet standing that breathes, sways, sighs, shifts its weight and blinks.

Every number comes from ``human_motion_facts.md`` §1 (quiet standing) unless
marked [E] (an estimate, exposed as a parameter) or [D] (derived).
The whole clip is built vectorised over time in :meth:`IdleBreathe.build`;
the event schedule is available on its own through :func:`schedule` so rate
tests can check hours of events in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..engine import quat
from ..engine.breathing import BreathTrack, breath_track
from ..engine.curves import bump, minimum_jerk
from ..engine.face import blink_times, blink_track
from ..engine.noise import noise_track, renewal_times, sway_track
from ..engine.params import Param, Params, Schema
from ..engine.program import Context, MotionMeta, TrackProgram, Tracks
from ..engine.springs import damp_track

Array = NDArray[np.float64]
X = np.array([1.0, 0.0, 0.0])
Y = np.array([0.0, 1.0, 0.0])
Z = np.array([0.0, 0.0, 1.0])

SCHEMA = Schema(
    (
        Param(
            "rate",
            "float",
            14.0,
            "Breaths per minute (facts §1: 12-20 at rest, default 14)",
            10.0,
            20.0,
            "1/min",
            "Breathing",
        ),
        Param(
            "ie_ratio", "float", 1.5, "Exhale time divided by inhale time (facts §1: 1.5-2)", 1.2, 2.2, "x", "Breathing"
        ),
        Param("depth", "float", 1.0, "Breath depth relative to a quiet breath", 0.3, 2.0, "x", "Breathing"),
        Param(
            "sigh_interval",
            "float",
            300.0,
            "Mean time between sighs (facts §1: one every 3-7 min)",
            60.0,
            900.0,
            "s",
            "Breathing",
        ),
        Param(
            "sway",
            "float",
            1.0,
            "Postural sway amount; 1 = measured quiet stance (AP RMS ~4 mm, ML ~2.5 mm)",
            0.0,
            2.5,
            "x",
            "Body",
        ),
        Param(
            "fidget_interval",
            "float",
            55.0,
            "Mean time between postural fidgets (facts §1: every ~50-60 s)",
            20.0,
            120.0,
            "s",
            "Body",
        ),
        Param(
            "shift_interval",
            "float",
            240.0,
            "Mean time between weight shifts to the other leg (facts §1: 3-5 min)",
            60.0,
            600.0,
            "s",
            "Body",
        ),
        Param("arm_hang", "float", 8.0, "Upper-arm angle from vertical when hanging relaxed", 0.0, 15.0, "deg", "Body"),
        Param("finger_curl", "float", 18.0, "Relaxed finger flexion per joint", 0.0, 40.0, "deg", "Body"),
        Param("blink_rate", "float", 15.0, "Blinks per minute (facts §1: 8-21 resting)", 8.0, 25.0, "1/min", "Face"),
        Param("glance_interval", "float", 14.0, "Mean time between small glances [E]", 4.0, 60.0, "s", "Face"),
        Param("head_motion", "float", 1.0, "Head micro-movement amount", 0.0, 2.0, "x", "Face"),
    )
)


def _rot(axis: Array, deg: Array | float) -> Array:
    return quat.from_axis_angle(axis, np.radians(np.asarray(deg, dtype=np.float64)))


@dataclass
class Schedule:
    """Event times (s) of one idle clip; produced without posing anything."""

    breaths: BreathTrack
    sighs: Array
    fidgets: Array
    shifts: Array
    glances: Array
    blinks: Array


def _streams(rng: np.random.Generator) -> dict[str, np.random.Generator]:
    # One independent generator per component, drawn in a fixed order, so a
    # parameter that changes one component's draws does not reshuffle the others.
    names = ("breath", "sway", "shift", "fidget", "glance", "blink", "head", "fingers")
    return {n: np.random.default_rng(rng.integers(0, 2**63 - 1)) for n in names}


def _plan(p: Params, rngs: dict[str, np.random.Generator], times: Array) -> Schedule:
    duration = float(times[-1]) + (times[1] - times[0] if len(times) > 1 else 0.0)
    breaths = breath_track(rngs["breath"], times, p.rate, p.ie_ratio, p.depth, sigh_interval_s=p.sigh_interval)
    # Facts §1 (Duarte & Zatsiorsky 2000): fidgets 59 ± 15 s (CV ~0.25-0.33), shifts 199-316 s with CV ~0.7-0.9.
    fidgets = renewal_times(rngs["fidget"], duration, p.fidget_interval, cv=0.3)
    shifts = renewal_times(rngs["shift"], duration, p.shift_interval, cv=0.7)
    glances = renewal_times(rngs["glance"], duration, p.glance_interval, cv=0.8)
    # Blinks cluster around gaze shifts (issue: "more often around gaze shifts"): half the glances carry one.
    extra = glances[rngs["blink"].uniform(size=len(glances)) < 0.5] + 0.02
    blinks = blink_times(rngs["blink"], duration, p.blink_rate, extra=extra)
    return Schedule(breaths, breaths.sighs, fidgets, shifts, glances, blinks)


def schedule(
    params: dict[str, Any] | None = None, seed: int = 0, duration: float = 600.0, fps: float = 10.0
) -> Schedule:
    """The event schedule :class:`IdleBreathe` would use for these inputs, at a coarse time grid."""
    from ..engine.sampler import make_context
    from ..engine.skeleton import default_avatar

    ctx = make_context(PROGRAM, params, seed, fps, duration, default_avatar())
    return _plan(ctx.params, _streams(ctx.rng), ctx.times)


class IdleBreathe(TrackProgram):
    meta = MotionMeta(
        id="idle-breathe",
        name="Idle (breathing)",
        description="Calm standing: measured breathing, postural sway, sighs, weight shifts, blinks and glances.",
        tags=("standing", "idle", "breathing"),
        version="1",
        checks=("breathing", "sway", "blinks", "periodicity", "balance"),
        standing=True,
    )
    schema = SCHEMA

    def build(self, ctx: Context) -> Tracks:
        p = ctx.params
        t = ctx.times
        n = len(t)
        dt = 1.0 / ctx.fps
        sk = ctx.skeleton
        scale = sk.leg_length / 0.8745  # 1 for the 1.65 m default avatar (leg 0.53 H)
        rngs = _streams(ctx.rng)
        plan = _plan(p, rngs, t)
        tr = Tracks(sk, n)

        # ---- breathing (facts §1) ------------------------------------------------
        v = plan.breaths.volume  # tidal units: 0 end-exhale, ~1 quiet inhale, ~2 sigh
        # Quiet breath: sternum 2-5 mm forward [D], spread over the thoracic bones; shoulders <= 1-2 mm,
        # up to ~1 cm on a sigh.
        tr.rotate("spine", _rot(X, -0.25 * v))
        tr.rotate("chest", _rot(X, -0.45 * v))
        tr.rotate("upperChest", _rot(X, -0.55 * v))
        lift = 0.35 * v + 1.6 * np.maximum(v - 1.3, 0.0)  # degrees at the clavicle
        for _i, (start, per) in enumerate(zip(plan.breaths.starts, plan.breaths.periods)):
            if 0 <= start < ctx.duration:
                ctx.mark("inhale", start)
            ex = start + per / (1.0 + p.ie_ratio)
            if 0 <= ex < ctx.duration:
                ctx.mark("exhale", ex)
        for s in plan.sighs:
            if 0 <= s < ctx.duration:
                ctx.mark("sigh", s)

        # ---- sway, fidgets and weight shifts --------------------------------------
        ap = sway_track(rngs["sway"], t, (0.06, 0.17, 0.37, 0.71), rms=0.004 * p.sway * scale)
        ml = sway_track(rngs["sway"], t, (0.05, 0.13, 0.29, 0.59), rms=0.0025 * p.sway * scale)
        # 10-20% of the AP sway follows the breath (facts §1, "breathing adds to body sway").
        vb = v - v.mean()
        if np.std(vb) > 0:
            ap = ap + 0.15 * 0.004 * p.sway * scale * vb / np.std(vb)
        rf = rngs["fidget"]
        head_fidget = np.zeros((n, 2))
        for ft in plan.fidgets:
            # A fast, large excursion and return (facts §1 "fidgeting"): 8-15 mm [E], out ~0.8 s, back ~1.2 s.
            amp = rf.uniform(0.008, 0.015) * scale
            ang = rf.uniform(0, 2 * np.pi)
            env = bump(t, ft, rf.uniform(0.6, 1.0), rf.uniform(0.3, 1.5), rf.uniform(0.8, 1.5))
            ap = ap + amp * np.cos(ang) * env
            ml = ml + amp * np.sin(ang) * env
            head_fidget += env[:, None] * rf.uniform(-5, 5, size=2)
            ctx.mark("fidget", ft)
        rs = rngs["shift"]
        side = float(rs.choice([-1.0, 1.0]))
        weight = np.full(n, side * rs.uniform(0.2, 0.6))  # -1 right leg ... +1 left leg
        for st in plan.shifts:
            side = -side
            new = side * rs.uniform(0.6, 1.0)
            dur = rs.uniform(1.2, 2.0)
            weight = weight + (new - weight[np.searchsorted(t, st) - 1 if st > 0 else 0]) * minimum_jerk((t - st) / dur)
            ctx.mark("weight_shift", st)
        shift_m = 0.022 * scale  # facts §1: ML shift amplitude 22 mm (Duarte & Zatsiorsky)
        hips = np.zeros((n, 3))
        hips[:, 0] = ml + shift_m * weight
        hips[:, 2] = ap
        tr.hips_offset[:] = hips
        # Pelvis rolls up on the support side and the spine rights the trunk above it.
        roll = 2.5 * weight
        yaw_noise = noise_track(rngs["sway"], t, 0.08)[:, 0] * 1.2 * p.sway
        tr.rotate("hips", quat.mul(_rot(Y, yaw_noise + 1.5 * weight), _rot(Z, roll)))
        tr.rotate("spine", _rot(Z, -0.55 * roll))
        tr.rotate("chest", _rot(Z, -0.35 * roll))
        tr.rotate("upperChest", _rot(Y, -0.8 * yaw_noise))

        # ---- arms hang relaxed, lag the trunk a little (follow-through) -----------
        lag = (hips - damp_track(hips, 0.25, dt)) / max(
            sk.bone_length("leftUpperArm") + sk.bone_length("leftLowerArm"), 0.1
        )
        for s, name in ((1.0, "left"), (-1.0, "right")):
            hang = 90.0 - p.arm_hang
            # the hanging arm trails the trunk like a damped pendulum; a few degrees at most
            swing_fwd = np.clip(np.degrees(lag[:, 2]) * 3.0, -3.0, 3.0)
            swing_out = np.clip(np.degrees(lag[:, 0]) * 3.0 * s, -3.0, 3.0)
            tr.rotate(f"{name}Shoulder", _rot(Z, s * lift))
            tr.set(
                f"{name}UpperArm",
                quat.mul(_rot(X, -4.0 - swing_fwd), quat.mul(_rot(Z, -s * (hang + swing_out + lift)), _rot(X, 0.0))),
            )
            tr.set(f"{name}LowerArm", _rot(np.array([0.0, -s, 0.0]), 14.0))
            tr.set(f"{name}Hand", _rot(Z, -s * 6.0))
            curl_noise = noise_track(rngs["fingers"], t, 0.15)[:, 0] * 3.0
            for finger, k in (("Index", 0.75), ("Middle", 0.95), ("Ring", 1.05), ("Little", 1.2)):
                for ph, m in (("Proximal", 0.8), ("Intermediate", 1.0), ("Distal", 0.7)):
                    tr.set(f"{name}{finger}{ph}", _rot(np.array([0.0, 0.0, -s]), (p.finger_curl + curl_noise) * k * m))
            thumb_axis = np.cross(np.array([s * 0.7, -0.06, 0.71]), -Y)
            tr.set(f"{name}ThumbProximal", _rot(thumb_axis, 0.5 * p.finger_curl))
            tr.set(f"{name}ThumbDistal", _rot(thumb_axis, 0.6 * p.finger_curl))

        # ---- head: micro-movement, glances (eyes lead or move together) ----------
        hn = noise_track(rngs["head"], t, 0.25, channels=3) * p.head_motion
        yaw = hn[:, 0] * 1.2 + head_fidget[:, 0]
        pitch = hn[:, 1] * 1.0 + head_fidget[:, 1]
        head_roll = hn[:, 2] * 0.6
        gaze_yaw = np.zeros(n)
        gaze_pitch = np.zeros(n)
        rg = rngs["glance"]
        for gt in plan.glances:
            amp = rg.uniform(6.0, 28.0) * rg.choice([-1.0, 1.0])
            gp = rg.uniform(-6.0, 4.0)
            hold = rg.uniform(0.6, 2.5)
            # Facts §9: gaze shifts <= 15° are eyes only; larger ones bring the head (eyes saturate).
            head_part = max(0.0, abs(amp) - 12.0) * np.sign(amp)
            eye_dur = 0.021 + 0.0022 * abs(amp)  # saccade main sequence (§9)
            head_dur = 0.3 + abs(head_part) / 110.0
            lead = rg.uniform(0.02, 0.05) if rg.uniform() < 0.5 else 0.0  # reactive: eyes lead 20-50 ms
            back = gt + lead + head_dur + hold
            gaze_yaw += amp * (minimum_jerk((t - gt) / eye_dur) - minimum_jerk((t - back) / eye_dur))
            gaze_pitch += gp * (minimum_jerk((t - gt) / eye_dur) - minimum_jerk((t - back) / eye_dur))
            yaw += head_part * (minimum_jerk((t - gt - lead) / head_dur) - minimum_jerk((t - back) / (head_dur * 1.2)))
            pitch += 0.3 * gp * (minimum_jerk((t - gt - lead) / head_dur) - minimum_jerk((t - back) / (head_dur * 1.2)))
            ctx.mark("glance", gt)
        # Neck takes 40% of the head's turn; the neck also cancels the breathing extension of the chest.
        tr.rotate("neck", quat.mul(_rot(Y, 0.4 * yaw), _rot(X, 0.4 * pitch + 0.9 * v + 0.4 * roll * 0)))
        tr.rotate(
            "head",
            quat.mul(_rot(Y, 0.6 * yaw), quat.mul(_rot(X, 0.6 * pitch + 0.35 * v), _rot(Z, head_roll - 0.1 * roll))),
        )
        eye_yaw = gaze_yaw - yaw
        eye_pitch = gaze_pitch - pitch
        if sk.has("leftEye"):
            q_eye = quat.mul(_rot(Y, eye_yaw), _rot(X, -eye_pitch))
            tr.set("leftEye", q_eye)
            tr.set("rightEye", q_eye)
        gy = np.radians(eye_yaw)
        gpi = np.radians(eye_pitch)
        tr.gaze = np.stack([np.sin(gy) * np.cos(gpi), np.sin(gpi), np.cos(gy) * np.cos(gpi)], axis=1)
        tr.expressions["blink"] = blink_track(t, plan.blinks)

        # ---- feet stay planted: leg IK to the rest foot positions -----------------
        rest = sk.rest_positions()
        # Hips height follows from the legs: the support knee keeps ~4° of bend, the free knee more.
        tr.settle_hips_on_legs({side: rest[sk.index(f"{side}Foot")] for side in ("left", "right")}, 4.0)
        for s, name in ((1.0, "left"), (-1.0, "right")):
            foot = rest[sk.index(f"{name}Foot")]
            knee = rest[sk.index(f"{name}LowerLeg")]
            toe_out = _rot(Y, s * 7.0)  # facts §1: about 14° between the feet
            pole = knee + quat.rotate(toe_out, np.array([0.0, 0.0, 0.5]))
            tr.solve_limb(f"{name}Leg", foot, pole, end_grot=toe_out)
        return tr


PROGRAM = IdleBreathe()
