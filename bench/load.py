"""Load: gunicorn on PostgreSQL with N claims, 50 API readers, 5 journalists, an editor
and articles ingested at 10 per second, with a real Celery worker re-checking them.

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/claimtrack \\
    REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/load.py \\
        [--claims 100000] [--duration 120]

It creates a database of its own beside the one DATABASE_URL names
(`claimtrack_loadbench`), migrates it and seeds the claims (bench/load_seed.py), then
starts gunicorn (production settings: DEBUG off, no SSL redirect, API throttles raised)
and one Celery worker process on a Redis queue of its own (bench/load_settings.py). After
a warm-up it measures, in one run:

1. each kind of request alone, one at a time, on the quiet stack;
2. list throughput: the API's first claims page against a plain Django view returning
   the same claims with the same fields (bench/load_urls.py), closed loop, in
   alternating slices;
3. the mixed load for --duration seconds: readers (lists with filters and cursor pages,
   details and histories, the change feed), journalists (claims and appearances), an
   editor (verdicts) and the article feed, while sampling the re-check backlog (article
   checks not done) every 5 s, and then until it drains or --drain-timeout passes.

Prints one JSON object. Everything it started is stopped and its database dropped, also
on Ctrl-C. The load generator, gunicorn, the worker and PostgreSQL share this machine's
cores: its figures are those of the whole stack on one box, the client included.
"""

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchdb import ROOT, setup_django
from load_client import latency_summary

BENCH = Path(__file__).resolve().parent
DB_NAME = "claimtrack_loadbench"
SAMPLE_EVERY = 5.0
TASK_LINE = re.compile(r"Task ([\w.]+)\[[^\]]+\] succeeded in ([\d.]+)s")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url(settings_dict: dict) -> str:
    credentials = settings_dict["USER"] + (
        f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    )
    host = f"{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{settings_dict['NAME']}"


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its descendants that are alive (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, IndexError, ValueError):
            continue
        stack += [int(child) for child in children]
    return total


def _scheduled_idle() -> None:
    os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


# How the Celery worker is scheduled beside gunicorn and PostgreSQL on one box: `nice`
# 19 (the default), Linux's SCHED_IDLE (`idle`: only CPU time nobody else wants), or
# `normal`. A deployment's choice (`nice -n 19 celery ...`, `chrt --idle 0 celery ...`);
# on a box of its own the worker runs `normal`. In one A/B run at 10,000 claims, reads'
# p99 was 159 ms with `nice` and 210 ms with `idle`.
PRIORITIES = {"idle": _scheduled_idle, "nice": lambda: os.nice(19), "normal": None}


