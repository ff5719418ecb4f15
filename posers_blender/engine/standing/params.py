"""Parameters every standing motion shares (layer weights, rates, handedness, energy), with per-motion defaults,
and the :class:`~.style.StandingStyle` fields they set."""

from __future__ import annotations

from typing import Any

from ..params import Param, Params


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
