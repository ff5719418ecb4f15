"""The motion-program contract: ``meta``, a parameter ``schema`` and ``build(ctx) -> Tracks``.

A program builds its whole clip at once from a :class:`Context` (validated
parameters, a seeded RNG, the time grid ``ctx.times``, the skeleton, targets):
it fills a :class:`Tracks` (local rotations ``[F, J, 4]`` in normalised humanoid
space, a hips offset ``[F, 3]``, face channels) vectorised over time and returns
it, with its phase markers (inhale, step contact, puff...) in ``tracks.markers``
(:meth:`Tracks.mark`). The sampler takes those arrays as the clip as they are;
nothing is replayed frame by frame. All shipped behaviour motions work this way.

Per-frame programs (the frozen naive baselines, small test programs) subclass
:class:`FrameProgram`, a thin adapter: ``init(rig, ctx)`` once, then
``update(rig, ctx, t, dt)`` per frame on a :class:`Rig` that is reset to the
rest pose before every frame; the adapter's ``build`` collects the frames into
a :class:`Tracks`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import humanoid as hm
from . import ik, quat
from .params import Params, Schema
from .skeleton import Skeleton

Array = NDArray[np.float64]

#: Frames per block of :meth:`Tracks.solve_limb`: bounds its temporaries however long the clip.
SOLVE_BLOCK = 4096

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
    #: Targets the motion reads besides ``lookAt``, which every motion reads (names: engine/targets.py).
    targets: tuple[str, ...] = ()


@dataclass
class Context:
    """What a program builds from: validated params, seed and RNG, the time grid ``times [F]`` (s), the
    skeleton and targets. ``state`` and ``frame`` serve per-frame programs (:class:`FrameProgram`)."""

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

    def target_track(self, name: str) -> Array | None:
        """A named target's position for every frame ``[F, 3]`` (normalised space), or ``None`` when not given:
        what a clip-level program reads (a fixed point is repeated, a track is held at its last value)."""
        tr = self.targets.get(name)
        if tr is None:
            return None
        tr = np.asarray(tr, dtype=np.float64)
        if tr.ndim == 1:
            return np.broadcast_to(tr, (self.n_frames, 3)).copy()
        return tr[np.minimum(np.arange(self.n_frames), len(tr) - 1)]

    def target(self, name: str) -> Array | None:
        """The current frame's position of a named target (per-frame programs; clip-level ones use
        :meth:`target_track`), or ``None`` when not given.

        Targets are either a fixed point ``[3]`` or a per-frame track ``[F, 3]``.
        """
        tr = self.targets.get(name)
        if tr is None:
            return None
        tr = np.asarray(tr, dtype=np.float64)
        return tr if tr.ndim == 1 else tr[min(self.frame, len(tr) - 1)]

    def mark(self, name: str, t: float) -> None:
        """Record a phase marker on the context (older path, kept while motions move to :meth:`Tracks.mark`)."""
        self.markers.append((float(t), name))


class Rig:
    """One frame's pose for a :class:`FrameProgram`, in normalised humanoid space.

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

    def reset(self) -> None:
        self.lrot[:] = quat.IDENTITY
        self.hips_offset[:] = 0.0
        self.expressions.clear()
        self.gaze = None

    def set_rotation(self, bone: str, q: Array) -> None:
        """Set a bone's local rotation (relative to its parent, identity = T-pose)."""
        self.lrot[hm.INDEX[bone]] = q

    def add_rotation(self, bone: str, q: Array) -> None:
        """Compose ``q`` onto the bone's current local rotation, in the bone's own frame (``lrot * q``)."""
        j = hm.INDEX[bone]
        self.lrot[j] = quat.mul(self.lrot[j], q)

    def rotation(self, bone: str) -> Array:
        return self.lrot[hm.INDEX[bone]].copy()

    def set_hips_offset(self, offset: Array) -> None:
        self.hips_offset[:] = offset

    def set_expression(self, name: str, value: float) -> None:
        """A VRM expression preset (``blink``, ``aa``, ``ou``, ``happy``...) in 0..1 for this frame."""
        self.expressions[name] = float(min(1.0, max(0.0, value)))

    def set_gaze(self, direction_head: Array) -> None:
        """Where the eyes look: a direction in the head's frame (+Z ahead, +X the avatar's left)."""
        d = np.asarray(direction_head, dtype=np.float64)
        self.gaze = d / max(float(np.linalg.norm(d)), 1e-9)


