"""The API throttles count in Redis (when there is one), so every gunicorn process counts
against the same limit; and a Redis that fails never fails a request."""

import uuid

import pytest
import redis
from django.core.cache import caches

from claimtrack import rest
from claimtrack.rest import UserThrottle
from tests.conftest import require_service

pytestmark = pytest.mark.django_db


def _redis_throttle(location: str, prefix: str) -> dict:
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": prefix,
        "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
    }


@pytest.fixture
def three_a_minute(monkeypatch):
    monkeypatch.setattr(UserThrottle, "rate", "3/min", raising=False)
    monkeypatch.setattr(rest._shared_counts, "down_until", 0.0)
    yield
    rest._shared_counts.down_until = 0.0


def test_counts_live_in_redis_so_every_process_shares_them(settings, as_role, three_a_minute):
    url = require_service("REDIS_URL")
    prefix = f"throttle-test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {**settings.CACHES, "throttle": _redis_throttle(url, prefix)}
    server = redis.Redis.from_url(url)
    try:
        reader = as_role("reader")
        assert [reader.get("/api/v1/claims/", secure=True).status_code for _ in range(2)] == [
            200,
            200,
        ]
        assert server.keys(f"{prefix}:*")  # the history is in Redis
        caches["default"].clear()  # another process: nothing of its own in memory
        codes = [reader.get("/api/v1/claims/", secure=True).status_code for _ in range(2)]
        assert codes == [200, 429]
    finally:
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)


def test_a_redis_that_fails_costs_no_request_and_each_process_counts_alone(
    settings, as_role, three_a_minute, caplog
):
    closed = "redis://127.0.0.1:9/0"  # the discard port: nothing listens
    settings.CACHES = {**settings.CACHES, "throttle": _redis_throttle(closed, "x")}
    caches["default"].clear()
    reader = as_role("reader")
    codes = [reader.get("/api/v1/claims/", secure=True).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]  # still throttled, in this process
    assert "counting in this process" in caplog.text
    assert rest._shared_counts.down_until > 0  # Redis is left alone for a while
