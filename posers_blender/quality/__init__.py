"""The motion-quality suite: metrics, pinned gates and bands, and the ``evaluate`` runner.

Pure numpy; runs on any :class:`~posers_blender.engine.clip.Clip`, generated
or retargeted from mocap. Definitions come from
``shared/reference/motion_quality_metrics.md`` and ``human_motion_facts.md``;
every bound lives in :mod:`.bands` with its source.

    from posers_blender.quality import evaluate
    report = evaluate(clip, PROGRAM.meta)
    print(report.table()); assert report.gates_passed
"""

from __future__ import annotations

from .suite import CheckSpec, Evaluation, Report, Result, evaluate, known_checks, register_check, validate_checks

__all__ = [
    "CheckSpec",
    "Evaluation",
    "Report",
    "Result",
    "evaluate",
    "known_checks",
    "register_check",
    "validate_checks",
]
