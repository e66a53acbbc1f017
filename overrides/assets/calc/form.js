// The calculator's form (its field markup is rendered at build time): shows a contract input in
// the fields, reads the fields back, shows the engine's messages at the right field.

import { ATTR, attr, attrJson, find, findAll, sel } from "./contract.js";
import { BIDI_CONTROLS, h, marked } from "./dom.js";
import { pick, TEXT } from "./messages.js";
import { clone, display, getPath, isObj, parentPaths, parseNumber, setPath } from "./values.js";

export class Form {
  /** el: the <form>; scope: the calculator root (the form-level error box may sit outside it);
   *  chineseRun: the RegExp of a Chinese run (an English message, on either language's page, may
   *  quote the reader's Chinese input, which is then marked lang="zh"). */
  constructor(el, scope, lang, onEdit, chineseRun = null) {
    this.el = el;
    this.scope = scope;
    this.lang = lang;
    this.chineseRun = chineseRun;
    this.onEdit = onEdit; // (model, {delay}) after every edit
    this.model = {};
    this.places = new WeakMap(); // leg object -> the place name picked for it
    this.ownDescribedBy = new Map(); // invalid element -> its aria-describedby before the message
    this.bind();
  }

  t(pair) {
    return pick(pair, this.lang);
  }

  /** The repeated fields and their declared maximum: [{path, max, label}]. */
  lists() {
    return findAll(this.el, "repeat").map((box) => {
      const legend = box.querySelector("legend");
      return { path: attr(box, "repeat"), max: Number(attr(box, "max")), label: legend ? legend.textContent.trim() : attr(box, "repeat") };
    });
  }

  set(model) {
    this.model = model;
    this.render();
  }

  // ---------------------------------------------------------------- events

  bind() {
    const form = this.el;
    form.addEventListener("submit", (ev) => ev.preventDefault());
    form.addEventListener("input", (ev) => {
      const el = ev.target;
      if (el.matches && el.matches(`input${sel("path")}:not([type=checkbox])`)) this.edit(el, 250, false);
    });
    form.addEventListener("change", (ev) => {
      const el = ev.target;
      if (!el.matches) return;
      if (el.matches(sel("groupToggle"))) {
        const path = attr(el, "groupToggle");
        const group = el.closest(sel("group"));
        setPath(this.model, path, el.checked ? attrJson(group, "newItem", {}) || {} : undefined);
        this.changed(0, true);
      } else if (el.matches(`select${sel("path")}, input[type=checkbox]${sel("path")}`)) {
        this.edit(el, 0, true);
      } else if (el.matches(`input${sel("path")}`)) {
        this.edit(el, 0, false);
      }
    });
    form.addEventListener("click", (ev) => {
      const target = ev.target.closest ? ev.target : null;
      if (!target) return;
      const add = target.closest(sel("repeatAdd"));
      const remove = target.closest(sel("repeatRemove"));
      if (add) this.addRow(add.closest(sel("repeat")));
      if (remove) this.removeRow(remove.closest(sel("repeat")), remove.closest(sel("row")));
    });
  }

  readValue(el) {
    const type = attr(el, "type");
    const current = getPath(this.model, attr(el, "path"));
    if (type === "bool") return el.checked;
    if (el.tagName === "SELECT") {
      const opt = el.selectedOptions[0];
      if (!opt || opt.value === "") return undefined;
      if (opt.hasAttribute(ATTR.foreign)) return current;
      if (type === "tri") return opt.value === "true";
      if (type === "place") return attr(opt, "region");
      return opt.value;
    }
    if (type === "int" || type === "num") return parseNumber(el.value, units(el));
    const s = el.value.trim();
    return s === "" ? undefined : s;
  }

  edit(el, delay, rerender) {
    const path = attr(el, "path");
    setPath(this.model, path, this.readValue(el));
    if (attr(el, "type") === "place") {
      // The contract input holds the region only; which of its places was picked is remembered
      // per leg object (so it survives adding and removing rows).
      const opt = el.selectedOptions[0];
      const owner = getPath(this.model, path.replace(/\.[^.]+$/, ""));
      if (isObj(owner) && opt && attr(opt, "place")) this.places.set(owner, attr(opt, "place"));
    }
    this.changed(delay, rerender);
  }

