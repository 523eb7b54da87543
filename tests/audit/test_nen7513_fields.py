"""Every event carries the NEN 7513 fields, filled centrally: the action code and outcome, the role the
user acted in, the purpose of use, the network access point, the system identity and the BSN of the
client concerned (searchable, shown masked) — for service events, page reads, refused pages and API calls."""

import uuid

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import CONSULENT, TEAMLEIDER
from audit import context
from audit.models import NEN_ACTIONS, AuditEvent
from audit.services import SET_WISE_FROM, collect_events, record_event
from indications.onderzoek_services import CLIENT_FIELDS
from objections import services as objection_services
from providers import services as provider_services
from tests.factories import ClientFactory, IndicationFactory, UserFactory, contracted_provider, issued_assignment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def system_id(settings):
    settings.SDDCASE_SYSTEM_ID = "sddcase-test"


def test_a_service_event_has_every_nen_field(consultant):
    client = ClientFactory(bsn="111222333")
    Group.objects.create(name="extra rol").user_set.add(consultant)
    with transaction.atomic():
        event = record_event(actor=consultant, action=AuditEvent.Action.UPDATE, obj=client, client_id=client.pk)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.nen_action, stored.outcome, stored.system_id, stored.bsn) == (
        "U",
        "success",
        "sddcase-test",
        "111222333",
    )
    assert sorted(stored.actor_role.split(", ")) == [CONSULENT, "extra rol"]
    assert stored.purpose == "uitvoering Wmo-taak"
    assert stored.masked_bsn == "*****2333"


def test_the_role_is_the_one_at_the_time_of_the_event(consultant):
    client = ClientFactory()
    first = record_event(actor=consultant, action=AuditEvent.Action.READ, obj=client, client_id=client.pk)
    consultant.groups.clear()
    second = record_event(actor=consultant, action=AuditEvent.Action.READ, obj=client, client_id=client.pk)
    roles = dict(AuditEvent.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "actor_role"))
    assert (roles[first.pk], roles[second.pk]) == (CONSULENT, "")


def test_an_event_without_a_client_has_no_bsn_and_a_task_has_its_own_purpose():
    user = UserFactory()
    event = record_event(actor=None, action=AuditEvent.Action.CREATE, obj=user)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.bsn, stored.actor_role, stored.purpose, stored.nen_action) == (
        "",
        "",
        "geautomatiseerde verwerking",
        "C",
    )


def test_a_caller_may_name_the_purpose_and_the_code():
    client = ClientFactory()
    with context.purpose_of_use("bezwaarprocedure"):
        event = record_event(actor=None, action=AuditEvent.Action.READ, obj=client, client_id=client.pk, nen_action="T")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.purpose, stored.nen_action, stored.bsn) == ("bezwaarprocedure", "T", client.bsn)


def test_every_action_has_a_nen_code():
    assert set(NEN_ACTIONS) == set(AuditEvent.Action.values)
    assert {code for code, _outcome in NEN_ACTIONS.values()} == set(AuditEvent.NenAction.values)


def test_a_page_read_records_the_user_role_address_and_bsn(client, consultant):
    ib_client = ClientFactory()
    client.force_login(consultant)
    response = client.get(f"/clienten/{ib_client.uuid}/", REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="read", object_type="indications.client", object_id=str(ib_client.pk))
    assert (event.actor, event.actor_role, event.purpose, event.ip_address, event.bsn, event.nen_action) == (
        consultant,
        CONSULENT,
        "uitvoering Wmo-taak",
        "192.0.2.7",
        ib_client.bsn,
        "R",
    )


def test_a_change_on_a_page_takes_the_address_from_the_request(client, consultant):
    """The service records the event without knowing the request: the context gives its address."""
    ib_client = ClientFactory()
    client.force_login(consultant)
    data = {field: getattr(ib_client, field) or "" for field in CLIENT_FIELDS}
    data.update(
        last_name="Anders", date_of_birth=ib_client.date_of_birth.isoformat(), municipality=ib_client.municipality_id
    )
    client.post(f"/clienten/{ib_client.uuid}/wijzigen/", data, REMOTE_ADDR="192.0.2.8")
    event = AuditEvent.objects.filter(action="update", object_id=str(ib_client.pk)).first()
    assert event is not None, "the client update was refused; see the form"
    assert (event.ip_address, event.bsn, event.actor_role) == ("192.0.2.8", ib_client.bsn, CONSULENT)


def test_a_refused_page_is_recorded_as_a_refused_read(client, user):
    ib_client = ClientFactory()
    client.force_login(user)
    assert client.get(f"/clienten/{ib_client.uuid}/", REMOTE_ADDR="192.0.2.9").status_code == 403
    event = AuditEvent.objects.get(object_type="page")
    assert (event.actor, event.action, event.nen_action, event.outcome, event.ip_address) == (
        user,
        "rejected",
        "R",
        "refused",
        "192.0.2.9",
    )
    assert f"/clienten/{ib_client.uuid}/" in event.summary
    # who tried to open whose file: the page's client and so its BSN (audit.hooks.page_client)
    assert (event.client_id, event.bsn) == (ib_client.pk, ib_client.bsn)


