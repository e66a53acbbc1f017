"""The calculators' engine as the tests and the benchmark reach it in a page: through the page bus
(overrides/assets/shared/bus.js, topic "engine"), never a window global; and the start-up variants
(runtime.js OPTIONS_KEY, in sessionStorage), set before the page's scripts run."""

from __future__ import annotations

import json
import re
from pathlib import Path

RUNTIME_JS = Path(__file__).resolve().parent.parent / "overrides" / "assets" / "calc" / "runtime.js"
OPTIONS_KEY = re.search(r'OPTIONS_KEY = "([^"]+)"', RUNTIME_JS.read_text(encoding="utf-8")).group(1)

# A JS expression (awaitable) for the page's bus module: the one instance the page's scripts share, at the
# site root's assets/shared/, beside assets/offline/register.js, which every page loads.
BUS = "import(new URL('../shared/bus.js', document.querySelector('script[src*=\"assets/offline/register.js\"]').src))"
# A JS expression (awaitable) for the tab's engine (runtime.js's runtime object).
ENGINE = f"({BUS}).then((bus) => bus.current(bus.TOPIC.engine))"


def engine(page, expr: str):
    """``expr`` evaluated with ``rt`` bound to the page's engine, e.g. ``engine(page, "rt.mode")``."""
    return page.evaluate(f"async () => {{ const rt = await {ENGINE}; return {expr}; }}")


def start_options(target, options: dict) -> None:
    """Ask every page of ``target`` (a page or a context) for a start-up variant (runtime.js OPTIONS_KEY)."""
    value = json.dumps(json.dumps(options))
    target.add_init_script(f"try {{ sessionStorage.setItem({json.dumps(OPTIONS_KEY)}, {value}); }} catch (e) {{}}")
