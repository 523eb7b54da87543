"""Tariff periods: exactly one tariff of a product is in force on a day (the natura tariffs, and
the pgb tariffs likewise: `model=PgbTariff`).

The rule lives here, in one service the admin's forms call (one tariff, or every row of a product's
tariff inline at once); on PostgreSQL an exclusion constraint (`tariff_periods_do_not_overlap`)
holds it in the database as well. A period is inclusive at both ends; no end date means open-ended.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import PgbTariff, Product, Tariff


@dataclass(frozen=True)
class TariffPeriod:
    valid_from: date
    valid_to: date | None = None

    def overlaps(self, other: "TariffPeriod") -> bool:
        return (other.valid_to is None or self.valid_from <= other.valid_to) and (
            self.valid_to is None or other.valid_from <= self.valid_to
        )

    def __str__(self):
        start = date_format(self.valid_from, "j F Y")
        if self.valid_to is None:
            return _("vanaf %(start)s") % {"start": start}
        return _("%(start)s t/m %(end)s") % {"start": start, "end": date_format(self.valid_to, "j F Y")}


def _overlap_error(first: TariffPeriod, second: TariffPeriod) -> ValidationError:
    return ValidationError(
        _("Deze periode overlapt met een ander tarief van hetzelfde product (%(first)s en %(second)s).")
        % {"first": first, "second": second},
        code="tariff_overlap",
    )


def validate_tariff_periods(
    product: Product | None,
    periods: Iterable[TariffPeriod],
    *,
    replacing: Iterable[int] = (),
    model: type[Tariff] | type[PgbTariff] = Tariff,
) -> None:
    """Refuse (ValidationError, code "tariff_overlap") when any two of `periods` overlap, or one of
    them overlaps a stored tariff of `product` other than those in `replacing` (the rows being edited
    or deleted, whose stored periods no longer count)."""
    periods = sorted(periods, key=lambda period: period.valid_from)
    for earlier, later in zip(periods, periods[1:], strict=False):
        if earlier.overlaps(later):
            raise _overlap_error(earlier, later)
    if product is None or product.pk is None:
        return
    stored = model.objects.filter(product=product).exclude(pk__in=[pk for pk in replacing if pk is not None])
    for period in periods:
        clash = stored.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.valid_from))
        if period.valid_to is not None:
            clash = clash.filter(valid_from__lte=period.valid_to)
        other = clash.order_by("valid_from").first()
        if other is not None:
            raise _overlap_error(period, TariffPeriod(other.valid_from, other.valid_to))


def validate_tariff(tariff: Tariff | PgbTariff) -> None:
    """One tariff (new or edited) against the product's other stored tariffs of its kind."""
    if tariff.product_id is None or tariff.valid_from is None:
        return
    validate_tariff_periods(
        tariff.product,
        [TariffPeriod(tariff.valid_from, tariff.valid_to)],
        replacing=[tariff.pk],
        model=type(tariff),
    )
