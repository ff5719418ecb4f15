"""Targets drive the motions: moving a target 0.5 m turns the bones it drives visibly and leaves the rest alone,
on the built-in avatar and on two VRM skeletons; the look-at layer is smooth and limited."""

from __future__ import annotations

import numpy as np
import pytest

from posers_blender import humanoid as hm
from posers_blender import registry
from posers_blender.engine import quat
from posers_blender.engine.sampler import sample
from posers_blender.engine.skeleton import Skeleton, default_avatar
from posers_blender.engine.targets import YAW_LIMIT, critically_damped, motion_targets

SECONDS = 4.0
VISIBLE_DEG = 2.0
NOISE_DEG = 0.01
HEAD = {"neck", "head", "leftEye", "rightEye"}
LEGS = {f"{s}{b}" for s in ("left", "right") for b in ("UpperLeg", "LowerLeg", "Foot", "Toes")}


def _skeletons() -> list[Skeleton]:
    from tests.conftest import shared_data

    out = [default_avatar()]
    data = shared_data()
    if data is not None:
        from posers_blender.io.vrm_skeleton import load_vrm_skeleton

        out += [load_vrm_skeleton(data / "vrm" / n) for n in ("Godette_vrm_v4.vrm", "debug_robot.vrm")]
    return out


SKELETONS = _skeletons()


def _moved(mid: str, sk: Skeleton, name: str, at: np.ndarray, step: np.ndarray, **kw: object):
    prog = registry.get(mid)
    a = sample(prog, duration=SECONDS, skeleton=sk, targets={name: at}, **kw)  # type: ignore[arg-type]
    b = sample(prog, duration=SECONDS, skeleton=sk, targets={name: at + step}, **kw)  # type: ignore[arg-type]
    deg = np.degrees(quat.angle_between(a.lrot, b.lrot)).max(axis=0)
    return {hm.BONES[j]: float(deg[j]) for j in range(len(hm.BONES))}, a, b


def _rest(sk: Skeleton, bone: str) -> np.ndarray:
    return sk.rest_positions()[sk.index(bone)]


@pytest.mark.parametrize("sk", SKELETONS, ids=lambda s: s.name)
@pytest.mark.parametrize("mid", ["idle-breathe", "basic-walk"])
def test_moving_look_at_half_a_metre_turns_head_and_eyes_only(mid, sk):
    at = _rest(sk, "head") + np.array([0.0, 0.0, 2.0])
    deg, a, _ = _moved(mid, sk, "lookAt", at, np.array([0.5, 0.0, 0.0]))
    assert max(deg["neck"], deg["head"]) > VISIBLE_DEG
    assert all(v < NOISE_DEG for k, v in deg.items() if k not in HEAD), deg
    assert "lookAt" in a.meta["reached"]


@pytest.mark.parametrize("sk", SKELETONS, ids=lambda s: s.name)
def test_moving_a_foot_target_moves_the_legs_and_not_the_head(sk):
    at = _rest(sk, "leftFoot")
    deg, a, b = _moved("idle-breathe", sk, "leftFoot", at, np.array([0.0, 0.0, 0.5 * 0.3]))
    assert deg["leftUpperLeg"] > VISIBLE_DEG
    assert max(deg[k] for k in HEAD) < NOISE_DEG
    step = np.array([0.0, 0.0, 0.5])
    far, _, c = _moved("idle-breathe", sk, "leftFoot", at, step)
    assert c.meta["reached"]["leftFoot"] == 0.0  # 0.5 m is past a standing step: reached as far as the leg allows
    assert a.meta["reached"]["leftFoot"] == 1.0


@pytest.mark.parametrize("sk", SKELETONS, ids=lambda s: s.name)
def test_moving_the_smoking_hand_target_moves_that_arm_only(sk):
    at = _rest(sk, "upperChest") + np.array([-0.15, -0.15, 0.3]) * sk.leg_ratio
    deg, a, _ = _moved("smoking-cigarette", sk, "rightHand", at, np.array([0.0, -0.5, 0.0]) * sk.leg_ratio)
    arm = {"rightUpperArm", "rightLowerArm", "rightHand"}
    assert max(deg[k] for k in arm) > VISIBLE_DEG
    others = {k: v for k, v in deg.items() if k not in arm and not k.startswith("right") and k not in {"rightShoulder"}}
    assert all(v < NOISE_DEG for v in others.values()), others


def _arm(side: str) -> set[str]:
    """The bones a hand target of that side drives: its arm and fingers (the clavicle only leads a gesture)."""
    return {b for b in hm.BONES if b.startswith(side) and not b.endswith(("Leg", "Foot", "Toes", "Eye"))}


