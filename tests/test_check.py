"""``python -m handbook check`` (``make check``): every problem in data/ in one run, each with its file and line,
in plain words (rows counted from 1, a hint for the common YAML mistakes), quiz questions included; ``load()``
raises them all together (issue 19, item 5)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from rules_fixtures import copy_data

from handbook.__main__ import plain_location
from handbook.model.loader import check, load
from handbook.model.yamlfile import DataError, DataErrors
from handbook.paths import ROOT


def replace_once(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    i = text.index(old)
    path.write_text(text[:i] + new + text[i + len(old):], encoding="utf-8")
    return text[:i].count("\n") + 1  # the 1-based line of the change


def run_check(data) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "handbook", "check", "--data", str(data)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_the_data_under_test_is_valid(tmp_path):
    proc = run_check(copy_data(tmp_path))
    assert proc.returncode == 0 and proc.stdout.startswith("ok: "), proc.stdout + proc.stderr


def test_every_file_problem_in_one_run(tmp_path):
    """A syntax error in one file, two schema errors in another and a tab in a third: all listed, with lines."""
    data = copy_data(tmp_path)
    flow = replace_once(data / "regulation" / "finance.yaml", "  title:", "  title: {zh: 测试, en: Zi Cai Xing [2025] No. 99}\n  oops:")
    glossary = data / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8").splitlines(keepends=True)
    k = next(i for i, line in enumerate(text) if line.startswith("- id:"))
    text[k + 1] = "\t" + text[k + 1].lstrip(" ")
    glossary.write_text("".join(text), encoding="utf-8")
    labour = data / "regulation" / "labour.yaml"
    unknown = replace_once(labour, "  sections:\n", "  colour: red\n  sections:\n")
    problems = check(data)
    files = {p.file.name for p in problems}
    assert {"finance.yaml", "glossary.yaml", "labour.yaml"} <= files, [str(p) for p in problems]
    fin = next(p for p in problems if p.file.name == "finance.yaml")
    assert fin.line == flow and "put quotes around" in fin.reason and "[2025]" in fin.reason
    tab = next(p for p in problems if p.file.name == "glossary.yaml")
    assert tab.line == k + 2 and "tab" in tab.reason and "spaces" in tab.reason
    lab = next(p for p in problems if p.file.name == "labour.yaml")
    assert lab.line == unknown and lab.reason == "unknown field 'colour'"
    proc = run_check(data)  # the command says the same, one line each, and fails
    assert proc.returncode == 1 and "3 problem(s) in 3 file(s)" in proc.stderr, proc.stderr
    assert f"finance.yaml:{flow}: " in proc.stdout and f"labour.yaml:{unknown}: part › colour: unknown field" in proc.stdout
    with pytest.raises(DataError) as info:  # load() (the build) raises them all, not the first only
        load(data)
    assert isinstance(info.value, DataErrors) and len(info.value.problems) == 3
    assert all(str(p) in str(info.value) for p in problems)


def test_every_schema_problem_of_a_file(tmp_path):
    """pydantic's problems in one file are each listed (no "(and N more problem(s))")."""
    data = copy_data(tmp_path)
    labour = data / "regulation" / "labour.yaml"
    a = replace_once(labour, "  sections:\n", "  colour: red\n  sections:\n")
    b = replace_once(labour, "      number:", "      shade: blue\n      number:")
    problems = check(data)
    assert [(p.line, p.reason) for p in problems] == [(a, "unknown field 'colour'"), (b, "unknown field 'shade'")]


def test_questions_standards_and_values_all_at_once(tmp_path):
    """Problems the checks across files find: a bad value, a bad standards row, two bad questions in two files."""
    data = copy_data(tmp_path)
    from rules_fixtures import set_value

    _path, value_line = set_value(data, "reception.official.per_head", "-150")
    finance_q = data / "questions" / "finance.yaml"
    q1 = replace_once(finance_q, "    clause: finance.", "    clause: finance.nowhere\n    x_clause: finance.")
    text = finance_q.read_text(encoding="utf-8").replace("    x_clause: finance.", "    # was: finance.", 1)
    finance_q.write_text(text, encoding="utf-8")
    labour_q = data / "questions" / "labour.yaml"
    q2 = replace_once(labour_q, "    clause: labour.", "    clause: labour.nowhere\n    # was: labour.")
    # a first row of the first table (lodging_cap) with a rank it does not know, whether or not the table has rows yet
    standards = data / "standards.yaml"
    bad = "      - {keys: {rank: mayor, destination: 北京}, value: 500, effective_from: 2016-06-01, document: {zh: 测试, en: Test}}\n"
    lines = standards.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith("    rows:")) + 1  # its 1-based line, after rows:
    lines[row - 1:row] = ["    rows:\n", bad] if lines[row - 1].strip() == "rows: []" else [lines[row - 1], bad]
    standards.write_text("".join(lines), encoding="utf-8")
    problems = check(data)
    where = {(p.file.name, p.line) for p in problems}
    assert {("finance.yaml", value_line), ("standards.yaml", row + 1)} <= where, [str(p) for p in problems]
    questions = [p for p in problems if p.file.parent.name == "questions"]
    assert {(p.file.name, p.line) for p in questions} == {("finance.yaml", q1), ("labour.yaml", q2)}, [str(p) for p in problems]
    assert all("unknown clause" in p.reason for p in questions)
    proc = run_check(data)
    assert "standards.yaml" in proc.stdout and "table 1 › row 1 › keys › rank" in proc.stdout, proc.stdout


def test_locations_count_from_one():
    assert plain_location("part.sections[3].clauses[0].values[1].value") == "part › section 4 › clause 1 › value 2 › value"
    assert plain_location("tables[0].rows[2].keys.rank") == "table 1 › row 3 › keys › rank"
    assert plain_location("") == "(the file as a whole)"


def test_two_bad_items_of_each_newer_file_are_both_listed(tmp_path):
    """The search vocabulary, key points, task pages and first week are checked item by item as the questions are:
    two bad items in each file give two problems each, with file and line, in one run (and load() raises all)."""
    import yaml

    from handbook.model.yamlfile import read_yaml

    data = copy_data(tmp_path)
    breaks = {  # file -> two places in it (-1: the last), each set to a word or a clause the handbook does not have
        "search.yaml": [("everyday", 0, "means", "zh", 0), ("everyday", -1, "means", "en", 0)],
        "key-points.yaml": [("sections", 0, "points", 0, "cites", 0), ("sections", -1, "points", -1, "cites", 0)],
        "tasks.yaml": [("tasks", 0, "steps", 0, "cites", 0), ("tasks", -1, "steps", -1, "cites", 0)],
        "first-week.yaml": [("sections", 0), ("tasks", 0)],
    }
    expected = set()
    for name, places in breaks.items():
        tree = yaml.safe_load((data / name).read_text(encoding="utf-8"))
        resolved = []
        for n, loc in enumerate(places):
            node, at = tree, []
            for key in loc[:-1]:
                key = len(node) - 1 if key == -1 else key
                node, at = node[key], [*at, key]
            node[loc[-1]] = "无此词" if "zh" in loc else f"nowhere{n}"
            resolved.append((*at, loc[-1]))
        (data / name).write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8")
        doc = read_yaml(data / name)
        expected |= {(name, doc.line(at)) for at in resolved}
    problems = check(data)
    assert {(p.file.name, p.line) for p in problems} == expected, [str(p) for p in problems]
    assert len(problems) == 8, [str(p) for p in problems]
    with pytest.raises(DataErrors) as info:
        load(data)
    assert len(info.value.problems) == 8
