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

Property callbacks only flag the object (:func:`props.flag`); this module owns every
handler and the one debounce timer that acts on the flags (:func:`schedule`), and
disabling the add-on ends every preview with the user's pose back on the rig. In an
interactive session the re-sample itself runs in a worker thread (numpy only; what it
needs from Blender is read first on the main thread): the old clip keeps posing and a
timer swaps in the new one when it is ready (:func:`collect`), so an edit never
freezes the interface however long the motion takes to sample.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

import bpy
import numpy as np
from bpy.app.handlers import persistent

from .. import registry
from . import avatar as avatar_mod
from . import bake, props, targets

#: Quiet time after the last parameter change before the preview re-samples (interactive sessions only).
DEBOUNCE_S = 0.15


@dataclass
class _Saved:
    """A pose bone's transform channels and rotation mode (changing the mode converts the rotation)."""

    mode: str
    quat: tuple[float, ...]
    euler: tuple[float, ...]
    axis_angle: tuple[float, ...]
    loc: tuple[float, ...]

    @classmethod
    def of(cls, pb: bpy.types.PoseBone) -> _Saved:
        return cls(
            pb.rotation_mode,
            tuple(pb.rotation_quaternion),
            tuple(pb.rotation_euler),
            tuple(pb.rotation_axis_angle),
            tuple(pb.location),
        )

    def put_back(self, pb: bpy.types.PoseBone) -> None:
        pb.rotation_mode = self.mode  # first: the mode change converts the preview's rotation into this mode
        pb.rotation_quaternion = self.quat
        pb.rotation_euler = self.euler
        pb.rotation_axis_angle = self.axis_angle
        pb.location = self.loc


@dataclass
class _Cache:
    key: str
    fps: float  # the scene's frame rate the clip was sampled at (checked every frame: it is not an Object setting)
    index: np.ndarray  # [M] position of each mapped bone in obj.pose.bones
    loc_bone: str
    q: np.ndarray  # [F, M, 4] float32
    loc: np.ndarray  # [F, 3]
    frame_start: int
    rot: np.ndarray  # [B * 4] float32: every pose bone's rotation_quaternion, the buffer of one foreach_set
    saved: dict[str, _Saved]  # bone -> what the preview overwrites, as it was before the preview
    landmarks: list[tuple[str, str, tuple[float, ...]]]  # the landmark empties' places it was sampled with
    root: str | None = None  # the bone above the mover, held at rest: the preview's travel is on the mover


_caches: dict[str, _Cache] = {}
_suspended = False
_render_actions: dict[str, tuple[Any, Any, Any]] = {}
_last_sample_s = 0.0


def _scene_fps() -> float:
    render = bpy.context.scene.render
    return render.fps / render.fps_base


def _landmark_places(obj: bpy.types.Object) -> list[tuple[str, str, tuple[float, ...]]]:
    """The armature's landmark empties (Show Landmarks) as the avatar reads them: (landmark, parent bone, place
    on that bone). Their place on the bone, not in the world: the preview's own pose moves them every frame."""
    return sorted(
        (str(o["posers_landmark"]), o.parent_bone, (o.matrix_parent_inverse @ o.matrix_basis).translation.to_tuple(5))
        for o in bpy.data.objects
        if o.get("posers_armature") == obj.name and o.get("posers_landmark") is not None and o.parent == obj
    )


def _settings_key(obj: bpy.types.Object) -> str:
    """Everything a sample depends on: the motion's settings, the target empties and the moved landmarks."""
    s = props.settings(obj)
    prog = registry.get(s.motion)
    group = getattr(s.params, props.attr_name(s.motion))
    goals = [
        (str(o["posers_target"]), o.matrix_world.translation.to_tuple(5))
        for o in bpy.data.objects
        if o.get("posers_armature") == obj.name and o.get("posers_target") is not None
    ]
    return json.dumps(
        [
            s.motion,
            props.values(group, prog.schema),
            s.seed,
            s.seconds,
            _scene_fps(),
            s.frame_start,
            sorted(goals),
            _landmark_places(obj),
        ],
        default=str,
    )


