"""Window features for the realism check: one vector per 2-s window of a take.

Every feature is computed on the default avatar's joint positions (metres, seconds), so values read the same
for mocap and generated motion. Groups (metrics file §§2-6 and §4's hand-crafted-feature idea):

- **pose**: mean position of each joint relative to the hips in the body's heading frame, and how far it
  wanders around that mean;
- **kinetics**: mean speed, acceleration and jerk of each joint (relative to the hips; the hips in the world),
  after a zero-lag 8 Hz low-pass (metrics §0);
- **bands**: share of velocity power in 0.1-1, 1-2, 2-4 and 4-8 Hz, total power and the share of the single
  strongest frequency, for the hips, chest, head, hands and feet;
- **coordination**: correlation of the speed profiles of joint pairs at zero lag, the peak correlation within
  +-0.5 s and its lag (who leads whom);
- **repetition**: the strongest self-similarity of the whole body's motion at a lag of 0.3-1.3 s (a stride or
  a breath; 1 means every cycle is a copy of the last) and that lag;
- **root path**: walking speed, vertical and sideways hips motion, turning;
- **contacts**: share of time each foot is planted, both planted, changes per second, planted-foot slip;
- **head**: pitch of the face, spread of head yaw against the body, head turning speed (only when every take
  has a head bone);
- **stillness**: share of frames in which nothing moves faster than 1 cm/s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ...engine.skeleton import default_avatar
from ..signal import derivative, lowpass
from .windows import CORE_JOINTS, HOP_S, WINDOW_S, Take, window_starts

Array = NDArray[np.float64]

BANDS_HZ: tuple[tuple[float, float], ...] = ((0.1, 1.0), (1.0, 2.0), (2.0, 4.0), (4.0, 8.0))
SPECTRAL_JOINTS = ("hips", "chest", "head", "leftHand", "rightHand", "leftFoot", "rightFoot")
PAIRS: tuple[tuple[str, str], ...] = (
    ("hips", "head"),
    ("chest", "hips"),
    ("head", "chest"),
    ("leftHand", "rightHand"),
    ("leftHand", "rightFoot"),
    ("rightHand", "leftFoot"),
    ("leftFoot", "rightFoot"),
)
MAX_LAG_S = 0.5
REPEAT_LAGS_S = (0.3, 1.3)
LOWPASS_HZ = 8.0
# Contact rule (metrics file §0): joint within 3 cm of its standing height and slower than 0.3 m/s.
PLANT_HEIGHT = 0.03
PLANT_SPEED = 0.3
STILL_SPEED = 0.01
_EPS_SPEED = 1e-3  # m/s: floor inside the logs, far below any visible motion
_AXES = ("sideways", "up", "forward")


#: Features that only pelvis tilt and roll move: the hip line's slope, the hips-to-spine lean, and the spine
#: joint (rigid on the hips: against them it moves only when the pelvis tilts). Left out when a take's source
#: has no pelvis tilt (``Take.pelvis_known``), or a rig, not a person, would give the clip away.
#: The posture features: the mean pose angles, the wrists' mean places, the mean face pitch and the hips height.
#: ``compare(..., texture=True)`` leaves them out, to judge how a motion moves rather than the pose it holds (a
#: designed pose, hands on the hips, is not in people's quiet standing and gives a clip away on its own).
def is_posture_feature(key: str) -> bool:
    return key.startswith("pose.") or key in ("head.pitch", "root.height")


PELVIS_TILT_FEATURES = frozenset(
    {"pose.pelvis_tilt", "pose.pelvis_drop", *(f"{k}.spine" for k in ("wander", "speed", "accel", "jerk"))}
)

_WORDS = {
    "hips": "hips",
    "spine": "spine",
    "chest": "chest",
    "neck": "neck",
    "head": "head",
    "leftUpperArm": "left shoulder",
    "rightUpperArm": "right shoulder",
    "leftLowerArm": "left elbow",
    "rightLowerArm": "right elbow",
    "leftHand": "left wrist",
    "rightHand": "right wrist",
    "leftUpperLeg": "left hip joint",
    "rightUpperLeg": "right hip joint",
    "leftLowerLeg": "left knee",
    "rightLowerLeg": "right knee",
    "leftFoot": "left ankle",
    "rightFoot": "right ankle",
    "leftToes": "left ball of foot",
    "rightToes": "right ball of foot",
}


@dataclass(frozen=True)
class Feature:
    """A feature's key (stable, for JSON), its description in words and its unit."""

    key: str
    words: str
    unit: str
    log: bool = False  # stored as a natural log; reports show exp(value)

    def display(self, value: float) -> float:
        return float(np.exp(value)) if self.log else float(value)


