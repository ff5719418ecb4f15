"""Parameters every standing motion shares (layer weights, rates, handedness, energy), with per-motion defaults,
and the :class:`~.style.StandingStyle` fields they set."""

from __future__ import annotations

from typing import Any

from ..params import Constraint, Param, Params


def common_params(**defaults: Any) -> tuple[Param, ...]:
    """The shared knobs; keyword arguments override their defaults (e.g. ``sway=1.2``)."""
    d: dict[str, Any] = {
        "rate": 14.0,
        "rate_min": 10.0,
        "depth": 1.0,
        "sway": 1.0,
        "blink_rate": 15.0,
        "glance_interval": 14.0,
        "gesture_interval": 150.0,
        "handedness": "right",
        "energy": 1.0,
    }
    d.update(defaults)
    return (
        Param(
            "energy",
            "float",
            d["energy"],
            "Overall liveliness: scales sway, how briefly gestures hold, and the glance rate",
            0.5,
            1.5,
            "x",
            "Style",
        ),
        Param(
            "handedness",
            "enum",
            d["handedness"],
            "Hand used for most gestures",
            choices=("left", "right", "both"),
            group="Style",
        ),
        Param(
            "rate",
            "float",
            d["rate"],
            "Breaths per minute (facts §1: 12-20 at rest)",
            d["rate_min"],
            20.0,
            "1/min",
            "Breathing",
        ),
        Param(
            "depth",
            "float",
            d["depth"],
            "Breath depth relative to a quiet breath",
            0.3,
            2.0,
            "x",
            "Breathing",
        ),
        Param(
            "sway",
            "float",
            d["sway"],
            "Postural sway amount; 1 = measured quiet stance (AP RMS ~4 mm, ML ~2.5 mm)",
            0.0,
            2.5,
            "x",
            "Body",
        ),
        Param(
            "blink_rate",
            "float",
            d["blink_rate"],
            "Blinks per minute (facts §1: 8-21 resting)",
            8.0,
            25.0,
            "1/min",
            "Face",
        ),
        Param(
            "glance_interval", "float", d["glance_interval"], "Mean time between glances [E]", 3.0, 60.0, "s", "Face"
        ),
        Param(
            "gesture_interval",
            "float",
            d["gesture_interval"],
            "Mean time between hand gestures (self-touch; metrics B10: calm 0.2-0.8 per min)",
            10.0,
            600.0,
            "s",
            "Gestures",
        ),
        Param("breathing_weight", "float", 1.0, "Weight of the breathing layer", 0.0, 1.0, "x", "Layers"),
        Param("sway_weight", "float", 1.0, "Weight of the sway layer", 0.0, 1.0, "x", "Layers"),
        Param("gesture_weight", "float", 1.0, "Weight of the gesture layer", 0.0, 1.0, "x", "Layers"),
        Param("gaze_weight", "float", 1.0, "Weight of the gaze layer (glances)", 0.0, 1.0, "x", "Layers"),
    )


def common_style(p: Params) -> dict[str, Any]:
    """StandingStyle fields from the shared parameters."""
    return {
        "breath_rate": p.rate,
        "breath_depth": p.depth,
        "sway": p.sway * (0.85 + 0.15 * p.energy),
        "blink_rate": p.blink_rate,
        "gesture_interval": p.gesture_interval,
        "gesture_speed": p.energy,
        "handedness": p.handedness,
        "breathing_weight": p.breathing_weight,
        "sway_weight": p.sway_weight,
        "gesture_weight": p.gesture_weight,
        "gaze_weight": p.gaze_weight,
    }


def transition_constraints(minimum: float, leave: bool = False, min_hold: float = 0.5) -> tuple[Constraint, ...]:
    """Rules for the ``enter`` (and, with ``leave=True``, ``leave``) move into and out of a held pose.

    A move is either off (0) or at least ``minimum`` seconds: the whole body eases in over exactly that
    time, so a shorter one breaks the standing joint-speed gate (p99 <= 300°/s; confident-stance with
    ``enter`` = 0.1 s reached 838°/s). ``minimum`` is the shortest that passes on the built-in avatar at
    24-120 fps in a 3 s clip with some margin (confident-stance: 0.8 s gives p99 276°/s, 1 s 218°/s;
    contemplative-lean leaning on the wall: 1 s gives 300°/s, 1.2 s 261°/s). With both moves, they and
    ``min_hold`` seconds in the pose must fit in the clip; otherwise the move out starts before the move in
    ends (issue 15: enter = leave = 2.5 s in a 4 s clip raised "moves overlap").
    """
    names = ("enter", "leave") if leave else ("enter",)
    out = [_move_minimum(name, minimum) for name in names]
    if leave:
        out.append(
            Constraint(
                ("enter", "leave"),
                f"enter + leave + {min_hold:g} s <= clip length",
                lambda p, t: p.enter + p.leave + min_hold <= t.duration + 1e-9,
                lambda p, t: (
                    f"make the clip at least {p.enter + p.leave + min_hold:g} s "
                    f"or shorten enter/leave to {max(t.duration - min_hold, 0.0):g} s together"
                ),
                why=f"the move out would start before the move in ends; {min_hold:g} s is the shortest hold",
                clip=True,
            )
        )
    return tuple(out)


def _move_minimum(name: str, minimum: float) -> Constraint:
    return Constraint(
        (name,),
        f"{name} = 0 or {name} >= {minimum:g} s",
        lambda p, t: p[name] == 0.0 or p[name] >= minimum - 1e-9,
        lambda p, t: f"set {name}=0 (no move) or {name}={minimum:g} or more",
        why="a faster move breaks the 300°/s joint-speed gate of standing motions",
    )
