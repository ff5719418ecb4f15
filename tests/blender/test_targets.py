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


def test_moving_a_rest_hand_empty_moves_that_arm_in_the_bake(empty_scene):
    av = avatar.load(builtin.build())
    empty = targets.ensure_target(av, "rightHand")  # in front of the chest: the hanging hand rises to it
    a = _bake(av)
    empty.location.z -= 0.5  # half a metre down in Blender (+Z up)
    b = _bake(av)
    deg = np.degrees(quat.angle_between(a.lrot, b.lrot)).max(axis=0)
    arm = {b for b in hm.BONES if b.startswith("right") and not b.endswith(("Leg", "Foot", "Toes", "Eye"))}
    assert max(deg[hm.INDEX["rightUpperArm"]], deg[hm.INDEX["rightLowerArm"]]) > 2.0
    assert all(deg[j] < 0.01 for j, name in enumerate(hm.BONES) if name not in arm)
    assert [n for n, _, _ in targets.menu_items("idle-breathe")] == ["lookAt", "leftFoot", "rightFoot", "leftHand",
                                                                      "rightHand"]  # fmt: skip


def test_a_moved_landmark_empty_changes_the_live_preview_as_it_changes_the_bake(empty_scene):
    import bpy

    import posers_blender
    from posers_blender.blender import landmarks, preview

    posers_blender.register()
    try:
        obj = builtin.build()
        bpy.context.view_layer.objects.active = obj
        obj.posers.motion = "contemplative-lean"
        obj.posers.seconds = 3.0
        scene = bpy.context.scene
        frame = obj.posers.frame_start + 2 * int(scene.render.fps)  # the fist holds the chin (enter 1.5 s)
        chin = next(e for e in landmarks.ensure_empties(avatar.load(obj)) if e["posers_landmark"] == "chin")
        obj.posers.preview = True
        scene.frame_set(frame)
        before = np.array(obj.pose.bones["rightLowerArm"].rotation_quaternion)
        resampled = []
        compute = preview._compute
        preview._compute = lambda *a: resampled.append(1) or compute(*a)  # type: ignore[assignment]
        try:
            for f in range(frame - 5, frame + 5):  # the preview's own pose moves the empty: no re-sample
                scene.frame_set(f)
            assert not resampled
            chin.location.z += 0.04  # 4 cm along the head bone's z
            bpy.context.view_layer.update()  # the depsgraph tells the preview
            scene.frame_set(frame)
            assert resampled
        finally:
            preview._compute = compute  # type: ignore[assignment]
        after = np.array(obj.pose.bones["rightLowerArm"].rotation_quaternion)
        assert np.degrees(quat.angle_between(before, after)) > 2.0  # the fist followed the moved chin
        # the bake, made from the same empties, gives the preview's pose
        opts = preview.options(obj)
        obj.posers.preview = False
        baked = bake.bake(avatar.load(obj), opts)
        scene.frame_set(frame)
        assert np.allclose(obj.pose.bones["rightLowerArm"].rotation_quaternion, after, atol=1e-4)
        assert baked.action is not None
    finally:
        posers_blender.unregister()
