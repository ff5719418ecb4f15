"""VRM Animation (``.vrma``: binary glTF with the ``VRMC_vrm_animation`` extension) read and written without Blender.

Reading turns the file's humanoid tracks into a :class:`~posers_blender.engine.clip.Clip` in normalised space:
each bone's rotation is *normalised* the way the VRMA specification and three-vrm do it,
``parent_world_rest * q * inverse(own_world_rest)``, so a file whose rest nodes carry rotations (an exporter's
bone axes) reads as rotations relative to the T-pose. The skeleton is the file's own rest pose. Tracks are
resampled at ``fps`` (glTF ``LINEAR``, ``STEP`` and ``CUBICSPLINE`` samplers). Expressions (preset and
custom) become expression channels (the node's translation x), the look-at node's rotation a gaze direction
(its +Z in the head's frame).

Writing produces the simplest valid file: rest nodes with identity rotations at the skeleton's rest offsets
(normalised space is the rest), one ``LINEAR`` track per present bone, the hips translation, expressions
and the look-at.
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
from ..engine.clip import Clip
from ..engine.skeleton import Skeleton

Array = NDArray[np.float64]

EXTENSION = "VRMC_vrm_animation"
#: VRM 1.0 expression presets; any other expression channel is written as a custom expression.
PRESETS = (
    "happy", "angry", "sad", "relaxed", "surprised", "aa", "ih", "ou", "ee", "oh", "blink", "blinkLeft",
    "blinkRight", "lookUp", "lookDown", "lookLeft", "lookRight", "neutral",
)  # fmt: skip
MAX_BYTES = 500_000_000
_GLB_MAGIC = b"glTF"
_JSON, _BIN = 0x4E4F534A, 0x004E4942
_COMPONENTS = {"SCALAR": 1, "VEC3": 3, "VEC4": 4}


class VrmaError(ValueError):
    """A ``.vrma`` file that cannot be used; the message names the file and what is wrong."""


# -- reading -------------------------------------------------------------------------------------------


def _chunks(path: Path) -> tuple[dict[str, Any], bytes]:
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise VrmaError(f"'{path}' is {len(data) / 1e6:.0f} MB; Posers reads VRMA files of at most 500 MB")
    if len(data) < 20 or data[:4] != _GLB_MAGIC:
        raise VrmaError(f"'{path}' is not a VRMA file (not binary glTF); export it again as .vrma")
    version, total = struct.unpack_from("<II", data, 4)
    if version != 2 or total > len(data):
        raise VrmaError(f"'{path}' is not a glTF 2.0 binary file of the length it declares; export it again")
    doc: dict[str, Any] | None = None
    binary = b""
    off = 12
    while off + 8 <= total:
        length, kind = struct.unpack_from("<II", data, off)
        body = data[off + 8 : off + 8 + length]
        if kind == _JSON:
            try:
                doc = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise VrmaError(f"'{path}' has a damaged glTF JSON chunk; export it again") from None
        elif kind == _BIN:
            binary = body
        off += 8 + length + (-length % 4)
    if not isinstance(doc, dict):
        raise VrmaError(f"'{path}' holds no glTF JSON; export it again")
    return doc, binary


def _accessor(doc: dict[str, Any], binary: bytes, index: int) -> Array:
    acc = doc["accessors"][index]
    if acc.get("componentType") != 5126:
        raise ValueError("only float accessors are read")
    width = _COMPONENTS[acc["type"]]
    view = doc["bufferViews"][acc["bufferView"]]
    start = int(view.get("byteOffset", 0)) + int(acc.get("byteOffset", 0))
    stride = int(view.get("byteStride", 4 * width))
    count = int(acc["count"])
    if stride == 4 * width:
        a = np.frombuffer(binary, dtype="<f4", count=count * width, offset=start).reshape(count, width)
    else:
        a = np.stack([np.frombuffer(binary, dtype="<f4", count=width, offset=start + i * stride) for i in range(count)])
    return a.astype(np.float64)


def _local(node: dict[str, Any]) -> tuple[Array, Array]:
    """A node's rest (rotation (w, x, y, z), translation)."""
    if "matrix" in node:
        m = np.asarray(node["matrix"], dtype=np.float64).reshape(4, 4).T
        r = m[:3, :3] / np.linalg.norm(m[:3, :3], axis=0)
        return quat.from_matrix(r), m[:3, 3].copy()
    x, y, z, w = node.get("rotation", (0.0, 0.0, 0.0, 1.0))
    return quat.normalize(np.array([w, x, y, z], dtype=np.float64)), np.asarray(
        node.get("translation", (0.0, 0.0, 0.0)), dtype=np.float64
    )


