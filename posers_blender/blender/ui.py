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
        prog = registry.discover().get(s.motion)
        if prog is not None:
            group = getattr(s.params, props.attr_name(s.motion))
            for name, params in prog.schema.groups().items():
                col = layout.box().column(align=True)
                col.label(text=name)
                for p in params:
                    col.prop(group, p.name)
        col = layout.column(align=True)
        col.prop(s, "seed")
        col.prop(s, "seconds")
        col.prop(s, "frame_start")
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
        row = layout.row(align=True)
        row.operator("posers.add_landmarks", icon="EMPTY_AXIS")
        row.operator_menu_enum("posers.add_target", "name", text="Add Target", icon="EMPTY_SINGLE_ARROW")
        for note in targets.REACH_NOTES.get(obj.name, []):
            layout.label(text=note, icon="INFO")


def menu_entries(self: Any, context: Any) -> None:
    """Menu items under Object > Animation, so F3 search finds every operator."""
    self.layout.separator()
    for idname in (
        "posers.bake_motion",
        "posers.push_to_nla",
        "posers.clear_preview",
        "posers.add_landmarks",
        "posers.add_target",
        "posers.export_vrma",
        "posers.export_bvh",
    ):
        self.layout.operator(idname)


CLASSES = (POSERS_PT_motion,)
