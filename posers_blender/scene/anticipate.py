"""Anticipation: the eyes and head turn toward where the next item goes before the body does.

People look where they are about to go: before a step-off, a turn on the spot
or a new gaze target, the eyes and then the head start toward it 100-300 ms
before the body moves (facts §9: a planned gaze shift moves eye and head
together, the eye first by 20-50 ms in a reactive one). :func:`lead_in`
turns the last :data:`LEAD_S` of the previous item's eyes, head and neck
toward the next item's direction; the seam's inertialization carries that turn
and its speed into the next item, where it hands over to the new motion's own
head. The walk's own anticipatory weight shift (its APA before the first toe
off) is part of the walk; nothing is added to the pelvis here.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine import quat
from ..engine.clip import Clip
from ..engine.curves import minimum_jerk
from ..engine.gaze import EYE_MAX_DEG

Array = NDArray[np.float64]

LEAD_S = 0.25  # the head starts this long before the seam (brief: 100-300 ms) [E]
EYE_LEAD_S = 0.05  # the eyes start this much earlier still (facts §9: 20-50 ms) [E]
HEAD_SHARE = 0.5  # of the turn the head makes before the seam (the rest comes with the body) [E]
HEAD_MAX_DEG = 30.0  # at most, before the seam [E]
NECK_SHARE = 0.4  # of the head's turn (as :mod:`.look`)
MIN_DEG = 10.0  # a smaller change of direction needs no lead [E]
Y = np.array([0.0, 1.0, 0.0])


def _yaw_of(v: Array) -> Array:
    return np.arctan2(v[..., 0], v[..., 2])


def _ramp(n: int, frames: int) -> Array:
    """0 before the last ``frames`` of ``n``, rising to 1 on the last frame at full speed (the first half of a
    minimum-jerk turn: the seam falls mid-movement and the inertialization carries the speed on)."""
    u = (np.arange(n) - (n - frames)) / max(frames, 1)
    return 2.0 * np.asarray(minimum_jerk(0.5 * u))


def _wrap(a: Array | float) -> Array:
    return np.asarray((np.asarray(a) + math.pi) % (2.0 * math.pi) - math.pi)


def lead_in(piece: Clip, direction: Array, heading: float) -> float:
    """Turn the end of ``piece`` (world frames) toward the floor ``direction [3]``, in place; returns the head's
    turn at the seam (rad, 0 when the direction is within :data:`MIN_DEG` of where the head points).

    ``heading`` (rad) is the body's heading: the turn is measured from it the way the body will turn (a half
    turn goes the same way round as the feet), plus where the head points relative to it."""
    n = piece.n_frames
    fps = piece.fps
    frames = min(int(round((LEAD_S + EYE_LEAD_S) * fps)), n - 1)
    if frames < 2:
        return 0.0
    lrot, hips = piece.lrot[-frames:], piece.hips_pos[-frames:]
    grot, _ = piece.skeleton.fk(lrot, hips)
    neck, head = hm.INDEX["neck"], hm.INDEX["head"]
    fwd = quat.rotate(grot[:, head], np.array([0.0, 0.0, 1.0]))
    total = _wrap(float(_yaw_of(direction)) - heading) + _wrap(heading - _yaw_of(fwd))
    if abs(total[-1]) < math.radians(MIN_DEG):
        return 0.0
    head_turn = np.clip(HEAD_SHARE * total, -math.radians(HEAD_MAX_DEG), math.radians(HEAD_MAX_DEG))
    head_turn = head_turn * _ramp(frames, int(round(LEAD_S * fps)))
    g_neck = quat.mul(quat.from_axis_angle(Y, NECK_SHARE * head_turn), grot[:, neck])
    g_head = quat.mul(quat.from_axis_angle(Y, head_turn), grot[:, head])
    parent = hm.PARENTS[neck]
    piece.lrot[-frames:, neck] = quat.normalize(quat.mul(quat.conj(grot[:, parent]), g_neck))
    piece.lrot[-frames:, head] = quat.normalize(quat.mul(quat.conj(g_neck), g_head))
    # the eyes take what the head leaves, up to their range, and start first
    eye = np.clip(total - head_turn, -math.radians(EYE_MAX_DEG), math.radians(EYE_MAX_DEG)) * _ramp(frames, frames)
    gaze = piece.gaze if piece.gaze is not None else np.tile([0.0, 0.0, 1.0], (n, 1))
    gaze = gaze.copy()
    gaze[-frames:] = quat.rotate(quat.from_axis_angle(Y, eye), gaze[-frames:])
    piece.gaze = gaze
    return float(head_turn[-1])
