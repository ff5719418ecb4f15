import json
from pathlib import Path

import numpy as np
import pytest

from posers_blender.engine import FrameProgram, MotionError, MotionMeta, MotionProgram, ParamError, Tracks, quat, sample
from posers_blender.engine.params import Param, Schema
from posers_blender.engine.skeleton import default_avatar
from posers_blender.registry import get

SKEL_HIPS = default_avatar().offsets[0]
SNAPSHOT = Path(__file__).parent / "snapshots" / "idle_breathe_seed1.json"


def test_same_inputs_give_bit_identical_arrays():
    p = get("idle-breathe")
    a = sample(p, seed=7, fps=30, duration=4)
    b = sample(p, seed=7, fps=30, duration=4)
    assert a.lrot.tobytes() == b.lrot.tobytes()
    assert a.hips_pos.tobytes() == b.hips_pos.tobytes()
    assert a.expressions["blink"].tobytes() == b.expressions["blink"].tobytes()
    assert a.markers == b.markers


def test_different_seeds_differ():
    p = get("idle-breathe")
    a = sample(p, seed=1, fps=30, duration=4)
    b = sample(p, seed=2, fps=30, duration=4)
    assert not np.allclose(a.lrot, b.lrot)


def test_snapshot_of_rounded_values():
    """Any change to idle-breathe's output shows up here as a reviewed diff.

    Regenerate with: python -c "from tests.engine.test_sampler import write_snapshot; write_snapshot()"
    """
    clip = sample(get("idle-breathe"), seed=1, fps=30, duration=3)
    snap = json.loads(SNAPSHOT.read_text())
    frames = snap["frames"]
    assert np.allclose(np.round(clip.lrot[frames], 4), np.array(snap["lrot"]), atol=2e-4)
    assert np.allclose(np.round(clip.hips_pos[frames], 5), np.array(snap["hips_pos"]), atol=2e-5)


def write_snapshot() -> None:
    clip = sample(get("idle-breathe"), seed=1, fps=30, duration=3)
    frames = [0, 17, 44, 89]
    SNAPSHOT.parent.mkdir(exist_ok=True)
    SNAPSHOT.write_text(
        json.dumps(
            {
                "frames": frames,
                "lrot": np.round(clip.lrot[frames], 4).tolist(),
                "hips_pos": np.round(clip.hips_pos[frames], 5).tolist(),
            }
        )
    )


class Exploding(FrameProgram):
    meta = MotionMeta(id="exploding", name="Exploding", description="raises at 0.5 s")
    schema = Schema((Param("when", "float", 0.5, "when to raise", 0.0, 10.0, "s"),))

    def update(self, rig, ctx, t, dt):
        if t >= ctx.params.when:
            raise ZeroDivisionError("boom")


class NaNMaker(FrameProgram):
    meta = MotionMeta(id="nan-maker", name="NaN", description="writes NaN")

    def update(self, rig, ctx, t, dt):
        if t > 0.2:
            rig.set_rotation("head", np.array([np.nan, 0, 0, 0]))


def test_a_motion_that_raises_gives_an_error_naming_it_and_the_time():
    with pytest.raises(MotionError, match=r"motion 'exploding' raised ZeroDivisionError at t = 0\.500 s: boom"):
        sample(Exploding(), fps=10, duration=1)


def test_nan_output_is_caught_with_the_frame():
    with pytest.raises(MotionError, match="NaN or infinite values at frame 3"):
        sample(NaNMaker(), fps=10, duration=1)


@pytest.mark.parametrize("fps,duration", [(0, 1), (1000, 1), (30, 0), (30, float("nan")), (30, 1e9)])
def test_bad_timing_is_refused(fps, duration):
    with pytest.raises(ParamError):
        sample(get("idle-breathe"), fps=fps, duration=duration)


def test_targets_are_read_per_frame():
    class Reader(FrameProgram):
        meta = MotionMeta(id="reader", name="r", description="r")

        def update(self, rig, ctx, t, dt):
            rig.set_hips_offset(ctx.target("goal"))

    track = np.stack([np.arange(5) * 0.1, np.zeros(5), np.zeros(5)], axis=1)
    clip = sample(Reader(), fps=5, duration=1, targets={"goal": track})
    assert np.allclose(clip.hips_pos[:, 0], track[:, 0])


