"""smoking-cigarette: lips contact on every avatar, facts-band timing, one-peak curved reaches, joint order and
limits, breathing and face, determinism."""

from pathlib import Path

import numpy as np
import pytest

from posers_blender.engine import quat, reach, sample
from posers_blender.engine.skeleton import default_avatar
from posers_blender.quality import handmouth as hmq
from posers_blender.quality import smoothness
from posers_blender.registry import get, motions_module

from ..conftest import shared_data

PROGRAM = get("smoking-cigarette")
sc = motions_module("smoking_cigarette")
FPS = 30.0


def _vrm_paths() -> list[Path]:
    d = shared_data()
    return sorted((d / "vrm").glob("*.vrm")) if d else []


def _load_vrm(path: Path):
    vs = pytest.importorskip("posers_blender.io.vrm_skeleton", reason="VRM skeleton loader not on this branch yet")
    return vs.load_vrm_skeleton(path)


def _windows(clip, start: str, end: str) -> list[tuple[float, float]]:
    a = [t for t, n in clip.markers if n == start]
    b = [t for t, n in clip.markers if n == end]
    return [(x, min(y for y in b if y > x)) for x in a if any(y > x for y in b)]


def _puff_contact(clip) -> float:
    """Largest filter-lips distance (m) while the lips are on the filter."""
    sk = clip.skeleton
    grot, gpos = clip.fk()
    d = np.linalg.norm(
        sk.landmark_positions("cigaretteFilter", grot, gpos) - sk.landmark_positions("lips", grot, gpos), axis=1
    )
    t = clip.times
    wins = _windows(clip, "puff", "lower")
    assert wins, "no puff in the clip"
    return max(float(d[(t >= a) & (t <= b)].max()) for a, b in wins)


def _hand_penetration(clip, side: str) -> float:
    sk = clip.skeleton
    grot, gpos = clip.fk()
    fingers = ("Thumb", "Index", "Middle", "Ring", "Little")
    pts = [gpos[:, sk.index(f"{side}Hand")]] + [gpos[:, sk.index(f"{side}{f}Distal")] for f in fingers]
    pts += [sk.landmark_positions(f"{side}{f}Tip", grot, gpos) for f in fingers if f"{side}{f}Tip" in sk.landmarks]
    return float(hmq.head_penetration(sk, grot, gpos, np.stack(pts, axis=1)).max())


@pytest.fixture(scope="module")
def clip():
    return sample(PROGRAM, {}, seed=3, fps=FPS, duration=75.0, skeleton=default_avatar())


@pytest.fixture(scope="module")
def long_plans():
    """Whole cigarettes (puff plans only) for ten seeds."""
    return [sc.schedule({"puff_count": 12}, seed=s, duration=420.0).puffs for s in range(10)]


# -- contact ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("height", [1.5, 1.65, 1.9])
def test_filter_is_within_15_mm_of_the_lips_during_every_puff(height):
    c = sample(PROGRAM, {}, seed=1, fps=FPS, duration=50.0, skeleton=default_avatar(height))
    assert _puff_contact(c) <= 0.015
    assert _hand_penetration(c, "right") <= 0.0


@pytest.mark.parametrize("path", _vrm_paths(), ids=lambda p: p.stem)
def test_filter_meets_the_lips_on_each_sample_vrm_skeleton(path):
    sk = _load_vrm(path)
    c = sample(PROGRAM, {}, seed=1, fps=FPS, duration=30.0, skeleton=sk)
    assert _puff_contact(c) <= 0.015
    assert _hand_penetration(c, "right") <= 0.0


