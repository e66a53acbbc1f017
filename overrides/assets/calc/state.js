// The calculator page's state, as an explicit machine. The state is shown on the root element
// (contract role "state") and decides what the result panel may show:
//   starting  nothing computed yet for the inputs on screen (the engine may still be starting)
//   pending   the inputs changed; the total is cleared until the engine answers for them
//   ready     the result shown belongs to the inputs on screen
//   error     the inputs on screen are not valid; the message says why, no total
//   failed    the engine cannot start and the inputs on screen have no result
// Events: edit (the inputs changed), answer (a result for the inputs on screen), invalid (an error
// for them), engineFailed (the engine will never answer).

export const STATES = Object.freeze(["starting", "pending", "ready", "error", "failed"]);
export const EVENTS = Object.freeze(["edit", "answer", "invalid", "engineFailed"]);

export const TRANSITIONS = Object.freeze({
  starting: { edit: "pending", answer: "ready", invalid: "error", engineFailed: "failed" },
  pending: { edit: "pending", answer: "ready", invalid: "error", engineFailed: "failed" },
  ready: { edit: "pending", answer: "ready", invalid: "error", engineFailed: "ready" },
  error: { edit: "pending", answer: "ready", invalid: "error", engineFailed: "error" },
  failed: { edit: "failed", answer: "ready", invalid: "error", engineFailed: "failed" },
});

export function next(state, event) {
  const to = TRANSITIONS[state] && TRANSITIONS[state][event];
  if (!to) throw new Error(`no transition from ${state} on ${event}`);
  return to;
}

/** States in which no total may be on screen. */
export const NO_TOTAL = Object.freeze(new Set(["starting", "pending", "error", "failed"]));
