"""New-hire training: the reading path, the part quizzes and the mixed exam.

Browser tests run real Chromium on the built site (the ``site`` fixture), offline; they pick their
questions from the loaded bank, so they hold for whatever questions ``data/questions/`` has. The
tests without the ``browser`` mark check the generated pages themselves.
"""

from __future__ import annotations

import dataclasses
import json
import re
from decimal import Decimal

import pytest
from conftest import ready_for_instant_navigation

from handbook.model.models import Bilingual, Choice, Question
from handbook.pages.site import Renderer
from handbook.pages.training import EXAM_SIZE, PASS_PERCENT, bank, pages, quiz_src

KEY = "handbook.pages.training"
browser = pytest.mark.browser


# --------------------------------------------------------------------------- helpers

@pytest.fixture(scope="module")
def questions(hb):
    """Prepared questions by part id (every part present)."""
    return bank(hb)


def part_with(hb, questions, n: int):
    """The first part with at least ``n`` questions."""
    for part in hb.parts:
        if len(questions[part.id]) >= n:
            return part.id, questions[part.id]
    pytest.skip(f"no part has {n} questions")


def wrong_choice(q) -> str | list[str]:
    if q.kind == "multiple":
        right = set(q.answer.split(","))
        every = [c for c, _ in q.choices]
        return every if set(every) != right else every[:1]
    return next(c for c, _ in q.choices if c != q.answer)


def answer(page, q, right: bool = True, submit: str = "click"):
    form = page.locator(f"#q-{q.id}")
    if q.kind == "numeric":
        value = q.answer if right else str(Decimal(q.answer) + 1)
        form.locator("input[data-numeric]").fill(value)
    elif q.kind == "multiple":
        want = set(q.answer.split(",")) if right else set(wrong_choice(q))
        for cid, _ in q.choices:
            form.locator(f'input[value="{cid}"]').set_checked(cid in want)
    else:
        form.locator(f'input[value="{q.answer if right else wrong_choice(q)}"]').check()
    if submit == "click":
        form.locator("[data-check]").click()
    else:
        form.locator("input").first.press("Enter")
    form.locator("[data-feedback-body]").wait_for(state="visible")


def stored(page) -> dict:
    raw = page.evaluate(f"localStorage.getItem('{KEY}')")
    return json.loads(raw) if raw else {}


def order(page) -> list[str]:
    """The question ids of the current round, as shown."""
    return page.eval_on_selector_all(".tr-item:not([hidden]) form[data-qid]", "fs => fs.map(f => f.dataset.qid)")


def quiz_url(site, part: str, lang: str = "zh") -> str:
    return f"{site.url}{'en/' if lang == 'en' else ''}training/quiz/{part}/"


# --------------------------------------------------------------------------- the generated pages (no browser)

def test_every_part_has_a_quiz_page_with_all_its_questions(hb, questions):
    for lang in ("zh", "en"):
        generated = {p.src_uri: p.content for p in pages(Renderer(hb, lang))}
        assert "training/index.md" in generated and "training/exam.md" in generated
        for part in hb.parts:
            content = generated.get(quiz_src(part.id))
            assert content is not None, f"{lang}: no quiz page for part {part.id}"
            shown = re.findall(r'<form class="tr-q" id="q-([a-z0-9-]+)"', content)
            assert shown == [q.id for q in questions[part.id]], f"{lang}: quiz {part.id}"
            assert f'data-quiz="part:{part.id}"' in content
            assert f"{PASS_PERCENT}%" in content  # the pass mark is stated
        exam = re.findall(r'<form class="tr-q" id="q-([a-z0-9-]+)"', generated["training/exam.md"])
        # the exam's pool: every question but the editorial readings and the practice-only ones (issue 23)
        assert sorted(exam) == sorted(q.id for q in hb.questions if q.in_exam)
        assert any(q.editorial for q in hb.questions) and any(not q.exam for q in hb.questions)
        path = generated["training/index.md"]
        steps = re.findall(r'data-step="section" data-id="([^"]+)"', path)
        assert steps == [s.id for s in hb.sections]  # every section, in the regulation's order