class Tracks:
    """Whole-clip pose arrays that a program fills vectorised over time: what ``build`` returns.

    ``lrot [F, J, 4]`` starts at the rest pose; ``hips_offset [F, 3]`` at zero;
    ``expressions`` maps VRM expression names to ``[F]`` (0..1); ``gaze [F, 3]``
    (unit directions in the head's frame, +Z ahead) or ``None`` (straight ahead);
    ``markers`` ``(time_s, name)``. ``rotate`` composes in the bone's own frame
    (``lrot * q``).
    """

    def __init__(self, skeleton: Skeleton, n_frames: int):
        self.skeleton = skeleton
        self.lrot = quat.identity((n_frames, len(hm.BONES)))
        self.hips_offset = np.zeros((n_frames, 3))
        self.expressions: dict[str, Array] = {}
        self.gaze: Array | None = None
        self.markers: list[tuple[float, str]] = []

    @property
    def n_frames(self) -> int:
        return int(self.lrot.shape[0])

    def mark(self, name: str, t: float) -> None:
        """Record a named phase marker (inhale, step contact, puff...) at time ``t`` seconds."""
        self.markers.append((float(t), name))

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

    def bone_poses(self, bones: Iterable[str]) -> dict[str, tuple[Array, Array]]:
        """Per bone name, its global rotation ``[F, 4]`` and position ``[F, 3]``: FK along the bones' chains only,
        each shared joint once (:meth:`Skeleton.bones_fk`), bit-identical to :meth:`fk`. What code that reads a
        few joints or landmarks should call instead of :meth:`fk`, which costs the whole skeleton every frame."""
        names = list(bones)
        grot, gpos = self.skeleton.bones_fk(self.lrot, self.skeleton.offsets[0] + self.hips_offset, names)
        return {b: (grot[hm.INDEX[b]], gpos[hm.INDEX[b]]) for b in names}

    def landmark(self, name: str) -> Array:
        """World track ``[F, 3]`` of a skeleton landmark (lips, chin, heels...), by FK along its bone's chain only."""
        lm = self.skeleton.landmarks[name]
        grot, gpos = self.bone_pose(lm.bone)
        return gpos + quat.rotate(grot, np.asarray(lm.offset))

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

    def limb_root(self, limb: str) -> LimbRoot:
        """Where ``limb`` (``leftArm``, ``rightLeg``...) hangs from the body in every frame, by FK along its chain only.

        Solving the same limb several times against an unchanged body (a reach trying its waypoints) can take
        this once and pass it to :func:`solve_two_bone`.
        """
        ju = hm.INDEX[LIMBS[limb][0]]
        parent_grot, parent_gpos = self.bone_pose(int(self.skeleton.parents[ju]))
        upper_gpos = parent_gpos + quat.rotate(parent_grot, self.skeleton.offsets[ju])
        return LimbRoot(limb, parent_grot, quat.mul(parent_grot, self.lrot[:, ju]), upper_gpos)

    def solve_limb(
        self, limb: str, target: Array, pole: Array, end_grot: Array | None = None, root: LimbRoot | None = None
    ) -> ik.TwoBoneSolution:
        """Two-bone IK for every frame at once (targets and poles ``[F, 3]`` or ``[3]``), written into ``lrot``.

        ``end_grot``, if given, is the wanted world rotation of the hand or foot; ``root`` a
        :meth:`limb_root` taken earlier from this same body (default: taken now).
        """
        upper, lower, end = LIMBS[limb]
        ju, jl, je = hm.INDEX[upper], hm.INDEX[lower], hm.INDEX[end]
        root = self.limb_root(limb) if root is None else root
        n = self.n_frames
        out = ik.TwoBoneSolution(np.empty((n, 4)), np.empty((n, 4)), np.empty(n, dtype=bool), np.empty(n))
        for s in range(0, n, SOLVE_BLOCK):  # each frame is solved on its own: blocks bound the temporaries
            b = slice(s, s + SOLVE_BLOCK)
            sol = solve_two_bone(self.skeleton, root.at(b), _rows(target, b), _rows(pole, b))
            self.lrot[b, ju] = quat.normalize(quat.mul(quat.conj(root.parent_grot[b]), sol.upper_grot))
            self.lrot[b, jl] = sol.lower_lrot
            if end_grot is not None:
                lower_g = quat.mul(sol.upper_grot, sol.lower_lrot)
                self.lrot[b, je] = quat.normalize(quat.mul(quat.conj(lower_g), _rows(end_grot, b)))
            out.upper_grot[b], out.lower_lrot[b], out.reached[b], out.flex[b] = (
                sol.upper_grot,
                sol.lower_lrot,
                sol.reached,
                sol.flex,
            )
        return out


