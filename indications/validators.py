import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def is_valid_bsn(value: str) -> bool:
    """The BSN 'elfproef': 9 digits, weights 9..2 and -1, sum divisible by 11 (and not 0)."""
    if not (isinstance(value, str) and len(value) == 9 and value.isdigit()):
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(int(digit) * weight for digit, weight in zip(value, weights, strict=True))
    return total != 0 and total % 11 == 0


def validate_bsn(value: str) -> None:
    if not (isinstance(value, str) and len(value) == 9 and value.isdigit()):
        raise ValidationError(_("Een BSN bestaat uit precies 9 cijfers."), code="bsn_format")
    if not is_valid_bsn(value):
        raise ValidationError(_("Dit BSN voldoet niet aan de elfproef."), code="bsn_elfproef")


# --------------------------------------------------------------------------------------------
# Address, phone and birth date of a client
# --------------------------------------------------------------------------------------------

# PostNL never issues the letter pairs SA, SD and SS; the first digit is never 0.
_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")
_POSTCODE_EXCLUDED_LETTERS = {"SA", "SD", "SS"}
# A house number (1-99999), then a huisletter and/or a huisnummertoevoeging of up to 4 characters:
# 12, 12A, 12 a, 12-2, 12 bis, 12A-1, 12hs. A toevoeging that starts with a digit needs a separator.
_HOUSE_NUMBER = re.compile(
    r"^[1-9][0-9]{0,4}(?:[ -]?[A-Za-z][A-Za-z0-9]{0,3}|[ -][0-9][A-Za-z0-9]{0,3})?(?:[ -][A-Za-z0-9]{1,4})?$"
)
# Dutch numbers have 10 digits from the leading 0 (area code or 06 for mobile); +31 and 0031 replace it.
_PHONE_SEPARATORS = re.compile(r"[\s\-.()/]")
_PHONE = re.compile(r"^(?:0|\+31|0031)[1-9][0-9]{8}$")
# A client older than this is a typing error (the oldest Dutch resident ever was 115).
MAX_AGE_YEARS = 120


def normalise_postcode(value: str) -> str:
    """'1234ab', '1234 ab' and ' 1234AB ' become '1234 AB'; anything else is returned unchanged."""
    match = _POSTCODE.match(value or "")
    return f"{match.group(1)} {match.group(2).upper()}" if match else value


def validate_postcode(value: str) -> None:
    match = _POSTCODE.match(value or "")
    if not match or match.group(2).upper() in _POSTCODE_EXCLUDED_LETTERS:
        raise ValidationError(
            _("Vul een Nederlandse postcode in: vier cijfers en twee letters, bijvoorbeeld 3311 AB."),
            code="postcode",
        )


def normalise_house_number(value: str) -> str:
    return " ".join((value or "").split())


def validate_house_number(value: str) -> None:
    if not _HOUSE_NUMBER.match(normalise_house_number(value)):
        raise ValidationError(
            _("Vul een huisnummer in, eventueel met huisletter of toevoeging, bijvoorbeeld 12, 12A of 12-2."),
            code="house_number",
        )


def validate_phone(value: str) -> None:
    number = _PHONE_SEPARATORS.sub("", (value or "").replace("(0)", ""))
    if not _PHONE.match(number):
        raise ValidationError(
            _(
                "Vul een Nederlands telefoonnummer in van 10 cijfers, bijvoorbeeld 078-1234567, 06-12345678 of "
                "+31 6 12345678."
            ),
            code="phone",
        )


def years_before(day: date, years: int) -> date:
    """The same day `years` years earlier; 29 February becomes 28 February in a year without it."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def validate_date_of_birth(value: date, *, today: date | None = None) -> None:
    """A plausible birth date: not in the future and at most MAX_AGE_YEARS ago."""
    today = today or timezone.localdate()
    if value > today:
        raise ValidationError(_("De geboortedatum kan niet in de toekomst liggen."), code="born_in_future")
    if value < years_before(today, MAX_AGE_YEARS):
        raise ValidationError(
            _("Controleer de geboortedatum: de cliënt zou ouder zijn dan %(years)s jaar.") % {"years": MAX_AGE_YEARS},
            code="born_too_long_ago",
        )
