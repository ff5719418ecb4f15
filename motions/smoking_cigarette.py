"""smoking-cigarette: a standing smoker's puff cycle on the reach primitive, with breathing the puff modulates.

Timing follows ``human_motion_facts.md`` §5 (smoking topography) and §4
(hand-to-mouth): raise 0.8-1.0 s with one speed peak at ~0.43 T, lips on the
filter for the puff (~1.8 s mean), hand away to a resting hold at elbow
70-90°, a short mouth hold, a deep smoke inhale (chest ~1.7x a quiet breath)
that starts while the hand is still lowering, a breath hold, a slow exhale
through pursed lips with a small head lift or turn, then quiet breathing until
the next puff 19-27 s later; ash taps every 2-4 puffs. Over the cigarette puffs
shorten and intervals lengthen (Guyatt 1989: duration x(1-0.39k/N), interval
x(1+0.75k/N)). Breathing is one continuous signal: every puff is a forced
breath inside :func:`~posers_blender.engine.breathing.breath_track`.

The cigarette is a pair of landmarks on the holding hand (``cigaretteFilter``,
the mouth end, and ``cigaretteEmber``), added to the skeleton by
:func:`~posers_blender.engine.reach.cigarette_landmarks`: the Blender adapter
parents a prop empty at the filter and aims it at the ember.

:func:`schedule` gives the puff plan without posing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..engine import hand, quat, reach, standing, targets
from ..engine.breathing import BreathAngles, BreathTrack, ForcedBreath, breath_angles, breath_track
from ..engine.curves import bump
from ..engine.face import blink_times
from ..engine.noise import noise_track
from ..engine.params import Param, Params, Schema
from ..engine.program import Context, MotionMeta, TrackProgram, Tracks
from ..engine.springs import damp_track

Array = NDArray[np.float64]
Vec = tuple[float, float, float]
rot = quat.from_axis_angle_deg
X = np.array([1.0, 0.0, 0.0])
Y = np.array([0.0, 1.0, 0.0])
Z = np.array([0.0, 0.0, 1.0])

SCHEMA = Schema(
    (
        Param("handedness", "enum", "right", "Hand that holds the cigarette", group="Style", choices=("right", "left")),
        Param(
            "grip",
            "enum",
            "cigarette",
            "How the cigarette is held: between index and middle finger at the PIP crease (facts §5), or a "
            "thumb-index pinch",
            group="Style",
            choices=("cigarette", "pinch"),
        ),
        Param(
            "manner",
            "enum",
            "relaxed",
            "Relaxed, or nervous: shorter intervals, quicker raises and breaths, more ash taps, more sway [E]",
            group="Style",
            choices=("relaxed", "nervous"),
        ),
        Param(
            "other_arm",
            "enum",
            "hang",
            "The free arm hangs relaxed or holds the smoking arm's elbow",
            group="Style",
            choices=("hang", "hold_elbow"),
        ),
        Param(
            "puff_interval",
            "float",
            24.0,
            "Mean time between puff starts (facts §5: 19-27 s); lengthens over the cigarette",
            15.0,
            35.0,
            "s",
            "Smoking",
        ),
        Param("puff_count", "int", 10, "Puffs in the cigarette (facts §5: 8.3 ± 2)", 7, 15, "count", "Smoking"),
        Param(
            "puff_duration",
            "float",
            1.8,
            "Mean lips-on-filter time (facts §5: 1.8-2.0 s); shortens over the cigarette",
            1.3,
            2.4,
            "s",
            "Smoking",
        ),
        Param("first_puff", "float", 1.0, "When the first raise starts", 0.0, 30.0, "s", "Smoking"),
        Param(
            "inhale_depth",
            "float",
            1.7,
            "Smoke breath depth relative to a quiet breath (facts §5: 1.7x tidal)",
            1.3,
            2.0,
            "x",
            "Smoking",
        ),
        Param(
            "ash_every",
            "float",
            3.0,
            "Mean puffs between ash taps (facts §5: every 2-4 puffs [E])",
            1.0,
            6.0,
            "count",
            "Smoking",
        ),
        Param("breath_rate", "float", 14.0, "Quiet breaths per minute (facts §1: 12-20)", 10.0, 20.0, "1/min", "Body"),
        Param("sway", "float", 1.0, "Postural sway amount; 1 = measured quiet stance", 0.0, 2.5, "x", "Body"),
        Param("blink_rate", "float", 15.0, "Blinks per minute (facts §1: 8-21)", 8.0, 25.0, "1/min", "Face"),
    )
)


@dataclass
class Puff:
    """One puff cycle; every time is absolute (s) and every duration in seconds."""

    k: int
    raise_start: float
    raise_dur: float
    puff_dur: float
    lower_dur: float
    mouth_hold: float
    inhale: float
    hold: float
    exhale: float
    exhale_turn: float  # head yaw during the exhale (deg, + toward the avatar's left); 0 = lift only
    exhale_lift: float  # chin up during the exhale (deg)
    ash_taps: list[float] = field(default_factory=list)  # flick start times
    flick_dur: float = 0.2

    @property
    def lips_on(self) -> float:
        return self.raise_start + self.raise_dur

    @property
    def lips_off(self) -> float:
        return self.lips_on + self.puff_dur

    @property
    def inhale_start(self) -> float:
        return self.lips_off + self.mouth_hold

    @property
    def hold_start(self) -> float:
        return self.inhale_start + self.inhale

    @property
    def exhale_start(self) -> float:
        return self.hold_start + self.hold

    @property
    def end(self) -> float:
        return self.exhale_start + self.exhale


LIPS_OVERSHOOT = 0.0045  # m, follow-through of the filter up along the lips (issue 7: 2-10 mm)
# Sideways bulge of the hand's path (fraction of the chord) on top of the arc the elbow's delayed progress
# already makes: total path deviation ~10-15% of the chord [E] (facts §4: near-straight point-to-point paths,
# curved when the hand is carried up by the elbow).
CURVATURE = 0.04
# Speed-profile peak of the raise's shoulder progress; the elbow and wrist run 40-80 ms behind it, so the
# filter's measured speed peak lands at ~0.44 T (facts §4: 0.40-0.45 T approaching the face).
RAISE_PEAK_AT = 0.37
APA_LEAD = 0.02  # s before hand onset the pelvis shift starts (tuned so the measured lead is 30-80 ms)


@dataclass
class Manner:
    """Rates and amplitudes of relaxed vs nervous smoking ([E] unless cited)."""

    interval: float = 1.0  # scales the puff interval
    raise_range: tuple[float, float] = (0.8, 1.0)  # facts §5 step 1
    lower_range: tuple[float, float] = (0.7, 0.9)  # facts §5 step 3 says 0.5-0.8 s [D], §4 measures 0.9-1.4 s
    inhale_range: tuple[float, float] = (3.0, 4.5)  # facts §5: 3-5 s (Tobin 4.5 ± 1.3 s)
    hold_range: tuple[float, float] = (0.5, 1.5)  # facts §5 step 6
    exhale_range: tuple[float, float] = (2.2, 3.6)  # facts §5 step 7: 2-4 s [E]
    ash_factor: float = 1.0  # scales the puffs between ash taps
    sway: float = 1.0
    blink: float = 1.0
    breath: float = 1.0
    head_dip: float = 3.0  # facts §4/issue: head turns and dips 1-5° toward the hand
    hand_drift: float = 0.003  # m, slow drift of the resting hand


MANNERS = {
    "relaxed": Manner(),
    # Nervous: adolescent-like shorter intervals (facts §5: 7-10 s shorter), more ash handling (facts §5,
    # displacement activity), anxious sway x1.3-1.6 (metrics B7), quicker and shallower smoke breaths.
    "nervous": Manner(
        interval=0.85,
        raise_range=(0.7, 0.88),
        lower_range=(0.6, 0.8),
        inhale_range=(2.2, 3.2),
        hold_range=(0.3, 0.9),
        exhale_range=(1.8, 2.8),
        ash_factor=0.5,
        sway=1.45,
        blink=1.4,
        breath=1.15,
        head_dip=2.0,
        hand_drift=0.008,
    ),
}


@dataclass
class Schedule:
    """Puff plan of one clip (drawn without posing)."""

    puffs: list[Puff]
    breaths: BreathTrack
    blinks: Array


def _streams(rng: np.random.Generator) -> dict[str, np.random.Generator]:
    names = ("puffs", "breath", "sway", "shift", "head", "blink", "fingers", "other")
    return {n: np.random.default_rng(rng.integers(0, 2**63 - 1)) for n in names}


def plan_puffs(p: Params, rng: np.random.Generator, duration: float) -> list[Puff]:
    """Puff cycles from ``first_puff`` until ``puff_count`` or the end of the clip.

    Puff ``k`` of ``N`` (facts §5, Guyatt 1989): duration x(1 - 0.39 k/N),
    interval x(1 + 0.75 k/N), each normalised so the cigarette's mean equals the
    parameter, with log-normal jitter (duration CV 8%, interval CV 12% [E]),
    clipped to the facts bands (puff 1.2-2.6 s, interval 15-35 s).
    """
    m = MANNERS[str(p.manner)]
    n = int(p.puff_count)
    c_d = 1.0 / (1.0 - 0.39 * (n - 1) / (2.0 * n))
    c_i = 1.0 / (1.0 + 0.75 * (n - 1) / (2.0 * n))
    mean_i = float(p.puff_interval) * m.interval
    puffs: list[Puff] = []
    t = float(p.first_puff)
    taps_in = int(rng.integers(2, 5)) * m.ash_factor * float(p.ash_every) / 3.0
    for k in range(n):
        if t >= duration:
            break
        d = float(p.puff_duration) * c_d * (1.0 - 0.39 * k / n) * float(rng.lognormal(0.0, 0.08))
        d = float(np.clip(d, 1.2, 2.6))
        raise_dur = float(rng.uniform(*m.raise_range))
        lower = float(rng.uniform(*m.lower_range))
        mouth = float(
            rng.uniform(0.3, max(lower - 0.1, 0.35))
        )  # facts §5 step 4: 0.3-1.0 s; inhale starts while lowering
        inhale = float(rng.uniform(*m.inhale_range))
        hold = float(rng.uniform(*m.hold_range))
        exhale = float(rng.uniform(*m.exhale_range))
        turn = 0.0 if rng.uniform() < 0.5 else float(rng.choice([-1.0, 1.0]) * rng.uniform(6.0, 14.0))
        lift = float(rng.uniform(3.0, 7.0)) if turn == 0.0 else float(rng.uniform(1.0, 3.0))
        puff = Puff(k, t, raise_dur, d, lower, mouth, inhale, hold, exhale, turn, lift)
        interval = mean_i * c_i * (1.0 + 0.75 * k / n) * float(rng.lognormal(0.0, 0.12))
        interval = float(np.clip(interval, 15.0, 35.0))
        # ash tap between puffs, after the exhale: 1-3 flicks of 150-250 ms (facts §5 [E])
        taps_in -= 1.0
        if taps_in <= 0.0:
            free0 = puff.end + 0.8
            free1 = t + interval - 2.5
            if free1 > free0:
                t0 = float(rng.uniform(free0, free1))
                puff.flick_dur = float(rng.uniform(0.15, 0.25))
                puff.ash_taps = [t0 + i * puff.flick_dur for i in range(int(rng.integers(1, 4)))]
            taps_in += float(rng.integers(2, 5)) * m.ash_factor * float(p.ash_every) / 3.0
        puffs.append(puff)
        t += interval
    return puffs


def smoke_breath(pf: Puff, depth: float) -> ForcedBreath:
    """The puff as one forced breath from lips-on: a small draw during the puff, the mouth hold, the deep
    inhale, the breath hold and the slow exhale, ending at end-expiration."""
    per = pf.end - pf.lips_on
    u = np.cumsum([pf.puff_dur, pf.mouth_hold, pf.inhale, pf.hold]) / per
    draw = 0.08 / depth  # the draw fills the mouth, the chest barely moves
    keys = ((0.0, 0.0), (float(u[0]), draw), (float(u[1]), draw), (float(u[2]), 1.0), (float(u[3]), 0.97), (1.0, 0.0))
    return (pf.lips_on, per, depth, keys)


def _plan(p: Params, rngs: dict[str, np.random.Generator], times: Array, duration: float) -> Schedule:
    """Puffs, breaths and blinks drawn over the requested ``duration`` (s), never the frame grid (whose last time
    moves with the frame rate), so every rate draws the same events; the breaths sampled on ``times``."""
    m = MANNERS[str(p.manner)]
    puffs = plan_puffs(p, rngs["puffs"], duration)
    forced = [smoke_breath(pf, float(p.inhale_depth)) for pf in puffs]
    breaths = breath_track(
        rngs["breath"], times, float(p.breath_rate) * m.breath, 1.5, 1.0, extra_breaths=forced, duration=duration
    )
    blinks = blink_times(rngs["blink"], duration, float(p.blink_rate) * m.blink)
    return Schedule(puffs, breaths, blinks)


def schedule(
    params: dict[str, Any] | None = None, seed: int = 0, duration: float = 300.0, fps: float = 10.0
) -> Schedule:
    """The puff plan :class:`SmokingCigarette` would use for these inputs, on a coarse time grid."""
    from ..engine.sampler import make_context
    from ..engine.skeleton import default_avatar

    ctx = make_context(PROGRAM, params, seed, fps, duration, default_avatar())
    return _plan(ctx.params, _streams(ctx.rng), ctx.times, ctx.duration)


def _hold_wrist_offset(tr: Tracks, side: str, elbow_deg: float) -> Array:
    """Resting-hold wrist position relative to the hips at rest (the hold rides on the pelvis, so the deep
    smoke breath does not drag the resting hand): upper arm hanging 10° forward and 8° out,
    forearm forward and a little inward at ``elbow_deg`` of flexion (facts §5 step 3: 70-90°)."""
    sk = tr.skeleton
    s = 1.0 if side == "left" else -1.0
    rest = sk.rest_positions()
    sh = rest[sk.index(f"{side}UpperArm")]
    a = float(np.linalg.norm(sk.offsets[sk.index(f"{side}LowerArm")]))
    b = float(np.linalg.norm(sk.offsets[sk.index(f"{side}Hand")]))
    up = np.array([s * np.sin(np.radians(8.0)), -np.cos(np.radians(10.0)), np.sin(np.radians(10.0))])
    up /= np.linalg.norm(up)
    elbow = sh + a * up
    # forearm: rotate the upper-arm direction forward by the flexion, then 20° inward about vertical
    fwd = quat.rotate(rot(X, -elbow_deg), up)
    fwd = quat.rotate(rot(Y, -s * 20.0), fwd)
    wrist = elbow + b * fwd
    return wrist - rest[sk.index("hips")]


@dataclass
class Smoker:
    """One build's choices: the smoking hand, the grip, the manner and the puff plan."""

    side: str
    grip: str
    manner: Manner
    plan: Schedule

    @property
    def s(self) -> float:
        """+1 for the left hand, -1 for the right (the avatar's left is +X)."""
        return 1.0 if self.side == "left" else -1.0


