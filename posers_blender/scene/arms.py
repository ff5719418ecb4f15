"""Arms handed over along a reach: a hand that must travel at a seam is carried there like any hand transport.

The joint-space inertialization of the rest of the body would take a hand
from the old motion's place to the new one's on a path nobody makes (each
joint's offset decays on its own: the hand swings out or dips and comes back).
Where the hand must go somewhere else *relative to the chest* (the cigarette
held at the waist, the fist at the chin), :func:`hand_over` instead carries
it with the reach primitive (:mod:`..engine.reach`): a curved path with one
speed peak, the shoulder leading the elbow and the wrist (facts §4, 20-60 ms
each), a few millimetres of overshoot that settle, the fingers closing into
the new grip during the homing phase (facts §4: after ~75 % of the movement
time). The reach starts from the old hand's place carried with the new chest
and ends on the new motion's own hand, which it then follows exactly; after
it has settled the arm is handed back to the new motion's own rotations.

The inertialization still runs on top (:func:`.compiler.join`): the reach
starts where the old hand was, so its offset is small and only the old hand's
velocity decays through it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine import quat, reach
from ..engine.curves import minimum_jerk
from ..engine.program import LIMBS, Tracks
from ..engine.skeleton import Skeleton

Array = NDArray[np.float64]

#: A hand whose place relative to the chest changes by less than this (m) is left to the inertialization [E].
HANDOVER_MIN_M = 0.12
#: Transport time (s) = base + per metre, clamped (facts §4: reach 1.04 s, hand to mouth 0.8-1.0 s, hand peak speed 0.63-0.72 m/s).
TRANSPORT_BASE_S, TRANSPORT_PER_M, TRANSPORT_RANGE_S = 0.6, 1.2, (0.7, 1.3)
#: The second hand starts this much after the first when both travel [E: bimanual onsets within ~100 ms].
SECOND_HAND_S = 0.08
#: Time to peak speed as a share of the transport (facts §4: 0.40-0.45 toward the face, ~0.5 otherwise).
PEAK_AT = 0.45
CURVATURE = 0.1  # largest sideways deviation as a share of the chord [E]
OVERSHOOT_M, SETTLE_S = 0.004, 0.2  # facts §4 / issue 7: 2-10 mm, settled within 0.3 s
#: After the reach has settled, the arm goes back to the new motion's own rotations over this long (s).
RELEASE_S = 0.3
#: The fingers change grip over the last share of the transport (facts §4: homing phase from ~75 %).
GRIP_FROM = 0.6


@dataclass(frozen=True)
class Handover:
    """One hand carried at a seam: ``side``, onset and transport time (s), distance (m, relative to the chest)."""

    side: str
    start: float
    duration: float
    distance: float


def transport_seconds(distance: float) -> float:
    """Transport time (s) of a hand carried ``distance`` metres."""
    lo, hi = TRANSPORT_RANGE_S
    return float(np.clip(TRANSPORT_BASE_S + TRANSPORT_PER_M * distance, lo, hi))


def _in_chest(grot: Array, gpos: Array, chest: int, joint: int) -> tuple[Array, Array]:
    """A joint's position and rotation in the chest's frame (``grot``/``gpos`` ``[F, J, ...]``)."""
    inv = quat.conj(grot[:, chest])
    return quat.rotate(inv, gpos[:, joint] - gpos[:, chest]), quat.mul(inv, grot[:, joint])


def _from_chest(grot: Array, gpos: Array, chest: int, pos: Array, rot: Array) -> tuple[Array, Array]:
    """Chest-frame ``pos [3]``/``rot [4]`` carried with the chest of every frame: world ``[F, 3]``, ``[F, 4]``."""
    return gpos[:, chest] + quat.rotate(grot[:, chest], pos), quat.mul(grot[:, chest], rot)


def plan_handovers(
    skeleton: Skeleton, old_lrot: Array, old_hips: Array, lrot: Array, hips: Array, seconds: float | None = None
) -> list[Handover]:
    """Which hands must travel at a seam (old pose ``old_lrot [J, 4]``/``old_hips [3]``, new clip ``lrot``/``hips``).

    A hand travels when its place relative to the chest differs by at least :data:`HANDOVER_MIN_M`; the
    farther hand goes first, the other :data:`SECOND_HAND_S` later. ``seconds`` overrides the transport time.
    """
    og, op = skeleton.fk(old_lrot[None], old_hips[None])
    ng, npos = skeleton.fk(lrot[:1], hips[:1])
    moves = []
    for side in ("left", "right"):
        chest = hm.PARENTS[hm.INDEX[f"{side}Shoulder"]]
        hand = hm.INDEX[f"{side}Hand"]
        d = float(np.linalg.norm(_in_chest(og, op, chest, hand)[0] - _in_chest(ng, npos, chest, hand)[0]))
        if d >= HANDOVER_MIN_M:
            moves.append((d, side))
    moves.sort(reverse=True)
    return [
        Handover(side, k * SECOND_HAND_S, seconds if seconds is not None else transport_seconds(d), d)
        for k, (d, side) in enumerate(moves)
    ]


def hand_over(
    skeleton: Skeleton,
    old_lrot: Array,
    old_hips: Array,
    lrot: Array,
    hips: Array,
    fps: float,
    handovers: list[Handover],
) -> Array:
    """``lrot [F, J, 4]`` with each planned hand carried from the old pose to the new motion's hand by a reach.

    ``old_lrot [J, 4]``/``old_hips [3]``: the last pose before the seam; ``lrot``/``hips [F, 3]``: the new
    motion (placed and turned, not yet inertialised). Only the arm and finger rotations change.
    """
    out = lrot.copy()
    if not handovers:
        return out
    n = len(lrot)
    t = np.arange(n) / fps
    og, op = skeleton.fk(old_lrot[None], old_hips[None])
    ng, npos = skeleton.fk(lrot, hips)
    for h in handovers:
        upper, lower, hand = (hm.INDEX[b] for b in LIMBS[f"{h.side}Arm"])
        chest = hm.PARENTS[hm.INDEX[f"{h.side}Shoulder"]]
        # where the hand was, carried with the new chest; the elbow keeps pointing where it pointed
        pos, rot = _in_chest(og, op, chest, hand)
        elbow = quat.rotate(quat.conj(og[:, chest]), op[:, lower] - op[:, upper])
        from_pos, from_rot = _from_chest(ng, npos, chest, pos[0], rot[0])
        from_pole = quat.rotate(ng[:, chest], elbow[0])
        forward = quat.rotate(ng[0, chest], np.array([hm.side_sign(f"{h.side}Hand") * 0.3, 0.0, 1.0]))
        waypoints = {
            "from": reach.Waypoint(from_pos, from_rot, from_pole),
            "to": reach.Waypoint(npos[:, hand], ng[:, hand], npos[:, lower] - npos[:, upper]),
        }
        move = reach.Move(
            h.start,
            h.duration,
            "to",
            peak_at=PEAK_AT,
            curvature=CURVATURE,
            bulge=(float(forward[0]), float(forward[1]), float(forward[2])),
            overshoot=OVERSHOOT_M,
            settle=SETTLE_S,
            elbow_by_angle=True,
        )
        tracks = Tracks(skeleton, n)
        tracks.lrot[:] = out
        tracks.hips_offset[:] = hips - skeleton.offsets[0]
        reach.solve_reach(tracks, reach.ReachPlan(h.side, "from", (move,)), waypoints, t, soft_wrist=True)
        # after the reach has settled the arm is the new motion's own again
        back = minimum_jerk((t - (move.end + SETTLE_S)) / RELEASE_S)
        done = (back >= 1.0)[:, None]  # exactly the motion's own rotations (a slerp at 1 is not bit-exact)
        for j in (upper, lower, hand):
            out[:, j] = np.where(done, lrot[:, j], quat.slerp(tracks.lrot[:, j], lrot[:, j], back))
        # the fingers take the new grip during the homing phase
        grip = minimum_jerk((t - (h.start + GRIP_FROM * h.duration)) / ((1.0 - GRIP_FROM) * h.duration))
        for name in hm.FINGER_BONES:
            if name.startswith(h.side):
                j = hm.INDEX[name]
                moved = quat.slerp(np.broadcast_to(old_lrot[j], (n, 4)), lrot[:, j], grip)
                out[:, j] = np.where((grip >= 1.0)[:, None], lrot[:, j], moved)
    return out
