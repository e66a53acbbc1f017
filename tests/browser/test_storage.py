"""Pages keep working with corrupted or unavailable browser storage, and the 404 page's language links stay
on the site.

* localStorage unavailable (access throws, as with blocked site data): 0 uncaught errors on every page
  type, Material's palette script included; the training page says progress will not be kept.
* Corrupted training progress (``{"toString": 1}`` where a date belongs, a bad best score, not JSON):
  the validator (overrides/assets/training/progress-store.js) drops what does not fit, says so once, keeps
  what fits, and the pages render.
* A corrupted Material palette entry does not throw.
"""

from __future__ import annotations

import json
import re
import time

import pytest

from handbook.paths import OVERRIDES
from conftest import Watch

pytestmark = pytest.mark.browser
# the localStorage key, as progress-store.js declares it (a copy here went stale once)
KEY = re.search(r'export const KEY = "([^"]+)"', (OVERRIDES / "assets" / "training" / "progress-store.js").read_text()).group(1)

BLOCK_STORAGE = """
for (const name of ["localStorage", "sessionStorage"]) {
  Object.defineProperty(window, name, {
    get() { throw new DOMException("The operation is insecure.", "SecurityError"); }, configurable: true });
}
"""

PAGES = ["", "en/", "finance/travel/", "en/finance/travel/", "calculators/travel/", "en/calculators/reception/",
         "training/", "en/training/", "glossary/"]


def quiz_pages(site) -> list[str]:
    return sorted(p.parent.relative_to(site.path).as_posix() + "/" for p in (site.path / "training").glob("*/index.html"))


def errors_only(watch: Watch) -> list[str]:
    return [e for e in watch.errors if "404 (Not Found)" not in e]


