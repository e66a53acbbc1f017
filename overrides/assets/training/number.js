/* A number as a trainee types it into a numeric question: ５４０, 540元, 1,234.5, 1 234 (the training's own
   reading, unchanged from the first training script; the calculators read fields with assets/calc/values.js). */
export function parseNumber(text) {
  if (typeof text !== "string") return null;
  const t = text.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFF10 + 48))
    .replace(/[\uFF0E\u3002]/g, ".").replace(/[,\uFF0C\s]/g, "").replace(/[\uFF0D\u2212]/g, "-");
  const m = t.match(/^[^0-9.\-]*(-?(?:\d+(?:\.\d*)?|\.\d+))[^0-9]*$/);
  if (!m) return null;
  const n = parseFloat(m[1]);
  return isFinite(n) ? n : null;
}
