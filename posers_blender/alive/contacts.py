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
- **Hands on the body**: a hand point (palm, knuckles, index and middle tips) closer than
  :data:`HAND_GAP` to a body segment (trunk, head, thighs, shins; each a capsule) touches that segment. The
  hand then follows the segment's bone rigidly: its target is the input hand position carried by how the
  layer moved that bone.
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
#: Body segments a hand can rest on: (from bone, to bone or landmark, radius at 1.65 m in m, bone followed) [E].
_SEGMENTS: tuple[tuple[str, str, float, str], ...] = (
    ("hips", "spine", 0.13, "hips"),
    ("spine", "chest", 0.13, "spine"),
    ("chest", "upperChest", 0.13, "chest"),
    ("upperChest", "neck", 0.12, "upperChest"),
    ("neck", "head", 0.05, "neck"),
    ("head", "headTop", 0.09, "head"),
    ("leftUpperLeg", "leftLowerLeg", 0.07, "leftUpperLeg"),
    ("rightUpperLeg", "rightLowerLeg", 0.07, "rightUpperLeg"),
    ("leftLowerLeg", "leftFoot", 0.05, "leftLowerLeg"),
    ("rightLowerLeg", "rightFoot", 0.05, "rightLowerLeg"),
)


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


def hand_contacts(clip: Clip, grot: Array, gpos: Array, props: bool) -> dict[str, HandContact]:
    """Per hand: where it touches the body (or, with ``props``, holds still in the world) on the input."""
    sk = clip.skeleton
    lr = sk.leg_ratio
    out = {}
    for side in SIDES:
        pts = [_point(sk, f"{side}{n}", grot, gpos) for n in _HAND_POINTS if f"{side}{n}" in sk.landmarks]
        gaps = np.full((clip.n_frames, len(_SEGMENTS)), np.inf)
        for k, (a, b, r, _bone) in enumerate(_SEGMENTS):
            pa, pb = _point(sk, a, grot, gpos), _point(sk, b, grot, gpos)
            for p in pts:
                gaps[:, k] = np.minimum(gaps[:, k], _capsule_distance(p, pa, pb) - r * lr)
        nearest = np.argmin(gaps, axis=1)
        touching = gaps[np.arange(clip.n_frames), nearest] < HAND_GAP * lr
        bone = np.where(touching, [hm.INDEX[_SEGMENTS[k][3]] for k in nearest], -1).astype(np.int64)
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
    grot_out, gpos_out = sk.fk(lrot, hips)
    for side, hc in hands.items():
        if not (hc.weight > 0).any():
            continue
        hand, elbow = hm.INDEX[f"{side}Hand"], hm.INDEX[f"{side}LowerArm"]
        b = np.maximum(hc.bone, 0)
        f = np.arange(clip.n_frames)
        # the rigid move the layer gave the touched bone (identity for a prop)
        move = quat.mul(grot_out[f, b], quat.conj(grot_in[f, b]))
        world = hc.bone < 0
        move[world] = quat.IDENTITY
        origin_in = np.where(world[:, None], 0.0, gpos_in[f, b])
        origin_out = np.where(world[:, None], 0.0, gpos_out[f, b])
        target = origin_out + quat.rotate(move, gpos_in[:, hand] - origin_in)
        pole = origin_out + quat.rotate(move, gpos_in[:, elbow] - origin_in)
        end_grot = quat.mul(move, grot_in[:, hand])
        _solve(sk, lrot, hips, f"{side}Arm", target, pole, end_grot, hc.weight)
    return lrot, hips
