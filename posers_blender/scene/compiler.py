"""The score compiler: plan the steps, sample each one, join it to what came before, assemble one clip.

Each step is sampled on its own, in its own frame (at the origin, facing +Z),
with :func:`~..engine.sampler.sample`, then joined at its seam:

1. **place** it where the scene is: its stance centre on the feet the last
   step left, facing the current heading (or the step's ``face``);
2. **turn** the body from the old heading to the new one when they differ
   (minimum jerk, the feet stepping round with it);
3. **hand over the arms**: a hand that must go somewhere else relative to
   the chest is carried there by a reach (:mod:`.arms`);
4. **inertialise** every joint and the pelvis from the old motion's last
   pose and velocity (:mod:`.inertialize`), so position, heading and speed
   carry through the seam and only the new motion is ever evaluated;
5. **lock the feet**: planted feet stay where they were until the new motion
   (or a settle step) lifts them, and the legs are solved to them (:mod:`.feet`);
6. **look** at the step's ``look_at`` point (:mod:`.look`).

The same score and seed give bit-identical arrays: every step's seed is
derived from the score's seed and the step's index.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine import quat
from ..engine.clip import Clip
from ..engine.params import ParamError
from ..engine.sampler import sample
from ..engine.skeleton import DEFAULT_HEIGHT, Skeleton, default_avatar
from ..registry import get
from . import anticipate, arms, feet, graph, inertialize, look
from .graph import HOLD, WALK, Step
from .score import Score, ScoreError

Array = NDArray[np.float64]
Y = np.array([0.0, 1.0, 0.0])

#: Inertialization half-lives (s) by body part [E]: the head settles first (gaze leads the body), the trunk
#: next, the arms and hands last (follow-through of the distal segments).
HALFLIFE_S = {"head": 0.12, "trunk": 0.18, "arm": 0.24, "hand": 0.3, "leg": 0.18}
HIPS_POS_HALFLIFE_S = 0.22
FACE_HALFLIFE_S = 0.08
#: A walk is over when the ankles move slower than this (m/s) and the pelvis slower than HIPS_REST (m/s).
FEET_REST, HIPS_REST = 0.01, 0.03
WALK_SETTLE_S = 0.3  # kept after a walk comes to rest, before the next item
TURN_MIN_RAD = math.radians(graph.TURN_MIN_DEG)


def _part(bone: str) -> str:
    if bone in ("neck", "head") or "Eye" in bone or bone == "jaw":
        return "head"
    if any(k in bone for k in ("Thumb", "Index", "Middle", "Ring", "Little")) or bone.endswith("Hand"):
        return "hand"
    if any(k in bone for k in ("Shoulder", "Arm")):
        return "arm"
    if any(k in bone for k in ("Leg", "Foot", "Toes")):
        return "leg"
    return "trunk"


HALFLIVES = np.array([HALFLIFE_S[_part(b)] for b in hm.BONES])[:, None]
#: After a lead-in (:mod:`.anticipate`) the head holds its turn longer, so it waits for the body to follow [E].
LEAD_HEAD_HALFLIFE_S = 0.35
HALFLIVES_LEAD = np.where(HALFLIVES == HALFLIFE_S["head"], LEAD_HEAD_HALFLIFE_S, HALFLIVES)


@dataclass(frozen=True)
class Segment:
    """Where a step sits in the composed clip: frames ``[start, end)``; ``enter`` the transition into it."""

    name: str
    motion: str
    kind: str
    enter: str
    start: int
    end: int
    item: int | None  # 0-based index in the score (None for an inserted hold)
    hands: tuple[str, ...] = ()  # the hands carried into it by a reach ("left", "right")


@dataclass
class Scene:
    """A composed score: one clip and the segments it is made of."""

    clip: Clip
    segments: list[Segment]
    score: Score
    notes: list[str] = field(default_factory=list)

    def segment_clip(self, k: int) -> Clip:
        """Segment ``k`` as its own clip (transition into it included), for one NLA strip per item."""
        seg = self.segments[k]
        c = self.clip
        a, b = seg.start, seg.end
        t0, t1 = a / c.fps, b / c.fps
        return Clip(
            fps=c.fps,
            lrot=c.lrot[a:b].copy(),
            hips_pos=c.hips_pos[a:b].copy(),
            skeleton=c.skeleton,
            expressions={n: v[a:b].copy() for n, v in c.expressions.items()},
            gaze=None if c.gaze is None else c.gaze[a:b].copy(),
            markers=[(t - t0, m) for t, m in c.markers if t0 <= t < t1],
            meta=dict(c.meta, motion=seg.motion, segment=seg.name, duration=(b - a) / c.fps, segments=[]),
        )


@dataclass(frozen=True)
class End:
    """The scene so far, as the next step needs it: last two frames, feet, heading (rad) and stance centre."""

    lrot: Array  # [2, J, 4]
    hips: Array  # [2, 3]
    expressions: dict[str, Array]  # name -> [2]
    gaze: Array  # [2, 3]
    feet: feet.FootState
    heading: float
    centre: Array  # [2] floor (x, z)
    look_at: tuple[float, float, float] | None


# -- small geometry ------------------------------------------------------------------------------------
def _yaw(angle: float | Array) -> Array:
    return quat.from_axis_angle(Y, np.asarray(angle, dtype=np.float64))


def _rot_xz(angle: float, xz: Array) -> Array:
    """Floor vectors ``[..., 2]`` turned by heading ``angle`` (rad): +Z goes to (sin, cos)."""
    c, s = math.cos(angle), math.sin(angle)
    x, z = xz[..., 0], xz[..., 1]
    return np.stack([c * x + s * z, -s * x + c * z], axis=-1)


def _heading_of_feet(grot: Array) -> float:
    """Stance heading (rad) from the two feet's rotations ``[2, 4]``: their mean pointing direction."""
    f = quat.rotate(grot, np.array([0.0, 0.0, 1.0])).sum(axis=0)
    return math.atan2(float(f[0]), float(f[2]))


