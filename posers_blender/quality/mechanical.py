"""Mechanical-ness detectors: periodicity purity, phase locking, event-interval regularity.

Issue 3 and metrics §6/§9 B5-B6: procedural sums of sines are perfectly
periodic (one spectral line), perfectly phase-locked (PLV = 1) and clock-like
(interval CV = 0); people are none of these.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import humanoid as hm
from ..engine import quat
from ..engine.clip import Clip
from . import bands
from .signal import analytic_phase, bandpass_fft, detrend

Array = NDArray[np.float64]


def _sine_energy(x: Array, t: Array, f: float) -> float:
    """Energy of the least-squares sinusoid at frequency ``f`` fitted to each channel of ``x [N, C]``."""
    c = np.cos(2 * np.pi * f * t)
    s = np.sin(2 * np.pi * f * t)
    cc, cs, ss = float(c @ c), float(c @ s), float(s @ s)
    det = cc * ss - cs * cs
    if det <= 1e-12 * max(cc * ss, 1e-300):
        return 0.0
    a, b = c @ x, s @ x  # [C]
    # rhs^T G^-1 rhs for the 2x2 Gram matrix G = [[cc, cs], [cs, ss]]: the fitted energy per channel
    return float(np.sum((ss * a * a - 2.0 * cs * a * b + cc * b * b) / det))


def periodicity_purity(x: ArrayLike, fs: float, fmax: float = 10.0, min_cycles: float = 3.0) -> tuple[float, float]:
    """Share of a signal's energy in its single best-fitting sinusoid, and that sinusoid's frequency (Hz).

    ``x [N]`` or ``[N, C]`` (channels share one frequency, each its own
    amplitude and phase). The signal is linearly detrended; the frequency is
    searched from ``min_cycles`` cycles per clip (3: slow drift over a short
    clip fits any sinusoid) to ``min(fmax, fs/2)`` on a zero-padded
    spectrum, then refined by golden-section search on the exact
    least-squares fit. A pure sine scores ~1.0, broadband noise near 0.
    Issue 3 "periodicity purity"; metrics §9 B6 (no single component above
    50% of sway power).
    """
    x = detrend(np.asarray(x, dtype=np.float64))
    if x.ndim == 1:
        x = x[:, None]
    n = x.shape[0]
    total = float(np.sum(x * x))
    if n < 8 or total <= 1e-24:
        return 0.0, float("nan")
    t = np.arange(n) / fs
    fmin = min_cycles * fs / n
    hi = min(fmax, 0.5 * fs)
    nfft = 8 * int(2 ** np.ceil(np.log2(n)))
    spec = np.sum(np.abs(np.fft.rfft(x, nfft, axis=0)) ** 2, axis=1)
    f = np.fft.rfftfreq(nfft, 1.0 / fs)
    sel = (f >= fmin) & (f <= hi)
    if not np.any(sel):
        return 0.0, float("nan")
    best_f, best_e = float("nan"), 0.0
    df = f[1] - f[0]
    # refine the two strongest coarse peaks (leakage can mislead the single strongest bin)
    idx = np.nonzero(sel)[0]
    cand = idx[np.argsort(spec[idx])[::-1][:2]]
    for k in cand:
        a, b = max(fmin, f[k] - df), min(hi, f[k] + df)
        g = (np.sqrt(5) - 1) / 2
        c, d = b - g * (b - a), a + g * (b - a)
        ec, ed = _sine_energy(x, t, c), _sine_energy(x, t, d)
        for _ in range(16):
            if ec > ed:
                b, d, ed = d, c, ec
                c = b - g * (b - a)
                ec = _sine_energy(x, t, c)
            else:
                a, c, ec = c, d, ed
                d = a + g * (b - a)
                ed = _sine_energy(x, t, d)
        fk, ek = (c, ec) if ec > ed else (d, ed)
        if ek > best_e:
            best_f, best_e = fk, ek
    return min(1.0, best_e / total), best_f


def joint_signals(clip: Clip) -> dict[str, Array]:
    """Per moving bone, its local rotation as a rotation vector (degrees ``[F, 3]``) about its mean orientation.

    Also ``hips.position`` (mm ``[F, 3]``). Eyes are excluded.
    """
    out: dict[str, Array] = {}
    q = quat.continuous(clip.lrot, axis=0)
    mean = quat.normalize(np.mean(q, axis=0))  # [J, 4] chordal mean, fine for small spreads
    rv = np.degrees(quat.to_scaled_axis(quat.mul(quat.conj(mean)[None], q)))
    for j, b in enumerate(hm.BONES):
        if b in hm.EYE_BONES:
            continue
        out[b] = rv[:, j]
    out["hips.position"] = 1000.0 * clip.hips_pos
    return out


@dataclass(frozen=True)
class Purity:
    """Clip periodicity: the highest joint purity, that joint and its frequency; all scores by joint."""

    max: float
    joint: str
    frequency: float
    by_joint: dict[str, float]


def clip_periodicity(clip: Clip, min_rms_deg: float = bands.PURITY_MIN_RMS_DEG) -> Purity:
    """Periodicity purity of every joint that moves (RMS above ``min_rms_deg``, or 0.5 mm for hips position)."""
    scores: dict[str, tuple[float, float]] = {}
    for name, sig in joint_signals(clip).items():
        d = detrend(sig)
        rms = float(np.sqrt(np.mean(np.sum(d * d, axis=1))))
        if rms < min_rms_deg:
            continue
        scores[name] = periodicity_purity(sig, clip.fps)
    if not scores:
        return Purity(0.0, "", float("nan"), {})
    best = max(scores, key=lambda k: scores[k][0])
    return Purity(scores[best][0], best, scores[best][1], {k: v[0] for k, v in scores.items()})


def phase_locking_value(
    x: ArrayLike, y: ArrayLike, fs: float | None = None, band: tuple[float, float] | None = None
) -> float:
    """PLV = |mean exp(i(phi_x - phi_y))| of two signals' analytic phases (metrics §6; pure sines give 1.0).

    With ``band`` (Hz) and ``fs`` both signals are first band-passed (FFT mask) so the phase is that of
    the fundamental, as for gait angles whose waveform has strong harmonics.
    """
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    if band is not None and fs is not None:
        xa = bandpass_fft(xa, fs, *band)
        ya = bandpass_fft(ya, fs, *band)
    px = analytic_phase(xa)
    py = analytic_phase(ya)
    n = len(px)
    trim = n // 10  # the Hilbert transform is unreliable at the ends
    d = (px - py)[trim : n - trim] if n > 20 else px - py
    return float(np.abs(np.mean(np.exp(1j * d))))


def interval_cv(times: ArrayLike) -> float:
    """Coefficient of variation of the intervals between sorted event times (NaN with fewer than 2 intervals)."""
    t = np.sort(np.asarray(times, dtype=np.float64))
    iv = np.diff(t)
    if len(iv) < 2 or np.mean(iv) <= 0:
        return float("nan")
    return float(np.std(iv, ddof=1) / np.mean(iv))


def rate_per_min(times: ArrayLike, duration_s: float) -> float:
    """Events per minute: the number of event ``times`` over a span of ``duration_s`` seconds."""
    return 60.0 * len(np.asarray(times)) / duration_s if duration_s > 0 else float("nan")


def is_gesture_marker(name: str) -> bool:
    """False for physiology and gait-phase markers (``bands.NON_GESTURE_WORDS``), True for gestures."""
    low = name.lower()
    return not any(w in low for w in bands.NON_GESTURE_WORDS)


def event_interval_cvs(clip: Clip) -> dict[str, tuple[float, int]]:
    """Per gesture marker name: (CV of its intervals, number of events). Issue 3 gesture-interval CV."""
    by: dict[str, list[float]] = defaultdict(list)
    for t, name in clip.markers:
        if is_gesture_marker(name):
            by[name].append(t)
    return {k: (interval_cv(v), len(v)) for k, v in sorted(by.items())}
