"""Live preview: a persistent frame-change handler posing armatures from cached clips.

A clip is sampled once per (motion, params, seed, duration, fps) and cached per
object; the handler only indexes it by frame, so scrubbing backwards or jumping
gives the same pose as playing through. The user's Action is never touched; the
pose values the handler overwrote are put back before saving (``save_pre``) so a
preview pose is never stored as the user's, and re-applied after. On render start
the preview is baked into a temporary Action (the handler is suspended and the
interface locked, as Blender requires for data changes during renders), removed
when the render ends. The handler never raises into Blender: an error is shown
once in the panel (``Object.posers.last_error``) and printed once.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from typing import Any

import bpy
import numpy as np
from bpy.app.handlers import persistent

from .. import registry
from . import avatar as avatar_mod
from . import bake, props, targets


@dataclass
class _Cache:
    key: str
    names: list[str]
    loc_bone: str
    q: np.ndarray  # [F, M, 4]
    loc: np.ndarray  # [F, 3]
    frame_start: int
    saved: dict[str, tuple[tuple[float, ...], tuple[float, ...], str]]  # bone -> (quat, loc, mode) before preview


_caches: dict[str, _Cache] = {}
_suspended = False
_render_actions: dict[str, tuple[Any, Any, Any]] = {}
_last_sample_s = 0.0


def _settings_key(obj: bpy.types.Object) -> str:
    s = props.settings(obj)
    prog = registry.get(s.motion)
    group = getattr(s.params, props.attr_name(s.motion))
    fps = bpy.context.scene.render.fps / bpy.context.scene.render.fps_base
    goals = [
        (str(o["posers_target"]), o.matrix_world.translation.to_tuple(5))
        for o in bpy.data.objects
        if o.get("posers_armature") == obj.name and o.get("posers_target") is not None
    ]
    return json.dumps(
        [s.motion, props.values(group, prog.schema), s.seed, s.seconds, fps, s.frame_start, sorted(goals)], default=str
    )


def options(obj: bpy.types.Object) -> bake.BakeOptions:
    """Bake options from the object's settings (the same the Bake operator uses)."""
    s = props.settings(obj)
    prog = registry.get(s.motion)
    group = getattr(s.params, props.attr_name(s.motion))
    scene = bpy.context.scene
    return bake.BakeOptions(
        motion=s.motion,
        params=props.values(group, prog.schema),
        seed=s.seed,
        seconds=s.seconds,
        fps=scene.render.fps / scene.render.fps_base,
        frame_start=s.frame_start,
        reduce_keys_deg=s.tolerance if s.reduce_keys else None,
        additive=s.additive,
    )


def _resample(obj: bpy.types.Object, saved: dict) -> _Cache:
    global _last_sample_s
    t0 = time.perf_counter()
    av = avatar_mod.load(obj)
    opts = options(obj)
    n = max(1, int(round(opts.seconds * opts.fps)))
    opts.targets = targets.collect(av, opts.frame_start, n, per_frame=False)
    clip = bake.sample_clip(av, opts)
    q, loc = bake.pose_tracks(av, clip)
    _last_sample_s = time.perf_counter() - t0
    if not saved:
        for name in [*av.rest.blender_names, av.rest.loc_bone]:
            pb = obj.pose.bones[name]
            saved[name] = (pb.rotation_quaternion.copy()[:], pb.location.to_tuple(), pb.rotation_mode)
    return _Cache(_settings_key(obj), av.rest.blender_names, av.rest.loc_bone, q, loc, opts.frame_start, saved)


def _pose(obj: bpy.types.Object, cache: _Cache, frame: float) -> None:
    i = int(np.clip(round(frame - cache.frame_start), 0, len(cache.q) - 1))
    bones = obj.pose.bones
    for m, name in enumerate(cache.names):
        pb = bones[name]
        if pb.rotation_mode != "QUATERNION":
            pb.rotation_mode = "QUATERNION"
        pb.rotation_quaternion = cache.q[i, m]
    bones[cache.loc_bone].location = cache.loc[i]


def _report(obj: bpy.types.Object, exc: BaseException) -> None:
    msg = f"{type(exc).__name__}: {exc}"
    if props.settings(obj).last_error != msg:
        props.settings(obj).last_error = msg
        print(f"Posers preview on '{obj.name}': {msg}", file=sys.stderr)


def update_object(obj: bpy.types.Object, frame: float) -> None:
    """Pose one previewing object for ``frame`` (re-sampling first if its settings changed)."""
    cache = _caches.get(obj.name)
    try:
        key = _settings_key(obj)
        if cache is None or cache.key != key:
            cache = _resample(obj, cache.saved if cache else {})
            _caches[obj.name] = cache
            props.settings(obj).last_error = ""
        _pose(obj, cache, frame)
    except Exception as exc:  # reported once in the panel and on stderr; never raised into Blender
        _report(obj, exc)


