"""WCAG 2.1 AA with axe-core on every page type, in both languages, both colour schemes, on screen and in print.

axe-core comes from npm (pinned in package.json, installed by `make deps` into node_modules) and is
injected by the test from there, never from another host. The contexts bypass the site's
Content-Security-Policy only so that the injected script may run inline; everything the site itself
loads is still its own.

One browser context per language; each page type is set up once and checked in each scheme and medium it is
checked in, and every serious or critical violation is collected, so one run lists them all.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import share

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
READY = "[data-calc-status][data-stage=ready]"
ENGINE_TIMEOUT = 60_000

# A calculator input that the engine rejects (days must be whole), and one that it accepts with a warning.
BAD_TRAVEL = {"rank": "other", "legs": [{"region": "in_province", "days": 2.5}]}
# It opens the form's parts that a plain page leaves closed or empty (issue 21): a leg's own lodging (the group's
# checkbox ticked, its fields shown) and a travel accident insurance line.
WARN_TRAVEL = {"rank": "other", "unit_transport": True,
               "legs": [{"region": "in_province", "days": 2, "lodging": {"nights": 1, "amount": 180, "invoice": True}},
                        {"region": "ziyang_county", "days": 1}],
               "transport": [{"amount": 200, "mode": "rail", "class": "hsr_second", "leg": 1},
                             {"amount": 20, "mode": "insurance", "leg": 1}]}
# The reception page with alcohol at an official reception: the alcohol fields filled in, the amount cut and shown
# apart (paid by the claimant) with its warning.
ALCOHOL_RECEPTION = {"kind": "official", "guests": 2, "hosts": 3, "amount": 500, "alcohol_amount": 120,
                     "alcohol": True, "letter": True}


def _calc_state(state: str):
    def wait(page):
        page.wait_for_selector(f"[data-calculator][data-calc-state={state}]", state="attached", timeout=ENGINE_TIMEOUT)
        page.wait_for_selector(READY, state="attached", timeout=ENGINE_TIMEOUT)
    return wait


def _calc_ready(page):
    page.wait_for_selector(READY, state="attached", timeout=ENGINE_TIMEOUT)


def _mid_quiz(page):
    """Answer the first two questions (one way or another), leaving the rest open."""
    forms = page.locator(".tr-item:not([hidden]) form[data-qid]")
    for i in range(2):
        form = forms.nth(i)
        numeric = form.locator("input[data-numeric]")
        if numeric.count():
            numeric.fill("1")
        else:
            form.locator("input").nth(i % max(1, form.locator("input").count())).check()
        form.locator("[data-check]").click()
        form.locator("[data-feedback-body]").wait_for(state="visible")


# The search panel open on its results, with the notice of a corrected typing slip (overrides/assets/search/).
SEARCHED = {"zh": "病价几天要证明", "en": "buisness class flights"}


def _search_results(query: str):
    def open_with_results(page):
        page.locator("label.md-search__icon, .md-search__input").first.click()
        box = page.locator("input.md-search__input")
        box.fill(query)
        box.press("End")  # fill() fires no key event
        page.wait_for_selector(".md-search-result__item", timeout=15_000)
        page.wait_for_selector(".hb-search-notice a", timeout=15_000)
    return open_with_results


def page_types(hb, calculators: list[str] | None = None) -> list[tuple[str, str, object]]:
    """(label, path under the language root, what to do before checking) for every page type.

    The seven calculator pages share one template: all of them (``calculators`` None) are checked in Chinese in
    the light scheme; the travel page (with a result, an error and a warning) and the reception page with
    alcohol, whose warnings are English text of their own, in the rest (every form's labels, in both languages,
    are checked without a browser: tests/test_a11y_files.py), to keep the suite's time."""
    from calculators import CALCULATORS

    part = next(p for p in hb.parts if len(p.sections) > 1)
    section = hb.section_of["finance.travel"] if "finance.travel" in hb.section_of else hb.sections[0]
    out = [
        ("home", "", None),
        ("how to use", "how-to-use/", None),
        ("about", "about/", None),
        ("part", f"{part.id}/", None),
        ("section", hb.page_path(section), None),
        ("compare", "compare/" + hb.page_path(section), None),
        ("glossary", "glossary/", None),
        ("notes", "notes/", None),
        ("calculator index", "calculators/", None),
    ]
    names = list(CALCULATORS) if calculators is None else calculators
    out += [(f"calculator {name}", f"calculators/{name}/", _calc_ready) for name in names if name != "reception"]
    if "reception" in names:
        out.append(("calculator reception with alcohol", "calculators/reception/" + share(ALCOHOL_RECEPTION),
                    _calc_state("ready")))
    out += [
        ("calculator with an error", "calculators/travel/" + share(BAD_TRAVEL), _calc_state("error")),
        ("calculator with a warning, a leg's lodging and insurance", "calculators/travel/" + share(WARN_TRAVEL),
         _calc_state("ready")),
        ("training index", "training/", None),
        ("quiz mid-quiz", f"training/quiz/{hb.parts[0].id}/", _mid_quiz),
        ("exam", "training/exam/", None),
        ("first week", "training/first-week/", None),
        ("task page", "training/tasks/travel/", None),
        ("supervised paper", "training/paper/", None),
        ("404", "404.html", None),
    ]
    return out