def _base_style(p: Params, m: Manner) -> standing.StandingStyle:
    """The shared standing base (weight shifts, sway, fidgets, glances, blinks, planted feet). Its own breathing
    is switched off: the smoker's breathing (quiet breaths with the puffs as forced breaths) is laid on by
    :func:`_breathe` with the same per-bone shares. No self-touch gestures: a hand is busy."""
    return standing.StandingStyle(
        sway=float(p.sway) * m.sway,
        blink_rate=float(p.blink_rate) * m.blink,
        shift_interval=240.0 * (0.6 if p.manner == "nervous" else 1.0),
        breathing_weight=0.0,
        gesture_interval=0.0,
        sigh_gesture=0.0,
        head_motion=0.8,
        # people standing carry the head a little forward and down and the ankles ~20 cm apart (ReActIdle on the
        # default avatar; idle-breathe's posture)
        head_pitch=-6.0,
        stance_width=0.015,
        # idle-breathe's fitted pelvis travel: at 0.18 the hips bobbed 0.34 mm in 2 s against ReActIdle's 0.87 and
        # the head followed the chest less (speed correlation 0.69 vs 0.87), at 0.25 0.40 mm and 0.77 (realism
        # texture AUC 0.86 -> 0.82); the raise keeps its single speed peak (reach check). 0.3 (0.44 mm, 0.81) swayed
        # 5.2 mm ML at seed 0, over the metrics B7 band (1.5-5 mm)
        micro_sway=0.25,
        foot_give=standing.PEOPLE_FOOT_GIVE,
        micro=0.35,
    )


