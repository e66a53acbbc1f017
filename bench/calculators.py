"""Speed and size of the calculator pages, measured in headless Chromium. A benchmark, not a test.

    python bench/calculators.py [--site site] [--runs 5] [--only new|old]
                                [--calc travel] [--lang zh] [--plain finance/travel/] [--json FILE]

Two setups, measured in the same run and interleaved, so that the gain is a ratio measured side by
side: "new" = the site as deployed now (service worker allowed; served by handbook/serve.py, which
sends the build's precompressed .br/.gz siblings and hashed names as immutable, as nginx does with
deploy/nginx.conf) and "old" = the same build without a service worker and without compression
(handbook/serve.py with compress=False). Each figure is printed next to its target (the issue's), with both setups' medians and their ratio.
Over --runs runs it prints the median and the spread (min–max) of:

* cold: navigation to the first correct total, in a fresh browser profile;
* warm: the same with the profile of the cold run (browser restarted: HTTP cache and V8's wasm
  code cache kept), which is what a reader sees on a later visit;
  both for the page as opened from the menu (its default input: the total is the one computed at
  build time and embedded in the page) and for a shared link with other inputs (the total has to
  be computed by Python in the browser), plus the time until the in-browser engine is ready;
* the longest main-thread task during load (the worker runs Python; the page must stay responsive);
* bytes on the wire (headers + encoded body, page and workers, from the browser's network events)
  for the calculator page and for a plain rule page, how many of them are Pyodide's (the plain page
  must load none) and whether the plain page fetched the search index before any search;
* what the service worker downloads for the offline copy (from offline-manifest.json, sizes as sent);
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
import re
import shutil
import statistics
import subprocess
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
from bench.page_engine import BUS, OPTIONS_KEY  # noqa: E402
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
OFFLINE_TIMEOUT = 120.0

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
async () => {
  const B = window.__bench || {};
  let rt = null;
  try {
    const bus = await %s;
    rt = bus.current(bus.TOPIC.engine) || null;
  } catch (e) {}
  const res = performance.getEntriesByType("resource").map((e) => [e.name, e.transferSize, e.decodedBodySize]);
  const nav = performance.getEntriesByType("navigation")[0];
  if (nav) res.push([nav.name, nav.transferSize, nav.decodedBodySize]);
  const worker = ((rt && rt.resources) || []).map((e) => [e.name, e.transfer, e.body]);
  const measures = performance.getEntriesByType("measure").filter((m) => m.name.startsWith("calc:"));
  const own = measures.map((m) => m.duration);
  const ownNamed = measures.map((m) => [m.name, m.duration]);
  return {
    totalAt: B.totalAt, source: B.source, longtasks: B.longtasks || [], own: own, own_named: ownNamed,
    ready: rt ? rt.state : null, readyAt: rt && rt.readyAt, startedAt: rt && rt.startedAt, mode: rt && rt.mode,
    error: rt && rt.error, resources: res.concat(worker), timings: (rt && rt.timings) || null,
    lastRun: (rt && rt.lastRun) || null,
  };
}
""" % BUS

ROUND_TRIP = r"""
async ([name, input, n]) => {
  const bus = await %s;
  const rt = bus.current(bus.TOPIC.engine);
  const out = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await rt.run(name, input);
    out.push(performance.now() - t);
    if (i === 0) out.first = r.output;
  }
  return { times: out, output: (await rt.run(name, input)).output };
}
""" % BUS

# A second calculator reached by Material's instant navigation (a click on a link to it, added to the page),
# from a shared link: the time from the navigation's start to that page's correct total, and whether the
# engine is the one the first page started (the page bus's engine, unchanged) and the page was not reloaded.
NAVIGATE = r"""
async ([url, expected, name]) => {
  const bus = await %s;
  const before = bus.current(bus.TOPIC.engine);
  // the page's own marks since the click (calc:mount, calc:show): where the time goes
  const marks = (t0) => performance.getEntriesByType("measure").filter((m) => m.startTime >= t0 && m.name.startsWith("calc:"))
    .map((m) => [m.name, Math.round(m.startTime - t0), Math.round(m.duration)]);
  const nav = (window.__benchNav = { t0: performance.now(), ms: null });
  const check = () => {
    const root = document.querySelector(`[data-calculator="${name}"]`);
    const el = root && root.querySelector("[data-calc-total]");
    if (nav.ms === null && el && el.textContent === expected) {
      obs.disconnect();
      Object.assign(nav, { ms: performance.now() - nav.t0, source: root.getAttribute("data-calc-source"), marks: marks(nav.t0),
                           kept: bus.current(bus.TOPIC.engine) === before && before.state === "ready" });
    }
  };
  const obs = new MutationObserver(check);
  obs.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  const link = document.createElement("a");
  link.href = url;
  link.textContent = name;
  document.querySelector("article").append(link);
  link.click();
}
""" % BUS


