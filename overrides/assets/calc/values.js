// Pure helpers for the contract input: numbers as people type them, paths into the input object,
// a canonical form for identity checks. No DOM, no globals: tested with `node --test tests/js/`.

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

const FULL_WIDTH = /[\uFF10-\uFF19\uFF0E\uFF0C\uFF0B\uFF0D\u3000]/g;
const FULL_TO_ASCII = { "\uFF0E": ".", "\uFF0C": ",", "\uFF0B": "+", "\uFF0D": "-", "\u3000": " " };
const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/** What people type for an amount, as plain ASCII: full-width digits (５４０), a trailing 元 or a
 * leading ¥/￥, thousands separators (1,234.50). Anything else is returned trimmed, unchanged. */
export function normalizeNumber(text) {
  let s = String(text).replace(FULL_WIDTH, (c) => FULL_TO_ASCII[c] || String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim();
  s = s.replace(/\s*元$/, "").replace(/^[¥￥]\s*/, "").trim();
  if (GROUPED.test(s)) s = s.replace(/,/g, "");
  return s;
}

/** A number field's value for the contract input: undefined when empty, a number when it reads
 * as one, otherwise the text as typed (the engine then names the field in its message). */
export function parseNumber(text) {
  const raw = String(text).trim();
  if (raw === "") return undefined;
  const s = normalizeNumber(raw);
  return PLAIN.test(s) ? Number(s) : raw;
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
