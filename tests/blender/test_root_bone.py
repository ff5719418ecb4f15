"""Root motion on a root bone: the hips keep the motion in place, the bone above them carries the travel.

The built-in avatar has no bone above its hips, and the sample VRMs' hips are connected to theirs (so nothing
can move the hips apart from it); the tests build a rig with a free-standing root bone at the floor.
"""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("bpy", reason="the Blender integration tests need the bpy module (pip bpy==5.0.1)")

import bpy
import numpy as np
from mathutils import Vector

import posers_blender
from posers_blender import humanoid as hm
from posers_blender.blender import avatar, bake, builtin, compat, export, headless, vrm

from .blender_helpers import REPO, build_armature

WALK_S = 5.0
FEET = ("leftFoot", "rightFoot", "leftToes", "rightToes")


def rooted_rig(mode: str = "XYZ", connected: bool = False) -> bpy.types.Object:
    """Every humanoid bone, plus a root bone at the floor (tail forward, rolled) above the hips, in ``mode``."""
    obj = build_armature(list(hm.BONES), name="Rooted")
    bpy.context.view_layer.objects.active = obj
    bpy.ops.object.mode_set(mode="EDIT")
    bones = obj.data.edit_bones
    root = bones.new("root")
    hips = bones["hips"]
    root.head = Vector((0.0, 0.0, 0.0))
    root.tail = hips.head.copy() if connected else Vector((0.0, -0.3, 0.0))
    root.roll = 0.4
    hips.parent = root
    hips.use_connect = connected
    bpy.ops.object.mode_set(mode="OBJECT")
    obj.pose.bones["root"].rotation_mode = mode
    return obj


def world_heads(obj: bpy.types.Object, frames: range, names: tuple[str, ...] = FEET) -> np.ndarray:
    """World head positions ``[F, B, 3]`` (Blender axes, metres) of ``names`` at ``frames``."""
    scene = bpy.context.scene
    out = np.empty((len(frames), len(names), 3))
    for i, f in enumerate(frames):
        scene.frame_set(f)
        out[i] = [tuple(obj.matrix_world @ obj.pose.bones[b].head) for b in names]
    return out


def hips_on_root(obj: bpy.types.Object, frames: range) -> np.ndarray:
    """The hips' head ``[F, 3]`` (armature axes, metres) with the root bone's pose taken off: where they are on it."""
    scene = bpy.context.scene
    rest = obj.data.bones["root"].matrix_local.inverted()
    out = np.empty((len(frames), 3))
    for i, f in enumerate(frames):
        scene.frame_set(f)
        carry = obj.pose.bones["root"].matrix @ rest
        out[i] = tuple(carry.inverted() @ obj.pose.bones["hips"].head)
    return out


def channels(action: bpy.types.Action) -> dict[str, list[bpy.types.FCurve]]:
    out: dict[str, list[bpy.types.FCurve]] = {}
    for fc in compat.fcurves(action):
        out.setdefault(fc.data_path, []).append(fc)
    return out


def bake_both(obj: bpy.types.Object, **kw: object) -> tuple[np.ndarray, np.ndarray, bake.BakeResult, range]:
    """The feet's world track of a travel bake and of a root-bone bake of the same motion, and the second bake."""
    av = avatar.load(obj)
    travel = bake.bake(av, bake.BakeOptions("basic-walk", seconds=WALK_S, root_motion="travel", **kw))  # type: ignore[arg-type]
    frames = range(int(travel.action.frame_range[0]), int(travel.action.frame_range[1]) + 1)
    a = world_heads(obj, frames)
    rooted = bake.bake(av, bake.BakeOptions("basic-walk", seconds=WALK_S, root_motion="root_bone", **kw))  # type: ignore[arg-type]
    return a, world_heads(obj, frames), rooted, frames


