"""Readings a calculator applies (data/README.md, "Readings a calculator applies"): an editorial note with an ``id``,
exported in rules.json "readings" by (clause id, note id), looked up by them (``calculators.rules.reading``), never by
the regulation's wording; the loader checks the ids are unique within their clause and that every note a calculator
declares it applies (``calculators.rules.applies``) is there. On copies of data/ only."""

from __future__ import annotations

import pytest
from rules_fixtures import copy_data
from text_fixtures import FINANCE, clause, edit_part

from calculators import CALCULATORS, rules
from handbook.exports.rules_export import export
from handbook.model.loader import load
from handbook.model.yamlfile import DataError

APPROVAL = "finance.travel.approval"


def _load_error(data) -> DataError:
    with pytest.raises(DataError) as info:
        load(data)
    err = info.value
    assert err.line and err.file.name == "finance.yaml", str(err)
    return err


def test_every_reading_the_calculators_apply_is_a_note_with_an_id(hb):
    assert CALCULATORS  # the calculators are imported: each has declared the notes it applies
    asked = set(rules.ASKED)
    assert (APPROVAL, "county-stay") in asked and ("finance.travel.reimbursement", "trainee-quota") in asked
    exported = export(hb)["readings"]
    for cid, nid in asked:
        note = next(n for n in hb.clauses[cid].notes if n.id == nid)
        assert exported[cid][nid]["zh"] == note.note.zh and exported[cid][nid]["en"] == note.note.en
    # only notes with an id are exported, by id
    assert all(isinstance(notes, dict) for notes in exported.values())
    assert sum(len(notes) for notes in exported.values()) == sum(1 for c in hb.clauses.values() for n in c.notes if n.id)


def test_a_reading_is_found_by_its_id_whatever_its_wording(tmp_path):
    """The regulation's wording a note is on can be amended (or the note reworded): the lookup by id still finds it."""
    data = copy_data(tmp_path)

    def change(doc):
        note = next(n for n in clause(doc, APPROVAL)["notes"] if n.get("id") == "county-stay")
        note["note"]["zh"] = "(改写后的编者注)" + note["note"]["zh"]

    edit_part(data, FINANCE, change)
    with rules.using(export(load(data))):
        zh, _en = rules.reading(APPROVAL, "county-stay")
    assert zh.startswith("(改写后的编者注)")


def test_a_note_id_is_unique_within_its_clause(tmp_path):
    data = copy_data(tmp_path)

    def change(doc):
        notes = clause(doc, APPROVAL)["notes"]
        notes.append({**next(n for n in notes if n.get("id") == "county-stay"), "original": None})

    edit_part(data, FINANCE, change)
    err = _load_error(data)
    assert "duplicate note id 'county-stay'" in err.reason and err.location.endswith(".id"), str(err)


def test_a_note_a_calculator_applies_must_be_there(tmp_path):
    data = copy_data(tmp_path)

    def change(doc):
        note = next(n for n in clause(doc, APPROVAL)["notes"] if n.get("id") == "county-stay")
        note["id"] = "county-night"

    edit_part(data, FINANCE, change)
    err = _load_error(data)
    assert "calculators/travel.py applies the editorial note 'county-stay'" in err.reason, str(err)
    assert "county-night" in err.reason and err.location.endswith("notes"), str(err)
