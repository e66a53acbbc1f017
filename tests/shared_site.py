"""One site build per pytest run, shared by every xdist worker (tests/conftest.py's ``site`` fixture).

The controller (the process the run was started from: xdist's master, or pytest itself without ``-n``)
names the run in ``HANDBOOK_TEST_RUN`` before the workers start; they inherit it. The first worker that
needs the site takes ``build/test-site-<run>.lock``, builds the site for a free port's URL into
``build/test-site-<run>/`` (the site must be built for the URL it is served at: Material's instant
navigation reads its sitemap) and starts one server process on that port (``python tests/shared_site.py``);
the others wait on the lock and reuse the same URL from ``build/test-site-<run>.json``.
While working on one feature, ``HANDBOOK_TEST_SITE=<folder>@<url>`` reuses a site already built with
``python -m handbook.build --out <folder> --site-url <url>`` (served at that URL's port) instead of building. A failed build is
written there too, so every worker fails at once with its output instead of building again. The build starts
in the background once a worker knows it will need the site (``prepare_in_background``, from
tests/conftest.py's collection hook), so it overlaps the tests that need no site. The controller
stops the server when the run ends (``finish``); the server also stops by itself when the controller is gone.

A test that stops the server (the offline walk-through, marked ``stops_server``) holds the server
exclusively: every other test that uses the site holds it shared for its duration (``server_lock``), and a
waiting exclusive holder goes first (a gate lock), so the other worker waits rather than sees a server
that is not there.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
RUN_ENV = "HANDBOOK_TEST_RUN"
PREBUILT_ENV = "HANDBOOK_TEST_SITE"  # <folder>@<url>: a site built for <url>, reused instead of a build
STARTUP_SECONDS = 120  # a loaded 2-core machine can take long to start Python

_children: dict[int, subprocess.Popen] = {}  # server processes this process started (to reap them)
_building: list[subprocess.Popen] = []  # the site build this process runs, while it runs


def begin_run() -> None:
    """In the controller, before any worker starts: name the run (and clear what dead runs left)."""
    os.environ[RUN_ENV] = str(os.getpid())
    BUILD.mkdir(exist_ok=True)
    for old in BUILD.glob("test-site-*"):
        run = old.name.removeprefix("test-site-").split(".")[0]
        if run.isdigit() and run != os.environ[RUN_ENV] and not _alive(int(run)):
            (shutil.rmtree if old.is_dir() else Path.unlink)(old)


def _run() -> str:
    return os.environ.setdefault(RUN_ENV, str(os.getpid()))


def _paths() -> tuple[Path, Path, Path, Path]:
    base = BUILD / f"test-site-{_run()}"
    return base, base.with_name(base.name + ".json"), base.with_name(base.name + ".lock"), base.with_name(base.name + ".gate")


def _alive(pid: int) -> bool:
    """Running (not gone, and not a zombie: a server stopped by another worker than the one that started
    it stays a zombie of that worker until it is reaped)."""
    child = _children.get(pid)
    if child is not None:
        return child.poll() is None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def _flock(path: Path, mode: int):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:
        fcntl.flock(fh, mode)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def get(build_failed) -> tuple[str, Path]:
    """The run's site: (URL, folder), built by the first caller of the run, served until the run ends.
    ``build_failed(message)`` is called (pytest.fail) when the build failed, in this worker or another."""
    out, state_file, lock, gate = _paths()
    state = _read_state(state_file)
    if state is None:
        state = _build_or_wait(out, state_file, lock, gate)
    if "error" in state:
        build_failed(state["error"])
    return state["url"], Path(state["path"])


def _read_state(state_file: Path) -> dict | None:
    """The run's state, once the site is built (or failed to build); written whole by ``_write_state``."""
    try:
        return json.loads(state_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def _write_state(state_file: Path, state: dict) -> None:
    """Replaced at once (a rename), so that ``get`` may read it without the lock."""
    tmp = state_file.with_name(state_file.name + f".{os.getpid()}")
    tmp.write_text(json.dumps(state), encoding="utf-8")
    os.replace(tmp, state_file)


def _build_or_wait(out: Path, state_file: Path, lock: Path, gate: Path) -> dict:
    """Build the site (the first worker) or wait for it (the others), under the lock held exclusively. The
    gate is taken first, as ``server_lock`` takes it: a worker that comes late to a site other workers are
    already using queues at the gate instead of waiting, maybe for minutes, for a moment when none of them
    holds the lock shared (``flock`` gives a waiting exclusive lock no priority over new shared ones)."""
    with _flock(gate, fcntl.LOCK_EX), _flock(lock, fcntl.LOCK_EX):
        if not state_file.exists() and os.environ.get(PREBUILT_ENV):
            folder, url = os.environ[PREBUILT_ENV].split("@", 1)
            port = int(url.rsplit(":", 1)[1].strip("/"))
            state = {"url": url, "path": str(Path(folder).resolve()), "server": start_server(Path(folder), port)}
            _write_state(state_file, state)
        if not state_file.exists():
            port = _free_port()
            url = f"http://127.0.0.1:{port}/"
            proc = subprocess.Popen(
                [sys.executable, "-m", "handbook.build", "--site-url", url, "--out", str(out), "--quiet"],
                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            _building.append(proc)
            stdout, stderr = proc.communicate()
            _building.remove(proc)
            state = {"url": url, "path": str(out)}
            if proc.returncode:
                state["error"] = f"site build failed:\n{stdout[-4000:]}\n{stderr[-4000:]}"
            else:
                state["server"] = start_server(out, port)
            _write_state(state_file, state)
        return _read_state(state_file)


def prepare_in_background() -> None:
    """Start building (or waiting for another worker's build of) the run's site in a thread, so that it is
    ready, or nearly, when the first test asks for it. A failure is kept for that test to report."""
    threading.Thread(target=get, args=(lambda _message: None,), daemon=True, name="site build").start()


def abandon_background_build() -> None:
    """When this process's pytest session ends: stop a build still running (the run stopped early)."""
    for proc in list(_building):
        proc.kill()


def start_server(directory: Path, port: int) -> int:
    """A server process for ``directory`` on ``port``; returns its pid once it answers."""
    proc = subprocess.Popen([sys.executable, __file__, str(directory), str(port), _run()], cwd=ROOT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    _children[proc.pid] = proc
    deadline = time.monotonic() + STARTUP_SECONDS
    while not _answers(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the test server for {directory} did not start on port {port}")
        time.sleep(0.05)
    return proc.pid


def stop_server(pid: int, port: int) -> None:
    """Stop a server process: when this returns, nothing answers on its port (open connections are cut)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    if pid in _children:
        _children.pop(pid).wait(timeout=STARTUP_SECONDS)
    deadline = time.monotonic() + STARTUP_SECONDS
    while _answers(port) or _alive(pid):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the test server (pid {pid}) did not stop")
        time.sleep(0.05)


def restart(directory: Path | None) -> None:
    """Serve another folder (or, with None, nothing) at the run's URL. Only under ``server_lock(True)``."""
    _out, state_file, _lock, _gate = _paths()
    state = _read_state(state_file)
    port = int(state["url"].rsplit(":", 1)[1].strip("/"))
    if state.get("server"):
        stop_server(state["server"], port)
    state["server"] = start_server(directory, port) if directory else None
    _write_state(state_file, state)


@contextlib.contextmanager
def server_lock(exclusive: bool):
    """Held for a test's duration: shared by the tests that use the server, exclusive for one that stops it."""
    _out, _state, lock, gate = _paths()
    with _flock(gate, fcntl.LOCK_EX):  # a waiting exclusive holder keeps the gate: new shared holders queue behind it
        held = _flock(lock, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        held.__enter__()
    try:
        yield
    finally:
        held.__exit__(None, None, None)


def finish() -> None:
    """In the controller, when the run ends: stop the server (the built site stays, for a look after)."""
    _out, state_file, _lock, _gate = _paths()
    with contextlib.suppress(ValueError, KeyError):
        state = _read_state(state_file) or {}  # none: the run built no site
        if state.get("server"):
            stop_server(state["server"], int(state["url"].rsplit(":", 1)[1].strip("/")))


def _serve(directory: str, port: str, run: str) -> None:
    """The server process: serves until SIGTERM, or until the run's controller is gone."""
    sys.path.insert(0, str(ROOT))
    from handbook.serve import serve_in_thread

    server, _url = serve_in_thread(Path(directory), int(port))
    signal.signal(signal.SIGTERM, lambda *_: (server.close(), os._exit(0)))
    while _alive(int(run)):
        time.sleep(1)
    server.close()


if __name__ == "__main__":
    _serve(*sys.argv[1:4])
