"""Measured figures of smoking-cigarette and the reach primitive (the numbers quoted in issue 7's notes).

Run from the repository root:  python scripts/smoking_figures.py [--seeds 10]

Prints per-avatar lip contact, finger clearance and elbow angles; per-phase
timing against the facts-file bands; reach speed-peak positions and
shoulder -> elbow -> wrist onset lags. Sample avatars come from
``../shared/data/vrm`` when present.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from posers_blender.engine import quat, sample  # noqa: E402
from posers_blender.engine.skeleton import default_avatar  # noqa: E402
from posers_blender.quality import handmouth as hmq  # noqa: E402
from posers_blender.quality import smoothness  # noqa: E402
from posers_blender.registry import get, motions_module  # noqa: E402

PROGRAM = get("smoking-cigarette")
SC = motions_module("smoking_cigarette")


def _skeletons() -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = [(f"default {h} m", default_avatar(h)) for h in (1.5, 1.65, 1.9)]
    for d in (REPO.parent / "shared" / "data" / "vrm",):
        if d.is_dir():
            from posers_blender.io.vrm_skeleton import load_vrm_skeleton

            out += [(p.stem, load_vrm_skeleton(p)) for p in sorted(d.glob("*.vrm"))]
            break
    return out


def contact_table() -> None:
    print("avatar                  contact max (cm)  finger clearance (mm)  elbow at lips / hold (deg)")
    for name, sk in _skeletons():
        c = sample(PROGRAM, {}, seed=1, fps=30.0, duration=50.0, skeleton=sk)  # type: ignore[arg-type]
        grot, gpos = c.fk()
        t = c.times
        d = np.linalg.norm(
            c.skeleton.landmark_positions("cigaretteFilter", grot, gpos)
            - c.skeleton.landmark_positions("lips", grot, gpos),
            axis=1,
        )
        on = [a for a, n in c.markers if n == "puff"]
        off = [a for a, n in c.markers if n == "lower"]
        at = np.zeros(len(t), bool)
        for a, b in zip(on, off):
            at |= (t >= a) & (t <= b)
        fingers = ("Thumb", "Index", "Middle", "Ring", "Little")
        pts = [gpos[:, c.skeleton.index(f"right{f}Distal")] for f in fingers]
        pts += [
            c.skeleton.landmark_positions(f"right{f}Tip", grot, gpos)
            for f in fingers
            if f"right{f}Tip" in c.skeleton.landmarks
        ]
        clear = -hmq.head_penetration(c.skeleton, grot, gpos, np.stack(pts, axis=1)).max() * 1000
        el = np.degrees(quat.angle_between(c.lrot[:, c.skeleton.index("rightLowerArm")], quat.IDENTITY))
        print(
            f"{name:22s}  {d[at].max() * 100:16.2f}  {clear:21.1f}  {np.median(el[at]):6.0f} / {np.median(el[~at]):.0f}"
        )


def timing_table(seeds: int) -> None:
    plans = [SC.schedule({"puff_count": 12}, seed=s, duration=420.0).puffs for s in range(seeds)]
    puffs = [p for plan in plans for p in plan]
    rows = [
        ("raise", "raise_dur", "0.8-1.0 (facts §5)"),
        ("puff", "puff_dur", "1.2-2.6 (B9), 1.8-2.0 mean"),
        ("lower", "lower_dur", "0.5-0.8 §5 / 0.9-1.4 §4"),
        ("mouth hold", "mouth_hold", "0.3-1.0 [E]"),
        ("smoke inhale", "inhale", "2-7 (B9), 3-5 (§5)"),
        ("breath hold", "hold", "0-2 (B9)"),
        ("exhale", "exhale", "1.5-4 (B9)"),
    ]
    print(f"\nphase timing over {seeds} cigarettes of 12 puffs (s): min / mean / max   band")
    for label, attr, band in rows:
        x = np.array([getattr(p, attr) for p in puffs])
        print(f"  {label:13s} {x.min():5.2f} / {x.mean():5.2f} / {x.max():5.2f}   {band}")
    iv = np.concatenate([np.diff([p.raise_start for p in plan]) for plan in plans])
    print(f"  {'interval':13s} {iv.min():5.2f} / {iv.mean():5.2f} / {iv.max():5.2f}   15-35 (B9), 19-27 mean (§5)")
    first = np.mean([plan[0].puff_dur for plan in plans])
    last = np.mean([plan[-1].puff_dur for plan in plans])
    gi = [np.diff([p.raise_start for p in plan]) for plan in plans]
    print(
        f"  trend: puff last/first {last / first:.2f} (Guyatt 0.61), "
        f"interval last/first {np.mean([g[-1] for g in gi]) / np.mean([g[0] for g in gi]):.2f} (Guyatt 1.75)"
    )


def reach_table() -> None:
    fps = 120.0
    print("\nreaches at 120 fps (seed 3, 60 s): peak position (fraction of T), onset lags (ms)")
    c = sample(PROGRAM, {}, seed=3, fps=fps, duration=60.0)
    plan = SC.schedule({}, seed=3, duration=60.0, fps=fps).puffs
    sk = c.skeleton
    grot, gpos = c.fk()
    f = sk.landmark_positions("cigaretteFilter", grot, gpos)
    v = hmq.point_speed(f, fps)
    t = c.times
    for p in plan:
        for kind, a, d in (("raise", p.raise_start, p.raise_dur), ("lower", p.lips_off, p.lower_dur)):
            if a + d > c.duration:
                continue
            w = (t >= a) & (t <= a + d)
            peaks = smoothness.movement_units(v[w], fps)
            on = [
                hmq.onset_time(hmq.rotation_speed(c.lrot[:, sk.index(b)], fps), t, a - 0.2, a + d)
                for b in ("rightUpperArm", "rightLowerArm", "rightHand")
            ]
            over, settle = (
                hmq.overshoot_and_settle(f, sk.landmark_positions("lips", grot, gpos), t, a + d, 0.0005, p.lips_off)
                if kind == "raise"
                else (float("nan"), float("nan"))
            )
            print(
                f"  {kind:5s} t={a:6.2f} T={d:.2f}  peaks {len(peaks)} at {(t[w][peaks[0]] - a) / d:.2f}  "
                f"peak {v[w].max():.2f} m/s  deviation {hmq.path_deviation(f[w]):.2f}  "
                f"elbow lag {1000 * (on[1] - on[0]):3.0f}  wrist lag {1000 * (on[2] - on[1]):3.0f}"
                + (f"  overshoot {over * 1000:.1f} mm settle {settle * 1000:.0f} ms" if kind == "raise" else "")
            )


def suite_table(seeds: int = 5) -> None:
    """The quality suite's own reach measures (palm effector, chest-frame settle) over the right-hand reaches."""
    from posers_blender.quality import timing

    rows = []
    for seed in range(seeds):
        c = sample(PROGRAM, {}, seed=seed, fps=30.0, duration=120.0)
        for x in timing.reach_timing(c, "right"):
            r = x.reach
            rows.append(
                (r.peak_fraction, r.units, r.overshoot_mm, r.settle_ms, x.trunk_lead, x.elbow_lag, x.wrist_lag, r.sparc)
            )
    a = np.array(rows)
    names = ("peak fraction", "speed peaks", "overshoot mm", "settle ms", "trunk lead ms", "elbow lag ms",
             "wrist lag ms", "SPARC")  # fmt: skip
    bounds = ((0.35, 0.55), (1, 2), (2, 10), (0, 300), (30, 80), (0, 100), (0, 100), (-1.8, 0))
    print(
        f"\nquality suite, {len(a)} right-hand reaches (seeds 0-{seeds - 1}, 120 s each): median, range, share in band"
    )
    for i, (name, (lo, hi)) in enumerate(zip(names, bounds)):
        col = a[:, i]
        share = np.mean((col >= lo) & (col <= hi)) * 100
        print(
            f"  {name:14s} {np.nanmedian(col):7.2f}  {np.nanmin(col):7.2f}..{np.nanmax(col):7.2f}  {share:3.0f}% in {lo}..{hi}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=10)
    args = ap.parse_args()
    contact_table()
    timing_table(args.seeds)
    reach_table()
    suite_table()


if __name__ == "__main__":
    main()
