"""Talking to the VRM Add-on for Blender through its operators and RNA data only.

The add-on is ``io_scene_vrm`` under the pip ``bpy`` module and
``bl_ext.<repo>.vrm`` as a Blender extension, so nothing here imports it:
operators are reached through ``bpy.ops`` and data through
``Armature.vrm_addon_extension``. When the add-on is missing every entry point
says so plainly (:class:`VrmAddonMissing`).
"""

from __future__ import annotations

import os
import re
import struct
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import bpy

from .. import humanoid as hm
from ..io.vrm_skeleton import VrmError, humanoid_nodes, read_gltf_json

EXT_PROP = "vrm_addon_extension"
#: Module names the add-on is known under (pip bpy / legacy add-on, then the extensions platform).
ADDON_MODULES = ("io_scene_vrm", "bl_ext.blender_org.vrm", "bl_ext.user_default.vrm")


class VrmAddonMissing(RuntimeError):
    """The VRM Add-on for Blender is not installed or not enabled."""


class ImportFailed(RuntimeError):
    """A file could not be imported; the scene was left as it was."""


def addon_available() -> bool:
    return hasattr(bpy.types, "IMPORT_SCENE_OT_vrm") and hasattr(bpy.types.Armature, EXT_PROP)


def ensure_addon() -> None:
    """Enable the VRM add-on if it is installed but not enabled; raise :class:`VrmAddonMissing` otherwise.

    ``read_factory_settings`` disables every add-on, so scripts call this after each reset.
    """
    if addon_available():
        return
    import addon_utils

    for module in ADDON_MODULES:
        try:
            addon_utils.enable(module, default_set=True, handle_error=None)
        except ModuleNotFoundError:
            continue
        if addon_available():
            return
    raise VrmAddonMissing(
        "the VRM Add-on for Blender is not installed or not enabled: install it from "
        "extensions.blender.org ('VRM format') or 'pip install bpy-vrm-format' beside the bpy module"
    )


def _snake(name: str) -> str:
    return re.sub(r"([A-Z])", r"_\1", name).lower()


def extension(armature_data: Any) -> Any:
    """The VRM add-on's data on an Armature (``None`` without the add-on); typed Any: it is not in the stubs."""
    return getattr(armature_data, EXT_PROP, None)


def spec_version(obj: bpy.types.Object) -> str | None:
    """'0.0' or '1.0' for an armature carrying VRM data with an assigned humanoid, else ``None``."""
    ext = extension(obj.data)
    if ext is None:
        return None
    mapping = humanoid_mapping(obj)
    if not mapping:
        return None
    return str(ext.spec_version)


def humanoid_mapping(obj: bpy.types.Object) -> dict[str, str]:
    """Canonical bone name -> Blender bone name from the armature's VRM humanoid data (empty if none).

    VRM 0.x stores ``human_bones`` as a list of (bone, node) pairs with the 0.x
    thumb spellings; VRM 1.0 stores one pointer per bone (``left_upper_arm``).
    """
    ext = extension(obj.data)
    if ext is None:
        return {}
    bones = obj.data.bones
    out: dict[str, str] = {}
    if str(ext.spec_version) == "0.0":
        for hb in ext.vrm0.humanoid.human_bones:
            name = hb.node.bone_name
            if not name or name not in bones:
                continue
            try:
                canon = hm.vrm0_to_canonical(hb.bone)
            except KeyError:
                continue
            out.setdefault(canon, name)
    else:
        human_bones = ext.vrm1.humanoid.human_bones
        for canon in hm.BONES:
            prop = getattr(human_bones, _snake(canon), None)
            name = prop.node.bone_name if prop is not None else ""
            if name and name in bones:
                out[canon] = name
    return out


def look_at_offset(obj: bpy.types.Object) -> tuple[float, float, float] | None:
    """The VRM look-at (eye) offset from the head bone in normalised axes (metres), or ``None``.

    VRM 0.x: ``firstPersonBoneOffset`` is in Unity axes (avatar facing +Z, +X to its right); the add-on
    stores the JSON ``(x, y, z)`` as ``(x, z, y)``, so normalised = ``(-s0, s2, s1)``. VRM 1.0: the add-on
    stores glTF axes (= normalised) when the head bone's axes are untouched (``axis_translation`` NONE or AUTO);
    with another axis translation the value is in the add-on's bone axes and is not used (the estimate
    from the head stands instead).
    """
    ext = extension(obj.data)
    if ext is None:
        return None
    if str(ext.spec_version) == "0.0":
        s = tuple(float(v) for v in ext.vrm0.first_person.first_person_bone_offset)
        return (-s[0], s[2], s[1]) if any(s) else None
    off = tuple(float(v) for v in ext.vrm1.look_at.offset_from_head_bone)
    head = ext.vrm1.humanoid.human_bones.head.node.bone_name
    bone = obj.data.bones.get(head) if head else None
    bone_ext = getattr(bone, EXT_PROP, None) if bone is not None else None
    if not any(off) or (bone_ext is not None and str(bone_ext.axis_translation) not in ("NONE", "AUTO")):
        return None
    return (off[0], off[1], off[2])


