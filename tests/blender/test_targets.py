"""Target empties in Blender: Add Target offers what the motion reads, moving an empty 0.5 m changes the baked
bones it drives and nothing else, and the panel notes a target the limbs cannot reach."""

from __future__ import annotations

import pytest

pytest.importorskip("bpy", reason="the Blender integration tests need the bpy module (pip bpy==5.0.1)")

import numpy as np

from posers_blender import humanoid as hm
from posers_blender.blender import avatar, bake, builtin, targets
from posers_blender.engine import quat

HEAD = {"neck", "head", "leftEye", "rightEye"}


def _bake(av, motion="idle-breathe"):
    return bake.bake(av, bake.BakeOptions(motion, seconds=1.0, fps=30.0, overwrite=True)).clip


def test_moving_the_look_at_empty_half_a_metre_changes_only_head_and_eyes(empty_scene):
    av = avatar.load(builtin.build())
    empty = targets.ensure_target(av, "lookAt")
    a = _bake(av)
    empty.location.x += 0.5
    b = _bake(av)
    deg = np.degrees(quat.angle_between(a.lrot, b.lrot)).max(axis=0)
    assert max(deg[hm.INDEX["neck"]], deg[hm.INDEX["head"]]) > 2.0
    assert all(deg[j] < 0.01 for j, name in enumerate(hm.BONES) if name not in HEAD)


def test_add_target_offers_the_motions_targets_and_the_panel_notes_what_is_not_reached(empty_scene):
    av = avatar.load(builtin.build())
    assert [n for n, _, _ in targets.menu_items("basic-walk")] == ["lookAt"]
    assert "wall" in [n for n, _, _ in targets.menu_items("contemplative-lean")]
    empty = targets.ensure_target(av, "leftFoot")
    empty.location.y -= 1.5  # 1.5 m forward in Blender (-Y): past a standing step
    _bake(av)
    assert any("leftFoot" in line for line in targets.REACH_NOTES[av.obj_name])
