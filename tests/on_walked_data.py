"""Run the whole suite on a copy of data/ with the maintainer's walk-through applied (tests/living_data.py: the figure
amended as README.md shows, a sentence, a heading and a clause amended, added and repealed, a standards table filled
from a spreadsheet, a question about the new rate), as if the General Office had made those changes in data/:

    .venv/bin/python tests/on_walked_data.py [pytest arguments]      (default: -n 2 --dist loadgroup)

Issue 19's "the whole suite passes with that data in place". Not part of `make test` (it is the whole suite a second
time); tests/test_living_data.py runs the data, engine and page modules on the same copy in every run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from living_data import walk_through  # noqa: E402
from rules_fixtures import copy_data  # noqa: E402

from handbook.exports.rules_export import derive_for_build  # noqa: E402


def main(args: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="walked-") as tmp:
        data = copy_data(Path(tmp))
        walk_through(data, Path(tmp))
        env = {**os.environ, "HANDBOOK_DATA": str(data), **derive_for_build(data, Path(tmp) / "site")}
        print(f"the suite on {data} (the walk-through applied)", flush=True)
        return subprocess.call([sys.executable, "-m", "pytest", *(args or ["-n", "2", "--dist", "loadgroup"])],
                               cwd=HERE.parent, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
