// Front-end of the calculator pages (an ES module, loaded by calc-loader.js only on pages that
// have a [data-calculator] element).
//
// * One Web Worker per tab runs the calculators package under Pyodide (calc-worker.js); it is kept
//   in a module-level singleton (also on globalThis), so Material's instant navigation reuses it.
// * The form (rendered by handbook/templates/calculator.html.j2) is bound to a plain JS object, the
//   contract input; every edit updates it, the URL fragment (#input=…) and, debounced, the result.
// * The engine's answer is rendered as text only: nothing from the input or the result is ever
//   parsed as HTML.
// * The page carries the result of its default input, computed at build time by the same Python
//   code, so the first total shows before Pyodide has started.

const BASE = new URL("./", import.meta.url);
const PYODIDE_BASE = new URL("../pyodide/", import.meta.url).href;
const GLOBAL_KEY = "__handbookCalcRuntime";
const TYPING_DELAY = 250;

// ------------------------------------------------------------------------------------ helpers

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function readJson(root, attr) {
  const el = root.querySelector(`[${attr}]`);
  if (!el) return null;
  try {
    return JSON.parse(el.getAttribute(attr));
  } catch (e) {
    return null;
  }
}

// Key order does not matter to the engine; identity checks compare this form.
function canon(v) {
  if (Array.isArray(v)) return "[" + v.map((x) => (x === undefined ? "null" : canon(x))).join(",") + "]";
  if (isObj(v)) {
    return "{" + Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => JSON.stringify(k) + ":" + canon(v[k])).join(",") + "}";
  }
  return JSON.stringify(v === undefined ? null : v);
}

const clone = (x) => (x === undefined ? undefined : JSON.parse(JSON.stringify(x)));
const isObj = (x) => x !== null && typeof x === "object" && !Array.isArray(x);

function tokens(path) {
  // "legs[0].days" -> ["legs", 0, "days"]
  const out = [];
  for (const part of path.split(".")) {
    const re = /([^[\]]+)|\[(\d+)\]/g;
    let m;
    while ((m = re.exec(part))) out.push(m[1] !== undefined ? m[1] : Number(m[2]));
  }
  return out;
}

function getPath(obj, path) {
  let cur = obj;
  for (const t of tokens(path)) {
    if (cur === null || typeof cur !== "object") return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, t)) return undefined;
    cur = cur[t];
  }
  return cur;
}

function setPath(obj, path, value) {
  const ts = tokens(path);
  let cur = obj;
  for (let i = 0; i < ts.length - 1; i++) {
    const t = ts[i];
    const nextIsIndex = typeof ts[i + 1] === "number";
    const next = cur[t];
    if (next === null || typeof next !== "object" || Array.isArray(next) !== nextIsIndex) {
      if (value === undefined) return;
      cur[t] = nextIsIndex ? [] : {};
    }
    cur = cur[t];
  }
  const last = ts[ts.length - 1];
  if (value === undefined) {
    if (Array.isArray(cur) && typeof last === "number") cur[last] = undefined;
    else delete cur[last];
  } else {
    cur[last] = value;
  }
}

function parentPaths(field) {
  // "legs[0].days" -> ["legs[0].days", "legs[0]", "legs", ""]
  const out = [];
  let p = String(field || "");
  while (p) {
    out.push(p);
    const dot = p.lastIndexOf(".");
    const br = p.lastIndexOf("[");
    const cut = Math.max(dot, br);
    p = cut > 0 ? p.slice(0, cut) : "";
  }
  out.push("");
  return out;
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseNumber(text) {
  const s = String(text).trim();
  if (s === "") return undefined;
  // Anything that is not a plain number goes to the engine as typed: its message names the field.
  return NUMBER_RE.test(s) ? Number(s) : s;
}

function display(v) {
  if (v === undefined || v === null) return "";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

function copyText(text) {
  // navigator.clipboard needs a secure context; an intranet over plain HTTP is not one.
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  return new Promise((resolve, reject) => {
    const area = h("textarea", { readonly: true, style: "position:fixed;opacity:0" });
    area.value = text;
    document.body.append(area);
    area.select();
    try {
      document.execCommand("copy") ? resolve() : reject(new Error("copy failed"));
    } catch (e) {
      reject(e);
    } finally {
      area.remove();
    }
  });
}

function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// ------------------------------------------------------------------------------------ runtime

const MESSAGES = {
  boot: ["正在准备计算引擎…", "Preparing the calculation engine…"],
  fetch: ["正在下载计算引擎(Python/Pyodide)…", "Downloading the calculation engine (Python/Pyodide)…"],
  start: ["正在启动 Python…", "Starting Python…"],
  import: ["正在载入计算规则…", "Loading the calculators…"],
  ready: ["计算引擎已就绪:修改输入后结果自动更新。", "Engine ready: the result updates as you type."],
  failed: ["计算引擎无法启动。", "The calculation engine could not start."],
};

function unsupportedReason() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    return "WebAssembly is not available in this browser";
  }
  if (typeof Worker !== "function") return "Web Workers are not available in this browser";
  return null;
}

