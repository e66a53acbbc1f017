"""The Content-Security-Policy the build writes (handbook/postbuild/csp.py): no 'unsafe-inline', every inline script
of every built page allowed by its hash (and nothing else inline), framing refused, and the pages run
under it without a single CSP violation (every browser test also fails on console errors). Every page
also carries the policy in a <meta> tag (for a host that forgets the headers), which holds on its own;
"Copy link" where the clipboard API is missing (plain HTTP) stays within the policy."""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import threading
import time

import pytest
from conftest import Watch

from handbook.postbuild import csp

pytestmark = pytest.mark.browser


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


def test_a_violation_would_be_reported(site, browser):
    """The policy is really enforced: an inline script the build did not see is refused (so the clean
    console of every other browser test means the site needs nothing beyond its hashes)."""
    page = browser.new_page()
    watch = Watch(page, site.url)
    page.goto(site.url)
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__injected = 1';
                             document.body.append(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__injected") is None
    assert any("Content Security Policy" in e for e in watch.errors), watch.errors
    page.close()


def test_pages_cannot_be_framed(site, browser):
    """A page of another origin (here about:blank, which has no policy of its own) framing a calculator
    gets nothing: frame-ancestors 'none' (and X-Frame-Options: DENY) make the browser refuse it."""
    page = browser.new_page()
    watch = Watch(page, site.url)
    page.set_content(f'<iframe src="{site.url}calculators/travel/" width=800 height=600></iframe>')
    page.wait_for_timeout(2000)
    frame = page.frames[1]
    content = frame.evaluate("document.documentElement.outerHTML")
    assert "data-calculator" not in content
    assert any("frame-ancestors" in e or "X-Frame-Options" in e or "refused" in e.lower() for e in watch.errors) or \
        not frame.url.startswith(site.url), (frame.url, watch.errors)
    page.close()


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


class _PlainHost(http.server.SimpleHTTPRequestHandler):
    """A static host that sends no security headers at all."""

    def log_message(self, *args):
        pass


def _until(check, seconds: float = 10, every: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return check()


def test_the_meta_policy_holds_where_the_host_sends_no_headers(site, browser):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_PlainHost, directory=str(site.path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        watch = Watch(page, url)
        for path in ("", "en/"):
            response = page.goto(url + path)
            assert "content-security-policy" not in response.headers  # the host forgot them
            page.wait_for_load_state("networkidle")
            assert not watch.errors, watch.errors  # the site's own scripts run under the meta policy
        page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__injected = 1';
                                 document.body.append(s); }""")
        assert page.evaluate("window.__injected") is None  # refused by the <meta> policy alone
        assert _until(lambda: any("Content Security Policy" in e for e in watch.errors)), watch.errors
    finally:
        context.close()
        server.shutdown()
        server.server_close()


NO_CLIPBOARD = """Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined, configurable: true});
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));"""


def test_copy_link_without_the_clipboard_api_stays_within_the_policy(page, site):
    """Plain HTTP on an intranet host has no navigator.clipboard: both copy buttons (a calculator's share
    link, a clause's link) fall back to a hidden text area, hidden by a class, not a style attribute."""
    page.add_init_script(NO_CLIPBOARD)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(site.url + "calculators/travel/")
    assert page.evaluate("navigator.clipboard") is None
    copy = page.locator("[data-calc-copy]")

    def copied() -> bool:  # clicked until the calculator's script (loaded as a module) has taken the button
        if not dialogs and copy.text_content() != "已复制":
            copy.click()
        return bool(dialogs) or copy.text_content() == "已复制"

    assert _until(copied, 60, every=0.5), (copy.text_content(), dialogs)
    assert page.evaluate("window.__violations") == []
    page.goto(site.url + "labour/attendance/")
    button = page.locator('[id="labour.attendance.hours"] > .hb-copy')
    button.click()
    assert _until(lambda: button.locator(".hb-copy__label").text_content() in ("已复制", "链接已放入地址栏"))
    assert page.evaluate("window.__violations") == []
    assert page.locator("textarea.hb-copy-buffer").count() == 0  # removed after copying
    page.watch.assert_clean()
