"""Quaternion maths on numpy arrays.

Every function takes arrays of shape ``[..., 4]`` in **(w, x, y, z)** order
(vectors ``[..., 3]``) and broadcasts over the leading axes. Angles are in
radians. Rotations are active: ``rotate(q, v)`` turns the vector ``v`` by ``q``,
and ``mul(a, b)`` applies ``b`` first, then ``a`` (parent * child).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]

IDENTITY: Array = np.array([1.0, 0.0, 0.0, 0.0])


def as_array(q: ArrayLike) -> Array:
    return np.asarray(q, dtype=np.float64)


def identity(shape: tuple[int, ...] = ()) -> Array:
    out = np.zeros((*shape, 4))
    out[..., 0] = 1.0
    return out


def mul(a: ArrayLike, b: ArrayLike) -> Array:
    """Hamilton product ``a * b`` (rotation ``b`` then ``a``)."""
    a = as_array(a)
    b = as_array(b)
    aw, ax, ay, az = a[..., 0], a[..., 1], a[..., 2], a[..., 3]
    bw, bx, by, bz = b[..., 0], b[..., 1], b[..., 2], b[..., 3]
    return np.stack(
        [
            aw * bw - ax * bx - ay * by - az * bz,
            aw * bx + ax * bw + ay * bz - az * by,
            aw * by - ax * bz + ay * bw + az * bx,
            aw * bz + ax * by - ay * bx + az * bw,
        ],
        axis=-1,
    )


def conj(q: ArrayLike) -> Array:
    q = as_array(q)
    return q * np.array([1.0, -1.0, -1.0, -1.0])


def inverse(q: ArrayLike) -> Array:
    """Inverse; equal to the conjugate for unit quaternions."""
    q = as_array(q)
    return conj(q) / dot(q, q)[..., None]


def normalize(q: ArrayLike, eps: float = 1e-12) -> Array:
    q = as_array(q)
    return q / np.maximum(length(q), eps)[..., None]


def rotate(q: ArrayLike, v: ArrayLike) -> Array:
    """Rotate vectors ``v [..., 3]`` by unit quaternions ``q [..., 4]``."""
    q = as_array(q)
    v = as_array(v)
    w, x, y, z = q[..., 0], q[..., 1], q[..., 2], q[..., 3]
    vx, vy, vz = v[..., 0], v[..., 1], v[..., 2]
    # v + w t + u x t with t = 2 u x v, written out (np.cross is several times slower on small trailing axes)
    tx = 2.0 * (y * vz - z * vy)
    ty = 2.0 * (z * vx - x * vz)
    tz = 2.0 * (x * vy - y * vx)
    return np.stack(
        [vx + w * tx + (y * tz - z * ty), vy + w * ty + (z * tx - x * tz), vz + w * tz + (x * ty - y * tx)], axis=-1
    )


def from_axis_angle(axis: ArrayLike, angle: ArrayLike) -> Array:
    """Quaternion of a rotation by ``angle`` (radians) about ``axis`` (normalised here)."""
    axis = as_array(axis)
    angle = as_array(angle)
    axis = axis / np.maximum(length(axis), 1e-12)[..., None]
    half = 0.5 * angle[..., None]
    return np.concatenate([np.cos(half), np.sin(half) * axis], axis=-1)


def from_axis_angle_deg(axis: ArrayLike, degrees: ArrayLike) -> Array:
    """Quaternion of a rotation by ``degrees`` about ``axis``: the one degrees-to-quaternion helper."""
    return from_axis_angle(axis, np.radians(np.asarray(degrees, dtype=np.float64)))


def to_axis_angle(q: ArrayLike) -> tuple[Array, Array]:
    """(unit axis ``[..., 3]``, angle ``[...]`` in [0, pi]) of unit quaternions."""
    q = abs_w(as_array(q))
    s = length(q[..., 1:])
    angle = 2.0 * np.arctan2(s, q[..., 0])
    axis = np.where(s[..., None] > 1e-12, q[..., 1:] / np.maximum(s, 1e-12)[..., None], np.array([1.0, 0.0, 0.0]))
    return axis, angle


def from_scaled_axis(v: ArrayLike) -> Array:
    """Exponential map: rotation vector (axis * angle, radians) -> quaternion."""
    v = as_array(v)
    angle = length(v)
    half = 0.5 * angle
    # sin(half)/angle, with its limit 0.5 at angle -> 0
    k = np.where(angle > 1e-8, np.sin(half) / np.maximum(angle, 1e-8), 0.5 - angle * angle / 48.0)
    return np.concatenate([np.cos(half)[..., None], v * k[..., None]], axis=-1)


def to_scaled_axis(q: ArrayLike) -> Array:
    """Logarithmic map: quaternion -> rotation vector (shortest arc, |v| <= pi)."""
    q = abs_w(as_array(q))
    s = length(q[..., 1:])
    angle = 2.0 * np.arctan2(s, q[..., 0])
    k = np.where(s > 1e-8, angle / np.maximum(s, 1e-8), 2.0)
    return q[..., 1:] * k[..., None]


def abs_w(q: ArrayLike) -> Array:
    """The same rotation with a non-negative w (the short-way representative)."""
    q = as_array(q)
    return np.where(q[..., :1] < 0.0, -q, q)


def dot(a: ArrayLike, b: ArrayLike) -> Array:
    """Dot products over the last axis (broadcast): ``np.sum(a * b, axis=-1)`` term by term (see :func:`length`)."""
    return _sum_last(as_array(a) * as_array(b))


def length(v: ArrayLike) -> Array:
    """Euclidean lengths over the last axis: ``np.linalg.norm(v, axis=-1)`` with its products and sums in the same
    order, written out, because numpy's reduction over a 3- or 4-wide axis costs more than the arithmetic."""
    v = as_array(v)
    return np.sqrt(_sum_last(v * v))


