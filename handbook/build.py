"""Build the whole site: the Chinese site in ``site/`` and the English one in ``site/en/``.

    python -m handbook.build [--site-url http://127.0.0.1:8000/] [--out site] [--verbose | --quiet]

It prints one summary line per language (MkDocs' own INFO lines only with --verbose; warnings and errors
always), and nothing at all with --quiet.

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
from handbook.languages import LANGUAGES, ROOT_LANGUAGE, language
from handbook.model.loader import load
from handbook.model.yamlfile import DataError
from handbook.paths import DATA, ROOT
from handbook.postbuild import csp
from handbook.postbuild.compress import compress_site
from handbook.runtime import offline

DEFAULT_URL = "http://127.0.0.1:8000/"


def build(site_url: str = DEFAULT_URL, out: Path = ROOT / "site", quiet: bool = False, verbose: bool = False) -> None:
    """Build into a fresh folder next to ``out`` and put it in place only when everything succeeded:
    a failed build leaves the previous site as it was (a server keeps serving it)."""
    phases: dict[str, float] = {}
    clock = time.monotonic()
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
    scratch = {lang.code: out.parent / f".{tag}-{lang.code}.tmp" for lang in LANGUAGES if lang is not ROOT_LANGUAGE}
    phases["data"] = time.monotonic() - clock
    rules_env = derive_for_build(os.environ.get("HANDBOOK_DATA") or DATA, out)  # the calculators follow the data (#14)
    phases["rules"] = time.monotonic() - clock - sum(phases.values())
    try:
        _build_into(staging, scratch, site_url, quiet, rules_env, verbose, phases)
        _swap(staging, out)
    finally:
        for folder in (staging, *scratch.values()):
            shutil.rmtree(folder, ignore_errors=True)


def _build_into(staging: Path, scratch: dict[str, Path], site_url: str, quiet: bool, rules_env: dict, verbose: bool = False,
                phases: dict[str, float] | None = None) -> None:
    phases = {} if phases is None else phases
    env = dict(os.environ, HANDBOOK_SITE_URL=site_url, NO_MKDOCS_2_WARNING="1", **rules_env)
    # MkDocs' INFO lines (about 140 a language) only when asked for; its warnings and errors always.
    cmd = [sys.executable, "-m", "properdocs", "build", "--strict"] + ([] if verbose else ["--quiet"])
    started = time.monotonic()
    builds = {lang.code: subprocess.Popen(cmd + ["-f", lang.config, "--site-dir", str(scratch.get(lang.code, staging))], cwd=ROOT, env=env)
              for lang in LANGUAGES}  # in parallel; the site root's language straight into the staging folder
    codes = {code: proc.wait() for code, proc in builds.items()}
    if any(codes.values()):
        raise SystemExit(f"error: mkdocs build failed ({', '.join(f'{c} exit {n}' for c, n in codes.items())}); the previous site is left as it was")
    took = phases["mkdocs"] = time.monotonic() - started
    if not quiet:  # one line a language: its pages, counted before the other languages are moved under the root's
        for lang in LANGUAGES:
            pages = sum(1 for _ in scratch.get(lang.code, staging).rglob("index.html"))
            print(f"{lang.code}: {pages} pages built in {took:.0f}s ({site_url}{lang.prefix})")
    for code, folder in scratch.items():
        shutil.move(str(folder), str(staging / language(code).prefix))
    clock = time.monotonic()
    csp.write(staging)  # after every page exists: the hashes of their inline scripts, and each page's <meta> policy
    phases["csp"] = time.monotonic() - clock
    offline.write(staging)  # every language's files, as csp.write left the pages (it hashes their content)
    phases["offline"] = time.monotonic() - clock - phases["csp"]
    sizes = compress_site(staging)
    phases["compress"] = time.monotonic() - clock - phases["csp"] - phases["offline"]
    if verbose:  # where a build's time goes (bench/calculators.py --build prints it too)
        print(f"built {' and '.join(builds)} for {site_url} in {time.monotonic() - started:.1f}s; "
              f"{sizes['files']} files precompressed: {sizes['raw'] / 1e6:.1f} MB → "
              f"{sizes['.gz'] / 1e6:.1f} MB gzip, {sizes['.br'] / 1e6:.1f} MB brotli")
        print("phases: " + ", ".join(f"{name} {secs:.1f}s" for name, secs in phases.items()))


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
    ap.add_argument("--quiet", action="store_true", help="print nothing but warnings and errors")
    ap.add_argument("--verbose", action="store_true", help="MkDocs' own INFO lines and the compression figures too")
    args = ap.parse_args(argv)
    build(args.site_url, args.out, args.quiet, args.verbose)


if __name__ == "__main__":
    main()
