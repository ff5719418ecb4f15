"""Root motion on a root bone: the travel over the floor split from the body, in numpy (no ``bpy``).

A clip's hips carry everything: the walk's travel, its turns, and the in-place movement (the bob, the
sway). For a rig with a root bone above the hips, the ``root_bone`` root motion keys the travel on the
root and the rest on the hips, so the world motion is unchanged (an ``in_place`` bake that does not loop
plays the carried clip alone):

1. **track**: where the root goes (:func:`track`): the hips' path on the floor, with their side-to-side
   sway averaged out over about a stride (it stays on the hips), and the hips' heading likewise averaged
   when the clip turns; for a loop a straight ramp of the travel per cycle (played on and on with Repeat
   with Offset);
2. **carried**: the clip as the hips play it under the moving root (:func:`carried`): each frame's
   root transform taken off the hips' position and rotation.

A root transform ``D`` (normalised world) turns by ``yaw`` about +Y around ``pivot`` (the root bone's rest
head) and then shifts by ``shift`` on the floor: ``D p = R(yaw) (p - pivot) + pivot + shift``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine import quat
from ..engine.clip import Clip

Array = NDArray[np.float64]

#: Window (s) of the averages that make the root's path and heading: about one stride, so the hips keep their sway.
SMOOTH_S = 1.0
#: A clip whose averaged heading stays within this many degrees keeps the root's rest heading (no turn keys).
TURN_DEG = 15.0
_UP = np.array([0.0, 1.0, 0.0])


@dataclass(frozen=True)
class RootTrack:
    """Per frame where the root bone carries the body (see the module docstring).

    ``pivot [3]``: the root bone's rest head (normalised world, metres); ``shift [F, 3]``: floor shift
    (``y`` = 0, metres); ``yaw [F]``: turn about +Y (rad); ``turns``: False when ``yaw`` is all zero.
    """

    pivot: Array
    shift: Array
    yaw: Array
    turns: bool

    def matrices(self) -> Array:
        """The root transforms ``D`` as ``[F, 4, 4]`` matrices (normalised world, column vectors)."""
        n = len(self.yaw)
        out = np.tile(np.eye(4), (n, 1, 1))
        rot = quat.to_matrix(quat.from_axis_angle(_UP, self.yaw))
        out[:, :3, :3] = rot
        out[:, :3, 3] = self.pivot - rot @ self.pivot + self.shift
        return out


def track(clip: Clip, pivot: Array) -> RootTrack:
    """Where the root bone goes for ``clip``: a loop's straight ramp, else the hips' averaged path and heading."""
    pivot = np.asarray(pivot, dtype=np.float64)
    n = clip.n_frames
    if clip.meta.get("loop"):
        travel = np.asarray(clip.meta.get("loop_travel", [0.0, 0.0, 0.0]), dtype=np.float64)
        ramp = np.arange(n)[:, None] / max(n - 1, 1) * travel
        return RootTrack(pivot, ramp, np.zeros(n), False)
    width = max(1, int(round(SMOOTH_S * clip.fps)))
    forward = quat.rotate(clip.lrot[:, hm.INDEX["hips"]], np.array([0.0, 0.0, 1.0]))[:, [0, 2]]
    facing = _average(forward, width)
    heading = np.unwrap(np.arctan2(facing[:, 0], facing[:, 1]))
    turns = bool(np.degrees(np.ptp(heading)) > TURN_DEG)
    # the root follows the hips along the heading and their average across it: the side-to-side sway stays on
    # the hips, and a start or stop does not pull the root ahead of them (as averaging along the path would)
    hips = clip.hips_pos[:, [0, 2]]
    side = np.column_stack([np.cos(heading), -np.sin(heading)])  # the body's left on the floor
    across = np.sum((hips - _average(hips, width)) * side, axis=1, keepdims=True)
    path = hips - across * side
    yaw = heading if turns else np.zeros(n)
    # the root carries the hips' averaged start point to the averaged point of each frame
    start = np.array([path[0, 0], 0.0, path[0, 1]])
    here = np.column_stack([path[:, 0], np.zeros(n), path[:, 1]])
    turned = quat.rotate(quat.from_axis_angle(_UP, yaw), start - pivot)
    shift = here - pivot - turned
    shift[:, 1] = 0.0
    return RootTrack(pivot, shift, yaw, turns)


def carried(clip: Clip, root: RootTrack) -> Clip:
    """The clip as the hips play it below a root moving along ``root``: ``D⁻¹`` applied to the hips.

    The hips' position and rotation (the skeleton's root) are taken back through each frame's root
    transform; every other local rotation, the face and the gaze are the clip's own.
    """
    d = root.matrices()
    rot_t = np.transpose(d[:, :3, :3], (0, 2, 1))
    hips = np.einsum("fij,fj->fi", rot_t, clip.hips_pos - d[:, :3, 3])
    lrot = clip.lrot.copy()
    h = hm.INDEX["hips"]
    lrot[:, h] = quat.mul(quat.from_axis_angle(_UP, -root.yaw), clip.lrot[:, h])
    return replace(clip, lrot=lrot, hips_pos=hips)


def _average(x: Array, width: int) -> Array:
    """Centred moving average of ``x [F, C]`` over ``width`` frames, the ends held (no lag, no ends pulled in)."""
    if width <= 1 or len(x) < 2:
        return np.asarray(x, dtype=np.float64).copy()
    k = np.ones(width) / width
    pad = (width // 2, width - width // 2 - 1)
    return np.stack(
        [np.convolve(np.pad(x[:, c], pad, mode="edge"), k, mode="valid") for c in range(x.shape[1])], axis=1
    )
