// The connection to the engine: one module Web Worker per tab (calc-worker.js), shared by every
// calculator page of the tab (it is the page bus's "engine", ../shared/bus.js, which Material's
// instant navigation keeps, as it keeps every module). Its state: starting -> ready | failed. A start-up
// that cannot finish is detected: the worker reports load errors, damaged files and a download that stops
// at once; a generous timeout is the last resort (a start-up that stops where no download is awaited:
// Python itself hanging).
//
// The engine and the page always come from the same build: the runtime is kept across pages only
// while the page's key (its build's runtime manifest key and this front end's hashed folder) is
// the one it was started with. A page of a newer build (a deploy while the tab was open) retires
// it and starts a new engine with its own rules, before any total is computed; a worker that
// answers READY for other rules than the page's (the early worker read a newer manifest.json) is
// replaced the same way.

import { current, publish, subscribe, TOPIC } from "../shared/bus.js";
import * as P from "./protocol.js";

/** Start-up variants for experiments, the benchmark and the fault tests, as JSON in the tab's
 * sessionStorage under this key (set before the page loads; overrides/main.html's early worker
 * stands aside when it is set): precompile: false, snapshot: name|"", startTimeout: ms. */
export const OPTIONS_KEY = "handbook:calc-options";

function startOptions() {
  try {
    return JSON.parse(sessionStorage.getItem(OPTIONS_KEY) || "{}") || {};
  } catch (e) {
    return {};
  }
}

/** The worker the page's <head> started, now this engine's (null when there is none). */
function adoptEarlyWorker() {
  const early = current(TOPIC.earlyWorker) || null;
  if (early) publish(TOPIC.earlyWorker, null);
  return early;
}

// An early worker that arrives after the engine has started its own (the head's script hands it over
// asynchronously) is not needed: stopped, not left starting a second Python.
subscribe(TOPIC.earlyWorker, (early) => {
  const rt = current(TOPIC.engine);
  if (early && rt && rt.worker !== early) {
    early.terminate();
    publish(TOPIC.earlyWorker, null);
  }
});
// This module lives in assets/calc/<hash>/ (handbook.runtime.pyodide_bundle.front_end_dir); the
// runtime files the manifest names live in assets/calc/.
const MODULE_BASE = new URL("./", import.meta.url);
const CALC_BASE = new URL("../", import.meta.url);

/** The key of a page's build: its runtime manifest's key and the front end's folder. */
export function buildKey(manifest) {
  return `${(manifest && manifest.key) || "?"}@${MODULE_BASE.href}`;
}
export const START_TIMEOUT_MS = 90_000;

function unsupportedReason() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    return "WebAssembly is not available in this browser";
  }
  if (typeof Worker !== "function") return "Web Workers are not available in this browser";
  return null;
}

