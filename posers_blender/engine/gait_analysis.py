"""Gait measurements on a sampled clip: contacts, events, spatiotemporal figures, joint curves, foot slide.

Measured from the clip's poses (FK + foot landmarks), never from the plan that
made them, so they check what a user would see. Definitions follow
``motion_quality_metrics.md`` §0 (contact: a sole point within a few mm of the
floor and nearly still), §2 (per-contact slide) and §6 (PCI, stride CV).
Angles in degrees, lengths in metres, times in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from . import quat
from .clip import Clip

Array = NDArray[np.float64]
SIDES = ("left", "right")


@dataclass
class FootContacts:
    """Contact intervals of one foot as frame index pairs ``[start, end]`` (inclusive)."""

    side: str
    intervals: list[tuple[int, int]]
    heel: list[tuple[int, int]]  # heel-contact spans
    ball: list[tuple[int, int]]  # forefoot-contact spans


def _runs(mask: NDArray[np.bool_]) -> list[tuple[int, int]]:
    m = np.concatenate([[False], mask, [False]]).astype(np.int8)
    d = np.diff(m)
    starts = np.nonzero(d == 1)[0]
    ends = np.nonzero(d == -1)[0] - 1
    return [(int(a), int(b)) for a, b in zip(starts, ends)]


def sole_points(clip: Clip, side: str) -> dict[str, Array]:
    """World tracks ``[F, 3]`` of the heel, ball and toe-tip landmarks of one foot."""
    grot, gpos = clip.fk()
    sk = clip.skeleton
    return {k: sk.landmark_positions(f"{side}{k}", grot, gpos) for k in ("Heel", "Ball", "ToeTip")}


def foot_contacts(clip: Clip, height: float = 0.006, speed: float = 0.25) -> dict[str, FootContacts]:
    """Contacts per foot: a sole point below ``height`` m and slower than ``speed`` m/s (metrics §0)."""
    out: dict[str, FootContacts] = {}
    dt = 1.0 / clip.fps
    for side in SIDES:
        pts = sole_points(clip, side)
        masks = {}
        for k, p in pts.items():
            v = np.zeros(len(p))
            v[1:-1] = np.linalg.norm(p[2:, [0, 2]] - p[:-2, [0, 2]], axis=1) / (2 * dt)
            v[0], v[-1] = v[1], v[-2]
            masks[k] = (p[:, 1] < height) & (v < speed)
        heel = masks["Heel"]
        ball = masks["Ball"] | masks["ToeTip"]
        out[side] = FootContacts(side, _runs(heel | ball), _runs(heel), _runs(ball))
    return out


def contact_slide(clip: Clip, contacts: dict[str, FootContacts] | None = None) -> list[dict[str, float]]:
    """Horizontal drift (m) of the loaded sole point over each contact (metrics §2, stricter measure).

    For each heel-contact span the heel landmark's largest horizontal distance
    from where it landed; for each forefoot span the ball landmark's. A foot
    that rolls about its heel and then its ball without sliding gives ~0; the
    toe's final pivot (the last 10 % of the forefoot span) is excluded.
    """
    contacts = contacts or foot_contacts(clip)
    res = []
    for side, fc in contacts.items():
        pts = sole_points(clip, side)
        fore = pts["Ball"] if clip.skeleton.has(f"{side}Toes") else pts["ToeTip"]  # the forefoot's pivot
        for kind, spans, p in (("heel", fc.heel, pts["Heel"]), ("ball", fc.ball, fore)):
            for a, b in spans:
                if b - a < 2:
                    continue
                if kind == "ball":
                    b = a + int(np.floor(0.9 * (b - a)))
                seg = p[a : b + 1][:, [0, 2]]
                drift = float(np.max(np.linalg.norm(seg - seg[0], axis=1)))
                res.append(
                    {
                        "side": 1.0 if side == "left" else -1.0,
                        "start": a / clip.fps,
                        "slide": drift,
                        "ball": float(kind == "ball"),
                    }
                )
    return res


def penetration_and_float(clip: Clip, contacts: dict[str, FootContacts] | None = None) -> tuple[float, float]:
    """(deepest sole point below the floor, m, >= 0; largest height of the body's lowest sole point, m).

    Walking has no flight phase (metrics §2 A4), so at every frame the lower
    foot's lowest sole point (heel, ball or toe tip) must be on the floor; the
    second value is the worst hover over the clip.
    """
    contacts = contacts or foot_contacts(clip)
    depth = 0.0
    floating = 0.0
    lows = []
    for side in SIDES:
        pts = sole_points(clip, side)
        low = np.min(np.stack([p[:, 1] for p in pts.values()]), axis=0)
        lows.append(low)
        depth = max(depth, float(-low.min()))
    # no flight phase: at every frame one foot is on the floor
    both = np.min(np.stack(lows), axis=0)
    floating = max(floating, float(both.max()))
    return max(depth, 0.0), floating


@dataclass
class GaitFigures:
    """Spatiotemporal and kinematic figures of the steady part of a walk."""

    cadence: float = 0.0  # steps/min
    step_length: float = 0.0  # m
    step_length_h: float = 0.0  # step length / avatar height
    speed: float = 0.0  # m/s, pelvis over the steady span
    stance: float = 0.0  # % of stride
    double_support: float = 0.0  # % of stride (both periods)
    stride_cv: float = 0.0  # %
    pci: float = 0.0  # %
    step_width: float = 0.0  # m, heel centres, perpendicular to travel
    step_height: float = 0.0  # m, peak ankle lift above its stance height
    pelvic_obliquity: float = 0.0  # total range, deg
    pelvic_rotation: float = 0.0  # total range, deg
    vertical_bob: float = 0.0  # pelvis pp, m
    lateral_shift: float = 0.0  # pelvis pp, m
    arm_arc: float = 0.0  # shoulder sagittal arc, deg
    knee_pushoff: float = 0.0  # knee flexion at toe off, deg
    head_roll: float = 0.0  # head roll range in space, deg
    curves: dict[str, Array] = field(default_factory=dict)  # mean curves over %GC (101 points)


def heel_strikes(clip: Clip, contacts: dict[str, FootContacts] | None = None) -> dict[str, Array]:
    """Heel-strike times (s) per foot: the first frame of each contact."""
    contacts = contacts or foot_contacts(clip)
    return {s: np.asarray([a / clip.fps for a, _ in contacts[s].intervals]) for s in SIDES}


def stride_cv(hs: Array) -> float:
    """Coefficient of variation (%) of stride times from one foot's heel strikes (metrics §6)."""
    st = np.diff(hs)
    return float(100.0 * np.std(st) / np.mean(st)) if len(st) > 1 else 0.0


def pci(hs_left: Array, hs_right: Array) -> float:
    """Phase coordination index (Plotnik 2007, metrics §6): CV(phi) % + 100 mean|phi - 180| / 180.

    phi = 360 (contralateral HS - ipsilateral HS) / stride time, per left stride.
    """
    phis = []
    for a, b in zip(hs_left[:-1], hs_left[1:]):
        r = hs_right[(hs_right > a) & (hs_right < b)]
        if len(r):
            phis.append(360.0 * (r[0] - a) / (b - a))
    if len(phis) < 3:
        return 0.0
    ph = np.asarray(phis)
    return float(100.0 * np.std(ph) / np.mean(ph) + 100.0 * np.mean(np.abs(ph - 180.0)) / 180.0)


def joint_angles(clip: Clip) -> dict[str, Array]:
    """Sagittal hip flexion, knee flexion, ankle dorsiflexion per side (deg, ``[F]``), shoulder flexion.

    Hip: thigh direction in the pelvis frame (forward +). Knee: angle between
    thigh and shank. Ankle: foot pitch relative to the shank minus its rest
    value (dorsiflexion +). Shoulder: upper-arm direction in the upper chest
    frame (forward +).
    """
    grot, gpos = clip.fk()
    out: dict[str, Array] = {}
    ix = hm.INDEX

    def local_dir(parent: str, a: str, b: str) -> Array:
        d = gpos[:, ix[b]] - gpos[:, ix[a]]
        return quat.rotate(quat.conj(grot[:, ix[parent]]), d)

    for side in SIDES:
        th = local_dir("hips", f"{side}UpperLeg", f"{side}LowerLeg")
        out[f"{side}Hip"] = np.degrees(np.arctan2(th[:, 2], -th[:, 1]))
        thw = gpos[:, ix[f"{side}LowerLeg"]] - gpos[:, ix[f"{side}UpperLeg"]]
        shw = gpos[:, ix[f"{side}Foot"]] - gpos[:, ix[f"{side}LowerLeg"]]
        cosk = np.sum(thw * shw, axis=1) / (np.linalg.norm(thw, axis=1) * np.linalg.norm(shw, axis=1))
        rest = clip.skeleton.offsets
        r0 = np.dot(rest[ix[f"{side}LowerLeg"]], rest[ix[f"{side}Foot"]]) / (
            np.linalg.norm(rest[ix[f"{side}LowerLeg"]]) * np.linalg.norm(rest[ix[f"{side}Foot"]])
        )
        out[f"{side}Knee"] = np.degrees(np.arccos(np.clip(cosk, -1, 1))) - np.degrees(np.arccos(np.clip(r0, -1, 1)))
        out[f"{side}Ankle"] = -np.degrees(quat.twist_angle(clip.lrot[:, ix[f"{side}Foot"]], np.array([1.0, 0, 0])))
        ua = local_dir("upperChest", f"{side}UpperArm", f"{side}LowerArm")
        out[f"{side}Shoulder"] = np.degrees(np.arctan2(ua[:, 2], -ua[:, 1]))
        la = gpos[:, ix[f"{side}Hand"]] - gpos[:, ix[f"{side}LowerArm"]]
        ua_w = gpos[:, ix[f"{side}LowerArm"]] - gpos[:, ix[f"{side}UpperArm"]]
        ce = np.sum(la * ua_w, axis=1) / (np.linalg.norm(la, axis=1) * np.linalg.norm(ua_w, axis=1))
        out[f"{side}Elbow"] = np.degrees(np.arccos(np.clip(ce, -1, 1)))
    return out


def _heading(clip: Clip) -> Array:
    """Travel heading (rad) of the pelvis, smoothed over a stride; falls back to the pelvis yaw when still."""
    p = clip.hips_pos[:, [0, 2]]
    n = max(3, int(clip.fps * 1.0))
    k = np.ones(n) / n
    sm = np.stack(
        [np.convolve(np.pad(p[:, i], (n // 2, n - n // 2 - 1), mode="edge"), k, mode="valid") for i in range(2)], 1
    )
    v = np.gradient(sm, axis=0)
    return np.unwrap(np.arctan2(v[:, 0], v[:, 1]))


def gait_figures(clip: Clip, skip_strides: int = 2) -> GaitFigures:
    """Figures over the steady strides (dropping ``skip_strides`` at each end for starts and stops)."""
    fps = clip.fps
    contacts = foot_contacts(clip)
    hs = heel_strikes(clip, contacts)
    f = GaitFigures()
    left = hs["left"]
    if len(left) < 2 * skip_strides + 3:
        return f
    lo_t, hi_t = left[skip_strides], left[-1 - skip_strides]
    sel = {s: hs[s][(hs[s] >= lo_t - 1e-9) & (hs[s] <= hi_t + 1e-9)] for s in SIDES}
    all_hs = np.sort(np.concatenate([sel["left"], sel["right"]]))
    f.cadence = 60.0 * (len(all_hs) - 1) / (all_hs[-1] - all_hs[0])
    f.stride_cv = float(np.mean([stride_cv(sel[s]) for s in SIDES]))
    f.pci = pci(hs["left"][skip_strides:-skip_strides], hs["right"])
    # stance and double support per stride
    stance, dsup = [], []
    cmask = {}
    n = clip.n_frames
    for s in SIDES:
        m = np.zeros(n, dtype=bool)
        for a, b in contacts[s].intervals:
            m[a : b + 1] = True
        cmask[s] = m
    both = cmask["left"] & cmask["right"]
    for s in SIDES:
        h = sel[s]
        for a, b in zip(h[:-1], h[1:]):
            ia, ib = int(round(a * fps)), int(round(b * fps))
            stance.append(100.0 * cmask[s][ia:ib].mean())
            dsup.append(100.0 * both[ia:ib].mean())
    f.stance = float(np.mean(stance))
    f.double_support = float(np.mean(dsup))
    # step length and width from heel landing points along the travel direction
    grot, gpos = clip.fk()
    heel = {s: clip.skeleton.landmark_positions(f"{s}Heel", grot, gpos) for s in SIDES}
    heading = _heading(clip)
    ev = sorted([(t, s) for s in SIDES for t in sel[s]])
    lens, widths = [], []
    for (t1, s1), (t2, s2) in zip(ev[:-1], ev[1:]):
        if s1 == s2:
            continue
        i1, i2 = int(round(t1 * fps)), int(round(t2 * fps))
        th = heading[(i1 + i2) // 2]
        fwd = np.array([np.sin(th), np.cos(th)])
        lft = np.array([np.cos(th), -np.sin(th)])
        d = heel[s2][i2, [0, 2]] - heel[s1][i1, [0, 2]]
        lens.append(float(np.dot(d, fwd)))
        widths.append(abs(float(np.dot(d, lft))))
    f.step_length = float(np.mean(lens))
    f.step_width = float(np.mean(widths))
    height = clip.skeleton.height
    f.step_length_h = f.step_length / height
    i0, i1 = int(round(lo_t * fps)), int(round(hi_t * fps))
    path_len = np.sum(np.linalg.norm(np.diff(clip.hips_pos[i0 : i1 + 1][:, [0, 2]], axis=0), axis=1))
    f.speed = float(path_len / (hi_t - lo_t))
    # pelvis rotations in the travel frame
    qh = clip.lrot[:, 0]
    q_trav = quat.from_axis_angle(np.array([0.0, 1.0, 0.0]), heading)
    rel = quat.mul(quat.conj(q_trav), qh)
    eul = np.degrees(quat.to_euler(rel, "YZX"))  # yaw, roll (obliquity), tilt
    sl = slice(i0, i1 + 1)
    ang = joint_angles(clip)
    rot_r, obl_r, bob, lat, arm, head_roll, knee_to = [], [], [], [], [], [], []
    head_q = quat.mul(quat.conj(q_trav), grot[:, hm.INDEX["head"]])
    head_eul = np.degrees(quat.to_euler(head_q, "YZX"))
    for a, b in zip(sel["left"][:-1], sel["left"][1:]):
        ia, ib = int(round(a * fps)), int(round(b * fps))
        rot_r.append(np.ptp(eul[ia:ib, 0]))
        obl_r.append(np.ptp(eul[ia:ib, 1]))
        bob.append(np.ptp(clip.hips_pos[ia:ib, 1]))
        # remove the linear drift of the lateral position over the stride
        th = float(np.mean(heading[ia:ib]))
        rel_p = clip.hips_pos[ia : ib + 1][:, [0, 2]] - clip.hips_pos[ia, [0, 2]]
        lat_pos = rel_p @ np.array([np.cos(th), -np.sin(th)])
        lp = lat_pos - np.linspace(lat_pos[0], lat_pos[-1], len(lat_pos))
        lat.append(np.ptp(lp))
        arm.append(0.5 * (np.ptp(ang["leftShoulder"][ia:ib]) + np.ptp(ang["rightShoulder"][ia:ib])))
        head_roll.append(np.ptp(head_eul[ia:ib, 1]))
    for s in SIDES:
        for _a, b in contacts[s].intervals:
            if lo_t * fps <= b <= hi_t * fps:
                knee_to.append(ang[f"{s}Knee"][b])
    f.pelvic_rotation = float(np.mean(rot_r))
    f.pelvic_obliquity = float(np.mean(obl_r))
    f.vertical_bob = float(np.mean(bob))
    f.lateral_shift = float(np.mean(lat))
    f.arm_arc = float(np.mean(arm))
    f.head_roll = float(np.mean(head_roll))
    f.knee_pushoff = float(np.mean(knee_to)) if knee_to else 0.0
    # step height: ankle lift during swing above its standing height
    ank = gpos[:, hm.INDEX["leftFoot"], 1]
    f.step_height = float(np.max(ank[sl]) - np.min(ank[sl]))
    # mean curves over the left gait cycle
    curves: dict[str, list[Array]] = {}
    for a, b in zip(sel["left"][:-1], sel["left"][1:]):
        ia, ib = int(round(a * fps)), int(round(b * fps))
        x = np.linspace(0, 100, ib - ia + 1)
        for key in ("leftHip", "leftKnee", "leftAnkle", "leftShoulder", "leftElbow"):
            curves.setdefault(key, []).append(np.interp(np.arange(101), x, ang[key][ia : ib + 1]))
        curves.setdefault("pelvisY", []).append(np.interp(np.arange(101), x, clip.hips_pos[ia : ib + 1, 1]))
        curves.setdefault("obliquity", []).append(np.interp(np.arange(101), x, eul[ia : ib + 1, 1]))
        curves.setdefault("rotation", []).append(np.interp(np.arange(101), x, eul[ia : ib + 1, 0]))
    f.curves = {k: np.mean(np.stack(v), axis=0) for k, v in curves.items()}
    return f


def curve_peak(curve: Array, lo: float, hi: float, mode: str = "max") -> tuple[float, float]:
    """(value, %GC) of the max (or min) of a 101-point mean curve within [lo, hi] %GC."""
    seg = curve[int(lo) : int(hi) + 1]
    i = int(np.argmax(seg) if mode == "max" else np.argmin(seg))
    return float(seg[i]), float(lo + i)
