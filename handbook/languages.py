"""The site's languages, declared once: everything else derives what it needs from this table.

The first language is the site's root (``/``): the shared runtime (Pyodide, the calculators' bundle), the
service worker and the offline files live there. Every other language is a folder under it (``/en/``),
built by its own MkDocs run from ``mkdocs.<code>.yml`` (which INHERITs ``mkdocs.yml`` and holds only its
site name, description, folders and navigation labels) and moved into place by ``handbook.build``.

Read by: the MkDocs hooks (site URL, Material's theme language, the palette toggles' and permalinks'
labels, the language switch, ``config.extra.handbook_root``), the models' ``url()``, the page renderer,
the templates (``overrides/main.html``, ``partials/alternate.html``, through ``config.extra``), the service
worker (its 404 fallbacks, templated by ``handbook.runtime.offline``), the build and the local server.
The page scripts read what they need from the page (``<meta name="handbook-lang">``, the calculators'
``data-lang-root``), never a literal prefix.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # the data's key (Bilingual.zh / .en), extra.handbook_lang, data-calc-lang
    prefix: str  # the URL path of its root under the site root: "" or "en/"; also its output folder
    name: str  # in the language switch, in the language itself
    html_lang: str  # hreflang / lang of the switch's link
    theme_language: str  # Material's theme.language (its own strings and <html lang>)
    config: str  # the MkDocs configuration file of its build
    dark_mode: str  # the palette toggles' labels
    light_mode: str
    permalink_title: str  # a heading's ¶ link
    progress: str  # the name of Material's page-loading progress bar

    @property
    def up(self) -> str:
        """From this language's root to the site root: "" or "../"."""
        return "../" * self.prefix.count("/")

    def to(self, other: "Language") -> str:
        """From this language's root to another's: "" (itself), "en/", "../"."""
        return "" if other is self else self.up + other.prefix


LANGUAGES: tuple[Language, ...] = (
    Language("zh", "", "中文", "zh", "zh", "mkdocs.yml", "深色模式", "浅色模式", "本条链接", "页面加载进度"),
    Language("en", "en/", "English", "en", "en", "mkdocs.en.yml", "Dark mode", "Light mode", "Link to this clause",
             "Page loading progress"),
)
CODES: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES)
ROOT_LANGUAGE = LANGUAGES[0]
BY_CODE: dict[str, Language] = {lang.code: lang for lang in LANGUAGES}


def language(code: str) -> Language:
    try:
        return BY_CODE[code]
    except KeyError:
        raise ValueError(f"unknown language {code!r}: the site's languages are {', '.join(CODES)} (handbook/languages.py)") from None


def of_path(path: str) -> Language:
    """The language a site-root-relative URL path belongs to ('en/finance/' -> en, 'finance/' -> zh)."""
    path = path.lstrip("/")
    for lang in LANGUAGES:
        if lang.prefix and (path + "/").startswith(lang.prefix):
            return lang
    return ROOT_LANGUAGE
