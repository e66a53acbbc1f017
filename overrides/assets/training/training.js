/* New-hire training, the entry module: finds the training blocks on a page and starts each one's module.
   handbook/pages/training.py makes the pages; overrides/assets/training/contract.js declares the names
   they share with these modules:
     contract.js        the data-* names (one declaration, read by the templates' build and the tests)
     progress-store.js  the progress in localStorage, validated on every read
     text.js            language, dates, plain-text elements, shuffling
     path.js            the reading path and the first week: steps, progress, next step, reset
     record.js          the record a supervisor signs
     section.js         a section page's controls: mark as read at the end, next step, back to the path
     quiz.js            quiz rounds and the exam (numbers read by the engine's rules: ../shared/numbers.js)
     paper.js           the printable supervised exam and its answer key

   Material's instant navigation re-inserts this script on every page that carries it; a module runs once,
   so it subscribes to document$ and starts whatever training block each new page has (every init is
   idempotent: each root remembers that its listeners are bound). */
import { ATTR, sel } from "./contract.js";
import { KEY } from "./progress-store.js";
import { all } from "./text.js";
import { initPath, renderPath } from "./path.js";
import { initSection } from "./section.js";
import { initQuiz, focusTarget } from "./quiz.js";
import { initPaper } from "./paper.js";

const START = { path: initPath, section: initSection, quiz: initQuiz, exam: initQuiz, paper: initPaper };

function init() {
  all(document, sel("root")).forEach((root) => {
    const start = START[root.getAttribute(ATTR.root)];
    if (start) start(root);
  });
}

window.addEventListener("hashchange", () => all(document, sel("root", "quiz")).forEach(focusTarget));
// another tab (say, the other language) changed the progress
window.addEventListener("storage", (ev) => {
  if (ev.key !== KEY && ev.key !== null) return;
  all(document, sel("root", "path")).forEach(renderPath);
});
window.addEventListener("beforeprint", () => all(document, sel("root", "path")).forEach(renderPath));

if (typeof window.document$ !== "undefined" && window.document$.subscribe) window.document$.subscribe(init);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
