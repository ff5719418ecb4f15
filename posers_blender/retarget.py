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
   which needs no rest pose); then (``align``) the clip is turned to face +Z
   over its first second, its start is moved to x = z = 0, and the floor is
   put at y = 0 under the lowest foot points.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from . import humanoid as hm
from .engine import quat
from .engine.clip import Clip
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


def _leg_length(gpos: Array, idx: dict[str, int]) -> float:
    """Median thigh + shank length (hip-knee-ankle) over frames and sides, in the positions' units."""
    lengths = []
    for s in ("left", "right"):
        hip, knee, ankle = (gpos[:, idx[f"{s}{b}"]] for b in ("UpperLeg", "LowerLeg", "Foot"))
        lengths.append(np.linalg.norm(knee - hip, axis=-1) + np.linalg.norm(ankle - knee, axis=-1))
    return float(np.median(np.concatenate(lengths)))


def _planted(pos: Array, fps: float) -> NDArray[np.bool_]:
    """Frames where a point track ``[F, 3]`` (metres, +Y up) rests on its low level and barely moves."""
    h = pos[:, 1]
    low = float(np.percentile(h, 5))
    vel = np.gradient(pos[:, [0, 2]], axis=0) * fps
    speed = np.linalg.norm(vel, axis=-1)
    return (h < low + _PLANT_HEIGHT) & (speed < _PLANT_SPEED)


def _sole_points(skel: Skeleton, side: str, grot: Array, gpos: Array) -> Array:
    """Heel and ball-pad points ``[F, 2, 3]``: the heel landmark, and the point the rest ball height below the
    toe joint (the pad under the ball stays about that thick however the foot is pitched)."""
    heel = skel.landmark_positions(f"{side}Heel", grot, gpos)
    jt = hm.INDEX[f"{side}Toes"]
    pad = gpos[:, jt] - np.array([0.0, skel.rest_positions()[jt, 1], 0.0])
    return np.stack([heel, pad], axis=1)


def _lift_foot(clip: Clip, side: str) -> None:
    """Raise the ankle where the foot's sole dips below the floor, by bending the knee (hip fixed, foot rotation kept).

    Needed because foot shapes differ between rigs: a toe-off that rolls over the
    source's ball can push a longer target foot into the floor. Frames without a
    dip are left exactly as they were, and the change is continuous in the depth.
    """
    skel = clip.skeleton
    grot, gpos = clip.fk()
    depth = np.maximum(0.0, -_sole_points(skel, side, grot, gpos)[:, :, 1].min(axis=1))
    if not np.any(depth > 0):
        return
    ju, jl, jf = (hm.INDEX[f"{side}{b}"] for b in ("UpperLeg", "LowerLeg", "Foot"))
    hip, knee, ankle = gpos[:, ju], gpos[:, jl], gpos[:, jf]
    a = float(np.linalg.norm(skel.offsets[jl]))
    b = float(np.linalg.norm(skel.offsets[jf]))
    want = ankle + depth[:, None] * np.array([0.0, 1.0, 0.0])
    c = np.linalg.norm(ankle - hip, axis=-1)
    c_new = np.minimum(np.linalg.norm(want - hip, axis=-1), a + b - 1e-6)
    gamma = np.arccos(np.clip((a * a + b * b - c * c) / (2 * a * b), -1.0, 1.0))
    gamma_new = np.arccos(np.clip((a * a + b * b - c_new * c_new) / (2 * a * b), -1.0, 1.0))
    hinge = np.cross(knee - hip, ankle - knee)
    straight = np.linalg.norm(hinge, axis=-1) < 1e-6
    hinge = np.where(straight[:, None], quat.rotate(grot[:, jl], np.array([1.0, 0.0, 0.0])), hinge)
    q_knee = quat.from_axis_angle(hinge, gamma - gamma_new)  # positive about thigh x shank bends more
    moved = knee + quat.rotate(q_knee, ankle - knee)
    q_leg = quat.between(moved - hip, want - hip)
    g_upper = quat.mul(q_leg, grot[:, ju])
    g_lower = quat.mul(q_leg, quat.mul(q_knee, grot[:, jl]))
    parent = grot[:, hm.PARENTS[ju]]
    clip.lrot[:, ju] = quat.normalize(quat.mul(quat.conj(parent), g_upper))
    clip.lrot[:, jl] = quat.normalize(quat.mul(quat.conj(g_upper), g_lower))
    clip.lrot[:, jf] = quat.normalize(quat.mul(quat.conj(g_lower), grot[:, jf]))


