"""The score as JSON Schema (draft 2020-12): ``posers compose --json-schema``.

The schema is generated from the motion registry, so each motion's
``params`` are checked against that motion's own parameter schema (the same
declaration the CLI, presets and the Blender panel use). The graph's rules
(which motion may follow which) cannot be said in JSON Schema; they travel in
the ``description`` and in ``x-graph``.
"""

from __future__ import annotations

from typing import Any

from ..registry import discover
from . import graph
from .score import DEFAULT_FPS, FORMAT, MAX_ITEMS, VERSION


def composable() -> dict[str, str]:
    """Motion id -> kind (``stand`` or ``walk``) of every motion a score may use."""
    out = {}
    for mid, prog in sorted(discover().items()):
        kind = graph.kind_of(prog)
        if kind in (graph.STAND, graph.WALK):
            out[mid] = kind
    return out


def _xz(desc: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2, "description": desc}


def score_schema() -> dict[str, Any]:
    kinds = composable()
    programs = discover()
    per_motion = []
    for mid, kind in kinds.items():
        params = programs[mid].schema.json_schema(title=f"{mid} parameters")
        params.pop("$schema", None)
        if kind == graph.WALK:
            for name in graph.WALK_OWNED:
                params["properties"].pop(name, None)
        then: dict[str, Any] = {"properties": {"params": params}}
        if kind == graph.WALK:
            then["required"] = ["to"]
        else:
            then["anyOf"] = [{"required": ["seconds"]}, {"required": ["until"]}]
            then["not"] = {"required": ["to"]}
        per_motion.append({"if": {"properties": {"motion": {"const": mid}}, "required": ["motion"]}, "then": then})
    item = {
        "type": "object",
        "additionalProperties": False,
        "required": ["motion"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "description": "Name of the item (the NLA strip's name)"},
            "motion": {
                "type": "string",
                "enum": list(kinds),
                "description": "Motion id; "
                + ", ".join(f"{m} ({k})" for m, k in kinds.items())
                + ". See 'posers describe MOTION --json-schema' for its parameters.",
            },
            "params": {"type": "object", "description": "The motion's parameters (validated against its schema)"},
            "seconds": {
                "type": "number",
                "exclusiveMinimum": 0,
                "description": "How long the item holds (s). Standing motions: required unless 'until' is given. "
                "Walks: optional; at least the time the walk needs.",
            },
            "to": _xz(
                "Walks only: target [x, z] on the floor (m); the avatar starts at the origin facing +Z, +X is its left"
            ),
            "face": {
                "type": "number",
                "minimum": -360,
                "maximum": 360,
                "description": "Heading (degrees, 0 = +Z, 90 = +X): a standing item turns to it on the spot at its "
                "start; a walk turns to it on arrival",
            },
            "look_at": {
                "type": "array",
                "items": {"type": "number"},
                "minItems": 3,
                "maxItems": 3,
                "description": "Point [x, y, z] (m, y up) the eyes, head and neck turn toward during the item",
            },
            "until": {
                "type": "object",
                "additionalProperties": False,
                "required": ["marker"],
                "description": "Standing motions: end after the count-th phase marker (e.g. 'puff') plus 'after' s",
                "properties": {
                    "marker": {"type": "string"},
                    "count": {"type": "integer", "minimum": 1, "default": 1},
                    "after": {"type": "number", "minimum": 0, "maximum": 60, "default": 1.0},
                },
            },
        },
        "allOf": per_motion,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://posers.invalid/schema/score-v{VERSION}.json",
        "title": "Posers score",
        "description": "Motions in sequence for one avatar. " + graph.describe_rules(),
        "type": "object",
        "additionalProperties": False,
        "required": ["version", "items"],
        "properties": {
            "format": {"const": FORMAT},
            "version": {"const": VERSION},
            "title": {"type": "string"},
            "fps": {"type": "number", "minimum": 1, "maximum": 240, "default": DEFAULT_FPS},
            "seed": {"type": "integer", "minimum": 0, "maximum": 2**32 - 1, "default": 0},
            "height": {"type": "number", "minimum": 0.5, "maximum": 2.5, "description": "Built-in avatar height (m)"},
            "items": {"type": "array", "minItems": 1, "maxItems": MAX_ITEMS, "items": item},
        },
        "x-graph": {f"{a} -> {b}": t for (a, b), t in graph.EDGES.items() if graph.HOLD not in (a, b)},
    }
