// Small DOM helpers. Everything from the input or the result is inserted as text, never as HTML.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/**
 * Text in `lang` as nodes. English text has each run that `chineseRun` (a global RegExp) matches
 * wrapped in <span lang="zh">, so that a screen reader reads the Chinese it quotes with a Chinese
 * voice; the pattern is the one the built pages are marked with (handbook.pages.site.CHINESE_RUN, handed
 * over by the page). Chinese text, text without a match, or no pattern: the text itself.
 */
export function marked(text, lang, chineseRun) {
  const s = text === undefined || text === null ? "" : String(text);
  if (lang !== "en" || !chineseRun || !s) return s;
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const m of s.matchAll(chineseRun)) {
    if (m.index > at) frag.append(s.slice(at, m.index));
    frag.append(h("span", { lang: "zh", text: m[0] }));
    at = m.index + m[0].length;
  }
  if (!frag.childNodes.length) return s;
  if (at < s.length) frag.append(s.slice(at));
  return frag;
}

// Bidirectional controls (embeddings, overrides, isolates, marks): shown nowhere a name is echoed.
// The same set as calculators/fields.py BIDI_CONTROLS (tests/calculators/test_fields.py compares them).
export const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function copyText(text) {
  // navigator.clipboard needs a secure context; an intranet over plain HTTP is not one.
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  return new Promise((resolve, reject) => {
    // Hidden by a class of the site's stylesheet: a style attribute written here would break the CSP.
    const area = h("textarea", { readonly: true, class: "hb-copy-buffer" });
    area.value = text;
    document.body.append(area);
    area.select();
    try {
      document.execCommand("copy") ? resolve() : reject(new Error("copy failed"));
    } catch (e) {
      reject(e);
    } finally {
      area.remove();
    }
  });
}

export function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
