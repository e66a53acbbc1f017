"""The rates, limits and thresholds the calculators use, read from ``rules.json``.

``rules.json`` sits next to this module.  It is generated from ``data/`` by
``python -m handbook.exports.rules_export`` (``make rules``) so that the engine runs without PyYAML,
in the browser too; a test fails when it is out of date.  No number a rule states is typed
in the calculators' code: they ask :func:`value` for it by the value's id, and
:func:`cite` tells where the handbook states it.

Rules in time: every value has a first version (``effective_from``, ``source``) and may have later
``amendments`` or a ``repealed`` date.  Inside ``with in_force(day):`` :func:`value`, :func:`rate`,
:func:`classes` and :func:`standard` answer with what was in force on ``day`` (outside it, or with
``None``: today); :func:`as_of` names that rules version.  :func:`standard` reads the tables the
regulation cites but does not contain (``data/standards.yaml``), :func:`attachments` what a claim
under a clause must attach.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date as Date
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from .errors import RULES, CalcError

FILE = "rules.json"
RULES_ENV = "HANDBOOK_RULES"  # path of another rules.json to read instead (set by handbook.build for other data)
DATE_FIELD = "date"  # the field of an error about the day the rules are asked for

_rules: dict | None = None
_rates: dict[tuple[str, str], "Rate"] = {}  # (value id, ISO day) -> Rate
_on: ContextVar[Date | None] = ContextVar("calculators_rules_on", default=None)
_used: ContextVar[dict | None] = ContextVar("calculators_rules_used", default=None)


@dataclass(frozen=True)
class Rate:
    """One typed value from the data: a number (``Decimal``) or a list of strings."""

    id: str
    value: Decimal | tuple[str, ...]
    unit: str
    clause: str  # the id of the clause that states it
    label_zh: str
    label_en: str
    effective_from: str = ""  # ISO day this version took effect
    # the document that set this version: {"document": {zh, en}, "clause": {zh, en} | None, "clause_id": str | None}
    source: dict = field(default_factory=dict, compare=False, hash=False)


def _read() -> dict:
    override = os.environ.get(RULES_ENV)
    if override:  # a build from another data directory ships the rules derived from it (handbook.exports.rules_export)
        return json.loads(Path(override).read_text(encoding="utf-8"))
    try:
        from importlib import resources

        text = resources.files(__package__).joinpath(FILE).read_text(encoding="utf-8")
    except (ImportError, FileNotFoundError, OSError, TypeError, AttributeError):
        text = (Path(__file__).resolve().parent / FILE).read_text(encoding="utf-8")
    return json.loads(text)


def rules() -> dict:
    """The whole export: ``{"values": …, "clauses": …, "sections": …}``."""
    global _rules
    if _rules is None:
        try:
            _rules = _read()
        except (OSError, ValueError) as exc:
            raise CalcError(
                RULES,
                f"无法读取规则文件 calculators/{FILE}({exc});请运行 make rules 重新生成。",
                f"cannot read calculators/{FILE} ({exc}); regenerate it with `make rules`.",
            ) from None
    return _rules


@contextmanager
def using(data: dict) -> Iterator[None]:
    """Run with other rules (tests: a changed rate must change the results)."""
    global _rules
    saved, saved_rates = _rules, dict(_rates)
    _rules = data
    _rates.clear()
    try:
        yield
    finally:
        _rules = saved
        _rates.clear()
        _rates.update(saved_rates)


def _missing(kind_zh: str, kind_en: str, id_: str) -> CalcError:
    return CalcError(
        RULES,
        f"规则数据中没有{kind_zh} {id_!r};请运行 make rules 重新生成 calculators/{FILE}。",
        f"the rules data has no {kind_en} {id_!r}; regenerate calculators/{FILE} with `make rules`.",
    )


def _decimal(raw: str, unit: str) -> Decimal:
    if unit == "fraction" and "/" in raw:
        num, den = raw.split("/")
        return Decimal(num) / Decimal(den)
    return Decimal(raw)


def _iso(day: Date) -> str:
    return day.isoformat()


def _today() -> Date:
    return Date.today()


def _day() -> Date:
    """The day the rules are asked for: the one ``in_force`` set, else today."""
    return _on.get() or _today()


def first_day() -> str:
    """The first day the handbook covers: the regulation's own date (ISO)."""
    r = rules()
    reg = r.get("regulation") or {}
    if reg.get("effective_from"):
        return reg["effective_from"]
    days = [e.get("effective_from") for e in r["values"].values() if e.get("effective_from")]
    return min(days) if days else "0001-01-01"


