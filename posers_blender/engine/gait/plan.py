"""Footstep plan: the speed profile along the path, step times, footfalls and contact phases.

:func:`plan_footsteps` is the first stage of a walk. It gives a :class:`FootPlan`: per footfall the side,
heel strike, foot flat, heel off and toe off times, the ankle's floor point and yaw, and the pelvis
progression ``S(t)`` along the :class:`~.path.Path`. Facts §2a: cadence, step length, stance and double
support; gait initiation and termination within two steps.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from ... import humanoid as hm
from ..curves import minimum_jerk
from ..skeleton import DEFAULT_LEG_LENGTH, Skeleton
from .path import Path, straight, to_target, turn
from .signals import key_track, pink_noise
from .style import GaitSettings, GaitStyle, auto_cadence, step_width

Array = NDArray[np.float64]

T_GO = 0.20  # s: APA, the COM starts moving before the first toe off [E, ~0.2-0.4 s]
T_FIRST_TO = 0.45  # s: the first toe off of a walk from standing [E]
# steps since the last heel strike at the first frame of a walk started mid-stride [E]: past the trailing
# foot's toe off (0.16 step after it), whose roll the replans cannot see before the clip; at 0.25 the clip
# opened with the runway's trailing knee straight at 0° just after toe off (velocity jump 1.3 m/s at 120 fps)
MID_STRIDE_OPEN = 0.45
SETTLE = 0.8  # s the walker stands still at the end of a clip that stops [E]
# Corners: people slow down where the path turns tightly (facts §4: curved paths slow down where curvature is
# high). The heading turns no faster than the head does in walking (facts §2c: head peak angular velocity
# <= about 90°/s; the head leads the path by ``look_ahead``: 115°/s turned the neck past its range), and no
# more than MAX_TURN_PER_STEP in one step (69° per step put the hip's rotation past its facts §8 range,
# 57° passed) [E].
MAX_TURN_RATE = 1.5  # rad/s (86°/s)
MAX_TURN_PER_STEP = np.radians(50.0)
CORNER_DS = 0.005  # m: the arc-length grid the corner slowdown is planned on
HEADING_SMOOTHING = 0.08  # s (Gaussian sigma) the pelvis's and head's path heading is smoothed over [E]


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
    # per footfall, adjusted by the replans (walk._replan_rolls)
    push_boost: Array  # x toe-off pitch
    rise_power: Array  # heel-rise power
    roll_end: Array  # end of the planned roll (>= to: toe off may come before the roll ends)
    land_scale: Array  # x heel-strike pitch

    def pelvis_s(self, t: Array) -> Array:
        return np.interp(t, self.grid_t, self.grid_s)

    def heading(self, t: Array) -> Array:
        """The path's heading (radians) under the pelvis at evenly spaced times ``t``, smoothed over
        ``HEADING_SMOOTHING`` s. A path's arcs meet its lines with a step in curvature, so the raw heading's
        rate steps at a turn's ends: at 1.5 rad/s the turning trunk threw the hands 0.7 m/s in one frame at
        120 fps (the velocity-jump gate allows 0.67)."""
        if len(t) < 2:
            return self.path.theta(self.pelvis_s(t))
        dt = float(t[1] - t[0])
        r = int(np.ceil(3.0 * HEADING_SMOOTHING / dt))
        around = t[0] + dt * np.arange(-r, len(t) + r)
        kernel = np.exp(-0.5 * (np.arange(-r, r + 1) * dt / HEADING_SMOOTHING) ** 2)
        return np.convolve(self.path.theta(self.pelvis_s(around)), kernel / kernel.sum(), mode="valid")

    def speed_at(self, t: Array) -> Array:
        v = np.gradient(self.grid_s, self.grid_t)
        return np.interp(t, self.grid_t, v)

    def speed_share(self, t: Array) -> Array:
        """The walking speed at ``t`` as a share of the planned speed, in [0, 1]: 0 standing, 1 under way (what
        the fitted layers fade in and out with)."""
        return np.clip(self.speed_at(t) / max(self.speed, 1e-6), 0.0, 1.0)

    @property
    def n(self) -> int:
        return len(self.side)


def walking_speed_and_cadence(
    settings: GaitSettings, style: GaitStyle, leg_length: float, pace: float = 1.0
) -> tuple[float, float]:
    """(speed m/s, cadence steps/min) for this avatar.

    Facts §2a: 1.3 m/s at 110 spm for the 1.65 m adult (step 0.42-0.43 H).
    Step length and cadence both grow about as speed^0.5 [E]. Froude scaling
    by leg length: speed x sqrt(L/L0), cadence x sqrt(L0/L). ``pace`` (<= 1) slows
    that dynamically similar walk down, speed and cadence alike, so the steps keep
    their length relative to the leg (see :func:`~.walk.walk_on_grid`).
    """
    lr = leg_length / DEFAULT_LEG_LENGTH
    v_ref = settings.speed
    if settings.cadence > 0:
        cad_ref = settings.cadence
    else:
        cad_ref = auto_cadence(v_ref, style)
    return v_ref * np.sqrt(lr) * pace, cad_ref / np.sqrt(lr) * pace


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
        return to_target(np.asarray(settings.target) * lr, settings.turn_radius * lr)
    return straight(reach)


def plan_footsteps(
    settings: GaitSettings,
    style: GaitStyle,
    skeleton: Skeleton,
    duration: float,
    rng: np.random.Generator,
    pace: float = 1.0,
) -> FootPlan:
    """Footfalls, contact phases and the pelvis progression for one walk (see :class:`FootPlan`), at ``pace``
    times the dynamically similar walk's speed and cadence."""
    leg_length = skeleton.leg_length
    lr = leg_length / DEFAULT_LEG_LENGTH  # Skeleton.leg_ratio (each call measures the rest pose again)
    v, cad = walking_speed_and_cadence(settings, style, leg_length, pace)
    period = 60.0 / cad
    path = make_path(settings, v, duration, lr)
    if path.finite and not settings.stop:
        # a target is where the walk ends: the walker stops there whatever ``stop_at_end`` says (kept
        # walking, the pelvis halted dead at the path's end: a 150 mm arm and finger pop)
        settings = replace(settings, stop=True)
    prog = _progression(settings, path, v, period, duration)
    steps = _footfalls(settings, style, skeleton, lr, path, prog, _StepNoise.draw(rng, prog, settings, style, lr))
    to, ff, ho = _contact_phases(steps, settings, style, prog)
    pts = path.point(steps.s) + steps.lateral[:, None] * path.left(steps.s)
    yaw = path.theta(steps.s) + steps.side * np.radians(style.toe_out)
    n = len(steps.side)
    return FootPlan(
        side=steps.side,
        hs=steps.hs,
        ff=ff,
        ho=ho,
        to=to,
        ankle_xz=pts,
        yaw=yaw,
        s=steps.s,
        step_time=steps.step_time,
        moving=steps.moving,
        path=path,
        grid_t=prog.grid_t,
        grid_s=prog.grid_s,
        speed=prog.speed,
        step_length=prog.step_length,
        step_period=period,
        t_end=prog.t_end,
        push_boost=np.ones(n),
        rise_power=np.full(n, style.heel_rise_power),
        roll_end=to.copy(),
        land_scale=np.ones(n),
    )


