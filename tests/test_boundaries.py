"""The page's other boundaries, each declared once, as tests/test_calc_contract.py does for the calculators'
data-* names: the messages between the page and the service worker (overrides/assets/offline/messages.js),
between the page and the search worker (overrides/assets/search/protocol.js; the search index's keys are
checked in tests/test_search.py against overrides/assets/search/schema.js), and what the page's scripts share
(overrides/assets/shared/bus.js) instead of window globals."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from conftest import require_node

from handbook.paths import OVERRIDES
from handbook.runtime import offline

ASSETS = OVERRIDES / "assets"
REGISTER = ASSETS / "offline" / "register.js"
SCRIPTS = sorted(p for p in ASSETS.rglob("*.js") if "vendor" not in p.parts and "pyodide" not in p.parts)


def declared(path, name: str) -> dict[str, str]:
    """The frozen object ``name`` of a module (``const name = Object.freeze({...})``), read as JSON."""
    text = path.read_text(encoding="utf-8")
    body = re.search(rf"{name} = Object\.freeze\((\{{.*?\}})\);", text, re.S).group(1)
    body = re.sub(r"//[^\n]*", "", body)
    body = re.sub(r"(\w+):", r'"\1":', body)
    return json.loads(re.sub(r",\s*}", "}", body))


MESSAGES = declared(offline.MESSAGES, "OFFLINE_MESSAGES")
TOPICS = declared(ASSETS / "shared" / "bus.js", "TOPIC")
SEARCH = ASSETS / "search"


def test_the_search_messages_are_declared_once_and_each_has_both_ends():
    """box.js (the page) and worker.js spell no message type, Material's numbers included: they import
    protocol.js and name its MSG keys or build the message with its functions; the handbook's own messages
    are each sent by the page and read by the worker."""
    js = f"import({json.dumps((SEARCH / 'protocol.js').as_uri())}).then((m) => console.log(JSON.stringify(m.MSG)))"
    SEARCH_MSG = json.loads(subprocess.run([require_node(), "-e", js], capture_output=True, text=True, check=True).stdout)
    assert SEARCH_MSG and len(set(SEARCH_MSG.values())) == len(SEARCH_MSG)
    sides = {"page": (SEARCH / "box.js").read_text(encoding="utf-8"), "worker": (SEARCH / "worker.js").read_text(encoding="utf-8")}
    for side, text in sides.items():
        code = re.sub(r"^\s*//[^\n]*", "", text, flags=re.M)  # the comments may name the messages
        assert re.search(r"""import\([^)]*["'](\./)?protocol\.js["']""", code), f"the {side} does not import protocol.js"
        spelled = [v for v in SEARCH_MSG.values() if isinstance(v, str) and re.search(rf"""["'`]{re.escape(v)}["'`]""", code)]
        spelled += re.findall(r"type\s*(?:===?|:)\s*\d+", code)
        assert not spelled, f"the {side} spells {spelled}: use protocol.js"
        assert not re.search(r"\{\s*type\s*:", code), f"the {side} builds a message by hand: use protocol.js"
        unknown = set(re.findall(r"MSG\.(\w+)", code)) - set(SEARCH_MSG)
        assert not unknown, f"the {side} names {sorted(unknown)}, not in protocol.js"
    assert {"prepare", "asTyped"} <= set(re.findall(r"\bp\.(\w+)\(", sides["page"])), "the page sends PREPARE and AS_TYPED"
    assert {"PREPARE", "AS_TYPED", "SETUP", "QUERY"} <= set(re.findall(r"MSG\.(\w+)", sides["worker"])), "the worker reads them"
    assert {"ready", "result"} <= set(re.findall(r"\b(ready|result)\(", sides["worker"])), "the worker answers READY and RESULT"


def test_the_offline_messages_are_declared_once_and_each_has_both_ends():
    """register.js and the service worker spell no message type: they name OFFLINE_MESSAGES' keys; each
    message is sent by one side and read by the other."""
    assert MESSAGES and len(set(MESSAGES.values())) == len(MESSAGES)
    sides = {"page": REGISTER.read_text(encoding="utf-8"), "service worker": offline.SW_SOURCE.read_text(encoding="utf-8")}
    for side, text in sides.items():
        spelled = [v for v in MESSAGES.values() if re.search(rf"""["'`]{re.escape(v)}["'`]""", text)]
        assert not spelled, f"the {side} spells {spelled}: use OFFLINE_MESSAGES (messages.js)"
        unknown = set(re.findall(r"OFFLINE_MESSAGES\.(\w+)", text)) - set(MESSAGES)
        assert not unknown, f"the {side} names {sorted(unknown)}, not in messages.js"
    for key in MESSAGES:
        sent = [side for side, text in sides.items() if re.search(rf"type: OFFLINE_MESSAGES\.{key}\b", text)]
        read = [side for side, text in sides.items() if re.search(rf"msg\.type === OFFLINE_MESSAGES\.{key}\b", text)]
        assert len(sent) == 1 and len(read) == 1 and sent != read, f"{key}: sent by {sent}, read by {read}"


def test_the_written_service_worker_carries_the_declaration(tmp_path):
    """sw.js, as the build writes it: the messages' declaration in place of its placeholder (a classic
    script cannot import register.js's module), the version in, valid JavaScript; the declaration means the
    same there as in the module (node runs both)."""
    sw = offline.service_worker("0123456789ab")
    assert offline.MESSAGES_PLACEHOLDER not in sw and offline.VERSION_PLACEHOLDER not in sw
    assert 'const VERSION = "0123456789ab"' in sw and "export " not in sw.split("const VERSION")[0]
    (tmp_path / "sw.js").write_text(sw, encoding="utf-8")
    node = require_node()
    subprocess.run([node, "--check", str(tmp_path / "sw.js")], check=True)
    head = sw.split("const VERSION")[0] + "console.log(JSON.stringify(OFFLINE_MESSAGES));"
    in_sw = subprocess.run([node, "-e", head], capture_output=True, text=True, check=True).stdout
    in_module = subprocess.run([node, "--input-type=module", "-e",
                                f"import {{ OFFLINE_MESSAGES }} from {json.dumps(offline.MESSAGES.as_uri())};"
                                "console.log(JSON.stringify(OFFLINE_MESSAGES));"], capture_output=True, text=True, check=True).stdout
    assert json.loads(in_sw) == json.loads(in_module) == MESSAGES


TEMPLATES = sorted([OVERRIDES / "main.html", *(OVERRIDES.parent / "handbook" / "pages" / "templates").rglob("*.j2")])


def test_the_scripts_share_through_the_bus_not_window_globals():
    """Each topic of bus.js is published by one script (or a template's inline script) and read by another;
    no script names a topic by a string; no script or template keeps its state in a ``window.__handbook*``
    global (nor reads another's): what they share goes through bus.js. The start-up variants are read from
    one sessionStorage key, named by runtime.js and by the head's early worker alike."""
    assert set(TOPICS) == set(TOPICS.values())
    published, subscribed = {}, {}
    for path in SCRIPTS + TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for verb, seen in (("publish", published), ("subscribe", subscribed), ("current", subscribed)):
            for topic in re.findall(rf"\b{verb}\((?:\w+\.)?TOPIC\.(\w+)", text):
                assert topic in TOPICS, f"{path.name}: no topic {topic} in bus.js"
                seen.setdefault(topic, set()).add(path.name)
            assert not re.search(rf"\b{verb}\([\"'`]", text), f"{path.name}: a topic spelled as a string"
    for topic in TOPICS:
        assert published.get(topic), f"nothing publishes {topic}"
        if topic != "offline":  # read by the tests and the benchmark
            assert subscribed.get(topic) and len(subscribed[topic] | published[topic]) > 1, f"no other script reads {topic}"
    assert subscribed["engine"] == {"register.js", "runtime.js"} and published["earlyWorker"] == {"main.html", "runtime.js"}
    used = {f"{path.name}: {name}" for path in SCRIPTS + TEMPLATES
            for name in re.findall(r"__handbook\w+", path.read_text(encoding="utf-8"))}
    assert not used, f"window globals: {sorted(used)} (share through overrides/assets/shared/bus.js)"
    key = re.search(r'OPTIONS_KEY = "([^"]+)"', (ASSETS / "calc" / "runtime.js").read_text(encoding="utf-8")).group(1)
    assert f'sessionStorage.getItem("{key}")' in (OVERRIDES / "main.html").read_text(encoding="utf-8")
    assert "await sleep(" not in REGISTER.read_text(encoding="utf-8")  # no polling


@pytest.mark.parametrize("module", ["shared/bus.js"])
def test_the_bus_gives_the_latest_value_then_every_change(module):
    script = f"""
      const bus = await import({json.dumps((ASSETS / module).as_uri())});
      const seen = [];
      bus.publish(bus.TOPIC.engine, {{ state: "starting" }});
      const stop = bus.subscribe(bus.TOPIC.engine, (v) => seen.push(v.state));
      bus.publish(bus.TOPIC.engine, {{ state: "ready" }});
      stop();
      bus.publish(bus.TOPIC.engine, {{ state: "failed" }});
      let thrown = null;
      try {{ bus.publish("nope", 1); }} catch (e) {{ thrown = String(e.message); }}
      console.log(JSON.stringify({{ seen, current: bus.current(bus.TOPIC.engine).state, thrown }}));
    """
    out = subprocess.run([require_node(), "--input-type=module", "-e", script], capture_output=True, text=True, check=True).stdout
    got = json.loads(out)
    assert got["seen"] == ["starting", "ready"] and got["current"] == "failed" and "bus.js" in got["thrown"]
