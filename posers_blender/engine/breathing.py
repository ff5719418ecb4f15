"""Breathing as one continuous signal: breath-by-breath timing, depth, sighs and forced breaths
(:func:`breath_track`), and where a breath shows on the body (:func:`breath_angles`).

Facts file §1: rate 12-20/min (default 14), inspiration : expiration about
1 : 1.5 to 1 : 2 with an end-expiratory pause, breath-to-breath variation of
period and depth (±10-15%, smooth rather than white), sighs about 12/hour at
about 2x tidal volume.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .curves import minimum_jerk
from .noise import renewal_times

Array = NDArray[np.float64]


@dataclass
class BreathTrack:
    """Per-frame breathing state.

    ``volume`` is the lung volume above end-expiration in tidal units
    (0 = end of exhale, about 1 = end of a quiet inhale, about 2 for a sigh);
    ``inhaling`` is True during inspiration; ``starts`` are breath start times
    (s) and ``periods`` their lengths; ``sighs`` the start times of sigh breaths.
    """

    volume: Array
    inhaling: NDArray[np.bool_]
    starts: Array
    periods: Array
    depths: Array
    sighs: Array

    @property
    def rate_per_min(self) -> float:
        return 60.0 / float(np.mean(self.periods)) if len(self.periods) else 0.0


def breath_shape(u: Array, ti: float) -> Array:
    """Volume over one breath (``u`` in [0, 1)): eased inhale for ``ti`` of the cycle, then an exhale
    that is fast at first and flattens into the end-expiratory pause. Smooth (C1) everywhere.
    """
    u = np.asarray(u, dtype=np.float64)
    inh = 0.5 - 0.5 * np.cos(np.pi * np.clip(u / ti, 0.0, 1.0))
    v = np.clip((u - ti) / (1.0 - ti), 0.0, 1.0)
    g = 1.0 - (1.0 - v) ** 2  # time warp: fast start, slow end (plateau)
    exh = 0.5 + 0.5 * np.cos(np.pi * g)
    return np.where(u < ti, inh, exh)


#: A forced breath: ``(start_s, period_s, depth)`` uses the regular shape; a fourth item, a tuple of
#: ``(u, v)`` keys (``u`` fraction of the period from 0 to 1, ``v`` volume in units of ``depth``), gives it
#: its own shape, joined by minimum-jerk segments (e.g. a puff draw, a mouth hold, a deep inhale, a
#: breath hold and a slow exhale).
ForcedBreath = tuple[float, float, float] | tuple[float, float, float, tuple[tuple[float, float], ...]]


def keyed_shape(u: Array, keys: tuple[tuple[float, float], ...]) -> Array:
    """Volume over one breath (``u`` in [0, 1]) through ``(u, v)`` keys, minimum jerk between neighbours.

    Zero velocity at every key, so holds and turning points are smooth; the
    first key should be ``(0, 0)`` and the last ``(1, 0)`` so neighbouring
    breaths join continuously.
    """
    u = np.asarray(u, dtype=np.float64)
    ks = sorted(keys)
    out = np.full_like(u, ks[0][1])
    for (u0, v0), (u1, v1) in zip(ks, ks[1:]):
        out = out + (v1 - v0) * minimum_jerk((u - u0) / max(u1 - u0, 1e-9))
    return out


def breath_track(
    rng: np.random.Generator,
    times: Array,
    rate_per_min: float = 14.0,
    ie_ratio: float = 1.5,
    depth: float = 1.0,
    variation: float = 0.12,
    sigh_interval_s: float = 300.0,
    sigh_depth: float = 2.0,
    extra_breaths: list[ForcedBreath] | None = None,
    duration: float | None = None,
) -> BreathTrack:
    """Lay breaths end to end over ``times``.

    Each breath's period and depth vary by ``variation`` (fraction) through a
    correlated (AR(1), r = 0.6) sequence, so the rhythm drifts like a person's
    rather than jittering. Sighs arrive by a renewal process with mean
    interval ``sigh_interval_s`` and are ``sigh_depth`` times deeper and about
    1.6x longer. ``extra_breaths`` lets a motion force special breaths
    ``(start_s, period_s, depth[, keys])`` (see :data:`ForcedBreath`), e.g. a
    smoker's puff and deep inhale; the regular rhythm resumes after each. The
    regular breath before a forced one ends exactly at its start: it is cut
    short, or, when less than half a breath would remain, the breath before
    is lengthened instead, so every breath still starts and ends at
    end-expiration (the volume stays continuous). ``duration`` (s, default
    just past the last time) is the span the sighs and breaths are drawn
    over: give the clip's requested length and they are the same at every
    frame rate (the last frame time moves with the rate, and a sigh drawn
    inside one span but not the other shifts every later draw).
    """
    times = np.asarray(times, dtype=np.float64)
    last = float(times[-1]) + 1e-9 if times.size else 0.0
    duration = last if duration is None else max(float(duration), last)
    base = 60.0 / rate_per_min
    sigh_times = renewal_times(rng, duration, sigh_interval_s, cv=0.6) if sigh_interval_s > 0 else np.zeros(0)
    forced = sorted(extra_breaths or [], key=lambda b: b[0])
    st, pe, de, keyed = _lay_breaths(rng, duration, base, depth, variation, sigh_times, sigh_depth, forced)
    vol, inhaling = _sample_volume(times, st, pe, de, keyed, 1.0 / (1.0 + ie_ratio))
    sighs = np.asarray([s for s, d in zip(st, de) if d >= depth * sigh_depth * 0.999])
    return BreathTrack(volume=vol, inhaling=inhaling, starts=st, periods=pe, depths=de, sighs=sighs)


def _lay_breaths(
    rng: np.random.Generator,
    duration: float,
    base: float,
    depth: float,
    variation: float,
    sigh_times: Array,
    sigh_depth: float,
    forced: list[ForcedBreath],
) -> tuple[Array, Array, Array, dict[int, tuple[tuple[float, float], ...]]]:
    """Breath starts, periods and depths end to end over ``duration`` (see :func:`breath_track`), and the keys of
    the forced breaths that have their own shape, by breath index."""
    starts: list[float] = []
    periods: list[float] = []
    depths: list[float] = []
    keyed: dict[int, tuple[tuple[float, float], ...]] = {}
    t = -rng.uniform(0.0, base)  # start mid-breath so clips do not all begin at end-expiration
    e_p = 0.0
    e_d = 0.0
    si = 0
    fi = 0
    while t < duration:
        if fi < len(forced) and forced[fi][0] <= t + 1e-9:
            fb = forced[fi]
            per, dep = float(fb[1]), float(fb[2])
            if len(fb) > 3:
                keyed[len(starts)] = fb[3]  # type: ignore[misc]
            fi += 1
        elif fi < len(forced) and forced[fi][0] < t + 0.5 * base and starts and len(starts) - 1 not in keyed:
            # too little time for a whole breath before the forced one: stretch the previous breath to meet it
            periods[-1] += forced[fi][0] - t
            t = forced[fi][0]
            continue
        else:
            e_p = 0.6 * e_p + 0.8 * rng.normal()
            e_d = 0.6 * e_d + 0.8 * rng.normal()
            per = base * float(np.clip(1.0 + variation * e_p, 0.7, 1.4))
            dep = depth * float(np.clip(1.0 + variation * e_d, 0.6, 1.5))
            if si < len(sigh_times) and sigh_times[si] <= t:
                si += 1
                per *= 1.6
                dep = depth * sigh_depth
            # a forced breath inside this one starts it early: cut this breath at its start
            if fi < len(forced) and forced[fi][0] < t + per:
                per = forced[fi][0] - t
                dep *= min(1.0, per / (0.5 * base))  # a squeezed breath is shallower, never a gasp
        starts.append(t)
        periods.append(per)
        depths.append(dep)
        t += per
    return np.asarray(starts), np.asarray(periods), np.asarray(depths), keyed


def _sample_volume(
    times: Array, st: Array, pe: Array, de: Array, keyed: dict[int, tuple[tuple[float, float], ...]], ti: float
) -> tuple[Array, NDArray[np.bool_]]:
    """Lung volume and the inhaling flag per frame of ``times``: the regular shape (inhale fraction ``ti``, kept
    by cut-short breaths) or a forced breath's own keys."""
    k = np.clip(np.searchsorted(st, times, side="right") - 1, 0, len(st) - 1)
    u = (times - st[k]) / pe[k]
    vol = breath_shape(u, ti) * de[k]
    inhaling = u < ti
    for i, keys in keyed.items():
        m = k == i
        if m.any():
            vol[m] = keyed_shape(u[m], keys) * de[i]
            peak_u = max(keys, key=lambda kv: kv[1])[0]
            inhaling[m] = u[m] < peak_u
    return vol, inhaling


