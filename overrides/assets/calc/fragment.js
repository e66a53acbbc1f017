// The share link: the contract input in the URL fragment, "#input=" + encodeURIComponent(JSON).
// Reading one checks size, nesting depth and the form's list bounds BEFORE anything is built from
// it, so that a hostile or broken link is answered at once with a message, not a frozen page.

import { getPath, isObj } from "./values.js";

export const PREFIX = "#input=";
export const LIMITS = Object.freeze({ maxChars: 100_000, maxDepth: 8 });

// Characters JSON needs that a URL fragment may carry as they are: left readable, so the link
// (and the worksheet's QR code of it) stays short. Everything else is percent-encoded.
const KEEP = { "%7B": "{", "%7D": "}", "%5B": "[", "%5D": "]", "%3A": ":", "%2C": "," };

export function encode(model) {
  return PREFIX + encodeURIComponent(JSON.stringify(model)).replace(/%7B|%7D|%5B|%5D|%3A|%2C/g, (m) => KEEP[m]);
}

/** Deepest nesting of [ and { in a JSON text, outside strings (without parsing it). */
export function depthOf(text) {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") max = Math.max(max, ++depth);
    else if (c === "]" || c === "}") depth--;
  }
  return max;
}

/** JSON.parse reviver: a number no double holds (1e309 reads as Infinity, which JSON.stringify would
 * send to the engine as null, "not given") is kept as its text, for the engine to refuse by the
 * field's name. The text is the link's own where the browser hands it over (JSON.parse source text
 * access), else "Infinity" / "-Infinity". */
export function finiteOrText(key, value, context) {
  if (typeof value !== "number" || Number.isFinite(value)) return value;
  return context && typeof context.source === "string" ? context.source : String(value);
}

/**
 * Read a location.hash. Returns one of
 *   {kind: "none"}                                   no #input= in it
 *   {kind: "input", value}                           a value to put in the form (any JSON value; a
 *                                                    number no double holds stays text: 1e309 -> "1e309")
 *   {kind: "refused", reason, field, shown, count?, max?}
 *        reason: "encoding" (a broken % escape, quoted in `bad`) | "size" | "json" | "depth" | "bounds"; field: the path the message
 *        belongs to ("" = the form); shown: the link's text (cut) for the message.
 * lists: [{path, max}] the form's repeated fields and their declared maximum.
 */
export function decode(hash, lists = [], limits = LIMITS) {
  if (typeof hash !== "string" || !hash.startsWith(PREFIX)) return { kind: "none" };
  const raw = hash.slice(PREFIX.length);
  const refuse = (reason, text, extra = {}) => ({ kind: "refused", reason, field: "", shown: String(text).slice(0, 300), ...extra });
  if (raw.length > limits.maxChars) return refuse("size", raw, { count: raw.length, max: limits.maxChars });
  let text;
  try {
    text = decodeURIComponent(raw);
  } catch (e) {
    return refuse("encoding", raw, { bad: badEscape(raw) });
  }
  const depth = depthOf(text);
  if (depth > limits.maxDepth) return refuse("depth", text, { count: depth, max: limits.maxDepth });
  let value;
  try {
    value = JSON.parse(text, finiteOrText);
  } catch (e) {
    return refuse("json", text);
  }
  if (isObj(value)) {
    for (const { path, max } of lists) {
      const list = getPath(value, path);
      if (Array.isArray(list) && Number.isFinite(max) && list.length > max) {
        return refuse("bounds", text, { field: path, count: list.length, max });
      }
    }
  }
  return { kind: "input", value };
}

/** The first broken % escape of a link: a "%" without two hex digits after it ("%zz", "%4"), else
 *  the first run of escapes that spells no UTF-8 ("%E0%A4%A" cut short, "%FF"). */
export function badEscape(raw) {
  const lone = /%(?![0-9A-Fa-f]{2})/.exec(raw);
  if (lone) return raw.slice(lone.index, lone.index + 3);
  for (const run of raw.matchAll(/(?:%[0-9A-Fa-f]{2})+/g)) {
    try {
      decodeURIComponent(run[0]);
    } catch (e) {
      return run[0].slice(0, 36);
    }
  }
  return "";
}
