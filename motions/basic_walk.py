"""basic-walk: a comfortable natural walk at about 1.3 m/s with planted feet.

All numbers live in :mod:`posers_blender.engine.gait.style` (facts §2); this module
only declares the parameters and hands them to the gait engine.
"""

from __future__ import annotations

from ..engine.gait import BASIC, build_walk, settings_from_params, walk_constraints, walk_params
from ..engine.params import Schema
from ..engine.program import Context, MotionMeta, TrackProgram, Tracks

SCHEMA = Schema(
    tuple(
        walk_params(
            speed=1.3,
            width=0.09,
            width_text="Heel-centre spacing between left and right steps (facts §2a: 0.09 m [0.05-0.14])",
        )
    ),
    walk_constraints(lambda p: BASIC),
)


class BasicWalk(TrackProgram):
    meta = MotionMeta(
        id="basic-walk",
        name="Walk (basic)",
        description="A comfortable natural walk: planned footsteps, planted feet, measured pelvis, trunk and arm swing.",
        tags=("locomotion", "walk"),
        version="1",
        checks=("gait",),
        standing=False,
    )
    schema = SCHEMA

    def build(self, ctx: Context) -> Tracks:
        settings = settings_from_params(ctx.params, BASIC)
        return build_walk(ctx, BASIC, settings).tracks


PROGRAM = BasicWalk()
