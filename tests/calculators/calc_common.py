"""Helpers shared by the calculator tests (and, later, the CLI and browser tests)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GOLDEN = json.loads((HERE / "golden.json").read_text(encoding="utf-8"))


def dec(x) -> Decimal:
    """A JSON number as the decimal it prints as."""
    return Decimal(repr(x)) if isinstance(x, float) else Decimal(x)


def lookup(obj, dotted: str):
    """``lookup(result, "decision.approvers.0.role")``."""
    for part in dotted.split("."):
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    return obj


def check_shape(result: dict) -> None:
    """The contract every result keeps."""
    for key in ("calculator", "unit", "total", "total_text", "lines", "warnings", "notes", "citations", "input"):
        assert key in result, key
    assert isinstance(result["total"], float)
    total = dec(result["total"])
    assert total == sum((dec(line["amount"]) for line in result["lines"]), Decimal(0))
    assert total >= 0
    for line in result["lines"]:
        assert set(line) >= {"zh", "en", "amount", "clause"}
        assert line["zh"] and line["en"] and line["clause"]
        assert dec(line["amount"]) >= 0
    for w in result["warnings"]:
        assert set(w) >= {"zh", "en", "clause"} and w["zh"] and w["en"] and w["clause"]
    for n in result["notes"]:
        assert n["zh"] and n["en"]
    cited = [x["clause"] for x in result["lines"] + result["warnings"]] + [n["clause"] for n in result["notes"] if "clause" in n]
    for c in cited:
        assert c in result["citations"], c
    json.dumps(result, allow_nan=False)  # plain JSON
