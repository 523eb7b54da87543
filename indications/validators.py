from django.core.exceptions import ValidationError
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
