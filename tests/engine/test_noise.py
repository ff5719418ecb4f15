import numpy as np
import opensimplex

from posers_blender.engine.noise import noise_track, renewal_times, sway_track


def test_noise_is_reproducible_from_the_generator_and_leaves_the_global_seed_alone():
    before = opensimplex.get_seed()
    t = np.linspace(0, 20, 600)
    a = noise_track(np.random.default_rng(4), t, 0.3, channels=2)
    b = noise_track(np.random.default_rng(4), t, 0.3, channels=2)
    c = noise_track(np.random.default_rng(5), t, 0.3, channels=2)
    assert np.array_equal(a, b) and not np.allclose(a, c)
    assert opensimplex.get_seed() == before
    assert np.abs(a).max() <= 1.2 and a.std() > 0.1


def test_noise_is_smooth():
    t = np.linspace(0, 10, 3000)
    a = noise_track(np.random.default_rng(1), t, 0.5)[:, 0]
    d2 = np.diff(a, 2)
    assert np.abs(d2).max() < 1e-3


def test_sway_track_has_the_requested_rms_and_no_single_line():
    t = np.arange(0, 120, 1 / 30)
    s = sway_track(np.random.default_rng(2), t, (0.07, 0.19, 0.41, 0.73), rms=0.004)
    assert np.isclose(np.sqrt(np.mean(s**2)), 0.004, rtol=1e-6)
    spec = np.abs(np.fft.rfft(s)) ** 2
    assert spec.max() / spec.sum() < 0.5


def test_renewal_intervals_have_the_requested_mean_and_cv():
    rng = np.random.default_rng(0)
    times = renewal_times(rng, 200000.0, 55.0, cv=0.3)
    iv = np.diff(times)
    assert abs(iv.mean() - 55.0) < 1.5
    assert abs(iv.std() / iv.mean() - 0.3) < 0.03


def test_the_numpy_simplex_field_is_opensimplex_value_for_value():
    from posers_blender.engine.noise import simplex2, simplex_perm

    rng = np.random.default_rng(11)
    for seed in (0, 1, 12345, int(rng.integers(0, 2**31 - 1)), 2**31 - 2):
        gen = opensimplex.OpenSimplex(seed=seed)
        assert np.array_equal(simplex_perm(seed), gen._perm)
        x = np.concatenate([rng.uniform(-50.0, 1100.0, 400), np.arange(-3.0, 3.0, 0.125)])
        y = rng.uniform(-5.0, 200.0, 5)
        want = gen.noise2array(x, y)  # [len(y), len(x)]
        got = simplex2(simplex_perm(seed), x[None, :], y[:, None])
        assert np.array_equal(got, want)
