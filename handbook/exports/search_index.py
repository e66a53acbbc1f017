"""The handbook's own search index: one document per clause (and per section intro), per language.

Written by the MkDocs hook after each language build into ``search/clauses.<hash>.json``. The index
holds text, not terms: the browser's search worker (``overrides/assets/search/``) cuts every field
with the same tokenizer it uses for queries, so the index and a query cannot disagree about what a word
is. Material's own ``search/search_index.json`` is replaced by a stub that keeps Material's search box,
result list and on-page highlighting working and tells our worker where the index is. The index's keys are
declared once, in ``overrides/assets/search/schema.js`` (read here; an index with a key it does not declare
is not written).

    python -m handbook.exports.search_index [zh|en]   # print the documents of one language as JSON
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
from datetime import date
from functools import cache
from pathlib import Path

from handbook.exports.calc_contract import declared_json
from handbook.model import timeline
from handbook.model.models import Clause, EditorialNote, Handbook, Part, Section, TableBlock
from handbook.pages.site import UNIT_LABELS
from handbook.paths import OVERRIDES

SCHEMA_JS = OVERRIDES / "assets" / "search" / "schema.js"
SCHEMA = declared_json(SCHEMA_JS)  # record kind -> {key: meaning}; "flags", "lists"

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


def _label(item: Part | Section | Clause, lang: str, on: date | None = None) -> str:
    """The heading as the page shows it on ``on`` (the model builds it; a heading can be amended), cleaned for search."""
    return _clean(item.heading(lang, on=on))


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


def page_crumb(part: Part, section: Section, lang: str, on: date | None = None) -> str:
    part_label = _label(part, lang, on)
    section_label = _label(section, lang, on)
    if len(part.sections) == 1 and part.title_on(lang, on) == section.title_on(lang, on):
        return part_label
    return f"{part_label}{SEPARATOR}{section_label}"


def documents(hb: Handbook, lang: str, on: date | None = None) -> dict:
    """The index of one language: pages, documents and synonym groups (see overrides/assets/search/), with the
    text in force on ``on`` (default: today, the build day); a clause not in force that day is left out."""
    on = on or timeline.build_day()
    pages, docs = [], []
    for part in hb.parts:
        for section in part.sections:
            page_index = len(pages)
            crumb = page_crumb(part, section, lang, on)
            pages.append({"u": hb.page_path(section), "c": crumb})
            docs.append({
                "id": section.id,
                "p": page_index,
                "t": _label(section, lang, on),
                "c": _label(part, lang, on),
                "b": _blocks_text(hb, section.id, section.intro, lang, on),
                "x": " ".join(_notes_text(section.notes, lang) + [_slug_words(section.id)]),
            })

            def walk(clause: Clause, parents: list[str], page_index=page_index, crumb=crumb):
                if not _in_force(hb, clause.id, on):
                    return
                label = _label(clause, lang, on)
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
    flags = _flags(hb, on)
    for doc in docs:
        if flags.get(doc["id"]):
            doc["f"] = flags[doc["id"]]
    groups = []
    for term in hb.glossary.terms:
        members = [term.zh, term.en, *term.aliases, *term.synonyms.zh, *term.synonyms.en]
        groups.append({"id": term.id, "m": list(dict.fromkeys(members)), "c": term.clauses})
    vocab = hb.search
    if vocab:
        for i, entry in enumerate(vocab.everyday):
            members = [*entry.words.zh, *entry.words.en, *getattr(entry.means, lang)]
            groups.append({"id": f"everyday-{i}", "m": list(dict.fromkeys(members)), "c": []})
    out = {"lang": lang, "pages": pages, "docs": docs, "groups": groups, "calcs": _calculators(hb, lang)}
    if vocab:
        out["fn"] = [*vocab.function_words.zh, *vocab.function_words.en]
        out["intents"] = [{"id": i.id, "w": [*i.zh, *i.en], "f": FLAG[i.favours]} for i in vocab.intents]
    if lang == "zh":
        out["words"] = " ".join(_words(hb, docs, groups))
    return out


def sounds(index: dict) -> str | None:
    """The characters-by-sound table for an index (Chinese only): its own file, fetched only when a query
    holds a stretch that is no word of the index (a possible typing slip), so the index stays small."""
    if not index.get("words"):
        return None
    return _sounds(index["words"] + "".join(d.get("b", "") + d["t"] for d in index["docs"]))


# A document's flags ("f"): what kind of answer the clause holds (data/search.yaml's intents favour them).
FLAG: dict[str, int] = SCHEMA["flags"]


def undeclared(index: dict, kind: str = "index") -> list[str]:
    """The keys of an index (or of a ``kind`` of record, e.g. "sounds") that schema.js does not declare, as
    "kind.key"."""
    out = [f"{kind}.{k}" for k in index if k not in SCHEMA[kind]]
    if kind == "index":
        for key, item_kind in SCHEMA["lists"].items():
            out += [f"{item_kind}.{k}" for item in index.get(key, []) for k in item if k not in SCHEMA[item_kind]]
    return sorted(set(out))


def _checked(record: dict, kind: str) -> dict:
    if bad := undeclared(record, kind):
        raise ValueError(f"search index: {', '.join(bad)} not declared in {SCHEMA_JS.relative_to(OVERRIDES.parent)}")
    return record


def _flags(hb: Handbook, on: date) -> dict[str, int]:
    """Each clause's flags, from its text in force on ``on`` (the index's day)."""
    marks = [m for i in (hb.search.intents if hb.search else []) for m in i.marks]
    out = {}
    for cid, clause in hb.clauses.items():
        f = 0
        if clause.values or any(isinstance(b, TableBlock) for b in clause.body):
            f |= FLAG["values"]
        if any(m in _blocks_text(hb, cid, clause.body, "zh", on) for m in marks):
            f |= FLAG["approval"]
        out[cid] = f
    return out


def _calculators(hb: Handbook, lang: str) -> list[dict]:
    """Each calculator with the clauses it computes (the clause ids its module names)."""
    from calculators import CALCULATORS

    out = []
    for name, module in CALCULATORS.items():
        ids = [v for k, v in vars(module).items() if isinstance(v, str) and v in hb.clauses and k.isupper()]
        out.append({"u": f"calculators/{name}/", "t": module.TITLE[lang], "c": list(dict.fromkeys(ids))})
    return out


HAN_WORD = re.compile(r"^[\u3400-\u9fff]{2,}$")


def _words(hb: Handbook, docs: list[dict], groups: list[dict]) -> list[str]:
    """The Chinese words of the index (jieba's dictionary words that occur in it, the glossary's and
    search.yaml's): the search cuts a query into them, and compares a slip's sound with theirs."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    words = set()
    for doc in docs:
        for key in ("t", "c", "b", "x"):
            for run in re.findall(r"[\u3400-\u9fff]+", doc.get(key, "")):
                words.update(w for w in jieba.cut(run, HMM=False) if HAN_WORD.match(w))
    for group in groups:
        words.update(w for w in group["m"] if HAN_WORD.match(w))
    if hb.search:
        words.update(w for w in hb.search.function_words.zh if HAN_WORD.match(w))
    return sorted(words)


@cache
def _common_characters() -> str:
    """GB 2312's level-1 characters (3,755 in common use): what an input method offers for a sound."""
    out = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                out.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(out)


def _sounds(text: str) -> str:
    """Characters by sound, without tones (ü as u), as an input method groups them: "bao报保包…|xiao消销…".
    The common characters and every character of the index; a character of the index with several readings is
    under each (a slip is typed with the common reading: only that one for the others)."""
    from pypinyin import Style, pinyin

    by: dict[str, list[str]] = {}
    own = set(re.findall(r"[\u3400-\u9fff]", text))
    for ch in dict.fromkeys(_common_characters() + "".join(sorted(own))):
        readings = pinyin(ch, style=Style.NORMAL, heteronym=ch in own)[0]
        for reading in dict.fromkeys(readings[:3]):
            reading = reading.replace("ü", "u").replace("v", "u")
            if reading.isascii() and reading.isalpha():
                by.setdefault(reading, []).append(ch)
    return "|".join(k + "".join(v) for k, v in sorted(by.items()))


def write(site_dir: Path, hb: Handbook, lang: str) -> Path:
    """Write this language's index (and its sounds table) and Material's stub; return the index path."""
    index = documents(hb, lang)
    folder = Path(site_dir) / INDEX_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("clauses.*.json"), *folder.glob("sounds.*.json")]:
        old.unlink()
    table = sounds(index)
    if table:
        text = json.dumps(_checked({"sounds": table}, "sounds"), ensure_ascii=False, separators=(",", ":"))
        index["sounds_file"] = f"sounds.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}.json"
        (folder / index["sounds_file"]).write_text(text, encoding="utf-8")
    data = json.dumps(_checked(index, "index"), ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(data.encode("utf-8")).hexdigest()[:10]
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
