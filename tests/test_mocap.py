"""Retargeting BVH onto the humanoid: exact round trip of our export, foreign conventions, and the dev mocap."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from posers_blender import humanoid as hm
from posers_blender.engine import quat
from posers_blender.engine.clip import Clip
from posers_blender.engine.sampler import sample
from posers_blender.io.bvh import bvh_text, write_bvh
from posers_blender.io.bvh_read import BvhError, parse_bvh, read_bvh, up_rotation
from posers_blender.mocap import MAX_LIFT, load_bvh_clip, resample, retarget
from posers_blender.quality.contacts import foot_contacts
from posers_blender.registry import get


@pytest.fixture(scope="module")
def idle() -> Clip:
    return sample(get("idle-breathe"), seed=3, fps=30, duration=4.0)


def _positions(clip: Clip) -> np.ndarray:
    return clip.fk()[1]


def test_our_export_reads_back_to_the_same_joint_positions(idle, tmp_path):
    path = tmp_path / "idle.bvh"
    write_bvh(idle, path)
    back = load_bvh_clip(path, idle.skeleton, align=False)
    err = np.abs(_positions(back) - _positions(idle)).max()
    assert err < 1e-4  # sub-mm (0.1 mm); the text keeps 6 decimals of degrees
    assert back.fps == idle.fps and back.n_frames == idle.n_frames
    assert back.meta["family"] == "vrm" and back.meta["units"] == "m" and back.meta["up"] == "Y"


def foreign_bvh(clip: Clip, yaw_deg: float = 0.0) -> str:
    """The clip as another exporter would write it: Mixamo names, Z-up, centimetres, XYZ rotation channels
    with the root's positions listed after its rotations, 3-channel joints, facing turned by ``yaw_deg``."""
    names = hm.ALIASES["mixamo"]
    skel = clip.skeleton
    present = [j for j, b in enumerate(hm.BONES) if b in names]
    parent = {}
    for j in present:
        p = hm.PARENTS[j]
        while p >= 0 and hm.BONES[p] not in names:
            p = hm.PARENTS[p]
        parent[j] = p
    to_z = quat.conj(up_rotation("Z"))  # normalised -> Z-up world
    yaw = quat.from_axis_angle([0.0, 1.0, 0.0], np.radians(yaw_deg))
    rest = skel.rest_positions()
    out = io.StringIO()
    out.write("HIERARCHY\n")
    order: list[int] = []

    def emit(j: int, depth: int) -> None:
        order.append(j)
        pad = "\t" * depth
        off = rest[j] if parent[j] < 0 else rest[j] - rest[parent[j]]
        off = quat.rotate(to_z, off) * 100.0
        kind = "ROOT" if parent[j] < 0 else "JOINT"
        out.write(f"{pad}{kind} {names[hm.BONES[j]]}\n{pad}{{\n{pad}\tOFFSET {off[0]:.6f} {off[1]:.6f} {off[2]:.6f}\n")
        if parent[j] < 0:
            out.write(f"{pad}\tCHANNELS 6 Xrotation Yrotation Zrotation Xposition Yposition Zposition\n")
        else:
            out.write(f"{pad}\tCHANNELS 3 Xrotation Yrotation Zrotation\n")
        kids = [c for c in present if parent[c] == j]
        for c in kids:
            emit(c, depth + 1)
        if not kids:
            out.write(f"{pad}\tEnd Site\n{pad}\t{{\n{pad}\t\tOFFSET 0 0 0\n{pad}\t}}\n")
        out.write(f"{pad}}}\n")

    emit(0, 0)
    cols = []
    for j in order:
        q = clip.lrot[:, j]
        p = hm.PARENTS[j]
        while p >= 0 and hm.BONES[p] not in names:  # fold absent bones into their children
            q = quat.mul(clip.lrot[:, p], q)
            p = hm.PARENTS[p]
        if parent[j] < 0:
            q = quat.mul(yaw, q)
        q = quat.mul(to_z, quat.mul(q, quat.conj(to_z)))
        eul = np.degrees(quat.to_euler(q, "XYZ"))
        if parent[j] < 0:
            pos = quat.rotate(to_z, quat.rotate(yaw, clip.hips_pos)) * 100.0
            cols.append(np.concatenate([eul, pos], axis=1))
        else:
            cols.append(eul)
    data = np.concatenate(cols, axis=1)
    out.write(f"MOTION\nFrames: {clip.n_frames}\nFrame Time: {1.0 / clip.fps:.7f}\n")
    np.savetxt(out, data, fmt="%.6f")
    return out.getvalue()


