"""Fixture data for text in time: a copy of data/ with the manual's own examples applied (data/README.md,
"Rules in time"): the meal allowance amended 100 -> 120, a sentence of the same clause amended, a clause added
and a paragraph repealed, all from 2026-01-01 by 资财行〔2025〕99号, whose text goes into data/source/.

Nothing here touches data/ itself: :func:`walkthrough` writes into a copy under a temporary directory.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from handbook.paths import DATA
from rules_fixtures import add_to_value, copy_data

README = DATA / "README.md"
DAY = "2026-01-01"
DOC = {"zh": "资财行〔2025〕99号", "en": "Zi Cai Xing [2025] No. 99"}
FINANCE = "regulation/finance.yaml"
MEAL = "finance.travel.meal-allowance"
REIMBURSEMENT = "finance.travel.reimbursement"
# the amending document's text (data/source/2025-99.txt): the wordings it gives, verbatim
DOCUMENT_TEXT = """资阳市财政局关于调整差旅费有关标准的通知
资财行〔2025〕99号
一、省内(内地)伙食补助费标准由每人每天100元调整为每人每天120元。
二、伙食补助费具体标准按照《资阳市市直机关差旅费管理办法》(2025年修订)执行。补助标准见下表:
三、出差人员报销伙食补助费,无需提供用餐发票。
四、自2026年1月1日起施行。
"""


def examples() -> dict[str, str]:
    """The YAML examples of data/README.md marked ``<!-- example: NAME -->``, by name."""
    text = README.read_text(encoding="utf-8")
    return {m.group(1): m.group(2) for m in re.finditer(r"<!-- example: ([a-z-]+) -->\n```yaml\n(.*?)```", text, re.S)}


def example(name: str):
    return yaml.safe_load(examples()[name])


def _find(node, clause_id: str):
    if isinstance(node, dict):
        if node.get("id") == clause_id:
            return node
        node = list(node.values())
    if isinstance(node, list):
        for item in node:
            found = _find(item, clause_id)
            if found is not None:
                return found
    return None


def edit_part(data: Path, file: str, change) -> None:
    """Load a part file, let ``change(doc)`` edit it, write it back (a fixture's copy only)."""
    path = data / file
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")


def clause(doc, clause_id: str) -> dict:
    found = _find(doc, clause_id)
    assert found is not None, clause_id
    return found


def walkthrough(tmp_path: Path) -> Path:
    """A copy of data/ with the manual's examples applied: the rate, a sentence, a new clause, a repeal."""
    data = copy_data(tmp_path)
    (data / "source" / "2025-99.txt").write_text(DOCUMENT_TEXT, encoding="utf-8")
    add_to_value(data, "travel.meal.in_province", f"""
amendments:
  - value: 120
    effective_from: {DAY}
    source:
      document: {{zh: {DOC['zh']}, en: '{DOC['en']}'}}
      clause: {{zh: 第一条, en: Article 1}}
""")
    amended = example("amend-paragraph")[0]
    new_clause = example("new-clause")[0]
    repeal = example("repeal")

    def change(doc):
        meal = clause(doc, MEAL)
        body = meal["body"]
        k = next(i for i, b in enumerate(body) if b.get("zh") == amended["zh"])
        body[k] = amended
        meal.setdefault("clauses", []).append(new_clause)
        reimbursement = clause(doc, REIMBURSEMENT)
        reimbursement["body"][-1].update(repeal)  # the paragraph on secondments no longer applies

    edit_part(data, FINANCE, change)
    return data
