"""The consultant's provider pages: choose or change the provider, see the events, answer a
verzoek om wijziging; and the contract manager's overview."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import CONTRACTMANAGER
from indications.services import issue_beschikking
from providers import services
from providers.models import Assignment, ChangeRequest
from providers.selectors import provider_overview
from tests.factories import (
    IndicationFactory,
    ProviderFactory,
    ZrmAssessmentFactory,
    contracted_provider,
    issued_assignment,
    staff_member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(consultant):
    return issued_assignment(contracted_provider(name="Eerste Zorg"), consultant, today=timezone.localdate())


def test_the_beschikking_page_shows_assignments_and_events(client, consultant, assignment):
    services.process_message(
        provider=assignment.provider, message_id="m1", kind="start", assignment=assignment, handle=lambda: (200, {})
    )
    client.force_login(consultant)
    page = client.get(f"/indicaties/{assignment.indication.uuid}/").content.decode()
    assert assignment.number in page and "Eerste Zorg" in page and "m1" in page


def test_change_provider_from_the_page(client, consultant, assignment):
    other = contracted_provider(name="Tweede Zorg")
    client.force_login(consultant)
    on = timezone.localdate()
    response = client.post(
        f"/aanbieders/beschikkingen/{assignment.indication.uuid}/aanbieder/",
        {"provider": other.pk, "on": on.isoformat()},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    new = Assignment.objects.get(provider=other)
    assert assignment.end_date == on - timedelta(days=1) and assignment.change_reason == "09"
    assert new.start_date == on and new.indication == assignment.indication


def test_change_provider_without_contract_shows_an_error_and_changes_nothing(client, consultant, assignment):
    client.force_login(consultant)
    response = client.post(
        f"/aanbieders/beschikkingen/{assignment.indication.uuid}/aanbieder/",
        {"provider": ProviderFactory().pk, "on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "geen contract" in response.content.decode()
    assert Assignment.objects.count() == 1


def test_answer_a_change_request_from_the_page(client, consultant, assignment):
    request = services.submit_change_request(
        assignment, end_date=assignment.end_date + timedelta(days=30), motivation="Meer tijd", by=None
    )
    client.force_login(consultant)
    assert "Eerste Zorg" in client.get("/werkvoorraad/").content.decode()
    response = client.post(
        f"/aanbieders/wijzigingsverzoeken/{request.uuid}/antwoord/",
        {"decision": "afwijzen", "refusal_reason": "7", "reason": "Eerst evalueren"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.REFUSED and request.answered_by == consultant
    assert (request.answer_kind, request.refusal_reason) == ("1", "7")


def test_the_worklist_shows_the_wj758_reason_and_a_link_to_answer(client, consultant, assignment):
    request = services.submit_change_request(
        assignment, end_date=assignment.end_date + timedelta(days=30), motivation="Meer tijd", reason="2", by=None
    )
    client.force_login(consultant)
    page = client.get("/werkvoorraad/").content.decode()
    assert "wijziging zorgplan" in page and "beantwoorden" in page
    detail = client.get(f"/indicaties/{assignment.indication.uuid}/").content.decode()
    assert "In onderzoek" in detail and "Reden afwijzing" in detail and str(request.uuid) in detail


def test_refusing_from_the_page_needs_a_wj759_reason(client, consultant, assignment):
    request = services.submit_change_request(
        assignment, end_date=assignment.end_date + timedelta(days=30), motivation="Meer tijd", by=None
    )
    client.force_login(consultant)
    response = client.post(
        f"/aanbieders/wijzigingsverzoeken/{request.uuid}/antwoord/", {"decision": "afwijzen", "reason": "Nee"}
    )
    assert response.status_code == 200 and "Kies de reden van afwijzing (WJ759)." in response.content.decode()
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.OPEN


def test_in_onderzoek_from_the_page_keeps_the_request_open(client, consultant, assignment):
    request = services.submit_change_request(
        assignment, end_date=assignment.end_date + timedelta(days=30), motivation="Meer tijd", by=None
    )
    client.force_login(consultant)
    response = client.post(
        f"/aanbieders/wijzigingsverzoeken/{request.uuid}/antwoord/", {"decision": "in_onderzoek", "reason": "We kijken"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.answer_kind) == (ChangeRequest.Status.OPEN, "2")


def test_a_contract_manager_cannot_change_providers_or_answer(client, assignment):
    request = services.submit_change_request(
        assignment, end_date=assignment.end_date + timedelta(days=30), motivation="Meer tijd", by=None
    )
    client.force_login(staff_member(CONTRACTMANAGER))
    assert client.post(f"/aanbieders/beschikkingen/{assignment.indication.uuid}/aanbieder/", {}).status_code == 403
    assert client.post(f"/aanbieders/wijzigingsverzoeken/{request.uuid}/antwoord/", {}).status_code == 403


def test_pages_show_changes_made_by_the_system(client, consultant, assignment):
    """The nightly jobs move beschikkingen with no user; the history and access log say 'systeem'."""
    from indications.services import end_expired_beschikkingen

    indication = assignment.indication
    end_expired_beschikkingen(today=indication.end_date + timedelta(days=1))
    client.force_login(consultant)
    page = client.get(f"/indicaties/{indication.uuid}/")
    assert page.status_code == 200 and "systeem" in page.content.decode()


def test_a_later_end_keeps_the_first_reason(assignment):
    today = timezone.localdate()
    services.end_assignments_of(
        assignment.indication, end_date=today + timedelta(days=30), reason="09", by=None, today=today
    )
    services.end_assignments_of(
        assignment.indication, end_date=today + timedelta(days=10), reason="05", by=None, today=today
    )
    assignment.refresh_from_db()
    assert (assignment.change_reason, assignment.end_date) == ("09", today + timedelta(days=10))


def test_a_stop_report_shortens_the_assignment(assignment):
    services.record_care_start(assignment, on=assignment.start_date, by=None)
    stopped_on = assignment.start_date + timedelta(days=3)
    services.record_care_stop(assignment, on=stopped_on, reason="19", by=None)
    assignment.refresh_from_db()
    assert (assignment.end_date, assignment.status) == (stopped_on, "beeindigd")


# -- the toewijzing's real state on the pages ------------------------------------------------------


def state_cell(page: str, number: str) -> str:
    """The text of the status cell in the toewijzingen table's row of `number`."""
    row = page.split(f"<td>{number}</td>", 1)[1].split("</tr>", 1)[0]
    return row.split('class="status status--', 1)[1].split("</span>", 1)[0].split(">", 1)[1]


