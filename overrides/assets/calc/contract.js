// The page <-> script contract of the calculator pages: every data-* attribute that the page
// (handbook/pages/templates/calculator.html.j2 and calc_fields.html.j2) writes and these modules read.
// This is its one declaration: the templates get the same names at build time
// (handbook/exports/calc_contract.py reads the JSON between the two markers below), the scripts import
// them from here, and tests/test_calc_contract.py checks that the built pages and the scripts use
// no other data-* name. Keep the block strict JSON (double quotes, no trailing commas).

export const ATTR = Object.freeze(/* contract:begin */ {
  "root": "data-calculator",
  "lang": "data-lang",
  "langRoot": "data-lang-root",
  "module": "data-calc-module",
  "state": "data-calc-state",
  "mounted": "data-calc-mounted",
  "source": "data-calc-source",
  "input": "data-calc-input",
  "rules": "data-calc-rules",
  "data": "data-calc-data",
  "defaults": "data-calc-default",
  "sections": "data-calc-sections",
  "numbers": "data-calc-numbers",
  "initial": "data-calc-initial",
  "chineseRun": "data-calc-chinese-run",

  "status": "data-calc-status",
  "stage": "data-stage",
  "statusText": "data-calc-status-text",
  "failure": "data-calc-failure",
  "failureDetail": "data-calc-failure-detail",
  "cause": "data-cause",
  "retry": "data-calc-retry",
  "engine": "data-calc-engine",

  "form": "data-calc-form",
  "reset": "data-calc-reset",
  "path": "data-path",
  "type": "data-type",
  "min": "data-min",
  "max": "data-max",
  "units": "data-units",
  "repeat": "data-repeat",
  "repeatItems": "data-repeat-items",
  "repeatTemplate": "data-repeat-template",
  "repeatAdd": "data-repeat-add",
  "repeatRemove": "data-repeat-remove",
  "row": "data-row",
  "rowLabel": "data-row-label",
  "rowIndex": "data-index",
  "itemLabel": "data-item-label",
  "newItem": "data-new-item",
  "group": "data-group",
  "groupToggle": "data-group-toggle",
  "groupBody": "data-group-body",
  "errorFor": "data-error-for",
  "region": "data-region",
  "place": "data-place",
  "external": "data-external",
  "mode": "data-mode",
  "foreign": "data-foreign",

  "result": "data-calc-result",
  "totalBox": "data-calc-total-box",
  "total": "data-calc-total",
  "unit": "data-calc-unit",
  "miniTotal": "data-calc-mini",
  "miniTotalValue": "data-calc-mini-total",
  "miniTotalUnit": "data-calc-mini-unit",
  "decision": "data-calc-decision",
  "lines": "data-calc-lines",
  "amountHead": "data-calc-amount-head",
  "warnings": "data-calc-warnings",
  "notes": "data-calc-notes",
  "attachments": "data-calc-attachments",
  "travellerPays": "data-calc-traveller-pays",
  "travellerPaysTotal": "data-calc-traveller-pays-total",
  "rulesAsOf": "data-calc-rules-as-of",
  "share": "data-calc-share",
  "copy": "data-calc-copy",
  "print": "data-calc-print",

  "sheet": "data-calc-sheet",
  "sheetDate": "data-sheet-date",
  "sheetUrl": "data-sheet-url",
  "sheetQr": "data-sheet-qr",
  "sheetInputs": "data-sheet-inputs",
  "sheetDecision": "data-sheet-decision",
  "sheetLines": "data-sheet-lines",
  "sheetAmountHead": "data-sheet-amount-head",
  "sheetTotalBox": "data-sheet-total-box",
  "sheetTotal": "data-sheet-total",
  "sheetUnit": "data-sheet-unit",
  "sheetWarnings": "data-sheet-warnings",
  "sheetNotes": "data-sheet-notes",
  "sheetAttachments": "data-sheet-attachments",
  "sheetTravellerPays": "data-sheet-traveller-pays",
  "sheetRulesAsOf": "data-sheet-rules-as-of",
  "sheetApprovers": "data-sheet-approvers"
} /* contract:end */);

/** A CSS selector for an attribute of the contract, optionally with a value. */
export function sel(key, value) {
  const name = ATTR[key];
  if (!name) throw new Error(`not in the calculator page contract: ${key}`);
  if (value === undefined) return `[${name}]`;
  return `[${name}="${String(value).replace(/["\\]/g, "\\$&")}"]`;
}

/** The first element in scope with that attribute (and value), or null. */
export function find(scope, key, value) {
  return scope.querySelector(sel(key, value));
}

export function findAll(scope, key, value) {
  return Array.from(scope.querySelectorAll(sel(key, value)));
}

/** The attribute's value on el (null when absent). */
export function attr(el, key) {
  return el.getAttribute(ATTR[key]);
}

/** The attribute's value parsed as JSON, or fallback. */
export function attrJson(el, key, fallback = null) {
  const text = el ? el.getAttribute(ATTR[key]) : null;
  if (text === null) return fallback;
  try {
    return JSON.parse(text);
  } catch (e) {
    return fallback;
  }
}
