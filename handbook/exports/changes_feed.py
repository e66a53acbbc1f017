"""The changes page as an Atom feed, one per language: ``changes.xml`` at each language's root.

Each entry is one dated change of the text or of a value (handbook/model/timeline.py, ``all_changes``), newest
first, the regulation's own baseline left out but for one entry on its day. Written by the MkDocs hook after each
language build; the page head links it (overrides/main.html).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from handbook.model import timeline
from handbook.model.models import Handbook
from handbook.pages.site import UNIT_LABELS
from handbook.pages.training import cite_label

FILE = "changes.xml"
WHAT = {"amended": ("修订", "amended"), "new": ("新增", "added"), "repealed": ("废止", "repealed")}


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _entry(hb: Handbook, c, lang: str, base: str, n: int, today: date | None = None) -> str:
    doc = c.source.document[lang] + (f" {c.source.clause[lang]}" if c.source.clause else "")
    where = cite_label(hb, c.clause_id, lang, today)  # headings as worded on the build day
    what = WHAT[c.what][0 if lang == "zh" else 1]
    if c.kind == "text":
        thing = _t(lang, "标题", "Heading") if c.heading else _t(lang, "条文", "Text")  # a clause's heading, or its text
        title = f"{thing}{what}:{where}" if lang == "zh" else f"{thing} {what}: {where}"
        body = "\n".join(x for x in [
            _t(lang, "原文:", "Before: ") + c.old[lang] if c.old else "",
            _t(lang, "现为:", "Now: ") + c.new[lang] if c.new else "",
        ] if x)
        key = f"text/{c.clause_id}"
    else:
        unit = UNIT_LABELS[c.unit][0 if lang == "zh" else 1]
        old = f"{timeline.shown(c.old)} → " if c.old is not None else ""
        new = f"{timeline.shown(c.new)} {unit}" if c.new is not None else ""
        title = _t(lang, f"{what}:{c.label.zh} {old}{new}", f"{what.capitalize()}: {c.label.en} {old}{new}")
        body = where
        key = f"value/{c.value_id}"
    link = f"{base}changes/#changes-{c.day}"
    return (f"<entry><id>tag:ziyang-handbook,{c.day}:{key}/{c.what}/{n}</id><title>{escape(title)}</title>"
            f'<link href="{escape(link)}"/><updated>{c.day}T00:00:00Z</updated>'
            f"<summary>{escape(body + ' (' + doc + ')')}</summary></entry>")


def feed(hb: Handbook, lang: str, base: str, today: date | None = None) -> str:
    """The Atom feed of one language; ``base`` is that language's site URL (ending in /)."""
    today = today or timeline.build_day()
    changes = [c for c in timeline.all_changes(hb) if not (c.kind == "value" and c.what == "baseline")]
    entries = [_entry(hb, c, lang, base, n, today) for n, c in enumerate(changes)]
    start = hb.source.effective_from
    entries.append(
        f"<entry><id>tag:ziyang-handbook,{start}:regulation</id>"
        f"<title>{escape(_t(lang, '制度施行:', 'The regulation takes effect: ') + hb.source.title[lang])}</title>"
        f'<link href="{escape(base)}changes/#changes-{start}"/><updated>{start}T00:00:00Z</updated>'
        f"<summary>{escape(hb.source.issuer[lang])}</summary></entry>")
    newest = max([c.day for c in changes if c.day <= today] + [start])
    title = _t(lang, "资阳市投资促进局制度手册 · 规定变更记录", "Ziyang Investment Promotion Bureau Handbook · Changes to the rules")
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">'
            f"<id>{escape(base)}changes/</id><title>{escape(title)}</title><updated>{newest}T00:00:00Z</updated>"
            f'<link rel="self" href="{escape(base)}{FILE}"/><link href="{escape(base)}changes/"/>'
            f"<author><name>{escape(hb.source.issuer[lang])}</name></author>"
            + "".join(entries) + "</feed>\n")


def write(site_dir: Path, hb: Handbook, lang: str, base: str) -> Path:
    path = Path(site_dir) / FILE
    path.write_text(feed(hb, lang, base), encoding="utf-8")
    return path
