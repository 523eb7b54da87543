"""The incident pages: a consultant registers a calamiteit reported by phone (the team lead's signal
follows at once); only the consultant of the client's beschikking and the team leads see it (every
other role: 403, another consultant: 404); every read is audited; bad input stays next to the field."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import CONSULENT, CONTRACTMANAGER, FUNCTIONEEL_BEHEERDER, TEAMLEIDER
from audit.models import AuditEvent
from incidents import services
from incidents.models import Incident, IncidentChannel, IncidentKind, IncidentStatus
from signals.models import Signal, SignalStatus, SignalType
from tests.factories import TeamFactory, issued_assignment, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(assignment):
    return services.report_incident(
        assignment=assignment,
        kind=IncidentKind.GEWELD,
        description="Begeleider geslagen door een huisgenoot van de cliënt.",
        occurred_at=timezone.now() - timedelta(hours=1),
        channel=IncidentChannel.API,
        message_id="m-1",
        by=None,
    )


def detail(incident):
    return reverse("incidents:detail", args=[incident.uuid])


def test_the_consultant_registers_a_phone_report(client, consultant, assignment, team_lead):
    client.force_login(consultant)
    moment = (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("incidents:register"),
        {"assignment": assignment.number, "kind": "calamiteit", "occurred_at": moment, "description": "Val."},
    )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(incident)
    assert incident.channel == IncidentChannel.PHONE and incident.registered_by == consultant
    assert Signal.objects.filter(type=SignalType.INCIDENT, subject_id=incident.pk, status=SignalStatus.OPEN).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"assignment": "ONBEKEND"}, "assignment"),
        ({"occurred_at": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")}, "occurred_at"),
        ({"description": ""}, "description"),
    ],
)
def test_a_bad_phone_report_shows_the_error_at_its_field(client, consultant, assignment, fields, field):
    client.force_login(consultant)
    data = {
        "assignment": assignment.number,
        "kind": "calamiteit",
        "occurred_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "description": "Val.",
        **fields,
    }
    response = client.post(reverse("incidents:register"), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Incident.objects.exists()


def test_the_consultant_and_the_team_lead_see_it_and_each_read_is_audited(client, consultant, team_lead, incident):
    for user in (consultant, team_lead):
        client.force_login(user)
        assert client.get(detail(incident)).status_code == 200
        assert str(incident.uuid) in client.get(reverse("incidents:list")).content.decode()
    reads = AuditEvent.objects.filter(object_type="incidents.incident", object_id=str(incident.pk), action="read")
    assert set(reads.values_list("actor_id", flat=True)) == {consultant.pk, team_lead.pk}


def test_another_consultant_of_the_team_does_not_see_it(client, incident):
    colleague = staff_member(CONSULENT, username="collega")
    client.force_login(colleague)
    assert client.get(detail(incident)).status_code == 404
    assert str(incident.uuid) not in client.get(reverse("incidents:list")).content.decode()


def test_a_team_lead_of_another_municipality_does_not_see_it(client, incident):
    other = staff_member(
        TEAMLEIDER, username="tl-elders", team=TeamFactory(name="Team Sliedrecht", municipalities=["Sliedrecht"])
    )
    client.force_login(other)
    assert client.get(detail(incident)).status_code == 404


@pytest.mark.parametrize("role", [CONTRACTMANAGER, FUNCTIONEEL_BEHEERDER, None])
def test_every_other_role_is_refused(client, user, incident, role):
    someone = staff_member(role, username=f"rol-{role}") if role else user
    client.force_login(someone)
    for url in (reverse("incidents:list"), detail(incident), reverse("incidents:register")):
        assert client.get(url).status_code == 403
    response = client.post(
        reverse("incidents:ggd_report", args=[incident.uuid]), {"reported_on": "2026-01-01", "reference": "x"}
    )
    assert response.status_code == 403


def test_the_team_lead_records_the_ggd_report_and_closes_it(client, team_lead, incident):
    client.force_login(team_lead)
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("incidents:ggd_report", args=[incident.uuid]), {"reported_on": today, "reference": "GGD-7"}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.GGD_REPORTED
    assert Signal.objects.get(type=SignalType.INCIDENT, subject_id=incident.pk).status == SignalStatus.LAPSED
    refused = client.post(reverse("incidents:close", args=[incident.uuid]), {"closing_note": ""})
    assert refused.status_code == 400 and refused.context["close_form"].errors["closing_note"]
    client.post(reverse("incidents:close", args=[incident.uuid]), {"closing_note": "Afgehandeld met de aanbieder."})
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    page = client.get(detail(incident)).content.decode()
    assert "GGD-7" in page and "Afgehandeld met de aanbieder." in page


def test_a_ggd_report_in_the_future_stays_at_its_field(client, team_lead, incident):
    client.force_login(team_lead)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        reverse("incidents:ggd_report", args=[incident.uuid]), {"reported_on": tomorrow, "reference": "K"}
    )
    assert response.status_code == 400 and response.context["ggd_form"].errors["reported_on"]
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.REPORTED


def test_the_list_runs_a_constant_number_of_queries(
    client, team_lead, consultant, incident, reporting_provider, django_assert_max_num_queries
):
    for number in range(2):
        services.report_incident(
            assignment=issued_assignment(reporting_provider, consultant, today=timezone.localdate()),
            kind=IncidentKind.CALAMITEIT,
            description="Val.",
            occurred_at=timezone.now() - timedelta(hours=1),
            channel=IncidentChannel.API,
            message_id=f"lijst-{number}",
            by=None,
        )
    client.force_login(team_lead)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("incidents:list"))
    assert response.context["page"].paginator.count == 3
