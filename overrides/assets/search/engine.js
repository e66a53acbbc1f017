// The search index and its ranking. One job: given the clause documents of one language (built by
// handbook/exports/search_index.py) and a query, return the clauses that match, best first.
//
// The index's keys (doc.t, doc.b, group.m, …) are declared in schema.js.
// Every field of every document is cut by tokenize() when the index is built (in the worker, once the
// index file has arrived), and every query by plan(), which uses the same tokenize().
//
// Ranking, in this order:
//   1. clauses that contain every concept of the query before those that contain only some; these by the
//      share of the query they hold, each concept weighted by its idf (a rare word counts more): a question
//      never empties the page when the handbook holds one of its words
//   (a clause that answers the kind of question asked, data/search.yaml's intents, counts 1.5 times)
//   2. a score: for each concept, idf x (title 3 | body BM25 | breadcrumb 0.6 | notes and values 0.4),
//      a chain of Han bigrams or a phrase counting fully only where it is contiguous;
//      + the exact glossary term: the clauses the glossary lists for it;
//      + the title again when it holds every concept, more for a short title than a long one (BM25's
//        length norm: "Rules for Party Group Meetings" before "Main tasks of Party Group meetings");
//      x proximity: concepts close together in the body (certificate of origin).

import { tokenize } from "./tokenize.js";
import { lexicon, phraseOf, plan, prepareGroups, segment } from "./query.js";

export const FIELDS = ["t", "c", "b", "x"]; // title (clause label), breadcrumb, body, notes and values
const WEIGHT = { t: 3, c: 0.6, b: 1, x: 0.4 };
const SPAN = 1 << 20; // positions of field f are f * SPAN + p
const K1 = 1.2, B = 0.75;
export const MAX_RESULTS = 100; // what the worker sends: Material lists ten and the rest as the reader scrolls

export class SearchIndex {
  /** data: { docs: [{id, u, c, t, b, x}], groups: [{m: [members], c: [clause ids]}] } */
  constructor(data) {
    this.docs = data.docs;
    this.groups = prepareGroups(data.groups || []);
    this.byTerm = new Map(); // term -> [doc index]
    this.terms = []; // per doc: Map term -> [encoded position]
    this.bodyLength = [];
    this.titleLength = [];
    this.docIndex = new Map(this.docs.map((doc, d) => [doc.id, d]));
    let total = 0, titles = 0;
    // per doc and field, where each position is in the text, to mark matches in results:
    // { unit: Int32Array [start, end] per position, wide: Map "term@pos" -> end of a token that spans
    //   several positions (三分之二 read as 2/3, 十五 as 15) }
    this.where = [];
    const crumbs = new Map(); // many clauses share a breadcrumb: cut it once
    this.docs.forEach((doc, d) => {
      const terms = new Map();
      const where = {};
      this.where.push(where);
      FIELDS.forEach((f, fi) => {
        let n = 0;
        const text = doc[f] || "";
        let cut = f === "c" ? crumbs.get(text) : null;
        if (!cut) {
          const toks = tokenize(text);
          cut = { toks, where: locate(toks) };
          if (f === "c") crumbs.set(text, cut);
        }
        const toks = cut.toks;
        where[f] = cut.where;
        for (const tok of toks) {
          let list = terms.get(tok.t);
          if (!list) {
            terms.set(tok.t, (list = []));
            let docs = this.byTerm.get(tok.t);
            if (!docs) this.byTerm.set(tok.t, (docs = []));
            docs.push(d);
          }
          list.push(fi * SPAN + tok.p);
          n = Math.max(n, tok.p + 1);
        }
        if (f === "b") { this.bodyLength.push(n); total += n; }
        if (f === "t") { this.titleLength.push(n); titles += n; }
      });
      this.terms.push(terms);
    });
    this.avgBody = total / Math.max(1, this.docs.length) || 1;
    this.avgTitle = titles / Math.max(1, this.docs.length) || 1;
    this.lex = lexicon(data);
    this.lex.exists = (phrase) => this.candidates(phrase).some((d) => this.occurrences(d, phrase)?.starts.length);
    this.intents = (data.intents || []).map((i) => ({ id: i.id, flag: i.f, words: i.w.map((w) => w.toLowerCase()) }));
    this.calcs = data.calcs || [];
    // English words of the index as written, with how often each occurs: typing slips are corrected to them
    this.spelling = new Map();
    for (const doc of this.docs) {
      for (const w of `${doc.t} ${doc.b || ""}`.toLowerCase().match(/[a-z]{3,}/g) || []) this.spelling.set(w, (this.spelling.get(w) || 0) + 1);
    }
    this.memberWords = new Set(this.groups.flatMap((g) => g.members.flatMap((m) => m.units)));
    for (const g of data.groups || []) {
      for (const w of g.m.join(" ").toLowerCase().match(/[a-z]{3,}/g) || []) this.spelling.set(w, (this.spelling.get(w) || 0) + 1);
    }
    this.sounds = null;
  }

