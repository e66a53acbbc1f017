"""Text in time and figures bound to their values, on a copy of data/ with the manual's own examples applied
(tests/text_fixtures.py: the meal allowance 100 -> 120, a sentence of the same clause amended, a clause added, a
paragraph repealed, all from 2026-01-01 by 资财行〔2025〕99号). The shipped data is never edited.

Loader (file, line, reason), timeline (what is in force on a day), the section page through the Renderer (the
text in force on the build day, marks, the earlier wording as a diff, every version dated for the date picker),
the changes page and its Atom feed, the search index and the calculators' quotes of the regulation.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal

import pytest
import test_data_coverage as coverage
from rules_fixtures import copy_data
from text_fixtures import DAY, DOC, FINANCE, MEAL, REIMBURSEMENT, clause, edit_part, example, travel_page as _section, visible as _visible, walkthrough

from calculators import compute, rules
from handbook.exports import changes_feed, search_index
from handbook.exports.rules_export import export
from handbook.model import timeline
from handbook.model.loader import load
from handbook.model.yamlfile import DataError
from handbook.pages.site import Renderer
from handbook.pages.training import fmt

pytestmark = pytest.mark.xdist_group("test_text_in_time")  # one worker makes its amended copy of data/ (module fixtures), not each

BEFORE, AFTER = date(2025, 6, 1), date(2026, 3, 1)
AMENDED_ZH = "伙食补助费具体标准按照《资阳市市直机关差旅费管理办法》(2025年修订)执行。补助标准见下表:"
SEED_ZH = "伙食补助费具体标准按照《资阳市市直机关差旅费管理办法》执行。补助标准见下表:"


@pytest.fixture(scope="module")
def amended(tmp_path_factory):
    return load(walkthrough(tmp_path_factory.mktemp("walkthrough")))


def paragraph(hb, clause_id, index):
    return hb.clauses[clause_id].body[index]


# --------------------------------------------------------------------------- the model: one answer per day


def test_the_manuals_examples_load_and_answer_by_day(amended):
    """The README's examples, applied as written: the wording, the figure, the new clause and the repeal each
    answer for the day asked."""
    hb = amended
    second = paragraph(hb, MEAL, 1)
    assert timeline.wording(hb, MEAL, second, BEFORE, "zh") == SEED_ZH
    assert timeline.wording(hb, MEAL, second, AFTER, "zh") == AMENDED_ZH
    assert "(revised 2025)" in timeline.wording(hb, MEAL, second, AFTER, "en")
    assert timeline.value_on(hb, "travel.meal.in_province", BEFORE) == 100
    assert timeline.value_on(hb, "travel.meal.in_province", AFTER) == 120
    span = timeline.clause_span(hb, MEAL + ".receipts")
    assert span.start == date(2026, 1, 1) and span.added and span.source.document.zh == DOC["zh"]
    repealed = hb.clauses[REIMBURSEMENT].body[-1]
    assert timeline.wording(hb, REIMBURSEMENT, repealed, BEFORE, "zh")
    assert timeline.wording(hb, REIMBURSEMENT, repealed, AFTER, "zh") is None
    # the table cell, its figure bound to the value: the text in force says what the calculator pays
    table = next(b.table for b in hb.clauses[MEAL].body if hasattr(b, "table"))
    cell = table.body[0][2]
    assert cell.zh == "{value:travel.meal.in_province}"
    assert timeline.wording(hb, MEAL, cell, BEFORE, "zh") == "100"
    assert timeline.wording(hb, MEAL, cell, AFTER, "zh") == "120"


def test_changes_list_text_and_values_together_newest_first(amended):
    changes = timeline.all_changes(amended)
    days = [c.day for c in changes]
    assert days == sorted(days, reverse=True)
    newest = [(c.kind, c.what, c.clause_id) for c in changes if c.day == date(2026, 1, 1)]
    assert newest == [("text", "amended", MEAL), ("text", "amended", MEAL), ("text", "new", MEAL + ".receipts"),
                      ("text", "repealed", REIMBURSEMENT), ("value", "amended", MEAL)]  # the heading, then the sentence
    assert [c.heading for c in changes if c.day == date(2026, 1, 1) and c.kind == "text"][:2] == [True, False]
    text = next(c for c in changes if c.kind == "text" and c.what == "amended" and not c.heading)
    assert (text.old.zh, text.new.zh) == (SEED_ZH, AMENDED_ZH)
    assert timeline.in_force_since(amended, "finance.travel", AFTER) == date(2026, 1, 1)


def test_the_coverage_test_passes_on_the_amended_copy_and_checks_each_wording_against_its_document(amended, tmp_path):
    """The seed stays the first version (the seed test passes unchanged); the amendment and the new clause are
    found verbatim in their own document; a wording its document does not contain fails, naming it."""
    coverage.test_every_seed_paragraph_is_in_the_data_in_order(amended)
    coverage.test_no_rule_text_is_invented(amended)
    coverage.test_every_later_wording_is_in_its_own_document(amended)
    data = walkthrough(tmp_path)
    (data / "source" / "2025-99.txt").write_text("资财行〔2025〕99号\n(另一份文件)\n", encoding="utf-8")
    with pytest.raises(AssertionError) as err:
        coverage.test_every_later_wording_is_in_its_own_document(load(data))
    assert "not verbatim in data/source/2025-99.txt" in str(err.value) and MEAL in str(err.value)


# --------------------------------------------------------------------------- the loader: file, line, reason


def _load_error(data) -> DataError:
    with pytest.raises(DataError) as info:
        load(data)
    err = info.value
    assert err.line and err.file.name, str(err)
    return err


def test_a_literal_copy_of_a_value_in_its_own_clause_is_rejected_with_a_hint(tmp_path):
    data = copy_data(tmp_path)
    path = data / FINANCE
    first = load(data).values["travel.meal.in_province"][0].value  # the seed's figure, a version whatever came later
    literal = fmt(Decimal(str(first)))

    def change(doc):  # the table cell that refers to the value, written as the figure instead
        table = next(b["table"] for b in clause(doc, MEAL)["body"] if "table" in b)
        cell = next(c for row in table["body"] for c in row if c.get("zh") == "{value:travel.meal.in_province}")
        cell["zh"] = literal

    edit_part(data, FINANCE, change)
    err = _load_error(data)
    assert err.file == path and f"'{literal}'" in path.read_text(encoding="utf-8").splitlines()[err.line - 1]
    assert f"the figure {literal} is written literally" in err.reason and "{value:travel.meal.in_province}" in err.reason
    assert "literal_figures" in err.reason  # the hint for a figure that is not the value


def test_a_reference_names_a_value_of_its_own_clause(tmp_path):
    data = copy_data(tmp_path)
    path = data / FINANCE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{value:errand.meal.per_meal}元", "{value:errand.taxi.max_per_day}元", 1), encoding="utf-8")
    err = _load_error(data)
    assert "errand.taxi.max_per_day" in err.reason and "finance.travel.misc-allowance" in err.reason


def test_a_text_amendment_needs_its_documents_text_and_comes_in_order(tmp_path):
    data = walkthrough(tmp_path)
    (data / "source" / "2025-99.txt").unlink()
    err = _load_error(data)
    assert "2025-99.txt" in err.reason and "data/source/" in err.reason and err.file.name == "finance.yaml"

    def no_file(doc):
        del clause(doc, MEAL)["body"][1]["amendments"][0]["source"]["file"]

    data = walkthrough(tmp_path / "b")
    edit_part(data, FINANCE, no_file)
    assert "source.file" in _load_error(data).reason

    def out_of_order(doc):
        amendments = clause(doc, MEAL)["body"][1]["amendments"]
        later = dict(amendments[0], effective_from=date(2027, 1, 1), zh=SEED_ZH)
        amendments.insert(0, later)

    data = walkthrough(tmp_path / "c")
    edit_part(data, FINANCE, out_of_order)
    err = _load_error(data)
    assert "oldest first" in err.reason and "amendments[1]" in err.location


def test_a_clause_added_later_names_its_document(tmp_path):
    def no_source(doc):
        del clause(doc, MEAL + ".receipts")["source"]

    data = walkthrough(tmp_path)
    edit_part(data, FINANCE, no_source)
    err = _load_error(data)
    assert "effective_from and source" in err.reason and "clauses[0]" in err.location


# --------------------------------------------------------------------------- quotes: the calculators cite the day's wording


def _amend_same_day_rule(doc, with_quote: bool):
    """The reimbursement clause's first paragraph amended (当天来回的按一天 -> 按半天), and its quote with it or not."""
    reimbursement = clause(doc, REIMBURSEMENT)
    first = reimbursement["body"][0]
    source = {"document": DOC, "clause": {"zh": "第五条", "en": "Article 5"}, "file": "2025-99.txt"}
    first["amendments"] = [{"effective_from": date(2026, 1, 1), "source": source,
                            "zh": first["zh"].replace("当天来回的按{value:travel.reimbursement.same_day_trip_days|cn}天计算报销",
                                                      "当天来回的按半天计算报销"),
                            "en": first["en"].replace("counted as {value:travel.reimbursement.same_day_trip_days|word} day",
                                                      "counted as half a day")}]
    if with_quote:
        quote = next(q for q in reimbursement["quotes"] if q["id"] == "same-day")
        quote["amendments"] = [{"effective_from": date(2026, 1, 1), "source": source,
                                "zh": "当天来回的按半天计算报销", "en": "a trip out and back on the same day is counted as half a day"}]


