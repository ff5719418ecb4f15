"""The extension zip: built, validated by Blender's tooling, installed into the pip bpy's Blender, baking."""

from __future__ import annotations

import pytest

pytest.importorskip("bpy", reason="the Blender integration tests need the bpy module (pip bpy==5.0.1)")

import os
import subprocess
import sys
from pathlib import Path

from .blender_helpers import REPO

INSTALL_AND_BAKE = r"""
import sys, bpy, importlib
zip_path = sys.argv[1]
bpy.ops.wm.read_factory_settings(use_empty=True)
bpy.ops.extensions.package_install_files(filepath=zip_path, repo="user_default", enable_on_install=True)
name = "bl_ext.user_default.posers_blender"
assert name in bpy.context.preferences.addons, sorted(bpy.context.preferences.addons.keys())
ext = importlib.import_module(name)
assert ext.__file__.startswith(sys.argv[2]), ext.__file__  # installed into the isolated user folder
builtin = importlib.import_module(name + ".blender.builtin")
avatar = importlib.import_module(name + ".blender.avatar")
obj = builtin.build()
bpy.context.view_layer.objects.active = obj
obj.posers.seconds = 1.0
assert bpy.ops.posers.bake_motion() == {"FINISHED"}
act = obj.animation_data.action
assert act["posers_motion"] == "idle-breathe", dict(act)
print("BAKED", act.name)
"""


@pytest.mark.slow
def test_extension_zip_installs_into_isolated_blender_and_bakes(tmp_path: Path):
    build = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_extension.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    assert "validated" in build.stdout
    zip_path = next(tmp_path.glob("posers_blender-*.zip"))
    user = tmp_path / "user"
    env = dict(
        os.environ,
        BLENDER_USER_RESOURCES=str(user),
        BLENDER_USER_CONFIG=str(user / "config"),
        BLENDER_USER_SCRIPTS=str(user / "scripts"),
        BLENDER_USER_EXTENSIONS=str(user / "extensions"),
    )
    env.pop("PYTHONPATH", None)
    out = subprocess.run(
        [sys.executable, "-c", INSTALL_AND_BAKE, str(zip_path), str(user)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=tmp_path,
    )
    assert out.returncode == 0, (out.stdout[-1500:], out.stderr[-3000:])
    assert "BAKED idle-breathe seed 0" in out.stdout
