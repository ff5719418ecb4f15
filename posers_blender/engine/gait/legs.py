"""Legs: two-bone IK of both legs to the foot tracks, the knee toward the foot's heading.

The fourth stage of a walk: it takes the foot tracks and the pelvis (already in the :class:`Tracks`) and
solves the hip, knee and ankle of each leg; the swinging foot is drawn in where the leg would over-reach
in terminal swing, and its ankle is kept inside its range (:func:`~.feet.limit_swing_ankle`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ... import humanoid as hm
from .. import ik, quat
from ..curves import minimum_jerk
from ..program import HINGE_AXES, HINGE_LIMITS, SOLVE_BLOCK, Tracks
from ..skeleton import Skeleton
from .feet import FootTrack, limit_swing_ankle
from .geometry import STANCE_REACH, foot_geometry, knee_distance, leg_reach
from .style import SIDES, GaitStyle

Array = NDArray[np.float64]
X = np.array([1.0, 0.0, 0.0])
Y = np.array([0.0, 1.0, 0.0])
Z = np.array([0.0, 0.0, 1.0])

KNEE_FLOOR_SPAN = 40  # degrees the swing knee's straightening floor falls over a swing [E]


@dataclass
class LegSolve:
    """What one leg was solved for (hip, target and pole ``[F, 3]``, foot rotation ``[F, 4]``) and the raw IK
    result (local ``upper``, ``lower`` and ``foot`` rotations ``[F, 4]``, before the ankle range)."""

    hip: Array
    target: Array
    pole: Array
    foot_rot: Array
    upper: Array
    lower: Array
    foot: Array


def solve_legs(
    tr: Tracks, feet: dict[str, FootTrack], style: GaitStyle, before: dict[str, LegSolve] | None = None
) -> dict[str, LegSolve]:
    """Pose both legs in ``tr`` (hips rotation and offset already set) onto the foot tracks.

    Each leg's IK starts from rest in every frame, so a frame's solution depends on that frame's hip, target,
    pole and foot rotation alone: given the solve ``before`` a replan, only the frames where those changed
    are solved again (the result is what a full solve gives, bit for bit).
    """
    sk = tr.skeleton
    hips = sk.offsets[0] + tr.hips_offset  # the hips' world position, as forward kinematics has it
    out: dict[str, LegSolve] = {}
    for name, _sgn in SIDES:
        ft = feet[name]
        hip = hips + quat.rotate(tr.lrot[:, 0], sk.offsets[hm.INDEX[f"{name}UpperLeg"]])
        fwd = quat.rotate(quat.from_axis_angle(Y, ft.yaw), Z)
        target = _terminal_swing_reach(sk, name, hip, ft, style.knee_contact)
        pole = 0.5 * (hip + target) + fwd * 1.0
        leg = _solve_leg(tr, name, hip, target, pole, ft.rot, None if before is None else before[name])
        ju, jl, jf = (hm.INDEX[f"{name}{b}"] for b in ("UpperLeg", "LowerLeg", "Foot"))
        tr.lrot[:, ju], tr.lrot[:, jl] = leg.upper, leg.lower
        tr.lrot[:, jf] = limit_swing_ankle(leg.foot, ft, foot_geometry(sk, name), target)
        if sk.has(f"{name}Toes"):
            tr.set(f"{name}Toes", quat.from_axis_angle(X, ft.toes_pitch))
        out[name] = leg
    return out


def _solve_leg(
    tr: Tracks, name: str, hip: Array, target: Array, pole: Array, foot_rot: Array, before: LegSolve | None
) -> LegSolve:
    """Two-bone IK of one leg from rest in the frames whose inputs differ from ``before`` (all without it).

    The thigh hangs from the hips, so the chain's root is ``hip`` and its rest rotation the hips' own: the
    solve needs no forward kinematics of the rest of the body."""
    ju, jl, jf = (hm.INDEX[f"{name}{b}"] for b in ("UpperLeg", "LowerLeg", "Foot"))
    if before is None:
        frames = np.arange(tr.n_frames)
        raw = [quat.identity((tr.n_frames,)) for _ in range(3)]
    else:
        changed = np.zeros(tr.n_frames, dtype=bool)
        for now, was in ((hip, before.hip), (target, before.target), (pole, before.pole), (foot_rot, before.foot_rot)):
            differs = now != was
            for c in range(differs.shape[1]):  # column by column: numpy's reduction over a short axis is slow
                changed |= differs[:, c]
        frames = np.nonzero(changed)[0]
        raw = [before.upper.copy(), before.lower.copy(), before.foot.copy()]
    sk = tr.skeleton
    for s in range(0, len(frames), SOLVE_BLOCK):  # each frame on its own: blocks bound the temporaries
        f = frames[s : s + SOLVE_BLOCK]
        hips_rot = tr.lrot[f, 0]
        sol = ik.two_bone(
            hip[f],
            hips_rot,
            sk.offsets[jl],
            sk.offsets[jf],
            target[f],
            pole[f],
            HINGE_AXES[f"{name}LowerLeg"],
            HINGE_LIMITS["LowerLeg"],
        )
        raw[0][f] = quat.normalize(quat.mul(quat.conj(hips_rot), sol.upper_grot))
        raw[1][f] = sol.lower_lrot
        shank = quat.mul(sol.upper_grot, sol.lower_lrot)
        raw[2][f] = quat.normalize(quat.mul(quat.conj(shank), foot_rot[f]))
    return LegSolve(hip, target, pole, foot_rot, *raw)


def _terminal_swing_reach(sk: Skeleton, name: str, hip: Array, ft: FootTrack, knee_contact: float) -> Array:
    """Ankle targets ``[F, 3]`` with the swinging foot drawn toward the hip where it would over-reach.

    The knee may not straighten below a floor that falls linearly from
    ``knee_contact + KNEE_FLOOR_SPAN`` at toe off to ``knee_contact`` at heel
    strike, so terminal swing extends the knee smoothly (facts §2b: ~65° in
    ~0.26 s) instead of snapping straight against the leg's length. Stance
    targets are untouched (the pelvis height already keeps them reachable).
    """
    u = ft.swing_u
    swing = np.isfinite(u)
    if not swing.any():
        return ft.ankle
    floor = knee_contact + KNEE_FLOOR_SPAN * (1.0 - np.where(swing, u, 1.0))
    cap = knee_distance(sk, name, floor)
    v = ft.ankle - hip
    d = quat.length(v)  # np.linalg.norm(v, axis=1), bit for bit
    soft = np.where(d > cap - 0.02, (cap - 0.02) + 0.02 * np.tanh((d - (cap - 0.02)) / 0.02), d)
    # Hand back to the planned landing over the last fifth of the swing (the pelvis keeps that reachable)
    # and only from mid swing on (fading in), so toe off keeps the stance leg's own bend
    uu = np.where(swing, u, 1.0)
    weight = minimum_jerk((uu - 0.3) / 0.3) * (1.0 - minimum_jerk((uu - 0.8) / 0.2))
    scale = np.where(swing, soft / np.maximum(d, 1e-9), 1.0)
    scale = 1.0 + (scale - 1.0) * weight
    # never past the leg's length anywhere in swing (a straight knee has no defined swivel: the hip would flip)
    reach = float(knee_distance(sk, name, np.asarray(3.0)))
    d2 = d * scale
    capped = np.where(d2 > reach - 0.01, (reach - 0.01) + 0.01 * np.tanh((d2 - (reach - 0.01)) / 0.01), d2)
    # ...handed back to the planned landing just before heel strike, where the pelvis keeps the target inside
    # ``STANCE_REACH`` (a cap still pulling 2 mm in at the last swing frame popped the knee at contact: 14 mm
    # pose jump at 120 fps); the hard bound keeps the fade short of the straight leg
    back = minimum_jerk((uu - 0.7) / 0.3)
    capped = np.minimum(capped + (d2 - capped) * back, np.maximum(capped, STANCE_REACH * leg_reach(sk, name)))
    scale = np.where(swing, capped / np.maximum(d, 1e-9), 1.0)
    return hip + v * scale[:, None]
