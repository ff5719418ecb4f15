"""Writing baked motion out: VRMA through the VRM add-on, BVH as the project's own Y-up humanoid BVH. Results are checked."""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import bpy
import numpy as np

from .. import humanoid as hm
from ..engine import quat
from ..engine.clip import Clip
from ..io.bvh import bvh_text
from . import bake, pose_transfer, vrm
from .avatar import Avatar


class ExportError(RuntimeError):
    """An export was refused or wrote nothing; the message says why and what to do."""


def _select_only(obj: bpy.types.Object) -> None:
    for o in bpy.context.view_layer.objects:
        o.select_set(False)
    obj.select_set(True)
    bpy.context.view_layer.objects.active = obj


def set_frame_range(start: int, end: int) -> None:
    scene = bpy.context.scene
    scene.frame_start, scene.frame_end = int(start), int(end)


def read_vrma(path: str | Path) -> dict:
    """The glTF JSON chunk of a .vrma file (raises :class:`ExportError` if it is not one)."""
    data = Path(path).read_bytes()
    if len(data) < 20 or data[:4] != b"glTF":
        raise ExportError(f"'{path}' is not a glTF binary")
    length, ctype = struct.unpack_from("<I4s", data, 12)
    if ctype != b"JSON":
        raise ExportError(f"'{path}' has no JSON chunk")
    return json.loads(data[20 : 20 + length])


@contextmanager
def flattened(obj: bpy.types.Object, start: int, end: int) -> Iterator[None]:
    """While inside, the armature, its VRM expressions and its look-at target play temporary Actions
    holding their NLA results.

    The VRM add-on's VRMA exporter reads only active Actions; a bake pushed to the NLA
    (or several layered or sequenced bakes) is evaluated here frame by frame and written
    to temporary Actions, removed again on exit. Without NLA tracks, or with an active
    Action already, nothing changes.
    """
    ad = obj.animation_data
    if ad is None or ad.action is not None or not len(ad.nla_tracks):
        yield
        return
    paths = vrm.expression_paths(obj) if vrm.addon_available() else {}
    look = vrm.gaze_target_property(obj) if vrm.addon_available() else None
    gaze = look.preview_target_bpy_object if look is not None else None
    face_ad, gaze_ad = obj.data.animation_data, gaze.animation_data if gaze is not None else None
    face_on = bool(paths) and _plays_nla_only(face_ad)
    gaze_on = _plays_nla_only(gaze_ad)
    temp, slot = bake.evaluate_to_action(obj, start, end, "Posers export (temporary)")
    temps = [(ad, temp, slot)]
    if face_on or gaze_on:
        n = end - start + 1
        face = {k: np.empty(n) for k in paths} if face_on else {}
        where = np.empty((n, 3))
        scene = bpy.context.scene
        current = scene.frame_current
        for i in range(n):
            scene.frame_set(start + i)
            for k in face:
                value: Any = obj.data.path_resolve(paths[k])  # a float property's value
                face[k][i] = float(value)
            if gaze_on:
                where[i] = tuple(gaze.location)  # type: ignore[union-attr]  # gaze_on implies a target
        scene.frame_set(current)
        frames = np.arange(start, end + 1, dtype=np.float64)
        if face_on:
            fa = bpy.data.actions.new("Posers export face (temporary)")
            fw = bake.ChannelWriter(fa, "ARMATURE", obj.data.name)
            for k, v in face.items():
                bake.write_dense(fw.fcurve(paths[k], 0, "Expressions"), frames, v)
            temps.append((face_ad, fa, fw.slot))
        if gaze_on:
            ga = bpy.data.actions.new("Posers export gaze (temporary)")
            gw = bake.ChannelWriter(ga, "OBJECT", gaze.name)  # type: ignore[union-attr]
            for c in range(3):
                bake.write_dense(gw.fcurve("location", c, "Gaze"), frames, where[:, c])
            temps.append((gaze_ad, ga, gw.slot))
    for owner, action, action_slot in temps:
        owner.action = action
        owner.action_slot = action_slot
    try:
        yield
    finally:
        for owner, action, _ in temps:
            owner.action = None
            bpy.data.actions.remove(action)


def _plays_nla_only(ad: Any) -> bool:
    return ad is not None and ad.action is None and len(ad.nla_tracks) > 0


def animation_range(obj: bpy.types.Object) -> tuple[int, int]:
    """Frames the armature's animation covers: its active Action's range, else its NLA strips'.

    Raises :class:`ExportError` when it has neither (an export would write an empty file).
    """
    ad = obj.animation_data
    if ad is not None and ad.action is not None:
        start, end = ad.action.frame_range
        return int(round(start)), int(round(end))
    strips = [st for t in (ad.nla_tracks if ad is not None else []) if not t.mute for st in t.strips]
    if not strips:
        raise ExportError(f"'{obj.name}' has no Action or NLA strips to export; bake a motion first")
    return int(round(min(st.frame_start for st in strips))), int(round(max(st.frame_end for st in strips)))


