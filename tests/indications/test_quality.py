"""Quality checks on issued beschikkingen: the random but reproducible sample and its rules, the
checklist answers, the findings per consultant per quarter, and who may do what."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import CONSULENT, TEAMLEIDER
from audit.models import AuditEvent
from indications import quality
from indications.models import Indication, QualityAnswer, QualityCheck, QualityQuestion, QualitySample
from indications.quality import AnswerInput
from tests.factories import IndicationFactory, TeamFactory, staff_member

pytestmark = pytest.mark.django_db

V = QualityAnswer.Verdict
PERIOD = {"period_start": date(2026, 1, 1), "period_end": date(2026, 3, 31)}
TODAY = date(2026, 4, 15)


def issued(consultant, decided_on: date, **fields) -> Indication:
    return IndicationFactory(vastgesteld=True, consultant=consultant, decision_date=decided_on, **fields)


@pytest.fixture
def colleague(db):
    return staff_member(CONSULENT, username="consulent-twee", first_name="Joost", last_name="van der Linden")


@pytest.fixture
def outsider(db):
    """A consultant in another team: not the team lead's to check."""
    return staff_member(CONSULENT, username="consulent-elders", team=TeamFactory(name="Team Elders"))


def draw(lead, *, seed="vast", per_consultant=2, **period):
    return quality.draw_sample(by=lead, per_consultant=per_consultant, seed=seed, today=TODAY, **{**PERIOD, **period})


def all_meet(note=""):
    return {question.pk: AnswerInput(V.MEETS, note) for question in quality.active_questions()}


def sampled(sample) -> set[int]:
    return set(sample.checks.values_list("indication_id", flat=True))


# -- the draw ----------------------------------------------------------------------------------


def test_the_draw_takes_n_per_consultant_of_the_leads_teams_within_the_period(
    team_lead, consultant, colleague, outsider
):
    mine = [issued(consultant, date(2026, 1, 10) + timedelta(days=i)) for i in range(5)]
    theirs = [issued(colleague, date(2026, 2, 1))]
    issued(consultant, date(2025, 12, 31))  # before the period
    issued(consultant, date(2026, 4, 1))  # after it
    issued(outsider, date(2026, 2, 1))  # another team
    issued(team_lead, date(2026, 2, 1))  # the lead's own
    IndicationFactory(consultant=consultant)  # a concept: never issued

    sample = draw(team_lead)

    checks = list(sample.checks.all())
    assert {c.indication_id for c in checks if c.consultant == consultant} <= {i.pk for i in mine}
    assert len([c for c in checks if c.consultant == consultant]) == 2
    # A consultant with fewer beschikkingen than asked gets all of theirs.
    assert {c.indication_id for c in checks if c.consultant == colleague} == {theirs[0].pk}
    assert len(checks) == 3
    assert all(c.status == QualityCheck.Status.OPEN for c in checks)
    assert sample.seed == "vast" and sample.method == quality.METHOD and sample.per_consultant == 2


def test_the_draw_is_reproducible_with_its_seed_and_differs_with_another(team_lead, consultant):
    for i in range(30):
        issued(consultant, date(2026, 1, 1) + timedelta(days=i))
    candidate_ids = list(quality.candidates(lead=team_lead, **PERIOD).values_list("id", flat=True))

    again = quality.pick(candidate_ids, seed="vast", consultant_id=consultant.pk, size=3)
    assert again == quality.pick(list(reversed(candidate_ids)), seed="vast", consultant_id=consultant.pk, size=3)
    others = {tuple(quality.pick(candidate_ids, seed=f"s{n}", consultant_id=consultant.pk, size=3)) for n in range(5)}
    assert len(others) > 1  # the seed decides the choice: not always the same three

    sample = draw(team_lead, seed="vast", per_consultant=3)
    assert sorted(sampled(sample)) == again


def test_a_beschikking_is_never_sampled_twice(team_lead, consultant):
    for i in range(3):
        issued(consultant, date(2026, 1, 5) + timedelta(days=i))

    first = draw(team_lead, per_consultant=2)
    second = draw(team_lead, per_consultant=2)

    assert len(sampled(second)) == 1 and not sampled(first) & sampled(second)
    with pytest.raises(ValidationError) as error:
        draw(team_lead)
    assert "geen vastgestelde beschikkingen" in str(error.value)
    assert QualitySample.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"period_start": date(2026, 3, 1), "period_end": date(2026, 2, 1)}, "period_end"),
        ({"period_start": date(2026, 5, 1), "period_end": date(2026, 5, 31)}, "period_start"),
        ({"per_consultant": 0}, "per_consultant"),
        ({"per_consultant": quality.MAX_PER_CONSULTANT + 1}, "per_consultant"),
    ],
)
def test_a_bad_draw_is_a_dutch_error_and_writes_nothing(team_lead, consultant, fields, key):
    issued(consultant, date(2026, 1, 10))
    with pytest.raises(ValidationError) as error:
        draw(team_lead, **fields)
    assert key in error.value.message_dict
    assert not QualitySample.objects.exists() and not QualityCheck.objects.exists()


