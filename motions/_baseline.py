"""Shared pieces of the frozen naive baseline (``baseline-*`` motions).

The founding document of Posers sketched procedural motion the way it is
usually written from intuition: sines on a few joints, a constant-speed root,
noise for "life". Those snippets are kept here, frozen, as the yardstick every
report measures our motions against. They are *expected* to fail the quality
gates and bands (sliding feet, pure-sine periodicity, clock-like timing); the
test suite's "every built-in motion passes the hard gates" rule skips motions
tagged :data:`BASELINE_TAG` (see :func:`posers_blender.registry.gated_motions`).
Do not improve them: a better baseline would hide how far the product moved.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..engine import quat
from ..engine.program import Rig
from ..registry import BASELINE_TAG

Array = NDArray[np.float64]
X = np.array([1.0, 0.0, 0.0])
Y = np.array([0.0, 1.0, 0.0])
Z = np.array([0.0, 0.0, 1.0])

TAGS = (BASELINE_TAG, "naive")
FROZEN = "Frozen naive baseline of the founding document (a yardstick, expected to fail the quality gates)"


def rot(axis: Array, radians: float) -> Array:
    return quat.from_axis_angle(axis, radians)


def arms_down(rig: Rig, radians: float = 1.2) -> None:
    """The naive rest pose: both upper arms dropped by a fixed angle from the T-pose, nothing else."""
    rig.set_rotation("leftUpperArm", rot(Z, -radians))
    rig.set_rotation("rightUpperArm", rot(Z, radians))
