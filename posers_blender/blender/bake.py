"""Baking clips into Blender: slotted Actions written in bulk, face channels, markers, key reduction, NLA.

Operators and the headless script stay thin and call :func:`bake` with a
:class:`BakeOptions`. Actions are slotted (layers, strips, channelbags: Blender 4.4+; the
manifest's minimum is 4.5 LTS, and 5.0 has no ``Action.fcurves``: see :mod:`.compat`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import bpy
import numpy as np
from mathutils import Euler, Quaternion
from numpy.typing import NDArray

from .. import humanoid as hm
from .. import registry
from ..engine import quat
from ..engine.clip import Clip
from ..engine.params import ParamError
from ..engine.sampler import sample
from . import compat, keyreduce, landmarks, loop, pose_transfer, root_motion, sequence, targets, vrm
from .avatar import Avatar
from .empties import collection

Array = NDArray[np.float64]
_INTERP_LINEAR = "LINEAR"
#: Share of a bake's time spent sampling (the rest writes keys), for progress reports.
SAMPLED = 0.6


@dataclass
class BakeOptions:
    """What to bake. ``seconds`` and ``fps`` give the clip; keys start at ``frame_start``.

    ``reduce_keys_deg``: None keeps one key per frame; a number replaces them by
    sparse Bezier keys within that many degrees (location within ``reduce_keys_deg``
    millimetres). ``additive``: bake the motion's movement relative to its own mean
    pose (for COMBINE layers on top of a base).
    """

    motion: str
    params: Mapping[str, Any] = field(default_factory=dict)
    seed: int = 0
    seconds: float = 10.0
    fps: float = 30.0
    frame_start: int = 1
    reduce_keys_deg: float | None = None
    overwrite: bool = False
    additive: bool = False
    face: bool = True
    targets: Mapping[str, Any] | None = None  # None: read the armature's target empties (see targets.py)
    action_name: str | None = None
    loop: bool = False  # a cyclic clip (see loop.py) played with Cycles F-modifiers
    # "travel" (on the hips; loops repeat with offset on the mover), "in_place" (loops: the travel taken out) or
    # "root_bone" (the travel, and turns, keyed on the rig's root bone above the hips: see root_motion.py)
    root_motion: str = "travel"


@dataclass
class BakeResult:
    action: bpy.types.Action
    slot: Any
    clip: Clip
    keys_dense: int
    keys_written: int
    max_error_deg: float = 0.0
    face_action: bpy.types.Action | None = None
    gaze_action: bpy.types.Action | None = None
    notes: list[str] = field(default_factory=list)
    auto_handles: float = 0.0  # share of reduced channels whose keys have AUTO_CLAMPED handles

    @property
    def reduction(self) -> float:
        """Fraction of per-frame keys removed by key reduction (0 without it)."""
        return 1.0 - self.keys_written / max(self.keys_dense, 1)

    def summary(self) -> str:
        s = f"{self.action.name}: {self.clip.n_frames} frames, {self.keys_written} keys"
        if self.keys_written < self.keys_dense:
            s += (
                f" ({100 * self.reduction:.0f}% fewer than per-frame, max error {self.max_error_deg:.3f} deg, "
                f"{100 * self.auto_handles:.0f}% of channels with auto handles)"
            )
        return s


# -- sampling ----------------------------------------------------------------------------------------


#: Walk parameters a loop sets: a loop is steady walking, neither starting nor stopping.
LOOP_PARAMS = {"start_from_stand": False, "stop_at_end": False}


def sample_clip(avatar: Avatar, opts: BakeOptions) -> Clip:
    """Sample the motion on the avatar's own skeleton (raises ParamError/MotionError with clear messages).

    ``opts.loop``: sampled with a lead-in and cut to a whole number of cycles (:func:`.loop.make_loop`).
    ``root_motion="in_place"`` without a loop: the path and turns a root bone would carry
    (:func:`.root_motion.track`) are taken off the hips, so the whole clip plays on the spot.
    """
    program = registry.get(opts.motion)
    goals = opts.targets
    if goals is None:
        goals = targets.collect(avatar, opts.frame_start, max(1, int(round(opts.seconds * opts.fps))))
    params, seconds = dict(opts.params), opts.seconds
    if opts.loop:
        params.update({k: v for k, v in LOOP_PARAMS.items() if k in program.schema.names})
        seconds += loop.LEAD_S
    clip = sample(
        program, params, seed=opts.seed, fps=opts.fps, duration=seconds, skeleton=avatar.skeleton, targets=goals
    )
    targets.note_reach(avatar, clip.meta.get("reached", {}))
    if opts.loop:
        return loop.make_loop(clip, opts.root_motion)
    if opts.root_motion == "in_place":
        start = clip.hips_pos[0] * np.array([1.0, 0.0, 1.0])
        return root_motion.carried(clip, root_motion.track(clip, start))
    return clip


def additive_clip(clip: Clip) -> Clip:
    """The clip's movement relative to its own mean pose: local ``mean^-1 * lrot``, hips relative to the mean."""
    lrot = quat.continuous(clip.lrot, axis=0)
    mean = quat.normalize(lrot.mean(axis=0))
    delta = quat.mul(quat.conj(mean)[None], lrot)
    hips = clip.skeleton.offsets[0] + (clip.hips_pos - clip.hips_pos.mean(axis=0))
    out = Clip(clip.fps, quat.continuous(delta, axis=0), hips, clip.skeleton, dict(clip.expressions), clip.gaze)
    out.markers, out.meta = list(clip.markers), dict(clip.meta, additive=True)
    return out