@dataclass(frozen=True)
class LimbRoot:
    """A limb's attachment in every frame: its upper bone's parent world rotation ``[F, 4]``, and the upper
    bone's own world rotation ``[F, 4]`` (the IK's starting pose) and position ``[F, 3]``."""

    limb: str
    parent_grot: Array
    upper_grot: Array
    upper_gpos: Array

    def at(self, rows: slice | NDArray[np.intp]) -> LimbRoot:
        """The attachment in the frames ``rows`` only."""
        return LimbRoot(self.limb, self.parent_grot[rows], self.upper_grot[rows], self.upper_gpos[rows])


def _rows(x: ArrayLike, rows: slice) -> Array:
    """A value given fixed (``[width]``) or per frame (``[F, width]``), in the frames ``rows``."""
    a = np.asarray(x, dtype=np.float64)
    return a if a.ndim < 2 or len(a) == 1 else a[rows]


def solve_two_bone(skeleton: Skeleton, root: LimbRoot, target: Array, pole: Array) -> ik.TwoBoneSolution:
    """The limb's two-bone IK from its root (hinge axis and flexion limits per limb, facts §8); writes nothing."""
    _, lower, end = LIMBS[root.limb]
    return ik.two_bone(
        root.upper_gpos,
        root.upper_grot,
        skeleton.offsets[hm.INDEX[lower]],
        skeleton.offsets[hm.INDEX[end]],
        target,
        pole,
        HINGE_AXES[lower],
        HINGE_LIMITS["LowerLeg" if lower.endswith("LowerLeg") else "LowerArm"],
    )


class MotionProgram:
    """Base class of motion programs: set ``meta`` and ``schema`` and implement :meth:`build`."""

    meta: MotionMeta
    schema: Schema = Schema()

    def build(self, ctx: Context) -> Tracks:  # pragma: no cover - interface
        """The whole clip for ``ctx``: a :class:`Tracks` of ``ctx.n_frames`` frames with its markers."""
        raise MotionError(f"motion '{self.meta.id}' does not implement build()")


#: The name the shipped motions import; the same contract as :class:`MotionProgram`.
TrackProgram = MotionProgram


class FrameProgram(MotionProgram):
    """Adapter for per-frame programs: ``init(rig, ctx)`` once, ``update(rig, ctx, t, dt)`` per frame.

    The rig is reset to the rest pose before every ``update``, so a frame depends only on ``t``, the
    parameters, the seed and the program's own ``ctx.state``. An expression track starts at 0 before the
    first frame that writes it; frames that write no gaze look straight ahead.
    """

    def init(self, rig: Rig, ctx: Context) -> None:
        """Prepare state (precomputed tracks, event schedules) before the first frame. Optional."""

    def update(self, rig: Rig, ctx: Context, t: float, dt: float) -> None:  # pragma: no cover - interface
        """Write the pose at time ``t`` (seconds) into ``rig``; ``dt`` is the frame step."""
        raise MotionError(f"motion '{self.meta.id}' does not implement update()")

    def build(self, ctx: Context) -> Tracks:
        n = ctx.n_frames
        tracks = Tracks(ctx.skeleton, n)
        rig = Rig(ctx.skeleton)
        gaze: Array | None = None
        dt = 1.0 / ctx.fps
        self.init(rig, ctx)
        for i in range(n):
            ctx.frame = i
            rig.reset()
            self.update(rig, ctx, float(ctx.times[i]), dt)
            tracks.lrot[i] = rig.lrot
            tracks.hips_offset[i] = rig.hips_offset
            if rig.gaze is not None:
                if gaze is None:
                    gaze = np.tile(np.array([0.0, 0.0, 1.0]), (n, 1))
                gaze[i] = rig.gaze
            for name, value in rig.expressions.items():
                track = tracks.expressions.get(name)
                if track is None:
                    track = tracks.expressions[name] = np.zeros(n)
                track[i] = value
        tracks.gaze = gaze
        return tracks
