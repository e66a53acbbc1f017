"""Put the in-browser calculator runtime into a built site.

Called by the MkDocs hook after each build (``on_post_build``)::

    bundle(site_dir, root=True)    # the Chinese build at site/: Pyodide core + calculators bundle
    bundle(site_dir, root=False)   # the English build at site/en/: uses the root's copy

What lands in the site (root build only)::

    assets/pyodide/<hash>/  pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm (the npm ``pyodide`` package,
                            314.x, unchanged), pyodide-lock.json (its ``info`` only: the calculators load
                            no package), python_stdlib.zip (the full one, only for a build without a
                            snapshot); <hash> is over these files' contents, so they can be cached
                            as immutable
    assets/calc/      calculators.<key>.zip        (the calculators package with rules.json)
                      snapshot.<key>.bin           (Pyodide memory with the package imported, sparse-encoded,
                                                    or absent; sent compressed by the server from the
                                                    .br/.gz siblings handbook/postbuild/compress.py makes: brotli
                                                    saves 1.5 MB over gzip here)
                      stdlib.<key>.zip             (the standard-library modules that are imported when
                                                    the snapshot is made, i.e. what Pyodide and the
                                                    calculators use: ~140 of 600 files; for a start-up
                                                    without the snapshot; absent without a snapshot)
                      nostdlib.<key>.zip           (an empty zip: what a start-up from the snapshot
                                                    loads as the standard library, since every module
                                                    it uses is already imported in the snapshot)
                      manifest.json                ({"key", "bundle", "snapshot", "stdlib",
                                                     "snapshot_stdlib", "runtime", "pyodide",
                                                     "wasm_sha256", "files"};
                                                     runtime: the folder above, relative)

The front-end (``calc-ui.js``, ``calc-worker.js``, ``calc.css``) lives in ``overrides/assets/calc/``,
which Material copies into every build; all pages use the root's copy so that one worker serves
both languages.

Each calculator page is rendered with what it needs (``page_data``: the result of the page's
default input, computed here by the same Python code, so the first total shows before Pyodide has
started, and the runtime manifest, so the worker needs no extra request); nothing is patched into
built HTML.

The snapshot is made with node (``node_modules/pyodide``) and cached under ``build/pyodide-snapshots``
by a key over everything that goes into it; if node or the snapshot fails, the build fails (the pages
name the snapshot in their manifest), unless it was asked for a plain start: ``HANDBOOK_NO_SNAPSHOT=1``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from handbook.paths import BUILD, OVERRIDES, ROOT

log = logging.getLogger("mkdocs.hooks.handbook.pyodide")

PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
PACKAGE_DIR = ROOT / "calculators"
SNAPSHOT_CACHE = BUILD / "pyodide-snapshots"

# What the browser may fetch from the npm package, copied unchanged into assets/pyodide/<hash>/
# (pyodide-lock.json is written trimmed; python_stdlib.zip is fetched only without a snapshot).
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
)
# Browser modules from npm that the calculator pages import, copied next to the front end
# (node_modules path -> path under assets/calc/).
VENDOR_FILES = {"uqr/dist/index.mjs": "vendor/uqr.mjs"}  # QR code of the worksheet's share link
# The calculator front end (ES modules, no bundler) is shipped in a folder named by a hash over all
# of them, assets/calc/<hash>/, so that a page loads one build's modules, never a mix (a module graph
# is cached per URL for the life of a tab, across Material's instant navigation, and by proxies).
FRONT_END = OVERRIDES / "assets" / "calc"


def front_end_files() -> dict[str, Path]:
    """What goes into the front end's hashed folder: name in it -> source."""
    files = {p.name: p for p in sorted(FRONT_END.glob("*.js"))}
    for src, dst in VENDOR_FILES.items():
        if (ROOT / "node_modules" / src).exists():
            files[dst] = ROOT / "node_modules" / src
    return files


def front_end_dir() -> str:
    """The hashed folder's name, relative to assets/calc/, with its slash: ``3f2a…/``."""
    h = hashlib.sha256()
    for name, path in front_end_files().items():
        h.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:12] + "/"


