import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from posers_blender.engine import quat
from posers_blender.engine.springs import damp_track, quat_spring_step, spring_step


def run(fps, seconds, halflife, x0=1.0, goal=0.0):
    x, v = np.array(x0), np.array(0.0)
    for _ in range(int(round(seconds * fps))):
        x, v = spring_step(x, v, goal, halflife, 1.0 / fps)
    return float(x), float(v)


@given(st.floats(0.05, 2.0), st.sampled_from([24, 30, 60, 120, 240]))
def test_spring_result_does_not_depend_on_frame_rate(halflife, fps):
    a = run(fps, 1.0, halflife)
    b = run(30, 1.0, halflife)
    assert np.allclose(a, b, atol=1e-9)


def test_half_life_halves_the_distance():
    # a critically damped spring from rest covers the half-life definition on its exact solution
    x, _ = run(1000, 0.5, 0.5, x0=1.0, goal=0.0)
    y = 2 * np.log(2) / 0.5
    expected = (1 + y * 0.5) * np.exp(-y * 0.5)
    assert np.isclose(x, expected, atol=1e-9)


def test_vector_spring_converges_without_overshoot():
    x, v = np.zeros(3), np.zeros(3)
    goal = np.array([1.0, -2.0, 0.5])
    xs = []
    for _ in range(600):
        x, v = spring_step(x, v, goal, 0.2, 1 / 60)
        xs.append(x.copy())
    xs = np.array(xs)
    assert np.allclose(xs[-1], goal, atol=1e-6)
    assert np.all(np.abs(xs) <= np.abs(goal) + 1e-9)


def test_quaternion_spring_is_frame_rate_independent_and_reaches_goal():
    goal = quat.from_axis_angle(np.array([0.3, 1.0, 0.2]), 1.2)

    def go(fps, seconds=0.8):
        q, w = quat.IDENTITY.copy(), np.zeros(3)
        for _ in range(int(round(fps * seconds))):
            q, w = quat_spring_step(q, w, goal, 0.15, 1.0 / fps)
        return q

    a, b = go(30), go(240)
    assert quat.angle_between(a, b) < 1e-6
    assert quat.angle_between(go(240, seconds=5.0), goal) < 1e-6


def test_damp_track_lags_a_step_smoothly():
    sig = np.where(np.arange(200) > 50, 1.0, 0.0)
    out = damp_track(sig, 0.1, 1 / 60)
    assert out[51] < 0.1 and out[-1] > 0.999
    assert np.all(np.diff(out) >= -1e-12)


@pytest.mark.parametrize("shape", [(50,), (50, 3), (50, 2, 2)])
def test_damp_track_equals_stepping_the_spring_frame_by_frame(shape):
    sig = np.random.default_rng(2).normal(size=shape)
    x, v = sig[0].copy(), np.zeros(shape[1:])
    want = np.empty_like(sig)
    for i in range(shape[0]):
        x, v = spring_step(x, v, sig[i], 0.2, 1 / 30)
        want[i] = x
    assert np.array_equal(damp_track(sig, 0.2, 1 / 30), want)


def test_damp_track_with_a_ramping_goal_agrees_across_frame_rates():
    """Issue 15: with ``ramp`` the follower is the exact solution for a goal moving linearly between frames, so
    24 and 120 fps agree at shared times; the held goal leads by half a frame and does not."""

    def follow(fps: float, ramp: bool) -> np.ndarray:
        t = np.arange(int(3 * fps)) / fps
        return damp_track(np.sin(2.0 * t) + 0.3 * t**2, 0.25, 1.0 / fps, ramp=ramp)

    fine, coarse = follow(120.0, True), follow(24.0, True)
    assert np.abs(coarse - fine[::5]).max() < 1e-3  # linear interpolation of the goal: O(dt^2)
    assert np.abs(follow(24.0, False) - follow(120.0, False)[::5]).max() > 1e-2


def test_damp_track_with_a_ramping_goal_starts_on_it_and_follows_a_constant_one_exactly():
    out = damp_track(np.full(40, 0.7), 0.1, 1 / 30, ramp=True)
    assert np.array_equal(out, np.full(40, 0.7))
    step = damp_track(np.where(np.arange(100) > 20, 1.0, 0.0), 0.1, 1 / 60, ramp=True)
    assert step[0] == 0.0 and step[-1] > 0.999
