"""Smoothness of effector paths: SPARC, log dimensionless jerk, movement units, peak timing, reach segments.

Definitions: metrics §3 (Balasubramanian et al. 2012/2015 SPARC with 4 levels
of zero padding, 10 Hz maximum cut-off, 0.05 amplitude threshold; LDLJ =
-ln(T^3 / v_peak^2 * integral |jerk|^2 dt) after a zero-lag 6 Hz Butterworth,
metrics §0/B2; movement units after Murphy: a rise > 20 mm/s from the
previous minimum, peaks >= 150 ms apart) and facts §4 (one speed peak per
reach, relative time to peak 0.35-0.55). Reference values (metrics §3): a
minimum-jerk reach scores SPARC -1.40 and LDLJ about -5.3.

Reach segmentation (ours, documented): the effector path is low-passed at
6 Hz; a reach is a run where speed exceeds half of ``REACH_MIN_PEAK_SPEED``,
whose peak reaches ``REACH_MIN_PEAK_SPEED`` and whose net displacement is at
least ``REACH_MIN_DISTANCE``; its onset and offset extend outward to where
speed falls below ``ONSET_FRACTION`` of the peak (or stops falling).
Overshoot is the largest excursion past the final position along the reach
direction; settle time runs from that overshoot peak to staying within
``SETTLE_TOLERANCE`` of the final position (0 without overshoot). The final position
is where the hand is 0.5 s after the offset (or at the next reach's onset).
For hands both are measured in the upper chest's frame, so postural sway
(millimetres per 100 ms) does not read as a hand that never settles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import humanoid as hm
from ..engine import quat
from ..engine.clip import Clip
from . import bands
from .contacts import track
from .kinematics import kinematics
from .signal import derivative, lowpass, runs

Array = NDArray[np.float64]


def sparc(speed: ArrayLike, fs: float, padlevel: int = 4, fc: float = 10.0, amp_th: float = 0.05) -> float:
    """Spectral arc length of a speed profile (dimensionless, <= 0; closer to 0 is smoother). Metrics §3."""
    v = np.asarray(speed, dtype=np.float64)
    if len(v) < 4 or np.max(np.abs(v)) <= 0:
        return float("nan")
    nfft = int(2 ** (np.ceil(np.log2(len(v))) + padlevel))
    f = np.arange(0, fs, fs / nfft)
    mf = np.abs(np.fft.fft(v, nfft))
    mf = mf / mf.max()
    sel = f <= fc
    f_sel, m_sel = f[sel], mf[sel]
    above = np.nonzero(m_sel >= amp_th)[0]
    f_sel = f_sel[above[0] : above[-1] + 1]
    m_sel = m_sel[above[0] : above[-1] + 1]
    if len(f_sel) < 2:
        return 0.0
    df = np.diff(f_sel) / (f_sel[-1] - f_sel[0])
    return float(-np.sum(np.sqrt(df**2 + np.diff(m_sel) ** 2)))


def ldlj(pos: ArrayLike, fs: float, cutoff: float | None = bands.SMOOTHING_CUTOFF_HZ) -> float:
    """Log dimensionless jerk of a path ``[N, D]`` (or ``[N]``), speed-normalised (metrics §3, B2).

    ``cutoff`` (Hz) low-passes the path first (zero lag); ``None`` skips it.
    """
    p = np.asarray(pos, dtype=np.float64)
    if p.ndim == 1:
        p = p[:, None]
    if p.shape[0] < 6:
        return float("nan")
    if cutoff is not None:
        p = lowpass(p, fs, cutoff)
    v = derivative(p, fs)
    jerk = derivative(derivative(v, fs), fs)
    vpeak = float(np.max(np.linalg.norm(v, axis=1)))
    if vpeak <= 0:
        return float("nan")
    duration = (p.shape[0] - 1) / fs
    cost = float(np.sum(np.sum(jerk**2, axis=1)) / fs) * duration**3 / vpeak**2
    return float(-np.log(max(cost, 1e-300)))


def movement_units(
    speed: ArrayLike, fs: float, min_rise: float = bands.NMU_MIN_RISE, min_gap: float = bands.NMU_MIN_GAP
) -> list[int]:
    """Indices of speed peaks counted as movement units (facts §4, Murphy): rise > ``min_rise`` m/s, >= ``min_gap`` s apart."""
    v = np.asarray(speed, dtype=np.float64)
    peaks: list[int] = []
    low = v[0] if len(v) else 0.0
    gap = int(round(min_gap * fs))
    for i in range(1, len(v) - 1):
        low = min(low, v[i])
        if v[i] >= v[i - 1] and v[i] > v[i + 1] and v[i] - low > min_rise:
            if peaks and i - peaks[-1] < gap:
                if v[i] > v[peaks[-1]]:
                    peaks[-1] = i
            else:
                peaks.append(i)
            low = v[i]
    if not peaks and len(v) and v.max() - v.min() > min_rise:
        peaks.append(int(np.argmax(v)))  # a monotone ramp peaks at an end
    return peaks


@dataclass(frozen=True)
class Reach:
    """One reach of an effector: frames and the smoothness/accuracy figures of metrics §3 and issue 3."""

    effector: str
    start: int
    peak: int
    end: int
    duration: float  # s
    distance: float  # m, net
    peak_speed: float  # m/s
    sparc: float
    ldlj: float
    units: int
    peak_fraction: float  # relative time of the highest speed peak
    overshoot_mm: float
    settle_ms: float


def reach_segments(speed: ArrayLike, fs: float) -> list[tuple[int, int, int]]:
    """``(start, peak, end)`` frames of movements in a (filtered) speed profile; see the module docstring."""
    v = np.asarray(speed, dtype=np.float64)
    out: list[tuple[int, int, int]] = []
    for s, e in runs(v > 0.5 * bands.REACH_MIN_PEAK_SPEED):
        pk = s + int(np.argmax(v[s:e]))
        if v[pk] < bands.REACH_MIN_PEAK_SPEED:
            continue
        thr = bands.ONSET_FRACTION * v[pk]
        a = s
        while a > 0 and v[a - 1] < v[a] and v[a] > thr:
            a -= 1
        b = e - 1
        while b < len(v) - 1 and v[b + 1] < v[b] and v[b] > thr:
            b += 1
        if out and a <= out[-1][2]:
            a = out[-1][2]
        out.append((a, pk, b + 1))
    return out


def _span(v: Array, pk: int, lo: int, hi: int, frac: float) -> tuple[int, int]:
    """Frames around peak ``pk`` where speed stays above ``frac`` of it, widened to at least ``[lo, hi)``."""
    thr = frac * v[pk]
    a = lo
    while a > 0 and v[a - 1] > thr and v[a - 1] < v[a]:
        a -= 1
    b = hi
    while b < len(v) and v[b] > thr and v[b] < v[b - 1]:
        b += 1
    return a, b


def analyse_reaches(pos: ArrayLike, fs: float, effector: str = "", local: ArrayLike | None = None) -> list[Reach]:
    """All reaches of a path ``[N, 3]`` (metres) with their smoothness, timing and accuracy figures.

    ``local`` (``[N, 3]``, optional) is the same path in the trunk's frame; overshoot and settle are
    measured on it so body sway does not read as the hand failing to settle.
    """
    raw = np.asarray(pos, dtype=np.float64)
    p = lowpass(raw, fs, bands.SMOOTHING_CUTOFF_HZ)
    q = p if local is None else lowpass(np.asarray(local, dtype=np.float64), fs, bands.SMOOTHING_CUTOFF_HZ)
    v = np.linalg.norm(derivative(p, fs), axis=1)
    segs = reach_segments(v, fs)
    out: list[Reach] = []
    for k, (s, pk, e) in enumerate(segs):
        disp = p[e - 1] - p[s]
        dist = float(np.linalg.norm(disp))
        if dist < bands.REACH_MIN_DISTANCE:
            continue
        seg_v = v[s:e]
        units = movement_units(seg_v, fs)
        # SPARC and LDLJ over the span where speed > 2% of peak (metrics B2)
        a, b = _span(v, pk, s, e, bands.SMOOTHNESS_SPAN_FRACTION)
        nxt = segs[k + 1][0] if k + 1 < len(segs) else len(p)
        w_end = max(e, min(e + int(round(0.5 * fs)), nxt))
        final = q[w_end - 1]
        u = (final - q[s]) / max(float(np.linalg.norm(final - q[s])), 1e-9)
        along = (q[s:w_end] - final) @ u
        overshoot = max(0.0, float(along.max())) * 1000.0
        settle = 0.0
        if overshoot > 1000.0 * bands.SETTLE_TOLERANCE:
            c = s + int(np.argmax(along))  # the overshoot peak
            far = np.nonzero(np.linalg.norm(q[c:w_end] - final, axis=1) > bands.SETTLE_TOLERANCE)[0]
            settle = 1000.0 * ((int(far[-1]) + 1) / fs if len(far) else 0.0)
        out.append(
            Reach(
                effector=effector,
                start=s,
                peak=pk,
                end=e,
                duration=(e - s) / fs,
                distance=dist,
                peak_speed=float(v[pk]),
                sparc=sparc(v[a:b], fs),
                ldlj=ldlj(p[a:b], fs, cutoff=None),
                units=len(units),
                peak_fraction=(pk - s) / max(e - 1 - s, 1),
                overshoot_mm=overshoot,
                settle_ms=settle,
            )
        )
    return out


def hand_effector(clip: Clip, side: str) -> str:
    """The point used as a hand's effector: the palm landmark, else the hand bone."""
    return f"{side}Palm" if f"{side}Palm" in clip.skeleton.landmarks else f"{side}Hand"


def trunk_frame(clip: Clip, points: Array) -> Array:
    """World points ``[F, 3]`` expressed in the upper chest's moving frame (metres, relative to its joint)."""
    kin = kinematics(clip)
    j = hm.INDEX["upperChest"]
    return quat.rotate(quat.conj(kin.grot[:, j]), points - kin.gpos[:, j])


def hand_reaches(clip: Clip, side: str) -> list[Reach]:
    """Reaches of one hand's effector: found and scored in world space, overshoot/settle in the trunk frame."""
    name = hand_effector(clip, side)
    world = track(kinematics(clip), name)
    return analyse_reaches(world, clip.fps, name, local=trunk_frame(clip, world))
