"""Shared helpers for the walk tests: the sample-data folder and cached clips."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from posers_blender.engine.clip import Clip
from posers_blender.engine.sampler import sample
from posers_blender.engine.skeleton import Skeleton, default_avatar
from posers_blender.registry import get
from tests.conftest import shared_data as data_dir


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