def test_the_draw_is_audited_with_its_seed(team_lead, consultant):
    indication = issued(consultant, date(2026, 1, 10))
    sample = draw(team_lead)
    event = AuditEvent.objects.get(object_type="indications.qualitysample", object_id=str(sample.pk))
    assert event.actor == team_lead and event.changes["seed"] == "vast"
    assert event.changes["indications"] == [indication.pk]


# -- the answers -------------------------------------------------------------------------------


@pytest.fixture
def open_check(team_lead, consultant):
    issued(consultant, date(2026, 1, 10))
    return draw(team_lead).checks.get()


def test_every_active_question_needs_an_answer(team_lead, open_check):
    answers = all_meet()
    answers.pop(quality.active_questions().first().pk)
    with pytest.raises(ValidationError) as error:
        quality.record_answers(open_check, by=team_lead, answers=answers, complete=True)
    assert "Beantwoord deze vraag" in str(error.value)
    open_check.refresh_from_db()
    assert open_check.is_open and not open_check.answers.exists()


def test_voldoet_niet_needs_a_note_and_a_failure_writes_nothing(team_lead, open_check):
    first = quality.active_questions().first()
    quality.record_answers(open_check, by=team_lead, answers=all_meet())
    answers = {**all_meet(), first.pk: AnswerInput(V.FAILS, "  ")}
    with pytest.raises(ValidationError) as error:
        quality.record_answers(open_check, by=team_lead, answers=answers, complete=True)
    assert f"note_{first.pk}" in error.value.message_dict
    # The earlier answers stand untouched; the check is still open.
    assert set(open_check.answers.values_list("verdict", flat=True)) == {V.MEETS}
    open_check.refresh_from_db()
    assert open_check.is_open


def test_an_inactive_question_is_not_asked_and_not_accepted(team_lead, open_check):
    retired = quality.active_questions().last()
    retired.is_active = False
    retired.save()
    answers = all_meet()
    quality.record_answers(open_check, by=team_lead, answers=answers, complete=True)
    assert not open_check.answers.filter(question=retired).exists()
    assert open_check.answers.count() == QualityQuestion.objects.filter(is_active=True).count()


def test_recording_and_completing_a_check(team_lead, open_check):
    first = quality.active_questions().first()
    answers = {**all_meet(), first.pk: AnswerInput(V.FAILS, "Netwerk niet onderzocht")}
    quality.record_answers(open_check, by=team_lead, answers=answers, conclusion="Besproken.")
    open_check.refresh_from_db()
    assert open_check.is_open and open_check.reviewer == team_lead
    assert open_check.answers.get(question=first).note == "Netwerk niet onderzocht"

    quality.complete_check(open_check, by=team_lead)
    open_check.refresh_from_db()
    assert open_check.status == QualityCheck.Status.DONE and open_check.completed_at is not None
    events = AuditEvent.objects.filter(object_type="indications.qualitycheck", object_id=str(open_check.pk))
    assert list(events.order_by("id").values_list("action", flat=True)) == ["update", "transition"]
    with pytest.raises(ValidationError, match="al afgerond"):
        quality.record_answers(open_check, by=team_lead, answers=all_meet())


def test_a_check_cannot_be_completed_before_every_question_is_answered(team_lead, open_check):
    with pytest.raises(ValidationError, match="Beantwoord eerst"):
        quality.complete_check(open_check, by=team_lead)


def test_a_consultant_cannot_answer_a_check(consultant, colleague, open_check):
    for user in (consultant, colleague):
        with pytest.raises(ValidationError):
            quality.record_answers(open_check, by=user, answers=all_meet(), complete=True)
    assert not open_check.answers.exists()


# -- the findings ------------------------------------------------------------------------------


def complete(check, lead, failing: set[int] = frozenset(), not_applicable: set[int] = frozenset()):
    answers = {}
    for question in quality.active_questions():
        if question.pk in failing:
            answers[question.pk] = AnswerInput(V.FAILS, "Onvoldoende gemotiveerd")
        elif question.pk in not_applicable:
            answers[question.pk] = AnswerInput(V.NOT_APPLICABLE)
        else:
            answers[question.pk] = AnswerInput(V.MEETS)
    quality.record_answers(check, by=lead, answers=answers, complete=True)


