"""posers report refuses what would lose a user's files or end in a traceback, before sampling anything."""

from __future__ import annotations

import sys

from posers_blender.cli import main


def test_an_existing_non_empty_out_folder_needs_force(tmp_path, capsys):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("my own page")
    assert main(["report", "idle-breathe", "--out", str(out), "--seconds", "1", "--no-gif"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("posers: error:") and "--force" in err[0]
    assert (out / "index.html").read_text() == "my own page"


def test_without_matplotlib_one_line_names_the_report_extra(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # what an install without the extra looks like
    assert main(["report", "idle-breathe", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "pip install '.[report]'" in err
    assert not (tmp_path / "r").exists()
