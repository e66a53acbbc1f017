// Share links: round trip, and hostile links refused before anything is built from them.
import assert from "node:assert/strict";
import { test } from "node:test";

import { decode, depthOf, encode, LIMITS } from "../../overrides/assets/calc/fragment.js";

const LISTS = [{ path: "legs", max: 50 }, { path: "transport", max: 100 }];

test("an input survives the round trip", () => {
  const input = { rank: "other", legs: [{ region: "in_province", days: 2 }], note: "#&=? 中文" };
  assert.deepEqual(decode(encode(input), LISTS), { kind: "input", value: input });
});

test("the link keeps JSON's brackets readable and escapes the rest", () => {
  assert.equal(encode({ a: [1, "x y"] }), '#input={%22a%22:[1,%22x%20y%22]}');
  assert.equal(encode({ q: "{#}" }), "#input={%22q%22:%22{%23}%22}");
});

test("no fragment, or another fragment, is not an input", () => {
  assert.equal(decode("", LISTS).kind, "none");
  assert.equal(decode("#calc-result-travel", LISTS).kind, "none");
});

test("text that is not JSON is refused, and shown as text", () => {
  const got = decode("#input=" + encodeURIComponent("<img src=x onerror=alert(1)>"), LISTS);
  assert.equal(got.kind, "refused");
  assert.equal(got.reason, "json");
  assert.equal(got.shown, "<img src=x onerror=alert(1)>");
  assert.equal(decode("#input=%E0%A4%A", LISTS).reason, "encoding");
});

test("a link nested 5,000 levels deep is refused without parsing it", () => {
  const deep = "[".repeat(5000) + "]".repeat(5000);
  const got = decode("#input=" + encodeURIComponent(deep), LISTS);
  assert.equal(got.reason, "depth");
  assert.equal(got.count, 5000);
  assert.equal(depthOf('{"a":"[[[[[[[[[[[["}'), 1); // brackets inside strings do not count
});

test("a link with more legs than the form allows is refused, naming the list", () => {
  const legs = Array.from({ length: 1000 }, () => ({ region: "in_province", days: 1 }));
  const got = decode(encode({ rank: "other", legs }), LISTS);
  assert.equal(got.reason, "bounds");
  assert.equal(got.field, "legs");
  assert.equal(got.count, 1000);
  assert.equal(got.max, 50);
  assert.equal(decode(encode({ legs: legs.slice(0, 50) }), LISTS).kind, "input");
});

test("an oversized link is refused before decoding", () => {
  const got = decode("#input=" + "a".repeat(LIMITS.maxChars + 1), LISTS);
  assert.equal(got.reason, "size");
});

test("a number no double holds stays text, never null (issue 22)", () => {
  const got = decode("#input=" + encodeURIComponent('{"days":[{"meals":1e309,"taxi":-1e400}]}'));
  assert.equal(got.kind, "input");
  const { meals, taxi } = got.value.days[0];
  assert.equal(typeof meals, "string");
  assert.ok(["1e309", "Infinity"].includes(meals), meals); // the link's own text where the engine exposes it
  assert.ok(["-1e400", "-Infinity"].includes(taxi), taxi);
  assert.ok(!JSON.stringify(got.value).includes("null"));
});

test("a broken % escape is reported as such, quoting it, in both languages (not as bad JSON)", async () => {
  const { refusal } = await import("../../overrides/assets/calc/messages.js");
  for (const [link, bad] of [
    ['#input={"rank":"other"}%zz', "%zz"],
    ['#input={"rank":"oth%4"}', '%4"'],
    ["#input=%E0%A4%A", "%A"],
    ['#input={"a":"%E0%A4"}', "%E0%A4"],
    ['#input={"a":"%FF"}', "%FF"],
  ]) {
    const got = decode(link, LISTS);
    assert.equal(got.reason, "encoding", link);
    assert.equal(got.bad, bad, link);
    const [zh, en] = refusal(got, ["", ""]);
    assert.ok(zh.includes("百分号转义") && zh.includes(bad) && !zh.includes("JSON"), zh);
    assert.ok(en.includes("percent escape") && en.includes(bad) && !en.includes("JSON"), en);
  }
});
