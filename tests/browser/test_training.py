"""New-hire training: the reading path, the part quizzes and the mixed exam.

Browser tests run real Chromium on the built site (the ``site`` fixture), offline; they pick their
questions from the loaded bank, so they hold for whatever questions ``data/questions/`` has. The
generated pages themselves are checked without a browser in tests/test_training_pages.py.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from conftest import Watch, ready_for_instant_navigation
from test_a11y import AXE, BLOCKING, run_axe

from handbook.paths import OVERRIDES
from handbook.pages.site import Renderer
from handbook.pages.training import EXAM_SIZE, PASS_PERCENT, bank

# the localStorage key, as progress-store.js declares it (a copy here went stale once)
KEY = re.search(r'export const KEY = "([^"]+)"', (OVERRIDES / "assets" / "training" / "progress-store.js").read_text()).group(1)
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
    pytest.fail(f"no part has {n} questions: the test needs one (data/training/)")


def wrong_choice(q) -> str | list[str]:
    if q.kind == "multiple":
        right = set(q.answer.split(","))
        every = [c for c, _ in q.choices]
        return every if set(every) != right else every[:1]
    return next(c for c, _ in q.choices if c != q.answer)


def answer(page, q, right: bool = True, submit: str = "click", held: bool = False):
    """Answer question ``q`` (right or wrong) and wait for its feedback, or, in the exam (``held``), for the
    mark that holds its verdict until the end."""
    form = page.locator(f"#q-{q.id}")
    if q.kind == "numeric":
        # the right answer with its unit in the page's language, as a trainee may type it (read by the engine's
        # rules: shared/numbers.js)
        value = q.answer + q.unit[page.evaluate("document.documentElement.lang")] if right else str(Decimal(q.answer) + 1)
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
    form.locator("[data-verdict-held]" if held else "[data-feedback-body]").wait_for(state="visible")


def stored(page) -> dict:
    raw = page.evaluate(f"localStorage.getItem('{KEY}')")
    return json.loads(raw) if raw else {}


def order(page) -> list[str]:
    """The question ids of the current round, as shown."""
    return page.eval_on_selector_all(".tr-item:not([hidden]) form[data-qid]", "fs => fs.map(f => f.dataset.qid)")


def quiz_url(site, part: str, lang: str = "zh") -> str:
    return f"{site.url}{'en/' if lang == 'en' else ''}training/quiz/{part}/"


def home(site, lang: str) -> str:
    return site.url + ("en/" if lang == "en" else "")


# --------------------------------------------------------------------------- the walks: two readers, not four
# The new hire's walks (a quiz round, the exam, the record, the supervised paper) run twice: in Chinese at
# desktop size in the light scheme, and in English on a phone (390x844) in the dark scheme. Two runs cover
# both languages, both sizes and both schemes without the four (or eight) combinations' time.
WALKS = [("zh", "desktop", "light"), ("en", "phone", "dark")]
SIZES = {"desktop": {"viewport": {"width": 1280, "height": 900}},
         "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}}
walks = pytest.mark.parametrize("lang,size,scheme", WALKS, ids=[f"{lang}-{size}" for lang, size, _ in WALKS])


@pytest.fixture
def walker(browser, site, size, scheme):
    """A page at the walk's size and colour scheme, watched like ``page`` (errors, foreign requests)."""
    context = browser.new_context(**SIZES[size], color_scheme=scheme, service_workers="block")
    pg = context.new_page()
    pg.watch = Watch(pg, site.url)
    context.on("request", pg.watch._request)
    yield pg
    context.close()


