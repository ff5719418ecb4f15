"""Props held in a grip: the cigarette's filter and ember points on the hand bone."""

from __future__ import annotations

import numpy as np

from ... import humanoid as hm
from .. import quat
from ..hand import grip_pose
from ..skeleton import Landmark, Skeleton
from ._vec import unit


def cigarette_landmarks(skeleton: Skeleton, side: str, style: str = "cigarette") -> dict[str, Landmark]:
    """``cigaretteFilter`` (mouth end, the lip-contact point) and ``cigaretteEmber`` (lit end) on the hand bone.

    The cigarette sits where grip ``style`` holds it, computed from this
    skeleton's own finger bones posed in the grip: for ``cigarette`` at the
    middle of the index and middle fingers' PIP joints (the proximal
    interphalangeal crease, facts §5), its axis along the palm normal with the
    filter on the palm side; for ``pinch`` between the thumb and index tips,
    its axis tilted 30° distally from the palm normal. Cigarette size: 84 mm
    long, held 28 mm from the filter, scaled by the hand's length against a
    1.65 m adult's (0.178 m) so the prop matches the hand. Offsets are in the
    hand bone's frame (= world axes at rest) and stay valid for any finger
    pose of the holding fingers (the grip is held whole-clip).
    """
    s = hm.side_sign(side + "Hand")
    rest = skeleton.rest_positions()
    hand = rest[skeleton.index(f"{side}Hand")]
    tip = skeleton.landmarks.get(f"{side}HandTip")
    hand_len = float(np.linalg.norm(np.asarray(tip.offset))) if tip else 0.178
    k = float(np.clip(hand_len / 0.178, 0.5, 1.5))
    # FK of the hand alone in the grip (hand bone at identity)
    lrot = quat.identity((len(hm.BONES),))
    for bone, q in grip_pose(side, style).items():
        lrot[hm.INDEX[bone]] = q
    grot, gpos = skeleton.fk(lrot, skeleton.offsets[0])
    palm = np.array([0.0, -1.0, 0.0])
    if style == "pinch":
        pts = []
        for finger in ("Thumb", "Index"):
            name = f"{side}{finger}Tip"
            if name in skeleton.landmarks:
                pts.append(skeleton.landmark_positions(name, grot, gpos))
            else:
                pts.append(gpos[skeleton.index(f"{side}{finger}Distal" if finger == "Index" else f"{side}ThumbDistal")])
        grip_pt = 0.5 * (pts[0] + pts[1])
        axis = unit(palm * np.cos(np.radians(30)) + np.array([s, 0.0, 0.0]) * np.sin(np.radians(30)))
    else:
        pips = [gpos[skeleton.index(f"{side}{f}Intermediate")] for f in ("Index", "Middle")]
        grip_pt = 0.5 * (pips[0] + pips[1])
        if not (skeleton.has(f"{side}IndexIntermediate") and skeleton.has(f"{side}MiddleIntermediate")):
            grip_pt = hand + np.array([s * 0.7 * hand_len, 0.0, 0.0])
        axis = palm
    # finger half-thickness below the bone line, then the filter length
    filt = grip_pt - hand + axis * (0.008 + 0.028) * k
    ember = grip_pt - hand - axis * (0.084 - 0.028 - 0.008) * k
    return {
        "cigaretteFilter": Landmark(f"{side}Hand", tuple(float(x) for x in filt)),  # type: ignore[arg-type]
        "cigaretteEmber": Landmark(f"{side}Hand", tuple(float(x) for x in ember)),  # type: ignore[arg-type]
    }
