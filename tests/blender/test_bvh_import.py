"""Blender's own BVH importer, at its default settings, stands up every BVH the project writes."""

import numpy as np
import pytest

bpy = pytest.importorskip("bpy", reason="the pip bpy module is not installed in this environment")

from posers_blender.blender import avatar, bake, export, vrm  # noqa: E402

from .blender_helpers import vrm_files  # noqa: E402

pytestmark = pytest.mark.blender


def import_at_defaults(path) -> bpy.types.Object:
    bpy.ops.wm.read_factory_settings(use_empty=True)
    assert bpy.ops.import_anim.bvh(filepath=str(path)) == {"FINISHED"}
    return bpy.context.active_object


def heights(arm: bpy.types.Object, frame: int) -> dict[str, float]:
    bpy.context.scene.frame_set(frame)
    return {b: (arm.matrix_world @ arm.pose.bones[b].head).z for b in ("head", "hips", "leftFoot", "rightFoot")}


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


@pytest.mark.parametrize("path", vrm_files()[:1], ids=lambda p: p.stem)
def test_a_baked_vrm_exports_a_bvh_that_stands_up_with_humanoid_names(empty_scene, tmp_path, path):
    """Blender's own BVH exporter wrote the VRM's bone names in Z-up axes: imported at defaults it lay on its back."""
    av = avatar.load(vrm.import_vrm(path))
    assert av.mapping["hips"] != "hips"  # the avatar's own names differ from the humanoid ones
    res = bake.bake(av, bake.BakeOptions("idle-breathe", seconds=2.0, fps=30.0))
    bpy.context.scene.render.fps = 30
    _, gpos = res.clip.fk()
    _, back = export.evaluated_clip(av, 1, 60).fk()
    present = av.skeleton.present
    assert np.abs(back[:, present] - gpos[:, present]).max() < 1e-4  # what the rig plays is what was baked
    assert export.export_bvh(av, tmp_path / "v.bvh", 1, 60) == 60
    arm = import_at_defaults(tmp_path / "v.bvh")
    assert {"hips", "head", "leftUpperArm"} <= set(arm.data.bones.keys())
    for frame in (1, 45):
        z = heights(arm, frame)
        assert z["head"] > z["hips"] + 0.2 > max(z["leftFoot"], z["rightFoot"]) + 0.2, z
