// The one renderer of an engine result, used for the screen and for the printed worksheet: each
// view hands over its slots (elements of the page contract) and gets the same content. It reads the
// result's one declared shape (calculators/result.py SCHEMA, `python -m calculators --result-schema`),
// as the CLI's text renderer does: no guessing between shapes.

import { find } from "./contract.js";
import { h, marked } from "./dom.js";
import { AMOUNT_HEAD, AMOUNT_HEAD_OTHER, TEXT, pick } from "./messages.js";
import { display, isObj, unitText } from "./values.js";

/**
 * Slots of a view (any may be null):
 *   totalBox  the "Total …" line (hidden when the result sums nothing)
 *   total, unit, amountHead, lines (a <table> with a <tbody>), decision, warnings, notes
 *   attachments (what the applied clauses require the claim to attach)
 *   travellerPays (what a rule cuts: paid by the traveller, not in the total; its travellerPaysTotal names the sum)
 *   (warnings/notes/attachments/travellerPays: a box with a <ul>, hidden when empty)
 *   rulesAsOf (the sentence naming the version of the rules used, hidden when the result has none)
 *   approvers (a <tbody> the approvers the result names are added to)
 * ctx: {lang, sections, numbers (source marker -> as this language shows it), langBase (absolute
 *       URL of the page's language root, where the clause pages are), dateWord, chineseRun (the RegExp of a Chinese run: on English
 *       pages the engine's text marks them lang="zh")}
 */
export function renderResult(slots, r, ctx) {
  const L = ctx.lang;
  const cites = r.citations || {};
  const link = (id) => clauseLink(id, cites, ctx);
  const say = (text) => marked(display(text), L, ctx.chineseRun); // the engine's words
  const lines = r.lines || [];
  const hasTotal = lines.length > 0 || !isObj(r.decision);
  setText(slots.total, hasTotal ? display(r.total_text) : "");
  setText(slots.unit, hasTotal ? unitText(r, L) : "");
  if (slots.totalBox) slots.totalBox.hidden = !hasTotal;
  setText(slots.amountHead, pick(AMOUNT_HEAD[r.unit] || AMOUNT_HEAD_OTHER, L));

  if (slots.lines) {
    const body = slots.lines.querySelector("tbody");
    body.textContent = "";
    for (const line of lines) {
      body.append(h("tr", {}, h("td", {}, say(line[L])), h("td", { class: "calc-num", text: display(line.amount_text) }), h("td", {}, link(line.clause))));
    }
    slots.lines.hidden = !lines.length;
  }
  if (slots.decision) {
    slots.decision.textContent = "";
    for (const part of decisionParts(r.decision, L)) {
      slots.decision.append(h("p", {}, say(part.text), part.clause ? " " : null, part.clause ? link(part.clause) : null));
    }
    slots.decision.hidden = !slots.decision.childNodes.length;
  }
  for (const [box, list] of [[slots.warnings, r.warnings], [slots.notes, r.notes]]) {
    if (!box) continue;
    const ul = box.querySelector("ul");
    ul.textContent = "";
    for (const item of list || []) {
      ul.append(h("li", {}, say(item[L]), item.clause ? " " : null, item.clause ? link(item.clause) : null));
    }
    box.hidden = !(list && list.length);
  }
  if (slots.travellerPays) {
    const own = r.traveller_pays;
    const ul = slots.travellerPays.querySelector("ul");
    ul.textContent = "";
    for (const line of own.lines) {
      ul.append(h("li", {}, say(line[L]), pick([":", ": "], L) + display(line.amount_text) + " " + unitText(r, L) + " ", link(line.clause)));
    }
    setText(find(slots.travellerPays, "travellerPaysTotal"), display(own.total_text) + " " + unitText(r, L));
    slots.travellerPays.hidden = !own.lines.length;
  }
  if (slots.attachments) {
    const ul = slots.attachments.querySelector("ul");
    ul.textContent = "";
    for (const a of r.attachments) {
      const when = a.when ? pick(["(", " ("], L) + a.when[L] + pick([")", ")"], L) : "";
      const reading = a.reading ? h("span", { class: "calc-reading" }, " ", say(pick(["本手册的读法:", "The handbook's reading: "], L) + a.reading[L])) : null;
      ul.append(h("li", {}, say(display(a.label[L]) + when), " ", link(a.clause), reading));
    }
    slots.attachments.hidden = !ul.childNodes.length;
  }
  if (slots.rulesAsOf) {
    setText(slots.rulesAsOf, r.rules_as_of ? pick(TEXT.rulesAsOf, L)(r.rules_as_of) : "");
    slots.rulesAsOf.hidden = !r.rules_as_of;
  }
  if (slots.approvers) {
    slots.approvers.textContent = "";
    for (const a of approversOf(r.decision)) {
      slots.approvers.append(h("tr", {}, h("th", { scope: "row" }, say(a[L])), h("td"), h("td", { class: "calc-sheet__date", text: ctx.dateWord || "" })));
    }
  }
}

/** Empty every slot of a view: no total, no lines, no boxes. */
export function clearResult(slots) {
  setText(slots.total, "");
  setText(slots.unit, "");
  if (slots.totalBox) slots.totalBox.hidden = false;
  for (const key of ["lines", "decision", "warnings", "notes", "attachments", "travellerPays", "rulesAsOf"]) if (slots[key]) slots[key].hidden = true;
  if (slots.approvers) slots.approvers.textContent = "";
}

function setText(el, text) {
  if (el) el.textContent = text;
}

/** A link to a clause, labelled "section title  number  clause title" in the page's language. */
export function clauseLink(id, citations, ctx) {
  const c = (citations || {})[id];
  if (!c) return id ? h("span", { class: "calc-clause", text: id }) : null;
  const href = new URL(c.page + "#" + c.anchor, ctx.langBase).href;
  const sec = (ctx.sections || {})[c.section];
  const title = (c.title && c.title[ctx.lang]) || id;
  const number = c.number ? (ctx.numbers || {})[c.number] || c.number : "";
  const secTitle = (c.section_title && c.section_title[ctx.lang]) || (sec && sec.title[ctx.lang]);  // an amended heading: the result's day's
  const label = `${secTitle ? secTitle + " " : ""}${number} ${title}`.replace(/\s+/g, " ").trim();
  return h("a", { class: "calc-clause", href, title: id }, marked(label, ctx.lang, ctx.chineseRun));
}

/** A decision in words (who signs, what is needed): its label, its own sentence, then each statement it holds. */
export function decisionParts(d, L) {
  const out = [];
  if (!isObj(d)) return out;
  if (isObj(d.label) && d.label[L]) out.push({ text: d.label[L] });
  if (typeof d[L] === "string") out.push({ text: d[L], clause: d.clause });
  for (const [k, v] of Object.entries(d)) {
    if (k === "label" || !isObj(v) || typeof v[L] !== "string") continue;
    out.push({ text: v[L], clause: v.clause });
  }
  return out;
}

/** The approvers a decision names, in order (leave: who approves depends on the input). */
export function approversOf(d) {
  return isObj(d) && Array.isArray(d.approvers) ? d.approvers : [];
}
