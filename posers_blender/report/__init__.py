"""Visual reports: an HTML page per motion (plots, stick-figure GIF, metric table) and a summary table that
puts the frozen naive baseline, each motion and the reference mocap side by side.

``build_report`` is what ``posers report`` runs. Plotting needs matplotlib (the ``report`` extra); the
numbers come from :mod:`posers_blender.quality` and :mod:`.figures`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..engine.clip import Clip
from ..engine.program import MotionProgram
from ..engine.sampler import sample
from ..quality import evaluate, mechanical
from ..quality.contacts import foot_contacts
from ..quality.distance import clip_distance
from ..quality.results import INFO, Result
from ..references import IN_PLACE_CATEGORIES, Reference, load_references, motion_categories
from ..registry import discover, get, is_baseline
from . import figures, html
from .entry import SUMMARY_METRICS, Entry

__all__ = [
    "SUMMARY_METRICS",
    "Entry",
    "build_report",
    "motion_entry",
    "reference_entries",
    "summary_rows",
    "summary_text",
    "write_figures",
]


def _purity_line(entry: Entry) -> None:
    """Give every row a periodicity purity: it is a band only for motions that declare it, an info line here."""
    if math.isnan(entry.metric("periodicity_purity")):
        p = mechanical.clip_periodicity(entry.clip)
        note = "issue 3; not declared by this clip, shown for comparison"
        entry.report.results.append(Result("report", "periodicity_purity", p.max, "", INFO, "", None, note, p.joint))


def _frechet(clip: Clip, refs: Sequence[Reference]) -> float:
    if not refs:
        return math.nan
    try:
        return float(clip_distance(clip, [r.clip for r in refs]))
    except ValueError:  # too short for the minimum number of windows
        return math.nan


def motion_entry(program: MotionProgram, seconds: float, seed: int, fps: float, refs: Sequence[Reference]) -> Entry:
    """Sample a motion, score it and measure its distance to the matching reference clips."""
    clip = sample(program, seed=seed, fps=fps, duration=seconds)
    report = evaluate(clip, program.meta)
    cats = motion_categories(program.meta)
    matching = [r for r in refs if not cats or not r.category or r.category in cats]
    entry = Entry(
        key=program.meta.id,
        kind="baseline" if is_baseline(program) else "motion",
        title=program.meta.name,
        clip=clip,
        report=report,
        category="/".join(cats),
        frechet=_frechet(clip, matching),
        frechet_against=", ".join(r.name for r in matching),
        description=program.meta.description,
    )
    _purity_line(entry)
    return entry


def reference_entries(refs: Sequence[Reference]) -> list[Entry]:
    """Score each reference clip; its distance is to the other clips of its category (leave one out)."""
    out = []
    for r in refs:
        in_place = r.category in IN_PLACE_CATEGORIES
        report = evaluate(r.clip, checks=("periodicity",) if in_place else (), standing=in_place, subject=r.name)
        others = [o for o in refs if o is not r and o.category == r.category]
        entry = Entry(
            key=f"mocap-{r.name}",
            kind="mocap",
            title=r.name,
            clip=r.clip,
            report=report,
            category=r.category,
            frechet=_frechet(r.clip, others),
            frechet_against=", ".join(o.name for o in others),
            description=f"reference mocap ({r.category or 'no category'}), retargeted from {r.path.name}",
        )
        _purity_line(entry)
        out.append(entry)
    return out


def write_figures(entry: Entry, folder: Path, gif: bool = True, reference: Clip | None = None) -> None:
    """All pictures of one entry into ``folder`` (created); records their file names in ``entry.files``."""
    folder.mkdir(parents=True, exist_ok=True)
    contacts = [(c.foot, c.start, c.end) for c in foot_contacts(entry.clip)]
    f = entry.files
    f["angles"] = figures.plot_joint_angles(entry.clip, folder / "joint_angles.png", reference).name
    f["trajectories"] = figures.plot_trajectories(entry.clip, folder / "trajectories.png").name
    f["feet"] = figures.plot_foot_heights(entry.clip, folder / "foot_heights.png", contacts).name
    f["reaches"] = figures.plot_reach_speeds(entry.clip, folder / "reach_speeds.png").name
    f["strip"] = figures.stick_strip(entry.clip, folder / "frames.png").name
    if gif:
        f["gif"] = figures.stick_gif(entry.clip, folder / "stick.gif").name


def build_report(
    motions: Sequence[str],
    out: Path,
    references: Sequence[str | Path] = (),
    seconds: float = 12.0,
    seed: int = 0,
    fps: float = 30.0,
    gif: bool = True,
) -> list[Entry]:
    """Write ``out/index.html`` (summary) and one page per motion and reference clip; returns the rows.

    ``motions`` empty means every motion, the baseline included.
    """
    programs = [get(m) for m in motions] if motions else [discover()[k] for k in sorted(discover())]
    refs = load_references(references) if references else []
    out.mkdir(parents=True, exist_ok=True)
    entries = [motion_entry(p, seconds, seed, fps, refs) for p in programs]
    entries += reference_entries(refs)
    for e in entries:
        ref_clip = None
        if e.kind != "mocap":
            cats = e.category.split("/") if e.category else []
            ref_clip = next((r.clip for r in refs if r.category in cats), None)
        write_figures(e, out / e.key, gif=gif, reference=ref_clip)
        (out / f"{e.key}.html").write_text(html.motion_page(e), encoding="utf-8")
    (out / "index.html").write_text(html.summary_page(entries, seconds, seed), encoding="utf-8")
    (out / "summary.json").write_text(json.dumps(summary_rows(entries), indent=2), encoding="utf-8")
    return entries


def summary_rows(entries: Sequence[Entry]) -> list[dict[str, Any]]:
    """The summary table as plain data (JSON-friendly; NaN becomes None)."""
    rows = []
    for e in entries:
        row: dict[str, Any] = {
            "key": e.key,
            "kind": e.kind,
            "category": e.category,
            "gates_passed": bool(e.report.gates_passed),
            "failed_gates": [r.name for r in e.report.failed("gate")],
            "failed_bands": [r.name for r in e.report.failed("band")],
        }
        for name, _, _ in SUMMARY_METRICS:
            v = e.metric(name)
            row[name] = None if math.isnan(v) else v
        row["frechet"] = None if math.isnan(e.frechet) else e.frechet
        rows.append(row)
    return rows


def summary_text(entries: Sequence[Entry]) -> str:
    """The summary table as fixed-width text (what ``posers report`` prints)."""
    head = ["row", "kind", "gates", *[h for _, h, _ in SUMMARY_METRICS], "Fréchet to mocap", "failed"]
    rows = [head]
    for e in entries:
        cells = [e.key, e.kind, "PASS" if e.report.gates_passed else "FAIL"]
        for name, _, fmt in SUMMARY_METRICS:
            v = e.metric(name)
            cells.append("-" if math.isnan(v) else fmt.format(v))
        cells.append("-" if math.isnan(e.frechet) else f"{e.frechet:.2f}")
        cells.append(", ".join(r.name for r in e.report.failed()) or "-")
        rows.append(cells)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)
