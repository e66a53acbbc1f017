/* Quizzes and the exam (training/quiz/<part>/, training/exam/).

   A quiz asks a short round drawn from its part (data-round questions, between ROUND.min and ROUND.max):
   the questions answered wrong come first, then those not asked in the last rounds; the options of a
   choice question are shuffled. Each answer is checked at once (right answer, explanation, clause). The
   result lists each missed question with its clause; after a pass the main action is to continue to the
   next part (data-next-href), after a fail a new round (missed questions first).

   The exam opens only once every part's quiz is passed (data-requires); it draws data-draw questions,
   mostly ones not asked in the reader's last rounds; answers are held until the last one is given, then
   every answer is shown and the result lists the clauses missed.

   The questions' text is in the page, escaped at build time; this module shows, hides and moves it and
   writes plain text only. */
import { ATTR, ROUND, sel } from "./contract.js";
import { load, update, storageOk } from "./progress-store.js";
import { T, all, el, scoreText, shuffle, today } from "./text.js";
import { examLocked, quizStatus } from "./path.js";
import { typedNumber } from "../shared/numbers.js";

const isExam = (root) => root.getAttribute(ATTR.root) === "exam";
const quizId = (root) => root.getAttribute(ATTR.quiz);
const passMark = (root) => parseInt(root.getAttribute(ATTR.pass), 10) || 80;

function forms(root) {
  const out = {};
  all(root, "form" + sel("qid")).forEach((f) => { out[f.getAttribute(ATTR.qid)] = f; });
  return out;
}
function ids(root) { return all(root, "form" + sel("qid")).map((f) => f.getAttribute(ATTR.qid)); }

function roundSize(root, n) {
  if (isExam(root)) return Math.min(parseInt(root.getAttribute(ATTR.draw), 10) || n, n);
  const want = parseInt(root.getAttribute(ATTR.round), 10) || ROUND.max;
  return Math.min(Math.max(ROUND.min, Math.min(ROUND.max, want)), n);
}

function requires(root) { return (root.getAttribute(ATTR.requires) || "").split(/\s+/).filter(Boolean); }

/* The next round. A quiz: wrong answers first, then questions not in the last rounds, then the rest.
   The exam: questions not in the last rounds, at most ROUND.examRepeatShare of them repeated. */
function newRound(root, s, first) {
  const pool = ids(root);
  const size = roundSize(root, pool.length);
  const recent = new Set(s.recent);
  const fresh = shuffle(pool.filter((id) => !recent.has(id)));
  const seen = shuffle(pool.filter((id) => recent.has(id)));
  let order;
  if (isExam(root)) {
    const repeat = Math.max(size - fresh.length, Math.floor(size * ROUND.examRepeatShare));
    order = fresh.slice(0, size - Math.min(repeat, seen.length)).concat(seen.slice(0, repeat));
    order = shuffle(order.concat(fresh.slice(order.length)).slice(0, size));
  } else {
    const wrong = shuffle(pool.filter((id) => s.wrong[id]));
    const rest = fresh.concat(seen).filter((id) => !s.wrong[id]);
    order = wrong.concat(rest);
    if (first && pool.indexOf(first) >= 0) order = [first].concat(order.filter((id) => id !== first));
    order = order.slice(0, size);
    s.recent = s.recent.filter((id) => order.indexOf(id) < 0).concat(order).slice(-ROUND.recentKept);
  }
  const byId = forms(root);
  const mixed = {};
  order.forEach((id) => {
    const kind = byId[id].getAttribute(ATTR.kind);
    if (kind === "single" || kind === "multiple") mixed[id] = shuffle(all(byId[id], sel("choice")).map((li) => li.getAttribute(ATTR.choice)));
  });
  const round = { order, answers: {}, done: false, started: today(), shuffle: mixed };
  s.rounds[quizId(root)] = round;
  return round;
}

