"""Skeletons in normalised humanoid space, the built-in default avatar, and forward kinematics.

A :class:`Skeleton` always carries all 55 humanoid bones (the order of
:data:`posers_blender.humanoid.BONES`), so motion code can address any bone.
An avatar that lacks an optional bone marks it absent in ``present`` and gives
it a zero offset: it then sits on its parent, and any rotation written to it
still turns its children, which is the VRMA rule that a missing bone's
rotation folds into its children.

Positions are metres, +Y up, the avatar faces +Z (see :mod:`posers_blender.humanoid`).
The rest pose is the T-pose with identity rest rotations, feet on the floor y = 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from . import quat

Array = NDArray[np.float64]

DEFAULT_HEIGHT = 1.65
#: Frames per block of :meth:`Skeleton.fk` (bounds its working memory; large enough to amortise its numpy calls).
FK_BLOCK = 2048
#: Leg length (hip joint to floor) of the 1.65 m default avatar (0.53 H, facts §10): the unit of ``leg_ratio``.
DEFAULT_LEG_LENGTH = 0.8745


@dataclass(frozen=True)
class Landmark:
    """A point fixed to a bone: ``offset`` (metres) in the bone's frame (= world axes at rest)."""

    bone: str
    offset: tuple[float, float, float]


@dataclass
class Skeleton:
    """A humanoid skeleton: rest offsets of the 55 bones plus named landmarks.

    ``offsets[j]`` is bone ``j``'s rest position relative to its parent (for
    hips: relative to the floor origin). ``landmarks`` holds surface points the
    motions aim at or test against (lips, chin, heels, toe tips, fingertips).
    """

    name: str
    offsets: Array  # [J, 3]
    present: NDArray[np.bool_]  # [J]
    landmarks: dict[str, Landmark] = field(default_factory=dict)
    parents: NDArray[np.int64] = field(default_factory=lambda: np.asarray(hm.PARENTS, dtype=np.int64))

    def __post_init__(self) -> None:
        self.offsets = np.asarray(self.offsets, dtype=np.float64)
        self.present = np.asarray(self.present, dtype=bool)
        if self.offsets.shape != (len(hm.BONES), 3):
            raise ValueError(f"offsets must be [{len(hm.BONES)}, 3], got {self.offsets.shape}")
        depth = np.zeros(len(hm.BONES), dtype=np.int64)
        for j, p in enumerate(self.parents):
            depth[j] = 0 if p < 0 else depth[p] + 1
        self._levels = [np.nonzero(depth == d)[0] for d in range(1, int(depth.max()) + 1)]
        self._level_parents = [self.parents[idx] for idx in self._levels]

    # -- basic facts -----------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        return hm.BONES

    def index(self, bone: str) -> int:
        try:
            return hm.INDEX[bone]
        except KeyError:
            raise KeyError(f"'{bone}' is not a VRM humanoid bone") from None

    def has(self, bone: str) -> bool:
        return bool(self.present[self.index(bone)])

    def rest_positions(self) -> Array:
        """World rest positions ``[J, 3]``."""
        pos = np.zeros_like(self.offsets)
        for j, p in enumerate(self.parents):
            pos[j] = self.offsets[j] if p < 0 else pos[p] + self.offsets[j]
        return pos

    def bone_length(self, bone: str) -> float:
        """Distance from the bone's head to its first present child's head (0 for leaves)."""
        self.index(bone)
        for c in hm.children(bone):
            if self.has(c):
                return float(np.linalg.norm(self.offsets[hm.INDEX[c]]))
        return 0.0

    @property
    def hips_height(self) -> float:
        return float(self.offsets[0, 1])

    @property
    def height(self) -> float:
        """Standing height from the floor to the top of the head (the ``headTop`` landmark)."""
        return float(self.landmark_rest("headTop")[1])

    @property
    def leg_length(self) -> float:
        """Hip joint to floor (facts file: L, about 0.53 H)."""
        return float(self.rest_positions()[hm.INDEX["leftUpperLeg"], 1])

    @property
    def leg_ratio(self) -> float:
        """Leg length relative to the default avatar's (1 for the 1.65 m default): the one size ratio
        that scales distances, speeds and clearances authored on the default avatar."""
        return self.leg_length / DEFAULT_LEG_LENGTH

    def landmark_rest(self, name: str) -> Array:
        lm = self.landmarks[name]
        return self.rest_positions()[self.index(lm.bone)] + np.asarray(lm.offset)

    # -- forward kinematics ----------------------------------------------------
    def fk(self, lrot: Array, hips_pos: Array) -> tuple[Array, Array]:
        """Global rotations and positions from local rotations.

        ``lrot [..., J, 4]`` and ``hips_pos [..., 3]`` (the hips' world position)
        give ``(grot [..., J, 4], gpos [..., J, 3])``. Vectorised per hierarchy
        level (~11 steps) on component rows ``[4, J, frames]``, so every step reads
        and writes contiguous memory, in blocks of :data:`FK_BLOCK` frames, so the
        cost per frame stays flat and the working memory bounded however long the
        clip is.
        """
        lrot = np.asarray(lrot, dtype=np.float64)
        lead = lrot.shape[:-2]
        n_bones = lrot.shape[-2]
        flat = lrot.reshape(-1, n_bones, 4)
        hips = np.broadcast_to(np.asarray(hips_pos, dtype=np.float64), (*lead, 3)).reshape(-1, 3)
        grot = np.empty(flat.shape)
        gpos = np.empty((flat.shape[0], n_bones, 3))
        for s in range(0, flat.shape[0], FK_BLOCK):
            e = s + FK_BLOCK
            rot, pos = self._fk_rows(np.ascontiguousarray(flat[s:e].transpose(2, 1, 0)), hips[s:e].T)
            grot[s:e] = rot.transpose(2, 1, 0)
            gpos[s:e] = pos.transpose(2, 1, 0)
        return grot.reshape(*lead, n_bones, 4), gpos.reshape(*lead, n_bones, 3)

    def _fk_rows(self, local: Array, hips: Array) -> tuple[Array, Array]:
        """FK on component rows: ``local [4, J, F]``, ``hips [3, F]`` -> ``(rot [4, J, F], pos [3, J, F])``."""
        rot = np.empty_like(local)
        pos = np.empty((3, local.shape[1], local.shape[2]))
        rot[:, 0] = local[:, 0]
        pos[:, 0] = hips
        for idx, par in zip(self._levels, self._level_parents):
            parent = rot[:, par]
            rot[:, idx] = _mul_rows(parent, local[:, idx])
            pos[:, idx] = pos[:, par] + _rotate_rows(parent, self.offsets[idx].T[:, :, None])
        return rot, pos

    def chain_fk(self, lrot: Array, hips_pos: Array, bone: str | int) -> tuple[Array, Array]:
        """Global rotation ``[..., 4]`` and position ``[..., 3]`` of one bone, walking only the chain hips..bone.

        The same arithmetic as :meth:`fk` (bit-identical results) at the cost of the chain's few bones: what a
        limb's IK needs to read its shoulder or hip.
        """
        lrot = np.asarray(lrot, dtype=np.float64)
        j = bone if isinstance(bone, int) else self.index(bone)
        chain = []
        while j >= 0:
            chain.append(j)
            j = int(self.parents[j])
        chain.reverse()
        lead = lrot.shape[:-2]
        grot = lrot[..., chain[0], :]
        gpos = np.broadcast_to(np.asarray(hips_pos, dtype=np.float64), (*lead, 3))
        for j in chain[1:]:
            gpos = gpos + quat.rotate(grot, self.offsets[j])
            grot = quat.mul(grot, lrot[..., j, :])
        return np.array(grot), np.array(gpos)

    def bones_fk(
        self, lrot: Array, hips_pos: Array, bones: Iterable[str | int]
    ) -> tuple[dict[int, Array], dict[int, Array]]:
        """Global rotations ``[..., 4]`` and positions ``[..., 3]`` of several bones (by index), walking the union of
        their chains once: :meth:`chain_fk` for a few bones at a time, bit-identical to :meth:`fk`.

        A few bones of a long clip cost a few ``[F, 4]`` products each instead of the whole skeleton's ``[F, J,
        4]`` and ``[F, J, 3]`` (a 10 min clip at 60 fps: 110 MB for every full FK).
        """
        lrot = np.asarray(lrot, dtype=np.float64)
        need: set[int] = set()
        for bone in bones:
            j = bone if isinstance(bone, int) else self.index(bone)
            while j >= 0 and j not in need:
                need.add(j)
                j = int(self.parents[j])
        lead = lrot.shape[:-2]
        grot: dict[int, Array] = {}
        gpos: dict[int, Array] = {}
        for j in sorted(need):  # parents come before their children in the bone order
            p = int(self.parents[j])
            if p < 0:
                grot[j] = lrot[..., j, :]
                gpos[j] = np.broadcast_to(np.asarray(hips_pos, dtype=np.float64), (*lead, 3))
            else:
                gpos[j] = gpos[p] + quat.rotate(grot[p], self.offsets[j])
                grot[j] = quat.mul(grot[p], lrot[..., j, :])
        return {j: np.array(r) for j, r in grot.items()}, {j: np.array(g) for j, g in gpos.items()}

    def landmark_positions(self, name: str, grot: Array, gpos: Array) -> Array:
        """World position(s) ``[..., 3]`` of a landmark given FK output."""
        lm = self.landmarks[name]
        j = self.index(lm.bone)
        return gpos[..., j, :] + quat.rotate(grot[..., j, :], np.asarray(lm.offset))

    # -- construction ----------------------------------------------------------
    @classmethod
    def from_rest_positions(
        cls,
        positions: dict[str, Array],
        name: str = "avatar",
        landmarks: dict[str, Landmark] | None = None,
    ) -> "Skeleton":
        """Build a skeleton from world rest positions of the bones an avatar has.

        Missing optional bones are placed on their nearest present ancestor
        (zero offset). Missing landmarks are estimated from the head bone and
        the avatar's own proportions (:func:`estimate_landmarks`).
        """
        missing = hm.missing_required(positions)
        if missing:
            raise ValueError(f"avatar '{name}' lacks required humanoid bones: {', '.join(missing)}")
        world = np.zeros((len(hm.BONES), 3))
        present = np.zeros(len(hm.BONES), dtype=bool)
        for j, b in enumerate(hm.BONES):
            if b in positions:
                world[j] = np.asarray(positions[b], dtype=np.float64)
                present[j] = True
            else:
                p = hm.PARENTS[j]
                world[j] = world[p]
        offsets = world.copy()
        for j, p in enumerate(hm.PARENTS):
            if p >= 0:
                offsets[j] = world[j] - world[p]
        skel = cls(name=name, offsets=offsets, present=present)
        skel.landmarks = estimate_landmarks(skel)
        if landmarks:
            skel.landmarks.update(landmarks)
        return skel


