"""Feet: per frame the ankle target, foot rotation, toe bend and contact phases of both feet.

The second stage of a walk: :func:`foot_tracks` takes the :class:`~.plan.FootPlan` and rolls each stance
over the heel (heel rocker), flat, then over the MTP joint with the toes held flat and finally over the toe
tip (forefoot and toe rockers); each swing is a C1 quintic of the heel point from toe off to the next heel
strike, lifted for clearance, and the swinging foot is raised where a sole point would dip into the floor.
Everything is vectorised over frames: each frame looks up its footfall, and the stance and swing shapes
are evaluated for all frames at once. :func:`limit_swing_ankle` keeps the swinging ankle inside its range
once the legs are solved (facts §8).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .. import quat
from ..curves import minimum_jerk
from ..skeleton import Skeleton
from .geometry import FootGeometry, foot_geometry, lowest_sole_point
from .plan import FootPlan
from .signals import front_load, gauss_smooth, hermite5
from .style import SIDES, GaitStyle

Array = NDArray[np.float64]
X = np.array([1.0, 0.0, 0.0])
Y = np.array([0.0, 1.0, 0.0])

ANKLE_PASS = 0.07  # m between the ankle centres as the swing foot passes the stance ankle (two half ankle widths) [E]
# m: the lowest a sole point passes over the floor in mid swing [E: minimum toe clearance in healthy adults
# is about 1-2 cm; not in the facts file]
TOE_CLEARANCE = 0.012
ANKLE_CAP_SMOOTHING = 0.05  # s (Gaussian sigma) the swing ankle's range cap is spread over [E]
LIFT_RAMP = 0.04  # s the swing foot's floor lift takes at least to come on and off [E]
LIFT_SPEED = 0.3  # m/s (mean) the floor lift comes on and off no faster than [E]
LIFT_MIN = 0.0005  # m: smaller floor lifts are only rounded, not spread [E]
CUSHION = 0.03  # s the landing heel takes to settle onto the floor (a few mm) [E]
CAP_FADE = 0.12  # share of a swing at its end over which the swing ankle's cap and floor lift fade out [E]
RISE_ONSET = 0.1  # s the heel's rate takes to come on after heel off where the rise is steep [E]
EPS = 1e-3  # s: the time step of the rates a swing takes over from the stance at its ends


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
    dt: float  # s between the track's samples


def foot_tracks(plan: FootPlan, style: GaitStyle, sk: Skeleton, times: Array) -> dict[str, FootTrack]:
    """Ankle targets and foot rotations of both feet for every frame time."""
    out: dict[str, FootTrack] = {}
    lr = sk.leg_ratio
    for name, sgn in SIDES:
        g = foot_geometry(sk, name)
        rolls = _Rolls.of(plan, style, sgn, g, lr)
        ft = _empty_track(len(times), float(times[1] - times[0]) if len(times) > 1 else 1.0)
        _stances(ft, rolls, times)
        _swings(ft, rolls, plan, style, lr, times)
        _holds(ft, rolls, times)
        _lift_above_floor(ft, g, lr)
        out[name] = ft
    return out


# ---- one foot's footfalls -----------------------------------------------------------------------
@dataclass(frozen=True)
class _Rolls:
    """One foot's footfalls ``[K]`` (``idx`` into the plan) with what their stances need."""

    idx: NDArray[np.intp]
    other: NDArray[np.intp]  # the other foot's footfalls
    sgn: float
    g: FootGeometry
    toe_limit: float  # radians of MTP extension (inf: no toes bone, the foot rolls on its tip throughout)
    hs: Array
    ff: Array
    ho: Array
    to: Array
    roll_end: Array
    p_hs: Array  # heel-strike pitch, radians
    p_to: Array  # toe-off pitch, radians
    power: Array  # heel-rise power
    yaw: Array
    planted: _Planted  # where each flat foot's heel, forefoot pivot and toe tip rest
    land_speed: float  # m/s the heel is still moving down as it touches the floor

    @staticmethod
    def of(plan: FootPlan, style: GaitStyle, sgn: float, g: FootGeometry, lr: float) -> _Rolls:
        idx = np.nonzero(plan.side == sgn)[0]
        # push-off scales with the length of the step the foot is about to take (a closing step barely rolls)
        push = np.ones(len(idx))
        land = np.ones(len(idx))
        push[:-1] = np.clip(_step_lengths(plan, idx[:-1], idx[1:]) / max(plan.step_length, 1e-6), 0.25, 1.0)
        land[1:] = np.maximum(push[:-1], 0.7)  # a short step lands a little flatter (flatter skids the forefoot in)
        if not np.isfinite(plan.to[idx[-1]]):
            land[-1] = min(land[-1], 0.7)  # the stopping foot is set down flatter [E]
        qy = quat.from_axis_angle(Y, plan.yaw[idx])
        a = np.stack([plan.ankle_xz[idx, 0], np.zeros(len(idx)), plan.ankle_xz[idx, 1]], axis=-1)
        heel = a + quat.rotate(qy, g.heel)
        heel_w = np.stack([heel[:, 0], np.zeros(len(idx)), heel[:, 2]], axis=-1)
        mtp_w = heel_w - quat.rotate(qy, g.heel) + quat.rotate(qy, g.mtp)
        tip_w = mtp_w + quat.rotate(qy, g.toe_tip) if g.has_toes else mtp_w
        return _Rolls(
            idx=idx,
            other=np.nonzero(plan.side == -sgn)[0],
            sgn=sgn,
            g=g,
            toe_limit=np.radians(style.toe_bend) if g.has_toes else np.inf,
            hs=plan.hs[idx],
            ff=plan.ff[idx],
            ho=plan.ho[idx],
            to=plan.to[idx],
            roll_end=plan.roll_end[idx],
            p_hs=np.radians(style.heel_strike_pitch) * land * plan.land_scale[idx],
            p_to=np.radians(style.toe_off_pitch) * push * plan.push_boost[idx],
            power=plan.rise_power[idx],
            yaw=plan.yaw[idx],
            planted=_Planted(qy, heel_w, mtp_w, tip_w),
            # Froude-scaled (sqrt) for big avatars; length-scaled, i.e. softer, for small ones, whose
            # Froude-scaled motion is jerkier in absolute terms (cool_loops, 1.36x: 28.8 -> 21.3 mm pose jump
            # at heel strike)
            land_speed=style.heel_landing_speed * min(lr, np.sqrt(lr)),
        )

    def stance(self, t: Array, j: NDArray[np.intp]) -> tuple[Array, Array, Array, Array]:
        """(ankle ``[n, 3]``, foot rotation ``[n, 4]``, pitch ``[n]``, toes pitch ``[n]``) at times ``t`` of the
        stances of footfalls ``j`` (one per time)."""
        pitch = _stance_pitch(
            t, self.hs[j], self.ff[j], self.ho[j], self.roll_end[j], self.p_hs[j], self.p_to[j], self.power[j]
        )
        ankle, rot, toes = _stance_ankle(t, pitch, self.planted.at(j), self.ho[j], self.g, self.toe_limit)
        ankle[:, 1] += _cushion(t - self.hs[j], self.land_speed)
        return ankle, rot, pitch, toes


