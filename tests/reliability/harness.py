"""Private services for the fault tests and `bench/faults.py`: a Redis server, a PostgreSQL
cluster, Celery workers and a gunicorn, each started here on a free port, so they can be
stopped, hung or killed without touching the machine's shared Redis and PostgreSQL.

Plain Python (no pytest): the benchmark uses it too. A tool that is not installed raises
`Missing`; the tests turn that into a failure in CI and a skip elsewhere.
"""

import contextlib
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "faults-test-only"


class Missing(RuntimeError):
    """A program these faults need is not installed."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def children_of(pid: int) -> list[int]:
    """Processes whose parent is `pid` (a worker's pool, a gunicorn's workers)."""
    found = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            found.append(int(Path(stat).parent.name))
    return found


def kill_tree(process: subprocess.Popen) -> None:
    """SIGKILL a process and its children at once: a machine losing the process, with no
    chance to hand its work back."""
    for pid in [process.pid, *children_of(process.pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait()


def stop_process(
    process: subprocess.Popen | None, timeout: float = 10, sig: int = signal.SIGTERM
) -> None:
    if process is None or process.poll() is not None:
        return
    children = children_of(process.pid)
    process.send_signal(sig)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        kill_tree(process)
    for pid in children:  # pool processes left behind by a cut-short shutdown
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


# --- Redis ---------------------------------------------------------------------------------


class PrivateRedis:
    """A redis-server of our own, without persistence: stopping it loses what it held, as
    a crashed Redis without AOF would."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise Missing("redis-server is not installed")
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self, db: int = 0):
        import redis

        return redis.Redis(port=self.port, db=db, socket_timeout=3, socket_connect_timeout=3)

    def start(self) -> "PrivateRedis":
        argv = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        argv += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        if not wait_until(self.answers, timeout=10):
            raise RuntimeError(f"redis-server on port {self.port} did not come up")
        return self

    def answers(self) -> bool:
        import redis

        try:
            return bool(self.client().ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        """Down: the port refuses connections."""
        if self.process is not None:
            self.resume()
            stop_process(self.process)
            self.process = None

    def pause(self) -> None:
        """Hung: the kernel still accepts connections, nothing ever answers."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)


# --- PostgreSQL ----------------------------------------------------------------------------


def _postgres_bin() -> Path:
    for candidate in [
        shutil.which("pg_ctl"),
        *sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")),
    ]:
        if candidate:
            folder = Path(candidate).resolve().parent
            if (folder / "initdb").exists() and (folder / "postgres").exists():
                return folder
    raise Missing("PostgreSQL server programs (initdb, pg_ctl, postgres) are not installed")


class PrivatePostgres:
    """A throw-away PostgreSQL cluster in a temporary folder, trusting local connections.
    The server refuses to run as root, so as root it runs as the `postgres` user."""

    def __init__(self):
        self.bin = _postgres_bin()
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="claimtrack-faults-pg-"))
        self.data = self.folder / "data"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            if shutil.which("runuser") is None:
                raise Missing("running as root, and runuser is not installed")
            try:
                shutil.chown(self.folder, user="postgres")
            except LookupError as error:
                raise Missing("running as root, and there is no postgres user") from error

    def _run(self, *argv: str) -> None:
        command = [str(self.bin / argv[0]), *argv[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> "PrivatePostgres":
        if not self.data.exists():
            self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres")
        # Durability off: a test cluster, and the restart must be quick.
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        log = self.folder / "server.log"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(log), "-w", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session at once (rolling back what is in flight), as a restart
        or a failover does."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def execute(self, sql: str, params=(), database: str = "postgres"):
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else None

    def create_database(self, name: str) -> str:
        self.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def copy_schema(self, source_url: str, database: str) -> None:
        """The tables of an already migrated database, copied with pg_dump (seconds, where
        running every migration takes tens of them)."""
        for program in ("pg_dump", "psql"):
            if not (self.bin / program).exists():
                raise Missing(f"{program} is not installed beside {self.bin / 'pg_ctl'}")
        dump = subprocess.run(
            [
                str(self.bin / "pg_dump"),
                "--schema-only",
                "--no-owner",
                "--no-privileges",
                source_url,
            ],
            check=True,
            capture_output=True,
            timeout=120,
        ).stdout
        psql = [str(self.bin / "psql"), "-q", "-v", "ON_ERROR_STOP=1", self.url(database)]
        subprocess.run(psql, input=dump, check=True, capture_output=True, timeout=120)

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            if self.running():
                self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


def migrate(database_url: str) -> None:
    """Every migration, in a process of its own, against `database_url`."""
    env = app_env(database_url=database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


# --- The app's processes ------------------------------------------------------------------


def app_env(*, database_url: str, redis_url: str = "", **extra: str) -> dict:
    """The environment of an app process: production settings, plain HTTP."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(extra)
    return env


class Worker:
    """A Celery worker process (prefork, one pool process by default) run through
    tests/reliability/worker_main.py, whose test-only hook lets a test kill it mid-task."""

    def __init__(self, env: dict, *, signal_dir: Path, concurrency: int = 1, name: str = "w"):
        self.env = {**env, "CLAIMTRACK_FAULTS_SIGNAL_DIR": str(signal_dir)}
        self.concurrency = concurrency
        self.log_path = signal_dir / f"worker-{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> "Worker":
        argv = [sys.executable, "-m", "tests.reliability.worker_main"]
        argv += ["--pool=prefork", f"--concurrency={self.concurrency}", "--loglevel=INFO"]
        argv += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        started_at = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=log, stderr=log)
        log.close()

        def ready():
            return b" ready." in self.log_path.read_bytes()[started_at:]

        if not wait_until(lambda: ready() or self.process.poll() is not None, timeout):
            raise RuntimeError(f"the worker did not start:\n{self.log_tail()}")
        if self.process.poll() is not None:
            raise RuntimeError(f"the worker exited:\n{self.log_tail()}")
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def ensure_running(self) -> "Worker":
        return self if self.alive() else self.start()

    def pool(self) -> list[int]:
        return children_of(self.process.pid) if self.alive() else []

    def kill(self) -> None:
        """The whole worker gone at once (main process and pool): SIGKILL."""
        kill_tree(self.process)

    def stop(self) -> None:
        stop_process(self.process, sig=signal.SIGQUIT)  # Celery's cold shutdown

    def log_tail(self, chars: int = 4000) -> str:
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")[-chars:]


