"""Loops: a whole number of cycles, last key = first key, velocity continuous across the wrap, Cycles modifiers."""

from __future__ import annotations

import pytest

pytest.importorskip("bpy", reason="the Blender integration tests need the bpy module (pip bpy==5.0.1)")

import numpy as np

from posers_blender.blender import avatar, bake, builtin, headless
from posers_blender.engine import quat


def curves(action):
    return [fc for layer in action.layers for s in layer.strips for b in s.channelbags for fc in b.fcurves]


def key_values(fc) -> np.ndarray:
    co = np.empty(2 * len(fc.keyframe_points), dtype=np.float32)
    fc.keyframe_points.foreach_get("co", co)
    return co[1::2].astype(np.float64)


@pytest.mark.parametrize("motion", ["basic-walk", "idle-breathe"])
def test_loop_ends_on_its_first_pose_with_continuous_velocity_and_cycles(empty_scene, motion):
    av = avatar.load(builtin.build())
    res = bake.bake(av, bake.BakeOptions(motion, seconds=6.0, loop=True, root_motion="in_place"))
    fcs = curves(res.action)
    assert fcs and all(len(fc.modifiers) == 1 and fc.modifiers[0].type == "CYCLES" for fc in fcs)
    assert max(abs(key_values(fc)[-1] - key_values(fc)[0]) for fc in fcs) < 1e-5  # last pose == first pose
    # the velocity into the wrap (last two keys) continues as the velocity out of it (first two keys):
    # angular velocity for rotations (quaternion components differ to second order in a fast knee)
    rot: dict[str, list[np.ndarray]] = {}
    for fc in fcs:
        if fc.data_path.endswith("rotation_quaternion"):
            rot.setdefault(fc.data_path, []).append(key_values(fc))
        else:
            v = key_values(fc)
            assert abs((v[-1] - v[-2]) - (v[1] - v[0])) < 1e-5
    worst = 0.0
    for comps in rot.values():
        q = np.stack(comps, axis=1)
        into, out = quat.mul(q[-1], quat.conj(q[-2])), quat.mul(q[1], quat.conj(q[0]))
        worst = max(worst, float(np.degrees(np.linalg.norm(quat.to_scaled_axis(quat.mul(into, quat.conj(out)))))))
    assert rot and worst < 0.01  # degrees per frame
    # in place: the mover ends where it started
    mover = [fc for fc in fcs if fc.data_path.endswith(".location")]
    assert all(abs(key_values(fc)[-1] - key_values(fc)[0]) < 1e-6 for fc in mover)
    assert res.action["posers_loop"] == "in_place"
    if motion == "basic-walk":
        assert res.clip.meta["loop_cycles"] >= 3  # whole strides in 6 s
    # the modifier plays the loop on and on: one period later the curve has the same value
    n = len(res.action.frame_range) and int(res.action.frame_range[1] - res.action.frame_range[0])
    fc = fcs[0]
    assert fc.evaluate(5.0 + n) == pytest.approx(fc.evaluate(5.0), abs=1e-5)


def test_travelling_walk_loop_repeats_its_travel_with_offset(empty_scene):
    av = avatar.load(builtin.build())
    res = bake.bake(av, bake.BakeOptions("basic-walk", seconds=4.0, loop=True, root_motion="travel"))
    n = int(res.action.frame_range[1] - res.action.frame_range[0])
    loc = [fc for fc in curves(res.action) if fc.data_path.endswith(".location")]
    assert all(fc.modifiers[0].mode_after == "REPEAT_OFFSET" for fc in loc)
    travel = max(abs(key_values(fc)[-1] - key_values(fc)[0]) for fc in loc)
    assert travel > 1.0  # a few strides forward per cycle
    for fc in loc:
        step = key_values(fc)[-1] - key_values(fc)[0]
        assert fc.evaluate(3.0 + n) == pytest.approx(fc.evaluate(3.0) + step, abs=1e-4)


def test_loop_takes_one_motion_only():
    args = headless.build_parser().parse_args(["--loop", "--motion", "basic-walk", "--motion", "idle-breathe"])
    from posers_blender.cli import UserError

    with pytest.raises(UserError, match="single --motion"):
        headless.run(args)