def pose_tracks(avatar: Avatar, clip: Clip) -> tuple[Array, Array]:
    """Pose-bone quaternions ``[F, M, 4]`` (order of ``avatar.rest.blender_names``) and mover location ``[F, 3]``."""
    grot, _ = clip.fk()
    q = pose_transfer.pose_rotations(avatar.rest, grot)
    loc = pose_transfer.hips_locations(avatar.rest, clip.hips_pos)
    if clip.meta.get("additive"):
        loc = loc - pose_transfer.hips_locations(avatar.rest, clip.skeleton.offsets[0][None])
    return q, loc


# -- root bone ---------------------------------------------------------------------------------------


class NoRootBone(ParamError):
    """``root_bone`` root motion asked of a rig with no bone above the hips that can move apart from them."""


@dataclass
class RootKeys:
    """The root bone's channels: pose ``location [F, 3]`` and, when the clip turns, pose quaternions
    ``rotation [F, 4]`` (None: the root keeps its rest heading and gets no rotation keys)."""

    bone: str
    location: Array
    rotation: Array | None


def root_bone(avatar: Avatar) -> str:
    """The bone that carries ``root_bone`` root motion: the parent of the bone whose location moves the hips.

    Raises :class:`NoRootBone` (one line naming the avatar and the fix) when there is none: the hips are the
    top bone, or they are connected up to the top bone (then no bone can move them apart from it).
    """
    mover = avatar.obj.data.bones[avatar.rest.loc_bone]
    if mover.parent is not None:
        return str(mover.parent.name)
    hips = avatar.mapping["hips"]
    if mover.name == hips:
        raise NoRootBone(f"'{avatar.obj_name}' has no root bone above the hips: choose Travel on hips or In place")
    raise NoRootBone(
        f"'{avatar.obj_name}' has no root bone that can move apart from its hips ('{hips}' is connected to "
        f"'{mover.name}', the top bone): choose Travel on hips or In place, or untick Connected on '{hips}' "
        "in Edit Mode"
    )


def split_root(avatar: Avatar, clip: Clip) -> tuple[Clip, RootKeys]:
    """The clip as the hips play it under the root bone, and the root bone's keys (:mod:`.root_motion`).

    The root's world transform ``D`` (normalised) becomes the pose-bone basis ``rest⁻¹ · D_armature · rest``
    (``rest``: the bone's ``matrix_local``), so whatever the bone's axes and the object's transform, the
    root's children move by ``D``.
    """
    bone = avatar.obj.data.bones[root_bone(avatar)]
    rest = np.array(bone.matrix_local)
    obj_inv = avatar.rest.obj_inv
    world = np.linalg.inv(obj_inv)
    head = world @ np.append(rest[:3, 3], 1.0)
    track = root_motion.track(clip, pose_transfer.to_normalised(head[:3]))
    n4 = np.eye(4)
    n4[:3, :3] = pose_transfer.N
    armature = obj_inv @ n4.T @ track.matrices() @ n4 @ world
    basis = np.linalg.inv(rest) @ armature @ rest
    rot = basis[:, :3, :3] / np.linalg.norm(basis[:, :3, :3], axis=-2, keepdims=True)
    q = quat.continuous(quat.from_matrix(rot), axis=0) if track.turns else None
    return root_motion.carried(clip, track), RootKeys(bone.name, basis[:, :3, 3].copy(), q)


def at_rest(pb: bpy.types.PoseBone) -> None:
    """A pose bone at its rest transform, in whatever rotation mode it has (its mode is left alone)."""
    pb.location = (0.0, 0.0, 0.0)
    pb.rotation_quaternion = (1.0, 0.0, 0.0, 0.0)
    pb.rotation_euler = (0.0, 0.0, 0.0)
    pb.rotation_axis_angle = (0.0, 0.0, 1.0, 0.0)


def _root_to_rest(obj: bpy.types.Object, bone: str) -> list[str]:
    """Put back at rest the root bone a replaced Root Bone bake keyed: a bake that keys no root would leave
    it where that Action last put it (an unkeyed channel keeps its value), carrying the body off."""
    pb = obj.pose.bones.get(bone)
    if pb is None:
        return []
    at_rest(pb)
    return [f"root bone '{bone}' put back at rest (the replaced Action had keyed it)"]


