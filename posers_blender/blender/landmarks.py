"""Landmarks as empties the animator can move: lips, chin, eyes, parented to the head bone.

The empties start where the engine estimates the landmarks (from the head bone
and the avatar's proportions; eyes from the VRM look-at offset). Moving one
moves that landmark: :func:`overrides` reads them back at the rest pose (from
the bone's rest matrix, whatever the current pose) and :func:`avatar.load`
applies them, so a hand that reaches for the mouth reaches where the animator
put the mouth.
"""

from __future__ import annotations

from typing import Any

import bpy
import numpy as np
from mathutils import Matrix, Vector

from ..engine import quat
from ..engine.skeleton import Landmark
from . import pose_transfer
from .empties import collection

SHOWN = ("lips", "chin", "leftEye", "rightEye")


def _name(obj_name: str, lm: str) -> str:
    return f"Posers {lm} ({obj_name})"


def _bone_rest_world(obj: bpy.types.Object, bone_name: str) -> Matrix:
    """World matrix a BONE-parented child sees at the rest pose (the bone's tail frame)."""
    bone = obj.data.bones[bone_name]
    return obj.matrix_world @ bone.matrix_local @ Matrix.Translation((0.0, bone.length, 0.0))


def ensure_empties(av: Any) -> list[bpy.types.Object]:
    """Create (or move back to their estimates) the landmark empties of an avatar; returns them."""
    coll = collection()
    obj = av.obj
    head_bone = av.mapping["head"]
    parent_rest = _bone_rest_world(obj, head_bone)
    head_rest = av.skeleton.rest_positions()[av.skeleton.index("head")]
    out = []
    for lm in SHOWN:
        if lm not in av.skeleton.landmarks:
            continue
        name = _name(av.obj_name, lm)
        empty = bpy.data.objects.get(name)
        if empty is None:
            empty = bpy.data.objects.new(name, None)
            empty.empty_display_type = "PLAIN_AXES"
            empty.empty_display_size = 0.02
            coll.objects.link(empty)
        world = pose_transfer.to_blender(av.skeleton.landmark_rest(lm) - head_rest + av.rest.head("head"))
        empty.parent = obj
        empty.parent_type = "BONE"
        empty.parent_bone = head_bone
        empty.matrix_parent_inverse = Matrix.Identity(4)
        empty.matrix_basis = parent_rest.inverted() @ Matrix.Translation(world.tolist())
        empty["posers_landmark"] = lm
        empty["posers_armature"] = av.obj_name
        out.append(empty)
    return out


def overrides(obj: bpy.types.Object, head_bone: str, head_rest_n: np.ndarray) -> dict[str, Landmark]:
    """Landmarks from the armature's moved empties: offsets from the head joint (normalised axes, metres)."""
    out: dict[str, Landmark] = {}
    parent_rest = None
    for lm in SHOWN:
        empty = bpy.data.objects.get(_name(obj.name, lm))
        if empty is None or empty.parent != obj or empty.parent_bone != head_bone:
            continue
        if parent_rest is None:
            parent_rest = _bone_rest_world(obj, head_bone)
        world = parent_rest @ empty.matrix_parent_inverse @ empty.matrix_basis
        pos = pose_transfer.to_normalised(np.array(world.translation))
        off = pos - head_rest_n
        out[lm] = Landmark("head", (float(off[0]), float(off[1]), float(off[2])))
    return out


#: Prop points a motion may define on a hand bone (see engine.reach.cigarette_landmarks): (start, end) pairs.
PROPS = {"cigarette": ("cigaretteFilter", "cigaretteEmber")}


def ensure_prop_empties(av: Any, skeleton: Any) -> list[bpy.types.Object]:
    """An empty per prop the clip's skeleton defines, parented to the holding bone, for the animator's prop.

    The empty sits at the prop's start point (a cigarette's filter) with its +Z axis along the prop
    (toward the ember) and a single-arrow display as long as the prop, so a cigarette mesh parented
    to it lines up. It is created once per armature and moved back on each bake; nothing else of
    the user's is touched. The offset is the engine's T-pose offset, turned by the armature's
    arm correction where its rest pose is not a T-pose.
    """
    out = []
    for prop, (a, b) in PROPS.items():
        if a not in skeleton.landmarks or b not in skeleton.landmarks:
            continue
        canon = skeleton.landmarks[a].bone
        if canon not in av.mapping:
            continue
        coll = collection()
        name = _name(av.obj_name, prop)
        empty = bpy.data.objects.get(name)
        if empty is None:
            empty = bpy.data.objects.new(name, None)
            empty.empty_display_type = "SINGLE_ARROW"
            coll.objects.link(empty)
        corr = av.rest.corr[skeleton.index(canon)]
        bone_rest = skeleton.rest_positions()[skeleton.index(canon)]
        start_n = av.rest.head(canon) + quat.rotate(corr, skeleton.landmark_rest(a) - bone_rest)
        end_n = av.rest.head(canon) + quat.rotate(corr, skeleton.landmark_rest(b) - bone_rest)
        start, end = pose_transfer.to_blender(start_n), pose_transfer.to_blender(end_n)
        axis = Vector((end - start).tolist())
        world = Matrix.Translation(start.tolist()) @ axis.to_track_quat("Z", "Y").to_matrix().to_4x4()
        empty.parent = av.obj
        empty.parent_type = "BONE"
        empty.parent_bone = av.mapping[canon]
        empty.matrix_parent_inverse = Matrix.Identity(4)
        empty.matrix_basis = _bone_rest_world(av.obj, av.mapping[canon]).inverted() @ world
        empty.empty_display_size = float(axis.length)
        empty["posers_prop"] = prop
        empty["posers_armature"] = av.obj_name
        out.append(empty)
    return out
