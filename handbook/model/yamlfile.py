"""YAML files with line numbers: read, locate a path inside the document, report a problem there.

Any problem raises :class:`DataError` naming the file, the line, the location inside the
document and the reason, so that a bad edit fails the build with a message a person can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import BaseModel, ValidationError

from handbook.paths import ROOT


class DataError(Exception):
    """A problem in ``data/``: where it is and what is wrong."""

    def __init__(self, file: Path | str, location: str, reason: str, line: int | None = None):
        self.file = Path(file)
        self.location = location
        self.reason = reason
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        try:
            shown = self.file.resolve().relative_to(ROOT)
        except ValueError:
            shown = self.file
        where = f"{shown}:{self.line}" if self.line else f"{shown}"
        return f"{where}: {self.location or '(top level)'}: {self.reason}"


# --------------------------------------------------------------------------- YAML with line numbers


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe YAML with libyaml's parser when available, refusing duplicate keys."""


def _no_duplicate_keys(loader: _Loader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key]})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicate_keys)


def _line_index(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict[tuple, int]:
    """Map each path inside the document (keys and list indexes) to its 1-based line."""
    out = {} if out is None else out
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            _line_index(value_node, path + (key_node.value,), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, path + (i,), out)
    return out


@dataclass
class YamlDoc:
    path: Path
    data: Any
    lines: dict[tuple, int]

    def error(self, loc: Iterable, reason: str) -> "DataError":
        """A DataError at ``loc`` (a path of keys and indexes) inside this document."""
        loc = tuple(loc)
        return DataError(self.path, format_loc(loc), reason, self.line(loc))

    def line(self, loc: Iterable) -> int | None:
        loc = tuple(loc)
        while loc not in self.lines and loc:
            loc = loc[:-1]
        return self.lines.get(loc)


def read_yaml(path: Path) -> YamlDoc:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(path, "", "file not found") from None
    except UnicodeDecodeError as exc:
        raise DataError(path, "", f"not UTF-8 text ({exc.reason})") from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()  # parse once; construct the data from the same node tree
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise DataError(path, "", f"invalid YAML: {exc.problem or exc}", line) from None
    finally:
        loader.dispose()
    if node is None:
        raise DataError(path, "", "the file is empty")
    return YamlDoc(path, data, _line_index(node))


def format_loc(loc: Iterable) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def parse(doc: YamlDoc, model: type[BaseModel]):
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        err = exc.errors()[0]
        # pydantic puts union member names (e.g. 'Bilingual', 'TableBlock') in the loc; drop them
        loc = [p for p in err["loc"] if isinstance(p, int) or not (p[:1].isupper() or "[" in p)]
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = f"missing required field '{loc[-1]}'" if loc else msg
        elif err["type"] == "extra_forbidden":
            msg = f"unknown field '{loc[-1]}'"
        extra = f" (and {len(exc.errors()) - 1} more problem(s))" if len(exc.errors()) > 1 else ""
        raise doc.error(loc, msg + extra) from None
