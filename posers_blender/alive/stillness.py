"""How still the input holds, per bone and frame: the weight that fades the life layer under fast motion.

A bone's speed is the world speed of its head and of its first child's head (so a swinging forearm, carried by
a still upper arm, still counts as moving at its hand end), lightly smoothed against mocap jitter. The weight is
1 below 30% of ``fade_speed``, 0 above it, with a quintic ease between; a running minimum over
:data:`LEAD_S` either side then makes the layer fade out *before* the input starts to move and come back only
after it has stopped, and a Gaussian smooths the edges so the fade itself adds no jerk.

The body is *holding still* where every body bone is (fingers, toes, eyes and jaw aside) for
:data:`HOLD_S` either side: weight shifts and posture changes happen only there.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine.clip import Clip
from ..engine.curves import minimum_jerk

Array = NDArray[np.float64]

#: The layer is gone this long (s) before fast motion starts and returns this long after it ends.
LEAD_S = 0.3
#: Weight shifts need the whole body still this long (s) either side.
HOLD_S = 1.5
#: Speed smoothing against mocap jitter (s, Gaussian sigma).
SPEED_SIGMA_S = 0.05
#: Edge smoothing of the weights (s, Gaussian sigma).
EDGE_SIGMA_S = 0.12
#: Share of ``fade_speed`` below which the layer is at full weight.
FULL_SHARE = 0.3

_SKIP = set(hm.FINGER_BONES) | set(hm.EYE_BONES) | {"jaw", "leftToes", "rightToes"}
#: Bones whose stillness decides whether the whole body is holding still.
BODY_BONES: tuple[str, ...] = tuple(b for b in hm.BONES if b not in _SKIP)


def gaussian(x: Array, sigma_frames: float) -> Array:
    """Gaussian smoothing along axis 0 with edge padding (``x [F, ...]``)."""
    if sigma_frames <= 0 or x.shape[0] < 2:
        return x.copy()
    r = int(np.ceil(3.0 * sigma_frames))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma_frames) ** 2)
    k /= k.sum()
    pad = np.concatenate([np.repeat(x[:1], r, axis=0), x, np.repeat(x[-1:], r, axis=0)], axis=0)
    out = np.zeros_like(x)
    for i, w in enumerate(k):
        out += w * pad[i : i + x.shape[0]]
    return out


def running_min(x: Array, half_frames: int) -> Array:
    """Minimum over ``[i - half_frames, i + half_frames]`` along axis 0 (``x [F, ...]``)."""
    if half_frames <= 0:
        return x.copy()
    pad = np.concatenate([np.repeat(x[:1], half_frames, axis=0), x, np.repeat(x[-1:], half_frames, axis=0)], axis=0)
    out = x.copy()
    for i in range(2 * half_frames + 1):
        np.minimum(out, pad[i : i + x.shape[0]], out=out)
    return out


def bone_speeds(clip: Clip, gpos: Array) -> Array:
    """World speed ``[F, J]`` (m/s) of each bone: the larger of its head's and its first present child's."""
    v = np.gradient(gpos, 1.0 / clip.fps, axis=0) if clip.n_frames > 1 else np.zeros_like(gpos)
    head = gaussian(np.linalg.norm(v, axis=-1), SPEED_SIGMA_S * clip.fps)
    out = head.copy()
    for j, bone in enumerate(hm.BONES):
        kids = [hm.INDEX[c] for c in hm.children(bone) if clip.skeleton.present[hm.INDEX[c]]]
        if kids:
            out[:, j] = np.maximum(head[:, j], head[:, kids[0]])
    return out


def bone_weights(clip: Clip, gpos: Array, fade_speed: float) -> Array:
    """Per bone and frame ``[F, J]`` in 0..1: 1 where the input holds the bone still, 0 where it moves fast."""
    s = bone_speeds(clip, gpos)
    lo = FULL_SHARE * fade_speed
    w = 1.0 - minimum_jerk((s - lo) / (fade_speed - lo))
    w = running_min(w, int(round(LEAD_S * clip.fps)))
    return np.clip(gaussian(w, EDGE_SIGMA_S * clip.fps), 0.0, 1.0)


def holding_still(clip: Clip, weights: Array) -> Array:
    """``[F]`` in 0..1: the whole body holds still here and for :data:`HOLD_S` either side."""
    body = np.min(weights[:, [hm.INDEX[b] for b in BODY_BONES]], axis=1)
    w = running_min(body, int(round(HOLD_S * clip.fps)))
    return np.clip(gaussian(w, 2.0 * EDGE_SIGMA_S * clip.fps), 0.0, 1.0)
