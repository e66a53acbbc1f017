// The search worker's protocol (overrides/assets/search/worker.js), run under node with a stand-in for
// the worker's global scope and fetch: Material's messages answered as Material expects, the index
// fetched only when needed (never because of SETUP or time passing), and a query that comes before the
// index answered once it arrives.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const HERE = new URL("../../overrides/assets/search/", import.meta.url);
const { MSG } = await import(new URL("protocol.js", HERE)); // the one declaration of the messages
const { SETUP, READY, QUERY, RESULT, PREPARE } = MSG;
const SOURCE = readFileSync(new URL("worker.js", HERE), "utf8")
  // the worker imports its modules relative to itself
  .replaceAll('import("./', `import("${HERE.href}`);

// the modules once, so that the worker's own import of them is quick and "nothing happened" means it
await Promise.all(["engine.js", "results.js", "protocol.js"].map((name) => import(new URL(name, HERE))));

const DATA = {
  lang: "zh",
  pages: [{ u: "finance/travel/", c: "财务制度 › 差旅管理办法" }],
  docs: [
    { id: "finance.travel", p: 0, t: "差旅管理办法", c: "财务制度", b: "为规范差旅费管理,制定本办法。" },
    { id: "finance.travel.misc", p: 0, t: "5 公杂费", c: "财务制度 › 差旅管理办法", b: "公杂费每人每天80元。" },
  ],
  groups: [],
};

/** One worker: send(message), the messages it posted, the URLs it fetched and the timers it set;
 *  release() lets the pending fetches answer (with fail: HTTP 404). */
function start() {
  const posted = [], fetched = [], timers = [], pending = [];
  let listener = null;
  const self = {
    location: { href: "http://127.0.0.1:8000/assets/search/worker.js" },
    addEventListener: (type, fn) => { if (type === "message") listener = fn; },
    postMessage: (message) => posted.push(message),
  };
  const fetch = (url) => {
    fetched.push(String(url));
    return new Promise((resolve) => pending.push(resolve));
  };
  const setTimeout = (fn, ms) => timers.push(ms);
  const console = { error: () => {} };
  new Function("self", "fetch", "setTimeout", "setInterval", "console", SOURCE)(self, fetch, setTimeout, setTimeout, console);
  const settle = () => new Promise((r) => globalThis.setTimeout(r, 50));
  return {
    posted, fetched, timers,
    async send(type, data) { listener({ data: data === undefined ? { type } : { type, data } }); await settle(); },
    async until(check) {  // for what must happen (the first import of the modules may take a while)
      for (let i = 0; i < 100 && !check(); i++) await settle();
    },
    async release({ fail = false } = {}) {
      for (const resolve of pending.splice(0)) {
        resolve(fail ? { ok: false, status: 404 } : { ok: true, json: async () => JSON.parse(JSON.stringify(DATA)) });
      }
      await settle();
    },
  };
}

const stub = { config: { lang: ["zh"], separator: "[\\s]+", handbook_index: "search/clauses.0123456789.json" }, docs: [], options: {} };
const INDEX = "http://127.0.0.1:8000/search/clauses.0123456789.json";

test("SETUP is answered with READY and fetches nothing, now or later", async () => {
  const w = start();
  await w.send(SETUP, stub);
  assert.deepEqual(w.posted, [{ type: READY }]);
  assert.deepEqual(w.fetched, []);
  assert.deepEqual(w.timers, [], "no timer: the index is not fetched because time passed");
  await w.send(QUERY, "");  // Material sends the empty box's value once READY comes
  assert.deepEqual(w.posted.at(-1), { type: RESULT, data: { items: [] } });
  assert.deepEqual(w.fetched, [], "an empty query needs no index");
});

test("PREPARE fetches the index once; queries typed before it arrives are answered when it does", async () => {
  const w = start();
  await w.send(SETUP, stub);
  await w.send(PREPARE);
  await w.send(PREPARE);
  await w.until(() => w.fetched.length);
  assert.deepEqual(w.fetched, [INDEX]);
  assert.deepEqual(w.posted, [{ type: READY }], "PREPARE gets no answer");
  await w.send(QUERY, "公");
  await w.send(QUERY, "公杂费");
  assert.equal(w.posted.length, 1, "no answer before the index is there");
  await w.release();
  await w.until(() => w.posted.length === 2);
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(w.fetched, [INDEX]);
  // the query overtaken while it waited is not answered over the last one: the box shows the last one
  const results = w.posted.slice(1);
  assert.deepEqual(results.map((m) => m.type), [RESULT]);
  const last = results[0].data.items;
  assert.ok(last.length >= 1);
  assert.match(last[0][0].location, /finance\/travel\/#finance\.travel\.misc$/);
  assert.equal(results[0].data.handbook.typed, "公杂费");
});

test("without PREPARE the first query fetches the index", async () => {
  const w = start();
  await w.send(SETUP, stub);
  await w.send(QUERY, "公杂费");
  await w.until(() => w.fetched.length);
  assert.deepEqual(w.fetched, [INDEX]);
  await w.release();
  await w.until(() => w.posted.length > 1);
  assert.equal(w.posted.at(-1).type, RESULT);
  assert.ok(w.posted.at(-1).data.items.length >= 1);
});

test("PREPARE before SETUP (a ?q= link focuses the box at once) fetches when the index is named", async () => {
  const w = start();
  await w.send(PREPARE);
  assert.deepEqual(w.fetched, []);
  assert.deepEqual(w.posted, []);
  await w.send(SETUP, stub);
  assert.deepEqual(w.posted, [{ type: READY }]);
  await w.until(() => w.fetched.length);
  assert.deepEqual(w.fetched, [INDEX]);
});

test("a failed fetch answers with no results and the next query tries again", async () => {
  const w = start();
  await w.send(SETUP, stub);
  await w.send(PREPARE);
  await w.until(() => w.fetched.length);
  await w.release({ fail: true });
  await w.send(QUERY, "公杂费");
  await w.until(() => w.fetched.length === 2);
  assert.deepEqual(w.fetched, [INDEX, INDEX]);
  await w.release();
  await w.until(() => w.posted.length > 1);
  assert.ok(w.posted.at(-1).data.items.length >= 1);
});
