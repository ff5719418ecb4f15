"""Arm timing: the gesture schedule as one reach plan per arm, without posing anything.

Every hand transport is one :class:`~posers_blender.engine.reach.Move` (out to the target with its speed peak
at 0.43 T, a contact hold, back home); held poses such as hands on hips or the fist at the chin are the arm's
home, entered and left by a move. The body stage reads these plans for the anticipatory shift before each
reach, the arms stage poses along them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .. import reach
from .schedule import Gesture, Schedule
from .style import RELEASE, RESETTLE, SIDES, StandingStyle

#: Speed-peak position of a transport's shoulder progress toward a body target and back. The elbow and wrist
#: run 70-120 ms behind it, so the hand's measured speed peak lands at ~0.4-0.55 T (facts §4: 0.40-0.45 T
#: toward the face; the reach tests accept one peak in 0.35-0.60).
PEAK_TOWARD = 0.43
PEAK_AWAY = 0.47
#: Sideways arc of the hand's path (fraction of the chord) on top of the arc the elbow's delayed progress
#: makes; hint forward and a little out, so a hand rising from the side passes in front of the trunk [E].
CURVATURE = 0.12
#: Arrival follow-through along the body surface (issue 7: 2-10 mm, settled within 0.3 s).
OVERSHOOT = 0.004
MIN_HOLD = 0.5  # s; a gesture squeezed to a shorter contact is dropped


@dataclass
class ArmPlan:
    """One arm's reach schedule, drawn from the gesture schedule without posing anything.

    ``home``: the waypoint the hand rests at (``rest`` = hanging, or a held pose: ``hips``, ``contract``,
    ``chin``, ``support``); ``plan``: the :class:`~posers_blender.engine.reach.ReachPlan` whose waypoints are
    ``rest``, the home pose and ``g<i>`` for gesture ``i`` of the schedule; ``gestures``: ``{waypoint:
    (gesture, onset s, hold s)}`` of the gestures this arm makes (a release of the held pose is only a move to
    ``rest`` and back); ``rubs``: ``(index, gesture)`` made in place
    at home (a chin rub while the fist holds the chin); ``owners``: per move of ``plan``, the schedule index of
    the gesture it belongs to and whether it is that gesture's ``rise`` or ``fall`` (None for the moves into and
    out of the held pose).
    """

    side: str
    home: str
    plan: reach.ReachPlan
    gestures: dict[str, tuple[Gesture, float, float]]
    rubs: list[tuple[int, Gesture]]
    owners: tuple[tuple[int, str] | None, ...] = ()

    def reaches(self) -> list[str]:
        """Waypoints of the gestures that are arm reaches: all but hand wringing, a hand and forearm activity in
        front of the belly that needs no anticipatory shift or clavicle lead (nor does a release of the held
        pose, a move to ``rest`` that is not among the gestures)."""
        return [k for k, (g, _, _) in self.gestures.items() if g.kind not in ("hand_wring", RESETTLE)]

    def reach_plan(self) -> reach.ReachPlan:
        """``plan`` without the moves into and back from non-reach gestures (for anticipation timing)."""
        skip = set(self.gestures) - set(self.reaches())
        moves: list[reach.Move] = []
        prev = self.plan.initial
        for m in self.plan.moves:
            if m.to not in skip and not (prev in skip and m.to == self.home):
                moves.append(m)
            prev = m.to
        return reach.ReachPlan(self.side, self.plan.initial, tuple(moves))

    def busy(self) -> list[tuple[float, float]]:
        """(start, end) times (s) when the hand is away from home or rubbing."""
        out = [(on, on + g.rise + hold + g.fall) for g, on, hold in self.gestures.values()]
        return sorted(out + [(g.t, g.end) for _, g in self.rubs])


@dataclass
class _ArmTimeline:
    side: str
    home: str
    style: StandingStyle
    moves: list[reach.Move]
    free: float  # when the hand is home and free for the next gesture (s)
    limit: float  # every gesture must be home by then (the transition out of a held pose)
    pending: str | None = None  # the last gesture's waypoint while its return move is the last move
    owners: list[tuple[int, str] | None] = field(default_factory=list)  # per move: (gesture index, rise/fall)

    def push(self, m: reach.Move, owner: tuple[int, str] | None = None) -> None:
        self.moves.append(m)
        self.owners.append(owner)

    def move(self, start: float, dur: float, to: str, kind: str) -> reach.Move:
        toward = to != "rest"  # to a body target (a gesture or a held pose), not back to hanging
        up = (0.0, 0.0, 1.0) if kind in ("chin", "chin_rub") else (0.0, 1.0, 0.0)
        s = 1.0 if self.side == "left" else -1.0
        return reach.Move(
            start,
            dur,
            to,
            peak_at=PEAK_TOWARD if toward else PEAK_AWAY,
            curvature=CURVATURE,
            bulge=(0.3 * s, 0.0, 1.0),
            # none into the hanging pose: the arm is nearly straight there, an overshoot would lock the elbow
            overshoot=0.0 if to == "rest" else OVERSHOOT,
            overshoot_dir=up if to != "rest" else None,
            elbow_delay=self.style.elbow_lag,
            wrist_delay=self.style.wrist_lag,
            elbow_by_angle=True,
        )

    def slot(self, t: float) -> tuple[float, bool]:
        """Earliest onset >= ``t`` and whether it goes straight on from the pending gesture (cutting its hold)."""
        if self.pending is not None and len(self.moves) >= 2:
            s0 = max(t, self.moves[-2].end)
            if s0 < self.moves[-1].start - 1e-9:
                return s0, True
        return max(t, self.free), False

    def fits(self, start: float, g: Gesture) -> float:
        """The hold (s) a gesture starting at ``start`` gets before ``limit``; < MIN_HOLD if it does not fit."""
        return min(g.hold, self.limit - start - g.rise - g.fall)

    def add(self, i: int, g: Gesture, start: float, chained: bool, hold: float) -> None:
        """Plan gesture ``i`` (waypoint ``g<i>``): out, hold, back home; a release goes to the shared hanging
        waypoint ``rest``."""
        if chained:
            self.moves.pop()  # the previous gesture's return: the hand goes straight on to this one
            self.owners.pop()
        name = "rest" if g.kind == RELEASE else f"g{i}"
        self.push(self.move(start, g.rise, name, g.kind), (i, "rise"))
        back = start + g.rise + hold
        self.push(self.move(back, g.fall, self.home, g.kind), (i, "fall"))
        self.free = back + g.fall
        self.pending = name


def plan_arms(
    sched: Schedule, style: StandingStyle, duration: float, skip: frozenset[int] = frozenset()
) -> dict[str, ArmPlan]:
    """Both arms' reach schedules for ``sched`` (gesture indices in ``skip`` left out); no posing.

    A gesture is one reach out (``rise`` s, speed peak at 0.43 T), a contact ``hold`` and one reach home
    (``fall`` s). When the next gesture of the same hand starts while the hand is still at the previous
    target, the hand goes straight on (the previous hold is cut short); when it starts while the hand is on
    its way home, it waits until the hand is home. Hand wringing moves both hands together. A chin rub of
    the hand that holds the chin is made in place (a rub of the held waypoint, no transport).
    """
    lines = {side: _timeline(style, side, duration) for side, _ in SIDES}
    gestures: dict[str, dict[str, tuple[Gesture, float, float]]] = {"left": {}, "right": {}}
    rubs: dict[str, list[tuple[int, Gesture]]] = {"left": [], "right": []}
    for i, g in enumerate(sched.gestures if style.gesture_weight > 0 else []):
        if i in skip:
            continue
        if g.kind == "chin_rub" and lines[g.side].home == "chin":
            _rub_in_place(lines[g.side], i, g, rubs[g.side])
            continue
        sides = [sd for sd, _ in SIDES] if g.kind == "hand_wring" or g.side == "both" else [g.side]
        if g.kind == RELEASE:  # only a held pose can be let go
            sides = [sd for sd in sides if lines[sd].home != "rest"]
            if not sides:
                continue
        if g.kind == RESETTLE:  # only a hand on the hips slides along them
            sides = [sd for sd in sides if lines[sd].home == "hips"]
            if not sides:
                continue
        slot = _common_slot([lines[sd] for sd in sides], g)
        if slot is None:
            continue
        start, hold, chained = slot
        for sd, ch in zip(sides, chained):
            if len(sides) == 2 and g.lead and sd != g.lead and not ch:
                _follow(lines[sd], i, g, start, hold)
                continue
            lines[sd].add(i, g, start, ch, hold)
            if g.kind != RELEASE:
                gestures[sd][f"g{i}"] = (g, start, hold)
    return {side: _arm_plan(line, style, gestures[side], rubs[side]) for side, line in lines.items()}


def _follow(line: _ArmTimeline, i: int, g: Gesture, start: float, hold: float) -> None:
    """The arm that follows the lead arm of a two-handed gesture ``g`` (planned on the lead arm at ``start`` with
    ``hold``): it sets off ``g.follow``'s delay later at its own pace and comes back at its own time; if its own
    hold would not fit, it goes with the lead arm."""
    lag, pace_out, lag_back, pace_back = g.follow
    mine = replace(g, rise=g.rise * pace_out, fall=g.fall * pace_back)
    on = start + lag
    own = start + g.rise + hold + lag_back - (on + mine.rise)
    if own < MIN_HOLD or line.fits(on, mine) < own:
        line.add(i, g, start, False, hold)
    else:
        line.add(i, mine, on, False, own)


def _home(style: StandingStyle, side: str) -> str:
    if style.arm_mode in ("hips", "contract"):
        return style.arm_mode
    if style.arm_mode == "chin":
        return "chin" if side == style.support_side else "support"
    return "rest"


#: Share of the entry the supporting hand waits before following the chin hand up, and of the exit the chin hand
#: waits for it to let go [E].
SUPPORT_FOLLOW = 0.3


def _timeline(style: StandingStyle, side: str, duration: float) -> _ArmTimeline:
    """An arm's empty timeline: the move into its held pose (``enter``) and the limit set by the move out."""
    home = _home(style, side)
    enter = max(style.enter, 0.3) if style.enter > 0 and home != "rest" else 0.0
    limit = duration - max(style.leave, 0.3) if style.leave > 0 and home != "rest" else np.inf
    line = _ArmTimeline(side, home, style, [], enter, float(limit))
    if enter:
        # the supporting hand follows the chin hand up: its target is the other elbow, which is still rising from
        # its hang at first (below the hand's reach: the arm went straight, then bent 10° in a frame as the
        # elbow came within reach, 611°/s on cool_loops); it leaves SUPPORT_FOLLOW of the way in and arrives with it
        start = SUPPORT_FOLLOW * enter if home == "support" else 0.0
        line.push(line.move(start, enter - start, home, home))
    return line


