"""The IB rules of seed 002 checked against the client's other provisions: no IB where verblijf is a
necessary part of the support, no IB where the extramural package costs more than an intramural
one (the cost reference, as data), one dagdeel dagbesteding filled in with IB counts as one hour IB;
and the indication's primary life domain, which is one of its results' domains."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indications import ib_rules, services
from indications.models import ComplexityRule, CostReference, Indication, IndicationStatus, OtherProvision, Product
from indications.selectors import beschikking_cost
from tests.factories import AanvraagFactory, IndicationFactory, OtherProvisionFactory, get_result_domain, result_in

pytestmark = pytest.mark.django_db

K = OtherProvision.Kind
IB1_TARIFF = Decimal("337.66")  # 2016 tariff of IB1 per 4 weeks (reference data)
INTRAMURAL = Decimal("4900.00")  # the default cost reference (migration 0011)


@pytest.fixture(autouse=True)
def without_four_eyes():
    ComplexityRule.objects.update(is_active=False)


def errors_of(indication, today):
    return services.check_ib_rules(indication, today=today)


def codes(indication, today) -> set[str]:
    return {error.code for error in errors_of(indication, today)}


def error_with(indication, today, code) -> ValidationError:
    return next(error for error in errors_of(indication, today) if error.code == code)


def refused_codes(indication, today) -> set[str]:
    with pytest.raises(ValidationError) as failure:
        services.issue_beschikking(indication, by=indication.consultant, today=today)
    return {error.code for error in failure.value.error_list}


def provision(indication, kind, *, start=None, end=None, cost=None):
    return OtherProvisionFactory(
        client=indication.client,
        kind=kind,
        start_date=start or indication.start_date - timedelta(days=30),
        end_date=end,
        cost_per_period=cost,
    )


@pytest.fixture
def indication(ib_client):
    return IndicationFactory(client=ib_client, results=["financien", "sociaal-netwerk"])


def test_the_rules_have_stable_codes_in_the_rule_module():
    assert ib_rules.VERBLIJF_KINDS == (K.BESCHERMD_WONEN, K.WLZ)
    assert K.BESCHERMD_WONEN not in ib_rules.EXTRAMURAL_KINDS


# -- verblijf --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [K.BESCHERMD_WONEN, K.WLZ])
def test_no_ib_where_beschermd_wonen_or_wlz_covers_the_whole_period(indication, today, kind):
    provision(indication, kind)
    assert codes(indication, today) == {"verblijf_necessary"}
    assert (
        "Verblijf is dan een noodzakelijk onderdeel" in error_with(indication, today, "verblijf_necessary").messages[0]
    )
    # A motivation does not lift a rule that data decides.
    indication.verblijf_motivation = "Cliënt wil zelfstandig wonen."
    indication.save()
    assert refused_codes(indication, today) == {"verblijf_necessary"}


def test_beschermd_wonen_ending_within_the_period_asks_a_motivation(indication, today):
    """Moving out of beschermd wonen into a home of one's own: data cannot decide; the consultant motivates."""
    provision(indication, K.BESCHERMD_WONEN, end=indication.start_date + timedelta(days=30))
    assert codes(indication, today) == {"verblijf_motivation"}
    error = error_with(indication, today, "verblijf_motivation")
    assert error.params["field"] == "verblijf_motivation"
    assert "Motiveer waarom verblijf geen noodzakelijk onderdeel" in error.messages[0]
    indication.verblijf_motivation = "Uitstroom uit beschermd wonen naar een eigen woning per de tweede maand."
    indication.save()
    assert codes(indication, today) == set()
    assert services.issue_beschikking(indication, by=indication.consultant, today=today).status == (
        IndicationStatus.VASTGESTELD
    )


def test_opvang_in_the_period_asks_a_motivation(indication, today):
    provision(indication, K.OPVANG)
    assert codes(indication, today) == {"verblijf_motivation"}


def test_an_open_ended_indication_is_covered_by_open_ended_beschermd_wonen_only(indication, today):
    indication.end_date = None
    indication.save()
    bw = provision(indication, K.BESCHERMD_WONEN, end=indication.start_date + timedelta(days=400))
    assert "verblijf_necessary" not in codes(indication, today)
    assert "verblijf_motivation" in codes(indication, today)
    bw.end_date = None
    bw.save()
    assert "verblijf_necessary" in codes(indication, today)


def test_beschermd_wonen_outside_the_period_does_not_count(indication, today):
    provision(indication, K.BESCHERMD_WONEN, start=date(2020, 1, 1), end=indication.start_date - timedelta(days=1))
    provision(indication, K.WLZ, start=indication.end_date + timedelta(days=1))
    assert codes(indication, today) == set()


def test_beschermd_wonen_starting_during_the_period_asks_a_motivation(indication, today):
    provision(indication, K.BESCHERMD_WONEN, start=indication.start_date + timedelta(days=60))
    assert codes(indication, today) == {"verblijf_motivation"}