@dataclass(frozen=True)
class _Planted:
    """Per footfall ``[K]`` the flat foot on the floor: its heading ``qy [K, 4]`` (about +Y) and where its heel
    (``heel [K, 3]``), forefoot pivot (``mtp``) and toe tip (``tip``; the pivot without a toes bone) rest."""

    qy: Array
    heel: Array
    mtp: Array
    tip: Array

    def at(self, j: NDArray[np.intp]) -> _Planted:
        """The footfalls ``j`` (one per time)."""
        return _Planted(self.qy[j], self.heel[j], self.mtp[j], self.tip[j])


def _empty_track(n: int, dt: float) -> FootTrack:
    return FootTrack(
        ankle=np.zeros((n, 3)),
        rot=quat.identity((n,)),
        pitch=np.zeros(n),
        toes_pitch=np.zeros(n),
        contact=np.zeros(n, dtype=bool),
        heel_contact=np.zeros(n, dtype=bool),
        ball_contact=np.zeros(n, dtype=bool),
        yaw=np.zeros(n),
        swing_u=np.full(n, np.nan),
        dt=dt,
    )


def _footfall_of_frame(r: _Rolls, times: Array) -> NDArray[np.intp]:
    """Per frame the foot's latest footfall at or before it (-1 before the first)."""
    return np.searchsorted(r.hs, times, side="right") - 1


