"""Export the rules' typed values and the clause index to ``calculators/rules.json``.

The calculators are standard-library only (they run in the browser under Pyodide, which has no
PyYAML), so they read this JSON copy of ``data/`` instead of the YAML.  ``make rules`` runs
``python -m handbook.rules_export``; ``--check`` exits 1 when the committed file differs from
what the data gives (a test runs the same comparison).

Shape::

    {"values":   {value_id: {"value": "100" | ["economy", ...], "unit", "clause", "label": {zh, en}}},
     "clauses":  {clause_id: {"number", "marker": {zh, en}, "heading": {zh, en}, "title": {zh, en}, "page", "anchor", "section"}},
     "sections": {section_id: {"number", "marker": {zh, en}, "heading": {zh, en}, "title": {zh, en}, "page", "section"}},
     "regions":  {region_id: {"label": {zh, en}, "clause", "places": [{"zh", "en", "external"}]}}}

Numbers are written as strings (the exact decimal the data states; ``Decimal(s)`` reads them back).
A clause without a title is titled by the start of its first paragraph.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path

from .loader import DATA, ROOT, DataError, Handbook, load
from .models import Bilingual, Clause

OUTPUT = ROOT / "calculators" / "rules.json"
TITLE_ZH = 40  # characters of the first paragraph that title an untitled clause
TITLE_EN = 80


def _number(value: Decimal | list[str] | str) -> str | list[str]:
    if isinstance(value, list):
        return list(value)
    if isinstance(value, str):  # a fraction, "2/3"
        return value
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _cut(text: str, limit: int, words: bool) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if words and " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:,。;:、") + "…"  # noqa: B005 - a set of trailing punctuation, on purpose


def clause_title(clause: Clause) -> dict:
    """The clause's title, or the start of its first paragraph (or of its first sub-clause's)."""
    if clause.title is not None:
        return {"zh": clause.title.zh, "en": clause.title.en}
    for block in clause.body:
        if isinstance(block, Bilingual):
            return {"zh": _cut(block.zh, TITLE_ZH, False), "en": _cut(block.en, TITLE_EN, True)}
    for block in clause.body:  # only tables
        caption = block.table.caption
        return {"zh": caption.zh, "en": caption.en}
    for child in clause.clauses:
        return clause_title(child)
    return {"zh": clause.id, "en": clause.id}  # pragma: no cover - the model forbids an empty clause


def export(handbook: Handbook) -> dict:
    """The rules data as a JSON-ready dict."""
    values = {}
    for vid, (value, clause) in handbook.values.items():
        values[vid] = {
            "value": _number(value.value),
            "unit": value.unit,
            "clause": clause.id,
            "label": {"zh": value.label.zh, "en": value.label.en},
        }
    clauses, sections = {}, {}
    for section in handbook.sections:
        page = handbook.page_path(section)
        sections[section.id] = {
            "number": section.number,
            "marker": {lang: section.marker(lang) for lang in ("zh", "en")},
            "heading": {lang: section.heading(lang) for lang in ("zh", "en")},
            "title": {"zh": section.title.zh, "en": section.title.en},
            "page": page,
            "section": section.id,
        }
        for clause in section.walk():
            title = clause_title(clause)
            clauses[clause.id] = {
                "number": clause.number,
                "marker": {lang: clause.marker(lang) for lang in ("zh", "en")},
                "heading": {lang: clause.heading(lang, title[lang]) for lang in ("zh", "en")},
                "title": title,
                "page": page,
                "anchor": clause.id,
                "section": section.id,
            }
    regions = {
        r.id: {
            "label": {"zh": r.label.zh, "en": r.label.en},
            "clause": r.clause,
            "places": [{"zh": p.zh, "en": p.en, "external": p.external} for p in r.places],
        }
        for r in handbook.regions
    }
    return {"values": values, "clauses": clauses, "sections": sections, "regions": regions}


def render(data: dict) -> str:
    """Deterministic text: sorted keys, UTF-8 kept, one-space indent, trailing newline."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handbook.rules_export", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs from what the data gives")
    parser.add_argument("--data", type=Path, default=DATA, help="the data directory (default: data/)")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="the file to write (default: calculators/rules.json)")
    args = parser.parse_args(argv)
    try:
        text = render(export(load(args.data)))
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    shown = args.output.resolve()
    try:
        shown = shown.relative_to(ROOT)
    except ValueError:
        pass
    if args.check:
        try:
            current = args.output.read_text(encoding="utf-8")
        except FileNotFoundError:
            current = None
        if current != text:
            what = "is missing" if current is None else "is out of date with data/"
            print(f"error: {shown} {what}; regenerate it with `make rules` (python -m handbook.rules_export)",
                  file=sys.stderr)
            return 1
        print(f"ok: {shown} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    data = json.loads(text)
    print(f"wrote {shown}: {len(data['values'])} values, {len(data['clauses'])} clauses, {len(data['sections'])} sections")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