def _mark_base(ctx: Context, sched: standing.Schedule) -> None:
    for st in sched.shifts:
        ctx.mark("weight_shift", st)
    for ft in sched.fidgets:
        ctx.mark("fidget", ft)
    for gl in sched.glances:
        ctx.mark(gl.kind, gl.t)


def _breathe(tr: Tracks, volume: Array) -> BreathAngles:
    """Breathing on the thorax and clavicles, one continuous signal the puffs modulate (facts §1, §5); the deep
    smoke breath lifts the clavicles less steeply than the standing body's sigh (gain 1.2 vs 1.6) [E]."""
    b = breath_angles(volume, clavicle_gain=1.2)
    tr.rotate("spine", rot(X, b.spine))
    tr.rotate("chest", rot(X, b.chest))
    tr.rotate("upperChest", rot(X, b.upper_chest))
    for sd, ss in standing.SIDES:
        tr.rotate(f"{sd}Shoulder", rot(Z, ss * b.clavicle))
    return b


def _reach_plan(smoker: Smoker, duration: float, effector: Vec) -> reach.ReachPlan:
    """The hand's reach plan: from the resting hold to the lips and back, once per puff; the filter is the
    effector."""
    moves: list[reach.Move] = []
    bulge = (smoker.s * 0.8, 0.0, 1.0)  # the hand arcs out and forward on its way up and down
    for pf in smoker.plan.puffs:
        # the follow-through slides the filter up along the lips rather than into the face
        moves.append(
            reach.Move(
                pf.raise_start,
                pf.raise_dur,
                "lips",
                peak_at=RAISE_PEAK_AT,
                bulge=bulge,
                curvature=CURVATURE,
                overshoot=LIPS_OVERSHOOT,
                settle=0.2,
                overshoot_dir=(0.0, 1.0, 0.0),
            )
        )
        if pf.lips_off < duration + 2.0:
            moves.append(
                reach.Move(
                    pf.lips_off, pf.lower_dur, "hold", peak_at=0.47, bulge=bulge, curvature=CURVATURE, settle=0.2
                )
            )
    return reach.ReachPlan(smoker.side, "hold", tuple(moves), effector=effector)