/* The stored round, if it still fits the questions on the page (the bank may have changed). */
function currentRound(root, s) {
  const round = s.rounds[quizId(root)];
  const pool = ids(root);
  if (!round || !round.order.length || !round.order.every((id) => pool.indexOf(id) >= 0)) return null;
  if (round.order.length !== roundSize(root, pool.length)) return null;
  return round;
}

/* The controls every question has, added here rather than repeated in the page. */
function decorate(form) {
  if (form.querySelector(sel("check"))) return;
  const numeric = form.getAttribute(ATTR.kind) === "numeric";
  const actions = el("p", { class: "tr-q__actions" });
  actions.appendChild(el("button", { type: "submit", class: "md-button md-button--primary tr-check", [ATTR.check]: "" }, T("提交答案", "Check answer")));
  actions.appendChild(document.createTextNode(" "));
  actions.appendChild(el("span", { class: "tr-q__error", [ATTR.error]: "", role: "alert", hidden: "" },
                         numeric ? T("请输入一个数。", "Enter a number.") : T("请先作答。", "Answer first.")));
  const fieldset = form.querySelector("fieldset");
  fieldset.parentNode.insertBefore(actions, fieldset.nextSibling);
  const feedback = form.querySelector(sel("feedback"));
  const held = el("p", { class: "tr-verdict tr-verdict--held", [ATTR.verdictHeld]: "", hidden: "" },
                  T("已作答。答案在全部作答后显示。", "Answered. The answers are shown once every question is answered."));
  feedback.insertBefore(held, feedback.firstChild);
  const body = form.querySelector(sel("feedbackBody"));
  const verdict = el("p", { class: "tr-verdict" });
  verdict.appendChild(el("strong", { class: "tr-verdict__right", [ATTR.verdictRight]: "", hidden: "" }, T("✓ 回答正确", "✓ Right")));
  verdict.appendChild(el("strong", { class: "tr-verdict__wrong", [ATTR.verdictWrong]: "", hidden: "" }, T("✗ 回答错误", "✗ Wrong")));
  if (numeric) {
    verdict.appendChild(document.createTextNode(" " + T("你的答案:", "Your answer: ")));
    verdict.appendChild(el("span", { [ATTR.given]: "" }));
  }
  body.insertBefore(verdict, body.firstChild);
  const next = el("button", { type: "button", class: "md-button", [ATTR.next]: "" });
  next.appendChild(el("span", { [ATTR.nextQuestion]: "" }, T("下一题", "Next question")));
  next.appendChild(el("span", { [ATTR.nextResult]: "", hidden: "" }, T("查看成绩", "See the score")));
  const p = el("p", { class: "tr-next" });
  p.appendChild(next);
  feedback.appendChild(p);
}

function inputs(form) { return all(form, "input"); }

/* A numeric question's input names the units a trainee may type after the number (the question's unit in
   both languages, ["元", "yuan"]); the number is read by the engine's rules (../shared/numbers.js). */
function unitsOf(form) {
  try {
    const units = JSON.parse(form.querySelector(sel("numeric")).getAttribute(ATTR.numeric));
    return Array.isArray(units) ? units : [];
  } catch (e) {
    return [];
  }
}

function readGiven(form) {
  if (form.getAttribute(ATTR.kind) === "numeric") {
    const v = form.querySelector(sel("numeric")).value;
    return typedNumber(v, unitsOf(form)) === null ? null : v.trim();
  }
  const chosen = inputs(form).filter((i) => i.checked).map((i) => i.value);
  if (!chosen.length) return null;
  return form.getAttribute(ATTR.kind) === "multiple" ? chosen.sort() : chosen[0];
}

export function isRight(kind, answer, given, units = []) {
  if (kind === "numeric") {
    const n = typedNumber(given, units), a = Number(answer);
    return n !== null && Math.abs(n - a) < 0.005;
  }
  if (kind === "multiple") {
    const want = answer.split(",").sort();
    return Array.isArray(given) && given.length === want.length && given.every((g, i) => g === want[i]);
  }
  return given === answer;
}

