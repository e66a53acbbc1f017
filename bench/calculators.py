"""Speed and size of the calculator pages, measured in headless Chromium. A benchmark, not a test.

    python bench/calculators.py [--site site | --base http://127.0.0.1:8000/] [--runs 5]
                                [--calc travel] [--lang zh] [--plain finance/travel/] [--json FILE]

Over --runs runs it prints the median and the spread (min–max) of:

* cold: navigation to the first correct total, in a fresh browser profile;
* warm: the same with the profile of the cold run (browser restarted: HTTP cache and V8's wasm
  code cache kept), which is what a reader sees on a later visit;
  both for the page as opened from the menu (its default input: the total is the one computed at
  build time and embedded in the page) and for a shared link with other inputs (the total has to
  be computed by Python in the browser), plus the time until the in-browser engine is ready;
* the longest main-thread task during load (the worker runs Python; the page must stay responsive);
* bytes transferred for the calculator page and for a plain rule page, and how many of them are
  Pyodide's (the plain page must load none);
* one calculation's round trip (page -> worker -> Python -> page) once the engine is up.

"Correct" means equal to what the engine gives natively for the same input. The browser is kept
offline (host resolver maps everything but 127.0.0.1 to nothing) and any request to another host
is counted. Launch flags: --no-sandbox --disable-gpu --disable-background-networking
--disable-component-update --disable-sync --no-first-run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

REPO = Path(__file__).resolve().parent.parent
# This file is called calculators.py: keep its folder off sys.path so the package is found.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(REPO))

import calculators  # noqa: E402
from calculators import api  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
TIMEOUT = 60.0

# A second input per calculator, different from DEFAULT_INPUT, for the shared-link runs.
VARIANTS = {
    "travel": lambda d: d["legs"][0].__setitem__("days", d["legs"][0]["days"] + 1),
    "errand": lambda d: d["days"][0].__setitem__("meals", 2),
    "training": lambda d: d.__setitem__("days", d["days"] + 1),
    "reception": lambda d: d.__setitem__("guests", d["guests"] + 1),
    "study": lambda d: d.__setitem__("sessions_attended", max(0, d["sessions_attended"] - 1)),
    "leave": lambda d: d.__setitem__("days", d["days"] + 1),
    "attendance": lambda d: d.__setitem__("minutes", d.get("minutes", 0) + 5),
}

# Runs before any page script: records when the total first shows the expected text, the
# main thread's long tasks, and Material/our own timings.
INIT = r"""
(() => {
  const B = window.__bench = { expected: %s, totalAt: null, source: null, longtasks: [] };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longtasks.push([Math.round(e.startTime), Math.round(e.duration)]);
    }).observe({ type: "longtask", buffered: true });
  } catch (e) {}
  const check = () => {
    if (B.totalAt !== null) return;
    const el = document.querySelector("[data-calc-total]");
    if (el && el.textContent === B.expected) {
      B.totalAt = performance.now();
      const root = el.closest("[data-calculator]");
      B.source = root && root.getAttribute("data-calc-source");
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
})();
"""

STATE = r"""
() => {
  const B = window.__bench || {};
  const rt = window.__handbookCalcRuntime;
  const res = performance.getEntriesByType("resource").map((e) => [e.name, e.transferSize, e.decodedBodySize]);
  const nav = performance.getEntriesByType("navigation")[0];
  if (nav) res.push([nav.name, nav.transferSize, nav.decodedBodySize]);
  const worker = ((rt && rt.resources) || []).map((e) => [e.name, e.transfer, e.body]);
  const own = performance.getEntriesByType("measure").filter((m) => m.name.startsWith("calc:")).map((m) => m.duration);
  return {
    totalAt: B.totalAt, source: B.source, longtasks: B.longtasks || [], own: own,
    ready: rt ? rt.state : null, readyAt: rt && rt.readyAt, startedAt: rt && rt.startedAt, mode: rt && rt.mode,
    error: rt && rt.error, resources: res.concat(worker),
  };
}
"""

ROUND_TRIP = r"""
async ([name, input, n]) => {
  const rt = window.__handbookCalcRuntime;
  const out = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await rt.run(name, input);
    out.push(performance.now() - t);
    if (i === 0) out.first = r.output;
  }
  return { times: out, output: (await rt.run(name, input)).output };
}
"""


def expected_total(name: str, data: dict) -> str:
    out = json.loads(api.run(name, json.dumps(data, ensure_ascii=False)))
    if not out.get("ok"):
        raise SystemExit(f"error: the bench input for {name} is invalid: {out['error']['en']}")
    return out["result"]["total_text"]


def classify(url: str) -> str:
    path = urlsplit(url).path
    if "/assets/pyodide/" in path or "/assets/calc/snapshot." in path or "/assets/calc/calculators." in path \
            or path.endswith("/assets/calc/manifest.json"):
        return "pyodide"
    if "/assets/calc/" in path or path.endswith("calc-loader.js"):
        return "calc-ui"
    return "page"


class Browser:
    """One Chromium launch on a given profile directory."""

    options: dict = {}

    def __init__(self, pw, profile: Path, expected: str):
        self.ctx = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=ARGS, headless=True, viewport={"width": 1280, "height": 900}
        )
        self.ctx.add_init_script(INIT % json.dumps(expected))
        if self.options:  # start-up variants, to measure what each optimisation is worth
            self.ctx.add_init_script(f"window.__handbookCalcOptions = {json.dumps(self.options)};")
        self.foreign: list[str] = []
        self.ctx.on("request", self._on_request)
        self.page = self.ctx.pages[0] if self.ctx.pages else self.ctx.new_page()

    def _on_request(self, req):
        host = urlsplit(req.url).hostname
        if req.url.startswith(("http://", "https://", "ws://", "wss://")) and host not in ("127.0.0.1", "localhost"):
            self.foreign.append(req.url)

    def load(self, url: str, want_total: bool = True, want_ready: bool = True) -> dict:
        self.page.goto(url, wait_until="commit")
        deadline = time.monotonic() + TIMEOUT
        while True:
            st = self.page.evaluate(STATE)
            done_total = (st["totalAt"] is not None) or not want_total
            done_ready = st["ready"] in ("ready", "failed") or not want_ready
            if done_total and done_ready:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"timeout on {url}: {st['ready']} {st['error']}")
            time.sleep(0.05)
        time.sleep(0.3)  # let late long tasks and resource entries land
        st = self.page.evaluate(STATE)
        if st["ready"] == "failed":
            raise RuntimeError(f"engine failed on {url}: {st['error']}")
        return st

    def close(self):
        self.ctx.close()


def summarize(st: dict) -> dict:
    bytes_by = {"page": 0, "calc-ui": 0, "pyodide": 0}
    for name, transfer, _body in st["resources"]:
        bytes_by[classify(name)] += transfer or 0
    until = (st["readyAt"] or st["totalAt"] or 0) + 1000
    tasks = [d for start, d in st["longtasks"] if start <= until]
    return {
        "total_ms": st["totalAt"],
        "source": st["source"],
        "ready_ms": st["readyAt"],
        "mode": st["mode"],
        "longest_task_ms": max(tasks, default=0),
        "own_ms": max(st.get("own") or [0]),
        "bytes": sum(bytes_by.values()),
        "bytes_pyodide": bytes_by["pyodide"],
        "bytes_calc_ui": bytes_by["calc-ui"],
    }


def stats(values):
    vals = [v for v in values if v is not None]
    if not vals:
        return None
    return {"median": statistics.median(vals), "min": min(vals), "max": max(vals), "n": len(vals)}


def fmt_ms(s):
    return "n/a" if not s else f"{s['median']:7.0f} ms  ({s['min']:.0f}–{s['max']:.0f})"


def fmt_bytes(s):
    if not s:
        return "n/a"
    def mb(x):
        return f"{x / 1e6:.2f} MB" if x >= 1e5 else f"{x / 1e3:.1f} kB"

    return f"{mb(s['median']):>9}  ({mb(s['min'])}–{mb(s['max'])})"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", type=Path, default=REPO / "site", help="built site to serve (default: site/)")
    ap.add_argument("--base", help="use a server already running at this URL instead of serving --site")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--calc", default="travel", choices=sorted(calculators.CALCULATORS))
    ap.add_argument("--lang", default="zh", choices=["zh", "en"])
    ap.add_argument("--plain", default="finance/travel/", help="a rule page without a calculator")
    ap.add_argument("--round-trips", type=int, default=30)
    ap.add_argument("--json", type=Path, help="also write the raw figures here")
    ap.add_argument("--no-snapshot", action="store_true", help="boot Pyodide normally (for comparison)")
    ap.add_argument("--no-precompile", action="store_true", help="let Pyodide compile its wasm itself (for comparison)")
    args = ap.parse_args(argv)
    if args.no_snapshot:
        Browser.options["snapshot"] = ""
    if args.no_precompile:
        Browser.options["precompile"] = False

    from playwright.sync_api import sync_playwright

    server = None
    if args.base:
        base = args.base if args.base.endswith("/") else args.base + "/"
    else:
        if not (args.site / "calculators" / args.calc / "index.html").exists():
            raise SystemExit(f"error: {args.site} has no calculators/{args.calc}/ page; build the site first (make build)")
        from handbook.serve import serve_in_thread

        server, base = serve_in_thread(args.site)

    module = calculators.CALCULATORS[args.calc]
    default = json.loads(json.dumps(module.DEFAULT_INPUT))
    variant = json.loads(json.dumps(module.DEFAULT_INPUT))
    VARIANTS[args.calc](variant)
    want_default = expected_total(args.calc, default)
    want_variant = expected_total(args.calc, variant)
    prefix = "en/" if args.lang == "en" else ""
    page_url = f"{base}{prefix}calculators/{args.calc}/"
    share_url = page_url + "#input=" + quote(json.dumps(variant, ensure_ascii=False, separators=(",", ":")), safe="")
    plain_url = f"{base}{prefix}{args.plain}"

    rows: dict[str, list] = {k: [] for k in (
        "default_cold", "default_warm", "share_cold", "share_warm", "plain_cold", "round_trip")}
    foreign: list[str] = []
    print(f"calculator page {page_url}  (expected total {want_default}; shared link: {want_variant})")
    print(f"plain page      {plain_url}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPU(s) (other work on the machine shows in the spread)")
    print(f"{args.runs} run(s); Chromium {CHROMIUM}; {time.strftime('%Y-%m-%d %H:%M')}"
          + (f"; start-up variant {Browser.options}" if Browser.options else ""))
    with sync_playwright() as pw:
        for i in range(args.runs):
            tmp = Path(tempfile.mkdtemp(prefix="calc-bench-"))
            try:
                # default page: cold, then warm (same profile, new browser)
                b = Browser(pw, tmp / "a", want_default)
                rows["default_cold"].append(summarize(b.load(page_url)))
                rt = b.page.evaluate(ROUND_TRIP, [args.calc, json.dumps(variant), args.round_trips])
                got = json.loads(rt["output"])["result"]["total_text"]
                if got != want_variant:
                    raise RuntimeError(f"round trip answered {got}, expected {want_variant}")
                rows["round_trip"].append(statistics.median(rt["times"]))
                foreign += b.foreign
                b.close()
                b = Browser(pw, tmp / "a", want_default)
                rows["default_warm"].append(summarize(b.load(page_url)))
                foreign += b.foreign
                b.close()
                # shared link with other inputs: the engine must compute it
                b = Browser(pw, tmp / "b", want_variant)
                rows["share_cold"].append(summarize(b.load(share_url)))
                foreign += b.foreign
                b.close()
                b = Browser(pw, tmp / "b", want_variant)
                rows["share_warm"].append(summarize(b.load(share_url)))
                foreign += b.foreign
                b.close()
                # plain page, fresh profile
                b = Browser(pw, tmp / "c", "")
                b.load(plain_url, want_total=False, want_ready=False)
                time.sleep(1.0)
                rows["plain_cold"].append(summarize(b.page.evaluate(STATE)))
                foreign += b.foreign
                b.close()
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            d, s = rows["default_cold"][-1], rows["share_cold"][-1]
            print(f"  run {i + 1}: default cold {d['total_ms']:.0f} ms ({d['source']}), shared cold {s['total_ms']:.0f} ms "
                  f"({s['source']}), warm {rows['share_warm'][-1]['total_ms']:.0f} ms, engine ready cold {s['ready_ms']:.0f} ms "
                  f"[{s['mode']}]", flush=True)
    if server:
        server.shutdown()

    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    def col(key, field):
        return stats([r[field] for r in rows[key]])

    print()
    print("                                          median      (min–max)")
    print("first correct total, default page (value computed at build time, embedded in the page)")
    print(f"  cold (fresh profile)                 {fmt_ms(col('default_cold', 'total_ms'))}")
    print(f"  warm (cached profile)                {fmt_ms(col('default_warm', 'total_ms'))}")
    print("first correct total, shared link with other inputs (computed by Python in the browser)")
    print(f"  cold (fresh profile)                 {fmt_ms(col('share_cold', 'total_ms'))}")
    print(f"  warm (cached profile)                {fmt_ms(col('share_warm', 'total_ms'))}")
    print("engine ready (Pyodide started, calculators imported)")
    print(f"  cold                                 {fmt_ms(col('share_cold', 'ready_ms'))}")
    print(f"  warm                                 {fmt_ms(col('share_warm', 'ready_ms'))}")
    print("longest main-thread task during load (until the engine is ready + 1 s; 0 = none over 50 ms)")
    print(f"  cold                                 {fmt_ms(stats([r['longest_task_ms'] for r in rows['default_cold'] + rows['share_cold']]))}")
    print(f"  warm                                 {fmt_ms(stats([r['longest_task_ms'] for r in rows['default_warm'] + rows['share_warm']]))}")
    print(f"  plain rule page (same theme, no calculator) {fmt_ms(stats([r['longest_task_ms'] for r in rows['plain_cold']]))}")
    print(f"  the calculator's own main-thread work (mount, render; longest) {fmt_ms(stats([r['own_ms'] for k in ('default_cold', 'default_warm', 'share_cold', 'share_warm') for r in rows[k]]))}")
    print("bytes transferred (cold)")
    print(f"  calculator page, all                 {fmt_bytes(col('default_cold', 'bytes'))}")
    print(f"    of which Pyodide + bundle          {fmt_bytes(col('default_cold', 'bytes_pyodide'))}")
    print(f"    of which calculator front-end      {fmt_bytes(col('default_cold', 'bytes_calc_ui'))}")
    print(f"  calculator page, warm                {fmt_bytes(col('default_warm', 'bytes'))}")
    print(f"  plain rule page, all                 {fmt_bytes(col('plain_cold', 'bytes'))}")
    print(f"    of which Pyodide + bundle          {fmt_bytes(col('plain_cold', 'bytes_pyodide'))}")
    print(f"one calculation's round trip           {fmt_ms(stats(rows['round_trip']))}".replace(" ms", " ms", 1))
    print(f"requests to other hosts                {len(foreign)}")
    modes = sorted({r["mode"] for r in rows["share_cold"] + rows["share_warm"] if r["mode"]})
    print(f"engine start-up mode                   {', '.join(modes)}")

    targets = [
        ("no main-thread task over 200 ms", max(r["longest_task_ms"] for k in ("default_cold", "default_warm", "share_cold", "share_warm") for r in rows[k]) <= 200),
        ("the calculator's own main-thread work under 50 ms", max(r["own_ms"] for k in ("default_cold", "default_warm", "share_cold", "share_warm") for r in rows[k]) <= 50),
        ("plain page loads zero bytes of Pyodide", all(r["bytes_pyodide"] == 0 for r in rows["plain_cold"])),
        ("warm first total within 1.5 s (default page)", col("default_warm", "total_ms")["median"] <= 1500),
        ("cold first total within 3 s (default page)", col("default_cold", "total_ms")["median"] <= 3000),
        ("warm first total within 1.5 s (shared link, computed in the browser)", col("share_warm", "total_ms")["median"] <= 1500),
        ("cold first total within 3 s (shared link, computed in the browser)", col("share_cold", "total_ms")["median"] <= 3000),
        ("no request to another host", not foreign),
    ]
    print()
    for label, ok in targets:
        print(f"  [{'met' if ok else 'MISSED'}] {label}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "foreign": foreign, "targets": dict(targets)}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
