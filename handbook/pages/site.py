"""Generate the handbook's pages (as MkDocs virtual files) and navigation from the data.

Each language build gets the same page paths: ``labour/attendance.md`` becomes ``/labour/attendance/``
in the Chinese site and ``/en/labour/attendance/`` in the English one. Pages are rendered from the
Jinja2 templates in ``handbook/pages/templates``; no rule text lives in ``docs/``.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from handbook.model import timeline
from handbook.model.models import Bilingual, Handbook, Part, Section, TableBlock, Term, display_number
from handbook.model.terminology import english_pattern, renderings
from handbook.model.words import teach_jieba
from handbook.pages.training import pages as training_pages

TEMPLATES = Path(__file__).parent / "templates"
LANGS = ("zh", "en")


UNIT_LABELS = {
    "yuan": ("元", "yuan"),
    "yuan_per_day": ("元/人·天", "yuan per person per day"),
    "yuan_per_meal": ("元/餐", "yuan per meal"),
    "yuan_per_person": ("元/人次", "yuan per person per occasion"),
    "yuan_per_person_day": ("元/人·天", "yuan per person per day"),
    "percent": ("%", "%"),
    "fraction": ("", "(fraction)"),
    "ratio": ("(主:客)", "hosts per guest"),
    "minutes": ("分钟", "minutes"),
    "hours": ("小时", "hours"),
    "days": ("天", "days"),
    "meals": ("餐", "meals"),
    "times": ("次", "times"),
    "people": ("人", "people"),
    "points": ("分", "points"),
    "classes": ("", "(classes)"),
}

@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str  # e.g. "finance/travel.md"
    content: str  # Markdown (with raw HTML) including front matter


def page_url(src_uri: str) -> str:
    """The directory URL MkDocs gives a source path: 'finance/travel.md' -> 'finance/travel/'."""
    stem = src_uri.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def relative(from_url: str, to_url: str) -> str:
    """A relative link between two site-root-relative directory URLs ('' is the root)."""
    target, _, fragment = to_url.partition("#")
    rel = posixpath.relpath("/" + target, "/" + from_url) if target != from_url else "."
    rel = "./" if rel == "." else rel + ("/" if target.endswith("/") or target == "" else "")
    return rel + (f"#{fragment}" if fragment else "")


class Renderer:
    """Renders one language's pages."""

    def __init__(self, hb: Handbook, lang: str, calculators: dict | None = None):
        assert lang in LANGS
        self.hb = hb
        self.lang = lang
        self.other = "en" if lang == "zh" else "zh"
        self.calculators = calculators or {}
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.globals.update(t=self.t, lang=lang, hb=hb, source=hb.source)
        self.env.globals.update(timeline.site_globals(hb))  # rules in time: in force since, changes, current values
        self.env.filters["tx"] = self.text
        self.env.filters["unit"] = lambda unit: UNIT_LABELS[unit][0 if lang == "zh" else 1]
        self.env.filters["num"] = lambda marker: display_number(marker, lang)
        self.env.tests["table"] = lambda block: isinstance(block, TableBlock)

    # ---------------------------------------------------------------- text helpers
    @property
    def sep(self) -> str:
        """Between a marker and a title: none in Chinese (一、劳动制度), a space in English (1. Labour)."""
        return "" if self.lang == "zh" else " "

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def text(self, value: Bilingual | None, lang: str | None = None) -> str:
        return "" if value is None else value[lang or self.lang]

    @cached_property
    def _term_patterns(self) -> list[tuple[re.Pattern, Term]]:
        """Glossary terms to link, longest first (so 公务接待 wins over 接待)."""
        pats = []
        for term in self.hb.glossary.terms:
            words = [term.zh, *term.aliases] if self.lang == "zh" else renderings(term)
            for word in words:
                if self.lang == "zh":
                    pattern = re.compile(re.escape(word))
                else:  # whole words, any case, singular or plural: as the terminology test reads them
                    pattern = english_pattern(word)
                pats.append((pattern, term, len(word)))
        pats.sort(key=lambda p: -p[2])
        return [(p, term) for p, term, _ in pats]

    def _word_boundaries(self, text: str) -> set[int] | None:
        """Positions between words of a Chinese text (jieba, with the glossary's terms as words).

        A term is linked only where it is a whole word: 党组 is not linked inside 党组织.
        """
        jieba = teach_jieba(self.hb) if self.lang == "zh" else None
        if jieba is None:
            return None
        bounds, pos = {0}, 0
        for token in jieba.cut(text, HMM=False):
            pos += len(token)
            bounds.add(pos)
        return bounds

    def linkify(self, text: str, page: str, seen: set[str]) -> Markup:
        """Escape ``text`` and link the first mention on the page of each glossary term."""
        if not self._term_patterns:
            return Markup(escape(text))
        bounds = self._word_boundaries(text)
        taken: list[tuple[int, int, Term]] = []
        for pattern, term in self._term_patterns:
            if term.id in seen:
                continue
            for m in pattern.finditer(text):
                if bounds is not None and not (m.start() in bounds and m.end() in bounds):
                    continue
                if any(m.start() < e and s < m.end() for s, e, _ in taken):
                    continue
                taken.append((m.start(), m.end(), term))
                seen.add(term.id)
                break
        glossary = relative(page, "glossary/")
        html, last = [], 0
        for start, end, term in sorted(taken, key=lambda x: x[0]):
            html.append(str(escape(text[last:start])))
            html.append(
                f'<a class="hb-term" href="{glossary}#term-{term.id}" title="{escape(term.definition[self.lang])}">'
                f"{escape(text[start:end])}</a>"
            )
            last = end
        html.append(str(escape(text[last:])))
        return Markup("".join(html))

    # ---------------------------------------------------------------- urls
    def clause_href(self, clause_id: str, page: str) -> str:
        return relative(page, self.hb.clause_url(clause_id))

    def src_of(self, section: Section) -> str:
        return self.hb.page_path(section).rstrip("/") + ".md"

    def compare_src(self, section: Section) -> str:
        return "compare/" + self.src_of(section)

    # ---------------------------------------------------------------- pages
    def render(self, template: str, src_uri: str, **context) -> GeneratedPage:
        page = page_url(src_uri)
        seen: set[str] = set()
        root = relative(page, "")
        ctx = dict(
            page=page,
            root=root,
            other_root=root + ("en/" if self.lang == "zh" else "../"),
            link=lambda text: self.linkify(text, page, seen),
            href=lambda cid: self.clause_href(cid, page),
            to=lambda url: relative(page, url),
        )
        ctx.update(context)
        return GeneratedPage(src_uri, self.env.get_template(template).render(**ctx))

    def section_page(self, part: Part, section: Section) -> GeneratedPage:
        return self.render(
            "section.md.j2",
            self.src_of(section),
            part=part,
            section=section,
            compare_url=page_url(self.compare_src(section)),
            calculators=self.calculators_for(section),
        )

    def compare_page(self, part: Part, section: Section) -> GeneratedPage:
        return self.render(
            "compare.md.j2",
            self.compare_src(section),
            part=part,
            section=section,
            section_url=self.hb.page_path(section),
        )

    def part_page(self, part: Part) -> GeneratedPage:
        return self.render("part.md.j2", f"{part.id}/index.md", part=part)

    def calculator_page(self, name: str, module) -> GeneratedPage:
        """``calculators/<name>/``: the form (handbook/pages/templates/calculator.html.j2) and what it implements."""
        src = f"calculators/{name}.md"
        here = page_url(src)
        root = relative(here, "") + ("../" if self.lang == "en" else "")  # the zh root, where Pyodide lives
        from handbook.exports import calc_contract, worksheets
        from handbook.runtime import pyodide_bundle

        if "worksheets" not in self.__dict__:
            self.worksheets = worksheets.load(self.hb, self.calculators)
        return self.render(
            "calculator_page.md.j2",
            src,
            name=name,
            calc=module,
            rules=self.rules,
            root=root,
            section=self.hb.section_of[module.SECTION],
            attrs=calc_contract.attrs(),
            calc_modules=calc_contract.page_modules(),
            calc_dir=pyodide_bundle.front_end_dir(),  # assets/calc/<hash>/: one build's modules, never a mix
            initial=pyodide_bundle.page_data(name),
            chinese_run=CHINESE_RUN.pattern,
            worksheet_forms=self.worksheets.forms_of(name),
        )

    @cached_property
    def rules(self) -> dict:
        """calculators/rules.json, read by the calculators' own loader; it must match the data (#14)."""
        from calculators.rules import rules
        from handbook.exports.rules_export import stale_message

        problem = stale_message(self.hb, rules())  # e.g. `mkdocs build` run directly after a data edit
        if problem:
            from mkdocs.exceptions import PluginError

            raise PluginError(problem)
        return rules()

    def calculators_for(self, section: Section) -> list[tuple[str, dict]]:
        """Calculators that implement rules of this section (each module names its SECTION)."""
        return [(name, module) for name, module in self.calculators.items() if module.SECTION == section.id]

    def pages(self) -> list[GeneratedPage]:
        out = []
        for part in self.hb.parts:
            if len(part.sections) > 1:
                out.append(self.part_page(part))
            for section in part.sections:
                out.append(self.section_page(part, section))
                out.append(self.compare_page(part, section))
        out.extend(training_pages(self))
        out.extend(self.calculator_page(name, module) for name, module in self.calculators.items())
        out.append(self.render("glossary.md.j2", "glossary.md"))
        out.append(self.render("notes.md.j2", "notes.md", notes=list(self.hb.notes())))
        out.append(self.render("changes.md.j2", "changes.md", changes=timeline.changes(self.hb)))  # rules in time
        return out

    def nav(self, head: list, tail: list) -> list:
        """MkDocs ``nav``: hand-written pages around the generated regulation pages."""
        nav = list(head)
        for part in self.hb.parts:
            label = part.heading(self.lang)
            if len(part.sections) == 1:
                nav.append({label: self.src_of(part.sections[0])})
                continue
            children = [f"{part.id}/index.md"]
            for s in part.sections:
                children.append({s.heading(self.lang): self.src_of(s)})
            nav.append({label: children})
        for entry in tail:
            (label, target), = entry.items()
            if target == "calculators/index.md":  # the calculators, each listed under their index page
                entry = {label: [target] + [
                    {module.TITLE[self.lang]: f"calculators/{name}.md"} for name, module in self.calculators.items()
                ]}
            nav.append(entry)
        return nav


