"""The maintainer's walk-through of README.md ("When the rules change"), done to a copy of the data.

Each step applies the README's own example (the fenced block marked ``walk-through=<step>``), so the manual and
what the tests do cannot drift apart. Each returns what it changed,
so that tests/test_living_data.py can run the data, engine and page tests against the result and check that the
figures agree. The steps take the data as they find it (they add after whatever it already holds), so the
walk-through can run on the shipped data or on data that has already been amended.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import yaml
from rules_fixtures import Amendment, amend, edit_value, last_version

from handbook.model.loader import load
from handbook.paths import ROOT

FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>\w+)(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)```", re.S | re.M)


def fenced(path: Path, lang: str = "yaml"):
    """(file, line, info words, body) of each ```lang block of a Markdown file, a block inside a list item dedented."""
    text = path.read_text(encoding="utf-8")
    for m in FENCE.finditer(text):
        if m.group("lang") != lang:
            continue
        indent = len(m.group("indent"))
        body = "".join(line[indent:] for line in m.group("body").splitlines(keepends=True))
        yield path.relative_to(ROOT).as_posix(), text[: m.start()].count("\n") + 1, m.group("info").split(), body


def readme_example(step: str, lang: str = "yaml") -> str:
    """The body of README.md's "When the rules change" example marked ``walk-through=<step>``."""
    found = [body for _f, _l, info, body in fenced(ROOT / "README.md", lang) if f"walk-through={step}" in info]
    assert len(found) == 1, f"README.md has {len(found)} examples marked walk-through={step}"
    return found[0]


def amend_a_figure(data: Path) -> Amendment:
    """Step 1: a figure changes (an amendment with its day and document, never an edit of ``value``): the README's
    example, merged into the value's amendments; when the data already holds it (or later ones), the fixture's
    amendment after them instead."""
    example = yaml.safe_load(readme_example("amend-a-figure"))[0]
    value_id, entry = example["id"], example["amendments"][0]
    last = last_version(data, value_id)
    if not (last.effective_from < entry["effective_from"] and last.effective_to is None):
        return amend(data, value_id)

    def change(item):
        item["amendments"] = list(item.get("amendments") or []) + [entry]

    path = edit_value(data, value_id, change)
    return Amendment(value_id, entry["effective_from"].isoformat(), Decimal(last.value), Decimal(str(entry["value"])), path)


def amend_a_sentence(data: Path) -> dict:
    """Step 2: a sentence of a clause changes, a clause is added, a clause is repealed: data/README.md's own
    examples ("Text in time": a sentence of finance.travel.meal-allowance amended, a clause added under it, the
    reimbursement clause's paragraph on secondments repealed, all from 2026-01-01 by 资财行〔2025〕99号, whose text
    goes into data/source/ like the seed), applied as tests/text_fixtures.py applies them. Returns what it changed
    (``{"amended"|"new"|"repealed": clause id}``; a step the data already holds is left out)."""
    from text_fixtures import apply_text_examples, write_document  # it reads the manual through this module

    write_document(data)
    return apply_text_examples(data)


def fill_a_standards_table(data: Path, tmp: Path) -> tuple[str, list[dict]]:
    """Step 3: the finance office's sheet (the README's CSV; an .xlsx reads the same) is imported, places as the
    office writes them (北京市); a place the data under test already has rows for is swapped for one it has not."""
    from calculators.rules import place_key
    from handbook.tools.standards import import_table

    text = readme_example("fill-a-standards-table", "csv")
    written = next(line.split(",")[1] for line in text.splitlines()[1:] if line.strip())
    used = {r.keys.get("destination") for t in load(data).standards for r in t.rows}
    place = place_key(written)
    if place in used:
        new = next(p for p in ("上海", "广州", "天津", "重庆", "南京") if p not in used)
        text, place = text.replace(place, new), new
    sheet = tmp / "lodging.csv"
    sheet.write_text(text, encoding="utf-8-sig")
    return place, import_table(data, "lodging_cap", sheet)


def add_a_question(data: Path) -> str:
    """Step 4: the README's question about the new rate, pinned to the day it is about."""
    body = readme_example("add-a-question")
    qid = yaml.safe_load(body)[0]["id"]
    if qid in {q.id for q in load(data).questions}:  # the data under test already has it: a second one
        body, qid = body.replace(f"id: {qid}", f"id: {qid}-again", 1), qid + "-again"
    path = data / "questions" / "finance.yaml"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(text + "".join("  " + line if line.strip() else line for line in body.splitlines(keepends=True)),
                    encoding="utf-8")
    return qid


def walk_through(data: Path, tmp: Path) -> dict:
    """Every step, in the manual's order; returns what each changed."""
    amendment = amend_a_figure(data)
    text = amend_a_sentence(data)
    place, rows = fill_a_standards_table(data, tmp)
    question = add_a_question(data)
    load(data)  # what `make check` does
    return {"amendment": amendment, "text": text, "place": place, "rows": rows, "question": question}
