"""Command line: ``python -m calculators NAME [--input FILE] [--text]`` and ``python -m calculators --list``.

* Reads one JSON object on stdin (or from ``--input FILE``) and prints the result JSON on
  stdout; exit 0.
* ``--text`` prints a readable breakdown instead of JSON.
* Invalid input (or an unknown calculator, or bad arguments): exit 2, the bilingual message
  naming the field on stderr, nothing on stdout.  A fault of the engine itself (or a missing
  ``rules.json``): exit 1.
* ``--list`` names the calculators, one a line: ``name<TAB>中文名<TAB>English title``.
* ``--schema`` prints the JSON Schema (draft 2020-12) of the calculator's input and reads nothing;
  ``--result-schema`` prints the one schema of every calculator's result (calculators/result.py).
* Any bytes are safe: the input must be UTF-8 (a BOM is allowed), anything else is exit 2 with a
  bilingual message; arguments and input quoted back are cut to a short, printable excerpt.
"""

from __future__ import annotations

import json
import sys

from . import CALCULATORS, api, schema
from .errors import INTERNAL, RULES, CalcError
from .fields import excerpt
from .result import SCHEMA

USAGE_ZH = ("用法:python -m calculators 计算器名 [--input 文件] [--text | --schema];"
            "python -m calculators --list | --result-schema")
USAGE_EN = "usage: python -m calculators NAME [--input FILE] [--text | --schema]; python -m calculators --list | --result-schema"


