"""The hand presented to the face: the palm toward the mouth, a head ellipsoid, and the per-avatar choice of a
presentation whose fingers clear the face."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ... import humanoid as hm
from .. import quat
from ..hand import grip_pose
from ..program import Tracks
from ..skeleton import Skeleton
from .plan import ReachPlan, Waypoint
from .solver import solve_reach
from .wrist import elbow_pole, hand_rotation

Array = NDArray[np.float64]


def face_hand_rotation(
    head_grot: ArrayLike,
    side: str,
    fingers: tuple[float, float, float] = (0.3, 1.0, -0.2),
    palm: tuple[float, float, float] = (0.5, 0.0, -1.0),
) -> Array:
    """World hand rotation ``[..., 4]`` presenting the palm side to the face, from the head's world rotation.

    ``fingers``/``palm`` are directions in the head's frame with x measured
    *medially* (toward the face's midline from the hand's side), y up, z
    ahead. The defaults hold the fingers up and a little medial and back, the
    palm toward the mouth: with the cigarette grip the filter meets the lips
    (the ember about 17° above level), the fingertips clear the face by a few
    mm and the elbow sits at about 132° on the built-in avatar (facts §4:
    120-130°, bound 135°), wrist about 20° extended and 10° radial, forearm
    about 33° supinated (facts §4 feeding envelope: 40° pronation to 60°
    supination). Leaning the fingers further forward levels the cigarette
    but bends the elbow past 135° on adult proportions.
    """
    s = hm.side_sign(side + "Hand")
    hq = np.asarray(head_grot, dtype=np.float64)
    f = quat.rotate(hq, np.array([-s * fingers[0], fingers[1], fingers[2]]))
    n = quat.rotate(hq, np.array([-s * palm[0], palm[1], palm[2]]))
    return hand_rotation(f, n, side)


def head_ellipsoid(skeleton: Skeleton) -> tuple[Array, Array]:
    """(centre offset in the head bone's frame ``[3]``, semi-axes ``[3]``) of an ellipsoid for the skull and face.

    Scaled from the skeleton's ``headTop`` landmark (0.125 head units above
    the head bone, :func:`~posers_blender.engine.skeleton.estimate_landmarks`):
    breadth 0.09, length 0.124, height 0.14 of a unit (a 1.65 m adult: 15 x
    20 x 23 cm head). The lips and nose stand 1-2 cm proud of its front, so
    a point outside it may still touch the lips, which is wanted for the filter.
    """
    top = np.asarray(skeleton.landmarks["headTop"].offset)
    hs = float(top[1]) / 0.125
    axes = np.array([0.045, 0.070, 0.062]) * hs
    centre = np.array([0.0, float(top[1]) - axes[1], 0.005 * hs])
    return centre, axes


#: Face presentations tried by :func:`face_presentation`, most natural first: (fingers, palm) in the head
#: frame with x medial (see :func:`face_hand_rotation`).
FACE_PRESENTATIONS: tuple[tuple[tuple[float, float, float], tuple[float, float, float]], ...] = tuple(
    ((a, 1.0, b), palm)
    for _, a, b, palm in sorted(
        (abs(a - 0.3) + abs(b + 0.2) + cost, a, b, palm)
        for a in (0.3, 0.15, 0.0, -0.2, -0.4, -0.8)
        for b in (-0.2, -0.1, 0.0, 0.15, 0.3, 0.5)
        for palm, cost in (((0.5, 0.0, -1.0), 0.0), ((0.0, 0.4, -1.0), 0.3), ((1.0, 0.0, -1.0), 0.3))
    )
)


def _hand_points(skeleton: Skeleton, side: str, grip: str) -> Array:
    """Finger joint and tip positions ``[K, 3]`` in the hand bone's frame with the fingers in ``grip``."""
    lrot = quat.identity((len(hm.BONES),))
    for bone, q in grip_pose(side, grip).items():
        lrot[hm.INDEX[bone]] = q
    grot, gpos = skeleton.fk(lrot, skeleton.offsets[0])
    jh = skeleton.index(f"{side}Hand")
    pts = []
    for finger in ("Thumb", "Index", "Middle", "Ring", "Little"):
        name = f"{side}{finger}Tip"
        if name in skeleton.landmarks:
            pts.append(skeleton.landmark_positions(name, grot, gpos))
        for ph in ("Proximal", "Intermediate", "Distal"):
            bone = f"{side}{finger}{ph}"
            if bone in hm.INDEX and skeleton.has(bone):
                pts.append(gpos[skeleton.index(bone)])
    if not pts:
        pts.append(skeleton.landmark_positions(f"{side}HandTip", grot, gpos))
    return np.asarray(pts) - gpos[jh]