def test_pages_work_with_storage_unavailable(site, browser):
    ctx = browser.new_context()
    ctx.add_init_script(BLOCK_STORAGE)
    page = ctx.new_page()
    watch = Watch(page, site.url)
    for path in PAGES + quiz_pages(site)[:1]:
        page.goto(site.url + path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        assert not watch.errors, (path, watch.errors)
        assert not watch.foreign
    page.goto(site.url + "training/")
    assert page.locator("[data-storage-warning]").is_visible()
    ctx.close()


def seed(ctx, site, values: dict[str, str]):
    """Put raw strings into localStorage before any page script runs (once per context)."""
    ctx.add_init_script(
        "if (!sessionStorage.getItem('hb-seeded')) { sessionStorage.setItem('hb-seeded', '1');"
        f" const v = {json.dumps(values)}; for (const k in v) localStorage.setItem(k, v[k]); }}")


def stored(page) -> dict:
    return json.loads(page.evaluate(f"localStorage.getItem({json.dumps(KEY)})"))


def test_corrupted_progress_is_dropped_once_and_the_rest_kept(site, browser, hb):
    section = hb.parts[0].sections[0].id
    other = hb.parts[0].sections[1].id
    corrupted = {"v": 1, "read": {section: {"toString": 1}, other: "2026-01-02", "__proto__": "x"},
                 "quizzes": {"exam": {"attempts": 2, "best": {"toString": 1}, "passed": {"right": 9, "total": 3}}},
                 "wrong": {"q": 5}, "rounds": {"exam": {"order": "nope"}}, "name": {"toString": 1}}
    ctx = browser.new_context()
    seed(ctx, site, {KEY: json.dumps(corrupted)})
    page = ctx.new_page()
    watch = Watch(page, site.url)
    warnings = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    page.goto(site.url + "training/")
    # the training script reads (and rewrites) the store when it starts, which may be after "load": poll
    page.wait_for_function("""([key, dropped]) => { try { const v = JSON.parse(localStorage.getItem(key));
                                 return !!v && !!v.read && !(dropped in v.read); } catch (e) { return false; } }""",
                           arg=[KEY, section], timeout=15_000)
    page.wait_for_function("() => { const t = document.querySelector('[data-progress-text]');"
                           " return !!t && t.textContent.trim() !== '' && t.textContent.trim() !== '尚未开始。'; }",
                           timeout=15_000)  # the one valid "read" entry counts
    kept = stored(page)
    assert kept["read"] == {other: "2026-01-02"} and kept["wrong"] == {} and kept["rounds"] == {}
    assert kept["quizzes"]["exam"] == {"attempts": 2, "passed": None} and kept["profile"]["name"] == ""
    for path in ["training/", "en/training/"] + quiz_pages(site):
        page.goto(site.url + path)
        page.wait_for_load_state("load")
    assert len([w for w in warnings if "did not fit" in w]) == 1, warnings
    assert not errors_only(watch), watch.errors
    assert not watch.foreign
    ctx.close()


@pytest.mark.parametrize("raw", ["{not json", "[]", "null", '"text"', '{"v": 99}',
                                 '{"v":1,"quizzes":{"part:x":{"best":{"right":1,"total":0,"pct":"NaN"}}}}'])
def test_unreadable_progress_starts_afresh(site, browser, raw):
    ctx = browser.new_context()
    seed(ctx, site, {KEY: raw})
    page = ctx.new_page()
    watch = Watch(page, site.url)
    for path in ["training/"] + quiz_pages(site)[:2]:
        page.goto(site.url + path)
        page.wait_for_load_state("load")
    assert not errors_only(watch), (raw, watch.errors)
    ctx.close()


@pytest.mark.parametrize("palette", ["{bad json", '{"color": {"a b": 1}}', '{"color": {"media": "(prefers-color-scheme)"}}', "7"])
def test_a_corrupted_palette_does_not_throw(site, browser, palette):
    ctx = browser.new_context()
    seed(ctx, site, {"/.__palette": palette, "/en/.__palette": palette})
    page = ctx.new_page()
    watch = Watch(page, site.url)
    for path in ["", "en/finance/travel/"]:
        page.goto(site.url + path)
        page.wait_for_load_state("load")
    assert not errors_only(watch), (palette, watch.errors)
    ctx.close()


def test_404_language_links_stay_on_the_site(site, browser):
    page = browser.new_page()
    for path, lang in (("no/such/page/", "zh"), ("en/no/such/page/", "en")):
        resp = page.goto(site.url + path)
        assert resp.status == 404
        assert page.locator(".md-content").count() == 1  # the site's own 404 page, not a bare error
        hrefs = page.eval_on_selector_all(".hb-lang-switch", "els => els.map(e => [e.dataset.hbLang, e.href])")
        assert sorted(h[0] for h in hrefs) == ["en", "zh"], hrefs
        for which, href in hrefs:
            assert href == site.url + ("en/" if which == "en" else ""), (lang, hrefs)
    page.close()




# the offline state register.js publishes on the page's bus (overrides/assets/shared/bus.js)
OFFLINE_RUNTIME_SAVED = """async () => {
  const src = document.querySelector('script[src*="assets/offline/register.js"]').src;
  const state = (await import(new URL('../shared/bus.js', src))).current('offline') || {};
  return state.runtime === true;
}"""


def poll(page, script: str, seconds: float):
    """Evaluate an async script until it answers true, or fail at the deadline."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"not true within {seconds} s: {script}"
        page.wait_for_timeout(250)


def _bytes(site, urls) -> int:
    """What the files of an offline group weigh on disk (decoded), from the offline manifest's URLs."""
    total = 0
    for rel in urls:
        path = site.path / (rel[:-2] if rel == "./" else rel)
        total += (path / "index.html" if rel.endswith("/") else path).stat().st_size
    return total


def test_storage_full_says_the_offline_copy_could_not_be_saved(site, browser):
    """The browser's storage for the site holds the handbook but not the calculators' runtime (a quota set
    through the DevTools protocol, the real Cache API refusing with QuotaExceededError): the page says so in
    both languages, no half copy is kept, and the calculator goes on computing online (#22)."""
    from urllib.parse import urlsplit

    manifest = json.loads((site.path / "offline-manifest.json").read_text(encoding="utf-8"))
    shell, runtime = _bytes(site, manifest["shell"]), _bytes(site, manifest["runtime"])
    ctx = browser.new_context(service_workers="allow")
    page = ctx.new_page()
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site.url))
    cdp = ctx.new_cdp_session(page)
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": origin, "quotaSize": shell + runtime // 2})
    try:
        _storage_full_walk(site, page)
        # room made (the usual quota again): Retry saves the runtime, and the notice is gone
        cdp.send("Storage.overrideQuotaForOrigin", {"origin": origin})
        page.locator("[data-hb-storage-full=runtime] [data-hb-storage-retry]").click()
        poll(page, OFFLINE_RUNTIME_SAVED, 120)
        assert not page.locator("[data-hb-storage-full]").count()
    finally:  # the override may outlive the context: the next test of this browser gets the usual quota
        cdp.send("Storage.overrideQuotaForOrigin", {"origin": origin})
        ctx.close()


def _storage_full_walk(site, page):
    page.goto(site.url + "en/calculators/travel/")
    page.wait_for_selector("[data-calc-status][data-stage=ready]", timeout=60_000)
    notice = page.locator("[data-hb-storage-full=runtime]")
    notice.wait_for(timeout=120_000)  # the handbook is cached first, once the page is quiet, then the runtime
    text = {lang: notice.locator(f".hb-update__line[lang={lang}]").text_content() for lang in ("zh", "en")}
    assert "存储空间已满" in text["zh"] and "离线时则不能使用" in text["zh"], text
    assert "storage for this site is full" in text["en"] and "not offline" in text["en"], text
    assert "QuotaExceededError" in notice.get_attribute("title")
    poll(page, "async () => !(await caches.keys()).some((n) => n.endsWith('-runtime'))", 10)
    assert [n for n in page.evaluate("async () => await caches.keys()") if n.endswith("-shell")]  # the handbook is kept
    page.fill("[data-path='legs[0].days']", "7")  # still computed by the engine, online
    page.wait_for_function("""() => { const c = document.querySelector('[data-calculator]');
                                 const input = c.getAttribute('data-calc-input');
                                 return !!input && JSON.parse(input).legs[0].days === 7 && c.dataset.calcSource === 'engine'
                                   && c.dataset.calcState === 'ready'; }""", timeout=30_000)
