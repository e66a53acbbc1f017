"""Readers for the calculators' input fields.

Each reader takes the enclosing object, the key and the object's own path, checks the value
and returns it normalised (``Decimal`` for amounts, ``int`` for counts).  Every failure is a
:class:`~calculators.errors.CalcError` naming the field's full path (``legs[1].days``) with a
message in Chinese and English.  Booleans are never accepted where a number is expected,
strings are never accepted as numbers, NaN and infinities are refused, and unknown fields
are an error (a misspelt optional field would otherwise be silently ignored).
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping

from .errors import CalcError
from .money import fmt

MISSING: Any = object()

# The sane bounds.
DAYS = (1, 365)
PEOPLE = (1, 1000)
AMOUNT = (Decimal(0), Decimal(10_000_000))


def join(path: str, key: str | int) -> str:
    """``join("legs", 1)`` -> ``legs[1]``; ``join("legs[1]", "days")`` -> ``legs[1].days``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _shown(path: str) -> str:
    return path or "input"


def _type_name(value: Any) -> tuple[str, str]:
    if value is None:
        return "null", "null"
    if isinstance(value, bool):
        return "布尔值", "a boolean"
    if isinstance(value, str):
        return "字符串", "a string"
    if isinstance(value, (int, float, Decimal)):
        return "数字", "a number"
    if isinstance(value, Mapping):
        return "对象", "an object"
    if isinstance(value, (list, tuple)):
        return "数组", "an array"
    return type(value).__name__, type(value).__name__


def _wrong_type(path: str, value: Any, zh_want: str, en_want: str) -> CalcError:
    zh_got, en_got = _type_name(value)
    return CalcError(
        path,
        f"字段 {_shown(path)} 应为{zh_want},实际为{zh_got}。",
        f"field {_shown(path)} must be {en_want}, not {en_got}.",
    )


def obj(value: Any, path: str, fields: Iterable[str]) -> Mapping:
    """An object whose keys are all among ``fields``."""
    if not isinstance(value, Mapping):
        raise _wrong_type(path, value, "对象(JSON object)", "a JSON object")
    allowed = list(fields)
    for key in value:
        if key not in allowed:
            shown = join(path, excerpt(key)) if isinstance(key, str) else f"{_shown(path)}[{key!r}]"
            names = ", ".join(allowed)
            raise CalcError(
                shown,
                f"未知字段 {shown}。允许的字段:{names}。",
                f"unknown field {shown}. Allowed fields: {names}.",
            )
    return value


def present(d: Mapping, key: str) -> bool:
    """Whether an optional field was given (``null`` counts as not given, as an empty form field)."""
    return d.get(key) is not None


def _get(d: Mapping, key: str, path: str, default: Any) -> tuple[bool, Any]:
    """(given, value): the field's value, or the default when it is absent or null."""
    if present(d, key):
        return True, d[key]
    if default is MISSING:
        p = join(path, key)
        raise CalcError(p, f"缺少必填字段 {p}。", f"missing required field {p}.")
    return False, default


