"""The arms of the standing body: the hanging pose, then every held pose and gesture as reach waypoints on the body.

Each waypoint is a :class:`Touch` from the table :data:`TOUCHES`: a contact point of the hand (fingertips,
palm, knuckles) on a body target tracked per frame (lips, chin, neck, hip, the other arm), a designed hand
orientation and an elbow pole low and out; rubs and wringing are strokes of the held waypoint.
:func:`~posers_blender.engine.reach.solve_reach` carries the hand between them (one speed peak per transport,
shoulder -> elbow -> wrist cascade, curved paths, overshoot and settle), the clavicle leading by
``shoulder_lead`` and the fingers following ``finger_lag`` behind. :func:`pose_arms` reports the gestures
this avatar's arm cannot reach; the orchestrator drops them and re-plans.

Numbers cite ``human_motion_facts.md`` §4 (reaching), §6 (self-touch sites) and §7 (postures); [E] marks
estimates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ... import humanoid as hm
from .. import quat, reach, targets
from ..curves import minimum_jerk
from ..hand import curl_fingers
from ..program import HINGE_AXES, Context, Tracks
from ..skeleton import Skeleton
from ..springs import damp_track
from .arm_plan import ArmPlan
from .body import Body, wander
from .micro import Micro
from .poses import Poses
from .schedule import ArmShift, Schedule
from .style import RESETTLE, SIDES, StandingStyle

Array = NDArray[np.float64]
Vec = tuple[float, float, float]
rot = quat.from_axis_angle_deg
X = np.array([1.0, 0.0, 0.0])
Z = np.array([0.0, 0.0, 1.0])


#: The bones :func:`pose_arms` rotates (the clavicles) or solves (the arms), restored from :class:`Hanging` before
#: every trial pose; the fingers it sets afresh (:func:`_curl`) before anything reads them.
ARM_BONES = [hm.INDEX[f"{side}{b}"] for side, _ in SIDES for b in ("Shoulder", "UpperArm", "LowerArm", "Hand")]
#: The fastest a transport may turn the upper arm, forearm or hand at its speed peak (deg/s) [E]: under the standing
#: 99th-percentile joint speed of 300 deg/s (metrics §9 A8), with room for the overshoot, the micro-motion and the
#: hand fidgets laid on top. A face touch flexes the elbow ~125 deg, so it takes ~1 s (facts §4: 0.8-1.0 s).
MAX_TRANSPORT_SPEED = 270.0
#: Degrees the hanging arms swing per degree the trunk's sway runs ahead of them (their follow-through) [E]. At 3
#: this common drive moved both wrists as one: their speeds on the hips correlated 0.53 against ReActIdle's 0.26
#: (realism check, idle-breathe seeds 0-2, pooled); at 2 they read 0.12-0.45 per seed (people 0.18-0.38) and the
#: check fell 0.737 -> 0.701 (seeds 0-8: 0.80 -> 0.77); at 0 they correlated 0.03 and held too little motion below 4 Hz.
ARM_FOLLOW_GAIN = 2.0


@dataclass
class Hanging:
    """The relaxed hanging arms every arm pose starts from: the local rotations of the bones :func:`pose_arms`
    composes onto or solves (:data:`ARM_BONES`, by index: ``[F, 4]``, or ``[4]`` for a bone held still; it sets
    the fingers afresh, and leaves the rest of the body as it is), each hand's finger curl (deg, ``[F]``), the rub strokes (``[F]``, by
    schedule index, of the gestures that rub; drawn once, kept for every re-plan) and each wrist's drift from
    the arm's fitted micro-motion (m, ``[F, 3]`` in the upperChest frame), which held poses that touch nothing
    exact keep a share of."""

    lrot: dict[int, Array]
    curl: dict[str, Array]
    strokes: dict[int, Array]
    drift: dict[str, Array]

    def strokes_of(self, gestures: Iterable[int]) -> list[Array]:
        """The rub strokes of these gestures (schedule indices), those that rub."""
        return [self.strokes[i] for i in gestures if i in self.strokes]


def hang_arms(
    ctx: Context,
    tr: Tracks,
    style: StandingStyle,
    sched: Schedule,
    body: Body,
    rngs: dict[str, np.random.Generator],
    micro: Micro,
) -> Hanging:
    """Pose the relaxed hanging arms on ``tr``: they lag the trunk's sway a little (follow-through), not the
    deliberate APA shift before a gesture (that would swing the hand just before it sets off: a second speed
    peak), and carry the arms' fitted micro-motion; the fingers wander around ``finger_curl``."""
    sk = tr.skeleton
    t = ctx.times
    hang = 90.0 - style.arm_hang
    trunk = tr.hips_offset - body.apa
    arm = max(sk.bone_length("leftUpperArm") + sk.bone_length("leftLowerArm"), 0.1)
    lag = (trunk - damp_track(trunk, 0.25, 1.0 / ctx.fps, ramp=True)) / arm
    curl = {}
    for side, s in SIDES:
        fwd, out, elbow = _shifted_hang(t, [a for a in sched.arm_shifts if a.side == side])
        swing_fwd = np.degrees(lag[:, 2]) * ARM_FOLLOW_GAIN + fwd
        swing_out = np.degrees(lag[:, 0]) * ARM_FOLLOW_GAIN * s - out
        tr.set(
            f"{side}UpperArm",
            quat.mul(
                quat.mul(rot(X, -style.arm_forward - swing_fwd), rot(Z, -s * (hang + swing_out))),
                rot(X, style.arm_twist),  # the mirrored arm's bone runs along -X: the same sign turns it in
            ),
        )
        tr.set(f"{side}LowerArm", rot(HINGE_AXES[f"{side}LowerArm"], np.maximum(style.elbow_flex + elbow, 3.0)))
        tr.set(f"{side}Hand", rot(Z, -s * 6.0))
        curl[side] = _soft_floor(style.finger_curl + wander(rngs["fingers"], t, 0.15)[:, 0] * 3.0, 1.0)
        curl_fingers(tr, side, curl[side], np.full(len(t), style.finger_curl))
    micro_bones = [hm.INDEX[f"{side}{b}"] for side, _ in SIDES for b in ("UpperArm", "LowerArm")]
    still, before = _wrists_in_chest(tr), tr.lrot[:, micro_bones]
    for side, _ in SIDES:
        upper, lower = micro.arms[side]
        tr.rotate(f"{side}UpperArm", quat.from_scaled_axis(upper))
        tr.rotate(f"{side}LowerArm", quat.from_scaled_axis(lower))
    moved = _wrists_in_chest(tr)
    drift = {side: moved[side] - still[side] for side, _ in SIDES}
    if style.arm_mode != "sides":
        # a held pose keeps its share of the drift (Touch.drift); the hanging pose is then only where the hand
        # comes from or goes to, and a moving start would split the transport's single speed peak
        tr.lrot[:, micro_bones] = before
    rng = rngs["render"]
    strokes = {  # (a gesture without strokes draws nothing: the schedule's other gestures keep no zero tracks)
        i: reach.strokes(rng, t, g.t + g.rise, g.t + g.rise + g.hold, g.strokes)
        for i, g in enumerate(sched.gestures)
        if g.strokes > 0
    }
    return Hanging(_columns(tr.lrot, ARM_BONES), curl, strokes, drift)


