"""The frozen naive baseline: it samples cleanly, stays recognisably naive, and is exempt from the gates by tag."""

from __future__ import annotations

import numpy as np
import pytest

from posers_blender import humanoid as hm
from posers_blender.engine import quat
from posers_blender.engine.sampler import sample
from posers_blender.registry import BASELINE_TAG, discover, gated_motions, get, is_baseline

BASELINES = ("baseline-breathe", "baseline-walk", "baseline-fidget")


def test_baselines_are_listed_tagged_and_labelled():
    programs = discover()
    for mid in BASELINES:
        prog = programs[mid]
        assert is_baseline(prog) and BASELINE_TAG in prog.meta.tags
        assert "frozen naive baseline of the founding document" in prog.meta.description.lower()
    found = {k for k, p in programs.items() if is_baseline(p)}
    assert found == set(BASELINES)


def test_hard_gate_rule_covers_every_motion_except_the_baseline():
    gated = gated_motions()
    assert "idle-breathe" in gated
    assert not set(BASELINES) & set(gated)
    assert set(gated) | set(BASELINES) == set(discover())


@pytest.mark.parametrize("mid", BASELINES)
@pytest.mark.parametrize("seed", [0, 7])
def test_baseline_samples_finite_and_deterministic(mid, seed):
    a = sample(get(mid), seed=seed, fps=30, duration=3.0)
    b = sample(get(mid), seed=seed, fps=30, duration=3.0)
    assert np.isfinite(a.lrot).all() and np.isfinite(a.hips_pos).all()
    np.testing.assert_array_equal(a.lrot, b.lrot)


def test_breathing_is_the_0_02_and_0_03_rad_chest_sines():
    clip = sample(get("baseline-breathe"), fps=30, duration=8.0)
    t = clip.times
    for bone, amp in (("chest", 0.02), ("upperChest", 0.03)):
        angle = quat.twist_angle(clip.lrot[:, hm.INDEX[bone]], [1.0, 0.0, 0.0])
        np.testing.assert_allclose(angle, -amp * np.sin(2 * np.pi * 15.0 / 60.0 * t), atol=1e-9)


def test_walk_glides_at_constant_speed_so_its_feet_slide():
    clip = sample(get("baseline-walk"), fps=30, duration=4.0)
    assert np.allclose(np.diff(clip.hips_pos[:, 2]) * 30.0, 1.25)
    heel = np.stack([clip.landmark(f"{s}Heel") for s in ("left", "right")], axis=1)  # [F, 2, 3]
    low = np.argmin(heel[:, :, 1], axis=1)
    support = heel[np.arange(clip.n_frames), low]
    # the lower heel (the one that should be planted) moves forward most of the time: sliding
    speed = np.linalg.norm(np.diff(support[:, [0, 2]], axis=0), axis=-1) * 30.0
    assert np.median(speed) > 0.1  # m/s; a planted foot would be ~0


def test_fidget_is_continuous_noise_without_rest():
    clip = sample(get("baseline-fidget"), fps=30, duration=10.0)
    head = quat.angular_velocity(clip.lrot[:, hm.INDEX["head"]], 1 / 30.0)
    speed = np.degrees(np.linalg.norm(head, axis=-1))
    assert (speed > 1.0).mean() > 0.8  # the head never settles between "gestures"
