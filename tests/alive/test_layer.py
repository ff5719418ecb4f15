"""The life layer: contacts kept, fading under fast motion, masks, determinism, bounds (no Blender)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from posers_blender import humanoid as hm
from posers_blender.alive import LIMIT_DEG, add_life, hold_pose
from posers_blender.alive.contacts import hand_contacts
from posers_blender.engine import quat
from posers_blender.engine.clip import Clip
from posers_blender.engine.params import ParamError
from posers_blender.engine.skeleton import default_avatar
from posers_blender.quality.contacts import foot_contacts

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "bvh"
EXEMPT = {"spine", "chest", "upperChest", "neck", "head", "leftEye", "rightEye"}


def added_deg(a: Clip, b: Clip) -> np.ndarray:
    """Rotation the layer added per frame and bone ``[F, J]`` (degrees)."""
    d = quat.mul(quat.conj(a.lrot), b.lrot)
    return np.degrees(2.0 * np.arccos(np.clip(np.abs(d[..., 0]), 0.0, 1.0)))


def standing(seconds: float = 12.0, fps: float = 30.0, arms_down: bool = True) -> Clip:
    """The default avatar standing still, arms hanging (a held pose)."""
    sk = default_avatar()
    n = int(seconds * fps)
    lrot = np.tile(quat.IDENTITY, (n, len(hm.BONES), 1))
    if arms_down:
        for side, s in (("left", 1.0), ("right", -1.0)):
            lrot[:, hm.INDEX[f"{side}UpperArm"]] = quat.from_axis_angle_deg([0.0, 0.0, 1.0], -s * 75.0)
    return Clip(fps, lrot, np.tile(sk.offsets[0], (n, 1)), sk)


def hand_on_hip() -> Clip:
    """Standing with the left palm on the side of the pelvis (the arm solved onto it)."""
    from posers_blender.alive.contacts import _solve

    clip = standing()
    sk = clip.skeleton
    n = clip.n_frames
    grot, gpos = sk.fk(clip.lrot[0], clip.hips_pos[0])
    palm_target = gpos[hm.INDEX["hips"]] + np.array([0.15, 0.03, 0.0]) * sk.leg_ratio
    end = quat.from_axis_angle_deg([0.0, 0.0, 1.0], -80.0)
    wrist = palm_target - quat.rotate(end, np.asarray(sk.landmarks["leftPalm"].offset))
    pole = gpos[hm.INDEX["leftLowerArm"]] + np.array([0.1, 0.0, -0.3])
    lrot = clip.lrot.copy()
    _solve(
        sk,
        lrot,
        clip.hips_pos,
        "leftArm",
        np.tile(wrist, (n, 1)),
        np.tile(pole, (n, 1)),
        np.tile(end, (n, 1)),
        np.ones(n),
    )
    return Clip(clip.fps, lrot, clip.hips_pos, sk)


def arm_to(clip: Clip, side: str, point: str, at: np.ndarray, end: np.ndarray, pole: np.ndarray) -> Clip:
    """``clip`` with ``side``'s arm solved so its hand landmark ``point`` is at ``at [3] or [F, 3]`` and the hand
    has the world rotation ``end [4] or [F, 4]``, the elbow toward ``pole``."""
    from posers_blender.alive.contacts import _solve

    sk, n = clip.skeleton, clip.n_frames
    at3, end4 = np.broadcast_to(at, (n, 3)), np.broadcast_to(end, (n, 4))
    wrist = at3 - quat.rotate(end4, np.asarray(sk.landmarks[f"{side}{point}"].offset))
    lrot = clip.lrot.copy()
    _solve(sk, lrot, clip.hips_pos, f"{side}Arm", wrist, np.broadcast_to(pole, (n, 3)).copy(), end4.copy(), np.ones(n))
    return Clip(clip.fps, lrot, clip.hips_pos, sk)


def right_hand_in_front() -> Clip:
    """Standing, the right forearm across the front of the body, its hand in front of the left side."""
    c = standing()
    _, gpos = c.fk()
    spine, shoulder = gpos[0, hm.INDEX["spine"]], gpos[0, hm.INDEX["rightUpperArm"]]
    end = quat.from_axis_angle_deg([0.0, 1.0, 0.0], -60.0)
    return arm_to(c, "right", "Palm", spine + [0.05, 0.1, 0.33], end, shoulder + [-0.3, -0.3, 0.0])


def in_frame_of(clip: Clip, point: str, bone: str) -> np.ndarray:
    """Landmark ``point`` in ``bone``'s frame ``[F, 3]`` (m)."""
    grot, gpos = clip.fk()
    j = hm.INDEX[bone]
    p = clip.skeleton.landmark_positions(point, grot, gpos)
    return quat.rotate(quat.conj(grot[:, j]), p - gpos[:, j])


