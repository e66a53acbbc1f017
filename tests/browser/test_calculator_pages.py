"""The calculator pages in headless Chromium: Python (Pyodide) in a worker gives the CLI's totals for
every golden case in both languages; share links, bad and hostile input, instant navigation, the
print worksheet, start-up failure, and no Pyodide byte on plain pages."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from bench.page_engine import BUS, ENGINE, engine, start_options
from conftest import LINK_TO, Watch, ready_for_instant_navigation, share

from calculators import api
from calculators.travel import MAX_LEGS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = json.loads((ROOT / "tests" / "calculators" / "golden.json").read_text(encoding="utf-8"))
CALCS = sorted({case["calculator"] for case in GOLDEN})
READY = "[data-calc-status][data-stage=ready]"
ENGINE_TIMEOUT = 60_000


@functools.lru_cache(maxsize=None)
def _native(name: str, data_json: str) -> str:
    return api.run(name, data_json)


def native(name: str, data) -> dict:
    """The engine's answer computed natively, in this process: the result dict, or {"error": …} when
    the input is refused. The same code the CLI runs (tests/calculators/test_cli.py runs every
    golden case through the CLI itself); here without a process per call, which cost minutes."""
    answer = json.loads(_native(name, json.dumps(data, ensure_ascii=False, sort_keys=True)))
    return answer["result"] if answer["ok"] else {"error": answer["error"]}


def calc_url(site, name: str, lang: str = "zh") -> str:
    return f"{site.url}{'en/' if lang == 'en' else ''}calculators/{name}/"


@pytest.fixture(autouse=True)
def _pages_exist(site):
    page = site.path / "calculators" / "travel" / "index.html"
    assert page.exists() and "data-calculator" in page.read_text(encoding="utf-8"), "no calculator pages in the site"


def set_hash_and_wait(page, fragment: str) -> dict:
    """Put an input in the fragment of the open page; the answer it shows (calc:result).

    The fragment is replaced in place and announced with a hashchange event, as when a script
    or a reader edits it: a real popstate would also make Material re-render the page (which
    works, see test_opening_a_share_link_computes_it, but then two roots race here)."""
    return page.evaluate(
        """(h) => new Promise((resolve, reject) => {
             const root = document.querySelector('[data-calculator]');
             root.addEventListener('calc:result', (e) => resolve(e.detail), { once: true });
             setTimeout(() => reject(new Error('no calc:result for ' + h)), 30000);
             const old = location.href;
             history.replaceState(history.state, '', h);
             window.dispatchEvent(new HashChangeEvent('hashchange', { oldURL: old, newURL: location.href }));
           })""",
        fragment,
    )


# The engine run on each input in turn, in the page's worker: one round trip for all of them.
ENGINE_RUN_ALL = f"""async ([name, inputs]) => {{ const rt = await {ENGINE}; const outputs = [];
    for (const input of inputs) outputs.push((await rt.run(name, input)).output);
    return outputs; }}"""


def total(page) -> str:
    return page.locator("[data-calc-total]").text_content()


def shown_total(result: dict) -> str:
    """The total the page shows for a CLI result: none when nothing is summed and the result is a
    decision in words (attendance: "late arrival", not "合计 0 天")."""
    return result["total_text"] if result.get("lines") or not result.get("decision") else ""


# ---------------------------------------------------------------------------------- one page per language

# Starting the engine costs ~1.7 CPU-s in the renderer, a page load ~0.3 CPU-s: the tests whose subject is not
# the loading itself (a ready page, then an input) share one page per language, its engine started once, and
# reach each calculator by Material's instant navigation, which keeps the engine (see
# test_instant_navigation_keeps_one_worker). Each test starts from a known state: a freshly drawn calculator
# (its example, no fragment), screen media, the default viewport, no print class, a Watch of its own.

VIEWPORT = {"width": 1280, "height": 900}
MARK = "__calcSharedPage"  # set on the window after the full load; gone if a test reloaded the page

# A click on a link to ``url`` (as on any link of the page: Material's instant navigation takes it, its sitemap
# lists the page), after marking the content it is to replace. As a reader's click does, it first takes the focus
# from the field typed in: that field's change is written (to the fragment of the page it belongs to) before the
# page is left, not after, when it would land in the next page's address (seen: travel's inputs on attendance).
NAVIGATE = """(url) => {
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
    for (const el of document.querySelectorAll('[data-md-component=container]')) el.setAttribute('data-test-left', '');
    const a = document.createElement('a');
    a.href = url;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
}"""
ARRIVED = """([path, name]) => location.pathname === path && !location.hash && !document.querySelector('[data-test-left]')
    && (!name || document.querySelector(`[data-calculator=${name}][data-calc-mounted]`) !== null)"""


def _path(url: str) -> str:
    return urlsplit(url).path


class SharedPage:
    """A calculator page of one language whose engine has started once, reused test after test."""

    def __init__(self, browser, site, lang: str):
        self.browser, self.site, self.lang = browser, site, lang
        self.full_loads = 0
        self.tests = 0
        self._new()

    def _new(self):
        self.context = self.browser.new_context(viewport=VIEWPORT, service_workers="block")
        self.page = self.context.new_page()
        self.page.watch = Watch(self.page, self.site.url)
        self.page.shared = self  # page.shared.goto(url): instant navigation to a page that is not a calculator
        self.context.on("request", self.page.watch._request)  # includes requests from workers
        self._load()

    def _load(self):
        """A full load of a calculator page: the engine up and Material's instant navigation set up."""
        self.page.goto(calc_url(self.site, "travel", self.lang))
        self._ready()

    def _ready(self):
        self.full_loads += 1
        self.page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
        ready_for_instant_navigation(self.page)
        self.page.evaluate(f"() => {{ window.{MARK} = true; }}")

    def _after_a_full_load(self):
        """A test reloaded the page, or Material did not take a click: the page as it is if it has a
        calculator (its engine is the one to keep), else a calculator page loaded."""
        if self.page.evaluate(f"() => window.{MARK} === true"):
            return
        if self.page.locator("[data-calculator]").count():
            self._ready()
        else:
            self._load()

    def begin(self):
        """The known state a test starts from (what an earlier test changed is put back)."""
        if self.page.is_closed():
            self.context.close()
            self.tests = 0
            self._new()
        for other in self.context.pages:
            if other != self.page:
                other.close()
        self.page.set_viewport_size(VIEWPORT)
        self.page.emulate_media(media="null")
        self.page.evaluate("""() => { window.dispatchEvent(new Event('afterprint'));
                                      document.documentElement.classList.remove('calc-printing'); }""")
        self._after_a_full_load()
        if self.tests:  # the first test saw the page load: what it recorded stays
            self.page.watch.errors.clear()
            self.page.watch.foreign.clear()
        self.tests += 1

    def goto(self, url: str, name: str | None = None):
        """Go to ``url`` by instant navigation (a full load only if Material did not take the click)."""
        self._after_a_full_load()  # a test may have reloaded the page
        self.page.evaluate(NAVIGATE, url)
        self.page.wait_for_function(ARRIVED, arg=[_path(url), name], timeout=ENGINE_TIMEOUT)
        self._after_a_full_load()

    def open(self, name: str):
        """The calculator drawn afresh with its example: by way of the calculators' index if it is open already."""
        url = calc_url(self.site, name, self.lang)
        if self.page.evaluate("() => location.pathname") == _path(url):
            self.goto(url.rsplit(name + "/", 1)[0])
        self.goto(url, name)
        return self.page


