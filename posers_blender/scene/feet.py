"""Planted feet across seams: a foot stays where the last motion left it until the new motion lifts it.

At a seam each foot gets a correction: the rigid difference between where
the old motion left it (ankle position, foot rotation) and where the new
motion has it on its first frame. The correction is held while the foot is
planted and removed only while the foot is in the air: during the new
motion's own first swing of that foot (a walk's first step), or during a
*settle step* the compiler adds at the start of a standing motion when the
stance must change (a wider stance, a turn on the spot). A correction that no
step removes is carried to the next seam. The legs are then solved with
two-bone IK to the corrected ankle targets, on top of whatever the
(inertialised) pelvis does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine import ik, quat
from ..engine.curves import minimum_jerk
from ..engine.program import HINGE_AXES, HINGE_LIMITS
from ..engine.skeleton import Skeleton

Array = NDArray[np.float64]

SIDES = ("left", "right")
#: A foot whose correction is smaller than this stays where it is (no settle step) [E].
SETTLE_MIN_M = 0.03
SETTLE_MIN_DEG = 10.0
#: Settle step: sole clearance (m) and its share of the step spent lifting before the foot travels [E].
#: The foot travels only while every sole point is above the contact height (metrics §0: 3 cm); the lift
#: starts with zero slope and acceleration so the knee bends out of a straight stance without a jump. At 5.5 cm
#: the toe tip, pitched down STEP_PITCH_DEG, topped out at 2.9-3.0 cm, on the contact height: a settle step after
#: a walk whose feet turn out 9° (basic-walk) read as a planted toe sliding 25 mm; 6 cm clears it by 4 mm.
STEP_LIFT_M = 0.06
STEP_TRAVEL = (0.3, 0.7)
#: Toes down (degrees) at the top of a settle step's lift: a lifted foot is not held parallel to the floor, and a
#: flat foot under a bent knee dorsiflexes the ankle past its range (facts §8: ~20° + 5°) [E]. The pitch grows
#: only once the lift passes STEP_PITCH_FROM_M, so no sole point turns while it is still within the 3 cm contact
#: height (a heel below the ankle swings back as the toes go down).
STEP_PITCH_DEG = 8.0
STEP_PITCH_FROM_M = 0.03
#: Settle step timing (s): each lasts STEP_MIN_S plus 1.2 s per metre, at most STEP_MAX_S, with STEP_GAP_S
#: between steps (both feet down while the weight moves across) [E: a stepping turn of 180° takes about 2-3 s].
#: The first starts after STEP_START_S, the time the weight needs to get over the other foot (see below).
STEP_MIN_S, STEP_MAX_S, STEP_GAP_S = 0.55, 0.9, 0.12
#: A foot turned more than STEP_EASY_YAW_DEG in one step takes STEP_S_PER_RAD longer per radian beyond it [E]. At
#: 70° a 90° foot turn into a standing motion whose hips carry fitted sway spun the thigh at 609°/s (gate 600);
#: from 45° the same step takes ~0.2 s longer.
STEP_EASY_YAW_DEG, STEP_S_PER_RAD = 45.0, 0.25
#: Weight shift before each lift: the pelvis moves sideways WEIGHT_SHARE of the way from where it is to over the
#: support foot, at most WEIGHT_MAX_M (facts §1/§2: weight shifts move the pelvis over the support foot; the
#: walking lateral COM excursion is 4-7 cm peak to peak) [E]. It arrives WEIGHT_IN_S into the step (the foot is
#: still within about a centimetre of the floor) and starts WEIGHT_IN_S + STEP_GAP_S before it, so between two
#: steps the weight goes from one foot to the other in one minimum-jerk move.
WEIGHT_SHARE, WEIGHT_MAX_M, WEIGHT_IN_S = 0.6, 0.04, 0.12
STEP_START_S = WEIGHT_IN_S + STEP_GAP_S
#: Swing detection on a motion's own feet: ankle above its first-frame height, or moving (m, m/s).
SWING_HEIGHT_M = 0.012
SWING_SPEED = 0.25
SWING_MIN_S = 0.12
#: Weight of the foot's direction in the knee pole (m): decides only when the knee is nearly straight.
POLE_FALLBACK_M = 0.02


@dataclass(frozen=True)
class FootState:
    """World ankle positions ``[2, 3]`` and foot rotations ``[2, 4]`` (left, right) on one frame."""

    ankle: Array
    grot: Array


@dataclass(frozen=True)
class Lock:
    """What the new motion's feet must do: per foot (axis 1: left, right) over its frames.

    ``offset [F, 2, 3]`` world translation added to the new motion's ankle,
    ``rot [F, 2, 4]`` world rotation applied to its foot, ``lift [F, 2]``
    extra ankle height of a settle step (m), ``weight [F, 2]`` the share of the old placement left (1 -> 0).
    """

    offset: Array
    rot: Array
    lift: Array
    weight: Array

    def foot_rotations(self, foot_grot: Array) -> Array:
        """The new motion's foot world rotations ``[F, 2, 4]`` locked: turned by ``rot`` and, while a settle step
        lifts the foot, pitched toes-down with the lift (about the foot's own lateral axis)."""
        u = (self.lift - STEP_PITCH_FROM_M) / (STEP_LIFT_M - STEP_PITCH_FROM_M)
        pitch = np.radians(STEP_PITCH_DEG) * minimum_jerk(u)
        return quat.mul(quat.mul(self.rot, foot_grot), quat.from_axis_angle(np.array([1.0, 0.0, 0.0]), pitch))


def feet_of(skeleton: Skeleton, grot: Array, gpos: Array) -> tuple[Array, Array]:
    """Ankle positions ``[F, 2, 3]`` and foot rotations ``[F, 2, 4]`` from FK output."""
    idx = [hm.INDEX[f"{s}Foot"] for s in SIDES]
    return gpos[:, idx], grot[:, idx]


def first_swing(ankle: Array, fps: float) -> tuple[int, int] | None:
    """Frames ``[i0, i1)`` of a foot's first swing in a motion (``ankle [F, 3]``), or None if it never lifts."""
    lifted = ankle[:, 1] > ankle[0, 1] + SWING_HEIGHT_M
    speed = np.zeros(len(ankle))
    if len(ankle) > 1:
        speed[1:] = np.linalg.norm(np.diff(ankle[:, [0, 2]], axis=0), axis=1) * fps
    moving = lifted | (speed > SWING_SPEED)
    i = 0
    n = len(moving)
    while i < n:
        if moving[i]:
            j = i
            while j < n and moving[j]:
                j += 1
            if (j - i) / fps >= SWING_MIN_S:
                return i, j
            i = j
        i += 1
    return None


def seam_correction(old: FootState, new: FootState) -> tuple[Array, Array]:
    """Per foot: translation ``[2, 3]`` (on the floor) and rotation ``[2, 4]`` taking the new foot onto the old."""
    d = old.ankle - new.ankle
    d[:, 1] = 0.0
    c = quat.normalize(quat.mul(old.grot, quat.conj(new.grot)))
    return d, c


def _travel(n: int, i0: int, i1: int) -> Array:
    """0 before ``i0``, minimum jerk to 1 over the travel part of the step ``[i0, i1)``, 1 after."""
    u = (np.arange(n) - i0) / max(i1 - i0, 1)
    a, b = STEP_TRAVEL
    return np.asarray(minimum_jerk((u - a) / (b - a)))


def turn_step_count(turn: float) -> int:
    """Steps of a turn on the spot by ``turn`` rad: the feet are never more than about 70° apart (67.5° a step)."""
    return max(2, int(np.ceil(abs(turn) / np.radians(67.5))) + 1)


def step_seconds(dist: float, yaw: float) -> float:
    """Duration (s) of one settle step moving the foot ``dist`` (m) and turning it ``yaw`` (rad): a foot that turns
    more than :data:`STEP_EASY_YAW_DEG` in one step takes longer, so its spin stays in the joints' speed range."""
    extra = STEP_S_PER_RAD * max(abs(yaw) - np.radians(STEP_EASY_YAW_DEG), 0.0)
    return float(np.clip(STEP_MIN_S + 1.2 * dist + extra, STEP_MIN_S, STEP_MAX_S))


def _turn_order(turn: float) -> list[int]:
    """The feet (0 left, 1 right) of a turn's steps in order, led by the foot on the turning side."""
    lead = 0 if turn > 0 else 1
    return [lead if i % 2 == 0 else 1 - lead for i in range(turn_step_count(turn))]


def turn_seconds(turn: float, step_m: float = 0.08) -> float:
    """Time (s) the settle steps of a turn by ``turn`` rad take when each foot also moves ``step_m`` (m)."""
    order = _turn_order(turn)
    durs = [step_seconds(step_m / order.count(k), turn / order.count(k)) for k in order]
    return STEP_START_S + sum(durs) + (len(order) - 1) * STEP_GAP_S


@dataclass(frozen=True)
class Steps:
    """Settle steps of a standing motion: per foot, frame windows ``[i0, i1)``; each step removes an equal share."""

    windows: tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]


