"""The BSN elfproef: 9 digits, weights 9..2 and -1, the sum divisible by 11."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from indications.models import Client
from indications.validators import is_valid_bsn, validate_bsn
from tests.factories import ClientFactory, bsn_for, get_municipality

# 111222333: 9+8+7+12+10+8+9+6-3 = 66 = 6 × 11.  123456782: 9+16+21+24+25+24+21+16-2 = 154 = 14 × 11.
VALID = ["111222333", "123456782", "999999990", "012345672"]
INVALID_ELFPROEF = ["111222334", "123456789", "999999999", "000000000"]
INVALID_FORMAT = ["12345678", "1234567820", "12345678a", " 11122233", "", "111-22-333"]


@pytest.mark.parametrize("bsn", VALID)
def test_valid_bsns_pass_the_elfproef(bsn):
    assert is_valid_bsn(bsn)
    validate_bsn(bsn)  # does not raise


@pytest.mark.parametrize("bsn", INVALID_ELFPROEF)
def test_nine_digits_failing_the_elfproef_are_refused(bsn):
    assert not is_valid_bsn(bsn)
    with pytest.raises(ValidationError) as failure:
        validate_bsn(bsn)
    assert failure.value.code == "bsn_elfproef"


def test_all_zeros_is_refused_although_zero_is_divisible_by_eleven():
    assert not is_valid_bsn("000000000")


@pytest.mark.parametrize("bsn", INVALID_FORMAT)
def test_anything_but_nine_digits_is_a_format_error(bsn):
    assert not is_valid_bsn(bsn)
    with pytest.raises(ValidationError) as failure:
        validate_bsn(bsn)
    assert failure.value.code == "bsn_format"


@pytest.mark.parametrize("value", [None, 111222333])
def test_a_bsn_is_a_string(value):
    assert not is_valid_bsn(value)


def test_the_last_digit_counts_negatively():
    # With weight +1 instead of -1, 111222333 would sum to 72 and fail; the real elfproef gives 66.
    assert is_valid_bsn("111222333")
    assert not is_valid_bsn("111222332")


def test_every_changed_single_digit_is_caught():
    """The elfproef detects any single-digit typo: change one digit of a valid BSN and it fails."""
    valid = "123456782"
    for position in range(9):
        for digit in "0123456789":
            if digit != valid[position]:
                typo = valid[:position] + digit + valid[position + 1 :]
                assert not is_valid_bsn(typo), typo


def test_the_factory_generator_makes_distinct_valid_bsns():
    numbers = [*range(0, 2000), 123_456, 999_999]
    bsns = [bsn_for(n) for n in numbers]
    assert all(len(bsn) == 9 and bsn.isdigit() and is_valid_bsn(bsn) for bsn in bsns)
    assert len(set(bsns)) == len(bsns)
    assert bsn_for(7) == bsn_for(7)  # deterministic
    with pytest.raises(ValueError):
        bsn_for(1_000_000)


@pytest.mark.django_db
def test_the_client_model_validates_its_bsn():
    client = Client(
        bsn="111222334", last_name="Jansen", date_of_birth=date(1980, 1, 1), gender="V", municipality=get_municipality()
    )
    with pytest.raises(ValidationError) as failure:
        client.full_clean()
    assert [error.code for error in failure.value.error_dict["bsn"]] == ["bsn_elfproef"]
    client.bsn = "111222333"
    client.full_clean()


@pytest.mark.django_db
def test_factory_clients_have_valid_bsns():
    assert all(is_valid_bsn(client.bsn) for client in ClientFactory.create_batch(5))