def _world_rest(doc: dict[str, Any]) -> tuple[list[Array], list[Array], list[int]]:
    nodes = doc.get("nodes", [])
    parent = [-1] * len(nodes)
    for i, n in enumerate(nodes):
        for c in n.get("children", []):
            parent[c] = i
    rot: list[Array] = [quat.IDENTITY.copy() for _ in nodes]
    pos: list[Array] = [np.zeros(3) for _ in nodes]
    done = [False] * len(nodes)

    def visit(i: int, depth: int = 0) -> None:
        if done[i]:
            return
        if depth > 256:
            raise ValueError("the node hierarchy has a cycle")
        q, t = _local(nodes[i])
        p = parent[i]
        if p >= 0:
            visit(p, depth + 1)
            rot[i], pos[i] = quat.mul(rot[p], q), pos[p] + quat.rotate(rot[p], t)
        else:
            rot[i], pos[i] = q, t
        done[i] = True

    for i in range(len(nodes)):
        visit(i)
    return rot, pos, parent


def _sample(doc: dict[str, Any], binary: bytes, sampler: dict[str, Any], times: Array) -> Array:
    t = _accessor(doc, binary, sampler["input"])[:, 0]
    v = _accessor(doc, binary, sampler["output"])
    mode = sampler.get("interpolation", "LINEAR")
    if mode == "CUBICSPLINE":
        v = v.reshape(len(t), 3, -1)[:, 1]  # the value between the in- and out-tangents
    i1 = np.clip(np.searchsorted(t, times, side="right"), 1, max(len(t) - 1, 1))
    i0 = i1 - 1
    if len(t) == 1:
        return np.repeat(v[:1], len(times), axis=0)
    u = np.clip((times - t[i0]) / np.maximum(t[i1] - t[i0], 1e-12), 0.0, 1.0)
    if mode == "STEP":
        u = (u >= 1.0).astype(np.float64)
    if v.shape[1] == 4:
        a = v[i0][:, [3, 0, 1, 2]]
        b = v[i1][:, [3, 0, 1, 2]]
        return quat.slerp(a, b, u)
    return v[i0] * (1 - u[:, None]) + v[i1] * u[:, None]


def read_vrma(path: str | Path, fps: float = 30.0) -> Clip:
    """Read a ``.vrma`` file as a clip in normalised space, sampled at ``fps``."""
    p = Path(path)
    if p.is_dir():
        raise VrmaError(f"'{p}' is a folder, not a VRMA file")
    doc, binary = _chunks(p)
    try:
        return _read(doc, binary, p, fps)
    except VrmaError:
        raise
    except (KeyError, IndexError, TypeError, ValueError, struct.error) as exc:
        raise VrmaError(
            f"'{p}' is not a readable VRM Animation ({str(exc)[:100] or type(exc).__name__}); export it again"
        ) from None


def _read(doc: dict[str, Any], binary: bytes, p: Path, fps: float) -> Clip:
    ext = doc.get("extensions", {}).get(EXTENSION)
    if not isinstance(ext, dict):
        raise VrmaError(f"'{p}' is glTF but has no {EXTENSION} extension: it is not a VRM Animation")
    bones = {b: int(v["node"]) for b, v in ext.get("humanoid", {}).get("humanBones", {}).items() if b in hm.INDEX}
    wrot, wpos, parent = _world_rest(doc)
    missing = hm.missing_required(bones)
    if missing:
        raise VrmaError(f"'{p}' lacks required humanoid bones: {', '.join(missing)}")
    skel = Skeleton.from_rest_positions({b: wpos[n] for b, n in bones.items()}, name=p.stem)
    anim = (doc.get("animations") or [{}])[0]
    samplers = anim.get("samplers", [])
    ends = [float(doc["accessors"][s["input"]].get("max", [0.0])[0]) for s in samplers]
    duration = max(ends, default=0.0)
    n = max(2, int(np.floor(duration * fps + 1e-6)) + 1)
    times = np.arange(n) / fps
    tracks = {
        (c["target"].get("node"), c["target"].get("path")): samplers[c["sampler"]] for c in anim.get("channels", [])
    }
    lrot = np.tile(quat.IDENTITY, (n, len(hm.BONES), 1))
    for b, node in bones.items():
        s = tracks.get((node, "rotation"))
        if s is None:
            continue
        q = _sample(doc, binary, s, times)
        pr = wrot[parent[node]] if parent[node] >= 0 else quat.IDENTITY
        lrot[:, hm.INDEX[b]] = quat.normalize(quat.mul(quat.mul(pr, q), quat.conj(wrot[node])))
    hips_node = bones["hips"]
    s = tracks.get((hips_node, "translation"))
    hips = np.tile(wpos[hips_node], (n, 1))
    if s is not None:
        moved = _sample(doc, binary, s, times)
        up = parent[hips_node]
        hips = moved if up < 0 else wpos[up] + quat.rotate(wrot[up], moved)
    expressions = {}
    for group in ("preset", "custom"):
        for name, v in ext.get("expressions", {}).get(group, {}).items():
            s = tracks.get((int(v["node"]), "translation"))
            if s is not None:
                expressions[str(name)] = np.clip(_sample(doc, binary, s, times)[:, 0], 0.0, 1.0)
    gaze = None
    look = ext.get("lookAt", {}).get("node")
    if look is not None and tracks.get((int(look), "rotation")) is not None:
        q = _sample(doc, binary, tracks[(int(look), "rotation")], times)
        gaze = quat.rotate(q, np.array([0.0, 0.0, 1.0]))
    meta = {"source": p.name, "fps": float(fps), "duration": n / fps, "skeleton": skel.name, "format": "vrma"}
    return Clip(fps=float(fps), lrot=quat.continuous(lrot, axis=0), hips_pos=hips, skeleton=skel,
                expressions=expressions, gaze=gaze, meta=meta)  # fmt: skip


