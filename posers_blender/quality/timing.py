"""Timing and coordination: reach onset order and delays, gait events and spatiotemporal figures.

- Onsets (metrics §6 "onset lag": first frame where the speed exceeds 5% of
  its peak): for each hand reach, the pelvis (hips translation speed), the
  shoulder complex (angular speed of ``shoulder * upperArm``), the elbow
  (``lowerArm``) and the wrist (``hand``), searched from 0.5 s before the
  hand's onset to the hand's peak. The threshold is 5% of the way from the
  signal's resting level (median of the 0.5-0.3 s before the hand's onset)
  to its peak, and crossings are interpolated between frames. Bands:
  trunk/pelvis 30-80 ms before the hand (issue 3, facts §4 APA), shoulder <=
  elbow <= wrist with lags of 0-100 ms (metrics B8).
- Gait (facts §2a; metrics §6 PCI, B3, B5): plants are found by
  :func:`posers_blender.quality.contacts.foot_contacts`; their touch-down and
  lift-off times are interpolated between frames
  (:func:`~posers_blender.quality.contacts.plant_events`); strides run
  touch-down to touch-down of the same foot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import humanoid as hm
from ..engine import quat
from ..engine.clip import Clip
from . import bands
from .contacts import SIDES, foot_contacts, plant_events, track
from .kinematics import kinematics
from .signal import derivative, lowpass
from .smoothness import Reach, hand_reaches

Array = NDArray[np.float64]


def onset_time(
    signal: ArrayLike, fs: float, lo: int, hi: int, rest: tuple[int, int] | None = None, min_peak: float = 0.0
) -> float:
    """Time (s) a non-negative speed signal starts rising toward its peak within frames ``[lo, hi)``.

    The threshold sits ``ONSET_FRACTION`` of the way from the resting level
    (median over ``rest`` frames, else the window minimum) to the window's
    peak; the crossing before the peak is interpolated linearly. If the
    signal turns upward again (a valley) before falling below the threshold,
    the valley is the onset. NaN when the peak rise is below ``min_peak``.
    """
    x = np.asarray(signal, dtype=np.float64)
    lo, hi = max(0, lo), min(len(x), hi)
    if hi - lo < 2:
        return float("nan")
    pk = lo + int(np.argmax(x[lo:hi]))
    base = float(np.median(x[rest[0] : rest[1]])) if rest and rest[1] > rest[0] >= 0 else float(np.min(x[lo:hi]))
    if x[pk] - base <= min_peak:
        return float("nan")
    thr = base + bands.ONSET_FRACTION * (x[pk] - base)
    i = pk
    # walk back down the rising flank: stop below the threshold or at the valley before the rise
    # (with background motion such as sway the signal may never drop below the threshold)
    while i > lo and x[i - 1] > thr and x[i - 1] < x[i]:
        i -= 1
    if x[i - 1 if i > lo else i] >= x[i] or x[i] <= thr:
        return i / fs  # a valley above the threshold (or the window start): onset at the valley
    if i == lo:
        return lo / fs
    # crossing between i-1 (below) and i (above)
    frac = (thr - x[i - 1]) / max(x[i] - x[i - 1], 1e-12)
    return (i - 1 + frac) / fs


def _angular_speed(q: Array, fs: float) -> Array:
    w = np.linalg.norm(quat.angular_velocity(q, 1.0 / fs), axis=-1)
    w = np.degrees(np.concatenate([w[:1], w]))
    return lowpass(w, fs, bands.SMOOTHING_CUTOFF_HZ)


@dataclass(frozen=True)
class ReachTiming:
    """Onsets of one reach relative to the hand's onset, ms (negative = before the hand)."""

    reach: Reach
    pelvis: float
    shoulder: float
    elbow: float
    wrist: float

    @property
    def trunk_lead(self) -> float:
        """How long the pelvis starts before the hand, ms (issue 3 band 30-80)."""
        return -self.pelvis

    @property
    def elbow_lag(self) -> float:
        return self.elbow - self.shoulder

    @property
    def wrist_lag(self) -> float:
        return self.wrist - self.elbow


def reach_timing(clip: Clip, side: str) -> list[ReachTiming]:
    """Onset order of pelvis, shoulder, elbow and wrist for every reach of one hand (module docstring)."""
    fs = clip.fps
    kin = kinematics(clip)
    L = clip.lrot
    sig = {
        "pelvis": 1000.0
        * np.linalg.norm(derivative(lowpass(kin.joint("hips"), fs, bands.SMOOTHING_CUTOFF_HZ), fs), axis=1),
        "shoulder": _angular_speed(quat.mul(L[:, hm.INDEX[f"{side}Shoulder"]], L[:, hm.INDEX[f"{side}UpperArm"]]), fs),
        "elbow": _angular_speed(L[:, hm.INDEX[f"{side}LowerArm"]], fs),
        "wrist": _angular_speed(L[:, hm.INDEX[f"{side}Hand"]], fs),
    }
    # smallest peak rise that counts as "moving": 5 mm/s for the pelvis, 5 deg/s for joints [E]
    min_peak = {"pelvis": 5.0, "shoulder": 5.0, "elbow": 5.0, "wrist": 5.0}
    p = lowpass(track(kin, f"{side}Palm" if kin.has_landmark(f"{side}Palm") else f"{side}Hand"), fs, 6.0)
    hand_speed = np.linalg.norm(derivative(p, fs), axis=1)
    out = []
    for r in hand_reaches(clip, side):
        pre = int(round(0.5 * fs))
        rest = (r.start - pre, r.start - int(round(0.3 * fs)))
        t_hand = onset_time(hand_speed, fs, r.start - pre, r.peak + 1, rest)
        vals = {}
        for k, s in sig.items():
            t = onset_time(s, fs, r.start - pre, r.peak + 1, rest, min_peak[k])
            vals[k] = 1000.0 * (t - t_hand)
        out.append(ReachTiming(r, vals["pelvis"], vals["shoulder"], vals["elbow"], vals["wrist"]))
    return out