class Usage(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def parse_args(argv: list[str]) -> dict:
    opts = {"name": None, "input": None, "text": False, "list": False}
    it = iter(argv)
    for arg in it:
        if arg == "--list":
            opts["list"] = True
        elif arg == "--schema":
            opts["schema"] = True
        elif arg == "--result-schema":
            opts["result_schema"] = True
        elif arg == "--text":
            opts["text"] = True
        elif arg in ("-h", "--help"):
            opts["help"] = True
        elif arg == "--input" or arg.startswith("--input="):
            value = arg.partition("=")[2] if "=" in arg else next(it, None)
            if not value:
                raise Usage("--input 需要一个文件名。", "--input needs a file name.")
            opts["input"] = value
        elif arg.startswith("-") and arg != "-":
            raise Usage(f"未知选项 {excerpt(arg)}。", f"unknown option {excerpt(arg)}.")
        elif opts["name"] is None:
            opts["name"] = arg
        else:
            raise Usage(f"多余的参数 {excerpt(arg)}。", f"unexpected argument {excerpt(arg)}.")
    if not opts["list"] and not opts.get("help") and not opts.get("result_schema") and opts["name"] is None:
        raise Usage("请给出计算器名(--list 列出全部)。", "name a calculator (--list shows them).")
    return opts


def decision_parts(decision: dict) -> list[dict]:
    """The sentences of a result's decision, in order (the schema's shape; render.js reads it the same way): its
    label, its own sentence, then each statement it holds."""
    out = []
    if decision.get("label"):
        out.append({"zh": decision["label"]["zh"], "en": decision["label"]["en"]})
    if decision.get("zh"):
        out.append({"zh": decision["zh"], "en": decision["en"], "clause": decision.get("clause")})
    for key, v in decision.items():
        if key != "label" and isinstance(v, dict) and "zh" in v:
            out.append(v)
    return out


def render_text(result: dict) -> str:
    """A readable bilingual breakdown of a result, as calculators/result.py SCHEMA declares it."""
    module = CALCULATORS[result["calculator"]]
    unit = result["unit_label"]
    out = [f"{module.TITLE['zh']} / {module.TITLE['en']}", ""]
    width = max([len(line["amount_text"]) for line in result["lines"]] + [len(result["total_text"])])
    for line in result["lines"]:
        out.append(f"  {line['amount_text']:>{width}}  {line['zh']}")
        out.append(f"  {'':>{width}}  {line['en']}  [{line['clause']}]")
    if result["lines"]:
        out.append(f"  {'-' * width}")
    out.append(f"  {result['total_text']:>{width}}  合计 Total ({unit['zh']} / {unit['en']})")
    own = result["traveller_pays"]
    if own["lines"]:
        out += ["", f"个人自理(不计入合计) Paid by the traveller (not in the total): {own['total_text']}"]
        for line in own["lines"]:
            out.append(f"  {line['amount_text']:>{width}}  {line['zh']}")
            out.append(f"  {'':>{width}}  {line['en']}  [{line['clause']}]")
    cap = result.get("cap")
    if cap:
        out += ["", f"限额 Cap: {cap['total_text']}"]
        for line in cap["lines"]:
            out.append(f"  {line['amount_text']:>{width}}  {line['zh']}")
            out.append(f"  {'':>{width}}  {line['en']}")
    limit = result.get("limit")
    if limit:
        out.append(f"\n标准上限 Limit: {limit['text']}")
    decision = result.get("decision")
    if decision:
        out += ["", "决定 Decision:"]
        for part in decision_parts(decision):
            ref = f"  [{part['clause']}]" if part.get("clause") else ""
            out += [f"  - {part['zh']}", f"    {part['en']}{ref}"]
        if decision.get("approvers"):
            out.append("  审批人 Approvers: " + " → ".join(f"{a['zh']} / {a['en']}" for a in decision["approvers"]))
    if result.get("max_hosts") is not None:
        out.append(f"\n陪同人数上限 Hosts allowed: {result['max_hosts']}")
    for key, title in (("warnings", "提示 Warnings:"), ("notes", "说明 Notes:")):
        if result[key]:
            out += ["", title]
            for item in result[key]:
                out.append(f"  - {item['zh']}")
                ref = f"  [{item['clause']}]" if item.get("clause") else ""
                out.append(f"    {item['en']}{ref}")
    if result.get("attachments"):
        out += ["", "须附 Attach:"]
        for item in result["attachments"]:
            when = f" ({item['when']['zh']} / {item['when']['en']})" if item.get("when") else ""
            out.append(f"  - {item['label']['zh']} / {item['label']['en']}{when}  [{item['clause']}]")
            if item.get("reading"):  # a document the text implies: the handbook's reading
                out.append(f"    本手册的读法 The handbook's reading: {item['reading']['zh']}")
                out.append(f"    {item['reading']['en']}")
    if result.get("rules_as_of"):
        out += ["", f"规则版本 Rules as of: {result['rules_as_of']}"]
    if result["citations"]:
        out += ["", "依据 Sources:"]
        for cid, c in result["citations"].items():
            number = f"{c['number']} " if c.get("number") else ""
            out.append(f"  {cid}: {number}{c['title']['zh']} / {c['title']['en']} ({c['page']})")
    return "\n".join(out) + "\n"


def _fail(code: int, zh: str, en: str) -> int:
    print(zh, file=sys.stderr)
    print(en, file=sys.stderr)
    return code


MAX_BYTES = 4 * api.MAX_INPUT  # bytes read at most: enough for MAX_INPUT characters of UTF-8


def read_input(name: str | None) -> str:
    """The input text from the file ``name`` (or stdin), decoded as UTF-8; CalcError when it cannot be."""
    if name and name != "-":
        try:
            with open(name, "rb") as f:
                data = f.read(MAX_BYTES + 1)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise CalcError("", f"无法读取输入文件 {excerpt(name)}:{reason}",
                            f"cannot read the input file {excerpt(name)}: {reason}") from None
    else:
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise CalcError("", f"输入过长(超过 {MAX_BYTES} 字节)。", f"the input is too long (over {MAX_BYTES} bytes).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CalcError("", f"输入不是有效的 UTF-8 文本(第 {exc.start + 1} 个字节无效)。",
                        f"the input is not valid UTF-8 text (byte {exc.start + 1} is invalid).") from None


def main(argv: list[str] | None = None) -> int:
    # Whatever is printed (a lone surrogate from a JSON escape, an undecodable argument) never crashes
    # the output: anything UTF-8 cannot encode is written as a backslash escape.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
        except (AttributeError, ValueError):  # pragma: no cover
            pass
    try:
        opts = parse_args(sys.argv[1:] if argv is None else argv)
    except Usage as exc:
        return _fail(2, f"错误:{exc.zh}\n{USAGE_ZH}", f"error: {exc.en}\n{USAGE_EN}")
    if opts.get("help"):
        print(__doc__.strip())
        return 0
    if opts["list"]:
        for name, module in CALCULATORS.items():
            print(f"{name}\t{module.TITLE['zh']}\t{module.TITLE['en']}")
        return 0
    if opts.get("result_schema"):
        sys.stdout.write(json.dumps(SCHEMA, ensure_ascii=False, indent=1) + "\n")
        return 0
    if opts.get("schema"):
        try:
            sys.stdout.write(json.dumps(schema(opts["name"]), ensure_ascii=False, indent=1) + "\n")
        except CalcError as exc:
            return _fail(2, f"错误:{exc.zh}", f"error: {exc.en}")
        return 0
    try:
        text = read_input(opts["input"])
        result = api.compute_json(opts["name"], text)
    except CalcError as exc:
        code = 1 if exc.field in (INTERNAL, RULES) else 2
        named = not exc.field or exc.field in (INTERNAL, RULES) or (exc.field in exc.zh and exc.field in exc.en)
        where_zh = "" if named else f"字段 {exc.field}:"
        where_en = "" if named else f"field {exc.field}: "
        return _fail(code, f"错误:{where_zh}{exc.zh}", f"error: {where_en}{exc.en}")
    if opts["text"]:
        sys.stdout.write(render_text(result))
    else:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
