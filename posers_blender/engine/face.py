"""Blinks: when they come (:func:`blink_times`) and the eyelid channel they make (:func:`blink_track`).

Facts file §1: blink rate 17/min resting (95% range 8-21), inter-blink
interval random (log-normal); a blink closes in about 100 ms and reopens in
about 150 ms. §9: faces are what viewers notice first, so every clip keeps
blinks alive. Blinks that gaze shifts bring come from
:func:`~posers_blender.engine.gaze.gaze_blinks`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

CLOSE_S = 0.10
OPEN_S = 0.15


def blink_times(
    rng: np.random.Generator, duration: float, rate_per_min: float = 15.0, cv: float = 0.6, extra: Array | None = None
) -> Array:
    """Blink onsets (s): log-normal inter-blink intervals with the given mean rate and CV.

    ``extra`` adds blinks a motion asks for (e.g. around gaze shifts); blinks
    closer than 0.35 s to an earlier one are dropped.
    """
    mean = 60.0 / rate_per_min
    sigma = np.sqrt(np.log(1.0 + cv * cv))
    mu = np.log(mean) - 0.5 * sigma * sigma
    out = []
    t = rng.uniform(0.0, mean)
    while t < duration:
        out.append(t)
        t += float(rng.lognormal(mu, sigma))
    allt = np.sort(np.concatenate([np.asarray(out), np.asarray(extra if extra is not None else [])]))
    keep: list[float] = []
    for x in allt:
        if not keep or x - keep[-1] >= 0.35:
            keep.append(float(x))
    return np.asarray(keep)


def blink_track(times: Array, onsets: Array) -> Array:
    """Eyelid closure 0..1 per frame for blinks starting at ``onsets`` (eased close, slower reopen)."""
    times = np.asarray(times, dtype=np.float64)
    out = np.zeros_like(times)
    for t0 in onsets:
        u = times - t0
        close = (u >= 0) & (u < CLOSE_S)
        reopen = (u >= CLOSE_S) & (u < CLOSE_S + OPEN_S)
        out[close] = np.maximum(out[close], 0.5 - 0.5 * np.cos(np.pi * u[close] / CLOSE_S))
        r = (u[reopen] - CLOSE_S) / OPEN_S
        out[reopen] = np.maximum(out[reopen], 0.5 + 0.5 * np.cos(np.pi * r))
    return out
