"""Keeping the input's contacts: planted feet stay where they are, hands on the body stay on it.

Contacts are found on the *input*; after the layer is applied, the limbs that touch something are solved back
with two-bone IK (:func:`posers_blender.engine.ik.two_bone`), the input's own elbow or knee as the pole, and
the end bone turned back to its input orientation. A contact weight is exactly 1 on contact frames and eases
to 0 over :data:`RAMP_S` outside them, and the correction is blended by it, so contact frames are exact and
the edges are smooth.

- **Feet**: a foot is planted where its heel, ball or toe tip is below :data:`FOOT_HEIGHT` and slower than
  :data:`FOOT_SPEED` (the loose end of the metrics file's §0 contact rule, so every plant a stricter check
  finds is covered). The target is the input's ankle in the world. Where the layer moves the pelvis further
  from a planted ankle than the leg reaches, the hips are lowered first.
- **Hands on the body or the other arm**: a hand point (palm, knuckles, index and middle tips) closer than
  :data:`HAND_GAP` to a segment (trunk, head, thighs, shins, the other arm and hand; each a capsule) touches
  that segment. The hand then follows the segment's bone rigidly: its target is the input hand position
  carried by how the layer moved that bone. A hand on the other arm is solved after that arm, so it follows
  the arm's final pose; where each hand rests on the other arm (hands clasped, arms crossed), both follow the
  upperChest and the two arms move as one. A leg is touched only where the input shows the hand carried by it
  (the leg moves and the hand moves with it): a hand hanging beside a still thigh is free, and a hand on the
  top of the thigh is on the side of the pelvis (it follows the hips).
- **Hands on a prop** (opt-in): a hand the input holds still in the world (slower than :data:`PROP_SPEED`)
  is kept there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine import quat
from ..engine.clip import Clip
from ..engine.curves import minimum_jerk
from ..engine.program import HINGE_AXES, LIMBS
from ..engine.skeleton import Skeleton
from .stillness import gaussian

Array = NDArray[np.float64]

FOOT_HEIGHT = 0.05  # m (metrics §0: contact below 3-5 cm)
FOOT_SPEED = 0.3  # m/s (metrics §0: slower than 0.2-0.5 m/s)
HAND_GAP = 0.025  # m between a hand point and a body segment's surface [E]
PROP_SPEED = 0.03  # m/s [E]
RAMP_S = 0.2
SIDES = ("left", "right")
_HAND_POINTS = ("Palm", "Knuckles", "IndexTip", "MiddleTip")
#: A hand on the top of a thigh, this share of its length or less below the hip joint, is on the side of the
#: pelvis: it follows the hips.
PELVIS_SIDE = 0.25
#: Evidence that a hand is fixed to a leg: the leg's far end moves faster than this relative to the hips (m/s)
#: while the hand moves with it (its speed in the leg's frame below :data:`LEG_FOLLOW_SHARE` of that) for at
#: least :data:`LEG_EVIDENCE_S` of the touching run [E]. A hand hanging beside a still thigh is no contact.
LEG_MOVING = 0.05
LEG_FOLLOW_SHARE = 0.3
LEG_EVIDENCE_S = 0.1


@dataclass(frozen=True)
class Segment:
    """A capsule a hand can rest on: from a bone's head to a bone's head or landmark, its radius at 1.65 m
    (m) and the bone the resting hand then follows; ``kind`` is ``"body"``, ``"leg"`` or ``"arm"`` (the
    other arm or hand)."""

    start: str
    end: str
    radius: float
    bone: str
    kind: str = "body"


#: Body segments either hand can rest on [E].
_BODY: tuple[Segment, ...] = (
    Segment("hips", "spine", 0.13, "hips"),
    Segment("spine", "chest", 0.13, "spine"),
    Segment("chest", "upperChest", 0.13, "chest"),
    Segment("upperChest", "neck", 0.12, "upperChest"),
    Segment("neck", "head", 0.05, "neck"),
    Segment("head", "headTop", 0.09, "head"),
    *(
        seg
        for s in SIDES
        for seg in (
            Segment(f"{s}UpperLeg", f"{s}LowerLeg", 0.07, f"{s}UpperLeg", "leg"),
            Segment(f"{s}LowerLeg", f"{s}Foot", 0.05, f"{s}LowerLeg", "leg"),
        )
    ),
)


def segments(side: str) -> tuple[Segment, ...]:
    """What ``side``'s hand can rest on: the body, and the other arm and hand [E]."""
    o = "right" if side == "left" else "left"
    return (
        *_BODY,
        Segment(f"{o}UpperArm", f"{o}LowerArm", 0.045, f"{o}UpperArm", "arm"),
        Segment(f"{o}LowerArm", f"{o}Hand", 0.035, f"{o}LowerArm", "arm"),
        Segment(f"{o}Hand", f"{o}Knuckles", 0.035, f"{o}Hand", "arm"),
        Segment(f"{o}Knuckles", f"{o}MiddleTip", 0.015, f"{o}Hand", "arm"),
    )


