"""The maintainer's whole walk-through (tests/living_data.py: the figure amended as README.md shows, a sentence of
the same clause amended, a clause added, a clause repealed, standards rows imported, a question about the new rate)
applied to a copy of the data under test, and every place a reader meets the amended figure checked against the
value the timeline says is in force: the section page's table (text in force, its mark, the earlier figure as a
diff, every version dated for the date picker), the changes page and its Atom feed, the calculators dated before
and after (JSON and the readable output naming the amending document), the quiz and search. Issue 19, "Done when".

Cheap on purpose: no site build and no browser (the Renderer and the page producers run on the copy directly);
the browser test of the date picker is tests/browser/test_point_in_time_pages.py.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal

import pytest
from living_data import walk_through
from rules_fixtures import AMENDED_ID, copy_data
from text_fixtures import DAY, MEAL, REIMBURSEMENT, travel_page as _section, visible as _visible

from calculators import compute, rules
from calculators.__main__ import render_text
from handbook.exports import changes_feed, search_index
from handbook.exports.rules_export import export
from handbook.model import timeline
from handbook.model.loader import load
from handbook.pages.site import Renderer
from handbook.pages.training import fmt, prepare

pytestmark = pytest.mark.xdist_group("test_living_walkthrough")  # one worker makes the walk-through's copy of data/ and its rendered pages (module fixtures), not each

TRIP = {"rank": "other", "legs": [{"region": "in_province", "days": 2}]}
AMENDED_ZH = "(2025年修订)"  # what data/README.md's amend-paragraph example adds to the sentence
OLD_HEADING, NEW_HEADING = "4 伙食补助费", "4 出差伙食补助费"  # data/README.md's amend-heading example
RECEIPTS = MEAL + ".receipts"
SECONDMENTS = "到常驻地以外地区单位实(见)习"
# The text steps' day (data/README.md's examples). The figure's day is the fixture's: the same day, unless the data
# under test holds the manual's amendment already (then the fixture amends the figure after it, on a later day).
TEXT_DAY = date.fromisoformat(DAY)


def _heading_on(day: date) -> str:
    return NEW_HEADING if day >= TEXT_DAY else OLD_HEADING


@pytest.fixture(scope="module")
def walked(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("walked")
    data = copy_data(tmp)
    changed = walk_through(data, tmp)
    hb = load(data)
    a = changed["amendment"]
    day = date.fromisoformat(a.day)
    return hb, changed, a, day - timedelta(days=1), day


def _source(hb, value_id, on):
    """The document (zh, en) that set the version of a value in force on a day."""
    version = next(v for v in timeline.versions(*hb.values[value_id], hb.source)
                   if v.effective_from <= on and (v.effective_to is None or on <= v.effective_to))
    return version.source.document.zh, version.source.document.en


def test_the_walk_through_applied_every_step(walked):
    hb, changed, a, _before, _after = walked
    # each text step applied, or held by the data under test already (then left as it is)
    assert set(changed["text"].items()) <= {("amended", MEAL), ("heading", MEAL), ("new", RECEIPTS), ("repealed", REIMBURSEMENT)}
    assert hb.clauses[MEAL].heading("zh", on=TEXT_DAY).endswith(NEW_HEADING.split(" ")[1]) and RECEIPTS in hb.clauses
    assert SECONDMENTS not in _visible(_section(hb, "zh", TEXT_DAY)) and SECONDMENTS in _visible(_section(hb, "zh", TEXT_DAY - timedelta(days=1)))
    assert timeline.value_on(hb, AMENDED_ID, date.fromisoformat(a.before)) == a.old
    assert timeline.value_on(hb, AMENDED_ID, date.fromisoformat(a.day)) == a.new
    assert changed["rows"] and changed["question"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_table_shows_the_figure_in_force_marks_it_and_keeps_the_old_one(walked, lang):
    hb, _changed, a, before, after = walked
    doc = _source(hb, AMENDED_ID, after)[0 if lang == "zh" else 1]
    mark = f"{after} 修订 · {doc}" if lang == "zh" else f"Amended {after} · {doc}"
    for today, shown in ((before, a.old), (after, a.new)):
        page = _section(hb, lang, today)
        cell = re.search(rf'<td>(<span class="hb-fig" data-value-id="{re.escape(AMENDED_ID)}".*?)</td>', page, re.S).group(1)
        old = rf'data-to="{before}"( hidden)?>{fmt(a.old)}</span>'
        new = rf'data-from="{after}" data-to=""( hidden)?>{fmt(a.new)}</span>'
        assert re.search(old, cell) and re.search(new, cell), cell  # every version, dated for the date picker
        assert re.sub(r"<[^>]+>", "", re.sub(r'<span[^>]*hidden[^>]*>[^<]*</span>', "", cell)).startswith(fmt(shown))
        if today == after:
            assert mark in cell and f"<del>{fmt(a.old)}</del> → <ins>{fmt(a.new)}</ins>" in cell  # the diff
        visible = _visible(page)
        heading = next(line for line in page.splitlines() if line.startswith("## ") and f"{{#{MEAL} " in line)
        assert f'data-toc-label="{hb.clauses[MEAL].heading(lang, on=today)}"' in heading  # the contents: the day's heading
        if lang == "zh":  # the heading, the sentence, the new clause and the repeal follow their own day
            texts_in_force = today >= TEXT_DAY
            assert _heading_on(today) in re.sub(r"<[^>]+>", "", re.sub(r'<span[^>]*hidden[^>]*>[^<]*</span>', "", heading)).replace("  ", " ")
            assert (AMENDED_ZH in visible) == texts_in_force
            assert ("无需提供用餐发票" in visible) == texts_in_force
            assert (SECONDMENTS in visible) == (not texts_in_force)
    if lang == "zh":
        assert f'<ins><span class="hb-sr">新增:</span>{AMENDED_ZH}</ins>' in page  # the sentence's diff


def test_the_changes_page_and_feed_list_the_figure_and_the_text_on_their_day(walked):
    hb, _changed, a, _before, after = walked
    changes = timeline.all_changes(hb)
    assert ("value", "amended") in {(c.kind, c.what) for c in changes if c.day == after}
    assert {("text", "amended"), ("text", "new"), ("text", "repealed")} <= {(c.kind, c.what) for c in changes if c.day == TEXT_DAY}
    page = Renderer(hb, "zh", {}, today=max(after, TEXT_DAY)).render("changes.md.j2", "changes.md", changes=changes).content

    def listed(day):
        text = page[page.index(f"#changes-{day}"):]
        return text[:text.index("#changes-", 1)]

    assert f"{fmt(a.old)}" in listed(after) and f"{fmt(a.new)}" in listed(after)
    texts = listed(TEXT_DAY)
    assert 'data-what="text-amended"' in texts and 'data-what="text-new"' in texts and 'data-what="text-repealed"' in texts
    assert "data-heading" in texts and "标题修订" in texts and NEW_HEADING in texts  # the heading's change, like a text change
    for lang in ("zh", "en"):
        feed = ET.fromstring(changes_feed.feed(hb, lang, "http://example.test/", today=after))
        ns = {"a": "http://www.w3.org/2005/Atom"}
        titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
        assert any(f"{fmt(a.old)} → {fmt(a.new)}" in t for t in titles), titles
        assert any(t.startswith("标题修订" if lang == "zh" else "Heading amended") for t in titles), titles


def test_the_calculators_dated_before_and_after_pay_the_figure_of_their_day_and_name_its_document(walked):
    hb, _changed, a, before, after = walked
    with rules.using(export(hb)):
        results = {d: compute("travel", {**TRIP, "date": d.isoformat()}) for d in (before, after)}
    for d, rate in ((before, a.old), (after, a.new)):
        meal = next(line for line in results[d]["lines"] if line["clause"] == MEAL)
        assert Decimal(str(meal["amount"])) == 2 * rate and f"{fmt(rate)} 元/天" in meal["zh"]
    zh, en = _source(hb, AMENDED_ID, after)
    text = render_text(results[after])
    assert f"{fmt(a.new)} 元/人·天({after} 起 · {zh}" in text and f"(from {after} · {en}" in text
    assert zh not in render_text(results[before])  # the regulation's own figure names no amendment
    assert any(zh in n["zh"] and en in n["en"] for n in results[after]["notes"])  # what the page's result shows
    for d in (before, after):  # the clause cited by the heading of the result's day
        heading = _heading_on(d)
        assert results[d]["citations"][MEAL]["heading"]["zh"] == heading
        assert f"{MEAL}: {heading} / " in render_text(results[d])


def test_the_quiz_and_search_use_the_figure_of_their_day(walked):
    hb, changed, a, before, after = walked
    question = next(q for q in hb.questions if q.id == changed["question"])
    on = date.fromisoformat(question.numeric.input["date"])
    rate = timeline.value_on(hb, AMENDED_ID, on)
    assert rate == (a.new if on >= after else a.old)
    with rules.using(export(hb)):
        built = prepare(hb, question)
    assert built.answer == fmt(2 * rate) and fmt(rate) in built.explanation["zh"] and fmt(rate) in built.explanation["en"]

    def body(day, clause_id):
        docs = search_index.documents(hb, "zh", on=day)["docs"]
        return next((d.get("b", "") for d in docs if d["id"] == clause_id), None)

    assert f" {fmt(a.new)} " in f" {body(after, MEAL)} " and AMENDED_ZH in body(after, MEAL)
    title = lambda day: next(d["t"] for d in search_index.documents(hb, "zh", on=day)["docs"] if d["id"] == MEAL)  # noqa: E731
    assert (title(before), title(after)) == (_heading_on(before), _heading_on(after))
    assert (title(TEXT_DAY - timedelta(days=1)), title(TEXT_DAY)) == (OLD_HEADING, NEW_HEADING)
    assert f" {fmt(a.old)} " in f" {body(before, MEAL)} "
    assert body(TEXT_DAY - timedelta(days=1), RECEIPTS) is None and "无需提供用餐发票" in body(TEXT_DAY, RECEIPTS)  # added that day
