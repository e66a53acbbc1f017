"""Export the rules' typed values and the clause index to ``calculators/rules.json``.

The calculators are standard-library only (they run in the browser under Pyodide, which has no
PyYAML), so they read this JSON copy of ``data/`` instead of the YAML.  ``make rules`` runs
``python -m handbook.exports.rules_export``; ``--check`` exits 1 when the committed file differs from
what the data gives (a test runs the same comparison).

Shape::

    {"regulation": {"document": {zh, en}, "effective_from": "2020-10-08"},   # the first day covered
     "values":   {value_id: {"value": "100" | ["economy", ...], "unit", "kind", "clause", "label": {zh, en},
                             "effective_from": "2020-10-08", "source": SOURCE,       # the first version
                             "effective_to"?: "YYYY-MM-DD",                          # its last day, if set
                             "amendments"?: [{"value", "effective_from", "effective_to"?, "source"}],
                             "repealed"?: {"effective_from", "source"}}},
     "clauses":  {clause_id: {"number", "marker": {zh, en}, "heading": {zh, en}, "title": {zh, en}, "page", "anchor", "section",
                              "versions"?: [HEADING]}},
     "sections": {section_id: {"number", "marker": {zh, en}, "heading": {zh, en}, "title": {zh, en}, "page", "section",
                               "versions"?: [HEADING]}},
     "regions":  {region_id: {"label": {zh, en}, "clause", "places": [{"zh", "en", "external"}]}},
     "standards": {table_id: {"label", "cited_by", "document", "unit", "kind", "keys": [{"name", "label", "values"}],
                              "rows": [{"keys": {name: text}, "value", "effective_from", "effective_to"?, "document"}]}},
     "attachments": [{"clause": clause_id, "items": [{"id", "label": {zh, en}, "when"?: {zh, en}}]}],  # text order
     "quotes":   {clause_id: {quote_id: [{"zh", "en", "effective_from", "effective_to", "source"}]}},
     "readings": {clause_id: {note_id: {"kind", "original"?, "reading"?, "zh", "en"}}},  # notes a calculator applies
     "units":    {unit: {zh, en}}}    # how a figure's unit is written (handbook.model.models.UNIT_LABELS)

    SOURCE = {"document": {zh, en}, "clause": {zh, en} | null, "clause_id": clause id | null}
    HEADING = {"title": {zh, en}, "heading": {zh, en}, "effective_from", "effective_to", "source": SOURCE}

``title`` and ``heading`` are the first wording (the seed's); a clause or section whose heading was amended lists
every wording under ``versions``, oldest first, and the engine cites the one in force on the day it is asked about
(``calculators.rules.cite``).

Every value's first version has ``effective_from`` and ``source`` written out (defaults applied: the
regulation's date, the regulation itself and the clause that states the value).

Numbers are written as strings (the exact decimal the data states; ``Decimal(s)`` reads them back).
A clause without a title is titled by the start of its first paragraph.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from decimal import Decimal
from pathlib import Path

from handbook.model.loader import load
from handbook.model.models import UNIT_LABELS, Bilingual, Clause, Handbook, ValueSource
from handbook.model.timeline import seed_figures
from handbook.model.timeline import versions
from handbook.model.yamlfile import DataError, read_yaml
from handbook.paths import DATA, ROOT

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
        if isinstance(block, Bilingual):  # the seed's wording, its figures as their first versions (a stable title)
            return {"zh": _cut(seed_figures(clause, block.zh), TITLE_ZH, False),
                    "en": _cut(seed_figures(clause, block.en), TITLE_EN, True)}
    for block in clause.body:  # only tables
        caption = block.table.caption
        return {"zh": caption.zh, "en": caption.en}
    for child in clause.clauses:
        return clause_title(child)
    return {"zh": clause.id, "en": clause.id}  # pragma: no cover - the model forbids an empty clause


def _bi(text: Bilingual | None) -> dict | None:
    return None if text is None else {"zh": text.zh, "en": text.en}


def _source(src: ValueSource) -> dict:
    return {"document": _bi(src.document), "clause": _bi(src.clause), "clause_id": src.clause_id}


def _day(d) -> str | None:
    return None if d is None else d.isoformat()


def _value(value, clause, regulation) -> dict:
    """One value with its history (the first version inline, later ones as amendments)."""
    first, *later = versions(value, clause, regulation)
    entry = {
        "value": _number(first.value),
        "unit": value.unit,
        "kind": value.kind,
        "clause": clause.id,
        "label": _bi(value.label),
        "effective_from": _day(first.effective_from),
        "source": _source(first.source),
    }
    if value.effective_to is not None:
        entry["effective_to"] = _day(value.effective_to)
    if later:
        entry["amendments"] = []
        for a, ver in zip(value.amendments, later, strict=True):
            item = {"value": _number(ver.value), "effective_from": _day(ver.effective_from), "source": _source(ver.source)}
            if a.effective_to is not None:
                item["effective_to"] = _day(a.effective_to)
            entry["amendments"].append(item)
    if value.repealed is not None:
        entry["repealed"] = {"effective_from": _day(value.repealed.effective_from), "source": _source(value.repealed.source)}
    return entry


def _standards(handbook: Handbook) -> dict:
    out = {}
    for table in handbook.standards:
        rows = []
        for row in table.rows:
            item = {"keys": dict(row.keys), "value": _number(row.value), "effective_from": _day(row.effective_from),
                    "document": _bi(row.document)}
            if row.effective_to is not None:
                item["effective_to"] = _day(row.effective_to)
            rows.append(item)
        out[table.id] = {
            "label": _bi(table.label),
            "cited_by": table.cited_by,
            "document": _bi(table.document),
            "unit": table.unit,
            "kind": table.kind,
            "keys": [{"name": k.name, "label": _bi(k.label), "values": list(k.values)} for k in table.keys],
            "rows": rows,
        }
    return out


def _attachments(handbook: Handbook) -> list:
    """In the text's order (a list, so that the sorted JSON keeps it)."""
    out = []
    for cid, clause in handbook.clauses.items():
        if clause.attachments:
            out.append({"clause": cid, "items": [
                {"id": a.id, "label": {"zh": a.zh, "en": a.en}, **({"when": _bi(a.when)} if a.when else {}),
                 **({"reading": _bi(next(n.note for n in clause.notes if n.original == a.implied_by))}
                    if a.implied_by else {})}
                for a in clause.attachments]})
    return out