@pytest.mark.parametrize("page", ["beschikking", "bezwaar", "onbekend"])
def test_a_refused_page_about_a_client_names_the_client(client, user, consultant, page):
    indication = IndicationFactory(actief=True)
    urls = {
        "beschikking": f"/indicaties/{indication.uuid}/",
        "onbekend": f"/clienten/{uuid.uuid4()}/",
    }
    if page == "bezwaar":
        bezwaar = objection_services.register_bezwaar(
            indication, by=consultant, received_on=indication.decision_date, grounds="Niet eens met het besluit."
        )
        urls["bezwaar"] = f"/bezwaren/{bezwaar.uuid}/"
    expected = None if page == "onbekend" else indication.client
    client.force_login(user)
    assert client.get(urls[page]).status_code == 403
    event = AuditEvent.objects.get(object_type="page")
    assert event.client_id == (expected.pk if expected else None)
    assert event.bsn == (expected.bsn if expected else "")


def test_an_api_call_records_the_provider_as_role_and_its_purpose(consultant):
    provider = contracted_provider(name="Aanbieder NEN", agb_code="12345678")
    assignment = issued_assignment(provider, consultant, today=timezone.localdate())
    _token, key = provider_services.issue_api_token(provider, name="nen", by=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/toewijzingen/", REMOTE_ADDR="198.51.100.4").status_code == 200
    assert api.get("/api/v1/toewijzingen/bestaat-niet/", REMOTE_ADDR="198.51.100.4").status_code == 404
    listed, refused = AuditEvent.objects.filter(summary__startswith="API GET").order_by("id")
    for event in (listed, refused):
        assert (event.actor_role, event.purpose, event.ip_address, event.system_id) == (
            "aanbieder 12345678",
            "API-berichtenverkeer",
            "198.51.100.4",
            "sddcase-test",
        )
    assert (listed.outcome, refused.outcome, refused.nen_action) == ("success", "refused", "R")
    assert assignment.number


def test_events_written_in_one_batch_get_the_fields_too(consultant):
    first, second = ClientFactory(), ClientFactory()
    with transaction.atomic(), collect_events():
        for ib_client in (first, second):
            record_event(actor=consultant, action=AuditEvent.Action.READ, obj=ib_client, client_id=ib_client.pk)
        assert not AuditEvent.objects.exists()  # written at the block's end
    stored = dict(AuditEvent.objects.values_list("client_id", "bsn"))
    assert stored == {first.pk: first.bsn, second.pk: second.bsn}
    assert set(AuditEvent.objects.values_list("actor_role", flat=True)) == {CONSULENT}


def test_a_batch_of_events_reads_their_bsns_and_roles_in_one_query_each_before_its_insert(consultant):
    clients = ClientFactory.create_batch(2 * SET_WISE_FROM)

    def batch(of):
        with CaptureQueriesContext(connection) as queries, transaction.atomic(), collect_events():
            for ib_client in of:
                record_event(actor=consultant, action=AuditEvent.Action.READ, obj=ib_client, client_id=ib_client.pk)
        return [query["sql"] for query in queries.captured_queries]

    few, many = batch(clients[:SET_WISE_FROM]), batch(clients)
    assert len(few) == len(many)  # one lookup each for the BSNs and the roles, whatever the batch's size
    insert = next(sql for sql in many if sql.startswith('INSERT INTO "audit_auditevent"'))
    assert 'FROM "indications_client"' not in insert and 'FROM "auth_group"' not in insert  # plain values
    assert sum(sql.startswith('SELECT "indications_client"') for sql in many) == 1
    stored = AuditEvent.objects.filter(client_id__in=[c.pk for c in clients])
    assert dict(stored.values_list("client_id", "bsn")) == {c.pk: c.bsn for c in clients}
    assert set(stored.values_list("actor_role", flat=True)) == {CONSULENT}


def test_a_small_batch_reads_its_bsns_inside_its_insert(consultant):
    clients = ClientFactory.create_batch(SET_WISE_FROM - 1)
    with CaptureQueriesContext(connection) as queries, transaction.atomic(), collect_events():
        for ib_client in clients:
            record_event(actor=consultant, action=AuditEvent.Action.READ, obj=ib_client, client_id=ib_client.pk)
    (insert,) = [query["sql"] for query in queries.captured_queries if 'INSERT INTO "audit_auditevent"' in query["sql"]]
    assert insert.count('FROM "indications_client"') == len(clients)  # a subquery each: no lookup first
    assert not any(query["sql"].startswith('SELECT "indications_client"') for query in queries.captured_queries)
    stored = AuditEvent.objects.filter(client_id__in=[c.pk for c in clients])
    assert dict(stored.values_list("client_id", "bsn")) == {c.pk: c.bsn for c in clients}


def test_a_batch_names_every_group_of_a_user_with_several_and_none_of_a_user_without(consultant):
    lead = UserFactory(username="twee-rollen")
    lead.groups.add(*Group.objects.filter(name__in=[CONSULENT, TEAMLEIDER]))
    bare = UserFactory(username="zonder-rol")
    ib_client = ClientFactory()
    with transaction.atomic(), collect_events():
        for _repeat in range(SET_WISE_FROM):
            for actor in (lead, bare):
                record_event(actor=actor, action=AuditEvent.Action.READ, obj=ib_client, client_id=ib_client.pk)
    roles = dict(AuditEvent.objects.values_list("actor__username", "actor_role").distinct())
    assert roles == {"twee-rollen": ", ".join(sorted([CONSULENT, TEAMLEIDER])), "zonder-rol": ""}
    # The same names as one event's own INSERT reads them (its subquery), in whatever order.
    record_event(actor=lead, action=AuditEvent.Action.READ, obj=ib_client, client_id=ib_client.pk)
    single = AuditEvent.objects.filter(actor=lead).latest("id").actor_role
    assert sorted(single.split(", ")) == sorted([CONSULENT, TEAMLEIDER])