def arm_bones(side: str) -> frozenset[int]:
    """Indices of ``side``'s upper arm, forearm and hand: the bones a hand on that arm follows."""
    return frozenset(hm.INDEX[f"{side}{b}"] for b in ("UpperArm", "LowerArm", "Hand"))


@dataclass
class HandContact:
    """Where a hand touches: ``weight [F]`` (1 on contact frames) and ``bone [F]`` (index of the bone it
    follows, -1 for the world: a prop)."""

    weight: Array
    bone: NDArray[np.int64]


def ramp(contact: NDArray[np.bool_], fps: float) -> Array:
    """1 on contact frames, easing to 0 over :data:`RAMP_S` either side (minimum jerk)."""
    n = contact.size
    far = float(n + 1)
    dist = np.full(n, far)
    last = -far
    for i in range(n):  # frames since the last contact, then until the next one
        if contact[i]:
            last = i
        dist[i] = i - last
    nxt = 2 * far
    for i in range(n - 1, -1, -1):
        if contact[i]:
            nxt = i
        dist[i] = min(dist[i], nxt - i)
    return 1.0 - minimum_jerk(dist / max(RAMP_S * fps, 1.0))


def _point(sk: Skeleton, name: str, grot: Array, gpos: Array) -> Array:
    if name in sk.landmarks:
        return sk.landmark_positions(name, grot, gpos)
    return gpos[:, hm.INDEX[name]]


def foot_contacts(clip: Clip, grot: Array, gpos: Array) -> dict[str, Array]:
    """Contact weight ``[F]`` per foot (``"left"``, ``"right"``) on the input."""
    sk = clip.skeleton
    out = {}
    for side in SIDES:
        planted = np.zeros(clip.n_frames, dtype=bool)
        for pt in ("Heel", "Ball", "ToeTip"):
            p = _point(sk, f"{side}{pt}", grot, gpos)
            v = np.gradient(p[:, [0, 2]], 1.0 / clip.fps, axis=0) if clip.n_frames > 1 else np.zeros((1, 2))
            speed = gaussian(np.linalg.norm(v, axis=1), 0.03 * clip.fps)
            planted |= (p[:, 1] < FOOT_HEIGHT) & (speed < FOOT_SPEED)
        out[side] = ramp(planted, clip.fps)
    return out


def _capsule_distance(p: Array, a: Array, b: Array) -> Array:
    ab = b - a
    u = np.clip(np.sum((p - a) * ab, axis=-1) / np.maximum(np.sum(ab * ab, axis=-1), 1e-12), 0.0, 1.0)
    return np.linalg.norm(p - (a + u[..., None] * ab), axis=-1)


def _capsule_u(p: Array, a: Array, b: Array) -> Array:
    ab = b - a
    return np.asarray(
        np.clip(np.sum((p - a) * ab, axis=-1) / np.maximum(np.sum(ab * ab, axis=-1), 1e-12), 0.0, 1.0),
        dtype=np.float64,
    )


def _runs(mask: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """``[start, end)`` of each run of True."""
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(d == 1).tolist(), np.flatnonzero(d == -1).tolist()))


def _fixed_to_leg(clip: Clip, grot: Array, gpos: Array, seg: Segment, point: Array) -> NDArray[np.bool_]:
    """``[F]``: frames where the input shows ``point`` carried by the leg ``seg`` (see :data:`LEG_MOVING`)."""
    if clip.n_frames < 2:
        return np.zeros(clip.n_frames, dtype=bool)
    dt = 1.0 / clip.fps
    j, h = hm.INDEX[seg.bone], hm.INDEX["hips"]
    far = _point(clip.skeleton, seg.end, grot, gpos)
    in_hips = quat.rotate(quat.conj(grot[:, h]), far - gpos[:, h])
    leg_speed = gaussian(np.linalg.norm(np.gradient(in_hips, dt, axis=0), axis=-1), 0.05 * clip.fps)
    in_leg = quat.rotate(quat.conj(grot[:, j]), point - gpos[:, j])
    rel_speed = gaussian(np.linalg.norm(np.gradient(in_leg, dt, axis=0), axis=-1), 0.05 * clip.fps)
    return np.asarray((leg_speed > LEG_MOVING) & (rel_speed < LEG_FOLLOW_SHARE * leg_speed))


