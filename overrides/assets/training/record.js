/* The record a supervisor signs (on the reading path, printed): the overall status first (完成 only when
   every section is read and every quiz and the exam are passed), the trainee's details (kept with the
   progress), the sections read with their dates, each quiz's attempts, best score and pass date. The
   regulation's version, the signature lines and the note that a static site cannot keep answers secret are
   in the page (handbook/pages/templates/training_index.md.j2). */
import { ATTR, sel } from "./contract.js";
import { update } from "./progress-store.js";
import { T, all, scoreText, today } from "./text.js";

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  row.appendChild(td);
  return td;
}

export function renderRecord(root, s, steps, partQuizzes) {
  const record = root.querySelector(sel("record"));
  if (!record) return;
  const sections = steps.filter((st) => st.kind === "section");
  const quizzes = steps.filter((st) => st.kind === "quiz");
  const read = sections.filter((st) => s.read[st.id]);
  const passed = quizzes.filter((st) => s.quizzes[st.id] && s.quizzes[st.id].passed);
  const complete = read.length === sections.length && passed.length === quizzes.length;
  record.querySelector(sel("recordStatusDone")).hidden = !complete;
  record.querySelector(sel("recordStatusOpen")).hidden = complete;
  record.querySelector(sel("recordSummary")).textContent =
    T("已读 ", "Sections read: ") + read.length + " / " + sections.length + T(";通过测验 ", "; quizzes passed: ") +
    passed.filter((st) => st.id !== "exam").length + " / " + partQuizzes.length + T(";综合考试", "; exam: ") +
    (s.quizzes.exam && s.quizzes.exam.passed ? T("已通过", "passed") : T("未通过", "not passed")) + T("。", ".");

  const tbody = record.querySelector(sel("recordSections"));
  tbody.textContent = "";
  read.forEach((step) => {
    const tr = document.createElement("tr");
    cell(tr, step.title);
    cell(tr, s.read[step.id]);
    tbody.appendChild(tr);
  });
  record.querySelector(sel("recordSectionsEmpty")).hidden = read.length > 0;
  record.querySelector(sel("recordReadCount")).textContent = String(read.length);

  const qbody = record.querySelector(sel("recordQuizzes"));
  qbody.textContent = "";
  quizzes.forEach((step) => {
    const q = s.quizzes[step.id];
    const tr = document.createElement("tr");
    tr.setAttribute(ATTR.recordQuiz, step.id);
    cell(tr, step.title);
    cell(tr, q ? String(q.attempts) : "0");
    cell(tr, q && q.best ? scoreText(q.best) + " · " + q.best.date : T("未参加", "not taken"));
    cell(tr, q && q.passed ? scoreText(q.passed) + " · " + q.passed.date : "—");
    qbody.appendChild(tr);
  });
  all(record, sel("profile")).forEach((input) => {
    if (document.activeElement !== input) input.value = s.profile[input.getAttribute(ATTR.profile)] || "";
  });
  const printed = record.querySelector(sel("printDate"));
  if (printed) { printed.textContent = today(); printed.setAttribute("datetime", today()); }
}

export function initRecord(root) {
  all(root, sel("profile")).forEach((input) => {
    input.addEventListener("input", () => update((s) => { s.profile[input.getAttribute(ATTR.profile)] = input.value.slice(0, 200); }));
  });
}
