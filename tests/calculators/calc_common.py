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


_RESULT = None


def result_validator():
    """The declared result schema (calculators/result.py SCHEMA), as a validator."""
    global _RESULT
    if _RESULT is None:
        import jsonschema

        from calculators.result import SCHEMA

        jsonschema.Draft202012Validator.check_schema(SCHEMA)
        _RESULT = jsonschema.Draft202012Validator(SCHEMA)
    return _RESULT


def check_shape(result: dict) -> None:
    """The contract every result keeps: the declared schema, and the sums."""
    errors = [f"{list(e.path)}: {e.message[:200]}" for e in result_validator().iter_errors(result)]
    assert not errors, errors
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
    own = result["traveller_pays"]
    assert dec(own["total"]) == sum((dec(x["amount"]) for x in own["lines"]), Decimal(0))
    json.dumps(result, allow_nan=False)  # plain JSON
