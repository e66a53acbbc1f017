/* Calculator loader, on every page. It does nothing unless the page has a [data-calculator]
   element; only then does it load the calculator front end the page names (data-calc-module: a
   module in the build's hashed folder, assets/calc/<hash>/calc-ui.js), which starts the Pyodide
   worker. Runs through Material's document$ so that it also runs after instant navigation;
   idempotent (run twice, it loads each module once). A front end, once run, binds the pages that
   name it itself, after every instant navigation, and marks each calculator it binds
   (data-calc-mounted), so a page is driven by its own build's modules only.

   A front end that cannot be loaded (a failed download), cannot be parsed or whose imports do not
   match (a half-updated cache, a proxy serving a mix of versions) never binds the page: the page
   then says so at once, in both languages, with a Retry button. No eval: the site's
   Content-Security-Policy allows none. */
(function () {
  "use strict";

  var TEXT = {
    failed: [
      "计算器的脚本无法载入或无法运行(网络可能中断,网站可能正在更新,或文件已损坏),因此无法计算新的输入。请重试;若仍然失败,可按条文自行计算,或使用命令行 python -m calculators。",
      "The calculator's script could not be loaded or run (the connection may have dropped, the site may be being updated, or a file is damaged), so new inputs cannot be computed. Retry; if it still fails, work from the clauses or use the command line python -m calculators.",
    ],
    unsupported: [
      "此浏览器不支持 JavaScript 模块,无法运行计算器。请使用新版浏览器(如新版 Chrome、Edge、Firefox)。",
      "This browser does not support JavaScript modules, so the calculator cannot run. Use a recent browser (a current Chrome, Edge or Firefox).",
    ],
    status: ["计算器的脚本无法载入。", "The calculator's script could not be loaded."],
    retry: ["重试", "Retry"],
    example: [
      function (total) {
        return "示例输入的结果(构建时预先算好,不是你的输入):合计 " + total;
      },
      function (total) {
        return "The example's result (computed when the site was built, not from your inputs): total " + total;
      },
    ],
  };

  /** The example's total, as the page was built with it ("1333.00 元"), or "". */
  function exampleTotal(el, lang) {
    try {
      var data = el.querySelector("[data-calc-initial]");
      var initial = JSON.parse(data.getAttribute("data-calc-initial"));
      var result = JSON.parse(initial.output).result;
      var unit = (result.unit_label && result.unit_label[lang]) || "";
      return result.total_text ? result.total_text + (unit ? " " + unit : "") : "";
    } catch (e) {
      return "";
    }
  }
  var loading = {}; // module URL -> true while its script loads
  var loaded = {}; // module URL -> true once it has run (it binds its pages itself from then on)
  var failed = {}; // module URL -> why it could not be had (this document will not get it either)

  /** The page's calculator root if it names the module ``url``, else null. */
  function rootOf(url) {
    var root = document.querySelector("[data-calculator]");
    return root && new URL(root.getAttribute("data-calc-module") || "", location.href).href === url ? root : null;
  }

  function fail(el, lead, detail) {
    var zhPage = el.getAttribute("data-lang") !== "en";
    var box = el.querySelector("[data-calc-failure]");
    if (box) {
      var zh = box.querySelector("p[lang=zh]");
      var en = box.querySelector("p[lang=en]");
      if (zh) zh.textContent = lead[0];
      if (en) en.textContent = lead[1];
      var d = box.querySelector("[data-calc-failure-detail]");
      if (d) d.textContent = detail;
      // The result the page was built with stays in view, marked as the example's.
      var zhTotal = exampleTotal(el, "zh");
      if (zhTotal && !box.querySelector(".calc-failure__example")) {
        var ex = document.createElement("p");
        ex.className = "calc-failure__example";
        var exZh = document.createElement("span");
        exZh.lang = "zh";
        exZh.textContent = TEXT.example[0](zhTotal);
        var exEn = document.createElement("span");
        exEn.lang = "en";
        exEn.textContent = " " + TEXT.example[1](exampleTotal(el, "en"));
        ex.appendChild(exZh);
        ex.appendChild(exEn);
        box.appendChild(ex);
      }
      var retry = box.querySelector("[data-calc-retry]");
      if (!retry) {
        retry = document.createElement("button");
        retry.type = "button";
        retry.className = "md-button calc-retry";
        retry.setAttribute("data-calc-retry", "");
        retry.textContent = zhPage ? TEXT.retry[0] : TEXT.retry[1];
        box.appendChild(retry);
      }
      if (!retry.__reloads) {
        retry.__reloads = true; // the page again: its modules are fetched anew
        retry.addEventListener("click", function () {
          location.reload();
        });
      }
      box.hidden = false;
    }
    var status = el.querySelector("[data-calc-status]");
    if (status) {
      status.setAttribute("data-stage", "failed");
      var text = status.querySelector("[data-calc-status-text]");
      if (text) text.textContent = zhPage ? TEXT.status[0] : TEXT.status[1];
    }
    el.setAttribute("data-calc-state", "failed");
  }

  function boot() {
    var el = document.querySelector("[data-calculator]");
    if (!el) return;
    var src = el.getAttribute("data-calc-module");
    if (!src) return;
    var url = new URL(src, location.href).href;
    if (loaded[url]) return; // the module binds this page itself (document$)
    if (failed[url]) {
      fail(el, TEXT.failed, failed[url]);
      return;
    }
    if (loading[url]) return; // the module mounts the page itself once it has loaded
    if (!("noModule" in HTMLScriptElement.prototype)) {
      fail(el, TEXT.unsupported, "");
      return;
    }
    loading[url] = true;
    var script = document.createElement("script");
    script.type = "module";
    script.src = url;
    // A module that failed to download fires "error"; one that could not be parsed or linked
    // (an import it names is not there) fires "load" without having run: either way it has not
    // bound the page. (A module that has run binds the page before its "load" event.)
    var settled = function (why) {
      delete loading[url];
      var root = rootOf(url);
      if (!root) return; // another page by now: it loads the module again if it names it
      if (root.hasAttribute("data-calc-mounted")) {
        loaded[url] = true;
        return;
      }
      failed[url] = why + ": " + url;
      fail(root, TEXT.failed, failed[url]);
    };
    script.onerror = function () {
      settled("not loaded");
    };
    script.onload = function () {
      settled("loaded but not run (a syntax error, or an import that does not match)");
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