def test_numeric_answers_come_from_the_engine_and_placeholders_are_filled(hb, questions):
    from calculators import compute

    for q in hb.questions:
        prepared = next(p for p in questions[q.clause.split(".")[0]] if p.id == q.id)
        for lang in ("zh", "en"):
            for text in (prepared.prompt[lang], prepared.explanation[lang], *[c[lang] for _, c in prepared.choices]):
                assert "{value:" not in text and "{answer}" not in text, (q.id, text)
        if q.kind == "numeric":
            result = compute(q.numeric.calculator, q.numeric.input)
            if q.numeric.line == "total":
                expected = Decimal(repr(result["total"]))
            else:
                expected = sum(Decimal(repr(x["amount"])) for x in result["lines"] if x["clause"] == q.numeric.line)
            assert Decimal(prepared.answer) == expected, q.id


def test_question_text_is_escaped_not_executed(hb):
    """Text from the bank is never markup: a hostile prompt, choice or explanation arrives as text."""
    clause = hb.sections[0].clauses[0].id
    evil = "<img src=x onerror=alert(1)>"
    q = Question(
        id="escape-test",
        kind="single",
        clause=clause,
        prompt=Bilingual(zh=f"问题{evil}", en=f"Question {evil}"),
        choices=[Choice(id="a", text=Bilingual(zh=f"甲{evil}", en=f"A {evil}")), Choice(id="b", text=Bilingual(zh="乙", en="B"))],
        answer="a",
        explanation=Bilingual(zh=f"解释{evil}", en=f"Because {evil}"),
    )
    hb2 = dataclasses.replace(hb, questions=[q])
    for lang in ("zh", "en"):
        quiz = next(p for p in pages(Renderer(hb2, lang)) if p.src_uri == quiz_src(clause.split(".")[0]))
        assert "<img" not in quiz.content
        assert quiz.content.count("&lt;img src=x onerror=alert(1)&gt;") >= 4  # prompt, choice, answer, explanation


def test_a_wrong_numeric_formula_fails_the_build(hb):
    """The formula over the data's values and the engine must agree, or the page is not made."""
    from handbook.model.models import Numeric
    from handbook.pages.training import TrainingError, prepare

    value_id, (value, clause) = next((k, v) for k, v in hb.values.items() if k == "travel.meal.ziyang_county")
    q = Question(
        id="bad-formula",
        kind="numeric",
        clause=clause.id,
        prompt=Bilingual(zh="安岳 3 天?", en="Anyue, 3 days?"),
        numeric=Numeric(calculator="travel", input={"rank": "other", "legs": [{"region": "ziyang_county", "days": 3}]},
                        line=clause.id, formula=f"4 * {value_id}", unit=Bilingual(zh="元", en="yuan")),
        explanation=Bilingual(zh="{answer} 元", en="{answer} yuan"),
    )
    with pytest.raises(TrainingError, match="bad-formula"):
        prepare(hb, q)
    good = prepare(hb, q.model_copy(update={"numeric": q.numeric.model_copy(update={"formula": f"3 * {value_id}"})}))
    assert Decimal(good.answer) == 3 * value.value
    assert good.explanation["en"] == f"{good.answer} yuan"


# --------------------------------------------------------------------------- quizzes in the browser

@browser
def test_right_and_wrong_answers_get_feedback(page, site, hb, questions):
    part, qs = part_with(hb, questions, 2)
    page.goto(quiz_url(site, part))
    first, second = qs[0], qs[1]
    answer(page, first, right=True)
    form = page.locator(f"#q-{first.id}")
    assert form.locator("[data-verdict-right]").is_visible()
    assert not form.locator("[data-verdict-wrong]").is_visible()
    assert form.locator(".tr-explain").inner_text() == first.explanation["zh"]
    cite = form.locator(".tr-cite a")
    assert cite.is_visible()
    assert cite.evaluate("a => a.href") == site.url + hb.clause_url(first.clause)
    assert form.locator("input").first.is_disabled()  # answered: locked

    answer(page, second, right=False)
    form = page.locator(f"#q-{second.id}")
    assert form.locator("[data-verdict-wrong]").is_visible()
    assert form.locator(".tr-answer").inner_text().endswith(second.answer_text["zh"])
    if second.kind != "numeric":
        right = second.answer.split(",")
        for cid in right:
            assert form.locator(f'.tr-choice[data-choice="{cid}"] .tr-mark--right').is_visible()
    assert page.locator("[data-answered]").inner_text() == "2"
    assert page.locator("[data-right]").inner_text() == "1"
    # the cited clause opens at the clause
    form.locator(".tr-cite a").click()
    page.wait_for_url(re.compile(re.escape(site.url + hb.clause_url(second.clause).split("#")[0])))
    page.locator(f'[id="{second.clause}"]').wait_for(state="attached")
    page.watch.assert_clean()


