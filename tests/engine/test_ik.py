import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from posers_blender import humanoid as hm
from posers_blender.engine import ik, quat
from posers_blender.engine.program import HINGE_AXES, LIMBS, Rig
from posers_blender.engine.skeleton import default_avatar

SKEL = default_avatar()


def sphere_point(u, v, r):
    th = 2 * np.pi * u
    ph = np.arccos(2 * v - 1)
    return r * np.array([np.sin(ph) * np.cos(th), np.cos(ph), np.sin(ph) * np.sin(th)])


@settings(max_examples=200)
@given(st.floats(0, 1), st.floats(0, 1), st.floats(0.25, 0.97), st.sampled_from(sorted(LIMBS)))
def test_two_bone_ik_reaches_reachable_targets_within_1_mm(u, v, frac, limb):
    rig = Rig(SKEL)
    upper, lower, end = LIMBS[limb]
    a = np.linalg.norm(SKEL.offsets[hm.INDEX[lower]])
    b = np.linalg.norm(SKEL.offsets[hm.INDEX[end]])
    root = rig.world_position(upper)
    target = root + sphere_point(u, v, frac * (a + b))
    pole = root + np.array([0.0, -0.3, 1.0])
    sol = rig.two_bone_ik(limb, target, pole)
    # flexion inside the limits means the target is reachable for these radii
    if bool(sol.reached):
        assert np.linalg.norm(rig.world_position(end) - target) < 1e-3


def test_ik_bends_toward_the_pole():
    rig = Rig(SKEL)
    root = rig.world_position("leftUpperArm")
    target = root + np.array([0.15, -0.35, 0.1])
    for pole_dir in (np.array([0, -1.0, -1.0]), np.array([0, 1.0, 1.0])):
        pole = root + pole_dir
        rig.reset()
        rig.two_bone_ik("leftArm", target, pole)
        elbow = rig.world_position("leftLowerArm")
        d = target - root
        d /= np.linalg.norm(d)
        e_perp = (elbow - root) - np.dot(elbow - root, d) * d
        p_perp = pole_dir - np.dot(pole_dir, d) * d
        assert np.dot(e_perp, p_perp) > 0


def test_flexion_is_clamped_to_the_joint_limit():
    rig = Rig(SKEL)
    root = rig.world_position("leftUpperLeg")
    target = root + np.array([0.0, -0.02, 0.0])  # would need > 170° knee flexion
    sol = rig.two_bone_ik("leftLeg", target, root + np.array([0, 0, 1.0]))
    assert not bool(sol.reached)
    assert np.degrees(float(sol.flex)) <= 140.0 + 1e-6


def test_vectorised_solution_matches_single_solutions():
    rng = np.random.default_rng(3)
    root = np.zeros(3)
    mid, end = np.array([0.3, 0.0, 0.0]), np.array([0.25, 0.0, 0.0])
    targets = rng.normal(size=(20, 3)) * 0.2 + np.array([0.3, -0.1, 0.1])
    poles = np.tile(np.array([0.0, -1.0, 0.0]), (20, 1))
    batch = ik.two_bone(root, quat.identity((20,)), mid, end, targets, poles, HINGE_AXES["leftLowerArm"])
    for i in range(20):
        one = ik.two_bone(root, quat.IDENTITY, mid, end, targets[i], poles[i], HINGE_AXES["leftLowerArm"])
        assert np.allclose(one.upper_grot, batch.upper_grot[i], atol=1e-12)


def test_rest_bent_limb_is_solved_exactly():
    # knee ahead of the hip-ankle line at rest (as on real avatars)
    mid, end = np.array([0.0, -0.4, 0.02]), np.array([0.0, -0.4, -0.02])
    target = np.array([0.0, -0.7, 0.1])
    sol = ik.two_bone(np.zeros(3), quat.IDENTITY, mid, end, target, np.array([0, 0, 1.0]), HINGE_AXES["leftLowerLeg"])
    got = quat.rotate(sol.upper_grot, mid + quat.rotate(sol.lower_lrot, end))
    assert np.linalg.norm(got - target) < 1e-9


def test_look_at_chain_points_the_head_at_the_target_and_shares_the_turn():
    rig = Rig(SKEL)
    head = rig.world_position("head")
    target = head + np.array([1.0, 0.2, 1.0])
    rig.look_at(target, chain={"chest": 0.2, "neck": 0.3, "head": 0.5}, iterations=4)
    fwd = quat.rotate(rig.world_rotation("head"), np.array([0, 0, 1.0]))
    want = target - rig.world_position("head")
    ang = np.degrees(np.arccos(np.clip(np.dot(fwd, want) / np.linalg.norm(want), -1, 1)))
    assert ang < 0.5
    chest_turn = np.degrees(quat.angle_between(rig.rotation("chest"), quat.IDENTITY))
    head_turn = np.degrees(quat.angle_between(rig.rotation("head"), quat.IDENTITY))
    assert 0 < chest_turn < head_turn
