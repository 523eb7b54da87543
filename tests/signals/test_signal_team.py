"""Which team gets a municipality's signals is data (Municipality.signal_team, set in the admin),
with one documented rule when it is not set: the serving team whose name comes first."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps

from accounts.models import Team
from audit.models import AuditEvent
from indications.models import Municipality
from signals.checks import CHECKS_BY_NAME
from signals.models import Signal
from signals.selectors import signal_team_per_municipality
from signals.services import run_check
from tests.factories import TODAY, IntakeFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dordrecht():
    return Municipality.objects.get(name="Dordrecht")


@pytest.fixture
def teams(dordrecht):
    """Two teams serving Dordrecht; "Team Dordrecht" (the tests' consultants' team) comes first."""
    return TeamFactory(name="Team Dordrecht"), TeamFactory(name="Wijkteam Zuid")


def test_without_a_signal_team_the_serving_team_first_by_name_gets_the_signals(dordrecht, teams):
    first, second = teams
    assert dordrecht.signal_team is None
    assert signal_team_per_municipality()[dordrecht.pk] == first.pk
    first.name = "Zuid-team"  # renaming the teams changes who comes first
    first.save()
    assert signal_team_per_municipality()[dordrecht.pk] == second.pk


def test_the_signal_team_set_decides(dordrecht, teams):
    first, second = teams
    dordrecht.signal_team = second
    dordrecht.save()
    assert signal_team_per_municipality()[dordrecht.pk] == second.pk
    second.municipalities.remove(dordrecht)  # no longer serves Dordrecht: the rule again
    assert signal_team_per_municipality()[dordrecht.pk] == first.pk


def test_a_municipality_no_team_serves_has_no_signal_team(dordrecht):
    Team.objects.all().delete()
    assert dordrecht.pk not in signal_team_per_municipality()


def test_a_raised_signal_goes_to_the_signal_team(dordrecht, teams, consultant):
    dordrecht.signal_team = teams[1]
    dordrecht.save()
    IntakeFactory(referred=True, melding__consultant=consultant, melding__received_on=TODAY - timedelta(days=60))
    outcome = run_check(CHECKS_BY_NAME["nazorg"], today=TODAY, force=True)
    assert outcome.created == 1
    assert Signal.objects.get().team == teams[1]


def test_the_data_migration_writes_down_todays_choice(dordrecht, teams):
    migration = importlib.import_module("indications.migrations.0009_municipality_signal_team")
    migration.keep_todays_signal_team(apps, None)
    dordrecht.refresh_from_db()
    assert dordrecht.signal_team == teams[0]
    assert not Municipality.objects.filter(teams__isnull=True, signal_team__isnull=False).exists()


def test_the_admin_offers_only_the_teams_serving_the_municipality(client, dordrecht, teams):
    TeamFactory(name="Team Elders", municipalities=["Zwijndrecht"])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = f"/beheer/indications/municipality/{dordrecht.pk}/change/"
    offered = client.get(url).context["adminform"].form.fields["signal_team"].queryset
    assert set(offered) == set(teams)
    elders = Team.objects.get(name="Team Elders")
    # The admin form carries the membership too (lid vanaf, required; lid tot en met, empty).
    fields = {"code": dordrecht.code, "name": dordrecht.name, "member_from": dordrecht.member_from.isoformat()}
    refused = client.post(url, {**fields, "signal_team": elders.pk})
    assert refused.status_code == 200 and "signal_team" in refused.context["adminform"].form.errors
    accepted = client.post(url, {**fields, "signal_team": teams[1].pk})
    assert accepted.status_code == 302
    dordrecht.refresh_from_db()
    assert dordrecht.signal_team == teams[1]
    (event,) = AuditEvent.objects.filter(object_type="indications.municipality")
    assert (event.action, event.object_id) == (AuditEvent.Action.UPDATE, str(dordrecht.pk))
    assert event.changes == {"signal_team": [None, str(teams[1].pk)]}
