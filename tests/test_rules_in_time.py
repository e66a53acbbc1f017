"""Rules in time: dated values, amendments and repeals, the calculators' lookup by day, the standards
tables and what to attach (calculators/rules.py's API), on the shipped data and on fixture copies."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
from rules_fixtures import (
    AMENDED_ID,
    AMENDMENT_DOC,
    add_to_value,
    amend,
    amended_copy,
    copy_data,
    fill_standards,
    last_version,
    untouched_value,
)

from calculators import rules
from calculators.errors import RULES, CalcError
from handbook.exports.rules_export import export
from handbook.model.loader import load
from handbook.model.yamlfile import DataError
from handbook.paths import ROOT

pytestmark = pytest.mark.xdist_group("test_rules_in_time")  # one worker makes its amended copies of data/ and their exports (module fixtures), not each

FIRST = "2020-10-08"


@pytest.fixture(scope="module")
def amendment(tmp_path_factory):
    """A fixture amendment of AMENDED_ID after whatever the data under test holds: (its export, what it wrote)."""
    data, a = amended_copy(tmp_path_factory.mktemp("amended"))
    return export(load(data)), a


# --------------------------------------------------------------------------- the data under test: as it is


def test_every_value_carries_its_date_and_source(hb):
    """Each value's first version is dated and sourced: by default the regulation's own day and the clause that
    states it, else what the value itself says; its amendments are exported as the data writes them."""
    for vid, entry in rules.rules()["values"].items():
        value, clause = hb.values[vid]
        assert entry["effective_from"] == (value.effective_from or date.fromisoformat(FIRST)).isoformat(), vid
        if value.source is None:
            assert entry["source"]["document"]["zh"] == "资阳市投资促进局资阳市贸促会管理制度"
            assert entry["source"]["clause_id"] == entry["clause"] == clause.id
        assert len(entry.get("amendments", [])) == len(value.amendments), vid
        assert ("repealed" in entry) == (value.repealed is not None), vid
    assert rules.rules()["regulation"]["effective_from"] == FIRST


def test_rate_cites_its_dated_source(hb):
    value, _clause = hb.values[AMENDED_ID]
    with rules.in_force(date.fromisoformat(FIRST)):
        r = rules.rate(AMENDED_ID)
    assert r.value == value.value and r.effective_from == FIRST
    assert r.source["clause_id"] == "finance.travel.meal-allowance"
    assert set(r.source["document"]) == {"zh", "en"}


def test_in_force_defaults_to_today_and_as_of_names_the_version(hb):
    with rules.in_force(date.today()):
        today = rules.as_of(), rules.value(AMENDED_ID)
    assert (rules.as_of(), rules.value(AMENDED_ID)) == today
    with rules.in_force(None):
        assert (rules.as_of(), rules.value(AMENDED_ID)) == today
    first = hb.values[AMENDED_ID][0].value
    with rules.in_force(date(2020, 10, 8)):
        assert rules.value(AMENDED_ID) == first and rules.as_of() == FIRST
    from datetime import datetime

    with rules.in_force(datetime(2020, 10, 8, 23, 59)):
        assert rules.as_of() == FIRST and rules.value(AMENDED_ID) == first
    with pytest.raises(CalcError) as err:
        with rules.in_force("2021-01-01"):
            pass  # pragma: no cover
    assert err.value.field == "date"


@pytest.mark.parametrize("day", [date(2020, 10, 7), date(1999, 1, 1)])
def test_a_day_before_the_regulation_is_refused_naming_the_first_day(day):
    with pytest.raises(CalcError) as err:
        with rules.in_force(day):
            pass  # pragma: no cover
    assert err.value.field == "date"
    assert FIRST in err.value.zh and FIRST in err.value.en


def test_parse_day():
    assert rules.parse_day("2023-01-31") == date(2023, 1, 31)
    for bad in ("2023-02-30", "31/01/2023", "", "2023-1-1", 20230101, None):
        with pytest.raises(CalcError) as err:
            rules.parse_day(bad)
        assert err.value.field == "date" and "YYYY-MM-DD" in err.value.en and "YYYY-MM-DD" in err.value.zh


# --------------------------------------------------------------------------- a fixture amendment


def test_an_amendment_applies_from_its_day(amendment):
    amended, a = amendment
    day, before = date.fromisoformat(a.day), date.fromisoformat(a.before)
    with rules.in_force(before):
        ethnic = rules.value("travel.meal.in_province_ethnic")
    with rules.using(amended):
        with rules.in_force(before):
            assert rules.value(AMENDED_ID) == a.old
            assert rules.as_of() < a.day
            assert rules.rate(AMENDED_ID).effective_from < a.day
        with rules.in_force(day):
            r = rules.rate(AMENDED_ID)
            assert r.value == a.new and r.effective_from == a.day
            assert r.source["document"] == AMENDMENT_DOC and r.source["clause"] == {"zh": "第二条", "en": "Article 2"}
            assert rules.as_of() == a.day
            assert rules.value("travel.meal.in_province_ethnic") == ethnic  # the others are unchanged
    with rules.in_force(day):
        assert rules.value(AMENDED_ID) == a.old  # the rules under test again


def test_in_force_nests_and_restores(amendment):
    amended, a = amendment
    with rules.using(amended):
        with rules.in_force(date.fromisoformat(a.before)):
            with rules.in_force(date.fromisoformat(a.day)):
                assert rules.value(AMENDED_ID) == a.new
            assert rules.value(AMENDED_ID) == a.old
        with pytest.raises(CalcError):
            with rules.in_force(date(2001, 1, 1)):
                pass  # pragma: no cover
        with rules.in_force(date.fromisoformat(a.day)):
            assert rules.value(AMENDED_ID) == a.new


def test_the_travel_calculator_follows_the_day(amendment):
    from calculators import compute

    amended, a = amendment
    legs = {"rank": "other", "legs": [{"region": "in_province", "days": 2}]}
    with rules.using(amended):
        with rules.in_force(date.fromisoformat(a.before)):
            before = Decimal(compute("travel", legs)["total"])
        with rules.in_force(date.fromisoformat(a.day)):
            after = Decimal(compute("travel", legs)["total"])
    assert after - before == 2 * (a.new - a.old)


def test_a_repealed_value_is_not_in_force(tmp_path):
    data = copy_data(tmp_path)
    vid = untouched_value(data)
    first = last_version(data, vid).value
    add_to_value(data, vid, """
