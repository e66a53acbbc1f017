// A QR code of the share link on the printed worksheet, so that a paper copy can be reopened with
// a phone. Drawn with uqr (npm, MIT, copied into the site by handbook/runtime/pyodide_bundle.py: no CDN)
// as SVG elements; loaded only when a worksheet is filled. A link too long for a QR code gets none.

const SVG = "http://www.w3.org/2000/svg";
let uqr = null;

/** Draw text as a QR code into box (an element holding an <svg>); hide box when it cannot be. */
export async function drawQr(box, text) {
  if (!box) return;
  if (box.__qrText === text) return;
  box.__qrText = text;
  try {
    uqr = uqr || (await import("./vendor/uqr.mjs"));
    if (box.__qrText !== text) return; // a newer link came in meanwhile
    const { data, size } = uqr.encode(text, { ecc: "L", border: 2 });
    let d = "";
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (data[y][x]) d += `M${x},${y}h1v1h-1z`;
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("shape-rendering", "crispEdges");
    const bg = document.createElementNS(SVG, "rect");
    bg.setAttribute("width", size);
    bg.setAttribute("height", size);
    bg.setAttribute("fill", "#fff");
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", d);
    path.setAttribute("fill", "#000");
    svg.append(bg, path);
    box.replaceChildren(svg);
    box.hidden = false;
  } catch (err) {
    // Data too long for any QR version, or the module is missing: the printed link still works.
    box.replaceChildren();
    box.hidden = true;
  }
}
