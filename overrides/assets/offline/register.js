// Offline after one visit (an ES module, loaded on every page by overrides/main.html).
//
// * Registers the service worker (sw.js at the site root, made by handbook/runtime/offline.py) once the
//   page is quiet: after load, and on a calculator page after its engine has started, so that
//   caching the handbook never competes with the first page a reader opens.
// * On a calculator page whose engine is up, asks the service worker to keep the calculators'
//   runtime too (Pyodide is never cached because of a plain page).
// * Says, in both languages, when a newer version of the handbook is available; "Reload" lets the
//   new version take over (the service worker then deletes the old cache) and reloads the page.
// * Says, in both languages, when the offline copy could not be saved because the browser's storage for
//   the site is full (the service worker's "failed" message, reason "quota"): the pages and calculators
//   still work while connected, not offline.
// State for scripts and tests: the "offline" topic of ../shared/bus.js ({version, shell, runtime, update, failed}).
// The messages to and from the service worker: messages.js (the service worker gets the same declaration).

import { publish, subscribe, TOPIC } from "../shared/bus.js";
import { OFFLINE_MESSAGES } from "./messages.js";

const ROOT = new URL("../../", import.meta.url);
const STATE = { version: null, shell: false, runtime: false, update: false, failed: null };
const QUIET_TIMEOUT = 20000;

function setState(changes) {
  Object.assign(STATE, changes);
  publish(TOPIC.offline, { ...STATE });
}
setState({});

function loaded() {
  return document.readyState === "complete" ? Promise.resolve() : new Promise((r) => addEventListener("load", r, { once: true }));
}

function idle() {
  return new Promise((r) => ("requestIdleCallback" in globalThis ? requestIdleCallback(() => r(), { timeout: 3000 }) : setTimeout(r, 500)));
}

/** The calculators' engine of this tab once it has started (or failed), else null: no calculator on this
 * page, or none settled within ``timeout`` ms. A subscription to the engine's topic, not a poll. */
function engineSettled(timeout) {
  if (!document.querySelector("[data-calculator]")) return Promise.resolve(null);
  return new Promise((resolve) => {
    let done = false;
    let unsubscribe = null;
    const finish = (rt) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (unsubscribe) unsubscribe();
      resolve(rt);
    };
    const timer = setTimeout(() => finish(null), timeout);
    unsubscribe = subscribe(TOPIC.engine, (rt) => { if (rt && rt.state !== "starting") finish(rt); });
    if (done) unsubscribe();
  });
}

async function quiet() {
  await loaded();
  if (document.querySelector("[data-calculator]")) await engineSettled(QUIET_TIMEOUT);
  await idle();
}

function ask(reg, message) {
  const sw = reg.active || reg.waiting || reg.installing;
  if (sw) sw.postMessage(message);
}

// ------------------------------------------------------------------------------ the notice

const TEXT = {
  zh: {
    say: "本手册有新版本。", reload: "刷新", close: "关闭", retry: "重试",
    quota_shell: "本手册的离线副本无法保存:浏览器为本站分配的存储空间已满。",
    quota_runtime: "计算器的离线副本(Python 计算引擎)无法保存:浏览器为本站分配的存储空间已满。",
    quota_then: "联网时本手册和计算器照常可用,离线时则不能使用。释放浏览器的存储空间后请点“重试”。",
  },
  en: {
    say: "A newer version of this handbook is available.", reload: "Reload", close: "Close", retry: "Retry",
    quota_shell: "The handbook's offline copy could not be saved: the browser's storage for this site is full.",
    quota_runtime: "The calculators' offline copy (the Python engine) could not be saved: the browser's storage for this site is full.",
    quota_then: "The handbook and its calculators work as usual while you are connected, but not offline. Free some browser storage, then Retry.",
  },
};

function span(lang, text) {
  const el = document.createElement("span");
  el.lang = lang;
  el.textContent = text;
  return el;
}

function both(key, sep = " ") {
  const first = document.documentElement.lang && document.documentElement.lang.startsWith("en") ? "en" : "zh";
  const second = first === "en" ? "zh" : "en";
  const frag = document.createDocumentFragment();
  frag.append(span(first, TEXT[first][key]), sep, span(second, TEXT[second][key]));
  return frag;
}

/** A notice box (offline.css, loaded when the first is shown), with its text and a close button. */
function noticeBox(className, text) {
  if (!document.querySelector("link[data-hb-offline-css]")) {
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = new URL("offline.css", import.meta.url).href;
    css.setAttribute("data-hb-offline-css", "");
    document.head.append(css);
  }
  const box = document.createElement("div");
  box.className = `hb-update ${className}`;
  box.setAttribute("role", "status");
  const close = document.createElement("button");
  close.type = "button";
  close.className = "hb-update__close";
  close.setAttribute("aria-label", `${TEXT.zh.close} / ${TEXT.en.close}`);
  close.textContent = "×";
  close.addEventListener("click", () => box.remove());
  box.append(text, close);
  return box;
}

