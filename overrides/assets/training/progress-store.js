/* Training progress in localStorage, read through a validator; the one place that reads and writes it.

   Whatever is stored under "handbook.training" may have been written by an older version, edited by
   hand or corrupted: read() keeps only what fits the shape below, drops the rest (and says so once, in
   the console, writing the cleaned progress back), and never throws. The shape (shared by the Chinese
   and English sites, same origin):
     {"v": 1,
      "read":    {sectionId: "YYYY-MM-DD"},
      "quizzes": {quizId: {"attempts": n, "best"|"last"|"passed": {right, total, pct, date} | null}},
      "wrong":   {questionId: "YYYY-MM-DD"},            answered wrong and not right since
      "rounds":  {quizId: {"order": [questionId], "answers": {questionId: {"given", "ok"}}, "done", "started",
                           "shuffle": {questionId: [choiceId]}}},
      "recent":  [questionId],                          asked in the last quiz rounds, newest last
      "profile": {"name", "department", "post", "start"} for the printed record
     }
   quizId is "part:<part id>" or "exam". When localStorage cannot be used (or is the page's in-memory
   stand-in, see overrides/partials/javascripts/base.html), progress lasts in memory until the page closes
   and storageOk() says so. */

export const KEY = "handbook.training";
export const VERSION = 1;
const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_ITEMS = 5000;
export const PROFILE_FIELDS = ["name", "department", "post", "start"];
let warned = false;

export function empty() {
  return { v: VERSION, read: {}, quizzes: {}, wrong: {}, rounds: {}, recent: [], profile: { name: "", department: "", post: "", start: "" } };
}
function isObj(x) { return !!x && typeof x === "object" && !Array.isArray(x); }
function isDate(x) { return typeof x === "string" && DATE.test(x); }
function isCount(x, max) { return typeof x === "number" && Math.floor(x) === x && x >= 0 && x <= max; }
function isId(x) { return typeof x === "string" && ID.test(x); }

/* Copy the entries of `from` whose key is an id and whose value `fit` returns (not undefined) for. */
function entries(from, fit, counter) {
  const out = {};
  if (from === undefined) return out;
  if (!isObj(from)) { counter.n++; return out; }
  Object.keys(from).forEach((k, i) => {
    const v = i < MAX_ITEMS && ID.test(k) ? fit(from[k]) : undefined;
    if (v === undefined) counter.n++;
    else out[k] = v;
  });
  return out;
}

function result(r) {
  if (!isObj(r) || !isCount(r.total, 10000) || r.total < 1 || !isCount(r.right, r.total)) return undefined;
  if (typeof r.pct !== "number" || !(r.pct >= 0 && r.pct <= 100) || !isDate(r.date)) return undefined;
  return { right: r.right, total: r.total, pct: r.pct, date: r.date };
}

function quiz(counter) {
  return (q) => {
    if (!isObj(q)) return undefined;
    const out = { attempts: isCount(q.attempts, 1e6) ? q.attempts : 0 };
    if (q.attempts !== undefined && out.attempts !== q.attempts) counter.n++;
    ["best", "last", "passed"].forEach((k) => {
      if (q[k] === undefined || q[k] === null) { if (k === "passed") out.passed = null; return; }
      const r = result(q[k]);
      if (r) out[k] = r;
      else { counter.n++; if (k === "passed") out.passed = null; }
    });
    return out;
  };
}

function given(g) {
  if (typeof g === "string") return g.length <= 200;
  if (typeof g === "number") return isFinite(g);
  return Array.isArray(g) && g.length <= 50 && g.every((x) => typeof x === "string" && x.length <= 200);
}

function round(counter) {
  return (r) => {
    if (!isObj(r) || !Array.isArray(r.order) || r.order.length > 1000 || !r.order.every(isId)) return undefined;
    const answers = entries(r.answers, (a) => (isObj(a) && given(a.given) && typeof a.ok === "boolean" ? { given: a.given, ok: a.ok } : undefined), counter);
    const shuffle = entries(r.shuffle, (c) => (Array.isArray(c) && c.length <= 26 && c.every((x) => typeof x === "string" && /^[a-z]$/.test(x)) ? c.slice() : undefined), counter);
    const out = { order: r.order.slice(), answers, done: r.done === true, shuffle };
    if (isDate(r.started)) out.started = r.started;
    return out;
  };
}

function text(x, counter) {
  if (x === undefined) return "";
  if (typeof x !== "string") { counter.n++; return ""; }
  return x.slice(0, 200);
}

/* {state, dropped}: the stored value reduced to what fits; dropped counts what did not. */
export function sanitize(s) {
  const counter = { n: 0 };
  if (!isObj(s) || s.v !== VERSION) return { state: empty(), dropped: s === null || s === undefined ? 0 : 1 };
  const profile = isObj(s.profile) ? s.profile : {};
  const state = {
    v: VERSION,
    read: entries(s.read, (d) => (isDate(d) ? d : undefined), counter),
    quizzes: entries(s.quizzes, quiz(counter), counter),
    wrong: entries(s.wrong, (d) => (isDate(d) ? d : undefined), counter),
    rounds: entries(s.rounds, round(counter), counter),
    recent: Array.isArray(s.recent) ? s.recent.filter(isId).slice(-MAX_ITEMS) : [],
    profile: {}
  };
  if (s.recent !== undefined && (!Array.isArray(s.recent) || state.recent.length !== s.recent.length)) counter.n++;
  PROFILE_FIELDS.forEach((k) => { state.profile[k] = text(profile[k], counter); });
  if (s.name !== undefined && !state.profile.name) state.profile.name = text(s.name, counter); // written before the profile
  return { state, dropped: counter.n };
}

function storage() {
  try {
    const ls = window.localStorage;
    return ls && !ls.hbInMemory ? ls : null;
  } catch (e) { return null; }
}

export function write(state) {
  const ls = storage();
  if (!ls) return false;
  try { ls.setItem(KEY, JSON.stringify(state)); return true; } catch (e) { return false; }
}

/* {state, ok}: ok is false when localStorage cannot be used (the state is then empty). */
export function read() {
  const ls = storage();
  let raw = null;
  if (!ls) return { state: empty(), ok: false };
  try { raw = ls.getItem(KEY); } catch (e) { return { state: empty(), ok: false }; }
  if (raw === null) return { state: empty(), ok: true };
  let parsed;
  try { parsed = JSON.parse(raw); } catch (e) { parsed = undefined; }
  const got = sanitize(parsed);
  const dropped = parsed === undefined ? 1 : got.dropped;
  if (dropped) {
    if (!warned) {
      warned = true;
      console.warn("handbook.training: " + dropped + " stored progress item(s) did not fit and were dropped / 已丢弃 " + dropped + " 项无法识别的学习进度记录");
    }
    write(got.state);
  }
  return { state: got.state, ok: true };
}

/* ---- the progress as the pages use it: in localStorage, else in memory for as long as the page lives */
let memory = null;
let usable = true;

export function load() {
  if (usable) {
    const got = read();
    if (got.ok) return got.state;
    usable = false;
  }
  return memory ? sanitize(JSON.parse(JSON.stringify(memory))).state : empty();
}

export function save(s) {
  if (usable && write(s)) return;
  usable = false;
  memory = JSON.parse(JSON.stringify(s));
}

/* Change the progress: fn(state) edits it in place; returns fn's result (or the state). */
export function update(fn) {
  const s = load();
  const out = fn(s);
  save(s);
  return out === undefined ? s : out;
}

export function storageOk() { return usable; }
