"""HTML pages of a report: one per motion or reference clip, and the summary. Plain HTML + inline CSS."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Any

from .entry import SUMMARY_METRICS, Entry

CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
table { border-collapse: collapse; font-size: 0.85em; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.PASS { color: #1a7f37; font-weight: 600; } .FAIL { color: #c62828; font-weight: 600; } .info { color: #777; }
tr.baseline td:first-child { border-left: 4px solid #c62828; }
tr.motion td:first-child { border-left: 4px solid #1a7f37; }
tr.mocap td:first-child { border-left: 4px solid #1f77b4; }
img { max-width: 100%; border: 1px solid #eee; margin: 4px 0; }
.note { color: #666; font-size: 0.85em; }
"""


def _page(title: str, body: str) -> str:
    return (
        f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{CSS}</style></head><body>\n{body}\n</body></html>\n"
    )


def _num(v: float, fmt: str = "{:.4g}") -> str:
    return "–" if v is None or (isinstance(v, float) and not math.isfinite(v)) else fmt.format(v)


def metric_table(report: Any) -> str:
    rows = [
        "<table><tr><th>check</th><th>metric</th><th>value</th><th>unit</th><th>kind</th><th>bound</th>"
        "<th>status</th><th>source</th><th>detail</th></tr>"
    ]
    for r in report.results:
        st = r.status()
        rows.append(
            f"<tr><td>{escape(r.check)}</td><td>{escape(r.name)}</td><td class='num'>{_num(r.value)}</td>"
            f"<td>{escape(r.unit)}</td><td>{escape(r.kind)}</td><td>{escape(r.bound)}</td>"
            f"<td class='{st}'>{st}</td><td class='note'>{escape(r.source)}</td><td class='note'>{escape(r.detail)}</td></tr>"
        )
    rows.append("</table>")
    return "\n".join(rows)


def motion_page(e: Entry) -> str:
    meta = e.clip.meta
    gates = "PASS" if e.report.gates_passed else "FAIL"
    bands = "PASS" if e.report.bands_passed else "FAIL"
    params = meta.get("params")
    info = [
        f"<p>{escape(e.description)}</p>",
        f"<p class='note'>kind: {e.kind}; {e.clip.n_frames} frames at {e.clip.fps:g} fps ({e.clip.duration:.1f} s)"
        + (f"; seed {meta['seed']}" if "seed" in meta else "")
        + (f"; params {escape(str(params))}" if params else "")
        + (f"; source {escape(str(meta.get('source')))}" if meta.get("source") else "")
        + "</p>",
        f"<p>Hard gates: <span class='{gates}'>{gates}</span> &nbsp; Bands: <span class='{bands}'>{bands}</span>"
        + (
            f" &nbsp; Fréchet distance to mocap ({escape(e.frechet_against)}): {_num(e.frechet, '{:.2f}')}"
            if e.frechet_against
            else ""
        )
        + "</p>",
    ]
    f = e.files
    body = [f"<p><a href='index.html'>&larr; summary</a></p><h1>{escape(e.key)}: {escape(e.title)}</h1>", *info]
    if "gif" in f:
        body.append(
            f"<h2>Stick figure (front and side, following the hips)</h2><img src='{e.key}/{f['gif']}' alt='animated stick figure'>"
        )
    sections = (
        ("strip", "Frames over the clip (side view)"),
        ("angles", "Joint angles"),
        ("trajectories", "Hand and foot paths"),
        ("feet", "Foot heights and contacts"),
        ("reaches", "Hand speed: reach profiles"),
    )
    for key, title in sections:
        if key in f:
            body.append(f"<h2>{title}</h2><img src='{e.key}/{f[key]}' alt='{escape(title)}'>")
    body.append("<h2>Metrics, gates and bands</h2>")
    body.append(metric_table(e.report))
    return _page(e.key, "\n".join(body))


def summary_page(entries: Sequence[Entry], seconds: float, seed: int) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for _, h, _ in SUMMARY_METRICS)
    rows = [
        "<table><tr><th>clip</th><th>kind</th><th>category</th><th>hard gates</th>"
        f"{head}<th>Fréchet to mocap</th><th>failed</th></tr>"
    ]
    for e in entries:
        st = "PASS" if e.report.gates_passed else "FAIL"
        cells = "".join(f"<td class='num'>{_num(e.metric(n), fmt)}</td>" for n, _, fmt in SUMMARY_METRICS)
        failed = ", ".join(r.name for r in e.report.failed()) or "–"
        rows.append(
            f"<tr class='{e.kind}'><td><a href='{escape(e.key)}.html'>{escape(e.key)}</a></td><td>{e.kind}</td>"
            f"<td>{escape(e.category)}</td><td class='{st}'>{st}</td>{cells}"
            f"<td class='num'>{_num(e.frechet, '{:.2f}')}</td><td class='note'>{escape(failed)}</td></tr>"
        )
    rows.append("</table>")
    body = (
        "<h1>Posers motion report</h1>"
        f"<p class='note'>Motions sampled for {seconds:g} s at seed {seed} on the built-in 1.65 m avatar; "
        "reference mocap retargeted onto the same avatar. Red edge: the frozen naive baseline; green: our "
        "motions; blue: reference mocap. The Fréchet distance compares 2-s window features of a clip with "
        "the reference clips of its category (for a mocap row: the other clips of its category).</p>" + "\n".join(rows)
    )
    return _page("Posers motion report", body)