def _wrap(a: float) -> float:
    return (a + math.pi) % (2.0 * math.pi) - math.pi


def _trim(clip: Clip, n: int) -> Clip:
    n = max(2, min(n, clip.n_frames))
    return Clip(
        fps=clip.fps,
        lrot=clip.lrot[:n].copy(),
        hips_pos=clip.hips_pos[:n].copy(),
        skeleton=clip.skeleton,
        expressions={k: v[:n].copy() for k, v in clip.expressions.items()},
        gaze=None if clip.gaze is None else clip.gaze[:n].copy(),
        markers=[(t, m) for t, m in clip.markers if t < n / clip.fps],
        meta=dict(clip.meta, duration=n / clip.fps),
    )


def step_seed(seed: int, index: int) -> int:
    """The seed of the ``index``-th step: independent streams, fixed by the score's seed."""
    return int(np.random.SeedSequence([int(seed), int(index)]).generate_state(1)[0])


# -- 1. sampling ---------------------------------------------------------------------------------------
def _rest_frame(clip: Clip) -> int | None:
    """First frame from which the walker stands still to the end, or None."""
    _, gpos = clip.fk()
    idx = [hm.INDEX["leftFoot"], hm.INDEX["rightFoot"]]
    fv = np.linalg.norm(np.diff(gpos[:, idx][:, :, [0, 2]], axis=0), axis=2).max(axis=1) * clip.fps
    hv = np.linalg.norm(np.diff(clip.hips_pos[:, [0, 2]], axis=0), axis=1) * clip.fps
    moving = np.nonzero((fv > FEET_REST) | (hv > HIPS_REST))[0]
    if len(moving) == 0:
        return 0
    last = int(moving[-1]) + 1
    return None if last >= clip.n_frames - 2 else last


def _walk_local_target(step: Step, heading: float, origin: Array, lr: float) -> tuple[float, float]:
    assert step.to is not None
    local = _rot_xz(-heading, np.asarray(step.to) - origin) / lr
    for name, v in (("x", local[0]), ("z", local[1])):
        if abs(v) > 20.0:
            raise ScoreError(
                f"{step.item.label if step.item else step.name}: target {list(step.to)} is {abs(v) * lr:.1f} m away "
                f"along {name}; one walk goes at most {20 * lr:.0f} m: split it into several walks"
            )
    return float(local[0]), float(local[1])


