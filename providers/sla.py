"""The SLA figures of a provider over a period, declared once.

Each figure is computed in the database by `providers.selectors.benchmark` (an attribute of that
name on each provider row), stored per year and quarter by the nightly refresh in a `SlaFigures`
column of the same name, and shown on the dashboard, the benchmark page, their exports and the
provider's own SLA API. Everything after the computation derives from this tuple: the refresh,
the stored-figures selectors, the group averages, the tables (`providers.figures`), the API view
and its serializer. Adding a figure: compute it in `benchmark`, add its `SlaFigures` field (with a
migration) and declare it here; `tests/test_sla_declarations.py` fails while any output lacks it.

The open SLA signals are not a figure of a period: they are read live (`selectors.open_sla_signals`).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .durations import in_days

COUNT, PERCENTAGE, DAYS = "int", "pct", "days"


@dataclass(frozen=True)
class SlaFigure:
    name: str  # the attribute of a benchmark row and the SlaFigures field
    label: Promise | None  # the Dutch column label; None: stored only (e.g. a numerator), not shown
    unit: str = COUNT  # COUNT, PERCENTAGE or DAYS (a duration, stored and shown in days)
    api_name: str | None = None  # the field in the provider's SLA API; required for a shown figure

    @property
    def shown(self) -> bool:
        return self.label is not None

    def stored_value(self, value):
        """The computed value as the SlaFigures column holds it (a duration in days)."""
        return in_days(value) if self.unit == DAYS else value

    def api_value(self, value):
        """The computed value as the API returns it (a duration in days, one decimal)."""
        if self.unit == DAYS and value is not None:
            return round(in_days(value), 1)
        return value


SLA_FIGURES: tuple[SlaFigure, ...] = (
    SlaFigure("instroom", _("Instroom"), api_name="instroom"),
    SlaFigure("uitstroom", _("Uitstroom"), api_name="uitstroom"),
    SlaFigure("afschaling", _("Afschaling"), api_name="afschaling"),
    SlaFigure("opschaling", _("Opschaling"), api_name="opschaling"),
    SlaFigure("clients", _("Cliënten"), api_name="clienten"),
    SlaFigure("uitstroom_percentage", _("Uitstroom %"), PERCENTAGE, "uitstroomPercentage"),
    SlaFigure("average_duration", _("Gem. duur (dagen)"), DAYS, "gemiddeldeDuurDagen"),
    SlaFigure("median_duration", _("Mediane duur (dagen)"), DAYS, "medianeDuurDagen"),
    SlaFigure("late_start_reports", _("Te late startmeldingen"), api_name="teLateStartmeldingen"),
    SlaFigure("late_stop_reports", _("Te late stopmeldingen"), api_name="teLateStopmeldingen"),
    SlaFigure("results_assessed", _("Beoordeelde resultaten"), api_name="beoordeeldeResultaten"),
    SlaFigure("results_behaald", None),  # the numerator of behaald_percentage
    SlaFigure("behaald_percentage", _("Resultaten behaald %"), PERCENTAGE, "resultatenBehaaldPercentage"),
)
SHOWN_FIGURES = tuple(figure for figure in SLA_FIGURES if figure.shown)
# Averaged over a reference group besides the figures shown: the late reports together and the
# open SLA signals (both read from the rows, see selectors.stored_benchmark).
EXTRA_AVERAGES = ("late_reports", "open_sla_signals")
