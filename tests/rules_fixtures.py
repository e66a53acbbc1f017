"""Fixture data for the rules-in-time tests: a copy of data/ with one value amended, repealed or broken.

Nothing here touches data/ itself: every function writes into a copy under a temporary directory,
which a test loads with ``handbook.model.loader.load(copy)`` or passes to a build as HANDBOOK_DATA.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from handbook.paths import DATA

AMENDMENT_DAY = "2023-01-01"
AMENDED_ID = "travel.meal.in_province"
AMENDED_FILE = "regulation/finance.yaml"
AMENDMENT_DOC = {"zh": "资投促发〔2022〕99号(测试用修订)", "en": "Zi Tou Cu Fa [2022] No. 99 (a test amendment)"}


def copy_data(tmp_path: Path) -> Path:
    out = tmp_path / "data"
    shutil.copytree(DATA, out)
    return out


def value_block(text: str, value_id: str) -> tuple[int, int, str]:
    """(start, end, indent) of the ``- id: value_id`` item in a part file's text."""
    m = re.search(rf"^(?P<indent> *)- id: {re.escape(value_id)}\n", text, re.M)
    assert m, value_id
    indent = m.group("indent")
    end = re.compile(rf"^(?!{indent}  )", re.M).search(text, m.end()).start()
    return m.start(), end, indent


def add_to_value(data: Path, value_id: str, yaml_lines: str, file: str = AMENDED_FILE) -> Path:
    """Append fields (YAML at the value's own indentation, written without it) to a value's item."""
    path = data / file
    text = path.read_text(encoding="utf-8")
    _start, end, indent = value_block(text, value_id)
    extra = "".join(f"{indent}  {line}\n" for line in yaml_lines.strip("\n").splitlines())
    path.write_text(text[:end] + extra + text[end:], encoding="utf-8")
    return path


def set_value(data: Path, value_id: str, new: str, file: str = AMENDED_FILE) -> tuple[Path, int]:
    """Replace a value's ``value:`` (in place); returns the file and the 1-based line changed."""
    path = data / file
    text = path.read_text(encoding="utf-8")
    start, end, indent = value_block(text, value_id)
    m = re.compile(rf"^{indent}  value:.*\n(?:{indent}    .*\n)*", re.M).search(text, start, end)  # with a list's items
    assert m, value_id
    path.write_text(text[: m.start()] + f"{indent}  value: {new}\n" + text[m.end():], encoding="utf-8")
    return path, text.count("\n", 0, m.start()) + 1


def amend(data: Path, value_id: str = AMENDED_ID, new: str = "120", day: str = AMENDMENT_DAY,
          file: str = AMENDED_FILE) -> Path:
    """An amendment: ``value_id`` becomes ``new`` from ``day`` by a (fictitious) notice."""
    return add_to_value(data, value_id, f"""
amendments:
  - value: {new}
    effective_from: {day}
    source:
      document: {{zh: "{AMENDMENT_DOC['zh']}", en: "{AMENDMENT_DOC['en']}"}}
      clause: {{zh: 第二条, en: Article 2}}
""", file)


def amended_copy(tmp_path: Path) -> Path:
    data = copy_data(tmp_path)
    amend(data)
    return data


def fill_standards(data: Path) -> Path:
    """The standards tables with a few rows (the finance office's job; the figures are test fixtures)."""
    path = data / "standards.yaml"
    text = path.read_text(encoding="utf-8")
    doc = '{zh: "测试用标准(资财行〔2016〕50号)", en: "Test standard (Zi Cai Xing [2016] No. 50)"}'
    lodging = f"""
      - {{keys: {{rank: other, destination: 北京}}, value: 500, effective_from: 2016-06-01, effective_to: 2022-12-31, document: {doc}}}
      - {{keys: {{rank: other, destination: 北京}}, value: 550, effective_from: 2023-01-01, document: {doc}}}
      - {{keys: {{rank: department, destination: 北京}}, value: 650, effective_from: 2016-06-01, document: {doc}}}"""
    meals = f"""
      - {{keys: {{destination: 北京}}, value: 120, effective_from: 2016-06-01, document: {doc}}}"""
    first = text.index("    rows: []")
    text = text[:first] + "    rows:" + lodging + text[first + len("    rows: []"):]
    second = text.index("    rows: []")
    text = text[:second] + "    rows:" + meals + text[second + len("    rows: []"):]
    path.write_text(text, encoding="utf-8")
    return path
