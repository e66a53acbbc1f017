"""The one result shape every calculator returns, declared once in :data:`SCHEMA` (a JSON Schema, draft 2020-12:
``python -m calculators --result-schema`` prints it; the tests validate every result against it, and the page's
renderer, ``overrides/assets/calc/render.js``, and the CLI's text renderer read this shape and no other).

In short::

    {"calculator": "travel", "unit": "yuan" | "points" | "days", "unit_label": {zh, en},
     "total": 360.0, "total_text": "360.00",                      # the sum of the lines: what is reimbursable
     "lines":    [{"zh", "en", "amount", "amount_text", "clause", "source"}],
     "traveller_pays": {"total", "total_text", "lines": [{"zh", "en", "amount", "amount_text", "clause"}]},
                                                                   # what a rule cuts (个人自理), never in the total
     "warnings": [{"zh", "en", "clause"}], "notes": [{"zh", "en", "clause"?}],
     "decision"?: {"label"?, "zh"?, "en"?, "clause"?, "approvers"?: [{"role", "action", "zh", "en"}],
                   NAME: {"zh", "en", "clause"?, ...}},           # a decision in words: who signs, what is needed
     "citations": {clause_id: {"id", "number", "title", "page", "anchor", "section", "heading"?, "marker"?,
                               "section_title"?}},                # title, heading: as worded on the result's day
     "rules_as_of": "2020-10-08",   # the version of the rules used: the newest change in force on the day
     "attachments": [{"id", "label": {zh, en}, "clause", "when"?, "reading"?}],   # what this claim must attach
     "input": {the normalised input},
     ...the calculator-specific fields SCHEMA declares ("voided", "ceiling", "cap", "limit", "max_hosts", "out_of")}

Every line amount is rounded to 0.01 half-up when the line is made, and ``total`` is the exact
sum of the rounded line amounts, so ``total == sum(lines)`` holds in decimal arithmetic.  Each line
also names its dated ``source``: the newest version, in force on the day, of the values its clause
states (``{"effective_from", "document", "clause"}``), or the regulation itself.

A calculator computes with the rules in force on its input's ``date`` (today when there is none):
:func:`guarded` reads the date as the calculator's ``FIELDS`` declare it and enters
:func:`rules.in_force` for the whole computation.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from decimal import Decimal
from typing import Any, Callable

from . import rules
from .errors import INTERNAL, CalcError
from .money import ZERO, amount_json, fmt, fmt_money, round_cents, to_json

# ---------------------------------------------------------------------------- the shape, declared once

_STR = {"type": "string", "minLength": 1}
_TEXT = {"type": "object", "properties": {"zh": _STR, "en": _STR}, "required": ["zh", "en"], "additionalProperties": False}
_AMOUNT = {"type": "number", "minimum": 0}
_SCALAR = {"type": ["string", "number", "boolean", "null"]}


def _object(required: dict, optional: dict | None = None, more: object = False) -> dict:
    return {"type": "object", "properties": {**required, **(optional or {})}, "required": list(required),
            "additionalProperties": more}


_LINE = _object({"zh": _STR, "en": _STR, "amount": _AMOUNT, "amount_text": _STR, "clause": _STR},
                {"source": {"type": "object"}})
_STATEMENT = _object({"zh": _STR, "en": _STR}, {"clause": _STR}, more=_SCALAR)  # a sentence of a decision
_APPROVER = _object({"role": _STR, "action": _STR, "zh": _STR, "en": _STR})
SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "计算结果 / A calculator's result",
    "$defs": {"text": _TEXT, "line": _LINE, "statement": _STATEMENT, "approver": _APPROVER},
    **_object({
        "calculator": _STR,
        "unit": {"enum": ["yuan", "points", "days"]},
        "unit_label": _TEXT,
        "total": _AMOUNT,
        "total_text": _STR,
        "lines": {"type": "array", "items": {"$ref": "#/$defs/line"}},
        "traveller_pays": _object({"total": _AMOUNT, "total_text": _STR,
                                   "lines": {"type": "array", "items": {"$ref": "#/$defs/line"}}}),
        "warnings": {"type": "array", "items": _object({"zh": _STR, "en": _STR, "clause": _STR})},
        "notes": {"type": "array", "items": _object({"zh": _STR, "en": _STR}, {"clause": _STR})},
        "citations": {"type": "object", "additionalProperties": _object(
            {"id": _STR, "number": {"type": ["string", "null"]}, "title": _TEXT, "page": _STR,
             "anchor": {"type": ["string", "null"]}, "section": _STR}, {"heading": _TEXT, "section_title": _TEXT,
                                                           "marker": _object({"zh": {"type": "string"}, "en": {"type": "string"}})})},
        "rules_as_of": {"type": "string", "format": "date"},
        "attachments": {"type": "array", "items": _object(
            {"id": _STR, "label": _TEXT, "clause": _STR}, {"when": _TEXT, "reading": _TEXT})},
        "input": {"type": "object"},
    }, {
        "decision": _object({}, {"label": _TEXT, "zh": _STR, "en": _STR, "clause": _STR,
                                 "approvers": {"type": "array", "items": {"$ref": "#/$defs/approver"}}},
                            more={"anyOf": [{"$ref": "#/$defs/statement"}, _SCALAR]}),
        "voided": {"type": "boolean"},  # travel: lodging without an invoice; reception: no official letter
        "ceiling": {"type": "boolean"},  # training: the total is a ceiling on receipted costs, not an allowance
        "cap": _object({"total": _AMOUNT, "total_text": _STR, "lines": {"type": "array", "items": {"$ref": "#/$defs/line"}}}),
        "limit": _object({"amount": _AMOUNT, "text": _STR, "per_head": _AMOUNT, "people": {"type": "integer"},
                          "hosts_counted": {"type": "integer"}, "meals": {"type": "integer"}, "clause": _STR}),
        "max_hosts": {"type": ["integer", "null"]},
        "out_of": _AMOUNT,
    }),
}

UNITS = {
    "yuan": ("元", "yuan"),
    "points": ("分", "points"),
    "days": ("天", "days"),
}


EXPENSE_FORM = "finance.management.approval.after-expenditure"  # every expense is claimed on the reimbursement form


class Result:
    def __init__(self, calculator: str, unit: str = "yuan"):
        if unit not in UNITS:  # a check, not an assert: the browser's Python runs with -OO
            raise ValueError(f"unknown unit {unit!r}")
        self.calculator = calculator
        self.unit = unit
        self.lines: list[dict] = []
        self.warnings: list[dict] = []
        self.notes: list[dict] = []
        self._amounts: list[Decimal] = []
        self._cited: list[str] = []
        self.own: list[dict] = []  # amounts a rule cuts: the traveller's own (个人自理), shown apart, not in the total
        self._own: list[Decimal] = []

    def _cite(self, clause: str | None) -> None:
        if clause is not None:
            rules.cite(clause)  # fails loudly if the clause is not in the rules data
            if clause not in self._cited:
                self._cited.append(clause)

    def line(self, zh: str, en: str, amount: Decimal, clause: str, **extra: Any) -> Decimal:
        """Add a line; returns its rounded amount."""
        rounded = round_cents(amount)
        self._cite(clause)
        self._amounts.append(rounded)
        self.lines.append({"zh": zh, "en": en, "amount": amount_json(rounded), "amount_text": self.text(rounded),
                           "clause": clause, "source": dated_source(clause), **extra})
        return rounded

    def pays_own(self, zh: str, en: str, amount: Decimal, clause: str) -> None:
        """An amount a rule cuts from the claim (the excess over a cap, a ticket above the entitlement): shown apart as
        paid by the traveller (个人自理), never added to the total."""
        rounded = round_cents(amount)
        if rounded <= 0:
            return
        self._cite(clause)
        self._own.append(rounded)
        self.own.append({"zh": zh, "en": en, "amount": amount_json(rounded), "amount_text": self.text(rounded),
                         "clause": clause})

    def warn(self, zh: str, en: str, clause: str, **extra: Any) -> None:
        self._cite(clause)
        self.warnings.append({"zh": zh, "en": en, "clause": clause, **extra})

    def note(self, zh: str, en: str, clause: str | None = None) -> None:
        """A reading applied or a fact to know; the same note twice is kept once."""
        self._cite(clause)
        item = {"zh": zh, "en": en}
        if clause is not None:
            item["clause"] = clause
        if item not in self.notes:
            self.notes.append(item)

    def cite(self, clause: str) -> str:
        """Record a clause cited elsewhere in the result (a decision); returns the id."""
        self._cite(clause)
        return clause

    def text(self, x: Decimal) -> str:
        return fmt(x) if self.unit == "days" else fmt_money(x)

    @property
    def total(self) -> Decimal:
        return sum(self._amounts, ZERO)

    def build(self, normalised_input: dict, attach: dict[str, bool] | None = None, **extra: Any) -> dict:
        """The result; ``attach``: for the documents the cited clauses list, whether this case needs each (see
        :func:`attachments`)."""
        total = self.total
        for item in amended():
            self.note(item["zh"], item["en"], item["clause"])
        out = {
            "calculator": self.calculator,
            "unit": self.unit,
            "unit_label": {"zh": UNITS[self.unit][0], "en": UNITS[self.unit][1]},
            "total": amount_json(total),
            "total_text": self.text(total),
            "lines": self.lines,
            "traveller_pays": {"total": amount_json(sum(self._own, ZERO)), "total_text": self.text(sum(self._own, ZERO)),
                               "lines": self.own},
            "warnings": self.warnings,
            "notes": self.notes,
        }
        out.update(extra)
        out["citations"] = {c: cited(c) for c in self._cited}
        out["rules_as_of"] = rules.as_of()
        out["attachments"] = attachments(self._cited, attach or {})
        out["input"] = jsonable(normalised_input)
        return out


def cited(ref: str) -> dict:
    """Where a clause is (:func:`rules.cite`), with its heading in each language (``(四)…`` / ``(4) …``) when the
    rules export has it, so that a result prints the numbering of the reader's language."""
    out = dict(rules.cite(ref))
    data = rules.rules()
    entry = rules.worded(data["clauses"].get(ref) or data["sections"].get(ref) or {})  # the heading of the day
    for key in ("heading", "marker"):
        if key in entry:
            out[key] = entry[key]
    section = data["sections"].get(out["section"]) or {}
    if section.get("versions"):  # an amended section heading: the one of the day (the page's own list has the build day's)
        out["section_title"] = rules.worded(section)["title"]
    return out


