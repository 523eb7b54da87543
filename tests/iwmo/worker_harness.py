"""A real Celery worker on the test database and a receiving end that can stall, for the tests that
kill a worker mid-delivery (tests/iwmo/test_killed_worker.py; PostgreSQL + Redis only)."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.conf import settings
from django.db import connection

from sddcase.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")


def wait_for(condition, *, seconds: float, what: str, log: Path | None = None):
    """Poll until condition() is true; fail (with the worker's log) when it does not come true. A wait
    with a deadline, not a timed assertion: the figure that is asserted is what happened, not when."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    raise AssertionError(f"{what} did not happen within {seconds} s\n{tail}")


class Receiver:
    """The municipality's GGk adapter, as the outbox sees it: an HTTP endpoint that answers 200 to a
    message it took, keyed by its BerichtIdentificatie (X-Iwmo-Berichtidentificatie). The calls whose
    number (1, 2, ...) is in `stall` hang without an answer until release(): the worker that sent them
    is mid-delivery, inside its transaction, holding the message's row lock."""

    def __init__(self, *, stall: set[int]):
        self.stall = stall
        self.calls = 0
        self.answered: dict[str, int] = defaultdict(int)  # BerichtIdentificatie -> 200s sent
        self.stalled: dict[str, int] = defaultdict(int)  # BerichtIdentificatie -> calls left hanging
        self.lock = threading.Lock()
        self.released = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                identity = self.headers.get("X-Iwmo-Berichtidentificatie", "")
                with receiver.lock:
                    receiver.calls += 1
                    hang = receiver.calls in receiver.stall
                    if hang:
                        receiver.stalled[identity] += 1
                if hang:
                    receiver.released.wait(120)
                    self.close_connection = True
                    return  # no answer: the sender is gone by now
                with receiver.lock:
                    receiver.answered[identity] += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/berichten"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()

    def stalled_count(self) -> int:
        with self.lock:
            return sum(self.stalled.values())


def worker_environment(outbox_url: str) -> dict[str, str]:
    """The test process's environment, with the test database (pytest-django's test_<name>, the one
    this test's connection uses) and the receiver as the outbox."""
    database = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DATABASE_URL=(
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        IWMO_OUTBOX_URL=outbox_url,
        IWMO_HTTP_TIMEOUT_SECONDS="300",  # a stalled call outlives the worker that made it
        DJANGO_SETTINGS_MODULE="sddcase.settings",
    )
    return env


class Worker:
    """`celery -A sddcase worker -Q <every queue>` as `make worker` starts it, in a session of its own so
    that kill() takes the main process and its pool processes at once, as a machine that dies would."""

    def __init__(self, env: dict[str, str], log: Path, *, concurrency: int = 3):
        self.log = log
        self.handle = open(log, "ab")  # noqa: SIM115 - closed in stop()/kill()
        queues = ",".join(settings.CELERY_QUEUES_BY_KIND.values())
        self.process = subprocess.Popen(
            [str(CELERY), "-A", "sddcase", "worker", "-Q", queues, "--loglevel=info",
             "--pool=prefork", f"--concurrency={concurrency}", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=self.handle, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def kill(self):
        """SIGKILL, no warm shutdown: nothing is acknowledged, nothing is rolled back by the worker."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)
        self.handle.close()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(30)
        self.handle.close()


def purge_queues():
    """Tasks left in the broker by earlier tests (delayed, never consumed) must not run here."""
    with celery_app.connection_for_write() as broker:
        for queue in settings.CELERY_QUEUES_BY_KIND.values():
            broker.default_channel.queue_purge(queue)
