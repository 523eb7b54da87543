"""A consultant finds a signal on the worklist, takes it up and solves it; the pages pass axe."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from accounts.roles import CONSULENT
from signals.checks import CHECKS_BY_NAME
from signals.models import Signal, SignalStatus
from signals.services import run_check
from tests.factories import MeldingFactory, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Signals-test-2026!"


def test_consultant_takes_up_and_solves_a_signal(page, log_in, assert_accessible):
    consultant = staff_member(CONSULENT, username="signalen", password=PASSWORD)
    MeldingFactory(consultant=consultant, received_on=date.today() - timedelta(days=45))
    run_check(CHECKS_BY_NAME["termijn_onderzoek"], today=date.today(), force=True)
    signal = Signal.objects.get()

    log_in("signalen", PASSWORD)
    expect(page.get_by_role("heading", name="Signalen")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Signalen", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn signalen")
    assert_accessible(page)

    page.get_by_role("button", name="In behandeling").click()
    expect(page.get_by_text("Signaal bijgewerkt.")).to_be_visible()
    page.get_by_role("button", name="Opgelost").click()  # without a note: refused
    expect(page.get_by_text("Geef aan wat u gedaan heeft.", exact=True)).to_be_visible()  # at its row
    page.get_by_label("Toelichting").fill("Onderzoek afgerond met de cliënt")
    page.get_by_role("button", name="Opgelost").click()
    expect(page.get_by_text("Geen open signalen.")).to_be_visible()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.RESOLVED
