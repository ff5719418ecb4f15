"""Small vector helpers shared by the reach modules (written out where a BLAS call could round differently)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import quat

Array = NDArray[np.float64]


def norm3(v: Array) -> float:
    """Length of a 3-vector written out (a BLAS dot may round differently with memory alignment; clips must be
    bit-identical for the same seed)."""
    return float(np.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]))


def unit(v: Array) -> Array:
    return v / np.maximum(quat.length(v), 1e-12)[..., None]


def row(x: ArrayLike, i: int) -> Array:
    """Frame ``i`` of a value given as fixed ``[width]`` or as a track ``[F, width]`` (no copy of the track)."""
    a = np.asarray(x, dtype=np.float64)
    return a if a.ndim == 1 else a[i]


def slerp_dir(a: Array, b: Array, s: Array) -> Array:
    """Spherical interpolation of unit vectors ``[F, 3]`` by ``s [F]``."""
    d = np.clip(quat.dot(a, b), -1.0, 1.0)
    th = np.arccos(d)
    sn = np.sin(th)
    small = sn < 1e-6
    safe = np.where(small, 1.0, sn)
    wa = np.where(small, 1.0 - s, np.sin((1.0 - s) * th) / safe)
    wb = np.where(small, s, np.sin(s * th) / safe)
    return unit(wa[:, None] * a + wb[:, None] * b)