function clearForm(form) {
  form.classList.remove("tr-q--answered", "tr-q--right", "tr-q--wrong", "tr-q--target", "tr-q--held");
  inputs(form).forEach((i) => { i.disabled = false; if (i.type === "text") i.value = ""; else i.checked = false; });
  all(form, ".tr-choice").forEach((li) => li.classList.remove("tr-choice--right", "tr-choice--wrong"));
  all(form, ".tr-mark").forEach((m) => m.parentNode.removeChild(m));
  form.querySelector(sel("feedbackBody")).hidden = true;
  form.querySelector(sel("verdictHeld")).hidden = true;
  form.querySelector(sel("next")).parentNode.hidden = false;
  form.querySelector(sel("check")).hidden = false;
  form.querySelector(sel("error")).hidden = true;
}

function showGiven(form, given) {
  const chosen = Array.isArray(given) ? given : [given];
  inputs(form).forEach((i) => {
    if (form.getAttribute(ATTR.kind) === "numeric") i.value = given;
    else i.checked = chosen.indexOf(i.value) >= 0;
    i.disabled = true;
  });
  form.querySelector(sel("check")).hidden = true;
  form.querySelector(sel("error")).hidden = true;
}

/* An exam answer before the end: recorded, not judged on screen. */
function showHeld(form, given) {
  showGiven(form, given);
  form.classList.add("tr-q--answered", "tr-q--held");
  form.querySelector(sel("verdictHeld")).hidden = false;
}

function showAnswered(form, given, ok) {
  const right = form.getAttribute(ATTR.answer).split(",");
  const chosen = Array.isArray(given) ? given : [given];
  showGiven(form, given);
  form.classList.remove("tr-q--held");
  form.classList.add("tr-q--answered", ok ? "tr-q--right" : "tr-q--wrong");
  all(form, ".tr-choice").forEach((li) => {
    const id = li.getAttribute(ATTR.choice);
    const isRightChoice = right.indexOf(id) >= 0, picked = chosen.indexOf(id) >= 0;
    li.classList.toggle("tr-choice--right", isRightChoice);
    li.classList.toggle("tr-choice--wrong", picked && !isRightChoice);
    const old = li.querySelector(".tr-mark");
    if (old) li.removeChild(old);
    if (isRightChoice) li.appendChild(el("span", { class: "tr-mark tr-mark--right" }, T("✓ 正确答案", "✓ right answer")));
    else if (picked) li.appendChild(el("span", { class: "tr-mark tr-mark--wrong" }, T("✗ 你的选择", "✗ your choice")));
  });
  const g = form.querySelector(sel("given"));
  if (g) g.textContent = String(given);
  form.querySelector(sel("verdictRight")).hidden = !ok;
  form.querySelector(sel("verdictWrong")).hidden = ok;
  form.querySelector(sel("verdictHeld")).hidden = true;
  form.querySelector(sel("feedbackBody")).hidden = false;
}

function applyRound(root, round) {
  const byId = forms(root);
  const list = root.querySelector(sel("questions"));
  const inRound = new Set(round.order);
  const reveal = !isExam(root) || round.done;
  round.order.forEach((id, i) => {
    const form = byId[id];
    const item = form.closest(sel("item"));
    list.appendChild(item); // in round order
    item.hidden = false;
    form.querySelector(sel("qNum")).textContent = String(i + 1);
    decorate(form);
    const choices = form.querySelector(".tr-choices");
    (round.shuffle[id] || []).forEach((cid) => { const li = form.querySelector(sel("choice", cid)); if (li) choices.appendChild(li); });
    clearForm(form);
    const a = round.answers[id];
    if (a) { if (reveal) showAnswered(form, a.given, !!a.ok); else showHeld(form, a.given); }
    if (isExam(root) && round.done) form.querySelector(sel("next")).parentNode.hidden = true;
  });
  Object.keys(byId).forEach((id) => {
    if (!inRound.has(id)) { // not asked in this round: hidden, with no answer left from an earlier round
      const item = byId[id].closest(sel("item"));
      item.hidden = true;
      list.appendChild(item);
      if (byId[id].querySelector(sel("check"))) clearForm(byId[id]); // decorated: asked in an earlier round
    }
  });
  root.classList.add("tr-ready");
  renderScore(root, round);
}

