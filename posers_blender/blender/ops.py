"""Operators: thin wrappers over :mod:`bake`, :mod:`preview` and :mod:`avatar` (undoable, with tooltips)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import bpy
from bpy_extras.io_utils import ExportHelper, ImportHelper

from .. import registry
from ..engine.params import ParamError
from ..engine.program import MotionError
from . import avatar as avatar_mod
from . import bake, empties, export, landmarks, presets, preview, props, targets

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
        wm = context.window_manager
        wm.progress_begin(0, 100)
        try:
            av = avatar_mod.load(obj)
            res = bake.bake(av, preview.options(obj), progress=lambda f, _what: wm.progress_update(int(100 * f)))
        except USER_ERRORS as exc:
            self.report({"ERROR"}, str(exc))
            return {"CANCELLED"}
        finally:
            wm.progress_end()
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

    # ``name`` (an EnumProperty whose items follow the current motion) is set below the class: this module's
    # annotations are strings (``from __future__ import annotations``) that Blender evaluates without this
    # module's globals, so a lambda in them cannot reach :mod:`.targets`.

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


def _target_items(self: Any, context: Any) -> list[tuple[str, str, str]]:
    obj = _armature(context)
    return targets.menu_items(obj.posers.motion if obj is not None else "")


POSERS_OT_add_target.__annotations__["name"] = bpy.props.EnumProperty(
    name="Target", description="Which target to create (the ones the current motion reads)", items=_target_items
)


class _ExportAnimation(_OnArmature, ExportHelper):
    """The Export operators: Blender's file browser (ExportHelper: it asks before overwriting), then one
    call into :mod:`export`, which replaces an existing file only with a complete, checked one."""

    bl_options = {"REGISTER"}

    def execute(self, context: Any) -> OpResult:
        obj = _armature(context)
        assert obj is not None
        path = Path(bpy.path.abspath(bpy.path.ensure_ext(self.filepath, self.filename_ext)))
        try:
            start, end = export.animation_range(obj)
            self.report({"INFO"}, self.write(obj, path, start, end))
        except (export.ExportError, *USER_ERRORS) as exc:
            self.report({"ERROR"}, str(exc))
            return {"CANCELLED"}
        return {"FINISHED"}

    def write(self, obj: bpy.types.Object, path: Path, start: int, end: int) -> str:
        """Each export operator's own writer: write frames ``start``-``end`` to ``path``, return the report line.
        (An abstract hook: Blender's operator metaclass rules out ``abc.ABC``, so the base raises.)"""
        raise NotImplementedError


class POSERS_OT_export_vrma(_ExportAnimation, bpy.types.Operator):
    """Export the active armature's animation (its Action, or its NLA flattened) as VRM Animation (.vrma); needs a VRM 1.0 avatar"""

    bl_idname = "posers.export_vrma"
    bl_label = "Export VRMA"
    filename_ext = ".vrma"
    filter_glob: bpy.props.StringProperty(default="*.vrma", options={"HIDDEN"})  # type: ignore[valid-type]

    def write(self, obj: bpy.types.Object, path: Path, start: int, end: int) -> str:
        gltf = export.export_vrma(obj, path, start, end)
        channels = len(gltf["animations"][0]["channels"])
        return f"Wrote {path.name}: frames {start}-{end}, {channels} animation channels"


class POSERS_OT_export_bvh(_ExportAnimation, bpy.types.Operator):
    """Export what the active armature plays as BVH with humanoid bone names, Y up (any BVH importer stands it up)"""

    bl_idname = "posers.export_bvh"
    bl_label = "Export BVH"
    filename_ext = ".bvh"
    filter_glob: bpy.props.StringProperty(default="*.bvh", options={"HIDDEN"})  # type: ignore[valid-type]

    def write(self, obj: bpy.types.Object, path: Path, start: int, end: int) -> str:
        frames = export.export_bvh(avatar_mod.load(obj), path, start, end)
        return f"Wrote {path.name}: {frames} frames (frames {start}-{end})"


class _OnMotion(_OnArmature):
    """Operators on the active armature's chosen motion and its parameters."""

    @staticmethod
    def motion_group(obj: bpy.types.Object) -> tuple[Any, Any]:
        """(the chosen motion's program, its parameter PropertyGroup on ``obj``)."""
        s = props.settings(obj)
        return registry.get(s.motion), getattr(s.params, props.attr_name(s.motion))


class POSERS_OT_load_preset(_OnMotion, bpy.types.Operator, ImportHelper):
    """Set the motion's parameters from a JSON preset (the files 'posers tune --out' writes and '--params' reads); the preset's motion and seed too, when it names them"""

    bl_idname = "posers.load_preset"
    bl_label = "Load Preset"
    bl_options = {"REGISTER", "UNDO"}
    filename_ext = ".json"
    filter_glob: bpy.props.StringProperty(default="*.json", options={"HIDDEN"})  # type: ignore[valid-type]

    def execute(self, context: Any) -> OpResult:
        obj = _armature(context)
        assert obj is not None
        s = props.settings(obj)
        try:
            got = presets.read(bpy.path.abspath(self.filepath), s.motion)
            program = registry.get(got.motion)
            if got.motion not in bake.listed_motions():
                raise ParamError(f"preset is for '{got.motion}', a baseline the panel does not offer")
            group = getattr(s.params, props.attr_name(got.motion))
            props.apply_values(group, program.schema, got.params)
        except USER_ERRORS as exc:
            self.report({"ERROR"}, str(exc))
            return {"CANCELLED"}
        s.motion = got.motion
        if got.seed is not None:
            s.seed = got.seed
        props.flag(obj)
        self.report({"INFO"}, f"Loaded {len(got.params)} parameters of {got.motion} from {Path(self.filepath).name}")
        return {"FINISHED"}


class POSERS_OT_save_preset(_OnMotion, bpy.types.Operator, ExportHelper):
    """Save the motion's parameters, motion and seed as a JSON preset (readable by 'posers sample --params')"""

    bl_idname = "posers.save_preset"
    bl_label = "Save Preset"
    bl_options = {"REGISTER"}
    filename_ext = ".json"
    filter_glob: bpy.props.StringProperty(default="*.json", options={"HIDDEN"})  # type: ignore[valid-type]

    def execute(self, context: Any) -> OpResult:
        obj = _armature(context)
        assert obj is not None
        program, group = self.motion_group(obj)
        path = Path(bpy.path.abspath(bpy.path.ensure_ext(self.filepath, self.filename_ext)))
        if not path.parent.is_dir():
            self.report({"ERROR"}, f"folder '{path.parent}' does not exist; choose another")
            return {"CANCELLED"}
        values = props.values(group, program.schema)
        presets.write(path, presets.Preset(program.meta.id, values, int(props.settings(obj).seed)))
        self.report({"INFO"}, f"Saved {len(values)} parameters of {program.meta.id} to {path.name}")
        return {"FINISHED"}


class POSERS_OT_reset_params(_OnMotion, bpy.types.Operator):
    """Put every parameter of the chosen motion back to its default"""

    bl_idname = "posers.reset_params"
    bl_label = "Reset to Defaults"
    bl_options = {"REGISTER", "UNDO"}

    def execute(self, context: Any) -> OpResult:
        obj = _armature(context)
        assert obj is not None
        program, group = self.motion_group(obj)
        props.reset(group, program.schema)
        props.flag(obj)
        self.report({"INFO"}, f"{program.meta.id}: parameters back to their defaults")
        return {"FINISHED"}


CLASSES = (
    POSERS_OT_load_preset,
    POSERS_OT_save_preset,
    POSERS_OT_reset_params,
    POSERS_OT_bake_motion,
    POSERS_OT_push_to_nla,
    POSERS_OT_clear_preview,
    POSERS_OT_add_landmarks,
    POSERS_OT_add_target,
    POSERS_OT_export_vrma,
    POSERS_OT_export_bvh,
)
