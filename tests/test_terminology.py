"""The English follows the house style (data/STYLE.md) and the glossary is its terminology base.

Over all `en` text: where a glossary term's Chinese occurs in a clause's `zh`, its English rendering (or a
variant the glossary allows in context) occurs in that clause's `en`, unless the clause lists the term in
`term_exceptions` with a reason; no forbidden variant occurs anywhere; 不得 clauses say "shall not"; quotation
marks are curly. Failures name the clause id and the offending words. Planted variants show the test bites.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rules_fixtures import copy_data

from handbook.model.loader import load
from handbook.model.terminology import check, english_pattern, units, zh_occurrences
from handbook.model.yamlfile import DataError
from handbook.pages.site import Renderer
from handbook.paths import DATA

# The terms the terminology review (issue 12) found rendered more than one way: glossary id -> its Chinese.
REVIEWED_TERMS = {
    "official-business-card": "公务卡",
    "branch-offices": "驻外投资促进分局",
    "party-conduct-and-integrity": "党风廉政建设",
    "central-group": "中心组",
    "one-approval-per-task": "一事一批",
    "bureau-director": "局(会)长",
    "bureau-leader-in-charge": "局(会)分管领导",
    "principal-leader": "局主要领导",
    "sichuan-ccpit": "省贸促会",
    "investment-promotion-leading-group": "投资促进工作领导小组",
    "investor-service-centre": "外来投资企业服务中心",
    "bureau-organ": "局机关",
    "thrift-regulations": "党政机关厉行节约反对浪费条例",
    "integrity-code": "廉洁自律准则",
    "confidential-documents": "机要文件",
    "section-leader-in-charge": "分管科(室、处、中心)的领导",  # issue 21: the Bureau leader, not the section chief
}
# Chinese spellings the review named that the glossary holds as aliases of the terms above.
REVIEWED_ALIASES = {"分局": "branch-offices", "一事一审批": "one-approval-per-task",
                    "局主要负责同志": "principal-leader", "秘密文件": "confidential-documents",
                    "涉密文件": "confidential-documents"}
# The variants the review found, each now forbidden (the glossary id that forbids it).
REVIEWED_VARIANTS = {
    "official card": "official-business-card",
    "branch bureau": "branch-offices",
    "Party conduct and clean government": "party-conduct-and-integrity",
    "central study group": "central-group",
    "one approval per matter": "one-approval-per-task",
    "Director (President)": "bureau-director",
    "leader in charge of the Bureau": "bureau-leader-in-charge",
    "principal responsible comrade": "principal-leader",
    "provincial CCPIT Sub-council": "sichuan-ccpit",
    "secret documents": "confidential-documents",
    "classified documents": "confidential-documents",
    "leader in charge of the section": "section-leader-in-charge",
}


def problems_text(problems) -> str:
    return "\n".join(str(p) for p in problems)


# --------------------------------------------------------------------------- the data as it is


def test_the_english_follows_the_style_guide(hb):
    problems = check(hb)
    assert not problems, f"{len(problems)} departure(s) from data/STYLE.md:\n{problems_text(problems)}"


def test_every_reviewed_term_is_in_the_glossary(hb):
    terms = {t.id: t for t in hb.glossary.terms}
    for tid, zh in REVIEWED_TERMS.items():
        assert tid in terms, f"glossary has no term {tid} ({zh})"
        assert terms[tid].zh == zh or zh in terms[tid].aliases
    for zh, tid in REVIEWED_ALIASES.items():
        assert zh in terms[tid].aliases, f"{zh} is not an alias of {tid}"
    for variant, tid in REVIEWED_VARIANTS.items():
        assert variant.casefold() in (f.casefold() for f in terms[tid].forbidden), f"{variant!r} not forbidden by {tid}"


def test_the_leader_in_charge_is_never_the_head_of_the_bureau(hb):
    """局(会)分管领导 is a leader in charge, never "the leader in charge of the Bureau" (a wrong person)."""
    for unit in units(hb):
        assert not re.search(r"leader in charge of the Bureau\b", unit.en), unit.id
    for cid in ("labour.reporting.chain.beyond-section", "labour.reporting.chain.beyond-portfolio"):
        assert "Bureau (Sub-council) leader in charge" in next(u.en for u in units(hb) if u.id == cid)


def test_the_section_leader_in_charge_is_a_bureau_leader(hb):
    """分管科(室、处、中心)的领导 is the Bureau (Sub-council) leader over the section, never "the leader in charge of the
    section" (which reads as the section chief), in every clause the issue named."""
    for cid in ("finance.management.approval.after-expenditure", "finance.reception.reimbursement",
                "finance.reception.requirements.management"):
        en = next(u.en for u in units(hb) if u.id == cid)
        assert "Bureau (Sub-council) leader in charge of the section" in en, cid
        assert not re.search(r"(?<!\(Sub-council\) )leader in charge of th(e|at) section", en), cid


