"""The data against its sources: every paragraph of the regulation is in the data, verbatim and in order, and
nothing in the data's Chinese rule text is absent from the seed. The first version of each text is the seed's,
its figures written as ``{value:<id>}`` and read here as the value's first version; each later wording (a text
amendment, a clause added later) is checked against its own document under ``data/source/``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handbook.model import timeline
from handbook.model.models import Bilingual, Clause, TableBlock

SEED_DIR = Path(__file__).resolve().parent.parent / "data" / "source"
BODY_START = "一、劳动制度"
BODY_END = "主办:资阳市人民政府"


def source_dir(hb) -> Path:
    """data/source/ of the data the handbook was loaded from (a test's copy has its own)."""
    return hb.data_dir / "source" if hb.data_dir else SEED_DIR


def seed_path(hb) -> Path:
    return source_dir(hb) / hb.source.seed_file


def seed_body(hb) -> list[str]:
    """The regulation's paragraphs: the web page minus its header and footer, blank lines dropped."""
    path = seed_path(hb)
    if not path.exists():
        pytest.fail(f"seed not found at {path}")
    text = path.read_text(encoding="utf-8")
    body = text[text.index(BODY_START) : text.index(BODY_END)]
    return [normalise(line) for line in body.splitlines() if normalise(line)]


def normalise(line: str) -> str:
    return line.replace("\u00a0", " ").strip()


def pieces_in_order(hb):
    """Every zh string of the seed's version of the data in reading order, as (kind, text, marker): the first
    version of each text, figures as their values' first versions; clauses and paragraphs added later left out."""
    for part in hb.parts:
        yield "heading", part.title.zh, part.number
        for section in part.sections:
            if section.number:  # parts 五-七 have one un-numbered section that repeats the part's title
                yield "heading", section.title.zh, section.number
            yield from blocks(hb, section.intro)
            for clause in section.clauses:
                yield from clause_pieces(hb, clause)


def seed_text(hb, text: str) -> str:
    return timeline.first_render(hb, text)


def blocks(hb, items):
    for b in items:
        if isinstance(b, TableBlock):
            tb = b.table
            yield "table", " ".join(
                [tb.caption.zh, tb.unit.zh if tb.unit else ""] + [seed_text(hb, c.zh) for row in tb.head + tb.body for c in row]
            ), None
        elif b.effective_from is None:  # a paragraph added later is checked against its own document
            yield "paragraph", seed_text(hb, b.zh), None


def clause_pieces(hb, c: Clause):
    if c.effective_from is not None:  # added later: checked against its own document
        return
    first = True
    if c.title:
        yield "heading", c.title.zh, c.number
        first = False
    for kind, text, _ in blocks(hb, c.body):
        yield kind, text, (c.number if first else None)
        first = False
    for child in c.clauses:
        yield from clause_pieces(hb, child)


def later_wordings(hb):
    """(where, zh as in force on its first day, its document's file) of each wording from a later document."""
    for owner_id, item, span, loc, _kind in timeline.versioned_texts(hb):
        for ver in timeline.text_versions(item, span):
            if ver.source.file is not None:
                where = f"{owner_id} {'.'.join(map(str, loc + ver.loc))} ({ver.effective_from}, {ver.source.document.zh})"
                yield where, timeline.render(hb, ver.zh, ver.effective_from), ver.source.file


def test_every_later_wording_is_in_its_own_document(hb):
    """An amendment (or a clause added later) quotes its document verbatim, figures as in force on its first day."""
    bad = []
    for where, text, file in later_wordings(hb):
        doc = source_dir(hb) / file
        if not doc.is_file():
            bad.append(f"{where}: its document data/source/{file} is missing")
            continue
        body = "".join(normalise(line) for line in doc.read_text(encoding="utf-8").splitlines())
        if text not in body:
            bad.append(f"{where}: not verbatim in data/source/{file}: {text[:80]}")
    assert not bad, "wordings not found in their documents:\n" + "\n".join(bad)


def strip_marker(line: str) -> str:
    return re.sub(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.)]?)", "", line, count=1)


