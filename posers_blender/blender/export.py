"""Writing baked motion out: VRMA through the VRM add-on, BVH through Blender's BVH exporter. Results are checked."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import bpy
import numpy as np

from . import bake, vrm


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
    """While inside, the armature (and its VRM expressions) play one temporary Action holding the NLA result.

    The VRM add-on's VRMA exporter reads only the active Action; a bake pushed to the
    NLA (or several layered or sequenced bakes) is evaluated here frame by frame and
    written to a temporary Action, removed again on exit. Without NLA tracks, or with
    an active Action already, nothing changes.
    """
    ad = obj.animation_data
    if ad is None or ad.action is not None or not len(ad.nla_tracks):
        yield
        return
    scene = bpy.context.scene
    current = scene.frame_current
    bones = obj.pose.bones
    nb = len(bones)
    n = end - start + 1
    rot = np.empty((n, nb * 4), dtype=np.float32)
    loc = np.empty((n, nb * 3), dtype=np.float32)
    paths = vrm.expression_paths(obj) if vrm.addon_available() else {}
    arm_ad = obj.data.animation_data
    face_on = arm_ad is not None and arm_ad.action is None and len(arm_ad.nla_tracks) > 0 and bool(paths)
    face = {k: np.empty(n) for k in paths} if face_on else {}
    for i in range(n):
        scene.frame_set(start + i)
        bones.foreach_get("rotation_quaternion", rot[i])
        bones.foreach_get("location", loc[i])
        for k in face:
            value: Any = obj.data.path_resolve(paths[k])  # a float property's value
            face[k][i] = float(value)
    scene.frame_set(current)
    rot64, loc64 = rot.astype(np.float64), loc.astype(np.float64)
    frames = np.arange(start, end + 1, dtype=np.float64)
    temp = bpy.data.actions.new("Posers export (temporary)")
    writer = bake.ChannelWriter(temp, "OBJECT", obj.name)
    for b, pb in enumerate(bones):
        if pb.rotation_mode != "QUATERNION":
            continue
        for c in range(4):
            bake.write_dense(
                writer.fcurve(f'pose.bones["{pb.name}"].rotation_quaternion', c, pb.name), frames, rot64[:, 4 * b + c]
            )
        for c in range(3):
            bake.write_dense(
                writer.fcurve(f'pose.bones["{pb.name}"].location', c, pb.name), frames, loc64[:, 3 * b + c]
            )
    ad.action = temp
    ad.action_slot = writer.slot
    temp_face = None
    if face:
        temp_face = bpy.data.actions.new("Posers export face (temporary)")
        fw = bake.ChannelWriter(temp_face, "ARMATURE", obj.data.name)
        for k, v in face.items():
            bake.write_dense(fw.fcurve(paths[k], 0, "Expressions"), frames, v)
        arm_ad.action = temp_face
        arm_ad.action_slot = fw.slot
    try:
        yield
    finally:
        ad.action = None
        bpy.data.actions.remove(temp)
        if temp_face is not None:
            arm_ad.action = None
            bpy.data.actions.remove(temp_face)


def export_vrma(obj: bpy.types.Object, path: str | Path, start: int, end: int) -> dict:
    """Export the armature's animation over frames ``start..end`` to VRMA and return the file's glTF JSON.

    Needs the VRM add-on and VRM 1.0 humanoid data on the armature.
    """
    path = Path(path)
    vrm.ensure_addon()
    spec = vrm.spec_version(obj)
    if spec != "1.0":
        what = "VRM 0.x" if spec == "0.0" else "not a VRM avatar"
        raise ExportError(
            f"cannot export VRMA from '{obj.name}' ({what}): the VRM add-on's VRMA exporter needs VRM 1.0 humanoid "
            "data. Convert the avatar to VRM 1.0 in the VRM add-on (or export --bvh instead)"
        )
    set_frame_range(start, end)
    _select_only(obj)
    if path.exists():
        path.unlink()
    try:
        with flattened(obj, start, end):
            result = bpy.ops.export_scene.vrma(  # type: ignore[attr-defined]  # the VRM add-on's operator
                filepath=str(path), armature_object_name=obj.name
            )
    except RuntimeError as exc:
        raise ExportError(f"the VRM add-on failed to export '{path}': {str(exc).strip().splitlines()[-1]}") from None
    if "FINISHED" not in result or not path.is_file() or path.stat().st_size == 0:
        raise ExportError(f"the VRM add-on's VRMA exporter wrote nothing to '{path}' (result {sorted(result)})")
    gltf = read_vrma(path)
    if not gltf.get("animations"):
        raise ExportError(f"'{path}' was written without animations; is the armature's action assigned?")
    return gltf


def export_bvh(obj: bpy.types.Object, path: str | Path, start: int, end: int) -> int:
    """Export with Blender's BVH exporter; returns the number of frames written (checked from the file)."""
    path = Path(path)
    if not hasattr(bpy.types, "EXPORT_ANIM_OT_bvh"):
        import addon_utils

        addon_utils.enable("io_anim_bvh", default_set=True)
    _select_only(obj)
    if path.exists():
        path.unlink()
    result = bpy.ops.export_anim.bvh(
        filepath=str(path), frame_start=int(start), frame_end=int(end), rotate_mode="NATIVE", root_transform_only=False
    )
    if "FINISHED" not in result or not path.is_file():
        raise ExportError(f"Blender's BVH exporter wrote nothing to '{path}' (result {sorted(result)})")
    for line in path.read_text(encoding="ascii", errors="replace").splitlines():
        if line.startswith("Frames:"):
            return int(line.split()[1])
    raise ExportError(f"'{path}' has no MOTION section")
