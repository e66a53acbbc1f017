"""Serve the built site on 127.0.0.1 with the right MIME types and a strict, self-only policy.

    python -m handbook.serve [--port 8000] [--dir site]

The Content-Security-Policy allows nothing but this site itself (Pyodide needs 'wasm-unsafe-eval';
Material needs inline scripts and styles), so an accidental external reference fails loudly in the
browser console instead of leaking a request. Use the same headers on the intranet web server.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import threading
from pathlib import Path

from .loader import ROOT

CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
    "connect-src 'self'; worker-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"
)

TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".zip": "application/zip",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
}


# Content-hashed files (calculators.<hash>.zip, snapshot.<hash>.bin.gz, Material's bundle.<hash>.min.js)
# never change: browsers may keep them without asking again. Everything else is revalidated.
HASHED = re.compile(r"\.[0-9a-f]{8,}\.(?:min\.)?(?:js|css|zip|bin\.gz|json)$")


def cache_control(path: str) -> str:
    if HASHED.search(path.split("?")[0]):
        return "public, max-age=31536000, immutable"
    return "no-cache"


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def end_headers(self):
        self.send_header("Cache-Control", cache_control(self.path))
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def log_message(self, fmt, *args):  # quiet unless asked
        if self.server.verbose:
            super().log_message(fmt, *args)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    verbose = False


def make_server(directory: Path, port: int = 0, verbose: bool = False) -> Server:
    handler = functools.partial(Handler, directory=str(directory))
    server = Server(("127.0.0.1", port), handler)
    server.verbose = verbose
    return server


def serve_in_thread(directory: Path, port: int = 0) -> tuple[Server, str]:
    server = make_server(directory, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--dir", type=Path, default=ROOT / "site")
    args = ap.parse_args(argv)
    if not (args.dir / "index.html").exists():
        raise SystemExit(f"error: {args.dir} has no built site; run `make build` first")
    server = make_server(args.dir, args.port, verbose=True)
    print(f"Serving the handbook at http://127.0.0.1:{args.port}/ (中文) and http://127.0.0.1:{args.port}/en/ (English); Ctrl+C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
