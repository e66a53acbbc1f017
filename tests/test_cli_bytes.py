"""``python -m calculators`` fed hostile bytes: every input ends in a result (exit 0) or exit 2 with a
bilingual message on stderr, never a traceback; whatever the CLI quotes back is a short excerpt.

The audit's cases come first (a lone surrogate escape, raw non-UTF-8 bytes in a key or a value,
undecodable arguments, a 100,000-character key), then a seeded fuzz run of raw bytes through the
real subprocess.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "handbook-cli-test-pycache")
MAX_MESSAGE = 600  # characters on one stderr line: the longest real message is well under this


def run(args: list[bytes | str], stdin: bytes) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "calculators", *args], input=stdin, capture_output=True,
                          cwd=ROOT, timeout=60, env=ENV)


def check(proc: subprocess.CompletedProcess, what) -> None:
    """Exit 0 with JSON on stdout, or exit 2 with a short bilingual message and nothing on stdout."""
    err = proc.stderr.decode("utf-8")  # strict: the CLI writes valid UTF-8 whatever it read
    assert "Traceback" not in err, (what, err[-2000:])
    assert proc.returncode in (0, 2), (what, proc.returncode, err[-2000:])
    if proc.returncode == 0:
        json.loads(proc.stdout.decode("utf-8"))
        return
    assert proc.stdout == b"", what
    lines = err.splitlines()
    assert lines[0].startswith("错误:") and any(line.startswith("error: ") for line in lines), (what, err)
    assert max(map(len, lines)) <= MAX_MESSAGE, (what, max(map(len, lines)))
    assert all(ch.isprintable() or ch == "\u3000" for line in lines for ch in line), (what, err)


AUDIT = [
    ("lone surrogate key", ["travel"], b'{"\\ud800": 1}'),
    ("lone surrogate value", ["travel"], b'{"rank": "\\udfff"}'),
    ("lone surrogate in a nested key", ["travel"], b'{"lodging": {"\\ud800x": 1}}'),
    ("raw 0xff in a key", ["travel"], b'{"a\xff": 1}'),
    ("raw 0xff in a value", ["travel"], b'{"rank": "\xff"}'),
    ("latin-1 text", ["reception"], '{"guests": "café"}'.encode("latin-1")),
    ("utf-16 text", ["training"], '{"mode": "trainee", "days": 3}'.encode("utf-16")),
    ("a truncated multi-byte character", ["training"], '{"mode": "培'.encode()[:-1]),
    ("control characters in a key", ["travel"], b'{"\\u001b[31mred\\u0007": 1}'),
    ("undecodable calculator name", [b"tr\xffavel"], b"{}"),
    ("undecodable option", ["travel", b"--\xff"], b"{}"),
    ("undecodable extra argument", ["travel", b"\xfe\xff"], b"{}"),
    ("undecodable input file name", ["travel", "--input", b"/nonexistent/\xff.json"], b""),
    ("escape sequence as calculator name", ["\x1b]0;pwned\x07"], b"{}"),
    ("nul byte in the input", ["travel"], b'{"rank"\x00: 1}'),
    ("empty input", ["travel"], b""),
]


@pytest.mark.parametrize("what,args,stdin", AUDIT, ids=[a[0] for a in AUDIT])
def test_audit_cases_exit_2_with_a_bilingual_message(what, args, stdin):
    proc = run(args, stdin)
    check(proc, what)
    assert proc.returncode == 2, (what, proc.stdout[:200])


def test_a_utf8_bom_is_accepted():
    proc = run(["training"], b"\xef\xbb\xbf" + b'{"mode": "trainee", "days": 3}')
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout)["calculator"] == "training"


def test_a_file_with_undecodable_bytes(tmp_path):
    f = tmp_path / "in.json"
    f.write_bytes(b'{"mode": "trainee", "days": 3, "\xc3\x28": 1}')
    proc = run(["training", "--input", str(f)], b"")
    check(proc, "file")
    assert proc.returncode == 2 and "UTF-8" in proc.stderr.decode()


@pytest.mark.parametrize("where", ["key", "nested key", "value", "calculator name", "argument"])
def test_long_input_is_quoted_as_a_short_excerpt(where):
    big = "k" * 100_000
    args, stdin = {
        "key": (["travel"], json.dumps({big: 1})),
        "nested key": (["travel"], json.dumps({"lodging": {big: 1}})),
        "value": (["travel"], json.dumps({"rank": big})),
        "calculator name": ([big], "{}"),
        "argument": (["travel", big], "{}"),
    }[where]
    proc = run(args, stdin.encode())
    check(proc, where)
    assert proc.returncode == 2
    assert len(proc.stderr) < 1000, len(proc.stderr)


def _mutations(rng: random.Random) -> list[tuple[str, bytes]]:
    seeds = [
        b'{"mode": "trainee", "days": 3}',
        '{"rank": "other", "legs": [{"days": 2, "region": "in_province", "lodging": 300}]}'.encode(),
        b'{"guests": 3, "hosts": 2, "meals": 1}',
        b'{"lodging": {"amount": 540}}',
    ]
    hostile = [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\\ud800", b"\\udc00\\ud800", b"\x00", b"\x1b", b'"',
               b"\xef\xbb\xbf", b"[" * 50, b"\\u0000", b"1e999999", b"-", b"NaN", "培".encode(), b"\xf4\x90\x80\x80"]
    cases = []
    for i in range(90):
        seed = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 4)):
            pos = rng.randrange(len(seed) + 1)
            op = rng.random()
            if op < 0.5:
                seed[pos:pos] = rng.choice(hostile)
            elif op < 0.8 and pos < len(seed):
                seed[pos] = rng.randrange(256)
            else:
                del seed[pos:pos + rng.randint(1, 5)]
        cases.append((f"mutation {i}", bytes(seed)))
    for i in range(30):
        cases.append((f"random {i}", bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))))
    return cases


def test_fuzz_raw_bytes_through_the_cli():
    rng = random.Random(20261202)
    names = ["travel", "training", "reception", "errand", "study", "leave", "attendance"]
    cases = [(what, [rng.choice(names)], data) for what, data in _mutations(rng)]
    cases += [(f"argv {i}", [bytes(rng.randrange(1, 256) for _ in range(rng.randint(1, 30)))], b"{}")
              for i in range(10)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = list(pool.map(lambda c: (c, run(c[1], c[2])), cases))
    outcomes = {0: 0, 2: 0}
    for (what, args, data), proc in done:
        check(proc, (what, args, data[:300]))
        outcomes[proc.returncode] += 1
    assert outcomes[2] > 0
