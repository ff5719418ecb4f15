"""Continuity gates: NaN, pose pops, velocity jumps, bone lengths."""

from __future__ import annotations

import numpy as np
import pytest

from posers_blender.quality import continuity
from posers_blender.quality.synthetic import move_hips, rest_clip


def test_still_clip_has_no_jumps_and_rigid_bones():
    clip = rest_clip(2.0)
    assert continuity.nan_count(clip) == 0
    assert continuity.pose_jump(clip).size == pytest.approx(0.0, abs=1e-9)
    assert continuity.velocity_jump(clip).size == pytest.approx(0.0, abs=1e-9)
    assert continuity.bone_length_cv(clip)[0] < 1e-9


def test_one_frame_pop_of_40_mm_reads_60_mm():
    clip = rest_clip(2.0)
    off = np.zeros((clip.n_frames, 3))
    off[30, 0] = 0.040
    j = continuity.pose_jump(move_hips(clip, off))
    assert j.size == pytest.approx(60.0, rel=1e-6)
    assert j.frame in (29, 30)


def test_smooth_fast_translation_is_not_a_jump():
    clip = rest_clip(2.0)
    t = np.arange(clip.n_frames) / clip.fps
    off = np.zeros((clip.n_frames, 3))
    off[:, 2] = 0.1 * np.sin(2 * np.pi * 1.0 * t)  # 0.63 m/s peak, 4 m/s^2
    moved = move_hips(clip, off)
    assert continuity.pose_jump(moved).size < 2.0
    assert continuity.velocity_jump(moved).size < 0.2


def test_nan_values_are_counted():
    clip = rest_clip(1.0)
    clip.hips_pos[3, 1] = np.nan
    assert continuity.nan_count(clip) == 1


def test_jump_bounds_scale_with_frame_rate():
    from posers_blender.quality import bands

    assert bands.pose_jump_bound(30.0).hi == pytest.approx(60.0, abs=0.01)  # dev mocap worst 53.7 mm + ~10 %
    assert bands.pose_jump_bound(60.0).hi == pytest.approx(7.5, abs=0.01)
    assert bands.pose_jump_bound(120.0).hi == bands.POSE_JUMP_FLOOR_MM
    assert bands.velocity_jump_bound(30.0).hi == pytest.approx(2.67, abs=0.01)
    assert bands.velocity_jump_bound(240.0).hi == bands.VELOCITY_JUMP_FLOOR
