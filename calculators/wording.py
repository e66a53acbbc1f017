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