# ---- stance: heel rocker, flat foot, forefoot and toe rockers ------------------------------------
def _cushion(since: Array, speed: float) -> Array:
    """Height ``[n]`` (m) of the heel over the floor ``since`` seconds after heel strike: the heel touches
    ``speed`` m/s still moving down and settles over ``CUSHION`` s with a constant deceleration, so the leg
    meets the floor without a step in its velocity (a heel stopped dead within one sample jolted the near
    straight knee by 1.2 m/s: the velocity-jump gate allows 0.67 at 120 fps)."""
    with np.errstate(invalid="ignore"):
        s = np.clip(1.0 - since / CUSHION, 0.0, 1.0)
    return np.where(np.isfinite(since), 0.5 * speed * CUSHION * s * s, 0.0)


def _stance_pitch(
    t: Array, hs: Array, ff: Array, ho: Array, to: Array, p_hs: Array, p_to: Array, power: Array
) -> Array:
    """Foot pitch through stances (radians, + = heel up): heel rocker, flat, forefoot rocker (per-time phases)."""
    out = np.zeros_like(t)
    with np.errstate(invalid="ignore"):  # feet standing from the start (hs = -inf) have no heel rocker
        u = np.clip((t - hs) / np.maximum(ff - hs, 1e-6), 0.0, 1.0)
        # heel rocker: already rotating toward flat at contact (the swing arrives with that rate), flat with
        # zero rate at foot flat: (1-u)^2 (1+u)
        out = np.where(np.isfinite(hs) & (t < ff), -p_hs * (1.0 - u) ** 2 * (1.0 + u), out)
        w = np.clip((t - ho) / np.maximum(to - ho, 1e-6), 0.0, None)
        out = np.where(np.isfinite(ho) & (t >= ho), p_to * _rise(w, power, RISE_ONSET / (to - ho)), out)
    return out


def _rise(w: Array, power: Array, onset: Array) -> Array:
    """The heel rise's shape over heel off (0) to the roll's end (1): ``w^power``. Below a power of 2 its
    acceleration is unbounded at heel off (the sooner rises of the replan go down to 1.2: the ankle took
    80 % of its rising speed within 1/60 s and the knee, near straight at heel off, jumped 14 mm at 60 fps),
    so there the rate comes on over ``onset`` (a share of the roll) by a smoothstep and the shape is
    renormalised to reach 1 at the roll's end."""
    soft = power < 2.0
    if not np.any(soft):
        return w**power
    p = np.where(soft, power, 2.0)
    o = np.clip(np.where(soft, onset, 0.0), 1e-6, 0.5)
    out = np.where(soft, _ramped_power(w, p, o) / _ramped_power(np.ones_like(w), p, o), w**power)
    return out


def _ramped_power(w: Array, p: Array, o: Array) -> Array:
    """The integral from 0 to ``w`` of ``p s^(p-1) S(s / o)`` (S the smoothstep 3x^2 - 2x^3, 1 past ``o``)."""
    x = np.minimum(w, o)
    head = p * (3.0 * x ** (p + 2) / ((p + 2) * o**2) - 2.0 * x ** (p + 3) / ((p + 3) * o**3))
    return head + np.where(w > o, w**p - o**p, 0.0)


def _toe_bend(pitch: Array, limit: float) -> Array:
    """MTP extension (radians, >= 0) for a foot pitch: follows the pitch, then saturates smoothly at ``limit``."""
    p = np.maximum(pitch, 0.0)
    if limit <= 0.0 or not np.isfinite(limit):
        return p
    return limit * np.tanh(p / limit)


