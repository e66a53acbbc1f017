"""``python -m handbook standards import TABLE FILE``: the finance office's spreadsheet into data/standards.yaml.

The sheet (xlsx or csv, UTF-8 with or without BOM) has a header row naming its columns, in Chinese or English:

* one column per key of the table, by the key's label or name (``职务级别`` / ``rank``, ``出差地`` / ``destination``);
  ranks as the travel calculator names them (``厅级及相当职务人员``, ``厅级``, ``其余人员``, or ``department`` /
  ``other``); places as written (``北京`` or ``北京市``), which must be a place of data/regions.yaml or one the
  table's rows already name;
* ``标准`` / ``金额`` / ``value``: the figure, in the table's unit;
* ``起始日期`` / ``生效日期`` / ``effective_from`` (YYYY-MM-DD, or a date cell), optionally ``截止日期`` /
  ``effective_to`` (its last day);
* optionally ``文件`` / ``document`` (and ``文件英文`` / ``document_en``): the document that sets the figure; by
  default the one the regulation cites for the table.

Every row is checked (each problem with its sheet row, 1-based as the spreadsheet shows it) before anything is
written; then the rows are appended to the table in standards.yaml (its comments kept) and the whole data is
validated again, the file left as it was when it does not load.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from calculators.rules import place_key
from handbook.model.yamlfile import DataError, read_yaml
from handbook.tools.yamltext import flow, item_end

VALUE_COLUMNS = ("标准", "金额", "限额", "value")
FROM_COLUMNS = ("起始日期", "生效日期", "执行日期", "effective_from")
TO_COLUMNS = ("截止日期", "终止日期", "effective_to")
DOC_COLUMNS = ("文件", "文号", "document")
DOC_EN_COLUMNS = ("文件英文", "document_en")


@dataclass
class Problem:
    row: int | None  # the sheet's row, 1-based (the header is row 1)
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}" if self.row else self.reason


class ImportError_(Exception):
    def __init__(self, file: Path, problems: list[Problem]):
        self.file, self.problems = file, problems
        super().__init__(f"{file}: {len(problems)} problem(s), nothing written:\n" + "\n".join(f"  {file}: {p}" for p in problems))


# --------------------------------------------------------------------------- reading the sheet


def read_sheet(path: Path) -> list[list]:
    """The sheet's cells, row by row (the first sheet of a workbook)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            import openpyxl
        except ImportError:  # pragma: no cover - openpyxl is a build dependency
            raise SystemExit("error: reading .xlsx needs openpyxl (pip install openpyxl), or save the sheet as CSV") from None
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        finally:
            wb.close()
    if suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        return [row for row in csv.reader(io.StringIO(text))]
    raise SystemExit(f"error: {path}: a spreadsheet must be .xlsx or .csv (save it as one of those)")


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _day(v) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    text = _cell(v).replace("/", "-").replace(".", "-")
    if not text:
        return None
    parts = text.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        try:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            pass
    raise ValueError(f"{_cell(v)!r} is not a date: write it as YYYY-MM-DD (e.g. 2016-06-01)")


# --------------------------------------------------------------------------- names as written


def rank_names() -> dict[str, str]:
    """Every way the sheet may write a rank -> its code (from the travel calculator's own labels)."""
    from calculators.travel import RANKS

    out = {}
    for code, (zh, en) in RANKS.items():
        for name in (code, zh, en, zh.split("及")[0], zh.removesuffix("人员")):
            out[name.strip().lower()] = code
    return out


def known_places(hb, table) -> dict[str, str]:
    """place_key -> the place as data/regions.yaml (or an existing row of the table) writes it."""
    out = {}
    for region in hb.regions:
        for p in region.places:
            out.setdefault(place_key(p.zh), p.zh)
    for row in table.rows:
        if "destination" in row.keys:
            out.setdefault(place_key(row.keys["destination"]), row.keys["destination"])
    return out


# --------------------------------------------------------------------------- rows


def _column(header: list[str], names, wanted: bool) -> int | None:
    low = [h.lower() for h in header]
    for n in names:
        if n.lower() in low:
            return low.index(n.lower())
    return None if not wanted else -1


