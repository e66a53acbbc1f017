"""The new-hire training pages: a reading path, one quiz per part and a mixed exam (issue 5).

Pages (the same paths in both languages; ``/en/...`` for English):

* ``training/``              the reading path: every section in order, a quiz after each part, the exam
                             last; "mark as read", progress, the next step, reset and a printable record
* ``training/quiz/<part>/``  every question on one part; ``#q-<id>`` opens and focuses one question
* ``training/exam/``         a mixed exam: the script draws :data:`EXAM_SIZE` questions at random
* ``training/paper/``        the printable supervised exam: a random paper without answers and its answer key
* ``training/first-week/``   the first-week path (``data/first-week.yaml``): its sections with "mark as read"
* ``training/tasks/<id>/``   task pages (``data/tasks.yaml``), GOV.UK step-by-step style, and their index

Everything is decided at build time: a numeric question's answer is computed by the calculator
engine (and checked against its formula over the data's values), ``{value:<id>}`` and ``{answer}``
placeholders are substituted, and all text goes through Jinja's escaping. The browser script
(``overrides/assets/training/training.js``) only checks answers, keeps progress in localStorage and
reorders questions; it never turns question text into HTML.
"""

from __future__ import annotations

import ast
import json
import operator
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from handbook.model.models import PLACEHOLDER, VALUE_REF, Handbook, Question
from handbook.model.timeline import value_on
from handbook.paths import OVERRIDES

PASS_PERCENT = 80  # a round is passed at this score or above, stated on every quiz page
EXAM_SIZE = 20  # questions drawn for the mixed exam and the supervised paper (fewer if the pool is smaller)
ROUND_SIZE = 8  # questions in a quiz round (the script keeps it within contract.js's ROUND.min..max)
TF_TEXT = {True: ("正确", "True"), False: ("错误", "False")}


CONTRACT_JS = OVERRIDES / "assets" / "training" / "contract.js"


def contract():
    """The training pages' data-* names by role (``tr.qid`` -> ``data-qid`` in a template), read from their one
    declaration, ``overrides/assets/training/contract.js``, as the calculator pages read theirs."""
    from handbook.exports.calc_contract import attrs

    return attrs(CONTRACT_JS)


class TrainingError(ValueError):
    """A question that cannot be put on a page: names the question and the reason."""

    def __init__(self, question: str, reason: str):
        self.question = question
        self.reason = reason
        super().__init__(f"data/questions: question {question!r}: {reason}")


# --------------------------------------------------------------------------- numbers

def fmt(x: Decimal) -> str:
    """``450.00`` -> ``450``, ``12.50`` -> ``12.5`` (no exponent)."""
    if x == x.to_integral_value():
        return str(int(x))
    return format(x.normalize(), "f")


def question_day(q: Question) -> date | None:
    """The day a question is about: its numeric input's ``date`` when it pins one; else None (today)."""
    day = q.numeric.input.get("date") if q.numeric else None
    return date.fromisoformat(str(day)) if day else None


def value_text(hb: Handbook, value_id: str, lang: str, qid: str, on: date | None = None) -> str:
    if value_id not in hb.values:
        raise TrainingError(qid, f"placeholder names unknown value id {value_id!r}")
    value = value_on(hb, value_id, on)  # in force on the question's day (default today), as the engine computes
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, list):
        return ("、" if lang == "zh" else ", ").join(value)
    return str(value)  # a fraction such as "2/3"


def fill(hb: Handbook, text: str, lang: str, where: str = "text") -> str:
    """A key point's or task step's text with each ``{value:<id>}`` replaced by the value in force today, written in
    the reference's style if it names one (``{value:<id>|cn}`` 一, ``|word`` one: calculators.wording.figure)."""
    from calculators.wording import figure

    return PLACEHOLDER.sub(lambda m: figure(value_text(hb, m.group("value"), lang, where), m.group("style")), text)


