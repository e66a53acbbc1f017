"""Point in time on a real build of a copy of data/ with the manual's examples applied (tests/text_fixtures.py:
the meal allowance 100 -> 120, a sentence and the clause's heading amended, a clause added, a paragraph repealed, from
2026-01-01): the section page shows the text and heading in force on the build day (the contents too), the earlier
wording is a click away as a diff, and the date picker shows the section as it stood on another day, with no error
and no CSP violation. The only browser test of
the feature; the rendering itself is tested through the Renderer (tests/test_text_in_time.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT, Site, Watch
from shared_site import _free_port
from text_fixtures import walkthrough

# one worker builds the site of the walked copy of data/ (a module fixture), not each
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("test_point_in_time_pages")]


@pytest.fixture(scope="module")
def amended_site(tmp_path_factory):
    data = walkthrough(tmp_path_factory.mktemp("living"))
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    out = tmp_path_factory.mktemp("living-site") / "site"
    proc = subprocess.run([sys.executable, "-m", "handbook.build", "--site-url", url, "--out", str(out), "--quiet"], cwd=ROOT,
                          env={**os.environ, "HANDBOOK_DATA": str(data), "HANDBOOK_NO_SNAPSHOT": "1"},
                          capture_output=True, text=True, timeout=1200)
    if proc.returncode:
        pytest.fail(f"fixture site build failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    from handbook.serve import serve_in_thread

    server, served_url = serve_in_thread(out, port)  # its own server: the run's shared one serves the shipped data
    assert served_url == url
    yield Site(url, out)
    server.close()


def test_the_date_picker_and_the_earlier_wording(browser, amended_site):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    watch = Watch(page, amended_site.url)
    try:
        page.goto(amended_site.url + "finance/travel/")
        rate = page.locator("#table-meal-allowance-by-region td").nth(1)
        expect(rate.locator(".hb-fig:visible")).to_have_text("120")  # the build day is after 2026-01-01
        new_clause = page.locator("#finance\\.travel\\.meal-allowance\\.receipts")
        expect(new_clause).to_be_visible()

        # the amended sentence: its mark, and the earlier wording a click away, as a character diff
        history = page.locator(".hb-v:visible details.hb-history", has_text="2026-01-01 修订 · 资财行〔2025〕99号").first
        expect(history.locator(".hb-diff ins")).to_be_hidden()
        history.locator("summary").click()
        expect(history.locator(".hb-diff ins")).to_have_text("新增:(2025年修订)")
        expect(history.locator(".hb-diff ins .hb-sr")).to_have_text("新增:")

        # the amended heading: the build day's in the heading and the contents, the earlier one a click away
        heading = page.locator("#finance\\.travel\\.meal-allowance")
        expect(heading.locator(".hb-v:visible")).to_have_text("出差伙食补助费")
        toc = page.locator('[data-md-component="toc"] a[href$="#finance.travel.meal-allowance"]')  # Material: absolute
        expect(toc.first).to_have_text("4 出差伙食补助费")
        renamed = page.locator(".hb-heading-history details", has_text="2026-01-01 修订 · 资财行〔2025〕99号 第五条")
        expect(renamed).to_be_visible()
        renamed.locator("summary").click()
        expect(renamed.locator(".hb-diff ins")).to_have_text("新增:出差")

        # the section as it stood on 2025-06-01: the seed's wording, heading and figure, no new clause
        picker = page.locator("#hb-pit-date")
        expect(page.get_by_label("查看某日施行的文本")).to_have_count(1)
        picker.fill("2025-06-01")
        expect(page.locator("[data-pit-status]")).to_have_text("显示 2025-06-01 施行的文本。")
        expect(rate.locator(".hb-fig:visible")).to_have_text("100")
        expect(rate.locator("details.hb-history")).to_be_hidden()
        expect(new_clause).to_be_hidden()
        expect(heading.locator(".hb-v:visible")).to_have_text("伙食补助费")
        expect(renamed).to_be_hidden()
        expect(page.get_by_text("伙食补助费具体标准按照《资阳市市直机关差旅费管理办法》执行。")).to_be_visible()
        expect(page.get_by_text("到常驻地以外地区单位实(见)习", exact=False)).to_be_visible()  # repealed only from 2026

        picker.fill("2019-01-01")  # before the regulation: refused, the page stays as it was
        expect(page.locator("[data-pit-status]")).to_have_text("本手册自 2020-10-08 起收录。")
        expect(rate.locator(".hb-fig:visible")).to_have_text("100")

        page.locator("[data-pit-today]").click()  # back to the build day
        expect(rate.locator(".hb-fig:visible")).to_have_text("120")
        expect(heading.locator(".hb-v:visible")).to_have_text("出差伙食补助费")
        expect(new_clause).to_be_visible()

        # the feed is linked from the head and served
        href = page.locator('link[rel="alternate"][type="application/atom+xml"]').get_attribute("href")
        feed = page.request.get(amended_site.url + "changes.xml")
        assert feed.ok and "资财行〔2025〕99号" in feed.text() and href.endswith("changes.xml")
        watch.assert_clean()
    finally:
        context.close()


@pytest.mark.parametrize("lang, scheme", [("zh", "dark"), ("en", "light")])
def test_marks_diffs_and_picker_pass_axe(browser, amended_site, lang, scheme):
    """The amended section page with its earlier wording open, in both languages (one scheme each): no serious or
    critical axe violation (the marks, the del/ins colours, the picker's label)."""
    from test_a11y import AXE, BLOCKING, run_axe

    assert AXE.exists()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme,
                                  service_workers="block", bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(amended_site.url + ("en/" if lang == "en" else "") + "finance/travel/")
        page.wait_for_load_state("load")
        for summary in page.locator(".hb-history:visible > summary").all():
            summary.click()
        found = [f"{v['id']} {v['impact']}: {[n['target'] for n in v['nodes'][:4]]}" for v in run_axe(page)
                 if v["impact"] in BLOCKING]
        assert not found, found
    finally:
        context.close()


def test_a_dated_result_cites_the_heading_of_its_day(browser, amended_site):
    """The travel calculator's result links the meal allowance's clause by its heading on the result's day: before the
    amendment the seed's (4 伙食补助费), after it the amended one (4 出差伙食补助费)."""
    from conftest import share
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    watch = Watch(page, amended_site.url)
    try:
        trip = {"rank": "other", "legs": [{"region": "in_province", "days": 1}]}
        for day, heading, other in (("2025-06-01", "4 伙食补助费", "出差"), ("2026-03-01", "4 出差伙食补助费", None)):
            page.goto(amended_site.url + "calculators/travel/" + share({**trip, "date": day}))
            page.reload()  # only the fragment differs from the last day's: load it afresh (a share link computes on load)
            link = page.locator('a.calc-clause[href$="#finance.travel.meal-allowance"]').first  # its line's clause
            expect(link).to_contain_text(heading, timeout=90_000)
            if other:
                expect(link).not_to_contain_text(other)
        watch.assert_clean()
    finally:
        context.close()
