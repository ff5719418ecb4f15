"""nervous-fidget: a contracted, anxious stance that sways more, shifts often, touches itself and avoids gaze.

``nervousness`` (0 = calm idle, 1 = the measured anxious end) scales every
rate and amplitude along the directions the facts file measured (§6): sway
amplitude ×1 -> ×1.45 (Ohno: anxiety raises 0.1-1 Hz sway; [E] factor
1.3-1.6), self-touch rate ×1 -> ×2.5 (Pang 2022: self-touch rises with state
anxiety; [E] factor 2-3), postural fidgets and weight shifts every 10-30 s at
the top ([E], §6), gaze aversion with eye contact of at most 2 s (Daly 1978),
head lowered 10-20° and elbows in (facts §7 contractive). Every mapping is
monotonic in ``nervousness``.
"""

from __future__ import annotations

from ..engine import standing
from ..engine.gaze import GazeStyle
from ..engine.params import Param, Params, Schema
from ..engine.program import MotionMeta
from ..engine.standing.params import common_params, common_style

#: Factors at nervousness = 1 (facts §6 [E] ranges: sway 1.3-1.6, self-touch 2-3).
SWAY_GAIN = 0.4  # sway-layer gain at n = 1; measured COM sway (vitals.sway, robust, arm releases included) x1.52
TOUCH_GAIN = 1.5
CALM_TOUCH_INTERVAL = 150.0  # s; calm 0.4/min (facts §6, Kwok 2015: 23 face touches/hour)
#: Mean gap (s) between hand-fidget bouts at nervousness 1 (facts §6: hand fidgeting rises with anxiety, Kang
#: 2012) and between releases of the contracted arms [E]; both scale as 1/nervousness.
HAND_FIDGET_INTERVAL = 2.5
RELEASE_INTERVAL = 6.5

SCHEMA = Schema(
    (
        *common_params(gesture_interval=CALM_TOUCH_INTERVAL, glance_interval=10.0),
        Param(
            "nervousness",
            "float",
            0.8,
            "0 = calm, 1 = very anxious: scales sway (x1-1.45), self-touch rate (x1-2.5), fidget and shift rates, "
            "gaze aversion and the contracted posture",
            0.0,
            1.0,
            "x",
            "Style",
        ),
        Param(
            "contract",
            "float",
            1.0,
            "How contracted the posture is (elbows in, shoulders up, head down)",
            0.0,
            1.5,
            "x",
            "Posture",
        ),
        Param(
            "head_down",
            "float",
            14.0,
            "Head pitch down at full nervousness (facts §7: 10-20°)",
            0.0,
            20.0,
            "deg",
            "Posture",
        ),
        Param(
            "aversion",
            "float",
            0.7,
            "Share of glances that are brief eye contact from an averted gaze",
            0.0,
            1.0,
            "x",
            "Face",
        ),
    )
)


def style_for(p: Params) -> standing.StandingStyle:
    n = p.nervousness
    k = p.contract * n
    c = common_style(p)
    c["sway"] = c["sway"] * (1.0 + SWAY_GAIN * n)
    c["gesture_interval"] = p.gesture_interval / (1.0 + TOUCH_GAIN * n)
    c["gesture_speed"] = p.energy * (1.0 + 0.4 * n)  # shorter, more frequent touches (facts §6) [E]
    c["breath_rate"] = min(p.rate * (1.0 + 0.2 * n), 20.0)  # anxious breathing is faster [E]
    c["blink_rate"] = min(p.blink_rate * (1.0 + 0.4 * n), 25.0)  # [E]
    return standing.StandingStyle(
        **c,
        chest_ext=-6.0 * k,  # slumped a little (facts §7 contractive)
        head_pitch=-p.head_down * k,
        eye_level=0.3,
        shoulder_raise=6.0 * k,
        shoulder_back=-6.0 * k,  # rounded forward
        stance_width=-0.015 * k,
        toe_out=5.0,
        foot_give=standing.PEOPLE_FOOT_GIVE * (1.0 + SWAY_GAIN * n),  # the give follows the changing load
        arm_mode="contract" if k > 0.25 else "sides",
        sway_freq=1.0 + 0.25 * n,  # anxiety raises the 0.1-1 Hz band (facts §6)
        fidget_interval=55.0 / (1.0 + 2.7 * n),  # calm ~55 s -> ~15 s (facts §6 [E]: 10-30 s)
        fidget_cv=0.5,
        fidget_amp=0.011,
        shift_interval=240.0 / (1.0 + 15.0 * n),  # calm 4 min -> 15 s (facts §6 [E]: 10-30 s)
        shift_cv=0.6,
        shift_amount=1.0 - 0.5 * n,  # restless: frequent but smaller shifts [E]
        shift_duration=1.6 / (1.0 + 0.4 * n),
        one_leg=0.6,
        gaze=GazeStyle(
            interval=p.glance_interval / (1.0 + 2.0 * n) / p.energy,  # frequent short aversions (facts §6)
            cv=0.9,
            rest_pitch=-12.0 * n * p.aversion,
            rest_yaw=8.0 * n * p.aversion,
            aversion=p.aversion * n,
            contact_hold=1.0,
            hold_range=(0.4, 1.5),
            reactive_share=0.7,
        ),
        gesture_kinds=(("face_touch", 0.35), ("neck_touch", 0.2), ("arm_rub", 0.2), ("hand_wring", 0.25)),
        gesture_cv=0.7,
        sigh_gesture=0.6,
        spontaneous_blinks=0.3,  # most blinks come with the frequent glances (facts §1 band 8-21/min)
        hand_fidget_interval=HAND_FIDGET_INTERVAL / n if n > 0 else 0.0,
        release_interval=RELEASE_INTERVAL / n if n > 0 else 0.0,
    )


class NervousFidget(standing.StandingMotion):
    meta = MotionMeta(
        id="nervous-fidget",
        name="Nervous fidget",
        description="Anxious standing: contracted posture, larger faster sway, frequent weight shifts, self-touch "
        "(face, neck, arm, hand wringing) and gaze aversion, scaled by 'nervousness'.",
        tags=("standing", "nervous", "fidget"),
        version="1",
        checks=("breathing", "sway-nervous", "blinks", "periodicity", "balance"),
        standing=True,
        targets=("leftFoot", "rightFoot", "leftHand", "rightHand"),
    )
    schema = SCHEMA
    style_for = staticmethod(style_for)


PROGRAM = NervousFidget()
schedule = PROGRAM.schedule
