"""Reference data edited in the admin (/beheer/): tariff periods never overlap (the service checks a
product's rows together, PostgreSQL holds it in an exclusion constraint), and every add, change and
delete of tariffs, products and complexity rules leaves an audit event."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from audit.models import AuditEvent
from indications.models import ComplexityRule, Product, Tariff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheer(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def _iso(day):
    return day.isoformat() if day else ""


def product_post(product: Product, rows: list[dict]) -> dict:
    """The product change form as posted: the product unchanged, `rows` as its tariff inline
    (each {"tariff": Tariff or None, "valid_from", "valid_to", "amount", "delete"})."""
    data = {
        "code": product.code,
        "name": product.name,
        "iwmo_category": product.iwmo_category,
        "iwmo_code": product.iwmo_code,
        "level": product.level,
        "description": product.description,
        "max_duration_weeks": product.max_duration_weeks or "",
        "tariffs-TOTAL_FORMS": str(len(rows)),
        "tariffs-INITIAL_FORMS": str(sum(1 for row in rows if row.get("tariff"))),
        "tariffs-MIN_NUM_FORMS": "0",
        "tariffs-MAX_NUM_FORMS": "1000",
    }
    if product.requires_end_date:
        data["requires_end_date"] = "on"
    if product.allows_opslag:
        data["allows_opslag"] = "on"
    for index, row in enumerate(rows):
        tariff = row.get("tariff")
        prefix = f"tariffs-{index}-"
        data.update(
            {
                f"{prefix}id": tariff.pk if tariff else "",
                f"{prefix}product": product.pk,
                f"{prefix}valid_from": _iso(row["valid_from"]),
                f"{prefix}valid_to": _iso(row.get("valid_to")),
                f"{prefix}amount_per_period": row.get("amount", "400.00"),
                f"{prefix}opslag_per_period": row.get("opslag", tariff.opslag_per_period or "" if tariff else ""),
            }
        )
        if row.get("delete"):
            data[f"{prefix}DELETE"] = "on"
    return data


def change_url(product):
    return f"/beheer/indications/product/{product.pk}/change/"


def test_two_overlapping_rows_of_one_save_are_a_form_error_and_nothing_is_saved(beheer):
    product = Product.objects.get(code="IB1")
    stored = product.tariffs.get()
    rows = [
        {"tariff": stored, "valid_from": stored.valid_from, "valid_to": date(2024, 12, 31)},
        {"valid_from": date(2025, 1, 1), "valid_to": date(2025, 12, 31)},
        {"valid_from": date(2025, 6, 1)},
    ]
    response = beheer.post(change_url(product), product_post(product, rows))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert any("overlapt" in message for message in errors)
    assert list(product.tariffs.values_list("valid_from", "valid_to")) == [(stored.valid_from, None)]
    assert not AuditEvent.objects.filter(object_type="indications.tariff").exists()


def test_a_new_open_ended_row_beside_the_open_ended_stored_one_is_refused(beheer):
    product = Product.objects.get(code="IB2")
    stored = product.tariffs.get()
    rows = [{"tariff": stored, "valid_from": stored.valid_from}, {"valid_from": date(2026, 1, 1)}]
    response = beheer.post(change_url(product), product_post(product, rows))
    assert response.status_code == 200
    assert product.tariffs.count() == 1


def test_closing_a_period_and_adding_the_next_in_one_save_is_accepted_and_audited(beheer):
    product = Product.objects.get(code="IB1")
    stored = product.tariffs.get()
    rows = [
        {
            "tariff": stored,
            "valid_from": stored.valid_from,
            "valid_to": date(2025, 12, 31),
            "amount": str(stored.amount_per_period),
        },
        {"valid_from": date(2026, 1, 1), "amount": "812.50"},
    ]
    response = beheer.post(change_url(product), product_post(product, rows))
    assert response.status_code == 302
    assert list(product.tariffs.values_list("valid_from", "valid_to", "amount_per_period")) == [
        (stored.valid_from, date(2025, 12, 31), stored.amount_per_period),
        (date(2026, 1, 1), None, Decimal("812.50")),
    ]
    new = product.tariffs.get(valid_from=date(2026, 1, 1))
    changed = AuditEvent.objects.get(object_type="indications.tariff", object_id=str(stored.pk))
    assert changed.action == AuditEvent.Action.UPDATE and changed.actor == beheer.user
    assert changed.changes == {"valid_to": [None, "2025-12-31"]}
    added = AuditEvent.objects.get(object_type="indications.tariff", object_id=str(new.pk))
    assert added.action == AuditEvent.Action.CREATE
    assert added.changes["amount_per_period"] == [None, "812.50"]
    assert not AuditEvent.objects.filter(object_type="indications.product").exists()  # the product unchanged


def test_a_stored_period_deleted_in_the_same_save_no_longer_counts(beheer):
    product = Product.objects.get(code="IB1")
    stored = product.tariffs.get()
    rows = [{"tariff": stored, "valid_from": stored.valid_from, "delete": True}, {"valid_from": date(2020, 1, 1)}]
    assert beheer.post(change_url(product), product_post(product, rows)).status_code == 302
    assert list(product.tariffs.values_list("valid_from", flat=True)) == [date(2020, 1, 1)]
    deleted = AuditEvent.objects.get(object_type="indications.tariff", object_id=str(stored.pk))
    assert deleted.action == AuditEvent.Action.DELETE and "IB1" in deleted.summary


def test_an_overlapping_tariff_on_its_own_admin_page_is_a_form_error(beheer):
    product = Product.objects.get(code="IB3")
    response = beheer.post(
        "/beheer/indications/tariff/add/",
        {
            "product": product.pk,
            "valid_from": "2030-01-01",
            "valid_to": "",
            "amount_per_period": "900.00",
            "opslag_per_period": "",
        },
    )
    assert response.status_code == 200
    assert "overlapt" in str(response.context["adminform"].form.errors["valid_from"])
    assert product.tariffs.count() == 1


def test_editing_a_tariff_records_who_changed_which_field(beheer):
    tariff = Tariff.objects.get(product__code="IB0")
    response = beheer.post(
        f"/beheer/indications/tariff/{tariff.pk}/change/",
        {
            "product": tariff.product_id,
            "valid_from": tariff.valid_from.isoformat(),
            "valid_to": "",
            "amount_per_period": "1.00",
            "opslag_per_period": "",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(object_type="indications.tariff")
    assert (event.action, event.actor, event.object_id) == (AuditEvent.Action.UPDATE, beheer.user, str(tariff.pk))
    assert event.changes == {"amount_per_period": [str(tariff.amount_per_period), "1.00"]}


def test_complexity_rules_edited_in_the_list_and_deleted_are_audited(beheer):
    rule = ComplexityRule.objects.filter(threshold__isnull=False).first()
    rules = list(ComplexityRule.objects.all())
    data = {"form-TOTAL_FORMS": str(len(rules)), "form-INITIAL_FORMS": str(len(rules)), "_save": "Opslaan"}
    for index, item in enumerate(rules):
        data[f"form-{index}-id"] = item.pk
        data[f"form-{index}-threshold"] = (item.threshold or "") if item != rule else item.threshold + 1
        if item.is_active:
            data[f"form-{index}-is_active"] = "on"
    assert beheer.post("/beheer/indications/complexityrule/", data).status_code == 302
    event = AuditEvent.objects.get(object_type="indications.complexityrule")
    assert event.object_id == str(rule.pk)
    assert event.changes == {"threshold": [rule.threshold, rule.threshold + 1]}

    response = beheer.post(f"/beheer/indications/complexityrule/{rule.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ComplexityRule.objects.filter(pk=rule.pk).exists()
    deleted = AuditEvent.objects.get(object_type="indications.complexityrule", action=AuditEvent.Action.DELETE)
    assert deleted.object_id == str(rule.pk) and deleted.actor == beheer.user


def test_postgresql_holds_the_tariff_rule_in_an_exclusion_constraint():
    """On PostgreSQL the database refuses an overlapping period written past the service (checked
    at commit: the constraint is deferred); on SQLite there is no such constraint and the service's
    check is the rule."""
    product = Product.objects.get(code="IB1")
    overlapping = Tariff(product=product, valid_from=date(2030, 1, 1), amount_per_period=Decimal("1.00"))
    following = Tariff(
        product=Product.objects.get(code="IB2"), valid_from=date(2030, 1, 1), amount_per_period=Decimal("1.00")
    )
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            overlapping.save()
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS tariff_periods_do_not_overlap IMMEDIATE")
        Tariff.objects.filter(product=following.product).update(valid_to=date(2029, 12, 31))
        with transaction.atomic():
            following.save()
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS tariff_periods_do_not_overlap IMMEDIATE")
        assert following.pk is not None
    else:
        with connection.cursor() as cursor:
            table_sql = connection.introspection.get_constraints(cursor, Tariff._meta.db_table)
        assert "tariff_periods_do_not_overlap" not in table_sql
        overlapping.save()
        assert product.tariffs.count() == 2
