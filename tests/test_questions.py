"""The new-hire question bank (``data/questions/``, issue 5).

* the bank loads, is big enough, and covers every part, every section and every topic of the issue;
* every kind of question appears;
* numeric answers: the question's ``formula`` over the data's values equals the calculator engine's
  result exactly, so a changed rate changes the answer and cannot make the question wrong;
* explanations write rates as ``{value:<id>}`` and the answer as ``{answer}``: placeholders name real
  values, and no numeric question gives its answer (or a rate) away as a literal;
* bad questions fail ``load()`` with the file, the line, the location and the reason.
"""

from __future__ import annotations

import ast
import operator
import re
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from calculators import compute
from calculators.money import fmt, fmt_money
from handbook.model.loader import load
from handbook.model.models import Bilingual, TableBlock
from data_errors import error_for
from rules_fixtures import data_under_test

ROOT = Path(__file__).resolve().parent.parent

KINDS = ("single", "multiple", "true_false", "numeric")
MIN_QUESTIONS = 80
MIN_NUMERIC = 12

# The topics issue 5 asks the bank to cover: topic -> the sections (or clauses) whose questions count,
# and, where the topic is one calculator's, that calculator.
TOPICS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "duties: Investment Promotion Bureau": (("labour.bureau-duties",), None),
    "duties: CCPIT Sub-council": (("labour.ccpit-duties",), None),
    "duties: Expo Affairs Bureau": (("labour.expo-duties",), None),
    "duties: branch offices": (("labour.branch-duties",), None),
    "duties: sections and posts": (("labour.section-duties",), None),
    "code of conduct (work rules)": (("labour.code-of-conduct",), None),
    "first-inquiry responsibility": (("labour.first-inquiry",), None),
    "requests for instructions and reports": (("labour.reporting",), None),
    "accountability for dereliction of duty": (("labour.accountability",), None),
    "attendance and leave": (("labour.attendance",), None),
    "seals": (("labour.seals",), None),
    "documents and confidentiality": (("labour.documents-confidentiality",), None),
    "duty roster": (("labour.duty-roster",), None),
    "meetings: Party Group": (("meetings.party-group",), None),
    "meetings: Director's office meeting": (("meetings.director-meetings",), None),
    "meetings: democratic life": (("meetings.democratic-life",), None),
    "study: central group": (("meetings.central-group-study",), None),
    "study: law study": (("meetings.law-study",), None),
    "study: staff study": (("meetings.staff-study",), None),
    "finance management": (("finance.management",), None),
    "reception": (("finance.reception",), None),
    "vehicles": (("finance.vehicles",), None),
    "travel": (("finance.travel",), "travel"),
    "training costs": (("finance.travel.reimbursement",), "training"),
    "errands in the Tuodong urban area": (("finance.travel",), "errand"),
    "study assessment scores": (("meetings.central-group-study",), "study"),
    "reception limits": (("finance.reception",), "reception"),
    "document handling (work standards)": (("work-standards.documents",), None),
    "party-building": (("party-building.rules",), None),
    "integrity": (("integrity.rules",), None),
    "political work": (("political-work.rules",), None),
}

VALUE_ID = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+")  # as handbook.model.loader finds them in formulas
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
CJK = re.compile(r"[\u3400-\u9fff]")


# --------------------------------------------------------------------------- helpers

def by_kind(hb, kind: str) -> list:
    return [q for q in hb.questions if q.kind == kind]


def part_of(question) -> str:
    return question.clause.split(".")[0]


def under(clause: str, ids: tuple[str, ...]) -> bool:
    return any(clause == i or clause.startswith(i + ".") for i in ids)


def number_values(hb, on=None) -> dict[str, Decimal | str]:
    """Value id -> its number in force on ``on`` (default: the first version's; a Decimal, or a fraction string
    like '2/3'); list values and values not in force that day are left out."""
    from handbook.model.timeline import value_on

    if on is None:
        return {vid: v.value for vid, (v, _) in hb.values.items() if not isinstance(v.value, list)}
    out = {vid: value_on(hb, vid, on) for vid in hb.values}
    return {vid: v for vid, v in out.items() if v is not None and not isinstance(v, list)}