function createRuntime(manifest, options) {
  const rt = {
    state: "starting", // starting | ready | failed
    stage: "boot",
    mode: null,
    error: null,
    timings: null,
    key: buildKey(manifest),
    rules: (manifest && manifest.key) || null, // the rules version every answer of this engine names
    startedAt: performance.now(),
    readyAt: null,
    startTimeout: options.startTimeout || START_TIMEOUT_MS,
    listeners: new Set(),
    pending: new Map(),
    seq: 0,
    worker: null,
  };
  const emit = () => {
    for (const fn of Array.from(rt.listeners)) {
      try {
        fn(rt);
      } catch (err) {
        console.error(err);
      }
    }
  };
  let timer = null;
  const fail = (message, kind = "error") => {
    if (rt.state !== "starting") return;
    clearTimeout(timer);
    rt.state = "failed";
    rt.stage = "failed";
    rt.error = String(message);
    rt.failure = kind; // protocol.js CAUSES: offline | http | corrupt | stalled | unsupported | timeout | error
    for (const p of rt.pending.values()) p.reject(new Error(rt.error));
    rt.pending.clear();
    if (rt.worker) rt.worker.terminate();
    emit();
  };
  rt.subscribe = (fn) => {
    rt.listeners.add(fn);
    fn(rt);
    return () => rt.listeners.delete(fn);
  };
  rt.run = (name, input) =>
    new Promise((resolve, reject) => {
      if (rt.state === "failed") return reject(new Error(rt.error));
      const id = ++rt.seq;
      const msg = P.run(id, name, input);
      rt.pending.set(id, { resolve, reject, t: performance.now(), msg });
      rt.worker.postMessage(msg);
    });
  /** A page of another build took over: this engine answers no more. */
  rt.retire = () => {
    if (rt.state === "starting") fail("retired: a page of another build took over");
    rt.state = "failed";
    rt.error = rt.error || "retired";
    for (const p of rt.pending.values()) p.reject(new Error(rt.error));
    rt.pending.clear();
    clearTimeout(timer);
    if (rt.worker) rt.worker.terminate();
    rt.listeners.clear();
  };

  const reason = unsupportedReason();
  if (reason) {
    fail(reason, "unsupported");
    return rt;
  }
  // Each start-up stage gets the whole timeout (a slow but moving download is not a failure).
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => fail(`no progress from the engine for ${rt.startTimeout / 1000} s (stage: ${rt.stage})`, "timeout"), rt.startTimeout);
  };
  let respawned = false;
  const spawn = (early) => {
    let worker;
    try {
      worker = early || new Worker(new URL("calc-worker.js", MODULE_BASE), { type: "module", name: "handbook-calculators" });
    } catch (err) {
      fail("cannot create the worker: " + (err && err.message), "unsupported");
      return false;
    }
    rt.worker = worker;
    const mine = (handler) => (ev) => {
      if (rt.worker === worker) handler(ev); // a replaced worker's last messages are not this engine's
    };
    worker.onmessage = mine((ev) => {
      const msg = ev.data;
      switch (P.kindOf(msg)) {
        case P.MSG.PROGRESS:
          if (rt.state === "starting") {
            rt.stage = msg.stage;
            arm();
            emit();
          }
          break;
        case P.MSG.READY:
          if (rt.state !== "starting") break;
          if (rt.rules && msg.version !== rt.rules && !respawned) {
            // Started with other rules than this page's (a deploy between the page and manifest.json):
            // a new worker, told the page's manifest; the runs asked so far go to it.
            console.warn(`calculators: the engine has rules ${msg.version}, the page ${rt.rules}: restarting it`);
            respawned = true;
            worker.terminate();
            if (spawn(null)) {
              rt.worker.postMessage(P.init(P.pyodideBase(manifest, CALC_BASE), CALC_BASE.href, manifest, options));
              for (const p of rt.pending.values()) rt.worker.postMessage(p.msg);
            }
            break;
          }
          clearTimeout(timer);
          Object.assign(rt, { state: "ready", stage: "ready", mode: msg.mode, timings: msg.timings, resources: msg.resources });
          rt.rules = msg.version || rt.rules;
          rt.readyAt = performance.now();
          emit();
          break;
        case P.MSG.FAILED:
          fail(msg.error, msg.cause || "error");
          break;
        case P.MSG.RESULT: {
          const p = rt.pending.get(msg.id);
          if (p) {
            rt.pending.delete(msg.id);
            rt.lastRoundTrip = performance.now() - p.t;
            rt.lastRun = { ms: msg.ms, at: performance.now() }; // Python's own time; when the answer came (the benchmark)
            p.resolve({ output: msg.output, ms: msg.ms, roundTrip: rt.lastRoundTrip, rules: rt.rules });
          }
          break;
        }
        default:
          console.warn("calculators: not a protocol message", msg);
      }
    });
    worker.onerror = mine((ev) => {
      if (ev && ev.preventDefault) ev.preventDefault();
      fail((ev && ev.message) || "the worker script could not be loaded (module workers unsupported?)", navigator.onLine === false ? "offline" : "error");
    });
    worker.onmessageerror = mine(() => fail("a message from the worker could not be read"));
    return true;
  };
  // The worker a calculator page's <head> started (overrides/main.html), else a new one.
  const early = adoptEarlyWorker();
  if (!spawn(early || null)) return rt;
  if (early && early.createdAt !== undefined) rt.startedAt = early.createdAt;
  arm();
  if (early && early.earlyError) {
    fail(early.earlyError);
    return rt;
  }
  rt.worker.postMessage(P.init(P.pyodideBase(manifest, CALC_BASE), CALC_BASE.href, manifest, options));
  return rt;
}

/** Retry: a new engine for this page's build, whatever the current one is doing; its downloads
 * bypass the HTTP cache (a damaged file may be in it). */
export function restart(manifest) {
  const old = current(TOPIC.engine);
  if (old && typeof old.retire === "function") old.retire();
  return install(createRuntime(manifest, { ...startOptions(), reload: true }));
}

/** The tab's runtime is ``rt`` from now on: the bus's engine, which the page's other scripts follow. */
function install(rt) {
  rt.subscribe((state) => publish(TOPIC.engine, state));
  return rt;
}

/** The one runtime of this tab (created, and the worker started, on first use), with the start-up
 * variants of OPTIONS_KEY. */
export function runtime(manifest) {
  const rt = current(TOPIC.engine);
  if (rt && rt.key === buildKey(manifest)) return rt;
  if (rt) {
    // Started for another build's page (the tab outlived a deploy): never compute this page's
    // inputs with it. (A runtime of a build before this check has no key, and no retire.)
    if (typeof rt.retire === "function") rt.retire();
    else if (rt.worker) rt.worker.terminate();
  }
  return install(createRuntime(manifest, startOptions()));
}
