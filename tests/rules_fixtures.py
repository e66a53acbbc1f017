"""Fixture data for the rules-in-time tests: a copy of the data under test with one value amended, repealed or broken.

Nothing here touches data/ itself: every function writes into a copy under a temporary directory, which a
test loads with ``handbook.model.loader.load(copy)`` or passes to a build as HANDBOOK_DATA.

The fixtures are built from the loaded data, so that they stay valid whatever the data under test already
holds (issue 19, item 4): an amendment is added after the value's last version (merged into its existing
``amendments``), a broken history is written on a value no amendment touches, and standards rows go to
keys no row uses yet. The data under test is ``HANDBOOK_DATA`` when set (the CI test of
tests/test_living_data.py runs the suite against a copy with amendments, standards rows and questions).
"""

from __future__ import annotations

import copy
import os
import re
import shutil
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from handbook.model import timeline
from handbook.model.loader import load
from handbook.model.yamlfile import read_yaml
from handbook.paths import DATA

FIRST = date(2020, 10, 8)
AMENDED_ID = "travel.meal.in_province"  # the travel calculator's meal rate for a trip within Sichuan
AMENDED_FILE = "regulation/finance.yaml"
AMENDMENT_DOC = {"zh": "资投促发〔2022〕99号(测试用修订)", "en": "Zi Tou Cu Fa [2022] No. 99 (a test amendment)"}
AMENDMENT_CLAUSE = {"zh": "第二条", "en": "Article 2"}
STANDARDS_DOC = {"zh": "测试用标准(资财行〔2016〕50号)", "en": "Test standard (Zi Cai Xing [2016] No. 50)"}


def data_under_test() -> Path:
    return Path(os.environ.get("HANDBOOK_DATA") or DATA)


_LOADED: dict[tuple, object] = {}  # fingerprint -> Handbook, the few last (loading takes most of these tests' time)


def _fingerprint(data: Path) -> tuple:
    """What a folder of data holds, cheaply: each file's path, size and modification time. A fresh copy (copytree keeps
    the times) has its original's; a file written since does not."""
    return tuple(sorted((p.relative_to(data).as_posix(), st.st_size, st.st_mtime_ns)
                        for p in Path(data).rglob("*") if p.is_file() for st in [p.stat()]))


def loaded(data: Path):
    """The data as loaded, to read (never to change): loaded once for all the copies that hold the same files. Its
    paths (``origin``, ``data_dir``) may be another copy's: :func:`file_in` takes a file into ``data``."""
    key = _fingerprint(Path(data))
    hb = _LOADED.pop(key, None) or load(data)
    _LOADED[key] = hb
    while len(_LOADED) > 4:
        del _LOADED[next(iter(_LOADED))]
    return hb


def file_in(data: Path, hb, file: Path) -> Path:
    """``file`` of the data ``hb`` was loaded from, in the folder ``data``."""
    return Path(data) / Path(file).relative_to(hb.data_dir)


def copy_data(tmp_path: Path) -> Path:
    out = tmp_path / "data"
    shutil.copytree(data_under_test(), out)
    return out


# --------------------------------------------------------------------------- editing a value from the loaded data


def _item_span(lines: list[str], first: int) -> tuple[int, int, str]:
    """(start, end, indent) of the YAML list item whose ``- `` is on 0-based line ``first``."""
    indent = re.match(r" *", lines[first]).group(0)
    end = first + 1
    while end < len(lines) and (not lines[end].strip() or len(re.match(r" *", lines[end]).group(0)) > len(indent)):
        end += 1
    while end > first + 1 and not lines[end - 1].strip():
        end -= 1
    return first, end, indent


def edit_value(data: Path, value_id: str, change) -> Path:
    """Rewrite a value's item with ``change(item)`` applied to it as loaded (a dict, edited in place); the rest of
    the file, comments included, is left as it was. Returns the file."""
    hb = loaded(data)
    where = hb.origin[value_id]
    file = file_in(data, hb, where.file)
    doc = read_yaml(file)
    item = doc.data
    for key in where.loc:
        item = item[key]
    item = copy.deepcopy(item)
    change(item)
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    start, end, indent = _item_span(lines, doc.line(where.loc) - 1)
    dumped = yaml.safe_dump([item], allow_unicode=True, sort_keys=False, width=10_000)
    new = "".join(indent + line + "\n" for line in dumped.splitlines())
    file.write_text("".join(lines[:start]) + new + "".join(lines[end:]), encoding="utf-8")
    return file


def add_to_value(data: Path, value_id: str, yaml_lines: str, file: str | None = None) -> Path:
    """Merge fields (YAML) into a value's item: a list (``amendments``) is extended, anything else set."""
    extra = yaml.safe_load(yaml_lines)

    def change(item):
        for key, val in extra.items():
            if isinstance(val, list) and isinstance(item.get(key), list):
                item[key] = item[key] + val
            else:
                item[key] = val

    return edit_value(data, value_id, change)


def set_value(data: Path, value_id: str, new: str, file: str | None = None) -> tuple[Path, int]:
    """Replace a value's first version (``value:``, in place, as written); returns the file and its 1-based line."""
    hb = loaded(data)
    where = hb.origin[value_id]
    path = file_in(data, hb, where.file)
    line = read_yaml(path).line(where.loc + ("value",))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    while not re.match(r" *-? *value:", lines[line - 1]):  # a list's node starts at its first item
        line -= 1
    m = re.match(r"( *)value:", lines[line - 1])
    assert m, (value_id, lines[line - 1])
    end = line
    while end < len(lines) and lines[end].startswith((m.group(1) + "  ", m.group(1) + "- ")):  # a list value's items
        end += 1  # (indented, or at the key's column as a YAML dump writes them)
    lines[line - 1:end] = [f"{m.group(1)}value: {new}\n"]
    path.write_text("".join(lines), encoding="utf-8")
    return path, line