@pytest.fixture(scope="module")
def shared_pages(browser, site):
    made: dict[str, SharedPage] = {}

    def get(lang: str) -> SharedPage:
        if lang not in made:
            made[lang] = SharedPage(browser, site, lang)
        return made[lang]

    yield get
    for shared in made.values():
        shared.context.close()


@pytest.fixture
def calc_page(shared_pages):
    """``calc_page(name, lang)``: the shared page of that language showing calculator ``name`` drawn afresh,
    engine ready, the state of the page reset (the first call of a test) and its Watch recording this test only."""
    begun = set()

    def open_(name: str, lang: str = "zh"):
        shared = shared_pages(lang)
        if lang not in begun:
            shared.begin()
            begun.add(lang)
        return shared.open(name)

    yield open_
    for lang in begun:  # a tab a test opened beside it
        shared = shared_pages(lang)
        for other in shared.context.pages:
            if other != shared.page:
                other.close()


# ---------------------------------------------------------------------------------- correctness


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_golden_cases_give_the_cli_total(calc_page, lang):
    """Every golden case once, the two languages taking turns (each calculator is run in both)."""
    mismatches = []
    for name in CALCS:
        cases = [c for c in GOLDEN if c["calculator"] == name][(lang == "en")::2]
        page = calc_page(name, lang)
        page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
        for case in cases:
            want = native(name, case["input"])["total_text"]
            # through the page: the fragment, the form, the result shown
            got = set_hash_and_wait(page, share(case["input"]))
            if not got["ok"] or got["total"] != want or total(page) != shown_total(native(name, case["input"])):
                mismatches.append((name, case["name"], want, got))
        # and straight from Python in the worker, every case of the calculator in one call (the page may show
        # the build-time result when the case is the page's own example)
        outputs = page.evaluate(ENGINE_RUN_ALL, [name, [json.dumps(case["input"]) for case in cases]])
        assert len(outputs) == len(cases), name
        for case, output in zip(cases, outputs, strict=True):
            want = native(name, case["input"])["total_text"]
            engine = json.loads(output)
            if engine["result"]["total_text"] != want:
                mismatches.append((name, case["name"], want, "engine", engine["result"]["total_text"]))
    assert not mismatches, mismatches
    page.watch.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_opening_a_share_link_computes_it(page, site, lang):
    cases = [c for c in GOLDEN if c["calculator"] == "travel"]
    case = max(cases, key=lambda c: len(c["input"].get("legs", [])))
    want = native("travel", case["input"])["total_text"]
    page.goto(calc_url(site, "travel", lang) + share(case["input"]))
    page.wait_for_selector("[data-calculator][data-calc-state=ready][data-calc-source=engine]", timeout=ENGINE_TIMEOUT)
    assert total(page) == want
    assert page.locator("[data-repeat=legs] [data-row]").count() == len(case["input"]["legs"])
    page.watch.assert_clean()


def test_default_total_is_there_before_python(page, site):
    """The page carries the build-time result of its example: shown at once, and right."""
    for name in CALCS:
        page.goto(calc_url(site, name))
        want = shown_total(native(name, json.loads(page.locator("[data-calc-default]").get_attribute("data-calc-default"))))
        page.wait_for_selector("[data-calculator][data-calc-state=ready]", timeout=5_000)
        assert total(page) == want, name
        assert page.locator("[data-calculator]").get_attribute("data-calc-source") == "build"
    page.watch.assert_clean()


# ---------------------------------------------------------------------------------- the form


def test_form_edits_update_the_result_and_the_share_link(calc_page):
    page = calc_page("travel")
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    page.select_option("[data-path='rank']", "other")
    page.select_option("[data-path='legs[0].region']", label="安岳")
    page.fill("[data-path='legs[0].days']", "3")
    page.click("[data-repeat=legs] [data-repeat-add]")
    page.select_option("[data-path='legs[1].region']", label="甘孜")
    page.fill("[data-path='legs[1].days']", "2")
    if page.locator("[data-group-toggle=lodging]").is_checked():
        page.click("[data-group-toggle=lodging]")
    while page.locator("[data-repeat=transport] [data-row]").count():
        page.locator("[data-repeat=transport] [data-repeat-remove]").first.click()
    expected_input = {"rank": "other", "legs": [{"region": "ziyang_county", "days": 3}, {"region": "in_province_ethnic", "days": 2}], "transport": []}
    want = native("travel", expected_input)["total_text"]
    page.wait_for_selector("[data-calculator][data-calc-state=ready]", timeout=ENGINE_TIMEOUT)
    page.wait_for_function("(w) => document.querySelector('[data-calc-total]').textContent === w", arg=want)
    # every line has an amount and a link to its clause
    rows = page.locator("[data-calc-lines] tbody tr")
    assert rows.count() >= 4
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        assert cells.nth(1).text_content().strip()
        href = cells.nth(2).locator("a").get_attribute("href")
        assert "finance/travel/#finance.travel." in href
    # the share link round trip, in another tab
    page.click("[data-calc-share]")
    link = page.locator("[data-calc-share]").get_attribute("href")
    assert "#input=" in link and link == page.url
    data = json.loads(unquote(link.split("#input=")[1]))
    assert native("travel", data)["total_text"] == want
    other = page.context.new_page()
    other.goto(link)
    other.wait_for_selector("[data-calculator][data-calc-state=ready][data-calc-source=engine]", timeout=ENGINE_TIMEOUT)
    assert other.locator("[data-calc-total]").text_content() == want
    assert other.locator("[data-path='legs[1].days']").input_value() == "2"
    assert other.locator("[data-path='legs[0].region'] option:checked").text_content() in ("简阳", "安岳", "乐至")
    assert other.locator("[data-path='legs[1].region'] option:checked").text_content() in ("甘孜", "阿坝", "凉山")
    page.watch.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bad_input_shows_the_engine_message_at_the_field_and_no_total(calc_page, lang):
    page = calc_page("travel", lang)
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    page.fill("[data-path='legs[0].days']", "2.5")
    page.wait_for_selector("[data-calculator][data-calc-state=error]", timeout=ENGINE_TIMEOUT)
    assert "error" in native("travel", json.loads(page.locator("[data-calculator]").get_attribute("data-calc-input")))
    box = page.locator("[data-error-for='legs[0].days']")
    assert box.is_visible()
    # the page's language only, the field named by its label, never by its code (issue 21)
    other = "en" if lang == "zh" else "zh"
    assert box.locator(f":scope > [lang={lang}]").text_content().strip() and box.locator(f":scope > [lang={other}]").count() == 0
    assert ("第1段行程 · 天数" if lang == "zh" else "Leg 1 · Days") in box.text_content()
    assert "legs[0].days" not in box.text_content()
    assert total(page) == ""
    assert not page.locator("[data-calc-lines]").is_visible()
    assert page.locator("[data-path='legs[0].days']").get_attribute("aria-invalid") == "true"
    # fixing it brings the total back
    page.fill("[data-path='legs[0].days']", "2")
    page.wait_for_selector("[data-calculator][data-calc-state=ready]", timeout=ENGINE_TIMEOUT)
    assert total(page) != ""
    page.watch.assert_clean()


