"""docker-compose.yml describes the production shape. Docker's engine is not on every
machine, so the file is checked by parsing it, and by `docker compose config` where the
compose plugin exists."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_it_has_the_five_services_each_with_a_health_check():
    assert set(SERVICES) == {"db", "redis", "web", "worker", "beat"}
    for name, service in SERVICES.items():
        assert "healthcheck" in service, name


def test_the_database_is_postgresql_16():
    assert SERVICES["db"]["image"] == "postgres:16"


def test_app_services_share_one_image_and_configuration():
    for name in ["web", "worker", "beat"]:
        service = SERVICES[name]
        assert service["build"] == "."
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert "SECRET_KEY" in env and "DEBUG" not in env


def test_services_start_in_order_of_health():
    assert SERVICES["web"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert SERVICES["web"]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "celery" in SERVICES["worker"]["command"] and "worker" in SERVICES["worker"]["command"]
    assert "beat" in SERVICES["beat"]["command"]
    assert "gunicorn" in SERVICES["web"]["command"]


def test_the_dockerfile_builds_the_app_image():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11" in dockerfile
    assert "collectstatic" in dockerfile and "USER claimtrack" in dockerfile


def _compose_command() -> list[str] | None:
    if (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ):
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.mark.skipif(_compose_command() is None, reason="no docker compose on this machine")
def test_docker_compose_accepts_the_file():
    result = subprocess.run(
        [*_compose_command(), "config", "--quiet"],
        cwd=ROOT,
        env={"SECRET_KEY": "x", "PATH": "/usr/bin:/usr/local/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
