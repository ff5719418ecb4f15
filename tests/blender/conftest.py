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
