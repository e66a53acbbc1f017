"""The handbook's data model, declared once.

Every YAML file under ``data/`` is parsed into these models by :mod:`handbook.model.loader`.
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
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Iterator, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from handbook.languages import language

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
PART_ID = re.compile(rf"^{SLUG}$")
DOTTED_ID = re.compile(rf"^{SLUG}(?:\.{SLUG})+$")
VALUE_ID = re.compile(r"^[a-z0-9_]+(?:\.[a-z0-9_]+)+$")
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z0-9]")
FRACTION = re.compile(r"^[1-9][0-9]*/[1-9][0-9]*$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- headings and URLs, per language

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def cn_to_int(text: str) -> int | None:
    """一 -> 1, 十 -> 10, 十三 -> 13, 二十 -> 20 (enough for the regulation's markers)."""
    if not text or any(ch not in CN_DIGITS for ch in text):
        return None
    if "十" not in text:
        return CN_DIGITS[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[units] if units else 0)


def display_number(marker: str | None, lang: str) -> str:
    """The seed's numbering marker as shown to a reader: verbatim in Chinese, Arabic in English.

    一、 -> 1.   (四) -> (4)   1. / 1) / 1 stay as they are.
    """
    if not marker or lang == "zh":
        return marker or ""
    m = re.fullmatch(r"([一二三四五六七八九十]+)、", marker)
    if m and cn_to_int(m.group(1)):
        return f"{cn_to_int(m.group(1))}."
    m = re.fullmatch(r"[((]([一二三四五六七八九十]+)[))]", marker)
    if m and cn_to_int(m.group(1)):
        return f"({cn_to_int(m.group(1))})"
    return marker


def join_heading(marker: str, title: str, lang: str) -> str:
    """Marker and title as one heading: ``(四)差旅管理办法``, ``3 住宿费`` in Chinese, ``(4) Measures…`` in English."""
    spaced = lang == "en" or marker[-1:].isdigit()
    return f"{marker}{' ' if spaced and marker and title else ''}{title}"


class Headed:
    """Heading and URL of a part, section or clause (which have ``id``, ``number``, ``title``), per language:
    the one place they are built."""

    def marker(self, lang: str) -> str:
        """The numbering marker as the reader of ``lang`` sees it: ``(四)`` / ``(4)``."""
        return display_number(self.number, lang)

    def heading(self, lang: str, title: str | None = None, on: date | None = None) -> str:
        """``(四)差旅管理办法`` / ``(4) Measures for…`` as worded on ``on`` (default: the build day); ``title``
        replaces an untitled clause's (or a shortened) title."""
        if title is None:
            title = self.title_on(lang, on)
        return join_heading(self.marker(lang), title, lang)

    def title_on(self, lang: str, on: date | None = None) -> str:
        """The title in force on ``on`` (default: the build day): a clause's or section's heading can be amended
        (:class:`Heading`); '' for an untitled clause."""
        if self.title is None:
            return ""
        from handbook.model.timeline import build_day, heading_on  # timeline imports this module

        return heading_on(self.title, on or build_day(), lang)

    def page(self) -> str:
        """The page's path from the site root of either language: ``finance/travel/`` (a part: ``finance/``)."""
        parts = self.id.split(".")
        return f"{parts[0]}/" if len(parts) == 1 else f"{parts[0]}/{parts[1]}/"

    def url(self, lang: str) -> str:
        """The URL from the site's (zh) root: ``finance/travel/#finance.travel.lodging``, ``en/finance/travel/``."""
        anchor = f"#{self.id}" if self.id.count(".") >= 2 else ""
        return f"{language(lang).prefix}{self.page()}{anchor}"


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
    reads it as; ``note`` explains why, in both languages. ``id`` names a note a calculator applies (unique within
    its clause): ``calculators.rules.reading(clause id, note id)`` looks it up by it, never by its wording.
    """

    id: str | None = Field(default=None, pattern=rf"^{SLUG}$")
    kind: NoteKind
    original: str | None = None
    reading: str | None = None
    note: Bilingual
    # A standards table id (data/standards.yaml): the note says the handbook lacks that table's figures, so it is
    # shown only while the table has no rows; once the finance office fills it in, the clause shows those
    # figures "as of" their date and links to the standards page instead.
    until_standard: str | None = None

    @model_validator(mode="after")
    def _correction_has_both(self) -> "EditorialNote":
        if self.kind == "correction" and not (self.original and self.reading):
            raise ValueError("a 'correction' note needs both 'original' and 'reading'")
        return self


# How each unit is written after a figure (zh, en): the pages, the changes feed, search and, through rules.json, the
# calculators' results.
UNIT_LABELS = {
    "yuan": ("元", "yuan"),
    "yuan_per_day": ("元/人·天", "yuan per person per day"),
    "yuan_per_meal": ("元/餐", "yuan per meal"),
    "yuan_per_person": ("元/人次", "yuan per person per occasion"),
    "yuan_per_person_day": ("元/人·天", "yuan per person per day"),
    "percent": ("%", "%"),
    "fraction": ("", "(fraction)"),
    "ratio": ("(主:客)", "hosts per guest"),
    "minutes": ("分钟", "minutes"),
    "hours": ("小时", "hours"),
    "days": ("天", "days"),
    "meals": ("餐", "meals"),
    "times": ("次", "times"),
    "people": ("人", "people"),
    "points": ("分", "points"),
    "classes": ("", "(classes)"),
}


# What a value measures, declared once per unit; the loader checks each value's range by its kind.
UNIT_KIND = {
    "yuan": "money",  # an amount of money
    "yuan_per_day": "money",
    "yuan_per_meal": "money",
    "yuan_per_person": "money",  # per person per occasion (reception meals)
    "yuan_per_person_day": "money",  # per person per day (training quota)
    "percent": "percent",
    "fraction": "fraction",  # e.g. 1/2 for a quorum of "half"
    "ratio": "ratio",  # hosts per guest
    "minutes": "minutes",
    "hours": "hours",
    "days": "days",
    "meals": "count",
    "times": "count",
    "people": "count",
    "points": "points",
    "classes": "classes",  # a list of travel classes
}
KINDS = tuple(dict.fromkeys(UNIT_KIND.values()))
UNITS = tuple(UNIT_KIND)
CLASS_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def kind_problem(kind: str, value) -> str | None:
    """Why ``value`` cannot be a value of ``kind`` (None when it can): the ranges the loader enforces."""
    if kind == "classes":
        if not isinstance(value, list) or not value:
            return "a list of travel classes must name at least one class"
        if len(set(value)) != len(value):
            return "a list of travel classes names a class twice"
        bad = [c for c in value if not isinstance(c, str) or not CLASS_CODE.match(c)]
        return f"malformed class code(s) {bad}: use snake_case like 'hsr_second'" if bad else None
    if isinstance(value, list):
        return f"a {kind} value must be a number, not a list"
    number = value
    if isinstance(value, str):  # a fraction, "2/3"
        num, den = value.split("/")
        number = Decimal(num) / Decimal(den)
    if not number.is_finite():
        return f"a {kind} value must be a finite number"
    if kind == "fraction":
        if not 0 < number <= 1:
            return f"a fraction must be between 0 and 1 (got {value})"
        return None
    if isinstance(value, str):
        return f"a {kind} value must be a number, not the fraction {value!r}"
    if number < 0:
        return f"a {kind} value cannot be negative (got {value})"
    if kind == "percent" and number > 100:
        return f"a percentage must be between 0 and 100 (got {value})"
    if kind == "points" and number > 100:
        return f"points are out of 100 (got {value})"
    if kind in ("ratio", "minutes", "hours", "days") and number == 0:
        return f"a {kind} value must be greater than 0 (got {value})"
    if kind == "minutes" and number > 24 * 60:
        return f"minutes are within one day, at most 1440 (got {value})"
    if kind == "hours" and number > 24:
        return f"hours are within one day, at most 24 (got {value})"
    if kind == "count" and number != number.to_integral_value():
        return f"a count must be a whole number (got {value})"
    return None


def _plain_value(v):
    """YAML's scalars as the model keeps them: no booleans, floats as the decimal written."""
    if isinstance(v, bool):
        raise ValueError("a value must be a number or a list of strings, not a boolean")
    if isinstance(v, float):
        # YAML floats are binary; keep the decimal the author wrote.
        return Decimal(repr(v))
    if isinstance(v, str) and not FRACTION.match(v):
        raise ValueError(f"a value must be a number (or a fraction like '2/3'), not the string {v!r}")
    return v


class ValueSource(Strict):
    """The document (and its clause) that set a value: a regulation, a notice, an amendment.

    ``document`` names it with its number where it has one (资投促发〔2024〕1号); ``clause`` is the
    place inside it as that document numbers it (第三条); ``clause_id`` is the handbook clause that
    carries the text, when there is one.
    """

    document: Bilingual
    clause: Bilingual | None = None
    clause_id: str | None = None
    file: str | None = None  # the document's text under data/source/ (an amending document's wording is checked there)


class Amendment(Strict):
    """A later value of the same rule, in force from ``effective_from`` (until ``effective_to``, or the next)."""

    value: Decimal | list[str] | str
    effective_from: date
    effective_to: date | None = None  # the last day in force; absent: until the next amendment (or for good)
    source: ValueSource

    @field_validator("value", mode="before")
    @classmethod
    def _plain(cls, v):
        return _plain_value(v)


class Repeal(Strict):
    """The value stops applying from ``effective_from`` (the first day it is no longer in force)."""

    effective_from: date
    source: ValueSource


class TextAmendment(Bilingual):
    """A later wording of a paragraph or table cell, in force from ``effective_from`` (until the next one)."""

    effective_from: date
    source: ValueSource


class Versioned(Strict):
    """Text in time, the shape every versioned text shares: the first version is the text itself (from the seed,
    or from ``source`` when it was added later, on ``effective_from``), later ``amendments`` oldest first, and an
    optional ``repealed``. :func:`handbook.model.timeline.text_versions` resolves it."""

    effective_from: date | None = None  # default: the regulation's date, or the date of the clause it was added with
    source: ValueSource | None = None  # default: the regulation itself (the seed)
    amendments: list[TextAmendment] = []
    repealed: Repeal | None = None


class Paragraph(Versioned, Bilingual):
    """A paragraph of a clause or section intro: its text, with its dated versions.

    ``{value:<value id>}`` in the text stands for that value's figure, as in force on the day shown."""


class Caption(Versioned, Bilingual):
    """A table's caption or unit line, with its dated versions (as a paragraph: ``amendments``, ``repealed``)."""


class Heading(Versioned, Bilingual):
    """A clause's or section's title, with its dated versions (``amendments``, as a paragraph's). The heading stays
    while its clause does: a heading is amended, never added or repealed on its own (add or repeal the clause)."""

    @model_validator(mode="after")
    def _amended_only(self) -> "Heading":
        for name in ("effective_from", "source", "repealed"):
            if getattr(self, name) is not None:
                raise ValueError(f"a heading takes only amendments, not {name!r}: a heading comes and goes with its "
                                 f"clause (give the clause its effective_from, source or repealed)")
        return self


class LiteralFigure(Strict):
    """A figure written literally in a clause that states a value with the same figure, and why it is not that value."""

    figure: str
    reason: str = Field(min_length=10)


class Quote(Versioned, Bilingual):
    """A sentence of the clause that a calculator quotes in its results (``id``): verbatim from the clause's text in
    force on each of its versions' first day (the loader checks it), exported through ``rules.json``."""

    id: str = Field(pattern=rf"^{SLUG}$")


class Unitful(Strict):
    """A model with a ``unit`` (one of ``UNIT_KIND``), which each subclass declares in its own place among its fields:
    the unit is checked here and the kind derived from it."""

    @field_validator("unit", check_fields=False)
    @classmethod
    def _unit_known(cls, v: str) -> str:
        if v not in UNIT_KIND:
            raise ValueError(f"unknown unit {v!r}; known units: {', '.join(UNIT_KIND)}")
        return v

    @property
    def kind(self) -> str:
        """money, percent, fraction, ratio, minutes, hours, days, count, points or classes (from the unit)."""
        return UNIT_KIND[self.unit]


class Value(Unitful):
    """A typed number (or list) that a rule states, kept next to the clause that states it.

    Its first version is ``value``, in force from ``effective_from`` and set by ``source``; both
    default to the regulation itself (``source.yaml``: ``effective_from``, and the clause that states
    the value). Later versions are ``amendments``, oldest first; ``repealed`` ends it.
    """

    id: str
    value: Decimal | list[str] | str  # a string only for a fraction: "2/3"
    unit: str
    label: Bilingual
    effective_from: date | None = None  # default: the regulation's own date (source.yaml)
    effective_to: date | None = None  # the first version's last day, when an amendment does not simply follow
    source: ValueSource | None = None  # default: the regulation, the clause that states the value
    amendments: list[Amendment] = []
    repealed: Repeal | None = None
    # Order against other values (checked on every day any of them changes): thresholds, totals.
    greater_than: str | None = None  # this value exceeds that one
    less_than: str | None = None  # this value is below that one
    sum_of: list[str] = []  # this value is the sum of those

    @field_validator("id")
    @classmethod
    def _id_format(cls, v: str) -> str:
        if not VALUE_ID.match(v):
            raise ValueError(f"malformed value id {v!r}: use dotted snake_case like 'travel.meal.in_province'")
        return v

    @field_validator("value", mode="before")
    @classmethod
    def _no_floats_or_bools(cls, v):
        return _plain_value(v)

    @model_validator(mode="after")
    def _fraction_unit(self) -> "Value":
        if isinstance(self.value, str) and self.unit != "fraction":
            raise ValueError(f"value {self.id!r}: a fraction string needs unit 'fraction'")
        return self


class Attachment(Strict):
    """A document a clause requires with a claim (what to attach): its name verbatim from the clause."""

    id: str = Field(pattern=rf"^{SLUG}$")
    zh: str  # verbatim from the clause's text
    en: str
    when: Bilingual | None = None  # only in this case (e.g. 住宿费、机票支出)
    # a document the text implies without naming it: the clause's words that imply it, which an editorial note of
    # the clause quotes (``original``) and explains (then ``zh`` is the handbook's reading, not the text's)
    implied_by: str | None = None


# --------------------------------------------------------------------------- standards cited, not contained


class StandardKey(Strict):
    """A column that picks a row of a standards table (rank, destination)."""

    name: str = Field(pattern=r"^[a-z_]+$")
    label: Bilingual
    values: list[str] = []  # the allowed values; empty: any non-empty text (a place name)


class StandardRow(Strict):
    keys: dict[str, str]
    value: Decimal
    effective_from: date
    effective_to: date | None = None
    document: Bilingual  # the document (with its number) that sets this figure

    @field_validator("value", mode="before")
    @classmethod
    def _plain(cls, v):
        return _plain_value(v)


class StandardTable(Unitful):
    """A table of figures the regulation cites by document but does not contain, filled in by the finance office."""

    id: str = Field(pattern=r"^[a-z_]+$")
    label: Bilingual
    cited_by: str  # the clause that cites the standard
    document: Bilingual  # the document the regulation names for it (资财行〔2016〕50号)
    unit: str
    keys: list[StandardKey] = Field(min_length=1)
    rows: list[StandardRow] = []


class Standards(Strict):
    """``data/standards.yaml``."""

    tables: list[StandardTable] = []


class Cell(Strict):
    zh: str
    en: str
    amendments: list[TextAmendment] = []  # later wordings of the cell (text in time)
    colspan: int = Field(default=1, ge=1, le=12)
    rowspan: int = Field(default=1, ge=1, le=12)
    header: bool = False  # a row header inside the body


class Table(Strict):
    """A table the web page lost the structure of, restored."""

    id: str
    caption: Caption
    unit: Caption | None = None
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


Block = Union[Paragraph, TableBlock]


class TermException(Strict):
    """A clause that does not use a glossary term's English rendering although its Chinese has the term."""

    term: str  # a glossary term id
    reason: str = Field(min_length=10)


class Clause(Headed, Strict):
    id: str
    number: str | None = None  # the seed's own marker, verbatim: "1.", "1", "1)", "(一)", "一、"
    title: Heading | None = None  # its later wordings: title.amendments (text in time)
    body: list[Block] = []
    clauses: list["Clause"] = []
    values: list[Value] = []
    attachments: list[Attachment] = []  # what a claim under this clause must attach
    notes: list[EditorialNote] = []
    see: list[str] = []  # ids of related clauses
    term_exceptions: list[TermException] = []  # see data/STYLE.md
    # text in time: a clause added later says from when and by which document; a repealed clause says when
    effective_from: date | None = None
    source: ValueSource | None = None
    repealed: Repeal | None = None
    quotes: list[Quote] = []  # sentences a calculator quotes (exported through rules.json)
    literal_figures: list[LiteralFigure] = []  # figures that look like a value of this clause but are not

    @model_validator(mode="after")
    def _has_content(self) -> "Clause":
        if not (self.title or self.body or self.clauses):
            raise ValueError(f"clause {self.id!r} has no title, body or sub-clauses")
        return self

    def walk(self):
        yield self
        for child in self.clauses:
            yield from child.walk()


class Section(Headed, Strict):
    id: str
    number: str | None = None
    title: Heading
    summary: Bilingual | None = None  # one editorial sentence for the page's description
    intro: list[Block] = []  # preamble paragraphs before the numbered clauses
    clauses: list[Clause] = []
    notes: list[EditorialNote] = []
    term_exceptions: list[TermException] = []  # see data/STYLE.md

    def walk(self):
        for clause in self.clauses:
            yield from clause.walk()


class Part(Headed, Strict):
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
    effective_from: date  # the regulation's values take effect: the first day the handbook covers
    recorded_by: Bilingual
    publisher: Bilingual  # the website that carried it
    breadcrumb: Bilingual
    seed_file: str
    parts: list[str] = Field(min_length=1)  # file names under data/regulation/, in order
    notes: list[EditorialNote] = []


class AllowedVariant(Strict):
    """An English variant that may stand for a term, in the context stated."""

    variant: str
    context: str = Field(min_length=10)


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
    en: str  # the one English rendering (data/STYLE.md); English pages link it
    definition: Bilingual
    clauses: list[str] = []  # where the term matters
    aliases: list[str] = []  # other zh spellings to link
    forbidden: list[str] = []  # English variants never to use for this term
    allowed: list[AllowedVariant] = []  # English variants allowed in a stated context (also linked)
    synonyms: Synonyms = Synonyms()  # what readers may type instead (search finds the term by them)
    # a figure the definition writes that looks like a value of its clauses but is not (as a clause's literal_figures)
    literal_figures: list[LiteralFigure] = []

    @field_validator("forbidden")
    @classmethod
    def _forbidden_phrases(cls, v: list[str]) -> list[str]:
        for phrase in v:
            if not phrase.strip() or CJK.search(phrase):
                raise ValueError(f"a forbidden variant must be an English phrase, not {phrase!r}")
        return v

    @model_validator(mode="after")
    def _rendering_not_forbidden(self) -> "Term":
        for phrase in self.forbidden:
            if phrase.casefold() == self.en.casefold() or phrase.casefold() in (a.variant.casefold() for a in self.allowed):
                raise ValueError(f"term {self.id!r}: {phrase!r} is both the rendering (or an allowed variant) and forbidden")
        return self

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not PART_ID.match(v):
            raise ValueError(f"malformed term id {v!r}: use a lowercase slug")
        return v


class Glossary(Strict):
    terms: list[Term] = Field(min_length=1)


# --------------------------------------------------------------------------- search vocabulary (data/search.yaml)


class LanguageWords(Strict):
    """Words per language: Chinese text under ``zh``, English under ``en``."""

    zh: list[str] = []
    en: list[str] = []

    @model_validator(mode="after")
    def _languages(self) -> "LanguageWords":
        for w in self.zh:
            if not w.strip() or not CJK.search(w):
                raise ValueError(f"a zh word must be Chinese text, not {w!r}")
        for w in self.en:
            if not w.strip() or CJK.search(w) or not LATIN.search(w):
                raise ValueError(f"an en word must be English text, not {w!r}")
        return self


class SearchIntent(Strict):
    """Words that say what kind of answer a query wants, and which clauses answer it."""

    id: str = Field(pattern=r"^[a-z-]+$")
    zh: list[str] = Field(min_length=1)
    en: list[str] = Field(min_length=1)
    favours: Literal["values", "approval"]
    marks: list[str] = []  # for ``approval``: words of a clause's Chinese text that mark it

    @model_validator(mode="after")
    def _marks(self) -> "SearchIntent":
        if (self.favours == "approval") != bool(self.marks):
            raise ValueError("`marks` are required for favours: approval, and only there")
        return self


class EverydayWords(Strict):
    """What staff type (``words``) for what the regulation calls otherwise (``means``, words of its text)."""

    words: LanguageWords
    means: LanguageWords

    @model_validator(mode="after")
    def _both(self) -> "EverydayWords":
        for lang in ("zh", "en"):
            if bool(getattr(self.words, lang)) != bool(getattr(self.means, lang)):
                raise ValueError(f"`words.{lang}` and `means.{lang}` go together")
        return self


class SearchVocabulary(Strict):
    """``data/search.yaml``: how the search reads a query."""

    function_words: LanguageWords
    intents: list[SearchIntent] = []
    everyday: list[EverydayWords] = []


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
# {value:<value id>} (a rate from the data) or {answer} (a numeric question's computed answer); in the regulation's
# text a figure the seed writes in words names its style: {value:<id>|cn} 一, |liang 两, |word one (calculators.wording.figure)
FIGURE_STYLES = ("cn", "liang", "word")
PLACEHOLDER = re.compile(r"\{(?:value:(?P<value>[^}|]+)(?:\|(?P<style>[a-z]+))?|(?P<answer>answer))\}")


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
    # rests on the handbook's reading of an unclear text (an editorial note), not on the rule's words: the
    # page says so, and the question stays out of the exam
    editorial: bool = False
    exam: bool = True  # false: practice only (org-chart trivia, a near-duplicate calculation), never in the exam

    @property
    def in_exam(self) -> bool:
        return self.exam and not self.editorial

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


# --------------------------------------------------------------------------- what a new hire reads first (issue 23)
# Key points per section, task pages ("How do I…") and the first-week path. Every bullet and step cites
# the clauses it comes from, and writes a figure only as {value:<id>} (the loader checks both:
# handbook.model.loader._check_figures), so a changed rate changes every bullet that states it.


class AllowedFigure(Strict):
    """A figure that is not a regulation value but may stand in a bullet or step (a date, an ordinal), with why."""

    text: str = Field(min_length=1)
    reason: str = Field(min_length=10)


class Cited(Bilingual):
    """A bilingual text that cites the clauses it summarises (or quotes), figures only as ``{value:<id>}``."""

    cites: list[str] = Field(min_length=1)
    figures: list[AllowedFigure] = []  # literal figures allowed in this text, each with a reason


class SectionKeyPoints(Strict):
    section: str
    points: list[Cited] = Field(min_length=3, max_length=5)


class KeyPointsFile(Strict):
    """``data/key-points.yaml``: three to five plain bullets at the top of a section page."""

    sections: list[SectionKeyPoints] = Field(min_length=1)


class DocumentRef(Strict):
    """A document a step names: one of a clause's ``attachments`` (the data the calculators read)."""

    clause: str
    id: str


class CalculatorLink(Strict):
    """The calculator a step points to; ``input`` prefills it through the page's ``#input=`` link."""

    name: str
    input: dict | None = None


class TaskStep(Cited):
    """One numbered step of a task page.

    ``approver`` says who agrees or approves (quoting the cited clause); ``documents`` are attachments of
    clauses; ``silent`` marks a step where the regulation says nothing (office hours): its text says so and
    whom to ask, as an editorial note does.
    """

    title: Bilingual
    approver: Cited | None = None
    documents: list[DocumentRef] = []
    calculator: CalculatorLink | None = None
    silent: bool = False


class Task(Strict):
    id: str = Field(pattern=rf"^{SLUG}$")
    title: Bilingual
    summary: Bilingual
    sections: list[str] = Field(min_length=1)  # the sections the task rests on (linked from the page)
    steps: list[TaskStep] = Field(min_length=2)


class TasksFile(Strict):
    """``data/tasks.yaml``: the task pages (办事指南 / How do I…)."""

    tasks: list[Task] = Field(min_length=1)


class FirstWeek(Strict):
    """``data/first-week.yaml``: the sections a new hire reads in the first week, in order, and the tasks beside them."""

    title: Bilingual
    intro: Bilingual
    sections: list[str] = Field(min_length=1)
    tasks: list[str] = []


Clause.model_rebuild()


# --------------------------------------------------------------------------- the loaded handbook (the aggregate)


@dataclass
class Located:
    """Where an object was defined, for error messages."""

    file: Path
    loc: tuple
    line: int | None


@dataclass(frozen=True)
class NoteAt:
    """An editorial note and what it is attached to."""

    note: EditorialNote
    owner: Part | Section | Clause | None  # None: the source (the regulation as published) as a whole

    @property
    def where(self) -> str:
        """Where the note is: ``source``, a part id, a section or clause id."""
        return "source" if self.owner is None else self.owner.id

    @property
    def clause_id(self) -> str | None:
        """The section or clause the note is on, which a link can point to (None for the source and a part)."""
        return self.owner.id if isinstance(self.owner, (Section, Clause)) else None


@dataclass
class Handbook:
    source: Source
    parts: list[Part]
    glossary: Glossary
    questions: list[Question] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    standards: list[StandardTable] = field(default_factory=list)  # data/standards.yaml (rows filled in by the finance office)
    search: SearchVocabulary | None = None  # data/search.yaml
    key_points: dict[str, list[Cited]] = field(default_factory=dict)  # section id -> bullets (data/key-points.yaml)
    tasks: list[Task] = field(default_factory=list)  # data/tasks.yaml
    first_week: FirstWeek | None = None  # data/first-week.yaml
    origin: dict[str, Located] = field(default_factory=dict)  # id -> where defined
    data_dir: Path | None = None  # the folder it was loaded from (its documents are in data_dir/source/)

    # ---- indexes
    @cached_property
    def sections(self) -> list[Section]:
        return [s for p in self.parts for s in p.sections]

    @cached_property
    def clauses(self) -> dict[str, Clause]:
        return {c.id: c for s in self.sections for c in s.walk()}

    @cached_property
    def section_of(self) -> dict[str, Section]:
        out = {}
        for s in self.sections:
            out[s.id] = s
            for c in s.walk():
                out[c.id] = s
        return out

    @cached_property
    def derived(self) -> dict[tuple, object]:
        """What ``timeline`` derives from the data and is asked again and again (a clause's span, tens of thousands
        of times by a load and a build; every change, by each section's page), computed once: (what, of what) ->
        it. The handbook is not changed after it is loaded, so nothing here goes stale."""
        return {}

    @cached_property
    def part_of(self) -> dict[str, Part]:
        return {s.id: p for p in self.parts for s in p.sections}

    @cached_property
    def values(self) -> dict[str, tuple[Value, Clause]]:
        return {v.id: (v, c) for c in self.clauses.values() for v in c.values}

    def notes(self) -> Iterator[NoteAt]:
        """Every editorial note with what it is attached to, in reading order: the source's, then each part's,
        its sections' and their clauses'."""
        for note in self.source.notes:
            yield NoteAt(note, None)
        for part in self.parts:
            for note in part.notes:
                yield NoteAt(note, part)
            for section in part.sections:
                for note in section.notes:
                    yield NoteAt(note, section)
                for clause in section.walk():
                    for note in clause.notes:
                        yield NoteAt(note, clause)

    def parent_of(self, clause_id: str) -> Clause | None:
        parent = clause_id.rsplit(".", 1)[0]
        return self.clauses.get(parent)

    def page_path(self, section: Section) -> str:
        """The page's path relative to the site root: ``finance/travel/``."""
        part, slug = section.id.split(".", 1)
        return f"{part}/{slug}/"

    def clause_url(self, clause_id: str) -> str:
        """A site-root-relative URL of a clause (or section): ``finance/travel/#finance.travel.x``."""
        section = self.section_of[clause_id]
        path = self.page_path(section)
        return path if clause_id == section.id else f"{path}#{clause_id}"
