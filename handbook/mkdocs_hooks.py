"""MkDocs hooks: load the data, generate the pages and the navigation, bundle the calculators.

Wired in ``mkdocs.yml`` under ``hooks:``. The same hooks serve both language builds; the language is
``extra.handbook_lang`` (``zh`` for ``mkdocs.yml``, ``en`` for ``mkdocs.en.yml``).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

# Loaded by MkDocs from its path, not as part of the package: absolute imports only.
from handbook.context import calculators, handbook, state
from handbook.loader import Handbook
from handbook.site import Renderer

log = logging.getLogger("mkdocs.hooks.handbook")

def site_base_url() -> str:
    """Where the Chinese site's root is served; instant navigation needs the exact host and port."""
    url = os.environ.get("HANDBOOK_SITE_URL", "http://127.0.0.1:8000/")
    return url if url.endswith("/") else url + "/"


def on_config(config):
    lang = config.extra.get("handbook_lang", "zh")
    hb = handbook()
    config.site_url = site_base_url() + ("en/" if lang == "en" else "")
    renderer = Renderer(hb, lang, calculators())
    state["renderer"] = renderer
    config.nav = renderer.nav(config.extra["nav_head"], config.extra["nav_tail"])
    _add_search_words(hb)
    return config


def _add_search_words(hb: Handbook) -> None:
    """Teach jieba the bureau's terms, so that they index as whole words.

    Material's search matches query words against prefixes of indexed tokens; if 伙食补助费 were
    segmented into 伙食 + 补助费, the query 伙食补助费 would find nothing. (Whole titles are not added:
    市贸促会主要职责 as one word would hide it from the query 贸促会.)
    """
    try:
        import jieba
    except ImportError:
        return
    words = set()
    for term in hb.glossary.terms:
        words.update([term.zh, *term.aliases])
    for word in sorted(words):
        if 2 <= len(word) <= 12:
            jieba.add_word(word, freq=20000)


def on_files(files: Files, config) -> Files:
    renderer: Renderer = state["renderer"]
    for page in renderer.pages():
        if files.get_file_from_path(page.src_uri):
            raise PluginError(f"docs/ has a hand-written page at a generated path: {page.src_uri}")
        files.append(File.generated(config, page.src_uri, content=page.content))
    return files


def on_post_build(config) -> None:
    try:
        from handbook import pyodide_bundle
    except ImportError:
        log.warning("handbook.pyodide_bundle is missing: calculator pages will not run")
        return
    lang = config.extra.get("handbook_lang", "zh")
    pyodide_bundle.bundle(Path(config.site_dir), root=(lang == "zh"))
