"""IK/look targets as empties: created or reused per armature, grouped in the "Posers Targets" collection.

A motion reads a target by name (``ctx.target("lookAt")``). Each empty tagged
``posers_target`` = name and ``posers_armature`` = the armature's name gives
that target; its world position is converted to normalised space, per frame
when the empty is animated (or constrained/parented), so moving or animating a
target and re-baking moves the motion.
"""

from __future__ import annotations

import bpy
import numpy as np
from numpy.typing import NDArray

from .. import registry
from ..engine import targets as engine_targets
from . import pose_transfer
from .avatar import Avatar
from .empties import collection

#: Where a new target starts, relative to the avatar (normalised space, metres): ahead of the eyes for look
#: targets, in front of the chest for hand targets, under the hips for foot targets.
DEFAULT_PLACES = {
    "lookAt": ("head", (0.0, 0.06, 1.0)),
    "leftHand": ("upperChest", (0.15, -0.1, 0.35)),
    "rightHand": ("upperChest", (-0.15, -0.1, 0.35)),
    "leftFoot": ("leftFoot", (0.0, 0.0, 0.0)),
    "rightFoot": ("rightFoot", (0.0, 0.0, 0.0)),
    "wall": ("upperChest", (0.0, 0.0, -0.35)),
}
#: Per armature name, the last sample's lines about targets it did not reach (the panel shows them).
REACH_NOTES: dict[str, list[str]] = {}
_menu_items: list[tuple[str, str, str]] = []  # Blender needs the strings of a dynamic enum kept alive


def names_for(motion_id: str) -> tuple[str, ...]:
    """The targets a motion reads (``lookAt`` for every motion, then its declared ones); ``lookAt`` if unknown."""
    prog = registry.discover().get(motion_id)
    return engine_targets.motion_targets(prog.meta.targets if prog is not None else ())


def menu_items(motion_id: str) -> list[tuple[str, str, str]]:
    """Add Target's entries: the targets this motion reads."""
    _menu_items[:] = [(n, n, engine_targets.NAMES.get(n, n)) for n in names_for(motion_id)]
    return _menu_items


def note_reach(av: Avatar, reached: dict[str, float]) -> None:
    """Remember what the last sample of this armature did not reach, for the panel."""
    REACH_NOTES[av.obj_name] = engine_targets.reach_notes(reached)


def target_objects(av: Avatar) -> dict[str, bpy.types.Object]:
    return {
        str(o["posers_target"]): o
        for o in bpy.data.objects
        if o.get("posers_target") is not None and o.get("posers_armature") == av.obj_name
    }


def ensure_target(av: Avatar, name: str) -> bpy.types.Object:
    """The armature's target empty called ``name``, created at a sensible place if missing."""
    found = target_objects(av).get(name)
    if found is not None:
        return found
    empty = bpy.data.objects.new(f"Posers {name} ({av.obj_name})", None)
    empty.empty_display_type = "SPHERE"
    empty.empty_display_size = 0.04
    empty["posers_target"] = name
    empty["posers_armature"] = av.obj_name
    collection().objects.link(empty)
    bone, offset = DEFAULT_PLACES.get(name, ("head", (0.0, 0.0, 0.5)))
    skel = av.skeleton
    base = skel.rest_positions()[skel.index(bone if skel.has(bone) else "head")]
    empty.location = tuple(pose_transfer.to_blender(base + np.asarray(offset)))
    return empty


def _animated(o: bpy.types.Object) -> bool:
    return bool(
        (o.animation_data and (o.animation_data.action or len(o.animation_data.nla_tracks)))
        or o.parent
        or len(o.constraints)
    )


def collect(av: Avatar, frame_start: int, n_frames: int, per_frame: bool = True) -> dict[str, NDArray[np.float64]]:
    """Normalised target positions: ``[3]`` for still empties, ``[F, 3]`` for animated ones.

    ``per_frame=False`` (live preview, which must not change frames from inside a
    frame handler) takes every target where it is now.
    """
    objs = target_objects(av)
    if objs and per_frame:
        bpy.context.view_layer.update()  # matrix_world of just-moved empties (not done inside frame handlers)
    out: dict[str, NDArray[np.float64]] = {}
    still = {k: o for k, o in objs.items() if not per_frame or not _animated(o)}
    for k, o in still.items():
        out[k] = pose_transfer.to_normalised(np.array(o.matrix_world.translation))
    moving = {k: o for k, o in objs.items() if k not in still}
    if moving:
        scene = bpy.context.scene
        current = scene.frame_current
        tracks = {k: np.empty((n_frames, 3)) for k in moving}
        try:
            for i in range(n_frames):
                scene.frame_set(frame_start + i)
                for k, o in moving.items():
                    tracks[k][i] = np.array(o.matrix_world.translation)
        finally:
            scene.frame_set(current)
        out.update({k: pose_transfer.to_normalised(v) for k, v in tracks.items()})
    return out
