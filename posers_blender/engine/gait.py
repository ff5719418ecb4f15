"""The gait engine: footstep plan, contact phases, pelvis/trunk/head/arm drive and leg IK for walking.

Everything is built vectorised over a whole clip (see :class:`~.program.Tracks`).
Numbers come from ``human_motion_facts.md`` §2 (normal gait) and §3 (stylised
walking); each default cites its row. Lengths are given for the 1.65 m default
avatar (leg length L0 = 0.8745 m) and scaled by the avatar's own leg length;
speeds are Froude-scaled (``v * sqrt(L / L0)``) so a small avatar walks the
dynamically similar speed with the same cadence band relative to its size.

Pipeline (:func:`build_walk`):

1. :func:`plan_footsteps`: a speed profile along a :class:`~.gait_path.Path`
   (gait initiation and termination ramps), step times with pink-noise
   stride variability, footfalls (side, heel strike, foot flat, heel off,
   toe off, floor position, yaw).
2. :func:`foot_tracks`: per foot and frame the ankle target and foot
   rotation: heel rocker about the heel, flat foot, forefoot rocker about the
   MTP (toes) joint with the toes held flat, then a C1 swing trajectory.
3. Pelvis: lateral shift and rotations keyed to the footfalls, height from
   the legs' reach (so the stance foot is always reachable: no sliding).
4. Trunk counter-rotation, stabilised head, arms driven by the gait phase
   through springs (lag, damping), leg two-bone IK with a knee pole.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from . import hand, quat
from .curves import minimum_jerk
from .face import blink_times, blink_track
from .gait_path import Path, straight, to_target, turn
from .noise import noise_track
from .params import Param
from .program import Context, Tracks
from .skeleton import Skeleton
from .springs import damp_track

Array = NDArray[np.float64]
X = np.array([1.0, 0.0, 0.0])
Y = np.array([0.0, 1.0, 0.0])
Z = np.array([0.0, 0.0, 1.0])

L0 = 0.8745  # leg length of the 1.65 m default avatar (0.53 H, facts §10)
SIDES = (("left", 1.0), ("right", -1.0))
HEEL_RISE_DORSIFLEXION = 15.0  # degrees: the heel rises before the ankle reaches its 20° limit (facts §8)
LATE_SWING_SLACK = (
    0.03  # m the landing leg may over-reach before the pelvis gives way (the swing target is pulled in) [E]
)
KNEE_FLOOR_SPAN = 40  # degrees the swing knee's straightening floor falls over a swing [E]
ANKLE_PASS = 0.07  # m between the ankle centres as the swing foot passes the stance ankle (two half ankle widths) [E]
# m: the lowest a sole point passes over the floor in mid swing [E: minimum toe clearance in healthy adults
# is about 1-2 cm; not in the facts file]
TOE_CLEARANCE = 0.012
# passes that move heel off or toe off sooner, or the heel rise earlier, where the ankle runs out of range or
# the trailing knee snaps straight before toe off
MAX_REPLANS = 3
RISE_DORSIFLEXION = 22.0  # degrees the ankle may reach while the heel rises (facts §8: 20°; the suite allows +5°)
LANDING_DORSIFLEXION = 23.0  # degrees: the ankle at heel strike stays inside its range (facts §8: 20°, +5° tolerance)
MIN_DOUBLE_SUPPORT = 0.06  # s both feet stay down when toe off comes sooner [E]
KNEE_PUSHOFF_DIP = 4.0  # degrees the trailing knee may straighten in late stance before toe off comes sooner [E]
HIGH_AT = 0.6  # the pelvis is highest this far from one low to the next (facts §2c: max near 30 %GC) [E]


# ---------------------------------------------------------------------------------------------
# Style and settings
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GaitStyle:
    """Every style number of a walk; :func:`blend_styles` interpolates two styles field by field.

    Lengths in metres for the 1.65 m avatar, angles in degrees, fractions of the stride.
    """

    cadence_factor: float = 1.0  # x the automatic cadence (facts §2a: 110 spm at 1.3 m/s)
    step_width: float = 0.09  # heel-centre spacing, facts §2a step width 0.09 m [0.05-0.14]
    step_width_sd: float = 0.012  # step-to-step width jitter [E]
    toe_out: float = 6.0  # foot progression angle [E]; facts §1 gives 14° between feet standing
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
    pelvis_forward_tilt: float = 0.0
    lateral_shift: float = 0.04  # peak-to-peak pelvis shift toward the stance foot, facts §2c 4 cm
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
    trunk_lean: float = 2.0  # forward lean of the trunk, degrees [E]
    arm_arc: float = 30.0  # total shoulder arc, facts §2c 30° [20-45]
    arm_bias: float = -5.0  # centre of the arc, negative = behind (facts §2c +10/-20)
    arm_abduction: float = 7.0  # upper arm away from the body so hands clear the hips [E]
    arm_halflife: float = 0.05  # spring half-life of the arm follow-through, s [E]
    elbow_base: float = 14.0  # facts §2c elbow 10-40° flexion
    elbow_forward: float = 18.0  # extra flexion on the forward swing (peaks with it, facts §2c)
    clavicle_retract: float = 0.0  # shoulder blades drawn back, degrees [E]
    head_pitch: float = 0.0  # chin down, degrees (facts §3 runway 3-8° [E])
    head_residual: float = 1.0  # ± degrees of head wobble left after stabilisation (facts §2c ≤2-3°)
    look_ahead: float = 0.8  # s the head leads the path on turns, facts §2c 0.5-1 s


#: Facts §2: a comfortable natural walk.
BASIC = GaitStyle()

#: Facts §3, runway/catwalk: narrow or crossing steps (−2..+2 cm), pelvic rotation ±6-8°, obliquity
#: ×1.25-1.5, knee near full extension at push-off, upper arm pulled back, head level and slightly down
#: (3-8°), steadier torso and head in the frontal plane, step length −5-10 % with a higher cadence.
RUNWAY = GaitStyle(
    cadence_factor=1.07,
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


# ---------------------------------------------------------------------------------------------
# Small signal helpers
# ---------------------------------------------------------------------------------------------
def pink_noise(rng: np.random.Generator, n: int, beta: float = 0.8) -> Array:
    """``n`` samples of 1/f^beta noise with zero mean and unit standard deviation.

    Facts §2a: stride-time fluctuations are long-range correlated (DFA alpha
    0.8-1.0, i.e. beta = 2 alpha - 1 of about 0.6-1.0), not white.
    """
    if n < 4:
        return rng.standard_normal(n)
    white = rng.standard_normal(n)
    spec = np.fft.rfft(white)
    f = np.fft.rfftfreq(n)
    f[0] = f[1]
    spec *= f ** (-beta / 2.0)
    spec[0] = 0.0
    out = np.fft.irfft(spec, n)
    sd = float(np.std(out))
    return out / sd if sd > 0 else out


def key_track(t: Array, key_t: Array, key_v: Array) -> Array:
    """Half-cosine interpolation through keys (zero slope at each key), held before the first and after the last.

    Alternating equal-interval keys give exactly a sinusoid; uneven
    intervals and amplitudes (stride variability, starts and stops) stay C1.
    """
    key_t = np.asarray(key_t, dtype=np.float64)
    key_v = np.asarray(key_v, dtype=np.float64)
    order = np.argsort(key_t, kind="stable")
    key_t, key_v = key_t[order], key_v[order]
    i = np.clip(np.searchsorted(key_t, t, side="right") - 1, 0, len(key_t) - 2)
    t0, t1 = key_t[i], key_t[i + 1]
    u = np.clip((t - t0) / np.maximum(t1 - t0, 1e-9), 0.0, 1.0)
    w = 0.5 - 0.5 * np.cos(np.pi * u)
    return key_v[i] + (key_v[i + 1] - key_v[i]) * w


def _rot(axis: Array, deg: Array | float) -> Array:
    return quat.from_axis_angle(axis, np.radians(np.asarray(deg, dtype=np.float64)))


def _hermite5(u: Array, p0: Array, v0: Array, p1: Array, v1: Array, dur: float) -> Array:
    """Quintic Hermite on u in [0, 1] with end positions/velocities (per second) and zero end accelerations."""
    u = u[:, None]
    h0 = 1 - 10 * u**3 + 15 * u**4 - 6 * u**5
    h1 = u - 6 * u**3 + 8 * u**4 - 3 * u**5
    h4 = -4 * u**3 + 7 * u**4 - 3 * u**5
    h5 = 10 * u**3 - 15 * u**4 + 6 * u**5
    return h0 * p0 + h1 * v0 * dur + h4 * v1 * dur + h5 * p1


def _front_load(u: Array, lead: float) -> Array:
    """Time warp ``u + 64 lead u^3 (1-u)^3`` of [0, 1]: ``lead`` ahead at ``u = 0.5``; ends keep slope 1, curvature 0."""
    lead = float(np.clip(lead, 0.0, 0.14))  # above ~0.15 the warp stops being monotonic
    return u + 64.0 * lead * u**3 * (1.0 - u) ** 3


def _gauss_smooth(x: Array, sigma_frames: float) -> Array:
    if sigma_frames <= 0.3:
        return x
    r = int(np.ceil(3 * sigma_frames))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma_frames) ** 2)
    k /= k.sum()
    pad = np.pad(x, (r, r), mode="edge")
    return np.convolve(pad, k, mode="valid")


def _running_min(x: Array, half: int, ahead: bool = False) -> Array:
    """Minimum over a centred window of ``2 half + 1`` samples, or over the next ``half`` samples (edges padded)."""
    if half < 1:
        return x
    if ahead:
        pad = np.pad(x, (0, half), mode="edge")
        return np.asarray(np.lib.stride_tricks.sliding_window_view(pad, half + 1).min(axis=1))
    pad = np.pad(x, (half, half), mode="edge")
    win = np.lib.stride_tricks.sliding_window_view(pad, 2 * half + 1)
    return np.asarray(win.min(axis=1))


# ---------------------------------------------------------------------------------------------
# Footstep plan
# ---------------------------------------------------------------------------------------------
@dataclass
class FootPlan:
    """Footfalls of one walk. Arrays ``[K]`` in footfall order (alternating sides).

    ``side`` +1 left / -1 right; times in seconds (``-inf`` for feet standing
    from the start, ``+inf`` for contacts that never end); ``ankle_xz [K, 2]``
    the ankle's floor point while the foot is flat; ``yaw`` radians;
    ``moving`` False for the two initial standing footfalls.
    Also the pelvis arc-length function ``S(t)`` on a fine grid and the path.
    """

    side: Array
    hs: Array
    ff: Array
    ho: Array
    to: Array
    ankle_xz: Array
    yaw: Array
    s: Array
    step_time: Array
    moving: NDArray[np.bool_]
    path: Path
    grid_t: Array
    grid_s: Array
    speed: float
    step_length: float
    step_period: float
    t_end: float  # time the walker is at rest again (inf without a stop)
    # per footfall, adjusted by the replans (:func:`_replan_rolls`)
    push_boost: Array  # x toe-off pitch
    rise_power: Array  # heel-rise power
    roll_end: Array  # end of the planned roll (>= to: toe off may come before the roll ends)
    land_scale: Array  # x heel-strike pitch

    def pelvis_s(self, t: Array) -> Array:
        return np.interp(t, self.grid_t, self.grid_s)

    def speed_at(self, t: Array) -> Array:
        v = np.gradient(self.grid_s, self.grid_t)
        return np.interp(t, self.grid_t, v)

    @property
    def n(self) -> int:
        return len(self.side)


def walking_speed_and_cadence(settings: GaitSettings, style: GaitStyle, leg_length: float) -> tuple[float, float]:
    """(speed m/s, cadence steps/min) for this avatar.

    Facts §2a: 1.3 m/s at 110 spm for the 1.65 m adult (step 0.42-0.43 H).
    Step length and cadence both grow about as speed^0.5 [E]. Froude scaling
    by leg length: speed x sqrt(L/L0), cadence x sqrt(L0/L).
    """
    lr = leg_length / L0
    v_ref = settings.speed
    if settings.cadence > 0:
        cad_ref = settings.cadence
    else:
        cad_ref = 110.0 * (v_ref / 1.3) ** 0.5 * style.cadence_factor
    return v_ref * np.sqrt(lr), cad_ref / np.sqrt(lr)


def make_path(settings: GaitSettings, speed: float, duration: float, lr: float) -> Path:
    """The floor path for these settings (metres in the avatar's own scale)."""
    reach = speed * duration + 5.0
    if settings.path == "turn":
        before = max(0.3, 0.45 * speed * max(duration - 2.5, 0.5))
        r = settings.turn_radius * lr
        ang = np.radians(settings.turn_angle)
        return turn(before, r, ang, max(reach - before, 1.0))
    if settings.path == "arc":
        r = max(settings.turn_radius * lr, speed * duration / max(abs(np.radians(settings.turn_angle)), 1e-3))
        ang = np.radians(settings.turn_angle)
        arc_len = r * abs(ang)
        return turn(0.01, r, ang, max(reach - arc_len, 1.0))
    if settings.path == "target":
        p = to_target(np.asarray(settings.target) * lr, settings.turn_radius * lr)
        return p
    return straight(reach)


def plan_footsteps(
    settings: GaitSettings,
    style: GaitStyle,
    skeleton: Skeleton,
    duration: float,
    rng: np.random.Generator,
) -> FootPlan:
    """Footfalls, contact phases and the pelvis progression for one walk (see :class:`FootPlan`)."""
    lr = skeleton.leg_length / L0
    v, cad = walking_speed_and_cadence(settings, style, skeleton.leg_length)
    T0 = 60.0 / cad
    path = make_path(settings, v, duration, lr)
    width = (style.step_width if settings.step_width is None else settings.step_width) * lr

    # ---- speed profile: initiation and termination ramps (minimum jerk) -----------------------
    t_go = 0.20  # APA: the COM starts moving before the first toe off [E, ~0.2-0.4 s]
    t_first_to = 0.45
    r_up = (t_first_to - t_go) + 2.0 * T0  # steady speed by the end of the second step [R]
    r_down = 2.0 * T0  # stop within two steps [R]
    settle = 0.8
    if settings.stop and path.finite:
        need = v * (r_up + r_down) / 2.0
        if path.length < need:
            v = max(path.length / max((r_up + r_down) / 2.0, 1e-3), 0.05)
        t_stop = (
            path.length / v + (t_go if settings.start else 0.0) + (r_up / 2 if settings.start else 0.0) - r_down / 2
        )
    elif settings.stop:
        t_stop = duration - settle - r_down
    else:
        t_stop = np.inf
    if settings.start and settings.stop and t_stop < t_go + r_up:
        half = max((duration - settle - t_go) / 2.0, 0.4)
        r_up = r_down = half
        t_stop = t_go + r_up
    g0 = -6.0 * T0
    g1 = (duration if not np.isfinite(t_stop) else max(duration, t_stop + r_down)) + 6.0 * T0
    grid_t = np.arange(g0, g1, 1.0 / 480.0)
    up = minimum_jerk((grid_t - t_go) / r_up) if settings.start else np.ones_like(grid_t)
    down = 1.0 - minimum_jerk((grid_t - t_stop) / r_down) if np.isfinite(t_stop) else np.ones_like(grid_t)
    vel = v * up * down
    grid_s = np.concatenate([[0.0], np.cumsum(0.5 * (vel[1:] + vel[:-1]) * np.diff(grid_t))])
    grid_s -= np.interp(0.0, grid_t, grid_s) if not settings.start else 0.0
    if path.finite:
        grid_s = np.minimum(grid_s, path.length)
    s_end = float(grid_s[-1]) if np.isfinite(t_stop) else np.inf
    t_end = t_stop + r_down if np.isfinite(t_stop) else np.inf

    def S(t: float) -> float:
        return float(np.interp(t, grid_t, grid_s))

    # ---- step times: pink stride noise plus a little step-level asymmetry (PCI 1-5 %) ---------
    n_max = int((g1 - g0) / (0.6 * T0)) + 8
    cv = settings.stride_cv / 100.0
    stride_noise = pink_noise(rng, n_max // 2 + 2)
    step_noise = rng.standard_normal(n_max) * 0.009  # facts §2a PCI 3.2 ± 1.1 % [M]
    steps = T0 * (1.0 + cv * np.repeat(stride_noise, 2)[:n_max] + step_noise)
    steps = np.clip(steps, 0.7 * T0, 1.3 * T0)
    width_noise = rng.standard_normal(n_max) * style.step_width_sd * lr
    first = 1.0 if rng.uniform() < 0.5 else -1.0  # which foot steps first

    rest = skeleton.rest_positions()
    stand_half = float(abs(rest[hm.INDEX["leftFoot"], 0] - rest[hm.INDEX["rightFoot"], 0])) / 2.0

    side: list[float] = []
    hs: list[float] = []
    s_list: list[float] = []
    lat: list[float] = []
    st: list[float] = []
    moving: list[bool] = []
    swing0 = 2.0 * T0 * (1.0 - style.stance)
    step_len = v * T0
    if settings.start:
        # two standing feet; the first mover leaves at t_first_to
        for sd in (first, -first):
            side.append(sd)
            hs.append(-np.inf)
            s_list.append(0.0)
            lat.append(sd * stand_half)
            st.append(T0)
            moving.append(False)
        t_hs = t_first_to + swing0
        cur = -first
    else:
        t_hs = -4.0 * 2 * T0
        cur = first
    k = 0
    while True:
        cur = -cur
        Tk = float(steps[min(k, n_max - 1)])
        sk = S(t_hs + style.midstance * Tk)
        last = False
        if settings.stop and np.isfinite(s_end) and (s_end - sk < 0.45 * step_len or t_hs > t_end):
            # land on the stop line unless that makes this step overlong; then the next step stops
            if s_end - s_list[-1] <= 1.1 * step_len or t_hs > t_end:
                sk, last = s_end, True
        if last and len(s_list) >= 2 and abs(sk - s_list[-2]) < 0.25 * step_len:
            # this foot is already about where it should stop: no shuffle step
            break
        side.append(cur)
        hs.append(t_hs)
        s_list.append(sk)
        lat.append(cur * (width / 2.0 + width_noise[min(k, n_max - 1)]))
        st.append(Tk)
        moving.append(True)
        k += 1
        t_hs += Tk
        if last:
            if abs(s_end - s_list[-2]) < 0.25 * step_len:
                break
            # closing step: the trailing foot comes alongside
            cur = -cur
            side.append(cur)
            hs.append(t_hs + 0.1 * T0)
            s_list.append(s_end)
            lat.append(cur * max(width / 2.0, stand_half * 0.8))
            st.append(Tk)
            moving.append(True)
            break
        if t_hs > duration + 3.0 * T0 and not (settings.stop and np.isfinite(s_end)):
            break
        if k > n_max - 2:
            break
    n = len(side)
    side_a = np.asarray(side)
    hs_a = np.asarray(hs)
    st_a = np.asarray(st)
    s_a = np.asarray(s_list)
    to_a = np.full(n, np.inf)
    ds_frac = 2.0 * style.stance - 1.0  # double support per step, in steps
    for i in range(n - 1):
        nxt = hs_a[i + 1]
        if np.isfinite(nxt):
            to_a[i] = nxt + ds_frac * st_a[i]
    if settings.start:
        to_a[0] = t_first_to
        to_a[1] = hs_a[2] + ds_frac * st_a[2] if n > 2 else np.inf
    # the last two footfalls of a stop stand for good
    if settings.stop and np.isfinite(s_end):
        to_a[-1] = np.inf
        to_a[-2] = np.inf
    stride = 2.0 * st_a
    ff_a = hs_a + style.foot_flat * stride
    ho_a = np.where(np.isfinite(to_a), hs_a + style.heel_off * stride, np.inf)
    ho_a = np.where(np.isfinite(to_a), np.minimum(ho_a, to_a - 0.08 * stride), ho_a)
    if settings.start:
        ho_a[0] = to_a[0] - (style.stance - style.heel_off) * 2 * T0
        ho_a[1] = to_a[1] - (style.stance - style.heel_off) * 2 * T0
    pts = path.point(s_a) + np.asarray(lat)[:, None] * path.left(s_a)
    yaw = path.theta(s_a) + side_a * np.radians(style.toe_out)
    return FootPlan(
        side=side_a,
        hs=hs_a,
        ff=ff_a,
        ho=ho_a,
        to=to_a,
        ankle_xz=pts,
        yaw=yaw,
        s=s_a,
        step_time=st_a,
        moving=np.asarray(moving),
        path=path,
        grid_t=grid_t,
        grid_s=grid_s,
        speed=v,
        step_length=step_len,
        step_period=T0,
        t_end=t_end,
        push_boost=np.ones(len(side_a)),
        rise_power=np.full(len(side_a), style.heel_rise_power),
        roll_end=to_a.copy(),
        land_scale=np.ones(len(side_a)),
    )


# ---------------------------------------------------------------------------------------------
# Foot tracks
# ---------------------------------------------------------------------------------------------
@dataclass
class FootGeometry:
    """Points of one foot in its own frame (offsets from the ankle, metres, rest axes)."""

    heel: Array
    mtp: Array  # rotation pivot of the forefoot rocker (the toes joint, or the ball point)
    toe_tip: Array  # in the toes frame when ``has_toes`` else in the foot frame
    has_toes: bool
    ankle_height: float


def foot_geometry(sk: Skeleton, name: str) -> FootGeometry:
    heel = np.asarray(sk.landmarks[f"{name}Heel"].offset)
    has_toes = sk.has(f"{name}Toes")
    if has_toes:
        mtp = sk.offsets[hm.INDEX[f"{name}Toes"]].copy()
    else:
        # without a toes bone the forefoot cannot bend: roll about the toe tip so it never dips into the floor
        mtp = np.asarray(sk.landmarks[f"{name}ToeTip"].offset)
    tip = np.asarray(sk.landmarks[f"{name}ToeTip"].offset)
    return FootGeometry(heel, mtp, tip, has_toes, float(-heel[1]))


@dataclass
class FootTrack:
    """Per-frame targets of one foot: ankle ``[F, 3]``, foot world rotation ``[F, 4]``, pitch ``[F]`` (rad,
    positive = heel up), toes local pitch ``[F]`` (rad) and phase flags (contact, heel contact, ball contact)."""

    ankle: Array
    rot: Array
    pitch: Array
    toes_pitch: Array
    contact: NDArray[np.bool_]
    heel_contact: NDArray[np.bool_]
    ball_contact: NDArray[np.bool_]
    yaw: Array
    swing_u: Array  # progress through the swing 0..1, NaN in stance


def _stance_pitch(
    t: Array, hs: float, ff: float, ho: float, to: float, p_hs: float, p_to: float, power: float
) -> Array:
    """Foot pitch through a stance (radians, + = heel up): heel rocker, flat, forefoot rocker."""
    out = np.zeros_like(t)
    if np.isfinite(hs):
        u = np.clip((t - hs) / max(ff - hs, 1e-6), 0.0, 1.0)
        # heel rocker: already rotating toward flat at contact (the swing arrives with that rate), flat with
        # zero rate at foot flat: (1-u)^2 (1+u)
        out = np.where(t < ff, -p_hs * (1.0 - u) ** 2 * (1.0 + u), out)
    if np.isfinite(ho):
        w = np.clip((t - ho) / max(to - ho, 1e-6), 0.0, None)
        out = np.where(t >= ho, p_to * w**power, out)
    return out


def _toe_bend(pitch: Array, limit: float) -> Array:
    """MTP extension (radians, >= 0) for a foot pitch: follows the pitch, then saturates smoothly at ``limit``."""
    p = np.maximum(pitch, 0.0)
    if limit <= 0.0 or not np.isfinite(limit):
        return p
    return limit * np.tanh(p / limit)


def _stance_ankle(
    t: Array, pitch: Array, heel_xz: Array, yaw: float, ho: float, g: FootGeometry, toe_limit: float
) -> tuple[Array, Array, Array]:
    """Ankle positions ``[n, 3]``, foot rotations ``[n, 4]`` and toes local pitches ``[n]`` for stance pitches.

    Heel rocker about the heel, then (after heel off) the toe rocker: the toes bend with the foot and the
    foot turns about the MTP joint until the toes near ``toe_limit`` (facts §8: MTP extension 70-80°), then
    the whole forefoot turns about the toe tip, which stays planted to toe off.
    """
    qy = quat.from_axis_angle(Y, np.asarray(yaw))
    rot = quat.mul(qy, quat.from_axis_angle(X, pitch))
    heel_w = np.array([heel_xz[0], 0.0, heel_xz[1]])
    by_heel = heel_w - quat.rotate(rot, g.heel)
    mtp_w = heel_w - quat.rotate(qy, g.heel) + quat.rotate(qy, g.mtp)
    bend = _toe_bend(pitch, toe_limit)
    if g.has_toes:
        tip_w = mtp_w + quat.rotate(qy, g.toe_tip)
        toes_w = quat.mul(qy, quat.from_axis_angle(X, pitch - bend))
        mtp_now = tip_w - quat.rotate(toes_w, g.toe_tip)
    else:
        mtp_now = np.broadcast_to(mtp_w, by_heel.shape)
    by_mtp = mtp_now - quat.rotate(rot, g.mtp)
    use_mtp = (t >= ho)[:, None]
    return np.where(use_mtp, by_mtp, by_heel), rot, -bend


def foot_tracks(plan: FootPlan, style: GaitStyle, sk: Skeleton, times: Array) -> dict[str, FootTrack]:
    """Ankle targets and foot rotations of both feet for every frame time."""
    lr = sk.leg_length / L0
    p_hs = np.radians(style.heel_strike_pitch)
    p_to = np.radians(style.toe_off_pitch)
    limit = np.radians(style.toe_bend)
    out: dict[str, FootTrack] = {}
    n = len(times)
    eps = 1e-3
    for name, sgn in SIDES:
        g = foot_geometry(sk, name)
        toe_limit = limit if g.has_toes else np.inf  # without a toes bone the foot rolls on its tip throughout
        idx = np.nonzero(plan.side == sgn)[0]
        other = np.nonzero(plan.side == -sgn)[0]
        ankle = np.zeros((n, 3))
        rot = quat.identity((n,))
        pitch = np.zeros(n)
        toes = np.zeros(n)
        contact = np.zeros(n, dtype=bool)
        heel_c = np.zeros(n, dtype=bool)
        ball_c = np.zeros(n, dtype=bool)
        yaw_t = np.zeros(n)
        swing_u = np.full(n, np.nan)

        # push-off scales with the length of the step the foot is about to take (a closing step barely rolls)
        push = np.ones(plan.n)
        land = np.ones(plan.n)
        for a_, b_ in zip(idx[:-1], idx[1:]):
            d_ = float(np.linalg.norm(plan.ankle_xz[b_] - plan.ankle_xz[a_]))
            push[a_] = float(np.clip(d_ / max(plan.step_length, 1e-6), 0.25, 1.0))
            land[b_] = max(push[a_], 0.7)  # a short step lands a little flatter (flatter skids the forefoot in)
        if not np.isfinite(plan.to[idx[-1]]):
            land[idx[-1]] = min(land[idx[-1]], 0.7)  # the stopping foot is set down flatter [E]

        def heel_xz(i: int, g: FootGeometry = g) -> Array:
            qy = quat.from_axis_angle(Y, np.asarray(plan.yaw[i]))
            a = np.array([plan.ankle_xz[i, 0], 0.0, plan.ankle_xz[i, 1]])
            h = a + quat.rotate(qy, g.heel)
            return np.array([h[0], h[2]])

        def stance_state(
            i: int,
            tt: Array,
            g: FootGeometry = g,
            land: Array = land,
            push: Array = push,
            toe_limit: float = toe_limit,
        ) -> tuple[Array, Array, Array, Array]:
            pt = _stance_pitch(
                tt,
                plan.hs[i],
                plan.ff[i],
                plan.ho[i],
                plan.roll_end[i],
                p_hs * land[i] * plan.land_scale[i],
                p_to * push[i] * plan.push_boost[i],
                plan.rise_power[i],
            )
            a, r, tb = _stance_ankle(tt, pt, heel_xz(i), float(plan.yaw[i]), plan.ho[i], g, toe_limit)
            return a, r, pt, tb

        for j, i in enumerate(idx):
            # stance of footfall i
            m = (times >= plan.hs[i]) & (times <= plan.to[i])
            if m.any():
                a, r, pt, tb = stance_state(i, times[m])
                ankle[m], rot[m], pitch[m] = a, r, pt
                toes[m] = tb
                contact[m] = True
                heel_c[m] = times[m] < plan.ho[i]
                ball_c[m] = times[m] >= plan.ff[i]
                yaw_t[m] = plan.yaw[i]
            if j + 1 >= len(idx):
                continue
            k = idx[j + 1]
            t0, t1 = plan.to[i], plan.hs[k]
            if not (np.isfinite(t0) and np.isfinite(t1)):
                continue
            m = (times > t0) & (times < t1)
            if not m.any():
                continue
            dur = t1 - t0
            ta = np.array([t0 - eps, t0])
            a0s, r0s, pt0, _ = stance_state(i, ta)
            tb = np.array([t1, t1 + eps])
            a1s, r1s, pt1, _ = stance_state(k, tb)
            u = (times[m] - t0) / dur
            w0 = (pt0[1] - pt0[0]) / eps
            w1 = (pt1[1] - pt1[0]) / eps
            pw = _hermite5(u, np.array([pt0[1]]), np.array([w0]), np.array([pt1[0]]), np.array([w1]), dur)[:, 0]
            # the foot is carried pointed through mid swing (zero value, rate and acceleration at both ends)
            pw = pw + np.radians(style.swing_point) * (16.0 * u**2 * (1.0 - u) ** 2) ** 1.5
            dyaw = (plan.yaw[k] - plan.yaw[i] + np.pi) % (2 * np.pi) - np.pi
            yw = plan.yaw[i] + dyaw * minimum_jerk(u)
            r_sw = quat.mul(quat.from_axis_angle(Y, yw), quat.from_axis_angle(X, pw))
            # The swing is planned for the heel point: it leaves with the stance foot's velocity and lands
            # still moving down (``heel_landing_speed``) with no horizontal speed, so the planted heel never
            # slides and never hovers; the ankle follows from the heel and the foot rotation.
            h0 = a0s + quat.rotate(r0s, g.heel)
            hv0 = (h0[1] - h0[0]) / eps
            h1 = a1s[0] + quat.rotate(r1s[0], g.heel)
            # Froude-scaled (sqrt) for big avatars; length-scaled, i.e. softer, for small ones, whose Froude-scaled
            # motion is jerkier in absolute terms (cool_loops, 1.36x: 28.8 -> 21.3 mm pose jump at heel strike)
            hv1 = np.array([0.0, -style.heel_landing_speed * min(lr, np.sqrt(lr)), 0.0])
            base = _hermite5(u, h0[1], hv0, h1, hv1, dur)
            # the foot comes down early, so terminal swing is mostly the knee extending (facts §2b: knee peak
            # at 70-73 %GC, 0-5° just before IC); a symmetric descent kept the knee ~55° at 85 %GC and the hip
            # at 47°. The warp keeps the end velocities and accelerations (w' = 1, w'' = 0 at both ends).
            # (The forward travel is not time-warped: front-loading it tripled the jerk at toe off, a knee pop;
            # a larger drop brings the toes within the suite's 3 cm contact height in late swing: toe skate.)
            warped = _front_load(u, style.swing_drop)
            base[:, 1] = _hermite5(warped, h0[1, 1:2], hv0[1:2], h1[1:2], hv1[1:2], dur)[:, 0]
            # clearance: an early-peaking lift (knee flexion peaks early in swing, facts §2b). It starts with
            # zero velocity and a finite acceleration (u^2): u^1.5 had an unbounded acceleration at toe off
            # and lifted the ankle ~3 cm in the first 30 fps frame (a knee pop at every toe off); u^3 lifts
            # the toes too slowly (they skate on the floor).
            pk = style.swing_peak
            ex = 2.0 * (1.0 - pk) / pk
            shape = u**2 * (1 - u) ** ex / (pk**2 * (1 - pk) ** ex)  # peaks at ``swing_peak`` of the swing
            # short steps (initiation, termination, closing) lift the foot less
            dist = float(np.linalg.norm(plan.ankle_xz[k] - plan.ankle_xz[i]))
            # (only the arc's height shrinks: the early lift, which takes the toes off the floor, stays whole)
            short = float(np.clip(dist / plan.step_length, 0.3, 1.0))
            scale = 1.0 - (1.0 - short) * minimum_jerk(u / 0.3)
            base[:, 1] += style.swing_height * lr * shape * scale
            # swing past the stance foot without hitting it (matters for narrow and crossing steps): the ankle
            # centres pass ANKLE_PASS apart, widest just as the swing ankle passes the stance ankle, so the
            # foot passes close to the stance ankle instead of circling around it (no circumduction)
            stance_foot = other[(plan.hs[other] < t1) & (plan.to[other] > t0)]
            if len(stance_foot):
                o = stance_foot[-1]
                left = plan.path.left(plan.s[o])
                fwd = np.array([left[1], -left[0]]) * -1.0
                mid = 0.5 * (plan.ankle_xz[i] + plan.ankle_xz[k])
                d = float(np.dot(mid - plan.ankle_xz[o], left)) * sgn
                need = ANKLE_PASS * lr - d
                if need > 0:
                    ahead = (base[:, [0, 2]] - plan.ankle_xz[o]) @ fwd
                    cross = np.nonzero(np.diff(np.sign(ahead)) > 0)[0]
                    u_p = float(np.clip(u[cross[0]] if len(cross) else 0.5, 0.25, 0.75))
                    bump = need * np.sin(np.pi * u ** (np.log(0.5) / np.log(u_p))) ** 2
                    base[:, 0] += sgn * left[0] * bump
                    base[:, 2] += sgn * left[1] * bump
            ankle[m] = base - quat.rotate(r_sw, g.heel)
            pitch[m] = pw
            yaw_t[m] = yw
            rot[m] = r_sw
            swing_u[m] = u
            # toes stay bent as they leave the floor, then relax by mid swing
            # (against the foot's own pitch, which keeps rising after toe off: the toes stay level and their
            # tips leave the floor with the forefoot instead of dipping back toward it)
            toes[m] = -_toe_bend(pw, toe_limit) * (1.0 - minimum_jerk(u / 0.75))
        # before the first and after the last footfall of this side: hold
        first_i, last_i = idx[0], idx[-1]
        before = times < plan.hs[first_i]
        if before.any():
            a, r, pt, _ = stance_state(first_i, np.full(int(before.sum()), plan.hs[first_i]))
            ankle[before], rot[before] = a, r
        after = times > plan.to[last_i]
        if after.any() and np.isfinite(plan.to[last_i]):
            a, r, pt, _ = stance_state(last_i, np.full(int(after.sum()), plan.to[last_i]))
            ankle[after], rot[after] = a, r
        out[name] = FootTrack(ankle, rot, pitch, toes, contact, heel_c, ball_c, yaw_t, swing_u)
        _lift_above_floor(out[name], g, lr)
    return out


def _lowest_sole_point(ankle: Array, rot: Array, toes_pitch: Array, g: FootGeometry) -> Array:
    """Height ``[n]`` of the lowest sole point (heel, MTP ball, toe tip) of feet at ``ankle`` turned by ``rot``."""
    ball = g.mtp + np.array([0.0, -g.mtp[1] - g.ankle_height, 0.0])
    low = np.min([ankle[:, 1] + quat.rotate(rot, p)[:, 1] for p in (g.heel, ball)], axis=0)
    if g.has_toes:
        toes_rot = quat.mul(rot, quat.from_axis_angle(X, toes_pitch))
        tip = ankle + quat.rotate(rot, g.mtp) + quat.rotate(toes_rot, g.toe_tip)
    else:
        tip = ankle + quat.rotate(rot, g.toe_tip)
    return np.minimum(low, tip[:, 1])


def _lift_above_floor(ft: FootTrack, g: FootGeometry, lr: float) -> None:
    """Raise the swinging foot where a sole point (heel, MTP ball, toe tip) would dip below the floor."""
    swing = ~ft.contact
    if not swing.any():
        return
    low = _lowest_sole_point(ft.ankle, ft.rot, ft.toes_pitch, g)
    # keep a minimum toe clearance through mid swing (none at the ends, where the foot leaves and lands)
    u = np.nan_to_num(ft.swing_u, nan=0.0)
    clear = TOE_CLEARANCE * lr * np.sin(np.pi * np.clip(u, 0.0, 1.0)) ** 2
    lift = np.where(swing, np.maximum(clear - low, 0.0), 0.0)
    # spread the correction smoothly but keep it zero at contact
    lift = np.maximum(lift, _gauss_smooth(lift, 2.0)) * swing
    ft.ankle[:, 1] += lift


# ---------------------------------------------------------------------------------------------
# The whole walk
# ---------------------------------------------------------------------------------------------
@dataclass
class WalkResult:
    tracks: Tracks
    plan: FootPlan
    feet: dict[str, FootTrack]


def _knee_distance(sk: Skeleton, name: str, knee_deg: Array) -> Array:
    """Hip-to-ankle distance for a knee flexion (degrees), from the avatar's own thigh and shank."""
    a = float(np.linalg.norm(sk.offsets[hm.INDEX[f"{name}LowerLeg"]]))
    b = float(np.linalg.norm(sk.offsets[hm.INDEX[f"{name}Foot"]]))
    k = np.radians(knee_deg)
    return np.sqrt(a * a + b * b + 2 * a * b * np.cos(k))


def _leg_reach(sk: Skeleton, name: str) -> float:
    up = sk.offsets[hm.INDEX[f"{name}LowerLeg"]]
    lo = sk.offsets[hm.INDEX[f"{name}Foot"]]
    return float(np.linalg.norm(up + lo)) if np.dot(up, lo) > 0 else float(np.linalg.norm(up) + np.linalg.norm(lo))


def _terminal_swing_reach(sk: Skeleton, name: str, hip: Array, ft: FootTrack, knee_contact: float) -> Array:
    """Ankle targets ``[F, 3]`` with the swinging foot drawn toward the hip where it would over-reach.

    The knee may not straighten below a floor that falls linearly from
    ``knee_contact + KNEE_FLOOR_SPAN`` at toe off to ``knee_contact`` at heel
    strike, so terminal swing extends the knee smoothly (facts §2b: ~65° in
    ~0.26 s) instead of snapping straight against the leg's length. Stance
    targets are untouched (the pelvis height already keeps them reachable).
    """
    u = ft.swing_u
    swing = np.isfinite(u)
    if not swing.any():
        return ft.ankle
    floor = knee_contact + KNEE_FLOOR_SPAN * (1.0 - np.where(swing, u, 1.0))
    cap = _knee_distance(sk, name, floor)
    v = ft.ankle - hip
    d = np.linalg.norm(v, axis=1)
    soft = np.where(d > cap - 0.02, (cap - 0.02) + 0.02 * np.tanh((d - (cap - 0.02)) / 0.02), d)
    # Hand back to the planned landing over the last fifth of the swing (the pelvis keeps that reachable)
    # and only from mid swing on (fading in), so toe off keeps the stance leg's own bend
    uu = np.where(swing, u, 1.0)
    weight = minimum_jerk((uu - 0.3) / 0.3) * (1.0 - minimum_jerk((uu - 0.8) / 0.2))
    scale = np.where(swing, soft / np.maximum(d, 1e-9), 1.0)
    scale = 1.0 + (scale - 1.0) * weight
    # never past the leg's length anywhere in swing (a straight knee has no defined swivel: the hip would flip)
    reach = float(_knee_distance(sk, name, np.asarray(3.0)))
    d2 = d * scale
    capped = np.where(d2 > reach - 0.01, (reach - 0.01) + 0.01 * np.tanh((d2 - (reach - 0.01)) / 0.01), d2)
    scale = np.where(swing, capped / np.maximum(d, 1e-9), 1.0)
    return hip + v * scale[:, None]


def _soft_cap(x: Array, knee: float, cap: float) -> Array:
    """Identity below ``knee``, then eases into ``cap`` (tanh), C1 at the knee."""
    over = np.maximum(x - knee, 0.0)
    return np.where(x > knee, knee + (cap - knee) * np.tanh(over / (cap - knee)), x)


def _limit_swing_ankle(tr: Tracks, name: str, ft: FootTrack, g: FootGeometry, ankle: Array) -> None:
    """Keep the swinging ankle inside its range (facts §8: dorsiflexion 20°, plantarflexion 45-50°).

    The swing foot's pitch is planned in the world; slow swings (stops,
    turns) can leave it badly angled to the shank. Only the foot turns, about
    the ankle (``ankle``: the leg IK's targets), so the IK result and the
    planted feet are untouched. Turning a dorsiflexed foot toes-down stops
    where a sole point would reach the floor (the joint-limit tolerance takes
    the rest): the floor lift came before.
    """
    j = hm.INDEX[f"{name}Foot"]
    q = tr.lrot[:, j]
    dorsi = -np.degrees(quat.twist_angle(q, X))
    capped = -_soft_cap(-_soft_cap(dorsi, 14.0, 19.0), 35.0, 44.0)
    delta = np.where(ft.contact, 0.0, dorsi - capped)
    on = np.nonzero(delta != 0.0)[0]
    if not len(on):
        return
    # the IK gave the foot its planned world rotation at the target: no forward kinematics needed
    at, foot_w, d_on, toes_on = ankle[on], ft.rot[on], delta[on], ft.toes_pitch[on]

    def lowest(fraction: float) -> Array:
        r = quat.mul(foot_w, quat.from_axis_angle(X, np.radians(fraction * d_on)))
        return _lowest_sole_point(at, r, toes_on, g)

    floor = np.minimum(lowest(0.0), 0.0)  # never below the floor (or below where the point already is)
    keep_on = np.zeros(len(on))
    found = np.zeros(len(on), dtype=bool)
    for fr in np.linspace(1.0, 0.1, 10):
        ok = ~found & (lowest(fr) >= floor - 1e-4)
        keep_on[ok] = fr
        found |= ok
    keep = np.ones(len(delta))
    keep[on] = keep_on
    keep = np.minimum(keep, _gauss_smooth(keep, 1.5))  # the smoothed share only ever turns less
    delta = delta * keep
    tr.lrot[:, j] = quat.normalize(quat.mul(q, quat.from_axis_angle(X, np.radians(delta))))


def _pelvis_wave(t: Array, plan: FootPlan, style: GaitStyle, allowed: Array, extra: Array, duration: float) -> Array:
    """Pelvis height ``[F]`` (m): a half-cosine wave through keys that never rises above ``allowed``.

    Facts §2c: the vertical COM is lowest in double support and highest near
    mid-stance, two cycles per stride. Keys sit in the middle of each double
    support (low) and halfway between (high), so uneven steps stay C1 and an
    even walk is a sinusoid (no plateaus, no V at heel strike). Each key starts
    at the lowest ``allowed`` near it; the mid-stance keys are then lowered by
    ``1 - bob_scale`` of the excursion. ``extra`` (a small noise layer) is added
    and, because the curve between two keys is a convex blend of them,
    lowering both keys of an interval by its worst excess makes the whole
    interval fit under ``allowed`` in one pass.
    """
    step = plan.step_period
    ds = max(2.0 * style.stance - 1.0, 0.02)
    real = np.nonzero(plan.moving & np.isfinite(plan.hs))[0]
    lows = [float(plan.hs[i] + style.pelvis_low * ds * plan.step_time[i]) for i in real]
    kt: list[float] = []
    kind: list[int] = []  # 0 low, 1 high, 2 standing
    t_first = lows[0] if lows else duration + 1.0
    kt.append(min(float(t[0]), t_first - 2.0 * step) - 1.0)
    kind.append(2)
    if lows:
        # leaving the stand: the first high key half a step before the first low one
        kt.append(t_first - 0.5 * step)
        kind.append(1)
    for a, b in zip(lows, lows[1:] + [np.inf]):
        kt.append(a)
        kind.append(0)
        if np.isfinite(b):
            kt.append(a + HIGH_AT * (b - a))
            kind.append(1)
    if lows:
        end = plan.t_end if np.isfinite(plan.t_end) else lows[-1] + step
        kt.append(max(lows[-1] + 0.6 * step, min(end, lows[-1] + 2.0 * step)))
        kind.append(2)
    kt_a = np.asarray(kt)
    kind_a = np.asarray(kind)
    order = np.argsort(kt_a, kind="stable")
    kt_a, kind_a = kt_a[order], kind_a[order]
    keep = np.concatenate([[True], np.diff(kt_a) > 0.04])
    kt_a, kind_a = kt_a[keep], kind_a[keep]
    # initial key values: the lowest allowed height within a tenth of a step of the key
    kv = np.empty(len(kt_a))
    for j, tk in enumerate(kt_a):
        m = np.abs(t - tk) <= 0.1 * step
        kv[j] = float(allowed[m].min()) if m.any() else float(np.interp(tk, t, allowed))
    # bob compression: lower the mid-stance keys toward their neighbouring lows
    if style.bob_scale != 1.0:
        for j in np.nonzero(kind_a == 1)[0]:
            nb = [kv[q] for q in (j - 1, j + 1) if 0 <= q < len(kv) and kind_a[q] == 0]
            if nb:
                lo = min(nb)
                kv[j] -= (1.0 - style.bob_scale) * max(kv[j] - lo, 0.0)
    seg = np.clip(np.searchsorted(kt_a, t, side="right") - 1, 0, len(kt_a) - 2)
    u = np.clip((t - kt_a[seg]) / np.maximum(kt_a[seg + 1] - kt_a[seg], 1e-9), 0.0, 1.0)
    w1 = 0.5 - 0.5 * np.cos(np.pi * u)  # weight of the later key (key_track's half cosine)
    near = np.where(w1 >= 0.5, seg + 1, seg)
    # lower the nearer key by the excess where the curve pokes above the legs' reach: few rounds converge,
    # and lowering only where needed keeps the mid-stance peaks as high as the stance leg allows
    for _ in range(12):
        excess = key_track(t, kt_a, kv) + extra - allowed
        if float(excess.max(initial=0.0)) <= 1e-5:
            break
        drop = np.zeros(len(kt_a))
        np.maximum.at(drop, near, np.maximum(excess, 0.0))
        kv -= drop
    # the convex-blend pass guarantees the bound whatever is left
    excess = key_track(t, kt_a, kv) + extra - allowed
    need = np.zeros(len(kt_a) - 1)
    np.maximum.at(need, seg, np.maximum(excess, 0.0))
    drop = np.zeros(len(kt_a))
    drop[:-1] = need
    drop[1:] = np.maximum(drop[1:], need)
    return key_track(t, kt_a, kv - drop) + extra


def build_walk(ctx: Context, style: GaitStyle, settings: GaitSettings) -> WalkResult:
    """Build a whole walking clip into :class:`Tracks` (plus the plan and foot tracks for inspection).

    Up to ``1 + MAX_REPLANS`` passes: the heel rises when the ankle runs out
    of dorsiflexion (facts §8: 20°), so after a solve any flat-foot phase that
    would bend the ankle past ``HEEL_RISE_DORSIFLEXION`` gets an earlier heel
    off, a heel rise that lags the shank gets a bigger, sooner rise, a
    trailing knee that straightens before toe off (the body outrunning the
    forefoot's roll) gets an earlier toe off, and a foot that would land
    toes-up past ``LANDING_DORSIFLEXION`` lands flatter (long-footed or
    short-legged avatars, fast walks, short closing steps); the walk is then
    solved again with that plan.
    """
    seeds = {k: int(ctx.rng.integers(0, 2**63 - 1)) for k in ("plan", "noise", "blink", "arm")}
    plan = plan_footsteps(settings, style, ctx.skeleton, ctx.duration, np.random.default_rng(seeds["plan"]))
    res = _build_walk(ctx, style, settings, plan, seeds)
    for _ in range(MAX_REPLANS):
        if not _replan_rolls(res, ctx, style):
            break
        res = _build_walk(ctx, style, settings, plan, seeds)
    for i in range(plan.n):
        nm = "left" if plan.side[i] > 0 else "right"
        for key, arr in (("HeelStrike", plan.hs), ("FootFlat", plan.ff), ("HeelOff", plan.ho), ("ToeOff", plan.to)):
            tv = float(arr[i])
            if np.isfinite(tv) and 0.0 <= tv < ctx.duration:
                ctx.mark(f"{nm}{key}", tv)
    return res


def _replan_rolls(res: WalkResult, ctx: Context, style: GaitStyle) -> bool:
    """Replan the rolls that ran out of range (see :func:`build_walk`); True if any footfall changed."""
    plan = res.plan
    t = ctx.times
    changed = False
    knee = {n: np.degrees(quat.to_axis_angle(res.tracks.lrot[:, hm.INDEX[f"{n}LowerLeg"]])[1]) for n, _ in SIDES}
    for name, sgn in SIDES:
        q = res.tracks.lrot[:, hm.INDEX[f"{name}Foot"]]
        dorsi = -np.degrees(quat.twist_angle(q, X))
        for i in np.nonzero(plan.side == sgn)[0]:
            # a foot set down toes-up in front of a bent knee (short closing steps) lands flatter
            first = np.nonzero(t >= plan.hs[i])[0]
            if np.isfinite(plan.hs[i]) and len(first):
                over = float(dorsi[first[0]]) - LANDING_DORSIFLEXION
                if over > 0.5 and plan.land_scale[i] > 0.0:
                    full = style.heel_strike_pitch * plan.land_scale[i]
                    plan.land_scale[i] *= max(0.0, 1.0 - (over + 1.0) / max(full, 1e-6))
                    changed = True
            if not (np.isfinite(plan.hs[i]) and np.isfinite(plan.ho[i])):
                continue
            m = (t >= plan.ff[i]) & (t < plan.ho[i]) & (dorsi > HEEL_RISE_DORSIFLEXION)
            if m.any():
                t_hit = float(t[np.argmax(m)])
                new = max(plan.ff[i] + 0.02, t_hit - 0.06)
                if new < plan.ho[i]:
                    plan.ho[i] = new
                    changed = True
            # after heel off the foot must pitch up at least as fast as the shank tilts
            m2 = (t >= plan.ho[i]) & (t < plan.to[i])
            excess = float(np.max(dorsi[m2] - RISE_DORSIFLEXION, initial=0.0))
            if excess > 0.5:
                # and earlier in the rise: a late, steep rise leaves a long-footed avatar's shank tilting
                # past the ankle's range before the heel comes up
                plan.push_boost[i] = max(plan.push_boost[i], min(1.0 + excess / 40.0, 1.3))
                plan.rise_power[i] = max(1.2, plan.rise_power[i] - excess / 3.0)
                changed = True
            # the knee bends from late stance on into swing: where the trailing leg would straighten before
            # toe off (the body moving on faster than the forefoot rolls: long-footed avatars, fast walks),
            # the foot leaves the floor where the knee stopped bending, on the roll it had planned
            if m2.sum() > 2 and np.isfinite(plan.to[i]):
                tk = t[m2]
                k = knee[name][m2]
                lo = int(np.argmin(k[: max(1, int(0.6 * len(k)))]))  # straightest point of mid stance
                j = lo + int(np.argmax(k[lo:]))  # the knee's bend before toe off
                dip = float(k[j] - np.min(k[j:]))
                if dip > KNEE_PUSHOFF_DIP:
                    t_peak = float(tk[j])
                    new = max(t_peak + 0.5 / ctx.fps, plan.ho[i] + 0.5 * (plan.to[i] - plan.ho[i]))
                    # never before the other foot has landed and taken the weight (no flight phase)
                    landed = plan.hs[(plan.side == -sgn) & (plan.hs < plan.to[i])]
                    if len(landed):
                        new = max(new, float(landed.max()) + MIN_DOUBLE_SUPPORT)
                    if new < plan.to[i] - 1e-3:
                        plan.roll_end[i] = max(plan.roll_end[i], plan.to[i])
                        plan.to[i] = new
                        changed = True
    return changed


def _build_walk(
    ctx: Context, style: GaitStyle, settings: GaitSettings, plan: FootPlan, seeds: dict[str, int]
) -> WalkResult:
    sk = ctx.skeleton
    t = ctx.times
    n = len(t)
    dt = 1.0 / ctx.fps
    lr = sk.leg_length / L0
    rngs = {k: np.random.default_rng(v) for k, v in seeds.items()}
    feet = foot_tracks(plan, style, sk, t)
    tr = Tracks(sk, n)
    moving = plan.moving
    step0 = plan.step_length

    # ---- amplitude envelope per footfall: short steps (start, stop) give smaller oscillations ------
    s_prev = np.empty(plan.n)
    s_prev[0] = plan.s[0]
    s_prev[1:] = plan.s[:-1]
    env = np.clip(np.abs(plan.s - s_prev) / max(step0, 1e-6), 0.0, 1.0)
    env = np.where(moving, env, 0.0)
    mv = np.nonzero(moving)[0]
    hs = plan.hs[mv]
    sd = plan.side[mv]
    Tm = plan.step_time[mv]
    en = env[mv]
    t_start = float(hs[0]) - 2 * plan.step_period if len(hs) else 0.0
    t_rest = plan.t_end if np.isfinite(plan.t_end) else float(t[-1]) + 10.0

    def keyed(times_k: Array, values_k: Array, start_v: float = 0.0) -> Array:
        kt = np.concatenate([[min(t_start, -1.0)], times_k, [t_rest + 0.3]])
        kv = np.concatenate([[start_v], values_k, [0.0]])
        if not np.isfinite(plan.t_end):
            kt, kv = kt[:-1], kv[:-1]
        return key_track(t, kt, kv)

    # ---- pelvis: path position, lateral shift, rotations ----------------------------------------
    s_t = plan.pelvis_s(t)
    path = plan.path
    pxz = path.point(s_t)
    heading = path.theta(s_t)
    left = path.left(s_t)
    width_factor = 0.55 + 0.45 * np.clip(
        (style.step_width if settings.step_width is None else settings.step_width) / 0.09, 0.0, 1.5
    )
    lat_amp = style.lateral_shift * lr * width_factor * (1.3 / max(settings.speed, 0.5)) ** 0.5 / 2.0
    # facts §2c: peak over the stance foot near mid-stance (~30 %GC); APA: toward the first stance foot
    lat_t = hs + 0.3 * 2 * Tm
    lat_v = sd * lat_amp * en
    if settings.start:
        apa = plan.side[1] * lat_amp * 0.5
        lat_t = np.concatenate([[plan.to[0] - 0.05], lat_t])
        lat_v = np.concatenate([[apa], lat_v])
    lateral = keyed(lat_t, lat_v)
    noise = noise_track(rngs["noise"], t, 0.4, channels=6)
    pelvis = np.zeros((n, 3))
    pelvis[:, 0] = pxz[:, 0] + lateral * left[:, 0]
    pelvis[:, 2] = pxz[:, 1] + lateral * left[:, 1]
    yaw_osc = keyed(hs, -sd * style.pelvis_rotation * en)  # leading hemipelvis forward at its heel strike
    roll = keyed(hs + 0.15 * 2 * Tm, sd * style.pelvis_obliquity * en)  # swing side drops in loading
    tilt_t = np.concatenate([hs + 0.1 * 2 * Tm, hs + 0.35 * 2 * Tm])
    tilt_v = np.concatenate([style.pelvis_tilt * en, -style.pelvis_tilt * en])
    tilt = keyed(tilt_t, tilt_v)
    # amplitude wobble from stride to stride (no mechanical oscillator)
    yaw_osc = yaw_osc * (1.0 + 0.08 * noise[:, 0])
    roll = roll * (1.0 + 0.08 * noise[:, 1])
    q_pelvis = quat.mul(
        quat.from_axis_angle(Y, heading + np.radians(yaw_osc)),
        quat.mul(_rot(Z, roll), _rot(X, tilt + style.pelvis_forward_tilt)),
    )
    tr.set("hips", q_pelvis)

    # ---- pelvis height from the legs' reach --------------------------------------------------------
    rest_hips = sk.offsets[0]
    if settings.in_place:
        shift = np.zeros((n, 3))
        shift[:, 0] = pxz[:, 0]
        shift[:, 2] = pxz[:, 1]
        pelvis -= shift
        for ft in feet.values():
            ft.ankle -= shift
    allowed = np.full(n, np.inf)
    hard = np.full(n, np.inf)
    for name, sgn in SIDES:
        ft = feet[name]
        hip_rel = quat.rotate(q_pelvis, sk.offsets[hm.INDEX[f"{name}UpperLeg"]])
        dxz = np.hypot(pelvis[:, 0] + hip_rel[:, 0] - ft.ankle[:, 0], pelvis[:, 2] + hip_rel[:, 2] - ft.ankle[:, 2])
        reach = _leg_reach(sk, name) * 0.9985
        knee = np.full(n, style.knee_midstance)
        idx = np.nonzero(plan.side == sgn)[0]
        for i in idx:
            m = (t >= plan.hs[i]) & (t <= plan.to[i])
            if not m.any():
                continue
            if np.isfinite(plan.hs[i]):
                u = (t[m] - plan.hs[i]) / (2 * plan.step_time[i])
                e = env[i]
                kc = style.knee_contact
                kl = kc + (style.knee_loading - kc) * e
                km = style.knee_midstance
                knee[m] = key_track(u, np.array([0.0, 0.13, 0.40]), np.array([kc, kl, km]))
            else:
                knee[m] = 2.0
        d_want = np.minimum(_knee_distance(sk, name, knee), reach)
        # after heel off the trailing leg is only held to full reach; in swing it is free
        free = (~ft.contact) | (~ft.heel_contact)
        d_use = np.where(free, reach, d_want)
        h = ft.ankle[:, 1] - hip_rel[:, 1] + np.sqrt(np.maximum(d_use**2 - dxz**2, 1e-6))
        h_hard = ft.ankle[:, 1] - hip_rel[:, 1] + np.sqrt(np.maximum(reach**2 - dxz**2, 1e-6))
        late = np.nan_to_num(ft.swing_u, nan=0.0) > 0.75
        # the landing foot must be reachable as it comes down (tight turns, long steps): the pelvis
        # anticipates that through the same eroded, smoothed curve
        allowed = np.minimum(allowed, np.where(ft.contact, h, np.where(late, h_hard + LATE_SWING_SLACK * lr, np.inf)))
        hard = np.minimum(hard, np.where(ft.contact | late, h_hard, np.inf))
    stand_y = rest_hips[1] - 0.004 * lr
    allowed = np.minimum(np.where(np.isfinite(allowed), allowed, stand_y), stand_y)
    # A keyed wave, not the envelope of the legs' reach: low in each double support, high at each
    # mid-stance (facts §2c: two smooth cycles per stride), every key as high as the legs allow.
    hard = np.where(np.isfinite(hard), hard, stand_y + 1.0)
    # the wave keeps under the landing leg's hard reach too (y <= hard exactly): clipping afterwards put a
    # V into the wave just before each heel strike and a step where ``hard`` switches on in late swing
    y = _pelvis_wave(t, plan, style, np.minimum(allowed, hard), 0.002 * lr * noise[:, 2], ctx.duration)
    pelvis[:, 1] = y
    tr.hips_offset[:] = pelvis - rest_hips

    # ---- trunk: counter-rotation, counter-roll, lean ----------------------------------------------
    trunk_yaw = -(1.0 + style.thorax_counter) * yaw_osc
    trunk_roll = -(1.0 - style.shoulder_roll_keep) * roll
    trunk_pitch = -tilt - style.pelvis_forward_tilt + style.trunk_lean
    for bone, share in (("spine", 0.4), ("chest", 0.35), ("upperChest", 0.25)):
        tr.set(
            bone,
            quat.mul(_rot(Y, share * trunk_yaw), quat.mul(_rot(Z, share * trunk_roll), _rot(X, share * trunk_pitch))),
        )

    # ---- legs: two-bone IK to the ankle targets, knee toward the foot's heading -------------------
    grot, gpos = tr.fk()
    for name, _sgn in SIDES:
        ft = feet[name]
        hip = gpos[:, hm.INDEX[f"{name}UpperLeg"]]
        fwd = quat.rotate(quat.from_axis_angle(Y, ft.yaw), Z)
        target = _terminal_swing_reach(sk, name, hip, ft, style.knee_contact)
        pole = 0.5 * (hip + target) + fwd * 1.0
        tr.solve_limb(f"{name}Leg", target, pole, end_grot=ft.rot)
        _limit_swing_ankle(tr, name, ft, foot_geometry(sk, name), target)
        if sk.has(f"{name}Toes"):
            tr.set(f"{name}Toes", quat.from_axis_angle(X, ft.toes_pitch))

    # ---- head: stabilised in space, leads the path on turns --------------------------------------
    grot, gpos = tr.fk()
    look = path.theta(plan.pelvis_s(t + style.look_ahead))
    head_yaw = look + np.radians(style.head_residual * noise[:, 3])
    head_pitch = np.radians(style.head_pitch + style.head_residual * 0.7 * noise[:, 4])
    head_roll = np.radians(style.head_residual * 0.5 * noise[:, 5])
    q_head = quat.mul(
        quat.from_axis_angle(Y, head_yaw),
        quat.mul(quat.from_axis_angle(X, head_pitch), quat.from_axis_angle(Z, head_roll)),
    )
    parent = grot[:, hm.INDEX["upperChest"]]
    rel = quat.normalize(quat.mul(quat.conj(parent), q_head))
    rel = quat.continuous(rel)
    neck = quat.slerp(quat.identity((n,)), rel, 0.4)
    tr.set("neck", neck)
    tr.set("head", quat.normalize(quat.mul(quat.conj(neck), rel)))

    # ---- arms: gait-phase drive through springs (lag and damping) ---------------------------------
    amp = settings.arm_swing
    for name, sgn in SIDES:
        # the arm is forward at the opposite foot's heel strike (facts §2c), so the drive leads by the lag
        lead = 2.8 * style.arm_halflife
        drive = keyed(hs - lead, np.where(sd == -sgn, 1.0, -1.0) * en)
        # a flattened drive (muscle bursts) through two springs gives a rounded, lagged swing
        drive = np.tanh(1.6 * drive) / np.tanh(1.6)
        sw = damp_track(damp_track(drive, style.arm_halflife, dt), style.arm_halflife, dt)
        steady = np.abs(drive) > 0.0
        gain = 1.0
        if steady.sum() > 10:
            lo, hi = np.percentile(sw[steady], [3.0, 97.0])
            full = np.percentile(np.abs(drive[steady]), 97.0)
            if hi - lo > 1e-6 and full > 0:
                gain = 2.0 * full / (hi - lo)
        sw = sw * gain
        flex = style.arm_bias * np.clip(en.max() if len(en) else 0.0, 0, 1) + 0.5 * style.arm_arc * amp * sw
        # bias fades in with walking speed
        vnow = plan.speed_at(t) / max(plan.speed, 1e-6)
        flex = style.arm_bias * np.clip(vnow, 0, 1) + 0.5 * style.arm_arc * amp * sw
        fwd_part = np.maximum(sw, 0.0)
        elbow = style.elbow_base + style.elbow_forward * amp * damp_track(fwd_part, 1.6 * style.arm_halflife, dt)
        hang = 90.0 - style.arm_abduction
        tr.set(f"{name}Shoulder", _rot(Y, sgn * style.clavicle_retract * np.clip(vnow, 0, 1)))
        tr.set(f"{name}UpperArm", quat.mul(_rot(X, -flex), _rot(Z, -sgn * hang)))
        tr.set(f"{name}LowerArm", _rot(np.array([0.0, -sgn, 0.0]), elbow))
        tr.set(f"{name}Hand", _rot(Z, -sgn * 8.0))
        hand.curl_fingers(tr, name, 20.0, 10.0, hand.WALKING_CURL)

    # ---- face: keep blinking (facts §1 blink rate) -----------------------------------------------
    tr.expressions["blink"] = blink_track(t, blink_times(rngs["blink"], ctx.duration, 15.0))

    return WalkResult(tr, plan, feet)


def walk_params(speed: float, width: float, width_text: str, style_default: float | None = None) -> list[Param]:
    """The parameters every walk shares (one declaration for UI, CLI and presets)."""
    out = [
        Param(
            "speed",
            "float",
            speed,
            "Walking speed of a 1.65 m adult (facts §2a: 1.3 m/s [1.0-1.6]); other avatars walk the Froude-equivalent speed",
            0.6,
            1.8,
            "m/s",
            "Gait",
        ),
        Param(
            "cadence",
            "float",
            0.0,
            "Steps per minute for a 1.65 m adult; 0 = automatic from speed (facts §2a: 110 spm at 1.3 m/s)",
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
        Param("arm_swing", "float", 1.0, "Arm swing amount; 1 = measured 30° arc (facts §2c)", 0.0, 2.0, "x", "Arms"),
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
        Param("turn_radius", "float", 1.0, "Radius of turns (1.65 m adult scale) [E]", 0.4, 10.0, "m", "Path"),
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
            "Walk on the spot (no root travel; feet slide back like on a treadmill)",
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


__all__ = [
    "BASIC",
    "RUNWAY",
    "FootPlan",
    "FootTrack",
    "GaitSettings",
    "GaitStyle",
    "WalkResult",
    "blend_styles",
    "build_walk",
    "foot_tracks",
    "key_track",
    "pink_noise",
    "plan_footsteps",
    "settings_from_params",
]
