"""The one error handler of ``posers``: a user's mistake is one ``posers: error:`` line and exit 2, a bug keeps its
traceback and asks to be reported (exit 3)."""

from __future__ import annotations

import json

import pytest

from posers_blender import cli
from posers_blender.cli import main
from posers_blender.engine.params import SEED_MAX


def one_error_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run ``posers argv`` in-process; assert exit 2 and exactly one stderr line starting ``posers: error:``."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("posers: error: "), err
    assert "Traceback" not in err
    return lines[0]


def test_a_bug_keeps_its_traceback_and_asks_to_be_reported(capsys, monkeypatch):
    def broken(args):
        raise RuntimeError("boom")

    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    parser.set_defaults(_run=broken)
    for action in parser._subparsers._group_actions:  # every subcommand runs the broken function
        for sub in action.choices.values():
            sub.set_defaults(_run=broken)
    assert main(["list"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: boom" in err
    assert err.strip().splitlines()[-1].startswith("posers: internal error: this is a bug in Posers")


def test_usage_errors_are_one_line_too(capsys):
    line = one_error_line(capsys, ["sample", "--out"])
    assert "expected one argument" in line and "posers sample --help" in line
    assert "invalid choice" in one_error_line(capsys, ["frobnicate"])


def test_help_returns_zero_in_process(capsys):
    assert main(["--help"]) == 0
    assert "COMMAND" in capsys.readouterr().out


@pytest.mark.parametrize("cmd", [["sample", "idle-breathe", "--out", "x.npz"], ["check", "idle-breathe"]])
@pytest.mark.parametrize("seed", ["-1", str(SEED_MAX + 1), "4294967296", "1.5", "abc"])
def test_seeds_outside_32_bits_are_refused(capsys, tmp_path, cmd, seed):
    """Issue 15: seed 0 and seed 4294967296 gave identical files."""
    argv = [c if c != "x.npz" else str(tmp_path / c) for c in cmd]
    line = one_error_line(capsys, [*argv, "--seed", seed])
    assert f"use a whole number from 0 to {SEED_MAX}" in line
    assert not (tmp_path / "x.npz").exists()


@pytest.mark.parametrize("cmd", ["report", "tune"])
def test_report_and_tune_check_the_seed_range(capsys, tmp_path, cmd):
    line = one_error_line(capsys, [cmd, "idle-breathe", "--out", str(tmp_path / "o"), "--seed", "4294967296"])
    assert "--seed" in line and "0 to 4294967295" in line


def test_largest_seed_is_accepted(tmp_path):
    out = tmp_path / "x.npz"
    assert main(["sample", "idle-breathe", "--seconds", "1", "--seed", str(SEED_MAX), "--out", str(out)]) == 0
    assert out.exists()


def test_bench_unknown_motion_and_no_repeats(capsys):
    assert "did you mean" in one_error_line(capsys, ["bench", "--motion", "idle-breath"])
    assert "--repeats 0 is out of range" in one_error_line(capsys, ["bench", "--repeats", "0"])


def test_presets_that_are_folders_binary_or_nested_are_one_line(capsys, tmp_path):
    out = str(tmp_path / "x.npz")
    folder = tmp_path / "preset.json"
    folder.mkdir()
    assert "is a folder" in one_error_line(capsys, ["sample", "idle-breathe", "--params", str(folder), "--out", out])
    binary = tmp_path / "latin1.json"
    binary.write_bytes(b'{"rate": 12, "note": "\xe9"}')
    assert "not UTF-8" in one_error_line(capsys, ["sample", "idle-breathe", "--params", str(binary), "--out", out])
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    assert "nests too deeply" in one_error_line(capsys, ["sample", "idle-breathe", "--params", str(deep), "--out", out])
    wrong = tmp_path / "list.json"
    wrong.write_text(json.dumps([1, 2]))
    assert "JSON object" in one_error_line(capsys, ["sample", "idle-breathe", "--params", str(wrong), "--out", out])
    assert not (tmp_path / "x.npz").exists()


def test_a_missing_or_folder_clip_names_the_path(capsys, tmp_path):
    assert "does not exist" in one_error_line(capsys, ["check", str(tmp_path / "nope.npz")])
    (tmp_path / "take.bvh").mkdir()
    assert "is a folder" in one_error_line(capsys, ["check", str(tmp_path / "take.bvh")])
