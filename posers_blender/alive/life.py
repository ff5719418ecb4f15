"""What the life layer adds, at full weight: breathing, gaze shifts, blinks, micro-motion and weight shifts.

Each component is drawn from its own seeded stream (so switching one off leaves the others as they were) and
comes as rotation vectors ``[F, J, 3]`` (radians, in each bone's own frame: applied as
``lrot * from_scaled_axis(v)``, the additive-layer convention of :mod:`posers_blender.engine.layers`) plus a
hips offset ``[F, 3]`` (metres). How much of each reaches the output is decided in :mod:`.layer` from the
input's stillness. Numbers name their facts-file row (``human_motion_facts.md``) or are [E] estimates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine import fitted
from ..engine.breathing import breath_track
from ..engine.curves import minimum_jerk
from ..engine.face import blink_times, blink_track
from ..engine.gaze import GazeStyle, gaze_blinks, gaze_tracks, plan_glances
from ..engine.params import Params
from ..engine.skeleton import Skeleton
from .stillness import gaussian

Array = NDArray[np.float64]

#: One seeded stream per component, in this order.
STREAMS: tuple[str, ...] = ("breath", "glance", "blink", "micro", "shift", "feet")
#: Gaze shifts of a layer stay small: the eyes take most, the head joins above 12° (facts §9).
GAZE_STYLE = GazeStyle(yaw_range=(4.0, 25.0), pitch_range=(-6.0, 4.0), hold_range=(0.6, 2.5))
#: facts §1: a weight shift moves the pelvis about 22 mm sideways (Duarte & Zatsiorsky, ML shifting).
SHIFT_M = 0.022
#: Pelvis roll (deg) at a full shift onto one leg, the spine righting it (the standing body's numbers) [E].
SHIFT_ROLL_DEG = 3.0
#: A planted foot under load is not a rigid pin: the ankle's centre gives by about this much (m, RMS per
#: horizontal axis, 1.65 m body) with each foot's own irregular sway below :data:`FOOT_GIVE_HZ`. [E], sized so
#: a held pose's planted-foot speed comes near the idle reference's median (3 against 4 mm/s; rigidly pinned
#: feet gave 0) and its two ankles are not one rigid block (the reference's ankle speeds correlate at 0.8).
FOOT_GIVE_M = 0.0003
FOOT_GIVE_HZ = 1.0
#: Corner (Hz) of the low-pass on the micro-motion channels (a 2nd-order Butterworth magnitude, zero phase).
#: The fitted bands above ~4 Hz pool mocap jitter: unfiltered, the layer's hips, chest, head and wrists had
#: 1.5-2.5x the reference's share of velocity at 4-8 Hz (``posers realism`` band features, idle reference);
#: at 4 Hz each is within 0.01 of the reference's median share (docs/alive.md, "Figures").
MICRO_LOWPASS_HZ = 4.0
#: Amplitude of each fitted channel relative to ``micro_motion`` (others 1). The fitted arms are the pooled
#: population's, whose power comes mostly from the liveliest takes: at 1 the layer's wrists moved at twice the
#: reference's median speed (0.04 vs 0.02 m/s); at 0.5 they match it.
CHANNEL_GAIN: dict[str, float] = {
    # the trunk at 1.5 brings the head's speed to the reference's median (0.0079 vs 0.0078 m/s)
    "trunk": 1.5,
    "leftUpperArm": 0.5,
    "leftLowerArm": 0.5,
    "rightUpperArm": 0.5,
    "rightLowerArm": 0.5,
}


@dataclass
class Component:
    """One part of the layer at full weight: ``rot [F, J, 3]`` rotation vectors (rad), ``hips [F, 3]`` (m).

    ``floor`` is the share that stays where the input moves fast (breathing goes on during a walk);
    ``hold_only`` components live only where the whole body holds still.
    """

    rot: Array
    hips: Array
    floor: float = 0.0
    hold_only: bool = False


@dataclass
class LifeTracks:
    """The layer's components, the give of each planted foot (``feet[side] [F, 3]``, metres, an offset of its
    ankle in the world) and the face channels (``blink [F]`` 0..1; gaze angles in degrees, +yaw to the avatar's
    left, +pitch up; ``head_yaw``/``head_pitch`` is the part the neck and head carry)."""

    components: dict[str, Component]
    feet: dict[str, Array]
    blink: Array
    gaze_yaw: Array
    gaze_pitch: Array
    head_yaw: Array
    head_pitch: Array


def streams(seed: int) -> dict[str, np.random.Generator]:
    """Independent generators per component from one seed."""
    return {name: np.random.default_rng([seed, i]) for i, name in enumerate(STREAMS)}


def _empty(n: int) -> tuple[Array, Array]:
    return np.zeros((n, len(hm.BONES), 3)), np.zeros((n, 3))


def _put(rot: Array, bone: str, axis: int, deg: Array) -> None:
    rot[:, hm.INDEX[bone], axis] += np.radians(deg)


def breathing(rng: np.random.Generator, t: Array, p: Params) -> Component:
    """Chest extension with each breath, the neck and head undoing it, and a small shoulder lift (facts §1:
    rate 12-20/min, I:E 1:1.5, ±12% breath-to-breath variation, sighs, clavicle lift <= 1-2 mm quiet, ~1 cm
    on a sigh). The same shares as the standing body (:mod:`posers_blender.engine.standing`)."""
    v = breath_track(rng, t, rate_per_min=p.breath_rate).volume
    lift = 0.35 * v + 1.6 * np.maximum(v - 1.3, 0.0)
    rot, hips = _empty(len(t))
    for bone, share in (("spine", -0.25), ("chest", -0.45), ("upperChest", -0.55), ("neck", 0.9), ("head", 0.35)):
        _put(rot, bone, 0, share * v)
    _put(rot, "leftShoulder", 2, lift)
    _put(rot, "rightShoulder", 2, -lift)
    return Component(rot, hips, floor=0.5)


def gaze(rng: np.random.Generator, t: Array, p: Params) -> tuple[Component, Array, Array, Array, Array, Array]:
    """Gaze shifts (facts §9): the head's share as a component, plus the gaze angles and the blinks they bring."""
    style = replace(GAZE_STYLE, interval=p.glance_interval)
    glances = plan_glances(rng, float(t[-1] - t[0]) + 1e-9, style)
    g = gaze_tracks(t - t[0], glances, style, rng)
    rot, hips = _empty(len(t))
    for bone, share in (("neck", 0.4), ("head", 0.6)):
        _put(rot, bone, 1, share * g.head_yaw)
        _put(rot, bone, 0, -share * g.head_pitch)
    return (
        Component(rot, hips, floor=0.5),
        g.gaze_yaw,
        g.gaze_pitch,
        g.head_yaw,
        g.head_pitch,
        gaze_blinks(rng, glances),
    )


