/* The section as in force on any day: the page carries every version of its text and figures, each element with
   data-from (first day) and data-to (last day, empty: open); the build shows the build day's and hides the rest
   (handbook/pages/site.py). Choosing a day in the picker (section.md.j2, [data-pit-date]) shows what was in force
   that day and hides the rest. No inline script or style: the hidden property only (CSP-safe). Event delegation
   on the document, so Material's instant navigation needs no re-initialisation. */

/** Whether an element with data-from/data-to is in force on day (ISO YYYY-MM-DD strings compare as dates). */
export function inForce(el, day) {
  const from = el.getAttribute("data-from") || "";
  const to = el.getAttribute("data-to") || "";
  return from <= day && (to === "" || day <= to);
}

/** Show, inside root, what is in force on day; returns the number of elements shown. */
export function showDay(root, day) {
  let shown = 0;
  for (const el of root.querySelectorAll("[data-from]")) {
    const on = inForce(el, day);
    el.hidden = !on;
    if (on) shown += 1;
  }
  return shown;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

function apply(input) {
  const root = input.closest("article") || document;
  const status = root.querySelector("[data-pit-status]");
  const min = input.getAttribute("min") || "";
  const day = input.value;
  if (!ISO.test(day) || day < min) {
    if (status) status.textContent = status.getAttribute(day && day < min ? "data-too-early" : "data-invalid") || "";
    return;
  }
  showDay(root, day);
  if (status) status.textContent = (status.getAttribute("data-showing") || "").replace("{day}", day);
}

for (const type of ["change", "input"]) {  // a typed day applies once it is a whole date; a picked one at once
  document.addEventListener(type, (event) => {
    const input = event.target;
    if (input instanceof HTMLInputElement && input.matches("[data-pit-date]")) apply(input);
  });
}
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-pit-today]") : null;
  if (!button) return;
  const input = (button.closest("article") || document).querySelector("[data-pit-date]");
  if (!input) return;
  input.value = input.getAttribute("data-today") || input.value;
  apply(input);
});