def dated_source(clause: str) -> dict:
    """The dated source of what a clause states, on the day the rules are asked for: the newest version in force of
    the values it states (when it took effect, the document and its clause), or the regulation itself."""
    data = rules.rules()
    newest = None
    for vid, entry in data["values"].items():
        if entry["clause"] != clause:
            continue
        try:
            r = rules.rate(vid)
        except CalcError:  # not in force on the day
            continue
        if r.effective_from and (newest is None or r.effective_from > newest.effective_from):
            newest = r
    if newest is not None and newest.source:
        src = newest.source
        return {"effective_from": newest.effective_from, "document": src.get("document"), "clause": src.get("clause"),
                "clause_id": src.get("clause_id")}
    reg = data.get("regulation") or {}
    return {"effective_from": reg.get("effective_from") or rules.first_day(), "document": reg.get("document"),
            "clause": None}


def amended() -> list[dict]:
    """Each figure and quoted wording the computation used that an amendment set (a version in force from a day after
    the regulation's own), as a note naming it with its day and document, in both languages:
    ``所用数值已修订:<label> <figure> <unit>(<day> 起 · <document> <clause>)``. The CLI's readable output and the
    page's result show it with the other notes."""
    first = rules.first_day()
    out = []
    for key, item in rules.used().items():
        if key[0] == "value":
            start, src, clause = item.effective_from, item.source, item.clause
            unit = rules.unit_label(item.unit)
            shown = ", ".join(item.value) if isinstance(item.value, tuple) else fmt(item.value)
            what = {"zh": f"{item.label_zh} {shown} {unit[0]}".rstrip(), "en": f"{item.label_en}: {shown} {unit[1]}".rstrip()}
            lead = {"zh": "所用数值已修订:", "en": "A figure used is amended: "}
        else:
            start, src, clause = item["effective_from"], item["source"], item["clause"]
            what = {"zh": f"“{item['zh']}”", "en": f"\u201c{item['en']}\u201d"}
            lead = {"zh": "所引条文已修订:", "en": "A wording quoted is amended: "}
        if not start or start <= first or not src.get("document"):
            continue
        doc = {lang: " ".join(filter(None, [src["document"][lang], (src.get("clause") or {}).get(lang)])) for lang in ("zh", "en")}
        out.append({"zh": f"{lead['zh']}{what['zh']}({start} 起 · {doc['zh']})。",
                    "en": f"{lead['en']}{what['en']} (from {start} · {doc['en']}).", "clause": clause})
    return out


