"""Write the bad-input corpus (issue 15) into tests/fixtures/bad_inputs/: files every reader must refuse cleanly.

    python scripts/make_bad_inputs.py [--out DIR]

Everything is made from a short BVH and NPZ we sample ourselves (idle-breathe, 1 s at 10 fps on the built-in
avatar), so the tests need no shared data, and the output is deterministic (fixed seeds). ``MANIFEST.json``
lists each file with the reader that gets it (``bvh``, ``npz``, ``preset``, ``vrm``) and a piece of the error
line it must give; ``good.bvh``/``good.npz`` are the intact sources, and ``good.bvh`` also seeds the property
test of the BVH reader. The corpus is a few hundred kB.
"""

from __future__ import annotations

import argparse
import io
import json
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from posers_blender.engine.sampler import sample  # noqa: E402
from posers_blender.io.bvh import bvh_text  # noqa: E402
from posers_blender.registry import get  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "bad_inputs"
#: Where a truncated copy of good.bvh is cut, as fractions of its length (header, MOTION line, data).
TRUNCATIONS = (0.0005, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999)


def bvh_cases(good: str) -> dict[str, tuple[bytes, str]]:
    head, motion = good.split("MOTION\n")
    lines = motion.strip().splitlines()
    frames_line, time_line, rows = lines[0], lines[1], lines[2:]

    def with_motion(frames: str = frames_line, ftime: str = time_line, data: list[str] = rows) -> bytes:
        return (head + "MOTION\n" + frames + "\n" + ftime + "\n" + "\n".join(data) + "\n").encode()

    n = len(rows)
    cases: dict[str, tuple[bytes, str]] = {
        "empty.bvh": (b"", "no MOTION section"),
        "whitespace.bvh": (b"  \n\n\t\n", "no MOTION section"),
        "binary_garbage.bvh": (np.random.default_rng(15).bytes(4000), "no MOTION section"),
        "motion_only.bvh": (("MOTION\n" + "\n".join(lines) + "\n").encode(), "the HIERARCHY section ends early"),
        "no_motion.bvh": (head.encode(), "no MOTION section"),
        "one_frame.bvh": (with_motion("Frames: 1", data=rows[:1]), "has 1 frame"),
        "frames_abc.bvh": (with_motion("Frames: abc"), "'Frames: abc' is not a whole number"),
        "frames_negative.bvh": (with_motion("Frames: -5"), "needs at least one frame"),
        "frames_zero.bvh": (with_motion("Frames: 0", data=[]), "needs at least one frame"),
        "frames_fraction.bvh": (with_motion("Frames: 1.5"), "is not a whole number"),
        "frames_huge.bvh": (with_motion("Frames: 1000000000000"), "split the file"),
        "frames_more_than_data.bvh": (with_motion(f"Frames: {n + 1}"), f"'Frames: {n + 1}' but the MOTION data holds"),
        "frames_fewer_than_data.bvh": (with_motion(f"Frames: {n - 1}"), f"'Frames: {n - 1}' but the MOTION data"),
        "frames_missing.bvh": (with_motion("", time_line), "needs a 'Frames:' line"),
        "frame_time_nan.bvh": (with_motion(ftime="Frame Time: nan"), "'Frame Time: nan' is out of range"),
        "frame_time_inf.bvh": (with_motion(ftime="Frame Time: inf"), "'Frame Time: inf' is out of range"),
        "frame_time_tiny.bvh": (with_motion(ftime="Frame Time: 1e-9"), "'Frame Time: 1e-9' is out of range"),
        "frame_time_zero.bvh": (with_motion(ftime="Frame Time: 0"), "'Frame Time: 0' is out of range"),
        "frame_time_negative.bvh": (with_motion(ftime="Frame Time: -0.1"), "is out of range"),
        "frame_time_word.bvh": (with_motion(ftime="Frame Time: fast"), "is not a number of seconds"),
        "nan_values.bvh": (with_motion(data=[_set_token(rows[0], 3, "nan"), *rows[1:]]), "holds nan at frame 1"),
        "inf_values.bvh": (with_motion(data=[*rows[:-1], rows[-1].rsplit(" ", 1)[0] + " inf"]), "holds inf"),
        "word_in_data.bvh": (with_motion(data=[*rows[:-1], rows[-1].rsplit(" ", 1)[0] + " oops"]), "'oops'"),
        "offset_nan.bvh": (with_motion().replace(b"OFFSET ", b"OFFSET nan ", 1), "expected a finite number"),
        "unknown_channel.bvh": (with_motion().replace(b"Xrotation", b"Wrotation", 1), "unknown channel"),
        "channel_count_huge.bvh": (with_motion().replace(b"CHANNELS 3", b"CHANNELS 999999", 1), "0 to 6 channels"),
        "duplicate_joint.bvh": (with_motion().replace(b"JOINT spine", b"JOINT hips", 1), "repeated: hips"),
        "unclosed_brace.bvh": (with_motion().replace(b"}\nMOTION", b"MOTION", 1), "ends early"),
        "no_legs.bvh": (_without_legs(head, lines), "cannot find the humanoid bones"),
        "deep_nesting.bvh": (_deep(), "nested more than"),
    }
    for frac in TRUNCATIONS:
        cut = max(1, int(len(good) * frac))
        cases[f"truncated_{cut:06d}.bvh"] = (good.encode()[:cut], "")
    return cases