def _turn_head(
    tr: Tracks, t: Array, smoker: Smoker, rplan: reach.ReachPlan, breath: BreathAngles
) -> tuple[Array, Array]:
    """Head and neck: still while the filter is at the lips, dipped and turned toward the rising hand, lifted or
    turned on each exhale, on top of the base's head motion; they also cancel the breathing extension of the
    chest. Returns the added (yaw, pitch) in degrees ``[F]``."""
    m = smoker.manner
    at_lips = reach.approach_weight(t, rplan, ["lips"])
    # while the filter is at the lips the head holds still: the base's glances and wander fade out (a head
    # turned toward the hand would also bend a short-armed avatar's elbow past its limit)
    for bone in ("neck", "head"):
        j = tr.skeleton.index(bone)
        tr.lrot[:, j] = quat.slerp(tr.lrot[:, j], quat.identity((len(t),)), 0.85 * at_lips)
    yaw = at_lips * smoker.s * 0.8 * m.head_dip  # toward the hand's side
    pitch = -at_lips * m.head_dip  # chin down toward the hand
    for pf in smoker.plan.puffs:
        env = bump(t, pf.exhale_start - 0.2, 0.6, max(pf.exhale - 0.8, 0.1), 1.2)
        yaw = yaw + pf.exhale_turn * env
        pitch = pitch + pf.exhale_lift * env
    tr.rotate("neck", quat.mul(rot(Y, 0.4 * yaw), rot(X, -0.4 * pitch + breath.neck)))
    tr.rotate("head", quat.mul(rot(Y, 0.6 * yaw), rot(X, -0.6 * pitch + breath.head)))
    return yaw, pitch


