// The connection to the engine: one module Web Worker per tab (calc-worker.js), shared by every
// calculator page of the tab (it lives on globalThis, so Material's instant navigation reuses
// it). Its state: starting -> ready | failed. A start-up that cannot finish is detected: the
// worker reports load errors at once, and a generous timeout catches a download that stalls.

import { publish, TOPIC } from "../shared/bus.js";
import * as P from "./protocol.js";

const GLOBAL_KEY = "__handbookCalcRuntime";
const CALC_BASE = new URL("./", import.meta.url);
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
    rt.failure = kind; // "error" | "timeout" | "unsupported"
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
      rt.pending.set(id, { resolve, reject, t: performance.now() });
      rt.worker.postMessage(P.run(id, name, input));
    });

  const reason = unsupportedReason();
  if (reason) {
    fail(reason, "unsupported");
    return rt;
  }
  // The worker a calculator page's <head> started (overrides/main.html), else a new one.
  const early = globalThis.__handbookCalcWorker;
  delete globalThis.__handbookCalcWorker;
  try {
    rt.worker = early || new Worker(new URL("calc-worker.js", CALC_BASE), { type: "module", name: "handbook-calculators" });
  } catch (err) {
    fail("cannot create the worker: " + (err && err.message), "unsupported");
    return rt;
  }
  if (early && early.createdAt !== undefined) rt.startedAt = early.createdAt;
  // Each start-up stage gets the whole timeout (a slow but moving download is not a failure).
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => fail(`no progress from the engine for ${rt.startTimeout / 1000} s (stage: ${rt.stage})`, "timeout"), rt.startTimeout);
  };
  arm();
  rt.worker.onmessage = (ev) => {
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
        clearTimeout(timer);
        Object.assign(rt, { state: "ready", stage: "ready", mode: msg.mode, timings: msg.timings, resources: msg.resources });
        rt.readyAt = performance.now();
        emit();
        break;
      case P.MSG.FAILED:
        fail(msg.error);
        break;
      case P.MSG.RESULT: {
        const p = rt.pending.get(msg.id);
        if (p) {
          rt.pending.delete(msg.id);
          rt.lastRoundTrip = performance.now() - p.t;
          p.resolve({ output: msg.output, ms: msg.ms, roundTrip: rt.lastRoundTrip });
        }
        break;
      }
      default:
        console.warn("calculators: not a protocol message", msg);
    }
  };
  rt.worker.onerror = (ev) => {
    if (ev && ev.preventDefault) ev.preventDefault();
    fail((ev && ev.message) || "the worker script could not be loaded (module workers unsupported?)");
  };
  rt.worker.onmessageerror = () => fail("a message from the worker could not be read");
  if (early && early.earlyError) {
    fail(early.earlyError);
    return rt;
  }
  rt.worker.postMessage(P.init(P.pyodideBase(manifest, CALC_BASE), CALC_BASE.href, manifest, options));
  return rt;
}

/** The one runtime of this tab (created, and the worker started, on first use).
 * options (globalThis.__handbookCalcOptions, for experiments, the benchmark and the fault tests):
 *   precompile: false, snapshot: name|null, startTimeout: ms */
export function runtime(manifest) {
  if (!globalThis[GLOBAL_KEY]) {
    globalThis[GLOBAL_KEY] = createRuntime(manifest, globalThis.__handbookCalcOptions || {});
    globalThis[GLOBAL_KEY].subscribe((rt) => publish(TOPIC.engine, rt)); // for the page's other scripts (../shared/bus.js)
  }
  return globalThis[GLOBAL_KEY];
}
