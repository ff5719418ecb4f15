"""Layering programs (a base plus weighted, masked additive layers) and cross-fading clips.

An additive layer contributes its rotation *relative to the rest pose*
(identity in normalised space) on top of the base, in each bone's own frame
(``base * delta^w``): breathing masked to the torso can ride on any motion.
An override layer blends toward the layer's pose instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import humanoid as hm
from . import quat
from .clip import Clip
from .curves import minimum_jerk
from .program import Context, MotionMeta, MotionProgram, Rig
from .sampler import make_context

#: Useful masks. Each maps bone -> weight (0..1); bones not listed get 0.
TORSO_MASK: dict[str, float] = {
    b: 1.0 for b in ("spine", "chest", "upperChest", "neck", "head", "leftShoulder", "rightShoulder")
}


@dataclass
class Layer:
    program: MotionProgram
    params: Mapping[str, Any] | None = None
    weight: float = 1.0
    mask: Mapping[str, float] | None = None  # None: every bone
    mode: str = "additive"  # or "override"
    hips: bool = True  # carry the layer's hips offset too
    _weights: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.mode not in ("additive", "override"):
            raise ValueError(f"layer mode must be 'additive' or 'override', got '{self.mode}'")
        if not 0.0 <= self.weight <= 1.0:
            raise ValueError(f"layer weight must be in 0..1, got {self.weight}")
        w = np.ones(len(hm.BONES)) if self.mask is None else np.zeros(len(hm.BONES))
        for bone, v in (self.mask or {}).items():
            w[hm.INDEX[bone]] = v
        self._weights = w * self.weight


class LayeredProgram(MotionProgram):
    """A base program with layers on top, usable wherever a program is."""

    def __init__(self, base: MotionProgram, layers: Sequence[Layer]):
        self.base = base
        self.layers = list(layers)
        ids = "+".join([base.meta.id, *(lay.program.meta.id for lay in self.layers)])
        self.meta = MotionMeta(
            id=ids,
            name=" + ".join([base.meta.name, *(lay.program.meta.name for lay in self.layers)]),
            description=f"{base.meta.name} with {len(self.layers)} layer(s)",
            tags=base.meta.tags,
            version=base.meta.version,
            checks=base.meta.checks,
            standing=base.meta.standing,
        )
        self.schema = base.schema

    def init(self, rig: Rig, ctx: Context) -> None:
        self.base.init(rig, ctx)
        subs = []
        for i, lay in enumerate(self.layers):
            lctx = make_context(
                lay.program, lay.params, ctx.seed, ctx.fps, ctx.duration, ctx.skeleton, ctx.targets, stream=i + 1
            )
            lctx.markers = ctx.markers
            lrig = Rig(ctx.skeleton)
            lay.program.init(lrig, lctx)
            subs.append((lrig, lctx))
        ctx.state["_layers"] = subs

    def update(self, rig: Rig, ctx: Context, t: float, dt: float) -> None:
        self.base.update(rig, ctx, t, dt)
        for lay, (lrig, lctx) in zip(self.layers, ctx.state["_layers"]):
            lrig.reset()
            lctx.frame = ctx.frame
            lay.program.update(lrig, lctx, t, dt)
            if lay.mode == "additive":
                delta = quat.slerp(quat.IDENTITY, lrig.lrot, lay._weights)
                rig.lrot[:] = quat.mul(rig.lrot, delta)
                if lay.hips:
                    rig.hips_offset += lay.weight * lrig.hips_offset
            else:
                rig.lrot[:] = quat.slerp(rig.lrot, lrig.lrot, lay._weights)
                if lay.hips:
                    rig.hips_offset[:] = (1 - lay.weight) * rig.hips_offset + lay.weight * lrig.hips_offset
            for name, v in lrig.expressions.items():
                rig.set_expression(name, max(rig.expressions.get(name, 0.0), lay.weight * v))
            if lrig.gaze is not None and rig.gaze is None:
                rig.gaze = lrig.gaze
            rig._fk = None


def smootherstep(x: np.ndarray) -> np.ndarray:
    """Quintic ease 6x^5 - 15x^4 + 10x^3: zero first and second derivative at both ends."""
    return minimum_jerk(x)


def crossfade(a: Clip, b: Clip, start: float, duration: float) -> Clip:
    """Blend from clip ``a`` to clip ``b`` over ``[start, start + duration]`` seconds.

    Both clips share one timeline (same fps and skeleton; the result is as long
    as the shorter). The weight is a quintic ease, so at both seams the pose
    *and* the angular velocity equal the outgoing/incoming clip's: no step in
    pose or velocity. Peak joint speed during the blend stays below both clips'
    peaks as long as ``duration`` is long enough for the pose difference (see
    :func:`min_blend_duration`).
    """
    if a.fps != b.fps:
        raise ValueError(f"cross-fade needs equal frame rates, got {a.fps} and {b.fps}")
    if duration <= 0:
        raise ValueError("cross-fade duration must be positive")
    n = min(a.n_frames, b.n_frames)
    t = np.arange(n) / a.fps
    w = smootherstep((t - start) / duration)
    lrot = quat.slerp(a.lrot[:n], b.lrot[:n], np.broadcast_to(w[:, None], (n, a.lrot.shape[1])))
    hips = (1 - w)[:, None] * a.hips_pos[:n] + w[:, None] * b.hips_pos[:n]
    expressions = {}
    for k in set(a.expressions) | set(b.expressions):
        ea = a.expressions.get(k, np.zeros(a.n_frames))[:n]
        eb = b.expressions.get(k, np.zeros(b.n_frames))[:n]
        expressions[k] = (1 - w) * ea + w * eb
    gaze = None
    if a.gaze is not None and b.gaze is not None:
        g = (1 - w)[:, None] * a.gaze[:n] + w[:, None] * b.gaze[:n]
        gaze = g / np.maximum(np.linalg.norm(g, axis=1, keepdims=True), 1e-9)
    markers = [m for m in a.markers if m[0] < start + duration] + [m for m in b.markers if m[0] >= start]
    return Clip(
        fps=a.fps,
        lrot=quat.continuous(lrot),
        hips_pos=hips,
        skeleton=a.skeleton,
        expressions=expressions,
        gaze=gaze,
        markers=sorted(markers),
        meta={"crossfade": [a.meta, b.meta], "start": start, "duration": duration},
    )


def min_blend_duration(
    a: Clip, b: Clip, start: float, candidates: tuple[float, ...] = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)
) -> float:
    """Shortest blend (from ``candidates``, seconds) whose peak joint speed stays within both clips' peak.

    The quintic weight's slope adds up to 1.875 * gap / T to a joint's speed,
    where gap is the pose difference, so a large gap needs a longer blend. The
    check is made on the actual blended clip.
    """
    limit = max(_peak_speed(a), _peak_speed(b))
    for d in candidates:
        c = crossfade(a, b, start, d)
        i0 = max(int(start * a.fps) - 1, 0)
        i1 = min(int((start + d) * a.fps) + 1, c.n_frames)
        seg = c.lrot[i0:i1]
        if len(seg) < 2 or _peak_speed_arr(seg, a.fps) <= limit + 1e-9:
            return d
    return candidates[-1]


def _peak_speed_arr(lrot: np.ndarray, fps: float) -> float:
    return float(np.max(np.linalg.norm(quat.angular_velocity(lrot, 1.0 / fps), axis=-1)))


def _peak_speed(c: Clip) -> float:
    return _peak_speed_arr(c.lrot, c.fps) if c.n_frames > 1 else 0.0


__all__ = ["Layer", "LayeredProgram", "TORSO_MASK", "crossfade", "min_blend_duration", "smootherstep"]