# -- extramural against intramural cost ------------------------------------------------------------


def test_the_default_cost_reference_is_reference_data():
    reference = CostReference.objects.get()
    assert reference.intramural_cost_per_period == INTRAMURAL
    assert reference.valid_to is None


def test_extramural_dearer_than_intramural_is_refused_at_the_boundary(indication, today):
    """IB 337.66 + known provisions against 4,900 per 4 weeks: equal is allowed, one cent more is not."""
    home_care = provision(indication, K.HUISHOUDELIJKE_ONDERSTEUNING, cost=Decimal("4000.00"))
    provision(indication, K.WIJKVERPLEGING, cost=INTRAMURAL - IB1_TARIFF - Decimal("4000.00"))
    assert codes(indication, today) == set()
    home_care.cost_per_period += Decimal("0.01")
    home_care.save()
    assert codes(indication, today) == {"extramural_exceeds_intramural"}
    message = error_with(indication, today, "extramural_exceeds_intramural").messages[0]
    assert "€ 4.900,01" in message and "€ 4.900,00" in message
    indication.extramural_cost_motivation = "Toch goedkoper."
    indication.save()
    assert refused_codes(indication, today) == {"extramural_exceeds_intramural"}


def test_the_cost_includes_the_opslag(indication, today):
    indication.opslag = True
    indication.opslag_motivation = "NAH"
    indication.save()
    provision(indication, K.DAGBESTEDING, cost=INTRAMURAL - IB1_TARIFF)  # fits without the opslag
    assert codes(indication, today) == {"extramural_exceeds_intramural"}


def test_the_reference_in_force_on_the_start_date_counts(indication, today):
    provision(indication, K.HUISHOUDELIJKE_ONDERSTEUNING, cost=Decimal("3000.00"))
    assert codes(indication, today) == set()
    CostReference.objects.update(valid_to=indication.start_date - timedelta(days=1))
    CostReference.objects.create(
        valid_from=indication.start_date,
        intramural_package="Wlz GGZ-W",
        intramural_cost_per_period=Decimal("3200.00"),
        ib_hour_rate=Decimal("62.00"),
    )
    assert codes(indication, today) == {"extramural_exceeds_intramural"}
    assert "Wlz GGZ-W" in error_with(indication, today, "extramural_exceeds_intramural").messages[0]


def test_unknown_cost_of_an_extramural_provision_asks_a_motivation(indication, today):
    provision(indication, K.VERVOER)
    assert codes(indication, today) == {"extramural_cost_motivation"}
    error = error_with(indication, today, "extramural_cost_motivation")
    assert error.params["field"] == "extramural_cost_motivation"
    assert "vervoer" in error.messages[0]
    indication.extramural_cost_motivation = "Drechthopper: enkele ritten per maand, ruim onder een intramuraal pakket."
    indication.save()
    assert codes(indication, today) == set()


def test_provisions_of_other_laws_or_outside_the_period_are_not_in_the_package(indication, today):
    provision(indication, K.BIJSTAND)
    provision(indication, K.JEUGDHULP)
    provision(indication, K.DAGBESTEDING, start=date(2020, 1, 1), end=indication.start_date - timedelta(days=1))
    assert codes(indication, today) == set()


def test_without_a_cost_reference_the_comparison_is_not_made(indication, today):
    provision(indication, K.HUISHOUDELIJKE_ONDERSTEUNING, cost=Decimal("9000.00"))
    CostReference.objects.all().delete()
    assert codes(indication, today) == set()


# -- dagdelen dagbesteding filled in with IB ---------------------------------------------------------


def test_a_dagdeel_dagbesteding_counts_as_one_hour_ib_in_the_cost(indication, today):
    provision(indication, K.DAGBESTEDING, cost=Decimal("400.00"))
    indication.dagbesteding_dagdelen_ib = 3
    indication.save()
    cost = beschikking_cost(indication)
    assert cost.dagdelen_per_period == Decimal("62.00") * 3 * 4  # 3 hours a week, 4 weeks, hour rate 62
    assert cost.per_period == IB1_TARIFF + Decimal("744.00")
    assert cost.total == cost.per_period * cost.periods
    assert codes(indication, today) == set()


def test_the_dagdelen_count_in_the_extramural_cost(indication, today):
    provision(indication, K.DAGBESTEDING, cost=INTRAMURAL - IB1_TARIFF - Decimal("248.00"))
    indication.dagbesteding_dagdelen_ib = 1  # 4 hours: 248.00, exactly at the reference
    indication.save()
    assert codes(indication, today) == set()
    indication.dagbesteding_dagdelen_ib = 2
    indication.save()
    assert codes(indication, today) == {"extramural_exceeds_intramural"}