def _shifted_hang(t: Array, shifts: list[ArmShift]) -> tuple[Array, Array, Array]:
    """One arm's re-placements as minimum-jerk steps (deg, ``[F]`` each): upper arm forward, out, elbow."""
    acc = np.zeros((3, len(t)))
    for a in shifts:
        acc += minimum_jerk((t - a.t) / max(a.duration, 1e-3))[None, :] * np.array([[a.forward], [a.out], [a.elbow]])
    return acc[0], acc[1], acc[2]


def _soft_floor(x: Array, width: float) -> Array:
    """``x`` kept above 0 smoothly (deg): ``x`` itself well above ``width``, ``width / 2`` at 0, never below. A
    finger curl wandering around a nearly straight ``finger_curl`` would otherwise bend the fingers back."""
    return 0.5 * (x + np.sqrt(x * x + width * width))


def _columns(lrot: Array, bones: list[int]) -> dict[int, Array]:
    """Copies of the bones' rotations ``[F, 4]`` (or ``[4]`` for a bone that holds one rotation, bit for bit, all
    clip)."""
    bits = lrot.view(np.int64)
    return {j: lrot[0, j].copy() if (bits[:, j] == bits[0, j]).all() else lrot[:, j].copy() for j in bones}


def _wrists_in_chest(tr: Tracks) -> dict[str, Array]:
    """Each wrist relative to its shoulder joint in the upperChest frame (m, ``[F, 3]``)."""
    p = Poses(tr)
    chest = quat.conj(p.grot("upperChest"))
    return {side: quat.rotate(chest, p.gpos(f"{side}Hand") - p.gpos(f"{side}UpperArm")) for side, _ in SIDES}


@dataclass
class PosedArms:
    """What :func:`pose_arms` did: ``failed`` the schedule indices of the gestures whose target the arm could not
    reach (empty when every reach landed); ``rest_reached`` per side given a rest target, ``[F]`` whether the
    arm reached it (frames the hand is elsewhere count as reached); ``too_fast`` the transports that turned a
    joint faster than :data:`MAX_TRANSPORT_SPEED`, ``{(gesture index, "rise" or "fall"): least duration s}``."""

    failed: set[int]
    rest_reached: dict[str, NDArray[np.bool_]]
    too_fast: dict[tuple[int, str], float] = field(default_factory=dict)