  /** Characters by sound ("bao报保|xiao消销"), for Chinese typing slips. */
  setSounds(table) {
    this.sounds = new Map();
    for (const entry of table.split("|")) {
      const [, sound, chars] = entry.match(/^([a-z]+)(.*)$/u) || [];
      if (!sound) continue;
      for (const ch of chars) {
        if (!this.sounds.has(ch)) this.sounds.set(ch, new Set());
        this.sounds.get(ch).add(sound);
      }
    }
    this.wordsByLength = new Map();
    for (const w of this.lex.words) {
      const chars = [...w];
      if (!this.wordsByLength.has(chars.length)) this.wordsByLength.set(chars.length, []);
      this.wordsByLength.get(chars.length).push(chars);
    }
  }

  /** Does the query hold a Chinese stretch that is no word of the index (a possible slip)? */
  needsSounds(query) {
    return !this.sounds && this.lex.words.size > 0 && this.hanSlips(query, true).length > 0;
  }

  /** The query's Chinese slips: [{ from, to, text, to_word }] (offsets into the query). */
  hanSlips(query, probe = false) {
    const out = [];
    const alike = (a, b) => {
      if (a === b) return true;
      const x = this.sounds?.get(a), y = this.sounds?.get(b);
      if (!x || !y) return false;
      for (const s of x) if (y.has(s)) return true;
      return false;
    };
    for (const m of query.matchAll(/\p{Script=Han}+/gu)) {
      const chars = [...m[0]];
      const pieces = segment(chars, this.lex.words, this.lex.maxLen);
      const text = (a, b) => chars.slice(pieces[a].from, pieces[b].to).join("");
      const unknown = (k) => !pieces[k].word && !this.lex.fn.has(text(k, k));
      const offset = (k) => m.index + chars.slice(0, k).join("").length;
      let k = 0;
      while (k < pieces.length) {
        let found = null;
        for (let end = Math.min(pieces.length - 1, k + 3); end >= k && !found; end--) {
          const span = pieces.slice(k, end + 1);
          const typed = text(k, end);
          const n = [...typed].length;
          if (n < 2 || n > 6 || !span.some((_, i) => unknown(k + i)) || span.some((_, i) => this.lex.fn.has(text(k + i, k + i)))) continue;
          if (this.lex.words.has(typed) || this.lex.exists(phraseOfHan(typed))) continue; // found as typed: no slip
          if (probe) { found = { typed }; break; }
          const tc = [...typed];
          let best = null;
          for (const word of this.wordsByLength.get(n) || []) {
            let same = 0, ok = true;
            for (let i = 0; i < n && ok; i++) { if (word[i] === tc[i]) same++; else ok = alike(word[i], tc[i]); }
            if (!ok || !same || same === n) continue;
            const w = word.join("");
            const df = this.candidates(plan(w)[0].alts[0]).length;
            if (!best || same > best.same || (same === best.same && df > best.df)) best = { w, same, df };
          }
          if (best) found = { from: offset(pieces[k].from), to: offset(pieces[end].to), typed, word: best.w };
        }
        if (found) { out.push(found); if (probe) return out; }
        k++;
      }
    }
    return out;
  }