class Web:
    """gunicorn serving the app (threads, like production), on a free port."""

    def __init__(self, env: dict, *, workers: int = 1, threads: int = 4, log_dir: Path):
        # Production settings but for static files found in place (no collectstatic).
        self.env = {**env, "DJANGO_SETTINGS_MODULE": "tests.reliability.web_settings"}
        self.workers, self.threads = workers, threads
        self.port = free_port()
        self.log_path = log_dir / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> "Web":
        argv = [sys.executable, "-m", "gunicorn", "claimtrack.wsgi:application"]
        argv += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)]
        argv += ["--threads", str(self.threads), "--timeout", "60", "--graceful-timeout", "5"]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=log, stderr=log)
        log.close()
        if not wait_until(self._answers, timeout, interval=0.2):
            self.stop()
            raise RuntimeError(f"gunicorn did not start:\n{self.log_tail()}")
        return self

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{self.log_tail()}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"GET /accounts/login/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                return conn.recv(12).startswith(b"HTTP/1")
        except OSError:
            return False

    def worker_pids(self) -> list[int]:
        return sorted(children_of(self.process.pid))

    def stop(self) -> None:
        stop_process(self.process, sig=signal.SIGINT)  # gunicorn's quick shutdown

    def log_tail(self, chars: int = 4000) -> str:
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")[-chars:]


def publisher(redis_url: str):
    """A Celery app of its own that sends tasks, by name, to the workers on `redis_url`
    (the test process's own app runs tasks in-process)."""
    from celery import Celery

    app = Celery("faults-publisher", broker=redis_url, backend=redis_url, set_as_current=False)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
    )
    return app


def csrf_login(session, base_url: str, username: str, password: str) -> None:
    """Sign a `requests` session in through the sign-in page, as a browser would."""
    page = session.get(f"{base_url}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if token is None:
        raise RuntimeError(f"no CSRF token on the sign-in page ({page.status_code})")
    answer = session.post(
        f"{base_url}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token[1]},
        headers={"Referer": f"{base_url}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in refused ({answer.status_code})")