  changed(delay, rerender) {
    if (rerender) this.renderValues();
    this.onEdit(this.model, { delay });
  }

  addRow(box) {
    const path = attr(box, "repeat");
    let list = getPath(this.model, path);
    if (!Array.isArray(list)) list = [];
    if (list.length >= Number(attr(box, "max") || 100)) return;
    list.push(clone(attrJson(box, "newItem", {}) || {}));
    setPath(this.model, path, list);
    this.render();
    const rows = findAll(box, "row");
    const first = rows.length && find(rows[rows.length - 1], "path");
    if (first) first.focus();
    this.changed(0, false);
  }

  removeRow(box, row) {
    const list = getPath(this.model, attr(box, "repeat"));
    if (!Array.isArray(list) || list.length <= Number(attr(box, "min") || 0)) return;
    list.splice(Number(attr(row, "rowIndex")), 1);
    this.render();
    this.changed(0, false);
  }

  // ---------------------------------------------------------------- model -> fields

  render() {
    for (const box of findAll(this.el, "repeat")) this.renderRows(box);
    this.renderValues();
  }

  renderRows(box) {
    const path = attr(box, "repeat");
    const list = getPath(this.model, path);
    const max = Number(attr(box, "max") || 100);
    // Never more rows than the form declares (a shared link is checked before; this is a guard).
    const n = Math.min(Array.isArray(list) ? list.length : 0, max);
    const items = find(box, "repeatItems");
    const tpl = box.querySelector(`template${sel("repeatTemplate")}`);
    const label = attr(box, "itemLabel") || "{n}";
    const rewrite = [ATTR.path, ATTR.errorFor, ATTR.group, ATTR.groupToggle, "id", "for", "aria-describedby"]; // (a leg's own lodging is a group in a row)
    items.textContent = "";
    for (let i = 0; i < n; i++) {
      const frag = tpl.content.cloneNode(true);
      const row = find(frag, "row");
      row.setAttribute(ATTR.rowIndex, String(i));
      for (const el of frag.querySelectorAll("*")) {
        for (const name of rewrite) {
          const v = el.getAttribute(name);
          if (v !== null && v.includes("[]")) el.setAttribute(name, v.split(path + "[]").join(`${path}[${i}]`));
        }
      }
      const lab = find(frag, "rowLabel");
      if (lab) lab.textContent = label.replace("{n}", String(i + 1));
      const rm = find(frag, "repeatRemove");
      if (rm) rm.disabled = n <= Number(attr(box, "min") || 0);
      items.append(frag);
    }
    const add = find(box, "repeatAdd");
    if (add) add.disabled = n >= max;
  }

  renderValues() {
    for (const group of findAll(this.el, "group")) {
      const on = getPath(this.model, attr(group, "group")) !== undefined;
      const toggle = find(group, "groupToggle");
      if (toggle) toggle.checked = on;
      const body = find(group, "groupBody");
      if (body) body.hidden = !on;
    }
    for (const el of findAll(this.el, "path")) {
      const path = attr(el, "path");
      const type = attr(el, "type");
      const v = getPath(this.model, path);
      if (type === "bool") {
        el.checked = v === true;
        continue;
      }
      if (el.tagName !== "SELECT") {
        if (document.activeElement === el && parseNumber(el.value, units(el)) === v) continue; // don't fight the caret
        el.value = display(v);
        continue;
      }
      for (const f of el.querySelectorAll(`option${sel("foreign")}`)) f.remove();
      if (type === "cls") this.filterClasses(el, path);
      let opt = null;
      if (v === undefined || v === null) {
        opt = el.querySelector('option[value=""]');
      } else if (type === "place") {
        const owner = getPath(this.model, path.replace(/\.[^.]+$/, ""));
        const want = isObj(owner) ? this.places.get(owner) : undefined;
        const all = Array.from(el.options).filter((o) => attr(o, "region") === v);
        opt = all.find((o) => attr(o, "place") && attr(o, "place") === want) || all[0] || null;
      } else {
        const want = type === "tri" ? display(v) : v;
        opt = Array.from(el.options).find((o) => o.value === want && !o.disabled && typeof want === "string") || null;
      }
      if (!opt) {
        opt = h("option", { value: "\u0000foreign", [ATTR.foreign]: true, text: display(v) + this.t(TEXT.notValid) });
        el.append(opt);
      }
      opt.selected = true;
    }
  }

