"""Forward kinematics of a clip, computed once and shared by every metric.

Metrics take a :class:`~posers_blender.engine.clip.Clip`; they call
:func:`kinematics` which caches FK and landmark tracks per clip object (keyed
by identity, invalidated when the clip's arrays are replaced). Mutating a
clip's arrays in place after evaluating it is not detected: build a new clip.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine.clip import Clip

Array = NDArray[np.float64]


@dataclass
class Kinematics:
    """FK of a clip: ``grot [F, J, 4]``, ``gpos [F, J, 3]`` (metres, +Y up) and cached landmark tracks."""

    clip: Clip
    grot: Array
    gpos: Array
    _landmarks: dict[str, Array] = field(default_factory=dict)
    #: derived per-clip results other modules memoise (e.g. anatomical angles)
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def fps(self) -> float:
        return float(self.clip.fps)

    @property
    def n_frames(self) -> int:
        return int(self.gpos.shape[0])

    def joint(self, bone: str) -> Array:
        """World track ``[F, 3]`` of a bone's head."""
        return self.gpos[:, hm.INDEX[bone]]

    def landmark(self, name: str) -> Array:
        """World track ``[F, 3]`` of a skeleton landmark (``lips``, ``leftHeel``...)."""
        if name not in self._landmarks:
            self._landmarks[name] = self.clip.skeleton.landmark_positions(name, self.grot, self.gpos)
        return self._landmarks[name]

    def has_landmark(self, name: str) -> bool:
        return name in self.clip.skeleton.landmarks


_CACHE: dict[int, tuple[weakref.ref[Clip], int, int, Kinematics]] = {}


def kinematics(clip: Clip) -> Kinematics:
    """The (cached) :class:`Kinematics` of ``clip``."""
    key = id(clip)
    hit = _CACHE.get(key)
    if hit is not None:
        ref, lid, hid, kin = hit
        if ref() is clip and lid == id(clip.lrot) and hid == id(clip.hips_pos):
            return kin
    for k in [k for k, v in _CACHE.items() if v[0]() is None]:
        del _CACHE[k]
    grot, gpos = clip.fk()
    kin = Kinematics(clip, grot, gpos)
    _CACHE[key] = (weakref.ref(clip), id(clip.lrot), id(clip.hips_pos), kin)
    return kin