def _stance_ankle(
    t: Array, pitch: Array, planted: _Planted, ho: Array, g: FootGeometry, toe_limit: float
) -> tuple[Array, Array, Array]:
    """Ankle positions ``[n, 3]``, foot rotations ``[n, 4]`` and toes local pitches ``[n]`` for stance pitches.

    Heel rocker about the heel, then (after heel off) the toe rocker: the toes bend with the foot and the
    foot turns about the MTP joint until the toes near ``toe_limit`` (facts §8: MTP extension 70-80°), then
    the whole forefoot turns about the toe tip, which stays planted to toe off.
    """
    rot = quat.mul(planted.qy, quat.from_axis_angle(X, pitch))
    by_heel = planted.heel - quat.rotate(rot, g.heel)
    bend = _toe_bend(pitch, toe_limit)
    if g.has_toes:
        toes_w = quat.mul(planted.qy, quat.from_axis_angle(X, pitch - bend))
        mtp_now = planted.tip - quat.rotate(toes_w, g.toe_tip)
    else:
        mtp_now = planted.mtp
    by_mtp = mtp_now - quat.rotate(rot, g.mtp)
    use_mtp = (t >= ho)[:, None]
    return np.where(use_mtp, by_mtp, by_heel), rot, -bend


def _stances(ft: FootTrack, r: _Rolls, times: Array) -> None:
    """Fill the frames where the foot is down (heel strike to toe off, both included)."""
    j = _footfall_of_frame(r, times)
    m = j >= 0
    m[m] = times[m] <= r.to[j[m]]
    fm = np.nonzero(m)[0]
    jm = j[fm]
    tm = times[fm]
    ft.ankle[fm], ft.rot[fm], ft.pitch[fm], ft.toes_pitch[fm] = r.stance(tm, jm)
    ft.contact[fm] = True
    ft.heel_contact[fm] = tm < r.ho[jm]
    ft.ball_contact[fm] = tm >= r.ff[jm]
    ft.yaw[fm] = r.yaw[jm]


def _holds(ft: FootTrack, r: _Rolls, times: Array) -> None:
    """Before the foot's first footfall and after its last toe off it holds that stance's end pose."""
    before = np.nonzero(times < r.hs[0])[0]
    if len(before):
        t0 = np.full(len(before), r.hs[0])
        ft.ankle[before], ft.rot[before], _, _ = r.stance(t0, np.zeros(len(before), dtype=np.intp))
    after = np.nonzero(times > r.to[-1])[0]
    if len(after) and np.isfinite(r.to[-1]):
        t1 = np.full(len(after), r.to[-1])
        ft.ankle[after], ft.rot[after], _, _ = r.stance(t1, np.full(len(after), len(r.hs) - 1, dtype=np.intp))


# ---- swing ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _SwingEnds:
    """Per swing (footfall ``j`` to ``j + 1`` of the same foot) the stance states it joins, over [S]."""

    j: NDArray[np.intp]  # the footfall the swing leaves
    t0: Array  # toe off
    t1: Array  # heel strike
    pitch0: Array
    rate0: Array  # rad/s
    pitch1: Array
    rate1: Array
    heel0: Array  # [S, 3] heel at toe off
    heel_v0: Array  # [S, 3] m/s
    heel1: Array  # [S, 3] heel at heel strike

    @staticmethod
    def of(r: _Rolls) -> _SwingEnds:
        k = np.arange(len(r.hs) - 1)
        j = k[np.isfinite(r.to[k]) & np.isfinite(r.hs[k + 1])]
        t0, t1 = r.to[j], r.hs[j + 1]
        ts = np.concatenate([t0 - EPS, t0, t1, t1 + EPS])
        a, rot, pt, _ = r.stance(ts, np.concatenate([j, j, j + 1, j + 1]))
        heel = a + quat.rotate(rot, r.g.heel)
        s = len(j)
        p_a, p_b, p_c, p_d = (pt[i * s : (i + 1) * s] for i in range(4))
        h_a, h_b, h_c = (heel[i * s : (i + 1) * s] for i in range(3))
        return _SwingEnds(j, t0, t1, p_b, (p_b - p_a) / EPS, p_c, (p_d - p_c) / EPS, h_b, (h_b - h_a) / EPS, h_c)