/** The offline copy could not be saved, storage being full: said once per group and page. */
function showStorageFull(reg, group, detail) {
  setState({ failed: { group, reason: "quota", detail } });
  if (document.querySelector(`[data-hb-storage-full="${group}"]`)) return;
  const text = document.createElement("p");
  text.className = "hb-update__text";
  const first = document.documentElement.lang && document.documentElement.lang.startsWith("en") ? "en" : "zh";
  for (const lang of first === "en" ? ["en", "zh"] : ["zh", "en"]) {
    const p = document.createElement("span");
    p.lang = lang;
    p.className = "hb-update__line";
    p.append(TEXT[lang][`quota_${group}`] || TEXT[lang].quota_shell, " ", TEXT[lang].quota_then);
    text.append(p, " ");
  }
  const box = noticeBox("hb-storage-full", text);
  box.setAttribute("data-hb-storage-full", group);
  // Retry: the runtime is asked for again (a new failure shows a new notice); the handbook's copy is
  // a new install of the service worker, which a reload of the page starts.
  const retry = document.createElement("button");
  retry.type = "button";
  retry.className = "hb-update__reload";
  retry.setAttribute("data-hb-storage-retry", "");
  retry.append(both("retry", " / "));
  retry.addEventListener("click", () => {
    box.remove();
    setState({ failed: null });
    if (group === "runtime") ask(reg, { type: OFFLINE_MESSAGES.cacheRuntime });
    else location.reload();
  });
  box.insertBefore(retry, box.lastChild);
  box.title = detail || "";
  document.body.append(box);
}

function showNotice(reg) {
  setState({ update: true });
  if (document.querySelector(".hb-update:not(.hb-storage-full)")) return;
  const text = document.createElement("p");
  text.className = "hb-update__text";
  text.append(both("say"));
  const reload = document.createElement("button");
  reload.type = "button";
  reload.className = "hb-update__reload";
  reload.setAttribute("data-hb-update-reload", "");
  reload.append(both("reload", " / "));
  const box = noticeBox("hb-new-version", text);
  box.insertBefore(reload, box.lastChild);
  reload.addEventListener("click", () => {
    reload.disabled = true;
    let done = false;
    const go = () => { if (!done) { done = true; location.reload(); } };
    navigator.serviceWorker.addEventListener("controllerchange", go, { once: true });
    if (reg.waiting) reg.waiting.postMessage({ type: OFFLINE_MESSAGES.skipWaiting });
    else go();
    setTimeout(go, 5000);
  });
  document.body.append(box);
}

function watchUpdates(reg) {
  const check = () => {
    if (reg.waiting && navigator.serviceWorker.controller) showNotice(reg);
  };
  check();
  reg.addEventListener("updatefound", () => {
    const sw = reg.installing;
    if (sw) sw.addEventListener("statechange", () => sw.state === "installed" && check());
  });
}

// ------------------------------------------------------------------------------ main

let runtimeAsked = false;

async function cacheRuntimeWhenReady(reg) {
  if (STATE.runtime || runtimeAsked) return;
  const rt = await engineSettled(120000);
  if (!rt || rt.state !== "ready" || runtimeAsked) return;
  runtimeAsked = true;
  await navigator.serviceWorker.ready;
  ask(reg, { type: OFFLINE_MESSAGES.cacheRuntime });
}

async function main() {
  if (!("serviceWorker" in navigator) || !globalThis.isSecureContext) return;
  await quiet();
  let reg;
  try {
    reg = await navigator.serviceWorker.register(new URL("sw.js", ROOT).href, { scope: ROOT.href });
  } catch {
    reg = null;
  }
  // Not allowed here (blocked by the browser or an automation tool, which may also answer with
  // nothing): the site works online as before.
  if (!reg || typeof reg !== "object") return;
  navigator.serviceWorker.addEventListener("message", (ev) => {
    const msg = ev.data || {};
    if (msg.type === OFFLINE_MESSAGES.statusReply) {
      setState({ version: msg.version, shell: msg.shell, runtime: msg.runtime });
    } else if (msg.type === OFFLINE_MESSAGES.cached) {
      ask(reg, { type: OFFLINE_MESSAGES.status });
    } else if (msg.type === OFFLINE_MESSAGES.failed) {
      if (msg.reason === "quota") showStorageFull(reg, msg.group, msg.detail);
      else setState({ failed: { group: msg.group, reason: msg.reason, detail: msg.detail } });
      ask(reg, { type: OFFLINE_MESSAGES.status });
    }
  });
  watchUpdates(reg);
  if (reg.active) ask(reg, { type: OFFLINE_MESSAGES.status });
  // Instant navigation: a calculator page opened later in this tab is noticed too.
  const onPage = () => { if (document.querySelector("[data-calculator]")) cacheRuntimeWhenReady(reg).catch(() => {}); };
  onPage();
  if (globalThis.document$ && typeof globalThis.document$.subscribe === "function") globalThis.document$.subscribe(onPage);
}

main().catch(() => {}); // offline use is an extra: it never breaks the page