@pytest.mark.parametrize(
    "params",
    [
        {"handedness": "left"},
        {"grip": "pinch"},
        {"manner": "nervous"},
        {"other_arm": "hold_elbow"},
        {"handedness": "left", "other_arm": "hold_elbow", "grip": "pinch"},
    ],
    ids=lambda p: "-".join(f"{k}={v}" for k, v in p.items()),
)
def test_every_variant_keeps_lip_contact_and_clear_fingers(params):
    c = sample(PROGRAM, {**params, "first_puff": 0.5}, seed=2, fps=20.0, duration=12.0)
    assert _puff_contact(c) <= 0.015
    assert _hand_penetration(c, str(c.meta["params"]["handedness"])) <= 0.0


def test_free_hand_holds_the_smoking_elbow_when_asked():
    c = sample(PROGRAM, {"other_arm": "hold_elbow", "first_puff": 0.5}, seed=2, fps=20.0, duration=8.0)
    sk = c.skeleton
    grot, gpos = c.fk()
    palm = sk.landmark_positions("leftPalm", grot, gpos)
    elbow = gpos[:, sk.index("rightLowerArm")]
    assert np.linalg.norm(palm - elbow, axis=1).max() < 0.12


# -- timing ----------------------------------------------------------------------------------------------------


def test_phase_durations_sit_in_the_facts_bands_and_vary(long_plans):
    puffs = [p for plan in long_plans for p in plan]
    bands = {  # facts §5 derived sequence and metrics B1/B9
        "raise_dur": (0.7, 1.0),
        "puff_dur": (1.2, 2.6),
        "lower_dur": (0.5, 1.4),
        "mouth_hold": (0.3, 1.0),
        "inhale": (2.0, 7.0),
        "hold": (0.0, 2.0),
        "exhale": (1.5, 4.0),
    }
    for name, (lo, hi) in bands.items():
        x = np.array([getattr(p, name) for p in puffs])
        assert lo <= x.min() and x.max() <= hi, name
        assert x.std() > 0.05 * x.mean(), f"{name} does not vary"
    intervals = np.concatenate([np.diff([p.raise_start for p in plan]) for plan in long_plans])
    assert 15.0 <= intervals.min() and intervals.max() <= 35.0
    assert 19.0 <= intervals.mean() <= 29.0  # facts §5: 19-27 s, lengthening over the cigarette
    assert intervals.std() > 1.0
    # the smoke inhale starts while the hand is still lowering (phases overlap)
    assert all(p.inhale_start < p.lips_off + p.lower_dur for p in puffs)


def test_puffs_shorten_and_intervals_lengthen_over_the_cigarette(long_plans):
    first_d = np.mean([plan[0].puff_dur for plan in long_plans])
    last_d = np.mean([plan[-1].puff_dur for plan in long_plans])
    gaps = [np.diff([p.raise_start for p in plan]) for plan in long_plans]
    first_i = np.mean([g[0] for g in gaps])
    last_i = np.mean([g[-1] for g in gaps])
    # Guyatt 1989: duration -39%, interval +75% from first to last puff (12 puffs: k/N up to 11/12)
    assert 0.5 <= last_d / first_d <= 0.8
    assert 1.4 <= last_i / first_i <= 2.1


def test_clip_markers_follow_the_schedule(clip):
    plan = sc.schedule({}, seed=3, duration=75.0, fps=FPS).puffs
    raises = [t for t, n in clip.markers if n == "raise"]
    assert np.allclose(raises, [p.raise_start for p in plan if p.raise_start < 75.0])
    for name in ("puff", "lower", "inhale", "hold", "exhale"):
        assert len([1 for _, n in clip.markers if n == name]) >= 2, name


def test_ash_taps_come_every_two_to_four_puffs_as_short_flicks(long_plans):
    for plan in long_plans:
        tapped = [p.k for p in plan if p.ash_taps]
        assert tapped, "no ash tap in a whole cigarette"
        assert all(1 <= g <= 5 for g in np.diff(tapped))
        for p in plan:
            assert 0.15 <= p.flick_dur <= 0.25 and len(p.ash_taps) <= 3


