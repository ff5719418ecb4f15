"""The panel: sub-panels per parameter group, presets (the CLI's JSON), reset, plain tooltips, menu entries,
progress, and re-sampling in a worker thread so an edit never freezes the interface."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("bpy", reason="the Blender integration tests need the bpy module (pip bpy==5.0.1)")

import bpy

import posers_blender
from posers_blender import registry
from posers_blender.blender import bake, builtin, preview, props, ui


@pytest.fixture
def addon(empty_scene):
    posers_blender.register()
    yield
    posers_blender.unregister()


def rig(name: str = "Posers Avatar") -> bpy.types.Object:
    obj = builtin.build(name=name)
    bpy.context.view_layer.objects.active = obj
    return obj


class Layout:
    """Records what a panel draws: props per column, sub-panels and their open state, operators."""

    def __init__(self, log: dict[str, Any], name: str = "top") -> None:
        self.log, self.name, self.enabled = log, name, True
        log.setdefault("props", {}).setdefault(name, [])

    def _child(self, kind: str) -> Layout:
        n = len(self.log["props"])
        return Layout(self.log, f"{self.name}/{kind}{n}")

    def box(self) -> Layout:
        return self._child("box")

    def column(self, **_: Any) -> Layout:
        return self._child("col")

    def row(self, **_: Any) -> Layout:
        return self._child("row")

    def prop(self, data: Any, name: str, **_: Any) -> None:
        self.log["props"][self.name].append(name)

    def label(self, **_: Any) -> None:
        pass

    def separator(self, **_: Any) -> None:
        pass

    def operator(self, idname: str, **_: Any) -> None:
        self.log.setdefault("operators", []).append(idname)

    def operator_menu_enum(self, idname: str, prop: str, **_: Any) -> None:
        self.log.setdefault("operators", []).append(idname)

    def panel(self, idname: str, default_closed: bool = False) -> tuple[Layout, Layout | None]:
        self.log.setdefault("panels", []).append((idname, default_closed))
        return self._child("header"), Layout(self.log, idname)


def test_parameters_sit_in_one_sub_panel_per_group(addon):
    obj = rig()
    obj.posers.motion = "confident-stance"
    log: dict[str, Any] = {}
    ui.POSERS_PT_motion.draw(type("P", (), {"layout": Layout(log)})(), bpy.context)
    groups = registry.get("confident-stance").schema.groups()
    params = [(idname, closed) for idname, closed in log["panels"] if idname.startswith("POSERS_PT_params_")]
    assert len(params) == len(groups) and params[0][1] is False and all(c for _, c in params[1:])
    longest = max(len(v) for v in log["props"].values())
    assert longest <= max(len(g) for g in groups.values()) <= 8  # was 24 fields in one column
    for idname in ("posers.load_preset", "posers.save_preset", "posers.reset_params", "posers.add_life_layer"):
        assert idname in log["operators"]
    assert "posers.load_score" in log["operators"]


def test_menu_lists_every_operator_including_life_layer_and_score(addon):
    assert {"posers.add_life_layer", "posers.load_score"} <= set(ui.MENU_OPERATORS)
    for idname in ui.MENU_OPERATORS:
        mod, name = idname.split(".")
        assert getattr(getattr(bpy.ops, mod), name).get_rna_type() is not None


def test_tooltips_are_plain_language_with_units(addon):
    obj = rig()
    bad = re.compile(r"facts|metrics|issue \d|§|\[[A-Z]\]|Range true or false")
    for mid in registry.discover():
        group = getattr(obj.posers.params, props.attr_name(mid))
        for p in registry.get(mid).schema:
            rna = group.bl_rna.properties[p.name]
            assert not bad.search(rna.description), (mid, p.name, rna.description)
            assert "(count)" not in rna.name and "(x)" not in rna.name
            if p.kind == "float" and p.unit == "s":
                assert rna.description.endswith("seconds"), rna.description
    rate = obj.posers.params.idle_breathe.bl_rna.properties["rate"]
    assert rate.description == "Breaths per minute (12-20 at rest). From 10 to 20 per minute"
    puffs = obj.posers.params.smoking_cigarette.bl_rna.properties["puff_count"]
    assert puffs.name == "Puff count" and puffs.description == "Puffs in the cigarette (8.3 ± 2). From 7 to 15"


def test_presets_save_load_reset_and_match_the_cli_format(addon, tmp_path: Path):
    obj = rig()
    s = obj.posers
    s.motion, s.seed = "idle-breathe", 7
    s.params.idle_breathe.rate = 18.0
    path = tmp_path / "calm.json"
    assert bpy.ops.posers.save_preset(filepath=str(path)) == {"FINISHED"}
    saved = json.loads(path.read_text())
    assert saved["motion"] == "idle-breathe" and saved["seed"] == 7 and saved["params"]["rate"] == 18.0
    schema = registry.get("idle-breathe").schema
    assert schema.load_preset(path) == saved["params"]  # what 'posers sample --params' reads
    assert bpy.ops.posers.reset_params() == {"FINISHED"}
    assert s.params.idle_breathe.rate == pytest.approx(schema["rate"].default)
    s.seed = 0
    assert bpy.ops.posers.load_preset(filepath=str(path)) == {"FINISHED"}
    assert s.params.idle_breathe.rate == pytest.approx(18.0) and s.seed == 7
    # a 'posers tune --out' preset for another motion switches the motion
    tuned = tmp_path / "tuned.json"
    tuned.write_text(json.dumps({"motion": "nervous-fidget", "params": {"energy": 1.2}, "seed": 3, "score": 0.5}))
    assert bpy.ops.posers.load_preset(filepath=str(tuned)) == {"FINISHED"}
    assert s.motion == "nervous-fidget" and s.params.nervous_fidget.energy == pytest.approx(1.2) and s.seed == 3
    bad = tmp_path / "bad.json"
    bad.write_text('{"rate": 99}')
    s.motion = "idle-breathe"
    with pytest.raises(RuntimeError, match="rate"):
        bpy.ops.posers.load_preset(filepath=str(bad))
    assert s.params.idle_breathe.rate == pytest.approx(18.0)  # nothing changed


def test_an_edit_resamples_in_a_worker_thread_without_blocking(addon, monkeypatch):
    monkeypatch.setattr(preview, "ASYNC", True)
    obj = rig()
    obj.posers.motion = "smoking-cigarette"
    obj.posers.seconds = 30.0
    obj.posers.preview = True
    preview.wait()
    first = preview._caches[obj.name]
    obj.posers.params.smoking_cigarette.puff_count = 6
    t0 = time.perf_counter()
    preview.update_object(obj, 1, settings_changed=True)
    blocked = time.perf_counter() - t0
    assert preview._caches[obj.name] is first  # the old clip keeps posing meanwhile
    preview.wait()
    assert preview._caches[obj.name] is not first and obj.posers.last_error == ""
    assert blocked < 0.5 * max(preview._last_sample_s, 0.2), (blocked, preview._last_sample_s)


def test_bake_reports_progress(addon):
    obj = rig()
    seen: list[tuple[float, str]] = []
    from posers_blender.blender import avatar

    bake.bake(
        avatar.load(obj), bake.BakeOptions("idle-breathe", seconds=1.0), progress=lambda f, w: seen.append((f, w))
    )
    fractions = [f for f, _ in seen]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0 and fractions == sorted(fractions)
    assert bpy.ops.posers.bake_motion() == {"FINISHED"}  # window-manager progress around the operator's bake