# --------------------------------------------------------------------------------------
# gait
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Gait:
    """Spatiotemporal gait figures (facts §2a units); NaN where the clip has too few steps or strides."""

    steps: int
    strides: int
    cadence: float  # steps/min
    stance: float  # % of stride
    double_support: float  # % of time
    step_length: float  # fraction of body height H
    speed: float  # m/s
    speed_consistency: float  # % difference between speed and cadence x step length
    stride_cv: float  # %
    pci: float  # %


def heel_strikes(clip: Clip) -> list[tuple[float, str]]:
    """``(time s, foot)`` of each foot contact that begins after the first frame (sub-frame touch-down)."""
    return [(plant_events(clip, c)[0], c.foot) for c in foot_contacts(clip) if c.start > 0]


def pci(left_hs: ArrayLike, right_hs: ArrayLike) -> float:
    """Phase coordination index (Plotnik 2007; metrics §6): CV(phi)% + 100 mean|phi - 180| / 180, in %.

    ``phi_i`` = 360 (right heel strike - left heel strike i) / left stride i.
    """
    lh = np.sort(np.asarray(left_hs, dtype=np.float64))
    rh = np.sort(np.asarray(right_hs, dtype=np.float64))
    phis = []
    for a, b in zip(lh[:-1], lh[1:]):
        r = rh[(rh > a) & (rh < b)]
        if len(r):
            phis.append(360.0 * (r[0] - a) / (b - a))
    if len(phis) < 2:
        return float("nan")
    ph = np.asarray(phis)
    return float(100.0 * np.std(ph, ddof=1) / np.mean(ph) + 100.0 * np.mean(np.abs(ph - 180.0)) / 180.0)


def gait(clip: Clip) -> Gait:
    """Cadence, stance %, double support %, step length (H), speed, stride-time CV and PCI (facts §2a)."""
    fs = clip.fps
    kin = kinematics(clip)
    plants = [c for c in foot_contacts(clip)]
    hs = [c for c in plants if c.start > 0]
    nan = float("nan")
    if len(hs) < 3:
        return Gait(len(hs), 0, nan, nan, nan, nan, nan, nan, nan, nan)
    ev = {id(c): plant_events(clip, c) for c in plants}  # touch-down / lift-off times (s)
    hst = {id(c): ev[id(c)][0] for c in hs}
    times = np.array(sorted(hst.values()))
    cadence = 60.0 * (len(hs) - 1) / (times[-1] - times[0])
    strides, stance = [], []
    by_foot: dict[str, list] = {s: [c for c in hs if c.foot == s] for s in SIDES}
    for cs in by_foot.values():
        for a, b in zip(cs[:-1], cs[1:]):
            st = hst[id(b)] - hst[id(a)]
            strides.append(st)
            stance.append(100.0 * (ev[id(a)][1] - ev[id(a)][0]) / st)
    # double support: time both feet are down, over the span from the first to the last heel strike
    t0, t1 = float(times[0]), float(times[-1])
    both = 0.0
    for a in plants:
        for b in plants:
            if a.foot == "left" and b.foot == "right":
                lo_t = max(ev[id(a)][0], ev[id(b)][0], t0)
                hi_t = min(ev[id(a)][1], ev[id(b)][1], t1)
                both += max(0.0, hi_t - lo_t)
    ds = 100.0 * both / (t1 - t0) if t1 > t0 else nan
    lo, hi = hs[0].start, hs[-1].start
    # progression direction from the hips' net travel
    hips = kin.joint("hips")[:, [0, 2]]
    travel = hips[hi] - hips[lo]
    dist = float(np.linalg.norm(travel))
    u = travel / max(dist, 1e-9)
    speed = dist / max((hi - lo) / fs, 1e-9)
    heel = {s: track(kin, f"{s}Heel" if kin.has_landmark(f"{s}Heel") else f"{s}Foot")[:, [0, 2]] for s in SIDES}
    steps = []
    for a, b in zip(hs[:-1], hs[1:]):
        if a.foot != b.foot:
            steps.append(float(abs((heel[b.foot][b.start] - heel[a.foot][a.start]) @ u)))
    height = clip.skeleton.height
    step_len = float(np.mean(steps)) / height if steps else nan
    consistency = (
        100.0 * abs(speed - cadence / 60.0 * step_len * height) / max(speed, 1e-9) if steps and speed > 0 else nan
    )
    cv = 100.0 * float(np.std(strides, ddof=1) / np.mean(strides)) if len(strides) >= 2 else nan
    p = pci([hst[id(c)] for c in by_foot["left"]], [hst[id(c)] for c in by_foot["right"]])
    return Gait(
        len(hs),
        len(strides),
        cadence,
        float(np.mean(stance)) if stance else nan,
        ds,
        step_len,
        speed,
        consistency,
        cv,
        p,
    )
