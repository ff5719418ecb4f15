"""Engine clip -> armature: global bone directions match the engine's FK on every avatar."""

from __future__ import annotations

import pytest

pytest.importorskip("bpy", reason="the Blender integration tests need the bpy module (pip bpy==5.0.1)")

import bpy
import numpy as np

from posers_blender import humanoid as hm
from posers_blender.blender import avatar, pose_transfer, vrm
from posers_blender.engine import quat
from posers_blender.engine.skeleton import default_avatar

from .blender_helpers import build_armature, direction_errors_deg, evaluated_heads, sample_pose_lrot, vrm_files


def apply_pose(av: avatar.Avatar, lrot: np.ndarray, hips_pos: np.ndarray) -> np.ndarray:
    """Pose the armature from one frame of normalised rotations; returns the engine's FK positions [55, 3]."""
    grot, gpos = av.skeleton.fk(lrot[None], hips_pos[None])
    q = pose_transfer.pose_rotations(av.rest, grot)[0]
    loc = pose_transfer.hips_locations(av.rest, hips_pos[None])[0]
    obj = av.obj
    for m, name in enumerate(av.rest.blender_names):
        pb = obj.pose.bones[name]
        pb.rotation_mode = "QUATERNION"
        pb.rotation_quaternion = q[m]
    obj.pose.bones[av.rest.loc_bone].location = loc
    return gpos[0]


def reference_directions(lrot: np.ndarray) -> dict[str, np.ndarray]:
    """Limb directions of the test pose on the built-in avatar (engine only)."""
    skel = default_avatar()
    _, gpos = skel.fk(lrot, skel.offsets[0])
    out = {}
    for a, b in (
        ("leftUpperArm", "leftLowerArm"),
        ("leftLowerArm", "leftHand"),
        ("rightUpperArm", "rightLowerArm"),
    ):
        d = gpos[hm.INDEX[b]] - gpos[hm.INDEX[a]]
        out[a + ">" + b] = d / np.linalg.norm(d)
    return out


def check(av: avatar.Avatar, tol_deg: float = 1.0) -> dict[tuple[str, str], float]:
    lrot = sample_pose_lrot()
    hips = av.skeleton.offsets[0] + np.array([0.03, -0.02, 0.05])
    gpos = apply_pose(av, lrot, hips)
    heads = evaluated_heads(av.obj, {c: av.mapping[c] for c in av.rest.bones})
    errs = direction_errors_deg(heads, gpos)
    worst = max(errs.items(), key=lambda kv: kv[1])
    assert worst[1] < tol_deg, f"{av.obj_name}: {worst}"
    assert np.linalg.norm(heads["hips"] - hips) < 1e-3
    return errs


@pytest.mark.parametrize("path", vrm_files(), ids=lambda p: p.stem)
def test_vrm_avatar_bone_directions_match_engine_fk_and_each_other(empty_scene, path):
    obj = vrm.import_vrm(path)
    av = avatar.load(obj)
    assert av.health.ok and av.health.spec in ("0.0", "1.0")
    assert av.health.rest_pose == "T"
    look = vrm.look_at_offset(obj)
    if look is not None and av.spec == "0.0":  # VRM 0.x eyes sit above and in front of the head joint
        assert look[1] > 0 and look[2] > 0, look
    check(av)
    # across avatars: the same normalised pose points the arms the same way as on the built-in avatar
    # (legs keep each avatar's own rest splay and spines their lean, e.g. Godette's chibi legs stand 9 deg apart, so they are
    # checked against the engine's FK above, not against another avatar)
    ref = reference_directions(sample_pose_lrot())
    heads = evaluated_heads(obj, {c: av.mapping[c] for c in av.rest.bones})
    for key, d_ref in ref.items():
        a, b = key.split(">")
        if a in heads and b in heads:
            d = heads[b] - heads[a]
            ang = np.degrees(np.arccos(np.clip(np.dot(d / np.linalg.norm(d), d_ref), -1, 1)))
            assert ang < 5.0, f"{path.stem} {key}: {ang:.1f} deg from the built-in avatar"


