"""Which of Pyodide's files a calculator page downloads, and that it needs no more.

The build ships Pyodide in a versioned folder (``assets/pyodide/<hash>/``) and, next to the memory
snapshot, a standard library cut down to the modules imported when the snapshot was made
(``assets/calc/stdlib.<key>.zip``, for a start-up without the snapshot) and an empty one
(``nostdlib.<key>.zip``, what a start-up from the snapshot loads). These tests prove that the
engine starts and computes from a shared link without downloading any standard library, with no
standard-library zip on the server at all (the snapshot already holds every module the calculators
use), and without the snapshot (a plain start-up from the cut-down standard library)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from bench.page_engine import engine, start_options

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ENGINE_TIMEOUT = 60_000
INPUT = {"rank": "other", "legs": [{"region": "in_province", "days": 3}]}


def expected_total(name: str, data: dict) -> str:
    proc = subprocess.run([sys.executable, "-m", "calculators", name], input=json.dumps(data),
                          capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(proc.stdout)["total_text"]


def open_shared_link(browser, site, *, block=(), options=None):
    """Open the travel calculator from a shared link; return (runtime state, total, requested URLs)."""
    context = browser.new_context(service_workers="block")
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url))
    for pattern in block:
        context.route(pattern, lambda route: route.fulfill(status=404, body="gone"))
    page = context.new_page()
    if options is not None:
        start_options(page, options)
    page.goto(f"{site.url}calculators/travel/#input=" + quote(json.dumps(INPUT, separators=(",", ":")), safe=""))
    page.wait_for_selector("[data-calculator][data-calc-source=engine]", timeout=ENGINE_TIMEOUT)
    state = engine(page, "({ state: rt.state, mode: rt.mode })")
    got = page.locator("[data-calc-total]").text_content()
    context.close()
    return state, got, seen


def manifest(site) -> dict:
    return json.loads((site.path / "assets" / "calc" / "manifest.json").read_text(encoding="utf-8"))


def test_a_shared_link_downloads_no_stdlib(browser, site):
    assert manifest(site)["snapshot"], "built without a memory snapshot: the site must ship one"
    state, got, seen = open_shared_link(browser, site)
    assert state == {"state": "ready", "mode": "snapshot"}
    assert got == expected_total("travel", INPUT)
    assert not [u for u in seen if u.endswith("/python_stdlib.zip")], "the full standard library was downloaded"
    assert not [u for u in seen if "/assets/calc/stdlib." in u], "the cut-down standard library was downloaded"
    assert [u for u in seen if "/assets/calc/nostdlib." in u]
    # the page hands the early worker its runtime manifest (overrides/main.html): one request fewer
    assert not [u for u in seen if u.endswith("/manifest.json")], "the worker fetched the manifest the page carries"
    # the front end from its build's hashed folder only
    front = [u.split("?")[0] for u in seen if "/assets/calc/" in u and re.search(r"\.m?js(\?|$)", u)]
    assert front and all(re.search(r"/assets/calc/[0-9a-f]{12}/[\w./-]+\.m?js$", u) for u in front), front
    runtime = [u for u in seen if "/assets/pyodide/" in u]
    assert runtime and all(re.search(r"/assets/pyodide/[0-9a-f]{12}/[\w.-]+$", u) for u in runtime), runtime


def test_the_engine_starts_from_the_snapshot_with_no_stdlib_zip_at_all(browser, site):
    """The item-6 fault: python_stdlib.zip (and the cut-down one) missing: the engine still starts,
    because every module the calculators import is already imported in the snapshot."""
    assert manifest(site)["snapshot"], "built without a memory snapshot: the site must ship one"
    block = ["**/python_stdlib.zip", "**/assets/calc/stdlib.*.zip", "**/assets/calc/nostdlib.*.zip"]
    state, got, seen = open_shared_link(browser, site, block=block)
    assert state == {"state": "ready", "mode": "snapshot"}
    assert got == expected_total("travel", INPUT)
    assert [u for u in seen if "/assets/calc/nostdlib." in u], "the blocked file was not even asked for"


def test_without_the_snapshot_the_cut_down_stdlib_is_enough(browser, site):
    """The fallback start-up (snapshot refused or missing) boots Python from the cut-down zip."""
    state, got, seen = open_shared_link(browser, site, options={"snapshot": ""}, block=["**/python_stdlib.zip"])
    assert state == {"state": "ready", "mode": "plain"}
    assert got == expected_total("travel", INPUT)
    assert [u for u in seen if "/assets/calc/stdlib." in u]
