"""What the run's built site says in its files, read without a browser (the ``site`` fixture: one build per
run, shared with tests/browser/): the Content-Security-Policy hashes every inline script, Pyodide ships in
a versioned folder with only what is used, the 404 pages name no other host, every page carries the policy
in a <meta> tag before any script, and every page asks only for files the site has."""

from __future__ import annotations

import html
import json
import re
import zipfile
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

from handbook.postbuild import csp


def manifest(site) -> dict:
    return json.loads((site.path / "assets" / "calc" / "manifest.json").read_text(encoding="utf-8"))


def built_policy(site) -> str:
    return json.loads((site.path / csp.HEADERS_FILE).read_text(encoding="utf-8"))["Content-Security-Policy"]


def test_policy_hashes_every_inline_script_and_allows_no_inline(site):
    policy = built_policy(site)
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "frame-ancestors 'none'" in policy
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    allowed = set(directives["script-src"].split())
    bodies = set()
    for page in site.path.rglob("*.html"):
        bodies.update(csp.inline_scripts(page.read_text(encoding="utf-8")))
    assert bodies, "no inline script found: the scan is broken"
    assert {csp.sha256(b) for b in bodies} <= allowed
    # nothing but the site's own scripts: 'self', their hashes and the wasm compiler
    assert allowed - {csp.sha256(b) for b in bodies} == {"'self'", "'wasm-unsafe-eval'"}
    nginx = (site.path / csp.NGINX_FILE).read_text(encoding="utf-8")
    assert f'add_header Content-Security-Policy "{policy}" always;' in nginx


