"""A row of a report: one sampled motion or reference clip with its quality report, and the summary columns.

The pages (:mod:`.html`) and the builder (:mod:`posers_blender.report`) both read these; neither imports the other's
internals through a function-level import.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..engine.clip import Clip
from ..quality.results import Report

#: Summary-table columns: (result name in the quality report, heading, format).
SUMMARY_METRICS: tuple[tuple[str, str, str], ...] = (
    ("foot_slide", "foot slide (mm)", "{:.1f}"),
    ("penetration", "penetration (mm)", "{:.1f}"),
    ("floating", "floating (mm)", "{:.1f}"),
    ("joint_limit_frames", "joint-limit frames", "{:.0f}"),
    ("joint_speed_max", "max joint speed (°/s)", "{:.0f}"),
    ("periodicity_purity", "periodicity purity", "{:.2f}"),
)


@dataclass
class Entry:
    """One row of the summary: a sampled motion or a reference clip, with its quality report."""

    key: str
    kind: str  # "baseline", "motion" or "mocap"
    title: str
    clip: Clip
    report: Report
    category: str = ""
    frechet: float = math.nan
    frechet_against: str = ""
    files: dict[str, str] = field(default_factory=dict)
    description: str = ""

    def metric(self, name: str) -> float:
        try:
            return float(self.report.value(name))
        except KeyError:
            return math.nan
