"""Many learners against a real multi-worker server, each request on a new connection.

Shared by the multi-worker test (tests/integration/test_multiworker.py) and its benchmark
(tests/benchmarks/test_multiworker_speed.py). A proxy that does not stick a learner to one
worker is what a new connection per request gives: the kernel hands each accepted
connection to whichever worker takes it first, so consecutive actions on one run land on
different workers, each with its own cache of live sandboxes.

``Cluster`` is the server: a scratch database migrated and filled with a cohort of
learners, uvicorn with N workers in its own process group, which the test can kill with
SIGKILL (all of it, as a crash would) and start again on the same port. ``Learner`` is one
person in a thread: it logs in, opens a run and posts actions with idempotency keys; a
request that got no answer (the server died under it) is sent again with the same key
until it is acknowledged, which is what a careful client does.
"""

from __future__ import annotations

import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session

from leadworks.accounts.models import Role
from leadworks.accounts.service import create_user
from leadworks.cohorts.service import create_cohort, enroll
from leadworks.core.config import Environment, Settings
from leadworks.core.db import make_engine
from leadworks.core.migrate import upgrade
from tests.support.servers import Server, kill_group, start_server, stop_server

PASSWORD = "crowd-password-123"
SECRET = "crowd-secret-key-" + "y" * 32
REQUEST_SECONDS = 30.0  # no single request may hang the test
STARTUP_SECONDS = 240.0  # every worker loads the language model: slow on a busy machine
_TICKS = os.sysconf("SC_CLK_TCK")


def settings_for(database_url: str, data_dir: Path, exercises_dir: Path | None = None) -> Settings:
    extra = {"exercises_dir": exercises_dir} if exercises_dir else {}
    return Settings(
        env=Environment.test,
        database_url=database_url,
        secret_key=SECRET,
        data_dir=data_dir,
        **extra,
    )


def seed_learners(settings: Settings, count: int) -> list[str]:
    """Migrate the schema and enrol ``count`` learners in one cohort; their emails."""
    engine = make_engine(settings)
    try:
        upgrade(settings, engine=engine)
        emails = [f"learner{n:02d}@crowd.example" for n in range(count)]
        with Session(engine) as session:
            cohort = create_cohort(session=session, name="Crowd cohort")
            for n, email in enumerate(emails):
                user = create_user(
                    session=session,
                    email=email,
                    name=f"Crowd Learner {n}",
                    password=PASSWORD,
                    role=Role.learner,
                )
                enroll(session=session, cohort=cohort, learner=user)
        return emails
    finally:
        engine.dispose()


