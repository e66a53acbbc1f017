// The handbook's search worker, started by Material's search box in place of its own (see the config
// block in overrides/main.html). It speaks Material's worker protocol and owns the matching; the messages,
// Material's and the handbook's own (PREPARE, AS_TYPED), are declared in protocol.js.
// The index (search/clauses.<hash>.json, cached for good; its keys are declared in schema.js) is fetched
// only when needed: on PREPARE, or with the first query that is not empty, whichever comes first; never
// because a page loaded or went idle. A query that comes before the index is answered as soon as the index
// is built.
// A classic worker (Material starts it with new Worker(url)); the search code is ES modules, imported.
"use strict";

const protocol = import("./protocol.js");
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
  const { MSG, ready, result, typeOf } = await protocol; // in the order the messages came
  const message = event.data || {};
  const type = typeOf(message);
  if (type === MSG.SETUP) {
    const config = (message.data && message.data.config) || {};
    indexUrl = new URL(`../../${config.handbook_index || "search/search_index.json"}`, self.location.href).href;
    self.postMessage(ready());
    if (wanted) load();
  } else if (type === MSG.PREPARE) {
    wanted = true;
    load();
  } else if (type === MSG.QUERY || type === MSG.AS_TYPED) {
    if (type === MSG.AS_TYPED) asTyped.add(String(message.data || ""));
    const query = type === MSG.QUERY ? String(message.data || "") : last;
    let data;
    try {
      data = await answer(query);
    } catch (error) {
      console.error(error);
      data = { items: [] };
    }
    // a query overtaken by a later one while it waited (for the sounds table) is not shown over it
    if (query === last) self.postMessage(result(data));
  }
});
