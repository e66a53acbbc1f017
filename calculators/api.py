"""JSON-string-in, JSON-string-out entry points (the browser worker calls these under Pyodide).

``run(name, input_json)`` never raises: it returns ``{"ok": true, "result": …}`` or
``{"ok": false, "error": {"field", "zh", "en"}}`` as a JSON string.
"""

from __future__ import annotations

import json

from . import CALCULATORS, get
from .errors import INTERNAL, CalcError

MAX_INPUT = 1_000_000  # characters of JSON accepted


def parse(input_json: str):
    """Parse the input JSON; CalcError (field ``""``) when it is not valid JSON."""
    if not isinstance(input_json, (str, bytes, bytearray)):
        raise CalcError("", "输入必须是 JSON 文本。", "the input must be JSON text.")
    if len(input_json) > MAX_INPUT:
        raise CalcError("", f"输入过长(超过 {MAX_INPUT} 个字符)。", f"the input is too long (over {MAX_INPUT} characters).")
    try:
        return json.loads(input_json)  # NaN, Infinity and 1e309 become floats the fields refuse by name
    except RecursionError:
        raise CalcError("", "输入嵌套过深。", "the input is nested too deeply.") from None
    except (ValueError, TypeError) as exc:
        raise CalcError("", f"输入不是有效的 JSON:{exc}", f"the input is not valid JSON: {exc}") from None


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


def compute_json(name: str, input_json: str) -> dict:
    """Parse and compute; the result dict, or CalcError."""
    module = get(name)
    return module.compute(parse(input_json))


def run(name: str, input_json: str) -> str:
    """``{"ok": true, "result": …}`` or ``{"ok": false, "error": {"field", "zh", "en"}}``, as JSON. Never raises."""
    try:
        return dumps({"ok": True, "result": compute_json(name, input_json)})
    except CalcError as exc:
        return dumps({"ok": False, "error": exc.to_dict()})
    except BaseException as exc:  # noqa: BLE001 - the worker must always get an answer
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        err = CalcError(INTERNAL, f"计算器内部错误({type(exc).__name__}),请报告此问题。",
                        f"internal error in the calculator ({type(exc).__name__}); please report it.")
        return dumps({"ok": False, "error": err.to_dict()})


def catalogue() -> str:
    """The calculators as JSON: ``[{"name", "title": {zh, en}, "section", "default_input"}]``. Never raises."""
    try:
        return dumps([
            {"name": name, "title": m.TITLE, "section": m.SECTION, "default_input": m.DEFAULT_INPUT}
            for name, m in CALCULATORS.items()
        ])
    except Exception:  # noqa: BLE001
        return "[]"
