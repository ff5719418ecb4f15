"""Report figures from a :class:`Clip`: joint angles, hand/foot paths, foot heights with contacts, reach speeds,
and an animated stick figure. matplotlib (the ``report`` extra) is imported lazily, inside the functions.

Every plotting function takes clips in normalised space (+Y up, metres, facing +Z) and writes a PNG (or a
GIF) to the path given; the numbers behind each plot come from the pure functions above them, so tests can
check them without drawing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine import quat
from ..engine.clip import Clip

Array = NDArray[np.float64]

LEFT_COLOUR = "#d62728"
RIGHT_COLOUR = "#1f77b4"
CENTRE_COLOUR = "#333333"
CONTACT_COLOUR = "#2ca02c"

#: Bones drawn in stick figures (fingers, eyes and jaw are too small to read at report size).
STICK_BONES: tuple[str, ...] = tuple(
    b
    for b in hm.BONES
    if hm.PARENT[b] is not None
    and not any(k in b for k in ("Thumb", "Index", "Middle", "Ring", "Little", "Eye", "jaw"))
)


def _colour(bone: str) -> str:
    return LEFT_COLOUR if bone.startswith("left") else RIGHT_COLOUR if bone.startswith("right") else CENTRE_COLOUR


# --- numbers ---------------------------------------------------------------------------------------------


def _angle(u: Array, v: Array) -> Array:
    """Angle in degrees between direction tracks ``[F, 3]``."""
    nu = u / np.maximum(np.linalg.norm(u, axis=-1, keepdims=True), 1e-12)
    nv = v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)
    return np.degrees(np.arccos(np.clip(np.sum(nu * nv, axis=-1), -1.0, 1.0)))


def joint_angles(clip: Clip) -> dict[str, Array]:
    """Readable joint angles over time (degrees, ``[F]`` each).

    - ``hip flexion`` (thigh forward of its rest direction, in the pelvis' sagittal plane),
    - ``knee flexion`` and ``elbow flexion`` (angle between the two bones, minus the same at rest),
    - ``shoulder elevation`` (upper arm from the trunk's down axis: 0 hanging, 90 horizontal),
    - ``trunk pitch`` (upper chest's up axis leaning forward of vertical) and ``trunk roll``,
    - ``head yaw`` and ``head pitch`` relative to the upper chest (+ = left / down).
    """
    grot, gpos = clip.fk()
    p = {b: gpos[:, hm.INDEX[b]] for b in hm.BONES}
    g = {b: grot[:, hm.INDEX[b]] for b in ("hips", "upperChest", "head")}
    rest = clip.skeleton.rest_positions()
    r = {b: rest[hm.INDEX[b]][None] for b in hm.BONES}
    out: dict[str, Array] = {}
    for side in ("left", "right"):
        s = side[0].upper()
        thigh = quat.rotate(quat.conj(g["hips"]), p[f"{side}LowerLeg"] - p[f"{side}UpperLeg"])
        thigh0 = r[f"{side}LowerLeg"] - r[f"{side}UpperLeg"]
        out[f"hip flexion {s}"] = np.degrees(
            np.arctan2(thigh[:, 2], -thigh[:, 1]) - np.arctan2(thigh0[:, 2], -thigh0[:, 1])
        )
        for joint, (a, b, c) in (
            ("knee", ("UpperLeg", "LowerLeg", "Foot")),
            ("elbow", ("UpperArm", "LowerArm", "Hand")),
        ):
            now = _angle(p[f"{side}{b}"] - p[f"{side}{a}"], p[f"{side}{c}"] - p[f"{side}{b}"])
            at_rest = _angle(r[f"{side}{b}"] - r[f"{side}{a}"], r[f"{side}{c}"] - r[f"{side}{b}"])
            out[f"{joint} flexion {s}"] = now - at_rest  # 0 = the rest pose (a rig's knee may rest slightly bent)
        arm = p[f"{side}LowerArm"] - p[f"{side}UpperArm"]
        down = quat.rotate(g["upperChest"], np.array([0.0, -1.0, 0.0]))
        out[f"shoulder elevation {s}"] = _angle(arm, down)
    up = quat.rotate(g["upperChest"], np.array([0.0, 1.0, 0.0]))
    body = quat.rotate(g["hips"], np.array([0.0, 0.0, 1.0])) * np.array([1.0, 0.0, 1.0])  # heading, horizontal
    fwd = body / np.maximum(np.linalg.norm(body, axis=-1, keepdims=True), 1e-12)
    left = np.cross(np.array([0.0, 1.0, 0.0]), fwd)
    out["trunk pitch"] = np.degrees(np.arcsin(np.clip(np.sum(up * fwd, axis=-1), -1, 1)))
    out["trunk roll"] = np.degrees(np.arcsin(np.clip(np.sum(up * left, axis=-1), -1, 1)))
    head_local = quat.mul(quat.conj(g["upperChest"]), g["head"])
    look = quat.rotate(head_local, np.array([0.0, 0.0, 1.0]))
    out["head yaw"] = np.degrees(np.arctan2(look[:, 0], look[:, 2]))
    out["head pitch"] = np.degrees(np.arcsin(np.clip(-look[:, 1], -1, 1)))
    return out


def end_effectors(clip: Clip) -> dict[str, Array]:
    """World tracks ``[F, 3]`` of the hand tips and the feet (heel and toe tip) for trajectory plots."""
    grot, gpos = clip.fk()
    sk = clip.skeleton
    out = {}
    for side in ("left", "right"):
        for name in ("HandTip", "Heel", "ToeTip"):
            key = f"{side}{name}"
            if key in sk.landmarks:
                out[key] = sk.landmark_positions(key, grot, gpos)
    return out


@dataclass(frozen=True)
class Reach:
    """A hand movement: frames ``[start, end)`` where the hand tip's speed exceeds the threshold."""

    side: str
    start: int
    end: int
    peak_speed: float  # m/s
    distance: float  # m, start to end


def hand_speed(clip: Clip, side: str) -> Array:
    """Hand-tip speed ``[F]`` in m/s (central differences), in the body's frame (hips' travel removed)."""
    tip = end_effectors(clip)[f"{side}HandTip"] - clip.hips_pos * np.array([1.0, 0.0, 1.0])
    return np.linalg.norm(np.gradient(tip, axis=0), axis=-1) * clip.fps


def reaches(clip: Clip, threshold: float = 0.15, min_seconds: float = 0.25, min_distance: float = 0.08) -> list[Reach]:
    """Hand movements: runs of hand-tip speed above ``threshold`` m/s lasting ``min_seconds`` and travelling
    ``min_distance`` m (metrics §3: a movement is the span where speed is above a small share of its peak;
    a fixed 0.15 m/s keeps breathing and sway out)."""
    out = []
    tips = end_effectors(clip)
    for side in ("left", "right"):
        speed = hand_speed(clip, side)
        fast = np.append(speed > threshold, False)
        start = None
        for i, v in enumerate(fast):
            if v and start is None:
                start = i
            elif not v and start is not None:
                if i - start >= min_seconds * clip.fps:
                    tip = tips[f"{side}HandTip"]
                    dist = float(np.linalg.norm(tip[i - 1] - tip[start]))
                    if dist >= min_distance or float(np.sum(speed[start:i])) / clip.fps >= 2 * min_distance:
                        out.append(Reach(side, start, i, float(speed[start:i].max()), dist))
                start = None
    return sorted(out, key=lambda r: r.start)


# --- drawing ---------------------------------------------------------------------------------------------


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig: Any, path: Path, dpi: int = 72) -> Path:
    fig.savefig(path, dpi=dpi)
    _plt().close(fig)
    return path


def plot_joint_angles(clip: Clip, path: Path, reference: Clip | None = None) -> Path:
    """Joint-angle curves, one panel per joint pair (left red, right blue; a reference clip dashed grey)."""
    plt = _plt()
    ang = joint_angles(clip)
    ref = joint_angles(reference) if reference is not None else None
    panels = [
        ("hip flexion", ("hip flexion L", "hip flexion R")),
        ("knee flexion", ("knee flexion L", "knee flexion R")),
        ("shoulder elevation", ("shoulder elevation L", "shoulder elevation R")),
        ("elbow flexion", ("elbow flexion L", "elbow flexion R")),
        ("trunk", ("trunk pitch", "trunk roll")),
        ("head (rel. chest)", ("head yaw", "head pitch")),
    ]
    fig, axes = plt.subplots(3, 2, figsize=(9, 6.4), sharex=True)
    t = clip.times
    for ax, (title, keys) in zip(axes.ravel(), panels):
        for key, colour in zip(keys, (LEFT_COLOUR, RIGHT_COLOUR)):
            ax.plot(t, ang[key], color=colour, lw=1.2, label=key.replace(title, "").strip() or key)
            if ref is not None and reference is not None:
                ax.plot(reference.times, ref[key], color=colour, lw=0.8, ls="--", alpha=0.5)
        ax.set_title(title, fontsize=9)
        ax.set_ylabel("deg", fontsize=8)
        lo, hi = ax.get_ylim()
        if hi - lo < 4.0:  # a near-constant angle: show it on a 4° scale, not magnified noise
            mid = 0.5 * (lo + hi)
            ax.set_ylim(mid - 2.0, mid + 2.0)
        ax.ticklabel_format(axis="y", useOffset=False)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=7, loc="upper right", frameon=False)
        ax.grid(alpha=0.3)
    for ax in axes[-1]:
        ax.set_xlabel("time (s)", fontsize=8)
    fig.suptitle("Joint angles" + (" (dashed: reference mocap)" if ref is not None else ""), fontsize=10)
    fig.tight_layout()
    return _save(fig, path)


def plot_trajectories(clip: Clip, path: Path) -> Path:
    """Hand-tip and foot paths from the top (x-z) and the side (z-y)."""
    plt = _plt()
    eff = end_effectors(clip)
    hips = clip.hips_pos.copy()
    travel = float(np.linalg.norm(hips[-1, [0, 2]] - hips[0, [0, 2]]))
    frame = ""
    if travel > 0.5:
        # a clip that travels: show the paths relative to the hips (travel removed), or 8 m of walk
        # squeezes every swing into a line
        base = hips * np.array([1.0, 0.0, 1.0])
        eff = {k: v - base for k, v in eff.items()}
        hips = hips - base
        frame = ", relative to the hips"
    fig, (top, side) = plt.subplots(1, 2, figsize=(9, 4.2))
    for key, track in eff.items():
        colour = LEFT_COLOUR if key.startswith("left") else RIGHT_COLOUR
        style = "-" if "Hand" in key else (":" if "Heel" in key else "--")
        label = key.replace("left", "L ").replace("right", "R ")
        marker = "o" if "Hand" in key else ("s" if "Heel" in key else "^")
        every = max(1, int(clip.fps))  # one marker a second: still feet show up as dots
        kw = {"color": colour, "lw": 1.0, "label": label, "marker": marker, "ms": 3, "markevery": every}
        top.plot(track[:, 0], track[:, 2], style, **kw)
        side.plot(track[:, 2], track[:, 1], style, **kw)
    top.plot(hips[:, 0], hips[:, 2], color=CENTRE_COLOUR, lw=1.0, label="hips")
    side.plot(hips[:, 2], hips[:, 1], color=CENTRE_COLOUR, lw=1.0, label="hips")
    top.set_title(f"top view (x left, z forward{frame})", fontsize=9)
    top.set_xlabel("x (m)", fontsize=8)
    top.set_ylabel("z (m)", fontsize=8)
    top.invert_xaxis()  # the avatar's left (+X) on the viewer's left when looking down from above, facing up-page
    side.set_title(f"side view (z forward, y up{frame})", fontsize=9)
    side.set_xlabel("z (m)", fontsize=8)
    side.set_ylabel("y (m)", fontsize=8)
    side.axhline(0.0, color="#999999", lw=0.8)
    for ax in (top, side):
        ax.set_aspect("equal", adjustable="datalim")
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    side.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    fig.tight_layout()
    return _save(fig, path)


def plot_foot_heights(clip: Clip, path: Path, contacts: Sequence[tuple[str, int, int]] = ()) -> Path:
    """Heel and toe-tip heights per foot, with detected contacts ``(side, start, end)`` shaded."""
    plt = _plt()
    eff = end_effectors(clip)
    fig, axes = plt.subplots(2, 1, figsize=(9, 4.2), sharex=True)
    t = clip.times
    for ax, side in zip(axes, ("left", "right")):
        colour = LEFT_COLOUR if side == "left" else RIGHT_COLOUR
        for name, style in (("Heel", ":"), ("ToeTip", "-")):
            ax.plot(t, eff[f"{side}{name}"][:, 1] * 1000.0, style, color=colour, lw=1.1, label=name)
        for s, a, b in contacts:
            if s == side:
                ax.axvspan(t[a], t[min(b, len(t) - 1)], color=CONTACT_COLOUR, alpha=0.15, lw=0)
        ax.axhline(0.0, color="#999999", lw=0.8)
        lo, hi = ax.get_ylim()
        ax.set_ylim(min(lo, -10.0), max(hi, 60.0))  # planted feet: show millimetres on a readable scale
        ax.ticklabel_format(axis="y", useOffset=False, style="plain")
        ax.set_ylabel(f"{side} foot (mm)", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=7, loc="upper right", frameon=False)
        ax.grid(alpha=0.3)
    axes[-1].set_xlabel("time (s)", fontsize=8)
    n = len(contacts)
    fig.suptitle(f"Foot heights above the floor; green = detected contact ({n})", fontsize=10)
    fig.tight_layout()
    return _save(fig, path)


def plot_reach_speeds(clip: Clip, path: Path) -> Path:
    """Hand speed over time with detected movements shaded, and each movement's speed on normalised time."""
    plt = _plt()
    found = reaches(clip)
    fig, (ax, norm) = plt.subplots(1, 2, figsize=(9, 3.4), gridspec_kw={"width_ratios": [2, 1]})
    t = clip.times
    for side, colour in (("left", LEFT_COLOUR), ("right", RIGHT_COLOUR)):
        ax.plot(t, hand_speed(clip, side), color=colour, lw=1.0, label=f"{side} hand")
    for r in found:
        colour = LEFT_COLOUR if r.side == "left" else RIGHT_COLOUR
        ax.axvspan(t[r.start], t[r.end - 1], color=colour, alpha=0.1, lw=0)
        speed = hand_speed(clip, r.side)[r.start : r.end]
        u = np.linspace(0.0, 1.0, len(speed))
        norm.plot(u, speed / max(float(speed.max()), 1e-9), color=colour, lw=1.0, alpha=0.8)
    ax.set_title("hand-tip speed (body frame); shaded: movements", fontsize=9)
    ax.set_xlabel("time (s)", fontsize=8)
    ax.set_ylabel("m/s", fontsize=8)
    ax.legend(fontsize=7, frameon=False)
    norm.set_title(f"{len(found)} movements, normalised", fontsize=9)
    norm.set_xlabel("share of movement time", fontsize=8)
    norm.set_ylabel("speed / peak", fontsize=8)
    u = np.linspace(0, 1, 50)
    norm.plot(u, 30 * u**2 * (1 - u) ** 2 / 1.875, color="#999999", ls="--", lw=1.0, label="minimum jerk")
    norm.legend(fontsize=7, frameon=False)
    for a in (ax, norm):
        a.tick_params(labelsize=7)
        a.grid(alpha=0.3)
    fig.tight_layout()
    return _save(fig, path)


def stick_gif(clip: Clip, path: Path, seconds: float = 6.0, fps: float = 10.0, size: float = 3.0) -> Path:
    """An animated stick figure as a GIF, following the hips: a front view (the avatar faces the viewer, so
    its left, +X, is on the viewer's right) and a side view (forward to the right); ``size`` in inches."""
    plt = _plt()
    from matplotlib.animation import FuncAnimation, PillowWriter

    _, gpos = clip.fk()
    step = max(1, int(round(clip.fps / fps)))
    frames = list(range(0, min(clip.n_frames, int(seconds * clip.fps) + 1), step))
    bones = [(hm.INDEX[b], hm.INDEX[hm.PARENT[b]], _colour(b)) for b in STICK_BONES]  # type: ignore[index]
    head_top = clip.landmark("headTop")
    top = float(np.max(head_top[:, 1])) + 0.05
    fig, axes = plt.subplots(1, 2, figsize=(size * 1.6, size))
    lines = []
    for ax, (_a, title) in zip(axes, ((0, "front"), (2, "side"))):
        ax.set_xlim(-0.7, 0.7)
        ax.set_ylim(-0.05, top)
        ax.set_aspect("equal")
        ax.axhline(0.0, color="#999999", lw=0.8)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(title, fontsize=8)
        lines.append([ax.plot([], [], color=c, lw=2.0, solid_capstyle="round")[0] for _, _, c in bones])
    fig.tight_layout()

    def draw(f: int) -> list[Any]:
        out = []
        for (a, _), ls in zip(((0, "front"), (2, "side")), lines):
            centre = gpos[f, 0, a]
            for (j, p, _), ln in zip(bones, ls):
                ln.set_data([gpos[f, p, a] - centre, gpos[f, j, a] - centre], [gpos[f, p, 1], gpos[f, j, 1]])
                out.append(ln)
        return out

    anim = FuncAnimation(fig, draw, frames=frames, blit=False)
    anim.save(str(path), writer=PillowWriter(fps=int(round(fps))), dpi=60)
    plt.close(fig)
    return path


def _oblique(p: Array) -> Array:
    """Horizontal screen coordinate of a three-quarter view from the avatar's front right (forward to the right)."""
    ang = np.radians(35.0)
    return p[..., 2] * np.cos(ang) - p[..., 0] * np.sin(ang)


def stick_strip(clip: Clip, path: Path, count: int = 8, reference: Clip | None = None) -> Path:
    """A strip of ``count`` stick figures spread over the clip, in a three-quarter view (a still companion
    to the GIF; left limbs red, right blue), following the hips."""
    plt = _plt()
    rows = [clip] + ([reference] if reference is not None else [])
    fig, axes = plt.subplots(len(rows), count, figsize=(count * 1.25, 2.6 * len(rows)), squeeze=False)
    for r, c in enumerate(rows):
        _, gpos = c.fk()
        top = float(np.max(c.landmark("headTop")[:, 1])) + 0.05
        u = _oblique(gpos)
        for k, f in enumerate(np.linspace(0, c.n_frames - 1, count).astype(int)):
            ax = axes[r, k]
            centre = u[f, 0]
            # draw the far (right) side first so the near (left) limbs stay visible
            order = sorted(STICK_BONES, key=lambda b: 0 if b.startswith("right") else 1)
            for b in order:
                j, p = hm.INDEX[b], hm.INDEX[hm.PARENT[b]]  # type: ignore[index]
                ax.plot([u[f, p] - centre, u[f, j] - centre], [gpos[f, p, 1], gpos[f, j, 1]], color=_colour(b), lw=1.8)
            ax.axhline(0.0, color="#bbbbbb", lw=0.8)
            ax.set_xlim(-0.6, 0.6)
            ax.set_ylim(-0.05, top)
            ax.set_aspect("equal")
            ax.axis("off")
            ax.set_title(f"{f / c.fps:.1f} s", fontsize=8)
    fig.tight_layout()
    return _save(fig, path)
