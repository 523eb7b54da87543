"""The message-traffic pages (iwmo.views): per day, per provider, per client, the client-file panel and
the XML download, per role. Consultants see client data (BSN masked in lists) and download the XML
(audited); contract management sees figures, statuses and retourcodes (WJ001) without client data and
without XML; other roles get 403."""

from datetime import date, datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import CONTRACTMANAGER, FUNCTIONEEL_BEHEERDER
from audit.models import AuditEvent
from indications.models import Municipality
from iwmo import selectors
from iwmo.models import IncomingMessage, OutgoingMessage, RetourStatus
from tests.factories import (
    ClientFactory,
    IncomingMessageFactory,
    OutgoingMessageFactory,
    ProviderFactory,
    staff_member,
)

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 20)


def on(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def sent(day: date = DAY, **fields) -> OutgoingMessage:
    message = OutgoingMessageFactory(**fields)
    OutgoingMessage.objects.filter(pk=message.pk).update(created_at=on(day))
    message.refresh_from_db()
    return message


def received(day: date = DAY, **fields) -> IncomingMessage:
    message = IncomingMessageFactory(**fields)
    IncomingMessage.objects.filter(pk=message.pk).update(received_at=on(day))
    message.refresh_from_db()
    return message


def day_url(day: date = DAY, **query) -> str:
    params = "&".join(f"{key}={value}" for key, value in {"dag": day.isoformat(), **query}.items())
    return f"{reverse('iwmo:day')}?{params}"


@pytest.fixture
def contract_manager(db):
    return staff_member(CONTRACTMANAGER, username="contractmanager-test")


@pytest.fixture
def traffic(db):
    """A day with a delivered 301, a failed 301, an accepted 305 and a rejected 307 (TR019, 9019)."""
    provider = ProviderFactory(name="Stichting De Brug")
    client = ClientFactory(first_name="Anouk", last_name="Visser")
    rejected_307 = received(
        message_type="WMO307",
        provider=provider,
        client=client,
        status=IncomingMessage.Status.REJECTED,
        errors=[{"element": "StopProduct 42", "codes": ["9019"], "melding": "Geen toewijzing 42."}],
    )
    return {
        "provider": provider,
        "client": client,
        "delivered": sent(provider=provider, client=client, afgeleverd=True),
        "failed": sent(
            provider=provider, client=client, status=OutgoingMessage.Status.FAILED, attempts=8, last_error="HTTP 503"
        ),
        "accepted_305": received(provider=provider, client=client),
        "rejected_307": rejected_307,
        "retour_308": sent(
            message_type="WMO308", provider=provider, client=client, in_reply_to=rejected_307, afgeleverd=True
        ),
    }


# -- access per role -------------------------------------------------------------------------------


def test_consultant_sees_the_day_with_the_client_and_a_masked_bsn(client, consultant, traffic):
    client.force_login(consultant)
    response = client.get(day_url())
    assert response.status_code == 200
    html = response.content.decode()
    person = traffic["client"]
    assert "Anouk Visser" in html
    assert person.masked_bsn in html
    assert person.bsn not in html
    assert reverse("iwmo:outgoing_xml", args=[traffic["delivered"].uuid]) in html
    assert reverse("iwmo:incoming_xml", args=[traffic["accepted_305"].uuid]) in html


def test_team_lead_sees_the_day(client, team_lead, traffic):
    client.force_login(team_lead)
    response = client.get(day_url())
    assert response.status_code == 200
    assert "Anouk Visser" in response.content.decode()


def test_contract_management_sees_figures_and_errors_without_client_data_or_xml(client, contract_manager, traffic):
    client.force_login(contract_manager)
    html = client.get(day_url()).content.decode()
    person = traffic["client"]
    assert "Stichting De Brug" in html
    assert "9019" in html and "Het regiebericht kan niet gekoppeld worden aan een toewijzing." in html
    assert "Visser" not in html and person.masked_bsn not in html and person.bsn not in html
    assert "/xml/" not in html
    assert "Geen toewijzing 42." not in html  # the element's own message may name client details
    provider_page = client.get(reverse("iwmo:provider", args=[traffic["provider"].uuid]) + "?van=2026-11-01")
    assert provider_page.status_code == 200
    assert "Visser" not in provider_page.content.decode()


def test_contract_management_may_not_download_or_open_a_client_page(client, contract_manager, traffic):
    client.force_login(contract_manager)
    assert client.get(reverse("iwmo:outgoing_xml", args=[traffic["delivered"].uuid])).status_code == 403
    assert client.get(reverse("iwmo:incoming_xml", args=[traffic["accepted_305"].uuid])).status_code == 403
    assert client.get(reverse("iwmo:client", args=[traffic["client"].uuid])).status_code == 403


@pytest.mark.parametrize("role", [None, FUNCTIONEEL_BEHEERDER])
def test_other_roles_get_403(client, user, traffic, role):
    who = staff_member(role, username="beheer-test") if role else user
    client.force_login(who)
    assert client.get(day_url()).status_code == 403
    assert client.get(reverse("iwmo:provider", args=[traffic["provider"].uuid])).status_code == 403
    assert client.get(reverse("iwmo:outgoing_xml", args=[traffic["delivered"].uuid])).status_code == 403


def test_anonymous_goes_to_the_login(client, traffic):
    response = client.get(reverse("iwmo:day"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_menu_has_the_pages_for_consultant_and_contract_management_only(client, consultant, contract_manager, user):
    for who, shown in ((consultant, True), (contract_manager, True), (user, False)):
        client.force_login(who)
        home = client.get(reverse("indications:home"), follow=True).content.decode()
        assert (f'href="{reverse("iwmo:day")}"' in home) is shown


def test_a_consultant_sees_no_messages_of_another_teams_client(client, consultant, traffic):
    elsewhere = ClientFactory(municipality=Municipality.objects.get(name="Zwijndrecht"), last_name="Elders")
    message = sent(client=elsewhere)
    client.force_login(consultant)
    assert "Elders" not in client.get(day_url()).content.decode()
    assert client.get(reverse("iwmo:outgoing_xml", args=[message.uuid])).status_code == 404


# -- the day: counts, errors to act on, filters ----------------------------------------------------


def test_the_day_counts_per_type_provider_and_status(contract_manager, traffic):
    rows = selectors.counts_by_type_and_provider(
        selectors.outgoing_on(selectors.outgoing_for(contract_manager), DAY),
        selectors.incoming_on(selectors.incoming_for(contract_manager), DAY),
    )
    figures = {(row.direction, row.message_type, row.provider): row.counts for row in rows}
    assert figures == {
        ("uit", "WMO301", "Stichting De Brug"): {"afgeleverd": 1, "mislukt": 1},
        ("uit", "WMO308", "Stichting De Brug"): {"afgeleverd": 1},
        ("in", "WMO305", "Stichting De Brug"): {"geaccepteerd": 1},
        ("in", "WMO307", "Stichting De Brug"): {"afgekeurd": 1},
    }


def test_errors_to_act_on_are_failed_deliveries_and_rejected_messages_tr019(contract_manager, traffic):
    outgoing = selectors.outgoing_on(selectors.outgoing_for(contract_manager), DAY)
    incoming = selectors.incoming_on(selectors.incoming_for(contract_manager), DAY)
    assert list(selectors.outgoing_errors(outgoing)) == [traffic["failed"]]
    assert list(selectors.incoming_errors(incoming)) == [traffic["rejected_307"]]
    # No retour says "afgekeurd" in this traffic.
    assert list(selectors.outgoing_rejected_by_receiver(outgoing)) == []


def test_the_day_shows_the_retour_of_a_rejected_message_and_its_codes_wj001(client, consultant, traffic):
    client.force_login(consultant)
    response = client.get(day_url())
    html = response.content.decode()
    assert "Fouten om op te pakken" in html
    assert "HTTP 503" in html
    assert f"WMO308 {traffic['retour_308'].identification}" in html
    assert "Geen toewijzing 42." in html


def test_an_other_day_is_empty(client, consultant, traffic):
    client.force_login(consultant)
    html = client.get(day_url(date(2026, 11, 21))).content.decode()
    assert "Geen berichten op deze dag." in html
    assert "Anouk Visser" not in html


def test_the_day_defaults_to_today(client, consultant):
    message = OutgoingMessageFactory()  # created now
    client.force_login(consultant)
    response = client.get(reverse("iwmo:day"))
    assert response.context["day"] == timezone.localdate()
    assert message.identification in response.content.decode()


@pytest.mark.parametrize(
    ("query", "outgoing", "incoming"),
    [
        ({"soort": "WMO301"}, ["delivered", "failed"], []),
        ({"richting": "in"}, None, ["accepted_305", "rejected_307"]),
        ({"richting": "uit"}, ["delivered", "failed", "retour_308"], None),
        ({"status": "uit:mislukt"}, ["failed"], None),
        ({"status": "in:afgekeurd"}, None, ["rejected_307"]),
        ({"status": "in:afgekeurd", "richting": "uit"}, None, None),
    ],
)
def test_filters(client, consultant, traffic, query, outgoing, incoming):
    client.force_login(consultant)
    response = client.get(day_url(**query))
    assert response.status_code == 200

    def shown(page):
        return None if page is None else sorted(message.pk for message in page)

    def expected(names):
        return None if names is None else sorted(traffic[name].pk for name in names)

    assert shown(response.context["outgoing"]) == expected(outgoing)
    assert shown(response.context["incoming"]) == expected(incoming)


def test_the_provider_filter(client, consultant, traffic):
    other = sent(provider=ProviderFactory(name="Zorggroep Anders"))
    client.force_login(consultant)
    response = client.get(day_url(aanbieder=traffic["provider"].uuid))
    assert other.pk not in [message.pk for message in response.context["outgoing"]]
    response = client.get(day_url(aanbieder=other.provider.uuid))
    assert [message.pk for message in response.context["outgoing"]] == [other.pk]


def test_a_bad_filter_is_a_form_error_not_a_500(client, consultant, traffic):
    client.force_login(consultant)
    response = client.get(reverse("iwmo:day") + "?dag=gisteren&soort=WMO999")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["day"] == timezone.localdate()


# -- the provider's traffic ------------------------------------------------------------------------


def test_the_provider_page_counts_per_day(client, contract_manager, traffic):
    sent(date(2026, 11, 18), provider=traffic["provider"], afgeleverd=True)
    client.force_login(contract_manager)
    response = client.get(reverse("iwmo:provider", args=[traffic["provider"].uuid]) + "?van=2026-11-01&tot=2026-11-30")
    days = {row.day: (row.sent, row.received, row.errors) for row in response.context["days"]}
    assert days == {DAY: (3, 2, 2), date(2026, 11, 18): (1, 0, 0)}
    assert response.context["totals"] == {"sent": 4, "received": 2, "errors": 2}


def test_the_provider_page_refuses_a_reversed_period(client, contract_manager, traffic):
    client.force_login(contract_manager)
    url = reverse("iwmo:provider", args=[traffic["provider"].uuid]) + "?van=2026-11-30&tot=2026-11-01"
    response = client.get(url)
    assert response.status_code == 200
    assert "De einddatum ligt voor de begindatum." in response.content.decode()


# -- the download and its audit event --------------------------------------------------------------


def test_download_of_an_outgoing_message_is_an_audited_read(client, consultant, traffic):
    message = traffic["delivered"]
    client.force_login(consultant)
    response = client.get(reverse("iwmo:outgoing_xml", args=[message.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert response["Content-Disposition"] == f'attachment; filename="{message.file_name}"'
    assert response.content.decode() == message.xml
    event = AuditEvent.objects.get(object_type="iwmo.outgoingmessage", object_id=str(message.pk))
    assert event.action == AuditEvent.Action.READ
    assert event.actor == consultant
    assert event.client_id == traffic["client"].pk
    assert "gedownload" in event.summary


def test_download_of_an_incoming_message_is_the_bytes_as_received(client, consultant, traffic):
    message = traffic["accepted_305"]
    client.force_login(consultant)
    response = client.get(reverse("iwmo:incoming_xml", args=[message.uuid]))
    assert response.status_code == 200
    assert response.content == bytes(message.raw)
    assert response["Content-Disposition"].startswith('attachment; filename="WMO305_')
    assert AuditEvent.objects.filter(
        object_type="iwmo.incomingmessage", object_id=str(message.pk), action=AuditEvent.Action.READ
    ).exists()


# -- the client: panel on the file and its own page ------------------------------------------------


def test_the_client_file_has_the_iwmo_panel(client, consultant, traffic):
    client.force_login(consultant)
    html = client.get(reverse("indications:client_file", args=[traffic["client"].uuid])).content.decode()
    assert "iWmo-berichten" in html
    assert traffic["failed"].identification in html
    assert traffic["rejected_307"].identification in html
    assert "9019" in html
    assert reverse("iwmo:client", args=[traffic["client"].uuid]) in html


def test_the_client_file_of_a_client_without_messages_says_so(client, consultant):
    person = ClientFactory()
    client.force_login(consultant)
    html = client.get(reverse("indications:client_file", args=[person.uuid])).content.decode()
    assert "Nog geen iWmo-berichten." in html


def test_the_client_page_lists_all_messages_and_is_audited(client, consultant, traffic):
    client.force_login(consultant)
    response = client.get(reverse("iwmo:client", args=[traffic["client"].uuid]))
    assert response.status_code == 200
    assert response.context["outgoing"].paginator.count == 3
    assert response.context["incoming"].paginator.count == 2
    assert AuditEvent.objects.filter(client_id=traffic["client"].pk, summary="iWmo-berichten ingezien").exists()


# -- bounded queries and pagination ----------------------------------------------------------------


def test_the_day_runs_a_bounded_number_of_queries_and_paginates(
    client, consultant, contract_manager, django_assert_max_num_queries
):
    providers = [ProviderFactory() for _ in range(3)]
    for n in range(60):
        sent(provider=providers[n % 3], status=OutgoingMessage.Status.FAILED if n % 7 == 0 else "afgeleverd")
        received(
            provider=providers[n % 3],
            status=IncomingMessage.Status.REJECTED if n % 5 == 0 else IncomingMessage.Status.ACCEPTED,
            errors=[{"element": "Client", "codes": ["0001"], "melding": "BSN"}] if n % 5 == 0 else [],
        )
    for who in (consultant, contract_manager):
        client.force_login(who)
        with django_assert_max_num_queries(25):
            response = client.get(day_url())
        assert response.status_code == 200
        assert len(response.context["outgoing"]) == 25
        assert response.context["outgoing"].paginator.num_pages == 3
    second = client.get(day_url(uit=3))
    assert len(second.context["outgoing"]) == 10


def test_the_provider_and_client_pages_run_a_bounded_number_of_queries(
    client, consultant, django_assert_max_num_queries
):
    provider, person = ProviderFactory(), ClientFactory()
    for n in range(40):
        sent(date(2026, 11, 1 + n % 20), provider=provider, client=person)
        received(date(2026, 11, 1 + n % 20), provider=provider, client=person, status="afgekeurd")
    client.force_login(consultant)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("iwmo:provider", args=[provider.uuid]) + "?van=2026-11-01").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("iwmo:client", args=[person.uuid])).status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(reverse("indications:client_file", args=[person.uuid])).status_code == 200


def test_a_message_the_provider_rejected_in_its_retour_is_an_error_to_act_on(client, consultant, traffic):
    """A WMO302 with a code other than 0200 (iwmo.retour_in) marks the outgoing message afgekeurd or
    deels: the outgoing tables show the retour and the message is an error to act on."""
    delivered = traffic["delivered"]
    OutgoingMessage.objects.filter(pk=delivered.pk).update(retour_status=RetourStatus.REJECTED)
    client.force_login(consultant)
    response = client.get(day_url())
    assert "Retour van de aanbieder" in response.content.decode()
    assert sorted(message.pk for message in response.context["outgoing_errors"]) == sorted(
        [traffic["failed"].pk, delivered.pk]
    )
