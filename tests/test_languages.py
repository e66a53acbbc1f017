"""One language table (handbook/languages.py): the configurations, the hooks, the templates and the scripts
derive the languages' prefixes and labels from it; nothing else spells "English lives under en/"."""

from __future__ import annotations

import io
import re
import tokenize

import pytest
import yaml

from handbook.languages import LANGUAGES, ROOT_LANGUAGE, language, of_path
from handbook.paths import OVERRIDES, ROOT

# The keys a language's own configuration may set: its texts, folders and navigation labels. Everything else
# is inherited from mkdocs.yml or comes from the table through the hooks.
OWN_KEYS = {"INHERIT", "site_name", "site_description", "docs_dir", "site_dir", "extra"}
OWN_EXTRA = {"handbook_lang", "nav_head", "nav_tail"}


def config_of(lang) -> dict:
    return yaml.safe_load((ROOT / lang.config).read_text(encoding="utf-8"))


def test_each_configuration_is_its_language_and_holds_only_what_differs():
    assert ROOT_LANGUAGE.prefix == "" and ROOT_LANGUAGE.config == "mkdocs.yml"
    for lang in LANGUAGES:
        config = config_of(lang)
        assert config["extra"]["handbook_lang"] == lang.code, lang.config
        if lang is ROOT_LANGUAGE:
            assert "alternate" not in config["extra"], "the language switch comes from handbook/languages.py"
            continue
        assert config["INHERIT"] == ROOT_LANGUAGE.config
        assert set(config) <= OWN_KEYS, f"{lang.config} repeats {sorted(set(config) - OWN_KEYS)} (inherit it, or derive it from the table)"
        assert set(config["extra"]) <= OWN_EXTRA, f"{lang.config}: extra {sorted(set(config['extra']) - OWN_EXTRA)}"
        assert config["site_dir"].rstrip("/").endswith(lang.prefix.rstrip("/"))


def test_the_hooks_configure_each_language_from_the_table():
    """What the build's on_config does to each configuration: Material's language and labels, the language
    switch and the way up to the site root from the table; the search plugin kept for its box, its indexing
    (a page parser and jieba, for an index the hook replaces) skipped; render_by_default inherited."""
    from mkdocs.config import load_config

    from handbook.mkdocs_hooks import AT_THE_SITE_ROOT  # noqa: F401  (the hooks module loads)

    for lang in LANGUAGES:
        config = load_config(str(ROOT / lang.config))
        config = config.plugins.on_config(config)
        assert config.theme["language"] == lang.theme_language
        assert [p["toggle"]["name"] for p in config.theme["palette"]] == [lang.dark_mode, lang.light_mode]
        assert config.mdx_configs["toc"]["permalink_title"] == lang.permalink_title
        assert config.extra["handbook_root"] == lang.up
        assert [(a["code"], a["link"]) for a in config.extra["alternate"]] == [(o.code, lang.to(o)) for o in LANGUAGES]
        assert config.site_url.endswith("/" + lang.prefix)
        search = config.plugins["material/search"]
        assert search.config.enabled, "Material shows its search box only while the plugin is enabled"
        for event in ("page_context", "post_build"):
            assert not [h for h in config.plugins.events[event] if getattr(h, "__self__", None) is search], event
        assert config.plugins["macros"].config["render_by_default"] is True, lang.config


def test_of_path_and_language():
    for lang in LANGUAGES:
        assert of_path(lang.prefix + "finance/travel/") is lang
        assert language(lang.code) is lang
    with pytest.raises(ValueError, match="languages.py"):
        language("fr")


# A string that is a language's URL prefix, spelled out: "en/", '/en/', "../en/".
PREFIX_LITERAL = re.compile(r"""^(\.\./|/)?(%s)/$""" % "|".join(re.escape(lang.code) for lang in LANGUAGES if lang.prefix))
COMMENTS = re.compile(r"\{#.*?#\}|<!--.*?-->|/\*.*?\*/|(?<![:\"'])//[^\n]*", re.S)
QUOTED_PREFIX = re.compile(r"""(["'`])((?:\.\./|/)?(?:%s)/)\1""" % "|".join(re.escape(lang.code) for lang in LANGUAGES if lang.prefix))


def test_no_module_spells_a_language_prefix():
    """handbook/ and overrides/ (the page scripts, the templates, the service worker): the prefix comes
    from the table (or, in a page script, from the page), never from a literal."""
    found = []
    for path in sorted((ROOT / "handbook").rglob("*.py")):
        if path.name == "languages.py":
            continue
        for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
            if tok.type == tokenize.STRING:
                try:
                    value = eval(tok.string)  # noqa: S307 (a literal from our own source)
                except Exception:
                    continue
                if isinstance(value, str) and PREFIX_LITERAL.match(value):
                    found.append(f"{path.relative_to(ROOT)}:{tok.start[0]}: {tok.string}")
    for folder in (ROOT / "handbook", OVERRIDES):
        for path in sorted(p for ext in ("*.js", "*.mjs", "*.html", "*.j2") for p in folder.rglob(ext)):
            if "pyodide" in path.parts:
                continue
            text = COMMENTS.sub("", path.read_text(encoding="utf-8"))
            found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in QUOTED_PREFIX.finditer(text)]
    assert not found, "a language prefix spelled out (derive it from handbook/languages.py):\n" + "\n".join(found)