@dataclass
class BreathAngles:
    """Where a breath shows on the body: flexion about X (deg, ``[F]``) of the thoracic bones (negative =
    extension: the chest rises), the neck and head angles that cancel it so the gaze stays level, and the
    clavicle elevation (deg, positive = up) that lifts the shoulders."""

    spine: Array
    chest: Array
    upper_chest: Array
    neck: Array
    head: Array
    clavicle: Array


def breath_angles(volume: Array, clavicle_gain: float) -> BreathAngles:
    """Per-bone breathing angles for a lung ``volume`` in tidal units (:attr:`BreathTrack.volume`).

    Facts §1: the breath moves the upper chest most, the lumbar spine least; the clavicles rise <= 1-2 mm on
    a quiet breath and about 1 cm on a sigh. Above 1.3 tidal volumes the clavicles rise ``clavicle_gain``
    deg per unit more (deep and forced breaths recruit the accessory muscles [E]): 1.6 for the standing
    body's sighs, 1.2 for a smoker's deep smoke breath.
    """
    v = volume
    return BreathAngles(
        spine=-0.25 * v,
        chest=-0.45 * v,
        upper_chest=-0.55 * v,
        neck=0.9 * v,
        head=0.35 * v,
        clavicle=0.35 * v + clavicle_gain * np.maximum(v - 1.3, 0.0),
    )