def previewing(scene: bpy.types.Scene) -> list[bpy.types.Object]:
    return [
        o for o in scene.objects if o.type == "ARMATURE" and getattr(o, "posers", None) and props.settings(o).preview
    ]


@persistent
def on_frame_change(scene: bpy.types.Scene, depsgraph: Any = None) -> None:
    if _suspended:
        return
    for obj in previewing(scene):
        update_object(obj, scene.frame_current)


def mark_dirty(obj: Any) -> None:
    """Parameters changed: re-sample soon (debounced through a timer in the UI; immediately when headless)."""
    if not isinstance(obj, bpy.types.Object) or not props.settings(obj).preview:
        return
    if bpy.app.background:
        update_object(obj, bpy.context.scene.frame_current)
        return
    name = obj.name

    def fire() -> None:
        o = bpy.data.objects.get(name)
        if o is not None and props.settings(o).preview:
            update_object(o, bpy.context.scene.frame_current)
        return None

    if bpy.app.timers.is_registered(fire):
        bpy.app.timers.unregister(fire)
    bpy.app.timers.register(fire, first_interval=0.15)


def start(obj: bpy.types.Object) -> None:
    update_object(obj, bpy.context.scene.frame_current)


def _restore(obj: bpy.types.Object, cache: _Cache) -> None:
    for name, (q, loc, mode) in cache.saved.items():
        pb = obj.pose.bones.get(name)
        if pb is None:
            continue
        pb.rotation_quaternion = q
        pb.location = loc
        pb.rotation_mode = mode


def stop(obj: bpy.types.Object) -> None:
    """End preview: the pose values the preview overwrote come back."""
    cache = _caches.pop(obj.name, None)
    if cache is not None:
        _restore(obj, cache)
    props.settings(obj).last_error = ""


@persistent
def on_save_pre(*_args: Any) -> None:
    for name, cache in _caches.items():
        obj = bpy.data.objects.get(name)
        if obj is not None:
            _restore(obj, cache)


@persistent
def on_save_post(*_args: Any) -> None:
    on_frame_change(bpy.context.scene)


@persistent
def on_render_init(scene: bpy.types.Scene, *_args: Any) -> None:
    """Bake each preview into a temporary Action for the render and suspend the handler."""
    global _suspended
    _suspended = True
    scene.render.use_lock_interface = True
    for obj in previewing(scene):
        try:
            av = avatar_mod.load(obj)
            ad = obj.animation_data
            prev = (ad.action, ad.action_slot) if ad else (None, None)
            fake = prev[0].use_fake_user if prev[0] is not None else False
            opts = options(obj)
            opts.action_name = f"Posers preview {obj.name} (temporary)"
            opts.face = False
            res = bake.bake(av, opts)
            if prev[0] is not None:
                prev[0].use_fake_user = fake  # the user's action comes back exactly as it was
            _render_actions[obj.name] = (res.action, prev[0], prev[1])
        except Exception as exc:  # the render continues with the current pose; the panel says why
            _report(obj, exc)


@persistent
def on_render_end(scene: bpy.types.Scene, *_args: Any) -> None:
    global _suspended
    for name, (temp, action, slot) in list(_render_actions.items()):
        obj = bpy.data.objects.get(name)
        if obj is not None and obj.animation_data is not None:
            obj.animation_data.action = action
            if slot is not None and action is not None:
                obj.animation_data.action_slot = slot
        if temp is not None and temp.name in bpy.data.actions:
            temp.use_fake_user = False
            bpy.data.actions.remove(temp)
        _render_actions.pop(name, None)
    _suspended = False


@persistent
def on_depsgraph_update(scene: bpy.types.Scene, depsgraph: Any = None) -> None:
    """A moved target empty re-samples the armatures previewing with it."""
    if depsgraph is None or _suspended:
        return
    for update in depsgraph.updates:
        ob = update.id
        if isinstance(ob, bpy.types.Object) and update.is_updated_transform and ob.get("posers_target") is not None:
            arm = bpy.data.objects.get(str(ob.get("posers_armature", "")))
            if arm is not None and props.settings(arm).preview:
                mark_dirty(arm)


HANDLERS = (
    ("depsgraph_update_post", on_depsgraph_update),
    ("frame_change_post", on_frame_change),
    ("save_pre", on_save_pre),
    ("save_post", on_save_post),
    ("render_init", on_render_init),
    ("render_complete", on_render_end),
    ("render_cancel", on_render_end),
)


def add_handlers() -> None:
    for name, fn in HANDLERS:
        lst = getattr(bpy.app.handlers, name)
        if fn not in lst:
            lst.append(fn)


def remove_handlers() -> None:
    for name, fn in HANDLERS:
        lst = getattr(bpy.app.handlers, name)
        while fn in lst:
            lst.remove(fn)
    _caches.clear()
