"""Normalised humanoid rotations <-> an armature's own pose bones (pose transfer), in numpy (no Blender here).

Frames and names
- ``N`` turns Blender world axes into normalised axes: normalised (x, y, z) = blender (x, z, -y).
- ``rest[m]`` is bone ``m``'s rest orientation in normalised world axes (object
  transform included), i.e. ``N * obj.matrix_world * bone.matrix_local`` as a quaternion.
- ``corr[j]`` (per humanoid bone) rotates the T-pose direction of the bone into
  the armature's actual rest direction (identity for a T-pose rest; the arm
  rotation for an A-pose rest).
- The engine's global rotation ``G[j]`` rotates bone ``j`` away from the T-pose.

With pose-space rotation ``q`` of a Blender bone (relative to its rest) and
``a`` the nearest mapped Blender ancestor, the bone's world orientation is
``W = (W_a rest_a^-1) rest q``. We want ``W = G_j corr_j^-1 rest``; with
``W_a rest_a^-1 = G_a corr_a^-1`` this gives the VRMA NormalizedLocalRotation rule
generalised to non-T rests::

    q = rest^-1 * corr_a * G_a^-1 * G_j * corr_j^-1 * rest

With ``G`` read at each bone's carrier (see :func:`carriers`), ``G_a^-1 G_j`` is the product of the engine's local rotations from ``a`` down to
``j``, so rotations of humanoid bones the armature lacks fold into their
children, as in VRMA.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine import quat
from ..engine.skeleton import Landmark, Skeleton

Array = NDArray[np.float64]

#: Blender world -> normalised axes (a proper rotation).
N = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]])
N_QUAT = quat.from_matrix(N)
_ARM_CHAIN = ("UpperArm", "LowerArm", "Hand")


def to_normalised(v: Array) -> Array:
    """Blender world points/vectors ``[..., 3]`` -> normalised space."""
    return np.asarray(v, dtype=np.float64) @ N.T


def to_blender(v: Array) -> Array:
    """Normalised points/vectors ``[..., 3]`` -> Blender world axes."""
    return np.asarray(v, dtype=np.float64) @ N


@dataclass
class RestData:
    """What the pose transfer needs from an armature, read once (see :func:`posers_blender.blender.avatar.read_rest`).

    ``bones``: canonical names of the mapped bones, ordered parents first (Blender
    hierarchy); ``blender_names``: their Blender names; ``heads [M, 3]``: rest head
    positions in normalised world space (metres); ``rest [M, 4]``: rest orientations
    (normalised world); ``ancestor [M]``: index of the nearest mapped Blender
    ancestor or -1; ``hips_head_local [3]``: the hips' armature-space rest head;
    ``loc_bone`` and ``hips_rest_local [3, 3]``: the bone whose ``location`` moves
    the hips (the hips, or its nearest unconnected ancestor when the hips is
    connected to a root bone, as VRM imports often are) and its armature-space
    rest rotation; ``obj_inv [4, 4]``: the object's inverse
    world matrix (Blender axes); ``look_at``: VRM eye offset from the head
    (normalised), if any.
    """

    bones: list[str]
    blender_names: list[str]
    heads: Array
    rest: Array
    ancestor: list[int]
    hips_rest_local: Array
    hips_head_local: Array
    obj_inv: Array
    loc_bone: str = ""
    look_at: tuple[float, float, float] | None = None
    corr: Array = field(default_factory=lambda: quat.identity((len(hm.BONES),)))

    def head(self, bone: str) -> Array:
        return self.heads[self.bones.index(bone)]


def arm_corrections(positions: dict[str, Array]) -> Array:
    """Per humanoid bone ``[J, 4]``: rotation from the T-pose direction to the rest direction of each arm bone.

    Upper and lower arms use their own direction (to the next joint); the hand and
    fingers inherit the lower arm's, so an A-pose arm is straightened as a whole.
    Other bones get identity (legs and spine keep their own rest).
    """
    corr = quat.identity((len(hm.BONES),))
    for side in ("left", "right"):
        canon = np.array([hm.side_sign(side + "Hand"), 0.0, 0.0])
        prev = quat.IDENTITY
        for i, seg in enumerate(_ARM_CHAIN):
            bone = f"{side}{seg}"
            nxt = f"{side}{_ARM_CHAIN[i + 1]}" if i + 1 < len(_ARM_CHAIN) else None
            if nxt is not None and bone in positions and nxt in positions:
                d = positions[nxt] - positions[bone]
                if np.linalg.norm(d) > 1e-6:
                    prev = quat.between(canon, d / np.linalg.norm(d))
            corr[hm.INDEX[bone]] = prev
        for b in hm.BONES:
            if b.startswith(side) and b in hm.FINGER_BONES:
                corr[hm.INDEX[b]] = prev
    return corr


def t_pose_positions(positions: dict[str, Array], corr: Array) -> dict[str, Array]:
    """Rest positions with the corrected bones turned into the T-pose (``corr[j]^-1`` about their heads)."""
    out: dict[str, Array] = {}
    inv = quat.conj(corr)
    for j, b in enumerate(hm.BONES):
        if b not in positions:
            continue
        p = hm.PARENTS[j]
        while p >= 0 and hm.BONES[p] not in positions:
            p = hm.PARENTS[p]
        if p < 0:
            out[b] = np.asarray(positions[b], dtype=np.float64)
            continue
        parent = hm.BONES[p]
        off = positions[b] - positions[parent]
        out[b] = out[parent] + quat.rotate(inv[p], off)
    return out


def build_skeleton(rest: RestData, name: str) -> Skeleton:
    """The engine skeleton of this armature: its own proportions, arms straightened to the T-pose.

    Landmarks come from the head and the avatar's proportions; the VRM look-at
    offset, where present, places the eyes.
    """
    positions = {b: rest.heads[i] for i, b in enumerate(rest.bones)}
    rest.corr = arm_corrections(positions)
    tpose = t_pose_positions(positions, rest.corr)
    skel = Skeleton.from_rest_positions(tpose, name=name)
    if rest.look_at is not None:
        # the VRM look-at point sits between the eyes: keep each eye's estimated spread, take height and depth
        skel.landmarks["lookAt"] = Landmark("head", tuple(float(v) for v in rest.look_at))  # type: ignore[arg-type]
        for side in ("left", "right"):
            est = skel.landmarks[side + "Eye"].offset
            skel.landmarks[side + "Eye"] = Landmark("head", (est[0], float(rest.look_at[1]), float(rest.look_at[2])))
    return skel


def carriers(rest: RestData) -> list[str]:
    """For each mapped bone, the humanoid bone whose global rotation it carries.

    A Blender bone spans the humanoid bones the armature lacks between it and its
    mapped children (a rig without a chest has a spine bone reaching the neck), so
    it takes the rotation of the deepest absent bone shared by every path to its
    children: the chest's and upper chest's rotations then move the spine bone,
    and the engine's positions of the children are reproduced.
    """
    out = []
    for m, b in enumerate(rest.bones):
        paths = []
        for c, a in enumerate(rest.ancestor):
            if a != m:
                continue
            path = []
            p = hm.PARENT[rest.bones[c]]
            while p is not None and p != b:
                path.append(p)
                p = hm.PARENT[p]
            if p == b:
                paths.append(path[::-1])
        x = b
        if paths:
            for step in zip(*paths):
                if all(s == step[0] for s in step):
                    x = step[0]
                else:
                    break
        out.append(x)
    return out


def pose_rotations(rest: RestData, grot: Array) -> Array:
    """Pose-space quaternions ``[F, M, 4]`` for the mapped bones from engine global rotations ``grot [F, J, 4]``."""
    idx = np.array([hm.INDEX[b] for b in carriers(rest)])
    g = grot[:, idx]  # [F, M, 4]
    corr = rest.corr[idx]
    anc = np.array(rest.ancestor)
    has = anc >= 0
    # per-bone constants first, so only three multiplications run over every frame
    left = quat.conj(rest.rest)  # rest^-1 corr_a (rest^-1 for bones without a mapped ancestor)
    left[has] = quat.mul(left[has], corr[anc[has]])
    right = quat.mul(quat.conj(corr), rest.rest)  # corr_j^-1 rest
    relative = g.copy()  # G_a^-1 G_j
    relative[:, has] = quat.mul(quat.conj(g[:, anc[has]]), g[:, has])
    q = quat.mul(quat.mul(left[None], relative), right[None])
    q = quat.normalize(q)
    return quat.continuous(q, axis=0)


def engine_rotations(rest: RestData, world: Array) -> Array:
    """Engine global rotations ``[F, J, 4]`` from the mapped bones' world orientations ``world [F, M, 4]``.

    The inverse of :func:`pose_rotations`: ``G_j = W rest^-1 corr_j`` at each bone's carrier. A
    humanoid bone no Blender bone carries turns with its parent (identity local rotation).
    """
    f = world.shape[0]
    g = np.tile(quat.IDENTITY, (f, len(hm.BONES), 1))
    known = np.zeros(len(hm.BONES), dtype=bool)
    for m, carried in enumerate(carriers(rest)):
        j = hm.INDEX[carried]
        g[:, j] = quat.mul(quat.mul(world[:, m], quat.conj(rest.rest[m])[None]), rest.corr[j][None])
        known[j] = True
    for j, p in enumerate(hm.PARENTS):  # parents come first in hm.BONES
        if not known[j] and p >= 0:
            g[:, j] = g[:, p]
    return quat.normalize(g)


def hips_locations(rest: RestData, hips_pos: Array) -> Array:
    """Pose-bone ``location`` ``[F, 3]`` of the hips bone for world hips positions ``[F, 3]`` (normalised)."""
    world = to_blender(hips_pos)
    inv = rest.obj_inv
    arm = world @ inv[:3, :3].T + inv[:3, 3]
    return (arm - rest.hips_head_local) @ rest.hips_rest_local  # R^T (p - head) for row vectors


def world_directions(rest: RestData, pose_q: Array) -> Array:
    """Bone orientations ``[F, M, 4]`` in normalised world space given pose rotations (for checks)."""
    w = np.empty_like(pose_q)
    for m in range(len(rest.bones)):
        a = rest.ancestor[m]
        base = quat.IDENTITY if a < 0 else quat.mul(w[:, a], quat.conj(rest.rest[a]))
        w[:, m] = quat.mul(quat.mul(base, rest.rest[m]), pose_q[:, m])
    return w
