import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from posers_blender import humanoid as hm
from posers_blender.engine import ik, quat
from posers_blender.engine.program import HINGE_AXES, LIMBS, Tracks
from posers_blender.engine.skeleton import default_avatar

SKEL = default_avatar()


def world_position(tracks, bone):
    return tracks.bone_pose(bone)[1][0]


def sphere_point(u, v, r):
    th = 2 * np.pi * u
    ph = np.arccos(2 * v - 1)
    return r * np.array([np.sin(ph) * np.cos(th), np.cos(ph), np.sin(ph) * np.sin(th)])


@settings(max_examples=200)
@given(st.floats(0, 1), st.floats(0, 1), st.floats(0.25, 0.97), st.sampled_from(sorted(LIMBS)))
def test_two_bone_ik_reaches_reachable_targets_within_1_mm(u, v, frac, limb):
    tr = Tracks(SKEL, 1)
    upper, lower, end = LIMBS[limb]
    a = np.linalg.norm(SKEL.offsets[hm.INDEX[lower]])
    b = np.linalg.norm(SKEL.offsets[hm.INDEX[end]])
    root = world_position(tr, upper)
    target = root + sphere_point(u, v, frac * (a + b))
    pole = root + np.array([0.0, -0.3, 1.0])
    sol = tr.solve_limb(limb, target, pole)
    # flexion inside the limits means the target is reachable for these radii
    if bool(sol.reached[0]):
        assert np.linalg.norm(world_position(tr, end) - target) < 1e-3


def test_ik_bends_toward_the_pole():
    root = world_position(Tracks(SKEL, 1), "leftUpperArm")
    target = root + np.array([0.15, -0.35, 0.1])
    for pole_dir in (np.array([0, -1.0, -1.0]), np.array([0, 1.0, 1.0])):
        pole = root + pole_dir
        tr = Tracks(SKEL, 1)
        tr.solve_limb("leftArm", target, pole)
        elbow = world_position(tr, "leftLowerArm")
        d = target - root
        d /= np.linalg.norm(d)
        e_perp = (elbow - root) - np.dot(elbow - root, d) * d
        p_perp = pole_dir - np.dot(pole_dir, d) * d
        assert np.dot(e_perp, p_perp) > 0


def test_flexion_is_clamped_to_the_joint_limit():
    tr = Tracks(SKEL, 1)
    root = world_position(tr, "leftUpperLeg")
    target = root + np.array([0.0, -0.02, 0.0])  # would need > 170° knee flexion
    sol = tr.solve_limb("leftLeg", target, root + np.array([0, 0, 1.0]))
    assert not bool(sol.reached[0])
    assert np.degrees(float(sol.flex[0])) <= 140.0 + 1e-6


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


def test_solving_against_a_limb_root_taken_once_equals_solving_afresh():
    rng = np.random.default_rng(4)
    tr = Tracks(SKEL, 30)
    tr.rotate("chest", quat.from_axis_angle(np.array([0.0, 1.0, 0.0]), rng.uniform(-0.3, 0.3, 30)))
    root = tr.limb_root("rightArm")
    targets = root.upper_gpos + rng.normal(size=(30, 3)) * 0.1 + np.array([-0.3, -0.2, 0.1])
    pole = np.array([-0.5, -1.0, -0.2])
    a = Tracks(SKEL, 30)
    a.lrot[:] = tr.lrot
    sa = a.solve_limb("rightArm", targets, pole)
    sb = tr.solve_limb("rightArm", targets, pole, root=root)
    assert np.array_equal(a.lrot, tr.lrot) and np.array_equal(sa.flex, sb.flex)
