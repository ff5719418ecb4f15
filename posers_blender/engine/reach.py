"""Reaching: a hand carried to targets along curved minimum-jerk paths by two-bone arm IK.

Reusable by every hand-to-body or hand-to-object gesture (smoking, face touch,
chin rest, drinking, phone). Everything is vectorised over the clip's time
grid: a reach is planned as data and evaluated for all frames at once inside
a :class:`~posers_blender.engine.program.Tracks`-based motion.

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

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import humanoid as hm
from . import ik, quat
from .curves import minimum_jerk
from .hand import grip_pose
from .program import HINGE_AXES, LIMBS, LimbRoot, Tracks, solve_two_bone
from .skeleton import Landmark, Skeleton

Array = NDArray[np.float64]

_PROFILE_SAMPLES = 2049


@lru_cache(maxsize=32)
def _profile_table(a: float, b: float) -> tuple[Array, Array]:
    u = np.linspace(0.0, 1.0, _PROFILE_SAMPLES)
    v = u**a * (1.0 - u) ** b
    # cumulative trapezoid, normalised to end at 1
    c = np.concatenate([[0.0], np.cumsum(0.5 * (v[1:] + v[:-1]) * np.diff(u))])
    return u, c / c[-1]


def speed_profile(u: ArrayLike, peak_at: float = 0.5) -> Array:
    """Position 0 -> 1 over ``u`` in [0, 1] (clamped) with one bell-shaped speed peak at ``peak_at``.

    The speed is proportional to ``u^a (1 - u)^b`` with ``a/(a+b) = peak_at``
    and the smaller exponent 2, so velocity and acceleration are zero at both
    ends. ``peak_at = 0.5`` is exactly the minimum-jerk profile (Flash & Hogan
    1985, facts §4); an earlier peak gives the long deceleration of accurate
    movements toward the face (facts §4: 0.40-0.45).
    """
    if not 0.2 <= peak_at <= 0.8:
        raise ValueError(f"peak_at = {peak_at} must be within 0.2-0.8")
    if abs(peak_at - 0.5) < 1e-9:
        return minimum_jerk(u)
    a, b = (2.0, 2.0 * (1.0 - peak_at) / peak_at) if peak_at < 0.5 else (2.0 * peak_at / (1.0 - peak_at), 2.0)
    tu, tc = _profile_table(round(a, 9), round(b, 9))
    return np.interp(np.clip(np.asarray(u, dtype=np.float64), 0.0, 1.0), tu, tc)


@dataclass(frozen=True)
class Waypoint:
    """Where the effector goes: ``position [3] | [F, 3]`` (world), the hand's world ``rotation [4] | [F, 4]``
    there, and the elbow ``pole`` (world direction from the shoulder, ``[3] | [F, 3]``).

    ``effector`` (``[3]``, metres in the hand bone's frame), if given, is the point of the hand that lands on
    ``position`` here instead of the plan's effector: the fingertips on the lips, the palm on a hip, the
    knuckles under the chin. A track ``position`` may move while the hand is there: a rub or a slow drift is
    a waypoint that moves (see :func:`strokes`).
    """

    position: ArrayLike
    rotation: ArrayLike
    pole: ArrayLike
    effector: ArrayLike | None = None


@dataclass(frozen=True)
class Move:
    """One transport of the effector to waypoint ``to``, starting (hand onset) at ``start`` for ``duration`` s.

    ``bulge`` is a world hint direction for the sideways arc (its component
    perpendicular to the chord is used); ``curvature`` is the largest path
    deviation as a fraction of the chord. The overshoot runs along the
    approach unless ``overshoot_dir`` (world) is given, e.g. along the face
    rather than into it. ``grip`` (0..1), if given, is the
    finger-grip weight reached on arrival (see :func:`grip_weight`).
    ``elbow_by_angle`` makes the elbow's delayed progress run on its flexion
    angle rather than on the shoulder-wrist distance: from a nearly straight
    arm (a hanging hand) the distance barely changes while the angle already
    moves fast, so by distance the elbow would seem to start before the
    shoulder; by angle it starts ``elbow_delay`` after it.
    """

    start: float
    duration: float
    to: str
    peak_at: float = 0.43
    curvature: float = 0.12
    bulge: tuple[float, float, float] = (0.0, 0.0, 1.0)
    overshoot: float = 0.005
    settle: float = 0.3
    overshoot_dir: tuple[float, float, float] | None = None
    elbow_delay: float = 0.04
    wrist_delay: float = 0.08
    grip: float | None = None
    elbow_by_angle: bool = False

    @property
    def end(self) -> float:
        return self.start + self.duration


@dataclass(frozen=True)
class ReachPlan:
    """An arm's reach schedule: ``side`` (``left``/``right``), the ``initial`` waypoint name, ``moves`` in time
    order, and the ``effector`` offset (metres) in the hand bone's frame."""

    side: str
    initial: str
    moves: tuple[Move, ...]
    effector: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def __post_init__(self) -> None:
        if self.side not in ("left", "right"):
            raise ValueError(f"side must be 'left' or 'right', not {self.side!r}")
        for m0, m1 in zip(self.moves, self.moves[1:]):
            if m1.start < m0.end - 1e-9:
                raise ValueError(
                    f"moves overlap: one to '{m0.to}' ends at {m0.end:.3f} s, next starts {m1.start:.3f} s"
                )
        for m in self.moves:
            if m.elbow_delay < 0 or m.wrist_delay < m.elbow_delay or m.wrist_delay >= m.duration:
                raise ValueError("need 0 <= elbow_delay <= wrist_delay < duration (proximal-to-distal order)")


@dataclass
class ReachResult:
    """What :func:`solve_reach` produced.

    ``planned [F, 3]``: the planned wrist path (the IK targets); ``achieved [F, 3]``: the
    effector after IK and FK (with per-waypoint effectors, the point of the hand that lands on the waypoint
    the hand is at or moving to, switched with the wrist's progress); ``wrist [F, 3]``: the wrist after IK;
    ``elbow_flex [F]``: elbow flexion (radians); ``reached [F]``: IK reached the
    wrist target; ``windows``: ``(start, end, to)`` per move; ``waypoint_reached``: per waypoint name,
    ``[F]`` whether the arm reaches that waypoint's wrist position at each frame.
    """

    planned: Array
    achieved: Array
    wrist: Array
    elbow_flex: Array
    reached: NDArray[np.bool_]
    windows: list[tuple[float, float, str]] = field(default_factory=list)
    waypoint_reached: dict[str, NDArray[np.bool_]] = field(default_factory=dict)


# -- small vector helpers --------------------------------------------------------


def _norm3(v: Array) -> float:
    """Length of a 3-vector written out (a BLAS dot may round differently with memory alignment; clips must be
    bit-identical for the same seed)."""
    return float(np.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]))