function tally(round) {
  let answered = 0, right = 0;
  round.order.forEach((id) => { const a = round.answers[id]; if (a) { answered++; if (a.ok) right++; } });
  return { answered, right, total: round.order.length };
}

/* The result: score, pass or not, each missed question (a quiz) or clause (the exam) with its link. */
function renderResult(root, round, t) {
  const result = root.querySelector(sel("result"));
  const pct = Math.round(100 * t.right / t.total);
  const passed = pct >= passMark(root);
  const set = (role, text) => { const n = result.querySelector(sel(role)); if (n) n.textContent = text; };
  set("score", String(t.right)); set("total", String(t.total)); set("pct", String(pct));
  result.querySelector(sel("resultPass")).hidden = !passed;
  result.querySelector(sel("resultFail")).hidden = passed;
  result.classList.toggle("tr-result--pass", passed);
  result.classList.toggle("tr-result--fail", !passed);
  const list = result.querySelector(sel("missedList"));
  list.textContent = "";
  const byId = forms(root);
  const seen = new Set();
  round.order.filter((id) => round.answers[id] && !round.answers[id].ok).forEach((id) => {
    const cite = byId[id].querySelector(sel("cite"));
    const li = el("li");
    if (isExam(root)) {
      if (seen.has(cite.getAttribute(ATTR.cite))) return;
      seen.add(cite.getAttribute(ATTR.cite));
    } else {
      li.appendChild(el("a", { href: "#q-" + id }, byId[id].querySelector(".tr-q__text").textContent));
      li.appendChild(document.createTextNode(" — " + T("依据:", "clause: ")));
    }
    li.appendChild(el("a", { href: cite.getAttribute("href") }, cite.textContent));
    list.appendChild(li);
  });
  result.querySelector(sel("missed")).hidden = list.children.length === 0;
  const cont = result.querySelector(sel("continue"));
  const again = result.querySelector(sel("newRound"));
  if (cont) cont.hidden = !passed;
  again.classList.toggle("md-button--primary", !passed || !cont);
}

function renderScore(root, round) {
  const t = tally(round);
  const set = (role, text) => { const n = root.querySelector(sel("scorebar") + " " + sel(role)); if (n) n.textContent = text; };
  set("answered", String(t.answered)); set("right", isExam(root) && !round.done ? "—" : String(t.right)); set("count", String(t.total));
  const finished = t.total > 0 && t.answered === t.total;
  const result = root.querySelector(sel("result"));
  result.hidden = !finished;
  if (finished) renderResult(root, round, t);
  const restart = root.querySelector(sel("restart"));
  const asking = root.querySelector(sel("restartConfirm") + ":not([hidden])");
  if (restart) restart.hidden = finished || !!asking;
  const left = t.total - t.answered;
  all(root, sel("next")).forEach((b) => {
    b.querySelector(sel("nextQuestion")).hidden = left === 0;
    b.querySelector(sel("nextResult")).hidden = left !== 0;
  });
  const status = root.querySelector(sel("status"));
  if (status) status.textContent = quizStatus(load().quizzes[quizId(root)]);
  const warning = root.querySelector(sel("storageWarning"));
  if (warning) warning.hidden = storageOk();
}

function recordResult(s, id, t, pass) {
  const pct = Math.round(100 * t.right / t.total);
  const r = { right: t.right, total: t.total, pct, date: today() };
  const q = s.quizzes[id] || { attempts: 0, passed: null };
  q.attempts = (q.attempts || 0) + 1;
  q.last = r;
  if (!q.best || pct > q.best.pct) q.best = r;
  if (pct >= pass && (!q.passed || pct >= q.passed.pct)) q.passed = r;
  s.quizzes[id] = q;
}

function focusFirstInput(form) {
  const first = form.querySelector("input:not([disabled])");
  if (!first) form.setAttribute("tabindex", "-1"); // answered: focus the question itself
  (first || form).focus({ preventScroll: true });
  form.scrollIntoView({ block: "start", behavior: "auto" });
}

