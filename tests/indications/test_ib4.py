"""IB4, the heavier begeleiding for the step from the Jeugdwet to the Wmo at 18 (seed 003): reference
data with its own code and a configurable tariff, heavier than IB3 for op- and afschaling, and only
for a client younger than its age limit (reference data, 23 by default) on the ingangsdatum."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError

from indications import services
from indications.ib_rules import age_on
from indications.models import ComplexityRule, Indication, Product
from indications.selectors import tariff_for
from tests.factories import IndicationFactory, ZrmAssessmentFactory, get_product

pytestmark = pytest.mark.django_db

START = date(2026, 11, 30)  # the factory's default ingangsdatum (TODAY + 7 days)


@pytest.fixture(autouse=True)
def without_four_eyes():
    ComplexityRule.objects.update(is_active=False)


def client_aged(years: int, *, days: int = 0):
    """A client (ZRM fit for IB on financiën and sociaal netwerk) who is `years` old on START plus
    `days` days; days=-1 is the day before that birthday."""
    born = START - relativedelta(years=years) - timedelta(days=days)
    return ZrmAssessmentFactory(client__date_of_birth=born, scores={"financien": 2, "sociaal-netwerk": 3}).client


def codes(indication, today) -> set[str]:
    return {error.code for error in services.check_ib_rules(indication, today=today)}


def test_ib4_is_reference_data_heavier_than_ib3_with_a_configurable_tariff(settings):
    ib4 = get_product("IB4")
    assert ib4.level > get_product("IB3").level
    assert list(Product.objects.values_list("code", flat=True)) == ["IB0", "IB1", "IB2", "IB3", "IB4"]
    assert (ib4.age_limit, ib4.allows_opslag, ib4.requires_end_date) == (23, False, False)
    assert tariff_for(ib4, date(2016, 12, 31)) is None
    tariff = tariff_for(ib4, date(2017, 1, 1))
    assert tariff.amount_per_period == Decimal(settings.SDD["IB4_TARIFF"])
    assert tariff.opslag_per_period is None


def test_age_on_counts_full_years():
    assert age_on(date(2008, 6, 1), date(2026, 5, 31)) == 17
    assert age_on(date(2008, 6, 1), date(2026, 6, 1)) == 18


@pytest.mark.parametrize("years, days, allowed", [(18, 0, True), (22, -1, True), (22, 0, True), (23, 0, False)])
def test_ib4_only_below_the_age_limit_on_the_ingangsdatum(today, years, days, allowed):
    # (22, -1): one day before the 22nd birthday; (23, 0): on the 23rd birthday, no longer.
    indication = IndicationFactory(client=client_aged(years, days=days), product=get_product("IB4"))
    assert codes(indication, today) == (set() if allowed else {"age_limit"})


def test_the_day_before_the_23rd_birthday_is_still_allowed(today):
    born = START - relativedelta(years=23) + timedelta(days=1)
    client = ZrmAssessmentFactory(client__date_of_birth=born, scores={"financien": 2, "sociaal-netwerk": 3}).client
    assert age_on(born, START) == 22
    assert codes(IndicationFactory(client=client, product=get_product("IB4")), today) == set()


def test_the_age_limit_is_data(today):
    older = client_aged(40)
    assert codes(IndicationFactory(client=older, product=get_product("IB4")), today) == {"age_limit"}
    Product.objects.filter(code="IB4").update(age_limit=None)
    Indication.objects.all().delete()
    assert codes(IndicationFactory(client=older, product=get_product("IB4")), today) == set()
    # Other products have no limit: an older client may have IB3.
    Indication.objects.all().delete()
    assert codes(IndicationFactory(client=older, product=get_product("IB3")), today) == set()


def test_an_age_refusal_stops_the_vaststelling(today):
    indication = IndicationFactory(client=client_aged(30), product=get_product("IB4"))
    with pytest.raises(ValidationError) as failure:
        services.issue_beschikking(indication, by=indication.consultant, today=today)
    assert "IB4 zwaar jongeren is voor jongeren tot 23 jaar" in str(failure.value)


def test_ib4_has_no_opslag(today):
    indication = IndicationFactory(
        client=client_aged(19), product=get_product("IB4"), opslag=True, opslag_motivation="PSY"
    )
    assert codes(indication, today) == {"opslag"}


def _successor(client, old, kind, code, today):
    return IndicationFactory(
        client=client, replaces=old, kind=kind, product=get_product(code), start_date=today, end_date=None
    )


def test_opschaling_from_ib3_to_ib4_and_afschaling_back(today):
    client = client_aged(19)
    old = IndicationFactory(client=client, actief=True, product=get_product("IB3"))
    assert codes(_successor(client, old, Indication.Kind.SCALE_UP, "IB4", today), today) == set()
    Indication.objects.filter(replaces=old).update(status=Indication.Status.INGETROKKEN)
    assert codes(_successor(client, old, Indication.Kind.SCALE_DOWN, "IB4", today), today) == {"not_lighter"}


def test_from_ib4_only_afschaling_is_lighter(today):
    client = client_aged(19)
    old = IndicationFactory(client=client, actief=True, product=get_product("IB4"))
    assert codes(_successor(client, old, Indication.Kind.SCALE_DOWN, "IB3", today), today) == set()
    Indication.objects.filter(replaces=old).update(status=Indication.Status.INGETROKKEN)
    assert codes(_successor(client, old, Indication.Kind.SCALE_UP, "IB3", today), today) == {"not_heavier"}
