"""Life over any clip: an additive layer of breathing, blinks, gaze shifts, micro-motion and weight shifts.

``add_life(clip, params, seed)`` returns the clip with the layer added; it fades out where the input moves fast,
keeps the input's foot and hand contacts and leaves masked bones as they are. See ``docs/alive.md``.
"""

from __future__ import annotations

from .layer import LIMIT_DEG, add_life, bone_mask, hold_pose
from .params import SCHEMA

__all__ = ["LIMIT_DEG", "SCHEMA", "add_life", "bone_mask", "hold_pose"]