def short_cite(hb: Handbook, clause_id: str, here: str | None, lang: str) -> str:
    """A clause as a link's text: its numbers and titles within the section ``here``, else with the section's."""
    if clause_id in hb.section_of and hb.section_of[clause_id].id == clause_id:
        return hb.section_of[clause_id].heading(lang)
    if hb.section_of[clause_id].id != here:
        return cite_label(hb, clause_id, lang)
    chain = []
    cid = clause_id
    while cid in hb.clauses:
        chain.append(hb.clauses[cid].heading(lang) or hb.clauses[cid].marker(lang))
        cid = cid.rsplit(".", 1)[0]
    return " › ".join(bit for bit in reversed(chain) if bit)


def formula_value(hb: Handbook, formula: str, qid: str, on: date | None = None) -> Decimal:
    """Evaluate ``3 * travel.meal.ziyang_county`` over the data's values in force on ``on`` (default today),
    in decimal arithmetic."""
    names: dict[str, Decimal] = {}

    def name_of(m: re.Match) -> str:
        vid = m.group(0)
        if vid not in hb.values:
            raise TrainingError(qid, f"unknown value id {vid!r} in formula")
        value = value_on(hb, vid, on)  # in force on the question's day (default today), as the engine computes
        if isinstance(value, str):  # a fraction
            num, den = value.split("/")
            value = Decimal(num) / Decimal(den)
        if not isinstance(value, Decimal):
            raise TrainingError(qid, f"value {vid!r} is not a number and cannot be used in a formula")
        key = f"v{len(names)}"
        names[key] = value
        return key

    expr = VALUE_REF.sub(name_of, formula)
    ops = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in ops:
            return ops[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return -ev(node.operand) if isinstance(node.op, ast.USub) else ev(node.operand)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name) and node.id in names:
            return names[node.id]
        raise TrainingError(qid, f"formula {formula!r} is not arithmetic over value ids")

    try:
        return ev(ast.parse(expr, mode="eval"))
    except (SyntaxError, ZeroDivisionError, InvalidOperation) as exc:
        raise TrainingError(qid, f"formula {formula!r} cannot be evaluated: {exc}") from None


def numeric_answer(hb: Handbook, q: Question) -> Decimal:
    """The answer the calculator engine gives, checked against the question's formula."""
    from calculators import CalcError, compute

    spec = q.numeric
    assert spec is not None
    try:
        result = compute(spec.calculator, spec.input)
    except CalcError as exc:
        raise TrainingError(q.id, f"the {spec.calculator!r} calculator rejects the input: {exc}") from None
    if spec.line == "total":
        engine = Decimal(repr(result["total"]))
    else:
        amounts = [Decimal(repr(line["amount"])) for line in result["lines"] if line.get("clause") == spec.line]
        if not amounts:
            cited = sorted({line.get("clause") for line in result["lines"]})
            raise TrainingError(q.id, f"the result has no line for clause {spec.line!r} (its lines cite {cited})")
        engine = sum(amounts, Decimal(0))
    expected = formula_value(hb, spec.formula, q.id, question_day(q))  # the question's day, as the engine
    if abs(engine - expected) >= Decimal("0.005"):
        raise TrainingError(
            q.id, f"the calculator gives {fmt(engine)} but the formula {spec.formula!r} gives {fmt(expected)}"
        )
    return engine


# --------------------------------------------------------------------------- the prepared bank

@dataclass(frozen=True)
class Prepared:
    """A question ready for a page: texts per language, the answer as the script compares it."""

    id: str
    part: str
    kind: str
    clause: str
    prompt: dict  # lang -> text
    choices: list  # [(id, {lang: text})]; true/false: [("true", ...), ("false", ...)]
    answer: str  # for data-answer: "b", "a,c", "true", "450"
    answer_text: dict  # lang -> the right answer as words
    explanation: dict  # lang -> text with placeholders substituted
    unit: dict | None  # numeric: lang -> unit
    cite: dict  # lang -> "(四)差旅管理办法 › 4 伙食补助费"
    editorial: bool = False  # rests on the handbook's reading (an editorial note): said on the page, never in the exam
    exam: bool = True  # in the exam's pool (False: practice only, or editorial)