# ---- speed profile ------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Progression:
    """The pelvis' progression along the path: ``S(t)`` on a fine grid, with its start and stop."""

    speed: float  # steady speed, m/s (lowered when a target is too close to reach it)
    period: float  # step period, s
    grid_t: Array
    grid_s: Array
    t_stop: float  # the termination ramp starts (inf: never)
    t_end: float  # at rest again (inf: never)
    s_end: float  # where the walker stops along the path (inf: never)
    duration: float  # s of the clip
    span: float  # s the grid covers (steps are drawn for all of it)

    @property
    def step_length(self) -> float:
        return self.speed * self.period

    def s_at(self, t: float) -> float:
        return float(np.interp(t, self.grid_t, self.grid_s))


def _progression(settings: GaitSettings, path: Path, v: float, period: float, duration: float) -> _Progression:
    """Initiation and termination ramps (minimum jerk) around a steady speed ``v``."""
    r_up = (T_FIRST_TO - T_GO) + 2.0 * period  # steady speed by the end of the second step [R]
    r_down = 2.0 * period  # stop within two steps [R]
    corner = None
    length = None  # the nominal length a finite path's stop is planned for
    if settings.stop and path.finite:
        need = v * (r_up + r_down) / 2.0
        if path.length < need:
            v = max(path.length / max((r_up + r_down) / 2.0, 1e-3), 0.05)
        corner = _corner_slowdown(path, v, period)
        # the walk at the steady speed whose slowed-down corners end at the path's end
        length = corner.nominal(path.length) if corner is not None else path.length
        t_stop = length / v + (T_GO if settings.start else 0.0) + (r_up / 2 if settings.start else 0.0) - r_down / 2
    else:
        corner = _corner_slowdown(path, v, period)
        t_stop = duration - SETTLE - r_down if settings.stop else np.inf
    if settings.start and settings.stop and t_stop < T_GO + r_up - 1e-9:
        half = max((duration - SETTLE - T_GO) / 2.0, 0.4)
        r_up = r_down = half
        t_stop = T_GO + r_up
        if length is not None:  # the two ramps walk the whole (short) path: no dead stop at its end
            v = min(v, length / half)
    g0 = -6.0 * period
    g1 = (duration if not np.isfinite(t_stop) else max(duration, t_stop + r_down)) + 6.0 * period
    grid_t = np.arange(g0, g1, 1.0 / 480.0)
    up = minimum_jerk((grid_t - T_GO) / r_up) if settings.start else np.ones_like(grid_t)
    down = 1.0 - minimum_jerk((grid_t - t_stop) / r_down) if np.isfinite(t_stop) else np.ones_like(grid_t)
    vel = v * up * down
    grid_s = np.concatenate([[0.0], np.cumsum(0.5 * (vel[1:] + vel[:-1]) * np.diff(grid_t))])
    grid_s -= np.interp(0.0, grid_t, grid_s) if not settings.start else 0.0
    if corner is not None:  # slower through the corners: the same walk along the reparametrised path
        grid_s = corner.arc_length(grid_s)
    if path.finite:
        grid_s = np.minimum(grid_s, path.length)
    finite = bool(np.isfinite(t_stop))
    return _Progression(
        speed=v,
        period=period,
        grid_t=grid_t,
        grid_s=grid_s,
        t_stop=t_stop,
        t_end=t_stop + r_down if finite else np.inf,
        s_end=float(grid_s[-1]) if finite else np.inf,
        duration=duration,
        span=g1 - g0,
    )


