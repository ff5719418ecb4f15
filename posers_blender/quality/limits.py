"""Joint limits as anatomical angles, and joint angular speeds.

Ranges: ``human_motion_facts.md`` §8 (table and rules), pinned in
:data:`posers_blender.quality.bands.JOINT_LIMITS`; speed caps: metrics §9 A8.

The rest pose is the VRM T-pose with identity rest rotations, so a local
rotation is the joint's rotation away from the T-pose. Anatomical neutral
differs from the T-pose only at the shoulder (the arm hangs in neutral), so:

- **Shoulder** (``shoulder * upperArm`` = humerus relative to the upper chest,
  i.e. the whole shoulder complex): the humerus direction ``d`` in the trunk
  frame gives ``elevation`` (angle from hanging straight down; info only),
  ``behind`` = asin(-d_z), how far the arm points behind the frontal plane
  (extension 50-60 / horizontal abduction 40-55 -> 60), and ``across`` =
  asin(-s d_x), how far it crosses the body's midline (cross-body adduction
  30-50 -> 50). ``rotation`` (internal +) is the twist about the humerus axis
  of the rotation relative to the neutral hanging arm (the T-pose arm swung
  down about the trunk's Z axis, forearm then flexing forward), by a
  swing-twist split; it is undefined near straight overhead and skipped above
  ``SHOULDER_ROTATION_MAX_ELEVATION_DEG``.
- **Elbow, knee**: flexion = component of the swing (twist about the bone
  removed) about the hinge axis of :data:`~posers_blender.engine.program.HINGE_AXES`;
  negative = hyperextension; ``offaxis`` = the rest of the swing (reported,
  not limited: facts §8 has no bound for it and retargeted mocap elbows show
  up to ~36° from rest-pose differences).
- **Forearm rotation** = twist of the lower arm plus twist of the hand about
  their bone axes (the wrist cannot twist; T-pose palms down = mid-prone).
- **Wrist, fingers**: swing components of the bone's rotation with the twist
  removed; flexion bends toward the palm (palms face -Y in the T-pose),
  radial deviation toward the thumb (+Z). For the wrist the twist is taken
  as proximal (``hand = twist * swing``): rigs often store forearm rotation
  on the hand bone, and the wrist then bends about the turned axes.
- **Spine** (``spine``, ``chest``, ``upperChest``, each bone alone): ``bend`` =
  swing angle away from upright, ``twist`` = axial rotation about +Y.
  **Cervical** = ``neck * head``: flexion (+, chin down), lateral, rotation.
- **Hip**: flexion (+, thigh forward), abduction (+, away from the midline),
  rotation (internal +, twist about +Y). **Ankle**: plantarflexion (+),
  inversion (+). **Toes**: flexion (+).

Angles of the swing are the components of its rotation vector (exponential
map), a standard and continuous parameterisation for swing limits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine import quat
from ..engine.clip import Clip
from ..engine.program import HINGE_AXES
from . import bands
from .kinematics import kinematics

Array = NDArray[np.float64]

Y_UP = np.array([0.0, 1.0, 0.0])
_FINGERS = ("Index", "Middle", "Ring", "Little")


@dataclass(frozen=True)
class AngleTrack:
    """One anatomical angle over the clip: ``name`` (``leftKnee.flexion``), its limit key and degrees ``[F]``."""

    name: str
    limit: str | None
    degrees: Array


def _unit(v: Array) -> Array:
    n = float(np.linalg.norm(v))
    return v / n if n > 1e-9 else v


def _bone_axis(clip: Clip, bone: str, child: str | None = None) -> Array:
    """Rest direction of a bone: toward ``child`` (or its first present child), else from its parent."""
    sk = clip.skeleton
    kids = [child] if child else [c for c in hm.children(bone) if sk.has(c)]
    for c in kids:
        off = sk.offsets[hm.INDEX[c]]
        if np.linalg.norm(off) > 1e-6:
            return _unit(off)
    off = sk.offsets[hm.INDEX[bone]]
    return _unit(off) if np.linalg.norm(off) > 1e-6 else np.array([hm.side_sign(bone) or 1.0, 0.0, 0.0])


def _swing_vec(q: Array, axis: Array) -> tuple[Array, Array]:
    """(swing rotation vector [F, 3] in degrees, twist angle [F] in degrees) of ``q`` about ``axis``."""
    swing, _ = quat.swing_twist(q, axis)
    tw = quat.twist_angle(q, axis)
    return np.degrees(quat.to_scaled_axis(swing)), np.degrees(tw)


def _twist_swing_vec(q: Array, axis: Array) -> tuple[Array, Array]:
    """Like :func:`_swing_vec` but for ``q = twist * swing``: the twist is proximal (applied first in the
    parent frame) and the swing happens in the twisted frame, as for a hand whose bone also carries the
    forearm's rotation (the radius turns, then the wrist bends about the turned axes)."""
    _, twist = quat.swing_twist(q, axis)
    swing = quat.mul(quat.conj(twist), q)
    return np.degrees(quat.to_scaled_axis(swing)), np.degrees(quat.twist_angle(q, axis))