def test_the_findings_per_consultant_per_quarter(team_lead, consultant, colleague, outsider):
    q1, q2, *_rest = quality.active_questions()
    a = issued(consultant, date(2026, 1, 10))
    b = issued(consultant, date(2026, 2, 10))
    c = issued(consultant, date(2026, 4, 2))
    issued(colleague, date(2026, 1, 20))  # drawn but left open: not counted
    sample = draw(team_lead, per_consultant=5, period_end=date(2026, 4, 10))
    checks = {check.indication_id: check for check in sample.checks.all()}
    complete(checks[a.pk], team_lead, failing={q1.pk})
    complete(checks[b.pk], team_lead, not_applicable={q1.pk}, failing={q2.pk})
    complete(checks[c.pk], team_lead)

    rows = quality.findings(team_lead)

    assert [(row.consultant, row.quarter_label, row.checks_done) for row in rows] == [
        (consultant, "2026-K1", 2),
        (consultant, "2026-K2", 1),
    ]
    first_quarter = rows[0]
    assert (first_quarter.questions[q1.pk].meets, first_quarter.questions[q1.pk].applicable) == (0, 1)
    assert first_quarter.questions[q1.pk].share == 0
    assert (first_quarter.questions[q2.pk].meets, first_quarter.questions[q2.pk].applicable) == (1, 2)
    assert first_quarter.questions[q2.pk].share == 50
    assert rows[1].questions[q1.pk].share == 100
    # Another team's lead sees none of it.
    other_lead = staff_member(TEAMLEIDER, username="teamleider-elders", team=outsider.teams.get())
    assert quality.findings(other_lead) == []


def test_the_findings_take_two_queries(team_lead, consultant, colleague, django_assert_num_queries):
    for who in (consultant, colleague):
        for day in (date(2026, 1, 10), date(2026, 2, 10), date(2026, 3, 10)):
            issued(who, day)
    for check in draw(team_lead, per_consultant=3).checks.all():
        complete(check, team_lead)
    with django_assert_num_queries(3):  # the counts, the answers, the consultants
        rows = quality.findings(team_lead)
    assert sum(row.checks_done for row in rows) == 6


# -- the pages ---------------------------------------------------------------------------------


def test_a_consultant_can_neither_draw_nor_see_findings(client, consultant, open_check):
    client.force_login(consultant)
    for url in (
        reverse("indications:quality_checks"),
        reverse("indications:quality_overview"),
        reverse("indications:quality_check", args=[open_check.uuid]),
    ):
        assert client.get(url).status_code == 403
    response = client.post(reverse("indications:quality_checks"), {**PERIOD, "per_consultant": 2})
    assert response.status_code == 403
    assert QualitySample.objects.count() == 1


def test_another_teams_lead_gets_a_404_on_the_check(client, open_check, outsider):
    other_lead = staff_member(TEAMLEIDER, username="teamleider-elders", team=outsider.teams.get())
    client.force_login(other_lead)
    assert client.get(reverse("indications:quality_check", args=[open_check.uuid])).status_code == 404


def test_the_lead_draws_answers_and_sees_the_overview_through_the_pages(client, team_lead, consultant):
    indication = issued(consultant, date.today() - timedelta(days=3))
    client.force_login(team_lead)
    page = client.get(reverse("indications:quality_checks"))
    assert page.status_code == 200 and "Steekproef trekken" in page.content.decode()

    bad = client.post(
        reverse("indications:quality_checks"),
        {"period_start": "2026-03-01", "period_end": "2026-02-01", "per_consultant": 2},
    )
    assert bad.status_code == 200 and "De einddatum ligt vóór de begindatum." in bad.content.decode()
    assert not QualitySample.objects.exists()

    today = date.today()
    response = client.post(
        reverse("indications:quality_checks"),
        {"period_start": today - timedelta(days=30), "period_end": today, "per_consultant": 2, "seed": "abc"},
    )
    assert response.status_code == 302
    check = QualityCheck.objects.get(indication=indication)
    url = reverse("indications:quality_check", args=[check.uuid])
    page = client.get(url).content.decode()
    assert indication.number in page and quality.active_questions().first().text in page

    first = quality.active_questions().first()
    data = {f"question_{q.pk}": V.MEETS for q in quality.active_questions()}
    data[f"question_{first.pk}"] = V.FAILS
    refused = client.post(url, {**data, "afronden": "1"})
    assert refused.status_code == 200
    assert "Licht toe waarom de beschikking hier niet aan voldoet." in refused.content.decode()
    check.refresh_from_db()
    assert check.is_open

    data[f"note_{first.pk}"] = "Geen afweging van het netwerk."
    assert client.post(url, {**data, "afronden": "1"}).status_code == 302
    check.refresh_from_db()
    assert not check.is_open

    overview = client.get(reverse("indications:quality_overview")).content.decode()
    assert "<svg" in overview and consultant.get_full_name() in overview
    total = quality.active_questions().count()
    assert f"{round(100 * (total - 1) / total)}%" in overview