function createRuntime(manifest) {
  const rt = {
    state: "starting", // starting | ready | failed
    stage: "boot",
    mode: null,
    error: null,
    timings: null,
    startedAt: performance.now(),
    readyAt: null,
    listeners: new Set(),
    pending: new Map(),
    seq: 0,
    worker: null,
  };
  const emit = () => {
    for (const fn of Array.from(rt.listeners)) {
      try {
        fn(rt);
      } catch (err) {
        console.error(err);
      }
    }
  };
  const fail = (message) => {
    if (rt.state === "failed") return;
    rt.state = "failed";
    rt.stage = "failed";
    rt.error = String(message);
    for (const p of rt.pending.values()) p.reject(new Error(rt.error));
    rt.pending.clear();
    emit();
  };
  rt.subscribe = (fn) => {
    rt.listeners.add(fn);
    fn(rt);
    return () => rt.listeners.delete(fn);
  };
  rt.run = (name, input) =>
    new Promise((resolve, reject) => {
      if (rt.state === "failed") return reject(new Error(rt.error));
      const id = ++rt.seq;
      rt.pending.set(id, { resolve, reject, t: performance.now() });
      rt.worker.postMessage({ type: "run", id, name, input });
    });

  const reason = unsupportedReason();
  if (reason) {
    fail(reason);
    return rt;
  }
  try {
    rt.worker = new Worker(new URL("calc-worker.js", BASE), { type: "module", name: "handbook-calculators" });
  } catch (err) {
    fail("cannot create the worker: " + (err && err.message));
    return rt;
  }
  rt.worker.onmessage = (ev) => {
    const msg = ev.data || {};
    if (msg.type === "progress") {
      if (rt.state === "starting") {
        rt.stage = msg.stage;
        emit();
      }
    } else if (msg.type === "ready") {
      rt.state = "ready";
      rt.stage = "ready";
      rt.mode = msg.mode;
      rt.timings = msg.timings;
      rt.resources = msg.resources;
      rt.readyAt = performance.now();
      emit();
    } else if (msg.type === "failed") {
      fail(msg.error);
    } else if (msg.type === "result") {
      const p = rt.pending.get(msg.id);
      if (p) {
        rt.pending.delete(msg.id);
        rt.lastRoundTrip = performance.now() - p.t;
        p.resolve({ output: msg.output, ms: msg.ms, roundTrip: rt.lastRoundTrip });
      }
    }
  };
  rt.worker.onerror = (ev) => {
    if (ev && ev.preventDefault) ev.preventDefault();
    fail((ev && ev.message) || "the worker script could not be loaded (module workers unsupported?)");
  };
  rt.worker.onmessageerror = () => fail("a message from the worker could not be read");
  // options: for experiments and the benchmark only (e.g. {precompile: false}).
  const options = globalThis.__handbookCalcOptions || {};
  rt.worker.postMessage({ type: "init", pyodideBase: PYODIDE_BASE, calcBase: BASE.href, manifest, options });
  return rt;
}

function pageManifest() {
  const el = document.querySelector("[data-calculator]");
  const data = el && readJson(el, "data-calc-initial");
  return (data && data.manifest) || null;
}

/** The one runtime of this tab (created, and the worker started, on first use). */
export function runtime() {
  if (!globalThis[GLOBAL_KEY]) globalThis[GLOBAL_KEY] = createRuntime(pageManifest());
  return globalThis[GLOBAL_KEY];
}

// ------------------------------------------------------------------------------------ a page

const live = new Set();

