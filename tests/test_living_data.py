"""The suite survives real data (issue 19, item 4): the maintainer's walk-through (tests/living_data.py: a figure
amended as the manual shows, standards rows imported from the finance office's sheet, a question about the new
rate; text amendments, a new clause and a repeal once clauses carry dated text) is applied to a copy of the data
under test, and the data, engine and page tests (Renderer-level, not the browser) run against that copy in a
subprocess, with the calculators reading the rules derived from it (as handbook.build does for other data)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
from living_data import walk_through
from rules_fixtures import AMENDED_ID, copy_data

from calculators import compute, rules
from handbook.exports.rules_export import derive_for_build, export
from handbook.model.loader import load
from handbook.paths import ROOT

pytestmark = pytest.mark.xdist_group("test_living_data")  # one worker makes its walked copy of data/ (module fixtures), not each

# The modules that test the data, the engine and the pages without a browser or a site build. Each reads the
# data under test from HANDBOOK_DATA (tests/conftest.py's ``hb``; tests/rules_fixtures.py copies it) and the
# engine's rules from HANDBOOK_RULES.
MODULES = [
    "tests/test_rules_in_time.py",
    "tests/test_questions.py",
    "tests/test_structure.py",
    "tests/calculators/test_engine.py",
    "tests/calculators/test_dates.py",
    "tests/calculators/test_rules_export.py",
]


@pytest.fixture(scope="module")
def living(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("living")
    data = copy_data(tmp)
    changed = walk_through(data, tmp)
    env = derive_for_build(data, tmp / "site")  # the calculators follow the copy: HANDBOOK_RULES, HANDBOOK_CALC_PACKAGE
    assert env, "a copy of the data gets rules of its own"
    return data, changed, env


def test_the_walk_through_agrees_on_every_figure(living):
    """The amended figure, the imported rows and the new question agree in the engine, the quiz and the pages."""
    data, changed, _env = living
    hb = load(data)
    a = changed["amendment"]
    from handbook.pages.training import fmt, prepare

    with rules.using(export(hb)):
        before = compute("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 2}], "date": a.before})
        after = compute("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 2}], "date": a.day})
        assert Decimal(str(after["total"])) - Decimal(str(before["total"])) == 2 * (a.new - a.old)
        with rules.in_force(date(2020, 10, 8)):
            assert rules.standard("lodging_cap", rank="other", destination=changed["place"] + "市") == Decimal(500)
            assert rules.standard("lodging_cap", rank="department", destination=changed["place"]) == Decimal(650)
        question = next(q for q in hb.questions if q.id == changed["question"])
        built = prepare(hb, question)
    from handbook.model.timeline import value_on

    rate = value_on(hb, AMENDED_ID, date.fromisoformat(question.numeric.input["date"]))  # the question's day
    assert rate == (a.new if question.numeric.input["date"] >= a.day else a.old)
    assert built.answer == fmt(2 * rate) and fmt(rate) in built.explanation["zh"] and fmt(rate) in built.explanation["en"]


def test_data_engine_and_page_tests_pass_on_the_changed_data(living, tmp_path):
    data, _changed, env = living
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-x", "--basetemp", str(tmp_path / "t"), *MODULES],
        cwd=ROOT, env={**os.environ, "HANDBOOK_DATA": str(data), **env}, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert AMENDED_ID  # the walk-through amended the travel meal rate that the modules' fixtures also amend
