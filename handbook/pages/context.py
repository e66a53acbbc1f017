"""What both MkDocs entry points (the hooks and the macros module) share in one build process."""

from __future__ import annotations

import os

from mkdocs.exceptions import PluginError

from handbook.model.loader import load
from handbook.model.models import Handbook
from handbook.model.yamlfile import DataError
from handbook.paths import DATA

state: dict = {}


def handbook() -> Handbook:
    """The loaded data, once per process; a data error stops the build with its location."""
    if "hb" not in state:
        try:
            state["hb"] = load(os.environ.get("HANDBOOK_DATA") or DATA)
        except DataError as exc:
            raise PluginError(f"Invalid handbook data: {exc}") from None
    return state["hb"]


def calculators() -> dict:
    try:
        from calculators import CALCULATORS
    except ImportError as exc:  # the engine is part of the product: without it the site is incomplete
        raise PluginError(f"Cannot import the calculators package: {exc}") from None
    return dict(CALCULATORS)


