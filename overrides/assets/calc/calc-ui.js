// Front end of the calculator pages (an ES module, no bundler): loaded by the calculator
// fragment itself and by calc-loader.js, only on calculator pages.
// Modules, one job each:
//   contract.js   the data-* names the page and the scripts share (one declaration)
//   values.js     pure helpers: numbers as typed, paths, canonical form
//   fragment.js   the share link (#input=…), checked before anything is built from it
//   protocol.js   the messages between the page and the worker (imported by both)
//   boot.js       Python's start-up steps (worker and build-time snapshot)
//   runtime.js    the connection to the engine's worker, with start-up failure detection
//   form.js       the form <-> the contract input; messages at the fields
//   render.js     the one result renderer, for the screen and the printed worksheet
//   state.js      the page's state machine
//   coordinator.js  one calculator: form + engine + views
//   messages.js   the scripts' own sentences in both languages

import { ATTR } from "./contract.js";
import { Calculator } from "./coordinator.js";

const live = new Set();
const SELF = import.meta.url;

/** A calculator root this build's front end drives: the page names this very module (a page of
 * another build, reached by instant navigation after a deploy, names its own hashed folder). */
function mine(el) {
  const src = el.getAttribute(ATTR.module);
  try {
    return !src || new URL(src, location.href).href === SELF;
  } catch (e) {
    return false;
  }
}

/** Bind every calculator of the page (idempotent; called after each instant navigation). */
export function mountAll(doc = document) {
  performance.mark("calc:mount-start");
  try {
    for (const c of Array.from(live)) {
      if (!c.el.isConnected) {
        c.destroy();
        live.delete(c);
      }
    }
    const out = [];
    for (const el of doc.querySelectorAll(`[${ATTR.root}]`)) {
      if (!mine(el)) continue;
      if (!el.__calc) {
        el.__calc = new Calculator(el);
        live.add(el.__calc);
        el.setAttribute(ATTR.mounted, ""); // calc-loader.js: this page's front end has run
      }
      out.push(el.__calc);
    }
    return out;
  } finally {
    // Visible in the benchmark: this page's own main-thread work.
    performance.measure("calc:mount", "calc:mount-start");
  }
}

export default mountAll;

// This page, then every page Material's instant navigation brings (its document$, once its bundle
// has run: this module may run first, imported by the page's fragment while the page is parsed).
// A page of another build is left to its own build's front end (mine()).
function followNavigation() {
  const document$ = globalThis.document$;
  if (document$ && typeof document$.subscribe === "function") document$.subscribe(() => mountAll(document));
}
mountAll(document);
if (globalThis.document$ || document.readyState !== "loading") followNavigation();
else document.addEventListener("DOMContentLoaded", followNavigation, { once: true });
