"""The files of an exported payment batch: CSV and XLSX per provider and for the whole batch (parsed
back, with their totals), and the SEPA credit transfer (pain.001.001.03) read with lxml."""

import csv
import hashlib
import io
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree
from openpyxl import load_workbook

from billing import payments
from billing.models import PaymentExport
from tests.billing.declaraties import IB1_MONTH_CENTS, billable_provider
from tests.billing.payments import billed_month, ib1_assignment, iban_for, with_bank_account
from tests.factories import TODAY, staff_member

pytestmark = pytest.mark.django_db
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


@pytest.fixture
def batch(provider, assignment):
    """October: the provider bills two toewijzingen, a second provider (with a BIC) one."""
    manager = staff_member("contractmanager")
    with_bank_account(provider, iban=iban_for("ABNA", 417164300))
    billed_month(provider, assignment, 2026, 10)
    billed_month(provider, ib1_assignment(provider), 2026, 10)
    other = billable_provider()
    other.name = "Zorg & Co"
    with_bank_account(other, bic="RABONL2U", account_holder="Zorg en Co BV")
    billed_month(other, ib1_assignment(other), 2026, 10)
    batch = payments.create_payment_batch(date(2026, 10, 1), by=manager, today=TODAY)
    return payments.export_payment_batch(batch, by=manager, today=TODAY, execution_date=date(2026, 11, 25))


def _file(batch, kind, provider=None) -> PaymentExport:
    return PaymentExport.objects.get(batch=batch, kind=kind, provider=provider)


def test_every_file_is_kept_with_its_sha256(batch):
    files = PaymentExport.objects.filter(batch=batch)
    assert sorted((item.provider_id is None, item.kind) for item in files) == sorted(
        [(True, "csv"), (True, "xlsx"), (True, "sepa")] + [(False, "csv"), (False, "xlsx")] * 2
    )
    for item in files:
        assert item.sha256 == hashlib.sha256(bytes(item.content)).hexdigest()


def test_the_batch_csv_has_every_declaratie_and_the_totals(batch, provider):
    rows = list(csv.reader(io.StringIO(bytes(_file(batch, "csv").content).decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Aanbieder",
        "AGB-code",
        "IBAN",
        "Declaratienummer",
        "Declaratieperiode",
        "Toegekende prestaties",
        "Bedrag",
    ]
    body = rows[1:]
    assert len(body) == 3 + 2 + 1  # three declaraties, a total per provider, the batch's total
    assert body[-1][0] == "Totaal betaalronde" and body[-1][-1] == "1097,40" and body[-1][5] == "3"
    provider_total = next(row for row in body if row[0] == f"Totaal {provider.name}")
    assert provider_total[-1] == "731,60"
    assert body[0][4] == "01-10-2026"


def test_the_provider_xlsx_holds_only_that_provider(batch, provider):
    workbook = load_workbook(io.BytesIO(bytes(_file(batch, "xlsx", provider).content)), read_only=True)
    sheet = workbook.worksheets[1]
    rows = [row for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Aanbieder"
    assert {row[0] for row in rows[1:3]} == {provider.name}
    assert len(rows) == 1 + 2 + 1  # header, two declaraties, the provider's total (no batch total)
    assert rows[-1][0] == f"Totaal {provider.name}" and rows[-1][-1] == pytest.approx(2 * IB1_MONTH_CENTS / 100)
    assert rows[1][4] == date(2026, 10, 1) or rows[1][4].date() == date(2026, 10, 1)
    selection = [row for row in workbook.worksheets[0].iter_rows(values_only=True)]
    assert ("Betaalronde", batch.number) in [tuple(row[:2]) for row in selection]


def test_the_sepa_file_is_a_pain_001_with_the_right_transfers(batch, provider):
    root = etree.fromstring(
        bytes(_file(batch, "sepa").content), etree.XMLParser(resolve_entities=False, no_network=True)
    )
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header.findtext("p:NbOfTxs", namespaces=NS) == "2"
    assert Decimal(header.findtext("p:CtrlSum", namespaces=NS)) == Decimal("1097.40")
    info = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert info.findtext("p:ReqdExctnDt", namespaces=NS) == "2026-11-25"
    assert info.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == "NL91ABNA0417164300"
    transfers = {
        tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS): (
            Decimal(tx.findtext("p:Amt/p:InstdAmt", namespaces=NS)),
            tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS),
            tx.findtext("p:CdtrAgt/p:FinInstnId/p:BIC", namespaces=NS),
            tx.findtext("p:Cdtr/p:Nm", namespaces=NS),
        )
        for tx in info.findall("p:CdtTrfTxInf", NS)
    }
    other = next(total for total in payments.provider_totals(batch) if total.provider_id != provider.pk)
    assert transfers == {
        f"{batch.number}-{provider.agb_code}": (Decimal("731.60"), provider.iban, None, provider.name),
        f"{batch.number}-{other.agb_code}": (Decimal("365.80"), other.iban, "RABONL2U", "Zorg en Co BV"),
    }
