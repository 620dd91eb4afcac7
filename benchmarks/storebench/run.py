"""Timing a command or a request with caps: wall time and peak RSS of a process tree, killed past a cap.

Every measured process runs with a time cap and a memory cap (the summed RSS of its process tree, sampled
every 0.1 s from /proc; an address-space limit backs it up), so a command that would load the whole store
is recorded as "over the cap" instead of taking the shared machine down or hanging the benchmark.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_SECONDS = 0.1
# The address-space limit of each measured process: far above the RSS cap, so only a runaway process meets it.
ADDRESS_SPACE_HEADROOM = 4 * 2**30
OUTPUT_KEPT = 64 * 1024
# A server holding this much more than after its start is restarted before the next request is timed.
BLOATED = 100 * 2**20


@dataclass
class Measured:
    """One measurement: seconds (None when capped), peak RSS of the tree, how it ended, what it printed."""

    seconds: float | None
    peak_rss: int
    ended: str  # "ok", "exit N", "time cap", "memory cap", "HTTP N"
    elapsed: float = 0.0  # until it ended or was killed
    first_byte: float | None = None
    output_bytes: int = 0
    output: str = ""
    detail: str = ""


def tree_pids(pid: int) -> list[int]:
    """Return ``pid`` and every process descended from it."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                parent = int(Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children[parent].append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children[current])
    return found


def tree_rss(pid: int) -> int:
    """Return the summed resident memory (bytes) of ``pid``'s process tree."""
    total = 0
    for member in tree_pids(pid):
        try:
            total += int(Path(f"/proc/{member}/statm").read_text().split()[1]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            continue
    return total


def kill_tree(pid: int) -> None:
    """SIGKILL ``pid`` and its descendants (a crawl's child runs in its own process group)."""
    for member in reversed(tree_pids(pid)):
        try:
            os.kill(member, signal.SIGKILL)
        except ProcessLookupError:
            continue


def run_command(
    command: list[str],
    *,
    timeout: float,
    memory_cap: int,
    env: dict[str, str] | None = None,
    started_when: Callable[[], float | None] | None = None,
    observe_after: float = 0.0,
) -> Measured:
    """Run ``command`` to its end or a cap; with ``started_when``, time until it returns a moment instead.

    ``started_when`` (e.g. "the first request reached the proxy") turns the measurement into time-to-event: the
    process is watched ``observe_after`` more seconds for its memory, then killed.
    """
    with tempfile.TemporaryFile() as stderr:
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, env=env, start_new_session=True)
        _limit_address_space(process.pid, memory_cap)
        reader = _OutputReader(process, started)
        peak, capped, event = 0, "", None
        while process.poll() is None:
            peak = max(peak, tree_rss(process.pid))
            if started_when is not None and event is None:
                event = started_when()
            now = time.monotonic()
            if peak > memory_cap:
                capped = "memory cap"
            elif now - started > timeout:
                capped = "time cap"
            observed = event is not None and now - event >= observe_after
            if capped or observed:
                kill_tree(process.pid)
                process.wait()
                break
            time.sleep(SAMPLE_SECONDS)
        elapsed = time.monotonic() - started
        reader.join()
        assert process.stdout is not None
        process.stdout.close()
        stderr.seek(0)
        last_error = (stderr.read().decode("utf-8", "replace").strip().splitlines() or [""])[-1][:200]
    if started_when is not None:
        event = event if event is not None else started_when()
        seconds = None if event is None else event - started
        ended = capped or ("ok" if event is not None else f"exit {process.returncode}")
    else:
        seconds = None if capped else elapsed
        ended = capped or ("ok" if process.returncode == 0 else f"exit {process.returncode}")
    output = reader.kept.decode("utf-8", "replace")
    return Measured(seconds, peak, ended, elapsed, reader.first_byte, reader.size, output, last_error)


class _OutputReader(threading.Thread):
    """Drains a process's stdout: when the first byte came, how many bytes, and the last 64 KB."""

    def __init__(self, process: subprocess.Popen[bytes], started: float) -> None:
        super().__init__(daemon=True)
        self.process, self.started = process, started
        self.first_byte: float | None = None
        self.size = 0
        self.kept = b""
        self.start()

    def run(self) -> None:
        assert self.process.stdout is not None
        while chunk := self.process.stdout.read1(65536):
            if self.first_byte is None:
                self.first_byte = time.monotonic() - self.started
            self.size += len(chunk)
            self.kept = (self.kept + chunk)[-OUTPUT_KEPT:]


def _limit_address_space(pid: int, memory_cap: int) -> None:
    """Back the RSS cap with an address-space limit (inherited by the processes it starts)."""
    limit = memory_cap + ADDRESS_SPACE_HEADROOM
    try:
        resource.prlimit(pid, resource.RLIMIT_AS, (limit, limit))
    except (ProcessLookupError, PermissionError):
        pass