def test_dagdelen_without_dagbesteding_are_refused(indication, today):
    indication.dagbesteding_dagdelen_ib = 2
    indication.save()
    assert codes(indication, today) == {"dagdelen_without_dagbesteding"}
    assert error_with(indication, today, "dagdelen_without_dagbesteding").params["field"] == (
        "dagbesteding_dagdelen_ib"
    )
    provision(indication, K.DAGBESTEDING, cost=Decimal("300.00"))
    assert codes(indication, today) == set()


def test_dagdelen_need_a_cost_reference(indication, today):
    provision(indication, K.DAGBESTEDING, cost=Decimal("300.00"))
    indication.dagbesteding_dagdelen_ib = 2
    indication.save()
    CostReference.objects.all().delete()
    assert codes(indication, today) == {"no_cost_reference"}


def test_no_more_than_ten_dagdelen_a_week(indication):
    indication.dagbesteding_dagdelen_ib = 11
    with pytest.raises(ValidationError) as failure:
        indication.full_clean()
    assert "dagbesteding_dagdelen_ib" in failure.value.message_dict


# -- primary life domain -----------------------------------------------------------------------------


def test_the_primary_domain_is_one_of_the_results_domains(indication, today):
    indication.primary_domain = get_result_domain("financien")
    indication.save()
    assert codes(indication, today) == set()
    indication.primary_domain = get_result_domain("huisvesting")
    indication.save()
    assert codes(indication, today) == {"primary_domain_not_in_results"}
    error = error_with(indication, today, "primary_domain_not_in_results")
    assert error.params["field"] == "primary_domain"
    assert "Huisvesting" in error.messages[0] or "huisvesting" in error.messages[0].lower()


# -- the indication form and the beschikking page -----------------------------------------------------


def _form_data(aanvraag, **extra) -> dict:
    start = aanvraag.received_on + timedelta(days=3)
    return {
        "aanvraag": aanvraag.pk,
        "kind": "eerste",
        "product": Product.objects.get(code="IB1").pk,
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=300)).isoformat(),
        "evaluation_date_1": (start + timedelta(days=90)).isoformat(),
        "resultaten-TOTAL_FORMS": "1",
        "resultaten-INITIAL_FORMS": "0",
        "resultaten-MIN_NUM_FORMS": "1",
        "resultaten-MAX_NUM_FORMS": "20",
        "resultaten-0-result": str(result_in("financien").pk),
        "resultaten-0-goal": "Betaalt de vaste lasten zelf.",
        **extra,
    }


@pytest.fixture
def aanvraag(ib_client, today):
    return AanvraagFactory(client=ib_client, received_on=today - timedelta(days=3))


def test_the_form_refuses_a_primary_domain_outside_the_results_at_its_field(client, consultant, aanvraag):
    client.force_login(consultant)
    response = client.post(
        f"/aanvragen/{aanvraag.uuid}/indicatie/",
        _form_data(aanvraag, primary_domain=get_result_domain("huisvesting").pk, treatment_needed="nee"),
    )
    assert response.status_code == 200
    assert "primary_domain" in response.context["form"].errors
    assert "geen domein van de gekozen resultaten" in response.context["form"].errors["primary_domain"][0]
    assert not Indication.objects.exists()


def test_the_form_saves_the_new_fields_and_the_beschikking_shows_them(client, consultant, aanvraag):
    OtherProvisionFactory(client=aanvraag.client, kind=K.DAGBESTEDING, cost_per_period=Decimal("350.00"))
    client.force_login(consultant)
    response = client.post(
        f"/aanvragen/{aanvraag.uuid}/indicatie/",
        _form_data(
            aanvraag,
            primary_domain=get_result_domain("financien").pk,
            treatment_needed="ja_wachtlijst",
            dagbesteding_dagdelen_ib="2",
        ),
    )
    assert response.status_code == 302
    indication = Indication.objects.get()
    assert indication.primary_domain.code == "financien"
    assert indication.treatment_needed == "ja_wachtlijst"
    assert indication.dagbesteding_dagdelen_ib == 2
    html = client.get(f"/indicaties/{indication.uuid}/").content.decode()
    assert "Primair leefdomein" in html and get_result_domain("financien").name in html
    assert "ja, cliënt wacht op behandeling" in html
    assert "2 dagdelen per week, geteld als 2 uur individuele begeleiding" in html
    assert "€ 496,00" in html or "€&nbsp;496,00" in html  # 2 hours x 4 weeks x 62


def test_an_empty_dagdelen_field_saves_as_no_dagdelen(client, consultant, aanvraag):
    client.force_login(consultant)
    response = client.post(f"/aanvragen/{aanvraag.uuid}/indicatie/", _form_data(aanvraag, dagbesteding_dagdelen_ib=""))
    assert response.status_code == 302
    indication = Indication.objects.get()
    assert indication.dagbesteding_dagdelen_ib == 0 and indication.primary_domain is None
    assert indication.treatment_needed == ""
