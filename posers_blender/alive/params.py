"""The life layer's parameters: one :class:`Schema` for the CLI flags, the Blender properties and JSON presets.

Every component has its own weight (0 switches it off). Rates come from the facts file §1 (breathing 12-20/min,
blinks 15/min idle) and §9 (gaze). Masks keep parts of the input exactly as they are.
"""

from __future__ import annotations

from ..engine.params import Param, Params, Schema

SCHEMA = Schema(
    (
        Param("breathing", "float", 1.0, "Weight of breathing on the chest and shoulders", 0.0, 2.0, "x", "Breathing"),
        Param(
            "breath_rate",
            "float",
            14.0,
            "Breaths per minute (facts §1: 12-20 at rest)",
            10.0,
            20.0,
            "1/min",
            "Breathing",
        ),
        Param("blinks", "float", 1.0, "Weight of the blinks (the blink expression)", 0.0, 1.0, "x", "Face"),
        Param("blink_rate", "float", 15.0, "Blinks per minute (facts §1: 15 idle, 8-21)", 4.0, 30.0, "1/min", "Face"),
        Param(
            "gaze",
            "float",
            1.0,
            "Weight of the gaze shifts (eyes, and the head for larger ones)",
            0.0,
            1.5,
            "x",
            "Face",
        ),
        Param(
            "glance_interval",
            "float",
            8.0,
            "Mean time between gaze shifts (facts §9) [E]",
            2.0,
            60.0,
            "s",
            "Face",
        ),
        Param(
            "micro_motion",
            "float",
            0.35,
            "Weight of the fitted micro-motion of quiet standing (1 = the ReActIdle people, who idle lively)",
            0.0,
            1.5,
            "x",
            "Body",
        ),
        Param(
            "posture",
            "float",
            1.0,
            "Weight of the weight shifts made while the input holds still",
            0.0,
            1.5,
            "x",
            "Body",
        ),
        Param(
            "shift_interval",
            "float",
            30.0,
            "Mean time between weight shifts while the input holds still",
            8.0,
            300.0,
            "s",
            "Body",
        ),
        Param(
            "fade_speed",
            "float",
            0.25,
            "Input speed (of a bone, in the world) above which the layer is gone from that bone",
            0.05,
            2.0,
            "m/s",
            "Fading",
        ),
        Param("keep_arms", "bool", False, "Mask: leave the arms and hands as the input has them", group="Masks"),
        Param("keep_head", "bool", False, "Mask: leave the neck and head as the input has them", group="Masks"),
        Param(
            "keep_trunk", "bool", False, "Mask: leave the hips, spine and chest as the input has them", group="Masks"
        ),
        Param(
            "hand_props",
            "bool",
            False,
            "Hands that hold still in the input hold a prop: keep them where they are in the world",
            group="Contacts",
        ),
    )
)


def validate(values: dict[str, object] | None = None) -> Params:
    """Defaults overlaid with ``values``, each checked (a :class:`~posers_blender.engine.params.ParamError` names
    the parameter and the allowed range)."""
    return SCHEMA.validate(values)
