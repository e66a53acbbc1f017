// Cut a text into search terms. The ONE tokenizer of the handbook's search: the worker runs it over every
// clause when it builds the index and over every query, so a query and the index always agree on what a
// term is (tests/js/ and the golden set run this very file under node).
//
// A term is one of:
//   Han       every character as a unigram ("费") and every adjacent pair as a bigram ("杂费");
//             a query of two or more characters is matched as a chain of its bigrams.
//   word      a Latin word, lower-cased, accent-folded (Garzê -> garze) and Porter-stemmed.
//   number    "390", "1000" (from 1,000), "1.5", fractions "2/3" (also from 三分之二 and "two thirds"),
//             percentages "80%" (also from 百分之八十 and "80 per cent"), Chinese numerals (十五 -> 15).
// Each token carries its position (one per Han character, word or number) and its span in the
// original text (UTF-16 offsets), so that matches can be marked in titles and snippets.

import { stem } from "./stem.js";

const CN_DIGIT = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_UNIT = { 十: 10, 百: 100, 千: 1000, 万: 10000 };
const CN_NUM = "[零〇一二两三四五六七八九十百千万]";
const EN_NUM = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
};
const EN_DENOM = { half: 2, halves: 2, third: 3, thirds: 3, quarter: 4, quarters: 4, fourth: 4, fourths: 4, fifth: 5, fifths: 5 };

/** 十五 -> 15, 二十 -> 20, 一百五十 -> 150, 三 -> 3; null when the characters are not a numeral. */
export function cnNumber(text) {
  if (!text) return null;
  let total = 0, section = 0, digit = null;
  for (const ch of text) {
    if (ch in CN_DIGIT) {
      if (digit !== null) return null; // 一二 is not a numeral
      digit = CN_DIGIT[ch];
    } else if (ch === "万") {
      total = (total + section + (digit ?? 0)) * 10000;
      section = 0;
      digit = null;
    } else if (ch in CN_UNIT) {
      section += (digit ?? 1) * CN_UNIT[ch];
      digit = null;
    } else return null;
  }
  return total + section + (digit ?? 0);
}

const HAN = /\p{Script=Han}/u;

/**
 * Fold a text for matching, one code point at a time so that every folded character still points at
 * its original: full width to half width (NFKC), accents dropped (NFD without marks), lower case.
 * Returns the folded string and, for each of its UTF-16 units, the offset of its original character
 * (origin null: the same offsets).
 */
// Text made only of these folds by lower-casing alone, character for character (most of the handbook).
const PLAIN = /^[\x00-\x7f\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]*$/;

export function fold(text) {
  if (PLAIN.test(text)) return { text: text.toLowerCase(), origin: null }; // offsets unchanged
  let out = "";
  const origin = [];
  let i = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0);
    let f;
    if (c < 0x80) f = ch.toLowerCase();
    else if (c >= 0x4e00 && c <= 0x9fff) f = ch; // CJK unified ideographs fold to themselves
    else if (ch === "\u200b" || ch === "\u00ad") f = " ";
    else f = ch.normalize("NFKC").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    for (let k = 0; k < f.length; k++) origin.push(i);
    out += f;
    i += ch.length;
  }
  origin.push(i);
  return { text: out, origin };
}

// Inside a Han run: 百分之八十 (80%), 三分之二 (2/3), other numerals (十五 -> 15).
const NUMERAL = new RegExp(
  `百分之(?<pct>${CN_NUM}+)|(?<den>${CN_NUM}+)分之(?<num>${CN_NUM}+)|${CN_NUM}+`,
  "gu",
);

