"""Rules in time in the calculators (#9): an optional ``date`` picks the rules in force that day; the result says
which version it used (``rules_as_of``), its lines cite their dated source, it lists what to attach, and the
travel calculator uses the standards tables the finance office fills in."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
from calc_common import ROOT, dec
from rules_fixtures import AMENDMENT_DOC, amended_copy, copy_data, fill_standards

from calculators import CALCULATORS, CalcError, compute, rules, schema
from handbook.exports.rules_export import export
from handbook.model.loader import load

pytestmark = pytest.mark.xdist_group("test_dates")  # one worker makes its amended copies of the rules (module fixtures), not each

FIRST = "2020-10-08"


@pytest.fixture(scope="module")
def amendment(tmp_path_factory):
    data, a = amended_copy(tmp_path_factory.mktemp("amended"))
    return export(load(data)), a


@pytest.fixture(scope="module")
def standards(tmp_path_factory):
    data = copy_data(tmp_path_factory.mktemp("standards"))
    place = fill_standards(data).destination
    return export(load(data)), place


def trip(**kw):
    data = {"rank": "other", "legs": [{"region": "in_province", "days": 2}]}
    data.update(kw)
    return data


@pytest.mark.parametrize("name", list(CALCULATORS))
def test_every_calculator_takes_a_date_and_says_which_rules(name):
    module = CALCULATORS[name]
    assert "date" in module.FIELDS.names() and "date" in schema(name)["properties"]
    result = compute(name, dict(module.DEFAULT_INPUT, date="2021-03-04"))
    assert result["rules_as_of"] == FIRST and result["input"]["date"] == "2021-03-04"
    for line in result["lines"]:
        assert line["source"]["effective_from"] and line["source"]["document"]["zh"]
    for bad in ("2020-10-07", "2019-12-31"):
        with pytest.raises(CalcError) as err:
            compute(name, dict(module.DEFAULT_INPUT, date=bad))
        assert err.value.field == "date" and FIRST in err.value.zh and FIRST in err.value.en
    for bad in ("4 March 2021", 20210304, "2021-3-4"):
        with pytest.raises(CalcError) as err:
            compute(name, dict(module.DEFAULT_INPUT, date=bad))
        assert err.value.field == "date" and FIRST in err.value.zh and FIRST in err.value.en
    for bad in ("2021-02-29", "2021-02-30", "2021-13-01"):  # well written, no such day: says so (issue 21)
        with pytest.raises(CalcError) as err:
            compute(name, dict(module.DEFAULT_INPUT, date=bad))
        assert err.value.field == "date"
        assert f"没有 {bad} 这一天" in err.value.zh and f"there is no such day as {bad}" in err.value.en
        assert FIRST not in err.value.zh  # not the format-and-first-day message: the date is written right


def test_cli_invalid_date_exits_2_naming_the_first_day():
    proc = subprocess.run([sys.executable, "-m", "calculators", "travel"], input=json.dumps(trip(date="2020-01-01")),
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "出差首日" in proc.stderr and "First day of the trip" in proc.stderr and FIRST in proc.stderr


def test_an_amendment_applies_from_its_day(amendment):
    amended, a = amendment
    with rules.using(amended):
        before = compute("travel", trip(date=a.before))
        after = compute("travel", trip(date=a.day))
    assert dec(after["total"]) - dec(before["total"]) == 2 * (a.new - a.old)
    assert before["rules_as_of"] < a.day and after["rules_as_of"] == a.day
    meal = [line for line in after["lines"] if line["clause"] == "finance.travel.meal-allowance"][0]
    assert meal["source"]["effective_from"] == a.day and meal["source"]["document"] == AMENDMENT_DOC
    old = [line for line in before["lines"] if line["clause"] == "finance.travel.meal-allowance"][0]
    assert old["source"]["effective_from"] < a.day
    # the data under test is left as it was
    assert compute("travel", trip(date=a.day))["total"] == before["total"]


def test_travel_uses_the_standards_tables_when_filled_in(standards):
    standards, place = standards
    trip_to = {"rank": "other", "legs": [{"region": "out_of_province", "days": 2, "destination": place}],
               "lodging": {"nights": 1, "amount": 700, "invoice": True}}
    with pytest.raises(CalcError) as err:  # a place with no row: the form asks for the figures
        compute("travel", trip_to)
    assert err.value.field == "legs[0].meal_rate"
    with rules.using(standards):
        early = compute("travel", dict(trip_to, date="2022-06-01"))
        late = compute("travel", dict(trip_to, date="2023-06-01"))
        as_written = compute("travel", {**trip_to, "date": "2023-06-01",
                                        "legs": [{"region": "out_of_province", "days": 2, "destination": place + "市"}]})
        elsewhere = compute("travel", {**trip_to, "legs": [{"region": "out_of_province", "days": 2, "destination": "不存在的地方",
                                                             "meal_rate": 100}]})
    with rules.in_force(date(2022, 6, 1)):
        misc = rules.value("travel.misc.out_of_province") * 2
    assert dec(early["total"]) == 120 * 2 + misc + 500
    assert dec(late["total"]) == dec(as_written["total"]) == 120 * 2 + misc + 550  # 北京市 is 北京
    assert any("测试用标准" in n["zh"] for n in early["notes"])
    assert any(w["clause"] == "finance.travel.lodging" for w in elsewhere["warnings"]), "no row: ask, as today"


def test_results_list_what_to_attach():
    travel = compute("travel", trip())
    ids = [a["id"] for a in travel["attachments"]]
    assert "travel-approval-form" in ids and all(a["clause"] in travel["citations"] for a in travel["attachments"])
    reception = compute("reception", {"kind": "official", "guests": 2, "hosts": 1})
    assert {"reception-checklist", "invoices"} <= {a["id"] for a in reception["attachments"]}
    for a in travel["attachments"] + reception["attachments"]:
        assert a["label"]["zh"] and a["label"]["en"]


def test_no_date_is_today():
    assert compute("training", {"mode": "trainee", "days": 3})["rules_as_of"] == rules.as_of()
    assert Decimal(compute("training", {"mode": "trainee", "days": 3, "date": None})["total"]) > 0