def _unit(v: Array) -> Array:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


def _track(x: ArrayLike, n: int, width: int) -> Array:
    a = np.asarray(x, dtype=np.float64)
    return np.broadcast_to(a, (n, width)).copy() if a.ndim == 1 else a.copy()


def _slerp_dir(a: Array, b: Array, s: Array) -> Array:
    """Spherical interpolation of unit vectors ``[F, 3]`` by ``s [F]``."""
    d = np.clip(np.sum(a * b, axis=-1), -1.0, 1.0)
    th = np.arccos(d)
    sn = np.sin(th)
    small = sn < 1e-6
    safe = np.where(small, 1.0, sn)
    wa = np.where(small, 1.0 - s, np.sin((1.0 - s) * th) / safe)
    wb = np.where(small, s, np.sin(s * th) / safe)
    return _unit(wa[:, None] * a + wb[:, None] * b)


def hand_rotation(finger_dir: ArrayLike, palm_dir: ArrayLike, side: str) -> Array:
    """World rotation ``[..., 4]`` of a hand bone whose fingers point along ``finger_dir`` and palm faces ``palm_dir``.

    In the T-pose the left hand's fingers point +X, the right hand's -X, and
    both palms face -Y. ``palm_dir`` is made perpendicular to ``finger_dir``.
    """
    s = hm.side_sign(side + "Hand")
    f = _unit(np.asarray(finger_dir, dtype=np.float64))
    n = np.asarray(palm_dir, dtype=np.float64)
    n = _unit(n - np.sum(n * f, axis=-1, keepdims=True) * f)
    m = np.stack([f, n, np.cross(f, n)], axis=-1)  # columns
    f0 = np.array([s, 0.0, 0.0])
    n0 = np.array([0.0, -1.0, 0.0])
    m0 = np.stack([f0, n0, np.cross(f0, n0)], axis=-1)
    # m @ m0.T written out: a BLAS matmul may round differently with memory alignment, and a clip must be
    # bit-identical for the same seed
    r = sum(m[..., :, k, None] * m0[None, :, k] for k in range(3))
    return quat.from_matrix(r)


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
    does, the first clear one.
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
            res = solve_reach(trial, ReachPlan(side, "x", (), effector=tuple(eff)), wp, np.zeros(1))  # type: ignore[arg-type]
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


