/* New-hire training: the reading path, the quizzes and the mixed exam (handbook/pages/training.py makes the pages).

   Progress lives in localStorage under one key, as versioned JSON shared by the Chinese and English
   sites (same origin):
     {"v": 1,
      "read":    {sectionId: "YYYY-MM-DD"},
      "quizzes": {quizId: {"attempts", "best": {right,total,pct,date}, "last": {...}, "passed": {...}|null}},
      "wrong":   {questionId: "YYYY-MM-DD"},         answered wrong and not yet right since
      "rounds":  {quizId: {"order": [ids], "answers": {id: {"given", "ok"}}, "done": bool, "started"}},
      "name":    "the reader's name, for the printed record"}
   quizId is "part:<part id>" or "exam".

   The pages are loaded by Material's instant navigation, which re-inserts this script on every page
   that carries it: the first run subscribes to document$ and every later run returns at once; init()
   is idempotent (each root remembers that its listeners are bound). Question text is in the page,
   escaped at build time; this script only shows, hides and moves it and writes plain text. */
(function () {
  "use strict";
  if (window.HandbookTraining) return;

  var KEY = "handbook.training";
  var VERSION = 1;
  var memory = null; // used when localStorage is not available
  var storageOk = true;

  function lang() {
    var m = document.querySelector('meta[name="handbook-lang"]');
    return m ? m.content : (document.documentElement.lang === "en" ? "en" : "zh");
  }
  function T(zh, en) { return lang() === "en" ? en : zh; }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  function obj(x) { return x && typeof x === "object" && !Array.isArray(x) ? x : {}; }

  /* ------------------------------------------------------------------ storage */
  /* Read and written through progress-store.js, which validates what it reads. Under instant navigation
     the two scripts may run in either order: boot() below waits for the store. */
  var Store = null;
  function empty() { return Store.empty(); }

  function load() {
    if (storageOk) {
      var got = Store.read();
      if (got.ok) return got.state;
      storageOk = false;
    }
    return memory ? Store.sanitize(JSON.parse(JSON.stringify(memory))).state : empty();
  }

  function save(s) {
    if (storageOk && Store.write(s)) return;
    storageOk = false;
    memory = JSON.parse(JSON.stringify(s));
  }

  function update(fn) { var s = load(); var out = fn(s); save(s); return out === undefined ? s : out; }

  function showStorageWarning(root) {
    var w = root.querySelector("[data-storage-warning]");
    if (w) w.hidden = storageOk;
  }

  /* ------------------------------------------------------------------ the reading path */
  function pathSteps(root) {
    return Array.prototype.map.call(root.querySelectorAll(".tr-steps [data-step]"), function (el) {
      var title = el.querySelector("[data-step-title]");
      return { el: el, kind: el.getAttribute("data-step"), id: el.getAttribute("data-id"),
               title: title ? title.textContent : "", href: title ? title.getAttribute("href") : "#" };
    });
  }

  function stepDone(s, step) {
    if (step.kind === "section") return !!s.read[step.id];
    var q = s.quizzes[step.id];
    return !!(q && q.passed);
  }

  function markLabel(btn, read) {
    btn.setAttribute("data-state", read ? "read" : "unread");
    btn.textContent = read ? T("✓ 已读(撤销)", "✓ Read (undo)") : T("标记为已读", "Mark as read");
    btn.setAttribute("aria-label", read ? T("已读,点击撤销", "Read; press to undo") : T("标记为已读", "Mark as read"));
  }

  function scoreText(r) { return r.right + "/" + r.total + " (" + r.pct + "%)"; }

  function quizStatus(q) {
    if (!q || !q.best) return T("未参加", "Not taken");
    var text = T("最好成绩 ", "Best score ") + scoreText(q.best);
    if (q.passed) text += T(" · 已通过 ", " · passed on ") + q.passed.date;
    else text += T(" · 尚未通过", " · not passed yet");
    return text;
  }

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function renderPath(root) {
    var s = load();
    var steps = pathSteps(root);
    var done = 0, sectionsRead = 0, sections = 0, quizzes = 0, passed = 0, next = null;
    steps.forEach(function (step) {
      var ok = stepDone(s, step);
      if (ok) done++;
      else if (!next) next = step;
      step.el.classList.toggle("tr-step--done", ok);
      step.el.classList.toggle("tr-step--next", false);
      if (step.kind === "section") {
        sections++;
        if (ok) sectionsRead++;
        var btn = step.el.querySelector("[data-mark]");
        if (btn) markLabel(btn, ok);
        var date = step.el.querySelector("[data-read-date]");
        if (date) date.textContent = ok ? T("已读于 ", "read on ") + s.read[step.id] : "";
      } else {
        quizzes++;
        if (ok) passed++;
        var st = step.el.querySelector("[data-quiz-status]");
        if (st) st.textContent = quizStatus(s.quizzes[step.id]);
      }
    });
    if (next) next.el.classList.add("tr-step--next");

    var pct = steps.length ? Math.round(100 * done / steps.length) : 0;
    var bar = root.querySelector("[data-progress-bar]");
    if (bar) {
      bar.setAttribute("aria-valuenow", String(pct));
      bar.setAttribute("aria-valuetext", pct + "%");
    }
    var fill = root.querySelector("[data-progress-fill]");
    if (fill) fill.style.width = pct + "%";
    var text = root.querySelector("[data-progress-text]");
    if (text) {
      text.textContent = T("已完成 ", "Done: ") + done + " / " + steps.length + T(" 步", " steps") + " (" + pct + "%) · " +
        T("已读 ", "sections read ") + sectionsRead + " / " + sections + " · " +
        T("通过测验 ", "quizzes passed ") + passed + " / " + quizzes;
    }

    // the next step, always in view
    var bar2 = root.querySelector("[data-next-step]");
    if (bar2) {
      var link = bar2.querySelector("[data-next-link]");
      var label = bar2.querySelector("[data-next-label]");
      var doneMsg = bar2.querySelector("[data-next-done]");
      var mark = bar2.querySelector("[data-next-mark]");
      bar2.classList.toggle("tr-nextbar--done", !next);
      if (next) {
        link.hidden = false; doneMsg.hidden = true; label.hidden = false;
        link.textContent = next.title;
        link.setAttribute("href", next.href);
        label.textContent = next.kind === "section" ? T("下一步:阅读", "Next: read") + " " : T("下一步:参加", "Next: take the") + " ";
        if (next.kind === "section") {
          mark.hidden = false;
          mark.setAttribute("data-mark", next.id);
          markLabel(mark, false);
        } else {
          mark.hidden = true;
        }
      } else {
        link.hidden = true; label.hidden = true; mark.hidden = true; doneMsg.hidden = false;
      }
    }

    // the record
    var tbody = root.querySelector("[data-record-sections]");
    if (tbody) {
      tbody.textContent = "";
      steps.forEach(function (step) {
        if (step.kind !== "section" || !s.read[step.id]) return;
        var tr = document.createElement("tr");
        cell(tr, step.title);
        cell(tr, s.read[step.id]);
        tbody.appendChild(tr);
      });
      var emptyMsg = root.querySelector("[data-record-sections-empty]");
      if (emptyMsg) emptyMsg.hidden = sectionsRead > 0;
      var count = root.querySelector("[data-record-read-count]");
      if (count) count.textContent = String(sectionsRead);
    }
    var qbody = root.querySelector("[data-record-quizzes]");
    if (qbody) {
      qbody.textContent = "";
      steps.forEach(function (step) {
        if (step.kind !== "quiz") return;
        var q = s.quizzes[step.id];
        var tr = document.createElement("tr");
        tr.setAttribute("data-record-quiz", step.id);
        cell(tr, step.title);
        cell(tr, q && q.best ? scoreText(q.best) : T("未参加", "not taken"));
        cell(tr, q && q.passed ? scoreText(q.passed) + " · " + q.passed.date : "—");
        qbody.appendChild(tr);
      });
    }
    var name = root.querySelector("[data-name]");
    if (name && document.activeElement !== name) name.value = s.name || "";
    var printed = root.querySelector("[data-print-date]");
    if (printed) { printed.textContent = today(); printed.setAttribute("datetime", today()); }
    showStorageWarning(root);
  }

  function toggleRead(id) {
    return update(function (s) {
      if (s.read[id]) delete s.read[id];
      else s.read[id] = today();
      return !!s.read[id];
    });
  }

  function initPath(root) {
    if (!root.hasAttribute("data-tr-ready")) {
      root.setAttribute("data-tr-ready", "");
      root.addEventListener("click", function (ev) {
        var t = ev.target.closest ? ev.target : ev.target.parentElement;
        var mark = t.closest("[data-mark]");
        if (mark) {
          var fromBar = mark.hasAttribute("data-next-mark");
          toggleRead(mark.getAttribute("data-mark"));
          renderPath(root);
          if (fromBar) { // keep the keyboard on the bar: its button now marks the following section
            var b = root.querySelector("[data-next-mark]");
            if (b && !b.hidden) b.focus();
            else { var l = root.querySelector("[data-next-link]:not([hidden])"); if (l) l.focus(); }
          }
          return;
        }
        if (t.closest("[data-print]")) { renderPath(root); window.print(); return; }
        if (t.closest("[data-reset]")) {
          var dialog = root.querySelector("[data-reset-dialog]");
          if (dialog && typeof dialog.showModal === "function") dialog.showModal();
          else if (window.confirm(T("重置全部进度?此操作无法撤销。", "Reset all progress? This cannot be undone."))) resetAll(root);
        }
      });
      var dialog = root.querySelector("[data-reset-dialog]");
      if (dialog) {
        dialog.addEventListener("close", function () {
          if (dialog.returnValue === "reset") resetAll(root);
          dialog.returnValue = "";
          var b = root.querySelector("[data-reset]");
          if (b) b.focus();
        });
      }
      var name = root.querySelector("[data-name]");
      if (name) name.addEventListener("input", function () { update(function (s) { s.name = name.value; }); });
    }
    renderPath(root);
  }

  function resetAll(root) {
    save(empty());
    renderPath(root);
  }

  /* ------------------------------------------------------------------ quizzes */
  function shuffle(list) {
    var a = list.slice();
    for (var i = a.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var x = a[i]; a[i] = a[j]; a[j] = x;
    }
    return a;
  }

  function quizForms(root) {
    var out = {};
    Array.prototype.forEach.call(root.querySelectorAll("form[data-qid]"), function (f) { out[f.getAttribute("data-qid")] = f; });
    return out;
  }

  function quizIds(root) {
    return Array.prototype.map.call(root.querySelectorAll("form[data-qid]"), function (f) { return f.getAttribute("data-qid"); });
  }

  function drawSize(root, ids) {
    var n = parseInt(root.getAttribute("data-draw"), 10);
    return root.getAttribute("data-training") === "exam" && n > 0 ? Math.min(n, ids.length) : ids.length;
  }

  /* The next round: questions answered wrong (and not right since) first. */
  function newRound(root, s) {
    var ids = quizIds(root);
    var wrong = ids.filter(function (id) { return s.wrong[id]; });
    var rest = ids.filter(function (id) { return !s.wrong[id]; });
    var order;
    if (root.getAttribute("data-training") === "exam") order = shuffle(wrong).concat(shuffle(rest)).slice(0, drawSize(root, ids));
    else order = wrong.concat(rest);
    var round = { order: order, answers: {}, done: false, started: today() };
    s.rounds[root.getAttribute("data-quiz")] = round;
    return round;
  }

  /* The stored round, if it still fits the questions on the page (the bank may have changed). */
  function currentRound(root, s) {
    var round = s.rounds[root.getAttribute("data-quiz")];
    var ids = quizIds(root);
    if (!round || !Array.isArray(round.order) || !round.order.length) return null;
    var known = round.order.every(function (id) { return ids.indexOf(id) >= 0; });
    if (!known) return null;
    if (root.getAttribute("data-training") !== "exam" && round.order.length !== ids.length) return null;
    if (root.getAttribute("data-training") === "exam" && round.order.length !== drawSize(root, ids)) return null;
    round.answers = obj(round.answers);
    return round;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  /* The controls every question has, added here rather than repeated in the page. */
  function decorate(form) {
    if (form.querySelector("[data-check]")) return;
    var numeric = form.getAttribute("data-kind") === "numeric";
    var actions = el("p", { "class": "tr-q__actions" });
    actions.appendChild(el("button", { type: "submit", "class": "md-button md-button--primary tr-check", "data-check": "" },
                           T("提交答案", "Check answer")));
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(el("span", { "class": "tr-q__error", "data-error": "", role: "alert", hidden: "" },
                           numeric ? T("请输入一个数。", "Enter a number.") : T("请先作答。", "Answer first.")));
    var fieldset = form.querySelector("fieldset");
    fieldset.parentNode.insertBefore(actions, fieldset.nextSibling);
    var body = form.querySelector("[data-feedback-body]");
    var verdict = el("p", { "class": "tr-verdict" });
    verdict.appendChild(el("strong", { "class": "tr-verdict--right", "data-verdict-right": "", hidden: "" }, T("✓ 回答正确", "✓ Right")));
    verdict.appendChild(el("strong", { "class": "tr-verdict--wrong", "data-verdict-wrong": "", hidden: "" }, T("✗ 回答错误", "✗ Wrong")));
    if (numeric) {
      var given = el("span", { "class": "tr-given" }, T("你的答案:", "Your answer: "));
      given.appendChild(el("span", { "data-given": "" }));
      verdict.appendChild(document.createTextNode(" "));
      verdict.appendChild(given);
    }
    body.insertBefore(verdict, body.firstChild);
    var next = el("button", { type: "button", "class": "md-button", "data-next": "" });
    next.appendChild(el("span", { "data-next-question": "" }, T("下一题", "Next question")));
    next.appendChild(el("span", { "data-next-result": "", hidden: "" }, T("查看成绩", "See the score")));
    var p = el("p", { "class": "tr-next" });
    p.appendChild(next);
    body.appendChild(p);
  }

  function inputs(form) { return Array.prototype.slice.call(form.querySelectorAll("input")); }

  function readGiven(form) {
    var kind = form.getAttribute("data-kind");
    if (kind === "numeric") {
      var v = form.querySelector("[data-numeric]").value;
      return parseNumber(v) === null ? null : v.trim();
    }
    var chosen = inputs(form).filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
    if (!chosen.length) return null;
    return kind === "multiple" ? chosen.sort() : chosen[0];
  }

  function parseNumber(text) {
    if (typeof text !== "string") return null;
    var t = text.replace(/[\uFF10-\uFF19]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFF10 + 48); })
      .replace(/[\uFF0E\u3002]/g, ".").replace(/[,\uFF0C\s]/g, "").replace(/[\uFF0D\u2212]/g, "-");
    var m = t.match(/^[^0-9.\-]*(-?(?:\d+(?:\.\d*)?|\.\d+))[^0-9]*$/);
    if (!m) return null;
    var n = parseFloat(m[1]);
    return isFinite(n) ? n : null;
  }

  function isRight(form, given) {
    var kind = form.getAttribute("data-kind");
    var answer = form.getAttribute("data-answer");
    if (kind === "numeric") {
      var n = parseNumber(given), a = parseFloat(answer);
      return n !== null && Math.abs(n - a) < 0.005;
    }
    if (kind === "multiple") {
      var want = answer.split(",").sort();
      return Array.isArray(given) && given.length === want.length && given.every(function (g, i) { return g === want[i]; });
    }
    return given === answer;
  }

  function clearForm(form) {
    form.classList.remove("tr-q--answered", "tr-q--right", "tr-q--wrong", "tr-q--target");
    inputs(form).forEach(function (i) {
      i.disabled = false;
      if (i.type === "text") i.value = ""; else i.checked = false;
    });
    Array.prototype.forEach.call(form.querySelectorAll(".tr-choice"), function (li) {
      li.classList.remove("tr-choice--right", "tr-choice--wrong");
    });
    Array.prototype.forEach.call(form.querySelectorAll(".tr-mark"), function (m) { m.parentNode.removeChild(m); });
    form.querySelector("[data-feedback-body]").hidden = true;
    form.querySelector("[data-check]").hidden = false;
    form.querySelector("[data-error]").hidden = true;
  }

  function showAnswered(form, given, ok) {
    var kind = form.getAttribute("data-kind");
    var right = form.getAttribute("data-answer").split(",");
    var chosen = Array.isArray(given) ? given : [given];
    form.classList.add("tr-q--answered", ok ? "tr-q--right" : "tr-q--wrong");
    inputs(form).forEach(function (i) {
      if (kind === "numeric") i.value = given;
      else i.checked = chosen.indexOf(i.value) >= 0;
      i.disabled = true;
    });
    Array.prototype.forEach.call(form.querySelectorAll(".tr-choice"), function (li) {
      var id = li.getAttribute("data-choice");
      var isRightChoice = right.indexOf(id) >= 0, picked = chosen.indexOf(id) >= 0;
      li.classList.toggle("tr-choice--right", isRightChoice);
      li.classList.toggle("tr-choice--wrong", picked && !isRightChoice);
      var old = li.querySelector(".tr-mark");
      if (old) li.removeChild(old);
      if (isRightChoice) li.appendChild(el("span", { "class": "tr-mark tr-mark--right" }, T("✓ 正确答案", "✓ right answer")));
      else if (picked) li.appendChild(el("span", { "class": "tr-mark tr-mark--wrong" }, T("✗ 你的选择", "✗ your choice")));
    });
    var g = form.querySelector("[data-given]");
    if (g) g.textContent = String(given);
    form.querySelector("[data-verdict-right]").hidden = !ok;
    form.querySelector("[data-verdict-wrong]").hidden = ok;
    form.querySelector("[data-check]").hidden = true;
    form.querySelector("[data-error]").hidden = true;
    form.querySelector("[data-feedback-body]").hidden = false;
  }

  function applyRound(root, round) {
    var forms = quizForms(root);
    var list = root.querySelector("[data-questions]");
    var inRound = {};
    round.order.forEach(function (id, i) {
      var form = forms[id];
      var item = form.closest("[data-item]");
      list.appendChild(item); // in round order
      item.hidden = false;
      inRound[id] = true;
      form.querySelector("[data-q-num]").textContent = String(i + 1);
      decorate(form);
      clearForm(form);
      var a = round.answers[id];
      if (a) showAnswered(form, a.given, !!a.ok);
    });
    Object.keys(forms).forEach(function (id) {
      decorate(forms[id]);
      if (!inRound[id]) { var item = forms[id].closest("[data-item]"); item.hidden = true; list.appendChild(item); }
    });
    root.classList.add("tr-ready");
    renderScore(root, round);
  }

  function tally(round) {
    var answered = 0, right = 0;
    round.order.forEach(function (id) {
      var a = round.answers[id];
      if (a) { answered++; if (a.ok) right++; }
    });
    return { answered: answered, right: right, total: round.order.length };
  }

  function renderScore(root, round) {
    var t = tally(round);
    var pass = parseInt(root.getAttribute("data-pass"), 10) || 80;
    var set = function (sel, text) { var el = root.querySelector(sel); if (el) el.textContent = text; };
    set("[data-answered]", String(t.answered));
    set("[data-right]", String(t.right));
    set("[data-count]", String(t.total));
    var finished = t.total > 0 && t.answered === t.total;
    var result = root.querySelector("[data-result]");
    if (result) {
      result.hidden = !finished;
      if (finished) {
        var pct = Math.round(100 * t.right / t.total);
        set("[data-score]", String(t.right));
        set("[data-total]", String(t.total));
        set("[data-pct]", String(pct));
        root.querySelector("[data-result-pass]").hidden = pct < pass;
        root.querySelector("[data-result-fail]").hidden = pct >= pass;
        result.classList.toggle("tr-result--pass", pct >= pass);
        result.classList.toggle("tr-result--fail", pct < pass);
      }
    }
    var restart = root.querySelector("[data-restart]");
    var asking = root.querySelector("[data-restart-confirm]:not([hidden])");
    if (restart) restart.hidden = finished || !!asking; // the result has its own "new round"
    // the "next" buttons: the last unanswered question leads to the score
    var left = t.total - t.answered;
    Array.prototype.forEach.call(root.querySelectorAll("[data-next]"), function (b) {
      b.querySelector("[data-next-question]").hidden = left === 0;
      b.querySelector("[data-next-result]").hidden = left !== 0;
    });
    var status = root.querySelector("[data-status]");
    if (status) status.textContent = quizStatus(load().quizzes[root.getAttribute("data-quiz")]);
    showStorageWarning(root);
  }

  function recordResult(s, quizId, t, pass) {
    var pct = Math.round(100 * t.right / t.total);
    var r = { right: t.right, total: t.total, pct: pct, date: today() };
    var q = obj(s.quizzes[quizId]);
    q.attempts = (q.attempts || 0) + 1;
    q.last = r;
    if (!q.best || pct > q.best.pct) q.best = r;
    if (pct >= pass && (!q.passed || pct >= q.passed.pct)) q.passed = r;
    s.quizzes[quizId] = q;
  }

  function focusFirstInput(form) {
    var first = form.querySelector("input:not([disabled])");
    if (!first) form.setAttribute("tabindex", "-1"); // answered: focus the question itself
    (first || form).focus({ preventScroll: true });
    form.scrollIntoView({ block: "start", behavior: "auto" });
  }

  function nextUnanswered(root, round, after) {
    var start = round.order.indexOf(after);
    for (var k = 1; k <= round.order.length; k++) {
      var id = round.order[(start + k) % round.order.length];
      if (!round.answers[id]) return id;
    }
    return null;
  }

  function check(root, form) {
    var id = form.getAttribute("data-qid");
    var given = readGiven(form);
    if (given === null) {
      form.querySelector("[data-error]").hidden = false;
      var first = form.querySelector("input:not([disabled])");
      if (first) first.focus();
      return;
    }
    var ok = isRight(form, given);
    var quizId = root.getAttribute("data-quiz");
    var pass = parseInt(root.getAttribute("data-pass"), 10) || 80;
    var round = update(function (s) {
      var r = currentRound(root, s);
      if (!r || r.order.indexOf(id) < 0) return null;
      if (!r.answers[id]) {
        r.answers[id] = { given: given, ok: ok };
        if (ok) delete s.wrong[id]; else s.wrong[id] = today();
        var t = tally(r);
        if (t.answered === t.total && !r.done) { r.done = true; recordResult(s, quizId, t, pass); }
      }
      return r;
    });
    if (!round) { initQuiz(root); return; } // the stored round changed under us (another tab): redraw
    var a = round.answers[id];
    showAnswered(form, a.given, !!a.ok);
    renderScore(root, round);
    form.querySelector("[data-next]").focus();
  }

  /* "Restart this round" wipes the answers given: it asks first, inline (no native dialog), and the
     keyboard focus goes to the question; Escape or "Keep my answers" goes back. */
  function askRestart(root, button, answered) {
    var box = root.querySelector("[data-restart-confirm]");
    if (!box) {
      box = document.createElement("span");
      box.className = "tr-restart-confirm";
      box.setAttribute("data-restart-confirm", "");
      box.setAttribute("role", "group");
      var q = document.createElement("span");
      q.className = "tr-restart-confirm__q";
      q.id = "tr-restart-q-" + Math.random().toString(36).slice(2);
      q.setAttribute("tabindex", "-1");
      box.setAttribute("aria-labelledby", q.id);
      var yes = document.createElement("button");
      yes.type = "button";
      yes.className = "tr-scorebar__restart tr-restart-confirm__yes";
      yes.setAttribute("data-restart-yes", "");
      yes.textContent = T("清除答案,重新开始", "Clear answers and restart");
      var no = document.createElement("button");
      no.type = "button";
      no.className = "tr-scorebar__restart";
      no.setAttribute("data-restart-cancel", "");
      no.textContent = T("保留答案", "Keep my answers");
      box.appendChild(q);
      box.appendChild(yes);
      box.appendChild(no);
      box.addEventListener("keydown", function (ev) {
        if (ev.key === "Escape") { ev.preventDefault(); closeRestartConfirm(root, true); }
      });
      button.parentNode.insertBefore(box, button.nextSibling);
    }
    box.querySelector(".tr-restart-confirm__q").textContent =
      T("清除本轮已答的 " + answered + " 题并重新开始?", "Clear the " + answered + " answer" + (answered === 1 ? "" : "s") + " given in this round and start again?");
    box.hidden = false;
    button.hidden = true;
    box.querySelector(".tr-restart-confirm__q").focus();
  }

  function closeRestartConfirm(root, refocus) {
    var box = root.querySelector("[data-restart-confirm]");
    if (!box || box.hidden) return;
    box.hidden = true;
    var button = root.querySelector("[data-restart]");
    if (button) {
      button.hidden = false;
      if (refocus) button.focus();
    }
  }

  function initQuiz(root) {
    if (!root.hasAttribute("data-tr-ready")) {
      root.setAttribute("data-tr-ready", "");
      root.addEventListener("submit", function (ev) {
        var form = ev.target.closest("form[data-qid]");
        if (!form) return;
        ev.preventDefault();
        if (!form.classList.contains("tr-q--answered")) check(root, form);
      });
      // Enter on a radio button or checkbox submits its question too (as in a text field)
      root.addEventListener("keydown", function (ev) {
        if (ev.key !== "Enter" || ev.isComposing) return;
        var input = ev.target;
        if (!input.matches || !input.matches("form[data-qid] input")) return;
        ev.preventDefault();
        var form = input.closest("form[data-qid]");
        if (!form.classList.contains("tr-q--answered")) check(root, form);
      });
      root.addEventListener("change", function (ev) {
        var form = ev.target.closest && ev.target.closest("form[data-qid]");
        if (form) form.querySelector("[data-error]").hidden = true;
      });
      root.addEventListener("click", function (ev) {
        var t = ev.target.closest ? ev.target : ev.target.parentElement;
        var next = t.closest("[data-next]");
        if (next) {
          var form = next.closest("form[data-qid]");
          var round = currentRound(root, load());
          var id = round && nextUnanswered(root, round, form.getAttribute("data-qid"));
          if (id) focusFirstInput(quizForms(root)[id]);
          else { var result = root.querySelector("[data-result]"); result.focus({ preventScroll: true }); result.scrollIntoView({ block: "center" }); }
          return;
        }
        if (t.closest("[data-restart-cancel]")) { closeRestartConfirm(root, true); return; }
        var restart = t.closest("[data-restart]");
        if (restart) {
          var current = currentRound(root, load());
          if (current && tally(current).answered > 0) { askRestart(root, restart, tally(current).answered); return; }
        }
        if (t.closest("[data-new-round]") || restart || t.closest("[data-restart-yes]")) {
          closeRestartConfirm(root, false);
          var r = update(function (s) { return newRound(root, s); });
          applyRound(root, r);
          var firstId = r.order[0];
          if (firstId) focusFirstInput(quizForms(root)[firstId]);
        }
      });
    }
    var round = update(function (s) { return currentRound(root, s) || newRound(root, s); });
    applyRound(root, round);
    focusTarget(root);
    // The browser's own scroll to the #fragment comes after this on a first load, and moves the
    // focus to the document: focus the question again once the page has loaded.
    if (document.readyState !== "complete") {
      window.addEventListener("load", function () { setTimeout(function () { focusTarget(root); }, 0); }, { once: true });
    }
  }

  /* #q-<id> opens and focuses that question. */
  function focusTarget(root) {
    var hash = decodeURIComponent(location.hash || "");
    if (hash.indexOf("#q-") !== 0) return;
    var form = document.getElementById(hash.slice(1));
    if (!form || !root.contains(form)) return;
    var item = form.closest("[data-item]");
    if (item && item.hidden) return; // not drawn in this exam round
    Array.prototype.forEach.call(root.querySelectorAll(".tr-q--target"), function (f) { f.classList.remove("tr-q--target"); });
    form.classList.add("tr-q--target");
    focusFirstInput(form);
  }

  /* ------------------------------------------------------------------ wiring */
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-training="path"]'), initPath);
    Array.prototype.forEach.call(document.querySelectorAll('[data-training="quiz"], [data-training="exam"]'), initQuiz);
  }

  window.addEventListener("hashchange", function () {
    Array.prototype.forEach.call(document.querySelectorAll('[data-training="quiz"], [data-training="exam"]'), focusTarget);
  });
  // another tab (say, the other language) changed the progress
  window.addEventListener("storage", function (ev) {
    if (ev.key !== KEY && ev.key !== null) return;
    Array.prototype.forEach.call(document.querySelectorAll('[data-training="path"]'), renderPath);
  });
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll('[data-training="path"]'), renderPath);
  });

  window.HandbookTraining = { key: KEY, version: VERSION, load: load, init: init, parseNumber: parseNumber };

  function boot() {
    if (typeof window.document$ !== "undefined" && window.document$.subscribe) window.document$.subscribe(init);
    else init();
  }
  function start() {
    Store = window.HandbookProgressStore;
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
    else boot();
  }
  if (window.HandbookProgressStore) start();
  else window.addEventListener("handbook:progress-store", start, { once: true });
})();