# What a reader meets on any training page, at any state: nothing wider than the screen, every control at
# least 24x24 CSS px (WCAG 2.5.8; a choice's target is its label, which holds the box; links in running text
# are exempt), and on an English page no Chinese, not even its punctuation, outside a lang="zh" element (what
# is marked is the regulation's own wording, read as Chinese).
LAYOUT = r"""() => {
  const content = document.querySelector('.md-content');
  const shown = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
  const name = (e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().split(/\s+/).join('.') : '') +
    ' "' + (e.textContent || e.value || '').trim().slice(0, 40) + '"';
  const out = {overflow: document.documentElement.scrollWidth - innerWidth, wide: [], small: [], chinese: []};
  const clipped = (e) => {  // inside a box that scrolls or clips sideways and itself fits (a wide table's wrapper)
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= innerWidth + 1) return true;
    }
    return false;
  };
  content.querySelectorAll('*').forEach((e) => {
    if (shown(e) && e.getBoundingClientRect().right > innerWidth + 1 && !clipped(e)) out.wide.push(name(e));
  });
  content.querySelectorAll('button, select, textarea, input, a.md-button, summary').forEach((e) => {
    const target = e.matches('input[type=radio], input[type=checkbox]') && e.closest('label') || e;
    if (!shown(target)) return;
    const r = target.getBoundingClientRect();
    if (r.width < 24 || r.height < 24) out.small.push(name(target) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
  });
  if (document.documentElement.lang === 'en') {
    const walk = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const e = n.parentElement;
      if (/[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/.test(n.textContent) && !e.closest('[lang^="zh"]') && shown(e)) out.chinese.push(name(e));
    }
  }
  return out;
}"""


def fits(page, where: str) -> None:
    """The page at its current state fits the screen, its controls are big enough, and it speaks one language."""
    found = page.evaluate(LAYOUT)
    assert found["overflow"] <= 1 and not found["wide"], f"{where}: wider than the screen by {found['overflow']}px: {found['wide'][:5]}"
    assert not found["small"], f"{where}: controls under 24x24 px: {found['small'][:5]}"
    assert not found["chinese"], f"{where}: untranslated text on an English page: {found['chinese'][:5]}"


