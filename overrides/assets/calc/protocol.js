// The worker protocol: the one declaration of the messages between a calculator page and the
// engine's worker (calc-worker.js). Both import this module; every message is built here.
//
//   head -> worker  prepare  {manifest}                 the early worker's start (overrides/main.html writes
//                                                       this message by hand: an inline script imports nothing)
//   page -> worker  init     {runtime, calcBase, manifest, options}   once per connection
//   page -> worker  run      {id, name, input}          input: the contract input as a JSON string
//   worker -> page  progress {stage}                    one of STAGES
//   worker -> page  ready    {mode, timings, resources, version}  mode: "snapshot" | "plain"
//   worker -> page  failed   {error, cause}             the engine cannot start; cause: one of CAUSES
//   worker -> page  result   {id, output, ms}           output: the engine's JSON string

export const MSG = Object.freeze({
  PREPARE: "prepare",
  INIT: "init",
  RUN: "run",
  PROGRESS: "progress",
  READY: "ready",
  FAILED: "failed",
  RESULT: "result",
});

/** Why a start-up failed, each with its own notice (messages.js FAILURE): the server cannot be
 * reached (offline), it answered an error, a file arrived damaged (a truncated or corrupt wasm or
 * snapshot: its size or SHA-256 is not the build's), a download stopped (no byte for some seconds:
 * download.js), the browser lacks something, no progress for too long (the page's watchdog, the
 * last resort), anything else. */
export const CAUSES = Object.freeze(["offline", "http", "corrupt", "stalled", "unsupported", "timeout", "error"]);

/** Start-up stages, in order (the page names each in both languages). */
export const STAGES = Object.freeze(["boot", "fetch", "start", "import", "ready", "failed"]);

// Where the Pyodide runtime lives when the manifest does not say (relative to assets/calc/).
const DEFAULT_RUNTIME = "../pyodide/";

/** Absolute URL of the Pyodide folder the manifest names (its versioned folder, relative to assets/calc/). */
export function pyodideBase(manifest, calcBase) {
  const dir = (manifest && manifest.runtime) || DEFAULT_RUNTIME;
  const url = new URL(dir, calcBase).href;
  return url.endsWith("/") ? url : url + "/";
}

/** runtime: absolute URL of the Pyodide folder; calcBase: absolute URL of assets/calc/. */
export const init = (runtime, calcBase, manifest, options = {}) => ({ type: MSG.INIT, runtime, calcBase, manifest, options });
export const prepare = (manifest) => ({ type: MSG.PREPARE, manifest });
export const run = (id, name, input) => ({ type: MSG.RUN, id, name: String(name), input: String(input) });
export const progress = (stage) => ({ type: MSG.PROGRESS, stage });
export const ready = ({ mode, timings, resources, version }) => ({ type: MSG.READY, mode, timings, resources, version });
export const failed = (error, cause = "error") => ({ type: MSG.FAILED, error: String(error), cause: CAUSES.includes(cause) ? cause : "error" });
export const result = (id, output, ms) => ({ type: MSG.RESULT, id, output: String(output), ms });

const SHAPES = {
  [MSG.PREPARE]: { manifest: "object" },
  [MSG.INIT]: { runtime: "string", calcBase: "string" },
  [MSG.RUN]: { id: "number", name: "string", input: "string" },
  [MSG.PROGRESS]: { stage: "string" },
  [MSG.READY]: { mode: "string" },
  [MSG.FAILED]: { error: "string" },
  [MSG.RESULT]: { id: "number", output: "string" },
};

/** The message's type when it is a well-formed protocol message, otherwise null. */
export function kindOf(msg) {
  if (!msg || typeof msg !== "object") return null;
  const shape = SHAPES[msg.type];
  if (!shape) return null;
  for (const [key, type] of Object.entries(shape)) if (typeof msg[key] !== type) return null;
  return msg.type;
}