def test_a_quote_follows_its_clause_and_a_result_cites_the_wording_of_its_day(tmp_path):
    data = walkthrough(tmp_path)
    edit_part(data, FINANCE, lambda doc: _amend_same_day_rule(doc, with_quote=False))
    err = _load_error(data)
    assert "当天来回的按一天计算报销" in err.reason and "2026-01-01" in err.reason and "quotes[0]" in err.location

    data = walkthrough(tmp_path / "b")
    edit_part(data, FINANCE, lambda doc: _amend_same_day_rule(doc, with_quote=True))
    source = data / "source" / "2025-99.txt"
    hb = load(data)
    paragraph0 = timeline.wording(hb, REIMBURSEMENT, hb.clauses[REIMBURSEMENT].body[0], AFTER, "zh")
    source.write_text(source.read_text(encoding="utf-8") + paragraph0 + "\n", encoding="utf-8")
    travel = {"rank": "other", "legs": [{"region": "in_province", "days": 1}]}
    with rules.using(export(hb)):
        old = compute("travel", {**travel, "date": BEFORE.isoformat()})
        new = compute("travel", {**travel, "date": AFTER.isoformat()})
    said = lambda result, lang: " ".join(n[lang] for n in result["notes"])  # noqa: E731
    assert "当天来回的按一天计算报销" in said(old, "zh") and "当天来回的按半天计算报销" in said(new, "zh")
    assert "counted as one day" in said(old, "en") and "counted as half a day" in said(new, "en")
    assert new["total"] - old["total"] == 20  # the meal allowance of each day too (100, then 120)
    # the result names the amending document of the wording it quotes and of the figure it pays (issue 19)
    amended = [n for n in new["notes"] if DOC["zh"] in n["zh"] and DOC["en"] in n["en"]]
    assert sorted(n["zh"].split(":")[0] for n in amended) == ["所引条文已修订", "所用数值已修订"], amended
    assert any("“当天来回的按半天计算报销”(2026-01-01 起 · 资财行〔2025〕99号 第五条)" in n["zh"] for n in amended)
    assert not [n for n in old["notes"] if DOC["zh"] in n["zh"]]


