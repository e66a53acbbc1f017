"""A calculator's input fields, declared once.

Each calculator module declares ``FIELDS = Form(...)``: every field with its name, type, unit,
bounds (a number, or :class:`Rule` — a value in ``data/`` that sets it), choices with their
bilingual labels, its own bilingual label and help, and whether it is required.  From that one
declaration come:

* the reader: ``FIELDS.read(data)`` checks and normalises the input (``Decimal`` amounts,
  ``int`` counts, defaults filled in) and raises :class:`~calculators.errors.CalcError` naming
  the field by its label as the reader sees it, what is allowed, and its path in the input
  (``第1段行程 · 天数:须为 1–365 之间的整数,而不是 0 (legs[0].days)``);
* the form of the calculator page (``handbook/pages/templates/calc_fields.html.j2``) and its table of
  fields (``handbook/pages/templates/calc_field_table.md.j2``);
* ``FIELDS.schema()``, a JSON Schema (draft 2020-12) of the input (``python -m calculators NAME --schema``);
* the property tests' input strategies (``tests/calculators/test_properties.py``).

Amounts (and other numbers) accept what people type: full-width digits (``５４０``), a trailing
unit (``540元``), thousands separators (``1,234.5``).  Booleans are never numbers, NaN and
infinities are refused, ``null`` counts as not given, and unknown fields are an error (a
misspelt optional field would otherwise be silently ignored).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, ClassVar, Iterator, Mapping

from .errors import CalcError
from .money import fmt

Text = tuple[str, str]  # (zh, en)
SHOWN = 48  # characters of a bad value quoted back in a message
MAX_AMOUNT = Decimal(10_000_000)
DAYS = (1, 365)  # sane bounds of a count of days, and of people
PEOPLE = (1, 1000)

# ---------------------------------------------------------------------------- typed numbers

_FULL = "０１２３４５６７８９"
_TRANSLATE = str.maketrans(_FULL + "．，＋－　", "0123456789.,+-" + " ")
_DIGIT = "[0-9" + _FULL + "]"
_COMMA = "[,，]"
_POINT = "[.．]"
# The spaces allowed around a typed number, written out: Python's \s and ECMAScript's \s differ
# (U+FEFF, U+001C–U+001F, U+0085), and the page's parser (overrides/assets/calc/values.js) must
# read exactly what this one reads (tests/number_cases.json, run by both).
_SPACE = "[ \t\n\r\f\v\u00a0\u3000]"
TYPED_MAX = 64  # characters: a longer text is not read as a number


def typed_pattern(units: tuple[str, ...] = ()) -> str:
    """The regular expression (Python and ECMAScript alike) of a number as people type it: digits
    (ASCII or full-width), optional sign, thousands separators in groups of three, a decimal part,
    one of ``units`` after it. No exponent, no ``Infinity``/``NaN``: every number it admits is finite."""
    unit = "(" + "|".join(re.escape(u) for u in units) + ")?" if units else ""
    return (rf"^{_SPACE}*[+\-＋－]?({_DIGIT}{{1,3}}({_COMMA}{_DIGIT}{{3}})+|{_DIGIT}+)({_POINT}{_DIGIT}+)?"
            rf"{_SPACE}*{unit}{_SPACE}*$")


def parse_typed(text: str, units: tuple[str, ...] = ()) -> Decimal | None:
    """``"１,２３４.５元"`` -> ``Decimal("1234.5")``; ``None`` when ``text`` is not a typed number."""
    if len(text) > TYPED_MAX or not re.match(typed_pattern(units), text):
        return None
    s = text.translate(_TRANSLATE).strip()
    for u in sorted(units, key=len, reverse=True):
        if s.endswith(u):
            s = s[: -len(u)].strip()
            break
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


# ---------------------------------------------------------------------------- where a field is


@dataclass(frozen=True)
class At:
    """A place in the input: its path (``legs[0].days``) and its labels as the reader sees them."""

    path: str = ""
    labels: tuple[Text, ...] = ()

    def key(self, name: str, label: Text) -> At:
        return At(f"{self.path}.{name}" if self.path else name, self.labels + (label,))

    def item(self, i: int, label: Text) -> At:
        zh, en = label
        return At(f"{self.path}[{i}]", self.labels[:-1] + ((zh.format(n=i + 1), en.format(n=i + 1)),))

    def label(self, lang: int) -> str:
        if not self.labels:
            return ("输入", "the input")[lang]
        return " · ".join(pair[lang] for pair in self.labels)

    def error(self, zh: str, en: str) -> CalcError:
        """A CalcError: ``{label}:{zh}`` / ``{label}: {en}``: the field named as the reader sees it, never by its code
        (the path is the error's ``field``, which places the message at the field on the page; the CLI prints it)."""
        label_en = self.label(1)
        return CalcError(self.path, f"{self.label(0)}:{zh}", f"{label_en[0].upper()}{label_en[1:]}: {en}")


def excerpt(text: str, limit: int = SHOWN) -> str:
    """Input text quoted back in a message: at most ``limit`` characters (then "…"), with control
    characters, lone surrogates and other unprintable characters written as ``\\uXXXX`` escapes,
    so that any terminal or page can show the message."""
    cut = text if len(text) <= limit else text[: limit - 1] + "…"
    return "".join(ch if ch.isprintable() or ch == "\u3000" else f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF
                   else f"\\U{ord(ch):08x}" for ch in cut)


def _finite(x: float | Decimal) -> bool:
    return x.is_finite() if isinstance(x, Decimal) else math.isfinite(x)


def _shown(value: Any) -> tuple[str, str]:
    """A bad value as quoted back: ``0``, ``"abc"``, 布尔值 / a boolean, …"""
    if value is None:
        return "空值(null)", "null"
    if isinstance(value, bool):
        return f"布尔值 {str(value).lower()}", f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        s = excerpt(value)
        return f"文字 “{s}”", f"the text “{s}”"
    if isinstance(value, (float, Decimal)) and not _finite(value):
        if value.is_nan() if isinstance(value, Decimal) else math.isnan(value):
            return "非数 NaN", "NaN"
        return ("负无穷大", "minus infinity") if value < 0 else ("无穷大", "infinity")
    if isinstance(value, (int, float, Decimal)):
        x = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        s = format(x, "f") if abs(x.adjusted()) < SHOWN // 2 else f"{x:.3e}"
        return s, s
    if isinstance(value, Mapping):
        return "对象", "an object"
    if isinstance(value, (list, tuple)):
        return "数组", "an array"
    return type(value).__name__, type(value).__name__


# ---------------------------------------------------------------------------- bounds from the data


@dataclass(frozen=True)
class Rule:
    """A bound that a value in ``data/`` sets: ``Rule("study.discussion.points")``."""

    id: str

    def resolve(self) -> Decimal:
        from .rules import value

        return value(self.id)


def resolve(x: Any) -> Any:
    return x.resolve() if isinstance(x, Rule) else x


# ---------------------------------------------------------------------------- fields


@dataclass(frozen=True, kw_only=True)
class Field:
    """One input field.  ``default`` is filled in when an optional field is absent (``None``: left out)."""

    name: str
    label: Text
    help: Text | None = None
    required: bool = True
    # An optional field that the rules require in some cases: the form shows this instead of "optional"
    # (("省外必填", "required outside Sichuan")), so a label never says both.
    required_when: Text | None = None
    default: Any = None
    widget: ClassVar[str] = "text"  # the form's data-type
    kind: ClassVar[str] = "text"

    def read(self, value: Any, at: At) -> Any:  # pragma: no cover - every field overrides it
        raise NotImplementedError

    def allowed(self) -> Text:
        """What the field accepts, as a phrase: ("1–365 之间的整数", "a whole number from 1 to 365")."""
        raise NotImplementedError  # pragma: no cover

    def wrong(self, value: Any, at: At) -> CalcError:
        a_zh, a_en = self.allowed()
        s_zh, s_en = _shown(value)
        return at.error(f"须为{a_zh},而不是{s_zh}", f"must be {a_en}, not {s_en}")

    def missing(self, at: At) -> CalcError:
        a_zh, a_en = self.allowed()
        return at.error(f"必须填写({a_zh})", f"required ({a_en})")

    def json_schema(self) -> dict:  # pragma: no cover
        raise NotImplementedError

    def schema(self) -> dict:
        out = {"title": f"{self.label[0]} / {self.label[1]}"}
        if self.help:
            out["description"] = f"{self.help[0]} / {self.help[1]}"
        if self.required_when:
            out["description"] = (out.get("description", "") + f" ({self.required_when[0]} / {self.required_when[1]})").strip()
        out.update(self.json_schema())
        return out


def _range_text(lo: Decimal, hi: Decimal | None, zh_kind: str, en_kind: str, unit: Text | None) -> Text:
    u_zh = unit[0] if unit else ""
    u_en = f" {unit[1]}" if unit else ""
    if hi is None:
        return f"不小于 {fmt(lo)}{u_zh}的{zh_kind}", f"{en_kind} of at least {fmt(lo)}{u_en}"
    return f"{fmt(lo)}–{fmt(hi)}{u_zh}之间的{zh_kind}", f"{en_kind} from {fmt(lo)} to {fmt(hi)}{u_en}"


@dataclass(frozen=True, kw_only=True)
class Number(Field):
    """A number (decimals allowed) from ``lo`` to ``hi``, read as a Decimal."""

    lo: Decimal | int | Rule = 0
    hi: Decimal | int | Rule | None = None
    unit: Text | None = None
    step: Decimal | None = None  # a hint for the form
    widget: ClassVar[str] = "num"
    kind: ClassVar[str] = "number"
    KIND: ClassVar[Text] = ("数字", "a number")

    def bounds(self) -> tuple[Decimal, Decimal | None]:
        hi = resolve(self.hi)
        return Decimal(resolve(self.lo)), None if hi is None else Decimal(hi)

    def allowed(self) -> Text:
        lo, hi = self.bounds()
        return _range_text(lo, hi, *self.KIND, self.unit)

    def units(self) -> tuple[str, ...]:
        return (self.unit[0],) if self.unit else ()

    def number(self, value: Any, at: At) -> Decimal:
        if isinstance(value, str):
            x = parse_typed(value, self.units())
            if x is None:
                raise self.wrong(value, at)
            return x
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            raise self.wrong(value, at)
        # A number no double holds (1e309 in JSON reads as infinity), NaN and the infinities: refused
        # with the field's own message, never read as "not given".
        if isinstance(value, float):
            if not math.isfinite(value):
                raise self.wrong(value, at)
            return Decimal(repr(value))
        if isinstance(value, Decimal) and not _finite(value):
            raise self.wrong(value, at)
        return Decimal(value)

    def check(self, x: Decimal, value: Any, at: At) -> None:
        lo, hi = self.bounds()
        if x < lo or (hi is not None and x > hi):
            raise self.wrong(x if not isinstance(value, str) else value, at)

    def read(self, value: Any, at: At) -> Decimal:
        x = self.number(value, at)
        self.check(x, value, at)
        return x

    def json_schema(self) -> dict:
        lo, hi = self.bounds()
        num: dict = {"type": "integer" if self.widget == "int" else "number", "minimum": _json_number(lo)}
        if hi is not None:
            num["maximum"] = _json_number(hi)
        return {"anyOf": [num, {"type": "string", "pattern": typed_pattern(self.units())}]}


def _json_number(x: Decimal) -> int | float:
    return int(x) if x == x.to_integral_value() else float(x)


@dataclass(frozen=True, kw_only=True)
class Int(Number):
    """A whole number from ``lo`` to ``hi`` (``3.0`` and ``"３"`` are 3; ``3.5`` and ``true`` are not)."""

    widget: ClassVar[str] = "int"
    kind: ClassVar[str] = "integer"
    KIND: ClassVar[Text] = ("整数", "a whole number")

    def read(self, value: Any, at: At) -> int:
        x = self.number(value, at)
        if x != x.to_integral_value():
            raise self.wrong(value, at)
        self.check(x, value, at)
        return int(x)


@dataclass(frozen=True, kw_only=True)
class Amount(Number):
    """An amount of money in yuan, 0 to 10,000,000 unless said otherwise."""

    hi: Decimal | int | Rule | None = MAX_AMOUNT
    unit: Text | None = ("元", "yuan")
    kind: ClassVar[str] = "amount"
    KIND: ClassVar[Text] = ("金额", "an amount")

    def units(self) -> tuple[str, ...]:
        return ("元", "yuan", "Yuan", "RMB")


Choices = Mapping[str, Text]


@dataclass(frozen=True, kw_only=True)
class Choice(Field):
    """One of the ``choices`` (code -> (zh, en) label); ``by`` groups the form's options by a sibling's value
    (travel classes by mode).  ``widget`` is ``enum``, ``place`` (destinations) or ``cls`` (classes)."""

    choices: Choices | Callable[[], Choices]
    by: Mapping[str, Choices] | Callable[[], Mapping[str, Choices]] | None = None
    form: str = "enum"

    @property
    def widget(self) -> str:  # type: ignore[override]
        return self.form

    kind: ClassVar[str] = "choice"

    def options(self) -> dict[str, Text]:
        return dict(self.choices() if callable(self.choices) else self.choices)

    def grouped(self) -> dict[str, dict[str, Text]]:
        by = self.by() if callable(self.by) else self.by
        return {k: dict(v) for k, v in (by or {}).items()}

    def allowed(self) -> Text:
        opts = self.options()
        return ("以下之一:" + "、".join(f"{zh}({code})" for code, (zh, _) in opts.items()),
                "one of " + ", ".join(f"{code} ({en})" for code, (_, en) in opts.items()))

    def read(self, value: Any, at: At) -> str:
        if not isinstance(value, str) or value not in self.options():
            raise self.wrong(value, at)
        return value

    def json_schema(self) -> dict:
        return {"enum": list(self.options())}


@dataclass(frozen=True, kw_only=True)
class Bool(Field):
    """Yes or no.  ``form="tri"``: an optional yes/no the form asks with a select (not given / yes / no)."""

    form: str = "bool"
    kind: ClassVar[str] = "boolean"
    YES_NO: ClassVar[dict[str, Text]] = {"true": ("是", "yes"), "false": ("否", "no")}

    @property
    def widget(self) -> str:  # type: ignore[override]
        return self.form

    def options(self) -> dict[str, Text]:
        return dict(self.YES_NO)

    def allowed(self) -> Text:
        return "是或否(true 或 false)", "yes or no (true or false)"

    def read(self, value: Any, at: At) -> bool:
        if not isinstance(value, bool):
            raise self.wrong(value, at)
        return value

    def json_schema(self) -> dict:
        return {"type": "boolean"}


# Characters that reorder the text around them (bidirectional embeddings, overrides, isolates and marks):
# "\u202e" in a name would show "Chengdu" on screen or paper as "udgnehC", or turn the words after it
# around. A name keeps none of them (overrides/assets/calc/dom.js holds the same set for the worksheet's
# echo of the form; tests/calculators/test_fields.py checks that they agree).
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


@dataclass(frozen=True, kw_only=True)
class Name(Field):
    """A short text (a destination's name), trimmed, without bidirectional controls; ``hi`` characters at most."""

    hi: int = 48
    widget: ClassVar[str] = "text"
    kind: ClassVar[str] = "text"

    def allowed(self) -> Text:
        return f"不超过 {self.hi} 个字的文字", f"a text of at most {self.hi} characters"

    def read(self, value: Any, at: At) -> str:
        text = _BIDI.sub("", value).strip() if isinstance(value, str) else ""
        if not text or len(text) > self.hi:
            raise self.wrong(value, at)
        return text

    def json_schema(self) -> dict:
        return {"type": "string", "minLength": 1, "maxLength": self.hi}


DAY_HELP = ("按当日施行的规定计算;不填则按今天施行的规定", "the rules in force that day apply; leave empty for today's")
DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


@dataclass(frozen=True, kw_only=True)
class Day(Field):
    """A day, ``YYYY-MM-DD``, not before the first day the handbook covers (the regulation's own date).

    It picks the rules in force that day; its label says which day it is (the expense's, or a trip's first day)."""

    widget: ClassVar[str] = "date"
    kind: ClassVar[str] = "date"

    def first(self) -> str:
        from .rules import first_day

        return first_day()

    def allowed(self) -> Text:
        first = self.first()
        return (f"YYYY-MM-DD 格式的日期,不早于 {first}(本手册涵盖的第一天)",
                f"a date written YYYY-MM-DD, not before {first} (the first day the handbook covers)")

    def read(self, value: Any, at: At) -> str:
        if not isinstance(value, str) or not re.fullmatch(DAY_PATTERN, value.strip()):
            raise self.wrong(value, at)
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:  # well written, but no such day (2021-02-29, 2020-13-01)
            y, m, d = value.strip().split("-")
            raise at.error(f"没有 {value.strip()} 这一天({int(y)}年没有{int(m)}月{int(d)}日)",
                           f"there is no such day as {value.strip()}") from None
        if day.isoformat() < self.first():
            a_zh, a_en = self.allowed()
            raise at.error(f"须为{a_zh};更早的费用请按当时的规定向财务人员核实,而不是 {day.isoformat()}",
                           f"must be {a_en}; for an earlier expense check the rules of that time with the finance "
                           f"office, not {day.isoformat()}")
        return day.isoformat()

    def json_schema(self) -> dict:
        return {"type": "string", "format": "date", "pattern": DAY_PATTERN}


@dataclass(frozen=True, kw_only=True)
class Fields:
    """Fields inside an object: the input itself, a :class:`Group` or each item of a :class:`ListOf`."""

    fields: tuple[Field, ...] = ()

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def read_object(self, value: Any, at: At) -> dict:
        if not isinstance(value, Mapping):
            s_zh, s_en = _shown(value)
            raise at.error(f"须为一组字段(JSON 对象),而不是{s_zh}", f"must be a set of fields (a JSON object), not {s_en}")
        known = {f.name: f for f in self.fields}
        for key in value:
            if key not in known:
                names = ", ".join(known)
                name = excerpt(key) if isinstance(key, str) else excerpt(repr(key))
                shown = f"{at.path}.{name}" if at.path else name
                where = At(shown, at.labels)
                raise where.error(f"未知字段 {shown}。允许的字段:{names}", f"unknown field {shown}. Allowed fields: {names}")
        out: dict = {}
        for f in self.fields:
            here = at.key(f.name, f.label)
            raw = value.get(f.name)
            if raw is None:
                if f.required:
                    raise f.missing(here)
                if f.default is not None:
                    out[f.name] = f.read(f.default, here)
                continue
            out[f.name] = f.read(raw, here)
        return out

    def object_schema(self) -> dict:
        props = {}
        for f in self.fields:
            s = f.schema()
            if not f.required:
                s = {"anyOf": [s, {"type": "null"}]}
                if f.default is not None:
                    s["default"] = f.default
            props[f.name] = s
        return {"type": "object", "properties": props, "required": [f.name for f in self.fields if f.required],
                "additionalProperties": False}


@dataclass(frozen=True, kw_only=True)
class Group(Field, Fields):
    """An optional object (travel ``lodging``); ``new`` is what the form starts it with."""

    new: Mapping = field(default_factory=dict)
    widget: ClassVar[str] = "group"
    kind: ClassVar[str] = "object"

    def allowed(self) -> Text:
        return "一组字段(" + "、".join(f.label[0] for f in self.fields) + ")", \
            "a set of fields (" + ", ".join(f.label[1] for f in self.fields) + ")"

    def read(self, value: Any, at: At) -> dict:
        return self.read_object(value, at)

    def json_schema(self) -> dict:
        return self.object_schema()


@dataclass(frozen=True, kw_only=True)
class ListOf(Field, Fields):
    """A list of ``lo`` to ``hi`` objects; ``item`` labels one ("第{n}段行程", "Leg {n}"), ``add`` the form's
    button, ``new`` what a new row starts with."""

    lo: int = 0
    hi: int
    item: Text
    add: Text
    new: Mapping = field(default_factory=dict)
    widget: ClassVar[str] = "list"
    kind: ClassVar[str] = "array"

    def allowed(self) -> Text:
        return f"{self.lo}–{self.hi} 项的列表", f"a list of {self.lo} to {self.hi} items"

    def read(self, value: Any, at: At) -> list:
        if not isinstance(value, (list, tuple)):
            raise self.wrong(value, at)
        if not self.lo <= len(value) <= self.hi:
            raise at.error(f"须有 {self.lo}–{self.hi} 项,而不是 {len(value)} 项",
                           f"must have {self.lo} to {self.hi} items, not {len(value)}")
        return [self.read_object(raw, at.item(i, self.item)) for i, raw in enumerate(value)]

    def json_schema(self) -> dict:
        return {"type": "array", "minItems": self.lo, "maxItems": self.hi, "items": self.object_schema()}


# ---------------------------------------------------------------------------- a calculator's form


class Form(Fields):
    """A calculator's input: its fields, read, checked and described from this one declaration."""

    def __init__(self, *fields: Field):
        super().__init__(fields=tuple(fields))

    def read(self, data: Any) -> dict:
        return self.read_object(data, At())

    def at(self, path: str) -> At:
        """The place of ``path`` (``legs[1].days``), with its labels, for a check across fields."""
        at, fields, last = At(), self.fields, None
        for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
            if part.startswith("["):
                at = at.item(int(part[1:-1]), last.item) if isinstance(last, ListOf) else At(at.path + part, at.labels)
                continue
            last = next((f for f in fields if f.name == part), None)
            if last is None:
                return At(path, at.labels)
            at = at.key(part, last.label)
            fields = last.fields if isinstance(last, Fields) else ()
        return at

    def label(self, path: str) -> Text:
        """The field at ``path`` as the reader sees it, in each language (“行程 · 第2段行程 · 本段交通工具”): how a
        message about another field names it, never by its code."""
        at = self.at(path)
        return at.label(0), at.label(1)

    def choice(self, path: str, code: str) -> Text:
        """The label of choice ``code`` of the field at ``path`` (``choice("event", "no_show")``)."""
        return self.field(path).options()[code]

    def error(self, path: str, zh: str, en: str) -> CalcError:
        """A CalcError about the field at ``path``, naming it by its label."""
        return self.at(path).error(zh, en)

    def field(self, path: str) -> Field:
        """The field declared at ``path`` (``legs[1].days`` or ``legs[].days``)."""
        want = re.sub(r"\[\d*\]", "[]", path)
        return next(f for p, f in self.walk() if p == want)

    def missing(self, path: str) -> CalcError:
        """The error of a field that a check across fields requires."""
        return self.field(path).missing(self.at(path))

    def day(self, data: Any) -> date | None:
        """The day the input's ``date`` field names (read and checked as declared), or None (today's rules)."""
        f = next((f for f in self.fields if isinstance(f, Day)), None)
        if f is None or not isinstance(data, Mapping) or data.get(f.name) is None:
            return None
        return date.fromisoformat(f.read(data[f.name], At().key(f.name, f.label)))

    def walk(self) -> Iterator[tuple[str, Field]]:
        """(path, field) for every field, ``legs[].days`` inside lists."""
        def go(fields, prefix):
            for f in fields:
                path = prefix + f.name
                yield path, f
                if isinstance(f, ListOf):
                    yield from go(f.fields, path + "[].")
                elif isinstance(f, Group):
                    yield from go(f.fields, path + ".")
        yield from go(self.fields, "")

    def schema(self, title: Text | None = None) -> dict:
        out = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
        if title:
            out["title"] = f"{title[0]} / {title[1]}"
        out.update(self.object_schema())
        return out