def rest_targets(ctx: Context, style: StandingStyle) -> dict[str, Array]:
    """Per side, where its ``leftHand``/``rightHand`` target puts the wrist at the hand's home ``[F, 3]``: the
    hanging hand's place, or the held pose's (hips, belly, under the other elbow), which the hand then holds away
    from the body if the target is. The chin hand's target is not a rest: it carries the head
    (:func:`carry_chin`)."""
    out = {}
    for side, _ in SIDES:
        goal = ctx.target_track(f"{side}Hand")
        if goal is not None and not (style.arm_mode == "chin" and side == style.support_side):
            out[side] = goal
    return out


def carry_chin(ctx: Context, tr: Tracks, style: StandingStyle, plans: dict[str, ArmPlan]) -> None:
    """The chin hand's target is where its fist holds the chin (the knuckles the chin rests on): the neck and head
    carry the chin there (within the neck's range) while the fist holds it, and the fist, placed on the chin
    afterwards, stays at the chin. Records the frames with the fist at the chin where the chin reached the
    target (within :data:`~posers_blender.engine.targets.CARRY_TOLERANCE`). Nothing without the target or
    outside the chin pose; call after the head is posed and before the arms."""
    side = style.support_side
    goal = ctx.target_track(f"{side}Hand")
    if style.arm_mode != "chin" or goal is None:
        return
    head_g, head_p = tr.bone_pose("head")
    chin = quat.rotate(quat.conj(head_g), tr.landmark("chin") - head_p)
    at_chin = reach.approach_weight(ctx.times, plans[side].plan, ["chin"])
    miss = targets.carry_head(tr, chin, goal, at_chin, ctx.fps)
    held = at_chin >= 1.0 - 1e-9
    targets.record_reach(ctx, f"{side}Hand", (miss <= targets.CARRY_TOLERANCE)[held] if held.any() else miss <= 0.0)


def pose_arms(
    tr: Tracks,
    t: Array,
    style: StandingStyle,
    plans: dict[str, ArmPlan],
    hanging: Hanging,
    rests: dict[str, Array] | None = None,
) -> PosedArms:
    """Pose both arms along ``plans`` on ``tr``, starting from the hanging pose, each hand's home at its place in
    ``rests`` (:func:`rest_targets`) when given."""
    for j, q in hanging.lrot.items():
        tr.lrot[:, j] = q
    _clavicles_lead(tr, t, style, plans)
    frames = _Frames.of(tr)
    # the chin hand first: the supporting hand cups that arm's elbow as posed
    order = [style.support_side, _other(style.support_side)] if style.arm_mode == "chin" else ["left", "right"]
    posed = PosedArms(set(), {})
    for side in order:
        rest_at = None if rests is None else rests.get(side)
        failed, reached = _pose_arm(tr, t, style, plans[side], frames, hanging, rest_at)
        posed.failed |= failed
        if reached is not None:
            posed.rest_reached[side] = reached
        for key, least in _too_fast(tr, t, side, plans[side]).items():
            posed.too_fast[key] = max(least, posed.too_fast.get(key, 0.0))
    return posed


def _too_fast(tr: Tracks, t: Array, side: str, ap_: ArmPlan) -> dict[tuple[int, str], float]:
    """The gesture transports of ``ap_`` (as posed on ``tr``) that turn the upper arm, forearm or hand faster than
    :data:`MAX_TRANSPORT_SPEED` at their speed peak, with the least duration that would not: each joint's turn
    is read at the frames nearest the move's start and end, where the hand is still."""
    joints = [hm.INDEX[f"{side}{b}"] for b in ("UpperArm", "LowerArm", "Hand")]
    out: dict[tuple[int, str], float] = {}
    for m, owner in zip(ap_.plan.moves, ap_.owners, strict=True):
        if owner is None or m.start > t[-1]:
            continue
        i0, i1 = (int(np.clip(np.rint(x * (len(t) - 1) / max(t[-1], 1e-9)), 0, len(t) - 1)) for x in (m.start, m.end))
        turns = np.degrees(quat.angle_between(tr.lrot[i0, joints], tr.lrot[i1, joints]))
        least = reach.least_duration(m, (float(turns[0]), float(turns[1]), float(turns[2])), MAX_TRANSPORT_SPEED)
        if m.duration < least:
            out[owner] = least
    return out


