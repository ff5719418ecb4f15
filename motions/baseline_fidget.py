"""baseline-fidget: the founding document's fidget snippet, frozen: smooth noise on head, spine and arms.

"Nervousness" as continuous noise: every joint wanders all the time at one
feature frequency, with no discrete gestures, no rest between them, no
targets. See :mod:`._baseline`.
"""

from __future__ import annotations

import numpy as np

from ..engine import quat
from ..engine.noise import noise_track
from ..engine.params import Param, Schema
from ..engine.program import Context, FrameProgram, MotionMeta, Rig
from ._baseline import FROZEN, TAGS, X, Y, Z, arms_down, rot

_JOINTS = (
    ("head", (X, Y), 0.15),
    ("neck", (X, Y), 0.08),
    ("spine", (X, Z), 0.05),
    ("leftLowerArm", (Y,), 0.3),
    ("rightLowerArm", (Y,), 0.3),
    ("leftHand", (X, Z), 0.3),
    ("rightHand", (X, Z), 0.3),
)


class BaselineFidget(FrameProgram):
    meta = MotionMeta(
        id="baseline-fidget",
        name="Baseline: noise fidget",
        description=f"{FROZEN}: head, spine and arms wander on continuous smooth noise.",
        tags=(*TAGS, "standing", "fidget"),
        version="1",
        checks=("periodicity",),
        standing=True,
    )
    schema = Schema(
        (
            Param("frequency", "float", 0.75, "Feature frequency of the noise", 0.1, 3.0, "Hz", "Noise"),
            Param("amount", "float", 1.0, "Noise amplitude multiplier", 0.0, 3.0, "x", "Noise"),
        )
    )

    def init(self, rig: Rig, ctx: Context) -> None:
        # The snippet's per-frame rotations, evaluated for every frame at once (the same arithmetic, element for
        # element): what update() then replays.
        channels = sum(len(axes) for _, axes, _ in _JOINTS)
        n = noise_track(ctx.rng, ctx.times, ctx.params.frequency, channels=channels) * ctx.params.amount
        arms_down(rig)
        pose = {bone: np.broadcast_to(rig.rotation(bone), (ctx.n_frames, 4)) for bone, _, _ in _JOINTS}
        k = 0
        for bone, axes, amp in _JOINTS:
            for axis in axes:
                pose[bone] = quat.mul(pose[bone], rot(axis, n[:, k] * amp))
                k += 1
        pose["leftLowerArm"] = quat.mul(pose["leftLowerArm"], rot(np.array([0.0, -1.0, 0.0]), 0.3))
        pose["rightLowerArm"] = quat.mul(pose["rightLowerArm"], rot(np.array([0.0, 1.0, 0.0]), 0.3))
        ctx.state["pose"] = pose

    def update(self, rig: Rig, ctx: Context, t: float, dt: float) -> None:
        arms_down(rig)
        for bone, track in ctx.state["pose"].items():
            rig.set_rotation(bone, track[ctx.frame])


PROGRAM = BaselineFidget()
