"""Offline after one visit: the service worker (handbook/runtime/offline.py, sw.js at the root) in real Chromium.

The run's site (tests/conftest.py), whose server this test stops and starts again on a second
build at the same address. One reader's story, in order: a plain page caches the handbook but no
Pyodide; a calculator opened from a shared link adds the runtime; with the server stopped, pages
of both languages (full loads and Material's instant navigation), search, training and a
calculator from another shared link all work; then a second build with a change is served: the
page says a newer version is available, "Reload" switches to it and the old cache is gone.

Service workers are blocked in the shared ``page`` fixture (tests/conftest.py); this module makes
its own contexts with them allowed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from conftest import ROOT, Watch, ready_for_instant_navigation

from handbook.postbuild.compress import compress_file
from handbook.runtime import offline

pytestmark = [pytest.mark.browser, pytest.mark.stops_server]  # the other worker waits while this test runs

ENGINE_TIMEOUT = 60_000
CACHE_TIMEOUT = 120_000
# What register.js publishes on the page's bus (overrides/assets/shared/bus.js, topic "offline"), read through
# the same module instance (the one beside the page's register.js).
OFFLINE_STATE = """async () => {
  const src = document.querySelector('script[src*="assets/offline/register.js"]').src;
  return (await import(new URL('../shared/bus.js', src))).current('offline') || {};
}"""
CACHES = "async () => (await caches.keys()).sort()"


@pytest.fixture
def offline_site(site):
    """The run's site and server (this test stops and restarts it; it is back when the test ends)."""
    yield site.url, site.path, site
    site.start()