def elbow_pole(side: str, out: float = 0.6, down: float = 1.0, back: float = 0.25) -> Array:
    """A world elbow-pole direction: down, out to the arm's side and a little back ("elbow low and out")."""
    s = hm.side_sign(side + "Hand")
    return _unit(np.array([s * out, -down, -back]))


@dataclass(frozen=True)
class WristLimits:
    """Wrist and forearm limits (degrees) kept by :func:`solve_reach`: facts §8 ROM less a margin, since
    comfortable poses stay inside the ADL envelope (facts §4: wrist -40/+38, forearm -53/+13 in ADL)."""

    flexion: float = 60.0
    extension: float = 55.0
    radial: float = 15.0
    ulnar: float = 28.0
    pronation: float = 70.0
    supination: float = 75.0


def wrist_components(local: ArrayLike, side: str) -> tuple[Array, Array, Array]:
    """(flexion, radial deviation, supination) in radians of hand-local rotations ``[..., 4]``.

    Twist about the forearm axis is supination (+, palm from down toward
    ahead in the T-pose) / pronation (-); the swing of the finger axis,
    measured in the twisted hand frame, gives flexion (+ toward the palm) and
    radial deviation (+ toward the thumb). Same convention as
    :func:`posers_blender.quality.handmouth.wrist_angles`.
    """
    s = hm.side_sign(side + "Hand")
    q = np.asarray(local, dtype=np.float64)
    axis = np.array([s, 0.0, 0.0])
    swing, twist = quat.swing_twist(q, axis)
    sup = -quat.twist_angle(q, np.array([1.0, 0.0, 0.0]))
    f = quat.rotate(quat.mul(quat.conj(twist), quat.mul(swing, twist)), axis)
    along = s * f[..., 0]
    return np.arctan2(-f[..., 1], along), np.arctan2(f[..., 2], along), sup


def clamp_wrist(local: ArrayLike, side: str, limits: WristLimits | None = None) -> Array:
    """Hand-local rotations ``[..., 4]`` with flexion, deviation and forearm twist clamped to ``limits``."""
    lim = limits or WristLimits()
    s = hm.side_sign(side + "Hand")
    flex, rad, sup = wrist_components(local, side)
    r = np.radians
    flex = np.clip(flex, -r(lim.extension), r(lim.flexion))
    rad = np.clip(rad, -r(lim.ulnar), r(lim.radial))
    sup = np.clip(sup, -r(lim.pronation), r(lim.supination))
    f = np.stack([s * np.ones_like(flex), -np.tan(flex), np.tan(rad)], axis=-1)
    swing = quat.between(np.array([s, 0.0, 0.0]), f)
    twist = quat.from_axis_angle(np.array([1.0, 0.0, 0.0]), -sup)
    return quat.normalize(quat.mul(twist, swing))


def _soft_range(x: Array, lo: float, hi: float, margin: float) -> Array:
    """Softly confine ``x`` to ``[lo, hi]``: unchanged inside ``[lo + margin, hi - margin]``, saturating (C1)."""
    a, b = lo + margin, hi - margin
    up = b + margin * np.tanh((x - b) / margin)
    dn = a - margin * np.tanh((a - x) / margin)
    return np.where(x > b, up, np.where(x < a, dn, x))