def _check_root_motion(avatar: Avatar, root: str) -> None:
    """A root motion this bake can do on this avatar, checked before anything is sampled or written."""
    if root not in loop.ROOT_MOTIONS:
        raise ParamError(f"root motion '{root}': use one of {', '.join(loop.ROOT_MOTIONS)}")
    if root == "root_bone":
        root_bone(avatar)


# -- actions -----------------------------------------------------------------------------------------


class ChannelWriter:
    """Creates F-curves on one slotted action for one ID (a new slot)."""

    def __init__(self, action: bpy.types.Action, id_type: Literal["OBJECT", "ARMATURE"], slot_name: str):
        self.action = action
        self.slot = action.slots.new(id_type=id_type, name=slot_name)
        layer = action.layers[0] if len(action.layers) else action.layers.new("Layer")
        strip = layer.strips[0] if len(layer.strips) else layer.strips.new(type="KEYFRAME")
        assert isinstance(strip, bpy.types.ActionKeyframeStrip)
        self._bag = strip.channelbag(self.slot, ensure=True)
        self._groups: dict[str, Any] = {}

    def fcurve(self, data_path: str, index: int, group: str) -> bpy.types.FCurve:
        fc = self._bag.fcurves.new(data_path, index=index)
        grp = self._groups.get(group)
        if grp is None:
            grp = self._groups[group] = self._bag.groups.new(group)
        fc.group = grp
        return fc


def write_dense(fc: bpy.types.FCurve, frames: Array, values: Array) -> None:
    """One key per frame, linear, in one bulk call."""
    n = len(frames)
    fc.keyframe_points.add(n)
    co = np.empty(2 * n, dtype=np.float32)
    co[0::2] = frames
    co[1::2] = values
    fc.keyframe_points.foreach_set("co", co)
    fc.keyframe_points.foreach_set("interpolation", np.full(n, _enum_index(fc, "interpolation", "LINEAR"), np.int32))
    fc.update()


def write_sparse(fc: bpy.types.FCurve, frames: Array, values: Array, slopes: Array) -> None:
    """Bezier keys with FREE handles at a third of each span, reproducing the Hermite segments exactly."""
    fc.keyframe_points.add(len(frames))
    co = np.empty(2 * len(frames), dtype=np.float32)
    co[0::2], co[1::2] = frames, values
    fc.keyframe_points.foreach_set("co", co)
    fc.keyframe_points.foreach_set(
        "interpolation", np.full(len(frames), _enum_index(fc, "interpolation", "BEZIER"), np.int32)
    )
    set_free_handles(fc, frames, values, slopes)


def set_free_handles(fc: bpy.types.FCurve, frames: Array, values: Array, slopes: Array) -> None:
    """FREE handles at a third of each span along ``slopes`` (the Hermite segments of key reduction)."""
    n = len(frames)
    span_l = np.diff(frames, prepend=frames[0] - 1.0)
    span_r = np.diff(frames, append=frames[-1] + 1.0)
    hl = np.empty(2 * n, dtype=np.float32)
    hl[0::2], hl[1::2] = frames - span_l / 3, values - slopes * span_l / 3
    hr = np.empty(2 * n, dtype=np.float32)
    hr[0::2], hr[1::2] = frames + span_r / 3, values + slopes * span_r / 3
    kp = fc.keyframe_points
    free = np.full(n, _enum_index(fc, "handle_left_type", "FREE"), np.int32)
    kp.foreach_set("handle_left_type", free)
    kp.foreach_set("handle_right_type", free)
    kp.foreach_set("handle_left", hl)
    kp.foreach_set("handle_right", hr)
    fc.update()


def set_auto_handles(fc: bpy.types.FCurve) -> None:
    """AUTO_CLAMPED handles (Blender places them; pleasant to edit in the Graph Editor)."""
    n = len(fc.keyframe_points)
    auto = np.full(n, _enum_index(fc, "handle_left_type", "AUTO_CLAMPED"), np.int32)
    fc.keyframe_points.foreach_set("handle_left_type", auto)
    fc.keyframe_points.foreach_set("handle_right_type", auto)
    fc.update()


_ENUMS: dict[tuple[str, str], int] = {}


def _enum_index(fc: bpy.types.FCurve, prop: str, item: str) -> int:
    key = (prop, item)
    if key not in _ENUMS:
        rna = bpy.types.Keyframe.bl_rna.properties[prop]
        assert isinstance(rna, bpy.types.EnumProperty)
        _ENUMS[key] = [i.identifier for i in rna.enum_items].index(item)
    return _ENUMS[key]


def _unique_action(name: str, overwrite: bool) -> bpy.types.Action:
    old = bpy.data.actions.get(name)
    if old is not None and overwrite:
        old.name = name + " (replaced)"
        new = bpy.data.actions.new(name)
        old.user_remap(new)
        bpy.data.actions.remove(old)
        return new
    return bpy.data.actions.new(name)  # Blender appends .001 if the name is taken: nothing is overwritten