def _finite(value: Any, path: str, zh_want: str, en_want: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise _wrong_type(path, value, zh_want, en_want)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CalcError(path, f"字段 {path} 必须是有限的数字(不能是 NaN 或无穷大)。",
                            f"field {path} must be a finite number (not NaN or infinity).")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise CalcError(path, f"字段 {path} 必须是有限的数字(不能是 NaN 或无穷大)。",
                            f"field {path} must be a finite number (not NaN or infinity).")
        return value
    try:
        return Decimal(value)
    except (InvalidOperation, ValueError, OverflowError):  # pragma: no cover - ints always convert
        raise _wrong_type(path, value, zh_want, en_want) from None


def _bounds(x: Decimal, path: str, lo: Decimal | int, hi: Decimal | int, zh_kind: str, en_kind: str) -> None:
    if x < lo or x > hi:
        raise CalcError(
            path,
            f"字段 {path} 应为 {fmt(Decimal(lo))} 到 {fmt(Decimal(hi))} 之间的{zh_kind},实际为 {_short(x)}。",
            f"field {path} must be {en_kind} from {fmt(Decimal(lo))} to {fmt(Decimal(hi))}, not {_short(x)}.",
        )


SHOWN = 48  # characters of a bad value quoted back in a message


def excerpt(text: str, limit: int = SHOWN) -> str:
    """Input text quoted back in a message: at most ``limit`` characters (then "…"), with control
    characters, lone surrogates and other unprintable characters written as ``\\uXXXX`` escapes,
    so that any terminal or page can show the message."""
    cut = text if len(text) <= limit else text[: limit - 1] + "…"
    return "".join(ch if ch.isprintable() or ch == "\u3000" else f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF
                   else f"\\U{ord(ch):08x}" for ch in cut)


def _short(x: Decimal) -> str:
    text = format(x, "f") if abs(x.adjusted()) < SHOWN // 2 else f"{x:.3e}"
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def integer(d: Mapping, key: str, path: str, lo: int, hi: int, default: Any = MISSING) -> int:
    """A whole number in ``[lo, hi]`` (``3.0`` is accepted as 3; ``3.5``, ``true`` and ``"3"`` are not)."""
    p = join(path, key)
    given, value = _get(d, key, path, default)
    if not given:
        return value
    x = _finite(value, p, "整数", "a whole number")
    if x != x.to_integral_value():
        raise CalcError(p, f"字段 {p} 应为整数,实际为 {_short(x)}。", f"field {p} must be a whole number, not {_short(x)}.")
    _bounds(x, p, lo, hi, "整数", "a whole number")
    return int(x)


def number(d: Mapping, key: str, path: str, lo: Decimal | int, hi: Decimal | int, default: Any = MISSING) -> Decimal:
    """A number (decimals allowed) in ``[lo, hi]``, as a Decimal."""
    p = join(path, key)
    given, value = _get(d, key, path, default)
    if not given:
        return value
    x = _finite(value, p, "数字", "a number")
    _bounds(x, p, lo, hi, "数字", "a number")
    return x


def amount(d: Mapping, key: str, path: str, default: Any = MISSING) -> Decimal:
    """An amount of money in yuan, 0 to 10,000,000."""
    p = join(path, key)
    given, value = _get(d, key, path, default)
    if not given:
        return value
    x = _finite(value, p, "金额(数字)", "an amount (a number)")
    _bounds(x, p, AMOUNT[0], AMOUNT[1], "金额(元)", "an amount in yuan")
    return x


def days(d: Mapping, key: str, path: str, default: Any = MISSING) -> int:
    return integer(d, key, path, *DAYS, default=default)


def people(d: Mapping, key: str, path: str, default: Any = MISSING) -> int:
    return integer(d, key, path, *PEOPLE, default=default)


def boolean(d: Mapping, key: str, path: str, default: Any = MISSING) -> bool:
    p = join(path, key)
    given, value = _get(d, key, path, default)
    if not given:
        return value
    if not isinstance(value, bool):
        raise _wrong_type(p, value, "布尔值(true 或 false)", "a boolean (true or false)")
    return value


def enum(d: Mapping, key: str, path: str, choices: Iterable[str], default: Any = MISSING) -> str:
    p = join(path, key)
    given, value = _get(d, key, path, default)
    if not given:
        return value
    options = list(choices)
    names = ", ".join(f'"{c}"' for c in options)
    if not isinstance(value, str):
        zh_got, en_got = _type_name(value)
        raise CalcError(p, f"字段 {p} 应为以下之一:{names};实际为{zh_got}。",
                        f"field {p} must be one of {names}, not {en_got}.")
    if value not in options:
        shown = value if len(value) <= SHOWN else value[: SHOWN - 1] + "…"
        raise CalcError(p, f"字段 {p} 的值 {shown!r} 无效,应为以下之一:{names}。",
                        f"field {p} has the invalid value {shown!r}; use one of {names}.")
    return value


def array(d: Mapping, key: str, path: str, lo: int, hi: int, default: Any = MISSING) -> list:
    """A list of ``lo`` to ``hi`` items (the items are read by the caller)."""
    p = join(path, key)
    given, value = _get(d, key, path, default)
    if not given:
        return value
    if not isinstance(value, (list, tuple)):
        raise _wrong_type(p, value, "数组(JSON array)", "a JSON array")
    if not lo <= len(value) <= hi:
        raise CalcError(p, f"字段 {p} 应包含 {lo} 到 {hi} 项,实际为 {len(value)} 项。",
                        f"field {p} must have {lo} to {hi} items, not {len(value)}.")
    return list(value)


def child(d: Mapping, key: str, path: str, fields: Iterable[str], default: Any = MISSING) -> Mapping | Any:
    """A nested object (``lodging``), checked for unknown fields."""
    p = join(path, key)
    given, value = _get(d, key, path, default)
    if not given:
        return value
    return obj(value, p, fields)
