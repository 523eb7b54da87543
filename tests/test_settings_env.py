"""An empty environment variable (`DATABASE_URL=` in a .env file) means "not set": the settings load
with their defaults, for every variable that settings.py reads."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "sddcase" / "settings.py"
# Every variable settings.py reads: env("X", ...), env.int("X", ...), env.db("X", ...) and the scheme.
READ = re.compile(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")
SCHEME = re.compile(r"^\s+([A-Z][A-Z0-9_]*)=\(", re.MULTILINE)
DUMP = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({name: getattr(settings, name) for name in dir(settings) if name.isupper()}, "
    "default=str, sort_keys=True))"
)


def settings_variables() -> set[str]:
    source = SETTINGS.read_text(encoding="utf-8")
    return set(READ.findall(source)) | set(SCHEME.findall(source))


def loaded_settings(overrides: dict) -> dict:
    names = settings_variables()
    env = {name: value for name, value in os.environ.items() if name not in names}
    env.update(overrides, DJANGO_SETTINGS_MODULE="sddcase.settings")
    done = subprocess.run([sys.executable, "-c", DUMP], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_variable_list_is_found():
    assert {
        "DATABASE_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DEBUG",
        "CELERY_BROKER_URL",
        "CACHE_URL",
        "SESSION_COOKIE_AGE",
        "SDD_IB0_TARIFF",
        "SDD_SUPPORT_PLAN_TERM_DAYS",
        "PRIVATE_MEDIA_ROOT",
        "LOG_LEVEL",
        "IWMO_OUTBOX_URL",
        "IWMO_EXPORT_DIR",
        "IWMO_XSD_DIR",
        "IWMO_MAX_MESSAGE_BYTES",
        "IWMO_DELIVERY_MAX_ATTEMPTS",
        "IWMO_DELIVERY_BACKOFF_SECONDS",
        "IWMO_HTTP_TIMEOUT_SECONDS",
    } <= settings_variables()


def test_empty_variables_mean_the_defaults(tmp_path):
    defaults = loaded_settings({})
    empty = loaded_settings({name: "" for name in settings_variables()})
    assert empty == defaults
    blank = loaded_settings({name: "  " for name in settings_variables()})
    assert blank == defaults


def test_a_set_variable_still_counts():
    loaded = loaded_settings({"ALLOWED_HOSTS": "wmo.example.nl", "SESSION_COOKIE_AGE": "600", "DATABASE_URL": ""})
    assert loaded["ALLOWED_HOSTS"] == ["wmo.example.nl"] and loaded["SESSION_COOKIE_AGE"] == 600


def test_the_iwmo_settings_are_read_and_empty_means_the_default(tmp_path):
    defaults = loaded_settings({})["IWMO"]
    assert defaults["OUTBOX_URL"] == "" and defaults["XSD_DIR"] == ""
    assert defaults["EXPORT_DIR"].endswith("var/iwmo/uit") and defaults["MAX_MESSAGE_BYTES"] == 5 * 1024 * 1024
    loaded = loaded_settings({"IWMO_XSD_DIR": str(tmp_path), "IWMO_OUTBOX_URL": "https://ggk.example.nl/iwmo"})["IWMO"]
    assert (loaded["XSD_DIR"], loaded["OUTBOX_URL"]) == (str(tmp_path), "https://ggk.example.nl/iwmo")
    assert loaded_settings({"IWMO_XSD_DIR": "", "IWMO_MAX_MESSAGE_BYTES": ""})["IWMO"] == defaults


def test_postgresql_sessions_run_without_jit_unless_the_url_says_otherwise():
    url = "postgres://sddcase:secret@127.0.0.1:5432/sddcase"
    loaded = loaded_settings({"DATABASE_URL": url})["DATABASES"]
    assert loaded["default"]["OPTIONS"]["options"] == "-c jit=off"
    assert "options" not in loaded_settings({"DATABASE_URL": ""})["DATABASES"]["default"].get("OPTIONS", {})
    chosen = loaded_settings({"DATABASE_URL": url, "PG_SESSION_OPTIONS": "-c jit=on"})["DATABASES"]
    assert chosen["default"]["OPTIONS"]["options"] == "-c jit=on"
    in_url = loaded_settings({"DATABASE_URL": url + "?options=-c%20statement_timeout%3D0"})["DATABASES"]
    assert in_url["default"]["OPTIONS"]["options"] == "-c statement_timeout=0"


def test_postgresql_connections_persist_with_a_health_check_unless_told_otherwise():
    url = "postgres://sddcase:secret@127.0.0.1:5432/sddcase"
    replica = "postgres://sddcase:secret@127.0.0.1:5433/sddcase"
    loaded = loaded_settings({"DATABASE_URL": url, "DATABASE_REPLICA_URL": replica})["DATABASES"]
    for alias in ("default", "replica"):
        assert (loaded[alias]["CONN_MAX_AGE"], loaded[alias]["CONN_HEALTH_CHECKS"]) == (60, True), alias
    per_request = loaded_settings({"DATABASE_URL": url, "DATABASE_REPLICA_URL": replica, "DB_CONN_MAX_AGE": "0"})
    assert [per_request["DATABASES"][alias]["CONN_MAX_AGE"] for alias in ("default", "replica")] == [0, 0]
    in_url = loaded_settings({"DATABASE_URL": url + "?conn_max_age=600", "DB_CONN_MAX_AGE": "5"})["DATABASES"]
    assert in_url["default"]["CONN_MAX_AGE"] == 600
    for text, meant in (("false", False), ("0", False), ("true", True)):
        told = loaded_settings(
            {
                "DATABASE_URL": f"{url}?conn_health_checks={text}",
                "DATABASE_REPLICA_URL": f"{replica}?conn_health_checks={text}",
            }
        )["DATABASES"]
        assert [told[alias]["CONN_HEALTH_CHECKS"] for alias in ("default", "replica")] == [meant, meant], text
    # The embedded default (SQLite, one process) keeps Django's own: a connection per request.
    assert loaded_settings({"DATABASE_URL": ""})["DATABASES"]["default"].get("CONN_MAX_AGE", 0) == 0


@pytest.mark.django_db
def test_the_connection_itself_has_jit_off_on_postgresql():
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT 1")
            assert "options" not in connection.settings_dict.get("OPTIONS", {})
            return
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