class Calculator {
  constructor(el) {
    this.el = el;
    this.name = el.dataset.calculator;
    this.lang = el.dataset.lang === "en" ? "en" : "zh";
    this.form = el.querySelector("[data-calc-form]");
    this.defaults = readJson(el, "data-calc-default") || {};
    this.initial = readJson(el, "data-calc-initial");
    this.sections = readJson(el, "data-calc-sections") || {};
    this.model = clone(this.defaults);
    this.places = new WeakMap(); // leg object -> the place name picked for it
    this.shown = null; // canonical JSON of the input whose result is on screen
    this.result = null;
    this.reqSeq = 0;
    this.timer = null;
    this.writtenHash = null;
    this.fragmentError = null;
    this.t = (zh, en) => (this.lang === "en" ? en : zh);

    this.onHash = () => this.fromFragment();
    this.onBeforePrint = () => this.preparePrint();
    this.onAfterPrint = () => document.documentElement.classList.remove("calc-printing");
    window.addEventListener("hashchange", this.onHash);
    window.addEventListener("beforeprint", this.onBeforePrint);
    window.addEventListener("afterprint", this.onAfterPrint);
    this.bind();

    this.rt = runtime();
    this.unsubscribe = this.rt.subscribe((rt) => this.onRuntime(rt));
    if (!this.fromFragment()) {
      this.renderForm();
      this.compute();
    }
  }

  destroy() {
    window.removeEventListener("hashchange", this.onHash);
    window.removeEventListener("beforeprint", this.onBeforePrint);
    window.removeEventListener("afterprint", this.onAfterPrint);
    if (this.unsubscribe) this.unsubscribe();
    clearTimeout(this.timer);
  }

  // ---------------------------------------------------------------- state shown on the root

  setState(state) {
    this.el.dataset.calcState = state;
    const res = this.el.querySelector("[data-calc-result]");
    if (res) res.setAttribute("aria-busy", state === "pending" ? "true" : "false");
  }

  onRuntime(rt) {
    if (!this.el.isConnected) return;
    const status = this.el.querySelector("[data-calc-status]");
    const text = this.el.querySelector("[data-calc-status-text]");
    const msg = MESSAGES[rt.stage] || MESSAGES.boot;
    status.dataset.stage = rt.stage;
    let line = this.t(msg[0], msg[1]);
    if (rt.state === "starting" && this.shown && this.result) {
      line += this.t(" 当前显示的是预先算好的示例结果。", " The example's result shown was computed in advance.");
    }
    text.textContent = line;
    const engine = this.el.querySelector("[data-calc-engine]");
    if (rt.state === "ready" && engine) {
      const secs = ((rt.readyAt - rt.startedAt) / 1000).toFixed(2);
      engine.textContent = this.t(
        `由浏览器中的 Python 计算(Pyodide,${rt.mode === "snapshot" ? "内存快照" : "常规"}启动,用时 ${secs} 秒)。`,
        `Computed by Python in your browser (Pyodide, ${rt.mode === "snapshot" ? "snapshot" : "normal"} start in ${secs} s).`,
      );
    }
    const failure = this.el.querySelector("[data-calc-failure]");
    if (rt.state === "failed") {
      failure.hidden = false;
      this.el.querySelector("[data-calc-failure-detail]").textContent = rt.error || "";
      // A result on screen that no longer matches the form must not stay.
      if (this.shown !== canon(this.model) || this.el.dataset.calcState === "pending") {
        this.clearResult();
        this.setState("failed");
      }
    } else {
      failure.hidden = true;
    }
  }

  // ---------------------------------------------------------------- the fragment

  fromFragment() {
    const hash = location.hash;
    if (!hash.startsWith("#input=")) return false;
    if (hash === this.writtenHash) return true;
    this.writtenHash = hash;
    const raw = hash.slice("#input=".length);
    let value;
    try {
      value = JSON.parse(decodeURIComponent(raw));
    } catch (err) {
      this.model = clone(this.defaults);
      this.renderForm();
      this.clearResult();
      let shown = raw;
      try {
        shown = decodeURIComponent(raw);
      } catch (e) {
        /* keep it encoded */
      }
      this.fragmentError = shown;
      this.showError(
        "",
        "分享链接中的输入无法读取(不是有效的 JSON),下面显示的是示例输入。链接内容:" + shown.slice(0, 300),
        "The input in the shared link cannot be read (it is not valid JSON); the form shows the example instead. The link had: " +
          shown.slice(0, 300),
      );
      this.setState("error");
      return true;
    }
    this.fragmentError = null;
    if (isObj(value)) {
      this.model = value;
      this.renderForm();
      this.compute();
    } else {
      // Not an object: the engine says so, next to the form.
      this.model = clone(this.defaults);
      this.renderForm();
      this.compute(value);
    }
    return true;
  }

