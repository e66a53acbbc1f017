"""The English house style, checked: one rendering per glossary term, "shall not" for 不得, curly quotes.

The glossary (``data/glossary.yaml``) is the terminology base: each term's ``en`` is its one English
rendering, ``forbidden`` lists variants that must not be used, ``allowed`` lists variants that may stand
for the term in a stated context. A clause that cannot use the rendering names the term in its
``term_exceptions`` with a reason. ``data/STYLE.md`` is the guide these checks enforce.

``python -m handbook.model.terminology`` prints every problem (clause id and the offending words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

from handbook.model.models import Bilingual, Clause, Section, TableBlock, Term

# Style rules that are not about one term: modal verbs of prohibition other than "shall not".
FORBIDDEN_STYLE = ("may not", "must not")
OBLIGATION_FORBIDDEN = "must"  # in rule paragraphs a duty is "shall" (headings and value labels describe)
# a duty stated in Chinese (应, 应当, 须, 必须, 要) -- once words that merely contain the characters are removed
DUTY_ZH = re.compile(r"应当|应|必须|须|要")
NOT_DUTY_ZH = re.compile(r"要求|重要|主要|需要|要点|摘要|纪要|必要|纲要|机要|应急|相应|适应|供应|反应|效应|对应")
DUTY_EN = re.compile(r"\bshall\b|\bonly\b")  # "shall …", or a condition: "may … only if/after …"
PROHIBITION_ZH = "不得"
PROHIBITION_EN = "shall not"
STRAIGHT_DOUBLE = re.compile(r'"')
# a straight single quote used as a quotation mark: not between letters (an apostrophe) nor after a
# plural's s (the staff' ...) -- opening quotes follow a space, a bracket or the start of the text
STRAIGHT_SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[—–/]))'(?=\S)")


def _inflected(word: str) -> str:
    """A word of a term, singular or plural (any word may be the head: "leaders in charge")."""
    core = word.rstrip(")")
    tail = re.escape(word[len(core):])
    if not core[-1:].islower():
        return re.escape(word)
    if core.endswith("ies"):
        return re.escape(core[:-3]) + "(?:y|ies)" + tail
    if core.endswith("es") and core[-3:-2] in ("s", "x", "h"):
        return re.escape(core[:-2]) + "(?:es)?" + tail
    if core.endswith("s") and not core.endswith("ss"):
        return re.escape(core[:-1]) + "s?" + tail
    if core.endswith("y") and core[-2:-1] not in "aeiou":
        return re.escape(core[:-1]) + "(?:y|ies)" + tail
    return re.escape(core) + "(?:e?s)?" + tail


@lru_cache(maxsize=None)
def english_pattern(phrase: str) -> re.Pattern:
    """A phrase as English text writes it: whole words, any case, any spacing, singular or plural last word.

    ``confidential documents`` matches "Confidential document" and "confidential documents";
    ``leader in charge`` matches "leaders in charge".  The site's glossary links use the same pattern.
    """
    parts = [_inflected(word) for word in phrase.split()]
    body = r"\s+".join(parts)
    return re.compile(r"(?<![A-Za-z])" + body + r"(?![A-Za-z])", re.IGNORECASE)


def renderings(term: Term) -> list[str]:
    """The phrases that stand for the term in English: its rendering and the variants allowed in context."""
    return [term.en, *(a.variant for a in term.allowed)]


def spans(text: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    return [m.span() for p in phrases for m in english_pattern(p).finditer(text)]


@dataclass(frozen=True)
class Problem:
    where: str  # a clause id, a section id, "glossary:<term id>", "question:<id>", a file name
    kind: str
    words: str

    def __str__(self) -> str:
        return f"{self.where}: {self.kind}: {self.words}"


@dataclass(frozen=True)
class Unit:
    """The rule text of one clause (or a section's title and preamble): both languages, joined."""

    id: str
    zh: str
    en: str
    exceptions: frozenset[str]  # term ids the unit is excused from rendering


def clause_texts(clause: Clause | Section) -> list[Bilingual]:
    out: list[Bilingual] = [clause.title] if clause.title else []
    blocks = clause.intro if isinstance(clause, Section) else clause.body
    for block in blocks:
        if isinstance(block, TableBlock):
            table = block.table
            out += [table.caption, *([table.unit] if table.unit else [])]
            out += [Bilingual(zh=c.zh, en=c.en) for row in table.head + table.body for c in row]
        else:
            out.append(block)
    if isinstance(clause, Clause):
        out += [v.label for v in clause.values]
    return out


def units(hb) -> Iterator[Unit]:
    for part in hb.parts:
        yield Unit(part.id, part.title.zh, part.title.en, frozenset())
        for section in part.sections:
            texts = clause_texts(section)
            yield Unit(section.id, "\n".join(t.zh for t in texts), "\n".join(t.en for t in texts),
                       frozenset(e.term for e in section.term_exceptions))
            for clause in section.walk():
                texts = clause_texts(clause)
                if texts:
                    yield Unit(clause.id, "\n".join(t.zh for t in texts), "\n".join(t.en for t in texts),
                               frozenset(e.term for e in clause.term_exceptions))


def rule_paragraphs(hb) -> Iterator[tuple[str, str, str]]:
    """The English paragraphs of the rules themselves: section preambles and clause bodies (not tables)."""
    for part in hb.parts:
        for section in part.sections:
            for block in section.intro:
                if isinstance(block, Bilingual):
                    yield section.id, block.zh, block.en
            for clause in section.walk():
                for block in clause.body:
                    if isinstance(block, Bilingual):
                        yield clause.id, block.zh, block.en


def english_texts(hb) -> Iterator[tuple[str, str]]:
    """Every English text of the data, with where it is: rule text, notes, glossary, questions, key points, task pages."""
    for u in units(hb):
        yield u.id, u.en
    for at in hb.notes():
        yield at.where, at.note.note.en
    for term in hb.glossary.terms:
        yield f"glossary:{term.id}", term.definition.en
    for q in hb.questions:
        texts = [q.prompt.en, q.explanation.en, *(c.text.en for c in q.choices)]
        if q.numeric:
            texts.append(q.numeric.unit.en)
        for text in texts:
            yield f"question:{q.id}", text
    for sid, points in hb.key_points.items():
        for i, point in enumerate(points):
            yield f"key-points:{sid}[{i}]", point.en
    for task in hb.tasks:
        yield f"task:{task.id}", task.title.en
        yield f"task:{task.id}", task.summary.en
        for i, step in enumerate(task.steps):
            yield f"task:{task.id}.steps[{i}]", step.title.en
            yield f"task:{task.id}.steps[{i}]", step.en
            if step.approver:
                yield f"task:{task.id}.steps[{i}]", step.approver.en


def zh_occurrences(hb, zh: str) -> list[Term]:
    """The terms whose Chinese (or an alias) occurs in ``zh`` as a whole word, longest first.

    Words are cut as the glossary links cut them (jieba, taught the glossary's terms), so 党组 is not
    found inside 党组织; a longer term hides the shorter ones inside it (市内交通费 is not also 市内).
    """
    from handbook.model.words import teach_jieba

    jieba = teach_jieba(hb)
    bounds = None
    if jieba is not None:
        bounds, pos = {0}, 0
        for token in jieba.cut(zh, HMM=False):
            pos += len(token)
            bounds.add(pos)
    words = sorted(((w, t) for t in hb.glossary.terms for w in [t.zh, *t.aliases]), key=lambda p: -len(p[0]))
    found: dict[str, Term] = {}
    for word, term in words:
        for m in re.finditer(re.escape(word), zh):
            if bounds is not None and not (m.start() in bounds and m.end() in bounds):
                continue
            found.setdefault(term.id, term)
            zh = zh[:m.start()] + "\u3000" * len(word) + zh[m.end():]
    return list(found.values())


def forbidden_in(text: str, terms: list[Term]) -> list[str]:
    """The forbidden variants in ``text``, except where they are part of an accepted rendering."""
    out = []
    for term in terms:
        ok = spans(text, renderings(term))
        for variant in term.forbidden:
            for m in english_pattern(variant).finditer(text):
                if not any(s <= m.start() and m.end() <= e for s, e in ok):
                    out.append(f"{m.group(0)!r} (glossary {term.id}: write {term.en!r})")
    for variant in FORBIDDEN_STYLE:
        for m in english_pattern(variant).finditer(text):
            out.append(f"{m.group(0)!r} (style: write 'shall not' for a prohibition, 'may' for a permission)")
    return out


def quote_problems(text: str) -> list[str]:
    out = []
    if STRAIGHT_DOUBLE.search(text):
        out.append('straight double quote " (write “…”)')
    marks = "".join(ch for ch in text if ch in "“”")
    if marks != "“”" * (len(marks) // 2) or len(marks) % 2:
        out.append(f"unbalanced quotation marks (“ opens, ” closes): {marks}")
    for m in STRAIGHT_SINGLE_OPEN.finditer(text):
        out.append(f"straight single quote at {text[max(0, m.start() - 10):m.end() + 10]!r} (write ‘…’ inside “…”)")
    return out


def check(hb) -> list[Problem]:
    """Every departure from the style guide in the data's English."""
    terms = hb.glossary.terms
    problems: list[Problem] = []
    for u in units(hb):
        for term in zh_occurrences(hb, u.zh):
            if term.id in u.exceptions:
                continue
            if not spans(u.en, renderings(term)):
                problems.append(Problem(u.id, "missing rendering",
                                        f"{term.zh} should be {term.en!r} (glossary {term.id})"))
        if PROHIBITION_ZH in u.zh and not english_pattern(PROHIBITION_EN).search(u.en):
            problems.append(Problem(u.id, "prohibition", f"{PROHIBITION_ZH} without {PROHIBITION_EN!r}"))
    for where, zh, text in rule_paragraphs(hb):
        if DUTY_ZH.search(NOT_DUTY_ZH.sub("", zh)) and not DUTY_EN.search(text):
            problems.append(Problem(where, "obligation", "the Chinese states a duty (应/须/要) but the English has no 'shall'"))
        for m in english_pattern(OBLIGATION_FORBIDDEN).finditer(text):
            if m.group(0).casefold() == OBLIGATION_FORBIDDEN:
                problems.append(Problem(where, "obligation", f"{m.group(0)!r} (style: write 'shall' for a duty)"))
    for where, text in english_texts(hb):
        for words in forbidden_in(text, terms):
            problems.append(Problem(where, "forbidden variant", words))
        for words in quote_problems(text):
            problems.append(Problem(where, "quotation marks", words))
    return problems


if __name__ == "__main__":  # python -m handbook.model.terminology: list every problem
    from handbook.model.loader import load

    found = check(load())
    for p in found:
        print(p)
    print(f"{len(found)} problem(s)")
    raise SystemExit(1 if found else 0)
