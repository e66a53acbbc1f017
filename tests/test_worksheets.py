"""data/worksheets.yaml: the worksheets' sign-off boxes are data, validated with file, line and reason."""

from __future__ import annotations

import pytest

from calculators import CALCULATORS
from handbook.exports.worksheets import WORKSHEETS, load
from handbook.model.yamlfile import DataError


def test_the_data_loads_and_names_forms_per_calculator(hb):
    sheets = load(hb, CALCULATORS)
    assert [f.id for f in sheets.forms_of("travel")] == ["travel-approval", "expense-claim"]
    assert sheets.forms_of("study") == []
    assert any(f.approvers_from_result for f in sheets.forms_of("leave"))


@pytest.mark.parametrize(
    "old, new, reason",
    [
        ("clause: finance.travel.approval", "clause: finance.travel.nowhere", "unknown clause 'finance.travel.nowhere'"),
        ("  leave: [leave-approval]", "  leave: [leave-form]", "unknown form 'leave-form'"),
        ("  leave: [leave-approval]", "  holiday: [leave-approval]", "unknown calculator 'holiday'"),
        ("- {zh: 办公室主任(审核), en: Director of the General Office (review)}", "- {zh: 办公室主任(审核), en: ''}", "missing translation"),
        ('en: "Bureau (Sub-council) leader in charge of the section (writes', 'en: "Leader in charge of the section (writes',
         "glossary section-leader-in-charge"),
        ("en: Bureau's principal leader (approval)}", "en: Principal Bureau leader (approval)}", "glossary principal-leader"),
    ],
)
def test_bad_data_fails_with_file_line_and_reason(hb, tmp_path, old, new, reason):
    text = WORKSHEETS.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "worksheets.yaml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load(hb, CALCULATORS, bad)
    message = str(err.value)
    assert "worksheets.yaml" in message and reason in message
    assert ":" in message.split("worksheets.yaml", 1)[1][:6]  # a line number follows the file