@contextmanager
def scene_kept() -> Iterator[None]:
    """The scene's frame range, current frame, selection and active object come back after the block."""
    scene = bpy.context.scene
    layer = bpy.context.view_layer
    frames = (scene.frame_start, scene.frame_end, scene.frame_current)
    selected = [o for o in layer.objects if o.select_get()]
    active = layer.objects.active
    try:
        yield
    finally:
        scene.frame_start, scene.frame_end = frames[0], frames[1]
        scene.frame_set(frames[2])
        for o in layer.objects:
            o.select_set(o in selected)
        layer.objects.active = active


def export_vrma(obj: bpy.types.Object, path: str | Path, start: int, end: int) -> dict:
    """Export the armature's animation over frames ``start..end`` to VRMA and return the file's glTF JSON.

    Needs the VRM add-on and VRM 1.0 humanoid data on the armature. NLA results are flattened
    first (:func:`flattened`); a file without animations is refused, and an existing file at
    ``path`` is replaced only by a complete, checked export. The scene's frame range and
    selection come back as they were.
    """
    path = Path(path)
    vrm.ensure_addon()
    spec = vrm.spec_version(obj)
    if spec != "1.0":
        what = "VRM 0.x" if spec == "0.0" else "not a VRM avatar"
        raise ExportError(
            f"cannot export VRMA from '{obj.name}' ({what}): the VRM add-on's VRMA exporter needs VRM 1.0 humanoid "
            "data. Convert the avatar to VRM 1.0 in the VRM add-on (or export BVH instead)"
        )
    tmp = path.with_name(path.stem + ".posers-tmp.vrma")
    try:
        with scene_kept():
            set_frame_range(start, end)
            _select_only(obj)
            with flattened(obj, start, end):
                result = bpy.ops.export_scene.vrma(  # type: ignore[attr-defined]  # the VRM add-on's operator
                    filepath=str(tmp), armature_object_name=obj.name
                )
        if "FINISHED" not in result or not tmp.is_file() or tmp.stat().st_size == 0:
            raise ExportError(f"the VRM add-on's VRMA exporter wrote nothing to '{path}' (result {sorted(result)})")
        gltf = read_vrma(tmp)
        if not gltf.get("animations"):
            raise ExportError(f"nothing to write to '{path}': the VRMA exporter found no animation on '{obj.name}'")
        os.replace(tmp, path)
    except ExportError:
        raise
    except RuntimeError as exc:
        raise ExportError(f"the VRM add-on failed to export '{path}': {vrm.cause(str(exc))}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return gltf


def evaluated_clip(av: Avatar, start: int, end: int) -> Clip:
    """What the armature plays over frames ``start..end`` (Action, NLA, drivers...), read back as an engine clip.

    Each frame is evaluated (``scene.frame_set``) and every pose matrix read in one ``foreach_get``;
    the mapped bones' world orientations go back through :func:`pose_transfer.engine_rotations`, so
    the clip is in normalised humanoid space (Y up, facing +Z) on the avatar's own skeleton.
    """
    obj = av.obj
    scene = bpy.context.scene
    current = scene.frame_current
    bones = obj.pose.bones
    n, nb = end - start + 1, len(bones)
    mats = np.empty((n, nb * 16), dtype=np.float32)
    try:
        for i in range(n):
            scene.frame_set(start + i)
            bones.foreach_get("matrix", mats[i])
    finally:
        scene.frame_set(current)
    order = {pb.name: i for i, pb in enumerate(bones)}
    idx = [order[name] for name in av.rest.blender_names]
    pose = mats.astype(np.float64).reshape(n, nb, 4, 4).transpose(0, 1, 3, 2)[:, idx]  # Blender stores columns
    world = np.array(obj.matrix_world) @ pose  # [F, M, 4, 4]
    rot = world[..., :3, :3] / np.linalg.norm(world[..., :3, :3], axis=-2, keepdims=True)
    grot = pose_transfer.engine_rotations(av.rest, quat.from_matrix(pose_transfer.N @ rot))
    parents = np.array(hm.PARENTS)
    lrot = grot.copy()
    lrot[:, 1:] = quat.mul(quat.conj(grot[:, parents[1:]]), grot[:, 1:])
    hips = pose_transfer.to_normalised(world[:, av.rest.bones.index("hips"), :3, 3])
    fps = scene.render.fps / scene.render.fps_base
    return Clip(fps, quat.continuous(lrot, axis=0), hips, av.skeleton, meta={"avatar": av.obj_name})


def export_bvh(av: Avatar, path: str | Path, start: int, end: int) -> int:
    """Write what the armature plays over ``start..end`` as BVH; returns the number of frames written.

    The file is the project's BVH (:mod:`posers_blender.io.bvh`): humanoid bone names, Y up, facing
    +Z, metres, so Blender's BVH importer at its default settings stands the figure up, whatever the
    avatar's own bone names and axes. The old file is replaced only after the new one is complete.
    """
    path = Path(path)
    clip = evaluated_clip(av, start, end)
    _write_replacing(path, bvh_text(clip).encode("ascii"))
    return clip.n_frames


def _write_replacing(path: Path, data: bytes) -> None:
    """Write ``data`` next to ``path`` and move it into place, so a failure never leaves half a file."""
    tmp = path.with_name(path.name + ".posers-tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
