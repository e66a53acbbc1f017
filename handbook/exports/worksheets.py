"""The sign-off boxes of the calculators' printed worksheets, from ``data/worksheets.yaml``.

The regulation names the forms a claim goes through (出差审批单, 费用报销单, …) and who signs
them; that is regulation content, so it lives in ``data/`` and is validated here: every form
cites an existing clause, every calculator named exists and names existing forms. Errors name
the file, the line and the reason, like the rest of the data.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator

from handbook.model.models import Bilingual, Handbook, Strict
from handbook.model.yamlfile import parse, read_yaml
from handbook.paths import DATA

WORKSHEETS = Path(DATA) / "worksheets.yaml"


class SignForm(Strict):
    """A form to be signed: its title, the clause that requires it, one box per signature."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: Bilingual
    clause: str
    boxes: list[Bilingual] = Field(min_length=1)
    approvers_from_result: bool = False


class Worksheets(Strict):
    forms: list[SignForm]
    calculators: dict[str, list[str]]

    @model_validator(mode="after")
    def _known_forms(self) -> "Worksheets":
        ids = [f.id for f in self.forms]
        if len(set(ids)) != len(ids):
            raise ValueError("two forms share an id")
        for name, forms in self.calculators.items():
            for form in forms:
                if form not in ids:
                    raise ValueError(f"calculator {name!r} names an unknown form {form!r}")
        return self

    def forms_of(self, calculator: str) -> list[SignForm]:
        by_id = {f.id: f for f in self.forms}
        return [by_id[i] for i in self.calculators.get(calculator, [])]


def load(hb: Handbook, calculators: dict, path: Path = WORKSHEETS) -> Worksheets:
    doc = read_yaml(path)
    sheets = parse(doc, Worksheets)
    for i, form in enumerate(sheets.forms):
        if form.clause not in hb.section_of:
            raise doc.error(("forms", i, "clause"), f"reference to unknown clause {form.clause!r}")
    for name in sheets.calculators:
        if name not in calculators:
            raise doc.error(("calculators", name), f"unknown calculator {name!r}")
    for i, form in enumerate(sheets.forms):
        for loc, text in [(("forms", i, "title"), form.title)] + [(("forms", i, "boxes", j), b) for j, b in enumerate(form.boxes)]:
            wrong = glossary_problems(hb, text)
            if wrong:
                raise doc.error(loc + ("en",), "; ".join(wrong))
    return sheets


def glossary_problems(hb: Handbook, text: Bilingual) -> list[str]:
    """Where a box's English departs from the glossary: a term of its Chinese not rendered, or a forbidden variant."""
    from handbook.model.terminology import forbidden_in, renderings, spans, zh_occurrences

    terms = zh_occurrences(hb, text.zh)
    out = [f"{t.zh} should be {t.en!r} (glossary {t.id})" for t in terms if not spans(text.en, renderings(t))]
    return out + forbidden_in(text.en, hb.glossary.terms)