function nextUnanswered(round, after) {
  const start = round.order.indexOf(after);
  for (let k = 1; k <= round.order.length; k++) {
    const id = round.order[(start + k) % round.order.length];
    if (!round.answers[id]) return id;
  }
  return null;
}

function showResult(root) {
  const result = root.querySelector(sel("result"));
  result.focus({ preventScroll: true });
  result.scrollIntoView({ block: "start" });
}

function check(root, form) {
  const id = form.getAttribute(ATTR.qid);
  const given = readGiven(form);
  if (given === null) {
    form.querySelector(sel("error")).hidden = false;
    const first = form.querySelector("input:not([disabled])");
    if (first) first.focus();
    return;
  }
  const ok = isRight(form.getAttribute(ATTR.kind), form.getAttribute(ATTR.answer), given, unitsOf(form));
  let finishedNow = false;
  const round = update((s) => {
    const r = currentRound(root, s);
    if (!r || r.order.indexOf(id) < 0) return null;
    if (!r.answers[id]) {
      r.answers[id] = { given, ok };
      if (ok) delete s.wrong[id]; else s.wrong[id] = today();
      const t = tally(r);
      if (t.answered === t.total && !r.done) { r.done = true; finishedNow = true; recordResult(s, quizId(root), t, passMark(root)); }
    }
    return r;
  });
  if (!round) { initQuiz(root); return; } // the stored round changed under us (another tab): redraw
  if (isExam(root)) {
    if (finishedNow || round.done) { applyRound(root, round); showResult(root); return; }
    showHeld(form, round.answers[id].given);
    renderScore(root, round);
    const nextId = nextUnanswered(round, id);
    if (nextId) focusFirstInput(forms(root)[nextId]);
    return;
  }
  const a = round.answers[id];
  showAnswered(form, a.given, !!a.ok);
  renderScore(root, round);
  form.querySelector(sel("next")).focus();
}

/* "Restart this round" wipes the answers given: it asks first, inline, and Escape or "Keep my answers"
   goes back. */
function askRestart(root, button, answered) {
  let box = root.querySelector(sel("restartConfirm"));
  if (!box) {
    box = el("span", { class: "tr-restart-confirm", [ATTR.restartConfirm]: "", role: "group" });
    const q = el("span", { class: "tr-restart-confirm__q", id: "tr-restart-q-" + Math.random().toString(36).slice(2), tabindex: "-1" });
    box.setAttribute("aria-labelledby", q.id);
    box.appendChild(q);
    box.appendChild(el("button", { type: "button", class: "tr-scorebar__restart tr-restart-confirm__yes", [ATTR.restartYes]: "" }, T("清除答案,重新开始", "Clear answers and restart")));
    box.appendChild(el("button", { type: "button", class: "tr-scorebar__restart", [ATTR.restartCancel]: "" }, T("保留答案", "Keep my answers")));
    box.addEventListener("keydown", (ev) => { if (ev.key === "Escape") { ev.preventDefault(); closeRestartConfirm(root, true); } });
    button.parentNode.insertBefore(box, button.nextSibling);
  }
  box.querySelector(".tr-restart-confirm__q").textContent =
    T("清除本轮已答的 " + answered + " 题并重新开始?", "Clear the " + answered + " answer" + (answered === 1 ? "" : "s") + " given in this round and start again?");
  box.hidden = false;
  button.hidden = true;
  box.querySelector(".tr-restart-confirm__q").focus();
}

function closeRestartConfirm(root, refocus) {
  const box = root.querySelector(sel("restartConfirm"));
  if (!box || box.hidden) return;
  box.hidden = true;
  const button = root.querySelector(sel("restart"));
  if (button) { button.hidden = false; if (refocus) button.focus(); }
}

