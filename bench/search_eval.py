"""Run the site's own search code under node and score it against the golden queries.

Shared by the tests (tests/test_search.py) and the benchmark (bench/search.py). The search code is the
very ES modules the browser's worker imports (overrides/assets/search/), driven by
bench/search_node.mjs on an index written by handbook.exports.search_index (the same function the build uses).
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from handbook.exports.search_index import write
from handbook.languages import CODES, language
from handbook.model.models import Handbook
from handbook.paths import ROOT

GOLDEN = ROOT / "tests" / "search_golden.yaml"
QUESTIONS = ROOT / "tests" / "search_questions.yaml"
RUNNER = ROOT / "bench" / "search_node.mjs"
LANGS = CODES


def golden() -> dict[str, dict[str, str | None]]:
    data = yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))
    return {lang: {str(q): v for q, v in data[lang].items()} for lang in LANGS}


def questions() -> dict[str, list[dict]]:
    """The question set: [{q, expect: [clause ids, best first], kind: question|everyday|slip, means?}] per language."""
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    return {lang: [{**item, "q": str(item["q"])} for item in data[lang]] for lang in LANGS}


def build_indexes(hb: Handbook, out: Path | None = None) -> dict[str, Path]:
    """Write both languages' index files as the build does; {lang: path}."""
    out = Path(out or tempfile.mkdtemp(prefix="handbook-search-"))
    return {lang: write(out / lang, hb, lang) for lang in LANGS}


def built_indexes(site: Path) -> dict[str, Path]:
    """The index files of a built site."""
    return {lang: next((site / language(lang).prefix / "search").glob("clauses.*.json")) for lang in LANGS}


def run(index: Path, queries: list[str], k: int = 3, repeat: int = 1, limit: int | None = None, watch: bool = False) -> dict:
    node = shutil.which("node")
    if not node:
        raise RuntimeError("node is not installed (the search code runs under node outside the browser)")
    request = {"index": str(index), "queries": queries, "k": k, "repeat": repeat, "limit": limit, "watch": watch}
    proc = subprocess.run(
        [node, "--no-warnings", str(RUNNER)], input=json.dumps(request, ensure_ascii=False),
        capture_output=True, text=True, cwd=ROOT,
    )
    if proc.returncode:
        raise RuntimeError(f"search runner failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)


@dataclass
class Score:
    lang: str
    total: int = 0
    clause1: int = 0
    clause3: int = 0
    page1: int = 0
    page3: int = 0
    nothing: int = 0  # queries that must find nothing
    nothing_ok: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: "Score") -> None:
        for name in ("total", "clause1", "clause3", "page1", "page3", "nothing", "nothing_ok"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses


def score(hb: Handbook, lang: str, index: Path, queries: dict[str, str | None]) -> tuple[Score, list[dict]]:
    results = run(index, list(queries), k=3)["results"]
    page = lambda cid: hb.page_path(hb.section_of[cid])  # noqa: E731
    s = Score(lang)
    for r in results:
        expected = queries[r["q"]]
        if expected is None:
            s.nothing += 1
            if not r["full"]:
                s.nothing_ok += 1
            else:
                s.misses.append(f"{lang} {r['q']!r}: expected nothing, got {r['full'][:3]}")
            continue
        s.total += 1
        top = r["ids"][:3]
        s.clause1 += top[:1] == [expected]
        s.clause3 += expected in top
        pages = [page(c) for c in top]
        s.page1 += pages[:1] == [page(expected)]
        s.page3 += page(expected) in pages
        if expected not in top:
            s.misses.append(f"{lang} {r['q']!r}: expected {expected}, got {top}")
    return s, results


def sizes(path: Path) -> tuple[int, int]:
    raw = Path(path).read_bytes()
    return len(raw), len(gzip.compress(raw, 9))


@dataclass
class QuestionScore:
    lang: str
    total: int = 0
    at1: int = 0
    at3: int = 0
    empty: int = 0  # result pages with nothing on them
    by_kind: dict = field(default_factory=dict)  # kind -> [total, at1, at3]
    misses: list[str] = field(default_factory=list)

    def add(self, other: "QuestionScore") -> None:
        for name in ("total", "at1", "at3", "empty"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for kind, row in other.by_kind.items():
            mine = self.by_kind.setdefault(kind, [0, 0, 0])
            for i in range(3):
                mine[i] += row[i]
        self.misses += other.misses


def score_questions(lang: str, index: Path, items: list[dict]) -> tuple[QuestionScore, list[dict]]:
    """Recall of the question set: @1 when the first result is one of the clauses that answer it, @3 when
    one of them is among the first three; an empty page is a query with no result at all."""
    results = run(index, [i["q"] for i in items], k=3)["results"]
    s = QuestionScore(lang)
    for item, r in zip(items, results, strict=True):
        top = r["ids"][:3]
        one, three = bool(top[:1]) and top[0] in item["expect"], any(c in item["expect"] for c in top)
        s.total += 1
        s.at1 += one
        s.at3 += three
        s.empty += not r["ids"]
        row = s.by_kind.setdefault(item["kind"], [0, 0, 0])
        row[0] += 1
        row[1] += one
        row[2] += three
        if not three:
            s.misses.append(f"{lang} {item['q']!r}: expected {item['expect'][0]}, got {top}")
    return s, results
