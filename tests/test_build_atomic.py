"""A build that fails inside MkDocs leaves the previous site in place (handbook/build.py builds into a
fresh folder and swaps it in only on success), and leaves no scratch folder behind.

The failure is injected into the real ``python -m handbook.build`` run: a ``sitecustomize`` module on
PYTHONPATH makes MkDocs fail right after it has cleared its output folder, which is where the old build
lost the whole served site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from handbook.exports.rules_export import derived_package_folder

ROOT = Path(__file__).resolve().parents[1]

INJECT = '''
import os
if os.environ.get("HB_FAIL_AFTER_CLEAN"):
    import properdocs.utils, properdocs.commands.build as b  # the generator the build runs (-m properdocs)
    _clean = properdocs.utils.clean_directory
    def clean_then_fail(directory):
        _clean(directory)
        raise RuntimeError("injected failure after cleaning " + directory)
    b.utils.clean_directory = clean_then_fail
'''


def test_a_failed_build_keeps_the_previous_site(tmp_path):
    out = tmp_path / "site"
    (out / "en").mkdir(parents=True)
    (out / "index.html").write_text("previous build")
    (out / "en" / "index.html").write_text("previous build, en")
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(INJECT)
    env = dict(os.environ, HB_FAIL_AFTER_CLEAN="1", PYTHONPATH=str(inject))
    proc = subprocess.run([sys.executable, "-m", "handbook.build", "--out", str(out), "--quiet"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode != 0
    assert "injected failure" in proc.stderr
    assert (out / "index.html").read_text() == "previous build"
    assert (out / "en" / "index.html").read_text() == "previous build, en"
    # no scratch folder left (a build from a copy of the data, HANDBOOK_DATA, keeps the calculators it derives beside)
    kept = {"inject", "site", derived_package_folder(out).name}
    assert {p.name for p in tmp_path.iterdir()} <= kept and {"inject", "site"} <= {p.name for p in tmp_path.iterdir()}
