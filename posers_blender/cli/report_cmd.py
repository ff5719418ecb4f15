"""posers report [MOTION ...] --out DIR [--reference DIR]: HTML pages with plots, a stick-figure GIF and the
metric table per motion, and a summary table with the baseline, each motion and the reference mocap."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

from . import UserError
from .common import add_seed_arg


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
    p.add_argument("--out", required=True, help="output folder (created; an existing non-empty one needs --force)")
    p.add_argument("--force", action="store_true", help="write into an existing non-empty --out folder")
    p.add_argument("--reference", action="append", default=[], metavar="DIR", help="reference mocap folder or file")
    p.add_argument("--seconds", type=float, default=12.0, help="clip length per motion (default 12)")
    add_seed_arg(p, "seed of every motion")
    p.add_argument("--no-gif", action="store_true", help="skip the animated GIFs (faster)")
    return p


def run(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("matplotlib") is None:
        raise UserError(
            "posers report draws its figures with matplotlib, which is not installed: "
            "pip install '.[report]' in the Posers checkout (or pip install matplotlib)"
        )
    from ..references import ReferenceError
    from ..report import build_report, summary_text

    if not 1.0 <= args.seconds <= 600.0:
        raise UserError(f"--seconds {args.seconds:g} is out of range: use 1 to 600")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out '{out}' exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not args.force:
        raise UserError(f"--out '{out}' is not empty; pass --force to write into it or choose another folder")
    try:
        entries = build_report(args.motions, out, args.reference, args.seconds, args.seed, gif=not args.no_gif)
    except ReferenceError as exc:
        raise UserError(str(exc)) from None
    print(summary_text(entries))
    print(f"wrote {out / 'index.html'} and {len(entries)} pages")
    return 0