def expected_total(name: str, data: dict) -> str:
    out = json.loads(api.run(name, json.dumps(data, ensure_ascii=False)))
    if not out.get("ok"):
        raise SystemExit(f"error: the bench input for {name} is invalid: {out['error']['en']}")
    return out["result"]["total_text"]


def classify(url: str) -> str:
    path = urlsplit(url).path
    if "/assets/pyodide/" in path or re.search(r"/assets/calc/(snapshot|calculators|stdlib|nostdlib)\.", path) \
            or path.endswith("/assets/calc/manifest.json"):
        return "pyodide"
    if "/assets/calc/" in path or path.endswith("calc-loader.js"):
        return "calc-ui"
    # the search index and the code the worker imports only to build it: what a page that is only read
    # must not fetch (Material's stub search_index.json, worker.js with protocol.js, the messages it answers from the
    # start, and box.js come with every page: as tests/browser/test_search_box.py's SearchRequests has it)
    if re.search(r"/search/clauses\.", path) or ("/assets/search/" in path and not path.endswith(("/worker.js", "/protocol.js", "/box.js"))):
        return "search"
    return "page"


# register.js publishes what is cached on the page's bus (overrides/assets/shared/bus.js, topic "offline")
OFFLINE_DONE = """async (group) => {
  const src = document.querySelector('script[src*="assets/offline/register.js"]').src;
  return ((await import(new URL('../shared/bus.js', src))).current('offline') || {})[group] === true;
}"""


class Browser:
    """One Chromium launch on a given profile directory, with or without service workers."""

    options: dict = {}

    def __init__(self, pw, profile: Path, expected: str, service_workers: bool):
        self.ctx = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=ARGS, headless=True, viewport={"width": 1280, "height": 900},
            service_workers="allow" if service_workers else "block",
        )
        self.ctx.add_init_script(INIT % json.dumps(expected))
        if self.options:  # start-up variants, to measure what each optimisation is worth
            self.ctx.add_init_script(f"try {{ sessionStorage.setItem({json.dumps(OPTIONS_KEY)}, {json.dumps(json.dumps(self.options))}); }} catch (e) {{}}")
        self.foreign: list[str] = []
        self.transfers: list[tuple[str, int]] = []
        self.ctx.on("request", self._on_request)
        self.ctx.on("requestfinished", self._on_finished)
        self.page = self.ctx.pages[0] if self.ctx.pages else self.ctx.new_page()

    def _on_request(self, req):
        host = urlsplit(req.url).hostname
        if req.url.startswith(("http://", "https://", "ws://", "wss://")) and host not in ("127.0.0.1", "localhost"):
            self.foreign.append(req.url)

    def _on_finished(self, req):
        # bytes on the wire (headers + encoded body), for the page and its workers; a response the
        # service worker or the HTTP cache gives costs none
        try:
            resp = req.response()
            if resp is None or resp.from_service_worker:
                return
            sizes = req.sizes()
            self.transfers.append((req.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))
        except Exception:
            pass

    def load(self, url: str, want_total: bool = True, want_ready: bool = True) -> dict:
        self.transfers.clear()
        self.page.goto(url, wait_until="commit")
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                st = self.page.evaluate(STATE)
            except Exception:  # the page navigated (a service worker's first reload)
                time.sleep(0.05)
                continue
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
        st["transfers"] = list(self.transfers)
        return st

    def wait_offline(self, group: str) -> bool:
        """Wait until the service worker has cached a group (shell, runtime), for the warm runs."""
        deadline = time.monotonic() + OFFLINE_TIMEOUT
        while time.monotonic() < deadline:  # polled: evaluate() awaits the module import
            try:
                if self.page.evaluate(OFFLINE_DONE, group):
                    return True
            except Exception:
                pass
            self.page.wait_for_timeout(250)
        return False

    def close(self):
        self.ctx.close()


