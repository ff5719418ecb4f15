"""posers report: pages, the summary table with the baseline beside our motions and the reference mocap."""

from __future__ import annotations

import json

import pytest

from posers_blender.cli import main

pytest.importorskip("matplotlib")


def test_report_pages_and_summary_with_baseline_motion_and_mocap(data_dir, tmp_path, capsys):
    ref = tmp_path / "ref"
    ref.mkdir()
    src = data_dir / "bvh" / "bnr1_bye_proud_001.bvh"
    (ref / src.name).write_bytes(src.read_bytes())
    (ref / "SOURCES.md").write_text(f"| `{src.name}` | stance | 173 |\n")
    out = tmp_path / "rep"
    args = ["report", "baseline-walk", "--out", str(out), "--reference", str(ref)]
    assert main([*args, "--seconds", "6", "--no-gif"]) == 0
    printed = capsys.readouterr().out
    assert "baseline-walk" in printed and "mocap-bnr1_bye_proud_001" in printed
    index = (out / "index.html").read_text()
    for key in ("baseline-walk", "mocap-bnr1_bye_proud_001"):
        assert f"{key}.html" in index and (out / f"{key}.html").exists()
    page = (out / "baseline-walk.html").read_text()
    for img in ("joint_angles.png", "trajectories.png", "foot_heights.png", "reach_speeds.png", "frames.png"):
        assert img in page and (out / "baseline-walk" / img).exists()
    assert "foot_slide" in page and "FAIL" in page
    rows = {r["key"]: r for r in json.loads((out / "summary.json").read_text())}
    assert rows["mocap-bnr1_bye_proud_001"]["kind"] == "mocap"
    # the sine walk glides: its planted feet skate (metres; the slide gate now sits at real mocap's 50 mm), and
    # the summary says so
    assert not rows["baseline-walk"]["gates_passed"] and "foot_skate" in rows["baseline-walk"]["failed_gates"]
    # a walk is compared with walking mocap: none in this folder, so no distance rather than a wrong one
    assert rows["baseline-walk"]["frechet"] is None
