"""Headless bake: argv handling after '--', and end-to-end runs of the script with the pip bpy module."""

from __future__ import annotations

import pytest

pytest.importorskip("bpy", reason="the Blender integration tests need the bpy module (pip bpy==5.0.1)")

import json
import struct
import subprocess
import sys
from pathlib import Path

from posers_blender.blender import export, headless

from .blender_helpers import REPO, vrm_files


def test_arguments_after_double_dash_are_the_scripts():
    blender_argv = [
        "blender",
        "--background",
        "scene.blend",
        "--python",
        "scripts/posers_bake.py",
        "--",
        "--motion",
        "idle-breathe",
        "--seconds",
        "3",
        "--nla",
    ]
    args = headless.build_parser().parse_args(headless.script_args(blender_argv))
    assert args.motion == ["idle-breathe"] and args.seconds == 3.0 and args.nla and args.vrm is None
    python_argv = ["scripts/posers_bake.py", "--motion", "idle-breathe", "--motion", "idle-breathe", "--seed", "4"]
    args = headless.build_parser().parse_args(headless.script_args(python_argv))
    assert args.motion == ["idle-breathe", "idle-breathe"] and args.seed == 4


def run_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / "posers_bake.py"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )


def test_script_bakes_builtin_avatar_to_blend_bvh_and_vrma(tmp_path: Path):
    out = run_script(
        "--motion",
        "idle-breathe",
        "--seconds",
        "2",
        "--nla",
        "--reduce-keys",
        "--out",
        str(tmp_path / "a.blend"),
        "--bvh",
        str(tmp_path / "a.bvh"),
        "--vrma",
        str(tmp_path / "a.vrma"),
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert (tmp_path / "a.blend").stat().st_size > 0
    assert "Frames:\t60" in (tmp_path / "a.bvh").read_text() or "Frames: 60" in (tmp_path / "a.bvh").read_text()
    gltf = export.read_vrma(tmp_path / "a.vrma")
    ext = gltf["extensions"]["VRMC_vrm_animation"]
    assert "hips" in ext["humanoid"]["humanBones"] and "lookAt" in ext, sorted(ext)
    assert gltf["animations"][0]["channels"]


@pytest.mark.parametrize("path", vrm_files()[:1], ids=lambda p: p.stem)
def test_script_refuses_vrma_for_a_vrm0_avatar_with_a_clear_message(tmp_path: Path, path: Path):
    out = run_script("--vrm", str(path), "--seconds", "1", "--vrma", str(tmp_path / "x.vrma"))
    assert out.returncode == 2
    assert "VRM 1.0" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "x.vrma").exists()


def test_script_reports_a_non_vrm_file_in_one_line(tmp_path: Path):
    bad = tmp_path / "bad.vrm"
    bad.write_text("hello")
    out = run_script("--vrm", str(bad), "--out", str(tmp_path / "x.blend"))
    assert out.returncode == 2 and "not a VRM file" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "x.blend").exists()


def test_script_exports_a_sequence_pushed_to_nla_as_one_vrma(tmp_path: Path):
    out = run_script(
        "--motion",
        "idle-breathe",
        "--motion",
        "confident-stance",
        "--layout",
        "sequence",
        "--seconds",
        "1",
        "--nla",
        "--vrma",
        str(tmp_path / "s.vrma"),
        "--out",
        str(tmp_path / "s.blend"),
    )
    assert out.returncode == 0, out.stderr[-2000:]
    gltf = export.read_vrma(tmp_path / "s.vrma")
    sampler = gltf["animations"][0]["samplers"][0]
    t_end = gltf["accessors"][sampler["input"]]["max"][0]
    assert 1.5 < t_end < 2.0  # two 1 s clips with a crossfade, flattened from the NLA for the exporter
    assert "temporary" not in out.stdout


def test_fps_zero_ends_in_one_clear_line(tmp_path: Path):
    out = run_script("--fps", "0", "--seconds", "1", "--out", str(tmp_path / "x.blend"))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "fps" in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.blend").exists()


def test_seed_range_is_the_panels_everywhere():
    import bpy

    from posers_blender.blender import props

    with pytest.raises(SystemExit):
        headless.build_parser().parse_args(["--seed", "-3"])
    assert headless.build_parser().parse_args(["--seed", "0"]).seed == 0
    panel = props.settings_class({})[1]
    assert panel.__annotations__["seed"].keywords["min"] == 0
    del bpy


def test_a_failing_bake_leaves_the_scenes_frame_rate_and_range(empty_scene, monkeypatch):
    from posers_blender import registry
    from posers_blender.engine.program import MotionError

    from .test_bake import _Raises

    monkeypatch.setitem(registry.discover(), "raises", _Raises())
    scene = empty_scene
    before = (scene.render.fps, scene.render.fps_base, scene.frame_start, scene.frame_end)
    args = headless.build_parser().parse_args(["--motion", "raises", "--fps", "50", "--seconds", "2"])
    with pytest.raises(MotionError):
        headless.run(args)
    assert (scene.render.fps, scene.render.fps_base, scene.frame_start, scene.frame_end) == before


def _glb(gltf: dict, rest: bytes) -> bytes:
    js = json.dumps(gltf).encode()
    js += b" " * ((4 - len(js) % 4) % 4)
    return b"glTF" + struct.pack("<II", 2, 20 + len(js) + len(rest)) + struct.pack("<I4s", len(js), b"JSON") + js + rest


@pytest.mark.parametrize("path", [p for p in vrm_files() if p.stem == "debug_robot"], ids=lambda p: p.stem)
def test_broken_vrms_end_in_one_line_naming_the_cause_without_the_addons_traceback(tmp_path: Path, path: Path):
    data = path.read_bytes()
    length = struct.unpack_from("<I", data, 12)[0]
    gltf, rest = json.loads(data[20 : 20 + length]), data[20 + length :]
    no_hips = json.loads(json.dumps(gltf))
    del no_hips["extensions"]["VRMC_vrm"]["humanoid"]["humanBones"]["hips"]
    plain = {k: v for k, v in gltf.items() if k != "extensions"}
    cases = {
        "truncated.vrm": (data[: 20 + length + 108], "could not import"),  # JSON intact, binary chunk cut
        "no_hips.vrm": (_glb(no_hips, rest), "does not map 'hips'"),
        "plain.vrm": (_glb(plain, rest), "glTF without VRM"),
    }
    for name, (content, words) in cases.items():
        (tmp_path / name).write_bytes(content)
        out = run_script("--vrm", str(tmp_path / name), "--seconds", "1", "--out", str(tmp_path / "x.blend"))
        assert out.returncode == 2, name
        assert words in out.stderr and len(out.stderr.strip().splitlines()) == 1, (name, out.stderr)
        assert "Traceback" not in out.stdout + out.stderr, name
        assert not (tmp_path / "x.blend").exists()