def sample_walk(step: Step, score: Score, skeleton: Skeleton, seed: int, heading: float, origin: Array) -> Clip:
    """Sample a walk to ``step.to`` from ``origin`` facing ``heading``, trimmed to when it stands still."""
    assert step.program is not None and step.item is not None
    lr = skeleton.leg_ratio
    tx, tz = _walk_local_target(step, heading, origin, lr)
    params = dict(step.params, path="target", target_x=tx, target_z=tz)
    params.update(in_place=False, start_from_stand=True, stop_at_end=True)
    speed = float(params["speed"]) * math.sqrt(lr)
    duration = max(1.4 * math.hypot(tx, tz) * lr / speed + 4.0, step.seconds or 0.0)
    for _ in range(3):
        clip = sample(step.program, params, seed=seed, fps=score.fps, duration=duration, skeleton=skeleton)
        rest = _rest_frame(clip)
        if rest is not None:
            break
        duration += 4.0
    else:  # pragma: no cover - the walk engine always stops on a finite path
        raise ScoreError(f"{step.item.label}: the walk did not come to rest; report this score")
    needed = rest / score.fps
    if step.seconds is not None:
        if needed > step.seconds + 1e-9:
            raise ScoreError(
                f"{step.item.label}: walking there takes {needed:.1f} s; raise 'seconds' to at least "
                f"{math.ceil(needed * 10) / 10:g} or leave it out"
            )
        return _trim(clip, int(round(step.seconds * score.fps)))
    return _trim(clip, rest + int(round(WALK_SETTLE_S * score.fps)))


def sample_stand(step: Step, score: Score, skeleton: Skeleton, seed: int) -> Clip:
    """Sample a standing step for its ``seconds``, or until its ``until`` marker."""
    assert step.program is not None and step.item is not None
    until = step.item.until
    duration = step.seconds if step.seconds is not None else graph.UNTIL_DEFAULT_MAX
    clip = sample(step.program, step.params, seed=seed, fps=score.fps, duration=duration, skeleton=skeleton)
    if until is None:
        return clip
    times = sorted(t for t, m in clip.markers if m == until.marker)
    if len(times) < until.count:
        names = sorted({m for _, m in clip.markers})
        raise ScoreError(
            f"{step.item.label}: 'until' wants {until.count} '{until.marker}' marker(s) but {duration:g} s of it has "
            f"{len(times)}; raise 'seconds' or lower 'count' (its markers: {', '.join(names) or 'none'})"
        )
    return _trim(clip, int(round((times[until.count - 1] + until.after) * score.fps)))


#: A hold (a turn on the spot with no standing motion around it) breathes, sways and blinks: idle-breathe's own
#: movement relative to its first frame is layered on the held pose, without its gestures and glances (the head
#: is turning toward where the body goes).
ALIVE_MOTION = "idle-breathe"
ALIVE_PARAMS = {"gesture_weight": 0.0, "gaze_weight": 0.0}
#: Bones the alive layer leaves alone: the legs are solved to the stepping feet anyway.
ALIVE_SKIP = ("UpperLeg", "LowerLeg", "Foot", "Toes")
ALIVE_MASK = np.array([not any(k in b for k in ALIVE_SKIP) for b in hm.BONES])


def alive_layer(seconds: float, fps: float, skeleton: Skeleton, seed: int) -> Clip:
    """The breathing, sway and blinks of :data:`ALIVE_MOTION` for ``seconds``, in its own frame."""
    program = get(ALIVE_MOTION)
    params = program.schema.validate(ALIVE_PARAMS).to_dict()
    return sample(program, params, seed=seed, fps=fps, duration=seconds, skeleton=skeleton)


