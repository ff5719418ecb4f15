"""Mocap onto the humanoid: retarget a BVH skeleton's motion to a :class:`Skeleton` in normalised space.

The result is the same :class:`~posers_blender.engine.clip.Clip` the engine
samples, so every metric, report and exporter runs on mocap and on generated
motion alike.

How a clip is carried over (all in the normalised space: +Y up, metres,
facing +Z, the avatar's left +X):

1. **Names**: :func:`posers_blender.humanoid.map_bone_names` maps the file's
   joints to canonical bones (CMU, Bandai Namco, Mixamo-like, VRM names...).
2. **Units and axes**: the unit system is read from the thigh + shank length
   (:func:`~posers_blender.io.bvh_read.guess_units`), the up axis from where
   the head stands above the feet; both can be forced.
3. **Reference pose**: each mapped source bone gets the global rotation it
   has when the actor stands in the T-pose facing +Z. Files whose rest pose
   is a T-pose (CMU, Mixamo, our own export) use their rest pose, straightened
   bone by bone onto the target's T-pose directions. Families whose rest pose
   is not a T-pose (Bandai Namco: every bone along its parent's +X) use a
   per-family table of where each bone's local axes point in the T-pose
   (:data:`REFERENCE_AXES`). Feet and toes are then calibrated so that a
   planted source foot is a flat target foot (the ankle and ball heights of
   marker sets differ too much for a fixed table).
4. **Bones**: a target bone's global rotation is the source bone's global
   rotation relative to its reference; then, for the bones of the limb and
   spine chains, it is turned by the shortest arc that makes the bone point
   where the source bone points (global bone directions matched per bone).
   Bones the source lacks keep the identity local rotation.
5. **Root**: the midpoint of the hip joints follows the source's, scaled by
   the leg-length ratio (the hips height ratio measured along hip-knee-ankle,
   which needs no rest pose).
6. **Alignment and contacts** (``align``, the default): the clip is turned
   to face +Z (a forward walk: to travel along +Z), starts at x = z = 0, and
   stands on y = 0: every frame the body is lowered until the highest foot
   the source has planted touches the floor; a planted or swinging target
   foot that would still go through rolls over its ball (foot, then toes
   dorsiflex) and is finally lifted by its knee (at most :data:`MAX_LIFT`).
   Elbow and knee twists are calibrated on the limb's bending plane, toe
   channels are lightly smoothed. Without ``align`` none of this happens:
   our own export then reads back to the same joint positions.

Known limits: foot shapes and knee hyperextension differ between rigs, so
retargeted mocap keeps a few mm to cm of floating or sliding in places; the
quality gates report them rather than this module hiding them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from . import humanoid as hm
from .engine import quat
from .engine.clip import Clip
from .engine.program import HINGE_AXES, LIMBS
from .engine.skeleton import Skeleton, default_avatar
from .io.bvh_read import UNIT_SCALES, BvhError, BvhFile, guess_units, guess_up_axis, read_bvh, up_rotation

Array = NDArray[np.float64]

_UP = (0.0, 1.0, 0.0)
_DOWN = (0.0, -1.0, 0.0)
_LEFT = (1.0, 0.0, 0.0)
_RIGHT = (-1.0, 0.0, 0.0)
_FWD = (0.0, 0.0, 1.0)

#: For skeleton families whose rest pose is not a T-pose: where each bone's local +X and +Y axes point
#: (normalised space) when the actor stands in the T-pose facing +Z. Read off the Bandai Namco files
#: (every bone along its parent's +X; the chains mirror by a half turn about X on the right side).
REFERENCE_AXES: dict[str, dict[str, tuple[tuple[float, float, float], tuple[float, float, float]]]] = {
    "bnr": {
        "hips": (_UP, _RIGHT),
        **{b: (_UP, _FWD) for b in ("spine", "chest", "upperChest", "neck", "head")},
        **{f"left{b}": (_LEFT, _UP) for b in ("Shoulder", "UpperArm", "LowerArm", "Hand")},
        **{f"right{b}": (_LEFT, _DOWN) for b in ("Shoulder", "UpperArm", "LowerArm", "Hand")},
        **{f"left{b}": (_DOWN, _LEFT) for b in ("UpperLeg", "LowerLeg", "Foot", "Toes")},
        **{f"right{b}": (_UP, _LEFT) for b in ("UpperLeg", "LowerLeg", "Foot", "Toes")},
    },
}

# The bone each chain bone points at (the next one along the spine or limb); directions are matched on these.
_CHAIN: dict[str, str] = {
    "spine": "chest",
    "chest": "upperChest",
    "upperChest": "neck",
    "neck": "head",
    **{
        f"{s}{a}": f"{s}{b}"
        for s in ("left", "right")
        for a, b in (
            ("Shoulder", "UpperArm"),
            ("UpperArm", "LowerArm"),
            ("LowerArm", "Hand"),
            ("UpperLeg", "LowerLeg"),
            ("LowerLeg", "Foot"),
        )
    },
}
_NEEDED = ("hips", "head", *(f"{s}{b}" for s in ("left", "right") for b in ("UpperLeg", "LowerLeg", "Foot")))
#: A rest pose whose chain bones are further than this from the T-pose directions is "not a T-pose".
TPOSE_TOLERANCE_DEG = 45.0
# Planted-foot detection on the source for the foot calibration: ball (or ankle) within 3 cm of its
# low level and slower than 0.2 m/s (metrics file §0: contact below 3-5 cm, under 0.2-0.5 m/s).
_PLANT_HEIGHT = 0.03
_PLANT_SPEED = 0.2
#: Largest ankle lift (m) used to keep a dipping target foot out of the floor.
MAX_LIFT = 0.05
#: Fewest frames retargeted (velocities and contacts need two; a one-frame file is a pose).
MIN_FRAMES = 2


@dataclass
class Retargeted:
    """A retargeted clip plus what was decided on the way (for reports and ``posers retarget``)."""

    clip: Clip
    family: str | None
    mapping: dict[str, str]
    units: str
    up: str
    source_height: float  # metres, estimated from the leg length (facts §10: thigh + shank = 0.491 H)
    ratio: float  # target leg length / source leg length
    warnings: list[str]


def _axes_quat(x_axis: tuple[float, float, float], y_axis: tuple[float, float, float]) -> Array:
    x = np.asarray(x_axis, dtype=np.float64)
    y = np.asarray(y_axis, dtype=np.float64)
    m = np.stack([x, y, np.cross(x, y)], axis=1)  # columns: where local X, Y, Z go
    return quat.from_matrix(m)


def _mean_quat(q: Array) -> Array:
    """Mean rotation of ``q [N, 4]`` (hemisphere-aligned, normalised sum; fine for a tight cluster)."""
    q = np.where((np.sum(q * q[:1], axis=-1) < 0)[:, None], -q, q)
    return quat.normalize(q.sum(axis=0))


def _yaw_to_forward(left: Array) -> Array:
    """Rotation about +Y that turns a horizontal 'left' direction to +X (so the body faces +Z)."""
    v = np.array([left[0], 0.0, left[2]])
    if np.linalg.norm(v) < 1e-9:
        return quat.identity()
    # R_y(a) takes (x, 0, z) to (x cos a + z sin a, 0, z cos a - x sin a): zero z at a = atan2(z, x).
    ang = np.arctan2(v[2], v[0])
    return quat.from_axis_angle(np.array([0.0, 1.0, 0.0]), ang)


# Upper bones of hinge limbs -> (middle, end) bone: their twist is calibrated on the hinge plane.
_HINGE_UPPER: dict[str, tuple[str, str]] = {upper: (mid, end) for upper, mid, end in LIMBS.values()}


def _hinge_twist(bone: str, g: Array, gpos: Array, src: dict[str, int], rest_t: Array) -> Array:
    """Twist ``[4]`` about the upper bone's own axis that makes the source's bending plane the target's hinge.

    Elbows and knees are hinges (facts §8): wherever the source limb is bent by more than 20°, the normal of
    the upper-lower plane, seen from the target's upper bone, should be the lower bone's flexion axis
    (:data:`~posers_blender.engine.program.HINGE_AXES`). A family's reference twist can be off by tens of
    degrees (CMU upper arms: ~28°); this per-clip circular mean takes it out. Identity when the limb
    never bends enough to tell.
    """
    mid, end = _HINGE_UPPER[bone]
    if mid not in src or end not in src:
        return quat.identity()
    a = gpos[:, src[mid]] - gpos[:, src[bone]]
    b = gpos[:, src[end]] - gpos[:, src[mid]]
    n = np.cross(a, b)
    sin_bend = np.linalg.norm(n, axis=-1) / np.maximum(np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1), 1e-12)
    bent = sin_bend > np.sin(np.radians(20.0))
    if bent.sum() < 10:
        return quat.identity()
    u = rest_t[hm.INDEX[mid]] - rest_t[hm.INDEX[bone]]
    u = u / np.linalg.norm(u)
    n_local = quat.rotate(quat.conj(g[bent]), n[bent])
    n_local -= np.outer(n_local @ u, u)
    h = HINGE_AXES[mid] - np.dot(HINGE_AXES[mid], u) * u
    h = h / np.linalg.norm(h)
    # signed angle from h to each n_local about u; T(alpha) h = n_local  =>  conj(T) n_local = h
    ang = np.arctan2(np.cross(h, n_local) @ u, n_local @ h)
    alpha = float(np.arctan2(np.sin(ang).mean(), np.cos(ang).mean()))
    return quat.from_axis_angle(u, alpha)


def _left_direction(gpos: Array, src: dict[str, int]) -> Array:
    """Mean horizontal 'left' of the body over frames: hip line plus shoulder line (they counter-rotate in gait)."""
    lines = [("leftUpperLeg", "rightUpperLeg"), ("leftUpperArm", "rightUpperArm")]
    out = np.zeros(3)
    for lb, rb in lines:
        if lb in src and rb in src:
            v = gpos[:, src[lb]] - gpos[:, src[rb]]
            v[:, 1] = 0.0
            out += (v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9)).mean(axis=0)
    return out


def _heading_left(gpos: Array, src: dict[str, int], fps: float, lh: int, rh: int) -> Array:
    """The horizontal direction that should become +X (the avatar's left) after alignment.

    A clip that walks forward (the hip midpoint travels more than 1 m, within 60° of where the body
    faces) is aligned on its travel, so walks go straight along +Z even when the actor's pelvis and
    shoulder lines sit a few degrees off the path; anything else is aligned on its facing over the
    first second.
    """
    k = max(1, int(round(fps)))
    left = _left_direction(gpos[:k], src)
    mid = 0.5 * (gpos[:, lh] + gpos[:, rh])
    h = max(1, k // 2)
    travel = mid[-h:].mean(axis=0) - mid[:h].mean(axis=0)
    travel[1] = 0.0
    dist = float(np.linalg.norm(travel))
    facing = np.cross(left, np.array([0.0, 1.0, 0.0]))
    if dist > 1.0 and np.linalg.norm(facing) > 1e-9:
        cos = float(np.dot(travel, facing)) / (dist * float(np.linalg.norm(facing)))
        if cos > np.cos(np.radians(60.0)):
            return np.cross(np.array([0.0, 1.0, 0.0]), travel)  # left = up x forward
    return left


def _chain_target(bone: str, mapping: dict[str, str]) -> str | None:
    """The bone this chain bone points at, skipping canonical bones the source lacks (chest -> neck)."""
    nxt = _CHAIN.get(bone)
    while nxt is not None and nxt not in mapping:
        nxt = _CHAIN.get(nxt)
    return nxt


def _toeless_foot_axis(
    bvh: BvhFile, foot: int, q_rest: Array, q_up: Array, rest_t: Array, toes: str
) -> tuple[Array | None, Array | None]:
    """A foot without a toe joint (ReActIdle): its ``End Site`` is the toe end, so the source's rest foot axis
    (turned to face +Z) and the target's heel-to-toes axis, to align like any chain bone; ``(None, None)``
    when the foot has no end site. Without this a source whose rest feet point 5-6° outward (ReActIdle's do)
    reads as standing with its feet that much turned in."""
    tip = bvh.joints[foot].end_site
    if tip is None or np.linalg.norm(tip) < 1e-9:
        return None, None
    vs = quat.rotate(q_rest, quat.rotate(q_up, np.asarray(tip, dtype=np.float64)))
    vt = rest_t[hm.INDEX[toes]] - rest_t[hm.INDEX[toes.replace("Toes", "Foot")]]
    return vs, vt


def _leg_length(gpos: Array, idx: dict[str, int]) -> float:
    """Median thigh + shank length (hip-knee-ankle) over frames and sides, in the positions' units."""
    lengths = []
    for s in ("left", "right"):
        hip, knee, ankle = (gpos[:, idx[f"{s}{b}"]] for b in ("UpperLeg", "LowerLeg", "Foot"))
        lengths.append(np.linalg.norm(knee - hip, axis=-1) + np.linalg.norm(ankle - knee, axis=-1))
    return float(np.median(np.concatenate(lengths)))


#: A leading frame is a calibration pose (CMU's T-pose frame 0) when some joint leaves it faster than this
#: (m/s, relative to the hips; hand speeds peak near 5-10 m/s in fast throws, far less in our categories).
CALIBRATION_SPEED = 20.0


def _calibration_frames(gpos: Array, fps: float) -> int:
    """How many leading frames are a calibration pose: some joint jumps out of them at an impossible speed.

    Only the first 10 frames are searched (CMU's converted takes hold their T-pose for 1-3 frames, the
    hips already moving in some of them); everything up to the last such jump is calibration.
    """
    rel = gpos - gpos[:, :1]
    n = min(10, len(gpos) - 2)
    if n <= 0:
        return 0
    jumps = np.linalg.norm(rel[1 : n + 1] - rel[:n], axis=-1).max(axis=-1) * fps
    bad = np.flatnonzero(jumps > CALIBRATION_SPEED)
    return int(bad[-1]) + 1 if len(bad) else 0


def _planted(pos: Array, fps: float) -> NDArray[np.bool_]:
    """Frames where a point track ``[F, 3]`` (metres, +Y up) rests on its low level and barely moves."""
    h = pos[:, 1]
    low = float(np.percentile(h, 5))
    vel = np.gradient(pos[:, [0, 2]], axis=0) * fps
    speed = np.linalg.norm(vel, axis=-1)
    return (h < low + _PLANT_HEIGHT) & (speed < _PLANT_SPEED)


def _sole_points(skel: Skeleton, side: str, grot: Array, gpos: Array) -> Array:
    """Sole points ``[F, 3, 3]``: the heel, the ball pad (the rest ball height below the toe joint: the pad
    stays about that thick however the foot is pitched) and the toe tip."""
    heel = skel.landmark_positions(f"{side}Heel", grot, gpos)
    jt = hm.INDEX[f"{side}Toes"]
    pad = gpos[:, jt] - np.array([0.0, skel.rest_positions()[jt, 1], 0.0])
    tip = skel.landmark_positions(f"{side}ToeTip", grot, gpos)
    return np.stack([heel, pad, tip], axis=1)


def _source_planted(gpos: Array, src: dict[str, int], side: str, fps: float) -> NDArray[np.bool_]:
    """Frames ``[F]`` where the source's ankle or ball joint rests low and slow (metrics file §0 contact rule)."""
    out = _planted(gpos[:, src[f"{side}Foot"]], fps)
    if f"{side}Toes" in src:
        out |= _planted(gpos[:, src[f"{side}Toes"]], fps)
    return out


def _raise_angle(pivot: Array, point: Array, axis: Array, want_y: Array, max_angle: float) -> Array:
    """Angles ``[N]`` in ``[-max_angle, 0]`` about ``axis`` (through ``pivot``) that bring ``point`` up to ``want_y``.

    The smallest such turn in the negative sense (dorsiflexion for feet and toes, whose flexion is
    positive about +X); where the height cannot be reached, the turn that gets closest within the limit.
    """
    a = axis / np.linalg.norm(axis, axis=-1, keepdims=True)
    v = point - pivot
    w = np.cross(a, v)
    k = a[:, 1] * np.sum(a * v, axis=-1)
    big_a, big_b = v[:, 1] - k, w[:, 1]
    r = want_y - pivot[:, 1] - k
    rr = np.maximum(np.hypot(big_a, big_b), 1e-12)
    phi = np.arctan2(big_b, big_a)  # height peaks at th = phi
    delta = np.arccos(np.clip(r / rr, -1.0, 1.0))
    wrap = lambda x: (x + np.pi) % (2 * np.pi) - np.pi  # noqa: E731
    cands = np.stack([wrap(phi - delta), wrap(phi + delta)], axis=1)
    ok = (cands <= 1e-12) & (cands >= -max_angle)
    best = np.where(ok, -cands, np.inf).min(axis=1)  # smallest |th| among admissible negatives
    fallback = np.clip(wrap(phi), -max_angle, 0.0)
    return np.where(np.isfinite(best), -best, fallback)


def _roll_foot(clip: Clip, side: str) -> None:
    """Where the ball pad or the toe tip would go through the floor, dorsiflex the foot (at most 25°) and
    then the toes (at most 50°) just enough to keep them on it: a toe-off rolls over the ball and the toes
    (facts §2b, ankle and toe-off), and the target's foot is usually longer than the source's."""
    skel = clip.skeleton
    jf, jt = hm.INDEX[f"{side}Foot"], hm.INDEX[f"{side}Toes"]
    ball_h = skel.rest_positions()[jt, 1]
    x = np.array([1.0, 0.0, 0.0])
    for joint, pivot_j, max_deg in ((jf, jf, 25.0), (jt, jt, 50.0)):
        grot, gpos = clip.fk()
        if joint == jf:
            point, want = gpos[:, jt], np.full(clip.n_frames, ball_h)
        else:
            point, want = skel.landmark_positions(f"{side}ToeTip", grot, gpos), np.zeros(clip.n_frames)
        low = point[:, 1] < want
        if not low.any():
            continue
        axis = quat.rotate(grot[low, joint], x)
        th = np.zeros(clip.n_frames)
        th[low] = _raise_angle(gpos[low, pivot_j], point[low], axis, want[low], np.radians(max_deg))
        # Spread over +-90 ms (an envelope that is at least as large everywhere), so a toe-off that the
        # source does in two frames does not snap the foot: the roll starts a little earlier instead.
        th = -_envelope(-th, clip.fps, 0.03, below=False)
        # a turn about the bone's own +X, applied in its local frame
        clip.lrot[:, joint] = quat.normalize(quat.mul(clip.lrot[:, joint], quat.from_axis_angle(x, th)))


def _lift_foot(clip: Clip, side: str) -> None:
    """Raise the ankle where the foot's sole dips below the floor, by bending the knee (hip fixed, foot rotation kept).

    Needed because foot shapes differ between rigs: a toe-off that rolls over the
    source's ball can push a longer target foot into the floor. Frames without a
    dip are left exactly as they were, and the change is continuous in the depth.
    """
    skel = clip.skeleton
    grot, gpos = clip.fk()
    # At most 5 cm: a deeper dip means the rigs disagree (a straight leg would have to fold in a frame or
    # two); it is left for the penetration gate to report rather than hidden by a jerk of the knee.
    depth = np.clip(-_sole_points(skel, side, grot, gpos)[:, :, 1].min(axis=1), 0.0, MAX_LIFT)
    if not np.any(depth > 0):
        return
    depth = _envelope(depth, clip.fps, 0.02, below=False)  # >= the dip, spread over +-60 ms: no knee snap
    ju, jl, jf = (hm.INDEX[f"{side}{b}"] for b in ("UpperLeg", "LowerLeg", "Foot"))
    hip, knee, ankle = gpos[:, ju], gpos[:, jl], gpos[:, jf]
    a = float(np.linalg.norm(skel.offsets[jl]))
    b = float(np.linalg.norm(skel.offsets[jf]))
    want = ankle + depth[:, None] * np.array([0.0, 1.0, 0.0])
    c = np.linalg.norm(ankle - hip, axis=-1)
    c_new = np.minimum(np.linalg.norm(want - hip, axis=-1), a + b - 1e-6)
    # Extra flexion about the knee's own flexion axis (continuous in time even where the source knee bends
    # a little sideways; never toward hyperextension): the difference between the bend that gives the
    # shorter hip-ankle span and the bend now.
    flex_axis = quat.rotate(grot[:, jl], HINGE_AXES[f"{side}LowerLeg"])
    bend_now = np.pi - np.arccos(np.clip((a * a + b * b - c * c) / (2 * a * b), -1.0, 1.0))
    bend_new = np.pi - np.arccos(np.clip((a * a + b * b - c_new * c_new) / (2 * a * b), -1.0, 1.0))
    # A knee hyperextended in the source (signed flexion < 0) first has to come through straight to its
    # mirror bend (same span) before it can shorten the leg; that part fades in over the first 5 mm of
    # the dip, so frames without a dip stay untouched and the change stays continuous.
    thigh, shank = (knee - hip) / a, (ankle - knee) / b
    signed = np.arctan2(np.sum(np.cross(thigh, shank) * flex_axis, axis=-1), np.sum(thigh * shank, axis=-1))
    unhyper = 2.0 * np.maximum(-signed, 0.0) * np.minimum(depth / 0.005, 1.0)
    q_knee = quat.from_axis_angle(flex_axis, np.maximum(bend_new - bend_now, 0.0) + unhyper)
    moved = knee + quat.rotate(q_knee, ankle - knee)
    q_leg = quat.between(moved - hip, want - hip)
    g_upper = quat.mul(q_leg, grot[:, ju])
    g_lower = quat.mul(q_leg, quat.mul(q_knee, grot[:, jl]))
    parent = grot[:, hm.PARENTS[ju]]
    clip.lrot[:, ju] = quat.normalize(quat.mul(quat.conj(parent), g_upper))
    clip.lrot[:, jl] = quat.normalize(quat.mul(quat.conj(g_upper), g_lower))
    clip.lrot[:, jf] = quat.normalize(quat.mul(quat.conj(g_lower), grot[:, jf]))


def _smooth(x: Array, fps: float, sigma_s: float) -> Array:
    """Gaussian smoothing of ``x [F, ...]`` along time, edges held (``sigma_s`` seconds)."""
    sigma = sigma_s * fps
    if sigma < 0.5 or len(x) < 3:
        return x
    r = int(np.ceil(3 * sigma))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    flat = x.reshape(len(x), -1)
    padded = np.concatenate([np.repeat(flat[:1], r, axis=0), flat, np.repeat(flat[-1:], r, axis=0)])
    out = np.stack([np.convolve(padded[:, c], k, mode="valid") for c in range(flat.shape[1])], axis=1)
    return out.reshape(x.shape)


def _envelope(x: Array, fps: float, sigma_s: float, below: bool) -> Array:
    """A smooth track that stays >= ``x [F]`` (``below=False``) or <= it (``below=True``) everywhere.

    A running maximum (minimum) over +-3 sigma, then a Gaussian of that sigma: every sample of the
    Gaussian's support covers the frame itself, so the bound holds exactly.
    """
    sigma = sigma_s * fps
    if sigma < 0.5 or len(x) < 3:
        return x
    r = int(np.ceil(3 * sigma))
    pad = np.concatenate([np.repeat(x[:1], r), x, np.repeat(x[-1:], r)])
    win = np.lib.stride_tricks.sliding_window_view(pad, 2 * r + 1)
    return _smooth(win.min(axis=1) if below else win.max(axis=1), fps, sigma_s)


def _smooth_rotations(q: Array, fps: float, sigma_s: float) -> Array:
    """Gaussian-smoothed rotation track ``[F, 4]`` (hemisphere-aligned components, renormalised)."""
    return quat.normalize(_smooth(quat.continuous(q, axis=0), fps, sigma_s))


@np.errstate(
    over="ignore", invalid="ignore", divide="ignore"
)  # absurd input overflows quietly and is refused by the finite check
def retarget(
    bvh: BvhFile,
    skeleton: Skeleton | None = None,
    *,
    units: str = "auto",
    up: str = "auto",
    align: bool = True,
) -> Retargeted:
    """Retarget a parsed BVH file onto ``skeleton`` (default: the built-in 1.65 m avatar).

    ``units`` is ``"auto"`` or a key of :data:`~posers_blender.io.bvh_read.UNIT_SCALES`;
    ``up`` is ``"auto"`` or an axis such as ``"Y"``, ``"Z"``. With ``align`` the
    clip is turned to face +Z, starts at x = z = 0 with its floor at y = 0 and
    its planted feet flat; without it the file's placement is kept (only units
    and the up axis are converted), which is what a round trip of our own
    export needs.
    """
    skel = skeleton or default_avatar()
    if bvh.n_frames < MIN_FRAMES:
        raise BvhError(
            f"'{bvh.path}' has {bvh.n_frames} frame; retargeting needs at least {MIN_FRAMES} (a motion, not a pose)"
        )
    if units != "auto" and units not in UNIT_SCALES:
        raise BvhError(f"units '{units}' unknown: use auto or one of {', '.join(UNIT_SCALES)}")
    if up != "auto" and re.fullmatch(r"[+-]?[XYZ]", up.upper()) is None:
        raise BvhError(f"up axis '{up}' unknown: use auto or one of X, Y, Z, -X, -Y, -Z")
    mapping, family = hm.map_bone_names(bvh.names)
    missing = [b for b in _NEEDED if b not in mapping]
    if missing:
        raise BvhError(
            f"'{bvh.path}': cannot find the humanoid bones {', '.join(missing)} among its joints "
            f"({', '.join(bvh.names[:8])}...); supported namings: VRM, CMU, Bandai Namco, Mixamo, VRoid, Rigify"
        )
    # A finger is carried over only with all its phalanges (CMU's single 'finger' and thumb stubs are not
    # a hand: their rotations would twist one target finger and leave the rest straight).
    for side in ("left", "right"):
        for finger, segs in (("Thumb", ("Metacarpal", "Proximal", "Distal")),) + tuple(
            (f, ("Proximal", "Intermediate", "Distal")) for f in ("Index", "Middle", "Ring", "Little")
        ):
            names = [f"{side}{finger}{seg}" for seg in segs]
            if not all(name in mapping for name in names):
                for name in names:
                    mapping.pop(name, None)
    src = {canon: bvh.index(name) for canon, name in mapping.items()}
    warnings: list[str] = []
    fps = bvh.fps
    grot, gpos = bvh.fk()

    # -- units and up axis ------------------------------------------------------
    leg = _leg_length(gpos, src)
    if not leg > 0.0:
        raise BvhError(f"'{bvh.path}': the legs have no length (thigh + shank is {leg:g} file units)")
    unit = guess_units(leg) if units == "auto" else units
    scale = UNIT_SCALES[unit]
    up_axis = guess_up_axis(gpos, src["head"], [src["leftFoot"], src["rightFoot"]]) if up == "auto" else up
    q_up = up_rotation(up_axis)
    grot = quat.mul(q_up, grot)
    gpos = quat.rotate(q_up, gpos) * scale
    if align:
        k = _calibration_frames(gpos, fps)
        if k:
            bvh = replace(bvh, motion=bvh.motion[k:], columns=list(bvh.columns))
            grot, gpos = grot[k:], gpos[k:]
            warnings.append(
                f"dropped {k} leading calibration frame{'s' if k > 1 else ''} (a pose the next frame leaves)"
            )
    leg_m = leg * scale

    # -- facing +Z over the first second -------------------------------------------
    lh, rh = src["leftUpperLeg"], src["rightUpperLeg"]
    if align:
        q_yaw = _yaw_to_forward(_heading_left(gpos, src, fps, lh, rh))
        grot = quat.mul(q_yaw, grot)
        gpos = quat.rotate(q_yaw, gpos)

    # -- reference pose of each mapped source bone ---------------------------------
    rest_t = skel.rest_positions()
    table = REFERENCE_AXES.get(family or "")
    ref: dict[str, Array] = {}
    if table is not None:
        for canon in mapping:
            if canon in table:
                ref[canon] = _axes_quat(*table[canon])
            else:
                warnings.append(f"no reference axes for '{canon}' in family '{family}'; its rotation is ignored")
    else:
        rest_s = quat.rotate(q_up, bvh.rest_positions())
        q_rest = _yaw_to_forward(rest_s[lh] - rest_s[rh])
        rest_s = quat.rotate(q_rest, rest_s)
        worst = 0.0
        for canon in mapping:
            r = quat.mul(q_rest, q_up)  # the file's rest frames (identity in its own axes), turned to face +Z
            d = _chain_target(canon, mapping)
            vs = vt = None
            if d is None and canon.endswith("Foot"):
                toes = canon.replace("Foot", "Toes")
                if toes in mapping:
                    d = toes
                else:
                    vs, vt = _toeless_foot_axis(bvh, src[canon], q_rest, q_up, rest_t, toes)
            if d is not None:
                vs = rest_s[src[d]] - rest_s[src[canon]]
                vt = rest_t[hm.INDEX[d]] - rest_t[hm.INDEX[canon]]
            if vs is not None and vt is not None:
                if np.linalg.norm(vs) > 1e-9 and np.linalg.norm(vt) > 1e-9:
                    fix = quat.between(vs, vt)
                    worst = max(worst, float(np.degrees(quat.angle_between(fix, quat.identity()))))
                    r = quat.mul(fix, r)
            ref[canon] = r
        if worst > TPOSE_TOLERANCE_DEG:
            warnings.append(
                f"the rest pose is not a T-pose (a bone is {worst:.0f}° off) and family "
                f"'{family}' has no reference table: twists are guessed"
            )

    # -- feet flat when planted -----------------------------------------------------
    n = bvh.n_frames
    if align:
        for s in ("left", "right"):
            foot, toes = f"{s}Foot", f"{s}Toes"
            ball = src[toes] if toes in src else src[foot]
            planted = _planted(gpos[:, ball], fps)
            if planted.sum() < 3:
                warnings.append(f"no planted frames for the {s} foot: its reference is not calibrated")
                continue
            d_plant = quat.mul(grot[planted, src[foot]], quat.conj(ref[foot]))
            swing, _twist = quat.swing_twist(quat.conj(d_plant), np.array([0.0, 1.0, 0.0]))
            tilt = _mean_quat(quat.conj(swing))  # d = yaw * tilt
            ref[foot] = quat.mul(tilt, ref[foot])
            if toes in src:
                d_foot = quat.mul(grot[planted, src[foot]], quat.conj(ref[foot]))
                local = quat.mul(quat.conj(d_foot), quat.mul(grot[planted, src[toes]], quat.conj(ref[toes])))
                ref[toes] = quat.mul(_mean_quat(local), ref[toes])

    # -- bones: frame transfer, then chain directions --------------------------------
    nb = len(hm.BONES)
    g_t = np.empty((n, nb, 4))
    lrot = np.empty((n, nb, 4))
    for j, bone in enumerate(hm.BONES):
        p = hm.PARENTS[j]
        parent_g = g_t[:, p] if p >= 0 else quat.identity((n,))
        if bone in src:
            g = quat.mul(grot[:, src[bone]], quat.conj(ref[bone]))
            d = _chain_target(bone, mapping)
            if d is not None:
                vs = gpos[:, src[d]] - gpos[:, src[bone]]
                vt0 = rest_t[hm.INDEX[d]] - rest_t[j]
                ok = np.linalg.norm(vs, axis=-1) > 1e-6
                if np.linalg.norm(vt0) > 1e-9 and ok.all():
                    g = quat.mul(quat.between(quat.rotate(g, vt0), vs), g)
            if align and bone in _HINGE_UPPER:
                g = quat.mul(g, _hinge_twist(bone, g, gpos, src, rest_t))
            g = quat.normalize(g)
        else:
            g = parent_g
        g_t[:, j] = g
        lrot[:, j] = quat.normalize(quat.mul(quat.conj(parent_g), g))

    if align:
        # Mocap toe channels can let go at toe-off within a frame (the BNR walks: 30° in 33 ms, ~900°/s);
        # a 40 ms Gaussian keeps the roll and drops the snap. Nothing hangs below the toes.
        for s in ("left", "right"):
            if f"{s}Toes" in src:
                j = hm.INDEX[f"{s}Toes"]
                lrot[:, j] = _smooth_rotations(lrot[:, j], fps, 0.04)

    # -- root: the hip-joint midpoint follows the source's, scaled by the leg-length ratio --------
    leg_t = _leg_length(skel.rest_positions()[None], hm.INDEX)
    ratio = leg_t / leg_m
    mid_s = 0.5 * (gpos[:, lh] + gpos[:, rh])
    mid_t = 0.5 * (rest_t[hm.INDEX["leftUpperLeg"]] + rest_t[hm.INDEX["rightUpperLeg"]]) - rest_t[0]
    hips = ratio * mid_s - quat.rotate(g_t[:, 0], mid_t)
    clip = Clip(fps=float(fps), lrot=lrot, hips_pos=hips, skeleton=skel)
    if align:
        hips[:, [0, 2]] -= hips[0, [0, 2]]
        # Ground every foot the source has planted: per frame the body is lowered (or raised) until the
        # *highest* planted foot touches the floor, then any planted foot that would go through is lifted
        # by bending its knee. Foot shapes differ between rigs (ankle and ball heights, foot length), so a
        # foot that is flat or rolling in the source is not exactly on the floor in the target; this keeps
        # the contacts of the source without raising the body on a rolling rear foot at toe-off.
        plants = np.stack([_source_planted(gpos, src, s, fps) for s in ("left", "right")], axis=1)
        grot_t, gpos_t = clip.fk()
        low = np.stack([_sole_points(skel, s, grot_t, gpos_t)[:, :, 1].min(axis=1) for s in ("left", "right")], axis=1)
        c = np.where(plants, low, -np.inf).max(axis=1)
        known = np.isfinite(c)
        if known.any():
            idx = np.arange(n)
            c = np.interp(idx, idx[known], c[known])  # frames with no planted foot: bridge linearly
        else:
            c = np.full(n, float(np.median(low.min(axis=1))))
        # The file's own floor (ReActIdle stands at y = -0.72 m) is taken out whole; what is left per frame
        # is the rig difference, at most 5 cm either way.
        base = float(np.median(c))
        hips[:, 1] -= base + _smooth(np.clip(c - base, -0.05, 0.05), fps, 0.04)
        for s in ("left", "right"):
            _roll_foot(clip, s)
            _lift_foot(clip, s)
            # The roll above can add its own snap to the toes (within the +-90 ms of its envelope); the same
            # 40 ms Gaussian over the rolled toes keeps the roll and drops the snap (BNR walks' toes
            # 676-699 -> 564-578°/s, Xia's 2129 -> 1404°/s; the toe tip then dips <= 2.4 mm).
            if f"{s}Toes" in src:
                j = hm.INDEX[f"{s}Toes"]
                clip.lrot[:, j] = _smooth_rotations(clip.lrot[:, j], fps, 0.04)
    clip.lrot = quat.continuous(quat.normalize(clip.lrot), axis=0)
    if not (np.isfinite(clip.lrot).all() and np.isfinite(clip.hips_pos).all()):
        raise BvhError(
            f"'{bvh.path}': retargeting gave non-finite values (a degenerate skeleton or absurd numbers in the file)"
        )
    source_height = leg_m / 0.491  # facts §10: hip 0.530 H - ankle 0.039 H
    clip.meta = {
        "motion": f"mocap:{Path(bvh.path).stem}",
        "source": Path(bvh.path).name,
        "family": family or "vrm",
        "units": unit,
        "up": up_axis,
        "fps": float(fps),
        "duration": clip.duration,
        "skeleton": skel.name,
        "source_height_m": round(source_height, 3),
        "leg_ratio": round(ratio, 4),
        "warnings": warnings,
    }
    return Retargeted(clip, family, mapping, unit, up_axis, source_height, ratio, warnings)


def resample(clip: Clip, fps: float) -> Clip:
    """The clip at another frame rate: rotations slerped, hips and face channels linearly interpolated."""
    if abs(fps - clip.fps) < 1e-9:
        return clip
    n = max(1, int(np.floor((clip.n_frames - 1) * fps / clip.fps)) + 1)
    u = np.arange(n) * clip.fps / fps
    i0 = np.clip(np.floor(u).astype(np.int64), 0, clip.n_frames - 1)
    i1 = np.minimum(i0 + 1, clip.n_frames - 1)
    w = (u - i0)[:, None]
    lrot = quat.slerp(clip.lrot[i0], clip.lrot[i1], w)
    hips = clip.hips_pos[i0] * (1 - w) + clip.hips_pos[i1] * w
    expr = {k: v[i0] * (1 - w[:, 0]) + v[i1] * w[:, 0] for k, v in clip.expressions.items()}
    gaze = None
    if clip.gaze is not None:
        gz = clip.gaze[i0] * (1 - w) + clip.gaze[i1] * w
        gaze = gz / np.maximum(np.linalg.norm(gz, axis=-1, keepdims=True), 1e-9)
    meta: dict[str, Any] = dict(clip.meta, fps=float(fps))
    return Clip(
        fps=float(fps),
        lrot=quat.continuous(lrot, axis=0),
        hips_pos=hips,
        skeleton=clip.skeleton,
        expressions=expr,
        gaze=gaze,
        markers=list(clip.markers),
        meta=meta,
    )


def load_bvh_clip(
    path: str | Path,
    skeleton: Skeleton | None = None,
    *,
    fps: float | None = None,
    units: str = "auto",
    up: str = "auto",
    align: bool = True,
) -> Clip:
    """Read a BVH file and retarget it onto ``skeleton`` (default: the built-in avatar) as a :class:`Clip`.

    ``fps`` resamples the result (default: keep the file's rate). See :func:`retarget`
    for ``units``, ``up`` and ``align``; ``clip.meta`` records what was detected.
    """
    res = retarget(read_bvh(path), skeleton, units=units, up=up, align=align)
    return res.clip if fps is None else resample(res.clip, fps)
