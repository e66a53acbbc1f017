// The page's side of the handbook's search: tells the search worker (worker.js) that the reader is
// about to search, so that it fetches and builds the index while the first query is being typed.
//
// Material starts the search worker when a page loads and sends it the first query only once the
// reader has typed something; the worker fetches the index only when it is needed (the first query, or
// this message), so a page that is only read fetches none of it. "About to search" is: the search box
// gets the focus (a click on it or on the search icon, the s, f and / keys, Tab, a ?q= link) or the
// search toggle opens. The message is the handbook's own ("handbook:prepare"); Material's are kept as
// they are. Material does not hand out its worker, so this classic script, loaded just before
// Material's bundle (the scripts block in overrides/main.html), notes the one worker created for the
// config's search URL and then puts the browser's Worker back untouched.
"use strict";

(() => {
  const PREPARE = { type: "handbook:prepare" };
  const Native = window.Worker;
  let url;
  try {
    url = new URL(JSON.parse(document.getElementById("__config").textContent).search, document.baseURI).href;
  } catch {
    return; // no search on this page
  }
  if (typeof Native !== "function") return;

  let worker = null;
  let wanted = false;
  const prepare = () => {
    wanted = true;
    if (worker) worker.postMessage(PREPARE);
  };

  window.Worker = new Proxy(Native, {
    construct(target, args) {
      const created = Reflect.construct(target, args);
      if (!worker && new URL(String(args[0]), document.baseURI).href === url) {
        worker = created;
        window.Worker = Native;
        if (wanted) prepare();
      }
      return created;
    },
  });
  // Material creates its worker while its bundle runs; should it not, leave Worker as it was anyway
  document.addEventListener("DOMContentLoaded", () => { window.Worker = Native; }, { once: true });

  document.addEventListener("focusin", (event) => {
    if (event.target instanceof Element && event.target.matches("input.md-search__input")) prepare();
  });
  document.addEventListener("change", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.id === "__search" && event.target.checked) prepare();
  });
})();