def hold_clip(end: End, alive: Clip) -> Clip:
    """The last pose held (in the stance's own frame) for ``alive``'s frames, moving as ``alive`` moves from its
    first frame: each joint's rotation from frame 0 is applied on top (local, right-multiplied), the pelvis's
    displacement is added, and the face and eyes are ``alive``'s."""
    n, fps = alive.n_frames, alive.fps
    lrot = np.repeat(end.lrot[-1:], n, axis=0)
    lrot[:, 0] = quat.mul(_yaw(-end.heading), lrot[:, 0])
    residual = quat.mul(quat.conj(alive.lrot[:1]), alive.lrot)
    lrot[:, ALIVE_MASK] = quat.normalize(quat.mul(lrot[:, ALIVE_MASK], residual[:, ALIVE_MASK]))
    h = end.hips[-1].copy()
    h[[0, 2]] = _rot_xz(-end.heading, h[[0, 2]] - end.centre)
    hips = h[None] + (alive.hips_pos - alive.hips_pos[:1])
    # the feet stay where the held pose has them: the legs follow the pelvis's sway
    grot, gpos = alive.skeleton.fk(lrot[:1], np.repeat(h[None], 1, axis=0))
    ankle, fgrot = feet.feet_of(alive.skeleton, grot, gpos)
    lrot, hips = feet.solve_legs(alive.skeleton, lrot, hips, np.repeat(ankle, n, axis=0), np.repeat(fgrot, n, axis=0))
    gaze: Array = np.repeat(end.gaze[-1:], n, axis=0)
    if alive.gaze is not None:
        moved = gaze + (alive.gaze - alive.gaze[:1])
        gaze = moved / np.maximum(np.linalg.norm(moved, axis=1, keepdims=True), 1e-9)
    return Clip(
        fps,
        lrot,
        hips,
        alive.skeleton,
        expressions={k: v.copy() for k, v in alive.expressions.items()},
        gaze=gaze,
        meta={"motion": "hold", "params": {}, "seed": alive.meta.get("seed", 0), "fps": fps, "duration": n / fps},
    )


def start_pose(walk: Step, score: Score, skeleton: Skeleton, seed: int) -> End:
    """The scene's start (origin, facing +Z) as a still stance: the walk's own first frame."""
    assert walk.to is not None
    heading = math.atan2(walk.to[0], walk.to[1])
    first = _trim(sample_walk(walk, score, skeleton, seed, heading, np.zeros(2)), 2)
    first.lrot[1], first.hips_pos[1] = first.lrot[0], first.hips_pos[0]
    placed = place(first, 0.0, -stance_centre(first))
    return end_of(placed, 0.0, None)


# -- 2. placing and turning ----------------------------------------------------------------------------
def place(clip: Clip, heading: float, origin: Array) -> Clip:
    """The clip moved from its own frame to the floor point ``origin [2]`` facing ``heading`` (rad)."""
    out = replace(clip, lrot=clip.lrot.copy(), hips_pos=clip.hips_pos.copy())
    out.lrot[:, 0] = quat.mul(_yaw(heading), clip.lrot[:, 0])
    out.hips_pos = quat.rotate(_yaw(heading), clip.hips_pos)
    out.hips_pos[:, [0, 2]] += origin
    return out


def stance_centre(clip: Clip, frame: int = 0) -> Array:
    """Floor midpoint ``[2]`` of the ankles on a frame."""
    grot, gpos = clip.skeleton.fk(clip.lrot[frame], clip.hips_pos[frame])
    a = gpos[[hm.INDEX["leftFoot"], hm.INDEX["rightFoot"]]]
    return np.asarray(a[:, [0, 2]].mean(axis=0))


def _rot_about(xz: Array, angle: float | Array, centre: Array) -> Array:
    """Floor points ``[F, 2]`` turned by heading ``angle`` (rad, scalar or ``[F]``) about ``centre [2]``."""
    rel = xz - centre
    c, s = np.cos(angle), np.sin(angle)
    return np.stack([centre[0] + c * rel[:, 0] + s * rel[:, 1], centre[1] - s * rel[:, 0] + c * rel[:, 1]], axis=-1)


def turn_body(lrot: Array, hips: Array, remaining: Array, centre: Array) -> tuple[Array, Array]:
    """The body turned by ``remaining [F]`` (rad, the part of the turn still to make) about ``centre``."""
    lrot = lrot.copy()
    lrot[:, 0] = quat.mul(_yaw(remaining), lrot[:, 0])
    hips = hips.copy()
    hips[:, [0, 2]] = _rot_about(hips[:, [0, 2]], remaining, centre)
    return lrot, hips


