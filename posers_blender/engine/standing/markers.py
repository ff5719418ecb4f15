"""The phase markers of a standing clip: breaths, sighs, fidgets, weight shifts, glances, the wall contact, the
gestures the avatar made and the chin holds; all read from the schedule and the arms' final plans."""

from __future__ import annotations

import numpy as np

from ..program import Context
from .arm_plan import ArmPlan
from .schedule import Schedule
from .style import StandingStyle


def mark_events(ctx: Context, style: StandingStyle, sched: Schedule, arm_plans: dict[str, ArmPlan]) -> None:
    """Add every marker of the clip to ``ctx``."""
    for ft in sched.fidgets:
        ctx.mark("fidget", ft)
    for st in sched.shifts:
        ctx.mark("weight_shift", st)
    for s in sched.sighs:
        if 0 <= s < ctx.duration:
            ctx.mark("sigh", s)
    ti_frac = 1.0 / (1.0 + style.ie_ratio)
    for start, per in zip(sched.breaths.starts, sched.breaths.periods):
        if 0 <= start < ctx.duration:
            ctx.mark("inhale", start)
        if 0 <= start + per * ti_frac < ctx.duration:
            ctx.mark("exhale", start + per * ti_frac)
    for gl in sched.glances:
        ctx.mark(gl.kind, gl.t)
    for hb in sched.hand_bouts:
        ctx.mark("hand_fidget", hb.t)
    if style.wall_z is not None:
        ctx.mark("wall_contact", style.enter)
    # only the gestures this avatar made; a two-handed one marks once
    done = {(on, g.kind) for ap_ in arm_plans.values() for g, on, _ in ap_.gestures.values()}
    done |= {(g.t, g.kind) for ap_ in arm_plans.values() for _, g in ap_.rubs}
    for start, kind in sorted(done):
        ctx.mark(kind, start)
    if style.arm_mode == "chin":
        _mark_chin_holds(ctx, style, arm_plans[style.support_side])


def _mark_chin_holds(ctx: Context, style: StandingStyle, support: ArmPlan) -> None:
    """Every 10 s while the fist holds the chin undisturbed: 'chin_hold' and the suite's 'touch:chin' (its
    'hand-contact' check measures the closest hand point, the fist's 'Knuckles' landmark among them)."""
    busy = [(a - 0.3, b + 0.3) for a, b in support.busy()]
    for tt in np.arange(style.enter + 0.5, ctx.duration - style.leave - 0.5, 10.0):
        if not any(a <= tt <= b for a, b in busy):
            ctx.mark("chin_hold", float(tt))
            ctx.mark("touch:chin", float(tt))
