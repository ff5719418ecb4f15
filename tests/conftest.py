"""Shared fixtures: the dev data folder (../shared/data next to the repo) and the built-in avatar."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def shared_data() -> Path | None:
    for cand in (REPO.parent / "shared" / "data",):
        if cand.is_dir():
            return cand
    return None


@pytest.fixture(scope="session")
def data_dir() -> Path:
    d = shared_data()
    if d is None:
        pytest.skip("../shared/data (dev avatars and mocap) is not next to this checkout")
    return d


@pytest.fixture(scope="session")
def avatar():
    from posers_blender.engine.skeleton import default_avatar

    return default_avatar()