def _perp(v: Array, axis: Array) -> Array:
    return _unit(v - np.dot(v, axis) * axis)


def _hinge(clip: Clip, out: list[AngleTrack], bone: str, child: str, joint: str, limit: str) -> Array:
    """Append ``<joint>.flexion`` (swing about the hinge axis) and ``<joint>.offaxis`` of a hinge bone; return
    the bone's twist about its own axis (degrees ``[F]``)."""
    axis = _bone_axis(clip, bone, child)
    hinge = _perp(HINGE_AXES[bone], axis)
    rv, tw = _swing_vec(clip.lrot[:, hm.INDEX[bone]], axis)
    flex = rv @ hinge
    out.append(AngleTrack(f"{joint}.flexion", limit, flex))
    out.append(AngleTrack(f"{joint}.offaxis", None, np.linalg.norm(rv - flex[:, None] * hinge, axis=1)))
    return tw


def anatomical_angles(clip: Clip) -> list[AngleTrack]:
    """All anatomical angles the limits table covers (degrees; conventions in the module docstring). Cached per clip."""
    kin = kinematics(clip)
    cached = kin.cache.get("anatomical_angles")
    if cached is None:
        cached = kin.cache["anatomical_angles"] = _anatomical_angles(clip)
    return list(cached)


def _anatomical_angles(clip: Clip) -> list[AngleTrack]:
    sk = clip.skeleton
    L = clip.lrot

    def q(b: str) -> Array:
        return L[:, hm.INDEX[b]]

    out: list[AngleTrack] = []
    # spine, per bone
    for b in ("spine", "chest", "upperChest"):
        rv, tw = _swing_vec(q(b), Y_UP)
        out.append(AngleTrack(f"{b}.bend", f"{b}.bend", np.linalg.norm(rv, axis=1)))
        out.append(AngleTrack(f"{b}.twist", f"{b}.twist", tw))
    # cervical spine as a whole
    rv, tw = _swing_vec(quat.mul(q("neck"), q("head")), Y_UP)
    out.append(AngleTrack("cervical.flexion", "cervical.flexion", rv[:, 0]))
    out.append(AngleTrack("cervical.lateral", "cervical.lateral", rv[:, 2]))
    out.append(AngleTrack("cervical.rotation", "cervical.rotation", tw))

    for side in ("left", "right"):
        s = 1.0 if side == "left" else -1.0
        # shoulder complex
        qh = quat.mul(q(f"{side}Shoulder"), q(f"{side}UpperArm"))
        arm_dir = _bone_axis(clip, f"{side}UpperArm", f"{side}LowerArm")
        d = quat.rotate(qh, arm_dir)
        elevation = np.degrees(np.arccos(np.clip(-d[:, 1], -1.0, 1.0)))
        out.append(AngleTrack(f"{side}Shoulder.elevation", None, elevation))
        out.append(
            AngleTrack(f"{side}Shoulder.behind", "shoulder.behind", np.degrees(np.arcsin(np.clip(-d[:, 2], -1, 1))))
        )
        out.append(
            AngleTrack(f"{side}Shoulder.across", "shoulder.across", np.degrees(np.arcsin(np.clip(-s * d[:, 0], -1, 1))))
        )
        neutral = quat.between(arm_dir, -Y_UP)
        rel = quat.mul(quat.conj(neutral), qh)
        rot = s * np.degrees(quat.twist_angle(rel, arm_dir))
        rot = np.where(elevation <= bands.SHOULDER_ROTATION_MAX_ELEVATION_DEG, rot, np.nan)
        out.append(AngleTrack(f"{side}Shoulder.rotation", "shoulder.rotation", rot))
        # elbow and forearm
        tw_fore = _hinge(clip, out, f"{side}LowerArm", f"{side}Hand", f"{side}Elbow", "elbow.flexion")
        hand_dir = _bone_axis(clip, f"{side}Hand", f"{side}MiddleProximal" if sk.has(f"{side}MiddleProximal") else None)
        rv, tw_hand = _twist_swing_vec(q(f"{side}Hand"), hand_dir)
        fr = (tw_fore + tw_hand + 180.0) % 360.0 - 180.0
        out.append(AngleTrack(f"{side}Forearm.rotation", "forearm.rotation", fr))
        out.append(AngleTrack(f"{side}Wrist.flexion", "wrist.flexion", -s * rv[:, 2]))
        out.append(AngleTrack(f"{side}Wrist.deviation", "wrist.deviation", -s * rv[:, 1]))
        # fingers 2-5
        for f in _FINGERS:
            for ph, key in (("Proximal", "mcp"), ("Intermediate", "pip"), ("Distal", "dip")):
                b = f"{side}{f}{ph}"
                if not sk.has(b):
                    continue
                ax = _bone_axis(clip, b) if ph != "Distal" else _bone_axis(clip, f"{side}{f}Intermediate", b)
                rv, _ = _swing_vec(q(b), ax)
                out.append(AngleTrack(f"{b}.flexion", f"finger.{key}.flexion", -s * rv[:, 2]))
                if key == "mcp":
                    out.append(AngleTrack(f"{b}.abduction", "finger.mcp.abduction", rv[:, 1]))
        # thumb
        if sk.has(f"{side}ThumbMetacarpal"):
            rv, _ = _swing_vec(q(f"{side}ThumbMetacarpal"), _bone_axis(clip, f"{side}ThumbMetacarpal"))
            out.append(AngleTrack(f"{side}ThumbMetacarpal.swing", "thumb.cmc.swing", np.linalg.norm(rv, axis=1)))
        for ph, key in (("Proximal", "thumb.mcp.flexion"), ("Distal", "thumb.ip.flexion")):
            b = f"{side}Thumb{ph}"
            if not sk.has(b):
                continue
            ax = _bone_axis(clip, b) if ph != "Distal" else _bone_axis(clip, f"{side}ThumbProximal", b)
            k = _unit(np.cross(ax, -Y_UP))
            rv, _ = _swing_vec(q(b), ax)
            out.append(AngleTrack(f"{b}.flexion", key, rv @ k))
        # hip
        rv, tw = _swing_vec(q(f"{side}UpperLeg"), Y_UP)
        out.append(AngleTrack(f"{side}Hip.flexion", "hip.flexion", -rv[:, 0]))
        out.append(AngleTrack(f"{side}Hip.abduction", "hip.abduction", s * rv[:, 2]))
        out.append(AngleTrack(f"{side}Hip.rotation", "hip.rotation", -s * tw))
        # knee
        _hinge(clip, out, f"{side}LowerLeg", f"{side}Foot", f"{side}Knee", "knee.flexion")
        # ankle and toes
        rv = np.degrees(quat.to_scaled_axis(q(f"{side}Foot")))
        out.append(AngleTrack(f"{side}Ankle.plantarflexion", "ankle.plantarflexion", rv[:, 0]))
        out.append(AngleTrack(f"{side}Ankle.inversion", "ankle.inversion", -s * rv[:, 2]))
        if sk.has(f"{side}Toes"):
            rv = np.degrees(quat.to_scaled_axis(q(f"{side}Toes")))
            out.append(AngleTrack(f"{side}Toes.flexion", "toes.flexion", rv[:, 0]))
    return out


