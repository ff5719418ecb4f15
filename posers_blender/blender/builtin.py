"""The built-in avatar as a Blender armature: 55 humanoid bones, a capsule body skinned per bone, VRM 1.0 humanoid data."""

from __future__ import annotations

import bmesh
import bpy
import numpy as np
from mathutils import Matrix, Vector

from .. import humanoid as hm
from ..engine.skeleton import DEFAULT_HEIGHT, Skeleton, default_avatar
from . import pose_transfer, vrm

NAME = "Posers Avatar"

# capsule radius per bone as a fraction of height (a rough body outline; [D] for looks only)
_RADIUS = {
    "hips": 0.085,
    "spine": 0.08,
    "chest": 0.085,
    "upperChest": 0.085,
    "neck": 0.028,
    "Shoulder": 0.028,
    "UpperArm": 0.028,
    "LowerArm": 0.022,
    "Hand": 0.018,
    "UpperLeg": 0.045,
    "LowerLeg": 0.035,
    "Foot": 0.025,
    "Toes": 0.02,
}
_TAIL_CHILD = {
    "hips": "spine",
    "spine": "chest",
    "chest": "upperChest",
    "upperChest": "neck",
    "neck": "head",
}


def _radius(bone: str) -> float:
    if bone in _RADIUS:
        return _RADIUS[bone]
    for key, r in _RADIUS.items():
        if bone.endswith(key):
            return r
    return 0.006 if bone in hm.FINGER_BONES else 0.0


def _tails(skel: Skeleton) -> dict[str, np.ndarray]:
    """Tail of each bone (normalised space): towards its main child, or along its parent for leaves."""
    pos = skel.rest_positions()
    H = skel.height
    out: dict[str, np.ndarray] = {}
    for j, b in enumerate(hm.BONES):
        kids = hm.children(b)
        main = _TAIL_CHILD.get(b)
        if main is None:
            for cand in ("LowerLeg", "Foot", "Toes", "UpperArm", "LowerArm", "Hand", "MiddleProximal"):
                if b.startswith(("left", "right")) and any(k.endswith(cand) for k in kids):
                    main = next(k for k in kids if k.endswith(cand))
                    break
        if main is None and kids and b not in ("head",):
            main = kids[0] if len(kids) == 1 else None
        if main is not None:
            out[b] = pos[hm.INDEX[main]]
        elif b == "head":
            out[b] = pos[j] + np.array([0.0, 0.12 * H, 0.0])
        elif b.endswith("Eye") or b == "jaw":
            out[b] = pos[j] + np.array([0.0, 0.0, 0.03 * H])
        elif b.endswith("Toes"):
            out[b] = pos[j] + np.array([0.0, 0.0, 0.05 * H])
        else:  # distal phalanges: continue the parent direction
            p = hm.PARENTS[j]
            d = pos[j] - pos[p]
            out[b] = pos[j] + 0.8 * d
    return out


def _capsule(bm: bmesh.types.BMesh, a: np.ndarray, b: np.ndarray, r: float, group: int, dl: object) -> None:
    va, vb = Vector(a.tolist()), Vector(b.tolist())
    axis = vb - va
    length = axis.length
    if length < 1e-6 or r <= 0:
        return
    rot = axis.to_track_quat("Z", "Y").to_matrix().to_4x4()
    mat = Matrix.Translation(((va + vb) / 2).to_tuple()) @ rot
    geom = bmesh.ops.create_cone(
        bm, cap_ends=True, segments=10, radius1=r, radius2=r * 0.9, depth=length + r, matrix=mat
    )
    for v in geom["verts"]:
        v[dl][group] = 1.0


def _sphere(bm: bmesh.types.BMesh, c: np.ndarray, r: float, group: int, dl: object) -> None:
    geom = bmesh.ops.create_uvsphere(bm, u_segments=16, v_segments=10, radius=r, matrix=Matrix.Translation(c.tolist()))
    for v in geom["verts"]:
        v[dl][group] = 1.0


def build(height: float = DEFAULT_HEIGHT, name: str = NAME) -> bpy.types.Object:
    """Create the built-in avatar in the current scene and return the armature object (facing -Y, Z up)."""
    skel = default_avatar(height)
    pos_n = skel.rest_positions()
    tails_n = _tails(skel)
    pos = pose_transfer.to_blender(pos_n)
    tails = {b: pose_transfer.to_blender(t) for b, t in tails_n.items()}
    arm_data = bpy.data.armatures.new(name)
    obj = bpy.data.objects.new(name, arm_data)
    bpy.context.scene.collection.objects.link(obj)
    prev_active = bpy.context.view_layer.objects.active
    bpy.context.view_layer.objects.active = obj
    bpy.ops.object.mode_set(mode="EDIT")
    ebones = arm_data.edit_bones
    for j, b in enumerate(hm.BONES):
        eb = ebones.new(b)
        eb.head = Vector(pos[j].tolist())
        eb.tail = Vector(tails[b].tolist())
        eb.roll = 0.0
        p = hm.PARENTS[j]
        if p >= 0:
            eb.parent = ebones[hm.BONES[p]]
    bpy.ops.object.mode_set(mode="OBJECT")
    bpy.context.view_layer.objects.active = prev_active or obj
    for pb in obj.pose.bones:
        pb.rotation_mode = "QUATERNION"

    # body: one mesh, one capsule per bone, each weighted fully to its bone
    mesh = bpy.data.meshes.new(name + " Body")
    body = bpy.data.objects.new(name + " Body", mesh)
    bpy.context.scene.collection.objects.link(body)
    for b in hm.BONES:
        body.vertex_groups.new(name=b)
    bm = bmesh.new()
    dl = bm.verts.layers.deform.verify()
    H = height
    for j, b in enumerate(hm.BONES):
        if b == "head":
            _sphere(bm, pos[j] + np.array([0.0, -0.012 * H, 0.065 * H]), 0.068 * H, j, dl)
        elif b.endswith("Eye"):
            _sphere(bm, pos[j] + np.array([0.0, -0.012 * H, 0.0]), 0.011 * H, j, dl)
        else:
            _capsule(bm, pos[j], tails[b], _radius(b) * H, j, dl)
    bm.to_mesh(mesh)
    bm.free()
    for poly in mesh.polygons:
        poly.use_smooth = True
    mat = bpy.data.materials.new(name + " Skin")
    mat.diffuse_color = (0.78, 0.62, 0.52, 1.0)  # type: ignore[assignment]  # typed as bpy_prop_array by fake-bpy-module
    mesh.materials.append(mat)
    body.parent = obj
    mod = body.modifiers.new("Armature", "ARMATURE")
    mod.object = obj

    if vrm.addon_available():
        vrm.set_vrm1_humanoid(obj, {b: b for b in hm.BONES})
        look = skel.landmarks["leftEye"].offset
        obj.data.vrm_addon_extension.vrm1.look_at.offset_from_head_bone = (0.0, look[1], look[2])
        obj.data.vrm_addon_extension.vrm1.meta.vrm_name = name
    obj["posers_builtin_height"] = float(height)
    return obj