def test_walk_travels_on_the_root_bone_while_the_hips_stay_on_it(empty_scene):
    obj = rooted_rig()
    a, b, res, frames = bake_both(obj)
    assert np.abs(a - b).max() < 1e-3  # the feet where the travel bake puts them, every frame
    chans = channels(res.action)
    assert 'pose.bones["root"].location' in chans and res.action["posers_root_bone"] == "root"
    assert not any("root" in p and "rotation" in p for p in chans)  # a straight walk: the root keeps its heading
    root = world_heads(obj, frames, ("root",))[:, 0]
    hips = world_heads(obj, frames, ("hips",))[:, 0]
    walked = np.linalg.norm((hips[-1] - hips[0])[:2])
    assert walked > 3.0
    assert np.linalg.norm((root[-1] - root[0])[:2]) == pytest.approx(walked, abs=0.01)
    assert np.abs(root[:, 2]).max() < 1e-5  # on the floor
    horizontal = hips_on_root(obj, frames)[:, :2]
    assert np.abs(horizontal[-1] - horizontal[0]).max() < 0.005  # the hips end where they started on the root
    assert np.ptp(horizontal, axis=0).max() < 0.06  # the side-to-side sway, nothing more


def test_a_travel_bake_after_a_root_bone_bake_starts_from_the_root_at_rest(empty_scene):
    obj = rooted_rig()
    a, _, _, frames = bake_both(obj)  # a travel bake, then a root-bone bake
    bpy.context.scene.frame_set(frames[-1])  # the root bone metres along the walk
    bake.bake(avatar.load(obj), bake.BakeOptions("basic-walk", seconds=WALK_S, root_motion="travel"))
    assert np.abs(world_heads(obj, frames) - a).max() < 1e-3  # not carried off by the unkeyed root


def test_a_turning_walk_turns_the_root_in_its_own_rotation_mode(empty_scene):
    obj = rooted_rig(mode="ZXY")
    obj.location, obj.rotation_euler, obj.scale = (1.0, 2.0, 0.0), (0.0, 0.0, 0.5), (1.3, 1.3, 1.3)
    bpy.context.view_layer.update()  # the object's transform is the user's: the root's keys work under it
    a, b, res, frames = bake_both(obj, params={"path": "turn", "turn_angle": 90.0})
    assert np.abs(a - b).max() < 1e-3
    chans = channels(res.action)
    assert len(chans['pose.bones["root"].rotation_euler']) == 3
    assert 'pose.bones["root"].rotation_quaternion' not in chans
    assert obj.pose.bones["root"].rotation_mode == "ZXY"  # the rig's settings are not changed
    bpy.context.scene.frame_set(frames[-1])
    forward = obj.pose.bones["root"].matrix.to_3x3() @ Vector((0.0, 1.0, 0.0))  # the root's tail: rest forward
    rest = obj.data.bones["root"].matrix_local.to_3x3() @ Vector((0.0, 1.0, 0.0))
    turned = np.degrees(np.arctan2(rest.cross(forward).z, rest.dot(forward)))
    assert turned == pytest.approx(90.0, abs=15.0)  # a left turn, about the vertical


def test_root_bone_loop_keeps_travelling_with_cycles(empty_scene):
    obj = rooted_rig()
    a, b, res, frames = bake_both(obj, loop=True)
    assert np.abs(a - b).max() < 1e-3
    chans = channels(res.action)
    root = chans['pose.bones["root"].location']
    assert all(fc.modifiers[0].type == "CYCLES" and fc.modifiers[0].mode_after == "REPEAT_OFFSET" for fc in root)
    hips = chans['pose.bones["hips"].location']
    assert all(fc.modifiers[0].mode_after == "REPEAT" for fc in hips)
    assert all(abs(fc.evaluate(frames[-1]) - fc.evaluate(frames[0])) < 1e-6 for fc in hips)  # in place
    assert res.action["posers_loop"] == "root_bone"
    n = len(frames) - 1
    step = (
        world_heads(obj, range(frames[-1], frames[-1] + 1), ("root",))[0, 0]
        - world_heads(obj, range(frames[0], frames[0] + 1), ("root",))[0, 0]
    )
    assert np.linalg.norm(step) > 1.0  # strides forward per cycle
    later = world_heads(obj, range(frames[0] + n, frames[-1] + n + 1))
    assert np.abs(later - (b + step)).max() < 1e-3  # the next cycle walks on from where this one ended


