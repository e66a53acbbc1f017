"""calculators/rules.json is the data's export: up to date, complete for the calculators, and the
only place the calculators get their numbers from."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from calc_common import GOLDEN, ROOT

import calculators
from calculators import CALCULATORS, compute
from handbook.exports.rules_export import OUTPUT, clause_title, export, render

CALC_DIR = ROOT / "calculators"
# The sections the calculators implement: every number these state is a rate the code must not type.
SECTIONS = ("finance.travel", "finance.reception", "labour.attendance", "meetings.central-group-study")
# Too common in code to ban (indexes, "1 day", halves): the calculators still read these rates by id.
ALLOWED = {Decimal(0), Decimal(1), Decimal(2)}


@pytest.fixture(scope="module")
def exported(hb):
    return export(hb)


def test_rules_json_is_up_to_date(exported):
    """The rules the engine reads (calculators/rules.json, or the build's own for other data: HANDBOOK_RULES)."""
    output = Path(os.environ.get(calculators.rules.RULES_ENV) or OUTPUT)
    assert output.exists(), "calculators/rules.json is missing: run `make rules`"
    assert output.read_text(encoding="utf-8") == render(exported), (
        "calculators/rules.json is out of date with data/: run `make rules` (python -m handbook.exports.rules_export)")


def test_check_flag(tmp_path, hb, monkeypatch, capsys):
    from handbook.exports import rules_export

    monkeypatch.setattr(rules_export, "load", lambda data_dir: hb)  # the session's loaded data: no reload
    out = tmp_path / "rules.json"
    assert rules_export.main(["--check", "--output", str(out)]) == 1
    assert "is missing" in capsys.readouterr().err
    out.write_text("{}\n", encoding="utf-8")
    assert rules_export.main(["--check", "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert "out of date" in err and "make rules" in err
    assert rules_export.main(["--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == render(export(hb))
    assert rules_export.main(["--check", "--output", str(out)]) == 0
    assert "up to date" in capsys.readouterr().out


def test_check_flag_from_the_shell():
    proc = subprocess.run([sys.executable, "-m", "handbook.exports.rules_export", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_export_shape(hb, exported):
    assert set(exported) == {"regulation", "values", "clauses", "sections", "regions", "standards", "attachments", "quotes",
                             "readings", "units"}
    assert exported["units"]["yuan_per_day"] == {"zh": "元/人·天", "en": "yuan per person per day"}  # how a result writes a unit
    assert set(exported["values"]) == set(hb.values)
    for vid, entry in exported["values"].items():
        value, clause = hb.values[vid]
        assert entry["clause"] == clause.id and entry["unit"] == value.unit and entry["kind"] == value.kind
        assert entry["effective_from"] == (value.effective_from or hb.source.effective_from).isoformat()
        assert entry["source"]["document"]["zh"] and entry["source"]["document"]["en"]
        if isinstance(value.value, Decimal):
            assert isinstance(entry["value"], str) and Decimal(entry["value"]) == value.value
        else:
            assert entry["value"] == value.value
        assert entry["label"] == {"zh": value.label.zh, "en": value.label.en}
    assert set(exported["clauses"]) == set(hb.clauses)
    for cid, entry in exported["clauses"].items():
        section = hb.section_of[cid]
        assert entry["section"] == section.id and entry["anchor"] == cid
        assert entry["page"] == hb.page_path(section)
        assert entry["title"]["zh"] and entry["title"]["en"]
        assert entry["title"] == clause_title(hb.clauses[cid])
    assert set(exported["sections"]) == {s.id for s in hb.sections}
    text = render(exported)
    assert text.endswith("}\n") and json.loads(text) == exported and text == render(json.loads(text))


def test_untitled_clause_takes_its_first_words(hb, exported):
    untitled = [c for c in hb.clauses.values() if c.title is None and c.body]
    assert untitled
    for clause in untitled[:20]:
        title = exported["clauses"][clause.id]["title"]["zh"]
        first = next((b.zh for b in clause.body if hasattr(b, "zh")), None)
        if first:
            assert first.startswith(title.rstrip("…")[:10])
            assert len(title) <= 41


def _references(obj):
    """Every clause id a result refers to."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key == "clause" and isinstance(value, str):
                yield value
            else:
                yield from _references(value)
    elif isinstance(obj, list):
        for item in obj:
            yield from _references(item)


def test_every_cited_clause_exists(hb):
    known = set(hb.clauses) | {s.id for s in hb.sections}
    inputs = [(c["calculator"], c["input"]) for c in GOLDEN] + [(n, m.DEFAULT_INPUT) for n, m in CALCULATORS.items()]
    seen = set()
    for name, data in inputs:
        result = compute(name, data)
        refs = set(_references(result)) | set(result["citations"])
        assert refs <= known, refs - known
        seen |= refs
    for name, module in CALCULATORS.items():
        assert module.SECTION in known, name
    assert {"finance.travel.meal-allowance", "finance.reception.requirements.standards", "labour.attendance.hours",
            "meetings.central-group-study.assessment"} <= seen


def _sources():
    return sorted(CALC_DIR.glob("*.py"))


def test_every_id_in_the_code_exists(hb):
    """Value and clause ids written in the calculators' source are all in the data."""
    values = set(hb.values)
    known = set(hb.clauses) | {s.id for s in hb.sections}
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("value", "classes", "rate", "clause_of"):
                arg = node.args[0] if node.args else None
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    assert arg.value in values, f"{path.name}:{node.lineno}: no value {arg.value!r} in the data"
                elif isinstance(arg, ast.JoinedStr):  # f"travel.class.{rank}.{mode}": check every expansion
                    pass
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(
                    r"(finance|labour|meetings)\.[a-z0-9-]+(\.[a-z0-9-]+)*", node.value):
                assert node.value in known, f"{path.name}:{node.lineno}: no clause {node.value!r} in the data"
    for rank in ("department", "other"):
        for mode in ("air", "ship", "rail"):
            assert f"travel.class.{rank}.{mode}" in values
    for region in calculators.travel.REGIONS.values():
        for vid in region[2:]:
            assert vid is None or vid in values


NUMBER_WITH_UNIT = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:元|天|日|分钟|小时|人|%|分|餐|次|yuan|days?|minutes?|hours?|people|persons?|points|"
    r"percent|meals?|guests?)")


def _skipped(tree) -> set[int]:
    """ids of AST nodes inside ``DEFAULT_INPUT = …`` (an example input, not a rule)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "DEFAULT_INPUT" for t in node.targets):
            out |= {id(n) for n in ast.walk(node.value)}
    return out


def test_no_literal_rate_in_the_calculators(hb):
    rates = {v.value for v, c in hb.values.values()
             if isinstance(v.value, Decimal) and hb.section_of[c.id].id in SECTIONS} - ALLOWED
    assert Decimal(100) in rates and Decimal(15) in rates and Decimal("0.5") in rates
    found = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _skipped(tree)
        for node in ast.walk(tree):
            if id(node) in skip or not isinstance(node, ast.Constant) or isinstance(node.value, bool):
                continue
            if isinstance(node.value, (int, float)) and Decimal(str(node.value)) in rates:
                found.append(f"{path.name}:{node.lineno}: the number {node.value}")
            elif isinstance(node.value, str):
                for m in NUMBER_WITH_UNIT.finditer(node.value):
                    if Decimal(m.group(1)) in rates:
                        found.append(f"{path.name}:{node.lineno}: {m.group(0)!r} in a string")
    assert not found, "rates typed in the calculators' code (read them with rules.value):\n" + "\n".join(found)


def test_calculators_are_standard_library_only():
    stdlib = set(sys.stdlib_module_names)
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in stdlib | {"__future__"}, f"{path.name}: imports {name}"


def test_rules_json_ships_with_the_package():
    assert (Path(calculators.__file__).parent / "rules.json").exists()


def test_every_travel_region_has_its_places(exported):
    from calculators.travel import REGIONS

    assert set(exported["regions"]) == set(REGIONS)
    places = {p["zh"]: code for code, r in exported["regions"].items() for p in r["places"]}
    assert places["安岳"] == "ziyang_county"
    assert places["甘孜"] == "in_province_ethnic"
    assert places["成都"] == "in_province"
    # places the regulation itself does not name are marked as such
    assert all(p["external"] for p in exported["regions"]["in_province"]["places"])
    assert not any(p["external"] for p in exported["regions"]["ziyang_county"]["places"])
