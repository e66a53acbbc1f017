"""Every table of the regulation can be read in full: on a 1280 px and a 375 px screen (each cell is in
view or inside a scrollable region that takes the keyboard focus and has a name) and on A4 paper (each
cell is inside the printed page box, nothing is clipped).

The meal-allowance table on /finance/travel/ was the known worst case: 833 px wide in a 712 px box,
its last column (雁江, 60) cut off on screen, unreachable by keyboard and clipped in print.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

# A4 portrait, 210 mm wide, less the 16 mm side margins of handbook.css's @page, in CSS pixels.
A4_CONTENT_WIDTH = round((210 - 2 * 16) / 25.4 * 96)

# Run in the page: every table cell that a reader cannot get to, with the reason.
UNREACHABLE = r"""(paper) => {
  const out = [];
  const vw = document.documentElement.clientWidth;
  const where = (cell) => {
    const fig = cell.closest('figure');
    return (fig ? fig.id : '?') + ' "' + cell.textContent.trim().slice(0, 20) + '"';
  };
  if (document.documentElement.scrollWidth > vw + 1) out.push('the page itself scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + vw);
  for (const cell of document.querySelectorAll('.md-content table th, .md-content table td')) {
    if (!cell.getClientRects().length) continue;  // not shown (display: none)
    const r = cell.getBoundingClientRect();
    let handled = false;  // inside a scrolling region, or already reported
    for (let el = cell.parentElement; el && el !== document.documentElement; el = el.parentElement) {
      const cs = getComputedStyle(el);
      if (cs.overflowX === 'visible') continue;
      const box = el.getBoundingClientRect();
      const outside = r.right > box.right + 1 || r.left < box.left - 1;
      if (!outside) continue;
      const scrolls = (cs.overflowX === 'auto' || cs.overflowX === 'scroll') && el.scrollWidth > el.clientWidth;
      handled = true;
      if (paper || !scrolls) { out.push(where(cell) + ': clipped by ' + el.tagName.toLowerCase() + '.' + el.className); break; }
      const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (el.tabIndex < 0 || el.getAttribute('role') !== 'region' || !named) {
        out.push(where(cell) + ': in a scrolling box that the keyboard cannot reach or that has no name (' + el.className + ')');
        break;
      }
      if (r.right > box.left - el.scrollLeft + el.scrollWidth + 1) { out.push(where(cell) + ': beyond the scrolling box'); break; }
      break;
    }
    if (!handled && (r.right > vw + 1 || r.left < -1)) out.push(where(cell) + ': outside the ' + (paper ? 'printed page' : 'screen') + ' (' + Math.round(r.left) + '..' + Math.round(r.right) + ' of ' + vw + ')');
  }
  return out;
}"""


def table_pages(site) -> list[str]:
    """Every built page (both languages) with a regulation table, as a path under the site root."""
    out = []
    for html in sorted(site.path.rglob("index.html")):
        if 'class="hb-table"' in html.read_text(encoding="utf-8"):
            out.append(html.relative_to(site.path).parent.as_posix() + "/")
    return out


@pytest.mark.parametrize("how", ["screen-1280", "screen-375", "print-A4"])
def test_every_table_cell_can_be_reached(browser, site, how):
    paper = how.startswith("print")
    width = A4_CONTENT_WIDTH if paper else int(re.search(r"\d+", how).group())
    context = browser.new_context(viewport={"width": width, "height": 900}, service_workers="block")
    page = context.new_page()
    if paper:
        page.emulate_media(media="print")
    problems = []
    pages = table_pages(site)
    assert "finance/travel/" in pages and "en/finance/travel/" in pages  # the known worst case is among them
    try:
        for path in pages:
            page.goto(site.url + path)
            problems += [f"{path}: {p}" for p in page.evaluate(UNREACHABLE, paper)]
    finally:
        context.close()
    assert not problems, f"{how}: {len(problems)} cells out of reach:\n" + "\n".join(problems[:40])


def test_a_wide_table_scrolls_by_keyboard(page, site):
    """On a phone the (English) meal-allowance table is a region that takes focus, named by its caption;
    the arrow keys scroll it to Yanjiang."""
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(site.url + "en/finance/travel/")
    region = page.locator("#table-meal-allowance-by-region [role=region]")
    assert region.get_attribute("tabindex") == "0"
    name = page.evaluate("(el) => document.getElementById(el.getAttribute('aria-labelledby')).textContent", region.element_handle())
    assert name.strip() and name.strip() in page.locator("#table-meal-allowance-by-region figcaption").text_content()
    region.focus()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"
    assert region.evaluate("(el) => el.scrollWidth > el.clientWidth"), "at 375 px the table is expected to scroll"
    for _ in range(40):
        page.keyboard.press("ArrowRight")
    # the scroll is smooth: it reaches the end some time after the last key press, so poll until a deadline
    page.wait_for_function("(el) => el.scrollLeft + el.clientWidth >= el.scrollWidth - 2", arg=region.element_handle(), timeout=10_000)
    page.watch.assert_clean()