def _has(sk: Skeleton, name: str) -> bool:
    return name in sk.landmarks or bool(sk.present[hm.INDEX[name]])


def _touched_bones(clip: Clip, grot: Array, gpos: Array, side: str) -> NDArray[np.int64]:
    """``[F]``: the bone ``side``'s hand rests on in each input frame (-1: none)."""
    sk = clip.skeleton
    lr = sk.leg_ratio
    n = clip.n_frames
    segs = [g for g in segments(side) if _has(sk, g.start) and _has(sk, g.end)]
    pts = [_point(sk, f"{side}{q}", grot, gpos) for q in _HAND_POINTS if f"{side}{q}" in sk.landmarks]
    gaps = np.full((n, len(segs)), np.inf)
    closest = np.zeros((n, len(segs)), dtype=np.int64)  # which hand point is nearest the segment
    for k, g in enumerate(segs):
        pa, pb = _point(sk, g.start, grot, gpos), _point(sk, g.end, grot, gpos)
        for i, p in enumerate(pts):
            d = _capsule_distance(p, pa, pb) - g.radius * lr
            closest[:, k] = np.where(d < gaps[:, k], i, closest[:, k])
            gaps[:, k] = np.minimum(gaps[:, k], d)
    f = np.arange(n)
    nearest = np.argmin(gaps, axis=1)
    touching = gaps[f, nearest] < HAND_GAP * lr
    bone = np.where(touching, [hm.INDEX[segs[k].bone] for k in nearest], -1).astype(np.int64)
    for k, g in enumerate(segs):
        if g.kind != "leg":
            continue
        on = touching & (nearest == k)
        if not on.any():
            continue
        pa, pb = _point(sk, g.start, grot, gpos), _point(sk, g.end, grot, gpos)
        point = np.stack([pts[i][t] for t, i in enumerate(closest[:, k])])
        if g.start.endswith("UpperLeg"):
            top = on & (_capsule_u(point, pa, pb) <= PELVIS_SIDE)
            bone[top] = hm.INDEX["hips"]
            on &= ~top
        evidence = _fixed_to_leg(clip, grot, gpos, g, point)
        for a, b in _runs(on):
            if evidence[a:b].sum() < LEG_EVIDENCE_S * clip.fps:
                bone[a:b] = -1
    return bone


def hand_contacts(clip: Clip, grot: Array, gpos: Array, props: bool) -> dict[str, HandContact]:
    """Per hand: where it touches the body, the other arm or hand (or, with ``props``, holds still in the world)
    on the input. Where each hand rests on the other arm (hands clasped, arms crossed), both follow the
    upperChest, so the two arms move as one and neither is solved against the other."""
    bones = {side: _touched_bones(clip, grot, gpos, side) for side in SIDES}
    mutual = np.isin(bones["left"], list(arm_bones("right"))) & np.isin(bones["right"], list(arm_bones("left")))
    out = {}
    for side in SIDES:
        bone = np.where(mutual, hm.INDEX["upperChest"], bones[side])
        touching = bone >= 0
        if props:
            hand = gpos[:, hm.INDEX[f"{side}Hand"]]
            v = np.gradient(hand, 1.0 / clip.fps, axis=0) if clip.n_frames > 1 else np.zeros((1, 3))
            held = (gaussian(np.linalg.norm(v, axis=1), 0.05 * clip.fps) < PROP_SPEED) & ~touching
            touching |= held
        out[side] = HandContact(ramp(touching, clip.fps), _fill_bones(bone))
    return out


def _fill_bones(bone: NDArray[np.int64]) -> NDArray[np.int64]:
    """Frames next to a contact (the ramp) follow the bone of the nearest contact frame."""
    out = bone.copy()
    idx = np.flatnonzero(bone >= 0)
    if idx.size:
        nearest = idx[np.clip(np.searchsorted(idx, np.arange(bone.size)), 0, idx.size - 1)]
        prev = idx[np.clip(np.searchsorted(idx, np.arange(bone.size)) - 1, 0, idx.size - 1)]
        pick = np.where(np.abs(prev - np.arange(bone.size)) < np.abs(nearest - np.arange(bone.size)), prev, nearest)
        out = np.where(bone >= 0, bone, bone[pick])
    return out


def _wrap(a: Array) -> Array:
    return (a + np.pi) % (2.0 * np.pi) - np.pi