  filterClasses(select, path) {
    const mode = getPath(this.model, path.replace(/class$/, "mode")) || "other";
    let any = false;
    for (const o of select.options) {
      const m = attr(o, "mode");
      if (!m) continue;
      const ok = m === mode;
      o.hidden = !ok;
      o.disabled = !ok;
      any = any || ok;
    }
    select.disabled = !any && getPath(this.model, path) === undefined;
  }

  // ---------------------------------------------------------------- messages

  clearErrors() {
    for (const p of findAll(this.scope, "errorFor")) {
      p.hidden = true;
      p.textContent = "";
    }
    for (const i of this.el.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
    for (const [i, own] of this.ownDescribedBy) {
      if (own) i.setAttribute("aria-describedby", own);
      else i.removeAttribute("aria-describedby");
    }
    this.ownDescribedBy.clear();
  }

  /** Show [zh, en] at the field (or the nearest enclosing one that has a message box). */
  showError(field, zh, en) {
    this.clearErrors();
    let target = null;
    for (const p of parentPaths(field)) {
      target = find(this.scope, "errorFor", p);
      if (target) break;
    }
    if (!target) return;
    // The page's language only: the Chinese page speaks Chinese (the engine's message names the field by its label).
    const [text, lang] = this.lang === "en" ? [en || zh, en ? "en" : "zh"] : [zh || en, zh ? "zh" : "en"];
    target.append(h("span", { lang, class: "calc-error__main" }, marked(text, lang, this.chineseRun)));
    target.hidden = false;
    if (!target.id) target.id = "calc-err-" + Math.random().toString(36).slice(2, 10);
    // The field itself, or for a list or a group its first field: marked invalid, and described
    // by the message (so a screen reader reads it with the field).
    const key = String(field || "");
    const invalid = key ? find(this.el, "path", key) || firstField(find(this.el, "repeat", key) || find(this.el, "group", key)) : null;
    if (invalid) {
      invalid.setAttribute("aria-invalid", "true");
      const own = invalid.getAttribute("aria-describedby") || "";
      this.ownDescribedBy.set(invalid, own);
      invalid.setAttribute("aria-describedby", (own ? own + " " : "") + target.id);
    }
  }

  // ---------------------------------------------------------------- the worksheet's input list

  /** [label, value] of every filled visible field, labels as the reader sees them. */
  summary() {
    const out = [];
    for (const el of findAll(this.el, "path")) {
      if (el.closest("[hidden]")) continue;
      const field = el.closest(".calc-field");
      const row = el.closest(sel("row"));
      let label;
      if (attr(el, "type") === "bool") label = (el.closest("label") || {}).textContent || attr(el, "path");
      else {
        const lab = field && field.querySelector("label");
        label = lab ? lab.childNodes[0].textContent : attr(el, "path");
      }
      if (row) {
        const rl = find(row, "rowLabel");
        if (rl) label = rl.textContent + " · " + label;
      }
      let value;
      if (attr(el, "type") === "bool") value = this.t(el.checked ? TEXT.yes : TEXT.no);
      else if (el.tagName === "SELECT") value = el.value === "" ? "" : el.selectedOptions[0].textContent;
      else value = el.value.replace(BIDI_CONTROLS, "").trim(); // as the engine reads a name
      if (value === "") continue;
      out.push([label.trim(), value]);
    }
    return out;
  }
}

/** The units the engine reads after this number field's value (fields.py Number.units()). */
function units(el) {
  const list = attrJson(el, "units", []);
  return Array.isArray(list) ? list : [];
}

function firstField(box) {
  return box ? find(box, "path") || find(box, "groupToggle") : null;
}
