"""The training pages' page <-> script contract (issue 18 item 1, issue 23).

``overrides/assets/training/contract.js`` declares every ``data-*`` name the training templates write and
the training modules read. This checks that the declaration is strict JSON with one role per name, that the
generated training pages (and a section page's training controls) use no other ``data-*`` name, and that the
modules name attributes only through the contract (``ATTR.x``, ``sel("x")``), with every role they use
declared. The pages come from the renderer, not a build.
"""

from __future__ import annotations

import re

import pytest

from handbook.exports.calc_contract import attrs
from handbook.pages.site import Renderer
from handbook.paths import OVERRIDES

pytestmark = pytest.mark.xdist_group("test_training_contract")  # one worker makes its rendered training pages (module fixtures), not each

FOLDER = OVERRIDES / "assets" / "training"
CONTRACT = attrs(FOLDER / "contract.js")
NAMES = set(CONTRACT.names().values())
DATA_ATTR = re.compile(r"\s(data-[a-z0-9-]+)(?==|\s|>)")


@pytest.fixture(scope="module")
def generated(hb):
    from calculators import CALCULATORS

    out = {}
    for lang in ("zh", "en"):
        for page in Renderer(hb, lang, calculators=CALCULATORS).pages():
            out[(lang, page.src_uri)] = page.content
    return out


def training_html(content: str) -> list[str]:
    """The training blocks of a page: everything from its data-training root to the end of the page's HTML."""
    return [content[m.start():] for m in re.finditer(r"<div [^>]*data-training=", content)]


def test_the_contract_is_one_name_per_role():
    assert len(NAMES) == len(CONTRACT.names())
    assert all(name.startswith("data-") for name in NAMES)


def test_generated_pages_use_only_the_contracts_names(generated):
    checked = 0
    for (lang, src), content in generated.items():
        for block in training_html(content):
            block = block.split('<div class="hb-pagefoot">')[0]  # a section page: only its training controls
            used = set(DATA_ATTR.findall(block))
            stray = used - NAMES
            assert not stray, f"{lang} {src}: data-* names not in contract.js: {sorted(stray)}"
            checked += 1
    kinds = {re.search(r'data-training="(\w+)"', c).group(1) for c in (b for v in generated.values() for b in training_html(v))}
    assert kinds == {"path", "quiz", "exam", "paper", "section"}
    assert checked > 60


def test_the_modules_name_attributes_only_through_the_contract():
    roles = set(CONTRACT.names())
    for path in sorted(FOLDER.glob("*.js")):
        text = path.read_text(encoding="utf-8")
        if path.name == "contract.js":
            continue
        assert not re.search(r"""["'\[]data-[a-z]""", text), f"{path.name} writes a data-* name itself"
        used = set(re.findall(r"\bATTR\.(\w+)", text)) | set(re.findall(r"""\bsel\("(\w+)\"""", text))
        unknown = used - roles
        assert not unknown, f"{path.name} uses roles not in contract.js: {sorted(unknown)}"


def test_the_modules_are_es_modules_with_one_entry():
    for path in sorted(FOLDER.glob("*.js")):
        text = path.read_text(encoding="utf-8")
        assert "(function ()" not in text and "window.Handbook" not in text, f"{path.name} is still a script"
        assert re.search(r"^(import|export) ", text, re.M), f"{path.name} is not a module"
