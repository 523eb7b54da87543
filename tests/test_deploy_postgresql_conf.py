"""deploy/postgresql.conf.example: every line is `name = value` with a reason above it, and on
PostgreSQL every name is a setting the server knows and every value one it accepts."""

from pathlib import Path

import pytest
from django.db import connection

CONF = Path(__file__).resolve().parent.parent / "deploy" / "postgresql.conf.example"


def settings_in_file() -> dict[str, str]:
    found = {}
    for line in CONF.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, equals, value = line.partition("=")
            assert equals and name.strip() and value.strip(), line
            found[name.strip()] = value.strip()
    return found


def test_each_setting_has_a_reason_above_its_group():
    lines = CONF.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if line.strip() and not line.startswith("#"):
            above = number - 1
            while above >= 0 and lines[above].strip() and not lines[above].startswith("#"):
                above -= 1
            assert above >= 0 and lines[above].startswith("#"), f"no reason above: {line}"
    assert settings_in_file()["jit"] == "off"


@pytest.mark.django_db
def test_the_server_knows_every_setting_and_value():
    wanted = settings_in_file()
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT 1")
            assert wanted
            return
        cursor.execute("SELECT name, vartype, enumvals FROM pg_settings WHERE name = ANY(%s)", [list(wanted)])
        known = {name: (vartype, enumvals) for name, vartype, enumvals in cursor.fetchall()}
    assert set(wanted) == set(known), set(wanted) - set(known)
    for name, value in wanted.items():
        vartype, enumvals = known[name]
        if vartype == "bool":
            assert value in {"on", "off"}, name
        elif vartype == "enum":
            assert value in enumvals, name
