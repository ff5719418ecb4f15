"""The motion graph: which motion may follow which, and what the compiler inserts between them.

Every motion has a *kind*:

- ``stand``: a standing motion (``MotionMeta.standing``): holds ``seconds`` (or ``until`` a marker);
- ``walk``: a locomotion motion with a ``target`` path: walks ``to`` a floor point and stops there;
- ``baseline``: the frozen naive references; they have no transitions and cannot be composed.

The edges (:data:`EDGES`) name the transition the compiler makes at each seam:

====================  ============  ==============================================================
previous -> next      transition    what happens
====================  ============  ==============================================================
(start) -> any        ``start``     the first item starts at the origin facing +Z
stand -> stand        ``handover``  pose, weight and arms handed over (inertialised); the feet stay
                                    where they are, a settle step moves a foot that must move
stand -> walk         ``step-off``  the walk starts from the standing stance with its first step
walk -> stand         ``stop``      the walk stops into a stance; the standing motion starts with
                                    the feet where the walk left them
walk -> walk          ``stop-go``   stop, then start again from that stance
====================  ============  ==============================================================

A ``face`` heading that differs from the current one by more than
:data:`TURN_MIN_DEG` adds a ``turn`` (stepping on the spot) at the start of a
standing item, or after a walk that ends the score (a ``hold`` step is
inserted for it). A walk whose target lies more than :data:`WALK_TURN_DEG`
from the current heading starts with such a ``hold`` too, turning on the spot
toward the target, so the walk itself never makes a U-turn. The graph runs on the *nominal* positions (a walk ends on its
target), so every error is found before anything is sampled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..engine.params import ParamError
from ..engine.program import MotionError, MotionProgram
from ..registry import get, is_baseline
from .feet import turn_seconds
from .score import Item, Score, ScoreError

STAND, WALK, HOLD, BASELINE = "stand", "walk", "hold", "baseline"
EDGES: dict[tuple[str, str], str] = {
    (STAND, STAND): "handover",
    (STAND, WALK): "step-off",
    (WALK, STAND): "stop",
    (WALK, WALK): "stop-go",
    (WALK, HOLD): "stop",
    (STAND, HOLD): "handover",
    (HOLD, WALK): "step-off",
}
#: Walk parameters the compiler sets from ``to``; a score may not set them.
WALK_OWNED = ("path", "target_x", "target_z", "in_place", "start_from_stand", "stop_at_end")
#: Shortest walk (m): below about one step a walk cannot start and stop (facts §2a: step ~0.7 m).
MIN_WALK_M = 0.5
#: Headings closer than this (degrees) need no turn on the spot.
TURN_MIN_DEG = 10.0
#: Longest search for an ``until`` marker when an item gives no ``seconds`` (s).
UNTIL_DEFAULT_MAX = 120.0
#: A walk target further round than this (degrees from the current heading) is turned to on the spot first:
#: the walk's own path turns on a 1 m arc, and a U-turn on it crosses the legs (pose jumps, ankle past its limit).
WALK_TURN_DEG = 120.0
#: Time on the spot after the turning steps (s): the body settles before the next item.
TURN_SETTLE_S = 0.3


@dataclass(frozen=True)
class Step:
    """One sampled piece of the scene, in order.

    ``item`` is the score item (None for an inserted ``hold``); ``params`` are
    the item's validated parameters without the walk target (the compiler adds
    it from the actual start); ``face`` the heading in radians at the start of
    a stand/hold (None: keep the current heading); ``enter`` the transition
    into this step (a value of :data:`EDGES` or ``start``); ``hand_s`` the
    transport time of a hand carried into it (None: from the distance).
    """

    kind: str
    name: str
    motion: str
    program: MotionProgram | None
    params: dict[str, Any]
    enter: str
    item: Item | None = None
    seconds: float | None = None
    to: tuple[float, float] | None = None
    face: float | None = None
    look_at: tuple[float, float, float] | None = None
    nominal_end: tuple[float, float] = (0.0, 0.0)
    hand_s: float | None = None
    notes: list[str] = field(default_factory=list)


def kind_of(program: MotionProgram) -> str:
    if is_baseline(program):
        return BASELINE
    if program.meta.standing:
        return STAND
    names = program.schema.names
    if "walk" in program.meta.tags and "path" in names and "target" in program.schema["path"].choices:
        return WALK
    return BASELINE  # nothing else exists today; a new kind needs its own edges


def _program(item: Item) -> MotionProgram:
    try:
        return get(item.motion)
    except MotionError as exc:
        raise ScoreError(f"{item.label}: {exc}") from None


def _params(item: Item, program: MotionProgram, kind: str) -> dict[str, Any]:
    if kind == WALK:
        owned = sorted(set(item.params) & set(WALK_OWNED))
        if owned:
            raise ScoreError(
                f"{item.label}: parameter '{owned[0]}' is set by the score; give the walk a target with "
                '"to": [x, z] (and "face" for the heading on arrival) instead'
            )
    try:
        return program.schema.validate(item.params).to_dict()
    except ParamError as exc:
        raise ScoreError(f"{item.label}: {exc}; fix its \"params\" (see 'posers describe {item.motion}')") from None


def _check_fields(item: Item, kind: str, prev: Item | None) -> None:
    if kind == BASELINE:
        after = f" cannot follow {prev.label}" if prev is not None else " cannot be composed"
        raise ScoreError(
            f"{item.label}{after}: baseline motions are frozen naive references with no transitions; "
            "use a real motion ('posers list')"
        )
    if kind == STAND:
        if item.to is not None:
            raise ScoreError(f"{item.label}: 'to' is for walks; insert a walk item (e.g. basic-walk) before it")
        if item.seconds is None and item.until is None:
            raise ScoreError(f"{item.label}: give 'seconds' (how long it holds) or 'until' (a marker to end after)")
    if kind == WALK:
        if item.to is None:
            raise ScoreError(f'{item.label}: a walk needs a target: "to": [x, z] in metres on the floor')
        if item.until is not None:
            raise ScoreError(f"{item.label}: 'until' is for standing motions; a walk ends at its target")


def _heading_deg(a: float, b: float) -> float:
    """Signed smallest difference b - a in degrees."""
    return (b - a + 180.0) % 360.0 - 180.0


def plan(score: Score) -> list[Step]:
    """Check the score against the graph and return the steps to sample; raises :class:`ScoreError`."""
    steps: list[Step] = []
    pos = (0.0, 0.0)
    heading = 0.0  # degrees
    prev_kind, prev_item = None, None
    for item in score.items:
        program = _program(item)
        kind = kind_of(program)
        _check_fields(item, kind, prev_item)
        params = _params(item, program, kind)
        enter = "start" if prev_kind is None else EDGES[(prev_kind, kind)]
        hand_s = None
        if kind == STAND and prev_kind is not None and "enter" in program.schema.names:
            # the seam carries the hands into the held pose (a reach from where they are), so the motion starts
            # in it; an 'enter' the score gives is the time of that reach
            given = item.params.get("enter")
            hand_s = float(params["enter"]) if given is not None and float(params["enter"]) > 0 else None
            params["enter"] = 0.0
        face_rad = None
        if kind == WALK:
            assert item.to is not None
            dist = math.hypot(item.to[0] - pos[0], item.to[1] - pos[1])
            if dist < MIN_WALK_M:
                raise ScoreError(
                    f"{item.label}: target {list(item.to)} is {dist:.2f} m from where the avatar stands "
                    f"({pos[0]:g}, {pos[1]:g}); a walk needs at least {MIN_WALK_M:g} m: move the target, or drop "
                    "the walk and give the next item a 'face' heading to turn on the spot"
                )
            towards = math.degrees(math.atan2(item.to[0] - pos[0], item.to[1] - pos[1]))
            if abs(_heading_deg(heading, towards)) > WALK_TURN_DEG:
                into = "start" if prev_kind is None else EDGES[(prev_kind, HOLD)]
                steps.append(_turn_hold(f"{item.name} (turn)", heading, towards, pos, into))
                enter = EDGES[(HOLD, WALK)]
            heading = towards
            pos = item.to
        else:
            wanted = item.face
            if wanted is None and prev_item is not None and prev_kind == WALK and prev_item.face is not None:
                wanted = prev_item.face  # a walk's arrival heading is taken by the stance that follows it
            if wanted is not None:
                face_rad = math.radians(wanted)
                heading = wanted
        steps.append(
            Step(
                kind=kind,
                name=item.name,
                motion=item.motion,
                program=program,
                params=params,
                enter=enter,
                item=item,
                seconds=item.seconds,
                to=item.to,
                face=face_rad,
                look_at=item.look_at,
                nominal_end=pos,
                hand_s=hand_s,
            )
        )
        prev_kind, prev_item = kind, item
    last = steps[-1]
    if last.kind == WALK and last.item is not None and last.item.face is not None:
        # a walk that ends the score and must face somewhere: hold the stance and turn on the spot
        steps.append(_turn_hold(f"{last.name} (turn)", heading, last.item.face, pos, "stop"))
    return steps


def _turn_hold(name: str, heading: float, face: float, pos: tuple[float, float], enter: str) -> Step:
    """A ``hold`` step that turns on the spot from ``heading`` to ``face`` (degrees), long enough for its steps."""
    turn = math.radians(_heading_deg(heading, face))
    return Step(
        kind=HOLD,
        name=name,
        motion="hold",
        program=None,
        params={},
        enter=enter,
        seconds=turn_seconds(turn) + TURN_SETTLE_S,
        face=math.radians(face),
        nominal_end=pos,
    )


def describe_rules() -> str:
    """The graph's rules as text for a language model (docs/score.md embeds the same)."""
    return (
        "Kinds: standing motions hold 'seconds' (or 'until' a marker); walks go 'to' [x, z] and stop there. "
        "Any standing motion may follow any other (pose, weight and arms are handed over, feet stay planted). "
        "A walk may follow anything and anything may follow a walk (it stops into a stance first). "
        f"A walk must move at least {MIN_WALK_M:g} m. 'face' (degrees, 0 = +Z, 90 = +X) turns on the spot. "
        "Baseline motions (baseline-*) cannot be composed. Walk parameters path, target_x, target_z, in_place, "
        "start_from_stand and stop_at_end are set by the score."
    )
