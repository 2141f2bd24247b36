"""Faults, counted: workers killed mid re-check, Redis down or hung while articles arrive,
PostgreSQL restarted under traffic, a task delivered twice at once, editors racing on one
claim. Prints one JSON object of counts and times.

    SECRET_KEY=x .venv/bin/python bench/faults.py            # everything, about 5 minutes
    SECRET_KEY=x .venv/bin/python bench/faults.py --only kill,redis --kills 10

Self-contained: it starts a private PostgreSQL cluster and Redis server on free ports
(tests/reliability/harness.py), migrates a database there, and runs real Celery workers
(prefork) and gunicorn against them, with production settings. It never touches the
machine's own PostgreSQL or Redis. The workers run tests/reliability/worker_main.py, whose
test-only hook holds a marked article's first attempt so it can be killed mid-check.
"""

import argparse
import json
import os
import signal
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reliability import harness  # noqa: E402
from tests.reliability.worker_main import PAUSE, POISON  # noqa: E402

RECHECK = "claims.tasks.recheck_article"
SWEEP = "claims.tasks.sweep_unchecked_articles"
PASSWORD = "faults-bench-password"  # noqa: S105 (a throw-away cluster's admin)
CLAIM = "Meta will release its Llama 2 language model as open source."
SUPPORTING = (
    "Meta released its Llama 2 language model as open source on Tuesday. The company "
    "published the weights of Llama 2 under an open source licence, and developers "
    "downloaded the model within hours. Meta said Llama 2 is free for research and "
    "commercial use, confirming that the model would be open source as promised."
)


def seconds(values: list[float]) -> dict:
    if not values:
        return {}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median_s": round(statistics.median(ordered), 3),
        "p95_s": round(p95, 3),
        "max_s": round(ordered[-1], 3),
    }