def test_hostile_fragments_are_shown_as_text(calc_page):
    page = calc_page("travel")
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    set_hash_and_wait(page, "#input=" + quote("<img src=x onerror=window.__pwned=1>"))
    page.wait_for_selector("[data-calculator][data-calc-state=error]", timeout=ENGINE_TIMEOUT)
    assert "<img src=x onerror=window.__pwned=1>" in page.locator("[data-error-for='']").text_content()
    assert page.locator("[data-calculator] img").count() == 0
    hostile = {"rank": "<img src=x onerror=window.__pwned=2>", "legs": [{"region": "<b>bold</b>", "days": 1}]}
    set_hash_and_wait(page, share(hostile))
    page.wait_for_selector("[data-calculator][data-calc-state=error]", timeout=ENGINE_TIMEOUT)
    assert page.locator("[data-calculator] img, [data-calculator] b").count() == 0
    shown = page.locator("[data-path=rank] option:checked").text_content()
    assert "<img src=x onerror=window.__pwned=2>" in shown
    assert total(page) == ""
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__pwned") is None
    page.watch.assert_clean()


# ---------------------------------------------------------------------------------- the runtime


def click_link_to(page, suffix: str, wait: float = 0) -> bool:
    """Click (as a reader would, so that Material's instant navigation takes it) a link to suffix,
    waiting up to ``wait`` seconds for one to appear."""
    if wait:
        try:
            page.wait_for_function(LINK_TO, arg=suffix, timeout=wait * 1000)
        except Exception:
            return False
    handle = page.evaluate_handle(LINK_TO, suffix)
    element = handle.as_element()
    if element is None:
        return False
    element.click()
    return True


def test_instant_navigation_keeps_one_worker(page, site):
    page.goto(calc_url(site, "travel"))
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    ready_for_instant_navigation(page)
    page.evaluate("() => { window.__calcMarker = 7; }")
    started = engine(page, "rt.startedAt")
    for name in ("training", "reception", "travel"):
        if not click_link_to(page, f"/calculators/{name}/"):
            assert click_link_to(page, "/calculators/"), "no link to the calculators"
            assert click_link_to(page, f"/calculators/{name}/", wait=15), f"no link to {name}"
        page.wait_for_url(f"**/calculators/{name}/")
        page.wait_for_selector(f"[data-calculator={name}] {READY}", timeout=ENGINE_TIMEOUT)
        case = next(c for c in GOLDEN if c["calculator"] == name)
        got = set_hash_and_wait(page, share(case["input"]))
        assert got["total"] == native(name, case["input"])["total_text"], name
    assert page.evaluate("() => window.__calcMarker") == 7  # no full page load
    assert engine(page, "rt.startedAt") == started
    assert len([w for w in page.workers if "calc-worker" in w.url]) == 1
    page.watch.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_engine_starts_from_the_head_of_a_calculator_page(page, site, lang):
    """The worker is created while the head is parsed (overrides/main.html), before the page's own
    scripts have run, and it is the one worker the page then uses: one calc-worker, the early one."""
    page.goto(calc_url(site, "leave", lang) + share({"kind": "personal", "days": 3, "role": "staff"}))
    page.wait_for_selector("[data-calculator][data-calc-source=engine]", timeout=ENGINE_TIMEOUT)
    timing = page.evaluate(f"""async () => {{ const bus = await {BUS};
                                      return {{started: bus.current(bus.TOPIC.engine).startedAt,
                                               interactive: performance.getEntriesByType('navigation')[0].domInteractive,
                                               early: bus.current(bus.TOPIC.earlyWorker) === null}}; }}""")
    assert timing["started"] < timing["interactive"], timing
    assert timing["early"], "the page left the early worker unadopted"
    workers = [w.url for w in page.workers if "calc-worker" in w.url]
    assert len(workers) == 1 and workers[0].endswith("calc-worker.js?early"), workers
    assert total(page) == native("leave", {"kind": "personal", "days": 3, "role": "staff"})["total_text"]
    page.watch.assert_clean()


def test_plain_pages_load_no_pyodide(page, site):
    seen = []
    page.on("request", lambda r: seen.append(r.url))
    for path in ("", "finance/travel/", "en/labour/attendance/", "glossary/"):
        page.goto(site.url + path)
        page.wait_for_load_state("networkidle")
    heavy = [u for u in seen if "/assets/pyodide/" in u or "/assets/calc/" in u]
    assert not heavy, heavy
    assert not [w for w in page.workers if "calc-worker" in w.url]
    page.watch.assert_clean()


def test_status_is_shown_while_python_starts(page, site):
    page.goto(calc_url(site, "study"))
    status = page.locator("[data-calc-status]")
    assert status.text_content().strip()
    page.fill("[data-path='sessions_attended']", "9")  # the form works before the engine is up
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    page.wait_for_selector("[data-calculator][data-calc-state=ready][data-calc-source=engine]", timeout=ENGINE_TIMEOUT)
    data = json.loads(page.locator("[data-calculator]").get_attribute("data-calc-input"))
    assert data["sessions_attended"] == 9
    assert total(page) == native("study", data)["total_text"]
    page.watch.assert_clean()


