// The handbook's service worker: the site keeps working offline after one visit.
// Written to the site root as sw.js by handbook/runtime/offline.py, which puts the build's version in it
// and, in place of the comment below, the messages' declaration (messages.js, which register.js imports);
// the file list is offline-manifest.json (same version), made by the same step.
//
// * install: caches the "shell" (pages of both languages, assets, search indexes), reusing from
//   the previous version's caches every file whose hash is unchanged; a new version then waits
//   until the page asks it to take over (the page says a newer version is available).
// * the "runtime" (Pyodide, the calculators bundle, the snapshot) is cached only when a page that
//   has started the calculators' engine asks for it (OFFLINE_MESSAGES.cacheRuntime), or as the worker
//   fetches it through here; never on a plain page.
// * fetch: files of this version are answered from the cache, the rest from the network.
// * activate: the previous versions' caches are deleted; open pages are taken over.

/* offline-messages */

const VERSION = "__HANDBOOK_OFFLINE_VERSION__";
const PREFIX = "handbook-";
const SHELL = `${PREFIX}${VERSION}-shell`;
const RUNTIME = `${PREFIX}${VERSION}-runtime`;
const ROOT = new URL("./", self.location.href);
const MANIFEST_URL = new URL("offline-manifest.json", ROOT).href;
const HASH_HEADER = "X-Handbook-Hash";
const PARALLEL = 4;

let manifestP = null;

function manifest() {
  if (!manifestP) {
    manifestP = (async () => {
      const cache = await caches.open(SHELL);
      let resp = await cache.match(MANIFEST_URL);
      if (!resp) {
        resp = await fetch(MANIFEST_URL, { cache: "no-store" });
        if (!resp.ok) throw new Error(`offline manifest: HTTP ${resp.status}`);
        const m = await resp.clone().json();
        if (m.version !== VERSION) throw new Error(`offline manifest is ${m.version}, this worker is ${VERSION}`);
        await cache.put(MANIFEST_URL, resp);
        return m;
      }
      return resp.json();
    })();
    manifestP.catch(() => { manifestP = null; });
  }
  return manifestP;
}

const abs = (rel) => new URL(rel, ROOT).href;

/** The cache key of a request: no query or fragment; ".../index.html" is its folder. */
function keyOf(url) {
  const u = new URL(url);
  u.search = "";
  u.hash = "";
  if (u.pathname.endsWith("/index.html")) u.pathname = u.pathname.slice(0, -"index.html".length);
  return u.href;
}

async function sha16(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A response for the cache, marked with its content hash; fails if the bytes are not the build's. */
async function checked(resp, hash, url) {
  if (!resp.ok) throw new Error(`HTTP ${resp.status} for ${url}`);
  const body = await resp.arrayBuffer();
  const got = await sha16(body);
  if (got !== hash) throw new Error(`${url} changed on the server (a newer build?)`);
  const headers = new Headers(resp.headers);
  headers.set(HASH_HEADER, hash);
  headers.delete("Content-Encoding"); // the body is stored decoded
  headers.delete("Content-Length");
  return new Response(body, { status: resp.status, statusText: resp.statusText, headers });
}

/** Earlier versions' copies by URL and hash, to reuse what did not change. */
async function previousCopies(group) {
  const names = (await caches.keys()).filter((n) => n.startsWith(PREFIX) && n.endsWith(`-${group}`) && !n.includes(VERSION));
  return Promise.all(names.map((n) => caches.open(n)));
}

async function fill(cacheName, files, group) {
  const cache = await caches.open(cacheName);
  const olds = await previousCopies(group);
  const todo = Object.entries(files);
  let next = 0;
  async function one() {
    while (next < todo.length) {
      const [rel, hash] = todo[next++];
      const url = abs(rel);
      const have = await cache.match(url);
      if (have && have.headers.get(HASH_HEADER) === hash) continue;
      let copy = null;
      for (const old of olds) {
        const r = await old.match(url);
        if (r && r.headers.get(HASH_HEADER) === hash) { copy = r; break; }
      }
      if (!copy) copy = await checked(await fetch(url, { cache: "no-cache", credentials: "same-origin" }), hash, url);
      await cache.put(url, copy);
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, one));
}

async function tell(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) client.postMessage(message);
}

/** Storage full: the browser refused to store more for this site (Cache API, QuotaExceededError). */
const isQuota = (err) => !!err && (err.name === "QuotaExceededError" || /quota/i.test(String(err.message || "")));

