// One calculator on a page: ties the form, the engine and the result views together, with its
// state held in the explicit machine of state.js (shown on the root, contract role "state").
//
// * Every edit updates the contract input, the URL fragment (#input=…) and, debounced, the result.
//   Until the engine has answered for the inputs on screen no total is shown.
// * The page carries the result of its example input, computed at build time by the same Python
//   code, so the first total shows before Pyodide has started.

import { ATTR, attr, attrJson, find } from "./contract.js";
import { copyText, h, marked, today } from "./dom.js";
import * as fragment from "./fragment.js";
import { Form } from "./form.js";
import { keepInputs } from "./keep-inputs.js";
import { FAILURE, pick, refusal, STAGE_TEXT, TEXT } from "./messages.js";
import { drawQr } from "./qr.js";
import { clearResult, renderResult } from "./render.js";
import { restart, runtime } from "./runtime.js";
import { next, NO_TOTAL } from "./state.js";
import { canon, clone } from "./values.js";

const TYPING_DELAY = 250;

/** The page's pattern of a Chinese run (handbook.pages.site.CHINESE_RUN), as a global RegExp; null if absent or unreadable. */
function chineseRun(data) {
  const source = attrJson(data, "chineseRun", null);
  try {
    return typeof source === "string" ? new RegExp(source, "g") : null;
  } catch (e) {
    return null;
  }
}

export class Calculator {
  constructor(el) {
    this.el = el;
    this.name = attr(el, "root");
    this.lang = attr(el, "lang") === "en" ? "en" : "zh";
    const data = find(el, "data") || el;
    this.defaults = attrJson(data, "defaults", {}) || {};
    this.initial = attrJson(data, "initial", null);
    this.sections = attrJson(data, "sections", {}) || {};
    this.state = attr(el, "state") || "starting";
    // The rules version of this page's build: every total shown names it (the root's "rules"
    // attribute); the engine is the one started for this build (runtime.js), never an older one.
    this.rules = (this.initial && this.initial.manifest && this.initial.manifest.key) || null;
    this.rt = runtime(this.initial && this.initial.manifest); // start the worker before any DOM work
    this.shown = null; // canonical JSON of the input whose answer is on screen
    this.lastAnswer = null;
    this.result = null;
    this.reqSeq = 0;
    this.timer = null;
    this.writtenHash = null;
    this.ctx = {
      lang: this.lang,
      sections: this.sections,
      numbers: attrJson(data, "numbers", {}) || {},
      langBase: new URL(attr(el, "langRoot") || "./", location.href).href,
      dateWord: pick(["日期", "Date"], this.lang),
      chineseRun: chineseRun(data), // for English text, whichever the page's language (error messages show both)
    };
    this.screen = this.slots({
      totalBox: "totalBox", total: "total", unit: "unit", amountHead: "amountHead", lines: "lines",
      decision: "decision", warnings: "warnings", notes: "notes", attachments: "attachments", rulesAsOf: "rulesAsOf",
      travellerPays: "travellerPays",
    });
    this.mini = this.slots({ totalBox: "miniTotal", total: "miniTotalValue", unit: "miniTotalUnit" });
    this.sheet = this.slots({
      totalBox: "sheetTotalBox", total: "sheetTotal", unit: "sheetUnit", amountHead: "sheetAmountHead", lines: "sheetLines",
      decision: "sheetDecision", warnings: "sheetWarnings", notes: "sheetNotes", approvers: "sheetApprovers",
      attachments: "sheetAttachments", rulesAsOf: "sheetRulesAsOf", travellerPays: "sheetTravellerPays",
    }, find(el, "sheet"));
    this.form = new Form(find(el, "form"), el, this.lang, (model, { delay }) => this.edited(delay), this.ctx.chineseRun);

    this.address = keepInputs(); // the #input= fragment survives Material's scroll tracking
    this.onHash = () => (this.el.isConnected ? this.fromFragment() : this.destroy());
    this.onBeforePrint = () => this.preparePrint();
    this.onAfterPrint = () => document.documentElement.classList.remove("calc-printing");
    window.addEventListener("hashchange", this.onHash);
    window.addEventListener("beforeprint", this.onBeforePrint);
    window.addEventListener("afterprint", this.onAfterPrint);
    this.bindActions();

    this.unsubscribe = this.rt.subscribe((rt) => this.onRuntime(rt));
    if (!this.fromFragment()) {
      this.form.set(clone(this.defaults));
      this.compute();
    }
  }

