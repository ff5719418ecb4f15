"""The life layer over a clip: the orchestrator, in the order the algorithm runs.

1. **Stillness** of the input, per bone and frame (:mod:`.stillness`): the layer is full where the input
   holds still and gone where it moves fast.
2. **Life** at full weight (:mod:`.life`): breathing, gaze shifts, blinks, micro-motion, weight shifts.
3. **Weights**: each component times its parameter weight, the stillness (with the component's floor, or
   the whole body holding still for weight shifts) and the bone mask.
4. **Apply**: the weighted rotation vectors summed per bone, bounded by :data:`LIMIT_DEG`, and
   post-multiplied onto the input's local rotations; the hips offset added.
5. **Contacts** (:mod:`.contacts`): planted feet (with the give of a loaded foot where the body holds still)
   and hands on the body solved back to the input's.
6. **Face**: blinks merged with the input's (the larger wins), the eyes take the gaze the head did not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine import quat
from ..engine.clip import Clip
from ..engine.params import Params
from . import contacts, life, stillness
from .params import SCHEMA

Array = NDArray[np.float64]

#: The largest rotation the layer adds to a bone (degrees) before contacts are restored. Bones not listed: 3°.
LIMIT_DEG: dict[str, float] = {
    "hips": 3.0,
    "spine": 3.0,
    "chest": 3.0,
    "upperChest": 3.0,
    "neck": 8.0,
    "head": 10.0,
    "leftUpperArm": 4.0,
    "rightUpperArm": 4.0,
    "leftLowerArm": 5.0,
    "rightLowerArm": 5.0,
}
DEFAULT_LIMIT_DEG = 3.0
#: The eyes' rotation in the head stays inside this (facts §9: the eye saturates near 35°).
EYE_LIMIT_DEG = 30.0
#: Hips offset bound (m, on the 1.65 m default avatar).
HIPS_LIMIT_M = 0.04
#: Fewest frames the layer works on (a single pose: hold it first, :func:`hold_pose`).
MIN_FRAMES = 2

REGIONS: dict[str, tuple[str, ...]] = {
    "keep_trunk": ("hips", "spine", "chest", "upperChest", "leftShoulder", "rightShoulder"),
    "keep_head": ("neck", "head"),
    "keep_arms": tuple(b for b in hm.BONES if any(k in b for k in ("UpperArm", "LowerArm", "Hand", *hm.FINGER_BONES))),
}


def bone_mask(p: Params, mask: Mapping[str, float] | None = None) -> Array:
    """Per-bone weight ``[J]`` in 0..1: the ``keep_*`` parameters' regions at 0, times ``mask`` (bone -> 0..1,
    bones not listed 1)."""
    w = np.ones(len(hm.BONES))
    for param, bones in REGIONS.items():
        if p[param]:
            w[[hm.INDEX[b] for b in bones]] = 0.0
    for bone, v in (mask or {}).items():
        if bone not in hm.INDEX:
            raise ValueError(f"mask names '{bone}', which is not a VRM humanoid bone")
        w[hm.INDEX[bone]] *= float(np.clip(v, 0.0, 1.0))
    return w


def hold_pose(clip: Clip, seconds: float, frame: int = 0) -> Clip:
    """``clip``'s frame ``frame`` held still for ``seconds`` (a keyframed pose becomes a clip to bring to life)."""
    n = max(MIN_FRAMES, int(round(seconds * clip.fps)))
    f = int(np.clip(frame, 0, clip.n_frames - 1))
    return Clip(
        fps=clip.fps,
        lrot=np.repeat(clip.lrot[f : f + 1], n, axis=0),
        hips_pos=np.repeat(clip.hips_pos[f : f + 1], n, axis=0),
        skeleton=clip.skeleton,
        expressions={k: np.repeat(v[f : f + 1], n) for k, v in clip.expressions.items()},
        gaze=None if clip.gaze is None else np.repeat(clip.gaze[f : f + 1], n, axis=0),
        meta=dict(clip.meta, held_frame=f, held_seconds=n / clip.fps),
    )


def component_weights(tracks: life.LifeTracks, still: Array, hold: Array, mask: Array, p: Params) -> dict[str, Array]:
    """Per component, bone and frame ``[F, J]``: how much of it reaches the output."""
    out = {}
    for name, comp in tracks.components.items():
        base = np.broadcast_to(hold[:, None], still.shape) if comp.hold_only else np.maximum(still, comp.floor)
        out[name] = base * mask[None, :] * float(p[name])
    return out


def foot_give(tracks: life.LifeTracks, hold: Array, mask: Array, p: Params) -> dict[str, Array]:
    """Each planted ankle's give ``{side: [F, 3]}`` (m) where the whole body holds still, scaled with the
    micro-motion (its default gives the tracks' full give)."""
    scale = float(p.micro_motion) / float(SCHEMA["micro_motion"].default)
    return {side: g * (hold * mask[hm.INDEX[f"{side}Foot"]] * scale)[:, None] for side, g in tracks.feet.items()}


