"""Fit the variability statistics that ship in posers_blender/data/motion_stats.json.

``python scripts/fit_motion_stats.py [--data ../shared/data] [--out posers_blender/data/motion_stats.json]``

Only mocap that may ship in a product is read: the ReActIdle quiet-standing clips (MIT) and the CMU
walks (free for all uses). Every clip is retargeted onto the 1.65 m default avatar with the project's
retargeter, so angles and distances are those of one body. The fit is deterministic (no randomness);
tests/engine/test_fitted.py regenerates it and compares with the shipped file. The samplers that use the
result are in posers_blender/engine/fitted.py; the method is described in docs/fitted_stats.md.

Quiet standing (ReActIdle, 24 fps):
  1. channels: per frame, rotation vectors (relative to the take's mean pose, in the bone's frame) of
     the segments of engine/fitted.py (pelvis, trunk, head, upper arms, forearms) and the hips' position.
  2. posture events (see EVENT_DETECTORS): speed bursts of a smoothed detector signal, with hysteresis.
  3. residual: the channels minus the events rendered as minimum-jerk steps (what the samplers add back).
  4. spectra: per-band covariance of the residual (whole-take Hann periodogram, log-spaced bands).
Walking (CMU, 120 fps):
  1. strides from left heel strike to left heel strike (heel strike: the foot's largest distance ahead
     of the hips along the direction of travel), resampled to a fixed number of phases.
  2. per-subject mean curves; stride-to-stride deviations from the subject's mean -> principal components.
  3. scalars: stride time CV, per-curve range-of-motion CV, arm swing amplitude/timing/asymmetry,
     trunk pitch and roll harmonics, head stabilisation (head vs trunk rotation in the world).
  4. pelvis waves: the pelvis (height, lateral offset, obliquity, rotation, tilt) and the trunk relative to
     it over the stride as harmonics 1-6, their mean and stride-to-stride SD (a symmetric walker).
  5. heel-strike response: around each heel strike, what the pelvis, trunk and head do beyond the stride's
     harmonics 1-6 (the loading response's shock), averaged over strikes, and its strike-to-strike spread.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from posers_blender import humanoid as hm  # noqa: E402
from posers_blender.engine import fitted, quat  # noqa: E402
from posers_blender.engine.clip import Clip  # noqa: E402
from posers_blender.engine.curves import minimum_jerk  # noqa: E402
from posers_blender.engine.program import HINGE_AXES  # noqa: E402
from posers_blender.io.bvh_read import BvhFile, read_bvh  # noqa: E402
from posers_blender.mocap import retarget  # noqa: E402

Array = NDArray[np.float64]

DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "posers_blender" / "data" / "motion_stats.json"

IDLE_GLOB = "bvh/idle/reactidle_*.bvh"
WALK_GLOBS = ("bvh/walk/cmu_*.bvh", "bvh/cmu_02_01_walk.bvh")

BAND_EDGES_HZ = np.geomspace(0.05, 8.0, 11)  # 10 log-spaced bands, 0.05-8 Hz
PLATEAU_S = 0.5  # posture before/after an event: the mean over this long before its start / after its end
WINDOW_S = 4.0  # headline RMS: in windows this long, about each window's own mean
SAMPLES_PER_STRIDE = 50
MAX_PCS = 8
PC_VARIANCE_KEPT = 0.9

CMU_ACK = (
    "The data used in this project was obtained from mocap.cs.cmu.edu. "
    "The database was created with funding from NSF EIA-0196217."
)
REACTIDLE_NOTICE = (
    "ReActIdle (github.com/Enekoassets/ReActIdle, commit 90b0ac78b205001edf170f65ff372448ccd0f1c7), MIT License, "
    "Copyright (c) 2025 [RSAIT] (full text in posers_blender/data/NOTICE). Cite: E. Atxa Landa, E. Lazkano, I. Rodriguez, "
    "I. Rodriguez-Moreno, I. Irigoien, 'Evaluating Idle Animation Believability: a User Perspective', "
    "Computer Animation and Virtual Worlds 37(3), e70116 (arXiv:2509.05023)."
)


# -- loading ------------------------------------------------------------------------------------------


def _drop_calibration_frame(bvh: BvhFile) -> BvhFile:
    """CMU conversions start with a T-pose calibration frame (root rotation exactly zero): drop it."""
    root = bvh.motion[0, bvh.columns[0]]
    rot = [v for v, ch in zip(root, bvh.joints[0].channels) if ch.endswith("rotation")]
    if rot and all(v == 0.0 for v in rot):
        bvh.motion = bvh.motion[1:]
    return bvh


def load_idle(path: Path) -> tuple[Clip, Array]:
    """The retargeted take and its pelvis roll ``[F]`` (radians, + = left hip up).

    ReActIdle's pelvis joint only yaws; the pelvis tilt is in the hip joints' heights (their position
    channels), which the retargeter (matching bone rotations) does not carry onto the hips. The roll is
    read off the source's hip line instead: atan2(left - right hip height, their horizontal distance).
    """
    bvh = read_bvh(path)
    names, _ = hm.map_bone_names(bvh.names)  # ReActIdle's metarig names are the alias table's 'reactidle' family
    _, gpos = bvh.fk()
    v = gpos[:, bvh.index(names["leftUpperLeg"])] - gpos[:, bvh.index(names["rightUpperLeg"])]
    roll = np.arctan2(v[:, 1], np.hypot(v[:, 0], v[:, 2]))
    return retarget(bvh).clip, roll


def load_walk(path: Path) -> Clip:
    return retarget(_drop_calibration_frame(read_bvh(path))).clip


# -- shared helpers -----------------------------------------------------------------------------------


def smooth(x: Array, fps: float, sigma_s: float) -> Array:
    """Gaussian smoothing along axis 0 (edges padded with the end values)."""
    sigma = sigma_s * fps
    r = int(np.ceil(3 * sigma))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    x2 = x.reshape(x.shape[0], -1)
    pad = np.concatenate([np.repeat(x2[:1], r, axis=0), x2, np.repeat(x2[-1:], r, axis=0)])
    out = np.stack([np.convolve(pad[:, c], k, mode="valid") for c in range(x2.shape[1])], axis=1)
    return out.reshape(x.shape)


def lognormal(x: Array) -> dict[str, float]:
    lx = np.log(x)
    return {"mu": float(lx.mean()), "sigma": float(lx.std(ddof=1)) if x.size > 1 else 0.0}


def gamma_shape(x: Array) -> float:
    """Maximum-likelihood gamma shape (Minka's closed-form approximation, within 1.5%)."""
    s = float(np.log(x.mean()) - np.log(x).mean())
    return float((3.0 - s + np.sqrt((s - 3.0) ** 2 + 24.0 * s)) / (12.0 * s)) if s > 1e-9 else 100.0


def describe(x: Array) -> dict[str, Any]:
    x = np.asarray(x, dtype=np.float64)
    if x.size == 0:
        return {"n": 0}
    return {
        "n": int(x.size),
        "mean": float(x.mean()),
        "median": float(np.median(x)),
        "sd": float(x.std(ddof=1)) if x.size > 1 else 0.0,
        "lognormal": lognormal(x) if np.all(x > 0) else None,
    }


def file_entry(path: Path, data: Path) -> dict[str, str]:
    return {"file": str(path.relative_to(data)), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


# -- quiet standing ------------------------------------------------------------------------------------


def segment_rotations(clip: Clip, pelvis_roll: Array) -> dict[str, Array]:
    """Rotation ``[F, 4]`` of each rotation channel relative to its parent segment (see engine/fitted.py)."""
    grot, _ = clip.fk()
    g = {b: grot[:, hm.INDEX[b]] for b in ("hips", "upperChest", "head")}
    g["hips"] = quat.mul(g["hips"], quat.from_axis_angle(np.array([0.0, 0.0, 1.0]), pelvis_roll))
    out = {
        "hips": g["hips"],
        "trunk": quat.mul(quat.conj(g["hips"]), g["upperChest"]),
        "head": quat.mul(quat.conj(g["upperChest"]), g["head"]),
    }
    for s in ("left", "right"):
        out[f"{s}UpperArm"] = quat.mul(quat.conj(g["upperChest"]), grot[:, hm.INDEX[f"{s}UpperArm"]])
        out[f"{s}LowerArm"] = clip.lrot[:, hm.INDEX[f"{s}LowerArm"]]
    return out


def standing_channels(clip: Clip, pelvis_roll: Array) -> Array:
    """``[F, 3 * len(STANDING_CHANNELS)]``: rotation vectors about the take's mean pose (in the segment's
    frame), and the hips position minus its mean (metres)."""
    rots = segment_rotations(clip, pelvis_roll)
    cols = []
    for ch in fitted.STANDING_CHANNELS:
        if ch == "hips_position":
            cols.append(clip.hips_pos - clip.hips_pos.mean(axis=0))
            continue
        q = quat.continuous(rots[ch], axis=0)
        mean = quat.normalize(q.mean(axis=0))
        cols.append(quat.to_scaled_axis(quat.mul(quat.conj(mean), q)))
    return np.concatenate(cols, axis=1)


def component_index(channel: str) -> list[int]:
    i = fitted.STANDING_CHANNELS.index(channel)
    return [3 * i, 3 * i + 1, 3 * i + 2]


def signal_weight_shift(clip: Clip) -> Array:
    """Lateral (x) position of the hips, metres ``[F, 1]``."""
    return clip.hips_pos[:, :1].copy()


def signal_wrist(side: str) -> Callable[[Clip], Array]:
    def sig(clip: Clip) -> Array:
        """Wrist position in the upperChest's frame relative to it, metres ``[F, 3]``."""
        grot, gpos = clip.fk()
        jt = hm.INDEX["upperChest"]
        rel = gpos[:, hm.INDEX[f"{side}Hand"]] - gpos[:, jt]
        return quat.rotate(quat.conj(grot[:, jt]), rel)

    return sig


def signal_head_yaw(clip: Clip) -> Array:
    """Head yaw on the upperChest (first angle of a Y-X-Z decomposition), radians ``[F, 1]``."""
    grot, _ = clip.fk()
    rel = quat.mul(quat.conj(grot[:, hm.INDEX["upperChest"]]), grot[:, hm.INDEX["head"]])
    return np.unwrap(quat.to_euler(rel, "YXZ")[:, 0])[:, None]


@dataclass(frozen=True)
class Detector:
    """A posture-event detector: bursts of speed in a smoothed signal, with hysteresis.

    The signal (``[F, D]``) is Gaussian-smoothed (``sigma_s``); its speed (norm of the derivative) must
    exceed ``seed`` somewhere in a burst, and the burst extends both ways while the speed stays above
    ``extend``. Bursts closer than ``merge_s`` are merged. The event's amplitude is the distance between
    the mean smoothed signal over the 0.5 s before the start and over the 0.5 s after the end; events
    under ``min_amplitude`` or shorter than ``min_duration_s`` are dropped.
    """

    signal: Callable[[Clip], Array]
    description: str
    unit: str
    sigma_s: float
    seed: float
    extend: float
    merge_s: float
    min_amplitude: float
    min_duration_s: float
    group: tuple[str, ...]
    primary: dict[str, float]  # component name -> weight; empty: the group vector's norm


def arm_detector(side: str) -> Detector:
    """An arm re-placement: the wrist moving in the upperChest frame (the same rule for both sides)."""
    return Detector(
        signal_wrist(side),
        f"{side} wrist position in the upperChest frame",
        "m",
        sigma_s=0.1,
        seed=0.10,
        extend=0.03,
        merge_s=0.3,
        min_amplitude=0.04,
        min_duration_s=0.2,
        group=(f"{side}UpperArm", f"{side}LowerArm"),
        primary={},
    )


EVENT_DETECTORS: dict[str, Detector] = {
    "weight_shift": Detector(
        signal_weight_shift,
        "lateral hips position (x)",
        "m",
        sigma_s=0.25,
        seed=0.02,
        extend=0.005,
        merge_s=0.3,
        min_amplitude=0.015,
        min_duration_s=0.3,
        group=("hips", "hips_position", "trunk"),
        primary={"hips_position.x": 1.0},
    ),
    "left_arm": arm_detector("left"),
    "right_arm": arm_detector("right"),
    "head_turn": Detector(
        signal_head_yaw,
        "head yaw on the upperChest",
        "rad",
        sigma_s=0.1,
        seed=np.radians(20.0),
        extend=np.radians(5.0),
        merge_s=0.3,
        min_amplitude=np.radians(8.0),
        min_duration_s=0.2,
        group=("head",),
        primary={"head.y": 1.0},
    ),
}


@dataclass(frozen=True)
class Event:
    start: int  # frame
    end: int  # frame (exclusive)
    amplitude: float


def detect_events(signal: Array, fps: float, det: Detector) -> list[Event]:
    """Speed bursts of ``signal [F, D]`` (see :class:`Detector`)."""
    s = smooth(signal, fps, det.sigma_s)
    speed = np.linalg.norm(np.gradient(s, axis=0), axis=1) * fps
    above = speed > det.extend
    runs: list[list[int]] = []
    i, n = 0, len(speed)
    while i < n:
        if above[i]:
            j = i
            while j < n and above[j]:
                j += 1
            if speed[i:j].max() > det.seed:
                runs.append([i, j])
            i = j
        else:
            i += 1
    merged: list[list[int]] = []
    for r in runs:
        if merged and r[0] - merged[-1][1] < det.merge_s * fps:
            merged[-1][1] = r[1]
        else:
            merged.append(r)
    k = int(round(PLATEAU_S * fps))
    out = []
    for a, b in merged:
        if a < k or b + k > n or (b - a) < det.min_duration_s * fps:
            continue  # need a plateau on both sides inside the take
        amp = float(np.linalg.norm(s[b : b + k].mean(axis=0) - s[a - k : a].mean(axis=0)))
        if amp >= det.min_amplitude:
            out.append(Event(a, b, amp))
    return out


def render_steps(n: int, events: list[tuple[Event, Array]], comps: list[int], n_comp: int) -> Array:
    """Events as minimum-jerk steps ``[n, n_comp]`` on the components ``comps``."""
    out = np.zeros((n, n_comp))
    frames = np.arange(n, dtype=np.float64)
    for ev, delta in events:
        u = minimum_jerk((frames - ev.start) / max(ev.end - ev.start, 1))
        out[:, comps] += u[:, None] * delta[None, :]
    return out


def fit_standing(takes: list[tuple[str, Clip, Array]]) -> dict[str, Any]:
    n_comp = 3 * len(fitted.STANDING_CHANNELS)
    names = [f"{ch}.{a}" for ch in fitted.STANDING_CHANNELS for a in "xyz"]
    fps = takes[0][1].fps
    per_kind: dict[str, dict[str, list[Any]]] = {
        k: {"intervals": [], "amplitudes": [], "durations": [], "toward": [], "protos": []} for k in EVENT_DETECTORS
    }
    cov_sum = np.zeros((len(BAND_EDGES_HZ) - 1, n_comp, n_comp))
    full_powers, frames_total = [], 0
    rms_full: dict[str, list[float]] = {}
    rms_resid: dict[str, list[float]] = {}
    for _name, clip, roll in takes:
        if abs(clip.fps - fps) > 1e-9:
            raise ValueError("all idle takes must share one frame rate")
        x = standing_channels(clip, roll)
        n = x.shape[0]
        k = int(round(PLATEAU_S * fps))
        steps = np.zeros_like(x)
        for kind, det in EVENT_DETECTORS.items():
            comps = [c for ch in det.group for c in component_index(ch)]
            w = np.array([det.primary.get(names[c], 0.0) for c in comps]) if det.primary else np.zeros(0)
            found = detect_events(det.signal(clip), fps, det)
            rendered = []
            for ev in found:
                before = x[ev.start - k : ev.start, comps].mean(axis=0)
                delta = x[ev.end : ev.end + k, comps].mean(axis=0) - before
                rec = per_kind[kind]
                rec["toward"].append(fitted.primary_size(before + delta, w) < fitted.primary_size(before - delta, w))
                rec["amplitudes"].append(ev.amplitude)
                rec["durations"].append((ev.end - ev.start) / fps)
                rec["protos"].append([(ev.end - ev.start) / fps, ev.amplitude, *delta.tolist()])
                rendered.append((ev, delta))
            starts = np.array([ev.start for ev in found]) / fps
            per_kind[kind]["intervals"].extend(np.diff(starts).tolist())
            steps += render_steps(n, rendered, comps, n_comp)
        resid = x - steps
        cov_sum += fitted.band_cross_spectra(resid, fps, BAND_EDGES_HZ) * n
        full_powers.append(fitted.band_powers(x, fps, BAND_EDGES_HZ))
        frames_total += n
        for data, store in ((x, rms_full), (resid, rms_resid)):
            for key, c in HEADLINE_COMPONENTS.items():
                store.setdefault(key, []).append(window_rms(data[:, names.index(c)], fps))
    cov = cov_sum / frames_total
    sd = np.sqrt(np.clip(np.diagonal(cov, axis1=1, axis2=2), 0.0, None))
    corr_lower = []
    tri = np.tril_indices(n_comp, -1)
    for b in range(cov.shape[0]):
        denom = np.outer(sd[b], sd[b])
        corr = np.divide(cov[b], denom, out=np.zeros_like(cov[b]), where=denom > 0)
        corr_lower.append(np.round(corr[tri], 3).tolist())
    seconds = frames_total / fps
    log_full = np.log10(np.maximum(np.stack(full_powers), 1e-30))
    events: dict[str, Any] = {}
    for kind, det in EVENT_DETECTORS.items():
        rec = per_kind[kind]
        intervals = np.array(rec["intervals"])
        n_ev = len(rec["amplitudes"])
        comps = [c for ch in det.group for c in component_index(ch)]
        events[kind] = {
            "detector": {
                "signal": det.description,
                "unit": det.unit,
                "smoothing_sigma_s": det.sigma_s,
                "seed_speed": det.seed,
                "extend_speed": det.extend,
                "merge_gap_s": det.merge_s,
                "min_amplitude": det.min_amplitude,
                "min_duration_s": det.min_duration_s,
                "plateau_s": PLATEAU_S,
            },
            "count": n_ev,
            "rate_per_min": 60.0 * n_ev / seconds,
            "interval": {
                **describe(intervals),
                "cv": float(intervals.std(ddof=1) / intervals.mean()) if intervals.size > 1 else None,
                "gamma_shape": gamma_shape(intervals) if intervals.size > 1 else 1.0,
                "mean_for_rate": seconds / max(n_ev, 1),
            },
            "amplitude": describe(np.array(rec["amplitudes"])),
            "duration_s": describe(np.array(rec["durations"])),
            "p_toward_centre": float(np.mean(rec["toward"])) if rec["toward"] else 0.5,
            "group": list(det.group),
            "primary_weights": [det.primary.get(names[c], 0.0) for c in comps] if det.primary else [],
            "prototypes_columns": ["duration_s", "amplitude", *[names[c] for c in comps]],
            "prototypes": [[float(f"{v:.5g}") for v in p] for p in rec["protos"]],
        }
    return {
        "fps": fps,
        "takes": len(takes),
        "seconds": seconds,
        "channels": list(fitted.STANDING_CHANNELS),
        "components": names,
        "band_edges_hz": BAND_EDGES_HZ.tolist(),
        "band_sd": [[float(f"{v:.5g}") for v in row] for row in sd],
        "band_corr_lower": corr_lower,
        "band_power_full": [[float(f"{v:.5g}") for v in row] for row in np.mean(np.stack(full_powers), axis=0)],
        "band_log10_power_full_sd_across_takes": np.round(log_full.std(axis=0), 3).tolist(),
        "window_rms": {
            "window_s": WINDOW_S,
            "full": {k: float(np.mean(v)) for k, v in rms_full.items()},
            "residual": {k: float(np.mean(v)) for k, v in rms_resid.items()},
        },
        "events": events,
    }


HEADLINE_COMPONENTS = {
    "pelvis_roll_rad": "hips.z",
    "pelvis_pitch_rad": "hips.x",
    "pelvis_yaw_rad": "hips.y",
    "pelvis_lateral_m": "hips_position.x",
    "pelvis_fore_aft_m": "hips_position.z",
    "pelvis_vertical_m": "hips_position.y",
    "trunk_pitch_rad": "trunk.x",
    "trunk_roll_rad": "trunk.z",
    "head_yaw_rad": "head.y",
    "head_pitch_rad": "head.x",
}


def window_rms(x: Array, fps: float) -> float:
    """Mean over non-overlapping windows of WINDOW_S of the RMS about each window's own mean."""
    k = int(round(WINDOW_S * fps))
    m = len(x) // k
    w = x[: m * k].reshape(m, k)
    return float(np.mean(np.sqrt(np.mean((w - w.mean(axis=1, keepdims=True)) ** 2, axis=1))))


# -- walking -------------------------------------------------------------------------------------------


def walk_curves(clip: Clip) -> dict[str, Array]:
    """Every :data:`fitted.STRIDE_CURVES` entry per frame ``[F]`` (radians)."""
    grot, gpos = clip.fk()
    x = np.array([1.0, 0.0, 0.0])
    lrot = clip.lrot
    out: dict[str, Array] = {}
    trunk = grot[:, hm.INDEX["upperChest"]]
    for s in ("left", "right"):
        out[f"{s}Hip"] = -quat.twist_angle(lrot[:, hm.INDEX[f"{s}UpperLeg"]], x)
        out[f"{s}Knee"] = quat.twist_angle(lrot[:, hm.INDEX[f"{s}LowerLeg"]], HINGE_AXES[f"{s}LowerLeg"])
        out[f"{s}Ankle"] = -quat.twist_angle(lrot[:, hm.INDEX[f"{s}Foot"]], x)
        arm = gpos[:, hm.INDEX[f"{s}LowerArm"]] - gpos[:, hm.INDEX[f"{s}UpperArm"]]
        arm_t = quat.rotate(quat.conj(trunk), arm)
        out[f"{s}Shoulder"] = np.arctan2(arm_t[:, 2], -arm_t[:, 1])
        out[f"{s}Elbow"] = quat.twist_angle(lrot[:, hm.INDEX[f"{s}LowerArm"]], HINGE_AXES[f"{s}LowerArm"])
    e = quat.to_euler(trunk, "YXZ")
    out["trunkPitch"] = e[:, 1]
    out["trunkRoll"] = -e[:, 2]
    return {c: out[c] for c in fitted.STRIDE_CURVES}


def heel_strikes(clip: Clip, side: str) -> tuple[Array, Array]:
    """Heel-strike frames of one foot and the hips' forward speed ``[F]`` (m/s).

    Heel strike: a local maximum of the ankle's distance ahead of the hips along the smoothed direction
    of travel (Zeni et al. 2008), at least 0.1 m ahead and 0.6 s after the previous one.
    """
    fps = clip.fps
    _, gpos = clip.fk()
    hips = gpos[:, 0]
    v = np.gradient(smooth(hips[:, [0, 2]], fps, 0.3), axis=0) * fps
    speed = np.linalg.norm(v, axis=1)
    d = v / np.maximum(speed[:, None], 1e-9)
    ahead = np.sum((gpos[:, hm.INDEX[f"{side}Foot"], [0, 2]] - hips[:, [0, 2]]) * d, axis=1)
    ahead = smooth(ahead, fps, 0.02)
    peaks = [i for i in range(1, len(ahead) - 1) if ahead[i] >= ahead[i - 1] and ahead[i] > ahead[i + 1]]
    out: list[int] = []
    for p in peaks:
        if ahead[p] < 0.1 or speed[p] < 0.5:
            continue
        if out and p - out[-1] < 0.6 * fps:
            if ahead[p] > ahead[out[-1]]:
                out[-1] = p
            continue
        out.append(p)
    return np.array(out, dtype=np.int64), speed


def _mirror_name(c: str) -> str:
    return hm.mirror(c)


@dataclass
class Strides:
    """Strides of one take anchored on one side's heel strikes, resampled to SAMPLES_PER_STRIDE phases."""

    curves: Array  # [S, C, P], fitted.STRIDE_CURVES order; right-anchored strides are mirrored
    times: Array  # [S] seconds
    other_strike: Array  # [S] phase of the other foot's heel strike
    head: Array  # [S, 3, P] head yaw, pitch, roll in the world
    trunk: Array  # [S, 3, P] upperChest yaw, pitch, roll in the world
    pelvis: Array  # [S, len(fitted.PELVIS_CHANNELS), P] the pelvis and trunk waveforms (:func:`pelvis_channels`)


def strides(clip: Clip, side: str = "left") -> Strides:
    """Strides from one ``side`` heel strike to the next. For ``side="right"`` the curves are mirrored
    (left and right swapped, trunk roll negated), so they read as left-anchored strides of a mirrored
    walker: extra samples of stride-to-stride variation for a symmetric model."""
    fps = clip.fps
    per_frame = walk_curves(clip)
    if side == "right":
        per_frame = {c: (-1.0 if c == "trunkRoll" else 1.0) * per_frame[_mirror_name(c)] for c in per_frame}
    grot, gpos = clip.fk()
    head = quat.to_euler(grot[:, hm.INDEX["head"]], "YXZ").T
    trunk = quat.to_euler(grot[:, hm.INDEX["upperChest"]], "YXZ").T
    hs, speed = heel_strikes(clip, side)
    hs_o, _ = heel_strikes(clip, hm.mirror(side))
    rows, times, other, heads, trunks, pelvis = [], [], [], [], [], []
    phase = np.arange(SAMPLES_PER_STRIDE) / SAMPLES_PER_STRIDE
    durations = np.diff(hs) / fps
    med = float(np.median(durations)) if len(durations) else 0.0
    for a, b, dur in zip(hs[:-1], hs[1:], durations):
        if not (0.75 <= dur <= 1.6) or abs(dur - med) > 0.2 * med or speed[a:b].mean() < 0.6:
            continue  # gait initiation, slowing down or a missed heel strike
        mid = [r for r in hs_o if a < r < b]
        if len(mid) != 1:
            continue
        u = (np.arange(a, b + 1) - a) / (b - a)

        def resample(x: Array, a: int = a, b: int = b, u: Array = u) -> Array:
            return np.interp(phase, u, x[a : b + 1])

        rows.append([resample(per_frame[c]) for c in fitted.STRIDE_CURVES])
        heads.append([resample(np.unwrap(h)) for h in head])
        trunks.append([resample(np.unwrap(t)) for t in trunk])
        pelvis.append(pelvis_channels(grot, gpos, a, b, side))
        times.append(dur)
        other.append((mid[0] - a) / (b - a))
    shape = (0, len(fitted.STRIDE_CURVES), SAMPLES_PER_STRIDE)
    return Strides(
        np.array(rows).reshape((-1, *shape[1:])),
        np.array(times),
        np.array(other),
        np.array(heads).reshape(-1, 3, SAMPLES_PER_STRIDE),
        np.array(trunks).reshape(-1, 3, SAMPLES_PER_STRIDE),
        np.array(pelvis).reshape(-1, len(fitted.PELVIS_CHANNELS), SAMPLES_PER_STRIDE),
    )


def pelvis_channels(grot: Array, gpos: Array, a: int, b: int, side: str) -> Array:
    """The :data:`fitted.PELVIS_CHANNELS` of one stride (frames ``a`` to ``b``) ``[C, P]`` at the stride phases,
    each made periodic by taking off the ramp between its ends (drift over the stride, e.g. a path that curves;
    for ``forward``, the hips' travel along the stride's heading, the ramp is the stride's steady pace, so what
    is left is the surge: fastest in double support, slowest at mid-stance, so behind that pace at each heel
    strike and ahead of it early in stance).
    ``forward`` is the hips bone's, as ``vertical`` and ``lateral`` are: the walk moves the hips bone and turns
    the pelvis about it, so the hip joints' own surge (about 1 mm more, the tilt swinging them) follows there.

    Axes are the stride's own: forward is the hips' travel from ``a`` to ``b``, left is up x forward. The pelvis
    rotation relative to that heading is split as the walk composes it, ``Y(yaw) Z(roll) X(tilt)``; the trunk
    is upperChest relative to the hips, split the same way. Right-anchored strides are mirrored (the lateral
    offset, rolls and yaws negated), as :func:`strides` mirrors the curves.
    """
    hips = gpos[a : b + 1, 0]
    fwd = hips[-1] - hips[0]
    heading = np.arctan2(fwd[0], fwd[2])
    left = np.array([np.cos(heading), 0.0, -np.sin(heading)])
    ahead = np.array([np.sin(heading), 0.0, np.cos(heading)])
    q_heading = quat.from_axis_angle(np.array([0.0, 1.0, 0.0]), heading)
    pelvis = quat.to_euler(quat.mul(quat.conj(q_heading), grot[a : b + 1, 0]), "YZX")
    chest = grot[a : b + 1, hm.INDEX["upperChest"]]
    trunk = quat.to_euler(quat.mul(quat.conj(grot[a : b + 1, 0]), chest), "YZX")
    per_frame = {
        "vertical": hips[:, 1],
        "lateral": hips @ left,
        "roll": pelvis[:, 1],
        "yaw": np.unwrap(pelvis[:, 0]),
        "tilt": pelvis[:, 2],
        "trunkPitch": trunk[:, 2],
        "trunkRoll": trunk[:, 1],
        "trunkYaw": np.unwrap(trunk[:, 0]),
        "forward": hips @ ahead,  # the ramp taken off below is the stride's steady pace
    }
    sign = {c: -1.0 if side == "right" and c in fitted.PELVIS_MIRROR_NEGATES else 1.0 for c in per_frame}
    u = np.linspace(0.0, 1.0, b - a + 1)
    phase = np.arange(SAMPLES_PER_STRIDE) / SAMPLES_PER_STRIDE
    out = []
    for c in fitted.PELVIS_CHANNELS:
        x = per_frame[c] - (per_frame[c][-1] - per_frame[c][0]) * u
        out.append(sign[c] * np.interp(phase, u, x))
    return np.array(out)


def harmonic(curves: Array, k: int) -> tuple[Array, Array]:
    """Amplitude and phase (cycles, of the peak) of harmonic ``k`` of curves ``[..., P]``."""
    p = curves.shape[-1]
    c = np.fft.rfft(curves, axis=-1)[..., k] * 2.0 / p
    amp = np.abs(c)
    peak = (-np.angle(c) / (2 * np.pi * k)) % (1.0 / k)
    return amp, peak


def circular(phases: Array) -> dict[str, float]:
    """Circular mean (cycles, in [0, 1)) and circular SD (cycles) of phases."""
    z = np.exp(2j * np.pi * phases).mean()
    return {"mean": float((np.angle(z) / (2 * np.pi)) % 1.0), "sd": float(np.sqrt(-2 * np.log(abs(z))) / (2 * np.pi))}


def deviations(parts: list[Strides]) -> tuple[Array, Array]:
    """Stride curves ``[S, C * P]`` and stride times ``[S]`` (relative) as deviations from their own mean,
    scaled by sqrt(n / (n - 1)) so their spread estimates the stride-to-stride variance without bias."""
    rows = np.concatenate([p.curves for p in parts])
    times = np.concatenate([p.times for p in parts])
    n = len(rows)
    if n < 2:
        return np.zeros((0, rows[0].size if n else 0)), np.zeros(0)
    k = np.sqrt(n / (n - 1))
    return ((rows - rows.mean(axis=0)) * k).reshape(n, -1), (times - times.mean()) / times.mean() * k


PELVIS_HARMONICS = 6


def stride_harmonics(waves: Array) -> NDArray[np.complex128]:
    """Complex Fourier coefficients ``[..., PELVIS_HARMONICS]`` of stride waveforms ``[..., P]``: harmonic ``k``
    (``k`` cycles per stride) of ``x(u) = sum Re(c_k exp(2 pi i k u))``, ``u`` the stride phase."""
    p = waves.shape[-1]
    return np.asarray(np.fft.rfft(waves, axis=-1)[..., 1 : PELVIS_HARMONICS + 1] * 2.0 / p, dtype=np.complex128)


def fit_pelvis_waves(left: dict[str, list[Strides]], mirrored: dict[str, list[Strides]]) -> dict[str, Any]:
    """The mean pelvis and trunk waveforms of a symmetric walker and their stride-to-stride spread, as
    harmonics 1..PELVIS_HARMONICS of the stride.

    Each subject's left-anchored strides and mirrored right-anchored ones are pooled (a symmetric walker);
    the mean is the mean of the subjects' mean coefficients. The spread: each stride's coefficients minus
    the mean of its (subject, anchoring side) set, scaled by sqrt(n / (n - 1)); per harmonic the SD of the
    real and of the imaginary part (pooled: sqrt(mean |deviation|^2 / 2)). The trunk's deviations go against
    the pelvis's (correlation -0.4 to -0.97: the chest steadier in the world than the pelvis), so each trunk
    channel is also given as a regression on its pelvis partner (:data:`fitted.TRUNK_PARTNER`): per harmonic
    the slope (real) and the SD of what the slope leaves.
    """
    subj_means, devs = [], []
    for subject in sorted(left):
        sets = [np.concatenate([p.pelvis for p in parts]) for parts in (left[subject], mirrored[subject])]
        sets = [stride_harmonics(w) for w in sets if len(w)]
        if not sets:
            continue
        subj_means.append(np.concatenate(sets).mean(axis=0))
        for c in sets:
            if len(c) > 1:
                devs.append((c - c.mean(axis=0)) * np.sqrt(len(c) / (len(c) - 1)))
    mean = np.mean(subj_means, axis=0)  # [C, H]
    dev = np.concatenate(devs)
    sd = np.sqrt(np.mean(np.abs(dev) ** 2, axis=0) / 2.0)
    amp = np.abs(mean)
    names = list(fitted.PELVIS_CHANNELS)
    given: dict[str, Any] = {}
    for c, p in fitted.TRUNK_PARTNER.items():
        a, b = dev[:, names.index(p)], dev[:, names.index(c)]
        slope = np.real(np.mean(b * np.conj(a), axis=0)) / np.mean(np.abs(a) ** 2, axis=0)
        rest = np.sqrt(np.mean(np.abs(b - slope * a) ** 2, axis=0) / 2.0)
        given[c] = {"pelvis": p, "slope": np.round(slope, 5).tolist(), "residual_sd": np.round(rest, 6).tolist()}
    return {
        "definition": "x(u) = sum_k Re(c_k exp(2 pi i k u)), u the stride phase from the left heel strike, "
        "k = 1..harmonics; c_k as [real, imaginary]; sd per harmonic is that of each part, stride to stride",
        "channels": dict(fitted.PELVIS_CHANNELS),
        "harmonics": PELVIS_HARMONICS,
        "strides": int(len(dev)),
        "mean": {c: np.round(np.stack([mean[i].real, mean[i].imag], axis=-1), 6).tolist() for i, c in enumerate(names)},
        "sd": {c: np.round(sd[i], 6).tolist() for i, c in enumerate(names)},
        "fundamental": {c: int(np.argmax(amp[i]) + 1) for i, c in enumerate(names)},
        "trunk_given_pelvis": given,
        "between_subject_amplitude_sd": {
            c: np.round(np.abs(np.array(subj_means))[:, i].std(axis=0, ddof=1), 6).tolist() for i, c in enumerate(names)
        },
    }


HEEL_STRIKE_WINDOW_S = (-0.05, 0.3)  # the response is read from this long before to this long after each strike
HEEL_STRIKE_TAPER_S = (0.03, 0.1)  # half-Hann fades at its start and end, so the shipped shape starts and ends at 0
HEEL_STRIKE_SMOOTH_S = 0.013  # Gaussian on each strike's deviation from the mean: -3 dB near 10 Hz (marker jitter)
HEEL_STRIKE_PCS = 8  # principal components of the strike-to-strike deviation kept (at most)


def heel_strike_channels(clip: Clip) -> dict[str, Array]:
    """Per frame ``[F]`` each :data:`fitted.HEEL_STRIKE_CHANNELS` channel as :func:`pelvis_channels` splits them,
    in the axes of the smoothed direction of travel (``forward``: the hips' travel along it, summed; the ramp
    and the stride's harmonics are taken off per stride by :func:`heel_strike_windows`)."""
    fps = clip.fps
    grot, gpos = clip.fk()
    hips = gpos[:, 0]
    v = np.gradient(smooth(hips[:, [0, 2]], fps, 0.3), axis=0) * fps
    d = v / np.maximum(np.linalg.norm(v, axis=1)[:, None], 1e-9)
    travel = np.cumsum(np.sum(np.gradient(hips[:, [0, 2]], axis=0) * d, axis=1))
    q_heading = quat.from_axis_angle(np.array([0.0, 1.0, 0.0]), np.arctan2(d[:, 0], d[:, 1]))
    pelvis = quat.to_euler(quat.mul(quat.conj(q_heading), grot[:, 0]), "YZX")
    chest = grot[:, hm.INDEX["upperChest"]]
    trunk = quat.to_euler(quat.mul(quat.conj(grot[:, 0]), chest), "YZX")
    head = quat.to_euler(quat.mul(quat.conj(chest), grot[:, hm.INDEX["head"]]), "YZX")
    per_frame = {
        "vertical": hips[:, 1],
        "forward": travel,
        "tilt": pelvis[:, 2],
        "roll": pelvis[:, 1],
        "trunkPitch": trunk[:, 2],
        "trunkRoll": trunk[:, 1],
        "headPitch": head[:, 2],
    }
    return {c: per_frame[c] for c in fitted.HEEL_STRIKE_CHANNELS}


def heel_strike_windows(clip: Clip) -> dict[str, Array]:
    """Per channel ``[E, W]`` the response around each heel strike (both feet; a right one mirrored), frames
    HEEL_STRIKE_WINDOW_S around it: the channel less a line and harmonics 1..PELVIS_HARMONICS fitted (least
    squares) over the other foot's stride that holds the strike (the strike near its middle, so the window
    lies inside one stride; the takes are short: a same-side stride would lose the strikes at its ends).
    What is left is what the fitted stride waves lack: the loading response's shock."""
    fps = clip.fps
    ch = heel_strike_channels(clip)
    pre, post = (int(round(abs(s) * fps)) for s in HEEL_STRIKE_WINDOW_S)
    strikes = {side: heel_strikes(clip, side) for side in ("left", "right")}
    speed = strikes["left"][1]
    out: dict[str, list[Array]] = {c: [] for c in ch}
    for side in ("left", "right"):
        other = strikes[hm.mirror(side)][0]
        for e in strikes[side][0]:
            j = int(np.searchsorted(other, e))
            if j == 0 or j >= len(other):
                continue
            a, b = int(other[j - 1]), int(other[j])
            if not (0.75 <= (b - a) / fps <= 1.6) or speed[a:b].mean() < 0.6 or e - pre < a or e + post > b:
                continue  # gait initiation, slowing down, a missed strike, or a window leaving the stride
            u = (np.arange(a, b + 1) - a) / (b - a)
            k = np.arange(1, PELVIS_HARMONICS + 1)
            basis = np.column_stack(
                [np.ones_like(u), u, np.cos(2 * np.pi * np.outer(u, k)), np.sin(2 * np.pi * np.outer(u, k))]
            )
            for c, x in ch.items():
                coef, *_ = np.linalg.lstsq(basis, x[a : b + 1], rcond=None)
                rest = x[a : b + 1] - basis @ coef
                sign = -1.0 if side == "right" and c in fitted.PELVIS_MIRROR_NEGATES else 1.0
                out[c].append(sign * rest[e - pre - a : e + post + 1 - a])
    w = pre + post + 1
    return {c: np.array(v).reshape(-1, w) for c, v in out.items()}


def fit_heel_strikes(takes: list[tuple[str, Clip]]) -> dict[str, Any]:
    """The mean heel-strike response over every strike of every take (pooled: two subjects give 3 strikes
    each), tapered to 0 at the window's ends, and the strike-to-strike SD of each
    :data:`fitted.HEEL_STRIKE_GROUPS` group's amplitude (per strike the mean over the group's channels of the
    strike's projection on the mean shape; marker noise adds to it). Per subject and take, the amplitude of
    their own mean on the pooled one: a check that every walker shows the same response."""
    per_take = {name: heel_strike_windows(clip) for name, clip in takes}
    fps = {clip.fps for _, clip in takes}
    if len(fps) != 1:
        raise ValueError(f"the CMU walks have different frame rates {sorted(fps)}: resample them to one")
    hz = fps.pop()
    pooled = {c: np.concatenate([w[c] for w in per_take.values()]) for c in fitted.HEEL_STRIKE_CHANNELS}
    mean = {c: x.mean(axis=0) for c, x in pooled.items()}
    n = len(mean["vertical"])
    t = HEEL_STRIKE_WINDOW_S[0] + np.arange(n) / hz
    rise = np.clip((t - t[0]) / HEEL_STRIKE_TAPER_S[0], 0.0, 1.0)
    fall = np.clip((t[-1] - t) / HEEL_STRIKE_TAPER_S[1], 0.0, 1.0)
    taper = (0.5 - 0.5 * np.cos(np.pi * rise)) * (0.5 - 0.5 * np.cos(np.pi * fall))

    def amplitude(windows: dict[str, Array], group: tuple[str, ...]) -> Array:
        return np.mean([windows[c] @ mean[c] / (mean[c] @ mean[c]) for c in group], axis=0)

    groups = fitted.HEEL_STRIKE_GROUPS
    subjects: dict[str, list[dict[str, Array]]] = {}
    for name, w in per_take.items():
        subjects.setdefault(name.split("_")[1], []).append(w)

    def of_mean(ws: list[dict[str, Array]]) -> dict[str, float]:
        cat = {c: np.concatenate([w[c] for w in ws]) for c in mean}
        return {
            g: float(amplitude(cat, chans).mean()) if len(cat["vertical"]) else float("nan")
            for g, chans in groups.items()
        }

    # each strike's own response: the mean plus a deviation, drawn from the principal components of the strikes'
    # deviations (smoothed; each channel scaled by its mean's RMS for the decomposition, so no unit dominates)
    names = list(fitted.HEEL_STRIKE_CHANNELS)
    scale = np.array([np.sqrt(np.mean(mean[c] ** 2)) for c in names])
    dev = np.stack([smooth((pooled[c] - mean[c]).T, hz, HEEL_STRIKE_SMOOTH_S).T * taper for c in names], axis=1)
    n_strikes = len(dev)
    flat = (dev / scale[None, :, None]).reshape(n_strikes, -1) * np.sqrt(n_strikes / (n_strikes - 1))
    _, sv, vt = np.linalg.svd(flat, full_matrices=False)
    vt *= np.sign(vt[np.arange(len(vt)), np.argmax(np.abs(vt), axis=1)])[:, None]  # a fixed sign per PC
    var = sv**2 / n_strikes
    k = min(HEEL_STRIKE_PCS, len(var))
    pcs = vt[:k].reshape(k, len(names), n) * scale[None, :, None]
    return {
        "definition": "per heel strike, each channel less a line and stride harmonics 1-"
        f"{PELVIS_HARMONICS} fitted over the other foot's stride around it; mean over strikes (right ones mirrored), "
        "sampled at hz from start_s, faded in and out; amplitude: per strike and group, the mean of its channels' "
        "projections on the mean (1 = the mean)",
        "channels": dict(fitted.HEEL_STRIKE_CHANNELS),
        "hz": hz,
        "start_s": HEEL_STRIKE_WINDOW_S[0],
        "strikes": int(len(pooled["vertical"])),
        "strikes_per_take": {name: int(len(w["vertical"])) for name, w in per_take.items()},
        "mean": {c: np.round(m * taper, 7).tolist() for c, m in mean.items()},
        "deviation": {
            "definition": "strike-to-strike deviation from the mean, smoothed (Gaussian sigma smooth_s) and faded as "
            "the mean: principal components (pcs [K][channel] in the channels' units, unit-variance coefficients "
            "scaled by sqrt(variances)); share: of the deviations' variance (channels scaled by their mean's RMS)",
            "smooth_s": HEEL_STRIKE_SMOOTH_S,
            "variances": [float(f"{v:.5g}") for v in var[:k]],
            "share": float(var[:k].sum() / var.sum()),
            "pcs": [{c: np.round(pc[i], 7).tolist() for i, c in enumerate(names)} for pc in pcs],
        },
        "amplitude_sd": {g: float(amplitude(pooled, chans).std(ddof=1)) for g, chans in groups.items()},
        "amplitude_per_subject": {s: of_mean(ws) for s, ws in sorted(subjects.items())},
        "amplitude_per_take": {name: of_mean([w]) for name, w in per_take.items()},
    }


def fit_walking(takes: list[tuple[str, Clip]]) -> dict[str, Any]:
    names = list(fitted.STRIDE_CURVES)
    ci = {c: i for i, c in enumerate(names)}
    left: dict[str, list[Strides]] = {}
    mirrored: dict[str, list[Strides]] = {}
    stride_counts: dict[str, int] = {}
    for name, clip in takes:
        subject = name.split("_")[1]
        sl, sr = strides(clip, "left"), strides(clip, "right")
        stride_counts[name] = len(sl.curves)
        left.setdefault(subject, []).append(sl)
        mirrored.setdefault(subject, []).append(sr)
    subjects = sorted(s for s, parts in left.items() if sum(len(p.curves) for p in parts))
    # variation: within each subject and anchoring side, deviations from that set's own mean
    devs, dev_times = [], []
    for subject in subjects:
        for parts in (left[subject], mirrored[subject]):
            d, t = deviations(parts)
            if len(d):
                devs.append(d)
                dev_times.append(t)
    dev_all = np.concatenate(devs)
    _, sv, vt = np.linalg.svd(dev_all, full_matrices=False)
    vt *= np.sign(vt[np.arange(len(vt)), np.argmax(np.abs(vt), axis=1)])[:, None]  # a fixed sign per PC
    var = sv**2 / len(dev_all)
    frac = np.cumsum(var) / var.sum()
    k = int(min(MAX_PCS, np.searchsorted(frac, PC_VARIANCE_KEPT) + 1))
    # descriptive statistics: left-anchored (unmirrored) strides only
    by_subj = {s: np.concatenate([p.curves for p in left[s]]) for s in subjects}
    subj_means = np.stack([by_subj[s].mean(axis=0) for s in subjects])
    rom_cv: dict[str, list[float]] = {c: [] for c in names}
    point_sd: dict[str, list[float]] = {c: [] for c in names}
    for rows in by_subj.values():
        if len(rows) < 2:
            continue
        rom = np.ptp(rows, axis=2)
        for c, i in ci.items():
            rom_cv[c].append(float(rom[:, i].std(ddof=1) / rom[:, i].mean()))
            point_sd[c].append(float(np.sqrt(np.mean(rows[:, i].var(axis=0, ddof=1)))))
    parts_l = [p for s in subjects for p in left[s]]
    stacked = np.concatenate([p.curves for p in parts_l])
    times = np.concatenate([p.times for p in parts_l])
    amp = {s: np.ptp(stacked[:, ci[f"{s}Shoulder"]], axis=1) for s in ("left", "right")}
    peak = {s: np.argmax(stacked[:, ci[f"{s}Shoulder"]], axis=1) / SAMPLES_PER_STRIDE for s in ("left", "right")}
    asym = (amp["left"] - amp["right"]) / (0.5 * (amp["left"] + amp["right"]))
    pitch1, _ = harmonic(stacked[:, ci["trunkPitch"]], 1)
    pitch2, pitch2_peak = harmonic(stacked[:, ci["trunkPitch"]], 2)
    roll1, roll1_peak = harmonic(stacked[:, ci["trunkRoll"]], 1)
    roll2, _ = harmonic(stacked[:, ci["trunkRoll"]], 2)
    head = np.concatenate([p.head for p in parts_l])
    trunk = np.concatenate([p.trunk for p in parts_l])
    ratio = np.median(head.std(axis=2) / np.maximum(trunk.std(axis=2), 1e-9), axis=0)
    time_dev = np.concatenate(dev_times)
    return {
        "samples_per_stride": SAMPLES_PER_STRIDE,
        "phase_zero": "left heel strike",
        "curves": names,
        "curve_definitions": dict(fitted.STRIDE_CURVES),
        "strides_per_take": stride_counts,
        "strides": int(len(stacked)),
        "variation_samples": int(len(dev_all)),
        "subjects": subjects,
        "mean_curves": {c: np.round(subj_means.mean(axis=0)[i], 5).tolist() for c, i in ci.items()},
        "between_subject_sd": {c: np.round(subj_means[:, i].std(axis=0, ddof=1), 5).tolist() for c, i in ci.items()},
        "pc_variances": [float(f"{v:.5g}") for v in var[:k]],
        "pc_variance_fraction": float(frac[k - 1]),
        "pcs": np.round(vt[:k], 5).tolist(),
        "stride_time": {"cv": float(np.sqrt(np.mean(time_dev**2))), "mean_s": float(times.mean())},
        "right_heel_strike_phase": circular(np.concatenate([p.other_strike for p in parts_l])),
        "rom_cv": {c: float(np.mean(v)) for c, v in rom_cv.items()},
        "pointwise_sd_rad": {c: float(np.mean(v)) for c, v in point_sd.items()},
        "arm_swing": {
            "definition": "range of the shoulder curve per stride; phase of its maximum (forward-most arm)",
            "amplitude_rad": {s: describe(a) for s, a in amp.items()},
            "amplitude_cv": float(np.mean([a.std(ddof=1) / a.mean() for a in amp.values()])),
            "peak_phase": {s: circular(p) for s, p in peak.items()},
            "left_right_asymmetry": {"mean": float(asym.mean()), "sd": float(asym.std(ddof=1))},
        },
        "trunk": {
            "pitch_step_frequency_amplitude_rad": describe(pitch2),
            "pitch_step_frequency_peak_phase": circular(pitch2_peak * 2.0),
            "pitch_stride_frequency_amplitude_rad": describe(pitch1),
            "roll_stride_frequency_amplitude_rad": describe(roll1),
            "roll_stride_frequency_peak_phase": circular(roll1_peak),
            "roll_step_frequency_amplitude_rad": describe(roll2),
        },
        "pelvis_waves": fit_pelvis_waves(left, mirrored),
        "heel_strike": fit_heel_strikes(takes),
        "head_stabilisation": {
            "definition": "per stride, SD over the stride of the head's world yaw, pitch and roll divided by the "
            "same for upperChest; median over strides (< 1: the head turns less than the trunk)",
            "head_over_trunk": {"yaw": float(ratio[0]), "pitch": float(ratio[1]), "roll": float(ratio[2])},
        },
    }


# -- the whole fit -------------------------------------------------------------------------------------


def provenance(data: Path, idle: list[Path], walks: list[Path]) -> dict[str, Any]:
    return {
        "generated_by": "scripts/fit_motion_stats.py",
        "retargeted_onto": "the 1.65 m default avatar (posers_blender.engine.skeleton.default_avatar)",
        "sources": {
            "reactidle": {
                "licence": "MIT",
                "notice": REACTIDLE_NOTICE,
                "files": [file_entry(p, data) for p in idle],
            },
            "cmu": {
                "licence": "CMU Graphics Lab Motion Capture Database: free for all uses; the data may not be resold",
                "notice": CMU_ACK,
                "files": [file_entry(p, data) for p in walks],
            },
        },
        "not_used": "Bandai Namco (bnr1_*, CC BY-NC) and Xia (xia_*, research only) clips are never read",
    }


def source_files(data: Path) -> tuple[list[Path], list[Path]]:
    idle = sorted(data.glob(IDLE_GLOB))
    walks = sorted(p for g in WALK_GLOBS for p in data.glob(g))
    for p in idle + walks:
        if p.name.startswith(("bnr1_", "xia_")):
            raise ValueError(f"'{p}' is not licensed for shipping")
    if not idle or not walks:
        raise FileNotFoundError(f"no ReActIdle or CMU clips under '{data}': pass --data pointing at shared/data")
    return idle, walks


def fit(data: Path) -> dict[str, Any]:
    """The statistics document: provenance, quiet standing, walking."""
    idle, walks = source_files(data)
    return {
        "format": fitted.FORMAT,
        "meta": provenance(data, idle, walks),
        "standing": fit_standing([(p.stem, *load_idle(p)) for p in idle]),
        "walking": fit_walking([(p.stem, load_walk(p)) for p in walks]),
    }


def _round_floats(obj: Any) -> Any:
    if isinstance(obj, float):
        return float(f"{obj:.6g}")
    if isinstance(obj, dict):
        return {k: _round_floats(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_round_floats(v) for v in obj]
    return obj


def write(doc: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(_round_floats(doc), separators=(",", ":")) + "\n", encoding="utf-8")


def headline(doc: dict[str, Any]) -> str:
    st, wk = doc["standing"], doc["walking"]
    r, ev = st["window_rms"], st["events"]
    lines = [
        f"standing: {st['takes']} takes, {st['seconds']:.0f} s",
        f"  pelvis roll RMS in {r['window_s']:.0f}-s windows: {np.degrees(r['full']['pelvis_roll_rad']):.2f} deg "
        f"(event-free {np.degrees(r['residual']['pelvis_roll_rad']):.2f})",
        f"  pelvis lateral RMS: {1000 * r['full']['pelvis_lateral_m']:.1f} mm "
        f"(event-free {1000 * r['residual']['pelvis_lateral_m']:.1f})",
    ]
    for kind, e in ev.items():
        iv, amp = e["interval"], e["amplitude"]
        lines.append(
            f"  {kind}: {e['count']} events, {e['rate_per_min']:.2f}/min, interval mean {iv.get('mean', float('nan')):.1f} s "
            f"(CV {iv.get('cv') or float('nan'):.2f}, gamma k {iv['gamma_shape']:.2f}), amplitude median "
            f"{amp.get('median', float('nan')):.3g} {e['detector']['unit']}, toward centre {e['p_toward_centre']:.2f}"
        )
    lines.append(
        f"walking: {wk['strides']} strides ({wk['variation_samples']} with mirrored), subjects {', '.join(wk['subjects'])}; stride time CV "
        f"{100 * wk['stride_time']['cv']:.1f}%; {len(wk['pc_variances'])} PCs keep {100 * wk['pc_variance_fraction']:.0f}%"
    )
    lines.append(
        "  ROM CV: " + ", ".join(f"{c} {100 * v:.1f}%" for c, v in wk["rom_cv"].items() if not c.startswith("right"))
    )
    pw = wk["pelvis_waves"]
    amps = {
        c: np.hypot(*np.asarray(v).T) * (1000.0 if c in ("vertical", "lateral", "forward") else np.degrees(1.0))
        for c, v in pw["mean"].items()
    }
    lines.append(
        "  pelvis/trunk harmonics 1-6 (mm or deg): "
        + "; ".join(
            f"{c} " + " ".join(f"{a:.2g}" for a in v)
            for c, v in amps.items()
            if c in ("vertical", "forward", "roll", "trunkYaw")
        )
    )
    hsr = wk["heel_strike"]
    peaks = {
        c: np.ptp(v) * (1000.0 if c in ("vertical", "forward") else np.degrees(1.0)) for c, v in hsr["mean"].items()
    }
    lines.append(
        f"  heel-strike response ({hsr['strikes']} strikes), peak to peak (mm or deg): "
        + ", ".join(f"{c} {v:.2g}" for c, v in peaks.items())
        + "; amplitude SD "
        + ", ".join(f"{g} {v:.2f}" for g, v in hsr["amplitude_sd"].items())
    )
    hs = wk["head_stabilisation"]["head_over_trunk"]
    lines.append("  head/trunk: " + ", ".join(f"{k} {v:.2f}" for k, v in hs.items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared/data folder")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON")
    args = ap.parse_args(argv)
    try:
        doc = fit(args.data)
    except (FileNotFoundError, ValueError) as e:
        print(f"fit_motion_stats: {e}", file=sys.stderr)
        return 2
    write(doc, args.out)
    print(headline(doc))
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
