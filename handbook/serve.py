"""Serve the built site on 127.0.0.1 with the right MIME types, headers and compression.

    python -m handbook.serve [--port 8000] [--dir site]

* The security headers (a Content-Security-Policy that allows nothing but this site, with the hashes
  of the site's own inline scripts; no framing) are the ones the build wrote to
  ``.well-known/handbook-headers.json`` (see :mod:`handbook.postbuild.csp`); ``deploy/nginx.conf`` sends the same.
* Precompressed siblings (``x.js.br``, ``x.js.gz``, made by :mod:`handbook.postbuild.compress`) are sent with
  ``Content-Encoding`` when the browser accepts them, with ``Vary: Accept-Encoding``.
* Content-hashed names (``main.8ad8f9f2.min.js``, anything under a folder named by 8+ hex digits)
  are cached as immutable; everything else is revalidated.
* Malformed requests get a 4xx answer, never a traceback: HTTP/0.9 (no version, so no headers could
  be sent), HTTP/1.1 without exactly one Host, a GET or HEAD with a body (refused and the connection
  closed: a body is never read as the next request); directories are never listed; nothing outside
  the site folder is served (``..`` included) and no symbolic link at all, not even one inside the
  site; a missing page gets the site's own 404 page (the English one under ``/en/``).
* Only a file that exists is cached as immutable: a 404 for a hashed-looking name is ``no-cache``.
* One thread per connection; a connection that stays silent for ``TIMEOUT`` seconds is closed, and a
  request whose line and headers have not all arrived within ``DEADLINE`` seconds of its first byte
  being awaited is closed too, however steadily its bytes trickle in.
"""

from __future__ import annotations

import argparse
import email.utils
import html
import http.server
import io
import json
import os
import posixpath
import re
import socket
import stat
import sys
import threading
import time
from http import HTTPStatus
from pathlib import Path
from urllib.parse import unquote, urlsplit

from handbook.paths import ROOT
from handbook.postbuild.csp import HEADERS_FILE, fallback_headers

TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".zip": "application/zip",
    ".gz": "application/gzip",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".map": "application/json",
    ".bin": "application/octet-stream",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".ico": "image/x-icon",
}

# Content-hashed files never change: browsers may keep them without asking again. A name with
# ".<8+ hex>." (Material's main.8ad8f9f2.min.css, calculators.<hash>.zip) or a folder named by 8+ hex
# digits (assets/pyodide/<hash>/…). Everything else is revalidated. deploy/nginx.conf uses the same rule.
HASHED = re.compile(r"(?:\.[0-9a-f]{8,}\.|/[0-9a-f]{8,}/)")

# Preferred order when the browser accepts several.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))

TIMEOUT = 20  # seconds a connection may stay silent (while sending its request or reading the answer)
DEADLINE = 30  # seconds for a whole request line and headers to arrive, however they trickle in


def cache_control(path: str) -> str:
    if HASHED.search(path.split("?")[0]):
        return "public, max-age=31536000, immutable"
    return "no-cache"


def accepted(header: str | None) -> set[str]:
    """The content codings an Accept-Encoding header allows (``q=0`` excluded)."""
    out = set()
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        for p in params.split(";"):
            k, _, v = p.strip().partition("=")
            if k.strip() == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        if name and q > 0:
            out.add(name.strip().lower())
    return out


class BadRequest(Exception):
    pass


