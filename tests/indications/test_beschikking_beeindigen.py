"""Beëindigen per a later day: the beschikking (and its toewijzing) stays live with its planned end
until that day has passed; then the nightly job ends it. The nightly jobs isolate each row."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from indications import beschikking_services, services
from indications.models import Indication, IndicationStatus, PlannedEvaluation
from providers import services as provider_services
from providers.models import Assignment
from signals.checks import CHECKS_BY_NAME
from signals.models import SignalStatus, SignalType
from signals.services import run_check
from tests.factories import IndicationFactory, contracted_provider, issued_assignment

pytestmark = pytest.mark.django_db
S = IndicationStatus


@pytest.fixture
def in_care(consultant):
    """On the real clock (the API reads it): a beschikking that started 20 days ago, care started."""
    assignment = issued_assignment(contracted_provider(name="Eerste Zorg"), consultant, today=timezone.localdate())
    provider_services.record_care_start(assignment, on=assignment.start_date, by=None)
    return assignment


@pytest.fixture
def planned(in_care, consultant):
    """Ended per 30 days from today by the consultant."""
    today = timezone.localdate()
    services.end_beschikking(
        in_care.indication,
        by=consultant,
        ended_on=today + timedelta(days=30),
        reason="Cliënt verhuist naar Utrecht",
        today=today,
    )
    return in_care


def reread(assignment):
    assignment.refresh_from_db()
    assignment.indication.refresh_from_db()
    return assignment, assignment.indication


def test_ending_per_a_later_day_keeps_the_beschikking_and_toewijzing_live_with_that_end(planned):
    end = timezone.localdate() + timedelta(days=30)
    assignment, indication = reread(planned)
    assert (indication.status, indication.ended_on, indication.end_date) == (S.ACTIEF, end, end)
    assert indication.end_reason == "Cliënt verhuist naar Utrecht" and indication.end_is_planned
    assert not indication.status_changes.filter(to_status=S.BEEINDIGD).exists()
    assert (assignment.status, assignment.state, assignment.end_date) == (Assignment.Status.ACTIVE, "gestart", end)
    events = AuditEvent.objects.filter(object_type="indications.indication", object_id=str(indication.pk))
    event = events.order_by("pk").last()
    assert event.summary == f"beëindiging gepland per {end:%d-%m-%Y}"


@pytest.mark.parametrize(("offset", "live"), [(-1, True), (0, True), (1, False)])
def test_the_nightly_job_ends_it_the_day_after(planned, offset, live):
    """The day before and the day of the planned end care goes on; the night after, it ends."""
    end = timezone.localdate() + timedelta(days=30)
    outcome = services.end_expired_beschikkingen(today=end + timedelta(days=offset))
    assignment, indication = reread(planned)
    if live:
        assert outcome.done == 0
        assert (indication.status, assignment.status) == (S.ACTIEF, Assignment.Status.ACTIVE)
    else:
        assert (outcome.done, outcome.failed) == (1, [])
        assert (indication.status, indication.ended_on) == (S.BEEINDIGD, end)
        change = indication.status_changes.get(to_status=S.BEEINDIGD)
        assert (change.by, change.reason) == (None, "Cliënt verhuist naar Utrecht")
        assert (assignment.status, assignment.state, assignment.end_date) == (Assignment.Status.ENDED, "beeindigd", end)


def test_ending_per_a_day_that_has_passed_ends_it_at_once(in_care, consultant):
    today = timezone.localdate()
    services.end_beschikking(
        in_care.indication, by=consultant, ended_on=today - timedelta(days=1), reason="Overleden", today=today
    )
    assignment, indication = reread(in_care)
    assert (indication.status, indication.status_reason, indication.end_reason) == (
        S.BEEINDIGD,
        "Overleden",
        "Overleden",
    )
    assert assignment.status == Assignment.Status.ENDED


def test_a_vastgestelde_beschikking_ended_per_a_later_day_starts_and_then_ends(consultant, today):
    indication = IndicationFactory(vastgesteld=True, consultant=consultant, start_date=today + timedelta(days=3))
    services.end_beschikking(indication, by=consultant, ended_on=today + timedelta(days=10), reason="x", today=today)
    indication.refresh_from_db()
    assert indication.status == S.VASTGESTELD
    services.activate_started_beschikkingen(today=today + timedelta(days=3))
    services.end_expired_beschikkingen(today=today + timedelta(days=3))
    indication.refresh_from_db()
    assert indication.status == S.ACTIEF
    services.end_expired_beschikkingen(today=today + timedelta(days=11))
    indication.refresh_from_db()
    assert (indication.status, indication.ended_on) == (S.BEEINDIGD, today + timedelta(days=10))


def test_the_api_lists_it_as_in_care_with_its_planned_end(planned):
    cache.clear()
    _token, key = provider_services.issue_api_token(planned.provider, name="test", by=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    (item,) = api.get("/api/v1/toewijzingen/", {"status": "actief"}).json()["results"]
    assert (item["toewijzingnummer"], item["status"]) == (planned.number, "gestart")
    assert item["einddatum"] == (timezone.localdate() + timedelta(days=30)).isoformat()


def test_the_beschikking_page_and_client_file_show_the_planned_end(client, consultant, planned):
    client.force_login(consultant)
    page = client.get(f"/indicaties/{planned.indication.uuid}/").content.decode()
    end = timezone.localdate() + timedelta(days=30)
    assert f"beëindigd per {end:%d-%m-%Y} (gepland)" in page and "Cliënt verhuist naar Utrecht" in page
    file = client.get(f"/clienten/{planned.indication.client.uuid}/").content.decode()
    assert f"beëindigd per {end:%d-%m-%Y} (gepland)" in file


def test_the_signals_count_it_as_live_until_then(planned):
    end = timezone.localdate() + timedelta(days=30)
    indication = planned.indication
    PlannedEvaluation.objects.create(indication=indication, planned_on=end - timedelta(days=5))
    overdue = CHECKS_BY_NAME["evaluatie_te_laat"]
    assert run_check(overdue, today=end, force=True).created == 1  # live on its last day
    services.end_expired_beschikkingen(today=end + timedelta(days=1))
    assert run_check(overdue, today=end + timedelta(days=1), force=True).lapsed == 1
    # Its end was decided: "beschikking loopt af" asks for nothing more.
    expiring = CHECKS_BY_NAME["beschikking_loopt_af"]
    assert run_check(expiring, today=end - timedelta(days=10), force=True).created == 0
    assert not indication.signals.filter(type=SignalType.BESCHIKKING_EXPIRING, status=SignalStatus.OPEN).exists()


# -- the nightly jobs isolate each row -----------------------------------------------------------


def test_one_failing_row_does_not_stop_the_nightly_end(today, monkeypatch):
    broken, fine = (IndicationFactory(actief=True, end_date=today - timedelta(days=1)) for _ in range(2))
    real_end_assignments_of = provider_services.end_assignments_of

    def failing_for_broken(indication, **kwargs):
        if indication.pk == broken.pk:
            raise RuntimeError("toewijzing vergrendeld")
        return real_end_assignments_of(indication, **kwargs)

    monkeypatch.setattr(provider_services, "end_assignments_of", failing_for_broken)
    outcome = services.end_expired_beschikkingen(today=today)
    assert outcome.done == 1 and outcome.failed == [f"{broken.pk}: toewijzing vergrendeld"]
    broken.refresh_from_db()
    fine.refresh_from_db()
    # The failed row was rolled back whole and stays for the next night; the other one ended.
    assert (broken.status, broken.ended_on) == (S.ACTIEF, None) and not broken.status_changes.exists()
    assert fine.status == S.BEEINDIGD
    monkeypatch.setattr(provider_services, "end_assignments_of", real_end_assignments_of)
    assert services.end_expired_beschikkingen(today=today).done == 1


def test_one_failing_row_does_not_stop_the_nightly_activation(today, monkeypatch):
    broken, fine = (IndicationFactory(vastgesteld=True, start_date=today) for _ in range(2))
    real_activate = beschikking_services.activate_beschikking

    def failing_for_broken(indication, **kwargs):
        if indication.pk == broken.pk:
            raise RuntimeError("kapot")
        return real_activate(indication, **kwargs)

    monkeypatch.setattr(beschikking_services, "activate_beschikking", failing_for_broken)
    outcome = services.activate_started_beschikkingen(today=today)
    assert (outcome.done, outcome.failed) == (1, [f"{broken.pk}: kapot"])
    statuses = dict(Indication.objects.filter(pk__in=[broken.pk, fine.pk]).values_list("pk", "status"))
    assert statuses == {broken.pk: S.VASTGESTELD, fine.pk: S.ACTIEF}