def summarize(st: dict) -> dict:
    bytes_by = {"page": 0, "calc-ui": 0, "pyodide": 0, "search": 0}
    for name, transfer in st["transfers"]:
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
        "bytes_search": bytes_by["search"],
        "search_requested": any(classify(n) == "search" for n, _t in st["transfers"]),
        # the worker's own clock (ms from its start): where the engine's start-up time goes
        "worker": st.get("timings") or {},
        "worker_started_ms": st.get("startedAt"),
        # after "engine ready": Python's time for the answer, when the page had it, and the page's own work
        "python_ms": (st.get("lastRun") or {}).get("ms"),
        "answer_ms": (st.get("lastRun") or {}).get("at"),
        "show_ms": max([d for n, d in st.get("own_named") or [] if n == "calc:show"], default=None),
    }


def stats(values):
    vals = [v for v in values if v is not None]
    if not vals:
        return None
    return {"median": statistics.median(vals), "min": min(vals), "max": max(vals), "n": len(vals)}


def fmt_ms(s):
    return "n/a" if not s else f"{s['median']:.0f} ms ({s['min']:.0f}–{s['max']:.0f})"


def mb(x):
    return f"{x / 1e6:.2f} MB" if x >= 1e5 else f"{x / 1e3:.1f} kB"


def fmt_bytes(s):
    return "n/a" if not s else mb(s["median"])


def offline_download(site: Path) -> dict | None:
    """What the service worker downloads in idle time: each file as the server sends it (its .br
    sibling when the build made one, as handbook/serve.py and nginx send to a browser that accepts br)."""
    path = site / "offline-manifest.json"
    if not path.exists():
        return None
    m = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for group in ("shell", "runtime"):
        raw = packed = 0
        for rel in m[group]:
            f = site / "index.html" if rel == "./" else site / (rel + "index.html" if rel.endswith("/") else rel)
            size = f.stat().st_size
            br = f.with_name(f.name + ".br")
            raw += size
            packed += br.stat().st_size if br.exists() else size
        out[group] = {"files": len(m[group]), "raw": raw, "sent": packed}
    return out


LIGHTHOUSE = REPO / "node_modules" / "lighthouse" / "cli" / "index.js"
LH_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse(url: str) -> dict:
    """One Lighthouse run (its default: the mobile profile, simulated throttling) on the local site, in the
    same Chromium, kept offline as the browser runs above; the scores (0–100), CLS, TBT, LCP, and what fails."""
    if not LIGHTHOUSE.exists():
        raise SystemExit("error: Lighthouse is not installed (npm ci: it is a dev dependency in package.json)")
    flags = " ".join(a if " " not in a else a.replace("=", '="', 1) + '"' for a in ARGS) + " --headless=new"
    with tempfile.TemporaryDirectory(prefix="calc-bench-lh-") as tmp:
        out = Path(tmp) / "report.json"
        cmd = ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               "--only-categories=" + ",".join(LH_CATEGORIES), f"--chrome-flags={flags}"]
        proc = subprocess.run(cmd, env=dict(os.environ, CHROME_PATH=CHROMIUM), capture_output=True, text=True, timeout=300)
        if proc.returncode or not out.exists():
            raise RuntimeError(f"lighthouse failed on {url}: {proc.stderr[-2000:]}")
        report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    failing = sorted({a for c in LH_CATEGORIES for ref in report["categories"][c]["auditRefs"] if ref["weight"] > 0
                      for a in [ref["id"]] if (audits[a].get("score") is not None and audits[a]["score"] < 0.9)})
    return {
        **{c: round(100 * (report["categories"][c]["score"] or 0)) for c in LH_CATEGORIES},
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "failing": failing,
        "runtime_error": (report.get("runtimeError") or {}).get("message"),
    }


