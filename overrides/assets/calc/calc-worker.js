// Module Web Worker that runs the calculators package under a self-hosted Pyodide. The messages
// are declared in protocol.js; the Python start-up steps in boot.js (shared with the build-time
// snapshot). Start-up prefers the memory snapshot made at build time (Python already running with
// the calculators imported); if it is missing or refused, Pyodide boots normally and imports them.
// Nothing is fetched from anywhere but the URLs the page hands over (from the runtime manifest).
// A start-up that cannot finish (a file blocked or missing) is reported as failed at once.

import { bootPython, engine } from "./boot.js";
import * as P from "./protocol.js";

const t0 = performance.now();
const timings = {};
const mark = (name) => {
  timings[name] = Math.round(performance.now() - t0);
};

let runFn = null; // PyProxy of calculators.api.run
let started = false;
const queue = [];

// Created early by a calculator page's <head> (overrides/main.html: calc-worker.js?early), the worker
// starts Python at once, with the defaults, and holds its messages until the page's runtime.js has
// taken it over (its init), so that none is lost to a page not yet listening.
const EARLY = new URL(self.location.href).searchParams.has("early");
const EARLY_BASE = new URL("../", self.location.href).href; // assets/calc/: this file is in assets/calc/<hash>/
let connected = !EARLY;
const outbox = [];
const post = (msg) => (connected ? self.postMessage(msg) : outbox.push(msg));

/** An Error with the cause the page names in its notice (protocol.js CAUSES). */
function failure(message, cause) {
  const err = new Error(message);
  err.cause = cause;
  return err;
}

// A retry (the page's Retry button) bypasses the HTTP cache: a damaged file may sit in it.
let cacheMode = "default";

async function fetchOk(url, what) {
  let resp;
  try {
    resp = await fetch(url, { credentials: "same-origin", cache: cacheMode });
  } catch (err) {
    throw failure(`${what}: ${(err && err.message) || err} (${url})`, "offline");
  }
  if (!resp.ok) throw failure(`${what}: HTTP ${resp.status} for ${url}`, "http");
  return resp;
}

async function readBody(resp) {
  // The snapshot comes compressed on the wire (the server's .br/.gz sibling, Content-Encoding):
  // the browser has decoded it by now.
  return new Uint8Array(await resp.arrayBuffer());
}

function unsparse(blob) {
  // Inverse of handbook.runtime.pyodide_bundle.sparse_encode: the all-zero pages were left out.
  const magic = String.fromCharCode(blob[0], blob[1], blob[2], blob[3]);
  if (magic !== "CSP1") return blob;
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const damaged = () => failure(`snapshot: damaged or truncated (${blob.length} bytes)`, "corrupt");
  if (blob.length < 16) throw damaged();
  const total = dv.getUint32(4, true),
    page = dv.getUint32(8, true),
    count = dv.getUint32(12, true);
  // Its size follows from its header: a truncated or padded download is refused here, in
  // milliseconds, not found out by Pyodide (which may then never answer).
  if (!page || count > Math.ceil(total / page) || blob.length !== 16 + 4 * count + count * page) throw damaged();
  const out = new Uint8Array(total);
  const base = 16 + 4 * count;
  for (let k = 0; k < count; k++) {
    const i = dv.getUint32(16 + 4 * k, true);
    const len = Math.min(page, total - i * page);
    out.set(blob.subarray(base + k * page, base + k * page + len), i * page);
  }
  return out;
}

// Pyodide compiles its 9.6 MB wasm only after the snapshot has arrived. Compiling it here, while
// the snapshot downloads, takes that off the critical path: Pyodide's instantiateStreaming is
// handed the module compiled early (this worker runs nothing else that instantiates wasm).
// Returns a promise that rejects when the wasm cannot be had (HTTP error, blocked request):
// Pyodide itself would then wait for ever.
function precompileWasm(base) {
  const url = base + "pyodide.asm.wasm";
  const realFetch = self.fetch.bind(self);
  const respP = fetchOk(url, "pyodide.asm.wasm");
  if (typeof WebAssembly.compileStreaming !== "function") return { wasmP: respP.then(() => null), compiledP: null };
  const moduleP = respP.then((resp) =>
    WebAssembly.compileStreaming(resp).catch((err) => {
      // Not a wasm the browser can compile: damaged or truncated on the way (a wrong MIME type
      // is a TypeError, and Pyodide then compiles it itself).
      if (err instanceof WebAssembly.CompileError) throw failure(`pyodide.asm.wasm: damaged or truncated (${err.message})`, "corrupt");
      throw err;
    }),
  );
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
  const compiledP = moduleP.then(
    () => null,
    (err) => {
      if (err && err.cause === "corrupt") throw err;
    },
  );
  return { wasmP: respP, compiledP };
}

/** Rejects with the first failure of any of the promises; never resolves. */
const firstFailure = (...ps) => new Promise((_, reject) => ps.forEach((p) => p && p.catch(reject)));

