"""The handbook's own search index: one document per clause (and per section intro), per language.

Written by the MkDocs hook after each language build into ``search/clauses.<hash>.json``. The index
holds text, not terms: the browser's search worker (``overrides/assets/search/``) cuts every field
with the same tokenizer it uses for queries, so the index and a query cannot disagree about what a word
is. Material's own ``search/search_index.json`` is replaced by a stub that keeps Material's search box,
result list and on-page highlighting working and tells our worker where the index is.

    python -m handbook.exports.search_index [zh|en]   # print the documents of one language as JSON
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import date
from pathlib import Path

from handbook.model import timeline
from handbook.model.models import Clause, EditorialNote, Handbook, Part, Section, TableBlock
from handbook.pages.site import UNIT_LABELS

INDEX_DIR = "search"
SEPARATOR = " › "
# Material highlights the matched words on the target page, splitting them with this separator.
HIGHLIGHT_SEPARATOR = r"[\s\-]+"


def _clean(text: str) -> str:
    return " ".join(text.replace("\u200b", " ").split())


def _blocks_text(hb: Handbook, owner_id: str, blocks, lang: str, on: date) -> str:
    """The paragraphs and tables as in force on ``on`` (text in time), figures rendered with that day's values."""
    out = []
    for block in blocks:
        if isinstance(block, TableBlock):
            table = block.table
            out.append(table.caption[lang])
            if table.unit:
                out.append(table.unit[lang])
            for row in [*table.head, *table.body]:
                out.append(" ".join(timeline.wording(hb, owner_id, cell, on, lang) or "" for cell in row))
        else:
            out.append(timeline.wording(hb, owner_id, block, on, lang) or "")
    return _clean(" ".join(out))


def _notes_text(notes: list[EditorialNote], lang: str) -> list[str]:
    return [_clean(n.note[lang]) for n in notes]


def _label(item: Part | Section | Clause, lang: str) -> str:
    """The heading as the page shows it (the model builds it), cleaned for search."""
    return _clean(item.heading(lang))


def _values_text(hb: Handbook, clause: Clause, lang: str, on: date) -> list[str]:
    out = []
    for v in clause.values:
        now = timeline.value_on(hb, v.id, on)
        if now is None:  # repealed: not in the text in force
            continue
        value = timeline.shown(now)
        unit = UNIT_LABELS.get(v.unit, ("", ""))[0 if lang == "zh" else 1]
        out.append(_clean(f"{v.label[lang]} {value} {unit} {v.id}"))  # the page shows the value id too
    return out


def _slug_words(clause_id: str) -> str:
    """The clause id's own slug as words (…requirements.quorum -> quorum): English in both languages."""
    return clause_id.rsplit(".", 1)[-1].replace("-", " ")


def _in_force(hb: Handbook, clause_id: str, on: date) -> bool:
    span = timeline.clause_span(hb, clause_id)
    return span.start <= on and (span.end is None or on <= span.end)


def page_crumb(part: Part, section: Section, lang: str) -> str:
    part_label = _label(part, lang)
    section_label = _label(section, lang)
    if len(part.sections) == 1 and part.title[lang] == section.title[lang]:
        return part_label
    return f"{part_label}{SEPARATOR}{section_label}"


def documents(hb: Handbook, lang: str, on: date | None = None) -> dict:
    """The index of one language: pages, documents and synonym groups (see overrides/assets/search/), with the
    text in force on ``on`` (default: today, the build day); a clause not in force that day is left out."""
    on = on or date.today()
    pages, docs = [], []
    for part in hb.parts:
        for section in part.sections:
            page_index = len(pages)
            crumb = page_crumb(part, section, lang)
            pages.append({"u": hb.page_path(section), "c": crumb})
            docs.append({
                "id": section.id,
                "p": page_index,
                "t": _label(section, lang),
                "c": _label(part, lang),
                "b": _blocks_text(hb, section.id, section.intro, lang, on),
                "x": " ".join(_notes_text(section.notes, lang) + [_slug_words(section.id)]),
            })

            def walk(clause: Clause, parents: list[str], page_index=page_index, crumb=crumb):
                if not _in_force(hb, clause.id, on):
                    return
                label = _label(clause, lang)
                docs.append({
                    "id": clause.id,
                    "p": page_index,
                    "t": label,
                    "c": SEPARATOR.join([crumb, *parents]),
                    "b": _blocks_text(hb, clause.id, clause.body, lang, on),
                    "x": " ".join(_notes_text(clause.notes, lang) + _values_text(hb, clause, lang, on) + [_slug_words(clause.id)]),
                })
                for child in clause.clauses:
                    walk(child, [*parents, label] if clause.title else parents)

            for clause in section.clauses:
                walk(clause, [])
    for doc in docs:  # drop empty fields: smaller file
        for key in ("b", "x"):
            if not doc[key]:
                del doc[key]
    groups = []
    for term in hb.glossary.terms:
        members = [term.zh, term.en, *term.aliases, *term.synonyms.zh, *term.synonyms.en]
        groups.append({"id": term.id, "m": list(dict.fromkeys(members)), "c": term.clauses})
    return {"lang": lang, "pages": pages, "docs": docs, "groups": groups}


def write(site_dir: Path, hb: Handbook, lang: str) -> Path:
    """Write this language's index and Material's stub; return the index path."""
    data = json.dumps(documents(hb, lang), ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(data.encode("utf-8")).hexdigest()[:10]
    folder = Path(site_dir) / INDEX_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("clauses.*.json"):
        old.unlink()
    name = f"clauses.{digest}.json"
    (folder / name).write_text(data, encoding="utf-8")
    stub = {
        "config": {
            "lang": [lang],
            "separator": HIGHLIGHT_SEPARATOR,
            "pipeline": [],
            "fields": {"title": {"boost": 1}, "text": {"boost": 1}},
            "handbook_index": f"{INDEX_DIR}/{name}",
        },
        "docs": [],
    }
    (folder / "search_index.json").write_text(json.dumps(stub, ensure_ascii=False), encoding="utf-8")
    return folder / name


def main(argv=None) -> None:
    from handbook.model.loader import load

    lang = (argv or sys.argv[1:] or ["zh"])[0]
    json.dump(documents(load(), lang), sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
