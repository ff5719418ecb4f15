"""The hand: the thumb's axis, finger curls and grips, in one place.

Conventions as in the rest of the engine: normalised humanoid space (+Y up, facing +Z, left +X), T-pose
with palms down, quaternions (w, x, y, z), angles in degrees where the tables say so. Fingers curl
toward the palm (-Y) about each finger bone's local Z (sign by side); the thumb flexes about
:func:`thumb_axis`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import humanoid as hm
from . import quat
from .program import Tracks

Array = NDArray[np.float64]

FINGERS = ("Index", "Middle", "Ring", "Little")
PHALANGES = ("Proximal", "Intermediate", "Distal")

#: How a curl spreads over the hand, as (per-finger factors, per-phalanx factors, thumb proximal and
#: distal factors): the little finger curls most, the middle phalanx most. Two tunings are in use
#: (kept apart so every motion stays as it was): a standing hand and a walking hand.
CurlShape = tuple[Sequence[float], Sequence[float], tuple[float, float]]
STANDING_CURL: CurlShape = ((0.75, 0.95, 1.05, 1.2), (0.8, 1.0, 0.7), (0.5, 0.6))
WALKING_CURL: CurlShape = ((0.7, 0.9, 1.0, 1.15), (0.8, 1.0, 0.6), (1.0, 1.2))


def curl_fingers(tr: Tracks, side: str, curl: ArrayLike, thumb: ArrayLike, shape: CurlShape = STANDING_CURL) -> None:
    """Set one hand's finger and thumb bones: fingers curled by ``curl`` degrees (scalar or ``[F]``)
    spread over the phalanges by ``shape``; the thumb's proximal and distal bones flexed by ``thumb``."""
    s = hm.side_sign(side + "Hand")
    per_finger, per_phalanx, (thumb_prox, thumb_dist) = shape
    flex = np.array([0.0, 0.0, -s])
    for finger, k in zip(FINGERS, per_finger):
        for ph, m in zip(PHALANGES, per_phalanx):
            tr.set(f"{side}{finger}{ph}", quat.from_axis_angle_deg(flex, np.asarray(curl) * k * m))
    ax = thumb_axis(side)
    tr.set(f"{side}ThumbProximal", quat.from_axis_angle_deg(ax, thumb_prox * np.asarray(thumb)))
    tr.set(f"{side}ThumbDistal", quat.from_axis_angle_deg(ax, thumb_dist * np.asarray(thumb)))


#: Finger poses: per finger (MCP, PIP, DIP) flexion in degrees and MCP spread (deg, + toward the thumb);
#: thumb (CMC, MCP, IP) flexion toward the palm. Within facts §8 finger/thumb ranges.
GRIPS: dict[str, dict[str, tuple[float, float, float, float]]] = {
    # Classic hold: the cigarette between index and middle at the PIP crease (facts §5 hand posture);
    # index and middle nearly straight and pressed together, ring and little curled out of the way.
    "cigarette": {
        "Index": (8.0, 8.0, 5.0, -3.0),
        "Middle": (10.0, 10.0, 6.0, 3.0),
        "Ring": (45.0, 60.0, 30.0, 0.0),
        "Little": (55.0, 65.0, 35.0, -4.0),
        "Thumb": (20.0, 20.0, 15.0, 0.0),
    },
    # Thumb-index pinch on the filter; the other fingers curled.
    "pinch": {
        "Index": (40.0, 55.0, 20.0, 0.0),
        "Middle": (50.0, 70.0, 35.0, 0.0),
        "Ring": (60.0, 75.0, 40.0, 0.0),
        "Little": (65.0, 80.0, 40.0, 0.0),
        "Thumb": (30.0, 25.0, 20.0, 0.0),
    },
    # Relaxed hand (no object): light, graded curl.
    "relaxed": {
        "Index": (10.0, 14.0, 8.0, 0.0),
        "Middle": (13.0, 18.0, 10.0, 0.0),
        "Ring": (15.0, 20.0, 12.0, 0.0),
        "Little": (17.0, 22.0, 13.0, 0.0),
        "Thumb": (8.0, 8.0, 8.0, 0.0),
    },
}


def thumb_axis(side: str) -> Array:
    """The thumb's flexion axis (not normalised; :func:`quat.from_axis_angle` normalises): across the
    thumb's direction from the carpus (forward, out and a little down, palm down) and the palm normal."""
    s = hm.side_sign(side + "Hand")
    return np.cross(np.array([s * 0.7, -0.06, 0.71]), np.array([0.0, -1.0, 0.0]))


def grip_pose(side: str, style: str) -> dict[str, Array]:
    """Local rotations ``{bone: [4]}`` of one hand's finger bones for grip ``style`` (see :data:`GRIPS`)."""
    if style not in GRIPS:
        raise ValueError(f"unknown grip '{style}'; choose one of {', '.join(GRIPS)}")
    s = hm.side_sign(side + "Hand")
    flex_axis = np.array([0.0, 0.0, -s])  # fingers curl toward the palm (-Y)
    spread_axis = np.array([0.0, 1.0, 0.0]) * s  # + spread turns the finger toward the thumb (+Z)
    out: dict[str, Array] = {}
    for finger, (mcp, pip, dip, spread) in GRIPS[style].items():
        if finger == "Thumb":
            ax = thumb_axis(side)
            for bone, ang in zip(("ThumbMetacarpal", "ThumbProximal", "ThumbDistal"), (mcp, pip, dip)):
                out[f"{side}{bone}"] = quat.from_axis_angle(ax, np.radians(ang))
            continue
        out[f"{side}{finger}Proximal"] = quat.mul(
            quat.from_axis_angle(spread_axis, np.radians(spread)), quat.from_axis_angle(flex_axis, np.radians(mcp))
        )
        out[f"{side}{finger}Intermediate"] = quat.from_axis_angle(flex_axis, np.radians(pip))
        out[f"{side}{finger}Distal"] = quat.from_axis_angle(flex_axis, np.radians(dip))
    return out


def apply_grip(tracks: Tracks, side: str, style: str, weight: ArrayLike = 1.0, base: str | None = None) -> None:
    """Blend one hand's finger bones toward grip ``style`` by ``weight`` (scalar or ``[F]``).

    ``base`` names a grip to blend from (default: the fingers' current rotations in ``tracks``).
    """
    n = tracks.n_frames
    w = np.broadcast_to(np.asarray(weight, dtype=np.float64), (n,))
    target = grip_pose(side, style)
    start = grip_pose(side, base) if base else None
    for bone, q in target.items():
        j = hm.INDEX[bone]
        q0 = np.broadcast_to(start[bone], (n, 4)) if start is not None else tracks.lrot[:, j]
        tracks.lrot[:, j] = quat.slerp(q0, np.broadcast_to(q, (n, 4)), w)