def plan_steps(d: Array, c: Array, fps: float, n: int, turn: float) -> Steps:
    """Settle steps for a new standing motion, one after the other (never both feet in the air).

    Without a turn each foot that must move (more than :data:`SETTLE_MIN_M` or :data:`SETTLE_MIN_DEG`)
    steps once, the farther one first. A turn of ``turn`` radians (positive = to the left) is stepped
    round in alternating steps led by the foot on the turning side, enough of them that the feet are
    never more than about 70° apart (facts §8: hip rotation 45° each way).
    """
    dist = np.linalg.norm(d, axis=1)
    ang = np.degrees(2.0 * np.arccos(np.clip(np.abs(c[:, 0]), 0.0, 1.0)))
    if abs(turn) > np.radians(1.0):
        order = _turn_order(turn)
    else:
        order = sorted(
            (k for k in range(2) if dist[k] > SETTLE_MIN_M or ang[k] > SETTLE_MIN_DEG), key=lambda k: -dist[k]
        )
    windows: list[list[tuple[int, int]]] = [[], []]
    t = STEP_START_S
    for k in order:
        share = max(order.count(k), 1)
        dur = step_seconds(float(dist[k]) / share, turn / share)
        i0, i1 = int(round(t * fps)), int(round((t + dur) * fps))
        if i1 < n:
            windows[k].append((i0, i1))
        t += dur + STEP_GAP_S
    return Steps((tuple(windows[0]), tuple(windows[1])))