@dataclass(frozen=True)
class _Corners:
    """Where a path turns too tightly for the steady speed: the share of that speed walked there (``share``,
    on the arc-length grid ``s``, every ``CORNER_DS`` m from before the path's start to past its end, 1 at
    both ends and beyond), and ``sigma``, the distance the walker would have covered at the steady speed by
    the time it reaches each ``s`` (the integral of ``1 / share``, 0 at ``s`` = 0): walking slower in a corner
    is walking the path reparametrised by arc length."""

    s: Array
    share: Array
    sigma: Array

    def nominal(self, s: float) -> float:
        """The steady-speed distance ``sigma`` at arc length ``s``."""
        past = max(s - float(self.s[-1]), 0.0) + min(s - float(self.s[0]), 0.0)
        return float(np.interp(s, self.s, self.sigma)) + past

    def arc_length(self, sigma: Array) -> Array:
        """Arc length at steady-speed distances ``sigma`` (the inverse of :meth:`nominal`)."""
        past = np.maximum(sigma - self.sigma[-1], 0.0) + np.minimum(sigma - self.sigma[0], 0.0)
        return np.interp(sigma, self.sigma, self.s) + past


def _corner_slowdown(path: Path, v: float, period: float) -> _Corners | None:
    """The slowdown where ``path`` turns faster than ``MAX_TURN_RATE`` or more than ``MAX_TURN_PER_STEP`` per
    step at ``v`` m/s and a step every ``period`` s; None where no corner needs one (the walk is unchanged).

    The walker eases down before the corner and up after it, over about a step's length each side: the
    speed cap's minimum over a window of that half-width, smoothed by a raised-cosine kernel as wide (so the
    share is smooth and never above the cap). The path runs straight before its start (a walk that starts
    mid-stride comes from there) and past its end."""
    w = max(int(round(v * period / CORNER_DS)), 1)
    s = CORNER_DS * np.arange(-3 * w, int(np.ceil(path.length / CORNER_DS)) + 3 * w + 1)
    bend = np.abs(np.gradient(path.theta(s), CORNER_DS))  # curvature, 1/m
    cap = min(MAX_TURN_RATE, MAX_TURN_PER_STEP / period) / np.maximum(bend, 1e-9)
    share = np.minimum(cap / max(v, 1e-6), 1.0)
    if share.min() >= 1.0 - 1e-9:
        return None
    padded = np.concatenate([np.ones(2 * w), share, np.ones(2 * w)])
    low = np.lib.stride_tricks.sliding_window_view(padded, 2 * w + 1).min(axis=1)
    kernel = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(1, 2 * w + 2) / (2 * w + 2))
    share = np.minimum(np.convolve(low, kernel / kernel.sum(), mode="valid"), 1.0)
    sigma = np.concatenate([[0.0], np.cumsum(0.5 * (1.0 / share[1:] + 1.0 / share[:-1]) * CORNER_DS)])
    return _Corners(s, share, sigma - sigma[3 * w])


