"""Metrics for standing motions (metrics file B7, B10, B11, A2, A5, A8, B6): pure numpy over a :class:`Clip`.

Every function documents its units. Bounds live in the tests and cite the
facts file; these functions only measure.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import humanoid as hm
from ..engine import quat
from ..engine.clip import Clip
from ..engine.program import HINGE_AXES

Array = NDArray[np.float64]

# Segment mass fractions (facts §10, Dempster/Winter), placed at the midpoint of bone -> child.
_SEGMENTS: tuple[tuple[str, str, float], ...] = (
    ("hips", "spine", 0.142),
    ("spine", "chest", 0.139),
    ("chest", "upperChest", 0.108),
    ("upperChest", "neck", 0.108),
    ("neck", "head", 0.02),
    ("head", "head", 0.061),
    ("leftUpperArm", "leftLowerArm", 0.028),
    ("rightUpperArm", "rightLowerArm", 0.028),
    ("leftLowerArm", "leftHand", 0.016),
    ("rightLowerArm", "rightHand", 0.016),
    ("leftHand", "leftHand", 0.006),
    ("rightHand", "rightHand", 0.006),
    ("leftUpperLeg", "leftLowerLeg", 0.1),
    ("rightUpperLeg", "rightLowerLeg", 0.1),
    ("leftLowerLeg", "leftFoot", 0.0465),
    ("rightLowerLeg", "rightFoot", 0.0465),
    ("leftFoot", "leftToes", 0.0145),
    ("rightFoot", "rightToes", 0.0145),
)


def com_track(clip: Clip) -> Array:
    """Whole-body centre of mass ``[F, 3]`` (m) from segment midpoints and mass fractions."""
    _, gpos = clip.fk()
    acc = np.zeros((clip.n_frames, 3))
    total = 0.0
    for a, b, m in _SEGMENTS:
        p = 0.5 * (gpos[:, hm.INDEX[a]] + gpos[:, hm.INDEX[b]])
        acc += m * p
        total += m
    return acc / total


def _moving_median(x: Array, n: int) -> Array:
    if n < 3 or len(x) < n:
        return np.full_like(x, np.median(x))
    pad = n // 2
    xp = np.pad(x, pad, mode="edge")
    win = np.lib.stride_tricks.sliding_window_view(xp, 2 * pad + 1)
    return np.median(win, axis=1)[: len(x)]


def sway_rms(clip: Clip, detrend_s: float = 10.0, robust: bool = False) -> tuple[float, float]:
    """(AP, ML) RMS of the COM ground projection (mm) around a moving median of ``detrend_s`` seconds.

    The moving median removes the step of a weight shift (metrics B7 measures
    sway, not relocation) while keeping the 0.1-1 Hz band anxiety raises.
    ``robust`` estimates the RMS from the median squared deviation (Gaussian
    equivalent), so sparse large excursions (postural fidgets) do not count as sway.
    """
    com = com_track(clip)
    step = max(int(round(detrend_s * clip.fps / 4)), 1)  # median on a decimated grid, then interpolate
    out = []
    for k in (2, 0):  # AP = z (forward), ML = x
        x = com[:, k]
        idx = np.arange(0, len(x), step)
        med = _moving_median(x[idx], max(int(detrend_s * clip.fps / step), 3))
        trend = np.interp(np.arange(len(x)), idx, med)
        d2 = (x - trend) ** 2
        ms = float(np.median(d2)) / 0.4549 if robust else float(np.mean(d2))  # median of chi2(1) = 0.4549
        out.append(np.sqrt(ms) * 1000.0)
    return out[0], out[1]


def median_frequency(signal: ArrayLike, fps: float, fmin: float = 0.02, fmax: float = 5.0) -> float:
    """Median frequency (Hz) of the power spectrum of ``signal`` between ``fmin`` and ``fmax``."""
    x = np.asarray(signal, dtype=np.float64)
    x = x - np.polyval(np.polyfit(np.arange(len(x)), x, 1), np.arange(len(x)))
    p = np.abs(np.fft.rfft(x * np.hanning(len(x)))) ** 2
    fr = np.fft.rfftfreq(len(x), 1.0 / fps)
    m = (fr >= fmin) & (fr <= fmax)
    c = np.cumsum(p[m])
    if c[-1] <= 0:
        return 0.0
    return float(fr[m][np.searchsorted(c, 0.5 * c[-1])])


def periodicity_purity(signal: ArrayLike, fps: float, half_width: int = 2) -> float:
    """Share of a signal's (detrended, Hann-windowed) power within ±``half_width`` bins of its strongest line.

    A pure sine scores about 1.0 (Hann leakage stays inside ±2 bins); broadband
    human motion spreads its power and scores low. DC is excluded.
    """
    x = np.asarray(signal, dtype=np.float64)
    if len(x) < 16:
        return 0.0
    x = x - np.polyval(np.polyfit(np.arange(len(x)), x, 1), np.arange(len(x)))
    p = np.abs(np.fft.rfft(x * np.hanning(len(x)))) ** 2
    p[0] = 0.0
    total = float(p.sum())
    if total <= 1e-18:
        return 0.0
    c = np.concatenate([[0.0], np.cumsum(p)])
    k = np.arange(len(p))
    lo = np.clip(k - half_width, 0, len(p))
    hi = np.clip(k + half_width + 1, 0, len(p))
    return float(np.max(c[hi] - c[lo]) / total)


def joint_angle_signals(clip: Clip) -> dict[str, Array]:
    """Per bone, the rotation-vector components (deg) ``[F, 3]`` relative to the bone's mean pose."""
    out = {}
    for j, bone in enumerate(hm.BONES):
        q = clip.lrot[:, j]
        mean = quat.normalize(np.mean(quat.continuous(q, axis=0), axis=0))
        rel = quat.mul(quat.conj(mean), q)
        out[bone] = np.degrees(quat.to_scaled_axis(rel))
    return out


