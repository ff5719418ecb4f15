"""Anatomical joint angles and limit violations (facts §8), joint speeds (metrics A8)."""

from __future__ import annotations

import numpy as np
import pytest

from posers_blender import humanoid as hm
from posers_blender.quality import limits
from posers_blender.quality.synthetic import hanging_arm, rest_clip, rot, set_rotation

X, Y, Z = np.eye(3)


def _angle(clip, name):
    return float(limits.angle(clip, name)[0])


def test_t_pose_is_inside_every_limit():
    lv = limits.limit_violations(rest_clip(1.0))
    assert lv.frames == 0 and lv.worst_excess == 0.0


def test_t_pose_shoulder_is_90_degrees_elevated_without_rotation():
    clip = rest_clip(1.0)
    assert _angle(clip, "leftShoulder.elevation") == pytest.approx(90.0)
    assert _angle(clip, "rightShoulder.rotation") == pytest.approx(0.0, abs=1e-9)


def test_knee_flexed_160_degrees_exceeds_limit_by_10():
    clip = set_rotation(rest_clip(1.0), "leftLowerLeg", rot(X, 160.0))
    assert _angle(clip, "leftKnee.flexion") == pytest.approx(160.0)
    lv = limits.limit_violations(clip)
    assert lv.frames == clip.n_frames
    assert lv.worst_angle == "leftKnee.flexion"
    assert lv.worst_excess == pytest.approx(160.0 - 145.0 - 5.0)


def test_elbow_hyperextended_12_degrees_exceeds_by_7():
    clip = set_rotation(rest_clip(1.0), "rightLowerArm", rot(Y, -12.0))  # right elbow flexes about +Y
    assert _angle(clip, "rightElbow.flexion") == pytest.approx(-12.0)
    assert limits.limit_violations(clip).worst_excess == pytest.approx(7.0)


def test_internal_rotation_of_hanging_arm_is_positive_and_turns_forearm_inward():
    clip = rest_clip(1.0)
    for side, s in (("left", 1.0), ("right", -1.0)):
        q = np.asarray(hanging_arm(side))
        # internal rotation = twist about the bone's rest axis (s, 0, 0), sign s (module docstring)
        from posers_blender.engine import quat

        clip = set_rotation(clip, f"{side}UpperArm", quat.mul(q, rot([s, 0, 0], s * 90.0)))
        clip = set_rotation(clip, f"{side}LowerArm", rot(limits.HINGE_AXES[f"{side}LowerArm"], 90.0))
        assert _angle(clip, f"{side}Shoulder.elevation") == pytest.approx(0.0, abs=1e-6)
        assert _angle(clip, f"{side}Shoulder.rotation") == pytest.approx(90.0, abs=1e-6)
        grot, gpos = clip.fk()
        elbow, wrist = gpos[0, hm.INDEX[f"{side}LowerArm"]], gpos[0, hm.INDEX[f"{side}Hand"]]
        # the forearm points across the body (medially), not forward
        assert -s * (wrist - elbow)[0] > 0.9 * np.linalg.norm(wrist - elbow)
    assert limits.limit_violations(clip).frames == 0


def test_arm_raised_behind_the_back_beyond_60_degrees_is_flagged():
    # hanging arm (-Y) swung 75° backward: +X rotation takes -Y toward -Z (extension)
    from posers_blender.engine import quat

    q = quat.mul(rot(X, 75.0), hanging_arm("left"))
    clip = set_rotation(rest_clip(1.0), "leftUpperArm", q)
    assert _angle(clip, "leftShoulder.behind") == pytest.approx(75.0, abs=1e-6)
    assert limits.limit_violations(clip).by_angle["leftShoulder.behind"] == pytest.approx(10.0, abs=1e-6)


def test_hip_flexion_and_wrist_flexion_signs():
    clip = set_rotation(rest_clip(1.0), "leftUpperLeg", rot(X, -30.0))
    clip = set_rotation(clip, "leftHand", rot(Z, -30.0))
    grot, gpos = clip.fk()
    assert gpos[0, hm.INDEX["leftLowerLeg"], 2] > gpos[0, hm.INDEX["leftUpperLeg"], 2]  # thigh forward
    assert _angle(clip, "leftHip.flexion") == pytest.approx(30.0)
    # the hand axis points at the middle knuckle, slightly off +X, so the swing split is not exact
    assert _angle(clip, "leftWrist.flexion") == pytest.approx(30.0, abs=0.5)  # palm (-Y) side


def test_single_spine_bone_bent_30_degrees_reads_broken():
    # chest.bend range 0-20° (facts §8 ~15°, moved to the dev mocap's 23.2°) + 5° tolerance
    clip = set_rotation(rest_clip(1.0), "chest", rot(X, 30.0))
    lv = limits.limit_violations(clip)
    assert lv.worst_angle == "chest.bend" and lv.worst_excess == pytest.approx(5.0)


def test_joint_speed_of_a_head_turning_at_720_deg_per_s():
    clip = rest_clip(1.0, fps=60.0)
    t = np.arange(clip.n_frames) / 60.0
    clip = set_rotation(clip, "head", rot(Y, 720.0 * t * 0.1))  # 72°/s
    stats = limits.joint_speed_stats(clip)
    assert stats.max_joint == "head" and stats.max == pytest.approx(72.0, rel=1e-6)
    eyes = set_rotation(clip, "leftEye", rot(Y, 2000.0 * t))  # eyes are excluded
    assert limits.joint_speed_stats(eyes).max == pytest.approx(72.0, rel=1e-6)


def test_wrist_deviation_is_measured_in_the_turned_frame_when_the_hand_carries_forearm_twist():
    from posers_blender.engine import quat

    # forearm rotation 60° stored on the hand bone, then 15° radial deviation about the turned axis
    base = rest_clip(1.0)
    axis = limits._bone_axis(base, "leftHand", "leftMiddleProximal")  # wrist -> middle knuckle
    q = quat.mul(rot(axis, 60.0), rot(Y, -15.0))  # left hand: radial = -rotation about +Y (toward +Z)
    clip = set_rotation(base, "leftHand", q)
    assert _angle(clip, "leftWrist.deviation") == pytest.approx(15.0, abs=0.5)
    assert _angle(clip, "leftWrist.flexion") == pytest.approx(0.0, abs=0.5)
    assert _angle(clip, "leftForearm.rotation") == pytest.approx(60.0, abs=1.0)  # axis tilts 1° below X
