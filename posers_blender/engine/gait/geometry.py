"""Leg and foot measures of an avatar the gait stages share: the foot's sole points, the lowest sole point of
a posed foot, and the hip-to-ankle distance for a knee bend. Metres, from the avatar's own rest offsets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ... import humanoid as hm
from .. import quat
from ..skeleton import Skeleton

Array = NDArray[np.float64]
X = np.array([1.0, 0.0, 0.0])
#: share of the straight leg's length the pelvis keeps a planted ankle within (never quite straight). Near
#: full extension the knee's angle goes as the square root of the leg's shortfall, so where the hip-ankle
#: distance turns at its bound (mid stance before heel off, the landing leg) the knee swings through a V whose
#: sharpness goes as 1 / sqrt(shortfall): with 0.9985 (1.2 mm, knee ~6°) fast runway walks starting or
#: stopping threw the knee 0.72-0.77 m/s in one 120 fps frame (gate 0.67) and 8.2 mm at 60 fps (gate 7.5);
#: 0.997 (2.4 mm, ~9°) gives 0.53-0.62 m/s and 6.4 mm there
STANCE_REACH = 0.997


@dataclass
class FootGeometry:
    """Points of one foot in its own frame (offsets from the ankle, metres, rest axes)."""

    heel: Array
    mtp: Array  # rotation pivot of the forefoot rocker (the toes joint, or the ball point)
    toe_tip: Array  # in the toes frame when ``has_toes`` else in the foot frame
    has_toes: bool
    ankle_height: float


def foot_geometry(sk: Skeleton, name: str) -> FootGeometry:
    """The heel, forefoot pivot and toe tip of one foot (``name`` "left" or "right")."""
    heel = np.asarray(sk.landmarks[f"{name}Heel"].offset)
    has_toes = sk.has(f"{name}Toes")
    if has_toes:
        mtp = sk.offsets[hm.INDEX[f"{name}Toes"]].copy()
    else:
        # without a toes bone the forefoot cannot bend: roll about the toe tip so it never dips into the floor
        mtp = np.asarray(sk.landmarks[f"{name}ToeTip"].offset)
    tip = np.asarray(sk.landmarks[f"{name}ToeTip"].offset)
    return FootGeometry(heel, mtp, tip, has_toes, float(-heel[1]))


def lowest_sole_point(ankle: Array, rot: Array, toes_pitch: Array, g: FootGeometry) -> Array:
    """Height ``[n]`` of the lowest sole point (heel, MTP ball, toe tip) of feet at ``ankle`` turned by ``rot``."""
    ball = g.mtp + np.array([0.0, -g.mtp[1] - g.ankle_height, 0.0])
    low = np.min([ankle[:, 1] + quat.rotate(rot, p)[:, 1] for p in (g.heel, ball)], axis=0)
    if g.has_toes:
        toes_rot = quat.mul(rot, quat.from_axis_angle(X, toes_pitch))
        tip = ankle + quat.rotate(rot, g.mtp) + quat.rotate(toes_rot, g.toe_tip)
    else:
        tip = ankle + quat.rotate(rot, g.toe_tip)
    return np.minimum(low, tip[:, 1])


def knee_distance(sk: Skeleton, name: str, knee_deg: Array) -> Array:
    """Hip-to-ankle distance for a knee flexion (degrees), from the avatar's own thigh and shank."""
    a = float(np.linalg.norm(sk.offsets[hm.INDEX[f"{name}LowerLeg"]]))
    b = float(np.linalg.norm(sk.offsets[hm.INDEX[f"{name}Foot"]]))
    k = np.radians(knee_deg)
    return np.sqrt(a * a + b * b + 2 * a * b * np.cos(k))


def leg_reach(sk: Skeleton, name: str) -> float:
    """Hip-to-ankle distance of the straight leg."""
    up = sk.offsets[hm.INDEX[f"{name}LowerLeg"]]
    lo = sk.offsets[hm.INDEX[f"{name}Foot"]]
    return float(np.linalg.norm(up + lo)) if np.dot(up, lo) > 0 else float(np.linalg.norm(up) + np.linalg.norm(lo))


def hip_joints_ahead(sk: Skeleton) -> float:
    """How far (m) the hip joints' midpoint lies ahead of the hips bone in the rest pose (negative: behind; 0 on
    the default avatar)."""
    return float(np.mean([sk.offsets[hm.INDEX[f"{name}UpperLeg"]][2] for name in ("left", "right")]))
