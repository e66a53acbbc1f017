/* Calculator loader, on every page. It does nothing unless the page has a [data-calculator]
   element; only then does it import the calculator front-end (which starts the Pyodide worker).
   Runs through Material's document$ so that it also runs after instant navigation; idempotent. */
(function () {
  "use strict";
  if (window.__handbookCalcLoader) return;
  window.__handbookCalcLoader = true;

  var loading = null;

  function fail(el, err) {
    var box = el.querySelector("[data-calc-failure]");
    if (box) {
      box.hidden = false;
      var detail = box.querySelector("[data-calc-failure-detail]");
      if (detail) detail.textContent = String((err && err.message) || err || "");
    }
    el.setAttribute("data-calc-state", "failed");
  }

  function boot() {
    var el = document.querySelector("[data-calculator]");
    if (!el) return;
    var src = el.getAttribute("data-calc-module");
    if (!src) return;
    var url = new URL(src, location.href).href;
    if (!loading) {
      try {
        // Kept out of the parser's sight so that a browser without dynamic import() still runs
        // this file and can show the failure message.
        loading = new Function("u", "return import(u)")(url);
      } catch (err) {
        loading = Promise.reject(err);
      }
    }
    loading.then(
      function (mod) { mod.mountAll(document); },
      function (err) {
        loading = null;
        fail(el, err);
      }
    );
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(boot);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot);
  } else {
    boot();
  }
})();
