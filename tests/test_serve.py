"""``handbook/serve.py`` as a real subprocess, on a small site made here: malformed requests get a 4xx
and no traceback, directories are never listed, nothing outside the root is served (``..``, encoded
``..``, symlinks, even ones inside the site), missing pages get the site's own 404 page (English under
``/en/``), the build's security headers are sent (no framing), precompressed siblings are served with
Content-Encoding and Vary, hashed names are immutable (only when the file exists), slow or many clients
do not hold up the others, a client trickling its request is closed at the deadline, and a body sent
with a GET is never read as the next request."""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import brotli
import pytest

from handbook.postbuild import csp

ROOT = Path(__file__).resolve().parents[1]
DEADLINE = 2  # seconds for a request's line and headers (the server's default is longer)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    base = tmp_path_factory.mktemp("serve")
    site = base / "site"
    (site / "en").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>首页</title><script>var a=1</script>home-zh", encoding="utf-8")
    (site / "404.html").write_text("<!doctype html><title>404</title>site-404-zh", encoding="utf-8")
    (site / "en" / "index.html").write_text("<!doctype html>home-en", encoding="utf-8")
    (site / "en" / "404.html").write_text("<!doctype html>site-404-en", encoding="utf-8")
    calc = site / "assets" / "calc"
    calc.mkdir(parents=True)
    (calc / "calc-ui.js").write_text("export const x = 1;\n" * 100)
    (calc / "bundle.8ad8f9f2.min.js").write_text("console.log(1)")
    pyo = site / "assets" / "pyodide" / "0123456789abcdef"
    pyo.mkdir(parents=True)
    (pyo / "pyodide.asm.wasm").write_bytes(b"\0asm" + bytes(5000))
    from handbook.postbuild.compress import compress_file
    compress_file(calc / "calc-ui.js")
    compress_file(pyo / "pyodide.asm.wasm")
    outside = base / "secret"
    outside.mkdir()
    (outside / "passwd").write_text("SECRET")
    (base / "secret.txt").write_text("SECRET")
    (site / "link-file.txt").symlink_to(outside / "passwd")
    (site / "link-dir").symlink_to(outside)
    (site / "inner-link.html").symlink_to(site / "index.html")  # links inside the site are refused too
    (site / "en-link").symlink_to(site / "en")
    (calc / "linked.js").write_text("export const y = 2;\n" * 100)
    (calc / "linked.js.br").symlink_to(outside / "passwd")  # a precompressed sibling that is a link
    csp.write(site)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "handbook.serve", "--dir", str(site), "--port", str(port),
                             "--deadline", str(DEADLINE)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield url, port, site
    proc.terminate()
    _, err = proc.communicate(timeout=10)
    assert "Traceback" not in err, err[-3000:]


