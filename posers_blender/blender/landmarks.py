"""Landmarks as empties the animator can move: lips, chin, eyes, parented to the head bone.

The empties show where the engine's landmarks sit on this avatar (from the head
bone and its proportions, eyes from the VRM look-at offset).
"""

from __future__ import annotations

import bpy
from mathutils import Matrix, Vector

from . import retarget
from .avatar import Avatar

COLLECTION = "Posers Targets"
SHOWN = ("lips", "chin", "leftEye", "rightEye")


def _name(av: Avatar, lm: str) -> str:
    return f"Posers {lm} {av.obj_name}"


def ensure_empties(av: Avatar) -> list[bpy.types.Object]:
    coll = bpy.data.collections.get(COLLECTION)
    if coll is None:
        coll = bpy.data.collections.new(COLLECTION)
        bpy.context.scene.collection.children.link(coll)
    head_bone = av.mapping["head"]
    head_rest = av.skeleton.rest_positions()[av.skeleton.index("head")]
    out = []
    for lm in SHOWN:
        if lm not in av.skeleton.landmarks:
            continue
        name = _name(av, lm)
        empty = bpy.data.objects.get(name)
        if empty is None:
            empty = bpy.data.objects.new(name, None)
            empty.empty_display_type = "PLAIN_AXES"
            empty.empty_display_size = 0.02
            coll.objects.link(empty)
        world = retarget.to_blender(av.skeleton.landmark_rest(lm) - head_rest + av.rest.head("head"))
        empty.parent = av.obj
        empty.parent_type = "BONE"
        empty.parent_bone = head_bone
        empty.matrix_world = Matrix.Translation(Vector(world))
        empty["posers_landmark"] = lm
        out.append(empty)
    return out
