"""The motion-program contract: ``meta``, a parameter ``schema``, ``init(rig, ctx)`` and ``update(rig, ctx, t, dt)``.

A program writes one frame at a time into a :class:`Rig` (local rotations in
normalised humanoid space, a hips offset, face channels) and keeps whatever it
needs between frames in ``ctx.state``. The rig is reset to the rest pose
before every ``update``, so a frame depends only on ``t``, the parameters, the
seed and the program's own state, never on leftovers from the previous frame.

Programs may precompute whole tracks in ``init`` (``ctx.times`` holds every
sample time) and just read them in ``update``; that is how the cheap motions
stay far below a millisecond per frame.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from . import ik, quat
from .params import Params, Schema
from .skeleton import Skeleton

Array = NDArray[np.float64]

# Hinge flexion axes in each lower bone's own frame (normalised space, T-pose,
# palms down, facing +Z): knees flex the shank backward (-Z), elbows bring the
# forearm forward (+Z).
HINGE_AXES: dict[str, Array] = {
    "leftLowerLeg": np.array([1.0, 0.0, 0.0]),
    "rightLowerLeg": np.array([1.0, 0.0, 0.0]),
    "leftLowerArm": np.array([0.0, -1.0, 0.0]),
    "rightLowerArm": np.array([0.0, 1.0, 0.0]),
}
# Facts file §8: knee flexion 130-145°, elbow 140-150°.
HINGE_LIMITS: dict[str, tuple[float, float]] = {
    "LowerLeg": (0.0, np.radians(140.0)),
    "LowerArm": (0.0, np.radians(145.0)),
}

LIMBS: dict[str, tuple[str, str, str]] = {
    f"{side}{limb}": (f"{side}{u}", f"{side}{m}", f"{side}{e}")
    for side in ("left", "right")
    for limb, (u, m, e) in {"Arm": ("UpperArm", "LowerArm", "Hand"), "Leg": ("UpperLeg", "LowerLeg", "Foot")}.items()
}


class MotionError(RuntimeError):
    """A motion program failed or produced unusable output; the message names the motion and the fix."""


@dataclass(frozen=True)
class MotionMeta:
    id: str  # kebab-case, e.g. "idle-breathe"
    name: str
    description: str
    tags: tuple[str, ...] = ()
    version: str = "1"
    #: Quality-suite checks that apply (names from posers_blender.quality); hard gates always apply.
    checks: tuple[str, ...] = ()
    #: True for motions whose feet never leave the floor (stricter slide gate).
    standing: bool = False


@dataclass
class Context:
    """What a program sees besides the rig: validated params, seed and RNG, timing, targets, state."""

    params: Params
    seed: int
    rng: np.random.Generator
    fps: float
    duration: float
    times: Array
    skeleton: Skeleton
    targets: Mapping[str, Array] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    markers: list[tuple[float, str]] = field(default_factory=list)
    frame: int = 0

    @property
    def n_frames(self) -> int:
        return len(self.times)

    def target(self, name: str) -> Array | None:
        """This frame's position of a named target (normalised space), or ``None`` when not given.

        Targets are either a fixed point ``[3]`` or a per-frame track ``[F, 3]``.
        """
        tr = self.targets.get(name)
        if tr is None:
            return None
        tr = np.asarray(tr, dtype=np.float64)
        return tr if tr.ndim == 1 else tr[min(self.frame, len(tr) - 1)]

    def mark(self, name: str, t: float) -> None:
        """Record a named phase marker (inhale, step contact, puff...) at time ``t`` seconds."""
        self.markers.append((float(t), name))

    def child_rng(self) -> np.random.Generator:
        """An independent generator derived from this context's RNG (for a sub-process of the motion)."""
        return np.random.default_rng(self.rng.integers(0, 2**63 - 1))