# Bump when the snapshot recipe below changes, so cached snapshots are rebuilt.
SNAPSHOT_RECIPE = "8"  # 2: sparse pages, gzipped; 3: zipimport; 4: start-up steps imported from boot.js;
                       # 5: module list, zip caches dropped; 6: -OO, every module of the package imported;
                       # 7: cached as it ships, not gzipped; 8: sealed with its SHA-256 (CSP2)
# Python's start-up steps, shared by the browser's worker and the snapshot script below (so the
# snapshot is taken after exactly what the worker would have done). Part of the cache key.
BOOT_JS = OVERRIDES / "assets" / "calc" / "boot.js"
STDLIB_IN_WASM = "/lib/python314.zip/"  # where Pyodide 314 puts python_stdlib.zip

# Runs in node at build time (argv: pyodide dir, bundle zip, output file, boot.js); a module of its own,
# checked by `make lint`, and part of the snapshot's cache key.
SNAPSHOT_SCRIPT = Path(__file__).with_name("make_snapshot.mjs")


class BundleError(RuntimeError):
    pass


# ----------------------------------------------------------------------------------------- helpers


def _package_files(package_dir: Path) -> list[Path]:
    files = []
    for path in sorted(package_dir.rglob("*")):
        rel = path.relative_to(package_dir)
        if path.is_dir() or "__pycache__" in rel.parts or path.suffix in {".pyc", ".pyo"}:
            continue
        if rel.parts[0] in {"tests", "test"}:
            continue
        if path.suffix not in {".py", ".json"}:
            continue
        files.append(path)
    return files


def pyodide_version(pyodide_dir: Path = PYODIDE_DIR) -> str:
    return json.loads((pyodide_dir / "package.json").read_text(encoding="utf-8"))["version"]


def _pyodide_build_id(pyodide_dir: Path) -> str:
    text = (pyodide_dir / "pyodide.mjs").read_text(encoding="utf-8")
    m = re.search(r'BUILD_ID:"([0-9a-f]+)"', text)
    return m.group(1) if m else "unknown"