def comfortable_wrist(skeleton: Skeleton, side: str, local: ArrayLike) -> Array:
    """Hand local rotations ``[F, 4]`` with flexion, deviation and twist *softly* kept inside everyday ranges.

    The soft alternative to :func:`clamp_wrist` for poses that move continuously with the body (a hand held
    on the chin while the head turns): no kink where a limit is met. Measured about this avatar's own hand
    axis (wrist to middle knuckle) as the quality suite's joint limits do, forearm twist first, then the
    wrist bends about the turned axes (local = twist * swing). Facts §4 ADL envelope: wrist
    flexion/extension -40..+38°, deviation 20° ulnar..5° radial; §8 ROM extension 70, flexion 75-90, radial
    20, ulnar 30-45, forearm 70-90 each way. The bounds sit between the two (a gesture may reach further
    than a meal, never past the ROM).
    """
    s = hm.side_sign(side + "Hand")
    q = np.asarray(local, dtype=np.float64)
    mid = f"{side}MiddleProximal"
    axis = skeleton.offsets[hm.INDEX[mid]] if skeleton.has(mid) else np.array([s, 0.0, 0.0])
    axis = axis / _norm3(axis)
    _, twist = quat.swing_twist(q, axis)
    swing = quat.mul(quat.conj(twist), q)
    rv = np.degrees(quat.to_scaled_axis(swing))
    flex = _soft_range(-s * rv[:, 2], -60.0, 75.0, 15.0)  # + flexion (palm-ward)
    dev = _soft_range(-s * rv[:, 1], -35.0, 15.0, 8.0)  # + radial
    rv[:, 2] = -s * flex
    rv[:, 1] = -s * dev
    tw = _soft_range(np.degrees(quat.twist_angle(q, axis)), -60.0, 60.0, 15.0)
    return quat.mul(quat.from_axis_angle(axis, np.radians(tw)), quat.from_scaled_axis(np.radians(rv)))


# -- timing ------------------------------------------------------------------


def move_progress(times: Array, m: Move) -> tuple[Array, Array, Array]:
    """(shoulder, elbow, wrist) progress 0..1 per frame for one move: staggered onsets, common arrival."""
    t = np.asarray(times, dtype=np.float64)
    s_dir = speed_profile((t - m.start) / m.duration, m.peak_at)
    s_rad = speed_profile((t - m.start - m.elbow_delay) / (m.duration - m.elbow_delay), m.peak_at)
    s_wr = speed_profile((t - m.start - m.wrist_delay) / (m.duration - m.wrist_delay), m.peak_at)
    return s_dir, s_rad, s_wr


def onset_delay(m: Move, frac: float = 0.05) -> float:
    """Seconds after ``m.start`` at which the move has covered ``frac`` of its way (its shoulder progress):
    where a speed threshold first sees the hand move (a minimum-jerk start has zero speed)."""
    u = np.linspace(0.0, 1.0, 1025)
    return float(np.interp(frac, speed_profile(u, m.peak_at), u)) * m.duration


def approach_weight(
    times: Array,
    plan: ReachPlan,
    names: Iterable[str],
    delay: float = 0.0,
    duration: float | None = None,
) -> Array:
    """0..1 per frame: 1 while the hand is at (or travelling to) one of the waypoints ``names``.

    Each change starts ``delay`` s after the move's onset and lasts
    ``duration`` s (default: the rest of the move), minimum jerk. A negative
    ``delay`` leads the hand.
    """
    wanted = set(names)
    t = np.asarray(times, dtype=np.float64)
    cur = 1.0 if plan.initial in wanted else 0.0
    out = np.full_like(t, cur)
    for m in plan.moves:
        new = 1.0 if m.to in wanted else 0.0
        if new != cur:
            d = duration if duration is not None else max(m.duration - delay, 0.05)
            out = out + (new - cur) * minimum_jerk((t - m.start - delay) / max(d, 1e-3))
            cur = new
    return out


def waypoint_values(
    times: Array, plan: ReachPlan, values: Mapping[str, ArrayLike], delay: float = 0.0, default: ArrayLike = 0.0
) -> Array:
    """A scalar per frame ``[F]`` that takes ``values[name]`` (scalar or ``[F]``) at each waypoint and changes
    with the moves: each move blends from the value before it to its waypoint's value along the move's own
    speed profile, starting ``delay`` s after the move's onset (finger curl that follows the wrist, say).
    Waypoints missing from ``values`` take ``default``."""
    t = np.asarray(times, dtype=np.float64)
    n = len(t)

    def val(name: str) -> Array:
        return np.broadcast_to(np.asarray(values.get(name, default), dtype=np.float64), (n,))

    out = val(plan.initial).copy()
    for m in plan.moves:
        d = max(m.duration - delay, 1e-3)
        s = speed_profile((t - m.start - delay) / d, m.peak_at)
        out = out + (val(m.to) - out) * s
    return out


