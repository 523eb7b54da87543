"""The bezwaren (Awb) in the monitor: per product of the contested beschikking, the bezwaren received
in the year per outcome and the share of the decided ones decided in time (Awb 7:10). Live from
objections.selectors (no cube); of the selection the municipality, the product and the provider apply."""

from datetime import date

from django.utils.translation import gettext as _

from objections.models import BezwaarStatus
from objections.selectors import counts_per_product
from ui.tables import Column, Table

from .mantelzorg import share
from .selectors import Selection


def bezwaren_per_product(selection: Selection, year: int) -> Table:
    rows = counts_per_product(
        date(year, 1, 1),
        date(year, 12, 31),
        municipality=selection.municipality,
        product=selection.product,
        provider=selection.provider,
    )
    return Table(
        "bezwaren-per-product",
        _("Bezwaren per product en uitkomst in %(year)s") % {"year": year},
        [
            Column(_("Product"), "text"),
            Column(_("Ontvangen")),
            *[Column(str(status.label).capitalize()) for status in BezwaarStatus],
            Column(_("Beslist")),
            Column(_("Tijdig beslist")),
            Column(_("Tijdig beslist (%)"), "pct"),
        ],
        [
            [
                row["beschikking__product__name"],
                row["total"],
                *[row[f"n_{status.value}"] for status in BezwaarStatus],
                row["decided"],
                row["in_time"],
                share(row["in_time"], row["decided"]),
            ]
            for row in rows
        ],
    )