def _provenance(action: bpy.types.Action, clip: Clip, avatar: Avatar) -> None:
    meta = clip.meta
    action["posers_motion"] = str(meta.get("motion", ""))
    action["posers_version"] = str(meta.get("version", ""))
    action["posers_params"] = json.dumps(meta.get("params", {}), sort_keys=True)
    action["posers_seed"] = int(meta.get("seed", 0))
    action["posers_fps"] = float(clip.fps)
    action["posers_seconds"] = float(clip.duration)
    action["posers_avatar"] = avatar.obj_name
    action["posers_additive"] = bool(meta.get("additive", False))


def rotation_channel(q: Array, mode: str) -> tuple[str, Array, str]:
    """Pose-bone quaternions ``[F, 4]`` as the channel a bone in ``mode`` plays: (property, values, kind).

    Euler bones get continuous Euler angles in their own order (radians), axis-angle bones
    ``(angle, x, y, z)``; the bone's rotation mode is never changed, so the user's own Actions
    keep playing.
    """
    if mode == "QUATERNION":
        return "rotation_quaternion", q, "quat"
    if mode == "AXIS_ANGLE":
        w = np.clip(q[:, 0], -1.0, 1.0)
        angle = 2.0 * np.arccos(w)
        s = np.linalg.norm(q[:, 1:], axis=1, keepdims=True)
        axis = np.where(s > 1e-9, q[:, 1:] / np.maximum(s, 1e-12), np.array([0.0, 1.0, 0.0]))
        return "rotation_axis_angle", np.column_stack([angle, axis]), "vector"
    out = np.empty((len(q), 3))
    prev = None
    for i, qi in enumerate(q):
        e = Quaternion(qi.tolist()).to_euler(mode) if prev is None else Quaternion(qi.tolist()).to_euler(mode, prev)
        out[i] = e
        prev = e
    return "rotation_euler", out, "euler"


def euler_to_quat(e: Array, order: str) -> Array:
    """Euler angles ``[F, 3]`` (radians, Blender's ``order``) as quaternions ``[F, 4]`` (for measuring keys)."""
    return np.array([list(Euler(v.tolist(), order).to_quaternion()) for v in e])  # type: ignore[arg-type]


def write_clip(
    avatar: Avatar,
    clip: Clip,
    action: bpy.types.Action,
    frame_start: int,
    reduce_deg: float | None,
    root: RootKeys | None = None,
) -> tuple[Any, int, int, float, float]:
    """Write a clip's bone channels (and ``root``'s, if given) into ``action`` (a new slot for the armature object).

    Each bone is keyed in its own rotation mode (:func:`rotation_channel`). Reduced channels get
    AUTO_CLAMPED handles where those stay within the tolerance, else exact FREE ones. Returns
    ``(slot, dense key count, written key count, measured max error in degrees, share of reduced
    channels with auto handles)``.
    """
    obj = avatar.obj
    q, loc = pose_tracks(avatar, clip)
    n = clip.n_frames
    frames = frame_start + np.arange(n, dtype=np.float64)
    writer = ChannelWriter(action, "OBJECT", obj.name)
    dense = written = auto = reduced = 0
    max_err = 0.0
    tol = math.radians(reduce_deg) if reduce_deg else None
    channels: list[tuple[str, str, Array, str, Array]] = []  # path, group, values, kind, quaternions they give
    for m, name in enumerate(avatar.rest.blender_names):
        prop, values, kind = rotation_channel(q[:, m], obj.pose.bones[name].rotation_mode)
        channels.append((f'pose.bones["{name}"].{prop}', name, values, kind, q[:, m]))
    mover = avatar.rest.loc_bone
    channels.append((f'pose.bones["{mover}"].location', mover, loc, "vector", loc))
    if root is not None:
        channels.append((f'pose.bones["{root.bone}"].location', root.bone, root.location, "vector", root.location))
        if root.rotation is not None:
            prop, values, kind = rotation_channel(root.rotation, obj.pose.bones[root.bone].rotation_mode)
            channels.append((f'pose.bones["{root.bone}"].{prop}', root.bone, values, kind, root.rotation))
    for path, group, values, kind, exact in channels:
        width = values.shape[1]
        dense += width * n
        if tol is None:
            for i in range(width):
                write_dense(writer.fcurve(path, i, group), frames, values[:, i])
            written += width * n
            continue
        # location tolerance: the same number in millimetres; Euler angles: a rotation error is at most
        # the sum of the three angle errors, so each curve keeps within tol / sqrt(3) (Euclidean)
        red_tol = {"quat": tol, "euler": tol / math.sqrt(3.0)}.get(kind, tol * 1e-3 / math.radians(1.0))
        red = keyreduce.reduce(values, red_tol, "quat" if kind == "quat" else "vector")
        fcs = [writer.fcurve(path, i, group) for i in range(width)]
        for i, fc in enumerate(fcs):
            write_sparse(fc, frames[red.keys], red.values[:, i], red.slopes[:, i])
        written += width * len(red.keys)
        mode = obj.pose.bones[group].rotation_mode
        # AUTO_CLAMPED handles where Blender's own handles stay within the tolerance, else the exact FREE ones
        err = channel_error(fcs, frames, kind, values, exact, mode)
        for fc in fcs:
            set_auto_handles(fc)
        auto_err = channel_error(fcs, frames, kind, values, exact, mode)
        if auto_err <= reduce_deg:
            err, auto = auto_err, auto + 1
        else:
            for i, fc in enumerate(fcs):
                set_free_handles(fc, frames[red.keys], red.values[:, i], red.slopes[:, i])
        if kind in ("quat", "euler"):
            max_err = max(max_err, err)
        reduced += 1
    return writer.slot, dense, written, max_err, (auto / reduced if reduced else 0.0)


