"""The reach solver: one arm of a :class:`~posers_blender.engine.program.Tracks` carried along a plan.

:func:`solve_reach` reads as its three stages:

1. :func:`arrive`: every waypoint solved once against the posed body, all in one vectorised solve over the
   frames each one is read in (the limb root is taken once; the body does not move while the arm tries its
   waypoints): where the wrist must be so the effector lands on the target with the hand rotation kept
   inside the wrist limits, and how the hand sits on the forearm there.
2. :func:`blend_moves`: the moves blended between those arrivals over the clip's time grid: the wrist
   along straight chords with the shoulder's progress plus a sideways bulge, its distance from the
   shoulder (what the elbow does) with the elbow's delayed progress, the hand with the wrist's, and the
   arrival overshoot.
3. :func:`pose_arm`: the arm solved once for the whole clip onto that wrist path and the hand set, with
   what the hand achieved measured by FK along the arm's chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import ik, quat
from ..curves import minimum_jerk
from ..program import HINGE_AXES, LIMBS, LimbRoot, Tracks, solve_two_bone
from ..skeleton import Skeleton
from ._vec import slerp_dir, unit
from .plan import Move, ReachPlan, Waypoint, move_progress
from .wrist import WristLimits, clamp_wrist, comfortable_wrist

Array = NDArray[np.float64]


@dataclass
class ReachResult:
    """What :func:`solve_reach` produced.

    ``planned [F, 3]``: the planned wrist path (the IK targets); ``achieved [F, 3]``: the
    effector after IK and FK (with per-waypoint effectors, the point of the hand that lands on the waypoint
    the hand is at or moving to, switched with the wrist's progress); ``wrist [F, 3]``: the wrist after IK;
    ``elbow_flex [F]``: elbow flexion (radians); ``reached [F]``: IK reached the
    wrist target; ``windows``: ``(start, end, to)`` per move; ``waypoint_reached``: per waypoint name,
    ``[F]`` whether the arm reaches that waypoint's wrist position at each frame.
    """

    planned: Array
    achieved: Array
    wrist: Array
    elbow_flex: Array
    reached: NDArray[np.bool_]
    windows: list[tuple[float, float, str]] = field(default_factory=list)
    waypoint_reached: dict[str, NDArray[np.bool_]] = field(default_factory=dict)


@dataclass(frozen=True)
class Arrival:
    """The arm at one waypoint in the ``frames`` (sorted indices) it is read in, one row per frame: the elbow
    ``pole`` (unit, world), the hand's rotation on the forearm ``local [R, 4]``, the ``wrist [R, 3]`` that puts
    the ``effector`` (hand frame) on the target and the elbow ``flex [R]`` there; and per clip frame whether the
    arm ``reached`` it (``[F]``, true outside ``frames``)."""

    frames: NDArray[np.intp]
    pole: Array
    local: Array
    wrist: Array
    effector: Array
    flex: Array
    reached: NDArray[np.bool_]

    def rows(self, start: int, stop: int) -> slice:
        """The rows of clip frames ``start..stop-1``, which must all be among ``frames``."""
        i = int(np.searchsorted(self.frames, start))
        if stop - start and (i + stop - start > len(self.frames) or self.frames[i + stop - start - 1] != stop - 1):
            raise ValueError(f"frames {start}..{stop - 1} were not solved for this waypoint")  # a bug, not input
        return slice(i, i + stop - start)

    def held(self, n: int) -> Arrival:
        """The same arrival on all ``n`` clip frames, each frame outside ``frames`` holding the nearest earlier
        solved one (before the first, the first)."""
        i = np.maximum(np.searchsorted(self.frames, np.arange(n), side="right") - 1, 0)
        return Arrival(
            np.arange(n), self.pole[i], self.local[i], self.wrist[i], self.effector, self.flex[i], self.reached
        )


@dataclass(frozen=True)
class ArmPath:
    """The blended plan, per frame: the wrist target ``[F, 3]``, elbow ``pole``, hand ``local`` rotation on
    the forearm, the ``effector`` that leads, and the move ``windows``."""

    wrist: Array
    pole: Array
    local: Array
    effector: Array
    windows: list[tuple[float, float, str]]


def solve_reach(
    tracks: Tracks,
    plan: ReachPlan,
    waypoints: Mapping[str, Waypoint],
    times: Array,
    wrist_limits: WristLimits | None = None,
    wrist_iterations: int = 4,
    soft_wrist: bool = False,
) -> ReachResult:
    """Pose one arm of ``tracks`` along ``plan``; vectorised over all frames. Call it after the trunk, shoulder
    girdle and head are posed.

    At every waypoint the effector lands exactly on its target with the wanted hand rotation, or the nearest
    one inside ``wrist_limits`` (:func:`clamp_wrist`); with ``soft_wrist`` the hand is kept in range by
    :func:`comfortable_wrist` instead. Between waypoints the shoulder leads the elbow and the elbow the
    wrist (see :func:`blend_moves`).
    """
    t = np.asarray(times, dtype=np.float64)
    sk = tracks.skeleton
    root = tracks.limb_root(f"{plan.side}Arm")
    arrivals = arrive(sk, root, plan, waypoints, arrival_frames(plan, t), wrist_limits, wrist_iterations, soft_wrist)
    path = blend_moves(sk, root, plan, arrivals, t)
    result = pose_arm(tracks, root, path)
    result.waypoint_reached = {name: a.reached for name, a in arrivals.items()}
    return result


#: Frames past a move's end that the next stage still reads from the waypoint it leaves (the first frame at or
#: after the end, where the staggered progress may fall short of 1 by a rounding, and a safety margin).
ARRIVAL_MARGIN = 3


def spans(plan: ReachPlan, t: Array) -> list[tuple[str, int, int]]:
    """``(waypoint, start, stop)`` per stay at a waypoint, the initial one first, then one per move: the frames
    ``start..stop-1`` whose pose depends on that stay, from the start of the move to it (frame 0 for the initial
    one) until the end of the move that leaves it. Once the next move has arrived, :func:`blend_moves` weighs
    the waypoint left behind by exactly 0, so solving and blending each stay only there keeps the cost linear in
    the clip's length however many gestures it holds."""
    n = len(t)

    def frame(time: float) -> int:
        return min(int(np.searchsorted(t, time - 1e-9)), n - 1)

    stays = [(plan.initial, 0)] + [(m.to, frame(m.start)) for m in plan.moves]
    stops = [min(frame(m.end) + ARRIVAL_MARGIN + 1, n) for m in plan.moves] + [n]
    return [(name, start, stop) for (name, start), stop in zip(stays, stops)]


def arrival_frames(plan: ReachPlan, t: Array) -> dict[str, NDArray[np.intp]]:
    """Per waypoint (initial first, then in move order), the frames of all its stays (:func:`spans`)."""
    frames: dict[str, list[NDArray[np.intp]]] = {}
    for name, start, stop in spans(plan, t):
        frames.setdefault(name, []).append(np.arange(start, stop))
    return {name: np.unique(np.concatenate(f)) for name, f in frames.items()}


#: Rows (waypoint frames) per block of :func:`arrive`: bounds its temporaries however long the clip.
ARRIVE_BLOCK = 4096


def arrive(
    sk: Skeleton,
    root: LimbRoot,
    plan: ReachPlan,
    waypoints: Mapping[str, Waypoint],
    frames: Mapping[str, NDArray[np.intp]],
    wrist_limits: WristLimits | None,
    wrist_iterations: int,
    soft_wrist: bool,
) -> dict[str, Arrival]:
    """Solve the arm at each waypoint in ``frames[name]`` (stage 1; see :func:`arrival_frames`).

    Each frame is solved on its own, so all waypoints' frames go through one solve (one row per waypoint and
    frame, in blocks of :data:`ARRIVE_BLOCK` rows) and the other frames are skipped (they count as reached;
    :func:`blend_moves` never weighs them).
    """
    n = len(root.upper_gpos)
    names = list(frames)
    rows = np.concatenate([frames[name] for name in names])
    effs = {name: _effector(plan, waypoints[name]) for name in names}
    eff = np.concatenate([np.broadcast_to(effs[name], (len(frames[name]), 3)) for name in names])
    pos = np.concatenate([_at(waypoints[name].position, frames[name], 3) for name in names])
    rot = np.concatenate([_at(waypoints[name].rotation, frames[name], 4) for name in names])
    pole = np.concatenate([_at(waypoints[name].pole, frames[name], 3) for name in names])
    wrist, local, flex = np.empty((len(rows), 3)), np.empty((len(rows), 4)), np.empty(len(rows))
    reached = np.empty(len(rows), dtype=bool)
    for s in range(0, len(rows), ARRIVE_BLOCK):
        b = slice(s, s + ARRIVE_BLOCK)
        r = rows[b]
        block_root = root.at(r)
        pole[b] = unit(pole[b])
        wrist[b], local[b], flex[b], reached[b] = _arrive_rows(
            sk,
            block_root,
            plan.side,
            pos[b],
            quat.normalize(rot[b]),
            pole[b],
            eff[b],
            wrist_limits,
            wrist_iterations,
            soft_wrist,
        )
    arrivals = {}
    bounds = np.cumsum([0] + [len(frames[name]) for name in names])
    for name, a, b in zip(names, bounds[:-1], bounds[1:]):
        clip_reached = np.ones(n, dtype=bool)
        clip_reached[frames[name]] = reached[a:b]
        arrivals[name] = Arrival(frames[name], pole[a:b], local[a:b], wrist[a:b], effs[name], flex[a:b], clip_reached)
    return arrivals


def _arrive_rows(
    sk: Skeleton,
    root: LimbRoot,
    side: str,
    pos: Array,
    rot: Array,
    pole: Array,
    eff: Array,
    wrist_limits: WristLimits | None,
    wrist_iterations: int,
    soft_wrist: bool,
) -> tuple[Array, Array, Array, NDArray[np.bool_]]:
    """One block of :func:`arrive`: per row, the wrist ``[R, 3]``, the hand on the forearm ``local [R, 4]``, the
    elbow ``flex [R]`` and whether the arm reached, for the effector ``eff`` on ``pos`` with the hand near ``rot``."""
    shoulder = root.upper_gpos
    # The wanted hand rotation is a preference, the effector position a must: keep the wrist inside its
    # limits and re-solve until the clamped hand and the wrist position agree.
    hand_w = rot
    for _ in range(wrist_iterations):
        wrist = pos - quat.rotate(hand_w, eff)
        fore = _forearm(sk, root, wrist, shoulder + pole)
        want = quat.mul(quat.conj(fore), rot)
        local = comfortable_wrist(sk, side, want) if soft_wrist else clamp_wrist(want, side, wrist_limits)
        hand_w = quat.normalize(quat.mul(fore, local))
    wrist = pos - quat.rotate(hand_w, eff)
    sol = solve_two_bone(sk, root, wrist, shoulder + pole)
    fore = quat.mul(sol.upper_grot, sol.lower_lrot)
    local = quat.normalize(quat.mul(quat.conj(fore), hand_w))
    return wrist, local, sol.flex, sol.reached


def _at(x: ArrayLike, frames: NDArray[np.intp], width: int) -> Array:
    """A waypoint value (fixed ``[width]`` or a track ``[F, width]``) at ``frames``."""
    a = np.asarray(x, dtype=np.float64)
    return np.broadcast_to(a, (len(frames), width)) if a.ndim == 1 else a[frames]


def _effector(plan: ReachPlan, waypoint: Waypoint) -> Array:
    """The point of the hand (hand bone frame) that lands on ``waypoint``."""
    return np.asarray(plan.effector if waypoint.effector is None else waypoint.effector, dtype=np.float64)


def _forearm(sk: Skeleton, root: LimbRoot, wrist: Array, pole: Array) -> Array:
    """World rotation ``[F, 4]`` of the forearm with the arm solved onto ``wrist``."""
    sol = solve_two_bone(sk, root, wrist, pole)
    return quat.mul(sol.upper_grot, sol.lower_lrot)


def blend_moves(sk: Skeleton, root: LimbRoot, plan: ReachPlan, arrivals: Mapping[str, Arrival], t: Array) -> ArmPath:
    """The plan's moves blended between the arrivals over the time grid ``t`` (stage 2).

    The wrist follows straight chords between the arrivals' wrist positions with the shoulder's progress
    (plus a sideways bulge of ``curvature`` of the chord), while its distance from the shoulder (what the
    elbow does) follows the elbow's delayed progress, so the shoulder leads the elbow; with
    ``elbow_by_angle`` that distance comes from the elbow's flexion instead. The hand's rotation relative
    to the forearm and the leading effector blend with the wrist's progress. Each move overshoots its
    target by ``overshoot`` metres and settles back within ``settle`` s. Each move is blended only over its
    stay (:func:`spans`): later frames take the next move's arrival, which weighs this one by exactly 0.
    """
    n = len(t)
    shoulder = root.upper_gpos
    _, lower, hand = LIMBS[root.limb]
    j_lo, j_hand = sk.index(lower), sk.index(hand)
    hinge = HINGE_AXES[lower]
    first = arrivals[plan.initial].held(n)
    path = first.wrist  # wrist path along straight chords between the waypoints' wrist positions
    radius = quat.length(first.wrist - shoulder)  # distance shoulder-wrist: what the elbow does
    flex = first.flex
    over = np.zeros((n, 3))
    pole = first.pole
    local = first.local
    eff_track = np.broadcast_to(first.effector, (n, 3)).copy()  # the hand point that leads, per frame
    extra = np.zeros((n, 3))
    windows: list[tuple[float, float, str]] = []
    for m, (_, start, stop) in zip(plan.moves, spans(plan, t)[1:]):
        if t[-1] < m.start - 1e-9:  # starts after the clip
            continue
        to = arrivals[m.to]
        rows = to.rows(start, stop)
        w = slice(start, stop)
        s_dir, s_rad, s_wr = move_progress(t[w], m)
        prev = path[w]
        chord = to.wrist[rows] - prev
        path[w] = prev + chord * s_dir[:, None]
        # The elbow (the wrist's distance from the shoulder) follows its own, delayed progress.
        if m.elbow_by_angle:
            flex[w] = flex[w] + (to.flex[rows] - flex[w]) * s_rad
            radius[w] = ik.chain_length(sk.offsets[j_lo], sk.offsets[j_hand], hinge, flex[w])
        else:
            r1 = quat.length(to.wrist[rows] - shoulder[w])
            radius[w] = radius[w] + (r1 - radius[w]) * s_rad
            flex[w] = flex[w] + (to.flex[rows] - flex[w]) * s_rad
        pole[w] = slerp_dir(pole[w], to.pole[rows], s_dir)
        local[w] = quat.slerp(local[w], to.local[rows], s_wr)
        eff_track[w] = eff_track[w] + (to.effector - eff_track[w]) * s_wr[:, None]
        # sideways bulge (zero at both ends) and the overshoot along the approach direction
        clen = quat.length(chord)
        ch = unit(chord)
        hint = np.asarray(m.bulge, dtype=np.float64)
        perp = hint - quat.dot(hint, ch)[:, None] * ch
        perp = np.where(quat.length(perp)[:, None] > 1e-6, unit(perp), 0.0)
        extra[w] = (
            extra[w] * (1.0 - s_dir)[:, None] + (m.curvature * clen * 4.0 * s_dir * (1.0 - s_dir))[:, None] * perp
        )
        i_end = int(np.clip(np.searchsorted(t, m.end), 0, n - 1))
        o_dir = ch[i_end - start] if m.overshoot_dir is None else unit(np.asarray(m.overshoot_dir, dtype=np.float64))
        o = slice(
            int(np.searchsorted(t, m.end - 0.3 * m.duration)), int(np.searchsorted(t, m.end + max(m.settle, 1e-3))) + 1
        )
        over[o] += m.overshoot * _overshoot(t[o], m)[:, None] * o_dir  # zero outside o
        windows.append((m.start, m.end, m.to))
    wrist = shoulder + unit(path + extra - shoulder) * radius[:, None] + over
    return ArmPath(wrist=wrist, pole=pole, local=local, effector=eff_track, windows=windows)


def _overshoot(t: Array, m: Move) -> Array:
    """The overshoot's time course at ``t``: up over the last 30% of the move, back within ``settle`` s after it
    (exactly 0 before and after)."""
    tail = 0.3 * m.duration
    return minimum_jerk((t - (m.end - tail)) / tail) - minimum_jerk((t - m.end) / max(m.settle, 1e-3))


def pose_arm(tracks: Tracks, root: LimbRoot, path: ArmPath) -> ReachResult:
    """Solve the arm onto the blended wrist path and set the hand (stage 3); measure what the hand achieved."""
    _, _, hand = LIMBS[root.limb]
    sol = tracks.solve_limb(root.limb, path.wrist, root.upper_gpos + path.pole, root=root)
    tracks.lrot[:, tracks.skeleton.index(hand)] = path.local
    hand_grot, wrist_fk = tracks.bone_pose(hand)
    return ReachResult(
        planned=path.wrist,
        achieved=wrist_fk + quat.rotate(hand_grot, path.effector),
        wrist=wrist_fk,
        elbow_flex=sol.flex,
        reached=sol.reached,
        windows=path.windows,
    )
