"""Distribution distance: a Fréchet distance between hand-crafted features of 2-s windows.

Metrics §4 (FID_k/FID_g idea of Li et al. 2021, training-free; no learned
encoder): each clip is cut into windows of ``FD_WINDOW_S`` seconds every
``FD_HOP_S`` seconds; every window gives one feature vector; a Gaussian is
fitted to each side's windows and

    FD = |mu_a - mu_b|^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2))

with each covariance regularised by ``FD_REGULARISATION`` times its mean
variance on the diagonal (few windows, many features). Each side needs at
least ``FD_MIN_WINDOWS`` windows (a 2-s window every 0.5 s: 5.5 s of motion).

Features (20, all body-size normalised by the avatar height H, in the
hips-heading frame so walking direction does not matter):

- kinetic (Onuma-style, log energies): for hands, feet, head and hips, the
  log mean speed and log mean acceleration magnitude (12);
- geometric: mean hand height above the hips (2), mean hand-to-head distance
  (2), mean distance between the feet (1), mean elbow flexion and mean knee
  flexion over both sides (2, radians), the spread (std) of the hips height (1).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..engine.clip import Clip
from . import bands
from .kinematics import kinematics
from .limits import angle
from .signal import derivative, lowpass

Array = NDArray[np.float64]

KINETIC_POINTS = ("leftHand", "rightHand", "leftFoot", "rightFoot", "head", "hips")
FEATURE_NAMES: tuple[str, ...] = tuple(
    [f"log_speed[{p}]" for p in KINETIC_POINTS]
    + [f"log_accel[{p}]" for p in KINETIC_POINTS]
    + [
        "left_hand_height",
        "right_hand_height",
        "left_hand_head",
        "right_hand_head",
        "feet_distance",
        "elbow_flexion",
        "knee_flexion",
        "hips_height_std",
    ]
)


def window_features(clip: Clip, window_s: float = bands.FD_WINDOW_S, hop_s: float = bands.FD_HOP_S) -> Array:
    """Feature vectors ``[W, 20]`` of the clip's windows (module docstring); ``W`` may be 0 for short clips."""
    fs = clip.fps
    kin = kinematics(clip)
    h = max(clip.skeleton.height, 1e-6)
    pts = {p: lowpass(kin.joint(p), fs, 10.0) / h for p in KINETIC_POINTS}
    speed = {p: np.linalg.norm(derivative(x, fs), axis=1) for p, x in pts.items()}
    accel = {p: np.linalg.norm(derivative(derivative(x, fs), fs), axis=1) for p, x in pts.items()}
    hips = pts["hips"]
    head = pts["head"]
    geo = np.stack(
        [
            pts["leftHand"][:, 1] - hips[:, 1],
            pts["rightHand"][:, 1] - hips[:, 1],
            np.linalg.norm(pts["leftHand"] - head, axis=1),
            np.linalg.norm(pts["rightHand"] - head, axis=1),
            np.linalg.norm(pts["leftFoot"] - pts["rightFoot"], axis=1),
            np.radians(0.5 * (angle(clip, "leftElbow.flexion") + angle(clip, "rightElbow.flexion"))),
            np.radians(0.5 * (angle(clip, "leftKnee.flexion") + angle(clip, "rightKnee.flexion"))),
        ],
        axis=1,
    )
    w = int(round(window_s * fs))
    hop = max(1, int(round(hop_s * fs)))
    rows = []
    for s in range(0, clip.n_frames - w + 1, hop):
        sl = slice(s, s + w)
        kinetic = [np.log(np.mean(speed[p][sl]) + 1e-3) for p in KINETIC_POINTS]
        kinetic += [np.log(np.mean(accel[p][sl]) + 1e-2) for p in KINETIC_POINTS]
        rows.append(np.concatenate([kinetic, geo[sl].mean(axis=0), [np.std(hips[sl, 1])]]))
    return np.asarray(rows, dtype=np.float64).reshape(-1, len(FEATURE_NAMES))


def _sqrtm_psd(a: Array) -> Array:
    w, v = np.linalg.eigh(0.5 * (a + a.T))
    return (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T


def frechet_distance(a: ArrayLike, b: ArrayLike, regularisation: float = bands.FD_REGULARISATION) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets ``[Na, D]`` and ``[Nb, D]`` (metrics §4).

    Zero for identical sets; grows with a shift of the mean (by |shift|^2) or a
    change of spread. Raises ValueError if a side has fewer than ``FD_MIN_WINDOWS`` rows.
    """
    x = np.asarray(a, dtype=np.float64)
    y = np.asarray(b, dtype=np.float64)
    for name, m in (("first", x), ("second", y)):
        if m.ndim != 2 or m.shape[0] < bands.FD_MIN_WINDOWS:
            raise ValueError(
                f"the {name} feature set has {m.shape[0] if m.ndim == 2 else 0} windows; "
                f"the Fréchet distance needs at least {bands.FD_MIN_WINDOWS}"
            )
    if x.shape[1] != y.shape[1]:
        raise ValueError("feature sets have different dimensions")

    def stats(m: Array) -> tuple[Array, Array]:
        c = np.cov(m, rowvar=False)
        c = np.atleast_2d(c)
        c = c + regularisation * max(float(np.trace(c)) / c.shape[0], 1e-12) * np.eye(c.shape[0])
        return m.mean(axis=0), c

    mx, cx = stats(x)
    my, cy = stats(y)
    sx = _sqrtm_psd(cx)
    cross = _sqrtm_psd(sx @ cy @ sx)  # (Sx Sy)^(1/2) has the trace of (sx Sy sx)^(1/2)
    fd = float(np.sum((mx - my) ** 2) + np.trace(cx) + np.trace(cy) - 2.0 * np.trace(cross))
    return max(fd, 0.0)


def clip_distance(clip: Clip, references: Sequence[Clip]) -> float:
    """Fréchet distance between a clip's window features and those of reference clips (pooled)."""
    mine = window_features(clip)
    ref = np.concatenate([window_features(r) for r in references], axis=0) if references else np.zeros((0, 20))
    return frechet_distance(mine, ref)