def test_clip_npz_round_trip(tmp_path):
    from posers_blender.engine.clip import Clip

    clip = sample(get("idle-breathe"), seed=3, fps=30, duration=2)
    clip.save_npz(tmp_path / "c.npz")
    back = Clip.load_npz(tmp_path / "c.npz")
    assert np.array_equal(back.lrot, clip.lrot)
    assert back.markers == clip.markers and back.meta == clip.meta
    assert np.array_equal(back.expressions["blink"], clip.expressions["blink"])


class Nod(MotionProgram):
    """A clip-level program: the whole clip in build(), markers returned with the tracks."""

    meta = MotionMeta(id="nod", name="Nod", description="nods once a second")

    def build(self, ctx):
        tr = Tracks(ctx.skeleton, ctx.n_frames)
        tr.set("head", quat.from_axis_angle(np.array([1.0, 0.0, 0.0]), 0.2 * np.sin(2 * np.pi * ctx.times)))
        tr.hips_offset[:, 1] = -0.01
        tr.expressions["blink"] = np.where(ctx.times % 1.0 < 0.1, 1.0, 0.0)
        for k in range(int(ctx.duration)):
            tr.mark("nod", float(k))
        return tr


def test_a_clip_level_program_becomes_the_clip_as_built():
    clip = sample(Nod(), fps=20, duration=3)
    assert clip.n_frames == 60
    assert np.allclose(clip.hips_pos, SKEL_HIPS + np.array([0.0, -0.01, 0.0]))
    assert clip.markers == [(0.0, "nod"), (1.0, "nod"), (2.0, "nod")]
    assert clip.expressions["blink"][:2].tolist() == [1.0, 1.0] and clip.expressions["blink"][3] == 0.0
    assert np.allclose(clip.gaze, [0.0, 0.0, 1.0])
    assert np.all(np.sum(clip.lrot[1:] * clip.lrot[:-1], axis=-1) >= 0)  # hemisphere-continuous


def test_a_build_that_raises_is_named_without_a_frame_time():
    class Broken(MotionProgram):
        meta = MotionMeta(id="broken", name="b", description="b")

        def build(self, ctx):
            raise KeyError("wall")

    with pytest.raises(MotionError, match=r"motion 'broken' raised KeyError while building: 'wall'"):
        sample(Broken(), fps=10, duration=1)


def test_a_build_of_the_wrong_length_is_refused():
    class Short(MotionProgram):
        meta = MotionMeta(id="short", name="s", description="s")

        def build(self, ctx):
            return Tracks(ctx.skeleton, ctx.n_frames - 1)

    with pytest.raises(MotionError, match="Tracks of 10 frames"):
        sample(Short(), fps=10, duration=1)


def test_a_clip_level_program_reads_a_target_for_every_frame():
    class Follows(MotionProgram):
        meta = MotionMeta(id="follows", name="f", description="f")

        def build(self, ctx):
            tr = Tracks(ctx.skeleton, ctx.n_frames)
            tr.hips_offset[:] = ctx.target_track("goal")
            return tr

    track = np.stack([np.arange(3) * 0.1, np.zeros(3), np.zeros(3)], axis=1)
    clip = sample(Follows(), fps=5, duration=1, targets={"goal": track})
    assert np.allclose(clip.hips_pos[:, 0] - SKEL_HIPS[0], [0.0, 0.1, 0.2, 0.2, 0.2])
    fixed = sample(Follows(), fps=5, duration=1, targets={"goal": [0.3, 0.0, 0.0]})
    assert np.allclose(fixed.hips_pos[:, 0] - SKEL_HIPS[0], 0.3)


def test_clip_finish_in_place_is_bit_identical_to_normalize_then_continuous():
    from posers_blender.engine.sampler import BLOCK, _continuous_unit_quaternions

    rng = np.random.default_rng(7)
    shape = (BLOCK + 9, 3, 4)  # more than one block
    lrot = rng.normal(size=shape) * rng.uniform(0.5, 2.0, size=(*shape[:-1], 1))
    want = quat.continuous(quat.normalize(lrot), axis=0)
    assert np.array_equal(_continuous_unit_quaternions(lrot.copy()), want)
