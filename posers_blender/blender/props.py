"""Blender properties generated from each motion's Schema, and the per-object settings (``Object.posers``).

One declaration per motion (:class:`~posers_blender.engine.params.Schema`) becomes a
PropertyGroup (``PosersIdleBreatheParams``) with names, descriptions, ranges and
defaults, so the panel, the CLI and presets never drift. Values live under
``Object.posers.params.<motion_id>.<name>``: stable, keyable data paths.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import bpy

from .. import registry
from ..engine.params import Param, Schema
from . import bake


def settings(obj: Any) -> Any:
    """The object's Posers settings (``Object.posers``; registered at runtime, so not in the bpy stubs)."""
    return obj.posers


def attr_name(motion_id: str) -> str:
    return motion_id.replace("-", "_")


def class_name(motion_id: str) -> str:
    return "Posers" + "".join(p.capitalize() for p in motion_id.split("-")) + "Params"


#: Names of objects whose Posers settings changed since the live preview last looked; the preview empties it.
changed: set[str] = set()
#: Told after each change (the live preview subscribes while the add-on is registered).
listeners: list[Callable[[], None]] = []


def flag(obj: Any) -> None:
    """Note that ``obj``'s settings changed and tell the listeners; nothing is sampled or posed here."""
    if isinstance(obj, bpy.types.Object):
        changed.add(obj.name)
        for listener in listeners:
            listener()


def _on_change(self: Any, context: Any) -> None:
    flag(self.id_data)


#: Citations kept in the schema's descriptions for developers, not shown in tooltips: "facts §2a",
#: "metrics B10", "issue 5", "[E]" (an estimate).
_CITATION = re.compile(r"(?:facts|metrics)\s+§?[A-Za-z]?\d+[a-z]?|issue\s+\d+|\[[A-Z]\]")
#: Units in words, for tooltips.
UNIT_WORDS = {
    "s": "seconds",
    "Hz": "per second",
    "1/min": "per minute",
    "m": "metres",
    "mm": "millimetres",
    "deg": "degrees",
    "deg/s": "degrees per second",
    "m/s": "metres per second",
    "steps/min": "steps per minute",
    "x": "times the usual amount",
    "%": "percent",
}
#: Units shown after a field's name (not "x" or "count": "Puff count (count)" says nothing).
_NAME_UNITS = {"s", "Hz", "1/min", "m", "mm", "deg", "deg/s", "m/s", "steps/min", "%"}


def plain(text: str) -> str:
    """A schema description as a tooltip: citations and bracket codes taken out, punctuation tidied."""
    s = _CITATION.sub("", text)
    s = re.sub(r"\(\s*[:;,]?\s*", "(", s)
    s = re.sub(r"\s*[:;,]\s*([:;,])", r"\1", s)
    s = re.sub(r"[;:,]\s*\)", ")", s)
    s = re.sub(r"\(\s*\)", "", s)
    s = re.sub(r"\s+([);,.])", r"\1", s)
    return re.sub(r"\s{2,}", " ", s).strip()


def tooltip(p: Param) -> str:
    """The plain-language tooltip of a parameter: what it does, then its range in words with units."""
    text = plain(p.description)
    if p.kind in ("float", "int") and p.min is not None and p.max is not None:
        unit = UNIT_WORDS.get(p.unit, "")
        text += f". From {p.min:g} to {p.max:g}" + (f" {unit}" if unit else "")
    return text


def field_name(p: Param) -> str:
    return p.title + (f" ({p.unit})" if p.unit in _NAME_UNITS else "")


def _prop(p: Param) -> Any:
    desc, name = tooltip(p), field_name(p)
    if p.kind == "float":
        return bpy.props.FloatProperty(
            name=name,
            description=desc,
            default=float(p.default),
            min=-1e9 if p.min is None else float(p.min),
            max=1e9 if p.max is None else float(p.max),
            precision=3,
            update=_on_change,
        )
    if p.kind == "int":
        return bpy.props.IntProperty(
            name=name,
            description=desc,
            default=int(p.default),
            min=-(2**31) if p.min is None else int(p.min),
            max=2**31 - 1 if p.max is None else int(p.max),
            update=_on_change,
        )
    if p.kind == "bool":
        return bpy.props.BoolProperty(name=name, description=desc, default=bool(p.default), update=_on_change)
    items = [(c, c.replace("_", " ").capitalize(), f"{p.title}: {c.replace('_', ' ')}") for c in p.choices]
    return bpy.props.EnumProperty(name=name, description=desc, items=items, default=p.default, update=_on_change)


