"""Targets: the named points a motion reads, and the whole-clip look-at layer every motion gets.

A target is a point in normalised avatar space (metres, +Y up, facing +Z, left +X), fixed ``[3]`` or per
frame ``[F, 3]``. Which motions read which target: every motion reads ``lookAt`` (applied here, after the
motion built its clip); a motion lists the others it reads in ``MotionMeta.targets``.

The look-at layer (:func:`look_at`) turns the head, neck and eyes so the motion's resting gaze points at the
target, and keeps the motion's own glances around it:

1. per frame, the target's direction from the eyes, as yaw/pitch in the chest's frame (the neck's parent);
2. its offset from the motion's own resting gaze (the clip's median gaze direction in that frame);
3. smoothed by a critically damped filter (a jumping target never pops: a slow one for the head, a fast one
   for the eyes);
4. shared: the eyes take a small part (facts §9: small shifts are mostly the eyes), the neck and head the rest
   within the neck's range (facts §8: rotation 70-80° per side, flexion 45-50°, extension 55-80°), the eyes
   what the neck cannot (up to their ~30° saturation, §9);
5. written: neck and head rotated in their parent's frame (0.4 / 0.6 of the head share), eye bones and the
   gaze channel; ``reached`` is the share of frames whose resting gaze ends within 2° of the target once the
   neck and eyes are at their limits (the motion's glances left out).

A hand target (``leftHand``/``rightHand``) is where that wrist (the hand bone's joint) rests: the standing body
moves the hand's home there, hanging or held (``standing.arms.rest_targets``), the smoker its resting hold
(:func:`hand_target`). The contemplative lean's chin hand is the one exception: its target is where the fist
holds the chin, and :func:`carry_head` turns and protracts the neck and head to take the chin there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from . import quat
from .program import Context, Tracks

Array = NDArray[np.float64]

LOOK_AT = "lookAt"
LEFT_HAND, RIGHT_HAND = "leftHand", "rightHand"
LEFT_FOOT, RIGHT_FOOT = "leftFoot", "rightFoot"
WALL = "wall"
FEET = (LEFT_FOOT, RIGHT_FOOT)
HANDS = (LEFT_HAND, RIGHT_HAND)
#: Every target name a motion may read, with what it means (the panel and the CLI show these).
NAMES: dict[str, str] = {
    LOOK_AT: "where the eyes and head look (every motion)",
    LEFT_HAND: "where the left wrist rests between gestures (standing motions, held poses too; the smoker's "
    "resting hand); as the lean's chin hand, where the fist holds the chin (the head follows)",
    RIGHT_HAND: "where the right wrist rests between gestures (standing motions, held poses too; the smoker's "
    "resting hand); as the lean's chin hand, where the fist holds the chin (the head follows)",
    LEFT_FOOT: "where the left foot stands (standing motions; on the floor)",
    RIGHT_FOOT: "where the right foot stands (standing motions; on the floor)",
    WALL: "a point on the wall the back leans on (its z is the wall plane)",
}

X, Y = np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])
NECK_SHARE = 0.4  # of the head's turn; the head takes the rest (as the standing body shares its glances) [E]
YAW_LIMIT = 70.0  # deg, neck+head rotation per side (facts §8: 70-80)
PITCH_UP, PITCH_DOWN = 50.0, 40.0  # deg, extension / flexion of neck+head (facts §8: 55-80 / 45-50), kept inside
EYE_LIMIT = 30.0  # deg, eye-in-head saturation (facts §9: ~35)
EYE_SHARE = 0.2  # of a held offset the eyes keep; the head turns for the rest (facts §9: heads join above ~20°) [E]
EYE_SHARE_MAX = 10.0  # deg the eyes keep at most of a reachable offset [E]
HEAD_OMEGA = 9.0  # rad/s: critically damped head, peak ~200°/s for a 60° jump (facts §1: idle peaks < 300°/s)
EYE_OMEGA = 40.0  # rad/s: the eyes settle in ~0.1 s (a saccade with its settling) [E]
REACHED_DEG = 2.0  # a gaze within this of the target counts as reaching it


def reach_notes(reached: dict[str, float]) -> list[str]:
    """One line per target not reached in every frame (``clip.meta["reached"]``), for the CLI and the panel."""
    return [
        f"target {name} reached in {100 * share:.0f}% of frames (as far as the limbs allow)"
        for name, share in sorted(reached.items())
        if share < 1.0
    ]


def motion_targets(declared: tuple[str, ...]) -> tuple[str, ...]:
    """The targets a motion reads: ``lookAt`` (every motion) plus those its meta declares."""
    return (LOOK_AT, *(n for n in declared if n != LOOK_AT))


@dataclass(frozen=True)
class LookAtResult:
    """What the look-at layer did: ``reached`` the share of frames (0..1) whose gaze ends within
    :data:`REACHED_DEG` of the target, ``worst_deg`` the largest miss (deg)."""

    reached: float
    worst_deg: float


def critically_damped(x: Array, dt: float, omega: float) -> Array:
    """``x [F, ...]`` followed by a critically damped spring of natural frequency ``omega`` (rad/s), integrated
    exactly per step (frame-rate independent for a held input), starting at rest on ``x[0]``."""
    out = np.empty_like(x)
    y = x[0].copy()
    v = np.zeros_like(y)
    e = np.exp(-omega * dt)
    for i in range(len(x)):
        # exact step of y'' = omega^2 (g - y) - 2 omega y' for a goal g held over dt
        d = y - x[i]
        j = v + omega * d
        y = x[i] + (d + j * dt) * e
        v = (v - j * omega * dt) * e
        out[i] = y
    return out


def _yaw_pitch(d: Array) -> Array:
    """Directions ``[F, 3]`` as (yaw, pitch) deg ``[F, 2]``: +yaw toward +X (the avatar's left), +pitch up."""
    horiz = np.hypot(d[:, 0], d[:, 2])
    return np.degrees(np.stack([np.arctan2(d[:, 0], d[:, 2]), np.arctan2(d[:, 1], horiz)], axis=1))


def _direction(yp: Array) -> Array:
    y, p = np.radians(yp[:, 0]), np.radians(yp[:, 1])
    return np.stack([np.sin(y) * np.cos(p), np.sin(p), np.cos(y) * np.cos(p)], axis=1)


def _turn(yp: Array) -> Array:
    """Rotation ``[F, 4]`` that turns +Z by (yaw, pitch) deg: yaw about Y after pitch about X (up = -X)."""
    return quat.mul(quat.from_axis_angle_deg(Y, yp[:, 0]), quat.from_axis_angle_deg(X, -yp[:, 1]))


def _eye_point(sk_has_eyes: bool, grot: Array, gpos: Array, scale: float) -> Array:
    if sk_has_eyes:
        return 0.5 * (gpos[:, hm.INDEX["leftEye"]] + gpos[:, hm.INDEX["rightEye"]])
    j = hm.INDEX["head"]
    return gpos[:, j] + quat.rotate(grot[:, j], np.array([0.0, 0.07, 0.08]) * scale)


def look_at(tracks: Tracks, target: Array, fps: float) -> LookAtResult:
    """Turn ``tracks``' neck, head and eyes toward ``target`` (``[3]`` or ``[F, 3]``), in place (see the module)."""
    sk = tracks.skeleton
    n = tracks.n_frames
    goal = np.broadcast_to(np.asarray(target, dtype=np.float64), (n, 3))
    has_eyes = sk.has("leftEye") and sk.has("rightEye")
    jn, jh, jc = hm.INDEX["neck"], hm.INDEX["head"], int(sk.parents[hm.INDEX["neck"]])
    grot, gpos = tracks.fk()
    chest = grot[:, jc]
    own_gaze = np.tile([0.0, 0.0, 1.0], (n, 1)) if tracks.gaze is None else np.asarray(tracks.gaze)
    # 1-2: the target's direction and the motion's own gaze, both in the chest's frame
    eyes = _eye_point(has_eyes, grot, gpos, sk.leg_ratio)
    want = _yaw_pitch(quat.rotate(quat.conj(chest), goal - eyes))
    own = _yaw_pitch(quat.rotate(quat.conj(chest), quat.rotate(grot[:, jh], own_gaze)))
    head_own = _yaw_pitch(quat.rotate(quat.conj(chest), quat.rotate(grot[:, jh], np.array([0.0, 0.0, 1.0]))))
    offset = want - np.median(own, axis=0)
    # 3: smooth (slow for the head, fast for the eyes)
    dt = 1.0 / fps
    slow = critically_damped(offset, dt, HEAD_OMEGA)
    fast = critically_damped(offset, dt, EYE_OMEGA)
    # 4: shares within the neck's range
    keep = np.clip(EYE_SHARE * slow, -EYE_SHARE_MAX, EYE_SHARE_MAX)
    base = np.median(head_own, axis=0)
    lo = np.array([-YAW_LIMIT, -PITCH_DOWN]) - base
    hi = np.array([YAW_LIMIT, PITCH_UP]) - base
    head = np.clip(slow - keep, lo, hi)
    # 5: neck and head in their parent's frame
    tracks.lrot[:, jn] = quat.normalize(quat.mul(_turn(NECK_SHARE * head), tracks.lrot[:, jn]))
    tracks.lrot[:, jh] = quat.normalize(quat.mul(_turn((1.0 - NECK_SHARE) * head), tracks.lrot[:, jh]))
    own_eye = _yaw_pitch(own_gaze)
    eye = np.clip(own_eye + fast - head, -EYE_LIMIT, EYE_LIMIT)
    if has_eyes:
        q_eye = _turn(eye)
        tracks.lrot[:, hm.INDEX["leftEye"]] = q_eye
        tracks.lrot[:, hm.INDEX["rightEye"]] = q_eye
    tracks.gaze = _direction(eye)
    # as far as the limbs allow: what the resting gaze (glances left out) still misses after the neck and eyes
    rest_eye = np.median(own_eye, axis=0) + fast - head
    miss = np.linalg.norm(rest_eye - np.clip(rest_eye, -EYE_LIMIT, EYE_LIMIT), axis=1)
    return LookAtResult(float(np.mean(miss <= REACHED_DEG)), float(miss.max()))


def apply(tracks: Tracks, ctx: Context) -> dict[str, float]:
    """After a motion built ``tracks``: the look-at layer when ``ctx`` has a ``lookAt`` target (unless the motion
    applied it itself, see :func:`look_at_in_build`). Returns, per target given, the share of frames (0..1) it
    was reached: the look-at's, and what the motion recorded for the targets it read itself."""
    look_at_in_build(ctx, tracks)
    return dict(ctx.state.get("reached", {}))


def look_at_in_build(ctx: Context, tracks: Tracks) -> None:
    """The look-at layer applied by the motion itself, before it places hands on the face (chin, lips), so the
    contacts follow the turned head; the sampler then leaves the clip's head alone. Nothing without the target."""
    goal = ctx.target_track(LOOK_AT)
    if goal is None or ctx.state.get("looked_at"):
        return
    ctx.state["looked_at"] = True
    ctx.state.setdefault("reached", {})[LOOK_AT] = look_at(tracks, goal, ctx.fps).reached


def record_reach(ctx: Context, name: str, reached: NDArray[np.bool_]) -> None:
    """A motion that read target ``name`` records which frames ``[F]`` (bool) reached it, for the panel."""
    ctx.state.setdefault("reached", {})[name] = float(np.mean(reached))


FOOT_REACH = 0.35  # m on the default avatar: how far a standing foot steps from its stance place [E]
FOOT_GAP = 0.10  # m on the default avatar: the feet never cross closer than this (ankle to ankle, sideways) [E]
FOOT_TOLERANCE = 0.01  # m: a foot within this of its target reaches it


def place_feet(ctx: Context, tr: Tracks, feet: dict[str, Array]) -> dict[str, Array]:
    """Standing motions: each foot (``"left"``/``"right"`` ankle ``[3]``) where its ``leftFoot``/``rightFoot``
    target stands, on the floor (the target's height is ignored), within :data:`FOOT_REACH` of its stance place
    and never crossing the other foot; the pelvis moves over the middle of the feet. Records what reached; the
    feet as given when no foot target is."""
    goals = {side: ctx.target_track(f"{side}Foot") for side in feet}
    if all(g is None for g in goals.values()):
        return feet
    scale = tr.skeleton.leg_ratio
    placed: dict[str, Array] = {}
    for side, home in feet.items():
        goal = goals[side]
        if goal is None:
            placed[side] = np.broadcast_to(home, (tr.n_frames, 3)).copy()
            continue
        step = goal - home
        step[:, 1] = 0.0
        far = np.linalg.norm(step, axis=1, keepdims=True)
        placed[side] = home + step * np.minimum(1.0, FOOT_REACH * scale / np.maximum(far, 1e-9))
    gap = placed["left"][:, 0] - placed["right"][:, 0] - FOOT_GAP * scale
    crossed = np.minimum(gap, 0.0)
    movers = [s for s in ("left", "right") if goals[s] is not None]
    for side in movers:  # the targeted feet step apart again
        placed[side][:, 0] += (-1.0 if side == "left" else 1.0) * crossed / len(movers)
    for side, goal in goals.items():
        if goal is not None:
            miss = np.hypot(*(goal - placed[side])[:, [0, 2]].T)
            record_reach(ctx, f"{side}Foot", miss <= FOOT_TOLERANCE)
    moved = np.mean([placed[s] - feet[s] for s in feet], axis=0)
    tr.hips_offset[:, 0] += moved[:, 0]
    tr.hips_offset[:, 2] += moved[:, 2]
    return placed


def hand_target(ctx: Context, tr: Tracks, side: str, reach_m: float) -> Array | None:
    """Where ``side``'s ``leftHand``/``rightHand`` target puts the hand's held point ``[F, 3]``, or ``None``; records
    the frames where it lies within ``reach_m`` of the shoulder (the arm reaches it; otherwise the IK stretches
    toward it as far as the arm allows)."""
    goal = ctx.target_track(f"{side}Hand")
    if goal is None:
        return None
    _, shoulder = tr.bone_pose(f"{side}UpperArm")
    record_reach(ctx, f"{side}Hand", np.linalg.norm(goal - shoulder, axis=1) <= reach_m)
    return goal


CARRY_TOLERANCE = 0.01  # m: a head-carried point within this of its target reaches it
CARRY_ITERATIONS = 8  # the neck and the head turn about two joints: a few passes land the point
#: deg: the neck bent forward and the head back as much (the chin pushed forward, or drawn in the other way)
#: changes the carried point's distance from the neck joint by up to ~3 cm on the default avatar [E]
PROTRACTION_LIMIT = 20.0


def carry_head(tracks: Tracks, point: Array, goal: Array, weight: Array, fps: float) -> Array:
    """Turn the neck and head so a point fixed to the head (``point``, m, in the head bone's frame from its joint,
    ``[3]`` or ``[F, 3]``) goes to ``goal`` ``[F, 3]``, within the neck's range; ``weight [F]`` (0..1) blends the
    turn in (the fist that carries the chin arriving). In place; returns the point's miss (m, ``[F]``) with the
    full turn (what the neck cannot reach stays a miss).

    The goal is followed through the head's critically damped filter (a jumping target never pops the head).
    Each pass matches the point's distance from the neck joint by protraction (the neck bent forward and the
    head back as much, up to :data:`PROTRACTION_LIMIT`), then its direction from the neck joint as yaw/pitch in
    the chest's frame, shared by the neck and head as :func:`look_at` shares a head turn and within its limits
    (facts §8); the trunk stays as it is."""
    sk = tracks.skeleton
    jn, jh = hm.INDEX["neck"], hm.INDEX["head"]
    chest_bone = hm.BONES[int(sk.parents[jn])]
    goal = critically_damped(np.asarray(goal, dtype=np.float64), 1.0 / fps, HEAD_OMEGA)
    neck0, head0 = tracks.lrot[:, jn].copy(), tracks.lrot[:, jh].copy()
    lo, hi = np.array([-YAW_LIMIT, -PITCH_DOWN]), np.array([YAW_LIMIT, PITCH_UP])
    pro = np.zeros(tracks.n_frames)  # protraction so far (rad)
    zero = np.zeros(tracks.n_frames)
    miss = np.zeros(tracks.n_frames)
    for it in range(CARRY_ITERATIONS + 1):
        poses = tracks.bone_poses([chest_bone, "neck", "head"])
        chest = poses[chest_bone][0]
        neck_p = poses["neck"][1]
        head_g, head_p = poses["head"]
        at = head_p + quat.rotate(head_g, point)
        miss = np.linalg.norm(goal - at, axis=1)
        if it == CARRY_ITERATIONS:
            break
        # distance: protraction moves the head (and the point) across the neck bone, about the chest's X axis
        out = at - neck_p
        r = np.linalg.norm(out, axis=1)
        gain = np.sum(np.cross(quat.rotate(chest, X), head_p - neck_p) * out, axis=1) / np.maximum(r, 1e-9)
        want = (np.linalg.norm(goal - neck_p, axis=1) - r) / np.where(np.abs(gain) > 1e-4, gain, np.inf)
        limit = np.radians(PROTRACTION_LIMIT)
        step = np.degrees(np.clip(pro + want, -limit, limit) - pro)
        pro += np.radians(step)
        tracks.lrot[:, jn] = quat.mul(_turn(np.stack([zero, -step], axis=1)), tracks.lrot[:, jn])
        tracks.lrot[:, jh] = quat.mul(_turn(np.stack([zero, step], axis=1)), tracks.lrot[:, jh])
        # direction, within the neck's range (as the head faces)
        to_chest = quat.conj(chest)
        d = _yaw_pitch(quat.rotate(to_chest, goal - neck_p)) - _yaw_pitch(quat.rotate(to_chest, at - neck_p))
        d[:, 0] = (d[:, 0] + 180.0) % 360.0 - 180.0
        facing = _yaw_pitch(quat.rotate(to_chest, quat.rotate(head_g, np.array([0.0, 0.0, 1.0]))))
        d = np.clip(facing + d, lo, hi) - facing
        tracks.lrot[:, jn] = quat.normalize(quat.mul(_turn(NECK_SHARE * d), tracks.lrot[:, jn]))
        tracks.lrot[:, jh] = quat.normalize(quat.mul(_turn((1.0 - NECK_SHARE) * d), tracks.lrot[:, jh]))
    w = np.asarray(weight, dtype=np.float64)
    for j, before in ((jn, neck0), (jh, head0)):  # the whole turn, weighted: slerp from none to all of it
        turn = quat.mul(tracks.lrot[:, j], quat.conj(before))
        tracks.lrot[:, j] = quat.normalize(quat.mul(quat.slerp(quat.identity((len(w),)), turn, w), before))
    return miss