  t(pair) {
    return pick(pair, this.lang);
  }

  slots(map, scope = this.el) {
    const out = {};
    for (const [slot, key] of Object.entries(map)) out[slot] = scope ? find(scope, key) : null;
    return out;
  }

  destroy() {
    window.removeEventListener("hashchange", this.onHash);
    window.removeEventListener("beforeprint", this.onBeforePrint);
    window.removeEventListener("afterprint", this.onAfterPrint);
    if (this.unsubscribe) this.unsubscribe();
    this.address.release();
    clearTimeout(this.timer);
  }

  get model() {
    return this.form.model;
  }

  // ---------------------------------------------------------------- the state machine

  dispatch(event) {
    const to = next(this.state, event);
    this.state = to;
    this.el.setAttribute(ATTR.state, to);
    const res = find(this.el, "result");
    if (res) res.setAttribute("aria-busy", to === "pending" ? "true" : "false");
    if (NO_TOTAL.has(to) && to !== "error") this.clearViews();
    return to;
  }

  clearViews() {
    this.shown = null;
    this.lastAnswer = null;
    this.result = null;
    for (const view of [this.screen, this.mini, this.sheet]) clearResult(view);
    this.el.removeAttribute(ATTR.input);
    this.el.removeAttribute(ATTR.rules);
  }

  onRuntime(rt) {
    if (!this.el.isConnected) return;
    const status = find(this.el, "status");
    status.setAttribute(ATTR.stage, rt.stage);
    let line = this.t(STAGE_TEXT[rt.stage] || STAGE_TEXT.boot);
    if (rt.state === "starting" && this.state === "ready") line += this.t(TEXT.builtShown);
    find(this.el, "statusText").textContent = line;
    const engine = find(this.el, "engine");
    if (rt.state === "ready" && engine) {
      const secs = ((rt.readyAt - rt.startedAt) / 1000).toFixed(2);
      engine.textContent = this.t(TEXT.engineLine)(rt.mode, secs) + " " + this.t(TEXT.rulesVersion)(String(rt.rules || "?").slice(0, 8));
    }
    const failure = find(this.el, "failure");
    failure.hidden = rt.state !== "failed";
    if (rt.state === "failed") {
      // The cause's own notice, in both languages (the page's first), and Retry.
      const [zh, en] = FAILURE[rt.failure] || FAILURE.error;
      const zhLine = failure.querySelector("p[lang=zh]");
      const enLine = failure.querySelector("p[lang=en]");
      if (zhLine) zhLine.textContent = zh;
      if (enLine) enLine.textContent = en;
      failure.setAttribute(ATTR.cause, rt.failure || "error");
      const detail = rt.failure === "timeout" ? `${TEXT.timeout[0](rt.startTimeout / 1000)} ${TEXT.timeout[1](rt.startTimeout / 1000)} ` : "";
      find(this.el, "failureDetail").textContent = detail + (rt.error || "");
      this.dispatch("engineFailed");
    }
  }

  // ---------------------------------------------------------------- the fragment

  fromFragment() {
    const hash = location.hash;
    if (!hash.startsWith(fragment.PREFIX)) return false;
    if (hash === this.writtenHash) return true;
    this.writtenHash = hash;
    const got = fragment.decode(hash, this.form.lists());
    if (got.kind === "refused") {
      this.form.set(clone(this.defaults));
      const list = this.form.lists().find((l) => l.path === got.field);
      const [zh, en] = refusal(got, list ? [list.label, list.label] : ["", ""]);
      this.showInvalid({ field: "", zh, en }, null);
      return true;
    }
    if (got.value !== null && typeof got.value === "object" && !Array.isArray(got.value)) {
      this.form.set(got.value);
      this.compute();
    } else {
      // Not an object: the engine says so, next to the form.
      this.form.set(clone(this.defaults));
      this.compute(got.value);
    }
    return true;
  }