  shareUrl() {
    return location.href.split("#")[0] + "#input=" + encodeURIComponent(JSON.stringify(this.model));
  }

  writeFragment() {
    const url = this.shareUrl();
    this.writtenHash = "#" + url.split("#")[1];
    try {
      history.replaceState(history.state, "", url);
    } catch (e) {
      /* a sandboxed page may refuse; the share link still works */
    }
  }

  // ---------------------------------------------------------------- form <-> model

  bind() {
    const form = this.form;
    form.addEventListener("submit", (ev) => ev.preventDefault());
    form.addEventListener("input", (ev) => {
      const el = ev.target;
      if (!el.matches || !el.matches("input[data-path]:not([type=checkbox])")) return;
      this.edit(el, TYPING_DELAY, false);
    });
    form.addEventListener("change", (ev) => {
      const el = ev.target;
      if (!el.matches) return;
      if (el.matches("[data-group-toggle]")) {
        const path = el.getAttribute("data-group-toggle");
        const group = el.closest("[data-group]");
        if (el.checked) {
          let item = {};
          try {
            item = JSON.parse(group.getAttribute("data-new-item") || "{}");
          } catch (e) {
            item = {};
          }
          setPath(this.model, path, item);
        } else {
          setPath(this.model, path, undefined);
        }
        this.afterEdit(0, true);
      } else if (el.matches("select[data-path], input[type=checkbox][data-path]")) {
        this.edit(el, 0, true);
      } else if (el.matches("input[data-path]")) {
        this.edit(el, 0, false);
      }
    });
    form.addEventListener("click", (ev) => {
      const add = ev.target.closest && ev.target.closest("[data-repeat-add]");
      const remove = ev.target.closest && ev.target.closest("[data-repeat-remove]");
      if (add) this.addRow(add.closest("[data-repeat]"));
      if (remove) this.removeRow(remove.closest("[data-repeat]"), remove.closest("[data-row]"));
    });
    const reset = this.el.querySelector("[data-calc-reset]");
    if (reset) {
      reset.addEventListener("click", () => {
        this.model = clone(this.defaults);
        this.fragmentError = null;
        this.renderForm();
        this.writtenHash = null;
        try {
          history.replaceState(history.state, "", location.href.split("#")[0]);
        } catch (e) {
          /* ignore */
        }
        this.compute();
      });
    }
    const share = this.el.querySelector("[data-calc-share]");
    share.addEventListener("click", (ev) => {
      ev.preventDefault();
      ev.stopPropagation(); // Material would treat it as a link to this page and reload it
      this.writeFragment();
      share.href = this.shareUrl();
    });
    share.addEventListener("focus", () => (share.href = this.shareUrl()));
    share.addEventListener("mouseenter", () => (share.href = this.shareUrl()));
    const copy = this.el.querySelector("[data-calc-copy]");
    copy.addEventListener("click", () => {
      const url = this.shareUrl();
      this.writeFragment();
      const done = () => {
        copy.textContent = this.t("已复制", "Copied");
        setTimeout(() => (copy.textContent = this.t("复制链接", "Copy link")), 2000);
      };
      copyText(url).then(done, () => prompt(this.t("复制此链接:", "Copy this link:"), url));
    });
    this.el.querySelector("[data-calc-print]").addEventListener("click", () => {
      this.preparePrint();
      window.print();
    });
  }

  readValue(el) {
    const type = el.dataset.type;
    const current = getPath(this.model, el.dataset.path);
    if (type === "bool") return el.checked;
    if (el.tagName === "SELECT") {
      const opt = el.selectedOptions[0];
      if (!opt || opt.value === "") return undefined;
      if (opt.hasAttribute("data-foreign")) return current;
      if (type === "tri") return opt.value === "true";
      if (type === "place") return opt.dataset.region;
      return opt.value;
    }
    if (type === "int" || type === "num") return parseNumber(el.value);
    const s = el.value.trim();
    return s === "" ? undefined : s;
  }

  edit(el, delay, rerender) {
    setPath(this.model, el.dataset.path, this.readValue(el));
    if (el.dataset.type === "place") {
      // The contract input holds the region only; which of its places was picked is remembered
      // per leg object (so it survives adding and removing rows).
      const opt = el.selectedOptions[0];
      const owner = getPath(this.model, el.dataset.path.replace(/\.[^.]+$/, ""));
      if (isObj(owner) && opt && opt.dataset.place) this.places.set(owner, opt.dataset.place);
    }
    this.afterEdit(delay, rerender);
  }

