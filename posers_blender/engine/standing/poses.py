"""World poses of the few bones a stage reads, by FK along their chains only.

A stage that places a hand on the chin or measures a wrist needs a handful of joints, not the whole body: a full
:meth:`~posers_blender.engine.program.Tracks.fk` computes all 55 bones and holds ``[F, 55, 7]`` floats (22 MB
for two minutes at 60 fps). :class:`Poses` walks the hierarchy on demand from the hips (or the nearest bone asked
for before) to each bone asked for, with the arithmetic of :meth:`Skeleton.fk` (bit-identical values).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ... import humanoid as hm
from .. import quat
from ..program import Tracks

Array = NDArray[np.float64]


class Poses:
    """Global rotations ``[F, 4]`` and positions ``[F, 3]`` of bones of ``tr``, the hips where they were when this
    was made.

    The values are read lazily from ``tr`` (no copy of its ``[F, J, 4]`` rotations) and the bones asked for kept:
    read every bone you need before changing ``tr``'s pose, and make a new one after.
    """

    def __init__(self, tr: Tracks):
        self.skeleton = tr.skeleton
        self._lrot = tr.lrot
        self._grot: dict[int, Array] = {0: tr.lrot[:, 0].copy()}
        self._gpos: dict[int, Array] = {0: np.broadcast_to(tr.skeleton.offsets[0] + tr.hips_offset, (len(tr.lrot), 3))}

    def grot(self, bone: str) -> Array:
        """The bone's world rotation ``[F, 4]``."""
        return self._walk(hm.INDEX[bone])[0]

    def gpos(self, bone: str) -> Array:
        """The bone's joint position in the world ``[F, 3]`` (m)."""
        return self._walk(hm.INDEX[bone])[1]

    def landmark(self, name: str) -> Array:
        """A landmark's world position ``[F, 3]`` (:meth:`Skeleton.landmark_positions` on these poses)."""
        lm = self.skeleton.landmarks[name]
        grot, gpos = self._walk(hm.INDEX[lm.bone])
        return gpos + quat.rotate(grot, np.asarray(lm.offset))

    def _walk(self, j: int) -> tuple[Array, Array]:
        """Bone ``j``'s pose, from its nearest ancestor asked for before (or the hips); only the bones asked for are
        kept, the joints between are walked again if needed (the same values: a few ``[F, 4]`` products cost
        less than holding ``[F, 7]`` for every joint on the way)."""
        chain = []
        k = j
        while k not in self._grot:
            chain.append(k)
            k = int(self.skeleton.parents[k])
        grot, gpos = self._grot[k], self._gpos[k]
        for c in reversed(chain):
            gpos = gpos + quat.rotate(grot, self.skeleton.offsets[c])
            grot = quat.mul(grot, self._lrot[:, c])
        self._grot[j], self._gpos[j] = grot, gpos
        return grot, gpos