  /** An English word of the query that the index does not hold: the nearest word it holds, or null. */
  nearestWord(word) {
    const limit = word.length >= 7 ? 2 : 1;
    let best = null;
    for (const [w, count] of this.spelling) {
      if (Math.abs(w.length - word.length) > limit) continue;
      const d = distance(word, w, limit);
      if (d > limit) continue;
      const rank = [d, w.length === word.length ? 0 : 1, -count];
      if (!best || rank < best.rank || (rank[0] === best.rank[0] && (rank[1] < best.rank[1] || (rank[1] === best.rank[1] && rank[2] < best.rank[2])))) best = { w, rank };
    }
    return best && best.w;
  }

  /** The query as it is searched: typing slips corrected. { text, changes: [{ typed, word }] } */
  correct(query) {
    const changes = [];
    let text = query;
    if (this.sounds) {
      for (const slip of this.hanSlips(query).reverse()) {
        text = text.slice(0, slip.from) + slip.word + text.slice(slip.to);
        changes.unshift({ typed: slip.typed, word: slip.word });
      }
    }
    text = text.replace(/[A-Za-z][A-Za-z']*/g, (raw) => {
      const lower = raw.toLowerCase();
      if (lower.length < 4) return raw;
      const toks = tokenize(lower);
      if (toks.length !== 1 || this.lex.fn.has(toks[0].t) || this.byTerm.has(toks[0].t) || this.memberWords.has(toks[0].t)) return raw;
      const word = this.nearestWord(lower);
      if (!word) return raw;
      changes.push({ typed: raw, word });
      return word;
    });
    return { text, changes };
  }

  /** The intents of a query (data/search.yaml): a mask of the document flags they favour. */
  intentsOf(query) {
    const q = ` ${query.toLowerCase()} `;
    let mask = 0;
    for (const intent of this.intents) {
      if (intent.words.some((w) => (/\p{Script=Han}/u.test(w) ? q.includes(w) : new RegExp(`[^a-z]${w}[^a-z]`).test(q)))) mask |= intent.flag;
    }
    return mask;
  }

  /** Character spans of a phrase in a document's field: contiguous occurrences, or each atom when loose. */
  spansOf(d, f, phrase, loose = false) {
    const fi = FIELDS.indexOf(f);
    const { unit, wide } = this.where[d][f];
    const terms = this.terms[d];
    const inField = (atom) => (terms.get(atom) || []).filter((p) => Math.floor(p / SPAN) === fi).map((p) => p - fi * SPAN);
    const start = (p) => unit[2 * p];
    const end = (atom, p) => wide.get(`${atom}@${p}`) ?? unit[2 * (p + (isPair(atom) ? 1 : 0)) + 1];
    const spans = [];
    if (loose) {
      for (const atom of new Set(phrase.atoms)) for (const p of inField(atom)) spans.push([start(p), end(atom, p)]);
      return spans;
    }
    const at = phrase.atoms.slice(1).map((a) => new Set(inField(a)));
    const last = phrase.atoms.length - 1;
    for (const p of inField(phrase.atoms[0])) {
      const base = p - phrase.offs[0];
      if (at.every((set, k) => set.has(base + phrase.offs[k + 1]))) {
        spans.push([start(p), end(phrase.atoms[last], base + phrase.offs[last])]);
      }
    }
    return spans;
  }

  /** Where a phrase occurs in a document: counts of contiguous occurrences per field, start positions. */
  occurrences(d, phrase) {
    const terms = this.terms[d];
    const lists = phrase.atoms.map((a) => terms.get(a));
    if (lists.some((l) => !l)) return null;
    const sets = lists.slice(1).map((l) => new Set(l));
    const counts = [0, 0, 0, 0];
    const starts = [];
    for (const p of lists[0]) {
      const base = p - phrase.offs[0];
      let ok = true;
      for (let k = 1; k < lists.length && ok; k++) ok = sets[k - 1].has(base + phrase.offs[k]);
      if (ok) { counts[Math.floor(p / SPAN)]++; starts.push(base); }
    }
    return { counts, starts };
  }

  /** Documents that contain every atom of a phrase (the rarest atom's documents, filtered). */
  candidates(phrase) {
    const lists = phrase.atoms.map((a) => this.byTerm.get(a) || []);
    lists.sort((a, b) => a.length - b.length);
    return lists[0].filter((d) => phrase.atoms.every((a) => this.terms[d].has(a)));
  }

