"""Each calculator's fields are declared once (``FIELDS``): the reader, the JSON Schema and the CLI's
``--schema`` all come from that declaration and agree with each other."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
from calc_common import GOLDEN, ROOT

from calculators import CALCULATORS, CalcError, compute, schema
from calculators.fields import Amount, Form, Int, ListOf, parse_typed


@pytest.mark.parametrize("name", list(CALCULATORS))
def test_schema_is_valid_draft_2020_12(name):
    s = schema(name)
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(s)
    assert s["additionalProperties"] is False
    assert set(s["properties"]) == set(CALCULATORS[name].FIELDS.names())


@pytest.mark.parametrize("case", GOLDEN, ids=lambda c: f"{c['calculator']}: {c['name']}")
def test_every_golden_input_validates(case):
    jsonschema.validate(case["input"], schema(case["calculator"]), cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("name", list(CALCULATORS))
def test_default_and_normalised_inputs_validate(name):
    module = CALCULATORS[name]
    s = schema(name)
    jsonschema.validate(module.DEFAULT_INPUT, s, cls=jsonschema.Draft202012Validator)
    jsonschema.validate(compute(name, module.DEFAULT_INPUT)["input"], s, cls=jsonschema.Draft202012Validator)


def test_schema_and_reader_agree_on_bounds():
    s = schema("travel")
    legs = s["properties"]["legs"]
    from calculators.travel import FIELDS

    declared = FIELDS.field("legs")
    assert isinstance(declared, ListOf) and legs["maxItems"] == declared.hi
    too_many = {"rank": "other", "legs": [{"region": "in_province", "days": 1}] * (declared.hi + 1)}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(too_many, s, cls=jsonschema.Draft202012Validator)
    with pytest.raises(CalcError) as err:
        compute("travel", too_many)
    assert err.value.field == "legs"
    # a bound set by the data: the discussion score's maximum is the clause's points
    from calculators import rules

    top = rules.value("study.discussion.points")
    assert schema("study")["properties"]["discussion"]["anyOf"][0]["maximum"] == int(top)


@pytest.mark.parametrize("typed", ["５４０", "540元", "1,234.5", "１，２３４．５", " 12 元 ", "-3"])
def test_typed_numbers_parse_and_match_the_schema_pattern(typed):
    import re

    amount = Amount(name="x", label=("金额", "Amount"))
    assert parse_typed(typed, amount.units()) is not None
    pattern = amount.json_schema()["anyOf"][1]["pattern"]
    assert re.search(pattern, typed)


@pytest.mark.parametrize("typed", ["", "abc", "1,23", "1.2.3", "12 34", "一百", "1e5", "元"])
def test_not_numbers(typed):
    assert parse_typed(typed, ("元",)) is None


def test_error_names_label_path_and_what_is_allowed():
    form = Form(ListOf(name="legs", label=("行程", "Legs"), lo=1, hi=3, item=("第{n}段行程", "Leg {n}"),
                       add=("添加", "Add"), fields=(Int(name="days", label=("天数", "Days"), lo=1, hi=365),)))
    with pytest.raises(CalcError) as err:
        form.read({"legs": [{"days": 1}, {"days": 400}]})
    assert err.value.field == "legs[1].days"
    assert err.value.zh == "第2段行程 · 天数:须为1–365之间的整数,而不是400"
    assert err.value.en == "Leg 2 · Days: must be a whole number from 1 to 365, not 400"
    assert form.at("legs[0].days").label(0) == "第1段行程 · 天数"


def test_cli_schema():
    proc = subprocess.run([sys.executable, "-m", "calculators", "travel", "--schema"], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == schema("travel")


@pytest.mark.parametrize("name", list(CALCULATORS))
def test_no_field_is_called_both_optional_and_required(name):
    """An optional field that the rules require in some cases says so in its marker (``required_when``,
    shown instead of "optional"), never in its label or help next to "optional" (issue #11 item 6)."""
    for path, f in CALCULATORS[name].FIELDS.walk():
        if f.required:
            continue
        words = " ".join([*f.label, *(f.help or ())])
        assert "必填" not in words and "required" not in words.lower(), f"{name} {path}: {words!r}"


def test_the_travel_meal_rate_is_required_outside_sichuan_not_optional():
    from jinja2 import Environment, FileSystemLoader

    from handbook.pages.site import TEMPLATES

    travel = CALCULATORS["travel"]
    for lang, marker, wrong in (("zh", "(省外必填)", "(选填)"), ("en", "(required outside Sichuan)", "(optional)")):
        env = Environment(loader=FileSystemLoader(str(TEMPLATES)))
        html = env.get_template("calc_fields.html.j2").render(
            lang=lang, name="travel", calc=travel, rules={}, root="", t=lambda zh, en, _l=lang: zh if _l == "zh" else en)
        label = html[html.index('data-path="legs[].meal_rate"') - 600: html.index('data-path="legs[].meal_rate"')]
        label = label[label.rindex("<label"):]
        assert marker in label and wrong not in label, label


# Every bidirectional control Unicode has (UAX #9): embeddings and overrides, isolates, marks.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_names_keep_no_bidirectional_controls():
    """A destination typed or linked with U+202E (which shows the text after it reversed) or any other
    bidirectional control is read without them: the result (screen and worksheet) never echoes one."""
    from calculators.fields import BIDI_CONTROLS

    assert set(BIDI_CONTROLS) == set(BIDI)
    name = "".join(BIDI) + "\u202e都成\u202c"
    for leg in ({"region": "out_of_province", "days": 2, "destination": name, "meal_rate": 100},):
        result = compute("travel", {"rank": "other", "legs": [leg],
                                     "lodging": {"nights": 1, "amount": 300, "invoice": True, "destination": name}})
        dumped = json.dumps(result, ensure_ascii=False)
        assert not set(dumped) & set(BIDI), [c for c in dumped if c in BIDI]
        assert result["input"]["legs"][0]["destination"] == "都成"
    with pytest.raises(CalcError):  # nothing left but controls: not a name
        compute("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 1, "destination": "\u202e\u2066"}]})


def test_the_worksheet_echo_strips_the_same_controls():
    """The printed worksheet lists the form's values (form.js summary()); dom.js's BIDI_CONTROLS, which it
    strips, is the same set as the engine's."""
    import re

    from calculators.fields import BIDI_CONTROLS

    js = (ROOT / "overrides" / "assets" / "calc" / "dom.js").read_text(encoding="utf-8")
    cls = re.search(r"export const BIDI_CONTROLS = /\[(.*?)\]/g;", js)
    assert cls, "BIDI_CONTROLS not found in dom.js"
    pattern = re.compile("[" + cls.group(1) + "]")  # \uXXXX and ranges read the same in Python
    assert {chr(c) for c in range(0x10000) if pattern.match(chr(c))} == set(BIDI_CONTROLS)
    form = (ROOT / "overrides" / "assets" / "calc" / "form.js").read_text(encoding="utf-8")
    assert 'el.value.replace(BIDI_CONTROLS, "")' in form


def test_every_field_has_a_label_and_a_one_line_help_in_both_languages():
    """Issue 21 item 7: a label a new hire understands and a one-line help saying why the field matters, on every
    calculator's form (the help is one line: no line break, and short)."""
    from calculators import CALCULATORS

    for name, module in CALCULATORS.items():
        for path, f in module.FIELDS.walk():
            assert all(f.label) and f.help and all(f.help), (name, path)
            for text in f.help:
                assert "\n" not in text and len(text) <= 120, (name, path, text)
