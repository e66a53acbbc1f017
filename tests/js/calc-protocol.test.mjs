// The worker protocol: every message is built by protocol.js and recognised by kindOf; the page
// (runtime.js) and the worker (calc-worker.js) use no message name of their own.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import * as P from "../../overrides/assets/calc/protocol.js";

const CALC = new URL("../../overrides/assets/calc/", import.meta.url);

test("every message built is recognised, with its type", () => {
  const built = [
    P.prepare({ key: "k", bundle: "b.zip" }),
    P.init("http://x/assets/pyodide/", "http://x/assets/calc/", { bundle: "b.zip" }),
    P.run(1, "travel", "{}"),
    P.progress("fetch"),
    P.ready({ mode: "snapshot", timings: {}, resources: [], version: "k" }),
    P.failed(new Error("no wasm")),
    P.result(1, '{"ok":true}', 2),
  ];
  assert.deepEqual(built.map(P.kindOf), Object.values(P.MSG));
});

test("a failure names its cause, one of the declared ones", () => {
  assert.equal(P.failed("x", "corrupt").cause, "corrupt");
  assert.equal(P.failed("x", "made-up").cause, "error");
  assert.equal(P.failed("x").cause, "error");
});

test("the page's head writes its one message by hand, as declared", () => {
  const head = readFileSync(new URL("../../main.html", CALC), "utf8");
  assert.match(head, new RegExp(`postMessage\\(\\{ type: "${P.MSG.PREPARE}", manifest: `));
});

test("malformed messages are not protocol messages", () => {
  for (const m of [null, 1, "run", {}, { type: "run" }, { type: "run", id: "1", name: "x", input: "{}" }, { type: "nope" }]) {
    assert.equal(P.kindOf(m), null, JSON.stringify(m));
  }
});

test("the page and the worker import the protocol and spell no message type themselves", () => {
  for (const file of ["runtime.js", "calc-worker.js"]) {
    const text = readFileSync(new URL(file, CALC), "utf8");
    assert.match(text, /from "\.\/protocol\.js"/, file);
    for (const name of Object.values(P.MSG)) {
      assert.doesNotMatch(text, new RegExp(`type:\\s*"${name}"|\\.type === "${name}"|case "${name}"`), `${file} spells "${name}"`);
    }
  }
});

test("every cause of a failed start-up has its own notice in both languages", async () => {
  const { FAILURE } = await import("../../overrides/assets/calc/messages.js");
  assert.deepEqual(Object.keys(FAILURE).sort(), [...P.CAUSES].sort());
  for (const [zh, en] of Object.values(FAILURE)) assert.ok(/\p{Script=Han}/u.test(zh) && /^[\x20-\x7e]+$/.test(en), en);
});
