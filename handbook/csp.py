"""The site's security headers: one declaration, written by the build for every server.

The Content-Security-Policy allows nothing but the site itself: no inline script runs unless its
SHA-256 hash is listed, and the hashes are those of the inline scripts the build actually wrote (a
dozen distinct ones: Material's start-up snippets and the calculator pages' loader). No inline style
is allowed at all (the site has none; scripts change styles through the CSSOM, which CSP permits).
Pyodide needs ``'wasm-unsafe-eval'``. No page may be framed (``frame-ancestors 'none'`` and
``X-Frame-Options: DENY``).

After MkDocs has written the pages, :func:`write` hashes the inline scripts of every page and writes

* ``.well-known/handbook-headers.json``: ``{header: value}``, read by ``handbook/serve.py``;
* ``.well-known/handbook-headers.nginx.conf``: the same as ``add_header`` lines, included by
  ``deploy/nginx.conf``.

Any other server (a static host, a CDN) must send the headers in the JSON file with every answer.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

HEADERS_FILE = ".well-known/handbook-headers.json"
NGINX_FILE = ".well-known/handbook-headers.nginx.conf"

# An inline <script> (no src) whose type is JavaScript; data blocks (application/json) do not run.
SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script\s*>", re.S | re.I)
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]*)""", re.I)


def inline_scripts(page: str) -> list[str]:
    """The bodies of the inline scripts of one HTML page that a browser would run."""
    out = []
    for m in SCRIPT.finditer(page):
        attrs = m["attrs"]
        if re.search(r"\ssrc\s*=", attrs, re.I):
            continue
        t = TYPE.search(attrs)
        if t and t.group(1).lower() not in JS_TYPES:
            continue
        out.append(m["body"])
    return out


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def policy(script_hashes: list[str]) -> str:
    scripts = " ".join(["'self'", *script_hashes, "'wasm-unsafe-eval'"])
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; "
        "font-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; frame-src 'none'; "
        "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"
    )


def headers(script_hashes: list[str]) -> dict[str, str]:
    return {
        "Content-Security-Policy": policy(script_hashes),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def fallback_headers() -> dict[str, str]:
    """For a folder without the build's headers file: the same policy, with no inline script allowed."""
    return headers([])


def site_hashes(site: Path) -> list[str]:
    """The sorted, distinct hashes of every inline script in every page of the built site."""
    found = set()
    for page in Path(site).rglob("*.html"):
        for body in inline_scripts(page.read_text(encoding="utf-8")):
            found.add(sha256(body))
    return sorted(found)


def nginx_lines(values: dict[str, str]) -> str:
    lines = ["# Written by handbook/csp.py at build time; included by deploy/nginx.conf. Do not edit."]
    for name, value in values.items():
        assert '"' not in value and "\\" not in value
        lines.append(f'add_header {name} "{value}" always;')
    return "\n".join(lines) + "\n"


def write(site: Path) -> dict[str, str]:
    """Hash the built site's inline scripts and write the headers files; returns the headers."""
    values = headers(site_hashes(site))
    target = Path(site) / HEADERS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(values, indent=1) + "\n", encoding="utf-8")
    (Path(site) / NGINX_FILE).write_text(nginx_lines(values), encoding="utf-8")
    return values
