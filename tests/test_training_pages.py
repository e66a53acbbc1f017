"""New-hire training: the generated pages themselves (no browser; tests/browser/test_training.py runs
them in Chromium). The questions come from the loaded bank, so the tests hold for whatever questions
``data/questions/`` has."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

import pytest

from handbook.model.models import Bilingual, Choice, Question
from handbook.pages.site import Renderer
from handbook.pages.training import PASS_PERCENT, bank, pages, quiz_src


@pytest.fixture(scope="module")
def questions(hb):
    """Prepared questions by part id (every part present)."""
    return bank(hb)


def test_every_part_has_a_quiz_page_with_all_its_questions(hb, questions):
    for lang in ("zh", "en"):
        generated = {p.src_uri: p.content for p in pages(Renderer(hb, lang))}
        assert "training/index.md" in generated and "training/exam.md" in generated
        for part in hb.parts:
            content = generated.get(quiz_src(part.id))
            assert content is not None, f"{lang}: no quiz page for part {part.id}"
            shown = re.findall(r'<form class="tr-q" id="q-([a-z0-9-]+)"', content)
            assert shown == [q.id for q in questions[part.id]], f"{lang}: quiz {part.id}"
            assert f'data-quiz="part:{part.id}"' in content
            assert f"{PASS_PERCENT}%" in content  # the pass mark is stated
        exam = re.findall(r'<form class="tr-q" id="q-([a-z0-9-]+)"', generated["training/exam.md"])
        # the exam's pool: every question but the editorial readings and the practice-only ones (issue 23)
        assert sorted(exam) == sorted(q.id for q in hb.questions if q.in_exam)
        assert any(q.editorial for q in hb.questions) and any(not q.exam for q in hb.questions)
        path = generated["training/index.md"]
        steps = re.findall(r'data-step="section" data-id="([^"]+)"', path)
        assert steps == [s.id for s in hb.sections]  # every section, in the regulation's order


def test_numeric_answers_come_from_the_engine_and_placeholders_are_filled(hb, questions):
    from calculators import compute

    for q in hb.questions:
        prepared = next(p for p in questions[q.clause.split(".")[0]] if p.id == q.id)
        for lang in ("zh", "en"):
            for text in (prepared.prompt[lang], prepared.explanation[lang], *[c[lang] for _, c in prepared.choices]):
                assert "{value:" not in text and "{answer}" not in text, (q.id, text)
        if q.kind == "numeric":
            result = compute(q.numeric.calculator, q.numeric.input)
            if q.numeric.line == "total":
                expected = Decimal(repr(result["total"]))
            else:
                expected = sum(Decimal(repr(x["amount"])) for x in result["lines"] if x["clause"] == q.numeric.line)
            assert Decimal(prepared.answer) == expected, q.id


def test_question_text_is_escaped_not_executed(hb):
    """Text from the bank is never markup: a hostile prompt, choice or explanation arrives as text."""
    clause = hb.sections[0].clauses[0].id
    evil = "<img src=x onerror=alert(1)>"
    q = Question(
        id="escape-test",
        kind="single",
        clause=clause,
        prompt=Bilingual(zh=f"问题{evil}", en=f"Question {evil}"),
        choices=[Choice(id="a", text=Bilingual(zh=f"甲{evil}", en=f"A {evil}")), Choice(id="b", text=Bilingual(zh="乙", en="B"))],
        answer="a",
        explanation=Bilingual(zh=f"解释{evil}", en=f"Because {evil}"),
    )
    hb2 = dataclasses.replace(hb, questions=[q])
    for lang in ("zh", "en"):
        quiz = next(p for p in pages(Renderer(hb2, lang)) if p.src_uri == quiz_src(clause.split(".")[0]))
        assert "<img" not in quiz.content
        assert quiz.content.count("&lt;img src=x onerror=alert(1)&gt;") >= 4  # prompt, choice, answer, explanation


def test_a_wrong_numeric_formula_fails_the_build(hb):
    """The formula over the data's values and the engine must agree, or the page is not made."""
    from handbook.model.models import Numeric
    from handbook.pages.training import TrainingError, prepare

    value_id, (value, clause) = next((k, v) for k, v in hb.values.items() if k == "travel.meal.ziyang_county")
    q = Question(
        id="bad-formula",
        kind="numeric",
        clause=clause.id,
        prompt=Bilingual(zh="安岳 3 天?", en="Anyue, 3 days?"),
        numeric=Numeric(calculator="travel", input={"rank": "other", "legs": [{"region": "ziyang_county", "days": 3}]},
                        line=clause.id, formula=f"4 * {value_id}", unit=Bilingual(zh="元", en="yuan")),
        explanation=Bilingual(zh="{answer} 元", en="{answer} yuan"),
    )
    with pytest.raises(TrainingError, match="bad-formula"):
        prepare(hb, q)
    good = prepare(hb, q.model_copy(update={"numeric": q.numeric.model_copy(update={"formula": f"3 * {value_id}"})}))
    assert Decimal(good.answer) == 3 * value.value
    assert good.explanation["en"] == f"{good.answer} yuan"