def _sum_last(p: Array) -> Array:
    """Sum over a short last axis, first to last (the order numpy's ``add.reduce`` takes on these shapes)."""
    acc = p[..., 0]
    for i in range(1, p.shape[-1]):
        acc = acc + p[..., i]
    return np.asarray(acc, dtype=np.float64)  # (no copy: typing only)


def angle_between(a: ArrayLike, b: ArrayLike) -> Array:
    """Rotation angle (radians, [0, pi]) taking ``a`` to ``b``."""
    d = np.clip(np.abs(dot(a, b)), 0.0, 1.0)
    return 2.0 * np.arccos(d)


def slerp(a: ArrayLike, b: ArrayLike, t: ArrayLike) -> Array:
    """Spherical interpolation along the short arc; ``t`` broadcasts over the leading axes."""
    a = as_array(a)
    b = as_array(b)
    t = as_array(t)[..., None]
    d = dot(a, b)[..., None]
    b = np.where(d < 0.0, -b, b)
    d = np.abs(d)
    theta = np.arccos(np.clip(d, -1.0, 1.0))
    s = np.sin(theta)
    small = s < 1e-6
    safe_s = np.where(small, 1.0, s)
    wa = np.where(small, 1.0 - t, np.sin((1.0 - t) * theta) / safe_s)
    wb = np.where(small, t, np.sin(t * theta) / safe_s)
    return normalize(wa * a + wb * b)


def between(u: ArrayLike, v: ArrayLike) -> Array:
    """Shortest-arc rotation taking direction ``u`` to direction ``v``."""
    u0 = as_array(u)
    v0 = as_array(v)
    un: Array = u0 / np.maximum(length(u0), 1e-12)[..., None]
    vn: Array = v0 / np.maximum(length(v0), 1e-12)[..., None]
    c = np.cross(un, vn)
    # 1 + u.v computed as |u + v|^2 / 2, which keeps its precision when u and v are nearly opposite
    s = _sum_last((un + vn) ** 2)[..., None] * 0.5
    q = np.concatenate([s, c], axis=-1)
    # Exactly opposite vectors leave (1 + d, u x v) ~ 0: rotate pi about any axis orthogonal to u.
    # Nearly opposite ones keep an accurate axis in u x v (its length is sin of the small gap),
    # so the fallback is only for a vanishing quaternion, not for a small 1 + d.
    opposite = length(q) < 1e-12
    if np.any(opposite):
        ortho = np.cross(un, np.array([1.0, 0.0, 0.0]))
        small = length(ortho)[..., None] < 1e-6
        ortho = np.where(small, np.cross(un, np.array([0.0, 1.0, 0.0])), ortho)
        alt = np.concatenate([np.zeros_like(s), ortho], axis=-1)
        q = np.where(opposite[..., None], alt, q)
    return normalize(q)


