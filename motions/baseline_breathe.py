"""baseline-breathe: the founding document's breathing snippet, frozen (chest sines of 0.02 and 0.03 rad).

Naive on purpose: one clock-perfect sine per joint, no inhale/exhale asymmetry,
no rate variability, no sway, no blinks. See :mod:`._baseline`.
"""

from __future__ import annotations

import math

from ..engine.params import Param, Schema
from ..engine.program import Context, FrameProgram, MotionMeta, Rig
from ._baseline import FROZEN, TAGS, X, arms_down, rot


class BaselineBreathe(FrameProgram):
    meta = MotionMeta(
        id="baseline-breathe",
        name="Baseline: breathing sines",
        description=f"{FROZEN}: chest and upper chest rock on 0.02/0.03 rad sines.",
        tags=(*TAGS, "standing", "breathing"),
        version="1",
        checks=("breathing", "periodicity"),
        standing=True,
    )
    schema = Schema(
        (Param("rate", "float", 15.0, "Breaths per minute of the sine", 6.0, 30.0, "1/min", "Breathing"),),
    )

    def update(self, rig: Rig, ctx: Context, t: float, dt: float) -> None:
        phase = 2.0 * math.pi * ctx.params.rate / 60.0 * t
        arms_down(rig)
        rig.set_rotation("chest", rot(X, -0.02 * math.sin(phase)))
        rig.set_rotation("upperChest", rot(X, -0.03 * math.sin(phase)))


PROGRAM = BaselineBreathe()
