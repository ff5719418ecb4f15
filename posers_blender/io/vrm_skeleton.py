"""Read a VRM file's humanoid skeleton without Blender: GLB JSON -> node tree -> :class:`Skeleton`.

A ``.vrm`` is a GLB (binary glTF 2.0): a 12-byte header, then a JSON chunk.
The humanoid maps bone names to node indices: VRM 0.x in
``extensions.VRM.humanoid.humanBones`` (a list of ``{"bone", "node"}``),
VRM 1.0 in ``extensions.VRMC_vrm.humanoid.humanBones`` (a dict
``name -> {"node"}``). World rest positions come from composing the nodes'
TRS (or matrix) transforms from the scene roots. glTF is +Y up; VRM 1.0
avatars face +Z (our normalised space), VRM 0.x avatars face -Z, so their x
and z are negated. The glTF origin is taken as the floor (VRM avatars
stand on it).
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import humanoid as hm
from ..engine import quat
from ..engine.skeleton import Skeleton

Array = NDArray[np.float64]


class VrmError(ValueError):
    """The file is not a readable VRM (bad GLB, no humanoid, missing required bones)."""


def read_gltf_json(path: str | Path) -> dict[str, Any]:
    """The JSON chunk of a GLB file."""
    p = Path(path)
    if p.is_dir():
        raise VrmError(f"'{p}' is a folder, not a VRM file")
    data = p.read_bytes()
    if len(data) < 20 or data[:4] != b"glTF":
        raise VrmError(f"'{p}' is not a GLB/VRM file (no glTF header)")
    length, ctype = struct.unpack("<I4s", data[12:20])
    if ctype != b"JSON":
        raise VrmError(f"'{p}': the first GLB chunk is not JSON")
    if 20 + length > len(data):
        raise VrmError(f"'{p}': the JSON chunk runs past the end of the file (a truncated download?)")
    try:
        doc = json.loads(data[20 : 20 + length].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise VrmError(f"'{p}': the first GLB chunk is not valid glTF JSON") from None
    if not isinstance(doc, dict):
        raise VrmError(f"'{p}': the JSON chunk is not a glTF object")
    return doc


def _node_matrix(node: dict[str, Any]) -> Array:
    if "matrix" in node:
        return np.asarray(node["matrix"], dtype=np.float64).reshape(4, 4).T  # glTF is column-major
    m = np.eye(4)
    x, y, z, w = node.get("rotation", [0.0, 0.0, 0.0, 1.0])
    m[:3, :3] = quat.to_matrix(np.array([w, x, y, z])) * np.asarray(node.get("scale", [1.0, 1.0, 1.0]))
    m[:3, 3] = node.get("translation", [0.0, 0.0, 0.0])
    return m


def world_positions(gltf: dict[str, Any]) -> Array:
    """World positions ``[N, 3]`` of every node (glTF axes)."""
    nodes = gltf.get("nodes", [])
    parent = np.full(len(nodes), -1)
    for i, nd in enumerate(nodes):
        for c in nd.get("children", []):
            parent[c] = i
    world: list[Array | None] = [None] * len(nodes)

    def get(i: int) -> Array:
        w = world[i]
        if w is None:
            local = _node_matrix(nodes[i])
            w = local if parent[i] < 0 else get(int(parent[i])) @ local
            world[i] = w
        return w

    return np.asarray([get(i)[:3, 3] for i in range(len(nodes))]).reshape(-1, 3)


def humanoid_nodes(gltf: dict[str, Any]) -> tuple[dict[str, int], str]:
    """(canonical bone name -> node index, spec version "0.x" or "1.0")."""
    ext = gltf.get("extensions", {})
    try:
        return _humanoid_nodes(ext)
    except VrmError:
        raise
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        raise VrmError("the VRM humanoid extension is not a usable VRM: its bone table is malformed") from None


def _humanoid_nodes(ext: Any) -> tuple[dict[str, int], str]:
    if "VRMC_vrm" in ext:
        bones = ext["VRMC_vrm"].get("humanoid", {}).get("humanBones", {})
        return {name: int(v["node"]) for name, v in bones.items() if "node" in v}, "1.0"
    if "VRM" in ext:
        out = {}
        for b in ext["VRM"].get("humanoid", {}).get("humanBones", []):
            if "bone" in b and b.get("node", -1) >= 0:
                out[hm.vrm0_to_canonical(b["bone"])] = int(b["node"])
        return out, "0.x"
    raise VrmError("no VRM humanoid extension (VRM or VRMC_vrm) in the file")


def load_vrm_skeleton(path: str | Path) -> Skeleton:
    """A :class:`Skeleton` in normalised humanoid space (+Y up, facing +Z, metres) from a ``.vrm`` file."""
    gltf = read_gltf_json(path)
    nodes, version = humanoid_nodes(gltf)
    try:
        pos = world_positions(gltf)
        flip = np.array([-1.0, 1.0, -1.0]) if version == "0.x" else np.ones(3)
        positions = {name: pos[i] * flip for name, i in nodes.items() if name in hm.INDEX}
    except (KeyError, IndexError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        # a node index out of range, a node that is its own ancestor, a matrix of the wrong size...
        raise VrmError(f"'{path}' is not a usable VRM: its node tree is broken ({type(exc).__name__})") from None
    if not all(np.isfinite(v).all() for v in positions.values()):
        raise VrmError(f"'{path}' is not a usable VRM: a humanoid bone has a non-finite position")
    missing = hm.missing_required(positions)
    if missing:
        raise VrmError(f"'{path}' lacks required humanoid bones: {', '.join(missing)}")
    return Skeleton.from_rest_positions(positions, name=Path(path).stem)
