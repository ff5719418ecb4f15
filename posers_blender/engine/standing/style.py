"""Who is standing: :class:`StandingStyle` (posture, rates, amplitudes, arm mode) and the gesture kinds.

Every stage of the standing body reads the style; constants that two stages share live here.
Numbers cite ``human_motion_facts.md`` (§1 standing, §4 reaching, §6 fidgeting, §7 postures);
[E] marks estimates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..gaze import GazeStyle

#: (side, sign): the avatar's left is +X.
SIDES = (("left", 1.0), ("right", -1.0))

#: Arm modes held as the arm's home pose (entered and left by a reach), and the self-touch gesture kinds (facts
#: §6 menu), each of which emits a marker of its name.
HELD_POSES = ("hips", "contract", "chin", "support")
SELF_TOUCH = ("face_touch", "neck_touch", "arm_rub", "hand_wring")
#: The gesture that lets a held arm pose go for a while (the arm hangs, then returns to its home).
RELEASE = "release"
#: A held hand on the hips moved to another spot on the crest and held there (:attr:`StandingStyle.resettle_interval`).
RESETTLE = "hip_resettle"
#: Hand-fidget kinds and their default shares: finger drumming, the thumb rubbing along the index, the index and
#: thumb picking at each other, the fingertips rubbing the thumb [E].
HAND_FIDGETS: tuple[tuple[str, float], ...] = (("drum", 0.3), ("thumb", 0.3), ("pick", 0.2), ("rub", 0.2))
#: A planted ankle's give (m RMS per axis, :attr:`StandingStyle.foot_give`) that reads as the people's: ReActIdle's
#: planted ankles move 3.9-4.0 mm/s (realism slip features), ours at the default 0.25 mm 3.0-3.1 and at this
#: 3.6-3.8 (the slide gate's 2 mm still holds: the give is held inside 3 RMS). It is the default: idle-breathe at
#: 0.25 mm read 0.664 on the realism check and at this 0.648 (seeds 0-8: 0.730 -> 0.713), its two ankles' speeds on
#: the hips tied closer together than people's. A sway scaled up (nervous-fidget) scales it too, the give following
#: the changing load.
PEOPLE_FOOT_GIVE = 0.00033


@dataclass(frozen=True)
class GestureSpec:
    """Timing ranges of one gesture kind (s); ``strokes`` rubbing strokes during the hold (min, max)."""

    rise: tuple[float, float]
    hold: tuple[float, float]
    fall: tuple[float, float]
    strokes: tuple[int, int] = (0, 0)


# Facts §4: hand-to-face transport about 0.8-1.0 s, away 0.9-1.4 s; B10 contact hold 1-5 s [E].
GESTURES: dict[str, GestureSpec] = {
    "face_touch": GestureSpec((0.7, 1.0), (1.0, 4.0), (0.8, 1.3)),
    "neck_touch": GestureSpec((0.8, 1.1), (1.0, 3.5), (0.9, 1.3), (0, 3)),
    "arm_rub": GestureSpec((0.6, 0.9), (1.2, 3.5), (0.8, 1.2), (2, 5)),
    "hand_wring": GestureSpec((0.6, 0.9), (1.5, 4.5), (0.8, 1.2), (2, 6)),
    "hip_touch": GestureSpec((0.7, 1.0), (2.0, 6.0), (0.9, 1.3)),
    # the hand that holds the chin rubs in place (the rise only delays the strokes); the other hand travels from
    # under the elbow to the chin and closes its fist on the way, a hand-to-face transport (at 0.3-0.5 s its
    # fingers closed 45° at up to 360°/s: joint_speed_p99 failed in short clips)
    "chin_rub": GestureSpec((0.7, 1.0), (1.5, 4.0), (0.8, 1.3), (2, 4)),
    "hand_change": GestureSpec((0.8, 1.2), (4.0, 12.0), (0.8, 1.2)),
    # the held arm dropped to hang and brought back (its hold is drawn from the style's release_hold)
    RELEASE: GestureSpec((0.7, 1.0), (2.0, 6.0), (0.8, 1.2)),
    # a 2-3 cm slide of the hand on the hip [E]
    RESETTLE: GestureSpec((0.4, 0.7), (3.0, 12.0), (0.4, 0.7)),
}


@dataclass(frozen=True)
class StandingStyle:
    """Everything that distinguishes one standing motion from another.

    Angles in degrees, lengths in metres for a 1.65 m avatar (scaled by leg
    length), times in seconds, rates per minute.
    """

    # posture (facts §7)
    chest_ext: float = 0.0  # thoracic extension (+ chest up), spread over spine/chest/upperChest
    head_pitch: float = 0.0  # + head up
    head_roll: float = 0.0  # + toward the avatar's left shoulder
    shoulder_raise: float = 0.0  # clavicle elevation
    shoulder_back: float = 0.0  # clavicle retraction (+ back, - rounded forward)
    stance_width: float = 0.0  # extra outward placement of each foot (m)
    # the hip joints ahead of the ankles (m): people stand leaning forward from the ankles, the body's mass ahead of
    # them (ReActIdle on the default avatar: hip joints 4-12 cm ahead of the ankle midpoint, median 9 cm; the head
    # 2-10 cm); with the hips over the ankles the hips stood 5 mm higher than anyone's and the head behind the heels
    hips_ahead: float = 0.08
    toe_out: float = 7.0  # facts §1: about 14° between the feet
    # knee bend of the straighter (support) leg; the hips height follows from it. ReActIdle's knees bend 4.5-14°
    # (median 7.4°, both legs); 2° here reads 9.9° (the free knee bends more)
    support_knee: float = 2.0
    arm_mode: str = "sides"  # sides | hips | contract | chin
    arm_hang: float = 8.0  # upper-arm angle out from vertical (sides)
    arm_forward: float = 2.0  # upper-arm flexion (sides): reads 4.4° on the trunk's posture (ReActIdle 4.7-6.3°)
    # upper-arm internal rotation (sides): the bent elbow carries the hand in front of the thigh (ReActIdle's
    # wrists hang 23 cm beside and 6 cm ahead of the hips' centre; realism check)
    arm_twist: float = 35.0
    elbow_flex: float = 14.0
    finger_curl: float = 18.0
    support_side: str = "right"  # arm_mode chin: which hand holds the chin
    # breathing (facts §1)
    breath_rate: float = 14.0
    ie_ratio: float = 1.5
    breath_depth: float = 1.0
    sigh_interval: float = 300.0
    # sway (facts §1; anxiety §6)
    sway: float = 1.0  # 1 = AP RMS ~4 mm, ML ~2.5 mm
    sway_freq: float = 1.0  # scales the sway component frequencies
    # micro-motion fitted from people standing (fitted_stats.md; 1 = the ReActIdle people, livelier than lab
    # quiet stance): pelvis, trunk, head and arms; the pelvis travel has its own scale against the sway bands
    # (micro 0.3 and micro_arms 0.25: the realism check against ReActIdle, leave one person out, is lowest near
    # them, 0.74 against 0.80 with both at 0.4 on this posture: the gaze shifts, fidgets, gestures and breathing on
    # top already bring the head and wrists to the people's speeds; the wrists hanging at 0.4 wandered 10 mm
    # against the people's 5)
    micro: float = 0.3
    micro_sway: float = 0.25
    micro_arms: float = 0.25
    # share of the pelvis sway travel the spine leans back against (a hip strategy keeping the head over one
    # spot): all of it ties the chest's and head's motion on the hips to the hips' (speed correlation 0.82 vs
    # ReActIdle's 0.45-0.47), none unties the head from the chest (0.5 vs 0.87); half read 0.68 and 0.69. With the
    # arms' follow-through at ARM_FOLLOW_GAIN 2, 0.4 is where the realism check is lowest (idle-breathe seeds 0-2:
    # 0.683 against 0.701 at 0.5; seeds 0-8 0.750 against 0.771): chest on hips 0.51-0.75 per seed (people
    # 0.31-0.57), head with chest 0.74-0.83 (people 0.80-0.93)
    head_steady: float = 0.4
    foot_give: float = PEOPLE_FOOT_GIVE  # m RMS per axis: a planted ankle's give under the changing load
    # postural fidgets and weight shifts (facts §1, Duarte & Zatsiorsky 2000)
    fidget_interval: float = 55.0
    fidget_cv: float = 0.45  # Duarte: 59 ± 15 s across people; within a person less regular [E]
    fidget_amp: float = 0.011
    shift_interval: float = 240.0
    shift_cv: float = 0.7
    shift_amount: float = 1.0  # 1 = full shift over one leg (pelvis 22 mm ML, facts §1)
    shift_duration: float = 1.6
    one_leg: float = 0.8  # 0 = weight on both legs, 1 = fully on one leg between shifts
    # deg per unit weight: the pelvis rolls up on the support side; the fitted weight shifts roll it about 19° per
    # metre of lateral travel (fitted_stats.md prototypes), 0.4° over the 22 mm of a full shift; a hip-hang
    # posture (contemplative lean) drops the free hip further [E]
    pelvis_roll: float = 0.4
    # gaze and blinks
    gaze: GazeStyle = field(default_factory=GazeStyle)
    blink_rate: float = 15.0
    # the share of blink_rate that stays spontaneous however many blinks the glances bring (a frequent glancer
    # gets most of its blinks from its glances)
    spontaneous_blinks: float = 0.6
    head_motion: float = 1.0
    head_share: float = 1.0  # scales the head's part of gaze shifts (a chin resting on a hand turns less)
    eye_level: float = 0.7  # share of the posture's head pitch the eyes undo (1 = eyes level; chin-down stare)
    # gestures (facts §6 / metrics B10: calm 0.2-0.8 self-touches per minute)
    gesture_interval: float = 150.0
    gesture_cv: float = 0.8
    gesture_kinds: tuple[tuple[str, float], ...] = (("face_touch", 0.6), ("neck_touch", 0.2), ("arm_rub", 0.2))
    gesture_speed: float = 1.0  # >1 faster and shorter
    handedness: str = "right"  # preferred hand: left | right | both
    # hand fidgets between the self-touches (facts §6 "hand fidgeting" correlates with anxiety, Kang 2012): bouts
    # of finger drumming, thumb rubbing, picking and finger rubbing at the hands' place, from a renewal process
    # [E]; 0 = none
    hand_fidget_interval: float = 0.0
    hand_fidget_cv: float = 0.7
    hand_fidget_duration: tuple[float, float] = (0.8, 3.0)
    hand_fidget_kinds: tuple[tuple[str, float], ...] = HAND_FIDGETS
    # a held arm pose (arm_mode) let go now and then: the arm drops to hang for ``release_hold`` s, one arm at a
    # time, so the arms are not held the whole clip [E]; 0 = never
    release_interval: float = 0.0
    release_hold: tuple[float, float] = (2.0, 6.0)
    # hands held on the hips slide to another spot on the crest now and then and stay there a while (a renewal
    # process per hand, mean gap s) [E]; 0 = never
    resettle_interval: float = 0.0
    sigh_gesture: float = 0.4  # chance that a sigh starts a fidget or gesture
    # proximal-to-distal lags (facts §4: 20-60 ms per joint [E]) and the anticipatory shift (APA)
    shoulder_lead: float = 0.03
    elbow_lag: float = 0.07
    wrist_lag: float = 0.12
    finger_lag: float = 0.12
    # facts §4: the pelvis shifts 30-80 ms before the hand leaves, the postural muscles 31-37 ms before the arm's
    # prime mover (the shoulder, which leads the hand by shoulder_lead): 65 ms keeps both
    apa_lead: float = 0.065
    apa_amp: float = 0.005  # facts §4: 2-10 mm [E]
    # transitions into and out of the held arm pose (arm_mode chin / hips)
    enter: float = 0.0  # s; 0 = start in the pose
    leave: float = 0.0
    # lean the upper back on a wall: the wall plane's z (m, normalised space; None = no wall)
    wall_z: float | None = None
    # the hanging arms re-placed now and then: a share of the fitted rate of people's small arm moves (1 = the
    # ReActIdle people's; schedule.ARM_SHIFT_MAX_M); 0 = never
    arm_shifts: float = 0.0
    # layer weights
    breathing_weight: float = 1.0
    sway_weight: float = 1.0
    gesture_weight: float = 1.0
    gaze_weight: float = 1.0