def axe_clean(page, where: str) -> None:
    """axe-core (WCAG 2.1 A/AA) finds nothing serious or critical at the page's current state. axe is run
    through the DevTools protocol, so the page keeps its Content-Security-Policy."""
    assert AXE.exists(), "axe-core is missing: run `make deps`"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text() + "\n;undefined")
    bad = [f"{v['id']} x{len(v['nodes'])}: {v['nodes'][0]['target']} {v['nodes'][0]['summary'].splitlines()[-1].strip()[:120]}"
           for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not bad, f"{where}: serious/critical axe violations:\n" + "\n".join(bad)


# --------------------------------------------------------------------------- quizzes in the browser

def by_id(questions) -> dict:
    return {q.id: q for qs in questions.values() for q in qs}


def pass_every_quiz(page, hb, questions, recent=()):
    """Progress as after passing every part's quiz (the exam's condition), with ``recent`` as the last rounds."""
    today = "2026-12-01"
    result = {"right": 8, "total": 8, "pct": 100, "date": today}
    data = {"v": 1, "read": {}, "wrong": {}, "rounds": {}, "recent": list(recent),
            "quizzes": {f"part:{p.id}": {"attempts": 1, "best": result, "last": result, "passed": result}
                        for p in hb.parts if questions[p.id]}}
    page.evaluate(f"localStorage.setItem('{KEY}', {json.dumps(json.dumps(data))})")


@browser
def test_right_and_wrong_answers_get_feedback(page, site, hb, questions):
    part, qs = part_with(hb, questions, 2)
    page.goto(quiz_url(site, part))
    first, second = (by_id(questions)[i] for i in order(page)[:2])
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
        for cid in second.answer.split(","):
            assert form.locator(f'.tr-choice[data-choice="{cid}"] .tr-mark--right').is_visible()
    assert page.locator("[data-answered]").inner_text() == "2"
    assert page.locator("[data-right]").inner_text() == "1"
    # the cited clause opens at the clause
    form.locator(".tr-cite a").click()
    page.wait_for_url(re.compile(re.escape(site.url + hb.clause_url(second.clause).split("#")[0])))
    page.locator(f'[id="{second.clause}"]').wait_for(state="attached")
    page.watch.assert_clean()


@browser
@walks
def test_a_short_round_a_miss_a_retry_and_a_pass(walker, site, hb, questions, lang, size):
    """A round asks 5-8 of the part's questions with shuffled options; a miss fails it and the result names the
    missed question with its clause; the retry asks the missed one first, as many as a round; a pass makes
    "continue to the next part" the main action. In Chinese at desktop size, in English on a phone."""
    page = walker
    part, qs = part_with(hb, questions, 10)
    page.goto(quiz_url(site, part, lang))
    page.wait_for_selector("[data-tr-ready]")  # the module has drawn the round
    assert page.locator("html").get_attribute("lang") == lang
    assert f"{PASS_PERCENT}%" in page.locator(".tr-lead").first.inner_text()
    first = order(page)
    assert 5 <= len(first) <= 8 and len(set(first)) == len(first)
    assert page.locator("[data-count]").inner_text() == str(len(first))
    # options are shuffled: over the part's choice questions, some show their choices out of data order
    shown = [page.locator(f"#q-{i} .tr-choice").evaluate_all("ls => ls.map(l => l.dataset.choice)") for i in first]
    mixed = stored(page)["rounds"][f"part:{part}"]["shuffle"]
    choice_qs = [(i, c) for i, c in zip(first, shown, strict=True) if by_id(questions)[i].kind in ("single", "multiple")]
    assert all(mixed[i] == c for i, c in choice_qs)  # the page shows the round's own order
    if len(choice_qs) >= 3:  # and it is not the data's order (all in order: odds below 1 in 10,000)
        assert any(c != sorted(c) for _, c in choice_qs)
    fits(page, "a quiz round")
    missed = [i for i in first if by_id(questions)[i].kind != "true_false"][:2] or first[:2]
    for k, qid in enumerate(first):
        q = by_id(questions)[qid]
        # the first answer is given with Enter, the rest with the button
        answer(page, q, right=qid not in missed, submit="enter" if k == 0 else "click")
        form = page.locator(f"#q-{qid}")
        assert form.locator(".tr-q__text").inner_text() == q.prompt[lang]
        assert form.locator(".tr-explain").inner_text() == q.explanation[lang]
        assert form.locator(".tr-cite a").evaluate("a => a.href") == home(site, lang) + hb.clause_url(q.clause)
        verdict = form.locator("[data-verdict-wrong]" if qid in missed else "[data-verdict-right]")
        assert verdict.inner_text() == {("zh", True): "✓ 回答正确", ("zh", False): "✗ 回答错误",
                                         ("en", True): "✓ Right", ("en", False): "✗ Wrong"}[(lang, qid not in missed)]
        if k < len(first) - 1:  # focus moves on to "next question", which leads to the next question's input
            assert page.evaluate("document.activeElement.hasAttribute('data-next')")
        if k == 0:
            fits(page, "a quiz round, one question answered wrong")
            axe_clean(page, "a quiz mid-round, one question answered wrong")
    result = page.locator("[data-result]")
    assert result.is_visible() and page.locator("[data-result-fail]").is_visible()
    items = result.locator("[data-missed-list] li")
    assert items.count() == len(missed)
    for k, qid in enumerate([i for i in first if i in missed]):
        q = by_id(questions)[qid]
        assert q.prompt[lang] in items.nth(k).inner_text()
        assert items.nth(k).locator("a").last.evaluate("a => a.href") == home(site, lang) + hb.clause_url(q.clause)
    assert not result.locator("[data-continue]").is_visible()
    assert "md-button--primary" in result.locator("[data-new-round]").get_attribute("class")
    record = stored(page)["quizzes"][f"part:{part}"]
    assert record["attempts"] == 1 and not record.get("passed")
    fits(page, "a failed round's result")
    axe_clean(page, "a failed round's result")
    # the retry: the missed ones first, a round's size
    page.locator("[data-new-round]").click()
    second = order(page)
    assert set(second[:len(missed)]) == set(missed) and len(second) == len(first)
    assert page.locator(f"#q-{second[0]} [data-q-num]").inner_text() == "1"
    assert page.evaluate("document.activeElement.closest('form') && document.activeElement.closest('form').dataset.qid") == second[0]
    for qid in second:
        answer(page, by_id(questions)[qid], right=True)
    assert page.locator("[data-result-pass]").is_visible() and page.locator("[data-pct]").inner_text() == "100"
    cont = result.locator("[data-continue]")
    assert cont.is_visible() and "md-button--primary" in cont.get_attribute("class")
    assert "md-button--primary" not in result.locator("[data-new-round]").get_attribute("class")
    record = stored(page)["quizzes"][f"part:{part}"]
    assert record["passed"]["pct"] == 100 and record["attempts"] == 2
    assert not set(stored(page)["wrong"]) & set(missed)
    fits(page, "a passed round's result")
    cont.click()  # on to the next part's first section
    later = [p for p in hb.parts if hb.parts.index(p) > [x.id for x in hb.parts].index(part) and questions[p.id]]
    page.wait_for_url(re.compile(re.escape(home(site, lang) + (hb.page_path(later[0].sections[0]) if later else "training/exam/"))))
    page.watch.assert_clean()


@browser
def test_quiz_round_survives_a_reload(page, site, hb, questions):
    part, qs = part_with(hb, questions, 2)
    page.goto(quiz_url(site, part))
    ids = order(page)
    answer(page, by_id(questions)[ids[0]], right=False)
    page.reload()
    assert order(page) == ids
    form = page.locator(f"#q-{ids[0]}")
    assert form.locator("[data-verdict-wrong]").is_visible()
    assert form.locator("input").first.is_disabled()
    assert page.locator("[data-answered]").inner_text() == "1"
    assert not page.locator(f"#q-{ids[1]} [data-feedback-body]").is_visible()
    page.watch.assert_clean()


@browser
def test_deep_link_opens_and_focuses_the_question(page, site, hb, questions):
    part, qs = part_with(hb, questions, 2)
    target = qs[-1]
    page.goto(quiz_url(site, part) + f"#q-{target.id}")
    page.wait_for_function("id => document.activeElement && document.activeElement.matches('input') && "
                           "document.activeElement.closest('form').id === id", arg=f"q-{target.id}")
    assert order(page)[0] == target.id  # a link to a question opens a round that asks it
    box = page.locator(f"#q-{target.id}").bounding_box()
    assert box and box["y"] >= 0 and box["y"] + 60 <= 900  # in view
    href = page.locator(f"#q-{target.id} .tr-q__link").evaluate("a => a.href")
    assert href == quiz_url(site, part) + f"#q-{target.id}"
    # from the exam (open once every quiz is passed), a question links to its part's quiz
    pass_every_quiz(page, hb, questions)
    page.goto(site.url + "training/exam/")
    page.locator(".tr-item:not([hidden])").first.wait_for()
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
    for qid in order(page)[:2]:
        q = by_id(questions)[qid]
        form = page.locator(f"#q-{q.id}")
        assert page.evaluate("document.activeElement.closest('form').dataset.qid") == q.id
        shown = form.locator(".tr-choice").evaluate_all("ls => ls.map(l => l.dataset.choice)")  # shuffled
        if q.kind == "numeric":
            page.keyboard.type(q.answer)
        elif q.kind == "multiple":
            # Tab through the checkboxes, Space on the right ones
            for i, cid in enumerate(shown):
                if cid in q.answer.split(","):
                    page.keyboard.press("Space")
                if i < len(shown) - 1:
                    page.keyboard.press("Tab")
        else:
            # arrow keys move through a radio group and select
            page.keyboard.press("Space")  # the first choice
            for _ in range(shown.index(q.answer)):
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
@walks
def test_the_exam_is_locked_then_open_with_answers_at_the_end(walker, site, hb, questions, lang, size):
    """Locked until every part's quiz is passed; then a draw mostly outside the last rounds, no answer shown
    before the last one, then every answer and the clauses missed. In Chinese at desktop size, in English
    on a phone."""
    page = walker
    pool = [q for part in hb.parts for q in questions[part.id] if q.exam]
    n = min(EXAM_SIZE, len(pool))
    page.goto(home(site, lang) + "training/exam/")
    page.wait_for_selector("[data-tr-ready]")
    lock = page.locator("[data-lock]")
    assert lock.is_visible() and not page.locator("[data-questions]").is_visible()
    assert lock.locator("h2").inner_text() == {"zh": "考试尚未开放", "en": "The exam is not open yet"}[lang]
    links = lock.locator("[data-lock-list] li:not([hidden]) a")
    assert links.count() == len([p for p in hb.parts if questions[p.id]])
    assert links.first.evaluate("a => a.href").startswith(home(site, lang) + "training/quiz/")
    fits(page, "the locked exam")
    # every quiz passed; the last rounds asked these questions
    recent = [q.id for q in pool[: n * 2]]
    pass_every_quiz(page, hb, questions, recent=recent)
    page.reload()
    assert not lock.is_visible()
    shown = order(page)
    assert len(shown) == n and len(set(shown)) == n and set(shown) <= {q.id for q in pool}
    assert len(set(shown) & set(recent)) <= n // 4  # most not asked in the last rounds
    assert page.locator("[data-count]").inner_text() == str(n)
    qs = [by_id(questions)[i] for i in shown]
    assert page.locator(f"#q-{qs[0].id} .tr-q__text").inner_text() == qs[0].prompt[lang]
    def give(k, q):  # the first answer wrong, the others right
        last = k == len(qs) - 1
        answer(page, q, right=bool(k), held=not last)
        if not last:
            assert not page.locator(f"#q-{q.id} [data-feedback-body]").is_visible()  # no answer before the end
            # focus goes on to the next question's first field
            assert page.evaluate("document.activeElement.closest('form').dataset.qid") == qs[k + 1].id

    for k, q in enumerate(qs[:2]):
        give(k, q)
    fits(page, "the exam, two answers held")
    axe_clean(page, "the exam, two answers held")
    # the middle of the sitting, answered right by script (the same submit handler; it keeps the run short)
    middle = [{"id": q.id, "kind": q.kind, "answer": q.answer} for q in qs[2:-1]]
    held = page.evaluate("""(qs) => qs.map((q) => {
      const form = document.getElementById('q-' + q.id);
      if (q.kind === 'numeric') form.querySelector('input[data-numeric]').value = q.answer;
      else form.querySelectorAll('input').forEach((i) => { i.checked = q.answer.split(',').includes(i.value); });
      form.querySelector('[data-check]').click();
      return !form.querySelector('[data-verdict-held]').hidden && form.querySelector('[data-feedback-body]').hidden;
    })""", middle)
    assert all(held) and len(held) == len(qs) - 3  # held, no answer shown
    give(len(qs) - 1, qs[-1])
    page.locator("[data-result]").wait_for(state="visible")
    assert page.evaluate("document.activeElement.hasAttribute('data-result')")  # the result takes the focus
    assert all(page.locator(f"#q-{q.id} [data-feedback-body]").is_visible() for q in qs)
    assert page.locator(f"#q-{qs[0].id} [data-verdict-wrong]").is_visible()
    assert page.locator(f"#q-{qs[0].id} .tr-explain").inner_text() == qs[0].explanation[lang]
    missed = page.locator("[data-missed-list] li a")
    assert missed.count() == 1 and missed.first.evaluate("a => a.href") == home(site, lang) + hb.clause_url(qs[0].clause)
    assert stored(page)["quizzes"]["exam"]["attempts"] == 1
    fits(page, "the exam's result")
    axe_clean(page, "the exam's result")
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
    # the dialog's close event (after the click) saves, then draws the path again: wait for the drawing
    expect(page.locator(f'.tr-step [data-mark="{hb.sections[0].id}"]')).to_have_attribute("data-state", "unread")
    assert stored(page)["read"] == {}
    page.reload()
    assert page.locator(".tr-step--done").count() == 0
    page.watch.assert_clean()


PROFILE = {"zh": {"name": "张三", "department": "办公室", "post": "科员", "start": "2026-11-30"},
           "en": {"name": "Zhang San", "department": "General Office", "post": "Clerk", "start": "2026-11-30"}}
RECORD_WORDS = {"zh": {"status": "总体状态:", "open": "未完成", "paper": "监考试卷", "sign": ("学员签名", "主管签名")},
                "en": {"status": "Overall status: ", "open": "Not complete", "paper": "supervised exam paper",
                       "sign": ("Trainee's signature", "Supervisor's signature")}}


@browser
@walks
def test_printed_record(walker, site, hb, questions, lang, size):
    """The record a supervisor signs, printed: the overall status first, the trainee's details, the
    regulation's version, what was read and passed, the signature lines, and the note on what to trust. In
    Chinese at desktop size, in English on a phone (printed from the dark scheme)."""
    page = walker
    words = RECORD_WORDS[lang]
    part, qs = part_with(hb, questions, 1)
    page.goto(quiz_url(site, part, lang))
    for qid in order(page):
        answer(page, by_id(questions)[qid], right=True)
    page.goto(home(site, lang) + "training/")
    page.wait_for_selector("[data-tr-ready]")
    s1 = hb.sections[0]
    page.locator(f'.tr-step [data-mark="{s1.id}"]').click()
    for field, value in PROFILE[lang].items():
        page.locator(f'[data-profile="{field}"]').fill(value)
    fits(page, "the reading path with its record")
    page.emulate_media(media="print")
    assert not page.locator(".tr-parts").is_visible()
    assert not page.locator("[data-next-step]").is_visible()
    assert not page.locator("[data-print]").is_visible()
    record = page.locator(".tr-record")
    assert record.is_visible()
    # the overall status first: not complete (one section, one quiz)
    status = record.locator("[data-record-status]")
    assert record.locator("[data-record-status-open]").is_visible() and not record.locator("[data-record-status-done]").is_visible()
    assert status.inner_text().startswith(words["status"] + words["open"])
    assert status.bounding_box()["y"] < record.locator(".tr-record__profile").bounding_box()["y"]
    assert status.bounding_box()["y"] < record.locator("[data-record-sections]").bounding_box()["y"]
    for field, value in PROFILE[lang].items():  # the trainee's details, printed as typed
        box = page.locator(f'[data-profile="{field}"]')
        assert box.is_visible() and box.input_value() == value
    text = record.inner_text()
    # the regulation's version, in one line of running text (it was once split into boxes, and lacked a space)
    meta, day, published = record.locator(".tr-record__meta").inner_text(), r"\d{4}-\d\d-\d\d", hb.source.published
    assert re.fullmatch({"zh": rf"制度版本:.+[^ ]\(发布于 {published};数值按 {day} 起施行的版本\) · 打印日期:{day}",
                         "en": rf"Regulation: .+[^ ] \(published {published}; values as in force on {day}\) · Printed on: {day}"}[lang],
                        meta), meta
    assert text.count("____") >= 4  # signature and date lines for the trainee and the supervisor
    assert all(w in text for w in words["sign"])
    assert words["paper"] in text and record.locator('a[href$="paper/"]').count() == 1  # what a supervisor can trust
    rows = record.locator("[data-record-sections] tr")
    assert rows.count() == 1 and re.search(r"\d{4}-\d\d-\d\d", rows.first.inner_text())
    assert rows.first.locator("td").first.inner_text() == page.locator(f'[id="step-{s1.id}"] [data-step-title]').inner_text()
    quiz_row = record.locator(f'[data-record-quiz="part:{part}"]')
    cells = quiz_row.locator("td").all_inner_texts()
    assert cells[1] == "1" and re.match(r"(\d+)/\1 \(100%\)", cells[2])  # attempts, best score with its date
    assert re.search(r"\d{4}-\d\d-\d\d", record.locator("[data-print-date]").inner_text())
    fits(page, "the printed record")
    axe_clean(page, "the printed record")
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
    page.emulate_media(media="screen")
    page.reload()
    assert page.locator('[data-profile="name"]').input_value() == PROFILE[lang]["name"]  # kept with the progress
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
    answer(page, by_id(questions)[order(page)[0]], right=True)
    assert page.evaluate("window.__trainingMarker") == 1  # no full page load
    # and back to the path: the same script, initialised again, no duplicate listeners
    page.locator(".tr-lead--links a").first.click()
    page.wait_for_url("**/training/")
    page.locator(f'.tr-step [data-mark="{hb.sections[1].id}"]').click()
    assert len(stored(page)["read"]) == 2  # one click, one toggle
    assert page.evaluate("window.__trainingMarker") == 1
    page.watch.assert_clean()


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
        for section in hb.sections:  # every section page opens with its key points, each linking its clauses
            page = generated[hb.page_path(section).rstrip("/") + ".md"]
            box = page[page.index('<section class="hb-keypoints"'):page.index("</section>")]
            assert box.count("<li>") == len(hb.key_points[section.id]), section.id
            assert "{value:" not in box, section.id
            for point in hb.key_points[section.id]:
                for cid in point.cites:
                    assert f'#{cid}"' in box, (section.id, cid)
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
    """A new hire on a phone: home → first week → a section's key points (notes folded) → mark it read at the
    section's end (enabled only there), next step, back to the path, which shows the same (as does the full
    path) → a task page, step by step, with its prefilled calculator link; then the same in English (the read
    mark is shared); on paper the folded notes are printed."""
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
        fits(pg, f"{lang}: the first week on a phone")
        # the section page: key points first, each linking a clause; the notes folded until opened
        pg.locator(f'[id="step-{first}"] [data-step-title]').click()
        pg.get_by_role("heading", name=kp).wait_for()
        points = pg.locator(".hb-keypoints li")
        assert points.count() == len(hb.key_points[first])
        note = pg.locator("details.hb-note").first
        assert note.get_attribute("open") is None and not note.locator("p").last.is_visible()
        note.locator("summary").click()
        assert note.locator("p").last.is_visible()
        fits(pg, f"{lang}: a section page on a phone")
        target = points.first.locator("a").first.get_attribute("href").split("#")[1]
        points.first.locator("a").first.click()
        pg.wait_for_function("id => decodeURIComponent(location.hash) === '#' + id", arg=target)
        # the section's own controls: "mark as read" is enabled once the reader reaches the end
        button = pg.locator('[data-training="section"] [data-section-mark]')
        if lang == "zh":
            pg.evaluate("window.scrollTo(0, 0)")
            assert button.is_disabled() and button.get_attribute("data-state") == "unread"
            button.scroll_into_view_if_needed()
            pg.wait_for_function("() => !document.querySelector('[data-section-mark]').disabled")
            button.click()
        pg.wait_for_function("() => document.querySelector('[data-section-mark]').dataset.state === 'read'")
        assert pg.locator("[data-section-next]").get_attribute("href").endswith(
            hb.page_path(hb.section_of[hb.first_week.sections[1]]))
        # back to the path (the first week, where this section is): it shows the same state
        pg.locator("[data-section-back]").click()
        pg.wait_for_selector("[data-tr-ready]")
        pg.wait_for_function(f"() => document.querySelector('.tr-step [data-mark=\"{first}\"]').dataset.state === 'read'")
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
        fits(pg, f"{lang}: a task page on a phone")
    # on paper a folded note is printed in full
    pg.goto(site.url + hb.page_path(hb.section_of[first]))
    pg.emulate_media(media="print")
    note = pg.locator("details.hb-note").first
    assert note.get_attribute("open") is None
    assert note.locator("p").last.bounding_box()["height"] > 0
    context.close()


@browser
@walks
def test_the_supervised_paper_and_its_key(walker, site, hb, questions, lang, size):
    """A fresh random paper without answers, and an answer key on a page of its own with the same number;
    #paper=<number> prints the same paper again. In Chinese at desktop size, in English on a phone."""
    page = walker
    pool = {q.id: q for qs in questions.values() for q in qs if q.exam}
    n = min(EXAM_SIZE, len(pool))
    page.goto(home(site, lang) + "training/paper/")
    page.wait_for_selector("[data-tr-ready]")  # a click before the module has started does nothing (a flaky wait once)
    page.locator("[data-paper-new]").click()
    sheet, key = page.locator("[data-paper-sheet]"), page.locator("[data-paper-key]")
    sheet.wait_for(state="visible")
    assert page.evaluate("document.activeElement.id") == "tr-paper-title"  # the new paper takes the focus
    number = sheet.locator("[data-paper-number]").inner_text()
    assert re.fullmatch(r"\d{6}", number) and key.locator("[data-paper-number]").inner_text() == number
    assert page.evaluate("location.hash") == f"#paper={number}"
    # the paper and its key as printed, read in one go: each question's prompt and choices, each key row
    shown = page.evaluate("""() => ({
      paper: [...document.querySelectorAll('[data-paper-questions] > li')].map((li) => ({
        prompt: li.querySelector('.tr-paper__prompt').innerText,
        choices: [...li.querySelectorAll('.tr-paper__choices li')].map((c) => c.innerText)})),
      key: [...document.querySelectorAll('[data-paper-key-rows] tr')].map((tr) => ({
        answer: tr.cells[1].innerText, href: tr.querySelector('a').href}))})""")
    assert len(shown["paper"]) == n
    prompts = [q["prompt"] for q in shown["paper"]]
    assert set(prompts) <= {q.prompt[lang] for q in pool.values()}
    paper_text = sheet.inner_text()
    assert not any(q.explanation[lang] in paper_text for q in pool.values())  # no answers on the paper
    assert paper_text.count("____") >= 4  # name and signature lines
    source, published = sheet.locator(".tr-paper__source").inner_text(), hb.source.published  # the regulation's version
    assert re.match({"zh": rf".+[^ ]\(发布于 {published};数值按 [-\d]+ 起施行的版本\)。共 {n} 题",
                     "en": rf".+[^ ] \(published {published}; values as in force on [-\d]+\)\. {n} questions"}[lang], source), source
    assert len(shown["key"]) == n
    # the key's answer for each question is that question's right answer, lettered as printed
    by_prompt = {q.prompt[lang]: q for q in pool.values()}
    for printed, row in zip(shown["paper"], shown["key"], strict=True):
        q = by_prompt[printed["prompt"]]
        if q.kind == "numeric":
            assert row["answer"].startswith(q.answer)
        else:
            right = [line[2:] for line in printed["choices"]
                     if any(line.endswith(text[lang]) for cid, text in q.choices if cid in q.answer.split(","))]
            assert row["answer"] == (";" if lang == "zh" else "; ").join(right)
        assert row["href"] == home(site, lang) + hb.clause_url(q.clause)
    fits(page, "the supervised paper and its key")
    axe_clean(page, "the supervised paper and its key")
    # the same number prints the same paper
    page.goto(home(site, lang) + f"training/paper/#paper={number}")
    page.reload()
    sheet.wait_for(state="visible")
    assert sheet.locator("[data-paper-questions] .tr-paper__prompt").all_inner_texts() == prompts
    # on paper: the controls go, the key starts a page of its own
    page.emulate_media(media="print")
    assert not page.locator("[data-paper-new]").is_visible()
    assert key.evaluate("el => getComputedStyle(el).breakBefore") == "page"
    axe_clean(page, "the supervised paper and its key, printed")
    page.watch.assert_clean()
