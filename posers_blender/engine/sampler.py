"""Sampling: (program, params, seed, fps, duration, skeleton, targets) -> :class:`Clip`.

The program's :class:`~.program.Tracks` become the clip's arrays directly (normalised, hemisphere-continuous).

Same inputs in the same environment give bit-identical arrays: all randomness
comes from a generator seeded here, and nothing reads global state.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from . import quat
from .clip import Clip
from .params import ParamError
from .program import Context, FrameProgram, MotionError, MotionProgram, Tracks
from .skeleton import Skeleton, default_avatar
from .targets import apply as apply_targets

MAX_SECONDS = 3600.0
#: Frames per block when the sampler finishes a clip in place (bounds its temporaries however long the clip).
BLOCK = 4096


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
    """Build ``program``'s clip and collect it as a :class:`Clip`.

    Raises :class:`ParamError` for bad parameters or timing and
    :class:`MotionError` when the program raises or writes NaN.
    """
    _check_timing(fps, duration)
    skeleton = skeleton or default_avatar()
    ctx = make_context(program, params, seed, fps, duration, skeleton, targets)
    tracks = _build(program, ctx)
    reached = apply_targets(tracks, ctx)  # the look-at layer every motion gets; what each target reached
    n = ctx.n_frames
    hips = skeleton.offsets[0] + tracks.hips_offset
    _check_finite(program.meta.id, tracks.lrot, hips, fps)
    return Clip(
        fps=float(fps),
        lrot=_continuous_unit_quaternions(tracks.lrot),
        hips_pos=hips,
        skeleton=skeleton,
        expressions={name: np.array(track, dtype=np.float64) for name, track in tracks.expressions.items()},
        gaze=np.tile(np.array([0.0, 0.0, 1.0]), (n, 1)) if tracks.gaze is None else np.array(tracks.gaze),
        markers=sorted(ctx.markers + tracks.markers),
        meta={
            "motion": program.meta.id,
            "version": program.meta.version,
            "params": ctx.params.to_dict(),
            "seed": int(seed),
            "fps": float(fps),
            "duration": float(duration),
            "skeleton": skeleton.name,
            **({"reached": reached} if reached else {}),
        },
    )


def _build(program: MotionProgram, ctx: Context) -> Tracks:
    """``program.build(ctx)``, with any failure of the motion's own code named for the user."""
    mid = program.meta.id
    try:
        tracks = program.build(ctx)
    except (ParamError, MotionError):
        raise
    except Exception as exc:  # a motion file that raises: say which motion, when, what, and what the user can change
        when = f"at t = {float(ctx.times[ctx.frame]):.3f} s" if isinstance(program, FrameProgram) else "while building"
        raise MotionError(
            f"motion '{mid}' raised {type(exc).__name__} {when}: {exc}. {_what_to_change(program, ctx)} "
            "Nothing was written."
        ) from exc
    if not isinstance(tracks, Tracks) or tracks.n_frames != ctx.n_frames:
        raise MotionError(
            f"motion '{mid}': build() must return a Tracks of {ctx.n_frames} frames (one per ctx.times); "
            "fix the motion program."
        )
    return tracks


def _check_finite(mid: str, lrot: np.ndarray, hips: np.ndarray, fps: float) -> None:
    bad = ~np.isfinite(hips).all(axis=1)
    for s in range(0, len(lrot), BLOCK):
        bad[s : s + BLOCK] |= ~np.isfinite(lrot[s : s + BLOCK]).all(axis=(1, 2))
    if bad.any():
        f = int(np.argmax(bad))
        raise MotionError(
            f"motion '{mid}' produced NaN or infinite values at frame {f} (t = {f / fps:.3f} s); "
            "check its parameters or report the motion. Nothing was written."
        )


def _continuous_unit_quaternions(lrot: np.ndarray) -> np.ndarray:
    """``quat.continuous(quat.normalize(lrot), axis=0)`` done in place on the program's own array, in blocks of
    :data:`BLOCK` frames, so a long clip holds one copy of its rotations and no full-size temporaries."""
    for s in range(0, len(lrot), BLOCK):
        block = lrot[s : s + BLOCK]
        # np.linalg.norm(block, axis=-1) written out in its order of additions (bit-identical, a third of the time)
        sq = block * block
        norm = np.sqrt(((sq[..., 0] + sq[..., 1]) + sq[..., 2]) + sq[..., 3])
        block /= np.maximum(norm, 1e-12)[..., None]
    return quat.make_continuous(lrot, BLOCK)