def apply(clip: Clip, tracks: life.LifeTracks, weights: dict[str, Array]) -> tuple[Array, Array]:
    """The input's pose with the weighted, bounded layer post-multiplied: ``(lrot [F, J, 4], hips [F, 3])``."""
    v = np.zeros((clip.n_frames, len(hm.BONES), 3))
    hips = np.zeros((clip.n_frames, 3))
    for name, comp in tracks.components.items():
        w = weights[name]
        v += comp.rot * w[:, :, None]
        hips += comp.hips * w[:, :1]
    limits = np.radians([LIMIT_DEG.get(b, DEFAULT_LIMIT_DEG) for b in hm.BONES])
    norm = np.linalg.norm(v, axis=-1)
    v *= (np.minimum(norm, limits[None, :]) / np.maximum(norm, 1e-12))[:, :, None]
    hn = np.linalg.norm(hips, axis=-1, keepdims=True)
    hips *= np.minimum(hn, HIPS_LIMIT_M * clip.skeleton.leg_ratio) / np.maximum(hn, 1e-12)
    lrot = quat.normalize(quat.mul(clip.lrot, quat.from_scaled_axis(v)))
    return lrot, clip.hips_pos + hips


def face(
    clip: Clip, tracks: life.LifeTracks, lrot: Array, weights: dict[str, Array], p: Params
) -> tuple[dict[str, Array], Array]:
    """Blinks merged into the input's expressions, and the eyes: eye bones turned (where the avatar has them)
    by the gaze the head did not take; returns ``(expressions, gaze [F, 3])`` and writes the eye bones."""
    expressions = dict(clip.expressions)
    blink = tracks.blink * p.blinks
    expressions["blink"] = np.maximum(expressions.get("blink", np.zeros(clip.n_frames)), blink)
    head_w = weights["gaze"][:, hm.INDEX["head"]] / max(p.gaze, 1e-9)  # the share of the head turn that arrived
    eye_yaw = np.clip(p.gaze * tracks.gaze_yaw - head_w * p.gaze * tracks.head_yaw, -EYE_LIMIT_DEG, EYE_LIMIT_DEG)
    eye_pitch = np.clip(p.gaze * tracks.gaze_pitch - head_w * p.gaze * tracks.head_pitch, -EYE_LIMIT_DEG, EYE_LIMIT_DEG)
    q_eye = quat.mul(
        quat.from_axis_angle_deg([0.0, 1.0, 0.0], eye_yaw), quat.from_axis_angle_deg([1.0, 0.0, 0.0], -eye_pitch)
    )
    for eye in hm.EYE_BONES:
        j = hm.INDEX[eye]
        if clip.skeleton.present[j]:
            lrot[:, j] = quat.normalize(quat.mul(lrot[:, j], q_eye))
    base = clip.gaze if clip.gaze is not None else np.tile([0.0, 0.0, 1.0], (clip.n_frames, 1))
    return expressions, quat.rotate(q_eye, base)


def add_life(
    clip: Clip, params: Mapping[str, Any] | None = None, seed: int = 0, mask: Mapping[str, float] | None = None
) -> Clip:
    """``clip`` with the life layer added (see the module docstring); the input is not modified.

    ``params`` are the layer's (:data:`~posers_blender.alive.params.SCHEMA`), ``seed`` picks the draw (same
    clip, parameters and seed: the same output), ``mask`` weights bones (0 keeps a bone as the input has it).
    """
    if clip.n_frames < MIN_FRAMES:
        raise ValueError(
            f"the clip has {clip.n_frames} frame(s); hold a single pose for a while first (--hold SECONDS)"
        )
    p = SCHEMA.validate(params)
    grot_in, gpos_in = clip.fk()
    still = stillness.bone_weights(clip, gpos_in, p.fade_speed)
    hold = stillness.holding_still(clip, still)
    tracks = life.life_tracks(seed, clip.times, clip.skeleton, p)
    weights = component_weights(tracks, still, hold, bone_mask(p, mask), p)
    lrot, hips = apply(clip, tracks, weights)
    give = foot_give(tracks, hold, bone_mask(p, mask), p)
    lrot, hips = contacts.keep_contacts(clip, lrot, hips, grot_in, gpos_in, p.hand_props, give)
    expressions, gaze = face(clip, tracks, lrot, weights, p)
    meta = dict(clip.meta, alive={"params": p.to_dict(), "seed": seed, "version": 1})
    return Clip(
        fps=clip.fps,
        lrot=quat.continuous(lrot, axis=0),
        hips_pos=hips,
        skeleton=clip.skeleton,
        expressions=expressions,
        gaze=gaze,
        markers=list(clip.markers),
        meta=meta,
    )