  /**
   * A Han run found nowhere as typed (印章使用: the text says 印章的使用): the clauses that contain most
   * of its character pairs, as partial matches (they do not count as containing the concept).
   */
  partial(concept, found) {
    concept.alts.forEach((phrase, ai) => {
      const n = phrase.atoms.length;
      if (n < 2 || !/\p{Script=Han}/u.test(phrase.atoms[0])) return;
      const have = new Map();
      for (const atom of new Set(phrase.atoms)) {
        for (const d of this.byTerm.get(atom) || []) have.set(d, (have.get(d) || 0) + 1);
      }
      const need = Math.max(1, Math.ceil(n / 2));
      for (const [d, count] of have) {
        if (count < need) continue;
        let inTitle = 0;
        for (const atom of phrase.atoms) inTitle += (this.terms[d].get(atom) || []).some((p) => p < SPAN) ? 1 : 0;
        const raw = (count / n) ** 2 * (1 + (WEIGHT.t * inTitle) / n);
        const prev = found.get(d);
        if (!prev || raw > prev.raw) found.set(d, { raw, alt: ai, loose: true, starts: [] });
      }
    });
  }

  /**
   * Search. Returns { concepts, hits: [{ d, score, strict, matches }] }, best first; ``matches[i]`` is
   * how concept i matched ({ alt, loose }) or null; ``strict`` counts concepts matched contiguously.
   */
  search(query, limit = MAX_RESULTS, { asTyped = false } = {}) {
    const { text, changes } = asTyped ? { text: query, changes: [] } : this.correct(query);
    const answer = this.rank(text, limit);
    return { ...answer, typed: query, searched: text, changes };
  }

  rank(query, limit = MAX_RESULTS) {
    const concepts = plan(query, this.groups, this.lex);
    const intents = this.intentsOf(query);
    if (!concepts.length) return { concepts, hits: [], intents };
    const N = this.docs.length;
    const perDoc = new Map(); // d -> { score, strict, titled, titleScore, matches[], starts[] }
    concepts.forEach((concept, ci) => {
      const found = new Map(); // d -> how the concept matches best: { raw, alt, loose, title, starts }
      concept.alts.forEach((phrase, ai) => {
        for (const d of this.candidates(phrase)) {
          const occ = this.occurrences(d, phrase);
          if (!occ) continue;
          const [t, c, b, x] = occ.counts;
          const loose = t + c + b + x === 0;
          const len = this.bodyLength[d] || 1;
          let raw = loose ? 0.3 : WEIGHT.t * sat(t) + WEIGHT.b * bm25(b, len, this.avgBody) + WEIGHT.c * sat(c) + WEIGHT.x * sat(x);
          const prev = found.get(d);
          if (!prev || (prev.loose && !loose) || (prev.loose === loose && raw > prev.raw)) {
            found.set(d, { raw, alt: ai, loose, title: t > 0, starts: occ.starts.filter((p) => p >= 2 * SPAN && p < 3 * SPAN) });
          }
        }
      });
      if (![...found.values()].some((m) => !m.loose)) this.partial(concept, found);
      if (concept.group !== null && concepts.length === 1) {
        // the query is exactly a glossary term: the clauses the glossary names for it match, even in words
        for (const id of this.groups[concept.group].clauses) {
          const d = this.docIndex.get(id);
          if (d === undefined) continue;
          const prev = found.get(d);
          if (!prev) found.set(d, { raw: 0, alt: 0, loose: false, starts: [] });
          else if (prev.loose) found.set(d, { ...prev, raw: 0, loose: false });
        }
      }
      const df = [...found.values()].filter((m) => !m.loose).length || found.size;
      // a character that is no word of the handbook's (盖 in 盖公章) says little
      const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5)) * (concept.weak ? 0.3 : 1);
      concept.idf = idf;
      concept.df = df;
      for (const [d, m] of found) {
        let entry = perDoc.get(d);
        if (!entry) perDoc.set(d, (entry = { score: 0, strict: 0, held: 0, titled: 0, titleScore: 0, matches: Array(concepts.length).fill(null), starts: [] }));
        entry.score += idf * m.raw;
        entry.held += m.loose ? idf / 2 : idf;
        if (m.title) { entry.titled++; entry.titleScore += idf * WEIGHT.t; }
        if (!m.loose) entry.strict++;
        entry.matches[ci] = { alt: m.alt, loose: m.loose };
        entry.starts[ci] = m.starts;
        if (concept.group !== null && concepts.length === 1) {
          // the clauses the glossary names for this very term, the first (where it is defined) most
          const rank = this.groups[concept.group].clauses.indexOf(this.docs[d].id);
          if (rank >= 0) entry.score += (rank === 0 ? 4 : 2) * WEIGHT.t * idf;
        }
      }
    });
    const hits = [];
    const whole = concepts.reduce((sum, c) => sum + (c.df ? c.idf : 0), 0) || 1;
    for (const [d, e] of perDoc) {
      if (e.strict >= 2) e.score *= 1 + 0.5 * proximity(e.starts.filter(Boolean), e.strict);
      // the whole query is in the title: the more of the title it is, the more (BM25's length norm)
      if (e.titled === concepts.length) e.score += e.titleScore * bm25(1, this.titleLength[d] || 1, this.avgTitle);
      if (intents & (this.docs[d].f || 0)) e.score *= 1.5;
      const full = e.strict === concepts.length;
      hits.push({ d, score: e.score, strict: e.strict, full, share: full ? 1 : e.held / whole, matches: e.matches });
    }
    // full matches first, by score; then by the share of the query held, and the score
    for (const h of hits) h.rank = h.full ? h.score : 10 * h.share + Math.log1p(h.score);
    hits.sort((a, b) => b.full - a.full || b.rank - a.rank || a.d - b.d);
    return { concepts, hits: hits.slice(0, limit), intents };
  }
}

