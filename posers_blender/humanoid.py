"""The VRM humanoid: bone names, hierarchy, required sets and rig aliases.

This is the one module that spells rig-specific bone names. Everything else
uses the canonical VRM 1.0 humanoid names (``hips``, ``leftUpperArm``, ...)
and asks this module to translate.

Normalised humanoid space (the space every motion is authored in) follows
VRM 1.0 / glTF: right-handed, **+Y up, metres, the avatar faces +Z**, so the
avatar's left is **+X** and its right is -X. The rest pose is a T-pose in
which every bone has the identity rest rotation: a bone's local rotation is
its rotation relative to its parent, and the rest offset of a child is
expressed in world axes. Arms point along +-X with palms down, legs point
along -Y, feet along +Z.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# --- the 55 VRM 1.0 humanoid bones, parents before children -----------------

_FINGERS = ("Index", "Middle", "Ring", "Little")
_PHALANGES = ("Proximal", "Intermediate", "Distal")
_THUMB = ("ThumbMetacarpal", "ThumbProximal", "ThumbDistal")


def _side_chain(side: str) -> list[tuple[str, str]]:
    s = side
    out = [
        (f"{s}UpperLeg", "hips"),
        (f"{s}LowerLeg", f"{s}UpperLeg"),
        (f"{s}Foot", f"{s}LowerLeg"),
        (f"{s}Toes", f"{s}Foot"),
        (f"{s}Shoulder", "upperChest"),
        (f"{s}UpperArm", f"{s}Shoulder"),
        (f"{s}LowerArm", f"{s}UpperArm"),
        (f"{s}Hand", f"{s}LowerArm"),
    ]
    parent = f"{s}Hand"
    for i, seg in enumerate(_THUMB):
        out.append((f"{s}{seg}", parent if i == 0 else f"{s}{_THUMB[i - 1]}"))
    for finger in _FINGERS:
        for i, ph in enumerate(_PHALANGES):
            out.append((f"{s}{finger}{ph}", parent if i == 0 else f"{s}{finger}{_PHALANGES[i - 1]}"))
    return out


_HIERARCHY: list[tuple[str, str | None]] = [
    ("hips", None),
    ("spine", "hips"),
    ("chest", "spine"),
    ("upperChest", "chest"),
    ("neck", "upperChest"),
    ("head", "neck"),
    ("leftEye", "head"),
    ("rightEye", "head"),
    ("jaw", "head"),
    *_side_chain("left"),
    *_side_chain("right"),
]

#: Canonical bone names, parents always before their children.
BONES: tuple[str, ...] = tuple(name for name, _ in _HIERARCHY)
#: Parent name of each bone (``None`` for hips).
PARENT: dict[str, str | None] = dict(_HIERARCHY)
#: Index of each bone in :data:`BONES`.
INDEX: dict[str, int] = {name: i for i, name in enumerate(BONES)}
#: Parent index per bone, -1 for the root; usable as a numpy parents array.
PARENTS: tuple[int, ...] = tuple(-1 if p is None else INDEX[p] for _, p in _HIERARCHY)

#: Required bones of VRM 1.0 (15).
REQUIRED_VRM1: frozenset[str] = frozenset(
    {"hips", "spine", "head"}
    | {f"{s}{b}" for s in ("left", "right") for b in ("UpperLeg", "LowerLeg", "Foot", "UpperArm", "LowerArm", "Hand")}
)
#: Required bones of VRM 0.x (17: chest and neck too).
REQUIRED_VRM0: frozenset[str] = REQUIRED_VRM1 | {"chest", "neck"}

FINGER_BONES: tuple[str, ...] = tuple(b for b in BONES if any(f in b for f in ("Thumb", *_FINGERS)))
EYE_BONES: tuple[str, ...] = ("leftEye", "rightEye")

# VRM 0.x used the anatomical thumb names one joint "higher" than 1.0.
_VRM0_TO_VRM1_THUMB = {
    "ThumbProximal": "ThumbMetacarpal",
    "ThumbIntermediate": "ThumbProximal",
    "ThumbDistal": "ThumbDistal",
}


def vrm0_to_canonical(name: str) -> str:
    """Translate a VRM 0.x humanoid bone name to the canonical (1.0) name."""
    for side in ("left", "right"):
        for old, new in _VRM0_TO_VRM1_THUMB.items():
            if name == f"{side}{old}":
                return f"{side}{new}"
    if name not in INDEX:
        raise KeyError(f"'{name}' is not a VRM humanoid bone name")
    return name


def canonical_to_vrm0(name: str) -> str:
    """Translate a canonical (1.0) bone name to its VRM 0.x spelling."""
    for side in ("left", "right"):
        for old, new in _VRM0_TO_VRM1_THUMB.items():
            if name == f"{side}{new}":
                return f"{side}{old}"
    return name


def mirror(name: str) -> str:
    """The same bone on the other side (``leftHand`` -> ``rightHand``); central bones map to themselves."""
    if name.startswith("left"):
        return "right" + name[4:]
    if name.startswith("right"):
        return "left" + name[5:]
    return name


def side_sign(name: str) -> float:
    """+1 for left bones (+X in normalised space), -1 for right bones, 0 for central ones."""
    return 1.0 if name.startswith("left") else -1.0 if name.startswith("right") else 0.0


def children(name: str) -> tuple[str, ...]:
    return tuple(b for b in BONES if PARENT[b] == name)


# --- aliases of other rigs ----------------------------------------------------
# Each family maps canonical name -> that rig's spelling, with {S} for the side
# letter/word where the family is regular. Kept here and nowhere else.

_VROID = {
    "hips": "J_Bip_C_Hips",
    "spine": "J_Bip_C_Spine",
    "chest": "J_Bip_C_Chest",
    "upperChest": "J_Bip_C_UpperChest",
    "neck": "J_Bip_C_Neck",
    "head": "J_Bip_C_Head",
    "{s}Eye": "J_Adj_{S}_FaceEye",
    "{s}UpperLeg": "J_Bip_{S}_UpperLeg",
    "{s}LowerLeg": "J_Bip_{S}_LowerLeg",
    "{s}Foot": "J_Bip_{S}_Foot",
    "{s}Toes": "J_Bip_{S}_ToeBase",
    "{s}Shoulder": "J_Bip_{S}_Shoulder",
    "{s}UpperArm": "J_Bip_{S}_UpperArm",
    "{s}LowerArm": "J_Bip_{S}_LowerArm",
    "{s}Hand": "J_Bip_{S}_Hand",
    "{s}ThumbMetacarpal": "J_Bip_{S}_Thumb1",
    "{s}ThumbProximal": "J_Bip_{S}_Thumb2",
    "{s}ThumbDistal": "J_Bip_{S}_Thumb3",
    **{f"{{s}}{f}{p}": f"J_Bip_{{S}}_{f}{i + 1}" for f in _FINGERS for i, p in enumerate(_PHALANGES)},
}
_MIXAMO = {
    "hips": "mixamorig:Hips",
    "spine": "mixamorig:Spine",
    "chest": "mixamorig:Spine1",
    "upperChest": "mixamorig:Spine2",
    "neck": "mixamorig:Neck",
    "head": "mixamorig:Head",
    "{s}Eye": "mixamorig:{Side}Eye",
    "{s}UpperLeg": "mixamorig:{Side}UpLeg",
    "{s}LowerLeg": "mixamorig:{Side}Leg",
    "{s}Foot": "mixamorig:{Side}Foot",
    "{s}Toes": "mixamorig:{Side}ToeBase",
    "{s}Shoulder": "mixamorig:{Side}Shoulder",
    "{s}UpperArm": "mixamorig:{Side}Arm",
    "{s}LowerArm": "mixamorig:{Side}ForeArm",
    "{s}Hand": "mixamorig:{Side}Hand",
    "{s}ThumbMetacarpal": "mixamorig:{Side}HandThumb1",
    "{s}ThumbProximal": "mixamorig:{Side}HandThumb2",
    "{s}ThumbDistal": "mixamorig:{Side}HandThumb3",
    **{
        f"{{s}}{f}{p}": f"mixamorig:{{Side}}Hand{'Pinky' if f == 'Little' else f}{i + 1}"
        for f in _FINGERS
        for i, p in enumerate(_PHALANGES)
    },
}
_RIGIFY = {
    "hips": "DEF-spine",
    "spine": "DEF-spine.001",
    "chest": "DEF-spine.002",
    "upperChest": "DEF-spine.003",
    "neck": "DEF-spine.004",
    "head": "DEF-spine.006",
    "{s}Eye": "DEF-eye.{S}",
    "jaw": "DEF-jaw",
    "{s}UpperLeg": "DEF-thigh.{S}",
    "{s}LowerLeg": "DEF-shin.{S}",
    "{s}Foot": "DEF-foot.{S}",
    "{s}Toes": "DEF-toe.{S}",
    "{s}Shoulder": "DEF-shoulder.{S}",
    "{s}UpperArm": "DEF-upper_arm.{S}",
    "{s}LowerArm": "DEF-forearm.{S}",
    "{s}Hand": "DEF-hand.{S}",
    "{s}ThumbMetacarpal": "DEF-thumb.01.{S}",
    "{s}ThumbProximal": "DEF-thumb.02.{S}",
    "{s}ThumbDistal": "DEF-thumb.03.{S}",
    **{
        f"{{s}}{f}{p}": f"DEF-f_{'pinky' if f == 'Little' else f.lower()}.0{i + 1}.{{S}}"
        for f in _FINGERS
        for i, p in enumerate(_PHALANGES)
    },
}
_GENERIC_LR = {
    "hips": "hips",
    "spine": "spine",
    "chest": "chest",
    "upperChest": "upper_chest",
    "neck": "neck",
    "head": "head",
    "jaw": "jaw",
    "{s}Eye": "eye.{S}",
    "{s}UpperLeg": "thigh.{S}",
    "{s}LowerLeg": "shin.{S}",
    "{s}Foot": "foot.{S}",
    "{s}Toes": "toe.{S}",
    "{s}Shoulder": "shoulder.{S}",
    "{s}UpperArm": "upper_arm.{S}",
    "{s}LowerArm": "forearm.{S}",
    "{s}Hand": "hand.{S}",
    "{s}ThumbMetacarpal": "thumb.01.{S}",
    "{s}ThumbProximal": "thumb.02.{S}",
    "{s}ThumbDistal": "thumb.03.{S}",
    **{
        f"{{s}}{f}{p}": f"f_{'pinky' if f == 'Little' else f.lower()}.0{i + 1}.{{S}}"
        for f in _FINGERS
        for i, p in enumerate(_PHALANGES)
    },
}
# CMU (cgspeed / Xia 31-joint) and Bandai Namco Research (22-joint) mocap skeletons.
_CMU = {
    "hips": "Hips",
    "spine": "LowerBack",
    "chest": "Spine",
    "upperChest": "Spine1",
    "neck": "Neck",
    "head": "Head",
    "{s}UpperLeg": "{Side}UpLeg",
    "{s}LowerLeg": "{Side}Leg",
    "{s}Foot": "{Side}Foot",
    "{s}Toes": "{Side}ToeBase",
    "{s}Shoulder": "{Side}Shoulder",
    "{s}UpperArm": "{Side}Arm",
    "{s}LowerArm": "{Side}ForeArm",
    "{s}Hand": "{Side}Hand",
    # one finger chain and a thumb stub per hand (Xia and cgspeed files spell the finger LeftHandIndex1)
    "{s}IndexProximal": "{Side}HandIndex1",
    "{s}ThumbMetacarpal": "{S}Thumb",
}
_BNR = {
    "hips": "Hips",
    "spine": "Spine",
    "chest": "Chest",
    "neck": "Neck",
    "head": "Head",
    "{s}UpperLeg": "UpperLeg_{S}",
    "{s}LowerLeg": "LowerLeg_{S}",
    "{s}Foot": "Foot_{S}",
    "{s}Toes": "Toes_{S}",
    "{s}Shoulder": "Shoulder_{S}",
    "{s}UpperArm": "UpperArm_{S}",
    "{s}LowerArm": "LowerArm_{S}",
    "{s}Hand": "Hand_{S}",
}

# ReActIdle (a Rigify-metarig-like naming without hands or toes: the forearm's and the foot's End Sites are
# the wrist and the toe tip; the spine joint sits on the pelvis and spine.001 is the chest).
_REACTIDLE = {
    "hips": "pelvis",
    "spine": "spine",
    "chest": "spine.001",
    "neck": "neck",
    "head": "face",
    "{s}UpperLeg": "thigh.{S}",
    "{s}LowerLeg": "shin.{S}",
    "{s}Foot": "foot.{S}",
    "{s}Shoulder": "shoulder.{S}",
    "{s}UpperArm": "upper_arm.{S}",
    "{s}LowerArm": "forearm.{S}",
}

ALIAS_FAMILIES: dict[str, dict[str, str]] = {
    "vroid": _VROID,
    "mixamo": _MIXAMO,
    "rigify": _RIGIFY,
    "generic_lr": _GENERIC_LR,
    "cmu": _CMU,
    "bnr": _BNR,
    "reactidle": _REACTIDLE,
}


def _expand(family: Mapping[str, str]) -> dict[str, str]:
    """canonical -> rig name, with the side placeholders filled in."""
    out: dict[str, str] = {}
    for canon, rig in family.items():
        if "{s}" in canon:
            for side, s_letter, side_word in (("left", "L", "Left"), ("right", "R", "Right")):
                out[canon.replace("{s}", side)] = rig.replace("{S}", s_letter).replace("{Side}", side_word)
        else:
            out[canon] = rig
    return out


ALIASES: dict[str, dict[str, str]] = {fam: _expand(table) for fam, table in ALIAS_FAMILIES.items()}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def map_bone_names(rig_bones: Iterable[str]) -> tuple[dict[str, str], str | None]:
    """Map a rig's bone names to canonical humanoid names.

    Tries the canonical names themselves (and the VRM 0.x spellings), then each
    alias family, and keeps the family that maps the most bones. Matching is
    case- and punctuation-insensitive and ignores a ``prefix:`` namespace.

    Returns ``(canonical -> rig bone name, family or None)``.
    """
    rig = list(rig_bones)
    by_norm: dict[str, str] = {}
    for b in rig:
        by_norm.setdefault(_norm(b), b)
        if ":" in b:
            by_norm.setdefault(_norm(b.split(":", 1)[1]), b)
    candidates: dict[str | None, dict[str, str]] = {}
    direct: dict[str, str] = {}
    for canon in BONES:
        for spelling in (canon, canonical_to_vrm0(canon)):
            hit = by_norm.get(_norm(spelling))
            if hit is not None:
                direct[canon] = hit
                break
    candidates[None] = direct
    for fam, table in ALIASES.items():
        found = {}
        for canon, spelled in table.items():
            hit = by_norm.get(_norm(spelled))
            if hit is None and ":" in spelled:
                hit = by_norm.get(_norm(spelled.split(":", 1)[1]))
            if hit is not None:
                found[canon] = hit
        candidates[fam] = found
    best = max(candidates, key=lambda k: len(candidates[k]))
    return candidates[best], best


def missing_required(mapped: Iterable[str], spec: str = "1.0") -> list[str]:
    """Required bones absent from ``mapped`` (canonical names), in hierarchy order."""
    req = REQUIRED_VRM0 if spec.startswith("0") else REQUIRED_VRM1
    have = set(mapped)
    return [b for b in BONES if b in req and b not in have]