def _versions(entry: dict) -> list[tuple[str, str | None, object, dict]]:
    """(from, to, raw value, source) of each version, oldest first; ``to`` is the last day (inclusive) or None."""
    raw = [(entry.get("effective_from") or first_day(), entry.get("effective_to"), entry["value"], entry.get("source") or {})]
    raw += [(a["effective_from"], a.get("effective_to"), a["value"], a.get("source") or {}) for a in entry.get("amendments", [])]
    out = []
    for k, (start, end, val, src) in enumerate(raw):
        if end is None:
            if k + 1 < len(raw):
                end = _day_before(raw[k + 1][0])
            elif entry.get("repealed"):
                end = _day_before(entry["repealed"]["effective_from"])
        out.append((start, end, val, src))
    return out


def _day_before(iso: str) -> str:
    return _iso(Date.fromordinal(Date.fromisoformat(iso).toordinal() - 1))


def _not_in_force(id_: str, entry: dict, day: str) -> CalcError:
    label_zh, label_en = entry["label"]["zh"], entry["label"]["en"]
    versions = _versions(entry)
    if day < versions[0][0]:
        return CalcError(DATE_FIELD, f"{day} 时“{label_zh}”尚未施行(自 {versions[0][0]} 起施行)。",
                         f"on {day} the rule \u201c{label_en}\u201d was not yet in force (in force from {versions[0][0]}).")
    return CalcError(DATE_FIELD, f"{day} 时“{label_zh}”已不再施行。",
                     f"on {day} the rule \u201c{label_en}\u201d is no longer in force.")


def rate(id_: str) -> Rate:
    """The value ``id_`` in force on the day (see :func:`in_force`), with its unit, label, clause and source."""
    day = _iso(_day())
    key = (id_, day)
    if key in _rates:
        return _record(("value", id_), _rates[key])
    entry = rules()["values"].get(id_)
    if entry is None:
        raise _missing("数值", "value", id_)
    found = next(((start, raw, src) for start, end, raw, src in _versions(entry)
                  if start <= day and (end is None or day <= end)), None)
    if found is None:
        raise _not_in_force(id_, entry, day)
    start, raw, src = found
    value = tuple(raw) if isinstance(raw, list) else _decimal(str(raw), entry["unit"])
    r = Rate(id_, value, entry["unit"], entry["clause"], entry["label"]["zh"], entry["label"]["en"], start, src)
    _rates[key] = r
    return _record(("value", id_), r)


def value(id_: str) -> Decimal:
    """A number the rules state, as a Decimal: ``value("travel.meal.in_province")``."""
    v = rate(id_).value
    if isinstance(v, tuple):
        raise CalcError(RULES, f"数值 {id_!r} 是列表,不是数字。", f"the value {id_!r} is a list, not a number.")
    return v


def classes(id_: str) -> list[str]:
    """A list the rules state (travel classes): ``classes("travel.class.other.rail")``."""
    v = rate(id_).value
    if not isinstance(v, tuple):
        raise CalcError(RULES, f"数值 {id_!r} 是数字,不是列表。", f"the value {id_!r} is a number, not a list.")
    return list(v)


def clause_of(id_: str) -> str:
    """The clause that states value ``id_``."""
    return rate(id_).clause


def exists(ref: str) -> bool:
    """Whether ``ref`` is a clause or section id in the rules data."""
    r = rules()
    return ref in r["clauses"] or ref in r["sections"]


def _in_force(entry: dict, day: str) -> bool:
    """Whether a dated entry (a wording, a standards row: ``effective_from``, ``effective_to`` inclusive) is in force on
    ``day`` (ISO)."""
    return entry["effective_from"] <= day and (entry.get("effective_to") is None or day <= entry["effective_to"])


def _of_the_day(versions: list[dict], day: str) -> dict:
    """The wording in force on ``day`` among dated ``versions`` (oldest first): before the first one's day the first,
    after the last one's end the last."""
    return next((v for v in versions if _in_force(v, day)), versions[0] if day < versions[0]["effective_from"] else versions[-1])


def worded(entry: dict, day: str | None = None) -> dict:
    """A clause's or section's entry of the rules data with its ``title`` and ``heading`` as worded on ``day`` (ISO;
    default: the day the rules are asked for, see :func:`in_force`): an amended heading lists its wordings under
    ``versions`` (before the first one's day: the first; after the last: the last)."""
    versions = entry.get("versions")
    if not versions:
        return entry
    ver = _of_the_day(versions, day or _iso(_day()))
    return {**entry, "title": ver["title"], "heading": ver["heading"]}