def joint_purity(clip: Clip, min_std_deg: float = 0.2, min_speed_dps: float = 0.3) -> dict[str, float]:
    """Per moving bone, the largest :func:`periodicity_purity` of its angular velocity components.

    Velocity, not angle (metrics file §6 "spectral richness" works on angular
    velocity): in a short clip any slow drift piles its angle power into the
    lowest bins and would look "pure". Components whose angle moves less than
    ``min_std_deg`` (deg, std), or whose Hann-windowed velocity RMS is below
    ``min_speed_dps`` (a joint that moved once, near an end, then held), are
    ignored as static.
    """
    out = {}
    for bone, sig in joint_angle_signals(clip).items():
        vel = np.diff(sig, axis=0) * clip.fps
        win = np.hanning(len(vel))
        vals = [
            periodicity_purity(vel[:, k], clip.fps)
            for k in range(3)
            if np.std(sig[:, k]) >= min_std_deg and np.sqrt(np.mean((vel[:, k] * win) ** 2)) >= min_speed_dps
        ]
        if vals:
            out[bone] = max(vals)
    return out


def angular_speed(clip: Clip) -> dict[str, Array]:
    """Per bone, local angular speed (deg/s) per frame ``[F-1]``."""
    dt = 1.0 / clip.fps
    out = {}
    for j, bone in enumerate(hm.BONES):
        w = quat.angular_velocity(clip.lrot[:, j], dt)
        out[bone] = np.degrees(np.linalg.norm(w, axis=-1))
    return out


def angular_acceleration_max(clip: Clip, bones: Sequence[str] | None = None) -> dict[str, float]:
    """Per bone, the largest frame-to-frame change of angular velocity (deg/s²): a jump detector."""
    dt = 1.0 / clip.fps
    out = {}
    for bone in bones or hm.BONES:
        w = quat.angular_velocity(clip.lrot[:, hm.INDEX[bone]], dt)
        if len(w) > 1:
            out[bone] = float(np.degrees(np.max(np.linalg.norm(np.diff(w, axis=0), axis=-1)) / dt))
    return out


def hinge_flexion(clip: Clip, bone: str) -> Array:
    """Flexion (deg) of a knee or elbow (``leftLowerLeg``, ``rightLowerArm``...): signed angle about its hinge."""
    q = clip.lrot[:, hm.INDEX[bone]]
    return np.degrees(quat.twist_angle(q, HINGE_AXES[bone]))


def total_angle(clip: Clip, bone: str) -> Array:
    """Total rotation (deg) of a bone relative to the rest pose, per frame."""
    q = clip.lrot[:, hm.INDEX[bone]]
    return np.degrees(2.0 * np.arccos(np.clip(np.abs(q[:, 0]), 0.0, 1.0)))