def rows_from_sheet(hb, table_id: str, cells: list[list]) -> tuple[list[dict], list[Problem]]:
    """The dated rows a sheet gives for a table, or the problems (each with its sheet row)."""
    table = next((t for t in hb.standards if t.id == table_id), None)
    if table is None:
        known = ", ".join(t.id for t in hb.standards)
        return [], [Problem(None, f"unknown standards table {table_id!r}; the tables are: {known}")]
    problems: list[Problem] = []
    rows = [r for r in cells if any(_cell(c) for c in r)]
    if not rows:
        return [], [Problem(None, "the sheet is empty")]
    header = [_cell(c) for c in rows[0]]
    start = cells.index(rows[0]) + 1
    key_cols = {}
    for key in table.keys:
        col = _column(header, (key.label.zh, key.label.en, key.name), True)
        if col == -1:
            problems.append(Problem(start, f"no column for {key.label.zh} ({key.name}): name a column "
                                           f"“{key.label.zh}” or “{key.name}” in the header row"))
        key_cols[key.name] = col
    value_col = _column(header, VALUE_COLUMNS, True)
    if value_col == -1:
        problems.append(Problem(start, f"no column for the figure: name one “{VALUE_COLUMNS[0]}” or “value”"))
    from_col = _column(header, FROM_COLUMNS, True)
    if from_col == -1:
        problems.append(Problem(start, f"no column for the day the figure took effect: name one “{FROM_COLUMNS[0]}” or “effective_from”"))
    to_col = _column(header, TO_COLUMNS, False)
    doc_col = _column(header, DOC_COLUMNS, False)
    doc_en_col = _column(header, DOC_EN_COLUMNS, False)
    if problems:
        return [], problems
    ranks = rank_names()
    places = known_places(hb, table)
    out = []
    for n, raw in enumerate(cells[start:], start=start + 1):
        if not any(_cell(c) for c in raw):
            continue
        raw = list(raw) + [None] * (len(header) - len(raw))
        row: dict = {"keys": {}}
        for key in table.keys:
            written = _cell(raw[key_cols[key.name]])
            if not written:
                problems.append(Problem(n, f"{key.label.zh} ({key.name}) is empty"))
            elif key.name == "rank" or key.values:
                code = ranks.get(written.lower()) if key.name == "rank" else (written if written in key.values else None)
                if code is None or (key.values and code not in key.values):
                    names = sorted({k for k, c in ranks.items() if c in key.values and not k.isascii()}) if key.name == "rank" else []
                    problems.append(Problem(n, f"unknown {key.label.zh} “{written}”: write one of "
                                               f"{', '.join(names + list(key.values))}"))
                else:
                    row["keys"][key.name] = code
            else:
                place = places.get(place_key(written))
                if place is None:
                    problems.append(Problem(n, f"unknown place “{written}”: data/regions.yaml does not name it "
                                               f"(write it as the regions data does, e.g. 北京 or 北京市 for 北京; a new place "
                                               f"goes into data/regions.yaml first)"))
                else:
                    row["keys"][key.name] = place
        figure = _cell(raw[value_col]).replace(",", "").replace("元", "")
        try:
            value = Decimal(figure)
            if not value.is_finite():
                raise InvalidOperation
            row["value"] = int(value) if value == value.to_integral_value() else float(value)
        except InvalidOperation:
            problems.append(Problem(n, f"the figure “{_cell(raw[value_col])}” is not a number"))
        for col, name, needed in ((from_col, "effective_from", True), (to_col, "effective_to", False)):
            if col is None:
                continue
            try:
                day = _day(raw[col])
            except ValueError as exc:
                problems.append(Problem(n, f"{name}: {exc}"))
                continue
            if day is None and needed:
                problems.append(Problem(n, "the day it took effect is empty"))
            elif day is not None:
                row[name] = day.isoformat()
        doc_zh = _cell(raw[doc_col]) if doc_col is not None else ""
        doc_en = _cell(raw[doc_en_col]) if doc_en_col is not None else ""
        if doc_zh and not doc_en:
            doc_en = table.document.en if doc_zh == table.document.zh else ""
            if not doc_en:
                problems.append(Problem(n, f"the document “{doc_zh}” needs its English title (a column “{DOC_EN_COLUMNS[0]}” or “document_en”)"))
        row["document"] = {"zh": doc_zh or table.document.zh, "en": doc_en or table.document.en}
        out.append((n, row))
    if not out and not problems:
        problems.append(Problem(None, "the sheet has a header row but no rows"))
    return [r for _, r in out], problems


# --------------------------------------------------------------------------- writing


def append_rows(path: Path, table_id: str, rows: list[dict]) -> None:
    """Append rows to a table of standards.yaml by text: one flow line per row, the file's comments kept."""
    doc = read_yaml(path)
    t = next(i for i, table in enumerate(doc.data["tables"]) if table["id"] == table_id)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    existing = doc.data["tables"][t].get("rows") or []
    rows_line = doc.line(("tables", t, "rows")) - 1
    if existing:
        at = item_end(lines, doc.line(("tables", t, "rows", len(existing) - 1)) - 1)
        indent = lines[doc.line(("tables", t, "rows", len(existing) - 1)) - 1].split("-")[0]
    else:
        key_indent = lines[rows_line][: len(lines[rows_line]) - len(lines[rows_line].lstrip())]
        if "rows:" not in lines[rows_line]:  # rows: on its own line above
            rows_line -= 1
        lines[rows_line] = f"{key_indent}rows:\n"
        at, indent = rows_line + 1, key_indent + "  "
    new = [f"{indent}- {flow(r)}\n" for r in rows]
    path.write_text("".join(lines[:at] + new + lines[at:]), encoding="utf-8")


def import_table(data: Path, table_id: str, sheet: Path) -> list[dict]:
    """Read, check, append and re-validate; returns the rows written. Raises ImportError_ or DataError."""
    from handbook.model.loader import load

    hb = load(data)
    rows, problems = rows_from_sheet(hb, table_id, read_sheet(sheet))
    if problems:
        raise ImportError_(sheet, problems)
    path = Path(data) / "standards.yaml"
    before = path.read_text(encoding="utf-8")
    append_rows(path, table_id, rows)
    try:
        load(data)
    except DataError:
        path.write_text(before, encoding="utf-8")
        raise
    return rows
