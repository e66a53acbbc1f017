"""What the loader says about one data file written into a copy of ``data/`` (the copies come from
tests/rules_fixtures.py or a test's own fixture): the first problem, or every problem, each checked to read as
``file:line: location: reason``."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.model.loader import load
from handbook.model.yamlfile import DataError, problems_of


def problems_for(data: Path, name: str, text: str) -> list[DataError]:
    """Every problem ``load(data)`` raises once ``text`` is written to ``data/<name>`` (e.g. "questions/finance.yaml")."""
    (data / name).write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load(data)
    problems = problems_of(info.value)
    for err in problems:
        assert f"{err.file.name}:{err.line}: {err.location}: {err.reason}" in str(err)
    return problems


def error_for(data: Path, name: str, text: str) -> DataError:
    """The first problem of that file, which must be the first problem of all."""
    err = problems_for(data, name, text)[0]
    assert err.file.name == Path(name).name
    return err
