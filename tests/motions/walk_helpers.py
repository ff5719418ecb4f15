"""Shared helpers for the walk tests: the sample-data folder and cached clips."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from posers_blender.engine.clip import Clip
from posers_blender.engine.sampler import sample
from posers_blender.engine.skeleton import Skeleton, default_avatar
from posers_blender.registry import get

REPO = Path(__file__).resolve().parents[2]


def data_dir() -> Path | None:
    """``<repo>/../shared/data`` or ``/work/shared/data``, whichever exists (None when neither)."""
    for cand in (REPO.parent / "shared" / "data", Path("/work/shared/data")):
        if cand.is_dir():
            return cand
    return None


def vrm_files() -> list[Path]:
    d = data_dir()
    return sorted((d / "vrm").glob("*.vrm")) if d else []


@cache
def vrm_skeleton(name: str) -> Skeleton:
    from posers_blender.io.vrm_skeleton import load_vrm_skeleton

    d = data_dir()
    assert d is not None
    return load_vrm_skeleton(d / "vrm" / f"{name}.vrm")


@cache
def walk(
    motion: str,
    items: tuple[tuple[str, object], ...] = (),
    seed: int = 1,
    duration: float = 16.0,
    fps: float = 30.0,
    avatar: str = "",
) -> Clip:
    """A sampled walk, cached per argument set (tests share clips to stay fast)."""
    sk = vrm_skeleton(avatar) if avatar else default_avatar()
    return sample(get(motion), dict(items), seed=seed, fps=fps, duration=duration, skeleton=sk)
