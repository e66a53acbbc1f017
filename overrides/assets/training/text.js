/* What every training module needs to speak: the page's language, a bilingual string, today's date,
   and an element made from plain text (never HTML). */

export function lang() {
  const m = document.querySelector('meta[name="handbook-lang"]');
  return m ? m.content : (document.documentElement.lang === "en" ? "en" : "zh");
}

export function T(zh, en) { return lang() === "en" ? en : zh; }

function pad(n) { return (n < 10 ? "0" : "") + n; }

export function today() {
  const d = new Date();
  return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
}

export function el(tag, attrs, text) {
  const node = document.createElement(tag);
  Object.keys(attrs || {}).forEach((k) => node.setAttribute(k, attrs[k]));
  if (text) node.textContent = text;
  return node;
}

export function all(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }

/* A shuffled copy; `random` is Math.random unless a seeded generator is given (the supervised paper). */
export function shuffle(list, random) {
  const next = random || Math.random;
  const a = list.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const x = a[i]; a[i] = a[j]; a[j] = x;
  }
  return a;
}

/* "4/5 (80%)" */
export function scoreText(r) { return r.right + "/" + r.total + " (" + r.pct + "%)"; }
