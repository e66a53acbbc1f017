// How Python is prepared to run the calculators: the same steps in the browser's worker
// (calc-worker.js) and at build time in node, before the memory snapshot is taken
// (handbook/pyodide_bundle.py imports this file; its bytes are part of the snapshot's cache key).
//
// The calculators package is imported straight from its zip (zipimport): one file write, no
// extraction; the path is fixed, since the snapshot already holds an importer for it.

export const ZIP_PATH = "/home/pyodide/calculators.zip";

export const BOOT_PY = `import sys
if ${JSON.stringify(ZIP_PATH)} not in sys.path:
    sys.path.insert(0, ${JSON.stringify(ZIP_PATH)})
import calculators.api`;

/** Write the bundle and import the package (the steps the snapshot is taken after). */
export function prepare(py, zip) {
  py.FS.mkdirTree("/home/pyodide");
  py.FS.writeFile(ZIP_PATH, zip);
  py.runPython(BOOT_PY);
}

/** In the browser: prepare, then hand back calculators.api.run (a PyProxy). */
export function bootPython(py, zip) {
  prepare(py, zip);
  return py.runPython("calculators.api.run");
}

/** Build time only: run every calculator once on its example and on an empty input, so that
 * whatever they import lazily is imported in the snapshot too. */
export const WARM_PY = `import json as _json
import calculators
for _name, _mod in calculators.CALCULATORS.items():
    calculators.api.run(_name, _json.dumps(getattr(_mod, "DEFAULT_INPUT", {})))
    calculators.api.run(_name, "{}")
del _name, _mod, _json`;