def _solve(
    sk: Skeleton, lrot: Array, hips: Array, limb: str, target: Array, pole: Array, end_grot: Array, w: Array
) -> None:
    """Bring ``limb``'s end to ``target`` and ``end_grot`` on the frames where ``w > 0``, blended by ``w``.

    The smallest change that does it, not a fresh IK pose: the middle joint turns about its hinge by the
    angle nearest zero that gives the needed root-to-end distance (exact, from
    ``c^2 = A + B cos d + C sin d``), the upper bone turns by the shortest arc onto the target and swivels
    its middle joint back toward ``pole``, the end bone takes ``end_grot``. An unchanged pose is left as it is,
    and a hyperextended knee stays hyperextended (a fresh :func:`~posers_blender.engine.ik.two_bone` would
    flip it to a flexed one).
    """
    on = np.flatnonzero(w > 0)
    if on.size == 0:
        return
    upper, lower, end = (hm.INDEX[b] for b in LIMBS[limb])
    grot, gpos = sk.fk(lrot[on], hips[on])
    h = HINGE_AXES[hm.BONES[lower]]
    m, e = sk.offsets[lower], sk.offsets[end]
    e_par = float(e @ h) * h
    e_perp = e - e_par
    kc = lrot[on, lower]
    big_p = m + quat.rotate(kc, e_par)
    big_q = quat.rotate(kc, e_perp)
    big_r = quat.rotate(kc, np.cross(h, e_perp))
    a_ = np.sum(big_p * big_p, -1) + np.sum(big_q * big_q, -1)
    b_ = 2.0 * np.sum(big_p * big_q, -1)
    c_ = 2.0 * np.sum(big_p * big_r, -1)
    root = gpos[:, upper]
    to_t = target[on] - root
    dist = np.linalg.norm(to_t, axis=-1)
    phi = np.arctan2(c_, b_)
    r_ = np.maximum(np.hypot(b_, c_), 1e-12)
    arc = np.arccos(np.clip((dist * dist - a_) / r_, -1.0, 1.0))
    # the root on the side of the straight limb (phi) the input is on; next to straight, the flexed side
    # (a positive turn about the hinge flexes), so a near-straight knee does not flip between frames
    side = np.where(np.abs(_wrap(-phi)) < np.radians(2.0), 1.0, np.sign(_wrap(-phi)))
    delta = _wrap(phi + side * arc)
    k_new = quat.normalize(quat.mul(kc, quat.from_axis_angle(h, delta)))
    u = grot[:, upper]
    reach = m + quat.rotate(k_new, e)
    d = to_t / np.maximum(dist, 1e-12)[:, None]
    u_new = quat.mul(quat.between(quat.rotate(u, reach), d), u)
    # swivel about the root-to-end line so the middle joint lies toward the pole, as the input had it
    mid = quat.rotate(u_new, m)
    pole_dir = pole[on] - root
    m_perp = mid - np.sum(mid * d, -1, keepdims=True) * d
    p_perp = pole_dir - np.sum(pole_dir * d, -1, keepdims=True) * d
    ang = np.arctan2(np.sum(np.cross(m_perp, p_perp) * d, -1), np.sum(m_perp * p_perp, -1))
    # a nearly straight limb has no clear bending plane: swivel only as far as both are clearly bent
    bent = np.minimum(np.linalg.norm(m_perp, axis=-1), np.linalg.norm(p_perp, axis=-1)) / np.linalg.norm(m)
    u_new = quat.mul(quat.from_axis_angle(d, ang * minimum_jerk((bent - 0.05) / 0.15)), u_new)
    parent = grot[:, sk.parents[upper]]
    new_upper = quat.normalize(quat.mul(quat.conj(parent), u_new))
    new_end = quat.normalize(quat.mul(quat.conj(quat.mul(u_new, k_new)), end_grot[on]))
    ww = w[on]
    for j, q in ((upper, new_upper), (lower, k_new), (end, new_end)):
        lrot[on, j] = quat.slerp(lrot[on, j], q, ww)


def _reach(sk: Skeleton, lrot: Array, side: str) -> Array:
    """Hip-to-ankle distance ``[F]`` of the straightest leg the knee's hinge gives (its other turns kept)."""
    lower, end = hm.INDEX[f"{side}LowerLeg"], hm.INDEX[f"{side}Foot"]
    h = HINGE_AXES[f"{side}LowerLeg"]
    m, e = sk.offsets[lower], sk.offsets[end]
    e_par = float(e @ h) * h
    e_perp = e - e_par
    kc = lrot[:, lower]
    big_p = m + quat.rotate(kc, e_par)
    big_q = quat.rotate(kc, e_perp)
    big_r = quat.rotate(kc, np.cross(h, e_perp))
    a_ = np.sum(big_p * big_p, -1) + np.sum(big_q * big_q, -1)
    r_ = np.hypot(2.0 * np.sum(big_p * big_q, -1), 2.0 * np.sum(big_p * big_r, -1))
    return np.sqrt(a_ + r_)