def channel_error(
    fcs: list[bpy.types.FCurve], frames: Array, kind: str, values: Array, exact: Array, mode: str
) -> float:
    """What Blender evaluates against what was meant, in the tolerance's units: degrees for quaternion and
    Euler rotations, thousandths of the value for other channels (millimetres for locations)."""
    got = np.array([[fc.evaluate(f) for fc in fcs] for f in frames])
    if kind == "vector":
        return float(np.abs(got - values).max() * 1e3)
    if kind == "euler":
        got = euler_to_quat(got, mode)
    return float(np.degrees(keyreduce.quat_error(got, exact).max()))


def _assign(id_: Any, action: bpy.types.Action, slot: Any) -> list[str]:
    """Make ``action`` the active action of ``id_``; a replaced action of the user's keeps a fake user."""
    notes = []
    ad = id_.animation_data or id_.animation_data_create()
    old = ad.action
    if old is not None and old != action and old.users <= 1 and not old.use_fake_user:
        old.use_fake_user = True
        notes.append(f"'{old.name}' kept with a fake user (it was the active action)")
    ad.action = action
    if slot is not None:
        ad.action_slot = slot
    return notes


def _write_face(avatar: Avatar, clip: Clip, frames: Array, base_name: str) -> bpy.types.Action | None:
    paths = vrm.expression_paths(avatar.obj) if vrm.addon_available() else {}
    used = {k: v for k, v in clip.expressions.items() if k in paths}
    if not used:
        return None
    arm = avatar.obj.data
    action = bpy.data.actions.new(base_name + " face")
    writer = ChannelWriter(action, "ARMATURE", arm.name)
    for name, values in used.items():
        write_dense(writer.fcurve(paths[name], 0, "Expressions"), frames, np.clip(values, 0.0, 1.0))
    _assign(arm, action, writer.slot)
    return action


def gaze_target(avatar: Avatar) -> bpy.types.Object | None:
    """The avatar's gaze target empty (created in the Posers Targets collection) as the VRM 1.0 look-at target.

    ``None`` when the avatar's look-at drives nothing. The VRMA exporter reads the target's
    Action; the add-on's look-at preview switch stays as the user set it.
    """
    if not vrm.addon_available() or not vrm.look_at_drives(avatar.obj):
        return None
    look = vrm.gaze_target_property(avatar.obj)
    if look.preview_target_bpy_object is not None:
        return look.preview_target_bpy_object if look.preview_target_bpy_object.type == "EMPTY" else None
    coll = collection()
    empty = bpy.data.objects.new(f"Posers Gaze {avatar.obj_name}", None)
    empty.empty_display_type = "SPHERE"
    empty.empty_display_size = 0.03
    coll.objects.link(empty)
    look.preview_target_bpy_object = empty
    return empty


def _write_gaze(avatar: Avatar, clip: Clip, frames: Array, base_name: str) -> bpy.types.Action | None:
    if clip.gaze is None:
        return None
    target = gaze_target(avatar)
    if target is None:
        return None
    grot, gpos = clip.fk()
    j = hm.INDEX["head"]
    eye = (
        clip.skeleton.landmark_positions("lookAt", grot, gpos)
        if "lookAt" in clip.skeleton.landmarks
        else gpos[:, j] + quat.rotate(grot[:, j], np.array([0.0, 0.06, 0.06]))
    )
    point_n = eye + quat.rotate(grot[:, j], clip.gaze) * 1.0  # 1 m ahead along the gaze
    mw = np.array(avatar.obj.matrix_world)
    local = pose_transfer.to_blender(point_n)
    world = local  # normalised space already includes the object transform (see retarget)
    if target.parent is not None:
        inv = np.linalg.inv(np.array(target.parent.matrix_world))
        world = world @ inv[:3, :3].T + inv[:3, 3]
    del mw
    action = bpy.data.actions.new(base_name + " gaze")
    writer = ChannelWriter(action, "OBJECT", target.name)
    for i in range(3):
        write_dense(writer.fcurve("location", i, "Gaze"), frames, world[:, i])
    _assign(target, action, writer.slot)
    return action


