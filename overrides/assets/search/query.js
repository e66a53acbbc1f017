// Turn a query into concepts, each of which a clause must contain. One job: query planning.
//
// A concept is { label, alts: [phrase, ...], group }: a clause matches a concept when it contains one of
// its alternative phrases. A phrase is { atoms: [term], offs: [relative position] }, where the terms are
// exactly those tokenize() gives the index:
//   a Han run of two or more characters  -> the chain of its bigrams (公杂费 -> 公杂@0 杂费@1)
//   a single Han character               -> its unigram
//   a Latin word                         -> its stem (stop words are dropped unless nothing else is left)
//   a number                             -> the number (150元 -> 150 and 元)
//   三分之二 / two thirds / 百分之八十       -> the fraction (2/3, 80%) or the characters as typed
//   a glossary term or synonym, in either language -> any member of its synonym group.
//
// With a lexicon (the index's function words and Chinese words, data/search.yaml and the build's word
// list), a Han run is first cut into the handbook's own words; its function words (怎么, 吗, 要 standing
// alone) are dropped, and a stretch that does not occur as typed anywhere becomes one concept per word,
// so that a question finds the clauses holding most of its words (the engine ranks by their share).
// Latin function words (how, can, I) are dropped the same way. Either kind is kept when nothing else is.

import { tokenize } from "./tokenize.js";

const UNIT = new Set(["h1", "w", "n"]);

/** The phrase that finds ``tokens`` (a contiguous stretch of one tokenize() output). */
export function phraseOf(tokens) {
  const picked = [];
  const h1 = tokens.filter((t) => t.k === "h1");
  const runs = new Map();
  for (const t of h1) runs.set(t.g, [...(runs.get(t.g) || []), t]);
  for (const [g, chars] of runs) {
    const lo = Math.min(...chars.map((t) => t.p)), hi = Math.max(...chars.map((t) => t.p));
    if (chars.length === 1) picked.push(chars[0]);
    else picked.push(...tokens.filter((t) => t.k === "h2" && t.g === g && t.p >= lo && t.p < hi));
  }
  picked.push(...tokens.filter((t) => t.k === "w" || t.k === "n"));
  if (!picked.length) return null;
  picked.sort((a, b) => a.p - b.p);
  const p0 = picked[0].p;
  return { atoms: picked.map((t) => t.t), offs: picked.map((t) => t.p - p0) };
}

/** Synonym groups, ready for matching: each member as a sequence of unit terms and as a phrase. */
export function prepareGroups(groups) {
  return groups.map((group, gi) => ({
    index: gi,
    clauses: group.c || [],
    members: group.m.map((text) => {
      const toks = tokenize(text).filter((t) => t.k !== "x" && t.k !== "f");
      return { text, units: toks.filter((t) => UNIT.has(t.k)).map((t) => t.t), phrase: phraseOf(toks) };
    }).filter((m) => m.units.length && m.phrase),
  }));
}

/**
 * The words of a Han run (an array of characters): [{ from, to, word }] covering it, the handbook's own
 * words where they fit (longest first, fewest pieces), single characters between them (word: false).
 */
export function segment(chars, words, maxLen = 8) {
  const n = chars.length;
  // fewest pieces, a character that is no word counting as two; then the longest words
  const best = Array(n + 1).fill(null); // best[i]: [cost, -sum of squared lengths, pieces] for chars[0..i)
  best[0] = [0, 0, []];
  for (let i = 0; i < n; i++) {
    if (!best[i]) continue;
    for (let len = 1; len <= Math.min(maxLen, n - i); len++) {
      const text = chars.slice(i, i + len).join("");
      const word = words.has(text);
      if (len > 1 && !word) continue;
      const cost = best[i][0] + (word ? 1 : 2), tie = best[i][1] - len * len;
      const prev = best[i + len];
      if (!prev || cost < prev[0] || (cost === prev[0] && tie < prev[1])) best[i + len] = [cost, tie, [...best[i][2], { from: i, to: i + len, word }]];
    }
  }
  return best[n][2];
}

/** A lexicon for plan() from an index file's data: function words, Chinese words. */
export function lexicon(data = {}) {
  const fn = new Set();
  for (const w of data.fn || []) {
    const toks = tokenize(w).filter((t) => UNIT.has(t.k));
    if (toks.length === 1 || /\p{Script=Han}/u.test(w)) fn.add(/\p{Script=Han}/u.test(w) ? w : toks[0].t);
  }
  const words = new Set((data.words || "").split(" ").filter(Boolean));
  let maxLen = 1;
  for (const w of words) maxLen = Math.max(maxLen, [...w].length);
  return { fn, words, maxLen: Math.min(maxLen, 12) };
}

