"""Headings and URLs are built in one place (``Headed`` in handbook/model/models.py) and every page, the worksheet
and the rules export use it: the English worksheet says "(4) Measures…" where the Chinese says "(四)…"."""

from __future__ import annotations

import json
from datetime import date

from calc_common import ROOT

import calculators
from calculators import compute
from handbook.model.models import display_number, join_heading
from handbook.pages.site import Renderer


def test_markers_per_language():
    assert display_number("(四)", "en") == "(4)" and display_number("(四)", "zh") == "(四)"
    assert display_number("十二、", "en") == "12." and display_number("1)", "en") == "1)"
    assert join_heading("(四)", "差旅管理办法", "zh") == "(四)差旅管理办法"
    assert join_heading("3", "住宿费", "zh") == "3 住宿费"
    assert join_heading("(4)", "Measures", "en") == "(4) Measures"
    assert join_heading("", "Measures", "en") == "Measures"


def test_model_headings_and_urls(hb):
    section = hb.section_of["finance.travel"]
    assert section.heading("zh").startswith("(四)")
    assert section.heading("en").startswith("(4) ")
    assert section.url("zh") == "finance/travel/" and section.url("en") == "en/finance/travel/"
    clause = hb.clauses["finance.travel.lodging"]
    assert clause.url("en") == "en/finance/travel/#finance.travel.lodging"
    assert hb.clause_url(clause.id) == clause.url("zh")


def test_rules_export_carries_the_headings(hb):
    data = json.loads((ROOT / "calculators" / "rules.json").read_text(encoding="utf-8"))
    from calculators.rules import worded

    for sid, entry in data["sections"].items():
        section = hb.section_of[sid]
        entry = worded(entry, date.today().isoformat())  # an amended heading: the wording in force today
        assert entry["heading"] == {"zh": section.heading("zh"), "en": section.heading("en")}
    for cid, entry in data["clauses"].items():
        assert entry["marker"] == {"zh": hb.clauses[cid].marker("zh"), "en": hb.clauses[cid].marker("en")}
        assert "四" not in entry["heading"]["en"][:4]


def test_results_cite_headings_in_both_languages():
    result = compute("travel", calculators.travel.DEFAULT_INPUT)
    for cid, c in result["citations"].items():
        assert c["heading"]["zh"] and c["heading"]["en"], cid


def test_english_worksheet_prints_the_english_number(hb):
    page = Renderer(hb, "en", calculators.CALCULATORS).calculator_page("travel", calculators.travel).content
    sheet = page[page.index("calc-sheet__meta"):]
    sheet = sheet[: sheet.index("</p>")]
    assert "(4) Measures" in sheet and "(四)" not in sheet
    zh = Renderer(hb, "zh", calculators.CALCULATORS).calculator_page("travel", calculators.travel).content
    assert "(四)差旅管理办法" in zh[zh.index("calc-sheet__meta"):]
