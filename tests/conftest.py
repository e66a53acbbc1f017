"""Shared fixtures: the loaded data, the built site served over HTTP, and a headless Chromium.

The site is built once per run for the exact URL it is served at (Material's instant navigation
needs the real host and port), in ``build/test-site-<run>``, and shared by every xdist worker
(tests/shared_site.py).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handbook.languages import language, of_path  # noqa: E402
from handbook.model.loader import load  # noqa: E402
from handbook.paths import DATA  # noqa: E402
from handbook.postbuild.compress import QUICK_ENV  # noqa: E402

import shared_site  # noqa: E402  (tests/, on sys.path as conftest's folder)

CHROMIUM = os.environ.get("HANDBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Offline: no name but the loopback address resolves, so nothing can leave the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def _needs_a_browser_or_the_site(item) -> bool:
    return "site" in item.fixturenames or item.get_closest_marker("browser") is not None


def pytest_collection_modifyitems(items):
    """Browser tests get one retry: on a 2-core machine running two workers, a page or Pyodide can miss a
    timeout now and then (seen in a fresh-clone run; both such tests passed alone). A real failure fails
    twice. Other tests are deterministic and get none.

    The modules that need neither a browser nor the site run first (a stable sort, whole modules, so a
    module's fixtures are set up once): the site's build, started in the background as soon as the
    collection is known (``pytest_collection_finish``), runs while they do, instead of every worker waiting
    for it at the start."""
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("flaky"):
            item.add_marker(pytest.mark.flaky(reruns=1, reruns_delay=2))
    late = {item.module.__name__ for item in items if _needs_a_browser_or_the_site(item)}
    items.sort(key=lambda item: item.module.__name__ in late)


def pytest_collection_finish(session):
    if getattr(session.config.option, "loadgroup", False):  # an xdist worker under --dist loadgroup: a group on one worker
        lost = [item.nodeid for item in session.items if item.get_closest_marker("xdist_group") and "@" not in item.nodeid]
        if lost:  # pytest-xdist marks a group's tests by a suffix of their node id, which pytest 9 no longer takes
            raise pytest.UsageError(f"--dist loadgroup ignored the xdist_group of {len(lost)} tests ({lost[0]}): "
                                    "the modules that share a module fixture would make it on every worker "
                                    "(pyproject.toml pins the pytest that pytest-xdist can group)")
    if any("site" in item.fixturenames for item in session.items):
        shared_site.prepare_in_background()


@pytest.fixture(scope="session")
def hb():
    return load(os.environ.get("HANDBOOK_DATA") or DATA)


def require_node() -> str:
    """node runs the site's scripts in the tests (search, the calculators' front end): a run without it
    fails, it does not skip what it cannot check."""
    node = shutil.which("node")
    if not node:
        pytest.fail("node not found: the tests run the site's JavaScript with it (install Node.js; `make test` needs npm too)")
    return node


def pytest_configure(config):
    os.environ[QUICK_ENV] = "1"  # the builds the tests run compress the large files quickly (see compress.py)
    if not hasattr(config, "workerinput"):  # the controller: xdist's master, or pytest without -n
        shared_site.begin_run()


def pytest_sessionfinish(session):
    shared_site.abandon_background_build()  # a run that stops early (-x) leaves no build behind
    if not hasattr(session.config, "workerinput"):
        shared_site.finish()


@pytest.fixture(scope="session")
def site():
    """The whole site (both languages), built once per run for the URL it is served at and shared by
    every xdist worker (tests/shared_site.py); yields the base URL and the directory."""
    url, path = shared_site.get(pytest.fail)
    return Site(url, path)


@pytest.fixture(autouse=True)
def _server_in_use(request):
    """A test that uses the site holds its server shared; one marked ``stops_server`` holds it alone."""
    if "site" not in request.fixturenames:
        yield
        return
    with shared_site.server_lock(exclusive=request.node.get_closest_marker("stops_server") is not None):
        yield


class Site:
    """The built site and its server. A test marked ``stops_server`` may stop it (to see the site
    offline) and start it again on another folder (a second build), always at the same address."""

    def __init__(self, url: str, path: Path):
        self.url = url
        self.path = path

    def start(self, directory: Path | None = None):
        shared_site.restart(directory or self.path)

    def stop(self):
        shared_site.restart(None)  # keep-alive connections too: a stopped server answers nothing

    def pages(self, lang: str) -> list[str]:
        """Every built HTML page of a language, as URLs (from the directory, not the nav)."""
        out = []
        for html in sorted((self.path / language(lang).prefix).rglob("index.html")):
            rel = html.relative_to(self.path).parent.as_posix()
            path = "" if rel == "." else rel + "/"
            if of_path(path).code == lang:  # not a page of a language nested under this one
                out.append(self.url + path)
        return out


@pytest.fixture(scope="session")
def browser():
    from playwright import sync_api as playwright  # a test dependency (pyproject.toml): missing, the run fails
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs Debian's chromium")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watch:
    """Records console errors, page errors and any request to a host other than the site's own."""

    def __init__(self, page, base: str):
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.base = base
        page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("request", self._request)
        page.on("worker", lambda w: w.on("console", lambda m: self.errors.append(f"worker: {m.text}") if m.type == "error" else None))

    def _request(self, request):
        url = request.url
        if not (url.startswith(self.base) or url.startswith("data:") or url.startswith("blob:") or url == "about:blank"):
            self.foreign.append(url)

    def assert_clean(self):
        assert not self.foreign, f"requests to other hosts: {self.foreign}"
        assert not self.errors, f"errors: {self.errors}"


def share(data) -> str:
    """The #input= fragment of a calculator page's share link for these inputs."""
    return "#input=" + quote(json.dumps(data, ensure_ascii=False, separators=(",", ":")), safe="")


# A JS function (suffix) -> the first visible link to a URL ending in ``suffix`` outside the header and the language
# menu, or null: the link a reader would click to reach that page by Material's instant navigation.
LINK_TO = """(suffix) => Array.from(document.querySelectorAll('a[href]'))
    .find((x) => x.href.split('#')[0].endsWith(suffix) && x.offsetParent !== null
                 && !x.closest('.md-header, .md-select')) || null"""


def ready_for_instant_navigation(page) -> None:
    """Wait until Material has set up instant navigation (its bundle has run and its sitemap, which
    decides which links it intercepts, has been fetched); a click before that is a full page load."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => typeof document$ !== 'undefined'")


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    pg = context.new_page()
    pg.watch = Watch(pg, site.url)
    context.on("request", pg.watch._request)  # includes requests from workers
    yield pg
    context.close()