def test_the_calculators_quote_the_regulation_from_the_data(hb):
    """A sentence the data lists as a quote (当天来回的按一天计算报销, 公务接待一律不提供酒类, …) is in no calculator's
    code: the results take it from rules.json, worded as on the day."""
    import inspect

    import calculators

    quoted = [q for c in hb.clauses.values() for q in c.quotes]
    assert len(quoted) >= 10
    for name, module in calculators.CALCULATORS.items():
        code = inspect.getsource(module)
        for q in quoted:
            said = timeline.first_render(hb, q.zh), timeline.first_render(hb, q.en)
            assert said[0] not in code and said[1] not in code, (name, q.id)
    zh, en = rules.quote(REIMBURSEMENT, "same-day")  # its figure, written in words, from the value in force
    assert zh == "当天来回的按一天计算报销" and en == "a trip out and back on the same day is counted as one day"


# What counts as a regulation sentence held in code: a run of this many Han characters or more that the seed's text
# holds verbatim (a document's or form's title in 《》 is a name, not a sentence, and is left out). Shorter runs are
# the handbook naming a case (培训举办单位没有统一解决费用的情形) or a label; longer ones restate a rule.
SENTENCE_HAN = 14
# Han text in the calculators' code that the seed's text holds, declared as what it is (module, run) -> reason.
NOT_A_SENTENCE = {
    ("travel", "出差人全部为副县级及以上干部"):
        "the label of the all_deputy_county_or_above field: the condition the box asks, in the regulation's words",
    ("training", "培训举办单位没有统一解决费用的"):
        "names the case the trainee mode is for (its label and the note that quotes the rule itself from the data)",
    ("reception", "邀请市级相关部门、高新区和临空经济区、县(区)人员参加"):
        "who may be invited beyond the hosts' ratio, named in the warning on the hosts' count (the `invited` field's case)",
    ("reception", "市级相关部门、高新区和临空经济区、县(区)人员"):
        "the label of the `invited` field and its case: who they are, not a rule",
}


def _han(text: str) -> int:
    return len(re.findall(r"[\u4e00-\u9fff]", text))


def _held_runs(regulation: str, literal: str):
    """The longest runs of ``literal`` (placeholders and 《titles》 cut out) that ``regulation`` holds verbatim."""
    for piece in re.split(r"\{[^}]*\}|《[^》]*》", literal):
        i = 0
        while i < len(piece):
            j = i
            while j < len(piece) and piece[i:j + 1] in regulation:
                j += 1
            if j > i:
                yield piece[i:j]
                i = j
            else:
                i += 1


