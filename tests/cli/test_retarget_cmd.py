"""posers retarget: a BVH in, the same motion on the built-in avatar out; errors as one line."""

from __future__ import annotations

from posers_blender.cli import main
from posers_blender.engine.clip import Clip


def test_retarget_our_own_export_to_npz_keeps_the_motion(tmp_path, capsys):
    src = tmp_path / "idle.bvh"
    assert main(["sample", "idle-breathe", "--seconds", "2", "--out", str(src)]) == 0
    out = tmp_path / "back.npz"
    assert main(["retarget", str(src), "--out", str(out), "--no-align"]) == 0
    text = capsys.readouterr().out
    assert "VRM names" in text and "wrote" in text
    clip = Clip.load_npz(out)
    assert clip.n_frames == 60 and clip.fps == 30.0


def test_retarget_dev_mocap_resampled_to_bvh(data_dir, tmp_path, capsys):
    src = data_dir / "bvh" / "cmu_02_01_walk.bvh"
    out = tmp_path / "walk.bvh"
    assert main(["retarget", str(src), "--out", str(out), "--fps", "30", "--height", "1.8"]) == 0
    assert "cmu names" in capsys.readouterr().out
    text = out.read_text()
    assert "ROOT hips" in text and "Frame Time: 0.0333333" in text
    frames = int(text.split("Frames:")[1].split()[0])
    assert frames == 86  # 343 frames at 120 fps = 2.85 s


def test_retarget_errors_are_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.bvh"
    bad.write_text("not a bvh")
    assert main(["retarget", str(bad), "--out", str(tmp_path / "x.npz")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no MOTION section" in err
    assert main(["retarget", str(tmp_path / "missing.bvh"), "--out", str(tmp_path / "x.npz")]) == 2
    assert "does not exist" in capsys.readouterr().err
