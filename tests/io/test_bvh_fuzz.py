"""Property test of BVH reading (issue 15): a damaged file gives either a clip with finite values and the declared
frame count, or one clean :class:`BvhError` -- never another exception, a short read or NaN."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from posers_blender.io.bvh_read import BvhError, parse_bvh
from posers_blender.mocap import retarget

GOOD = (Path(__file__).resolve().parents[1] / "fixtures" / "bad_inputs" / "good.bvh").read_bytes()


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    data = bytearray(GOOD)
    kind = draw(st.sampled_from(["truncate", "bytes", "delete", "insert"]))
    if kind == "truncate":
        return bytes(data[: draw(st.integers(0, len(data)))])
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(data) - 1))
        if kind == "bytes":
            data[i] = draw(st.integers(0, 255))
        elif kind == "delete":
            del data[i : i + draw(st.integers(1, 40))]
        else:
            data[i:i] = draw(st.sampled_from([b" ", b"\n", b"-", b"nan", b"1e400", b"{", b"}", b"0.5", b"Frames:"]))
    return bytes(data)


def _declared_frames(text: str) -> int | None:
    m = re.search(r"MOTION\s*\n\s*Frames:\s*(\S+)", text)
    try:
        return int(m.group(1)) if m else None
    except ValueError:
        return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_bvh_reads_whole_and_finite_or_fails_cleanly(data):
    text = data.decode("utf-8", errors="replace")  # what read_bvh does
    try:
        bvh = parse_bvh(text, "fuzz.bvh")
    except BvhError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("'fuzz.bvh'")
        return
    assert np.isfinite(bvh.motion).all()
    assert bvh.motion.shape == (bvh.n_frames, sum(len(j.channels) for j in bvh.joints))
    declared = _declared_frames(text)
    if declared is not None:
        assert bvh.n_frames == declared
    try:
        clip = retarget(bvh).clip
    except BvhError as exc:
        assert "\n" not in str(exc)
        return
    assert clip.n_frames == bvh.n_frames
    assert np.isfinite(clip.lrot).all() and np.isfinite(clip.hips_pos).all()