def arm_activity(t: Array, style: StandingStyle, plans: dict[str, ArmPlan]) -> dict[str, Array]:
    """Each arm's activity ``[F]``: 0 at the hanging rest, 1 away from it."""
    return {
        side: 1.0 - reach.approach_weight(t, plans[side].plan, ["rest"], delay=-style.shoulder_lead)
        for side, _ in SIDES
    }


def _other(side: str) -> str:
    return "right" if side == "left" else "left"


def _clavicles_lead(tr: Tracks, t: Array, style: StandingStyle, plans: dict[str, ArmPlan]) -> None:
    """The clavicle leads each reach (facts §4 proximal -> distal); held poses leave it."""
    for side, s in SIDES:
        ap_ = plans[side]
        if ap_.reaches():
            moving = reach.approach_weight(t, ap_.plan, ap_.reaches(), delay=-style.shoulder_lead)
            tr.rotate(f"{side}Shoulder", rot(Z, s * 4.0 * moving))


def _curl(tr: Tracks, side: str, curl: Array, style: StandingStyle) -> None:
    """Finger curl: the distal joints follow only half of any curl beyond the relaxed ``finger_curl``."""
    curl_fingers(tr, side, curl, np.minimum(curl, style.finger_curl + 0.5 * (curl - style.finger_curl)))


def _pose_arm(
    tr: Tracks, t: Array, style: StandingStyle, ap_: ArmPlan, frames: _Frames, hanging: Hanging, rest_at: Array | None
) -> tuple[set[int], NDArray[np.bool_] | None]:
    """Solve one arm along its plan (its home at ``rest_at`` when given); returns the gestures it could not reach
    and, with ``rest_at``, the frames it reached its home."""
    side = ap_.side
    if not ap_.plan.moves and ap_.plan.initial == "rest" and rest_at is None:  # hanging all clip: the base pose
        _curl(tr, side, hanging.curl[side], style)
        return set(), None
    wps, curls = _arm_waypoints(tr, style, ap_, frames, hanging, rest_at)
    res = reach.solve_reach(tr, ap_.plan, wps, t, wrist_iterations=6, soft_wrist=True)
    failed = set()
    for name, (g, on, hold) in ap_.gestures.items():
        held = (t >= on + g.rise) & (t <= on + g.rise + hold)
        if held.any() and np.mean(~res.waypoint_reached[name][held]) > 0.2:
            # this avatar's arm cannot make this touch (too short or too long for the spot): skip it rather
            # than fold the arm against its limits
            failed.add(int(name[1:]))
    _curl(tr, side, reach.waypoint_values(t, ap_.plan, curls, delay=style.finger_lag), style)
    return failed, None if rest_at is None else res.waypoint_reached[ap_.home]


def _arm_waypoints(
    tr: Tracks, style: StandingStyle, ap_: ArmPlan, frames: _Frames, hanging: Hanging, rest_at: Array | None = None
) -> tuple[dict[str, reach.Waypoint], dict[str, ArrayLike]]:
    """The waypoints (and finger curls) of ``ap_``'s arm on the body as posed now, its home's wrist at ``rest_at``
    when given (the hanging hand keeps all of its drift there, a held pose its share). The body's poses, read by
    FK along the chains the targets need, go when this returns: the solve does not hold them."""
    side = ap_.side
    body = frames.now(tr, side)
    wps: dict[str, reach.Waypoint] = {"rest": body.rest_waypoint()}
    curls: dict[str, ArrayLike] = {"rest": hanging.curl[side]}
    home = ap_.home
    if home == "rest" and rest_at is not None:  # the hanging hand's drift about the target, not off it
        wps["rest"] = _drifting(_wrist_at(wps["rest"], rest_at), body, _centred(hanging.drift[side]))
    if home != "rest":
        wps[home], curls[home] = _waypoint(TOUCHES[home], body, 0, hanging.strokes_of(i for i, _ in ap_.rubs))
        touch = TOUCHES[home]
        drift = hanging.drift[side] * touch.drift
        if rest_at is not None:
            wps[home], drift = _wrist_at(wps[home], rest_at), _centred(drift)
            wps[home] = _drifting(wps[home], body, drift)
        elif touch.slide < 1.0:
            wps[home] = _pivoting(wps[home], body, drift, touch.slide)
        else:
            wps[home] = _drifting(wps[home], body, drift)
    for name, (g, _, _) in ap_.gestures.items():
        wp, curl = _waypoint(TOUCHES[g.kind], body, g.site, hanging.strokes_of([int(name[1:])]))
        if g.kind == RESETTLE:  # the hand at its new spot drifts as at its held one
            wp = _pivoting(wp, body, hanging.drift[side] * TOUCHES[g.kind].drift, TOUCHES[g.kind].slide)
        w = style.gesture_weight  # below 1, a partial gesture layer: the hand goes part of the way from home
        wps[name], curls[name] = (wp, curl) if w >= 1.0 else _part_way(wps[home], wp, curl, curls[home], w)
    return wps, curls


