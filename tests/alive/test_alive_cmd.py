"""posers alive and the VRMA reader/writer: formats in and out, determinism, one-line errors, nothing written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from posers_blender import humanoid as hm
from posers_blender.cli import main
from posers_blender.engine import quat
from posers_blender.engine.clip import Clip
from posers_blender.engine.skeleton import default_avatar
from posers_blender.io.vrma import VrmaError, read_vrma, vrma_bytes, write_vrma

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
VRMA = DATA / "vrma" / "three-vrm_test.vrma"


def clip_file(tmp_path: Path, seconds: float = 4.0) -> Path:
    sk = default_avatar()
    n = int(seconds * 30)
    lrot = np.tile(quat.IDENTITY, (n, len(hm.BONES), 1))
    lrot[:, hm.INDEX["leftUpperArm"]] = quat.from_axis_angle_deg([0.0, 0.0, 1.0], -70.0)
    lrot[:, hm.INDEX["rightUpperArm"]] = quat.from_axis_angle_deg([0.0, 0.0, 1.0], 70.0)
    path = tmp_path / "in.npz"
    Clip(30.0, lrot, np.tile(sk.offsets[0], (n, 1)), sk).save_npz(path)
    return path


def test_npz_in_npz_bvh_and_vrma_out_and_the_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    src = clip_file(tmp_path)
    for suffix in (".npz", ".bvh", ".vrma"):
        assert main(["alive", str(src), "--out", str(tmp_path / f"a{suffix}"), "--seed", "3"]) == 0
    assert main(["alive", str(src), "--out", str(tmp_path / "b.vrma"), "--seed", "3"]) == 0
    assert main(["alive", str(src), "--out", str(tmp_path / "c.vrma"), "--seed", "4"]) == 0
    assert (tmp_path / "a.vrma").read_bytes() == (tmp_path / "b.vrma").read_bytes()
    assert (tmp_path / "a.vrma").read_bytes() != (tmp_path / "c.vrma").read_bytes()
    back = read_vrma(tmp_path / "a.vrma")
    assert "blink" in back.expressions and back.expressions["blink"].max() > 0.9


def test_vrma_round_trip_keeps_rotations_hips_and_expressions() -> None:
    sk = default_avatar()
    n = 31
    rng = np.random.default_rng(0)
    lrot = quat.from_scaled_axis(rng.normal(0.0, 0.3, (n, len(hm.BONES), 3)))
    lrot[:, ~sk.present] = quat.IDENTITY
    clip = Clip(
        30.0, lrot, sk.offsets[0] + rng.normal(0, 0.05, (n, 3)), sk, expressions={"blink": np.linspace(0, 1, n)}
    )
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        write_vrma(clip, Path(d) / "x.vrma")
        back = read_vrma(Path(d) / "x.vrma", fps=30.0)
    assert back.n_frames == n
    err = quat.angle_between(back.lrot[:, sk.present], lrot[:, sk.present])
    assert err.max() < 1e-5
    assert np.abs(back.hips_pos - clip.hips_pos).max() < 1e-6
    assert np.abs(back.expressions["blink"] - clip.expressions["blink"]).max() < 1e-6
    assert vrma_bytes(clip) == vrma_bytes(clip)


@pytest.mark.skipif(not VRMA.is_file(), reason="needs ../shared/data")
def test_a_vrma_from_another_tool_reads_normalised_and_gets_blinks(tmp_path: Path) -> None:
    c = read_vrma(VRMA)
    # only the right upper arm is animated there: every other bone reads as the T-pose (identity)
    moved = [hm.BONES[j] for j in range(len(hm.BONES)) if np.abs(np.abs(c.lrot[:, j, 0]) - 1).max() > 1e-5]
    assert moved == ["rightUpperArm"]
    assert c.expressions["happy"].max() == pytest.approx(1.0)
    out = tmp_path / "alive.vrma"
    assert main(["alive", str(VRMA), "--out", str(out)]) == 0
    o = read_vrma(out)
    assert o.expressions["blink"].max() > 0.9 and "happy" in o.expressions


@pytest.mark.parametrize(
    ("content", "name", "needle"),
    [
        (b"not a glb", "bad.vrma", "not a VRMA file"),
        (b"glTF\x02\x00\x00\x00\x14\x00\x00\x00\x00\x00\x00\x00JSON", "empty.vrma", "damaged glTF JSON"),
        (b"HIERARCHY\nROOT x\n", "bad.bvh", "bad.bvh"),
        (b"PK\x03\x04junk", "bad.npz", "bad.npz"),
        (b"x", "clip.fbx", "use a .bvh, .npz or .vrma"),
    ],
)
def test_an_unreadable_input_is_one_line_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, name: str, needle: str
) -> None:
    src = tmp_path / name
    src.write_bytes(content)
    out = tmp_path / "out.npz"
    assert main(["alive", str(src), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("posers: error:") and needle in err
    assert not out.exists()


def test_existing_output_is_not_overwritten_and_bad_values_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = clip_file(tmp_path, 2.0)
    out = tmp_path / "o.npz"
    out.write_bytes(b"mine")
    assert main(["alive", str(src), "--out", str(out)]) == 2
    assert out.read_bytes() == b"mine"
    assert "--force" in capsys.readouterr().err
    assert main(["alive", str(src), "--out", str(tmp_path / "p.npz"), "--set", "gaze=9"]) == 2
    assert "'gaze'" in capsys.readouterr().err
    assert not (tmp_path / "p.npz").exists()


def test_read_vrma_errors_are_vrma_errors(tmp_path: Path) -> None:
    with pytest.raises(VrmaError, match="folder"):
        read_vrma(tmp_path)
