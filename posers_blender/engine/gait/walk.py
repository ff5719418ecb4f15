"""The walk, stage by stage: plan footsteps -> place the feet -> move the pelvis -> solve the legs -> carry
the trunk, head and arms; and the replan that rolls the feet sooner where an ankle or knee runs out of range.

Every stage runs on one fixed time grid (:data:`GRID_HZ`) whatever the clip's frame rate, and the finished
walk is then read at the clip's frames: the replans, smoothers and springs see the same samples at 24 and
at 120 fps, so a frame rate changes the sampling, not the motion (issue 15).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ... import humanoid as hm
from .. import quat
from ..noise import noise_track
from ..program import Context, Tracks
from .feet import FootTrack, foot_tracks
from .heel_strike import heel_strike_response
from .legs import LegSolve, solve_legs
from .pelvis import PelvisSway, pelvis_height, pelvis_sway
from .plan import FootPlan, StepKeys, plan_footsteps
from .signals import GridRead, on_grid
from .stride_waves import stride_waves
from .style import (
    HEEL_RISE_DORSIFLEXION,
    KNEE_PUSHOFF_DIP,
    LANDING_DORSIFLEXION,
    MIN_DOUBLE_SUPPORT,
    RISE_DORSIFLEXION,
    SIDES,
    GaitSettings,
    GaitStyle,
    check_settings,
)
from .upper_body import upper_body

Array = NDArray[np.float64]
X = np.array([1.0, 0.0, 0.0])

# passes that move heel off or toe off sooner, or the heel rise earlier, where the ankle runs out of range or
# the trailing knee snaps straight before toe off
MAX_REPLANS = 3
LANDING_WINDOW = 0.06  # s before heel strike over which the landing ankle is judged
# The legs' speed bound. A dynamically similar (Froude-scaled) walk turns every joint 1 / sqrt(leg_ratio) times
# as fast as the default avatar's: on Godette's legs (0.57x) 1.33x. Its swing knee's extension before heel strike
# then peaks at ~640°/s in the runway walk at 1.2 m/s (built-in 478 at 120 fps) and ~750 at 1.4 m/s, past the
# 600°/s joint-speed gate (metrics §9 A8; the development mocap reaches 578). The gate stays: where the fastest
# knee on the grid (the 120 fps reading; lower frame rates read less) passes KNEE_SPEED_MAX, the walk is planned
# again at a slower pace, speed and cadence alike (the steps keep their length relative to the leg), aimed at
# KNEE_SPEED_AIM. Avatars whose knees stay under the bound walk the dynamically similar walk, unchanged: the
# built-in and the other sample VRMs at the default speeds and at 1.4 m/s (seeds 0-2, automatic cadence).
KNEE_SPEED_MAX = 585.0  # degrees/s
KNEE_SPEED_AIM = 570.0  # degrees/s
# the fastest knee goes about as pace^1.2-1.4 on Godette (shorter swings with the same arc, and the replanned
# rolls): the pace moves by the 1/1.3 power of the speed's excess [E]
PACE_RESPONSE = 1.0 / 1.3
MAX_SLOWDOWNS = 2
#: Hz of the time grid every stage runs on: each frame of 24, 30, 60 and 120 fps is a grid sample
GRID_HZ = 120.0
#: Clip frames per block when the grid's rotations are read at the clip's frames.
READ_BLOCK = 1024


@dataclass
class WalkResult:
    """A built walk: the pose tracks at the clip's frames, the (replanned) footstep plan, and the pose and
    foot tracks on the build grid (``grid_times``), for inspection."""

    tracks: Tracks
    plan: FootPlan
    feet: dict[str, FootTrack]
    grid: Tracks
    grid_times: Array


def build_walk(ctx: Context, style: GaitStyle, settings: GaitSettings) -> WalkResult:
    """Build a whole walking clip into :class:`Tracks` (plus the plan and foot tracks for inspection): the walk on
    the build grid (:func:`walk_on_grid`), then read at the clip's frames, once the stages' working tracks
    (legs, pelvis sway, noise) are gone."""
    grid, plan, feet = walk_on_grid(ctx, style, settings)
    return WalkResult(at_frames(grid, ctx.times), plan, feet, grid, build_grid(ctx.duration))


def walk_on_grid(
    ctx: Context, style: GaitStyle, settings: GaitSettings
) -> tuple[Tracks, FootPlan, dict[str, FootTrack]]:
    """The walk on the build grid (:func:`build_grid`): its pose tracks, the (replanned) footstep plan and the
    foot tracks.

    The legs are placed up to ``1 + MAX_REPLANS`` times: after a solve, the heel rises when the ankle runs
    out of dorsiflexion (facts §8: 20°), so any flat-foot phase that would bend the ankle past
    ``HEEL_RISE_DORSIFLEXION`` gets an earlier heel off, a heel rise that lags the shank gets a bigger,
    sooner rise, a trailing knee that straightens before toe off (the body outrunning the forefoot's roll)
    gets an earlier toe off, and a foot that would land toes-up past ``LANDING_DORSIFLEXION`` lands flatter
    (long-footed or short-legged avatars, fast walks, short closing steps). Only the feet, the pelvis height
    and the legs depend on those contact phases; the pelvis sway and the upper body are built once.

    Where a knee then turns faster than ``KNEE_SPEED_MAX`` (short-legged avatars: see there), the footsteps,
    pelvis and legs are planned again at a slower pace, up to ``MAX_SLOWDOWNS`` times; the upper body follows
    the last of them.
    """
    check_settings(settings, style)
    t = build_grid(ctx.duration)
    # one seed per random stream ("stride" varies the upper body stride by stride; "heel" drawn last, so the
    # others are as they were before it)
    seeds = {k: int(ctx.rng.integers(0, 2**63 - 1)) for k in ("plan", "noise", "blink", "stride", "waves", "heel")}
    noise = noise_track(np.random.default_rng(seeds["noise"]), t, 0.4, channels=6)
    low = _lower_body(ctx, style, settings, seeds, noise, t, 1.0)
    for _ in range(MAX_SLOWDOWNS):
        fastest = fastest_knee(low.tracks.lrot, GRID_HZ)
        if fastest <= KNEE_SPEED_MAX:
            break
        low = _lower_body(ctx, style, settings, seeds, noise, t, low.pace * (KNEE_SPEED_AIM / fastest) ** PACE_RESPONSE)
    upper_body(
        low.tracks,
        low.plan,
        low.keys,
        low.sway,
        style,
        settings,
        noise,
        np.random.default_rng(seeds["blink"]),
        np.random.default_rng(seeds["stride"]),
        GRID_HZ,
        ctx.duration,
    )
    _mark_events(ctx, low.plan)
    return low.tracks, low.plan, low.feet


@dataclass
class _LowerBody:
    """A walk's plan, pelvis and legs at one ``pace`` (the upper body still at rest in ``tracks``)."""

    pace: float
    plan: FootPlan
    keys: StepKeys
    sway: PelvisSway
    tracks: Tracks
    feet: dict[str, FootTrack]


def _lower_body(
    ctx: Context,
    style: GaitStyle,
    settings: GaitSettings,
    seeds: dict[str, int],
    noise: Array,
    t: Array,
    pace: float,
) -> _LowerBody:
    """Plan the footsteps at ``pace``, sway the pelvis, then place the legs and replan their rolls (see
    :func:`walk_on_grid`)."""
    sk = ctx.skeleton
    plan = plan_footsteps(settings, style, sk, ctx.duration, np.random.default_rng(seeds["plan"]), pace)
    keys = StepKeys.of(plan, t)
    waves = stride_waves(keys, plan, np.random.default_rng(seeds["waves"]))
    shock = heel_strike_response(keys, plan, np.random.default_rng(seeds["heel"]))
    sway = pelvis_sway(plan, keys, style, settings, sk, noise, waves, shock)
    tr = Tracks(sk, len(t))
    tr.set("hips", sway.rot)
    feet, legs = _place_legs(tr, plan, keys, sway, style, noise, ctx.duration, None)
    for _ in range(MAX_REPLANS):
        if not _replan_rolls(plan, tr.lrot, t, GRID_HZ, style):
            break
        feet, legs = _place_legs(tr, plan, keys, sway, style, noise, ctx.duration, legs)
    return _LowerBody(pace, plan, keys, sway, tr, feet)


def fastest_knee(lrot: Array, hz: float) -> float:
    """The fastest either knee turns between two samples ``1 / hz`` s apart (degrees/s)."""
    knees = lrot[:, [hm.INDEX[f"{name}LowerLeg"] for name, _ in SIDES]]
    return float(np.degrees(np.max(np.linalg.norm(quat.angular_velocity(knees, 1.0 / hz), axis=-1))))


def build_grid(duration: float) -> Array:
    """The build's time grid (s): every ``1 / GRID_HZ`` from 0 to past ``duration`` (spare samples for the
    interpolation at the end); it depends on the duration alone."""
    return np.arange(int(np.ceil(duration * GRID_HZ)) + 3) / GRID_HZ


def at_frames(grid: Tracks, times: Array) -> Tracks:
    """The grid-built tracks read at the clip's frame ``times`` (see :func:`~.signals.on_grid`); the rotations
    hemisphere-continuous on the grid, read in blocks of :data:`READ_BLOCK` frames (no full-size temporary)."""
    out = Tracks(grid.skeleton, len(times))
    read = GridRead.of(GRID_HZ, times, grid.n_frames)
    flips = quat.continuity_flips(grid.lrot)
    for s in range(0, len(times), READ_BLOCK):
        frames = slice(s, s + READ_BLOCK)
        if read.exact:  # every frame on a grid sample (24, 30, 60, 120 fps): only those rows
            i = read.i[frames]
            out.lrot[frames] = quat.normalize(grid.lrot[i] * np.where(flips[i, :, None], -1.0, 1.0))
            continue
        rows = read.rows(frames)
        block = grid.lrot[rows] * np.where(flips[rows, :, None], -1.0, 1.0)  # quat.continuous(grid.lrot)[rows]
        out.lrot[frames] = quat.normalize(read.read(block, frames, rows.start))
    out.hips_offset[:] = on_grid(grid.hips_offset, GRID_HZ, times)
    for name, track in grid.expressions.items():
        out.expressions[name] = np.clip(on_grid(track, GRID_HZ, times), 0.0, 1.0)
    if grid.gaze is not None:
        out.gaze = on_grid(grid.gaze, GRID_HZ, times)
    return out


def _place_legs(
    tr: Tracks,
    plan: FootPlan,
    keys: StepKeys,
    sway: PelvisSway,
    style: GaitStyle,
    noise: Array,
    duration: float,
    legs: dict[str, LegSolve] | None,
) -> tuple[dict[str, FootTrack], dict[str, LegSolve]]:
    """The stages the contact phases drive: foot tracks, then the pelvis height they allow, then the legs
    (solved again only where their inputs changed since ``legs``, the previous pass)."""
    sk = tr.skeleton
    feet = foot_tracks(plan, style, sk, keys.times)
    if sway.treadmill is not None:  # walking on the spot: the feet slide back as on a treadmill
        for ft in feet.values():
            ft.ankle -= sway.treadmill
    pelvis = sway.pos.copy()
    pelvis[:, 1] = pelvis_height(plan, keys, style, sk, sway, feet, noise, duration)
    tr.hips_offset[:] = pelvis - sk.offsets[0]
    return feet, solve_legs(tr, feet, style, legs)


def _mark_events(ctx: Context, plan: FootPlan) -> None:
    """Contact events inside the clip as markers (``leftHeelStrike``, ``rightToeOff``, ...)."""
    for i in range(plan.n):
        nm = "left" if plan.side[i] > 0 else "right"
        for key, arr in (("HeelStrike", plan.hs), ("FootFlat", plan.ff), ("HeelOff", plan.ho), ("ToeOff", plan.to)):
            tv = float(arr[i])
            if np.isfinite(tv) and 0.0 <= tv < ctx.duration:
                ctx.mark(f"{nm}{key}", tv)


# ---- the replan --------------------------------------------------------------------------------------
def _replan_rolls(plan: FootPlan, lrot: Array, t: Array, fps: float, style: GaitStyle) -> bool:
    """Replan the rolls that ran out of range in a solved walk (see :func:`build_walk`); True if any changed."""
    changed = False
    for name, sgn in SIDES:
        knee = np.degrees(quat.to_axis_angle(lrot[:, hm.INDEX[f"{name}LowerLeg"]])[1])
        dorsi = -np.degrees(quat.twist_angle(lrot[:, hm.INDEX[f"{name}Foot"]], X))
        others = plan.hs[plan.side == -sgn]
        for i in np.nonzero(plan.side == sgn)[0]:
            changed |= _land_flatter(plan, i, dorsi, t, style)
            if not (np.isfinite(plan.hs[i]) and np.isfinite(plan.ho[i])):
                continue
            changed |= _earlier_heel_off(plan, i, dorsi, t)
            changed |= _sooner_rise(plan, i, dorsi, t)
            changed |= _sooner_toe_off(plan, i, knee, t, fps, others)
    return changed


def _land_flatter(plan: FootPlan, i: int, dorsi: Array, t: Array, style: GaitStyle) -> bool:
    """A foot set down toes-up in front of a bent knee (short closing steps) lands flatter (judged from the
    end of the swing, where the swing ankle's cap has faded out, to the first stance sample)."""
    first = int(np.searchsorted(t, plan.hs[i], side="left"))
    if not (np.isfinite(plan.hs[i]) and first < len(t)):
        return False
    a = int(np.searchsorted(t, plan.hs[i] - LANDING_WINDOW, side="left"))
    over = float(np.max(dorsi[a : first + 1])) - LANDING_DORSIFLEXION
    if over > 0.5 and plan.land_scale[i] > 0.0:
        full = style.heel_strike_pitch * plan.land_scale[i]
        plan.land_scale[i] *= max(0.0, 1.0 - (over + 1.0) / max(full, 1e-6))
        return True
    return False


def _earlier_heel_off(plan: FootPlan, i: int, dorsi: Array, t: Array) -> bool:
    """The heel rises before the flat foot's ankle passes ``HEEL_RISE_DORSIFLEXION``."""
    a, b = np.searchsorted(t, [plan.ff[i], plan.ho[i]], side="left")
    hit = np.nonzero(dorsi[a:b] > HEEL_RISE_DORSIFLEXION)[0]
    if not len(hit):
        return False
    new = max(plan.ff[i] + 0.02, float(t[a + hit[0]]) - 0.06)
    if new < plan.ho[i]:
        plan.ho[i] = new
        return True
    return False


def _sooner_rise(plan: FootPlan, i: int, dorsi: Array, t: Array) -> bool:
    """After heel off the foot must pitch up at least as fast as the shank tilts: a bigger, earlier rise
    where the ankle passes ``RISE_DORSIFLEXION`` (a late, steep rise leaves a long-footed avatar's shank
    tilting past the ankle's range before the heel comes up)."""
    a, b = np.searchsorted(t, [plan.ho[i], plan.to[i]], side="left")
    excess = float(np.max(dorsi[a:b] - RISE_DORSIFLEXION, initial=0.0))
    if excess <= 0.5:
        return False
    boost = max(plan.push_boost[i], min(1.0 + excess / 40.0, 1.3))
    power = max(1.2, plan.rise_power[i] - excess / 3.0)
    # already as big and as soon as it gets (boost 1.3, power 1.2): no change, so no pass to place the legs again
    if boost == plan.push_boost[i] and power == plan.rise_power[i]:
        return False
    plan.push_boost[i], plan.rise_power[i] = boost, power
    return True


def _sooner_toe_off(plan: FootPlan, i: int, knee: Array, t: Array, fps: float, others: Array) -> bool:
    """The knee bends from late stance on into swing: where the trailing leg would straighten before toe off
    (the body moving on faster than the forefoot rolls: long-footed avatars, fast walks), the foot leaves
    the floor where the knee stopped bending, on the roll it had planned (``others``: the other foot's
    heel strikes)."""
    a, b = np.searchsorted(t, [plan.ho[i], plan.to[i]], side="left")
    if b - a <= 2 or not np.isfinite(plan.to[i]):
        return False
    tk, k = t[a:b], knee[a:b]
    lo = int(np.argmin(k[: max(1, int(0.6 * len(k)))]))  # straightest point of mid stance
    j = lo + int(np.argmax(k[lo:]))  # the knee's bend before toe off
    if float(k[j] - np.min(k[j:])) <= KNEE_PUSHOFF_DIP:
        return False
    new = max(float(tk[j]) + 0.5 / fps, plan.ho[i] + 0.5 * (plan.to[i] - plan.ho[i]))
    landed = int(np.searchsorted(others, plan.to[i], side="left"))
    if landed:  # never before the other foot has landed and taken the weight (no flight phase)
        new = max(new, float(others[landed - 1]) + MIN_DOUBLE_SUPPORT)
    if new < plan.to[i] - 1e-3:
        plan.roll_end[i] = max(plan.roll_end[i], plan.to[i])
        plan.to[i] = new
        return True
    return False
