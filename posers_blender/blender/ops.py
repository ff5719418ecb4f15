"""Operators: thin wrappers over :mod:`bake`, :mod:`preview` and :mod:`avatar` (undoable, with tooltips)."""

from __future__ import annotations

from typing import Any, Literal

import bpy

from ..engine.params import ParamError
from ..engine.program import MotionError
from . import avatar as avatar_mod
from . import bake, empties, landmarks, preview, props, targets

#: What an operators execute returns.
OpResult = set[Literal["RUNNING_MODAL", "CANCELLED", "FINISHED", "PASS_THROUGH", "INTERFACE"]]

USER_ERRORS = (ParamError, MotionError, avatar_mod.NotHumanoid, ValueError)


def _armature(context: Any) -> bpy.types.Object | None:
    obj = context.active_object
    return obj if obj is not None and obj.type == "ARMATURE" else None


class _OnArmature:
    """Operators that act on the active armature: available only when one is active."""

    @classmethod
    def poll(cls, context: Any) -> bool:
        return _armature(context) is not None


class POSERS_OT_bake_motion(_OnArmature, bpy.types.Operator):
    """Bake the chosen motion to a new Action on the active armature (never overwrites an existing one)"""

    bl_idname = "posers.bake_motion"
    bl_label = "Bake Motion"
    bl_options = {"REGISTER", "UNDO"}

    def execute(self, context: Any) -> OpResult:
        obj = _armature(context)
        assert obj is not None
        try:
            av = avatar_mod.load(obj)
            res = bake.bake(av, preview.options(obj))
        except USER_ERRORS as exc:
            self.report({"ERROR"}, str(exc))
            return {"CANCELLED"}
        if props.settings(obj).preview:
            props.settings(obj).preview = False
        self.report({"INFO"}, "Baked " + res.summary())
        return {"FINISHED"}


class POSERS_OT_push_to_nla(bpy.types.Operator):
    """Move the active armature's baked Action (and its face and gaze Actions) into new NLA tracks"""

    bl_idname = "posers.push_to_nla"
    bl_label = "Push to NLA"
    bl_options = {"REGISTER", "UNDO"}

    blend_in: bpy.props.FloatProperty(name="Blend In", description="Frames to fade in", default=0.0, min=0.0)  # type: ignore[valid-type]
    blend_out: bpy.props.FloatProperty(name="Blend Out", description="Frames to fade out", default=0.0, min=0.0)  # type: ignore[valid-type]

    @classmethod
    def poll(cls, context: Any) -> bool:
        obj = _armature(context)
        return obj is not None and obj.animation_data is not None and obj.animation_data.action is not None

    def execute(self, context: Any) -> OpResult:
        obj = _armature(context)
        assert obj is not None
        ad = obj.animation_data
        action = ad.action
        assert action is not None
        strip = bake.push_bake_to_nla(obj, action, self.blend_in, self.blend_out)
        self.report(
            {"INFO"}, f"Pushed '{action.name}' to NLA track '{strip.id_data.animation_data.nla_tracks[-1].name}'"
        )
        return {"FINISHED"}


class POSERS_OT_clear_preview(_OnArmature, bpy.types.Operator):
    """Stop the live preview on the active armature and put back the pose it had"""

    bl_idname = "posers.clear_preview"
    bl_label = "Clear Preview"
    bl_options = {"REGISTER", "UNDO"}

    def execute(self, context: Any) -> OpResult:
        obj = _armature(context)
        assert obj is not None
        props.settings(obj).preview = False
        preview.stop(obj)
        return {"FINISHED"}


class POSERS_OT_add_landmarks(_OnArmature, bpy.types.Operator):
    """Show the avatar's landmarks (lips, chin, eyes) as empties parented to its head; move them to adjust"""

    bl_idname = "posers.add_landmarks"
    bl_label = "Show Landmarks"
    bl_options = {"REGISTER", "UNDO"}

    def execute(self, context: Any) -> OpResult:
        obj = _armature(context)
        assert obj is not None
        try:
            made = landmarks.ensure_empties(avatar_mod.load(obj))
        except USER_ERRORS as exc:
            self.report({"ERROR"}, str(exc))
            return {"CANCELLED"}
        self.report({"INFO"}, f"{len(made)} landmark empties in '{empties.COLLECTION}'")
        return {"FINISHED"}


class POSERS_OT_add_target(_OnArmature, bpy.types.Operator):
    """Create (or select) a target empty the motion aims at; move or animate it and re-bake"""

    bl_idname = "posers.add_target"
    bl_label = "Add Target"
    bl_options = {"REGISTER", "UNDO"}

    name: bpy.props.EnumProperty(  # type: ignore[valid-type]
        name="Target",
        description="Which target to create",
        items=[
            ("lookAt", "Look At", "Where the eyes and head look"),
            ("leftHand", "Left Hand", "Where the left hand reaches"),
            ("rightHand", "Right Hand", "Where the right hand reaches"),
            ("leftFoot", "Left Foot", "Where the left foot plants"),
            ("rightFoot", "Right Foot", "Where the right foot plants"),
        ],
    )

    def execute(self, context: Any) -> OpResult:
        obj = _armature(context)
        assert obj is not None
        try:
            empty = targets.ensure_target(avatar_mod.load(obj), self.name)
        except USER_ERRORS as exc:
            self.report({"ERROR"}, str(exc))
            return {"CANCELLED"}
        self.report({"INFO"}, f"Target '{empty.name}' in collection '{empties.COLLECTION}'")
        return {"FINISHED"}


CLASSES = (
    POSERS_OT_bake_motion,
    POSERS_OT_push_to_nla,
    POSERS_OT_clear_preview,
    POSERS_OT_add_landmarks,
    POSERS_OT_add_target,
)
