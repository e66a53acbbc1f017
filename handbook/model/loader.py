"""Load and validate everything under ``data/`` into the :class:`~handbook.model.models.Handbook` aggregate.

Any problem raises :class:`~handbook.model.yamlfile.DataError` naming the file, the line, the location
inside the document and the reason.
"""

from __future__ import annotations

import re
from pathlib import Path

from handbook.model import timeline
from handbook.model.models import (
    DOTTED_ID,
    PART_ID,
    PLACEHOLDER,
    VALUE_REF,
    Clause,
    Glossary,
    Handbook,
    Located,
    Part,
    PartFile,
    Question,
    QuestionFile,
    Region,
    Regions,
    Source,
    Standards,
    StandardTable,
)
from handbook.model.yamlfile import DataError, YamlDoc, parse, read_yaml
from handbook.paths import DATA

CJK_ONLY = re.compile(r"[^A-Za-z]*")


def _check_ids(doc: YamlDoc, part: Part, origin: dict[str, Located]) -> None:
    def claim(id_: str, loc: tuple, kind: str):
        line = doc.line(loc + ("id",))
        if id_ in origin:
            first = origin[id_]
            where = first.file.name + (f":{first.line}" if first.line else "")
            raise doc.error(loc + ("id",), f"duplicate {kind} id {id_!r} (first defined in {where})")
        origin[id_] = Located(doc.path, loc, line)

    base = ("part",)
    if not PART_ID.match(part.id):
        raise doc.error(base + ("id",), f"malformed part id {part.id!r}: use a lowercase slug")
    claim(part.id, base, "part")

    def clause(c: Clause, parent_id: str, loc: tuple):
        if not DOTTED_ID.match(c.id) or c.id.rsplit(".", 1)[0] != parent_id:
            raise doc.error(loc + ("id",), f"malformed clause id {c.id!r}: it must be its parent's id {parent_id!r} plus '.' and a lowercase slug")
        claim(c.id, loc, "clause")
        for j, v in enumerate(c.values):
            claim(v.id, loc + ("values", j), "value")
        for k, child in enumerate(c.clauses):
            clause(child, c.id, loc + ("clauses", k))

    for i, s in enumerate(part.sections):
        sloc = base + ("sections", i)
        if not DOTTED_ID.match(s.id) or s.id.split(".")[0] != part.id or s.id.count(".") != 1:
            raise doc.error(sloc + ("id",), f"malformed section id {s.id!r}: it must be '{part.id}.' plus a lowercase slug")
        claim(s.id, sloc, "section")
        for k, c in enumerate(s.clauses):
            clause(c, s.id, sloc + ("clauses", k))


def _check_references(hb: Handbook, docs: dict[str, YamlDoc]) -> None:
    for cid, clause in hb.clauses.items():
        for j, ref in enumerate(clause.see):
            if ref not in hb.clauses and ref not in hb.section_of:
                where = hb.origin[cid]
                loc = where.loc + ("see", j)
                raise docs[str(where.file)].error(loc, f"reference to unknown clause {ref!r}")
    term_ids = {t.id for t in hb.glossary.terms}
    for owner in [*hb.sections, *hb.clauses.values()]:
        for j, exc in enumerate(owner.term_exceptions):
            if exc.term not in term_ids:
                where = hb.origin[owner.id]
                loc = where.loc + ("term_exceptions", j, "term")
                raise docs[str(where.file)].error(loc, f"exception for unknown glossary term {exc.term!r}")
    gdoc = docs["glossary"]
    seen: dict[str, int] = {}
    for i, term in enumerate(hb.glossary.terms):
        if term.id in seen:
            raise gdoc.error(("terms", i, "id"), f"duplicate term id {term.id!r} (first at terms[{seen[term.id]}])")
        seen[term.id] = i
        for j, ref in enumerate(term.clauses):
            if ref not in hb.section_of:
                loc = ("terms", i, "clauses", j)
                raise gdoc.error(loc, f"reference to unknown clause {ref!r}")


def load_part(path: Path | str) -> Part:
    """Validate one part file on its own (ids and schema; cross-file references are not checked)."""
    doc = read_yaml(Path(path))
    part = parse(doc, PartFile).part
    _check_ids(doc, part, {})
    return part


def load(data_dir: Path | str = DATA) -> Handbook:
    data_dir = Path(data_dir)
    docs: dict[str, YamlDoc] = {}
    sdoc = read_yaml(data_dir / "source.yaml")
    docs["source"] = sdoc
    source = parse(sdoc, Source)
    origin: dict[str, Located] = {}
    parts: list[Part] = []
    for i, name in enumerate(source.parts):
        path = data_dir / "regulation" / name
        if not path.exists():
            raise sdoc.error(("parts", i), f"part file {name!r} not found in {path.parent}")
        doc = read_yaml(path)
        docs[str(path)] = doc
        part = parse(doc, PartFile).part
        _check_ids(doc, part, origin)
        parts.append(part)
    gdoc = read_yaml(data_dir / "glossary.yaml")
    docs["glossary"] = gdoc
    glossary = parse(gdoc, Glossary)
    hb = Handbook(source=source, parts=parts, glossary=glossary, origin=origin, data_dir=data_dir)
    _check_references(hb, docs)
    _check_attachments(hb, docs)
    timeline.check(hb, docs)  # each value's kind and range, its dated versions, thresholds in order
    timeline.check_texts(hb, docs, data_dir)  # text in time: dated wordings, figures as {value:<id>}, quotes
    hb.standards = _load_standards(hb, data_dir / "standards.yaml")
    hb.questions = _load_questions(hb, data_dir / "questions")
    hb.regions = _load_regions(hb, data_dir / "regions.yaml")
    return hb


