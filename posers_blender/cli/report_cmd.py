"""posers report [MOTION ...] --out DIR [--reference DIR]: HTML pages with plots, a stick-figure GIF and the
metric table per motion, and a summary table with the baseline, each motion and the reference mocap."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import UserError
from .common import seed


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p = sub.add_parser(
        "report",
        help="write an HTML report (plots, stick-figure GIF, metrics) per motion plus a summary table",
        description="Sample each motion (default: all, the frozen baseline included), score it with the quality "
        "suite and write DIR/index.html (summary) and DIR/<motion>.html. With --reference, mocap clips "
        "(BVH, retargeted; categories from a SOURCES.md) are scored too and each motion's Fréchet distance "
        "to the mocap of its category is shown.",
    )
    p.add_argument("motions", nargs="*", help="motion ids (default: every motion)")
    p.add_argument("--out", required=True, help="output folder (created)")
    p.add_argument("--reference", action="append", default=[], metavar="DIR", help="reference mocap folder or file")
    p.add_argument("--seconds", type=float, default=12.0, help="clip length per motion (default 12)")
    p.add_argument("--seed", type=seed, default=0, help="seed of every motion (default 0)")
    p.add_argument("--no-gif", action="store_true", help="skip the animated GIFs (faster)")
    return p


def run(args: argparse.Namespace) -> int:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UserError("posers report needs matplotlib: pip install 'posers-blender[report]'") from None
    from ..references import ReferenceError
    from ..report import build_report, summary_text

    if not 1.0 <= args.seconds <= 600.0:
        raise UserError(f"--seconds {args.seconds:g} is out of range: use 1 to 600")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out '{out}' exists and is not a folder")
    try:
        entries = build_report(args.motions, out, args.reference, args.seconds, args.seed, gif=not args.no_gif)
    except ReferenceError as exc:
        raise UserError(str(exc)) from None
    print(summary_text(entries))
    print(f"wrote {out / 'index.html'} and {len(entries)} pages")
    return 0
