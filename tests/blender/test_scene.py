"""Scores in Blender: one named NLA strip per item on one track, a flat Action as an option, the operator."""

from __future__ import annotations

import bpy
import numpy as np
import pytest

from posers_blender.blender import addon, builtin, scene_ops
from posers_blender.scene import parse_score

SCORE = {
    "version": 1,
    "fps": 30,
    "seed": 2,
    "title": "t",
    "items": [
        {"name": "wait", "motion": "idle-breathe", "seconds": 1.5},
        {"name": "go", "motion": "basic-walk", "to": [0, 1.5]},
        {"name": "think", "motion": "contemplative-lean", "seconds": 2},
    ],
}


def test_each_item_is_its_own_named_strip_on_one_track(empty_scene):
    obj = builtin.build()
    scene, made = scene_ops.load_onto(obj, parse_score(SCORE))
    tracks = obj.animation_data.nla_tracks
    assert [t.name for t in tracks] == [scene_ops.TRACK_NAME]
    strips = list(tracks[0].strips)
    assert [s.name for s in strips] == ["wait", "go", "think"]
    assert [int(s.frame_start) for s in strips] == [1 + seg.start for seg in scene.segments]
    assert obj.animation_data.action is None
    assert bpy.context.scene.frame_end == scene.clip.n_frames
    assert strips[1].action["posers_enter"] == "step-off"
    # strips butt together: the transitions are baked into the strips, no NLA blending
    for a, b in zip(strips, strips[1:]):
        assert a.frame_end == pytest.approx(b.frame_start, abs=1.0)


def test_flat_option_bakes_one_action_with_every_frame(empty_scene):
    obj = builtin.build()
    scene, made = scene_ops.load_onto(obj, parse_score(SCORE), flat=True)
    assert len(made.actions) == 1 and not made.strips
    assert obj.animation_data.action == made.actions[0]
    assert tuple(made.actions[0].frame_range) == (1, scene.clip.n_frames)


def test_the_baked_walk_ends_at_its_target(empty_scene):
    obj = builtin.build()
    scene_ops.load_onto(obj, parse_score(SCORE))
    seg = [1 + s.end - 1 for s in scene_ops.compose(parse_score(SCORE), None).segments][1]
    bpy.context.scene.frame_set(seg)
    hips = obj.matrix_world @ obj.pose.bones[obj.pose.bones[0].name].head
    assert np.hypot(hips.x, -hips.y - 1.5) < 0.3  # Blender: -Y is the avatar's +Z


def test_load_score_operator_reports_a_bad_score_and_changes_nothing(empty_scene, tmp_path):
    addon.register()
    try:
        obj = builtin.build()
        bpy.context.view_layer.objects.active = obj
        bad = tmp_path / "bad.json"
        bad.write_text('{"version": 1, "items": [{"motion": "nope", "seconds": 1}]}')
        with pytest.raises(RuntimeError, match="item 1"):
            bpy.ops.posers.load_score(filepath=str(bad))
        assert obj.animation_data is None or not len(obj.animation_data.nla_tracks)
        good = tmp_path / "good.json"
        import json

        good.write_text(json.dumps(SCORE))
        assert bpy.ops.posers.load_score(filepath=str(good)) == {"FINISHED"}
        assert len(obj.animation_data.nla_tracks[0].strips) == 3
    finally:
        addon.unregister()
