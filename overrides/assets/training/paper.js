/* The supervised exam (training/paper/): a fresh random paper without answers, and a separate answer-key
   page for the supervisor, both with the same paper number. The number seeds the draw, so
   training/paper/#paper=<number> prints the same paper and key again. The page holds the exam's pool
   (escaped at build time, hidden); this module copies its text, never HTML. */
import { ATTR, sel } from "./contract.js";
import { T, all, el, shuffle } from "./text.js";

const LETTERS = "ABCDEFGHIJ";

/* A small seeded generator (mulberry32): the same number gives the same paper. */
export function seeded(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function numberFromHash() {
  const m = /paper=(\d{6})/.exec(location.hash || "");
  return m ? m[1] : null;
}

function freshNumber() {
  const buf = new Uint32Array(1);
  (window.crypto || window.msCrypto).getRandomValues(buf);
  return String(100000 + (buf[0] % 900000));
}

/* The paper for a number: the questions drawn and, for each, its choices in the order printed. */
export function draw(pool, size, number) {
  const random = seeded(parseInt(number, 10));
  return shuffle(pool, random).slice(0, Math.min(size, pool.length)).map((q) => ({
    q, choices: q.kind === "true_false" ? q.choices : shuffle(q.choices, random)
  }));
}

function readPool(root) {
  return all(root, "form" + sel("qid")).map((form) => ({
    id: form.getAttribute(ATTR.qid),
    kind: form.getAttribute(ATTR.kind),
    answer: form.getAttribute(ATTR.answer).split(","),
    prompt: form.querySelector(".tr-q__text").textContent,
    unit: (form.querySelector(".tr-numeric__unit") || { textContent: "" }).textContent,
    choices: all(form, sel("choice")).map((li) => ({ id: li.getAttribute(ATTR.choice), text: li.querySelector(".tr-choice__text").textContent })),
    cite: form.querySelector(sel("cite"))
  }));
}

function render(root, number) {
  const size = parseInt(root.getAttribute(ATTR.draw), 10) || 20;
  const paper = draw(readPool(root), size, number);
  all(root, sel("paperNumber")).forEach((n) => { n.textContent = number; });
  const list = root.querySelector(sel("paperQuestions"));
  const rows = root.querySelector(sel("paperKeyRows"));
  list.textContent = ""; rows.textContent = "";
  paper.forEach(({ q, choices }, i) => {
    const li = el("li", { class: "tr-paper__q" });
    li.appendChild(el("p", { class: "tr-paper__prompt" }, q.prompt));
    const kind = { single: T("单选题", "single choice"), multiple: T("多选题(选出全部正确项)", "multiple choice (mark every right answer)"),
                   true_false: T("判断题", "true or false"), numeric: T("计算题", "numeric") }[q.kind];
    li.appendChild(el("p", { class: "tr-paper__kind" }, kind));
    let key;
    if (q.kind === "numeric") {
      li.appendChild(el("p", { class: "tr-paper__blank" }, T("答案:", "Answer: ") + "________ " + q.unit));
      key = q.answer[0] + " " + q.unit;
    } else {
      const ul = el("ul", { class: "tr-paper__choices" });
      const letters = [];
      choices.forEach((c, k) => {
        ul.appendChild(el("li", {}, "☐ " + LETTERS[k] + ". " + c.text));
        if (q.answer.indexOf(c.id) >= 0) letters.push(LETTERS[k] + ". " + c.text);
      });
      li.appendChild(ul);
      key = letters.join(T(";", "; "));
    }
    list.appendChild(li);
    const tr = el("tr");
    tr.appendChild(el("td", {}, String(i + 1)));
    tr.appendChild(el("td", {}, key));
    const td = el("td");
    td.appendChild(el("a", { href: q.cite.getAttribute("href") }, q.cite.textContent));
    tr.appendChild(td);
    rows.appendChild(tr);
  });
  root.querySelector(sel("paperSheet")).hidden = false;
  root.querySelector(sel("paperKey")).hidden = false;
  root.querySelector(sel("paperPrint")).disabled = false;
}

export function initPaper(root) {
  if (!root.hasAttribute(ATTR.ready)) {
    root.setAttribute(ATTR.ready, "");
    root.querySelector(sel("paperNew")).addEventListener("click", () => {
      const number = freshNumber();
      history.replaceState(history.state, "", "#paper=" + number);
      render(root, number);
      root.querySelector(sel("paperSheet")).querySelector("h2").focus();
    });
    root.querySelector(sel("paperPrint")).addEventListener("click", () => window.print());
  }
  const number = numberFromHash();
  if (number) render(root, number);
}
