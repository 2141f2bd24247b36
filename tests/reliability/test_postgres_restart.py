"""PostgreSQL restarted under traffic: the requests that need it meanwhile answer 503
with Retry-After (the API's error shape under /api/, a small page elsewhere), never a
stack trace; the app recovers by itself, without a restart (CONN_HEALTH_CHECKS); and a
task that meets the outage retries with backoff and completes once PostgreSQL is back.

gunicorn (four threads, production settings) and a worker run against a
private PostgreSQL cluster, which the test stops in the middle of the traffic (`pg_ctl
stop -m fast` ends every session at once, as a restart or a failover does).
"""

import json
import threading
import time

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.reliability import harness
from tests.reliability.conftest import need, url_of_test_database
from tests.reliability.harness import wait_until

# django_db: not for these tests (they use the private cluster), but so that the test
# database, whose tables the cluster copies, is set up even when they run alone.
pytestmark = [pytest.mark.faults, pytest.mark.worker, pytest.mark.django_db]

PASSWORD = "faults-only-password"
PATHS = ["/api/v1/claims/", "/"]  # the API, and a page (the dashboard, signed in)


@pytest.fixture(scope="module")
def private_postgres(django_db_setup, django_db_blocker):
    cluster = need(harness.PrivatePostgres)
    cluster.start()
    try:
        url = cluster.create_database("claimtrack")
        with django_db_blocker.unblock():
            migrated = url_of_test_database() if connection.vendor == "postgresql" else None
        if migrated:
            need(lambda: cluster.copy_schema(migrated, "claimtrack"))
        else:  # the test database is SQLite: run the migrations (slower)
            harness.migrate(url)
        hashed = PBKDF2PasswordHasher().encode(PASSWORD, "faultsonlysalt")
        cluster.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name,"
            " email, is_staff, is_active, date_joined)"
            " VALUES (%s, true, 'admin', '', '', '', true, true, now())",
            (hashed,),
            database="claimtrack",
        )
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="module")
def web(private_postgres, tmp_path_factory):
    env = harness.app_env(
        database_url=private_postgres.url("claimtrack"),
        CLAIMTRACK_API_PUBLIC_READ="true",
        CLAIMTRACK_API_RATE_USER="100000/min",
        CLAIMTRACK_API_RATE_ANON="100000/min",
    )
    server = harness.Web(env, workers=1, threads=4, log_dir=tmp_path_factory.mktemp("web"))
    server.start()
    yield server
    server.stop()
    print(server.log_tail())


def _traffic(web, cookies, phase: dict, stop: threading.Event, results: list, clients: int):
    def client(number):
        session = requests.Session()
        session.cookies.update(cookies)
        turn = number
        while not stop.is_set():
            path = PATHS[turn % len(PATHS)]
            turn += 1
            try:
                answer = session.get(f"{web.url}{path}", timeout=30, allow_redirects=False)
            except requests.RequestException as error:
                results.append((phase["now"], path, "no answer", {}, repr(error)))
                continue
            results.append((phase["now"], path, answer.status_code, answer.headers, answer.text))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    return threads


def test_requests_while_postgres_restarts_get_503_and_the_app_recovers_by_itself(
    web, private_postgres
):
    signed_in = requests.Session()
    harness.csrf_login(signed_in, web.url, "admin", PASSWORD)
    processes = web.worker_pids()
    results, phase, stop = [], {"now": "up"}, threading.Event()
    threads = _traffic(web, signed_in.cookies, phase, stop, results, clients=4)

    def seen(when, status, path=None):
        return [r for r in results if r[0] == when and r[2] == status and path in (None, r[1])]

    try:
        assert wait_until(lambda: len(seen("up", 200)) >= 8, 30)
        phase["now"] = "down"
        private_postgres.stop("fast")
        assert wait_until(lambda: all(len(seen("down", 503, p)) >= 2 for p in PATHS), 30)
        phase["now"] = "back"
        private_postgres.start()
        assert wait_until(lambda: all(len(seen("back", 200, p)) >= 4 for p in PATHS), 60)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    # Only 200 (the database there) and 503 (not): no 500, no request left hanging.
    assert {r[2] for r in results} <= {200, 503}, {(r[1], r[2], r[4][:300]) for r in results}
    for _, path, status, headers, body in results:
        assert "Traceback" not in body
        if status != 503:
            continue
        assert headers["Retry-After"] == "5"
        if path.startswith("/api/"):
            assert headers["Content-Type"] == "application/json"
            assert json.loads(body)["error"]["code"] == "service_unavailable"
        else:
            assert headers["Content-Type"].startswith("text/html")
            assert "Back in a moment" in body
    # Recovered without a restart: the same gunicorn processes answer 200 again.
    assert web.worker_pids() == processes
    assert [r[2] for r in results[-4:]] == [200] * 4


def test_a_task_that_meets_the_outage_retries_and_completes_when_postgres_is_back(
    web, private_postgres, private_redis, tmp_path_factory
):
    database = private_postgres.url("claimtrack")
    token = requests.post(
        f"{web.url}/api/v1/auth/token/",
        json={"username": "admin", "password": PASSWORD},
        timeout=30,
    ).json()["token"]
    stored = requests.post(
        f"{web.url}/api/v1/articles/",
        json={"title": "Outage", "text": "The database went away and came back."},
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    )
    assert stored.status_code == 201, stored.text
    article = stored.json()["id"]

    def check():
        return private_postgres.execute(
            "SELECT state, attempts, finished_at FROM claims_articlecheck WHERE article_id = %s",
            (article,),
            database="claimtrack",
        )[0]

    first = check()  # without a broker, gunicorn ran it in-process on commit
    assert first[:2] == ("done", 1)

    env = harness.app_env(database_url=database, redis_url=private_redis.url(1))
    worker = harness.Worker(env, signal_dir=tmp_path_factory.mktemp("pg-worker"), name="pg")
    worker.start()
    sender = harness.publisher(private_redis.url(1))
    try:
        private_postgres.stop("fast")
        result = sender.send_task("claims.tasks.recheck_article", args=[article, True])
        assert wait_until(lambda: result.state == "RETRY", 60), worker.log_tail()
        time.sleep(1)  # more than one try fails meanwhile, each waiting longer
        private_postgres.start()
        assert result.get(timeout=120, disable_sync_subtasks=False) == "done", worker.log_tail()
    finally:
        sender.close()
        worker.stop()
    state, attempts, finished_at = check()
    assert (state, attempts) == ("done", 1) and finished_at > first[2]
    assert "Retry in" in worker.log_tail(100_000)
