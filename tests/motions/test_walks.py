"""basic-walk and seductive-walk measured by the quality suite: contacts, gait bands, style deltas, limits.

Bands come from the facts file §2/§3 and the metrics file §9 (A gates, B3-B5,
B11); each assertion names its row. Clips are cached in ``walk_helpers`` so the
module stays fast. Spatiotemporal figures use 60 fps clips: at 30 fps one
frame is 3 % of a stride, too coarse for the stance and double-support bands.
"""

from __future__ import annotations

import numpy as np
import pytest

from posers_blender import humanoid as hm
from posers_blender.quality import contacts, continuity, limits, timing
from posers_blender.quality import gait_kinematics as gk
from posers_blender.quality.kinematics import kinematics
from posers_blender.quality.suite import evaluate
from posers_blender.registry import get

from .walk_helpers import vrm_files, walk

WALKS = ("basic-walk", "seductive-walk")
TURN = (("path", "turn"), ("turn_angle", 90.0))
#: Gates the retargeted mocap walks in the dev data fail too (pose jump 51-73 mm, velocity jump 1.7-2.8 m/s,
#: leg PLV 0.997-0.998): checked against mocap levels in their own test below, not as suite gates.
MOCAP_LEVEL = {"pose_jump", "velocity_jump"}


def steady(motion: str, items: tuple = (), seed: int = 1):
    return walk(motion, items, seed, 24.0, 60.0)


# ---- hard gates (metrics §9 A1-A8) ------------------------------------------------------------------
@pytest.mark.parametrize("motion", WALKS)
@pytest.mark.parametrize("items", [(), TURN], ids=["straight", "turn90"])
@pytest.mark.parametrize("seed", [1, 5])
def test_walk_passes_every_hard_gate_of_the_quality_suite(motion, items, seed):
    clip = walk(motion, items, seed, 20.0)
    report = evaluate(clip, get(motion).meta)
    failed = [r for r in report.failed("gate") if r.name not in MOCAP_LEVEL]
    assert not failed, [(r.name, r.value, r.detail) for r in failed]


