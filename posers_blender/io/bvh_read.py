"""BVH reading: the hierarchy, the motion channels and forward kinematics of the file's own skeleton.

This module knows the BVH format only; mapping the joints onto the humanoid and
retargeting live in :mod:`posers_blender.mocap`.

Conventions handled:

- any channel order per joint (``Zrotation Xrotation Yrotation``, ``Xposition
  ...``), 6-, 3- or 0-channel joints, position channels on non-root joints;
- a joint's local translation is its ``OFFSET`` unless the joint has position
  channels, in which case the channels *replace* the offset (what Blender's
  importer and MotionBuilder do, and what our writer relies on for the root);
- rotation channels compose in the order listed, intrinsically: channels
  ``Z X Y`` give ``R = Rz * Rx * Ry`` (angles in degrees in the file);
- ``End Site`` offsets are kept as leaf tips (they may be zero, as in the
  Bandai Namco files).

Units and axes are whatever the file uses; :func:`guess_units` and
:func:`guess_up_axis` look at the skeleton and the motion to tell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..engine import quat

Array = NDArray[np.float64]

_CHANNELS = ("Xposition", "Yposition", "Zposition", "Xrotation", "Yrotation", "Zrotation")

#: Metres per file unit for the unit systems BVH files use in practice.
#: CMU: the ASF files declare ``length 0.45``: lengths are inches / 0.45, so 1 unit = 0.0254 / 0.45 m (~0.0564).
UNIT_SCALES: dict[str, float] = {"m": 1.0, "cm": 0.01, "mm": 0.001, "inch": 0.0254, "cmu": 0.0254 / 0.45}


#: Bounds checked before anything is allocated: frame times of 1 ms to 1 s (1 to 1000 frames per second),
#: takes of at most an hour, files of at most 256 MB (a parse needs several times the file size in memory).
MIN_FRAME_TIME = 0.001
MAX_FRAME_TIME = 1.0
MAX_SECONDS = 3600.0
MAX_BYTES = 256_000_000
#: Deepest joint nesting read (a human skeleton is about 10 deep; the parser recurses once per level).
MAX_DEPTH = 200


class BvhError(ValueError):
    """A BVH file that cannot be read; the message names the file, the line and what was expected."""


@dataclass
class BvhJoint:
    """One joint: ``offset`` in the parent's frame (file units), ``channels`` in file order."""

    name: str
    parent: int
    offset: Array
    channels: tuple[str, ...]
    #: ``End Site`` offset of a leaf joint (file units), ``None`` when the joint has children or no end site.
    end_site: Array | None = None


@dataclass
class BvhFile:
    """A parsed BVH file.

    ``motion [F, C]`` holds the raw channel values (degrees, file units) with
    columns in hierarchy order; ``columns[j]`` is joint ``j``'s slice.
    """

    joints: list[BvhJoint]
    frame_time: float
    motion: Array
    path: str = ""
    columns: list[slice] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.columns:
            start = 0
            for j in self.joints:
                self.columns.append(slice(start, start + len(j.channels)))
                start += len(j.channels)

    @property
    def names(self) -> list[str]:
        return [j.name for j in self.joints]

    @property
    def parents(self) -> NDArray[np.int64]:
        return np.array([j.parent for j in self.joints], dtype=np.int64)

    @property
    def n_frames(self) -> int:
        return int(self.motion.shape[0])

    @property
    def fps(self) -> float:
        """Frames per second; snapped to a whole number when the file's rounded frame time is that close
        (0.0333333 s is 30 fps, 0.008333 s is 120 fps)."""
        fps = 1.0 / self.frame_time
        whole = round(fps)
        return float(whole) if whole > 0 and abs(fps - whole) < 1e-4 * whole else fps

    def index(self, name: str) -> int:
        for i, j in enumerate(self.joints):
            if j.name == name:
                return i
        raise KeyError(f"BVH file '{self.path}' has no joint '{name}'")

    def children(self, j: int) -> list[int]:
        return [i for i, jt in enumerate(self.joints) if jt.parent == j]

    def local_transforms(self) -> tuple[Array, Array]:
        """Local rotations ``[F, J, 4]`` (w, x, y, z) and translations ``[F, J, 3]`` (file units, parent frame)."""
        n, nj = self.n_frames, len(self.joints)
        lrot = quat.identity((n, nj))
        lpos = np.empty((n, nj, 3))
        for j, jt in enumerate(self.joints):
            cols = self.motion[:, self.columns[j]]
            lpos[:, j] = jt.offset
            rot_axes = ""
            rot_cols = []
            for c, ch in enumerate(jt.channels):
                if ch.endswith("position"):
                    lpos[:, j, "XYZ".index(ch[0])] = cols[:, c]
                else:
                    rot_axes += ch[0]
                    rot_cols.append(c)
            if rot_axes:
                lrot[:, j] = quat.from_euler(np.radians(cols[:, rot_cols]), rot_axes)
        return lrot, lpos

    def fk(self) -> tuple[Array, Array]:
        """Global rotations ``[F, J, 4]`` and joint positions ``[F, J, 3]`` in file units and axes."""
        lrot, lpos = self.local_transforms()
        grot = np.empty_like(lrot)
        gpos = np.empty_like(lpos)
        for j, jt in enumerate(self.joints):  # parents come first in a BVH hierarchy
            p = jt.parent
            if p < 0:
                grot[:, j] = lrot[:, j]
                gpos[:, j] = lpos[:, j]
            else:
                grot[:, j] = quat.mul(grot[:, p], lrot[:, j])
                gpos[:, j] = gpos[:, p] + quat.rotate(grot[:, p], lpos[:, j])
        return grot, gpos

    def rest_positions(self) -> Array:
        """Joint positions ``[J, 3]`` of the hierarchy's rest pose (all rotations zero, offsets only)."""
        pos = np.zeros((len(self.joints), 3))
        for j, jt in enumerate(self.joints):
            pos[j] = jt.offset if jt.parent < 0 else pos[jt.parent] + jt.offset
        return pos