def strokes(rng: np.random.Generator, times: Array, t0: float, t1: float, count: int) -> Array:
    """A rub: irregular back-and-forth in [-1, 1] between ``t0`` and ``t1`` (s), ``count`` minimum-jerk strokes
    of random length and amplitude (0.5-1), ending at 0. Add it, scaled along a body direction, to a
    waypoint's position track so the hand rubs while it is there. ``[F]``."""
    t = np.asarray(times, dtype=np.float64)
    out = np.zeros_like(t)
    if count <= 0 or t1 <= t0:
        return out
    cuts = np.sort(rng.uniform(t0, t1, size=max(count - 1, 0)))
    edges = np.concatenate([[t0], cuts, [t1]])
    prev = 0.0
    for i in range(count):
        target = (1.0 if i % 2 == 0 else -1.0) * rng.uniform(0.5, 1.0) if i < count - 1 else 0.0
        out += (target - prev) * minimum_jerk((t - edges[i]) / max(edges[i + 1] - edges[i], 0.15))
        prev = target
    return out


def grip_weight(times: Array, plan: ReachPlan, initial: float = 0.0, lead: float = 0.25) -> Array:
    """Finger-grip weight 0..1 per frame: each move with a ``grip`` value closes/opens toward it starting ``lead`` s
    before arrival and finishing just before arrival (facts §4: finger closure starts with the homing phase,
    after ~75% of movement time)."""
    t = np.asarray(times, dtype=np.float64)
    out = np.full_like(t, initial)
    cur = initial
    for m in plan.moves:
        if m.grip is None or m.grip == cur:
            continue
        ld = min(lead, 0.9 * m.duration)
        out = out + (m.grip - cur) * minimum_jerk((t - (m.end - ld)) / (0.9 * ld))
        cur = m.grip
    return out


def anticipation(
    times: Array,
    plan: ReachPlan,
    waypoints: Mapping[str, Waypoint],
    amplitude: float = 0.005,
    lead: float = 0.05,
    rise: float | None = None,
    hold: float = 0.0,
    relax: float = 1.0,
    persistent: bool = False,
    axis_weights: tuple[float, float, float] = (1.0, 0.0, 1.0),
    direction: ArrayLike | None = None,
    home: Iterable[str] | None = None,
    onset_frac: float = 0.0,
) -> Array:
    """Anticipatory pelvis shift ``[F, 3]`` (hips offset, metres) for every move of ``plan``.

    Facts §4 (APA, Zattara & Bouisset 1988): postural muscles act 30-80 ms
    before the arm, the COP moves backward before a forward arm raise; shift
    magnitude 2-10 mm [E]. The pelvis moves opposite to the horizontal
    direction of the hand's travel, starting ``lead`` s before hand onset,
    rising over ``rise`` s (default: until the hand's speed peak), holding
    ``hold`` s and relaxing over ``relax`` s. With ``persistent`` the shift
    is a counterbalance that stays while the hand is away from ``initial``
    (its level is set by the direction from ``initial`` to the move's
    waypoint) and goes back when the hand returns, so the body is still
    while the hand settles on its target. ``axis_weights`` scale the world
    x/y/z parts (default horizontal only). ``direction`` (world, ``[3]`` or
    ``[F, 3]``), if given, replaces the opposite-of-the-hand rule for moves
    away from ``initial``: e.g. backward for a hand-to-mouth, whose hand
    comes back toward the body while the upper arm (most of the arm's mass)
    swings forward. ``home`` (persistent only) names the waypoints where the
    hand is at rest, so no counterbalance is held (default: ``initial``),
    e.g. both the hanging hand and a held pose the arm moves into.
    ``onset_frac`` > 0 measures ``lead`` from the hand's detectable onset (the
    time the move has covered that fraction of its way, see
    :func:`onset_delay`) instead of the move's mathematical start, where a
    minimum-jerk transport has zero speed.
    """
    t = np.asarray(times, dtype=np.float64)
    n = len(t)
    out = np.zeros((n, 3))
    prev = plan.initial
    level = np.zeros(3)
    rest = {plan.initial} if home is None else set(home)
    for m in plan.moves:
        if onset_frac > 0:
            m = replace(m, start=m.start + onset_delay(m, onset_frac))
        if persistent:
            i = int(np.clip(np.searchsorted(t, m.start), 0, n - 1))
            if m.to in rest:
                new = np.zeros(3)
            elif direction is not None:
                dd = _track(direction, n, 3)[i] * np.asarray(axis_weights)
                new = amplitude * dd / max(_norm3(dd), 1e-9)
            else:
                d = _track(waypoints[m.to].position, n, 3)[i] - _track(waypoints[plan.initial].position, n, 3)[i]
                d = d * np.asarray(axis_weights)
                norm = _norm3(d)
                new = -amplitude * d / norm if norm > 1e-6 else np.zeros(3)
            r = m.peak_at * m.duration + lead if rise is None else rise
            out += (new - level) * minimum_jerk((t - m.start + lead) / r)[:, None]
            level = new
            continue
        i = int(np.clip(np.searchsorted(t, m.start), 0, n - 1))
        p0 = _track(waypoints[prev].position, n, 3)[i]
        p1 = _track(waypoints[m.to].position, n, 3)[min(i + int(m.duration * (n / max(t[-1], 1e-9))), n - 1)]
        d = (p1 - p0) * np.asarray(axis_weights)
        norm = _norm3(d)
        if norm > 1e-6:
            r = m.peak_at * m.duration + lead if rise is None else rise
            env = minimum_jerk((t - m.start + lead) / r) - minimum_jerk((t - m.start + lead - r - hold) / relax)
            out -= amplitude * env[:, None] * (d / norm)
        prev = m.to
    return out


