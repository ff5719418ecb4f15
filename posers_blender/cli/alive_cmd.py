"""posers alive INPUT --out OUTPUT: the same motion with life added (breathing, blinks, gaze, micro-motion)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..alive import SCHEMA, add_life, hold_pose
from ..alive.layer import MIN_FRAMES
from ..engine.clip import Clip
from ..engine.skeleton import DEFAULT_HEIGHT
from ..io.bvh import write_bvh
from ..io.bvh_read import BvhError, read_bvh
from ..io.clip_file import load_clip_npz
from ..io.vrma import VrmaError, read_vrma, write_vrma
from ..mocap import resample, retarget
from . import UserError
from .common import add_seed_arg, avatar

FORMATS = (".bvh", ".npz", ".vrma")


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p = sub.add_parser(
        "alive",
        help="add a life layer (breathing, blinks, gaze, micro-motion) over a BVH, NPZ or VRMA clip",
        description="Reads a clip (BVH mocap in any skeleton the retargeter reads, a Posers NPZ clip or a VRMA), "
        "adds breathing, blinks, gaze shifts, standing micro-motion and, where the input holds still, weight "
        "shifts, and writes the result as BVH, NPZ or VRMA. The layer fades out where the input moves fast and "
        "keeps its planted feet and hands on the body. Parameters: "
        + ", ".join(f"{q.name} ({q.range_text()})" for q in SCHEMA),
    )
    p.add_argument("input", help="clip to bring to life: .bvh, .npz or .vrma")
    p.add_argument("--out", required=True, help="output file: .bvh, .npz or .vrma")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    add_seed_arg(p, "random seed of the layer; the same input, parameters and seed give the same output")
    p.add_argument(
        "--set", dest="assignments", action="append", default=[], metavar="NAME=VALUE", help="set a layer parameter"
    )
    p.add_argument("--params", metavar="PRESET.json", help="JSON preset of layer parameters (--set wins over it)")
    p.add_argument("--hold", type=float, metavar="SECONDS", help="hold the input's first frame this long first")
    p.add_argument("--fps", type=float, help="frame rate (BVH/NPZ: resample; VRMA: sampling rate, default 30)")
    p.add_argument(
        "--height", type=float, default=DEFAULT_HEIGHT, help=f"avatar height for BVH input (default {DEFAULT_HEIGHT})"
    )
    return p


def read_input(src: Path, fps: float | None, args: argparse.Namespace) -> Clip:
    """The input as a clip (BVH retargeted onto the built-in avatar); one :class:`UserError` if unreadable."""
    suffix = src.suffix.lower()
    if not src.is_file():
        raise UserError(f"'{src}' does not exist or is not a file")
    try:
        if suffix == ".bvh":
            clip = retarget(read_bvh(src), avatar(args)).clip
        elif suffix == ".npz":
            clip = load_clip_npz(src)
        elif suffix == ".vrma":
            return read_vrma(src, fps or 30.0)
        else:
            raise UserError(f"'{src}' is not a clip Posers reads: use a .bvh, .npz or .vrma file")
    except (BvhError, VrmaError) as exc:
        raise UserError(str(exc)) from None
    return clip if fps is None else resample(clip, fps)


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in FORMATS:
        raise UserError(f"--out '{out}' must end in {', '.join(FORMATS)}")
    if out.exists() and not args.force:
        raise UserError(f"'{out}' already exists; pass --force to overwrite it or choose another --out")
    if not out.parent.exists():
        raise UserError(f"folder '{out.parent}' does not exist; create it first")
    if args.fps is not None and not 1.0 <= args.fps <= 240.0:
        raise UserError(f"--fps {args.fps:g} is out of range: use 1 to 240")
    if args.hold is not None and not 0.1 <= args.hold <= 3600.0:
        raise UserError(f"--hold {args.hold:g} is out of range: use 0.1 to 3600 seconds")
    values = SCHEMA.load_preset(args.params) if args.params else {}
    values.update(SCHEMA.parse_assignments(args.assignments))
    params = SCHEMA.validate(values)
    src = Path(args.input)
    clip = read_input(src, args.fps, args)
    if args.hold is not None:
        clip = hold_pose(clip, args.hold)
    if clip.n_frames < MIN_FRAMES:
        raise UserError(f"'{src}' holds a single frame; pass --hold SECONDS to hold the pose and bring it to life")
    result = add_life(clip, params.to_dict(), seed=args.seed)
    suffix = out.suffix.lower()
    if suffix == ".bvh":
        write_bvh(result, out)
    elif suffix == ".npz":
        result.save_npz(out)
    else:
        write_vrma(result, out)
    print(f"wrote {out} ({result.n_frames} frames at {result.fps:g} fps, seed {args.seed})")
    return 0