def bake_clip(avatar: Avatar, clip: Clip, opts: BakeOptions) -> BakeResult:
    """Write an already sampled clip as a new Action on the avatar (see :func:`bake`)."""
    seed = clip.meta.get("seed", opts.seed)
    base = opts.action_name or f"{clip.meta.get('motion', opts.motion)} seed {seed}"
    if clip.meta.get("additive"):
        base += " (additive)"
    body, root = clip, None
    if opts.root_motion == "root_bone" and not clip.meta.get("additive"):
        body, root = split_root(avatar, clip)  # the hips in place below the travelling root bone
    action = _unique_action(base, opts.overwrite)
    try:
        slot, dense, written, err, auto = write_clip(avatar, body, action, opts.frame_start, opts.reduce_keys_deg, root)
        _provenance(action, clip, avatar)
        if root is not None:
            action["posers_root_bone"] = root.bone
        for t, name in clip.markers:
            mk = action.pose_markers.new(name)
            mk.frame = int(round(opts.frame_start + t * clip.fps))
        action.frame_range = (opts.frame_start, opts.frame_start + clip.n_frames - 1)
        action.use_frame_range = True
    except BaseException:
        bpy.data.actions.remove(action)
        raise
    ad = avatar.obj.animation_data
    replaced = ad.action if ad is not None else None
    notes = _assign(avatar.obj, action, slot)
    if root is not None:
        notes.append(f"travel keyed on the root bone '{root.bone}'")
    elif replaced is not None and replaced.get("posers_root_bone"):
        notes += _root_to_rest(avatar.obj, str(replaced["posers_root_bone"]))
    # a prop the motion holds (the smoker's cigarette) gets an empty on the hand for the animator's mesh
    props = landmarks.ensure_prop_empties(avatar, clip.skeleton)
    notes += [f"prop empty '{e.name}' on bone '{e.parent_bone}'" for e in props]
    frames = opts.frame_start + np.arange(clip.n_frames, dtype=np.float64)
    face = gaze = None
    if opts.face and not clip.meta.get("additive"):
        face = _write_face(avatar, clip, frames, action.name)
        gaze = _write_gaze(avatar, clip, frames, action.name)
        # companions travel with the body action (Push to NLA moves them together)
        if face is not None:
            action["posers_face_action"] = face.name
        if gaze is not None:
            action["posers_gaze_action"] = gaze.name
    if clip.meta.get("loop"):
        travel = clip.meta.get("loop_root") in ("travel", "root_bone")
        mover = avatar.rest.loc_bone if root is None else root.bone  # the bone that travels repeats with offset
        add_cycles(action, offset_path=f'pose.bones["{mover}"].location' if travel else None)
        for companion in (face, gaze):
            if companion is not None:
                add_cycles(companion)
        action["posers_loop"] = str(clip.meta.get("loop_root"))
    return BakeResult(action, slot, clip, dense, written, err, face, gaze, notes, auto)


def add_cycles(action: bpy.types.Action, offset_path: str | None = None) -> int:
    """A Cycles F-modifier on every F-curve of ``action`` (the loop plays forever, before and after its keys).

    F-curves at ``offset_path`` repeat with offset (each cycle continues from where the last ended: the
    travel of a walking loop). Returns the number of modifiers added.
    """
    curves = compat.fcurves(action)
    for fc in curves:
        mod = fc.modifiers.new("CYCLES")
        if fc.data_path == offset_path:
            mod.mode_before = mod.mode_after = "REPEAT_OFFSET"
    return len(curves)


def listed_motions() -> list[str]:
    """The motions offered to animators (panel and ``--all``): every motion but the frozen baselines,
    which exist for quality reports; idle-breathe first."""
    progs = {k: v for k, v in registry.discover().items() if "baseline" not in v.meta.tags}
    return sorted(progs, key=lambda k: (k != "idle-breathe", k))


#: Told how far a bake is: (fraction 0..1, what it is doing). Operators show it in the window manager's
#: progress, the command line prints it.
Progress = Callable[[float, str], None]


def _quiet(fraction: float, what: str) -> None:
    pass


def bake(avatar: Avatar, opts: BakeOptions, progress: Progress = _quiet) -> BakeResult:
    """Sample ``opts.motion`` on the avatar and bake it to a new Action (the scene is unchanged if sampling fails)."""
    _check_root_motion(avatar, opts.root_motion)
    progress(0.0, f"sampling {opts.motion}")
    clip = sample_clip(avatar, opts)
    if opts.additive:
        clip = additive_clip(clip)
    progress(SAMPLED, f"writing {clip.n_frames} frames of {opts.motion}")
    res = bake_clip(avatar, clip, opts)
    progress(1.0, "done")
    return res


# -- NLA ---------------------------------------------------------------------------------------------


