"""Contacts: foot-contact detection, planted-foot slide, floor penetration, floating, hand-to-landmark distance.

Definitions from ``motion_quality_metrics.md`` §0 and §2 (contact: foot point
below 3-5 cm and slower than 0.2-0.5 m/s; strict per-contact slide excluding
the last ~10% roll-off; PhysDiff-style penetrate/float) and §9 A2-A4.
Positions are normalised space: metres, +Y up, floor at y = 0; results in mm.
The sole is approximated by the skeleton's foot landmarks (heel, ball, toe
tip); avatar meshes are not sampled here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..engine.clip import Clip
from . import bands
from .kinematics import Kinematics, kinematics
from .signal import derivative, runs

Array = NDArray[np.float64]

FOOT_POINTS: tuple[str, ...] = ("Heel", "Ball", "ToeTip")
SIDES: tuple[str, str] = ("left", "right")


@dataclass(frozen=True)
class Contact:
    """One foot plant: frames ``[start, end)``; ``slide_mm`` the worst point drift; ``lifts`` if it ends in the clip."""

    foot: str
    start: int
    end: int
    slide_mm: float
    point: str
    lifts: bool

    def duration(self, fps: float) -> float:
        return (self.end - self.start) / fps


def track(kin: Kinematics, name: str) -> Array:
    """World track ``[F, 3]`` of a landmark (``lips``, ``leftIndexTip``...) or a bone head (``leftHand``)."""
    if kin.has_landmark(name):
        return kin.landmark(name)
    return kin.joint(name)


def point_contacts(clip: Clip, name: str) -> NDArray[np.bool_]:
    """Boolean ``[F]``: the point is on the floor (y < CONTACT_HEIGHT) and slow (horizontal speed < CONTACT_SPEED).

    Metrics §0 contact rule, strict end of its ranges (3 cm, 0.2 m/s).
    """
    kin = kinematics(clip)
    p = track(kin, name)
    v = derivative(p[:, [0, 2]], clip.fps)
    speed = np.linalg.norm(v, axis=1)
    return (p[:, 1] < bands.CONTACT_HEIGHT) & (speed < bands.CONTACT_SPEED)


def _drift(xz: Array, start: int, end: int, lifts: bool) -> float:
    """Largest horizontal distance (m) from the contact's first position, before the roll-off."""
    n = end - start
    if lifts:
        n = max(1, int(np.ceil(n * (1.0 - bands.ROLL_OFF_FRACTION))))
    seg = xz[start : start + n]
    return float(np.max(np.linalg.norm(seg - seg[0], axis=1)))


def foot_contacts(clip: Clip) -> list[Contact]:
    """Foot plants of both feet, in time order (metrics §2 strict foot-slide measure).

    A foot is planted while any of its heel/ball/toe-tip points is in contact
    (:func:`point_contacts`); plants shorter than ``CONTACT_MIN_DURATION`` are
    dropped. The slide of a plant is, over each point's own contact runs
    inside it, the largest horizontal distance from where that point touched
    down; the last ``ROLL_OFF_FRACTION`` of a run is ignored when the point
    lifts before the clip ends (heel rise, toe pivot), not when the clip
    simply ends.
    """
    kin = kinematics(clip)
    n = kin.n_frames
    min_len = max(2, int(round(bands.CONTACT_MIN_DURATION * clip.fps)))
    out: list[Contact] = []
    for side in SIDES:
        names = [f"{side}{p}" for p in FOOT_POINTS if kin.has_landmark(f"{side}{p}")]
        if not names:
            continue
        masks = {nm: point_contacts(clip, nm) for nm in names}
        foot_mask = np.zeros(n, dtype=bool)
        for m in masks.values():
            foot_mask |= m
        for s, e in runs(foot_mask):
            if e - s < min_len:
                continue
            worst, worst_pt = 0.0, names[0]
            for nm in names:
                xz = track(kin, nm)[:, [0, 2]]
                for ps, pe in runs(masks[nm][s:e]):
                    ps, pe = ps + s, pe + s
                    if pe - ps < min_len:
                        continue
                    d = _drift(xz, ps, pe, lifts=pe < n)
                    if d > worst:
                        worst, worst_pt = d, nm
            out.append(Contact(side, s, e, 1000.0 * worst, worst_pt, lifts=e < n))
    out.sort(key=lambda c: (c.start, c.foot))
    return out


def foot_slide_max(clip: Clip) -> float:
    """Worst planted-foot slide over all contacts, mm (metrics §2 strict measure; §9 A2). 0 without contacts."""
    return max((c.slide_mm for c in foot_contacts(clip)), default=0.0)


def _foot_heights(clip: Clip) -> Array:
    kin = kinematics(clip)
    cols = [track(kin, f"{s}{p}")[:, 1] for s in SIDES for p in FOOT_POINTS if kin.has_landmark(f"{s}{p}")] or [
        kin.joint(f"{s}Foot")[:, 1] for s in SIDES
    ]
    return np.stack(cols, axis=1)


def penetration_max(clip: Clip) -> float:
    """Deepest foot point below the floor over the clip, mm (metrics §2 Penetrate; §9 A3). 0 if never below."""
    return float(max(0.0, -1000.0 * float(np.min(_foot_heights(clip)))))


def floating_max(clip: Clip) -> float:
    """Worst frame's lowest foot point above the floor, mm (metrics §2 Float; §9 A4: no flight phases)."""
    return float(max(0.0, 1000.0 * float(np.max(np.min(_foot_heights(clip), axis=1)))))


