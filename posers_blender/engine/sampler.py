"""Sampling: (program, params, seed, fps, duration, skeleton, targets) -> :class:`Clip`.

Same inputs in the same environment give bit-identical arrays: all randomness
comes from a generator seeded here, and nothing reads global state.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import humanoid as hm
from . import quat
from .clip import Clip
from .params import ParamError
from .program import Context, MotionError, MotionProgram, Rig
from .skeleton import Skeleton, default_avatar

MAX_SECONDS = 3600.0


def make_context(
    program: MotionProgram,
    params: Mapping[str, Any] | None,
    seed: int,
    fps: float,
    duration: float,
    skeleton: Skeleton,
    targets: Mapping[str, Any] | None = None,
    stream: int = 0,
) -> Context:
    """Validated parameters, a seeded RNG and the time grid for one program run."""
    validated = program.schema.validate(params, duration=duration, fps=fps)
    n = max(1, int(round(duration * fps)))
    rng = np.random.default_rng(np.random.SeedSequence([int(seed) & 0xFFFFFFFF, stream]))
    return Context(
        params=validated,
        seed=int(seed),
        rng=rng,
        fps=float(fps),
        duration=float(duration),
        times=np.arange(n) / float(fps),
        skeleton=skeleton,
        targets={k: np.asarray(v, dtype=np.float64) for k, v in (targets or {}).items()},
    )


def _check_timing(fps: float, duration: float) -> None:
    if not (math.isfinite(fps) and 1.0 <= fps <= 240.0):
        raise ParamError(f"fps = {fps!r} is out of range: use 1 to 240 frames per second")
    if not (math.isfinite(duration) and 0.0 < duration <= MAX_SECONDS):
        raise ParamError(f"duration = {duration!r} s is out of range: use more than 0 and at most {MAX_SECONDS:g} s")


def _what_to_change(program: MotionProgram, ctx: Context) -> str:
    """The user's way out of a failing run: the settings they changed, another seed, a longer clip; and a report."""
    defaults = program.schema.defaults()
    changed = [f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in ctx.params.items() if v != defaults[k]]
    moved = f"move {', '.join(changed)} toward the defaults, " if changed else ""
    return (
        f"With seed {ctx.seed}, {ctx.duration:g} s at {ctx.fps:g} fps: {moved}try another seed or a longer clip, "
        "and please report this setting."
    )


def sample(
    program: MotionProgram,
    params: Mapping[str, Any] | None = None,
    seed: int = 0,
    fps: float = 30.0,
    duration: float = 10.0,
    skeleton: Skeleton | None = None,
    targets: Mapping[str, Any] | None = None,
) -> Clip:
    """Run ``program`` frame by frame and collect a :class:`Clip`.

    Raises :class:`ParamError` for bad parameters or timing and
    :class:`MotionError` when the program raises or writes NaN.
    """
    _check_timing(fps, duration)
    skeleton = skeleton or default_avatar()
    ctx = make_context(program, params, seed, fps, duration, skeleton, targets)
    rig = Rig(skeleton)
    mid = program.meta.id
    n = ctx.n_frames
    dt = 1.0 / fps
    lrot = np.empty((n, len(hm.BONES), 4))
    hips = np.empty((n, 3))
    gaze = np.tile(np.array([0.0, 0.0, 1.0]), (n, 1))
    expressions: dict[str, np.ndarray] = {}
    rest_hips = skeleton.offsets[0]
    t = 0.0
    try:
        program.init(rig, ctx)
        for i in range(n):
            t = float(ctx.times[i])
            ctx.frame = i
            rig.reset()
            program.update(rig, ctx, t, dt)
            lrot[i] = rig.lrot
            hips[i] = rest_hips + rig.hips_offset
            if rig.gaze is not None:
                gaze[i] = rig.gaze
            for name, value in rig.expressions.items():
                track = expressions.get(name)
                if track is None:
                    track = expressions[name] = np.zeros(n)
                track[i] = value
    except (ParamError, MotionError):
        raise
    except Exception as exc:  # a motion file that raises: say which motion, when, what, and what the user can change
        raise MotionError(
            f"motion '{mid}' raised {type(exc).__name__} at t = {t:.3f} s: {exc}. {_what_to_change(program, ctx)} "
            "Nothing was written."
        ) from exc
    bad = ~np.isfinite(lrot).all(axis=(1, 2)) | ~np.isfinite(hips).all(axis=1)
    if bad.any():
        f = int(np.argmax(bad))
        raise MotionError(
            f"motion '{mid}' produced NaN or infinite values at frame {f} (t = {f / fps:.3f} s); "
            "check its parameters or report the motion. Nothing was written."
        )
    lrot = quat.continuous(quat.normalize(lrot), axis=0)
    return Clip(
        fps=float(fps),
        lrot=lrot,
        hips_pos=hips,
        skeleton=skeleton,
        expressions=expressions,
        gaze=gaze,
        markers=sorted(ctx.markers),
        meta={
            "motion": mid,
            "version": program.meta.version,
            "params": ctx.params.to_dict(),
            "seed": int(seed),
            "fps": float(fps),
            "duration": float(duration),
            "skeleton": skeleton.name,
        },
    )