# ---- the server ------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _status_kib(pid: int, name: str) -> int:
    try:
        found = re.search(rf"{name}:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return 0
    return int(found.group(1)) if found else 0


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


def peak_rss_mib(pid: int) -> float:
    """A process's peak resident memory, from /proc's VmHWM (psutil has no peak on Linux)."""
    return _status_kib(pid, "VmHWM") / 1024


class Cluster:
    """``uvicorn leadworks.asgi:app --workers N`` on one database, killable and restartable.

    The first start takes a free port (port 0); restarts reuse it, so a client that kept
    the address reaches the new server, as it would behind a proxy.
    """

    def __init__(self, settings: Settings, workers: int, log_dir: Path) -> None:
        self.settings, self.workers, self.log_dir = settings, workers, log_dir
        self.env = os.environ | {
            "LEADWORKS_ENV": settings.env.value,
            "LEADWORKS_SECRET_KEY": settings.secret_key,
            "LEADWORKS_DATABASE_URL": settings.database_url,
            "LEADWORKS_DATA_DIR": str(settings.data_dir),
            "LEADWORKS_EXERCISES_DIR": str(settings.exercises_dir),
            "LEADWORKS_LOGIN_MAX_FAILURES_PER_ADDRESS": "1000",
        }
        self.server: Server | None = None
        self.starts = 0
        self.start_seconds: list[float] = []  # how long each start took, all workers up
        self._url = ""
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        with self._lock:
            return self._url

    def start(self) -> None:
        port = int(self._url.rpartition(":")[2]) if self._url else 0
        self.starts += 1
        began = time.monotonic()
        log = self.log_dir / f"server-{self.starts}.log"
        try:
            server = self._start(log, port)
        except RuntimeError as error:  # someone took the port meanwhile: any free one
            if not port or "address already in use" not in str(error).lower():
                raise
            server = self._start(self.log_dir / f"server-{self.starts}-elsewhere.log", 0)
        with self._lock:
            self.server, self._url = server, server.url
        self._wait_for_workers(seconds=STARTUP_SECONDS)
        self.start_seconds.append(time.monotonic() - began)

    def _start(self, log: Path, port: int) -> Server:
        return start_server(
            self.env, log, workers=self.workers, port=port, own_group=True, seconds=STARTUP_SECONDS
        )

    def _wait_for_workers(self, seconds: float) -> None:
        """Every worker is up (each logs "Application startup complete")."""
        assert self.server is not None
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            text = self.server.log.read_text(errors="replace")
            if text.count("Application startup complete") >= self.workers:
                return
            time.sleep(0.1)
        raise RuntimeError(f"only some of {self.workers} workers started:\n{text[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the whole process group: no shutdown, no flush, transactions cut."""
        assert self.server is not None
        workers = self.worker_pids()
        kill_group(self.server.process)
        alive = [pid for pid in workers if _alive(pid)]
        assert not alive, f"workers {alive} outlived the kill of their process group"

    def stop(self) -> None:
        if self.server is not None:
            stop_server(self.server.process)

    def worker_pids(self) -> list[int]:
        """The worker processes (or the server itself when it runs one worker)."""
        assert self.server is not None
        if self.workers == 1:
            return [self.server.pid]
        children = _children(self.server.pid)
        return [pid for pid in children if "spawn_main" in _cmdline(pid)] or children

    def cpu(self) -> dict[int, float]:
        return {pid: cpu_seconds(pid) for pid in self.worker_pids()}


@contextmanager
def running_cluster(settings: Settings, workers: int, log_dir: Path) -> Iterator[Cluster]:
    cluster = Cluster(settings, workers, log_dir)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


# ---- the learners ----------------------------------------------------------------------


@dataclass
class Acknowledged:
    """An action the server answered 200 to: what was asked and what it said."""

    key: str
    action: dict[str, Any]
    answer: dict[str, Any]
    seconds: float  # the last attempt's round trip (the one that was answered)
    attempts: int


@dataclass
class Learner:
    """One learner in a thread; every request opens a new connection (no keep-alive)."""

    email: str
    address: Callable[[], str]  # the server's URL now (it survives restarts)
    exercise: str
    deadline: float  # time.monotonic() after which the learner gives up
    token: str = ""
    run_id: int = 0
    done: list[Acknowledged] = field(default_factory=list)
    refused: list[tuple[str, int, str]] = field(default_factory=list)  # (what, status, body)
    retries: int = 0
    _http: httpx.Client | None = None

    def _client(self) -> httpx.Client:
        """The learner's client; it keeps no connection open between requests."""
        address = self.address()
        if self._http is None or str(self._http.base_url).rstrip("/") != address:
            self.close()
            self._http = httpx.Client(
                base_url=address,
                timeout=REQUEST_SECONDS,
                limits=httpx.Limits(max_keepalive_connections=0),
                headers={"Connection": "close"},
            )
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def request(self, method: str, path: str, **options: Any) -> httpx.Response:
        """Send until answered: a dropped connection or a timeout is retried as it was
        (same body, same Idempotency-Key), a little later, until the deadline."""
        headers = options.pop("headers", {})
        if self.token:
            headers = {"Authorization": f"Bearer {self.token}"} | headers
        pause = 0.05
        while True:
            try:
                return self._client().request(method, path, headers=headers, **options)
            except httpx.TransportError:
                if time.monotonic() > self.deadline:
                    raise
                self.retries += 1
                time.sleep(pause)
                pause = min(pause * 2, 1.0)

    def log_in(self) -> None:
        answer = self.request(
            "POST", "/api/v1/auth/token", data={"username": self.email, "password": PASSWORD}
        )
        assert answer.status_code == 200, (self.email, answer.status_code, answer.text)
        self.token = answer.json()["access_token"]

    def open_run(self) -> None:
        """Start a run, or pick up the one a cut-off request already started."""
        mine = self.request("GET", "/api/v1/runs").json()
        opened = [run for run in mine if run["exercise_id"] == self.exercise]
        if opened:
            self.run_id = opened[0]["id"]
            return
        answer = self.request("POST", f"/api/v1/exercises/{self.exercise}/runs")
        assert answer.status_code == 201, (self.email, answer.status_code, answer.text)
        self.run_id = answer.json()["id"]

    def contacts(self, count: int) -> list[str]:
        """The first ``count`` prospects of the run's market (at most 25)."""
        answer = self.request(
            "GET", f"/api/v1/runs/{self.run_id}/prospects", params={"per_page": 25}
        )
        assert answer.status_code == 200, answer.text
        return [row["id"] for row in answer.json()["results"]][:count]

    def act(self, action: dict[str, Any]) -> Acknowledged | None:
        """Post one action with a fresh key; retried with that key until answered."""
        key = uuid.uuid4().hex
        attempts = 0
        while True:
            attempts += 1
            started = time.perf_counter()
            answer = self.request(
                "POST",
                f"/api/v1/runs/{self.run_id}/actions",
                json=action,
                headers={"Idempotency-Key": key},
            )
            seconds = time.perf_counter() - started
            if answer.status_code == 200:
                done = Acknowledged(key, action, answer.json(), seconds, attempts)
                self.done.append(done)
                return done
            self.refused.append((action["type"], answer.status_code, answer.text[:300]))
            if answer.status_code < 500 or time.monotonic() > self.deadline:
                return None
            time.sleep(0.1)  # a 5xx is recorded (a test fails on it) and retried


def everyday_actions(learner: int, contacts: Sequence[str], count: int) -> list[dict[str, Any]]:
    """A learner's ``count`` actions: cheap ones of several types, each add_to_list naming
    a list no other action names (``marker``), so it can be counted in the log."""
    actions: list[dict[str, Any]] = []
    for n in range(count):
        contact = contacts[n % len(contacts)]
        kind = n % 4
        if kind == 0:
            actions.append(
                {"type": "add_to_list", "contact_ids": [contact], "list_name": marker(learner, n)}
            )
        elif kind == 1:
            actions.append({"type": "view_profile", "contact_id": contact})
        elif kind == 2:
            actions.append({"type": "advance_clock", "hours": 1})
        else:
            actions.append({"type": "search", "decision_maker": True, "limit": 5})
    return actions


def marker(learner: int, n: int) -> str:
    return f"crowd-{learner:02d}-{n:02d}"


def run_all(
    learners: Sequence[Learner],
    work: Callable[[int, Learner], None],
    meanwhile: Callable[[], None] | None = None,
) -> list[str]:
    """Run ``work`` for every learner in its own thread (and ``meanwhile`` in this one, e.g.
    a kill and restart); the failures, as text."""
    failures: list[str] = []

    def one(n: int, learner: Learner) -> None:
        try:
            work(n, learner)
        except BaseException as error:  # collected: the test reports every learner's
            failures.append(f"{learner.email}: {type(error).__name__}: {error}")
        finally:
            learner.close()

    threads = [
        threading.Thread(target=one, args=(n, learner), daemon=True)
        for n, learner in enumerate(learners)
    ]
    for thread in threads:
        thread.start()
    try:
        if meanwhile is not None:
            meanwhile()
    except BaseException as error:
        failures.append(f"meanwhile: {type(error).__name__}: {error}")
    for thread in threads:
        thread.join(timeout=max(1.0, learners[0].deadline - time.monotonic() + 30))
    failures += [
        f"{learners[n].email}: still running" for n, t in enumerate(threads) if t.is_alive()
    ]
    return failures


def engine_of(settings: Settings) -> Engine:
    return make_engine(settings)