def angle(clip: Clip, name: str) -> Array:
    """One anatomical angle track by name (``leftElbow.flexion``), degrees ``[F]``."""
    for a in anatomical_angles(clip):
        if a.name == name:
            return a.degrees
    raise KeyError(f"no anatomical angle '{name}'")


@dataclass(frozen=True)
class LimitViolations:
    """Joint-limit summary: frames with any excess, the worst excess (degrees) and where it happened."""

    frames: int
    worst_excess: float
    worst_angle: str
    worst_frame: int
    worst_value: float
    by_angle: dict[str, float]  # worst excess per angle name (only violating ones)


def limit_violations(clip: Clip, tolerance: float = bands.LIMIT_TOLERANCE_DEG) -> LimitViolations:
    """Frames outside facts §8 ranges + ``tolerance`` degrees (metrics §9 A5), and the worst excess in degrees."""
    n = clip.n_frames
    bad = np.zeros(n, dtype=bool)
    worst = (0.0, "", -1, float("nan"))
    by: dict[str, float] = {}
    for a in anatomical_angles(clip):
        if a.limit is None:
            continue
        lo, hi, _src = bands.JOINT_LIMITS[a.limit]
        v = np.nan_to_num(a.degrees, nan=0.5 * (lo + hi))
        excess = np.maximum(np.maximum((lo - tolerance) - v, v - (hi + tolerance)), 0.0)
        if np.any(excess > 0):
            bad |= excess > 0
            i = int(np.argmax(excess))
            by[a.name] = float(excess[i])
            if excess[i] > worst[0]:
                worst = (float(excess[i]), a.name, i, float(a.degrees[i]))
    return LimitViolations(int(bad.sum()), worst[0], worst[1], worst[2], worst[3], by)


