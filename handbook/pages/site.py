"""Generate the handbook's pages (as MkDocs virtual files) and navigation from the data.

Each language build gets the same page paths: ``labour/attendance.md`` becomes ``/labour/attendance/``
in the Chinese site and ``/en/labour/attendance/`` in the English one. Pages are rendered from the
Jinja2 templates in ``handbook/pages/templates``; no rule text lives in ``docs/``.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from handbook.languages import CODES, language
from handbook.model import timeline
from handbook.model.models import PLACEHOLDER, UNIT_LABELS, Bilingual, Handbook, Heading, Part, Section, TableBlock, Term, display_number
from handbook.model.terminology import english_pattern, renderings
from handbook.model.words import teach_jieba
from handbook.pages.compiled import bytecode_cache
from handbook.pages.training import cite_label

from handbook.pages.training import contract as training_contract
from handbook.pages.training import fill as training_fill
from handbook.pages.training import pages as training_pages
from handbook.pages.training import short_cite as training_short_cite

TEMPLATES = Path(__file__).parent / "templates"


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

    def __init__(self, hb: Handbook, lang: str, calculators: dict | None = None, today: date | None = None):
        self.language = language(lang)
        self.hb = hb
        self.lang = lang
        self.today = today or timeline.build_day()  # the build day: pages show the text in force that day
        self.other = next(code for code in CODES if code != lang)
        self.calculators = calculators or {}
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=bytecode_cache(),
        )
        self.env.globals.update(t=self.t, lang=lang, hb=hb, source=hb.source)
        self.env.globals.update(timeline.site_globals(hb, self.today))  # rules in time: in force since, changes, current values
        self.env.globals.update(vtext=self.vtext, vcell=self.vcell, now_text=self.now_text, clause_dates=self.clause_dates,
                                heading_dates=self.heading_dates, vheading=self.vheading, heading_label=self.heading_label,
                                heading_history=self.heading_history,
                                clause_mark=self.clause_mark, versioned_page=self.versioned_page,
                                clause_label=lambda cid: cite_label(hb, cid, lang, self.today), diff=lambda a, b: Markup(self.diff(a, b)))
        self.env.globals.update(filled_standards=self.filled_standards, standards_as_of=standards_as_of,
                                key_label=self.key_label)
        self.env.filters["tx"] = self.text
        self.env.filters["hd"] = lambda item: item.heading(lang, on=self.today)  # a heading as worded on the build day
        self.env.filters["defined"] = lambda term: timeline.definition(self.hb, term, self.lang, self.today)  # figures in force
        self.env.filters["unit"] = lambda unit: UNIT_LABELS[unit][0 if lang == "zh" else 1]
        self.env.filters["num"] = lambda marker: display_number(marker, lang)
        self.env.tests["table"] = lambda block: isinstance(block, TableBlock)
        # key points and task steps (issue 23): {value:<id>} as the value in force today, clause links' text
        self.env.filters["filled"] = lambda text: training_fill(hb, text, lang)
        self.env.globals["short_cite"] = lambda cid, here: training_short_cite(hb, cid, here, lang)
        self.env.globals["tr"] = training_contract()  # the training pages' data-* names (assets/training/contract.js)
        self.env.globals["next_section"] = self._next_section  # a section page's "next step" (issue 23)
        self.env.globals["week_sections"] = set(hb.first_week.sections) if hb.first_week else set()

    # ---------------------------------------------------------------- standards the regulation cites
    def filled_standards(self, clause_id: str) -> list:
        """The standards tables a clause cites that the finance office has filled in (rows exist)."""
        return [t for t in self.hb.standards if t.cited_by == clause_id and t.rows]

    def key_label(self, key, code: str) -> str:
        """A standards key's value as a reader names it: a rank by the travel calculator's label, a place as written."""
        if key.name == "rank":
            from calculators.travel import RANKS

            zh, en = RANKS.get(code, (code, code))
            return zh if self.lang == "zh" else en
        return code

    # ---------------------------------------------------------------- text helpers
    @property
    def sep(self) -> str:
        """Between a marker and a title: none in Chinese (一、劳动制度), a space in English (1. Labour)."""
        return "" if self.lang == "zh" else " "

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def text(self, value: Bilingual | None, lang: str | None = None) -> str:
        if isinstance(value, Heading):  # a clause's or section's title: as worded on the build day
            return timeline.heading_on(value, self.today, lang or self.lang)
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
                f'<a class="hb-term" href="{glossary}#term-{term.id}" title="{escape(timeline.definition(self.hb, term, self.lang, self.today))}">'
                f"{escape(text[start:end])}</a>"
            )
            last = end
        html.append(str(escape(text[last:])))
        return Markup("".join(html))

    # ---------------------------------------------------------------- text in time (handbook/model/timeline.py)
    def _dates(self, start: date, end: date | None) -> str:
        """``data-from``/``data-to`` of a version (the page's date picker shows what is in force on the day chosen),
        ``hidden`` when it is not in force on the build day."""
        shown = start <= self.today and (end is None or self.today <= end)
        return f' data-from="{start}" data-to="{end or ""}"' + ("" if shown else " hidden")

    def mark(self, day: date, source, what: str = "amended") -> str:
        """``2026-01-01 修订 · 资财行〔2025〕99号`` / ``Amended 2026-01-01 · Zi Cai Xing [2025] No. 99``."""
        words = {"amended": ("修订", "Amended"), "new": ("新增", "Added"), "repealed": ("废止", "Repealed")}[what]
        doc = source.document[self.lang] + (f" {source.clause[self.lang]}" if source.clause else "")
        return f"{day} {words[0]} · {doc}" if self.lang == "zh" else f"{words[1]} {day} · {doc}"

    def _value_versions(self, vid: str, lo: date, hi: date | None) -> list:
        value, clause = self.hb.values[vid]
        return [v for v in timeline.versions(value, clause, self.hb.source)
                if (hi is None or v.effective_from <= hi) and (v.effective_to is None or lo <= v.effective_to)]

    def _figure(self, vid: str, lo: date, hi: date | None, style: str | None = None) -> str:
        """A figure as the text shows it: the value's versions within the text's own days, each with its dates."""
        vers = self._value_versions(vid, lo, hi)

        def fig(v) -> str:
            return str(escape(timeline.styled(timeline.shown(v.value), style)))

        if len(vers) == 1 and vers[0].effective_from <= lo and vers[0].effective_to is None:
            return f'<span class="hb-fig" data-value-id="{vid}">{fig(vers[0])}</span>'
        return "".join(f'<span class="hb-fig" data-value-id="{vid}"{self._dates(v.effective_from, v.effective_to)}>'
                       f"{fig(v)}</span>" for v in vers)

    def _figure_marks(self, text: str, lo: date, hi: date | None) -> str:
        """Each amended figure's mark, its earlier figure a click away (shown while that version is)."""
        out = []
        for vid in dict.fromkeys(timeline.refs(text)):
            value, clause = self.hb.values[vid]
            every = timeline.versions(value, clause, self.hb.source)
            for v in self._value_versions(vid, lo, hi):
                if v.loc == ():
                    continue
                prev = every[every.index(v) - 1]
                out.append(
                    f'<details class="hb-history hb-history--figure"{self._dates(v.effective_from, v.effective_to)}>'
                    f'<summary><span class="hb-mark">{escape(self.mark(v.effective_from, v.source))}</span></summary>'
                    f'<p>{escape(value.label[self.lang])}: {self.t("原为", "was")} <del>{escape(timeline.shown(prev.value))}</del>'
                    f' → <ins>{escape(timeline.shown(v.value))}</ins> {escape(UNIT_LABELS[value.unit][0 if self.lang == "zh" else 1])}'
                    f' <a href="{{changes}}#changes-{v.effective_from}">{self.t("变更记录", "changes")}</a></p></details>')
        return "".join(out)

    def _linked(self, text: str, link, lo: date, hi: date | None) -> str:
        """Glossary links (``link``) on the words, figures in place of ``{value:<id>}``."""
        figures: list[str] = []

        def hold(m: re.Match) -> str:
            figures.append(self._figure(m.group("value"), lo, hi, m.group("style")) if m.group("value") else escape(m.group(0)))
            return f"\ue000{len(figures) - 1}\ue001"

        html = str(link(PLACEHOLDER.sub(hold, text))) if link else str(escape(PLACEHOLDER.sub(hold, text)))
        return re.sub("\ue000(\\d+)\ue001", lambda m: figures[int(m.group(1))], html)

    def diff(self, old: str, new: str) -> str:
        """The earlier wording against this one: character by character in Chinese, word by word in English, as
        ``<del>``/``<ins>`` (each also named in words for a screen reader)."""
        a, b = (list(old), list(new)) if self.lang == "zh" else (re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new))
        gone, added = self.t("删除:", "deleted: "), self.t("新增:", "inserted: ")
        out = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op in ("delete", "replace"):
                out.append(f'<del><span class="hb-sr">{gone}</span>{escape("".join(a[i1:i2]))}</del>')
            if op in ("insert", "replace"):
                out.append(f'<ins><span class="hb-sr">{added}</span>{escape("".join(b[j1:j2]))}</ins>')
            if op == "equal":
                out.append(str(escape("".join(a[i1:i2]))))
        return "".join(out)

    def _versions_html(self, owner_id: str, item, link, inline: bool, changes: str) -> Markup:
        span = timeline.clause_span(self.hb, owner_id)
        vers = timeline.text_versions(item, span)
        start = self.hb.source.effective_from
        wrap, para = ("span", "{}") if inline else ("div", "<p>{}</p>")
        plain = len(vers) == 1 and vers[0].effective_from <= start and vers[0].effective_to is None and not item_is_new(item)
        out = []
        for k, ver in enumerate(vers):
            lo, hi = ver.effective_from, ver.effective_to
            text = ver[self.lang]
            body = para.format(self._linked(text, link, lo, hi)) + self._figure_marks(text, lo, hi)
            if k:
                prev = vers[k - 1]
                before = timeline.render(self.hb, prev[self.lang], prev.effective_to or ver.effective_from)
                after = timeline.render(self.hb, text, ver.effective_from)
                body += (f'<details class="hb-history"><summary><span class="hb-mark">{escape(self.mark(ver.effective_from, ver.source))}'
                         f'</span></summary><p class="hb-history__legend">{self.t("此前的文字(删除的加删除线,新增的加下划线):", "The earlier wording (deleted words struck through, inserted words underlined):")}'
                         f'</p><p class="hb-diff">{self.diff(before, after)}</p></details>')
            if plain:
                return Markup(body.replace("{changes}", changes))
            out.append(f'<{wrap} class="hb-v"{self._dates(lo, hi)}>{body}</{wrap}>')
        return Markup("".join(out).replace("{changes}", changes))

    def vtext(self, owner_id: str, block, link, page: str = "") -> Markup:
        """A paragraph as the page shows it: the wording in force on the build day, the others hidden with their dates,
        each amendment marked with the earlier wording a click away."""
        return self._versions_html(owner_id, block, link, inline=False, changes=relative(page, "changes/"))

    def vcell(self, owner_id: str, cell, page: str = "") -> Markup:
        """A table cell, as :meth:`vtext`."""
        return self._versions_html(owner_id, cell, None, inline=True, changes=relative(page, "changes/"))

    def now_text(self, owner_id: str, item, lang: str) -> str:
        """The plain wording in force on the build day ('' when none is)."""
        return timeline.wording(self.hb, owner_id, item, self.today, lang) or ""

    def clause_dates(self, clause) -> Markup:
        """``data-from``/``data-to`` (and ``hidden``) of a clause added later or repealed, else ''."""
        span = timeline.clause_span(self.hb, clause.id)
        if span.start <= self.hb.source.effective_from and span.end is None:
            return Markup("")
        return Markup(self._dates(span.start, span.end))

    def heading_dates(self, clause) -> Markup:
        """:meth:`clause_dates` for a Markdown heading's attribute list (``hidden="hidden"``: attr_list wants a value)."""
        return Markup(str(self.clause_dates(clause)).replace(" hidden", ' hidden="hidden"'))

    def vheading(self, item) -> Markup:
        """A clause's or section's title inside its Markdown heading: the wording in force on the build day; an amended
        title carries every wording, each a ``span`` with its dates (the date picker shows the one of the day chosen)."""
        if not item.title.amendments:
            return Markup(escape(self.text(item.title)))
        vers = timeline.text_versions(item.title, timeline.clause_span(self.hb, item.id))
        return Markup("".join(f'<span class="hb-v"{self._dates(v.effective_from, v.effective_to)}>{escape(v[self.lang])}</span>'
                              for v in vers))

    def heading_label(self, item) -> Markup:
        """`` data-toc-label="…"`` for an amended title's heading (the contents list the wording in force on the build
        day, not every wording the heading carries), else ''."""
        if not item.title.amendments:
            return Markup("")
        label = item.heading(self.lang, on=self.today)
        return Markup(f' data-toc-label="{escape(label)}"')

    def heading_history(self, item, page: str = "") -> Markup:
        """Below an amended title: each amendment's mark, the earlier wording a click away (a diff, as a paragraph's),
        each shown while its wording is in force."""
        if not item.title.amendments:
            return Markup("")
        vers = timeline.text_versions(item.title, timeline.clause_span(self.hb, item.id))
        out = []
        for prev, ver in zip(vers, vers[1:], strict=False):
            out.append(f'<details class="hb-history hb-history--heading"{self._dates(ver.effective_from, ver.effective_to)}>'
                       f'<summary><span class="hb-mark">{escape(self.mark(ver.effective_from, ver.source))}</span></summary>'
                       f'<p class="hb-history__legend">{self.t("此前的标题(删除的加删除线,新增的加下划线):", "The earlier heading (deleted words struck through, inserted words underlined):")}</p>'
                       f'<p class="hb-diff">{self.diff(prev[self.lang], ver[self.lang])}</p>'
                       f'<p><a href="{relative(page, "changes/")}#changes-{ver.effective_from}">{self.t("变更记录", "changes")}</a></p></details>')
        return Markup(f'<div class="hb-heading-history" data-heading-of="{item.id}">{"".join(out)}</div>')

    def clause_mark(self, clause) -> Markup:
        """A clause added after the regulation: its mark (``2026-01-01 新增 · …``)."""
        if clause.effective_from is None:
            return Markup("")
        return Markup(f'<p class="hb-mark hb-mark--new">{escape(self.mark(clause.effective_from, clause.source, "new"))}</p>')

    def versioned_page(self, section: Section) -> bool:
        """Whether anything on the section's page has more than one version (the date picker then has work to do)."""
        for _owner_id, item, span, _loc, _kind in timeline.versioned_texts(self.hb, within=section.id):
            if item.amendments or span.start > self.hb.source.effective_from or span.end is not None or item_is_new(item):
                return True
        return any(v.amendments or v.repealed or v.effective_from for c in section.walk() for v in c.values)

    def _next_section(self, section: Section) -> Section | None:
        """The next step after ``section``: the next of the first-week path if it is on it, else the next in order."""
        week = self.hb.first_week.sections if self.hb.first_week else []
        order = week if section.id in week else [s.id for s in self.hb.sections]
        i = order.index(section.id)
        return self.hb.section_of[order[i + 1]] if i + 1 < len(order) else None

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
            other_root=root + self.language.to(language(self.other)),
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
        lang_root = relative(here, "")  # this language's root, where its clause pages are
        root = lang_root + self.language.up  # the site root, where Pyodide lives
        from handbook.exports import calc_contract, worksheets
        from handbook.runtime import pyodide_bundle

        if "worksheets" not in self.__dict__:
            self.worksheets = worksheets.load(self.hb, self.calculators)
        return self.render(
            "calculator_page.md.j2",
            src,
            name=name,
            calc=module,
            rules=self.rules_now,
            root=root,
            lang_root=lang_root,
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

    @cached_property
    def rules_now(self) -> dict:
        """:attr:`rules` with each clause's and section's title and heading as worded on the build day (an amended
        heading: ``calculators.rules.worded``), for the calculator pages' clause links and section names."""
        from calculators.rules import worded

        day = self.today.isoformat()
        return {**self.rules, **{key: {i: worded(e, day) for i, e in self.rules[key].items()} for key in ("clauses", "sections")}}

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
        out.append(self.render("changes.md.j2", "changes.md", changes=timeline.all_changes(self.hb)))  # values and text
        out.append(self.render("standards.md.j2", "standards.md", tables=self.hb.standards))  # the finance office's tables
        return out

    def nav(self, head: list, tail: list) -> list:
        """MkDocs ``nav``: hand-written pages around the generated regulation pages."""
        nav = list(head)
        for part in self.hb.parts:
            label = part.heading(self.lang, on=self.today)
            if len(part.sections) == 1:
                nav.append({label: self.src_of(part.sections[0])})
                continue
            children = [f"{part.id}/index.md"]
            for s in part.sections:
                children.append({s.heading(self.lang, on=self.today): self.src_of(s)})
            nav.append({label: children})
        for entry in tail:
            (label, target), = entry.items()
            if target == "calculators/index.md":  # the calculators, each listed under their index page
                entry = {label: [target] + [
                    {module.TITLE[self.lang]: f"calculators/{name}.md"} for name, module in self.calculators.items()
                ]}
            nav.append(entry)
        return nav


def item_is_new(item) -> bool:
    """A paragraph added after the regulation (it has its own effective_from)."""
    return getattr(item, "effective_from", None) is not None or getattr(item, "repealed", None) is not None


def standards_as_of(table) -> str:
    """The day of the newest figure in a standards table: "the finance office's figures as of" that day."""
    return max(r.effective_from for r in table.rows).isoformat()


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