def last_version(data_or_hb, value_id: str) -> timeline.Version:
    hb = loaded(data_or_hb) if isinstance(data_or_hb, (str, Path)) else data_or_hb
    value, clause = hb.values[value_id]
    return timeline.versions(value, clause, hb.source)[-1]


def untouched_value(data_or_hb, kind: str | None = "money", uncited: bool = False) -> str:
    """A value of ``kind`` (any kind: None) that no amendment, repeal or later start touches and no order check
    ties to others: a test can write any history on it. ``uncited``: also one no text writes as a figure
    (``{value:<id>}``), so that it may start later than the text. ``AMENDED_ID`` when it qualifies."""
    hb = loaded(data_or_hb) if isinstance(data_or_hb, (str, Path)) else data_or_hb
    texts = "".join(p.read_text(encoding="utf-8") for p in sorted((Path(hb.data_dir) / "regulation").glob("*.yaml"))) if uncited else ""
    tied = {v.greater_than for v, _ in hb.values.values()} | {v.less_than for v, _ in hb.values.values()}
    tied |= {x for v, _ in hb.values.values() for x in v.sum_of}

    def free(vid):
        v, _ = hb.values[vid]
        return ((kind is None or v.kind == kind) and "{value:" + vid not in texts and not v.amendments and v.repealed is None and v.effective_from is None
                and v.effective_to is None and v.source is None and not (v.greater_than or v.less_than or v.sum_of)
                and vid not in tied and isinstance(v.value, Decimal))

    if free(AMENDED_ID):
        return AMENDED_ID
    return next(vid for vid in sorted(hb.values) if free(vid))


@dataclass(frozen=True)
class Amendment:
    """What :func:`amend` wrote: ``value_id`` is ``old`` until ``day`` - 1 and ``new`` from ``day``."""

    value_id: str
    day: str
    old: Decimal
    new: Decimal
    file: Path

    @property
    def before(self) -> str:
        """The last day of the old figure."""
        return date.fromordinal(date.fromisoformat(self.day).toordinal() - 1).isoformat()


def amend(data: Path, value_id: str = AMENDED_ID, new: str | None = None, day: str | None = None,
          file: str | None = None) -> Amendment:
    """An amendment by a (fictitious) notice, after the value's last version: by default on 1 January of the
    year after it (never before 2023-01-01), adding 20 to the figure in force then."""
    last = last_version(data, value_id)
    assert last.effective_to is None, f"{value_id} is repealed in the data under test: amend another value"
    old = Decimal(last.value)
    if day is None:
        day = date(max(2023, last.effective_from.year + 1), 1, 1).isoformat()
    assert date.fromisoformat(day) > last.effective_from, (day, last.effective_from)
    new_value = Decimal(new) if new is not None else old + 20
    entry = {"value": int(new_value) if new_value == int(new_value) else str(new_value),
             "effective_from": date.fromisoformat(day),
             "source": {"document": dict(AMENDMENT_DOC), "clause": dict(AMENDMENT_CLAUSE)}}

    def change(item):
        item["amendments"] = list(item.get("amendments") or []) + [entry]

    path = edit_value(data, value_id, change)
    return Amendment(value_id, day, old, new_value, path)


def amended_copy(tmp_path: Path) -> tuple[Path, Amendment]:
    data = copy_data(tmp_path)
    return data, amend(data)


# --------------------------------------------------------------------------- standards rows


@dataclass(frozen=True)
class FilledStandards:
    """Where :func:`fill_standards` wrote its rows: a destination no row of the data under test used."""

    path: Path
    destination: str


CANDIDATE_PLACES = ["北京", "上海", "广州", "深圳", "天津", "重庆", "南京", "杭州", "武汉", "西安"]


def fill_standards(data: Path) -> FilledStandards:
    """A few standards rows (the finance office's job; the figures are test fixtures), added to what the
    tables already hold, for a destination none of their rows names, through the importer's own writer."""
    from handbook.tools.standards import append_rows

    hb = loaded(data)
    used = {r.keys.get("destination") for t in hb.standards for r in t.rows}
    place = next(p for p in CANDIDATE_PLACES if p not in used)
    path = data / "standards.yaml"
    append_rows(path, "lodging_cap", [
        {"keys": {"rank": "other", "destination": place}, "value": 500, "effective_from": "2016-06-01",
         "effective_to": "2022-12-31", "document": STANDARDS_DOC},
        {"keys": {"rank": "other", "destination": place}, "value": 550, "effective_from": "2023-01-01", "document": STANDARDS_DOC},
        {"keys": {"rank": "department", "destination": place}, "value": 650, "effective_from": "2016-06-01", "document": STANDARDS_DOC},
    ])
    append_rows(path, "meal_out_of_province", [
        {"keys": {"destination": place}, "value": 120, "effective_from": "2016-06-01", "document": STANDARDS_DOC},
    ])
    return FilledStandards(path, place)


def bump_in_force(data: Path, value_id: str, by: int = 20, on: date | None = None) -> tuple[Decimal, Decimal]:
    """Change the figure of the version in force on ``on`` (default today), wherever the data writes it (the
    first ``value`` or an amendment's); returns (old, new)."""
    hb = loaded(data)
    value, clause = hb.values[value_id]
    on = on or date.today()
    version = next(v for v in timeline.versions(value, clause, hb.source) if v.in_force(on))
    old = Decimal(version.value)
    new = old + by

    def change(item):
        target = item
        for key in version.loc:
            target = target[key]
        target["value"] = int(new) if new == int(new) else str(new)

    edit_value(data, value_id, change)
    return old, new
