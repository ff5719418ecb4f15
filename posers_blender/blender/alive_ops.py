"""Add Life Layer: the life layer over the active armature's animation, baked as its own COMBINE NLA strip.

The operator is thin: :func:`add_life_layer` reads the evaluated animation (the current Action, or the NLA
stack) frame by frame into a normalised clip, runs :func:`posers_blender.alive.add_life`, and writes only the
*difference* (pose-space ``q_in^-1 q_out`` per bone, location offsets, expression increments) into a new Action
played by a new NLA track in ``COMBINE`` mode above the user's tracks. The user's Actions are never edited; an
active Action is first pushed to its own NLA track (unchanged) so the layer can sit above it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import bpy
import numpy as np
from mathutils import Euler, Quaternion
from numpy.typing import NDArray

from .. import humanoid as hm
from ..alive import SCHEMA, add_life
from ..engine import quat
from ..engine.clip import Clip
from ..engine.params import ParamError, check_seed
from . import avatar as avatar_mod
from . import bake, pose_transfer, vrm
from .props import _prop

Array = NDArray[np.float64]
OpResult = set[Literal["RUNNING_MODAL", "CANCELLED", "FINISHED", "PASS_THROUGH", "INTERFACE"]]
TRACK_NAME = "Posers life"


@dataclass
class LifeOptions:
    """What to bring to life: the layer's parameters (:data:`~posers_blender.alive.SCHEMA`), the seed, and the
    frame range (``None``: the active Action's range, else the scene's)."""

    params: dict[str, Any] = field(default_factory=dict)
    seed: int = 0
    frame_start: int | None = None
    frame_end: int | None = None


@dataclass
class LifeResult:
    action: bpy.types.Action
    strip: bpy.types.NlaStrip
    clip: Clip
    face_action: bpy.types.Action | None = None


def frame_range(obj: bpy.types.Object, opts: LifeOptions) -> tuple[int, int]:
    ad = obj.animation_data
    scene = bpy.context.scene
    lo, hi = scene.frame_start, scene.frame_end
    if ad is not None and ad.action is not None:
        lo, hi = (int(round(f)) for f in ad.action.frame_range)
    lo = lo if opts.frame_start is None else opts.frame_start
    hi = hi if opts.frame_end is None else opts.frame_end
    if hi <= lo:
        raise ValueError(f"frame range {lo}-{hi} is empty: the life layer needs at least two frames")
    return lo, hi


def read_clip(av: avatar_mod.Avatar, start: int, end: int) -> Clip:
    """The armature's evaluated animation over ``start..end`` as a clip on its own skeleton (normalised space)."""
    obj = av.obj
    rest = av.rest
    scene = bpy.context.scene
    fps = scene.render.fps / scene.render.fps_base
    carriers = pose_transfer.carriers(rest)
    n = end - start + 1
    world = np.zeros((n, len(rest.blender_names), 4))
    hips = np.zeros((n, 3))
    hips_name = av.mapping["hips"]
    saved = scene.frame_current
    try:
        for i, f in enumerate(range(start, end + 1)):
            scene.frame_set(f)
            mw = np.array(obj.matrix_world)
            for m, name in enumerate(rest.blender_names):
                pm = np.array(obj.pose.bones[name].matrix)
                r = pose_transfer.N @ mw[:3, :3] @ pm[:3, :3]
                world[i, m] = quat.from_matrix(r / np.linalg.norm(r, axis=0))
            head = mw @ np.append(np.array(obj.pose.bones[hips_name].head), 1.0)
            hips[i] = pose_transfer.to_normalised(head[:3])
    finally:
        scene.frame_set(saved)
    grot = np.tile(quat.IDENTITY, (n, len(hm.BONES), 1))
    known = np.zeros(len(hm.BONES), dtype=bool)
    for m, carrier in enumerate(carriers):
        j = hm.INDEX[carrier]
        grot[:, j] = quat.mul(quat.mul(world[:, m], quat.conj(rest.rest[m])), rest.corr[j])
        known[j] = True
    lrot = np.tile(quat.IDENTITY, (n, len(hm.BONES), 1))
    for j, p in enumerate(hm.PARENTS):  # parents come first in BONES
        if not known[j]:
            grot[:, j] = grot[:, p] if p >= 0 else quat.IDENTITY
        lrot[:, j] = grot[:, j] if p < 0 else quat.mul(quat.conj(grot[:, p]), grot[:, j])
    return Clip(float(fps), quat.continuous(quat.normalize(lrot), axis=0), hips, av.skeleton)