# -- 3-4. the seam -------------------------------------------------------------------------------------
def join(placed: Clip, step: Step, end: End, lead: bool = False) -> Clip:
    """Join a placed step to the scene: turn, inertialise, lock the feet (see the module docstring).

    ``lead``: the old piece's head already turned toward this step (:func:`look_ahead`)."""
    fps, sk = placed.fps, placed.skeleton
    grot, gpos = placed.fk()
    ankle, fgrot = feet.feet_of(sk, grot, gpos)
    # the turn still to make: the old heading minus the new one (0 for walks, whose paths turn themselves)
    delta = _wrap(end.heading - step_heading(placed)) if step.kind != WALK else 0.0
    if abs(delta) <= TURN_MIN_RAD:
        delta = 0.0
    a0 = ankle[0].copy()
    a0[:, [0, 2]] = _rot_about(a0[:, [0, 2]], delta, end.centre)
    turned = feet.FootState(a0, quat.mul(_yaw(delta), fgrot[0]))
    d, c = feet.seam_correction(end.feet, turned)
    steps = feet.plan_steps(d, c, fps, placed.n_frames, -delta) if step.kind != WALK else None
    lk = feet.lock(d, c, ankle, fps, steps, delta, end.centre)
    lrot, hips = placed.lrot, placed.hips_pos
    if delta and steps is not None:
        lrot, hips = turn_body(lrot, hips, delta * (1.0 - feet.body_progress(steps, placed.n_frames)), end.centre)
    hands = [] if step.kind == HOLD else arms.plan_handovers(sk, end.lrot[-1], end.hips[-1], lrot, hips, step.hand_s)
    lrot = arms.hand_over(sk, end.lrot[-1], end.hips[-1], lrot, hips, fps, hands)
    lrot = inertialize.rotations(end.lrot, lrot, fps, HALFLIVES_LEAD if lead else HALFLIVES)
    hips = inertialize.vectors(end.hips, hips, fps, HIPS_POS_HALFLIFE_S)
    target = ankle + lk.offset
    if steps is not None:
        hips = hips + feet.weight_shift(steps, target, hips, fps)
    target[..., 1] += lk.lift
    lrot, hips = feet.solve_legs(sk, lrot, hips, target, lk.foot_rotations(fgrot))
    expressions = {}
    for name in sorted(set(placed.expressions) | set(end.expressions)):
        new = placed.expressions.get(name, np.zeros(placed.n_frames))
        old = end.expressions.get(name, np.zeros(2))
        expressions[name] = np.clip(inertialize.vectors(old, new, fps, FACE_HALFLIFE_S), 0.0, 1.0)
    gaze = placed.gaze if placed.gaze is not None else np.tile([0.0, 0.0, 1.0], (placed.n_frames, 1))
    gaze = inertialize.vectors(end.gaze, gaze, fps, FACE_HALFLIFE_S)
    gaze /= np.maximum(np.linalg.norm(gaze, axis=1, keepdims=True), 1e-9)
    meta = dict(placed.meta, hands=[h.side for h in hands])
    return replace(placed, lrot=lrot, hips_pos=hips, expressions=expressions, gaze=gaze, meta=meta)


def step_heading(placed: Clip) -> float:
    """Heading (rad) a placed clip starts with: its hips' yaw on frame 0."""
    f = quat.rotate(placed.lrot[0, 0], np.array([0.0, 0.0, 1.0]))
    return math.atan2(float(f[0]), float(f[2]))


def end_of(piece: Clip, heading: float, look_at: tuple[float, float, float] | None) -> End:
    grot, gpos = piece.skeleton.fk(piece.lrot[-1:], piece.hips_pos[-1:])
    ankle, fgrot = feet.feet_of(piece.skeleton, grot, gpos)
    gaze = piece.gaze if piece.gaze is not None else np.tile([0.0, 0.0, 1.0], (piece.n_frames, 1))
    return End(
        lrot=piece.lrot[-2:].copy(),
        hips=piece.hips_pos[-2:].copy(),
        expressions={k: v[-2:].copy() for k, v in piece.expressions.items()},
        gaze=gaze[-2:].copy(),
        feet=feet.FootState(ankle[0], fgrot[0]),
        heading=heading,
        centre=ankle[0][:, [0, 2]].mean(axis=0),
        look_at=look_at,
    )


