"""The site's security headers: one declaration, written by the build for every server.

The Content-Security-Policy allows nothing but the site itself: no inline script runs unless its
SHA-256 hash is listed, and the hashes are those of the inline scripts the build actually wrote (a
dozen distinct ones: Material's start-up snippets and the calculator pages' loader). Inline styles are
treated the same way: a ``<style>`` element or a ``style="…"`` attribute in a built page is allowed by
its hash (attributes need ``'unsafe-hashes'``, added only then); today the site has none, and scripts
change styles through the CSSOM, which CSP permits. A style attribute that a script writes as HTML
would be refused: use ``element.style`` or a class instead.
Pyodide needs ``'wasm-unsafe-eval'``. No page may be framed (``frame-ancestors 'none'`` and
``X-Frame-Options: DENY``).

After MkDocs has written the pages, :func:`write` hashes the inline scripts of every page and writes

* ``.well-known/handbook-headers.json``: ``{header: value}``, read by ``handbook/serve.py``;
* ``.well-known/handbook-headers.nginx.conf``: the same as ``add_header`` lines, included by
  ``deploy/nginx.conf``.

and puts the same policy in every page as ``<meta http-equiv="Content-Security-Policy">`` (right after
``<meta charset>``, before any script), for a host that forgets the headers. A meta policy cannot carry
``frame-ancestors`` (nor ``report-uri``, ``sandbox``): browsers ignore them there, so :func:`meta_policy`
leaves them out, and framing stays refused only by the headers. The meta tag is no script: the hashes
are the same with or without it. With both, the browser enforces both, which here are the same policy.

Any other server (a static host, a CDN) must send the headers in the JSON file with every answer.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

HEADERS_FILE = ".well-known/handbook-headers.json"
NGINX_FILE = ".well-known/handbook-headers.nginx.conf"

# An inline <script> (no src) whose type is JavaScript; data blocks (application/json) do not run.
SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script\s*>", re.S | re.I)
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]*)""", re.I)
STYLE = re.compile(r"<style(?:\s[^>]*)?>(?P<body>.*?)</style\s*>", re.S | re.I)
STYLE_ATTR = re.compile(r"""<[a-zA-Z][^>]*?\sstyle\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""")


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


def inline_styles(page: str) -> tuple[list[str], list[str]]:
    """(bodies of <style> elements, values of style attributes) of one HTML page, as the browser sees them."""
    elements = [m["body"] for m in STYLE.finditer(page)]
    attrs = [html.unescape(m["dq"] if m["dq"] is not None else m["sq"]) for m in STYLE_ATTR.finditer(page)]
    return elements, attrs


def policy(script_hashes: list[str], style_hashes: list[str] = (), style_attr_hashes: list[str] = ()) -> str:
    scripts = " ".join(["'self'", *script_hashes, "'wasm-unsafe-eval'"])
    styles = " ".join(["'self'", *style_hashes, *(["'unsafe-hashes'", *style_attr_hashes] if style_attr_hashes else [])])
    return (
        f"default-src 'self'; script-src {scripts}; style-src {styles}; img-src 'self' data:; "
        "font-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; frame-src 'none'; "
        "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"
    )


def headers(script_hashes: list[str], style_hashes: list[str] = (), style_attr_hashes: list[str] = ()) -> dict[str, str]:
    return {
        "Content-Security-Policy": policy(script_hashes, style_hashes, style_attr_hashes),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


# Directives a <meta> policy may not carry (CSP Level 3, 6.1 / HTML: ignored, with a console error).
META_IGNORED = ("frame-ancestors", "report-uri", "report-to", "sandbox")
META = re.compile(r"""<meta http-equiv="Content-Security-Policy" content="[^"]*">""")
CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)
HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.I)


def meta_policy(header_policy: str) -> str:
    """The header's policy as a <meta> tag may carry it: the same directives but those ignored there."""
    kept = [d.strip() for d in header_policy.split(";") if d.strip() and d.split()[0] not in META_IGNORED]
    return "; ".join(kept)


def with_meta(page: str, header_policy: str) -> str:
    """An HTML page with the policy's <meta> tag right after its charset (replacing an earlier one)."""
    tag = f'<meta http-equiv="Content-Security-Policy" content="{html.escape(meta_policy(header_policy), quote=False)}">'
    page = META.sub("", page)
    anchor = CHARSET.search(page) or HEAD.search(page)
    if anchor is None:
        return page
    return page[: anchor.end()] + tag + page[anchor.end():]


def fallback_headers() -> dict[str, str]:
    """For a folder without the build's headers file: the same policy, with no inline script allowed."""
    return headers([])


def site_hashes(site: Path) -> tuple[list[str], list[str], list[str]]:
    """The sorted, distinct hashes of every inline script, <style> element and style attribute in
    every page of the built site."""
    scripts, styles, attrs = set(), set(), set()
    for page in Path(site).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        scripts.update(sha256(body) for body in inline_scripts(text))
        elements, values = inline_styles(text)
        styles.update(sha256(body) for body in elements)
        attrs.update(sha256(value) for value in values)
    return sorted(scripts), sorted(styles), sorted(attrs)


def nginx_lines(values: dict[str, str]) -> str:
    lines = ["# Written by handbook/postbuild/csp.py at build time; included by deploy/nginx.conf. Do not edit."]
    for name, value in values.items():
        assert '"' not in value and "\\" not in value
        lines.append(f'add_header {name} "{value}" always;')
    return "\n".join(lines) + "\n"


def write(site: Path) -> dict[str, str]:
    """Hash the built site's inline scripts, write the headers files and put the policy's <meta> tag in
    every page; returns the headers."""
    values = headers(*site_hashes(site))
    for page in Path(site).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = with_meta(text, values["Content-Security-Policy"])
        if new != text:
            page.write_text(new, encoding="utf-8")
    target = Path(site) / HEADERS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(values, indent=1) + "\n", encoding="utf-8")
    (Path(site) / NGINX_FILE).write_text(nginx_lines(values), encoding="utf-8")
    return values