# -- the body as one arm sees it ------------------------------------------------------------------------------------


@dataclass
class _Frames:
    """Global rotations ``[F, 4]`` of the body frames waypoints are given in (hips, upperChest, head), the hips
    position and each shoulder joint ``[F, 3]``: from the body with the clavicles posed, before any arm."""

    hips: Array
    chest: Array
    head: Array
    hips_p: Array
    shoulder: dict[str, Array]
    scale: float  # the skeleton's leg ratio

    @staticmethod
    def of(tr: Tracks) -> _Frames:
        p = Poses(tr)
        hips, chest, head = (p.grot(b) for b in ("hips", "upperChest", "head"))
        shoulder = {side: p.gpos(f"{side}UpperArm") for side, _ in SIDES}
        return _Frames(hips, chest, head, p.gpos("hips"), shoulder, tr.skeleton.leg_ratio)

    def now(self, tr: Tracks, side: str) -> _ArmBody:
        """The body for ``side``'s arm: these frames plus the pose as it is now (the other arm maybe solved)."""
        return _ArmBody(self, tr.skeleton, side, 1.0 if side == "left" else -1.0, Poses(tr))


@dataclass
class _ArmBody:
    """What one arm's targets read: the frames, the current pose (read by FK along the chains it needs), the side
    and its sign ``s`` (+1 left)."""

    f: _Frames
    sk: Skeleton
    side: str
    s: float
    poses: Poses

    @property
    def other(self) -> str:
        return _other(self.side)

    @property
    def scale(self) -> float:
        return self.f.scale

    def frame(self, name: str) -> Array:
        return {"hips": self.f.hips, "chest": self.f.chest, "head": self.f.head}[name]

    def joint(self, bone: str) -> Array:
        return self.poses.gpos(bone)

    def landmark(self, name: str) -> Array:
        return self.poses.landmark(name)

    def on_hips(self, off: Vec) -> Array:
        """A point fixed to the pelvis, ``off`` (m, default avatar) from the hips joint in the hips frame."""
        return self.f.hips_p + quat.rotate(self.f.hips, np.asarray(off) * self.scale)

    def rest_waypoint(self) -> reach.Waypoint:
        """The hanging hand as posed; its pole is the elbow's own offset from the shoulder-wrist line, so the IK
        gives the hanging arm back exactly (the hinge keeps the elbow bent, the offset never vanishes)."""
        hand = f"{self.side}Hand"
        sh = self.f.shoulder[self.side]
        e = self.joint(f"{self.side}LowerArm") - sh
        d = self.poses.gpos(hand) - sh
        d = d / np.linalg.norm(d, axis=1, keepdims=True)
        return reach.Waypoint(
            self.poses.gpos(hand), self.poses.grot(hand), e - np.sum(e * d, axis=1, keepdims=True) * d
        )


# -- body targets: where on the body the touching part of the hand goes, per frame ----------------------------------
# Each takes the arm's body, the site (which spot of the region) and the rub strokes ([F] each) made there.

Target = Callable[[_ArmBody, int, list[Array]], Array]


#: The hand's held place on the iliac crest (the left hand's, on the pelvis) and the other spots a resettle moves it to:
#: 2-3 cm forward, back, up or down [E].
_CREST = (0.125, 0.06, 0.01)
_CREST_SPOTS = ((0.0, 0.0, 0.025), (0.0, 0.0, -0.02), (0.0, 0.015, 0.005), (0.0, -0.015, 0.01))


def _iliac_crest(b: _ArmBody, site: int, strokes: list[Array]) -> Array:
    return b.on_hips((b.s * _CREST[0], _CREST[1], _CREST[2]))


def _iliac_spot(b: _ArmBody, site: int, strokes: list[Array]) -> Array:
    """Another spot on the iliac crest (:data:`_CREST_SPOTS`)."""
    spot = _CREST_SPOTS[site]
    return b.on_hips((b.s * _CREST[0], _CREST[1] + spot[1], _CREST[2] + spot[2]))


def _before_belly(b: _ArmBody, site: int, strokes: list[Array]) -> Array:
    return b.on_hips((b.s * 0.05, 0.13, 0.21))


def _chin(b: _ArmBody, site: int, strokes: list[Array]) -> Array:
    """The chin; a chin rub slides the fist side to side under it."""
    chin = b.landmark("chin")
    for r in strokes:
        chin = chin + quat.rotate(b.f.head, np.array([0.012, 0.0, 0.0]) * b.scale) * r[:, None]
    return chin


