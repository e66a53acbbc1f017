"""The Content-Security-Policy the build writes (handbook/postbuild/csp.py): no 'unsafe-inline', every inline script
of every built page allowed by its hash (and nothing else inline), framing refused, and the pages run
under it without a single CSP violation (every browser test also fails on console errors)."""

from __future__ import annotations


import pytest
from conftest import Watch


pytestmark = pytest.mark.browser


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
