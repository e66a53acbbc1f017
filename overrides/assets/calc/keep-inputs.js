// Keeps the reader's inputs in the address bar. One job: on a calculator page the URL's fragment is
// the inputs (#input=…, fragment.js), and Material's navigation.tracking rewrites the fragment as the
// page scrolls (history.replaceState with the anchor of the heading in view, or with none), which
// dropped them: a reload or a copied address then lost the reader's figures. While a calculator is
// on the page, a replaceState of this same page that would drop an #input= fragment keeps it; the
// calculator's own writes (an edit, Reset) go through write().

import { PREFIX } from "./fragment.js";

const original = history.replaceState; // as the page had it when this module was first loaded
let holders = 0; // calculators on the page (instant navigation may start the next before it ends the last)

function replaceState(state, unused, url) {
  if (url !== undefined && url !== null && location.hash.startsWith(PREFIX)) {
    const next = new URL(String(url), location.href);
    const here = new URL(location.href);
    if (next.pathname === here.pathname && next.search === here.search && !next.hash.startsWith(PREFIX)) {
      next.hash = here.hash;
      url = next.href;
    }
  }
  return original.call(history, state, unused, url);
}

/** Hold the inputs in the address bar until release(); write(url) is the calculator's own change. */
export function keepInputs() {
  if (holders++ === 0) history.replaceState = replaceState;
  let held = true;
  return {
    write: (url) => original.call(history, history.state, "", url),
    release() {
      if (!held) return;
      held = false;
      if (--holders === 0 && history.replaceState === replaceState) history.replaceState = original;
    },
  };
}
