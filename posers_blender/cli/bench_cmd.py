"""posers bench: engine cost per frame for every motion (median and spread over repeated runs)."""

from __future__ import annotations

import argparse
import json
import statistics
import time

from ..engine.sampler import sample
from ..engine.skeleton import default_avatar
from ..registry import discover, get
from . import UserError

MAX_REPEATS = 1000


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p = sub.add_parser("bench", help="measure the engine's cost per frame for every motion")
    p.add_argument("--seconds", type=float, default=10.0, help="clip length per run (default 10)")
    p.add_argument("--fps", type=float, default=60.0, help="frames per second (default 60)")
    p.add_argument("--repeats", type=int, default=7, help="timed runs per motion after one warm-up (default 7)")
    p.add_argument("--motion", action="append", help="only these motions (repeatable)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    return p


def bench_motion(motion_id: str, seconds: float, fps: float, repeats: int) -> dict[str, float]:
    prog = get(motion_id)
    skel = default_avatar()
    sample(prog, seed=0, fps=fps, duration=seconds, skeleton=skel)  # warm-up
    per_frame = []
    for r in range(repeats):
        t0 = time.perf_counter()
        clip = sample(prog, seed=r, fps=fps, duration=seconds, skeleton=skel)
        per_frame.append((time.perf_counter() - t0) / clip.n_frames * 1e3)
    return {
        "median_ms": statistics.median(per_frame),
        "min_ms": min(per_frame),
        "max_ms": max(per_frame),
        "frames": float(clip.n_frames),
    }


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.repeats <= MAX_REPEATS:
        raise UserError(f"--repeats {args.repeats} is out of range: use 1 to {MAX_REPEATS}")
    ids = [get(m).meta.id for m in args.motion] if args.motion else sorted(discover())
    results = {m: bench_motion(m, args.seconds, args.fps, args.repeats) for m in ids}
    if args.json:
        print(json.dumps(results, indent=2, sort_keys=True))
        return 0
    print(f"engine cost per frame, {args.seconds:g} s at {args.fps:g} fps, 55-bone default avatar, {args.repeats} runs")
    print(f"{'motion':<22} {'median ms':>10} {'min':>8} {'max':>8}")
    for m, r in results.items():
        print(f"{m:<22} {r['median_ms']:>10.4f} {r['min_ms']:>8.4f} {r['max_ms']:>8.4f}")
    return 0