@browser
def test_scoring_pass_and_fail(page, site, hb, questions):
    part, qs = part_with(hb, questions, 1)
    page.goto(quiz_url(site, part))
    # round 1: all right but the last
    for i, q in enumerate(qs):
        answer(page, q, right=i < len(qs) - 1)
    result = page.locator("[data-result]")
    assert result.is_visible()
    right = len(qs) - 1
    pct = round(100 * right / len(qs))
    assert page.locator("[data-score]").inner_text() == str(right)
    assert page.locator("[data-total]").inner_text() == str(len(qs))
    assert page.locator("[data-pct]").inner_text() == str(pct)
    passed = pct >= PASS_PERCENT
    assert page.locator("[data-result-pass]").is_visible() == passed
    assert page.locator("[data-result-fail]").is_visible() == (not passed)
    record = stored(page)["quizzes"][f"part:{part}"]
    assert record["last"]["pct"] == pct and record["attempts"] == 1
    assert bool(record.get("passed")) == passed
    # round 2: all right
    page.locator("[data-new-round]").click()
    assert not result.is_visible()
    assert page.locator("[data-answered]").inner_text() == "0"
    for q in qs:
        answer(page, q, right=True)
    assert page.locator("[data-pct]").inner_text() == "100"
    assert page.locator("[data-result-pass]").is_visible()
    record = stored(page)["quizzes"][f"part:{part}"]
    assert record["best"]["pct"] == 100 and record["passed"]["pct"] == 100 and record["attempts"] == 2
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", record["passed"]["date"])
    assert "100%" in page.locator("[data-status]").inner_text()
    page.watch.assert_clean()


@browser
def test_wrong_answers_come_first_in_the_next_round(page, site, hb, questions):
    part, qs = part_with(hb, questions, 3)
    page.goto(quiz_url(site, part))
    assert order(page) == [q.id for q in qs]
    wrong = {qs[-1].id, qs[-2].id}
    for q in qs:
        answer(page, q, right=q.id not in wrong)
    page.locator("[data-new-round]").click()
    shown = order(page)
    assert set(shown[:2]) == wrong and sorted(shown) == sorted(q.id for q in qs)
    assert page.locator(f"#q-{shown[0]} [data-q-num]").inner_text() == "1"
    # answered right now: it leaves the wrong list and the round after puts it back in its place
    for q in [q for q in qs if q.id in wrong]:
        answer(page, q, right=True)
    assert not (set(stored(page)["wrong"]) & wrong)
    page.watch.assert_clean()


@browser
def test_quiz_round_survives_a_reload(page, site, hb, questions):
    part, qs = part_with(hb, questions, 2)
    page.goto(quiz_url(site, part))
    answer(page, qs[0], right=False)
    page.reload()
    form = page.locator(f"#q-{qs[0].id}")
    assert form.locator("[data-verdict-wrong]").is_visible()
    assert form.locator("input").first.is_disabled()
    assert page.locator("[data-answered]").inner_text() == "1"
    assert not page.locator(f"#q-{qs[1].id} [data-feedback-body]").is_visible()
    page.watch.assert_clean()


