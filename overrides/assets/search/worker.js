// The handbook's search worker, started by Material's search box in place of its own (see the config
// block in overrides/main.html). It speaks Material's worker protocol and owns the matching:
//   SETUP (0) {config, docs, options}  -> READY (1) at once; config.handbook_index names our index file
//   QUERY (2) "text"                   -> RESULT (3) {items: [[page, clause], ...]}
// and one message of the handbook's own, which Material never sends and which gets no answer:
//   PREPARE "handbook:prepare"         the reader went to the search box (box.js): fetch and build now
//   AS_TYPED {type, data: "text"}      search this query as typed (no slip correction); the last query is
//                                      answered again (RESULT), so that Material shows it at once
// RESULT's data also carries { handbook: { typed, searched, changes } }: box.js says "showing results for".
// The index (search/clauses.<hash>.json, cached for good) is fetched only when needed: on PREPARE, or
// with the first query that is not empty, whichever comes first; never because a page loaded or went
// idle. A query that comes before the index is answered as soon as the index is built.
// A classic worker (Material starts it with new Worker(url)); the search code is ES modules.
"use strict";

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
const PREPARE = "handbook:prepare", AS_TYPED = "handbook:as-typed";
let indexUrl = null;
let wanted = false; // PREPARE came before SETUP: load as soon as the index is named
let code = null;
let loading = null;

function load() {
  if (!loading && indexUrl) {
    code = code || Promise.all([import("./engine.js"), import("./results.js")]);
    loading = (async () => {
      const [{ SearchIndex }] = await code;
      const response = await fetch(indexUrl);
      if (!response.ok) throw new Error(`search index: HTTP ${response.status}`);
      const data = await response.json();
      const index = new SearchIndex(data);
      index.lang = data.lang;
      index.pages = data.pages;
      index.soundsFile = data.sounds_file || null;
      return index;
    })();
    loading.catch(() => { loading = null; code = null; }); // try again with the next query
  }
  return loading;
}

let sounds = null;

/** The sounds table (Chinese typing slips), fetched the first time a query needs it. */
function loadSounds(index) {
  if (!sounds) {
    sounds = fetch(new URL(index.soundsFile, indexUrl).href)
      .then((r) => { if (!r.ok) throw new Error(`search sounds: HTTP ${r.status}`); return r.json(); })
      .then((d) => index.setSounds(d.sounds));
    sounds.catch(() => { sounds = null; });
  }
  return sounds;
}

const asTyped = new Set(); // queries the reader asked to search as typed (no correction)
let last = "";

async function answer(query) {
  last = query;
  if (!query.trim()) return { items: [] };
  const index = await load();
  const [, { toMaterial }] = await code;
  if (index.soundsFile && index.needsSounds(query)) await loadSounds(index).catch(() => null);
  return toMaterial(index, index.search(query, undefined, { asTyped: asTyped.has(query) }));
}

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  if (message.type === SETUP) {
    const config = (message.data && message.data.config) || {};
    indexUrl = new URL(`../../${config.handbook_index || "search/search_index.json"}`, self.location.href).href;
    self.postMessage({ type: READY });
    if (wanted) load();
  } else if (message.type === PREPARE) {
    wanted = true;
    load();
  } else if (message.type === QUERY || message.type === AS_TYPED) {
    if (message.type === AS_TYPED) asTyped.add(String(message.data || ""));
    const query = message.type === QUERY ? String(message.data || "") : last;
    let data;
    try {
      data = await answer(query);
    } catch (error) {
      console.error(error);
      data = { items: [] };
    }
    // a query overtaken by a later one while it waited (for the sounds table) is not shown over it
    if (query === last) self.postMessage({ type: RESULT, data });
  }
});
