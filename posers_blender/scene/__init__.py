"""Scenes: motions in sequence from a score (JSON), joined with the transitions people make.

    from posers_blender.scene import compose, load_score
    scene = compose(load_score("docs/examples/walk_and_smoke.json"))
    scene.clip.save_npz("scene.npz")

:mod:`.score` reads the format, :mod:`.schema` publishes it as JSON Schema,
:mod:`.graph` checks which motion may follow which, :mod:`.compiler` samples
and joins the steps (:mod:`.inertialize`, :mod:`.feet`, :mod:`.look`). Blender-free.
"""

from __future__ import annotations

from .compiler import Scene, Segment, compose
from .score import Score, ScoreError, load_score, parse_score

__all__ = ["Scene", "Score", "ScoreError", "Segment", "compose", "load_score", "parse_score"]
