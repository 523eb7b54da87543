"""The demo generator builds histories the services would accept, and is idempotent."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from accounts.models import Team
from accounts.selectors import clients_visible_to
from indications.demo import DEMO_USERS, generate_demo, reset_demo_case_data
from indications.models import Client, Indication, IndicationStatus, Intake, ZrmAssessment
from indications.services import check_ib_rules
from indications.validators import is_valid_bsn
from indications.workflow import LIVE_STATUSES
from providers.models import Provider

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)
# Rules that only hold at the moment of vaststellen: afterwards the planned evaluations have been
# held and the replaced beschikking has ended, as they should.
RULES_ONLY_AT_ISSUE = {"no_evaluation", "replaces_not_live"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        summary = generate_demo(clients=120, today=TODAY, seed=7)
        yield summary
        reset_demo_case_data()
        Provider.objects.all().delete()
        Team.objects.all().delete()
        get_user_model().objects.filter(username__in=[user[0] for user in DEMO_USERS]).delete()


def test_generates_the_requested_case_load(demo):
    assert demo.clients == 120
    assert Client.objects.count() == 120
    assert Indication.objects.exclude(status=IndicationStatus.CONCEPT).count() >= 100
    assert set(Indication.objects.values_list("product__code", flat=True)) >= {"IB1", "IB2", "IB3"}


def test_second_run_adds_nothing(demo):
    counts = (Client.objects.count(), Indication.objects.count(), ZrmAssessment.objects.count())
    again = generate_demo(clients=120, today=TODAY, seed=7)
    assert again.skipped
    assert (Client.objects.count(), Indication.objects.count(), ZrmAssessment.objects.count()) == counts


def test_every_bsn_passes_the_elfproef(demo):
    assert all(is_valid_bsn(bsn) for bsn in Client.objects.values_list("bsn", flat=True))


def test_every_decided_indication_keeps_the_ib_rules(demo):
    decided = Indication.objects.filter(decision_date__isnull=False).select_related("product", "replaces")
    for indication in decided:
        broken = {error.code for error in check_ib_rules(indication, today=indication.decision_date)}
        assert not broken - RULES_ONLY_AT_ISSUE, (indication.pk, broken)
        assert indication.planned_evaluations.exists()
        assert indication.number == f"IB-{indication.decision_date.year}-{indication.pk:07d}"


def test_ib2_is_always_bounded(demo):
    for indication in Indication.objects.filter(product__code="IB2"):
        assert indication.end_date is not None
        assert indication.end_date - indication.start_date < timedelta(weeks=indication.product.max_duration_weeks)


def test_no_client_has_two_overlapping_live_beschikkingen(demo):
    for client in Client.objects.annotate(live=Count("indications", filter=Q(indications__status__in=LIVE_STATUSES))):
        assert client.live <= 1, client.pk


def test_statuses_agree_with_the_dates(demo):
    assert not Indication.objects.filter(status=IndicationStatus.ACTIEF, start_date__gt=TODAY).exists()
    assert not Indication.objects.filter(status=IndicationStatus.ACTIEF, end_date__lt=TODAY).exists()
    assert not Indication.objects.filter(status=IndicationStatus.BEEINDIGD, end_date__gte=TODAY).exists()
    assert not Indication.objects.filter(status=IndicationStatus.VASTGESTELD, start_date__lte=TODAY).exists()


def test_referrals_have_nazorg_planned(demo):
    referrals = Intake.objects.filter(conclusion__in=Intake.REFERRAL_CONCLUSIONS)
    assert referrals.exists()
    assert not referrals.filter(nazorg_due_on__isnull=True).exists()


def test_demo_users_can_log_in(demo, client, settings):
    # The module fixture hashed the passwords with the project's real hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    for username, password, *_ in DEMO_USERS:
        assert client.login(username=username, password=password), username


def test_consultants_work_only_for_clients_of_their_teams(demo):
    for user in get_user_model().objects.filter(username__in=["consulent", "consulent2"]):
        visible = clients_visible_to(user)
        assert Indication.objects.filter(consultant=user).exists()
        assert not Indication.objects.filter(consultant=user).exclude(client__in=visible).exists()


def test_complex_concepts_wait_for_a_team_lead(demo):
    waiting = Indication.objects.filter(status=IndicationStatus.TER_BEOORDELING)
    for indication in waiting:
        assert indication.four_eyes_required
        assert indication.reviews.filter(outcome="").count() == 1
