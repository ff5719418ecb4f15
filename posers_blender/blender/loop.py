"""Cyclic clips: a whole number of strides or breaths whose last frame is its first, velocity included.

The bake side loops a sampled clip in three stages:

1. **span**: the loop runs between two of the clip's own phase markers of one name (a heel strike,
   an inhale), after a lead-in that lets a walk reach its steady gait: a whole number of cycles;
2. **root**: the travel over the span (hips, on the floor) is taken out as a straight ramp, so the
   rest of the clip is in place;
3. **close**: the end is blended into the start by inertialisation run backwards in time
   (:mod:`posers_blender.scene.inertialize`): the frames before the wrap carry a decaying offset that makes
   the last frame equal the first and the velocity across the wrap continuous.

``root="travel"`` puts the ramp back, so the loop moves forward by the same amount every cycle (the
Blender side plays it with a Cycles modifier in *Repeat with Offset* on the mover's location);
``root="in_place"`` leaves it out; ``root="root_bone"`` puts it back too, and the bake moves the ramp onto
the rig's root bone (:mod:`.root_motion`), which repeats with offset while the hips loop in place.
Pure numpy: no ``bpy``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from ..engine.clip import Clip
from ..engine.params import ParamError
from ..scene import inertialize

Array = NDArray[np.float64]

#: Time sampled before the loop may start (s): a walk from its first step reaches a steady gait by then.
LEAD_S = 1.0
#: Half-life (s) of the closing offset; kept below an eighth of the loop so the offset is gone at its start.
HALFLIFE_S = 0.25
ROOT_MOTIONS = ("travel", "in_place", "root_bone")


@dataclass(frozen=True)
class Span:
    """Frames ``[start, end]`` of the loop (``end`` becomes a copy of ``start``), the marker and cycle count."""

    start: int
    end: int
    marker: str | None
    cycles: int


def find_span(clip: Clip, lead_s: float = LEAD_S) -> Span:
    """The longest whole number of cycles after ``lead_s``: between the first and last marker of one name.

    The marker is the most frequent name in the clip (ties: alphabetical); without markers the
    whole clip after the lead-in is one cycle.
    """
    fps = clip.fps
    first = int(round(lead_s * fps))
    counts = Counter(m for t, m in clip.markers if t >= lead_s)
    repeated = sorted((-c, m) for m, c in counts.items() if c >= 2)
    if not repeated:
        if clip.n_frames - first < fps:
            raise ParamError(f"loop: {clip.duration:.1f} s is too short to loop; give at least {lead_s + 2:g} seconds")
        return Span(first, clip.n_frames - 1, None, 1)
    marker = repeated[0][1]
    times = sorted(t for t, m in clip.markers if m == marker and t >= lead_s)
    if times[-1] - times[0] < 0.5:
        raise ParamError(f"loop: one '{marker}' cycle is too short to loop; give more seconds")
    start, end = (min(int(round(t * fps)), clip.n_frames - 1) for t in (times[0], times[-1]))
    return Span(start, end, marker, len(times) - 1)


def make_loop(clip: Clip, root: str = "in_place", lead_s: float = LEAD_S) -> Clip:
    """The clip cut to a whole number of cycles (:func:`find_span`) and closed into a loop.

    Returns frames ``start..end`` with the last frame equal to the first (pose and, for
    ``root="in_place"``, position; ``"travel"`` and ``"root_bone"``: position plus the travel per cycle, in
    ``meta["loop_travel"]`` (metres, normalised space)). ``meta["loop"]`` is True.
    """
    if root not in ROOT_MOTIONS:
        raise ParamError(f"root motion '{root}': use one of {', '.join(ROOT_MOTIONS)}")
    span = find_span(clip, lead_s)
    a, b = span.start, span.end
    n = b - a  # frames in one loop
    hl = min(HALFLIFE_S, n / clip.fps / 8.0)
    travel = np.zeros(3)
    travel[[0, 2]] = clip.hips_pos[b, [0, 2]] - clip.hips_pos[a, [0, 2]]
    ramp = np.arange(n + 1)[:, None] / n * travel
    hips = close(clip.hips_pos[a : b + 1] - ramp, clip.fps, hl, rotations=False)
    if root != "in_place":
        hips = hips + ramp
    t0 = a / clip.fps
    return replace(
        clip,
        lrot=close(clip.lrot[a : b + 1], clip.fps, hl, rotations=True),
        hips_pos=hips,
        expressions={k: np.clip(close(v[a : b + 1], clip.fps, hl, False), 0, 1) for k, v in clip.expressions.items()},
        gaze=None if clip.gaze is None else _unit(close(clip.gaze[a : b + 1], clip.fps, hl, rotations=False)),
        markers=[(t - t0, m) for t, m in clip.markers if a <= t * clip.fps < b],
        meta=dict(
            clip.meta,
            duration=(n + 1) / clip.fps,
            loop=True,
            loop_marker=span.marker,
            loop_cycles=span.cycles,
            loop_root=root,
            loop_travel=travel.tolist() if root != "in_place" else [0.0, 0.0, 0.0],
        ),
    )


def close(x: Array, fps: float, halflife: float, rotations: bool) -> Array:
    """Frames ``x [N+1, ...]`` with ``x[N]`` replaced by ``x[0]`` and the frames before it blended towards it.

    Seen backwards in time, the loop's start (frames 1, 0) is the motion before a seam and the frames
    ``N-1 .. 1`` the motion after it; inertialising that seam makes frame ``N-1`` continue frame 0's
    velocity, so the wrap ``N-1 -> N = 0 -> 1`` has no jump in value or velocity.
    """
    n = len(x) - 1
    old = x[[1, 0]]
    new = x[n - 1 : 0 : -1]
    blend = inertialize.rotations if rotations else inertialize.vectors
    out = x.copy()
    out[1:n] = blend(old, new, fps, halflife)[::-1]
    out[n] = x[0]
    return out


def _unit(v: Array) -> Array:
    return np.asarray(v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9))