def _set_token(row: str, i: int, value: str) -> str:
    tokens = row.split()
    tokens[i] = value
    return " ".join(tokens)


def _without_legs(head: str, lines: list[str]) -> bytes:
    """A one-joint file with channels (a valid BVH, not a humanoid)."""
    text = "HIERARCHY\nROOT Pelvis\n{\n OFFSET 0 0 0\n CHANNELS 3 Xposition Yposition Zposition\n"
    text += " End Site\n {\n  OFFSET 0 1 0\n }\n}\nMOTION\nFrames: 2\nFrame Time: 0.1\n0 0 0\n0 0 0\n"
    return text.encode()


def _deep(depth: int = 3000) -> bytes:
    text = "HIERARCHY\nROOT r\n{\nOFFSET 0 0 0\nCHANNELS 3 Xrotation Yrotation Zrotation\n"
    text += "".join(f"JOINT j{i}\n{{\nOFFSET 0 0 0\n" for i in range(depth)) + "}\n" * (depth + 1)
    return (text + "MOTION\nFrames: 1\nFrame Time: 0.1\n0 0 0\n").encode()


def npz_cases(good: bytes) -> dict[str, tuple[bytes, str]]:
    def edit(**changes: np.ndarray | None) -> bytes:
        with np.load(io.BytesIO(good), allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        for k, v in changes.items():
            if v is None:
                arrays.pop(k)
            else:
                arrays[k] = v
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]
        return buf.getvalue()

    with np.load(io.BytesIO(good), allow_pickle=False) as z:
        lrot, hips = z["lrot"], z["hips_pos"]
    nan_rot = lrot.copy()
    nan_rot[3, 5, 0] = np.nan
    zero_q = lrot.copy()
    zero_q[2, 7] = 0.0
    return {
        "empty.npz": (b"", "not a zip archive"),
        "garbage.npz": (np.random.default_rng(16).bytes(3000), "not a zip archive"),
        "truncated.npz": (good[: len(good) // 2], "not a zip archive"),
        "not_a_clip.npz": (_npz(values=np.arange(3.0)), "is not a readable Posers clip"),
        "zero_frames.npz": (edit(lrot=lrot[:0], hips_pos=hips[:0], gaze=None), "holds no frames"),
        "nan_rotations.npz": (edit(lrot=nan_rot), "hold NaN or infinite values"),
        "zero_quaternion.npz": (edit(lrot=zero_q), "is not a unit quaternion"),
        "wrong_shape.npz": (edit(lrot=lrot[:, :10]), "expected (frames, 55, 4)"),
        "hips_short.npz": (edit(hips_pos=hips[:-1]), "hips positions have shape"),
        "fps_zero.npz": (edit(fps=np.float64(0.0)), "fps 0 is out of range"),
        "fps_nan.npz": (edit(fps=np.float64(np.nan)), "fps nan is out of range"),
        "missing_lrot.npz": (edit(lrot=None), "is not a readable Posers clip"),
        "bad_meta_json.npz": (edit(meta=np.asarray("{not json")), "is not a readable Posers clip"),
        "text_rotations.npz": (edit(lrot=np.full(lrot.shape, "x")), "not numbers"),
        "pickled.npz": (_pickled(), "is not a readable Posers clip"),
    }


def _npz(**arrays: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)  # type: ignore[arg-type]
    return buf.getvalue()


def _pickled() -> bytes:
    buf = io.BytesIO()
    np.savez(buf, lrot=np.array([{"a": 1}], dtype=object))
    return buf.getvalue()


def preset_cases() -> dict[str, tuple[bytes, str]]:
    return {
        "not_utf8.json": (b'{"rate": 12, "note": "caf\xe9"}', "not UTF-8"),
        "utf16.json": ('{"rate": 12}'.encode("utf-16"), "not UTF-8"),
        "deeply_nested.json": (b"[" * 20000 + b"]" * 20000, "nests too deeply"),
        "not_json.json": (b"rate = 12\n", "is not valid JSON"),
        "empty.json": (b"", "is not valid JSON"),
        "a_list.json": (b"[1, 2, 3]", "must hold a JSON object"),
        "unknown_param.json": (b'{"rat": 12}', "did you mean 'rate'"),
        "out_of_range.json": (b'{"rate": 99}', "out of range"),
        "nan_value.json": (b'{"rate": NaN}', "finite number"),
        "wrong_type.json": (b'{"rate": "fast"}', "must be a number"),
        "nested_value.json": (b'{"rate": {"value": 12}}', "must be a number"),
    }


def vrm_cases() -> dict[str, tuple[bytes, str]]:
    """Bad VRM/GLB bytes (for io.vrm_skeleton here and the Blender importer's tests)."""

    def glb(doc: bytes | dict[str, object], chunk: bytes = b"JSON", declared: int | None = None) -> bytes:
        body = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
        body += b" " * (-len(body) % 4)
        length = len(body) if declared is None else declared
        total = 12 + 8 + len(body)
        return b"glTF" + struct.pack("<II", 2, total) + struct.pack("<I4s", length, chunk) + body

    nodes = [{"name": "hips", "translation": [0, 1, 0], "children": [1]}, {"name": "spine", "children": [0]}]
    return {
        "empty.vrm": (b"", "no glTF header"),
        "not_glb.vrm": (b"PK\x03\x04" + np.random.default_rng(17).bytes(400), "no glTF header"),
        "header_only.vrm": (b"glTF" + struct.pack("<II", 2, 12), "no glTF header"),
        "bin_chunk_first.vrm": (glb(b"\x00" * 16, chunk=b"BIN\x00"), "is not JSON"),
        "json_chunk_garbage.vrm": (glb(b"{not json"), "is not valid glTF JSON"),
        "json_chunk_latin1.vrm": (glb(b'{"asset": "caf\xe9"}'), "is not valid glTF JSON"),
        "json_chunk_length_lies.vrm": (glb({"asset": {}}, declared=10_000_000), "runs past the end"),
        "json_not_object.vrm": (glb(b"[1, 2]"), "is not a glTF object"),
        "no_humanoid.vrm": (glb({"asset": {"version": "2.0"}, "nodes": []}), "no VRM humanoid"),
        "bone_node_out_of_range.vrm": (
            glb({"nodes": [], "extensions": {"VRMC_vrm": {"humanoid": {"humanBones": {"hips": {"node": 7}}}}}}),
            "is not a usable VRM",
        ),
        "node_cycle.vrm": (
            glb({"nodes": nodes, "extensions": {"VRMC_vrm": {"humanoid": {"humanBones": {"hips": {"node": 0}}}}}}),
            "is not a usable VRM",
        ),
    }


def write_corpus(out: Path) -> dict[str, dict[str, str]]:
    clip = sample(get("idle-breathe"), seed=1, fps=10.0, duration=1.0)
    good_bvh = bvh_text(clip)
    buf = io.BytesIO()
    np.savez_compressed(buf, **clip.to_arrays())
    good_npz = buf.getvalue()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if old.is_file():
            old.unlink()
    manifest: dict[str, dict[str, str]] = {}
    groups = {"bvh": bvh_cases(good_bvh), "npz": npz_cases(good_npz), "preset": preset_cases(), "vrm": vrm_cases()}
    for reader, cases in groups.items():
        for name, (data, needle) in cases.items():
            fname = f"{reader}_{name}" if reader in ("preset", "vrm") else name
            (out / fname).write_bytes(data)
            manifest[fname] = {"reader": reader, "message": needle}
    (out / "good.bvh").write_text(good_bvh, encoding="ascii", newline="\n")
    (out / "good.npz").write_bytes(good_npz)
    (out / "MANIFEST.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    with zipfile.ZipFile(io.BytesIO(good_npz)) as z:  # the intact NPZ really is one
        assert "lrot.npy" in z.namelist()
    return manifest


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=OUT, help=f"output folder (default {OUT})")
    args = ap.parse_args()
    manifest = write_corpus(args.out)
    size = sum(p.stat().st_size for p in args.out.iterdir())
    print(f"wrote {len(manifest)} bad inputs and the good sources into {args.out} ({size / 1e3:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
