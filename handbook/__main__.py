"""The maintainer's commands (see README.md, "When the rules change"):

    python -m handbook check [--data DIR]                      every problem in data/, with file and line (make check)
    python -m handbook standards import TABLE FILE [--data DIR]  the finance office's sheet (.xlsx or .csv) into standards.yaml
    python -m handbook standards list [--data DIR]             the standards tables and how many rows each holds
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

from handbook.paths import DATA


def _data(args) -> Path:
    return Path(args.data or os.environ.get("HANDBOOK_DATA") or DATA)


def plain_location(location: str) -> str:
    """``part.sections[3].clauses[0]`` -> ``part › section 4 › clause 1`` (counted from 1, as a reader counts)."""
    if not location:
        return "(the file as a whole)"

    def one(m: re.Match) -> str:
        name = m.group(1)
        singular = {"sections": "section", "clauses": "clause", "values": "value", "amendments": "amendment",
                    "tables": "table", "rows": "row", "questions": "question", "regions": "region", "places": "place",
                    "terms": "term", "body": "paragraph", "choices": "choice", "parts": "part", "attachments": "attachment",
                    "notes": "note", "intro": "intro paragraph", "head": "head row", "see": "reference"}.get(name, name)
        return f"{singular} {int(m.group(2)) + 1}"

    text = re.sub(r"([A-Za-z_]+)\[(\d+)\]", one, location)
    text = re.sub(r"\[(\d+)\]", lambda m: f" item {int(m.group(1)) + 1}", text)
    return text.replace(".", " › ")


def cmd_check(args) -> int:
    from handbook.model.loader import check

    started = time.monotonic()
    data = _data(args)
    problems = check(data)
    for p in problems:
        shown = str(p).split(": ", 1)[0]  # file:line, as DataError shows it
        print(f"{shown}: {plain_location(p.location)}: {p.reason}")
    took = time.monotonic() - started
    if problems:
        files = len({p.file for p in problems})
        print(f"{len(problems)} problem(s) in {files} file(s) ({took:.1f}s)", file=sys.stderr)
        return 1
    print(f"ok: {data} is valid ({took:.1f}s)")
    return 0


def cmd_standards_import(args) -> int:
    from handbook.model.yamlfile import DataError
    from handbook.tools.standards import ImportError_, import_table

    data = _data(args)
    try:
        rows = import_table(data, args.table, Path(args.file))
    except ImportError_ as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except DataError as exc:
        print(f"error: the rows do not fit the data; nothing written:\n{exc}", file=sys.stderr)
        return 1
    print(f"{args.table}: {len(rows)} row(s) added to {data / 'standards.yaml'}; run `make rules` (or build) and `make test`")
    return 0


def cmd_standards_list(args) -> int:
    from handbook.model.loader import load

    hb = load(_data(args))
    for t in hb.standards:
        print(f"{t.id}: {len(t.rows)} row(s); keys: {', '.join(k.name for k in t.keys)}; cited by {t.cited_by}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m handbook", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="validate the whole of data/ and list every problem")
    c.add_argument("--data", help="the data directory (default: $HANDBOOK_DATA or data/)")
    c.set_defaults(run=cmd_check)
    s = sub.add_parser("standards", help="the standards tables the finance office fills in")
    ssub = s.add_subparsers(dest="action", required=True)
    imp = ssub.add_parser("import", help="add the rows of a spreadsheet (.xlsx or .csv) to a table")
    imp.add_argument("table", help="the table's id in data/standards.yaml (lodging_cap, meal_out_of_province)")
    imp.add_argument("file", help="the sheet: a header row (职务级别 出差地 标准 起始日期 …), then one row per figure")
    imp.add_argument("--data", help="the data directory (default: $HANDBOOK_DATA or data/)")
    imp.set_defaults(run=cmd_standards_import)
    lst = ssub.add_parser("list", help="the tables and their rows")
    lst.add_argument("--data")
    lst.set_defaults(run=cmd_standards_list)
    args = ap.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