# -- the orchestrator -----------------------------------------------------------------------------------
def compose(score: Score, skeleton: Skeleton | None = None) -> Scene:
    """Compile a score into one clip (raises :class:`ScoreError` naming the item; nothing is half-made)."""
    if skeleton is None:
        try:
            skeleton = default_avatar(score.height or DEFAULT_HEIGHT)
        except ValueError as exc:
            raise ScoreError(f"score: height: {exc}") from None
    steps = graph.plan(score)
    pieces: list[Clip] = []
    end: End | None = None
    if steps[0].kind == HOLD:  # the score starts with a walk behind: turn from the walk's own standing start
        end = start_pose(steps[1], score, skeleton, step_seed(score.seed, 1))
    for i, step in enumerate(steps):
        seed = step_seed(score.seed, i)
        heading = end.heading if end is not None else 0.0
        centre = end.centre if end is not None else np.zeros(2)
        try:
            if step.kind == WALK:
                local = sample_walk(step, score, skeleton, seed, heading, centre)
            elif step.kind == HOLD:
                assert end is not None
                local = hold_clip(end, alive_layer(step.seconds or 1.0, score.fps, skeleton, seed))
            else:
                local = sample_stand(step, score, skeleton, seed)
        except ParamError as exc:
            if isinstance(exc, ScoreError):
                raise
            raise ScoreError(f"{step.item.label if step.item else step.name}: {exc}") from None
        if step.face is not None and step.kind != WALK:
            heading = step.face
        placed = place(local, heading, centre - _rot_xz(heading, stance_centre(local)))
        lead = False
        if end is not None and pieces:
            end, lead = look_ahead(pieces, step, end)
        piece = placed if end is None else join(placed, step, end, lead)
        if step.look_at is not None:
            look.apply(piece, np.asarray(step.look_at), ramp_in=end is None or end.look_at != step.look_at)
        if step.kind == WALK:
            grot, _ = piece.skeleton.fk(piece.lrot[-1:], piece.hips_pos[-1:])
            heading = _heading_of_feet(grot[0, [hm.INDEX["leftFoot"], hm.INDEX["rightFoot"]]])
        pieces.append(piece)
        end = end_of(piece, heading, step.look_at)
    return assemble(score, steps, pieces)


def next_direction(step: Step, end: End) -> Array | None:
    """The floor direction ``[3]`` the next step goes or looks toward, if it is somewhere new."""
    if step.look_at is not None and step.look_at != end.look_at:
        d = np.array([step.look_at[0] - end.centre[0], 0.0, step.look_at[2] - end.centre[1]])
    elif step.kind == WALK and step.to is not None:
        d = np.array([step.to[0] - end.centre[0], 0.0, step.to[1] - end.centre[1]])
    elif step.face is not None:
        d = np.array([math.sin(step.face), 0.0, math.cos(step.face)])
    else:
        return None
    return d if np.linalg.norm(d) > 1e-6 else None


def look_ahead(pieces: list[Clip], step: Step, end: End) -> tuple[End, bool]:
    """Anticipation: the end of the last piece looks toward the next step's direction; the new end, and
    whether it turned."""
    direction = next_direction(step, end)
    if direction is None or not anticipate.lead_in(pieces[-1], direction, end.heading):
        return end, False
    return end_of(pieces[-1], end.heading, end.look_at), True


def assemble(score: Score, steps: list[Step], pieces: list[Clip]) -> Scene:
    """Concatenate the joined pieces into one clip with the segments and provenance in ``meta``."""
    fps = score.fps
    segments = []
    start = 0
    markers: list[tuple[float, str]] = []
    names = sorted({k for p in pieces for k in p.expressions})
    for step, piece in zip(steps, pieces):
        n = piece.n_frames
        item = step.item.index if step.item else None
        hands = tuple(piece.meta.get("hands", ()))
        segments.append(Segment(step.name, step.motion, step.kind, step.enter, start, start + n, item, hands))
        markers += [(start / fps + t, m) for t, m in piece.markers]
        start += n
    gazes = [p.gaze if p.gaze is not None else np.tile([0.0, 0.0, 1.0], (p.n_frames, 1)) for p in pieces]
    meta: dict[str, Any] = {
        "motion": "scene",
        "version": "1",
        "title": score.title,
        "params": {},
        "seed": score.seed,
        "fps": fps,
        "duration": start / fps,
        "skeleton": pieces[0].skeleton.name,
        "segments": [s.__dict__ for s in segments],
    }
    clip = Clip(
        fps=fps,
        lrot=quat.continuous(np.concatenate([p.lrot for p in pieces]), axis=0),
        hips_pos=np.concatenate([p.hips_pos for p in pieces]),
        skeleton=pieces[0].skeleton,
        expressions={k: np.concatenate([p.expressions.get(k, np.zeros(p.n_frames)) for p in pieces]) for k in names},
        gaze=np.concatenate(gazes),
        markers=sorted(markers),
        meta=meta,
    )
    return Scene(clip, segments, score)
