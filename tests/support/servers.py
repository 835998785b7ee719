"""A real uvicorn process serving the platform, on a port it picks itself.

The server binds port 0 and says which port it got in its log ("Uvicorn running on
http://127.0.0.1:PORT"), so no other process can take the port between a test choosing it
and the server binding it. A server started in its own process group (``own_group``) can
be killed whole, workers included, as a crash would (``kill_group``), and started again on
the port it had.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from leadworks.core.config import PROJECT_ROOT

_RUNNING = re.compile(r"Uvicorn running on (http://[\d.]+:\d+)")


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid


def _wait_for_url(process: subprocess.Popen[bytes], log: Path, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = _RUNNING.search(log.read_text(errors="replace"))
        if found:
            return found.group(1)
        if process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.1)
    raise RuntimeError(f"the server did not start within {seconds:.0f} s")


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer /healthz within {seconds:.0f} s")


def start_server(
    env: dict[str, str],
    log: Path,
    *,
    workers: int = 1,
    command: Sequence[str] | None = None,
    seconds: float = 90,
    port: int = 0,
    own_group: bool = False,
) -> Server:
    """Start ``uvicorn leadworks.asgi:app`` (or ``command`` plus ``--port``) and wait until
    it answers /healthz. ``own_group`` puts it (and so its workers) in a new process group."""
    argv = list(command or [sys.executable, "-m", "uvicorn", "leadworks.asgi:app"])
    argv += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "info"]
    if workers > 1:
        argv += ["--workers", str(workers)]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            argv,
            env=env,
            cwd=PROJECT_ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=own_group,
        )
    try:
        url = _wait_for_url(process, log, seconds)
        _wait_healthy(url, process, log, seconds)
    except BaseException:
        stop_server(process)
        raise
    return Server(url, process, log)


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
    if _leads_group(process):
        kill_group(process)  # a worker the supervisor left behind goes too


def _leads_group(process: subprocess.Popen[bytes]) -> bool:
    try:
        return os.getpgid(process.pid) == process.pid
    except ProcessLookupError:
        return _group_alive(process.pid)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def kill_group(process: subprocess.Popen[bytes], seconds: float = 15) -> None:
    """SIGKILL the server's whole process group (supervisor and workers), as a crash or the
    OOM killer would, and wait until none of it is left."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=seconds)
    deadline = time.monotonic() + seconds
    while _group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)  # orphaned workers are reaped by init


@contextmanager
def running_server(env: dict[str, str], log: Path, **options: object) -> Iterator[Server]:
    server = start_server(env, log, **options)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        stop_server(server.process)
