"""Gait engine pieces: pink stride noise, keyed tracks, paths, the footstep plan's contact phases."""

from __future__ import annotations

import numpy as np
import pytest

from posers_blender.engine import gait as G
from posers_blender.engine.gait.path import to_target, turn
from posers_blender.engine.gait.pelvis import pelvis_wave
from posers_blender.engine.skeleton import default_avatar


def test_pink_noise_is_unit_variance_and_long_range_correlated():
    x = G.pink_noise(np.random.default_rng(0), 512)
    assert abs(np.std(x) - 1.0) < 1e-9
    assert np.corrcoef(x[:-1], x[1:])[0, 1] > 0.2  # white noise would be ~0


def test_key_track_passes_through_keys_with_zero_slope():
    t = np.linspace(0, 3, 3001)
    y = G.key_track(t, np.array([0.0, 1.0, 2.5]), np.array([0.0, 2.0, -1.0]))
    for kt, kv in ((1.0, 2.0), (2.5, -1.0)):
        i = int(round(kt * 1000))
        assert abs(y[i] - kv) < 1e-9
        assert abs(y[i + 1] - y[i - 1]) < 1e-4


def test_target_path_ends_at_the_target_and_turn_path_turns_by_its_angle():
    p = to_target([3.0, 4.0], 1.0)
    assert np.linalg.norm(p.point(p.length) - [3.0, 4.0]) < 0.02
    q = turn(2.0, 1.0, np.radians(90.0), 3.0)
    assert abs(np.degrees(q.theta(q.length)) - 90.0) < 1e-6


def test_plan_has_measured_stance_and_double_support_and_alternating_sides():
    plan = G.plan_footsteps(G.GaitSettings(stop=False), G.BASIC, default_avatar(), 20.0, np.random.default_rng(1))
    mv = np.nonzero(plan.moving & np.isfinite(plan.to))[0][2:-3]
    stride = plan.step_time[mv] + plan.step_time[mv + 1]
    stance = (plan.to[mv] - plan.hs[mv]) / stride
    assert np.all(np.abs(stance - G.BASIC.stance) < 0.02)  # facts §2a stance ~60 %
    assert np.all(plan.side[mv] == -plan.side[mv + 1])
    assert np.all((plan.hs[mv] < plan.ff[mv]) & (plan.ff[mv] < plan.ho[mv]) & (plan.ho[mv] < plan.to[mv]))


def test_blend_styles_hits_both_ends():
    assert G.blend_styles(G.BASIC, G.RUNWAY, 0.0) == G.BASIC
    assert G.blend_styles(G.BASIC, G.RUNWAY, 1.0).pelvis_obliquity == G.RUNWAY.pelvis_obliquity


def test_pelvis_wave_never_rises_above_the_legs_reach_and_is_lowest_near_heel_strike():
    plan = G.plan_footsteps(G.GaitSettings(stop=False), G.BASIC, default_avatar(), 12.0, np.random.default_rng(2))
    t = np.arange(0.0, 12.0, 1.0 / 60.0)
    # a sawtooth-like reach envelope with a dip at every heel strike (the shape the legs give)
    hs = plan.hs[np.isfinite(plan.hs)]
    since = np.min(np.where(t[:, None] >= hs[None, :], t[:, None] - hs[None, :], np.inf), axis=1)
    allowed = 0.92 - 0.05 * np.exp(-((since / 0.08) ** 2)) - 0.01 * np.exp(-(((since - 0.5) / 0.05) ** 2))
    extra = 0.002 * np.sin(2.0 * np.pi * 0.4 * t)
    y = pelvis_wave(t, plan, G.BASIC, allowed, extra, 12.0)
    assert np.all(y <= allowed + 1e-9)
    steady = (t > 3.0) & (t < 10.0)
    acc = np.abs(np.diff(y, 2))[steady[1:-1]] * 60.0**2
    assert acc.max() < 8.0  # a smooth wave (see test_walks: pelvis height without kinks)
    lows = [
        float(t[steady][np.argmin(np.where(np.abs(t[steady] - h) < 0.25, y[steady], np.inf))])
        for h in hs[(hs > 3.5) & (hs < 9.5)]
    ]
    assert np.all(np.abs(np.asarray(lows) - hs[(hs > 3.5) & (hs < 9.5)]) < 0.1)  # facts §2c: lowest in double support


def _foot_points(ft: G.FootTrack, g: G.FootGeometry) -> dict[str, np.ndarray]:
    """World positions of the heel, ball (MTP on the sole) and toe tip of a foot track."""
    from posers_blender.engine import quat

    toes_rot = quat.mul(ft.rot, quat.from_axis_angle([1.0, 0.0, 0.0], ft.toes_pitch))
    mtp = ft.ankle + quat.rotate(ft.rot, g.mtp)
    return {
        "heel": ft.ankle + quat.rotate(ft.rot, g.heel),
        "ball": ft.ankle + quat.rotate(ft.rot, g.mtp + np.array([0.0, -g.mtp[1] - g.ankle_height, 0.0])),
        "tip": mtp + quat.rotate(toes_rot, g.toe_tip),
    }


