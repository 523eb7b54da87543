"""IBAN (ISO 13616): the mod-97 check that a provider's bank account is well formed, and the check
digits for a given country and account (the demo's deterministic accounts). A small validator rather
than a library: the payment run only needs the check digits and the length of the SEPA countries it
pays in, which for a Dutch municipality is the Netherlands and its neighbours."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The length of an IBAN per country (the SEPA countries a Dutch municipality pays in most).
IBAN_LENGTHS = {"NL": 18, "BE": 16, "DE": 22, "LU": 20, "FR": 27}
_SHAPE = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$")


def compact(value: str) -> str:
    """An IBAN without spaces, in capitals (as it is stored and sent)."""
    return re.sub(r"\s+", "", value or "").upper()


def _as_number(text: str) -> int:
    return int("".join(str(int(char, 36)) for char in text))


def check_digits(country: str, bban: str) -> str:
    """The two check digits that make country + digits + bban a valid IBAN."""
    return f"{98 - _as_number(f'{bban}{country}00') % 97:02d}"


def is_valid(value: str) -> bool:
    iban = compact(value)
    if not _SHAPE.match(iban) or IBAN_LENGTHS.get(iban[:2], len(iban)) != len(iban):
        return False
    return _as_number(iban[4:] + iban[:4]) % 97 == 1


def validate_iban(value: str) -> None:
    if not is_valid(value):
        raise ValidationError(
            _("Dit is geen geldig IBAN (controleer de landcode, de lengte en de controlecijfers)."), code="iban"
        )


def grouped(value: str) -> str:
    """An IBAN in groups of four, as people read it (NL91 ABNA 0417 1643 00)."""
    iban = compact(value)
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
