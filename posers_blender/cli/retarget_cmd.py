"""posers retarget IN.bvh --out OUT.bvh|.npz|.json: mocap onto the built-in avatar in normalised humanoid space."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..engine.skeleton import DEFAULT_HEIGHT
from ..io.bvh_read import UNIT_SCALES, BvhError, read_bvh
from ..mocap import resample, retarget
from . import UserError
from .common import avatar
from .sample_cmd import check_out, write_clip_file


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p = sub.add_parser(
        "retarget",
        help="retarget a BVH mocap file onto the built-in avatar (BVH, NPZ or JSON out)",
        description="Read a BVH file (CMU, Bandai Namco, Mixamo-like or VRM joint names; any units and up axis), "
        "retarget it onto the built-in avatar facing +Z with the floor at y = 0, and write it out.",
    )
    p.add_argument("input", help="BVH file to read")
    p.add_argument("--out", required=True, help="output file: .bvh, .npz or .json")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.add_argument(
        "--height", type=float, default=DEFAULT_HEIGHT, help=f"avatar height in metres (default {DEFAULT_HEIGHT})"
    )
    p.add_argument("--fps", type=float, help="resample to this frame rate (default: keep the file's)")
    p.add_argument("--units", default="auto", choices=("auto", *UNIT_SCALES), help="file units (default auto)")
    p.add_argument("--up", default="auto", help="file up axis: auto, Y, Z, -Z... (default auto)")
    p.add_argument(
        "--no-align",
        action="store_true",
        help="keep the file's placement and facing (only units and up axis are converted)",
    )
    return p


def run(args: argparse.Namespace) -> int:
    src = Path(args.input)
    if not src.is_file():
        raise UserError(f"'{src}' does not exist or is not a file")
    out = Path(args.out)
    check_out(out, args.force)
    if args.fps is not None and not 1.0 <= args.fps <= 240.0:
        raise UserError(f"--fps {args.fps:g} is out of range: use 1 to 240")
    try:
        res = retarget(read_bvh(src), avatar(args), units=args.units, up=args.up, align=not args.no_align)
    except BvhError as exc:
        raise UserError(str(exc)) from None
    clip = res.clip if args.fps is None else resample(res.clip, args.fps)
    write_clip_file(clip, out)
    print(
        f"read {src.name}: {res.family or 'VRM'} names ({len(res.mapping)} bones mapped), {res.units}, "
        f"{res.up} up, actor about {res.source_height:.2f} m"
    )
    for w in res.warnings:
        print(f"warning: {w}")
    print(f"wrote {out} ({clip.n_frames} frames at {clip.fps:g} fps, avatar {args.height:g} m)")
    return 0
