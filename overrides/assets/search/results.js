// Turn ranked hits into what Material's search result list renders. One job: presentation.
//
// Material groups a result as [article, ...sections] and renders the article (no "#" in its location)
// as a heading and each section as a heading with a snippet. A handbook result is one clause, so each
// group is [the page as "part › section", the clause with its snippet]; the clause links to its anchor,
// carries the higher score (Enter opens it) and lists the words it lacks. Titles and snippets are HTML:
// text is escaped and matches are wrapped in <mark>.

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

/** Material's SearchResult ({ items: SearchItem[][] }) for a search() answer of ``index``. */
export function toMaterial(index, { concepts, hits }) {
  const lang = index.lang || "zh";
  const items = hits.map((hit, rank) => {
    const doc = index.docs[hit.d];
    const page = index.pages[doc.p];
    const fields = { t: [], b: [], x: [] };
    const terms = {};
    concepts.forEach((concept, ci) => {
      const m = hit.matches[ci];
      if (!m) { terms[concept.label] = false; return; }
      const phrase = concept.alts[m.alt];
      let surface = null;
      for (const f of Object.keys(fields)) {
        const text = doc[f] || "";
        const spans = index.spansOf(hit.d, f, phrase, m.loose);
        fields[f].push(...spans);
        if (!surface && spans.length) surface = text.slice(spans[0][0], spans[0][1]);
      }
      if (m.loose) terms[concept.label] = false; // only part of it was found: Material lists it as missing
      else terms[surface || concept.label] = true;
    });
    const body = doc.b ? "b" : "x";
    const where = fields.b.length || !fields.x.length ? body : "x";
    const text = doc[where] || "";
    const score = hits.length - rank; // monotone in rank: Material picks the highest for Enter
    return [
      { location: page.u, title: escapeHtml(page.c), text: "", score: score - 0.5, terms },
      {
        location: `${page.u}#${doc.id}`,
        title: title(doc, fields.t, lang) || escapeHtml(page.c),
        text: text ? `<p>${snippet(text, fields[where], lang)}</p>` : "",
        score,
        terms,
      },
    ];
  });
  return { items };
}
