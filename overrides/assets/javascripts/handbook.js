/* Handbook page behaviour: clause copy-links, a language switch that keeps your place, print footer.
   Initialised through Material's document$ so that it runs after every instant navigation; every step
   is idempotent. */
(function () {
  "use strict";
  var LANG = function () {
    var m = document.querySelector('meta[name="handbook-lang"]');
    return m ? m.content : "zh";
  };
  var T = function (zh, en) { return LANG() === "en" ? en : zh; };

  function clauseUrl(id) {
    return location.origin + location.pathname + "#" + encodeURIComponent(id).replace(/%2E/g, ".");
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "hb-copy-buffer"; // hidden by the stylesheet (no style attribute: the CSP)
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy") ? resolve() : reject(new Error("copy failed")); }
      catch (e) { reject(e); }
      finally { document.body.removeChild(area); }
    });
  }

  /* How a clause is called in a button's name: its heading, else its number and first words. */
  function clauseName(el) {
    var text = "";
    var heading = /^H[1-6]$/.test(el.tagName) ? el : null;
    if (heading) {
      text = Array.prototype.filter.call(heading.childNodes, function (n) {
        return !(n.nodeType === 1 && (n.classList.contains("headerlink") || n.classList.contains("hb-copy")));
      }).map(function (n) { return n.textContent; }).join("");
    } else {
      var num = el.querySelector(".hb-num, .hb-compare__num");
      var body = el.querySelector(".hb-compare__" + LANG() + " p") || el.querySelector(".hb-clause__text p, p");
      text = (num ? num.textContent.trim() + " " : "") + (body ? body.textContent.trim().slice(0, 24) : "");
    }
    text = text.replace(/\s+/g, " ").trim();
    return text || el.getAttribute("data-clause");
  }

  function addCopyLinks(root) {
    root.querySelectorAll("[data-clause]").forEach(function (el) {
      if (el.querySelector(":scope > .hb-copy")) return;
      var id = el.getAttribute("data-clause");
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "hb-copy";
      btn.setAttribute("data-copy-for", id);
      btn.title = T("复制本条链接", "Copy a link to this clause");
      // The accessible name starts with the visible text (speech input: "click Copy link"), then says
      // which clause, in a visually hidden span.
      var label = document.createElement("span");
      label.className = "hb-copy__label";
      label.textContent = T("复制链接", "Copy link");
      var which = document.createElement("span");
      which.className = "hb-sr";
      which.textContent = " " + T("本条", "to") + " " + clauseName(el);
      btn.appendChild(label);
      if (!/^H[1-6]$/.test(el.tagName)) btn.appendChild(which); // in a heading, the heading says which
      btn.addEventListener("click", function (ev) {
        ev.preventDefault();
        var url = clauseUrl(id);
        history.replaceState(history.state, "", "#" + id);
        copyText(url).then(function () {
          label.textContent = T("已复制", "Copied");
        }, function () {
          label.textContent = T("链接已放入地址栏", "Link is in the address bar");
        });
        btn.setAttribute("data-copied", url);
        setTimeout(function () { label.textContent = T("复制链接", "Copy link"); }, 2000);
      });
      el.appendChild(btn);
    });
  }

  /* The clause the reader is looking at: the target if any, else the first clause in view. */
  function currentClause() {
    if (location.hash.length > 1) return decodeURIComponent(location.hash.slice(1));
    var clauses = document.querySelectorAll("[data-clause]");
    for (var i = 0; i < clauses.length; i++) {
      var rect = clauses[i].getBoundingClientRect();
      if (rect.bottom > 80) return i === 0 && window.scrollY < 40 ? "" : clauses[i].getAttribute("data-clause");
    }
    return "";
  }

  document.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest("a.hb-lang-switch");
    if (!link) return;
    var id = currentClause();
    if (id) {
      ev.preventDefault();
      location.href = link.href.split("#")[0] + "#" + id;
    }
  }, true);

  function init() {
    addCopyLinks(document);
    var url = document.querySelector(".hb-printfoot__url");
    if (url) url.textContent = location.href.split("#")[0];
    var date = document.querySelector(".hb-printfoot__date");
    if (date) date.textContent = new Date().toISOString().slice(0, 10);
  }

  if (typeof document$ !== "undefined") document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
