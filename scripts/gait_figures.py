"""Print the measured gait figures of basic-walk and seductive-walk against the facts bands.

Usage (from the repository root): ``python scripts/gait_figures.py [--seed N] [--speed 1.2] [--plot out.png]``
(without ``--speed`` each walk runs at its own default).
Figures come from the quality suite (timing.gait, gait_kinematics, contacts, limits) on 24 s clips at 60 fps.
``--plot`` also draws the mean hip, knee and ankle curves over the gait cycle against the facts §2b anchor
ranges (needs matplotlib: ``pip install .[report]``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

from posers_blender.engine.sampler import sample  # noqa: E402
from posers_blender.quality import contacts, limits, timing  # noqa: E402
from posers_blender.quality import gait_kinematics as gk  # noqa: E402
from posers_blender.registry import get  # noqa: E402

ROWS = (
    ("cadence", "steps/min", "95-125", "g"),
    ("step_length", "H", "0.36-0.48", "g"),
    ("stance", "%", "57-64", "g"),
    ("double_support", "%", "16-26", "g"),
    ("stride_cv", "%", "1-4", "g"),
    ("pci", "%", "1-5", "g"),
    ("speed", "m/s", "1.0-1.6", "g"),
    ("step_width", "m", "0.05-0.14 (runway <= 0.02)", "k"),
    ("swing_lift", "m", "[E]", "k"),
    ("pelvic_obliquity", "deg", "5-12 (runway >= 1.2x)", "k"),
    ("pelvic_rotation", "deg", "5-14", "k"),
    ("vertical_excursion", "m", "0.02-0.05", "k"),
    ("lateral_excursion", "m", "0.025-0.07", "k"),
    ("shoulder_arc", "deg", "20-45", "k"),
    ("shoulder_mean", "deg", "runway further back", "k"),
    ("arm_thigh_phase", "deg", "150-210", "k"),
    ("knee_pushoff", "deg", "runway >= 5 straighter", "k"),
    ("head_roll", "deg", "<= 2-3", "k"),
)


#: facts §2b joint angles over the gait cycle: (%GC, low, high) in the suite's conventions (hip and knee
#: flexion +, ankle plantarflexion +)
FACTS_2B = {
    "hip": [(0, 20, 30), (52, -20, -10), (85, 30, 35)],
    "knee": [(0, 0, 5), (13, 15, 20), (40, 0, 8), (60, 35, 40), (71, 60, 70), (97, 0, 5)],
    "ankle": [(0, -2, 2), (6, 5, 10), (45, -12, -8), (62, 15, 25)],
}


def plot_curves(curves: dict, path: str, speed: float | None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    for ax, joint in zip(axes, ("hip", "knee", "ankle")):
        for mid, style in (("basic-walk", "-"), ("seductive-walk", "--")):
            ax.plot(range(101), curves[mid][joint], style, label=mid)
        for x, lo, hi in FACTS_2B[joint]:
            ax.plot([x, x], [lo, hi], color="tab:red", lw=4, alpha=0.6)
        sign = "plantarflexion +" if joint == "ankle" else "flexion +"
        ax.set_title(f"{joint} ({sign}), deg")
        ax.set_xlabel("% gait cycle (left heel strike to heel strike)")
        ax.grid(alpha=0.3)
    at = "1.3 / 1.2 m/s (defaults)" if speed is None else f"{speed} m/s"
    axes[0].legend(fontsize=8, title=f"{at}; red: facts §2b", title_fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    print(f"wrote {path}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--speed", type=float, help="m/s for both walks (default: each walk's own, 1.3 and 1.2)")
    ap.add_argument("--plot", help="also draw the hip, knee and ankle curves to this PNG")
    a = ap.parse_args()
    res = {}
    curves = {}
    for mid in ("basic-walk", "seductive-walk"):
        params = {} if a.speed is None else {"speed": a.speed}
        clip = sample(get(mid), params, seed=a.seed, fps=60, duration=24)
        g, k = timing.gait(clip), gk.gait_kinematics(clip)
        c = curves[mid] = k.curves
        extra = {
            "knee swing peak (55-75 @ 65-78 %GC)": gk.curve_peak(c["knee"], 50, 95),
            "knee loading peak (8-25 @ 8-20 %GC)": gk.curve_peak(c["knee"], 0, 30),
            "hip max extension (5-20 @ 45-60 %GC)": tuple(
                -x if i == 0 else x for i, x in enumerate(gk.curve_peak(c["hip"], 30, 75, "min"))
            ),
            "ankle plantarflexion peak (10-30 @ 58-70 %GC)": gk.curve_peak(c["ankle"], 50, 85),
            "hip at IC (20-30)": (float(c["hip"][0]), 0.0),
            "hip max flexion (30-35 @ ~85 %GC)": gk.curve_peak(c["hip"], 60, 100),
            "knee at 50 %GC (~20, rising to 35-40 at 60)": (float(c["knee"][50]), 50.0),
        }
        res[mid] = (g, k, extra, contacts.foot_slide_max(clip), limits.limit_violations(clip).frames)
    print(f"{'figure':48s} {'unit':10s} {'basic':>9s} {'runway':>9s}  band")
    for name, unit, band, src in ROWS:
        vals = [getattr(res[m][0] if src == "g" else res[m][1], name) for m in res]
        print(f"{name:48s} {unit:10s} {vals[0]:9.3f} {vals[1]:9.3f}  {band}")
    for key in res["basic-walk"][2]:
        v = [res[m][2][key] for m in res]
        print(f"{key:48s} {'deg @%GC':10s} {v[0][0]:5.1f}@{v[0][1]:<3.0f} {v[1][0]:5.1f}@{v[1][1]:<3.0f}")
    print(f"{'foot slide max (A2 <= 5)':48s} {'mm':10s} {res['basic-walk'][3]:9.2f} {res['seductive-walk'][3]:9.2f}")
    print(f"{'joint-limit frames (A5 = 0)':48s} {'frames':10s} {res['basic-walk'][4]:9d} {res['seductive-walk'][4]:9d}")
    if a.plot:
        plot_curves(curves, a.plot, a.speed)


if __name__ == "__main__":
    main()
