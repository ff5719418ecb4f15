"""Periodicity purity, phase locking and event-interval regularity."""

from __future__ import annotations

import numpy as np
import pytest

from posers_blender.quality import mechanical
from posers_blender.quality.synthetic import sine_idle

FS = 30.0
T = np.arange(int(30 * FS)) / FS


def test_pure_sine_scores_purity_one_at_its_frequency():
    p, f = mechanical.periodicity_purity(np.sin(2 * np.pi * 0.27 * T + 0.4), FS)
    assert p > 0.99
    assert f == pytest.approx(0.27, abs=0.002)


def test_broadband_noise_scores_low_purity():
    rng = np.random.default_rng(0)
    white = rng.normal(size=len(T))
    assert mechanical.periodicity_purity(white, FS)[0] < 0.05
    # smooth broadband sway: many random-phase components between 0.05 and 1 Hz
    freqs = rng.uniform(0.05, 1.0, 100)
    sway = sum(np.sin(2 * np.pi * f * T + rng.uniform(0, 2 * np.pi)) for f in freqs)
    assert mechanical.periodicity_purity(sway, FS)[0] < 0.3


def test_sine_idle_clip_is_flagged_as_periodic():
    p = mechanical.clip_periodicity(sine_idle(30.0))
    assert p.joint == "chest" and p.max > 0.99


def test_phase_locking_is_one_for_locked_sines_and_low_for_independent_noise():
    a = np.sin(2 * np.pi * 0.5 * T)
    b = np.sin(2 * np.pi * 0.5 * T + 1.0)
    assert mechanical.phase_locking_value(a, b) == pytest.approx(1.0, abs=1e-3)
    rng = np.random.default_rng(1)
    assert mechanical.phase_locking_value(rng.normal(size=len(T)), rng.normal(size=len(T))) < 0.3


def test_interval_cv_of_a_clock_is_zero_and_of_a_poisson_process_near_one():
    assert mechanical.interval_cv(np.arange(20) * 3.0) == pytest.approx(0.0, abs=1e-12)
    rng = np.random.default_rng(2)
    assert mechanical.interval_cv(np.cumsum(rng.exponential(5.0, 400))) == pytest.approx(1.0, abs=0.12)