def _mul_rows(a: Array, b: Array) -> Array:
    """Hamilton product on component rows ``[4, ...]`` (the arithmetic of :func:`quat.mul`, term for term)."""
    aw, ax, ay, az = a
    bw, bx, by, bz = b
    return np.stack(
        [
            aw * bw - ax * bx - ay * by - az * bz,
            aw * bx + ax * bw + ay * bz - az * by,
            aw * by - ax * bz + ay * bw + az * bx,
            aw * bz + ax * by - ay * bx + az * bw,
        ]
    )


def _rotate_rows(q: Array, v: Array) -> Array:
    """``v [3, ...]`` rotated by ``q [4, ...]`` on component rows (the arithmetic of :func:`quat.rotate`)."""
    w, x, y, z = q
    vx, vy, vz = v
    tx = 2.0 * (y * vz - z * vy)
    ty = 2.0 * (z * vx - x * vz)
    tz = 2.0 * (x * vy - y * vx)
    return np.stack([vx + w * tx + (y * tz - z * ty), vy + w * ty + (z * tx - x * tz), vz + w * tz + (x * ty - y * tx)])


def estimate_landmarks(skel: Skeleton) -> dict[str, Landmark]:
    """Landmarks from the avatar's own proportions.

    Head landmarks (lips, chin, head top, eyes) scale with the neck-to-head
    distance and the head height above the floor, using the default avatar's
    ratios (Drillis & Contini, facts file §10). Foot landmarks come from the
    foot and toe bones and the floor; fingertips extend each distal bone by
    80% of its parent phalanx.
    """
    pos = skel.rest_positions()

    def p(b: str) -> Array:
        return pos[hm.INDEX[b]]

    head_y = p("head")[1]
    # head unit: the default avatar's head bone sits at 0.875 H and the head is 0.125 H tall.
    unit = max(head_y / 0.875, 1e-3)  # an "equivalent height" for head-relative offsets
    # Stylised avatars have big heads: scale head-relative offsets by the neck->head distance too.
    neck_head = float(np.linalg.norm(p("head") - p("neck")))
    head_scale = max(neck_head / (0.045 * unit), 0.6) if skel.has("neck") else 1.0
    head_scale = float(np.clip(head_scale, 0.6, 2.5))
    hs = unit * head_scale
    out: dict[str, Landmark] = {
        "headTop": Landmark("head", (0.0, 0.125 * hs, 0.008 * hs)),
        "lips": Landmark("head", (0.0, 0.018 * hs, 0.066 * hs)),
        "chin": Landmark("head", (0.0, -0.005 * hs, 0.060 * hs)),
    }
    for side in ("left", "right"):
        s = hm.side_sign(side + "Foot")
        foot = p(f"{side}Foot")
        toes = p(f"{side}Toes")
        if not skel.has(f"{side}Toes"):
            toes = foot + np.array([0.0, -foot[1] * 0.7, 0.09 * unit])
        out[f"{side}Heel"] = Landmark(f"{side}Foot", (0.0, -float(foot[1]), -0.038 * unit))
        out[f"{side}ToeTip"] = Landmark(
            f"{side}Toes" if skel.has(f"{side}Toes") else f"{side}Foot",
            (0.0, -float(toes[1]), 0.041 * unit)
            if skel.has(f"{side}Toes")
            else (0.0, -float(foot[1]), float(toes[2] - foot[2]) + 0.041 * unit),
        )
        out[f"{side}Ball"] = Landmark(
            f"{side}Toes" if skel.has(f"{side}Toes") else f"{side}Foot",
            (0.0, -float(toes[1]), 0.0)
            if skel.has(f"{side}Toes")
            else (0.0, -float(foot[1]), float(toes[2] - foot[2])),
        )
        out[f"{side}Eye"] = Landmark("head", (s * 0.019 * hs, 0.061 * hs, 0.058 * hs))
        hand = p(f"{side}Hand")
        for finger in ("Thumb", "Index", "Middle", "Ring", "Little"):
            distal = f"{side}{finger}Distal"
            prev = f"{side}{finger}Proximal" if finger == "Thumb" else f"{side}{finger}Intermediate"
            if skel.has(distal) and skel.has(prev):
                d = p(distal) - p(prev)
                tip = tuple(float(v) for v in 0.8 * d)
                out[f"{side}{finger}Tip"] = Landmark(distal, tip)  # type: ignore[arg-type]
        # palm centre and a generic hand tip for avatars without fingers
        forearm = hand - p(f"{side}LowerArm")
        hand_len = 0.74 * float(np.linalg.norm(forearm))  # facts §10: hand 0.108 H vs forearm 0.146 H
        direction = forearm / max(float(np.linalg.norm(forearm)), 1e-6)
        out[f"{side}Palm"] = Landmark(f"{side}Hand", tuple(float(v) for v in direction * 0.4 * hand_len))  # type: ignore[arg-type]
        out[f"{side}HandTip"] = Landmark(f"{side}Hand", tuple(float(v) for v in direction * hand_len))  # type: ignore[arg-type]
        # the front of a fist: the back of the index finger's middle joint (PIP), on the middle phalanx so it
        # follows the finger's curl (a fist under the chin rests there); without finger bones, mid-hand. The same
        # point as engine.standing.contact_local(..., "knuckles", ...), which the contemplative lean puts on the chin
        if skel.has(f"{side}MiddleDistal"):
            out[f"{side}Knuckles"] = Landmark(f"{side}IndexIntermediate", (0.0, 0.1 * hand_len, 0.0))
        else:
            out[f"{side}Knuckles"] = Landmark(f"{side}Hand", tuple(float(v) for v in direction * 0.5 * hand_len))  # type: ignore[arg-type]
    return out


