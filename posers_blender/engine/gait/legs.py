"""Legs: two-bone IK of both legs to the foot tracks, the knee toward the foot's heading.

The fourth stage of a walk: it takes the foot tracks and the pelvis (already in the :class:`Tracks`) and
solves the hip, knee and ankle of each leg; the swinging foot is drawn in where the leg would over-reach
in terminal swing, and its ankle is kept inside its range (:func:`~.feet.limit_swing_ankle`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ... import humanoid as hm
from .. import quat
from ..curves import minimum_jerk
from ..program import Tracks
from ..skeleton import Skeleton
from .feet import FootTrack, limit_swing_ankle
from .geometry import foot_geometry, knee_distance
from .style import SIDES, GaitStyle

Array = NDArray[np.float64]
X = np.array([1.0, 0.0, 0.0])
Y = np.array([0.0, 1.0, 0.0])
Z = np.array([0.0, 0.0, 1.0])

KNEE_FLOOR_SPAN = 40  # degrees the swing knee's straightening floor falls over a swing [E]
LEG_BONES = ("UpperLeg", "LowerLeg", "Foot", "Toes")


def solve_legs(tr: Tracks, feet: dict[str, FootTrack], style: GaitStyle) -> None:
    """Pose both legs in ``tr`` (hips rotation and offset already set) onto the foot tracks.

    Each leg starts from rest, so solving again after a replan gives what a fresh build gives.
    """
    sk = tr.skeleton
    hips = sk.offsets[0] + tr.hips_offset  # the hips' world position, as forward kinematics has it
    for name, _sgn in SIDES:
        ft = feet[name]
        for bone in LEG_BONES:
            tr.lrot[:, hm.INDEX[f"{name}{bone}"]] = quat.IDENTITY
        hip = hips + quat.rotate(tr.lrot[:, 0], sk.offsets[hm.INDEX[f"{name}UpperLeg"]])
        fwd = quat.rotate(quat.from_axis_angle(Y, ft.yaw), Z)
        target = _terminal_swing_reach(sk, name, hip, ft, style.knee_contact)
        pole = 0.5 * (hip + target) + fwd * 1.0
        tr.solve_limb(f"{name}Leg", target, pole, end_grot=ft.rot)
        j = hm.INDEX[f"{name}Foot"]
        tr.lrot[:, j] = limit_swing_ankle(tr.lrot[:, j], ft, foot_geometry(sk, name), target)
        if sk.has(f"{name}Toes"):
            tr.set(f"{name}Toes", quat.from_axis_angle(X, ft.toes_pitch))


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
    d = np.linalg.norm(v, axis=1)
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
    scale = np.where(swing, capped / np.maximum(d, 1e-9), 1.0)
    return hip + v * scale[:, None]