@dataclass
class _HandSpots:
    """The smoking hand's resting hold (wrist offset from the hips at rest, its slow drift ``[F, 3]``), the
    filter's offset in the hand, and the fingers' and palm's directions that present the filter to the lips."""

    hold_offset: Array
    drift: Array
    effector: Vec
    fingers: Vec
    palm: Vec
    hold_at: Array | None = None  # the hand target: where the resting wrist holds, ``[F, 3]`` (None: by the hips)


def _reach(
    ctx: Context,
    tr: Tracks,
    smoker: Smoker,
    rplan: reach.ReachPlan,
    feet: dict[str, Array],
    support_knee: float,
    finger_rng: np.random.Generator,
) -> None:
    """The arm along the reach plan: the anticipatory pelvis shift first, then the hips height, then the reach
    to the exact targets on the final body."""
    sk = tr.skeleton
    side, s = smoker.side, smoker.s
    eff = sk.landmarks["cigaretteFilter"].offset
    fingers, palm = reach.face_presentation(
        sk,
        side,
        smoker.grip,
        eff,
        clearance=0.003,
        body=tr,
        shifts=[(0.0, LIPS_OVERSHOOT, 0.0)],
        elbow_range=(115.0, 135.0),  # metrics B9 elbow at the mouth
        soft_wrist=True,  # as the reach below solves it
    )
    drift = noise_track(finger_rng, ctx.times, 0.08, channels=3) * smoker.manner.hand_drift * sk.leg_ratio
    arm = sum(float(np.linalg.norm(sk.offsets[sk.index(f"{side}{b}")])) for b in ("LowerArm", "Hand"))
    hold_at = targets.hand_target(ctx, tr, side, arm)
    spots = _HandSpots(_hold_wrist_offset(tr, side, 80.0), drift, eff, fingers, palm, hold_at)
    # facts §4 APA: a quick 8 mm pelvis shift (2-10 mm [E]) starting before the hand, so it stands out of
    # the sway (~10 mm/s) and is measured 30-80 ms ahead of the hand's onset; it stays as a counterbalance
    # while the hand is up and goes back as the hand lowers
    apa = reach.anticipation(
        ctx.times,
        rplan,
        _waypoints(tr, side, spots),
        amplitude=0.008 * sk.leg_ratio,
        lead=APA_LEAD,
        rise=0.22,
        persistent=True,
        axis_weights=(1.0, 0.0, 1.0),
        # back and a little away from the smoking side: the COP moves back before a forward arm raise
        direction=quat.rotate(tr.lrot[:, 0], np.array([-0.2 * s, 0.0, -1.0])),
    )
    # the hips settle on the legs again under the shift, keeping the base's bob below that height: settled afresh,
    # the hips bobbed 0.30 mm in 2 s against idle-breathe's 0.52 and ReActIdle's 0.87 (realism root.bob)
    bob = -tr.settle_hips_on_legs(feet, support_knee)
    tr.hips_offset += apa
    tr.settle_hips_on_legs(feet, support_knee)
    tr.hips_offset[:, 1] += bob
    # the wrist kept in range about the avatar's own hand axis (wrist to middle knuckle), as the joint-limit gate
    # measures it: Godette's knuckles sit 15° off its hand bone's axis, and clamped in the bone's frame its wrist
    # bent 37° radially at the lips (limit 22°)
    reach.solve_reach(tr, rplan, _waypoints(tr, side, spots), ctx.times, wrist_iterations=6, soft_wrist=True)