def cite(ref: str) -> dict:
    """Where a clause (or section) is: ``{"id", "number", "title": {zh, en}, "page", "anchor", "section"}``, its title
    as worded on the day the rules are asked for (a heading can be amended: :func:`worded`).

    ``page`` is relative to the site root (``finance/travel/``); ``anchor`` is the clause's id
    (``None`` for a section, whose page is the whole of it).
    """
    r = rules()
    entry = r["clauses"].get(ref)
    if entry is not None:
        entry = worded(entry)
        return {"id": ref, "number": entry.get("number"), "title": entry["title"], "page": entry["page"],
                "anchor": entry.get("anchor", ref), "section": entry["section"]}
    entry = r["sections"].get(ref)
    if entry is not None:
        entry = worded(entry)
        return {"id": ref, "number": entry.get("number"), "title": entry["title"], "page": entry["page"],
                "anchor": None, "section": ref}
    raise _missing("条款", "clause", ref)


# --------------------------------------------------------------------------- rules in time


def parse_day(text: str) -> Date:
    """An ISO day (``YYYY-MM-DD``) or CalcError("date") in both languages."""
    try:
        if not isinstance(text, str) or len(text) != 10:
            raise ValueError
        return Date.fromisoformat(text)
    except ValueError:
        raise CalcError(DATE_FIELD, f"日期应写作 YYYY-MM-DD(例如 {first_day()}),而不是 {str(text)[:24]!r}。",
                        f"a date is written YYYY-MM-DD (e.g. {first_day()}), not {str(text)[:24]!r}.") from None


@contextmanager
def in_force(on: Date | None = None) -> Iterator[None]:
    """Within this block the rules answer as they stood on ``on`` (None: today).

    A day before the first day the handbook covers (the regulation's own date) raises
    ``CalcError("date", …)`` naming that first day.
    """
    if on is not None and not isinstance(on, Date):
        raise CalcError(DATE_FIELD, "日期无效。", "the date is not valid.")
    day = on or _today()
    if hasattr(day, "date"):  # a datetime: its day
        day = day.date()
    first = first_day()
    if _iso(day) < first:
        raise CalcError(
            DATE_FIELD,
            f"本手册只涵盖 {first} 起施行的规定;{_iso(day)} 早于该日期,请按当时的规定向财务人员核实。",
            f"the handbook covers the rules in force from {first}; {_iso(day)} is earlier: "
            "check the rules of that time with the finance office.",
        )
    token = _on.set(day)
    try:
        yield
    finally:
        _on.reset(token)


@contextmanager
def recording() -> Iterator[dict]:
    """Within this block every value (:func:`rate`) and quote (:func:`quote`) the rules answer with is recorded,
    first use first: ``{("value", id): Rate, ("quote", clause id, quote id): {"zh", "en", "effective_from",
    "source", "clause"}}``, so that a result can name the document of each figure or wording it used (see
    :func:`used`)."""
    token = _used.set({})
    try:
        yield _used.get()
    finally:
        _used.reset(token)


def _record(key: tuple, item):
    used = _used.get()
    if used is not None and key not in used:
        used[key] = item
    return item


def used() -> dict:
    """What the rules answered with inside the current :func:`recording` block ({} outside one)."""
    return dict(_used.get() or {})


def unit_label(unit: str) -> tuple[str, str]:
    """How a unit is written after a figure, (zh, en): ``unit_label("yuan_per_day")`` -> ("元/人·天", …)."""
    label = (rules().get("units") or {}).get(unit) or {}
    return label.get("zh", ""), label.get("en", unit)


def _change_days() -> list[str]:
    days = set()
    for entry in rules()["values"].values():
        for start, _end, _raw, _src in _versions(entry):
            days.add(start)
        if entry.get("repealed"):
            days.add(entry["repealed"]["effective_from"])
    return sorted(days)


def as_of() -> str:
    """The rules version in use: the newest day, not after the day asked for, on which any value changed (ISO)."""
    day = _iso(_day())
    past = [d for d in _change_days() if d <= day]
    return past[-1] if past else first_day()


def _table(table_id: str) -> dict:
    table = rules().get("standards", {}).get(table_id)
    if table is None:
        raise _missing("标准表", "standards table", table_id)
    return table


def standard_rows(table_id: str) -> list[dict]:
    """The rows of a standards table in force on the day: ``[{"keys": {...}, "value": Decimal, "document", ...}]``."""
    day = _iso(_day())
    out = []
    for row in _table(table_id)["rows"]:
        if _in_force(row, day):
            out.append(dict(row, value=Decimal(str(row["value"]))))
    return out