async function start(base, calcBase, manifest, options = {}) {
  post(P.progress("fetch"));
  if (!manifest || !manifest.bundle) {
    manifest = await (await fetchOk(calcBase + "manifest.json", "manifest")).json();
    mark("manifest");
  }
  // Pyodide's files live in a versioned folder named in the manifest (handbook/runtime/pyodide_bundle.py).
  if (manifest.runtime) base = P.pyodideBase(manifest, calcBase);
  // First the small loader module, then the big downloads (the server may serve them slowly).
  const pyodideModuleP = import(base + "pyodide.mjs").catch(async (err) => {
    // A failed import says nothing of why: asked again, the server tells (offline, HTTP error);
    // if the file comes, it is what does not run (damaged).
    await fetchOk(base + "pyodide.mjs", "pyodide.mjs");
    throw failure(`pyodide.mjs: ${(err && err.message) || err}`, "corrupt");
  });
  pyodideModuleP.catch(() => {});
  if (options.reload) cacheMode = "reload";
  const { wasmP, compiledP } = options.precompile !== false ? precompileWasm(base) : { wasmP: fetchOk(base + "pyodide.asm.wasm", "pyodide.asm.wasm"), compiledP: null };
  wasmP.catch(() => {});
  if (compiledP) compiledP.catch(() => {});
  // The calculators bundle is needed only without the snapshot (which holds the package imported).
  let zipP = null;
  const bundle = () => (zipP ??= fetchOk(calcBase + manifest.bundle, "calculators bundle").then(readBody));
  const snapshot = options.snapshot !== undefined ? options.snapshot : manifest.snapshot;
  const snapP = snapshot
    ? fetchOk(calcBase + snapshot, "snapshot")
        .then(readBody)
        .then((b) => {
          const img = unsparse(b);
          mark("snapshot_ready");
          return img;
        })
    : null;
  // Don't let a promise nobody awaits any more surface as an unhandled rejection.
  if (snapP) snapP.catch(() => {});
  else bundle().catch(() => {});
  // The wasm (and, without a snapshot, the bundle) are needed whatever happens: their failure ends
  // the start-up now.
  let fatalError = null;
  const fatal = firstFailure(wasmP, compiledP, snapP ? null : bundle());
  fatal.catch((err) => (fatalError = err));

  const { loadPyodide } = await Promise.race([pyodideModuleP, fatal]);
  mark("pyodide_mjs");
  post(P.progress("start"));

  const common = {
    indexURL: base,
    packageBaseUrl: base,
    stdout: (s) => console.log("[py]", s),
    stderr: (s) => console.warn("[py]", s),
  };
  let py = null;
  let mode = "plain";
  if (snapP) {
    try {
      // Restored from the snapshot, Python has imported every module it will use: an empty zip
      // stands in for the standard library (handbook/runtime/pyodide_bundle.py).
      const stdlib = manifest.snapshot_stdlib ? { stdLibURL: calcBase + manifest.snapshot_stdlib } : {};
      py = await Promise.race([loadPyodide({ ...common, ...stdlib, _loadSnapshot: snapP }), fatal]);
      mode = "snapshot";
    } catch (err) {
      if (fatalError) throw fatalError;
      // A snapshot missing, damaged or refused: Python starts without it (slower, same answers).
      console.warn("calculators: snapshot refused, booting Pyodide normally:", (err && err.message) || err);
      py = null;
    }
  }
  // Started plainly, it needs the modules Pyodide and the calculators import (cut down at build time).
  const stdlib = manifest.stdlib ? { stdLibURL: calcBase + manifest.stdlib } : {};
  if (!py) py = await Promise.race([loadPyodide({ ...common, ...stdlib }), fatal]);
  mark("pyodide_loaded");
  post(P.progress("import"));

  runFn = mode === "snapshot" ? engine(py) : bootPython(py, await bundle());
  mark("ready");
  const resources = performance.getEntriesByType("resource").map((e) => ({
    name: e.name,
    start: Math.round(e.startTime),
    end: Math.round(e.responseEnd),
    transfer: e.transferSize,
    body: e.decodedBodySize,
  }));
  return { mode, timings, resources, version: manifest.key };
}

function handleRun(msg) {
  let output;
  const t = performance.now();
  try {
    output = runFn(msg.name, msg.input);
  } catch (err) {
    // The engine promises never to raise; if it does anyway, report it as a form-level error.
    output = JSON.stringify({ ok: false, error: { field: "", zh: "计算出错:" + err.message, en: "Calculation failed: " + err.message } });
  }
  post(P.result(msg.id, output, performance.now() - t));
}

// A rejection nobody handles during start-up is logged, not reported as a failure: Pyodide rejects
// internally on a missing optional file (the empty stdlib zip of a snapshot start) and starts anyway.
// What start-up cannot do without (the wasm, the bundle) is caught by start() and reported there.
self.addEventListener("unhandledrejection", (ev) => {
  if (!runFn) console.warn("calculators: during start-up:", (ev.reason && ev.reason.message) || ev.reason);
});

function begin(runtime, calcBase, manifest, options) {
  if (started) return;
  started = true;
  start(runtime, calcBase, manifest, options).then(
    (info) => {
      post(P.ready(info));
      for (const m of queue.splice(0)) handleRun(m);
    },
    (err) => post(P.failed((err && err.message) || err, (err && err.cause) || (err instanceof WebAssembly.CompileError ? "corrupt" : "error"))),
  );
}

self.onmessage = (ev) => {
  const msg = ev.data;
  switch (P.kindOf(msg)) {
    case P.MSG.INIT:
      connected = true;
      for (const m of outbox.splice(0)) self.postMessage(m);
      begin(msg.runtime, msg.calcBase, msg.manifest, msg.options || {}); // no-op when started early
      break;
    case P.MSG.PREPARE: // the early worker's start, with the page's manifest (overrides/main.html)
      if (EARLY && msg.manifest) begin(P.pyodideBase(msg.manifest, EARLY_BASE), EARLY_BASE, msg.manifest, {});
      break;
    case P.MSG.RUN:
      if (runFn) handleRun(msg);
      else queue.push(msg);
      break;
    default:
      console.warn("calculators worker: not a protocol message", msg);
  }
};

// Without a "prepare" (a page's head of another kind), the early worker starts with the page's init.