def _waypoints(tr: Tracks, side: str, spots: _HandSpots) -> dict[str, reach.Waypoint]:
    """The two waypoints on the body as posed now: ``hold`` (riding on the pelvis, so the deep smoke breath does
    not drag the resting hand) and ``lips``."""
    s = 1.0 if side == "left" else -1.0
    poses = standing.Poses(tr)
    hips = poses.grot("hips")
    wrist_hold = poses.gpos("hips") + quat.rotate(hips, spots.hold_offset) if spots.hold_at is None else spots.hold_at
    wrist_hold = wrist_hold + spots.drift
    rot_hold = reach.hand_rotation(
        quat.rotate(hips, np.array([-s * 0.3, 0.15, 1.0])),
        quat.rotate(hips, np.array([-s * 1.0, 0.6, 0.0])),
        side,
    )
    hold_eff = wrist_hold + quat.rotate(rot_hold, np.asarray(spots.effector))
    lips = poses.landmark("lips")
    rot_lips = reach.face_hand_rotation(poses.grot("head"), side, spots.fingers, spots.palm)
    return {
        "hold": reach.Waypoint(hold_eff, rot_hold, reach.elbow_pole(side, out=0.5, back=0.4)),
        "lips": reach.Waypoint(lips, rot_lips, reach.elbow_pole(side, out=1.0, back=0.0)),
    }


