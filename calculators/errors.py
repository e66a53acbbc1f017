"""The one exception the calculators raise.

``compute()`` of every calculator raises :class:`CalcError` for anything wrong with its input
(and, as a last resort, for a fault of its own): nothing else escapes.  The error names the
field by its path inside the input (``legs[1].days``; ``""`` for the input as a whole) and
says what is wrong in Chinese and in English.
"""

from __future__ import annotations

INTERNAL = "(internal)"  # the field of an error that is the engine's fault, not the input's
RULES = "(rules)"  # the field of an error in calculators/rules.json


class CalcError(Exception):
    """Invalid input (or missing rules): ``field`` path, ``zh`` and ``en`` messages."""

    def __init__(self, field: str, zh: str, en: str):
        self.field = field
        self.zh = zh
        self.en = en
        super().__init__(f"{field}: {en}" if field else en)

    def to_dict(self) -> dict:
        return {"field": self.field, "zh": self.zh, "en": self.en}

    def bilingual(self) -> str:
        """Two lines, Chinese then English, for a terminal."""
        return f"{self.zh}\n{self.en}"
