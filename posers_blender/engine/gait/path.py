"""Walking paths on the floor: a heading curve sampled by arc length.

Floor coordinates are normalised humanoid space ``(x, z)`` (metres, +Z is the
avatar's initial facing, +X its left). A heading ``theta`` (radians) points
along ``(sin theta, cos theta)``, so a positive turn is a turn to the avatar's
left. A path starts at the origin facing +Z and is extended along straight
lines before its start and after its end, so callers may evaluate it at any
arc length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]

_DS = 0.005  # sampling step along the path, metres


@dataclass(frozen=True)
class Path:
    """A floor path sampled every few millimetres of arc length.

    ``s [N]`` arc length (m, from 0), ``xz [N, 2]`` points, ``heading [N]``
    radians. ``finite`` says whether the walker should stop at the end
    (a target point) or may walk past it (the straight extension).
    """

    s: Array
    xz: Array
    heading: Array
    finite: bool = False

    @property
    def length(self) -> float:
        return float(self.s[-1])

    def point(self, s: ArrayLike) -> Array:
        """Floor points ``[..., 2]`` at arc lengths ``s`` (straight extrapolation outside the path)."""
        s = np.asarray(s, dtype=np.float64)
        sc = np.clip(s, 0.0, self.length)
        x = np.interp(sc, self.s, self.xz[:, 0])
        z = np.interp(sc, self.s, self.xz[:, 1])
        th = self.theta(sc)
        extra = s - sc
        return np.stack([x + extra * np.sin(th), z + extra * np.cos(th)], axis=-1)

    def theta(self, s: ArrayLike) -> Array:
        """Heading (radians) at arc lengths ``s``, constant outside the path."""
        return np.interp(np.asarray(s, dtype=np.float64), self.s, self.heading)

    def forward(self, s: ArrayLike) -> Array:
        th = self.theta(s)
        return np.stack([np.sin(th), np.cos(th)], axis=-1)

    def left(self, s: ArrayLike) -> Array:
        """Unit floor vector ``[..., 2]`` to the walker's left at ``s``."""
        th = self.theta(s)
        return np.stack([np.cos(th), -np.sin(th)], axis=-1)


def from_segments(segments: list[tuple[str, float, float]], finite: bool = False) -> Path:
    """Build a path from ``("line", length, 0)`` and ``("arc", radius, angle_rad)`` segments.

    A positive arc angle turns left (toward +X).
    """
    heads = [0.0]
    lengths = []
    for kind, a, b in segments:
        if kind == "line":
            n = max(1, int(np.ceil(a / _DS)))
            lengths += [a / n] * n
            heads += [heads[-1]] * n
        elif kind == "arc":
            total = abs(b) * a
            n = max(1, int(np.ceil(total / _DS)))
            lengths += [total / n] * n
            heads += list(heads[-1] + b * (np.arange(1, n + 1) / n))
        else:
            raise ValueError(f"unknown path segment '{kind}'")
    h = np.asarray(heads)
    ds = np.asarray(lengths)
    mid = 0.5 * (h[1:] + h[:-1])  # midpoint rule keeps arcs on their circle to O(ds^2)
    xz = np.zeros((len(h), 2))
    xz[1:, 0] = np.cumsum(ds * np.sin(mid))
    xz[1:, 1] = np.cumsum(ds * np.cos(mid))
    s = np.concatenate([[0.0], np.cumsum(ds)])
    return Path(s=s, xz=xz, heading=h, finite=finite)


def straight(length: float) -> Path:
    return from_segments([("line", max(length, _DS), 0.0)])


def turn(before: float, radius: float, angle: float, after: float) -> Path:
    """Straight ``before`` m, an arc of ``radius`` turning ``angle`` radians, then straight ``after`` m."""
    return from_segments([("line", max(before, _DS), 0.0), ("arc", radius, angle), ("line", max(after, _DS), 0.0)])


def to_target(target_xz: ArrayLike, radius: float) -> Path:
    """A path from the origin (facing +Z) that turns on an arc of ``radius`` toward ``target_xz`` and walks to it.

    The radius shrinks when the target is too close for it. The path is
    ``finite``: the walker stops at the target.
    """
    tx, tz = (float(v) for v in np.asarray(target_xz, dtype=np.float64))
    dist = float(np.hypot(tx, tz))
    if dist < 0.05:
        return from_segments([("line", _DS, 0.0)], finite=True)
    sgn = 1.0 if tx >= 0 else -1.0
    r = float(radius)
    # The target must lie outside the turning circle centred at (sgn*r, 0).
    while r > 0.05 and np.hypot(tx - sgn * r, tz) <= r * 1.02:
        r *= 0.7

    def miss(phi: float) -> float:
        # after an arc of angle phi: position and heading
        cx = sgn * r
        px = cx - sgn * r * np.cos(phi)
        pz = r * np.sin(phi)
        th = sgn * phi
        d = np.array([tx - px, tz - pz])
        f = np.array([np.sin(th), np.cos(th)])
        return float(f[0] * d[1] - f[1] * d[0])  # cross(f, d): 0 when aligned

    bearing = float(np.arctan2(abs(tx), tz))  # 0..pi, how far the target is turned
    if bearing < 1e-3:
        return from_segments([("line", dist, 0.0)], finite=True)
    lo, hi = 0.0, min(2.0 * bearing + 0.5, 2 * np.pi)
    f_lo = miss(lo)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        fm = miss(mid)
        if np.sign(fm) == np.sign(f_lo):
            lo, f_lo = mid, fm
        else:
            hi = mid
    phi = 0.5 * (lo + hi)
    px = sgn * r - sgn * r * np.cos(phi)
    pz = r * np.sin(phi)
    rest = float(np.hypot(tx - px, tz - pz))
    return from_segments([("line", _DS, 0.0), ("arc", r, sgn * phi), ("line", max(rest, _DS), 0.0)], finite=True)
