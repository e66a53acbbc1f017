// The page's side of the handbook's search: tells the search worker (worker.js) that the reader is
// about to search, so that it fetches and builds the index while the first query is being typed.
//
// Material starts the search worker when a page loads and sends it the first query only once the
// reader has typed something; the worker fetches the index only when it is needed (the first query, or
// this message), so a page that is only read fetches none of it. "About to search" is: the search box
// gets the focus (a click on it or on the search icon, the s, f and / keys, Tab, a ?q= link) or the
// search toggle opens. The message is the handbook's own (PREPARE); Material's are kept as they are;
// every message is declared in protocol.js, which this script imports (import(): a classic script). Material does not hand out its worker, so this classic script, loaded just before
// Material's bundle (the scripts block in overrides/main.html), notes the one worker created for the
// config's search URL and then puts the browser's Worker back untouched.
//
// It also: runs the search on every `input` event (paste, an input method's commit, dictation: Material
// listens to key-ups only), and shows, above the results, the worker's "showing results for" when it
// corrected a typing slip, with a link to search the query as typed (reached with the arrow keys like
// the results; announced by a polite live region).
"use strict";

(() => {
  // imported once the reader is about to search: a page that is only read fetches no search code
  const scriptSrc = document.currentScript.src;
  let protocolP = null;
  const protocol = () => (protocolP ||= import(new URL("protocol.js", scriptSrc).href));
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
    if (worker) protocol().then((p) => worker.postMessage(p.prepare()));
  };

  window.Worker = new Proxy(Native, {
    construct(target, args) {
      const created = Reflect.construct(target, args);
      if (!worker && new URL(String(args[0]), document.baseURI).href === url) {
        worker = created;
        window.Worker = Native;
        listen();
        if (wanted) prepare();
      }
      return created;
    },
  });
  // Material creates its worker while its bundle runs; should it not, leave Worker as it was anyway
  document.addEventListener("DOMContentLoaded", () => { window.Worker = Native; }, { once: true });

  // Material reads the box on keyup: text that arrives without a key (paste, IME commit) is searched too
  document.addEventListener("input", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.matches("input.md-search__input") && !event.isComposing) {
      event.target.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    }
  });

  const lang = (document.documentElement.lang || "zh").startsWith("zh") ? "zh" : "en";
  const SAY = lang === "zh"
    ? { showing: (w) => `已按“${w}”搜索。`, typed: (w) => `仍按“${w}”搜索`, asTyped: (w) => `已按输入的“${w}”搜索。` }
    : { showing: (w) => `Showing results for “${w}”.`, typed: (w) => `Search for “${w}” as typed`, asTyped: (w) => `Showing results for “${w}” as typed.` };
  let notice = null;
  const noticeEl = () => {
    const result = document.querySelector(".md-search-result");
    if (!result) return null;
    if (!notice || !result.contains(notice)) {
      notice = document.createElement("div");
      notice.className = "hb-search-notice";
      notice.setAttribute("role", "status"); // a polite live region: read out when it changes
      const meta = result.querySelector(".md-search-result__meta");
      if (meta) meta.after(notice);
      else result.prepend(notice);
    }
    return notice;
  };
  const show = (info) => {
    const el = noticeEl();
    if (!el) return;
    el.replaceChildren();
    if (!info || !info.typed || info.typed.trim() === "") return;
    if (info.changes && info.changes.length) {
      const text = document.createElement("span");
      text.textContent = SAY.showing(info.searched) + " ";
      const link = document.createElement("a");
      link.className = "hb-search-typed";
      link.href = `?q=${encodeURIComponent(info.typed)}`;
      // the arrow keys reach [href]s in the results; Material's Enter in the box opens the highest
      // data-md-score, which this never is
      const label = document.createElement("span");
      label.dataset.mdScore = "-1";
      label.textContent = SAY.typed(info.typed);
      link.append(label);
      link.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation(); // Material closes the search on a click on a link
        asTyped = info.typed;
        protocol().then((p) => worker.postMessage(p.asTyped(info.typed)));
        const box = document.querySelector("input.md-search__input");
        if (box) box.focus();
      });
      el.append(text, link);
    } else if (asTyped === info.typed) {
      el.textContent = SAY.asTyped(info.typed);
    }
  };
  let asTyped = null;
  const listen = () => worker.addEventListener("message", (event) => {
    if (!wanted) return; // results come only after the reader has begun to search (prepare)
    protocol().then(({ MSG, typeOf }) => {
      if (typeOf(event.data) === MSG.RESULT && event.data.data) show(event.data.data.handbook);
    });
  });

  document.addEventListener("focusin", (event) => {
    if (event.target instanceof Element && event.target.matches("input.md-search__input")) prepare();
  });
  document.addEventListener("change", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.id === "__search" && event.target.checked) prepare();
  });
})();
