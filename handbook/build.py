"""Build the whole site: the Chinese site in ``site/`` and the English one in ``site/en/``.

    python -m handbook.build [--site-url http://127.0.0.1:8000/] [--out site]

Both MkDocs builds run in parallel (each is strict; a data or template error fails the build and
names the file). The English build is made in a scratch directory and moved under the Chinese one;
then the build hashes the pages' inline scripts for the Content-Security-Policy (handbook/postbuild/csp.py) and
precompresses the text assets and the wasm (handbook/postbuild/compress.py). All of it happens in a fresh folder
that replaces the output folder only when everything succeeded.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from handbook.exports.rules_export import derive_for_build
from handbook.model.loader import load
from handbook.model.yamlfile import DataError
from handbook.paths import DATA, ROOT
from handbook.postbuild import csp
from handbook.postbuild.compress import compress_site
from handbook.runtime import offline

DEFAULT_URL = "http://127.0.0.1:8000/"


def build(site_url: str = DEFAULT_URL, out: Path = ROOT / "site", quiet: bool = False) -> None:
    """Build into a fresh folder next to ``out`` and put it in place only when everything succeeded:
    a failed build leaves the previous site as it was (a server keeps serving it)."""
    try:
        load(os.environ.get("HANDBOOK_DATA") or DATA)  # fail fast, with the data error's file and line, before starting MkDocs twice
    except DataError as exc:
        raise SystemExit(f"error: invalid handbook data: {exc}") from None
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    # Private scratch folders next to the output (same file system, so the swap is a rename); one set
    # per build process, so parallel builds never share them.
    tag = f"{out.name}.{os.getpid()}"
    staging = out.parent / f".{tag}.new"
    scratch = out.parent / f".{tag}-en.tmp"
    rules_env = derive_for_build(os.environ.get("HANDBOOK_DATA") or DATA, out)  # the calculators follow the data (#14)
    try:
        _build_into(staging, scratch, site_url, quiet, rules_env)
        _swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)


def _build_into(staging: Path, scratch: Path, site_url: str, quiet: bool, rules_env: dict) -> None:
    env = dict(os.environ, HANDBOOK_SITE_URL=site_url, NO_MKDOCS_2_WARNING="1", **rules_env)
    cmd = [sys.executable, "-m", "properdocs", "build", "--strict"] + (["--quiet"] if quiet else [])
    started = time.monotonic()
    zh = subprocess.Popen(cmd + ["-f", "mkdocs.yml", "--site-dir", str(staging)], cwd=ROOT, env=env)
    en = subprocess.Popen(cmd + ["-f", "mkdocs.en.yml", "--site-dir", str(scratch)], cwd=ROOT, env=env)
    codes = zh.wait(), en.wait()
    if any(codes):
        raise SystemExit(f"error: mkdocs build failed (zh exit {codes[0]}, en exit {codes[1]}); the previous site is left as it was")
    shutil.move(str(scratch), str(staging / "en"))
    csp.write(staging)  # after every page exists: the hashes of their inline scripts, and each page's <meta> policy
    offline.write(staging)  # both languages' files, as csp.write left the pages (it hashes their content)
    sizes = compress_site(staging)
    if not quiet:
        print(f"built zh and en for {site_url} in {time.monotonic() - started:.1f}s; "
              f"{sizes['files']} files precompressed: {sizes['raw'] / 1e6:.1f} MB → "
              f"{sizes['.gz'] / 1e6:.1f} MB gzip, {sizes['.br'] / 1e6:.1f} MB brotli")


def _swap(staging: Path, out: Path) -> None:
    """Put the new site in place of the old one: two renames, so the old one is never half deleted."""
    old = out.parent / f".{out.name}.{os.getpid()}.old"
    if out.exists():
        os.rename(out, old)
    os.rename(staging, out)
    shutil.rmtree(old, ignore_errors=True)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site-url", default=os.environ.get("HANDBOOK_SITE_URL", DEFAULT_URL))
    ap.add_argument("--out", type=Path, default=ROOT / "site")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    build(args.site_url, args.out, args.quiet)


if __name__ == "__main__":
    main()