def future_assignment(provider, consultant):
    today = timezone.localdate()
    client = ZrmAssessmentFactory(scores={"financien": 2}, assessed_on=today - timedelta(days=10)).client
    indication = IndicationFactory(
        client=client,
        consultant=consultant,
        provider=provider,
        start_date=today + timedelta(days=14),
        end_date=today + timedelta(days=200),
        aanvraag__received_on=today - timedelta(days=3),
    )
    issue_beschikking(indication, by=consultant, today=today)
    return Assignment.objects.get(indication=indication)


def test_a_vastgestelde_beschikking_shows_its_toewijzing_as_toegewezen_not_actief(client, consultant):
    assignment = future_assignment(contracted_provider(name="Eerste Zorg"), consultant)
    assert assignment.indication.status == "vastgesteld"
    client.force_login(consultant)
    page = client.get(f"/indicaties/{assignment.indication.uuid}/").content.decode()
    assert state_cell(page, assignment.number) == "toegewezen"
    file = client.get(f"/clienten/{assignment.indication.client.uuid}/").content.decode()
    assert "Eerste Zorg: toewijzing toegewezen" in file


def test_the_pages_follow_the_start_and_stop_of_care(client, consultant, assignment):
    client.force_login(consultant)
    detail = f"/indicaties/{assignment.indication.uuid}/"
    assert state_cell(client.get(detail).content.decode(), assignment.number) == "toegewezen"
    services.record_care_start(assignment, on=assignment.start_date, by=None)
    assert state_cell(client.get(detail).content.decode(), assignment.number) == "gestart"
    file = client.get(f"/clienten/{assignment.indication.client.uuid}/").content.decode()
    assert "Eerste Zorg: toewijzing gestart" in file
    services.record_care_stop(assignment, on=assignment.start_date + timedelta(days=3), reason="19", by=None)
    assert state_cell(client.get(detail).content.decode(), assignment.number) == "gestopt"


def test_clients_in_care_on_the_overview_count_only_care_that_started(client, consultant, assignment):
    future_assignment(assignment.provider, consultant)
    client.force_login(staff_member(CONTRACTMANAGER))
    row = provider_overview().get(pk=assignment.provider.pk)
    assert (row.live_beschikkingen, row.clients_in_care) == (2, 0)
    services.record_care_start(assignment, on=assignment.start_date, by=None)
    row = provider_overview().get(pk=assignment.provider.pk)
    assert (row.live_beschikkingen, row.clients_in_care) == (2, 1)
    assert client.get("/aanbieders/").status_code == 200
