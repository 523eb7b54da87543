"""A client's postcode, house number, phone and birth date: refused when implausible in the model
(so the admin and the services refuse them too) and on the form, next to the field, in Dutch."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from indications import services
from indications.models import Client
from indications.validators import (
    normalise_postcode,
    validate_date_of_birth,
    validate_house_number,
    validate_phone,
    validate_postcode,
)
from tests.factories import ClientFactory, bsn_for, get_municipality

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["3311 AB", "3311AB", "3311ab", " 3311 ab ", "1011 ZZ"])
def test_dutch_postcodes_pass(value):
    validate_postcode(value)


@pytest.mark.parametrize(
    "value",
    ["ABCD 12", "0311 AB", "331 AB", "33111 AB", "3311 A", "3311 SA", "3311 SS", "3311 SD", "3311-AB", "3311 A1"],
)
def test_other_postcodes_are_refused(value):
    with pytest.raises(ValidationError) as failure:
        validate_postcode(value)
    assert failure.value.code == "postcode"


@pytest.mark.parametrize("value, written", [("1234ab", "1234 AB"), (" 1234  Ab", "1234 AB"), ("1234 AB", "1234 AB")])
def test_a_postcode_is_stored_in_its_written_form(value, written):
    assert normalise_postcode(value) == written


@pytest.mark.parametrize("value", ["12", "1", "99999", "12A", "12 a", "12-2", "12 bis", "12A-1", "12hs", "3 III"])
def test_house_numbers_with_huisletter_and_toevoeging_pass(value):
    validate_house_number(value)


@pytest.mark.parametrize("value", ["twaalf!!", "0", "012", "A12", "123456", "12--2", "12 A B C", "12/2", "-"])
def test_other_house_numbers_are_refused(value):
    with pytest.raises(ValidationError) as failure:
        validate_house_number(value)
    assert failure.value.code == "house_number"


@pytest.mark.parametrize(
    "value",
    [
        "078-1234567",
        "0781234567",
        "06-12345678",
        "06 1234 5678",
        "+31 6 12345678",
        "+31612345678",
        "0031 78 123 4567",
        "+31 (0)78 123 4567",
        "(078) 123 45 67",
    ],
)
def test_dutch_landline_and_mobile_numbers_pass(value):
    validate_phone(value)


@pytest.mark.parametrize(
    "value",
    [
        "bel me maar",
        "12345",
        "06-1234567",
        "06-123456789",
        "+32 470 12 34 56",
        "0012345678",
        "+31 06 12345678",
        "06-1234567a",
    ],
)
def test_other_phone_numbers_are_refused(value):
    with pytest.raises(ValidationError) as failure:
        validate_phone(value)
    assert failure.value.code == "phone"


def test_a_birth_date_is_not_in_the_future_nor_over_120_years_ago(today):
    validate_date_of_birth(today, today=today)
    validate_date_of_birth(date(1906, 11, 23), today=today)
    with pytest.raises(ValidationError) as future:
        validate_date_of_birth(today + timedelta(days=1), today=today)
    with pytest.raises(ValidationError) as ancient:
        validate_date_of_birth(date(1906, 11, 22), today=today)
    assert (future.value.code, ancient.value.code) == ("born_in_future", "born_too_long_ago")


@pytest.mark.parametrize(
    "field, value",
    [
        ("date_of_birth", date(2030, 1, 1)),
        ("date_of_birth", date(1800, 1, 1)),
        ("postcode", "ABCD 12"),
        ("house_number", "twaalf!!"),
        ("phone", "bel me maar"),
    ],
)
def test_the_model_refuses_them_so_admin_and_services_do_too(consultant, field, value):
    data = {
        "bsn": bsn_for(4711),
        "last_name": "Jansen",
        "date_of_birth": date(1980, 1, 1),
        "gender": "M",
        "municipality": get_municipality(),
        field: value,
    }
    with pytest.raises(ValidationError) as failure:
        services.register_client(by=consultant, **data)
    assert field in failure.value.error_dict
    assert not Client.objects.exists()
    client = ClientFactory()
    with pytest.raises(ValidationError):
        services.update_client(client, by=consultant, **{field: value})


def test_the_service_stores_the_written_postcode_and_house_number(consultant):
    client = services.register_client(
        by=consultant,
        bsn=bsn_for(4712),
        last_name="Jansen",
        date_of_birth=date(1980, 1, 1),
        gender="M",
        municipality=get_municipality(),
        postcode="3311ab",
        house_number=" 12  a",
        phone="06 1234 5678",
    )
    client.refresh_from_db()
    assert (client.postcode, client.house_number) == ("3311 AB", "12 a")


def test_the_form_shows_each_refusal_next_to_its_field(client, consultant):
    client.force_login(consultant)
    data = {
        "bsn": bsn_for(4713),
        "last_name": "Jansen",
        "gender": "M",
        "municipality": get_municipality().pk,
        "date_of_birth": "2030-01-01",
        "postcode": "ABCD 12",
        "house_number": "twaalf!!",
        "phone": "bel me maar",
    }
    response = client.post("/clienten/nieuw/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"date_of_birth", "postcode", "house_number", "phone"}
    assert "toekomst" in errors["date_of_birth"][0]
    assert "Nederlandse postcode" in errors["postcode"][0]
    assert not Client.objects.exists()
    data.update(date_of_birth="1800-01-01")
    assert "120 jaar" in client.post("/clienten/nieuw/", data).context["form"].errors["date_of_birth"][0]


def test_the_form_accepts_and_normalises_a_loose_postcode(client, consultant):
    client.force_login(consultant)
    data = {
        "bsn": bsn_for(4714),
        "last_name": "Jansen",
        "gender": "M",
        "municipality": get_municipality().pk,
        "date_of_birth": (timezone.localdate() - timedelta(days=30 * 365)).isoformat(),
        "postcode": "3311ab",
        "house_number": "12A",
        "phone": "+31 6 12345678",
    }
    response = client.post("/clienten/nieuw/", data)
    assert response.status_code == 302
    assert Client.objects.get().postcode == "3311 AB"
