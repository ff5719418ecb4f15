"""A person's standing habits: the small posture differences between people, drawn once per take.

People do not stand alike. Across the four ReActIdle people (``../shared/data/bvh/idle``, two takes each,
retargeted to the default avatar; ``docs/fitted_stats.md``) the feet point from 6° in to 11° out, the upper arms
hang 6-14° from the body, while every seed of a
motion used to stand exactly alike. :func:`personalise` moves a style's posture fields by one draw per take
from those between-person spreads, around the style's own values (the motion's character stays in charge: a
confident stance keeps its wider, prouder posture, and a held arm pose is not touched), so two seeds are two
people standing, not the same person twice. ``arm_hang`` is only varied where the style hangs the arms
within :data:`ARM_HANG_RANGE`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .style import StandingStyle

#: Between-person standard deviations (deg), from the per-person medians of the ReActIdle takes (the realism
#: check's pose features: ``scripts/realism_survey.py``), rounded down where four people give a loose estimate:
#: foot turn-out SD 4.0-6.8° (a common part and a left/right difference), upper arm out 2.3-3.0°. Left alone:
#: the face pitch (4.5°: every motion designs its head posture inside a facts §7 band, which the draws broke),
#: the arm's forward angle (6.5°, one person's 15.5° carries most of it) and the knees (3.4-3.8°), which the
#: hanging-arm band and the lean's designed hip hang would not hold, and the elbows: two of the four people clasp
#: their hands in front (elbows 65-71°), a different arm pose, not a habit of the hanging arm.
TOE_OUT_SD = 4.0
TOE_ASYM_SD = 2.5
ARM_OUT_SD = 2.5
#: A draw never goes beyond this many SDs (no one stands with a foot turned 20° in).
CLIP_SD = 2.0
#: The hanging upper arm's sideways angle stays within these (deg), so with its micro-motion it keeps the
#: hanging-arm band (within 15° of vertical, tests/motions/test_idle_breathe.py).
ARM_HANG_RANGE = (5.0, 9.5)


def personalise(style: StandingStyle, rng: np.random.Generator) -> StandingStyle:
    """``style`` with its posture moved by one person's habits, drawn from ``rng`` (the take's ``habit`` stream)."""

    def draw(sd: float) -> float:
        return float(np.clip(rng.standard_normal(), -CLIP_SD, CLIP_SD)) * sd

    toe, asym = draw(TOE_OUT_SD), draw(TOE_ASYM_SD)
    arm_out = draw(ARM_OUT_SD)
    lo, hi = ARM_HANG_RANGE
    hang = style.arm_hang if not lo <= style.arm_hang <= hi else float(np.clip(style.arm_hang + arm_out, lo, hi))
    return replace(
        style,
        toe_out=style.toe_out + toe,
        toe_out_asym=style.toe_out_asym + asym,
        arm_hang=hang,
    )