def _under_other_elbow(b: _ArmBody, site: int, strokes: list[Array]) -> Array:
    el = b.joint(f"{b.other}LowerArm")
    return el + quat.rotate(b.f.chest, np.array([0.0, -0.03, 0.0]) * b.scale)


def _face(b: _ArmBody, site: int, strokes: list[Array]) -> Array:
    """Mouth, nose, cheek or jaw (facts §6: mouth 36%, nose 31%, eyes 27%)."""
    s = b.s
    spot = [(0.0, -0.004, 0.012), (0.0, 0.03, 0.02), (s * 0.045, 0.02, -0.01), (s * 0.03, -0.03, -0.005)]
    return b.landmark("lips") + quat.rotate(b.f.head, np.array(spot[site]) * b.scale)


def _neck(b: _ArmBody, site: int, strokes: list[Array]) -> Array:
    """The front of the neck / suprasternal notch, the common pacifying neck touch; a hand on the nape or the
    same-side neck needs shoulder rotations past the ROM on some avatars."""
    neck = b.joint("neck") + quat.rotate(b.f.chest, np.array([b.s * 0.01, -0.01, 0.055]) * b.scale)
    for r in strokes:
        neck = neck + quat.rotate(b.f.chest, np.array([0.012, 0.008, 0.0]) * b.scale) * r[:, None]
    return neck


def _other_forearm(b: _ArmBody, site: int, strokes: list[Array]) -> Array:
    """The other arm just below the elbow; rubbing strokes run along the upper arm."""
    up = b.joint(f"{b.other}UpperArm")
    lo = b.joint(f"{b.other}LowerArm")
    goal = up + 0.55 * (lo - up) + quat.rotate(b.f.chest, np.array([0.0, 0.0, 0.045]) * b.scale)
    for r in strokes:
        goal = goal + 0.2 * (lo - up) * r[:, None]
    return goal


def _wringing(b: _ArmBody, site: int, strokes: list[Array]) -> Array:
    """Both hands meet in front of the belly and turn over each other (opposite strokes)."""
    s = b.s
    goal = b.on_hips((0.0, 0.1, 0.2)) + quat.rotate(b.f.hips, np.array([s * 0.03, 0.0, 0.0]) * b.scale)
    for r in strokes:
        goal = goal + quat.rotate(b.f.hips, np.array([0.0, 0.015, 0.012]) * b.scale) * (s * r[:, None])
    return goal


def _cheek(b: _ArmBody, site: int, strokes: list[Array]) -> Array:
    return b.landmark("lips") + quat.rotate(b.f.head, np.array([b.s * 0.045, 0.03, -0.02]) * b.scale)


@dataclass(frozen=True)
class Touch:
    """How a hand meets one body target. Vectors are the left hand's (the right hand mirrors x): ``fingers`` and
    ``palm`` the directions the fingers and the palm face in the ``frame`` body frame, ``pole`` the elbow pole
    direction in the chest frame (low and out), or ``elbow_at`` a point on the pelvis the elbow itself goes to.
    ``contact`` is the touching part of the hand (:func:`contact_local`), ``curl`` the finger curl (deg)."""

    target: Target
    contact: str
    curl: float
    frame: str
    fingers: Vec
    palm: Vec
    pole: Vec = (0.0, 0.0, 0.0)
    elbow_at: Vec | None = None
    drift: float = 0.0  # share of the hanging wrist's micro-motion drift a held pose keeps (0: exact contact)
    # share of that drift the contact itself slides; the hand turns about the contact for the rest, so the wrist
    # keeps all of it (a palm pressed on the hip rolls and slides a little, the wrist moves with the arm)
    slide: float = 1.0


#: Hands on the hips keep more than the hanging wrist's drift (ReActIdle's wrists, as the realism features read
#: them: 0.021 m/s on the hips, 5.4 mm wander in 2 s, the two wrists' speeds correlating 0.26; at 0.1 the hands
#: on the hips moved 0.004 m/s and 1.2 mm, both carried by the pelvis alone, correlating 0.83): the palm slides a
#: quarter of it on the crest (2 mm RMS, at most ~6 mm) and the hand rolls about the palm for the rest, which
#: moves the wrist only across the hand, so the whole drift there moved it 2.0 mm in 2 s and 1.6 times it 2.4.
_ON_HIP = Touch(
    _iliac_crest,
    "palm",
    25.0,
    "hips",
    (0.0, -0.45, 0.9),
    (-1.0, 0.0, 0.0),
    pole=(0.5, -0.2, -0.12),
    drift=1.6,
    slide=0.25,
)
_FIST_AT_CHIN = Touch(_chin, "knuckles", 80.0, "head", (-0.2, 0.85, 0.35), (0.0, -0.2, -1.0), pole=(0.25, -0.4, 0.1))