export function plan(query, groups = [], lex = null) {
  const toks = tokenize(query);
  const fn = lex ? lex.fn : new Set();
  const units = toks.filter((t) => UNIT.has(t.k)).sort((a, b) => a.p - b.p || a.s - b.s);
  const used = new Set(); // indexes into units
  const concepts = [];
  const label = (from, to) => query.slice(from, to).trim();

  // 1. glossary terms and synonyms, longest first
  const found = [];
  for (const group of groups) {
    for (const member of group.members) {
      const n = member.units.length;
      for (let i = 0; i + n <= units.length; i++) {
        let ok = true;
        for (let k = 0; k < n && ok; k++) {
          ok = units[i + k].t === member.units[k] && (k === 0 || units[i + k].p === units[i + k - 1].p + 1);
        }
        if (ok) found.push({ group, i, n });
      }
    }
  }
  found.sort((a, b) => b.n - a.n || a.i - b.i);
  for (const f of found) {
    if ([...Array(f.n).keys()].some((k) => used.has(f.i + k))) continue;
    for (let k = 0; k < f.n; k++) used.add(f.i + k);
    const first = units[f.i], last = units[f.i + f.n - 1];
    concepts.push({
      label: label(first.s, last.e), at: first.p, group: f.group.index,
      alts: uniquePhrases(f.group.members.map((m) => m.phrase)),
    });
  }

  // 2. fractions and percentages read from characters or words
  for (const f of toks.filter((t) => t.k === "f")) {
    const covered = units.map((u, i) => [u, i]).filter(([u]) => u.s >= f.s && u.e <= f.e);
    if (!covered.length || covered.some(([, i]) => used.has(i))) continue;
    covered.forEach(([, i]) => used.add(i));
    const inside = toks.filter((t) => t.s >= f.s && t.e <= f.e && t.k !== "f" && t.k !== "x");
    concepts.push({
      label: label(f.s, f.e), at: f.p, group: null,
      alts: uniquePhrases([{ atoms: [f.t], offs: [0] }, phraseOf(inside)].filter(Boolean)),
    });
  }

  // 3. what is left: Han runs (split where something above took characters), words, numbers
  const stops = [];
  let i = 0;
  while (i < units.length) {
    if (used.has(i)) { i++; continue; }
    const u = units[i];
    if (u.k === "h1") {
      let j = i;
      while (j + 1 < units.length && !used.has(j + 1) && units[j + 1].k === "h1" && units[j + 1].g === u.g && units[j + 1].p === units[j].p + 1) j++;
      const chars = units.slice(i, j + 1);
      const conceptOf = (a, b) => { // chars[a..b] as one concept
        const lo = chars[a].p, hi = chars[b].p;
        const run = toks.filter((t) => (t.k === "h1" || t.k === "h2") && t.g === u.g && t.p >= lo && t.p <= hi && (t.k === "h1" || t.p < hi));
        return { label: label(chars[a].s, chars[b].e), at: lo, group: null, alts: [phraseOf(run)] };
      };
      if (!lex || !lex.words.size) {
        concepts.push(conceptOf(0, chars.length - 1));
      } else {
        const pieces = segment(chars.map((c) => c.t), lex.words, lex.maxLen);
        // stretches between function words
        let stretch = [];
        const flush = () => {
          if (!stretch.length) return;
          const whole = conceptOf(stretch[0].from, stretch[stretch.length - 1].to - 1);
          if (stretch.length === 1 || !lex.exists || lex.exists(whole.alts[0])) concepts.push(whole);
          else {
            // characters that are no word, side by side: one concept where the index holds them so (微信)
            const merged = [];
            for (const piece of stretch) {
              const prev = merged[merged.length - 1];
              if (prev && !prev.word && !piece.word) prev.to = piece.to;
              else merged.push({ ...piece });
            }
            for (const piece of merged) {
              if (piece.word) { concepts.push(conceptOf(piece.from, piece.to - 1)); continue; }
              // the longest stretches the index holds as typed, from the left; a character alone is weak
              let k = piece.from;
              while (k < piece.to) {
                let j = piece.to - 1;
                while (j > k && !lex.exists(conceptOf(k, j).alts[0])) j--;
                concepts.push({ ...conceptOf(k, j), weak: j === k });
                k = j + 1;
              }
            }
          }
          stretch = [];
        };
        for (const piece of pieces) {
          const text = chars.slice(piece.from, piece.to).map((c) => c.t).join("");
          if (fn.has(text)) { flush(); stops.push(conceptOf(piece.from, piece.to - 1)); } else stretch.push(piece);
        }
        flush();
      }
      i = j + 1;
      continue;
    }
    const concept = { label: label(u.s, u.e), at: u.p, group: null, alts: [{ atoms: [u.t], offs: [0] }] };
    (fn.has(u.t) ? stops : concepts).push(concept);
    i++;
  }
  if (!concepts.length) concepts.push(...stops);
  concepts.sort((a, b) => a.at - b.at);
  // the same concept typed twice counts once
  const seen = new Set();
  return concepts.filter((c) => {
    const key = JSON.stringify(c.alts);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function uniquePhrases(phrases) {
  const seen = new Set();
  return phrases.filter((p) => {
    const key = p.atoms.join(" ") + "|" + p.offs.join(",");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