/* The exam is locked until every part's quiz is passed: the page lists them, the questions stay hidden. */
function lockExam(root) {
  const missing = examLocked(load(), requires(root));
  const lock = root.querySelector(sel("lock"));
  lock.hidden = missing.length === 0;
  all(lock, sel("lockList") + " " + sel("id")).forEach((li) => {
    li.hidden = missing.indexOf(li.getAttribute(ATTR.id)) < 0;
  });
  root.querySelector(sel("questions")).hidden = missing.length > 0;
  root.querySelector(sel("scorebar")).hidden = missing.length > 0;
  if (missing.length) root.querySelector(sel("result")).hidden = true;
  return missing.length > 0;
}

function bind(root) {
  root.setAttribute(ATTR.ready, "");
  root.addEventListener("submit", (ev) => {
    const form = ev.target.closest("form" + sel("qid"));
    if (!form) return;
    ev.preventDefault();
    if (!form.classList.contains("tr-q--answered")) check(root, form);
  });
  // Enter on a radio button or checkbox submits its question too (as in a text field)
  root.addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter" || ev.isComposing) return;
    const input = ev.target;
    if (!input.matches || !input.matches("form" + sel("qid") + " input")) return;
    ev.preventDefault();
    const form = input.closest("form" + sel("qid"));
    if (!form.classList.contains("tr-q--answered")) check(root, form);
  });
  root.addEventListener("change", (ev) => {
    const form = ev.target.closest && ev.target.closest("form" + sel("qid"));
    if (form) form.querySelector(sel("error")).hidden = true;
  });
  root.addEventListener("click", (ev) => {
    const t = ev.target.closest ? ev.target : ev.target.parentElement;
    const next = t.closest(sel("next"));
    if (next) {
      const form = next.closest("form" + sel("qid"));
      const round = currentRound(root, load());
      const id = round && nextUnanswered(round, form.getAttribute(ATTR.qid));
      if (id) focusFirstInput(forms(root)[id]); else showResult(root);
      return;
    }
    if (t.closest(sel("restartCancel"))) { closeRestartConfirm(root, true); return; }
    const restart = t.closest(sel("restart"));
    if (restart) {
      const current = currentRound(root, load());
      if (current && tally(current).answered > 0) { askRestart(root, restart, tally(current).answered); return; }
    }
    if (t.closest(sel("newRound")) || restart || t.closest(sel("restartYes"))) {
      closeRestartConfirm(root, false);
      const r = update((s) => newRound(root, s));
      applyRound(root, r);
      if (r.order[0]) focusFirstInput(forms(root)[r.order[0]]);
    }
  });
}

function targetId(root) {
  const hash = decodeURIComponent(location.hash || "");
  if (hash.indexOf("#q-") !== 0) return null;
  const form = document.getElementById(hash.slice(1));
  return form && root.contains(form) ? form.getAttribute(ATTR.qid) : null;
}

export function initQuiz(root) {
  if (!root.hasAttribute(ATTR.ready)) bind(root);
  if (isExam(root) && lockExam(root)) return;
  const wanted = isExam(root) ? null : targetId(root);
  const round = update((s) => {
    const r = currentRound(root, s);
    // a link to one question opens a round that asks it, unless the current round has it or is under way
    if (r && (!wanted || r.order.indexOf(wanted) >= 0 || (tally(r).answered > 0 && !r.done))) return r;
    return newRound(root, s, wanted);
  });
  applyRound(root, round);
  focusTarget(root);
  // The browser's own scroll to the #fragment comes after this on a first load, and moves the
  // focus to the document: focus the question again once the page has loaded.
  if (document.readyState !== "complete") {
    window.addEventListener("load", () => setTimeout(() => focusTarget(root), 0), { once: true });
  }
}

/* #q-<id> opens and focuses that question. */
export function focusTarget(root) {
  const id = targetId(root);
  if (!id) return;
  const form = forms(root)[id];
  const item = form.closest(sel("item"));
  if (item && item.hidden) return; // not in this round
  all(root, ".tr-q--target").forEach((f) => f.classList.remove("tr-q--target"));
  form.classList.add("tr-q--target");
  focusFirstInput(form);
}
