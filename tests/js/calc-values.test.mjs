// Pure helpers of the calculator front end: numbers as people type them, paths, canonical form.
import assert from "node:assert/strict";
import { test } from "node:test";

import { canon, getPath, parentPaths, parseNumber, setPath, tokens, unitText } from "../../overrides/assets/calc/values.js";

test("amounts are read as people type them", () => {
  assert.equal(parseNumber("540"), 540);
  assert.equal(parseNumber("５４０"), 540); // full-width digits
  assert.equal(parseNumber("540元", ["元"]), 540);
  assert.equal(parseNumber("５４０ 元", ["元"]), 540);
  assert.equal(parseNumber("540元"), "540元"); // not a unit of this field: the engine says why
  assert.equal(parseNumber("1,234.50"), 1234.5);
  assert.equal(parseNumber("１，２３４．５"), 1234.5);
  assert.equal(parseNumber("-3"), -3);
  assert.equal(parseNumber("  "), undefined);
});

test("what is not a number goes to the engine as typed", () => {
  assert.equal(parseNumber("abc"), "abc");
  assert.equal(parseNumber("1,5"), "1,5"); // not a thousands separator: the engine says why
  assert.equal(parseNumber("12,34,567"), "12,34,567");
  assert.equal(parseNumber("元"), "元");
  assert.equal(parseNumber("1e309"), "1e309"); // not Infinity, which JSON would send as null
});

test("paths into the contract input", () => {
  assert.deepEqual(tokens("legs[0].days"), ["legs", 0, "days"]);
  const model = {};
  setPath(model, "legs[1].days", 3);
  assert.equal(model.legs.length, 2);
  assert.deepEqual(model.legs[1], { days: 3 });
  assert.equal(getPath(model, "legs[1].days"), 3);
  assert.equal(getPath(model, "legs[5].days"), undefined);
  setPath(model, "legs[1].days", undefined);
  assert.deepEqual(model.legs[1], {});
  assert.deepEqual(parentPaths("legs[0].days"), ["legs[0].days", "legs[0]", "legs", ""]);
});

test("the canonical form ignores key order and undefined", () => {
  assert.equal(canon({ b: 1, a: [1, { d: 2, c: undefined }] }), canon({ a: [1, { d: 2 }], b: 1 }));
  assert.notEqual(canon({ a: 1 }), canon({ a: "1" }));
});

test("units: one day, not one days", () => {
  const r = (total_text, en) => ({ total_text, unit_label: { zh: "天", en } });
  assert.equal(unitText(r("1", "days"), "en"), "day");
  assert.equal(unitText(r("2", "days"), "en"), "days");
  assert.equal(unitText(r("1", "days"), "zh"), "天");
  assert.equal(unitText(r("1", "yuan"), "en"), "yuan");
});
