// Turn ranked hits into what Material's search result list renders. One job: presentation.
//
// Material groups a result as [article, ...sections] and renders the article (the item without "#" in
// its location, or else the last) as a heading and each section as a heading with a snippet. A handbook
// result is one clause, so each group is [the clause with its snippet, "part › section"], and both link
// to the clause's anchor: every link of a result card, and Enter on it, lands on the clause. A partial
// match says calmly which of the query's words the clause does not contain (never a function word; not
// Material's struck-through list). When one clause clearly leads, the first result shows its text (a
// short clause whole, else its best sentence): the answer. A question about an amount that a calculator
// computes offers the calculator as a result. Titles and snippets are HTML: text is escaped and matches
// are wrapped in <mark>. The index's keys (doc.t, page.u, calc.c, …) are declared in schema.js.

import { FLAG } from "./schema.js";

const SNIPPET = { zh: [24, 90], en: [60, 220] }; // characters before / after the first match

const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

function merge(spans) {
  const out = [];
  for (const [s, e] of [...spans].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** ``text`` from ``from`` to ``to``, escaped, with the spans marked. */
export function markup(text, spans, from = 0, to = text.length) {
  let html = "", at = from;
  for (const [s0, e0] of merge(spans)) {
    const s = Math.max(s0, from), e = Math.min(e0, to);
    if (e <= s) continue;
    html += escapeHtml(text.slice(at, s)) + "<mark>" + escapeHtml(text.slice(s, e)) + "</mark>";
    at = e;
  }
  return html + escapeHtml(text.slice(at, to));
}

/** A window of the text around its first match, marked. */
export function snippet(text, spans, lang) {
  const [before, after] = SNIPPET[lang] || SNIPPET.en;
  const first = spans.length ? Math.min(...spans.map((s) => s[0])) : 0;
  let from = Math.max(0, first - before);
  let to = Math.min(text.length, from + before + after);
  if (lang !== "zh") { // whole words
    if (from > 0) from = text.indexOf(" ", from) + 1 || from;
    if (to < text.length) to = text.lastIndexOf(" ", to) > from ? text.lastIndexOf(" ", to) : to;
  }
  return (from > 0 ? "…" : "") + markup(text, spans, from, to) + (to < text.length ? "…" : "");
}

const NUMBER_ONLY = /^[\s\d.()、()一二三四五六七八九十]*$/u;

/** The clause's number and title; an untitled clause shows its number and first words. */
function title(doc, spans, lang) {
  const label = markup(doc.t || "", spans);
  if (!NUMBER_ONLY.test(doc.t || "") || !doc.b) return label;
  const words = lang === "zh" ? [...doc.b].slice(0, 18).join("") : doc.b.split(" ").slice(0, 8).join(" ");
  return `${label}${label ? " " : ""}${escapeHtml(words)}${words.length < doc.b.length ? "…" : ""}`;
}

export const WORDS = {
  zh: { lacks: "不含", calculator: (t) => `${t}计算器`, calcText: "按本手册的规定计算,逐项注明依据的条款。" },
  en: { lacks: "Does not mention", calculator: (t) => `${t} calculator`, calcText: "Works it out under the handbook's rules, naming the clause behind each line." },
};
const ANSWER = { zh: 160, en: 420 }; // a clause this short is the answer as it stands

/** Does the first hit clearly lead (a full match well ahead of the next, or the only one)? */
function leads(hits) {
  const [a, b] = hits;
  if (!a) return false;
  if (!b) return true;
  if (a.full) return !b.full || a.score >= 1.5 * b.score;
  return a.rank >= b.rank + 1.5;
}

/** The sentence of ``text`` with the most marked spans, marked (the whole text when short). */
function answerText(text, spans, lang) {
  if ([...text].length <= ANSWER[lang]) return markup(text, spans);
  const ends = [...text.matchAll(lang === "zh" ? /[。;;!?]/g : /[.;](?=\s)/g)].map((m) => m.index + 1);
  let from = 0, best = null;
  for (const end of [...ends, text.length]) {
    const count = spans.filter(([s]) => s >= from && s < end).length;
    if (end > from && (!best || count > best.count)) best = { from, end, count };
    from = end;
  }
  const start = text.slice(best.from).search(/\S/) + best.from;
  return (start > 0 ? "…" : "") + markup(text, spans, start, best.end) + (best.end < text.length ? "…" : "");
}

/** Material's SearchResult ({ items: SearchItem[][] }) for a search() answer of ``index``, and what the
 *  page says beside it ({ typed, searched, changes }: the query as typed and as searched). */
export function toMaterial(index, { concepts, hits, intents = 0, typed, searched, changes = [] }) {
  const lang = index.lang || "zh";
  const words = WORDS[lang] || WORDS.en;
  const answer = leads(hits);
  const items = hits.map((hit, rank) => {
    const doc = index.docs[hit.d];
    const page = index.pages[doc.p];
    const fields = { t: [], b: [], x: [] };
    const terms = {};
    concepts.forEach((concept, ci) => {
      const m = hit.matches[ci];
      if (!m) return; // said in words under the snippet, not struck through by Material
      const phrase = concept.alts[m.alt];
      let surface = null;
      for (const f of Object.keys(fields)) {
        const text = doc[f] || "";
        const spans = index.spansOf(hit.d, f, phrase, m.loose);
        fields[f].push(...spans);
        if (!surface && spans.length) surface = text.slice(spans[0][0], spans[0][1]);
      }
      if (!m.loose && surface) terms[surface] = true; // Material highlights these on the clause's page
    });
    const lacks = concepts.filter((c, ci) => !hit.matches[ci] || hit.matches[ci].loose).map((c) => c.label);
    const body = doc.b ? "b" : "x";
    const where = fields.b.length || !fields.x.length ? body : "x";
    const text = doc[where] || "";
    const score = hits.length - rank; // monotone in rank: Material picks the highest for Enter
    const shown = rank === 0 && answer && text
      ? `<p class="hb-search-answer">${answerText(text, fields[where], lang)}</p>`
      : text ? `<p>${snippet(text, fields[where], lang)}</p>` : "";
    const missing = lacks.length ? `<p class="hb-search-lacks">${words.lacks}: ${lacks.map(escapeHtml).join(lang === "zh" ? "、" : ", ")}</p>` : "";
    const location = `${page.u}#${doc.id}`;
    return [
      { location, title: title(doc, fields.t, lang) || escapeHtml(page.c), text: shown + missing, score, terms },
      { location, title: escapeHtml(page.c), text: "", score: score - 0.5, terms },
    ];
  });
  // a question about an amount: the calculator that computes one of the first clauses, after the first result
  if (intents & FLAG.values && hits.length) {
    const top = new Set(hits.slice(0, 3).map((h) => index.docs[h.d].id));
    const calc = (index.calcs || []).find((c) => c.c.some((id) => top.has(id)));
    if (calc) {
      items.splice(1, 0, [{ location: calc.u, title: escapeHtml(words.calculator(calc.t)), text: `<p>${escapeHtml(words.calcText)}</p>`, score: hits.length - 0.25, terms: {} }]);
    }
  }
  return { items, handbook: { typed: typed ?? null, searched: searched ?? null, changes } };
}