class Stack:
    """gunicorn and the Celery worker, with their logs in a scratch folder."""

    def __init__(
        self, env: dict, workers: int, queue: str, concurrency: int = 1, priority: str = "nice"
    ):
        self.env, self.workers, self.queue = env, workers, queue
        self.concurrency, self.priority = concurrency, priority
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.logs = Path(tempfile.mkdtemp(prefix="claimtrack-load-"))
        self.processes: dict[str, subprocess.Popen] = {}

    def _start(self, name: str, command: list[str], priority: str = "normal") -> None:
        log = (self.logs / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, "PGAPPNAME": f"claimtrack-load-{name}"},  # see DatabaseCpu
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=PRIORITIES[priority],
            start_new_session=True,  # Ctrl-C reaches the benchmark only; it stops them
        )

    def start(self) -> None:
        python = sys.executable
        self._start(
            "gunicorn",
            [
                python,
                "-m",
                "gunicorn",
                "claimtrack.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                "--timeout=60",
                "--backlog=2048",
                "--log-level=warning",
            ],
        )
        self._start(
            "worker",
            [
                python,
                "-m",
                "celery",
                "-A",
                "claimtrack",
                "worker",
                "-Q",
                self.queue,
                *(
                    ["--pool=solo"]
                    if self.concurrency == 1
                    else ["--pool=prefork", f"--concurrency={self.concurrency}"]
                ),
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",  # one line per task with its run time
            ],
            priority=self.priority,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited:\n{self.tail(name)}")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer in {timeout} s:\n{self.tail('gunicorn')}")

    def tail(self, name: str, chars: int = 3000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def task_times(self) -> dict:
        """Run time of each kind of task, from the worker's log."""
        times: dict[str, list[float]] = {}
        for name, seconds in TASK_LINE.findall(self.tail("worker", chars=10**9)):
            times.setdefault(name.rsplit(".", 1)[-1], []).append(float(seconds) * 1000)
        return {name: latency_summary(values) for name, values in sorted(times.items())}

    def cpu(self) -> dict[str, float]:
        return {name: _cpu_seconds(p.pid) for name, p in self.processes.items()}

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _env(database_url: str, redis_url: str, queue: str) -> dict:
    paths = [str(ROOT), str(BENCH), os.environ.get("PYTHONPATH", "")]
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in paths if p),
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "CLAIMTRACK_LOAD_QUEUE": queue,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "load-bench-" + uuid.uuid4().hex,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on the loopback: production settings otherwise.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        # 50 clients on a handful of tokens: the throttles would measure themselves.
        # Raised per second, not per minute: DRF keeps each client's request times for
        # the rate's period, and the list comparison's one token (200+/s) then carried
        # 12,000 times a minute, read and written on every request (0.5 ms), far more
        # than any real limit lets a client keep (1,200 at the default 1200/min).
        "CLAIMTRACK_API_RATE_USER": "1000000/s",
        "CLAIMTRACK_API_RATE_ANON": "1000000/s",
        "LOG_LEVEL": "WARNING",
    }


class DatabaseCpu:
    """CPU of PostgreSQL's server processes by whom they serve (gunicorn or the worker,
    told apart by the application name each is started with), read from /proc: on one
    box the database's share matters as much as the app's. Backends come and go
    (CONN_MAX_AGE), so they are sampled with the backlog; a backend's CPU between its last
    sample and its end is missed."""

    def __init__(self):
        self.first: dict[int, tuple[str, float]] = {}
        self.last: dict[int, float] = {}
        self.started = False

    def sample(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, application_name FROM pg_stat_activity "
                "WHERE application_name LIKE 'claimtrack-load-%%'"
            )
            backends = cursor.fetchall()
        for pid, name in backends:
            seconds = _cpu_seconds(pid)
            if pid not in self.first:
                # Present before the load: count from here; born during it: from 0.
                self.first[pid] = (
                    name.removeprefix("claimtrack-load-"),
                    seconds * (not self.started),
                )
            self.last[pid] = seconds

    def start(self) -> None:
        self.first.clear(), self.last.clear()
        self.sample()
        self.started = True

    def seconds(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for pid, (name, first) in self.first.items():
            out[name] = out.get(name, 0.0) + self.last[pid] - first
        return {name: round(value, 1) for name, value in sorted(out.items())}


class Backlog:
    """Samples the re-check backlog from the database, in a thread of its own."""

    def __init__(self, redis_url: str, queue: str):
        import redis

        self.pool = ThreadPoolExecutor(max_workers=1)
        self.redis = redis.Redis.from_url(redis_url, socket_timeout=5)
        self.queue = queue
        self.samples: list[dict] = []
        self.database_cpu = DatabaseCpu()

    def _count(self) -> dict:
        from django.db.models import Count

        from claims.models import ArticleCheck, CheckState

        self.database_cpu.sample()
        states = dict(
            ArticleCheck.objects.exclude(state=CheckState.DONE)
            .values_list("state")
            .annotate(n=Count("id"))
        )
        return {
            "not_done": sum(states.values()),
            "failed": states.get(CheckState.FAILED, 0),
            "queued_tasks": self.redis.llen(self.queue),
        }

    async def in_thread(self, function):
        """Runs `function` in the sampling thread (which holds its database connection)."""
        return await asyncio.get_running_loop().run_in_executor(self.pool, function)

    async def sample(self, since: float) -> dict:
        counts = await self.in_thread(self._count)
        row = {"t_s": round(time.monotonic() - since, 1), **counts}
        self.samples.append(row)
        return row

    async def every(self, since: float, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.sample(since)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), SAMPLE_EVERY)

    def close(self) -> None:
        from django.db import connections

        self.pool.submit(connections.close_all).result()
        self.pool.shutdown()