def test_puff_count_caps_the_cigarette():
    plan = sc.schedule({"puff_count": 7, "puff_interval": 15.0}, seed=0, duration=600.0).puffs
    assert len(plan) == 7


# -- reach quality -----------------------------------------------------------------------------------------------


def _filter_track(clip):
    grot, gpos = clip.fk()
    return clip.skeleton.landmark_positions("cigaretteFilter", grot, gpos)


def _moves(clip):
    plan = sc.schedule({}, seed=3, duration=75.0, fps=FPS).puffs
    out = []
    for p in plan:
        if p.lips_off + p.lower_dur < clip.duration:
            out += [(p.raise_start, p.raise_dur, "raise"), (p.lips_off, p.lower_dur, "lower")]
    return out


def test_each_raise_and_lower_has_one_speed_peak_at_35_to_60_percent(clip):
    v = hmq.point_speed(_filter_track(clip), FPS)
    t = clip.times
    for start, dur, kind in _moves(clip):
        w = (t >= start) & (t <= start + dur)
        peaks = smoothness.movement_units(v[w], FPS)
        assert len(peaks) == 1, (kind, start)
        rel = (t[w][peaks[0]] - start) / dur
        assert 0.35 <= rel <= 0.60, (kind, rel)
        if kind == "raise":
            assert 0.38 <= rel <= 0.48, rel  # facts §4: 0.40-0.45 T approaching the face


def test_hand_paths_are_curved(clip):
    f = _filter_track(clip)
    t = clip.times
    for start, dur, _ in _moves(clip):
        w = (t >= start) & (t <= start + dur)
        assert hmq.path_deviation(f[w]) > 0.04


def test_shoulder_starts_before_elbow_before_wrist(clip):
    sk = clip.skeleton
    hi = sample(PROGRAM, {}, seed=3, fps=120.0, duration=8.0)
    t = hi.times
    plan = sc.schedule({}, seed=3, duration=8.0, fps=120.0).puffs[0]
    for start, end in ((plan.raise_start, plan.lips_on), (plan.lips_off, plan.lips_off + plan.lower_dur)):
        on = [
            hmq.onset_time(hmq.rotation_speed(hi.lrot[:, sk.index(b)], 120.0), t, start - 0.2, end)
            for b in ("rightUpperArm", "rightLowerArm", "rightHand")
        ]
        assert 0.0 < on[1] - on[0] <= 0.1 and 0.0 < on[2] - on[1] <= 0.1, on


def test_elbow_and_wrist_stay_inside_their_limits(clip):
    sk = clip.skeleton
    lower = clip.lrot[:, sk.index("rightLowerArm")]
    elbow = np.degrees(quat.angle_between(lower, quat.IDENTITY))
    assert elbow.max() <= 145.0  # facts §8 elbow flexion 140-150
    t = clip.times
    at_lips = np.zeros(len(t), bool)
    for a, b in _windows(clip, "puff", "lower"):
        at_lips |= (t >= a + 0.3) & (t <= b)
    assert 115.0 <= np.median(elbow[at_lips]) <= 135.0  # metrics B9 elbow at mouth
    rest = np.zeros(len(t), bool)
    for a, b in _windows(clip, "exhale", "raise"):
        rest |= (t >= a) & (t <= b - 0.1)
    assert 65.0 <= np.median(elbow[rest]) <= 95.0  # facts §5: resting hold with the elbow at 70-90°
    lim = reach.WristLimits()
    flex, rad, sup = hmq.wrist_angles(clip.lrot[:, sk.index("rightHand")], "right")
    tol = 5.0  # facts §8 rule: ROM + 5°; the reach keeps inside the tighter comfort limits plus the ash flick
    assert -lim.extension - tol <= flex.min() and flex.max() <= lim.flexion + tol
    assert -lim.ulnar - tol <= rad.min() and rad.max() <= lim.radial + tol
    assert -lim.pronation - tol <= sup.min() and sup.max() <= lim.supination + tol


