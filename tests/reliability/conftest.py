"""Fixtures of the fault tests: a private Redis, Celery workers on it (using the test
database), and what a test needs to keep its articles' messages in its own hands.

What these tests break is always theirs: a redis-server, a PostgreSQL cluster, workers
and gunicorns they start themselves (tests/reliability/harness.py). A program they need
that is missing fails the test in CI and skips it elsewhere.
"""

import pytest
from django.db import connection

from tests.conftest import IN_CI
from tests.reliability import harness


def need(make):
    """`make()`, or, when a program it needs is not installed, a failure in CI and a skip
    elsewhere."""
    try:
        return make()
    except harness.Missing as missing:
        if IN_CI:
            pytest.fail(f"{missing}: the fault tests need it in CI")
        pytest.skip(str(missing))


def url_of_test_database() -> str:
    """The test database, for processes started by a test (call it inside a test)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="package")
def private_redis():
    redis = need(harness.PrivateRedis).start()
    yield redis
    redis.stop()


@pytest.fixture(scope="package")
def signal_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("faults")


@pytest.fixture(scope="package")
def package_worker(django_db_setup, django_db_blocker, private_redis, signal_dir):
    """One worker on the private Redis (database 0) and the test database, shared by the
    tests of this folder; a test that kills it gets a new one (`worker`)."""
    with django_db_blocker.unblock():
        database_url = url_of_test_database()
    env = harness.app_env(database_url=database_url, redis_url=private_redis.url(0))
    worker = harness.Worker(env, signal_dir=signal_dir)
    yield worker
    worker.stop()


@pytest.fixture
def worker(package_worker, private_redis, signal_dir):
    """The shared worker, running, with an empty broker and no signals left over."""
    if not private_redis.answers():
        private_redis.stop()
        private_redis.start()
    private_redis.client(0).flushdb()
    for leftover in signal_dir.glob("running-*"):
        leftover.unlink()
    package_worker.ensure_running()
    yield package_worker
    print(package_worker.log_tail())  # shown when the test fails


@pytest.fixture
def send(private_redis):
    """Send a task by name to the private Redis's workers: send(name, *args) -> result."""
    app = harness.publisher(private_redis.url(0))

    def send_task(name: str, *args):
        return app.send_task(name, args=list(args))

    yield send_task
    app.close()


@pytest.fixture
def outbox_only(monkeypatch):
    """Articles stored by the test owe their re-check in the outbox, but nothing is sent on
    commit (in-process here, the re-check would run at once): the test sends, or loses,
    the messages itself. Returns the (task, args) that would have been sent."""
    held = []

    def hold(task, *args):
        held.append((task.name, args))
        return False

    monkeypatch.setattr("claimtrack.enqueue.enqueue", hold)
    return held