class Rig:
    """One frame's pose in normalised humanoid space, with FK and IK helpers.

    ``lrot [J, 4]`` are local rotations (identity = T-pose), ``hips_offset`` the
    hips translation from its rest position (metres, world axes). Face channels
    go to ``expressions`` (VRM expression presets, 0..1) and ``gaze`` (a unit
    direction in the head's frame, +Z ahead).
    """

    def __init__(self, skeleton: Skeleton):
        self.skeleton = skeleton
        self.lrot = quat.identity((len(hm.BONES),))
        self.hips_offset = np.zeros(3)
        self.expressions: dict[str, float] = {}
        self.gaze: Array | None = None
        self._fk: tuple[Array, Array] | None = None
        self._rest_hips = skeleton.offsets[0].copy()

    # -- writing -----------------------------------------------------------------
    def reset(self) -> None:
        self.lrot[:] = quat.IDENTITY
        self.hips_offset[:] = 0.0
        self.expressions.clear()
        self.gaze = None
        self._fk = None

    def has_bone(self, bone: str) -> bool:
        """True when the avatar really has this bone (writes to absent bones still fold into children)."""
        return self.skeleton.has(bone)

    def set_rotation(self, bone: str, q: Array) -> None:
        """Set a bone's local rotation (relative to its parent, identity = T-pose)."""
        self.lrot[hm.INDEX[bone]] = q
        self._fk = None

    def add_rotation(self, bone: str, q: Array, weight: float = 1.0) -> None:
        """Compose ``q`` onto the bone's current local rotation, in the bone's own frame (``lrot * q``)."""
        if weight != 1.0:
            q = quat.slerp(quat.IDENTITY, q, weight)
        j = hm.INDEX[bone]
        self.lrot[j] = quat.mul(self.lrot[j], q)
        self._fk = None

    def add_world_rotation(self, bone: str, q: Array) -> None:
        """Turn a bone by world rotation ``q`` about its own head (children follow)."""
        j = hm.INDEX[bone]
        grot, _ = self.global_pose()
        p = self.skeleton.parents[j]
        parent = grot[p] if p >= 0 else quat.IDENTITY
        self.lrot[j] = quat.normalize(quat.mul(quat.conj(parent), quat.mul(q, grot[j])))
        self._fk = None

    def rotation(self, bone: str) -> Array:
        return self.lrot[hm.INDEX[bone]].copy()

    def set_hips_offset(self, offset: Array) -> None:
        self.hips_offset[:] = offset
        self._fk = None

    def add_hips_offset(self, offset: Array) -> None:
        self.hips_offset += offset
        self._fk = None

    def set_expression(self, name: str, value: float) -> None:
        """A VRM expression preset (``blink``, ``aa``, ``ou``, ``happy``...) in 0..1 for this frame."""
        self.expressions[name] = float(min(1.0, max(0.0, value)))

    def set_gaze(self, direction_head: Array) -> None:
        """Where the eyes look: a direction in the head's frame (+Z ahead, +X the avatar's left)."""
        d = np.asarray(direction_head, dtype=np.float64)
        self.gaze = d / max(float(np.linalg.norm(d)), 1e-9)

    # -- reading -----------------------------------------------------------------
    def global_pose(self) -> tuple[Array, Array]:
        """(grot [J, 4], gpos [J, 3]) of the current frame; cached until the next write."""
        if self._fk is None:
            self._fk = self.skeleton.fk(self.lrot, self._rest_hips + self.hips_offset)
        return self._fk

    def world_position(self, bone: str) -> Array:
        return self.global_pose()[1][hm.INDEX[bone]].copy()

    def world_rotation(self, bone: str) -> Array:
        return self.global_pose()[0][hm.INDEX[bone]].copy()

    def landmark(self, name: str) -> Array:
        """World position of a skeleton landmark (``lips``, ``chin``, ``leftHeel``...)."""
        grot, gpos = self.global_pose()
        return self.skeleton.landmark_positions(name, grot, gpos)

    # -- IK ----------------------------------------------------------------------
    def two_bone_ik(
        self,
        limb: str,
        target: Array,
        pole: Array,
        end_rotation: Array | None = None,
        lower_twist: float = 0.0,
    ) -> ik.TwoBoneSolution:
        """Put the end of ``limb`` (``leftArm``, ``rightLeg``...) on ``target`` with the elbow/knee toward ``pole``.

        ``end_rotation``, if given, is the wanted *world* rotation of the hand or
        foot. Flexion is clamped to the facts-file limits (§8).
        """
        upper, lower, end = LIMBS[limb]
        grot, gpos = self.global_pose()
        ju, jl, je = hm.INDEX[upper], hm.INDEX[lower], hm.INDEX[end]
        sol = ik.two_bone(
            root_pos=gpos[ju],
            upper_grot=grot[ju],
            mid_offset=self.skeleton.offsets[jl],
            end_offset=self.skeleton.offsets[je],
            target=np.asarray(target, dtype=np.float64),
            pole=np.asarray(pole, dtype=np.float64),
            hinge_axis=HINGE_AXES[lower],
            flex_limits=HINGE_LIMITS["LowerLeg" if lower.endswith("LowerLeg") else "LowerArm"],
            lower_twist=lower_twist,
        )
        parent = grot[self.skeleton.parents[ju]]
        self.lrot[ju] = quat.normalize(quat.mul(quat.conj(parent), sol.upper_grot))
        self.lrot[jl] = sol.lower_lrot
        if end_rotation is not None:
            lower_g = quat.mul(sol.upper_grot, sol.lower_lrot)
            self.lrot[je] = quat.normalize(quat.mul(quat.conj(lower_g), end_rotation))
        self._fk = None
        return sol

    def look_at(
        self,
        target: Array,
        chain: Mapping[str, float] | None = None,
        forward: Array | None = None,
        weight: float = 1.0,
        iterations: int = 2,
    ) -> None:
        """Turn a chain of bones so the head's ``forward`` axis points at ``target``.

        ``chain`` maps bones to their absolute share of the turn (default: the
        head alone). Shares are applied as world rotations about one axis, so
        they add up; ``iterations`` re-aims to absorb the parallax of the head
        moving with the spine.
        """
        chain = dict(chain or {"head": 1.0})
        forward = np.array([0.0, 0.0, 1.0]) if forward is None else np.asarray(forward, dtype=np.float64)
        target = np.asarray(target, dtype=np.float64)
        for _ in range(iterations):
            grot, gpos = self.global_pose()
            jh = hm.INDEX["head"]
            cur = quat.rotate(grot[jh], forward)
            want = target - gpos[jh]
            if np.linalg.norm(want) < 1e-9:
                return
            q_total = ik.aim_rotation(cur, want, weight)
            for bone, share in chain.items():
                if share > 0:
                    self.add_world_rotation(bone, quat.slerp(quat.IDENTITY, q_total, share))