def joint_limit_violations(clip: Clip, tol: float = 5.0) -> dict[str, int]:
    """Frames outside facts §8 limits (+``tol`` deg), per check; an empty dict means clean.

    Checks: knee flexion -5..145, elbow -5..150, each spine bone <= 15° (single-bone
    bend rule), neck+head combined <= 80°, wrist total <= 90°.
    """
    bad: dict[str, int] = {}

    def add(name: str, mask: NDArray[np.bool_]) -> None:
        k = int(np.count_nonzero(mask))
        if k:
            bad[name] = k

    for side in ("left", "right"):
        knee = hinge_flexion(clip, f"{side}LowerLeg")
        add(f"{side}Knee", (knee < -tol) | (knee > 145 + tol))
        elbow = hinge_flexion(clip, f"{side}LowerArm")
        add(f"{side}Elbow", (elbow < -tol) | (elbow > 150 + tol))
        add(f"{side}Wrist", total_angle(clip, f"{side}Hand") > 90 + tol)
    for bone in ("spine", "chest", "upperChest"):
        add(bone, total_angle(clip, bone) > 15 + tol)
    q = quat.mul(clip.lrot[:, hm.INDEX["neck"]], clip.lrot[:, hm.INDEX["head"]])
    add("neck+head", np.degrees(2.0 * np.arccos(np.clip(np.abs(q[:, 0]), 0.0, 1.0))) > 80 + tol)
    return bad


def foot_slide_mm(clip: Clip) -> float:
    """Largest horizontal excursion (mm) of any heel or toe-tip landmark from its median position."""
    worst = 0.0
    for lm in ("leftHeel", "rightHeel", "leftToeTip", "rightToeTip"):
        p = clip.landmark(lm)[:, [0, 2]]
        d = np.linalg.norm(p - np.median(p, axis=0), axis=1)
        worst = max(worst, float(np.max(d)))
    return worst * 1000.0


def point_distance(clip: Clip, bone: str, offset: ArrayLike, landmark: str) -> Array:
    """Distance (m) per frame between a point fixed to ``bone`` (``offset`` in its frame) and a landmark."""
    grot, gpos = clip.fk()
    j = hm.INDEX[bone]
    p = gpos[:, j] + quat.rotate(grot[:, j], np.asarray(offset, dtype=np.float64))
    return np.linalg.norm(p - clip.skeleton.landmark_positions(landmark, grot, gpos), axis=1)


def interval_cv(times: ArrayLike) -> float:
    """Coefficient of variation of the intervals between sorted event times (nan for fewer than 3 events)."""
    t = np.sort(np.asarray(times, dtype=np.float64))
    if len(t) < 3:
        return float("nan")
    d = np.diff(t)
    return float(np.std(d) / np.mean(d))


def rate_per_min(times: ArrayLike, duration_s: float) -> float:
    """Events per minute over a span of ``duration_s`` seconds."""
    return 60.0 * len(np.asarray(times)) / duration_s


def blink_rate(clip: Clip, threshold: float = 0.5) -> float:
    """Blinks per minute: upward crossings of the ``blink`` channel through ``threshold``."""
    b = clip.expressions.get("blink")
    if b is None:
        return 0.0
    up = np.count_nonzero((b[1:] >= threshold) & (b[:-1] < threshold))
    return 60.0 * up / clip.duration


def breathing_rate(clip: Clip, bone: str = "upperChest") -> float:
    """Breaths per minute from the thoracic pitch: count of inhale peaks (prominence-gated, ≥ 2 s apart)."""
    sig = joint_angle_signals(clip)[bone][:, 0]
    k = max(int(clip.fps * 0.5), 1)
    sm = np.convolve(sig - sig.mean(), np.ones(k) / k, mode="same")
    # extension is negative pitch: inhale peaks are minima of x-rotation
    x = -sm
    thr = 0.3 * np.std(x)
    min_gap = int(2.0 * clip.fps)
    peaks: list[int] = []
    for i in range(1, len(x) - 1):
        if x[i] >= x[i - 1] and x[i] > x[i + 1] and x[i] > thr:
            if not peaks or i - peaks[-1] >= min_gap:
                peaks.append(i)
            elif x[i] > x[peaks[-1]]:
                peaks[-1] = i
    return 60.0 * len(peaks) / clip.duration


def head_pitch_deg(clip: Clip) -> float:
    """Mean pitch (deg, + up) of the head's forward axis relative to horizontal."""
    grot, _ = clip.fk()
    fwd = quat.rotate(grot[:, hm.INDEX["head"]], np.array([0.0, 0.0, 1.0]))
    return float(np.degrees(np.mean(np.arcsin(np.clip(fwd[:, 1], -1, 1)))))