def test_same_seed_gives_the_same_output_and_another_seed_another() -> None:
    c = standing()
    a, b, d = add_life(c, seed=4), add_life(c, seed=4), add_life(c, seed=5)
    assert np.array_equal(a.lrot, b.lrot) and np.array_equal(a.hips_pos, b.hips_pos)
    assert np.array_equal(a.expressions["blink"], b.expressions["blink"])
    assert not np.allclose(a.lrot, d.lrot)


def test_input_is_not_modified() -> None:
    c = standing()
    before = c.lrot.copy()
    add_life(c, seed=1)
    assert np.array_equal(c.lrot, before)


def test_held_pose_comes_alive_without_freezing_or_sliding() -> None:
    c = standing(20.0)
    o = add_life(c, seed=2)
    av = np.degrees(np.linalg.norm(quat.angular_velocity(o.lrot, 1 / c.fps), axis=-1))
    for bone in ("hips", "spine", "chest", "neck", "head", "leftShoulder", "leftUpperArm", "leftLowerArm", "leftHand"):
        assert av[:, hm.INDEX[bone]].mean() > 0.2, f"{bone} is frozen"
    _, gpos_in = c.fk()
    _, gpos = o.fk()
    for side in ("left", "right"):
        j = hm.INDEX[f"{side}Foot"]
        assert np.abs(gpos[:, j] - gpos_in[:, j]).max() < 1e-3  # planted: within 1 mm
    blinks = int((np.diff((o.expressions["blink"] > 0.5).astype(int)) == 1).sum())
    assert 2 <= blinks <= 12  # facts §1: 8-21/min at rest, plus gaze blinks; 20 s
    assert o.gaze is not None and np.allclose(np.linalg.norm(o.gaze, axis=1), 1.0)


def test_no_joint_moves_as_a_pure_sine() -> None:
    o = add_life(standing(20.0), seed=3)
    for bone in ("spine", "chest", "head", "leftUpperArm", "hips"):
        v = quat.to_scaled_axis(o.lrot[:, hm.INDEX[bone]])
        for k in range(3):
            x = v[:, k] - v[:, k].mean()
            if np.std(x) < 1e-6:
                continue
            p = np.abs(np.fft.rfft(x * np.hanning(len(x)))) ** 2
            top = np.sort(p)[-3:].sum() / p.sum()  # a sine puts (nearly) all power in 1-3 bins
            assert top < 0.9, f"{bone}[{k}] is nearly one sine ({top:.2f})"


def test_hand_on_the_body_stays_on_it() -> None:
    c = hand_on_hip()
    grot, gpos = c.fk()
    hc = hand_contacts(c, grot, gpos, props=False)
    assert hc["left"].weight.min() == 1.0
    j = int(hc["left"].bone[0])
    assert hm.BONES[j] in ("hips", "leftUpperLeg") and (hc["left"].bone == j).all()
    o = add_life(c, seed=6, params={"micro_motion": 1.0})
    g2, p2 = o.fk()
    sk = c.skeleton
    # the palm in the touched bone's frame, before and after
    palm_in = sk.landmark_positions("leftPalm", grot, gpos)
    palm_out = sk.landmark_positions("leftPalm", g2, p2)
    local_in = quat.rotate(quat.conj(grot[:, j]), palm_in - gpos[:, j])
    local_out = quat.rotate(quat.conj(g2[:, j]), palm_out - p2[:, j])
    assert np.abs(np.linalg.norm(local_out - local_in, axis=1)).max() < 0.005
    assert added_deg(c, o)[:, hm.INDEX["hips"]].max() > 0.3  # the hips did move


def test_masked_arms_keep_the_inputs_rotations() -> None:
    c = standing()
    o = add_life(c, seed=1, params={"keep_arms": True})
    arms = [hm.INDEX[b] for b in ("leftUpperArm", "leftLowerArm", "leftHand", "rightUpperArm", "rightHand")]
    assert added_deg(c, o)[:, arms].max() < 1e-6
    assert added_deg(c, o)[:, hm.INDEX["chest"]].max() > 0.1
    m = add_life(c, seed=1, mask={"head": 0.0, "neck": 0.0})
    assert added_deg(c, m)[:, [hm.INDEX["head"], hm.INDEX["neck"]]].max() < 1e-6


