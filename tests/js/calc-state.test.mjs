// The calculator page's state machine: an edit never leaves a total that does not belong to the
// inputs on screen; an engine that fails keeps a result that does.
import assert from "node:assert/strict";
import { test } from "node:test";

import { EVENTS, next, NO_TOTAL, STATES, TRANSITIONS } from "../../overrides/assets/calc/state.js";

test("every state has a transition for every event, into a known state", () => {
  for (const s of STATES) for (const e of EVENTS) assert.ok(STATES.includes(next(s, e)), `${s} --${e}-->`);
  assert.deepEqual(Object.keys(TRANSITIONS).sort(), [...STATES].sort());
});

test("an edit clears the total until the engine answers", () => {
  for (const s of STATES) assert.ok(NO_TOTAL.has(next(s, "edit")), s);
  assert.equal(next("pending", "answer"), "ready");
});

test("a failed engine: edits stay failed, the result already shown stays", () => {
  assert.equal(next("pending", "engineFailed"), "failed");
  assert.equal(next("starting", "engineFailed"), "failed");
  assert.equal(next("ready", "engineFailed"), "ready");
  assert.equal(next("failed", "edit"), "failed");
  assert.equal(next("failed", "answer"), "ready"); // the example's build-time result
});

test("an unknown event is a programming error", () => {
  assert.throws(() => next("ready", "nope"));
});