def test_vrm_avatars_keep_planted_feet_when_baked(empty_scene):
    """Contact gate through Blender: the baked, evaluated feet stay where the engine planted them (< 5 mm slide)."""
    from posers_blender.blender import bake

    paths = vrm_files()
    if not paths:
        pytest.skip("no sample VRMs (../shared/data/vrm)")
    for path in paths:
        bpy.ops.wm.read_factory_settings(use_empty=True)
        vrm.ensure_addon()
        av = avatar.load(vrm.import_vrm(path))
        res = bake.bake(av, bake.BakeOptions("idle-breathe", seed=1, seconds=4.0, fps=30.0))
        _, gpos = res.clip.fk()
        for side in ("left", "right"):
            foot = av.mapping[side + "Foot"]
            frames = list(range(1, res.clip.n_frames + 1, 6))
            got = []
            for f in frames:
                bpy.context.scene.frame_set(f)
                got.append(pose_transfer.to_normalised(np.array(av.obj.matrix_world @ av.obj.pose.bones[foot].head)))
            got_a = np.array(got)
            want = gpos[[f - 1 for f in frames], hm.INDEX[side + "Foot"]]
            assert np.abs(got_a - want).max() < 1e-3, path.stem
            slide = np.ptp(got_a[:, [0, 2]], axis=0).max()
            assert slide < 5e-3, f"{path.stem} {side} foot slides {slide * 1e3:.1f} mm"


def test_builtin_avatar_eyes_come_from_its_vrm_look_at_offset(empty_scene):
    from posers_blender.blender import builtin

    obj = builtin.build()
    look = vrm.look_at_offset(obj)
    assert look is not None and look[1] > 0.05 and look[2] > 0.05
    skel = avatar.load(obj).skeleton
    assert skel.landmarks["lookAt"].offset == pytest.approx(look)
    assert skel.landmarks["leftEye"].offset[1:] == pytest.approx(look[1:])


def test_minimal_armature_with_15_required_bones_folds_missing_rotations(empty_scene):
    obj = build_armature(sorted(hm.REQUIRED_VRM1, key=hm.INDEX.get), name="Minimal")
    av = avatar.load(obj)
    assert len(av.mapping) == 15 and not av.health.missing_required
    assert "chest" in av.health.missing_optional
    errs = check(av)
    # the chest's rotation (absent bone) must still tilt the arms: compare with the pose without it
    lrot = sample_pose_lrot()
    lrot2 = lrot.copy()
    lrot2[hm.INDEX["chest"]] = quat.IDENTITY
    _, g1 = av.skeleton.fk(lrot, av.skeleton.offsets[0])
    _, g2 = av.skeleton.fk(lrot2, av.skeleton.offsets[0])
    assert np.linalg.norm(g1[hm.INDEX["leftHand"]] - g2[hm.INDEX["leftHand"]]) > 0.05
    assert errs


def test_armature_with_rolls_and_a_pose_matches_engine_fk(empty_scene):
    rng = np.random.default_rng(7)
    bones = [b for b in hm.BONES if b not in hm.FINGER_BONES]
    rolls = {b: float(rng.uniform(-np.pi, np.pi)) for b in bones}
    obj = build_armature(bones, rolls=rolls, arm_drop_deg=40.0, name="Rolled")
    av = avatar.load(obj)
    assert av.health.rest_pose == "A", av.health.lines()
    check(av)
    # the engine skeleton was straightened to a T-pose: upper arms along +-X
    pos = av.skeleton.rest_positions()
    d = pos[hm.INDEX["leftLowerArm"]] - pos[hm.INDEX["leftUpperArm"]]
    assert abs(d[1]) < 1e-6 and d[0] > 0


def test_alias_named_armature_is_mapped_and_reported():
    from posers_blender.humanoid import ALIASES

    names = [ALIASES["mixamo"][b] for b in hm.BONES if b in ALIASES["mixamo"]]
    mapped, family = hm.map_bone_names(names)
    assert family == "mixamo" and not hm.missing_required(mapped)
