"""A sampled motion: arrays of local rotations, hips positions, face channels and phase markers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from .skeleton import Landmark, Skeleton

Array = NDArray[np.float64]


@dataclass
class Clip:
    """Motion as arrays, in normalised humanoid space.

    - ``lrot [F, J, 4]``: local rotations (w, x, y, z) of the 55 bones, identity = T-pose.
    - ``hips_pos [F, 3]``: world position of the hips (metres; floor at y = 0).
    - ``expressions``: VRM expression channels, name -> ``[F]`` in 0..1 (``blink``, ``ou``...).
    - ``gaze [F, 3]``: unit look direction in the head's frame (+Z ahead).
    - ``markers``: ``(time_s, name)`` phase markers.
    - ``meta``: provenance (motion id, version, params, seed, fps, duration, skeleton).
    """

    fps: float
    lrot: Array
    hips_pos: Array
    skeleton: Skeleton
    expressions: dict[str, Array] = field(default_factory=dict)
    gaze: Array | None = None
    markers: list[tuple[float, str]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def n_frames(self) -> int:
        return int(self.lrot.shape[0])

    @property
    def duration(self) -> float:
        return self.n_frames / self.fps

    @property
    def times(self) -> Array:
        return np.arange(self.n_frames) / self.fps

    @property
    def bone_names(self) -> tuple[str, ...]:
        return hm.BONES

    def fk(self) -> tuple[Array, Array]:
        """Global rotations ``[F, J, 4]`` and positions ``[F, J, 3]`` for every frame."""
        return self.skeleton.fk(self.lrot, self.hips_pos)

    def landmark(self, name: str) -> Array:
        """World track ``[F, 3]`` of a skeleton landmark."""
        grot, gpos = self.fk()
        return self.skeleton.landmark_positions(name, grot, gpos)

    def rounded(self, decimals: int = 5) -> dict[str, Array]:
        """Arrays rounded for snapshot comparison across machines."""
        out = {"lrot": np.round(self.lrot, decimals), "hips_pos": np.round(self.hips_pos, decimals)}
        for k, v in self.expressions.items():
            out[f"expr_{k}"] = np.round(v, decimals)
        return out

    # -- persistence -----------------------------------------------------------
    def to_arrays(self) -> dict[str, Any]:
        arrays: dict[str, Any] = {
            "fps": np.float64(self.fps),
            "lrot": self.lrot,
            "hips_pos": self.hips_pos,
            "bones": np.asarray(hm.BONES),
            "skeleton_offsets": self.skeleton.offsets,
            "skeleton_present": self.skeleton.present,
            "skeleton_name": np.asarray(self.skeleton.name),
            "landmarks": np.asarray(
                json.dumps({k: [v.bone, list(v.offset)] for k, v in self.skeleton.landmarks.items()})
            ),
            "markers": np.asarray(json.dumps(self.markers)),
            "meta": np.asarray(json.dumps(self.meta, sort_keys=True)),
        }
        if self.gaze is not None:
            arrays["gaze"] = self.gaze
        for k, v in self.expressions.items():
            arrays[f"expr_{k}"] = v
        return arrays

    def save_npz(self, path: str | Path) -> None:
        np.savez_compressed(path, **self.to_arrays())

    @classmethod
    def load_npz(cls, path: str | Path) -> "Clip":
        with np.load(path, allow_pickle=False) as z:
            bones = tuple(str(b) for b in z["bones"])
            if bones != hm.BONES:
                raise ValueError(f"'{path}' was written for a different bone set; re-sample it with this version")
            lms = {k: Landmark(b, tuple(o)) for k, (b, o) in json.loads(str(z["landmarks"])).items()}
            skel = Skeleton(str(z["skeleton_name"]), z["skeleton_offsets"], z["skeleton_present"], lms)
            return cls(
                fps=float(z["fps"]),
                lrot=z["lrot"],
                hips_pos=z["hips_pos"],
                skeleton=skel,
                expressions={k[5:]: z[k] for k in z.files if k.startswith("expr_")},
                gaze=z["gaze"] if "gaze" in z.files else None,
                markers=[(float(t), str(n)) for t, n in json.loads(str(z["markers"]))],
                meta=json.loads(str(z["meta"])),
            )

    def save_json(self, path: str | Path) -> None:
        """A readable JSON dump (rotations rounded to 6 decimals) for tools outside Python."""
        data = {
            "format": "posers-clip",
            "version": 1,
            "fps": self.fps,
            "space": "VRM normalised humanoid: +Y up, metres, facing +Z, T-pose rest, quaternions (w, x, y, z)",
            "bones": list(hm.BONES),
            "present": [bool(p) for p in self.skeleton.present],
            "rest_offsets": np.round(self.skeleton.offsets, 6).tolist(),
            "lrot": np.round(self.lrot, 6).tolist(),
            "hips_pos": np.round(self.hips_pos, 6).tolist(),
            "expressions": {k: np.round(v, 4).tolist() for k, v in self.expressions.items()},
            "gaze": None if self.gaze is None else np.round(self.gaze, 5).tolist(),
            "markers": self.markers,
            "meta": self.meta,
        }
        Path(path).write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
