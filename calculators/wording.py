"""Bilingual wording: each rule keeps its sentences in a small table beside it, as (zh, en) pairs.

>>> say(("伙食补助费({region}):{n} 天", "Meal allowance ({region}): {n} day(s)"), region=("省外", "outside Sichuan"), n=2)
('伙食补助费(省外):2 天', 'Meal allowance (outside Sichuan): 2 day(s)')

An argument given as a (zh, en) pair is taken in each language; anything else is the same in both.
"""

from __future__ import annotations

from typing import Any

Text = tuple[str, str]


def say(pair: Text, **args: Any) -> Text:
    """Both sentences of ``pair``, filled in with ``args``."""
    return tuple(  # type: ignore[return-value]
        pair[i].format(**{k: (v[i] if isinstance(v, tuple) and len(v) == 2 and all(isinstance(x, str) for x in v) else v)
                          for k, v in args.items()})
        for i in (0, 1)
    )


def join(items: list[Text], sep: Text = ("、", ", ")) -> Text:
    """Pairs joined in each language: ``join([("甲", "A"), ("乙", "B")])`` -> ``("甲、乙", "A, B")``."""
    return sep[0].join(z for z, _ in items), sep[1].join(e for _, e in items)


# --------------------------------------------------------------------------- figures in the regulation's text

_CN = "零一二三四五六七八九"
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def figure(number: str, style: str | None = None) -> str:
    """A figure as the regulation's text writes it (``{value:<id>|style}``, declared once for the handbook's pages
    and the calculators' quotes): ``100`` as is; ``cn`` in Chinese numerals (1 -> 一, 2 -> 二, 12 -> 十二); ``liang``
    as ``cn`` but 2 -> 两 (两餐); ``word`` in English words (1 -> one, up to ten); 0.5 as 半 / ``half a`` before a
    singular unit (半天, half a day). A figure a style cannot write (a fraction, a large number) stays in digits."""
    if style and number == "0.5":
        return "half a" if style == "word" else "半"
    if not style or not number.isdigit():
        return number
    n = int(number)
    if style in ("cn", "liang"):
        if style == "liang" and n == 2:
            return "两"
        if len(number) == 1:
            return _CN[n]
        if len(number) == 2:  # 10-99
            tens, units = divmod(n, 10)
            return (_CN[tens] if tens > 1 else "") + "十" + (_CN[units] if units else "")
        return number
    if style == "word" and n < len(_WORDS):
        return _WORDS[n]
    return number