def _swings(ft: FootTrack, r: _Rolls, plan: FootPlan, style: GaitStyle, lr: float, times: Array) -> None:
    """Fill the frames strictly between a toe off and the same foot's next heel strike."""
    ends = _SwingEnds.of(r)
    if not len(ends.j):
        return
    # per frame the swing it belongs to (the last swing starting before it), if it is inside it
    q = np.searchsorted(ends.t0, times, side="left") - 1
    inside = q >= 0
    inside[inside] = times[inside] < ends.t1[q[inside]]
    fm = np.nonzero(inside)[0]
    q = q[fm]
    t0, dur = ends.t0[q], (ends.t1 - ends.t0)[q]
    u = (times[fm] - t0) / dur
    g = r.g
    pw = hermite5(
        u, ends.pitch0[q, None], ends.rate0[q, None], ends.pitch1[q, None], ends.rate1[q, None], dur[:, None]
    )[:, 0]
    # the foot is carried pointed through mid swing (zero value, rate and acceleration at both ends)
    pw = pw + np.radians(style.swing_point) * (16.0 * u**2 * (1.0 - u) ** 2) ** 1.5
    dyaw = ((r.yaw[ends.j + 1] - r.yaw[ends.j] + np.pi) % (2 * np.pi) - np.pi)[q]
    yw = r.yaw[ends.j][q] + dyaw * minimum_jerk(u)
    r_sw = quat.mul(quat.from_axis_angle(Y, yw), quat.from_axis_angle(X, pw))
    short = _short_step(r, plan, ends)
    heel = _swing_heel(ends, q, u, dur, style.swing_drop * short[q], r.land_speed)
    # short steps (initiation, termination, closing) lift the foot less
    # (only the arc's height shrinks: the early lift, which takes the toes off the floor, stays whole)
    scale = 1.0 - (1.0 - short[q]) * minimum_jerk(u / 0.3)
    heel[:, 1] += style.swing_height * lr * _clearance_shape(u, style.swing_peak) * scale
    _pass_the_stance_ankle(heel, r, plan, ends, q, u, lr)
    ft.ankle[fm] = heel - quat.rotate(r_sw, g.heel)
    ft.pitch[fm] = pw
    ft.yaw[fm] = yw
    ft.rot[fm] = r_sw
    ft.swing_u[fm] = u
    # toes stay bent as they leave the floor, then relax by mid swing
    # (against the foot's own pitch, which keeps rising after toe off: the toes stay level and their
    # tips leave the floor with the forefoot instead of dipping back toward it)
    ft.toes_pitch[fm] = -_toe_bend(pw, r.toe_limit) * (1.0 - minimum_jerk(u / 0.75))


def _swing_heel(ends: _SwingEnds, q: NDArray[np.intp], u: Array, dur: Array, drop: Array, land_speed: float) -> Array:
    """Heel point ``[n, 3]`` along its swings before the clearance lift.

    The swing is planned for the heel point: it leaves with the stance foot's velocity and lands still
    moving down (``heel_landing_speed``) with no horizontal speed, so the planted heel never slides and
    never hovers; the ankle follows from the heel and the foot rotation.
    """
    hv1 = np.array([0.0, -land_speed, 0.0])
    h0, hv0, h1, d = ends.heel0[q], ends.heel_v0[q], ends.heel1[q], dur[:, None]
    base = hermite5(u, h0, hv0, h1, hv1, d)
    # the foot comes down early, so terminal swing is mostly the knee extending (facts §2b: knee peak
    # at 70-73 %GC, 0-5° just before IC); a symmetric descent kept the knee ~55° at 85 %GC and the hip
    # at 47°. The warp keeps the end velocities and accelerations (w' = 1, w'' = 0 at both ends).
    # (The forward travel is not time-warped: front-loading it tripled the jerk at toe off, a knee pop;
    # a larger drop brings the toes within the suite's 3 cm contact height in late swing: toe skate.)
    warped = front_load(u, drop)
    base[:, 1] = hermite5(warped, h0[:, 1:2], hv0[:, 1:2], h1[:, 1:2], hv1[1:2], d)[:, 0]
    return base


