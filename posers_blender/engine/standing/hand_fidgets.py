"""Hand fidgets: what restless hands do between the self-touches, at the hands' place.

Facts §6 lists hand fidgeting among the behaviours that rise with anxiety (Kang et al. 2012) while the self-touch
rate only doubles or triples; so a nervous stance reads as nervous from the hands' continuous small activity. A
bout (:class:`~.schedule.HandBout`, from a renewal process) is one of

- ``drum``: the fingers lift and drop in rolls from the little finger to the index, rolls at irregular intervals;
- ``thumb``: the thumb rubs along the side of the index, irregular strokes;
- ``pick``: the index and thumb pinch at each other (picking at a nail or a sleeve seam), irregular picks;
- ``rub``: the fingertips rub over the thumb pad, the fingers curling and opening a little.

Every tap and stroke is timed by a renewal process or :func:`~posers_blender.engine.reach.strokes` and shaped as a
minimum-jerk bump of drawn amplitude: no sines. The kinds give a bout's flexion at full strength (held offsets
included); :func:`fidget_hands` fades it in and out over 0.25 s and pauses it while that hand makes a gesture
(a self-touch keeps its designed hand shape). Angles in degrees [E], finger speeds under the
joint-speed gates (taps peak near 160°/s, under the 300°/s p99) and under the continuity test's 6000°/s².
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from ... import humanoid as hm
from .. import exact, quat, reach
from ..curves import bump
from ..hand import FINGERS, thumb_axis
from ..noise import renewal_times
from ..program import Tracks
from .arm_plan import ArmPlan
from .schedule import HandBout
from .style import SIDES

Array = NDArray[np.float64]

#: Fade in and out of a bout, and the margin it keeps from a gesture of the same hand (s).
FADE_S = 0.25
GESTURE_MARGIN_S = 0.3


class _Hand:
    """One hand's added flexion tracks (deg, ``[F]``): per finger (proximal, intermediate), the thumb (proximal,
    distal) and the wrist."""

    def __init__(self, n: int):
        self.fingers = {f: np.zeros((2, n)) for f in FINGERS}
        self.thumb = np.zeros((2, n))
        self.wrist = np.zeros(n)

    def add(self, other: _Hand, w: Array, at: slice) -> None:
        """Add ``other`` (the frames ``at`` of this hand) weighted by ``w``."""
        for f in FINGERS:
            self.fingers[f][:, at] += other.fingers[f] * w
        self.thumb[:, at] += other.thumb * w
        self.wrist[at] += other.wrist * w

    def scale(self, k: Array) -> None:
        """Multiply every track by ``k`` ``[F]``."""
        for f in FINGERS:
            self.fingers[f] *= k
        self.thumb *= k
        self.wrist *= k


def _drum(rng: np.random.Generator, t: Array, b: HandBout) -> _Hand:
    """Rolls of finger lifts, little finger first, 50-90 ms apart; a roll every ~0.45 s (CV 0.35)."""
    h = _Hand(len(t))
    on = b.t + renewal_times(rng, b.duration, 0.45, cv=0.35)
    step = rng.uniform(0.05, 0.09, size=len(on))
    lifts = rng.uniform(7.0, 12.0, size=(len(on), len(FINGERS)))
    for k, f in enumerate(reversed(FINGERS)):
        lift = -_taps(t, on + k * step, lifts[:, k], 0.14, 0.0, 0.16)
        h.fingers[f] += np.stack([lift, 0.4 * lift])
    h.wrist -= _taps(t, on, rng.uniform(1.0, 3.0, size=len(on)), 0.15, 3 * step, 0.2)
    return h


def _thumb(rng: np.random.Generator, t: Array, b: HandBout) -> _Hand:
    """The thumb strokes along the index (about one stroke per 0.45 s), the index curled to meet it."""
    h = _Hand(len(t))
    r = reach.strokes(rng, t, b.t, b.t + b.duration, max(2, int(b.duration / rng.uniform(0.35, 0.55))))
    h.thumb += np.stack([15.0 + 8.0 * r, 8.0 + 6.0 * r])
    h.fingers["Index"] += np.array([[12.0], [10.0]])
    return h


def _pick(rng: np.random.Generator, t: Array, b: HandBout) -> _Hand:
    """The index and thumb pinch at each other: picks every ~0.4 s (CV 0.4), each a quick close and open."""
    h = _Hand(len(t))
    on = b.t + renewal_times(rng, b.duration, 0.4, cv=0.4)
    hold = rng.uniform(0.0, 0.08, size=len(on))
    pick = _taps(t, on, rng.uniform(8.0, 14.0, size=len(on)), 0.15, hold, 0.18)
    h.fingers["Index"] += np.stack([pick, 0.8 * pick])
    h.thumb += np.stack([0.6 * pick, 0.5 * pick])
    h.wrist += _taps(t, on, rng.uniform(-2.0, 2.0, size=len(on)), 0.15, hold, 0.18)
    return h


def _rub(rng: np.random.Generator, t: Array, b: HandBout) -> _Hand:
    """The fingertips rub the thumb pad: the fingers curl and open a little in irregular strokes."""
    h = _Hand(len(t))
    r = reach.strokes(rng, t, b.t, b.t + b.duration, max(2, int(b.duration / rng.uniform(0.4, 0.6))))
    for k, f in enumerate(FINGERS):
        curl = 10.0 + 2.0 * k + (4.0 + k) * r
        h.fingers[f] += np.stack([curl, 0.8 * curl])
    h.thumb += np.stack([10.0 - 6.0 * r, 8.0 - 5.0 * r])
    return h


def _taps(t: Array, on: Array, amp: Array, rise: float, hold: float | Array, fall: float) -> Array:
    """The sum of bumps ``amp[k] * bump(t, on[k], rise, hold[k], fall)`` ``[F]`` (all taps at once)."""
    if len(on) == 0:
        return np.zeros(len(t))
    hold_k = np.broadcast_to(np.asarray(hold, dtype=np.float64), on.shape)[:, None]
    return np.asarray(exact.matmul(amp, bump(t[None, :], on[:, None], rise, hold_k, fall)))  # type: ignore[arg-type]


KINDS: dict[str, Callable[[np.random.Generator, Array, HandBout], _Hand]] = {
    "drum": _drum,
    "thumb": _thumb,
    "pick": _pick,
    "rub": _rub,
}


def fidget_hands(
    tr: Tracks, t: Array, bouts: list[HandBout], plans: dict[str, ArmPlan], rng: np.random.Generator
) -> None:
    """Compose the hand-fidget ``bouts`` onto the posed hands of ``tr`` (finger, thumb and wrist flexion in each
    bone's frame), faded out around each gesture of that hand in ``plans``. Where a hand's bouts overlap (a
    both-hands bout over a one-hand bout, say) they blend: a hand does one fidget at a time, and three thumb
    bouts added up would bend the thumb past its range."""
    if not bouts:
        return
    n = len(t)
    for side, _ in SIDES:
        mine = [b for b in bouts if b.side in (side, "both")]
        if not mine:
            continue
        free = _free(t, plans[side])
        total = _Hand(n)
        weight = np.zeros(n)
        for b in mine:
            # a bout is zero outside its own frames: rendering only those keeps the cost per frame flat
            at = slice(int(np.searchsorted(t, b.t)), int(np.searchsorted(t, b.t + b.duration, side="right")))
            tb = t[at]
            env = bump(tb, b.t, FADE_S, max(b.duration - 2 * FADE_S, 0.0), FADE_S) * free[at]
            total.add(KINDS[b.kind](rng, tb, b), env, at)
            weight[at] += env
        total.scale(1.0 / _overlap(weight))
        _apply(tr, side, total)


def _overlap(weight: Array, knee: float = 0.5) -> Array:
    """What the summed bouts are divided by, from their summed envelopes ``weight`` ``[F]``: 1 up to one bout (a
    bout alone keeps its size), then easing (quadratic, so the hand's acceleration has no spike) into
    ``weight - knee / 2``."""
    over = np.clip(weight - 1.0, 0.0, knee)
    return 1.0 + over * over / (2.0 * knee) + np.maximum(weight - 1.0 - knee, 0.0)


def _free(t: Array, plan: ArmPlan) -> Array:
    """1 where the hand is at home or hanging (a release), easing to 0 around each gesture it makes."""
    busy = np.zeros(len(t))
    for g, on, hold in plan.gestures.values():
        busy = np.maximum(busy, bump(t, on - GESTURE_MARGIN_S, GESTURE_MARGIN_S, g.rise + hold + g.fall, 0.3))
    for _, g in plan.rubs:
        busy = np.maximum(busy, bump(t, g.t - GESTURE_MARGIN_S, GESTURE_MARGIN_S, g.end - g.t, 0.3))
    return 1.0 - busy


def _apply(tr: Tracks, side: str, h: _Hand) -> None:
    s = hm.side_sign(side + "Hand")
    flex = np.array([0.0, 0.0, -s])  # the finger curl axis of hand.curl_fingers
    for f in FINGERS:
        for ph, angle in zip(("Proximal", "Intermediate"), h.fingers[f]):
            tr.rotate(f"{side}{f}{ph}", quat.from_axis_angle_deg(flex, angle))
    ax = thumb_axis(side)
    tr.rotate(f"{side}ThumbProximal", quat.from_axis_angle_deg(ax, h.thumb[0]))
    tr.rotate(f"{side}ThumbDistal", quat.from_axis_angle_deg(ax, h.thumb[1]))
    # wrist flexion: the palm toward the forearm's front, about the hand's local Z as the fingers curl
    tr.rotate(f"{side}Hand", quat.from_axis_angle_deg(flex, h.wrist))