def test_cited_documents_are_titled_in_english(hb):
    """Cited documents: English title in the text; the Chinese original is in the glossary, not inline."""
    glossary_zh = {t.zh for t in hb.glossary.terms}
    for unit in units(hb):
        assert "《" not in unit.en, f"{unit.id}: a Chinese title is inline in the English: {unit.en[:200]}"
        for title in re.findall(r"《([^》]+)》", unit.zh):
            if title not in ("出差审批单", "资阳市投资促进局费用报销单", "实施纲要"):  # glossary terms under other names
                assert title in glossary_zh, f"{unit.id}: the cited document 《{title}》 is not in the glossary"


def test_exceptions_are_needed(hb):
    """A term exception is listed only where the term's Chinese is in the clause."""
    for unit in units(hb):
        present = {t.id for t in zh_occurrences(hb, unit.zh)}
        for tid in unit.exceptions:
            assert tid in present, f"{unit.id}: exception for {tid}, whose Chinese is not in the clause"


# --------------------------------------------------------------------------- the matching


@pytest.mark.parametrize(
    "phrase, text, found",
    [
        ("confidential documents", "Confidential document", True),
        ("confidential documents", "confidential documents", True),
        ("leader in charge", "the leaders in charge of", True),
        ("Bureau leaders", "one Bureau leader", True),
        ("Party Group", "the Party Group's members", True),
        ("Party Group", "Party Groups", True),
        ("Party Group", "party-grouping", False),
        ("Director (President of the Sub-council)", "the Director (President of the Sub-council) and", True),
        ("central group", "centralgroup", False),
        ("official card", "official business card", False),
    ],
)
def test_english_pattern(phrase, text, found):
    assert bool(english_pattern(phrase).search(text)) is found


# --------------------------------------------------------------------------- planted variants fail


@pytest.fixture
def data_copy(tmp_path) -> Path:
    return copy_data(tmp_path)  # with data/source/: an amendment names its document's text there


def plant(data: Path, file: str, old: str, new: str) -> None:
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def add_exception(data: Path, file: str, clause_id: str, term: str, reason: str) -> None:
    path = data / file
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {clause_id}")
    indent = " " * (lines[i].index("-") + 2)
    lines.insert(i + 1, f"{indent}term_exceptions: [{{term: {term}, reason: {reason}}}]")
    path.write_text("\n".join(lines), encoding="utf-8")


def test_a_planted_forbidden_variant_fails(data_copy):
    plant(data_copy, "regulation/finance.yaml", "meeting expenses shall as far as possible be settled with the official business card", "meeting expenses shall as far as possible be settled with the official card")
    found = problems_text(check(load(data_copy)))
    assert "finance.management.expenditure.card-settlement: forbidden variant: 'official card'" in found
    assert "missing rendering: 公务卡" in found


