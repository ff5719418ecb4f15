"""Walk style and settings: every style number (:class:`GaitStyle`, :data:`BASIC`, :data:`RUNWAY`), the
user-level settings (:class:`GaitSettings`), the parameters every walk motion declares, and the foot and knee
angles the footstep replans keep (shared by the plan and the orchestrator's replan).

Numbers come from ``human_motion_facts.md`` §2 (normal gait) and §3 (stylised walking); each default cites
its row. Lengths are given for the 1.65 m default avatar and scaled by ``Skeleton.leg_ratio``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np

from ..params import Constraint, Param, ParamError, Params

#: the two feet with the sign of their side (+1 left, -1 right), in the order every stage runs them
SIDES = (("left", 1.0), ("right", -1.0))

# Foot and knee angles the replans keep (facts §8 ankle range; see walk.build_walk)
HEEL_RISE_DORSIFLEXION = 15.0  # degrees: the heel rises before the ankle reaches its 20° limit (facts §8)
RISE_DORSIFLEXION = 22.0  # degrees the ankle may reach while the heel rises (facts §8: 20°; the suite allows +5°)
LANDING_DORSIFLEXION = 23.0  # degrees: the ankle at heel strike stays inside its range (facts §8: 20°, +5° tolerance)
MIN_DOUBLE_SUPPORT = 0.06  # s both feet stay down when toe off comes sooner [E]
KNEE_PUSHOFF_DIP = 4.0  # degrees the trailing knee may straighten in late stance before toe off comes sooner [E]


@dataclass(frozen=True)
class GaitStyle:
    """Every style number of a walk; :func:`blend_styles` interpolates two styles field by field.

    Lengths in metres for the 1.65 m avatar, angles in degrees, fractions of the stride.
    """

    cadence_factor: float = 1.0  # x the automatic cadence (facts §2a: 110 spm at 1.3 m/s)
    # how far above the automatic cadence a set cadence may go (share; below it, CADENCE_SPAN)
    cadence_up: float = 0.15
    step_width: float = 0.09  # heel-centre spacing, facts §2a step width 0.09 m [0.05-0.14]
    step_width_sd: float = 0.012  # step-to-step width jitter [E]
    # foot progression angle; facts §1 gives 14° between the feet standing. The CMU walkers' feet turn out 8.9°
    # (mean of the two feet, median of the 8 CMU development walks retargeted on the default avatar, realism
    # survey; the right foot reads 15°, the left 1°, a split we take for a retarget offset, so the mean is
    # used); 6° read 3-6°, 9° reads 8.9°
    toe_out: float = 9.0
    stance: float = 0.58  # facts §2a stance 60% [57-64]: 58% planned reads ~62% by the suite's 3 cm contact rule
    foot_flat: float = 0.08  # facts §2b ankle: foot flat at about 5-8 %GC
    heel_off: float = 0.30  # heel rise in terminal stance [R: 30-40 %GC]
    # shape of the heel rise after heel off (w^power; higher = later and faster) [D]. The heel of a walker
    # rises because the straight leg rolls over the forefoot: knee near full extension at ~40 %GC, ~20° at
    # 50 %GC (facts §2b). 1.4 rose too early, so the trailing knee bent to a 38-44° hump at 50 %GC, straightened
    # again at toe off and only then flexed into swing; 2.5 gives 22° at 50 %GC and one smooth flexion.
    # (Steep rises need the toe rocker below, ``toe_bend``: without it the toes outran the 600°/s gate.)
    heel_rise_power: float = 2.5
    # fraction of a step after heel strike when the ankle is under the pelvis [D]: the hip lies nearer the
    # leading ankle in double support (facts §2b: hip 20-30° flexed at IC, 10-20° extended at 50-55 %GC);
    # 0.5 (centred) gave 33° at IC, 47° in late swing and only 7° of extension; 0.45 popped the knee at
    # toe off (pose jump over the gate)
    midstance: float = 0.47
    heel_landing_speed: float = 0.25  # m/s the heel is still moving down as it touches the floor [E]
    heel_strike_pitch: float = 17.0  # foot toe-up angle at contact (ankle 0° with the shank inclined ~17°) [D]
    # MTP extension the toes saturate at before the forefoot turns about the toe tip (facts §8: MTP
    # extension 70-80° is the passive limit) [E]. The toe rocker keeps the toes' speed down when the heel
    # rises late and fast, and lifts the ankle a little more for the same foot pitch.
    toe_bend: float = 60.0
    # foot heel-up angle at toe off [D]: with the toe rocker, 50° puts the knee at ~35° at toe off (facts §2b
    # 35-40°); 54° over-bent it and popped the knee (pose jump 28 mm), 48° left it at ~31°
    toe_off_pitch: float = 50.0
    knee_contact: float = 4.0  # facts §2b knee at IC 0-5°
    knee_loading: float = 12.0  # facts §2b loading-response peak 15-20° at 12-15 %GC
    knee_midstance: float = 5.0  # facts §2b near full extension at about 40 %GC
    # the least flexion the pelvis leaves the trailing knee at toe off (facts §2b: 35-40° at toe off; the
    # roll bends it that far in a normal step, this bounds the pelvis where a replanned roll runs short) [E].
    # The straighter the knee as the swing lifts the ankle, the harder the knee is thrown: at 120 fps the
    # knee's velocity jump at toe off read 0.3 m/s at 30°, 0.5 at 20° and 0.65 at 16° (the gate: 0.67). 15°
    # failed 12 of 100 drawn 1.25-1.4 m/s walks at 60/120 fps (toe-off knee pops), 22° 2, 26° none.
    knee_toe_off: float = 26.0
    swing_height: float = 0.045  # ankle lift over the straight swing path, m [E, tuned to the 60-70° knee peak]
    # descent of the swing foot ahead of a symmetric path at mid swing, x swing [E]: the foot comes down
    # early so terminal swing is mostly the knee extending (hip 36.6° at 87 %GC; 0.14 gave 35.4° but knee
    # pose jumps of 28 mm at 30 fps)
    swing_drop: float = 0.12
    swing_point: float = 0.0  # extra heel-up pitch of the foot at mid swing, degrees [E]
    swing_peak: float = 0.22  # fraction of the swing at which the clearance lift peaks (knee peak ~75 %GC) [E]
    pelvis_rotation: float = 4.0  # ± degrees, facts §2c pelvic rotation ±4°
    pelvis_obliquity: float = 4.0  # ± degrees, facts §2c obliquity 8° total
    pelvis_tilt: float = 1.5  # ± degrees at 2x stride frequency, facts §2c
    # static anterior tilt of the pelvis bone [E]. Hip angles are measured against the pelvis, so a static
    # tilt shifts the whole hip curve toward flexion: 3° put IC at 31° and late swing at 40° (facts §2b
    # 20-30° and 30-35°); the trunk is counter-tilted either way.
    pelvis_forward_tilt: float = -1.0
    # peak-to-peak pelvis shift toward the stance foot at 1.3 m/s, facts §2c 4 cm [2.5-7]: the CMU walkers' hips
    # shift 5.3 cm at about 1.1 m/s (motion_stats.json pelvis_waves, lateral fundamental 0.0264 m, CMU
    # subjects 02, 16, 32, 35), 4.8 cm at 1.3 m/s by the walk's own speed scaling (pelvis.pelvis_sway)
    lateral_shift: float = 0.048
    # x the vertical excursion the legs give (facts §2c 3 cm [2-5]): the full excursion lets the stance knee
    # straighten to ~11° at 37 %GC (facts §2b: near full extension at ~40 %GC); 0.8 kept it at 17°
    bob_scale: float = 1.0
    # where in double support the pelvis is lowest (facts §2c: lowest in double support), 0 = heel strike,
    # 1 = toe off [E]. Later lows bend the landing knee more in loading response; earlier lows let the
    # pelvis rise under the trailing leg before its toe off, which straightens that knee just before swing
    # flexes it (a knee pop when the push-off is short, as in the runway style). 0.1: 24 mm pose jump at
    # 30 fps vs 25 at 0 and 23.5 at 0.25 (where the hip's extension peak moves to 60 %GC, the band's edge).
    pelvis_low: float = 0.1
    thorax_counter: float = 0.8  # thorax yaw in space / pelvis yaw, antiphase (facts §2c thorax ±3-5°)
    shoulder_roll_keep: float = 0.35  # share of pelvic obliquity left at the shoulders [E]
    # forward lean of the trunk, degrees: the CMU walkers' upper chest pitches 2.2° forward in the world (the mean
    # trunkPitch curve, motion_stats.json mean_curves, CMU subjects 02, 16, 32, 35); 2° reads 1.9°. (Their
    # hips-to-neck line leans 3.3° further forward than ours, realism survey: a rounder back, not a leaning
    # chest; 6.5° here matched that line but pitched the chest 6.4° and, the arms hanging from it, swung them
    # 4.5° back in the world.)
    trunk_lean: float = 2.0
    # total shoulder arc, facts §2c 30° [20-45]: the CMU walkers swing 15.5° (left) and 12.5° (right), median range
    # per stride at about 1.1 m/s (motion_stats.json arm_swing, CMU subjects 02, 16, 32, 35), so the band's floor.
    # 30° swung the wrists 0.72 m/s relative to the hips where the CMU walkers' move 0.26-0.48 (realism survey)
    arm_arc: float = 20.0
    # centre of the arc, negative = behind (facts §2c +10/-20 [E on the split]): the CMU mean shoulder curves
    # centre at -2.9° (left) and -1.3° (right) from the trunk's vertical (motion_stats.json mean_curves, CMU
    # subjects 02, 16, 32, 35); -5 carried the wrists 1 cm forward of the hips where the CMU walkers carry them
    # 5.5 cm forward (realism survey, the development walks)
    arm_bias: float = -2.0
    arm_abduction: float = 7.0  # upper arm away from the body so hands clear the hips [E]
    arm_halflife: float = 0.05  # spring half-life of the arm follow-through, s [E]
    # facts §2c elbow 10-40° flexion, peaking with the forward swing; the CMU mean elbow curves run 16-43°
    # (left) and 19-38° (right), mean 28.5°, near-sinusoids (motion_stats.json mean_curves, CMU subjects 02, 16,
    # 32, 35): at 14° + 18° on the forward half of the swing only, ours read 20° mean (realism survey), the wrists
    # 3 cm lower than the CMU walkers'. The elbow now follows the whole swing (upper_body.arms): 16° with the arm
    # back, 40° forward, 28° mean
    elbow_base: float = 16.0
    elbow_forward: float = 24.0  # flexion added from the backmost to the foremost arm (peaks with the forward swing)
    clavicle_retract: float = 0.0  # shoulder blades drawn back, degrees [E]
    head_pitch: float = 0.0  # chin down, degrees (facts §3 runway 3-8° [E])
    # the neck drawn back (extended) under a head that keeps its pitch in space, degrees: the CMU walkers carry
    # the head 3° behind the neck (neck-to-head line from the vertical, median of the 8 CMU development walks
    # retargeted on the default avatar, realism survey), ours was 6.6° ahead of it (the avatar's rest neck
    # leans 5° forward); 9.5° reads 2.9-3.1° behind
    neck_extension: float = 9.5
    head_residual: float = 1.0  # ± degrees of head wobble left after stabilisation (facts §2c ≤2-3°)
    look_ahead: float = 0.8  # s the head leads the path on turns, facts §2c 0.5-1 s


#: Facts §2: a comfortable natural walk.
BASIC = GaitStyle()

#: Facts §3, runway/catwalk: narrow or crossing steps (−2..+2 cm), pelvic rotation ±6-8°, obliquity
#: ×1.25-1.5, knee near full extension at push-off, upper arm pulled back, head level and slightly down
#: (3-8°), steadier torso and head in the frontal plane, step length −5-10 % with a higher cadence.
RUNWAY = GaitStyle(
    cadence_factor=1.07,
    # the runway's near-straight push-off knee takes no faster steps: at 60/120 fps 1.05-1.15x the automatic
    # cadence failed 1-7 of 8 takes at 1.2-1.4 m/s (knee velocity jump at toe off); at 1.0x none did
    cadence_up=0.0,
    step_width=0.0,
    step_width_sd=0.008,
    toe_out=2.0,
    heel_off=0.34,
    heel_rise_power=2.2,
    heel_strike_pitch=15.0,
    # the foot is placed, not dropped: 0.25 m/s (basic) jerked the landing knee past the pose-jump gate on
    # some short runway steps (28.4 mm at 30 fps); 0.15 gives 19-23 mm (basic's own knee prefers 0.25)
    heel_landing_speed=0.15,
    # a short push-off: the knee ~10° straighter than basic at toe off (B11 >= 5°); 30° popped the knee as
    # swing began (pose jump 35-47 mm at 30 fps)
    toe_off_pitch=34.0,
    knee_contact=2.0,
    knee_loading=12.0,
    knee_midstance=3.0,
    swing_height=0.07,
    swing_drop=0.07,  # the straighter push-off leaves less time to lift: basic's 0.12 / 0.22 popped the knee
    swing_peak=0.3,
    # the short push-off leaves the swing foot toes-up against the 19° dorsiflexion cap through mid swing;
    # carried pointed it is 2-8° from neutral (28° pointed popped the knee: the toes need more lift)
    swing_point=20.0,
    pelvis_rotation=7.0,
    pelvis_obliquity=5.8,
    pelvis_tilt=1.8,
    lateral_shift=0.03,
    # lowest at heel strike: the landing knee bends ~17-21° in loading, not ~31° (0.6 with 0.85 bob)
    pelvis_low=0.0,
    midstance=0.48,  # 0.47 (basic) popped the knee at the short runway push-off; 0.5 bent it as much as basic's
    thorax_counter=1.0,
    shoulder_roll_keep=0.12,
    trunk_lean=0.5,
    arm_arc=28.0,
    arm_bias=-12.0,
    arm_abduction=9.0,
    arm_halflife=0.07,
    elbow_base=10.0,
    elbow_forward=14.0,
    clavicle_retract=5.0,
    head_pitch=5.0,
    head_residual=0.6,
)


def blend_styles(a: GaitStyle, b: GaitStyle, k: float) -> GaitStyle:
    """Field-by-field linear blend ``a + k (b - a)``, ``k`` in [0, 1]."""
    k = float(np.clip(k, 0.0, 1.0))
    return GaitStyle(**{f.name: (1 - k) * getattr(a, f.name) + k * getattr(b, f.name) for f in fields(GaitStyle)})


@dataclass(frozen=True)
class GaitSettings:
    """User-level walking settings (the motions' parameters).

    ``speed`` m/s for the 1.65 m avatar; ``cadence`` steps/min (0 = automatic
    from speed); ``step_width`` m (None = the style's); ``path`` one of
    ``straight``, ``turn``, ``arc``, ``target``.
    """

    speed: float = 1.3
    cadence: float = 0.0
    step_width: float | None = None
    arm_swing: float = 1.0
    path: str = "straight"
    turn_angle: float = 90.0  # degrees, positive = left
    turn_radius: float = 1.0  # m
    target: tuple[float, float] = (0.0, 6.0)  # floor (x, z), m
    in_place: bool = False
    start: bool = True
    stop: bool = True
    stride_cv: float = 2.0  # %


#: share of the automatic cadence a set cadence may differ by (steps that long or short for the speed break the
#: legs: 0.8x and 1.25x failed the pose-jump and ankle-range gates, and 9-70 steps/min at 1.4-1.8 m/s broke the
#: walk entirely)
CADENCE_SPAN = 0.15
#: the fastest walk every gate passes at 24-120 fps (above, the swing knee fails the jerk and speed gates)
MAX_SPEED = 1.4


def auto_cadence(speed: float, style: GaitStyle) -> float:
    """Steps/min of a 1.65 m adult at ``speed`` m/s (facts §2a: 110 spm at 1.3 m/s, ~speed^0.5 [E])."""
    return 110.0 * (speed / 1.3) ** 0.5 * style.cadence_factor


def cadence_range(speed: float, style: GaitStyle) -> tuple[float, float]:
    """(lowest, highest) steps/min a set cadence may take at ``speed`` m/s: ``CADENCE_SPAN`` below
    :func:`auto_cadence`, the style's ``cadence_up`` above it."""
    auto = auto_cadence(speed, style)
    return (1.0 - CADENCE_SPAN) * auto, (1.0 + style.cadence_up) * auto


def _cadence_fits(cadence: float, speed: float, style: GaitStyle) -> bool:
    lo, hi = cadence_range(speed, style)
    return cadence <= 0 or lo - 1e-9 <= cadence <= hi + 1e-9


def _cadence_fix(speed: float, style: GaitStyle) -> str:
    lo, hi = cadence_range(speed, style)
    return (
        f"use 0 (automatic, {auto_cadence(speed, style):.0f} steps/min) or {np.ceil(lo):.0f} to "
        f"{np.floor(hi):.0f} steps/min at this speed, or change speed"
    )


def check_settings(settings: GaitSettings, style: GaitStyle) -> None:
    """Raise :class:`ParamError` for combinations of settings the walk cannot make (one line naming both):
    the rules of :func:`walk_constraints`, for settings made without a schema."""
    if not _cadence_fits(settings.cadence, settings.speed, style):
        raise ParamError(
            f"parameter 'cadence' = {settings.cadence:g} does not fit speed = {settings.speed:g} m/s: "
            + _cadence_fix(settings.speed, style)
        )
    if settings.path == "target" and float(np.hypot(*settings.target)) < MIN_TARGET_M:
        raise ParamError(
            f"parameters 'target_x', 'target_z' = ({settings.target[0]:g}, {settings.target[1]:g}) are "
            f"{float(np.hypot(*settings.target)):.2f} m from the start; path = 'target' needs at least "
            f"{MIN_TARGET_M:g} m: move the target further away or use an idle motion"
        )
    if settings.in_place and settings.path != "straight":
        raise ParamError(
            f"parameter 'in_place' = true needs path = 'straight' (got path = '{settings.path}'): "
            "set in_place to false to walk a turn, an arc or to a target"
        )


#: A target path needs its target at least this far from the start (m, normalised space).
MIN_TARGET_M = 0.1


def walk_constraints(style_of: Callable[[Params], GaitStyle]) -> tuple[Constraint, ...]:
    """The rules over several walk parameters (``style_of``: the motion's style for its parameters, whose
    cadence factor sets the automatic cadence)."""
    return (
        Constraint(
            ("cadence", "speed"),
            f"cadence = 0 (automatic) or from {CADENCE_SPAN:.0%} below the automatic cadence for the speed to the "
            f"style's share above it (basic {BASIC.cadence_up:.0%}, full runway {RUNWAY.cadence_up:.0%})",
            lambda p, t: _cadence_fits(float(p.cadence), float(p.speed), style_of(p)),
            lambda p, t: _cadence_fix(float(p.speed), style_of(p)),
            why="steps that long or short for the speed break the legs: 0.8x and 1.25x the automatic cadence "
            "failed the pose-jump and ankle-range gates; the runway knee fails faster steps at 60/120 fps",
        ),
        Constraint(
            ("path", "target_x", "target_z"),
            f"the target at least {MIN_TARGET_M:g} m from the start when path = target",
            lambda p, t: p.path != "target" or float(np.hypot(p.target_x, p.target_z)) >= MIN_TARGET_M,
            lambda p, t: (
                f"move the target at least {MIN_TARGET_M:g} m away (e.g. target_z = {MIN_TARGET_M:g}), "
                "or use an idle motion to stand"
            ),
            why="a target where the walker already stands leaves nothing to walk: started mid-stride, the "
            "arms stopped dead (5-15 mm finger pose jump at 120 fps)",
        ),
        Constraint(
            ("in_place", "path"),
            "in_place off, or path = straight",
            lambda p, t: not p.in_place or p.path == "straight",
            lambda p, t: "set in_place to false to walk a turn, an arc or to a target",
            why="walking on the spot has no path to turn along",
        ),
    )


def step_width(style: GaitStyle, settings: GaitSettings) -> float:
    """Heel-centre spacing in metres for the 1.65 m avatar: the settings' own, else the style's."""
    return style.step_width if settings.step_width is None else settings.step_width


def walk_params(speed: float, width: float, width_text: str, style_default: float | None = None) -> list[Param]:
    """The parameters every walk shares (one declaration for UI, CLI and presets)."""
    out = [
        Param(
            "speed",
            "float",
            speed,
            "Walking speed of a 1.65 m adult (facts §2a: 1.3 m/s [1.0-1.6]); other avatars walk the "
            "Froude-equivalent speed, or slower where a short-legged avatar's knees would pass 600°/s. At most "
            "1.4: faster, the swing knee fails the jerk and joint-speed gates",
            0.6,
            MAX_SPEED,
            "m/s",
            "Gait",
        ),
        Param(
            "cadence",
            "float",
            0.0,
            "Steps per minute for a 1.65 m adult; 0 = automatic from speed (facts §2a: 110 spm at 1.3 m/s). "
            "A set cadence must lie within 15 % of the automatic one for the speed (the step length follows)",
            0.0,
            140.0,
            "steps/min",
            "Gait",
        ),
        Param("step_width", "float", width, width_text, -0.04, 0.2, "m", "Gait"),
        Param(
            "stride_cv",
            "float",
            2.0,
            "Stride-to-stride timing variability, pink noise (facts §2a: CV 1-4 %)",
            0.0,
            4.0,
            "%",
            "Gait",
        ),
        Param(
            "arm_swing",
            "float",
            1.0,
            "Arm swing amount; 1 = a 20° arc (facts §2c: 20-45°; the CMU walkers swing 13-16°)",
            0.0,
            2.0,
            "x",
            "Arms",
        ),
        Param(
            "path",
            "enum",
            "straight",
            "Walking path: straight ahead, a corner turn, a steady arc, or to a target point",
            unit="",
            group="Path",
            choices=("straight", "turn", "arc", "target"),
        ),
        Param(
            "turn_angle",
            "float",
            90.0,
            "Turn angle for 'turn' and 'arc' paths; positive turns left",
            -180.0,
            180.0,
            "deg",
            "Path",
        ),
        Param(
            "turn_radius",
            "float",
            1.0,
            "Radius of turns (1.65 m adult scale) [E]; the walker slows down through turns too tight for its speed "
            "(heading at most 86°/s and 50° per step)",
            0.4,
            10.0,
            "m",
            "Path",
        ),
        Param(
            "target_x",
            "float",
            2.0,
            "Target point for the 'target' path: metres to the avatar's left",
            -20.0,
            20.0,
            "m",
            "Path",
        ),
        Param("target_z", "float", 5.0, "Target point for the 'target' path: metres ahead", -20.0, 20.0, "m", "Path"),
        Param(
            "in_place",
            "bool",
            False,
            "Walk on the spot (no root travel; feet slide back like on a treadmill, so the foot-skate gate, "
            "measured in the world, fails by design); straight path only",
            group="Root",
        ),
        Param(
            "start_from_stand", "bool", True, "Begin standing and initiate gait (else start mid-stride)", group="Root"
        ),
        Param(
            "stop_at_end",
            "bool",
            True,
            "Stop with feet together before the clip ends (else keep walking)",
            group="Root",
        ),
    ]
    if style_default is not None:
        out.insert(
            3,
            Param(
                "style_intensity",
                "float",
                style_default,
                "Blend from basic walk (0) to runway style (1) along the measured differences (facts §3)",
                0.0,
                1.0,
                "x",
                "Style",
            ),
        )
    return out


def settings_from_params(p: object, style: GaitStyle) -> GaitSettings:
    """Map a walk motion's validated params (attribute access) to :class:`GaitSettings`."""
    g = getattr
    return GaitSettings(
        speed=float(g(p, "speed")),
        cadence=float(g(p, "cadence")),
        step_width=float(g(p, "step_width")) if g(p, "step_width", None) is not None else None,
        arm_swing=float(g(p, "arm_swing")),
        path=str(g(p, "path")),
        turn_angle=float(g(p, "turn_angle")),
        turn_radius=float(g(p, "turn_radius")),
        target=(float(g(p, "target_x")), float(g(p, "target_z"))),
        in_place=bool(g(p, "in_place")),
        start=bool(g(p, "start_from_stand")),
        stop=bool(g(p, "stop_at_end")),
        stride_cv=float(g(p, "stride_cv")),
    )
