"""Municipal membership over time (issue #15): the SDD carries out the Wmo for a municipality only
from its member_from up to and including its member_until. Six Drechtsteden municipalities in 2016
(seed 003), seven from 2018 (Hardinxveld-Giessendam; seed 000 speaks of seven in 2020)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.roles import CONSULENT
from indications import services
from indications.admin import MunicipalityForm
from indications.forms import ClientForm
from indications.ib_rules import check_ib_rules
from indications.models import Municipality
from indications.models.reference import WMO_2015_START
from tests.factories import (
    TODAY,
    ClientFactory,
    IndicationFactory,
    MeldingFactory,
    TeamFactory,
    build_case_file,
    get_municipality,
    staff_member,
)

HARDINXVELD = "Hardinxveld-Giessendam"
JOINED = date(2018, 1, 1)
SIX = ["Alblasserdam", "Dordrecht", "Hendrik-Ido-Ambacht", "Papendrecht", "Sliedrecht", "Zwijndrecht"]


def _names(queryset) -> list[str]:
    return list(queryset.order_by("name").values_list("name", flat=True))


@pytest.fixture
def hardinxveld_consultant(db):
    team = TeamFactory(name="Team Hardinxveld", municipalities=[HARDINXVELD])
    return staff_member(CONSULENT, team=team, username="consulent-hardinxveld")


def _hardinxveld_client():
    return ClientFactory(municipality=get_municipality(HARDINXVELD), city=HARDINXVELD)


def _end_membership(name: str, until: date) -> Municipality:
    municipality = get_municipality(name)
    municipality.member_until = until
    municipality.save(update_fields=["member_until"])
    return municipality


# -- the data ------------------------------------------------------------------------------------


def test_the_migration_gives_six_members_since_2015_and_hardinxveld_giessendam_from_2018(db):
    memberships = {m.name: (m.member_from, m.member_until) for m in Municipality.objects.all()}
    assert memberships == {**{name: (WMO_2015_START, None) for name in SIX}, HARDINXVELD: (JOINED, None)}


def test_members_on_a_day_and_in_a_year(db):
    assert _names(Municipality.objects.members_on(date(2016, 6, 1))) == SIX
    assert _names(Municipality.objects.members_on(JOINED - timedelta(days=1))) == SIX
    assert _names(Municipality.objects.members_on(JOINED)) == sorted([*SIX, HARDINXVELD])
    assert Municipality.objects.members_in_year(2016).count() == 6
    assert Municipality.objects.members_in_year(2018).count() == 7
    assert not Municipality.objects.members_on(date(2014, 12, 31)).exists()  # before the Wmo 2015
    # member_until is the last day of membership.
    _end_membership("Sliedrecht", date(2020, 12, 31))
    assert "Sliedrecht" in _names(Municipality.objects.members_on(date(2020, 12, 31)))
    assert "Sliedrecht" not in _names(Municipality.objects.members_on(date(2021, 1, 1)))
    assert "Sliedrecht" in _names(Municipality.objects.members_in_year(2020))
    assert "Sliedrecht" not in _names(Municipality.objects.members_in_year(2021))


def test_membership_ends_after_it_begins_in_the_database(db):
    dordrecht = get_municipality("Dordrecht")
    dordrecht.member_until = dordrecht.member_from
    with pytest.raises(ValidationError, match="na de begindatum"):
        dordrecht.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        dordrecht.save()


# -- the rules -----------------------------------------------------------------------------------


def test_a_new_client_lives_in_a_municipality_that_is_a_member_today(consultant):
    data = {
        "bsn": "111222333",
        "initials": "A.",
        "last_name": "de Boer",
        "date_of_birth": date(1970, 1, 1),
        "gender": "V",
        "municipality": get_municipality(HARDINXVELD),
    }
    with pytest.raises(ValidationError) as failure:
        services.register_client(by=consultant, today=date(2017, 6, 1), **data)
    assert "geen lid van de Sociale Dienst Drechtsteden" in failure.value.message_dict["municipality"][0]
    assert not Municipality.objects.get(name=HARDINXVELD).clients.exists()
    client = services.register_client(by=consultant, today=TODAY, **data)
    assert client.municipality.name == HARDINXVELD


def test_a_client_moves_only_to_a_member_but_keeps_a_former_members_file(consultant):
    _end_membership("Sliedrecht", TODAY - timedelta(days=10))
    client = ClientFactory()
    with pytest.raises(ValidationError) as failure:
        services.update_client(client, by=consultant, municipality=get_municipality("Sliedrecht"), today=TODAY)
    assert "municipality" in failure.value.message_dict
    client.refresh_from_db()
    assert client.municipality.name == "Dordrecht"
    # A client of the former member can still be corrected.
    former = ClientFactory(municipality=get_municipality("Sliedrecht"))
    services.update_client(former, by=consultant, street="Kerkbuurt", today=TODAY)
    former.refresh_from_db()
    assert former.street == "Kerkbuurt"


def test_a_melding_falls_within_the_membership(hardinxveld_consultant):
    client = _hardinxveld_client()
    arguments = {"client": client, "channel": "telefoon", "question": "Hulp", "consultant": hardinxveld_consultant}
    with pytest.raises(ValidationError) as failure:
        services.register_melding(received_on=JOINED - timedelta(days=1), by=hardinxveld_consultant, **arguments)
    assert "1 januari 2018" in failure.value.message_dict["received_on"][0]
    assert not client.meldingen.exists()
    melding = services.register_melding(received_on=JOINED, by=hardinxveld_consultant, today=TODAY, **arguments)
    assert melding.received_on == JOINED


def test_an_aanvraag_falls_within_the_membership(hardinxveld_consultant):
    client = _hardinxveld_client()
    with pytest.raises(ValidationError) as failure:
        services.register_aanvraag(
            client=client, received_on=date(2017, 12, 31), consultant=hardinxveld_consultant, by=hardinxveld_consultant
        )
    assert "geen lid" in failure.value.message_dict["received_on"][0]
    assert not client.aanvragen.exists()
    services.register_aanvraag(
        client=client, received_on=JOINED, consultant=hardinxveld_consultant, by=hardinxveld_consultant, today=TODAY
    )
    assert client.aanvragen.count() == 1


def test_a_beschikking_starts_within_the_membership(consultant):
    case = build_case_file(consultant=consultant)
    assert "municipality_not_member" not in {error.code for error in check_ib_rules(case.indication, today=TODAY)}
    dordrecht = get_municipality("Dordrecht")
    dordrecht.member_from = case.indication.start_date + timedelta(days=1)
    dordrecht.save(update_fields=["member_from"])
    case.indication.refresh_from_db()
    errors = {error.code: error for error in check_ib_rules(case.indication, today=TODAY)}
    assert errors["municipality_not_member"].params["field"] == "start_date"
    with pytest.raises(ValidationError, match="geen lid van de Sociale Dienst Drechtsteden"):
        services.issue_beschikking(case.indication, by=consultant, today=TODAY)
    case.indication.refresh_from_db()
    assert case.indication.status == case.indication.Status.CONCEPT and not case.indication.number


def test_a_beschikking_ends_on_or_before_the_last_day_of_membership(consultant):
    case = build_case_file(consultant=consultant)
    until = case.indication.start_date + timedelta(days=120)
    _end_membership("Dordrecht", until)
    case.indication.refresh_from_db()
    with pytest.raises(ValidationError, match="eindigt op"):
        services.issue_beschikking(case.indication, by=consultant, today=TODAY)
    # Ending with the membership (or before) is allowed: no membership error then.
    case.indication.end_date = until
    case.indication.save(update_fields=["end_date"])
    codes = {error.code for error in check_ib_rules(case.indication, today=TODAY)}
    assert "beyond_membership" not in codes and "municipality_not_member" not in codes
    issued = services.issue_beschikking(case.indication, by=consultant, today=TODAY)
    assert issued.number and issued.end_date == until


def test_an_open_ended_beschikking_cannot_outlast_a_membership_that_ends(consultant):
    case = build_case_file(consultant=consultant, end_date=None)
    _end_membership("Dordrecht", case.indication.start_date + timedelta(days=400))
    case.indication.refresh_from_db()
    assert "beyond_membership" in {error.code for error in check_ib_rules(case.indication, today=TODAY)}


# -- the pages -----------------------------------------------------------------------------------


def test_the_client_form_offers_todays_members_and_keeps_a_clients_own(db):
    _end_membership("Sliedrecht", TODAY - timedelta(days=1))
    choices = [name for _value, name in ClientForm().fields["municipality"].choices if _value]
    assert "Sliedrecht" not in choices and "Dordrecht" in choices and HARDINXVELD in choices
    former = ClientFactory(municipality=get_municipality("Sliedrecht"))
    choices = [name for _value, name in ClientForm(instance=former).fields["municipality"].choices if _value]
    assert "Sliedrecht" in choices


def _admin_form(municipality, **changes):
    data = {
        "code": municipality.code,
        "name": municipality.name,
        "member_from": municipality.member_from.isoformat(),
        "member_until": "",
        "signal_team": "",
        **changes,
    }
    return MunicipalityForm(data, instance=municipality)


def test_the_admin_edits_the_membership_but_not_past_the_case_file(consultant):
    dordrecht = get_municipality("Dordrecht")
    MeldingFactory(client=ClientFactory(), received_on=date(2016, 3, 1))
    form = _admin_form(dordrecht, member_from="2016-06-01")
    assert not form.is_valid()
    assert "1 maart 2016" in form.errors["member_from"][0]
    live = IndicationFactory(vastgesteld=True)
    form = _admin_form(dordrecht, member_until=(live.end_date - timedelta(days=1)).isoformat())
    assert not form.is_valid()
    assert "lopende beschikking" in form.errors["member_until"][0]
    form = _admin_form(dordrecht, member_until=dordrecht.member_from.isoformat())
    assert not form.is_valid() and "na de begindatum" in form.errors["member_until"][0]
    form = _admin_form(dordrecht, member_from="2015-06-01", member_until=live.end_date.isoformat())
    assert form.is_valid(), form.errors
    form.save()
    dordrecht.refresh_from_db()
    assert (dordrecht.member_from, dordrecht.member_until) == (date(2015, 6, 1), live.end_date)