def _bend_toes(clip: Clip, side: str) -> None:
    """Bend the toes up about their hinge where the toe tip would go below the floor (toe-off roll)."""
    skel = clip.skeleton
    tip_name = f"{side}ToeTip"
    jt = hm.INDEX[f"{side}Toes"]
    if tip_name not in skel.landmarks or skel.landmarks[tip_name].bone != f"{side}Toes":
        return
    grot, gpos = clip.fk()
    tip = skel.landmark_positions(tip_name, grot, gpos)
    low = tip[:, 1] < 0.0
    if not low.any():
        return
    g, p, t = grot[low, jt], gpos[low, jt], tip[low]
    axis = quat.rotate(g, np.array([1.0, 0.0, 0.0]))
    v = t - p
    w = np.cross(axis, v)
    # With a near-horizontal hinge, the tip height after turning by th is p_y + v_y cos th + w_y sin th.
    r = np.maximum(np.hypot(v[:, 1], w[:, 1]), 1e-9)
    phi = np.arctan2(w[:, 1], v[:, 1])
    delta = np.arccos(np.clip(-p[:, 1] / r, -1.0, 1.0))
    cands = np.stack([phi - delta, phi + delta], axis=1)
    cands = (cands + np.pi) % (2 * np.pi) - np.pi
    th = np.take_along_axis(cands, np.argmin(np.abs(cands), axis=1)[:, None], axis=1)[:, 0]
    q = quat.from_axis_angle(axis, th)
    parent = grot[low, hm.PARENTS[jt]]
    clip.lrot[low, jt] = quat.normalize(quat.mul(quat.conj(parent), quat.mul(q, g)))


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
    mapping, family = hm.map_bone_names(bvh.names)
    missing = [b for b in _NEEDED if b not in mapping]
    if missing:
        raise BvhError(
            f"'{bvh.path}': cannot find the humanoid bones {', '.join(missing)} among its joints "
            f"({', '.join(bvh.names[:8])}...); supported namings: VRM, CMU, Bandai Namco, Mixamo, VRoid, Rigify"
        )
    src = {canon: bvh.index(name) for canon, name in mapping.items()}
    warnings: list[str] = []
    fps = bvh.fps
    grot, gpos = bvh.fk()

    # -- units and up axis ------------------------------------------------------
    leg = _leg_length(gpos, src)
    unit = guess_units(leg) if units == "auto" else units
    if unit not in UNIT_SCALES:
        raise BvhError(f"units '{units}' unknown: use auto or one of {', '.join(UNIT_SCALES)}")
    scale = UNIT_SCALES[unit]
    up_axis = guess_up_axis(gpos, src["head"], [src["leftFoot"], src["rightFoot"]]) if up == "auto" else up
    q_up = up_rotation(up_axis)
    grot = quat.mul(q_up, grot)
    gpos = quat.rotate(q_up, gpos) * scale
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
            if d is None and canon.endswith("Foot") and canon.replace("Foot", "Toes") in mapping:
                d = canon.replace("Foot", "Toes")
            if d is not None:
                vs = rest_s[src[d]] - rest_s[src[canon]]
                vt = rest_t[hm.INDEX[d]] - rest_t[hm.INDEX[canon]]
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
            g = quat.normalize(g)
        else:
            g = parent_g
        g_t[:, j] = g
        lrot[:, j] = quat.normalize(quat.mul(quat.conj(parent_g), g))

    # -- root: the hip-joint midpoint follows the source's, scaled by the leg-length ratio --------
    leg_t = _leg_length(skel.rest_positions()[None], hm.INDEX)
    ratio = leg_t / leg_m
    mid_s = 0.5 * (gpos[:, lh] + gpos[:, rh])
    mid_t = 0.5 * (rest_t[hm.INDEX["leftUpperLeg"]] + rest_t[hm.INDEX["rightUpperLeg"]]) - rest_t[0]
    hips = ratio * mid_s - quat.rotate(g_t[:, 0], mid_t)
    clip = Clip(fps=float(fps), lrot=lrot, hips_pos=hips, skeleton=skel)
    if align:
        hips[:, [0, 2]] -= hips[0, [0, 2]]
        grot_t, gpos_t = clip.fk()
        soles = [_sole_points(skel, s, grot_t, gpos_t)[:, :, 1].min(axis=1) for s in ("left", "right")]
        # The floor is where the lower foot rests most of the time (flat stance), not the deepest dip.
        hips[:, 1] -= float(np.median(np.minimum(*soles)))
        for s in ("left", "right"):
            _lift_foot(clip, s)
            _bend_toes(clip, s)
    clip.lrot = quat.continuous(quat.normalize(clip.lrot), axis=0)
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