  shareUrl() {
    return location.href.split("#")[0] + fragment.encode(this.model);
  }

  writeFragment() {
    const url = this.shareUrl();
    this.writtenHash = "#" + url.split("#")[1];
    try {
      this.address.write(url);
    } catch (e) {
      /* a sandboxed page may refuse; the share link still works */
    }
  }

  // ---------------------------------------------------------------- edits and actions

  edited(delay) {
    this.writeFragment();
    this.schedule(delay);
  }

  bindActions() {
    const reset = find(this.el, "reset");
    if (reset) {
      reset.addEventListener("click", () => {
        this.form.set(clone(this.defaults));
        this.writtenHash = null;
        try {
          this.address.write(location.href.split("#")[0]);
        } catch (e) {
          /* ignore */
        }
        this.compute();
      });
    }
    const share = find(this.el, "share");
    share.addEventListener("click", (ev) => {
      ev.preventDefault();
      ev.stopPropagation(); // Material would treat it as a link to this page and reload it
      this.writeFragment();
      share.href = this.shareUrl();
    });
    share.addEventListener("focus", () => (share.href = this.shareUrl()));
    share.addEventListener("mouseenter", () => (share.href = this.shareUrl()));
    const copy = find(this.el, "copy");
    copy.addEventListener("click", () => {
      const url = this.shareUrl();
      this.writeFragment();
      const done = () => {
        copy.textContent = this.t(TEXT.copied);
        setTimeout(() => (copy.textContent = this.t(TEXT.copy)), 2000);
      };
      copyText(url).then(done, () => prompt(this.t(TEXT.copyPrompt), url));
    });
    // The compact total on a phone leads to the breakdown (without touching the #input= fragment).
    const mini = find(this.el, "miniTotal");
    if (mini) {
      mini.addEventListener("click", (ev) => {
        ev.preventDefault();
        ev.stopPropagation();
        const res = find(this.el, "result");
        res.scrollIntoView({ block: "start" });
        res.focus({ preventScroll: true });
      });
    }
    const retry = find(this.el, "retry");
    if (retry) retry.addEventListener("click", () => this.retry());
    find(this.el, "print").addEventListener("click", () => {
      this.preparePrint();
      window.print();
    });
  }

  /** Retry after a failed start: a new engine (downloads past the HTTP cache), then the inputs on screen. */
  retry() {
    if (this.unsubscribe) this.unsubscribe();
    this.rt = restart(this.initial && this.initial.manifest);
    this.unsubscribe = this.rt.subscribe((rt) => this.onRuntime(rt));
    this.shown = null;
    this.compute();
  }

  // ---------------------------------------------------------------- computing

  schedule(delay) {
    clearTimeout(this.timer);
    if (canon(this.model) !== this.shown) {
      this.dispatch("edit");
      if (this.rt.state === "failed") this.dispatch("engineFailed");
    }
    this.timer = setTimeout(() => this.compute(), delay);
  }

  compute(raw) {
    clearTimeout(this.timer);
    const input = raw !== undefined ? raw : this.model;
    const key = canon(input);
    if (key === this.shown && this.lastAnswer && (this.state === "ready" || this.state === "error")) {
      // Already answered: shown again, since the rows (and the messages in them) may have been
      // redrawn (a link that differs only in its spelling, "…%20"): an error must not vanish.
      this.show(...this.lastAnswer);
      return;
    }
    const seq = ++this.reqSeq;
    const built = this.builtResult(key);
    if (built) {
      this.show(built, key, "build");
      return;
    }
    this.dispatch("edit");
    if (this.rt.state === "failed") {
      this.dispatch("engineFailed"); // nobody will answer: say so rather than wait
      return;
    }
    this.rt.run(this.name, JSON.stringify(input)).then(
      ({ output, rules }) => {
        if (seq !== this.reqSeq || !this.el.isConnected) return;
        let parsed;
        try {
          parsed = JSON.parse(output);
        } catch (e) {
          const [zh, en] = TEXT.unreadableAnswer;
          parsed = { ok: false, error: { field: "", zh, en } };
        }
        if (this.rules && rules !== this.rules) {
          // Never a total computed with other rules than this page's (runtime.js restarts such an
          // engine before it answers; this is the last guard).
          const [zh, en] = TEXT.otherRules;
          parsed = { ok: false, error: { field: "", zh, en } };
        }
        this.show(parsed, key, "engine");
      },
      () => {
        /* the runtime reports its failure through onRuntime */
      },
    );
  }

