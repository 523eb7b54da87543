"""The reconciliation pages of contract management (billing.views): per provider and month of a
year what was submitted, accepted, rejected and expected, with the budgets; one provider's month
with its declaraties, the rejections by retourcode (WJ001) with their Dutch meaning and, for those
who may see client data, the lines with a masked BSN. Other roles get 403; queries are bounded."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import CONTRACTMANAGER, FUNCTIONEEL_BEHEERDER
from billing import services
from providers.models import Contract
from tests.billing.declaraties import IB1_MONTH_CENTS, billable_provider, declaratie, ib1_assignment, line, submit
from tests.factories import staff_member

pytestmark = pytest.mark.django_db

OCTOBER = date(2026, 10, 1)


@pytest.fixture
def contract_manager(db):
    return staff_member(CONTRACTMANAGER, username="contractmanager-test")


@pytest.fixture
def billed(provider):
    """October 2026: one accepted line, one with the wrong amount (9346) and one of an unknown
    toewijzing (9338); a contract budget."""
    good = ib1_assignment(provider)
    submit(
        declaratie(
            line(good),
            line(ib1_assignment(provider), amount_cents=IB1_MONTH_CENTS + 100),
            line(good, assignment_number="9999999999", reference="ONBEKEND1"),
        ),
        provider,
    )
    services.set_contract_budget(Contract.objects.get(provider=provider), year=2026, amount_cents=400_000, by=None)
    return provider


def overview_url(**query) -> str:
    return (
        reverse("billing:overview") + "?" + "&".join(f"{key}={value}" for key, value in {"jaar": 2026, **query}.items())
    )


def month_url(provider, month=OCTOBER) -> str:
    return reverse("billing:month", args=[provider.uuid, month.year, month.month])


def test_contract_management_sees_billed_accepted_rejected_and_expected_per_provider_and_month(
    client, contract_manager, billed
):
    client.force_login(contract_manager)

    response = client.get(overview_url())

    assert response.status_code == 200
    table = response.context["table"]
    october = [row for row in table.rows if row[1] == "oktober 2026"]
    ((name, _month, declaraties, lines, accepted, rejected, submitted, granted, refused, expected, share),) = october
    assert (str(name), declaraties, lines, accepted, rejected) == (billed.name, 1, 3, 1, 2)
    assert (submitted * 100, granted * 100, refused * 100) == (
        3 * IB1_MONTH_CENTS + 100,
        IB1_MONTH_CENTS,
        2 * IB1_MONTH_CENTS + 100,
    )
    assert expected * 100 == 2 * IB1_MONTH_CENTS  # two toewijzingen for the whole of October
    assert share == 50.0
    assert name.url == month_url(billed)
    # September was expected but not billed: it has a row with nothing submitted.
    assert any(row[1] == "september 2026" and row[3] == 0 for row in table.rows)
    assert response.context["budgets"].rows[0][0] == billed.name
    assert "Declaraties per aanbieder en maand in 2026" in response.content.decode()


def test_the_overview_filters_by_provider_and_municipality(client, contract_manager, billed):
    other = billable_provider()
    submit(declaratie(line(ib1_assignment(other))), other)
    client.force_login(contract_manager)

    everyone = client.get(overview_url()).context["table"].rows
    one = client.get(overview_url(aanbieder=billed.uuid)).context["table"].rows
    elsewhere = client.get(overview_url(gemeente="0000")).context

    assert {str(row[0]) for row in everyone} == {billed.name, other.name}
    assert {str(row[0]) for row in one} == {billed.name}
    assert "gemeente" in elsewhere["form"].errors


def test_a_bad_filter_is_a_form_error_not_a_500(client, contract_manager):
    client.force_login(contract_manager)

    response = client.get(overview_url(jaar="2999"))

    assert response.status_code == 200 and "jaar" in response.context["form"].errors
    assert "table" not in response.context


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_overview_downloads_as_csv_and_xlsx(client, contract_manager, billed, file_format):
    client.force_login(contract_manager)

    response = client.get(overview_url(export="afstemming-per-aanbieder-en-maand", formaat=file_format))

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    if file_format == "csv":
        text = body.decode("utf-8-sig")
        assert text.startswith("Aanbieder;Maand;Declaraties") and billed.name in text
    else:
        assert body[:2] == b"PK"


def test_the_month_shows_the_declaraties_and_the_rejections_by_retourcode_without_client_data(
    client, contract_manager, billed
):
    client.force_login(contract_manager)

    response = client.get(month_url(billed))

    assert response.status_code == 200
    rejections = response.context["rejections"].rows
    assert [(code, lines) for code, _meaning, lines, _cents in rejections] == [("9338", 1), ("9346", 1)]
    assert rejections[0][1].startswith("Niet iedere prestatie in een declaratiebericht")
    (row,) = response.context["declaratie_table"].rows
    assert row[4] == "deels geaccepteerd" and (row[5], row[6]) == (3, 1)
    page = response.content.decode()
    assert response.context["show_client"] is False and "Prestaties per declaratie" not in page
    bsn = billed.assignments.first().indication.client.bsn
    assert bsn not in page and bsn[-4:] not in page


def test_a_consultant_sees_the_lines_with_a_masked_bsn(client, consultant, billed):
    client.force_login(consultant)

    response = client.get(month_url(billed))

    page = response.content.decode()
    bsn = billed.assignments.first().indication.client.bsn
    assert response.status_code == 200 and "Prestaties per declaratie" in page
    assert f"*****{bsn[-4:]}" in page and bsn not in page
    ((_declaratie, lines),) = response.context["declaraties"]
    assert [item["line"].accepted for item in lines] == [True, False, False]
    assert lines[1]["codes"][0][0] == "9346"


@pytest.mark.parametrize("role", [FUNCTIONEEL_BEHEERDER, None])
def test_other_roles_get_403(client, user, billed, role):
    client.force_login(staff_member(role, username="beheer-test") if role else user)

    assert client.get(overview_url()).status_code == 403
    assert client.get(month_url(billed)).status_code == 403


def test_an_unknown_provider_or_month_is_404(client, contract_manager, billed):
    client.force_login(contract_manager)

    assert client.get(reverse("billing:month", args=[billed.uuid, 2026, 13])).status_code == 404
    assert (
        client.get(reverse("billing:month", args=["00000000-0000-0000-0000-000000000000", 2026, 10])).status_code == 404
    )


def test_the_menu_and_the_monitor_link_to_the_overview(client, contract_manager):
    client.force_login(contract_manager)

    page = client.get(reverse("monitor:dashboard") + "?year=2026").content.decode()

    assert page.count(f'href="{reverse("billing:overview")}') >= 2


def test_the_pages_run_a_bounded_number_of_queries(
    client, consultant, contract_manager, billed, django_assert_max_num_queries
):
    for _extra in range(3):
        other = billable_provider()
        submit(declaratie(line(ib1_assignment(other)), line(ib1_assignment(other))), other)
    submit(declaratie(line(ib1_assignment(billed), reference="MEER1")), billed)
    client.force_login(contract_manager)
    with django_assert_max_num_queries(15):  # +1: the second factor's device (django-otp) on every request
        assert client.get(overview_url()).status_code == 200
    client.force_login(consultant)
    with django_assert_max_num_queries(15):  # +1: the second factor's device (django-otp) on every request
        assert client.get(month_url(billed)).status_code == 200
