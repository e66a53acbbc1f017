"""Decimal arithmetic for money, points and day counts.

Amounts are :class:`~decimal.Decimal` throughout; a result's line amounts are rounded to
0.01 half-up when the line is made, and the total is the exact sum of the rounded lines.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
HALF = ONE / 2  # half a day: a unit, not a rate


def round_cents(x: Decimal) -> Decimal:
    """Round to 0.01, half-up (0.005 -> 0.01)."""
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def floor(x: Decimal) -> Decimal:
    return x.to_integral_value(rounding=ROUND_FLOOR)


def percent(p: Decimal) -> Decimal:
    """A percentage as a factor: 90 -> 0.9."""
    return p.scaleb(-2)


def fmt(x: Decimal) -> str:
    """A number for a sentence: ``100``, ``0.5``, ``12.35`` (no exponent, no trailing zeros)."""
    if x == x.to_integral_value():
        return str(int(x))
    return format(x.normalize(), "f")


def fmt_money(x: Decimal) -> str:
    """Two decimals: ``360.00``."""
    return format(round_cents(x), "f")


def to_json(x: Decimal) -> int | float:
    """An input number for JSON: an int when whole, else the float that prints as the decimal."""
    if x == x.to_integral_value():
        return int(x)
    return float(x)


def amount_json(x: Decimal) -> float:
    """A result amount for JSON: the float of the amount rounded to 0.01 (``360.0``, ``4.29``).

    ``Decimal(repr(f))`` gives the rounded decimal back exactly, so sums can be checked exactly.
    """
    return float(round_cents(x))
