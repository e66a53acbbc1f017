"""Rules in time: each value's dated versions, their checks, the list of changes.

A value (``handbook.model.models.Value``) has a first version (``value``, ``effective_from``, ``source``,
both defaulting to the regulation: ``source.yaml``'s ``effective_from`` and the clause that states
the value), later ``amendments`` and perhaps a ``repealed`` date. :func:`versions` resolves them
into a list of :class:`Version` with both ends; :func:`check` rejects what cannot be (a value of the
wrong kind or out of range, dates before the regulation's own, overlaps, gaps, out-of-order
thresholds) with file, line and reason; :func:`changes` lists every dated change, newest first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from handbook.model.yamlfile import DataErrors, unique_ids
from handbook.model.models import FIGURE_STYLES, PLACEHOLDER, Bilingual, Clause, Source, StandardTable, Value, ValueSource, kind_problem

if TYPE_CHECKING:  # pragma: no cover
    from handbook.model.models import Handbook
    from handbook.model.yamlfile import YamlDoc


def build_day() -> date:
    """The day the site is built for: pages, search and the feed show what is in force on it (one declaration;
    tests move it by patching this module's ``date``)."""
    return date.today()

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Version:
    """One value of a rule and the days it is in force (``effective_to`` inclusive; None: open)."""

    value: Decimal | list[str] | str
    effective_from: date
    effective_to: date | None
    source: ValueSource
    loc: tuple  # where inside the value it is declared: () for the first version, ("amendments", i)

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


def baseline_source(source: Source, clause: Clause) -> ValueSource:
    """The default source of a value's first version: the regulation, the clause that states it."""
    return ValueSource(document=source.title, clause_id=clause.id)


def versions(value: Value, clause: Clause, source: Source) -> list[Version]:
    """The value's versions, oldest first, each with both ends resolved (unchecked: see :func:`check`)."""
    raw = [(value.value, value.effective_from or source.effective_from, value.effective_to,
            value.source or baseline_source(source, clause), ())]
    raw += [(a.value, a.effective_from, a.effective_to, a.source, ("amendments", i))
            for i, a in enumerate(value.amendments)]
    out = []
    for k, (v, start, end, src, loc) in enumerate(raw):
        if end is None:
            if k + 1 < len(raw):
                end = raw[k + 1][1] - ONE_DAY
            elif value.repealed is not None:
                end = value.repealed.effective_from - ONE_DAY
        out.append(Version(v, start, end, src, loc))
    return out


def _shape(v) -> str:
    return "list" if isinstance(v, list) else "fraction" if isinstance(v, str) else "number"


def check(hb: "Handbook", docs: dict[str, "YamlDoc"]) -> None:
    """Every value's kind, range, history and order against other values; DataError on the first problem."""
    start = hb.source.effective_from
    if start < hb.source.published:
        raise docs["source"].error(("effective_from",), f"the regulation cannot take effect ({start}) before it was published ({hb.source.published})")
    histories: dict[str, list[Version]] = {}
    for vid, (value, clause) in hb.values.items():
        where = hb.origin[vid]
        doc = docs[str(where.file)]
        base = where.loc

        def fail(loc: tuple, reason: str):
            return doc.error(base + loc, f"value {vid!r}: {reason}")  # noqa: B023 - used within the iteration

        explicit_end = [value.effective_to] + [a.effective_to for a in value.amendments]
        history = versions(value, clause, hb.source)
        for k, ver in enumerate(history):
            field = ver.loc + ("value",)
            problem = kind_problem(value.kind, ver.value)
            if problem:
                raise fail(field, problem + f" ({value.unit} is a {value.kind})")
            if _shape(ver.value) != _shape(value.value):
                raise fail(field, f"an amendment must be a {_shape(value.value)} like the first value")
            if ver.effective_from < start:
                raise fail(ver.loc + ("effective_from",),
                           f"{ver.effective_from} is before the regulation's own date {start} (source.yaml effective_from)")
            if k:
                prev, prev_end = history[k - 1], explicit_end[k - 1]
                if ver.effective_from <= prev.effective_from or (prev_end is not None and ver.effective_from <= prev_end):
                    raise fail(ver.loc + ("effective_from",),
                               f"overlaps the version before it ({prev.effective_from} to {prev.effective_to}): "
                               f"amendments are listed oldest first and start after the previous one ends")
                if prev_end is not None and ver.effective_from > prev_end + ONE_DAY:
                    raise fail(ver.loc + ("effective_from",),
                               f"leaves a gap after the version before it, which ends {prev_end}: "
                               f"say when it was repealed instead, or start on {prev_end + ONE_DAY}")
            if explicit_end[k] is not None and explicit_end[k] < ver.effective_from:
                raise fail(ver.loc + ("effective_to",), f"it ends ({explicit_end[k]}) before it starts ({ver.effective_from})")
            if ver.source.clause_id is not None and ver.source.clause_id not in hb.section_of:
                raise fail(ver.loc + ("source", "clause_id"), f"reference to unknown clause {ver.source.clause_id!r}")
        if value.repealed is not None:
            last, last_end = history[-1], explicit_end[-1]
            day = value.repealed.effective_from
            if day <= last.effective_from:
                raise fail(("repealed", "effective_from"), f"the repeal ({day}) is not after the last version starts ({last.effective_from})")
            if last_end is not None and day != last_end + ONE_DAY:
                raise fail(("repealed", "effective_from"), f"the repeal ({day}) does not follow the last version's end ({last_end})")
        histories[vid] = history
    _check_order(hb, docs, histories)


def _check_order(hb: "Handbook", docs, histories: dict[str, list[Version]]) -> None:
    """greater_than / less_than / sum_of hold on every day any of the values involved changes."""
    for vid, (value, _clause) in hb.values.items():
        relations = [("greater_than", [value.greater_than]), ("less_than", [value.less_than]), ("sum_of", value.sum_of)]
        for name, others in relations:
            others = [o for o in others if o]
            if not others:
                continue
            where = hb.origin[vid]
            doc = docs[str(where.file)]
            loc = where.loc + (name,)
            for other in others:
                if other not in hb.values:
                    raise doc.error(loc, f"value {vid!r}: {name} names unknown value {other!r}")
                if hb.values[other][0].unit != value.unit:
                    raise doc.error(loc, f"value {vid!r}: {name} compares {value.unit} with {hb.values[other][0].unit} ({other!r})")
            days = sorted({v.effective_from for i in [vid, *others] for v in histories[i]})
            for day in days:
                now = {i: next((v.value for v in histories[i] if v.in_force(day)), None) for i in [vid, *others]}
                if any(x is None for x in now.values()):
                    continue
                mine = now[vid]
                if name == "greater_than" and not mine > now[others[0]]:
                    raise doc.error(loc, f"value {vid!r} ({mine}) must be greater than {others[0]!r} ({now[others[0]]}) on {day}")
                if name == "less_than" and not mine < now[others[0]]:
                    raise doc.error(loc, f"value {vid!r} ({mine}) must be less than {others[0]!r} ({now[others[0]]}) on {day}")
                if name == "sum_of" and mine != sum(now[o] for o in others):
                    parts = " + ".join(f"{now[o]}" for o in others)
                    raise doc.error(loc, f"value {vid!r} ({mine}) must be the sum of {', '.join(others)} ({parts}) on {day}")


def check_standards(hb: "Handbook", doc: "YamlDoc", tables: list[StandardTable]) -> None:
    """Each table: a known citing clause, known key names and values, in-range figures, no overlapping rows."""
    if duplicates := unique_ids(doc, [t.id for t in tables], ("tables",), "standards table id"):
        raise DataErrors(duplicates)
    for t, table in enumerate(tables):
        tloc = ("tables", t)
        if table.cited_by not in hb.section_of:
            raise doc.error(tloc + ("cited_by",), f"reference to unknown clause {table.cited_by!r}")
        kind = table.kind
        names = [k.name for k in table.keys]
        if len(set(names)) != len(names):
            raise doc.error(tloc + ("keys",), "a key is named twice")
        spans: dict[tuple, list[tuple[date, date | None, int]]] = {}
        for r, row in enumerate(table.rows):
            rloc = tloc + ("rows", r)
            if set(row.keys) != set(names):
                raise doc.error(rloc + ("keys",), f"a row names the keys {', '.join(names)} (got {', '.join(row.keys) or 'none'})")
            for key in table.keys:
                got = row.keys[key.name]
                if not got.strip():
                    raise doc.error(rloc + ("keys", key.name), f"'{key.name}' is empty")
                if key.values and got not in key.values:
                    raise doc.error(rloc + ("keys", key.name), f"unknown {key.name} {got!r}; known: {', '.join(key.values)}")
            problem = kind_problem(kind, row.value)
            if problem:
                raise doc.error(rloc + ("value",), problem)
            if row.effective_to is not None and row.effective_to < row.effective_from:
                raise doc.error(rloc + ("effective_to",), f"it ends ({row.effective_to}) before it starts ({row.effective_from})")
            key = tuple(row.keys[n] for n in names)
            for start, end, other in spans.get(key, []):
                if (end is None or row.effective_from <= end) and (row.effective_to is None or start <= row.effective_to):
                    raise doc.error(rloc + ("effective_from",), f"overlaps rows[{other}] for the same {', '.join(names)}: give the older row an effective_to")
            spans.setdefault(key, []).append((row.effective_from, row.effective_to, r))


# --------------------------------------------------------------------------- changes


@dataclass(frozen=True)
class Change:
    """One dated change of one value: it took effect (baseline or new), was amended, or was repealed."""

    day: date
    what: str  # "baseline" | "new" | "amended" | "repealed"
    value_id: str
    clause_id: str
    label: Bilingual
    unit: str
    old: Decimal | list[str] | str | None
    new: Decimal | list[str] | str | None
    source: ValueSource
    kind: str = "value"


def changes(hb: "Handbook") -> list[Change]:
    """Every dated change of every value, newest first (within a day: in the data's order)."""
    out: list[Change] = []
    for vid, (value, clause) in hb.values.items():
        history = versions(value, clause, hb.source)
        for k, ver in enumerate(history):
            if k == 0:
                what = "baseline" if ver.effective_from == hb.source.effective_from else "new"
                old = None
            else:
                what, old = "amended", history[k - 1].value
            out.append(Change(ver.effective_from, what, vid, clause.id, value.label, value.unit, old, ver.value, ver.source))
        if value.repealed is not None:
            out.append(Change(value.repealed.effective_from, "repealed", vid, clause.id, value.label, value.unit,
                              history[-1].value, None, value.repealed.source))
    order = {c.value_id: i for i, c in enumerate(out)}
    return sorted(out, key=lambda c: (-c.day.toordinal(), order[c.value_id]))


def in_force_since(hb: "Handbook", section_id: str, on: date | None = None) -> date:
    """The newest day (not after ``on``, default today) any value or text of the section changed; else the
    regulation's date."""
    on = on or build_day()
    days = [c.day for c in all_changes(hb) if c.day <= on and hb.section_of[c.clause_id].id == section_id]
    return max(days, default=hb.source.effective_from)


def value_on(hb: "Handbook", value_id: str, on: date | None = None):
    """The value ``value_id`` in force on ``on`` (default today), or None when it is not in force."""
    value, clause = hb.values[value_id]
    day = on or build_day()
    return next((v.value for v in versions(value, clause, hb.source) if v.in_force(day)), None)


def section_changes(hb: "Handbook", section_id: str) -> list:
    """The section's changes after the baseline (amended, new or repealed values and texts), newest first."""
    return [c for c in all_changes(hb) if c.what != "baseline" and hb.section_of[c.clause_id].id == section_id]


def shown(value) -> str:
    """A value as a reader sees it: 100, 0.5, 2/3, economy, second."""
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def site_globals(hb: "Handbook", today: date | None = None) -> dict:
    """What the page templates use (handbook/pages/site.py adds these to its Jinja globals)."""
    today = today or build_day()
    return {
        "today": today,
        "shown": shown,
        "in_force_since": lambda section_id: in_force_since(hb, section_id, today),
        "section_changes": lambda section_id: section_changes(hb, section_id),
        "value_now": lambda value_id: value_on(hb, value_id, today),
    }


# --------------------------------------------------------------------------- text in time

# {value:<value id>} in a clause's text, a table cell or a quote: the value's figure on the day shown
# (the same placeholder as the question bank's, declared once in models.PLACEHOLDER)
FIGURE = re.compile(r"(?<![0-9.])([0-9]+(?:\.[0-9]+)?)(?![0-9]|\.[0-9])")


@dataclass(frozen=True)
class TextVersion:
    """One wording of a paragraph, a table cell or a quote and the days it is in force (``effective_to`` inclusive)."""

    zh: str
    en: str
    effective_from: date
    effective_to: date | None
    source: ValueSource
    loc: tuple  # () for the first version, ("amendments", i)
    first: bool  # the first version (from the seed, or the text a later clause was added with)

    def __getitem__(self, lang: str) -> str:
        return getattr(self, lang)

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class Span:
    """When a clause is in force and who set it: its own dates, else its parent's, else the regulation's."""

    start: date
    end: date | None  # the last day (inclusive), None: open
    source: ValueSource
    added: bool = False  # added after the regulation (it, or a clause it belongs to, has its own effective_from)


def _once(hb: "Handbook", key: tuple, make):
    """``make()``, worked out once per handbook (``Handbook.derived``)."""
    known = hb.derived.get(key)
    if known is None:
        known = hb.derived[key] = make()
    return known


def clause_span(hb: "Handbook", clause_id: str) -> Span:
    """The days the clause (or section) is in force and the document that set it."""
    return _once(hb, ("span", clause_id), lambda: _span(hb, clause_id))


def _span(hb: "Handbook", clause_id: str) -> Span:
    clause = hb.clauses.get(clause_id)
    if clause is None:  # a section: the regulation's
        return Span(hb.source.effective_from, None, ValueSource(document=hb.source.title, clause_id=clause_id))
    parent = clause_span(hb, clause_id.rsplit(".", 1)[0])
    start = clause.effective_from or parent.start
    end = parent.end
    if clause.repealed is not None:
        mine = clause.repealed.effective_from - ONE_DAY
        end = mine if end is None else min(end, mine)
    added = clause.effective_from is not None or parent.added
    source = clause.source or (parent.source if parent.added else ValueSource(document=hb.source.title, clause_id=clause_id))
    return Span(start, end, source, added)


def text_versions(item, span: Span) -> list[TextVersion]:
    """The wordings of ``item`` (a Paragraph, Cell or Quote) oldest first, each with both ends (unchecked)."""
    start = getattr(item, "effective_from", None) or span.start
    source = getattr(item, "source", None) or span.source
    raw = [(item.zh, item.en, start, source, ())]
    raw += [(a.zh, a.en, a.effective_from, a.source, ("amendments", i)) for i, a in enumerate(item.amendments)]
    repealed = getattr(item, "repealed", None)
    last = span.end
    if repealed is not None:
        mine = repealed.effective_from - ONE_DAY
        last = mine if last is None else min(last, mine)
    out = []
    for k, (zh, en, begin, src, loc) in enumerate(raw):
        end = raw[k + 1][2] - ONE_DAY if k + 1 < len(raw) else last
        out.append(TextVersion(zh, en, begin, end, src, loc, k == 0))
    return out


def text_on(item, span: Span, on: date) -> TextVersion | None:
    """The wording of ``item`` in force on ``on`` (None: not in force that day)."""
    return next((v for v in text_versions(item, span) if v.in_force(on)), None)


def heading_on(title, on: date, lang: str) -> str:
    """A clause's or section's title (``models.Heading``) as worded on ``on``: the newest amendment in force, else the
    first wording (a heading stays while its clause does; before a clause is added, its first wording)."""
    text = title[lang]
    for later in getattr(title, "amendments", ()):
        if later.effective_from <= on:
            text = later[lang]
    return text


def refs(text: str) -> list[str]:
    """The value ids a text refers to (``{value:<id>}``)."""
    return [m.group("value") for m in PLACEHOLDER.finditer(text) if m.group("value")]


def render(hb: "Handbook", text: str, on: date, figure=None) -> str:
    """``text`` with each ``{value:<id>}`` replaced by the value's figure in force on ``on``
    (``figure(value_id, shown_text)`` may wrap it, e.g. in markup)."""

    def repl(m: re.Match) -> str:
        vid = m.group("value")
        if vid is None:
            return m.group(0)
        now = value_on(hb, vid, on)
        text = "—" if now is None else styled(shown(now), m.group("style"))
        return figure(vid, text) if figure else text

    return PLACEHOLDER.sub(repl, text)


def styled(figure: str, style: str | None) -> str:
    """A figure in the style its text writes it (calculators.wording.figure: 1, 一, 两, one)."""
    from calculators.wording import figure as words

    return words(figure, style)


def first_render(hb: "Handbook", text: str) -> str:
    """``text`` with each reference as its value's first version (the figure the seed writes)."""

    def repl(m: re.Match) -> str:
        vid = m.group("value")
        return styled(shown(hb.values[vid][0].value), m.group("style")) if vid else m.group(0)

    return PLACEHOLDER.sub(repl, text)


def seed_figures(clause: Clause, text: str) -> str:
    """``text`` of ``clause`` with each reference as the first version of the clause's own value (the seed's figure)."""
    first = {v.id: shown(v.value) for v in clause.values}
    return PLACEHOLDER.sub(lambda m: styled(first[m.group("value")], m.group("style")) if m.group("value") in first
                           else m.group(0), text)


def versioned_texts(hb: "Handbook", within: str | None = None):
    """Every versioned text with where it is: (owner id, item, span, loc of the item inside its owner,
    kind) for each section's and clause's heading (kind "title"), each paragraph of a section intro or clause body,
    each table's caption and unit line, each table cell and each quote. ``within``: only those of the section that
    holds that clause or section (a caller that wants one owner's texts need not walk the whole regulation)."""
    for section in (hb.sections if within is None else [hb.section_of[within]]):
        span = clause_span(hb, section.id)
        yield section.id, section.title, span, ("title",), "title"
        for i, block in enumerate(section.intro):
            if hasattr(block, "zh"):
                yield section.id, block, span, ("intro", i), "paragraph"
        for clause in section.walk():
            cspan = clause_span(hb, clause.id)
            if clause.title is not None:
                yield clause.id, clause.title, cspan, ("title",), "title"
            for i, block in enumerate(clause.body):
                if hasattr(block, "zh"):
                    yield clause.id, block, cspan, ("body", i), "paragraph"
                else:
                    tb = block.table
                    yield clause.id, tb.caption, cspan, ("body", i, "table", "caption"), "caption"
                    if tb.unit is not None:
                        yield clause.id, tb.unit, cspan, ("body", i, "table", "unit"), "unit"
                    for part in ("head", "body"):
                        for r, row in enumerate(getattr(tb, part)):
                            for k, cell in enumerate(row):
                                yield clause.id, cell, cspan, ("body", i, "table", part, r, k), "cell"
            for i, quote in enumerate(clause.quotes):
                yield clause.id, quote, cspan, ("quotes", i), "quote"


def wording(hb: "Handbook", owner_id: str, item, on: date, lang: str) -> str | None:
    """What a paragraph, cell or quote of ``owner_id`` (a clause or section) says on ``on``, figures rendered with
    the values in force that day; None when it is not in force. The one question pages, search and exports ask."""
    ver = text_on(item, clause_span(hb, owner_id), on)
    return None if ver is None else render(hb, ver[lang], on)


def clause_text_on(hb: "Handbook", clause, on: date, lang: str = "zh") -> str:
    """The clause's own text (paragraphs and cells, figures rendered) in force on ``on``, one string."""
    span = clause_span(hb, clause.id)
    out = []
    for block in clause.body:
        items = [block] if hasattr(block, "zh") else [c for row in block.table.head + block.table.body for c in row]
        for item in items:
            ver = text_on(item, span, on)
            if ver is not None:
                out.append(render(hb, ver[lang], on))
    return "\n".join(out)


def check_texts(hb: "Handbook", docs: dict[str, "YamlDoc"], data_dir) -> None:
    """Text in time: each version's dates, source document and references; no literal copy of a value's figure in
    its own clause; quotes verbatim from their clause. DataError with file and line."""
    from pathlib import Path

    start = hb.source.effective_from
    for cid, clause in hb.clauses.items():
        where = hb.origin[cid]
        if (clause.effective_from is None) != (clause.source is None):
            raise docs[str(where.file)].error(where.loc + ("effective_from" if clause.effective_from is None else "source",),
                                              "a clause added after the regulation states both effective_from and source "
                                              "(the document that added it)")
        span = clause_span(hb, cid)
        if span.end is not None and span.end < span.start:
            raise docs[str(where.file)].error(where.loc + ("repealed", "effective_from"),
                                              f"the repeal ({span.end + ONE_DAY}) is not after the clause takes effect ({span.start})")
        if clause.effective_from is not None and clause.effective_from < start:
            raise docs[str(where.file)].error(where.loc + ("effective_from",),
                                              f"{clause.effective_from} is before the regulation's own date {start}")
    for owner_id, item, span, loc, kind in versioned_texts(hb):
        where = hb.origin[owner_id]
        doc = docs[str(where.file)]
        base = where.loc + loc
        history = text_versions(item, span)
        for k, ver in enumerate(history):
            vloc = base + ver.loc
            if ver.effective_from < start:
                raise doc.error(vloc + ("effective_from",),
                                f"{ver.effective_from} is before the regulation's own date {start} (source.yaml effective_from)")
            if k and ver.effective_from <= history[k - 1].effective_from:
                raise doc.error(vloc + ("effective_from",),
                                f"amendments are listed oldest first: {ver.effective_from} is not after "
                                f"{history[k - 1].effective_from}, the version before it")
            if span.end is not None and ver.effective_from > span.end:
                raise doc.error(vloc + ("effective_from",), f"the clause is repealed from {span.end + ONE_DAY}")
            if not ver.first or span.added or getattr(item, "effective_from", None) is not None:
                if ver.source.file is None and (ver.source.document != hb.source.title):
                    raise doc.error(vloc + ("source",),
                                    "a wording from a later document names its text: source.file, a file under "
                                    "data/source/ (the coverage test checks the wording against it)")
            if ver.source.file is not None and not (Path(data_dir) / "source" / ver.source.file).is_file():
                raise doc.error(vloc + ("source", "file"),
                                f"the document's text {ver.source.file!r} is not in data/source/: add it there")
            for lang in ("zh", "en"):
                if kind == "title" and PLACEHOLDER.search(ver[lang]):
                    raise doc.error(vloc + (lang,), "a heading is plain text: write its figure as the document does, "
                                                    "not as {value:<id>} (nav, contents and search show it as written)")
                for m in PLACEHOLDER.finditer(ver[lang]):
                    if m.group("style") is not None and m.group("style") not in FIGURE_STYLES:
                        raise doc.error(vloc + (lang,), f"{{value:{m.group('value')}|{m.group('style')}}}: unknown style "
                                                        f"{m.group('style')!r}; styles are {', '.join(FIGURE_STYLES)}")
                for vid in refs(ver[lang]):
                    if vid not in hb.values:
                        raise doc.error(vloc + (lang,), f"{{value:{vid}}} names unknown value {vid!r}")
                    if owner_id not in hb.clauses or hb.values[vid][1].id != owner_id:
                        raise doc.error(vloc + (lang,), f"{{value:{vid}}}: a text refers only to the values its own clause "
                                                        f"states ({vid!r} is stated by {hb.values[vid][1].id!r})")
                    if value_on(hb, vid, ver.effective_from) is None:
                        raise doc.error(vloc + (lang,), f"{{value:{vid}}} is not in force on {ver.effective_from}, "
                                                        f"when this wording takes effect")
            if "{answer}" in ver.zh or "{answer}" in ver.en:
                raise doc.error(vloc, "{answer} belongs to the question bank, not to the regulation's text")
        repealed = getattr(item, "repealed", None)
        if repealed is not None and repealed.effective_from <= history[0].effective_from:
            raise doc.error(base + ("repealed", "effective_from"),
                            f"the repeal ({repealed.effective_from}) is not after the text takes effect ({history[0].effective_from})")
        if kind == "quote":
            clause = hb.clauses[owner_id]
            days = _change_days_of(hb, clause)
            for ver in history:
                for day in [ver.effective_from] + [d for d in days if ver.in_force(d) and d != ver.effective_from]:
                    for lang in ("zh", "en"):
                        said = render(hb, ver[lang], day)
                        text = clause_text_on(hb, clause, day, lang)
                        if said not in text:
                            raise doc.error(base + ver.loc + (lang,),
                                            f"the quote {said!r} is not verbatim in the clause's text in force on {day}: "
                                            f"quote the clause, or amend the quote from the day the clause changed")
    _check_literal_figures(hb, docs)
    _check_glossary_figures(hb, docs)


def term_values(hb: "Handbook", term) -> dict[str, str]:
    """The values a glossary term's clauses (or sections, with their clauses) state: id -> the clause stating it."""
    refs = tuple(term.clauses)
    return {vid: clause.id for vid, (_value, clause) in hb.values.items()
            if clause.id in refs or clause.id.startswith(tuple(r + "." for r in refs))}


def _check_glossary_figures(hb: "Handbook", docs) -> None:
    """A glossary definition writes a figure of its clauses' values as ``{value:<id>}`` (so an amendment reaches it),
    never copied, and refers only to values of the clauses it lists."""
    doc = docs.get("glossary")
    if doc is None:
        return
    for i, term in enumerate(hb.glossary.terms):
        own = term_values(hb, term)
        figures: dict[str, str] = {}
        for vid in own:
            value, clause = hb.values[vid]
            for ver in versions(value, clause, hb.source):
                if not isinstance(ver.value, list) and FIGURE.fullmatch(shown(ver.value)):
                    figures.setdefault(shown(ver.value), vid)
        allowed = {lit.figure for lit in term.literal_figures}
        for lang in ("zh", "en"):
            text = term.definition[lang]
            loc = ("terms", i, "definition", lang)
            for m in PLACEHOLDER.finditer(text):
                vid = m.group("value")
                if vid is not None and vid not in own:
                    where = "no value of that id" if vid not in hb.values else f"stated by {hb.values[vid][1].id!r}"
                    raise doc.error(loc, f"{{value:{vid}}} is not a value of the clauses this term lists ({where}): "
                                         f"add its clause to the term's clauses, or write the figure's own value")
            for m in FIGURE.finditer(PLACEHOLDER.sub(" ", text)):
                fig = m.group(1)
                if fig in figures and fig not in allowed:
                    vid = figures[fig]
                    raise doc.error(loc, f"the figure {fig} is written literally, but it is the value {vid!r} of a clause "
                                         f"this term lists ({own[vid]}): write {{value:{vid}}} so the definition shows the "
                                         f"figure in force (hint: if this {fig} is not that value, list it under the term's "
                                         f"literal_figures with a reason)")


def definition(hb: "Handbook", term, lang: str, on: date) -> str:
    """A glossary term's definition in ``lang`` with its figures as in force on ``on``."""
    return render(hb, term.definition[lang], on)


def _change_days_of(hb: "Handbook", clause) -> list[date]:
    """Every day the clause's text or one of its values changes."""
    days = set()
    for owner_id, item, span, _loc, kind in versioned_texts(hb, within=clause.id):
        if owner_id == clause.id and kind != "quote":
            days |= {v.effective_from for v in text_versions(item, span)}
    for value in clause.values:
        days |= {v.effective_from for v in versions(value, clause, hb.source)}
    return sorted(days)


def _check_literal_figures(hb: "Handbook", docs) -> None:
    """A figure a clause's values state is written as ``{value:<id>}`` in that clause's text, never copied."""
    for clause in hb.clauses.values():
        if not clause.values:
            continue
        figures: dict[str, str] = {}
        for value in clause.values:
            for ver in versions(value, clause, hb.source):
                if not isinstance(ver.value, list) and FIGURE.fullmatch(shown(ver.value)):
                    figures.setdefault(shown(ver.value), value.id)
        allowed = {lit.figure for lit in clause.literal_figures}
        where = hb.origin[clause.id]
        doc = docs[str(where.file)]
        for owner_id, item, span, loc, kind in versioned_texts(hb, within=clause.id):
            if owner_id != clause.id or kind in ("quote", "title"):  # a heading is plain text (check_texts)
                continue
            for ver in text_versions(item, span):
                for lang in ("zh", "en"):
                    bare = PLACEHOLDER.sub(" ", ver[lang])
                    for m in FIGURE.finditer(bare):
                        fig = m.group(1)
                        if fig in figures and fig not in allowed:
                            vid = figures[fig]
                            raise doc.error(
                                where.loc + loc + ver.loc + (lang,),
                                f"the figure {fig} is written literally, but it is the value {vid!r} this clause states: "
                                f"write {{value:{vid}}} so the text shows the figure in force (hint: if this {fig} is "
                                f"not that value, list it under the clause's literal_figures with a reason)")


@dataclass(frozen=True)
class TextChange:
    """One dated change of the text: a wording amended, a clause or paragraph added, or repealed."""

    day: date
    what: str  # "amended" | "new" | "repealed"
    clause_id: str  # the clause (or section) whose text changed
    old: Bilingual | None  # the earlier wording (figures as in force the day before)
    new: Bilingual | None
    source: ValueSource
    kind: str = "text"
    heading: bool = False  # the clause's (or section's) heading changed, not its text


def text_changes(hb: "Handbook") -> list[TextChange]:
    """Every change of the regulation's text after the regulation itself, newest first (within a day: reading order)."""
    out: list[TextChange] = []
    seen_clauses: set[str] = set()
    for owner_id, item, span, _loc, kind in versioned_texts(hb):
        if kind == "quote":
            continue
        clause = hb.clauses.get(owner_id)
        if clause is not None and owner_id not in seen_clauses:
            seen_clauses.add(owner_id)
            if clause.effective_from is not None:
                out.append(TextChange(clause.effective_from, "new", owner_id, None, None, clause.source))
            if clause.repealed is not None:
                out.append(TextChange(clause.repealed.effective_from, "repealed", owner_id, None, None, clause.repealed.source))
        history = text_versions(item, span)
        for k, ver in enumerate(history):
            def words(v, day):
                return Bilingual(zh=render(hb, v.zh, day), en=render(hb, v.en, day))

            if k:
                prev = history[k - 1]
                out.append(TextChange(ver.effective_from, "amended", owner_id, words(prev, prev.effective_to or ver.effective_from),
                                      words(ver, ver.effective_from), ver.source, heading=kind == "title"))
            elif getattr(item, "effective_from", None) is not None:
                out.append(TextChange(ver.effective_from, "new", owner_id, None, words(ver, ver.effective_from), ver.source))
        repealed = getattr(item, "repealed", None)
        if repealed is not None:
            last = history[-1]
            out.append(TextChange(repealed.effective_from, "repealed", owner_id, words(last, last.effective_from), None, repealed.source))
    order = {id(c): i for i, c in enumerate(out)}
    return sorted(out, key=lambda c: (-c.day.toordinal(), order[id(c)]))


def all_changes(hb: "Handbook") -> list:
    """Value and text changes together, newest first (within a day: text first, then values, each in the data's
    order): the changes page, its Atom feed and each section's list read this (a new list, made once)."""
    return list(_once(hb, ("all_changes",), lambda: _all_changes(hb)))


def _all_changes(hb: "Handbook") -> list:
    merged = [(c.day, 0, i, c) for i, c in enumerate(text_changes(hb))] + [(c.day, 1, i, c) for i, c in enumerate(changes(hb))]
    return [c for _d, _k, _i, c in sorted(merged, key=lambda x: (-x[0].toordinal(), x[1], x[2]))]
