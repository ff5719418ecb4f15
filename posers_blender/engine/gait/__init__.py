"""The gait engine: walking built in stages, vectorised over a whole clip (see :class:`~..program.Tracks`).

:func:`~.walk.build_walk` reads as the algorithm:

1. :mod:`.plan` -- :func:`plan_footsteps`: a speed profile along a :class:`~.path.Path` (gait initiation
   and termination ramps, slower through tight corners), step times with pink-noise stride variability, footfalls (side, heel strike,
   foot flat, heel off, toe off, floor position, yaw).
2. :mod:`.feet` -- :func:`foot_tracks`: per foot and frame the ankle target and foot rotation: heel rocker,
   flat foot, forefoot and toe rockers, then a C1 swing lifted clear of the floor.
3. :mod:`.pelvis` -- lateral shift and rotations keyed to the footfalls; the height from the legs' reach
   (so the stance foot is always reachable: no sliding).
4. :mod:`.legs` -- two-bone IK to the ankle targets with a knee pole, the swinging ankle kept in range.
5. :mod:`.upper_body` -- trunk counter-rotation, stabilised head, arms driven by the gait phase through
   springs, blinks.

Between 4 and 5 the orchestrator replans the feet's rolls where an ankle or knee ran out of range and
places the feet, pelvis height and legs again (:mod:`.walk`). Style numbers and settings live in
:mod:`.style`; numbers come from ``human_motion_facts.md`` §2 (normal gait) and §3 (stylised walking).
Lengths are authored for the 1.65 m default avatar and scaled by ``Skeleton.leg_ratio``; speeds are
Froude-scaled (``v * sqrt(leg_ratio)``), except where the knee of a short-legged avatar would then pass the
600°/s joint-speed gate: the orchestrator plans such a walk again at a slower pace (``walk.KNEE_SPEED_MAX``).
"""

from .feet import TOE_CLEARANCE, FootTrack, foot_tracks
from .geometry import FootGeometry, foot_geometry
from .path import Path
from .plan import FootPlan, plan_footsteps, walking_speed_and_cadence
from .signals import key_track, pink_noise
from .style import (
    BASIC,
    RUNWAY,
    SIDES,
    GaitSettings,
    GaitStyle,
    blend_styles,
    settings_from_params,
    walk_constraints,
    walk_params,
)
from .walk import WalkResult, build_walk

__all__ = [
    "BASIC",
    "RUNWAY",
    "SIDES",
    "TOE_CLEARANCE",
    "FootGeometry",
    "FootPlan",
    "FootTrack",
    "GaitSettings",
    "GaitStyle",
    "Path",
    "WalkResult",
    "blend_styles",
    "build_walk",
    "foot_geometry",
    "foot_tracks",
    "key_track",
    "pink_noise",
    "plan_footsteps",
    "settings_from_params",
    "walk_constraints",
    "walk_params",
    "walking_speed_and_cadence",
]
