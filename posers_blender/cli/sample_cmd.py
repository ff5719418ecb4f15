"""posers sample MOTION --out FILE.bvh|.npz|.json: sample a motion on the built-in avatar."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..engine.clip import Clip
from ..engine.sampler import sample
from ..engine.targets import reach_notes
from ..io.bvh import UNITS, write_bvh
from . import UserError
from .common import add_motion_args, avatar, motion_params, motion_target_points, program_for

FORMATS = (".bvh", ".npz", ".json")


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p = sub.add_parser("sample", help="sample a motion to BVH, NPZ or JSON")
    p.add_argument("motion", help="motion id, e.g. idle-breathe")
    add_motion_args(p)
    p.add_argument("--out", required=True, help="output file: .bvh, .npz or .json")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    return p


def check_out(path: Path, force: bool) -> None:
    if path.suffix.lower() not in FORMATS:
        raise UserError(f"--out '{path}' must end in {', '.join(FORMATS)}")
    if path.exists() and not force:
        raise UserError(f"'{path}' already exists; pass --force to overwrite it or choose another --out")
    if not path.parent.exists():
        raise UserError(f"folder '{path.parent}' does not exist; create it first")


def write_clip_file(clip: Clip, out: Path) -> None:
    """Write ``clip`` in the format ``out``'s suffix names (checked by :func:`check_out`)."""
    suffix = out.suffix.lower()
    if suffix == ".bvh":
        write_bvh(clip, out)
    elif suffix == ".npz":
        clip.save_npz(out)
    else:
        clip.save_json(out)


def run(args: argparse.Namespace) -> int:
    prog = program_for(args.motion)
    out = Path(args.out)
    check_out(out, args.force)
    params = motion_params(prog, args)
    goals = motion_target_points(prog, args)
    clip = sample(
        prog, params, seed=args.seed, fps=args.fps, duration=args.seconds, skeleton=avatar(args), targets=goals
    )
    write_clip_file(clip, out)
    for note in reach_notes(clip.meta.get("reached", {})):
        print(f"posers sample: note: {note}", file=sys.stderr)
    unit = f", {UNITS}" if out.suffix.lower() == ".bvh" else ""
    print(f"wrote {out} ({clip.n_frames} frames at {clip.fps:g} fps{unit})")
    return 0