def test_a_planted_variant_in_a_question_fails(data_copy):
    plant(data_copy, "questions/finance.yaml", "Who approves the expenditure of an investment promotion branch office",
          "Who approves the expenditure of an investment promotion branch bureau")
    found = problems_text(check(load(data_copy)))
    assert "question:finance-management-branch-funds-approval" in found and "'branch bureau'" in found


def test_a_planted_variant_in_a_key_point_or_task_step_fails(data_copy):
    plant(data_copy, "key-points.yaml", "lodging and air fares are paid with the official business card",
          "lodging and air fares are paid with the official card")
    plant(data_copy, "tasks.yaml", "The Bureau (Sub-council) leader in charge of the section reviews it",
          "The leader in charge of the section reviews it")
    found = problems_text(check(load(data_copy)))
    assert "key-points:finance.travel[4]: forbidden variant: 'official card'" in found
    assert "task:reception.steps[0]: forbidden variant: 'leader in charge of the section'" in found


def test_a_planted_missing_rendering_fails_and_an_exception_excuses_it(data_copy):
    old = "The Bureau (Sub-council) leader in charge shall request instructions"
    plant(data_copy, "regulation/labour.yaml", old, "The responsible leader shall request instructions")
    found = problems_text(check(load(data_copy)))
    assert ("labour.reporting.chain.beyond-portfolio: missing rendering: 局(会)分管领导 should be "
            "'Bureau (Sub-council) leader in charge'") in found
    add_exception(data_copy, "regulation/labour.yaml", "labour.reporting.chain.beyond-portfolio",
                  "bureau-leader-in-charge", "planted for the test")
    assert "labour.reporting.chain.beyond-portfolio" not in problems_text(check(load(data_copy)))


def test_a_planted_may_not_fails(data_copy):
    plant(data_copy, "regulation/finance.yaml", "reception lodging shall not be arranged above the standard",
          "reception lodging may not be arranged above the standard")
    found = problems_text(check(load(data_copy)))
    assert "finance.reception.requirements.standards: forbidden variant: 'may not'" in found


def test_a_prohibition_without_shall_not_fails(data_copy):
    plant(data_copy, "regulation/labour.yaml", "switched on {value:duty.phone_on.hours} hours a day; they shall not be switched off.",
          "switched on {value:duty.phone_on.hours} hours a day and never switched off.")
    found = problems_text(check(load(data_copy)))
    assert "labour.duty-roster.contact: prohibition: 不得 without 'shall not'" in found


def test_planted_straight_quotes_fail(data_copy):
    plant(data_copy, "regulation/finance.yaml", "The source writes “150/人次”", 'The source writes "150/人次"')
    found = problems_text(check(load(data_copy)))
    assert "finance.reception.requirements.standards: quotation marks: straight double quote" in found


# --------------------------------------------------------------------------- the loader validates the fields


def test_unknown_term_in_an_exception_names_file_and_line(data_copy):
    add_exception(data_copy, "regulation/labour.yaml", "labour.reporting.chain.beyond-portfolio",
                  "no-such-term", "planted for the test")
    with pytest.raises(DataError) as info:
        load(data_copy)
    message = str(info.value)
    assert re.search(r"labour\.yaml:\d+: .*term_exceptions\[0\]\.term: exception for unknown glossary term 'no-such-term'", message)


def test_an_exception_needs_a_reason(data_copy):
    add_exception(data_copy, "regulation/labour.yaml", "labour.reporting.chain.beyond-portfolio",
                  "bureau-leader-in-charge", "x")
    with pytest.raises(DataError) as info:
        load(data_copy)
    assert "labour.yaml:" in str(info.value) and "reason" in str(info.value)


def test_a_forbidden_rendering_is_refused(data_copy):
    plant(data_copy, "glossary.yaml", "  forbidden: [official card]\n", "  forbidden: [official business card]\n")
    with pytest.raises(DataError) as info:
        load(data_copy)
    assert re.search(r"glossary\.yaml:\d+: terms\[\d+\]: .*'official business card' is both the rendering", str(info.value))


