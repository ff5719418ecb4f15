import re
from pathlib import Path

from posers_blender import humanoid as hm

REPO = Path(__file__).resolve().parents[2]


def test_bone_set_has_55_bones_with_parents_first():
    assert len(hm.BONES) == 55
    for j, p in enumerate(hm.PARENTS):
        assert p < j


def test_required_sets():
    assert len(hm.REQUIRED_VRM1) == 15
    assert len(hm.REQUIRED_VRM0) == 17
    assert hm.REQUIRED_VRM0 - hm.REQUIRED_VRM1 == {"chest", "neck"}


def test_vrm0_thumb_names_shift_one_joint():
    assert hm.vrm0_to_canonical("leftThumbProximal") == "leftThumbMetacarpal"
    assert hm.vrm0_to_canonical("leftThumbIntermediate") == "leftThumbProximal"
    assert hm.vrm0_to_canonical("rightThumbDistal") == "rightThumbDistal"
    assert hm.canonical_to_vrm0("leftThumbMetacarpal") == "leftThumbProximal"


def test_every_alias_family_maps_its_own_names_back():
    for fam, table in hm.ALIASES.items():
        mapped, found = hm.map_bone_names(table.values())
        assert found == fam or len(mapped) == len(table), fam
        assert all(table[c] == n for c, n in mapped.items()), fam


def test_mixamo_with_namespace_and_generic_lr_are_mapped():
    mapped, fam = hm.map_bone_names(["mixamorig:Hips", "mixamorig:LeftArm", "mixamorig:Spine"])
    assert fam == "mixamo" and mapped["leftUpperArm"] == "mixamorig:LeftArm"
    mapped, fam = hm.map_bone_names(["upper_arm.L", "forearm.L", "hand.L", "thigh.R"])
    assert mapped["leftLowerArm"] == "forearm.L" and mapped["rightUpperLeg"] == "thigh.R"


def test_missing_required_lists_them_in_order():
    assert hm.missing_required(["hips", "spine"])[:2] == ["head", "leftUpperLeg"]


def test_no_other_module_spells_rig_specific_bone_names():
    pattern = re.compile(r"J_Bip_|mixamorig|DEF-(spine|thigh|upper_arm)|ThumbIntermediate|UpLeg\b|LowerBack")
    offenders = []
    for path in list((REPO / "posers_blender").rglob("*.py")) + list((REPO / "motions").rglob("*.py")):
        if path.name == "humanoid.py":
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(REPO)))
    assert offenders == []
