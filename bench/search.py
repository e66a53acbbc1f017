"""Search figures: golden recall, index size, query latency.

    python bench/search.py [--site site] [--browser] [--repeat 5]

Recall@1 and @3 over tests/search_golden.yaml (keywords), clause-level and page-level, and over
tests/search_questions.yaml (questions, everyday words, typing slips) with the share of empty result
pages; the index files' sizes raw and gzipped; the time one query takes once the index is loaded (search and rendering of the
results, p50/p95/max over every golden query and random substrings, at least 200), and the time the
worker needs to build its index from the file. By default the site's search code runs under node on
index files written exactly as the build writes them; --site uses a built site's files instead, and
--browser also measures in headless Chromium: the round trip page -> the site's worker -> page.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import search_eval as ev  # noqa: E402
from handbook.model.loader import load  # noqa: E402

TARGETS = {"recall3": 0.95, "q_recall3": 0.92, "q_recall1": 0.75, "gzip_kb": 60, "p95_ms": 50}


def random_queries(index: Path, n: int, seed: int = 7) -> list[str]:
    """Substrings of clause text as a reader might type them (2-6 characters, or one or two words)."""
    docs = json.loads(Path(index).read_text(encoding="utf-8"))["docs"]
    rng = random.Random(seed)
    zh = json.loads(Path(index).read_text(encoding="utf-8"))["lang"] == "zh"
    texts = [d["b"] for d in docs if len(d.get("b", "")) > 8]
    out = []
    for _ in range(n):
        text = rng.choice(texts)
        if zh:
            size = rng.randint(2, 6)
            start = rng.randrange(0, len(text) - size)
            out.append(text[start : start + size])
        else:
            words = text.split()
            start = rng.randrange(0, len(words))
            out.append(" ".join(words[start : start + rng.randint(1, 2)]))
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def browser_latency(site: Path, queries: dict[str, list[str]]) -> dict[str, list[float]]:
    """Round trip in Chromium: post QUERY to the site's worker, wait for RESULT."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import CHROMIUM, CHROMIUM_ARGS

    from handbook.serve import serve_in_thread

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server, url = serve_in_thread(site, port)
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            for lang, qs in queries.items():
                prefix = "en/" if lang == "en" else ""
                page.goto(url + prefix)
                out[lang] = page.evaluate(
                    """async ([prefix, queries]) => {
                      const stub = await (await fetch(prefix + "search/search_index.json")).json();
                      const worker = new Worker(prefix + "assets/search/worker.js");
                      const next = () => new Promise((resolve) => worker.addEventListener("message",
                        (e) => resolve(e.data), { once: true }));
                      worker.postMessage({ type: 0, data: { config: stub.config, docs: [], options: {} } });
                      await next();  // READY
                      worker.postMessage({ type: 2, data: queries[0] });
                      await next();  // the first query waits for the index: not counted
                      const times = [];
                      for (const q of queries) {
                        const t0 = performance.now();
                        worker.postMessage({ type: 2, data: q });
                        await next();
                        times.push(performance.now() - t0);
                      }
                      worker.terminate();
                      return times;
                    }""",
                    ["/" + prefix, qs],
                )
            browser.close()
    finally:
        server.shutdown()
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", type=Path, help="a built site (default: index files written from data/)")
    ap.add_argument("--browser", action="store_true", help="also time queries through the worker in Chromium (needs --site)")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each query for the node timing (the median counts)")
    args = ap.parse_args(argv)

    hb = load()
    indexes = ev.built_indexes(args.site) if args.site else ev.build_indexes(hb)
    golden = ev.golden()
    total = ev.Score("all")
    print("Search figures (handbook's own search; golden set tests/search_golden.yaml)\n")
    print(f"{'':4} {'queries':>7} {'clause@1':>9} {'clause@3':>9} {'page@1':>8} {'page@3':>8} {'nothing ok':>10}")
    for lang in ev.LANGS:
        s, _ = ev.score(hb, lang, indexes[lang], golden[lang])
        total.add(s)
        print(f"{lang:4} {s.total:7} {s.clause1 / s.total:9.1%} {s.clause3 / s.total:9.1%} "
              f"{s.page1 / s.total:8.1%} {s.page3 / s.total:8.1%} {s.nothing_ok:>5}/{s.nothing}")
    t = total
    print(f"{'all':4} {t.total:7} {t.clause1 / t.total:9.1%} {t.clause3 / t.total:9.1%} "
          f"{t.page1 / t.total:8.1%} {t.page3 / t.total:8.1%} {t.nothing_ok:>5}/{t.nothing}"
          f"   target clause@3 >= {TARGETS['recall3']:.0%}: {'met' if t.clause3 / t.total >= TARGETS['recall3'] else 'MISSED'}")
    for miss in t.misses:
        print("  miss:", miss)

    print("\nQuestion set (tests/search_questions.yaml: questions, everyday words, typing slips)\n")
    print(f"{'':4} {'queries':>7} {'clause@1':>9} {'clause@3':>9} {'empty':>6}   by kind (@1 / @3)")
    questions = ev.questions()
    qt = ev.QuestionScore("all")
    for lang in ev.LANGS:
        q, _ = ev.score_questions(lang, indexes[lang], questions[lang])
        qt.add(q)
        kinds = "  ".join(f"{k} {r[1]}/{r[2]} of {r[0]}" for k, r in sorted(q.by_kind.items()))
        print(f"{lang:4} {q.total:7} {q.at1 / q.total:9.1%} {q.at3 / q.total:9.1%} {q.empty / q.total:6.1%}   {kinds}")
    print(f"{'all':4} {qt.total:7} {qt.at1 / qt.total:9.1%} {qt.at3 / qt.total:9.1%} {qt.empty / qt.total:6.1%}"
          f"   targets @3 >= {TARGETS['q_recall3']:.0%}: {'met' if qt.at3 / qt.total >= TARGETS['q_recall3'] else 'MISSED'},"
          f" @1 >= {TARGETS['q_recall1']:.0%}: {'met' if qt.at1 / qt.total >= TARGETS['q_recall1'] else 'MISSED'},"
          f" no empty page: {'met' if not qt.empty else 'MISSED'}")
    for miss in qt.misses:
        print("  miss:", miss)

    print("\nIndex files (fetched by the search worker when the reader goes to the search box or types a first query)")
    for lang in ev.LANGS:
        raw, gz = ev.sizes(indexes[lang])
        docs = len(json.loads(indexes[lang].read_text(encoding="utf-8"))["docs"])
        print(f"  {lang}: {docs} documents, {raw / 1024:.1f} KB raw, {gz / 1024:.1f} KB gzip"
              f"   target <= {TARGETS['gzip_kb']} KB gzip: {'met' if gz / 1024 <= TARGETS['gzip_kb'] else 'MISSED'}")
        name = json.loads(indexes[lang].read_text(encoding="utf-8")).get("sounds_file")
        if name:
            raw, gz = ev.sizes(indexes[lang].parent / name)
            print(f"      and {name}: {raw / 1024:.1f} KB raw, {gz / 1024:.1f} KB gzip (fetched only for a query that may hold a slip)")

    print(f"\nQuery latency under node, once loaded (search + rendering the results; median of {args.repeat} runs each)")
    queries = {}
    for lang in ev.LANGS:
        qs = list(golden[lang]) + random_queries(indexes[lang], 120)
        queries[lang] = qs
        started = time.monotonic()
        answer = ev.run(indexes[lang], qs, k=10, repeat=args.repeat)
        times = [statistics.median(r["ms"]) for r in answer["results"]]
        print(f"  {lang}: {len(times)} queries  p50 {pct(times, 50):.2f} ms  p95 {pct(times, 95):.2f} ms  "
              f"max {max(times):.2f} ms   target p95 <= {TARGETS['p95_ms']} ms: "
              f"{'met' if pct(times, 95) <= TARGETS['p95_ms'] else 'MISSED'}   "
              f"(index built in {answer['build_ms']:.0f} ms; wall {time.monotonic() - started:.1f} s)")

    if args.browser:
        if not args.site:
            sys.exit("--browser needs --site (a built site to serve)")
        print("\nQuery round trip in Chromium (page -> the site's search worker -> page), once loaded")
        for lang, times in browser_latency(args.site, queries).items():
            print(f"  {lang}: {len(times)} queries  p50 {pct(times, 50):.2f} ms  p95 {pct(times, 95):.2f} ms  "
                  f"max {max(times):.2f} ms   target p95 <= {TARGETS['p95_ms']} ms: "
                  f"{'met' if pct(times, 95) <= TARGETS['p95_ms'] else 'MISSED'}")


if __name__ == "__main__":
    main()