@browser
def test_deep_link_opens_and_focuses_the_question(page, site, hb, questions):
    part, qs = part_with(hb, questions, 2)
    target = qs[-1]
    page.goto(quiz_url(site, part) + f"#q-{target.id}")
    page.wait_for_function("id => document.activeElement && document.activeElement.matches('input') && "
                           "document.activeElement.closest('form').id === id", arg=f"q-{target.id}")
    box = page.locator(f"#q-{target.id}").bounding_box()
    assert box and box["y"] >= 0 and box["y"] + 60 <= 900  # in view
    # the question's own link is that deep link
    href = page.locator(f"#q-{target.id} .tr-q__link").evaluate("a => a.href")
    assert href == quiz_url(site, part) + f"#q-{target.id}"
    # from the exam, a question links to its part's quiz
    page.goto(site.url + "training/exam/")
    links = page.eval_on_selector_all(".tr-q__link", "as => as.map(a => a.href)")
    assert all(re.search(r"/training/quiz/[a-z0-9-]+/#q-[a-z0-9-]+$", u) for u in links)
    # followed with instant navigation, the link opens the quiz at that question
    page.evaluate("window.__trainingMarker = 1")
    link = page.locator(".tr-item:not([hidden]) .tr-q__link").last
    wanted = link.evaluate("a => a.hash.slice(1)")
    link.click()
    page.wait_for_url("**/training/quiz/**")
    page.wait_for_function("id => document.activeElement && document.activeElement.matches('input') && "
                           "document.activeElement.closest('form').id === id", arg=wanted)
    assert page.evaluate("window.__trainingMarker") == 1
    page.watch.assert_clean()


@browser
def test_keyboard_only(page, site, hb, questions):
    part, qs = part_with(hb, questions, 2)
    page.goto(quiz_url(site, part) + f"#q-{qs[0].id}")
    page.wait_for_function("() => document.activeElement && document.activeElement.matches('form[data-qid] input')")
    for q in qs[:2]:
        form = page.locator(f"#q-{q.id}")
        assert page.evaluate("document.activeElement.closest('form').dataset.qid") == q.id
        if q.kind == "numeric":
            page.keyboard.type(q.answer)
        elif q.kind == "multiple":
            # Tab through the checkboxes, Space on the right ones
            for i, (cid, _) in enumerate(q.choices):
                if cid in q.answer.split(","):
                    page.keyboard.press("Space")
                if i < len(q.choices) - 1:
                    page.keyboard.press("Tab")
        else:
            # arrow keys move through a radio group and select
            ids = [c for c, _ in q.choices]
            page.keyboard.press("Space")  # the first choice
            for _ in range(ids.index(q.answer)):
                page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")  # submits the question
        form.locator("[data-feedback-body]").wait_for(state="visible")
        assert form.locator("[data-verdict-right]").is_visible(), q.id
        # focus is on "next question"; Enter takes you there
        assert page.evaluate("document.activeElement.hasAttribute('data-next')")
        page.keyboard.press("Enter")
    # the reading path: Tab to "mark as read" and press it
    page.goto(site.url + "training/")
    first = hb.sections[0].id
    button = page.locator(f'.tr-step [data-mark="{first}"]')
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.mark") == first and page.evaluate(
                "!!document.activeElement.closest('.tr-step')"):
            break
    else:
        pytest.fail("Tab never reached the first section's mark-as-read button")
    page.keyboard.press("Enter")
    assert button.get_attribute("data-state") == "read"
    page.keyboard.press("Space")
    assert button.get_attribute("data-state") == "unread"
    page.watch.assert_clean()


@browser
def test_exam_draws_across_parts_with_wrong_answers_first(page, site, hb, questions):
    every = [q for part in hb.parts for q in questions[part.id]]
    n = min(EXAM_SIZE, len(every))
    page.goto(site.url + "training/exam/")
    shown = order(page)
    assert len(shown) == n and len(set(shown)) == n
    assert page.locator("[data-count]").inner_text() == str(n)
    # a question answered wrong in a part quiz is drawn first in the next exam round
    part, qs = part_with(hb, questions, 1)
    page.goto(quiz_url(site, part))
    answer(page, qs[-1], right=False)
    page.goto(site.url + "training/exam/")
    assert order(page) == shown  # the round in progress is kept
    page.locator("[data-restart]").click()
    assert order(page)[0] == qs[-1].id
    by_id = {q.id: q for q in every}
    for qid in order(page):
        answer(page, by_id[qid], right=True)
    assert page.locator("[data-pct]").inner_text() == "100"
    assert stored(page)["quizzes"]["exam"]["passed"]["pct"] == 100
    page.watch.assert_clean()