def test_nla_bvh_and_vrma_exports_carry_the_travel(empty_scene, tmp_path: Path):
    obj = rooted_rig(mode="QUATERNION")
    vrm.set_vrm1_humanoid(obj, {b: b for b in hm.BONES})
    av = avatar.load(obj)
    params = {"path": "turn", "turn_angle": 60.0}
    got = {}
    for root in ("travel", "root_bone"):
        res = bake.bake(av, bake.BakeOptions("basic-walk", params=params, seconds=3.0, root_motion=root))
        bake.push_bake_to_nla(obj, res.action)  # played by the NLA: the exports flatten it
        start, end = export.animation_range(obj)
        clip = export.evaluated_clip(av, start, end)
        export.export_bvh(av, tmp_path / f"{root}.bvh", start, end)
        gltf = export.export_vrma(obj, tmp_path / f"{root}.vrma", start, end)
        got[root] = (clip, vrma_hips_translation(tmp_path / f"{root}.vrma", gltf))
        obj.animation_data.nla_tracks.remove(obj.animation_data.nla_tracks[-1])
    travel, rooted = got["travel"], got["root_bone"]
    assert np.abs(travel[0].hips_pos - rooted[0].hips_pos).max() < 1e-3  # BVH: root and hips flattened
    assert np.ptp(rooted[0].hips_pos[:, 2]) > 1.0
    assert (tmp_path / "root_bone.bvh").read_text().count("\n") > 50
    assert np.abs(travel[1] - rooted[1]).max() < 1e-3  # VRMA: the add-on bakes the root's travel into the hips
    assert np.ptp(rooted[1][:, 2]) > 1.0


def vrma_hips_translation(path: Path, gltf: dict) -> np.ndarray:
    """The hips translation samples ``[F, 3]`` (glTF axes) of a VRMA file."""
    data = path.read_bytes()
    length = struct.unpack_from("<I", data, 12)[0]
    binary = data[20 + length + 8 :]
    hips = gltf["extensions"]["VRMC_vrm_animation"]["humanoid"]["humanBones"]["hips"]["node"]
    anim = gltf["animations"][0]
    channel = next(c for c in anim["channels"] if c["target"] == {"node": hips, "path": "translation"})
    acc = gltf["accessors"][anim["samplers"][channel["sampler"]]["output"]]
    view = gltf["bufferViews"][acc["bufferView"]]
    offset = view.get("byteOffset", 0) + acc.get("byteOffset", 0)
    return np.frombuffer(binary, dtype="<f4", count=3 * acc["count"], offset=offset).reshape(-1, 3).astype(float)


def test_no_root_bone_is_one_line_naming_the_avatar_and_the_fix(empty_scene):
    obj = builtin.build()
    av = avatar.load(obj)
    with pytest.raises(bake.NoRootBone) as err:
        bake.bake(av, bake.BakeOptions("basic-walk", seconds=2.0, root_motion="root_bone"))
    assert str(err.value) == ("'Posers Avatar' has no root bone above the hips: choose Travel on hips or In place")
    assert not bpy.data.actions and obj.animation_data is None  # nothing written
    connected = avatar.load(rooted_rig(connected=True))
    with pytest.raises(bake.NoRootBone, match="'hips' is connected to 'root'.*untick Connected"):
        bake.bake(connected, bake.BakeOptions("basic-walk", seconds=2.0, root_motion="root_bone", loop=True))