def test_added_rotation_is_bounded_per_bone() -> None:
    c = standing(30.0)
    o = add_life(c, seed=9, params={"micro_motion": 1.5, "posture": 1.5, "gaze": 1.5})
    a = added_deg(c, o)
    for j, bone in enumerate(hm.BONES):
        if "Eye" in bone or "Leg" in bone or "Foot" in bone or "Toes" in bone:
            continue  # eyes have their own bound; legs are solved back onto the planted feet
        assert a[:, j].max() <= LIMIT_DEG.get(bone, 3.0) + 1e-6, bone


def test_the_layer_fades_out_where_the_input_moves_fast() -> None:
    c = standing(12.0)
    n = c.n_frames
    t = c.times
    # the right arm swings fast (±40° at 1 Hz) from 4 s to 8 s, still elsewhere
    swing = np.where((t > 4.0) & (t < 8.0), 40.0 * np.sin(2 * np.pi * (t - 4.0)), 0.0)
    j = hm.INDEX["rightUpperArm"]
    c.lrot[:, j] = quat.mul(c.lrot[:, j], quat.from_axis_angle_deg([0.0, 1.0, 0.0], swing))
    o = add_life(c, seed=2, params={"micro_motion": 1.0})
    a = added_deg(c, o)
    moving = (t > 4.5) & (t < 7.5)
    still = (t < 3.0) | (t > 9.0)
    for bone in ("rightUpperArm", "rightLowerArm", "rightHand"):
        k = hm.INDEX[bone]
        assert a[moving, k].max() < 1e-3, bone
        assert a[still, k].max() > 0.2, bone
    assert n == o.n_frames


@pytest.mark.skipif(not (DATA / "walk").is_dir(), reason="needs ../shared/data")
def test_walk_keeps_its_feet_path_and_large_motion() -> None:
    from posers_blender.mocap import load_bvh_clip

    c = load_bvh_clip(DATA / "walk" / "cmu_16_15_walk.bvh")
    o = add_life(c, seed=1)
    slide_in = max(x.slide_mm for x in foot_contacts(c))
    slide_out = max(x.slide_mm for x in foot_contacts(o))
    assert slide_out <= slide_in + 0.5
    assert np.linalg.norm(o.hips_pos[-1] - c.hips_pos[-1]) < 0.01
    a = added_deg(c, o)
    assert max(a[:, j].max() for j, b in enumerate(hm.BONES) if b not in EXEMPT) <= 3.0


def test_bad_parameters_name_the_parameter() -> None:
    with pytest.raises(ParamError, match="breathing"):
        add_life(standing(2.0), params={"breathing": 7})
    with pytest.raises(ParamError, match="did you mean 'blinks'"):
        add_life(standing(2.0), params={"blink": 1})


def test_a_single_frame_must_be_held_first() -> None:
    c = standing(2.0)
    one = Clip(c.fps, c.lrot[:1], c.hips_pos[:1], c.skeleton)
    with pytest.raises(ValueError, match="--hold"):
        add_life(one)
    assert add_life(hold_pose(one, 3.0)).n_frames == 90


def test_hand_holding_the_other_forearm_follows_it() -> None:
    c = right_hand_in_front()
    _, gpos = c.fk()
    mid = 0.5 * (gpos[0, hm.INDEX["rightLowerArm"]] + gpos[0, hm.INDEX["rightHand"]])
    shoulder = gpos[0, hm.INDEX["leftUpperArm"]]
    c = arm_to(c, "left", "Palm", mid + [0.0, 0.045, 0.0], quat.from_axis_angle_deg([0.0, 1.0, 0.0], 90.0),
               shoulder + [0.3, -0.3, 0.0])  # fmt: skip
    grot, gpos = c.fk()
    hc = hand_contacts(c, grot, gpos, props=False)
    assert (hc["left"].bone == hm.INDEX["rightLowerArm"]).all() and hc["left"].weight.min() == 1.0
    assert hc["right"].weight.max() == 0.0  # the held arm is free: it gets the layer
    o = add_life(c, seed=6, params={"micro_motion": 1.0})
    assert added_deg(c, o)[:, hm.INDEX["rightLowerArm"]].max() > 0.3
    drift = in_frame_of(o, "leftPalm", "rightLowerArm") - in_frame_of(c, "leftPalm", "rightLowerArm")
    assert np.linalg.norm(drift, axis=1).max() < 0.003


