"""The calculator pages' page <-> script contract (overrides/assets/calc/contract.js) is the one
declaration of the data-* names: the rendered pages use no other, the scripts spell none but the
contract's (the ES modules none at all: they import it), and every name declared is used by a
script or written by a page. Also: pages are rendered with their build-time data (no patching)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handbook.exports.calc_contract import attrs
from handbook.pages.context import calculators, handbook
from handbook.pages.site import Renderer

pytestmark = pytest.mark.xdist_group("test_calc_contract")  # one worker makes its rendered calculator pages (module fixtures), not each

ROOT = Path(__file__).resolve().parent.parent
CALC_JS = ROOT / "overrides" / "assets" / "calc"
LOADER = ROOT / "overrides" / "assets" / "javascripts" / "calc-loader.js"
DATA_ATTR = re.compile(r"""(?<![\w-])(data-[a-z][a-z0-9-]*)""")


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    out = {}
    calcs = calculators()
    for lang in ("zh", "en"):
        renderer = Renderer(handbook(), lang, calcs)
        for name, module in calcs.items():
            out[f"{lang}/{name}"] = renderer.calculator_page(name, module).content
    return out


def _calculator_fragment(page: str) -> str:
    start = page.index("<link rel=\"stylesheet\"")
    return page[start:]


def test_pages_use_only_declared_names(pages):
    declared = set(attrs().names().values())
    for key, page in pages.items():
        used = set(DATA_ATTR.findall(_calculator_fragment(page)))
        assert used, key
        assert used <= declared, f"{key}: data-* names not in contract.js: {sorted(used - declared)}"


def test_modules_spell_no_data_attribute_and_every_name_is_live(pages):
    modules = sorted(p for p in CALC_JS.glob("*.js") if p.name != "contract.js")
    assert len(modules) >= 8
    roles = set(attrs().names())
    used = set()
    for path in modules:
        text = path.read_text(encoding="utf-8")
        literal = [m for m in DATA_ATTR.findall(text)]
        assert not literal, f"{path.name} spells {literal}: use contract.js"
        # a role is used as ATTR.role or as a string naming it (find(el, "total"), slot maps)
        used |= set(re.findall(r"ATTR\.(\w+)", text)) | (set(re.findall(r'"(\w+)"', text)) & roles)
    in_pages = set()
    for page in pages.values():
        in_pages |= set(DATA_ATTR.findall(_calculator_fragment(page)))
    unused = {role for role in roles - used if attrs()[role] not in in_pages}
    assert not unused, f"declared in contract.js but used by no script and no page: {sorted(unused)}"


def test_loader_spells_only_declared_names():
    declared = set(attrs().names().values())
    names = set(DATA_ATTR.findall(LOADER.read_text(encoding="utf-8")))
    assert names and names <= declared, sorted(names - declared)


def test_rendered_page_carries_the_example_result_and_manifest(pages):
    page = pages["zh/travel"]
    assert "data-calc-initial='null'" not in page
    m = re.search(r"data-calc-initial='([^']*)'", page)
    assert m and '"manifest"' in m.group(1) and '"output"' in m.group(1)


def test_pages_preload_the_whole_module_graph(pages):
    from handbook.exports.calc_contract import page_modules
    from handbook.runtime.pyodide_bundle import front_end_dir

    modules = page_modules()
    worker_only = {"calc-worker.js", "boot.js", "download.js"}  # the worker's own modules, not preloaded by the page
    assert {m for m in modules if "/" not in m} | worker_only == {p.name for p in CALC_JS.glob("*.js")}
    assert "../shared/bus.js" in modules  # what the page's scripts share, outside the calculators' folder
    folder = front_end_dir()  # one build's modules, in a folder named by their hash
    for name in modules:  # a module outside the calculators' folder is shared by the page's scripts, never hashed
        href = f"assets/{name[3:]}" if name.startswith("../") else f"assets/calc/{folder}{name}"
        assert f'{href}">' in pages["en/leave"], name


def test_the_example_rows_are_in_the_page_as_the_script_makes_them(pages):
    """A list's rows for the example input are in the page as built (so the form has its height before the
    scripts run: no layout shift when they take over), numbered as form.js renderRows numbers them: the
    template's "[]" paths and ids with the row's index, its label with {n}."""
    from handbook.pages.context import calculators as calcs

    seen = 0
    for key, page in pages.items():
        lang, name = key.split("/")
        for m in re.finditer(r'data-repeat="(\w+)".*?<ol class="calc-rows" data-repeat-items>(.*?)</ol>\s*<template data-repeat-template>(.*?)</template>', page, re.S):
            path, rows, template = m.groups()
            example = calcs()[name].DEFAULT_INPUT.get(path) or []
            got = re.findall(r'<li class="calc-row" data-row data-index="(\d+)">', rows)
            assert got == [str(i) for i in range(len(example))], (key, path, got)
            first = re.sub(r' data-index="0"| disabled|(?<=data-row-label>)[^<]*', "", rows.split("</li>")[0] + "</li>")
            assert first == re.sub(r"(?<=data-row-label>)[^<]*", "", template.replace(f"{path}[]", f"{path}[0]")), key
            seen += 1
    assert seen >= 4  # travel's legs and errand's days, in both languages
