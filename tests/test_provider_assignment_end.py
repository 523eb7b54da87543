"""A toewijzing whose end date has passed is beëindigd the day after, whether or not the nightly job
has stored it yet: in its state, the SLA figures, the API and the verzoek om wijziging. The nightly
end_lapsed_assignments then stores it, each row on its own, and changes nothing when run again."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from providers import services
from providers.models import Assignment, SlaFigures
from providers.selectors import flow_figures, periods, state_conditions
from providers.tasks import end_lapsed_assignments as end_lapsed_assignments_task
from tests.factories import TODAY, AssignmentFactory, IndicationFactory, contracted_provider, issued_assignment

pytestmark = pytest.mark.django_db

ACTIVE, ENDED = Assignment.Status.ACTIVE, Assignment.Status.ENDED


@pytest.fixture
def old_and_new(provider, consultant):
    """On TODAY the client moves to another provider per TODAY + 10: the old toewijzing ends on
    TODAY + 9 and is stored as actief, since that day has not yet passed."""
    indication = IndicationFactory(actief=True, provider=provider, consultant=consultant)
    old = AssignmentFactory(indication=indication, provider=provider, care_started_on=indication.start_date)
    other = contracted_provider(name="Andere Aanbieder")
    new = services.change_provider(
        indication, provider=other, by=consultant, on=TODAY + timedelta(days=10), today=TODAY
    )
    old.refresh_from_db()
    assert (old.status, old.end_date) == (ACTIVE, TODAY + timedelta(days=9))
    return old, new


LAST_DAY, DAY_AFTER = TODAY + timedelta(days=9), TODAY + timedelta(days=10)


def test_the_state_is_beeindigd_the_day_after_the_end(old_and_new):
    old, new = old_and_new
    assert (old.status_on(LAST_DAY), old.state_on(LAST_DAY)) == (ACTIVE, "gestart")
    assert (old.status_on(DAY_AFTER), old.state_on(DAY_AFTER)) == (ENDED, "beeindigd")
    assert new.state_on(DAY_AFTER) == "toegewezen"
    assert set(Assignment.objects.ended_on(DAY_AFTER)) == {old}
    assert set(Assignment.objects.active_on(DAY_AFTER)) == {new}
    assert set(Assignment.objects.active_on(LAST_DAY)) == {old, new}
    statuses = dict(Assignment.objects.with_status_on(DAY_AFTER).values_list("pk", "status_on"))
    assert statuses == {old.pk: ENDED, new.pk: ACTIVE}


def test_the_sla_figures_count_it_as_ended_the_day_after(old_and_new, provider):
    (year,) = periods(LAST_DAY.year, "jaar")
    mine = provider.__class__.objects.filter(pk=provider.pk)
    (on_the_last_day,) = flow_figures(year, providers=mine, today=LAST_DAY)
    (the_day_after,) = flow_figures(year, providers=mine, today=DAY_AFTER)
    assert (on_the_last_day.uitstroom, on_the_last_day.average_duration) == (0, None)
    # Continued at another provider: outflow for this one, with its duration.
    old, _new = old_and_new
    assert (the_day_after.uitstroom, the_day_after.average_duration) == (1, old.end_date - old.start_date)
    services.refresh_sla_figures(today=DAY_AFTER, years=[LAST_DAY.year])
    assert SlaFigures.objects.get(provider=provider, year=LAST_DAY.year, quarter=0).uitstroom == 1


def test_a_change_request_on_it_is_refused_the_day_after(old_and_new):
    old, _new = old_and_new
    with pytest.raises(ValidationError) as refused:
        services.submit_change_request(
            old, motivation="Langer nodig.", end_date=old.end_date + timedelta(days=30), by=None, today=DAY_AFTER
        )
    assert refused.value.code == "assignment_not_active"
    assert "Alleen voor een actieve toewijzing" in refused.value.messages[0]
    request = services.submit_change_request(
        old, motivation="Langer nodig.", by=None, today=LAST_DAY, end_date=old.end_date + timedelta(days=30)
    )
    assert request.status == "open"


def test_the_nightly_job_ends_it_once(old_and_new):
    old, new = old_and_new
    assert services.end_lapsed_assignments(today=LAST_DAY).as_dict() == {"done": 0, "failed": []}
    assert Assignment.objects.get(pk=old.pk).status == ACTIVE
    assert services.end_lapsed_assignments(today=DAY_AFTER).as_dict() == {"done": 1, "failed": []}
    old.refresh_from_db()
    assert (old.status, old.end_date, old.change_reason) == (ENDED, LAST_DAY, "09")
    assert Assignment.objects.get(pk=new.pk).status == ACTIVE
    events = AuditEvent.objects.filter(
        object_type="providers.assignment", object_id=str(old.pk), action=AuditEvent.Action.TRANSITION
    )
    assert events.filter(summary__contains="verstreken").count() == 1
    # Idempotent: again the next night, nothing to do and nothing recorded.
    assert services.end_lapsed_assignments(today=DAY_AFTER + timedelta(days=1)).as_dict() == {"done": 0, "failed": []}
    assert events.filter(summary__contains="verstreken").count() == 1


def test_a_failing_row_does_not_stop_the_others(provider, consultant, monkeypatch):
    lapsed = [
        AssignmentFactory(
            provider=provider,
            indication=IndicationFactory(actief=True, consultant=consultant),
            end_date=TODAY - timedelta(days=1),
        )
        for _ in range(3)
    ]
    failing = lapsed[1]
    record_event = services.record_event

    def refuse_one(*, obj, **kwargs):
        if obj.pk == failing.pk:
            raise ValidationError("kapot")
        return record_event(obj=obj, **kwargs)

    monkeypatch.setattr(services, "record_event", refuse_one)
    outcome = services.end_lapsed_assignments(today=TODAY)
    assert outcome.done == 2 and len(outcome.failed) == 1
    assert outcome.failed[0].startswith(f"{failing.pk}: ") and "kapot" in outcome.failed[0]
    stored = dict(Assignment.objects.filter(pk__in=[a.pk for a in lapsed]).values_list("pk", "status"))
    # The failing row's transaction was rolled back; the others were ended.
    assert stored == {lapsed[0].pk: ENDED, failing.pk: ACTIVE, lapsed[2].pk: ENDED}


def test_the_task_and_the_daily_jobs_command_run_it(provider, consultant, capsys):
    today = timezone.localdate()
    lapsed = AssignmentFactory(
        provider=provider,
        end_date=today - timedelta(days=1),
        indication=IndicationFactory(actief=True, consultant=consultant, start_date=today - timedelta(days=30)),
    )
    assert end_lapsed_assignments_task.apply().get() == {"done": 1, "failed": []}
    assert Assignment.objects.get(pk=lapsed.pk).status == ENDED
    call_command("run_daily_jobs")
    assert "providers.end_lapsed_assignments: {'done': 0, 'failed': []}" in capsys.readouterr().out


# -- the API, on the real clock ------------------------------------------------------------------


@pytest.fixture
def api(provider):
    _token, key = services.issue_api_token(provider, name="test", by=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def lapsed_yesterday(provider, consultant):
    """A provider change recorded three days ago per today: the old toewijzing ended yesterday and
    is still stored as actief (the nightly job has not run)."""
    today = timezone.localdate()
    old = issued_assignment(provider, consultant, days_ago=30, today=timezone.localdate())
    services.record_care_start(old, on=today - timedelta(days=25), by=None)
    services.change_provider(
        old.indication,
        provider=contracted_provider(name="Nieuwe Aanbieder"),
        by=consultant,
        on=today,
        today=today - timedelta(days=3),
    )
    old.refresh_from_db()
    assert (old.status, old.end_date) == (ACTIVE, today - timedelta(days=1))
    return old


def test_the_api_shows_it_as_beeindigd(api, lapsed_yesterday):
    number = lapsed_yesterday.number
    assert api.get(f"/api/v1/toewijzingen/{number}/").json()["status"] == "beeindigd"

    def listed(status):
        return {
            item["toewijzingnummer"] for item in api.get("/api/v1/toewijzingen/", {"status": status}).json()["results"]
        }

    assert number in listed("beeindigd")
    assert number not in listed("gestart") | listed("actief") | listed("toegewezen") | listed("startbaar")


def test_the_api_refuses_a_change_request_on_it(api, lapsed_yesterday):
    response = api.post(
        f"/api/v1/toewijzingen/{lapsed_yesterday.number}/wijzigingsverzoeken/",
        {"berichtId": "w-na-einde", "product": "IB2", "motivering": "Meer nodig."},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert "assignment_not_active" in {error["code"] for error in body.get("fouten", [])}
    assert "Alleen voor een actieve toewijzing kan een wijziging worden gevraagd." in str(body)
    assert not lapsed_yesterday.change_requests.exists()


def test_the_state_in_sql_is_the_state_in_python(old_and_new, provider):
    others = [
        AssignmentFactory(provider=provider, **{trait: True})
        for trait in ("gestart", "gestopt", "beeindigd", "ingetrokken")
    ]
    assignments = [*old_and_new, *others]
    for day in (TODAY, LAST_DAY, DAY_AFTER):
        in_sql = {
            state: set(Assignment.objects.filter(condition, pk__in=[a.pk for a in assignments]))
            for state, condition in state_conditions(day).items()
        }
        in_python = {state: {a for a in assignments if a.state_on(day) == state} for state in in_sql}
        assert in_sql == in_python, day
