"""The README works as written: its curl flow, run literally with bash against a server on the demo data.

The commands are read from README.md (never copied), so the test and the documentation cannot drift
apart. The server runs as a user would start it (`manage.py runserver`) on a fresh SQLite file with
`load_demo --clients 300`, the date being whatever today is.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
FLOW_INTRO = "The whole flow with curl"
DOCUMENTED_SERVER = "http://127.0.0.1:8000"


def readme_block(intro: str) -> str:
    """The first ```sh block after the paragraph that starts with `intro`."""
    text = README.read_text(encoding="utf-8")
    match = re.search(re.escape(intro) + r".*?```sh\n(.*?)```", text, re.DOTALL)
    assert match, f"no ```sh block after {intro!r} in README.md"
    return match.group(1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def demo_server(tmp_path):
    """A server on a fresh demo database (SQLite file), the way `make run` starts one."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env["PRIVATE_MEDIA_ROOT"] = str(tmp_path / "private_media")  # the plan the flow submits
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput"], ["load_demo", "--clients", "300"]):
        subprocess.run([*manage, *command, "--verbosity", "0"], cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(300):  # wait until it listens (a readiness wait, not an assertion)
            try:
                urllib.request.urlopen(f"{url}/api/v1/schema/", timeout=5)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail("runserver stopped")
                time.sleep(0.2)
        yield url, env
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_readmes_curl_flow_runs_on_the_demo_data(demo_server):
    url, env = demo_server
    block = readme_block(FLOW_INTRO)
    assert DOCUMENTED_SERVER in block
    assert "2026-" not in block and "2027-" not in block, "dates in the flow go stale: write them relative to today"
    # Every curl reports its status on stderr; its output stays as the README shows it.
    script = (
        "set -euo pipefail\n"
        "curl() { command curl -w '%{stderr}HTTP %{http_code} %{method} %{url_effective}\\n' \"$@\"; }\n"
        + block.replace(DOCUMENTED_SERVER, url)
    )
    done = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    answers = re.findall(r"^HTTP (\d{3}) (\w+) (\S+)$", done.stderr, re.MULTILINE)
    posts = [(status, path.removeprefix(url)) for status, method, path in answers if method == "POST"]
    assert [(status, re.sub(r"/toewijzingen/\d+/", "/toewijzingen/NR/", path)) for status, path in posts] == [
        ("200", "/api/v1/toewijzingen/NR/start/"),
        ("201", "/api/v1/toewijzingen/NR/ondersteuningsplan/"),
        ("201", "/api/v1/toewijzingen/NR/wijzigingsverzoeken/"),
        ("200", "/api/v1/toewijzingen/NR/stop/"),
    ], done.stdout
    assert all(status == "200" for status, method, _path in answers if method == "GET")
    # The answers follow each other on stdout; the last one (the stop's) is the toewijzing, started
    # and stopped today.
    answers, position, decoder = [], 0, json.JSONDecoder()
    while position < len(done.stdout.strip()):
        answer, position = decoder.raw_decode(done.stdout, position)
        answers.append(answer)
    stopped = answers[-1]
    today = subprocess.run(
        ["date", "+%F"], env={**env, "TZ": "Europe/Amsterdam"}, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert (stopped["zorgGestartOp"], stopped["zorgGestoptOp"], stopped["redenBeeindiging"]) == (today, today, "19")
