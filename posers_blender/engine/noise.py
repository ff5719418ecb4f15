"""Seeded smooth noise and random streams.

Randomness only ever comes from a ``numpy.random.Generator`` handed in, and
noise from an ``opensimplex.OpenSimplex`` *instance* seeded from it (never the
module-level global seed). Tracks are precomputed over a clip's whole time
range at once, which is far cheaper than per-frame calls.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from opensimplex import OpenSimplex


def simplex(rng: np.random.Generator) -> OpenSimplex:
    """A fresh OpenSimplex generator seeded from ``rng``."""
    return OpenSimplex(seed=int(rng.integers(0, 2**31 - 1)))


def noise_track(
    rng: np.random.Generator, t: NDArray[np.float64], freq_hz: float, channels: int = 1
) -> NDArray[np.float64]:
    """Smooth noise in [-1, 1] (typically within ±0.7), shape ``[len(t), channels]``, with features at about ``freq_hz``.

    Each channel samples a different row of 2-D simplex noise. The noise is
    evaluated on knots 1/8 of a feature apart and interpolated with a
    Catmull-Rom spline (C1), which keeps it smooth and costs a few dozen noise
    calls per second of clip instead of one per frame.
    """
    gen = simplex(rng)
    t = np.asarray(t, dtype=np.float64)
    rows = np.arange(channels, dtype=np.float64) * 17.31 + rng.uniform(0, 100)
    if t.size == 0:
        return np.zeros((0, channels))
    step = 1.0 / (8.0 * max(freq_hz, 1e-6))
    t0 = float(t.min())
    k = np.arange(-1, int(np.ceil((float(t.max()) - t0) / step)) + 3)
    knots_t = t0 + k * step
    x0 = rng.uniform(0.0, 1000.0)  # start somewhere random along the noise, not at its origin
    knots = gen.noise2array(x0 + knots_t * freq_hz, rows).T  # [K, channels]
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
