"""The bpy-free motion engine: numpy arrays, quaternions as (w, x, y, z), time in seconds.

Nothing under this package may import ``bpy`` or ``mathutils`` (enforced by
ruff's banned-api rule and by ``tests/engine/test_no_blender.py``).
"""

from .clip import Clip
from .params import Param, ParamError, Params, Schema
from .program import Context, FrameProgram, MotionError, MotionMeta, MotionProgram, Rig, Tracks
from .sampler import sample
from .skeleton import Skeleton, default_avatar

__all__ = [
    "Clip",
    "Context",
    "FrameProgram",
    "MotionError",
    "MotionMeta",
    "MotionProgram",
    "Param",
    "ParamError",
    "Params",
    "Rig",
    "Schema",
    "Skeleton",
    "Tracks",
    "default_avatar",
    "sample",
]