def _substitute(hb: Handbook, text: str, lang: str, qid: str, answer: str | None, on: date | None = None) -> str:
    def repl(m: re.Match) -> str:
        if m.group("answer"):
            if answer is None:
                raise TrainingError(qid, "{answer} may only be used in an explanation")
            return answer
        return value_text(hb, m.group("value"), lang, qid, on)

    return PLACEHOLDER.sub(repl, text)


def cite_label(hb: Handbook, clause_id: str, lang: str, on: date | None = None) -> str:
    """Where a clause sits, as a reader would name it: section, then each numbered ancestor (headings as worded on
    ``on``, default the build day)."""
    section = hb.section_of[clause_id]
    label = section.heading(lang, on=on)
    chain = []
    cid = clause_id
    while cid in hb.clauses:
        chain.append(hb.clauses[cid])
        cid = cid.rsplit(".", 1)[0]
    for clause in reversed(chain):
        bits = clause.heading(lang, on=on)
        if bits:
            label += " › " + bits
    return label


def prepare(hb: Handbook, q: Question) -> Prepared:
    langs = ("zh", "en")
    unit = None
    if q.kind == "numeric":
        value = numeric_answer(hb, q)
        answer = fmt(value)
        unit = {lang: q.numeric.unit[lang] for lang in langs}
        answer_text = {lang: f"{answer} {unit[lang]}".strip() for lang in langs}
        plain_answer = {lang: answer for lang in langs}
        choices = []
    elif q.kind == "true_false":
        answer = "true" if q.answer else "false"
        answer_text = {lang: TF_TEXT[q.answer][i] for i, lang in enumerate(langs)}
        plain_answer = answer_text
        choices = [(key, {lang: TF_TEXT[flag][i] for i, lang in enumerate(langs)}) for key, flag in (("true", True), ("false", False))]
    else:
        right = [q.answer] if isinstance(q.answer, str) else list(q.answer)
        texts = {c.id: c.text for c in q.choices}
        choices = [(c.id, {lang: _substitute(hb, c.text[lang], lang, q.id, None) for lang in langs}) for c in q.choices]
        ordered = [c.id for c in q.choices if c.id in right]
        answer = ",".join(ordered)
        plain_answer = {
            lang: ("、" if lang == "zh" else "; ").join(_substitute(hb, texts[i][lang], lang, q.id, None) for i in ordered)
            for lang in langs
        }
        answer_text = plain_answer  # the choices are shown in a shuffled order, without letters
    return Prepared(
        id=q.id,
        part=q.clause.split(".", 1)[0],
        kind=q.kind,
        clause=q.clause,
        prompt={lang: _substitute(hb, q.prompt[lang], lang, q.id, None, question_day(q)) for lang in langs},
        choices=choices,
        answer=answer,
        answer_text=answer_text,
        explanation={lang: _substitute(hb, q.explanation[lang], lang, q.id, plain_answer[lang], question_day(q)) for lang in langs},
        unit=unit,
        cite={lang: cite_label(hb, q.clause, lang) for lang in langs},
        editorial=q.editorial,
        exam=q.in_exam,
    )


_BANKS: dict[int, tuple[Handbook, dict[str, list[Prepared]]]] = {}


def bank(hb: Handbook) -> dict[str, list[Prepared]]:
    """Every question, prepared, by part id (every part present, in the regulation's order)."""
    cached = _BANKS.get(id(hb))
    if cached and cached[0] is hb:
        return cached[1]
    out: dict[str, list[Prepared]] = {p.id: [] for p in hb.parts}
    for q in hb.questions:
        prepared = prepare(hb, q)
        out[prepared.part].append(prepared)
    _BANKS[id(hb)] = (hb, out)
    return out


# --------------------------------------------------------------------------- pages

