"""confident-stance: an expansive, proud stance that still breathes, sways, shifts its weight and looks around.

Posture from ``human_motion_facts.md`` §7 (Tracy & Robins pride display: head
tilted slightly back, expanded chest, hands on hips; Carney et al. expansive
posture: limbs away from the torso, wide stance; Witkower & Tracy: the
10° chin-down variant reads as more dominant). Breathing slower and deeper,
weight shifts slow, sparse and large (issue 5: at least every 30-90 s), glances
mostly self-initiated (eyes and head together, §9). Never stiff: sway at least
that of idle-breathe. Degrees are [E] within the facts-file ranges.
"""

from __future__ import annotations

from ..engine import standing
from ..engine.gaze import GazeStyle
from ..engine.params import Param, Params, Schema
from ..engine.program import MotionMeta
from ..engine.standing.params import common_params, common_style, transition_constraints

SCHEMA = Schema(
    (
        *common_params(rate=11.0, rate_min=8.0, depth=1.4, sway=1.15, glance_interval=18.0, gesture_interval=240.0),
        Param(
            "head_style",
            "enum",
            "raised",
            "Head raised (pride display) or the intense chin-down stare with eyes up (facts §7)",
            choices=("raised", "chin_down"),
            group="Posture",
        ),
        Param(
            "intensity",
            "float",
            1.0,
            "How expansive the posture is (scales chest, head, shoulders, stance)",
            0.0,
            1.5,
            "x",
            "Posture",
        ),
        Param("head_pitch", "float", 8.0, "Head pitch up for 'raised' (facts §7: 5-15°)", 0.0, 15.0, "deg", "Posture"),
        Param(
            "chin_down", "float", 8.0, "Head pitch down for 'chin_down' (facts §7: 5-10°)", 3.0, 12.0, "deg", "Posture"
        ),
        Param("chest_up", "float", 8.0, "Thoracic extension (facts §7: 5-10°)", 0.0, 12.0, "deg", "Posture"),
        Param("shoulders_back", "float", 8.0, "Shoulder retraction (back and down)", 0.0, 15.0, "deg", "Posture"),
        Param(
            "stance_width", "float", 0.05, "Extra outward placement of each foot (wide base)", 0.0, 0.12, "m", "Posture"
        ),
        Param(
            "hands", "enum", "hips", "Hands on hips or relaxed at the sides", choices=("hips", "sides"), group="Posture"
        ),
        Param(
            "shift_interval",
            "float",
            50.0,
            "Mean time between weight shifts (issue 5: every 30-90 s)",
            30.0,
            90.0,
            "s",
            "Body",
        ),
        Param("shift_amount", "float", 1.3, "Size of a weight shift relative to idle (large)", 0.5, 1.6, "x", "Body"),
        Param("shift_duration", "float", 2.4, "Duration of one weight shift (slow)", 1.0, 4.0, "s", "Body"),
        Param(
            "enter",
            "float",
            0.0,
            "Time to bring the hands to the hips at the start (0 = start in the pose)",
            0.0,
            2.0,
            "s",
            "Transitions",
        ),
    ),
    constraints=transition_constraints(1.0),
)


def style_for(p: Params) -> standing.StandingStyle:
    k = p.intensity
    raised = p.head_style == "raised"
    c = common_style(p)
    return standing.StandingStyle(
        **c,
        chest_ext=p.chest_up * k,
        head_pitch=p.head_pitch * k if raised else -p.chin_down * k,
        eye_level=0.6 if raised else 1.0,  # chin-down: eyes up at the viewer (facts §7)
        shoulder_back=p.shoulders_back * k,
        shoulder_raise=-2.0 * k,  # shoulders down
        stance_width=p.stance_width * k,
        toe_out=9.0,
        arm_mode="hips" if p.hands == "hips" else "sides",
        arm_hang=8.0 + 6.0 * k,  # arms away from the torso (facts §7 expansive)
        enter=p.enter,
        shift_interval=p.shift_interval,
        shift_cv=0.35,  # sparse but regular enough that a shift comes at least every 30-90 s
        shift_amount=p.shift_amount,
        shift_duration=p.shift_duration,
        one_leg=0.6,
        fidget_interval=80.0,
        fidget_amp=0.014,
        # slow, large, mostly self-initiated glances: eyes and head together (facts §9)
        gaze=GazeStyle(
            interval=p.glance_interval / p.energy,
            cv=0.6,
            yaw_range=(15.0, 45.0),
            pitch_range=(-4.0, 4.0),
            hold_range=(1.5, 4.0),
            reactive_share=0.2,
        ),
        gesture_kinds=(("face_touch", 0.5), ("hip_touch", 0.5)) if p.hands == "sides" else (("face_touch", 1.0),),
        # each hand on the hips slides to another spot on the crest about every 10 s and stays there a while [E]:
        # ReActIdle's (hanging) wrists move 0.021 m/s on the hips and wander 5.4 mm in 2 s, ours on the hips with
        # their drift alone 0.007 and 2.4 mm, with these slides 0.01-0.012 and 3 mm (realism texture AUC 0.88 -> 0.79)
        resettle_interval=10.0,
        foot_give=standing.PEOPLE_FOOT_GIVE,
        # the spine leans back against less of the pelvis travel than idle-breathe's half: this stance sways and
        # shifts more, and at half its chest moved with its hips (speed correlation 0.74 against ReActIdle's 0.45);
        # at 0.35 0.62, the head on the chest 0.78 (people 0.87; realism texture AUC 0.77 -> 0.73; 0.3 and 0.4 read
        # 0.74)
        head_steady=0.35,
        sigh_gesture=0.2,
    )


class ConfidentStance(standing.StandingMotion):
    meta = MotionMeta(
        id="confident-stance",
        name="Confident stance",
        description="Expansive proud stance: chest up, head raised (or chin-down stare), shoulders back, wide base, "
        "hands on hips; slow deep breathing, slow large weight shifts and glances.",
        tags=("standing", "confident", "posture"),
        version="1",
        checks=("breathing", "sway", "blinks", "periodicity", "balance"),
        standing=True,
        targets=("leftFoot", "rightFoot", "leftHand", "rightHand"),
    )
    schema = SCHEMA
    style_for = staticmethod(style_for)


PROGRAM = ConfidentStance()
schedule = PROGRAM.schedule
