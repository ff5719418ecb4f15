"""Baking: slotted actions written in bulk, provenance, no overwrite, key reduction, NLA, bad input."""

from __future__ import annotations

import pytest

pytest.importorskip("bpy", reason="the Blender integration tests need the bpy module (pip bpy==5.0.1)")

import json

import bpy
import numpy as np

from posers_blender import registry
from posers_blender.blender import avatar, bake, builtin, pose_transfer, vrm
from posers_blender.engine.params import Schema
from posers_blender.engine.program import FrameProgram, MotionError, MotionMeta

from .blender_helpers import datablock_names, vrm_files


def fcurves(action):
    bag = action.layers[0].strips[0].channelbag(action.slots[0])
    return list(bag.fcurves)


def test_bake_writes_one_slotted_action_with_all_channels_and_provenance(empty_scene):
    av = avatar.load(builtin.build())
    res = bake.bake(av, bake.BakeOptions("idle-breathe", seed=4, seconds=2.0, fps=30.0))
    act = res.action
    assert act.name == "idle-breathe seed 4"
    assert len(act.slots) == 1 and act.slots[0].target_id_type == "OBJECT"
    assert av.obj.animation_data.action == act and av.obj.animation_data.action_slot == act.slots[0]
    fcs = fcurves(act)
    assert len(fcs) == 4 * 55 + 3
    assert all(len(fc.keyframe_points) == 60 for fc in fcs)
    q, loc = bake.pose_tracks(av, res.clip)
    fc = next(f for f in fcs if f.data_path == 'pose.bones["leftUpperArm"].rotation_quaternion' and f.array_index == 0)
    m = av.rest.blender_names.index("leftUpperArm")
    assert fc.keyframe_points[0].co[0] == 1 and fc.keyframe_points[-1].co[0] == 60
    assert fc.keyframe_points[0].co[1] == pytest.approx(q[0, m, 0], abs=1e-6)
    assert fc.keyframe_points[-1].co[1] == pytest.approx(q[-1, m, 0], abs=1e-6)
    assert act["posers_motion"] == "idle-breathe" and act["posers_seed"] == 4 and act["posers_fps"] == 30.0
    assert json.loads(act["posers_params"])["rate"] == 14.0
    # quaternions are continuous: no sign flips between neighbouring keys
    for m in range(q.shape[1]):
        assert (np.sum(q[1:, m] * q[:-1, m], axis=-1) > 0).all()
    # gaze on the look-at target (the built-in avatar's look-at turns its eye bones); no expressions to key
    assert res.gaze_action is not None and res.face_action is None


def test_second_bake_never_overwrites_the_first(empty_scene):
    av = avatar.load(builtin.build())
    a = bake.bake(av, bake.BakeOptions("idle-breathe", seed=1, seconds=1.0)).action
    first = fcurves(a)[0].keyframe_points[5].co[1]
    b = bake.bake(av, bake.BakeOptions("idle-breathe", seed=1, seconds=1.0, params={"depth": 2.0})).action
    assert a.name == "idle-breathe seed 1" and b.name == "idle-breathe seed 1.001"
    assert fcurves(a)[0].keyframe_points[5].co[1] == first
    assert a.use_fake_user  # the replaced active action keeps a user


def test_markers_are_pose_markers_at_their_frames(empty_scene):
    av = avatar.load(builtin.build())
    res = bake.bake(av, bake.BakeOptions("idle-breathe", seconds=10.0, fps=30.0))
    names = [m.name for m in res.action.pose_markers]
    assert len(names) == len(res.clip.markers) > 0
    t0, n0 = res.clip.markers[0]
    mk = next(m for m in res.action.pose_markers if m.name == n0)
    assert mk.frame == int(round(1 + t0 * 30))


def test_key_reduction_on_idle_breathe_removes_80_percent_within_half_a_degree(empty_scene):
    av = avatar.load(builtin.build())
    res = bake.bake(av, bake.BakeOptions("idle-breathe", seed=2, seconds=20.0, fps=30.0, reduce_keys_deg=0.5))
    assert res.reduction >= 0.80
    assert 0.0 < res.max_error_deg <= 0.5 + 1e-3
    # measured independently: evaluate a reduced curve against the dense values
    q, _ = bake.pose_tracks(av, res.clip)
    m = av.rest.blender_names.index("chest")
    fcs = [f for f in fcurves(res.action) if f.data_path == 'pose.bones["chest"].rotation_quaternion']
    got = np.array([[f.evaluate(1 + i) for f in fcs] for i in range(res.clip.n_frames)])
    got /= np.linalg.norm(got, axis=1, keepdims=True)
    ang = np.degrees(2 * np.arccos(np.clip(np.abs(np.sum(got * q[:, m], axis=1)), 0, 1)))
    assert ang.max() <= 0.5 + 1e-3


