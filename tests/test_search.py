"""The handbook's search, outside the browser: the site's own search code (overrides/assets/search/) run
by node on the index the build writes (handbook.exports.search_index).

* the golden queries (tests/search_golden.yaml) find the clause they name among the first three;
* the question set (tests/search_questions.yaml: questions, everyday words, typing slips) keeps its recall,
  and no query with a content word the handbook holds shows an empty page;
* function words never decide whether a clause is found; everyday words and intents are validated data;
* any 2-6 character stretch of a clause's Chinese text, and any word of its English text, finds it;
* results are clauses, link to the clause anchor and carry no U+200B;
* the index's keys are declared once (overrides/assets/search/schema.js): the build writes no other key and
  the search code, run on a real index, reads no other;
* synonyms in the glossary are validated like the rest of the data;
* node --test tests/js/ (every JavaScript unit test: search tokenizer and ranking, calculator front end) passes.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess

import pytest

from data_errors import error_for
from rules_fixtures import data_under_test

from bench import search_eval as ev
from conftest import require_node
from handbook.exports.search_index import documents
from handbook.paths import ROOT



@pytest.fixture(autouse=True, scope="module")
def node():
    """node runs the site's search code: without it these tests fail, they do not skip."""
    return require_node()


TARGET_RECALL3 = 0.95
# the question set's floor in this test (the benchmark prints the figures beside the targets,
# @3 >= 92 % and @1 >= 75 %): a change that loses questions fails here
QUESTIONS_RECALL3 = 0.88
QUESTIONS_RECALL1 = 0.72


@pytest.fixture(scope="module")
def indexes(hb, tmp_path_factory):
    return ev.build_indexes(hb, tmp_path_factory.mktemp("search"))


@pytest.fixture(scope="module")
def golden():
    return ev.golden()


def test_golden_set_is_large_and_names_real_clauses(hb, golden):
    assert len(golden["zh"]) + len(golden["en"]) >= 150
    for lang in ev.LANGS:
        assert len(golden[lang]) >= 50, lang
        for query, expected in golden[lang].items():
            assert expected is None or expected in hb.section_of, f"{lang} {query!r}: unknown clause {expected!r}"
    # the original 53 queries are kept
    for q in ["公务接待", "伙食补助费", "请假", "考勤", "党组会议", "差旅费", "接待清单", "公杂费", "保密"]:
        assert q in golden["zh"]
    for q in ["travel", "leave", "reception", "quorum", "absence", "training expenses"]:
        assert q in golden["en"]
    expected_parts = {c.split(".")[0] for c in golden["zh"].values() if c}
    assert expected_parts == {p.id for p in hb.parts}
    assert any(v is None for v in golden["zh"].values()) and any(v is None for v in golden["en"].values())


@pytest.mark.parametrize("lang", ev.LANGS)
def test_golden_recall(hb, indexes, golden, lang):
    score, _ = ev.score(hb, lang, indexes[lang], golden[lang])
    recall3 = score.clause3 / score.total
    assert recall3 >= TARGET_RECALL3, f"clause recall@3 {recall3:.1%}:\n" + "\n".join(score.misses)
    assert score.nothing_ok == score.nothing, "\n".join(m for m in score.misses if "nothing" in m)


def test_the_title_the_query_fills_most_comes_first(indexes):
    """A section and its clauses share words: of the titles holding the whole query, the shortest wins
    (before the title-length norm, "party group meetings" ranked "Main tasks of Party Group meetings"
    first and "meetings of the party group" missed the section in the top 3)."""
    first = {"en": {"party group meetings": "meetings.party-group",
                    "main tasks of party group meetings": "meetings.party-group.tasks"},
             "zh": {"党组会议制度": "meetings.party-group", "党组会议的主要任务": "meetings.party-group.tasks"}}
    for lang, queries in first.items():
        for r in ev.run(indexes[lang], list(queries), k=3)["results"]:
            assert r["ids"][:1] == [queries[r["q"]]], f"{lang} {r['q']!r}: {r['ids'][:3]}"
        ranked = ev.run(indexes[lang], ["meetings of the party group" if lang == "en" else "党组会议"], k=3)["results"][0]["ids"]
        assert "meetings.party-group" in ranked[:3], ranked


def _docs(hb, lang):
    return [d for d in documents(hb, lang)["docs"] if d.get("b")]


def test_every_chinese_substring_finds_its_clause(hb, indexes):
    """Property: a random 2-6 character stretch of a clause's text finds that clause among the results
    the worker sends."""
    rng = random.Random(20261202)
    docs = _docs(hb, "zh")
    cases = []
    while len(cases) < 300:
        doc = rng.choice(docs)
        text = doc["b"]
        size = rng.randint(2, 6)
        if len(text) <= size:
            continue
        start = rng.randrange(0, len(text) - size)
        piece = text[start : start + size]
        if not re.search(r"[\u4e00-\u9fff]{2}|[0-9A-Za-z]", piece):
            continue  # punctuation and single characters alone are not a query
        cases.append((piece, doc["id"]))
    answer = ev.run(indexes["zh"], [q for q, _ in cases], k=0)["results"]
    lost = [f"{q!r} (in {cid})" for (q, cid), r in zip(cases, answer, strict=True) if cid not in r["ids"]]
    assert not lost, f"{len(lost)} of {len(cases)} not found: {lost[:20]}"