def test_foreign_names_axes_units_and_channel_order_give_the_same_clip(idle, tmp_path):
    ours = tmp_path / "ours.bvh"
    write_bvh(idle, ours)
    theirs = tmp_path / "theirs.bvh"
    theirs.write_text(foreign_bvh(idle, yaw_deg=130.0))
    a = retarget(read_bvh(ours), idle.skeleton)
    b = retarget(read_bvh(theirs), idle.skeleton)
    assert (b.family, b.units, b.up) == ("mixamo", "cm", "Z")
    assert b.ratio == pytest.approx(1.0, abs=1e-6)
    # jaw is not in the Mixamo table: compare the bones both files carry
    keep = [j for j, name in enumerate(hm.BONES) if name in hm.ALIASES["mixamo"]]
    err = np.abs(_positions(a.clip)[:, keep] - _positions(b.clip)[:, keep]).max()
    assert err < 2e-4


def test_aligned_clip_faces_forward_starts_at_origin_and_stands_on_the_floor(idle, tmp_path):
    path = tmp_path / "turned.bvh"
    path.write_text(foreign_bvh(idle, yaw_deg=-75.0))
    clip = load_bvh_clip(path, idle.skeleton)
    gpos = _positions(clip)
    left = gpos[:, hm.INDEX["leftUpperLeg"]] - gpos[:, hm.INDEX["rightUpperLeg"]]
    yaw = np.degrees(np.arctan2(left[:, 2], left[:, 0]))
    assert abs(float(np.mean(yaw))) < 3.0  # the idle's own pelvis yaw wanders by a degree or two
    np.testing.assert_allclose(clip.hips_pos[0, [0, 2]], 0.0, atol=1e-9)
    heel = clip.landmark("leftHeel")[:, 1]
    assert abs(float(np.median(heel))) < 0.003


def test_resample_keeps_duration_and_poses(idle):
    half = resample(idle, 15.0)
    assert half.n_frames == 60 and half.fps == 15.0
    np.testing.assert_allclose(_positions(half)[10], _positions(idle)[20], atol=1e-12)


def test_missing_legs_are_reported_with_the_namings_we_know():
    text = (
        "HIERARCHY\nROOT Pelvis\n{\n OFFSET 0 0 0\n CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation\n"
        " End Site\n {\n  OFFSET 0 1 0\n }\n}\nMOTION\nFrames: 2\nFrame Time: 0.1\n0 0 0 0 0 0\n0 0 0 0 0 0\n"
    )
    with pytest.raises(BvhError, match="cannot find the humanoid bones .*supported namings"):
        retarget(parse_bvh(text, "odd.bvh"))


def _our_bvh(idle, frames: int) -> str:
    head, motion = bvh_text(idle).split("MOTION\n")
    lines = motion.strip().splitlines()
    return head + f"MOTION\nFrames: {frames}\n" + lines[1] + "\n" + "\n".join(lines[2 : 2 + frames]) + "\n"


def test_a_one_frame_file_is_a_pose_and_is_refused(idle):
    with pytest.raises(BvhError, match="has 1 frame; retargeting needs at least 2"):
        retarget(parse_bvh(_our_bvh(idle, 1), "pose.bvh"))
    assert retarget(parse_bvh(_our_bvh(idle, 2), "two.bvh")).clip.n_frames == 2


@pytest.mark.parametrize(("kwargs", "message"), [({"up": "W"}, "up axis 'W' unknown"), ({"units": "ft"}, "units 'ft'")])
def test_unknown_up_axis_or_units_are_refused_before_reading(idle, kwargs, message):
    with pytest.raises(BvhError, match=message):
        retarget(parse_bvh(_our_bvh(idle, 2), "x.bvh"), **kwargs)


def test_absurd_values_that_overflow_give_an_error_not_a_nan_clip(idle):
    text = _our_bvh(idle, 2)
    head, motion = text.split("MOTION\n")
    rows = motion.splitlines()
    rows[2] = " ".join(["1e308"] * len(rows[2].split()))
    with pytest.raises(BvhError, match="non-finite values"):
        retarget(parse_bvh(head + "MOTION\n" + "\n".join(rows) + "\n", "huge.bvh"), units="m", up="Y")


# --- the dev mocap (../shared/data/bvh) --------------------------------------------------------

WALKS = ("walk_normal", "walk_feminine", "walk_not-confident", "cmu_02_01_walk", "xia_sexy")
STANDING = ("bye_proud", "call_normal")


def _bvh_files(data_dir: Path) -> list[Path]:
    files = sorted((data_dir / "bvh").glob("*.bvh"))
    if not files:
        pytest.skip("no BVH clips in ../shared/data/bvh")
    return files


@pytest.fixture(scope="module")
def mocap(data_dir) -> dict[str, Clip]:
    return {p.stem: load_bvh_clip(p) for p in _bvh_files(data_dir)}


def _sole_heights(clip: Clip) -> np.ndarray:
    """Per frame and foot, the lowest of heel, ball and toe tip ``[F, 2]`` (metres)."""
    grot, gpos = clip.fk()
    out = []
    for side in ("left", "right"):
        pts = [clip.skeleton.landmark_positions(f"{side}{n}", grot, gpos)[:, 1] for n in ("Heel", "Ball", "ToeTip")]
        out.append(np.min(pts, axis=0))
    return np.stack(out, axis=1)