def swing_twist(q: ArrayLike, axis: ArrayLike) -> tuple[Array, Array]:
    """Split ``q`` into ``swing * twist`` where ``twist`` turns about ``axis``.

    Returns ``(swing, twist)``; ``mul(swing, twist) == q``.
    """
    q = as_array(q)
    ax0 = as_array(axis)
    ax: Array = ax0 / np.maximum(length(ax0), 1e-12)[..., None]
    proj = dot(q[..., 1:], ax)[..., None] * ax
    twist = np.concatenate([q[..., :1], np.broadcast_to(proj, q[..., 1:].shape)], axis=-1)
    n = length(twist)[..., None]
    degenerate = n < 1e-12
    twist = np.where(degenerate, identity(q.shape[:-1]), twist / np.maximum(n, 1e-12))
    swing = mul(q, conj(twist))
    return swing, twist


def twist_angle(q: ArrayLike, axis: ArrayLike) -> Array:
    """Signed twist angle (radians, (-pi, pi]) of ``q`` about ``axis``."""
    return twist_to_angle(swing_twist(q, axis)[1], axis)


def twist_to_angle(twist: ArrayLike, axis: ArrayLike) -> Array:
    """Signed angle (radians, (-pi, pi]) of a twist about ``axis`` (the ``twist`` of :func:`swing_twist`): for
    code that already split ``q``, :func:`twist_angle` without splitting it again."""
    tw = as_array(twist)
    axis = as_array(axis)
    s = dot(tw[..., 1:], axis / length(axis)[..., None])
    ang = 2.0 * np.arctan2(s, tw[..., 0])
    return (ang + np.pi) % (2.0 * np.pi) - np.pi


def continuous(q: ArrayLike, axis: int = 0) -> Array:
    """Hemisphere continuity along ``axis``: flip signs so neighbours have a positive dot.

    Needed before writing quaternion F-curves or interpolating a track.
    """
    q = np.array(q, dtype=np.float64, copy=True)
    q = np.moveaxis(q, axis, 0)
    d = np.sum(q[1:] * q[:-1], axis=-1)
    flips = np.cumsum(d < 0.0, axis=0) % 2
    q[1:] *= np.where(flips[..., None] == 1, -1.0, 1.0)
    return np.moveaxis(q, 0, axis)


def make_continuous(q: Array, chunk: int = 4096) -> Array:
    """:func:`continuous` along axis 0, in place on ``q [F, ...]`` (returned), in blocks of ``chunk`` frames so a
    long track needs no second copy of itself."""
    n = q.shape[0]
    parity = np.zeros(q.shape[1:-1], dtype=np.int64)  # flips so far, up to the previous block's last frame
    before = q[0].copy()  # the previous block's last frame as it was before flipping
    for s in range(1, n, chunk):
        e = min(s + chunk, n)
        d = np.empty((e - s, *q.shape[1:-1]))  # neighbour dots of the unflipped track, as continuous() takes them
        d[0] = _dot4(q[s], before)
        d[1:] = _dot4(q[s + 1 : e], q[s : e - 1])
        flips = (np.cumsum(d < 0.0, axis=0) + parity) % 2
        before = q[e - 1].copy()
        q[s:e][flips == 1] *= -1.0
        parity = flips[-1]
    return q


def continuity_flips(q: Array, chunk: int = 4096) -> NDArray[np.bool_]:
    """Where :func:`continuous` along axis 0 negates ``q [F, ..., 4]``: ``[F, ...]``, found in blocks of ``chunk``
    frames without a copy of ``q`` (a reader can then take the continuous track block by block)."""
    n = q.shape[0]
    out = np.zeros(q.shape[:-1], dtype=bool)
    parity = np.zeros(q.shape[1:-1], dtype=np.int64)  # flips up to the previous block's last frame
    for s in range(1, n, chunk):
        e = min(s + chunk, n)
        d = _dot4(q[s:e], q[s - 1 : e - 1])  # the neighbour dots as continuous() takes them (bit-identical)
        flips = (np.cumsum(d < 0.0, axis=0) + parity) % 2
        out[s:e] = flips == 1
        parity = flips[-1]
    return out


def _dot4(a: Array, b: Array) -> Array:
    """``np.sum(a * b, axis=-1)`` of 4-vectors written out in the order numpy's reduction adds them (bit-identical),
    without the slow reduction over a short last axis."""
    aw, ax, ay, az = (a[..., i] for i in range(4))
    bw, bx, by, bz = (b[..., i] for i in range(4))
    return np.asarray(((aw * bw + ax * bx) + ay * by) + az * bz, dtype=np.float64)  # (no copy: typing only)


