"""Key reduction: dense per-frame samples -> sparse cubic Hermite (Blender Bezier) keys within a maximum error.

Pure numpy. A channel group (the 4 components of a bone's quaternion, or the 3 of
a location) shares key frames, so the Graph Editor shows aligned keys. Between
two keys the curve is the cubic Hermite with the data's own slopes at the keys;
written as Bezier keys with handles at one third of the span it is reproduced
exactly by Blender. Segments are split at their worst frame until the error
(quaternion angle in radians, or distance) is within tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


@dataclass
class Reduced:
    """Key frame indices ``[K]``, values ``[K, C]`` and slopes per frame ``[K, C]``."""

    keys: NDArray[np.int64]
    values: Array
    slopes: Array


def slopes(values: Array) -> Array:
    """Per-frame derivative ``[F, C]`` (central differences, one-sided at the ends)."""
    return np.gradient(values, axis=0) if len(values) > 1 else np.zeros_like(values)


def hermite(v0: Array, v1: Array, m0: Array, m1: Array, n: int) -> Array:
    """Samples ``[n + 1, C]`` of the cubic Hermite from ``v0`` to ``v1`` over ``n`` frames (slopes per frame)."""
    s = (np.arange(n + 1) / max(n, 1))[:, None]
    h00 = 2 * s**3 - 3 * s**2 + 1
    h10 = s**3 - 2 * s**2 + s
    h01 = -2 * s**3 + 3 * s**2
    h11 = s**3 - s**2
    return h00 * v0 + h10 * n * m0 + h01 * v1 + h11 * n * m1


def quat_error(approx: Array, exact: Array) -> Array:
    """Angle (radians) between unit quaternions ``exact [..., 4]`` and normalised ``approx``."""
    a = approx / np.linalg.norm(approx, axis=-1, keepdims=True)
    d = np.abs(np.sum(a * exact, axis=-1))
    return 2.0 * np.arccos(np.clip(d, -1.0, 1.0))


def vector_error(approx: Array, exact: Array) -> Array:
    return np.linalg.norm(approx - exact, axis=-1)


def reduce(values: Array, tol: float, kind: str = "quat") -> Reduced:
    """Choose keys for ``values [F, C]`` so the Hermite reconstruction stays within ``tol``.

    ``kind`` is ``"quat"`` (angle in radians) or ``"vector"`` (distance, e.g. metres).
    """
    values = np.asarray(values, dtype=np.float64)
    n = len(values)
    m = slopes(values)
    err_fn = quat_error if kind == "quat" else vector_error
    if n <= 2:
        keys = np.arange(n)
        return Reduced(keys, values[keys], m[keys])
    keep = {0, n - 1}
    stack = [(0, n - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        approx = hermite(values[a], values[b], m[a], m[b], b - a)
        err = err_fn(approx, values[a : b + 1])
        worst = int(np.argmax(err))
        if err[worst] > tol:
            split = a + worst if 0 < worst < b - a else (a + b) // 2
            keep.add(split)
            stack.append((a, split))
            stack.append((split, b))
    keys = np.array(sorted(keep), dtype=np.int64)
    return Reduced(keys, values[keys], m[keys])


def reconstruct(red: Reduced, n: int) -> Array:
    """Dense samples ``[n, C]`` of a reduced curve (for measuring the error)."""
    out = np.empty((n, red.values.shape[1]))
    for i in range(len(red.keys) - 1):
        a, b = int(red.keys[i]), int(red.keys[i + 1])
        out[a : b + 1] = hermite(red.values[i], red.values[i + 1], red.slopes[i], red.slopes[i + 1], b - a)
    if len(red.keys) == 1:
        out[:] = red.values[0]
    return out