def options(obj: bpy.types.Object) -> bake.BakeOptions:
    """Bake options from the object's settings (the same the Bake operator uses)."""
    s = props.settings(obj)
    prog = registry.get(s.motion)
    group = getattr(s.params, props.attr_name(s.motion))
    return bake.BakeOptions(
        motion=s.motion,
        params=props.values(group, prog.schema),
        seed=s.seed,
        seconds=s.seconds,
        fps=_scene_fps(),
        frame_start=s.frame_start,
        reduce_keys_deg=s.tolerance if s.reduce_keys else None,
        additive=s.additive,
        loop=s.loop,
        root_motion=s.root_motion,
    )


def _prepare(obj: bpy.types.Object) -> tuple[avatar_mod.Avatar, bake.BakeOptions]:
    """What sampling needs from Blender (read on the main thread): the avatar and the options with targets."""
    av = avatar_mod.load(obj)
    opts = options(obj)
    n = max(1, int(round(opts.seconds * opts.fps)))
    opts.targets = targets.collect(av, opts.frame_start, n, per_frame=False)
    return av, opts


def _compute(av: avatar_mod.Avatar, opts: bake.BakeOptions) -> tuple[np.ndarray, np.ndarray]:
    """Sample and convert to pose-bone tracks: numpy only, no ``bpy`` (safe in a worker thread)."""
    global _last_sample_s
    t0 = time.perf_counter()
    clip = bake.sample_clip(av, opts)
    q, loc = bake.pose_tracks(av, clip)
    _last_sample_s = time.perf_counter() - t0
    return q, loc


def _install(
    obj: bpy.types.Object, key: str, av: avatar_mod.Avatar, opts: bake.BakeOptions, tracks: tuple, saved: dict
) -> _Cache:
    """A cache for sampled tracks; the bones the preview drives switch to quaternions (put back by _restore)."""
    q, loc = tracks
    bones = obj.pose.bones
    parent = obj.data.bones[av.rest.loc_bone].parent
    root = None if parent is None else str(parent.name)
    if not saved:
        for name in [*av.rest.blender_names, av.rest.loc_bone, *([root] if root else [])]:
            saved[name] = _Saved.of(bones[name])
    for name in av.rest.blender_names:  # back to the user's modes when the preview ends (see _restore)
        bones[name].rotation_mode = "QUATERNION"
    order = {pb.name: i for i, pb in enumerate(bones)}
    index = np.array([order[name] for name in av.rest.blender_names])
    rot = np.empty(4 * len(bones), dtype=np.float32)
    places = _landmark_places(obj)
    return _Cache(
        key, opts.fps, index, av.rest.loc_bone, q.astype(np.float32), loc, opts.frame_start, rot, saved, places, root
    )


def _resample(obj: bpy.types.Object, key: str, saved: dict) -> _Cache:
    av, opts = _prepare(obj)
    return _install(obj, key, av, opts, _compute(av, opts), saved)


# -- re-sampling in a worker thread (interactive sessions) ----------------------------------------------------

#: Re-sample in a worker thread so a parameter edit never freezes the interface (None: in interactive
#: sessions; headless runs have no timers to collect the result, so they sample inline).
ASYNC: bool | None = None
#: How often the collecting timer looks for finished samples (s).
POLL_S = 0.05


@dataclass
class _Job:
    """One re-sample running in a worker thread; the old clip keeps posing until it is collected."""

    key: str
    av: avatar_mod.Avatar
    opts: bake.BakeOptions
    thread: threading.Thread | None = None
    tracks: tuple | None = None
    error: BaseException | None = None

    def run(self) -> None:
        try:
            self.tracks = _compute(self.av, self.opts)
        except Exception as exc:  # reported on the main thread by collect()
            self.error = exc


_jobs: dict[str, _Job] = {}


def _in_background() -> bool:
    return (not bpy.app.background) if ASYNC is None else ASYNC


