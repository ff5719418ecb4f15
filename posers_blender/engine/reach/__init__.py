"""Reaching: a hand carried to targets along curved minimum-jerk paths by two-bone arm IK.

Reusable by every hand-to-body or hand-to-object gesture (smoking, face touch,
chin rest, drinking, phone). Everything is vectorised over the clip's time
grid: a reach is planned as data and evaluated for all frames at once inside
a :class:`~posers_blender.engine.program.Tracks`-based motion.

Modules: :mod:`.plan` (waypoints, moves, plans, speed profile), :mod:`.wrist` (hand rotation, elbow pole,
wrist limits), :mod:`.solver` (:func:`solve_reach` and its stages), :mod:`.timing` (anticipation, approach
and grip signals), :mod:`.face` (the hand presented to the face), :mod:`.props` (the cigarette's points).
This package re-exports the public API, so ``reach.Waypoint``, ``reach.solve_reach`` etc. work as before.

API
---
- :class:`Waypoint` ``(position, rotation, pole)``: where the *effector* goes
  (world point ``[3]`` or track ``[F, 3]``, e.g. the ``lips`` landmark track
  after the head has been posed), the hand bone's wanted *world* rotation
  there (``[4]`` or ``[F, 4]``, see :func:`hand_rotation`), and a world
  direction from the shoulder toward which the elbow points (``[3]`` or
  ``[F, 3]``, see :func:`elbow_pole`: low and out by default).
- :class:`Move` ``(start, duration, to, ...)``: one transport to a named
  waypoint. ``start`` is hand onset (s), ``duration`` the transport time T.
  The path follows :func:`speed_profile` (one speed peak at ``peak_at`` of T;
  facts §4: 0.40-0.45 T toward the face), bulges sideways by ``curvature`` of
  the chord toward ``bulge`` and overshoots by ``overshoot`` metres, settling
  back within ``settle`` s (facts §4/issue 7: 2-10 mm, settled within 0.3 s).
  Proximal-to-distal cascade (facts §4, 20-60 ms per joint): the shoulder
  (direction from the shoulder) starts at ``start``, the elbow (distance from
  the shoulder) ``elbow_delay`` later, the wrist ``wrist_delay`` later, all
  arriving together.
- :class:`ReachPlan` ``(side, initial, moves, effector)``: which arm, the
  waypoint the hand starts at, the moves in time order, and the effector
  offset in the hand bone's frame (a landmark offset such as a fingertip or
  :func:`cigarette_landmarks`' filter point).
- :func:`solve_reach` ``(tracks, plan, waypoints, times, wrist_limits)``:
  writes the upper arm, lower arm and hand rotations into ``tracks`` and
  returns a :class:`ReachResult` (planned wrist path, achieved effector path,
  elbow flexion, IK reach flags, move windows, per waypoint whether the arm
  reaches it, so a caller can drop a gesture an avatar cannot make). Call it last, after the
  trunk, shoulder girdle and head are posed. The effector lands exactly on
  each waypoint; the hand takes the wanted rotation or the nearest one
  inside :class:`WristLimits` (:func:`clamp_wrist`, :func:`wrist_components`).
- :func:`anticipation` ``(times, plan, waypoints, amplitude, lead, rise,
  persistent, direction)``: the anticipatory pelvis shift (facts §4 APA:
  2-10 mm, 30-80 ms before the hand) as a hips-offset track ``[F, 3]``,
  either a transient or a counterbalance held while the hand is away; add it
  to the hips before :func:`solve_reach`.
- :func:`face_presentation` ``(skeleton, side, grip, effector, body=...)``:
  picks, per avatar, the first of :data:`FACE_PRESENTATIONS` whose fingers
  clear the :func:`head_ellipsoid` with the effector on the lips.
- :func:`waypoint_values` ``(times, plan, values, delay)``: a scalar (finger
  curl, say) that takes a value per waypoint and follows the moves.
- :func:`strokes`: a rub oscillation to add to a held waypoint's track.
- :func:`approach_weight` ``(times, plan, names, delay, duration)``: 0..1 per
  frame, rising while the hand travels to one of ``names`` and falling as it
  leaves; drives head dips/turns (1-5° toward the hand) and, with a short
  fixed ``duration``, eyes that reach the target before the hand.
- Grips live in :mod:`.hand` (``cigarette`` = between index and middle finger at
  the PIP crease, ``pinch`` = thumb-index); here :func:`grip_weight`
  (finger closure starting ``lead`` s before arrival, facts §4: homing from
  ~75% of movement time), :func:`cigarette_landmarks` (filter and ember
  points fixed to the hand bone, for contact checks and a Blender prop empty).
- :func:`hand_rotation` ``(finger_dir, palm_dir, side)``: the hand's world
  rotation whose fingers point along ``finger_dir`` and palm faces ``palm_dir``;
  :func:`face_hand_rotation` ``(head_grot, side)``: the palm presented to the
  mouth (cigarette at the lips, fingers clear of the face).

Conventions: normalised humanoid space (+Y up, metres, facing +Z, left +X),
quaternions (w, x, y, z), times in seconds, ``side`` is ``"left"``/``"right"``.

Example (a hand to the lips and back; see ``motions/smoking_cigarette.py``)::

    plan = ReachPlan("right", "hold", (Move(1.0, 0.9, "lips"), Move(3.5, 0.8, "hold", peak_at=0.47)),
                     effector=cigarette_landmarks(sk, "right")["cigaretteFilter"].offset)
    grot, gpos = tracks.fk()
    wps = {"hold": Waypoint(hold_point, hand_rotation(fwd, medial, "right"), elbow_pole("right")),
           "lips": Waypoint(sk.landmark_positions("lips", grot, gpos),
                            face_hand_rotation(grot[:, sk.index("head")], "right"), elbow_pole("right", out=1.0))}
    tracks.hips_offset += anticipation(times, plan, wps)
    solve_reach(tracks, plan, wps, times)
    hand.apply_grip(tracks, "right", "cigarette")
"""

from .face import FACE_PRESENTATIONS, face_hand_rotation, face_presentation, head_ellipsoid
from .plan import (
    Move,
    ReachPlan,
    Waypoint,
    least_duration,
    move_progress,
    onset_delay,
    peak_rate,
    segment_indices,
    speed,
    speed_profile,
)
from .props import cigarette_landmarks
from .solver import ReachResult, solve_reach
from .timing import anticipation, approach_weight, grip_weight, strokes, waypoint_values
from .wrist import WristLimits, clamp_wrist, comfortable_wrist, elbow_pole, hand_rotation, wrist_components

__all__ = [
    "FACE_PRESENTATIONS",
    "Move",
    "ReachPlan",
    "ReachResult",
    "Waypoint",
    "WristLimits",
    "anticipation",
    "approach_weight",
    "cigarette_landmarks",
    "clamp_wrist",
    "comfortable_wrist",
    "elbow_pole",
    "face_hand_rotation",
    "face_presentation",
    "grip_weight",
    "hand_rotation",
    "head_ellipsoid",
    "least_duration",
    "move_progress",
    "onset_delay",
    "peak_rate",
    "segment_indices",
    "solve_reach",
    "speed",
    "speed_profile",
    "strokes",
    "waypoint_values",
    "wrist_components",
]
