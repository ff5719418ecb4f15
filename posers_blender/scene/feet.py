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
#: The foot travels only while every sole point is above the contact height (metrics §0: 3 cm).
STEP_LIFT_M = 0.055
STEP_TRAVEL = (0.25, 0.75)
#: Swing detection on a motion's own feet: ankle above its first-frame height, or moving (m, m/s).
SWING_HEIGHT_M = 0.012
SWING_SPEED = 0.25
SWING_MIN_S = 0.12


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
    extra ankle height of a settle step (m).
    """

    offset: Array
    rot: Array
    lift: Array


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


def _ramp(n: int, i0: int, i1: int, travel: tuple[float, float] = (0.0, 1.0)) -> Array:
    """Weight ``[n]``: 1 before ``i0``, minimum-jerk to 0 over the travel part of ``[i0, i1)``, 0 after."""
    u = (np.arange(n) - i0) / max(i1 - i0, 1)
    a, b = travel
    return 1.0 - minimum_jerk((u - a) / (b - a))


def settle_windows(d: Array, c: Array, fps: float, n: int, turn_s: float, turn_sign: float) -> list[tuple[int, int]]:
    """Frame windows of settle steps (one per foot that must move; empty tuple ``(0, 0)`` for one that stays).

    Without a turn the foot with the larger correction steps first, from 0.1 s; in a turn
    (``turn_s`` > 0) the foot on the turning side leads and the two steps share the turn's time.
    """
    dist = np.linalg.norm(d, axis=1)
    ang = np.degrees(2.0 * np.arccos(np.clip(np.abs(c[:, 0]), 0.0, 1.0)))
    moves = [bool(dist[k] > SETTLE_MIN_M or ang[k] > SETTLE_MIN_DEG) for k in range(2)]
    out = [(0, 0), (0, 0)]
    if turn_s > 0.0:
        lead = 0 if turn_sign > 0 else 1  # a left turn (positive heading) steps with the left foot first
        spans = {lead: (0.05, 0.55), 1 - lead: (0.45, 0.95)}
        for k in range(2):
            a, b = spans[k]
            out[k] = (int(round(a * turn_s * fps)), int(round(b * turn_s * fps)))
        return [w if moves[k] or turn_s > 0 else (0, 0) for k, w in enumerate(out)]
    order = sorted((k for k in range(2) if moves[k]), key=lambda k: -dist[k])
    t = 0.1
    for k in order:
        dur = float(np.clip(0.45 + 1.2 * dist[k], 0.45, 0.9))
        out[k] = (int(round(t * fps)), int(round((t + dur) * fps)))
        t += dur - 0.05
    return [(min(a, n - 1), min(b, n)) for a, b in out]


def lock(
    d: Array,
    c: Array,
    new_ankle: Array,
    fps: float,
    settle: list[tuple[int, int]] | None,
) -> Lock:
    """The per-frame lock for a new motion with ``new_ankle [F, 2, 3]``.

    ``settle``: settle-step windows per foot (standing motions), or None to
    remove each correction during the motion's own first swing of that foot.
    """
    n = len(new_ankle)
    offset = np.zeros((n, 2, 3))
    rot = np.zeros((n, 2, 4))
    lift = np.zeros((n, 2))
    for k in range(2):
        if settle is not None and settle[k][1] > settle[k][0]:
            i0, i1 = settle[k]
            w = _ramp(n, i0, i1, STEP_TRAVEL)
            u = np.clip((np.arange(n) - i0) / max(i1 - i0, 1), 0.0, 1.0)
            lift[:, k] = STEP_LIFT_M * np.sin(np.pi * u)
        else:
            swing = first_swing(new_ankle[:, k], fps) if settle is None else None
            w = np.ones(n) if swing is None else _ramp(n, swing[0], swing[1])
        offset[:, k] = w[:, None] * d[k]
        rot[:, k] = quat.slerp(quat.IDENTITY, c[k], w)
    return Lock(offset, rot, lift)


def solve_legs(skeleton: Skeleton, lrot: Array, hips: Array, ankle: Array, foot_grot: Array) -> Array:
    """``lrot [F, J, 4]`` with both legs solved so the ankles reach ``ankle [F, 2, 3]`` with feet ``foot_grot [F, 2, 4]``.

    The knee keeps pointing where it pointed, turned with the foot.
    """
    out = lrot.copy()
    grot, gpos = skeleton.fk(lrot, hips)
    for k, side in enumerate(SIDES):
        up, lo, ft = (hm.INDEX[f"{side}{b}"] for b in ("UpperLeg", "LowerLeg", "Foot"))
        parent = hm.PARENTS[up]
        fwd = quat.rotate(foot_grot[:, k], np.array([0.0, 0.0, 1.0]))
        pole = gpos[:, lo] + 0.5 * fwd
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
    return quat.normalize(out)