def raw(port: int, data: bytes, timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    return out


def get(url: str, headers: dict | None = None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


MALFORMED = {
    "HTTP/9.9": b"GET / HTTP/9.9\r\n\r\n",
    "bare CRLF": b"\r\n",
    "64 KB URL": b"GET /" + b"a" * 65536 + b" HTTP/1.1\r\n\r\n",
    "%00 in the path": b"GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n",
    "%00 in a folder": b"GET /en/%00/x HTTP/1.1\r\nHost: x\r\n\r\n",
    "bad percent-encoding": b"GET /%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n",
    "relative target": b"GET index.html HTTP/1.1\r\nHost: x\r\n\r\n",
    "four words": b"GET / HTTP/1.1 extra\r\n\r\n",
    "binary garbage": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
    "header without colon": b"GET / HTTP/1.1\r\nno colon here\r\n\r\n",
    "HTTP/0.9": b"GET /\r\n\r\n",
    "HTTP/1.1 without Host": b"GET / HTTP/1.1\r\nAccept: */*\r\n\r\n",
    "HTTP/1.1 with two Hosts": b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_requests_get_a_4xx(served, name):
    _, port, _ = served
    answer = raw(port, MALFORMED[name])
    assert answer.startswith(b"HTTP/1."), (name, answer[:200])
    status = int(answer.split()[1])
    assert 400 <= status < 500, (name, answer[:300])
    assert b"Traceback" not in answer


def test_directories_are_never_listed(served):
    url, _, _ = served
    for path in ("/assets/calc/", "/assets/", "/en/../assets/calc/", "/assets/pyodide/"):
        status, _, body = get(url + path)
        assert status == 404, path
        assert b"site-404-" in body and b"calc-ui.js" not in body, path
    status, headers, _ = get(url + "/assets/calc")  # a directory without its slash is still not listed
    assert status == 404


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2f..%2fsecret.txt", "/%2e%2e%2fsecret.txt",
    "/link-file.txt", "/link-dir/passwd", "/link-dir/", "//etc/passwd", "/..%5csecret.txt",
    "/inner-link.html", "/en-link/", "/en-link/index.html",
])
def test_nothing_outside_the_root(served, path):
    url, port, _ = served
    status, _, body = get(url + path)
    assert status == 404 and b"SECRET" not in body, path
    answer = raw(port, f"GET {path} HTTP/1.0\r\n\r\n".encode())
    assert b"SECRET" not in answer and answer.split()[1] == b"404", (path, answer[:200])


def test_the_sites_own_404_page_in_both_languages(served):
    url, _, _ = served
    status, headers, body = get(url + "/no/such/page/")
    assert status == 404 and b"site-404-zh" in body and headers["Content-Type"].startswith("text/html")
    status, _, body = get(url + "/en/no/such/page/")
    assert status == 404 and b"site-404-en" in body


def test_security_headers_from_the_build(served):
    url, _, site = served
    status, headers, _ = get(url + "/")
    assert status == 200
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and headers["X-Frame-Options"] == "DENY"
    assert "'unsafe-inline'" not in policy
    assert csp.sha256("var a=1") in policy  # the page's inline script, hashed by csp.write
    assert headers["X-Content-Type-Options"] == "nosniff"
    written = json.loads((site / csp.HEADERS_FILE).read_text())
    assert all(headers[k] == v for k, v in written.items())
    status, headers, _ = get(url + "/nope")  # errors carry them too
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_precompressed_siblings(served):
    url, _, site = served
    plain = (site / "assets" / "calc" / "calc-ui.js").read_bytes()
    status, h, body = get(url + "/assets/calc/calc-ui.js", {"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200 and h["Content-Encoding"] == "br" and h["Vary"] == "Accept-Encoding"
    assert brotli.decompress(body) == plain and h["Content-Type"].startswith("text/javascript")
    status, h, body = get(url + "/assets/calc/calc-ui.js", {"Accept-Encoding": "gzip"})
    assert h["Content-Encoding"] == "gzip" and gzip.decompress(body) == plain
    status, h, body = get(url + "/assets/calc/calc-ui.js", {"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in h and body == plain and h["Vary"] == "Accept-Encoding"
    status, h, body = get(url + "/assets/pyodide/0123456789abcdef/pyodide.asm.wasm", {"Accept-Encoding": "gzip"})
    assert h["Content-Type"] == "application/wasm" and h["Content-Encoding"] == "gzip"


def test_cache_rules(served):
    url, _, _ = served
    immutable = "public, max-age=31536000, immutable"
    assert get(url + "/assets/calc/bundle.8ad8f9f2.min.js")[1]["Cache-Control"] == immutable
    assert get(url + "/assets/pyodide/0123456789abcdef/pyodide.asm.wasm")[1]["Cache-Control"] == immutable
    assert get(url + "/assets/calc/calc-ui.js")[1]["Cache-Control"] == "no-cache"
    assert get(url + "/")[1]["Cache-Control"] == "no-cache"
    # a hashed-looking name that is not there: a 404 a browser must ask again for, not keep for a year
    for missing in ("/assets/calc/bundle.0123abcd.min.js", "/assets/pyodide/0123456789abcdef/nope.wasm",
                    "/assets/0123456789abcdef/"):
        status, h, _ = get(url + missing)
        assert status == 404 and h["Cache-Control"] == "no-cache", missing


def test_a_symlinked_precompressed_sibling_is_not_sent(served):
    url, _, site = served
    status, h, body = get(url + "/assets/calc/linked.js", {"Accept-Encoding": "br"})
    assert status == 200 and "Content-Encoding" not in h and b"SECRET" not in body
    assert body == (site / "assets" / "calc" / "linked.js").read_bytes()


@pytest.mark.parametrize("extra", [
    b"Content-Length: 37\r\n\r\nGET /en/ HTTP/1.1\r\nHost: x\r\n\r\n",
    b"Transfer-Encoding: chunked\r\n\r\n25\r\nGET /en/ HTTP/1.1\r\nHost: x\r\n\r\n\r\n0\r\n\r\n",
], ids=["content-length", "chunked"])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_body_on_get_is_never_read_as_the_next_request(served, method, extra):
    _, port, _ = served
    answer = raw(port, f"{method} / HTTP/1.1\r\nHost: x\r\n".encode() + extra)
    assert answer.split()[1] == b"400", answer[:300]
    assert answer.count(b"HTTP/1.") == 1 and b"home-en" not in answer, answer[:600]


def test_a_request_that_trickles_in_is_closed_at_the_deadline(served):
    """One header byte every 0.2 s never lets the socket timeout fire; the deadline closes it."""
    _, port, _ = served
    start = time.monotonic()
    closed_after = None
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        s.settimeout(0.2)
        while time.monotonic() - start < 4 * DEADLINE:  # bounded: stops by itself
            try:
                s.sendall(b"X")
                if s.recv(65536) == b"":
                    closed_after = time.monotonic() - start
                    break
            except TimeoutError:
                continue
            except OSError:  # reset by the server
                closed_after = time.monotonic() - start
                break
    assert closed_after is not None, f"still open after {4 * DEADLINE} s"
    assert closed_after < DEADLINE + 1.5, closed_after


def test_slow_and_many_clients_do_not_hold_up_the_others(served):
    url, port, _ = served
    stalled = []
    try:
        for _ in range(60):  # half a request each, then silence
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            stalled.append(s)
        for _ in range(60):  # connected, nothing sent
            stalled.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        for _ in range(5):
            status, _, body = get(url + "/en/")
            assert status == 200 and b"home-en" in body
    finally:
        for s in stalled:
            s.close()


def test_compression_can_be_turned_off_for_measurements(tmp_path):
    from handbook.postbuild.compress import compress_file
    from handbook.serve import serve_in_thread

    (tmp_path / "a.js").write_text("let x = 1;\n" * 500)
    compress_file(tmp_path / "a.js")
    server, url = serve_in_thread(tmp_path, compress=False)
    try:
        status, h, body = get(url + "a.js", {"Accept-Encoding": "gzip, br"})
        assert status == 200 and "Content-Encoding" not in h and body == (tmp_path / "a.js").read_bytes()
    finally:
        server.shutdown()
        server.server_close()


def test_revalidation_answers_304(served):
    url, _, _ = served
    status, h, body = get(url + "/assets/calc/calc-ui.js", {"Accept-Encoding": "gzip"})
    assert status == 200 and h["ETag"] and h["Last-Modified"]
    status, h2, body = get(url + "/assets/calc/calc-ui.js", {"Accept-Encoding": "gzip", "If-None-Match": h["ETag"]})
    assert status == 304 and body == b"" and h2["ETag"] == h["ETag"]
    status, _, body = get(url + "/assets/calc/calc-ui.js", {"Accept-Encoding": "br", "If-None-Match": h["ETag"]})
    assert status == 200 and body  # another coding is another representation
    status, _, body = get(url + "/", {"If-Modified-Since": get(url + "/")[1]["Last-Modified"]})
    assert status == 304 and body == b""
