// One number parser: the page reads a typed number exactly as the engine does (calculators/fields.py),
// on the same table of cases as tests/test_number_cases.py: the calculators' form (calc/values.js) and the
// training's numeric questions (training/quiz.js) both through overrides/assets/shared/numbers.js.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { parseNumber } from "../../overrides/assets/calc/values.js";
import { typedNumber } from "../../overrides/assets/shared/numbers.js";

const { cases } = JSON.parse(readFileSync(new URL("../number_cases.json", import.meta.url), "utf-8"));

for (const c of cases) {
  test(`the page reads ${JSON.stringify(c.text)} as the engine does`, () => {
    const got = parseNumber(c.text, c.units);
    if (c.value === "") assert.equal(got, undefined);
    else if (c.value === null || c.text_sent) {
      assert.equal(typeof got, "string", "sent as text, for the engine to read or refuse by the field's name");
      assert.equal(got.trim(), c.text.trim());
    } else {
      assert.equal(typeof got, "number");
      assert.ok(Number.isFinite(got));
      assert.equal(got, Number(c.value));
      assert.ok(!Object.is(got, -0));
    }
  });
}

test("never NaN or an infinity, whatever is typed", () => {
  for (const text of ["1e309", "-1e309", "Infinity", "NaN", "9".repeat(400), "1" + "0".repeat(63)]) {
    const got = parseNumber(text);
    assert.ok(typeof got === "string" || Number.isFinite(got), text);
  }
});

for (const c of cases) {
  test(`a training question reads ${JSON.stringify(c.text)} (units ${JSON.stringify(c.units)}) as the engine does`, () => {
    const got = typedNumber(c.text, c.units);
    if (c.value === "" || c.value === null) assert.equal(got, null);
    else assert.equal(got, Number(c.value));
  });
}

test("the page has one number reader: shared/numbers.js, imported by the calculators' form and the training", () => {
  const assets = new URL("../../overrides/assets/", import.meta.url);
  const read = (name) => readFileSync(new URL(name, assets), "utf-8");
  assert.match(read("calc/values.js"), /from "\.\.\/shared\/numbers\.js"/);
  const quiz = read("training/quiz.js");
  assert.match(quiz, /import \{ typedNumber \} from "\.\.\/shared\/numbers\.js"/);
  assert.doesNotMatch(quiz, /parseFloat|\bNumber\(given/, "the quiz reads a trainee's number only through typedNumber");
  assert.throws(() => read("training/number.js"), /ENOENT/, "the training's own parser is gone");
});
