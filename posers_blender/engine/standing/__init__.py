"""A standing body shared by every standing motion: posture, breathing, sway, weight shifts, gestures, gaze.

A motion describes *who* is standing with a :class:`StandingStyle` (posture angles, rates, amplitudes, arm
mode) and :func:`build` makes the clip in stages, one module each:

1. :mod:`.schedule` draws the events (breaths, sighs, postural fidgets, weight shifts, glances, blinks, arm
   gestures, releases of a held arm pose, hand-fidget bouts) from renewal processes at measured rates, without posing anything, so tests can check hours of
   schedule in milliseconds.
2. :mod:`.arm_plan` turns the gestures into one :class:`~posers_blender.engine.reach.ReachPlan` per arm (one
   ``Move`` per transport; held poses such as hands on hips or the fist at the chin are the arm's home).
3. :mod:`.body` poses the pelvis over the support foot (sway, weight shifts, the anticipatory shift before
   each reach), breathing on the thoracic bones, trunk, head and eyes (gaze shares), clavicles, the lean on a
   wall, and the hips height.
4. :mod:`.arms` hangs the arms, then reaches every held pose and gesture as waypoints on the body; a gesture
   the avatar cannot reach is dropped, a transport that would turn a joint too fast for its distance is
   lengthened, and the arms are re-planned (no marker).
5. :mod:`.hand_fidgets` adds the hands' fidget bouts (drumming, thumb rubbing, picking) between gestures.
6. :func:`~.body.plant_feet` solves the legs so both feet stay planted; :mod:`.markers` writes the markers.

Gestures are not states: envelopes compose, so they overlap with breathing and with each other. A sigh can
start a gesture or a postural fidget (``sigh_gesture``). :class:`StandingMotion` makes a standing motion out of a
schema, ``meta`` and a style; :mod:`.params` holds the parameters every standing motion shares.

Numbers cite ``human_motion_facts.md`` (§1 standing, §4 reaching, §6 fidgeting, §7 postures, §9 timing);
[E] marks estimates, which are style fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..params import Params
from ..program import Context, MotionError, TrackProgram, Tracks
from ..targets import look_at_in_build, record_reach
from .arm_plan import ArmPlan, plan_arms
from .arms import TOUCHES, Touch, arm_activity, carry_chin, contact_local, hang_arms, pose_arms, rest_targets
from .body import broadband, plant_feet, pose_body, wander
from .hand_fidgets import fidget_hands
from .markers import mark_events
from .micro import Micro
from .micro import draw as draw_micro
from .poses import Poses
from .schedule import Gesture, HandBout, Schedule, lengthen_transports, plan, schedule_for, streams
from .style import GESTURES, HELD_POSES, PEOPLE_FOOT_GIVE, SELF_TOUCH, SIDES, GestureSpec, StandingStyle

Array = NDArray[np.float64]

__all__ = [
    "GESTURES",
    "HELD_POSES",
    "PEOPLE_FOOT_GIVE",
    "Micro",
    "Poses",
    "SELF_TOUCH",
    "SIDES",
    "TOUCHES",
    "ArmPlan",
    "BuildResult",
    "Gesture",
    "HandBout",
    "GestureSpec",
    "Schedule",
    "StandingMotion",
    "StandingStyle",
    "Touch",
    "broadband",
    "build",
    "contact_local",
    "plan",
    "plan_arms",
    "plant_feet",
    "schedule_for",
    "streams",
    "wander",
]

#: Re-plans of the arms after a trial pose that found unreachable gestures or transports too fast for their turn.
MAX_REPLANS = 4


@dataclass
class BuildResult:
    """The tracks plus what tests and markers need: schedule, weight track, per-arm gesture activity, feet, and
    the arms' reach plans (move windows for path tests)."""

    tracks: Tracks
    schedule: Schedule
    weight: Array
    arm_activity: dict[str, Array]
    feet: dict[str, Array] = field(default_factory=dict)
    arm_plans: dict[str, ArmPlan] = field(default_factory=dict)  # each arm's reach timing as made


def build(ctx: Context, style: StandingStyle, markers: bool = True) -> BuildResult:
    """Render a standing clip for ``ctx`` (times, skeleton, seed) in ``style``; adds markers to ``ctx``."""
    rngs = streams(ctx.rng)
    sched = plan(style, rngs, ctx.times, ctx.duration)
    arm_plans = plan_arms(sched, style, ctx.duration)
    micro = draw_micro(rngs["micro"], ctx.times, style, ctx.skeleton.leg_ratio)
    tr = Tracks(ctx.skeleton, len(ctx.times))
    body = pose_body(ctx, tr, style, sched, arm_plans, rngs, micro)
    look_at_in_build(ctx, tr)  # a lookAt target turns head and eyes before the hands find the face
    carry_chin(ctx, tr, style, arm_plans)  # the chin hand's target: the head follows the fist
    hanging = hang_arms(ctx, tr, style, sched, body, rngs, micro)
    del micro  # laid on the body and the arms: its [F, 3] tracks need not outlive the arms' solves
    rests = rest_targets(ctx, style)
    skip: set[int] = set()
    lengthened: set[tuple[int, str]] = set()
    for attempt in range(MAX_REPLANS + 1):
        posed = pose_arms(tr, ctx.times, style, arm_plans, hanging, rests)
        # each transport is lengthened once, when first found too fast: a re-measure would creep by float noise
        slow = {k: d for k, d in posed.too_fast.items() if k not in lengthened and k[0] not in posed.failed}
        if (not posed.failed and not slow) or attempt == MAX_REPLANS:
            break
        skip |= posed.failed
        lengthened |= set(slow)
        sched = lengthen_transports(sched, slow)
        arm_plans = plan_arms(sched, style, ctx.duration, frozenset(skip))
    for side, reached in posed.rest_reached.items():
        record_reach(ctx, f"{side}Hand", reached)
    fidget_hands(tr, ctx.times, sched.hand_bouts, arm_plans, rngs["hands"])
    plant_feet(tr, style, body.feet)
    if markers:
        mark_events(ctx, style, sched, arm_plans)
    return BuildResult(
        tr, sched, body.weight, arm_activity(ctx.times, style, arm_plans), feet=body.feet, arm_plans=arm_plans
    )


class StandingMotion(TrackProgram):
    """A standing motion: a ``schema``, ``meta`` and a style. A subclass sets ``style_for`` (parameters ->
    :class:`StandingStyle`, a ``staticmethod``); the standing body builds the clip, and :meth:`schedule` gives
    its event schedule without posing."""

    @staticmethod
    def style_for(p: Params) -> StandingStyle:  # pragma: no cover - interface
        raise MotionError("a standing motion sets style_for (parameters -> StandingStyle)")

    def style(self, ctx: Context) -> StandingStyle:
        """The style of one build; a motion that reads targets from ``ctx`` overrides this."""
        return self.style_for(ctx.params)

    def build(self, ctx: Context) -> Tracks:
        return build(ctx, self.style(ctx)).tracks

    def schedule(
        self, params: Mapping[str, Any] | None = None, seed: int = 0, duration: float = 600.0, fps: float = 10.0
    ) -> Schedule:
        """The event schedule this motion would use for these inputs, on a coarse time grid (no posing), with
        exactly the streams the full build draws: rate tests check hours of events in milliseconds."""
        return schedule_for(self, self.style_for, params, seed, duration, fps)
