// Module Web Worker that runs the calculators package under a self-hosted Pyodide.
//
// Protocol (all messages are plain objects):
//   page -> worker  {type: "init", pyodideBase, calcBase, manifest?}  once, right after creation;
//                   manifest as in assets/calc/manifest.json (fetched when not given)
//   page -> worker  {type: "run", id, name, input}               input is a JSON string
//   worker -> page  {type: "progress", stage, detail?}           stage: fetch | start | import | ready
//   worker -> page  {type: "ready", mode, timings}               mode: "snapshot" | "plain"
//   worker -> page  {type: "failed", error}                      Pyodide could not start
//   worker -> page  {type: "result", id, output, ms}             output: the engine's JSON string
//
// Start-up prefers the memory snapshot made at build time (Python already running with the
// calculators imported); if it is missing or refused, Pyodide boots normally and imports them.
// Nothing is fetched from anywhere but the two base URLs the page hands over.

const t0 = performance.now();
const timings = {};
const mark = (name) => { timings[name] = Math.round(performance.now() - t0); };

let runFn = null;            // PyProxy of calculators.api.run
let ready = null;            // Promise resolved when runFn is set
const queue = [];

function post(msg) { self.postMessage(msg); }

async function fetchOk(url, what) {
  const resp = await fetch(url, { credentials: "same-origin" });
  if (!resp.ok) throw new Error(`${what}: HTTP ${resp.status} for ${url}`);
  return resp;
}

async function readBody(resp, gz) {
  let body = resp;
  if (gz) {
    // Pre-compressed at build time and decompressed here, so that any static server will do.
    if (typeof DecompressionStream === "undefined") throw new Error("no DecompressionStream");
    body = new Response(resp.body.pipeThrough(new DecompressionStream("gzip")));
  }
  return new Uint8Array(await body.arrayBuffer());
}

function unsparse(blob) {
  // Inverse of handbook.pyodide_bundle.sparse_encode: the all-zero pages were left out.
  const magic = String.fromCharCode(blob[0], blob[1], blob[2], blob[3]);
  if (magic !== "CSP1") return blob;
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const total = dv.getUint32(4, true), page = dv.getUint32(8, true), count = dv.getUint32(12, true);
  const out = new Uint8Array(total);
  const base = 16 + 4 * count;
  for (let k = 0; k < count; k++) {
    const i = dv.getUint32(16 + 4 * k, true);
    const len = Math.min(page, total - i * page);
    out.set(blob.subarray(base + k * page, base + k * page + len), i * page);
  }
  return out;
}

// The calculators package is imported straight from its zip (zipimport): one file write, no
// extraction. The path is fixed: the build-time snapshot already holds an importer for it.
const ZIP_PATH = "/home/pyodide/calculators.zip";
const BOOT_PY = `import sys
if ${JSON.stringify(ZIP_PATH)} not in sys.path:
    sys.path.insert(0, ${JSON.stringify(ZIP_PATH)})
import calculators.api`;

function bootPython(py, zip) {
  // The same steps run at build time before the snapshot is taken (handbook/pyodide_bundle.py).
  py.FS.mkdirTree("/home/pyodide");
  py.FS.writeFile(ZIP_PATH, zip);
  py.runPython(BOOT_PY);
  return py.runPython("calculators.api.run");
}

// Pyodide compiles its 9.6 MB wasm only after the snapshot has arrived. Compiling it here, while
// the snapshot downloads, takes that off the critical path: Pyodide's instantiateStreaming is
// handed the module compiled early (this worker runs nothing else that instantiates wasm).
function precompileWasm(pyodideBase) {
  if (typeof WebAssembly.compileStreaming !== "function") return;
  const url = pyodideBase + "pyodide.asm.wasm";
  const realFetch = self.fetch.bind(self);
  const moduleP = WebAssembly.compileStreaming(realFetch(url, { credentials: "same-origin" }));
  moduleP.catch(() => {});
  const realInstantiate = WebAssembly.instantiateStreaming;
  let used = false;
  self.fetch = (input, init) => {
    // Pyodide's own request for the wasm would read the same 9.6 MB again: answer it with nothing.
    if (!used && String(input) === url) return Promise.resolve(new Response(new Uint8Array(0), { headers: { "Content-Type": "application/wasm" } }));
    return realFetch(input, init);
  };
  WebAssembly.instantiateStreaming = async (source, imports) => {
    if (used) return realInstantiate.call(WebAssembly, source, imports);
    used = true;
    self.fetch = realFetch;
    let module;
    try {
      module = await moduleP;
    } catch (err) {
      console.warn("calculators: early wasm compile failed, Pyodide compiles it itself:", err);
      return realInstantiate.call(WebAssembly, realFetch(url, { credentials: "same-origin" }), imports);
    }
    mark("wasm_compiled");
    const instance = await WebAssembly.instantiate(module, imports);
    return { module, instance };
  };
}