def citetrack_command() -> list[str]:
    """Return the ``citetrack`` console script of this Python's environment (else the one on PATH)."""
    script = Path(sys.executable).with_name("citetrack")
    found = str(script) if script.exists() else shutil.which("citetrack")
    if found is None:
        raise SystemExit("bench_store: no `citetrack` command: install the project (pip install -e .) first")
    return [found]


def free_port() -> int:
    """Return a TCP port free on the loopback interface right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """``citetrack serve`` in a subprocess on a loopback port.

    It is restarted after a request it could not finish, and after one that left it holding much more memory
    than it started with, so each request's peak memory is its own.
    """

    def __init__(
        self, command: list[str], memory_cap: int, *, after_kill: Callable[[], None], startup_timeout: float = 120.0
    ) -> None:
        self.command, self.memory_cap, self.startup_timeout = command, memory_cap, startup_timeout
        self.after_kill = after_kill
        self.process: subprocess.Popen[bytes] | None = None
        self.base = ""
        self.started_rss = 0

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Start the server and wait until it answers."""
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        command = [*self.command, "--port", str(port)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        _limit_address_space(self.process.pid, self.memory_cap)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"citetrack serve exited {self.process.returncode} at start: {' '.join(command)}")
            try:
                with urllib.request.urlopen(self.base + "/openapi.json", timeout=5) as response:
                    response.read()
                self.started_rss = tree_rss(self.process.pid)
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"citetrack serve did not answer within {self.startup_timeout:.0f} s")

    def stop(self) -> None:
        """Kill the server."""
        if self.process is not None:
            kill_tree(self.process.pid)
            self.process.wait()
            self.process = None

    def get(self, path: str, timeout: float) -> Measured:
        """Time one GET of ``path``; a request over a cap restarts the server so the next starts clean."""
        assert self.process is not None
        watcher = _MemoryWatcher(self.process.pid, self.memory_cap)
        started = time.monotonic()
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
                body = response.read()
            seconds = time.monotonic() - started
            measured = Measured(seconds, 0, "ok", seconds, output_bytes=len(body))
        except urllib.error.HTTPError as error:
            seconds = time.monotonic() - started
            answer = error.read()[:200].decode("utf-8", "replace")
            measured = Measured(seconds, 0, f"HTTP {error.code}", seconds, detail=answer)
        except (TimeoutError, OSError) as error:
            capped = "memory cap" if watcher.killed else "time cap"
            measured = Measured(None, 0, capped, time.monotonic() - started, detail=str(error)[:200])
        measured.peak_rss = watcher.stop()
        bloated = tree_rss(self.process.pid) > self.started_rss + BLOATED if self.process.poll() is None else True
        if measured.seconds is None or bloated:
            self.stop()
            self.after_kill()
            self.start()
        return measured


class _MemoryWatcher(threading.Thread):
    """Samples a server's tree RSS during one request and kills it past the memory cap."""

    def __init__(self, pid: int, cap: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.cap = pid, cap
        self.peak, self.killed = 0, False
        self.done = threading.Event()
        self.start()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            if self.peak > self.cap and not self.killed:
                self.killed = True
                kill_tree(self.pid)
            self.done.wait(SAMPLE_SECONDS / 2)

    def stop(self) -> int:
        """Stop sampling; return the peak RSS seen."""
        self.done.set()
        self.join()
        return max(self.peak, tree_rss(self.pid))


class FirstRequestProxy:
    """An HTTP proxy on a loopback port that notes when the first request arrives and never answers any.

    A crawl pointed at it (``http_proxy``/``https_proxy``) sends its requests here rather than to the sources'
    hosts, so "the first request leaves" is observed without fetching anything, and nothing is recorded.
    """

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.first: float | None = None
        self.first_line = ""
        self.held: list[socket.socket] = []
        self.closing = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> FirstRequestProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        self.thread.join()
        for connection in self.held:
            connection.close()
        self.listener.close()

    def reset(self) -> None:
        """Forget the first request seen and drop the connections held."""
        self.first, self.first_line = None, ""
        for connection in self.held:
            connection.close()
        self.held.clear()

    def first_request(self) -> float | None:
        """Return when (``time.monotonic()``) the first request arrived, or None."""
        return self.first

    def _accept(self) -> None:
        while not self.closing.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            if self.first is None:
                self.first = time.monotonic()
                connection.settimeout(2)
                try:
                    self.first_line = connection.recv(512).split(b"\r\n", 1)[0].decode("latin-1")
                except OSError:
                    self.first_line = "(no request line)"
            self.held.append(connection)