def _windows(x: Array, starts: Sequence[int], w: int) -> Array:
    """``x [F, ...]`` gathered into ``[W, w, ...]``."""
    idx = np.asarray(starts, dtype=np.int64)[:, None] + np.arange(w)[None, :]
    return x[idx]


def _heading_rotation(pos: Array, jidx: dict[str, int]) -> Array:
    """Per-window rotation matrices ``[W, 3, 3]`` about +Y that turn the body's mean left to +X (facing +Z)."""
    left = pos[:, :, jidx["leftUpperLeg"]] - pos[:, :, jidx["rightUpperLeg"]]
    if "leftUpperArm" in jidx and "rightUpperArm" in jidx:
        left = left + pos[:, :, jidx["leftUpperArm"]] - pos[:, :, jidx["rightUpperArm"]]
    v = left.mean(axis=1)
    a = np.arctan2(v[:, 2], v[:, 0])  # R_y(a) takes (x, 0, z) to a vector with zero z
    c, s = np.cos(a), np.sin(a)
    r = np.zeros((len(a), 3, 3))
    r[:, 0, 0], r[:, 0, 2], r[:, 1, 1], r[:, 2, 0], r[:, 2, 2] = c, s, 1.0, -s, c
    return r


def _xcorr(a: Array, b: Array, max_lag: int) -> tuple[Array, NDArray[np.int64]]:
    """Normalised cross-correlation ``[W, 2L+1]`` of mean-removed ``a, b [W, w]`` at lags -L..L (b later)."""
    a = a - a.mean(axis=1, keepdims=True)
    b = b - b.mean(axis=1, keepdims=True)
    den = np.sqrt((a * a).sum(axis=1) * (b * b).sum(axis=1)) + 1e-12
    lags = np.arange(-max_lag, max_lag + 1)
    w = a.shape[1]
    out = np.empty((a.shape[0], len(lags)))
    for i, k in enumerate(lags):
        if k >= 0:
            out[:, i] = (a[:, : w - k] * b[:, k:]).sum(axis=1)
        else:
            out[:, i] = (a[:, -k:] * b[:, : w + k]).sum(axis=1)
    return out / den[:, None], lags


