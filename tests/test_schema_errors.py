"""Bad data fails with the file, the line, the location and the reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from handbook.model.loader import load
from handbook.model.yamlfile import DataError
from handbook.paths import DATA

ROOT = Path(__file__).resolve().parent.parent

GOOD_PART = """\
part:
  id: labour
  number: 一、
  title: {zh: 劳动制度, en: Labour and Work Rules}
  sections:
    - id: labour.attendance
      number: (十)
      title: {zh: 考勤制度, en: Attendance}
      clauses:
        - id: labour.attendance.hours
          number: "1."
          body:
            - zh: 按时上下班。
              en: Keep to working hours.
          values:
            - id: attendance.late.minutes
              value: 15
              unit: minutes
              label: {zh: 迟到, en: Late}
"""


def make_data(tmp_path: Path, part_text: str, glossary: str | None = None) -> Path:
    data = tmp_path / "data"
    (data / "regulation").mkdir(parents=True)
    (data / "source.yaml").write_text(
        (DATA / "source.yaml").read_text(encoding="utf-8").split("parts:")[0] + "parts: [labour.yaml]\n",
        encoding="utf-8",
    )
    (data / "regulation" / "labour.yaml").write_text(part_text, encoding="utf-8")
    (data / "regions.yaml").write_text(
        "regions:\n  - {id: in_province, label: {zh: 省内, en: Sichuan}, clause: labour.attendance.hours, places: [{zh: 成都, en: Chengdu}]}\n",
        encoding="utf-8",
    )
    (data / "glossary.yaml").write_text(
        glossary
        or "terms:\n  - {id: late, zh: 迟到, en: late arrival, definition: {zh: 迟到。, en: Arriving late.}, clauses: [labour.attendance.hours]}\n",
        encoding="utf-8",
    )
    return data


def error_for(tmp_path, part_text, glossary=None) -> DataError:
    with pytest.raises(DataError) as info:
        load(make_data(tmp_path, part_text, glossary))
    return info.value


def test_good_data_loads(tmp_path):
    hb = load(make_data(tmp_path, GOOD_PART))
    assert "labour.attendance.hours" in hb.clauses


def test_wrong_type(tmp_path):
    err = error_for(tmp_path, GOOD_PART.replace("value: 15", "value: fifteen"))
    assert err.file.name == "labour.yaml"
    assert err.line == 17
    assert "values[0].value" in err.location
    assert "not the string 'fifteen'" in err.reason
    assert str(err).startswith(f"{err.file}:17: part.sections[0].clauses[0].values[0].value:") or ":17: " in str(err)


def test_boolean_is_not_a_number(tmp_path):
    err = error_for(tmp_path, GOOD_PART.replace("value: 15", "value: true"))
    assert "boolean" in err.reason


def test_missing_translation(tmp_path):
    err = error_for(tmp_path, GOOD_PART.replace("en: Keep to working hours.", 'en: ""'))
    assert "missing translation" in err.reason
    assert "body[0]" in err.location
    assert err.line == 14


def test_english_left_in_chinese(tmp_path):
    err = error_for(tmp_path, GOOD_PART.replace("en: Keep to working hours.", "en: 按时上下班。"))
    assert "missing translation" in err.reason


def test_missing_field(tmp_path):
    err = error_for(tmp_path, GOOD_PART.replace("      title: {zh: 考勤制度, en: Attendance}\n", ""))
    assert "missing required field 'title'" in err.reason
    assert err.location == "part.sections[0].title" or err.location.startswith("part.sections[0]")


def test_unknown_field(tmp_path):
    err = error_for(tmp_path, GOOD_PART.replace('          number: "1."', '          number: "1."\n          colour: red'))
    assert "unknown field 'colour'" in err.reason


def test_duplicate_clause_id(tmp_path):
    dup = GOOD_PART + """\
        - id: labour.attendance.hours
          body:
            - {zh: 重复。, en: Duplicate.}
"""
    err = error_for(tmp_path, dup)
    assert "duplicate clause id 'labour.attendance.hours'" in err.reason
    assert "labour.yaml:10" in err.reason  # where it was first defined
    assert err.line == 20


def test_malformed_id(tmp_path):
    err = error_for(tmp_path, GOOD_PART.replace("id: labour.attendance.hours", "id: labour.attendance.Hours_1"))
    assert "malformed clause id" in err.reason
    assert err.line == 10


def test_id_must_extend_its_parent(tmp_path):
    err = error_for(tmp_path, GOOD_PART.replace("id: labour.attendance.hours", "id: labour.seals.hours"))
    assert "parent's id 'labour.attendance'" in err.reason


def test_unknown_reference(tmp_path):
    err = error_for(tmp_path, GOOD_PART.replace("          values:", "          see: [labour.nowhere]\n          values:"))
    assert "reference to unknown clause 'labour.nowhere'" in err.reason
    assert "see[0]" in err.location


def test_glossary_unknown_reference(tmp_path):
    glossary = "terms:\n  - {id: late, zh: 迟到, en: late, definition: {zh: 迟到。, en: Late.}, clauses: [finance.nowhere]}\n"
    err = error_for(tmp_path, GOOD_PART, glossary)
    assert err.file.name == "glossary.yaml"
    assert "finance.nowhere" in err.reason


def test_invalid_yaml(tmp_path):
    err = error_for(tmp_path, GOOD_PART.replace("number: (十)", "number: [(十)"))
    assert "invalid YAML" in err.reason
    assert err.line is not None


def test_duplicate_yaml_key(tmp_path):
    err = error_for(tmp_path, GOOD_PART.replace('          number: "1."', '          number: "1."\n          number: "2."'))
    assert "duplicate key 'number'" in err.reason


def test_unknown_unit(tmp_path):
    err = error_for(tmp_path, GOOD_PART.replace("unit: minutes", "unit: parsecs"))
    assert "unknown unit 'parsecs'" in err.reason


def test_build_fails_with_the_location(tmp_path):
    """The real build command stops on bad data and names the file, line and reason."""
    data = make_data(tmp_path, GOOD_PART.replace("value: 15", "value: fifteen"))
    proc = subprocess.run(
        [sys.executable, "-m", "handbook.build", "--out", str(tmp_path / "site"), "--quiet"],
        cwd=ROOT,
        env={**__import__("os").environ, "HANDBOOK_DATA": str(data)},
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0
    assert "labour.yaml:17" in proc.stderr
    assert "not the string 'fifteen'" in proc.stderr
    assert "Traceback" not in proc.stderr
