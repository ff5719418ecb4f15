"""The numbers behind the report's plots, on poses with known answers, and the pictures being written."""

from __future__ import annotations

import numpy as np
import pytest

from posers_blender.engine.curves import minimum_jerk
from posers_blender.quality.synthetic import rest_clip, rot, set_rotation
from posers_blender.report import figures

pytest.importorskip("matplotlib")


def test_t_pose_angles_are_zero_flexion_and_horizontal_arms():
    ang = figures.joint_angles(rest_clip(1.0))
    for key in ("knee flexion L", "elbow flexion R", "hip flexion L", "trunk pitch", "head yaw"):
        np.testing.assert_allclose(ang[key], 0.0, atol=1e-6)
    np.testing.assert_allclose(ang["shoulder elevation L"], 90.0, atol=1e-6)


def test_knee_bend_and_hip_flexion_read_back_in_degrees():
    clip = set_rotation(rest_clip(1.0), "leftLowerLeg", rot([1.0, 0.0, 0.0], 30.0))
    clip = set_rotation(clip, "rightUpperLeg", rot([1.0, 0.0, 0.0], -20.0))  # thigh forward
    ang = figures.joint_angles(clip)
    np.testing.assert_allclose(ang["knee flexion L"], 30.0, atol=1e-6)
    np.testing.assert_allclose(ang["hip flexion R"], 20.0, atol=1e-6)
    np.testing.assert_allclose(ang["knee flexion R"], 0.0, atol=1e-6)


def test_one_minimum_jerk_arm_raise_is_one_reach_peaking_mid_movement():
    clip = rest_clip(3.0)
    t = clip.times
    lower = 80.0 - 60.0 * minimum_jerk((t - 1.0) / 1.0)  # arm from hanging (80° down) up to 20° down in 1 s
    clip = set_rotation(clip, "leftUpperArm", rot([0.0, 0.0, 1.0], -lower))
    found = figures.reaches(clip)
    assert len(found) == 1 and found[0].side == "left"
    r = found[0]
    peak = r.start + int(np.argmax(figures.hand_speed(clip, "left")[r.start : r.end]))
    assert abs(peak / clip.fps - 1.5) < 0.05  # minimum jerk peaks at mid-movement (facts §4)


def test_figures_and_gif_are_written(tmp_path):
    clip = set_rotation(rest_clip(1.0), "leftUpperArm", rot([0.0, 0.0, 1.0], -80.0))
    for fn, name in (
        (figures.plot_joint_angles, "a.png"),
        (figures.plot_trajectories, "t.png"),
        (figures.plot_reach_speeds, "r.png"),
        (figures.stick_strip, "s.png"),
    ):
        path = fn(clip, tmp_path / name)
        assert path.stat().st_size > 1000
    figures.plot_foot_heights(clip, tmp_path / "f.png", [("left", 0, 10)])
    gif = figures.stick_gif(clip, tmp_path / "g.gif", seconds=0.5, fps=5)
    assert gif.read_bytes()[:6] in (b"GIF89a", b"GIF87a")
