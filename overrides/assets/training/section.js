/* A section page's training controls (issue 23): "mark as read", enabled once the reader has reached the
   end of the section (the controls sit there); the next step and the way back to the path are links made
   at build time (handbook/pages/templates/section.md.j2). */
import { ATTR, sel } from "./contract.js";
import { load, storageOk } from "./progress-store.js";
import { markLabel, toggleRead } from "./path.js";

function render(root) {
  const id = root.getAttribute(ATTR.section);
  const read = !!load().read[id];
  const btn = root.querySelector(sel("sectionMark"));
  markLabel(btn, read);
  btn.disabled = !read && !root.hasAttribute(ATTR.reachedEnd);
  const hint = root.querySelector(sel("sectionHint"));
  if (hint) hint.hidden = !btn.disabled;
  const warning = root.querySelector(sel("storageWarning"));
  if (warning) warning.hidden = storageOk();
}

export function initSection(root) {
  if (!root.hasAttribute(ATTR.ready)) {
    root.setAttribute(ATTR.ready, "");
    root.querySelector(sel("sectionMark")).addEventListener("click", () => {
      toggleRead(root.getAttribute(ATTR.section));
      render(root);
    });
    const reached = () => { root.setAttribute(ATTR.reachedEnd, ""); render(root); };
    if (typeof IntersectionObserver === "function") {
      const io = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) { io.disconnect(); reached(); }
      });
      io.observe(root);
    } else reached();
  }
  render(root);
}
