"""Variability fitted from shippable mocap: samplers that draw statistically matched takes from a seed.

The numbers live in ``posers_blender/data/motion_stats.json``, written by
``scripts/fit_motion_stats.py`` from the ReActIdle quiet-standing clips (MIT) and
the CMU walks (see ``posers_blender/data/NOTICE`` and ``docs/fitted_stats.md``).
Nothing here reads mocap at run time; the file is loaded once and cached.

Conventions (all on the 1.65 m default avatar; multiply positions by
``Skeleton.leg_ratio`` for another body):

- A *channel* holds a rotation vector ``[..., 3]`` (radians, in the moving segment's
  own frame: apply as ``lrot = lrot * quat.from_scaled_axis(v)``, the additive-layer
  convention of :mod:`.layers`) or, for ``"hips_position"``, a world offset
  ``[..., 3]`` in metres (x left, y up, z forward). Rotation channels are segments,
  not rig bones, because mocap rigs split the spine and neck differently:
  ``"hips"`` (the pelvis in the world), ``"trunk"`` (upperChest relative to the
  hips: spread it over spine, chest and upperChest, e.g. a third each), ``"head"``
  (head relative to upperChest: spread over neck and head), ``"leftUpperArm"``
  (upper arm relative to upperChest, the shoulder folded in), ``"leftLowerArm"``
  (forearm relative to the upper arm) and the right-side pair.
- Stride curves are sampled at :func:`stride_phase` (0 = left heel strike,
  1 = the next one); angles in radians, signs in :data:`STRIDE_CURVES`.

Sampler API (what the motions call):

- :func:`standing_micromotion` ``(rng, times) -> {channel: [F, 3]}``: the continuous,
  zero-mean micro-motion of quiet standing (spectrally shaped Gaussian noise mixed
  with the fitted cross-channel covariance of each frequency band; event-free).
- :func:`posture_events` ``(rng, duration) -> [PostureEvent]``: weight shifts, arm
  re-placements and head turns with fitted intervals; each carries the channel
  offsets of a real event. :func:`posture_offsets` renders them (minimum-jerk steps).
- :func:`standing_take` = micro-motion + rendered events: one complete take.
- :func:`stride_variations` ``(rng, n_strides) -> StrideVariations``: per-stride
  principal-component coefficients, the curve offsets they make and a stride-time
  scale; :func:`mean_stride_curves` gives the mean curves they vary around and
  :func:`curve_at` reads any curve at a phase.
- :func:`pelvis_waves` ``(rng, n_strides) -> PelvisWaves``: per stride the harmonics of the pelvis and trunk
  waveforms (:data:`PELVIS_CHANNELS`), drawn around the fitted mean with the fitted stride-to-stride SD;
  :func:`wave_at` evaluates them at the phases of a :func:`harmonic_basis`.
- :func:`heel_strike_response` ``() -> HeelStrikeResponse``: the mean response of the pelvis, trunk and head to a
  heel strike beyond the stride's harmonics (:data:`HEEL_STRIKE_CHANNELS`) and the principal components of its
  strike-to-strike deviation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import exact
from .curves import minimum_jerk

Array = NDArray[np.float64]

#: The shipped statistics file.
DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "motion_stats.json"
FORMAT = 1

#: Micro-motion channels in the order of the fitted covariance (3 components each: x, y, z).
STANDING_CHANNELS: tuple[str, ...] = (
    "hips",
    "hips_position",
    "trunk",
    "head",
    "leftUpperArm",
    "leftLowerArm",
    "rightUpperArm",
    "rightLowerArm",
)
#: Posture-event kinds.
EVENT_KINDS: tuple[str, ...] = ("weight_shift", "left_arm", "right_arm", "head_turn")
#: Stride curves and their sign (all radians).
STRIDE_CURVES: dict[str, str] = {
    "leftHip": "hip flexion (thigh forward of the pelvis), + = flexion",
    "rightHip": "hip flexion, + = flexion",
    "leftKnee": "knee flexion, + = flexion",
    "rightKnee": "knee flexion, + = flexion",
    "leftAnkle": "ankle dorsiflexion (foot relative to shank about +X), + = toes up",
    "rightAnkle": "ankle dorsiflexion, + = toes up",
    "trunkPitch": "upperChest forward lean in the world (about +X after yaw), + = forward",
    "trunkRoll": "upperChest sideways lean in the world (about +Z), + = toward the avatar's left (+X)",
    "leftShoulder": "upper arm forward of the trunk's vertical in the trunk's sagittal plane, + = forward",
    "rightShoulder": "upper arm forward of the trunk's vertical, + = forward",
    "leftElbow": "elbow flexion about the forearm's hinge, + = flexion",
    "rightElbow": "elbow flexion, + = flexion",
}

#: The pelvis and trunk waveforms over the stride (``"vertical"``, ``"lateral"`` and ``"forward"`` in metres, the
#: rest in radians), in the stride's own axes: forward = the hips' travel over the stride, left = up x forward.
#: ``"forward"`` comes last: adding it left every other channel's draws (one generator, in this order) as they were.
PELVIS_CHANNELS: dict[str, str] = {
    "vertical": "hips height, + = up (m)",
    "lateral": "hips offset to the left of the line of travel, + = toward the avatar's left (m)",
    "roll": "pelvic obliquity about the forward axis, + = left hip up",
    "yaw": "pelvic rotation about the vertical relative to the heading, + = turned toward the left",
    "tilt": "pelvic tilt about the left axis, + = top of the pelvis forward (anterior tilt)",
    "trunkPitch": "upperChest relative to the hips about X, + = leaning forward",
    "trunkRoll": "upperChest relative to the hips about Z",
    "trunkYaw": "upperChest relative to the hips about Y",
    "forward": "hips ahead of a steady pace along the line of travel, + = ahead (m): the surge within each step",
}
#: The pelvis channel each trunk channel's stride-to-stride deviation is drawn against (they go opposite ways).
TRUNK_PARTNER: dict[str, str] = {"trunkPitch": "tilt", "trunkRoll": "roll", "trunkYaw": "yaw"}
#: Channels that change sign in the mirrored walker (left and right swapped).
PELVIS_MIRROR_NEGATES = frozenset({"lateral", "roll", "yaw", "trunkRoll", "trunkYaw"})


#: The heel-strike response: what each channel does around a heel strike beyond the stride's harmonics 1-6 (the
#: loading response's shock), in the :data:`PELVIS_CHANNELS` axes and units; ``"headPitch"`` is the head's.
HEEL_STRIKE_CHANNELS: dict[str, str] = {
    "vertical": PELVIS_CHANNELS["vertical"],
    "forward": PELVIS_CHANNELS["forward"],
    "tilt": PELVIS_CHANNELS["tilt"],
    "roll": "pelvic obliquity about the forward axis, + = the striking foot's hip up",
    "trunkPitch": PELVIS_CHANNELS["trunkPitch"],
    "trunkRoll": "upperChest relative to the hips about Z, signed as ``roll``",
    "headPitch": "head relative to upperChest about X, + = nodding forward",
}
#: Channels whose per-strike amplitude is drawn together: the sagittal ones' strike-to-strike amplitudes
#: correlate 0.4-0.85 in CMU, the pelvic and trunk roll 0.98, the two groups ~0.1.
HEEL_STRIKE_GROUPS: dict[str, tuple[str, ...]] = {
    "sagittal": ("vertical", "forward", "tilt", "trunkPitch", "headPitch"),
    "frontal": ("roll", "trunkRoll"),
}


class FittedDataError(RuntimeError):
    """The shipped statistics file is missing or of another format; the message names the fix."""


# -- loading --------------------------------------------------------------------------------------


def load(path: str | Path | None = None) -> dict[str, Any]:
    """The fitted statistics as a dict (cached per path; treat it as read-only)."""
    return _load(str(Path(path) if path is not None else DATA_FILE))


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Any]:
    p = Path(path)
    if not p.is_file():
        raise FittedDataError(
            f"fitted statistics '{p}' not found: reinstall the add-on or run scripts/fit_motion_stats.py"
        )
    doc: dict[str, Any] = json.loads(p.read_text(encoding="utf-8"))
    if doc.get("format") != FORMAT:
        raise FittedDataError(
            f"fitted statistics '{p}' have format {doc.get('format')!r}, this code reads {FORMAT}: "
            "regenerate with scripts/fit_motion_stats.py"
        )
    return doc


# -- spectral estimation (shared by the fit and the tests) -----------------------------------------


def band_edges(doc: dict[str, Any] | None = None) -> Array:
    """Band edges in Hz ``[B + 1]`` (log-spaced)."""
    d = doc if doc is not None else load()
    return np.asarray(d["standing"]["band_edges_hz"], dtype=np.float64)


def band_cross_spectra(x: ArrayLike, fps: float, edges: ArrayLike) -> Array:
    """Per-band covariance ``[B, C, C]`` of a multichannel signal ``x [N, C]`` (the real part of the
    cross-spectrum summed over the band's frequencies).

    Each channel is detrended (least-squares line) and Hann-tapered over the whole take; the taper's
    power is divided out, so the diagonal summed over all bands is the (detrended) variance. A whole-take
    periodogram resolves 0.05 Hz on takes of a minute or more (Welch segments could not).
    """
    x = np.asarray(x, dtype=np.float64)
    edges = np.asarray(edges, dtype=np.float64)
    n = x.shape[0]
    t = np.arange(n, dtype=np.float64)
    design = np.stack([np.ones(n), t - t.mean()], axis=1)
    coef, *_ = np.linalg.lstsq(design, x, rcond=None)
    r = x - design @ coef
    w = np.hanning(n)
    spec = np.fft.rfft(r * w[:, None], axis=0)  # [K, C]
    freqs = np.fft.rfftfreq(n, 1.0 / fps)
    norm = 2.0 / (n * n * float(np.mean(w * w)))
    out = np.zeros((len(edges) - 1, x.shape[1], x.shape[1]))
    for b in range(len(edges) - 1):
        sel = (freqs >= edges[b]) & (freqs < edges[b + 1]) & (freqs > 0) & (freqs < 0.5 * fps)
        s = spec[sel]
        out[b] = norm * np.real(s.T @ np.conj(s))
    return out


def band_sd(channel: str, path: str | Path | None = None) -> Array:
    """The fitted micro-motion SD ``[B, 3]`` of one channel per band (radians or metres)."""
    st = load(path)["standing"]
    i = STANDING_CHANNELS.index(channel)
    return np.asarray(st["band_sd"], dtype=np.float64)[:, 3 * i : 3 * i + 3]


def band_powers(x: ArrayLike, fps: float, edges: ArrayLike) -> Array:
    """Per-band power ``[B, C]`` (variance in each band) of ``x [N, C]``; see :func:`band_cross_spectra`."""
    c = band_cross_spectra(x, fps, edges)
    return np.diagonal(c, axis1=1, axis2=2).copy()


# -- quiet standing: continuous micro-motion ---------------------------------------------------------


def _uniform_dt(times: Array) -> float:
    if times.ndim != 1 or times.size < 2:
        raise ValueError("times must be a 1-D array of at least 2 evenly spaced samples (seconds)")
    d = np.diff(times)
    dt = float(d.mean())
    if dt <= 0 or np.max(np.abs(d - dt)) > 1e-6 * max(dt, 1e-12) + 1e-9:
        raise ValueError("times must be evenly spaced and increasing (seconds), e.g. np.arange(n) / fps")
    return dt


@lru_cache(maxsize=2)
def _band_factors(path: str) -> tuple[Array, Array]:
    """Edges ``[B + 1]`` and a square-root factor ``[B, C, C]`` of each band's covariance (L L^T = C_b)."""
    st = _load(path)["standing"]
    edges = np.asarray(st["band_edges_hz"], dtype=np.float64)
    sd = np.asarray(st["band_sd"], dtype=np.float64)  # [B, C]
    n_c = sd.shape[1]
    tri = np.tril_indices(n_c, -1)
    factors = np.zeros((len(sd), n_c, n_c))
    for b, low in enumerate(st["band_corr_lower"]):
        corr = np.eye(n_c)
        corr[tri] = low
        corr = corr + np.tril(corr, -1).T
        cov = corr * np.outer(sd[b], sd[b])
        vals, vecs = np.linalg.eigh(cov)
        factors[b] = vecs * np.sqrt(np.clip(vals, 0.0, None))  # rounding can leave tiny negative eigenvalues
    return edges, factors


def standing_micromotion(
    rng: np.random.Generator,
    times: ArrayLike,
    *,
    scale: float = 1.0,
    band_gain: Mapping[str, ArrayLike] | None = None,
    path: str | Path | None = None,
    period: float | None = None,
) -> dict[str, Array]:
    """Continuous micro-motion of quiet standing: ``{channel: [F, 3]}`` (radians / metres, zero-mean).

    Gaussian noise is shaped in the frequency domain: every frequency in band ``b`` gets a complex
    Gaussian vector whose covariance is the fitted band covariance ``C_b`` spread evenly over the band's
    frequencies, so each channel reproduces the fitted band powers and channels co-vary as the fitted
    in-band correlations say (zero-lag; lags between channels are not modelled). The draw is periodic
    over at least 100 s so the 0.05 Hz band has frequencies even in short takes; the first ``F``
    samples are returned. ``times`` must be evenly spaced (seconds). Bands above the Nyquist frequency
    of ``times`` are dropped. ``scale`` multiplies the amplitude (1 = the fitted population);
    ``band_gain`` maps a channel to per-band amplitude gains ``[B]`` (e.g. to take out a band a source
    recorded badly), applied to the channel's rows of each band's mixing factor. ``period`` (in the units of
    ``times``, at least their span) fixes the span the draw repeats over: given the same ``period`` at every
    frame rate (a whole number of seconds, times any time scale), the draw has the same frequencies and the same
    random values at every rate, so clips sampled at 24 and 120 fps agree at shared times; without it the span
    is the frame count rounded up to 100 s, which moves with the frame rate. Event-free: add
    :func:`posture_offsets` for weight shifts, arm re-placements and head turns.
    """
    t = np.asarray(times, dtype=np.float64)
    dt = _uniform_dt(t)
    key = str(Path(path) if path is not None else DATA_FILE)
    edges, factors = _band_factors(key)
    n = t.size
    if period is None:
        m = max(n, int(np.ceil(100.0 / dt)))
        m += m % 2
        freqs = np.fft.rfftfreq(m, dt)
    else:
        m = int(round(period / dt))
        if m < n:
            raise ValueError(f"period {period:g} is shorter than the times ({n} samples of {dt:g})")
        freqs = np.arange(m // 2 + 1) / period  # the span's bins, the same floats at every frame rate
    n_c = factors.shape[1]
    if band_gain:
        factors = factors.copy()
        for ch, gain in band_gain.items():
            if ch not in STANDING_CHANNELS:
                raise ValueError(f"micro-motion channel '{ch}' unknown: use one of {', '.join(STANDING_CHANNELS)}")
            i = STANDING_CHANNELS.index(ch)
            factors[:, 3 * i : 3 * i + 3, :] *= np.asarray(gain, dtype=np.float64)[:, None, None]
    spec = np.zeros((freqs.size, n_c), dtype=np.complex128)
    for b in range(factors.shape[0]):
        sel = np.flatnonzero((freqs >= edges[b]) & (freqs < edges[b + 1]) & (freqs > 0) & (freqs < 0.5 / dt))
        if sel.size == 0:
            continue
        g = rng.standard_normal((sel.size, n_c)) + 1j * rng.standard_normal((sel.size, n_c))
        # irfft: a bin 0 < k < m/2 carrying X adds 2|X|^2 / m^2 of variance; sum over the band = C_b.
        spec[sel] = (m / np.sqrt(2.0 * sel.size)) * exact.matmul(g / np.sqrt(2.0), factors[b].T)
    x = np.fft.irfft(spec, n=m, axis=0)[:n] * scale
    return {ch: np.ascontiguousarray(x[:, 3 * i : 3 * i + 3]) for i, ch in enumerate(STANDING_CHANNELS)}


# -- quiet standing: posture events ---------------------------------------------------------------


@dataclass(frozen=True)
class PostureEvent:
    """One posture change: starts at ``t`` (s), lasts ``duration`` (s), moves by ``offsets``.

    ``amplitude`` is the detector's measure of the real event it was drawn from (weight shift: lateral
    pelvis travel, m; arm: wrist travel in the trunk frame, m; head turn: head yaw on the trunk, rad).
    ``offsets`` maps channels to the change ``[3]`` they make (rotation vectors / metres, see the module
    docstring); the posture stays there until the next event of the same kind.
    """

    t: float
    kind: str
    amplitude: float
    duration: float
    offsets: dict[str, Array]


def primary_size(v: Array, weights: Array) -> float:
    """How far a group offset ``v`` is from the mean posture: ``|weights . v|``, or ``|v|`` without weights."""
    return float(abs(exact.matmul(v, weights))) if weights.size else float(np.linalg.norm(v))


def posture_events(
    rng: np.random.Generator,
    duration: float,
    *,
    kinds: tuple[str, ...] = EVENT_KINDS,
    rate_scale: float = 1.0,
    path: str | Path | None = None,
) -> list[PostureEvent]:
    """Posture events over ``[0, duration)`` s, sorted by time.

    Per kind: intervals between event starts are gamma-distributed with the fitted shape and a mean of
    (total recorded time / number of events) / ``rate_scale``; the first start is a uniform fraction of
    one interval. Each event copies a real one (its duration, amplitude and channel offsets, scaled by a
    factor drawn uniformly in 0.85-1.15), applied forward or reversed: with the fitted probability
    ``p_toward_centre`` the direction that brings the event's primary measure back toward the mean
    posture, otherwise the other one. A kind whose events overlap in time are pushed apart, so one
    kind's moves never overlap.
    """
    doc = load(path)
    out: list[PostureEvent] = []
    for kind in kinds:
        ev = _event_kind(doc, kind)
        protos = ev["prototypes"]
        if not protos or rate_scale <= 0:
            continue
        group: list[str] = ev["group"]
        primary = np.asarray(ev["primary_weights"], dtype=np.float64)  # [3 * len(group)] or empty: the norm
        shape = float(ev["interval"]["gamma_shape"])
        mean = float(ev["interval"]["mean_for_rate"]) / rate_scale
        p_toward = float(ev["p_toward_centre"])
        state = np.zeros(3 * len(group))
        t = float(rng.uniform(0.0, 1.0)) * float(rng.gamma(shape, mean / shape))
        while t < duration:
            proto = protos[int(rng.integers(len(protos)))]
            dur, amp = float(proto[0]), float(proto[1])
            k = float(rng.uniform(0.85, 1.15))
            delta = k * np.asarray(proto[2:], dtype=np.float64)
            toward = 1.0 if primary_size(state + delta, primary) < primary_size(state - delta, primary) else -1.0
            sign = toward if rng.uniform() < p_toward else -toward
            delta = sign * delta
            state = state + delta
            offsets = {ch: delta[3 * i : 3 * i + 3].copy() for i, ch in enumerate(group)}
            out.append(PostureEvent(t, kind, k * amp, dur, offsets))
            t += max(float(rng.gamma(shape, mean / shape)), dur)
    out.sort(key=lambda e: (e.t, e.kind))
    return out


def toward_centre(kind: str, path: str | Path | None = None) -> float:
    """How often a ``kind`` of posture event moves the posture back toward the take's mean (0-1, fitted)."""
    return float(_event_kind(load(path), kind)["p_toward_centre"])


def _event_kind(doc: dict[str, Any], kind: str) -> dict[str, Any]:
    """The fitted record of one posture event ``kind``; ValueError naming the kinds there are."""
    events: dict[str, Any] = doc["standing"]["events"]
    if kind not in events:
        raise ValueError(f"posture event kind '{kind}' unknown: use one of {', '.join(EVENT_KINDS)}")
    return events[kind]


def posture_offsets(events: list[PostureEvent], times: ArrayLike) -> dict[str, Array]:
    """The events rendered as minimum-jerk steps: ``{channel: [F, 3]}`` (every micro-motion channel)."""
    t = np.asarray(times, dtype=np.float64)
    out = {ch: np.zeros((t.size, 3)) for ch in STANDING_CHANNELS}
    for e in events:
        u = minimum_jerk((t - e.t) / max(e.duration, 1e-6))[:, None]
        for ch, d in e.offsets.items():
            out[ch] += u * d[None, :]
    return out


def standing_take(
    rng: np.random.Generator,
    times: ArrayLike,
    *,
    scale: float = 1.0,
    rate_scale: float = 1.0,
    path: str | Path | None = None,
) -> dict[str, Array]:
    """One complete quiet-standing take ``{channel: [F, 3]}``: micro-motion plus rendered posture events
    (event offsets are scaled by ``scale`` too). The events are drawn after the micro-motion from the
    same ``rng``."""
    t = np.asarray(times, dtype=np.float64)
    micro = standing_micromotion(rng, t, scale=scale, path=path)
    duration = float(t[-1] - t[0]) + _uniform_dt(t)
    events = posture_events(rng, duration, rate_scale=rate_scale, path=path)
    steps = posture_offsets(events, t - t[0])
    return {ch: micro[ch] + scale * steps[ch] for ch in STANDING_CHANNELS}


# -- walking: stride-to-stride variation ------------------------------------------------------------


@dataclass(frozen=True)
class StrideVariations:
    """Per-stride variation around the mean curves.

    - ``coeffs [n, K]``: principal-component coefficients (each PC's fitted variance, Gaussian).
    - ``offsets``: curve -> ``[n, P]`` offsets (radians) at :func:`stride_phase`, ``coeffs @ PCs``.
    - ``duration_scale [n]``: stride time relative to the motion's own (1 + CV * N(0, 1)).
    """

    coeffs: Array
    offsets: dict[str, Array]
    duration_scale: Array


def stride_phase(path: str | Path | None = None) -> Array:
    """Phases ``[P]`` in [0, 1) at which stride curves are sampled (0 = left heel strike)."""
    n = int(load(path)["walking"]["samples_per_stride"])
    return np.arange(n, dtype=np.float64) / n


def mean_stride_curves(path: str | Path | None = None) -> dict[str, Array]:
    """Mean curve per :data:`STRIDE_CURVES` entry ``[P]`` (radians; subjects weighted equally)."""
    w = load(path)["walking"]
    return {c: np.asarray(v, dtype=np.float64) for c, v in w["mean_curves"].items()}


def stride_variations(rng: np.random.Generator, n_strides: int, *, path: str | Path | None = None) -> StrideVariations:
    """Draw ``n_strides`` independent strides' variation (within-subject, stride to stride)."""
    if n_strides < 0:
        raise ValueError(f"n_strides must be 0 or more, got {n_strides}")
    w = load(path)["walking"]
    pcs = np.asarray(w["pcs"], dtype=np.float64)  # [K, C * P]
    var = np.asarray(w["pc_variances"], dtype=np.float64)  # [K]
    coeffs = rng.standard_normal((n_strides, var.size)) * np.sqrt(var)
    flat = exact.matmul(coeffs, pcs)
    curves: list[str] = w["curves"]
    p = int(w["samples_per_stride"])
    offsets = {c: np.ascontiguousarray(flat[:, i * p : (i + 1) * p]) for i, c in enumerate(curves)}
    cv = float(w["stride_time"]["cv"])
    duration_scale = 1.0 + cv * rng.standard_normal(n_strides)
    return StrideVariations(coeffs, offsets, np.clip(duration_scale, 0.5, 1.5))


def curve_at(curve: ArrayLike, phase: ArrayLike) -> Array:
    """A periodic stride curve ``[..., P]`` read at ``phase`` (cycles; wrapped to [0, 1)), linear
    interpolation. With a ``[n, P]`` curve and a ``[F]`` phase the result is ``[n, F]``."""
    c = np.asarray(curve, dtype=np.float64)
    u = (np.asarray(phase, dtype=np.float64) % 1.0) * c.shape[-1]
    i0 = np.floor(u).astype(np.int64) % c.shape[-1]
    i1 = (i0 + 1) % c.shape[-1]
    f = u - np.floor(u)
    return c[..., i0] * (1.0 - f) + c[..., i1] * f


@dataclass(frozen=True)
class PelvisWaves:
    """Per-stride harmonics of the :data:`PELVIS_CHANNELS` waveforms.

    - ``coeffs``: channel -> complex ``[n, H]``, harmonic ``k = 1..H`` of each stride
      (``x(u) = sum_k Re(c_k exp(2 pi i k u))``, ``u`` the stride phase from the left heel strike).
    - ``fundamental``: channel -> (harmonic, mean amplitude) of the fitted mean's strongest harmonic (1 for the
      lateral shift and the rolls and yaws, 2 for the height and the tilts).
    """

    coeffs: dict[str, NDArray[np.complex128]]
    fundamental: dict[str, tuple[int, float]]


def pelvis_waves(rng: np.random.Generator, n_strides: int, *, path: str | Path | None = None) -> PelvisWaves:
    """Draw ``n_strides`` strides' pelvis and trunk harmonics: the fitted mean plus Gaussian stride-to-stride
    variation (the fitted SD, real and imaginary parts independent), the trunk's drawn against the pelvis's
    (the fitted slope on its :data:`TRUNK_PARTNER` plus the residual SD)."""
    if n_strides < 0:
        raise ValueError(f"n_strides must be 0 or more, got {n_strides}")
    w = load(path)["walking"]["pelvis_waves"]
    coeffs: dict[str, NDArray[np.complex128]] = {}
    fundamental: dict[str, tuple[int, float]] = {}
    means: dict[str, NDArray[np.complex128]] = {}
    for c in PELVIS_CHANNELS:  # the pelvis channels come first
        m = np.asarray(w["mean"][c], dtype=np.float64)
        mean = means[c] = m[:, 0] + 1j * m[:, 1]
        given = w["trunk_given_pelvis"].get(c)
        sd = np.asarray(given["residual_sd"] if given else w["sd"][c], dtype=np.float64)
        z = rng.standard_normal((n_strides, len(sd), 2))
        draw = mean + sd * (z[..., 0] + 1j * z[..., 1])
        if given:
            p = given["pelvis"]
            draw = draw + np.asarray(given["slope"], dtype=np.float64) * (coeffs[p] - means[p])
        coeffs[c] = np.asarray(draw, dtype=np.complex128)
        k = int(w["fundamental"][c])
        fundamental[c] = (k, float(np.abs(mean[k - 1])))
    return PelvisWaves(coeffs, fundamental)


def harmonic_basis(phase: ArrayLike, n: int) -> NDArray[np.complex128]:
    """``exp(2 pi i k phase)`` for the harmonics ``k = 1..n``: ``[F, n]`` at ``phase [F]`` (stride cycles), what
    :func:`wave_at` reads the waves with (one basis serves every channel at the same phases)."""
    u = np.asarray(phase, dtype=np.float64)
    return np.asarray(np.exp(2j * np.pi * u[:, None] * np.arange(1, n + 1)[None, :]), dtype=np.complex128)


def wave_at(coeffs: NDArray[np.complex128], basis: NDArray[np.complex128], harmonics: ArrayLike) -> Array:
    """The waveform of harmonics ``coeffs [F, H]`` (one row per sample) at the phases of ``basis``
    (:func:`harmonic_basis`, ``[F, >= H]``), summed over the harmonic numbers listed in ``harmonics`` (1-based)
    only."""
    k = np.asarray(harmonics, dtype=np.int64) - 1
    return np.asarray(np.real(np.sum(coeffs[:, k] * basis[:, k], axis=-1)), dtype=np.float64)


# -- walking: the heel-strike response ------------------------------------------------------------------


@dataclass(frozen=True)
class HeelStrikeResponse:
    """The mean response to a heel strike (a left one; a right one mirrors ``roll`` and ``trunkRoll``).

    - ``times [W]``: seconds from the heel strike at which ``shape`` is sampled.
    - ``shape``: :data:`HEEL_STRIKE_CHANNELS` channel -> ``[W]`` (metres or radians, default avatar).
    - ``pcs``: channel -> ``[K, W]`` principal components of the strike-to-strike deviation from ``shape``
      (smoothed), each scaled by its SD: a strike's response is ``shape + z @ pcs``, ``z ~ N(0, 1)^K``.
    """

    times: Array
    shape: dict[str, Array]
    pcs: dict[str, Array]


def heel_strike_response(path: str | Path | None = None) -> HeelStrikeResponse:
    """The fitted heel-strike response (``walking.heel_strike`` of the statistics file)."""
    h = load(path)["walking"]["heel_strike"]
    t0, dt = float(h["start_s"]), 1.0 / float(h["hz"])
    shape = {c: np.asarray(h["mean"][c], dtype=np.float64) for c in HEEL_STRIKE_CHANNELS}
    n = len(shape["vertical"])
    dev = h["deviation"]
    sd = np.sqrt(np.asarray(dev["variances"], dtype=np.float64))
    pcs = {
        c: np.asarray([pc[c] for pc in dev["pcs"]], dtype=np.float64).reshape(len(sd), n) * sd[:, None] for c in shape
    }
    return HeelStrikeResponse(t0 + dt * np.arange(n), shape, pcs)