def check_days(hb, question) -> list[str]:
    """The days a numeric question is checked for: its own ``date``, else the regulation's day and today (the
    training page computes it for the build day), so that an amendment of the data never makes it wrong."""
    own = question.numeric.input.get("date")
    return [str(own)] if own else [hb.source.effective_from.isoformat(), date.today().isoformat()]


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def evaluate(formula: str, values: dict[str, Decimal | str]) -> Decimal:
    """Evaluate a question's formula exactly: value ids become their decimals, then only numbers,
    + - * / and parentheses are allowed (parsed with ``ast``, never ``eval``)."""

    def substitute(match: re.Match) -> str:
        name = match.group(0)
        if name not in values:
            raise KeyError(f"unknown value id {name!r}")
        value = values[name]
        return f"({value if isinstance(value, str) else format(value, 'f')})"

    text = VALUE_ID.sub(substitute, formula)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"formula {formula!r} is not arithmetic: {exc.msg}") from None

    def ev(node: ast.AST) -> Decimal:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return Decimal(ast.get_source_segment(text.strip(), node))  # the digits as written, not a float
        raise ValueError(f"formula {formula!r}: {type(node).__name__} is not allowed (only numbers, value ids, + - * / and parentheses)")

    return ev(tree)


def engine_answer(question, on: str | None = None) -> tuple[Decimal, dict]:
    """The calculator's answer for a numeric question (for the day ``on``): its total, or the one line citing ``line``."""
    spec = question.numeric
    result = compute(spec.calculator, dict(spec.input, date=on) if on else spec.input)
    if spec.line == "total":
        amount = result["total"]
    else:
        lines = [line for line in result["lines"] if line["clause"] == spec.line]
        assert len(lines) == 1, (
            f"{question.id}: expected exactly one result line citing {spec.line!r}, got "
            f"{[line['clause'] for line in result['lines']]}")
        amount = lines[0]["amount"]
    return Decimal(repr(amount)), result  # amounts are floats of 0.01-rounded decimals: repr gives them back


def literal_forms(answer: Decimal) -> set[str]:
    """The ways an answer could be written out: 1750, 1750.00, 1,750, 87.5, 87.50."""
    forms = {fmt(answer), fmt_money(answer)}
    if abs(answer) >= 1000:
        forms |= {f"{answer:,.2f}", f"{answer:,.2f}".rstrip("0").rstrip(".")}
    return forms


def contains_number(text: str, literal: str) -> bool:
    return re.search(rf"(?<![\d.,]){re.escape(literal)}(?![\d]|[.,]\d)", text) is not None


def without_placeholders(text: str) -> str:
    return PLACEHOLDER.sub(" ", text)


def texts(question, field: str) -> list[tuple[str, str]]:
    """[(lang, text)] of a question's bilingual field."""
    value: Bilingual = getattr(question, field)
    return [("zh", value.zh), ("en", value.en)]


def part_numbers(hb, part_id: str, lang: str) -> set[str]:
    """Every number written in a part's text (titles, bodies, tables, values and notes) in one language."""
    out: set[str] = set()

    def add(text: str | None):
        if text:
            out.update(NUMBER.findall(text))

    def blocks(items):
        for block in items:
            if isinstance(block, TableBlock):
                for row in block.table.head + block.table.body:
                    for cell in row:
                        add(getattr(cell, lang))
            else:
                add(block[lang])

    def notes(items):
        for note in items:
            add(note.note[lang])
            add(note.original)
            add(note.reading)

    part = next(p for p in hb.parts if p.id == part_id)
    notes(part.notes)
    for section in part.sections:
        add(section.title[lang])
        blocks(section.intro)
        notes(section.notes)
        for clause in section.walk():
            if clause.title:
                add(clause.title[lang])
            blocks(clause.body)
            notes(clause.notes)
            for v in clause.values:
                if not isinstance(v.value, list):
                    add(fmt(v.value) if isinstance(v.value, Decimal) else v.value)
                add(v.label[lang])
    return out


# --------------------------------------------------------------------------- size and coverage

