"""The fitted variability statistics: the shipped file is the script's output, and the samplers reproduce it."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from posers_blender.engine import fitted

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data"


def _load_script() -> Any:
    spec = importlib.util.spec_from_file_location("fit_motion_stats", REPO / "scripts" / "fit_motion_stats.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up while the file executes
    spec.loader.exec_module(mod)
    return mod


def _assert_close(a: Any, b: Any, where: str = "") -> None:
    if isinstance(a, dict):
        assert isinstance(b, dict) and sorted(a) == sorted(b), where
        for k in a:
            _assert_close(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            _assert_close(x, y, f"{where}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        # the file keeps 6 significant digits, correlations 3 decimals and curves 5: allow a unit or two in
        # the last of them (BLAS threads and machines differ in the last bits before rounding)
        tol = 2e-3 if "corr" in where else 2e-5 if any(k in where for k in ("pcs", "curves", "subject_sd")) else 1e-9
        assert a == pytest.approx(b, rel=2e-3, abs=tol), where
    else:
        assert a == b, where


@pytest.mark.skipif(not (DATA / "bvh" / "idle").is_dir(), reason="needs ../shared/data (development mocap)")
def test_shipped_statistics_are_what_the_fit_script_writes(tmp_path):
    script = _load_script()
    out = tmp_path / "motion_stats.json"
    script.write(script.fit(DATA), out)
    fresh = json.loads(out.read_text(encoding="utf-8"))
    shipped = json.loads(fitted.DATA_FILE.read_text(encoding="utf-8"))
    _assert_close(fresh, shipped)


def test_data_file_is_small_and_records_sources_and_licences():
    assert fitted.DATA_FILE.stat().st_size < 200_000
    doc = fitted.load()
    assert doc["format"] == fitted.FORMAT
    src = doc["meta"]["sources"]
    assert "NSF EIA-0196217" in src["cmu"]["notice"] and src["reactidle"]["licence"] == "MIT"
    files = [f["file"] for s in src.values() for f in s["files"]]
    assert files and not any(Path(f).name.startswith(("bnr1_", "xia_")) for f in files)
    notice = (fitted.DATA_FILE.parent / "NOTICE").read_text(encoding="utf-8")
    assert "Copyright (c) 2025 [RSAIT]" in notice and "NSF EIA-0196217" in notice


def test_micromotion_reproduces_the_fitted_band_powers_over_a_long_draw():
    fps = 30.0
    times = np.arange(int(3000 * fps)) / fps
    m = fitted.standing_micromotion(np.random.default_rng(7), times)
    x = np.concatenate([m[c] for c in fitted.STANDING_CHANNELS], axis=1)
    got = fitted.band_powers(x, fps, fitted.band_edges())
    want = np.asarray(fitted.load()["standing"]["band_sd"]) ** 2
    live = want > 1e-12
    ratio = got[live] / want[live]
    # the lowest bands hold few frequencies even in 50 min (a periodogram: +-15% per band and channel)
    low = np.broadcast_to(np.arange(want.shape[0])[:, None] < 3, want.shape)[live]
    assert np.all(np.abs(np.log(ratio[low])) < np.log(1.5))
    assert np.all(np.abs(np.log(ratio[~low])) < np.log(1.2))
    assert np.median(np.abs(np.log(ratio))) < 0.06


def test_micromotion_carries_the_fitted_cross_channel_correlation():
    st = fitted.load()["standing"]
    fps, b = 30.0, 4  # a mid band (about 0.4-0.7 Hz) with many frequencies
    times = np.arange(int(2000 * fps)) / fps
    m = fitted.standing_micromotion(np.random.default_rng(3), times)
    x = np.concatenate([m[c] for c in fitted.STANDING_CHANNELS], axis=1)
    cov = fitted.band_cross_spectra(x, fps, fitted.band_edges())[b]
    sd = np.sqrt(np.diag(cov))
    n = len(sd)
    tri = np.tril_indices(n, -1)
    want = np.asarray(st["band_corr_lower"][b])
    ok = (sd[tri[0]] > 0) & (sd[tri[1]] > 0)
    got = (cov / np.outer(np.where(sd > 0, sd, 1), np.where(sd > 0, sd, 1)))[tri]
    strong = ok & (np.abs(want) > 0.3)
    assert strong.sum() > 3
    assert np.max(np.abs(got[ok] - want[ok])) < 0.15


def test_micromotion_is_smooth_zero_mean_noise_not_white():
    fps = 30.0
    times = np.arange(int(600 * fps)) / fps
    m = fitted.standing_micromotion(np.random.default_rng(11), times)
    lateral = m["hips_position"][:, 0]
    assert abs(lateral.mean()) < 0.5 * lateral.std()
    lag1 = np.corrcoef(lateral[1:], lateral[:-1])[0, 1]
    assert lag1 > 0.9  # white noise would be about 0


def test_same_seed_gives_the_same_take_and_two_seeds_differ():
    times = np.arange(600) / 30.0

    def take(seed: int) -> dict[str, np.ndarray]:
        return fitted.standing_take(np.random.default_rng(seed), times)

    a, b, c = take(1), take(1), take(2)
    for ch in fitted.STANDING_CHANNELS:
        np.testing.assert_array_equal(a[ch], b[ch])
    assert any(np.max(np.abs(a[ch] - c[ch])) > 1e-4 for ch in fitted.STANDING_CHANNELS)
    s1 = fitted.stride_variations(np.random.default_rng(5), 4)
    s2 = fitted.stride_variations(np.random.default_rng(5), 4)
    s3 = fitted.stride_variations(np.random.default_rng(6), 4)
    np.testing.assert_array_equal(s1.coeffs, s2.coeffs)
    assert not np.allclose(s1.coeffs, s3.coeffs)


def test_posture_events_come_at_the_fitted_rates():
    duration = 4 * 3600.0
    events = fitted.posture_events(np.random.default_rng(4), duration)
    fits = fitted.load()["standing"]["events"]
    for kind in fitted.EVENT_KINDS:
        got = sum(e.kind == kind for e in events) / (duration / 60.0)
        assert got == pytest.approx(fits[kind]["rate_per_min"], rel=0.2), kind
    assert all(0.0 <= e.t < duration for e in events)
    assert [e.t for e in events] == sorted(e.t for e in events)
    shifts = [e for e in events if e.kind == "weight_shift"]
    assert set(shifts[0].offsets) == {"hips", "hips_position", "trunk"}


def test_posture_offsets_step_to_the_event_change_and_hold():
    ev = fitted.PostureEvent(1.0, "head_turn", 0.3, 0.5, {"head": np.array([0.0, 0.3, 0.0])})
    t = np.arange(90) / 30.0
    out = fitted.posture_offsets([ev], t)
    assert out["head"][0, 1] == 0.0 and out["head"][-1, 1] == pytest.approx(0.3)
    assert np.all(np.diff(out["head"][:, 1]) >= 0)


def test_stride_variations_have_the_fitted_variance():
    w = fitted.load()["walking"]
    s = fitted.stride_variations(np.random.default_rng(9), 20000)
    assert s.coeffs.shape == (20000, len(w["pc_variances"]))
    assert set(s.offsets) == set(fitted.STRIDE_CURVES)
    p = int(w["samples_per_stride"])
    assert all(v.shape == (20000, p) for v in s.offsets.values())
    total = sum(float(np.var(v, axis=0).sum()) for v in s.offsets.values())
    assert total == pytest.approx(sum(w["pc_variances"]), rel=0.05)
    assert np.std(s.duration_scale) == pytest.approx(w["stride_time"]["cv"], rel=0.05)
    mean = fitted.mean_stride_curves()
    knee = mean["leftKnee"]
    assert np.degrees(knee.max()) > 45.0  # swing-phase knee flexion of real walking (facts: about 60°)


def test_curve_at_wraps_and_interpolates():
    c = np.array([0.0, 1.0, 2.0, 3.0])
    assert fitted.curve_at(c, 0.125) == pytest.approx(0.5)
    assert fitted.curve_at(c, 1.875) == pytest.approx(1.5)  # between the last sample and the first
    assert fitted.curve_at(np.stack([c, 2 * c]), np.array([0.25, 0.5])).shape == (2, 2)


def test_uneven_times_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="evenly spaced"):
        fitted.standing_micromotion(np.random.default_rng(0), np.array([0.0, 0.1, 0.3]))
    with pytest.raises(ValueError, match="unknown"):
        fitted.posture_events(np.random.default_rng(0), 10.0, kinds=("sneeze",))


def test_micromotion_with_a_fixed_period_is_the_same_draw_at_every_frame_rate():
    """Issue 15: given the span it repeats over, the draw depends on time only (30 fps once drew a 100.07 s
    span and so a different take)."""
    period = 100.0 * 1.125  # a whole number of seconds on a clock 1.125x fast (``sway_freq``)
    ref = fitted.standing_micromotion(np.random.default_rng(5), np.arange(2400) * 1.125 / 120.0, period=period)
    for fps in (24.0, 30.0, 60.0):
        step = int(round(120.0 / fps))
        got = fitted.standing_micromotion(
            np.random.default_rng(5), np.arange(2400 // step) * 1.125 / fps, period=period
        )
        for ch in fitted.STANDING_CHANNELS:
            assert np.allclose(got[ch], ref[ch][::step], rtol=0, atol=1e-9), (fps, ch)
