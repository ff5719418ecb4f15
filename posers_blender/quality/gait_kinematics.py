"""Gait kinematics: pelvis, trunk, arm and joint-angle figures of a walk over its gait cycles.

Complements :func:`posers_blender.quality.timing.gait` (spatiotemporal figures)
with the kinematic rows of ``motion_quality_metrics.md`` §9 B4 and the style
deltas of B11, measured on the clip's poses:

- gait cycles run from a left heel strike to the next (the suite's foot
  contacts, :func:`posers_blender.quality.contacts.foot_contacts`); the first
  and last ``skip`` strides are dropped so starts and stops do not count;
- pelvis obliquity (roll), rotation (yaw) and tilt are the hips' rotation in
  the travel frame (the hips' heading of travel over the stride), total range
  per stride (facts §2c); vertical and lateral excursion are the hips' peak to
  peak per stride (lateral after removing the stride's straight-line travel);
- joint curves are the suite's anatomical angles
  (:func:`posers_blender.quality.limits.angle`: hip flexion, knee flexion,
  ankle plantarflexion), the shoulder's sagittal angle (humerus direction in
  the upper chest frame, forward +) and the elbow flexion, each averaged over
  the strides on 101 points of %GC;
- step width is the heel-to-heel distance across the travel direction at
  consecutive heel strikes; knee at push-off is the knee flexion on a foot's
  last contact frame.

Angles in degrees, lengths in metres.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine import quat
from ..engine.clip import Clip
from .contacts import SIDES, foot_contacts, touchdown_time, track
from .kinematics import kinematics
from .limits import angle

Array = NDArray[np.float64]
_Y = np.array([0.0, 1.0, 0.0])


@dataclass
class GaitKinematics:
    """Per-stride means of the B4/B11 kinematic figures; NaN when the clip has too few strides."""

    strides: int = 0
    step_width: float = float("nan")  # m, heel centres across the travel direction
    swing_lift: float = float("nan")  # m, highest ankle lift above its stance height during swing
    pelvic_obliquity: float = float("nan")  # deg, total range (B4 5-12)
    pelvic_rotation: float = float("nan")  # deg, total range (B4 5-14)
    vertical_excursion: float = float("nan")  # m, pelvis peak to peak (B4 2-5 cm)
    lateral_excursion: float = float("nan")  # m, pelvis peak to peak (B4 2.5-7 cm)
    shoulder_arc: float = float("nan")  # deg, sagittal arm arc (B4 20-45)
    shoulder_mean: float = float("nan")  # deg, centre of the arm arc (forward +; B11 runway further back)
    arm_thigh_phase: float = float("nan")  # deg, arm vs ipsilateral thigh relative phase (B4 150-210)
    knee_pushoff: float = float("nan")  # deg, knee flexion at toe off (B11 runway >= 5° straighter)
    head_roll: float = float("nan")  # deg, head roll range in space per stride (B11 runway <= neutral)
    curves: dict[str, Array] = field(default_factory=dict)  # name -> [101] mean over %GC


def _travel_heading(hips_xz: Array, fps: float) -> Array:
    """Heading (rad) of the hips' travel, averaged over about one second; ``[F]``."""
    n = max(3, int(fps))
    k = np.ones(n) / n
    sm = np.stack(
        [np.convolve(np.pad(hips_xz[:, i], (n // 2, n - n // 2 - 1), mode="edge"), k, mode="valid") for i in range(2)],
        1,
    )
    v = np.gradient(sm, axis=0)
    return np.unwrap(np.arctan2(v[:, 0], v[:, 1]))


def shoulder_sagittal(clip: Clip, side: str) -> Array:
    """Humerus angle in the upper chest's sagittal plane (deg, forward +, 0 = hanging), ``[F]``."""
    kin = kinematics(clip)
    ix = hm.INDEX
    d = kin.gpos[:, ix[f"{side}LowerArm"]] - kin.gpos[:, ix[f"{side}UpperArm"]]
    d = quat.rotate(quat.conj(kin.grot[:, ix["upperChest"]]), d)
    return np.degrees(np.arctan2(d[:, 2], -d[:, 1]))


def curve_peak(curve: Array, lo: float, hi: float, mode: str = "max") -> tuple[float, float]:
    """(value, %GC) of the max (or ``"min"``) of a 101-point mean curve within [lo, hi] %GC."""
    seg = curve[int(lo) : int(hi) + 1]
    i = int(np.argmax(seg) if mode == "max" else np.argmin(seg))
    return float(seg[i]), float(lo + i)


def gait_kinematics(clip: Clip, skip: int = 2) -> GaitKinematics:
    """B4/B11 kinematic figures over the steady strides of a walk (see the module docstring)."""
    fps = clip.fps
    kin = kinematics(clip)
    plants = foot_contacts(clip)
    hs = {s: [c for c in plants if c.foot == s and c.start > 0] for s in SIDES}
    out = GaitKinematics()
    left = hs["left"][skip : len(hs["left"]) - skip] if len(hs["left"]) > 2 * skip else []
    if len(left) < 3:
        return out
    t_left = np.array([touchdown_time(clip, c) for c in left])
    lo_t, hi_t = t_left[0], t_left[-1]
    bounds = [(int(round(a * fps)), int(round(b * fps))) for a, b in zip(t_left[:-1], t_left[1:])]
    out.strides = len(bounds)
    hips = clip.hips_pos
    heading = _travel_heading(hips[:, [0, 2]], fps)
    rel = quat.mul(quat.conj(quat.from_axis_angle(_Y, heading)), clip.lrot[:, hm.INDEX["hips"]])
    eul = np.degrees(quat.to_euler(rel, "YZX"))  # yaw (rotation), roll (obliquity), tilt
    head = quat.mul(quat.conj(quat.from_axis_angle(_Y, heading)), kin.grot[:, hm.INDEX["head"]])
    head_roll = np.degrees(quat.to_euler(head, "YZX"))[:, 1]
    sig = {
        "hip": angle(clip, "leftHip.flexion"),
        "knee": angle(clip, "leftKnee.flexion"),
        "ankle": angle(clip, "leftAnkle.plantarflexion"),
        "shoulder": shoulder_sagittal(clip, "left"),
        "elbow": angle(clip, "leftElbow.flexion"),
        "pelvisY": hips[:, 1],
        "obliquity": eul[:, 1],
        "rotation": eul[:, 0],
    }
    sh_r = shoulder_sagittal(clip, "right")
    rot, obl, bob, lat, arc, arc_mid, hroll = [], [], [], [], [], [], []
    curves: dict[str, list[Array]] = {k: [] for k in sig}
    for ia, ib in bounds:
        rot.append(np.ptp(eul[ia:ib, 0]))
        obl.append(np.ptp(eul[ia:ib, 1]))
        bob.append(np.ptp(hips[ia:ib, 1]))
        th = float(np.mean(heading[ia:ib]))
        xz = hips[ia : ib + 1, [0, 2]] - hips[ia, [0, 2]]
        lp = xz @ np.array([np.cos(th), -np.sin(th)])
        lat.append(np.ptp(lp - np.linspace(lp[0], lp[-1], len(lp))))
        arc.append(0.5 * (np.ptp(sig["shoulder"][ia:ib]) + np.ptp(sh_r[ia:ib])))
        arc_mid.append(0.5 * (np.mean(sig["shoulder"][ia:ib]) + np.mean(sh_r[ia:ib])))
        hroll.append(np.ptp(head_roll[ia:ib]))
        x = np.linspace(0, 100, ib - ia + 1)
        for k, v in sig.items():
            curves[k].append(np.interp(np.arange(101), x, v[ia : ib + 1]))
    out.pelvic_rotation = float(np.mean(rot))
    out.pelvic_obliquity = float(np.mean(obl))
    out.vertical_excursion = float(np.mean(bob))
    out.lateral_excursion = float(np.mean(lat))
    out.shoulder_arc = float(np.mean(arc))
    out.shoulder_mean = float(np.mean(arc_mid))
    out.head_roll = float(np.mean(hroll))
    out.curves = {k: np.mean(np.stack(v), axis=0) for k, v in curves.items()}
    # arm vs ipsilateral thigh: circular cross-correlation of the mean curves
    hip_c = out.curves["hip"] - out.curves["hip"].mean()
    sh_c = out.curves["shoulder"] - out.curves["shoulder"].mean()
    xc = [float(np.dot(hip_c[:100], np.roll(sh_c[:100], -k))) for k in range(100)]
    out.arm_thigh_phase = 3.6 * int(np.argmax(xc))
    # step width and knee at push-off over the steady span
    heel = {s: track(kin, f"{s}Heel" if kin.has_landmark(f"{s}Heel") else f"{s}Foot") for s in SIDES}
    events = sorted((touchdown_time(clip, c), c.start, c.foot) for s in SIDES for c in hs[s])
    widths = []
    for (t1, i1, f1), (t2, i2, f2) in zip(events[:-1], events[1:]):
        if f1 == f2 or t1 < lo_t or t2 > hi_t:
            continue
        th = heading[(i1 + i2) // 2]
        d = heel[f2][i2, [0, 2]] - heel[f1][i1, [0, 2]]
        widths.append(abs(float(d @ np.array([np.cos(th), -np.sin(th)]))))
    out.step_width = float(np.mean(widths)) if widths else float("nan")
    knees = {s: angle(clip, f"{s}Knee.flexion") for s in SIDES}
    push = [knees[c.foot][c.end - 1] for c in plants if c.lifts and lo_t * fps <= c.end <= hi_t * fps]
    out.knee_pushoff = float(np.mean(push)) if push else float("nan")
    lifts = []
    for s in SIDES:
        ank = kin.joint(f"{s}Foot")[:, 1]
        stand = float(np.median(ank[[c.start for c in hs[s]]])) if hs[s] else float(ank.min())
        i0, i1 = int(lo_t * fps), int(hi_t * fps)
        lifts.append(float(ank[i0:i1].max()) - stand)
    out.swing_lift = float(np.mean(lifts))
    return out
