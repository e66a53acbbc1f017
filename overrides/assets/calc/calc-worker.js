// Module Web Worker that runs the calculators package under a self-hosted Pyodide. The messages
// are declared in protocol.js; the Python start-up steps in boot.js (shared with the build-time
// snapshot). Start-up prefers the memory snapshot made at build time (Python already running with
// the calculators imported); if it is missing or refused, Pyodide boots normally and imports them.
// Nothing is fetched from anywhere but the URLs the page hands over (from the runtime manifest).
// A start-up that cannot finish (a file blocked, missing, damaged, or a download that stops) is
// reported as failed at once, with its cause (download.js checks every download as it arrives).

import { bootPython, engine } from "./boot.js";
import { failure, fetchGuarded, hex, readAll, sha256, STALL_TIMEOUT_MS, unsparse } from "./download.js";
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

// A retry (the page's Retry button) bypasses the HTTP cache: a damaged file may sit in it.
let cacheMode = "default";
// Set by start(): how long a download may go without a byte, and who is told when one stops.
let idleMs = STALL_TIMEOUT_MS;
let onStall = () => {};
const realFetch = self.fetch.bind(self);

/** A download of ours: fails with its cause (offline, http, stalled), its body guarded against stalls. */
const fetchOk = (url, what) => fetchGuarded(url, what, { idleMs, onStall, init: { cache: cacheMode }, fetchFn: realFetch });

async function readBody(resp) {
  // The snapshot comes compressed on the wire (the server's .br/.gz sibling, Content-Encoding):
  // the browser has decoded it by now.
  return new Uint8Array(await resp.arrayBuffer());
}

// Pyodide compiles its 9.6 MB wasm only after the snapshot has arrived. Compiling it here, while
// the snapshot downloads, takes that off the critical path: Pyodide's instantiateStreaming is
// handed the module compiled early (this worker runs nothing else that instantiates wasm).
// Returns a promise that rejects when the wasm cannot be had (HTTP error, blocked request):
// Pyodide itself would then wait for ever.
function precompileWasm(base, expected) {
  const url = base + "pyodide.asm.wasm";
  const respP = fetchOk(url, "pyodide.asm.wasm");
  if (typeof WebAssembly.compileStreaming !== "function") return { wasmP: respP.then(() => null), compiledP: null };
  const moduleP = respP.then(async (resp) => {
    // Compiled as it arrives, and checked against the build's digest: a damaged file of the right
    // size may still compile, and Python must not run in it.
    const [forCompile, forDigest] = expected ? resp.body.tee() : [resp.body, null];
    const compiled = WebAssembly.compileStreaming(new Response(forCompile, { headers: resp.headers })).catch((err) => {
      // Not a wasm the browser can compile: damaged or truncated on the way (a wrong MIME type
      // is a TypeError, and Pyodide then compiles it itself).
      if (err instanceof WebAssembly.CompileError) throw failure(`pyodide.asm.wasm: damaged or truncated (${err.message})`, "corrupt");
      throw err;
    });
    const checked = forDigest
      ? readAll(forDigest).then(async (bytes) => {
          const got = hex(await sha256(bytes));
          if (got !== expected) throw failure(`pyodide.asm.wasm: damaged (SHA-256 ${got.slice(0, 16)}…, the build's is ${expected.slice(0, 16)}…; ${bytes.length} bytes)`, "corrupt");
          mark("wasm_checked");
        })
      : null;
    const [module] = await Promise.all([compiled, checked]);
    return module;
  });
  moduleP.catch(() => {});
  const realInstantiate = WebAssembly.instantiateStreaming;
  let used = false;
  const guardedFetch = self.fetch;
  self.fetch = (input, init) => {
    // Pyodide's own request for the wasm would read the same 9.6 MB again: answer it with nothing.
    if (!used && String(input) === url) return Promise.resolve(new Response(new Uint8Array(0), { headers: { "Content-Type": "application/wasm" } }));
    return guardedFetch(input, init);
  };
  WebAssembly.instantiateStreaming = async (source, imports) => {
    if (used) return realInstantiate.call(WebAssembly, source, imports);
    used = true;
    self.fetch = guardedFetch;
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
      if (err && (err.cause === "corrupt" || err.cause === "stalled")) throw err;
    },
  );
  return { wasmP: respP, compiledP };
}

