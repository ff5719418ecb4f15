"""A person's standing habits: every take draws its own posture around the motion's, within people's spread."""

from __future__ import annotations

import numpy as np
import pytest

from posers_blender import humanoid as hm
from posers_blender.engine.sampler import sample
from posers_blender.engine.standing.habit import ARM_HANG_RANGE, CLIP_SD, TOE_ASYM_SD, TOE_OUT_SD, personalise
from posers_blender.engine.standing.style import StandingStyle
from posers_blender.registry import get


def _toe_out(clip, side: str) -> float:
    """Mean turn-out of a foot (deg, + outward): heel-to-ball direction against the body's forward."""
    _, gpos = clip.fk()
    d = gpos[:, hm.INDEX[f"{side}Toes"]] - gpos[:, hm.INDEX[f"{side}Foot"]]
    out = d[:, 0] if side == "left" else -d[:, 0]
    return float(np.degrees(np.arctan2(out, d[:, 2])).mean())


def test_two_seeds_stand_as_two_people_and_one_seed_as_one() -> None:
    clips = [sample(get("idle-breathe"), {}, seed=s, fps=10, duration=4) for s in (0, 1, 2, 0)]
    turns = [(_toe_out(c, "left"), _toe_out(c, "right")) for c in clips]
    assert turns[0] == turns[3]
    assert len({round(a + b, 1) for a, b in turns[:3]}) == 3  # each person's own angle between the feet
    for left, right in turns:
        worst = CLIP_SD * (TOE_OUT_SD + TOE_ASYM_SD) + 2.0  # + the IK's and the give's share
        assert abs(left - 7.0) <= worst and abs(right - 7.0) <= worst


@pytest.mark.parametrize("seed", range(20))
def test_habits_stay_inside_peoples_spread_and_leave_designed_arms_alone(seed: int) -> None:
    rng = np.random.default_rng(seed)
    style = StandingStyle()
    mine = personalise(style, rng)
    assert abs(mine.toe_out - style.toe_out) <= CLIP_SD * TOE_OUT_SD
    assert abs(mine.toe_out_asym) <= CLIP_SD * TOE_ASYM_SD
    assert ARM_HANG_RANGE[0] <= mine.arm_hang <= ARM_HANG_RANGE[1]
    assert (mine.head_pitch, mine.support_knee, mine.elbow_flex) == (style.head_pitch, style.support_knee, 14.0)
    wide = StandingStyle(arm_hang=25.0, arm_mode="hips")
    assert personalise(wide, np.random.default_rng(seed)).arm_hang == 25.0