/** A group could not be cached: its partial copy is deleted (it would claim files it cannot serve and
 * hold space), and the pages are told why, so that they say so (register.js) rather than leave the
 * reader believing the site works offline. */
async function failed(group, cacheName, err) {
  if (isQuota(err)) await caches.delete(cacheName).catch(() => {});
  await tell({
    type: OFFLINE_MESSAGES.failed, group, version: VERSION,
    reason: isQuota(err) ? "quota" : "error",
    detail: `${(err && err.name) || "Error"}: ${(err && err.message) || err}`,
  });
}

async function cacheRuntime() {
  const m = await manifest();
  try {
    await fill(RUNTIME, m.runtime, "runtime");
  } catch (err) {
    await failed("runtime", RUNTIME, err);
    throw err;
  }
  await tell({ type: OFFLINE_MESSAGES.cached, group: "runtime", version: VERSION });
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const m = await manifest();
    try {
      await fill(SHELL, m.shell, "shell");
    } catch (err) {
      await failed("shell", SHELL, err);
      throw err; // this version is not installed
    }
    // Who had the calculators offline keeps them offline across an update.
    if ((await previousCopies("runtime")).length) {
      try {
        await fill(RUNTIME, m.runtime, "runtime");
      } catch (err) {
        await failed("runtime", RUNTIME, err);
        if (isQuota(err)) return; // the handbook is offline; the calculators are not, and the pages say so
        throw err;
      }
    }
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== SHELL && name !== RUNTIME) await caches.delete(name);
    }
    await self.clients.claim();
    await tell({ type: OFFLINE_MESSAGES.cached, group: "shell", version: VERSION });
  })());
});

self.addEventListener("message", (event) => {
  const msg = event.data || {};
  if (msg.type === OFFLINE_MESSAGES.skipWaiting) self.skipWaiting();
  else if (msg.type === OFFLINE_MESSAGES.cacheRuntime) event.waitUntil(cacheRuntime().catch(() => {}));
  else if (msg.type === OFFLINE_MESSAGES.status) {
    event.waitUntil((async () => {
      const m = await manifest().catch(() => null);
      const count = async (name) => ((await caches.has(name)) ? (await (await caches.open(name)).keys()).length : 0);
      event.source.postMessage({
        type: OFFLINE_MESSAGES.statusReply,
        version: VERSION,
        shell: m ? (await count(SHELL)) >= Object.keys(m.shell).length : false,
        runtime: m ? (await count(RUNTIME)) >= Object.keys(m.runtime).length : false,
      });
    })());
  }
});

async function fromCache(key) {
  for (const name of [SHELL, RUNTIME]) {
    const hit = await caches.match(key, { cacheName: name }); // opens no cache that is not there
    if (hit) return hit;
  }
  return null;
}

async function respond(event, key) {
  const hit = await fromCache(key) || (!/\.[a-z0-9]+$/i.test(new URL(key).pathname) && await fromCache(key.replace(/\/?$/, "/")));
  if (hit) return hit;
  try {
    const resp = await fetch(event.request);
    // The calculators' worker fetching the runtime through here: keep a copy on the way.
    const m = await manifest().catch(() => null);
    const rel = key.startsWith(ROOT.href) ? key.slice(ROOT.href.length) : null;
    if (m && rel && m.runtime[rel] && resp.ok && resp.status === 200) {
      const copy = resp.clone();
      event.waitUntil(checked(copy, m.runtime[rel], key)
        .then(async (r) => (await caches.open(RUNTIME)).put(key, r))
        .catch((err) => (isQuota(err) ? failed("runtime", RUNTIME, err) : null)));
    }
    return resp;
  } catch (err) {
    if (event.request.mode === "navigate") {
      // the 404 page of the language the address is in (the manifest lists the languages' roots, longest first)
      const m = await manifest().catch(() => null);
      const lang = ((m && m.languages) || []).find((prefix) => key.startsWith(abs(prefix))) || "";
      const missing = await fromCache(abs(`${lang}404.html`));
      if (missing) return new Response(missing.body, { status: 404, headers: missing.headers });
    }
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || !req.url.startsWith(ROOT.href)) return;
  if (req.headers.has("range")) return;
  const key = keyOf(req.url);
  if (key === MANIFEST_URL || key === abs("sw.js")) return;
  event.respondWith(respond(event, key));
});
