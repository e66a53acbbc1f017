"""Values are what they say they are, and the calculators a build ships follow the data (issue 14, items 1-2).

* Every value's unit declares its kind (money, percent, days, count, ...); the loader enforces the kind's
  range and the data's ordered thresholds and totals, with file, line and reason.
* A changed value reaches the calculators through the build itself: built from data/ the build
  regenerates calculators/rules.json; built from a copy (HANDBOOK_DATA) it ships rules derived from the copy.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from rules_fixtures import AMENDED_ID, bump_in_force, copy_data, data_under_test, set_value

from calculators import compute, rules
from handbook.exports.rules_export import derive_for_build, export, render
from handbook.model.loader import load
from handbook.model.models import KINDS, UNIT_KIND, kind_problem
from handbook.model.yamlfile import DataError

ROOT = Path(__file__).resolve().parent.parent
FINANCE = "regulation/finance.yaml"


def _bad(tmp_path, value_id, new, file=FINANCE) -> DataError:
    data = copy_data(tmp_path)
    path, line = set_value(data, value_id, new, file)
    with pytest.raises(DataError) as info:
        load(data)
    err = info.value
    assert err.file == path, str(err)
    return err, line


# --------------------------------------------------------------------------- kinds and ranges


def test_every_unit_has_a_kind_and_every_value_exports_it(hb):
    assert set(UNIT_KIND.values()) == set(KINDS)
    assert {"money", "percent", "fraction", "ratio", "minutes", "hours", "days", "count", "points", "classes"} == set(KINDS)
    for vid, (value, _clause) in hb.values.items():
        assert rules.rules()["values"][vid]["kind"] == value.kind == UNIT_KIND[value.unit]
        assert kind_problem(value.kind, value.value) is None, vid


def test_a_negative_reception_rate_fails_with_file_and_line(tmp_path):
    """The audit's case: `reception.official.per_head: -150` used to load, export and pay -450."""
    err, line = _bad(tmp_path, "reception.official.per_head", "-150")
    assert err.line == line
    assert "cannot be negative" in err.reason and "reception.official.per_head" in err.reason
    assert err.location.endswith(".value")
    assert re.match(rf"^.*finance\.yaml:{line}: part\.sections\[\d+\]", str(err))


@pytest.mark.parametrize("value_id, new, reason, file", [
    ("travel.misc.unit_transport_percent", "150", "between 0 and 100", FINANCE),
    ("training.duration.tier4_percent", "-10", "cannot be negative", FINANCE),
    ("meetings.party_group.quorum", "3/2", "between 0 and 1", "regulation/meetings.yaml"),
    ("reception.hosts.ratio_within", "0", "greater than 0", FINANCE),
    ("attendance.late.minutes", "2000", "at most 1440", "regulation/labour.yaml"),
    ("duty.holiday.hours", "25", "at most 24", "regulation/labour.yaml"),
    ("leave.sick.certificate.min_days", "0", "greater than 0", "regulation/labour.yaml"),
    ("vehicles.driver.dismissal_times", "2.5", "whole number", FINANCE),
    ("study.published.bonus", "120", "out of 100", "regulation/meetings.yaml"),
    ("travel.meal.in_province", "'1/2'", "fraction", FINANCE),
    ("travel.class.other.air", "[]", "at least one class", FINANCE),
    ("travel.class.other.air", "[economy, economy]", "twice", FINANCE),
])
def test_values_out_of_range_fail_with_file_and_line(tmp_path, value_id, new, reason, file):
    err, line = _bad(tmp_path, value_id, new, file)
    assert reason in err.reason and line - 1 <= err.line <= line, str(err)  # the value's line (or its item's)


@pytest.mark.parametrize("value_id, new, reason, file", [
    ("training.duration.tier2_days", "5", "must be greater than 'training.duration.tier1_days'", FINANCE),
    ("training.duration.tier3_percent", "95", "must be less than 'training.duration.tier2_percent'", FINANCE),
    ("training.quota.total", "400", "must be the sum of", FINANCE),
    ("study.article.points", "20", "must be the sum of", "regulation/meetings.yaml"),
    ("leave.personal.short.max_days", "3", "must be greater than 'leave.personal.short.max_days'", "regulation/labour.yaml"),
    ("reception.hosts.ratio_beyond", "2", "must be less than 'reception.hosts.ratio_within'", FINANCE),
])
def test_thresholds_out_of_order_fail(tmp_path, value_id, new, reason, file):
    data = copy_data(tmp_path)
    path, _line = set_value(data, value_id, new, file)
    with pytest.raises(DataError) as info:
        load(data)
    assert info.value.file == path and info.value.line and reason in info.value.reason, str(info.value)


