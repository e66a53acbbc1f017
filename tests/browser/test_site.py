"""The built site in real headless Chromium, served over HTTP: every page clean and offline, language
switch, clause permalinks and copy links, instant navigation, search, print and mobile layout."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from conftest import ready_for_instant_navigation

pytestmark = pytest.mark.browser


def _rule_pages(hb) -> list[list[str]]:
    """The pages made one per part or section from one template each (two thirds of a language's pages):
    the parts' pages (a part of one section has none), the sections' pages and their side-by-side views."""
    sections = [hb.page_path(s) for s in hb.sections]
    return [[f"{p.id}/" for p in hb.parts], sections, ["compare/" + path for path in sections]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_loads_clean_and_offline(page, site, hb, lang):
    """Every page but those made one per part or section from one template past the first of each kind: in
    Chinese the section pages are all loaded (each has content of its own: tables, notes, amendments, the date
    picker) and the part and side-by-side pages past the first are not; in English none of the three kinds
    past the first is (the same templates and scripts as the Chinese ones; what each page's own markup asks
    for, in both languages, is checked without a browser in tests/test_built_site.py): each answers, has a
    heading, and loads with no error and no request to another host."""
    urls = site.pages(lang)
    assert len(urls) > 60, urls
    prefix = site.url + ("en/" if lang == "en" else "")
    parts, sections, compares = _rule_pages(hb)
    for kind in ([parts, sections, compares] if lang == "en" else [parts, compares]):
        built = [u for u in (prefix + path for path in kind) if u in urls]
        assert len(built) > 1, kind
        urls = [u for u in urls if u not in built[1:]]
    for url in urls:
        response = page.goto(url)
        assert response.ok, f"{url}: HTTP {response.status}"
        assert page.locator("h1").count() >= 1, url
    page.watch.assert_clean()


def test_every_section_has_both_languages_and_every_clause_an_anchor(page, site, hb):
    for section in hb.sections:
        path = hb.page_path(section)
        for prefix in ("", "en/"):
            file = site.path / prefix / path / "index.html"
            html = file.read_text(encoding="utf-8")
            for clause in section.walk():
                assert f'id="{clause.id}"' in html, f"{prefix}{path}: no anchor for {clause.id}"


def test_language_switch_keeps_page_and_clause(page, site):
    page.goto(site.url + "finance/travel/#finance.travel.meal-allowance")
    page.locator(".md-header .md-select").hover()
    page.locator("a.hb-lang-switch[data-hb-lang=en]").click()
    page.wait_for_url("**/en/finance/travel/**")
    assert unquote(page.url).endswith("/en/finance/travel/#finance.travel.meal-allowance")
    assert page.locator("html").get_attribute("lang") == "en"
    # and back, from a clause scrolled into view rather than linked
    page.goto(site.url + "en/labour/attendance/")
    # the clause in view is the first whose box reaches below 80 px (handbook.js, currentClause): the heading is put
    # across that line, again until the page has settled (scripts still add to the page after its load)
    page.wait_for_function("""() => {
      const h = document.getElementById('labour.attendance.sick-leave'), r = h.getBoundingClientRect();
      if (r.top <= 80 && r.bottom > 80) return true;
      window.scrollBy({top: r.top - (80 - r.height / 2), behavior: 'instant'});
      return false;
    }""", polling=200, timeout=10_000)
    page.locator(".md-header .md-select").hover()
    page.locator("a.hb-lang-switch[data-hb-lang=zh]").click()
    page.wait_for_url("**/labour/attendance/**")
    assert "/en/" not in page.url
    assert unquote(page.url).endswith("#labour.attendance.sick-leave")
    page.watch.assert_clean()


def test_language_switch_on_hand_written_pages(page, site):
    page.goto(site.url + "glossary/")
    page.locator(".md-header .md-select").hover()
    page.locator("a.hb-lang-switch[data-hb-lang=en]").click()
    page.wait_for_url("**/en/glossary/")
    page.goto(site.url + "en/how-to-use/")
    page.locator(".md-header .md-select").hover()
    page.locator("a.hb-lang-switch[data-hb-lang=zh]").click()
    page.wait_for_url(site.url + "how-to-use/")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_clause_permalink_scrolls_to_the_clause(page, site, lang):
    prefix = "en/" if lang == "en" else ""
    page.goto(f"{site.url}{prefix}finance/reception/#finance.reception.requirements.standards")
    # scrolled to, near the top of the viewport (polled: the page may still be settling after load)
    page.wait_for_function("""() => { const r = document.getElementById('finance.reception.requirements.standards').getBoundingClientRect();
                                      return 0 <= r.top && r.top < 400 && window.scrollY > 500; }""", timeout=10_000)
    assert page.evaluate("document.querySelector(':target') && document.querySelector(':target').id") == (
        "finance.reception.requirements.standards"
    )


def test_copy_link_copies_the_clause_url(page, site):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(site.url + "labour/attendance/")
    button = page.locator('[id="labour.attendance.hours"] > .hb-copy')
    button.focus()
    page.keyboard.press("Enter")  # keyboard access
    expected = site.url + "labour/attendance/#labour.attendance.hours"
    assert button.get_attribute("data-copied") == expected
    assert page.evaluate("navigator.clipboard.readText()") == expected
    assert unquote(page.url) == expected


def test_every_clause_has_a_copy_link(page, site, hb):
    page.goto(site.url + "finance/travel/")
    section = next(s for s in hb.sections if s.id == "finance.travel")
    ids = [c.id for c in section.walk()] + [section.id]
    found = page.eval_on_selector_all(".hb-copy", "els => els.map(e => e.dataset.copyFor)")
    assert sorted(found) == sorted(ids)


def test_instant_navigation_keeps_the_page_alive(page, site):
    page.goto(site.url)
    ready_for_instant_navigation(page)
    page.evaluate("window.__handbookMarker = 42")
    page.locator(".md-nav a[href$='labour/attendance/']").first.click()
    page.wait_for_url("**/labour/attendance/")
    page.wait_for_selector('[id="labour.attendance.hours"] > .hb-copy')  # scripts re-initialised
    assert page.evaluate("window.__handbookMarker") == 42  # no full page load
    page.watch.assert_clean()


# Search: tests/browser/test_search_box.py (in the browser) and tests/test_search.py (the golden set).


def test_print_view_hides_navigation(page, site):
    page.goto(site.url + "finance/travel/")
    page.emulate_media(media="print")
    for selector in [".md-header", ".md-sidebar--primary", ".md-footer"]:
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator(".hb-printfoot").is_visible()
    assert page.locator(".hb-table").first.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 10000


def test_mobile_layout_has_no_horizontal_scroll(browser, site):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    for path in ["", "finance/travel/", "compare/finance/travel/", "en/labour/attendance/"]:
        pg.goto(site.url + path)
        overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path}: page is {overflow}px wider than the screen"
    context.close()


def test_compare_view_shows_both_languages(page, site, hb):
    page.goto(site.url + "compare/labour/attendance/")
    rows = page.locator(".hb-compare")
    assert rows.count() == len(list(next(s for s in hb.sections if s.id == "labour.attendance").walk()))
    first = rows.first
    assert "按时上下班" in first.locator(".hb-compare__zh").inner_text()
    assert first.locator(".hb-compare__en").inner_text().strip()


def test_the_404_pages_speak_their_language(page, site):
    """Material's 404 page says "404 - Not found" in English on both sites; each speaks its own."""
    zh = (site.path / "404.html").read_text(encoding="utf-8")
    en = (site.path / "en" / "404.html").read_text(encoding="utf-8")
    assert "未找到此页" in zh and "Not found" not in zh and "Page not found" in en
    response = page.goto(site.url + "no/such/page/")
    assert response.status == 404
    assert "未找到此页" in page.locator("article h1").text_content()
    page.goto(site.url + "en/no/such/page/")
    assert "Page not found" in page.locator("article h1").text_content()
    page.locator("article a", has_text="home page").click()
    page.wait_for_url(site.url + "en/")
