"""Issue 15: every CLI reader over the bad-input corpus (tests/fixtures/bad_inputs, made by
scripts/make_bad_inputs.py): exit 2, exactly one stderr line ``posers: error: ...``, no traceback, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from posers_blender.cli import main
from posers_blender.io.vrm_skeleton import VrmError, load_vrm_skeleton

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "bad_inputs"
MANIFEST: dict[str, dict[str, str]] = json.loads((CORPUS / "MANIFEST.json").read_text(encoding="utf-8"))


def _cases(reader: str) -> list[tuple[str, str]]:
    return sorted((name, spec["message"]) for name, spec in MANIFEST.items() if spec["reader"] == reader)


def _commands(reader: str, path: Path, out: Path) -> list[list[str]]:
    if reader == "bvh":
        return [["check", str(path), "--seconds", "2"], ["retarget", str(path), "--out", str(out)]]
    if reader == "npz":
        return [["check", str(path)]]
    return [
        ["sample", "idle-breathe", "--params", str(path), "--seconds", "1", "--out", str(out)],
        ["check", "idle-breathe", "--params", str(path), "--seconds", "1"],
    ]


def assert_one_clean_error(capsys: pytest.CaptureFixture[str], argv: list[str], needle: str) -> None:
    code = main(argv)
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert code == 2, f"{argv}: exit {code}\n{captured.err}"
    assert len(lines) == 1 and lines[0].startswith("posers: error: "), f"{argv}:\n{captured.err}"
    assert needle in lines[0], f"{argv}: '{needle}' not in: {lines[0]}"
    assert captured.out == ""


def test_the_corpus_covers_every_reader_and_stays_small():
    readers = {spec["reader"] for spec in MANIFEST.values()}
    assert readers == {"bvh", "npz", "preset", "vrm"}
    assert sum(1 for n in MANIFEST if n.startswith("truncated_")) >= 10
    assert sum(p.stat().st_size for p in CORPUS.iterdir()) < 3_000_000
    assert all((CORPUS / name).is_file() for name in MANIFEST)


@pytest.mark.parametrize(("name", "needle"), _cases("bvh") + _cases("npz") + _cases("preset"))
def test_a_bad_input_is_one_error_line_and_writes_nothing(name, needle, capsys, tmp_path):
    spec = MANIFEST[name]
    out = tmp_path / "out.npz"
    for argv in _commands(spec["reader"], CORPUS / name, out):
        assert_one_clean_error(capsys, argv, needle)
        assert not out.exists()


@pytest.mark.parametrize(("name", "needle"), _cases("vrm"))
def test_a_bad_vrm_is_one_vrm_error(name, needle):
    with pytest.raises(VrmError, match=needle) as err:
        load_vrm_skeleton(CORPUS / name)
    assert "\n" not in str(err.value)


def test_the_good_sources_read(capsys, tmp_path):
    out = tmp_path / "good.npz"
    assert main(["retarget", str(CORPUS / "good.bvh"), "--out", str(out)]) == 0
    assert out.exists()
    assert main(["check", str(CORPUS / "good.npz")]) in (0, 1)  # scored, whether or not a gate passes
    assert "posers: error" not in capsys.readouterr().err


def test_a_folder_named_like_a_file_is_one_error_line(capsys, tmp_path):
    for suffix, needle in ((".bvh", "is a folder"), (".npz", "is a folder")):
        folder = tmp_path / f"take{suffix}"
        folder.mkdir()
        assert_one_clean_error(capsys, ["check", str(folder)], needle)
    assert_one_clean_error(capsys, ["retarget", str(tmp_path / "take.bvh"), "--out", str(tmp_path / "o.npz")], "file")


def test_a_preset_over_the_size_limit_is_refused_unread(capsys, tmp_path):
    big = tmp_path / "big.json"
    big.write_text('{"rate": 12, "pad": "' + "x" * 1_100_000 + '"}')
    assert_one_clean_error(capsys, ["check", "idle-breathe", "--params", str(big)], "a preset is a few lines")