def _in_order(steps: Steps) -> list[tuple[int, int, int]]:
    """Every step as ``(i0, i1, foot)``, in time order."""
    return sorted((i0, i1, k) for k in range(2) for i0, i1 in steps.windows[k])


def body_progress(steps: Steps, n: int) -> Array:
    """How much of a turn on the spot the body has made ``[n]`` (0 -> 1): an equal share in each step, along a
    minimum-jerk profile across the whole step (the pelvis turns while the foot is in the air and slows to rest
    as it lands; it does not snap round with the foot's travel)."""
    order = _in_order(steps)
    frames = np.arange(n)
    done = np.zeros(n)
    for i0, i1, _ in order:
        done += minimum_jerk((frames - i0) / max(i1 - i0, 1)) / len(order)
    return done


def weight_shift(steps: Steps, target: Array, hips: Array, fps: float) -> Array:
    """Pelvis offset ``[F, 3]`` (m, on the floor) that puts the weight over the support foot before each settle
    step lifts the other one and keeps it there until the foot is down; ``target [F, 2, 3]`` the locked ankles,
    ``hips [F, 3]`` the pelvis before the shift (a stance that already leans on one leg needs less toward it)."""
    n = len(target)
    t = np.arange(n) / fps
    span = STEP_GAP_S + 2.0 * WEIGHT_IN_S
    out = np.zeros((n, 3))
    for i0, i1, k in _in_order(steps):
        support, mid = target[i0, 1 - k], target[i0].mean(axis=0)
        side = (support - mid) * np.array([1.0, 0.0, 1.0])
        side /= max(float(np.linalg.norm(side)), 1e-9)
        gap = float(np.dot(support - hips[i0], side))
        v = side * float(np.clip(WEIGHT_SHARE * gap, 0.0, WEIGHT_MAX_M))
        t0, t1 = i0 / fps, i1 / fps
        rise = minimum_jerk((t - (t0 + WEIGHT_IN_S - span)) / span)
        fall = 1.0 - minimum_jerk((t - (t1 - WEIGHT_IN_S)) / span)
        out += (rise * fall)[:, None] * v
    return out


