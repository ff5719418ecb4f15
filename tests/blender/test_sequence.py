"""--layout sequence: the next motion starts where and facing where the previous one ended."""

from __future__ import annotations

import pytest

pytest.importorskip("bpy", reason="the Blender integration tests need the bpy module (pip bpy==5.0.1)")

import json

import bpy
import numpy as np

from posers_blender.blender import avatar, bake, builtin, pose_transfer


def hips_track(av: avatar.Avatar, start: int, end: int, bones: tuple[str, ...] = ("hips",)) -> np.ndarray:
    """World position (normalised space) of what the rig plays, frames start..end: the hips, or the mean of
    ``bones`` (humanoid names)."""
    scene = bpy.context.scene
    names = dict(zip(av.rest.bones, av.rest.blender_names))
    pbs = [av.obj.pose.bones[names[b]] for b in bones]
    out = []
    for f in range(start, end + 1):
        scene.frame_set(f)
        heads = [pose_transfer.to_normalised(np.array(av.obj.matrix_world @ pb.head)) for pb in pbs]
        out.append(np.mean(heads, axis=0))
    return np.array(out)


@pytest.mark.parametrize("nla", [False, True])
def test_walk_then_idle_keeps_its_ground(empty_scene, nla):
    av = avatar.load(builtin.build())
    opts = [bake.BakeOptions(m, seconds=4.0, fps=30.0) for m in ("basic-walk", "idle-breathe")]
    results = bake.bake_layers(av, opts, nla=nla, layout="sequence")
    start, end = bake.frame_range(results)
    assert (start, end) == (1, 240)
    hips = hips_track(av, start, end)
    per_frame = np.linalg.norm(np.diff(hips, axis=0), axis=1)
    assert per_frame.max() < 0.08  # no slide back to where the idle was sampled
    assert np.linalg.norm(hips[0][[0, 2]]) < 0.1  # the walk starts at the origin (not hidden by the idle)
    assert (np.diff(hips[:120, 2]) > -1e-3).all()  # and walks forward all the way
    walk_end = hips[119]
    assert walk_end[2] > 2.0  # the walk did travel
    # the idle stands where the walk stopped: its feet, not its hips (a standing body carries its hips ahead of
    # the ankles, a walk ends with them over the feet)
    feet = hips_track(av, start, end, ("leftFoot", "rightFoot"))
    assert np.linalg.norm((feet[-1] - feet[119])[[0, 2]]) < 0.05
    if nla:
        assert len(results) == 2 and len(av.obj.animation_data.nla_tracks) == 2
        assert results[1].action.frame_range[0] == 121
    else:
        assert len(results) == 1
        layers = json.loads(results[0].action["posers_layers"])
        assert [m["motion"] for m in layers] == ["basic-walk", "idle-breathe"]
