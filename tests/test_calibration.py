"""The mocap-calibrated band: the pinned number is what its stated recipe gives, and it separates sine from life."""

from __future__ import annotations

from posers_blender.calibration import periodicity_purity_calibration
from posers_blender.engine.sampler import sample
from posers_blender.quality import bands, evaluate
from posers_blender.registry import get


def test_pinned_purity_band_is_the_95th_percentile_of_the_in_place_dev_mocap(data_dir):
    cal = periodicity_purity_calibration([data_dir / "bvh"])
    assert {c[1] for c in cal.clips} == {"stance", "fidget", "hand_to_mouth"}
    assert bands.PERIODICITY_PURITY_MAX.hi == round(cal.value, 2)
    assert not bands.PERIODICITY_PURITY_MAX.provisional


def test_purity_band_fails_the_sine_baseline_and_passes_idle_breathe():
    sine = evaluate(sample(get("baseline-breathe"), fps=30, duration=20.0), checks=("periodicity",))
    assert sine.get("periodicity_purity").passed is False and sine.value("periodicity_purity") > 0.95
    idle = evaluate(sample(get("idle-breathe"), seed=0, fps=30, duration=20.0), checks=("periodicity",))
    assert idle.get("periodicity_purity").passed is True