def time_builds(n: int) -> tuple[list[float], list[dict]]:
    """Wall time of n full builds (python -m handbook.build, both languages, post-build), each into a new
    folder, and where each one's time went (the build's own "phases:" line, with --verbose)."""
    times, phases = [], []
    for _ in range(n):
        with tempfile.TemporaryDirectory(prefix="calc-bench-build-") as tmp:
            started = time.monotonic()
            proc = subprocess.run([sys.executable, "-m", "handbook.build", "--out", str(Path(tmp) / "site"), "--verbose"],
                                  cwd=REPO, check=True, capture_output=True, text=True)
            times.append(time.monotonic() - started)
            line = next((x for x in proc.stdout.splitlines() if x.startswith("phases: ")), "phases: ")
            phases.append({k: float(v.rstrip("s")) for k, v in (p.split(" ") for p in line[8:].split(", ") if p)})
    return times, phases


SETUPS = {
    "new": "service worker + precompressed br/gz (handbook/serve.py, as nginx with deploy/nginx.conf)",
    "old": "no service worker, no compression (handbook/serve.py --no-compress)",
}


def run_setup(pw, setup: str, base: str, urls: dict, want: dict, args, rows: dict, foreign: list):
    sw = setup == "new"
    tmp = Path(tempfile.mkdtemp(prefix="calc-bench-"))
    r = rows[setup]
    try:
        # default page: cold, then warm (same profile, new browser)
        b = Browser(pw, tmp / "a", want["default"], sw)
        r["default_cold"].append(summarize(b.load(urls["page"])))
        rt = b.page.evaluate(ROUND_TRIP, [args.calc, json.dumps(want["variant_input"]), args.round_trips])
        got = json.loads(rt["output"])["result"]["total_text"]
        if got != want["variant"]:
            raise RuntimeError(f"round trip answered {got}, expected {want['variant']}")
        r["round_trip"].append(statistics.median(rt["times"]))
        if sw:
            r["cached"].append(b.wait_offline("shell") and b.wait_offline("runtime"))
        foreign += b.foreign
        b.close()
        b = Browser(pw, tmp / "a", want["default"], sw)
        r["default_warm"].append(summarize(b.load(urls["page"])))
        foreign += b.foreign
        b.close()
        # shared link with other inputs: the engine must compute it
        b = Browser(pw, tmp / "b", want["variant"], sw)
        r["share_cold"].append(summarize(b.load(urls["share"])))
        # then a second calculator, by instant navigation, from a shared link: the engine is kept. Measured in
        # "new" only, served at the address the site was built for (Material takes only its sitemap's links).
        if sw:
            try:  # Material's bundle has run and fetched its sitemap, which decides which links it takes
                b.page.wait_for_load_state("networkidle", timeout=TIMEOUT * 1000)
            except Exception:
                pass
            b.page.wait_for_function("() => typeof document$ !== 'undefined'")
            b.page.evaluate(NAVIGATE, [urls["second"], want["second"], args.second])
            nav, deadline = None, time.monotonic() + 30
            while nav is None and time.monotonic() < deadline:
                time.sleep(0.05)
                try:
                    nav = b.page.evaluate("() => window.__benchNav ? (window.__benchNav.ms === null ? null : window.__benchNav) : false")
                except Exception:
                    nav = None  # the page is being replaced
            if not nav:
                print(f"  instant navigation to {args.second}: no total in the same page within 30 s "
                      f"({'a full page load' if nav is False else 'no answer'}; not counted)", flush=True)
            elif not nav["kept"]:
                raise RuntimeError(f"instant navigation to {args.second} did not keep the engine: {nav}")
            else:
                r["second_nav"].append({"total_ms": nav["ms"], "source": nav["source"], "marks": nav["marks"]})
        if sw:
            b.wait_offline("shell") and b.wait_offline("runtime")
        foreign += b.foreign
        b.close()
        b = Browser(pw, tmp / "b", want["variant"], sw)
        r["share_warm"].append(summarize(b.load(urls["share"])))
        foreign += b.foreign
        b.close()
        # plain page, fresh profile
        b = Browser(pw, tmp / "c", "", sw)
        b.load(urls["plain"], want_total=False, want_ready=False)
        try:  # everything the page (and Material's search worker) fetches without being asked
            b.page.wait_for_load_state("networkidle", timeout=TIMEOUT * 1000)
        except Exception:
            pass
        time.sleep(1.0)
        st2 = b.page.evaluate(STATE)
        st2["transfers"] = list(b.transfers)
        r["plain_cold"].append(summarize(st2))
        foreign += b.foreign
        b.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", type=Path, default=REPO / "site", help="built site to serve (default: site/)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--calc", default="travel", choices=sorted(calculators.CALCULATORS))
    ap.add_argument("--lang", default="zh", choices=["zh", "en"])
    ap.add_argument("--plain", default="finance/travel/", help="a rule page without a calculator")
    ap.add_argument("--second", default="leave", choices=sorted(calculators.CALCULATORS),
                    help="the calculator reached by instant navigation from the first (default: leave)")
    ap.add_argument("--lighthouse", type=int, default=1, metavar="N",
                    help="Lighthouse runs (mobile profile) on the rule page and the calculator page, per setup (0: none)")
    ap.add_argument("--build", type=int, default=0, metavar="N", help="also time N full builds (python -m handbook.build)")
    ap.add_argument("--round-trips", type=int, default=30)
    ap.add_argument("--only", choices=sorted(SETUPS), help="measure one setup only (default: both, side by side)")
    ap.add_argument("--json", type=Path, help="also write the raw figures here")
    ap.add_argument("--no-snapshot", action="store_true", help="boot Pyodide normally (for comparison)")
    ap.add_argument("--no-precompile", action="store_true", help="let Pyodide compile its wasm itself (for comparison)")
    args = ap.parse_args(argv)
    if args.no_snapshot:
        Browser.options["snapshot"] = ""
    if args.no_precompile:
        Browser.options["precompile"] = False

    from playwright.sync_api import sync_playwright

    from handbook import serve

    if not (args.site / "calculators" / args.calc / "index.html").exists():
        raise SystemExit(f"error: {args.site} has no calculators/{args.calc}/ page; build the site first (make build)")
    setups = [args.only] if args.only else ["new", "old"]
    # "new" at the address the site was built for (its sitemap's): Material's instant navigation takes only the
    # links its sitemap lists, so a second calculator is reached by instant navigation only there
    built_for = urlsplit(re.search(r"<loc>([^<]+)</loc>", (args.site / "sitemap.xml").read_text(encoding="utf-8")).group(1))
    port = built_for.port if built_for.hostname in ("127.0.0.1", "localhost") and built_for.port else 0
    servers = {"new": serve.serve_in_thread(args.site, port=port), "old": serve.serve_in_thread(args.site, compress=False)}
    for srv, _base in servers.values():  # a browser closed mid-download is not news here
        srv.handle_error = lambda request, client_address: None

    module = calculators.CALCULATORS[args.calc]
    default = json.loads(json.dumps(module.DEFAULT_INPUT))
    variant = json.loads(json.dumps(module.DEFAULT_INPUT))
    VARIANTS[args.calc](variant)
    second = json.loads(json.dumps(calculators.CALCULATORS[args.second].DEFAULT_INPUT))
    VARIANTS[args.second](second)
    want = {"default": expected_total(args.calc, default), "variant": expected_total(args.calc, variant), "variant_input": variant,
            "second": expected_total(args.second, second)}
    prefix = "en/" if args.lang == "en" else ""

    def urls(base):
        page_url = f"{base}{prefix}calculators/{args.calc}/"
        return {
            "page": page_url,
            "share": page_url + "#input=" + quote(json.dumps(variant, ensure_ascii=False, separators=(",", ":")), safe=""),
            "plain": f"{base}{prefix}{args.plain}",
            "second": f"{base}{prefix}calculators/{args.second}/#input="
                      + quote(json.dumps(second, ensure_ascii=False, separators=(",", ":")), safe=""),
        }

    keys = ("default_cold", "default_warm", "share_cold", "share_warm", "second_nav", "plain_cold", "round_trip", "cached")
    rows = {s: {k: [] for k in keys} for s in setups}
    foreign: list[str] = []
    print(f"calculator page {urls('')['page']}  (expected total {want['default']}; shared link: {want['variant']})")
    print(f"plain page      {urls('')['plain']}")
    for s in setups:
        print(f"setup {s:3}: {SETUPS[s]} at {servers[s][1]}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPU(s) (other work on the machine shows in the spread)")
    print(f"{args.runs} run(s); Chromium {CHROMIUM}; {time.strftime('%Y-%m-%d %H:%M')}"
          + (f"; start-up variant {Browser.options}" if Browser.options else ""))
    with sync_playwright() as pw:
        for i in range(args.runs):
            for s in setups:  # interleaved, so that the machine's load weighs on both alike
                run_setup(pw, s, servers[s][1], urls(servers[s][1]), want, args, rows, foreign)
                r = rows[s]
                print(f"  run {i + 1} {s}: shared link cold {r['share_cold'][-1]['total_ms']:.0f} ms, warm "
                      f"{r['share_warm'][-1]['total_ms']:.0f} ms; engine ready cold {r['share_cold'][-1]['ready_ms']:.0f} ms "
                      f"[{r['share_cold'][-1]['mode']}]; "
                      + (f"{args.second} by instant navigation {r['second_nav'][-1]['total_ms']:.0f} ms {r['second_nav'][-1]['marks']}; " if r["second_nav"] else "")
                      + f"first visit {mb(r['default_cold'][-1]['bytes'])}", flush=True)
        lh = {s: {"rule page": [], "calculator page": []} for s in setups}
        for i in range(args.lighthouse):
            for s in setups:
                for what, url in (("rule page", urls(servers[s][1])["plain"]), ("calculator page", urls(servers[s][1])["page"])):
                    lh[s][what].append(lighthouse(url))
                    x = lh[s][what][-1]
                    print(f"  lighthouse {i + 1} {s} {what}: " + ", ".join(f"{c} {x[c]}" for c in LH_CATEGORIES)
                          + f", CLS {x['cls']:.3f}, TBT {x['tbt_ms']:.0f} ms" + (f"; below 0.9: {', '.join(x['failing'])}" if x["failing"] else ""), flush=True)
    for server, _base in servers.values():
        server.shutdown()
    builds, phases = time_builds(args.build) if args.build else ([], [])
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    def col(s, key, field):
        return stats([x[field] for x in rows[s][key]]) if s in rows else None

    def med(s, key, field):
        c = col(s, key, field)
        return c["median"] if c else None

    # (label, key, field, kind, target value, target text)
    figures = [
        ("first correct total, shared link, warm", "share_warm", "total_ms", "ms", 600, "≤ 0.6 s"),
        ("first correct total, shared link, cold", "share_cold", "total_ms", "ms", 900, "≤ 0.9 s"),
        ("second calculator by instant navigation", "second_nav", "total_ms", "ms", 150, "≤ 150 ms"),
        ("first correct total, page as opened, warm", "default_warm", "total_ms", "ms", 1500, "≤ 1.5 s"),
        ("first correct total, page as opened, cold", "default_cold", "total_ms", "ms", 3000, "≤ 3 s"),
        ("engine ready, warm", "share_warm", "ready_ms", "ms", None, "—"),
        ("engine ready, cold", "share_cold", "ready_ms", "ms", None, "—"),
        ("bytes, first calculator visit (cold)", "default_cold", "bytes", "B", 8e6, "≤ 8 MB"),
        ("  of which Pyodide, bundle, snapshot", "default_cold", "bytes_pyodide", "B", None, "—"),
        ("bytes, calculator page, warm", "default_warm", "bytes", "B", None, "—"),
        ("bytes, plain rule page (cold)", "plain_cold", "bytes", "B", 300e3, "≤ 300 kB"),
        ("  of which Pyodide", "plain_cold", "bytes_pyodide", "B", 0, "0"),
        ("  of which search index (no search typed)", "plain_cold", "bytes_search", "B", 0, "0"),
        ("longest main-thread task, calculator page, cold", "share_cold", "longest_task_ms", "ms", 200, "≤ 200 ms"),
        ("one calculation's round trip", "round_trip", None, "ms", None, "—"),
    ]
    print()
    head = f"{'figure':48} {'target':>9}  {'new':>22}  {'old':>22}  {'old/new':>7}  met (new)"
    print(head)
    print("-" * len(head))
    results = []
    for label, key, field, kind, target, ttext in figures:
        cells, meds = [], {}
        for s in ("new", "old"):
            if s not in rows:
                cells.append("—")
                continue
            c = stats(rows[s][key]) if field is None else col(s, key, field)
            meds[s] = c["median"] if c else None
            cells.append("n/a" if not c else (fmt_ms(c) if kind == "ms" else fmt_bytes(c)))
        ratio = f"{meds['old'] / meds['new']:.1f}×" if meds.get("new") and meds.get("old") else "—"
        met = "" if target is None or meds.get("new") is None else ("met" if meds["new"] <= target else "MISSED")
        results.append({"figure": label, "target": ttext, "new": meds.get("new"), "old": meds.get("old"), "met": met})
        print(f"{label:48} {ttext:>9}  {cells[0]:>22}  {cells[1]:>22}  {ratio:>7}  {met}")
    if args.lighthouse:
        print(f"\nLighthouse 12, mobile profile (median of {args.lighthouse} run(s) a page)")
        head = f"{'page':16} {'setup':5} " + " ".join(f"{c[:13]:>13}" for c in LH_CATEGORIES) + f" {'CLS':>6} {'TBT':>7}  met (≥ 95 each, CLS ≤ 0.05)"
        print(head)
        print("-" * len(head))
        for s in setups:
            for what, runs in lh[s].items():
                m = {k: statistics.median([x[k] for x in runs]) for k in (*LH_CATEGORIES, "cls", "tbt_ms")}
                met = all(m[c] >= 95 for c in LH_CATEGORIES) and m["cls"] <= 0.05
                print(f"{what:16} {s:5} " + " ".join(f"{m[c]:>13.0f}" for c in LH_CATEGORIES)
                      + f" {m['cls']:>6.3f} {m['tbt_ms']:>5.0f}ms  {'met' if met else 'MISSED'}")
                results.append({"figure": f"lighthouse {what}", "setup": s, **m, "met": "met" if met else "MISSED",
                                "failing": sorted({a for x in runs for a in x["failing"]})})
    if builds:
        b = stats(builds)
        print(f"\nfull build (python -m handbook.build, both languages): {b['median']:.1f} s ({b['min']:.1f}–{b['max']:.1f}, "
              f"{b['n']} run(s))  target ≤ 20 s  {'met' if b['median'] <= 20 else 'MISSED'}")
        print("  where it goes (medians): " + ", ".join(f"{k} {statistics.median([p.get(k, 0) for p in phases]):.1f} s" for k in phases[0]))
        results.append({"figure": "full build", "target": "≤ 20 s", "new": b["median"], "met": "met" if b["median"] <= 20 else "MISSED"})
    print("\nwhere the shared link's time goes (medians, ms; page: when the page created the worker; then the worker's clock,\n"
          "which starts when its module runs, later than the page's; then the page's clock again: ready as the page heard it, "
          "the answer, the total shown — the gap after \"engine ready\" is read on the page's clock)")
    for s in [x for x in ("new", "old") if x in rows]:
        for key in ("share_cold", "share_warm"):
            marks = {m for x in rows[s][key] for m in x["worker"]}
            parts = [f"worker created {med(s, key, 'worker_started_ms') or 0:.0f}"]
            for m in sorted(marks, key=lambda m: statistics.median([x["worker"].get(m, 0) for x in rows[s][key]])):
                parts.append(f"{m} {statistics.median([x['worker'][m] for x in rows[s][key] if m in x['worker']]):.0f}")
            parts.append(f"| page: ready {med(s, key, 'ready_ms') or 0:.0f}")
            parts.append(f"answer {med(s, key, 'answer_ms') or 0:.0f} (Python {med(s, key, 'python_ms') or 0:.0f} of it)")
            parts.append(f"total shown {med(s, key, 'total_ms') or 0:.0f} (rendering {med(s, key, 'show_ms') or 0:.0f})")
            print(f"  {s} {key.split('_')[1]:4}: " + ", ".join(parts))
    if "new" in rows:
        searched = [x["search_requested"] for x in rows["new"]["plain_cold"]]
        print(f"search index requested by a plain page before any search: {'yes' if any(searched) else 'no'} (new)")
        cached = rows["new"]["cached"]
        print(f"service worker had cached the handbook and the runtime before the warm runs: {sum(cached)}/{len(cached)} run(s)")
    dl = offline_download(args.site)
    if dl:
        for group, d in dl.items():
            print(f"offline copy, {group:7}: {d['files']} files, {mb(d['raw'])} ({mb(d['sent'])} as sent, brotli) — downloaded by the service worker "
                  + ("in idle time after the first visit" if group == "shell" else "after the first calculator visit"))
    modes = sorted({x["mode"] for s in rows for x in rows[s]["share_cold"] + rows[s]["share_warm"] if x["mode"]})
    print(f"engine start-up mode: {', '.join(modes)}; requests to other hosts: {len(foreign)}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "figures": results, "foreign": foreign, "offline": dl}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
