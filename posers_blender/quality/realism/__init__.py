"""Realism: can a classifier tell generated motion from real people? (issue 13; metrics file §5, Tier C4)

Both sides are put on one body and rate (:mod:`.windows`), cut into 2-s windows, described by a rich
hand-crafted feature set (:mod:`.features`), and a regularised logistic regression is cross-validated so no
person or seed is in both training and test (:mod:`.classifier`). The ROC AUC of its held-out scores is the
realism score: 0.5 means real and generated windows cannot be told apart, 1.0 that they always can.

    from posers_blender.quality.realism import compare, file_take, motion_takes
    result = compare(motion_takes(get("idle-breathe"), seeds=(0, 1, 2), seconds=30), [file_take(p) for p in files])
    print(result.table()); result.auc
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ...engine.program import MotionProgram
from ...engine.sampler import sample
from ...engine.skeleton import default_avatar
from .classifier import feature_aucs, grouped_auc
from .features import PELVIS_TILT_FEATURES, Feature, is_posture_feature, window_features
from .report import FeatureGap, RealismResult, verdict
from .windows import HOP_S, WINDOW_S, Take, common_joints, common_rate, file_take, take_files, take_from_clip

__all__ = [
    "FeatureGap",
    "RealismResult",
    "Take",
    "compare",
    "file_take",
    "motion_takes",
    "take_files",
    "take_from_clip",
    "verdict",
]

#: Held-out groups per class when a class has only one person (or seed): its takes, else 3 time blocks.
MIN_GROUPS = 2
TIME_BLOCKS = 3


def motion_takes(
    program: MotionProgram,
    seeds: Sequence[int] = (0, 1, 2),
    seconds: float = 30.0,
    fps: float = 30.0,
    params: Mapping[str, Any] | None = None,
) -> list[Take]:
    """One take per seed of a motion, sampled on the default avatar; each seed is its own group."""
    skel = default_avatar()
    return [
        take_from_clip(
            sample(program, params, seed=s, fps=fps, duration=seconds, skeleton=skel),
            f"{program.meta.id} seed {s}",
            f"seed {s}",
        )
        for s in seeds
    ]


def _groups(takes: Sequence[Take], counts: Sequence[int]) -> list[str]:
    """Cross-validation group of every window of one class's takes (see :data:`MIN_GROUPS`)."""
    if len({t.group for t in takes}) >= MIN_GROUPS:
        return [t.group for t, n in zip(takes, counts) for _ in range(n)]
    if len({t.name for t in takes}) >= MIN_GROUPS:
        return [t.name for t, n in zip(takes, counts) for _ in range(n)]
    out = []
    for t, n in zip(takes, counts):
        size = max(1, -(-n // TIME_BLOCKS))
        out += [f"{t.name} part {i // size + 1}" for i in range(n)]
    return out


# Window features per (take, rate, joints, head, window, hop), so a tuning run scores its reference takes once.
# The take itself is kept in the value, so its id cannot be reused while the entry lives.
_FEATURE_CACHE: dict[tuple[Any, ...], tuple[Take, np.ndarray, list[Feature]]] = {}
_FEATURE_CACHE_SIZE = 256


def _features(
    takes: Sequence[Take], fps: float, joints: tuple[str, ...], head: bool, window_s: float, hop_s: float
) -> tuple[list[np.ndarray], list[Feature]]:
    mats, names = [], []
    for t in takes:
        key = (id(t), fps, joints, head, window_s, hop_s)
        hit = _FEATURE_CACHE.get(key)
        if hit is None or hit[0] is not t:
            x, f = window_features(t.at_rate(fps), joints, head, window_s, hop_s)
            if len(_FEATURE_CACHE) >= _FEATURE_CACHE_SIZE:
                _FEATURE_CACHE.pop(next(iter(_FEATURE_CACHE)))
            _FEATURE_CACHE[key] = hit = (t, x, f)
        mats.append(hit[1])
        if hit[2]:
            names = hit[2]
    return mats, names


def _ranking(x: np.ndarray, y: np.ndarray, fa: np.ndarray) -> list[int]:
    """Features by how well they separate alone (AUC to 0.01), then by the gap of the medians in units of the
    reference spread (so among perfect separators the largest visible difference comes first)."""
    ref = x[y < 0.5]
    q75, q25 = np.percentile(ref, [75, 25], axis=0)
    spread = (q75 - q25) / 1.35 + 1e-9
    gap = np.abs(np.median(x[y > 0.5], axis=0) - np.median(ref, axis=0)) / spread
    sep = np.round(np.abs(fa - 0.5), 2)
    return sorted(range(x.shape[1]), key=lambda k: (-sep[k], -gap[k]))


def compare(
    generated: Sequence[Take],
    reference: Sequence[Take],
    subject: str = "generated",
    window_s: float = WINDOW_S,
    hop_s: float = HOP_S,
    top: int = 8,
    texture: bool = False,
) -> RealismResult:
    """The realism check of ``generated`` takes against ``reference`` takes (module docstring). ``texture``
    leaves the posture features out (:func:`.features.is_posture_feature`): how the motion moves, not its pose.

    Raises ValueError with one clear line when a side gives no window or the joints in common are too few.
    """
    takes = [*generated, *reference]
    if not generated or not reference:
        raise ValueError("the realism check needs generated and reference clips")
    fps = common_rate(takes)
    joints = common_joints(takes)
    needed = {"hips", "leftUpperLeg", "rightUpperLeg", "leftFoot", "rightFoot"}
    if not needed <= set(joints):
        raise ValueError(
            f"the clips share too few joints ({', '.join(joints)}); hips, hip joints and ankles are needed"
        )
    head = all(t.head_known for t in takes)
    gx, feats = _features(generated, fps, joints, head, window_s, hop_s)
    rx, feats_r = _features(reference, fps, joints, head, window_s, hop_s)
    feats = feats or feats_r
    ng, nr = sum(len(x) for x in gx), sum(len(x) for x in rx)
    for side, n in (("generated", ng), ("reference", nr)):
        if n == 0:
            raise ValueError(f"the {side} clips are shorter than one {window_s:g}-s window")
    x = np.concatenate([m for m in gx + rx if len(m)], axis=0)
    pelvis = all(t.pelvis_known for t in takes)
    if not pelvis:
        keep = [k for k, f in enumerate(feats) if f.key not in PELVIS_TILT_FEATURES]
        x, feats = x[:, keep], [feats[k] for k in keep]
    if texture:
        keep = [k for k, f in enumerate(feats) if not is_posture_feature(f.key)]
        x, feats = x[:, keep], [feats[k] for k in keep]
    y = np.concatenate([np.ones(ng), np.zeros(nr)])
    groups = _groups(generated, [len(m) for m in gx]) + _groups(reference, [len(m) for m in rx])
    auc, _scores = grouped_auc(x, y, groups)
    fa = feature_aucs(x, y)
    order = _ranking(x, y, fa)[:top]
    gaps = [
        FeatureGap(
            feats[k].key,
            feats[k].words,
            feats[k].unit,
            float(fa[k]),
            feats[k].display(float(np.median(x[y > 0.5, k]))),
            feats[k].display(float(np.median(x[y < 0.5, k]))),
        )
        for k in order
    ]
    notes = []
    if not head:
        notes.append("head orientation left out: a clip has no head bone")
    if not pelvis:
        notes.append("pelvis tilt and roll left out: a reference's pelvis only turns about the vertical")
    if texture:
        notes.append("posture left out (--texture): mean pose angles, wrist places, face pitch, hips height")
    missing = [j for j in ("leftToes", "rightToes", "leftHand", "rightHand") if j not in joints]
    if missing:
        notes.append(f"joints not in every clip, left out: {', '.join(missing)}")
    return RealismResult(
        subject=subject,
        auc=auc,
        fps=fps,
        joints=joints,
        generated_windows=ng,
        reference_windows=nr,
        groups=sorted(set(groups)),
        references=[t.name for t in reference],
        top=gaps,
        notes=notes,
    )