def _tap_ash(ctx: Context, tr: Tracks, smoker: Smoker) -> None:
    """Ash taps: the thumb (the index for the pinch) flicks the filter, the wrist jolts a little."""
    t = ctx.times
    side, s = smoker.side, smoker.s
    flick = np.zeros(len(t))
    for pf in smoker.plan.puffs:
        for ft in pf.ash_taps:
            if ft < ctx.duration:
                ctx.mark("ash_tap", ft)
            flick = np.maximum(flick, bump(t, ft, 0.5 * pf.flick_dur, 0.0, 0.5 * pf.flick_dur))
    if smoker.grip == "pinch":
        for ph, k in (("Proximal", 0.6), ("Intermediate", 1.0), ("Distal", 0.5)):
            tr.rotate(f"{side}Index{ph}", rot(np.array([0.0, 0.0, -s]), -18.0 * k * flick))
    else:
        ax = np.cross(np.array([s * 0.70, -0.06, 0.71]), -Y)
        # each flick ~20° in 75-125 ms: under the 600°/s joint-speed gate (metrics A8)
        tr.rotate(f"{side}ThumbProximal", rot(ax, 18.0 * flick))
        tr.rotate(f"{side}ThumbDistal", rot(ax, 15.0 * flick))
    # dart-thrower's oblique wrist flick (facts §4): flexion with ulnar deviation
    tr.rotate(f"{side}Hand", quat.mul(rot(np.array([0.0, 0.0, -s]), 5.0 * flick), rot(s * Y, -3.0 * flick)))


def _hold_elbow(tr: Tracks, side: str, dt: float) -> None:
    """The free hand cups the smoking arm's elbow from below and inside: wrist a hand-length medial of it."""
    sk = tr.skeleton
    other = "left" if side == "right" else "right"
    so = 1.0 if other == "left" else -1.0
    scale = sk.leg_ratio
    poses = standing.Poses(tr)
    elbow = poses.gpos(f"{side}LowerArm")
    sh_o = poses.gpos(f"{other}UpperArm")
    hand_len = float(np.linalg.norm(np.asarray(sk.landmarks[f"{other}HandTip"].offset)))
    target = elbow + np.array([so * 0.55 * hand_len, -0.04 * scale, 0.02 * scale])
    # it lags the elbow by the same time at every frame rate; 60 ms: the hand is holding it, not following it
    target = damp_track(target, 0.06, dt, ramp=True)
    rot_o = reach.hand_rotation(np.array([-so * 1.0, 0.15, 0.1]), np.array([0.0, 1.0, 0.2]), other)
    tr.solve_limb(f"{other}Arm", target, sh_o + reach.elbow_pole(other, out=0.3, back=0.6), end_grot=rot_o)
    jo = sk.index(f"{other}Hand")
    tr.lrot[:, jo] = reach.clamp_wrist(tr.lrot[:, jo], other)  # the cupping hand stays in its range
    hand.apply_grip(tr, other, "relaxed", 1.0)


def _face(tr: Tracks, t: Array, smoker: Smoker, head: tuple[Array, Array]) -> None:
    """Lips on the filter, a pursed exhale, eyes narrowing on the inhale, blinks; the eyes keep their view while
    the head dips and turns (``head``: its added yaw, pitch), and glance down at the cigarette on the raise."""
    n = len(t)
    ou = np.zeros(n)
    aa = np.zeros(n)
    narrow = np.zeros(n)
    gaze_pitch = np.zeros(n)
    for pf in smoker.plan.puffs:
        # lips close around the filter as it arrives and stay closed through the mouth hold
        ou = np.maximum(ou, 0.35 * bump(t, pf.lips_on - 0.12, 0.12, pf.puff_dur - 0.05, 0.25))
        ou = np.maximum(ou, 0.12 * bump(t, pf.lips_off, 0.1, pf.mouth_hold + 0.2, 0.4))
        # exhale through pursed lips (facts §5: slow exhale, optional side-mouth stream)
        ex = bump(t, pf.exhale_start, 0.3, max(pf.exhale - 0.8, 0.1), 0.5)
        ou = np.maximum(ou, 0.55 * ex)
        aa = np.maximum(aa, 0.12 * ex)
        narrow = np.maximum(narrow, 0.22 * bump(t, pf.lips_on, 0.4, pf.puff_dur + pf.mouth_hold + pf.inhale, 0.8))
        # eyes glance down at the cigarette as the hand rises (saccade ~180 ms after onset, facts §9)
        gaze_pitch -= 10.0 * bump(t, pf.raise_start + 0.18, 0.06, pf.raise_dur * 0.6, 0.3)
    blink = tr.expressions.get("blink", np.zeros(n))
    tr.expressions["blink"] = narrow + (1.0 - narrow) * blink
    tr.expressions["ou"] = ou
    tr.expressions["aa"] = aa
    yaw, pitch = head
    eye_fix = quat.mul(rot(Y, -0.7 * yaw), rot(X, 0.7 * pitch - gaze_pitch))
    if tr.skeleton.has("leftEye"):
        tr.rotate("leftEye", eye_fix)
        tr.rotate("rightEye", eye_fix)
    gaze = tr.gaze if tr.gaze is not None else np.tile(Z, (n, 1))
    tr.gaze = quat.rotate(eye_fix, gaze)


