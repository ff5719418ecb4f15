"""Motions one after another (``--layout sequence``), joined by the scene compiler's seams.

Each motion is sampled on its own (at the origin, facing +Z) and then handed to the
scene compiler's seam (:mod:`posers_blender.scene.compiler`): placed where the previous
one left the feet and facing where it faced, inertialised from its last pose and
velocity, planted feet locked through the seam. There is no NLA crossfade: the seam is
in the arrays, so the character never slides back to where a motion was sampled.
Pure numpy (no ``bpy``): the Blender side bakes the result.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import humanoid as hm
from .. import registry
from ..engine.clip import Clip
from ..scene import compiler, graph
from ..scene.compiler import Scene
from ..scene.score import Score


def _step(clip: Clip, index: int, previous: str | None) -> graph.Step:
    motion = str(clip.meta.get("motion", f"motion {index + 1}"))
    program = registry.get(motion) if motion in registry.discover() else None
    kind = graph.STAND if program is None or program.meta.standing else graph.WALK
    enter = "start" if previous is None else graph.EDGES[(previous, kind)]
    return graph.Step(kind, f"{index + 1} {motion}", motion, program, dict(clip.meta.get("params", {})), enter)


def compose_clips(clips: Sequence[Clip], seed: int = 0) -> Scene:
    """One clip of ``clips`` played in order, each starting where and facing where the previous ended.

    Walks (motions that are not standing) keep their own path and turn the heading the way their
    feet end; standing motions keep the heading they were given. Returns the compiler's
    :class:`~posers_blender.scene.compiler.Scene` (one segment per clip).
    """
    steps: list[graph.Step] = []
    pieces: list[Clip] = []
    end: compiler.End | None = None
    for i, local in enumerate(clips):
        step = _step(local, i, steps[-1].kind if steps else None)
        heading = end.heading if end is not None else 0.0
        centre = end.centre if end is not None else np.zeros(2)
        placed = compiler.place(local, heading, centre - compiler._rot_xz(heading, compiler.stance_centre(local)))
        piece = placed if end is None else compiler.join(placed, step, end)
        if step.kind == graph.WALK:
            grot, _ = piece.skeleton.fk(piece.lrot[-1:], piece.hips_pos[-1:])
            heading = compiler._heading_of_feet(grot[0, [hm.INDEX["leftFoot"], hm.INDEX["rightFoot"]]])
        steps.append(step)
        pieces.append(piece)
        end = compiler.end_of(piece, heading, None)
    score = Score(fps=clips[0].fps, seed=seed, items=(), title=" then ".join(s.motion for s in steps))
    scene = compiler.assemble(score, steps, pieces)
    scene.clip.meta.update(motion=score.title, layers=[dict(c.meta) for c in clips])
    return scene


def segment(scene: Scene, k: int, source: Clip) -> Clip:
    """Segment ``k`` of a composed sequence as its own clip, with the provenance of the clip it came from."""
    clip = scene.segment_clip(k)
    clip.meta = dict(source.meta, duration=clip.duration, segment=scene.segments[k].name)
    return clip
