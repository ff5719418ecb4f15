"""idle-breathe against the measured bands of the facts file §1."""

import numpy as np
import pytest

from posers_blender import humanoid as hm
from posers_blender.engine import quat, sample
from posers_blender.registry import get, motions_module

PROG = get("idle-breathe")


@pytest.fixture(scope="module", params=[0, 1, 2])
def long_clip(request):
    # weight shifts and self-touch gestures are rare (minutes); keep them out so sway and the relaxed arms
    # are measured on their own (gestures: tests/motions/test_standing.py)
    return sample(PROG, {"shift_interval": 600.0, "gesture_interval": 600.0}, seed=request.param, fps=30, duration=60)


def breaths_per_minute(clip):
    """Breathing rate read off the pose: cycles of the upper-chest pitch."""
    pitch = quat.to_scaled_axis(clip.lrot[:, hm.INDEX["upperChest"]])[:, 0]
    x = pitch - np.convolve(pitch, np.ones(301) / 301, mode="same")  # remove slow drift
    x = x[150:-150]
    ups = np.nonzero((x[:-1] < 0) & (x[1:] >= 0))[0]
    cycles = len(ups) - 1
    return 60.0 * cycles / ((ups[-1] - ups[0]) / clip.fps)


def test_breathing_rate_is_in_the_resting_band(long_clip):
    # facts §1: 12-20 breaths/min at rest (default 14 with ±12% breath-to-breath variation)
    assert 12.0 <= breaths_per_minute(long_clip) <= 20.0


@pytest.mark.parametrize("rate", [10.0, 18.0])
def test_rate_parameter_moves_the_measured_rate(rate):
    clip = sample(PROG, {"rate": rate, "sigh_interval": 900.0}, seed=3, fps=30, duration=60)
    assert abs(breaths_per_minute(clip) - rate) < 0.2 * rate


def test_sway_rms_is_a_few_millimetres(long_clip):
    # facts §1: pelvis sway AP RMS about 3-5 mm, ML about 2-3 mm; metrics B7 bands AP 2-7, ML 1.5-5 mm
    h = long_clip.hips_pos - long_clip.hips_pos.mean(axis=0)
    ap = np.sqrt(np.mean(h[:, 2] ** 2)) * 1000
    ml = np.sqrt(np.mean(h[:, 0] ** 2)) * 1000
    assert 2.0 <= ap <= 7.0, ap
    assert 1.5 <= ml <= 5.0, ml


def test_feet_stay_planted(long_clip):
    for lm in ("leftHeel", "rightHeel", "leftToeTip", "rightToeTip"):
        track = long_clip.landmark(lm)
        assert np.max(np.linalg.norm(track - track[0], axis=1)) < 0.002
        assert track[:, 1].min() > -0.002


def test_upper_arms_hang_within_15_degrees_of_vertical(long_clip):
    _, gpos = long_clip.fk()
    for side in ("left", "right"):
        d = gpos[:, hm.INDEX[f"{side}LowerArm"]] - gpos[:, hm.INDEX[f"{side}UpperArm"]]
        d /= np.linalg.norm(d, axis=1, keepdims=True)
        ang = np.degrees(np.arccos(np.clip(-d[:, 1], -1, 1)))
        assert ang.max() <= 15.0


def test_fingers_are_relaxed_and_slightly_flexed(long_clip):
    j = hm.INDEX["leftIndexIntermediate"]
    ang = np.degrees(quat.angle_between(long_clip.lrot[:, j], quat.IDENTITY))
    assert 5.0 < ang.mean() < 40.0


def test_no_hinge_joint_leaves_its_range(long_clip):
    # facts §8: knee flexion 0-145°, elbow 0-150°
    for bone, hi in (("leftLowerLeg", 145), ("rightLowerLeg", 145), ("leftLowerArm", 150), ("rightLowerArm", 150)):
        ang = np.degrees(quat.angle_between(long_clip.lrot[:, hm.INDEX[bone]], quat.IDENTITY))
        assert ang.max() <= hi


def test_event_schedule_rates_over_hours():
    mod = motions_module("idle_breathe")
    sch = mod.schedule(seed=5, duration=4 * 3600.0)
    fid = np.diff(sch.fidgets)
    assert 45.0 <= fid.mean() <= 65.0  # facts §1: fidget every ~50-60 s (test bound 20-120 s)
    assert fid.min() >= 10.0
    shifts = np.diff(sch.shifts)
    assert shifts.mean() >= 120.0  # weight shift every ~3-5 min (test bound >= 60 s)
    minutes = 4 * 60.0
    assert 8.0 <= len(sch.blinks) / minutes <= 25.0  # facts §1 blink 8-21 (metrics B7: 8-25)
    assert 12.0 <= sch.breaths.rate_per_min <= 16.0
    sighs_per_hour = len(sch.sighs) / 4.0
    assert 6.0 <= sighs_per_hour <= 20.0  # facts §1: about 12 sighs/hour
