"""Engine cost per frame for every motion, against the budgets of issue 12 (medians over repeated runs).

Usage: python scripts/bench_engine.py [--repeats N] [--motion ID ...] [--wall] [--memory SECONDS]

Budgets (55-bone default avatar, 60 fps; every motion but the frozen naive baselines unless ``--motion`` names them):
- every motion costs at most 0.1 ms per frame for a 10 s clip;
- the cost per frame of a 120 s clip is within 1.3x of the 10 s clip's (no cost that grows with length);
- with ``--memory SECONDS``: sampling a clip that long (default motion idle-breathe) peaks below 2x its
  output arrays, judged by tracemalloc's peak of the sampling (numpy's buffers; the interpreter, imports and
  file writing excluded); the process's peak RSS is printed beside it for reference.

Prints one line per motion with both medians, their ratio and PASS/FAIL per budget; exit status 1 if any
budget fails. Timings are CPU time of this process (``time.process_time``), which a busy machine disturbs far
less than wall-clock time; ``--wall`` times wall-clock instead (run it on an otherwise idle machine).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from posers_blender.engine.sampler import sample  # noqa: E402
from posers_blender.engine.skeleton import default_avatar  # noqa: E402
from posers_blender.registry import discover, gated_motions, get  # noqa: E402

FPS = 60.0
SHORT_S, LONG_S = 10.0, 120.0
BUDGET_MS = 0.1  # per frame, 10 s clip
GROWTH = 1.3  # 120 s per-frame cost over 10 s per-frame cost
MEMORY = 2.0  # sampling's peak over the clip's output arrays


def cost_per_frame(mid: str, seconds: float, repeats: int, clock: Callable[[], float]) -> float:
    """Median cost (ms per frame) of sampling ``mid`` for ``seconds`` at :data:`FPS`, after one warm-up run."""
    prog, skel = get(mid), default_avatar()
    sample(prog, seed=0, fps=FPS, duration=seconds, skeleton=skel)
    runs = []
    for r in range(repeats):
        t0 = clock()
        clip = sample(prog, seed=r, fps=FPS, duration=seconds, skeleton=skel)
        runs.append((clock() - t0) / clip.n_frames * 1e3)
    return statistics.median(runs)


def memory(mid: str, seconds: float) -> bool:
    """Print sampling's tracemalloc peak and the process's peak RSS against the clip's output; True if within."""
    prog, skel = get(mid), default_avatar()
    tracemalloc.start()
    clip = sample(prog, seed=0, fps=FPS, duration=seconds, skeleton=skel)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    out = clip.lrot.nbytes + clip.hips_pos.nbytes + sum(v.nbytes for v in clip.expressions.values())
    out += 0 if clip.gaze is None else clip.gaze.nbytes
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB
    ok = peak <= MEMORY * out
    mb = 1 << 20
    print(
        f"{mid} {seconds:g} s at {FPS:g} fps: output {out / mb:.1f} MB, sampling peak (tracemalloc) "
        f"{peak / mb:.1f} MB = {peak / out:.2f}x  <= {MEMORY}x {verdict(ok)}; process peak RSS {rss / mb:.0f} MB"
    )
    return ok


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=5, help="timed runs per motion and length (default 5)")
    ap.add_argument("--motion", action="append", help="only these motions (repeatable)")
    ap.add_argument("--wall", action="store_true", help="time wall-clock instead of CPU time")
    ap.add_argument("--memory", type=float, metavar="SECONDS", help="check sampling's memory for a clip this long")
    args = ap.parse_args()
    ids = args.motion or (["idle-breathe"] if args.memory is not None else sorted(gated_motions()))
    unknown = sorted(set(ids) - set(discover()))
    if unknown:
        print(f"unknown motion(s) {', '.join(unknown)}: see `python -m posers_blender list`")
        return 2
    if args.memory is not None:
        if not 0 < args.memory <= 3600:
            print(f"--memory {args.memory:g} is out of range: use more than 0 and at most 3600 seconds")
            return 2
        return 0 if all([memory(mid, args.memory) for mid in ids]) else 1
    failed = False
    clock = time.perf_counter if args.wall else time.process_time
    what = "wall-clock" if args.wall else "CPU time"
    print(f"engine cost per frame at {FPS:g} fps, {what}, median of {args.repeats} runs (ms/frame)")
    print(f"{'motion':<22} {'10 s':>8} {'120 s':>8} {'ratio':>6}  <= {BUDGET_MS} ms @10 s  120 s <= {GROWTH}x")
    for mid in ids:
        short = cost_per_frame(mid, SHORT_S, args.repeats, clock)
        long = cost_per_frame(mid, LONG_S, args.repeats, clock)
        ratio = long / short
        ok_budget, ok_growth = short <= BUDGET_MS, ratio <= GROWTH
        failed |= not (ok_budget and ok_growth)
        print(
            f"{mid:<22} {short:>8.4f} {long:>8.4f} {ratio:>6.2f}  {verdict(ok_budget):>16}  {verdict(ok_growth):>15}",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