def _basic_feet():
    sk = default_avatar()
    plan = G.plan_footsteps(G.GaitSettings(stop=False), G.BASIC, sk, 12.0, np.random.default_rng(3))
    t = np.arange(0.0, 12.0, 1.0 / 120.0)
    return sk, plan, t, G.foot_tracks(plan, G.BASIC, sk, t)


def test_toe_rocker_keeps_the_toe_tip_planted_and_the_toes_inside_their_bend():
    """After heel off the foot turns about the MTP joint, then (toes near ``toe_bend``) about the toe tip:
    the tip never moves while the foot is in contact, and the toes never bend past ``toe_bend``."""
    sk, plan, t, feet = _basic_feet()
    assert sk.has("leftToes")
    ft = feet["left"]
    g = G.foot_geometry(sk, "left")
    tip = _foot_points(ft, g)["tip"]
    limit = np.radians(G.BASIC.toe_bend)
    assert np.all(-ft.toes_pitch <= limit + 1e-9)
    checked = 0
    for i in np.nonzero((plan.side == 1) & plan.moving & (plan.to < t[-1]))[0][1:]:
        m = (t >= plan.ho[i]) & (t <= plan.to[i])
        drift = np.linalg.norm(tip[m] - tip[m][0], axis=1).max()
        assert drift < 1e-6  # the tip is the rocker's last pivot: it stays put through push-off
        assert ft.pitch[m].max() > np.radians(40.0)  # the foot really rolls (not a flat-footed shuffle)
        checked += 1
    assert checked >= 5


def test_swing_foot_clears_the_floor_by_the_minimum_toe_clearance_in_mid_swing():
    """Mid swing (30-70 % of the swing), every sole point passes at least ``TOE_CLEARANCE`` over the floor
    (the relaxing toes dipped to the floor there and skated at 6 m/s before the clearance was kept)."""
    sk, plan, t, feet = _basic_feet()
    for name in ("left", "right"):
        ft = feet[name]
        pts = _foot_points(ft, G.foot_geometry(sk, name))
        mid = (ft.swing_u > 0.3) & (ft.swing_u < 0.7)
        assert mid.sum() > 100
        low = np.min([p[mid, 1] for p in pts.values()], axis=0)
        floor = G.TOE_CLEARANCE * sk.leg_ratio * np.sin(np.pi * ft.swing_u[mid]) ** 2
        assert np.all(low >= floor - 1e-6)


def test_legs_solved_again_only_where_a_replan_changed_them_equal_a_fresh_full_solve(monkeypatch):
    """A replan re-solves the leg IK only in the frames whose hip, target, pole or foot rotation changed, in
    the result must be what one full solve from rest gives, bit for bit."""
    from posers_blender import humanoid as hm
    from posers_blender.engine.gait import legs, walk
    from posers_blender.engine.program import Tracks
    from posers_blender.engine.sampler import make_context
    from posers_blender.registry import get

    passes = []
    solve = legs.solve_legs

    def counted(tr, feet, style, before=None):
        passes.append(before is not None)
        return solve(tr, feet, style, before)

    monkeypatch.setattr(walk, "solve_legs", counted)
    ctx = make_context(get("seductive-walk"), None, 0, 60.0, 8.0, default_avatar())
    res = walk.build_walk(ctx, G.RUNWAY, G.GaitSettings(step_width=0.0))
    assert sum(passes) >= 1  # at least one partial re-solve happened
    fresh = Tracks(ctx.skeleton, res.grid.n_frames)  # the walk is built on its own time grid
    fresh.lrot[:, 0] = res.grid.lrot[:, 0]
    fresh.hips_offset[:] = res.grid.hips_offset
    solve(fresh, res.feet, G.RUNWAY)
    for side in ("left", "right"):
        for bone in ("UpperLeg", "LowerLeg", "Foot"):
            j = hm.INDEX[f"{side}{bone}"]
            assert np.array_equal(fresh.lrot[:, j], res.grid.lrot[:, j]), f"{side}{bone}"


def test_a_walk_is_the_same_motion_at_24_30_60_and_120_fps():
    """Issue 15: the frame rate changes the sampling, not the motion (the walk is built on one time grid)."""
    from posers_blender.engine.sampler import sample
    from posers_blender.registry import get

    clips = {fps: sample(get("basic-walk"), {}, seed=2, fps=fps, duration=6.0) for fps in (24, 30, 60, 120)}
    ref = clips[120]
    for fps in (24, 30, 60):
        c, step = clips[fps], 120 // fps
        dot = np.abs(np.sum(c.lrot * ref.lrot[::step][: c.n_frames], axis=-1))
        assert np.degrees(2 * np.arccos(np.clip(dot, 0.0, 1.0))).max() < 1.0
        assert np.abs(c.hips_pos - ref.hips_pos[::step][: c.n_frames]).max() < 0.005