def test_every_page_carries_the_policy_in_a_meta_tag_before_any_script(site):
    policy = built_policy(site)
    want = csp.meta_policy(policy)
    assert want.split("; ") == [d for d in policy.split("; ") if not d.startswith("frame-ancestors")]
    pages = list(site.path.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        text = page.read_text(encoding="utf-8")
        metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', text)
        assert [html.unescape(m) for m in metas] == [want], page
        assert "<script" not in text[: text.index('http-equiv="Content-Security-Policy"')], page


def test_pyodide_lives_in_a_versioned_folder_with_only_what_is_used(site):
    m = manifest(site)
    runtime = site.path / "assets" / "calc" / m["runtime"]
    assert re.fullmatch(r"\.\./pyodide/[0-9a-f]{12}/", m["runtime"])
    assert sorted(p.name for p in (site.path / "assets" / "pyodide").iterdir()) == [runtime.resolve().name]
    # the manifest lists its own files; they are there, and they are what the offline copy caches as the runtime
    calc = site.path / "assets" / "calc"
    listed = {(calc / f).resolve().relative_to(site.path.resolve()).as_posix() for f in m["files"]}
    assert all((site.path / f).is_file() for f in listed), listed
    offline = json.loads((site.path / "offline-manifest.json").read_text(encoding="utf-8"))
    assert set(offline["runtime"]) == listed | {"assets/calc/manifest.json"}
    lock = json.loads((runtime / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"] == {} and lock["info"]["python"].startswith("3.")
    if m["snapshot"]:
        names = zipfile.ZipFile(site.path / "assets" / "calc" / m["stdlib"]).namelist()
        assert "decimal.py" in names and "json/decoder.py" in names  # what the calculators import
        assert "encodings/__init__.py" in names  # what a start-up without the snapshot needs
        assert "tkinter/__init__.py" not in names and len(names) < 250  # of ~600
        assert zipfile.ZipFile(site.path / "assets" / "calc" / m["snapshot_stdlib"]).namelist() == []


def test_404_pages_name_no_other_host(site):
    """The 404 page is served at any depth with the absolute base "/" (or "/en/"): no link, script or
    meta value may start with "//", which a browser reads as another host (http://assets/…)."""
    for rel in ("404.html", "en/404.html"):
        html = (site.path / rel).read_text(encoding="utf-8")
        bad = re.findall(r'(?:src|href|content)="//[^"]*"', html)
        assert not bad, (rel, bad)


ASSET_REFS = re.compile(r"""<(?:script|link)\b[^>]*?\b(?:src|href)="([^"#?]+)[^"]*"|new Worker\("([^"#?]+)""")


def test_every_asset_a_page_loads_is_shipped_and_nothing_else_is(site):
    """Each language's pages load their scripts, styles and workers from files the build ships (the shared
    runtime and offline files from the site root), and the build ships no copy nothing loads: no
    ``en/assets/calc/`` or ``en/assets/offline/``, no Material search worker or lunr files (the handbook's
    search worker replaces them); the service worker's list has none of them either."""
    from urllib.parse import urljoin

    from handbook.languages import LANGUAGES, ROOT_LANGUAGE
    from handbook.runtime import offline

    missing, loaded = [], set()
    site_pages = sorted(site.path.rglob("*.html"))
    for page in site_pages:
        rel = page.relative_to(site.path).as_posix()
        url = "/" + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)
        for m in ASSET_REFS.finditer(page.read_text(encoding="utf-8")):
            ref = m.group(1) or m.group(2)
            if ref.startswith(("http:", "https:", "data:", "mailto:")) or not ref.rsplit("/", 1)[-1].count("."):
                continue  # a page link, not an asset
            target = urljoin(url, ref).lstrip("/")
            loaded.add(target)
            if not (site.path / target).is_file():
                missing.append(f"{rel}: {ref}")
    assert site_pages and not missing, "\n".join(missing[:20])
    for lang in LANGUAGES:
        if lang is not ROOT_LANGUAGE:
            for folder in ("assets/calc", "assets/offline", "assets/shared/bus.js"):
                assert not (site.path / lang.prefix / folder).exists(), f"{lang.prefix}{folder} is shipped, nothing loads it"
        # the training's modules import the one number reader from beside them (../shared/numbers.js)
        assert (site.path / lang.prefix / "assets/shared/numbers.js").is_file(), lang.prefix
        assert not (site.path / lang.prefix / "assets/javascripts/workers").exists()
        assert not (site.path / lang.prefix / "assets/javascripts/lunr").exists()
    cached = json.loads((site.path / offline.MANIFEST).read_text(encoding="utf-8"))["shell"]
    assert not [k for k in cached if re.match(r"(\w+/)?assets/javascripts/(workers|lunr)/|\w+/assets/(calc|offline)/", k)]
    assert "assets/offline/register.js" in loaded
    assert any(re.fullmatch(r"assets/calc/[0-9a-f]{12}/calc-worker\.js", a) for a in loaded)  # the early worker, hashed


class _Refs(HTMLParser):
    """The URLs a page's markup loads or links to, and its number of <h1>."""

    LOADS = {("script", "src"), ("img", "src"), ("source", "src"), ("iframe", "src"), ("link", "href"),
             ("a", "href"), ("use", "href"), ("object", "data"), ("form", "action")}

    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str]] = []
        self.headings = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.headings += tag == "h1"
        if tag == "link" and set((a.get("rel") or "").split()) & {"canonical", "alternate"}:
            tag = "a"  # a link to the page's address or its other language: it loads nothing
        self.refs += [(tag, a[key]) for t, key in self.LOADS if tag == t and a.get(key)]
        self.refs += [(tag, c.split()[0]) for c in (a.get("srcset") or "").split(",") if c.strip()]


def test_every_page_asks_only_for_files_the_site_has(site):
    """Every page of both languages (the browser loads every Chinese page and one of each kind of English
    page, tests/browser/test_site.py): each has a heading; what its markup loads — scripts, styles, images,
    icons — is on the site and on no other host, and every link into the site leads to a file it has."""
    base = site.url
    problems, pages = [], 0
    for file in sorted(site.path.rglob("*.html")):
        rel = file.relative_to(site.path).as_posix()
        url = base + rel.removesuffix("index.html")
        refs = _Refs()
        refs.feed(file.read_text(encoding="utf-8"))
        pages += 1
        if not refs.headings:
            problems.append(f"{rel}: no <h1>")
        for tag, ref in refs.refs:
            target = urlsplit(urljoin(url, ref))
            if target.scheme in ("data", "mailto", "tel", "blob"):
                continue
            if f"{target.scheme}://{target.netloc}/" != base:
                if tag != "a":  # a link to another host loads nothing; anything else would be a request to it
                    problems.append(f"{rel}: <{tag}> loads {ref} from another host")
                continue
            path = unquote(target.path).lstrip("/")
            found = site.path / path / "index.html" if path.endswith("/") or not path else site.path / path
            if not found.is_file():
                problems.append(f"{rel}: <{tag}> {ref}: no such file on the site")
    assert pages > 150
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])
