"""The payment run's services (billing.payments): what a batch pays, once; credits after a payment;
providers carried over; frozen after export; cancel; the audit trail."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from audit.models import AuditEvent
from billing import payments
from billing.models import FrozenBatchError, PaymentBatch, PaymentExport, PaymentLine
from tests.billing.declaraties import IB1_MONTH_CENTS, billable_provider, credit_of, declaratie, line, submit
from tests.billing.payments import billed_month, ib1_assignment, month_period, with_bank_account
from tests.factories import TODAY, staff_member

pytestmark = pytest.mark.django_db
OCTOBER = date(2026, 10, 1)
NOVEMBER = date(2026, 11, 1)
IN_DECEMBER = date(2026, 12, 5)
IN_JANUARY = date(2027, 1, 6)


@pytest.fixture
def manager():
    return staff_member("contractmanager")


@pytest.fixture
def paid_provider(provider):
    return with_bank_account(provider)


def test_a_batch_pays_the_accepted_declaraties_per_provider(paid_provider, assignment, manager):
    billed_month(paid_provider, assignment, 2026, 10)
    rejected = line(assignment, amount_cents=1, reference="WRONG1")  # 9346: not accepted, not paid
    submit(declaratie(rejected), paid_provider)
    other = with_bank_account(billable_provider())
    billed_month(other, ib1_assignment(other), 2026, 9)  # an earlier month is paid too

    batch = payments.create_payment_batch(date(2026, 10, 17), by=manager, today=TODAY)

    assert batch.month == OCTOBER and batch.status == PaymentBatch.Status.CONCEPT
    assert batch.number == "BR202610-1"
    assert batch.total_cents == 2 * IB1_MONTH_CENTS and batch.transfers == 2
    totals = {total.provider_id: total.amount_cents for total in payments.provider_totals(batch)}
    assert totals == {paid_provider.pk: IB1_MONTH_CENTS, other.pk: IB1_MONTH_CENTS}
    assert PaymentLine.objects.filter(batch=batch).count() == 2  # the wholly rejected line's declaratie is not paid
    event = AuditEvent.objects.get(object_type="billing.paymentbatch", action=AuditEvent.Action.CREATE)
    assert event.changes["total_cents"] == 2 * IB1_MONTH_CENTS


def test_a_declaratie_is_never_in_two_batches(paid_provider, assignment, manager):
    billed_month(paid_provider, assignment, 2026, 10)
    october = payments.create_payment_batch(OCTOBER, by=manager, today=TODAY)
    payments.export_payment_batch(october, by=manager, today=TODAY)
    billed_month(paid_provider, assignment, 2026, 11, today=IN_DECEMBER)

    november = payments.create_payment_batch(NOVEMBER, by=manager, today=IN_DECEMBER)

    assert november.total_cents == IB1_MONTH_CENTS  # October's declaratie is not paid again
    line_of_october = PaymentLine.objects.get(batch=october)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentLine.objects.create(
            batch=november,
            provider=paid_provider,
            declaratie=line_of_october.declaratie,
            amount_cents=1,
            accepted_lines=1,
        )


def test_a_credit_after_a_payment_lands_exactly_once_in_the_next_batch(paid_provider, assignment, manager):
    _outcome, october_debit = billed_month(paid_provider, assignment, 2026, 10)
    october = payments.create_payment_batch(OCTOBER, by=manager, today=TODAY)
    payments.export_payment_batch(october, by=manager, today=TODAY)
    period = month_period(2026, 11)
    november_debits = [
        line(item, period_start=period[0], period_end=period[1]) for item in (assignment, ib1_assignment(paid_provider))
    ]
    submit(
        declaratie(credit_of(october_debit), *november_debits, period=period, dagtekening=period[1]),
        paid_provider,
        today=IN_DECEMBER,
    )

    november = payments.create_payment_batch(NOVEMBER, by=manager, today=IN_DECEMBER)
    assert november.total_cents == -IB1_MONTH_CENTS + 2 * IB1_MONTH_CENTS
    payments.export_payment_batch(november, by=manager, today=IN_DECEMBER)
    billed_month(paid_provider, assignment, 2026, 12, today=IN_JANUARY)
    december = payments.create_payment_batch(date(2026, 12, 1), by=manager, today=IN_JANUARY)

    assert december.total_cents == IB1_MONTH_CENTS  # the credit is not settled a second time
    paid = sum(PaymentLine.objects.values_list("amount_cents", flat=True))
    assert paid == 3 * IB1_MONTH_CENTS  # October paid and credited, two in November, one in December


def test_a_provider_whose_credits_exceed_its_debits_is_carried_over(paid_provider, assignment, manager):
    _outcome, october_debit = billed_month(paid_provider, assignment, 2026, 10)
    october = payments.create_payment_batch(OCTOBER, by=manager, today=TODAY)
    payments.export_payment_batch(october, by=manager, today=TODAY)
    period = month_period(2026, 11)
    submit(declaratie(credit_of(october_debit), period=period, dagtekening=period[1]), paid_provider, today=IN_DECEMBER)
    other = with_bank_account(billable_provider())
    billed_month(other, ib1_assignment(other), 2026, 11, today=IN_DECEMBER)

    november = payments.create_payment_batch(NOVEMBER, by=manager, today=IN_DECEMBER)

    assert november.transfers == 1 and november.total_cents == IB1_MONTH_CENTS
    assert [item["provider_id"] for item in november.carried_over] == [paid_provider.pk]
    assert november.carried_over[0]["net_cents"] == -IB1_MONTH_CENTS
    assert november.carried_over[0]["reason"] == "credit"
    assert not PaymentLine.objects.filter(batch=november, provider=paid_provider).exists()
    # Settled in the next batch against the provider's new debits.
    payments.export_payment_batch(november, by=manager, today=IN_DECEMBER)
    billed_month(paid_provider, assignment, 2026, 12, today=IN_JANUARY)
    billed_month(paid_provider, assignment, 2027, 1, today=date(2027, 2, 3))
    january = payments.create_payment_batch(date(2027, 1, 1), by=manager, today=date(2027, 2, 3))
    totals = {total.provider_id: total.amount_cents for total in payments.provider_totals(january)}
    assert totals[paid_provider.pk] == IB1_MONTH_CENTS  # -1 + 1 + 1 months


def test_a_provider_without_a_valid_iban_is_carried_over(provider, assignment, manager):
    billed_month(provider, assignment, 2026, 10)  # provider has no IBAN
    other = with_bank_account(billable_provider())
    billed_month(other, ib1_assignment(other), 2026, 10)

    batch = payments.create_payment_batch(OCTOBER, by=manager, today=TODAY)

    assert [(item["provider_id"], item["reason"]) for item in batch.carried_over] == [(provider.pk, "iban")]


@pytest.mark.parametrize(
    ("month", "code"),
    [(NOVEMBER, "month_not_ended"), (date(2026, 12, 1), "month_not_ended"), (date(2026, 8, 1), "nothing_to_pay")],
)
def test_a_batch_is_refused_for_a_month_not_ended_or_with_nothing_to_pay(
    paid_provider, assignment, manager, month, code
):
    billed_month(paid_provider, assignment, 2026, 10)
    with pytest.raises(ValidationError) as refused:
        payments.create_payment_batch(month, by=manager, today=TODAY)
    assert refused.value.error_dict["month"][0].code == code
    assert not PaymentBatch.objects.exists()


def test_one_batch_per_month_and_none_before_a_later_one(paid_provider, assignment, manager):
    billed_month(paid_provider, assignment, 2026, 10)
    payments.create_payment_batch(OCTOBER, by=manager, today=TODAY)
    for month, code in ((OCTOBER, "batch_exists"), (date(2026, 9, 1), "later_batch_exists")):
        with pytest.raises(ValidationError) as refused:
            payments.create_payment_batch(month, by=manager, today=TODAY)
        assert refused.value.error_dict["month"][0].code == code
    assert PaymentBatch.objects.count() == 1


def test_a_cancelled_concept_frees_its_declaraties(paid_provider, assignment, manager):
    billed_month(paid_provider, assignment, 2026, 10)
    first = payments.create_payment_batch(OCTOBER, by=manager, today=TODAY)
    payments.cancel_payment_batch(first, by=manager)

    again = payments.create_payment_batch(OCTOBER, by=manager, today=TODAY)

    first.refresh_from_db()
    assert first.status == PaymentBatch.Status.CANCELLED and not first.lines.exists()
    assert again.number == "BR202610-2" and again.total_cents == IB1_MONTH_CENTS
    with pytest.raises(FrozenBatchError):
        payments.export_payment_batch(first, by=manager, today=TODAY)
    assert (
        AuditEvent.objects.filter(object_type="billing.paymentbatch", action=AuditEvent.Action.TRANSITION).count() == 1
    )


def test_an_exported_batch_is_frozen(paid_provider, assignment, manager):
    billed_month(paid_provider, assignment, 2026, 10)
    batch = payments.export_payment_batch(
        payments.create_payment_batch(OCTOBER, by=manager, today=TODAY), by=manager, today=TODAY
    )
    assert batch.status == PaymentBatch.Status.EXPORTED and batch.execution_date == TODAY
    paid_line = batch.lines.get()
    export = batch.exports.first()

    with pytest.raises(FrozenBatchError):
        payments.cancel_payment_batch(batch, by=manager)
    with pytest.raises(FrozenBatchError):
        payments.export_payment_batch(batch, by=manager, today=TODAY)
    paid_line.amount_cents = 1
    with pytest.raises(FrozenBatchError):
        paid_line.save()
    with pytest.raises(FrozenBatchError):
        paid_line.delete()
    batch.total_cents = 1
    with pytest.raises(FrozenBatchError):
        batch.save()
    with pytest.raises(FrozenBatchError):
        export.save()
    assert PaymentLine.objects.get(pk=paid_line.pk).amount_cents == IB1_MONTH_CENTS
    assert PaymentBatch.objects.get(pk=batch.pk).total_cents == IB1_MONTH_CENTS
    event = AuditEvent.objects.get(object_type="billing.paymentbatch", action=AuditEvent.Action.TRANSITION)
    assert set(event.changes["files"].values()) == set(PaymentExport.objects.values_list("sha256", flat=True))


def test_the_database_refuses_a_change_to_an_exported_batch(paid_provider, assignment, manager):
    """Past the models (a queryset update): the database's own triggers keep the batch."""
    billed_month(paid_provider, assignment, 2026, 10)
    batch = payments.export_payment_batch(
        payments.create_payment_batch(OCTOBER, by=manager, today=TODAY), by=manager, today=TODAY
    )
    for queryset, change in (
        (PaymentLine.objects.filter(batch=batch), {"amount_cents": 1}),
        (PaymentBatch.objects.filter(pk=batch.pk), {"total_cents": 1}),
        (PaymentExport.objects.filter(batch=batch), {"sha256": "0" * 64}),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            queryset.update(**change)
    assert PaymentLine.objects.get(batch=batch).amount_cents == IB1_MONTH_CENTS
