/* Training progress in localStorage, read through a validator (used by training.js).

   Whatever is stored under "handbook.training" may have been written by an older version, edited by
   hand or corrupted: read() keeps only what fits the shape below, drops the rest (and says so once, in
   the console, writing the cleaned progress back), and never throws. The shape:
     {"v": 1,
      "read":    {sectionId: "YYYY-MM-DD"},
      "quizzes": {quizId: {"attempts": n, "best"|"last"|"passed": {right, total, pct, date} | null}},
      "wrong":   {questionId: "YYYY-MM-DD"},
      "rounds":  {quizId: {"order": [questionId], "answers": {questionId: {"given", "ok"}}, "done", "started"}},
      "name":    "the reader's name"}
   When localStorage cannot be used (or is the page's in-memory stand-in, see
   overrides/partials/javascripts/base.html), read() and write() report it with ok: false. */
(function () {
  "use strict";
  if (window.HandbookProgressStore) return;

  var KEY = "handbook.training";
  var VERSION = 1;
  var ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;
  var DATE = /^\d{4}-\d{2}-\d{2}$/;
  var MAX_ITEMS = 5000;
  var warned = false;

  function empty() { return { v: VERSION, read: {}, quizzes: {}, wrong: {}, rounds: {}, name: "" }; }
  function isObj(x) { return !!x && typeof x === "object" && !Array.isArray(x); }
  function isDate(x) { return typeof x === "string" && DATE.test(x); }
  function isCount(x, max) { return typeof x === "number" && Math.floor(x) === x && x >= 0 && x <= max; }

  /* Copy the entries of `from` whose key is an id and whose value `fit` returns (not undefined) for. */
  function entries(from, fit, counter) {
    var out = {};
    if (from === undefined) return out;
    if (!isObj(from)) { counter.n++; return out; }
    Object.keys(from).forEach(function (k, i) {
      var v = i < MAX_ITEMS && ID.test(k) ? fit(from[k]) : undefined;
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
    return function (q) {
      if (!isObj(q)) return undefined;
      var out = { attempts: isCount(q.attempts, 1e6) ? q.attempts : 0 };
      if (q.attempts !== undefined && out.attempts !== q.attempts) counter.n++;
      ["best", "last", "passed"].forEach(function (k) {
        if (q[k] === undefined || q[k] === null) { if (k === "passed") out.passed = null; return; }
        var r = result(q[k]);
        if (r) out[k] = r;
        else { counter.n++; if (k === "passed") out.passed = null; }
      });
      return out;
    };
  }

  function given(g) {
    if (typeof g === "string") return g.length <= 200;
    if (typeof g === "number") return isFinite(g);
    return Array.isArray(g) && g.length <= 50 && g.every(function (x) { return typeof x === "string" && x.length <= 200; });
  }

  function round(counter) {
    return function (r) {
      if (!isObj(r) || !Array.isArray(r.order) || r.order.length > 1000) return undefined;
      if (!r.order.every(function (id) { return typeof id === "string" && ID.test(id); })) return undefined;
      var answers = entries(r.answers, function (a) {
        return isObj(a) && given(a.given) && typeof a.ok === "boolean" ? { given: a.given, ok: a.ok } : undefined;
      }, counter);
      var out = { order: r.order.slice(), answers: answers, done: r.done === true };
      if (isDate(r.started)) out.started = r.started;
      return out;
    };
  }

  /* {state, dropped}: the stored value reduced to what fits; dropped counts what did not. */
  function sanitize(s) {
    var counter = { n: 0 };
    if (!isObj(s) || s.v !== VERSION) return { state: empty(), dropped: s === null || s === undefined ? 0 : 1 };
    var state = {
      v: VERSION,
      read: entries(s.read, function (d) { return isDate(d) ? d : undefined; }, counter),
      quizzes: entries(s.quizzes, quiz(counter), counter),
      wrong: entries(s.wrong, function (d) { return isDate(d) ? d : undefined; }, counter),
      rounds: entries(s.rounds, round(counter), counter),
      name: typeof s.name === "string" ? s.name.slice(0, 200) : ""
    };
    if (s.name !== undefined && state.name !== s.name) counter.n++;
    return { state: state, dropped: counter.n };
  }

  function storage() {
    try {
      var ls = window.localStorage;
      return ls && !ls.hbInMemory ? ls : null;
    } catch (e) { return null; }
  }

  function write(state) {
    var ls = storage();
    if (!ls) return false;
    try { ls.setItem(KEY, JSON.stringify(state)); return true; } catch (e) { return false; }
  }

  /* {state, ok}: ok is false when localStorage cannot be used (the state is then empty). */
  function read() {
    var ls = storage(), raw = null;
    if (!ls) return { state: empty(), ok: false };
    try { raw = ls.getItem(KEY); } catch (e) { return { state: empty(), ok: false }; }
    if (raw === null) return { state: empty(), ok: true };
    var parsed = null, dropped;
    try { parsed = JSON.parse(raw); } catch (e) { parsed = undefined; }
    var got = sanitize(parsed);
    dropped = parsed === undefined ? 1 : got.dropped;
    if (dropped) {
      if (!warned) {
        warned = true;
        if (window.console) console.warn("handbook.training: " + dropped + " stored progress item(s) did not fit and were dropped / 已丢弃 " + dropped + " 项无法识别的学习进度记录");
      }
      write(got.state);
    }
    return { state: got.state, ok: true };
  }

  window.HandbookProgressStore = { KEY: KEY, VERSION: VERSION, empty: empty, sanitize: sanitize, read: read, write: write };
  window.dispatchEvent(new Event("handbook:progress-store")); // training.js may have run first: it waits for this
})();