_ON_HIP_SPOT = replace(_ON_HIP, target=_iliac_spot)

#: Held poses (an arm's home) and gesture kinds, by name.
TOUCHES: dict[str, Touch] = {
    # palm on the iliac crest, fingers forward and down, elbow out and back (facts §7 pride display)
    "hips": _ON_HIP,
    # elbows in against the trunk, forearms forward, hands close in front of the belly (facts §7)
    "contract": Touch(
        _before_belly,
        "palm",
        35.0,
        "hips",
        (-0.6, -0.2, 0.75),
        (-0.7, -0.6, 0.0),
        elbow_at=(0.15, 0.14, 0.0),
        drift=0.3,
    ),
    # elbow down and a little out: never parallel to the hand path, so the swivel stays well conditioned
    "chin": _FIST_AT_CHIN,
    # the other hand cups the supporting elbow from below, palm up (contemplative lean) [E]
    "support": Touch(
        _under_other_elbow,
        "palm",
        35.0,
        "chest",
        (-1.0, 0.0, 0.15),
        (0.0, 1.0, 0.0),
        pole=(0.25, -0.4, -0.1),
        # 0.6 of the hanging wrist's drift, the palm sliding under the elbow: at 0.3 this hand moved 0.006 m/s on the
        # hips against ReActIdle's 0.021 (realism features; texture AUC 0.79 at 0.3, 0.73 at 0.6 and 1.0). At 1.0 the
        # arm's arrival under the elbow on cool_loops (seed 2) popped the elbow 3.5 cm in a frame: forearm 611°/s
        # (gate 600), since fixed at its cause (arm_plan.SUPPORT_FOLLOW)
        drift=0.6,
    ),
    "face_touch": Touch(_face, "fingers", 20.0, "head", (-0.35, 0.85, -0.3), (0.0, 0.0, -1.0), pole=(0.25, -0.4, 0.0)),
    "neck_touch": Touch(_neck, "fingers", 25.0, "chest", (-0.55, 0.75, 0.1), (0.0, 0.0, -1.0), pole=(0.3, -0.4, 0.05)),
    "arm_rub": Touch(
        _other_forearm, "palm", 25.0, "chest", (-0.5, -0.3, -0.8), (-0.5, 0.0, -0.8), pole=(0.15, -0.4, 0.0)
    ),
    "hand_wring": Touch(_wringing, "palm", 40.0, "hips", (-0.35, 0.35, 0.85), (-1.0, 0.0, 0.0), pole=(0.2, -0.4, -0.1)),
    "hip_touch": _ON_HIP,
    RESETTLE: _ON_HIP_SPOT,
    # the other hand to the chin (the chin hand rubs in place, see plan_arms)
    "chin_rub": Touch(_chin, "knuckles", 80.0, "head", (-0.2, 0.85, 0.35), (0.0, -0.2, -1.0), pole=(0.1, -0.45, 0.05)),
    # fingers along the cheek, the "thinker's" other hold [E]
    "hand_change": Touch(
        _cheek, "fingers", 30.0, "head", (-0.15, 0.95, -0.1), (-1.0, 0.0, -0.3), pole=(0.1, -0.45, 0.05)
    ),
}


def _mirror(v: Vec, s: float) -> Array:
    return np.asarray((s * v[0], v[1], v[2]), dtype=np.float64)


def _waypoint(touch: Touch, b: _ArmBody, site: int, strokes: list[Array]) -> tuple[reach.Waypoint, float]:
    """The reach waypoint (and finger curl) of ``touch`` for the arm of ``b``."""
    frame = b.frame(touch.frame)
    hrot = reach.hand_rotation(
        quat.rotate(frame, _mirror(touch.fingers, b.s)), quat.rotate(frame, _mirror(touch.palm, b.s)), b.side
    )
    if touch.elbow_at is not None:  # the elbow itself, as a direction from the shoulder
        pole = b.on_hips((b.s * touch.elbow_at[0], touch.elbow_at[1], touch.elbow_at[2])) - b.f.shoulder[b.side]
    else:
        pole = quat.rotate(b.f.chest, _mirror(touch.pole, b.s))
    effector = contact_local(b.sk, b.side, touch.contact, touch.curl)
    return reach.Waypoint(touch.target(b, site, strokes), hrot, pole, effector=effector), touch.curl


def _drifting(wp: reach.Waypoint, b: _ArmBody, drift: Array) -> reach.Waypoint:
    """``wp`` moved by ``drift`` (m, ``[F, 3]`` in the upperChest frame)."""
    return reach.Waypoint(
        np.asarray(wp.position) + quat.rotate(b.f.chest, drift), wp.rotation, wp.pole, effector=wp.effector
    )


