"""An armature seen as a humanoid: bone mapping, health report, rest data and the engine skeleton."""

from __future__ import annotations

from dataclasses import dataclass, field

import bpy
import numpy as np

from .. import humanoid as hm
from ..engine import quat
from ..engine.skeleton import Skeleton
from . import landmarks, pose_transfer, vrm
from .pose_transfer import RestData


class NotHumanoid(ValueError):
    """The armature lacks required humanoid bones (the message names them)."""


@dataclass
class Health:
    """What the panel shows about an armature."""

    source: str  # "VRM 0.x", "VRM 1.0", or "alias table (mixamo)" ...
    spec: str | None
    rest_pose: str  # "T", "A" or "other (...)"
    mapped: dict[str, str]
    missing_required: list[str]
    missing_optional: list[str]
    scale: float  # object scale (uniform part)
    height: float  # metres, floor to head top
    arm_angle_deg: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing_required

    def lines(self) -> list[str]:
        out = [f"{self.source}: {len(self.mapped)} humanoid bones mapped"]
        if self.missing_required:
            out.append("ERROR: missing required bones: " + ", ".join(self.missing_required))
        out.append(f"rest pose: {self.rest_pose}-pose (arms {self.arm_angle_deg:.0f} deg below horizontal)")
        out.append(f"height {self.height:.2f} m, object scale {self.scale:.3g}")
        if self.missing_optional:
            few = ", ".join(self.missing_optional[:6]) + (" ..." if len(self.missing_optional) > 6 else "")
            out.append(
                f"{len(self.missing_optional)} optional bones absent (their rotation folds into children): {few}"
            )
        out.extend(self.notes)
        return out


def bone_mapping(obj: bpy.types.Object) -> tuple[dict[str, str], str, str | None]:
    """(canonical -> Blender bone name, source description, VRM spec or None)."""
    if obj is None or obj.type != "ARMATURE":
        raise NotHumanoid("select an armature object")
    if vrm.addon_available():
        mapping = vrm.humanoid_mapping(obj)
        if mapping:
            spec = vrm.spec_version(obj)
            return mapping, ("VRM 0.x" if spec == "0.0" else "VRM 1.0"), spec
    mapping, family = hm.map_bone_names(b.name for b in obj.data.bones)
    return mapping, f"bone names ({family or 'canonical'})", None


def _arm_angle(positions: dict[str, np.ndarray]) -> float:
    angles = []
    for side in ("left", "right"):
        a, b = positions.get(f"{side}UpperArm"), positions.get(f"{side}LowerArm")
        if a is not None and b is not None:
            d = b - a
            angles.append(np.degrees(np.arctan2(-d[1], abs(d[0]))))
    return float(np.mean(angles)) if angles else 0.0


def read_rest(obj: bpy.types.Object, mapping: dict[str, str]) -> RestData:
    """Rest data of the mapped bones (see :class:`RestData`), in normalised world space."""
    bones = obj.data.bones
    mw = np.array(obj.matrix_world)
    rot3 = mw[:3, :3] / np.linalg.norm(mw[:3, :3], axis=0, keepdims=True)
    by_blender = {v: k for k, v in mapping.items()}
    # order parents first, following the Blender hierarchy
    order = [b.name for b in bones if b.name in by_blender]
    depth = {b.name: len(b.parent_recursive) for b in bones}
    order.sort(key=lambda n: (depth[n], hm.INDEX[by_blender[n]]))
    index = {n: i for i, n in enumerate(order)}
    heads, rests, anc = [], [], []
    for name in order:
        b = bones[name]
        ml = np.array(b.matrix_local)
        head = mw @ np.append(ml[:3, 3], 1.0)
        heads.append(pose_transfer.to_normalised(head[:3]))
        rests.append(quat.from_matrix(pose_transfer.N @ rot3 @ ml[:3, :3]))
        a = -1
        for p in b.parent_recursive:
            if p.name in index:
                a = index[p.name]
                break
        anc.append(a)
    hips = bones[mapping["hips"]]
    mover = hips
    while mover.use_connect and mover.parent is not None:  # a connected bone ignores its location
        mover = mover.parent
    return RestData(
        bones=[by_blender[n] for n in order],
        blender_names=order,
        heads=np.array(heads),
        rest=quat.normalize(np.array(rests)),
        ancestor=anc,
        hips_rest_local=np.array(mover.matrix_local)[:3, :3],
        hips_head_local=np.array(hips.head_local),
        loc_bone=mover.name,
        obj_inv=np.linalg.inv(mw),
        look_at=vrm.look_at_offset(obj) if vrm.addon_available() else None,
    )


@dataclass
class Avatar:
    """An armature ready for the engine: mapping, rest data, skeleton and health."""

    obj_name: str
    mapping: dict[str, str]
    rest: RestData
    skeleton: Skeleton
    health: Health
    spec: str | None

    @property
    def obj(self) -> bpy.types.Object:
        return bpy.data.objects[self.obj_name]


def health_of(obj: bpy.types.Object) -> Health:
    """Health report without raising for missing bones (the panel shows it)."""
    mapping, source, spec = bone_mapping(obj)
    req = hm.missing_required(mapping, spec or "1.0")
    opt = [b for b in hm.BONES if b not in mapping and b not in req]
    positions: dict[str, np.ndarray] = {}
    height = 0.0
    if "hips" in mapping:
        rest = read_rest(obj, mapping)
        positions = {b: rest.heads[i] for i, b in enumerate(rest.bones)}
        if "head" in positions:
            height = float(positions["head"][1] / 0.875)  # head joint at 0.875 H (facts §10)
    angle = _arm_angle(positions)
    pose = "T" if abs(angle) < 15 else ("A" if 15 <= angle <= 60 else f"other ({angle:.0f} deg)")
    scale = float(np.mean(np.array(obj.matrix_world.to_scale().to_tuple())))
    notes = []
    if spec is None and vrm.addon_available() is False:
        notes.append("VRM Add-on for Blender not enabled: mapped by bone names")
    return Health(source, spec, pose, mapping, req, opt, scale, height, angle, notes)


def load(obj: bpy.types.Object) -> Avatar:
    """Map, check and read an armature; raises :class:`NotHumanoid` naming the missing required bones."""
    health = health_of(obj)
    if not health.ok:
        raise NotHumanoid(
            f"'{obj.name}' is not a usable humanoid ({health.source}): missing required bones "
            + ", ".join(health.missing_required)
        )
    rest = read_rest(obj, health.mapped)
    skel = pose_transfer.build_skeleton(rest, name=obj.name)
    # the animator's moved landmark empties win over the estimates
    skel.landmarks.update(landmarks.overrides(obj, health.mapped["head"], rest.head("head")))
    return Avatar(obj.name, health.mapped, rest, skel, health, health.spec)
