"""Shared fixtures (the dev data folder ../shared/data next to the repo, the built-in avatar) and the test layers.

Three layers (issue 12): the unit layer (plain pytest, no bpy, seconds in all), the ``slow`` layer (every test
under tests/motions and tests/quality, which sample and score whole motions, plus the tests listed in
:data:`SLOW_TESTS`, each over about a second) and the ``blender`` layer (tests/blender, marked by its own
conftest). ``pytest -m "not slow and not blender"`` runs the unit layer alone; plain ``pytest`` runs everything.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

#: Folders whose tests sample and score whole motions: the slow layer.
SLOW_DIRS = ("tests/motions/", "tests/quality/")
#: Other tests measured at over about a second (``pytest --durations``); parametrised ids without their [...].
SLOW_TESTS: frozenset[str] = frozenset(
    {
        "tests/report/test_report.py::test_report_pages_and_summary_with_baseline_motion_and_mocap",
        "tests/report/test_figures.py::test_figures_and_gif_are_written",
        "tests/test_tuning.py::test_same_search_seed_gives_the_same_best_and_it_beats_the_defaults",
        "tests/test_tuning.py::test_tune_cli_needs_references_and_writes_a_usable_preset",
        "tests/cli/test_cli.py::test_ten_seconds_at_60_fps_twice_gives_byte_identical_bvh",
        "tests/cli/test_cli.py::test_bench_reports_every_motion",
        "tests/test_test_layers.py::test_motion_and_quality_tests_are_slow_and_cli_tests_are_not",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        nodeid = item.nodeid.replace("\\", "/")
        if nodeid.startswith(SLOW_DIRS) or nodeid.split("[")[0] in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)


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
