import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from posers_blender.engine import quat

finite = st.floats(-1.0, 1.0, allow_nan=False)
quats = arrays(np.float64, 4, elements=finite).filter(lambda q: np.linalg.norm(q) > 0.1).map(quat.normalize)
vecs = arrays(np.float64, 3, elements=st.floats(-10, 10, allow_nan=False))
axes = arrays(np.float64, 3, elements=finite).filter(lambda v: np.linalg.norm(v) > 0.1)


def same_rotation(a, b, tol=1e-9):
    return abs(abs(float(np.dot(a, b))) - 1.0) < tol


@given(quats, quats, quats)
def test_multiplication_is_associative(a, b, c):
    assert np.allclose(quat.mul(quat.mul(a, b), c), quat.mul(a, quat.mul(b, c)), atol=1e-12)


@given(quats, vecs)
def test_rotation_preserves_length_and_inverse_undoes_it(q, v):
    r = quat.rotate(q, v)
    assert np.isclose(np.linalg.norm(r), np.linalg.norm(v), atol=1e-9)
    assert np.allclose(quat.rotate(quat.inverse(q), r), v, atol=1e-9)


@given(quats, quats, vecs)
def test_product_rotates_like_composition(a, b, v):
    assert np.allclose(quat.rotate(quat.mul(a, b), v), quat.rotate(a, quat.rotate(b, v)), atol=1e-9)


@given(axes, st.floats(0.0, 3.1))
def test_axis_angle_round_trip(axis, angle):
    q = quat.from_axis_angle(axis, angle)
    ax, an = quat.to_axis_angle(q)
    assert np.isclose(an, angle, atol=1e-7)
    if angle > 1e-4:
        assert np.allclose(ax, axis / np.linalg.norm(axis), atol=1e-6)


@given(quats)
def test_scaled_axis_round_trip(q):
    assert same_rotation(quat.from_scaled_axis(quat.to_scaled_axis(q)), q, 1e-9)


@given(quats, quats, st.floats(0.0, 1.0))
def test_slerp_hits_endpoints_and_moves_at_constant_speed(a, b, t):
    assert same_rotation(quat.slerp(a, b, 0.0), a)
    assert same_rotation(quat.slerp(a, b, 1.0), b)
    total = quat.angle_between(a, b)
    part = quat.angle_between(a, quat.slerp(a, b, t))
    assert np.isclose(part, t * total, atol=1e-6)


@given(quats, axes)
def test_swing_twist_recomposes_and_twist_is_about_the_axis(q, axis):
    swing, twist = quat.swing_twist(q, axis)
    assert np.allclose(quat.mul(swing, twist), q, atol=1e-9)
    tw_axis, tw_angle = quat.to_axis_angle(twist)
    if tw_angle > 1e-6:
        assert abs(abs(np.dot(tw_axis, axis / np.linalg.norm(axis))) - 1.0) < 1e-6
    # the swing moves the axis but has no component about it
    assert abs(np.dot(swing[1:], axis)) < 1e-9


@given(vecs.filter(lambda v: np.linalg.norm(v) > 1e-3), vecs.filter(lambda v: np.linalg.norm(v) > 1e-3))
def test_between_turns_u_onto_v(u, v):
    q = quat.between(u, v)
    assert np.allclose(quat.rotate(q, u / np.linalg.norm(u)), v / np.linalg.norm(v), atol=1e-6)


def test_between_handles_opposite_vectors():
    q = quat.between(np.array([1.0, 0, 0]), np.array([-1.0, 0, 0]))
    assert np.allclose(quat.rotate(q, np.array([1.0, 0, 0])), [-1, 0, 0], atol=1e-9)


@pytest.mark.parametrize("order", ["XYZ", "XZY", "YXZ", "YZX", "ZXY", "ZYX"])
@settings(max_examples=40)
@given(q=quats)
def test_euler_round_trip_every_order(order, q):
    e = quat.to_euler(q, order)
    assert same_rotation(quat.from_euler(e, order), q, 1e-8)


@given(quats)
def test_matrix_round_trip(q):
    assert same_rotation(quat.from_matrix(quat.to_matrix(q)), q, 1e-9)


def test_hemisphere_continuity_removes_sign_flips():
    t = np.linspace(0, 2 * np.pi, 50)
    q = quat.from_axis_angle(np.array([0, 1.0, 0]), t)
    flipped = q * np.where(np.arange(50) % 3 == 0, -1.0, 1.0)[:, None]
    c = quat.continuous(flipped)
    assert np.all(np.sum(c[1:] * c[:-1], axis=-1) > 0)
    assert np.allclose(np.abs(np.sum(c * q, axis=-1)), 1.0)


def test_angular_velocity_of_constant_spin():
    t = np.arange(0, 1, 0.01)
    q = quat.from_axis_angle(np.array([0, 0, 1.0]), 2.0 * t)
    w = quat.angular_velocity(q, 0.01)
    assert np.allclose(w, [0, 0, 2.0], atol=1e-9)


def test_between_is_accurate_for_nearly_opposite_vectors():
    for gap in (1e-3, 1e-5, 1e-8):
        u, v = np.array([0, 0, -1.0]), np.array([gap, 0, 1.0])
        q = quat.between(u, v)
        assert np.allclose(quat.rotate(q, u), v / np.linalg.norm(v), atol=1e-9)


@pytest.mark.parametrize("chunk", [1, 3, 4096])
def test_make_continuous_in_place_equals_continuous(chunk):
    rng = np.random.default_rng(5)
    q = quat.normalize(rng.normal(size=(50, 7, 4)))
    want = quat.continuous(q, axis=0)
    got = quat.make_continuous(q.copy(), chunk=chunk)
    assert np.array_equal(got, want)


@pytest.mark.parametrize("shape", [(3,), (4,), (7, 3), (500, 4), (20, 55, 4), (20, 55, 3)])
def test_length_and_dot_equal_numpy_norm_and_sum_bit_for_bit(shape):
    rng = np.random.default_rng(11)
    a = rng.normal(size=shape) * 10.0 ** rng.uniform(-3, 3, size=shape)
    b = rng.normal(size=shape)
    assert np.array_equal(quat.length(a), np.linalg.norm(a, axis=-1))
    assert np.array_equal(quat.dot(a, b), np.sum(a * b, axis=-1))
