"""Searches are events (NEN 7513 code S): who searched for which BSN or name, and how many hits; the BSN
stored whole in the searchable column, masked in the summary."""

import pytest

from accounts.roles import FUNCTIONEEL_BEHEERDER
from audit.models import AuditEvent
from tests.factories import ClientFactory, staff_member

pytestmark = pytest.mark.django_db


def test_a_search_by_bsn_is_recorded_with_its_hits_and_the_bsn_masked(client, consultant):
    found = ClientFactory(bsn="123456782")
    client.force_login(consultant)
    assert client.get("/clienten/", {"bsn": found.bsn}, REMOTE_ADDR="192.0.2.1").status_code == 200
    event = AuditEvent.objects.get(action="search")
    assert (event.nen_action, event.bsn, event.actor, event.ip_address) == ("S", "123456782", consultant, "192.0.2.1")
    assert event.changes == {"criteria": {"bsn": "*****6782"}, "hits": 1}
    assert "*****6782" in event.summary and "123456782" not in event.summary
    assert "1 treffer" in event.summary
    assert list(AuditEvent.objects.filter(bsn="123456782", action="search")) == [event]


def test_a_search_by_name_keeps_the_name_as_typed(client, consultant):
    ClientFactory(last_name="Pietersen")
    ClientFactory(last_name="Pietersma")
    client.force_login(consultant)
    client.get("/clienten/", {"name": "Pieters"})
    event = AuditEvent.objects.get(action="search")
    assert (event.changes, event.bsn) == ({"criteria": {"name": "Pieters"}, "hits": 2}, "")
    assert event.summary == "gezocht: name Pieters → 2 treffers"


def test_an_empty_or_invalid_search_records_nothing(client, consultant):
    client.force_login(consultant)
    client.get("/clienten/")
    client.get("/clienten/", {"bsn": "12"})
    assert not AuditEvent.objects.filter(action="search").exists()


def test_the_privacy_officers_search_carries_the_privacy_purpose(client):
    ClientFactory(bsn="123456782")
    client.force_login(staff_member(FUNCTIONEEL_BEHEERDER))
    client.get("/clienten/", {"bsn": "123456782"})
    event = AuditEvent.objects.get(action="search")
    assert event.purpose == "privacy: toegangslog en AVG-verzoek"
    assert event.changes["hits"] == 1
