"""The payment-run pages: who may see and change them (403 otherwise), the form errors in Dutch next
to the field, vaststellen en exporteren by POST with a confirmation, audited downloads whose bytes
are the same every time (the same SHA-256)."""

import hashlib
from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import CONSULENT, CONTRACTMANAGER, FUNCTIONEEL_BEHEERDER, TEAMLEIDER
from audit.models import AuditEvent
from billing import payments
from billing.models import PaymentBatch
from tests.billing.payments import billed_month, with_bank_account
from tests.factories import TODAY, staff_member

pytestmark = pytest.mark.django_db
LIST = reverse("billing:payment_batches")


@pytest.fixture
def manager():
    return staff_member(CONTRACTMANAGER)


@pytest.fixture
def concept(provider, assignment, manager):
    with_bank_account(provider)
    billed_month(provider, assignment, 2026, 10)
    return payments.create_payment_batch(date(2026, 10, 1), by=manager, today=TODAY)


@pytest.fixture
def exported(concept, manager):
    return payments.export_payment_batch(concept, by=manager, today=TODAY)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("billing.payment_views.timezone.localdate", lambda: TODAY)


@pytest.mark.parametrize("role", [CONSULENT, TEAMLEIDER])
def test_other_roles_get_403(client, exported, role):
    client.force_login(staff_member(role))
    detail = reverse("billing:payment_batch", args=[exported.uuid])
    for url in (LIST, detail, reverse("billing:payment_file", args=[exported.uuid, "sepa"])):
        assert client.get(url).status_code == 403
    assert client.post(LIST, {"maand": "2026-10"}).status_code == 403
    assert client.post(reverse("billing:payment_batch_cancel", args=[exported.uuid])).status_code == 403


def test_functioneel_beheer_sees_but_does_not_change(client, concept):
    client.force_login(staff_member(FUNCTIONEEL_BEHEERDER))
    page = client.get(LIST)
    assert page.status_code == 200 and concept.number in page.content.decode()
    assert "Betaalronde aanmaken" not in page.content.decode()
    assert client.post(LIST, {"maand": "2026-09"}).status_code == 403
    export = reverse("billing:payment_batch_export", args=[concept.uuid])
    assert client.post(export, {"uitvoeringsdatum": "2026-11-25", "bevestigen": "on"}).status_code == 403
    concept.refresh_from_db()
    assert concept.status == PaymentBatch.Status.CONCEPT


def test_the_menu_shows_betaalrondes_to_contract_management(client, manager):
    client.force_login(manager)
    page = client.get(LIST).content.decode()
    assert f'href="{LIST}"' in page and 'aria-current="page"' in page


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("oktober", "Vul een maand in als jjjj-mm"),
        ("2026-13", "Vul een maand in als jjjj-mm"),
        ("", "Dit veld is verplicht."),
        ("2026-11", "Kies een maand die voorbij is"),
        ("2026-08", "Er zijn geen goedgekeurde declaraties om te betalen"),
    ],
)
def test_the_form_shows_dutch_errors_next_to_the_field(client, manager, provider, assignment, month, message):
    with_bank_account(provider)
    billed_month(provider, assignment, 2026, 10)
    client.force_login(manager)
    response = client.post(LIST, {"maand": month})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'id="id_maand_error"' in response.content.decode()
    assert not PaymentBatch.objects.exists()


def test_create_then_export_through_the_pages(client, manager, provider, assignment):
    with_bank_account(provider)
    billed_month(provider, assignment, 2026, 10)
    client.force_login(manager)
    created = client.post(LIST, {"maand": "2026-10"})
    batch = PaymentBatch.objects.get()
    assert created.status_code == 302 and created["Location"] == reverse("billing:payment_batch", args=[batch.uuid])
    detail = client.get(created["Location"]).content.decode()
    assert provider.name in detail and "€ 365,80" in detail and "Vaststellen en exporteren" in detail

    export = reverse("billing:payment_batch_export", args=[batch.uuid])
    unconfirmed = client.post(export, {"uitvoeringsdatum": "2026-11-25"})
    assert unconfirmed.status_code == 400 and "Bevestig dat u de betaalronde vaststelt." in unconfirmed.content.decode()
    past = client.post(export, {"uitvoeringsdatum": "2026-11-01", "bevestigen": "on"})
    assert past.status_code == 400 and "De uitvoeringsdatum ligt in het verleden." in past.content.decode()
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.CONCEPT

    done = client.post(export, {"uitvoeringsdatum": "2026-11-25", "bevestigen": "on"})
    batch.refresh_from_db()
    assert done.status_code == 302 and batch.status == PaymentBatch.Status.EXPORTED
    assert batch.execution_date == date(2026, 11, 25)
    page = client.get(done["Location"]).content.decode()
    assert "Download SEPA (pain.001)" in page and "Vaststellen en exporteren</button>" not in page
    again = client.post(export, {"uitvoeringsdatum": "2026-11-25", "bevestigen": "on"})
    assert again.status_code == 302  # a second export is a Dutch message, not a 500
    assert "al vastgesteld" in client.get(again["Location"]).content.decode()


def test_a_download_is_the_same_bytes_every_time_and_is_audited(client, manager, exported, provider):
    client.force_login(manager)
    urls = [reverse("billing:payment_file", args=[exported.uuid, kind]) for kind in ("csv", "xlsx", "sepa")]
    urls += [
        reverse("billing:payment_provider_file", args=[exported.uuid, kind, provider.uuid]) for kind in ("csv", "xlsx")
    ]
    for url in urls:
        first, second = client.get(url), client.get(url)
        assert first.status_code == 200 and first.content == second.content
        assert first["X-Content-SHA256"] == hashlib.sha256(first.content).hexdigest()
        assert "attachment" in first["Content-Disposition"]
    reads = AuditEvent.objects.filter(object_type="billing.paymentbatch", action=AuditEvent.Action.READ)
    assert reads.count() == 2 * len(urls) and all(event.actor == manager for event in reads)


def test_a_concept_has_no_files_and_unknown_kinds_are_404(client, manager, concept):
    client.force_login(manager)
    assert client.get(reverse("billing:payment_file", args=[concept.uuid, "sepa"])).status_code == 404
    assert client.get(reverse("billing:payment_file", args=[concept.uuid, "pdf"])).status_code == 404


def test_cancel_a_concept(client, manager, concept):
    client.force_login(manager)
    response = client.post(reverse("billing:payment_batch_cancel", args=[concept.uuid]))
    concept.refresh_from_db()
    assert response.status_code == 302 and concept.status == PaymentBatch.Status.CANCELLED


def test_the_list_and_detail_run_a_constant_number_of_queries(client, manager, exported, django_assert_max_num_queries):
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("billing:payment_batch", args=[exported.uuid])).status_code == 200