def expression_paths(obj: bpy.types.Object) -> dict[str, str]:
    """Expression name (VRM 1.0 preset names: blink, aa, ou...) -> data path on the Armature data.

    Only expressions that drive something (morph target, material or texture binds) are listed:
    keying one without binds would animate nothing.
    """
    ext = extension(obj.data)
    if ext is None:
        return {}
    out: dict[str, str] = {}
    if str(ext.spec_version) == "0.0":
        # VRM 0.x presets: blink, a, i, u, e, o, blink_l... mapped to the 1.0 names the engine writes.
        names = {"a": "aa", "i": "ih", "u": "ou", "e": "ee", "o": "oh", "blink_l": "blinkLeft", "blink_r": "blinkRight"}
        for group in ext.vrm0.blend_shape_master.blend_shape_groups:
            preset = str(group.preset_name)
            if preset and preset != "unknown" and (len(group.binds) or len(group.material_values)):
                out.setdefault(names.get(preset, preset), group.path_from_id("preview"))
        return out
    for name, expr in ext.vrm1.expressions.all_name_to_expression_dict().items():
        if len(expr.morph_target_binds) or len(expr.material_color_binds) or len(expr.texture_transform_binds):
            out[name] = expr.path_from_id("preview")
    return out


def look_at_drives(obj: bpy.types.Object) -> bool:
    """True when the VRM 1.0 look-at moves something: eye bones (type bone) or bound look expressions."""
    look = gaze_target_property(obj)
    if look is None:
        return False
    if str(look.type) == "bone":
        mapping = humanoid_mapping(obj)
        return "leftEye" in mapping or "rightEye" in mapping
    looks = {"lookUp", "lookDown", "lookLeft", "lookRight"}
    return bool(looks & set(expression_paths(obj)))


def gaze_target_property(obj: bpy.types.Object) -> Any:
    """The VRM 1.0 look-at property group (whose preview target the VRMA exporter reads), else ``None``."""
    ext = extension(obj.data)
    if ext is None or str(ext.spec_version) == "0.0":
        return None
    return ext.vrm1.look_at


def set_vrm1_humanoid(obj: bpy.types.Object, mapping: dict[str, str]) -> None:
    """Give an armature VRM 1.0 humanoid data (bone assignments) so the VRMA exporter accepts it.

    The add-on's ``bone_name`` setter recomputes every human bone's candidate list on each
    assignment (1.7 s for 55 bones), so the bones are linked the way the setter links them, by
    UUID (``Bone.vrm_addon_extension.uuid`` -> ``node.bone_uuid``); the add-on computes the
    candidate lists itself when its panel or validation first asks for them.
    """
    ext = extension(obj.data)
    if ext is None:
        raise VrmAddonMissing("the VRM Add-on for Blender is not enabled; cannot add VRM humanoid data")
    ext.spec_version = "1.0"
    human_bones = ext.vrm1.humanoid.human_bones
    bones = obj.data.bones
    seen: set[str] = set()
    for bone in bones:
        bone_ext = getattr(bone, EXT_PROP)
        if not bone_ext.uuid or bone_ext.uuid in seen:
            bone_ext.uuid = uuid.uuid4().hex
        seen.add(bone_ext.uuid)
    props = [(getattr(human_bones, _snake(canon), None), bone) for canon, bone in mapping.items()]
    nodes = [(prop.node, bone) for prop, bone in props if prop is not None and bone in bones]
    for node, bone in nodes:
        node.bone_uuid = getattr(bones[bone], EXT_PROP).uuid


# -- importing without leaving debris ----------------------------------------------------------------

_COLLECTIONS = (
    "objects",
    "meshes",
    "armatures",
    "materials",
    "images",
    "textures",
    "actions",
    "collections",
    "node_groups",
    "cameras",
    "lights",
    "shape_keys",
    "texts",
)


def _snapshot() -> dict[str, set[int]]:
    return {c: {id_.session_uid for id_ in getattr(bpy.data, c)} for c in _COLLECTIONS if hasattr(bpy.data, c)}


