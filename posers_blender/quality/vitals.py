"""Signs of life of a standing body: breathing, postural sway, blinks, head pitch (facts §1, §7; metrics §9 B7, B11).

- Breathing from the ``inhale``/``exhale`` markers when the motion writes them
  (rate, exhale:inhale ratio, breath-period CV), else from the chest motion
  (the summed flexion of ``spine``, ``chest``, ``upperChest``: its dominant
  frequency in 0.1-0.6 Hz). The marker statistics describe *quiet* breathing
  (facts §1 rate and Benchetrit's breath-to-breath variation): breaths that
  are events of their own are skipped, namely a breath holding a ``sigh``
  marker (facts §1 lists sighs separately: ~12/h at ~2x tidal volume; one
  sigh in two minutes of breaths moved the period CV of the standing
  motions from ~10 % to 20-24 %) and the breaths of a smoking cycle, those
  that overlap a puff (``puff_start``/``puff`` ... ``puff_end``/``lower``:
  breathing pauses while the mouth draws, so that breath lasts 6-9 s) or a
  ``smoke_inhale_start`` ... next ``exhale`` window (facts §5: a 4.5 s
  inhalation and a hold, by design not a quiet breath).
- Sway: the whole-body COM ground projection (facts §10 masses,
  :func:`~posers_blender.quality.balance.center_of_mass`) around its
  ``SWAY_DETREND_S`` (10 s) moving median. The band's lab values come from
  quiet-stance trials without the weight shifts our idles add on purpose: a
  moving median removes a shift's step entirely, where a 0.05 Hz high-pass
  (facts §1 sway band 0.05-0.8 Hz) leaves a decaying transient of the step's
  size for several seconds, and keeps the 0.1-1 Hz band anxiety raises. RMS
  anterior-posterior (z) and medio-lateral (x) in mm (``robust``: from the
  median squared deviation, so sparse large excursions such as postural
  fidgets do not count as sway) and the median frequency of the combined
  spectrum between 0.05 and 5 Hz.
- Blinks: rising crossings of 0.5 on the ``blink`` expression channel.
- Head pitch: the head's forward axis above the horizontal (facts §7 posture).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine import quat
from ..engine.clip import Clip
from . import bands
from .balance import center_of_mass
from .kinematics import kinematics
from .mechanical import interval_cv, periodicity_purity, rate_per_min
from .signal import median_frequency, moving_median

Array = NDArray[np.float64]

BREATH_BAND_HZ = (0.1, 0.6)  # 6-36 breaths/min: wide around facts §1 12-20/min


@dataclass(frozen=True)
class Breathing:
    """Breathing rate (1/min), exhale:inhale ratio, breath-period CV (%), number of quiet breaths measured,
    the source used (``inhale markers`` or ``chest motion``) and how many sigh/smoke breaths were skipped."""

    rate: float
    ie_ratio: float
    period_cv: float
    breaths: int
    source: str
    skipped: int = 0


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


#: Breaths that are events of their own, not quiet breathing (see the module docstring): a breath holding one
#: of these markers, a breath overlapping a puff, and one overlapping ``SMOKE_BREATH_START`` ... next ``exhale``.
NON_QUIET_BREATH_MARKERS = ("sigh",)
SMOKE_BREATH_START = "smoke_inhale_start"
#: Puff markers: ``puff_start``/``puff_end``, or smoking-cigarette's ``puff`` (lips on) / ``lower`` (lips off).
PUFF_START = ("puff_start", "puff")
PUFF_END = ("puff_end", "lower")


def _until_next(times: Array, t: float, default: float) -> float:
    later = times[times > t]
    return float(later[0]) if len(later) else default


def non_quiet_windows(clip: Clip) -> list[tuple[float, float]]:
    """``(start, end)`` times (s) of sighs (a point), puffs and smoke breaths (smoke inhale to the next exhale)."""
    exh = np.sort([t for t, n in clip.markers if n == "exhale"])
    ends = np.sort([t for t, n in clip.markers if n in PUFF_END])
    out = [(t, t) for t, n in clip.markers if n in NON_QUIET_BREATH_MARKERS]
    out += [(t, _until_next(ends, t, clip.duration)) for t, n in clip.markers if n in PUFF_START]
    out += [(t, _until_next(exh, t, clip.duration)) for t, n in clip.markers if n == SMOKE_BREATH_START]
    return sorted(out)


def breathing(clip: Clip) -> Breathing:
    """Quiet-breathing statistics (facts §1; metrics B7).

    A breath runs from one ``inhale`` marker to the next; sigh and smoke
    breaths are skipped (:func:`non_quiet_windows`), so rate, I:E and period
    CV describe the quiet breaths only. The markers are used when at least
    one quiet breath remains and the quiet breaths' median length is a
    breath (<= ``BREATH_MARKER_MAX_INTERVAL``: a motion that marks only its
    smoke inhales is not read as breathing every 24 s); else the rate comes
    from the chest motion (less reliable when the trunk also makes large moves).
    """
    inh = np.sort([t for t, n in clip.markers if n == "inhale"])
    exh = np.sort([t for t, n in clip.markers if n == "exhale"])
    skip = non_quiet_windows(clip)
    eps = 1e-6
    quiet = [(a, b) for a, b in zip(inh[:-1], inh[1:]) if not any(wa < b - eps and wb >= a - eps for wa, wb in skip)]
    periods = np.array([b - a for a, b in quiet])
    if len(periods) and float(np.median(periods)) <= bands.BREATH_MARKER_MAX_INTERVAL:
        ratios = []
        for a, b in quiet:
            e = exh[(exh > a) & (exh < b)]
            if len(e):
                ratios.append((b - e[0]) / max(e[0] - a, 1e-6))
        cv = 100.0 * float(np.std(periods, ddof=1) / np.mean(periods)) if len(periods) >= 2 else math.nan
        return Breathing(
            60.0 / float(np.mean(periods)),
            float(np.mean(ratios)) if ratios else math.nan,
            cv,
            len(periods),
            "inhale markers",
            len(inh) - 1 - len(quiet),
        )
    rate = breathing_rate_from_motion(clip)
    return Breathing(rate, math.nan, math.nan, 0, "chest motion")


@dataclass(frozen=True)
class Sway:
    """COM sway: RMS AP and ML (mm) and the median frequency (Hz)."""

    ap_rms: float
    ml_rms: float
    median_freq: float


SWAY_DETREND_S = 10.0  # moving-median window (s): removes weight-shift steps, keeps the 0.1-1 Hz sway
SWAY_SPECTRUM_HZ = (0.05, 5.0)  # facts §1 sway lives in 0.05-0.8 Hz; the median frequency is taken up to 5 Hz
_CHI2_1_MEDIAN = 0.4549  # median of a chi-square variable with 1 degree of freedom (robust RMS)


def sway_signal(clip: Clip, detrend_s: float = SWAY_DETREND_S) -> Array:
    """COM ground projection minus its moving median, mm ``[F, 2]`` (columns ML = x, AP = z)."""
    com = center_of_mass(clip)[:, [0, 2]] * 1000.0
    return np.stack([c - moving_median(c, clip.fps, detrend_s) for c in com.T], axis=1)


def sway(clip: Clip, robust: bool = False, detrend_s: float = SWAY_DETREND_S) -> Sway:
    """Postural sway of the COM ground projection around its moving median (metrics B7; facts §1).

    ``robust`` estimates each RMS from the median squared deviation (the Gaussian equivalent), so sparse
    large excursions (postural fidgets, gestures) do not count as sway.
    """
    xz = sway_signal(clip, detrend_s)
    d2 = xz**2
    ms = np.median(d2, axis=0) / _CHI2_1_MEDIAN if robust else np.mean(d2, axis=0)
    ml, ap = (float(v) for v in np.sqrt(ms))
    mf = median_frequency(xz, clip.fps, fmin=SWAY_SPECTRUM_HZ[0], fmax=SWAY_SPECTRUM_HZ[1])
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
    return Blinks(rate_per_min(on, clip.duration), interval_cv(on), len(on))


def head_pitch(clip: Clip) -> Array:
    """Pitch (degrees ``[F]``, + up) of the head's forward axis (+Z in the head frame) above the horizontal."""
    fwd = quat.rotate(kinematics(clip).grot[:, hm.INDEX["head"]], np.array([0.0, 0.0, 1.0]))
    return np.degrees(np.arcsin(np.clip(fwd[:, 1], -1.0, 1.0)))
