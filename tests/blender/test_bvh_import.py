"""Blender's own BVH importer loads what `posers sample` writes."""

import pytest

bpy = pytest.importorskip("bpy", reason="the pip bpy module is not installed in this environment")

pytestmark = pytest.mark.blender


def test_blender_bvh_importer_loads_a_sampled_idle(tmp_path):
    from posers_blender.cli import main

    out = tmp_path / "idle.bvh"
    assert main(["sample", "idle-breathe", "--seconds", "10", "--fps", "60", "--seed", "1", "--out", str(out)]) == 0
    bpy.ops.wm.read_factory_settings(use_empty=True)
    result = bpy.ops.import_anim.bvh(filepath=str(out), global_scale=1.0, frame_start=1, use_fps_scale=False)
    assert result == {"FINISHED"}
    arm = bpy.context.active_object
    assert arm.type == "ARMATURE"
    assert len(arm.data.bones) == 55
    assert "leftUpperArm" in arm.data.bones
    # Blender is Z-up: the rest head of the avatar ~1.65 m * 0.875 high, feet at the floor
    head = arm.data.bones["head"].head_local
    assert 1.35 < head.z < 1.55
    assert abs(arm.data.bones["leftFoot"].head_local.z - 0.064) < 0.01
    assert arm.animation_data and arm.animation_data.action
    bpy.context.scene.frame_set(300)
