"""Precompress the built site: every text asset and the wasm get ``.gz`` and ``.br`` siblings.

    python -m handbook.postbuild.compress SITE_DIR

A server sends the sibling when the browser accepts its coding (``handbook/serve.py`` does; nginx with
``gzip_static`` and a rewrite to ``x.br``, see ``deploy/nginx.conf``, which needs a line per extension in
:data:`COMPRESSIBLE`). A sibling is kept only when it saves at
least a tenth of the bytes. The output is reproducible (gzip without a timestamp), and compressed files
are cached by content hash in ``build/.compress-cache`` so that rebuilding the site does not compress the
unchanged Pyodide runtime (about 14 MB) again.
"""

from __future__ import annotations

import argparse
import fcntl
import gzip
import hashlib
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli

from handbook.paths import BUILD

CACHE = BUILD / ".compress-cache"

# What is worth compressing: text, the wasm, Pyodide's uncompressed zip archives and the calculators'
# memory snapshot (.bin).
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".map", ".xml", ".svg", ".txt", ".wasm", ".zip", ".ico", ".bin"}
MIN_SIZE = 256  # bytes: smaller files fit in one packet anyway
# The test suite's builds (tests/conftest.py sets it) compress the large files at a quick brotli quality: the
# same codings and siblings, served the same way, a few per cent larger, in seconds instead of about a minute
# on a fresh machine (the snapshot at quality 10 alone takes ≈ 45 s). Cached apart from the shipped quality.
QUICK_ENV = "HANDBOOK_COMPRESS_QUICK"
MIN_SAVING = 0.10


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _brotli(data: bytes) -> bytes:
    # Large files are compressed once and cached (below): the best quality, but 11 takes minutes on the
    # 9.6 MB wasm, so 9 there. Pages change with every build: quality 7, within 2 % of 9 at a fifth of the time.
    # The calculators' memory snapshot (16 MB) is the largest download: quality 10 with a 16 MB window
    # (the most a browser accepts) brings it to 4.1 MB against 4.9 at 9 (≈ 45 s, once per snapshot).
    if len(data) < CACHED_FROM:
        return brotli.compress(data, quality=7)
    if os.environ.get(QUICK_ENV):
        return brotli.compress(data, quality=5)
    if len(data) >= 12_000_000:
        return brotli.compress(data, quality=10, lgwin=24)
    return brotli.compress(data, quality=11 if len(data) < 1_000_000 else 9)


CODINGS = ((".gz", _gzip), (".br", _brotli))
CACHED_FROM = 100_000  # bytes: larger files (Pyodide, the search indexes, Material's bundle) are cached


def candidates(site: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(site):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            p = Path(dirpath, name)
            if p.suffix.lower() in COMPRESSIBLE and p.stat().st_size >= MIN_SIZE:
                out.append(p)
    return sorted(out)


def _cached(data: bytes, ext: str, fn) -> bytes:
    key = CACHE / (hashlib.sha256(data).hexdigest() + (".quick" if os.environ.get(QUICK_ENV) else "") + ext)
    try:
        return key.read_bytes()
    except OSError:
        pass
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        lock = open(key.with_name(key.name + ".lock"), "w")
    except OSError:  # pragma: no cover - a read-only checkout still builds
        return fn(data)
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # parallel builds (the test workers) compress a file once
        try:
            return key.read_bytes()
        except OSError:
            pass
        packed = fn(data)
        tmp = key.with_name(f"{key.name}.{os.getpid()}.tmp")
        tmp.write_bytes(packed)
        os.replace(tmp, key)
        return packed


def compress_file(path: Path) -> dict[str, int]:
    """Write the worthwhile siblings of one file; returns {ext: size} of those written."""
    data = path.read_bytes()
    written = {}
    for ext, fn in CODINGS:
        sibling = path.with_name(path.name + ext)
        packed = _cached(data, ext, fn) if len(data) >= CACHED_FROM else fn(data)
        if len(packed) <= len(data) * (1 - MIN_SAVING):
            sibling.write_bytes(packed)
            os.utime(sibling, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns))  # nginx compares nothing, but keep them in step
            written[ext] = len(packed)
        elif sibling.exists():
            sibling.unlink()
    return written


def compress_site(site: Path, workers: int = 2) -> dict[str, int]:
    """Precompress every candidate file of the site; returns totals: files, raw, gz and br bytes."""
    files = candidates(Path(site))
    totals = {"files": len(files), "raw": 0, ".gz": 0, ".br": 0}
    with ThreadPoolExecutor(max_workers=workers) as pool:  # zlib and brotli release the GIL
        for path, written in zip(files, pool.map(compress_file, files), strict=True):
            size = path.stat().st_size
            totals["raw"] += size
            for ext in (".gz", ".br"):
                totals[ext] += written.get(ext, size)
    return totals


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path)
    args = ap.parse_args(argv)
    t = compress_site(args.site)
    print(f"{t['files']} files: {t['raw']:,} bytes raw, {t['.gz']:,} as gzip, {t['.br']:,} as brotli", file=sys.stderr)


if __name__ == "__main__":
    main()