def test_no_calculator_holds_a_regulation_sentence(hb):
    """Issue 19: every sentence of the regulation a result restates comes from the data (a clause's ``quotes``,
    rules.quote), so an amendment reaches it. Scans every string in calculators/*.py for runs the seed's text holds."""
    import ast

    from handbook.paths import ROOT

    texts = []
    for c in hb.clauses.values():
        for block in c.body:
            if getattr(block, "zh", None):
                texts.append(timeline.first_render(hb, block.zh))
            for row in getattr(getattr(block, "table", None), "body", None) or []:
                texts += [timeline.first_render(hb, cell.zh) for cell in row]
    regulation = "\n".join(texts)
    found = {}
    for path in sorted((ROOT / "calculators").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for run in _held_runs(regulation, node.value):
                    if _han(run) >= SENTENCE_HAN:
                        found.setdefault((path.stem, run), node.lineno)
    declared = lambda m, run: any(m == mod and run in text for mod, text in NOT_A_SENTENCE)  # noqa: E731
    sentences = {(m, run): line for (m, run), line in found.items() if not declared(m, run)}
    assert not sentences, "regulation sentences in the calculators' code (move them to the clause's quotes): " + "; ".join(
        f"calculators/{m}.py:{line}: {run}" for (m, run), line in sentences.items())
    unused = [k for k in NOT_A_SENTENCE if not any(m == k[0] and run in k[1] for m, run in found)]
    assert not unused, f"declared but no longer in the code: {unused}"


# --------------------------------------------------------------------------- pages: the Renderer on the fixture


@pytest.mark.parametrize("lang, mark", [("zh", "2026-01-01 修订 · 资财行〔2025〕99号"), ("en", "Amended 2026-01-01 · Zi Cai Xing [2025] No. 99")])
def test_the_section_page_shows_the_text_in_force_and_marks_each_change(amended, lang, mark):
    page = _section(amended, lang, AFTER)
    cell = re.search(r'<td>(<span class="hb-fig" data-value-id="travel\.meal\.in_province".*?)</td>', page, re.S).group(1)
    assert re.search(r'data-from="2020-10-08" data-to="2025-12-31" hidden>100</span>', cell)
    assert re.search(r'data-from="2026-01-01" data-to="">120</span>', cell)
    value, owner = amended.values["travel.meal.in_province"]
    article = next(v for v in timeline.versions(value, owner, amended.source) if v.in_force(AFTER)).source.clause[lang]
    assert f'<span class="hb-mark">{mark} {article}' in cell  # the article of the amendment (第一条 in the fixture)
    assert "<del>100</del> → <ins>120</ins>" in cell  # the earlier figure a click away
    # the amended sentence: in force, marked, the earlier wording as a diff
    assert f'<span class="hb-mark">{mark}' in page
    if lang == "zh":
        assert '<ins><span class="hb-sr">新增:</span>(2025年修订)</ins>' in page  # character level
        visible = _visible(page)
        assert AMENDED_ZH in visible and SEED_ZH not in visible
        assert "2026-01-01 新增 · 资财行〔2025〕99号 第三条" in visible and "无需提供用餐发票" in visible
    else:
        assert '<del><span class="hb-sr">deleted: </span>Ziyang.</del><ins><span class="hb-sr">inserted: </span>Ziyang (revised 2025).</ins>' in page
    assert 'data-pit-date min="2020-10-08"' in page and f'value="{AFTER}"' in page


def test_before_the_amendment_the_page_shows_the_seed_and_hides_what_comes_later(amended):
    page = _section(amended, "zh", BEFORE)
    visible = _visible(page)
    assert SEED_ZH in visible and AMENDED_ZH not in visible and "无需提供用餐发票" not in visible
    assert re.search(r'data-from="2020-10-08" data-to="2025-12-31">100</span>', page)
    assert re.search(r'id="finance\.travel\.meal-allowance\.receipts"[^>]*data-from="2026-01-01" data-to="" hidden', page)
    assert "到常驻地以外地区单位实(见)习" in visible  # repealed from 2026: still in force on this day


def test_every_page_of_the_shipped_data_renders_its_figures(hb):
    """No {value:…} reaches a reader: section and side-by-side pages, both languages."""
    for lang in ("zh", "en"):
        renderer = Renderer(hb, lang, {})
        for part in hb.parts:
            for section in part.sections:
                for page in (renderer.section_page(part, section), renderer.compare_page(part, section)):
                    assert "{value:" not in page.content, (lang, page.src_uri)
    today = date.today()
    travel = _section(hb, "zh", today)
    figure = Decimal(str(timeline.value_on(hb, "travel.meal.in_province", today)))  # whatever the data under test says
    shown = re.findall(r'<span class="hb-fig" data-value-id="travel\.meal\.in_province"([^>]*)>([^<]*)</span>', travel)
    assert any("hidden" not in attrs and Decimal(text) == figure for attrs, text in shown), shown


def test_the_changes_page_and_feed_list_text_and_value_changes(amended):
    renderer = Renderer(amended, "zh", {}, today=AFTER)
    page = renderer.render("changes.md.j2", "changes.md", changes=timeline.all_changes(amended)).content
    day = page[page.index("#changes-2026-01-01"):page.index("#changes-2020-10-08")]
    assert day.index('data-what="text-amended"') < day.index('data-what="amended"')
    assert 'data-what="text-new"' in day and 'data-what="text-repealed"' in day
    assert "<ins><span class=\"hb-sr\">新增:</span>(2025年修订)</ins>" in day
    assert 'href="../changes.xml"' in page
    for lang in ("zh", "en"):
        feed = changes_feed.feed(amended, lang, "http://example.test/" + ("en/" if lang == "en" else ""), today=AFTER)
        root = ET.fromstring(feed)
        ns = {"a": "http://www.w3.org/2005/Atom"}
        entries = root.findall("a:entry", ns)
        titles = [e.findtext("a:title", namespaces=ns) for e in entries]
        assert len(entries) == 6 and root.findtext("a:updated", namespaces=ns) == f"{DAY}T00:00:00Z"
        assert titles[0].startswith("标题修订" if lang == "zh" else "Heading amended")  # the heading, listed like a text change
        assert titles[0].endswith("4 出差伙食补助费" if lang == "zh" else "4 Meal allowance on official trips")
        assert titles[1].startswith("条文修订" if lang == "zh" else "Text amended")
        assert any("100 → 120" in t for t in titles)
        assert entries[-1].findtext("a:updated", namespaces=ns).startswith("2020-10-08")


def test_search_indexes_the_text_in_force(amended):
    def body(on, clause_id):
        docs = search_index.documents(amended, "zh", on=on)["docs"]
        return next((d.get("b", "") for d in docs if d["id"] == clause_id), None)

    assert "(2025年修订)" in body(AFTER, MEAL) and " 120 " in f" {body(AFTER, MEAL)} "
    assert "(2025年修订)" not in body(BEFORE, MEAL) and " 100 " in f" {body(BEFORE, MEAL)} "
    assert "到常驻地以外地区单位实(见)习" not in body(AFTER, REIMBURSEMENT)
    assert body(BEFORE, MEAL + ".receipts") is None and "无需提供用餐发票" in body(AFTER, MEAL + ".receipts")


def test_the_manuals_figure_example_is_the_data(hb):
    """The README's literal_figures example is the shipped clause, as written."""
    shown = example("figures")[0]
    data = hb.clauses[shown["id"]]
    assert [lit.model_dump() for lit in data.literal_figures] == shown["literal_figures"]
    assert data.body[0].zh == shown["body"][0]["zh"]
    assert example("quote")["quotes"][0] == {k: v for k, v in hb.clauses[REIMBURSEMENT].quotes[0].model_dump().items()
                                            if k in ("id", "zh", "en")}
    assert Decimal(timeline.value_on(hb, "meetings.law_study.minutes")) == 30


def test_figures_the_seed_writes_in_words_follow_their_values(tmp_path):
    """一天, 两餐, three days: written {value:<id>|cn|liang|word}, read from the value (calculators.wording.figure)."""
    from calculators.wording import figure

    assert [figure("1", "cn"), figure("2", "liang"), figure("2", "cn"), figure("12", "cn"), figure("3", "word")] == \
        ["一", "两", "二", "十二", "three"]
    assert figure("100") == "100" and figure("0.5") == "0.5" and figure("2/3", "cn") == "2/3"
    assert [figure("0.5", "cn"), figure("0.5", "word")] == ["半", "half a"]  # 半天, half a day
    data = copy_data(tmp_path)
    from rules_fixtures import amend

    amend(data, "leave.sick.certificate.min_days", "5", file="regulation/labour.yaml")
    hb = load(data)
    sick = hb.clauses["labour.attendance.sick-leave"].body[0]
    assert "病假三天(含三天)以上" in timeline.wording(hb, "labour.attendance.sick-leave", sick, date(2022, 6, 1), "zh")
    assert "病假五天(含五天)以上" in timeline.wording(hb, "labour.attendance.sick-leave", sick, date(2023, 6, 1), "zh")
    assert "five days or more (five days inclusive)" in timeline.wording(hb, "labour.attendance.sick-leave", sick, date(2023, 6, 1), "en")
    path = data / "regulation" / "labour.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("min_days|cn}天(含", "min_days|roman}天(含", 1), encoding="utf-8")
    err = _load_error(data)
    assert "unknown style 'roman'" in err.reason and err.file == path


def test_glossary_definitions_write_figures_as_references_and_follow_amendments(tmp_path):
    """Issue 19: a definition's figure is a reference to its clause's value, rendered as in force on the page's day
    (an amendment reaches the glossary); the loader refuses a literal copy, or a value of a clause the term does not
    list, with the glossary's file and line."""
    from rules_fixtures import amend

    data = copy_data(tmp_path)
    a = amend(data, "errand.meal.per_meal")
    hb = load(data)
    term = next(t for t in hb.glossary.terms if t.id == "missed-meal-allowance")
    assert "每人每餐{value:errand.meal.per_meal}元" in term.definition.zh
    day = date.fromisoformat(a.day)
    for today, figure in ((day - timedelta(days=1), a.old), (day, a.new)):
        for lang, said in (("zh", f"每人每餐{figure:f}元"), ("en", f"{figure:f} yuan per person per meal")):
            page = Renderer(hb, lang, {}, today=today).render("glossary.md.j2", "glossary.md").content
            entry = page[page.index('id="term-missed-meal-allowance"'):]
            assert said in entry[:entry.index("</dd>")], (today, lang)
        tip = Renderer(hb, "zh", {}, today=today).linkify("误餐补助", "finance/travel.md", set())  # the link's tooltip
        assert f"每人每餐{figure:f}元" in tip

    path = data / "glossary.yaml"
    text = path.read_text(encoding="utf-8")
    ref = "每人每餐{value:errand.meal.per_meal}元"
    line = text[: text.index(ref)].count("\n") + 1
    path.write_text(text.replace(ref, "每人每餐20元", 1), encoding="utf-8")
    err = _load_error(data)
    assert err.file == path and err.line == line, str(err)
    assert "the figure 20 is written literally" in err.reason and "{value:errand.meal.per_meal}" in err.reason
    path.write_text(text.replace(ref, "每人每餐{value:attendance.late.minutes}元", 1), encoding="utf-8")
    err = _load_error(data)
    assert err.line == line and "not a value of the clauses this term lists" in err.reason


def _walked_and_amended(tmp_path, article: dict, change, wording: str):
    """The walk-through's copy with one more change by its document (资财行〔2025〕99号, ``article``):
    ``change(doc, source)`` edits the finance part, ``wording`` is added to the document's text; loaded, and each
    wording checked against its own document."""
    data = walkthrough(tmp_path)
    source = {"document": DOC, "clause": article, "file": "2025-99.txt"}
    edit_part(data, FINANCE, lambda doc: change(doc, source))
    doc = data / "source" / "2025-99.txt"
    doc.write_text(doc.read_text(encoding="utf-8") + wording, encoding="utf-8")
    hb = load(data)
    coverage.test_every_later_wording_is_in_its_own_document(hb)
    return hb


def test_a_table_caption_and_unit_carry_versions_like_paragraphs(tmp_path):
    """Issue 19 item 3: a table's caption and unit line take ``amendments`` (and ``repealed``) like a paragraph or a
    cell: the page shows the wording in force, marked, with the earlier one a click away; the changes list it; its
    wording is checked against its own document."""
    def change(doc, source):
        table = next(b["table"] for b in clause(doc, MEAL)["body"] if "table" in b)
        table["caption"]["amendments"] = [{"effective_from": date(2026, 1, 1), "source": source,
                                           "zh": "伙食补助费补助标准(2025年修订)", "en": "Meal allowance rates by region (revised 2025)"}]
        table["unit"]["amendments"] = [{"effective_from": date(2026, 1, 1), "source": source,
                                        "zh": "单位:元/人·天", "en": "Unit: yuan per person per day"}]

    hb = _walked_and_amended(tmp_path, {"zh": "第二条", "en": "Article 2"}, change, "伙食补助费补助标准(2025年修订)\n单位:元/人·天\n")
    caption = lambda page: re.search(r"<figcaption[^>]*>(.*?)</figcaption>", page[page.index("伙食补助费补助标准") - 300:], re.S).group(1)  # noqa: E731
    after = caption(_section(hb, "zh", AFTER))
    assert "2026-01-01 修订 · 资财行〔2025〕99号" in after and "<ins><span class=\"hb-sr\">新增:</span>(2025年修订)</ins>" in after
    assert re.search(r'data-from="2026-01-01" data-to="">伙食补助费补助标准\(2025年修订\)', after)
    assert re.search(r'data-from="2026-01-01" data-to="">单位:元/人·天', after)
    visible = _visible(after)
    assert "(2025年修订)" in visible and "单位:元/." not in visible
    before = caption(_section(hb, "zh", BEFORE))  # the seed's wording in force, the amendment hidden until its day
    assert re.search(r'data-from="2020-10-08" data-to="2025-12-31">伙食补助费补助标准<', before)
    assert re.search(r'data-from="2026-01-01" data-to="" hidden>伙食补助费补助标准\(2025年修订\)', before)
    assert re.search(r'data-from="2020-10-08" data-to="2025-12-31">单位:元/\.<', before)
    amended = [c for c in timeline.all_changes(hb) if c.kind == "text" and c.what == "amended" and c.day == date(2026, 1, 1)]
    assert any(c.new.zh == "伙食补助费补助标准(2025年修订)" for c in amended)


# --------------------------------------------------------------------------- a clause's or section's heading in time

OLD_HEADING, NEW_HEADING = "伙食补助费", "出差伙食补助费"  # data/README.md's amend-heading example


def _heading_line(page: str, anchor: str) -> str:
    return next(line for line in page.splitlines() if line.startswith("#") and f"{{#{anchor} " in line)


def test_a_heading_answers_by_day_like_a_paragraph(amended, tmp_path):
    """The README's amend-heading example, applied: the model, the changes and the coverage test take the heading's
    versions as they take a paragraph's."""
    meal = amended.clauses[MEAL]
    assert (meal.heading("zh", on=BEFORE), meal.heading("zh", on=AFTER)) == (f"4 {OLD_HEADING}", f"4 {NEW_HEADING}")
    assert meal.heading("en", on=AFTER) == "4 Meal allowance on official trips" and meal.title.zh == OLD_HEADING
    change = next(c for c in timeline.all_changes(amended) if c.kind == "text" and c.heading)
    assert (change.day, change.clause_id, change.old.zh, change.new.zh) == (date(2026, 1, 1), MEAL, OLD_HEADING, NEW_HEADING)
    assert change.source.clause.zh == "第五条"
    where = [w for w, _text, _file in coverage.later_wordings(amended) if w.startswith(f"{MEAL} title.amendments.0 ")]
    assert where, "the coverage test checks the heading's wording against its document"
    data = walkthrough(tmp_path)  # a document that does not give the new heading: the coverage test names it
    doc = data / "source" / "2025-99.txt"
    doc.write_text("".join(line + "\n" for line in doc.read_text(encoding="utf-8").splitlines() if NEW_HEADING not in line),
                   encoding="utf-8")
    with pytest.raises(AssertionError) as err:
        coverage.test_every_later_wording_is_in_its_own_document(load(data))
    assert f"{MEAL} title.amendments.0 (2026-01-01, 资财行〔2025〕99号): not verbatim in data/source/2025-99.txt: {NEW_HEADING}" in str(err.value)


@pytest.mark.parametrize("lang, old, new, mark", [
    ("zh", OLD_HEADING, NEW_HEADING, "2026-01-01 修订 · 资财行〔2025〕99号 第五条"),
    ("en", "Meal allowance", "Meal allowance on official trips", "Amended 2026-01-01 · Zi Cai Xing [2025] No. 99 Article 5")])
def test_the_section_page_shows_the_heading_in_force_marks_it_and_the_picker_can_switch_it(amended, lang, old, new, mark):
    import markdown

    for today, shown, hidden in ((AFTER, new, old), (BEFORE, old, new)):
        page = _section(amended, lang, today)
        line = _heading_line(page, MEAL)
        # every wording in the heading, each dated for the date picker; the one of the day shown, the other hidden
        assert re.search(rf'<span class="hb-v" data-from="2020-10-08" data-to="2025-12-31"( hidden)?>{re.escape(old)}</span>', line)
        assert re.search(rf'<span class="hb-v" data-from="2026-01-01" data-to=""( hidden)?>{re.escape(new)}</span>', line)
        assert re.search(rf' hidden>{re.escape(hidden)}</span>', line) and not re.search(rf' hidden>{re.escape(shown)}</span>', line)
        # the contents (and the page's heading anchors) list the wording in force on the build day only
        md = markdown.Markdown(extensions=["attr_list", "toc"])  # as mkdocs.yml has them
        md.convert(page.split("---", 2)[2])
        flat = []
        stack = list(md.toc_tokens)
        while stack:
            token = stack.pop(0)
            flat.append(token)
            stack[:0] = token["children"]
        name = next(t["name"] for t in flat if t["id"] == MEAL)
        assert name == f"4 {shown}", name
        # the mark and the earlier heading a click away, shown while the new heading is in force
        history = re.search(rf'<div class="hb-heading-history" data-heading-of="{re.escape(MEAL)}">(.*?)</div>', page, re.S).group(1)
        assert mark in history and re.search(r'data-from="2026-01-01" data-to=""' + (" hidden" if today == BEFORE else "") + ">", history)
        assert ("<ins><span class=\"hb-sr\">新增:</span>出差</ins>伙食补助费" in history) if lang == "zh" else "<ins>" in history
    assert 'data-pit-date' in page


def test_the_heading_of_the_day_in_search_nav_training_and_the_calculators_cite(amended):
    from calculators.__main__ import render_text

    def doc(on, clause_id):
        return next(d for d in search_index.documents(amended, "zh", on=on)["docs"] if d["id"] == clause_id)

    assert doc(AFTER, MEAL)["t"] == f"4 {NEW_HEADING}" and doc(BEFORE, MEAL)["t"] == f"4 {OLD_HEADING}"
    assert doc(AFTER, MEAL + ".receipts")["c"].endswith(f"4 {NEW_HEADING}")  # a sub-clause's crumb
    # training and task pages name a clause by its heading of the build day
    from handbook.pages.training import cite_label

    assert cite_label(amended, MEAL, "zh", AFTER).endswith(f"› 4 {NEW_HEADING}")
    assert cite_label(amended, MEAL, "zh", BEFORE).endswith(f"› 4 {OLD_HEADING}")
    # rules.json carries every wording; a result cites the heading of its day
    data = export(amended)
    versions = data["clauses"][MEAL]["versions"]
    assert [(v["title"]["zh"], v["effective_from"], v["effective_to"]) for v in versions] == [
        (OLD_HEADING, "2020-10-08", "2025-12-31"), (NEW_HEADING, "2026-01-01", None)]
    assert versions[1]["heading"] == {"zh": f"4 {NEW_HEADING}", "en": "4 Meal allowance on official trips"}
    assert data["clauses"][MEAL]["title"]["zh"] == OLD_HEADING  # the first wording: rules.json does not age
    trip = {"rank": "other", "legs": [{"region": "in_province", "days": 1}]}
    with rules.using(data):
        results = {d: compute("travel", {**trip, "date": d.isoformat()}) for d in (BEFORE, AFTER)}
    for day, title in ((BEFORE, OLD_HEADING), (AFTER, NEW_HEADING)):
        cited = results[day]["citations"][MEAL]
        assert cited["title"]["zh"] == title and cited["heading"]["zh"] == f"4 {title}"
        assert f"4 {title} / " in render_text(results[day])
    # the calculator page's clause links name the heading of the build day
    import calculators

    page = Renderer(amended, "zh", calculators.CALCULATORS, today=AFTER)
    page.__dict__["rules"] = data
    assert page.rules_now["clauses"][MEAL]["heading"]["zh"] == f"4 {NEW_HEADING}"


def test_a_section_heading_carries_versions_in_the_nav_and_search(tmp_path):
    """A section's heading, amended: the navigation, the page's title and h1, search and rules.json follow it."""
    def change(doc, source):
        section = clause(doc, "finance.travel")
        section["title"]["amendments"] = [{"effective_from": date(2026, 1, 1), "source": source,
                                           "zh": "差旅费管理办法", "en": "Measures for the Management of Travel Expenses"}]

    hb = _walked_and_amended(tmp_path, {"zh": "第六条", "en": "Article 6"}, change, "六、“差旅管理办法”更名为“差旅费管理办法”。\n")
    travel = hb.section_of["finance.travel"]
    assert travel.heading("zh", on=AFTER) == "(四)差旅费管理办法" and travel.heading("zh", on=BEFORE) == "(四)差旅管理办法"
    for today, name in ((AFTER, "(四)差旅费管理办法"), (BEFORE, "(四)差旅管理办法")):
        renderer = Renderer(hb, "zh", {}, today=today)
        assert any(name in entry for entry in _nav_labels(renderer.nav([], []))), today
        page = _section(hb, "zh", today)
        assert f'title: "{name}"' in page and f'data-toc-label="{name}"' in _heading_line(page, "finance.travel")
        assert next(d for d in search_index.documents(hb, "zh", on=today)["docs"] if d["id"] == "finance.travel")["t"] == name
    with rules.using(export(hb)):
        cited = compute("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 1}], "date": BEFORE.isoformat()})
    assert cited["citations"][MEAL]["section_title"]["zh"] == "差旅管理办法"


def _nav_labels(item):
    if isinstance(item, dict):
        for key, value in item.items():
            yield key
            yield from _nav_labels(value)
    elif isinstance(item, list):
        for x in item:
            yield from _nav_labels(x)


@pytest.mark.parametrize("change, words", [
    (lambda t, s: t["amendments"].__setitem__(0, {**t["amendments"][0], "effective_from": date(2019, 1, 1)}), "before the regulation"),
    (lambda t, s: t["amendments"].append({**t["amendments"][0], "effective_from": date(2025, 6, 1)}), "oldest first"),
    (lambda t, s: t["amendments"][0]["source"].pop("file"), "source.file"),
    (lambda t, s: t.update(repealed={"effective_from": date(2027, 1, 1), "source": s}), "a heading takes only amendments"),
    (lambda t, s: t["amendments"][0].update(zh="伙食补助费{value:travel.meal.in_province}元"), "plain text"),
])
def test_a_heading_amendment_is_checked_with_file_and_line(tmp_path, change, words):
    data = walkthrough(tmp_path)
    edit_part(data, FINANCE, lambda doc: change(clause(doc, MEAL)["title"], {"document": DOC}))
    err = _load_error(data)
    assert err.file.name == "finance.yaml" and "title" in err.location, err
    assert words in str(err), str(err)
