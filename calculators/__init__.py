"""The handbook's calculators: the bureau's money and score rules as pure Python.

Standard library only: the same package runs natively (tests, CLI, build-time examples) and in
the browser under Pyodide.  Every rate comes from ``rules.json`` (generated from ``data/``).

>>> from calculators import compute
>>> compute("training", {"mode": "trainee", "days": 3})["total_text"]  # doctest: +SKIP

Each calculator module has ``compute(input: dict) -> dict``, a bilingual ``TITLE``, the
``SECTION`` it implements, ``FIELDS`` (its input, declared once: see ``fields.py``) and a
``DEFAULT_INPUT`` (an example for the page's form).
"""

from __future__ import annotations

from types import ModuleType

from . import attendance, errand, leave, reception, study, training, travel
from .errors import CalcError
from .fields import excerpt

CALCULATORS: dict[str, ModuleType] = {
    "travel": travel,
    "errand": errand,
    "training": training,
    "reception": reception,
    "study": study,
    "leave": leave,
    "attendance": attendance,
}

__all__ = ["CALCULATORS", "CalcError", "compute", "get", "schema"]


def get(name: str) -> ModuleType:
    """The calculator module called ``name``; CalcError (field ``calculator``) if there is none."""
    module = CALCULATORS.get(name) if isinstance(name, str) else None
    if module is None:
        names = ", ".join(CALCULATORS)
        shown = f"'{excerpt(name)}'" if isinstance(name, str) else repr(name)
        raise CalcError("calculator", f"没有名为 {shown} 的计算器。可用的计算器:{names}。",
                        f"there is no calculator called {shown}. Available: {names}.")
    return module


def compute(name: str, data) -> dict:
    """Run calculator ``name`` on ``data`` (a dict): the result, or CalcError."""
    return get(name).compute(data)


def schema(name: str) -> dict:
    """A JSON Schema (draft 2020-12) of calculator ``name``'s input, from its one declaration of fields."""
    module = get(name)
    return module.FIELDS.schema((module.TITLE["zh"], module.TITLE["en"]))
