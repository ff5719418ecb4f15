"""Balance: whole-body centre of mass from segment masses, and its margin inside the support polygon.

Facts §10 (Dempster 1955 in Winter 1990): segment mass fractions and COM
positions along each segment; metrics §2 "Balance" and §9 A10 (COM ground
projection inside the convex hull of the contact feet, margin >= 10 mm [E]).
The extrapolated COM (Hof 2005: XCoM = COM + v sqrt(l / g)) is offered for
moving clips.

Segment endpoints on the VRM skeleton ([D], documented choices):

- head and neck 0.081 at the ear canal: 44% of the way from the ``head``
  joint to the ``headTop`` landmark (ear canal ~0.93 H, head joint 0.875 H);
- thorax 0.216 at 0.82 from C7-T1 (``neck`` joint) along neck -> upperChest -> chest;
- abdomen 0.139 at 0.44 from T12-L1 (``chest`` joint) to L4-L5 (``spine`` joint);
- pelvis 0.142 at 0.105 from L4-L5 (``spine``) to the hip-joint midpoint;
- upper arm 0.028 / 0.436, forearm 0.016 / 0.430, hand 0.006 / 0.506 (wrist to middle-finger knuckle);
- thigh 0.100 / 0.433, shank 0.0465 / 0.433, foot 0.0145 / 0.50 (ankle to the ball landmark).

The sole outline of a foot point in contact is that point plus/minus a
lateral half-width along the foot's own X axis: heel 0.30, ball 0.50, toe tip
0.20 of the foot width 0.055 H (facts §10) [D].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine import quat
from ..engine.clip import Clip
from .contacts import FOOT_POINTS, SIDES, point_contacts, track
from .kinematics import Kinematics, kinematics
from .signal import derivative

Array = NDArray[np.float64]

G = 9.81
FOOT_WIDTH_H = 0.055  # facts §10
SOLE_HALF_WIDTH = {"Heel": 0.30, "Ball": 0.50, "ToeTip": 0.20}  # share of the foot width [D]


def _along(points: list[Array], frac: float) -> Array:
    """Point at ``frac`` of the polyline length through ``points`` (each ``[F, 3]``), per frame."""
    segs = [b - a for a, b in zip(points[:-1], points[1:])]
    lens = np.stack([np.linalg.norm(s, axis=1) for s in segs], axis=1)  # [F, K-1]
    total = lens.sum(axis=1)
    target = frac * total
    out = points[0].copy()
    done = np.zeros(len(total))
    for k, s in enumerate(segs):
        take = np.clip(target - done, 0.0, lens[:, k])
        ratio = np.where(lens[:, k] > 1e-12, take / np.maximum(lens[:, k], 1e-12), 0.0)
        out = out + s * ratio[:, None]
        done = done + lens[:, k]
    return out


def segment_coms(kin: Kinematics) -> list[tuple[str, float, Array]]:
    """(segment name, mass fraction, COM track ``[F, 3]``) for the 14 Dempster segments (facts §10)."""
    j = kin.joint
    clip = kin.clip
    head = j("head")
    top = kin.landmark("headTop") if kin.has_landmark("headTop") else head + np.array([0.0, 0.125 * 1.65, 0.0])
    hipmid = 0.5 * (j("leftUpperLeg") + j("rightUpperLeg"))
    out: list[tuple[str, float, Array]] = [
        ("headNeck", 0.081, head + 0.44 * (top - head)),
        ("thorax", 0.216, _along([j("neck"), j("upperChest"), j("chest")], 0.82)),
        ("abdomen", 0.139, j("chest") + 0.44 * (j("spine") - j("chest"))),
        ("pelvis", 0.142, j("spine") + 0.105 * (hipmid - j("spine"))),
    ]
    for s in SIDES:
        hand_end = j(f"{s}MiddleProximal") if clip.skeleton.has(f"{s}MiddleProximal") else kin.landmark(f"{s}HandTip")
        ball = kin.landmark(f"{s}Ball") if kin.has_landmark(f"{s}Ball") else j(f"{s}Toes")
        for name, mass, a, b, frac in (
            ("UpperArm", 0.028, j(f"{s}UpperArm"), j(f"{s}LowerArm"), 0.436),
            ("Forearm", 0.016, j(f"{s}LowerArm"), j(f"{s}Hand"), 0.430),
            ("Hand", 0.006, j(f"{s}Hand"), hand_end, 0.506),
            ("Thigh", 0.100, j(f"{s}UpperLeg"), j(f"{s}LowerLeg"), 0.433),
            ("Shank", 0.0465, j(f"{s}LowerLeg"), j(f"{s}Foot"), 0.433),
            ("Foot", 0.0145, j(f"{s}Foot"), ball, 0.50),
        ):
            out.append((f"{s}{name}", mass, a + frac * (b - a)))
    return out


def center_of_mass(clip: Clip) -> Array:
    """Whole-body COM ``[F, 3]`` (metres) from facts §10 segment masses (they sum to 1.0)."""
    segs = segment_coms(kinematics(clip))
    total = sum(m for _, m, _ in segs)
    return sum(m * p for _, m, p in segs) / total  # type: ignore[return-value]


def _hull(pts: Array) -> Array:
    """Convex hull (counter-clockwise, x-z plane) of 2-D points ``[K, 2]`` by Andrew's monotone chain."""
    p = np.unique(pts, axis=0)
    if len(p) <= 2:
        return p

    def cross(o: Array, a: Array, b: Array) -> float:
        return float((a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]))

    lower: list[Array] = []
    for q in p:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], q) <= 0:
            lower.pop()
        lower.append(q)
    upper: list[Array] = []
    for q in p[::-1]:
        while len(upper) >= 2 and cross(upper[-2], upper[-1], q) <= 0:
            upper.pop()
        upper.append(q)
    return np.array(lower[:-1] + upper[:-1])


