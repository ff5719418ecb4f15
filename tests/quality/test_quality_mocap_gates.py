"""Real people pass every hard gate: each development mocap clip, retargeted onto the default avatar and
evaluated at 30 fps (metrics file §0: published thresholds assume 20-30 fps), passes every hard gate of
``posers check`` (issue 13 item 2).

Where real people failed a gate, the gate moved to what the dev mocap shows (worst value + a stated margin) or to a
perception threshold, whichever is looser (``quality/bands.py``; docs/quality.md has the table). A gate that nothing
fails is no gate: each moved gate is also shown to fail a known-bad clip (synthetic or a naive baseline motion).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from posers_blender.mocap import load_bvh_clip
from posers_blender.quality import evaluate
from posers_blender.quality.synthetic import move_hips, rest_clip, rot, set_rotation
from posers_blender.references import REFERENCE_FPS

BVH = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "bvh"
CLIPS = sorted(BVH.rglob("*.bvh")) if BVH.is_dir() else []


@pytest.mark.skipif(not CLIPS, reason="../shared/data/bvh is not available")
@pytest.mark.parametrize("path", CLIPS, ids=[p.stem for p in CLIPS])
def test_every_dev_mocap_clip_passes_every_hard_gate(path: Path) -> None:
    clip = load_bvh_clip(path, fps=REFERENCE_FPS)
    report = evaluate(clip, None, standing=path.parent.name == "idle")
    failed = report.failed("gate")
    assert not failed, "; ".join(f"{r.name} = {r.value:.4g} {r.unit} (bound {r.bound}; {r.detail})" for r in failed)


def _slid(mm_per_s: float, seconds: float) -> np.ndarray:
    """Hips offsets ``[F, 3]`` of a rest clip at 30 fps sliding along +X at a constant speed."""
    n = int(round(seconds * 30.0))
    off = np.zeros((n, 3))
    off[:, 0] = np.arange(n) / 30.0 * mm_per_s / 1000.0
    return off


def _known_bad(name: str):
    """(clip, standing) of a deliberately broken clip for a gate."""
    still = rest_clip(4.0)
    t = np.arange(still.n_frames) / still.fps
    if name == "pose_jump":  # a one-frame pop of 50 mm reads 75 mm (bound 60 mm at 30 fps)
        off = np.zeros((still.n_frames, 3))
        off[60, 0] = 0.050
        return move_hips(still, off), False
    if name in ("foot_slide", "foot_slide_standing"):  # feet creeping 100 mm at 25 mm/s (slow: still planted)
        return move_hips(rest_clip(4.0), _slid(25.0, 4.0)), name.endswith("standing")
    if name == "foot_skate":  # feet gliding 0.3 m along the floor at 0.3 m/s
        return move_hips(
            rest_clip(4.0), _slid(300.0, 4.0) * (t < 1.0)[:, None] + [0.3, 0, 0] * (t >= 1.0)[:, None]
        ), False
    if name == "foot_skate_standing":  # 30 mm in 4 frames (0.22 m/s) on the floor, then held
        off = np.zeros((still.n_frames, 3))
        off[30:34, 0] = np.linspace(0.0, 0.030, 5)[1:]
        off[34:, 0] = 0.030
        return move_hips(still, off), True
    if name == "penetration":
        return move_hips(still, [0.0, -0.010, 0.0]), False
    if name == "floating":
        return move_hips(still, [0.0, 0.035, 0.0]), False
    if name == "floating_standing":
        return move_hips(still, [0.0, 0.015, 0.0]), True
    if name == "spine_bend":  # one spine bone bent 30° (range 24° + 5°)
        return set_rotation(still, "spine", rot([1.0, 0.0, 0.0], 30.0)), False
    if name == "ankle_dorsiflexion":  # 45° of dorsiflexion (range 38° + 5°)
        return set_rotation(still, "leftFoot", rot([1.0, 0.0, 0.0], -45.0)), False
    if name == "joint_speed_max":  # the head turning at 720°/s
        return set_rotation(still, "head", rot([0.0, 1.0, 0.0], 720.0 * t)), False
    if name == "toe_speed_max":  # toes flapping at 2000°/s peak
        return set_rotation(still, "rightToes", rot([1.0, 0.0, 0.0], 30.0 * np.sin(2 * np.pi * 10.6 * t))), False
    raise KeyError(name)


#: moved gate -> (report line, the known-bad clip's name in :func:`_known_bad`)
KNOWN_BAD = {
    "pose_jump": "pose_jump",
    "foot_slide": "foot_slide",
    "foot_slide_standing": "foot_slide",
    "foot_skate": "foot_skate",
    "foot_skate_standing": "foot_skate",
    "penetration": "penetration",
    "floating": "floating",
    "floating_standing": "floating",
    "spine_bend": "joint_limit_frames",
    "ankle_dorsiflexion": "joint_limit_frames",
    "joint_speed_max": "joint_speed_max",
    "toe_speed_max": "toe_speed_max",
}


@pytest.mark.parametrize("case", sorted(KNOWN_BAD))
def test_each_moved_gate_still_fails_a_known_bad_clip(case: str) -> None:
    clip, standing = _known_bad(case)
    line = evaluate(clip, None, standing=standing).get(KNOWN_BAD[case])
    assert not line.passed, f"{case}: {line.value:.4g} {line.unit} passes {line.bound}"
    still = evaluate(rest_clip(4.0), None, standing=standing).get(KNOWN_BAD[case])
    assert still.passed, f"the rest pose fails {line.name}"


def test_the_naive_baseline_walk_still_fails_skate_and_penetration() -> None:
    # baseline-walk slides its feet along the floor and sinks its toes: the moved gates still catch it
    from posers_blender.engine import sample
    from posers_blender.registry import discover

    clip = sample(discover()["baseline-walk"], {}, seed=0, fps=30.0, duration=10.0)
    report = evaluate(clip, None)
    assert not report.get("foot_skate").passed and not report.get("penetration").passed


WALK_120 = BVH / "walk" / "cmu_35_13_walk.bvh"


@pytest.mark.skipif(not WALK_120.exists(), reason="../shared/data/bvh/walk is not available")
def test_posers_check_scores_a_bvh_at_the_gates_rate_not_the_files(capsys):
    # The gates are defined at 20-30 fps (metrics §0). At its own 120 fps this CMU take fails the velocity
    # jump and joint speed gates on marker noise alone (toe channel: ~9.5 m/s, ~4300°/s); at 30 fps it passes.
    import json

    from posers_blender.cli import main
    from posers_blender.quality import bands

    main(["check", str(WALK_120), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert "(at 30 fps)" in data["subject"]
    lines = {r["name"]: r for r in data["results"]}
    assert lines["pose_jump"]["bound"] == bands.pose_jump_bound(REFERENCE_FPS).text()
    assert lines["velocity_jump"]["passed"] and lines["joint_speed_max"]["passed"]
    native = evaluate(load_bvh_clip(WALK_120), None)
    assert not native.get("velocity_jump").passed and not native.get("joint_speed_max").passed


def test_posers_check_refuses_a_rate_of_zero_for_a_bvh(tmp_path, capsys):
    from posers_blender.cli import main

    path = tmp_path / "take.bvh"
    path.write_text("HIERARCHY\n")
    assert main(["check", str(path), "--fps", "0"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--fps 0" in err[0]
