"""Scores in Blender: compose a score onto an armature as one NLA strip per item (or one flat Action).

:func:`bake_scene` is the library function; :class:`POSERS_OT_load_score` and
``posers compose --out .blend|.vrma`` (:func:`compose_to_file`) are thin
callers. The score is composed completely (engine, no Blender) before
anything is created in the file, so a bad score changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bpy

from ..engine.params import ParamError
from ..engine.program import MotionError
from ..scene import Scene, compose, load_score
from ..scene.score import Score
from . import avatar as avatar_mod
from . import bake
from .avatar import Avatar

TRACK_NAME = "Posers scene"
OpResult = set[str]


class UserError(Exception):
    """A mistake the user can fix (one line)."""


@dataclass
class SceneBake:
    """What :func:`bake_scene` made: the body Actions (one per item, or one flat) and the NLA strips."""

    actions: list[bpy.types.Action] = field(default_factory=list)
    strips: list[bpy.types.NlaStrip] = field(default_factory=list)
    frame_start: int = 1
    frame_end: int = 1


def _strip_on(owner: Any, track_name: str, action: bpy.types.Action, frame: int, name: str) -> bpy.types.NlaStrip:
    ad = owner.animation_data or owner.animation_data_create()
    track = ad.nla_tracks.get(track_name) or ad.nla_tracks.new()
    track.name = track_name
    strip = track.strips.new(name, frame, action)
    strip.name = name
    if len(action.slots) and hasattr(strip, "action_slot"):
        strip.action_slot = action.slots[0]
    if ad.action == action:
        ad.action = None
    return strip


def bake_scene(av: Avatar, scene: Scene, flat: bool = False, frame_start: int = 1) -> SceneBake:
    """Bake a composed scene onto the avatar.

    ``flat``: one Action with every frame (what BVH and VRMA exporters read). Otherwise each item becomes
    its own Action and a named strip on one NLA track ("Posers scene"), the transition into the item baked
    into its strip; face and gaze Actions get strips on their owners' tracks of the same name.
    """
    clip = scene.clip
    out = SceneBake(frame_start=frame_start, frame_end=frame_start + clip.n_frames - 1)
    title = scene.score.title or "scene"
    if flat:
        opts = bake.BakeOptions(
            motion="scene", seed=scene.score.seed, fps=clip.fps, frame_start=frame_start, action_name=f"{title} (flat)"
        )
        res = bake.bake_clip(av, clip, opts)
        out.actions.append(res.action)
        return out
    for k, seg in enumerate(scene.segments):
        start = frame_start + seg.start
        opts = bake.BakeOptions(
            motion=seg.motion,
            seed=scene.score.seed,
            fps=clip.fps,
            frame_start=start,
            action_name=f"{title}: {seg.name}",
        )
        res = bake.bake_clip(av, scene.segment_clip(k), opts)
        res.action["posers_segment"] = seg.name
        res.action["posers_enter"] = seg.enter
        out.actions.append(res.action)
        out.strips.append(_strip_on(av.obj, TRACK_NAME, res.action, start, seg.name))
        if res.face_action is not None:
            _strip_on(av.obj.data, TRACK_NAME, res.face_action, start, seg.name)
        gaze = bake.gaze_target(av) if res.gaze_action is not None else None
        if gaze is not None and res.gaze_action is not None:
            _strip_on(gaze, TRACK_NAME, res.gaze_action, start, seg.name)
    return out


def load_onto(obj: bpy.types.Object, score: Score, flat: bool = False) -> tuple[Scene, SceneBake]:
    """Compose ``score`` on the armature's own skeleton and bake it (scene fps and frame range follow)."""
    av = avatar_mod.load(obj)
    scene = compose(score, av.skeleton)
    bscene = bpy.context.scene
    bscene.render.fps = max(1, int(round(score.fps)))
    bscene.render.fps_base = bscene.render.fps / score.fps
    made = bake_scene(av, scene, flat=flat)
    bscene.frame_start, bscene.frame_end = made.frame_start, made.frame_end
    bscene.frame_set(made.frame_start)
    return scene, made