# -- the solver --------------------------------------------------------------


def _ik(sk: Skeleton, root: LimbRoot, wrist: Array, pole_world: Array, shoulder: Array) -> tuple[Array, Array]:
    """Solve the arm for wrist targets; returns (lowerArm world rotation [F, 4], elbow flex [F])."""
    sol = solve_two_bone(sk, root, wrist, shoulder + pole_world)
    fore = quat.mul(sol.upper_grot, sol.lower_lrot)
    return fore, sol.flex


def solve_reach(
    tracks: Tracks,
    plan: ReachPlan,
    waypoints: Mapping[str, Waypoint],
    times: Array,
    wrist_limits: WristLimits | None = None,
    wrist_iterations: int = 4,
    soft_wrist: bool = False,
) -> ReachResult:
    """Pose one arm of ``tracks`` along ``plan``; vectorised over all frames.

    Each waypoint is solved once to find where the wrist must be and how the
    hand sits on the forearm there. The wrist then follows straight chords
    between those wrist positions with the shoulder's progress (plus a
    sideways bulge, ``curvature``), while its distance from the shoulder (what
    the elbow does) follows the elbow's delayed progress, so the shoulder
    leads the elbow. With ``soft_wrist`` the wanted hand rotation is kept
    in range by :func:`comfortable_wrist` instead of :func:`clamp_wrist`. The hand's
    rotation relative to the forearm is blended with the wrist's progress. At
    every waypoint the effector lands exactly on its target with the wanted
    hand rotation.
    """
    t = np.asarray(times, dtype=np.float64)
    n = len(t)
    limb = f"{plan.side}Arm"
    _, _, hand = LIMBS[limb]
    sk = tracks.skeleton
    plan_eff = np.asarray(plan.effector, dtype=np.float64)
    root = tracks.limb_root(limb)  # the body does not move while the arm tries its waypoints
    shoulder = root.upper_gpos

    # Per waypoint: effector track, hand world rotation, pole, and the wrist-local rotation there.
    names = [plan.initial] + [m.to for m in plan.moves]
    wp: dict[str, tuple[Array, Array, Array, Array, Array]] = {}
    effs: dict[str, Array] = {}
    flexes: dict[str, Array] = {}
    ok: dict[str, NDArray[np.bool_]] = {}
    for name in dict.fromkeys(names):
        w = waypoints[name]
        eff = plan_eff if w.effector is None else np.asarray(w.effector, dtype=np.float64)
        effs[name] = eff
        pos = _track(w.position, n, 3)
        rot = quat.normalize(_track(w.rotation, n, 4))
        pole = _unit(_track(w.pole, n, 3))
        # The wanted hand rotation is a preference, the effector position a must: keep the wrist inside its
        # limits and re-solve until the clamped hand and the wrist position agree.
        hand_w = rot
        for _ in range(wrist_iterations):
            wrist = pos - quat.rotate(hand_w, eff)
            fore, _ = _ik(sk, root, wrist, pole, shoulder)
            want = quat.mul(quat.conj(fore), rot)
            local = comfortable_wrist(sk, plan.side, want) if soft_wrist else clamp_wrist(want, plan.side, wrist_limits)
            hand_w = quat.normalize(quat.mul(fore, local))
        wrist = pos - quat.rotate(hand_w, eff)
        fore, _ = _ik(sk, root, wrist, pole, shoulder)
        local = quat.normalize(quat.mul(quat.conj(fore), hand_w))
        wp[name] = (pos, rot, pole, local, wrist)
        sol = solve_two_bone(sk, root, wrist, shoulder + pole)
        ok[name], flexes[name] = sol.reached, sol.flex

    pos0, _, pole0, local0, wr0 = wp[plan.initial]
    path = wr0.copy()  # wrist path along straight chords between the waypoints' wrist positions
    radius = np.linalg.norm(wr0 - shoulder, axis=-1)  # distance shoulder-wrist: what the elbow does
    flex = flexes[plan.initial].copy()
    j_lo, j_hand = sk.index(LIMBS[limb][1]), sk.index(hand)
    hinge = HINGE_AXES[LIMBS[limb][1]]
    over = np.zeros((n, 3))
    pole = pole0.copy()
    local = local0.copy()
    eff_track = np.broadcast_to(effs[plan.initial], (n, 3)).copy()  # the hand point that leads, per frame
    extra = np.zeros((n, 3))
    windows: list[tuple[float, float, str]] = []
    for m in plan.moves:
        _, _, pole1, local1, wr1 = wp[m.to]
        s_dir, s_rad, s_wr = move_progress(t, m)
        active = t >= m.start - 1e-9
        if not active.any():
            continue
        prev = path.copy()
        chord = wr1 - prev
        path = np.where(active[:, None], prev + chord * s_dir[:, None], path)
        # The elbow (the wrist's distance from the shoulder) follows its own, delayed progress.
        if m.elbow_by_angle:
            flex = np.where(active, flex + (flexes[m.to] - flex) * s_rad, flex)
            r1 = ik.chain_length(sk.offsets[j_lo], sk.offsets[j_hand], hinge, flex)
            radius = np.where(active, r1, radius)
        else:
            r1 = np.linalg.norm(wr1 - shoulder, axis=-1)
            radius = np.where(active, radius + (r1 - radius) * s_rad, radius)
            flex = np.where(active, flex + (flexes[m.to] - flex) * s_rad, flex)
        pole = np.where(active[:, None], _slerp_dir(pole, pole1, s_dir), pole)
        local = np.where(active[:, None], quat.slerp(local, local1, s_wr), local)
        eff_track = eff_track + (effs[m.to] - eff_track) * s_wr[:, None]
        # sideways bulge (zero at both ends) and the overshoot along the approach direction
        clen = np.linalg.norm(chord, axis=-1)
        ch = _unit(chord)
        hint = np.asarray(m.bulge, dtype=np.float64)
        perp = hint - np.sum(hint * ch, axis=-1, keepdims=True) * ch
        perp = np.where(np.linalg.norm(perp, axis=-1, keepdims=True) > 1e-6, _unit(perp), 0.0)
        extra = extra * (1.0 - s_dir)[:, None] + (m.curvature * clen * 4.0 * s_dir * (1.0 - s_dir))[:, None] * perp
        tail = 0.3 * m.duration
        g = minimum_jerk((t - (m.end - tail)) / tail) - minimum_jerk((t - m.end) / max(m.settle, 1e-3))
        i_end = int(np.clip(np.searchsorted(t, m.end), 0, n - 1))
        o_dir = ch[i_end] if m.overshoot_dir is None else _unit(np.asarray(m.overshoot_dir, dtype=np.float64))
        over += m.overshoot * g[:, None] * o_dir
        windows.append((m.start, m.end, m.to))

    wrist = shoulder + _unit(path + extra - shoulder) * radius[:, None] + over
    sol = tracks.solve_limb(limb, wrist, shoulder + pole, root=root)
    flex, reached = sol.flex, sol.reached
    tracks.lrot[:, sk.index(hand)] = local
    hand_grot, wrist_fk = tracks.bone_pose(hand)
    achieved = wrist_fk + quat.rotate(hand_grot, eff_track)
    return ReachResult(
        planned=wrist,
        achieved=achieved,
        wrist=wrist_fk,
        elbow_flex=flex,
        reached=reached,
        windows=windows,
        waypoint_reached=ok,
    )