def test_push_to_nla_sets_slot_and_layers_combine(empty_scene):
    av = avatar.load(builtin.build())
    opts = [
        bake.BakeOptions("idle-breathe", seed=1, seconds=2.0),
        bake.BakeOptions("idle-breathe", seed=2, seconds=2.0),
    ]
    results = bake.bake_layers(av, opts, nla=True, layout="stack")
    tracks = av.obj.animation_data.nla_tracks
    assert len(tracks) == 2
    base, layer = tracks[0].strips[0], tracks[1].strips[0]
    assert base.blend_type == "REPLACE" and layer.blend_type == "COMBINE"
    assert base.action_slot == results[0].action.slots[0] and layer.action_slot == results[1].action.slots[0]
    assert av.obj.animation_data.action is None
    bpy.context.scene.frame_set(30)
    # the NLA result moves the arm away from its T-pose rest (the strips animate something)
    assert abs(av.obj.pose.bones["leftUpperArm"].rotation_quaternion[0] - 1.0) > 1e-3


def test_bad_files_give_clear_errors_and_leave_the_scene_unchanged(empty_scene, tmp_path):
    builtin.build()
    before = datablock_names()
    corrupt = tmp_path / "corrupt.vrm"
    corrupt.write_bytes(b"glTF" + bytes(range(256)) * 4)
    text = tmp_path / "notes.vrm"
    text.write_text("not a model")
    for path, words in ((corrupt, "damaged glTF"), (text, "not a VRM file"), (tmp_path / "x.vrm", "not exist")):
        with pytest.raises(vrm.ImportFailed, match=words):
            vrm.import_vrm(path)
        assert datablock_names() == before


def test_armature_without_humanoid_bones_is_refused_by_name(empty_scene):
    arm = bpy.data.armatures.new("Tail")
    obj = bpy.data.objects.new("Tail", arm)
    bpy.context.scene.collection.objects.link(obj)
    bpy.context.view_layer.objects.active = obj
    bpy.ops.object.mode_set(mode="EDIT")
    for i in range(3):
        eb = arm.edit_bones.new(f"tail{i}")
        eb.head, eb.tail = (0, 0, i), (0, 0, i + 1)
    bpy.ops.object.mode_set(mode="OBJECT")
    with pytest.raises(avatar.NotHumanoid, match="hips"):
        avatar.load(obj)


class _Raises(FrameProgram):
    meta = MotionMeta(id="raises", name="Raises", description="raises on purpose")
    schema = Schema(())

    def update(self, rig, ctx, t, dt):
        if t > 0.5:
            raise ZeroDivisionError("boom")


def test_a_motion_that_raises_leaves_no_action(empty_scene, monkeypatch):
    av = avatar.load(builtin.build())
    monkeypatch.setitem(registry.discover(), "raises", _Raises())
    before = datablock_names()
    with pytest.raises(MotionError, match="raises"):
        bake.bake(av, bake.BakeOptions("raises", seconds=1.0))
    assert datablock_names() == before


@pytest.mark.parametrize("path", vrm_files()[:1], ids=lambda p: p.stem)
def test_bake_on_a_vrm_avatar_keys_its_bound_expressions(empty_scene, path):
    av = avatar.load(vrm.import_vrm(path))
    blink = vrm.expression_paths(av.obj)["blink"]
    res = bake.bake(av, bake.BakeOptions("idle-breathe", seconds=6.0))
    assert blink in {fc.data_path for fc in fcurves(res.face_action)}
    # hips translation lands where the engine put it
    bpy.context.scene.frame_set(1 + 90)
    head = pose_transfer.to_normalised(np.array(av.obj.matrix_world @ av.obj.pose.bones[av.mapping["hips"]].head))
    assert np.linalg.norm(head - res.clip.hips_pos[90]) < 1e-3
    # Push to NLA takes the face Action along to the armature data's NLA
    bake.push_bake_to_nla(av.obj, res.action)
    arm_ad = av.obj.data.animation_data
    assert arm_ad.action is None and arm_ad.nla_tracks[0].strips[0].action == res.face_action