/** Rejects with the first failure of any of the promises; never resolves. */
const firstFailure = (...ps) => new Promise((_, reject) => ps.forEach((p) => p && p.catch(reject)));

async function start(base, calcBase, manifest, options = {}) {
  // A download that stops ends the start-up at once, whoever was reading it (Pyodide included: its own
  // requests go through the same guard).
  if (options.stallTimeout !== undefined) idleMs = options.stallTimeout;
  let stallReject;
  const stalledP = new Promise((_, reject) => (stallReject = reject));
  stalledP.catch(() => {});
  onStall = (err) => stallReject(err);
  self.fetch = (input, init) =>
    typeof input === "string" || input instanceof URL
      ? fetchGuarded(String(input), String(input).split("/").pop(), { idleMs, onStall, init, check: false, fetchFn: realFetch })
      : realFetch(input, init);
  post(P.progress("fetch"));
  if (!manifest || !manifest.bundle) {
    manifest = await (await fetchOk(calcBase + "manifest.json", "manifest")).json();
    mark("manifest");
  }
  // Pyodide's files live in a versioned folder named in the manifest (handbook/runtime/pyodide_bundle.py).
  if (manifest.runtime) base = P.pyodideBase(manifest, calcBase);
  // Pyodide's two modules come by import(), which no guard can watch (nor say why it failed): each is
  // first read through the guard, so that a stall, an HTTP error or being offline is found and named
  // at once, and the HTTP cache then answers the import (they are immutable, in their hashed folder);
  // a module that comes but does not run is damaged. The small loader first, then the big downloads.
  const guardedImport = (name) =>
    fetchOk(base + name, name)
      .then(readBody)
      .then(() =>
        import(base + name).catch((err) => {
          throw failure(`${name}: ${(err && err.message) || err}`, "corrupt");
        }),
      );
  const pyodideModuleP = guardedImport("pyodide.mjs");
  pyodideModuleP.catch(() => {});
  if (options.reload) cacheMode = "reload";
  const { wasmP, compiledP } = options.precompile !== false ? precompileWasm(base, manifest.wasm_sha256) : { wasmP: fetchOk(base + "pyodide.asm.wasm", "pyodide.asm.wasm"), compiledP: null };
  wasmP.catch(() => {});
  if (compiledP) compiledP.catch(() => {});
  // Pyodide would import its Emscripten module itself, unwatched, once started: read (and imported) here,
  // beside the big downloads, and handed to it (loadPyodide's createPyodideModule).
  const asmP = guardedImport("pyodide.asm.mjs");
  asmP.catch(() => {});
  // The calculators bundle is needed only without the snapshot (which holds the package imported).
  let zipP = null;
  const bundle = () => (zipP ??= fetchOk(calcBase + manifest.bundle, "calculators bundle").then(readBody));
  const snapshot = options.snapshot !== undefined ? options.snapshot : manifest.snapshot;
  const snapP = snapshot
    ? fetchOk(calcBase + snapshot, "snapshot")
        .then(readBody)
        .then(async (b) => {
          const img = await unsparse(b); // its seal checked: a damaged snapshot never reaches Python
          mark("snapshot_ready");
          return img;
        })
    : null;
  // Don't let a promise nobody awaits any more surface as an unhandled rejection.
  if (snapP) snapP.catch(() => {});
  else bundle().catch(() => {});
  // A snapshot that arrived damaged (or stopped arriving) is said as such, with Retry: never a silent
  // slower start from files the same proxy or cache may have damaged too. (One missing or refused by
  // Pyodide still falls back to a plain start, below.)
  const snapDamaged = snapP && snapP.then(() => null, (err) => {
    if (err && (err.cause === "corrupt" || err.cause === "stalled")) throw err;
  });
  // The wasm (and, without a snapshot, the bundle) are needed whatever happens: their failure ends
  // the start-up now.
  let fatalError = null;
  const fatal = firstFailure(wasmP, compiledP, asmP, stalledP, snapDamaged, snapP ? null : bundle());
  fatal.catch((err) => (fatalError = err));

  const { loadPyodide } = await Promise.race([pyodideModuleP, fatal]);
  mark("pyodide_mjs");
  post(P.progress("start"));

  const asm = await Promise.race([asmP, fatal]);
  const common = {
    createPyodideModule: asm.default,
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
