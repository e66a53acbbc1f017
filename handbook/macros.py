"""mkdocs-macros module: data and helpers for the hand-written pages in ``docs/zh`` and ``docs/en``.

A hand-written page never copies rule text; it refers to the data, e.g.
``{{ clause_link("finance.travel.meal-allowance") }}`` or ``{{ source.published }}``.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from handbook.pages.site import page_url, relative


def define_env(env):
    from handbook.pages.context import calculators, handbook

    hb = handbook()
    lang = env.conf["extra"].get("handbook_lang", "zh")

    def t(zh: str, en: str) -> str:
        return zh if lang == "zh" else en

    def here() -> str:
        return page_url(env.page.file.src_uri)

    env.variables.update(dict(source=hb.source, parts=hb.parts, glossary=hb.glossary, lang=lang))
    env.variables["counts"] = {
        "parts": len(hb.parts),
        "sections": len(hb.sections),
        "clauses": len(hb.clauses),
        "values": len(hb.values),
        "terms": len(hb.glossary.terms),
    }

    @env.macro
    def clause_link(clause_id: str, text: str | None = None) -> Markup:
        """A link to a clause by id; an unknown id fails the build."""
        if clause_id not in hb.section_of:
            raise KeyError(f"clause_link: unknown clause id {clause_id!r}")
        clause = hb.clauses.get(clause_id) or hb.section_of[clause_id]
        label = text or (clause.title_on(lang) if clause.title else clause_id)  # the wording in force on the build day
        href = relative(here(), hb.clause_url(clause_id))
        return Markup(f'<a href="{escape(href)}">{escape(label)}</a>')

    @env.macro
    def url(path: str) -> str:
        """A site-root-relative path ('glossary/') as a link relative to the current page."""
        return relative(here(), path)

    @env.macro
    def contents() -> Markup:
        """The regulation's parts and sections, linked."""
        out = ['<ol class="hb-contents">']
        for part in hb.parts:
            first = part.sections[0]
            out.append(
                f'<li><a href="{escape(relative(here(), hb.page_path(first) if len(part.sections) == 1 else part.id + "/"))}">'
                f"{escape(part.heading(lang))}</a>"
            )
            if len(part.sections) > 1:
                out.append("<ol>")
                for s in part.sections:
                    out.append(
                        f'<li><a href="{escape(relative(here(), hb.page_path(s)))}">{escape(s.heading(lang))}</a></li>'
                    )
                out.append("</ol>")
            out.append("</li>")
        out.append("</ol>")
        return Markup("".join(out))

    @env.macro
    def calculator_list() -> Markup:
        out = ['<ul class="hb-calc-list">']
        for name, module in calculators().items():
            out.append(
                f'<li><a href="{escape(relative(here(), "calculators/" + name + "/"))}">{escape(module.TITLE[lang])}</a></li>'
            )
        out.append("</ul>")
        return Markup("".join(out))

    env.macro(t)
