"""``python -m calculators`` as a subprocess: stdin/--input, --text, --list, exit codes and streams."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

from calc_common import GOLDEN, ROOT, check_shape, dec

import calculators


# Let the many short runs reuse compiled bytecode, kept out of the repository.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "handbook-cli-test-pycache")


def cli(*args: str, stdin: str | None = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "calculators", *args], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT, timeout=60, env=ENV)


def test_golden_cases_through_the_cli():
    def run(case):
        return case, cli(case["calculator"], stdin=json.dumps(case["input"], ensure_ascii=False))

    with ThreadPoolExecutor(max_workers=8) as pool:
        done = list(pool.map(run, GOLDEN))
    for case, proc in done:
        assert proc.returncode == 0, (case["name"], proc.stderr)
        assert proc.stderr == ""
        result = json.loads(proc.stdout)
        check_shape(result)
        assert dec(result["total"]) == dec(case["total"]), case["name"]
        if "attach" in case:
            assert [a["id"] for a in result["attachments"]] == case["attach"], case["name"]


def test_input_file_and_text(tmp_path):
    f = tmp_path / "in.json"
    f.write_text(json.dumps({"mode": "trainee", "days": 8}), encoding="utf-8")
    proc = cli("training", "--input", str(f))
    assert proc.returncode == 0 and json.loads(proc.stdout)["total_text"] == "1975.00"
    proc = cli("training", f"--input={f}", "--text")
    assert proc.returncode == 0 and proc.stderr == ""
    assert "1975.00" in proc.stdout and "合计 Total" in proc.stdout and "finance.travel.reimbursement" in proc.stdout


def test_text_for_every_default_input():
    for name, module in calculators.CALCULATORS.items():
        proc = cli(name, "--text", stdin=json.dumps(module.DEFAULT_INPUT))
        assert proc.returncode == 0, (name, proc.stderr)
        assert module.TITLE["zh"] in proc.stdout and module.TITLE["en"] in proc.stdout


def test_list():
    proc = cli("--list")
    assert proc.returncode == 0
    names = [line.split("\t")[0] for line in proc.stdout.splitlines()]
    assert names == list(calculators.CALCULATORS)


def _invalid(proc, *needles):
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert any("\u4e00" <= ch <= "\u9fff" for ch in proc.stderr), "no Chinese message"
    assert "error" in proc.stderr
    for needle in needles:
        assert needle in proc.stderr


def test_invalid_input_exit_2_names_the_field():
    bad = {"rank": "other", "legs": [{"region": "in_province", "days": 1}, {"region": "in_province", "days": 0}]}
    _invalid(cli("travel", stdin=json.dumps(bad)), "legs[1].days")
    _invalid(cli("travel", stdin=json.dumps({"rank": "other", "legs": [{"region": "out_of_province", "days": 2}]})),
             "legs[0].meal_rate", "annex")


def test_bad_json_unknown_calculator_and_usage():
    _invalid(cli("travel", stdin="{not json"))
    _invalid(cli("travel", stdin=""))
    _invalid(cli("mortgage", stdin="{}"), "mortgage")
    _invalid(cli(stdin=""))
    _invalid(cli("travel", "--bogus", stdin="{}"), "--bogus")
    _invalid(cli("travel", "--input", str(ROOT / "no-such-file.json")), "no-such-file.json")
    _invalid(cli("training", stdin='{"mode": "trainee", "days": NaN}'), "NaN")


def test_golden_cases_give_the_same_answers_under_optimize():
    """The browser's Python is restored from a snapshot taken with -OO (handbook/runtime/pyodide_bundle.py: no
    asserts, no docstrings, a smaller download): every golden case, an empty input and a bad one give
    byte-identical answers with and without it."""
    script = (
        "import json, sys\nfrom calculators import api\n"
        "cases = json.load(sys.stdin)\n"
        "print(json.dumps([api.run(c['calculator'], json.dumps(c['input'])) for c in cases]))\n"
    )
    cases = GOLDEN + [{"calculator": name, "input": probe} for name in calculators.CALCULATORS
                      for probe in ({}, {"days": -1, "legs": "x"})]
    answers = {}
    for flags in ([], ["-OO"]):
        proc = subprocess.run([sys.executable, *flags, "-c", script], input=json.dumps(cases), capture_output=True,
                              text=True, encoding="utf-8", cwd=ROOT, timeout=120, env=ENV)
        assert proc.returncode == 0, proc.stderr
        answers[tuple(flags)] = json.loads(proc.stdout)
    assert answers[("-OO",)] == answers[()]