FAILURES = {  # how the start-up is broken -> the cause the notice names, and words of it in zh and en
    "no-webassembly": ("unsupported", "新版浏览器", "recent browser"),
    "wasm-missing": ("http", "服务器上缺失", "server is missing"),
    "offline": ("offline", "连接中断", "connection to this site was lost"),
    "wasm-truncated": ("corrupt", "损坏或不完整", "damaged or incomplete"),
    # the same size, one bit off: it still compiles; only its SHA-256 (the manifest's wasm_sha256) tells
    "wasm-one-bit-off": ("corrupt", "损坏或不完整", "damaged or incomplete"),
    # the snapshot cut short, or of the right size with one bit off: its seal refuses it, no silent plain start
    "snapshot-truncated": ("corrupt", "损坏或不完整", "damaged or incomplete"),
    "snapshot-one-bit-off": ("corrupt", "损坏或不完整", "damaged or incomplete"),
    # headers and 64 kB of the snapshot, then nothing: said after the idle time, not the watchdog's
    "snapshot-stalls": ("stalled", "下载中途停止", "stopped part-way"),
    # the same for Pyodide's Emscripten module, which Pyodide would import() itself, unwatched
    "pyodide-module-stalls": ("stalled", "下载中途停止", "stopped part-way"),
}
STALL_MS = 2000  # the idle time the "stalls" case sets (download.js STALL_TIMEOUT_MS is the default)


@pytest.fixture(scope="module")
def file_server():
    """A real HTTP server for the damaged files: ``files[name] = (content_type, body)`` is answered in
    full; a body of None gets its headers and the first 64 kB of a body promised in full (Content-Length),
    then nothing while the test runs (a route cannot stall a body half-way). The browser's request is
    sent here by ``route.continue_(url=…)``: fast where a 16 MB ``route.fulfill`` crawls through the
    DevTools protocol on a loaded machine."""
    import socket
    import threading

    files: dict[str, tuple[str, bytes | None]] = {}
    stop = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    held = []

    def answer(conn):
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(65536)
            if not chunk:
                return
            head += chunk
        name = head.split(b" ", 2)[1].decode().lstrip("/")
        kind, body = files[name]
        length = 16_000_000 if body is None else len(body)
        conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {length}\r\n"
                     "Cache-Control: no-store\r\nConnection: close\r\n\r\n".encode())
        if body is None:
            conn.sendall(b"\x00" * 65536)
            held.append(conn)  # and then nothing
        else:
            conn.sendall(body)
            conn.close()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=answer, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/", files
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    listener.close()


def _one_bit_off(data: bytes, at: int) -> bytes:
    bad = bytearray(data)
    bad[at] ^= 0x01
    return bytes(bad)


