// Run the site's own search code (overrides/assets/search/, the very files the browser worker imports)
// under node on an index file, for the golden set, the property tests and the benchmark.
//
//   node bench/search_node.mjs < request.json > answer.json
//   request: { "index": "path/to/clauses.json", "queries": ["公杂费", ...], "k": 10, "repeat": 1,
//              "limit": results kept (default: as many as the worker sends) }
//   answer:  { "build_ms": n, "results": [{ "q", "ids": [clause ids, best first], "all": bool,
//              "ms": [per repeat], "items": [{ "title", "page", "text", "location" }] (first k) }] }
import { readFileSync } from "node:fs";
import { SearchIndex } from "../overrides/assets/search/engine.js";
import { toMaterial } from "../overrides/assets/search/results.js";

const request = JSON.parse(readFileSync(0, "utf8"));
const data = JSON.parse(readFileSync(request.index, "utf8"));
let t0 = performance.now();
const index = new SearchIndex(data);
// the worker fetches the sounds table (search/sounds.<hash>.json) only when a query needs it: the same here
const loadSounds = () => index.setSounds(JSON.parse(readFileSync(new URL(data.sounds_file, `file://${request.index}`), "utf8")).sounds);
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
process.stdout.write(JSON.stringify({ build_ms: buildMs, results, stop_words: (data.fn || []).filter((w) => /^[a-z]/i.test(w)) }));
