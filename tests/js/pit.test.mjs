// The date picker's rule (overrides/assets/pit/point-in-time.js): an element is shown on a day when
// data-from <= day <= data-to (an empty data-to: open), and showDay hides the rest.
import { test } from "node:test";
import assert from "node:assert/strict";

globalThis.document ??= { addEventListener() {} };  // the module listens on the document; no DOM needed here
const { inForce, showDay } = await import("../../overrides/assets/pit/point-in-time.js");

const el = (from, to) => ({ hidden: false, getAttribute: (name) => ({ "data-from": from, "data-to": to })[name] ?? null });

test("a version is in force from its first day to its last, inclusive; an empty end is open", () => {
  const old = el("2020-10-08", "2025-12-31");
  const now = el("2026-01-01", "");
  assert.equal(inForce(old, "2020-10-08"), true);
  assert.equal(inForce(old, "2025-12-31"), true);
  assert.equal(inForce(old, "2026-01-01"), false);
  assert.equal(inForce(now, "2025-12-31"), false);
  assert.equal(inForce(now, "2031-05-05"), true);
});

test("showDay shows what is in force on the day and hides the rest", () => {
  const items = [el("2020-10-08", "2025-12-31"), el("2026-01-01", ""), el("2026-01-01", "2026-06-30")];
  const root = { querySelectorAll: () => items };
  assert.equal(showDay(root, "2025-06-01"), 1);
  assert.deepEqual(items.map((i) => i.hidden), [false, true, true]);
  assert.equal(showDay(root, "2026-03-01"), 2);
  assert.deepEqual(items.map((i) => i.hidden), [true, false, false]);
  assert.equal(showDay(root, "2026-07-01"), 1);
  assert.deepEqual(items.map((i) => i.hidden), [true, false, true]);
});
