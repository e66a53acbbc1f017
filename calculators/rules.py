"""The rates, limits and thresholds the calculators use, read from ``rules.json``.

``rules.json`` sits next to this module.  It is generated from ``data/`` by
``python -m handbook.rules_export`` (``make rules``) so that the engine runs without PyYAML,
in the browser too; a test fails when it is out of date.  No number a rule states is typed
in the calculators' code: they ask :func:`value` for it by the value's id, and
:func:`cite` tells where the handbook states it.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from .errors import RULES, CalcError

FILE = "rules.json"

_rules: dict | None = None
_rates: dict[str, "Rate"] = {}


@dataclass(frozen=True)
class Rate:
    """One typed value from the data: a number (``Decimal``) or a list of strings."""

    id: str
    value: Decimal | tuple[str, ...]
    unit: str
    clause: str  # the id of the clause that states it
    label_zh: str
    label_en: str


def _read() -> dict:
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


def rate(id_: str) -> Rate:
    """The value ``id_`` with its unit, label and clause."""
    if id_ in _rates:
        return _rates[id_]
    entry = rules()["values"].get(id_)
    if entry is None:
        raise _missing("数值", "value", id_)
    raw = entry["value"]
    value = tuple(raw) if isinstance(raw, list) else _decimal(str(raw), entry["unit"])
    r = Rate(id_, value, entry["unit"], entry["clause"], entry["label"]["zh"], entry["label"]["en"])
    _rates[id_] = r
    return r


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


def cite(ref: str) -> dict:
    """Where a clause (or section) is: ``{"id", "number", "title": {zh, en}, "page", "anchor", "section"}``.

    ``page`` is relative to the site root (``finance/travel/``); ``anchor`` is the clause's id
    (``None`` for a section, whose page is the whole of it).
    """
    r = rules()
    entry = r["clauses"].get(ref)
    if entry is not None:
        return {"id": ref, "number": entry.get("number"), "title": entry["title"], "page": entry["page"],
                "anchor": entry.get("anchor", ref), "section": entry["section"]}
    entry = r["sections"].get(ref)
    if entry is not None:
        return {"id": ref, "number": entry.get("number"), "title": entry["title"], "page": entry["page"],
                "anchor": None, "section": ref}
    raise _missing("条款", "clause", ref)
