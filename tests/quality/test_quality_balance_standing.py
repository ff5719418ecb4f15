"""COM and support polygon (facts §10), breathing, sway and blinks (facts §1)."""

from __future__ import annotations

import numpy as np
import pytest

from posers_blender.quality import balance, vitals
from posers_blender.quality.synthetic import move_hips, rest_clip, rot, sine_idle


def test_rest_pose_com_height_is_about_0_55_h_on_the_midline():
    clip = rest_clip(1.0)
    com = balance.center_of_mass(clip)[0]
    h = clip.skeleton.height
    assert 0.53 < com[1] / h < 0.60  # facts §10: 0.55-0.57 H standing
    assert abs(com[0]) < 1e-9


def test_polygon_margin_inside_and_outside_a_square():
    sq = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float)
    assert balance.polygon_margin(np.array([0.5, 0.5]), sq) == pytest.approx(0.5)
    assert balance.polygon_margin(np.array([0.5, 0.9]), sq) == pytest.approx(0.1)
    assert balance.polygon_margin(np.array([2.0, 0.5]), sq) == pytest.approx(-1.0)


def test_com_inside_support_when_upright_and_outside_when_bent_far_forward():
    upright = balance.balance(rest_clip(1.0))
    assert upright.min_margin > 10.0
    # hips pushed 15 cm forward over planted feet (leg IK) with the trunk bent forward: COM past the toes
    from posers_blender.engine import quat
    from posers_blender.engine.clip import Clip
    from posers_blender.engine.program import Tracks

    sk = rest_clip(1.0).skeleton
    tr = Tracks(sk, 2)
    tr.hips_offset[:] = [0.0, -0.04, 0.15]
    tr.set("spine", rot([1, 0, 0], 40.0))
    rest = sk.rest_positions()
    for side in ("left", "right"):
        foot = rest[sk.index(f"{side}Foot")]
        tr.solve_limb(f"{side}Leg", foot, foot + np.array([0, 0.5, 0.5]), end_grot=quat.identity((2,)))
    leaning = Clip(30.0, tr.lrot, sk.offsets[0] + tr.hips_offset, sk)
    assert balance.balance(leaning).min_margin < -10.0


def test_breathing_rate_from_markers_and_from_chest_motion():
    clip = sine_idle(40.0, freq=0.25)  # 15 breaths/min
    assert vitals.breathing(clip).source == "chest motion"
    assert vitals.breathing(clip).rate == pytest.approx(15.0, abs=0.2)
    clip.markers = [(4.0 * k, "inhale") for k in range(10)] + [(4.0 * k + 1.6, "exhale") for k in range(10)]
    b = vitals.breathing(clip)
    assert b.source == "inhale markers" and b.rate == pytest.approx(15.0)
    assert b.ie_ratio == pytest.approx(2.4 / 1.6) and b.period_cv == pytest.approx(0.0, abs=1e-9)


def test_sway_of_a_known_sine_translation():
    clip = rest_clip(40.0)
    t = np.arange(clip.n_frames) / clip.fps
    off = np.zeros((clip.n_frames, 3))
    off[:, 2] = 0.005 * np.sin(2 * np.pi * 0.3 * t)  # AP, 5 mm amplitude
    s = vitals.sway(move_hips(clip, off))
    assert s.ap_rms == pytest.approx(5.0 / np.sqrt(2), rel=0.02)
    assert s.ml_rms < 1e-6
    assert s.median_freq == pytest.approx(0.3, abs=0.03)


def test_blink_rate_and_interval_cv_from_the_channel():
    clip = rest_clip(60.0)
    x = np.zeros(clip.n_frames)
    times = np.cumsum(np.random.default_rng(3).uniform(1.0, 7.0, 14))
    for bt in times:
        i = int(bt * clip.fps)
        x[i : i + 4] = 1.0
    clip.expressions["blink"] = x
    b = vitals.blinks(clip)
    assert b.count == len(times[times < 59.8])
    assert b.rate == pytest.approx(b.count, abs=1e-9)  # 60 s clip
    assert b.interval_cv > 0.2


def test_a_weight_shift_does_not_swamp_the_sway_figures():
    clip = rest_clip(60.0)
    t = np.arange(clip.n_frames) / clip.fps
    from posers_blender.engine.curves import minimum_jerk

    off = np.zeros((clip.n_frames, 3))
    off[:, 2] = 0.004 * np.sin(2 * np.pi * 0.3 * t)
    base = vitals.sway(move_hips(clip, off))
    off[:, 0] = 0.022 * minimum_jerk((t - 30.0) / 1.5)  # facts §1: a 22 mm ML shift
    shifted = vitals.sway(move_hips(clip, off))
    assert shifted.ap_rms == pytest.approx(base.ap_rms, rel=0.02)
    assert shifted.ml_rms < 3.0  # a linear detrend would leave ~10 mm
    assert 0.1 < shifted.median_freq < 0.6


def test_vectorised_support_margin_matches_the_per_frame_polygon_distance():
    rng = np.random.default_rng(5)
    pts = rng.uniform(-0.2, 0.2, size=(200, 8, 2))
    mask = rng.uniform(size=(200, 8)) < 0.7
    target = rng.uniform(-0.3, 0.3, size=(200, 2))
    got = balance.support_margins(pts, mask, target)
    for f in range(200):
        if not mask[f].any():
            assert np.isnan(got[f])
            continue
        assert got[f] == pytest.approx(balance.polygon_margin(target[f], pts[f][mask[f]]), abs=1e-9)


def test_sigh_puff_and_smoke_breaths_are_skipped_from_the_quiet_breathing_figures():
    clip = sine_idle(90.0, freq=0.25)
    inh = [4.0 * k for k in range(6)]  # quiet: 0..20 s, 4 s breaths
    inh += [20.0 + 10.0]  # 20-30 s: a sigh breath (10 s)
    inh += [30.0 + 4.0 * k for k in range(1, 4)]  # 34, 38, 42
    inh += [42.0 + 9.0]  # 42-51 s: the breath holding the puff (breathing pauses while the mouth draws)
    inh += [51.0 + 8.0]  # 51-59 s: the smoke breath
    inh += [59.0 + 4.0 * k for k in range(1, 6)]  # quiet again
    clip.markers = [(t, "inhale") for t in inh] + [(t + 1.6, "exhale") for t in inh]
    clip.markers += [(20.0, "sigh"), (44.0, "puff"), (46.0, "lower"), (51.0, "smoke_inhale_start")]
    b = vitals.breathing(clip)
    assert b.source == "inhale markers" and b.skipped == 3
    assert b.rate == pytest.approx(15.0) and b.period_cv == pytest.approx(0.0, abs=1e-9)
    assert b.ie_ratio == pytest.approx(2.4 / 1.6)


def test_the_robust_sway_rms_ignores_a_brief_postural_excursion():
    clip = rest_clip(60.0)
    t = np.arange(clip.n_frames) / clip.fps
    from posers_blender.engine.curves import bump

    off = np.zeros((clip.n_frames, 3))
    off[:, 2] = 0.004 * np.sin(2 * np.pi * 0.3 * t)
    base = vitals.sway(move_hips(clip, off), robust=True)
    off[:, 2] += 0.03 * bump(t, 30.0, 0.5, 0.5, 0.5)  # a 1.5 s, 30 mm postural fidget
    fidget = vitals.sway(move_hips(clip, off), robust=True)
    assert fidget.ap_rms == pytest.approx(base.ap_rms, rel=0.1)
    assert vitals.sway(move_hips(clip, off)).ap_rms > 1.2 * base.ap_rms  # the plain RMS counts it
