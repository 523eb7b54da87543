"""The funnel's steps and their waiting times: what a step is (from which date to which, on which
table, with which of the monitor's dimensions) and the grouped query that counts the steps
completed in a span per cell and waiting time in days. The nightly refresh stores those counts
(monitor.models.WaitingCell, monitor.services); the page reads them (monitor.selectors), so no page
load scans the intakes, beschikkingen and toewijzingen."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import CharField, Count, F, IntegerField, QuerySet, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy

from indications.dbfunctions import DaysBetween
from indications.models import DECIDED, Indication, Intake
from providers.models import Assignment

from .periods import Span, period_of

# The dimensions of a WaitingCell and, per step, the path to each from the step's model (None: the
# step has no such dimension, as the onderzoek precedes the choice of product and provider).
DIMENSIONS = (
    "municipality",
    "gender",
    "product",
    "provider",
    "reference_group",
    "primary_domain",
    "treatment_needed",
    "delivery_form",
)
TEXT_DIMENSIONS = ("gender", "treatment_needed", "delivery_form")


def absent(*, text: bool):
    """The value of a dimension a step does not have: blank text, or a null id (typed, so that
    PostgreSQL inserts it into an integer column)."""
    return Value("", output_field=CharField()) if text else Cast(Value(None), IntegerField())


@dataclass(frozen=True)
class Step:
    """A step of the funnel with its waiting time: from `start` to `end` (date fields of `model`,
    the end date sets the step's period); `client` is the path to the client, `beschikking` the
    path to the beschikking whose product, provider and other dimensions the step has ("" for the
    beschikking itself, None when the step has none); `term_setting` names the term in settings.SDD."""

    key: str
    label: str
    model: type
    start: str
    end: str
    client: str
    beschikking: str | None
    term_setting: str

    def term_days(self) -> int:
        return settings.SDD[self.term_setting]

    def paths(self) -> dict[str, str | None]:
        """{dimension: path from the step's model, or None}."""
        paths: dict[str, str | None] = {
            "municipality": f"{self.client}__municipality_id",
            "gender": f"{self.client}__gender",
        }
        prefix = None if self.beschikking is None else (f"{self.beschikking}__" if self.beschikking else "")
        for name, path in [
            ("product", "product_id"),
            ("provider", "provider_id"),
            ("reference_group", "provider__reference_group_id"),
            ("primary_domain", "primary_domain_id"),
            ("treatment_needed", "treatment_needed"),
            ("delivery_form", "delivery_form"),
        ]:
            # A toewijzing has a product and provider of its own (the beschikking's, or the
            # provider it was re-assigned to); the rest is its beschikking's.
            own = self.model is Assignment and name in ("product", "provider", "reference_group")
            paths[name] = None if prefix is None else (path if own else f"{prefix}{path}")
        return paths

    def has(self, dimension: str) -> bool:
        """Whether the step has the dimension (every step has a client, so an age group)."""
        return dimension == "age_group" or self.paths()[dimension] is not None

    def completed(self, start: date, end: date) -> QuerySet:
        """The steps completed from start to end (both included) with a known start date."""
        queryset = self.model.objects.filter(
            **{f"{self.end}__gte": start, f"{self.end}__lte": end, f"{self.start}__isnull": False}
        )
        if self.model is Indication:
            queryset = queryset.filter(DECIDED)
        return queryset


STEPS = (
    Step(
        "onderzoek",
        gettext_lazy("Melding → onderzoek afgerond"),
        Intake,
        "melding__received_on",
        "concluded_on",
        "melding__client",
        None,
        "ONDERZOEK_DEADLINE_DAYS",
    ),
    Step(
        "beschikking",
        gettext_lazy("Aanvraag → beschikking"),
        Indication,
        "aanvraag__received_on",
        "decision_date",
        "client",
        "",
        "BESCHIKKING_DEADLINE_DAYS",
    ),
    Step(
        "start_zorg",
        gettext_lazy("Toewijzing → start zorg"),
        Assignment,
        "assigned_on",
        "care_started_on",
        "indication__client",
        "indication",
        "CARE_START_TERM_DAYS",
    ),
)


def grouped_waiting(step: Step, spans: list[Span], *, today: date, age_group) -> QuerySet:
    """One row per period of `spans` (their period numbers, spans of one year, not overlapping),
    cell and waiting time in days with the number of steps completed in it, up to today. The age
    group is `age_group(path to the date of birth)`, an expression the refresh passes (the age on the
    year's last day, as the year's other cells)."""
    start, end = spans[0].start, min(spans[-1].end, today)
    period = period_of(step.end, spans)
    dimensions = {}
    for name, path in step.paths().items():
        dimensions[f"w_{name}"] = F(path) if path is not None else absent(text=name in TEXT_DIMENSIONS)
    return (
        step.completed(start, end)
        .annotate(
            w_period=period,
            w_age_group=age_group(f"{step.client}__date_of_birth"),
            w_days=DaysBetween(step.end, step.start),
            **dimensions,
        )
        .order_by()
        .values("w_period", "w_age_group", *dimensions, "w_days")
        .annotate(w_number=Count("pk"))
    )