def plain(path: str) -> bool:
    """A regular file, itself not a symbolic link."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return False


def resolve(root: Path, url_path: str) -> tuple[Path | None, bool]:
    """(file, needs_slash) for a request path: the file to send, None when there is none to send
    (missing, a directory without index.html, outside the site root); needs_slash when the path names
    a directory and lacks its final slash. BadRequest for a path no file could have."""
    try:
        path = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        raise BadRequest("not UTF-8") from None
    if any(ord(c) < 0x20 or c == "\x7f" for c in path) or not path.startswith("/"):
        raise BadRequest("control character or relative path")
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None, False  # traversal: nothing outside the root is ever served
    # The root itself may be a link (site -> releases/…); nothing under it may be one, inside or out.
    candidate = os.path.realpath(root)
    try:
        for part in parts:
            candidate = os.path.join(candidate, part)
            if os.path.islink(candidate):
                return None, False
        if os.path.isdir(candidate):
            if not path.endswith("/"):
                return None, True
            index = os.path.join(candidate, "index.html")
            return (Path(index), False) if plain(index) else (None, False)
        return (Path(candidate), False) if plain(candidate) else (None, False)
    except (OSError, ValueError):
        return None, False


class DeadlineReader(io.RawIOBase):
    """The socket as the handler reads it, each read waiting at most until the request's deadline
    (and at most ``timeout`` for one read): a client sending one byte every few seconds is closed at
    the deadline, not kept for as long as it likes."""

    def __init__(self, sock: socket.socket, handler: Handler):
        self.sock, self.handler = sock, handler

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        wait = self.handler.timeout
        if self.handler.deadline is not None:
            wait = min(wait, self.handler.deadline - time.monotonic())
            if wait <= 0:
                raise TimeoutError("the request did not arrive in time")
        self.sock.settimeout(wait)
        try:
            return self.sock.recv_into(buffer)
        finally:
            self.sock.settimeout(self.handler.timeout)  # writes wait the full timeout, not what was left


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "handbook"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = TIMEOUT
    deadline: float | None = None
    cache = "no-cache"

    def setup(self):
        self.timeout = self.server.timeout_s
        super().setup()
        self.rfile.close()
        self.rfile = io.BufferedReader(DeadlineReader(self.connection, self))

    # ------------------------------------------------------------------ request line
    def parse_request(self):
        self.path = ""  # known before anything can fail (the headers read it)
        line = self.raw_requestline.strip()
        if not line or len(line.split()) == 2:  # empty, or HTTP/0.9 ("GET /"): no status line, no headers
            self.command, self.request_version = "", "HTTP/1.0"
            self.requestline = ""
            self.send_error(HTTPStatus.BAD_REQUEST, "empty request line" if not line else "HTTP/0.9 is not served")
            return False
        if not super().parse_request():
            return False
        if self.headers.defects:  # e.g. a header line without a colon
            self.send_error(HTTPStatus.BAD_REQUEST, "malformed header")
            return False
        if self.request_version != "HTTP/1.0" and len(self.headers.get_all("Host") or []) != 1:
            self.send_error(HTTPStatus.BAD_REQUEST, "HTTP/1.1 needs exactly one Host header")
            return False
        if self.command in ("GET", "HEAD") and self.has_body():
            # Refused, and the connection closed: whatever follows is never read as another request.
            self.send_error(HTTPStatus.BAD_REQUEST, "a GET or HEAD request has no body")
            return False
        self.deadline = None  # the request is in; the answer is bounded by the socket timeout per write
        return True

    def has_body(self) -> bool:
        if self.headers.get("Transfer-Encoding") is not None:
            return True
        lengths = self.headers.get_all("Content-Length") or []
        return any(v.strip() != "0" for v in lengths)

    def handle_one_request(self):
        self.path = ""
        self.cache = "no-cache"
        self.deadline = time.monotonic() + self.server.deadline_s
        super().handle_one_request()

    # ------------------------------------------------------------------ methods
    def do_GET(self):
        self.send_file(head=False)

    def do_HEAD(self):
        self.send_file(head=True)

    def send_file(self, head: bool) -> None:
        root = self.server.root
        target = urlsplit(self.path) if self.path.startswith("/") else None
        if target is None:
            self.send_error(HTTPStatus.BAD_REQUEST, "bad request target")
            return
        try:
            found, needs_slash = resolve(root, target.path)
        except BadRequest as exc:
            self.send_error(HTTPStatus.BAD_REQUEST, str(exc))
            return
        if needs_slash:
            location = target.path + "/" + (f"?{target.query}" if target.query else "")
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if found is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        self.send_body(HTTPStatus.OK, found, head)

    def send_body(self, status: int, file: Path, head: bool) -> None:
        ctype = self.content_type(file.name)
        sent, coding = file, None
        siblings = [(c, file.with_name(file.name + ext)) for c, ext in ENCODINGS] if self.server.compress else []
        present = [(c, s) for c, s in siblings if plain(str(s))]
        if present:
            ok = accepted(self.headers.get("Accept-Encoding"))
            for c, sibling in present:
                if c in ok:
                    sent, coding = sibling, c
                    break
        try:  # O_NOFOLLOW: a file swapped for a link since it was looked at is not opened either
            f = os.fdopen(os.open(sent, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), "rb")
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        # Immutable only for a file that is there: a 404 for a hashed-looking name is revalidated.
        self.cache = cache_control(urlsplit(self.path).path) if status == HTTPStatus.OK else "no-cache"
        with f:
            st = os.fstat(f.fileno())
            size = st.st_size
            # Validators, so that "no-cache" files are revalidated with a 304 instead of downloaded again.
            etag = f'"{st.st_mtime_ns:x}-{size:x}{"-" + coding if coding else ""}"'
            modified = email.utils.formatdate(st.st_mtime, usegmt=True)
            fresh = status == HTTPStatus.OK and self.not_modified(etag, st.st_mtime)
            self.send_response(HTTPStatus.NOT_MODIFIED if fresh else status)
            self.send_header("Content-Type", ctype)
            if not fresh:
                self.send_header("Content-Length", str(size))
            if coding:
                self.send_header("Content-Encoding", coding)
            if present:
                self.send_header("Vary", "Accept-Encoding")
            if status == HTTPStatus.OK:
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", modified)
            self.end_headers()
            if not head and not fresh:
                while chunk := f.read(64 * 1024):
                    self.wfile.write(chunk)

    def not_modified(self, etag: str, mtime: float) -> bool:
        """Whether the browser's copy is current (If-None-Match, else If-Modified-Since)."""
        match = self.headers.get("If-None-Match")
        if match is not None:
            return etag in [m.strip().removeprefix("W/") for m in match.split(",")] or match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                when = email.utils.parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError, IndexError, OverflowError):
                return False
            return int(mtime) <= when
        return False

    @staticmethod
    def content_type(name: str) -> str:
        return TYPES.get(posixpath.splitext(name)[1].lower(), "application/octet-stream")

    # ------------------------------------------------------------------ errors
    def send_error(self, code, message=None, explain=None):
        """The site's own 404 page for a missing page; a short bilingual page for anything else."""
        if code == HTTPStatus.HTTP_VERSION_NOT_SUPPORTED:
            code = HTTPStatus.BAD_REQUEST  # "GET / HTTP/9.9" is a malformed request like any other
        if self.request_version in ("", "HTTP/0.9"):
            self.request_version = "HTTP/1.0"  # the request line did not parse: still answer with a status line
        self.close_connection = self.close_connection or code != HTTPStatus.NOT_FOUND
        if code == HTTPStatus.NOT_FOUND and self.command in ("GET", "HEAD"):
            page = self.not_found_page()
            if page is not None:
                self.send_body(HTTPStatus.NOT_FOUND, page, head=self.command == "HEAD")
                return
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = ""
        self.log_error("code %d, message %s", code, message)
        body = (f'<!doctype html><html lang="zh"><meta charset="utf-8"><title>{code} {html.escape(phrase)}</title>'
                f"<h1>{code} {html.escape(phrase)}</h1><p>请求无法处理。</p><p lang=\"en\">The request could not be served.</p>"
                "</html>").encode()
        self.send_response(code, phrase)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (HTTPStatus.NO_CONTENT, HTTPStatus.NOT_MODIFIED):
            self.wfile.write(body)

    def not_found_page(self) -> Path | None:
        root = Path(self.server.root)
        english = urlsplit(self.path).path.startswith("/en/") if self.path.startswith("/") else False
        for page in ([root / "en" / "404.html"] if english else []) + [root / "404.html"]:
            if plain(str(page)):
                return page
        return None

    # ------------------------------------------------------------------ headers
    def end_headers(self):
        self.send_header("Cache-Control", self.cache)
        for name, value in self.server.security_headers().items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, fmt, *args):  # quiet unless asked
        if self.server.verbose:
            sys.stderr.write("%s - %s\n" % (self.address_string(), (fmt % args).encode("ascii", "backslashreplace").decode()))


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many clients connecting at once wait in the queue, not refused
    verbose = False

    def __init__(self, address, root: Path, verbose: bool = False, compress: bool = True,
                 timeout: float = TIMEOUT, deadline: float = DEADLINE):
        self.root = Path(root)
        self.timeout_s, self.deadline_s = timeout, deadline
        self.verbose = verbose
        self.compress = compress  # False: ignore the precompressed siblings (to measure what they save)
        self._headers: tuple[float, dict] | None = None
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()  # connections being served (keep-alive ones included)
        super().__init__(address, Handler)

    def process_request(self, request, client_address):
        with self._lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close(self) -> None:
        """Stop, as a server that goes away does: no new connection, and the open ones (a browser's
        keep-alive connections) are cut, so that nothing more is answered from this folder."""
        self.shutdown()
        self.server_close()
        with self._lock:
            open_now = list(self._open)
        for conn in open_now:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def security_headers(self) -> dict[str, str]:
        """The headers the build wrote for this site (re-read when a new build replaces them)."""
        file = self.root / HEADERS_FILE
        try:
            mtime = file.stat().st_mtime
        except OSError:
            return fallback_headers()
        with self._lock:
            if self._headers is None or self._headers[0] != mtime:
                try:
                    self._headers = (mtime, json.loads(file.read_text(encoding="utf-8")))
                except (OSError, ValueError):
                    return fallback_headers()
            return self._headers[1]

    def handle_error(self, request, client_address):
        """A client that vanished or timed out is not an error of the server: one line, no traceback."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError, socket.timeout)):
            if self.verbose:
                sys.stderr.write(f"{client_address[0]} - connection closed: {type(exc).__name__}\n")
            return
        super().handle_error(request, client_address)


def make_server(directory: Path, port: int = 0, verbose: bool = False, compress: bool = True,
                timeout: float = TIMEOUT, deadline: float = DEADLINE) -> Server:
    return Server(("127.0.0.1", port), Path(directory), verbose=verbose, compress=compress,
                  timeout=timeout, deadline=deadline)


def serve_in_thread(directory: Path, port: int = 0, compress: bool = True) -> tuple[Server, str]:
    server = make_server(directory, port, compress=compress)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--dir", type=Path, default=ROOT / "site")
    ap.add_argument("--no-compress", action="store_true", help="send every file as it is, ignoring the .br/.gz siblings")
    ap.add_argument("--timeout", type=float, default=TIMEOUT, help=f"seconds a connection may stay silent (default {TIMEOUT})")
    ap.add_argument("--deadline", type=float, default=DEADLINE,
                    help=f"seconds for a request's line and headers to arrive, however slowly (default {DEADLINE})")
    args = ap.parse_args(argv)
    if not (args.dir / "index.html").exists():
        raise SystemExit(f"error: {args.dir} has no built site; run `make build` first")
    server = make_server(args.dir, args.port, verbose=True, compress=not args.no_compress,
                         timeout=args.timeout, deadline=args.deadline)
    print(f"Serving the handbook at http://127.0.0.1:{args.port}/ (中文) and http://127.0.0.1:{args.port}/en/ (English); Ctrl+C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
