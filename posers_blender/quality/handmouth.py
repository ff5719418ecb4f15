"""Hand-to-face metrics: onsets (seconds), path curvature, arrival overshoot, contact and head clearance.

Speed peaks (movement units) are :func:`posers_blender.quality.smoothness.movement_units`.

Pure numpy over baked tracks (``motion_quality_metrics.md`` §9: B1 discrete-action
smoothness, B8 coordination order, A7 self-penetration, B9 smoking). Times in
seconds, positions metres, speeds m/s or rad/s.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..engine import quat
from ..engine.reach import head_ellipsoid
from ..engine.skeleton import Skeleton
from .timing import onset_time as onset_in_frames

Array = NDArray[np.float64]


def point_speed(points: ArrayLike, fps: float) -> Array:
    """Tangential speed ``[F]`` (m/s) of a point track ``[F, 3]`` (central differences)."""
    return np.linalg.norm(np.gradient(np.asarray(points, dtype=np.float64), 1.0 / fps, axis=0), axis=-1)


def rotation_speed(lrot: ArrayLike, fps: float) -> Array:
    """Angular speed ``[F]`` (rad/s) of a local-rotation track ``[F, 4]`` (padded to the input length)."""
    w = np.linalg.norm(quat.angular_velocity(np.asarray(lrot, dtype=np.float64), 1.0 / fps), axis=-1)
    return np.concatenate([w[:1], 0.5 * (w[1:] + w[:-1]), w[-1:]]) if len(w) else np.zeros(1)


def onset_time(speed: ArrayLike, times: ArrayLike, t0: float, t1: float) -> float:
    """First time in ``[t0, t1]`` (s) that ``speed`` rises toward its peak there (NaN if it never moves).

    The window in seconds of a uniformly sampled track; the onset rule is the suite's one,
    :func:`posers_blender.quality.timing.onset_time` (metrics §6: 5 % of the rise, interpolated).
    """
    t = np.asarray(times, dtype=np.float64)
    if len(t) < 2:
        return float("nan")
    fs = 1.0 / float(t[1] - t[0])
    lo = int(np.searchsorted(t, t0))
    hi = int(np.searchsorted(t, t1, side="right"))
    return float(t[0]) + onset_in_frames(speed, fs, lo, hi, min_peak=1e-9)


def path_deviation(points: ArrayLike) -> float:
    """Largest distance of a path ``[F, 3]`` from its start-end chord, as a fraction of the chord length."""
    p = np.asarray(points, dtype=np.float64)
    c = p[-1] - p[0]
    length = float(np.linalg.norm(c))
    if length < 1e-9:
        return 0.0
    u = c / length
    rel = p - p[0]
    perp = rel - np.outer(rel @ u, u)
    return float(np.linalg.norm(perp, axis=1).max() / length)


def overshoot_and_settle(
    points: ArrayLike,
    target: ArrayLike,
    times: ArrayLike,
    t_arrive: float,
    tol: float = 0.001,
    t_until: float | None = None,
) -> tuple[float, float]:
    """(overshoot m, settle time s) of an arrival.

    Overshoot: the largest excursion past ``target`` along the approach
    direction (from the point 0.2 s before ``t_arrive``) after arrival.
    Settle time: from ``t_arrive`` until the point stays within ``tol`` of the
    target up to ``t_until`` (default: the end; ``target`` may be a track ``[F, 3]``).
    """
    p = np.asarray(points, dtype=np.float64)
    t = np.asarray(times, dtype=np.float64)
    tg = np.broadcast_to(np.asarray(target, dtype=np.float64), p.shape)
    ia = int(np.clip(np.searchsorted(t, t_arrive), 0, len(t) - 1))
    ib = int(np.clip(np.searchsorted(t, t_arrive - 0.2), 0, len(t) - 1))
    d = tg[ia] - p[ib]
    d = d / max(float(np.linalg.norm(d)), 1e-9)
    iu = len(t) if t_until is None else int(np.clip(np.searchsorted(t, t_until), ia + 1, len(t)))
    after = slice(ib, iu)
    past = np.sum((p[after] - tg[after]) * d, axis=1)
    overshoot = float(max(past.max(), 0.0))
    dist = np.linalg.norm(p - tg, axis=1)
    outside = np.nonzero(dist[ia:iu] > tol)[0]
    settle = float(t[ia + outside[-1]] - t[ia]) if len(outside) else 0.0
    return overshoot, settle


def head_penetration(
    skeleton: Skeleton, grot: ArrayLike, gpos: ArrayLike, points: ArrayLike, margin: float = 0.0
) -> Array:
    """Depth (m, >0 inside) of world points ``[F, K, 3]`` inside the head ellipsoid, per frame and point ``[F, K]``.

    The depth is approximated by ``(1 - r) * min(semi-axes)`` with ``r`` the
    ellipsoidal radius (exact on the axes, conservative elsewhere).
    """
    grot = np.asarray(grot, dtype=np.float64)
    gpos = np.asarray(gpos, dtype=np.float64)
    jh = skeleton.index("head")
    centre, axes = head_ellipsoid(skeleton)
    pts = np.asarray(points, dtype=np.float64)
    hq = grot[:, jh][:, None, :]
    local = quat.rotate(quat.conj(hq), pts - gpos[:, jh][:, None, :]) - centre
    r = np.sqrt(np.sum((local / axes) ** 2, axis=-1))
    return (1.0 - r) * float(axes.min()) + margin


def wrist_angles(hand_lrot: ArrayLike, side: str) -> tuple[Array, Array, Array]:
    """(flexion, radial deviation, supination) in degrees of hand local rotations ``[..., 4]``.

    The hand's rotation relative to the forearm (identity = T-pose: palm down,
    which is the forearm's neutral mid-position since the elbow flexes the
    forearm forward) splits into a twist about the forearm's long axis
    (supination +, pronation -) and a swing of the finger axis measured in
    the twisted hand frame: flexion + toward the palm, extension -; radial
    deviation + toward the thumb, ulnar -. Facts §8 limits: flexion 75-90,
    extension 70, radial 20, ulnar 30-45, pronation 70-90, supination 85-90.
    """
    s = 1.0 if side == "left" else -1.0
    q = np.asarray(hand_lrot, dtype=np.float64)
    axis = np.array([s, 0.0, 0.0])
    swing, twist = quat.swing_twist(q, axis)
    # both hands supinate by turning the palm from -Y toward +Z: a rotation about -X
    sup = -quat.twist_angle(q, np.array([1.0, 0.0, 0.0]))
    swing_local = quat.mul(quat.conj(twist), quat.mul(swing, twist))
    f = quat.rotate(swing_local, axis)
    along = s * f[..., 0]
    flex = np.degrees(np.arctan2(-f[..., 1], along))
    radial = np.degrees(np.arctan2(f[..., 2], along))
    return flex, radial, np.degrees(sup)


def forearm_twist(lower_lrot: ArrayLike, side: str) -> Array:
    """Twist (degrees, supination +) carried by the lower-arm bone itself about its long axis."""
    return np.degrees(-quat.twist_angle(np.asarray(lower_lrot, dtype=np.float64), np.array([1.0, 0.0, 0.0])))