def to_matrix(q: ArrayLike) -> Array:
    """Rotation matrices ``[..., 3, 3]``."""
    q = normalize(q)
    w, x, y, z = q[..., 0], q[..., 1], q[..., 2], q[..., 3]
    return np.stack(
        [
            np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)], -1),
            np.stack([2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)], -1),
            np.stack([2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)], -1),
        ],
        -2,
    )


def from_matrix(m: ArrayLike) -> Array:
    """Quaternions (w >= 0) of rotation matrices ``[..., 3, 3]``."""
    m = as_array(m)
    tr = m[..., 0, 0] + m[..., 1, 1] + m[..., 2, 2]
    cands = np.stack(
        [
            np.stack(
                [1 + tr, m[..., 2, 1] - m[..., 1, 2], m[..., 0, 2] - m[..., 2, 0], m[..., 1, 0] - m[..., 0, 1]], -1
            ),
            np.stack(
                [
                    m[..., 2, 1] - m[..., 1, 2],
                    1 + 2 * m[..., 0, 0] - tr,
                    m[..., 0, 1] + m[..., 1, 0],
                    m[..., 0, 2] + m[..., 2, 0],
                ],
                -1,
            ),
            np.stack(
                [
                    m[..., 0, 2] - m[..., 2, 0],
                    m[..., 0, 1] + m[..., 1, 0],
                    1 + 2 * m[..., 1, 1] - tr,
                    m[..., 1, 2] + m[..., 2, 1],
                ],
                -1,
            ),
            np.stack(
                [
                    m[..., 1, 0] - m[..., 0, 1],
                    m[..., 0, 2] + m[..., 2, 0],
                    m[..., 1, 2] + m[..., 2, 1],
                    1 + 2 * m[..., 2, 2] - tr,
                ],
                -1,
            ),
        ],
        -2,
    )
    diag = np.stack([tr, m[..., 0, 0], m[..., 1, 1], m[..., 2, 2]], -1)
    best = np.argmax(diag, axis=-1)
    q = np.take_along_axis(cands, best[..., None, None], axis=-2)[..., 0, :]
    return abs_w(normalize(q))


_AXES = {"X": np.array([1.0, 0.0, 0.0]), "Y": np.array([0.0, 1.0, 0.0]), "Z": np.array([0.0, 0.0, 1.0])}


def from_euler(angles: ArrayLike, order: str) -> Array:
    """Quaternion from intrinsic Euler angles (radians) applied in ``order`` (e.g. ``"ZXY"``).

    This is the BVH convention: for channels ``Zrotation Xrotation Yrotation``
    the rotation is ``Rz * Rx * Ry``.
    """
    angles = as_array(angles)
    q = identity(angles.shape[:-1])
    for i, ax in enumerate(order.upper()):
        q = mul(q, from_axis_angle(_AXES[ax], angles[..., i]))
    return q


def to_euler(q: ArrayLike, order: str) -> Array:
    """Intrinsic Euler angles (radians) in ``order`` such that ``from_euler(a, order) == q``."""
    order = order.upper()
    m = to_matrix(q)
    i, j, k = ("XYZ".index(c) for c in order)
    # sign of the permutation (i, j, k)
    sign = 1.0 if (j - i) % 3 == 1 else -1.0
    # For R = Ri(a) Rj(b) Rk(c): m[i,k] = sign*sin(b)
    sb = np.clip(sign * m[..., i, k], -1.0, 1.0)
    b = np.arcsin(sb)
    a = np.arctan2(-sign * m[..., j, k], m[..., k, k])
    c = np.arctan2(-sign * m[..., i, j], m[..., i, i])
    gimbal = np.abs(sb) > 1.0 - 1e-9
    if np.any(gimbal):
        a_g = np.arctan2(sign * m[..., k, j], m[..., j, j])
        a = np.where(gimbal, a_g, a)
        c = np.where(gimbal, 0.0, c)
    return np.stack([a, b, c], axis=-1)


def angular_velocity(q: ArrayLike, dt: float) -> Array:
    """Angular velocity (rad/s, rotation vectors ``[F-1, ..., 3]``) between consecutive frames of a track."""
    q = as_array(q)
    return to_scaled_axis(mul(q[1:], conj(q[:-1]))) / dt
