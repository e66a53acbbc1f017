"""The benchmark's stand-in for a production server: ``handbook.serve`` plus gzip and immutable folders.

* a file with a precompressed ``.gz`` sibling is sent as that sibling (``Content-Encoding: gzip``,
  ``Vary: Accept-Encoding``), as nginx's ``gzip_static`` does; any other text file, and the wasm,
  is compressed on the fly (level 6, kept in memory) — so the figures are what a compressing server
  transfers even for a build without precompressed siblings;
* a path with a folder named by 8 or more hex digits (``assets/pyodide/<hash>/``) is immutable,
  like content-hashed file names.

Conditional requests are answered 304 as by ``handbook.serve``. Only for ``bench/calculators.py``.
"""

from __future__ import annotations

import email.utils
import gzip
import http.server
import io
import os
import re
import threading
from http import HTTPStatus

from handbook import serve

COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".wasm", ".svg", ".xml", ".txt", ".map"}
HEX_DIR = re.compile(r"/[0-9a-f]{8,}/")
_cache: dict[tuple[str, float], bytes] = {}
_lock = threading.Lock()


def _gzipped(path: str) -> bytes:
    key = (path, os.stat(path).st_mtime)
    with _lock:
        if key not in _cache:
            with open(path, "rb") as fh:
                _cache[key] = gzip.compress(fh.read(), compresslevel=6, mtime=0)
        return _cache[key]


class Handler(serve.Handler):
    def end_headers(self):
        # handbook.serve's headers, with immutable caching for versioned folders too
        path = self.path.split("?")[0]
        immutable = HEX_DIR.search(path)
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if immutable else serve.cache_control(path))
        self.send_header("Content-Security-Policy", serve.CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        http.server.SimpleHTTPRequestHandler.end_headers(self)

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        ext = os.path.splitext(path)[1]
        if not (os.path.isfile(path) and ext in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        st = os.stat(path)
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                if email.utils.parsedate_to_datetime(ims).timestamp() >= int(st.st_mtime):
                    self.send_response(HTTPStatus.NOT_MODIFIED)
                    self.end_headers()
                    return None
            except (TypeError, ValueError):
                pass
        body = open(path + ".gz", "rb").read() if os.path.isfile(path + ".gz") else _gzipped(path)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(st.st_mtime))
        self.end_headers()
        return io.BytesIO(body)


def serve_in_thread(directory) -> tuple[serve.Server, str]:
    import functools

    server = serve.Server(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
