/* The reading path (training/ and training/first-week/): each step's state, the progress bar, the next
   step always in view, "mark as read", reset; the record below it is record.js's. */
import { ATTR, sel } from "./contract.js";
import { empty, load, save, update, storageOk } from "./progress-store.js";
import { T, all, scoreText, today } from "./text.js";
import { renderRecord, initRecord } from "./record.js";

export function pathSteps(root) {
  return all(root, ".tr-steps " + sel("step")).map((el) => {
    const title = el.querySelector(sel("stepTitle"));
    return { el, kind: el.getAttribute(ATTR.step), id: el.getAttribute(ATTR.id),
             title: title ? title.textContent : "", href: title ? title.getAttribute("href") : "#" };
  });
}

export function stepDone(s, step) {
  if (step.kind === "section") return !!s.read[step.id];
  const q = s.quizzes[step.id];
  return !!(q && q.passed);
}

export function markLabel(btn, read) {
  btn.setAttribute(ATTR.markState, read ? "read" : "unread");
  btn.textContent = read ? T("✓ 已读(撤销)", "✓ Read (undo)") : T("标记为已读", "Mark as read");
  btn.setAttribute("aria-label", read ? T("已读,点击撤销", "Read; press to undo") : T("标记为已读", "Mark as read"));
}

export function quizStatus(q, locked) {
  if (locked && (!q || !q.best)) return T("尚未开放:先通过每个部分的测验", "Not open yet: pass every part's quiz first");
  if (!q || !q.best) return T("未参加", "Not taken");
  let text = T("最好成绩 ", "Best score ") + scoreText(q.best) + T(" · 共 ", " · ") + q.attempts + T(" 次", " attempt" + (q.attempts === 1 ? "" : "s"));
  text += q.passed ? T(" · 已通过 ", " · passed on ") + q.passed.date : T(" · 尚未通过", " · not passed yet");
  return text;
}

/* The quizzes the exam needs passed (every part quiz on the path) and those not passed yet. */
export function examLocked(s, quizIds) {
  return quizIds.filter((id) => !(s.quizzes[id] && s.quizzes[id].passed));
}

export function toggleRead(id) {
  return update((s) => {
    if (s.read[id]) delete s.read[id];
    else s.read[id] = today();
    return !!s.read[id];
  });
}

export function renderPath(root) {
  const s = load();
  const steps = pathSteps(root);
  const partQuizzes = steps.filter((st) => st.kind === "quiz" && st.id !== "exam").map((st) => st.id);
  let done = 0, next = null;
  steps.forEach((step) => {
    const ok = stepDone(s, step);
    if (ok) done++;
    else if (!next) next = step;
    step.el.classList.toggle("tr-step--done", ok);
    step.el.classList.remove("tr-step--next");
    if (step.kind === "section") {
      const btn = step.el.querySelector(sel("mark"));
      if (btn) markLabel(btn, ok);
      const date = step.el.querySelector(sel("readDate"));
      if (date) date.textContent = ok ? T("已读于 ", "read on ") + s.read[step.id] : "";
    } else {
      const st = step.el.querySelector(sel("quizStatus"));
      const locked = step.id === "exam" && examLocked(s, partQuizzes).length > 0;
      if (st) st.textContent = quizStatus(s.quizzes[step.id], locked);
    }
  });
  if (next) next.el.classList.add("tr-step--next");

  const sections = steps.filter((st) => st.kind === "section");
  const sectionsRead = sections.filter((st) => s.read[st.id]).length;
  const quizzes = steps.filter((st) => st.kind === "quiz");
  const passed = quizzes.filter((st) => stepDone(s, st)).length;
  const pct = steps.length ? Math.round(100 * done / steps.length) : 0;
  const bar = root.querySelector(sel("progressBar"));
  if (bar) { bar.setAttribute("aria-valuenow", String(pct)); bar.setAttribute("aria-valuetext", pct + "%"); }
  const fill = root.querySelector(sel("progressFill"));
  if (fill) fill.style.width = pct + "%";
  const text = root.querySelector(sel("progressText"));
  if (text) {
    text.textContent = T("已完成 ", "Done: ") + done + " / " + steps.length + T(" 步", " steps") + " (" + pct + "%) · " +
      T("已读 ", "sections read ") + sectionsRead + " / " + sections.length +
      (quizzes.length ? " · " + T("通过测验 ", "quizzes passed ") + passed + " / " + quizzes.length : "");
  }
  renderNextBar(root, next);
  renderRecord(root, s, steps, partQuizzes);
  const warning = root.querySelector(sel("storageWarning"));
  if (warning) warning.hidden = storageOk();
}

function renderNextBar(root, next) {
  const bar = root.querySelector(sel("nextStep"));
  if (!bar) return;
  const link = bar.querySelector(sel("nextLink"));
  const label = bar.querySelector(sel("nextLabel"));
  const doneMsg = bar.querySelector(sel("nextDone"));
  const mark = bar.querySelector(sel("nextMark"));
  bar.classList.toggle("tr-nextbar--done", !next);
  link.hidden = !next; label.hidden = !next; doneMsg.hidden = !!next;
  mark.hidden = !next || next.kind !== "section";
  if (!next) return;
  link.textContent = next.title;
  link.setAttribute("href", next.href);
  label.textContent = (next.kind === "section" ? T("下一步:阅读", "Next: read") : T("下一步:参加", "Next: take the")) + " ";
  if (next.kind === "section") { mark.setAttribute(ATTR.mark, next.id); markLabel(mark, false); }
}

export function initPath(root) {
  if (!root.hasAttribute(ATTR.ready)) {
    root.setAttribute(ATTR.ready, "");
    root.addEventListener("click", (ev) => {
      const t = ev.target.closest ? ev.target : ev.target.parentElement;
      const mark = t.closest(sel("mark"));
      if (mark) {
        const fromBar = mark.hasAttribute(ATTR.nextMark);
        toggleRead(mark.getAttribute(ATTR.mark));
        renderPath(root);
        if (fromBar) { // keep the keyboard on the bar: its button now marks the following section
          const b = root.querySelector(sel("nextMark"));
          const l = root.querySelector(sel("nextLink") + ":not([hidden])");
          if (b && !b.hidden) b.focus(); else if (l) l.focus();
        }
        return;
      }
      if (t.closest(sel("print"))) { renderPath(root); window.print(); return; }
      if (t.closest(sel("reset"))) {
        const dialog = root.querySelector(sel("resetDialog"));
        if (dialog && typeof dialog.showModal === "function") dialog.showModal();
        else if (window.confirm(T("重置全部进度?此操作无法撤销。", "Reset all progress? This cannot be undone."))) { save(empty()); renderPath(root); }
      }
    });
    const dialog = root.querySelector(sel("resetDialog"));
    if (dialog) {
      dialog.addEventListener("close", () => {
        if (dialog.returnValue === "reset") { save(empty()); renderPath(root); }
        dialog.returnValue = "";
        const b = root.querySelector(sel("reset"));
        if (b) b.focus();
      });
    }
    initRecord(root);
  }
  renderPath(root);
}