/** The phrase of a Han text (its chain of bigrams). */
const phraseOfHan = (text) => phraseOf(tokenize(text).filter((t) => t.k === "h1" || t.k === "h2"));

/** BM25's weight of tf occurrences in a field of length len (average avg): one occurrence weighs > 1 in
 *  a field shorter than average, < 1 in a longer one. */
const bm25 = (tf, len, avg) => (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * len) / avg));

const HAN_PAIR = /^\p{Script=Han}{2}$/u;
const isPair = (atom) => HAN_PAIR.test(atom);

/** Where each position of a tokenized text is (see SearchIndex.where). */
function locate(toks) {
  let n = 0;
  for (const t of toks) n = Math.max(n, t.p + 1);
  const unit = new Int32Array(2 * n);
  const wide = new Map();
  for (const t of toks) {
    if (t.k === "h1" || t.k === "w" || t.k === "n") { unit[2 * t.p] = t.s; unit[2 * t.p + 1] = t.e; }
    else if (t.k === "f" || t.k === "x") wide.set(`${t.t}@${t.p}`, t.e);
  }
  return { unit, wide };
}

const sat = (tf) => (tf > 0 ? 1 + Math.log(tf) * 0.2 : 0);

/** 1 when the concepts stand next to each other somewhere in the body, falling to 0 as they spread. */
function proximity(lists, n) {
  const events = [];
  lists.forEach((list, i) => list.slice(0, 64).forEach((p) => events.push([p, i])));
  if (new Set(events.map((e) => e[1])).size < 2) return 0;
  events.sort((a, b) => a[0] - b[0]);
  const want = new Set(events.map((e) => e[1])).size;
  const count = new Map();
  let best = Infinity, lo = 0;
  for (let hi = 0; hi < events.length; hi++) {
    count.set(events[hi][1], (count.get(events[hi][1]) || 0) + 1);
    while (count.size === want) {
      best = Math.min(best, events[hi][0] - events[lo][0]);
      const k = events[lo][1];
      count.set(k, count.get(k) - 1);
      if (!count.get(k)) count.delete(k);
      lo++;
    }
  }
  return Math.min(1, (want + 2) / (best + 1));
}

/** Damerau-Levenshtein distance (adjacent transpositions count 1), giving up above ``limit``. */
export function distance(a, b, limit = 2) {
  const n = a.length, m = b.length;
  if (Math.abs(n - m) > limit) return limit + 1;
  let prev2 = null, prev = Array.from({ length: m + 1 }, (_, j) => j);
  for (let i = 1; i <= n; i++) {
    const cur = [i];
    let low = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur.push(v);
      low = Math.min(low, v);
    }
    if (low > limit) return limit + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[m];
}
