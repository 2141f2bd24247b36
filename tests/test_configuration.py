"""Configuration comes from the environment, strictly, and production is safe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from claimtrack.env import env_bool, env_float, env_int, env_list
from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "k7#Vq2!pLz9@xR4$wT6^yU8&nB1*mC3(dF5)gH0_jJ2+sA4-eD6",
    "ALLOWED_HOSTS": "claims.newsroom.example",
    "DATABASE_URL": "postgres://claimtrack@db:5432/claimtrack",
    "REDIS_URL": "redis://redis:6379/0",
}


def _manage(*args, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_check_passes_with_production_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", env={k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_misspelt_boolean_stops_the_process():
    result = _manage("check", env={**PRODUCTION, "DEBUG": "ture"})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_a_malformed_api_rate_stops_the_process():
    result = _manage("check", env={**PRODUCTION, "CLAIMTRACK_API_RATE_USER": "lots"})
    assert result.returncode != 0
    assert "API rate 'lots'" in result.stderr


def test_env_readers_are_strict(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG")
    monkeypatch.setenv("NUMBER", "12x")
    with pytest.raises(ImproperlyConfigured):
        env_int("NUMBER", 1)
    monkeypatch.setenv("NUMBER", "0.9x")
    with pytest.raises(ImproperlyConfigured, match="must be a number"):
        env_float("NUMBER", 1.0)
    monkeypatch.setenv("NUMBER", "0.95")
    assert env_float("NUMBER", 1.0) == 0.95
    monkeypatch.setenv("HOSTS", " a.example, ,b.example ")
    assert env_list("HOSTS") == ["a.example", "b.example"]
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", default=True) is True


@pytest.mark.skipif(not IN_CI, reason="only CI promises PostgreSQL")
def test_ci_runs_the_suite_on_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.django_db
def test_the_health_check_answers(client):
    response = client.get("/healthz", secure=True)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_the_sign_in_page(client):
    response = client.get("/", secure=True)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    page = client.get(response["Location"], secure=True).content.decode()
    assert ">Username</label>" in page and ">Password</label>" in page
    assert '<button type="submit">Sign in</button>' in page
