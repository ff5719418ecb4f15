"""The heel-strike response: the shock each heel strike sends through the pelvis, trunk and head.

A real walker's body is jolted at every heel strike (the loading response): the hips drop and are braked, the
pelvis and trunk roll, and the trunk and head nod, damped within ~0.2 s. The fitted stride waves
(:mod:`.stride_waves`, harmonics 1-6 of the stride, up to ~5 Hz) are smooth and cannot carry that; the
response fitted from the CMU walks (:func:`~..fitted.heel_strike_response`: each strike's residual beyond those
harmonics, averaged) can. :func:`heel_strike_response` lays it at every planned heel strike, each strike's
amplitude drawn from the fitted strike-to-strike spread. The stages add it: the pelvis's surge, tilt and roll
(:func:`~.pelvis.pelvis_sway`), its height under the legs' reach (:func:`~.pelvis.pelvis_height`), the trunk and
the head (:mod:`.upper_body`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .. import fitted
from .plan import FootPlan, StepKeys
from .stride_waves import wave_fade

Array = NDArray[np.float64]

#: Bound on a strike's drawn principal-component coefficients (SDs): a Gaussian tail may not double a shock.
Z_BOUND = 2.5
#: Share of the fitted strike-to-strike deviation (principal components) each channel draws; the rest of a
#: strike's response is the fitted mean. The legs carry the pelvis channels: a strike's own shape there (or
#: just its amplitude, SD 0.6) put the pelvis's vertical acceleration at 12-12.6 m/s² at 120 fps (the mean
#: alone 9.0-9.2), a 7.9 mm knee pose jump at 60 fps into seductive-walk with drawn settings (gate 5 mm), slid
#: Godette's planted foot 8 mm and sped its knee to 618°/s (gate 600): a pelvis dipping 1-2 mm at 10 Hz
#: while the landing knee is near straight bends it fast. The trunk and head move nothing below them.
SPREAD_SHARE: dict[str, float] = {
    "vertical": 0.0,
    "forward": 0.0,
    "tilt": 1.0,
    "roll": 1.0,
    "trunkPitch": 1.0,
    "trunkRoll": 1.0,
    "headPitch": 1.0,
}


def heel_strike_response(keys: StepKeys, plan: FootPlan, rng: np.random.Generator) -> dict[str, Array]:
    """Per :data:`~..fitted.HEEL_STRIKE_CHANNELS` channel ``[F]`` (metres or radians, the default avatar's:
    scale lengths by ``leg_ratio``) the fitted response summed over the heel strikes ``keys.hs``, a right
    strike's rolls mirrored. Each strike draws its own response: the fitted mean plus ``SPREAD_SHARE`` of a
    deviation drawn from the fitted strike-to-strike principal components (``rng``: one row of coefficients per
    strike), times its step's envelope and the stride waves' fade (:func:`~.stride_waves.wave_fade`) at the
    strike."""
    t = keys.times
    out = {c: np.zeros(len(t)) for c in fitted.HEEL_STRIKE_CHANNELS}
    ok = np.isfinite(keys.hs)
    hs, side, en = keys.hs[ok], keys.side[ok], keys.en[ok]
    if not len(hs) or len(t) < 2:
        return out
    resp = fitted.heel_strike_response()
    z = np.clip(rng.standard_normal((len(hs), len(resp.pcs["vertical"]))), -Z_BOUND, Z_BOUND)
    dt = float(t[1] - t[0])  # the build grid is uniform
    w = len(resp.times)
    hz = 1.0 / float(resp.times[1] - resp.times[0])
    first = np.ceil((hs + resp.times[0] - t[0]) / dt).astype(np.int64)  # each strike's first sample
    rows = first[:, None] + np.arange(int(np.ceil((resp.times[-1] - resp.times[0]) / dt)) + 1)[None, :]
    inside = (rows >= 0) & (rows < len(t))
    at = np.clip(first - int(np.ceil(-resp.times[0] / dt)), 0, len(t) - 1)  # the sample at (after) each strike
    fade = wave_fade(keys, plan)[at] * en
    # where each sample falls in the fitted shape's samples (linear interpolation; 0 beyond it)
    u = (t[0] + rows * dt - hs[:, None] - resp.times[0]) * hz
    i0 = np.floor(u).astype(np.int64)
    f = u - i0
    valid = inside & (i0 >= 0) & (i0 < w - 1)
    strike = np.broadcast_to(np.arange(len(hs))[:, None], rows.shape)[valid]
    i0, f, rows = i0[valid], f[valid], rows[valid]
    for c in fitted.HEEL_STRIKE_CHANNELS:
        sign = np.where(side > 0, 1.0, -1.0) if c in fitted.PELVIS_MIRROR_NEGATES else np.ones(len(hs))
        shapes = resp.shape[c] + SPREAD_SHARE[c] * (z @ resp.pcs[c])  # [S, W] each strike's own
        values = (shapes[strike, i0] * (1.0 - f) + shapes[strike, i0 + 1] * f) * (fade * sign)[strike]
        np.add.at(out[c], rows, values)
    return out
