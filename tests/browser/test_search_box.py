"""The search box in the header, in real Chromium on the built site: queries typed as a reader types them
find the clause, the result links to its anchor and the target page highlights the match, keyboard
shortcuts and navigation work, the index is fetched only when needed, partial matches say so.
The whole golden set runs outside the browser (tests/test_search.py); here a few of it per language."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from conftest import ready_for_instant_navigation

pytestmark = pytest.mark.browser

# query -> the clause the first result must be (a sample of tests/search_golden.yaml)
TYPED = {
    "zh": {
        "公杂费": "finance.travel.misc-allowance",
        "杂费": "finance.travel.misc-allowance",
        "15分钟": "labour.attendance.hours",
        "三分之二": "meetings.party-group.requirements.quorum",
        "per diem": "finance.travel.meal-allowance",
        "出差补助": "finance.travel.meal-allowance",
    },
    "en": {
        "meal allowance": "finance.travel.meal-allowance",
        "certificates of origin": "labour.ccpit-duties.certification-arbitration",
        "absenteeism": "labour.attendance.hours",
        "Garze": "finance.travel.meal-allowance",
        "2/3": "meetings.party-group.requirements.quorum",
        "伙食补助费": "finance.travel.meal-allowance",
    },
}

CLAUSE_LINKS = """() => [...document.querySelectorAll('.md-search-result__item')].map(li => {
    const links = li.querySelectorAll(':scope > .md-search-result__link');
    return links[links.length - 1].href; })"""


def open_search(page):
    page.keyboard.press("Escape")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    return page.locator("input.md-search__input")


def search(page, query: str, box=None) -> list[str]:
    """Type into the real search box; the clause link of each result, in order (without ?h=)."""
    box = box or open_search(page)
    box.fill("")
    box.press("End")
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length === 0", timeout=10000)
    box.fill(query)
    box.press("End")  # fill() does not fire the key events Material listens to
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0", timeout=15000)
    previous, results = None, page.evaluate(CLAUSE_LINKS)
    while results != previous:  # Material renders as the worker answers: wait until they settle
        page.wait_for_timeout(200)
        previous, results = results, page.evaluate(CLAUSE_LINKS)
    return [re.sub(r"\?h=[^#]*", "", unquote(r)) for r in results]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_typed_queries_find_their_clause(page, site, hb, lang):
    prefix = "en/" if lang == "en" else ""
    page.goto(site.url + prefix)
    failures = []
    for query, clause in TYPED[lang].items():
        results = search(page, query)
        expected = site.url + prefix + hb.clause_url(clause)
        if results[:1] != [expected]:
            failures.append(f"{query!r}: expected {expected}, got {results[:3]}")
    assert not failures, "\n".join(failures)
    # results name part › section and the clause, mark the match and carry no zero-width space
    search(page, list(TYPED[lang])[0])
    first = page.locator(".md-search-result__item").first
    assert "›" in first.locator("h1").inner_text()
    assert first.locator("mark").count() >= 1
    assert "\u200b" not in page.locator(".md-search-result").inner_text()
    page.watch.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_following_a_result_opens_the_clause_highlighted(page, site, hb, lang):
    prefix = "en/" if lang == "en" else ""
    query, clause = ("公杂费", "finance.travel.misc-allowance") if lang == "zh" else ("meal allowance", "finance.travel.meal-allowance")
    page.goto(site.url + prefix + "labour/attendance/")
    ready_for_instant_navigation(page)
    page.evaluate("window.__searchMarker = 1")
    search(page, query)
    page.locator(".md-search-result__item").first.locator("a.md-search-result__link").last.click()
    page.wait_for_url(f"**#{clause}")
    assert unquote(page.url).split("?")[0] == site.url + prefix + hb.clause_url(clause).split("#")[0]
    assert unquote(page.url).endswith("#" + clause)
    target = page.locator(f'[id="{clause}"]')
    target.wait_for()
    page.wait_for_function("() => document.querySelectorAll('mark[data-md-highlight]').length > 0", timeout=10000)
    assert page.evaluate("window.__searchMarker") == 1  # instant navigation, no full page load
    page.watch.assert_clean()


def test_keyboard_shortcut_arrows_and_enter(page, site, hb):
    page.goto(site.url + "finance/")
    ready_for_instant_navigation(page)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    search(page, "伙食补助费", box=page.locator("input.md-search__input"))  # typed where "/" put the focus
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.press("Enter")  # Material opens the best result: the clause, not its page
    page.wait_for_url("**#finance.travel.meal-allowance")
    page.keyboard.press("s")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")


class SearchRequests:
    """What the page and its workers ask of the search: index files under search/ (clauses.<hash>.json;
    search_index.json is Material's stub: a few hundred bytes of config that name the index) and the search code
    the worker imports only to build the index (engine.js, results.js...; worker.js itself starts with
    the page, with protocol.js, the few lines that declare the messages it answers from the start)."""

    def __init__(self, page):
        self.urls: list[str] = []
        page.context.on("request", lambda r: self.urls.append(r.url) if "/search/" in r.url else None)

    def index(self) -> list[str]:
        return [u for u in self.urls if re.search(r"/search/clauses\.", u)]

    def other(self) -> list[str]:
        """Anything but Material's stub, the worker's own script and its messages."""
        return [u for u in self.urls if not re.search(r"/search/search_index\.json$|/assets/search/(worker|box|protocol)\.js$", u)]


PLAIN = {"zh": ("labour/seals/", "印章"), "en": ("labour/seals/", "official seals")}


def wait_until(page, check, timeout_ms=5000):
    """Poll a Python-side condition (requests seen) while Playwright keeps dispatching events."""
    for _ in range(timeout_ms // 100):
        if check():
            return True
        page.wait_for_timeout(100)
    return check()


def first_clause(page) -> str:
    return re.sub(r"\?h=[^#]*", "", unquote(page.evaluate(CLAUSE_LINKS)[0]))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_index_is_fetched_only_when_needed(page, site, lang):
    """A page that is only read fetches no index, however long it stays open (the worker used to fetch it
    3 s after load); focusing the box starts the fetch before anything is typed, and the first query is
    answered from it."""
    path, query = PLAIN[lang]
    base = site.url + ("en/" if lang == "en" else "")
    requests = SearchRequests(page)
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(5000)
    assert requests.other() == [], "a page that is only read must fetch no search index and no search code"
    stub = page.evaluate("async (u) => (await (await fetch(u)).text()).length", base + "search/search_index.json")
    assert stub < 1000, "Material's search_index.json must stay a stub that names the index"

    box = open_search(page)  # focus only: nothing typed yet
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    assert wait_until(page, requests.index), "focusing the search box must start fetching the index"
    assert re.fullmatch(re.escape(base) + r"search/clauses\.[0-9a-f]{10}\.json", requests.index()[0])

    results = search(page, query, box=box)
    assert results and all(r.startswith(base) for r in results)
    assert len(requests.index()) == 1, "one fetch of the index"
    page.watch.assert_clean()


def test_a_query_typed_before_the_index_arrives_is_answered(page, site, hb):
    """The index is held back until the reader has typed: the query is answered when the index comes,
    with no second keystroke."""
    held = []
    page.context.route("**/search/clauses.*.json", lambda route: held.append(route))
    page.goto(site.url + "labour/seals/")
    box = open_search(page)
    box.fill("公杂费")
    box.press("End")
    assert wait_until(page, lambda: held), "the index was not asked for"
    page.wait_for_timeout(500)
    assert page.locator(".md-search-result__item").count() == 0
    held[0].continue_()
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0", timeout=15000)
    assert first_clause(page) == site.url + hb.clause_url("finance.travel.misc-allowance")
    page.watch.assert_clean()


def test_opened_with_a_query_or_a_highlight(page, site, hb):
    """?q= opens the search with its results (that needs the index); ?h= only marks the words on the
    page (that needs Material's stub, not the index)."""
    requests = SearchRequests(page)
    page.goto(site.url + "finance/travel/?h=公杂费")
    page.wait_for_function("() => document.querySelectorAll('mark[data-md-highlight]').length > 0", timeout=10000)
    page.wait_for_timeout(1000)
    assert requests.index() == [], "a highlight needs no index"
    page.goto(site.url + "labour/seals/?q=公杂费")
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0", timeout=15000)
    assert first_clause(page) == site.url + hb.clause_url("finance.travel.misc-allowance")
    assert len(requests.index()) == 1
    page.watch.assert_clean()


def test_partial_matches_say_which_words_are_missing(page, site):
    """Calmly, in words under the snippet (not Material's struck-through "missing" list), never naming a
    question word."""
    page.goto(site.url + "en/")
    search(page, "can I have meal allowance xyzzy")
    missing = page.locator(".md-search-result__item .hb-search-lacks").first
    assert missing.inner_text() == "Does not mention: xyzzy"
    assert page.locator(".md-search-result__terms del").count() == 0
    page.watch.assert_clean()


# Questions, everyday words and typing slips (a sample of tests/search_questions.yaml) typed as a reader
# types them: the first result is the clause, and following it by keyboard lands on the clause.
ASKED = {
    "zh": [("生病请假几天要开证明", "labour.attendance.sick-leave", None),
           ("公章使用审批", "labour.seals.use", None),
           ("病价几天要证明", "labour.attendance.sick-leave", "病假")],
    "en": [("how many days sick leave before I need a doctor's note", "labour.attendance.sick-leave", None),
           ("company chop", "labour.seals.use", None),
           ("buisness class flights", "finance.travel.intercity-transport", "business")],
}


def type_query(page, query: str):
    """As a reader types: keyboard.type() inserts CJK text without key events, so a key follows it."""
    box = open_search(page)
    box.fill("")
    box.press("End")
    page.keyboard.type(query)
    box.press("End")
    return box


SHOWN = "() => document.querySelector('.md-search-result').innerText"


def wait_first(page, expected: str) -> None:
    """Until the first result is the clause and the list has settled (each typed character is a query)."""
    page.wait_for_function(
        "(want) => { const li = document.querySelector('.md-search-result__item');"
        " return li && decodeURIComponent(li.querySelector('a.md-search-result__link').href).endsWith('#' + want); }",
        arg=expected, timeout=15000)
    previous, shown = None, page.evaluate(SHOWN)
    while shown != previous:
        page.wait_for_timeout(300)
        previous, shown = shown, page.evaluate(SHOWN)
    assert first_href(page).endswith("#" + expected)


def first_href(page) -> str:
    return unquote(page.evaluate("() => document.querySelector('.md-search-result__item a.md-search-result__link').href"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_questions_everyday_words_and_slips_lead_to_the_clause(page, site, lang):
    prefix = "en/" if lang == "en" else ""
    for query, clause, corrected in ASKED[lang]:
        page.goto(site.url + prefix + "how-to-use/")
        ready_for_instant_navigation(page)
        type_query(page, query)
        wait_first(page, clause)
        first = page.locator(".md-search-result__item").first
        # every link of the card lands on the clause: the breadcrumb is no link to the page's top
        hrefs = [unquote(h) for h in first.locator("a").evaluate_all("els => els.map(a => a.href)")]
        assert hrefs and all(h.split("?")[0].endswith(f"#{clause}") or f"#{clause}" in h for h in hrefs), hrefs
        notice = page.locator(".hb-search-notice")
        if corrected:
            expect_text = "已按" if lang == "zh" else "Showing results for"
            page.wait_for_function("(t) => document.querySelector('.hb-search-notice')?.textContent.includes(t)", arg=expect_text)
            assert corrected in notice.inner_text()
            assert notice.get_attribute("role") == "status"  # announced (a polite live region)
        else:
            assert notice.count() == 0 or notice.inner_text().strip() == ""
        # the keyboard reaches the result and Enter lands on the clause itself
        page.keyboard.press("ArrowDown")
        if corrected:  # the first stop is "search as typed"
            assert page.evaluate("document.activeElement.classList.contains('hb-search-typed')")
            page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**#{clause}")
        # the clause itself is in view (not the top of its page: a clause near the top needs no scroll)
        page.wait_for_function("(id) => { const el = document.getElementById(id); if (!el) return false;"
                               " const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight / 2; }",
                               arg=clause, timeout=15000)
    page.watch.assert_clean()


def test_the_answer_is_in_the_result_list(page, site):
    page.goto(site.url)
    type_query(page, "生病请假几天要开证明")
    wait_first(page, "labour.attendance.sick-leave")
    answer = page.locator(".md-search-result__item").first.locator(".hb-search-answer")
    assert "医疗证明" in answer.inner_text()
    page.watch.assert_clean()


def test_search_as_typed_by_keyboard(page, site):
    page.goto(site.url)
    type_query(page, "病价")
    page.wait_for_selector(".hb-search-notice a.hb-search-typed")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('hb-search-typed')")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('.hb-search-notice')?.textContent.includes('已按输入的“病价”搜索')")
    assert page.locator(".md-search").is_visible() or page.evaluate("document.getElementById('__search').checked")
    page.watch.assert_clean()


def test_a_query_that_arrives_by_input_alone_is_searched(page, site, hb):
    """Pasted with the mouse, committed by an input method, dictated: an `input` event and no key."""
    page.goto(site.url)
    open_search(page)
    page.evaluate("""() => { const box = document.querySelector('input.md-search__input');
        box.value = '公杂费'; box.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'})); }""")
    wait_first(page, "finance.travel.misc-allowance")
    page.watch.assert_clean()


def test_the_search_dialog_has_a_name_and_a_calculator_is_offered(page, site):
    page.goto(site.url + "en/")
    assert page.locator('.md-search[role="dialog"]').get_attribute("aria-label")
    type_query(page, "how much is the daily meal allowance within Sichuan")
    wait_first(page, "finance.travel.meal-allowance")
    page.wait_for_function("() => [...document.querySelectorAll('.md-search-result__item a')].some(a => a.href.includes('/calculators/travel/'))")
    page.watch.assert_clean()
