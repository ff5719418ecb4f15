"""The numpy Butterworth filtfilt and the Fréchet distance of window features."""

from __future__ import annotations

import numpy as np
import pytest

from posers_blender.engine.sampler import sample
from posers_blender.quality import bands, distance, signal
from posers_blender.quality.synthetic import synthetic_walk
from posers_blender.registry import get

FS = 100.0
T = np.arange(1000) / FS


def test_lowpass_keeps_slow_signals_in_phase_and_removes_fast_ones():
    slow = np.sin(2 * np.pi * 1.0 * T)
    y = signal.lowpass(slow, FS, 6.0)
    assert np.max(np.abs(y - slow)[50:-50]) < 0.01  # zero lag, unit gain in the pass band
    fast = np.sin(2 * np.pi * 20.0 * T)
    assert np.max(np.abs(signal.lowpass(fast, FS, 6.0))[50:-50]) < 0.01


def test_lowpass_gain_is_minus_6_db_at_the_cutoff_like_filtfilt():
    y = signal.lowpass(np.sin(2 * np.pi * 6.0 * T), FS, 6.0)
    assert np.max(np.abs(y[200:-200])) == pytest.approx(0.5, abs=0.02)


def test_frechet_distance_is_zero_for_identical_sets_and_grows_with_a_shift():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(40, 5))
    assert distance.frechet_distance(a, a) == pytest.approx(0.0, abs=1e-9)
    d1 = distance.frechet_distance(a, a + 0.5)
    d2 = distance.frechet_distance(a, a + 1.0)
    assert d1 == pytest.approx(5 * 0.25, rel=1e-6)  # |shift|^2 with equal covariances
    assert d2 == pytest.approx(5 * 1.0, rel=1e-6)


def test_frechet_distance_needs_the_minimum_number_of_windows():
    with pytest.raises(ValueError, match=f"at least {bands.FD_MIN_WINDOWS}"):
        distance.frechet_distance(np.zeros((3, 2)), np.zeros((20, 2)))


def test_idle_seeds_are_closer_to_each_other_than_to_a_walk():
    idle = get("idle-breathe")
    a = sample(idle, {}, seed=0, duration=20.0)
    b = sample(idle, {}, seed=1, duration=20.0)
    fa, fb = distance.window_features(a), distance.window_features(b)
    assert fa.shape == (37, len(distance.FEATURE_NAMES))
    walk = distance.window_features(synthetic_walk(seconds=10.0, fps=30.0))
    assert distance.frechet_distance(fa, fb) < 0.2 * distance.frechet_distance(fa, walk)
