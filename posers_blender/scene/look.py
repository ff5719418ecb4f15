"""``look_at``: eyes, head and neck turn toward a point for one item, shared as people share gaze shifts.

Facts §9 (through :mod:`..engine.gaze`): the eyes take a shift alone up to
about 12-15°, saturate near 30-35°, and the head takes the rest; the neck
carries part of the head's turn. While a hand is at the face (a puff, a fist
at the chin) the look lets go, so the motion's own head keeps the contact.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine import quat
from ..engine.clip import Clip
from ..engine.curves import minimum_jerk
from ..engine.gaze import EYE_MAX_DEG, EYE_ONLY_DEG

Array = NDArray[np.float64]

NECK_SHARE = 0.4  # of the head-and-neck turn [E]
#: The farthest the look turns the head (with the neck) round from the chest: facts §8, cervical rotation 70-80°
#: each way, less a margin [E].
HEAD_MAX_DEG = 65.0
RAMP_S = 0.6  # the look comes in over this long at the start of an item [E]
FACE_HAND_M = 0.22  # a hand closer than this to the head counts as "at the face" [E]
DUCK_S = 0.4  # the look lets go / comes back over this long around a hand at the face [E]
_EYE = np.array([0.0, 0.06, 0.06])  # eyes from the head joint when no lookAt landmark exists (m)


def _yaw_between(a: Array, b: Array) -> Array:
    """Heading (rad, in [-pi, pi)) from floor directions ``a`` to ``b`` ``[F, 3]``, positive to the left."""
    d = np.arctan2(b[:, 0], b[:, 2]) - np.arctan2(a[:, 0], a[:, 2])
    return np.asarray((d + np.pi) % (2.0 * np.pi) - np.pi)


def _smooth_mask(mask: Array, fps: float) -> Array:
    """0..1 weight that is 0 where ``mask`` is set, with minimum-jerk ramps of DUCK_S on both sides."""
    n = len(mask)
    out = np.ones(n)
    ramp = max(1, int(round(DUCK_S * fps)))
    idx = np.nonzero(mask)[0]
    if len(idx) == 0:
        return out
    dist = np.full(n, np.inf)
    # distance (frames) to the nearest masked frame, two passes
    last = -np.inf
    for i in range(n):
        last = i if mask[i] else last
        dist[i] = i - last
    last = np.inf
    for i in range(n - 1, -1, -1):
        last = i if mask[i] else last
        dist[i] = min(dist[i], last - i)
    return np.asarray(minimum_jerk(dist / ramp))


def apply(clip: Clip, point: Array, ramp_in: bool) -> None:
    """Turn the eyes, head and neck of ``clip`` (world frames) toward ``point [3]``, in place."""
    fps = clip.fps
    n = clip.n_frames
    sk = clip.skeleton
    grot, gpos = clip.fk()
    neck, head = hm.INDEX["neck"], hm.INDEX["head"]
    eye = (
        sk.landmark_positions("lookAt", grot, gpos)
        if "lookAt" in sk.landmarks
        else gpos[:, head] + quat.rotate(grot[:, head], _EYE)
    )
    want = np.asarray(point, dtype=np.float64)[None] - eye
    want /= np.maximum(np.linalg.norm(want, axis=1, keepdims=True), 1e-9)
    fwd = quat.rotate(grot[:, head], np.array([0.0, 0.0, 1.0]))
    angle = np.degrees(np.arccos(np.clip(np.sum(fwd * want, axis=1), -1.0, 1.0)))
    weight = np.ones(n)
    if ramp_in:
        weight *= minimum_jerk(np.arange(n) / max(RAMP_S * fps, 1.0))
    hands = [hm.INDEX["leftHand"], hm.INDEX["rightHand"]]
    near = np.min(np.linalg.norm(gpos[:, hands] - gpos[:, head][:, None], axis=2), axis=1) < FACE_HAND_M
    weight *= _smooth_mask(near, fps)
    # the head and neck take what the eyes leave (eyes alone up to EYE_ONLY_DEG)
    body_share = np.clip((angle - EYE_ONLY_DEG) / np.maximum(angle, 1e-6), 0.0, 1.0) * weight
    # a point behind the body (the feet still stepping round toward it) is not reached by the neck alone: the
    # head ends at most HEAD_MAX_DEG round from the chest (the eyes take what they can of the rest)
    chest = quat.rotate(grot[:, hm.PARENTS[neck]], np.array([0.0, 0.0, 1.0]))
    side = np.sign(_yaw_between(fwd, want))
    already = np.degrees(side * _yaw_between(chest, fwd))
    body_share = np.minimum(body_share, np.maximum(HEAD_MAX_DEG - already, 0.0) / np.maximum(angle, 1e-6))
    aim = quat.between(fwd, want)
    neck_rot = quat.slerp(quat.IDENTITY, aim, body_share * NECK_SHARE)
    head_rot = quat.slerp(quat.IDENTITY, aim, body_share)
    g_neck = quat.mul(neck_rot, grot[:, neck])
    g_head = quat.mul(head_rot, grot[:, head])
    parent = hm.PARENTS[neck]
    clip.lrot[:, neck] = quat.normalize(quat.mul(quat.conj(grot[:, parent]), g_neck))
    clip.lrot[:, head] = quat.normalize(quat.mul(quat.conj(g_neck), g_head))
    # the eyes: what is left, in the turned head's frame, at most EYE_MAX_DEG from straight ahead
    local = quat.rotate(quat.conj(g_head), want)
    ahead = np.array([0.0, 0.0, 1.0])
    off = np.degrees(np.arccos(np.clip(local[:, 2], -1.0, 1.0)))
    k = np.minimum(1.0, EYE_MAX_DEG / np.maximum(off, 1e-6))
    local = quat.rotate(quat.slerp(quat.IDENTITY, quat.between(np.broadcast_to(ahead, local.shape), local), k), ahead)
    base = clip.gaze if clip.gaze is not None else np.tile(ahead, (n, 1))
    mixed = base * (1.0 - weight[:, None]) + local * weight[:, None]
    clip.gaze = mixed / np.maximum(np.linalg.norm(mixed, axis=1, keepdims=True), 1e-9)
