"""Reference data from the data migration, model validation (tariff periods) and the database
constraints that back up the services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indications import tariffs
from indications.models import (
    Conversation,
    Indication,
    IndicationStatus,
    Intake,
    Municipality,
    Product,
    ResultDomain,
    Tariff,
    ZrmAssessment,
    ZrmDomain,
    ZrmScore,
)
from tests.factories import (
    ClientFactory,
    ConversationFactory,
    IndicationFactory,
    IndicationResultFactory,
    IntakeFactory,
    PlannedEvaluationFactory,
    ZrmAssessmentFactory,
    build_case_file,
    get_product,
    get_result_domain,
    result_in,
    set_zrm_scores,
)

pytestmark = pytest.mark.django_db


# -- reference data ------------------------------------------------------------------------------


def test_the_seven_municipalities_of_the_sdd():
    assert list(Municipality.objects.values_list("name", flat=True)) == [
        "Alblasserdam",
        "Dordrecht",
        "Hardinxveld-Giessendam",
        "Hendrik-Ido-Ambacht",
        "Papendrecht",
        "Sliedrecht",
        "Zwijndrecht",
    ]
    assert Municipality.objects.get(name="Dordrecht").code == "0505"


def test_the_ib_products_with_their_iwmo_codes_and_levels():
    rows = list(
        Product.objects.values_list(
            "code", "iwmo_code", "level", "requires_end_date", "max_duration_weeks", "allows_opslag"
        )
    )
    assert rows == [
        ("IB0", "", 0, False, None, False),
        ("IB1", "02A06", 1, False, None, True),
        ("IB2", "02A07", 2, True, 26, True),
        ("IB3", "02A09", 3, False, None, True),
        ("IB4", "", 4, False, None, False),  # the step at 18: no iWmo code given (seed 003)
    ]
    assert all(product.iwmo_category == "02" for product in Product.objects.all())


def test_score_1_is_ib_territory_only_in_dagbesteding_and_mental_health():
    assert set(ZrmDomain.objects.filter(allows_acute_score=True).values_list("code", flat=True)) == {
        "dagbesteding",
        "geestelijke-gezondheid",
    }


def test_the_result_areas_cover_the_zrm_domains_as_seed_002_takes_them_together():
    covered = {
        domain.code: sorted(domain.zrm_domains.values_list("code", flat=True)) for domain in ResultDomain.objects.all()
    }
    assert covered["geestelijke-gezondheid-verslaving"] == ["geestelijke-gezondheid", "verslaving"]
    assert covered["zelfzorg"] == ["adl", "lichamelijke-gezondheid"]
    assert covered["financien"] == ["financien"]
    assert len(covered) == 8
    justitie = get_result_domain("justitie")
    assert list(justitie.requires_any_of.values_list("code", flat=True)) == ["geestelijke-gezondheid-verslaving"]


def test_every_result_area_has_a_result_with_sub_results():
    for domain in ResultDomain.objects.all():
        result = result_in(domain.code)
        assert result is not None and result.sub_results.exists(), domain.code
    assert result_in("financien").sub_results.count() == 5


# -- tariffs: one tariff in force per product per day --------------------------------------------


def new_tariff(code, valid_from, valid_to=None, amount="400.00"):
    return Tariff(
        product=get_product(code), valid_from=valid_from, valid_to=valid_to, amount_per_period=Decimal(amount)
    )


@pytest.mark.parametrize(
    "valid_from, valid_to",
    [
        (date(2017, 1, 1), None),  # the 2016 tariff is open-ended
        (date(2015, 1, 1), date(2016, 1, 1)),  # ends on the first day of the 2016 tariff
        (date(2015, 1, 1), None),
        (date(2016, 1, 1), date(2016, 12, 31)),
    ],
)
def test_an_overlapping_tariff_is_refused(valid_from, valid_to):
    tariff = new_tariff("IB1", valid_from, valid_to)
    with pytest.raises(ValidationError) as failure:
        tariffs.validate_tariff(tariff)
    assert "overlapt" in failure.value.messages[0]


def test_a_new_tariff_follows_a_closed_one():
    Tariff.objects.filter(product__code="IB1").update(valid_to=date(2016, 12, 31))
    tariffs.validate_tariff(new_tariff("IB1", date(2017, 1, 1)))
    tariffs.validate_tariff(new_tariff("IB1", date(2015, 1, 1), date(2015, 12, 31)))  # before: also fine
    with pytest.raises(ValidationError):
        tariffs.validate_tariff(new_tariff("IB1", date(2016, 12, 31)))  # one day of overlap


def test_tariff_periods_of_other_products_do_not_matter():
    tariffs.validate_tariff(new_tariff("IB0", date(2016, 1, 1), date(2018, 7, 31)))


def test_a_tariff_may_be_edited_without_overlapping_itself():
    tariff = Tariff.objects.get(product__code="IB2")
    tariff.amount_per_period = Decimal("740.00")
    tariffs.validate_tariff(tariff)


def test_a_tariff_period_is_ordered_and_starts_once_per_product():
    with pytest.raises(ValidationError):
        new_tariff("IB0", date(2017, 1, 1), date(2016, 1, 1)).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        new_tariff("IB1", date(2016, 1, 1)).save()


# -- the case -------------------------------------------------------------------------------------


def test_client_names_and_masked_bsn():
    client = ClientFactory(
        first_name="Anna",
        initials="A.M.",
        name_prefix="van der",
        last_name="Berg",
        bsn="111222333",
        street="Voorstraat",
        house_number="12",
        postcode="3311 AB",
        city="Dordrecht",
    )
    assert client.full_name == str(client) == "Anna van der Berg"
    assert client.masked_bsn == "*****2333"
    assert client.address == "Voorstraat 12, 3311 AB Dordrecht"
    client.first_name = ""
    assert client.full_name == "A.M. van der Berg"


def test_a_concluded_intake_has_a_conclusion():
    intake = IntakeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Intake.objects.filter(pk=intake.pk).update(concluded_on=date(2026, 11, 1))


def test_the_conversation_lists_its_participants_in_dutch():
    conversation = ConversationFactory(participants=["client", "clientondersteuner", "onbekend"])
    assert conversation.get_participants_display() == "cliënt, cliëntondersteuner, onbekend"
    assert conversation.place == Conversation.Place.HOME


def test_a_zrm_score_lies_between_1_and_5_and_is_given_once_per_domain():
    assessment = ZrmAssessmentFactory()
    financien = ZrmDomain.objects.get(code="financien")
    with pytest.raises(IntegrityError), transaction.atomic():
        ZrmScore.objects.filter(assessment=assessment, domain=financien).update(score=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        ZrmScore.objects.create(assessment=assessment, domain=financien, score=3)


def test_a_zrm_belongs_to_an_onderzoek_or_an_evaluation_not_both():
    assessment = ZrmAssessmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ZrmAssessment.objects.filter(pk=assessment.pk).update(intake=None)


def test_set_zrm_scores_changes_adds_and_removes_scores():
    assessment = ZrmAssessmentFactory(scores={"financien": 2, "adl": None})
    set_zrm_scores(assessment, {"financien": 3, "adl": 2, "justitie": None})
    scores = {score.domain.code: score.score for score in assessment.scores.all()}
    assert (scores["financien"], scores["adl"]) == (3, 2)
    assert "justitie" not in scores
    assert len(scores) == ZrmDomain.objects.count() - 1


def test_a_beschikking_ends_after_it_starts():
    indication = IndicationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Indication.objects.filter(pk=indication.pk).update(end_date=indication.start_date)


@pytest.mark.parametrize("status", [IndicationStatus.VASTGESTELD, IndicationStatus.ACTIEF, IndicationStatus.BEEINDIGD])
def test_a_decided_beschikking_has_a_decision_date(status):
    indication = IndicationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Indication.objects.filter(pk=indication.pk).update(status=status)


@pytest.mark.parametrize(
    "status", [IndicationStatus.TER_BEOORDELING, IndicationStatus.GOEDGEKEURD, IndicationStatus.INGETROKKEN]
)
def test_undecided_statuses_need_no_decision_date(status):
    indication = IndicationFactory()
    Indication.objects.filter(pk=indication.pk).update(status=status)
    indication.refresh_from_db()
    assert not indication.is_decided


def test_is_decided_and_the_name_of_a_beschikking():
    concept = IndicationFactory()
    assert not concept.is_decided
    assert str(concept) == f"Concept IB1 ({concept.client})"
    issued = IndicationFactory(vastgesteld=True)
    assert issued.is_decided and str(issued) == issued.number


# -- the factories build what the services would -----------------------------------------------------


def test_factories_make_consistent_rows(today):
    result = IndicationResultFactory()
    assert result.sub_results.get().result == result.result
    assert result.indication.results.get() == result
    planned = PlannedEvaluationFactory()
    assert planned.indication.start_date < planned.planned_on < planned.indication.end_date
    beeindigd = IndicationFactory(beeindigd=True)
    assert beeindigd.start_date < beeindigd.ended_on == beeindigd.end_date < today


def test_a_case_file_passes_every_ib_rule(consultant, today):
    from indications.services import check_ib_rules

    case = build_case_file(consultant=consultant)
    assert case.intake.conclusion == Intake.Conclusion.MAATWERK and case.intake.conversations.exists()
    assert case.aanvraag.intake == case.intake and case.aanvraag.received_on > case.melding.received_on
    assert case.zrm.intake == case.intake
    assert check_ib_rules(case.indication, today=today) == []
    assert case.indication.start_date - today == timedelta(days=7)