class Bench:
    def __init__(self, folder: Path):
        self.folder = folder
        self.pg = harness.PrivatePostgres().start()
        self.database = self.pg.create_database("claimtrack")
        harness.migrate(self.database)
        self.redis = harness.PrivateRedis().start()
        os.environ.update(DATABASE_URL=self.database, SECRET_KEY=harness.SECRET_KEY)
        os.environ.pop("REDIS_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "claimtrack.settings"
        import django

        django.setup()
        import claimtrack.enqueue

        # Articles stored here owe their re-check in the outbox; this process sends (or
        # loses) the messages itself.
        claimtrack.enqueue.enqueue = lambda task, *args: False
        self.sender = harness.publisher(self.redis.url(0))
        self.worker = harness.Worker(self._env(), signal_dir=folder)
        self._people()

    def _env(self, **extra):
        return harness.app_env(database_url=self.database, redis_url=self.redis.url(0), **extra)

    def _people(self):
        from django.contrib.auth.models import Group, User

        from claims.services import claim_create

        self.journalist = User.objects.create_user("bench-journalist")
        self.journalist.groups.add(Group.objects.get(name="journalist"))
        self.journalist = User.objects.get(pk=self.journalist.pk)
        self.claim = claim_create(text=CLAIM, kind="prediction", actor=self.journalist)
        User.objects.create_superuser("admin", password=PASSWORD)

    def article(self, text: str):
        from articles.services import article_create

        return article_create(title=text[:60], text=text, origin="paste").article

    def check(self, article_id: int):
        from claims.models import ArticleCheck

        return ArticleCheck.objects.get(article_id=article_id)

    def evidence_rows(self, article_ids) -> tuple[int, int]:
        """(rows, duplicated): evidence rows for the claim, and events that recorded one
        row more than once."""
        from django.db.models import Count

        from claims.models import ChangeEvent, EventKind, Evidence

        rows = Evidence.objects.filter(claim=self.claim, article_id__in=article_ids)
        events = (
            ChangeEvent.objects.filter(kind=EventKind.EVIDENCE_ADDED, object_type="evidence")
            .filter(object_id__in=rows.values("pk"))
            .values("object_id")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
        )
        return rows.count(), events.count()

    def settle(self, article_ids, timeout: float) -> bool:
        from claims.models import ArticleCheck

        def settled():
            pending = ArticleCheck.objects.filter(article_id__in=article_ids, state="pending")
            return not pending.exists()

        return harness.wait_until(settled, timeout, interval=0.1)

    def close(self):
        for closing in (self.sender.close, self.worker.stop, self.redis.stop, self.pg.destroy):
            try:
                closing()
            except Exception as error:  # keep closing the rest
                print(f"cleanup: {error!r}", file=sys.stderr)


# --- 1. Workers killed -------------------------------------------------------------------


def killed_pool_process(bench: Bench, runs: int) -> dict:
    """SIGKILL the pool process in the middle of a re-check, `runs` times."""
    bench.worker.ensure_running()
    recover, attempts, completed, lost, ids = [], [], 0, 0, []
    for n in range(runs):
        article = bench.article(f"{SUPPORTING}\n\nUpdate {n} of the kill run.\n\n{PAUSE}")
        ids.append(article.pk)
        bench.sender.send_task(RECHECK, args=[article.pk])
        marker = bench.folder / f"running-{article.pk}"
        if not harness.wait_until(marker.exists, 60):
            lost += 1  # never started: counted, and on to the next
            continue
        os.kill(int(marker.read_text()), signal.SIGKILL)
        killed_at = time.monotonic()
        if bench.settle([article.pk], 120) and bench.check(article.pk).state == "done":
            completed += 1
            recover.append(time.monotonic() - killed_at)
        else:
            lost += 1
        attempts.append(bench.check(article.pk).attempts)
    rows, duplicated = bench.evidence_rows(ids)
    return {
        "runs": runs,
        "completed": completed,
        "lost": lost,
        "evidence_rows": rows,
        "evidence_expected": runs,
        "duplicate_evidence_events": duplicated,
        "runs_with_more_than_2_attempts": sum(a > 2 for a in attempts),
        "time_to_recover": seconds(recover),
    }


def killed_whole_worker(bench: Bench, runs: int) -> dict:
    """SIGKILL the whole worker (main process and pool) mid re-check; a new worker starts
    and the sweep (beat's, run at once instead of after its 10 minutes) catches up."""
    from django.utils import timezone

    from claims.models import ArticleCheck

    restart, recover, completed, lost, ids = [], [], 0, 0, []
    for n in range(runs):
        bench.worker.ensure_running()
        article = bench.article(f"{SUPPORTING}\n\nUpdate {n} of the crash run.\n\n{PAUSE}")
        ids.append(article.pk)
        bench.sender.send_task(RECHECK, args=[article.pk])
        harness.wait_until((bench.folder / f"running-{article.pk}").exists, 60)
        bench.worker.kill()
        killed_at = time.monotonic()
        ArticleCheck.objects.filter(article=article).update(
            created_at=timezone.now() - timedelta(hours=1)
        )
        bench.worker.start()
        restart.append(time.monotonic() - killed_at)
        bench.sender.send_task(SWEEP).get(timeout=60, disable_sync_subtasks=False)
        if bench.settle([article.pk], 120) and bench.check(article.pk).state == "done":
            completed += 1
            recover.append(time.monotonic() - killed_at)
        else:
            lost += 1
    rows, duplicated = bench.evidence_rows(ids)
    return {
        "runs": runs,
        "completed": completed,
        "lost": lost,
        "evidence_rows": rows,
        "evidence_expected": runs,
        "duplicate_evidence_events": duplicated,
        "worker_restart": seconds(restart),
        "time_to_recover_with_restart_and_sweep": seconds(recover),
    }


def poison(bench: Bench) -> dict:
    """An article that kills every pool process that re-checks it."""
    from claims.recheck import MAX_CHECK_ATTEMPTS

    bench.worker.ensure_running()
    article = bench.article(f"{SUPPORTING}\n\nThe poisoned update.\n\n{POISON}")
    started = time.monotonic()
    bench.sender.send_task(RECHECK, args=[article.pk])
    bench.settle([article.pk], 300)
    elapsed = time.monotonic() - started
    check = bench.check(article.pk)
    broker = bench.redis.client(0)
    drained = harness.wait_until(
        lambda: broker.llen("celery") == 0 and broker.hlen("unacked") == 0, 30
    )
    return {
        "state": check.state,
        "attempts": check.attempts,
        "max_attempts": MAX_CHECK_ATTEMPTS,
        "last_error": check.last_error,
        "seconds_to_give_up": round(elapsed, 1),
        "nothing_left_to_redeliver": drained,
        "worker_alive": bench.worker.alive(),
    }


# --- 2. Redis down or hung ---------------------------------------------------------------


def redis_outage(bench: Bench, mode: str, count: int) -> dict:
    import requests
    from django.utils import timezone

    from claims.models import ArticleCheck
    from claims.tokens import token_issue

    bench.worker.ensure_running()
    web = harness.Web(bench._env(), log_dir=bench.folder).start()
    headers = {"Authorization": f"Token {token_issue(user=bench.journalist)}"}
    answers, latencies, ids = {}, [], []
    try:
        bench.redis.stop() if mode == "down" else bench.redis.pause()
        for n in range(count):
            body = {"title": f"{mode} {n}", "text": f"{SUPPORTING}\n\nRedis {mode}, update {n}."}
            started = time.monotonic()
            answer = requests.post(
                f"{web.url}/api/v1/articles/", json=body, headers=headers, timeout=120
            )
            latencies.append(time.monotonic() - started)
            answers[answer.status_code] = answers.get(answer.status_code, 0) + 1
            if answer.status_code == 201:
                ids.append(answer.json()["id"])
    finally:
        bench.redis.start() if mode == "down" else bench.redis.resume()
        web.stop()
    back = time.monotonic()
    pending_when_back = ArticleCheck.objects.filter(article_id__in=ids, state="pending").count()
    ArticleCheck.objects.filter(article_id__in=ids).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    swept = (
        harness.publisher(bench.redis.url(0))
        .send_task(SWEEP)
        .get(timeout=120, disable_sync_subtasks=False)
    )
    settled = bench.settle(ids, 600)
    checks = list(ArticleCheck.objects.filter(article_id__in=ids))
    rows, duplicated = bench.evidence_rows(ids)
    return {
        "articles_sent": count,
        "answers": answers,
        "answer_time": seconds(latencies),
        "rechecks_owed_when_redis_came_back": pending_when_back,
        "sent_by_the_sweep": swept,
        "rechecked": sum(c.state == "done" for c in checks),
        "rechecked_exactly_once": sum(c.state == "done" and c.attempts == 1 for c in checks),
        "rechecked_more_than_once": sum(c.attempts > 1 for c in checks),
        "lost": count - sum(c.state == "done" for c in checks),
        "evidence_rows": rows,
        "duplicate_evidence_events": duplicated,
        "seconds_from_redis_back_to_all_rechecked": round(time.monotonic() - back, 1)
        if settled
        else None,
    }


# --- 3. PostgreSQL restarted -------------------------------------------------------------


def postgres_restart(bench: Bench, clients: int, down_for: float) -> dict:
    import requests
    from django.db import connections

    env = bench._env(
        CLAIMTRACK_API_PUBLIC_READ="true",
        CLAIMTRACK_API_RATE_USER="1000000/min",
        CLAIMTRACK_API_RATE_ANON="1000000/min",
    )
    web = harness.Web(env, workers=2, threads=4, log_dir=bench.folder).start()
    signed_in = requests.Session()
    harness.csrf_login(signed_in, web.url, "admin", PASSWORD)
    before = web.worker_pids()
    paths, records, stop = ["/api/v1/claims/", "/"], [], threading.Event()

    def client(number):
        session = requests.Session()
        session.cookies.update(signed_in.cookies)
        turn = number
        while not stop.is_set():
            path = paths[turn % 2]
            turn += 1
            started = time.monotonic()
            try:
                answer = session.get(f"{web.url}{path}", timeout=60, allow_redirects=False)
                status, hint = answer.status_code, answer.headers.get("Retry-After")
                trace = "Traceback" in answer.text
            except requests.RequestException:
                status, hint, trace = "no answer", None, False
            records.append((started, time.monotonic(), path, status, hint, trace))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    connections.close_all()
    stopped_at = time.monotonic()
    bench.pg.stop("fast")
    time.sleep(down_for)
    bench.pg.start()
    started_at = time.monotonic()

    def recovered():
        recent = [r for r in records if r[0] > started_at]
        return all(any(r[2] == p and r[3] == 200 for r in recent) for p in paths)

    harness.wait_until(recovered, 120)
    first_ok = min((r[1] for r in records if r[0] > started_at and r[3] == 200), default=None)
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(60)
    after = web.worker_pids()
    web.stop()

    def count(rows):
        counted = {}
        for row in rows:
            counted[str(row[3])] = counted.get(str(row[3]), 0) + 1
        return counted

    in_flight = [r for r in records if r[0] < stopped_at < r[1]]
    unavailable = [r for r in records if r[3] == 503]
    after_recovery = [r for r in records if first_ok and r[0] > first_ok]
    return {
        "clients": clients,
        "seconds_down": down_for,
        "requests": len(records),
        "answers": count(records),
        "in_flight_when_stopped": count(in_flight),
        "answers_while_down": count([r for r in records if stopped_at <= r[0] < started_at]),
        "503_with_retry_after": sum(r[4] is not None for r in unavailable),
        "503_without_retry_after": sum(r[4] is None for r in unavailable),
        "answers_with_a_stack_trace": sum(r[5] for r in records),
        "seconds_from_postgres_back_to_first_200": round(first_ok - started_at, 2)
        if first_ok
        else None,
        "answers_after_the_first_200": count(after_recovery),
        "gunicorn_restarted": before != after,
    }


def task_retry(bench: Bench, down_for: float) -> dict:
    """A re-check sent while PostgreSQL is away: it retries with backoff, then completes."""
    from django.db import connections

    bench.worker.ensure_running()
    article = bench.article(f"{SUPPORTING}\n\nChecked while the database was away.")
    connections.close_all()
    bench.pg.stop("fast")
    sent = time.monotonic()
    result = bench.sender.send_task(RECHECK, args=[article.pk])
    time.sleep(down_for)
    bench.pg.start()
    back = time.monotonic()
    outcome = result.get(timeout=600, disable_sync_subtasks=False)
    done = time.monotonic()
    log = bench.worker.log_tail(2_000_000)
    return {
        "seconds_down": round(back - sent, 1),
        "outcome": outcome,
        "retries_logged": log.count(f"{RECHECK}[{result.id}] retry"),
        "seconds_from_postgres_back_to_done": round(done - back, 1),
        "attempts_counted": bench.check(article.pk).attempts,
    }


# --- 4. The same task twice at once; 5. editors racing ------------------------------------


def duplicate_delivery(bench: Bench, pairs: int) -> dict:
    from django.db import connection

    from claims.models import ArticleCheck, FingerprintBand
    from claims.tasks import recheck_article

    ids, errors = [], 0
    for n in range(pairs):
        article = bench.article(f"{SUPPORTING}\n\nDelivered twice, update {n}.")
        ids.append(article.pk)
        barrier, outcomes = threading.Barrier(2), []

        def deliver(article_id=article.pk, barrier=barrier, outcomes=outcomes):
            barrier.wait()
            try:
                outcomes.append(recheck_article(article_id))
            except Exception as error:
                outcomes.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=deliver) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        errors += sum(isinstance(o, Exception) for o in outcomes)
    checks = list(ArticleCheck.objects.filter(article_id__in=ids))
    rows, duplicated = bench.evidence_rows(ids)
    bands = FingerprintBand.objects.filter(fingerprint__article_id__in=ids).count()
    return {
        "deliveries": 2 * pairs,
        "both_ran_the_work": sum(c.attempts == 2 for c in checks),
        "checks_done": sum(c.state == "done" for c in checks),
        "evidence_rows": rows,
        "evidence_expected": pairs,
        "duplicate_evidence_events": duplicated,
        "fingerprint_bands": bands,
        "fingerprint_bands_expected": 8 * pairs,
        "errors": errors,
    }