  builtResult(key) {
    const init = this.initial;
    if (!init || typeof init.output !== "string" || typeof init.input !== "string") return null;
    try {
      if (canon(JSON.parse(init.input)) !== key) return null;
      return JSON.parse(init.output);
    } catch (e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- showing an answer

  show(resp, key, source) {
    performance.mark("calc:show-start");
    if (!resp || !resp.ok) {
      const err = (resp && resp.error) || {};
      const [zh, en] = TEXT.invalidInput;
      this.showInvalid({ field: err.field, zh: err.zh || zh, en: err.en || en }, key, source);
    } else {
      this.form.clearErrors();
      this.dispatch("answer");
      this.result = resp.result || {};
      for (const view of [this.screen, this.mini, this.sheet]) renderResult(view, this.result, this.ctx);
      this.shown = key;
      this.el.setAttribute(ATTR.input, key);
      this.el.setAttribute(ATTR.source, source);
      this.el.setAttribute(ATTR.rules, this.rules || "");
      this.fillSheet();
      if (this.rt.state !== "ready") this.onRuntime(this.rt);
    }
    performance.measure("calc:show", "calc:show-start");
    this.lastAnswer = [resp, key, source];
    this.announce(resp, key, source);
  }

  showInvalid(error, key, source = "page") {
    this.clearViews();
    this.dispatch("invalid");
    this.form.showError(error.field, error.zh, error.en);
    this.shown = key;
    if (key !== null) this.el.setAttribute(ATTR.input, key);
    this.el.setAttribute(ATTR.source, source);
    this.fillSheet();
    if (key === null) this.announce({ ok: false, error }, key, source);
  }

  announce(resp, key, source) {
    // For tests and other scripts: every answer shown, ok or not.
    const r = resp && resp.ok ? resp.result : null;
    this.el.dispatchEvent(
      new CustomEvent("calc:result", {
        bubbles: true,
        detail: { ok: !!r, source, input: key, total: r ? r.total_text : null, error: resp && !resp.ok ? resp.error : null },
      }),
    );
  }

  // ---------------------------------------------------------------- print worksheet

  preparePrint() {
    if (!this.el.isConnected) return;
    document.documentElement.classList.add("calc-printing");
    this.fillSheet();
    drawQr(find(this.el, "sheetQr"), this.shareUrl()); // at once, in case idle time has not come
  }

  /** The worksheet's own parts; its result slots are filled by the same renderer as the screen. */
  fillSheet() {
    const date = find(this.el, "sheetDate");
    if (!date) return;
    date.textContent = today();
    // The share link, so that a paper copy can be opened again with the same inputs.
    const url = this.shareUrl();
    find(this.el, "sheetUrl").textContent = url;
    // The QR code is for paper only: drawn in idle time, off the path to the first total.
    const qr = () => drawQr(find(this.el, "sheetQr"), url);
    if (typeof requestIdleCallback === "function") requestIdleCallback(qr, { timeout: 3000 });
    else setTimeout(qr, 500);
    const inputs = find(this.el, "sheetInputs");
    inputs.textContent = "";
    for (const [label, value] of this.form.summary()) {
      const row = document.createElement("div");
      row.className = "calc-sheet__kv";
      for (const text of [label, value]) row.append(h("span", {}, marked(text, this.lang, this.ctx.chineseRun)));
      inputs.append(row);
    }
    if (this.state === "error") this.sheet.total.textContent = this.t(TEXT.notComputed);
  }
}
