"""The offline copy: a manifest of the built site's files and the service worker that caches them.

Run by ``handbook.build`` once both languages are built (the service worker at the root covers
``/`` and ``/en/``)::

    python -m handbook.runtime.offline SITE_DIR     # (re)write SITE_DIR/offline-manifest.json and SITE_DIR/sw.js

``offline-manifest.json`` lists every file a reader may need, with a hash of its content, in two
groups:

* ``shell``   — pages of both languages, their assets, search indexes and sitemaps: cached by the
                service worker after the first visit, once the page is idle;
* ``runtime`` — what the calculators' worker downloads (Pyodide's files in their versioned folder,
                the calculators bundle, the memory snapshot, the cut-down standard library), as
                named by ``assets/calc/manifest.json``: cached only after a calculator page has
                started its engine, never on a plain page.

Left out: source maps, precompressed siblings (``x.gz`` next to ``x``: the server picks them),
files nothing fetches (the full ``python_stdlib.zip``; the build ships no other) and the offline
files themselves. ``version`` is a hash over the list; ``sw.js`` (from
``overrides/assets/offline/service-worker.js``, with the declaration of ``messages.js`` written in: a
service worker is a classic script in every browser, so it cannot import the module register.js imports)
carries it, so a new build is a new service worker and new cache names.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from handbook.languages import LANGUAGES
from handbook.paths import OVERRIDES

OFFLINE_JS = OVERRIDES / "assets" / "offline"
SW_SOURCE = OFFLINE_JS / "service-worker.js"  # beside its page half (register.js); written to the site root as sw.js
MESSAGES = OFFLINE_JS / "messages.js"  # the messages between the two, declared once
MESSAGES_PLACEHOLDER = "/* offline-messages */"
MANIFEST = "offline-manifest.json"
SW = "sw.js"
VERSION_PLACEHOLDER = "__HANDBOOK_OFFLINE_VERSION__"

def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def _url(rel: str) -> str:
    """The URL path (relative to the site root) a file is fetched at: pages by their folder."""
    if rel == "index.html":
        return "./"
    if rel.endswith("/index.html"):
        return rel[: -len("index.html")]
    return rel


def _runtime_files(site: Path) -> set[str] | None:
    """What the calculators' worker downloads, from the runtime manifest the bundle step wrote."""
    path = site / "assets" / "calc" / "manifest.json"
    if not path.exists():
        return None
    m = json.loads(path.read_text(encoding="utf-8"))
    files = {"assets/calc/manifest.json"}
    for rel in m["files"]:  # the manifest lists its own files (handbook/runtime/pyodide_bundle.py)
        parts: list[str] = []
        for part in ("assets/calc/" + rel).split("/"):  # resolve the "../" without touching the disk
            if part == "..":
                parts.pop()
            elif part and part != ".":
                parts.append(part)
        files.add("/".join(parts))
    return files


def build_manifest(site: Path) -> dict:
    site = Path(site)
    runtime = _runtime_files(site) or set()
    shell, run = {}, {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        name = path.name
        if rel in (MANIFEST, SW) or name.startswith("."):
            continue
        if name.endswith(".map"):
            continue
        if name.endswith((".gz", ".br")) and path.with_name(name.rsplit(".", 1)[0]).exists():
            continue  # a precompressed sibling: the server sends it in place of the original
        if rel in runtime:
            run[_url(rel)] = file_hash(path)
            continue
        if "/assets/pyodide/" in f"/{rel}" or rel.startswith("assets/calc/") and name.startswith(
            ("calculators.", "snapshot.", "stdlib.", "nostdlib.")
        ):
            continue  # runtime files the worker does not fetch (e.g. the full stdlib)
        shell[_url(rel)] = file_hash(path)
    # the service worker's own code is part of the version: new code, new caches
    digest = hashlib.sha256(json.dumps([shell, run, file_hash(SW_SOURCE), file_hash(MESSAGES)], sort_keys=True).encode()).hexdigest()[:12]
    # the languages' roots (handbook/languages.py), longest first: the service worker's 404 page for an address
    languages = sorted((lang.prefix for lang in LANGUAGES), key=len, reverse=True)
    return {"version": digest, "shell": shell, "runtime": run, "languages": languages}


def write(site: Path) -> dict:
    """Write the manifest and ``sw.js`` into the built site; returns the manifest."""
    site = Path(site)
    manifest = build_manifest(site)
    (site / MANIFEST).write_text(json.dumps(manifest, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    (site / SW).write_text(service_worker(manifest["version"]), encoding="utf-8")
    return manifest


def service_worker(version: str) -> str:
    """sw.js: the service worker's source with the build's version and the messages' declaration written in."""
    source = SW_SOURCE.read_text(encoding="utf-8")
    for placeholder in (VERSION_PLACEHOLDER, MESSAGES_PLACEHOLDER):
        if source.count(placeholder) != 1:
            raise RuntimeError(f"{SW_SOURCE} must have {placeholder} once")
    messages = "".join(line for line in MESSAGES.read_text(encoding="utf-8").splitlines(keepends=True) if not line.startswith("export "))
    return source.replace(VERSION_PLACEHOLDER, version).replace(MESSAGES_PLACEHOLDER, messages.strip())


if __name__ == "__main__":
    m = write(Path(sys.argv[1] if len(sys.argv) > 1 else "site"))
    print(f"offline {m['version']}: {len(m['shell'])} shell file(s), {len(m['runtime'])} runtime file(s)")