def lock(
    d: Array,
    c: Array,
    new_ankle: Array,
    fps: float,
    steps: Steps | None,
    turn: float = 0.0,
    centre: Array | None = None,
) -> Lock:
    """The per-frame lock for a new motion with ``new_ankle [F, 2, 3]``.

    ``d``/``c`` are the corrections after turning the new motion by ``turn`` (rad) about ``centre [2]``.
    A foot's weight ``w`` runs from 1 (where the old motion left it) to 0 (where the new motion has it):
    at its settle steps (``steps``), or, for ``steps=None``, during the motion's own first swing of that
    foot. The remaining turn of a foot is ``w * turn`` about ``centre``.
    """
    n = len(new_ankle)
    offset = np.zeros((n, 2, 3))
    rot = np.zeros((n, 2, 4))
    lift = np.zeros((n, 2))
    weights = np.ones((n, 2))
    for k in range(2):
        if steps is not None:
            w = np.ones(n)
            wins = steps.windows[k]
            for i0, i1 in wins:
                w -= _travel(n, i0, i1) / len(wins)
                u = np.clip((np.arange(n) - i0) / max(i1 - i0, 1), 0.0, 1.0)
                lift[:, k] += STEP_LIFT_M * (minimum_jerk(2.0 * u) - minimum_jerk(2.0 * u - 1.0))
        else:
            swing = first_swing(new_ankle[:, k], fps)
            if swing is None:
                w = np.ones(n)
            else:
                w = 1.0 - np.asarray(minimum_jerk((np.arange(n) - swing[0]) / max(swing[1] - swing[0], 1)))
        weights[:, k] = w
        yaw = quat.from_axis_angle(np.array([0.0, 1.0, 0.0]), w * turn)
        rot[:, k] = quat.mul(yaw, quat.slerp(quat.IDENTITY, c[k], w))
        if turn and centre is not None:
            rel = new_ankle[:, k, [0, 2]] - centre
            cs, sn = np.cos(w * turn), np.sin(w * turn)
            offset[:, k, 0] = centre[0] + cs * rel[:, 0] + sn * rel[:, 1] - new_ankle[:, k, 0]
            offset[:, k, 2] = centre[1] - sn * rel[:, 0] + cs * rel[:, 1] - new_ankle[:, k, 2]
        offset[:, k] += w[:, None] * d[k]
    return Lock(offset, rot, lift, weights)