  afterEdit(delay, rerender) {
    this.fragmentError = null;
    if (rerender) this.renderValues();
    this.writeFragment();
    this.schedule(delay);
  }

  addRow(box) {
    const path = box.getAttribute("data-repeat");
    let list = getPath(this.model, path);
    if (!Array.isArray(list)) list = [];
    const max = Number(box.dataset.max || 100);
    if (list.length >= max) return;
    let item = {};
    try {
      item = JSON.parse(box.getAttribute("data-new-item") || "{}");
    } catch (e) {
      item = {};
    }
    list.push(item);
    setPath(this.model, path, list);
    this.renderForm();
    const rows = box.querySelectorAll("[data-row]");
    const first = rows[rows.length - 1] && rows[rows.length - 1].querySelector("[data-path]");
    if (first) first.focus();
    this.afterEdit(0, false);
  }

  removeRow(box, row) {
    const path = box.getAttribute("data-repeat");
    const list = getPath(this.model, path);
    if (!Array.isArray(list)) return;
    const index = Number(row.dataset.index);
    if (list.length <= Number(box.dataset.min || 0)) return;
    list.splice(index, 1);
    this.renderForm();
    this.afterEdit(0, false);
  }

  renderForm() {
    for (const box of this.form.querySelectorAll("[data-repeat]")) this.renderRows(box);
    this.renderValues();
  }

  renderRows(box) {
    const path = box.getAttribute("data-repeat");
    const list = getPath(this.model, path);
    const n = Array.isArray(list) ? list.length : 0;
    const items = box.querySelector("[data-repeat-items]");
    const tpl = box.querySelector("template[data-repeat-template]");
    const label = box.dataset.itemLabel || "{n}";
    items.textContent = "";
    for (let i = 0; i < n; i++) {
      const frag = tpl.content.cloneNode(true);
      const row = frag.querySelector("[data-row]");
      row.dataset.index = String(i);
      for (const el of frag.querySelectorAll("[data-path], [data-error-for], [id], label[for]")) {
        for (const attr of ["data-path", "data-error-for", "id", "for"]) {
          const v = el.getAttribute(attr);
          if (v !== null && v.includes("[]")) el.setAttribute(attr, v.split(path + "[]").join(`${path}[${i}]`));
        }
      }
      const lab = frag.querySelector("[data-row-label]");
      if (lab) lab.textContent = label.replace("{n}", String(i + 1));
      const rm = frag.querySelector("[data-repeat-remove]");
      if (rm) rm.disabled = n <= Number(box.dataset.min || 0);
      items.append(frag);
    }
    const add = box.querySelector("[data-repeat-add]");
    if (add) add.disabled = n >= Number(box.dataset.max || 100);
  }

  renderValues() {
    for (const group of this.form.querySelectorAll("[data-group]")) {
      const path = group.getAttribute("data-group");
      const on = getPath(this.model, path) !== undefined;
      const toggle = group.querySelector("[data-group-toggle]");
      if (toggle) toggle.checked = on;
      const body = group.querySelector("[data-group-body]");
      if (body) body.hidden = !on;
    }
    for (const el of this.form.querySelectorAll("[data-path]")) {
      const path = el.dataset.path;
      const type = el.dataset.type;
      const v = getPath(this.model, path);
      if (type === "bool") {
        el.checked = v === true;
        continue;
      }
      if (el.tagName !== "SELECT") {
        if (document.activeElement === el && parseNumber(el.value) === v) continue; // don't fight the caret
        el.value = display(v);
        continue;
      }
      for (const f of el.querySelectorAll("option[data-foreign]")) f.remove();
      if (type === "cls") this.filterClasses(el, path);
      let opt = null;
      if (v === undefined || v === null) {
        opt = el.querySelector('option[value=""]');
      } else if (type === "place") {
        const owner = getPath(this.model, path.replace(/\.[^.]+$/, ""));
        const want = isObj(owner) ? this.places.get(owner) : undefined;
        const all = Array.from(el.options).filter((o) => o.dataset.region === v);
        opt = all.find((o) => o.dataset.place && o.dataset.place === want) || all[0] || null;
      } else {
        const want = type === "tri" ? display(v) : v;
        opt = Array.from(el.options).find((o) => o.value === want && !o.disabled && typeof want === "string") || null;
      }
      if (!opt) {
        opt = h("option", { value: "\u0000foreign", "data-foreign": true, text: display(v) + this.t("(无效)", " (not valid)") });
        el.append(opt);
      }
      opt.selected = true;
    }
  }