class _FollowsTarget(FrameProgram):
    """Test motion: the hips follow the x of the 'lookAt' target (so a target's effect is easy to measure)."""

    meta = MotionMeta(id="follows-target", name="Follows", description="hips follow the lookAt target")
    schema = Schema(())

    def update(self, rig, ctx, t, dt):
        goal = ctx.target("lookAt")
        if goal is not None:
            rig.set_hips_offset(np.array([goal[0], 0.0, 0.0]))


def test_moving_or_animating_a_target_empty_moves_the_rebaked_motion(empty_scene, monkeypatch):
    from posers_blender.blender import empties, targets

    av = avatar.load(builtin.build())
    monkeypatch.setitem(registry.discover(), "follows-target", _FollowsTarget())
    empty = targets.ensure_target(av, "lookAt")
    assert empty.users_collection[0].name == empties.COLLECTION
    assert targets.ensure_target(av, "lookAt") == empty  # reused, not duplicated
    empty.location.x = 0.2
    clip = bake.bake(av, bake.BakeOptions("follows-target", seconds=1.0)).clip
    assert clip.hips_pos[:, 0] == pytest.approx(0.2)
    empty.location.x = 0.0
    empty.keyframe_insert("location", index=0, frame=1)
    empty.location.x = 0.3
    empty.keyframe_insert("location", index=0, frame=30)
    clip = bake.bake(av, bake.BakeOptions("follows-target", seconds=1.0, fps=30.0)).clip
    assert clip.hips_pos[0, 0] == pytest.approx(0.0, abs=1e-6) and clip.hips_pos[29, 0] == pytest.approx(0.3)
    assert 0.0 < clip.hips_pos[15, 0] < 0.3


def test_landmark_empties_start_at_the_estimates_and_moving_one_moves_the_landmark(empty_scene):
    from posers_blender.blender import landmarks

    obj = builtin.build()
    av = avatar.load(obj)
    lips = av.skeleton.landmark_rest("lips")
    empties = landmarks.ensure_empties(av)
    assert {e["posers_landmark"] for e in empties} == set(landmarks.SHOWN)
    bpy.context.view_layer.update()
    empty = bpy.data.objects[f"Posers lips ({obj.name})"]
    assert np.allclose(pose_transfer.to_normalised(np.array(empty.matrix_world.translation)), lips, atol=1e-5)
    assert np.allclose(avatar.load(obj).skeleton.landmark_rest("lips"), lips, atol=1e-5)
    # move the mouth 1 cm forward (normalised +Z = Blender -Y) in world space, even while posed
    obj.pose.bones["head"].rotation_quaternion = (0.9, 0.3, 0.0, 0.0)
    bpy.context.view_layer.update()
    from mathutils import Vector

    basis = empty.matrix_basis.copy()
    # the empty's basis is in the head bone's rest frame: move it along the bone frame's axis that is world -Y
    parent_rest = obj.matrix_world @ obj.data.bones["head"].matrix_local
    local_dir = parent_rest.to_3x3().inverted() @ Vector((0.0, -0.01, 0.0))
    basis.translation = basis.translation + local_dir
    empty.matrix_basis = basis
    moved = avatar.load(obj).skeleton.landmark_rest("lips")
    assert np.allclose(moved - lips, [0.0, 0.0, 0.01], atol=1e-5)