def _load_standards(hb: Handbook, path: Path) -> list[StandardTable]:
    """``standards.yaml``: the tables the regulation cites but does not contain (absent: none)."""
    if not path.exists():
        return []
    doc = read_yaml(path)
    tables = parse(doc, Standards).tables
    timeline.check_standards(hb, doc, tables)
    return tables


def _check_attachments(hb: Handbook, docs: dict[str, YamlDoc]) -> None:
    """What to attach: unique ids per clause, each name verbatim from the clause's own text."""
    for cid, clause in hb.clauses.items():
        if not clause.attachments:
            continue
        text = "".join(b.zh for b in clause.body if hasattr(b, "zh")) + (clause.title.zh if clause.title else "")
        where = hb.origin[cid]
        doc = docs[str(where.file)]
        seen: set[str] = set()
        for i, item in enumerate(clause.attachments):
            loc = where.loc + ("attachments", i)
            if item.id in seen:
                raise doc.error(loc + ("id",), f"duplicate attachment id {item.id!r} in clause {cid!r}")
            seen.add(item.id)
            if item.implied_by is not None:
                if item.implied_by not in text:
                    raise doc.error(loc + ("implied_by",), f"{item.implied_by!r} is not in the clause's text: quote it verbatim")
                if not any(n.original == item.implied_by for n in clause.notes):
                    raise doc.error(loc + ("implied_by",), f"no editorial note of clause {cid!r} quotes {item.implied_by!r}"
                                    " (original:) to state the reading")
            elif item.zh not in text:
                raise doc.error(loc + ("zh",), f"{item.zh!r} is not in the clause's text: quote the document's name verbatim"
                                " (or give implied_by: the words that imply it, explained in an editorial note)")
            if not item.en.strip() or CJK_ONLY.fullmatch(item.en):
                raise doc.error(loc + ("en",), "missing translation: 'en' has no English text")


def _load_regions(hb: Handbook, path: Path) -> list[Region]:
    doc = read_yaml(path)
    regions = parse(doc, Regions).regions
    for i, region in enumerate(regions):
        if region.clause not in hb.section_of:
            loc = ("regions", i, "clause")
            raise doc.error(loc, f"reference to unknown clause {region.clause!r}")
    return regions


def _load_questions(hb: Handbook, folder: Path) -> list[Question]:
    """The question bank: each question cites an existing clause of the part its file names."""
    from calculators import CALCULATORS  # numeric questions name a calculator of the engine

    out: list[Question] = []
    seen: dict[str, str] = {}
    part_ids = {p.id for p in hb.parts}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        doc = read_yaml(path)
        qfile = parse(doc, QuestionFile)
        if qfile.part not in part_ids:
            raise doc.error(("part",), f"unknown part {qfile.part!r}; parts are {', '.join(sorted(part_ids))}")
        for i, q in enumerate(qfile.questions):
            loc = ("questions", i)
            if q.id in seen:
                raise doc.error(loc + ("id",), f"duplicate question id {q.id!r} (first in {seen[q.id]})")
            seen[q.id] = path.name
            if q.clause not in hb.section_of:
                raise doc.error(loc + ("clause",), f"question cites unknown clause {q.clause!r}")
            if not q.clause.startswith(qfile.part + "."):
                raise doc.error(loc + ("clause",), f"clause {q.clause!r} is not in part {qfile.part!r}")
            if q.numeric:
                for name in VALUE_REF.findall(q.numeric.formula):
                    if name not in hb.values:
                        raise doc.error(loc + ("numeric", "formula"), f"unknown value id {name!r} in formula")
                if q.numeric.calculator not in CALCULATORS:
                    raise doc.error(loc + ("numeric", "calculator"), f"unknown calculator {q.numeric.calculator!r}; calculators are {', '.join(CALCULATORS)}")
            for field_name in ("prompt", "explanation"):
                for lang in ("zh", "en"):
                    for m in PLACEHOLDER.finditer(getattr(q, field_name)[lang]):
                        name = m.group("value")
                        if name is not None and name not in hb.values:
                            floc = loc + (field_name, lang)
                            raise doc.error(floc, f"placeholder names unknown value {name!r}")
            out.append(q)
    return out


if __name__ == "__main__":  # python -m handbook.model.loader: validate and summarise
    import sys

    if len(sys.argv) > 2 and sys.argv[1] == "--part":
        try:
            part = load_part(sys.argv[2])
        except DataError as exc:
            print(f"error: {exc}", file=sys.stderr)
            raise SystemExit(1) from None
        n = sum(1 for s in part.sections for _ in s.walk())
        print(f"ok: part {part.id}: {len(part.sections)} sections, {n} clauses")
        raise SystemExit(0)
    try:
        hb = load(sys.argv[1] if len(sys.argv) > 1 else DATA)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"{len(hb.parts)} parts, {len(hb.sections)} sections, {len(hb.clauses)} clauses, "
          f"{len(hb.values)} values, {len(hb.glossary.terms)} glossary terms")
