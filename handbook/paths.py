"""Where the repository's folders are: declared once, imported by every module that reads or writes them."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
OVERRIDES = ROOT / "overrides"
BUILD = ROOT / "build"
