"""Shared helpers for the Blender tests: test armatures and evaluated bone directions."""

from __future__ import annotations

from pathlib import Path

import bpy
import numpy as np
from mathutils import Vector

from posers_blender import humanoid as hm
from posers_blender.blender import pose_transfer
from posers_blender.engine import quat
from posers_blender.engine.skeleton import default_avatar

REPO = Path(__file__).resolve().parents[2]


def data_dir() -> Path | None:
    for cand in (REPO.parent / "shared" / "data",):
        if (cand / "vrm").is_dir():
            return cand
    return None


def vrm_files() -> list[Path]:
    d = data_dir()
    return sorted((d / "vrm").glob("*.vrm")) if d else []


def sample_pose_lrot() -> np.ndarray:
    """A strong, asymmetric pose [55, 4]: arm raised and bent, leg forward, spine twisted, head turned."""
    lrot = quat.identity((len(hm.BONES),))
    lrot[hm.INDEX["leftUpperArm"]] = quat.from_axis_angle([0, 0, 1], -1.1)
    lrot[hm.INDEX["leftLowerArm"]] = quat.from_axis_angle([0, -1, 0], 1.2)
    lrot[hm.INDEX["rightUpperArm"]] = quat.from_axis_angle([1, 0, 0], 0.7)
    lrot[hm.INDEX["rightUpperLeg"]] = quat.from_axis_angle([1, 0, 0], -0.9)
    lrot[hm.INDEX["rightLowerLeg"]] = quat.from_axis_angle([1, 0, 0], 1.1)
    lrot[hm.INDEX["spine"]] = quat.from_axis_angle([0, 1, 0], 0.4)
    lrot[hm.INDEX["chest"]] = quat.from_axis_angle([1, 0, 0], 0.3)  # absent on some avatars: folds into children
    lrot[hm.INDEX["head"]] = quat.from_axis_angle([0, 1, 0], -0.5)
    return lrot


def evaluated_heads(obj: bpy.types.Object, names: dict[str, str]) -> dict[str, np.ndarray]:
    """World head positions (normalised space) of posed bones, canonical name -> [3]."""
    bpy.context.view_layer.update()
    mw = obj.matrix_world
    return {c: pose_transfer.to_normalised(np.array(mw @ obj.pose.bones[b].head)) for c, b in names.items()}


def direction_errors_deg(heads: dict[str, np.ndarray], gpos: np.ndarray) -> dict[tuple[str, str], float]:
    """Angle between Blender and engine directions of every parent->child humanoid pair present."""
    out = {}
    for c in heads:
        p = hm.PARENT[c]
        while p is not None and p not in heads:
            p = hm.PARENT[p]
        if p is None:
            continue
        a = heads[c] - heads[p]
        b = gpos[hm.INDEX[c]] - gpos[hm.INDEX[p]]
        if np.linalg.norm(a) < 1e-4:
            continue
        cos = np.dot(a, b) / np.linalg.norm(a) / np.linalg.norm(b)
        out[(p, c)] = float(np.degrees(np.arccos(np.clip(cos, -1, 1))))
    return out


def build_armature(
    bones: list[str], rolls: dict[str, float] | None = None, arm_drop_deg: float = 0.0, name: str = "Rig"
) -> bpy.types.Object:
    """An armature with the given canonical bones at the default avatar's rest, optional rolls and A-pose arms.

    Tails point to the next present bone (or 8 cm along +Z in Blender for leaves), so bone axes differ from
    the normalised axes and rolls change them further.
    """
    skel = default_avatar()
    pos = skel.rest_positions()
    world = {b: pose_transfer.to_blender(pos[hm.INDEX[b]]) for b in bones}
    drop = np.radians(arm_drop_deg)
    for side, s in (("left", 1.0), ("right", -1.0)):
        root = f"{side}UpperArm"
        if root not in world or not drop:
            continue
        pivot = world[root].copy()
        a = s * drop  # rotation about Blender +Y that lowers this arm toward -Z
        c, sn = np.cos(a), np.sin(a)
        for b in list(world):
            if b.startswith(side) and ("Arm" in b or "Hand" in b or b in hm.FINGER_BONES) and b != root:
                d = world[b] - pivot
                world[b] = pivot + np.array([c * d[0] + sn * d[2], d[1], -sn * d[0] + c * d[2]])
    arm = bpy.data.armatures.new(name)
    obj = bpy.data.objects.new(name, arm)
    bpy.context.scene.collection.objects.link(obj)
    bpy.context.view_layer.objects.active = obj
    bpy.ops.object.mode_set(mode="EDIT")
    order = [b for b in hm.BONES if b in bones]
    for b in order:
        eb = arm.edit_bones.new(b)
        eb.head = Vector(world[b])
        kids = [k for k in order if hm.PARENT[k] == b or (hm.PARENT[k] not in bones and _anc(k, bones) == b)]
        eb.tail = Vector(world[kids[0]]) if kids else Vector(world[b] + np.array([0.0, 0.0, 0.08]))
        if (eb.tail - eb.head).length < 1e-3:
            eb.tail = eb.head + Vector((0.0, 0.0, 0.05))
        eb.roll = (rolls or {}).get(b, 0.0)
        a = _anc(b, bones)
        if a is not None:
            eb.parent = arm.edit_bones[a]
    bpy.ops.object.mode_set(mode="OBJECT")
    return obj


def _anc(b: str, bones: list[str]) -> str | None:
    p = hm.PARENT[b]
    while p is not None and p not in bones:
        p = hm.PARENT[p]
    return p


def datablock_names() -> dict[str, set[str]]:
    out = {}
    for c in ("objects", "meshes", "armatures", "materials", "images", "actions", "collections", "textures"):
        out[c] = {i.name for i in getattr(bpy.data, c)}
    return out
