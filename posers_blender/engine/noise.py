"""Seeded smooth noise and random streams.

Randomness only ever comes from a ``numpy.random.Generator`` handed in, and
noise from OpenSimplex's 2-D field seeded from it per track (never the
module-level global seed). Tracks are precomputed over a clip's whole time
range at once. :func:`simplex2` evaluates the field of
``opensimplex.OpenSimplex(seed).noise2array`` value for value (the same
arithmetic in the same order, checked in ``tests/engine/test_noise.py``), but in
numpy over all knots at once instead of one Python call per knot.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

# OpenSimplex 2-D constants (opensimplex.constants): skew, unskew, gradients (an octagon), normalisation.
_STRETCH = -0.211324865405187  # (1/sqrt(2+1) - 1)/2
_SQUISH = 0.366025403784439  # (sqrt(2+1) - 1)/2
_NORM = 47
_GRADIENTS = np.array([5, 2, 2, 5, -5, 2, -2, 5, 5, -2, 2, -5, -5, -2, -2, -5], dtype=np.int64)


def simplex_perm(seed: int) -> NDArray[np.int64]:
    """OpenSimplex's permutation table for ``seed`` (opensimplex.internals._init: an LCG-driven shuffle)."""

    def wrap(x: int) -> int:  # signed 64-bit overflow
        return (x + 2**63) % 2**64 - 2**63

    perm = np.zeros(256, dtype=np.int64)
    source = list(range(256))
    for _ in range(3):
        seed = wrap(seed * 6364136223846793005 + 1442695040888963407)
    for i in range(255, -1, -1):
        seed = wrap(seed * 6364136223846793005 + 1442695040888963407)
        r = (seed + 31) % (i + 1)
        perm[i] = source[r]
        source[r] = source[i]
    return perm


def _extrapolate(
    perm: NDArray[np.int64], xsb: NDArray[np.int64], ysb: NDArray[np.int64], dx: Array, dy: Array
) -> Array:
    index = perm[(perm[xsb & 0xFF] + ysb) & 0xFF] & 0x0E
    return _GRADIENTS[index] * dx + _GRADIENTS[index + 1] * dy


def _contribution(
    perm: NDArray[np.int64], xsb: NDArray[np.int64], ysb: NDArray[np.int64], dx: Array, dy: Array
) -> Array:
    attn = 2 - dx * dx - dy * dy
    attn = np.where(attn > 0, attn * attn, 0.0)
    return attn * attn * _extrapolate(perm, xsb, ysb, dx, dy)


def simplex2(perm: NDArray[np.int64], x: Array, y: Array) -> Array:
    """OpenSimplex 2-D noise at points ``(x, y)`` (broadcast), in [-1, 1]: ``opensimplex.internals._noise2``
    term for term, with its branches as selections."""
    stretch = (x + y) * _STRETCH
    xs = x + stretch
    ys = y + stretch
    xsb_f = np.floor(xs)
    ysb_f = np.floor(ys)
    squish = (xsb_f + ysb_f) * _SQUISH
    xins = xs - xsb_f
    yins = ys - ysb_f
    in_sum = xins + yins
    dx0 = x - (xsb_f + squish)
    dy0 = y - (ysb_f + squish)
    xsb = xsb_f.astype(np.int64)
    ysb = ysb_f.astype(np.int64)

    value = _contribution(perm, xsb + 1, ysb + 0, dx0 - 1 - _SQUISH, dy0 - 0 - _SQUISH)
    value = value + _contribution(perm, xsb + 0, ysb + 1, dx0 - 0 - _SQUISH, dy0 - 1 - _SQUISH)

    low = in_sum <= 1  # inside the triangle at (0, 0), else the one at (1, 1)
    zins_low = 1 - in_sum
    zins_high = 2 - in_sum
    x_over_y = xins > yins
    near_low = (zins_low > xins) | (zins_low > yins)
    near_high = (zins_high < xins) | (zins_high < yins)
    sq2 = 2 * _SQUISH
    # the extra vertex: (0,0)'s side neighbours, or (1,1) [low]; (1,1)'s side neighbours, or (0,0) [high]
    ext = [
        (low & near_low & x_over_y, 1, -1, dx0 - 1, dy0 + 1),
        (low & near_low & ~x_over_y, -1, 1, dx0 + 1, dy0 - 1),
        (low & ~near_low, 1, 1, dx0 - 1 - sq2, dy0 - 1 - sq2),
        (~low & near_high & x_over_y, 2, 0, dx0 - 2 - sq2, dy0 + 0 - sq2),
        (~low & near_high & ~x_over_y, 0, 2, dx0 + 0 - sq2, dy0 - 2 - sq2),
        (~low & ~near_high, 0, 0, dx0, dy0),
    ]
    xsv_ext = np.select([c for c, *_ in ext], [xsb + i for _, i, _, _, _ in ext])
    ysv_ext = np.select([c for c, *_ in ext], [ysb + j for _, _, j, _, _ in ext])
    dx_ext = np.select([c for c, *_ in ext], [dx for *_, dx, _ in ext])
    dy_ext = np.select([c for c, *_ in ext], [dy for *_, dy in ext])
    xsb = np.where(low, xsb, xsb + 1)
    ysb = np.where(low, ysb, ysb + 1)
    dx0 = np.where(low, dx0, dx0 - 1 - sq2)
    dy0 = np.where(low, dy0, dy0 - 1 - sq2)

    value = value + _contribution(perm, xsb, ysb, dx0, dy0)  # the (0,0) or (1,1) vertex
    value = value + _contribution(perm, xsv_ext, ysv_ext, dx_ext, dy_ext)
    return value / _NORM