def push_to_nla(
    id_: Any,
    action: bpy.types.Action,
    slot: Any = None,
    start: float | None = None,
    blend_type: str = "REPLACE",
    blend_in: float = 0.0,
    blend_out: float = 0.0,
    track_name: str | None = None,
    after: bool = False,
) -> bpy.types.NlaStrip:
    """A new NLA track with one strip playing ``action`` (its slot set), and the action unassigned from ``id_``.

    Additive layers use ``COMBINE``, which composes quaternions as rotations
    (``ADD`` would add their components). ``after``: the strip follows others in time, so it holds
    only forward (a first strip on a track holds backwards too and would hide what plays before it).
    """
    ad = id_.animation_data or id_.animation_data_create()
    frame = action.frame_range[0] if start is None else start
    track = ad.nla_tracks.new()
    track.name = track_name or action.name
    strip = track.strips.new(action.name, int(round(frame)), action)
    if slot is not None:
        strip.action_slot = slot
    strip.blend_type = blend_type
    strip.blend_in = blend_in
    strip.blend_out = blend_out
    if after:
        strip.extrapolation = "HOLD_FORWARD"
    if ad.action == action:
        ad.action = None
    return strip


def push_bake_to_nla(
    obj: bpy.types.Object,
    action: bpy.types.Action,
    blend_in: float = 0.0,
    blend_out: float = 0.0,
    after: bool = False,
) -> bpy.types.NlaStrip:
    """Push a Posers bake and its face/gaze companion Actions (where still active) to NLA tracks.

    Additive bakes become COMBINE strips; the rest REPLACE. ``after``: see :func:`push_to_nla`.
    """
    ad = obj.animation_data
    slot = ad.action_slot if ad is not None and ad.action == action else None
    if slot is None and len(action.slots):
        slot = action.slots[0]
    strip = push_to_nla(obj, action, slot, None, _blend_type(action), blend_in, blend_out, after=after)
    owners: list[Any] = [obj.data] + [o for o in bpy.data.objects if o.type == "EMPTY"]
    for key in ("posers_face_action", "posers_gaze_action"):
        name = action.get(key)
        companion = bpy.data.actions.get(str(name)) if name else None
        if companion is None:
            continue
        for owner in owners:
            oad = owner.animation_data
            if oad is not None and oad.action == companion:
                push_to_nla(owner, companion, oad.action_slot, None, "REPLACE", blend_in, blend_out, after=after)
                break
    return strip


def bake_layers(
    avatar: Avatar, motions: Sequence[BakeOptions], nla: bool, layout: str = "stack", progress: Progress = _quiet
) -> list[BakeResult]:
    """Bake several motions: ``stack`` = first as base, the rest additive COMBINE layers on top;
    ``sequence`` = one after another, each starting where the previous ended (:func:`bake_sequence`).
    Nothing is written unless every motion samples.

    With ``nla`` each bake gets its own NLA track. Without it, one motion is one active Action and
    a stack is combined through the NLA and flattened into one Action holding the result (never a
    lone additive layer).
    """
    for opts in motions:
        _check_root_motion(avatar, opts.root_motion)
    clips = _sample_all(motions, avatar, progress)
    progress(SAMPLED, "writing keys")
    if layout == "sequence":
        results = bake_sequence(avatar, motions, clips, nla)
        progress(1.0, "done")
        return results
    clips = [c if i == 0 else additive_clip(c) for i, c in enumerate(clips)]
    several = len(clips) > 1
    results = []
    for opts, clip in zip(motions, clips):
        res = bake_clip(avatar, clip, opts)
        if nla:
            push_bake_to_nla(avatar.obj, res.action)
        elif several:
            push_to_nla(avatar.obj, res.action, res.slot, None, _blend_type(res.action))
        results.append(res)
    if several and not nla:
        progress(0.9, "flattening the layers")
        results = [flatten_layers(avatar, results)]
    progress(1.0, "done")
    return results


def _sample_all(motions: Sequence[BakeOptions], avatar: Avatar, progress: Progress) -> list[Clip]:
    clips = []
    for i, opts in enumerate(motions):
        progress(SAMPLED * i / len(motions), f"sampling {opts.motion} ({i + 1}/{len(motions)})")
        clips.append(sample_clip(avatar, opts))
    return clips


def bake_sequence(avatar: Avatar, motions: Sequence[BakeOptions], clips: Sequence[Clip], nla: bool) -> list[BakeResult]:
    """Sampled motions one after another, joined by the scene compiler's seams (:mod:`.sequence`).

    The next motion starts where and facing where the previous one ended, feet planted through the
    seam. Without ``nla``: one Action for the whole sequence (face and gaze of every motion), the
    motions' provenance in ``posers_layers``; with ``nla``: one Action and NLA track per motion, the
    seam baked into the start of each strip.
    """
    composed = sequence.compose_clips(clips, motions[0].seed)
    start = motions[0].frame_start
    if not nla:
        res = bake_clip(avatar, composed.clip, replace(motions[0], motion=str(composed.clip.meta["motion"])))
        res.action["posers_layers"] = json.dumps([c.meta for c in clips], default=str)
        return [res]
    results = []
    for k, (opts, seg) in enumerate(zip(motions, composed.segments)):
        res = bake_clip(avatar, sequence.segment(composed, k, clips[k]), replace(opts, frame_start=start + seg.start))
        push_bake_to_nla(avatar.obj, res.action, after=k > 0)
        results.append(res)
    return results