def _clearance_shape(u: Array, peak: float) -> Array:
    """An early-peaking lift (knee flexion peaks early in swing, facts §2b), 1 at ``peak`` of the swing.

    It starts with zero velocity and a finite acceleration (u^2): u^1.5 had an unbounded acceleration at
    toe off and lifted the ankle ~3 cm in the first 30 fps frame (a knee pop at every toe off); u^3 lifts
    the toes too slowly (they skate on the floor). (An acceleration coming on over 20-40 ms instead helped
    the 60/120 fps knee at toe off but left the long-footed cryptovoxels' trailing knee popping 31 mm at
    30 fps: tests/motions/test_walks.py; lagging u^2 by half a 30 ms onset made the 120 fps knee worse. The
    knee's jump at toe off grows as it is straighter there: ``GaitStyle.knee_toe_off`` keeps it bent.)
    """
    ex = 2.0 * (1.0 - peak) / peak
    return u**2 * (1 - u) ** ex / (peak**2 * (1 - peak) ** ex)


def _short_step(r: _Rolls, plan: FootPlan, ends: _SwingEnds) -> Array:
    """Per swing the step's length as a share of the plan's step length, in [0.3, 1]."""
    return np.clip(_step_lengths(plan, r.idx[ends.j], r.idx[ends.j + 1]) / plan.step_length, 0.3, 1.0)


def _step_lengths(plan: FootPlan, a: NDArray[np.intp], b: NDArray[np.intp]) -> Array:
    """Floor distances (m) from footfalls ``a`` to footfalls ``b`` of the plan."""
    d = plan.ankle_xz[b] - plan.ankle_xz[a]
    return np.asarray(np.sqrt(d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1]), dtype=np.float64)


def _pass_the_stance_ankle(
    heel: Array, r: _Rolls, plan: FootPlan, ends: _SwingEnds, q: NDArray[np.intp], u: Array, lr: float
) -> None:
    """Swing past the stance foot without hitting it (narrow and crossing steps), in place on ``heel``.

    The ankle centres pass ``ANKLE_PASS`` apart, widest just as the swing ankle passes the stance ankle,
    so the foot passes close to the stance ankle instead of circling around it (no circumduction). All swings
    at once: ``q`` (each row's swing) is sorted, so each swing's rows are one run.
    """
    sgn = r.sgn
    o_hs = plan.hs[r.other]
    o = np.array([_stance_foot(r, plan, o_hs, float(t0), float(t1)) for t0, t1 in zip(ends.t0, ends.t1)], dtype=np.intp)
    left = plan.path.left(plan.s[o])  # [S, 2] per swing (meaningless where o < 0: those swings are left out)
    fwd = np.stack([left[:, 1], -left[:, 0]], axis=-1) * -1.0
    mid = 0.5 * (plan.ankle_xz[r.idx[ends.j]] + plan.ankle_xz[r.idx[ends.j + 1]])
    d = _rows_dot(mid - plan.ankle_xz[o], left) * sgn
    need = ANKLE_PASS * lr - d
    rows = np.nonzero(((o >= 0) & (need > 0.0))[q])[0]  # the rows of the swings passing too close
    if not len(rows):
        return
    s, us = q[rows], u[rows]
    ahead = _rows_dot(heel[rows][:, [0, 2]] - plan.ankle_xz[o[s]], fwd[s])
    # per swing, u where the swing ankle passes the stance ankle (the sample before; mid swing if it never does)
    crossing = np.nonzero((np.diff(np.sign(ahead)) > 0) & (s[1:] == s[:-1]))[0]
    swing, first = np.unique(s[crossing], return_index=True)
    u_p = np.full(len(ends.j), 0.5)
    u_p[swing] = us[crossing[first]]
    u_p = np.clip(u_p, 0.25, 0.75)[s]
    # out and back by minimum jerk (zero rate and acceleration at toe off, the peak and heel strike):
    # sin^2(pi u^k) started with a rate (k < 1) or an acceleration step (k = 1) at toe off
    bump = need[s] * np.where(us < u_p, minimum_jerk(us / u_p), 1.0 - minimum_jerk((us - u_p) / (1.0 - u_p)))
    heel[rows, 0] += sgn * left[s, 0] * bump
    heel[rows, 2] += sgn * left[s, 1] * bump


def _rows_dot(a: Array, b: Array) -> Array:
    """Row-by-row dot products of ``[n, 2]`` floor vectors, the products added in order (as ``exact.matmul``)."""
    return np.asarray(a[:, 0] * b[:, 0] + a[:, 1] * b[:, 1], dtype=np.float64)