@pytest.mark.parametrize("how", list(FAILURES))
def test_failure_to_start_is_said_at_once_with_its_cause_in_both_languages(browser, site, how, request):
    """Each cause has its own notice, within 5 s (not the 90 s watchdog), and Retry (#22)."""
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    routes = []

    def route(pattern, handler):
        routes.append(pattern)
        context.route(pattern, handler)

    def serve(pattern, name, kind, body):
        base, files = request.getfixturevalue("file_server")
        files[name] = (kind, body)
        route(pattern, lambda r: r.continue_(url=base + name))

    wasm_path = next((site.path / "assets" / "pyodide").glob("*/pyodide.asm.wasm"))
    snapshot = next((site.path / "assets" / "calc").glob("snapshot.*.bin"))
    if how == "no-webassembly":
        page.add_init_script("Object.defineProperty(window, 'WebAssembly', { value: undefined });")
    elif how == "wasm-missing":
        route("**/assets/pyodide/**", lambda r: r.fulfill(status=404, body="gone"))
    elif how == "offline":
        route("**/assets/pyodide/**", lambda r: r.abort("internetdisconnected"))
    elif how.startswith("wasm-"):
        wasm = wasm_path.read_bytes()
        body = wasm[: len(wasm) // 3] if how == "wasm-truncated" else _one_bit_off(wasm, len(wasm) - 64)
        serve("**/pyodide.asm.wasm", how, "application/wasm", body)
    elif how.endswith("-stalls"):
        start_options(page, {"stallTimeout": STALL_MS})
        if how == "snapshot-stalls":
            serve("**/assets/calc/snapshot.*.bin", how, "application/octet-stream", None)
        else:
            serve("**/pyodide.asm.mjs", how, "text/javascript", None)
    else:
        data = snapshot.read_bytes()
        body = data[: len(data) // 2] if how == "snapshot-truncated" else _one_bit_off(data, len(data) // 2)
        serve("**/assets/calc/snapshot.*.bin", how, "application/octet-stream", body)
    page.goto(calc_url(site, "travel") + share({"rank": "other", "legs": [{"region": "in_province", "days": 2}]}))
    page.wait_for_selector("[data-calc-failure]:not([hidden])", timeout=5_000)
    cause, zh, en = FAILURES[how]
    box = page.locator("[data-calc-failure]")
    assert box.get_attribute("data-cause") == cause, page.locator("[data-calc-failure-detail]").text_content()
    assert zh in box.locator("p[lang=zh]").text_content()
    assert en in box.locator("p[lang=en]").text_content()
    assert page.locator("[data-calculator]").get_attribute("data-calc-state") == "failed"
    assert total(page) == ""  # never a total that was not computed for these inputs
    if how != "no-webassembly":  # Retry, the file whole this time: the engine starts and computes
        for pattern in routes:
            context.unroute(pattern)
        box.locator("[data-calc-retry]").click()
        page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
        page.wait_for_selector("[data-calculator][data-calc-state=ready][data-calc-source=engine]", timeout=ENGINE_TIMEOUT)
        assert box.is_hidden()
        if how.startswith("snapshot-"):
            assert engine(page, "rt.mode") == "snapshot"
    context.close()


def test_print_worksheet(calc_page):
    page = calc_page("travel")
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    sheet = page.locator("[data-calc-sheet]")
    assert sheet.is_visible()
    assert not page.locator("[data-calc-form]").is_visible()
    text = sheet.text_content()
    for words in ("出差审批单", "费用报销单", "经办人", "属实", "办公室主任", "分管财务领导"):
        assert words in text, words
    assert page.locator("[data-sheet-lines] tbody tr").count() >= 3
    assert page.locator("[data-sheet-total]").text_content().startswith(total(page))
    assert page.locator("[data-sheet-inputs] .calc-sheet__kv").count() >= 3
    assert page.locator("[data-sheet-date]").text_content()
    page.watch.assert_clean()


# ---------------------------------------------------------------------------------- readable results (#11)


def test_empty_and_stale_panels_are_hidden(calc_page):
    """Material's .admonition beats the hidden attribute: the warning and notes boxes must still hide."""
    page = calc_page("attendance")
    page.wait_for_selector("[data-calculator][data-calc-state=ready]", timeout=5_000)
    assert not page.locator("[data-calc-warnings]").is_visible()
    assert not page.locator("[data-calc-notes]").is_visible()
    calc_page("travel")
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    assert page.locator("[data-calc-notes]").is_visible() or page.locator("[data-calc-warnings]").is_visible()
    page.fill("[data-path='lodging.amount']", "abc")
    page.wait_for_selector("[data-calculator][data-calc-state=error]", timeout=ENGINE_TIMEOUT)
    assert not page.locator("[data-calc-warnings]").is_visible()  # no stale warning beside "—"
    assert not page.locator("[data-calc-notes]").is_visible()
    page.watch.assert_clean()


@pytest.mark.parametrize("typed", ["６００元", "600元", "1,200"])
def test_amounts_are_accepted_as_people_type_them(calc_page, typed):
    page = calc_page("travel")
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    page.fill("[data-path='lodging.amount']", typed)
    page.wait_for_selector("[data-calculator][data-calc-state=ready][data-calc-source=engine]", timeout=ENGINE_TIMEOUT)
    data = json.loads(page.locator("[data-calculator]").get_attribute("data-calc-input"))
    assert data["lodging"]["amount"] == {"６００元": 600, "600元": 600, "1,200": 1200}[typed]
    assert total(page) == native("travel", data)["total_text"]
    page.watch.assert_clean()


def test_invalid_field_is_described_by_its_message_and_outlined(calc_page):
    page = calc_page("travel")
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    field = page.locator("[data-path='legs[0].days']")
    page.fill("[data-path='legs[0].days']", "2.5")
    page.wait_for_selector("[data-calculator][data-calc-state=error]", timeout=ENGINE_TIMEOUT)
    assert field.get_attribute("aria-invalid") == "true"
    ids = (field.get_attribute("aria-describedby") or "").split()
    assert ids, "the invalid field names no description"
    message = page.locator(f"[id='{ids[-1]}']")
    assert message.is_visible() and message.get_attribute("data-error-for") == "legs[0].days"
    assert message.text_content().strip()
    color = field.evaluate("(el) => getComputedStyle(el).borderTopColor")
    assert color == "rgb(198, 40, 40)", color  # the red border shows
    page.fill("[data-path='legs[0].days']", "2")
    page.wait_for_selector("[data-calculator][data-calc-state=ready]", timeout=ENGINE_TIMEOUT)
    assert field.get_attribute("aria-invalid") is None and not field.get_attribute("aria-describedby")
    page.watch.assert_clean()


def test_phone_shows_a_compact_total_while_editing(browser, site):
    context = browser.new_context(viewport={"width": 375, "height": 667}, service_workers="block")
    page = context.new_page()
    page.goto(calc_url(site, "travel"))
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    days = page.locator("[data-path='legs[0].days']")
    days.scroll_into_view_if_needed()
    days.fill("5")
    page.wait_for_selector("[data-calculator][data-calc-state=ready][data-calc-source=engine]", timeout=ENGINE_TIMEOUT)
    mini = page.locator("[data-calc-mini]")
    mini.wait_for(state="visible")
    page.wait_for_function("() => document.querySelector('[data-calc-mini-total]').textContent === document.querySelector('[data-calc-total]').textContent")
    assert total(page) != ""
    box = mini.bounding_box()
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= 667, box  # in view while editing
    field = days.bounding_box()
    assert field["y"] + field["height"] <= box["y"], (field, box)  # and not over the field
    # a field further down, reached with Tab, stops above it too (html's scroll-padding-bottom)
    page.locator("[data-path='rank']").focus()
    page.evaluate("window.scrollTo(0, 0)")
    seen = 0
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("""(() => { const a = document.activeElement;
            if (!a.closest('[data-calc-form]')) return null;
            const r = a.getBoundingClientRect(); return [r.top, r.bottom]; })()""")
        if focused is None:
            break
        seen += 1
        mini_top = mini.bounding_box()["y"]
        assert focused[1] <= mini_top + 1, f"focused field {seen} ({focused}) sits under the compact total (top {mini_top})"
    assert seen >= 5
    mini.click()
    page.wait_for_function("() => { const r = document.querySelector('[data-calc-result]').getBoundingClientRect(); return r.top >= -1 && r.top < 667; }")
    assert "#input=" in page.url  # the link to the breakdown keeps the inputs in the URL
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_address_keeps_the_inputs_while_the_page_scrolls(calc_page, site, lang):
    """Material's navigation.tracking rewrites the URL's fragment on scroll (the heading in view, or
    none): on a calculator page that dropped #input=…, so a reload or a copied address lost the
    reader's figures (and the phone test above failed whenever its scroll outlasted 250 ms). Reset
    still clears the fragment; rule pages keep Material's tracking."""
    page = calc_page("travel", lang)
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    page.fill("[data-path='legs[0].days']", "6")
    page.wait_for_selector("[data-calculator][data-calc-state=ready][data-calc-source=engine]", timeout=ENGINE_TIMEOUT)
    written = page.evaluate("location.hash")
    assert written.startswith("#input=") and "6" in written
    for y in ("document.body.scrollHeight", "0", "document.querySelector('h2[id]').offsetTop + 50"):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(700)  # Material waits 250 ms after the scroll ends
        assert page.evaluate("location.hash") == written, f"scrolled to {y}: the address lost the inputs"
    page.reload()
    page.wait_for_selector("[data-calculator][data-calc-state=ready]", timeout=ENGINE_TIMEOUT)
    assert page.input_value("[data-path='legs[0].days']") == "6"  # the reloaded page has the reader's figures
    page.click("[data-calc-reset]")
    page.wait_for_function("() => !location.hash")
    # on a rule page Material still follows the reading position (the calculators' guard is released),
    # reached by instant navigation from the calculator
    page.shared.goto(f"{site.url}{'en/' if lang == 'en' else ''}finance/travel/")
    for part in (4, 3, 2):  # Material skips the first scroll it sees
        page.evaluate(f"window.scrollTo(0, document.body.scrollHeight / {part})")
        page.wait_for_timeout(400)
    page.wait_for_function("() => location.hash.length > 1", timeout=5_000)
    page.watch.assert_clean()


def test_result_tables_name_what_they_hold(calc_page):
    page = calc_page("leave", "en")
    page.wait_for_selector("[data-calculator][data-calc-state=ready]", timeout=5_000)
    assert page.locator("[data-calc-amount-head]").text_content() == "Days"
    assert page.locator("[data-calc-total]").text_content() == "1"
    assert page.locator("[data-calc-unit]").text_content() == "day"  # "Total 1 day"
    page.watch.assert_clean()  # the English page, shared by the English tests
    page = calc_page("study")
    page.wait_for_selector("[data-calculator][data-calc-state=ready]", timeout=5_000)
    assert page.locator("[data-calc-amount-head]").text_content() == "得分"
    calc_page("attendance")  # the example is a late arrival
    page.wait_for_selector("[data-calculator][data-calc-state=ready]", timeout=5_000)
    assert not page.locator("[data-calc-total-box]").is_visible()  # no "合计 0 天"
    assert "迟到" in page.locator("[data-calc-decision]").text_content()
    calc_page("travel")
    page.wait_for_selector("[data-calculator][data-calc-state=ready]", timeout=5_000)
    assert page.locator("[data-calc-amount-head]").text_content() == "金额(元)"
    page.watch.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_worksheet_carries_the_share_link_and_speaks_the_page_language(calc_page, lang):
    page = calc_page("travel", lang)
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    page.fill("[data-path='legs[0].days']", "3")
    page.wait_for_selector("[data-calculator][data-calc-state=ready][data-calc-source=engine]", timeout=ENGINE_TIMEOUT)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    url = page.locator("[data-sheet-url]").text_content()
    assert "#input=" in url
    assert json.loads(unquote(url.split("#input=")[1]))["legs"][0]["days"] == 3
    text = page.locator("[data-calc-sheet]").text_content()
    assert "2))" not in text
    if lang == "en":
        assert "(四)" not in text and "(4)" in page.locator(".calc-sheet__meta").text_content()
    # sign-off boxes from data/worksheets.yaml, in the page's language
    assert ("Travel approval form" if lang == "en" else "出差审批单") in text
    # and a QR code of the same link, drawn from the site's own copy of uqr
    page.wait_for_selector("[data-sheet-qr] svg path", state="attached", timeout=10_000)
    assert page.locator("[data-sheet-qr]").is_visible()
    page.watch.assert_clean()


def test_leave_worksheet_lists_the_approvers_the_engine_names(calc_page):
    page = calc_page("leave")
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    set_hash_and_wait(page, share({"kind": "personal", "days": 5, "role": "staff"}))
    page.wait_for_selector("[data-calculator][data-calc-state=ready][data-calc-source=engine]", timeout=ENGINE_TIMEOUT)
    want = native("leave", {"kind": "personal", "days": 5, "role": "staff"})["decision"]["approvers"]
    rows = page.locator("[data-sheet-approvers] tr th")
    assert [rows.nth(i).text_content() for i in range(rows.count())] == [a["zh"] for a in want]
    assert "请假人" in page.locator("[data-calc-sheet]").text_content()
    page.watch.assert_clean()


# ---------------------------------------------------------------------------------- faults (#13)


def _faulty(browser, options: dict | None = None):
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    if options:
        start_options(page, options)
    return context, page


@pytest.mark.parametrize("how", ["abort", "404"])
def test_blocked_wasm_is_said_at_once_and_an_edit_clears_the_total(browser, site, how):
    context, page = _faulty(browser)
    if how == "abort":
        context.route("**/pyodide.asm.wasm", lambda route: route.abort("blockedbyclient"))
    else:
        context.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(calc_url(site, "travel"))
    page.wait_for_selector("[data-calculator][data-calc-state=ready]", timeout=5_000)
    # the example, computed at build time (as the engine computes it from the data under test)
    assert total(page) == shown_total(native("travel", example_input(page)))
    page.wait_for_selector("[data-calc-failure]:not([hidden])", timeout=5_000)
    box = page.locator("[data-calc-failure]")
    assert box.get_attribute("data-cause") == {"abort": "offline", "404": "http"}[how]  # its own notice
    assert "重试" in box.locator("p[lang=zh]").text_content() and "Retry" in box.locator("p[lang=en]").text_content()
    assert "wasm" in page.locator("[data-calc-failure-detail]").text_content()
    page.fill("[data-path='legs[0].days']", "6")
    page.wait_for_selector("[data-calculator][data-calc-state=failed]", timeout=5_000)
    assert total(page) == ""  # the old total does not stay beside inputs it was not computed for
    assert page.locator("[data-calc-mini-total]").text_content() == ""
    context.close()


def test_a_stalled_start_times_out_and_says_so(browser, site):
    context, page = _faulty(browser, {"startTimeout": 4000})
    context.route("**/pyodide.asm.wasm", lambda route: None)  # never answered
    page.goto(calc_url(site, "travel") + share({"rank": "other", "legs": [{"region": "in_province", "days": 2}]}))
    page.wait_for_selector("[data-calc-failure]:not([hidden])", timeout=20_000)
    detail = page.locator("[data-calc-failure-detail]").text_content()
    assert "4 秒" in detail and "within 4 s" in detail  # the timeout, in both languages
    assert page.locator("[data-calculator]").get_attribute("data-calc-state") == "failed"
    assert total(page) == ""
    context.close()


@pytest.mark.parametrize(
    "payload, words",
    [
        ("[" * 5000 + "]" * 5000, ("嵌套过深", "nested too deeply")),
        # the bound is the travel calculator's declared one (calculators/travel.py FIELDS), read by the form
        (json.dumps({"rank": "other", "legs": [{"region": "in_province", "days": 1}] * 1000}),
         (f"最多 {MAX_LEGS} 项", f"at most {MAX_LEGS}")),
    ],
    ids=["5000-deep", "1000-legs"],
)
def test_hostile_links_are_refused_at_once(calc_page, payload, words):
    page = calc_page("travel")
    set_hash_and_wait(page, "#input=" + quote(payload, safe=""))
    page.wait_for_selector("[data-calculator][data-calc-state=error]", timeout=5_000)
    message = page.locator("[data-error-for='']")
    assert words[0] in message.locator(":scope > [lang=zh]").text_content()
    assert message.locator(":scope > [lang=en]").count() == 0  # the Chinese page speaks Chinese only
    assert page.locator("[data-repeat=legs] [data-row]").count() == 1  # the example, not 1,000 rows
    assert total(page) == ""
    page.watch.assert_clean()


# ---------------------------------------------------------------------------------- what to attach, rules version (#9)


def example_input(page) -> dict:
    return json.loads(page.locator("[data-calc-default]").get_attribute("data-calc-default"))


def assert_attachments_shown(items, result: dict, lang: str):
    """The <li>s of a list show the engine's attachments in order, each linked to its clause in the page's language."""
    want = result["attachments"]
    assert want, "the engine names nothing to attach for this input"
    assert items.count() == len(want)
    for i, a in enumerate(want):
        item = items.nth(i)
        assert item.text_content().startswith(a["label"][lang]), (item.text_content(), a)
        if a.get("when"):
            assert a["when"][lang] in item.text_content()
        href = item.locator("a.calc-clause").get_attribute("href")
        cite = result["citations"][a["clause"]]
        assert href.endswith(f"{cite['page']}#{cite['anchor']}"), (href, cite)
        assert ("/en/" in href) == (lang == "en"), href


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_result_lists_what_to_attach_with_clause_links(calc_page, site, lang):
    page = calc_page("travel", lang)
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    data = dict(example_input(page), date="2024-05-01")
    set_hash_and_wait(page, share(data))
    want = native("travel", data)
    box = page.locator("[data-calc-attachments]")
    assert box.is_visible()
    assert box.locator(".admonition-title").text_content() == ("What to attach" if lang == "en" else "需附材料")
    assert_attachments_shown(box.locator("li"), want, lang)
    rules = page.locator("[data-calc-rules-as-of]")
    assert rules.is_visible() and want["rules_as_of"] in rules.text_content()
    # each link leads to a page of the built site that holds the clause's anchor
    for a in want["attachments"]:
        cite = want["citations"][a["clause"]]
        built = site.path / ("en" if lang == "en" else "") / cite["page"] / "index.html"
        assert f'id="{cite["anchor"]}"' in built.read_text(encoding="utf-8"), (built, cite["anchor"])
    page.watch.assert_clean()


def test_attachments_box_hides_when_there_is_nothing_to_attach(calc_page):
    page = calc_page("attendance")
    page.wait_for_selector("[data-calculator][data-calc-state=ready]", timeout=5_000)
    assert native("attendance", example_input(page))["attachments"] == []
    assert not page.locator("[data-calc-attachments]").is_visible()  # Material's .admonition beats [hidden]
    calc_page("travel")
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    assert page.locator("[data-calc-attachments]").is_visible()
    page.fill("[data-path='lodging.amount']", "abc")
    page.wait_for_selector("[data-calculator][data-calc-state=error]", timeout=ENGINE_TIMEOUT)
    assert not page.locator("[data-calc-attachments]").is_visible()  # no stale list beside "—"
    assert not page.locator("[data-calc-rules-as-of]").is_visible()
    page.watch.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_worksheet_lists_what_to_attach_the_rules_date_and_the_expense_date(calc_page, lang):
    page = calc_page("travel", lang)
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    data = dict(example_input(page), date="2024-05-01")
    set_hash_and_wait(page, share(data))
    want = native("travel", data)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    box = page.locator("[data-sheet-attachments]")
    assert box.is_visible()
    assert_attachments_shown(box.locator("li"), want, lang)
    rules = page.locator("[data-sheet-rules-as-of]")
    assert rules.is_visible() and want["rules_as_of"] in rules.text_content()
    rows = page.locator("[data-sheet-inputs] .calc-sheet__kv")
    pairs = [(rows.nth(i).locator("span").first.text_content(), rows.nth(i).locator("span").last.text_content()) for i in range(rows.count())]
    assert ("First day of the trip" if lang == "en" else "出差首日", "2024-05-01") in pairs, pairs
    page.watch.assert_clean()


def test_reception_result_lists_the_official_letter_and_the_reception_list(calc_page):
    page = calc_page("reception")
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    want = native("reception", example_input(page))
    items = page.locator("[data-calc-attachments] li")
    assert_attachments_shown(items, want, "zh")
    # the example is a business reception: the visitors' letter, never the official reception's 派出单位公函 (issue 21;
    # the clause links after each name may quote the clause, which names both)
    names = [items.nth(i).text_content() for i in range(items.count())]
    assert any(n.startswith("客商来函") for n in names) and any(n.startswith("接待清单") for n in names)
    assert not any(n.startswith("派出单位公函") for n in names)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    sheet = page.locator("[data-sheet-attachments] li")
    names = [sheet.nth(i).text_content() for i in range(sheet.count())]
    assert any(n.startswith("客商来函") for n in names) and any(n.startswith("接待清单") for n in names)
    assert not any(n.startswith("派出单位公函") for n in names)
    page.watch.assert_clean()


# ---------------------------------------------------------------------------------- claims a finance office accepts (#21)

BEIJING_CHENGDU = {"rank": "other", "date": "2026-12-07", "legs": [
    {"region": "out_of_province", "days": 2, "destination": "北京", "meal_rate": 100,
     "lodging": {"nights": 2, "amount": 1100, "invoice": True, "cap_per_night": 500}},
    {"region": "in_province", "days": 2, "destination": "成都",
     "lodging": {"nights": 1, "amount": 400, "invoice": True, "cap_per_night": 350}}],
    "transport": [{"amount": 553, "mode": "rail", "class": "hsr_second", "leg": 1},
                  {"amount": 30, "mode": "insurance", "leg": 1}]}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_shared_claim_with_lodging_per_city_shows_what_the_traveller_pays_and_the_documents(calc_page, lang):
    """One leg's own lodging per city (form, result, share link, printed worksheet), the amounts a rule cuts shown
    apart and not in the total, insurance on its leg, the documents exact for the case; then the trainee's
    ceiling is said on screen and on paper."""
    want = native("travel", BEIJING_CHENGDU)
    assert want["traveller_pays"]["lines"] and "error" not in want
    page = calc_page("travel", lang)
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    set_hash_and_wait(page, share(BEIJING_CHENGDU))
    page.wait_for_selector("[data-calculator][data-calc-state=ready][data-calc-source=engine]", timeout=ENGINE_TIMEOUT)
    assert total(page) == want["total_text"]
    # the form: each leg's own lodging group, open and filled, labelled in the page's language
    for i, leg in enumerate(BEIJING_CHENGDU["legs"]):
        assert page.locator(f"[data-group-toggle='legs[{i}].lodging']").is_checked()
        assert page.locator(f"[data-path='legs[{i}].lodging.cap_per_night']").input_value() == str(leg["lodging"]["cap_per_night"])
    legend = page.locator("[data-group='legs[1].lodging'] legend").text_content()
    assert ("Lodging on this leg" if lang == "en" else "本段住宿") in legend
    # the result: a lodging line per leg, the insurance line names its leg
    lines = page.locator("[data-calc-lines] tbody tr")
    texts = [lines.nth(i).text_content() for i in range(lines.count())]
    assert sum(("leg 2" if lang == "en" else "第 2 段行程") in x for x in texts) >= 1
    assert any(("insurance" if lang == "en" else "交通意外保险") in x for x in texts)
    own = page.locator("[data-calc-traveller-pays]")
    assert own.is_visible() and own.locator("li").count() == len(want["traveller_pays"]["lines"])
    assert want["traveller_pays"]["total_text"] in own.locator("[data-calc-traveller-pays-total]").text_content()
    assert_attachments_shown(page.locator("[data-calc-attachments] li"), want, lang)
    # the printed worksheet carries the same
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    sheet_own = page.locator("[data-sheet-traveller-pays]")
    assert sheet_own.is_visible() and sheet_own.locator("li").count() == len(want["traveller_pays"]["lines"])
    assert_attachments_shown(page.locator("[data-sheet-attachments] li"), want, lang)
    page.emulate_media(media="screen")
    # turning a leg's lodging off recomputes without it (the nested group's toggle is wired in its row)
    page.locator("[data-group-toggle='legs[1].lodging']").uncheck()
    without = dict(BEIJING_CHENGDU, legs=[BEIJING_CHENGDU["legs"][0], {k: v for k, v in BEIJING_CHENGDU["legs"][1].items() if k != "lodging"}])
    page.wait_for_function("(t) => document.querySelector('[data-calc-total]').textContent === t", arg=native("travel", without)["total_text"],
                           timeout=ENGINE_TIMEOUT)
    # trainee mode without actual costs: the figure is a ceiling on receipted costs, said on screen and on paper
    calc_page("training", lang)
    page.wait_for_selector("[data-calculator][data-calc-state=ready]", timeout=ENGINE_TIMEOUT)
    word = "ceiling" if lang == "en" else "最高额"
    assert word in page.locator("[data-calc-warnings]").text_content()
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert word in page.locator("[data-sheet-warnings]").text_content()
    page.watch.assert_clean()


# ---------------------------------------------------------------------------------- numbers, redraws (#22)


ERRAND_1E309 = '{"days":[{"meals":1e309,"taxi":0}]}'  # 1e309: a number no double holds (JSON.parse: Infinity)


def test_a_number_no_double_holds_is_refused_by_the_field_typed_and_linked(calc_page):
    """Typed or in a link, 1e309 is refused with the field's message; never read as "not given" (which
    dropped errand's total from 116.00 to 96.00 without a word, and wrote "meals":null into the link)."""
    from playwright.sync_api import expect

    page = calc_page("errand")
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    field = page.locator("[data-path='days[0].meals']")
    field.fill("1e309")
    page.wait_for_selector("[data-calculator][data-calc-state=error]", timeout=ENGINE_TIMEOUT)
    box = page.locator("[data-error-for='days[0].meals']")
    expect(box).to_contain_text("误餐次数")  # the field's own message, in the page's language
    expect(box).to_contain_text("0–10")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert total(page) == ""
    assert "null" not in unquote(page.evaluate("() => location.hash")) and "1e309" in unquote(page.evaluate("() => location.hash"))
    calc_page("errand")  # drawn afresh, then the link
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    set_hash_and_wait(page, "#input=" + quote(ERRAND_1E309, safe=""))
    page.wait_for_selector("[data-calculator][data-calc-state=error]", timeout=ENGINE_TIMEOUT)
    expect(page.locator("[data-error-for='days[0].meals']")).to_contain_text("误餐次数")
    expect(page.locator("[data-path='days[0].meals']")).to_have_attribute("aria-invalid", "true")
    assert page.locator("[data-path='days[0].meals']").input_value() in ("1e309", "Infinity")
    assert total(page) == ""
    page.watch.assert_clean()


def test_an_error_survives_a_redraw_of_the_rows(calc_page):
    """The same input under another spelling of the link (a trailing %20) redraws the rows: the message
    and the marked field come back with them."""
    from playwright.sync_api import expect

    link = share({"rank": "other", "legs": [{"region": "in_province", "days": 0}]})
    page = calc_page("travel")
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    set_hash_and_wait(page, link)
    message = page.locator("[data-error-for='legs[0].days']")
    expect(message).to_be_visible(timeout=ENGINE_TIMEOUT)
    got = set_hash_and_wait(page, link + "%20")  # the address edited in place: hashchange, the rows redrawn
    assert got["error"] and got["error"]["field"] == "legs[0].days"
    page.wait_for_timeout(500)  # the redraw has happened by now; the message must still be there
    expect(message).to_be_visible()
    expect(message).to_contain_text("第1段行程 · 天数")
    expect(page.locator("[data-path='legs[0].days']")).to_have_attribute("aria-invalid", "true")
    assert total(page) == ""
    page.watch.assert_clean()


# ---------------------------------------------------------------------------------- a broken front end (#22)

BROKEN = {
    "syntax": (200, "export const = ;\n"),  # does not parse
    "imports": (200, "export const nothing = 1;\n"),  # parses, but calc-ui.js imports Calculator from it
    "404": (404, "gone"),  # not there
}


@pytest.mark.parametrize("how", list(BROKEN))
def test_a_front_end_module_that_does_not_load_is_said_at_once(browser, site, how):
    """Not "JavaScript is needed" for ever: a module of the front end that does not load, parse or link
    gives a bilingual notice within 5 s, with the example's build-time result marked as such, and Retry."""
    from calculators.travel import DEFAULT_INPUT

    context, page = _faulty(browser)
    status, body = BROKEN[how]

    def broken(route):
        route.fulfill(status=status, body=body, headers={"Content-Type": "text/javascript", "Cache-Control": "no-store"})

    context.route("**/assets/calc/*/coordinator.js", broken)
    page.goto(calc_url(site, "travel"))
    page.wait_for_selector("[data-calc-failure]:not([hidden])", timeout=5_000)
    box = page.locator("[data-calc-failure]")
    assert "脚本无法载入" in box.locator("p[lang=zh]").text_content()
    assert "could not be loaded or run" in box.locator("p[lang=en]").text_content()
    example = box.locator(".calc-failure__example").text_content()
    assert native("travel", DEFAULT_INPUT)["total_text"] in example and "示例" in example and "example" in example
    assert page.locator("[data-calculator]").get_attribute("data-calc-state") == "failed"
    assert "JavaScript" not in page.locator("[data-calc-status-text]").text_content()
    context.unroute("**/assets/calc/*/coordinator.js")
    box.locator("button.calc-retry").click()  # the page again, the module whole this time
    page.wait_for_selector(READY, timeout=ENGINE_TIMEOUT)
    assert page.locator("[data-calc-failure]").is_hidden()
    context.close()