def _in_reach(sk: Skeleton, side: str, direction: tuple[float, float, float]) -> np.ndarray:
    """A wrist place 3/4 of the arm's length from the shoulder (``direction`` the left arm's; x mirrored)."""
    s = 1.0 if side == "left" else -1.0
    d = np.array([s * direction[0], direction[1], direction[2]])
    arm = sk.bone_length(f"{side}UpperArm") + sk.bone_length(f"{side}LowerArm")
    return _rest(sk, f"{side}UpperArm") + 0.75 * arm * d / np.linalg.norm(d)


@pytest.mark.parametrize("sk", SKELETONS, ids=lambda s: s.name)
@pytest.mark.parametrize(
    ("mid", "side", "params"),
    [
        ("idle-breathe", "right", {}),
        ("confident-stance", "left", {}),  # hands on hips
        ("confident-stance", "right", {"hands": "sides"}),
        ("nervous-fidget", "left", {}),  # hands held before the belly
    ],
)
def test_moving_a_rest_hand_target_half_a_metre_moves_that_arm_only(mid, side, params, sk):
    at = _in_reach(sk, side, (0.05, -0.9, 0.35))
    deg, a, b = _moved(mid, sk, f"{side}Hand", at, np.array([0.0, 0.0, 0.5]), params=params)
    arm = _arm(side)
    assert max(deg[k] for k in (f"{side}UpperArm", f"{side}LowerArm")) > VISIBLE_DEG
    others = {k: v for k, v in deg.items() if k not in arm}
    assert all(v < NOISE_DEG for v in others.values()), others
    # a place under the shoulder in front of the hip is in reach; half a metre further forward is not
    assert a.meta["reached"][f"{side}Hand"] == 1.0
    assert b.meta["reached"][f"{side}Hand"] < 1.0


def test_gestures_leave_from_and_return_to_the_moved_rest():
    sk = default_avatar()
    prog = registry.get("idle-breathe")
    kw = {"duration": 40.0, "skeleton": sk, "seed": 1, "params": {"gesture_interval": 20.0}}
    free = sample(prog, **kw)  # type: ignore[arg-type]
    goal = _in_reach(sk, "right", (0.05, -0.9, 0.35))
    held = sample(prog, targets={"rightHand": goal}, **kw)  # type: ignore[arg-type]
    gestures = [m for m in free.markers if m[1] in ("face_touch", "neck_touch", "arm_rub")]
    assert gestures and [m for m in held.markers if m in gestures] == gestures  # the same gestures, same times
    _, gpos = held.skeleton.fk(held.lrot, held.hips_pos)
    miss = np.linalg.norm(gpos[:, hm.INDEX["rightHand"]] - goal, axis=1)
    fps = 30.0
    for t, _ in gestures:  # at the rest before the gesture, away during it
        assert miss[int((t - 0.5) * fps)] < 0.04 and miss[int((t + 1.2) * fps)] > 0.1
    assert miss[-1] < 0.04 and np.median(miss) < 0.03  # back at the rest; most of the clip there (with its drift)


def _chin(clip) -> np.ndarray:
    grot, gpos = clip.skeleton.fk(clip.lrot, clip.hips_pos)
    return clip.skeleton.landmark_positions("chin", grot, gpos)


@pytest.mark.parametrize("sk", SKELETONS, ids=lambda s: s.name)
def test_the_lean_chin_hand_target_carries_the_chin_and_the_fist_stays_on_it(sk):
    from posers_blender.quality import contacts

    prog = registry.get("contemplative-lean")
    held = slice(int(2.0 * 30), None)  # after the fist arrived (enter 1.5 s)
    chin = np.median(_chin(sample(prog, duration=SECONDS, skeleton=sk))[held], axis=0)
    for step in ([0.05, 0.0, 0.0], [0.0, 0.03, 0.0], [-0.04, 0.0, 0.02]):  # within the neck's reach
        goal = chin + np.array(step) * sk.leg_ratio
        clip = sample(prog, duration=SECONDS, skeleton=sk, targets={"rightHand": goal})
        assert clip.meta["reached"]["rightHand"] == 1.0, step
        assert np.linalg.norm(_chin(clip)[held] - goal, axis=1).max() < 0.01  # the chin went there
        assert contacts.hand_landmark_distance(clip, "right", "chin")[held].max() <= 10.0  # the fist with it (mm)
    deg, _, far = _moved("contemplative-lean", sk, "rightHand", chin, np.array([0.5, 0.0, 0.0]))
    assert min(deg["neck"], deg["head"]) > VISIBLE_DEG
    assert far.meta["reached"]["rightHand"] == 0.0  # half a metre aside: the neck turns as far as it goes
    assert contacts.hand_landmark_distance(far, "right", "chin")[held].max() <= 10.0
    # the head, the chin arm and the hand cupping its elbow move; the trunk, legs and eyes do not
    driven = {"neck", "head"} | _arm("left") | _arm("right")
    others = {k: v for k, v in deg.items() if k not in driven}
    assert all(v < NOISE_DEG for v in others.values()), others