def expected_total(name: str, data: dict) -> str:
    proc = subprocess.run([sys.executable, "-m", "calculators", name], input=json.dumps(data),
                          capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(proc.stdout)["total_text"]


def share_url(base: str, name: str, data: dict) -> str:
    return f"{base}calculators/{name}/#input=" + quote(json.dumps(data, separators=(",", ":")), safe="")


def wait_offline(page, check, timeout_ms: int = CACHE_TIMEOUT) -> dict:
    """Poll the offline state until ``check(state)`` holds, or fail at the deadline."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        state = page.evaluate(OFFLINE_STATE)
        if check(state):
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"offline state after {timeout_ms} ms: {state}")
        page.wait_for_timeout(250)


def wait_cached(page, group: str):
    wait_offline(page, lambda state: state.get(group) is True)


def search(page, query: str) -> list[str]:
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # fill() does not fire the key events Material listens to
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0", timeout=15000)
    return page.evaluate("() => [...document.querySelectorAll('.md-search-result__item > .md-search-result__link')]"
                         ".map(e => e.href.split('?')[0].split('#')[0])")


def test_offline_after_one_visit_and_a_clean_update(browser, offline_site, tmp_path):
    base, out, server = offline_site
    manifest = json.loads((out / "offline-manifest.json").read_text(encoding="utf-8"))
    assert manifest["runtime"] and len(manifest["shell"]) > 100
    assert any(k.startswith("en/") for k in manifest["shell"]) and "search/search_index.json" in manifest["shell"]
    assert not [k for k in manifest["shell"] if "/pyodide/" in k or k.endswith(".map")]

    context = browser.new_context(service_workers="allow", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = Watch(page, base)
    context.on("request", watch._request)
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url))

    # 1. a plain page: the handbook is cached once the page is idle, Pyodide is not
    page.goto(base + "finance/travel/")
    wait_cached(page, "shell")
    assert page.evaluate(OFFLINE_STATE)["runtime"] is False
    assert not [u for u in seen if "/assets/pyodide/" in u or "/assets/calc/snapshot." in u], "Pyodide fetched for a plain page"
    assert not [n for n in page.evaluate(CACHES) if n.endswith("-runtime")]

    # 2. a calculator from a shared link: its runtime is cached once the engine is up
    first = {"rank": "other", "legs": [{"region": "in_province", "days": 2}]}
    page.goto(share_url(base, "travel", first))
    page.wait_for_selector("[data-calculator][data-calc-source=engine]", timeout=ENGINE_TIMEOUT)
    wait_cached(page, "runtime")
    version = page.evaluate(OFFLINE_STATE)["version"]
    assert version == manifest["version"]
    assert page.evaluate(CACHES) == [f"handbook-{version}-runtime", f"handbook-{version}-shell"]

    # 3. the server goes away
    server.stop()
    errors_before = len(watch.errors)

    page.goto(base + "en/finance/travel/")  # a full load, the other language
    assert page.locator("h1").first.text_content().strip()
    assert page.evaluate("() => document.documentElement.lang").startswith("en")
    ready_for_instant_navigation(page)
    page.evaluate("window.__offlineMarker = 1")
    page.locator(".md-nav a[href$='labour/attendance/']").first.click()  # Material's instant navigation
    page.wait_for_url("**/en/labour/attendance/")
    page.wait_for_selector('[id="labour.attendance.hours"]')
    assert page.evaluate("window.__offlineMarker") == 1, "instant navigation fell back to a full load"
    assert base + "en/labour/attendance/" in search(page, "leave")

    page.goto(base + "glossary/")  # Chinese
    assert page.evaluate("() => document.documentElement.lang").startswith("zh")
    assert base + "finance/travel/" in search(page, "差旅费")

    page.goto(base + "training/")
    assert page.locator("article").first.text_content().strip()
    page.goto(base + "en/training/")
    assert page.locator("article").first.text_content().strip()

    second = {"rank": "other", "legs": [{"region": "in_province", "days": 5}]}
    page.goto(share_url(base, "travel", second))
    page.wait_for_selector("[data-calculator][data-calc-source=engine]", timeout=ENGINE_TIMEOUT)
    page.wait_for_function("(t) => document.querySelector('[data-calc-total]').textContent === t",
                           arg=expected_total("travel", second), timeout=ENGINE_TIMEOUT)
    page.goto(base + "en/calculators/leave/")
    page.wait_for_selector("[data-calculator] [data-calc-status][data-stage=ready]", timeout=ENGINE_TIMEOUT)
    offline_errors = [e for e in watch.errors[errors_before:] if "Failed to load resource" not in e]
    assert not offline_errors, offline_errors

    # 4. a second build with a change: the page says so, and "Reload" replaces the old cache
    new = tmp_path / "site2"
    shutil.copytree(out, new)
    about = new / "en" / "about" / "index.html"
    about.write_text(about.read_text(encoding="utf-8").replace("</article>", "<p id='second-build'>second build</p></article>", 1),
                     encoding="utf-8")
    new_version = offline.write(new)["version"]
    for changed in (about, new / offline.MANIFEST, new / offline.SW):  # as the build does after offline.write
        compress_file(changed)
    assert new_version != version
    server.start(new)
    page.goto(base + "en/about/")
    notice = page.locator(".hb-update")
    notice.wait_for(state="visible", timeout=CACHE_TIMEOUT)
    assert notice.get_attribute("role") == "status"
    assert "newer version" in notice.locator("[lang=en]").first.text_content()
    assert "新版本" in notice.locator("[lang=zh]").first.text_content()
    page.locator("[data-hb-update-reload]").click()
    page.wait_for_selector("#second-build", timeout=CACHE_TIMEOUT)  # the new version, after the reload
    wait_offline(page, lambda state: state.get("version") == new_version)
    # the old version's caches are gone; who had the calculators offline still has them
    assert page.evaluate(CACHES) == [f"handbook-{new_version}-runtime", f"handbook-{new_version}-shell"]
    wait_cached(page, "runtime")
    assert not page.locator(".hb-update").count()

    server.stop()  # and the new version works offline too
    page.goto(base + "en/about/")
    page.wait_for_selector("#second-build")
    assert not watch.foreign, watch.foreign
    context.close()
