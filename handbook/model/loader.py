"""Load and validate everything under ``data/`` into the :class:`~handbook.model.models.Handbook` aggregate.

Any problem raises :class:`~handbook.model.yamlfile.DataError` naming the file, the line, the location
inside the document and the reason.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from handbook.model import timeline
from handbook.model.models import (
    SearchVocabulary,
    TableBlock,
    DOTTED_ID,
    CN_DIGITS,
    FIGURE_STYLES,
    Cited,
    FirstWeek,
    KeyPointsFile,
    Task,
    TaskStep,
    TasksFile,
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
)
from handbook.model.yamlfile import DataError, DataErrors, YamlDoc, parse, problems_of, read_yaml, unique_ids
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
    if duplicates := unique_ids(gdoc, [t.id for t in hb.glossary.terms], ("terms",), "term id"):
        raise DataErrors(duplicates)
    for i, term in enumerate(hb.glossary.terms):
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
    """The whole of ``data/``, validated; DataErrors (a DataError) with every problem found when it is not valid."""
    problems: list[DataError] = []
    hb = collect(data_dir, problems)
    if problems:
        raise DataErrors(problems)
    return hb


def check(data_dir: Path | str = DATA) -> list[DataError]:
    """Every problem in ``data/`` (``python -m handbook check``), in file order; empty when it is valid."""
    problems: list[DataError] = []
    collect(data_dir, problems)
    return problems


class _Collect:
    """``with _Collect(problems):`` records a DataError raised inside instead of letting it through."""

    def __init__(self, problems: list[DataError]):
        self.problems = problems
        self.failed = False

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if isinstance(exc, DataError):
            self.problems.extend(problems_of(exc))
            self.failed = True
            return True
        return False


def _parsed(problems: list[DataError], path: Path, model):
    """(doc, parsed model) of one file, or (doc or None, None) with its problems recorded."""
    doc = None
    with _Collect(problems):
        doc = read_yaml(path)
        return doc, parse(doc, model)
    return doc, None


def collect(data_dir: Path | str, problems: list[DataError]) -> Handbook | None:
    """Load what can be loaded, recording every problem: each file is read and checked on its own (so that one
    broken file does not hide the others'); the checks across files run when every file could be read, each
    check recording its problems and the next one running all the same."""
    data_dir = Path(data_dir)
    docs: dict[str, YamlDoc] = {}
    sdoc, source = _parsed(problems, data_dir / "source.yaml", Source)
    if source is None:
        return None
    docs["source"] = sdoc
    origin: dict[str, Located] = {}
    parts: list[Part] = []
    complete = True
    for i, name in enumerate(source.parts):
        path = data_dir / "regulation" / name
        if not path.exists():
            problems.append(sdoc.error(("parts", i), f"part file {name!r} not found in {path.parent}"))
            complete = False
            continue
        doc, parsed = _parsed(problems, path, PartFile)
        if parsed is None:
            complete = False
            continue
        docs[str(path)] = doc
        with _Collect(problems) as ids:
            _check_ids(doc, parsed.part, origin)
        complete = complete and not ids.failed
        parts.append(parsed.part)
    gdoc, glossary = _parsed(problems, data_dir / "glossary.yaml", Glossary)
    standards_path = data_dir / "standards.yaml"
    sdocs = _parsed(problems, standards_path, Standards) if standards_path.exists() else (None, Standards())
    rdoc, regions = _parsed(problems, data_dir / "regions.yaml", Regions)
    folder = data_dir / "questions"
    qfiles = [(path, *_parsed(problems, path, QuestionFile)) for path in (sorted(folder.glob("*.yaml")) if folder.is_dir() else [])]
    if not complete or glossary is None or sdocs[1] is None or regions is None or any(q is None for _p, _d, q in qfiles):
        return None  # the checks across files need every file
    docs["glossary"] = gdoc
    hb = Handbook(source=source, parts=parts, glossary=glossary, origin=origin, data_dir=data_dir)
    for step in (_check_references, _check_attachments, timeline.check):  # timeline: kinds, ranges, dated versions, order
        with _Collect(problems):
            step(hb, docs)
    with _Collect(problems):
        timeline.check_texts(hb, docs, data_dir)  # text in time: dated wordings, figures as {value:<id>}, quotes
    with _Collect(problems):
        hb.standards = sdocs[1].tables
        if sdocs[0] is not None:
            timeline.check_standards(hb, sdocs[0], hb.standards)
    with _Collect(problems):
        _check_note_standards(hb, docs)
    with _Collect(problems):
        _check_note_ids(hb, docs)
    hb.questions = _check_questions(hb, qfiles, problems)
    with _Collect(problems):
        hb.regions = _check_regions(hb, rdoc, regions.regions)
    # the search vocabulary and the training's data (issue 23): each file on its own, every item's problems recorded
    hb.search = _optional(problems, data_dir / "search.yaml", SearchVocabulary, lambda doc, vocab: _check_search(hb, doc, vocab, problems))
    hb.key_points = _optional(problems, data_dir / "key-points.yaml", KeyPointsFile,
                              lambda doc, kp: _check_key_points(hb, doc, kp, problems)) or {}
    hb.tasks = _optional(problems, data_dir / "tasks.yaml", TasksFile, lambda doc, tf: _check_tasks(hb, doc, tf, problems)) or []
    hb.first_week = _optional(problems, data_dir / "first-week.yaml", FirstWeek, lambda doc, week: _check_first_week(hb, doc, week, problems))
    return hb


def _optional(problems: list[DataError], path: Path, model, check):
    """An optional file (absent: None) parsed as ``model`` and passed through ``check(doc, parsed)``, which records
    each item's problems in ``problems``; None when it cannot be read."""
    if not path.exists():
        return None
    doc, parsed = _parsed(problems, path, model)
    return None if parsed is None else check(doc, parsed)


def _check_note_standards(hb: Handbook, docs: dict[str, YamlDoc]) -> None:
    """A note shown until a standards table is filled in names a table of standards.yaml."""
    tables = {t.id for t in hb.standards}
    for owner in [*hb.sections, *hb.clauses.values()]:
        for j, note in enumerate(owner.notes):
            if note.until_standard and note.until_standard not in tables:
                where = hb.origin[owner.id]
                raise docs[str(where.file)].error(where.loc + ("notes", j, "until_standard"),
                                                  f"unknown standards table {note.until_standard!r}; tables are {', '.join(sorted(tables))}")


def _check_note_ids(hb: Handbook, docs: dict[str, YamlDoc]) -> None:
    """Editorial notes' ids are unique within their clause (or section, part), and every note a calculator applies
    (``calculators.rules.applies``: a clause id and a note id) is there."""
    from calculators import CALCULATORS  # noqa: F401 - importing the calculators declares the notes they apply
    from calculators.rules import ASKED

    for owner in [*hb.sections, *hb.clauses.values()]:
        where = hb.origin[owner.id]
        seen: dict[str, int] = {}
        for j, note in enumerate(owner.notes):
            if note.id is None:
                continue
            if note.id in seen:
                doc = docs[str(where.file)]
                raise doc.error(where.loc + ("notes", j, "id"), f"duplicate note id {note.id!r} in {owner.id!r} (first at "
                                                                f"line {doc.line(where.loc + ('notes', seen[note.id], 'id'))})")
            seen[note.id] = j
    for (cid, nid), module in sorted(ASKED.items()):
        code = f"calculators/{module.rsplit('.', 1)[-1]}.py"
        if cid not in hb.clauses:  # a part of the data (a test's own small set): a clause is never removed (ids
            continue  # never change; a repealed clause keeps its notes), and the calculator needs its values first
        clause = hb.clauses[cid]
        if not any(n.id == nid for n in clause.notes):
            where = hb.origin[cid]
            ids = ", ".join(n.id for n in clause.notes if n.id) or "none"
            raise docs[str(where.file)].error(where.loc + ("notes",),
                                              f"{code} applies the editorial note {nid!r} of clause {cid!r}, but no note of "
                                              f"this clause has that id (ids: {ids}): give the note `id: {nid}`, or change "
                                              f"the calculator")


def _text_of(hb: Handbook, lang: str) -> str:
    """Every heading, paragraph and table cell of the regulation in one language (lower case)."""
    out = []

    def blocks(items):
        for block in items:
            if isinstance(block, TableBlock):
                t = block.table
                out.append(t.caption[lang])
                out.extend(cell.zh if lang == "zh" else cell.en for row in [*t.head, *t.body] for cell in row)
            else:
                out.append(block[lang])

    for section in hb.sections:
        out.append(section.heading(lang))
        blocks(section.intro)
        for clause in section.walk():
            out.append(clause.heading(lang))
            blocks(clause.body)
    return " ".join(out).lower()


def _check_search(hb: Handbook, doc: YamlDoc, vocab: SearchVocabulary, problems: list[DataError]) -> SearchVocabulary:
    """``search.yaml``: function words, intents and everyday words; every `means` word occurs in the text."""
    texts = {lang: _text_of(hb, lang) for lang in ("zh", "en")}
    for i, entry in enumerate(vocab.everyday):
        for lang in ("zh", "en"):
            for j, word in enumerate(getattr(entry.means, lang)):
                if word.lower() not in texts[lang]:
                    problems.append(doc.error(("everyday", i, "means", lang, j),
                                              f"{word!r} does not occur in the {lang} text: an everyday word must lead to words the handbook uses"))
    return vocab


def _check_attachments(hb: Handbook, docs: dict[str, YamlDoc]) -> None:
    """What to attach: unique ids per clause, each name verbatim from the clause's own text."""
    for cid, clause in hb.clauses.items():
        if not clause.attachments:
            continue
        text = "".join(b.zh for b in clause.body if hasattr(b, "zh")) + (clause.title.zh if clause.title else "")
        where = hb.origin[cid]
        doc = docs[str(where.file)]
        if duplicates := unique_ids(doc, [a.id for a in clause.attachments], where.loc + ("attachments",), "attachment id"):
            raise DataErrors(duplicates)
        for i, item in enumerate(clause.attachments):
            loc = where.loc + ("attachments", i)
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


def _check_regions(hb: Handbook, doc: YamlDoc, regions: list[Region]) -> list[Region]:
    for i, region in enumerate(regions):
        if region.clause not in hb.section_of:
            loc = ("regions", i, "clause")
            raise doc.error(loc, f"reference to unknown clause {region.clause!r}")
    return regions


def _check_questions(hb: Handbook, qfiles: list[tuple[Path, YamlDoc, QuestionFile]], problems: list[DataError]) -> list[Question]:
    """The question bank: each question cites an existing clause of the part its file names (every problem
    recorded, question by question)."""
    out: list[Question] = []
    first: dict[str, str] = {}  # question id -> where it first stands, across the files
    part_ids = {p.id for p in hb.parts}
    for _path, doc, qfile in qfiles:
        if qfile.part not in part_ids:
            problems.append(doc.error(("part",), f"unknown part {qfile.part!r}; parts are {', '.join(sorted(part_ids))}"))
            continue
        problems.extend(unique_ids(doc, [q.id for q in qfile.questions], ("questions",), "question id", first=first))
        for i, q in enumerate(qfile.questions):
            with _Collect(problems) as one:
                _check_question(hb, doc, qfile, i, q)
            if not one.failed:
                out.append(q)
    return out


def _check_question(hb: Handbook, doc: YamlDoc, qfile: QuestionFile, i: int, q: Question) -> None:
    from calculators import CALCULATORS  # numeric questions name a calculator of the engine

    loc = ("questions", i)
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
                    raise doc.error(loc + (field_name, lang), f"placeholder names unknown value {name!r}")


# --------------------------------------------------------------------------- key points, task pages, the first week

# A figure in a bullet or step: a run of digits (ASCII or full-width), a Chinese numeral before a unit
# (三天, 一餐; not 第一), or an English number word before a unit (two days).
DIGIT_RUN = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
CN_FIGURE = re.compile(r"(?<!第)[零〇一二两三四五六七八九十百千]+(?=个?(?:天|日|小时|分钟|元|人|次|餐|名|周|月|年|倍|%|％))")
EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
              "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30}
EN_FIGURE = re.compile(
    r"\b(" + "|".join(EN_NUMBERS) + r")(?=[\s-]+(?:days?|hours?|minutes?|yuan|people|persons?|guests?|meals?|times|"
    r"weeks?|months?|years?)\b)", re.I)
# Half is a figure too (0.5, or the 1/2 of a fraction): 半 before a unit or 数 (半天, 半小时, 半个月, 半数), and
# “half” before a unit, “a/an” and a unit, “of” or “or more” (half a day, half-day, half an hour, half or more).
# 减半 (halved), 一半, 半途 (no unit after 半) are not figures; a quoted phrase that is not a
# value is listed under ``figures`` with the reason, like any other figure.
CN_HALF = re.compile(r"半(?=个?(?:天|日|小时|分钟|周|月|年|数|餐))")
EN_HALF = re.compile(r"\bhalf(?=[\s-]+(?:(?:an?|the)\s+)?(?:days?|day's|hours?|minutes?|weeks?|months?|years?|of)\b|\s+or\s+more\b)", re.I)


def _figure_value(text: str) -> Decimal | None:
    """The number a figure states: 15, １５, 0.5, 三, two, 半/half (None when it cannot be read)."""
    plain = text.translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
    try:
        return Decimal(plain)
    except InvalidOperation:
        pass
    if text.lower() in EN_NUMBERS:
        return Decimal(EN_NUMBERS[text.lower()])
    if text == "半" or text.lower() == "half":
        return Decimal("0.5")
    digits = {**CN_DIGITS, "两": 2, "零": 0, "〇": 0}
    if len(text) == 1 and text in digits:
        return Decimal(digits[text])
    if text.startswith("十") and len(text) == 2 and text[1] in digits:
        return Decimal(10 + digits[text[1]])
    if len(text) in (2, 3) and text[1] == "十" and text[0] in digits and (len(text) == 2 or text[2] in digits):
        return Decimal(digits[text[0]] * 10 + (digits[text[2]] if len(text) == 3 else 0))
    return None


def figures(text: str) -> list[str]:
    """The figures a text states outside its ``{value:<id>}`` references, in order."""
    bare = PLACEHOLDER.sub(" ", text)
    found = [(m.start(), m.group(0)) for pat in (DIGIT_RUN, CN_FIGURE, EN_FIGURE, CN_HALF, EN_HALF) for m in pat.finditer(bare)]
    return [f for _, f in sorted(found)]


def _under(clause_id: str, cited: list[str]) -> bool:
    return any(clause_id == c or clause_id.startswith(c + ".") for c in cited)


def _check_cited(hb: Handbook, doc: YamlDoc, loc: tuple, item: Cited) -> None:
    """Every cited clause exists; every figure is a ``{value:<id>}`` of a cited clause (or allowed, with why)."""
    for j, ref in enumerate(item.cites):
        if ref not in hb.section_of:
            raise doc.error(loc + ("cites", j), f"cites unknown clause {ref!r}")
    allowed = {f.text for f in item.figures}
    cited_values = [(vid, v) for vid, (v, clause) in hb.values.items() if _under(clause.id, item.cites)]
    for lang in ("zh", "en"):
        text = item[lang]
        for m in PLACEHOLDER.finditer(text):
            vid = m.group("value")
            if vid is None:
                raise doc.error(loc + (lang,), "{answer} may only be used in a question's explanation")
            if vid not in hb.values:
                raise doc.error(loc + (lang,), f"placeholder names unknown value {vid!r}")
            if m.group("style") is not None and m.group("style") not in FIGURE_STYLES:
                raise doc.error(loc + (lang,), f"unknown figure style {m.group('style')!r}; styles are {', '.join(FIGURE_STYLES)}")
            owner = hb.values[vid][1].id
            if not _under(owner, item.cites):
                raise doc.error(loc + (lang,), f"value {vid!r} is stated by clause {owner!r}, which this text does not cite")
        for fig in figures(text):
            if fig in allowed:
                continue
            number = _figure_value(fig)
            same = [vid for vid, v in cited_values if number is not None and number in _numbers_of(v)]
            if same:
                raise doc.error(loc + (lang,), f"the figure {fig!r} is a value of a cited clause: write it as {{value:{same[0]}}}")
            raise doc.error(loc + (lang,), f"the figure {fig!r} is not a value of the clauses cited ({', '.join(item.cites)}): "
                            "state figures only as {value:<id>} of a cited clause, or list a date or ordinal under "
                            "'figures' with the reason")


def _numbers_of(value) -> set[Decimal]:
    """Every number a value has stated (the text's and each amendment's); percent also as a fraction."""
    out = set()
    for v in [value.value, *(a.value for a in value.amendments)]:
        if isinstance(v, Decimal):
            out.add(v)
        elif isinstance(v, str) and "/" in v:
            num, den = v.split("/")
            out.update({Decimal(num), Decimal(den), Decimal(num) / Decimal(den)})  # 1/2 is also “half”
    return out


def _check_key_points(hb: Handbook, doc: YamlDoc, kp: KeyPointsFile, problems: list[DataError]) -> dict[str, list[Cited]]:
    """``key-points.yaml``: bullets per section, each citing clauses of that section (every bullet's problems recorded)."""
    problems.extend(unique_ids(doc, [e.section for e in kp.sections], ("sections",), "key points for section", key="section"))
    section_ids = {s.id for s in hb.sections}
    for i, entry in enumerate(kp.sections):
        loc = ("sections", i)
        if entry.section not in section_ids:
            problems.append(doc.error(loc + ("section",), f"unknown section {entry.section!r}"))
        for j, point in enumerate(entry.points):
            with _Collect(problems):
                _check_cited(hb, doc, loc + ("points", j), point)
    return {entry.section: entry.points for entry in kp.sections}


def _check_tasks(hb: Handbook, doc: YamlDoc, tf: TasksFile, problems: list[DataError]) -> list[Task]:
    """``tasks.yaml``: task pages whose steps cite clauses, name documents from the clauses' attachments and
    calculators that accept the prefilled input (every step's problems recorded)."""
    problems.extend(unique_ids(doc, [t.id for t in tf.tasks], ("tasks",), "task id"))
    section_ids = {s.id for s in hb.sections}
    for i, task in enumerate(tf.tasks):
        loc = ("tasks", i)
        for j, sid in enumerate(task.sections):
            if sid not in section_ids:
                problems.append(doc.error(loc + ("sections", j), f"unknown section {sid!r}"))
        for field in ("title", "summary"):  # figures in a task's title or summary: of its sections' values only
            text = getattr(task, field)
            with _Collect(problems):
                _check_cited(hb, doc, loc + (field,), Cited(zh=text.zh, en=text.en, cites=task.sections))
        for k, step in enumerate(task.steps):
            with _Collect(problems):
                _check_step(hb, doc, loc + ("steps", k), step)
    return tf.tasks


def _check_step(hb: Handbook, doc: YamlDoc, loc: tuple, step: TaskStep) -> None:
    from calculators import CALCULATORS, CalcError, compute
    from calculators.errors import RULES

    _check_cited(hb, doc, loc, step)
    _check_cited(hb, doc, loc + ("title",), Cited(zh=step.title.zh, en=step.title.en, cites=step.cites, figures=step.figures))
    if step.approver:
        _check_cited(hb, doc, loc + ("approver",), step.approver)
    for d, ref in enumerate(step.documents):
        clause = hb.clauses.get(ref.clause)
        if clause is None:
            raise doc.error(loc + ("documents", d, "clause"), f"unknown clause {ref.clause!r}")
        if ref.id not in {a.id for a in clause.attachments}:
            names = ", ".join(a.id for a in clause.attachments) or "none"
            raise doc.error(loc + ("documents", d, "id"), f"clause {ref.clause!r} has no attachment {ref.id!r} (it has: {names})")
    if step.calculator:
        calc = step.calculator
        if calc.name not in CALCULATORS:
            raise doc.error(loc + ("calculator", "name"), f"unknown calculator {calc.name!r}; calculators are {', '.join(CALCULATORS)}")
        if calc.input is not None:
            try:
                compute(calc.name, calc.input)
            except CalcError as exc:
                if exc.field == RULES:  # rules.json is older than the data (`make rules` loads the data; a test checks it)
                    return
                raise doc.error(loc + ("calculator", "input"), f"the {calc.name!r} calculator rejects the input: {exc.en}") from None


def _check_first_week(hb: Handbook, doc: YamlDoc, week: FirstWeek, problems: list[DataError]) -> FirstWeek:
    """``first-week.yaml``: the sections to read first, in order, and the task pages beside them (every one checked)."""
    problems.extend(unique_ids(doc, week.sections, ("sections",), "section", key=None))
    section_ids = {s.id for s in hb.sections}
    for j, sid in enumerate(week.sections):
        if sid not in section_ids:
            problems.append(doc.error(("sections", j), f"unknown section {sid!r}"))
    task_ids = {t.id for t in hb.tasks}
    for j, tid in enumerate(week.tasks):
        if tid not in task_ids:
            problems.append(doc.error(("tasks", j), f"unknown task {tid!r}; tasks are {', '.join(sorted(task_ids)) or 'none'}"))
    return week


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
