// A number as people type it, by the engine's rules (calculators/fields.py: typed_pattern and parse_typed),
// ported line for line, declared once for every script of the page: the calculators' form
// (calc/values.js parseNumber) and the training's numeric questions (training/quiz.js). Full-width digits
// (５４０), thousands separators in groups of three (1,234.5), a sign, one of the given units after it
// (540元). No exponent, no Infinity or NaN: every number read is finite. tests/number_cases.json holds the
// cases the engine and these readers must agree on (tests/test_number_cases.py and
// tests/js/calc-numbers.test.mjs). No DOM, no globals.

const FULL_DIGITS = "０１２３４５６７８９";
const DIGIT = "[0-9" + FULL_DIGITS + "]";
const SPACE = "[ \\t\\n\\r\\f\\v\\u00a0\\u3000]"; // written out: Python's and ECMAScript's \s differ
const SPACES = new RegExp(`^${SPACE}+|${SPACE}+$`, "g");
const FULL = new RegExp("[" + FULL_DIGITS + "．，＋－\\u3000]", "g");
const FULL_TO_ASCII = { "．": ".", "，": ",", "＋": "+", "－": "-", "\u3000": " " };
export const TYPED_MAX = 64; // characters: a longer text is not read as a number

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/** The same regular expression as fields.typed_pattern(units). */
export function typedPattern(units = []) {
  const unit = units.length ? "(" + units.map(escapeRe).join("|") + ")?" : "";
  return new RegExp(`^${SPACE}*[+\\-＋－]?(${DIGIT}{1,3}([,，]${DIGIT}{3})+|${DIGIT}+)([.．]${DIGIT}+)?${SPACE}*${unit}${SPACE}*$`);
}

export const trim = (s) => s.replace(SPACES, "");

/** fields.parse_typed: the number's plain ASCII decimal ("1234.5"), or null when the text is not a typed number. */
export function typedDecimal(text, units = []) {
  text = String(text);
  if (text.length > TYPED_MAX || !typedPattern(units).test(text)) return null;
  let s = trim(text.replace(FULL, (c) => FULL_TO_ASCII[c] || String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
  for (const u of [...units].sort((a, b) => b.length - a.length)) {
    if (s.endsWith(u)) {
      s = trim(s.slice(0, -u.length));
      break;
    }
  }
  return s.replace(/,/g, "");
}

/** The typed number as a JavaScript number (the nearest double), or null when the text is not a typed number. */
export function typedNumber(text, units = []) {
  const s = typedDecimal(text, units);
  return s === null ? null : Number(s) || 0; // never -0
}