def test_every_seed_paragraph_is_in_the_data_in_order(hb):
    seed = seed_body(hb)
    pieces = list(pieces_in_order(hb))
    cursor = 0
    missing = []
    for line in seed:
        # a line matches the next piece if it equals marker + text, or is a cell of the next table(s)
        for j in range(cursor, min(cursor + 3, len(pieces))):
            kind, text, marker = pieces[j]
            if kind == "table":
                if line in text or line.replace(" ", "") in text.replace(" ", "") or _split_cell(line, text):
                    cursor = j  # stay on the table until its lines are used up
                    break
            elif line == (marker or "") + text or (marker is None and line == text):
                cursor = j + 1
                break
        else:
            missing.append(line)
    assert not missing, "seed paragraphs missing from data/ (or out of order):\n" + "\n".join(missing[:20])


def _split_cell(line: str, table_text: str) -> bool:
    """The seed split some cells over two lines (普通舱 / (经济舱)); accept a line that is part of a cell."""
    return len(line) >= 2 and line in table_text


def test_no_rule_text_is_invented(hb):
    """Every zh paragraph and clause title in the data occurs in the seed (captions are editorial)."""
    seed = "\n".join(seed_body(hb))
    invented = [text for kind, text, _ in pieces_in_order(hb) if kind != "table" and text not in seed]
    assert not invented, "zh text not found in the seed:\n" + "\n".join(invented[:20])


def test_every_editorial_original_quotes_the_seed(hb):
    seed = seed_path(hb).read_text(encoding="utf-8")
    notes = [n for s in hb.sections for n in s.notes] + [n for c in hb.clauses.values() for n in c.notes]
    # an ellipsis (…… or …) or a space marks an elision: each quoted fragment must be in the seed
    bad = [
        n.original
        for n in notes
        if n.original and any(frag not in seed for frag in re.split(r"……|…|\s+", n.original) if frag)
    ]
    assert not bad, f"editorial notes whose 'original' is not in the seed: {bad}"


def test_every_text_has_both_languages(hb):
    def texts(obj):
        if isinstance(obj, Bilingual):
            yield obj
        elif hasattr(type(obj), "model_fields"):
            for name in type(obj).model_fields:
                yield from texts(getattr(obj, name))
        elif isinstance(obj, (list, tuple)):
            for item in obj:
                yield from texts(item)

    all_texts = list(texts(hb.parts)) + list(texts(hb.glossary)) + list(texts(hb.source))
    assert len(all_texts) > 500
    for t in all_texts:
        assert t.zh.strip() and t.en.strip()
        assert re.search(r"[A-Za-z]", t.en)


def test_restored_tables_exist(hb):
    tables = {b.table.id for c in hb.clauses.values() for b in c.body if isinstance(b, TableBlock)}
    assert {"transport-class-by-rank", "meal-allowance-by-region", "misc-allowance-by-region", "training-composite-quota"} <= tables


def test_known_garbles_are_recorded(hb):
    corrections = {(n.original, n.reading) for c in hb.clauses.values() for n in c.notes if n.kind == "correction"}
    corrections |= {(n.original, n.reading) for s in hb.sections for n in s.notes if n.kind == "correction"}
    originals = {o for o, _ in corrections}
    for garble in ["部包括", "〔201435号", "〔2014〕)48号"]:
        assert any(garble in (o or "") for o in originals), f"no correction note for {garble}"


def test_every_part_is_present(hb):
    assert [p.number for p in hb.parts] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    assert hb.source.published.isoformat() == "2020-10-08"


@pytest.mark.parametrize(
    "value_id, expected",
    [
        ("travel.meal.in_province", 100),
        ("travel.meal.in_province_ethnic", 120),
        ("travel.meal.ziyang_county", 80),
        ("travel.meal.yanjiang_rural", 60),
        ("travel.misc.out_of_province", 80),
        ("travel.misc.in_province", 50),
        ("training.quota.total", 390),
        ("reception.official.per_head", 150),
        ("attendance.late.minutes", 15),
        ("study.published.bonus", 20),
    ],
)
def test_typed_values_match_the_text(hb, value_id, expected):
    value, clause = hb.values[value_id]
    assert value.value == expected
    # the number is stated in the clause that carries it
    # the number is stated in the clause that carries it, as a reference to the value, which reads as the seed's figure
    text = " ".join([b.zh if isinstance(b, Bilingual) else " ".join(c.zh for row in b.table.head + b.table.body for c in row) for b in clause.body])
    assert f"{{value:{value_id}}}" in text
    assert str(expected) in timeline.first_render(hb, text)