def test_the_bank_loads_and_is_big_enough(hb):
    assert len(hb.questions) >= MIN_QUESTIONS, f"only {len(hb.questions)} questions; issue 5 asks for at least {MIN_QUESTIONS}"
    ids = [q.id for q in hb.questions]
    assert len(ids) == len(set(ids))


def test_every_part_has_questions(hb):
    counts = Counter(part_of(q) for q in hb.questions)
    missing = [p.id for p in hb.parts if not counts[p.id]]
    assert not missing, f"parts without questions: {missing}"


def test_every_section_has_a_question(hb):
    covered = {hb.section_of[q.clause].id for q in hb.questions}
    missing = [s.id for s in hb.sections if s.id not in covered]
    assert not missing, f"sections without questions: {missing}"


def test_every_topic_of_the_issue_is_covered(hb):
    for ids, _ in TOPICS.values():
        for i in ids:
            assert i in hb.section_of, f"topic map names unknown section or clause {i!r}"
    missing = []
    for topic, (ids, calculator) in TOPICS.items():
        hits = [q for q in hb.questions
                if under(q.clause, ids) and (calculator is None or (q.numeric and q.numeric.calculator == calculator))]
        if not hits:
            missing.append(topic)
    assert not missing, f"topics without questions: {missing}"


def test_every_kind_appears(hb):
    counts = Counter(q.kind for q in hb.questions)
    assert all(counts[k] for k in KINDS), f"kinds: {dict(counts)}"
    assert counts["numeric"] >= MIN_NUMERIC, f"only {counts['numeric']} numeric questions"
    answers = {q.answer for q in by_kind(hb, "true_false")}
    assert answers == {True, False}, "true/false questions should not all have the same answer"


def test_numeric_scenarios_of_the_issue(hb):
    """Meal allowance for 安岳/甘孜/雁江, 公杂费 with and without unit transport, training at 7/8/16/31 days,
    reception limits, study scores, errand meals and taxis."""
    numeric = by_kind(hb, "numeric")
    travel = [q.numeric.input for q in numeric if q.numeric.calculator == "travel"]
    meal_regions = {leg["region"] for q in numeric if q.numeric.calculator == "travel"
                    for leg in q.numeric.input["legs"]
                    if q.numeric.line in ("total", "finance.travel.meal-allowance")}
    assert {"ziyang_county", "in_province_ethnic", "yanjiang_rural"} <= meal_regions
    misc = [q for q in numeric if q.numeric.calculator == "travel"
            and q.numeric.line in ("total", "finance.travel.misc-allowance")]
    assert {bool(q.numeric.input.get("unit_transport")) for q in misc} == {True, False}
    assert travel
    assert {7, 8, 16, 31} <= {q.numeric.input["days"] for q in numeric if q.numeric.calculator == "training"}
    calculators = Counter(q.numeric.calculator for q in numeric)
    assert {"reception", "study", "errand", "training", "travel"} <= set(calculators)
    errands = [q.numeric.input for q in numeric if q.numeric.calculator == "errand"]
    assert any(day.get("meals") and day.get("taxi") for inp in errands for day in inp["days"])


def test_choice_questions_are_well_formed(hb):
    for q in by_kind(hb, "multiple"):
        assert len(q.answer) < len(q.choices), f"{q.id}: every choice is right; add a wrong one"
        assert len(set(q.answer)) == len(q.answer), f"{q.id}: an answer is listed twice"
    for q in by_kind(hb, "single") + by_kind(hb, "multiple"):
        assert len(q.choices) >= 3, f"{q.id}: give at least three choices"
        ids = [c.id for c in q.choices]
        assert ids == list("abcdefgh"[: len(ids)]), f"{q.id}: choice ids should run a, b, c … in order"
        zh = [c.text.zh for c in q.choices]
        en = [c.text.en for c in q.choices]
        assert len(set(zh)) == len(zh) and len(set(en)) == len(en), f"{q.id}: two choices read the same"


def test_texts_are_in_both_languages(hb):
    for q in hb.questions:
        for field in ("prompt", "explanation"):
            assert CJK.search(getattr(q, field).zh), f"{q.id}: {field}.zh has no Chinese"
        for c in q.choices:
            assert CJK.search(c.text.zh), f"{q.id}: choice {c.id} zh has no Chinese"


