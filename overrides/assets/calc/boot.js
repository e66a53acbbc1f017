// How Python is prepared to run the calculators: the same steps in the browser's worker
// (calc-worker.js) and at build time in node, before the memory snapshot is taken
// (handbook/runtime/pyodide_bundle.py imports this file; its bytes are part of the snapshot's cache key).
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

/** The engine's entry point, calculators.api.run, as a PyProxy: in a Python restored from the
 * snapshot it is there already (the snapshot was taken after prepare()). */
export function engine(py) {
  return py.runPython("calculators.api.run");
}

/** In the browser without a snapshot: prepare, then hand back the entry point. */
export function bootPython(py, zip) {
  prepare(py, zip);
  return engine(py);
}

/** Build time only: import every module of the package and run every calculator once on its
 * example and on an empty input, so that whatever they import lazily is imported in the snapshot
 * too. A Python restored from the snapshot then needs neither the bundle nor the standard library. */
export const WARM_PY = `import importlib as _importlib, json as _json, pkgutil as _pkgutil
import calculators
for _m in _pkgutil.walk_packages(calculators.__path__, "calculators."):
    if not _m.name.endswith("__main__"):
        _importlib.import_module(_m.name)
for _name, _mod in calculators.CALCULATORS.items():
    calculators.api.run(_name, _json.dumps(getattr(_mod, "DEFAULT_INPUT", {})))
    calculators.api.run(_name, "{}")
del _name, _mod, _m, _json, _importlib, _pkgutil`;