def clause_heading_level(depth: int) -> int:
    return min(2 + depth, 4)


# ---------------------------------------------------------------- Chinese inside English pages
# Han characters with the CJK punctuation and full-width forms around them; a run may hold spaces
# and ASCII digits between Chinese characters (资阳市投资促进局 制度手册, 2020年10月).
_CJK = r"\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef《》“”‘’·…"
# A run of Chinese, as English pages mark it: used here for the built pages and handed to the
# calculators' script (calculator.html.j2) for the results it writes, so both mark the same runs.
# A run starts where Chinese punctuation leads straight to a Han character: a lone “ or · in English
# text is not Chinese, nor the ” closing an English quote before one.
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CHINESE_RUN = re.compile(rf"(?=[{_CJK}]*[{_HAN}])[{_CJK}](?:[{_CJK}\s0-9]*[{_CJK}])?")
_TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_TAG_NAME = re.compile(r"</?\s*([A-Za-z][\w:-]*)")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_RAW = {"script", "style", "textarea", "title", "code", "pre", "svg", "option"}  # option: text only


def mark_chinese(html: str) -> str:
    """Wrap the Chinese in an English page's HTML in ``<span lang="zh">`` (screen readers then use a
    Chinese voice for it), except where an element already says ``lang="zh"`` and inside scripts,
    styles, code and form fields."""
    out, stack = [], []  # stack: (tag, marks Chinese itself or may not hold markup)
    for piece in _TAG.split(html):
        if not piece:
            continue
        if piece.startswith("<"):
            out.append(piece)
            m = _TAG_NAME.match(piece)
            if not m or piece.startswith("<!"):
                continue
            name = m.group(1).lower()
            if piece.startswith("</"):
                for i in range(len(stack) - 1, -1, -1):
                    if stack[i][0] == name:
                        del stack[i:]
                        break
            elif name not in _VOID and not piece.rstrip().endswith("/>"):
                skip = name in _RAW or re.search(r"""\slang\s*=\s*["']?zh""", piece) is not None
                stack.append((name, skip))
            continue
        if any(skip for _, skip in stack):
            out.append(piece)
        else:
            out.append(CHINESE_RUN.sub(lambda m: f'<span lang="zh">{m.group(0)}</span>', piece))
    return "".join(out)
