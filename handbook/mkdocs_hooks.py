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

from handbook.build import DEFAULT_URL
from handbook.exports import changes_feed, search_index
from handbook.model.words import teach_jieba
from handbook.pages.context import calculators, handbook, state
from handbook.pages.site import Renderer, mark_chinese

# Loaded by MkDocs from its path, not as part of the package: absolute imports only.
from handbook.runtime import pyodide_bundle

log = logging.getLogger("mkdocs.hooks.handbook")


def site_base_url() -> str:
    """Where the Chinese site's root is served; instant navigation needs the exact host and port."""
    url = os.environ.get("HANDBOOK_SITE_URL", DEFAULT_URL)
    return url if url.endswith("/") else url + "/"


def on_config(config):
    lang = config.extra.get("handbook_lang", "zh")
    hb = handbook()
    config.site_url = site_base_url() + ("en/" if lang == "en" else "")
    # main.html's early worker: the front end's hashed folder, and the runtime manifest it is handed
    # (the same every page carries), so that it fetches no manifest.json
    config.extra["calc_dir"] = pyodide_bundle.front_end_dir()
    config.extra["calc_manifest"] = pyodide_bundle.page_manifest()
    renderer = Renderer(hb, lang, calculators())
    state["renderer"] = renderer
    config.nav = renderer.nav(config.extra["nav_head"], config.extra["nav_tail"])
    teach_jieba(hb)  # so that the bureau's terms are whole words for the glossary links (handbook.model.words.teach_jieba)
    return config


def on_files(files: Files, config) -> Files:
    renderer: Renderer = state["renderer"]
    for page in renderer.pages():
        if files.get_file_from_path(page.src_uri):
            raise PluginError(f"docs/ has a hand-written page at a generated path: {page.src_uri}")
        files.append(File.generated(config, page.src_uri, content=page.content))
    return files


def on_page_content(html: str, page, config, files) -> str:
    """English pages: Chinese in them is marked lang="zh" (handbook.pages.site.mark_chinese)."""
    return mark_chinese(html) if config.extra.get("handbook_lang") == "en" else html


def on_post_build(config) -> None:
    """Copy the Pyodide core (once, into the Chinese root) and the calculators bundle into the site."""
    lang = config.extra.get("handbook_lang", "zh")
    try:
        pyodide_bundle.bundle(Path(config.site_dir), root=(lang == "zh"))
    except pyodide_bundle.BundleError as exc:
        raise PluginError(f"calculators: {exc}") from None
    search_index.write(Path(config.site_dir), handbook(), lang)  # after Material's search plugin: replaces its index
    changes_feed.write(Path(config.site_dir), handbook(), lang, config.site_url)  # the changes page as an Atom feed