repealed:
  effective_from: 2024-03-01
  source: {document: {zh: 测试用废止通知, en: A test repeal notice}}
""")
    exported = export(load(data))
    with rules.using(exported):
        with rules.in_force(date(2024, 2, 29)):
            assert rules.value(vid) == first
        with rules.in_force(date(2024, 3, 1)):
            with pytest.raises(CalcError) as err:
                rules.value(vid)
            assert err.value.field == "date" and rules.as_of() >= "2024-03-01"


def test_a_value_added_later_is_not_in_force_before(tmp_path):
    data = copy_data(tmp_path)
    vid = untouched_value(data, kind=None, uncited=True)  # a text cannot cite a value before it exists
    first = last_version(data, vid).value
    add_to_value(data, vid, """
effective_from: 2021-05-01
source: {document: {zh: 测试用通知, en: A test notice}}
""")
    with rules.using(export(load(data))):
        with rules.in_force(date(2021, 4, 30)):
            with pytest.raises(CalcError) as err:
                rules.value(vid)
            assert err.value.field == "date" and "2021-05-01" in err.value.en
        with rules.in_force(date(2021, 5, 1)):
            assert rules.value(vid) == first


# --------------------------------------------------------------------------- the history the loader accepts


def _error(tmp_path, value_id, lines) -> DataError:
    """The loader's error for a history written on a value no amendment touches (``value_id`` when it is one)."""
    data = copy_data(tmp_path)
    path = add_to_value(data, untouched_value(data) if value_id == AMENDED_ID else value_id, lines)
    with pytest.raises(DataError) as info:
        load(data)
    err = info.value
    assert err.file == path and err.line, str(err)
    return err