class MotionProgram:
    """Base class of motion programs. Subclasses set ``meta`` and ``schema`` and implement ``update``."""

    meta: MotionMeta
    schema: Schema = Schema()

    def init(self, rig: Rig, ctx: Context) -> None:
        """Prepare state (precomputed tracks, event schedules) before the first frame. Optional."""

    def update(self, rig: Rig, ctx: Context, t: float, dt: float) -> None:  # pragma: no cover - interface
        """Write the pose at time ``t`` (seconds) into ``rig``; ``dt`` is the frame step."""
        raise MotionError(f"motion '{self.meta.id}' does not implement update()")


class Tracks:
    """Whole-clip pose arrays that a program fills vectorised over time.

    ``lrot [F, J, 4]`` starts at the rest pose; ``hips_offset [F, 3]`` at zero.
    ``rotate`` composes in the bone's own frame like :meth:`Rig.add_rotation`.
    """

    def __init__(self, skeleton: Skeleton, n_frames: int):
        self.skeleton = skeleton
        self.lrot = quat.identity((n_frames, len(hm.BONES)))
        self.hips_offset = np.zeros((n_frames, 3))
        self.expressions: dict[str, Array] = {}
        self.gaze: Array | None = None

    @property
    def n_frames(self) -> int:
        return int(self.lrot.shape[0])

    def set(self, bone: str, q: Array) -> None:
        self.lrot[:, hm.INDEX[bone]] = q

    def rotate(self, bone: str, q: Array) -> None:
        j = hm.INDEX[bone]
        self.lrot[:, j] = quat.mul(self.lrot[:, j], q)

    def fk(self) -> tuple[Array, Array]:
        """Global rotations ``[F, J, 4]`` and positions ``[F, J, 3]`` of every frame."""
        return self.skeleton.fk(self.lrot, self.skeleton.offsets[0] + self.hips_offset)

    def bone_pose(self, bone: str | int) -> tuple[Array, Array]:
        """Global rotation ``[F, 4]`` and position ``[F, 3]`` of one bone (FK along its chain only)."""
        return self.skeleton.chain_fk(self.lrot, self.skeleton.offsets[0] + self.hips_offset, bone)

    def _limb_root(self, ju: int) -> tuple[Array, Array, Array]:
        """(parent global rotation, upper bone global rotation, upper bone global position) of a limb's root."""
        parent_grot, parent_gpos = self.bone_pose(int(self.skeleton.parents[ju]))
        upper_gpos = parent_gpos + quat.rotate(parent_grot, self.skeleton.offsets[ju])
        return parent_grot, quat.mul(parent_grot, self.lrot[:, ju]), upper_gpos

    def settle_hips_on_legs(
        self, ankles: dict[str, Array], straightest_bend_deg: float = 4.0, soft_m: float = 0.0
    ) -> Array:
        """Lower the hips (per frame) so the straighter leg reaches its ankle target with ``straightest_bend_deg`` of knee bend.

        ``ankles`` maps ``"left"``/``"right"`` to ankle targets ``[F, 3]`` or ``[3]``. A standing
        body keeps its support knee nearly straight (a few degrees) and lets the free knee bend;
        a hips height chosen by hand would either lock a knee (the foot then lifts off its
        target) or crouch. Call after the hips offset and rotation are set, before leg IK.
        With ``soft_m`` > 0 the legs' requirements combine through a smooth minimum of that width
        (metres): a hard minimum has a kink where the straighter leg changes during a weight shift,
        which shows as a jolt in both knees. Returns the vertical adjustment applied ``[F]``
        (metres, <= 0 lowers).
        """
        need = []
        for side, ankle in ankles.items():
            ju, jl, je = (hm.INDEX[f"{side}{b}"] for b in ("UpperLeg", "LowerLeg", "Foot"))
            want = float(
                ik.chain_length(
                    self.skeleton.offsets[jl],
                    self.skeleton.offsets[je],
                    HINGE_AXES[f"{side}LowerLeg"],
                    np.radians(straightest_bend_deg),
                )
            )
            _, hip = self.bone_pose(ju)
            a = np.broadcast_to(np.asarray(ankle, dtype=np.float64), hip.shape)
            horiz2 = (hip[:, 0] - a[:, 0]) ** 2 + (hip[:, 2] - a[:, 2]) ** 2
            need.append(np.sqrt(np.maximum(want * want - horiz2, 0.0)) - (hip[:, 1] - a[:, 1]))
        d = np.stack(need)
        adjust = d.min(axis=0)
        if soft_m > 0:
            adjust = adjust - soft_m * np.log(np.sum(np.exp(-(d - adjust) / soft_m), axis=0))
        self.hips_offset[:, 1] += adjust
        return adjust

    def solve_limb(self, limb: str, target: Array, pole: Array, end_grot: Array | None = None) -> ik.TwoBoneSolution:
        """Two-bone IK for every frame at once (targets and poles ``[F, 3]`` or ``[3]``)."""
        upper, lower, end = LIMBS[limb]
        ju, jl, je = hm.INDEX[upper], hm.INDEX[lower], hm.INDEX[end]
        parent, upper_grot, upper_gpos = self._limb_root(ju)
        sol = ik.two_bone(
            upper_gpos,
            upper_grot,
            self.skeleton.offsets[jl],
            self.skeleton.offsets[je],
            target,
            pole,
            HINGE_AXES[lower],
            HINGE_LIMITS["LowerLeg" if lower.endswith("LowerLeg") else "LowerArm"],
        )
        self.lrot[:, ju] = quat.normalize(quat.mul(quat.conj(parent), sol.upper_grot))
        self.lrot[:, jl] = sol.lower_lrot
        if end_grot is not None:
            lower_g = quat.mul(sol.upper_grot, sol.lower_lrot)
            self.lrot[:, je] = quat.normalize(quat.mul(quat.conj(lower_g), end_grot))
        return sol


class TrackProgram(MotionProgram):
    """A program that builds its whole clip in :meth:`build` (vectorised over time) and replays it per frame."""

    def build(self, ctx: Context) -> Tracks:  # pragma: no cover - interface
        raise MotionError(f"motion '{self.meta.id}' does not implement build()")

    def init(self, rig: Rig, ctx: Context) -> None:
        ctx.state["tracks"] = self.build(ctx)

    def update(self, rig: Rig, ctx: Context, t: float, dt: float) -> None:
        tr: Tracks = ctx.state["tracks"]
        i = ctx.frame
        rig.lrot[:] = tr.lrot[i]
        rig.hips_offset[:] = tr.hips_offset[i]
        for name, track in tr.expressions.items():
            rig.expressions[name] = float(track[i])
        if tr.gaze is not None:
            rig.gaze = tr.gaze[i]
        rig._fk = None