async function start(pyodideBase, calcBase, manifest, options = {}) {
  post({ type: "progress", stage: "fetch" });
  if (!manifest || !manifest.bundle) {
    manifest = await (await fetchOk(calcBase + "manifest.json", "manifest")).json();
    mark("manifest");
  }
  // Pyodide's files live in a versioned folder named in the manifest (handbook/pyodide_bundle.py).
  if (manifest.runtime) pyodideBase = new URL(manifest.runtime, calcBase).href;
  // First the small loader module, then the big downloads (the server may serve them slowly).
  const pyodideModuleP = import(pyodideBase + "pyodide.mjs");
  pyodideModuleP.catch(() => {});
  if (options.precompile !== false) precompileWasm(pyodideBase);
  const zipP = fetchOk(calcBase + manifest.bundle, "calculators bundle").then((r) => readBody(r, false));
  const snapshot = options.snapshot !== undefined ? options.snapshot : manifest.snapshot;
  const snapP = snapshot
    ? fetchOk(calcBase + snapshot, "snapshot")
        .then((resp) => readBody(resp, snapshot.endsWith(".gz")))
        .then((b) => { const img = unsparse(b); mark("snapshot_ready"); return img; })
    : null;
  // Don't let a promise nobody awaits any more surface as an unhandled rejection.
  zipP.catch(() => {});
  if (snapP) snapP.catch(() => {});

  const { loadPyodide } = await pyodideModuleP;
  mark("pyodide_mjs");
  post({ type: "progress", stage: "start" });

  const common = {
    indexURL: pyodideBase,
    packageBaseUrl: pyodideBase,
    stdout: (s) => console.log("[py]", s),
    stderr: (s) => console.warn("[py]", s),
  };
  let py = null;
  let mode = "plain";
  if (snapP) {
    try {
      // Restored from the snapshot, Python has imported every module it will use: an empty zip
      // stands in for the standard library (handbook/pyodide_bundle.py).
      const stdlib = manifest.snapshot_stdlib ? { stdLibURL: calcBase + manifest.snapshot_stdlib } : {};
      py = await loadPyodide({ ...common, ...stdlib, _loadSnapshot: snapP });
      mode = "snapshot";
    } catch (err) {
      console.warn("calculators: snapshot refused, booting Pyodide normally:", err);
      py = null;
    }
  }
  // Started plainly, it needs the modules Pyodide and the calculators import (cut down at build time).
  if (!py) py = await loadPyodide({ ...common, ...(manifest.stdlib ? { stdLibURL: calcBase + manifest.stdlib } : {}) });
  mark("pyodide_loaded");
  post({ type: "progress", stage: "import" });

  runFn = bootPython(py, await zipP);
  mark("ready");
  const resources = performance.getEntriesByType("resource").map((e) => ({
    name: e.name, start: Math.round(e.startTime), end: Math.round(e.responseEnd),
    transfer: e.transferSize, body: e.decodedBodySize,
  }));
  return { mode, timings, resources, version: manifest.key };
}

function handleRun(msg) {
  let output;
  const t = performance.now();
  try {
    output = runFn(String(msg.name), String(msg.input));
  } catch (err) {
    // The engine promises never to raise; if it does anyway, report it as a form-level error.
    output = JSON.stringify({ ok: false, error: { field: "", zh: "计算出错:" + err.message, en: "Calculation failed: " + err.message } });
  }
  post({ type: "result", id: msg.id, output, ms: performance.now() - t });
}

self.onmessage = (ev) => {
  const msg = ev.data || {};
  if (msg.type === "init") {
    if (ready) return;
    ready = start(msg.pyodideBase, msg.calcBase, msg.manifest, msg.options || {}).then(
      (info) => {
        post({ type: "ready", ...info });
        for (const m of queue.splice(0)) handleRun(m);
      },
      (err) => {
        post({ type: "failed", error: String((err && err.message) || err) });
      },
    );
  } else if (msg.type === "run") {
    if (runFn) handleRun(msg);
    else queue.push(msg);
  }
};
