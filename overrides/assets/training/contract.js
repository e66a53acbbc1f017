// The page <-> script contract of the training pages: every data-* attribute that the training templates
// (handbook/pages/templates/training_*.j2, section.md.j2's controls) write and these modules read.
// This is its one declaration: the templates get the same names at build time (`{{ tr.qid }}`:
// handbook.pages.training.contract() reads the JSON between the two markers below with
// handbook.exports.calc_contract.attrs, as the calculator pages read theirs), the scripts import them from
// here, and tests/test_training_contract.py checks that the rendered pages and the scripts use no other
// data-* name. Keep the block strict JSON (double quotes, no trailing commas).

export const ATTR = Object.freeze(/* contract:begin */ {
  "root": "data-training",
  "lang": "data-lang",
  "quiz": "data-quiz",
  "pass": "data-pass",
  "draw": "data-draw",
  "round": "data-round",
  "requires": "data-requires",
  "ready": "data-tr-ready",
  "storageWarning": "data-storage-warning",

  "step": "data-step",
  "id": "data-id",
  "stepTitle": "data-step-title",
  "readDate": "data-read-date",
  "mark": "data-mark",
  "markState": "data-state",
  "quizStatus": "data-quiz-status",
  "progressBar": "data-progress-bar",
  "progressFill": "data-progress-fill",
  "progressText": "data-progress-text",
  "nextStep": "data-next-step",
  "nextLink": "data-next-link",
  "nextLabel": "data-next-label",
  "nextDone": "data-next-done",
  "nextMark": "data-next-mark",
  "print": "data-print",
  "reset": "data-reset",
  "resetDialog": "data-reset-dialog",
  "resetConfirm": "data-reset-confirm",

  "record": "data-record",
  "recordStatus": "data-record-status",
  "recordStatusDone": "data-record-status-done",
  "recordStatusOpen": "data-record-status-open",
  "recordSummary": "data-record-summary",
  "profile": "data-profile",
  "printDate": "data-print-date",
  "recordReadCount": "data-record-read-count",
  "recordSections": "data-record-sections",
  "recordSectionsEmpty": "data-record-sections-empty",
  "recordQuizzes": "data-record-quizzes",
  "recordQuiz": "data-record-quiz",

  "section": "data-section",
  "sectionMark": "data-section-mark",
  "sectionHint": "data-section-hint",
  "sectionNext": "data-section-next",
  "sectionBack": "data-section-back",
  "reachedEnd": "data-reached-end",

  "questions": "data-questions",
  "item": "data-item",
  "qid": "data-qid",
  "kind": "data-kind",
  "answer": "data-answer",
  "qNum": "data-q-num",
  "choice": "data-choice",
  "numeric": "data-numeric",
  "feedback": "data-feedback",
  "feedbackBody": "data-feedback-body",
  "cite": "data-cite",
  "check": "data-check",
  "error": "data-error",
  "verdictRight": "data-verdict-right",
  "verdictWrong": "data-verdict-wrong",
  "verdictHeld": "data-verdict-held",
  "given": "data-given",
  "next": "data-next",
  "nextQuestion": "data-next-question",
  "nextResult": "data-next-result",
  "lock": "data-lock",
  "lockList": "data-lock-list",

  "result": "data-result",
  "score": "data-score",
  "total": "data-total",
  "pct": "data-pct",
  "resultPass": "data-result-pass",
  "resultFail": "data-result-fail",
  "missed": "data-missed",
  "missedList": "data-missed-list",
  "newRound": "data-new-round",
  "continue": "data-continue",
  "scorebar": "data-scorebar",
  "answered": "data-answered",
  "count": "data-count",
  "right": "data-right",
  "status": "data-status",
  "restart": "data-restart",
  "restartConfirm": "data-restart-confirm",
  "restartYes": "data-restart-yes",
  "restartCancel": "data-restart-cancel",

  "paper": "data-paper",
  "paperNew": "data-paper-new",
  "paperNumber": "data-paper-number",
  "paperSheet": "data-paper-sheet",
  "paperQuestions": "data-paper-questions",
  "paperKey": "data-paper-key",
  "paperKeyRows": "data-paper-key-rows",
  "paperPrint": "data-paper-print"
} /* contract:end */);

/* The selector of an attribute: sel("qid") -> "[data-qid]", sel("mark", "x") -> '[data-mark="x"]'. */
export function sel(role, value) {
  const name = ATTR[role];
  if (!name) throw new Error("not in the training contract: " + role);
  return value === undefined ? "[" + name + "]" : "[" + name + '="' + String(value).replace(/"/g, '\\"') + '"]';
}

/* How many questions a quiz round asks, and the share of an exam that may repeat the last rounds. */
export const ROUND = Object.freeze({ min: 5, max: 8, recentKept: 120, examRepeatShare: 0.25 });
