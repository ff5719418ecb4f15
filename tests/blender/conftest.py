"""Integration layer: needs the bpy module (pip ``bpy`` or a Blender binary through pytest-blender).

Each test starts from an empty factory file with the VRM add-on enabled.
"""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/blender" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.blender)


@pytest.fixture
def empty_scene():
    bpy = pytest.importorskip("bpy", reason="the Blender integration tests need the bpy module (pip bpy==5.0.1)")
    bpy.ops.wm.read_factory_settings(use_empty=True)
    from posers_blender.blender import vrm

    vrm.ensure_addon()
    yield bpy.context.scene


_exit_status = [0]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _exit_status[0] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """On the pip bpy 4.5 module the interpreter hangs in teardown once the VRM add-on was imported: end the
    test run here with pytest's status (``compat.exit``; a no-op on 5.0)."""
    import sys

    if "bpy" in sys.modules:
        from posers_blender.blender import compat

        if compat.exit_hangs():
            compat.exit(_exit_status[0])