def _remove_new(before: dict[str, set[int]]) -> None:
    for c, uids in before.items():
        coll = getattr(bpy.data, c)
        for id_ in [i for i in coll if i.session_uid not in uids]:
            try:
                coll.remove(id_)
            except (ReferenceError, RuntimeError):  # already removed with its owner
                continue


@contextmanager
def scene_transaction() -> Iterator[None]:
    """Remove every data-block created inside the block when it raises, so a failure leaves the scene as it was."""
    before = _snapshot()
    try:
        yield
    except BaseException:
        _remove_new(before)
        raise


def check_vrm_file(path: Path) -> None:
    """Raise :class:`ImportFailed` naming what is wrong with a file before the add-on sees it.

    Checks the GLB header and JSON chunk, the VRM extension (``VRM`` or ``VRMC_vrm``) and that the
    humanoid maps ``hips``, the bone everything else hangs from.
    """
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if magic != b"glTF":
        raise ImportFailed(f"'{path}' is not a VRM file (no glTF binary header); export it as .vrm and retry")
    try:
        gltf = read_gltf_json(path)
    except (ValueError, struct.error) as exc:  # VrmError too: short file, no JSON chunk, bad UTF-8 or JSON
        raise ImportFailed(f"'{path}' is a damaged glTF binary (its JSON chunk does not read: {exc})") from None
    try:
        nodes, version = humanoid_nodes(gltf)
    except VrmError:
        raise ImportFailed(
            f"'{path}' is a glTF without VRM data (no VRM or VRMC_vrm extension); export it as VRM from your tool"
        ) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ImportFailed(f"'{path}' has an unreadable VRM humanoid ({type(exc).__name__}: {exc})") from None
    if "hips" not in nodes:
        raise ImportFailed(f"'{path}' is a VRM {version} whose humanoid does not map 'hips'; assign it and re-export")


@contextmanager
def captured_output() -> Iterator[list[str]]:
    """Capture what is written to stdout and stderr at the file-descriptor level (where Blender prints
    operator errors and their tracebacks, beside Python's own ``sys.stdout``/``sys.stderr``).

    Yields a list that holds ``[stdout text, stderr text]`` once the block ends.
    """
    out: list[str] = []
    saved = []
    with tempfile.TemporaryFile(mode="w+b") as t1, tempfile.TemporaryFile(mode="w+b") as t2:
        for fd, tmp in ((1, t1), (2, t2)):
            (sys.stdout if fd == 1 else sys.stderr).flush()
            saved.append(os.dup(fd))
            os.dup2(tmp.fileno(), fd)
        try:
            yield out
        finally:
            for fd, tmp, keep in ((1, t1, saved[0]), (2, t2, saved[1])):
                (sys.stdout if fd == 1 else sys.stderr).flush()
                os.dup2(keep, fd)
                os.close(keep)
                tmp.seek(0)
                out.append(tmp.read().decode("utf-8", errors="replace"))


def cause(text: str) -> str:
    """The exception line of a traceback (``ValueError: Failed to read ...``), else its last line."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    found = [ln for ln in lines if re.match(r"^[A-Za-z_.]*(Error|Exception): ", ln)]
    return (found or lines or ["unknown error"])[-1]


def import_vrm(path: str | Path) -> bpy.types.Object:
    """Import a VRM 0.x/1.0 file with the VRM add-on and return its armature object.

    Raises :class:`ImportFailed` (scene unchanged, one line saying what is wrong with the
    file; the add-on's traceback is not printed) for a missing, corrupt or non-VRM file
    and :class:`VrmAddonMissing` without the add-on.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFailed(f"'{path}' does not exist")
    ensure_addon()
    check_vrm_file(path)
    before = _snapshot()
    try:
        with captured_output() as printed:
            result = bpy.ops.import_scene.vrm(filepath=str(path))  # type: ignore[attr-defined]  # VRM add-on operator
    except RuntimeError as exc:
        _remove_new(before)
        raise ImportFailed(f"the VRM add-on could not import '{path}': {cause(str(exc))}") from None
    sys.stdout.write(printed[0])  # a successful import's messages and warnings stay visible
    sys.stderr.write(printed[1])
    new_objects = [o for o in bpy.data.objects if o.session_uid not in before["objects"]]
    arms = [o for o in new_objects if o.type == "ARMATURE"]
    if "FINISHED" not in result or not arms:
        _remove_new(before)
        raise ImportFailed(f"the VRM add-on imported no armature from '{path}' (result {sorted(result)})")
    return arms[0]
