"""baseline-walk: the founding document's walk snippet, frozen.

Legs swing on ``sin(phase) * 0.3`` rad, arms on opposite sines, the knee bends
on the positive half of a sine, and the root glides forward at constant speed
and height. No IK, no contacts: the planted foot slides, which is exactly what
the foot-slide gate exists to catch. See :mod:`._baseline`.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine import quat
from ..engine.params import Param, Schema
from ..engine.program import Context, FrameProgram, MotionMeta, Rig
from ._baseline import FROZEN, TAGS, X, arms_down, rot


class BaselineWalk(FrameProgram):
    meta = MotionMeta(
        id="baseline-walk",
        name="Baseline: sine walk",
        description=f"{FROZEN}: sin(phase)*0.3 leg swings, sine arm swings, constant-speed root, sliding feet.",
        tags=(*TAGS, "walk"),
        version="1",
        checks=("gait",),
    )
    schema = Schema(
        (
            Param("cadence", "float", 110.0, "Steps per minute of the swing sine", 60.0, 160.0, "steps/min", "Gait"),
            Param("speed", "float", 1.25, "Constant forward speed of the root", 0.3, 2.5, "m/s", "Gait"),
        )
    )

    def update(self, rig: Rig, ctx: Context, t: float, dt: float) -> None:
        p = ctx.params
        phase = 2.0 * math.pi * (p.cadence / 120.0) * t  # one stride = two steps
        swing = math.sin(phase) * 0.3
        arms_down(rig)
        rig.set_rotation("leftUpperLeg", rot(X, -swing))
        rig.set_rotation("rightUpperLeg", rot(X, swing))
        rig.set_rotation("leftLowerLeg", rot(X, max(0.0, math.sin(phase)) * 0.5))
        rig.set_rotation("rightLowerLeg", rot(X, max(0.0, -math.sin(phase)) * 0.5))
        # arms swing opposite to the legs, about the shoulder's sideways axis
        rig.set_rotation("leftUpperArm", quat.mul(rot(X, swing * 0.7), rig.rotation("leftUpperArm")))
        rig.set_rotation("rightUpperArm", quat.mul(rot(X, -swing * 0.7), rig.rotation("rightUpperArm")))
        rig.set_hips_offset(np.array([0.0, 0.0, p.speed * t]))


PROGRAM = BaselineWalk()