def _pivoting(wp: reach.Waypoint, b: _ArmBody, drift: Array, slide: float) -> reach.Waypoint:
    """``wp`` with its contact moved by ``slide`` of ``drift`` (m, ``[F, 3]`` in the upperChest frame) and the hand
    turned about the contact so that the wrist moves by the rest of it (across the hand; along it the hand is
    rigid)."""
    d = quat.rotate(b.f.chest, drift)
    arm = -quat.rotate(wp.rotation, np.asarray(wp.effector, dtype=np.float64))  # contact -> wrist (world)
    turn = quat.between(arm, arm + (1.0 - slide) * d)
    return reach.Waypoint(
        np.asarray(wp.position) + slide * d, quat.mul(turn, wp.rotation), wp.pole, effector=wp.effector
    )


def _centred(drift: Array) -> Array:
    """A drift track ``[F, 3]`` less its mean: about a place, not off it."""
    return drift - drift.mean(axis=0)


def _wrist_at(wp: reach.Waypoint, wrist: Array) -> reach.Waypoint:
    """``wp``'s hand rotation and pole with the wrist itself at ``wrist`` ``[F, 3]`` (the wrist the effector: it
    lands there whatever rotation the wrist's range leaves the hand)."""
    return reach.Waypoint(wrist, wp.rotation, wp.pole, effector=np.zeros(3))


def _part_way(
    home: reach.Waypoint, full: reach.Waypoint, curl: float, home_curl: ArrayLike, w: float
) -> tuple[reach.Waypoint, Array]:
    """A waypoint ``w`` (0..1) of the way from ``home`` to ``full`` (the gesture layer's weight)."""
    n = max(np.atleast_2d(np.asarray(full.position)).shape[0], np.atleast_2d(np.asarray(home.position)).shape[0])
    hp, fp = (np.broadcast_to(np.asarray(x.position, dtype=np.float64), (n, 3)) for x in (home, full))
    hr, fr = (np.broadcast_to(np.asarray(x.rotation, dtype=np.float64), (n, 4)) for x in (home, full))
    hq, fq = (np.broadcast_to(np.asarray(x.pole, dtype=np.float64), (n, 3)) for x in (home, full))
    he = np.zeros(3) if home.effector is None else np.asarray(home.effector, dtype=np.float64)
    fe = np.zeros(3) if full.effector is None else np.asarray(full.effector, dtype=np.float64)
    wp = reach.Waypoint(hp + w * (fp - hp), quat.slerp(hr, fr, np.full(n, w)), hq + w * (fq - hq), he + w * (fe - he))
    hc = np.broadcast_to(np.asarray(home_curl, dtype=np.float64), (n,))
    return wp, hc + w * (curl - hc)


def contact_local(sk: Skeleton, side: str, kind: str, curl: float) -> Array:
    """Where the touching part of the hand is, in the hand bone's frame (m), with fingers curled ``curl`` deg.

    ``kind``: ``fingers`` (middle fingertip), ``palm`` (palm centre, palm side),
    ``knuckles`` (back of the index PIP joint, for a fist under the chin) or
    ``wrist``. Avatars without finger bones use points along the hand.
    """
    s = 1.0 if side == "left" else -1.0
    hl = 0.74 * sk.bone_length(f"{side}LowerArm")  # facts §10: hand 0.108 H vs forearm 0.146 H
    if kind == "wrist":
        return np.zeros(3)
    if kind == "palm" or not sk.has(f"{side}MiddleDistal"):
        along = {"palm": 0.45, "fingers": 0.9, "knuckles": 0.5}[kind]
        return np.array([s * along * hl, -0.1 * hl if kind == "palm" else 0.0, 0.0])
    tr = Tracks(sk, 1)
    curl_fingers(tr, side, np.full(1, curl), np.full(1, curl))
    grot, gpos = tr.fk()
    jh = hm.INDEX[f"{side}Hand"]
    if kind == "fingers":
        lm = sk.landmarks.get(f"{side}MiddleTip")
        p = sk.landmark_positions(f"{side}MiddleTip", grot, gpos)[0] if lm else gpos[0, hm.INDEX[f"{side}MiddleDistal"]]
    else:  # knuckles: the back of the curled index's middle joint
        j = hm.INDEX[f"{side}IndexIntermediate"]
        p = gpos[0, j] + quat.rotate(grot[0, j], np.array([0.0, 0.1 * hl, 0.0]))
    return quat.rotate(quat.conj(grot[0, jh]), p - gpos[0, jh])