def quiz_src(part_id: str) -> str:
    return f"training/quiz/{part_id}.md"


def pages(renderer) -> list:
    """The training pages for ``renderer``'s language."""
    hb = renderer.hb
    try:
        by_part = bank(hb)
    except TrainingError as exc:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"Invalid question bank: {exc}") from None
    every = [q for part in hb.parts for q in by_part[part.id]]
    common = dict(
        pass_percent=PASS_PERCENT,
        exam_size=min(EXAM_SIZE, len(every)),
        by_part=by_part,
        part_title=lambda part: part.heading(renderer.lang, on=renderer.today),
        section_title=lambda s: s.heading(renderer.lang, on=renderer.today),
        part_by_id={p.id: p for p in hb.parts},
    )
    pool = [q for q in every if q.exam]  # editorial readings and practice-only questions stay out (issue 23)
    common["exam_size"] = min(EXAM_SIZE, len(pool))
    common["round_size"] = ROUND_SIZE
    common["version"] = regulation_version(hb)
    out = [renderer.render("training_index.md.j2", "training/index.md", every=every, **common)]
    with_questions = [p for p in hb.parts if by_part[p.id]]
    for part in hb.parts:
        later = [p for p in with_questions if hb.parts.index(p) > hb.parts.index(part)]
        if later:  # after a pass: on to the next part's first section
            first = later[0].sections[0]
            next_step = {"href": renderer.clause_href(first.id, f"training/quiz/{part.id}/"),
                         "label": renderer.t("继续下一部分:", "Continue to the next part: ") + later[0].heading(renderer.lang, on=renderer.today)}
        else:
            next_step = {"href": "../../exam/", "label": renderer.t("继续:综合考试", "Continue: the exam")}
        out.append(renderer.render("training_quiz.md.j2", quiz_src(part.id), part=part, questions=by_part[part.id],
                                   next_step=next_step, **common))
    out.append(renderer.render("training_exam.md.j2", "training/exam.md", questions=pool, **common))
    out.append(renderer.render("training_paper.md.j2", "training/paper.md", questions=pool, **common))
    out.extend(task_pages(renderer, common))
    return out


def regulation_version(hb: Handbook) -> dict:
    """The version the record names: the regulation's publication, and the last change in force today."""
    from datetime import date

    from handbook.model import timeline

    days = [c.day for c in timeline.changes(hb) if c.day <= date.today()]
    return {"published": hb.source.published, "values_as_of": max(days, default=hb.source.effective_from)}


def share(data: dict | None) -> str:
    """A calculator page's ``#input=`` fragment for ``data`` (as the page's own share link writes it)."""
    if not data:
        return ""
    return "#input=" + quote(json.dumps(data, ensure_ascii=False, separators=(",", ":")), safe="")


def task_pages(renderer, common: dict) -> list:
    """The task pages (办事指南 / How do I…), their index and the first-week path (issue 23)."""
    hb = renderer.hb
    if not hb.tasks and hb.first_week is None:
        return []

    def attachment(ref):
        return next(a for a in hb.clauses[ref.clause].attachments if a.id == ref.id)

    def calc_title(name: str) -> str:
        module = renderer.calculators.get(name)
        return module.TITLE[renderer.lang] if module else name

    extra = dict(attachment=attachment, calc_title=calc_title, share=share, task_by_id={t.id: t for t in hb.tasks})
    out = []
    if hb.tasks:
        out.append(renderer.render("training_tasks.md.j2", "training/tasks/index.md", **extra))
        out.extend(renderer.render("training_task.md.j2", f"training/tasks/{task.id}.md", task=task, **extra) for task in hb.tasks)
    if hb.first_week is not None:
        out.append(renderer.render("training_first_week.md.j2", "training/first-week.md", week=hb.first_week, **common, **extra))
    return out


__all__ = ["EXAM_SIZE", "PASS_PERCENT", "ROUND_SIZE", "Prepared", "TrainingError", "bank", "pages", "prepare"]