@pytest.mark.parametrize("motion", WALKS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_straight_walk_passes_every_hard_gate_including_pose_jump(motion, seed):
    """No exemptions on a straight path at 30 fps (the ``posers check`` default): the knee pops at toe off
    (swing lift with an unbounded start acceleration) and at heel strike (pelvis clipped under the landing
    leg) measured 33-34 mm (runway) and 24 mm (basic) against the 27.8 mm pose-jump gate."""
    clip = walk(motion, (), seed, 30.0)
    report = evaluate(clip, get(motion).meta)
    failed = report.failed("gate")
    assert not failed, [(r.name, r.value, r.detail) for r in failed]
    assert continuity.pose_jump(clip).size < 25.0  # a margin under the gate, so a regression shows here first


@pytest.mark.parametrize("motion", WALKS)
def test_pelvis_height_is_a_smooth_wave_without_kinks(motion):
    """Facts §2c: the vertical COM rises and falls smoothly, two cycles per stride (no plateau with a V).

    Bound on the pelvis's vertical acceleration, 8 m/s² at 120 fps: a sinusoidal bob of 5 cm peak to peak
    (top of the facts §2c band) at 125 steps/min (top of the §2a cadence band) peaks at 4.3 m/s²; keys
    spaced unevenly (rise over 60 % of a step, fall over 40 %) raise that by up to (0.5/0.4)² ≈ 1.6, so
    6.8 m/s². A corner or a step in the height grows with the frame rate instead: the clipped envelope
    this replaced measured 16-23 m/s² at 120 fps (9-15 at 60 fps). The fitted heel-strike jolt (issue 13,
    gait/heel_strike.py) is a real shock on top: the CMU walkers' hips read 4-12 m/s² at 120 fps after a 12 Hz
    low-pass (raw 11-89: marker jitter); basic-walk and seductive-walk read 9.0-9.2 with it (main passed under 8), so the
    bound is 10.
    """
    clip = walk(motion, (), 1, 16.0, 120.0)
    y = clip.hips_pos[:, 1]
    steady = slice(int(3 * clip.fps), int(12 * clip.fps))
    acc = np.abs(np.diff(y, 2))[steady] * clip.fps**2
    assert acc.max() < 10.0
    k = gk.gait_kinematics(clip)
    assert 0.02 <= k.vertical_excursion <= 0.05  # facts §2c vertical 2-5 cm


@pytest.mark.parametrize("motion", WALKS)
@pytest.mark.parametrize("items", [(), TURN], ids=["straight", "turn90"])
def test_planted_foot_slides_less_than_5_mm_on_default_avatar(motion, items):
    clip = walk(motion, items)
    plants = contacts.foot_contacts(clip)
    assert len(plants) >= 20
    assert contacts.foot_slide_max(clip) < 5.0
    assert contacts.penetration_max(clip) <= 5.0  # A3
    assert contacts.floating_max(clip) <= 5.0  # A4: a stance foot never hovers


VRMS = [p.stem for p in vrm_files()] or ["none"]


@pytest.mark.parametrize("vrm", VRMS)
@pytest.mark.parametrize("motion", WALKS)
@pytest.mark.parametrize("items", [(), TURN], ids=["straight", "turn90"])
def test_planted_foot_slides_less_than_5_mm_on_each_sample_vrm(vrm, motion, items):
    if vrm == "none":
        pytest.skip("sample VRMs not available")
    clip = walk(motion, items, 3, 10.0, 30.0, vrm)
    assert len(contacts.foot_contacts(clip)) >= 12
    assert contacts.foot_slide_max(clip) < 5.0  # metrics A2
    assert contacts.penetration_max(clip) <= 5.0  # A3
    assert contacts.floating_max(clip) <= 5.0  # A4


@pytest.mark.parametrize("vrm", VRMS)
def test_vrm_walks_stay_near_the_joint_limits(vrm):
    """Joint limits on the sample rigs: no violation beyond 10° (the default avatar must have none, above).

    Chibi proportions (Godette: feet long for its legs) push late-stance dorsiflexion ~5° past the 20+5° limit.
    """
    if vrm == "none":
        pytest.skip("sample VRMs not available")
    for motion in WALKS:
        lv = limits.limit_violations(walk(motion, (), 3, 10.0, 30.0, vrm))
        assert lv.worst_excess <= 10.0, (motion, lv.worst_angle, lv.worst_value)


def _pushoff_knee_dips(clip) -> list[float]:
    """Per foot contact that ends in a lift: how far the knee straightens after its late-stance bend."""
    out = []
    for side in ("left", "right"):
        k = limits.angle(clip, f"{side}Knee.flexion")
        for c in contacts.foot_contacts(clip):
            seg = k[c.start : c.end]
            if c.foot != side or not c.lifts or len(seg) < 6:
                continue
            lo = int(np.argmin(seg[: int(0.6 * len(seg))]))  # straightest point of mid stance
            j = lo + int(np.argmax(seg[lo:]))
            out.append(float(seg[j] - seg[j:].min()))
    return out


def test_long_footed_vrm_lifts_the_foot_before_the_trailing_knee_snaps_straight():
    """cryptovoxels (long feet for its legs): the body outran the forefoot's roll, so the trailing knee
    straightened a median 17° (up to 29°) in the last frames of stance and whipped back into swing (pose jump
    37.8 mm at 30 fps, gate 27.8). Toe off now comes where the knee stops bending (``_replan_rolls``):
    median 10°, 22.5 mm."""
    if "cryptovoxels" not in VRMS:
        pytest.skip("sample VRMs not available")
    clip = walk("basic-walk", (), 3, 10.0, 30.0, "cryptovoxels")
    assert continuity.pose_jump(clip).size < 27.78  # A1 gate at 30 fps
    assert float(np.median(_pushoff_knee_dips(clip))) < 13.0


@pytest.mark.parametrize("vrm", ["cryptovoxels", "debug_robot", "cool_loops"])
def test_basic_walk_on_these_vrms_passes_the_pose_jump_and_joint_limit_gates(vrm):
    """Regression guard for three rigs: cryptovoxels (the trailing knee snapped straight before toe off:
    36.6 mm), debug_robot (its closing step landed toes-up in front of a bent knee, ankle 31° dorsiflexed, and
    the swing ankle cap let go at contact: 35.4 mm) and cool_loops (1.36x the default legs: its heels landed
    at a length-scaled 0.34 m/s, 28.8 mm at a heel strike). Godette: see the test below."""
    if vrm not in VRMS:
        pytest.skip("sample VRMs not available")
    clip = walk("basic-walk", (), 3, 10.0, 30.0, vrm)
    assert continuity.pose_jump(clip).size < 27.78  # A1 gate at 30 fps
    assert limits.limit_violations(clip).frames == 0  # A5


@pytest.mark.parametrize("motion", WALKS)
def test_short_legged_godette_keeps_its_knees_under_the_joint_speed_gate_at_120_fps(motion):
    """Godette (legs 0.57x the default's, hip joints 4.8 cm behind its hips bone): its footfalls landed ahead of
    the hip joints (knee 66° at toe off) and the Froude-similar runway swing runs 1.33x the built-in's: the knee
    extended at 614-701°/s at 30 fps and ~640-750°/s at 120 fps (A8 gate 600). The path now carries the hip
    joints and the walk is slowed where a knee would pass 585°/s on the 120 Hz grid."""
    if "Godette_vrm_v4" not in VRMS:
        pytest.skip("sample VRMs not available")
    clip = walk(motion, (), 0, 10.0, 120.0, "Godette_vrm_v4")
    assert limits.joint_speed_stats(clip, exclude=limits.EYES_AND_TOES).max < 600.0  # A8


@pytest.mark.parametrize("motion", WALKS)
def test_walk_continuity_is_no_worse_than_real_walking(motion):
    """Pose/velocity jumps within those of the retargeted mocap walks of the dev data at 30 fps.

    Measured there: pose jump 51-73 mm (bnr1_walk_normal, bnr1_walk_feminine, xia_sexy), 18 mm (cmu_02_01);
    velocity jump 1.69, 2.17, 2.79 and 1.30 m/s. The suite's [E] gates (20 mm, 1.5 m/s) fail real walking.
    """
    clip = walk(motion, TURN, 1, 20.0)
    assert continuity.pose_jump(clip).size < 45.0
    assert continuity.velocity_jump(clip).size < 2.17


def test_turn_path_really_turns_90_degrees():
    for motion in WALKS:
        clip = walk(motion, TURN)
        d = clip.hips_pos[-1] - clip.hips_pos[-int(clip.fps * 2.5)]
        assert abs(np.degrees(np.arctan2(d[0], d[2])) - 90.0) < 15.0


def test_target_path_stops_at_the_target():
    clip = walk("basic-walk", (("path", "target"), ("target_x", 2.0), ("target_z", 5.0)), 1, 14.0)
    assert np.hypot(clip.hips_pos[-1, 0] - 2.0, clip.hips_pos[-1, 2] - 5.0) < 0.15


def test_in_place_keeps_the_hips_over_the_spot():
    clip = walk("basic-walk", (("in_place", True),))
    assert np.ptp(clip.hips_pos[:, 2]) < 0.12
    assert np.ptp(clip.hips_pos[:, 0]) < 0.12


# ---- gait figures: facts §2a/§2c, metrics B3-B5 --------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2])
def test_basic_walk_spatiotemporal_figures_in_facts_bands(seed):
    g = timing.gait(steady("basic-walk", seed=seed))
    assert 95 <= g.cadence <= 125  # facts §2a cadence / B3
    assert 0.36 <= g.step_length <= 0.48  # facts §2a step length 0.36-0.48 H
    assert 57 <= g.stance <= 64  # facts §2a stance / B3
    assert 16 <= g.double_support <= 26  # facts §2a double support / B3
    assert 1.0 <= g.stride_cv <= 4.0  # facts §2a stride-time CV / B5
    assert 1.0 <= g.pci <= 5.0  # facts §2a PCI / B5
    assert g.speed_consistency <= 5.0  # B3 speed = cadence x step length
    assert g.speed == pytest.approx(1.3, rel=0.05)  # facts §2a comfortable speed (the default)
    k = gk.gait_kinematics(steady("basic-walk", seed=seed))
    assert 0.05 <= k.step_width <= 0.14  # facts §2a step width
    assert 0.08 <= k.swing_lift <= 0.25  # ankle lift in swing [E]


def test_basic_walk_pelvis_and_arm_figures_in_facts_bands():
    k = gk.gait_kinematics(steady("basic-walk"))
    assert 5 <= k.pelvic_obliquity <= 12  # facts §2c obliquity / B4
    assert 5 <= k.pelvic_rotation <= 14  # B4
    assert 0.02 <= k.vertical_excursion <= 0.05  # facts §2c vertical 2-5 cm / B4
    assert 0.025 <= k.lateral_excursion <= 0.07  # facts §2c lateral / B4
    assert 20 <= k.shoulder_arc <= 45  # facts §2c arm arc / B4
    assert 150 <= k.arm_thigh_phase <= 210  # B4 arm vs ipsilateral thigh
    assert k.head_roll <= 3.0  # facts §2c head stabilised (≤2-3° residual)
    c = k.curves
    # facts §2c: the pelvis is highest near mid-stance (~30 and ~80 %GC), lowest in double support
    assert 15 <= gk.curve_peak(c["pelvisY"], 5, 50)[1] <= 40
    assert 65 <= gk.curve_peak(c["pelvisY"], 55, 100)[1] <= 90
    # facts §2c: the elbow bends more on the forward swing
    sh = c["shoulder"]
    assert c["elbow"][sh > np.percentile(sh, 75)].mean() > c["elbow"][sh < np.percentile(sh, 25)].mean() + 5.0


def test_basic_walk_joint_curves_in_measured_bands():
    c = gk.gait_kinematics(steady("basic-walk")).curves
    v, at = gk.curve_peak(c["knee"], 50, 95)
    assert 60 <= v <= 70 and 65 <= at <= 78  # facts §2b knee swing peak 60-70°; B4 timing 65-78 %GC
    v, at = gk.curve_peak(c["knee"], 0, 30)
    assert 8 <= v <= 25 and 8 <= at <= 20  # B4 knee loading peak 8-25° at 8-20 %GC
    v, at = gk.curve_peak(c["hip"], 30, 75, "min")
    # facts §2b hip max extension 10-20°; B4 at 45-60 %GC. The extension plateaus at the band's end (60 %GC: -16.15°,
    # 61: -16.20°; a parabola through the samples peaks at 60.6), and the cycle is read from heel strikes found to
    # the frame: at 60 fps a ~1.1 s stride spans ~66 frames, so the %GC axis is only known to about 1.5 %GC
    assert 10 <= -v <= 20
    assert 45 <= at <= 60 + 1.5, (at, c["hip"][58:63])
    v, at = gk.curve_peak(c["ankle"], 50, 85)
    assert 10 <= v <= 30 and 58 <= at <= 70  # B4 ankle plantarflexion peak
    assert 20 <= c["hip"][0] <= 30  # facts §2b hip at IC 20-30°
    # facts §2b hip max flexion about 30-35° in late swing: 36.6° measured (47° two versions ago), so this
    # allows the measured gap of ~2° and no more
    assert gk.curve_peak(c["hip"], 60, 100)[0] <= 38.0
    # facts §2b knee near full extension at ~40 %GC, ~20° at opposite heel strike (50 %GC), 35-40° at toe off;
    # a heel rise that started too early bent the trailing knee into a 38-44° hump at 50 %GC
    assert gk.curve_peak(c["knee"], 30, 45, "min")[0] <= 15.0
    assert c["knee"][50] <= 28.0
    # ...and the knee flexes in one movement from late stance into swing: no straightening before toe off
    # (the old heel rise straightened it by 9° between 50 and 60 %GC: a knee that bends twice)
    k = c["knee"][45:76]
    assert float(np.max(np.maximum.accumulate(k) - k)) <= 2.0


def test_arm_swing_is_driven_through_springs_not_a_bare_sine():
    """The spring drive leaves harmonics: the shoulder angle is not one spectral line (metrics §6, B6)."""
    clip = walk("basic-walk", (("stop_at_end", False), ("start_from_stand", False)), 1, 20.0)
    x = gk.shoulder_sagittal(clip, "left")
    spec = np.abs(np.fft.rfft(x - x.mean())) ** 2
    assert spec.max() / spec.sum() < 0.97


# ---- style: metrics B11 RUNW -----------------------------------------------------------------------------
def test_runway_is_narrower_and_sways_the_pelvis_more_than_basic_at_the_same_speed():
    basic = gk.gait_kinematics(steady("basic-walk", (("speed", 1.2),)))
    run = gk.gait_kinematics(steady("seductive-walk", (("speed", 1.2),)))
    assert run.step_width <= 0.03 and run.step_width < basic.step_width - 0.03  # B11 width ≤ +2 cm; facts §3
    assert run.pelvic_obliquity >= 1.2 * basic.pelvic_obliquity  # B11 obliquity ≥ 1.2x neutral
    assert run.pelvic_rotation > basic.pelvic_rotation + 2.0  # facts §3 rotation ±6-8° vs ±4°
    assert run.knee_pushoff <= basic.knee_pushoff - 5.0  # B11 knee at push-off ≥ 5° straighter
    # facts §3 (Morris et al. 2013, high heels): less knee flexion; the runway's loading knee bent 31° vs
    # basic's 24° when its pelvis was lowest late in double support
    assert gk.curve_peak(run.curves["knee"], 0, 30)[0] <= gk.curve_peak(basic.curves["knee"], 0, 30)[0]
    assert run.head_roll <= basic.head_roll + 0.2  # B11 head roll ≤ neutral
    assert run.shoulder_mean < basic.shoulder_mean - 3.0  # B11 arm swing biased toward extension


def test_runway_swing_foot_is_not_held_toes_up():
    """Facts §2b: the ankle is back near neutral in mid swing. The runway's short push-off left the swing foot
    at the dorsiflexion cap (14-16° toes up over 70-90 %GC); it is carried pointed now (2-8°)."""
    ankle = gk.gait_kinematics(steady("seductive-walk")).curves["ankle"]
    assert ankle[70:91].min() >= -10.0


def test_runway_walk_spatiotemporal_figures_stay_in_gait_bands():
    g = timing.gait(steady("seductive-walk"))
    assert 95 <= g.cadence <= 125 and 0.36 <= g.step_length <= 0.48
    assert 57 <= g.stance <= 64 and 16 <= g.double_support <= 26
    assert 1.0 <= g.stride_cv <= 4.0 and 1.0 <= g.pci <= 5.0


def test_style_intensity_blends_from_basic_to_runway():
    ob = [
        gk.gait_kinematics(steady("seductive-walk", (("speed", 1.2), ("style_intensity", k)))).pelvic_obliquity
        for k in (0.0, 0.5, 1.0)
    ]
    assert ob[0] < ob[1] < ob[2]


def test_style_intensity_zero_is_the_basic_walk():
    a = walk("basic-walk", (("speed", 1.3),), 4, 6.0)
    b = walk("seductive-walk", (("speed", 1.3), ("style_intensity", 0.0)), 4, 6.0)
    np.testing.assert_allclose(a.lrot, b.lrot, atol=1e-9)
    np.testing.assert_allclose(a.hips_pos, b.hips_pos, atol=1e-9)


# ---- determinism, markers, starts and stops ---------------------------------------------------------------
@pytest.mark.parametrize("motion", WALKS)
def test_same_seed_gives_identical_output_and_other_seeds_differ(motion):
    from posers_blender.engine.sampler import sample

    a = sample(get(motion), {}, seed=7, fps=30, duration=5)
    b = sample(get(motion), {}, seed=7, fps=30, duration=5)
    c = sample(get(motion), {}, seed=8, fps=30, duration=5)
    assert np.array_equal(a.lrot, b.lrot) and np.array_equal(a.hips_pos, b.hips_pos)
    assert a.markers == b.markers
    assert not np.allclose(a.lrot, c.lrot)


def test_step_contact_markers_alternate_and_follow_the_phase_order():
    clip = walk("basic-walk")
    names = [n for _, n in clip.markers]
    hs = [n for n in names if n.endswith("HeelStrike")]
    assert len(hs) >= 10
    assert all(a != b for a, b in zip(hs[:-1], hs[1:]))
    times = {k: [t for t, n in clip.markers if n == k] for k in set(names)}
    for side in ("left", "right"):
        for t0 in times[f"{side}HeelStrike"][:-1]:
            ff = min(t for t in times[f"{side}FootFlat"] if t > t0)
            ho = min(t for t in times[f"{side}HeelOff"] if t > t0)
            to = min(t for t in times[f"{side}ToeOff"] if t > t0)
            assert t0 < ff < ho < to


def test_markers_match_the_measured_heel_strikes():
    clip = walk("basic-walk")
    planned = np.array(sorted(t for t, n in clip.markers if n.endswith("HeelStrike")))
    measured = np.array([t for t, _ in timing.heel_strikes(clip)])
    near = [np.min(np.abs(planned - t)) for t in measured]
    assert np.median(near) < 0.06  # the suite's 3 cm contact rule fires a little before the heel lands


def test_walk_starts_and_stops_standing_with_feet_side_by_side():
    clip = walk("basic-walk")
    for i in (0, -1):
        gap = clip.landmark("leftHeel")[i] - clip.landmark("rightHeel")[i]
        assert abs(gap[2]) < 0.2 * clip.skeleton.height  # side by side, not mid-stride
    assert np.linalg.norm(np.diff(clip.hips_pos[-5:], axis=0), axis=1).max() < 2e-3  # at rest at the end
    # gait initiation: the first step is shorter than the steady ones
    hs = sorted((t, n) for t, n in clip.markers if n.endswith("HeelStrike"))
    first_side = hs[0][1].replace("HeelStrike", "")
    heel = clip.landmark(f"{first_side}Heel")
    i1 = int(round(hs[0][0] * clip.fps))
    steady_len = timing.gait(clip).step_length * clip.skeleton.height
    assert heel[i1, 2] - heel[0, 2] < 0.9 * 2 * steady_len


def test_runway_swing_foot_passes_close_to_the_stance_ankle_without_circumduction():
    """Issue 6: the earlier runway walk swung the foot ~11 cm out around the stance foot ("geometric
    crossover", robotic). The ankle centres need only about two half ankle widths (~7 cm [E]) as they pass."""
    clip = steady("seductive-walk")
    p = kinematics(clip).gpos
    lf, rf = p[:, hm.INDEX["leftFoot"]], p[:, hm.INDEX["rightFoot"]]
    sl = slice(int(3 * clip.fps), int(12 * clip.fps))
    dz = lf[sl, 2] - rf[sl, 2]  # the straight path runs along +Z
    passing = np.nonzero(np.diff(np.sign(dz)) != 0)[0] + sl.start
    assert len(passing) >= 10
    sep = np.abs(lf[passing, 0] - rf[passing, 0])
    assert np.mean(sep) < 0.085 and np.max(sep) < 0.10
    assert np.max(np.abs(lf[sl, 0] - rf[sl, 0])) < 0.12  # never swings wide around the other foot


# ---- issue 15: every setting inside the declared ranges passes the hard gates, or is refused up front ------
#: Drawn walks per frame-rate pair: about a minute for both tests on one core (hypothesis, derandomised so CI
#: is stable; ``scripts/fuzz.py --motions basic-walk seductive-walk`` explores far more settings).
DRAWN_WALKS = {(24.0, 30.0): 240, (60.0, 120.0): 180}


def _drawn_settings(draw, motion):
    """Every walk parameter drawn inside its declared range, made to fit the walk's rules (the refusals are
    checked below): the cadence automatic or within ``CADENCE_SPAN`` of the speed's automatic cadence.
    ``in_place`` stays off: the in-place walk is the same walk less a horizontal translation, and its feet
    slide back with the belt, so the world-space skate gate fails it by design (scripts/fuzz.py scores it on
    its belt)."""
    from hypothesis import strategies as st

    from posers_blender.engine.gait import BASIC, RUNWAY, blend_styles
    from posers_blender.engine.gait.style import MIN_TARGET_M, cadence_range
    from posers_blender.engine.params import Param

    out: dict[str, object] = {}
    for p in get(motion).schema:
        assert isinstance(p, Param)
        if p.name in ("in_place", "cadence"):
            continue
        if p.kind == "float":
            out[p.name] = draw(st.floats(p.min, p.max))
        elif p.kind == "bool":
            out[p.name] = draw(st.booleans())
        elif p.kind == "enum":
            out[p.name] = draw(st.sampled_from(p.choices))
    if out.get("path") == "target" and float(np.hypot(out["target_x"], out["target_z"])) < MIN_TARGET_M:
        out["target_z"] = MIN_TARGET_M  # the rule (refusal tested below): a target path walks at least that far
    if draw(st.booleans()):
        style = blend_styles(BASIC, RUNWAY, float(out.get("style_intensity", 0.0)))  # type: ignore[arg-type]
        lo, hi = cadence_range(float(out["speed"]), style)  # type: ignore[arg-type]
        top = get(motion).schema["cadence"].max or hi
        out["cadence"] = draw(st.floats(lo + 1e-6, min(hi, top) - 1e-6))
    return out


def _drawn_settings_pass_the_hard_gates(fps_choices: tuple[float, ...]) -> None:
    """Random settings, seeds, clip lengths and frame rates: no NaN and every hard gate."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    from posers_blender.engine.sampler import sample

    @settings(
        max_examples=DRAWN_WALKS[fps_choices],
        deadline=None,
        derandomize=True,
        phases=(Phase.explicit, Phase.generate),  # no shrinking: each step samples a clip; the draw is printed
        suppress_health_check=list(HealthCheck),
    )
    @given(
        st.data(),
        st.sampled_from(WALKS),
        st.integers(0, 2**32 - 1),
        st.sampled_from(fps_choices),
        st.floats(4.0, 14.0),
    )
    def check(data, motion, seed, fps, seconds):
        items = _drawn_settings(data.draw, motion)
        clip = sample(get(motion), items, seed=seed, fps=fps, duration=seconds)
        report = evaluate(clip, get(motion).meta)
        failed = [(r.name, r.value, r.detail) for r in report.failed("gate")]
        assert not failed, (motion, items, seed, fps, seconds, failed)

    check()


def test_walk_settings_drawn_inside_the_ranges_pass_the_hard_gates_at_24_and_30_fps():
    """Issue 15 at film and video rates. Tight turns broke the neck's and hips' rotation ranges until the
    walker slowed down in corners (gait.plan.MAX_TURN_RATE, MAX_TURN_PER_STEP)."""
    _drawn_settings_pass_the_hard_gates((24.0, 30.0))


def test_walk_settings_drawn_inside_the_ranges_pass_the_hard_gates_at_60_and_120_fps():
    """Issue 15 at high frame rates, where the gates read single-frame jumps of a few mm: the trailing knee
    popped at toe off where it was nearly straight (gait.style knee_toe_off) and a walk started mid-stride
    opened just after a toe off (gait.plan.MID_STRIDE_OPEN)."""
    _drawn_settings_pass_the_hard_gates((60.0, 120.0))


def test_cadence_that_does_not_fit_the_speed_is_refused_with_both_names():
    from posers_blender.engine.params import ParamError
    from posers_blender.engine.sampler import sample

    with pytest.raises(ParamError, match="cadence.*speed"):
        sample(get("basic-walk"), {"cadence": 35.0}, seed=1, fps=30, duration=4.0)
    with pytest.raises(ParamError, match="in_place.*path"):
        sample(get("basic-walk"), {"in_place": True, "path": "turn"}, seed=1, fps=30, duration=4.0)


@pytest.mark.parametrize("motion", WALKS)
def test_a_target_where_the_walker_stands_is_refused_and_a_short_walk_stops_softly(motion):
    """A short target path (1-1.5 m) planned its two ramps for a longer walk and stopped dead on the target
    (40-63 mm pose jump at 120 fps; 0.3 m: 74 mm); a target where the walker stands is refused in one line
    naming the target, and short walks from a stand or mid-stride pass the gates at 120 fps."""
    from posers_blender.engine.params import ParamError
    from posers_blender.engine.sampler import sample

    for target in ((0.0, 0.0), (0.05, -0.05)):
        with pytest.raises(ParamError, match="target_x.*target_z.*0.1 m"):
            sample(get(motion), {"path": "target", "target_x": target[0], "target_z": target[1]}, seed=1, fps=30,
                   duration=4.0)  # fmt: skip
    for distance in (0.3, 1.0, 1.5):
        for stand in (True, False):
            items = {"path": "target", "target_x": 0.0, "target_z": distance, "start_from_stand": stand}
            clip = sample(get(motion), items, seed=12733, fps=120, duration=6.0)
            assert not evaluate(clip, get(motion).meta).failed("gate"), (distance, stand)


def test_rules_refuse_before_sampling_in_one_line_for_both_walks():
    """The walk rules are schema constraints (posers describe, the JSON Schema and docs/parameters.md list
    them): refused by ``validate`` in one line naming both parameters, at the runway's own cadence."""
    from posers_blender.engine.params import ParamError

    for motion in WALKS:
        schema = get(motion).schema
        for bad, names in (
            ({"cadence": 35.0}, "cadence.*speed"),
            ({"in_place": True, "path": "arc"}, "in_place.*path"),
        ):
            with pytest.raises(ParamError, match=names) as e:
                schema.validate(bad)
            assert "\n" not in str(e.value)
    # the runway's automatic cadence is 7 % higher (118 steps/min at 1.3 m/s) and it takes no faster steps:
    # 97 steps/min is too slow for it and fits the basic walk, 120 too fast for it and fits the basic walk too
    for cadence in (97.0, 120.0):
        get("basic-walk").schema.validate({"speed": 1.3, "cadence": cadence})
        with pytest.raises(ParamError, match="cadence"):
            get("seductive-walk").schema.validate({"speed": 1.3, "cadence": cadence})
    get("seductive-walk").schema.validate({"speed": 1.3, "cadence": 117.0})


def test_fuzz_draws_walk_settings_that_fit_the_walk_rules():
    """scripts/fuzz.py draws a walk's cadence automatic or around its speed's automatic cadence and in_place
    only on a straight path (drawn over the whole range, ~75 % of its walk draws were refused)."""
    import importlib.util
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("fuzz_script", repo / "scripts" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    fuzz = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = fuzz  # its dataclasses look their module up
    spec.loader.exec_module(fuzz)
    for motion in WALKS:
        schema = get(motion).schema
        drawn = fuzz.draw_settings(schema, 200, np.random.default_rng(1), with_corners=False)
        for s in drawn:
            schema.validate(s.params)  # raises for a draw that breaks a rule
        set_cadence = sum(s.params["cadence"] > 0 for s in drawn)
        assert 60 <= set_cadence <= 140  # about half the draws set a cadence, the others leave it automatic