def _rub_in_place(line: _ArmTimeline, i: int, g: Gesture, rubs: list[tuple[int, Gesture]]) -> None:
    """A chin rub of the hand holding the chin: kept when the hand is home and free for all of it."""
    if line.pending is None or line.free <= g.t:
        if g.t >= line.free and g.end <= line.limit:
            rubs.append((i, g))
            line.free = g.end
            line.pending = None


def _common_slot(lines: list[_ArmTimeline], g: Gesture) -> tuple[float, float, list[bool]] | None:
    """(onset, hold, chained per arm) of a gesture every arm in ``lines`` can start together; None when there is
    no common onset or the hold left before the arms' limit is under ``MIN_HOLD``."""
    start = g.t
    for _ in range(4):
        nxt = max(line.slot(start)[0] for line in lines)
        if nxt == start:
            break
        start = nxt
    slots = [line.slot(start) for line in lines]
    if any(abs(sl[0] - start) > 1e-9 for sl in slots):
        return None
    hold = min(line.fits(start, g) for line in lines)
    if hold < MIN_HOLD:
        return None
    return start, hold, [chained for _, chained in slots]


def _arm_plan(
    line: _ArmTimeline,
    style: StandingStyle,
    gestures: dict[str, tuple[Gesture, float, float]],
    rubs: list[tuple[int, Gesture]],
) -> ArmPlan:
    """The finished plan of one arm: the move out of the held pose (``leave``) and each gesture's real hold."""
    if np.isfinite(line.limit):
        # the chin hand waits for the supporting hand to let go of its elbow (the mirror of the entry: the
        # supporting hand's target would otherwise drop out of its reach with the elbow)
        leave = max(style.leave, 0.3)
        wait = SUPPORT_FOLLOW * leave if line.home == "chin" else 0.0
        line.push(line.move(line.limit + wait, leave - wait, "rest", "rest"))
    initial = "rest" if style.enter > 0 and line.home != "rest" else line.home
    # the real hold of each gesture: from arrival to the next move (a chained gesture's hold was cut)
    kept = {}
    for k, m in enumerate(line.moves):
        if m.to in gestures:
            g, on, _ = gestures[m.to]
            kept[m.to] = (g, on, line.moves[k + 1].start - m.end)
    plan = reach.ReachPlan(line.side, initial, tuple(line.moves))
    return ArmPlan(line.side, line.home, plan, kept, rubs, tuple(line.owners))