def test_an_overlap_is_rejected(tmp_path):
    err = _error(tmp_path, AMENDED_ID, """
effective_to: 2023-06-30
amendments:
  - {value: 120, effective_from: 2023-01-01, source: {document: {zh: 测试, en: Test}}}
""")
    assert "overlaps" in err.reason


def test_amendments_out_of_order_are_rejected(tmp_path):
    err = _error(tmp_path, AMENDED_ID, """
amendments:
  - {value: 120, effective_from: 2023-01-01, source: {document: {zh: 测试, en: Test}}}
  - {value: 130, effective_from: 2022-01-01, source: {document: {zh: 测试, en: Test}}}
""")
    assert "overlaps" in err.reason and "amendments[1]" in err.location


def test_a_gap_is_rejected(tmp_path):
    err = _error(tmp_path, AMENDED_ID, """
effective_to: 2022-06-30
amendments:
  - {value: 120, effective_from: 2023-01-01, source: {document: {zh: 测试, en: Test}}}
""")
    assert "gap" in err.reason and "2022-07-01" in err.reason


def test_a_day_before_the_regulation_is_rejected(tmp_path):
    err = _error(tmp_path, AMENDED_ID, "effective_from: 2019-12-31\n")
    assert "before the regulation's own date 2020-10-08" in err.reason and err.location.endswith("effective_from")


def test_an_amendment_must_fit_the_kind(tmp_path):
    err = _error(tmp_path, AMENDED_ID, """
amendments:
  - {value: -5, effective_from: 2023-01-01, source: {document: {zh: 测试, en: Test}}}
""")
    assert "negative" in err.reason and "amendments[0].value" in err.location


def test_a_repeal_must_follow_the_last_version(tmp_path):
    err = _error(tmp_path, AMENDED_ID, """
repealed: {effective_from: 2020-10-08, source: {document: {zh: 测试, en: Test}}}
""")
    assert "repeal" in err.reason


def test_an_amendment_needs_its_source(tmp_path):
    err = _error(tmp_path, AMENDED_ID, """
amendments:
  - {value: 120, effective_from: 2023-01-01}
""")
    assert "source" in err.reason


# --------------------------------------------------------------------------- standards cited, not contained


def test_an_empty_standards_table_answers_none(tmp_path):
    """What the engine does before the finance office fills a table in (on a copy with the rows removed)."""
    data = copy_data(tmp_path)
    path = data / "standards.yaml"
    import yaml

    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for table in doc["tables"]:
        table["rows"] = []
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with rules.using(export(load(data))):
        for table_id in ("lodging_cap", "meal_out_of_province"):
            assert rules.rules()["standards"][table_id]["rows"] == []
        assert rules.standard("lodging_cap", rank="other", destination="北京") is None
        assert rules.standard("meal_out_of_province", destination="北京") is None


def test_filled_standards_are_dated(tmp_path):
    data = copy_data(tmp_path)
    place = fill_standards(data).destination
    with rules.using(export(load(data))):
        with rules.in_force(date(2021, 1, 1)):
            assert rules.standard("lodging_cap", rank="other", destination=place) == Decimal(500)
            assert rules.standard("lodging_cap", rank="other", destination=place + "市") == Decimal(500)  # as written
            assert rules.standard("lodging_cap", rank="department", destination=place) == Decimal(650)
            assert rules.standard("lodging_cap", rank="other", destination="不存在的地方") is None
            assert rules.standard("meal_out_of_province", destination=place) == Decimal(120)
            assert place in [r["keys"]["destination"] for r in rules.standard_rows("meal_out_of_province")]
        with rules.in_force(date(2023, 1, 1)):
            assert rules.standard("lodging_cap", rank="other", destination=place) == Decimal(550)
        with pytest.raises(CalcError) as err:
            rules.standard("lodging_cap", destination=place)
        assert err.value.field == RULES
        with pytest.raises(CalcError) as err:
            rules.standard("no_such_table", destination=place)
        assert err.value.field == RULES