def lower_hips_to_reach(
    sk: Skeleton, lrot: Array, hips: Array, gpos_in: Array, ankles: dict[str, Array], feet: dict[str, Array]
) -> Array:
    """Hips ``[F, 3]`` lowered (smoothly) where a planted ankle would be out of the leg's reach (or further from
    the hip than the input has it, where the input's leg is straighter than the reach)."""
    _, gpos = sk.fk(lrot, hips)
    drop = np.zeros(len(hips))
    for side in SIDES:
        hip = gpos[:, hm.INDEX[f"{side}UpperLeg"]]
        d = hip - ankles[side]
        horiz2 = d[:, 0] ** 2 + d[:, 2] ** 2
        own = np.linalg.norm(gpos_in[:, hm.INDEX[f"{side}UpperLeg"]] - ankles[side], axis=-1)
        reach = np.maximum(0.9995 * _reach(sk, lrot, side), own)
        dy = d[:, 1] - np.sqrt(np.maximum(reach**2 - horiz2, 0.0))
        drop = np.maximum(drop, np.where(feet[side] > 0, np.maximum(dy, 0.0), 0.0))
    if not drop.any():
        return hips
    from .stillness import running_min

    r = 3
    smooth = gaussian(-running_min(-drop, 3 * r), float(r))  # running max, then smooth: never below the need
    out = hips.copy()
    out[:, 1] -= smooth
    return out


def keep_contacts(
    clip: Clip,
    lrot: Array,
    hips: Array,
    grot_in: Array,
    gpos_in: Array,
    props: bool = False,
    give: dict[str, Array] | None = None,
) -> tuple[Array, Array]:
    """The layered pose ``(lrot [F, J, 4], hips [F, 3])`` with the input's foot and hand contacts restored;
    ``give[side] [F, 3]`` (m) moves a planted ankle's target off the input's (the give of a loaded foot)."""
    sk = clip.skeleton
    lrot = lrot.copy()
    feet = foot_contacts(clip, grot_in, gpos_in)
    ankles = {s: gpos_in[:, hm.INDEX[f"{s}Foot"]] + (give[s] if give else 0.0) for s in SIDES}
    hips = lower_hips_to_reach(sk, lrot, hips, gpos_in, ankles, feet)
    for side in SIDES:
        knee = gpos_in[:, hm.INDEX[f"{side}LowerLeg"]]
        _solve(sk, lrot, hips, f"{side}Leg", ankles[side], knee, grot_in[:, hm.INDEX[f"{side}Foot"]], feet[side])
    hands = hand_contacts(clip, grot_in, gpos_in, props)
    # hands on the body or a prop first, then hands on the other arm (which is final by then)
    for on_arm in (False, True):
        for side, hc in hands.items():
            other = arm_bones("right" if side == "left" else "left")
            w = np.where(np.isin(hc.bone, list(other)) == on_arm, hc.weight, 0.0)
            if (w > 0).any():
                _follow(sk, lrot, hips, side, hc.bone, w, grot_in, gpos_in)
    return lrot, hips


def _follow(
    sk: Skeleton, lrot: Array, hips: Array, side: str, bone: NDArray[np.int64], w: Array, grot_in: Array, gpos_in: Array
) -> None:
    """``side``'s arm solved so its hand keeps its place on ``bone [F]`` (-1: the world) where ``w > 0``: the
    input's hand carried by the rigid move the layer gave that bone."""
    grot_out, gpos_out = sk.fk(lrot, hips)
    hand, elbow = hm.INDEX[f"{side}Hand"], hm.INDEX[f"{side}LowerArm"]
    b = np.maximum(bone, 0)
    f = np.arange(len(bone))
    move = quat.mul(grot_out[f, b], quat.conj(grot_in[f, b]))
    world = bone < 0
    move[world] = quat.IDENTITY
    origin_in = np.where(world[:, None], 0.0, gpos_in[f, b])
    origin_out = np.where(world[:, None], 0.0, gpos_out[f, b])
    target = origin_out + quat.rotate(move, gpos_in[:, hand] - origin_in)
    pole = origin_out + quat.rotate(move, gpos_in[:, elbow] - origin_in)
    end_grot = quat.mul(move, grot_in[:, hand])
    _solve(sk, lrot, hips, f"{side}Arm", target, pole, end_grot, w)
