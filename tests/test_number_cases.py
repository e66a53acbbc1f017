"""One number parser: the engine's rules for a number as people type it (calculators/fields.py), checked
against the same table of cases (tests/number_cases.json) that tests/js/calc-numbers.test.mjs runs through
the page's parser (overrides/assets/calc/values.js). Numbers no double holds are refused by the field."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from calculators import api
from calculators.fields import parse_typed

CASES = json.loads((Path(__file__).parent / "number_cases.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[repr(c["text"]) for c in CASES])
def test_the_engine_reads_each_case(case):
    got = parse_typed(case["text"], tuple(case["units"]))
    if case["value"]:
        assert got == Decimal(case["value"]), case
    else:
        assert got is None, case


@pytest.mark.parametrize("literal", ["1e309", "-1e309", "Infinity", "-Infinity", "NaN", '"1e309"', '"Infinity"', '"NaN"'])
def test_a_number_no_double_holds_is_refused_by_the_field(literal):
    """Never "not given": 1e309 in errand's missed meals was read as null and the total dropped (issue 22)."""
    out = json.loads(api.run("errand", '{"days":[{"meals":%s,"taxi":0}]}' % literal))
    assert out["ok"] is False, out
    err = out["error"]
    assert err["field"] == "days[0].meals"
    assert "误餐次数" in err["zh"] and "Missed meals" in err["en"] and "0–10" in err["zh"], err