@browser
def test_english_quiz(page, site, hb, questions):
    part, qs = part_with(hb, questions, 1)
    page.goto(quiz_url(site, part, "en"))
    assert page.locator("html").get_attribute("lang") == "en"
    q = qs[0]
    assert page.locator(f"#q-{q.id} .tr-q__text").inner_text() == q.prompt["en"]
    answer(page, q, right=False, submit="enter")
    form = page.locator(f"#q-{q.id}")
    assert form.locator("[data-verdict-wrong]").inner_text() == "✗ Wrong"
    assert form.locator(".tr-explain").inner_text() == q.explanation["en"]
    assert "/en/" in form.locator(".tr-cite a").evaluate("a => a.href")
    assert f"{PASS_PERCENT}%" in page.locator(".tr-lead").first.inner_text()
    page.watch.assert_clean()


# --------------------------------------------------------------------------- the reading path

@browser
def test_reading_path_progress_survives_reload_and_is_shared_by_both_languages(page, site, hb):
    page.goto(site.url + "training/")
    steps = page.locator(".tr-steps [data-step]")
    assert page.locator('.tr-steps [data-step="section"]').count() == len(hb.sections)
    s1, s2, s3 = hb.sections[0], hb.sections[1], hb.sections[2]
    nextbar = page.locator("[data-next-step]")
    assert nextbar.locator("[data-next-link]").get_attribute("href").endswith(hb.page_path(s1))
    page.locator(f'.tr-step [data-mark="{s1.id}"]').click()
    nextbar.locator("[data-next-mark]").click()  # the bar's button marks the next section: s2
    assert nextbar.locator("[data-next-link]").get_attribute("href").endswith(hb.page_path(s3))
    total = steps.count()
    assert page.locator("[data-progress-bar]").get_attribute("aria-valuenow") == str(round(200 / total))
    page.reload()
    for s in (s1, s2):
        assert page.locator(f'.tr-step [data-mark="{s.id}"]').get_attribute("data-state") == "read"
        assert re.search(r"\d{4}-\d\d-\d\d", page.locator(f'[id="step-{s.id}"] [data-read-date]').inner_text())
    assert page.locator(f'.tr-step [data-mark="{s3.id}"]').get_attribute("data-state") == "unread"
    assert page.locator(f'[id="step-{s3.id}"]').evaluate("el => el.classList.contains('tr-step--next')")
    data = stored(page)
    assert data["v"] == 1 and set(data["read"]) == {s1.id, s2.id}
    # the next step stays on screen while scrolling through the path
    page.locator(f'[id="step-{hb.sections[-1].id}"]').scroll_into_view_if_needed()
    box = nextbar.bounding_box()
    assert box and box["y"] + box["height"] <= 900 + 1 and box["y"] >= 0
    # the English site shows the same progress
    page.goto(site.url + "en/training/")
    assert page.locator(f'.tr-step [data-mark="{s1.id}"]').get_attribute("data-state") == "read"
    assert page.locator(f'.tr-step [data-mark="{s1.id}"]').inner_text() == "✓ Read (undo)"
    assert "2 / " in page.locator("[data-progress-text]").inner_text()
    page.watch.assert_clean()


@browser
def test_reset_asks_first(page, site, hb):
    page.goto(site.url + "training/")
    page.locator(f'.tr-step [data-mark="{hb.sections[0].id}"]').click()
    page.locator("[data-reset]").click()
    dialog = page.locator("[data-reset-dialog]")
    assert dialog.is_visible()
    dialog.locator('button[value="cancel"]').click()
    assert not dialog.is_visible()
    assert hb.sections[0].id in stored(page)["read"]
    page.locator("[data-reset]").click()
    page.keyboard.press("Escape")  # Escape cancels too
    assert hb.sections[0].id in stored(page)["read"]
    page.locator("[data-reset]").click()
    dialog.locator("[data-reset-confirm]").click()
    assert stored(page)["read"] == {}
    assert page.locator(f'.tr-step [data-mark="{hb.sections[0].id}"]').get_attribute("data-state") == "unread"
    page.reload()
    assert page.locator(".tr-step--done").count() == 0
    page.watch.assert_clean()


