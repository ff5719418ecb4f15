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
    assert "rightHand" in motion_targets(registry.get("smoking-cigarette").meta.targets)


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