def _stance_foot(r: _Rolls, plan: FootPlan, o_hs: Array, t0: float, t1: float) -> int:
    """The other foot's last footfall in stance during the swing ``(t0, t1)`` (plan index, -1 if none)."""
    p = int(np.searchsorted(o_hs, t1, side="left"))  # the other foot's footfalls landing before t1
    for c in range(p - 1, -1, -1):
        o = int(r.other[c])
        if plan.to[o] > t0:
            return o
    return -1


# ---- floor ------------------------------------------------------------------------------------------
def _lift_above_floor(ft: FootTrack, g: FootGeometry, lr: float) -> None:
    """Raise the swinging foot where a sole point (heel, MTP ball, toe tip) would dip below the floor."""
    swing = ~ft.contact
    rows = np.nonzero(swing)[0]
    if not len(rows):
        return
    low = lowest_sole_point(ft.ankle[rows], ft.rot[rows], ft.toes_pitch[rows], g)
    # keep a minimum toe clearance through mid swing (none at the ends, where the foot leaves and lands)
    u = np.nan_to_num(ft.swing_u, nan=0.0)
    clear = TOE_CLEARANCE * lr * np.sin(np.pi * np.clip(u[rows], 0.0, 1.0)) ** 2
    lift = np.zeros(len(swing))
    lift[rows] = np.maximum(clear - low, 0.0)
    # one smooth bump per swing, as high as its largest correction over the samples that need one, on and off
    # over a time that grows with its height (a cover spread by a fixed time and faded over the swing's end
    # dropped a short closing step's foot 25 mm in 50 ms: a 47 mm knee pop at 30 fps)
    spread = _lift_bump(lift, u, swing, ft.dt)
    soft = 0.002 * lr  # m: the rounding of the larger of the two (at most half of it below the larger)
    lift = 0.5 * (lift + spread + np.sqrt((lift - spread) ** 2 + soft**2) - soft) * swing
    ft.ankle[:, 1] += lift


def _lift_bump(lift: Array, u: Array, swing: NDArray[np.bool_], dt: float) -> Array:
    """Per swing (a run of ``swing`` samples every ``dt`` s), a bump ``[F]`` at the swing's largest ``lift``
    over the samples that need a lift, with minimum-jerk ramps before and after as long as the lift needs
    (``LIFT_RAMP`` s plus the height at ``LIFT_SPEED``), inside the swing (the fall ends by contact)."""
    idx = np.nonzero(swing)[0]
    if not len(idx):
        return np.zeros(len(lift))
    start = swing & ~np.concatenate([[False], swing[:-1]])
    r = (np.cumsum(start) - 1)[idx]
    n = int(r.max()) + 1
    # a lift of a fraction of a millimetre (the toes grazing the clearance line as they leave the floor) is
    # left to the rounding with the raw lift: counted, it set the bump's start at toe off, where the ramp
    # has no room, and a 25-35 mm lift came on within one sample (a 54 mm knee pop at 60 fps)
    uu, need = u[idx], lift[idx] > LIFT_MIN
    peak = np.zeros(n)
    np.maximum.at(peak, r, lift[idx])
    first, last = np.ones(n), np.zeros(n)
    np.minimum.at(first, r[need], uu[need])
    np.maximum.at(last, r[need], uu[need])
    # where the lift is highest (the last sample at the peak)
    at_peak = np.zeros(n)
    top = lift[idx] >= peak[r] - 1e-12
    np.maximum.at(at_peak, r[top], uu[top])
    dur = np.bincount(r, minlength=n) * dt  # s each swing lasts
    ramp = (LIFT_RAMP + peak / LIFT_SPEED) / np.maximum(dur, 1e-6)  # in shares of the swing
    last = np.minimum(np.maximum(last, first), 1.0 - CAP_FADE)
    # the bump comes on late enough, and off early enough, to do so at its pace after toe off and by heel
    # strike (reaching its peak no later, and leaving it no sooner, than the raw lift, which stays under it):
    # held from the first to the last sample that needs a lift (u 0.27 to 0.82 of Godette's short closing
    # runway step), a 43-48 mm lift came on in 70 ms and off in 60 ms and threw its knee at 680-790°/s (gate
    # 600). Where the ramps fit before and after those samples, nothing changes.
    first = np.maximum(first, np.minimum(ramp, at_peak))
    last = np.minimum(last, np.maximum(1.0 - ramp, at_peak))
    first = np.minimum(first, last)
    up0 = np.maximum(first - ramp, 0.0)
    down1 = np.minimum(last + ramp, 1.0)
    rise = minimum_jerk((uu - up0[r]) / np.maximum(first[r] - up0[r], 1e-6))
    fall = 1.0 - minimum_jerk((uu - last[r]) / np.maximum(down1[r] - last[r], 1e-6))
    out = np.zeros(len(lift))
    out[idx] = peak[r] * np.minimum(rise, fall)
    return out