# What the colour scheme changes: the dark scheme only recolours the page (Material's CSS variables), so it is checked
# with the rules that read colours; every rule runs in the light scheme and in print (which also shows and hides).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def run_axe(page, rules: list[str] | None = None) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async ([tags, rules]) => {
             const only = rules ? {type: 'rule', values: rules} : {type: 'tag', values: tags};
             const r = await axe.run(document, {runOnly: only, resultTypes: ['violations']});
             return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 160)}))}));
           }""",
        [TAGS, rules],
    )


# The dark scheme is checked on every page type in Chinese; its colours are the same in English, so English in
# the dark scheme checks the page types whose English text brings elements of its own (the bilingual error and
# warning, notes and marks in a section, the search panel's results, a quiz's options): the suite's time.
LANGUAGE_DEPENDENT = {"section", "calculator with an error", "calculator with a warning", "quiz mid-quiz",
                      "search panel with results", "task page"}

# The reader's choice of scheme, made as Material's palette toggle makes it (its radio button changed: Material sets
# <body>'s data-md-color-* attributes, keeps the choice for the next pages, and prints with it).
CHOOSE = """(scheme) => {
  const input = document.querySelector(`input[name="__palette"][data-md-color-scheme="${scheme}"]`);
  input.checked = true;
  input.dispatchEvent(new Event('change', {bubbles: true}));
}"""


def _scheme_followed(browser, url: str) -> str:
    """The scheme Material shows a reader whose system asks for the dark one, on a first visit."""
    context = browser.new_context(color_scheme="dark", service_workers="block")
    try:
        page = context.new_page()
        page.goto(url)
        return page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_serious_or_critical_axe_violations(browser, site, hb, lang):
    """Each page type is set up once, as a reader would, then checked in the light scheme (English: the calculators
    past travel and reception left to Chinese, see page_types), in the dark scheme (the rules that read colours,
    COLOUR_RULES; Chinese: every page type but the calculators past the travel one; English: the page types its
    text changes) and, in Chinese, printed from the dark scheme: the harder case (a reader in dark mode who prints
    must still get dark text on white; the light scheme prints with the same rules). Print is checked once, in
    Chinese (the print styles are the same for both languages)."""
    assert AXE.exists(), "axe-core is missing: run `make deps` (npm ci installs it from package-lock.json)"
    root = site.url + ("en/" if lang == "en" else "")
    assert _scheme_followed(browser, root) == "slate", "Material does not follow the reader's dark scheme"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light",
                                  service_workers="block", bypass_csp=True)
    page = context.new_page()
    foreign = []
    context.on("request", lambda r: None if r.url.startswith(site.url) or r.url.startswith(("data:", "blob:"))
               else foreign.append(r.url))
    dark_types = {label for label, _path, _before in page_types(hb, calculators=["travel"])}
    if lang == "en":
        dark_types &= LANGUAGE_DEPENDENT
    found = []

    def check(label, path, scheme, media="screen"):
        shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert shown == ("slate" if scheme == "dark" else "default"), f"{label}: Material shows scheme {shown}"
        for v in run_axe(page, COLOUR_RULES if (scheme, media) == ("dark", "screen") else None):
            if v["impact"] in BLOCKING:
                nodes = "; ".join(f"{n['target']} [{n['summary'].splitlines()[-1].strip()[:140]}]" for n in v["nodes"][:4])
                found.append(f"{label} ({path.split('#')[0]}, {scheme}, {media}): {v['id']} {v['impact']} x{len(v['nodes'])}: {nodes}")

    try:
        types = page_types(hb, None if lang == "zh" else ["travel", "reception"]) + [("search panel with results", "how-to-use/", _search_results(SEARCHED[lang]))]
        for label, path, before in types:
            page.emulate_media(media="screen", color_scheme="light")
            page.goto(root + path)
            page.wait_for_load_state("load")
            if before:
                before(page)
            check(label, path, "light")
            if label in dark_types or label == "search panel with results":
                page.emulate_media(color_scheme="dark")
                page.evaluate(CHOOSE, "slate")
                check(label, path, "dark")
                if lang == "zh" and label != "search panel with results":
                    page.emulate_media(media="print")
                    check(label, path, "dark", "print")
                page.evaluate(CHOOSE, "default")  # the next page in the light scheme
    finally:
        context.close()
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not found, f"{len(found)} serious/critical axe violations ({lang}):\n" + "\n".join(found)
