"""The handbook's data model, declared once.

Every YAML file under ``data/`` is parsed into these models by :mod:`handbook.loader`.
The site generator renders them, the rules exporter turns their typed values into the
JSON the calculators read, and the question bank cites their ids.

Ids
---
* Part ids are one slug: ``finance``.
* Section ids are ``<part>.<slug>``: ``finance.travel``.
* Clause ids extend their parent's id by one slug: ``finance.travel.meal-allowance``,
  ``finance.travel.meal-allowance.errand``.  An id never changes once published.
* Value ids (typed numbers that rules use) are dotted snake-case:
  ``travel.meal.in_province``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
PART_ID = re.compile(rf"^{SLUG}$")
DOTTED_ID = re.compile(rf"^{SLUG}(?:\.{SLUG})+$")
VALUE_ID = re.compile(r"^[a-z0-9_]+(?:\.[a-z0-9_]+)+$")
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z0-9]")
FRACTION = re.compile(r"^[1-9][0-9]*/[1-9][0-9]*$")

UNITS = (
    "yuan",  # an amount of money
    "yuan_per_day",
    "yuan_per_meal",
    "yuan_per_person",  # per person per occasion (reception meals)
    "yuan_per_person_day",  # per person per day (training quota)
    "percent",
    "fraction",  # e.g. 1/2 for a quorum of "half"
    "ratio",  # hosts per guest
    "minutes",
    "hours",
    "days",
    "meals",
    "times",
    "people",
    "points",
    "classes",  # a list of travel classes
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(Strict):
    """A text in both languages: ``zh`` is the authoritative original, ``en`` the reference translation."""

    zh: str
    en: str

    @field_validator("zh", "en")
    @classmethod
    def _not_blank(cls, text: str, info) -> str:
        if not text or not text.strip():
            raise ValueError(f"missing translation: '{info.field_name}' is empty")
        return text.strip()

    @model_validator(mode="after")
    def _english_is_english(self) -> "Bilingual":
        if not LATIN.search(self.en):
            raise ValueError(f"missing translation: 'en' has no English text: {self.en!r}")
        if self.en == self.zh and CJK.search(self.zh):
            raise ValueError("missing translation: 'en' repeats the Chinese text")
        return self

    def __getitem__(self, lang: str) -> str:
        return getattr(self, lang)


NoteKind = Literal["correction", "garbled", "ambiguity", "silent", "structure", "translation"]


class EditorialNote(Strict):
    """A note by the handbook's editors: never part of the rule itself.

    ``original`` quotes the seed verbatim; ``reading`` is the wording or value the handbook
    reads it as; ``note`` explains why, in both languages.
    """

    kind: NoteKind
    original: str | None = None
    reading: str | None = None
    note: Bilingual

    @model_validator(mode="after")
    def _correction_has_both(self) -> "EditorialNote":
        if self.kind == "correction" and not (self.original and self.reading):
            raise ValueError("a 'correction' note needs both 'original' and 'reading'")
        return self


class Value(Strict):
    """A typed number (or list) that a rule states, kept next to the clause that states it."""

    id: str
    value: Decimal | list[str] | str  # a string only for a fraction: "2/3"
    unit: str
    label: Bilingual

    @field_validator("id")
    @classmethod
    def _id_format(cls, v: str) -> str:
        if not VALUE_ID.match(v):
            raise ValueError(f"malformed value id {v!r}: use dotted snake_case like 'travel.meal.in_province'")
        return v

    @field_validator("unit")
    @classmethod
    def _unit_known(cls, v: str) -> str:
        if v not in UNITS:
            raise ValueError(f"unknown unit {v!r}; known units: {', '.join(UNITS)}")
        return v

    @field_validator("value", mode="before")
    @classmethod
    def _no_floats_or_bools(cls, v):
        if isinstance(v, bool):
            raise ValueError("a value must be a number or a list of strings, not a boolean")
        if isinstance(v, float):
            # YAML floats are binary; keep the decimal the author wrote.
            return Decimal(repr(v))
        if isinstance(v, str) and not FRACTION.match(v):
            raise ValueError(f"a value must be a number (or a fraction like '2/3'), not the string {v!r}")
        return v

    @model_validator(mode="after")
    def _fraction_unit(self) -> "Value":
        if isinstance(self.value, str) and self.unit != "fraction":
            raise ValueError(f"value {self.id!r}: a fraction string needs unit 'fraction'")
        return self


class Cell(Strict):
    zh: str
    en: str
    colspan: int = Field(default=1, ge=1, le=12)
    rowspan: int = Field(default=1, ge=1, le=12)
    header: bool = False  # a row header inside the body


class Table(Strict):
    """A table the web page lost the structure of, restored."""

    id: str
    caption: Bilingual
    unit: Bilingual | None = None
    head: list[list[Cell]] = Field(min_length=1)
    body: list[list[Cell]] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not PART_ID.match(v):
            raise ValueError(f"malformed table id {v!r}: use a lowercase slug like 'meal-allowance'")
        return v


class TableBlock(Strict):
    table: Table


Block = Union[Bilingual, TableBlock]


class Clause(Strict):
    id: str
    number: str | None = None  # the seed's own marker, verbatim: "1.", "1", "1)", "(一)", "一、"
    title: Bilingual | None = None
    body: list[Block] = []
    clauses: list["Clause"] = []
    values: list[Value] = []
    notes: list[EditorialNote] = []
    see: list[str] = []  # ids of related clauses

    @model_validator(mode="after")
    def _has_content(self) -> "Clause":
        if not (self.title or self.body or self.clauses):
            raise ValueError(f"clause {self.id!r} has no title, body or sub-clauses")
        return self

    def walk(self):
        yield self
        for child in self.clauses:
            yield from child.walk()


class Section(Strict):
    id: str
    number: str | None = None
    title: Bilingual
    summary: Bilingual | None = None  # one editorial sentence for the page's description
    intro: list[Block] = []  # preamble paragraphs before the numbered clauses
    clauses: list[Clause] = []
    notes: list[EditorialNote] = []

    def walk(self):
        for clause in self.clauses:
            yield from clause.walk()


class Part(Strict):
    id: str
    number: str
    title: Bilingual
    sections: list[Section] = Field(min_length=1)
    notes: list[EditorialNote] = []


class PartFile(Strict):
    """The top-level shape of ``data/regulation/<part>.yaml``."""

    part: Part


class Source(Strict):
    title: Bilingual
    issuer: Bilingual
    published: date
    recorded_by: Bilingual
    publisher: Bilingual  # the website that carried it
    breadcrumb: Bilingual
    seed_file: str
    parts: list[str] = Field(min_length=1)  # file names under data/regulation/, in order
    notes: list[EditorialNote] = []


class Synonyms(Strict):
    """Words a reader may type for a glossary term (search only; never linked or displayed as the term)."""

    zh: list[str] = []
    en: list[str] = []

    @field_validator("zh")
    @classmethod
    def _chinese(cls, words: list[str]) -> list[str]:
        for w in words:
            if not w.strip() or not CJK.search(w):
                raise ValueError(f"a zh synonym must be Chinese text, not {w!r}")
        return [w.strip() for w in words]

    @field_validator("en")
    @classmethod
    def _english(cls, words: list[str]) -> list[str]:
        for w in words:
            if not w.strip() or CJK.search(w) or not LATIN.search(w):
                raise ValueError(f"an en synonym must be English text, not {w!r}")
        return [w.strip() for w in words]


class Term(Strict):
    id: str
    zh: str
    en: str
    definition: Bilingual
    clauses: list[str] = []  # where the term matters
    aliases: list[str] = []  # other zh spellings to link
    synonyms: Synonyms = Synonyms()  # what readers may type instead (search finds the term by them)

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not PART_ID.match(v):
            raise ValueError(f"malformed term id {v!r}: use a lowercase slug")
        return v


class Glossary(Strict):
    terms: list[Term] = Field(min_length=1)


# --------------------------------------------------------------------------- travel regions


class Place(Strict):
    zh: str
    en: str
    external: bool = False  # not named by the regulation (shown as such)


class Region(Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    label: Bilingual
    clause: str
    places: list[Place] = Field(min_length=1)


class Regions(Strict):
    """``data/regions.yaml``: the travel allowance regions and the places in each."""

    regions: list[Region] = Field(min_length=1)


# --------------------------------------------------------------------------- the question bank

QUESTION_ID = re.compile(rf"^{SLUG}$")
ARITHMETIC = re.compile(r"^[\sA-Za-z0-9_.+\-*/()]+$")
VALUE_REF = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+")  # a value id inside a formula
# {value:<value id>} (a rate from the data) or {answer} (a numeric question's computed answer)
PLACEHOLDER = re.compile(r"\{(?:value:(?P<value>[^}]+)|(?P<answer>answer))\}")


class Choice(Strict):
    id: str = Field(pattern=r"^[a-h]$")
    text: Bilingual


class Numeric(Strict):
    """A numeric question's answer: computed by a calculator, and by a formula over the data's values.

    ``formula`` is arithmetic over value ids (``3 * travel.meal.ziyang_county``); ``line`` picks the
    result line whose clause is that id (or ``total``). A test checks that both agree, so a changed
    rate changes the answer and cannot make the question wrong.
    """

    calculator: str
    input: dict
    line: str = "total"
    formula: str
    unit: Bilingual

    @field_validator("formula")
    @classmethod
    def _arithmetic(cls, v: str) -> str:
        if not ARITHMETIC.match(v):
            raise ValueError(f"formula {v!r} may only use numbers, value ids, + - * / and parentheses")
        return v


class Question(Strict):
    id: str
    kind: Literal["single", "multiple", "true_false", "numeric"]
    clause: str  # the clause it tests
    prompt: Bilingual
    choices: list[Choice] = []
    answer: str | list[str] | bool | None = None  # choice id, choice ids, true/false; numeric: computed
    numeric: Numeric | None = None
    explanation: Bilingual

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not QUESTION_ID.match(v):
            raise ValueError(f"malformed question id {v!r}: use a lowercase slug")
        return v

    @model_validator(mode="after")
    def _answer_fits_kind(self) -> "Question":
        ids = [c.id for c in self.choices]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question {self.id!r}: duplicate choice ids")
        if self.kind == "single":
            if len(ids) < 2:
                raise ValueError(f"question {self.id!r}: a single-choice question needs at least two choices")
            if not isinstance(self.answer, str) or self.answer not in ids:
                raise ValueError(f"question {self.id!r}: the answer {self.answer!r} is not among its choices {ids}")
        elif self.kind == "multiple":
            if len(ids) < 2:
                raise ValueError(f"question {self.id!r}: a multiple-choice question needs at least two choices")
            if not isinstance(self.answer, list) or not self.answer or any(a not in ids for a in self.answer):
                raise ValueError(f"question {self.id!r}: the answers {self.answer!r} are not all among its choices {ids}")
        elif self.kind == "true_false":
            if not isinstance(self.answer, bool) or self.choices:
                raise ValueError(f"question {self.id!r}: a true/false question has answer true or false and no choices")
        elif self.kind == "numeric":
            if self.numeric is None or self.answer is not None or self.choices:
                raise ValueError(f"question {self.id!r}: a numeric question has a 'numeric' spec, no choices and no answer")
        if self.kind != "numeric" and self.numeric is not None:
            raise ValueError(f"question {self.id!r}: only numeric questions have a 'numeric' spec")
        return self


class QuestionFile(Strict):
    """``data/questions/<part>.yaml``: the questions on one part of the regulation."""

    part: str
    questions: list[Question] = Field(min_length=1)


Clause.model_rebuild()
