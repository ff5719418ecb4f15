"""Issue 15: every setting inside a standing motion's declared space gives good motion.

Hypothesis draws parameter values inside each declared range, a seed, an fps from {24, 30, 60, 120}
and a clip of 3-12 s, after the explicit draws in :data:`REGRESSIONS` (settings scripts/fuzz.py once
found failing). A draw the schema rejects (a cross-parameter constraint) must be refused with one line
before sampling; every other draw must sample without error or NaN, pass every hard gate and
give the same arrays when sampled again. Draws are derandomised so CI is stable; scripts/fuzz.py
explores further (longer clips, corners, many more draws). Walks are covered by the walk tests;
frame-rate agreement by tests/motions/test_frame_rate.py.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from posers_blender.engine import sample
from posers_blender.engine.params import Param, ParamError, Schema
from posers_blender.engine.program import MotionError
from posers_blender.quality import evaluate
from posers_blender.registry import get

#: Draws per motion, sized so the whole file runs in about a minute and a half on one core.
EXAMPLES = {
    "idle-breathe": 12,
    "confident-stance": 10,
    "nervous-fidget": 6,
    "smoking-cigarette": 8,
    "contemplative-lean": 5,
}
#: ``POSERS_FUZZ_SCALE=10`` draws ten times as many (local exploration; failures print their draw).
SCALE = float(os.environ.get("POSERS_FUZZ_SCALE", "1"))
FPS = (24.0, 30.0, 60.0, 120.0)
NOISE = 1e-12
#: Draws ``scripts/fuzz.py --n 140 --seed 1`` found failing (params, seed, fps, seconds), run first every time: a
#: face touch in 0.74 s (forearm 377 deg/s; joint-speed p99 364 deg/s in a 6.4 s clip), a wrist turned in 0.6 s
#: transports, three overlapping thumb bouts (thumb flexion 71.5 deg) and a near-straight finger curl that
#: wandered below 0 (little finger -5.7 deg).
REGRESSIONS: dict[str, list[tuple[dict[str, Any], int, float, float]]] = {
    "nervous-fidget": [
        (
            {
                "energy": 0.7875,
                "handedness": "right",
                "rate": 17.2124,
                "depth": 1.0602,
                "sway": 2.1317,
                "blink_rate": 22.8832,
                "glance_interval": 13.033,
                "gesture_interval": 26.6417,
                "breathing_weight": 0.428,
                "sway_weight": 0.6726,
                "gesture_weight": 0.9656,
                "gaze_weight": 0.3488,
                "nervousness": 0.53,
                "contract": 0.3165,
                "head_down": 13.7077,
                "aversion": 0.5966,
            },
            3546124317,
            30.0,
            6.41,
        ),
        ({"sway": 2.5}, 783166788, 60.0, 23.38),
        (
            {
                "energy": 0.7183,
                "handedness": "right",
                "rate": 19.2545,
                "depth": 1.9315,
                "sway": 0.1617,
                "blink_rate": 13.6282,
                "glance_interval": 6.1437,
                "gesture_interval": 238.76,
                "breathing_weight": 0.2385,
                "sway_weight": 0.917,
                "gesture_weight": 0.1237,
                "gaze_weight": 0.769,
                "nervousness": 0.6281,
                "contract": 1.4107,
                "head_down": 12.3246,
                "aversion": 0.9092,
            },
            4198907934,
            60.0,
            30.86,
        ),
    ],
    "idle-breathe": [
        (
            {
                "energy": 1.4645,
                "handedness": "right",
                "rate": 16.4572,
                "depth": 1.9097,
                "sway": 0.8735,
                "blink_rate": 20.8388,
                "glance_interval": 6.7277,
                "gesture_interval": 108.061,
                "breathing_weight": 0.2771,
                "sway_weight": 0.5503,
                "gesture_weight": 0.5574,
                "gaze_weight": 0.499,
                "ie_ratio": 1.6245,
                "sigh_interval": 543.592,
                "fidget_interval": 116.666,
                "shift_interval": 307.363,
                "one_leg": 0.8375,
                "arm_hang": 0.8381,
                "finger_curl": 15.4235,
                "head_motion": 1.121,
            },
            591987580,
            60.0,
            8.62,
        ),
        (
            {
                "energy": 0.6627,
                "handedness": "both",
                "rate": 13.476,
                "depth": 0.4407,
                "sway": 1.6243,
                "blink_rate": 14.2654,
                "glance_interval": 35.0613,
                "gesture_interval": 544.452,
                "breathing_weight": 0.8616,
                "sway_weight": 0.9217,
                "gesture_weight": 0.9351,
                "gaze_weight": 0.5898,
                "ie_ratio": 1.7023,
                "sigh_interval": 91.5967,
                "fidget_interval": 30.2441,
                "shift_interval": 342.919,
                "one_leg": 0.856,
                "arm_hang": 6.4895,
                "finger_curl": 0.1492,
                "head_motion": 0.4246,
            },
            213387076,
            24.0,
            30.97,
        ),
    ],
}


def _value(p: Param) -> st.SearchStrategy[Any]:
    if p.kind == "bool":
        return st.booleans()
    if p.kind == "enum":
        return st.sampled_from(p.choices)
    assert p.min is not None and p.max is not None
    if p.kind == "int":
        return st.integers(int(p.min), int(p.max))
    return st.floats(p.min, p.max, allow_nan=False)


def params_in(schema: Schema) -> st.SearchStrategy[dict[str, Any]]:
    """Every parameter drawn inside its declared range (constraints are the schema's to enforce)."""
    return st.fixed_dictionaries({p.name: _value(p) for p in schema})


def _check_every_draw(motion: str, params: dict[str, Any], seed: int, fps: float, seconds: float) -> None:
    program = get(motion)
    try:
        program.schema.validate(params, duration=seconds, fps=fps)
    except ParamError as exc:  # refused up front, in one line, and sampling refuses it the same way
        assert "\n" not in str(exc)
        with pytest.raises(ParamError):
            sample(program, params, seed=seed, fps=fps, duration=seconds)
        return
    try:
        clip = sample(program, params, seed=seed, fps=fps, duration=seconds)
    except MotionError as exc:  # pragma: no cover - the failure message is the point
        pytest.fail(f"{motion} crashed or wrote NaN: {exc}")
    report = evaluate(clip, program.meta, checks=())
    failed = [f"{r.name}={r.value:.4g} ({r.bound}) {r.detail}" for r in report.failed() if r.kind == "gate"]
    assert not failed, f"{motion} seed {seed}, {seconds:g} s at {fps:g} fps, {params}: {failed}"
    # The same draw again: identical up to float noise (the project's guard, clip_digest, allows 1e-12).
    # smoking-cigarette's right arm differs by ~1e-16 after other clips were sampled in the same process.
    again = sample(program, params, seed=seed, fps=fps, duration=seconds)
    assert np.abs(clip.lrot - again.lrot).max() <= NOISE and np.abs(clip.hips_pos - again.hips_pos).max() <= NOISE


def _fuzz_test(motion: str):  # type: ignore[no-untyped-def]
    def test(params: dict[str, Any], seed: int, fps: float, seconds: float) -> None:
        _check_every_draw(motion, params, seed, fps, seconds)

    for params, seed, fps, seconds in REGRESSIONS.get(motion, []):
        test = example(params=params, seed=seed, fps=fps, seconds=seconds)(test)
    return pytest.mark.slow(
        settings(
            max_examples=max(1, round(EXAMPLES[motion] * SCALE)),
            deadline=None,
            derandomize=True,
            phases=(Phase.explicit, Phase.generate),  # no shrinking: each step samples a clip; the draw is printed
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )(
            given(
                params=params_in(get(motion).schema),
                seed=st.integers(0, 2**32 - 1),
                fps=st.sampled_from(FPS),
                seconds=st.floats(3.0, 12.0),
            )(test)
        )
    )


test_idle_breathe_passes_the_hard_gates_for_every_draw = _fuzz_test("idle-breathe")
test_confident_stance_passes_the_hard_gates_for_every_draw = _fuzz_test("confident-stance")
test_nervous_fidget_passes_the_hard_gates_for_every_draw = _fuzz_test("nervous-fidget")
test_smoking_cigarette_passes_the_hard_gates_for_every_draw = _fuzz_test("smoking-cigarette")
test_contemplative_lean_passes_the_hard_gates_for_every_draw = _fuzz_test("contemplative-lean")


def test_a_motion_that_still_fails_tells_the_user_what_to_change():
    """Issue 15: not "fix the motion program": the settings to move, another seed or a longer clip, a report."""
    from posers_blender.engine.program import FrameProgram, MotionMeta

    class Broken(FrameProgram):
        meta = MotionMeta("broken", "Broken", "raises")
        schema = Schema((Param("reach", "float", 1.0, "how far", 0.0, 2.0, "m"),))

        def update(self, rig, ctx, t, dt):  # type: ignore[no-untyped-def]
            raise ValueError("moves overlap")

    with pytest.raises(MotionError) as e:
        sample(Broken(), {"reach": 2.0}, seed=7, duration=1.0)
    msg = str(e.value)
    assert "Fix the motion program" not in msg
    assert "move reach=2 toward the defaults" in msg and "another seed" in msg and "seed 7" in msg


def test_docs_list_every_rejected_combination():
    """docs/parameters.md carries the table that ``scripts/fuzz.py --rules`` generates from the schemas."""
    import importlib.util
    import sys
    from pathlib import Path

    from posers_blender.registry import gated_motions

    repo = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("fuzz_script", repo / "scripts" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    fuzz = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = fuzz  # its dataclasses look their module up
    spec.loader.exec_module(fuzz)
    assert fuzz.rules_markdown(gated_motions()) in (repo / "docs" / "parameters.md").read_text(encoding="utf-8")
