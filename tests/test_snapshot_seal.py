"""The memory snapshot is sealed with its SHA-256 and the wasm's digest is in the runtime manifest, so that a
damaged download of the right size is refused before Python runs from it (#22).

handbook.runtime.pyodide_bundle writes the seal; overrides/assets/calc/download.js checks it (run here in node on
an image Python sealed: the two agree on the layout)."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest
from conftest import require_node

from handbook.paths import OVERRIDES
from handbook.runtime import pyodide_bundle as pb

DOWNLOAD_JS = OVERRIDES / "assets" / "calc" / "download.js"


def image() -> bytes:
    data = bytearray(5 * pb.SPARSE_PAGE + 123)  # the last page short, two pages all zero
    data[10:20] = b"python-mem"
    data[2 * pb.SPARSE_PAGE + 7] = 0xFF
    data[-1] = 0x42
    return bytes(data)


def test_a_sealed_image_decodes_to_itself_and_a_changed_byte_is_refused():
    blob = pb.sparse_encode(image())
    assert blob[:4] == pb.SPARSE_MAGIC and len(blob) == 16 + 4 * 3 + 3 * pb.SPARSE_PAGE + pb.SEAL_SIZE  # pages 0, 2 and 5 kept
    assert pb.sparse_decode(blob) == image()
    for at in (1, 5, 17, 16 + 16 + 3, len(blob) // 2, len(blob) - 1):
        bad = bytearray(blob)
        bad[at] ^= 0x10  # same size, one bit off
        with pytest.raises(ValueError):
            pb.sparse_decode(bytes(bad))
    with pytest.raises(ValueError):
        pb.sparse_decode(blob[:-1])


@pytest.mark.parametrize("damage", [None, "flip"])
def test_the_browser_side_reads_what_python_sealed_and_refuses_it_damaged(tmp_path, damage):
    blob = bytearray(pb.sparse_encode(image()))
    if damage:
        blob[len(blob) // 2] ^= 0x01
    path = tmp_path / "snapshot.bin"
    path.write_bytes(bytes(blob))
    script = f"""
import {{ readFileSync }} from "node:fs";
import {{ createHash }} from "node:crypto";
import {{ unsparse }} from {json.dumps(DOWNLOAD_JS.as_uri())};
try {{
  const img = await unsparse(new Uint8Array(readFileSync({json.dumps(str(path))})));
  console.log(JSON.stringify({{ sha: createHash("sha256").update(img).digest("hex") }}));
}} catch (err) {{
  console.log(JSON.stringify({{ cause: err.cause, message: err.message }}));
}}
"""
    out = subprocess.run([require_node(), "--input-type=module", "-e", script], capture_output=True, text=True, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    if damage:
        assert got["cause"] == "corrupt" and "seal" in got["message"], got
    else:
        assert got == {"sha": hashlib.sha256(image()).hexdigest()}


def test_the_manifest_names_the_wasm_digest():
    if not (pb.PYODIDE_DIR / "pyodide.mjs").exists():
        pytest.fail("node_modules/pyodide is missing: run `npm ci`")
    manifest = pb.runtime_manifest(pb.PACKAGE_DIR, pb.PYODIDE_DIR, snapshot=False)
    assert manifest["wasm_sha256"] == hashlib.sha256((pb.PYODIDE_DIR / "pyodide.asm.wasm").read_bytes()).hexdigest()
