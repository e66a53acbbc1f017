"""The manual cannot rot (issue 19, item 6): every YAML example in data/README.md and README.md is loaded here.

Each ```yaml fence names on its own line the model its example belongs to (``handbook/model/models.py``):

    ```yaml Value                 the example is a whole Value (or a list of them)
    ```yaml Value partial         each item (by its ``id``) is merged into the item of that id in the data
                                  and the result must validate: the fields shown are real and well-formed
    ```yaml PartFile              a whole part file
    ```yaml applied example=NAME  applied to a copy of the data by tests/text_fixtures.py (APPLIED), then loaded

An example that does not parse, names no model, or does not validate fails here, with its line in the README.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from living_data import fenced

from handbook.model import models
from handbook.paths import ROOT

MANUALS = [ROOT / "data" / "README.md", ROOT / "README.md"]
def examples(path: Path):
    yield from fenced(path, "yaml")


EXAMPLES = [e for path in MANUALS for e in examples(path)]


def _dump(obj) -> dict:
    return obj.model_dump(exclude_defaults=True, by_alias=True)


def _in_data(hb, model: str, item_id: str):
    """The item of the data that a partial example with this id belongs to."""
    found = {
        "Value": lambda: hb.values[item_id][0],
        "Clause": lambda: hb.clauses[item_id],
        "Term": lambda: next(t for t in hb.glossary.terms if t.id == item_id),
        "StandardTable": lambda: next(t for t in hb.standards if t.id == item_id),
    }[model]
    try:
        return found()
    except (KeyError, StopIteration):
        raise AssertionError(f"no {model} with id {item_id!r} in the data") from None


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for key, val in extra.items():
        out[key] = _merge(out[key], val) if isinstance(val, dict) and isinstance(out.get(key), dict) else val
    return out


def validate(hb, model: str, partial: bool, data):
    cls = getattr(models, model)
    if model == "Standards" and partial:  # tables by id
        for table in data["tables"]:
            validate(hb, "StandardTable", True, table)
        return
    for item in data if isinstance(data, list) else [data]:
        if partial:
            item = _merge(_dump(_in_data(hb, model, item["id"])), item)
        cls.model_validate(item)


@pytest.mark.parametrize("name, line, info, body", EXAMPLES, ids=[f"{n}:{ln}" for n, ln, _i, _b in EXAMPLES])
def test_every_yaml_example_loads(hb, name, line, info, body):
    where = f"{name}:{line}"
    if "applied" in info:  # an example applied to a copy of the data by tests/text_fixtures.py, which the loader then checks
        from text_fixtures import APPLIED

        named = [w.removeprefix("example=") for w in info if w.startswith("example=")]
        assert named and named[0] in APPLIED, f"{where}: an applied example names one of {APPLIED} (example=NAME)"
        yaml.safe_load(body)
        return
    assert info, f"{where}: name the model the example belongs to on the fence line (```yaml Value, ```yaml Value partial)"
    model, partial = info[0], "partial" in info[1:]
    assert hasattr(models, model), f"{where}: unknown model {model!r}"
    try:
        data = yaml.safe_load(body)
    except yaml.YAMLError as exc:
        pytest.fail(f"{where}: the example is not valid YAML: {exc}")
    try:
        validate(hb, model, partial, data)
    except Exception as exc:  # pydantic's ValidationError, or an unknown id
        pytest.fail(f"{where}: the example does not validate as {model}{' (partial)' if partial else ''}: {exc}")


def test_the_manuals_have_examples():
    assert len([e for e in EXAMPLES if e[0] == "README.md"]) >= 2 and len([e for e in EXAMPLES if e[0] == "data/README.md"]) >= 7
