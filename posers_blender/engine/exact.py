"""Matrix products written out, so a result never depends on where numpy put the arrays in memory.

BLAS kernels (``@``, ``np.dot``) pick their code path by memory alignment, and the paths round differently in
the last bit: the same seed could then give clips that differ by ~1e-16 between two calls in one process
(seen in scenes and in smoking's reach). These loops add the products in one fixed order instead.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def matmul(a: ArrayLike, b: ArrayLike) -> NDArray[np.generic]:
    """``a @ b`` for ``a [..., K]`` and ``b [K, N]`` (or ``b [K]``), summed over ``k`` in order."""
    a = np.asarray(a)
    b = np.asarray(b)
    if b.ndim == 1:
        out = a[..., 0] * b[0]
        for k in range(1, b.shape[0]):
            out = out + a[..., k] * b[k]
        return np.asarray(out)
    out = a[..., 0, None] * b[0]
    for k in range(1, b.shape[0]):
        out = out + a[..., k, None] * b[k]
    return np.asarray(out)
