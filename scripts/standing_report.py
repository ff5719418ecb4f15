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

from posers_blender.engine import quat  # noqa: E402
from posers_blender.engine.sampler import sample  # noqa: E402
from posers_blender.quality import balance, contacts, continuity, limits, mechanical, vitals  # noqa: E402
from posers_blender.registry import get  # noqa: E402

MOTIONS = ("idle-breathe", "confident-stance", "contemplative-lean", "nervous-fidget")


def report(motion: str, seconds: float, seed: int, out: Path, params: dict[str, object]) -> None:
    clip = sample(get(motion), params, seed=seed, fps=30, duration=seconds)
    sw = vitals.sway(clip)
    rsw = vitals.sway(clip, robust=True)
    com = balance.center_of_mass(clip)
    pur = mechanical.clip_periodicity(clip)
    worst = sorted(pur.by_joint.items(), key=lambda kv: -kv[1])[:4]
    sp = limits.joint_speed_stats(clip)
    acc = continuity.angular_acceleration_max(clip)
    br = vitals.breathing(clip)
    lv = limits.limit_violations(clip)
    print(f"== {motion} seed={seed} {seconds:.0f}s {params}")
    print(
        f"  sway RMS AP {sw.ap_rms:.2f} mm  ML {sw.ml_rms:.2f} mm (robust {rsw.ap_rms:.2f} / {rsw.ml_rms:.2f}); "
        f"median freq {sw.median_freq:.2f} Hz"
    )
    print(
        f"  breathing {br.rate:.1f}/min (CV {br.period_cv:.1f} %, {br.breaths} quiet breaths)  "
        f"blinks {vitals.blinks(clip).rate:.1f}/min"
    )
    print(
        f"  head pitch {float(np.mean(vitals.head_pitch(clip))):+.1f} deg  "
        f"foot slide {contacts.foot_slide_max(clip):.3f} mm"
    )
    print(f"  limits {f'{lv.frames} frames, worst {lv.worst_angle} +{lv.worst_excess:.1f} deg' if lv.frames else 'ok'}")
    print(f"  purity worst {[(b, round(v, 2)) for b, v in worst]}")
    print(
        f"  speed p99 {sp.p99:.0f} deg/s ({sp.p99_joint}), max {sp.max:.0f} ({sp.max_joint}); "
        f"max accel {max(acc.values()):.0f} deg/s2 ({max(acc, key=lambda b: acc[b])})"
    )
    from collections import Counter

    print(f"  markers {dict(Counter(m for _, m in clip.markers if m not in ('inhale', 'exhale')))}")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sig = mechanical.joint_signals(clip)
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
    ax[3].plot(t, limits.angle(clip, "leftKnee.flexion"), label="left knee")
    ax[3].plot(t, limits.angle(clip, "rightKnee.flexion"), label="right knee")
    ax[3].plot(t, clip.expressions.get("blink", np.zeros_like(t)) * 10, label="blink x10", lw=0.6)
    if clip.skeleton.has("leftEye"):
        eye_yaw = np.degrees(quat.to_scaled_axis(clip.lrot[:, clip.skeleton.index("leftEye")])[:, 1])
        ax[3].plot(t, eye_yaw, label="eye yaw")  # eyes are left out of joint_signals
    ax[3].legend(loc="upper right")
    for tm, name in clip.markers:
        if name in ("inhale", "exhale"):
            continue
        ax[4].axvline(tm, color="gray", lw=0.5)
        ax[4].text(tm, 0.5, name, rotation=90, fontsize=7)
    if motion == "contemplative-lean":
        side = params.get("support_side", "right")
        d = contacts.point_distance(clip, f"{side}Knuckles", "chin")
        ax[4].plot(t, d / 10, label="knuckle-chin (cm)")
        ax[4].legend()
        hold = (t > 2.5) & (t < t[-1] - 2.5)
        print(f"  hand-chin distance: median {np.median(d):.1f} mm, max in hold {np.max(d[hold]):.1f} mm")
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
    for m in a.motions:
        report(m, a.seconds, a.seed, a.out, get(m).schema.parse_assignments(a.set))


if __name__ == "__main__":
    main()
