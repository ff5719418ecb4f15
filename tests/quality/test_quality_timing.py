"""Onset delays of reaches and gait figures on synthetic clips with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from posers_blender.engine import quat
from posers_blender.engine.curves import minimum_jerk
from posers_blender.quality import timing
from posers_blender.quality.synthetic import hanging_arm, move_hips, rest_clip, rot, set_rotation, synthetic_walk

X = np.array([1.0, 0.0, 0.0])


def _bell(t, t0, dur):
    u = np.clip((t - t0) / dur, 0, 1)
    return 30 * u**2 * (1 - u) ** 2


def test_known_onset_delay_of_50_ms_is_recovered_between_identical_profiles():
    fs = 120.0
    t = np.arange(int(3 * fs)) / fs
    a = _bell(t, 1.0, 0.8)
    b = _bell(t, 1.05, 0.8)
    ta = timing.onset_time(a, fs, 0, len(t))
    tb = timing.onset_time(b, fs, 0, len(t))
    assert 1000 * (tb - ta) == pytest.approx(50.0, abs=0.5)


def _reach_clip(fs=120.0, pelvis=1.00, shoulder=1.05, elbow=1.08, wrist=1.11):
    c = rest_clip(3.0, fs)
    t = np.arange(c.n_frames) / fs
    dur = 0.8
    off = np.zeros((c.n_frames, 3))
    off[:, 2] = 0.01 * minimum_jerk((t - pelvis) / dur)  # 1 cm anticipatory pelvis shift
    c = move_hips(c, off)
    raise_deg = 70.0 * minimum_jerk((t - shoulder) / dur)
    c = set_rotation(c, "leftUpperArm", quat.mul(rot(X, -raise_deg), hanging_arm("left")))
    c = set_rotation(c, "leftLowerArm", rot([0, -1, 0], 5 + 40.0 * minimum_jerk((t - elbow) / dur)))
    return set_rotation(c, "leftHand", rot([0, 0, 1], -20.0 * minimum_jerk((t - wrist) / dur)))


def test_reach_onset_order_and_lags_are_recovered():
    (tm,) = timing.reach_timing(_reach_clip(), "left")
    assert tm.reach.distance > 0.2
    assert tm.elbow_lag == pytest.approx(30.0, abs=2.0)
    assert tm.wrist_lag == pytest.approx(30.0, abs=2.0)
    # the hand starts with the shoulder; the pelvis leads it by the 50 ms built in
    assert tm.shoulder == pytest.approx(0.0, abs=8.0)
    assert tm.trunk_lead == pytest.approx(50.0, abs=8.0)


def test_arm_without_pelvis_shift_has_no_trunk_lead():
    (tm,) = timing.reach_timing(_reach_clip(pelvis=10.0), "left")
    assert np.isnan(tm.trunk_lead)


def test_pci_of_perfect_antiphase_is_zero_and_grows_with_jitter():
    left = np.arange(10) * 1.0
    assert timing.pci(left, left[:-1] + 0.5) == pytest.approx(0.0, abs=1e-9)
    right = left[:-1] + 0.5 + np.array([0.02, -0.02] * 4 + [0.0])
    assert timing.pci(left, right) > 2.0


def test_synthetic_walk_cadence_step_length_and_regularity():
    g = timing.gait(synthetic_walk(seconds=8.0, fps=60.0, cadence=110.0, step_length=0.5))
    assert g.cadence == pytest.approx(110.0, abs=0.5)
    assert g.step_length * 1.65 == pytest.approx(0.5, abs=0.01)
    assert g.speed == pytest.approx(0.5 * 110 / 60, rel=0.02)
    assert g.speed_consistency < 1.0
    # a clockwork walk: stride CV and PCI ~0 (sub-frame touchdown times, no quantisation jitter)
    assert g.stride_cv < 0.3 and g.pci < 0.5
    # stance 60% built in; detection (3 cm, 0.2 m/s) keeps the smooth swing start/end ~25 ms longer
    assert 59.0 < g.stance < 66.0
    assert 18.0 < g.double_support < 32.0


def test_onset_is_found_at_the_rise_despite_background_sway():
    fs = 60.0
    t = np.arange(int(3 * fs)) / fs
    sway = 0.12 + 0.06 * np.sin(2 * np.pi * 0.7 * t)  # never falls below 5% of the peak rise
    x = _bell(t, 1.0, 0.8) + sway
    onset = timing.onset_time(x, fs, int(0.5 * fs), int(1.5 * fs), rest=(int(0.5 * fs), int(0.7 * fs)))
    assert 0.9 < onset < 1.1
