// Pure helpers for the contract input: numbers as people type them, paths into the input object,
// a canonical form for identity checks. No DOM, no globals: tested with `node --test tests/js/`.

import { trim, typedDecimal } from "../shared/numbers.js";

export const isObj = (x) => x !== null && typeof x === "object" && !Array.isArray(x);
export const clone = (x) => (x === undefined ? undefined : JSON.parse(JSON.stringify(x)));

/** Key order does not matter to the engine; identity checks compare this form. */
export function canon(v) {
  if (Array.isArray(v)) return "[" + v.map((x) => (x === undefined ? "null" : canon(x))).join(",") + "]";
  if (isObj(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return "{" + keys.map((k) => JSON.stringify(k) + ":" + canon(v[k])).join(",") + "}";
  }
  return JSON.stringify(v === undefined ? null : v);
}

// ------------------------------------------------------------------------------ numbers
// The engine's rules for a number as people type it are declared once, in ../shared/numbers.js (shared with
// the training's numeric questions); here, what the calculators' form sends for it.

/** A decimal's value as a comparable key: "-1234.50" and "-1.2345e3" give the same. */
function decimalKey(str) {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(str);
  if (!m) return null;
  let digits = (m[2] || "") + (m[3] || "");
  let exp = (m[2] || "").length + Number(m[4] || 0);
  const lead = digits.match(/^0*/)[0].length;
  digits = digits.slice(lead).replace(/0+$/, "");
  exp -= lead;
  return digits ? (m[1] === "-" ? "-" : "") + digits + "e" + exp : "0";
}

/** A number field's value for the contract input: undefined when empty; a number when the engine
 * reads the text as exactly that number; otherwise the text as typed, which the engine reads by the
 * same rules (a decimal no double holds exactly) or refuses naming the field (1e309, Infinity, abc).
 * Never NaN or an infinity: JSON has no such number, and it would arrive as null ("not given"). */
export function parseNumber(text, units = []) {
  const raw = trim(String(text));
  if (raw === "") return undefined;
  const s = typedDecimal(text, units);
  if (s === null) return raw;
  const n = Number(s);
  if (!Number.isFinite(n) || decimalKey(s) !== decimalKey(String(n))) return raw;
  return n === 0 ? 0 : n; // never -0
}

export function display(v) {
  if (v === undefined || v === null) return "";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

// ------------------------------------------------------------------------------ paths

/** "legs[0].days" -> ["legs", 0, "days"] */
export function tokens(path) {
  const out = [];
  for (const part of String(path).split(".")) {
    const re = /([^[\]]+)|\[(\d+)\]/g;
    let m;
    while ((m = re.exec(part))) out.push(m[1] !== undefined ? m[1] : Number(m[2]));
  }
  return out;
}

export function getPath(obj, path) {
  let cur = obj;
  for (const t of tokens(path)) {
    if (cur === null || typeof cur !== "object") return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, t)) return undefined;
    cur = cur[t];
  }
  return cur;
}

export function setPath(obj, path, value) {
  const ts = tokens(path);
  let cur = obj;
  for (let i = 0; i < ts.length - 1; i++) {
    const t = ts[i];
    const nextIsIndex = typeof ts[i + 1] === "number";
    const next = cur[t];
    if (next === null || typeof next !== "object" || Array.isArray(next) !== nextIsIndex) {
      if (value === undefined) return;
      cur[t] = nextIsIndex ? [] : {};
    }
    cur = cur[t];
  }
  const last = ts[ts.length - 1];
  if (value === undefined) {
    if (Array.isArray(cur) && typeof last === "number") cur[last] = undefined;
    else delete cur[last];
  } else {
    cur[last] = value;
  }
}

/** "legs[0].days" -> ["legs[0].days", "legs[0]", "legs", ""]: where an error for it may go. */
export function parentPaths(field) {
  const out = [];
  let p = String(field || "");
  while (p) {
    out.push(p);
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    p = cut > 0 ? p.slice(0, cut) : "";
  }
  out.push("");
  return out;
}

/** The unit as the result names it, in the singular for exactly one in English ("1 day"). */
export function unitText(result, lang) {
  const label = (result && result.unit_label && result.unit_label[lang]) || "";
  if (lang === "en" && String(result.total_text) === "1" && /[^s]s$/.test(label)) return label.slice(0, -1);
  return label;
}