def _readings(handbook: Handbook) -> dict:
    """The editorial notes a result quotes when it applies the reading they state: clause id -> note id -> ``{kind,
    original?, reading?, zh, en}``, each note of its clause that has an ``id`` (the engine looks one up by the clause's
    and the note's ids: ``rules.reading``), so that the reading is declared once, in data/."""
    out: dict = {}
    for cid, clause in handbook.clauses.items():
        notes = {n.id: {"kind": n.kind, **({"original": n.original} if n.original else {}),
                        **({"reading": n.reading} if n.reading else {}), **_bi(n.note)}
                 for n in clause.notes if n.id}
        if notes:
            out[cid] = notes
    return out


def _quotes(handbook: Handbook) -> dict:
    """The sentences of the regulation the calculators quote: clause id -> quote id -> its wordings in time,
    each ``{zh, en, effective_from, effective_to, source}``, figures left as ``{value:<id>}`` (the engine fills
    them in with the values in force on the day it is asked about)."""
    from handbook.model import timeline

    out: dict = {}
    for cid, clause in handbook.clauses.items():
        if not clause.quotes:
            continue
        span = timeline.clause_span(handbook, cid)
        out[cid] = {
            q.id: [{"zh": v.zh, "en": v.en, "effective_from": _day(v.effective_from), "effective_to": _day(v.effective_to),
                    "source": _source(v.source)} for v in timeline.text_versions(q, span)]
            for q in clause.quotes
        }
    return out


def _heading_versions(handbook: Handbook, item) -> dict:
    """``{"versions": [HEADING, …]}`` for an amended title (each wording with its heading, days and document), else {}."""
    from handbook.model import timeline

    if item.title is None or not item.title.amendments:
        return {}
    span = timeline.clause_span(handbook, item.id)
    return {"versions": [{"title": {"zh": v.zh, "en": v.en}, "heading": {lang: item.heading(lang, v[lang]) for lang in ("zh", "en")},
                          "effective_from": _day(v.effective_from), "effective_to": _day(v.effective_to), "source": _source(v.source)}
                         for v in timeline.text_versions(item.title, span)]}


def export(handbook: Handbook) -> dict:
    """The rules data as a JSON-ready dict."""
    regulation = handbook.source
    values = {vid: _value(value, clause, regulation) for vid, (value, clause) in handbook.values.items()}
    clauses, sections = {}, {}
    for section in handbook.sections:
        page = handbook.page_path(section)
        sections[section.id] = {
            "number": section.number,
            "marker": {lang: section.marker(lang) for lang in ("zh", "en")},
            "heading": {lang: section.heading(lang, section.title[lang]) for lang in ("zh", "en")},
            "title": {"zh": section.title.zh, "en": section.title.en},
            "page": page,
            "section": section.id,
            **_heading_versions(handbook, section),
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
                **_heading_versions(handbook, clause),
            }
    regions = {
        r.id: {
            "label": {"zh": r.label.zh, "en": r.label.en},
            "clause": r.clause,
            "places": [{"zh": p.zh, "en": p.en, "external": p.external} for p in r.places],
        }
        for r in handbook.regions
    }
    return {
        "regulation": {"document": _bi(regulation.title), "effective_from": _day(regulation.effective_from)},
        "values": values,
        "clauses": clauses,
        "sections": sections,
        "regions": regions,
        "standards": _standards(handbook),
        "attachments": _attachments(handbook),
        "quotes": _quotes(handbook),
        "units": {unit: {"zh": zh, "en": en} for unit, (zh, en) in UNIT_LABELS.items()},
        "readings": _readings(handbook),
    }


