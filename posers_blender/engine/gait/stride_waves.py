"""Fitted pelvis and trunk waveforms: the harmonics of real strides that the designed curves lack.

The designed pelvis curves (:mod:`.pelvis`) are keyed waves, near-sinusoids at their fundamental (the height
and the tilt twice a stride, the lateral shift and the rolls and yaws once), and carry the style. Real pelvis
paths are not sinusoids: the height has a sharp rise after each loading response (stride harmonics 4 and 6
carry more of its acceleration than the step frequency does), the obliquity and the trunk's roll a third
harmonic. :func:`stride_waves` gives, per frame, each :data:`~..fitted.PELVIS_CHANNELS` channel's fitted
harmonics other than the ones its designed curve carries (:data:`DESIGNED`), drawn stride by stride
(:func:`~..fitted.pelvis_waves`: the CMU mean and its stride-to-stride spread), phase-locked to the left heel
strikes. The stages add them: :func:`~.pelvis.pelvis_sway` the lateral offset and the pelvis rotations,
:func:`~.pelvis.pelvis_height` the height (kept under the legs' reach there), :mod:`.upper_body` the trunk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .. import fitted
from ..curves import minimum_jerk
from .plan import FootPlan, StepKeys

Array = NDArray[np.float64]

#: Stride harmonics each channel's designed curve already carries (the others are added from the fit): the
#: keyed pelvis waves their fundamental, the trunk's pitch and roll also the fitted low harmonics of
#: ``upper_body.stride_variation``, the trunk's yaw the counter-rotation.
DESIGNED: dict[str, tuple[int, ...]] = {
    "vertical": (2,),
    "lateral": (1,),
    "roll": (1,),
    "yaw": (1,),
    "tilt": (2,),
    "trunkPitch": (1, 2),
    "trunkRoll": (1, 2),
    "trunkYaw": (1,),
    "forward": (),  # the path carries the pelvis at a steady pace: the whole surge is the fit's
}
#: A style's fundamental over the fitted one scales that channel's added harmonics, within these bounds
#: (a runway walk's exaggerated hip sway keeps the real shape, not ten times the real hitch).
STYLE_RATIO = (0.5, 2.0)
PHASE_SMOOTHING = 0.1  # s: Gaussian on the stride phase, so a stride's change of pace bends no wave [E]


@dataclass(frozen=True)
class StrideWaves:
    """The added harmonics per channel ``[F]`` (metres for ``vertical``, ``lateral`` and ``forward``, else
    radians), at the fitted (default avatar's) scale, faded with the walking speed; ``fundamental`` the fitted
    mean amplitude of each channel's strongest harmonic, in the same units."""

    values: dict[str, Array]
    fundamental: dict[str, float]

    def like(self, channel: str, amplitude: float) -> Array:
        """``channel`` scaled for a design whose fundamental has ``amplitude`` (the channel's units)."""
        ratio = np.clip(amplitude / max(self.fundamental[channel], 1e-9), *STYLE_RATIO)
        return np.asarray(self.values[channel] * ratio, dtype=np.float64)


def stride_waves(keys: StepKeys, plan: FootPlan, rng: np.random.Generator) -> StrideWaves:
    """The fitted harmonics the designed pelvis and trunk curves lack, per frame of ``keys.times``.

    Each stride (left heel strike to the next) draws its own harmonics; a stride hands over to the next with a
    minimum-jerk crossfade through the whole stride (as ``upper_body.stride_variation``), so the sum is C2."""
    t = keys.times
    phase = _stride_phase(keys, plan)
    zeros = {c: np.zeros(len(t)) for c in fitted.PELVIS_CHANNELS}
    if phase is None:
        return StrideWaves(zeros, dict.fromkeys(fitted.PELVIS_CHANNELS, 1.0))
    k = np.floor(phase).astype(np.int64)
    frac = phase - k
    i = k - int(k.min())
    draws = fitted.pelvis_waves(rng, int(i.max()) + 2)
    w = minimum_jerk(frac)[:, None]
    fade = wave_fade(keys, plan)
    n_harmonics = next(iter(draws.coeffs.values())).shape[1]  # every channel has the fitted harmonics 1..n
    basis = fitted.harmonic_basis(frac, n_harmonics)  # shared by every channel
    values: dict[str, Array] = {}
    for c, coeffs in draws.coeffs.items():
        added = [h for h in range(1, coeffs.shape[1] + 1) if h not in DESIGNED[c]]
        # this stride's harmonics crossfading into the next's: a blend of the coefficients is the blend of the waves
        blend = (1.0 - w) * coeffs[i] + w * coeffs[i + 1]
        values[c] = fitted.wave_at(blend, basis, added) * fade
    return StrideWaves(values, {c: a for c, (_, a) in draws.fundamental.items()})


def wave_fade(keys: StepKeys, plan: FootPlan) -> Array:
    """``[F]`` how much of the fitted waves a walk carries: its speed's share of the planned speed, and none
    before the first heel strike, rising over the first stride (:func:`_first_stride_ramp`)."""
    return plan.speed_share(keys.times) * _first_stride_ramp(keys, plan)


def _first_stride_ramp(keys: StepKeys, plan: FootPlan) -> Array:
    """``[F]`` 0 before the first heel strike, rising to 1 over the first stride (minimum jerk): the first steps
    from a stand are the designed gait's alone, while the stance foot's rocker is still settling."""
    hs = keys.hs[np.isfinite(keys.hs)]
    if not len(hs):
        return np.ones(len(keys.times))
    return minimum_jerk(np.clip((keys.times - float(hs.min())) / (2.0 * plan.step_period), 0.0, 1.0))


def _stride_phase(keys: StepKeys, plan: FootPlan) -> Array | None:
    """Stride phase ``[F]`` (cycles; integers at the left heel strikes, linear between them and extrapolated
    at the walk's ends by the nearest stride), smoothed; None without a heel strike."""
    hs, side = keys.hs, keys.side
    ok = np.isfinite(hs)
    hs, side = hs[ok], side[ok]
    if not len(hs):
        return None
    left = hs[side > 0]
    stride = 2.0 * plan.step_period
    if len(left) >= 2:
        knots, cycles = left, np.arange(len(left), dtype=np.float64)
    else:  # one stride or less: the plan's stride time from the one heel strike there is
        t0 = float(left[0]) if len(left) else float(hs[0]) - 0.5 * stride
        knots, cycles = np.array([t0, t0 + stride]), np.array([0.0, 1.0])
    t = keys.times
    dt = float(t[1] - t[0]) if len(t) > 1 else 1.0
    sigma = PHASE_SMOOTHING / dt
    r = int(np.ceil(3.0 * sigma))
    # evaluated r samples beyond both ends, so the smoothing sees the extrapolated phase rather than held ends
    te = np.concatenate([t[0] - dt * np.arange(r, 0, -1), t, t[-1] + dt * np.arange(1, r + 1)])
    rate_a = (cycles[1] - cycles[0]) / (knots[1] - knots[0])
    rate_b = (cycles[-1] - cycles[-2]) / (knots[-1] - knots[-2])
    ph = np.interp(te, knots, cycles)
    ph = np.where(te < knots[0], cycles[0] + (te - knots[0]) * rate_a, ph)
    ph = np.where(te > knots[-1], cycles[-1] + (te - knots[-1]) * rate_b, ph)
    if r == 0:
        return ph
    g = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    return np.asarray(np.convolve(ph, g / g.sum(), mode="valid"), dtype=np.float64)