def frame_range(results: Sequence[BakeResult]) -> tuple[int, int]:
    """First and last frame covered by the baked Actions."""
    return (
        int(min(r.action.frame_range[0] for r in results)),
        int(max(r.action.frame_range[1] for r in results)),
    )


def flatten_layers(avatar: Avatar, layers: Sequence[BakeResult]) -> BakeResult:
    """One Action holding what the armature's NLA plays over the layers' frames; the layers and tracks go.

    The result keeps every layer's provenance (``posers_layers``, JSON) and the first layer's face
    and gaze Actions.
    """
    obj = avatar.obj
    start, end = frame_range(layers)
    name = " + ".join(r.action.name for r in layers)
    action, slot = evaluate_to_action(obj, start, end, name)
    action["posers_layers"] = json.dumps([dict(r.action.items()) for r in layers], default=str)
    for key in ("posers_motion", "posers_version", "posers_seed", "posers_fps", "posers_avatar"):
        if key in layers[0].action:
            action[key] = layers[0].action[key]
    for key in ("posers_face_action", "posers_gaze_action"):
        if key in layers[0].action:
            action[key] = layers[0].action[key]
    ad = obj.animation_data
    strips = {r.action.name for r in layers}
    for track in [t for t in ad.nla_tracks if any(st.action and st.action.name in strips for st in t.strips)]:
        ad.nla_tracks.remove(track)
    for r in layers:
        bpy.data.actions.remove(r.action)
    _assign(obj, action, slot)
    keys = sum(len(fc.keyframe_points) for fc in _fcurves(action, slot))
    first = layers[0]
    return BakeResult(action, slot, first.clip, keys, keys, 0.0, first.face_action, first.gaze_action, [])


def _blend_type(action: bpy.types.Action) -> str:
    return "COMBINE" if action.get("posers_additive") else "REPLACE"


def _fcurves(action: bpy.types.Action, slot: Any) -> list[bpy.types.FCurve]:
    """The F-curves of ``action`` for ``slot`` (none for a strip without a slot)."""
    return [] if slot is None else compat.fcurves(action, slot)


#: Pose-bone channels :func:`evaluate_to_action` reads in bulk, with their widths.
_POSE_CHANNELS = {"rotation_quaternion": 4, "rotation_euler": 3, "rotation_axis_angle": 4, "location": 3, "scale": 3}
_BONE_PATH = re.compile(r'^pose\.bones\["(.+)"\]\.(\w+)$')


def nla_pose_channels(obj: bpy.types.Object) -> dict[str, set[str]]:
    """Pose bone -> channels (``location``, ``rotation_quaternion``, ...) animated by the object's NLA strips."""
    out: dict[str, set[str]] = {}
    ad = obj.animation_data
    if ad is None:
        return out
    for track in ad.nla_tracks:
        for strip in track.strips:
            if strip.action is None:
                continue
            for fc in _fcurves(strip.action, strip.action_slot):
                m = _BONE_PATH.match(fc.data_path)
                if m and m.group(2) in _POSE_CHANNELS:
                    out.setdefault(m.group(1), set()).add(m.group(2))
    return out


def evaluate_to_action(obj: bpy.types.Object, start: int, end: int, name: str) -> tuple[bpy.types.Action, Any]:
    """A new Action with one key per frame of every pose channel the object's NLA animates, as it evaluates.

    Frames are evaluated with ``scene.frame_set`` and read in bulk (``foreach_get``); the scene's
    current frame comes back afterwards. The object's active Action is not touched.
    """
    scene = bpy.context.scene
    current = scene.frame_current
    channels = nla_pose_channels(obj)
    bones = obj.pose.bones
    n, nb = end - start + 1, len(bones)
    used = sorted({c for cs in channels.values() for c in cs})
    values = {c: np.empty((n, nb * _POSE_CHANNELS[c]), dtype=np.float32) for c in used}
    ad = obj.animation_data
    active = (ad.action, ad.action_slot) if ad is not None else (None, None)
    if ad is not None and ad.action is not None:
        ad.action = None  # evaluate the NLA alone
    try:
        for i in range(n):
            scene.frame_set(start + i)
            for c in used:
                bones.foreach_get(c, values[c][i])
    finally:
        if ad is not None and active[0] is not None:
            ad.action = active[0]
            ad.action_slot = active[1]
        scene.frame_set(current)
    frames = np.arange(start, end + 1, dtype=np.float64)
    action = bpy.data.actions.new(name)
    writer = ChannelWriter(action, "OBJECT", obj.name)
    index = {pb.name: i for i, pb in enumerate(bones)}
    for bone, chans in sorted(channels.items()):
        b = index.get(bone)
        if b is None:
            continue
        for c in sorted(chans):
            w = _POSE_CHANNELS[c]
            for k in range(w):
                fc = writer.fcurve(f'pose.bones["{bone}"].{c}', k, bone)
                write_dense(fc, frames, values[c][:, w * b + k].astype(np.float64))
    action.frame_range = (start, end)
    action.use_frame_range = True
    return action, writer.slot
