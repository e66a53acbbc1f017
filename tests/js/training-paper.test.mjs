// The supervised paper's draw (overrides/assets/training/paper.js): a paper number always gives the same
// questions in the same order with the same choice order, so the paper and its answer key agree and the
// same paper can be printed again; another number gives another paper.
import { test } from "node:test";
import assert from "node:assert/strict";
import { draw, seeded } from "../../overrides/assets/training/paper.js";
import { sanitize, empty } from "../../overrides/assets/training/progress-store.js";

const pool = Array.from({ length: 40 }, (_, i) => ({
  id: "q" + i, kind: i % 4 === 0 ? "true_false" : "single",
  choices: ["a", "b", "c", "d"].map((id) => ({ id, text: id + i }))
}));

test("the same number gives the same paper", () => {
  const a = draw(pool, 20, "123456"), b = draw(pool, 20, "123456");
  assert.equal(a.length, 20);
  assert.deepEqual(a.map((p) => [p.q.id, p.choices.map((c) => c.id)]), b.map((p) => [p.q.id, p.choices.map((c) => c.id)]));
  assert.equal(new Set(a.map((p) => p.q.id)).size, 20);
});

test("another number gives another paper, and true/false keeps its order", () => {
  const a = draw(pool, 20, "123456"), c = draw(pool, 20, "654321");
  assert.notDeepEqual(a.map((p) => p.q.id), c.map((p) => p.q.id));
  for (const p of a) if (p.q.kind === "true_false") assert.deepEqual(p.choices.map((x) => x.id), ["a", "b", "c", "d"]);
});

test("the generator is in [0, 1)", () => {
  const r = seeded(42);
  for (let i = 0; i < 1000; i++) { const x = r(); assert.ok(x >= 0 && x < 1); }
});

test("stored progress: the profile and recent rounds survive, an old name moves into the profile", () => {
  const s = empty();
  s.profile = { name: "张三", department: "办公室", post: "科员", start: "2026-12-01" };
  s.recent = ["q1", "q2", "bad id!"];
  const got = sanitize(JSON.parse(JSON.stringify(s)));
  assert.deepEqual(got.state.profile, s.profile);
  assert.deepEqual(got.state.recent, ["q1", "q2"]);
  assert.equal(got.dropped, 1);
  const old = sanitize({ v: 1, name: "李四" });
  assert.equal(old.state.profile.name, "李四");
});