def _tokens(text: str) -> list[tuple[str, int]]:
    out = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        for tok in line.replace("{", " { ").replace("}", " } ").split():
            out.append((tok, lineno))
    return out


def parse_bvh(text: str, path: str = "<text>") -> BvhFile:
    """Parse BVH text; raises :class:`BvhError` naming the line of the first problem."""
    head, sep, tail = text.partition("MOTION")
    if not sep:
        raise BvhError(f"'{path}' is not a BVH file: no MOTION section")
    toks = _tokens(head)
    pos = 0

    def take(expect: str | None = None) -> tuple[str, int]:
        nonlocal pos
        if pos >= len(toks):
            raise BvhError(
                f"'{path}': the HIERARCHY section ends early" + (f" (expected '{expect}')" if expect else "")
            )
        tok, line = toks[pos]
        pos += 1
        if expect is not None and tok.upper() != expect.upper():
            raise BvhError(f"'{path}' line {line}: expected '{expect}', found '{tok[:40]}'")
        return tok, line

    def floats(k: int) -> Array:
        vals = []
        for _ in range(k):
            tok, line = take()
            try:
                v = float(tok)
            except ValueError:
                raise BvhError(f"'{path}' line {line}: expected a number, found '{tok[:40]}'") from None
            if not math.isfinite(v):
                raise BvhError(f"'{path}' line {line}: expected a finite number, found '{tok[:40]}'")
            vals.append(v)
        return np.array(vals)

    joints: list[BvhJoint] = []

    def joint(parent: int, name: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise BvhError(f"'{path}': joints nested more than {MAX_DEPTH} deep at '{name[:40]}'")
        take("{")
        take("OFFSET")
        offset = floats(3)
        channels: tuple[str, ...] = ()
        me = len(joints)
        joints.append(BvhJoint(name, parent, offset, channels))
        while True:
            tok, line = take()
            key = tok.upper()
            if key == "CHANNELS":
                ntok, nline = take()
                try:
                    k = int(ntok)
                except ValueError:
                    raise BvhError(f"'{path}' line {nline}: expected a channel count, found '{ntok[:20]}'") from None
                if not 0 <= k <= len(_CHANNELS):
                    raise BvhError(f"'{path}' line {nline}: a joint has 0 to 6 channels, found {k}")
                chans = []
                for _ in range(k):
                    ch, cline = take()
                    norm = ch[0].upper() + ch[1:].lower()
                    if norm not in _CHANNELS:
                        raise BvhError(f"'{path}' line {cline}: unknown channel '{ch[:40]}'")
                    chans.append(norm)
                joints[me].channels = tuple(chans)
            elif key == "JOINT":
                cname, _ = take()
                joint(me, cname, depth + 1)
            elif key == "END":
                take("Site")
                take("{")
                take("OFFSET")
                joints[me].end_site = floats(3)
                take("}")
            elif key == "}":
                return
            else:
                raise BvhError(f"'{path}' line {line}: unexpected '{tok}' in joint '{name}'")

    take("HIERARCHY")
    take("ROOT")
    root_name, _ = take()
    joint(-1, root_name, 0)
    if pos < len(toks):
        tok, line = toks[pos]
        raise BvhError(f"'{path}' line {line}: only one ROOT is supported, found '{tok[:40]}' after it")
    names = [j.name for j in joints]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise BvhError(f"'{path}': joint names must be unique, repeated: {', '.join(dupes)}")

    n_ch = sum(len(j.channels) for j in joints)
    if n_ch == 0:
        raise BvhError(f"'{path}': no joint has channels")
    frames_n, frame_time, body = _motion_header(tail, path)
    if frames_n * frame_time > MAX_SECONDS:
        raise BvhError(
            f"'{path}': 'Frames: {frames_n}' at 'Frame Time: {frame_time:g}' is {frames_n * frame_time:.0f} s; "
            f"Posers reads takes of at most {MAX_SECONDS:g} s: split the file"
        )
    tokens = body.split()
    if len(tokens) != frames_n * n_ch:
        have, extra = divmod(len(tokens), n_ch)
        rest = f" and {extra} values of a partial frame" if extra else ""
        why = "the file looks truncated" if len(tokens) < frames_n * n_ch else "the frame count is wrong"
        raise BvhError(
            f"'{path}': 'Frames: {frames_n}' but the MOTION data holds {have} frames of {n_ch} channels{rest}; {why}"
        )
    try:
        data = np.array(tokens, dtype=np.float64)
    except ValueError:
        bad = next(t for t in tokens if not _is_float(t))
        raise BvhError(f"'{path}': the MOTION data holds '{bad[:20]}', which is not a number") from None
    motion = data.reshape(frames_n, n_ch)
    finite = np.isfinite(motion)
    if not finite.all():
        f, c = (int(i[0]) for i in np.nonzero(~finite))
        raise BvhError(f"'{path}': the MOTION data holds {motion[f, c]} at frame {f + 1}, channel {c + 1}")
    return BvhFile(joints=joints, frame_time=frame_time, motion=motion, path=path)


def _is_float(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def _motion_header(tail: str, path: str) -> tuple[int, float, str]:
    """``Frames:``, ``Frame Time:`` and the data text after them, each checked before anything is allocated."""
    frames_text: str | None = None
    time_text: str | None = None
    rest = tail
    for _ in range(2):
        line, _, after = rest.lstrip().partition("\n")
        key, colon, value = line.partition(":")
        key = " ".join(key.split()).lower()
        if not colon or key not in ("frames", "frame time"):
            break
        if key == "frames":
            frames_text = value.strip()
        else:
            time_text = value.strip()
        rest = after
    if frames_text is None or time_text is None:
        raise BvhError(f"'{path}': the MOTION section needs a 'Frames:' line and a 'Frame Time:' line")
    try:
        frames_n = int(frames_text)
    except ValueError:
        raise BvhError(f"'{path}': 'Frames: {frames_text[:20]}' is not a whole number of frames") from None
    if frames_n < 1:
        raise BvhError(f"'{path}': 'Frames: {frames_n}': the file needs at least one frame")
    try:
        frame_time = float(time_text)
    except ValueError:
        raise BvhError(f"'{path}': 'Frame Time: {time_text[:20]}' is not a number of seconds") from None
    if not (math.isfinite(frame_time) and MIN_FRAME_TIME <= frame_time <= MAX_FRAME_TIME):
        raise BvhError(
            f"'{path}': 'Frame Time: {time_text[:20]}' is out of range: use {MIN_FRAME_TIME:g} to "
            f"{MAX_FRAME_TIME:g} s ({1 / MAX_FRAME_TIME:g} to {1 / MIN_FRAME_TIME:g} frames per second)"
        )
    return frames_n, frame_time, rest


def read_bvh(path: str | Path) -> BvhFile:
    """Read and parse a BVH file (at most :data:`MAX_BYTES`)."""
    p = Path(path)
    if p.is_dir():
        raise BvhError(f"'{p}' is a folder, not a BVH file")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise BvhError(f"'{p}' is {size / 1e6:.0f} MB; Posers reads BVH files of at most {MAX_BYTES / 1e6:.0f} MB")
    return parse_bvh(p.read_text(encoding="utf-8", errors="replace"), str(p))


def guess_units(leg_length: float) -> str:
    """Unit system of a file from its thigh + shank length in file units.

    An adult's thigh + shank is about 0.49 H (facts §10: hip 0.530 H minus ankle 0.039 H),
    0.6-1.1 m for heights 1.2-2.2 m. The unit is the one that puts the length in that range
    (with some slack for children and stylised rigs).
    """
    for unit in ("m", "cmu", "inch", "cm", "mm"):
        metres = leg_length * UNIT_SCALES[unit]
        if 0.35 <= metres <= 1.4:
            return unit
    raise BvhError(
        f"cannot tell the units: thigh + shank is {leg_length:g} file units, "
        "which is no human size in metres, cm, mm, inches or CMU units; pass the units explicitly"
    )


def up_rotation(up_axis: str) -> Array:
    """Rotation (w, x, y, z) taking the file's up axis (``"Y"``, ``"Z"``, ``"-Z"``...) to +Y."""
    sign = -1.0 if up_axis.startswith("-") else 1.0
    axis = up_axis.lstrip("+-").upper()
    v = np.zeros(3)
    v["XYZ".index(axis)] = sign
    if axis == "Z" and sign > 0:
        # Z-up right-handed (Blender, 3ds Max): (x, y, z) -> (x, z, -y), a -90° turn about X.
        return quat.from_axis_angle(np.array([1.0, 0.0, 0.0]), -np.pi / 2)
    return quat.between(v, np.array([0.0, 1.0, 0.0]))


def guess_up_axis(gpos: Array, head: int, feet: list[int]) -> str:
    """The world axis (``"Y"``, ``"Z"``, ``"-Y"``...) along which the head stands above the feet.

    ``gpos [F, J, 3]`` from :meth:`BvhFile.fk`; uses the median over frames, so a
    clip that lies down briefly still reads right.
    """
    v = np.median(gpos[:, head] - gpos[:, feet].mean(axis=1), axis=0)
    k = int(np.argmax(np.abs(v)))
    return ("-" if v[k] < 0 else "") + "XYZ"[k]
