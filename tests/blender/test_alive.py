"""Add Life Layer in Blender: a COMBINE strip above the user's animation, their Action untouched; and a VRMA
written by ``posers alive`` re-imports with the VRM add-on and plays with blinks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from .blender_helpers import data_dir


def _posed_builtin(bpy):  # type: ignore[no-untyped-def]
    from posers_blender.blender import builtin

    obj = builtin.build()
    bpy.context.view_layer.objects.active = obj
    action = bpy.data.actions.new("user pose")
    obj.animation_data_create().action = action
    pb = obj.pose.bones[0]
    pb.rotation_mode = "QUATERNION"
    for f in (1, 60):
        pb.keyframe_insert("rotation_quaternion", frame=f)
    bpy.context.scene.frame_start, bpy.context.scene.frame_end = 1, 60
    return obj, action


def _fcurve_values(action):  # type: ignore[no-untyped-def]
    out = []
    for layer in action.layers:
        for strip in layer.strips:
            for bag in strip.channelbags:
                for fc in bag.fcurves:
                    out.append((fc.data_path, fc.array_index, [tuple(k.co) for k in fc.keyframe_points]))
    return sorted(out)


def test_add_life_layer_is_a_combine_strip_above_the_users_untouched_action(empty_scene):  # type: ignore[no-untyped-def]
    import bpy

    import posers_blender

    obj, user = _posed_builtin(bpy)
    before = _fcurve_values(user)
    posers_blender.register()
    try:
        assert bpy.ops.posers.add_life_layer(seed=2) == {"FINISHED"}
    finally:
        posers_blender.unregister()
    tracks = obj.animation_data.nla_tracks
    assert obj.animation_data.action is None
    assert tracks[-1].name == "Posers life" and tracks[-1].strips[0].blend_type == "COMBINE"
    assert tracks[0].strips[0].action == user and _fcurve_values(user) == before
    # the layer moves the chest over time (breathing), and the same seed gives the same keys
    life = tracks[-1].strips[0].action
    keys = _fcurve_values(life)
    assert any(len(v) == 60 for _, _, v in keys)
    chest = [v for p, i, v in keys if "chest" in p.lower() and i == 1]
    assert chest and np.ptp([c[1] for c in chest[0]]) > 1e-4


def test_bad_parameters_cancel_with_one_message(empty_scene):  # type: ignore[no-untyped-def]
    import bpy

    from posers_blender.blender import alive_ops
    from posers_blender.engine.params import ParamError

    obj, _ = _posed_builtin(bpy)
    with pytest.raises(ParamError, match="breathing"):
        alive_ops.add_life_layer(obj, alive_ops.LifeOptions({"breathing": 9.0}))
    assert len(obj.animation_data.nla_tracks) == 0


@pytest.mark.skipif(data_dir() is None, reason="needs ../shared/data")
def test_vrma_written_by_posers_alive_reimports_with_blinks(empty_scene, tmp_path: Path):  # type: ignore[no-untyped-def]
    import bpy

    from posers_blender.blender import vrm
    from posers_blender.cli import main

    d = data_dir()
    assert d is not None
    out = tmp_path / "alive.vrma"
    assert main(["alive", str(d / "vrma" / "three-vrm_test.vrma"), "--out", str(out), "--seed", "1"]) == 0
    obj = vrm.import_vrm(d / "vrm" / "debug_robot.vrm")
    bpy.context.view_layer.objects.active = obj
    obj.select_set(True)
    assert bpy.ops.import_scene.vrma(filepath=str(out)) == {"FINISHED"}
    # debug_robot's blink has no morph binds, so vrm.expression_paths (which lists only expressions that
    # drive something) leaves it out; the VRMA importer still keys its preview value.
    paths = {"blink": vrm.extension(obj.data).vrm1.expressions.preset.blink.path_from_id("preview")}
    ad = obj.data.animation_data
    assert ad is not None and ad.action is not None
    fcs = [fc for layer in ad.action.layers for s in layer.strips for bag in s.channelbags for fc in bag.fcurves]
    blink = [fc for fc in fcs if fc.data_path == paths["blink"]]
    assert blink and max(k.co[1] for k in blink[0].keyframe_points) > 0.9


def test_life_layer_keys_euler_bones_in_their_own_mode_so_the_users_keys_still_play(empty_scene):  # type: ignore[no-untyped-def]
    import bpy

    from posers_blender.blender import alive_ops, avatar

    obj, _ = _posed_builtin(bpy)
    av = avatar.load(obj)
    arm = obj.pose.bones[av.mapping["leftUpperArm"]]
    arm.rotation_mode = "XZY"
    arm.rotation_euler = (0.0, 0.0, 0.0)
    arm.keyframe_insert("rotation_euler", frame=1)
    arm.rotation_euler = (0.0, 0.0, 1.0)
    arm.keyframe_insert("rotation_euler", frame=60)
    scene = bpy.context.scene
    scene.frame_set(30)
    before = np.array(arm.matrix_basis)
    res = alive_ops.add_life_layer(obj, alive_ops.LifeOptions({}, 3))
    assert arm.rotation_mode == "XZY"  # not switched to quaternions
    paths = {
        fc.data_path for layer in res.action.layers for s in layer.strips for b in s.channelbags for fc in b.fcurves
    }
    assert f'pose.bones["{arm.name}"].rotation_euler' in paths
    assert f'pose.bones["{arm.name}"].rotation_quaternion' not in paths
    scene.frame_set(30)
    after = np.array(arm.matrix_basis)
    # the user's raise (1 rad at frame 60, about half at 30) still shows, with the layer's small motion on top
    ang = np.degrees(np.arccos(np.clip((np.trace(before[:3, :3].T @ after[:3, :3]) - 1) / 2, -1, 1)))
    assert ang < 5.0 and np.degrees(np.arccos((np.trace(after[:3, :3]) - 1) / 2)) > 20.0
