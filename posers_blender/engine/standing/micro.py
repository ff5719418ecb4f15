"""Micro-motion fitted from people standing: what the body does between and around the designed beats.

:func:`draw` samples :func:`~posers_blender.engine.fitted.standing_micromotion` (the band powers and in-band
cross-channel correlations of the ReActIdle takes, ``docs/fitted_stats.md``) with the clip's own generator and
scales it by the style, so two seeds give two different takes with the same statistics. The body stage lays the
pelvis, trunk and head channels on its posture, the arms stage the arm channels on the hanging arms (and a
share of the resulting wrist drift on held hand poses that touch nothing exact).

The ReActIdle people idle livelier than lab quiet stance (fitted_stats.md), so the pelvis travel is scaled
separately (``micro_sway``) to stay inside the measured sway bands; ``sway_freq`` speeds the whole layer up
(anxiety raises the sway frequencies, facts §6) by drawing it on a faster clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from .. import fitted
from .style import SIDES, StandingStyle

Array = NDArray[np.float64]

#: Gain per axis of the pelvis travel (x ML, y vertical, z AP) on top of ``micro_sway``: lab quiet stance sways
#: 1.5x more front-to-back than sideways (facts §1: COP RMS AP 5.0, ML 3.3 mm), the idling ReActIdle pelvis 0.7x
#: (fitted 11.8 vs 17.0 mm), so AP is raised to keep the measured sway bands. The vertical part (which only lowers
#: the hips: the knees give) at 1.5: at 1 the hips bobbed 0.58 mm SD in 2 s and the knees wandered 2.4 mm on the hips
#: against ReActIdle's 0.87 and 5.5 (realism features); at 1.5 they read 0.67 and 2.7, and the realism check on
#: idle-breathe fell 0.682 -> 0.664 (seeds 0-8 0.752 -> 0.730; every standing motion's --texture figure 0.01-0.04
#: lower); at 2 the knees' mean bend rose past the people's and the check rose again (0.689).
AXIS_GAIN = np.array([0.9, 1.5, 1.8])
#: Share of the fitted head channel (x pitch, y yaw, z roll) the head carries on top of ``micro``: the fitted head
#: turned on a still trunk, while here the trunk's own micro-motion, the gaze shifts and the postural fidgets move
#: it too, so the whole fitted channel read the head twice as fast on the hips as ReActIdle's (realism check: 0.0146
#: vs 0.0078 m/s). Its nods and tilts are what move the head's place; its yaw barely does, and at half the head
#: turned less than people's (yaw SD in 2 s 0.4° vs 1.4°), so the yaw keeps the whole channel.
HEAD_GAIN = np.array([0.5, 1.0, 0.5])
#: The micro-motion draw repeats over at least 100 s (on the style's clock) so its slowest band (0.05 Hz) has
#: frequencies even in short takes.
MICRO_SPAN_S = 100.0
#: A planted foot's give repeats over at least 10 s, so its slowest band (0.2 Hz) has frequencies in short takes.
GIVE_SPAN_S = 10.0


@dataclass
class Micro:
    """One clip's micro-motion, scaled: rotation vectors (rad, ``[F, 3]``, in the moving segment's frame) of the
    pelvis ``hips``, the ``trunk`` (upperChest on the hips), the ``head`` (on the upperChest) and each arm's
    upper arm and forearm (``arms[side] = (upper, lower)``), the pelvis travel ``hips_position`` (m) and each
    planted foot's give ``feet[side]`` (m, ``[F, 3]``, horizontal)."""

    hips: Array
    hips_position: Array
    trunk: Array
    head: Array
    arms: dict[str, tuple[Array, Array]]
    feet: dict[str, Array]