def add_life_layer(obj: bpy.types.Object, opts: LifeOptions) -> LifeResult:
    """Bring ``obj``'s animation to life as a new COMBINE NLA strip (see the module docstring)."""
    params = SCHEMA.validate(opts.params).to_dict()
    seed = check_seed(opts.seed)
    av = avatar_mod.load(obj)
    start, end = frame_range(obj, opts)
    clip = read_clip(av, start, end)
    out = add_life(clip, params, seed=seed)
    q_in, loc_in = bake.pose_tracks(av, clip)
    q_out, loc_out = bake.pose_tracks(av, out)
    dloc = loc_out - loc_in
    frames = start + np.arange(clip.n_frames, dtype=np.float64)
    action = bpy.data.actions.new(f"{obj.name} life seed {seed}")
    writer = bake.ChannelWriter(action, "OBJECT", obj.name)
    for m, name in enumerate(av.rest.blender_names):
        prop, delta = rotation_delta(q_in[:, m], q_out[:, m], obj.pose.bones[name].rotation_mode)
        for k in range(delta.shape[1]):
            bake.write_dense(writer.fcurve(f'pose.bones["{name}"].{prop}', k, name), frames, delta[:, k])
    mover = av.rest.loc_bone
    for k in range(3):
        bake.write_dense(writer.fcurve(f'pose.bones["{mover}"].location', k, mover), frames, dloc[:, k])
    action["posers_alive"] = True
    action["posers_seed"] = seed
    ad = obj.animation_data or obj.animation_data_create()
    if ad.action is not None:  # the user's active Action goes, unchanged, onto its own track below the layer
        bake.push_to_nla(obj, ad.action, getattr(ad, "action_slot", None), None, "REPLACE")
    strip = bake.push_to_nla(obj, action, writer.slot, start, "COMBINE", track_name=TRACK_NAME)
    face = _face_layer(av, out, frames, action.name)
    return LifeResult(action, strip, out, face)


def rotation_delta(q_in: Array, q_out: Array, mode: str) -> tuple[str, Array]:
    """What a COMBINE strip keys so a bone in rotation ``mode`` goes from ``q_in`` to ``q_out`` (``[F, 4]``).

    COMBINE multiplies quaternion channels (the delta is ``q_in^-1 q_out``) and adds Euler and axis-angle
    channels (the delta is the difference of the two channel values, ``q_out`` taken near ``q_in``). The bone
    keeps its mode, so the user's own Euler keys keep playing under the layer.
    """
    if mode == "QUATERNION":
        return "rotation_quaternion", quat.continuous(quat.normalize(quat.mul(quat.conj(q_in), q_out)), axis=0)
    prop, v_in, _ = bake.rotation_channel(q_in, mode)
    if mode == "AXIS_ANGLE":
        _, v_out, _ = bake.rotation_channel(q_out, mode)
        return prop, v_out - v_in
    v_out = np.array([Quaternion(q.tolist()).to_euler(mode, Euler(e.tolist())) for q, e in zip(q_out, v_in)])
    return prop, v_out - v_in


def _face_layer(av: avatar_mod.Avatar, clip: Clip, frames: Array, name: str) -> bpy.types.Action | None:
    """Blinks as a COMBINE strip on the armature data (expression values add), where the VRM has them."""
    paths = vrm.expression_paths(av.obj) if vrm.addon_available() else {}
    if "blink" not in paths or "blink" not in clip.expressions:
        return None
    arm = av.obj.data
    action = bpy.data.actions.new(name + " face")
    writer = bake.ChannelWriter(action, "ARMATURE", arm.name)
    bake.write_dense(writer.fcurve(paths["blink"], 0, "Expressions"), frames, clip.expressions["blink"])
    bake.push_to_nla(arm, action, writer.slot, frames[0], "COMBINE", track_name=TRACK_NAME + " face")
    return action


def _annotations() -> dict[str, Any]:
    out = {p.name: _prop(p) for p in SCHEMA}
    out["seed"] = bpy.props.IntProperty(name="Seed", description="Random seed of the layer", default=0, min=0)
    return out


class POSERS_OT_add_life_layer(bpy.types.Operator):
    """Add breathing, blinks, gaze and micro-motion over the active armature's animation, as its own NLA strip"""

    bl_idname = "posers.add_life_layer"
    bl_label = "Add Life Layer"
    bl_options = {"REGISTER", "UNDO"}
    __annotations__ = _annotations()

    @classmethod
    def poll(cls, context: Any) -> bool:
        obj = context.active_object
        return obj is not None and obj.type == "ARMATURE"

    def execute(self, context: Any) -> OpResult:
        obj = context.active_object
        values = {p.name: getattr(self, p.name) for p in SCHEMA}
        values = {k: float(f"{v:.7g}") if isinstance(v, float) else v for k, v in values.items()}
        try:
            res = add_life_layer(obj, LifeOptions(values, int(self.seed)))
        except (ParamError, avatar_mod.NotHumanoid, ValueError) as exc:
            self.report({"ERROR"}, str(exc))
            return {"CANCELLED"}
        self.report({"INFO"}, f"Added life layer '{res.action.name}' ({res.clip.n_frames} frames)")
        return {"FINISHED"}


CLASSES: tuple[type, ...] = (POSERS_OT_add_life_layer,)
