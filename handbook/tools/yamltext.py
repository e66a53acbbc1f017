"""Writing into the data's YAML by text, so that its comments and layout stay as they are."""

from __future__ import annotations

import json
import re
from datetime import date

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def scalar(v) -> str:
    """One YAML scalar: numbers and ISO days bare, every string double-quoted (so `[2025]`, `:` and `#` are safe)."""
    if isinstance(v, bool) or v is None:
        raise TypeError(f"not a data scalar: {v!r}")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, (int, float)):
        return str(v)
    if ISO_DAY.fullmatch(str(v)):
        return str(v)
    return json.dumps(str(v), ensure_ascii=False)


def flow(v) -> str:
    """A value as one line of YAML flow style."""
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(flow(x) for x in v) + "]"
    return scalar(v)


def item_end(lines: list[str], first: int) -> int:
    """The 0-based line after the YAML list item (or key) that starts on 0-based line ``first``."""
    indent = len(re.match(r" *", lines[first]).group(0))
    end = first + 1
    while end < len(lines) and (not lines[end].strip() or len(re.match(r" *", lines[end]).group(0)) > indent):
        end += 1
    while end > first + 1 and not lines[end - 1].strip():
        end -= 1
    return end
