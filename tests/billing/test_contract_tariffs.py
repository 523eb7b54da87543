"""Contract prices per unit: the conversion of the 4-weekly result tariffs (× 13/12 per month,
rounded half up to the cent), and one tariff in force per contract, product and unit."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from billing import services
from billing.models import ContractBudget, ContractTariff
from indications.models import Tariff
from providers.models import Contract
from tests.factories import contracted_provider, get_product

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("per_four_weeks", "per_month"),
    [
        ("337.66", 36580),  # 33766 × 13 / 12 = 36579.83
        ("1234.56", 133744),  # exact: 1604928 / 12
        ("1000.00", 108333),  # 108333.33 down
        ("1000.06", 108340),  # 108339.83 up
        ("0.06", 7),  # 6.5: half up
    ],
)
def test_monthly_cents_is_13_twelfths_rounded_half_up(per_four_weeks, per_month):
    assert services.monthly_cents(Decimal(per_four_weeks)) == per_month


def test_the_conversion_gives_every_billable_product_its_price_per_stuk_per_maand():
    contract = Contract.objects.get(provider=contracted_provider())
    created = services.convert_result_tariffs(contract, by=None)
    prices = {(t.product.code, t.unit): (t.price_cents, t.opslag_cents) for t in created}
    # IB0 has no iWmo code (no Omvang, not billed per month); IB4 has no Omvang row either way.
    assert prices[("IB1", "82")] == (36580, 11965)  # 337.66 and 110.45 per 4 weken
    assert prices[("IB2", "82")] == (79317, 25946)  # 732.16 and 239.50
    assert prices[("IB3", "82")] == (121874, 39867)  # 1124.99 and 368.00
    assert ("IB0", "82") not in prices
    assert all(t.valid_from == date(2016, 1, 1) and t.valid_to is None for t in created)


def test_the_conversion_is_idempotent_and_follows_the_tariff_periods():
    contract = Contract.objects.get(provider=contracted_provider())
    ib1 = get_product("IB1")
    Tariff.objects.filter(product=ib1).update(valid_to=date(2025, 12, 31))
    Tariff.objects.create(product=ib1, valid_from=date(2026, 1, 1), amount_per_period=Decimal("350.00"))
    services.convert_result_tariffs(contract, by=None)
    assert services.convert_result_tariffs(contract, by=None) == []
    rows = list(ContractTariff.objects.filter(contract=contract, product=ib1).order_by("valid_from"))
    assert [(r.valid_from, r.valid_to, r.price_cents, r.opslag_cents) for r in rows] == [
        (date(2016, 1, 1), date(2025, 12, 31), 36580, 11965),
        (date(2026, 1, 1), None, 37917, None),  # 35000 × 13 / 12 = 37916.67
    ]


def test_an_overlapping_tariff_is_refused_with_a_dutch_message():
    contract = Contract.objects.get(provider=contracted_provider())
    ib1 = get_product("IB1")
    services.set_contract_tariff(
        contract, product=ib1, unit="82", valid_from=date(2026, 1, 1), valid_to=None, price_cents=100, by=None
    )
    with pytest.raises(ValidationError) as error:
        services.set_contract_tariff(
            contract, product=ib1, unit="82", valid_from=date(2026, 6, 1), valid_to=None, price_cents=200, by=None
        )
    assert "overlapt" in str(error.value)
    # Another unit of the same product is another price.
    services.set_contract_tariff(
        contract, product=ib1, unit="04", valid_from=date(2026, 6, 1), valid_to=None, price_cents=6000, by=None
    )


def test_the_database_holds_the_overlap_rule_on_postgresql():
    """Past the service, PostgreSQL refuses an overlapping period (the deferred exclusion
    constraint, checked here instead of at commit); SQLite has no such constraint and the service's
    check is the rule there."""
    contract = Contract.objects.get(provider=contracted_provider())
    ib1 = get_product("IB1")
    ContractTariff.objects.create(contract=contract, product=ib1, unit="82", valid_from=date(2026, 1, 1), price_cents=1)
    overlapping = ContractTariff(contract=contract, product=ib1, unit="82", valid_from=date(2026, 2, 1), price_cents=2)
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            overlapping.save()
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS contract_tariff_periods_do_not_overlap IMMEDIATE")
    else:
        with connection.cursor() as cursor:
            table_sql = connection.introspection.get_constraints(cursor, ContractTariff._meta.db_table)
        assert "contract_tariff_periods_do_not_overlap" not in table_sql
        overlapping.save()
        assert ContractTariff.objects.count() == 2


def test_a_budget_per_contract_per_year():
    contract = Contract.objects.get(provider=contracted_provider())
    services.set_contract_budget(contract, year=2026, amount_cents=10_000_000, by=None)
    services.set_contract_budget(contract, year=2026, amount_cents=12_000_000, by=None)
    assert list(ContractBudget.objects.values_list("year", "amount_cents")) == [(2026, 12_000_000)]
