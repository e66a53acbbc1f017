"""The finance office's standards (issue 19, item 5): ``python -m handbook standards import TABLE FILE`` reads
an .xlsx or .csv as the office writes it (Chinese rank names, 北京 or 北京市), checks every row before writing,
appends the dated rows to data/standards.yaml with its comments kept; the standards page shows the tables and
the clause that cites a filled table says "the finance office's figures as of …" instead of its note."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
from rules_fixtures import copy_data

from calculators import rules
from handbook.exports.rules_export import export
from handbook.model.loader import load
from handbook.paths import ROOT
from handbook.tools.standards import ImportError_, import_table

HEADER = ["职务级别", "出差地", "标准", "起始日期"]


def sheet(path, rows, header=HEADER):
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def place_without_rows(data):
    used = {r.keys.get("destination") for t in load(data).standards for r in t.rows}
    return next(p for p in ("北京", "上海", "广州", "天津", "重庆") if p not in used)


def test_import_a_csv_as_the_office_writes_it(tmp_path):
    data = copy_data(tmp_path)
    place = place_without_rows(data)
    comments = [line for line in (data / "standards.yaml").read_text(encoding="utf-8").splitlines() if line.lstrip().startswith("#")]
    rows = import_table(data, "lodging_cap", sheet(tmp_path / "caps.csv", [
        ["其余人员", place + "市", "500", "2016-06-01"],
        ["厅级", f" {place} ", "650元", "2016/6/1"],
    ]))
    assert [r["keys"] for r in rows] == [{"rank": "other", "destination": place}, {"rank": "department", "destination": place}]
    text = (data / "standards.yaml").read_text(encoding="utf-8")
    assert all(c in text.splitlines() for c in comments), "the file's comments are kept"
    hb = load(data)
    with rules.using(export(hb)):
        with rules.in_force(date(2021, 1, 1)):
            assert rules.standard("lodging_cap", rank="other", destination=place) == Decimal(500)
            assert rules.standard("lodging_cap", rank="department", destination=place + "市") == Decimal(650)
    table = next(t for t in hb.standards if t.id == "lodging_cap")
    assert table.rows[-1].document == table.document  # by default, the document the regulation cites


def test_import_an_xlsx(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    data = copy_data(tmp_path)
    place = place_without_rows(data)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["出差地", "标准", "起始日期", "文件", "文件英文"])
    ws.append([place + "市", 120, date(2016, 6, 1), "测试文件〔2016〕1号", "Test document [2016] No. 1"])
    wb.save(tmp_path / "meals.xlsx")
    rows = import_table(data, "meal_out_of_province", tmp_path / "meals.xlsx")
    assert rows == [{"keys": {"destination": place}, "value": 120, "effective_from": "2016-06-01",
                     "document": {"zh": "测试文件〔2016〕1号", "en": "Test document [2016] No. 1"}}]
    load(data)  # "[2016]" was quoted when written


def test_every_bad_row_is_named_and_nothing_is_written(tmp_path):
    data = copy_data(tmp_path)
    before = (data / "standards.yaml").read_text(encoding="utf-8")
    with pytest.raises(ImportError_) as info:
        import_table(data, "lodging_cap", sheet(tmp_path / "bad.csv", [
            ["其余人员", "北京", "500", "2016-06-01"],
            ["市长", "北京", "500", "2016-06-01"],
            ["其余人员", "火星市", "500", "2016-06-01"],
            ["其余人员", "北京", "五百", "2016-06-01"],
            ["其余人员", "北京", "500", "1 June 2016"],
        ]))
    text = str(info.value)
    assert "row 3: unknown 职务级别 “市长”" in text and "其余人员" in text
    assert "row 4: unknown place “火星市”" in text and "data/regions.yaml" in text
    assert "row 5: the figure “五百” is not a number" in text
    assert "row 6: effective_from:" in text and "YYYY-MM-DD" in text
    assert "row 2" not in text
    assert (data / "standards.yaml").read_text(encoding="utf-8") == before


def test_rows_that_overlap_are_refused_by_the_data_check(tmp_path):
    data = copy_data(tmp_path)
    place = place_without_rows(data)
    twice = [["其余人员", place, "500", "2016-06-01"], ["其余人员", place + "市", "550", "2020-01-01"]]
    proc = subprocess.run([sys.executable, "-m", "handbook", "standards", "import", "lodging_cap",
                           str(sheet(tmp_path / "twice.csv", twice)), "--data", str(data)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "overlaps" in proc.stderr and "nothing written" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    load(data)  # left as it was


def _travel_page(hb, lang):
    from handbook.pages.site import Renderer

    renderer = Renderer(hb, lang)
    section = next(s for s in hb.sections if s.id == "finance.travel")
    travel = renderer.section_page(hb.part_of[section.id], section).content
    standards = next(p for p in renderer.pages() if p.src_uri == "standards.md").content
    return travel, standards


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_and_the_clause_follow_the_rows(tmp_path, lang):
    data = copy_data(tmp_path)
    hb = load(data)
    empty = [t.id for t in hb.standards if not t.rows]
    if "lodging_cap" in empty:  # before: the note that the handbook lacks the caps, no "as of"
        travel, standards = _travel_page(hb, lang)
        lodging = travel.split('data-clause="finance.travel.lodging"')[1].split('data-clause="finance.travel.meal-allowance"')[0]
        assert 'data-kind="silent"' in lodging and 'data-standard="lodging_cap"' not in lodging
        assert 'id="lodging_cap"' in standards or "{#lodging_cap}" in standards
    place = place_without_rows(data)
    import_table(data, "lodging_cap", sheet(tmp_path / "caps.csv", [["其余人员", place + "市", "500", "2019-06-01"]]))
    hb = load(data)
    travel, standards = _travel_page(hb, lang)
    lodging = travel.split('data-clause="finance.travel.lodging"')[1].split('data-clause="finance.travel.meal-allowance"')[0]
    assert 'data-standard="lodging_cap"' in lodging and 'data-kind="silent"' not in lodging
    as_of = max(r.effective_from for t in hb.standards if t.id == "lodging_cap" for r in t.rows).isoformat()
    assert f'<time datetime="{as_of}">' in lodging and "standards/#lodging_cap" in lodging
    assert ("财务室填报" if lang == "zh" else "the finance office’s figures as of") in lodging
    # in the same keyboard-reachable, named scrolling region as a clause's table (tests/browser/test_tables.py checks
    # those at 375 px; a plain <table> is wrapped by Material in a box the keyboard cannot reach)
    figure = re.search(r'<figure class="hb-table" id="table-lodging_cap">.*?</figure>', standards, re.S).group(0)
    assert re.search(r'<figcaption id="table-lodging_cap-caption">.*?</figcaption>\s*<div class="hb-table__scroll" '
                     r'role="region" tabindex="0" aria-labelledby="table-lodging_cap-caption"><table class="hb-table__table" '
                     r'data-standard="lodging_cap">', figure, re.S), figure[:400]
    table = re.search(r'<table class="hb-table__table" data-standard="lodging_cap">.*?</table>', figure, re.S).group(0)
    assert f"<td>{place}</td>" in table and '<data value="500">500</data>' in table
    assert ("其余人员" if lang == "zh" else "other staff") in table
