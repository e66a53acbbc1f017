"""Accessibility details checked on the files, without a browser (tests/browser/test_a11y_details.py
runs the rest in Chromium): what paper may break, and Chinese marked as Chinese on English pages, the
same runs in Python and in the calculators' script."""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser

from conftest import require_node

from handbook.pages.site import mark_chinese
from handbook.paths import OVERRIDES


def test_long_clauses_may_break_across_printed_pages():
    """Keeping every clause whole on one page left half-empty pages; only rows and headings stay whole."""
    css = (OVERRIDES / "assets/stylesheets/handbook.css").read_text(encoding="utf-8")
    printed = css[css.index("@media print"):]
    for rule in re.findall(r"([^{}]+)\{[^}]*break-inside:\s*avoid", printed):
        assert not re.search(r"\.hb-clause\b|\.hb-compare\b|\.hb-table\s*[,{]|\.hb-note\b", rule), rule


def test_mark_chinese_wraps_runs_outside_zh_elements():
    html = '<p>See <q lang="zh">原文</q> and 资阳市 2020年 (雁江)<code>中文</code><a title="中">中文原文</a></p>'
    assert mark_chinese(html) == (
        '<p>See <q lang="zh">原文</q> and <span lang="zh">资阳市 2020年</span> (<span lang="zh">雁江</span>)'
        '<code>中文</code><a title="中"><span lang="zh">中文原文</span></a></p>'
    )
    assert mark_chinese("<script>var a = '中';</script><br>中") == "<script>var a = '中';</script><br><span lang=\"zh\">中</span>"


def test_the_script_reads_the_chinese_run_as_python_does():
    """The calculators' script gets handbook.pages.site.CHINESE_RUN's source and compiles it as a JavaScript
    RegExp (coordinator.js): both must find the same runs."""
    from handbook.pages.site import CHINESE_RUN

    samples = ["Leg 1 · Days “beyond” 资财行〔2016〕50号 and “三天” x·y 2020年10月 ·《资阳》",
               "See 超过 (“beyond”) … 第１２条, 资阳市 投资促进局\u3000制度 and ‘引号’ 5 分钟"]
    script = ("const [p, samples] = JSON.parse(process.argv[1]); const r = new RegExp(p, 'g');"
              "console.log(JSON.stringify(samples.map((s) => [...s.matchAll(r)].map((m) => m[0]))));")
    out = subprocess.run([require_node(), "-e", script, json.dumps([CHINESE_RUN.pattern, samples])],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [CHINESE_RUN.findall(s) for s in samples]
    assert CHINESE_RUN.findall(samples[0]) == ["资财行〔2016〕50号", "“三天”", "年10月 ·《资阳》"]


def test_every_calculator_control_has_an_id_and_a_label_for_it():
    """Every input and select of every calculator form, in both languages, has its own id and a <label for> naming it,
    the group toggles included (a leg's own lodging, issue 21): a label that only wraps its control is not enough for
    every assistive technology, and the form's error messages point at the id."""
    import json
    from collections import Counter

    from calculators import CALCULATORS
    from handbook.model import loader
    from handbook.pages.site import Renderer
    from handbook.paths import ROOT

    class Controls(HTMLParser):
        def __init__(self):
            super().__init__()
            self.controls, self.labels = [], []

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag in ("input", "select"):
                self.controls.append(a)
            elif tag == "label" and a.get("for"):
                self.labels.append(a["for"])

    hb = loader.load()
    rules = json.loads((ROOT / "calculators" / "rules.json").read_text(encoding="utf-8"))
    for lang in ("zh", "en"):
        env = Renderer(hb, lang).env
        for name, module in CALCULATORS.items():
            html = env.get_template("calc_fields.html.j2").render(name=name, calc=module, rules=rules)
            p = Controls()
            p.feed(html)
            ids = [c.get("id") for c in p.controls]
            assert all(ids), (lang, name, [c for c in p.controls if not c.get("id")])
            assert not [i for i, n in Counter(ids).items() if n > 1], (lang, name)
            assert set(ids) <= set(p.labels), (lang, name, set(ids) - set(p.labels))
            if name == "travel":
                assert "calc-travel-legs[]-lodging" in ids and "calc-travel-lodging" in ids


class _UnmarkedChinese(HTMLParser):
    """Han characters in a page's content (``.md-content``, as built: the page a reader with scripts off gets) whose
    nearest element with a ``lang`` is not Chinese. Left out as a browser's reading is: script, style and noscript
    text, and option labels (Chengdu (成都)), which cannot hold markup."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    SKIP = {"script", "style", "option", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []  # (tag, lang, in the content)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        inside = bool(self.stack and self.stack[-1][2]) or "md-content" in (a.get("class") or "").split()
        if tag not in self.VOID:
            self.stack.append((tag, a.get("lang"), inside))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):  # close up to the matching element (an unclosed <li>, say)
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not re.search(r"[\u3400-\u9fff]", data) or not (self.stack and self.stack[-1][2]):
            return
        if any(tag in self.SKIP for tag, _lang, _inside in self.stack):
            return
        lang = next((lang for _tag, lang, _inside in reversed(self.stack) if lang is not None), "")
        if not lang.startswith("zh"):
            self.found.append(data.strip()[:30])


def test_chinese_in_english_pages_is_marked_zh(site):
    """Every Han character in an English page's content, as built, sits inside an element with lang="zh" (text that
    scripts write, the calculators' results, is checked in the browser by test_a11y_details.py's
    test_chinese_in_an_english_result_is_marked_zh)."""
    pages = site.pages("en")
    assert len(pages) > 60
    bare = {}
    for url in pages:
        parser = _UnmarkedChinese()
        parser.feed((site.path / url[len(site.url):] / "index.html").read_text(encoding="utf-8"))
        if parser.found:
            bare[url] = parser.found[:3]
    assert not bare, f"{len(bare)} English pages with unmarked Chinese, e.g. {list(bare.items())[:5]}"


def test_the_unmarked_chinese_check_finds_what_a_browser_finds():
    parser = _UnmarkedChinese()
    parser.feed('<html lang="en"><body><p>资阳 outside</p><div class="md-content"><p>See <q lang="zh">原文</q> and 资阳市'
                '<select><option>成都</option></select><script>var a = "中";</script><ul><li>雁江<li lang="zh">简阳</ul>'
                '<p lang="zh-Hans">中文<br>二</p></div></body></html>')
    assert parser.found == ["and 资阳市", "雁江"]
