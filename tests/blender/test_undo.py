"""Every Posers operator is undoable: run it, undo once, and the scene's data is as before.

Headless Blender has a window in its window manager; with it as the context the undo stack
(memfile undo) works like in the UI, so undo is tested for real here.
"""

from __future__ import annotations

import pytest

pytest.importorskip("bpy", reason="the Blender integration tests need the bpy module (pip bpy==5.0.1)")

import bpy

import posers_blender
from posers_blender.blender import builtin


def snapshot() -> dict[str, object]:
    """What an operator may change: data-blocks, NLA tracks, active actions, collections."""
    objs = {o.name: (o.type, o.parent.name if o.parent else None) for o in bpy.data.objects}
    nla = {
        o.name: [t.name for t in o.animation_data.nla_tracks] if o.animation_data else None for o in bpy.data.objects
    }
    active = {
        o.name: (o.animation_data.action.name if o.animation_data and o.animation_data.action else None)
        for o in bpy.data.objects
    }
    return {
        "objects": objs,
        "actions": sorted(a.name for a in bpy.data.actions),
        "collections": sorted(c.name for c in bpy.data.collections),
        "nla": nla,
        "active_action": active,
        "preview": {o.name: bool(o.posers.preview) for o in bpy.data.objects if o.type == "ARMATURE"},
    }


@pytest.fixture
def window_scene(empty_scene):
    posers_blender.register()
    win = bpy.context.window_manager.windows[0]
    with bpy.context.temp_override(window=win):
        obj = builtin.build(name="Posers Avatar")
        bpy.context.view_layer.objects.active = obj
        obj.select_set(True)
        obj.posers.seconds = 0.5
        bpy.ops.ed.undo_push(message="test setup")
        yield obj
    posers_blender.unregister()


def _run_and_undo(op, before_setup=None, **kwargs):
    if before_setup:
        before_setup()
        bpy.ops.ed.undo_push(message="before")
    before = snapshot()
    assert op("EXEC_DEFAULT", True, **kwargs) == {"FINISHED"}
    after = snapshot()
    assert after != before, "the operator changed nothing, so this test would not see undo working"
    assert bpy.ops.ed.undo() == {"FINISHED"}
    assert snapshot() == before


def test_bake_is_undone(window_scene):
    _run_and_undo(bpy.ops.posers.bake_motion)


def test_push_to_nla_is_undone(window_scene):
    def baked():
        bpy.ops.posers.bake_motion("EXEC_DEFAULT", True)

    _run_and_undo(bpy.ops.posers.push_to_nla, before_setup=baked)


def test_show_landmarks_is_undone(window_scene):
    _run_and_undo(bpy.ops.posers.add_landmarks)


def test_add_target_is_undone(window_scene):
    _run_and_undo(bpy.ops.posers.add_target, name="lookAt")


def test_clear_preview_is_undone(window_scene):
    def previewing():
        window_scene.posers.preview = True

    _run_and_undo(bpy.ops.posers.clear_preview, before_setup=previewing)