async def _token(session, base: str, username: str, password: str) -> str:
    async with session.post(
        f"{base}/api/v1/auth/token/", json={"username": username, "password": password}
    ) as answer:
        body = await answer.json(content_type=None)
        if answer.status != 200 or "token" not in body:
            raise RuntimeError(f"no token for {username}: {answer.status} {body}")
        return body["token"]


async def _wait_checked(backlog: Backlog, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (await backlog.sample(time.monotonic()))["not_done"] == 0:
            return True
        await asyncio.sleep(1)
    return False


async def run(args, stack: Stack, seeded, backlog: Backlog, feed_cursors: list[str]) -> dict:
    import aiohttp
    import load_client as lc
    import synthetic
    from load_seed import PASSWORD

    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        roles = {"reader": seeded.users["reader"], "editor": seeded.users["editor"]}
        roles["journalist"] = seeded.users["journalist"][:-1]
        roles["ingest"] = seeded.users["journalist"][-1:]
        tokens = {
            role: [await _token(session, stack.base, name, PASSWORD) for name in names]
            for role, names in roles.items()
        }
        words = sorted({w.strip(".,") for t in seeded.about[:500] for w in t.split() if len(w) > 6})
        ctx = lc.Context(
            session=session,
            base=stack.base,
            tokens=tokens,
            claim_ids=seeded.claim_ids,
            article_texts=seeded.article_texts,
            speaker_ids=seeded.speaker_ids,
            tags=seeded.tags,
            words=words,
        )
        n_articles = int(args.rate * args.duration) + 50
        bodies = (
            {
                "title": f"Load article {i}",
                "text": f"{a.text}\n\nReference {stack.queue}-{i}.",
                "outlet": f"Outlet {i % 40}",
                "published_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            }
            for i, a in enumerate(synthetic.articles(n_articles, seed=5, about=seeded.about))
        )
        claim_texts = (
            f"{t} (logged {i})"
            for i, t in enumerate(itertools.cycle(synthetic.claims(2000, seed=9)))
        )

        # Warm-up: the worker builds its claim index on its first re-check; every
        # gunicorn worker answers a few requests.
        warm = time.monotonic()
        await lc.article_feed(ctx, time.monotonic() + 0.5, 4, bodies)
        for _ in range(args.workers * 4):
            await lc.call(ctx, "warmup", "GET", "/api/v1/claims/", tokens["reader"][0])
            await lc.call(ctx, "warmup", "GET", "/bench/plain-claims/", tokens["reader"][0])
        if not await _wait_checked(backlog, args.drain_timeout):
            raise RuntimeError(f"the worker did not re-check:\n{stack.tail('worker')}")
        warmup_s = time.monotonic() - warm
        warmup_errors = sum(ctx.recorder.errors.values())
        ctx.recorder, ctx.ingested = lc.Recorder(), []

        alone = await lc.probe(ctx, bodies)
        await _wait_checked(backlog, args.drain_timeout)  # the probe's articles
        comparison = await lc.compare_lists(
            ctx, args.compare_seconds, args.compare_clients, args.compare_rounds
        )

        # The mixed load.
        backlog.samples.clear()
        if args.trace:
            ctx.recorder.trace = []
        await backlog.in_thread(backlog.database_cpu.start)
        cpu_before, self_before = stack.cpu(), resource.getrusage(resource.RUSAGE_SELF)
        started = time.monotonic()
        stop_at = started + args.duration
        stop_sampling = asyncio.Event()
        sampler = asyncio.create_task(backlog.every(started, stop_sampling))
        people = [
            lc.reader(ctx, i, stop_at, args.read_think, feed_cursors[i])
            for i in range(args.readers)
        ]
        people += [
            lc.journalist(ctx, i, stop_at, args.write_think, claim_texts)
            for i in range(len(tokens["journalist"]))
        ]
        people.append(lc.editor(ctx, stop_at, args.editor_think))
        feed = lc.article_feed(ctx, stop_at, args.rate, bodies)
        results = await asyncio.gather(feed, *people)
        elapsed = time.monotonic() - started
        cpu_after, self_after = stack.cpu(), resource.getrusage(resource.RUSAGE_SELF)
        if args.trace:
            rows = [(round(at - started, 3), kind, ms) for at, kind, ms in ctx.recorder.trace]
            lines = [f"# started at monotonic {started:.3f}\n"]
            Path(args.trace).write_text("".join(lines + [f"{a}\t{k}\t{m}\n" for a, k, m in rows]))
        await backlog.in_thread(backlog.database_cpu.sample)
        database_cpu = backlog.database_cpu.seconds()

        # Then until the backlog drains.
        drained_at = None
        deadline = time.monotonic() + args.drain_timeout
        while time.monotonic() < deadline:
            last = backlog.samples[-1] if backlog.samples else None
            if last and last["t_s"] >= elapsed and last["not_done"] == 0:
                drained_at = last["t_s"]
                break
            await asyncio.sleep(1)
        stop_sampling.set()
        await sampler

    summary = ctx.recorder.summary(elapsed)
    reads = [ms for kind in lc.READ_CLASSES for ms in ctx.recorder.latencies[kind]]
    errors = sum(ctx.recorder.errors.values())
    read_p99 = lc.latency_summary(reads).get("p99_ms")
    peak = max((s["not_done"] for s in backlog.samples), default=0)
    loadgen_cpu = (self_after.ru_utime + self_after.ru_stime) - (
        self_before.ru_utime + self_before.ru_stime
    )
    return {
        "duration_s": round(elapsed, 1),
        "warmup_s": round(warmup_s, 1),
        "warmup_errors": warmup_errors,
        "classes": summary,
        "reads": {**lc.latency_summary(reads), "per_s": round(len(reads) / elapsed, 1)},
        "list_variants": {k: lc.latency_summary(v) for k, v in ctx.variants.latencies.items()},
        "errors": errors,
        "error_samples": ctx.recorder.samples,
        "articles_sent": results[0],
        "articles_stored": len(ctx.ingested),
        "backlog": {
            "peak_not_done": peak,
            "drained": drained_at is not None,
            "drained_at_s": drained_at,
            "failed": backlog.samples[-1]["failed"] if backlog.samples else None,
            "samples": backlog.samples,
        },
        "one_at_a_time_ms": alone,
        "worker_tasks_ms": stack.task_times(),
        "baseline": comparison,
        "cpu_s_during_load": {
            "load_generator": round(loadgen_cpu, 1),
            **{name: round(cpu_after[name] - cpu_before[name], 1) for name in cpu_after},
            **{f"postgresql_for_{name}": seconds for name, seconds in database_cpu.items()},
            "available": round(elapsed * (os.cpu_count() or 1), 1),
        },
        "targets": {
            "read_p99_under_150ms": read_p99 is not None and read_p99 < 150,
            "list_at_least_half_plain": comparison["ratio_api_to_plain"] >= 0.5,
            "zero_errors": errors == 0 and comparison["api"]["errors"] == 0,
            "backlog_drained": drained_at is not None,
        },
    }


def _drop_database(connection, name: str) -> None:
    connection.close()
    try:
        connection.creation.destroy_test_db(name, verbosity=0)
    except Exception:
        # A straggling connection (a killed worker's): force it.
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--duration", type=float, default=120, help="seconds of mixed load")
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--journalists", type=int, default=5)
    parser.add_argument("--rate", type=float, default=10, help="articles ingested per second")
    parser.add_argument("--read-think", type=float, default=2, help="readers' mean pause, s")
    parser.add_argument("--write-think", type=float, default=5, help="journalists' pause, s")
    parser.add_argument("--editor-think", type=float, default=3, help="the editor's pause, s")
    parser.add_argument(
        "--workers",
        type=int,
        default=4 * (os.cpu_count() or 1),
        help="gunicorn workers: more than the usual 2 x cores + 1, because PostgreSQL shares "
        "the box and a worker waiting on it holds no core",
    )
    parser.add_argument(
        "--worker-concurrency",
        type=int,
        default=2,
        help="Celery pool processes (as in docker-compose.yml); 1: one process (solo pool)",
    )
    parser.add_argument(
        "--worker-priority",
        choices=sorted(PRIORITIES),
        default="nice",
        help="how the Celery worker is scheduled: on one box, people's requests come first",
    )
    parser.add_argument("--compare-seconds", type=float, default=20, help="per side")
    parser.add_argument("--compare-clients", type=int, default=10)
    parser.add_argument("--compare-rounds", type=int, default=4)
    parser.add_argument("--drain-timeout", type=float, default=900)
    parser.add_argument(
        "--trace", metavar="FILE", help="write each request of the load: ended at, kind, ms"
    )
    parser.add_argument("--keep-logs", action="store_true", help="keep gunicorn's and the worker's")
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url.startswith("redis"):
        raise SystemExit("REDIS_URL=redis://... is needed for the Celery worker.")
    setup_django("postgres")
    signal.signal(signal.SIGTERM, _interrupt)

    from django.db import connection
    from load_seed import feed_cursors, seed

    connection.settings_dict["TEST"]["NAME"] = DB_NAME
    queue = f"claimtrack-load-{uuid.uuid4().hex[:8]}"
    stack = backlog = None
    name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=False, serialize=False
    )
    try:
        started = time.monotonic()
        seeded = seed(args.claims, journalists=args.journalists + 1, readers=5)
        cursors = feed_cursors(args.readers)
        seed_s = time.monotonic() - started
        connection.close()
        env = _env(_database_url(connection.settings_dict), redis_url, queue)
        stack = Stack(env, args.workers, queue, args.worker_concurrency, args.worker_priority)
        stack.start()
        stack.wait_ready()
        backlog = Backlog(redis_url, queue)
        figures = asyncio.run(run(args, stack, seeded, backlog, cursors))
        figures = {
            "claims": args.claims,
            "seed_s": round(seed_s, 1),
            "readers": args.readers,
            "journalists": args.journalists,
            "editors": 1,
            "articles_per_s": args.rate,
            "read_think_s": args.read_think,
            "gunicorn_workers": args.workers,
            "worker_priority": args.worker_priority,
            "celery": "1 worker, "
            + (
                "one process (--pool=solo)"
                if args.worker_concurrency == 1
                else f"{args.worker_concurrency} processes"
            ),
            "cores": os.cpu_count(),
            "note": "the load generator, gunicorn, the Celery worker and PostgreSQL share "
            "these cores (see cpu_s_during_load)",
            **figures,
        }
        print(json.dumps(figures, indent=1))
    except BaseException:
        if stack is not None:
            for process in stack.processes:
                print(f"--- {process} log (end) ---\n{stack.tail(process)}", file=sys.stderr)
        raise
    finally:
        if stack is not None:
            stack.stop()
            if not args.keep_logs:
                shutil.rmtree(stack.logs, ignore_errors=True)
        if backlog is not None:
            backlog.close()
            # The queue and its binding (results expire by themselves).
            bindings = (f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
            backlog.redis.delete(queue, *bindings)
        _drop_database(connection, name)


if __name__ == "__main__":
    main()