def _seg_dist(p: Array, a: Array, b: Array) -> float:
    ab = b - a
    t = float(np.clip(np.dot(p - a, ab) / max(float(np.dot(ab, ab)), 1e-18), 0.0, 1.0))
    return float(np.linalg.norm(p - (a + t * ab)))


def polygon_margin(point: Array, polygon: Array) -> float:
    """Signed distance (same units) from a 2-D point to a convex polygon's boundary: + inside, - outside."""
    hull = _hull(np.asarray(polygon, dtype=np.float64))
    p = np.asarray(point, dtype=np.float64)
    if len(hull) == 0:
        return float("nan")
    if len(hull) == 1:
        return -float(np.linalg.norm(p - hull[0]))
    edges = [(hull[i], hull[(i + 1) % len(hull)]) for i in range(len(hull))]
    dist = min(_seg_dist(p, a, b) for a, b in edges)
    if len(hull) < 3:
        return -dist
    inside = all((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0 for a, b in edges)
    return dist if inside else -dist


def support_points(clip: Clip) -> tuple[Array, NDArray[np.bool_]]:
    """Sole outline points ``[F, K, 2]`` (x, z) of all foot points and a mask ``[F, K]`` of those in contact."""
    kin = kinematics(clip)
    width = FOOT_WIDTH_H * clip.skeleton.height
    pts: list[Array] = []
    mask: list[NDArray[np.bool_]] = []
    for s in SIDES:
        lateral = quat.rotate(kin.grot[:, hm.INDEX[f"{s}Foot"]], np.array([1.0, 0.0, 0.0]))[:, [0, 2]]
        lateral = lateral / np.maximum(np.linalg.norm(lateral, axis=1, keepdims=True), 1e-9)
        for p in FOOT_POINTS:
            name = f"{s}{p}"
            if not kin.has_landmark(name):
                continue
            c = track(kin, name)[:, [0, 2]]
            on = point_contacts(clip, name)
            hw = SOLE_HALF_WIDTH[p] * width
            for sign in (1.0, -1.0):
                pts.append(c + sign * hw * lateral)
                mask.append(on)
    return np.stack(pts, axis=1), np.stack(mask, axis=1)


@dataclass(frozen=True)
class BalanceStats:
    """COM margin inside the support polygon (mm; + inside): minimum, median, and the frames it could be measured."""

    min_margin: float
    median_margin: float
    worst_time: float
    measured_frames: int
    xcom_min_margin: float


def support_margins(points: Array, mask: NDArray[np.bool_], target: Array) -> Array:
    """Signed distance ``[F]`` of ``target [F, 2]`` to the convex hull of the masked ``points [F, K, 2]``.

    Positive inside, negative outside, NaN where no point is masked in. Vectorised over frames: an
    ordered pair (i, j) is a counter-clockwise hull edge when no masked point lies to its right.
    """
    f, k, _ = points.shape
    i_idx, j_idx = np.nonzero(~np.eye(k, dtype=bool))
    pi, pj = points[:, i_idx], points[:, j_idx]  # [F, E, 2]
    e = pj - pi
    elen = np.linalg.norm(e, axis=-1)
    rel = points[:, None, :, :] - pi[:, :, None, :]  # [F, E, K, 2]
    side = e[:, :, None, 0] * rel[..., 1] - e[:, :, None, 1] * rel[..., 0]  # [F, E, K]
    eps = 1e-9
    ok_pts = np.where(mask[:, None, :], side >= -eps * np.maximum(elen[:, :, None], 1.0), True)
    edge = np.all(ok_pts, axis=2) & mask[:, i_idx] & mask[:, j_idx] & (elen > 1e-9)  # [F, E]
    c = target[:, None, :]
    cr: Array = e[..., 0] * (c[..., 1] - pi[..., 1]) - e[..., 1] * (c[..., 0] - pi[..., 0])
    d_line = cr / np.maximum(elen, 1e-12)
    t = np.clip(np.sum((c - pi) * e, axis=-1) / np.maximum(elen**2, 1e-18), 0.0, 1.0)
    d_seg = np.linalg.norm(c - (pi + t[..., None] * e), axis=-1)
    has_edge = edge.any(axis=1)
    inside = has_edge & np.all(np.where(edge, d_line >= 0.0, True), axis=1)
    inside_margin = np.min(np.where(edge, d_line, np.inf), axis=1)
    outside_dist = np.min(np.where(edge, d_seg, np.inf), axis=1)
    # a single supporting point (no edge): distance to it
    point_dist = np.min(np.where(mask, np.linalg.norm(points - target[:, None, :], axis=-1), np.inf), axis=1)
    out = np.where(inside, inside_margin, -np.where(has_edge, outside_dist, point_dist))
    return np.where(mask.any(axis=1), out, np.nan)


def balance(clip: Clip) -> BalanceStats:
    """COM ground-projection margin in the support polygon of the contact feet (metrics §9 A10), mm.

    Also the extrapolated-COM margin (Hof 2005, metrics §2) as a moving-balance figure.
    """
    com = center_of_mass(clip)
    vel = derivative(com, clip.fps)
    leg = max(float(np.mean(com[:, 1])), 0.1)
    xcom = com + vel * np.sqrt(leg / G)
    pts, mask = support_points(clip)
    margins = 1000.0 * support_margins(pts, mask, com[:, [0, 2]])
    xmargins = 1000.0 * support_margins(pts, mask, xcom[:, [0, 2]])
    ok = np.isfinite(margins)
    if not ok.any():
        return BalanceStats(float("nan"), float("nan"), float("nan"), 0, float("nan"))
    i = int(np.nanargmin(margins))
    return BalanceStats(
        float(margins[i]), float(np.nanmedian(margins)), i / clip.fps, int(ok.sum()), float(np.nanmin(xmargins))
    )