def cigarette_landmarks(skeleton: Skeleton, side: str, style: str = "cigarette") -> dict[str, Landmark]:
    """``cigaretteFilter`` (mouth end, the lip-contact point) and ``cigaretteEmber`` (lit end) on the hand bone.

    The cigarette sits where grip ``style`` holds it, computed from this
    skeleton's own finger bones posed in the grip: for ``cigarette`` at the
    middle of the index and middle fingers' PIP joints (the proximal
    interphalangeal crease, facts §5), its axis along the palm normal with the
    filter on the palm side; for ``pinch`` between the thumb and index tips,
    its axis tilted 30° distally from the palm normal. Cigarette size: 84 mm
    long, held 28 mm from the filter, scaled by the hand's length against a
    1.65 m adult's (0.178 m) so the prop matches the hand. Offsets are in the
    hand bone's frame (= world axes at rest) and stay valid for any finger
    pose of the holding fingers (the grip is held whole-clip).
    """
    s = hm.side_sign(side + "Hand")
    rest = skeleton.rest_positions()
    hand = rest[skeleton.index(f"{side}Hand")]
    tip = skeleton.landmarks.get(f"{side}HandTip")
    hand_len = float(np.linalg.norm(np.asarray(tip.offset))) if tip else 0.178
    k = float(np.clip(hand_len / 0.178, 0.5, 1.5))
    # FK of the hand alone in the grip (hand bone at identity)
    lrot = quat.identity((len(hm.BONES),))
    for bone, q in grip_pose(side, style).items():
        lrot[hm.INDEX[bone]] = q
    grot, gpos = skeleton.fk(lrot, skeleton.offsets[0])
    palm = np.array([0.0, -1.0, 0.0])
    if style == "pinch":
        pts = []
        for finger in ("Thumb", "Index"):
            name = f"{side}{finger}Tip"
            if name in skeleton.landmarks:
                pts.append(skeleton.landmark_positions(name, grot, gpos))
            else:
                pts.append(gpos[skeleton.index(f"{side}{finger}Distal" if finger == "Index" else f"{side}ThumbDistal")])
        grip_pt = 0.5 * (pts[0] + pts[1])
        axis = _unit(palm * np.cos(np.radians(30)) + np.array([s, 0.0, 0.0]) * np.sin(np.radians(30)))
    else:
        pips = [gpos[skeleton.index(f"{side}{f}Intermediate")] for f in ("Index", "Middle")]
        grip_pt = 0.5 * (pips[0] + pips[1])
        if not (skeleton.has(f"{side}IndexIntermediate") and skeleton.has(f"{side}MiddleIntermediate")):
            grip_pt = hand + np.array([s * 0.7 * hand_len, 0.0, 0.0])
        axis = palm
    # finger half-thickness below the bone line, then the filter length
    filt = grip_pt - hand + axis * (0.008 + 0.028) * k
    ember = grip_pt - hand - axis * (0.084 - 0.028 - 0.008) * k
    return {
        "cigaretteFilter": Landmark(f"{side}Hand", tuple(float(x) for x in filt)),  # type: ignore[arg-type]
        "cigaretteEmber": Landmark(f"{side}Hand", tuple(float(x) for x in ember)),  # type: ignore[arg-type]
    }


def speed(points: Array, fps: float) -> Array:
    """Tangential speed ``[F]`` (m/s) of a point track ``[F, 3]`` by central differences."""
    return np.linalg.norm(np.gradient(np.asarray(points, dtype=np.float64), 1.0 / fps, axis=0), axis=-1)


def segment_indices(times: Array, windows: Sequence[tuple[float, float, str]]) -> list[tuple[int, int, str]]:
    """Frame index ranges ``[i0, i1)`` of move windows."""
    t = np.asarray(times)
    return [(int(np.searchsorted(t, a)), int(np.searchsorted(t, b)), name) for a, b, name in windows]