def noise_track(
    rng: np.random.Generator, t: NDArray[np.float64], freq_hz: float, channels: int = 1
) -> NDArray[np.float64]:
    """Smooth noise in [-1, 1] (typically within ±0.7), shape ``[len(t), channels]``, with features at about ``freq_hz``.

    Each channel samples a different row of 2-D simplex noise. The noise is
    evaluated on knots 1/8 of a feature apart and interpolated with a
    Catmull-Rom spline (C1), which keeps it smooth and costs a few dozen noise
    calls per second of clip instead of one per frame.
    """
    perm = simplex_perm(int(rng.integers(0, 2**31 - 1)))
    t = np.asarray(t, dtype=np.float64)
    rows = np.arange(channels, dtype=np.float64) * 17.31 + rng.uniform(0, 100)
    if t.size == 0:
        return np.zeros((0, channels))
    step = 1.0 / (8.0 * max(freq_hz, 1e-6))
    t0 = float(t.min())
    k = np.arange(-1, int(np.ceil((float(t.max()) - t0) / step)) + 3)
    knots_t = t0 + k * step
    x0 = rng.uniform(0.0, 1000.0)  # start somewhere random along the noise, not at its origin
    knots = simplex2(perm, (x0 + knots_t * freq_hz)[:, None], rows[None, :])  # [K, channels]
    u = (t - t0) / step
    i = np.floor(u).astype(np.int64)
    f = (u - i)[:, None]
    p0, p1, p2, p3 = knots[i], knots[i + 1], knots[i + 2], knots[i + 3]
    vals = 0.5 * (
        2 * p1 + (-p0 + p2) * f + (2 * p0 - 5 * p1 + 4 * p2 - p3) * f**2 + (-p0 + 3 * p1 - 3 * p2 + p3) * f**3
    )
    return np.ascontiguousarray(vals)


def sway_track(
    rng: np.random.Generator,
    t: NDArray[np.float64],
    freqs_hz: Sequence[float],
    rms: float,
) -> NDArray[np.float64]:
    """Sum of incommensurate random-phase components with per-component jitter, scaled to ``rms``.

    Facts §1 "Sway frequency content": 3-5 incommensurate components between
    0.05 and 0.8 Hz, no single sine. Each component's frequency wanders by
    smooth noise (±15%) and its amplitude by ±40%, so no joint shows a single
    spectral line.
    """
    t = np.asarray(t, dtype=np.float64)
    out = np.zeros_like(t)
    if t.size == 0:
        return out
    wobble = noise_track(rng, t, 0.05, channels=2 * len(freqs_hz))
    dt = float(t[1] - t[0]) if t.size > 1 else 1.0
    for i, f in enumerate(freqs_hz):
        fi = f * rng.uniform(0.9, 1.1) * (1.0 + 0.15 * wobble[:, 2 * i])
        phase = rng.uniform(0, 2 * np.pi) + 2 * np.pi * np.cumsum(fi) * dt
        amp = (1.0 + 0.4 * wobble[:, 2 * i + 1]) / np.sqrt(1.0 + f)  # pinkish: lower freqs larger
        out += amp * np.sin(phase)
    r = float(np.sqrt(np.mean(out**2)))
    return out * (rms / r) if r > 0 else out


def renewal_times(
    rng: np.random.Generator,
    duration: float,
    mean_interval: float,
    cv: float = 0.5,
    first_min: float = 0.0,
) -> NDArray[np.float64]:
    """Event times of a renewal process over ``[0, duration)``.

    Intervals are gamma-distributed with the given mean and coefficient of
    variation (CV 1 = Poisson; people are more regular than Poisson but far
    from periodic). The first event is drawn from the stationary
    forward-recurrence distribution so a clip does not always start with an
    event at the same offset.
    """
    if mean_interval <= 0 or duration <= 0:
        return np.zeros(0)
    shape = 1.0 / max(cv, 1e-3) ** 2
    scale = mean_interval / shape
    times = []
    t = first_min + rng.uniform(0.0, 1.0) * rng.gamma(shape, scale)
    while t < duration:
        times.append(t)
        t += rng.gamma(shape, scale)
    return np.asarray(times)
