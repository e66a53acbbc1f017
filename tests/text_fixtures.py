"""Fixture data for text in time: a copy of data/ with the manual's own examples applied (data/README.md,
"Rules in time"): the meal allowance amended 100 -> 120, a sentence and the heading of the same clause amended, a clause added
and a paragraph repealed, all from 2026-01-01 by 资财行〔2025〕99号, whose text goes into data/source/.

Nothing here touches data/ itself: :func:`walkthrough` writes into a copy under a temporary directory.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from handbook.paths import DATA
from living_data import fenced
from rules_fixtures import add_to_value, copy_data, last_version

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
五、第4条标题“伙食补助费”修改为“出差伙食补助费”。
"""


# The examples of data/README.md this module applies to a copy of the data (or test_text_in_time compares with the
# shipped data): their fence line says ```yaml applied example=NAME, and tests/test_manual.py leaves them to us.
APPLIED = ("figures", "amend-paragraph", "amend-heading", "new-clause", "repeal", "quote")


def examples() -> dict[str, str]:
    """The YAML examples of data/README.md marked ``applied example=NAME`` on their fence line, by name."""
    out = {}
    for _file, _line, info, body in fenced(README, "yaml"):
        if "applied" in info:
            out.update({w.removeprefix("example="): body for w in info if w.startswith("example=")})
    return out


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


def write_document(data: Path) -> Path:
    """The amending document's text into data/source/2025-99.txt (its lines added to what the file already holds)."""
    path = data / "source" / "2025-99.txt"
    held = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    missing = [line for line in DOCUMENT_TEXT.splitlines() if line not in held]
    path.write_text("".join(line + "\n" for line in held + missing), encoding="utf-8")
    return path


def apply_text_examples(data: Path) -> dict:
    """The manual's text examples applied to a copy of the data: the meal allowance's second paragraph and its heading
    amended, the receipts clause added under it, the reimbursement clause's paragraph on secondments repealed. A step
    the data already holds (the same amendment or a later one, the new clause's id, a repeal) is left as it is.
    Returns ``{"amended": clause id, "heading": clause id, "new": clause id, "repealed": clause id}`` for the steps
    applied."""
    amended = example("amend-paragraph")[0]
    heading = example("amend-heading")["title"]
    new_clause = example("new-clause")[0]
    repeal = example("repeal")
    done = {}

    def change(doc):
        meal = clause(doc, MEAL)
        paragraph = next(b for b in meal["body"] if b.get("zh") == amended["zh"])
        later = [a for a in paragraph.get("amendments") or [] if str(a["effective_from"]) >= DAY]
        if not later:
            paragraph["amendments"] = list(paragraph.get("amendments") or []) + amended["amendments"]
            done["amended"] = MEAL
        title = meal["title"]
        if title["zh"] == heading["zh"] and not [a for a in title.get("amendments") or [] if str(a["effective_from"]) >= DAY]:
            title["amendments"] = list(title.get("amendments") or []) + heading["amendments"]
            done["heading"] = MEAL
        if _find(doc, new_clause["id"]) is None:
            meal.setdefault("clauses", []).append(new_clause)
            done["new"] = new_clause["id"]
        secondments = next(b for b in clause(doc, REIMBURSEMENT)["body"] if "实(见)习" in b.get("zh", ""))
        if "repealed" not in secondments:  # the paragraph on secondments no longer applies
            secondments.update(repeal)
            done["repealed"] = REIMBURSEMENT

    edit_part(data, FINANCE, change)
    return done


def walkthrough(tmp_path: Path) -> Path:
    """A copy of data/ with the manual's examples applied: the rate, a sentence, a new clause, a repeal."""
    data = copy_data(tmp_path)
    write_document(data)
    if str(last_version(data, "travel.meal.in_province").effective_from) < DAY:  # the data under test may hold it
        add_to_value(data, "travel.meal.in_province", f"""
amendments:
  - value: 120
    effective_from: {DAY}
    source:
      document: {{zh: {DOC['zh']}, en: '{DOC['en']}'}}
      clause: {{zh: 第一条, en: Article 1}}
""")
    apply_text_examples(data)
    return data


def travel_page(hb, lang, today):
    """The travel section's page content as the Renderer makes it for ``today``."""
    from handbook.pages.site import Renderer

    section = next(s for s in hb.sections if s.id == "finance.travel")
    return Renderer(hb, lang, {}, today=today).section_page(hb.part_of[section.id], section).content


def visible(html: str) -> str:
    """The page's text with every element marked hidden removed (what a reader sees without the picker)."""
    html = re.sub(r"<(span|div|details)\b[^>]*\shidden[^>]*>.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", html)