def test_every_english_word_finds_its_clause(hb, indexes):
    rng = random.Random(20261203)
    docs = _docs(hb, "en")
    stop = set(ev.run(indexes["en"], [])["stop_words"])  # "the", "of"…: in nearly every clause, not ranked
    cases = []
    while len(cases) < 300:
        doc = rng.choice(docs)
        words = [w for w in re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'-]*", doc["b"]) if w.lower() not in stop]
        if words:
            cases.append((rng.choice(words), doc["id"]))
    answer = ev.run(indexes["en"], [q for q, _ in cases], k=0)["results"]
    lost = [f"{q!r} (in {cid})" for (q, cid), r in zip(cases, answer, strict=True) if cid not in r["ids"]]
    assert not lost, f"{len(lost)} of {len(cases)} not found: {lost[:20]}"


@pytest.mark.parametrize("lang", ev.LANGS)
def test_results_are_clauses_with_anchors_and_no_zero_width_space(hb, indexes, golden, lang):
    answer = ev.run(indexes[lang], [q for q, v in golden[lang].items() if v], k=10)["results"]
    seen = 0
    for r in answer:
        for item in r["items"]:
            path, _, anchor = item["location"].partition("#")
            assert anchor in hb.section_of, item["location"]
            assert path == hb.page_path(hb.section_of[anchor]), item["location"]
            for text in (item["title"], item["text"], item["page"]):
                assert "\u200b" not in text
            seen += 1
        if r["items"]:  # the match is marked (a clause the glossary names for a term may not contain it)
            assert any("<mark>" in i["title"] + i["text"] for i in r["items"][:3]), r["q"]
    assert seen > 100


def test_index_files_are_small(indexes):
    for lang, path in indexes.items():
        raw, gz = ev.sizes(path)
        assert gz <= 150 * 1024, f"{lang}: {gz} bytes gzipped"


def test_the_build_writes_the_index_and_materials_stub(tmp_path, hb):
    from handbook.exports.search_index import write

    path = write(tmp_path, hb, "en")
    stub = json.loads((tmp_path / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert stub["docs"] == []  # Material's own index is not used
    assert stub["config"]["handbook_index"] == f"search/{path.name}"
    assert re.fullmatch(r"clauses\.[0-9a-f]{10}\.json", path.name)  # content-hashed: cached for good


def test_synonyms_are_validated_with_file_and_line(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(data_under_test(), data)
    text = (data / "glossary.yaml").read_text(encoding="utf-8")
    bad = text.replace("synonyms: {zh: [出差补助,", "synonyms: {zh: [per diem,", 1)
    assert bad != text
    assert "synonym" in error_for(data, "glossary.yaml", bad).reason


def test_glossary_synonyms_are_searchable(hb):
    groups = documents(hb, "zh")["groups"]
    by_id = {g["id"]: g for g in groups}
    assert "per diem" in by_id["meal-allowance"]["m"] and "出差补助" in by_id["meal-allowance"]["m"]
    assert "absenteeism" in by_id["absence-without-leave"]["m"]
    assert "hotel" in by_id["lodging-expenses"]["m"]


def test_javascript_unit_tests():
    proc = subprocess.run(["node", "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


@pytest.fixture(scope="module")
def questions():
    return ev.questions()


def test_question_set_is_large_and_names_real_clauses(hb, questions):
    for lang in ev.LANGS:
        assert len(questions[lang]) >= 60, lang
        kinds = {item["kind"] for item in questions[lang]}
        assert kinds == {"question", "everyday", "slip"}, lang
        for item in questions[lang]:
            for cid in item["expect"]:
                assert cid in hb.section_of, f"{lang} {item['q']!r}: unknown clause {cid!r}"


@pytest.mark.parametrize("lang", ev.LANGS)
def test_question_set_recall_and_no_empty_page(indexes, questions, lang):
    score, _ = ev.score_questions(lang, indexes[lang], questions[lang])
    assert score.empty == 0, "a query with a word the handbook holds showed an empty page"
    assert score.at3 / score.total >= QUESTIONS_RECALL3, f"recall@3 {score.at3}/{score.total}:\n" + "\n".join(score.misses)
    assert score.at1 / score.total >= QUESTIONS_RECALL1, f"recall@1 {score.at1}/{score.total}"


@pytest.mark.parametrize("lang", ev.LANGS)
def test_function_words_never_decide(hb, indexes, lang):
    """A keyword query finds the same first clause with question words around it (怎么, 吗, how, can I),
    and a query made only of function words still finds something (they are kept when alone)."""
    wrap = {"zh": ("请问{}怎么办呢", "{}是什么", "能不能{}吗"), "en": ("how can I {}", "what is {}", "{} do we need")}
    keyword = {"zh": ["公杂费", "伙食补助费", "病假", "印章"], "en": ["meal allowance", "sick leave", "seals", "quorum"]}[lang]
    plain = {r["q"]: r["ids"][:1] for r in ev.run(indexes[lang], keyword, k=1)["results"]}
    asked = [(form.format(q), q) for q in keyword for form in wrap[lang]]
    for r, (query, q) in zip(ev.run(indexes[lang], [a for a, _ in asked], k=1)["results"], asked, strict=True):
        assert r["ids"][:1] == plain[q], f"{query!r}: {r['ids'][:3]} (plain {q!r}: {plain[q]})"
        assert r["all"], f"{query!r}: the function words made it a partial match"
    assert ev.run(indexes[lang], ["可以" if lang == "zh" else "how"], k=1)["results"][0]["ids"]  # both in the text


def test_function_words_and_everyday_words_are_data(hb):
    vocab = hb.search
    assert "怎么" in vocab.function_words.zh and "how" in vocab.function_words.en
    index = documents(hb, "zh")
    assert "吗" in index["fn"] and "can" in index["fn"]
    members = {m for g in index["groups"] for m in g["m"]}
    assert {"公章", "chop", "印章"} <= members
    assert {i["id"] for i in index["intents"]} == {"amount", "approval"}


def test_everyday_words_must_lead_to_words_the_text_uses(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    text = (data / "search.yaml").read_text(encoding="utf-8")
    bad = text.replace("means: {zh: [印章], en: [seal]}", "means: {zh: [公章], en: [seal]}", 1)
    assert bad != text
    assert "公章" in error_for(data, "search.yaml", bad).reason


def test_typing_slips_are_corrected_and_said(indexes):
    """Chinese by sound (报消 -> 报销), English by spelling (absense -> absence); the answer names both."""
    zh = {r["q"]: r for r in ev.run(indexes["zh"], ["报消", "印张管理", "病价几天要证明", "报销"], k=3)["results"]}
    assert zh["报消"]["searched"] == "报销"
    assert zh["印张管理"]["searched"] == "印章管理"
    assert zh["病价几天要证明"]["searched"].startswith("病假")
    assert zh["报销"]["searched"] == "报销"  # a word of the index is never corrected
    en = {r["q"]: r for r in ev.run(indexes["en"], ["absense without leave", "buisness class", "business class"], k=3)["results"]}
    assert en["absense without leave"]["searched"] == "absence without leave"
    assert en["buisness class"]["searched"] == "business class"
    assert en["business class"]["searched"] == "business class"


def test_the_sounds_table_is_its_own_file(indexes):
    """Fetched only when a query may hold a Chinese slip: the index itself stays small."""
    zh = json.loads(indexes["zh"].read_text(encoding="utf-8"))
    assert re.fullmatch(r"sounds\.[0-9a-f]{10}\.json", zh["sounds_file"])
    table = json.loads((indexes["zh"].parent / zh["sounds_file"]).read_text(encoding="utf-8"))["sounds"]
    assert "xiao" in table and "消" in table.split("xiao", 1)[1].split("|", 1)[0]
    assert "sounds" not in zh
    for lang, path in indexes.items():
        assert ev.sizes(path)[1] <= 60 * 1024, lang


def test_the_index_and_the_search_code_use_only_the_declared_keys(hb, indexes, golden, questions):
    """schema.js is the index's one declaration: every key the build writes is declared in it, and the search
    code run under node (the worker's path: index, docs, pages, groups, intents, calcs, the sounds table) reads
    no key it does not declare."""
    from handbook.exports.search_index import SCHEMA, undeclared

    for lang in ("zh", "en"):
        assert undeclared(documents(hb, lang)) == [], lang
        queries = [*list(golden[lang])[:80], *(q["q"] for q in questions[lang][:80]), "报消", "absense without leave"]
        read = ev.run(indexes[lang], queries, k=10, watch=True)["read"]
        assert {"index", "doc", "page", "group", "intent", "calc"} <= set(read), read  # the walk reached them all
        for kind, keys in read.items():
            assert kind in SCHEMA, kind
            assert set(keys) <= set(SCHEMA[kind]), f"{lang}: the search code reads {kind}.{sorted(set(keys) - set(SCHEMA[kind]))}, not declared in schema.js"


def test_an_undeclared_key_is_not_written(tmp_path, hb, monkeypatch):
    from handbook.exports import search_index

    real = search_index.documents
    monkeypatch.setattr(search_index, "documents", lambda hb, lang: {**real(hb, lang), "extra": 1})
    with pytest.raises(ValueError, match=r"index\.extra not declared in overrides/assets/search/schema\.js"):
        search_index.write(tmp_path, hb, "en")