# --------------------------------------------------------------------------- numeric answers

def test_safe_evaluation():
    values = {"a.b": Decimal(80), "c.d": Decimal("0.5"), "e.f": "2/3"}
    assert evaluate("3 * a.b", values) == Decimal(240)
    assert evaluate("(1 + 2) * (a.b + c.d) / 2", values) == Decimal("120.75")
    assert evaluate("9 * e.f", values) == Decimal(6)
    assert evaluate("a.b * 9 / 12", values) == Decimal(60)
    for bad in ("__import__('os')", "a.b ** 2", "-a.b", "max(a.b, 1)", "a.b if 1 else 2", "x"):
        with pytest.raises(ValueError):
            evaluate(bad, values)
    with pytest.raises(KeyError):
        evaluate("2 * no.such_value", values)


def test_numeric_answers_agree_with_the_engine(hb):
    wrong = []
    for q in by_kind(hb, "numeric"):
        for day in check_days(hb, q):
            expected = evaluate(q.numeric.formula, number_values(hb, date.fromisoformat(day)))
            actual, result = engine_answer(q, day)
            if expected != actual:
                wrong.append(f"{q.id} on {day}: formula {q.numeric.formula} = {expected}, engine {q.numeric.calculator} gives {actual}")
        assert q.numeric.unit.zh == result["unit_label"]["zh"] and q.numeric.unit.en == result["unit_label"]["en"], (
            f"{q.id}: unit {q.numeric.unit} but the engine answers in {result['unit_label']}")
    assert not wrong, "\n".join(wrong)


def test_numeric_formulas_use_the_datas_values(hb):
    """A formula that is only a literal would not follow a rate change."""
    for q in by_kind(hb, "numeric"):
        assert VALUE_ID.search(q.numeric.formula), f"{q.id}: the formula names no value id"


# --------------------------------------------------------------------------- placeholders and literals

def test_placeholders_name_existing_values(hb):
    values = number_values(hb)
    problems = []
    for q in hb.questions:
        for field in ("prompt",):
            for lang, text in texts(q, field):
                if "{" in text or "}" in text:
                    problems.append(f"{q.id}: {field}.{lang} has a placeholder; only explanations do")
        for c in q.choices:
            if "{" in c.text.zh + c.text.en or "}" in c.text.zh + c.text.en:
                problems.append(f"{q.id}: choice {c.id} has a placeholder")
        for lang, text in texts(q, "explanation"):
            for name in PLACEHOLDER.findall(text):
                if name == "answer":
                    if q.kind != "numeric":
                        problems.append(f"{q.id}: explanation.{lang}: {{answer}} in a {q.kind} question")
                elif name.startswith("value:"):
                    if name[len("value:"):] not in values:
                        problems.append(f"{q.id}: explanation.{lang}: unknown value {name!r}")
                else:
                    problems.append(f"{q.id}: explanation.{lang}: unknown placeholder {{{name}}}")
            rest = without_placeholders(text)
            if "{" in rest or "}" in rest:
                problems.append(f"{q.id}: explanation.{lang} has an unmatched brace")
            if q.kind == "numeric" and "{answer}" not in text:
                problems.append(f"{q.id}: explanation.{lang} does not show the answer as {{answer}}")
    assert not problems, "\n".join(problems)


def test_no_numeric_question_gives_its_answer_away(hb):
    leaks = []
    for q in by_kind(hb, "numeric"):
        answers = {evaluate(q.numeric.formula, number_values(hb, date.fromisoformat(day))) for day in check_days(hb, q)}
        for field in ("prompt", "explanation"):
            for lang, text in texts(q, field):
                for form in {f for answer in answers for f in literal_forms(answer)}:
                    if contains_number(without_placeholders(text), form):
                        leaks.append(f"{q.id}: {field}.{lang} contains the answer {form}")
    assert not leaks, "\n".join(leaks)