@browser
def test_printed_record(page, site, hb, questions):
    part, qs = part_with(hb, questions, 1)
    page.goto(quiz_url(site, part))
    for q in qs:
        answer(page, q, right=True)
    page.goto(site.url + "training/")
    s1 = hb.sections[0]
    page.locator(f'.tr-step [data-mark="{s1.id}"]').click()
    page.locator("[data-name]").fill("张三")
    page.emulate_media(media="print")
    assert not page.locator(".tr-parts").is_visible()
    assert not page.locator("[data-next-step]").is_visible()
    record = page.locator(".tr-record")
    assert record.is_visible()
    assert page.locator("[data-name]").input_value() == "张三"
    rows = record.locator("[data-record-sections] tr")
    assert rows.count() == 1 and re.search(r"\d{4}-\d\d-\d\d", rows.first.inner_text())
    quiz_row = record.locator(f'[data-record-quiz="part:{part}"]')
    assert f"{len(qs)}/{len(qs)} (100%)" in quiz_row.inner_text()
    assert re.search(r"\d{4}-\d\d-\d\d", record.locator("[data-print-date]").inner_text())
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
    page.emulate_media(media="screen")
    page.reload()
    assert page.locator("[data-name]").input_value() == "张三"  # kept with the progress
    page.watch.assert_clean()


@browser
def test_scripts_run_after_instant_navigation(page, site, hb, questions):
    part, qs = part_with(hb, questions, 1)
    page.goto(site.url)
    ready_for_instant_navigation(page)
    page.evaluate("window.__trainingMarker = 1")
    page.locator(".md-nav a[href$='training/']:not([href*='calculators/'])").first.click()
    page.wait_for_url("**/training/")
    page.wait_for_selector('.tr-path[data-tr-ready] .tr-mark-btn[data-state="unread"]')
    page.locator(f'.tr-step [data-mark="{hb.sections[0].id}"]').click()
    assert page.locator(f'.tr-step [data-mark="{hb.sections[0].id}"]').get_attribute("data-state") == "read"
    page.locator(f'[id="step-quiz-{part}"] a').click()
    page.wait_for_url(f"**/training/quiz/{part}/")
    page.wait_for_selector(".tr-quiz[data-tr-ready]")
    answer(page, qs[0], right=True)
    assert page.evaluate("window.__trainingMarker") == 1  # no full page load
    # and back to the path: the same script, initialised again, no duplicate listeners
    page.locator(".tr-lead--links a").first.click()
    page.wait_for_url("**/training/")
    page.locator(f'.tr-step [data-mark="{hb.sections[1].id}"]').click()
    assert len(stored(page)["read"]) == 2  # one click, one toggle
    assert page.evaluate("window.__trainingMarker") == 1
    page.watch.assert_clean()


@browser
def test_training_pages_fit_a_phone(browser, site):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    for path in ["training/", "training/exam/", "en/training/"]:
        pg.goto(site.url + path)
        pg.wait_for_selector("[data-tr-ready]")
        overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path}: page is {overflow}px wider than the screen"
    context.close()


# --------------------------------------------------------------------------- first week, key points, task pages (issue 23)

def test_key_points_and_task_pages_are_generated_from_the_data(hb):
    from handbook.model.timeline import value_on
    from handbook.pages.training import share

    for lang in ("zh", "en"):
        r = Renderer(hb, lang, calculators=__import__("calculators").CALCULATORS)
        generated = {p.src_uri: p.content for p in r.pages()}
        travel = generated["finance/travel.md"]
        box = travel[travel.index('<section class="hb-keypoints"'):travel.index("</section>")]
        assert box.count("<li>") == len(hb.key_points["finance.travel"])
        assert "{value:" not in box and str(value_on(hb, "travel.reimbursement.same_day_trip_days")) in box
        assert 'href="./#finance.travel.reimbursement"' in box  # each bullet links the clauses it cites
        # editorial notes stay with their clauses, folded; the notes page shows them open
        assert '<details class="hb-note"' in travel and '<aside class="hb-note"' not in travel
        assert '<aside class="hb-note"' in generated["notes.md"]
        for task in hb.tasks:
            page = generated[f"training/tasks/{task.id}.md"]
            assert page.count('<li class="tr-task__step') == len(task.steps)
            assert "{value:" not in page
            for step in task.steps:
                for d in step.documents:
                    att = next(a for a in hb.clauses[d.clause].attachments if a.id == d.id)
                    assert f'data-document="{att.id}">{att.zh if lang == "zh" else att.en}' in page
                if step.calculator and step.calculator.input:
                    assert f"calculators/{step.calculator.name}/{share(step.calculator.input)}" in page
            assert page.count("tr-task__flag") == sum(s.silent for s in task.steps)
        week = generated["training/first-week.md"]
        assert re.findall(r'data-step="section" data-id="([^"]+)"', week) == hb.first_week.sections
        assert 'href="first-week/"' in generated["training/index.md"]


