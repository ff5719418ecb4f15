"""The smoker's cigarette: an empty on the holding hand bone, at the lips during a puff."""

from __future__ import annotations

import pytest

pytest.importorskip("bpy", reason="the Blender integration tests need the bpy module (pip bpy==5.0.1)")

import bpy

from posers_blender.blender import avatar as avatar_mod
from posers_blender.blender import bake, builtin, landmarks


def test_smoking_bake_puts_a_cigarette_empty_on_the_hand_that_reaches_the_lips(empty_scene):
    obj = builtin.build(name="Posers Avatar")
    av = avatar_mod.load(obj)
    lips = {e["posers_landmark"]: e for e in landmarks.ensure_empties(av)}["lips"]
    res = bake.bake(av, bake.BakeOptions("smoking-cigarette", seed=1, seconds=12.0, fps=30.0))
    cig = bpy.data.objects.get(landmarks._name(obj.name, "cigarette"))
    assert cig is not None and cig.parent == obj and cig.parent_type == "BONE"
    assert cig.parent_bone == av.mapping["rightHand"]  # default handedness: right
    assert 0.05 < cig.empty_display_size < 0.12  # an 84 mm cigarette scaled by the hand
    puff = next(t for t, n in res.clip.markers if n == "puff")
    bpy.context.scene.frame_set(int(round(1 + (puff + 0.9) * 30)))  # mid-puff
    gap = (cig.matrix_world.translation - lips.matrix_world.translation).length
    assert gap < 0.02, gap
    # a second bake reuses the same empty instead of adding another
    bake.bake(av, bake.BakeOptions("smoking-cigarette", seed=2, seconds=2.0, fps=30.0))
    assert sum(1 for o in bpy.data.objects if o.get("posers_prop") == "cigarette") == 1