def racing_editors(bench: Bench, editors: int) -> dict:
    import requests
    from django.contrib.auth.models import Group, User

    from claims.models import StatusChange
    from claims.services import claim_create
    from claims.tokens import token_issue

    claim = claim_create(text="Bench: editors racing.", actor=bench.journalist)
    group = Group.objects.get(name="editor")
    keys = []
    for n in range(editors):
        person = User.objects.create_user(f"bench-editor-{n}")
        person.groups.add(group)
        keys.append(token_issue(user=person))
    web = harness.Web(bench._env(), workers=2, threads=8, log_dir=bench.folder).start()
    verdicts = ["supported", "refuted", "mixed", "unverifiable"]
    codes, barrier = [], threading.Barrier(editors)

    def editor(i):
        headers = {"Authorization": f"Token {keys[i]}"}
        seen = "unverified"
        barrier.wait()
        while True:
            to = next(v for v in verdicts[i % 4 :] + verdicts if v != seen)
            answer = requests.post(
                f"{web.url}/api/v1/claims/{claim.pk}/status/",
                json={"status": to, "expected": seen, "note": f"editor {i}"},
                headers=headers,
                timeout=60,
            )
            codes.append(answer.status_code)
            if answer.status_code != 409:
                return
            seen = answer.json()["error"]["details"]["current"]

    started = time.monotonic()
    threads = [threading.Thread(target=editor, args=(i,)) for i in range(editors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    elapsed = time.monotonic() - started
    web.stop()
    rows = list(StatusChange.objects.filter(claim=claim).order_by("seq"))
    linear = [r.seq for r in rows] == list(range(1, len(rows) + 1)) and all(
        rows[k].from_status == rows[k - 1].to_status for k in range(1, len(rows))
    )
    notes = sorted(r.note for r in rows)
    return {
        "editors": editors,
        "requests": len(codes),
        "answers": {str(c): codes.count(c) for c in sorted(set(codes))},
        "history_rows": len(rows),
        "history_linear": linear,
        "lost_updates": editors - len(set(notes)),
        "seconds": round(elapsed, 2),
    }


SCENARIOS = ["kill", "poison", "crash", "redis", "duplicate", "editors", "postgres"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SCENARIOS), help=",".join(SCENARIOS))
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--crashes", type=int, default=5)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--pairs", type=int, default=20)
    parser.add_argument("--editors", type=int, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--down", type=float, default=5.0, help="seconds PostgreSQL is away")
    args = parser.parse_args()
    chosen = set(args.only.split(","))
    figures = {}
    with tempfile.TemporaryDirectory(prefix="claimtrack-faults-") as folder:
        bench = Bench(Path(folder))
        try:
            if "kill" in chosen:
                figures["worker_pool_process_killed"] = killed_pool_process(bench, args.kills)
            if "poison" in chosen:
                figures["article_that_kills_every_worker"] = poison(bench)
            if "crash" in chosen:
                figures["whole_worker_killed"] = killed_whole_worker(bench, args.crashes)
            if "redis" in chosen:
                figures["redis_down"] = redis_outage(bench, "down", args.articles)
                figures["redis_hung"] = redis_outage(bench, "hung", args.articles)
            if "duplicate" in chosen:
                figures["task_delivered_twice_at_once"] = duplicate_delivery(bench, args.pairs)
            if "editors" in chosen:
                figures["editors_racing_on_one_claim"] = racing_editors(bench, args.editors)
            if "postgres" in chosen:
                figures["postgres_restart"] = postgres_restart(bench, args.clients, args.down)
                figures["task_during_postgres_restart"] = task_retry(bench, args.down)
        finally:
            bench.close()
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
