"""Band calibration from reference mocap (issue 3: "periodicity purity of in-place motions below the 95th
percentile of the dev mocap's in-place clips").

``scripts/calibrate_bands.py`` prints these numbers; ``posers_blender.quality.bands`` pins the result with a
comment saying how it was obtained, and a test recomputes it when the dev data is present so the pinned
number cannot drift from its stated source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .quality.mechanical import clip_periodicity
from .references import IN_PLACE_CATEGORIES, REFERENCE_FPS, load_references

#: The percentile issue 3 asks for.
PURITY_PERCENTILE = 95.0


@dataclass(frozen=True)
class PurityCalibration:
    """Per-clip periodicity purity (max over joints) of the in-place reference clips and their percentile."""

    value: float
    percentile: float
    clips: tuple[tuple[str, str, float, str], ...]  # (name, category, purity, joint)

    def text(self) -> str:
        lines = [
            f"periodicity purity of in-place reference clips (retargeted to the default avatar at {REFERENCE_FPS:g} fps):"
        ]
        for name, cat, value, joint in self.clips:
            lines.append(f"  {name:<32} {cat:<14} {value:.3f}  ({joint})")
        lines.append(
            f"  {self.percentile:g}th percentile (numpy linear interpolation) over {len(self.clips)} clips: {self.value:.3f}"
        )
        return "\n".join(lines)


def periodicity_purity_calibration(
    paths: Sequence[str | Path], categories: Sequence[str] = IN_PLACE_CATEGORIES
) -> PurityCalibration:
    """The ``PURITY_PERCENTILE`` of :func:`~posers_blender.quality.mechanical.clip_periodicity` over the clips."""
    refs = load_references(paths, categories)
    rows = []
    for r in refs:
        p = clip_periodicity(r.clip)
        rows.append((r.name, r.category, float(p.max), p.joint))
    value = float(np.percentile([v for _, _, v, _ in rows], PURITY_PERCENTILE))
    return PurityCalibration(value, PURITY_PERCENTILE, tuple(rows))
