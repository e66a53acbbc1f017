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

const CALC_DIR = "/home/pyodide/calc";
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

function bootPython(py) {
  // The same code runs at build time before the snapshot is taken (see handbook/pyodide_bundle.py).
  py.runPython(
    `import sys\nif ${JSON.stringify(CALC_DIR)} not in sys.path:\n    sys.path.insert(0, ${JSON.stringify(CALC_DIR)})\nimport calculators.api`,
  );
  return py.runPython("calculators.api.run");
}

async function start(pyodideBase, calcBase, manifest) {
  post({ type: "progress", stage: "fetch" });
  if (!manifest || !manifest.bundle) {
    manifest = await (await fetchOk(calcBase + "manifest.json", "manifest")).json();
    mark("manifest");
  }
  const zipP = fetchOk(calcBase + manifest.bundle, "calculators bundle").then((r) => readBody(r, false));
  // The snapshot's bytes start flowing now, but are only decompressed once Pyodide's own
  // fetches (wasm, stdlib) are under way: the worker thread does the decompression.
  const snapRespP = manifest.snapshot ? fetchOk(calcBase + manifest.snapshot, "snapshot") : null;
  let releaseSnapshot;
  const snapGate = new Promise((resolve) => { releaseSnapshot = resolve; });
  const snapP = snapRespP
    ? Promise.all([snapRespP, snapGate])
        .then(([resp]) => readBody(resp, manifest.snapshot.endsWith(".gz")))
        .then((b) => { const img = unsparse(b); mark("snapshot_ready"); return img; })
    : null;
  // Don't let a promise nobody awaits any more surface as an unhandled rejection.
  zipP.catch(() => {});
  if (snapP) snapP.catch(() => {});

  const { loadPyodide } = await import(pyodideBase + "pyodide.mjs");
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
      const loading = loadPyodide({ ...common, _loadSnapshot: snapP });
      setTimeout(releaseSnapshot, 0);
      py = await loading;
      mode = "snapshot";
    } catch (err) {
      console.warn("calculators: snapshot refused, booting Pyodide normally:", err);
      py = null;
    }
  }
  if (!py) {
    releaseSnapshot && releaseSnapshot();
    py = await loadPyodide(common);
  }
  mark("pyodide_loaded");
  post({ type: "progress", stage: "import" });

  const zip = await zipP;
  py.unpackArchive(zip, "zip", { extractDir: CALC_DIR });
  runFn = bootPython(py);
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
    ready = start(msg.pyodideBase, msg.calcBase, msg.manifest).then(
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
