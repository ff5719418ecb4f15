"""Blender 4.5 LTS and 5.0: the manifest's minimum is the compat module's, and the slotted-Action helpers work."""

from __future__ import annotations

import tomllib

import pytest

pytest.importorskip("bpy", reason="the Blender integration tests need the bpy module (pip bpy==5.0.1)")

import bpy

from posers_blender.blender import avatar, bake, builtin, compat

from .blender_helpers import REPO


def test_manifest_minimum_is_the_oldest_tested_blender():
    manifest = tomllib.loads((REPO / "blender_manifest.toml").read_text())
    assert tuple(int(x) for x in manifest["blender_version_min"].split(".")) == compat.MIN_VERSION
    assert compat.version() >= compat.MIN_VERSION
    compat.check_version()


def test_fcurves_of_a_bake_through_the_slotted_api(empty_scene):
    av = avatar.load(builtin.build())
    res = bake.bake(av, bake.BakeOptions("idle-breathe", seconds=0.5))
    assert len(compat.fcurves(res.action)) == len(compat.fcurves(res.action, res.slot)) == 4 * 55 + 3
    other = bpy.data.actions.new("other")
    assert compat.fcurves(other) == []