def zero_phase(x: Array, dt: float, gain: Callable[[Array], Array]) -> Array:
    """``x [F, C]`` filtered by the real gain ``gain(f [K] in Hz) -> [K] or [K, C]`` with no phase shift, on
    its even extension (so the ends do not wrap onto each other)."""
    n = x.shape[0]
    ext = np.concatenate([x, x[::-1]], axis=0)
    g = np.asarray(gain(np.fft.rfftfreq(2 * n, dt)), dtype=np.float64)
    spec = np.fft.rfft(ext, axis=0) * (g if g.ndim == 2 else g[:, None])
    return np.fft.irfft(spec, n=2 * n, axis=0)[:n]


def butterworth(f: Array, corner: float) -> Array:
    """Gain ``[K]`` of a 2nd-order Butterworth low-pass with its corner at ``corner`` Hz, at ``f [K]`` Hz."""
    return np.asarray(1.0 / np.sqrt(1.0 + (f / corner) ** 4), dtype=np.float64)


def _right_forearm_gain(f: Array) -> Array:
    """Per-frequency gain ``[K, 3]`` that gives the fitted right forearm the left forearm's band powers.

    The fitted right forearm's bands above 1 Hz come from one take (reactidle_002_acted, whose right forearm
    jitters by about 11° at 4-8 Hz where every other take's forearms stay under 0.5°); the left forearm's
    are the population's."""
    edges = fitted.band_edges()
    sd = np.asarray(fitted.load()["standing"]["band_sd"], dtype=np.float64)
    left, right = (fitted.STANDING_CHANNELS.index(f"{s}LowerArm") for s in ("left", "right"))
    ratio = sd[:, 3 * left : 3 * left + 3] / np.maximum(sd[:, 3 * right : 3 * right + 3], 1e-12)
    band = np.clip(np.searchsorted(edges, f, side="right") - 1, 0, len(ratio) - 1)
    return np.asarray(ratio[band], dtype=np.float64)


def shaped_micromotion(rng: np.random.Generator, t: Array) -> dict[str, Array]:
    """The fitted micro-motion (:func:`posers_blender.engine.fitted.standing_micromotion`) shaped toward a
    person standing, not the pooled population: the right forearm given the left one's spectrum, every
    channel low-passed at :data:`MICRO_LOWPASS_HZ`, the arms scaled by :data:`CHANNEL_GAIN`."""
    m = fitted.standing_micromotion(rng, t - t[0])
    dt = float(t[1] - t[0])

    out = {}
    for ch, x in m.items():
        if ch == "rightLowerArm":
            x = zero_phase(x, dt, _right_forearm_gain)
        out[ch] = CHANNEL_GAIN.get(ch, 1.0) * zero_phase(x, dt, lambda f: butterworth(f, MICRO_LOWPASS_HZ))
    return out