def param_group(motion_id: str, schema: Schema) -> type:
    """A PropertyGroup class for one motion's schema."""
    annotations = {p.name: _prop(p) for p in schema}
    return type(class_name(motion_id), (bpy.types.PropertyGroup,), {"__annotations__": annotations})


def values(group: Any, schema: Schema) -> dict[str, Any]:
    """The PropertyGroup's values as a parameter dict (validated by the caller through ``schema.validate``).

    Blender stores float properties in single precision; values are read back at 7 significant
    digits so 0.8 stays 0.8 (not 0.800000011920929) in presets and Action provenance.
    """
    out: dict[str, Any] = {}
    for p in schema:
        v = getattr(group, p.name)
        out[p.name] = float(f"{v:.7g}") if p.kind == "float" else v
    return out


def reset(group: Any, schema: Schema) -> None:
    """Every parameter of the group back to its default (the object is flagged once by the caller)."""
    for p in schema:
        group.property_unset(p.name)


def apply_values(group: Any, schema: Schema, params: dict[str, Any]) -> None:
    """The group set to the defaults overlaid with ``params`` (all checked by ``schema.validate`` first)."""
    for name, value in schema.validate(params).to_dict().items():
        setattr(group, name, value)


_MOTION_ITEMS: list[tuple[str, str, str]] = []


def _motion_items(self: Any, context: Any) -> list[tuple[str, str, str]]:
    progs = registry.discover()
    # Blender only borrows the strings of dynamic enum items: keep them alive at module level.
    _MOTION_ITEMS[:] = [(mid, progs[mid].meta.name, progs[mid].meta.description) for mid in bake.listed_motions()]
    return _MOTION_ITEMS


def settings_class(param_classes: dict[str, type]) -> tuple[type, type]:
    """(container of all motions' parameter groups, per-object settings) classes."""
    container = type(
        "PosersMotionParams",
        (bpy.types.PropertyGroup,),
        {
            "__annotations__": {
                attr_name(mid): bpy.props.PointerProperty(type=cls) for mid, cls in param_classes.items()
            }
        },
    )
    annotations = {
        "motion": bpy.props.EnumProperty(
            name="Motion", description="Motion program to preview and bake", items=_motion_items, update=_on_change
        ),
        "seed": bpy.props.IntProperty(
            name="Seed",
            description="Random seed: the same seed gives the same motion",
            default=0,
            min=0,
            update=_on_change,
        ),
        "seconds": bpy.props.FloatProperty(
            name="Duration",
            description="Clip length in seconds",
            default=10.0,
            min=0.1,
            max=3600.0,
            unit="TIME_ABSOLUTE",
            update=_on_change,
        ),
        "frame_start": bpy.props.IntProperty(
            name="Start Frame", description="First frame of the bake and preview", default=1, update=_on_change
        ),
        "preview": bpy.props.BoolProperty(
            name="Preview",
            description="Pose the armature live from the motion while scrubbing or playing",
            default=False,
            update=_on_change,
        ),
        "reduce_keys": bpy.props.BoolProperty(
            name="Reduce Keys",
            description="Replace per-frame keys with sparse Bezier keys within the tolerance",
            default=False,
        ),
        "tolerance": bpy.props.FloatProperty(
            name="Tolerance (deg)",
            description="Maximum rotation error of reduced keys, degrees",
            default=0.5,
            min=0.01,
            max=5.0,
        ),
        "additive": bpy.props.BoolProperty(
            name="Additive Layer",
            description="Bake the motion's movement around its mean pose (for COMBINE layers)",
            default=False,
        ),
        "loop": bpy.props.BoolProperty(
            name="Loop",
            description=(
                "Bake a seamless cycle: a whole number of strides or breaths whose last frame matches the first "
                "(pose and speed), played forever by a Cycles modifier"
            ),
            default=False,
            update=_on_change,
        ),
        "root_motion": bpy.props.EnumProperty(
            name="Root Motion",
            description="Where a walk's travel goes: on the hips, taken out (loops), or on the rig's root bone",
            items=[
                ("travel", "Travel", "The hips move forward and each cycle continues from where the last ended"),
                ("in_place", "In Place", "The travel is taken out: the character walks on the spot"),
                (
                    "root_bone",
                    "Root Bone",
                    "The hips stay in place and the bone above them (the rig's root) carries the walk forward "
                    "and through its turns; the rig needs a root bone above the hips",
                ),
            ],
            default="travel",
            update=_on_change,
        ),
        "params": bpy.props.PointerProperty(type=container),
        "last_error": bpy.props.StringProperty(name="Last Error", description="Last preview error", default=""),
    }
    settings = type("PosersObjectSettings", (bpy.types.PropertyGroup,), {"__annotations__": annotations})
    return container, settings