def standard(table_id: str, **keys: str) -> Decimal | None:
    """A figure from a standard the regulation cites (``data/standards.yaml``), in force on the day;
    None when the finance office has not filled it in: ``standard("lodging_cap", rank="other", destination="北京")``."""
    names = {k["name"] for k in _table(table_id)["keys"]}
    if set(keys) != names:
        raise CalcError(RULES, f"标准表 {table_id!r} 按 {', '.join(sorted(names))} 查找。",
                        f"the standards table {table_id!r} is looked up by {', '.join(sorted(names))}.")
    row = standard_row(table_id, **keys)
    return row["value"] if row else None


def standard_row(table_id: str, **keys: str) -> dict | None:
    """The row of a standards table in force on the day for these keys (a place as written: 北京市 finds 北京)."""
    def key(k, v):
        return place_key(v) if k == "destination" else str(v)

    wanted = {k: key(k, v) for k, v in keys.items()}
    return next((row for row in standard_rows(table_id) if {k: key(k, v) for k, v in row["keys"].items()} == wanted), None)


# Suffixes of an administrative division's full name: 北京市 is 北京, 广西壮族自治区 is 广西 (longest first).
PLACE_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


def place_key(name) -> str:
    """A place as written, reduced to the name a standards row or data/regions.yaml uses for it: ``北京市`` and
    ``北京`` (and `` 北京 ``) are one place. Used by the engine's lookups and the standards import alike."""
    text = "".join(str(name).split())
    for suffix in PLACE_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text


def attachments(clause_id: str) -> list[dict]:
    """What a claim under a clause must attach, in the text's order: ``[{"id", "label": {zh, en}, "clause",
    "when"?: {zh, en}}]``.  For a section (or a clause with sub-clauses) its clauses' lists together, each
    document once (where the text first names it)."""
    found, seen = [], set()
    for entry in rules().get("attachments", []):
        cid = entry["clause"]
        if cid == clause_id or cid.startswith(clause_id + "."):
            for item in entry["items"]:
                if item["id"] not in seen:
                    seen.add(item["id"])
                    found.append(dict(item, clause=cid))
    return found


# --------------------------------------------------------------------------- the handbook's readings


def applies(clause_id: str, note_id: str) -> tuple[str, str]:
    """Declare, at a calculator module's top, an editorial note it applies (``COUNTY_STAY = applies(APPROVAL,
    "county-stay")``, then ``reading(*COUNTY_STAY)``): the loader checks that the clause has a note of that id
    (``python -m handbook check`` names the module), so a renamed or removed note fails the data check, not a result."""
    module = sys._getframe(1).f_globals.get("__name__", "?")
    ASKED.setdefault((clause_id, note_id), module)
    return clause_id, note_id


ASKED: dict[tuple[str, str], str] = {}  # (clause id, note id) -> the module that applies it (see applies)


def reading(clause_id: str, note_id: str) -> tuple[str, str]:
    """The editorial note (zh, en) ``note_id`` of a clause (a clause's ``notes:`` in data/, its ``id``): the reading
    the handbook chose and why, declared once in ``data/``, quoted by a result that applies it."""
    note = ((rules().get("readings") or {}).get(clause_id) or {}).get(note_id)
    if note is None:
        raise _missing("编者注", "editorial note", f"{clause_id}#{note_id}")
    return note["zh"], note["en"]


# --------------------------------------------------------------------------- the regulation's own sentences

_FIGURE = "{value:"


def quote(clause_id: str, quote_id: str) -> tuple[str, str]:
    """A sentence of the regulation a result quotes, (zh, en), as worded on the day (see :func:`in_force`), its
    figures (``{value:<id>}``) the values in force that day: ``quote("finance.travel.reimbursement", "same-day")``.
    The wording lives in ``data/`` (a clause's ``quotes``), so an amendment of the text reaches the results."""
    from .money import fmt
    from .wording import figure

    versions = (rules().get("quotes") or {}).get(clause_id, {}).get(quote_id)
    if not versions:
        raise _missing("引文", "quote", f"{clause_id}#{quote_id}")
    ver = _of_the_day(versions, _iso(_day()))
    out = []
    for lang in ("zh", "en"):
        text = ver[lang]
        while _FIGURE in text:
            start = text.index(_FIGURE)
            end = text.index("}", start)
            vid, _, style = text[start + len(_FIGURE):end].partition("|")
            text = text[:start] + figure(fmt(value(vid)), style or None) + text[end + 1:]
        out.append(text)
    _record(("quote", clause_id, quote_id), {"zh": out[0], "en": out[1], "effective_from": ver["effective_from"],
                                             "source": ver.get("source") or {}, "clause": clause_id})
    return out[0], out[1]
