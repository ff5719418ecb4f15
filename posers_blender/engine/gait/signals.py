"""Small signal shapes the gait stages share: pink stride noise, half-cosine key tracks, quintic Hermite
segments, a front-loading time warp and a Gaussian smoother. Pure functions on numpy arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def pink_noise(rng: np.random.Generator, n: int, beta: float = 0.8) -> Array:
    """``n`` samples of 1/f^beta noise with zero mean and unit standard deviation.

    Facts §2a: stride-time fluctuations are long-range correlated (DFA alpha
    0.8-1.0, i.e. beta = 2 alpha - 1 of about 0.6-1.0), not white.
    """
    if n < 4:
        return rng.standard_normal(n)
    white = rng.standard_normal(n)
    spec = np.fft.rfft(white)
    f = np.fft.rfftfreq(n)
    f[0] = f[1]
    spec *= f ** (-beta / 2.0)
    spec[0] = 0.0
    out = np.fft.irfft(spec, n)
    sd = float(np.std(out))
    return out / sd if sd > 0 else out


def key_track(t: Array, key_t: Array, key_v: Array) -> Array:
    """Half-cosine interpolation through keys (zero slope at each key), held before the first and after the last.

    Alternating equal-interval keys give exactly a sinusoid; uneven
    intervals and amplitudes (stride variability, starts and stops) stay C1.
    """
    key_t = np.asarray(key_t, dtype=np.float64)
    key_v = np.asarray(key_v, dtype=np.float64)
    order = np.argsort(key_t, kind="stable")
    key_t, key_v = key_t[order], key_v[order]
    i = np.clip(np.searchsorted(key_t, t, side="right") - 1, 0, len(key_t) - 2)
    t0, t1 = key_t[i], key_t[i + 1]
    u = np.clip((t - t0) / np.maximum(t1 - t0, 1e-9), 0.0, 1.0)
    w = 0.5 - 0.5 * np.cos(np.pi * u)
    return key_v[i] + (key_v[i + 1] - key_v[i]) * w


def hermite5(u: Array, p0: Array, v0: Array, p1: Array, v1: Array, dur: Array | float) -> Array:
    """Quintic Hermite on u in [0, 1] with end positions/velocities (per second) and zero end accelerations.

    ``u [n]``; ends ``[3]`` or per sample ``[n, 3]``; ``dur`` seconds, or per sample ``[n, 1]``.
    """
    u = u[:, None]
    h0 = 1 - 10 * u**3 + 15 * u**4 - 6 * u**5
    h1 = u - 6 * u**3 + 8 * u**4 - 3 * u**5
    h4 = -4 * u**3 + 7 * u**4 - 3 * u**5
    h5 = 10 * u**3 - 15 * u**4 + 6 * u**5
    return h0 * p0 + h1 * v0 * dur + h4 * v1 * dur + h5 * p1


def front_load(u: Array, lead: Array | float) -> Array:
    """Time warp ``u + 64 lead u^3 (1-u)^3`` of [0, 1]: ``lead`` (one, or one per sample) ahead at ``u = 0.5``;
    ends keep slope 1, curvature 0."""
    lead = np.clip(lead, 0.0, 0.14)  # above ~0.15 the warp stops being monotonic
    return u + 64.0 * lead * u**3 * (1.0 - u) ** 3


def gauss_smooth(x: Array, sigma_s: float, dt: float) -> Array:
    """``x [F]`` (sampled every ``dt`` s) smoothed by a Gaussian of ``sigma_s`` seconds, ends held."""
    sigma_frames = sigma_s / dt
    if sigma_frames <= 0.3:
        return x
    r = int(np.ceil(3 * sigma_frames))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma_frames) ** 2)
    k /= k.sum()
    pad = np.pad(x, (r, r), mode="edge")
    return np.convolve(pad, k, mode="valid")


def on_grid(values: Array, rate: float, t: Array) -> Array:
    """``values [G, ...]`` sampled every ``1 / rate`` s from 0, evaluated at times ``t [F]`` (seconds).

    Times on the grid (every frame of 24, 30, 60 or 120 fps on a 120 Hz grid) pick their sample exactly;
    others interpolate with a Catmull-Rom spline (C1), so a frame rate changes the sampling, not the motion.
    """
    return GridRead.of(rate, t, len(values)).read(values)


@dataclass(frozen=True)
class GridRead:
    """Where times fall on a grid of samples every ``1 / rate`` s from 0 (:func:`on_grid`): per time the sample
    ``i`` at or before it (clipped to the grid) and the fraction ``f`` past it; ``exact`` when every time is on
    the grid. :meth:`read` evaluates a block of the times from the few grid rows they need (:meth:`rows`), so a
    long track can be read without a full-size temporary, with the values :func:`on_grid` gives."""

    i: NDArray[np.intp]
    f: Array
    last: int
    exact: bool

    @staticmethod
    def of(rate: float, t: Array, size: int) -> GridRead:
        """The reading of times ``t`` (s) on a grid of ``size`` samples at ``rate`` Hz."""
        u = np.asarray(t, dtype=np.float64) * rate
        i = np.floor(u + 1e-6).astype(np.intp)
        f = u - i
        f[np.abs(f) < 1e-6] = 0.0
        last = size - 1
        return GridRead(np.clip(i, 0, last), f, last, not f.any())

    def rows(self, frames: slice) -> slice:
        """The grid rows the times ``frames`` read."""
        i = self.i[frames]
        reach = (0, 0) if self.exact else (1, 2)  # Catmull-Rom reads one sample before and two after
        return slice(max(int(i.min()) - reach[0], 0), min(int(i.max()) + reach[1], self.last) + 1)

    def read(self, values: Array, frames: slice = slice(None), start: int = 0) -> Array:
        """The times ``frames`` evaluated on ``values``, the grid's rows from ``start`` on (all rows by default)."""
        i = self.i[frames]
        if self.exact:
            return values[i - start]
        p0, p1, p2, p3 = (values[np.clip(i + k, 0, self.last) - start] for k in (-1, 0, 1, 2))
        f = self.f[frames].reshape((-1,) + (1,) * (values.ndim - 1))
        return 0.5 * (
            2 * p1 + (p2 - p0) * f + (2 * p0 - 5 * p1 + 4 * p2 - p3) * f**2 + (3 * p1 - p0 - 3 * p2 + p3) * f**3
        )
