"""contemplative-lean: weight on one hip, one fist at the chin, the other hand across the body under that elbow.

Facts §7: "contemplative lean: elbow on hip or arm, hand at chin, head tilt
<= 10-15° roll, periodic gaze shift with head [E]"; slight thoracic flexion
(Nair 2015: slumped = thoracic flexion; contemplative here is milder). The
supporting fist is placed by IK on the avatar's ``chin`` landmark (contact
within 1 cm); slow gaze shifts with thinking pauses (gaze up and aside, long
holds); now and then a chin rub or a change of hand position. The hands reach
into the pose at the start (``enter``, 1-2 s) and, with ``leave``, back to
hanging at the end (one reach each, as every hand transport). The
optional ``wall`` variant leans the upper back on a wall behind the avatar
(a target: the wall plane ``wall_distance`` behind the heels, or the ``wall``
target's z when given).
"""

from __future__ import annotations

from ..engine import standing
from ..engine.gaze import GazeStyle
from ..engine.params import Param, Params, Schema
from ..engine.program import Context, MotionMeta
from ..engine.standing.params import common_params, common_style, transition_constraints

SCHEMA = Schema(
    (
        *common_params(rate=12.0, depth=1.1, sway=0.9, glance_interval=9.0, gesture_interval=60.0),
        Param(
            "head_tilt",
            "float",
            8.0,
            "Head roll toward the supporting hand (facts §7: <= 10-15°)",
            0.0,
            15.0,
            "deg",
            "Posture",
        ),
        Param("head_down", "float", 4.0, "Head pitch down", -5.0, 15.0, "deg", "Posture"),
        Param(
            "slump",
            "float",
            6.0,
            "Thoracic flexion (facts §7: contemplative/sad +10-20° at most)",
            0.0,
            15.0,
            "deg",
            "Posture",
        ),
        Param(
            "hip_weight",
            "float",
            1.0,
            "How fully the weight rests on one hip (free knee relaxed)",
            0.3,
            1.0,
            "x",
            "Body",
        ),
        Param(
            "shift_interval",
            "float",
            120.0,
            "Mean time between changes of the supporting hip",
            40.0,
            600.0,
            "s",
            "Body",
        ),
        Param(
            "thinking",
            "float",
            0.5,
            "Share of gaze shifts that are thinking pauses (up and aside, long holds)",
            0.0,
            1.0,
            "x",
            "Face",
        ),
        Param(
            "enter",
            "float",
            1.5,
            "Time to move into the pose at the start (issue 5: 1-2 s; 0 = start in it)",
            0.0,
            2.5,
            "s",
            "Transitions",
        ),
        Param(
            "leave",
            "float",
            0.0,
            "Time to move out of the pose at the end (0 = stay in it)",
            0.0,
            2.5,
            "s",
            "Transitions",
        ),
        Param(
            "lean",
            "enum",
            "none",
            "Lean the upper back on a wall (a target) or stand free",
            choices=("none", "wall"),
            group="Variant",
        ),
        Param(
            "wall_distance",
            "float",
            0.28,
            "Wall distance behind the heels (the 'wall' target's z wins)",
            0.15,
            0.45,
            "m",
            "Variant",
        ),
    ),
    constraints=transition_constraints(1.2, leave=True),
)


def style_for(p: Params, wall_z: float | None = None) -> standing.StandingStyle:
    side = "left" if p.handedness == "left" else "right"
    s = 1.0 if side == "left" else -1.0
    c = common_style(p)
    c["handedness"] = side
    if p.lean == "wall":
        c["sway"] = c["sway"] * 0.5  # the wall carries part of the balance
    return standing.StandingStyle(
        **c,
        chest_ext=-p.slump,
        head_pitch=-p.head_down,
        head_roll=s * p.head_tilt,
        eye_level=0.5,
        arm_mode="chin",
        head_share=0.35,  # the chin rests on the fist: the eyes do most of each gaze shift
        support_side=side,
        enter=p.enter,
        leave=p.leave,
        wall_z=(wall_z if wall_z is not None else -p.wall_distance) if p.lean == "wall" else None,
        one_leg=p.hip_weight,
        pelvis_roll=3.0,  # the hip hang: the free hip drops, its knee relaxes
        shift_interval=p.shift_interval,
        shift_cv=0.6,
        shift_duration=2.2,
        fidget_interval=70.0,
        gaze=GazeStyle(
            interval=p.glance_interval / p.energy,
            cv=0.7,
            yaw_range=(8.0, 30.0),
            pitch_range=(-10.0, 4.0),
            hold_range=(1.5, 4.0),
            reactive_share=0.15,
            thinking=p.thinking,
        ),
        gesture_kinds=(("chin_rub", 0.6), ("hand_change", 0.4)),
        gesture_cv=0.7,
        sigh_gesture=0.5,
    )


class ContemplativeLean(standing.StandingMotion):
    meta = MotionMeta(
        id="contemplative-lean",
        name="Contemplative lean",
        description="Thinking pose: weight on one hip, arm across the body under the other elbow, fist at the chin, "
        "head tilted; slow gaze shifts with thinking pauses, chin rubs; optional wall lean.",
        tags=("standing", "contemplative", "thinking"),
        version="1",
        checks=("breathing", "sway", "blinks", "periodicity", "balance", "hand-contact"),
        standing=True,
        targets=("leftFoot", "rightFoot", "leftHand", "rightHand", "wall"),
    )
    schema = SCHEMA
    style_for = staticmethod(style_for)

    def style(self, ctx: Context) -> standing.StandingStyle:
        """The style with the ``wall`` target's z as the wall plane, when given."""
        wall = ctx.target("wall")
        return style_for(ctx.params, None if wall is None else float(wall[2]))


PROGRAM = ContemplativeLean()
schedule = PROGRAM.schedule
