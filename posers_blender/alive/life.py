"""What the life layer adds, at full weight: breathing, gaze shifts, blinks, micro-motion and weight shifts.

Each component is drawn from its own seeded stream (so switching one off leaves the others as they were) and
comes as rotation vectors ``[F, J, 3]`` (radians, in each bone's own frame: applied as
``lrot * from_scaled_axis(v)``, the additive-layer convention of :mod:`posers_blender.engine.layers`) plus a
hips offset ``[F, 3]`` (metres). How much of each reaches the output is decided in :mod:`.layer` from the
input's stillness. Numbers name their facts-file row (``human_motion_facts.md``) or are [E] estimates.
"""

from __future__ import annotations

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
STREAMS: tuple[str, ...] = ("breath", "glance", "blink", "micro", "shift")
#: Gaze shifts of a layer stay small: the eyes take most, the head joins above 12° (facts §9).
GAZE_STYLE = GazeStyle(yaw_range=(4.0, 25.0), pitch_range=(-6.0, 4.0), hold_range=(0.6, 2.5))
#: facts §1: a weight shift moves the pelvis about 22 mm sideways (Duarte & Zatsiorsky, ML shifting).
SHIFT_M = 0.022
#: Pelvis roll (deg) at a full shift onto one leg, the spine righting it (the standing body's numbers) [E].
SHIFT_ROLL_DEG = 3.0


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
    """The layer's components plus its face channels (``blink [F]`` 0..1; gaze angles in degrees, +yaw to
    the avatar's left, +pitch up; ``head_yaw``/``head_pitch`` is the part the neck and head carry)."""

    components: dict[str, Component]
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


def micro_motion(rng: np.random.Generator, t: Array, sk: Skeleton) -> Component:
    """The fitted micro-motion of quiet standing (:func:`posers_blender.engine.fitted.standing_micromotion`),
    spread over the bones as ``docs/fitted_stats.md`` says: trunk a third each on spine, chest, upperChest;
    head half each on neck and head; the hips position scaled to the body."""
    m = fitted.standing_micromotion(rng, t - t[0])
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
        blink=blink_track(t - t[0], onsets),
        gaze_yaw=gy,
        gaze_pitch=gp,
        head_yaw=hy,
        head_pitch=hp,
    )
