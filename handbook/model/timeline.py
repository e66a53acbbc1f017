"""Rules in time: each value's dated versions, their checks, the list of changes.

A value (``handbook.model.models.Value``) has a first version (``value``, ``effective_from``, ``source``,
both defaulting to the regulation: ``source.yaml``'s ``effective_from`` and the clause that states
the value), later ``amendments`` and perhaps a ``repealed`` date. :func:`versions` resolves them
into a list of :class:`Version` with both ends; :func:`check` rejects what cannot be (a value of the
wrong kind or out of range, dates before the regulation's own, overlaps, gaps, out-of-order
thresholds) with file, line and reason; :func:`changes` lists every dated change, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from handbook.model.models import Bilingual, Clause, Source, StandardTable, Value, ValueSource, kind_problem

if TYPE_CHECKING:  # pragma: no cover
    from handbook.model.models import Handbook
    from handbook.model.yamlfile import YamlDoc

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
    seen: set[str] = set()
    for t, table in enumerate(tables):
        tloc = ("tables", t)
        if table.id in seen:
            raise doc.error(tloc + ("id",), f"duplicate standards table id {table.id!r}")
        seen.add(table.id)
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
    """The newest day (not after ``on``, default today) any value of the section changed; else the regulation's date."""
    on = on or date.today()
    days = [c.day for c in changes(hb) if c.day <= on and hb.section_of[c.clause_id].id == section_id]
    return max(days, default=hb.source.effective_from)


def value_on(hb: "Handbook", value_id: str, on: date | None = None):
    """The value ``value_id`` in force on ``on`` (default today), or None when it is not in force."""
    value, clause = hb.values[value_id]
    day = on or date.today()
    return next((v.value for v in versions(value, clause, hb.source) if v.in_force(day)), None)


def section_changes(hb: "Handbook", section_id: str) -> list[Change]:
    """The section's changes after the baseline (amendments, new values, repeals), newest first."""
    return [c for c in changes(hb) if c.what != "baseline" and hb.section_of[c.clause_id].id == section_id]


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
    today = today or date.today()
    return {
        "today": today,
        "shown": shown,
        "in_force_since": lambda section_id: in_force_since(hb, section_id, today),
        "section_changes": lambda section_id: section_changes(hb, section_id),
        "value_now": lambda value_id: value_on(hb, value_id, today),
    }
