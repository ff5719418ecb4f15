import numpy as np
import pytest

from posers_blender import humanoid as hm
from posers_blender.engine import quat
from posers_blender.engine.skeleton import FK_BLOCK, Skeleton, default_avatar


@pytest.mark.parametrize("height", [1.5, 1.65, 1.9])
def test_default_avatar_follows_the_segment_fractions(height):
    # facts file §10 (Drillis & Contini): landmark heights and segment lengths as fractions of H
    s = default_avatar(height)
    pos = s.rest_positions()
    y = {b: pos[hm.INDEX[b], 1] / height for b in hm.BONES}
    assert np.isclose(s.height, height, rtol=1e-3)
    assert np.isclose(y["leftUpperLeg"], 0.530, atol=0.005)
    assert np.isclose(y["leftLowerLeg"], 0.285, atol=0.005)
    assert np.isclose(y["leftFoot"], 0.039, atol=0.005)
    assert np.isclose(s.bone_length("leftUpperArm") / height, 0.186, atol=0.002)
    assert np.isclose(s.bone_length("leftLowerArm") / height, 0.146, atol=0.002)
    shoulder_width = pos[hm.INDEX["leftUpperArm"], 0] - pos[hm.INDEX["rightUpperArm"], 0]
    assert 0.2 < shoulder_width / height < 0.26
    assert np.isclose(s.landmark_rest("chin")[1] / height, 0.870, atol=0.01)
    assert np.isclose(s.landmark_rest("leftEye")[1] / height, 0.936, atol=0.01)


def test_default_avatar_has_all_55_bones_and_stands_on_the_floor():
    s = default_avatar()
    assert s.present.all()
    for lm in ("leftHeel", "rightHeel", "leftToeTip", "rightToeTip"):
        assert abs(s.landmark_rest(lm)[1]) < 1e-9
    heels = s.landmark_rest("leftHeel")[0] - s.landmark_rest("rightHeel")[0]
    assert 0.15 < heels < 0.19  # facts §1 preferred stance: heel centres about 17 cm apart


def test_height_out_of_range_is_refused():
    with pytest.raises(ValueError, match="height"):
        default_avatar(3.0)


def test_fk_at_rest_gives_rest_positions_and_is_vectorised():
    s = default_avatar()
    lrot = quat.identity((4, len(hm.BONES)))
    hips = np.tile(s.offsets[0], (4, 1))
    grot, gpos = s.fk(lrot, hips)
    assert np.allclose(gpos[0], s.rest_positions())
    assert np.allclose(grot, quat.identity((4, len(hm.BONES))))


def test_fk_rotating_the_hips_turns_everything_about_the_hips():
    s = default_avatar()
    q = quat.from_axis_angle(np.array([0, 1.0, 0]), np.pi / 2)
    lrot = quat.identity((len(hm.BONES),))
    lrot[0] = q
    _, gpos = s.fk(lrot, s.offsets[0])
    rel = s.rest_positions() - s.offsets[0]
    assert np.allclose(gpos - s.offsets[0], quat.rotate(q, rel), atol=1e-12)


def test_missing_optional_bones_sit_on_their_parent_and_required_ones_are_named():
    s = default_avatar()
    pos = {b: p for b, p in zip(hm.BONES, s.rest_positions()) if b in hm.REQUIRED_VRM1}
    minimal = Skeleton.from_rest_positions(pos, name="minimal")
    assert minimal.present.sum() == 15
    assert np.allclose(minimal.offsets[hm.INDEX["chest"]], 0.0)
    assert np.allclose(minimal.rest_positions()[hm.INDEX["leftUpperArm"]], pos["leftUpperArm"])
    del pos["leftFoot"]
    with pytest.raises(ValueError, match="leftFoot"):
        Skeleton.from_rest_positions(pos)


def test_chain_fk_is_bit_identical_to_full_fk_for_every_bone_and_shape():
    skel = default_avatar()
    rng = np.random.default_rng(3)
    n = FK_BLOCK + 7  # more than one block
    for shape, hips_shape in (((55, 4), (3,)), ((7, 55, 4), (3,)), ((2, 5, 55, 4), (2, 5, 3)), ((n, 55, 4), (n, 3))):
        lrot = quat.normalize(rng.normal(size=shape))
        hips = rng.normal(size=hips_shape)
        grot, gpos = skel.fk(lrot, hips)
        assert grot.shape == shape and gpos.shape == (*shape[:-1], 3)
        for j, bone in enumerate(hm.BONES):
            r, p = skel.chain_fk(lrot, hips, bone)
            assert np.array_equal(r, grot[..., j, :]) and np.array_equal(p, gpos[..., j, :])
        picked = ["head", "leftHand", "rightUpperArm", "rightIndexDistal", "leftToes"]
        rots, poss = skel.bones_fk(lrot, hips, picked)
        for j in set(rots) | set(poss):  # the picked bones and every joint on their chains
            assert np.array_equal(rots[j], grot[..., j, :]) and np.array_equal(poss[j], gpos[..., j, :])
        assert {hm.INDEX[b] for b in picked} <= set(rots)


def test_tracks_bone_poses_and_landmarks_equal_full_fk():
    from posers_blender.engine.program import Tracks

    skel = default_avatar()
    rng = np.random.default_rng(5)
    tr = Tracks(skel, 40)
    tr.lrot[:] = quat.normalize(rng.normal(size=tr.lrot.shape))
    tr.hips_offset[:] = rng.normal(size=(40, 3)) * 0.05
    grot, gpos = tr.fk()
    for bone, (r, p) in tr.bone_poses(["hips", "head", "leftHand", "rightFoot"]).items():
        j = hm.INDEX[bone]
        assert np.array_equal(r, grot[:, j]) and np.array_equal(p, gpos[:, j])
    assert np.array_equal(tr.landmark("lips"), skel.landmark_positions("lips", grot, gpos))
