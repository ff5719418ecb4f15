"""Gaze shifts (facts §9; metrics B8): eyes alone for small shifts, eyes and head for large ones, timing."""

import numpy as np

from posers_blender.engine.gaze import EYE_ONLY_DEG, GazeStyle, Glance, gaze_blinks, gaze_tracks

T = np.arange(0, 6.0, 1 / 480.0)


def _onset(x: np.ndarray) -> float:
    """Metrics B8 onset: first time the speed exceeds 5% of its peak."""
    v = np.abs(np.diff(x))
    return float(T[1:][np.argmax(v > 0.05 * v.max())])


def _tracks(glance: Glance):
    return gaze_tracks(T, [glance], GazeStyle(), np.random.default_rng(0))


def test_small_gaze_shifts_are_eyes_only():
    g = _tracks(Glance(1.0, EYE_ONLY_DEG - 2.0, 0.0, 1.0, True))
    assert np.max(np.abs(g.gaze_yaw)) > 9.0
    assert np.max(np.abs(g.head_yaw)) == 0.0


def test_reactive_glances_lead_with_the_eyes_planned_ones_move_together():
    for reactive, lo, hi in ((True, 0.015, 0.06), (False, -0.015, 0.015)):
        g = _tracks(Glance(1.0, 40.0, 0.0, 1.0, reactive))
        lag = _onset(g.head_yaw) - _onset(g.gaze_yaw)
        assert lo <= lag <= hi, (reactive, lag)  # facts §9: eye leads by 20-50 ms when reactive
        assert abs(lag) <= 0.1  # metrics B8: |head - eye onset| <= 100 ms


def test_eye_in_head_stays_within_its_range_and_the_chest_joins_only_large_turns():
    g = _tracks(Glance(1.0, 55.0, 0.0, 1.5, False))
    eye_in_head = g.gaze_yaw - g.head_yaw - g.chest_yaw
    assert np.max(np.abs(eye_in_head)) <= 30.5  # facts §9: eye amplitude saturates near 35°
    assert np.max(g.chest_yaw) > 0.0
    assert np.max(_tracks(Glance(1.0, 25.0, 0.0, 1.5, False)).chest_yaw) == 0.0


def test_head_turn_speed_stays_in_the_idle_range():
    g = _tracks(Glance(1.0, 60.0, 0.0, 1.5, False))
    v = np.abs(np.diff(g.head_yaw)) * 480.0
    assert v.max() <= 300.0  # facts §1/§9: idle head peak <= 300°/s (daily turns ~104°/s)


def test_gaze_shifts_bring_blinks():
    rng = np.random.default_rng(3)
    glances = [Glance(float(t), 40.0, 0.0, 1.0, False) for t in np.arange(1.0, 400.0, 4.0)]
    b = gaze_blinks(rng, glances)
    starts = np.asarray([g.t for g in glances])
    near = np.min(np.abs(b[:, None] - starts[None, :]), axis=1) < 0.1
    assert near.sum() >= 0.6 * len(glances)  # most head-moving shifts carry a blink