# ---- step times and footfalls -------------------------------------------------------------------
@dataclass(frozen=True)
class _StepNoise:
    """Per-step random draws: step times, step-width jitter and the first stepping foot."""

    steps: Array  # s, one per step
    width: Array  # m of lateral jitter per step
    first: float  # +1 the left foot steps first, -1 the right

    @staticmethod
    def draw(
        rng: np.random.Generator, prog: _Progression, settings: GaitSettings, style: GaitStyle, lr: float
    ) -> _StepNoise:
        """Pink stride noise plus a little step-level asymmetry (facts §2a: stride CV, PCI 1-5 %)."""
        period = prog.period
        n_max = int(prog.span / (0.6 * period)) + 8
        cv = settings.stride_cv / 100.0
        stride_noise = pink_noise(rng, n_max // 2 + 2)
        step_noise = rng.standard_normal(n_max) * 0.009  # facts §2a PCI 3.2 ± 1.1 % [M]
        steps = period * (1.0 + cv * np.repeat(stride_noise, 2)[:n_max] + step_noise)
        steps = np.clip(steps, 0.7 * period, 1.3 * period)
        width = rng.standard_normal(n_max) * style.step_width_sd * lr
        first = 1.0 if rng.uniform() < 0.5 else -1.0
        return _StepNoise(steps, width, first)


@dataclass
class _Steps:
    """Footfalls in order (lists while they are laid, arrays after :meth:`arrays`)."""

    side: list[float]
    hs: list[float]
    s: list[float]
    lat: list[float]
    st: list[float]
    moving: list[bool]

    def add(self, side: float, hs: float, s: float, lat: float, st: float, moving: bool) -> None:
        for lst, v in ((self.side, side), (self.hs, hs), (self.s, s), (self.lat, lat), (self.st, st)):
            lst.append(v)
        self.moving.append(moving)


@dataclass(frozen=True)
class _FootfallArrays:
    side: Array
    hs: Array
    s: Array
    lateral: Array
    step_time: Array
    moving: NDArray[np.bool_]


def _footfalls(
    settings: GaitSettings,
    style: GaitStyle,
    skeleton: Skeleton,
    lr: float,
    path: Path,
    prog: _Progression,
    noise: _StepNoise,
) -> _FootfallArrays:
    """Lay the footfalls: two standing feet (from a stand), steps at the noisy step times, a stop and a closing step."""
    period, step_len, s_end = prog.period, prog.step_length, prog.s_end
    width = step_width(style, settings) * lr
    n_max = len(noise.steps)
    rest = skeleton.rest_positions()
    stand_half = float(abs(rest[hm.INDEX["leftFoot"], 0] - rest[hm.INDEX["rightFoot"], 0])) / 2.0
    out = _Steps([], [], [], [], [], [])
    if settings.start:
        for sd in (noise.first, -noise.first):  # two standing feet; the first mover leaves at T_FIRST_TO
            out.add(sd, -np.inf, 0.0, sd * stand_half, period, False)
        t_hs = T_FIRST_TO + 2.0 * period * (1.0 - style.stance)
        cur = -noise.first
    else:
        # mid-stride: the clip opens in mid stance (MID_STRIDE_OPEN), never with a heel in its last
        # centimetres of descent (the contact rule takes that for a planted heel sliding: 5.4 mm)
        hs0 = -4.0 * 2 * period + np.concatenate([[0.0], np.cumsum(noise.steps)])
        t_hs = -4.0 * 2 * period - float(hs0[np.searchsorted(hs0, 0.0) - 1]) - MID_STRIDE_OPEN * period
        cur = noise.first
    stopping = settings.stop and np.isfinite(s_end)
    k = 0
    while True:
        cur = -cur
        tk = float(noise.steps[min(k, n_max - 1)])
        sk = prog.s_at(t_hs + style.midstance * tk)
        last = False
        if stopping and (s_end - sk < 0.45 * step_len or t_hs > prog.t_end):
            # land on the stop line unless that makes this step overlong; then the next step stops
            if s_end - out.s[-1] <= 1.1 * step_len or t_hs > prog.t_end:
                sk, last = s_end, True
        if last and len(out.s) >= 2 and abs(sk - out.s[-2]) < 0.25 * step_len:
            break  # this foot is already about where it should stop: no shuffle step
        out.add(cur, t_hs, sk, cur * (width / 2.0 + noise.width[min(k, n_max - 1)]), tk, True)
        k += 1
        t_hs += tk
        if last:
            if abs(s_end - out.s[-2]) >= 0.25 * step_len:
                # closing step: the trailing foot comes alongside
                out.add(-cur, t_hs + 0.1 * period, s_end, -cur * max(width / 2.0, stand_half * 0.8), tk, True)
            break
        if (t_hs > prog.duration + 3.0 * period and not stopping) or k > n_max - 2:
            break
    return _FootfallArrays(
        np.asarray(out.side),
        np.asarray(out.hs),
        np.asarray(out.s),
        np.asarray(out.lat),
        np.asarray(out.st),
        np.asarray(out.moving),
    )


def _contact_phases(
    steps: _FootfallArrays, settings: GaitSettings, style: GaitStyle, prog: _Progression
) -> tuple[Array, Array, Array]:
    """(toe off, foot flat, heel off) per footfall from the heel strikes (facts §2a stance, §2b ankle)."""
    hs, st = steps.hs, steps.step_time
    n = len(hs)
    to = np.full(n, np.inf)
    ds_frac = 2.0 * style.stance - 1.0  # double support per step, in steps
    nxt = hs[1:]
    to[:-1] = np.where(np.isfinite(nxt), nxt + ds_frac * st[:-1], np.inf)
    if settings.start:
        to[0] = T_FIRST_TO
        to[1] = hs[2] + ds_frac * st[2] if n > 2 else np.inf
    if settings.stop and np.isfinite(prog.s_end):  # the last two footfalls of a stop stand for good
        to[-1] = np.inf
        to[-2] = np.inf
    stride = 2.0 * st
    ff = hs + style.foot_flat * stride
    ho = np.where(np.isfinite(to), hs + style.heel_off * stride, np.inf)
    ho = np.where(np.isfinite(to), np.minimum(ho, to - 0.08 * stride), ho)
    if settings.start:
        ho[0] = to[0] - (style.stance - style.heel_off) * 2 * prog.period
        ho[1] = to[1] - (style.stance - style.heel_off) * 2 * prog.period
    return to, ff, ho


# ---- the footfalls as keys of the body's oscillations ------------------------------------------------
@dataclass(frozen=True)
class StepKeys:
    """The moving footfalls as keys of every oscillation keyed to them (pelvis, arms), on the frame times.

    ``env [K]`` is each footfall's amplitude envelope: short steps (start, stop) give smaller
    oscillations, standing footfalls none. ``hs``, ``side``, ``step_time`` and ``en`` are the moving
    footfalls' heel strikes, sides, step times and envelopes.
    """

    times: Array
    env: Array
    hs: Array
    side: Array
    step_time: Array
    en: Array
    t_start: float  # the walk's oscillations start from rest before this
    t_rest: float  # and are back at rest after this
    endless: bool  # the walk never stops

    @staticmethod
    def of(plan: FootPlan, t: Array) -> StepKeys:
        s_prev = np.empty(plan.n)
        s_prev[0] = plan.s[0]
        s_prev[1:] = plan.s[:-1]
        env = np.clip(np.abs(plan.s - s_prev) / max(plan.step_length, 1e-6), 0.0, 1.0)
        env = np.where(plan.moving, env, 0.0)
        mv = np.nonzero(plan.moving)[0]
        hs = plan.hs[mv]
        endless = not np.isfinite(plan.t_end)
        return StepKeys(
            times=t,
            env=env,
            hs=hs,
            side=plan.side[mv],
            step_time=plan.step_time[mv],
            en=env[mv],
            t_start=float(hs[0]) - 2 * plan.step_period if len(hs) else 0.0,
            t_rest=float(t[-1]) + 10.0 if endless else plan.t_end,
            endless=endless,
        )

    def keyed(self, times_k: Array, values_k: Array, start_v: float = 0.0) -> Array:
        """A half-cosine track through ``values_k`` at ``times_k``, from ``start_v`` at rest and back to 0."""
        kt = np.concatenate([[min(self.t_start, -1.0)], times_k, [self.t_rest + 0.3]])
        kv = np.concatenate([[start_v], values_k, [0.0]])
        if self.endless:
            kt, kv = kt[:-1], kv[:-1]
        return key_track(self.times, kt, kv)