def _submit(obj: bpy.types.Object, key: str) -> None:
    """Start sampling ``obj``'s settings in a worker thread (a newer request replaces an older one)."""
    job = _jobs.get(obj.name)
    if job is not None and job.key == key:
        return
    av, opts = _prepare(obj)
    job = _Job(key, av, opts)
    job.thread = threading.Thread(target=job.run, name=f"Posers preview {obj.name}", daemon=True)
    _jobs[obj.name] = job
    job.thread.start()
    if not bpy.app.background and not bpy.app.timers.is_registered(collect):
        bpy.app.timers.register(collect, first_interval=POLL_S)


def collect() -> float | None:
    """Swap in the clips the worker threads finished and pose with them (the timer; tests call it directly)."""
    for name, job in list(_jobs.items()):
        if job.thread is not None and job.thread.is_alive():
            continue
        del _jobs[name]
        obj = bpy.data.objects.get(name)
        if obj is None or obj.type != "ARMATURE" or not props.settings(obj).preview:
            continue
        if job.error is not None or job.tracks is None:
            _report(obj, job.error or RuntimeError("sampling stopped"))
            continue
        old = _caches.get(name)
        cache = _install(obj, job.key, job.av, job.opts, job.tracks, old.saved if old else {})
        _caches[name] = cache
        props.settings(obj).last_error = ""
        _pose(obj, cache, bpy.context.scene.frame_current)
    return POLL_S if _jobs else None


def wait() -> None:
    """Let every running re-sample finish and collect it (tests, and before a bake reads the preview)."""
    for job in list(_jobs.values()):
        if job.thread is not None:
            job.thread.join()
    collect()


def _pose(obj: bpy.types.Object, cache: _Cache, frame: float) -> None:
    """The cached clip's pose at ``frame``: one ``foreach_get``/``foreach_set`` pair for every rotation.

    The read keeps the values of bones the motion does not drive (the user's own animation of them).
    """
    i = int(np.clip(round(frame - cache.frame_start), 0, len(cache.q) - 1))
    bones = obj.pose.bones
    bones.foreach_get("rotation_quaternion", cache.rot)
    cache.rot.reshape(-1, 4)[cache.index] = cache.q[i]
    bones.foreach_set("rotation_quaternion", cache.rot)
    bones[cache.loc_bone].location = cache.loc[i]
    if cache.root is not None:  # a Root Bone bake's root would carry the travelling hips a second time
        bake.at_rest(bones[cache.root])
    obj.update_tag(refresh={"OBJECT"})  # foreach_set skips RNA updates: have the depsgraph re-evaluate the pose


def _report(obj: bpy.types.Object, exc: BaseException) -> None:
    msg = f"{type(exc).__name__}: {exc}"
    if props.settings(obj).last_error != msg:
        props.settings(obj).last_error = msg
        print(f"Posers preview on '{obj.name}': {msg}", file=sys.stderr)


def update_object(obj: bpy.types.Object, frame: float, settings_changed: bool = False) -> None:
    """Pose one previewing object for ``frame``, re-sampling first if its settings changed.

    The settings key (JSON of every parameter and target) is only computed when the settings were
    flagged as changed, the scene's frame rate moved, or nothing is cached yet; every other frame
    only indexes the cached clip.
    """
    cache = _caches.get(obj.name)
    try:
        if cache is None or settings_changed or cache.fps != _scene_fps():
            key = _settings_key(obj)
            if (cache is None or cache.key != key) and _in_background():
                _submit(obj, key)  # the current clip keeps posing until the new one is collected
            elif cache is None or cache.key != key:
                cache = _resample(obj, key, cache.saved if cache else {})
                _caches[obj.name] = cache
                props.settings(obj).last_error = ""
        if cache is not None:
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


def apply_changes() -> None:
    """Act on the objects whose settings were flagged (:data:`props.changed`): start, re-sample or stop."""
    names = sorted(props.changed)
    props.changed.clear()
    for name in names:
        obj = bpy.data.objects.get(name)
        if obj is None or obj.type != "ARMATURE":
            continue
        if props.settings(obj).preview:
            update_object(obj, bpy.context.scene.frame_current, settings_changed=True)
        else:
            stop(obj)


