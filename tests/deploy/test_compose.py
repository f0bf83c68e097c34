"""docker-compose.yml, .env.example and the Dockerfile, checked without Docker.

The compose file is read with PyYAML (anchors and ``<<`` merge keys resolved), so every
service is checked with the settings it really gets from ``x-airflow-common``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.paths import REPO
from xxgk.orchestration.names import WAREHOUSE_POOL

ROOT = REPO
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text("utf-8")
COMPOSE: dict[str, Any] = yaml.safe_load(COMPOSE_TEXT)
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
AIRFLOW = [
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
    "airflow-init",
]
BIND_MOUNTS = {"./dags", "./plugins", "./dbt_project", "./expectations", "./samples"}
# ${VAR}, ${VAR:-default}, ${VAR:?message}; $${VAR} is an escaped shell variable
REFERENCE = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|FERNET|_KEY$|_AUTH$")


def _env_example() -> dict[str, str]:
    pairs = {}
    for line in (ROOT / ".env.example").read_text("utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, sep, value = line.partition("=")
            assert sep, f".env.example: not KEY=value: {line!r}"
            pairs[key.strip()] = value.strip()
    return pairs


def _environment(service: str) -> dict[str, str]:
    env = SERVICES[service].get("environment", {})
    assert isinstance(env, dict), f"{service}: use the mapping form of environment"
    return {k: str(v) for k, v in env.items()}


def test_every_service_of_the_celery_cluster_exists() -> None:
    assert {"postgres", "redis", *AIRFLOW} <= set(SERVICES)


def test_common_settings_reach_every_airflow_service() -> None:
    common = COMPOSE["x-airflow-common"]["environment"]
    assert common["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert common["AIRFLOW__CORE__DAGS_FOLDER"] == "/opt/xxgk/dags"
    assert common["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].endswith(
        "airflow-apiserver:8080/execution/"
    )
    assert common["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://")
    assert common["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql://")
    assert common["XXGK_INBOX"].startswith("/opt/xxgk/data/")
    assert common["XXGK_WAREHOUSE"].startswith("/opt/xxgk/data/")
    shared = (
        "AIRFLOW__API_AUTH__JWT_SECRET",
        "AIRFLOW__API__SECRET_KEY",
        "AIRFLOW__CORE__FERNET_KEY",
    )
    for service in AIRFLOW:
        env = _environment(service)
        for key in (*shared, "AIRFLOW__CORE__EXECUTOR", "XXGK_INBOX", "XXGK_WAREHOUSE"):
            assert env[key] == str(common[key]), (service, key)
        assert "_PIP_ADDITIONAL_REQUIREMENTS" not in env, service


def test_every_airflow_service_shares_the_data_volume_and_the_project() -> None:
    for service in AIRFLOW:
        targets = {v.split(":")[1]: v.split(":")[0] for v in SERVICES[service]["volumes"]}
        assert targets["/opt/xxgk/data"] in COMPOSE["volumes"], service
        for folder in ("dags", "plugins", "dbt_project", "expectations", "samples"):
            assert targets[f"/opt/xxgk/{folder}"] == f"./{folder}", service


def test_bind_mounts_are_project_folders_that_exist() -> None:
    for name, service in SERVICES.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith((".", "/", "~")):
                assert source in BIND_MOUNTS, (name, source)
                assert (ROOT / source).is_dir(), f"{name} mounts missing {source}"


def test_every_referenced_variable_is_defined_in_env_example() -> None:
    referenced = set(REFERENCE.findall(COMPOSE_TEXT))
    assert referenced, "the compose file takes its settings from .env"
    assert referenced - set(_env_example()) == set()


def test_no_credential_is_written_in_the_compose_file() -> None:
    assert "airflow:airflow@" not in COMPOSE_TEXT
    # every reference to a secret is ${VAR:?message}: no default, no silent empty value
    for name, form in re.findall(r"(?<!\$)\$\{([A-Za-z_0-9]+)(:?[?-]?)", COMPOSE_TEXT):
        if SECRET_NAME.search(name):
            assert form == ":?", f"${{{name}}} must be written ${{{name}:?message}}"
    # user:password@ in URLs only ever comes from references
    masked = re.sub(r"\$\{([A-Za-z_0-9]+)[^}]*\}", r"<\1>", COMPOSE_TEXT)
    credentials = re.findall(r"://([^:/@\s]*):([^@\s]*)@", masked)
    assert len(credentials) >= 3  # metadata DB, result backend, broker
    for user, password in credentials:
        assert re.fullmatch(r"(<[A-Z_0-9]+>)?", user), user
        assert re.fullmatch(r"<[A-Z_0-9]*PASSWORD>", password), password
    envs = [COMPOSE["x-airflow-common"]["environment"]]
    envs += [s.get("environment", {}) for s in SERVICES.values()]
    for env in envs:
        for key, value in env.items():
            if SECRET_NAME.search(key) and not key.endswith("_FILE"):
                assert re.fullmatch(r"\$\{[A-Z_0-9]+:\?[^}]+\}", str(value)), (key, value)


def test_env_example_ships_no_secret_values() -> None:
    secrets = {k: v for k, v in _env_example().items() if SECRET_NAME.search(k)}
    assert {
        "POSTGRES_PASSWORD",
        "REDIS_PASSWORD",
        "AIRFLOW_FERNET_KEY",
        "AIRFLOW_JWT_SECRET",
        "AIRFLOW_API_SECRET_KEY",
        "AIRFLOW_ADMIN_PASSWORD",
    } <= set(secrets)
    assert all(v == "" for v in secrets.values()), secrets


def test_health_checks_and_start_order() -> None:
    for name in ("postgres", "redis", *AIRFLOW[:-1]):
        assert SERVICES[name]["healthcheck"]["test"], name
    for name in AIRFLOW[:-1]:
        depends = SERVICES[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name
        assert depends["airflow-init"]["condition"] == "service_completed_successfully", name
    worker = SERVICES["airflow-worker"]
    assert worker["depends_on"]["airflow-apiserver"]["condition"] == "service_healthy"


def test_workers_can_be_scaled() -> None:
    worker = SERVICES["airflow-worker"]
    assert "container_name" not in worker and "ports" not in worker
    assert worker["command"] == "celery worker"


def test_init_creates_the_warehouse_pool_the_dag_uses() -> None:
    script = "\n".join(SERVICES["airflow-init"]["command"])
    assert "airflow pools set xxgk_warehouse 1" in script
    assert f"airflow pools set {WAREHOUSE_POOL} 1" in script  # the pool the DAG's tasks use


def test_dockerfile_extends_airflow_332_and_installs_the_lock() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text("utf-8")
    assert "apache/airflow:3.3.2-python3.11" in dockerfile
    assert "uv.lock" in dockerfile and "--frozen" in dockerfile
    assert "--require-hashes" in dockerfile
    build = COMPOSE["x-airflow-common"]["build"]
    assert build["dockerfile"] == "Dockerfile" and build["context"] == "."


def _docker_compose() -> list[str] | None:
    docker = shutil.which("docker")
    if docker is None:
        return None
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, check=False)
    return [docker, "compose"] if probe.returncode == 0 else None


def test_docker_compose_accepts_the_file(tmp_path: Path) -> None:
    compose = _docker_compose()
    if compose is None:
        pytest.skip("docker compose is not available here")
    env = tmp_path / ".env"
    values = {k: v or "placeholder0123456789" for k, v in _env_example().items()}
    env.write_text("".join(f"{k}={v}\n" for k, v in values.items()), "utf-8")
    result = subprocess.run(
        [*compose, "--env-file", str(env), "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# --- the same settings as the Celery cluster the integration test runs the DAG on ----------


def _celery_test_settings() -> dict[str, str]:
    from tests.support.airflow_procs import cluster_env

    env = cluster_env(Path("/nonexistent/airflow-home"), 8080)
    return {k: v for k, v in env.items() if k.startswith("AIRFLOW") or k == "PYTHONPATH"}


def test_cluster_settings_equal_those_of_the_celery_test() -> None:
    from tests.support.airflow_procs import (
        CLUSTER_SETTINGS,
        LOCAL_ONLY_SETTINGS,
        PER_DEPLOYMENT_SETTINGS,
        TEST_ONLY_SETTINGS,
    )

    common = {k: str(v) for k, v in COMPOSE["x-airflow-common"]["environment"].items()}
    for key, value in CLUSTER_SETTINGS.items():
        assert common.get(key) == value, key
    assert set(PER_DEPLOYMENT_SETTINGS) <= set(common)
    assert not set(TEST_ONLY_SETTINGS) & set(common), "test-only settings stay out of compose"
    tested = _celery_test_settings()
    unexplained = set(tested) - set(common) - set(TEST_ONLY_SETTINGS) - set(LOCAL_ONLY_SETTINGS)
    assert unexplained == set(), "every setting the test cluster uses is deployed too"
    for service in AIRFLOW:
        env = _environment(service)
        for key in (*CLUSTER_SETTINGS, *PER_DEPLOYMENT_SETTINGS):
            assert env[key] == common[key], (service, key)


def test_the_test_cluster_is_wired_like_compose() -> None:
    tested = _celery_test_settings()
    common = COMPOSE["x-airflow-common"]["environment"]
    for key in (
        "AIRFLOW__CELERY__BROKER_URL",
        "AIRFLOW__CELERY__RESULT_BACKEND",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
    ):
        assert (
            tested[key].split("://")[0].split("+")[0] == common[key].split("://")[0].split("+")[0]
        ), key
    assert tested["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].endswith("/execution/")
    assert tested["AIRFLOW__CORE__DAGS_FOLDER"] == str(ROOT / "dags")
    assert common["PYTHONPATH"] == "/opt/xxgk/plugins"
    assert tested["PYTHONPATH"].split(":")[0] == str(ROOT / "plugins")


def test_every_path_the_deployment_references_exists() -> None:
    mounted = {v.split(":")[1]: v.split(":")[0] for v in SERVICES["airflow-init"]["volumes"]}
    for path in set(re.findall(r"/opt/xxgk/[\w./-]*[\w]", COMPOSE_TEXT)):
        root = next((t for t in mounted if path == t or path.startswith(t + "/")), None)
        assert root is not None, f"{path} is under no mounted folder"
        source = mounted[root]
        if source.startswith("./"):  # a bind mount: the project path must exist
            assert (ROOT / source / path[len(root) :].lstrip("/")).exists(), path
    dockerfile = (ROOT / "Dockerfile").read_text("utf-8")
    for line in re.findall(r"^COPY\s+(?:--\S+\s+)*(.+)$", dockerfile, re.M):
        *sources, _dest = line.split()
        for source in sources:
            assert (ROOT / source).exists(), f"Dockerfile copies missing {source}"


def test_the_docker_build_context_keeps_what_the_image_needs() -> None:
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".venv", "data", ".git", ".env"} <= ignored
    dockerfile = (ROOT / "Dockerfile").read_text("utf-8")
    for line in re.findall(r"^COPY\s+(?:--\S+\s+)*(.+)$", dockerfile, re.M):
        for source in line.split()[:-1]:
            assert source not in ignored, f"{source} is copied but excluded from the context"


def test_every_variable_the_init_script_reads_is_set_for_it() -> None:
    init = SERVICES["airflow-init"]
    script = "\n".join(init["command"])
    env = _environment("airflow-init")
    container_vars = set(re.findall(r"\$\$\{?([A-Z_][A-Z0-9_]*)", script))
    container_vars |= set(re.findall(r"os\.environ\[\"([A-Z_0-9]+)\"\]", script))
    assert container_vars, "the init script reads its settings from the environment"
    assert container_vars - set(env) - {"HOSTNAME"} == set()