# ---- ankle range (after the legs are solved) ---------------------------------------------------------
def _soft_cap(x: Array, knee: float, cap: float) -> Array:
    """Identity below ``knee``, then eases into ``cap`` (tanh), C1 at the knee."""
    over = np.maximum(x - knee, 0.0)
    return np.where(x > knee, knee + (cap - knee) * np.tanh(over / (cap - knee)), x)


def limit_swing_ankle(q: Array, ft: FootTrack, g: FootGeometry, ankle: Array) -> Array:
    """The foot's local rotations ``q [F, 4]`` with the swinging ankle kept inside its range (facts §8:
    dorsiflexion 20°, plantarflexion 45-50°).

    The swing foot's pitch is planned in the world; slow swings (stops,
    turns) can leave it badly angled to the shank. Only the foot turns, about
    the ankle (``ankle``: the leg IK's targets), so the IK result and the
    planted feet are untouched. Turning a dorsiflexed foot toes-down stops
    where a sole point would reach the floor (the joint-limit tolerance takes
    the rest): the floor lift came before.
    """
    swing = np.nonzero(~ft.contact)[0]
    dorsi = -np.degrees(quat.twist_angle(q[swing], X))
    capped = -_soft_cap(-_soft_cap(dorsi, 14.0, 19.0), 35.0, 44.0)
    # the cap fades out before heel strike, so the foot lands on its planned stance angle (the replans keep
    # that in range): a cap let go at contact popped the toes (12 mm at 120 fps). (Faded in after toe off too,
    # it turned the foot of short first and closing steps too fast: 34 mm at 30 fps.)
    u = np.nan_to_num(ft.swing_u[swing], nan=0.0)
    ends = minimum_jerk((1.0 - u) / CAP_FADE)
    delta = np.zeros(len(q))
    delta[swing] = (dorsi - capped) * ends
    on = np.nonzero(delta != 0.0)[0]
    if not len(on):
        return q
    # the IK gave the foot its planned world rotation at the target: no forward kinematics needed
    at, foot_w, d_on, toes_on = ankle[on], ft.rot[on], delta[on], ft.toes_pitch[on]

    def lowest(fraction: float, rows: NDArray[np.intp]) -> Array:
        r = quat.mul(foot_w[rows], quat.from_axis_angle(X, np.radians(fraction * d_on[rows])))
        return lowest_sole_point(at[rows], r, toes_on[rows], g)

    everywhere = np.arange(len(on))
    floor = np.minimum(lowest(0.0, everywhere), 0.0)  # never below the floor (or below where the point already is)
    # the largest share of the turn (1, 0.9, ... 0.1; else none) that keeps every sole point above that floor
    keep_on = np.zeros(len(on))
    pending = everywhere
    for fr in np.linspace(1.0, 0.1, 10):
        ok = lowest(fr, pending) >= floor[pending] - 1e-4
        keep_on[pending[ok]] = fr
        pending = pending[~ok]
        if not len(pending):
            break
    keep = np.ones(len(delta))
    keep[on] = keep_on
    keep = np.minimum(keep, gauss_smooth(keep, ANKLE_CAP_SMOOTHING, ft.dt))  # the smoothed share only ever turns less
    delta = delta * keep
    return quat.normalize(quat.mul(q, quat.from_axis_angle(X, np.radians(delta))))
