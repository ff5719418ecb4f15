"""seductive-walk: a runway (catwalk) walk blended from basic-walk by a style intensity.

The style numbers are :data:`posers_blender.engine.gait.style.RUNWAY` (facts §3):
narrow or crossing steps, more pelvic rotation and obliquity, a straighter
knee at push-off, upper arms carried back with a relaxed swing, a steady
torso and a level head with the chin slightly lowered. ``style_intensity``
blends every one of those numbers from :data:`~posers_blender.engine.gait.style.BASIC`
toward the runway values, so 0 is the basic walk and 1 the full runway style.
"""

from __future__ import annotations

from dataclasses import replace

from ..engine.gait import (
    BASIC,
    RUNWAY,
    blend_styles,
    build_walk,
    settings_from_params,
    walk_constraints,
    walk_params,
)
from ..engine.params import Schema
from ..engine.program import Context, MotionMeta, TrackProgram, Tracks

SCHEMA = Schema(
    tuple(
        walk_params(
            speed=1.2,
            width=0.0,
            width_text=(
                "Heel-centre spacing at full style intensity; negative crosses the midline "
                "(facts §3 catwalk: -0.02 to +0.02 m [E]); blended with the basic 0.09 m by style_intensity"
            ),
            style_default=1.0,
        )
    ),
    walk_constraints(lambda p: blend_styles(BASIC, RUNWAY, float(p.style_intensity))),
)


class SeductiveWalk(TrackProgram):
    meta = MotionMeta(
        id="seductive-walk",
        name="Walk (runway)",
        description="A runway walk: narrow crossing steps, swinging hips, arms carried back, level head.",
        tags=("locomotion", "walk", "style"),
        version="1",
        checks=("gait",),
        standing=False,
    )
    schema = SCHEMA

    def build(self, ctx: Context) -> Tracks:
        k = float(ctx.params.style_intensity)
        style = blend_styles(BASIC, RUNWAY, k)
        style = replace(style, step_width=(1 - k) * BASIC.step_width + k * float(ctx.params.step_width))
        settings = replace(settings_from_params(ctx.params, style), step_width=None)
        return build_walk(ctx, style, settings).tracks


PROGRAM = SeductiveWalk()