def micro_motion(rng: np.random.Generator, t: Array, sk: Skeleton) -> Component:
    """The shaped micro-motion of quiet standing (:func:`shaped_micromotion`), spread over the bones as
    ``docs/fitted_stats.md`` says: trunk a third each on spine, chest, upperChest; head half each on neck and
    head; the hips position scaled to the body."""
    m = shaped_micromotion(rng, t)
    rot, _ = _empty(len(t))
    rot[:, hm.INDEX["hips"]] += m["hips"]
    for bone in ("spine", "chest", "upperChest"):
        rot[:, hm.INDEX[bone]] += m["trunk"] / 3.0
    for bone in ("neck", "head"):
        rot[:, hm.INDEX[bone]] += m["head"] / 2.0
    lag = min(int(round(0.4 / (t[1] - t[0]))), len(t) - 1)
    for side in ("left", "right"):
        upper, lower = m[f"{side}UpperArm"], m[f"{side}LowerArm"]
        # the fitted upper arm has the shoulder folded in: give the clavicle a quarter [E]
        rot[:, hm.INDEX[f"{side}Shoulder"]] += 0.25 * upper
        rot[:, hm.INDEX[f"{side}UpperArm"]] += 0.75 * upper
        rot[:, hm.INDEX[f"{side}LowerArm"]] += lower
        # ReActIdle has no hands: the wrist follows the forearm's micro-motion, smaller and later [E]
        # (low-passed: the fitted forearm's 4-8 Hz share on a wrist reads as tremor)
        late = np.concatenate([lower[lag:], lower[::-1][:lag]])
        rot[:, hm.INDEX[f"{side}Hand"]] += 0.4 * gaussian(late, 0.15 / (t[1] - t[0]))
    return Component(rot, m["hips_position"] * sk.leg_ratio)


def weight_shifts(rng: np.random.Generator, t: Array, p: Params, sk: Skeleton) -> Component:
    """Weight shifts from one leg to the other, timed like the fitted ReActIdle events (gamma intervals,
    their durations) at a mean interval of ``shift_interval``; each moves the pelvis sideways by up to
    :data:`SHIFT_M` (facts §1), rolls it up on the support side and rights the spine above it."""
    doc = fitted.load()["standing"]["events"]["weight_shift"]
    rate_scale = float(doc["interval"]["mean_for_rate"]) / p.shift_interval
    duration = float(t[-1] - t[0]) + 1e-9
    events = fitted.posture_events(rng, duration, kinds=("weight_shift",), rate_scale=rate_scale)
    side = np.zeros(len(t))  # -1 .. 1: the share of weight on the left (+) or right (-) leg
    state = 0.0
    for e in events:
        new = -np.sign(state or rng.choice([-1.0, 1.0])) * rng.uniform(0.4, 1.0)
        dur = float(np.clip(e.duration, 1.0, 3.0))
        side += (new - state) * minimum_jerk((t - t[0] - e.t) / dur)
        state = new
    rot, hips = _empty(len(t))
    hips[:, 0] = SHIFT_M * sk.leg_ratio * side
    roll = SHIFT_ROLL_DEG * side
    _put(rot, "hips", 2, roll)
    _put(rot, "hips", 1, 2.0 * side)
    _put(rot, "spine", 2, -0.55 * roll)
    _put(rot, "chest", 2, -0.35 * roll)
    return Component(rot, hips, hold_only=True)


def foot_give(rng: np.random.Generator, t: Array, sk: Skeleton) -> dict[str, Array]:
    """Each planted ankle's give ``{side: [F, 3]}`` (m, horizontal): independent low-passed noise of
    :data:`FOOT_GIVE_M` RMS per axis below :data:`FOOT_GIVE_HZ` (see there)."""
    dt = float(t[1] - t[0])
    out = {}
    for side in ("left", "right"):
        x = zero_phase(rng.standard_normal((len(t), 3)), dt, lambda f: butterworth(f, FOOT_GIVE_HZ))
        x[:, 1] = 0.0
        x -= x.mean(axis=0)
        rms = np.sqrt(np.mean(x[:, [0, 2]] ** 2))
        out[side] = x * (FOOT_GIVE_M * sk.leg_ratio / max(float(rms), 1e-12))
    return out


def life_tracks(seed: int, t: Array, sk: Skeleton, p: Params) -> LifeTracks:
    """Every component at full weight over the times ``t [F]`` (s, evenly spaced, at least 2)."""
    rngs = streams(seed)
    gaze_part, gy, gp, hy, hp, extra_blinks = gaze(rngs["glance"], t, p)
    onsets = blink_times(rngs["blink"], float(t[-1] - t[0]), p.blink_rate, extra=extra_blinks)
    return LifeTracks(
        components={
            "breathing": breathing(rngs["breath"], t, p),
            "gaze": gaze_part,
            "micro_motion": micro_motion(rngs["micro"], t, sk),
            "posture": weight_shifts(rngs["shift"], t, p, sk),
        },
        feet=foot_give(rngs["feet"], t, sk),
        blink=blink_track(t - t[0], onsets),
        gaze_yaw=gy,
        gaze_pitch=gp,
        head_yaw=hy,
        head_pitch=hp,
    )