def test_numeric_explanations_write_rates_as_placeholders(hb):
    """In a numeric explanation every number is a placeholder or one of the prompt's own inputs (days,
    guests …): a rate written out would go stale when the data changes."""
    stale = []
    for q in by_kind(hb, "numeric"):
        for lang, text in texts(q, "explanation"):
            prompt = q.prompt[lang]
            for n in NUMBER.findall(without_placeholders(text)):
                if not contains_number(prompt, n):
                    stale.append(f"{q.id}: explanation.{lang} writes {n}, which is not an input in the prompt")
    assert not stale, "\n".join(stale)


def test_choice_explanations_quote_only_numbers_from_the_text(hb):
    """Numbers in other explanations come from the regulation (or the question itself): none invented."""
    cache: dict[tuple[str, str], set[str]] = {}
    invented = []
    for q in hb.questions:
        if q.kind == "numeric":
            continue
        for lang, text in texts(q, "explanation"):
            key = (part_of(q), lang)
            if key not in cache:
                cache[key] = part_numbers(hb, *key)
            own = set(NUMBER.findall(q.prompt[lang]))
            for c in q.choices:
                own.update(NUMBER.findall(c.text[lang]))
            for n in NUMBER.findall(without_placeholders(text)):
                if n not in cache[key] and n not in own:
                    invented.append(f"{q.id}: explanation.{lang} writes {n}, found neither in part {key[0]} nor in the question")
    assert not invented, "\n".join(invented)


# --------------------------------------------------------------------------- validation failures

GOOD = """\
part: finance
questions:
  - id: test-single
    kind: single
    clause: finance.travel.meal-allowance
    prompt:
      zh: 到安岳出差,伙食补助费按表中哪一栏的标准?
      en: Which column of the table gives the meal allowance for a trip to Anyue?
    choices:
      - id: a
        text:
          zh: 市内
          en: Within Ziyang City
      - id: b
        text:
          zh: 省内
          en: Within Sichuan Province
    answer: a
    explanation:
      zh: 安岳属市内。
      en: Anyue is within Ziyang City.
  - id: test-numeric
    kind: numeric
    clause: finance.travel.meal-allowance
    prompt:
      zh: 到安岳出差2天,伙食补助费是多少元?
      en: How much meal allowance does a 2-day trip to Anyue earn?
    numeric:
      calculator: travel
      input: {rank: other, legs: [{region: ziyang_county, days: 2}]}
      line: finance.travel.meal-allowance
      formula: 2 * travel.meal.ziyang_county
      unit: {zh: 元, en: yuan}
    explanation:
      zh: 2 天 × {value:travel.meal.ziyang_county} 元 = {answer} 元。
      en: 2 days × {value:travel.meal.ziyang_county} yuan = {answer} yuan.
"""

