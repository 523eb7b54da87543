"""Behind a reverse proxy: the client's address comes from X-Forwarded-For only when the request came
from a trusted proxy (settings.TRUSTED_PROXIES), for the audit trail, the login lockout and the rate
limits alike; without a proxy, or from anyone else, REMOTE_ADDR stands and a forged header changes nothing."""

import pytest
from django.test import RequestFactory

from accounts.roles import CONSULENT
from api.throttling import PerTokenThrottle
from audit.models import AuditEvent
from audit.network import client_ip
from audit.services import client_ip as audit_client_ip
from tests.factories import IndicationFactory, staff_member

PROXY = "10.0.0.5"


def request(remote_addr="192.0.2.10", forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_proxy_the_address_is_remote_addr_and_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("192.0.2.10")) == "192.0.2.10"
    assert client_ip(request("192.0.2.10", forwarded="203.0.113.9")) == "192.0.2.10"


def test_behind_a_trusted_proxy_the_client_is_the_forwarded_address(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(request(PROXY, forwarded="203.0.113.9")) == "203.0.113.9"
    # What the client wrote itself stands left of what the proxy appended: only the right-most counts.
    assert client_ip(request(PROXY, forwarded="198.51.100.1, 203.0.113.9")) == "203.0.113.9"


def test_a_forged_header_from_an_untrusted_address_is_ignored(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(request("192.0.2.66", forwarded=f"203.0.113.9, {PROXY}")) == "192.0.2.66"


def test_a_chain_of_trusted_proxies_and_networks(settings):
    settings.TRUSTED_PROXIES = [PROXY, "172.16.0.0/12", "2001:db8::/32"]
    assert client_ip(request(PROXY, forwarded="203.0.113.9, 172.16.4.4")) == "203.0.113.9"
    assert client_ip(request("2001:db8::1", forwarded="2001:db8::2, 198.51.100.23")) == "198.51.100.23"
    # Every hop a trusted proxy: the left-most is the best there is.
    assert client_ip(request(PROXY, forwarded="172.16.9.9, 172.16.4.4")) == "172.16.9.9"


def test_a_trusted_proxy_without_a_usable_header_is_the_address(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(request(PROXY)) == PROXY
    assert client_ip(request(PROXY, forwarded="")) == PROXY
    assert client_ip(request(PROXY, forwarded="geen-adres")) == PROXY
    # Garbage left of a good address stops the walk there; the good address stands.
    assert client_ip(request(PROXY, forwarded="<script>, 203.0.113.9")) == "203.0.113.9"


def test_no_valid_remote_addr_is_no_address(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(request("\x00", forwarded="203.0.113.9")) is None
    assert client_ip(request("")) is None


def test_the_audit_trails_address_is_the_same(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert audit_client_ip(request(PROXY, forwarded="203.0.113.9")) == "203.0.113.9"
    assert audit_client_ip(request("192.0.2.66", forwarded="203.0.113.9")) == "192.0.2.66"


def test_the_api_throttle_counts_the_client_not_a_forged_header(settings):
    settings.TRUSTED_PROXIES = []
    throttle = PerTokenThrottle()
    assert throttle.get_ident(request("192.0.2.10", forwarded="203.0.113.9")) == "192.0.2.10"
    settings.TRUSTED_PROXIES = [PROXY]
    assert throttle.get_ident(request(PROXY, forwarded="203.0.113.9")) == "203.0.113.9"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "recorded"),
    [
        ([], PROXY, "203.0.113.9", PROXY),  # no proxy configured: the address the server saw
        ([PROXY], PROXY, "203.0.113.9", "203.0.113.9"),  # behind the proxy: the client
        ([PROXY], "192.0.2.66", "203.0.113.9", "192.0.2.66"),  # a forged header from elsewhere
    ],
)
def test_a_read_in_the_audit_trail_records_the_clients_address(
    client, settings, consultant, trusted, remote, forwarded, recorded
):
    settings.TRUSTED_PROXIES = trusted
    indication = IndicationFactory(consultant=consultant)
    client.force_login(consultant)
    response = client.get(f"/clienten/{indication.client.uuid}/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert response.status_code == 200
    event = AuditEvent.objects.filter(client_id=indication.client_id).latest("pk")
    assert event.ip_address == recorded


def failed_login(client, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/inloggen/", {"username": "slot", "password": "fout"}, **extra)


@pytest.mark.django_db
def test_behind_the_proxy_the_lockout_is_per_client_not_for_everyone(client, settings):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXIES = [PROXY]
    staff_member(CONSULENT, username="slot", password="Juist-wachtwoord-2026")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        failed_login(client, PROXY, "203.0.113.9")
    assert failed_login(client, PROXY, "203.0.113.9").status_code == 429
    # Another client behind the same proxy is not locked out with the first.
    good = client.post(
        "/inloggen/",
        {"username": "slot", "password": "Juist-wachtwoord-2026"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert good.status_code == 302


@pytest.mark.django_db
def test_without_a_trusted_proxy_a_forged_header_does_not_escape_the_lockout(client, settings):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXIES = []
    staff_member(CONSULENT, username="slot", password="Juist-wachtwoord-2026")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        failed_login(client, "192.0.2.66", f"203.0.113.{attempt}")
    locked = client.post(
        "/inloggen/",
        {"username": "slot", "password": "Juist-wachtwoord-2026"},
        REMOTE_ADDR="192.0.2.66",
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert locked.status_code == 429