// One scanner for everything else; the alternatives are tried in order at each position.
const SCAN = new RegExp(
  [
    `(?<frac>(?<fnum>\\d+)\\s*/\\s*(?<fden>\\d+))`,
    `(?<num>\\d+(?:,\\d{3})*(?:\\.\\d+)?)(?<pct>\\s*(?:%|per\\s*cent\\b|percent\\b))?`,
    `(?<enfrac>\\b(?<enfnum>one|two|three|four|five|a)[\\s-]+(?<enfden>halves|half|thirds?|quarters?|fourths?|fifths?)\\b)`,
    `(?<han>\\p{Script=Han}+)`,
    `(?<word>[a-z]+(?:'[a-z]+)?)`,
  ].join("|"),
  "gu",
);

/**
 * Tokens of a text: [{t: term, p: position, s: start, e: end}] with s/e offsets into the ORIGINAL text.
 * Both the index and the query use this function.
 */
export function tokenize(text) {
  const { text: folded, origin } = fold(text || "");
  const out = [];
  let pos = 0;
  const span = origin ? (a, b) => [origin[a], origin[b]] : (a, b) => [a, b];
  // k: "h1" Han character, "h2" Han pair, "w" word, "n" number, "f" a fraction or percentage read
  // from characters or words (三分之二, two thirds), "x" a number read from Han numerals (十五); f and x
  // are second readings of characters that stay searchable as they are. g: the Han run a token is in.
  const push = (t, p, a, b, k, g = -1) => {
    const [s, e] = span(a, b);
    out.push({ t, p, s, e, k, g });
  };
  let run = 0; // Han run counter
  const hanRun = (chunk, at) => {
    // unigrams and bigrams; Chinese numerals inside the run also give a number token
    const chars = [...chunk];
    let off = at;
    const offs = chars.map((c) => { const o = off; off += c.length; return o; });
    run++;
    for (let k = 0; k < chars.length; k++) {
      push(chars[k], pos + k, offs[k], offs[k] + chars[k].length, "h1", run);
      if (k + 1 < chars.length) push(chars[k] + chars[k + 1], pos + k, offs[k], offs[k + 1] + chars[k + 1].length, "h2", run);
    }
    let m;
    NUMERAL.lastIndex = 0;
    while ((m = NUMERAL.exec(chunk))) {
      const k = [...chunk.slice(0, m.index)].length;
      const [a, b] = [at + m.index, at + m.index + m[0].length];
      const g = m.groups;
      if (g.pct) {
        const n = cnNumber(g.pct);
        if (n !== null) push(`${n}%`, pos + k, a, b, "f", run);
      } else if (g.den) {
        const den = cnNumber(g.den), num = cnNumber(g.num);
        if (den !== null && num !== null) push(`${num}/${den}`, pos + k, a, b, "f", run);
      } else {
        const n = cnNumber(m[0]);
        if (n !== null) push(String(n), pos + k, a, b, "x", run);
      }
    }
    pos += chars.length;
  };
  const word = (raw, a, b) => {
    const w = raw.replace(/'s$/, "").replace(/'/g, "");
    push(w.length > 2 ? stem(w) : w, pos++, a, b, "w", -1);
  };
  let m;
  SCAN.lastIndex = 0;
  while ((m = SCAN.exec(folded))) {
    const g = m.groups;
    const a = m.index, b = m.index + m[0].length;
    if (g.frac) {
      push(`${+g.fnum}/${+g.fden}`, pos++, a, b, "n");
    } else if (g.num) {
      const n = g.num.replace(/,/g, "").replace(/^0+(?=\d)/, "").replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
      push(g.pct ? `${n}%` : n, pos++, a, b, "n");
    } else if (g.enfrac) {
      const num = g.enfnum === "a" ? 1 : EN_NUM[g.enfnum];
      push(`${num}/${EN_DENOM[g.enfden]}`, pos, a, b, "f");
      // the words stay searchable as they are
      for (const w of m[0].matchAll(/[a-z]+/g)) word(w[0], a + w.index, a + w.index + w[0].length);
    } else if (g.han) {
      hanRun(g.han, a);
    } else if (g.word) {
      word(g.word, a, b);
    }
  }
  return out;
}

export const isHan = (term) => HAN.test(term);
