// Run the site's own search code (overrides/assets/search/, the very files the browser worker imports)
// under node on an index file, for the golden set, the property tests and the benchmark.
//
//   node bench/search_node.mjs < request.json > answer.json
//   request: { "index": "path/to/clauses.json", "queries": ["公杂费", ...], "k": 10, "repeat": 1,
//              "limit": results kept (default: as many as the worker sends),
//              "watch": true to record which keys of the index the search code reads }
//   answer:  { "build_ms": n, "results": [{ "q", "ids": [clause ids, best first], "all": bool,
//              "ms": [per repeat], "items": [{ "title", "page", "text", "location" }] (first k) }],
//              "read": { record kind: [keys read] } (with "watch"; the kinds of overrides/assets/search/schema.js) }
import { readFileSync } from "node:fs";
import { SearchIndex } from "../overrides/assets/search/engine.js";
import { toMaterial } from "../overrides/assets/search/results.js";
import { LISTS } from "../overrides/assets/search/schema.js";

const request = JSON.parse(readFileSync(0, "utf8"));
const read = {}; // record kind -> Set of the keys the search code read
/** The record, recording each key read of it under its kind (watch: the index's schema as the code uses it). */
const watched = (record, kind) => new Proxy(record, {
  get(target, key, receiver) {
    if (typeof key === "string") (read[kind] ||= new Set()).add(key);
    return Reflect.get(target, key, receiver);
  },
});
const raw = JSON.parse(readFileSync(request.index, "utf8"));
const data = !request.watch ? raw : watched(Object.fromEntries(Object.entries(raw).map(([key, value]) =>
  [key, LISTS[key] && Array.isArray(value) ? value.map((item) => watched(item, LISTS[key])) : value])), "index");
let t0 = performance.now();
const index = new SearchIndex(data);
// the worker fetches the sounds table (search/sounds.<hash>.json) only when a query needs it: the same here
const loadSounds = () => {
  const table = JSON.parse(readFileSync(new URL(data.sounds_file, `file://${request.index}`), "utf8"));
  index.setSounds((request.watch ? watched(table, "sounds") : table).sounds);
};
index.lang = data.lang;
index.pages = data.pages;
const buildMs = performance.now() - t0;
const k = request.k || 10;
const results = request.queries.map((q) => {
  const ms = [];
  let answer, rendered;
  for (let r = 0; r < (request.repeat || 1); r++) {
    t0 = performance.now();
    if (data.sounds_file && index.needsSounds(q)) loadSounds();
    answer = index.search(q, request.limit || undefined); // default: what the worker sends
    rendered = toMaterial(index, answer); // what the worker posts back: part of a query's cost
    ms.push(performance.now() - t0);
  }
  return {
    q,
    searched: answer.searched,
    ids: answer.hits.map((h) => data.docs[h.d].id),
    full: answer.hits.filter((h) => h.full).map((h) => data.docs[h.d].id), // contain every concept
    all: answer.hits.length > 0 && answer.hits[0].full,
    ms,
    items: rendered.items.filter((g) => g.length === 2).slice(0, k).map(([clause, page]) => ({
      page: page.title, title: clause.title, text: clause.text, location: clause.location, terms: clause.terms,
    })),
  };
});
const stopWords = (raw.fn || []).filter((w) => /^[a-z]/i.test(w));
const keysRead = Object.fromEntries(Object.entries(read).map(([kind, keys]) => [kind, [...keys].sort()]));
process.stdout.write(JSON.stringify({ build_ms: buildMs, results, stop_words: stopWords, read: keysRead }));