def test_every_dev_clip_maps_all_major_bones_with_sensible_sizes(mocap):
    for name, clip in mocap.items():
        assert clip.meta["family"] in ("bnr", "cmu"), name
        assert 1.45 <= clip.meta["source_height_m"] <= 1.95, name
        head_top = clip.landmark("headTop")[:, 1]
        # a 1.65 m avatar: upright 1.58-1.66 m; the timid walk stoops
        assert 1.40 <= float(np.median(head_top)) <= 1.70, name
        assert not clip.meta["warnings"], (name, clip.meta["warnings"])


def test_every_dev_clip_keeps_its_feet_on_the_floor(mocap):
    for name, clip in mocap.items():
        soles = _sole_heights(clip)
        lowest = soles.min(axis=1)
        assert float(np.median(lowest)) < 0.005, name  # something rests on the floor most of the time
        # dips are lifted out (up to MAX_LIFT = 5 cm, by the knee); a few mm may remain where smoothing
        # or a hyperextended source knee leaves them (the penetration gate reports those)
        assert float(lowest.min()) > -MAX_LIFT, name
        assert float(np.mean(lowest < -0.005)) < 0.05, name


def test_walks_travel_forward_along_plus_z(mocap):
    walks = {k: v for k, v in mocap.items() if any(w in k for w in WALKS)}
    assert walks
    for name, clip in walks.items():
        travel = clip.hips_pos[-1] - clip.hips_pos[0]
        speed = travel[2] / clip.duration
        assert 0.6 < speed < 1.8, (name, speed)  # facts §2a: comfortable gait ~1.2-1.4 m/s; styles vary
        assert abs(travel[0]) < 0.1 * travel[2], name


def test_walks_have_alternating_foot_contacts_and_standing_clips_stay_planted(mocap):
    for name, clip in mocap.items():
        plants = sorted(foot_contacts(clip), key=lambda c: c.start)
        if any(w in name for w in WALKS):
            cadence = len(plants) / clip.duration * 60.0
            # facts §2a: 100-120 steps/min at comfortable speed; the timid BNR walk takes quick steps (~158)
            assert 60 < cadence < 170, (name, cadence)
            alternating = sum(a.foot != b.foot for a, b in zip(plants, plants[1:]))
            assert alternating >= 0.7 * (len(plants) - 1), name
        if any(s in name for s in STANDING):
            for side in ("left", "right"):
                planted = sum(c.end - c.start for c in plants if c.foot == side)
                assert planted > 0.8 * clip.n_frames, name


def test_chain_bones_point_where_the_source_bones_point(data_dir):
    path = next(p for p in _bvh_files(data_dir) if "call_normal" in p.name)
    res = retarget(read_bvh(path))
    bvh = read_bvh(path)
    _, src = bvh.fk()
    src = quat.rotate(up_rotation(res.up), src)
    _, tgt = res.clip.fk()
    for a, b in (("leftUpperArm", "leftLowerArm"), ("rightLowerArm", "rightHand"), ("neck", "head")):
        vs = src[:, bvh.index(res.mapping[b])] - src[:, bvh.index(res.mapping[a])]
        vt = tgt[:, hm.INDEX[b]] - tgt[:, hm.INDEX[a]]
        # both clips are only turned about +Y by the alignment: compare elevations
        es = np.degrees(np.arcsin(vs[:, 1] / np.linalg.norm(vs, axis=-1)))
        et = np.degrees(np.arcsin(vt[:, 1] / np.linalg.norm(vt, axis=-1)))
        assert np.abs(es - et).max() < 0.5, (a, b)


def test_knees_bend_about_their_hinge_axis_so_the_reference_twist_is_right(mocap):
    # facts §8: the knee is a hinge; if a family's reference twist were wrong, the thigh-shank plane
    # would not contain the shank's local flexion axis (+X).
    for name, clip in mocap.items():
        grot, gpos = clip.fk()
        for side in ("left", "right"):
            ju, jl, jf = (hm.INDEX[f"{side}{b}"] for b in ("UpperLeg", "LowerLeg", "Foot"))
            thigh, shank = gpos[:, jl] - gpos[:, ju], gpos[:, jf] - gpos[:, jl]
            axis = np.cross(thigh, shank)
            bent = np.linalg.norm(axis, axis=-1) > np.sin(np.radians(20)) * np.linalg.norm(
                thigh, axis=-1
            ) * np.linalg.norm(shank, axis=-1)
            if bent.sum() < 10:
                continue
            local = quat.rotate(quat.conj(grot[bent, jl]), axis[bent])
            local /= np.linalg.norm(local, axis=-1, keepdims=True)
            off = np.degrees(np.arccos(np.clip(local[:, 0], -1, 1)))
            assert np.median(off) < 12.0, (name, side, np.median(off))
