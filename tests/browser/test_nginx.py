"""The built site behind a real nginx with ``deploy/nginx.conf``.

nginx (installed by ``make test`` like Chromium: ``make nginx``) runs as a non-daemon process started
here, on a random loopback port, from a temporary copy of the configuration with its paths pointed at
the built site and a temporary prefix. Checked: the build's security headers on every answer,
application/wasm, precompressed gzip and brotli with Vary (brotli for every compressed file whenever
the browser accepts it), immutable hashed names (never a 404), the site's own 404 pages, no directory
listing, nothing outside the root (``..``, symlinks, even inside the site), thousands of idle and slow
connections not refusing normal GETs (a bounded load test on loopback, scaled to what ``ulimit -n``
allows and saying so), and browser smoke tests through it (both languages, search, a calculator from a
shared link; no request elsewhere, no console error).
"""

from __future__ import annotations

import getpass
import gzip
import http.client
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import time
import urllib.error
import warnings
import urllib.request
from pathlib import Path

import brotli
import pytest
from conftest import Watch

from handbook.postbuild import csp
from handbook.postbuild.compress import COMPRESSIBLE

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "nginx.conf"
IDLE = 5000  # connections held open (half silent, half with a request header that never ends) during the load test
FLOOR = 2500  # below this many the old limits (2 workers x 1,024) would hold too: the test could prove nothing