def test_clasped_hands_move_together() -> None:
    c = right_hand_in_front()
    grot, gpos = c.fk()
    right_palm = c.skeleton.landmark_positions("rightPalm", grot, gpos)[0]
    shoulder = gpos[0, hm.INDEX["leftUpperArm"]]
    c = arm_to(c, "left", "Palm", right_palm + [0.0, 0.045, 0.0], quat.from_axis_angle_deg([0.0, 1.0, 0.0], 90.0),
               shoulder + [0.3, -0.3, 0.0])  # fmt: skip
    grot, gpos = c.fk()
    hc = hand_contacts(c, grot, gpos, props=False)
    for side in ("left", "right"):  # each on the other hand: both carried by the chest
        assert (hc[side].bone == hm.INDEX["upperChest"]).all() and hc[side].weight.min() == 1.0
    o = add_life(c, seed=6, params={"micro_motion": 1.0})
    drift = in_frame_of(o, "leftPalm", "rightHand") - in_frame_of(c, "leftPalm", "rightHand")
    assert np.linalg.norm(drift, axis=1).max() < 0.002
    assert added_deg(c, o)[:, hm.INDEX["upperChest"]].max() > 0.3  # the chest (and both hands with it) moved


def test_hand_hanging_beside_a_still_thigh_is_free() -> None:
    c = standing()
    _, gpos = c.fk()
    hip, knee = gpos[0, hm.INDEX["leftUpperLeg"]], gpos[0, hm.INDEX["leftLowerLeg"]]
    beside = 0.5 * (hip + knee) + [0.07 + 0.015, 0.0, 0.0]  # 1.5 cm off the thigh's surface
    c = arm_to(c, "left", "Palm", beside, quat.from_axis_angle_deg([0.0, 0.0, 1.0], -90.0), hip + [0.4, 0.3, -0.2])
    grot, gpos = c.fk()
    assert hand_contacts(c, grot, gpos, props=False)["left"].weight.max() == 0.0
    o = add_life(c, seed=6)
    assert added_deg(c, o)[:, hm.INDEX["leftLowerArm"]].max() > 0.1  # the arm gets the layer


def test_hand_the_input_carries_on_the_thigh_follows_it() -> None:
    c = standing()
    swing = 10.0 * np.sin(2 * np.pi * 0.25 * c.times)  # the thigh lifts and lowers slowly, the hand on it
    j = hm.INDEX["leftUpperLeg"]
    c.lrot[:, j] = quat.from_axis_angle_deg([1.0, 0.0, 0.0], -swing)
    grot, gpos = c.fk()
    at = gpos[:, j] + quat.rotate(grot[:, j], np.array([0.055, -0.15, 0.055]))
    end = quat.mul(grot[:, j], quat.from_axis_angle_deg([0.0, 0.0, 1.0], -90.0))
    c = arm_to(c, "left", "Palm", at, end, gpos[0, hm.INDEX["leftUpperArm"]] + [0.4, -0.3, -0.2])
    grot, gpos = c.fk()
    hc = hand_contacts(c, grot, gpos, props=False)["left"]
    assert (hc.bone == j).all() and hc.weight.min() == 1.0
    o = add_life(c, seed=6, params={"micro_motion": 1.0})
    drift = in_frame_of(o, "leftPalm", "leftUpperLeg") - in_frame_of(c, "leftPalm", "leftUpperLeg")
    assert np.linalg.norm(drift, axis=1).max() < 0.005


def test_wrists_move_like_a_standing_persons() -> None:
    """The idle reference's wrists (ReActIdle, `posers realism` band features) have 4% of their velocity power at
    4-8 Hz and move at 0.02 m/s; the pooled fitted forearms gave the layer 40% and 0.12 m/s."""
    c = standing(30.0)
    o = add_life(c, seed=1)
    _, gpos = o.fk()
    for side in ("left", "right"):
        rel = gpos[:, hm.INDEX[f"{side}Hand"]] - gpos[:, hm.INDEX["hips"]]
        v = np.gradient(rel, 1.0 / o.fps, axis=0)
        v -= v.mean(axis=0)
        p = (np.abs(np.fft.rfft(v * np.hanning(len(v))[:, None], axis=0)) ** 2).sum(axis=1)
        f = np.fft.rfftfreq(len(v), 1.0 / o.fps)
        share = p[(f >= 4.0) & (f <= 8.0)].sum() / p[(f >= 0.1) & (f <= 8.0)].sum()
        speed = np.linalg.norm(v, axis=1).mean()
        assert share < 0.1, f"{side} wrist: {share:.2f} of its motion at 4-8 Hz"
        assert speed < 0.04, f"{side} wrist: {speed:.3f} m/s"
