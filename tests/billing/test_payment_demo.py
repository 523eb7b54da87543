"""The demo's payment run: every provider gets a valid, deterministic IBAN and each past month a
batch (the last one a concept); running it again changes nothing."""

import pytest

from billing.models import PaymentBatch
from demo.declaraties import demo_iban, ensure_demo_payment_batches
from providers.iban import is_valid
from tests.billing.payments import billed_month
from tests.factories import TODAY

pytestmark = pytest.mark.django_db


def test_demo_ibans_and_batches(provider, assignment):
    billed_month(provider, assignment, 2026, 9)
    billed_month(provider, assignment, 2026, 10)

    assert ensure_demo_payment_batches(today=TODAY) == 2
    provider.refresh_from_db()
    assert is_valid(provider.iban) and provider.iban == demo_iban(provider)
    batches = list(PaymentBatch.objects.order_by("month").values_list("number", "status", "total_cents"))
    assert batches == [
        ("BR202609-1", PaymentBatch.Status.EXPORTED, 36580),
        ("BR202610-1", PaymentBatch.Status.CONCEPT, 36580),
    ]
    assert ensure_demo_payment_batches(today=TODAY) == 0


def test_the_iban_check():
    assert is_valid("NL91 ABNA 0417 1643 00") and is_valid("nl91abna0417164300")
    assert not is_valid("NL92ABNA0417164300")  # a check digit off
    assert not is_valid("NL91ABNA041716430")  # too short for NL
    assert not is_valid("")