  filterClasses(select, path) {
    const mode = getPath(this.model, path.replace(/class$/, "mode")) || "other";
    let any = false;
    for (const o of select.options) {
      if (!o.dataset.mode) continue;
      const ok = o.dataset.mode === mode;
      o.hidden = !ok;
      o.disabled = !ok;
      any = any || ok;
    }
    select.disabled = !any && getPath(this.model, path) === undefined;
  }

  // ---------------------------------------------------------------- computing

  schedule(delay) {
    clearTimeout(this.timer);
    if (canon(this.model) !== this.shown) this.setState("pending");
    this.timer = setTimeout(() => this.compute(), delay);
  }

  compute(raw) {
    clearTimeout(this.timer);
    const input = raw !== undefined ? raw : this.model;
    const json = JSON.stringify(input);
    const key = canon(input);
    if (key === this.shown && this.lastAnswer && this.el.dataset.calcState !== "pending" && this.el.dataset.calcState !== "failed") {
      this.announce(...this.lastAnswer); // already on screen
      return;
    }
    const seq = ++this.reqSeq;
    const built = this.builtResult(key);
    if (built) {
      this.show(built, key, "build");
      return;
    }
    if (this.rt.state === "failed") {
      this.clearResult();
      this.setState("failed");
      return;
    }
    this.setState("pending");
    this.rt.run(this.name, json).then(
      ({ output }) => {
        if (seq !== this.reqSeq || !this.el.isConnected) return;
        let parsed;
        try {
          parsed = JSON.parse(output);
        } catch (e) {
          parsed = { ok: false, error: { field: "", zh: "计算引擎返回了无法读取的结果。", en: "The engine returned an unreadable answer." } };
        }
        this.show(parsed, key, "engine");
      },
      () => {
        if (seq !== this.reqSeq) return;
        this.clearResult();
        this.setState("failed");
      },
    );
  }