def test_walker_slows_down_in_tight_corners_and_keeps_the_speed_in_wide_ones():
    """Issue 15: a 0.4 m, 180° turn at 1.4 m/s turned the heading at 200°/s (neck and hip rotation past their
    facts §8 ranges); the walker now eases down so the heading turns at most MAX_TURN_RATE and at most
    MAX_TURN_PER_STEP per step, and keeps 1.3 m/s on the default 1 m radius."""
    from posers_blender.engine.gait import plan as P

    def heading_rates(speed: float, radius: float, angle: float, target: bool = False) -> tuple[G.FootPlan, np.ndarray]:
        st = G.GaitSettings(speed=speed, path="turn", turn_radius=radius, turn_angle=angle)
        if target:
            st = G.GaitSettings(speed=speed, path="target", turn_radius=radius, target=(-3.0, -2.0))
        plan = G.plan_footsteps(st, G.BASIC, default_avatar(), 14.0, np.random.default_rng(1))
        t = np.arange(0.0, 14.0, 1.0 / 120.0)
        return plan, np.abs(np.gradient(plan.path.theta(plan.pelvis_s(t)), t))

    plan, rate = heading_rates(1.4, 0.4, 180.0)
    cap = min(P.MAX_TURN_RATE, P.MAX_TURN_PER_STEP / plan.step_period)
    assert rate.max() <= cap * 1.01
    assert abs(np.degrees(plan.path.theta(plan.path.length)) - 180.0) < 1e-6  # still the whole turn
    plan, rate = heading_rates(1.4, 0.4, 180.0, target=True)
    assert rate.max() <= min(P.MAX_TURN_RATE, P.MAX_TURN_PER_STEP / plan.step_period) * 1.01
    assert abs(plan.grid_s[-1] - plan.path.length) < 1e-9  # and the walk still stops at the target
    plan, rate = heading_rates(1.3, 1.0, 90.0)
    assert np.max(np.gradient(plan.grid_s, plan.grid_t)) == pytest.approx(1.3, abs=1e-3)  # no slowdown
    assert P._corner_slowdown(plan.path, plan.speed, plan.step_period) is None


def test_hip_joints_behind_the_hips_bone_leave_the_legs_as_they_are():
    """The path carries the hip joints: a rig whose hip joints sit 5 cm behind its hips bone (Godette: 4.8 cm)
    walks with about the same legs as one whose hip joints sit under it (carried on the path, the hips bone put
    every footfall 5 cm ahead of the hip joints: Godette's knee left the floor at 66°, facts §2b 35-40°)."""
    from dataclasses import replace

    from posers_blender import humanoid as hm
    from posers_blender.engine.gait import walk
    from posers_blender.engine.sampler import make_context
    from posers_blender.registry import get

    sk = default_avatar()
    offsets = sk.offsets.copy()
    offsets[0, 2] += 0.05
    for side in ("left", "right"):
        offsets[hm.INDEX[f"{side}UpperLeg"], 2] -= 0.05
    back = replace(sk, offsets=offsets)
    legs = [hm.INDEX[f"{side}{b}"] for side in ("left", "right") for b in ("UpperLeg", "LowerLeg", "Foot")]
    out = []
    for rig in (sk, back):
        ctx = make_context(get("basic-walk"), None, 0, 30.0, 6.0, rig)
        out.append(walk.build_walk(ctx, G.BASIC, G.GaitSettings()).grid)
    # the same up to the pelvis's rotation about its own bone (±4° of yaw swing the hip joints 3 mm): 1.6° at
    # most; carried on the path itself, the hips bone put the legs up to 31° off (3.6° median)
    cos_half = np.abs(np.sum(out[0].lrot[:, legs] * out[1].lrot[:, legs], axis=-1))
    assert np.degrees(2.0 * np.arccos(min(float(cos_half.min()), 1.0))) < 2.5


def test_walks_within_the_knee_speed_bound_keep_the_froude_similar_pace():
    """The default avatar's knees stay under ``KNEE_SPEED_MAX``: it walks at the dynamically similar speed."""
    from posers_blender.engine.gait import walk
    from posers_blender.engine.sampler import make_context
    from posers_blender.registry import get

    ctx = make_context(get("seductive-walk"), None, 0, 30.0, 8.0, default_avatar())
    res = walk.build_walk(ctx, G.RUNWAY, G.GaitSettings(speed=1.4, step_width=0.0))
    assert walk.fastest_knee(res.grid.lrot, walk.GRID_HZ) <= walk.KNEE_SPEED_MAX
    assert res.plan.speed == pytest.approx(1.4 * np.sqrt(default_avatar().leg_ratio), rel=1e-12)