def face_presentation(
    skeleton: Skeleton,
    side: str,
    grip: str,
    effector: ArrayLike,
    target: str = "lips",
    clearance: float = 0.004,
    body: Tracks | None = None,
    pole: ArrayLike | None = None,
    shifts: Sequence[ArrayLike] = (),
    elbow_range: tuple[float, float] | None = None,
    soft_wrist: bool = False,
) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """The first of :data:`FACE_PRESENTATIONS` whose fingers clear the head by ``clearance`` (m) with the
    effector on landmark ``target``; else the one with the most clearance.

    Per avatar, since hand and head proportions differ (a chibi's big face
    meets the fingers). With ``body`` (a posed one-frame :class:`Tracks`) and
    ``pole`` (elbow pole direction), each candidate is solved with the arm IK
    and the wrist limits, so the check sees the hand as it will really sit.
    ``shifts`` (head-frame offsets, metres) are checked too, e.g. the
    arrival overshoot. With ``body`` and ``elbow_range`` (degrees), the first
    clear candidate whose elbow flexion falls in the range wins; if none
    does, the first clear one. ``soft_wrist``: the candidates are solved as
    :func:`solve_reach` will with ``soft_wrist`` (the hand's own axis kept in range).
    """
    centre, axes = head_ellipsoid(skeleton)
    lm = skeleton.landmarks[target]
    tgt = np.asarray(lm.offset) if lm.bone == "head" else np.zeros(3)
    pts = _hand_points(skeleton, side, grip)
    eff = np.asarray(effector, dtype=np.float64)
    jh = skeleton.index("head")
    best, best_clear = FACE_PRESENTATIONS[0], -np.inf
    first_clear: tuple[tuple[float, float, float], tuple[float, float, float]] | None = None
    for fingers, palm in FACE_PRESENTATIONS:
        flex = float("nan")
        if body is None:
            r = face_hand_rotation(quat.IDENTITY, side, fingers, palm)
            origin = tgt - quat.rotate(r, eff)
        else:
            trial = Tracks(skeleton, 1)
            trial.lrot[:] = body.lrot[:1]
            trial.hips_offset[:] = body.hips_offset[:1]
            grot, gpos = trial.fk()
            world = skeleton.landmark_positions(target, grot, gpos)
            rot = face_hand_rotation(grot[:, jh], side, fingers, palm)
            pl = elbow_pole(side, out=1.0, back=0.0) if pole is None else np.asarray(pole, dtype=np.float64)
            wp = {"x": Waypoint(world, rot, pl)}
            res = solve_reach(
                trial,
                ReachPlan(side, "x", (), effector=tuple(eff)),  # type: ignore[arg-type]
                wp,
                np.zeros(1),
                wrist_iterations=6 if soft_wrist else 4,
                soft_wrist=soft_wrist,
            )
            flex = float(np.degrees(res.elbow_flex[0]))
            grot, gpos = trial.fk()
            hq = grot[0, jh]
            hand_w = grot[0, skeleton.index(f"{side}Hand")]
            r = quat.mul(quat.conj(hq), hand_w)
            origin = quat.rotate(quat.conj(hq), gpos[0, skeleton.index(f"{side}Hand")] - gpos[0, jh])
        clear = np.inf
        for shift in [np.zeros(3), *[np.asarray(x, dtype=np.float64) for x in shifts]]:
            p = origin + shift + quat.rotate(r, pts) - centre
            depth = (1.0 - np.sqrt(np.sum((p / axes) ** 2, axis=-1))) * float(axes.min())
            clear = min(clear, -float(depth.max()))
        if clear >= clearance:
            if elbow_range is None or body is None or elbow_range[0] <= flex <= elbow_range[1]:
                return fingers, palm
            if first_clear is None:
                first_clear = (fingers, palm)
        if clear > best_clear:
            best, best_clear = (fingers, palm), clear
    return first_clear if first_clear is not None else best