def default_avatar(height: float = DEFAULT_HEIGHT) -> Skeleton:
    """The built-in avatar: all 55 bones, from Drillis & Contini segment fractions (facts file §10).

    Landmark heights as fractions of ``height`` H: ankle 0.039, knee 0.285,
    hip (greater trochanter) 0.530, shoulder 0.818, chin 0.870, eye 0.936;
    upper arm 0.186, forearm 0.146, hand 0.108, foot length 0.152,
    biacromial width 0.259. Hip joint centres are 0.104 H apart and the
    heel centres therefore about 17 cm apart at 1.65 m (facts §1, preferred
    stance). The remaining placements (spine joints, finger splits) are [D]
    from typical anatomy and scale with ``height``.
    """
    if not 0.5 <= height <= 2.5:
        raise ValueError(f"height {height} m is outside 0.5-2.5 m")
    H = height
    P: dict[str, Array] = {}

    def put(name: str, x: float, y: float, z: float) -> None:
        P[name] = np.array([x, y, z]) * H

    put("hips", 0.0, 0.560, 0.0)
    put("spine", 0.0, 0.600, -0.004)
    put("chest", 0.0, 0.665, -0.008)
    put("upperChest", 0.0, 0.725, -0.010)
    put("neck", 0.0, 0.830, -0.012)
    put("head", 0.0, 0.875, -0.008)
    put("jaw", 0.0, 0.885, 0.015)
    for side, s in (("left", 1.0), ("right", -1.0)):
        put(f"{side}Eye", s * 0.019, 0.936, 0.050)
        hx = 0.052
        put(f"{side}UpperLeg", s * hx, 0.530, 0.0)
        put(f"{side}LowerLeg", s * hx, 0.285, 0.004)
        put(f"{side}Foot", s * hx, 0.039, 0.0)
        put(f"{side}Toes", s * hx, 0.012, 0.152 * 0.48)
        put(f"{side}Shoulder", s * 0.020, 0.795, -0.010)
        ua = 0.259 / 2 - 0.012
        put(f"{side}UpperArm", s * ua, 0.805, -0.010)
        put(f"{side}LowerArm", s * (ua + 0.186), 0.805, -0.010)
        wrist = ua + 0.186 + 0.146
        put(f"{side}Hand", s * wrist, 0.805, -0.010)
        hl = 0.108
        # fingers: MCP distance from the wrist (hand lengths), z spread, finger length, phalanx split
        for finger, mcp, z, flen in (
            ("Index", 0.44, 0.011, 0.52),
            ("Middle", 0.45, 0.0035, 0.56),
            ("Ring", 0.43, -0.0045, 0.52),
            ("Little", 0.39, -0.012, 0.42),
        ):
            x = wrist + mcp * hl
            for ph, frac in zip(("Proximal", "Intermediate", "Distal"), (0.0, 0.45, 0.75)):
                put(f"{side}{finger}{ph}", s * (x + frac * flen * hl), 0.803, -0.010 + z)
        # thumb: from the carpus, angled forward and out (palm down: thumb toward +Z)
        base = np.array([s * (wrist + 0.08 * hl), 0.798, -0.010 + 0.012])
        d = np.array([s * 0.70, -0.06, 0.71])
        d = d / np.linalg.norm(d)
        for ph, along in (("Metacarpal", 0.0), ("Proximal", 0.25), ("Distal", 0.43)):
            v = base + d * along * hl
            P[f"{side}Thumb{ph}"] = v * H
    skel = Skeleton.from_rest_positions(P, name=f"default-{height:.2f}m")
    return skel