def _mark_puffs(ctx: Context, plan: Schedule) -> None:
    """The issue's phase markers (the quality suite reads puff/lower as lips on/off) plus its
    smoke_inhale_start/_end; inhale/exhale mark every breath, the smoke breath included. No touch:lips: the
    lips meet the cigarette, not a hand point (checked through the cigaretteFilter landmark)."""
    for pf in plan.puffs:
        for name, tm in (
            ("raise", pf.raise_start),
            ("puff", pf.lips_on),
            ("lower", pf.lips_off),
            ("smoke_inhale_start", pf.inhale_start),
            ("smoke_inhale_end", pf.hold_start),
            ("hold", pf.hold_start),
        ):
            if tm < ctx.duration:
                ctx.mark(name, tm)
    smoke_at = {round(pf.lips_on, 9): pf for pf in plan.puffs}
    for start, per in zip(plan.breaths.starts, plan.breaths.periods):
        smoke = smoke_at.get(round(float(start), 9))
        inh, exh = (smoke.inhale_start, smoke.exhale_start) if smoke else (start, start + per / 2.5)  # Ti 40%
        for name, tm in (("inhale", inh), ("exhale", exh)):
            if 0.0 <= tm < ctx.duration:
                ctx.mark(name, tm)


class SmokingCigarette(TrackProgram):
    meta = MotionMeta(
        id="smoking-cigarette",
        name="Smoking a cigarette",
        description="Standing smoker: measured puff topography, hand-to-lips reaches with IK, breathing, face.",
        tags=("standing", "smoking", "hand-to-mouth"),
        version="1",
        # "breathing" measures the quiet breaths only (the suite skips puff and smoke-breath windows)
        checks=("breathing", "blinks", "balance", "sway", "reach", "smoking"),
        standing=True,
        targets=("leftFoot", "rightFoot", "leftHand", "rightHand"),
    )
    schema = SCHEMA

    def build(self, ctx: Context) -> Tracks:
        p = ctx.params
        sk = ctx.skeleton
        rngs = _streams(ctx.rng)
        smoker = Smoker(str(p.handedness), str(p.grip), MANNERS[str(p.manner)], _plan(p, rngs, ctx.times, ctx.duration))
        sk.landmarks.update(reach.cigarette_landmarks(sk, smoker.side, smoker.grip))
        style = _base_style(p, smoker.manner)
        base = standing.build(ctx, style, markers=False)
        _mark_base(ctx, base.schedule)
        tr = base.tracks
        breath = _breathe(tr, smoker.plan.breaths.volume)
        rplan = _reach_plan(smoker, ctx.duration, sk.landmarks["cigaretteFilter"].offset)
        head = _turn_head(tr, ctx.times, smoker, rplan, breath)
        _reach(ctx, tr, smoker, rplan, base.feet, style.support_knee, rngs["fingers"])
        hand.apply_grip(tr, smoker.side, smoker.grip, 1.0, base="relaxed")
        _tap_ash(ctx, tr, smoker)
        if str(p.other_arm) == "hold_elbow":
            _hold_elbow(tr, smoker.side, 1.0 / ctx.fps)
        _face(tr, ctx.times, smoker, head)
        _mark_puffs(ctx, smoker.plan)
        standing.plant_feet(tr, style, base.feet)  # the feet stay planted under the APA-shifted pelvis
        return tr


PROGRAM = SmokingCigarette()
