// Build time only, run by handbook/runtime/pyodide_bundle.py (make_snapshot) in node: boots Pyodide
// from node_modules, prepares Python exactly as the browser's worker does (boot.js), imports every
// module of the calculators package, runs each calculator once, and writes Python's memory snapshot.
// argv: pyodide dir, calculators bundle zip, output file, boot.js. Its bytes are part of the
// snapshot's cache key (pyodide_bundle.bundle_key). Checked by `make lint` (node --check).
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [pyodideDir, zipPath, outPath, bootModule] = process.argv.slice(2);
const { prepare, WARM_PY } = await import(pathToFileURL(bootModule).href);
const { loadPyodide } = await import(pathToFileURL(pyodideDir + "/pyodide.mjs").href);
// -OO (no docstrings, no asserts): a smaller heap, so a smaller snapshot (the calculators use no assert
// and no docstring: tests/calculators/test_cli.py compares their answers with and without -OO)
const py = await loadPyodide({ _makeSnapshot: true, indexURL: pyodideDir + "/", env: { PYTHONOPTIMIZE: "2" } });
prepare(py, new Uint8Array(readFileSync(zipPath)));
py.runPython(WARM_PY);
const check = py.runPython(`calculators.api.run("__none__", "{}")`);
if (!check.startsWith("{")) throw new Error("calculators.api.run did not answer JSON: " + check);
// Every standard-library file imported so far (Pyodide's own start-up and the calculators): the
// site ships only these. Then forget the zips' directories, so that a later import reads the
// directory of the (smaller) zip the browser has, not the one this process had.
writeFileSync(outPath + ".modules.json", py.runPython(`
import sys as _sys, json as _json
_out = _json.dumps(sorted({m.__spec__.origin for m in list(_sys.modules.values())
                           if getattr(m, "__spec__", None) and (m.__spec__.origin or "").startswith("/lib/")}))
del _sys, _json
_out`));
py.runPython(`
import gc, linecache, sys, zipimport
zipimport._zip_directory_cache.clear()
sys.path_importer_cache.clear()
linecache.clearcache()
del _out, gc, linecache, sys, zipimport
__import__("gc").collect()
`);
writeFileSync(outPath, py.makeMemorySnapshot());