def point_distance(clip: Clip, a: str, b: str) -> Array:
    """Distance ``[F]`` in mm between two points (landmarks or bone heads), e.g. ``leftIndexTip`` and ``lips``.

    Hand contacts (metrics §2 "fingers must touch but not enter the face"; B10 self-touch holds).
    """
    kin = kinematics(clip)
    return 1000.0 * np.linalg.norm(track(kin, a) - track(kin, b), axis=1)


def hand_points(clip: Clip, side: str) -> list[str]:
    """Candidate contact points of one hand: fingertips, palm, hand tip and the fist's knuckles (back of the
    curled index's middle joint: a fist under the chin) that the skeleton has."""
    kin = kinematics(clip)
    names = [f"{side}{f}Tip" for f in ("Thumb", "Index", "Middle", "Ring", "Little")] + [
        f"{side}Palm",
        f"{side}HandTip",
        f"{side}Knuckles",
    ]
    return [n for n in names if kin.has_landmark(n)]


def hand_landmark_distance(clip: Clip, side: str, target: str) -> Array:
    """Per frame, the closest of one hand's points to ``target`` (``lips``, ``chin``...), mm ``[F]``."""
    pts = hand_points(clip, side)
    if not pts:
        return point_distance(clip, f"{side}Hand", target)
    return np.min(np.stack([point_distance(clip, p, target) for p in pts], axis=1), axis=1)


def _edge_samples(clip: Clip, foot: str, i: int) -> list[tuple[Array, Array]]:
    """Per foot point: height (m) and horizontal speed (m/s) at frames ``i - 1`` and ``i`` (each ``[2]``)."""
    kin = kinematics(clip)
    out = []
    for p in FOOT_POINTS:
        name = f"{foot}{p}"
        if kin.has_landmark(name):
            pos = track(kin, name)
            v = np.linalg.norm(derivative(pos[:, [0, 2]], clip.fps)[i - 1 : i + 1], axis=1)
            out.append((pos[i - 1 : i + 1, 1], v))
    return out


def touchdown_time(clip: Clip, contact: Contact) -> float:
    """Sub-frame time (s) a plant began: where, between the frame before and its first frame, the first of the
    foot's points met both contact conditions (linear interpolation of height and speed).

    Removes the frame quantisation that would otherwise add ~1/fps of jitter to stride times (and so to
    stride CV and PCI).
    """
    s = contact.start
    if s == 0:
        return 0.0
    best = s / clip.fps
    for h, v in _edge_samples(clip, contact.foot, s):
        if not (h[1] < bands.CONTACT_HEIGHT and v[1] < bands.CONTACT_SPEED):
            continue
        frac = 0.0
        for x, thr in ((h, bands.CONTACT_HEIGHT), (v, bands.CONTACT_SPEED)):
            if x[0] >= thr:
                frac = max(frac, float((x[0] - thr) / max(x[0] - x[1], 1e-12)))
        best = min(best, (s - 1 + frac) / clip.fps)
    return best


@dataclass(frozen=True)
class Skate:
    """A foot point sliding while touching the floor: point, frames ``[start, end)``, sliding path (mm)."""

    point: str
    start: int
    end: int
    path_mm: float


def foot_skates(clip: Clip) -> list[Skate]:
    """Fast sliding of touching foot points (metrics §2 PhysDiff "Skate" and GMD foot skating).

    A point touches while it is below ``TOUCH_HEIGHT`` (5 mm). Over each run of
    touching frames, the horizontal path of consecutive frame pairs that both
    touch and move faster than ``CONTACT_SPEED`` is summed. Slower drift is
    the planted-foot slide of :func:`foot_contacts`; together they leave no
    way for a foot on the floor to travel unmeasured.
    """
    kin = kinematics(clip)
    out: list[Skate] = []
    for side in SIDES:
        for p in FOOT_POINTS:
            name = f"{side}{p}"
            if not kin.has_landmark(name):
                continue
            pos = track(kin, name)
            touch = pos[:, 1] < bands.TOUCH_HEIGHT
            step = np.linalg.norm(np.diff(pos[:, [0, 2]], axis=0), axis=1)
            both = touch[:-1] & touch[1:] & (step * clip.fps > bands.CONTACT_SPEED)
            for s, e in runs(touch):
                path = float(np.sum(step[s : e - 1][both[s : e - 1]]))
                if path > 0:
                    out.append(Skate(name, s, e, 1000.0 * path))
    return out


def liftoff_time(clip: Clip, contact: Contact) -> float:
    """Sub-frame time (s) a plant ended: where, between its last frame and the next, the last of the foot's
    points stopped meeting the contact conditions (linear interpolation of height and speed)."""
    e = contact.end
    if e >= clip.n_frames:
        return e / clip.fps
    best = (e - 1) / clip.fps
    for h, v in _edge_samples(clip, contact.foot, e):
        if not (h[0] < bands.CONTACT_HEIGHT and v[0] < bands.CONTACT_SPEED):
            continue
        frac = 1.0
        for x, thr in ((h, bands.CONTACT_HEIGHT), (v, bands.CONTACT_SPEED)):
            if x[1] >= thr:
                frac = min(frac, float((thr - x[0]) / max(x[1] - x[0], 1e-12)))
        best = max(best, (e - 1 + frac) / clip.fps)
    return best


def plant_events(clip: Clip, contact: Contact) -> tuple[float, float]:
    """Sub-frame touch-down and lift-off times (s) of a plant (:func:`touchdown_time`, :func:`liftoff_time`).

    Measured on the contact rule (3 cm, 0.2 m/s): against the gait markers of
    basic-walk, touch-down reads ~10 ms early and lift-off ~20-40 ms late (a
    swing starts slowly near the floor), so stance reads ~2-3 points high.
    """
    return touchdown_time(clip, contact), liftoff_time(clip, contact)
