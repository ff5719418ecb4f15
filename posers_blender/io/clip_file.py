"""Reading a sampled clip back from NPZ, checked: a corrupt, empty or implausible file is one :class:`ClipFileError`.

:meth:`Clip.load_npz <posers_blender.engine.clip.Clip.load_npz>` trusts its input (it reads what
:meth:`Clip.save_npz` wrote); :func:`load_clip_npz` is what the command line and the references use on files
a user hands in. It bounds memory before decompressing anything and refuses clips whose arrays have the wrong
shapes, no frames, non-finite values or rotations that are not unit quaternions, so nothing downstream meets a
partial or NaN clip.
"""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import numpy as np

from .. import humanoid as hm
from ..engine.clip import Clip

#: Largest uncompressed NPZ read (an hour at 120 fps is about 0.8 GB of rotations; a zip bomb is refused unread).
MAX_UNCOMPRESSED_BYTES = 2_000_000_000
#: Frame rates and length a clip file may declare (the BVH reader's bounds).
MIN_FPS, MAX_FPS = 1.0, 1000.0
MAX_SECONDS = 3600.0


class ClipFileError(ValueError):
    """A clip file that cannot be used; the message names the file and what is wrong."""


def load_clip_npz(path: str | Path) -> Clip:
    """Read a Posers NPZ clip (from ``posers sample`` or ``posers retarget``) and check it is usable."""
    p = Path(path)
    if p.is_dir():
        raise ClipFileError(f"'{p}' is a folder, not a clip file")
    _check_zip(p)
    try:
        clip = Clip.load_npz(p)
    except ClipFileError:
        raise
    except (ValueError, KeyError, OSError, EOFError, TypeError, IndexError, zipfile.BadZipFile) as exc:
        # FileNotFoundError and friends are the caller's to report; the rest means a damaged file.
        if isinstance(exc, OSError) and exc.filename is not None:
            raise
        what = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ClipFileError(f"'{p}' is not a readable Posers clip ({what[:120]}); re-sample or re-export it") from None
    _check_clip(clip, p)
    return clip


def _check_zip(p: Path) -> None:
    try:
        with zipfile.ZipFile(p) as z:
            size = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile:
        raise ClipFileError(f"'{p}' is not an NPZ clip (not a zip archive); re-sample or re-export it") from None
    if size > MAX_UNCOMPRESSED_BYTES:
        raise ClipFileError(
            f"'{p}' unpacks to {size / 1e9:.1f} GB; Posers reads clips of at most {MAX_UNCOMPRESSED_BYTES / 1e9:.0f} GB"
        )


def _check_clip(clip: Clip, p: Path) -> None:
    nb = len(hm.BONES)
    lrot = np.asarray(clip.lrot)
    if lrot.ndim != 3 or lrot.shape[1:] != (nb, 4):
        raise ClipFileError(f"'{p}': rotations have shape {lrot.shape}, expected (frames, {nb}, 4)")
    n = lrot.shape[0]
    if n == 0:
        raise ClipFileError(f"'{p}' holds no frames")
    if not (math.isfinite(clip.fps) and MIN_FPS <= clip.fps <= MAX_FPS):
        raise ClipFileError(f"'{p}': fps {clip.fps:g} is out of range: a clip has {MIN_FPS:g} to {MAX_FPS:g} fps")
    if n / clip.fps > MAX_SECONDS:
        raise ClipFileError(f"'{p}' is {n / clip.fps:.0f} s long; Posers reads clips of at most {MAX_SECONDS:g} s")
    arrays = {"rotations": (lrot, (n, nb, 4)), "hips positions": (np.asarray(clip.hips_pos), (n, 3))}
    arrays.update({f"expression '{k}'": (np.asarray(v), (n,)) for k, v in clip.expressions.items()})
    if clip.gaze is not None:
        arrays["gaze"] = (np.asarray(clip.gaze), (n, 3))
    arrays["rest offsets"] = (np.asarray(clip.skeleton.offsets), (nb, 3))
    for name, (a, shape) in arrays.items():
        if a.shape != shape:
            raise ClipFileError(f"'{p}': {name} have shape {a.shape}, expected {shape}")
        if not np.issubdtype(a.dtype, np.floating):
            raise ClipFileError(f"'{p}': {name} are {a.dtype}, not numbers")
        bad = ~np.isfinite(a)
        if bad.any():
            raise ClipFileError(f"'{p}': {name} hold NaN or infinite values (first at index {np.argwhere(bad)[0]})")
    norms = np.linalg.norm(lrot, axis=-1)
    if np.abs(norms - 1.0).max() > 1e-3:
        f, j = (int(i) for i in np.unravel_index(np.argmax(np.abs(norms - 1.0)), norms.shape))
        raise ClipFileError(
            f"'{p}': the rotation of {hm.BONES[j]} at frame {f} is not a unit quaternion (length {norms[f, j]:.3g})"
        )