def _debounced() -> None:
    """The one preview timer: fires once, DEBOUNCE_S after the last change."""
    apply_changes()
    return None


def schedule() -> None:
    """Settings were flagged: apply now when headless (no timers run), else after DEBOUNCE_S of quiet."""
    if _suspended:
        return
    if bpy.app.background:
        apply_changes()
    else:
        _restart_timer()


def _restart_timer() -> None:
    if bpy.app.timers.is_registered(_debounced):
        bpy.app.timers.unregister(_debounced)
    bpy.app.timers.register(_debounced, first_interval=DEBOUNCE_S)


def start(obj: bpy.types.Object) -> None:
    update_object(obj, bpy.context.scene.frame_current, settings_changed=True)


def _restore(obj: bpy.types.Object, cache: _Cache) -> None:
    for name, saved in cache.saved.items():
        pb = obj.pose.bones.get(name)
        if pb is not None:
            saved.put_back(pb)


def stop(obj: bpy.types.Object) -> None:
    """End preview: the pose values and rotation modes the preview overwrote come back."""
    _jobs.pop(obj.name, None)
    cache = _caches.pop(obj.name, None)
    if cache is not None:
        _restore(obj, cache)
    props.settings(obj).last_error = ""


def stop_all() -> None:
    """End every preview, putting back what it overwrote (the add-on is being disabled)."""
    _jobs.clear()
    for name in list(_caches):
        obj = bpy.data.objects.get(name)
        cache = _caches.pop(name)
        if obj is not None:
            _restore(obj, cache)


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
    """A moved target empty, or a landmark empty moved on its bone, re-samples the armatures previewing with it.
    (A landmark empty rides on the head bone, so the preview's own pose updates it every frame: only a new place
    on the bone counts.)"""
    if depsgraph is None or _suspended:
        return
    checked: set[str] = set()  # armatures whose landmark places were compared in this update
    for update in depsgraph.updates:
        ob = update.id
        if not isinstance(ob, bpy.types.Object) or not update.is_updated_transform:
            continue
        target, landmark = ob.get("posers_target") is not None, ob.get("posers_landmark") is not None
        if not (target or landmark):
            continue
        arm = bpy.data.objects.get(str(ob.get("posers_armature", "")))
        if arm is None or arm.type != "ARMATURE" or not props.settings(arm).preview:
            continue
        if not target:
            if arm.name in checked:  # every landmark empty of a previewing armature updates each frame
                continue
            checked.add(arm.name)
        cache = _caches.get(arm.name)
        if target or cache is None or cache.landmarks != _landmark_places(arm):
            props.flag(arm)


@persistent
def on_load_pre(*_args: Any) -> None:
    """Another file replaces this one: its previews' caches name objects that are going away."""
    _caches.clear()
    _jobs.clear()
    props.changed.clear()


HANDLERS = (
    ("load_pre", on_load_pre),
    ("depsgraph_update_post", on_depsgraph_update),
    ("frame_change_post", on_frame_change),
    ("save_pre", on_save_pre),
    ("save_post", on_save_post),
    ("render_init", on_render_init),
    ("render_complete", on_render_end),
    ("render_cancel", on_render_end),
)


def add_handlers() -> None:
    """Start listening: Blender's handlers and the settings' change flag."""
    for name, fn in HANDLERS:
        lst = getattr(bpy.app.handlers, name)
        if fn not in lst:
            lst.append(fn)
    if schedule not in props.listeners:
        props.listeners.append(schedule)


def remove_handlers() -> None:
    """Stop listening and end every preview with the user's pose back on the rig."""
    while schedule in props.listeners:
        props.listeners.remove(schedule)
    if bpy.app.timers.is_registered(_debounced):
        bpy.app.timers.unregister(_debounced)
    if bpy.app.timers.is_registered(collect):
        bpy.app.timers.unregister(collect)
    _jobs.clear()  # a running worker finishes on its own; nobody collects its result
    for name, fn in HANDLERS:
        lst = getattr(bpy.app.handlers, name)
        while fn in lst:
            lst.remove(fn)
    stop_all()
    props.changed.clear()