  builtResult(json) {
    const init = this.initial;
    if (!init || typeof init.output !== "string" || typeof init.input !== "string") return null;
    try {
      if (canon(JSON.parse(init.input)) !== json) return null;
      return JSON.parse(init.output);
    } catch (e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- rendering the answer

  clauseLink(id, citations) {
    const c = (citations || {})[id];
    if (!c) return id ? h("span", { class: "calc-clause", text: id }) : null;
    const root = new URL(this.el.dataset.root || "./", location.href);
    const href = new URL((this.lang === "en" ? "en/" : "") + c.page + "#" + c.anchor, root).href;
    const sec = this.sections[c.section];
    const title = (c.title && c.title[this.lang]) || id;
    const label = `${sec ? sec.title[this.lang] + " " : ""}${c.number || ""} ${title}`.replace(/\s+/g, " ").trim();
    return h("a", { class: "calc-clause", href, title: id, text: label });
  }

  clearErrors() {
    for (const p of this.el.querySelectorAll("[data-error-for]")) {
      p.hidden = true;
      p.textContent = "";
    }
    for (const i of this.form.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
  }

  showError(field, zh, en) {
    this.clearErrors();
    let target = null;
    for (const p of parentPaths(field)) {
      target = this.el.querySelector(`[data-error-for="${CSS.escape(p)}"]`);
      if (target) break;
    }
    if (!target) return;
    const first = this.lang === "en" ? [en, "en"] : [zh, "zh"];
    const second = this.lang === "en" ? [zh, "zh"] : [en, "en"];
    target.append(h("span", { lang: first[1], class: "calc-error__main", text: first[0] || "" }));
    if (second[0]) target.append(h("span", { lang: second[1], class: "calc-error__other", text: second[0] }));
    target.hidden = false;
    const input = this.form.querySelector(`[data-path="${CSS.escape(String(field || ""))}"]`);
    if (input) input.setAttribute("aria-invalid", "true");
  }

  clearResult() {
    this.lastAnswer = null;
    this.result = null;
    this.shown = null;
    this.el.querySelector("[data-calc-total]").textContent = "";
    this.el.querySelector("[data-calc-unit]").textContent = "";
    for (const sel of ["[data-calc-lines]", "[data-calc-decision]", "[data-calc-warnings]", "[data-calc-notes]"]) {
      this.el.querySelector(sel).hidden = true;
    }
    this.el.removeAttribute("data-calc-input");
  }

  show(resp, key, source) {
    performance.mark("calc:show-start");
    this._show(resp, key, source);
    performance.measure("calc:show", "calc:show-start");
    this.lastAnswer = [resp, key, source];
    this.announce(resp, key, source);
  }

  announce(resp, key, source) {
    // For tests and other scripts: every answer shown, ok or not.
    const r = resp && resp.ok ? resp.result : null;
    this.el.dispatchEvent(new CustomEvent("calc:result", {
      bubbles: true,
      detail: { ok: !!r, source, input: key, total: r ? r.total_text : null, error: resp && !resp.ok ? resp.error : null },
    }));
  }

  _show(resp, key, source) {
    this.shown = key;
    this.el.dataset.calcInput = key;
    this.el.dataset.calcSource = source;
    if (!resp || !resp.ok) {
      const err = (resp && resp.error) || {};
      this.clearResult();
      this.shown = key;
      this.el.dataset.calcInput = key;
      this.showError(err.field, err.zh || "输入有误。", err.en || "The input is not valid.");
      this.setState("error");
      this.fillSheet(null);
      return;
    }
    this.clearErrors();
    const r = resp.result || {};
    this.result = r;
    const L = this.lang;
    const cites = r.citations || {};
    this.el.querySelector("[data-calc-total]").textContent = display(r.total_text);
    this.el.querySelector("[data-calc-unit]").textContent = (r.unit_label && r.unit_label[L]) || "";

    const table = this.el.querySelector("[data-calc-lines]");
    const body = table.querySelector("tbody");
    body.textContent = "";
    for (const line of r.lines || []) {
      body.append(
        h(
          "tr",
          {},
          h("td", { text: line[L] }),
          h("td", { class: "calc-num", text: display(line.amount_text !== undefined ? line.amount_text : line.amount) }),
          h("td", {}, this.clauseLink(line.clause, cites)),
        ),
      );
    }
    table.hidden = !(r.lines && r.lines.length);

    const dec = this.el.querySelector("[data-calc-decision]");
    dec.textContent = "";
    for (const part of this.decisionParts(r.decision)) dec.append(h("p", {}, part.text, part.clause ? " " : null, part.clause ? this.clauseLink(part.clause, cites) : null));
    dec.hidden = !dec.childNodes.length;

    for (const [sel, list] of [["[data-calc-warnings]", r.warnings], ["[data-calc-notes]", r.notes]]) {
      const box = this.el.querySelector(sel);
      const ul = box.querySelector("ul");
      ul.textContent = "";
      for (const item of list || []) {
        ul.append(h("li", {}, display(item[L]), item.clause ? " " : null, item.clause ? this.clauseLink(item.clause, cites) : null));
      }
      box.hidden = !(list && list.length);
    }
    this.setState("ready");
    this.fillSheet(r);
    if (this.rt.state === "failed") this.onRuntime(this.rt);
  }

  decisionParts(d) {
    // leave / attendance: a decision in words rather than money.
    const out = [];
    if (!isObj(d)) return out;
    const L = this.lang;
    if (isObj(d.label) && d.label[L]) out.push({ text: d.label[L] });
    if (typeof d[L] === "string") out.push({ text: d[L], clause: d.clause });
    for (const [k, v] of Object.entries(d)) {
      if (k === "label" || !isObj(v) || typeof v[L] !== "string") continue;
      out.push({ text: v[L], clause: v.clause });
    }
    return out;
  }

  // ---------------------------------------------------------------- print worksheet

  preparePrint() {
    if (!this.el.isConnected) return;
    document.documentElement.classList.add("calc-printing");
    this.fillSheet(this.result);
  }

  fillSheet(r) {
    const sheet = this.el.querySelector("[data-calc-sheet]");
    if (!sheet) return;
    const L = this.lang;
    const cites = (r && r.citations) || {};
    sheet.querySelector("[data-sheet-date]").textContent = today();
    sheet.querySelector("[data-sheet-url]").textContent = location.href.split("#")[0];
    const inputs = sheet.querySelector("[data-sheet-inputs]");
    inputs.textContent = "";
    for (const [label, value] of this.inputSummary()) {
      inputs.append(h("div", { class: "calc-sheet__kv" }, h("span", { text: label }), h("span", { text: value })));
    }
    const lines = sheet.querySelector("[data-sheet-lines] tbody");
    lines.textContent = "";
    const citeText = (id) => {
      const a = this.clauseLink(id, cites);
      return a ? a.textContent : "";
    };
    for (const line of (r && r.lines) || []) {
      lines.append(
        h(
          "tr",
          {},
          h("td", { text: line[L] }),
          h("td", { class: "calc-num", text: display(line.amount_text !== undefined ? line.amount_text : line.amount) }),
          h("td", { text: citeText(line.clause) }),
        ),
      );
    }
    sheet.querySelector("[data-sheet-total]").textContent = r
      ? `${display(r.total_text)} ${(r.unit_label && r.unit_label[L]) || ""}`.trim()
      : this.t("(输入有误,未计算)", "(invalid input: not computed)");
    const dec = sheet.querySelector("[data-sheet-decision]");
    dec.textContent = "";
    for (const part of this.decisionParts(r && r.decision)) dec.append(h("p", { text: part.text + (part.clause ? " — " + citeText(part.clause) : "") }));
    for (const [sel, list, title] of [
      ["[data-sheet-warnings]", r && r.warnings, this.t("注意事项", "Warnings")],
      ["[data-sheet-notes]", r && r.notes, this.t("解读说明", "How the rules were read")],
    ]) {
      const box = sheet.querySelector(sel);
      box.textContent = "";
      if (!list || !list.length) continue;
      box.append(h("h3", { text: title }));
      const ul = h("ul");
      for (const item of list) ul.append(h("li", { text: display(item[L]) + (item.clause ? " — " + citeText(item.clause) : "") }));
      box.append(ul);
    }
    // Leave: the approvers the result names get their own signature boxes.
    const appr = sheet.querySelector("[data-sheet-approvers]");
    appr.textContent = "";
    const d = r && r.decision;
    const approvers = d && (Array.isArray(d.approvers) ? d.approvers : d.approval && d.approval.approvers);
    if (Array.isArray(approvers) && approvers.length) {
      const tb = h("tbody");
      tb.append(h("tr", {}, h("th", { text: this.t("请假人(书面申请)", "Applicant (written request)") }), h("td"), h("td", { class: "calc-sheet__date", text: this.t("日期", "Date") })));
      for (const a of approvers) tb.append(h("tr", {}, h("th", { text: display(a[L]) }), h("td"), h("td", { class: "calc-sheet__date", text: this.t("日期", "Date") })));
      appr.append(h("table", { class: "calc-sheet__sign" }, h("caption", { text: this.t("请假审批", "Leave approval") }), tb));
    }
  }

  inputSummary() {
    const out = [];
    for (const el of this.form.querySelectorAll("[data-path]")) {
      if (el.closest("[hidden]")) continue;
      const field = el.closest(".calc-field");
      const row = el.closest("[data-row]");
      let label = "";
      if (el.dataset.type === "bool") label = (el.closest("label") || {}).textContent || el.dataset.path;
      else {
        const lab = field && field.querySelector("label");
        label = lab ? lab.childNodes[0].textContent : el.dataset.path;
      }
      if (row) {
        const rl = row.querySelector("[data-row-label]");
        if (rl) label = rl.textContent + " · " + label;
      }
      let value;
      if (el.dataset.type === "bool") value = el.checked ? this.t("是", "yes") : this.t("否", "no");
      else if (el.tagName === "SELECT") value = el.value === "" ? "" : el.selectedOptions[0].textContent;
      else value = el.value.trim();
      if (value === "") continue;
      out.push([label.trim(), value]);
    }
    return out;
  }
}

// ------------------------------------------------------------------------------------ entry

/** Bind every [data-calculator] on the page (idempotent; called after each instant navigation). */
export function mountAll(doc = document) {
  performance.mark("calc:mount-start");
  try {
    return mountRoots(doc);
  } finally {
    // Visible in the benchmark: this page's own main-thread work.
    performance.measure("calc:mount", "calc:mount-start");
  }
}

function mountRoots(doc) {
  for (const c of Array.from(live)) {
    if (!c.el.isConnected) {
      c.destroy();
      live.delete(c);
    }
  }
  const roots = doc.querySelectorAll("[data-calculator]");
  if (!roots.length) return [];
  runtime(); // start the worker before any DOM work
  const out = [];
  for (const el of roots) {
    if (!el.__calc) {
      el.__calc = new Calculator(el);
      live.add(el.__calc);
    }
    out.push(el.__calc);
  }
  return out;
}

export default mountAll;

// calc-loader.js loads this module with a <script type="module"> (no eval under the site's CSP),
// then calls this hook again after every instant navigation.
// (A new #input= typed or pasted on the same page makes Material re-render the page on popstate;
// the new root then restores it from the fragment like any page load.)
globalThis.__handbookCalcMount = mountAll;
mountAll(document);
