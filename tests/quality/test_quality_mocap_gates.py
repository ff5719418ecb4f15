"""Real people pass every hard gate: each development mocap clip, retargeted onto the default avatar and
evaluated at 30 fps (metrics file §0: published thresholds assume 20-30 fps), passes every hard gate of
``posers check`` (issue 13 item 2).

Where a clip fails today, the failure is a known retarget defect (docs/quality.md, "Hard gates against real
people", says which and why) listed in :data:`KNOWN_RETARGET_DEFECTS`; only those (clip, gate) pairs may fail
(reported as xfail with the values). Any other failing gate fails the test; a clip whose defects are fixed passes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from posers_blender.mocap import load_bvh_clip
from posers_blender.quality import evaluate
from posers_blender.references import REFERENCE_FPS

BVH = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "bvh"
CLIPS = sorted(BVH.rglob("*.bvh")) if BVH.is_dir() else []

#: clip stem -> gates that fail today because of the retarget (docs/quality.md), to be emptied as it improves.
KNOWN_RETARGET_DEFECTS: dict[str, set[str]] = {
    "bnr1_bye_proud_001": {"foot_slide"},
    "bnr1_call_normal_001": {"foot_slide", "joint_limit_frames"},
    "bnr1_walk_feminine_002": {
        "pose_jump",
        "foot_slide",
        "foot_skate",
        "floating",
        "joint_limit_frames",
        "joint_speed_max",
    },
    "bnr1_walk_normal_001": {
        "pose_jump",
        "foot_slide",
        "foot_skate",
        "floating",
        "joint_limit_frames",
        "joint_speed_max",
    },
    "bnr1_walk_not-confident_002": {"pose_jump", "foot_slide", "foot_skate", "floating", "joint_limit_frames"},
    "cmu_02_01_walk": {"foot_slide", "foot_skate", "floating"},
    "xia_sexy_01_001": {"foot_slide", "foot_skate", "floating", "joint_limit_frames", "joint_speed_max"},
    "reactidle_002_acted": {"pose_jump", "foot_slide", "penetration", "joint_limit_frames"},
    "reactidle_002_genuine": {"pose_jump", "foot_slide", "penetration", "floating"},
    "reactidle_007_acted": {"foot_slide"},
    "reactidle_007_genuine": {"foot_slide", "floating", "joint_limit_frames"},
    "reactidle_010_acted": {"foot_slide"},
    "reactidle_010_genuine": {"foot_slide"},
    "reactidle_012_acted": {"foot_slide", "penetration"},
    "reactidle_012_genuine": {"foot_slide", "penetration"},
    "cmu_16_15_walk": {"foot_slide", "foot_skate", "floating"},
    "cmu_16_16_walk": {"foot_slide", "foot_skate", "floating"},
    "cmu_16_32_walk": {"pose_jump", "foot_slide", "foot_skate", "floating", "joint_limit_frames"},
    "cmu_32_01_walk": {"pose_jump", "foot_slide", "foot_skate", "floating", "joint_limit_frames"},
    "cmu_35_08_walk": {"foot_slide", "foot_skate", "floating", "joint_limit_frames"},
    "cmu_35_13_walk": {"pose_jump", "foot_slide", "foot_skate", "floating", "joint_limit_frames"},
    "cmu_35_29_walk": {"foot_slide", "foot_skate", "floating", "joint_limit_frames"},
}


@pytest.mark.skipif(not CLIPS, reason="../shared/data/bvh is not available")
@pytest.mark.parametrize("path", CLIPS, ids=[p.stem for p in CLIPS])
def test_every_dev_mocap_clip_passes_every_hard_gate(path: Path) -> None:
    clip = load_bvh_clip(path, fps=REFERENCE_FPS)
    report = evaluate(clip, None, standing=path.parent.name == "idle")
    failed = {r.name: r for r in report.failed("gate")}
    unexpected = set(failed) - KNOWN_RETARGET_DEFECTS.get(path.stem, set())
    assert not unexpected, "; ".join(
        f"{g} = {failed[g].value:.4g} {failed[g].unit} ({failed[g].detail})" for g in unexpected
    )
    if failed:
        pytest.xfail("known retarget defects: " + ", ".join(f"{g} {r.value:.4g} {r.unit}" for g, r in failed.items()))


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
