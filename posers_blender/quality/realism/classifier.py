"""A numpy-only window classifier and its grouped cross-validated ROC AUC.

The classifier is L2-regularised logistic regression on standardised features (fitted by Newton's method, so
it is deterministic), with class weights that give both classes the same total weight. Cross-validation
holds out one group at a time (a person, a seed) from both classes; every held-out window gets a score from
a model that never saw its group, and the ROC AUC is computed on all those scores pooled.

AUC 0.5: the classifier cannot tell generated windows from real ones; 1.0: it always can.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

#: L2 penalty on the standardised weights (per unit of total sample weight). Strong on purpose: windows are
#: few and correlated, features many; a weaker penalty only lets the model memorise takes.
L2 = 1.0
NEWTON_STEPS = 50


def roc_auc(scores: Array, labels: Array) -> float:
    """ROC AUC of ``scores`` for ``labels`` (1 positive, 0 negative), ties counted half (Mann-Whitney U)."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels).astype(bool)
    n1, n0 = int(y.sum()), int((~y).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    _, inverse, counts = np.unique(s, return_inverse=True, return_counts=True)
    first = np.cumsum(counts) - counts  # 0-based rank of each distinct value's first copy
    ranks = (first + (counts + 1) / 2.0)[inverse]  # tied values share their mean rank
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def fit_logistic(x: Array, y: Array, l2: float = L2) -> tuple[Array, float, Array, Array]:
    """Fit on ``x [N, D]``, ``y [N]`` (0/1): returns ``(weights, bias, mean, scale)`` of the standardisation
    and the model; class-balanced sample weights; Newton's method (IRLS)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale = np.where(scale > 1e-12, scale, 1.0)
    z = (x - mean) / scale
    n1, n0 = max(int(y.sum()), 1), max(int((1 - y).sum()), 1)
    sw = np.where(y > 0.5, 0.5 / n1, 0.5 / n0)  # total weight 1
    d = z.shape[1]
    a = np.hstack([z, np.ones((len(z), 1))])
    beta = np.zeros(d + 1)
    pen = np.full(d + 1, l2)
    pen[-1] = 0.0
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(a @ beta, -35, 35)))
        grad = a.T @ (sw * (p - y)) + pen * beta
        hess = (a * (sw * p * (1 - p))[:, None]).T @ a + np.diag(pen + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return beta[:-1], float(beta[-1]), mean, scale


def decision(x: Array, model: tuple[Array, float, Array, Array]) -> Array:
    """Log-odds of "generated" for rows of ``x`` under a fitted model."""
    w, b, mean, scale = model
    return np.asarray(((x - mean) / scale) @ w + b, dtype=np.float64)


def grouped_scores(x: Array, y: Array, groups: Sequence[str], l2: float = L2) -> Array:
    """Out-of-group scores ``[N]``: each window scored by a model trained without its group (NaN where the
    training set of that fold lacked a class)."""
    g = np.asarray(groups)
    out = np.full(len(y), np.nan)
    for name in sorted(set(g.tolist())):
        test = g == name
        train = ~test
        if len(set(y[train].tolist())) < 2:
            continue
        out[test] = decision(x[test], fit_logistic(x[train], y[train], l2))
    return out


def grouped_auc(x: Array, y: Array, groups: Sequence[str], l2: float = L2) -> tuple[float, Array]:
    """Leave-one-group-out ROC AUC (pooled held-out scores) and the scores."""
    s = grouped_scores(x, y, groups, l2)
    ok = np.isfinite(s)
    return roc_auc(s[ok], y[ok]), s


def feature_aucs(x: Array, y: Array) -> Array:
    """Per-feature ROC AUC ``[D]`` of "generated" (how well each feature alone separates the classes)."""
    return np.array([roc_auc(x[:, k], y) for k in range(x.shape[1])])
