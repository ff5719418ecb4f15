"""idle-breathe: calm quiet standing that breathes, sways, sighs, shifts its weight, glances, blinks and
now and then touches its face.

Built on the shared standing body (:mod:`posers_blender.engine.standing`).
Numbers come from ``human_motion_facts.md`` §1 (quiet standing) and §6 (calm
face-touch rate) unless marked [E]. The event schedule is available on its own
through :func:`schedule`, so rate tests check hours of events in milliseconds.
"""

from __future__ import annotations

from ..engine import standing
from ..engine.gaze import GazeStyle
from ..engine.params import Param, Params, Schema
from ..engine.program import MotionMeta
from ..engine.standing.params import common_params, common_style

SCHEMA = Schema(
    (
        *common_params(),
        Param(
            "ie_ratio", "float", 1.5, "Exhale time divided by inhale time (facts §1: 1.5-2)", 1.2, 2.2, "x", "Breathing"
        ),
        Param(
            "sigh_interval",
            "float",
            300.0,
            "Mean time between sighs (facts §1: one every 3-7 min)",
            60.0,
            900.0,
            "s",
            "Breathing",
        ),
        Param(
            "fidget_interval",
            "float",
            55.0,
            "Mean time between postural fidgets (facts §1: every ~50-60 s)",
            20.0,
            120.0,
            "s",
            "Body",
        ),
        Param(
            "shift_interval",
            "float",
            240.0,
            "Mean time between weight shifts (facts §1: every 3-5 min)",
            60.0,
            600.0,
            "s",
            "Body",
        ),
        Param(
            "one_leg",
            "float",
            0.7,
            "How much the weight rests on one leg between shifts (0 = both legs)",
            0.0,
            1.0,
            "x",
            "Body",
        ),
        Param(
            "arm_hang",
            "float",
            11.0,
            "Upper-arm angle from vertical when hanging relaxed (ReActIdle: 3-18°, median 7° left, 11° right)",
            0.0,
            15.0,
            "deg",
            "Body",
        ),
        Param(
            "arm_shifts",
            "float",
            1.0,
            "How often a hanging arm settles into a slightly different hang, as a share of people's rate "
            "(ReActIdle: a 4-10 cm wrist move about once a minute per arm); 0 = never",
            0.0,
            3.0,
            "x",
            "Body",
        ),
        Param("finger_curl", "float", 18.0, "Relaxed finger flexion per joint", 0.0, 40.0, "deg", "Body"),
        Param("head_motion", "float", 1.0, "Head micro-movement amount", 0.0, 2.0, "x", "Face"),
    )
)


def style_for(p: Params) -> standing.StandingStyle:
    """The standing style these parameters describe."""
    c = common_style(p)
    return standing.StandingStyle(
        **c,
        ie_ratio=p.ie_ratio,
        sigh_interval=p.sigh_interval,
        fidget_interval=p.fidget_interval,
        shift_interval=p.shift_interval,
        one_leg=p.one_leg,
        arm_hang=p.arm_hang,
        arm_shifts=p.arm_shifts,
        finger_curl=p.finger_curl,
        head_motion=p.head_motion,
        # people idling carry the head forward and a little down (ReActIdle on the default avatar: neck-to-head
        # 11° forward, face 15° down; -16 here reads 11° and 15°), the chest 2° straighter than the rest pose's,
        # the elbows a little bent (ReActIdle's arm-hangers 12-18°), and stand with the ankles ~20 cm apart (3 cm
        # wider than the rest pose)
        head_pitch=-16.0,
        elbow_flex=17.0,
        chest_ext=2.0,
        stance_width=0.015,
        # facts §1: 14 s mean [E], amplitudes mostly eyes-only with some head turns (daily turns 20-60°)
        gaze=GazeStyle(interval=p.glance_interval / p.energy),
        # calm face touch every ~2-4 min (facts §6, Kwok 2015: 23/h); neck and arm touches are rarer [E]
        gesture_kinds=(("face_touch", 0.7), ("neck_touch", 0.15), ("arm_rub", 0.15)),
    )


class IdleBreathe(standing.StandingMotion):
    meta = MotionMeta(
        id="idle-breathe",
        name="Idle (breathing)",
        description="Calm standing: measured breathing, postural sway, sighs, weight shifts, glances, blinks "
        "and an occasional face touch.",
        tags=("standing", "idle", "breathing"),
        version="2",
        checks=("breathing", "sway", "blinks", "periodicity", "balance"),
        standing=True,
        targets=("leftFoot", "rightFoot", "leftHand", "rightHand"),
    )
    schema = SCHEMA
    style_for = staticmethod(style_for)


PROGRAM = IdleBreathe()
schedule = PROGRAM.schedule