def attachments(clauses: list[str], attach: dict[str, bool]) -> list[dict]:
    """What the clauses a result applies require this claim to attach, each document once, in the order cited.

    ``attach`` says, for this input, whether each document is needed: a document whose clause lists it only in
    some cases (``when``) must be decided there, and a document decided as needed must be listed by a cited clause,
    so that the list is exact for the case (a calculator that forgets either is a fault of the engine)."""
    out, seen = [], set()
    for clause in clauses:
        for item in rules.attachments(clause):
            if item["id"] in seen:
                continue
            seen.add(item["id"])
            if item["id"] not in attach and "when" in item:
                raise RuntimeError(f"the calculator does not say whether {item['id']!r} ({item['clause']}) is needed")
            if attach.get(item["id"], True):
                out.append(item)
    missing = [k for k, v in attach.items() if v and k not in seen]
    if missing:
        raise RuntimeError(f"documents needed but listed by no clause cited: {', '.join(missing)}")
    return out


def jsonable(x: Any) -> Any:
    """Decimals to JSON numbers, tuples to lists, recursively."""
    if isinstance(x, Decimal):
        return to_json(x)
    if isinstance(x, dict):
        return {k: jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    return x


def guarded(fn: Callable[[Any], dict]) -> Callable[[Any], dict]:
    """Make sure nothing but :class:`CalcError` escapes ``compute``.

    An unexpected exception is the engine's own fault: it becomes a CalcError whose field is
    ``"(internal)"`` (the tests fail on any such error).
    """

    @functools.wraps(fn)
    def compute(data: Any) -> dict:
        try:
            fields = getattr(sys.modules.get(fn.__module__), "FIELDS", None)
            day = fields.day(data) if fields is not None else None
            with rules.in_force(day) if day is not None else contextlib.nullcontext(), rules.recording():  # no date: today
                return fn(data)
        except CalcError:
            raise
        except RecursionError:
            raise CalcError("", "输入嵌套过深。", "the input is nested too deeply.") from None
        except Exception as exc:  # noqa: BLE001 - the contract: only CalcError escapes
            raise CalcError(
                INTERNAL,
                f"计算器内部错误({type(exc).__name__}: {exc}),请报告此问题。",
                f"internal error in the calculator ({type(exc).__name__}: {exc}); please report it.",
            ) from exc

    return compute