def make_zip(package_dir: Path, out: Path) -> bytes:
    """A deterministic zip of the package (fixed timestamps, sorted), as ``calculators/...``."""
    name = package_dir.name
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in _package_files(package_dir):
            info = zipfile.ZipInfo(f"{name}/{path.relative_to(package_dir).as_posix()}", (2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    return out.read_bytes()


def bundle_key(zip_bytes: bytes, pyodide_dir: Path = PYODIDE_DIR) -> str:
    h = hashlib.sha256()
    h.update(zip_bytes)
    h.update(pyodide_version(pyodide_dir).encode())
    h.update(_pyodide_build_id(pyodide_dir).encode())
    h.update(SNAPSHOT_RECIPE.encode())
    h.update(SNAPSHOT_SCRIPT.read_bytes())
    h.update(BOOT_JS.read_bytes())
    return h.hexdigest()[:16]


def make_snapshot(zip_path: Path, out: Path, pyodide_dir: Path = PYODIDE_DIR, timeout: int = 300) -> None:
    """Boot Pyodide in node with the bundle imported and write its memory, sparse-encoded, to ``out``
    (compressed later with the rest of the site, by handbook/postbuild/compress.py)."""
    node = shutil.which("node")
    if not node:
        raise BundleError("node is not installed")
    if not (pyodide_dir / "pyodide.mjs").exists():
        raise BundleError(f"{pyodide_dir} has no pyodide.mjs: run `npm ci`")
    with tempfile.TemporaryDirectory(prefix="pyodide-snap-") as tmp:
        raw = Path(tmp) / "snapshot.bin"
        proc = subprocess.run(
            [node, str(SNAPSHOT_SCRIPT), str(pyodide_dir.resolve()), str(zip_path.resolve()), str(raw), str(BOOT_JS)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if proc.returncode != 0 or not raw.exists():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
            # node prints the offending source line, which for pyodide.asm.mjs is a megabyte long
            raise BundleError("node failed: " + " | ".join(line[:300] for line in tail))
        data = raw.read_bytes()
        modules = json.loads((Path(tmp) / "snapshot.bin.modules.json").read_text(encoding="utf-8"))
    # parallel builds share the cache: write aside, then rename (the module list first)
    tmp_list = modules_path(out).with_name(f"{modules_path(out).name}.{os.getpid()}.tmp")
    tmp_list.write_text(json.dumps(modules, indent=0) + "\n", encoding="utf-8")
    tmp_list.replace(modules_path(out))
    tmp_out = out.with_name(f"{out.name}.{os.getpid()}.tmp")
    tmp_out.write_bytes(sparse_encode(data))
    tmp_out.replace(out)


def modules_path(snapshot: Path) -> Path:
    """The list of standard-library files imported when the snapshot was made, next to it."""
    return snapshot.with_name(snapshot.name.replace(".bin", ".modules.json"))


def make_stdlib_zip(modules: list[str], out: Path, pyodide_dir: Path = PYODIDE_DIR) -> int:
    """A deterministic copy of python_stdlib.zip with only ``modules`` (paths as Python saw them,
    ``/lib/python314.zip/json/decoder.py``) and the packages they live in. Returns the file count."""
    wanted = set()
    for origin in modules:
        if not origin.startswith(STDLIB_IN_WASM):
            continue  # a built-in or frozen module, or the calculators' own zip
        rel = origin[len(STDLIB_IN_WASM):]
        wanted.add(rel)
        parts = rel.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            wanted.add("/".join(parts[:i]) + "/__init__.py")
    with zipfile.ZipFile(pyodide_dir / "python_stdlib.zip") as src:
        names = set(src.namelist())
        missing = sorted(n for n in wanted if n not in names and not n.endswith("/__init__.py"))
        if missing:
            raise BundleError(f"python_stdlib.zip has no {missing[:5]}")
        keep = sorted(n for n in wanted if n in names)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name in keep:
                info = zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, src.read(name))
    return len(keep)


def trimmed_lock(pyodide_dir: Path = PYODIDE_DIR) -> str:
    """pyodide-lock.json without its package list (119 kB): the calculators load no package, and
    Pyodide checks only the ``info`` block (versions) at start-up."""
    lock = json.loads((pyodide_dir / "pyodide-lock.json").read_text(encoding="utf-8"))
    return json.dumps({"info": lock["info"], "packages": {}}, sort_keys=True, separators=(",", ":")) + "\n"


def runtime_hash(pyodide_dir: Path = PYODIDE_DIR) -> str:
    """The name of pyodide's versioned folder: a hash over exactly the bytes shipped in it."""
    h = hashlib.sha256()
    for name in PYODIDE_FILES:
        h.update(name.encode() + b"\0")
        with open(pyodide_dir / name, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    h.update(trimmed_lock(pyodide_dir).encode())
    return h.hexdigest()[:12]


SPARSE_MAGIC = b"CSP2"
SPARSE_PAGE = 4096
SEAL_SIZE = 32  # the SHA-256 at the end of a sparse image


def sparse_encode(data: bytes, page: int = SPARSE_PAGE) -> bytes:
    """Drop the all-zero pages of a memory image (half of Pyodide's heap is untouched).

    Layout, little-endian: b"CSP2", u32 total length, u32 page size, u32 count, u32 index[count],
    then the kept pages in order, each ``page`` bytes (the last one zero-padded), then the SHA-256
    of everything before it (the seal). calc-worker.js checks the seal (a damaged download of the
    right size is refused, not restored into Python) and rebuilds the image with one allocation
    and ``count`` copies.
    """
    zero = bytes(page)
    keep = [i for i in range((len(data) + page - 1) // page) if data[i * page : (i + 1) * page].ljust(page, b"\0") != zero]
    out = bytearray(SPARSE_MAGIC)
    out += struct.pack(f"<III{len(keep)}I", len(data), page, len(keep), *keep)
    for i in keep:
        out += data[i * page : (i + 1) * page].ljust(page, b"\0")
    out += hashlib.sha256(out).digest()
    return bytes(out)


def sparse_decode(blob: bytes) -> bytes:
    """The memory image back (what calc-worker.js's unsparse does); ValueError when the blob is damaged."""
    if blob[:4] != SPARSE_MAGIC or len(blob) < 16 + SEAL_SIZE:
        raise ValueError("not a sealed sparse image")
    body, seal = blob[:-SEAL_SIZE], blob[-SEAL_SIZE:]
    if hashlib.sha256(body).digest() != seal:
        raise ValueError("the seal does not match: damaged")
    total, page, count = struct.unpack_from("<III", body, 4)
    if not page or count > -(-total // page) or len(body) != 16 + 4 * count + count * page:
        raise ValueError("the header does not match the size: damaged or truncated")
    out = bytearray(total)
    base = 16 + 4 * count
    for k, i in enumerate(struct.unpack_from(f"<{count}I", body, 16)):
        length = min(page, total - i * page)
        out[i * page : i * page + length] = body[base + k * page : base + k * page + length]
    return bytes(out)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _prune_cache(keep: Path, count: int = 4) -> None:
    """Keep the few most recent snapshots (each is ~16 MB)."""
    snaps = sorted(SNAPSHOT_CACHE.glob("snapshot.*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in snaps[count:]:
        if old != keep:
            old.unlink(missing_ok=True)
            modules_path(old).unlink(missing_ok=True)


def _copy_if_changed(src: Path, dst: Path) -> None:
    if dst.exists() and dst.stat().st_size == src.stat().st_size and dst.stat().st_mtime >= src.stat().st_mtime:
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)


# ------------------------------------------------------------------------------- what a page needs


def _import_api(package_dir: Path):
    parent = str(package_dir.parent.resolve())
    if parent not in sys.path:
        sys.path.insert(0, parent)
    import importlib

    return importlib.import_module(f"{package_dir.name}.api"), importlib.import_module(package_dir.name)


def initial_result(name: str, package_dir: Path = PACKAGE_DIR) -> dict:
    """What the page shows before Pyodide is up: the engine's answer for DEFAULT_INPUT, computed
    by the same package natively (``{"input": json, "output": json}``, as the worker answers)."""
    api, pkg = _import_api(package_dir)
    module = pkg.CALCULATORS[name]
    input_json = json.dumps(getattr(module, "DEFAULT_INPUT", {}), ensure_ascii=False, separators=(",", ":"))
    return {"input": input_json, "output": api.run(name, input_json)}


_page_manifests: dict[tuple, dict | None] = {}


def page_data(name: str, *, package_dir: Path | None = None, pyodide_dir: Path | None = None, snapshot: bool | None = None) -> dict | None:
    """Everything a calculator page carries, computed before the page is rendered (the template
    writes it into its ``data-calc-initial`` attribute): the example's build-time result and the
    runtime manifest, so the worker needs no extra request. None when neither can be had."""
    package_dir = Path(package_dir or os.environ.get("HANDBOOK_CALC_PACKAGE") or PACKAGE_DIR)
    pyodide_dir = Path(pyodide_dir or PYODIDE_DIR)
    if snapshot is None:
        snapshot = not os.environ.get("HANDBOOK_NO_SNAPSHOT")
    key = (package_dir, pyodide_dir, snapshot)
    if key not in _page_manifests:
        _page_manifests[key] = runtime_manifest(package_dir, pyodide_dir, snapshot)
    data: dict = {}
    try:
        data = initial_result(name, package_dir)
    except Exception as exc:  # the page still works, it just waits for Pyodide
        log.warning("calculator %s: no build-time result (%s)", name, exc)
    if _page_manifests[key]:
        data["manifest"] = _page_manifests[key]
    return data or None


# ------------------------------------------------------------------------------------------ bundle


def bundle(
    site_dir: Path,
    root: bool,
    *,
    package_dir: Path | None = None,
    pyodide_dir: Path | None = None,
    snapshot: bool | None = None,
) -> dict:
    """Copy the runtime into ``site_dir``; see the module docstring. Returns the manifest (root) or {}.

    ``snapshot=None`` means: on unless the environment variable HANDBOOK_NO_SNAPSHOT is set.
    """
    site_dir = Path(site_dir)
    package_dir = Path(package_dir or os.environ.get("HANDBOOK_CALC_PACKAGE") or PACKAGE_DIR)
    pyodide_dir = Path(pyodide_dir or PYODIDE_DIR)
    if snapshot is None:
        snapshot = not os.environ.get("HANDBOOK_NO_SNAPSHOT")
    if not root:
        # The English build uses the root build's runtime; its pages were rendered with the same
        # manifest (page_data), so there is nothing to copy.
        return {}
    return _bundle_root(site_dir, package_dir, pyodide_dir, snapshot)


def runtime_manifest(package_dir: Path, pyodide_dir: Path, snapshot: bool) -> dict | None:
    """The manifest the root build writes, computed without writing anything (the root build fails
    rather than write another: a snapshot that cannot be made is an error, see _bundle_root)."""
    if not (pyodide_dir / "pyodide.mjs").exists():
        return None
    with tempfile.TemporaryDirectory(prefix="calc-zip-") as tmp:
        key = bundle_key(make_zip(package_dir, Path(tmp) / "calculators.zip"), pyodide_dir)
    return _manifest(key, f"snapshot.{key}.bin" if snapshot else None, pyodide_dir)


def page_manifest() -> dict | None:
    """The runtime manifest of this build, as every page carries it (computed once per process)."""
    package_dir = Path(os.environ.get("HANDBOOK_CALC_PACKAGE") or PACKAGE_DIR)
    key = (package_dir, PYODIDE_DIR, not os.environ.get("HANDBOOK_NO_SNAPSHOT"))
    if key not in _page_manifests:
        _page_manifests[key] = runtime_manifest(*key)
    return _page_manifests[key]


def _manifest(key: str, snap_name: str | None, pyodide_dir: Path) -> dict:
    return {
        "key": key,
        "bundle": f"calculators.{key}.zip",
        "snapshot": snap_name,
        # the stdlib zip is made from the snapshot's module list; without a snapshot Pyodide takes
        # the full python_stdlib.zip from the runtime folder
        "stdlib": f"stdlib.{key}.zip" if snap_name else None,
        # restored from the snapshot, Python imports nothing more: an empty zip stands in
        "snapshot_stdlib": f"nostdlib.{key}.zip" if snap_name else None,
        "runtime": f"../pyodide/{runtime_hash(pyodide_dir)}/",  # relative to assets/calc/
        "pyodide": pyodide_version(pyodide_dir),
        # the worker checks the wasm against this before Python runs in it (a damaged file of the
        # right size may still compile)
        "wasm_sha256": file_sha256(pyodide_dir / "pyodide.asm.wasm"),
    } | {"files": _runtime_files(key, snap_name, pyodide_dir)}


def _runtime_files(key: str, snap_name: str | None, pyodide_dir: Path) -> list[str]:
    """Every file the worker may download, relative to assets/calc/ (the offline copy caches these,
    handbook/runtime/offline.py): Pyodide's own, the bundle, and the snapshot with its standard
    libraries, or the full standard library without a snapshot (the fallback start-up's, offline too)."""
    runtime = f"../pyodide/{runtime_hash(pyodide_dir)}/"
    files = [runtime + name for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json")]
    files.append(f"calculators.{key}.zip")
    if snap_name:
        files += [snap_name, f"nostdlib.{key}.zip", f"stdlib.{key}.zip"]
    else:
        files.append(runtime + "python_stdlib.zip")
    return files


# An import of a module outside the calculators' folder (``"../shared/bus.js"``, which every script of the page
# shares): the hashed folder is one level deeper than the source, so its copy reaches one level further up, to
# the same URL the page's other scripts import (one instance of the module per page).
OUTSIDE_IMPORT = re.compile(r"""((?:\bfrom|\bimport)\s*\(?\s*["'])\.\./""")


def one_level_deeper(source: str) -> str:
    return OUTSIDE_IMPORT.sub(r"\1../../", source)


def _write_if_changed(dst: Path, text: str) -> None:
    if not dst.exists() or dst.read_text(encoding="utf-8") != text:
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(text, encoding="utf-8")


def _front_end(calc: Path) -> None:
    """The front end's modules into their hashed folder; the unhashed copies Material made, and older
    folders, removed (a page names the folder of its own build: handbook.pages.site)."""
    folder = calc / front_end_dir()
    for old in calc.iterdir():
        if old.is_dir() and re.fullmatch(r"[0-9a-f]{12}", old.name) and old.name != folder.name:
            shutil.rmtree(old)
    files = front_end_files()
    for name, src in files.items():
        if src.suffix == ".js" and OUTSIDE_IMPORT.search(src.read_text(encoding="utf-8")):
            _write_if_changed(folder / name, one_level_deeper(src.read_text(encoding="utf-8")))
        else:
            _copy_if_changed(src, folder / name)
    for src in VENDOR_FILES:
        if not (ROOT / "node_modules" / src).exists():
            log.warning("calculators: node_modules/%s missing (run `npm ci`): no QR code on worksheets", src)
    for name in files:
        if "/" not in name:
            (calc / name).unlink(missing_ok=True)


def _bundle_root(site_dir: Path, package_dir: Path, pyodide_dir: Path, snapshot: bool) -> dict:
    if not (pyodide_dir / "pyodide.mjs").exists():
        raise BundleError(f"Pyodide is not installed at {pyodide_dir}: run `npm ci` at the repository root")
    version = pyodide_version(pyodide_dir)
    if not version.startswith("314."):
        raise BundleError(f"expected pyodide 314.x in {pyodide_dir}, found {version}")

    core = site_dir / "assets" / "pyodide" / runtime_hash(pyodide_dir)
    if core.parent.is_dir():
        for old in core.parent.iterdir():
            if old != core:
                shutil.rmtree(old) if old.is_dir() else old.unlink()
    for name in PYODIDE_FILES:
        _copy_if_changed(pyodide_dir / name, core / name)
    (core / "pyodide-lock.json").write_text(trimmed_lock(pyodide_dir), encoding="utf-8")

    calc = site_dir / "assets" / "calc"
    calc.mkdir(parents=True, exist_ok=True)
    _front_end(calc)
    for pattern in ("calculators.*.zip", "snapshot.*.bin*", "stdlib.*.zip", "nostdlib.*.zip"):
        for old in calc.glob(pattern):
            old.unlink()
    with tempfile.TemporaryDirectory(prefix="calc-zip-") as tmp:
        zip_bytes = make_zip(package_dir, Path(tmp) / "calculators.zip")
    key = bundle_key(zip_bytes, pyodide_dir)
    zip_name = f"calculators.{key}.zip"
    (calc / zip_name).write_bytes(zip_bytes)

    snap_name = None
    if snapshot:
        cached = SNAPSHOT_CACHE / f"snapshot.{key}.bin"
        try:
            if not cached.exists():
                SNAPSHOT_CACHE.mkdir(parents=True, exist_ok=True)
                make_snapshot(calc / zip_name, cached, pyodide_dir)
                _prune_cache(keep=cached)
            modules = json.loads(modules_path(cached).read_text(encoding="utf-8"))
            count = make_stdlib_zip(modules, calc / f"stdlib.{key}.zip", pyodide_dir)
            log.info("calculators: %d standard-library file(s) shipped in stdlib.%s.zip", count, key)
            with zipfile.ZipFile(calc / f"nostdlib.{key}.zip", "w"):
                pass  # 22 bytes: an empty zip
            snap_name = f"snapshot.{key}.bin"
            shutil.copyfile(cached, calc / snap_name)  # its compressed siblings come with the site's
        except (BundleError, OSError, ValueError, subprocess.SubprocessError) as exc:
            # The pages were rendered with a manifest that names the snapshot: a build without it
            # would be a slower site that looks the same. A plain start is asked for explicitly.
            raise BundleError(f"the calculators' memory snapshot could not be made ({exc}); fix that, or build "
                              "without one on purpose with HANDBOOK_NO_SNAPSHOT=1") from exc

    manifest = _manifest(key, snap_name, pyodide_dir)
    (calc / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


if __name__ == "__main__":  # python -m handbook.runtime.pyodide_bundle SITE_DIR [--en]
    logging.basicConfig(level=logging.INFO)
    args = sys.argv[1:]
    print(json.dumps(bundle(Path(args[0]), root="--en" not in args), indent=1))
