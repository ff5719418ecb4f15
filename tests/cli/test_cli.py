"""The posers command line as a user meets it: output files, errors as one line, determinism."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from posers_blender.cli import main

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "posers_blender", *args],
        capture_output=True,
        text=True,
        cwd=cwd or REPO,
        timeout=300,
        env=env,
    )


def test_list_and_describe(capsys):
    assert main(["list"]) == 0
    assert "idle-breathe" in capsys.readouterr().out
    assert main(["describe", "idle-breathe"]) == 0
    out = capsys.readouterr().out
    assert "rate" in out and "10 to 20 1/min" in out
    assert main(["describe", "idle-breathe", "--json-schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["properties"]["rate"]["default"] == 14.0


@pytest.mark.parametrize(
    "args,needle",
    [
        (["sample", "idle-breath", "--out", "x.bvh"], "did you mean 'idle-breathe'"),
        (["sample", "idle-breathe", "--set", "rate=99", "--out", "x.bvh"], "'rate' = '99' is out of range"),
        (["sample", "idle-breathe", "--set", "rat=14", "--out", "x.bvh"], "did you mean 'rate'"),
        (["sample", "idle-breathe", "--out", "x.fbx"], "must end in .bvh, .npz, .json"),
        (["sample", "idle-breathe", "--fps", "0", "--out", "x.bvh"], "fps"),
        (["sample", "idle-breathe", "--params", "missing.json", "--out", "x.bvh"], "does not exist"),
        (["sample", "idle-breathe", "--height", "9", "--out", "x.bvh"], "--height"),
    ],
)
def test_user_mistakes_give_one_clear_line_and_exit_2(tmp_path, monkeypatch, capsys, args, needle):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("posers: error: ") and needle in lines[0], err
    assert not list(tmp_path.iterdir())


def test_the_installed_entry_point_gives_the_same_one_line(tmp_path):
    r = run_cli("sample", "idle-breath", "--out", "x.bvh", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.strip() == (
        "posers: error: unknown motion 'idle-breath'; did you mean 'idle-breathe'? (run 'posers list' to see them)"
    )


def test_existing_output_is_not_overwritten_without_force(tmp_path):
    out = tmp_path / "mine.bvh"
    out.write_text("user data")
    assert main(["sample", "idle-breathe", "--seconds", "1", "--out", str(out)]) == 2
    assert out.read_text() == "user data"


def test_sample_writes_bvh_npz_and_json(tmp_path):
    for ext in ("bvh", "npz", "json"):
        out = tmp_path / f"idle.{ext}"
        assert main(["sample", "idle-breathe", "--seconds", "2", "--fps", "30", "--seed", "1", "--out", str(out)]) == 0
        assert out.stat().st_size > 1000
    data = json.loads((tmp_path / "idle.json").read_text())
    assert data["meta"]["motion"] == "idle-breathe" and len(data["lrot"]) == 60


def test_preset_and_set_combine_with_set_winning(tmp_path):
    preset = tmp_path / "p.json"
    preset.write_text(json.dumps({"params": {"rate": 12, "depth": 1.5}}))
    out = tmp_path / "c.json"
    assert (
        main(
            ["sample", "idle-breathe", "--params", str(preset), "--set", "rate=16", "--seconds", "1", "--out", str(out)]
        )
        == 0
    )
    meta = json.loads(out.read_text())["meta"]
    assert meta["params"]["rate"] == 16 and meta["params"]["depth"] == 1.5


def test_ten_seconds_at_60_fps_twice_gives_byte_identical_bvh(tmp_path):
    a, b = tmp_path / "a.bvh", tmp_path / "b.bvh"
    for out in (a, b):
        r = run_cli("sample", "idle-breathe", "--seconds", "10", "--fps", "60", "--seed", "1", "--out", str(out))
        assert r.returncode == 0, r.stderr
    assert a.read_bytes() == b.read_bytes()


def test_bvh_structure_units_and_floor(tmp_path):
    out = tmp_path / "idle.bvh"
    assert main(["sample", "idle-breathe", "--seconds", "2", "--fps", "30", "--out", str(out)]) == 0
    text = out.read_text()
    head, motion = text.split("MOTION\n")
    assert head.count("JOINT ") + head.count("ROOT ") == 55
    assert "ROOT hips" in head and "JOINT leftThumbMetacarpal" in head
    lines = motion.strip().splitlines()
    assert lines[0] == "Frames: 60" and lines[1].startswith("Frame Time: 0.0333333")
    values = np.array([[float(v) for v in ln.split()] for ln in lines[2:]])
    assert values.shape == (60, 3 + 3 * 55)  # root position + a rotation triple per joint
    # hips height in metres: ~0.55 H for the 1.65 m avatar, rest offset equal to it
    assert 0.85 < values[:, 1].mean() < 0.95
    first_offset = head.split("OFFSET ")[1].split("\n")[0].split()
    assert abs(float(first_offset[1]) - 0.924) < 1e-6


def test_bench_reports_every_motion(capsys):
    # 2.5 s: the shortest clip every motion's defaults fit (contemplative-lean's enter + 0.5 s hold needs 2 s)
    assert main(["bench", "--seconds", "2.5", "--repeats", "1", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    from posers_blender.registry import discover

    assert set(res) == set(discover()) and all(r["median_ms"] > 0 for r in res.values())


def test_describe_lists_the_targets_a_motion_reads(capsys):
    assert main(["describe", "contemplative-lean"]) == 0
    out = capsys.readouterr().out
    targets = out.split("[Targets")[1].split("[Rules")[0]
    for name in ("lookAt", "leftFoot", "rightFoot", "wall"):
        assert f"\n  {name} " in targets
    assert main(["describe", "basic-walk"]) == 0
    walk = capsys.readouterr().out.split("[Targets")[1]
    assert "lookAt" in walk and "leftFoot" not in walk
