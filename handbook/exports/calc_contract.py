"""The calculator pages' page <-> script contract, read from its one declaration.

``overrides/assets/calc/contract.js`` declares every ``data-*`` name the calculator page and its
scripts share, as strict JSON between ``/* contract:begin */`` and ``/* contract:end */``; the
templates get the same names from here (``attrs.total`` -> ``data-calc-total``).
"""

from __future__ import annotations

import json
import posixpath
import re
from functools import lru_cache
from pathlib import Path

from handbook.paths import OVERRIDES

CONTRACT_JS = OVERRIDES / "assets" / "calc" / "contract.js"
_BLOCK = re.compile(r"/\* contract:begin \*/(.*?)/\* contract:end \*/", re.S)


class Attrs:
    """Attribute names by role; ``attrs.total`` in a template, ``attrs["total"]`` in Python.
    (Not a dict: a role named like a dict method, e.g. ``copy``, must still be the name.)"""

    def __init__(self, names: dict[str, str]):
        self._names = dict(names)

    def __getattr__(self, key: str) -> str:
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self._names[key]
        except KeyError:
            raise AttributeError(f"not in the calculator page contract ({CONTRACT_JS.name}): {key}") from None

    __getitem__ = __getattr__

    def names(self) -> dict[str, str]:
        """role -> attribute name"""
        return dict(self._names)


def declared_json(path: Path):
    """The strict JSON between ``/* contract:begin */`` and ``/* contract:end */`` of a front-end module: a
    declaration its scripts import and the build reads (the calculator and training contracts, the search
    index's schema)."""
    m = _BLOCK.search(path.read_text(encoding="utf-8"))
    if not m:
        raise ValueError(f"{path}: no /* contract:begin */ … /* contract:end */ block")
    return json.loads(m.group(1))


@lru_cache(maxsize=1)
def attrs(path: Path = CONTRACT_JS) -> Attrs:
    data = declared_json(path)
    if len(set(data.values())) != len(data):
        raise ValueError(f"{path}: two roles share one attribute name")
    return Attrs(data)


_STATIC_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.\.?/[\w./-]+\.js)";?""", re.M)


@lru_cache(maxsize=4)
def page_modules(entry: str = "calc-ui.js", folder: Path = CONTRACT_JS.parent) -> tuple[str, ...]:
    """The front end's static module graph from ``entry``, in load order (entry first): the page
    preloads them all at once (``<link rel="modulepreload">``) instead of discovering them one
    import level at a time. Derived from the modules' own import lines; dynamic imports (the QR
    code's library) are left to load when needed."""
    seen: list[str] = []
    todo = [entry]
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        seen.append(name)
        # relative to the importing module, as a path from ``folder`` ("../shared/bus.js" for the page's shared module)
        todo.extend(posixpath.normpath(posixpath.join(posixpath.dirname(name), ref))
                    for ref in _STATIC_IMPORT.findall((folder / name).read_text(encoding="utf-8")))
    return tuple(seen)
