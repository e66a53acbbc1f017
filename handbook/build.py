"""Build the whole site: the Chinese site in ``site/`` and the English one in ``site/en/``.

    python -m handbook.build [--site-url http://127.0.0.1:8000/] [--out site]

Both MkDocs builds run in parallel (each is strict; a data or template error fails the build and
names the file). The English build is made in a scratch directory and moved under the Chinese one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import offline
from .loader import DATA, ROOT, DataError, load

DEFAULT_URL = "http://127.0.0.1:8000/"


def build(site_url: str = DEFAULT_URL, out: Path = ROOT / "site", quiet: bool = False) -> None:
    try:
        load(os.environ.get("HANDBOOK_DATA") or DATA)  # fail fast, with the data error's file and line, before starting MkDocs twice
    except DataError as exc:
        raise SystemExit(f"error: invalid handbook data: {exc}")
    out = Path(out).resolve()
    scratch = out.parent / f".{out.name}-en.tmp"  # one per output: parallel builds must not share it
    env = dict(os.environ, HANDBOOK_SITE_URL=site_url, NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict"] + (["--quiet"] if quiet else [])
    started = time.monotonic()
    zh = subprocess.Popen(cmd + ["-f", "mkdocs.yml", "--site-dir", str(out)], cwd=ROOT, env=env)
    en = subprocess.Popen(cmd + ["-f", "mkdocs.en.yml", "--site-dir", str(scratch)], cwd=ROOT, env=env)
    codes = zh.wait(), en.wait()
    if any(codes):
        shutil.rmtree(scratch, ignore_errors=True)
        raise SystemExit(f"error: mkdocs build failed (zh exit {codes[0]}, en exit {codes[1]})")
    target = out / "en"
    if target.exists():
        shutil.rmtree(target)
    shutil.move(str(scratch), str(target))
    offline.write(out)  # the service worker's file list covers both languages: after both builds
    if not quiet:
        print(f"built {out} (zh) and {target} (en) for {site_url} in {time.monotonic() - started:.1f}s")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site-url", default=os.environ.get("HANDBOOK_SITE_URL", DEFAULT_URL))
    ap.add_argument("--out", type=Path, default=ROOT / "site")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    build(args.site_url, args.out, args.quiet)


if __name__ == "__main__":
    main()
