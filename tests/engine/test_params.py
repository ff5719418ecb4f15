import json

import pytest

from posers_blender.engine.params import Constraint, Param, ParamError, Schema

S = Schema(
    (
        Param("rate", "float", 14.0, "breaths per minute", 10.0, 20.0, "1/min", "Breathing"),
        Param("count", "int", 3, "how many", 1, 9, "count"),
        Param("hand", "enum", "right", "which hand", choices=("left", "right")),
        Param("loop", "bool", False, "loop it"),
    )
)


def test_defaults_validate_to_themselves():
    assert S.validate().to_dict() == S.defaults()


def test_unknown_parameter_names_a_close_match():
    with pytest.raises(ParamError, match="unknown parameter 'rat'; did you mean 'rate'"):
        S.validate({"rat": 12})


def test_out_of_range_names_the_parameter_value_and_range():
    with pytest.raises(ParamError) as e:
        S.validate({"rate": 30})
    msg = str(e.value)
    assert "'rate'" in msg and "30" in msg and "10 to 20 1/min" in msg


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "fast", None, True])
def test_non_numbers_and_nan_are_rejected(bad):
    with pytest.raises(ParamError, match="'rate'"):
        S.validate({"rate": bad})


def test_int_rejects_fractions_and_enum_suggests():
    with pytest.raises(ParamError, match="whole number"):
        S.validate({"count": 2.5})
    with pytest.raises(ParamError, match="did you mean 'left'"):
        S.validate({"hand": "lefft"})


def test_cli_assignments_are_typed():
    vals = S.parse_assignments(["rate=12.5", "count=4", "hand=left", "loop=yes"])
    assert vals == {"rate": 12.5, "count": 4, "hand": "left", "loop": True}
    with pytest.raises(ParamError, match="name=value"):
        S.parse_assignments(["rate"])


def test_json_preset_round_trip(tmp_path):
    p = tmp_path / "preset.json"
    p.write_text(json.dumps({"params": {"rate": 16, "hand": "left"}}))
    assert S.validate(S.load_preset(p))["rate"] == 16
    p.write_text("{not json")
    with pytest.raises(ParamError, match="not valid JSON"):
        S.load_preset(p)
    with pytest.raises(ParamError, match="does not exist"):
        S.load_preset(tmp_path / "missing.json")


def test_json_schema_carries_ranges_units_and_enums():
    js = S.json_schema("demo")
    assert js["properties"]["rate"]["minimum"] == 10.0
    assert js["properties"]["rate"]["x-unit"] == "1/min"
    assert js["properties"]["hand"]["enum"] == ["left", "right"]
    assert js["additionalProperties"] is False


def test_a_bad_declaration_fails_early():
    with pytest.raises(ValueError):
        Param("x", "float", 50.0, "x", 0.0, 10.0)
    with pytest.raises(ValueError):
        Schema((Param("a", "bool", False, "a"), Param("a", "bool", True, "a")))


FITS = Constraint(
    ("enter", "leave"),
    "enter + leave + 0.5 s <= clip length",
    lambda p, t: p.enter + p.leave + 0.5 <= t.duration,
    lambda p, t: f"make the clip at least {p.enter + p.leave + 0.5:g} s or shorten enter/leave",
    why="the move out would start before the move in ends",
    clip=True,
)
SLOW = Constraint(
    ("enter",), "enter = 0 or enter >= 1 s", lambda p, t: p.enter == 0 or p.enter >= 1.0, lambda p, t: "set enter=0"
)
T = Schema(
    (
        Param("enter", "float", 1.0, "move in", 0.0, 2.5, "s"),
        Param("leave", "float", 0.0, "move out", 0.0, 2.5, "s"),
    ),
    constraints=(SLOW, FITS),
)


def test_a_broken_constraint_names_both_parameters_their_values_the_rule_and_the_fix():
    with pytest.raises(ParamError) as e:
        T.validate({"enter": 2.5, "leave": 2.5}, duration=4.0, fps=30.0)
    msg = str(e.value)
    assert "enter = 2.5 s" in msg and "leave = 2.5 s" in msg and "clip = 4 s" in msg
    assert "enter + leave + 0.5 s <= clip length" in msg and "at least 5.5 s" in msg
    assert "\n" not in msg


def test_clip_constraints_wait_for_the_timing_and_others_do_not():
    assert T.validate({"enter": 2.5, "leave": 2.5})["leave"] == 2.5  # no clip yet: checked at sampling
    assert T.validate({"enter": 2.5, "leave": 2.5}, duration=5.5, fps=24.0)["enter"] == 2.5
    with pytest.raises(ParamError, match="enter = 0.2 s: needs enter = 0 or enter >= 1 s; set enter=0"):
        T.validate({"enter": 0.2})


def test_constraints_show_in_the_json_schema_as_text():
    js = T.json_schema("demo")
    rules = js["x-constraints"]
    assert [r["rule"] for r in rules] == ["enter = 0 or enter >= 1 s", "enter + leave + 0.5 s <= clip length"]
    assert rules[1]["parameters"] == ["enter", "leave"] and "clip" in rules[1]["uses"]
    assert "x-constraints" not in S.json_schema("demo")


def test_a_constraint_on_an_unknown_parameter_fails_early():
    with pytest.raises(ValueError, match="unknown parameters"):
        Schema((Param("enter", "float", 0.0, "in", 0.0, 1.0, "s"),), constraints=(FITS,))


def test_the_sampler_checks_constraints_before_sampling():
    from posers_blender.engine import sample
    from posers_blender.registry import get

    with pytest.raises(ParamError, match="make the clip at least 5.5 s"):
        sample(get("contemplative-lean"), {"enter": 2.5, "leave": 2.5}, duration=4.0)
    with pytest.raises(ParamError, match="set enter=0"):
        sample(get("confident-stance"), {"enter": 0.1}, duration=4.0)