# --------------------------------------------------------------------------- glossary links on English pages


@pytest.fixture(scope="module")
def english_pages(hb):
    return {p.src_uri: p.content for p in Renderer(hb, "en").pages()}


def test_english_pages_link_the_reviewed_terms_wherever_they_occur(hb, english_pages):
    """Every English section page whose clauses have a reviewed term (in Chinese) links it to the glossary."""
    renderer = Renderer(hb, "en")
    checked = 0
    for part in hb.parts:
        for section in part.sections:
            present = set()
            # the paragraphs of the section's preamble and clauses (headings and table cells are not linked)
            paragraphs = [*section.intro, *(b for c in section.walk() for b in c.body)]
            for block in paragraphs:
                present |= {t.id for t in zh_occurrences(hb, getattr(block, "zh", ""))}
            page = english_pages[renderer.src_of(section)]
            for tid in sorted(present & REVIEWED_TERMS.keys()):
                checked += 1
                assert f"glossary/#term-{tid}" in page, f"{section.id}: no glossary link for {tid} on the English page"
    assert checked >= 20


def test_a_planted_must_in_rule_text_fails(data_copy):
    plant(data_copy, "regulation/finance.yaml", "reception lodging shall not be arranged above the standard",
          "reception lodging must be arranged within the standard")
    found = problems_text(check(load(data_copy)))
    assert "finance.reception.requirements.standards: obligation: 'must'" in found


def test_a_planted_duty_in_plain_present_fails(data_copy):
    plant(data_copy, "regulation/meetings.yaml", "for other reasons shall ask the Secretary of the Party Group for leave",
          "for other reasons ask the Secretary of the Party Group for leave")
    found = problems_text(check(load(data_copy)))
    assert "meetings.party-group.organisation.leave: obligation: the Chinese states a duty" in found


def test_hand_written_english_has_no_forbidden_variant(hb):
    """The English site's hand-written pages, the page templates and the calculators' labels use the glossary's renderings."""
    from handbook.model.terminology import forbidden_in

    root = DATA.parent
    files = [*sorted((root / "docs" / "en").rglob("*.md")), *sorted((root / "handbook" / "templates").glob("*.j2")),
             *sorted((root / "calculators").glob("*.py"))]
    assert files
    found = []
    for path in files:
        for words in forbidden_in(path.read_text(encoding="utf-8"), hb.glossary.terms):
            found.append(f"{path.relative_to(root)}: {words}")
    assert not found, "\n".join(found)


def test_hand_written_english_pages_use_curly_quotes():
    root = DATA.parent
    for path in sorted((root / "docs" / "en").rglob("*.md")):
        text = path.read_text(encoding="utf-8").split("---", 2)[-1]  # after the front matter
        prose = re.sub(r"<[^>]*>|`[^`]*`|\{\{.*?\}\}|\{%.*?%\}", "", text)
        assert '"' not in prose, f"{path.relative_to(root)}: straight double quote in the prose"


def test_planted_reversed_curly_quotes_fail(data_copy):
    plant(data_copy, "regulation/finance.yaml", "The source writes “150/人次”", "The source writes ”150/人次“")
    found = problems_text(check(load(data_copy)))
    assert "finance.reception.requirements.standards: quotation marks: unbalanced quotation marks" in found


def test_the_english_glossary_lists_each_terms_variants(hb, english_pages):
    page = english_pages["glossary.md"]
    for term in hb.glossary.terms:
        entry = page.split(f'id="term-{term.id}"', 1)[1].split("</div>", 1)[0]
        for variant in term.forbidden:
            assert f"“{variant}”" in entry.replace("&#39;", "'"), f"{term.id}: forbidden {variant!r} not listed"
        for allowed in term.allowed:
            assert f"“{allowed.variant}”" in entry.replace("&#39;", "'"), f"{term.id}: allowed {allowed.variant!r} not listed"