def compose_to_file(score: Score, out: Path, vrm: str | None = None, flat: bool = False) -> str:
    """``posers compose``'s Blender outputs: a .blend (NLA strips or flat) or a .vrma; returns a summary line."""
    from . import builtin, export
    from . import vrm as vrm_mod

    bpy.ops.wm.read_factory_settings(use_empty=True)
    try:
        vrm_mod.ensure_addon()
    except vrm_mod.VrmAddonMissing:
        if out.suffix.lower() == ".vrma":
            raise UserError("VRMA output needs the VRM add-on (io_scene_vrm)") from None
    if vrm:
        try:
            obj = vrm_mod.import_vrm(vrm)
        except (vrm_mod.ImportFailed, vrm_mod.VrmAddonMissing) as exc:
            raise UserError(str(exc)) from None
    else:
        obj = builtin.build(score.height) if score.height else builtin.build()
    try:
        av = avatar_mod.load(obj)
    except avatar_mod.NotHumanoid as exc:
        raise UserError(str(exc)) from None
    vrma = out.suffix.lower() == ".vrma"
    if vrma and av.spec != "1.0":
        raise UserError(
            f"cannot export VRMA from '{obj.name}': the VRMA exporter needs a VRM 1.0 avatar; pass --vrm FILE.vrm "
            "(VRM 1.0), or write .bvh"
        )
    scene, made = load_onto(obj, score, flat=flat or vrma)
    if vrma:
        try:
            export.export_vrma(obj, out, made.frame_start, made.frame_end)
        except export.ExportError as exc:
            raise UserError(str(exc)) from None
    else:
        bpy.ops.wm.save_as_mainfile(filepath=str(out.resolve()))
    what = "one flat Action" if flat or vrma else f"{len(made.strips)} NLA strips on '{TRACK_NAME}'"
    return f"wrote {out} ({scene.clip.n_frames} frames at {scene.clip.fps:g} fps, {what})"


def _armature(context: Any) -> bpy.types.Object | None:
    obj = context.active_object
    return obj if obj is not None and obj.type == "ARMATURE" else None


class POSERS_OT_load_score(bpy.types.Operator):
    """Compose a score (JSON) onto the active armature: one NLA strip per item, transitions baked in"""

    bl_idname = "posers.load_score"
    bl_label = "Load Score"
    bl_options = {"REGISTER", "UNDO"}

    filepath: bpy.props.StringProperty(subtype="FILE_PATH", options={"SKIP_SAVE"})  # type: ignore[valid-type]
    filter_glob: bpy.props.StringProperty(default="*.json", options={"HIDDEN"})  # type: ignore[valid-type]
    flat: bpy.props.BoolProperty(  # type: ignore[valid-type]
        name="Flat Action", description="One Action for the whole scene instead of one NLA strip per item"
    )

    @classmethod
    def poll(cls, context: Any) -> bool:
        return _armature(context) is not None

    def invoke(self, context: Any, event: Any) -> OpResult:
        context.window_manager.fileselect_add(self)
        return {"RUNNING_MODAL"}

    def execute(self, context: Any) -> OpResult:
        obj = _armature(context)
        assert obj is not None
        try:
            scene, made = load_onto(obj, load_score(self.filepath), flat=self.flat)
        except (ParamError, MotionError, avatar_mod.NotHumanoid) as exc:
            self.report({"ERROR"}, str(exc))
            return {"CANCELLED"}
        what = "1 flat Action" if self.flat else f"{len(made.strips)} NLA strips"
        self.report({"INFO"}, f"Score: {len(scene.segments)} items, {scene.clip.n_frames} frames, {what}")
        return {"FINISHED"}


CLASSES = (POSERS_OT_load_score,)
