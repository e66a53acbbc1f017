"""The engine follows a deploy (issue 22): a tab opened on build v1 keeps its engine's worker across
Material's instant navigation; once v2 is deployed into the folder being served, the next calculator
page it reaches must compute with v2's rules, never v1's (it showed 750.00 at "100 元/天" where v2
gave 1000.00), and the total names the rules version it used.

No service worker (a plain-HTTP intranet): the page, not an update notice, has to see it. v2 is a
real build of a copy of data/ with one value changed, made before the test takes the server (the other
worker goes on meanwhile) and swapped into the served folder by two renames while the tab is open; it
has no memory snapshot, to keep the build short.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest
from conftest import LINK_TO, ROOT, ready_for_instant_navigation, share
from playwright.sync_api import Error as PlaywrightError

pytestmark = [pytest.mark.browser, pytest.mark.stops_server]  # it serves a second build: the other worker waits

ENGINE_TIMEOUT = 60_000
READY = "[data-calc-status][data-stage=ready]"
VALUE = "travel.meal.in_province"


def travel_total(package: str | None, data: dict) -> str:
    """The total the travel calculator gives for ``data``, with the rules of a build's package."""
    env = dict(os.environ, **({"HANDBOOK_RULES": f"{package}/rules.json"} if package else {}))
    proc = subprocess.run([sys.executable, "-m", "calculators", "travel"], input=json.dumps(data), env=env,
                          capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(proc.stdout)["total_text"]


def click_link_to(page, suffix: str, timeout_s: float = 15) -> None:
    """Click a visible link to ``suffix``, as a reader would. Material changes the address before it swaps the
    page's content, so a link found just after a navigation may be the old page's, gone before the click lands:
    then the link is looked for again, until the deadline (seen failing twice in a row in a fresh clone)."""
    deadline = time.monotonic() + timeout_s
    while True:
        page.wait_for_function(f"(suffix) => ({LINK_TO})(suffix) !== null", arg=suffix,
                               timeout=max(1, deadline - time.monotonic()) * 1000)
        link = page.evaluate_handle(LINK_TO, suffix).as_element()
        try:
            if link is not None:
                link.click(timeout=max(1, deadline - time.monotonic()) * 1000)
                return
        except PlaywrightError as exc:
            if "not attached" not in str(exc) or time.monotonic() > deadline:
                raise
        page.wait_for_timeout(100)


@pytest.fixture(scope="module")
def deploy(site, tmp_path_factory):
    """v2: a real build of a copy of data/ with one value changed, for the run's URL, made before the test
    holds the server alone: the other worker goes on meanwhile."""
    tmp = tmp_path_factory.mktemp("deploy")
    data = tmp / "data"
    shutil.copytree(ROOT / "data", data)
    finance = data / "regulation" / "finance.yaml"
    text = finance.read_text(encoding="utf-8")
    m = re.search(rf"(- id: {re.escape(VALUE)}\n\s+value: )(\d+)", text)
    assert m, f"{VALUE} not found in {finance}"
    old, new = int(m.group(2)), int(m.group(2)) + 50
    finance.write_text(text[: m.start(2)] + str(new) + text[m.end(2):], encoding="utf-8")
    v2 = tmp / "v2"
    proc = subprocess.run(
        [sys.executable, "-m", "handbook.build", "--site-url", site.url, "--out", str(v2), "--quiet"],
        cwd=ROOT, capture_output=True, text=True,
        env=dict(os.environ, HANDBOOK_DATA=str(data), HANDBOOK_NO_SNAPSHOT="1"),
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return v2, str(tmp / ".v2-calc" / "calculators"), (old, new)


def deploy_into(v2, served) -> None:
    """The deploy: the new build takes the served folder's place by two renames (README: an atomic swap of
    a real directory, as handbook.build does)."""
    retired = served.with_name(served.name + ".old")
    os.rename(served, retired)
    os.rename(v2, served)


def test_an_open_tab_computes_with_the_rules_deployed_since(browser, site, deploy, tmp_path):
    built, package, (old, new) = deploy
    # this attempt's own folders (a rerun starts again from v1), as hard links: made at once
    served = tmp_path / "served"
    shutil.copytree(site.path, served, symlinks=False, copy_function=os.link)
    v2 = tmp_path / "v2"
    shutil.copytree(built, v2, symlinks=False, copy_function=os.link)
    site.stop()
    site.start(served)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
        page.on("console", lambda m: errors.append(f"{m.type}: {m.text} {m.location}") if m.type in ("error", "warning") else None)
        three = {"rank": "other", "legs": [{"region": "in_province", "days": 3}]}
        page.goto(f"{site.url}calculators/travel/{share(three)}")
        page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
        page.wait_for_selector("[data-calculator][data-calc-state=ready][data-calc-source=engine]", timeout=ENGINE_TIMEOUT)
        ready_for_instant_navigation(page)
        v1_rules = page.locator("[data-calculator]").get_attribute("data-calc-rules")
        assert v1_rules
        page.evaluate("() => { window.__stillTheSameTab = 1; }")

        deploy_into(v2, served)  # v2, the same site with the value changed, now in the folder being served

        # instant navigation to another calculator and back, then type 5 days
        click_link_to(page, "/calculators/")
        page.wait_for_url("**/calculators/")
        click_link_to(page, "/calculators/errand/")
        page.wait_for_selector("[data-calculator=errand]")
        click_link_to(page, "/calculators/")
        page.wait_for_url("**/calculators/")
        click_link_to(page, "/calculators/travel/")
        page.wait_for_url("**/calculators/travel/**")
        page.wait_for_selector("[data-calculator=travel]")
        page.fill("[data-path='legs[0].days']", "5")
        # the new engine starts plainly (v2 has no snapshot): slow on a loaded machine
        page.wait_for_selector("[data-calculator=travel][data-calc-state=ready][data-calc-source=engine]"
                               "[data-calc-input*='\"days\":5']", timeout=3 * ENGINE_TIMEOUT)
        assert page.evaluate("() => window.__stillTheSameTab") == 1, "a full page load, not instant navigation"
        shown = json.loads(page.locator("[data-calculator]").get_attribute("data-calc-input"))
        want = travel_total(package, shown)
        assert want != travel_total(None, shown), f"{VALUE} {old} -> {new} changes nothing for {shown}"
        assert page.locator("[data-calc-total]").text_content() == want
        rules = page.locator("[data-calculator]").get_attribute("data-calc-rules")
        assert rules and rules != v1_rules, "the total does not name the new rules version"
        assert rules[:8] in page.locator("[data-calc-engine]").text_content()
        assert not [e for e in errors if not e.startswith("warning")], errors  # no script refused by the first page's policy
    except Exception as exc:  # kept with the console for the post-mortem (a rerun hides the first failure)
        errors.append(f"failed: {exc!r}"[:3000])
        raise
    finally:
        (tmp_path / "console.json").write_text(json.dumps(errors, ensure_ascii=False, indent=1))  # for a post-mortem
        context.close()
        site.stop()
        site.start()
