"""Measure and plot the standing motions: sway, breathing, blink rate, purity, slide, limits, contacts.

Usage: python scripts/standing_report.py [motion ...] [--seconds 60] [--seed 0] [--out /tmp/standing]
Prints one block of figures per motion and writes <out>/<motion>.png (joint curves, sway, events).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posers_blender import humanoid as hm  # noqa: E402
from posers_blender.engine.sampler import sample  # noqa: E402
from posers_blender.quality import standing_metrics as sm  # noqa: E402
from posers_blender.registry import get  # noqa: E402

MOTIONS = ("idle-breathe", "confident-stance", "contemplative-lean", "nervous-fidget")


def report(motion: str, seconds: float, seed: int, out: Path, params: dict[str, object]) -> None:
    clip = sample(get(motion), params, seed=seed, fps=30, duration=seconds)
    ap, ml = sm.sway_rms(clip)
    com = sm.com_track(clip)
    pur = sm.joint_purity(clip)
    worst = sorted(pur.items(), key=lambda kv: -kv[1])[:4]
    speeds = sm.angular_speed(clip)
    p99 = {b: float(np.percentile(v, 99)) for b, v in speeds.items() if not b.endswith("Eye")}
    acc = sm.angular_acceleration_max(clip, [b for b in hm.BONES if not b.endswith("Eye")])
    print(f"== {motion} seed={seed} {seconds:.0f}s {params}")
    rap, rml = sm.sway_rms(clip, robust=True)
    print(
        f"  sway RMS AP {ap:.2f} mm  ML {ml:.2f} mm (robust {rap:.2f} / {rml:.2f}); median freq AP {sm.median_frequency(com[:, 2], 30):.2f} Hz"
    )
    print(f"  breathing {sm.breathing_rate(clip):.1f}/min  blinks {sm.blink_rate(clip):.1f}/min")
    print(f"  head pitch {sm.head_pitch_deg(clip):+.1f} deg  foot slide {sm.foot_slide_mm(clip):.3f} mm")
    print(f"  limits {sm.joint_limit_violations(clip) or 'ok'}")
    print(f"  purity worst {[(b, round(v, 2)) for b, v in worst]}")
    top = sorted(p99.items(), key=lambda kv: -kv[1])[:3]
    print(
        f"  p99 speed top {[(b, round(v)) for b, v in top]}; max accel {max(acc.values()):.0f} deg/s2 "
        f"({max(acc, key=lambda b: acc[b])})"
    )
    from collections import Counter

    print(f"  markers {dict(Counter(m for _, m in clip.markers if m not in ('inhale', 'exhale')))}")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sig = sm.joint_angle_signals(clip)
    t = clip.times
    fig, ax = plt.subplots(5, 1, figsize=(14, 13), sharex=True)
    ax[0].plot(t, (com[:, 0] - com[0, 0]) * 1000, label="COM ML (mm)")
    ax[0].plot(t, (com[:, 2] - com[0, 2]) * 1000, label="COM AP (mm)")
    ax[0].legend(loc="upper right")
    for b in ("upperChest", "neck", "head", "hips"):
        ax[1].plot(t, sig[b][:, 0], label=f"{b} x")
    ax[1].plot(t, sig["head"][:, 1], label="head y (yaw)")
    ax[1].legend(loc="upper right")
    ax[1].set_ylabel("deg")
    for b in ("leftUpperArm", "leftLowerArm", "rightUpperArm", "rightLowerArm", "rightHand"):
        ax[2].plot(t, np.linalg.norm(sig[b], axis=1), label=b)
    ax[2].legend(loc="upper right")
    ax[3].plot(t, sm.hinge_flexion(clip, "leftLowerLeg"), label="left knee")
    ax[3].plot(t, sm.hinge_flexion(clip, "rightLowerLeg"), label="right knee")
    ax[3].plot(t, clip.expressions.get("blink", np.zeros_like(t)) * 10, label="blink x10", lw=0.6)
    if clip.skeleton.has("leftEye"):
        ax[3].plot(t, sig["leftEye"][:, 1], label="eye yaw")
    ax[3].legend(loc="upper right")
    for tm, name in clip.markers:
        if name in ("inhale", "exhale"):
            continue
        ax[4].axvline(tm, color="gray", lw=0.5)
        ax[4].text(tm, 0.5, name, rotation=90, fontsize=7)
    if motion == "contemplative-lean":
        side = params.get("support_side", "right")
        from posers_blender.engine.standing import contact_local

        bone, off = f"{side}Hand", contact_local(clip.skeleton, side, "knuckles", 80.0)
        d = sm.point_distance(clip, bone, off, "chin") * 1000
        ax[4].plot(t, d / 10, label="knuckle-chin (cm)")
        ax[4].legend()
        print(
            f"  hand-chin distance: median {np.median(d):.1f} mm, max in hold {np.max(d[(t > 2.5) & (t < t[-1] - 2.5)]):.1f} mm"
        )
    fig.tight_layout()
    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / f"{motion}.png", dpi=70)
    plt.close(fig)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("motions", nargs="*", default=list(MOTIONS))
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("--out", type=Path, default=Path("/tmp/standing"))
    a = ap.parse_args()
    params: dict[str, object] = {}
    for kv in a.set:
        k, v = kv.split("=", 1)
        try:
            params[k] = float(v)
        except ValueError:
            params[k] = v
    for m in a.motions:
        report(m, a.seconds, a.seed, a.out, params)


if __name__ == "__main__":
    main()
