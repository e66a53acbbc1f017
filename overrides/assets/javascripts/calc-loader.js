/* Calculator loader, on every page. It does nothing unless the page has a [data-calculator]
   element; only then does it load the calculator front-end (a module that starts the Pyodide
   worker). Runs through Material's document$ so that it also runs after instant navigation;
   idempotent. No eval: the site's Content-Security-Policy allows none. */
(function () {
  "use strict";
  if (window.__handbookCalcLoader) return;
  window.__handbookCalcLoader = true;

  var requested = false;

  function fail(message) {
    var el = document.querySelector("[data-calculator]");
    if (!el) return;
    var box = el.querySelector("[data-calc-failure]");
    if (box) {
      box.hidden = false;
      var detail = box.querySelector("[data-calc-failure-detail]");
      if (detail) detail.textContent = message;
    }
    var status = el.querySelector("[data-calc-status]");
    if (status) status.setAttribute("data-stage", "failed");
    el.setAttribute("data-calc-state", "failed");
  }

  function boot() {
    var el = document.querySelector("[data-calculator]");
    if (!el) return;
    if (typeof window.__handbookCalcMount === "function") {
      window.__handbookCalcMount(document);
      return;
    }
    if (requested) return; // the module mounts the page itself once it has loaded
    var src = el.getAttribute("data-calc-module");
    if (!src) return;
    if (!("noModule" in HTMLScriptElement.prototype)) {
      fail("This browser does not support JavaScript modules.");
      return;
    }
    requested = true;
    var script = document.createElement("script");
    script.type = "module";
    script.src = new URL(src, location.href).href;
    script.onerror = function () {
      requested = false;
      fail("The calculator script could not be loaded: " + script.src);
    };
    document.head.appendChild(script);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(boot);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot);
  } else {
    boot();
  }
})();
