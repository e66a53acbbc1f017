// One number parser: the page reads a typed number exactly as the engine does (calculators/fields.py),
// on the same table of cases as tests/test_number_cases.py.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { parseNumber } from "../../overrides/assets/calc/values.js";

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
