"""Signal helpers for the quality metrics: zero-lag Butterworth low-pass, detrending, spectra, runs.

Pure numpy (scipy is deliberately not a dependency). The filter is a 4th-order
Butterworth low-pass designed by the bilinear transform as two biquads
(cascaded second-order sections) and run forward and backward (``filtfilt``),
which the metrics file §0 asks for before taking jerk (6-10 Hz cut-off).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]


def butter_lowpass_sos(cutoff_hz: float, fs: float, order: int = 4) -> Array:
    """Second-order sections ``[order/2, 6]`` (b0, b1, b2, 1, a1, a2) of a digital Butterworth low-pass.

    Bilinear transform with pre-warping, so the -3 dB point is exactly ``cutoff_hz``.
    ``order`` must be even.
    """
    if order % 2 or order < 2:
        raise ValueError("order must be an even number >= 2")
    nyq = 0.5 * fs
    fc = min(float(cutoff_hz), 0.99 * nyq)
    k = np.tan(np.pi * fc / fs)  # pre-warped analog cut-off (for a sample period of 2)
    sections = []
    for i in range(order // 2):
        # Butterworth pole pair angle -> section Q
        q = 1.0 / (2.0 * np.cos(np.pi * (2 * i + 1) / (2 * order)))
        norm = 1.0 / (1.0 + k / q + k * k)
        b0 = k * k * norm
        sections.append([b0, 2.0 * b0, b0, 1.0, 2.0 * (k * k - 1.0) * norm, (1.0 - k / q + k * k) * norm])
    return np.asarray(sections)


def _sos_pass(sos: Array, x: Array) -> Array:
    """Run the sections forward along axis 0 (direct form II transposed), steady-state start."""
    y = np.array(x, dtype=np.float64, copy=True)
    for b0, b1, b2, _a0, a1, a2 in sos:
        x0 = y[0].copy()
        z2 = (b2 - a2) * x0
        z1 = (b1 - a1) * x0 + z2
        out = np.empty_like(y)
        for n in range(y.shape[0]):
            xn = y[n]
            yn = b0 * xn + z1
            z1 = b1 * xn - a1 * yn + z2
            z2 = b2 * xn - a2 * yn
            out[n] = yn
        y = out
    return y


def lowpass(x: ArrayLike, fs: float, cutoff_hz: float = 6.0, order: int = 4) -> Array:
    """Zero-lag Butterworth low-pass of ``x [N, ...]`` along axis 0 (forward-backward, odd-extended ends).

    The effective order doubles (forward and backward) and the gain at the
    cut-off is -6 dB, as with ``scipy.signal.sosfiltfilt``. Short signals
    (fewer than 4 samples) are returned unchanged.
    """
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[0]
    if n < 4 or cutoff_hz >= 0.5 * fs:
        return x.copy()
    sos = butter_lowpass_sos(cutoff_hz, fs, order)
    pad = int(min(n - 1, max(3 * order, round(1.5 * fs / cutoff_hz))))
    # odd extension keeps value and slope continuous at the ends
    head = 2.0 * x[0] - x[pad:0:-1]
    tail = 2.0 * x[-1] - x[-2 : -pad - 2 : -1]
    ext = np.concatenate([head, x, tail], axis=0)
    y = _sos_pass(sos, ext)
    y = _sos_pass(sos, y[::-1])[::-1]
    return y[pad : pad + n]


def detrend(x: ArrayLike) -> Array:
    """Remove the least-squares line from ``x [N, ...]`` along axis 0."""
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[0]
    if n < 2:
        return x - x.mean(axis=0)
    t = np.linspace(-1.0, 1.0, n)
    shape = (n,) + (1,) * (x.ndim - 1)
    tt = t.reshape(shape)
    slope = np.sum(x * tt, axis=0) / np.sum(t * t)
    return x - x.mean(axis=0) - slope * tt


def moving_median(x: ArrayLike, fs: float, window_s: float) -> Array:
    """Running median of ``x [N]`` over a centred window of ``window_s`` seconds (edge-padded ends).

    Full resolution: decimating first would alias sway (0.1-1 Hz) into the trend.
    """
    x = np.asarray(x, dtype=np.float64)
    half = max(int(round(0.5 * window_s * fs)), 1)
    if len(x) < 2 * half + 1:
        return np.full(len(x), float(np.median(x)))
    win = np.lib.stride_tricks.sliding_window_view(np.pad(x, half, mode="edge"), 2 * half + 1)
    return np.median(win, axis=1)


def derivative(x: ArrayLike, fs: float) -> Array:
    """Central-difference derivative along axis 0 (one-sided at the ends), same length as ``x``."""
    x = np.asarray(x, dtype=np.float64)
    if x.shape[0] < 2:
        return np.zeros_like(x)
    return np.gradient(x, 1.0 / fs, axis=0)


def runs(mask: ArrayLike) -> list[tuple[int, int]]:
    """Half-open index ranges ``[start, end)`` of the True runs of a boolean array."""
    m = np.asarray(mask, dtype=bool).astype(np.int8)
    if m.size == 0:
        return []
    d = np.diff(np.concatenate([[0], m, [0]]))
    starts = np.nonzero(d == 1)[0]
    ends = np.nonzero(d == -1)[0]
    return [(int(s), int(e)) for s, e in zip(starts, ends)]


def periodogram(x: ArrayLike, fs: float) -> tuple[Array, Array]:
    """One-sided power spectrum (Hann window) of a detrended signal ``x [N]`` or ``[N, C]`` summed over channels."""
    x = detrend(x)
    n = x.shape[0]
    w = np.hanning(n)
    if x.ndim > 1:
        w = w.reshape((n,) + (1,) * (x.ndim - 1))
    spec: Array = np.square(np.abs(np.fft.rfft(x * w, axis=0))).astype(np.float64)
    if spec.ndim > 1:
        spec = spec.reshape(spec.shape[0], -1).sum(axis=1)
    f = np.fft.rfftfreq(n, 1.0 / fs)
    return f, spec


def median_frequency(x: ArrayLike, fs: float, fmin: float = 0.0, fmax: float | None = None) -> float:
    """Frequency (Hz) below which half the signal power lies, within ``[fmin, fmax]``."""
    f, p = periodogram(x, fs)
    sel = (f >= fmin) & (f <= (fmax if fmax is not None else f[-1]))
    f, p = f[sel], p[sel]
    if p.sum() <= 0:
        return float("nan")
    c = np.cumsum(p) / p.sum()
    return float(np.interp(0.5, c, f))


def analytic_phase(x: ArrayLike) -> Array:
    """Instantaneous phase (radians) of a real signal from its FFT-based analytic signal (Hilbert transform)."""
    x = detrend(x)
    n = x.shape[0]
    spec = np.fft.fft(x, axis=0)
    h = np.zeros(n)
    h[0] = 1.0
    if n % 2 == 0:
        h[n // 2] = 1.0
        h[1 : n // 2] = 2.0
    else:
        h[1 : (n + 1) // 2] = 2.0
    if x.ndim > 1:
        h = h.reshape((n,) + (1,) * (x.ndim - 1))
    return np.angle(np.fft.ifft(spec * h, axis=0))


def bandpass_fft(x: ArrayLike, fs: float, lo: float, hi: float) -> Array:
    """Zero-phase band-pass of ``x [N, ...]`` by an FFT mask, keeping ``[lo, hi]`` Hz (after linear detrend).

    Used before a Hilbert phase so a periodic but non-sinusoidal signal (a gait
    angle) has a phase that advances evenly (metrics §6: the Fourier phase at
    the fundamental, after Lamoth 2002).
    """
    x = detrend(x)
    n = x.shape[0]
    spec = np.fft.rfft(x, axis=0)
    f = np.fft.rfftfreq(n, 1.0 / fs)
    mask = ((f >= lo) & (f <= hi)).astype(np.float64)
    if x.ndim > 1:
        mask = mask.reshape((-1,) + (1,) * (x.ndim - 1))
    return np.fft.irfft(spec * mask, n, axis=0)