def joint_speeds(clip: Clip, exclude: tuple[str, ...] = hm.EYE_BONES) -> dict[str, Array]:
    """Local angular speed of each bone between consecutive frames, deg/s ``[F-1]`` (metrics §9 A8; eyes excluded)."""
    if clip.n_frames < 2:
        return {}
    w = quat.angular_velocity(clip.lrot, 1.0 / clip.fps)  # [F-1, J, 3]
    sp = np.degrees(np.linalg.norm(w, axis=-1))
    return {b: sp[:, j] for j, b in enumerate(hm.BONES) if b not in exclude}


@dataclass(frozen=True)
class SpeedStats:
    """Worst joint speed (deg/s) and the highest per-joint 99th percentile, with the joints they belong to."""

    max: float
    max_joint: str
    p99: float
    p99_joint: str
    p95_median: float  # median over moving joints of each joint's 95th percentile (info)


#: Bones left out of the joint-speed cap: the eyes (metrics §9 A8) and the toes, which have their own cap
#: (:data:`~posers_blender.quality.bands.TOE_SPEED_MAX`: mocap toes snap at toe-off).
TOES: tuple[str, ...] = ("leftToes", "rightToes")
EYES_AND_TOES: tuple[str, ...] = (*hm.EYE_BONES, *TOES)


def joint_speed_stats(clip: Clip, exclude: tuple[str, ...] = hm.EYE_BONES) -> SpeedStats:
    """Joint angular-speed percentiles (metrics §9 A8: any joint <= 600°/s; standing p99 <= 300°/s), over every
    bone but ``exclude`` (default: the eyes)."""
    sp = joint_speeds(clip, exclude)
    if not sp:
        return SpeedStats(0.0, "", 0.0, "", 0.0)
    mx = {b: float(v.max()) for b, v in sp.items()}
    p99 = {b: float(np.percentile(v, 99)) for b, v in sp.items()}
    p95 = [float(np.percentile(v, 95)) for v in sp.values() if v.max() > 1e-3]
    bm = max(mx, key=lambda b: mx[b])
    bp = max(p99, key=lambda b: p99[b])
    return SpeedStats(mx[bm], bm, p99[bp], bp, float(np.median(p95)) if p95 else 0.0)


def toe_speed_max(clip: Clip) -> tuple[float, str]:
    """The toes' largest local angular speed (deg/s) and which toe; ``(0, "")`` for a one-frame clip."""
    sp = joint_speeds(clip)
    toes = {b: float(sp[b].max()) for b in TOES if b in sp}
    if not toes:
        return 0.0, ""
    b = max(toes, key=lambda k: toes[k])
    return toes[b], b
