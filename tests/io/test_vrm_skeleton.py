"""The bpy-free VRM skeleton loader on the sample avatars."""

from __future__ import annotations

import numpy as np
import pytest

from posers_blender import humanoid as hm
from posers_blender.io.vrm_skeleton import VrmError, load_vrm_skeleton, read_gltf_json


def test_every_sample_vrm_loads_standing_on_the_floor_facing_plus_z(data_dir):
    files = sorted((data_dir / "vrm").glob("*.vrm"))
    assert files
    for f in files:
        sk = load_vrm_skeleton(f)
        rp = sk.rest_positions()
        assert all(sk.has(b) for b in hm.REQUIRED_VRM1), f.name
        assert rp[hm.INDEX["leftUpperLeg"], 0] > rp[hm.INDEX["rightUpperLeg"], 0], f.name  # left is +X
        assert rp[hm.INDEX["head"], 1] > rp[hm.INDEX["hips"], 1] > rp[hm.INDEX["leftFoot"], 1] >= -0.01, f.name
        assert rp[hm.INDEX["leftFoot"], 1] < 0.15 * sk.height, f.name
        if sk.has("leftToes"):
            assert rp[hm.INDEX["leftToes"], 2] > rp[hm.INDEX["leftFoot"], 2], f.name  # toes point +Z
        assert 0.5 < sk.height < 2.5, f.name


def test_non_glb_file_is_rejected_with_a_clear_error(tmp_path):
    p = tmp_path / "x.vrm"
    p.write_bytes(b"not a glb at all")
    with pytest.raises(VrmError, match="not a GLB"):
        read_gltf_json(p)


def test_vrm0_and_vrm1_are_both_recognised(data_dir):
    from posers_blender.io.vrm_skeleton import humanoid_nodes

    versions = {humanoid_nodes(read_gltf_json(f))[1] for f in (data_dir / "vrm").glob("*.vrm")}
    assert versions == {"0.x", "1.0"}
    assert np.isfinite(load_vrm_skeleton(data_dir / "vrm" / "debug_robot.vrm").offsets).all()