def test_cli_flag_on_an_avatar_without_a_root_bone_ends_in_one_line(tmp_path: Path):
    args = headless.build_parser().parse_args(["--motion", "basic-walk", "--root-motion", "root-bone"])
    assert args.root_motion == "root-bone"
    out = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "posers_bake.py"), "--motion", "basic-walk", "--seconds", "1"]
        + ["--root-motion", "root-bone", "--out", str(tmp_path / "x.blend")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "'Posers Avatar' has no root bone above the hips: choose Travel on hips or In place" in out.stderr
    assert not (tmp_path / "x.blend").exists()


@pytest.fixture
def window_rig(empty_scene):
    posers_blender.register()
    win = bpy.context.window_manager.windows[0]
    with bpy.context.temp_override(window=win):
        yield
    posers_blender.unregister()


def snapshot() -> dict[str, object]:
    return {
        "actions": sorted(a.name for a in bpy.data.actions),
        "active": {
            o.name: o.animation_data.action.name if o.animation_data and o.animation_data.action else None
            for o in bpy.data.objects
        },
        "bones": {o.name: sorted(b.name for b in o.data.bones) for o in bpy.data.objects if o.type == "ARMATURE"},
    }


def _select(obj: bpy.types.Object) -> None:
    bpy.context.view_layer.objects.active = obj
    obj.select_set(True)
    obj.posers.motion = "basic-walk"
    obj.posers.seconds = 2.0
    obj.posers.root_motion = "root_bone"
    bpy.ops.ed.undo_push(message="test setup")


def test_operator_bakes_on_the_root_bone_and_undo_restores(window_rig):
    obj = rooted_rig()
    _select(obj)
    before = snapshot()
    assert bpy.ops.posers.bake_motion("EXEC_DEFAULT", True) == {"FINISHED"}
    action = bpy.data.objects["Rooted"].animation_data.action
    assert 'pose.bones["root"].location' in channels(action)
    assert snapshot() != before
    assert bpy.ops.ed.undo() == {"FINISHED"}
    assert snapshot() == before


def test_operator_without_a_root_bone_cancels_and_changes_nothing(window_rig):
    obj = builtin.build()
    _select(obj)
    before = snapshot()
    # the operator reports one line and returns CANCELLED (bpy.ops raises it as a RuntimeError outside the UI)
    with pytest.raises(RuntimeError, match=r"^Error: 'Posers Avatar' has no root bone above the hips: choose"):
        bpy.ops.posers.bake_motion("EXEC_DEFAULT", True)
    assert snapshot() == before


def test_a_sequence_on_nla_tracks_with_reduced_keys_walks_where_the_travel_bake_walks(empty_scene):
    obj = rooted_rig()
    av = avatar.load(obj)
    feet = []
    for root in ("travel", "root_bone"):
        motions = [
            bake.BakeOptions(m, seconds=2.5, root_motion=root, reduce_keys_deg=0.5)
            for m in ("idle-breathe", "basic-walk")
        ]
        results = bake.bake_layers(av, motions, nla=True, layout="sequence")
        assert (root == "root_bone") == all("posers_root_bone" in r.action for r in results)
        start, end = bake.frame_range(results)
        clip = export.evaluated_clip(av, start, end)
        feet.append(clip.fk()[1][:, [hm.INDEX[b] for b in FEET]])
        for track in list(obj.animation_data.nla_tracks):
            obj.animation_data.nla_tracks.remove(track)
    assert np.ptp(feet[1][:, 0, 2]) > 0.5
    assert np.abs(feet[0] - feet[1]).max() < 0.005  # both within the key reduction's tolerance of one motion (0.5 mm)


def test_in_place_without_a_loop_walks_on_the_spot(empty_scene):
    av = avatar.load(builtin.build())
    res = bake.bake(av, bake.BakeOptions("basic-walk", seconds=4.0, root_motion="in_place"))
    frames = range(int(res.action.frame_range[0]), int(res.action.frame_range[1]) + 1)
    hips = world_heads(av.obj, frames, ("hips",))[:, 0]
    assert np.ptp(hips[:, 0]) < 0.06 and np.ptp(hips[:, 1]) < 0.01  # the sway, no travel (Blender -Y is ahead)


def test_preview_over_a_root_bone_bake_walks_as_far_as_the_bake(empty_scene):
    """The live preview carries the travel on the hips; a Root Bone bake's keyed root would carry it a second
    time, so the preview holds the root at rest and gives it back when it ends."""
    posers_blender.register()
    try:
        obj = rooted_rig()
        a, b, _res, frames = bake_both(obj)  # the Root Bone bake is now the active Action
        obj.posers.motion = "basic-walk"
        obj.posers.seconds = WALK_S
        bpy.context.scene.render.fps = 30  # the preview samples at the scene's rate, the bakes above at 30 fps
        obj.posers.preview = True
        previewed = world_heads(obj, frames)
        obj.posers.preview = False
        assert np.abs(previewed - a).max() < 1e-3  # the feet where the travel bake puts them, not twice as far
        assert np.abs(world_heads(obj, frames) - b).max() < 1e-6  # the bake plays again once the preview ends
    finally:
        posers_blender.unregister()
