"""posers list: the motions with one-line descriptions."""

from __future__ import annotations

import argparse

from ..registry import discover


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p = sub.add_parser("list", help="list the motion programs")
    p.add_argument("--ids", action="store_true", help="print only the motion ids, one per line")
    return p


def run(args: argparse.Namespace) -> int:
    programs = discover()
    if args.ids:
        print("\n".join(sorted(programs)))
        return 0
    width = max(len(k) for k in programs) if programs else 0
    for mid, prog in sorted(programs.items()):
        print(f"{mid:<{width}}  {prog.meta.description}")
    return 0
