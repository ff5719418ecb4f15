"""root_motion.py (pure numpy, no bpy): the root's track and the clip the hips play under it."""

from __future__ import annotations

import numpy as np
import pytest

from posers_blender import humanoid as hm
from posers_blender import registry
from posers_blender.blender import loop, root_motion
from posers_blender.engine import quat
from posers_blender.engine.sampler import sample


def walk(seconds: float = 5.0, **params: object):
    return sample(registry.get("basic-walk"), params, seed=0, fps=30.0, duration=seconds)


@pytest.mark.parametrize("params", [{}, {"path": "turn", "turn_angle": 90.0}])
def test_the_root_carrying_the_carried_clip_is_the_clip(params):
    clip = walk(**params)
    track = root_motion.track(clip, np.array([0.0, 0.0, 0.05]))
    body = root_motion.carried(clip, track)
    d = track.matrices()
    _, gpos = clip.fk()
    grot_b, gpos_b = body.fk()
    world = np.einsum("fij,fbj->fbi", d[:, :3, :3], gpos_b) + d[:, None, :3, 3]
    assert np.abs(world - gpos).max() < 1e-9  # every joint where the clip has it
    turn = quat.from_axis_angle([0.0, 1.0, 0.0], track.yaw)
    grot, _ = clip.fk()
    assert np.abs(quat.mul(turn[:, None], grot_b) - grot).max() < 1e-9
    assert np.abs(track.shift[:, 1]).max() == 0.0  # the root stays on its floor


def test_a_straight_walk_keeps_the_heading_and_a_turn_turns_the_root():
    straight = root_motion.track(walk(), np.zeros(3))
    assert not straight.turns and not straight.yaw.any()
    turning = root_motion.track(walk(path="turn", turn_angle=90.0), np.zeros(3))
    assert turning.turns and np.degrees(turning.yaw[-1] - turning.yaw[0]) == pytest.approx(90.0, abs=10.0)


def test_the_hips_keep_their_sway_and_leave_the_travel_to_the_root():
    clip = walk()
    body = root_motion.carried(clip, root_motion.track(clip, np.zeros(3)))
    moved = np.linalg.norm(clip.hips_pos[-1, [0, 2]] - clip.hips_pos[0, [0, 2]])
    assert moved > 3.0
    side, ahead = np.ptp(body.hips_pos[:, 0]), np.ptp(body.hips_pos[:, 2])
    assert 0.01 < side < 0.06 and ahead < 0.002  # sway on the hips; the path (its start and stop too) on the root
    assert np.abs(body.hips_pos[:, 1] - clip.hips_pos[:, 1]).max() < 1e-12  # the bob stays on the hips


def test_a_loops_root_is_the_straight_ramp_of_its_travel():
    clip = walk(seconds=5.0, start_from_stand=False, stop_at_end=False)
    looped = loop.make_loop(clip, "root_bone")
    track = root_motion.track(looped, np.zeros(3))
    travel = np.asarray(looped.meta["loop_travel"])
    assert np.linalg.norm(travel) > 1.0 and not track.turns
    assert np.allclose(track.shift[-1], travel)
    assert np.allclose(np.diff(track.shift, axis=0), travel / (looped.n_frames - 1))  # a straight, steady ramp
    in_place = loop.make_loop(clip, "in_place")
    body = root_motion.carried(looped, track)
    assert np.abs(body.hips_pos - in_place.hips_pos).max() < 1e-9  # the hips loop as the in-place loop does
    assert np.abs(body.lrot[:, hm.INDEX["hips"]] - in_place.lrot[:, hm.INDEX["hips"]]).max() < 1e-12