def render(data: dict) -> str:
    """Deterministic text: sorted keys, UTF-8 kept, one-space indent, trailing newline."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def stale_values(handbook: Handbook, current: dict | None, expected: dict) -> list[str]:
    """What differs between a rules.json and the data, one line each, naming the value, its file and line."""
    if not isinstance(current, dict):
        return ["the file is missing or not JSON"]
    lines = []
    have = current.get("values") or {}
    for vid, entry in expected["values"].items():
        if have.get(vid) == entry:
            continue
        where = handbook.origin.get(vid)
        line = read_yaml(where.file).line(where.loc + ("value",)) if where else None
        at = f"{_shown(where.file)}:{line}" if where and line else "data/"
        if vid not in have:
            lines.append(f"{vid} ({at}) is missing")
        else:
            old, new = have[vid].get("value"), entry["value"]
            what = f"is {new} in the data but {old}" if old != new else "differs (dates, source, unit or label)"
            lines.append(f"{vid} {what} ({at})")
    lines += [f"{vid} is no longer in the data" for vid in have if vid not in expected["values"]]
    for key in expected:
        if key != "values" and current.get(key) != expected[key]:
            lines.append(f"the {key} differ")
    return lines


def stale_message(handbook: Handbook, current: dict) -> str | None:
    """Why the calculators' rules do not fit the data (None when they do), naming values, files and lines."""
    expected = export(handbook)
    if current == expected:
        return None
    lines = stale_values(handbook, current, expected)
    return ("the calculators' rules (calculators/rules.json) do not match the data: regenerate them with "
            "`make rules` (python -m handbook.exports.rules_export), or build with `python -m handbook.build`, which "
            "does it:" + "".join(f"\n  {line}" for line in lines[:10]))


def derived_package_folder(out: Path | str) -> Path:
    """Where a build of ``out`` from another data directory keeps the calculators it derives: ``.<out>-calc`` beside it."""
    return Path(out).resolve().parent / f".{Path(out).name}-calc"


def derive_for_build(data_dir: Path | str, out: Path, *, default_data: Path = DATA, output: Path = OUTPUT) -> dict:
    """Make the calculators a build ships follow the data it is built from; returns env vars for MkDocs.

    * Built from ``data/`` itself: ``calculators/rules.json`` is regenerated when it is out of date (what
      ``make rules`` does), so the pages, the in-page calculators and the CLI all read the same values.
    * Built from another data directory (``HANDBOOK_DATA``): the rules derived from it are written next to
      the output (``.<out>-calc/calculators/``, a copy of the package) and the build's MkDocs processes
      are pointed at them (``HANDBOOK_RULES`` for the in-process engine, ``HANDBOOK_CALC_PACKAGE`` for the
      bundle); the repository's file is left alone.
    Raises DataError when the data is invalid.
    """
    hb = load(data_dir)
    expected = export(hb)
    text = render(expected)
    if Path(data_dir).resolve() == Path(default_data).resolve():
        try:
            current_text = output.read_text(encoding="utf-8")
        except FileNotFoundError:
            current_text = None
        if current_text != text:
            try:
                current = json.loads(current_text) if current_text else None
            except ValueError:
                current = None
            changed = stale_values(hb, current, expected)
            tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")  # parallel builds: replace atomically
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(output)
            print(f"{_shown(output)} was out of date with data/ and has been regenerated (as `make rules` does): "
                  + "; ".join(changed[:5]) + (f"; and {len(changed) - 5} more" if len(changed) > 5 else ""),
                  file=sys.stderr)
        return {}
    package = derived_package_folder(out) / output.parent.name
    if package.exists():
        shutil.rmtree(package)
    shutil.copytree(output.parent, package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "tests"))
    (package / output.name).write_text(text, encoding="utf-8")
    return {"HANDBOOK_RULES": str(package / output.name), "HANDBOOK_CALC_PACKAGE": str(package)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handbook.exports.rules_export", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs from what the data gives")
    parser.add_argument("--data", type=Path, default=DATA, help="the data directory (default: data/)")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="the file to write (default: calculators/rules.json)")
    args = parser.parse_args(argv)
    try:
        handbook = load(args.data)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    expected = export(handbook)
    text = render(expected)
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
            try:
                stale = stale_values(handbook, json.loads(current), expected) if current else []
            except ValueError:
                stale = []
            detail = "".join(f"\n  {line}" for line in stale[:10])
            print(f"error: {shown} {what}; regenerate it with `make rules` (python -m handbook.exports.rules_export){detail}",
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