@pytest.mark.parametrize("row, reason", [
    ("{keys: {rank: mayor, destination: 北京}, value: 500, effective_from: 2016-06-01, document: {zh: 测试, en: Test}}", "unknown rank"),
    ("{keys: {destination: 北京}, value: 500, effective_from: 2016-06-01, document: {zh: 测试, en: Test}}", "names the keys"),
    ("{keys: {rank: other, destination: 北京}, value: -1, effective_from: 2016-06-01, document: {zh: 测试, en: Test}}", "negative"),
    ("{keys: {rank: other, destination: 北京}, value: 450, effective_from: 2020-01-01, document: {zh: 测试, en: Test}}", "overlaps"),
])
def test_bad_standards_rows_fail_with_file_and_line(tmp_path, row, reason):
    data = copy_data(tmp_path)
    filled = fill_standards(data)
    path, row = filled.path, row.replace("北京", filled.destination)
    text = path.read_text(encoding="utf-8").replace("    rows:\n", f"    rows:\n      - {row}\n", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load(data)
    assert info.value.file == path and info.value.line and reason in info.value.reason, str(info.value)


# --------------------------------------------------------------------------- what to attach


def test_attachments_api_on_a_fixture():
    data = copy.deepcopy(rules.rules())
    data["attachments"] = [{"clause": "finance.travel.reimbursement", "items": [{"id": "approval-form", "label": {"zh": "出差审批单", "en": "travel approval form"}}]}]
    with rules.using(data):
        assert rules.attachments("finance.travel.reimbursement") == [
            {"id": "approval-form", "label": {"zh": "出差审批单", "en": "travel approval form"}, "clause": "finance.travel.reimbursement"}]
        assert rules.attachments("finance.travel") == rules.attachments("finance.travel.reimbursement")
        assert rules.attachments("finance.reception") == []


def test_shipped_attachments_quote_their_clauses(hb):
    travel = rules.attachments("finance.travel.reimbursement")
    assert [a["label"]["zh"] for a in travel][:3] == ["出差审批单", "机票、车(船)票", "住宿费发票"]
    card = next(a for a in travel if a["label"]["zh"] == "公务卡")
    assert card["when"]["zh"] == "住宿费、机票支出" and card["clause"] == "finance.travel.reimbursement"
    reception = {a["label"]["zh"] for a in rules.attachments("finance.reception.reimbursement")}
    assert {"派出单位公函", "接待清单", "原始正规发票"} <= reception
    for entry in rules.rules()["attachments"]:
        clause = hb.clauses[entry["clause"]]
        text = "".join(b.zh for b in clause.body if hasattr(b, "zh"))
        for item in entry["items"]:  # verbatim, or implied by the text with the handbook's reading beside it
            assert (item["label"]["zh"] in text or item["reading"]["zh"]) and item["label"]["en"]
    glossary = {t.zh: t.en for t in hb.glossary.terms}
    for item in travel + rules.attachments("finance.reception"):  # English in the glossary's wording
        for zh, en in glossary.items():
            if item["label"]["zh"] in (zh, "派出单位" + zh):
                assert en.lower() in item["label"]["en"].lower(), (zh, en, item)


@pytest.mark.parametrize("change, reason", [
    (("    zh: 住宿费发票\n", "    zh: 住宿费收据\n"), "not in the clause's text"),
    (("  - id: tickets\n", "  - id: lodging-invoices\n"), "duplicate attachment id"),
    (("    en: lodging invoices\n", "    en: 住宿费发票\n"), "English"),
])
def test_bad_attachments_fail_with_file_and_line(tmp_path, change, reason):
    data = copy_data(tmp_path)
    path = data / "regulation" / "finance.yaml"
    text = path.read_text(encoding="utf-8")
    old, new = (c.strip() for c in change)
    i = text.index(old, text.index("- id: finance.travel.reimbursement\n"))  # inside the clause's attachments
    path.write_text(text[:i] + new + text[i + len(old):], encoding="utf-8")
    with pytest.raises(DataError) as info:
        load(data)
    assert info.value.file == path and info.value.line and reason in str(info.value), str(info.value)


# --------------------------------------------------------------------------- the site follows the dated rules


def _pages(hb, lang):
    from handbook.pages.site import Renderer

    renderer = Renderer(hb, lang)
    section = next(s for s in hb.sections if s.id == "finance.travel")
    travel = renderer.section_page(hb.part_of[section.id], section).content
    changes = next(p for p in renderer.pages() if p.src_uri == "changes.md").content
    return travel, changes


# The fixture amendment is in force on the day the pages are rendered for: a day past it (the pages show the
# rules in force on the build day; the data under test may already hold amendments up to today and beyond).
PAST_IT = date(2999, 12, 31)


@pytest.fixture(scope="module")
def amended_hb(tmp_path_factory):
    data, a = amended_copy(tmp_path_factory.mktemp("amended-site"))
    return load(data), a


def build_day(day: date):
    """The pages and question texts as built on ``day`` (timeline's today)."""
    from unittest import mock

    from handbook.model import timeline

    class Day(date):
        @classmethod
        def today(cls):
            return day

    return mock.patch.object(timeline, "date", Day)


def shown(x: Decimal) -> str:
    return format(x.normalize(), "f")


def _pages_on(hb, lang, day):
    with build_day(day):
        return _pages(hb, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pages_show_every_change_of_the_data(hb, lang):
    """The changes page lists the regulation's day and each amendment or repeal of the data under test (values and
    text: the data under test may amend, add or repeal clauses too)."""
    from handbook.model.timeline import all_changes

    travel, changes = _pages(hb, lang)
    assert re.search(r'hb-pagemeta__inforce">[^<]*<time datetime="\d{4}-\d\d-\d\d">', travel)
    days = re.findall(r'^## <time datetime="([\d-]+)">', changes, re.M)
    assert days == sorted(set(days), reverse=True) and days[-1] == FIRST
    assert set(days) == {c.day.isoformat() for c in all_changes(hb)}
    assert len(re.findall(r'<li data-value-id="', changes)) == len(hb.values)  # the baseline lists every value
    later = [c for c in all_changes(hb) if c.what != "baseline"]
    assert len(re.findall(r'<li class="hb-changes__item"', changes)) == len(later)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pages_follow_a_fixture_amendment(amended_hb, lang):
    amended_hb, a = amended_hb
    old, new = shown(a.old), shown(a.new)
    travel, changes = _pages_on(amended_hb, lang, PAST_IT)
    # the section page: in force since the amendment, which it lists with its document
    assert re.search(rf'hb-pagemeta__inforce">[^<]*<time datetime="{a.day}">', travel)
    item = re.search(rf'<li data-value-id="{AMENDED_ID}">.*?</li>', travel, re.S).group(0)
    assert f"{old} →" in item and new in item and AMENDMENT_DOC[lang] in item
    # its values list shows the value in force that day and says what the text says
    value = re.search(rf'<data value="{new}" class="hb-values__value">{new}</data>.*?hb-values__history', travel, re.S)
    assert value, "the section's value list shows the amended value"
    # the changes page: newest first, the amendment first
    days = re.findall(r'^## <time datetime="([\d-]+)">', changes, re.M)
    assert days[0] == a.day and days[-1] == FIRST
    change = re.search(r'<li class="hb-changes__item" data-value-id="([^"]+)" data-what="([^"]+)">(.*?)</li>', changes, re.S)
    assert change.group(1) == AMENDED_ID and change.group(2) == "amended"
    assert f'<data class="hb-changes__old" value="{old}">' in change.group(3) and f'<data class="hb-changes__new" value="{new}">' in change.group(3)
    assert AMENDMENT_DOC[lang] in change.group(3)
    from handbook.model.timeline import in_force_since

    assert in_force_since(amended_hb, "finance.travel", PAST_IT).isoformat() == a.day


def test_the_fixture_leaves_the_data_under_test_alone(hb, amended_hb):
    """The amendment went into a copy: the data under test (and its rules) are as they were."""
    from handbook.model.timeline import changes

    _amended, a = amended_hb
    assert a.day not in {c.day.isoformat() for c in changes(hb) if c.what != "baseline"} or \
        len(hb.values[AMENDED_ID][0].amendments) + 1 == len(_amended.values[AMENDED_ID][0].amendments)
    assert len(rules.rules()["values"][AMENDED_ID].get("amendments", [])) == len(hb.values[AMENDED_ID][0].amendments)


def test_question_texts_use_the_value_in_force(amended_hb):
    from handbook.pages.training import value_text

    amended_hb, a = amended_hb
    with build_day(PAST_IT):
        assert value_text(amended_hb, AMENDED_ID, "zh", "q") == shown(a.new)


def test_the_cli_with_a_date_follows_the_amendment(tmp_path, amendment):
    """``python -m calculators travel`` with ``"date"``: the rules of that day (the engine reads it, #9)."""
    amended, a = amendment
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(amended), encoding="utf-8")
    totals = {}
    for day in (a.before, a.day):
        trip = {"rank": "other", "legs": [{"region": "in_province", "days": 2}], "date": day}
        proc = subprocess.run([sys.executable, "-m", "calculators", "travel"], input=json.dumps(trip), cwd=ROOT,
                              env={**os.environ, rules.RULES_ENV: str(path)}, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        result = json.loads(proc.stdout)
        totals[day] = Decimal(result["total"])
        assert (result.get("rules_as_of") == a.day) == (day == a.day)
    assert totals[a.day] - totals[a.before] == 2 * (a.new - a.old)


def test_the_changes_page_is_in_the_nav_after_the_notes():
    for config, label in (("mkdocs.yml", "规定变更记录"), ("mkdocs.en.yml", "Changes to the rules")):
        lines = [line.strip() for line in (ROOT / config).read_text(encoding="utf-8").splitlines()]
        notes = next(i for i, line in enumerate(lines) if line.endswith(": notes.md"))
        assert lines[notes + 1] == f"- {label}: changes.md", config


def test_a_future_amendment_is_listed_but_not_yet_in_force(tmp_path):
    from handbook.model.timeline import in_force_since, value_on

    data = copy_data(tmp_path)
    since, today_value = in_force_since(load(data), "finance.travel"), value_on(load(data), AMENDED_ID)
    with rules.using(export(load(data))):
        as_of = rules.as_of()
    a = amend(data, day="2999-01-01")
    hb = load(data)
    assert in_force_since(hb, "finance.travel") == since
    assert value_on(hb, AMENDED_ID) == today_value
    travel, changes = _pages(hb, "en")
    assert re.findall(r'^## <time datetime="([\d-]+)">[^\n]*', changes, re.M)[0] == "2999-01-01"
    assert "not yet in force" in changes.split("\n## ")[1] and "not yet in force" in travel
    with rules.using(export(hb)):
        assert rules.value(AMENDED_ID) == today_value and rules.as_of() == as_of
        with rules.in_force(date(2999, 1, 1)):
            assert rules.value(AMENDED_ID) == a.new