# -- writing -------------------------------------------------------------------------------------------


def vrma_bytes(clip: Clip) -> bytes:
    """``clip`` as the bytes of a ``.vrma`` file (deterministic: same clip, same bytes)."""
    sk = clip.skeleton
    present = [j for j in range(len(hm.BONES)) if sk.present[j]]
    node_of = {j: i for i, j in enumerate(present)}
    nodes: list[dict[str, Any]] = []
    for j in present:
        p = hm.PARENTS[j]
        while p >= 0 and not sk.present[p]:
            p = hm.PARENTS[p]
        off = sk.offsets[j] if p >= 0 else sk.offsets[0]
        if p >= 0 and p != hm.PARENTS[j]:  # a skipped (absent) parent sits on its own parent: offsets add up
            off = sk.rest_positions()[j] - sk.rest_positions()[p]
        nodes.append({"name": hm.BONES[j], "translation": [float(x) for x in off]})
    for j in present:
        p = hm.PARENTS[j]
        while p >= 0 and not sk.present[p]:
            p = hm.PARENTS[p]
        if p >= 0:
            nodes[node_of[p]].setdefault("children", []).append(node_of[j])
    blob = bytearray()
    accessors: list[dict[str, Any]] = []
    views: list[dict[str, Any]] = []

    def add(a: Array, kind: str, bounds: bool = False) -> int:
        data = np.ascontiguousarray(a, dtype="<f4")
        views.append({"buffer": 0, "byteOffset": len(blob), "byteLength": data.nbytes})
        blob.extend(data.tobytes())
        acc: dict[str, Any] = {"bufferView": len(views) - 1, "componentType": 5126, "count": len(data), "type": kind}
        if bounds:
            acc["min"] = [float(data.min())]
            acc["max"] = [float(data.max())]
        accessors.append(acc)
        return len(accessors) - 1

    time_acc = add(clip.times, "SCALAR", bounds=True)
    channels: list[dict[str, Any]] = []
    samplers: list[dict[str, Any]] = []

    def track(node: int, path: str, values: Array, kind: str) -> None:
        samplers.append({"input": time_acc, "output": add(values, kind), "interpolation": "LINEAR"})
        channels.append({"sampler": len(samplers) - 1, "target": {"node": node, "path": path}})

    lrot = quat.continuous(clip.lrot, axis=0)
    for j in present:
        track(node_of[j], "rotation", lrot[:, j][:, [1, 2, 3, 0]], "VEC4")
    track(node_of[0], "translation", clip.hips_pos, "VEC3")
    expr: dict[str, dict[str, dict[str, int]]] = {}
    for name in sorted(clip.expressions):
        nodes.append({"name": name})
        group = "preset" if name in PRESETS else "custom"
        expr.setdefault(group, {})[name] = {"node": len(nodes) - 1}
        values = np.zeros((clip.n_frames, 3))
        values[:, 0] = np.clip(clip.expressions[name], 0.0, 1.0)
        track(len(nodes) - 1, "translation", values, "VEC3")
    ext: dict[str, Any] = {
        "specVersion": "1.0",
        "humanoid": {"humanBones": {hm.BONES[j]: {"node": node_of[j]} for j in present}},
    }
    if expr:
        ext["expressions"] = expr
    if clip.gaze is not None:
        nodes.append({"name": "lookAt"})
        ext["lookAt"] = {"node": len(nodes) - 1}
        q = quat.continuous(quat.between(np.tile([0.0, 0.0, 1.0], (clip.n_frames, 1)), clip.gaze), axis=0)
        track(len(nodes) - 1, "rotation", q[:, [1, 2, 3, 0]], "VEC4")
    roots = [node_of[0]] + list(range(len(present), len(nodes)))
    doc = {
        "asset": {"version": "2.0", "generator": "Posers for Blender"},
        "extensionsUsed": [EXTENSION],
        "extensions": {EXTENSION: ext},
        "scene": 0,
        "scenes": [{"nodes": roots}],
        "nodes": nodes,
        "animations": [{"channels": channels, "samplers": samplers}],
        "accessors": accessors,
        "bufferViews": views,
        "buffers": [{"byteLength": len(blob)}],
    }
    js = json.dumps(doc, separators=(",", ":"), sort_keys=True).encode("utf-8")
    js += b" " * (-len(js) % 4)
    blob.extend(b"\0" * (-len(blob) % 4))
    total = 12 + 8 + len(js) + 8 + len(blob)
    return b"".join(
        [struct.pack("<4sII", _GLB_MAGIC, 2, total), struct.pack("<II", len(js), _JSON), js,
         struct.pack("<II", len(blob), _BIN), bytes(blob)]
    )  # fmt: skip


def write_vrma(clip: Clip, path: str | Path) -> None:
    """Write ``clip`` as a ``.vrma`` file."""
    Path(path).write_bytes(vrma_bytes(clip))