@pytest.mark.parametrize("path", [p for p in vrm_files() if p.stem == "debug_robot"], ids=lambda p: p.stem)
def test_vrma_export_round_trips_through_the_vrm_addons_importer(empty_scene, path, tmp_path):
    """Bake on the built-in avatar, export VRMA, import it onto another VRM 1.0 avatar: limbs point the same way."""
    from posers_blender import humanoid as hm
    from posers_blender.blender import export

    av = avatar.load(builtin.build())
    res = bake.bake(av, bake.BakeOptions("smoking-cigarette", seed=1, seconds=2.0, fps=30.0))
    gltf = export.export_vrma(av.obj, tmp_path / "m.vrma", 1, res.clip.n_frames)
    assert gltf["extensions"]["VRMC_vrm_animation"]["humanoid"]["humanBones"]["leftHand"]
    _, gpos = res.clip.fk()
    bpy.ops.wm.read_factory_settings(use_empty=True)
    vrm.ensure_addon()
    obj = vrm.import_vrm(path)
    bpy.context.view_layer.objects.active = obj
    assert bpy.ops.import_scene.vrma(filepath=str(tmp_path / "m.vrma"), armature_object_name=obj.name) == {"FINISHED"}
    mapping = avatar.load(obj).mapping
    for f in (20, 50):
        bpy.context.scene.frame_set(1 + f)
        for a, b in (
            ("leftUpperArm", "leftLowerArm"),
            ("rightLowerArm", "rightHand"),
            ("leftUpperLeg", "leftLowerLeg"),
        ):
            ha = pose_transfer.to_normalised(np.array(obj.matrix_world @ obj.pose.bones[mapping[a]].head))
            hb = pose_transfer.to_normalised(np.array(obj.matrix_world @ obj.pose.bones[mapping[b]].head))
            d1, d2 = hb - ha, gpos[f, hm.INDEX[b]] - gpos[f, hm.INDEX[a]]
            ang = np.degrees(np.arccos(np.clip(d1 @ d2 / np.linalg.norm(d1) / np.linalg.norm(d2), -1, 1)))
            assert ang < 2.0, (f, a, b, ang)


def test_builtin_avatar_is_a_vrm1_humanoid_built_without_the_addons_per_bone_candidate_search(empty_scene):
    import time

    from posers_blender import humanoid as hm

    t0 = time.perf_counter()
    obj = builtin.build()
    took = time.perf_counter() - t0
    assert vrm.spec_version(obj) == "1.0" and vrm.humanoid_mapping(obj) == {b: b for b in hm.BONES}
    human_bones = obj.data.vrm_addon_extension.vrm1.humanoid.human_bones
    assert human_bones.left_upper_arm.node.bone_name == "leftUpperArm"  # the add-on's own getter agrees
    assert "leftUpperArm" in human_bones.left_upper_arm.node.bone_name_candidates  # computed on demand
    assert took < 0.6, f"building the built-in avatar took {took:.2f} s (1.7 s with the add-on's bone_name setter)"


def pose_at(obj, frame: int) -> np.ndarray:
    bpy.context.scene.frame_set(frame)
    out = np.empty(4 * len(obj.pose.bones), dtype=np.float32)
    obj.pose.bones.foreach_get("rotation_quaternion", out)
    return out


def test_stacking_without_nla_leaves_one_action_playing_base_and_layer_never_the_layer_alone(empty_scene):
    opts = [
        bake.BakeOptions("idle-breathe", seed=1, seconds=2.0),
        bake.BakeOptions("nervous-fidget", seed=1, seconds=2.0),
    ]
    av = avatar.load(builtin.build())
    bake.bake_layers(av, opts, nla=True, layout="stack")
    combined = pose_at(av.obj, 30)
    bpy.ops.wm.read_factory_settings(use_empty=True)
    vrm.ensure_addon()
    av = avatar.load(builtin.build())
    (res,) = bake.bake_layers(av, opts, nla=False, layout="stack")
    ad = av.obj.animation_data
    assert ad.action == res.action and not res.action.get("posers_additive") and len(ad.nla_tracks) == 0
    assert [layer["posers_motion"] for layer in json.loads(res.action["posers_layers"])] == [
        "idle-breathe",
        "nervous-fidget",
    ]
    assert not any(a.get("posers_additive") for a in bpy.data.actions)  # no lone layer left behind
    assert np.abs(pose_at(av.obj, 30) - combined).max() < 1e-5


def test_all_and_the_panel_offer_the_same_motions_without_the_frozen_baselines():
    listed = bake.listed_motions()
    assert listed[0] == "idle-breathe"
    baselines = [k for k, v in registry.discover().items() if "baseline" in v.meta.tags]
    assert baselines and not set(baselines) & set(listed)