def test_the_export_and_the_build_refuse_a_negative_rate(tmp_path):
    data = copy_data(tmp_path)
    _path, line = set_value(data, "reception.official.per_head", "-150")
    proc = subprocess.run([sys.executable, "-m", "handbook.exports.rules_export", "--data", str(data), "--output", str(tmp_path / "r.json")],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1 and f"finance.yaml:{line}" in proc.stderr and "negative" in proc.stderr
    assert not (tmp_path / "r.json").exists()
    proc = subprocess.run([sys.executable, "-m", "handbook.build", "--out", str(tmp_path / "site"), "--quiet"], cwd=ROOT,
                          env={**os.environ, "HANDBOOK_DATA": str(data)}, capture_output=True, text=True)
    assert proc.returncode != 0 and f"finance.yaml:{line}" in proc.stderr and "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- the build derives the rules


def _cli(path: Path, name: str, data: dict) -> dict:
    """``python -m calculators NAME`` with the package found first on ``path`` (a folder or the bundle zip), reading
    that package's own rules.json (not the rules a run on a copy of the data points HANDBOOK_RULES at)."""
    env = {k: v for k, v in os.environ.items() if k != "HANDBOOK_RULES"}
    proc = subprocess.run([sys.executable, "-m", "calculators", name], input=json.dumps(data), cwd=path.parent,
                          env={**env, "PYTHONPATH": str(path)}, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


TRIP = {"rank": "other", "legs": [{"region": "in_province", "days": 2}], "date": "2020-10-08"}  # the first version's day


def _first(data, value_id) -> Decimal:
    return load(data).values[value_id][0].value


def test_built_from_data_the_stale_rules_are_regenerated(tmp_path, capsys):
    """As the build does for data/: a stale rules.json is rewritten, naming what changed; the CLI follows."""
    data = copy_data(tmp_path)
    old = _first(data, AMENDED_ID)
    path, line = set_value(data, AMENDED_ID, str(old + 20))
    package = tmp_path / "pkg" / "calculators"
    shutil.copytree(ROOT / "calculators", package, ignore=shutil.ignore_patterns("__pycache__"))
    before = _cli(package.parent, "travel", TRIP)
    env = derive_for_build(data, tmp_path / "site", default_data=data, output=package / "rules.json")
    assert env == {}
    err = capsys.readouterr().err
    assert f"{AMENDED_ID} is {old + 20} in the data but {old}" in err and f"finance.yaml:{line}" in err
    assert "regenerated" in err and "make rules" in err
    assert (package / "rules.json").read_text(encoding="utf-8") == render(export(load(data)))
    after = _cli(package.parent, "travel", TRIP)
    assert Decimal(after["total"]) - Decimal(before["total"]) == 2 * 20
    assert derive_for_build(data, tmp_path / "site", default_data=data, output=package / "rules.json") == {}
    assert capsys.readouterr().err == ""  # up to date: nothing written, nothing said


def test_the_check_names_the_stale_value(tmp_path):
    data = copy_data(tmp_path)
    _path, line = set_value(data, AMENDED_ID, str(_first(data, AMENDED_ID) + 20))
    proc = subprocess.run([sys.executable, "-m", "handbook.exports.rules_export", "--check", "--data", str(data)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1
    assert AMENDED_ID in proc.stderr and f"finance.yaml:{line}" in proc.stderr and "make rules" in proc.stderr


# What one MkDocs process of the build makes, from the environment handbook.build gives it (derive_for_build's
# variables and HANDBOOK_DATA): the pages of both languages through the hooks' own producers, and the calculators'
# bundle from the package the hooks would zip. A fresh interpreter, as each MkDocs build is.
BUILD_PARTS = r"""
import json, os, sys, yaml
from pathlib import Path
from handbook.pages.context import calculators, handbook
from handbook.pages.site import Renderer
from handbook.runtime import pyodide_bundle
out = {}
for lang, config in (("zh", "mkdocs.yml"), ("en", "mkdocs.en.yml")):
    renderer = Renderer(handbook(), lang, calculators())
    extra = yaml.safe_load(Path(config).read_text(encoding="utf-8"))["extra"]
    pages = {p.src_uri: p.content for p in renderer.pages()}
    out[lang] = {"pages": {k: pages[k] for k in ("finance/travel.md", "changes.md", "calculators/travel.md")},
                 "nav": json.dumps(renderer.nav(extra["nav_head"], extra["nav_tail"]), ensure_ascii=False)}
pyodide_bundle.make_zip(Path(os.environ["HANDBOOK_CALC_PACKAGE"]), Path(sys.argv[1]))
print(json.dumps(out, ensure_ascii=False))
"""


def test_a_site_built_from_changed_data_pays_the_changed_rate(tmp_path):
    """The audit's case: travel.meal.in_province 100 -> 120 in a copy of the data, through what the real build
    runs (handbook.build derives the rules, each MkDocs process renders the pages and zips the package; the whole
    build is not run again here: the run's one build is tests/conftest.py's ``site``). The section page, the
    calculator page's build-time result, the bundle the browser runs and the CLI run from that bundle all say
    120; the repository's own rules.json is untouched."""
    shipped = (ROOT / "calculators" / "rules.json").read_bytes()
    data = copy_data(tmp_path)
    old, new = bump_in_force(data, AMENDED_ID)  # the figure in force today, wherever the data writes it
    example = __import__("calculators").CALCULATORS["travel"].DEFAULT_INPUT  # today, as the page renders it
    env = derive_for_build(data, tmp_path / "site")  # as handbook.build does before starting MkDocs
    assert set(env) == {"HANDBOOK_RULES", "HANDBOOK_CALC_PACKAGE"}
    bundle = tmp_path / "calculators.zip"
    proc = subprocess.run([sys.executable, "-c", BUILD_PARTS, str(bundle)], cwd=ROOT,
                          env={**os.environ, "HANDBOOK_DATA": str(data), **env}, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    built = json.loads(proc.stdout)
    assert (ROOT / "calculators" / "rules.json").read_bytes() == shipped

    derived = export(load(data))
    with rules.using(derived):
        expected = compute("travel", example)
    assert expected["total"] != compute("travel", example)["total"]

    assert re.search(rf"省内\(内地\)伙食补助费.{{0,400}}?{new}", built["zh"]["pages"]["finance/travel.md"], re.S)
    for lang in ("zh", "en"):  # the changes page is made and in the navigation, in both languages
        assert '<time datetime="2020-10-08">' in built[lang]["pages"]["changes.md"]
        assert '"changes.md"' in built[lang]["nav"]
        initial = json.loads(re.search(r"data-calc-initial='([^']*)'", built[lang]["pages"]["calculators/travel.md"]).group(1))
        assert json.loads(initial["output"])["result"]["total"] == expected["total"], lang

    with zipfile.ZipFile(bundle) as zf:
        assert str(new) in json.dumps(json.loads(zf.read("calculators/rules.json"))["values"][AMENDED_ID])
    via_bundle = _cli(bundle, "travel", example)  # the shipped engine, as a CLI
    assert via_bundle["total"] == expected["total"]


def test_mkdocs_run_directly_refuses_stale_rules(tmp_path):
    """Without handbook.build (``mkdocs build``/``serve``), the calculator pages refuse rules that do not
    fit the data, naming the value, its file and line, and the command."""
    from mkdocs.exceptions import PluginError

    from handbook.pages.site import Renderer

    data = copy_data(tmp_path)
    _path, line = set_value(data, AMENDED_ID, str(_first(data, AMENDED_ID) + 20))
    renderer = Renderer(load(data), "zh", {})
    with pytest.raises(PluginError) as err:
        _ = renderer.rules
    message = str(err.value)
    assert AMENDED_ID in message and f"finance.yaml:{line}" in message and "make rules" in message
    assert Renderer(load(data_under_test()), "en", {}).rules is rules.rules()  # the data under test and its rules agree
