"""A local Airflow cluster for tests: Postgres metadata DB, CeleryExecutor on Redis.

Every component (api-server, scheduler, dag-processor, triggerer, Celery workers) is a
process started with ``start_new_session=True`` and stopped by process group, so nothing
outlives the test. The DAG is driven through the REST API (trigger + poll), never the CLI
(~6 s per call here).

``CLUSTER_SETTINGS`` are the settings docker-compose.yml gives every Airflow container too
(tests/deploy/test_compose.py checks that they stay equal); ``TEST_ONLY_SETTINGS`` make
recovery fast enough for a test and are the only deliberate differences.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.paths import REPO

PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
TEST_DB = "xxgk_airflow_test"
REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 11  # a Redis DB of our own
DAG_ID = "xxgk_annual_load"

# Shared by the test cluster and docker-compose.yml (x-airflow-common), value for value.
CLUSTER_SETTINGS: dict[str, str] = {
    "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
    "AIRFLOW__CORE__LOAD_EXAMPLES": "false",
    "AIRFLOW__CELERY__WORKER_PREFETCH_MULTIPLIER": "1",
    "AIRFLOW__CELERY__TASK_ACKS_LATE": "true",
    "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "false",
}
# Settings whose values are per deployment (hosts, ports, secrets, paths); both set them.
PER_DEPLOYMENT_SETTINGS = (
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
    "AIRFLOW__CELERY__BROKER_URL",
    "AIRFLOW__CELERY__RESULT_BACKEND",
    "AIRFLOW__CELERY__WORKER_CONCURRENCY",
    "AIRFLOW__CORE__EXECUTION_API_SERVER_URL",
    "AIRFLOW__API_AUTH__JWT_SECRET",
    "AIRFLOW__API__SECRET_KEY",
    "AIRFLOW__CORE__FERNET_KEY",
    "AIRFLOW__CORE__DAGS_FOLDER",
    "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION",
    "PYTHONPATH",
)
# Only here: fast failure detection, no login, local ports and log folders.
TEST_ONLY_SETTINGS: dict[str, str] = {
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "20",
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
    # a task the killed worker had received but not started comes back after this
    "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": "60",
    "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
    # no scheduled run of the yearly DAG next to the test's own (manual runs still run)
    "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
}


# Per process on one host (containers each have their own hostname, ports and home).
LOCAL_ONLY_SETTINGS = (
    "AIRFLOW_HOME",
    "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT",
    "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT",
    "AIRFLOW__CORE__HOSTNAME_CALLABLE",
)


def unavailable_reason() -> str | None:
    """Why the cluster cannot run here (Postgres or Redis not reachable), else None."""
    for name, host, port in (("PostgreSQL", PG_HOST, PG_PORT), ("Redis", REDIS_HOST, REDIS_PORT)):
        try:
            socket.create_connection((host, port), timeout=2).close()
        except OSError as exc:
            return f"{name} is not reachable on {host}:{port} ({exc})"
    return None


LOCK_FILE = Path(tempfile.gettempdir()) / "xxgk-airflow-celery-test.lock"


@contextmanager
def exclusive_backends(timeout: float = 600) -> Iterator[bool]:
    """Hold the machine-wide lock on the test database and Redis DB (other test sessions
    in this checkout use the same ones); yields False when it was not free in time."""
    with LOCK_FILE.open("w") as fh:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    yield False
                    return
                time.sleep(2)
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _template_db() -> str:
    from importlib.metadata import version

    return f"{TEST_DB}_tpl_{re.sub(r'[^0-9a-z]', '_', version('apache-airflow'))}"


def reset_backends(migrate: Callable[[], None]) -> None:
    """A fresh metadata database and an empty Redis DB of our own.

    The database is cloned from a migrated template (made once per Airflow version by
    ``migrate``): a clone takes a second, a migration from scratch ~10 s.
    """
    import psycopg2
    import redis

    template = _template_db()
    con = psycopg2.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres")
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {TEST_DB} WITH (FORCE)")
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (template,))
            if cur.fetchone():
                cur.execute(f"CREATE DATABASE {TEST_DB} TEMPLATE {template}")
            else:
                cur.execute(f"CREATE DATABASE {TEST_DB}")
                migrate()
                cur.execute(f"CREATE DATABASE {template} TEMPLATE {TEST_DB}")
    finally:
        con.close()
    redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB).flushdb()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cluster_env(home: Path, api_port: int, concurrency: int = 2) -> dict[str, str]:
    pg = f"postgresql+psycopg2://{PG_USER}@{PG_HOST}:{PG_PORT}/{TEST_DB}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update(CLUSTER_SETTINGS)
    env.update(TEST_ONLY_SETTINGS)
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": pg,
            "AIRFLOW__CELERY__BROKER_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
            "AIRFLOW__CELERY__RESULT_BACKEND": f"db+{pg}",
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(concurrency),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
            "AIRFLOW__API__SECRET_KEY": secrets.token_hex(32),
            "AIRFLOW__CORE__FERNET_KEY": "",
            "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
            "PYTHONPATH": os.pathsep.join([str(REPO / "plugins"), str(home)]),
            # the DAG's inbox and warehouse params: the tests' folders (tmp_path)
            "XXGK_ALLOWED_ROOTS": str(Path(tempfile.gettempdir()).resolve()),
        }
    )
    return env


def _airflow_exe() -> str:
    exe = Path(sys.executable).with_name("airflow")
    return str(exe) if exe.exists() else "airflow"


@dataclass
class Cluster:
    """The processes of one test cluster and the REST API to drive it."""

    home: Path
    env: dict[str, str]
    api_port: int
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def airflow(self, *args: str, timeout: float = 180) -> None:
        """Run one airflow CLI command to completion (only for setup: ~6 s each)."""
        log = self.home / "cli.log"
        with log.open("ab") as out:
            subprocess.run(
                [_airflow_exe(), *args],
                env=self.env,
                stdout=out,
                stderr=out,
                check=True,
                timeout=timeout,
            )

    def start(self, name: str, *args: str, env: Mapping[str, str] | None = None) -> None:
        log = (self.home / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen(
            [_airflow_exe(), *args],
            env={**self.env, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def start_worker(self, name: str, concurrency: int = 2) -> None:
        """A Celery worker with its own log-server port and the hostname ``name``."""
        self.start(
            name,
            "celery",
            "worker",
            "--concurrency",
            str(concurrency),
            "--celery-hostname",
            f"{name}@%h",
            env={
                "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
                "AIRFLOW__CORE__HOSTNAME_CALLABLE": f"xxgk_test_hostnames.{name}",
            },
        )

    def kill(self, name: str) -> None:
        """SIGKILL the process group of ``name`` and every descendant that left it."""
        proc = self.procs.pop(name)
        family = _descendants(proc.pid)
        _signal_group(proc, signal.SIGKILL)
        proc.wait(timeout=20)
        _kill_all(family)

    def stop_all(self) -> None:
        """SIGTERM every group; SIGKILL what is left after 15 s, descendants included."""
        families = {name: _descendants(p.pid) for name, p in self.procs.items()}
        for proc in self.procs.values():
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for name, proc in self.procs.items():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait(timeout=10)
            _kill_all(families[name])
        self.procs.clear()

    def api(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"{self.api_url}{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        # the API server answers in milliseconds on a quiet machine; on a busy 2-core one
        # (load 13) a call took over 10 s: a slow answer is not the failure under test
        with urllib.request.urlopen(req, timeout=90) as resp:
            return json.loads(resp.read() or b"null")

    def wait_until_ready(self, workers: list[str], timeout: float = 120) -> None:
        """API up, scheduler / dag-processor / triggerer healthy, DAG parsed, workers ready."""
        deadline = time.monotonic() + timeout
        while True:
            problem = self._not_ready(workers)
            if problem is None:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"cluster not ready after {timeout} s: {problem}")
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with {proc.returncode}; see {self.home}")
            time.sleep(1)

    def _not_ready(self, workers: list[str]) -> str | None:
        try:
            health = self.api("GET", "/api/v2/monitor/health")
            for part in ("metadatabase", "scheduler", "triggerer", "dag_processor"):
                if health.get(part, {}).get("status") != "healthy":
                    return f"{part} not healthy: {health.get(part)}"
            self.api("GET", f"/api/v2/dags/{DAG_ID}")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            return f"api: {exc}"
        for name in workers:
            log = (self.home / f"{name}.log").read_text(errors="replace")
            if " ready." not in log:
                return f"worker {name} not ready"
        return None

    def trigger(self, conf: Mapping[str, Any]) -> str:
        run = self.api(
            "POST", f"/api/v2/dags/{DAG_ID}/dagRuns", {"logical_date": None, "conf": dict(conf)}
        )
        return str(run["dag_run_id"])

    def run_state(self, run_id: str) -> str:
        return str(self.api("GET", f"/api/v2/dags/{DAG_ID}/dagRuns/{run_id}")["state"])

    def task_instances(self, run_id: str) -> list[dict[str, Any]]:
        out = self.api("GET", f"/api/v2/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances?limit=1000")
        return list(out["task_instances"])

    def wait_for_run(self, run_id: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while (state := self.run_state(run_id)) not in ("success", "failed"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"run {run_id} still {state} after {timeout} s")
            time.sleep(1)
        return state


def _descendants(pid: int) -> list[Any]:
    import psutil

    try:
        return list(psutil.Process(pid).children(recursive=True))
    except psutil.NoSuchProcess:
        return []


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def _kill_all(processes: list[Any]) -> None:
    import psutil

    for child in processes:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(processes, timeout=5)


def write_hostname_module(home: Path, names: list[str]) -> None:
    """``xxgk_test_hostnames.<name>()`` returns ``name``: each worker reports its own name."""
    body = "".join(f"def {n}() -> str:\n    return {n!r}\n\n\n" for n in names)
    (home / "xxgk_test_hostnames.py").write_text(body, encoding="utf-8")


def start_cluster(home: Path, workers: list[str]) -> Cluster:
    """Reset the backends, create the warehouse pool, start every component."""
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    cluster = Cluster(home, cluster_env(home, port), port)
    write_hostname_module(home, workers)
    reset_backends(lambda: cluster.airflow("db", "migrate"))
    try:
        cluster.start("api-server", "api-server", "--port", str(port))
        cluster.start("scheduler", "scheduler")
        cluster.start("dag-processor", "dag-processor")
        cluster.start("triggerer", "triggerer")
        for name in workers:
            cluster.start_worker(name)
        cluster.wait_until_ready(workers)
        cluster.api(
            "POST",
            "/api/v2/pools",
            {"name": "xxgk_warehouse", "slots": 1, "description": "DuckDB single writer"},
        )
    except BaseException:
        cluster.stop_all()
        raise
    return cluster