def test_bake_keys_euler_bones_as_euler_and_the_users_euler_action_still_plays(empty_scene):
    obj = builtin.build()
    av = avatar.load(obj)
    bake.bake(av, bake.BakeOptions("idle-breathe", seed=3, seconds=2.0))
    want = {}
    for f in (5, 40):
        bpy.context.scene.frame_set(f)
        want[f] = np.array(obj.pose.bones["leftUpperArm"].matrix)
    arm = obj.pose.bones["leftUpperArm"]
    arm.rotation_mode = "ZXY"
    obj.pose.bones["head"].rotation_mode = "AXIS_ANGLE"
    obj.animation_data.action = None
    arm.rotation_euler = (0.0, 0.0, 0.0)
    arm.keyframe_insert("rotation_euler", frame=1)
    arm.rotation_euler = (0.4, 0.0, 0.2)
    arm.keyframe_insert("rotation_euler", frame=10)
    users = obj.animation_data.action
    for reduce in (None, 0.5):
        res = bake.bake(av, bake.BakeOptions("idle-breathe", seed=3, seconds=2.0, reduce_keys_deg=reduce))
        assert arm.rotation_mode == "ZXY" and obj.pose.bones["head"].rotation_mode == "AXIS_ANGLE"
        paths = {fc.data_path for fc in fcurves(res.action)}
        assert 'pose.bones["leftUpperArm"].rotation_euler' in paths
        assert 'pose.bones["head"].rotation_axis_angle' in paths
        assert 'pose.bones["leftUpperArm"].rotation_quaternion' not in paths
        assert res.max_error_deg <= (0.5 + 1e-3 if reduce else 0.0)
        for f, m in want.items():
            bpy.context.scene.frame_set(f)
            assert np.abs(np.array(arm.matrix) - m).max() < (2e-2 if reduce else 1e-4)
    obj.animation_data.action = users
    bpy.context.scene.frame_set(10)
    assert tuple(arm.rotation_euler) == pytest.approx((0.4, 0.0, 0.2), abs=1e-6)


def test_no_face_or_gaze_action_when_the_avatar_has_nothing_for_them_to_drive(empty_scene):
    obj = builtin.build()
    look = obj.data.vrm_addon_extension.vrm1.look_at
    look.type = "expression"  # look expressions without binds: the look-at moves nothing
    res = bake.bake(avatar.load(obj), bake.BakeOptions("idle-breathe", seconds=1.0))
    assert res.face_action is None and res.gaze_action is None
    assert not [a.name for a in bpy.data.actions if a.name.endswith((" face", " gaze"))]
    assert not [o.name for o in bpy.data.objects if o.name.startswith("Posers Gaze")]
    assert look.preview_target_bpy_object is None


@pytest.mark.parametrize("enabled", [False, True])
def test_bake_leaves_the_vrm_look_at_preview_switch_as_the_user_had_it(empty_scene, monkeypatch, enabled):
    obj = builtin.build()
    look = obj.data.vrm_addon_extension.vrm1.look_at
    look.enable_preview = enabled
    res = bake.bake(avatar.load(obj), bake.BakeOptions("idle-breathe", seconds=1.0))
    assert res.gaze_action is not None and look.enable_preview == enabled
    monkeypatch.setitem(registry.discover(), "raises", _Raises())
    with pytest.raises(MotionError):
        bake.bake(avatar.load(obj), bake.BakeOptions("raises", seconds=1.0))
    assert look.enable_preview == enabled


def test_reduced_keys_get_auto_clamped_handles_where_the_error_stays_within_tolerance(empty_scene):
    av = avatar.load(builtin.build())
    res = bake.bake(av, bake.BakeOptions("basic-walk", seed=1, seconds=6.0, fps=30.0, reduce_keys_deg=0.5))
    fcs = fcurves(res.action)
    auto = [f for f in fcs if all(k.handle_left_type == "AUTO_CLAMPED" for k in f.keyframe_points)]
    free = [f for f in fcs if all(k.handle_left_type == "FREE" for k in f.keyframe_points)]
    assert len(auto) + len(free) == len(fcs) and len(auto) >= len(fcs) // 3
    assert res.auto_handles == pytest.approx(len(auto) / len(fcs), abs=0.02)
    # every rotation channel, whichever its handles, evaluates within the tolerance
    q, loc = bake.pose_tracks(av, res.clip)
    worst = 0.0
    for m, name in enumerate(av.rest.blender_names):
        bone = [f for f in fcs if f.data_path == f'pose.bones["{name}"].rotation_quaternion']
        got = np.array([[f.evaluate(1 + i) for f in sorted(bone, key=lambda f: f.array_index)] for i in range(len(q))])
        got /= np.linalg.norm(got, axis=1, keepdims=True)
        dot = np.abs(np.sum(got * q[:, m], axis=1)).clip(0, 1)
        worst = max(worst, float(np.degrees(2 * np.arccos(dot)).max()))
    assert worst <= 0.5 + 1e-2
