"""Verzoeken om toewijzing (WMO315) for the consultant: on the worklist with the provider and its
reason, a page that shows the verzoek, tells how it is granted (the normal route, whose vaststelling
answers it with a WMO301) and rejects it with a WJ759 reason and a motivation, firing the hook
assignment_request_answered for the WMO319. And the services' own rules."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from providers import hooks, services
from providers.models import AssignmentRequest
from tests.factories import ZrmAssessmentFactory, bsn_for
from tests.html_checks import markup_problems

pytestmark = pytest.mark.django_db


def requested(reference="REF-1", **fields):
    values = {
        "reference": reference,
        "product_category": "02",
        "product_code": "02A06",
        "start_date": timezone.localdate(),
        "comment": "Cliënt meldde zich bij ons na ontslag uit de kliniek.",
    }
    values.update(fields)
    return services.RequestedAssignment(**values)


@pytest.fixture
def known_client(db):
    return ZrmAssessmentFactory(scores={"financien": 2}).client


@pytest.fixture
def open_request(provider, known_client):
    return services.submit_assignment_request(provider, bsn=known_client.bsn, requested=requested(), by=None)


@pytest.fixture
def answered():
    seen = []
    hooks.assignment_request_answered.register(seen.append)
    yield seen
    hooks.assignment_request_answered.unregister(seen.append)


@pytest.fixture
def signed_in(client, consultant):
    client.force_login(consultant)
    return client


def test_an_open_verzoek_is_on_the_worklist_with_its_provider_and_reason(signed_in, open_request, provider):
    html = signed_in.get(reverse("indications:worklist")).content.decode()
    assert 'id="h-toewijzingsverzoeken"' in html
    assert reverse("providers:assignment_request", args=[open_request.uuid]) in html
    assert provider.name in html and "ontslag uit de kliniek" in html and "IB1" in html


def test_a_verzoek_for_a_bsn_we_do_not_know_is_on_the_worklist_too(signed_in, provider):
    services.submit_assignment_request(provider, bsn=bsn_for(5151), requested=requested(), by=None)
    html = signed_in.get(reverse("indications:worklist")).content.decode()
    assert "onbekende cliënt" in html and bsn_for(5151) in html


def test_an_answered_verzoek_leaves_the_worklist(signed_in, open_request, consultant):
    services.answer_assignment_request(open_request, by=consultant, accept=False, reason="7", motivation="Niet nodig.")
    html = signed_in.get(reverse("indications:worklist")).content.decode()
    assert reverse("providers:assignment_request", args=[open_request.uuid]) not in html


def test_the_page_shows_the_verzoek_the_route_to_grant_it_and_the_rejection_form(signed_in, open_request, known_client):
    response = signed_in.get(reverse("providers:assignment_request", args=[open_request.uuid]))
    html = response.content.decode()
    assert response.status_code == 200 and markup_problems(html) == []
    assert "REF-1" in html and "kliniek" in html
    assert reverse("indications:melding_create", args=[known_client.uuid]) in html
    assert reverse("providers:reject_assignment_request", args=[open_request.uuid]) in html
    assert "Reden van afwijzing (WJ759)" in html


def test_rejecting_needs_a_wj759_reason_and_a_motivation(signed_in, open_request, answered):
    url = reverse("providers:reject_assignment_request", args=[open_request.uuid])
    response = signed_in.post(url, {"reason": "", "motivation": ""})
    html = response.content.decode()
    assert response.status_code == 400 and markup_problems(html) == []
    assert "Het verzoek is niet afgewezen" in html
    open_request.refresh_from_db()
    assert open_request.status == "open" and answered == []


def test_rejecting_records_the_answer_and_fires_the_hook_for_the_wmo319(signed_in, open_request, consultant, answered):
    url = reverse("providers:reject_assignment_request", args=[open_request.uuid])
    response = signed_in.post(url, {"reason": "7", "motivation": "De ondersteuning past niet bij de vraag."})
    assert response.status_code == 302
    open_request.refresh_from_db()
    assert (open_request.status, open_request.rejection_reason, open_request.answered_by) == (
        "afgewezen",
        "7",
        consultant,
    )
    assert answered == [
        hooks.AssignmentRequestAnswered(
            request_id=open_request.pk,
            provider_id=open_request.provider_id,
            client_id=open_request.client_id,
            accepted=False,
            wj759_reden="7",
            today=timezone.localdate(),
        )
    ]
    assert AuditEvent.objects.filter(
        object_type="providers.assignmentrequest", action=AuditEvent.Action.TRANSITION, actor=consultant
    ).exists()
    again = signed_in.post(url, {"reason": "3", "motivation": "Nog een keer."}, follow=True)
    assert "al beantwoord" in again.content.decode() and len(answered) == 1


def test_a_consultant_without_the_permission_cannot_answer(client, open_request, team_lead):
    team_lead.groups.clear()
    client.force_login(team_lead)
    assert client.get(reverse("providers:assignment_request", args=[open_request.uuid])).status_code == 403


# -- the services' rules ------------------------------------------------------------------------


def test_granting_without_a_toewijzing_is_refused(open_request, consultant):
    with pytest.raises(ValidationError) as error:
        services.answer_assignment_request(open_request, by=consultant, accept=True)
    assert error.value.code == "grant_needs_assignment"


def test_an_answered_verzoek_cannot_be_answered_again(open_request, consultant):
    services.answer_assignment_request(open_request, by=consultant, accept=False, reason="2", motivation="Budget.")
    with pytest.raises(ValidationError) as error:
        services.answer_assignment_request(open_request, by=consultant, accept=False, reason="3", motivation="Anders.")
    assert error.value.code == "already_answered"


def test_tr347_tr374_cs003_and_tr381_in_the_service(provider, known_client, open_request):
    with pytest.raises(ValidationError) as error:  # TR347
        services.submit_assignment_request(provider, bsn=bsn_for(9191), requested=requested(), by=None)
    assert error.value.code == "reference_not_unique"
    with pytest.raises(ValidationError) as error:  # TR374
        services.submit_assignment_request(provider, bsn=known_client.bsn, requested=requested("REF-2"), by=None)
    assert error.value.code == "request_open"
    with pytest.raises(ValidationError) as error:  # CS003
        end = timezone.localdate() - timedelta(days=1)
        services.submit_assignment_request(provider, bsn=bsn_for(1), requested=requested("R3", end_date=end), by=None)
    assert "end_date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # TR381
        services.submit_assignment_request(
            provider, bsn=bsn_for(2), requested=requested("R4", product_code="99X99"), by=None
        )
    assert error.value.code == "unknown_product"
    assert AssignmentRequest.objects.count() == 1
