"""The sidebar panel (3D View > Posers), drawn from the motion schemas, and the menu entries F3 finds."""

from __future__ import annotations

from typing import Any

import bpy

from .. import registry
from . import avatar as avatar_mod
from . import props, targets

_health_cache: dict[tuple[str, int], list[str]] = {}


def health_lines(obj: bpy.types.Object) -> list[str]:
    key = (obj.name, len(obj.data.bones))
    if key not in _health_cache:
        try:
            _health_cache[key] = avatar_mod.health_of(obj).lines()
        except Exception as exc:  # shown in the panel; drawing must not fail
            _health_cache[key] = [f"ERROR: {exc}"]
    return _health_cache[key]


class POSERS_PT_motion(bpy.types.Panel):
    """The sidebar panel: avatar health, motion, presets, one collapsible sub-panel per parameter group,
    clip settings, bake and export, and the tools (landmarks, targets, life layer, scores)."""

    bl_label = "Posers"
    bl_idname = "POSERS_PT_motion"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "Posers"

    @classmethod
    def poll(cls, context: Any) -> bool:
        return context.active_object is not None and context.active_object.type == "ARMATURE"

    def draw(self, context: Any) -> None:
        obj = context.active_object
        s = obj.posers
        layout = self.layout
        box = layout.box()
        for line in health_lines(obj):
            box.label(text=line, icon="ERROR" if line.startswith("ERROR") else "NONE")
        layout.prop(s, "motion")
        row = layout.row(align=True)
        row.operator("posers.load_preset", text="Load", icon="FILEBROWSER")
        row.operator("posers.save_preset", text="Save", icon="FILE_TICK")
        row.operator("posers.reset_params", text="Reset", icon="LOOP_BACK")
        prog = registry.discover().get(s.motion)
        if prog is not None:
            draw_params(layout, getattr(s.params, props.attr_name(s.motion)), prog.schema.groups())
        col = layout.column(align=True)
        col.prop(s, "seed")
        col.prop(s, "seconds")
        col.prop(s, "frame_start")
        row = layout.row(align=True)
        row.prop(s, "loop")
        row.prop(s, "root_motion", text="")
        layout.prop(s, "preview", toggle=True, icon="PLAY")
        if s.last_error:
            layout.label(text=s.last_error, icon="ERROR")
        row = layout.row(align=True)
        row.prop(s, "reduce_keys")
        sub = row.row()
        sub.enabled = s.reduce_keys
        sub.prop(s, "tolerance")
        layout.prop(s, "additive")
        layout.operator("posers.bake_motion", icon="ACTION")
        layout.operator("posers.push_to_nla", icon="NLA_PUSHDOWN")
        layout.operator("posers.clear_preview", icon="X")
        row = layout.row(align=True)
        row.operator("posers.export_vrma", icon="EXPORT")
        row.operator("posers.export_bvh", icon="EXPORT")
        for note in targets.REACH_NOTES.get(obj.name, []):
            layout.label(text=note, icon="INFO")
        header, body = layout.panel("POSERS_PT_tools", default_closed=True)
        header.label(text="More")
        if body is not None:
            row = body.row(align=True)
            row.operator("posers.add_landmarks", icon="EMPTY_AXIS")
            row.operator_menu_enum("posers.add_target", "name", text="Add Target", icon="EMPTY_SINGLE_ARROW")
            body.operator("posers.add_life_layer", icon="OUTLINER_OB_ARMATURE")
            body.operator("posers.load_score", icon="SEQUENCE")


def draw_params(layout: Any, group: Any, groups: dict[str, list[Any]]) -> None:
    """One collapsible sub-panel per parameter group (``Param.group``); the first one starts open."""
    for i, (name, params) in enumerate(groups.items()):
        header, body = layout.panel(f"POSERS_PT_params_{name.lower().replace(' ', '_')}", default_closed=i > 0)
        header.label(text=f"{name} ({len(params)})")
        if body is None:
            continue
        col = body.column(align=True)
        for p in params:
            col.prop(group, p.name)


#: Operators under Object > Animation, so the menu and F3 search find every one.
MENU_OPERATORS = (
    "posers.bake_motion",
    "posers.push_to_nla",
    "posers.clear_preview",
    "posers.load_preset",
    "posers.save_preset",
    "posers.reset_params",
    "posers.add_landmarks",
    "posers.add_target",
    "posers.add_life_layer",
    "posers.load_score",
    "posers.export_vrma",
    "posers.export_bvh",
)


def menu_entries(self: Any, context: Any) -> None:
    """Menu items under Object > Animation, so F3 search finds every operator."""
    self.layout.separator()
    for idname in MENU_OPERATORS:
        if idname == "posers.add_target":
            self.layout.operator_menu_enum(idname, "name", text="Add Target")
        else:
            self.layout.operator(idname)


CLASSES = (POSERS_PT_motion,)
