"""posers describe MOTION [--json-schema]: parameters with defaults, ranges and units."""

from __future__ import annotations

import argparse
import json

from ..engine.targets import NAMES, motion_targets
from .common import program_for


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p = sub.add_parser("describe", help="show a motion's parameters")
    p.add_argument("motion", help="motion id, e.g. idle-breathe")
    p.add_argument("--json-schema", action="store_true", help="print the parameters as a JSON Schema")
    return p


def run(args: argparse.Namespace) -> int:
    prog = program_for(args.motion)
    if args.json_schema:
        print(json.dumps(prog.schema.json_schema(title=prog.meta.id), indent=2, sort_keys=True))
        return 0
    print(f"{prog.meta.id} - {prog.meta.name} (version {prog.meta.version})")
    print(f"  {prog.meta.description}")
    for group, params in prog.schema.groups().items():
        print(f"\n  [{group}]")
        for prm in params:
            unit = f" {prm.unit}" if prm.unit and prm.kind in ("float", "int") else ""
            print(f"  {prm.name:<18} default {prm.default!s}{unit:<8} range {prm.range_text()}")
            print(f"  {'':<18} {prm.description}")
    print("\n  [Targets: --target NAME=X,Y,Z, metres in avatar space (+Y up, facing +Z)]")
    for name in motion_targets(prog.meta.targets):
        print(f"  {name:<18} {NAMES.get(name, '')}")
    if prog.schema.constraints:
        print("\n  [Rules: combinations that are rejected otherwise]")
        for c in prog.schema.constraints:
            print(f"  - {c.text()}")
    return 0
