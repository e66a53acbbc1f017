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


class DataErrors(DataError):
    """Every problem found in one pass over the data (``python -m handbook check`` lists them; ``load()``
    raises them together). It reads as its first problem (``file``, ``line``, ``location``, ``reason``)."""

    def __init__(self, problems: list[DataError]):
        flat: list[DataError] = []
        for p in problems:
            flat.extend(p.problems if isinstance(p, DataErrors) else [p])
        self.problems = flat
        first = flat[0]
        super().__init__(first.file, first.location, first.reason, first.line)

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return DataError.__str__(self.problems[0])
        return (DataError.__str__(self.problems[0]) + f"\n(and {len(self.problems) - 1} more; all of them:)\n"
                + "\n".join(DataError.__str__(p) for p in self.problems))


def problems_of(exc: DataError) -> list[DataError]:
    return list(exc.problems) if isinstance(exc, DataErrors) else [exc]


# --------------------------------------------------------------------------- plain words for YAML's complaints

YAML_HINTS = [
    ("tab character", "a tab: indent with spaces only (two per level)"),
    ("found character '\\t'", "a tab: indent with spaces only (two per level)"),
    ("found character '\t'", "a tab: indent with spaces only (two per level)"),
    ("did not find expected ',' or '}'",
     "inside {…} a comma, colon or square bracket ends the value: put quotes around text such as "
     "\"Zi Cai Xing [2025] No. 99\" or \"Unit: yuan\""),
    ("did not find expected ',' or ']'", "inside […] a comma or bracket ends the value: put quotes around that text"),
    ("mapping values are not allowed here",
     "a colon followed by a space inside a value: put quotes around the whole text, or the key is indented wrongly"),
    ("did not find expected key", "the indentation does not line up: keys of one item start in the same column"),
    ("did not find expected '-' indicator", "a list item is indented differently from the items above it"),
    ("could not find expected ':'", "a key without a colon, or text that runs on to the next line without quotes"),
    ("found undefined alias", "an asterisk (*) starts a value: put quotes around the text"),
    ("found character that cannot start any token", "a value starts with a reserved character (` @ % |): put quotes around it"),
    ("found unexpected end of stream", "a quotation mark or bracket is not closed"),
    ("duplicate key", "a key is written twice in the same item: merge them (e.g. one `amendments:` list with several items)"),
]


def plain_yaml_problem(problem: str) -> str:
    """YAML's message with a hint in plain words for the common mistakes."""
    for needle, hint in YAML_HINTS:
        if needle in problem:
            return f"{problem} — {hint}"
    return problem


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


def unique_ids(doc: YamlDoc, ids: Iterable[str], loc: tuple, kind: str, key: str | None = "id",
               first: dict[str, str] | None = None) -> list[DataError]:
    """A problem for each of ``ids`` (at ``loc + (i, key)`` in ``doc``; ``key=None``: the items are the ids) that
    an earlier item already has, naming the file and line of the first; ``first`` (id -> "file:line") carries
    the ids across files."""
    first = {} if first is None else first
    problems: list[DataError] = []
    for i, id_ in enumerate(ids):
        at = loc + ((i, key) if key else (i,))
        if id_ in first:
            problems.append(doc.error(at, f"duplicate {kind} {id_!r} (first at {first[id_]})"))
        else:
            first[id_] = f"{doc.path.name}:{doc.line(at)}"
    return problems


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
        raise DataError(path, "", f"invalid YAML: {plain_yaml_problem(str(exc.problem or exc))}", line) from None
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
    """The document as ``model``, or DataErrors with every problem pydantic found (one per place)."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems: list[DataError] = []
        seen: set[tuple] = set()
        for err in exc.errors():
            # pydantic puts union member names (e.g. 'Bilingual', 'TableBlock') in the loc; drop them
            member = [isinstance(p, str) and (p[:1].isupper() or "[" in p) for p in err["loc"]]
            loc = tuple(p for p, m in zip(err["loc"], member, strict=True) if not m)
            if any(member):  # one problem per value a union could not read (not one per member it tried)
                at = tuple(err["loc"][: member.index(True)])
                if at in seen:
                    continue
                seen.add(at)
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "missing":
                msg = f"missing required field '{loc[-1]}'" if loc else msg
            elif err["type"] == "extra_forbidden":
                msg = f"unknown field '{loc[-1]}'"
            problems.append(doc.error(loc, msg))
        raise DataErrors(sorted(problems, key=lambda p: p.line or 0)) from None