def hips_drop(skeleton: Skeleton, lrot: Array, hips: Array, ankle: Array, fps: float = 30.0) -> Array:
    """How far ``[F]`` (m) the pelvis must sink so both legs reach their ankle targets with a soft knee.

    A foot held where a narrower or wider stance left it can be out of reach of a straight leg; the
    pelvis then sinks, smoothly (the need is widened by 0.2 s and smoothed over 0.4 s).
    """
    _, gpos = skeleton.fk(lrot, hips)
    need = np.zeros(len(hips))
    for k, side in enumerate(SIDES):
        up, lo, ft = (hm.INDEX[f"{side}{b}"] for b in ("UpperLeg", "LowerLeg", "Foot"))
        reach = float(
            ik.chain_length(skeleton.offsets[lo], skeleton.offsets[ft], HINGE_AXES[f"{side}LowerLeg"], np.radians(4.0))
        )
        v = ankle[:, k] - gpos[:, up]
        h2 = v[:, 0] ** 2 + v[:, 2] ** 2
        need = np.maximum(need, -np.sqrt(np.maximum(reach * reach - h2, 0.0)) - v[:, 1])
    need = np.maximum(need, 0.0)
    if not need.any():
        return need
    w = max(1, int(round(0.2 * fps)))
    padded = np.pad(need, w, mode="edge")
    wide = np.max(np.lib.stride_tricks.sliding_window_view(padded, 2 * w + 1), axis=1)
    kernel = np.hanning(2 * w + 3)[1:-1]
    kernel /= kernel.sum()
    smooth = np.convolve(np.pad(wide, w, mode="edge"), kernel, mode="valid")
    return np.maximum(smooth, need)


def solve_legs(skeleton: Skeleton, lrot: Array, hips: Array, ankle: Array, foot_grot: Array) -> tuple[Array, Array]:
    """``lrot [F, J, 4]`` with both legs solved so the ankles reach ``ankle [F, 2, 3]`` with feet ``foot_grot [F, 2, 4]``,
    and the hips positions ``[F, 3]`` (lowered where a leg could not reach, see :func:`hips_drop`).

    The knee keeps pointing where it pointed, turned with the foot.
    """
    out = lrot.copy()
    hips = hips - np.stack([np.zeros(len(hips)), hips_drop(skeleton, lrot, hips, ankle), np.zeros(len(hips))], axis=1)
    grot, gpos = skeleton.fk(lrot, hips)
    for k, side in enumerate(SIDES):
        up, lo, ft = (hm.INDEX[f"{side}{b}"] for b in ("UpperLeg", "LowerLeg", "Foot"))
        parent = hm.PARENTS[up]
        # keep the knee in the plane it bends in now; a straight knee falls back to the foot's pointing direction
        hip, knee, ank = gpos[:, up], gpos[:, lo], gpos[:, ft]
        axis = (ank - hip) / np.maximum(np.linalg.norm(ank - hip, axis=1, keepdims=True), 1e-9)
        bend = (knee - hip) - np.sum((knee - hip) * axis, axis=1, keepdims=True) * axis
        # the knee turns with the foot (the hip rotates the leg): a foot yawed at the ankle alone would twist it
        # out of range and make the foot spin when the pelvis turns more slowly than the stepping foot
        turn = quat.mul(foot_grot[:, k], quat.conj(grot[:, ft]))
        yaw = turn * np.array([1.0, 0.0, 1.0, 0.0])  # its twist about the vertical (swing-twist split)
        yaw /= np.maximum(np.linalg.norm(yaw, axis=1, keepdims=True), 1e-12)
        bend = quat.rotate(yaw, bend)
        fwd = quat.rotate(foot_grot[:, k], np.array([0.0, 0.0, 1.0]))
        pole = knee + bend + POLE_FALLBACK_M * fwd
        sol = ik.two_bone(
            gpos[:, up],
            grot[:, up],
            skeleton.offsets[lo],
            skeleton.offsets[ft],
            ankle[:, k],
            pole,
            HINGE_AXES[f"{side}LowerLeg"],
            (0.0, HINGE_LIMITS["LowerLeg"][1]),
        )
        out[:, up] = quat.mul(quat.conj(grot[:, parent]), sol.upper_grot)
        out[:, lo] = sol.lower_lrot
        lower_grot = quat.mul(sol.upper_grot, sol.lower_lrot)
        out[:, ft] = quat.mul(quat.conj(lower_grot), foot_grot[:, k])
    return quat.normalize(out), hips
