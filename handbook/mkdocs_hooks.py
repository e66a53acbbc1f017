"""MkDocs hooks: load the data, generate the pages and the navigation, bundle the calculators.

Wired in ``mkdocs.yml`` under ``hooks:``. The same hooks serve both language builds; the language is
``extra.handbook_lang`` (``zh`` for ``mkdocs.yml``, ``en`` for ``mkdocs.en.yml``), and what differs by
language in the configuration comes from its row of handbook/languages.py.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from handbook.build import DEFAULT_URL
from handbook.exports import changes_feed, search_index
from handbook.languages import LANGUAGES, ROOT_LANGUAGE, Language, language
from handbook.pages.compiled import bytecode_cache
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
    lang = language(config.extra.get("handbook_lang", ROOT_LANGUAGE.code))
    hb = handbook()
    config.site_url = site_base_url() + lang.prefix
    configure_language(config, lang)
    # main.html's early worker: the front end's hashed folder, and the runtime manifest it is handed
    # (the same every page carries), so that it fetches no manifest.json
    config.extra["calc_dir"] = pyodide_bundle.front_end_dir()
    config.extra["calc_manifest"] = pyodide_bundle.page_manifest()
    renderer = Renderer(hb, lang.code, calculators())
    state["renderer"] = renderer
    config.nav = renderer.nav(config.extra["nav_head"], config.extra["nav_tail"])
    skip_material_search_index(config)
    return config


def configure_language(config, lang: Language) -> None:
    """What differs by language in the configuration, from handbook/languages.py (mkdocs.en.yml inherits the
    rest): Material's language, the palette toggles' and the permalinks' labels, the language switch
    (``extra.alternate``, drawn by overrides/partials/alternate.html), the way up to the site root
    (``extra.handbook_root``, read by overrides/main.html) and the progress bar's name."""
    config.theme["language"] = lang.theme_language
    toggles = [entry["toggle"] for entry in config.theme["palette"] if "toggle" in entry]
    for toggle, label in zip(toggles, (lang.dark_mode, lang.light_mode), strict=True):
        toggle["name"] = label
    config.mdx_configs.setdefault("toc", {})["permalink_title"] = lang.permalink_title
    config.extra["alternate"] = [
        {"name": other.name, "lang": other.html_lang, "code": other.code, "link": lang.to(other)} for other in LANGUAGES
    ]
    config.extra["handbook_root"] = lang.up
    config.extra["handbook_progress"] = lang.progress


def skip_material_search_index(config) -> None:
    """Material's search plugin stays for its header box and result list (its template shows them only
    while the plugin is enabled), but its index is the handbook's (handbook/exports/search_index.py, written
    in on_post_build): the plugin's own indexing (every page parsed, Chinese cut by jieba) and its
    search_index.json are skipped."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    if plugin is None:
        raise PluginError("Material's search plugin is needed for its search box (plugins: - search in mkdocs.yml)")
    for event in ("page_context", "post_build"):
        handlers = config.plugins.events[event]
        handlers[:] = [h for h in handlers if getattr(h, "__self__", None) is not plugin]


# What every language's pages load from the site root (overrides/main.html's site_root, the calculator pages'
# root): the site root's build ships them, the others leave out their theme copies. (assets/shared/numbers.js
# stays in every build: each language's training modules import it from beside them, ../shared/numbers.js.)
AT_THE_SITE_ROOT = ("assets/calc/", "assets/offline/", "assets/shared/bus.js")
# Material's search worker and its lunr language files: nothing loads them (the handbook's own worker,
# overrides/assets/search/worker.js, is the one in the page's config), so no build ships them.
NOT_LOADED = ("assets/javascripts/workers/", "assets/javascripts/lunr/",
              "assets/offline/service-worker.js")  # a source: handbook/runtime/offline.py writes it to the root as sw.js


def on_env(env, config, files):
    """Material's templates compiled once between builds (handbook/pages/compiled.py)."""
    env.bytecode_cache = bytecode_cache()
    return env


def on_files(files: Files, config) -> Files:
    renderer: Renderer = state["renderer"]
    unused = NOT_LOADED + (AT_THE_SITE_ROOT if renderer.language is not ROOT_LANGUAGE else ())
    for file in [f for f in files if f.src_uri.startswith(unused)]:
        files.remove(file)
    for page in renderer.pages():
        if files.get_file_from_path(page.src_uri):
            raise PluginError(f"docs/ has a hand-written page at a generated path: {page.src_uri}")
        files.append(File.generated(config, page.src_uri, content=page.content))
    return files


def on_page_content(html: str, page, config, files) -> str:
    """Pages of a language other than Chinese: Chinese in them is marked lang="zh" (handbook.pages.site.mark_chinese)."""
    return mark_chinese(html) if config.extra.get("handbook_lang") != "zh" else html


def on_post_build(config) -> None:
    """Copy the Pyodide core and the calculators bundle into the site (once, into the site root's build), write
    this language's search index with Material's stub index that names it, and the changes page as an Atom feed."""
    lang = language(config.extra.get("handbook_lang", ROOT_LANGUAGE.code))
    try:
        pyodide_bundle.bundle(Path(config.site_dir), root=(lang is ROOT_LANGUAGE))
    except pyodide_bundle.BundleError as exc:
        raise PluginError(f"calculators: {exc}") from None
    search_index.write(Path(config.site_dir), handbook(), lang.code)
    changes_feed.write(Path(config.site_dir), handbook(), lang.code, config.site_url)