@pytest.mark.parametrize("sk", SKELETONS, ids=lambda s: s.name)
def test_the_lean_support_hand_target_moves_the_arm_across_the_body(sk):
    at = _in_reach(sk, "left", (-0.5, -0.7, 0.5))  # across the belly
    deg, a, b = _moved("contemplative-lean", sk, "leftHand", at, np.array([0.0, 0.0, 0.5]))
    assert max(deg[k] for k in ("leftUpperArm", "leftLowerArm")) > VISIBLE_DEG
    others = {k: v for k, v in deg.items() if k not in _arm("left")}
    assert all(v < NOISE_DEG for v in others.values()), others
    assert a.meta["reached"]["leftHand"] == 1.0 and b.meta["reached"]["leftHand"] < 1.0


def test_the_lean_reads_the_wall_target():
    sk = default_avatar()
    deg, a, b = _moved(
        "contemplative-lean",
        sk,
        "wall",
        np.array([0.0, 1.0, -0.3]),
        np.array([0.0, 0.0, -0.1]),
        params={"lean": "wall"},
    )
    assert np.abs(a.hips_pos[:, 2] - b.hips_pos[:, 2]).max() > 0.05


def test_every_motion_reads_look_at_and_the_standing_ones_their_feet():
    for mid, prog in registry.discover().items():
        names = motion_targets(prog.meta.targets)
        assert names[0] == "lookAt"
        if prog.meta.standing and not mid.startswith("baseline"):
            assert {"leftFoot", "rightFoot"} <= set(names), mid
    assert "wall" in motion_targets(registry.get("contemplative-lean").meta.targets)
    for mid in ("smoking-cigarette", "contemplative-lean", "idle-breathe", "confident-stance", "nervous-fidget"):
        assert {"leftHand", "rightHand"} <= set(motion_targets(registry.get(mid).meta.targets)), mid


def test_a_look_at_behind_the_head_is_reached_as_far_as_the_neck_allows():
    sk = default_avatar()
    behind = _rest(sk, "head") + np.array([2.0, 0.0, -2.0])
    clip = sample(registry.get("idle-breathe"), duration=SECONDS, skeleton=sk, targets={"lookAt": behind})
    assert clip.meta["reached"]["lookAt"] < 0.5
    # the head turned toward it, within the neck's range (facts §8)
    grot, _ = clip.skeleton.fk(clip.lrot, clip.hips_pos)
    fwd = quat.rotate(grot[:, hm.INDEX["head"]], np.array([0.0, 0.0, 1.0]))
    yaw = np.degrees(np.arctan2(fwd[:, 0], fwd[:, 2]))
    assert 40.0 < float(np.median(yaw)) < YAW_LIMIT + 15.0


def test_a_jumping_target_does_not_pop_the_head():
    sk = default_avatar()
    fps = 30.0
    n = int(SECONDS * fps)
    track = np.tile(_rest(sk, "head") + np.array([-1.0, 0.0, 2.0]), (n, 1))
    track[n // 2 :, 0] += 2.0  # jumps 2 m sideways
    clip = sample(registry.get("idle-breathe"), fps=fps, duration=SECONDS, skeleton=sk, targets={"lookAt": track})
    speed = np.degrees(quat.angle_between(clip.lrot[1:], clip.lrot[:-1])).max(axis=0) * fps
    assert speed[hm.INDEX["head"]] < 300.0  # facts §1: head peaks in idle stay below ~300°/s


def test_critically_damped_settles_without_overshoot():
    x = np.zeros((60, 1))
    x[10:] = 1.0
    y = critically_damped(x, 1.0 / 30.0, 9.0)
    assert y[:10].max() == 0.0 and y.max() <= 1.0 + 1e-12 and y[-1, 0] > 0.99


def test_cli_target_flag_places_a_target_and_rejects_bad_ones_in_one_line(tmp_path, capsys):
    from posers_blender.cli import main
    from posers_blender.io.clip_file import load_clip_npz

    out = tmp_path / "a.npz"
    assert main(["sample", "idle-breathe", "--seconds", "1", "--out", str(out), "--target", "lookAt=2,1.5,1"]) == 0
    assert "lookAt" in load_clip_npz(out).meta["reached"]
    for bad in ("leftFoot=0,0", "lookAt=1,inf,2", "wing=1,2,3", "lookAt"):
        assert main(["sample", "basic-walk", "--seconds", "1", "--out", str(out), "--force", "--target", bad]) == 2
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and "--target" in err