# -- breathing and face -----------------------------------------------------------------------------------------


def test_smoke_breaths_are_about_1_7_quiet_breaths_deep():
    sch = sc.schedule({}, seed=4, duration=120.0, fps=FPS)
    b = sch.breaths
    smoke = b.volume.max()
    quiet = np.median(b.depths[b.depths < 1.3])
    assert 1.3 <= smoke / quiet <= 2.0  # metrics B9: smoke-breath chest amplitude 1.3-2.0x quiet
    assert np.all(np.abs(np.diff(b.volume)) < 0.1)  # one continuous signal: no jumps between breaths


def test_lips_close_on_the_filter_and_purse_for_the_exhale(clip):
    t = clip.times
    ou = clip.expressions["ou"]
    blink = clip.expressions["blink"]
    for p in sc.schedule({}, seed=3, duration=75.0, fps=FPS).puffs:
        if p.end > clip.duration:
            continue
        assert ou[(t > p.lips_on + 0.1) & (t < p.lips_off - 0.1)].min() > 0.2
        assert ou[(t > p.exhale_start + 0.5) & (t < p.exhale_start + 1.5)].max() > 0.4
        assert np.median(blink[(t > p.inhale_start) & (t < p.hold_start)]) > 0.1  # eyes narrow on the inhale
    assert np.sum(np.diff((blink > 0.8).astype(int)) == 1) >= 8  # blinks continue (~15/min over 75 s)


def test_every_breath_is_marked_and_the_smoke_breath_is_one_of_them(clip):
    inhales = [t for t, n in clip.markers if n == "inhale"]
    smoke = [t for t, n in clip.markers if n == "smoke_inhale_start"]
    assert len(inhales) >= 10 and set(smoke) <= set(inhales)
    names = [n for _, n in clip.markers]
    assert names.count("smoke_inhale_start") == names.count("hold") >= 2


# -- determinism ---------------------------------------------------------------------------------------------------


def test_same_seed_gives_identical_clips_and_other_seeds_other_timings():
    a = sample(PROGRAM, {}, seed=7, fps=10.0, duration=40.0)
    b = sample(PROGRAM, {}, seed=7, fps=10.0, duration=40.0)
    c = sample(PROGRAM, {}, seed=8, fps=10.0, duration=40.0)
    # Equal to 1e-12: inside a long test session the arm very rarely differs by one ulp (1e-16) between two
    # runs of identical inputs; the cause (numpy SIMD path choice) was not pinned down. Timings are exact.
    assert np.allclose(a.lrot, b.lrot, rtol=0.0, atol=1e-12) and a.markers == b.markers
    assert np.array_equal(a.hips_pos, b.hips_pos)
    ta = [t for t, n in a.markers if n in ("puff", "exhale")]
    tc = [t for t, n in c.markers if n in ("puff", "exhale")]
    assert ta != tc


# -- the quality suite --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params", [{}, {"handedness": "left", "grip": "pinch", "manner": "nervous", "other_arm": "hold_elbow"}]
)
def test_hard_gates_pass_including_wrist_and_forearm_limits(params):
    from posers_blender.quality import evaluate
    from posers_blender.quality.limits import limit_violations

    c = sample(PROGRAM, {**params, "first_puff": 0.5}, seed=5, fps=FPS, duration=30.0)
    lv = limit_violations(c)
    assert lv.frames == 0, lv
    report = evaluate(c, PROGRAM.meta)
    assert report.gates_passed, report.table()


def test_smoking_topography_bands_pass():
    from posers_blender.quality import evaluate

    c = sample(PROGRAM, {"first_puff": 0.5}, seed=6, fps=FPS, duration=80.0)
    report = evaluate(c, PROGRAM.meta, checks=("smoking",))
    smoking = [r for r in report.results if r.check == "smoking" and r.kind == "band"]
    assert smoking and all(r.passed for r in smoking), report.table()