@browser
def test_first_week_key_points_and_task_pages_in_both_languages_at_phone_size(browser, site, hb):
    """A new hire on a phone: home → first week → a section's key points (notes folded) → mark it read on
    the path (the full path shows the same) → a task page, step by step, with its prefilled calculator link;
    then the same in English; on paper the folded notes are printed."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True,
                                  service_workers="block")
    pg = context.new_page()
    first = hb.first_week.sections[0]
    for lang, home, week_title, kp, step_word in (("zh", "", "第一周必读", "要点", "第 1 步"),
                                                    ("en", "en/", "Your first week", "Key points", "Step 1")):
        pg.goto(site.url + home)
        pg.get_by_role("link", name=week_title).first.click()
        pg.wait_for_selector("[data-tr-ready]")
        assert pg.locator(".tr-steps [data-step]").evaluate_all("els => els.map(e => e.dataset.id)") == hb.first_week.sections
        # the section page: key points first, each linking a clause; the notes folded until opened
        pg.locator(f'[id="step-{first}"] [data-step-title]').click()
        pg.get_by_role("heading", name=kp).wait_for()
        points = pg.locator(".hb-keypoints li")
        assert points.count() == len(hb.key_points[first])
        note = pg.locator("details.hb-note").first
        assert note.get_attribute("open") is None and not note.locator("p").last.is_visible()
        note.locator("summary").click()
        assert note.locator("p").last.is_visible()
        target = points.first.locator("a").first.get_attribute("href").split("#")[1]
        points.first.locator("a").first.click()
        pg.wait_for_function("id => decodeURIComponent(location.hash) === '#' + id", arg=target)
        # back on the first-week path: mark it as read; the full path shows the same state
        pg.goto(site.url + home + "training/first-week/")
        pg.wait_for_selector("[data-tr-ready]")
        mark = pg.locator(f'.tr-step [data-mark="{first}"]')
        if mark.get_attribute("data-state") == "unread":
            mark.click()
        assert mark.get_attribute("data-state") == "read"
        assert pg.locator("[data-progress-bar]").get_attribute("aria-valuenow") == str(round(100 / len(hb.first_week.sections)))
        pg.goto(site.url + home + "training/")
        pg.wait_for_selector("[data-tr-ready]")
        assert pg.locator(f'.tr-step [data-mark="{first}"]').get_attribute("data-state") == "read"
        # a task page from the index: numbered steps, each citing its clause; the calculator link is prefilled
        pg.locator(".tr-firstweek a").nth(1).click()
        pg.wait_for_selector(".tr-tasks__list")
        pg.locator('.tr-tasks__list a[href*="tasks/travel/"]').click()
        steps = pg.locator("ol.tr-task__steps > li")
        steps.first.wait_for()
        task = next(t for t in hb.tasks if t.id == "travel")
        assert steps.count() == len(task.steps)
        assert pg.get_by_role("heading", name=step_word).count() == 1
        assert steps.evaluate_all("els => els.every(e => e.querySelector('.tr-task__cite a'))")
        assert "#input=" in pg.locator("a.tr-task__calc").get_attribute("href")
        overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{lang}: the task page is {overflow}px wider than the screen"
    # on paper a folded note is printed in full
    pg.goto(site.url + hb.page_path(hb.section_of[first]))
    pg.emulate_media(media="print")
    note = pg.locator("details.hb-note").first
    assert note.get_attribute("open") is None
    assert note.locator("p").last.bounding_box()["height"] > 0
    context.close()