def draw(rng: np.random.Generator, t: Array, style: StandingStyle, leg_ratio: float) -> Micro:
    """The fitted micro-motion for times ``t`` (s, evenly spaced) in ``style``; positions scaled by ``leg_ratio``."""
    n = len(t)
    if n < 2:
        z = np.zeros((n, 3))
        return Micro(z, z, z, z, {side: (z, z) for side, _ in SIDES}, {side: z for side, _ in SIDES})
    f = max(style.sway_freq, 1e-3)
    span = draw_span(n * float(t[1] - t[0]), MICRO_SPAN_S / f)
    ch = fitted.standing_micromotion(rng, (t - t[0]) * f, band_gain=_forearm_gains(), period=span * f)
    k = style.micro * style.sway_weight
    ka = style.micro * style.micro_arms * style.gesture_weight
    return Micro(
        hips=ch["hips"] * k,
        hips_position=ch["hips_position"] * (AXIS_GAIN * style.micro_sway * style.sway * style.sway_weight * leg_ratio),
        trunk=ch["trunk"] * k,
        head=ch["head"] * (HEAD_GAIN * style.micro * style.head_motion),
        arms={side: (ch[f"{side}UpperArm"] * ka, _hinge_only(ch[f"{side}LowerArm"]) * ka) for side, _ in SIDES},
        feet={side: _foot_give(rng, n, float(t[1] - t[0]), style.foot_give * leg_ratio) for side, _ in SIDES},
    )


def draw_span(clip_s: float, least_s: float) -> float:
    """The span (s) a periodic noise draw repeats over: the clip or ``least_s``, whichever is longer, rounded up to
    whole seconds, so every frame rate (24/30/60/120 fps) has a whole number of frames in it and the draw, which
    depends only on this span, is the same at every rate. ``clip_s`` (frames x frame time) is rounded first: a
    clip of the same duration can be a frame-rounding shorter at one rate."""
    return float(np.ceil(max(clip_s, least_s) - 1e-6))


@lru_cache(maxsize=1)
def _forearm_gains() -> dict[str, Array]:
    """Per-band gains that bring each forearm's flexion power down to the other side's where it is higher: the
    right forearm of the fitted takes carries 2-5x the left's power above 1.7 Hz (the source's twist flips leak
    into its flexion), while the real right wrist jerks no more than the left (realism features)."""
    left = fitted.band_sd("leftLowerArm")[:, 1]
    right = fitted.band_sd("rightLowerArm")[:, 1]
    return {
        "leftLowerArm": np.minimum(1.0, right / np.maximum(left, 1e-12)),
        "rightLowerArm": np.minimum(1.0, left / np.maximum(right, 1e-12)),
    }


def _foot_give(rng: np.random.Generator, n: int, dt: float, rms: float) -> Array:
    """A planted foot's give ``[n, 3]`` (m, horizontal): the heel pad and arch yield under the changing load, so
    the ankle of a standing person is never exactly still (the reference ankles move ~4 mm/s while planted).
    Band-limited Gaussian noise (0.2-2 Hz) of ``rms`` per axis, softly held inside a radius of ``3 rms`` so
    the planted-foot slide gate (2 mm standing) always holds for sub-millimetre ``rms``."""
    out = np.zeros((n, 3))
    if rms <= 0:
        return out
    span = draw_span(n * dt, GIVE_SPAN_S)  # whole seconds: the same bins and draws at every frame rate
    m = max(n, int(round(span / dt)))
    freqs = np.arange(m // 2 + 1) / span
    band = (freqs >= 0.2) & (freqs <= 2.0)
    spec = np.zeros((freqs.size, 2), dtype=np.complex128)
    k = int(band.sum())
    spec[band] = rng.standard_normal((k, 2)) + 1j * rng.standard_normal((k, 2))
    xz = np.fft.irfft(spec, n=m, axis=0)[:n]
    xz *= rms / max(float(np.sqrt(np.mean(xz**2))), 1e-12)
    r = np.linalg.norm(xz, axis=1, keepdims=True)
    cap = 3.0 * rms
    xz *= cap * np.tanh(r / cap) / np.maximum(r, 1e-12)
    out[:, 0], out[:, 2] = xz[:, 0], xz[:, 1]
    return out


def _hinge_only(v: Array) -> Array:
    """The forearm's flexion component (about the local Y hinge): the elbow is a hinge, and the fitted forearm's
    other components hold the source's twist flips (docs/quality.md: ReActIdle forearm twist flips)."""
    out = np.zeros_like(v)
    out[:, 1] = v[:, 1]
    return out