FINANCE = "questions/finance.yaml"  # where the tests below write GOOD, changed


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line containing ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def replace_once(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A copy of data/ whose question bank is only the file a test writes."""
    data = tmp_path / "data"
    shutil.copytree(data_under_test(), data, ignore=shutil.ignore_patterns("questions"))
    (data / "questions").mkdir()
    return data


def test_a_good_question_file_loads(data_dir):
    (data_dir / "questions" / "finance.yaml").write_text(GOOD, encoding="utf-8")
    hb = load(data_dir)
    assert [q.id for q in hb.questions] == ["test-single", "test-numeric"]
    q = hb.questions[1]
    for day in check_days(hb, q):
        assert evaluate(q.numeric.formula, number_values(hb, date.fromisoformat(day))) == engine_answer(q, day)[0]


def test_unknown_clause(data_dir):
    text = replace_once(GOOD, "clause: finance.travel.meal-allowance", "clause: finance.travel.nowhere")
    err = error_for(data_dir, FINANCE, text)
    assert err.reason == "question cites unknown clause 'finance.travel.nowhere'"
    assert err.location == "questions[0].clause"
    assert err.line == line_of(text, "clause: finance.travel.nowhere")


def test_clause_of_another_part(data_dir):
    text = replace_once(GOOD, "clause: finance.travel.meal-allowance", "clause: labour.seals.use")
    err = error_for(data_dir, FINANCE, text)
    assert err.reason == "clause 'labour.seals.use' is not in part 'finance'"
    assert err.line == line_of(text, "clause: labour.seals.use")


def test_single_choice_answer_not_among_its_choices(data_dir):
    text = replace_once(GOOD, "    answer: a\n", "    answer: e\n")
    err = error_for(data_dir, FINANCE, text)
    assert "the answer 'e' is not among its choices ['a', 'b']" in err.reason
    assert "test-single" in err.reason
    assert err.location == "questions[0]"
    assert err.line == line_of(text, "- id: test-single")


def test_missing_translation(data_dir):
    text = replace_once(GOOD, "en: Which column of the table gives the meal allowance for a trip to Anyue?", 'en: ""')
    err = error_for(data_dir, FINANCE, text)
    assert err.reason == "missing translation: 'en' is empty"
    assert err.location == "questions[0].prompt.en"
    assert err.line == line_of(text, 'en: ""')


def test_missing_translation_key(data_dir):
    text = replace_once(GOOD, "      en: Anyue is within Ziyang City.\n", "")
    err = error_for(data_dir, FINANCE, text)
    assert err.reason == "missing required field 'en'"
    assert err.location == "questions[0].explanation.en"
    assert err.line == line_of(text, "zh: 安岳属市内。")  # where the explanation block (missing its en) starts


def test_chinese_left_in_the_english(data_dir):
    text = replace_once(GOOD, "en: Anyue is within Ziyang City.", "en: 安岳属市内。")
    err = error_for(data_dir, FINANCE, text)
    assert err.reason.startswith("missing translation: 'en' has no English text")
    assert err.location == "questions[0].explanation"
    assert err.line == line_of(text, "zh: 安岳属市内。")


def test_formula_with_an_unknown_value_id(data_dir):
    text = replace_once(GOOD, "formula: 2 * travel.meal.ziyang_county", "formula: 2 * travel.meal.anyue")
    err = error_for(data_dir, FINANCE, text)
    assert err.reason == "unknown value id 'travel.meal.anyue' in formula"
    assert err.location == "questions[1].numeric.formula"
    assert err.line == line_of(text, "formula: 2 * travel.meal.anyue")


def test_numeric_question_with_an_answer(data_dir):
    text = replace_once(GOOD, "    explanation:\n      zh: 2 天", "    answer: '160'\n    explanation:\n      zh: 2 天")
    err = error_for(data_dir, FINANCE, text)
    assert "a numeric question has a 'numeric' spec, no choices and no answer" in err.reason
    assert err.location == "questions[1]"
    assert err.line == line_of(text, "- id: test-numeric")


def test_duplicate_question_id(data_dir):
    text = replace_once(GOOD, "- id: test-numeric", "- id: test-single")
    err = error_for(data_dir, FINANCE, text)
    assert err.reason == f"duplicate question id 'test-single' (first at finance.yaml:{line_of(text, '- id: test-single')})"
    assert err.line == line_of(text, "- id: test-single", occurrence=2)


def test_the_loader_command_fails_with_the_location(data_dir):
    """``python -m handbook.model.loader`` (which the build runs through ``load``) stops on a bad question."""
    text = replace_once(GOOD, "clause: finance.travel.meal-allowance", "clause: finance.travel.nowhere")
    (data_dir / "questions" / "finance.yaml").write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "handbook.model.loader", str(data_dir)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1
    assert f"finance.yaml:{line_of(text, 'finance.travel.nowhere')}: questions[0].clause: question cites unknown clause" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unknown_calculator(data_dir):
    text = replace_once(GOOD, "calculator: travel", "calculator: lunch")
    err = error_for(data_dir, FINANCE, text)
    assert err.reason.startswith("unknown calculator 'lunch'")
    assert err.location == "questions[1].numeric.calculator"
    assert err.line == line_of(text, "calculator: lunch")


def test_placeholder_naming_an_unknown_value(data_dir):
    text = GOOD.replace("{value:travel.meal.ziyang_county}", "{value:travel.meal.anyue}", 1)
    assert text != GOOD
    err = error_for(data_dir, FINANCE, text)
    assert err.reason == "placeholder names unknown value 'travel.meal.anyue'"
    assert err.location.startswith("questions[1].explanation.")