def window_features(
    take: Take, joints: Sequence[str], head: bool = True, window_s: float = WINDOW_S, hop_s: float = HOP_S
) -> tuple[Array, list[Feature]]:
    """Features ``[W, D]`` of a take's windows on ``joints`` (a subset of :data:`CORE_JOINTS` holding the hips,
    hip joints and feet), and their descriptions. ``head`` adds the head-orientation features."""
    fs = take.fps
    w = int(round(window_s * fs))
    starts = window_starts(take.n_frames, fs, window_s, hop_s)
    joints = [j for j in CORE_JOINTS if j in set(joints)]
    jidx = {j: i for i, j in enumerate(joints)}
    cols = [CORE_JOINTS.index(j) for j in joints]
    pos_all = take.pos[:, cols]
    smooth = lowpass(pos_all, fs, min(LOWPASS_HZ, 0.45 * fs))
    vel_all = derivative(smooth, fs)
    acc_all = derivative(vel_all, fs)
    jerk_all = derivative(acc_all, fs)
    feats: list[Feature] = []
    cols_out: list[Array] = []

    def add(f: Feature, v: Array) -> None:
        feats.append(f)
        cols_out.append(np.asarray(v, dtype=np.float64))

    if not starts:
        return np.zeros((0, 0)), []
    pos = _windows(pos_all, starts, w)  # [W, w, J, 3]
    vel = _windows(vel_all, starts, w)
    acc = _windows(acc_all, starts, w)
    jerk = _windows(jerk_all, starts, w)
    rot = _heading_rotation(pos, jidx)
    h = jidx["hips"]
    rel = np.einsum("wab,wtjb->wtja", rot, pos - pos[:, :, h : h + 1])
    vel_rel = vel - vel[:, :, h : h + 1]
    acc_rel = acc - acc[:, :, h : h + 1]
    jerk_rel = jerk - jerk[:, :, h : h + 1]
    vel_rel[:, :, h], acc_rel[:, :, h], jerk_rel[:, :, h] = vel[:, :, h], acc[:, :, h], jerk[:, :, h]
    speed_rel = np.linalg.norm(vel_rel, axis=-1)  # [W, w, J]

    # -- pose: angles a person would name, the wrists' places, and how far each joint wanders ------------------
    def vec(a: str, b: str) -> Array:
        return rel[:, :, jidx[b]] - rel[:, :, jidx[a]]

    def deg(y: Array, x: Array) -> Array:
        return np.asarray(np.degrees(np.arctan2(y, x)).mean(axis=1), dtype=np.float64)

    def bend(a: str, b: str, c: str) -> Array:
        u, v = vec(a, b), vec(b, c)
        cos = (u * v).sum(-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1) + 1e-12)
        return np.asarray(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))).mean(axis=1), dtype=np.float64)

    top = "neck" if "neck" in jidx else "head"
    trunk = vec("hips", top)
    add(
        Feature("pose.trunk_lean_forward", "trunk lean forward (hips to neck, mean)", "°"),
        deg(trunk[..., 2], trunk[..., 1]),
    )
    add(Feature("pose.trunk_lean_side", "trunk lean to the left (mean)", "°"), deg(trunk[..., 0], trunk[..., 1]))
    if "spine" in jidx:
        pel = vec("hips", "spine")
        add(Feature("pose.pelvis_tilt", "pelvis tilt forward (mean)", "°"), deg(pel[..., 2], pel[..., 1]))
    hipline = vec("rightUpperLeg", "leftUpperLeg")
    add(Feature("pose.pelvis_drop", "pelvis raised on the left (mean)", "°"), deg(hipline[..., 1], hipline[..., 0]))
    if "chest" in jidx and top in jidx:
        add(Feature("pose.back_bend", "upper back bent against the lower back (mean)", "°"), bend("hips", "chest", top))
    if "neck" in jidx and "head" in jidx:
        nh = vec("neck", "head")
        add(Feature("pose.head_forward", "head carried forward of the neck (mean)", "°"), deg(nh[..., 2], nh[..., 1]))
    for s in ("left", "right"):
        sh, el, wr = f"{s}UpperArm", f"{s}LowerArm", f"{s}Hand"
        if sh in jidx and el in jidx:
            ua = vec(sh, el)
            out = ua[..., 0] if s == "left" else -ua[..., 0]
            add(Feature(f"pose.{s}_arm_out", f"{s} upper arm raised sideways (mean)", "°"), deg(out, -ua[..., 1]))
            add(
                Feature(f"pose.{s}_arm_forward", f"{s} upper arm swung forward (mean)", "°"),
                deg(ua[..., 2], -ua[..., 1]),
            )
            if wr in jidx:
                add(Feature(f"pose.{s}_elbow", f"{s} elbow bend (mean)", "°"), bend(sh, el, wr))
                for k, axis in enumerate(_AXES):
                    add(
                        Feature(f"pose.{wr}.{axis}", f"{s} wrist position {axis} of the hips (mean)", "m"),
                        rel[:, :, jidx[wr], k].mean(axis=1),
                    )
        add(Feature(f"pose.{s}_knee", f"{s} knee bend (mean)", "°"), bend(f"{s}UpperLeg", f"{s}LowerLeg", f"{s}Foot"))
        if f"{s}Toes" in jidx:
            ft = vec(f"{s}Foot", f"{s}Toes")
            turn = ft[..., 0] if s == "left" else -ft[..., 0]
            add(Feature(f"pose.{s}_toe_out", f"{s} foot turned out (mean)", "°"), deg(turn, ft[..., 2]))
    feet = vec("rightFoot", "leftFoot")
    add(Feature("pose.stance_width", "distance between the ankles sideways (mean)", "m"), feet[..., 0].mean(axis=1))
    add(Feature("pose.stagger", "left ankle ahead of the right (mean)", "m"), feet[..., 2].mean(axis=1))
    for j in joints:
        if j == "hips":
            continue
        i = jidx[j]
        spread = np.sqrt(rel[:, :, i].var(axis=1).sum(axis=-1))
        add(
            Feature(f"wander.{j}", f"{_WORDS[j]} wander around its mean place (RMS)", "m", log=True),
            np.log(spread + 1e-4),
        )

    # -- kinetics ---------------------------------------------------------------------------------
    for j in joints:
        i = jidx[j]
        frame = "in the world" if j == "hips" else "relative to the hips"
        add(
            Feature(f"speed.{j}", f"{_WORDS[j]} mean speed {frame}", "m/s", log=True),
            np.log(speed_rel[:, :, i].mean(axis=1) + _EPS_SPEED),
        )
        add(
            Feature(f"accel.{j}", f"{_WORDS[j]} mean acceleration {frame}", "m/s²", log=True),
            np.log(np.linalg.norm(acc_rel[:, :, i], axis=-1).mean(axis=1) + 0.01),
        )
        add(
            Feature(f"jerk.{j}", f"{_WORDS[j]} mean jerk {frame}", "m/s³", log=True),
            np.log(np.linalg.norm(jerk_rel[:, :, i], axis=-1).mean(axis=1) + 0.1),
        )

    # -- band powers ----------------------------------------------------------------------------------
    nfft = 4 * w
    freqs = np.fft.rfftfreq(nfft, 1.0 / fs)
    hann = np.hanning(w)[None, :, None]
    for j in SPECTRAL_JOINTS:
        if j not in jidx:
            continue
        v = vel_rel[:, :, jidx[j]]
        v = v - v.mean(axis=1, keepdims=True)
        p = (np.abs(np.fft.rfft(v * hann, n=nfft, axis=1)) ** 2).sum(axis=-1)  # [W, nf]
        valid = (freqs >= BANDS_HZ[0][0]) & (freqs <= BANDS_HZ[-1][1])
        total = p[:, valid].sum(axis=1) + 1e-18
        add(
            Feature(f"power.{j}", f"{_WORDS[j]} total velocity power 0.1-8 Hz", "(m/s)²", log=True),
            np.log(total / w**2 + 1e-10),
        )
        for lo, hi in BANDS_HZ:
            sel = (freqs >= lo) & (freqs < hi) if hi < BANDS_HZ[-1][1] else (freqs >= lo) & (freqs <= hi)
            add(
                Feature(f"band.{j}.{lo:g}-{hi:g}Hz", f"{_WORDS[j]} share of motion at {lo:g}-{hi:g} Hz", "share"),
                p[:, sel].sum(axis=1) / total,
            )
        add(
            Feature(f"peak.{j}", f"{_WORDS[j]} share of motion in its single strongest frequency", "share"),
            p[:, valid].max(axis=1) / total,
        )

    # -- coordination ------------------------------------------------------------------------------------
    lag_n = max(1, int(round(MAX_LAG_S * fs)))
    for a, b in PAIRS:
        if a not in jidx or b not in jidx:
            continue
        r, lags = _xcorr(speed_rel[:, :, jidx[a]], speed_rel[:, :, jidx[b]], lag_n)
        zero = r[:, lag_n]
        best = np.abs(r).argmax(axis=1)
        words = f"{_WORDS[a]} and {_WORDS[b]} speeds"
        add(Feature(f"corr0.{a}.{b}", f"{words}: correlation at the same instant", "r"), zero)
        add(
            Feature(f"corrmax.{a}.{b}", f"{words}: strongest correlation within ±{MAX_LAG_S:g} s", "|r|"),
            np.abs(r)[np.arange(len(r)), best],
        )
        add(
            Feature(f"lag.{a}.{b}", f"{words}: lag of the strongest correlation ({_WORDS[b]} later > 0)", "s"),
            lags[best] / fs,
        )

    # -- repetition ------------------------------------------------------------------------------------
    x = vel_rel.reshape(vel_rel.shape[0], w, -1)
    x = x - x.mean(axis=1, keepdims=True)
    lo_k, hi_k = int(round(REPEAT_LAGS_S[0] * fs)), min(int(round(REPEAT_LAGS_S[1] * fs)), w - 4)
    ac = []
    for k in range(lo_k, hi_k + 1):
        num = (x[:, : w - k] * x[:, k:]).sum(axis=(1, 2))
        den = np.sqrt((x[:, : w - k] ** 2).sum(axis=(1, 2)) * (x[:, k:] ** 2).sum(axis=(1, 2))) + 1e-12
        ac.append(num / den)
    ac_arr = np.stack(ac, axis=1)
    add(
        Feature("repeat.strength", "whole-body self-similarity after one cycle (1 = each cycle a copy)", "r"),
        ac_arr.max(axis=1),
    )
    add(Feature("repeat.lag", "length of that cycle", "s"), (lo_k + ac_arr.argmax(axis=1)) / fs)

    # -- root path -----------------------------------------------------------------------------------------
    hips_w = pos[:, :, h]
    hv = vel[:, :, h]
    add(
        Feature("root.speed", "walking speed of the hips (horizontal)", "m/s"),
        np.linalg.norm(hv[:, :, [0, 2]], axis=-1).mean(axis=1),
    )
    add(Feature("root.height", "hips height above the floor", "m"), hips_w[:, :, 1].mean(axis=1))
    add(Feature("root.bob", "hips up-down motion (SD)", "m", log=True), np.log(hips_w[:, :, 1].std(axis=1) + 1e-4))
    local = np.einsum("wab,wtb->wta", rot, hips_w - hips_w.mean(axis=1, keepdims=True))
    t = np.arange(w) - (w - 1) / 2
    side = local[:, :, 0] - np.outer(local[:, :, 0] @ t / (t @ t), t)
    fwd = local[:, :, 2] - np.outer(local[:, :, 2] @ t / (t @ t), t)
    add(
        Feature("root.sway", "hips side-to-side motion around a straight path (SD)", "m", log=True),
        np.log(side.std(axis=1) + 1e-4),
    )
    add(
        Feature("root.surge", "hips forward-back motion around a steady pace (SD)", "m", log=True),
        np.log(fwd.std(axis=1) + 1e-4),
    )
    left_line = pos[:, :, jidx["leftUpperLeg"]] - pos[:, :, jidx["rightUpperLeg"]]
    yaw = np.unwrap(np.arctan2(left_line[:, :, 2], left_line[:, :, 0]), axis=1)
    yaw_rate = np.degrees(np.abs(np.gradient(yaw, 1.0 / fs, axis=1)))
    add(Feature("root.turn_rate", "pelvis turning speed (mean)", "°/s"), yaw_rate.mean(axis=1))
    add(Feature("root.yaw_spread", "pelvis yaw around its mean (SD)", "°"), np.degrees(yaw.std(axis=1)))

    # -- contacts -----------------------------------------------------------------------------------------
    rest = default_avatar().rest_positions()
    from ... import humanoid as hm

    planted = []
    for s in ("left", "right"):
        foot = f"{s}Foot"
        toes = f"{s}Toes"
        hi = pos[:, :, jidx[foot], 1] - rest[hm.INDEX[foot], 1]
        spd = np.linalg.norm(vel[:, :, jidx[foot]][:, :, [0, 2]], axis=-1)
        if toes in jidx:
            hi = np.minimum(hi, pos[:, :, jidx[toes], 1] - rest[hm.INDEX[toes], 1])
            spd = np.minimum(spd, np.linalg.norm(vel[:, :, jidx[toes]][:, :, [0, 2]], axis=-1))
        pl = (hi < PLANT_HEIGHT) & (spd < PLANT_SPEED)
        planted.append(pl)
        add(Feature(f"contact.{s}", f"share of time the {s} foot is planted", "share"), pl.mean(axis=1))
        slip = np.where(pl, spd, 0.0).sum(axis=1) / np.maximum(pl.sum(axis=1), 1)
        add(Feature(f"slip.{s}", f"{s} foot speed while planted", "m/s", log=True), np.log(slip + _EPS_SPEED))
    both = planted[0] & planted[1]
    add(Feature("contact.both", "share of time both feet are planted", "share"), both.mean(axis=1))
    changes = (
        np.abs(np.diff(planted[0].astype(int), axis=1)).sum(axis=1)
        + np.abs(np.diff(planted[1].astype(int), axis=1)).sum(axis=1)
    ) / window_s
    add(Feature("contact.changes", "foot contacts made or broken per second", "1/s"), changes)

    # -- head -------------------------------------------------------------------------------------------
    if head:
        f = _windows(take.head_fwd, starts, w)
        f_local = np.einsum("wab,wtb->wta", rot, f)
        pitch = np.degrees(np.arcsin(np.clip(f_local[:, :, 1], -1.0, 1.0)))
        hyaw = np.degrees(np.unwrap(np.arctan2(f_local[:, :, 0], f_local[:, :, 2]), axis=1))
        add(Feature("head.pitch", "face pitch (up > 0, mean)", "°"), pitch.mean(axis=1))
        add(Feature("head.yaw_spread", "head yaw against the body (SD)", "°"), hyaw.std(axis=1))
        ang = np.degrees(np.arccos(np.clip((f[:, 1:] * f[:, :-1]).sum(axis=-1), -1.0, 1.0))) * fs
        add(Feature("head.turn_speed", "head turning speed (mean)", "°/s", log=True), np.log(ang.mean(axis=1) + 0.1))

    # -- stillness ------------------------------------------------------------------------------------------
    moving = speed_rel.max(axis=2) > STILL_SPEED
    add(
        Feature("still.share", "share of frames in which nothing moves faster than 1 cm/s", "share"),
        1.0 - moving.mean(axis=1),
    )
    return np.stack(cols_out, axis=1), feats
