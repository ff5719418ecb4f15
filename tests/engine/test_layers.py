import numpy as np

from posers_blender import humanoid as hm
from posers_blender.engine import MotionMeta, MotionProgram, quat, sample
from posers_blender.engine.layers import TORSO_MASK, Layer, LayeredProgram, crossfade, min_blend_duration
from posers_blender.registry import get


class Wave(MotionProgram):
    """Left arm waves at its own frequency; hips still."""

    meta = MotionMeta(id="wave", name="Wave", description="test")

    def __init__(self, freq=0.5, amp=0.6, axis=(0, 0, 1.0)):
        self.freq, self.amp, self.axis = freq, amp, np.array(axis)

    def update(self, rig, ctx, t, dt):
        rig.set_rotation(
            "leftUpperArm", quat.from_axis_angle(self.axis, -1.2 + self.amp * np.sin(2 * np.pi * self.freq * t))
        )
        rig.set_rotation("chest", quat.from_axis_angle(np.array([1.0, 0, 0]), 0.05 * np.sin(2 * np.pi * 0.3 * t)))


def test_additive_layer_touches_only_masked_bones():
    base = Wave()
    layered = LayeredProgram(base, [Layer(get("idle-breathe"), weight=1.0, mask=TORSO_MASK, hips=False)])
    a = sample(base, fps=30, duration=3)
    b = sample(layered, fps=30, duration=3)
    unmasked = [hm.INDEX[n] for n in hm.BONES if n not in TORSO_MASK]
    masked = [hm.INDEX[n] for n in TORSO_MASK]
    assert np.allclose(a.lrot[:, unmasked], b.lrot[:, unmasked])
    assert not np.allclose(a.lrot[:, masked], b.lrot[:, masked])
    assert np.allclose(a.hips_pos, b.hips_pos)


def test_layer_weight_zero_is_the_base_and_half_is_between():
    base = Wave()
    idle = get("idle-breathe")
    a = sample(base, fps=30, duration=2)
    z = sample(LayeredProgram(base, [Layer(idle, weight=0.0)]), fps=30, duration=2)
    assert np.allclose(a.lrot, z.lrot)
    f = sample(LayeredProgram(base, [Layer(idle, weight=1.0, mask={"chest": 1.0})]), fps=30, duration=2)
    h = sample(LayeredProgram(base, [Layer(idle, weight=0.5, mask={"chest": 1.0})]), fps=30, duration=2)
    j = hm.INDEX["chest"]
    full = quat.angle_between(a.lrot[:, j], f.lrot[:, j])
    half = quat.angle_between(a.lrot[:, j], h.lrot[:, j])
    assert np.allclose(half, 0.5 * full, atol=1e-6)


def _speeds(clip):
    return np.linalg.norm(quat.angular_velocity(clip.lrot, 1 / clip.fps), axis=-1)


def test_crossfade_has_no_step_in_pose_or_velocity_and_no_speed_peak():
    fps = 60
    a = sample(Wave(freq=0.4, amp=0.5), fps=fps, duration=6)
    b = sample(Wave(freq=0.7, amp=0.4, axis=(0.3, 0, 1.0)), fps=fps, duration=6)
    start = 2.0
    dur = min_blend_duration(a, b, start)
    c = crossfade(a, b, start, dur)
    i0, i1 = int(start * fps), int((start + dur) * fps)
    assert np.allclose(c.lrot[: i0 + 1], a.lrot[: i0 + 1])
    assert np.allclose(np.abs(np.sum(c.lrot[i1 + 1 :] * b.lrot[i1 + 1 : c.n_frames], -1)), 1.0)
    sc, sa, sb = _speeds(c), _speeds(a), _speeds(b)
    # velocity continuity at both seams: the frame-to-frame change of joint speed there is no larger
    # than the clips' own largest frame-to-frame change (a hard cut would jump by gap * fps)
    own = max(np.abs(np.diff(sa, axis=0)).max(), np.abs(np.diff(sb, axis=0)).max())
    for i in (i0, i1):
        assert np.max(np.abs(sc[i] - sc[i - 1])) <= own
    blend = slice(i0, i1)
    assert sc[blend].max() <= max(sa.max(), sb.max()) + 1e-9
