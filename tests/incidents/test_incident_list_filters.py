"""The list of calamiteiten filtered on status, soort, aanbieder and the period in which they were
reported; the provider filter offers only the providers of what the user may see; a period that
ends before it starts is an error at its field. The GGD report on the page is the team lead's;
a consultant of another team sees neither the incident nor its form (404)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import CONSULENT
from incidents import services
from incidents.models import Incident, IncidentChannel, IncidentKind, IncidentStatus
from tests.factories import TeamFactory, contracted_provider, issued_assignment, staff_member

pytestmark = pytest.mark.django_db

LIST = reverse("incidents:list")


def reported(assignment, *, kind=IncidentKind.CALAMITEIT, days_ago=0, message_id="m") -> Incident:
    now = timezone.now() - timedelta(days=days_ago)
    return services.report_incident(
        assignment=assignment,
        kind=kind,
        description="Val tijdens de begeleiding.",
        occurred_at=now - timedelta(minutes=5),
        channel=IncidentChannel.API,
        message_id=message_id,
        by=None,
        now=now,
    )


@pytest.fixture
def incidents(consultant, reporting_provider, assignment):
    other_provider = contracted_provider(name="Zorg Anders")
    earlier = issued_assignment(reporting_provider, consultant, today=timezone.localdate() - timedelta(days=40))
    old = reported(earlier, kind=IncidentKind.GEWELD, days_ago=30, message_id="oud")
    services.record_ggd_report(old, reported_on=timezone.localdate() - timedelta(days=28), reference="G-1", by=None)
    return {
        "new": reported(assignment, message_id="nieuw"),
        "old": old,
        "other": reported(
            issued_assignment(other_provider, consultant, today=timezone.localdate()), message_id="ander"
        ),
    }


def shown(client, **query) -> set[int]:
    response = client.get(LIST, query)
    assert response.status_code == 200
    return {incident.pk for incident in response.context["page"]}


def test_each_filter_selects_its_incidents(client, team_lead, incidents, reporting_provider):
    client.force_login(team_lead)
    new, old, other = incidents["new"].pk, incidents["old"].pk, incidents["other"].pk
    assert shown(client) == {new, old, other}
    assert shown(client, status=IncidentStatus.GGD_REPORTED) == {old}
    assert shown(client, status=IncidentStatus.REPORTED) == {new, other}
    assert shown(client, kind=IncidentKind.GEWELD) == {old}
    assert shown(client, provider=reporting_provider.pk) == {new, old}
    today = timezone.localdate()
    assert shown(
        client,
        reported_from=(today - timedelta(days=31)).isoformat(),
        reported_to=(today - timedelta(days=29)).isoformat(),
    ) == {old}
    assert shown(client, reported_from=today.isoformat()) == {new, other}
    assert shown(client, reported_to=(today - timedelta(days=1)).isoformat()) == {old}
    assert shown(client, provider=reporting_provider.pk, status=IncidentStatus.REPORTED) == {new}


def test_a_period_that_ends_before_it_starts_is_an_error_at_its_field(client, team_lead, incidents):
    client.force_login(team_lead)
    today = timezone.localdate()
    response = client.get(
        LIST, {"reported_from": today.isoformat(), "reported_to": (today - timedelta(days=1)).isoformat()}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reported_to"]
    assert list(response.context["page"]) == []
    assert "De einddatum kan niet vóór de begindatum liggen." in response.content.decode()


def test_the_provider_filter_names_only_the_providers_of_visible_incidents(client, team_lead, incidents):
    unrelated = contracted_provider(name="Onbekende Stichting")
    client.force_login(team_lead)
    page = client.get(LIST).content.decode()
    assert "Zorg Anders" in page and unrelated.name not in page
    assert client.get(LIST, {"provider": unrelated.pk}).context["form"].errors["provider"]


def test_another_teams_consultant_sees_nothing_and_cannot_record_the_ggd_report(client, incidents):
    elsewhere = TeamFactory(name="Team Sliedrecht", municipalities=["Sliedrecht"])
    stranger = staff_member(CONSULENT, username="consulent-elders", team=elsewhere)
    client.force_login(stranger)
    assert shown(client) == set()
    assert "Zorg Anders" not in client.get(LIST).content.decode()
    incident = incidents["new"]
    assert client.get(reverse("incidents:detail", args=[incident.uuid])).status_code == 404
    response = client.post(
        reverse("incidents:ggd_report", args=[incident.uuid]),
        {"reported_on": timezone.localdate().isoformat(), "reference": "GGD-9"},
    )
    assert response.status_code == 404
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.REPORTED


def test_the_team_lead_sees_all_of_the_team_and_records_the_ggd_report(client, team_lead, incidents):
    client.force_login(team_lead)
    incident = incidents["other"]
    response = client.post(
        reverse("incidents:ggd_report", args=[incident.uuid]),
        {"reported_on": timezone.localdate().isoformat(), "reference": "GGD-10"},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.GGD_REPORTED and incident.ggd_reference == "GGD-10"


def test_a_filtered_list_runs_a_bounded_number_of_queries(
    client, team_lead, incidents, reporting_provider, django_assert_max_num_queries
):
    client.force_login(team_lead)
    # The unfiltered list's 14 (test_incident_pages) and 1 for the provider filter's choices.
    with django_assert_max_num_queries(15):
        response = client.get(LIST, {"provider": reporting_provider.pk, "status": "gemeld"})
    assert response.context["page"].paginator.count == 1