def descriptor_budget() -> tuple[int, int]:
    """(soft, hard) RLIMIT_NOFILE of this process after raising the soft limit as far as allowed (nginx,
    started from here, inherits it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 2 * IDLE + 1024
    if soft < want and (hard == resource.RLIM_INFINITY or soft < hard):
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want if hard == resource.RLIM_INFINITY else min(want, hard), hard))
        except (ValueError, OSError):
            pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def templated(conf: str, site: Path, prefix: Path, port: int) -> str:
    """deploy/nginx.conf with its PATH lines pointed at this test's site, prefix and port."""
    out = conf.replace("/srv/handbook/site", str(site))
    out = out.replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{port};")
    out = out.replace("/var/log/nginx", str(prefix / "logs")).replace("/run/nginx.pid", str(prefix / "nginx.pid"))
    temp = " ".join(f"{d}_temp_path {prefix / d};" for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    out = re.sub(r"^http \{", "http {\n    " + temp, out, count=1, flags=re.M)
    if os.geteuid() == 0:  # workers would otherwise switch to "nobody"
        out = f"user {getpass.getuser()};\n" + out
    assert str(site) in out and str(port) in out
    return out


@pytest.fixture(scope="module")
def nginx(site, tmp_path_factory):
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not binary:
        pytest.fail("nginx not found: run `make test`, which installs Debian's nginx (`make nginx`)")
    prefix = tmp_path_factory.mktemp("nginx")
    (prefix / "logs").mkdir()
    descriptor_budget()  # before nginx starts: it inherits the limit
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(templated(CONF.read_text(encoding="utf-8"), site.path, prefix, port), encoding="utf-8")
    # symlinks in the site, out of it and within it: nginx must refuse both, and a .br sibling that is one
    secret = prefix / "secret.txt"
    secret.write_text("SECRET")
    links = {site.path / "hb-nginx-test-link.txt": secret, site.path / "hb-nginx-test-inner.html": site.path / "index.html",
             site.path / "hb-nginx-test.js.br": secret}
    (site.path / "hb-nginx-test.js").write_text("var hb = 1;\n")
    for link, target in links.items():
        link.unlink(missing_ok=True)
        link.symlink_to(target)
    proc = subprocess.Popen([binary, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "logs" / "error.log"),
                             "-g", "daemon off;"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(200):
            if proc.poll() is not None:
                pytest.fail(f"nginx did not start:\n{proc.stdout.read()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield url, port, site
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        for link in links:
            link.unlink(missing_ok=True)
        (site.path / "hb-nginx-test.js").unlink(missing_ok=True)


def get(url: str, headers: dict | None = None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def raw(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    return out


# ---------------------------------------------------------------------------------- HTTP


def test_security_headers_are_the_builds(nginx):
    url, _, site = nginx
    want = json.loads((site.path / csp.HEADERS_FILE).read_text(encoding="utf-8"))
    assert "frame-ancestors 'none'" in want["Content-Security-Policy"]
    for path in ("", "en/", "assets/javascripts/handbook.js", "no/such/page/", "en"):
        status, headers, _ = get(url + path)
        for name, value in want.items():
            assert headers[name] == value, (path, name)


def test_types_compression_and_caching(nginx):
    url, _, site = nginx
    wasm = next(site.path.glob("assets/pyodide/**/pyodide.asm.wasm")).relative_to(site.path).as_posix()
    status, h, body = get(url + wasm, {"Accept-Encoding": "gzip"})
    assert status == 200 and h["Content-Type"] == "application/wasm"
    assert h["Content-Encoding"] == "gzip" and "Accept-Encoding" in h["Vary"]
    assert gzip.decompress(body) == (site.path / wasm).read_bytes()
    index = next(site.path.glob("search/clauses.*.json")).relative_to(site.path).as_posix()  # the search's own index
    status, h, body = get(url + index, {"Accept-Encoding": "gzip, br"})
    assert h["Content-Encoding"] == "br" and brotli.decompress(body) == (site.path / index).read_bytes()
    status, h, body = get(url, {"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in h and h["Content-Type"].startswith("text/html") and h["Cache-Control"] == "no-cache"
    bundle = next(site.path.glob("assets/javascripts/bundle.*.min.js")).relative_to(site.path).as_posix()
    status, h, _ = get(url + bundle)
    assert status == 200 and h["Cache-Control"] == "public, max-age=31536000, immutable"
    assert h["Content-Type"].startswith("text/javascript")


def test_404_pages_and_no_listing(nginx):
    url, _, site = nginx
    zh404 = (site.path / "404.html").read_text(encoding="utf-8")
    for path, lang in (("no/such/page/", "zh"), ("en/no/such/page/", "en"), ("assets/calc/", "zh"),
                       ("assets/", "zh"), ("en/assets/", "en"), (".well-known/handbook-headers.nginx.conf", "zh")):
        status, h, body = get(url + path, {"Accept-Encoding": "identity"})
        text = body.decode("utf-8")
        assert status == 404, path
        assert "md-content" in text and "Index of" not in text, path
        assert (f'<html lang="{lang}"' in text or f"lang={lang}" in text), path
    assert "md-content" in zh404


@pytest.mark.parametrize("path", ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2f..%2fsecret.txt",
                                  "/hb-nginx-test-link.txt", "/hb-nginx-test-inner.html", "/hb-nginx-test.js.br",
                                  "/hb-nginx-test.js", "//etc/passwd", "/%00"])
def test_nothing_outside_the_root(nginx, path):
    _, port, _ = nginx
    answer = raw(port, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    status = int(answer.split()[1])
    # nginx refuses a path that climbs above the root as a bad request (400) before looking for a file
    if path == "/hb-nginx-test.js":  # its .br sibling is a link: the plain file, never the link's target
        assert status == 200 and b"var hb" in answer, answer[:300]
    else:
        assert status in (400, 404), (path, answer[:300])
    assert b"SECRET" not in answer and b"root:" not in answer


def test_brotli_for_every_compressed_file_whenever_accepted(nginx):
    """Every file the build wrote a .br sibling for, asked for the way a page load does (pages by their
    folder, one keep-alive connection): br, the sibling's bytes, its own type, Vary; and each extension
    compress.py compresses has its type among the conf's `.br` locations."""
    url, port, site = nginx
    conf = CONF.read_text(encoding="utf-8")
    patterns = re.findall(r"location ~ (\S+\\.br\$)\s*\{\s*types", conf)
    for ext in COMPRESSIBLE:
        assert any(re.search(p, "x" + ext + ".br") for p in patterns), f"no .br type for {ext} in deploy/nginx.conf"
    files = sorted(p for p in site.path.rglob("*") if p.suffix not in (".br", ".gz") and p.with_name(p.name + ".br").is_file()
                   and not p.name.startswith("hb-nginx-test"))
    assert len(files) > 100
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    wrong = []
    try:
        for file in files:
            path = "/" + file.relative_to(site.path).as_posix()
            path = path.removesuffix("index.html") if path.endswith("/index.html") or path == "/index.html" else path
            conn.request("GET", path, headers={"Accept-Encoding": "br, gzip"})
            r = conn.getresponse()
            body = r.read()
            if r.status != 200 or r.headers.get("Content-Encoding") != "br" or "Accept-Encoding" not in (r.headers.get("Vary") or ""):
                wrong.append((path, r.status, r.headers.get("Content-Encoding")))
            elif brotli.decompress(body) != file.read_bytes() or r.headers["Content-Type"].split(";")[0] in ("", "application/octet-stream") and file.suffix != ".bin":
                wrong.append((path, "body or type", r.headers.get("Content-Type")))
    finally:
        conn.close()
    assert not wrong, f"{len(wrong)} of {len(files)} not sent as br: {wrong[:10]}"
    for path, lang in (("no/such/page/", "zh"), ("en/no/such/page/", "en"), ("assets/calc/", "zh")):  # the 404 pages too
        status, h, body = get(url + path, {"Accept-Encoding": "gzip, br"})
        assert status == 404 and h["Content-Encoding"] == "br" and f'lang="{lang}"'.encode() in brotli.decompress(body), path
    status, h, _ = get(url + "assets/javascripts/handbook.js", {"Accept-Encoding": "br;q=0, gzip"})
    assert h["Content-Encoding"] == "gzip"  # q=0 refuses br
    status, h, _ = get(url + "assets/javascripts/bundle.0123abcd.min.js", {"Accept-Encoding": "br"})
    assert status == 404 and h["Cache-Control"] == "no-cache"  # a hashed-looking name that is not there


def test_thousands_of_idle_and_slow_connections_do_not_refuse_normal_gets(nginx):
    """Bounded load test, loopback only: hold IDLE connections (half silent, half with a request header
    that never ends) and meanwhile ask for pages normally: every GET is answered. Scaled down, with a
    warning, when RLIMIT_NOFILE does not allow IDLE (the test and nginx each need a descriptor per
    connection); below FLOOR it would prove nothing and is skipped, saying why."""
    url, port, _ = nginx
    soft, hard = descriptor_budget()
    count = min(IDLE, soft - 512)
    if count < FLOOR:
        pytest.skip(f"ulimit -n allows {soft} descriptors: too few to hold {FLOOR} connections (raise it to {2 * IDLE + 1024})")
    if count < IDLE:
        warnings.warn(f"nginx load test scaled to {count} idle connections (ulimit -n {soft}, hard {hard})", stacklevel=1)
    held: list[socket.socket] = []
    start = time.monotonic()
    try:
        for i in range(count):
            if time.monotonic() - start > 30:  # bounded: a machine this slow cannot run the test honestly
                pytest.fail(f"opened only {len(held)} connections in 30 s")
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            if i % 2:
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            held.append(s)
        opened = time.monotonic() - start
        failures = []
        for i in range(60):
            path = ("", "en/", "finance/travel/", "assets/javascripts/handbook.js")[i % 4]
            try:
                status, _, body = get(url + path)
                if status != 200 or not body:
                    failures.append((path, status))
            except OSError as exc:  # refused or reset
                failures.append((path, repr(exc)))
        assert not failures, f"{len(failures)} of 60 GETs failed beside {count} held connections: {failures[:5]}"
        # the held connections are still open (not dropped to make room): a silent one has nothing to read
        alive = 0
        for s in held[::50]:
            s.setblocking(False)
            try:
                alive += s.recv(1) != b""
            except BlockingIOError:
                alive += 1
            except OSError:
                pass
        print(f"nginx held {count} connections (opened in {opened:.1f} s); 60/60 GETs answered; "
              f"{alive}/{len(held[::50])} sampled held connections still open")
        assert alive >= 0.9 * len(held[::50]), f"only {alive} of {len(held[::50])} sampled held connections still open"
    finally:
        for s in held:
            s.close()


# ---------------------------------------------------------------------------------- browser


@pytest.fixture
def npage(browser, nginx):
    url = nginx[0]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    pg = context.new_page()
    pg.watch = Watch(pg, url)
    context.on("request", pg.watch._request)
    yield pg
    context.close()


def test_pages_in_both_languages_and_search(npage, nginx):
    from test_search_box import search

    url = nginx[0]
    for path in ("", "en/", "finance/travel/", "en/finance/travel/", "training/", "en/glossary/"):
        resp = npage.goto(url + path)
        assert resp.status == 200, path
        npage.wait_for_load_state("load")
    npage.goto(url + "finance/travel/")
    npage.wait_for_load_state("networkidle")
    assert search(npage, "差旅"), "no search result through nginx"
    npage.goto(url + "en/")
    npage.wait_for_load_state("networkidle")
    assert search(npage, "travel"), "no English search result through nginx"
    npage.watch.assert_clean()


def test_a_shared_link_shows_its_total(npage, nginx):
    from test_calculator_pages import ENGINE_TIMEOUT, GOLDEN, native, share

    url = nginx[0]
    case = max((c for c in GOLDEN if c["calculator"] == "travel"), key=lambda c: len(c["input"].get("legs", [])))
    want = native("travel", case["input"])["total_text"]
    wasm = []
    npage.on("response", lambda r: wasm.append(r) if r.url.endswith(".wasm") else None)
    npage.goto(url + "calculators/travel/" + share(case["input"]))
    npage.wait_for_selector("[data-calculator][data-calc-state=ready][data-calc-source=engine]", timeout=ENGINE_TIMEOUT)
    assert npage.locator("[data-calc-total]").text_content() == want
    assert wasm and wasm[0].headers["content-type"] == "application/wasm"
    assert wasm[0].headers.get("content-encoding") in ("br", "gzip")
    npage.watch.assert_clean()
