"""Standing statistics: breathing, postural sway, blinks (facts §1; metrics §9 B7).

- Breathing from the ``inhale``/``exhale`` markers when the motion writes them
  (rate, exhale:inhale ratio, breath-period CV), else from the chest motion
  (the summed flexion of ``spine``, ``chest``, ``upperChest``: its dominant
  frequency in 0.1-0.6 Hz).
- Sway: the whole-body COM ground projection (facts §10 masses), high-passed
  at ``SWAY_HIGHPASS_HZ`` (facts §1: sway lives in 0.05-0.8 Hz; the band's
  lab values come from quiet-stance trials without the weight shifts and
  drift our idles add on purpose, which would otherwise dominate); RMS
  anterior-posterior (z) and medio-lateral (x) in mm and the median
  frequency of the combined spectrum between 0.05 and 5 Hz.
- Blinks: rising crossings of 0.5 on the ``blink`` expression channel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..engine import quat
from ..engine.clip import Clip
from . import bands
from .balance import center_of_mass
from .mechanical import interval_cv, periodicity_purity
from .signal import detrend, lowpass, median_frequency

Array = NDArray[np.float64]

BREATH_BAND_HZ = (0.1, 0.6)  # 6-36 breaths/min: wide around facts §1 12-20/min


@dataclass(frozen=True)
class Breathing:
    """Breathing rate (1/min), exhale:inhale ratio, breath-period CV (%), number of breaths and the source used."""

    rate: float
    ie_ratio: float
    period_cv: float
    breaths: int
    source: str


def chest_signal(clip: Clip) -> Array:
    """Summed sagittal rotation (degrees ``[F]``) of ``spine``, ``chest`` and ``upperChest`` (flexion +)."""
    total = np.zeros(clip.n_frames)
    for b in ("spine", "chest", "upperChest"):
        rv = quat.to_scaled_axis(clip.lrot[:, clip.skeleton.index(b)])
        total += np.degrees(rv[:, 0])
    return total


def breathing_rate_from_motion(clip: Clip) -> float:
    """Breaths per minute from the chest's dominant oscillation in 0.1-0.6 Hz (NaN if the chest is still)."""
    x = chest_signal(clip)
    if np.std(x) < 1e-4:
        return float("nan")
    # best single sinusoid restricted to the breathing band (at least 2 cycles in the clip)
    _, f = periodicity_purity(
        x, clip.fps, fmax=BREATH_BAND_HZ[1], min_cycles=max(2.0, BREATH_BAND_HZ[0] * clip.duration)
    )
    return 60.0 * f


def breathing(clip: Clip) -> Breathing:
    """Breathing statistics (facts §1; metrics B7).

    From ``inhale``/``exhale`` markers when there are >= 3 inhales whose median
    interval is a breath (<= ``BREATH_MARKER_MAX_INTERVAL``), else the rate
    from the chest motion (less reliable when the trunk also makes large moves).
    """
    inh = np.sort([t for t, n in clip.markers if n == "inhale"])
    exh = np.sort([t for t, n in clip.markers if n == "exhale"])
    if len(inh) >= 3 and float(np.median(np.diff(inh))) <= bands.BREATH_MARKER_MAX_INTERVAL:
        periods = np.diff(inh)
        ratios = []
        for a, b in zip(inh[:-1], inh[1:]):
            e = exh[(exh > a) & (exh < b)]
            if len(e):
                ratios.append((b - e[0]) / max(e[0] - a, 1e-6))
        cv = 100.0 * float(np.std(periods, ddof=1) / np.mean(periods)) if len(periods) >= 2 else float("nan")
        return Breathing(
            60.0 / float(np.mean(periods)),
            float(np.mean(ratios)) if ratios else float("nan"),
            cv,
            len(periods),
            "inhale markers",
        )
    rate = breathing_rate_from_motion(clip)
    return Breathing(rate, float("nan"), float("nan"), 0, "chest motion")


@dataclass(frozen=True)
class Sway:
    """COM sway: RMS AP and ML (mm) and the median frequency (Hz)."""

    ap_rms: float
    ml_rms: float
    median_freq: float


SWAY_HIGHPASS_HZ = 0.05  # facts §1 sway band 0.05-0.8 Hz


def sway(clip: Clip) -> Sway:
    """Postural sway of the COM ground projection (metrics B7; facts §1), high-passed at 0.05 Hz."""
    com = center_of_mass(clip)[:, [0, 2]] * 1000.0
    xz = detrend(com - lowpass(com, clip.fps, SWAY_HIGHPASS_HZ))
    ml = float(np.sqrt(np.mean(xz[:, 0] ** 2)))
    ap = float(np.sqrt(np.mean(xz[:, 1] ** 2)))
    mf = median_frequency(xz, clip.fps, fmin=SWAY_HIGHPASS_HZ, fmax=5.0)
    return Sway(ap, ml, mf)


@dataclass(frozen=True)
class Blinks:
    """Blink rate (1/min), inter-blink-interval CV, count; NaN when the clip has no ``blink`` channel."""

    rate: float
    interval_cv: float
    count: int


def blink_onsets(clip: Clip, channel: str = "blink", threshold: float = 0.5) -> Array:
    """Times (s) where the blink channel rises through ``threshold``."""
    x = clip.expressions.get(channel)
    if x is None or len(x) < 2:
        return np.zeros(0)
    up = np.nonzero((x[1:] >= threshold) & (x[:-1] < threshold))[0] + 1
    return up / clip.fps


def blinks(clip: Clip) -> Blinks:
    """Blink statistics (facts §1 Bentivoglio 1997; metrics B7)."""
    if "blink" not in clip.expressions:
        return Blinks(float("nan"), float("nan"), 0)
    on = blink_onsets(clip)
    return Blinks(60.0 * len(on) / clip.duration, interval_cv(on), len(on))
