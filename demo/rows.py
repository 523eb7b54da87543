"""The rows of one chunk: plain objects with the model's field names and defaults.

A Django model instance costs tens of microseconds to build and the generator makes a few hundred
rows per client; these cost one dict update. They are only ever written by `writer`, never saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import models

from indications.models import (
    Aanvraag,
    Client,
    Conversation,
    Evaluation,
    Indication,
    IndicationResult,
    IndicationStatusChange,
    Intake,
    Mantelzorger,
    Melding,
    OtherProvision,
    PgbBudget,
    PlannedEvaluation,
    ResultProgress,
    Review,
    ReviewQuestion,
    ZrmAssessment,
)
from providers.models import Assignment, CareEvent, ChangeRequest, Provider, SupportPlan, SupportPlanPart


class Row:
    """One row of `model`: attributes by field name (a foreign key holds the row or model instance it
    points to), plain defaults filled in at once, callable defaults (uuid4, now) when written."""

    model: type[models.Model]
    static: dict

    def __init__(self, **values):
        d = self.__dict__
        d.update(self.static)
        d.update(values)

    @classmethod
    def of(cls, model: type[models.Model]) -> type[Row]:
        static = {"id": None}  # the primary key, reserved by the writer
        for f in model._meta.concrete_fields:
            if f.primary_key:
                continue
            if f.is_relation:
                static[f.name] = static[f.attname] = None
            elif not (f.has_default() and callable(f.default)):
                static[f.name] = f.get_default()
        return type(f"{model.__name__}Row", (cls,), {"model": model, "static": static})


ClientRow = Row.of(Client)
MeldingRow = Row.of(Melding)
IntakeRow = Row.of(Intake)
ConversationRow = Row.of(Conversation)
MantelzorgerRow = Row.of(Mantelzorger)
OtherProvisionRow = Row.of(OtherProvision)
AanvraagRow = Row.of(Aanvraag)
IndicationRow = Row.of(Indication)
IndicationResultRow = Row.of(IndicationResult)
PgbBudgetRow = Row.of(PgbBudget)
PlannedEvaluationRow = Row.of(PlannedEvaluation)
IndicationStatusChangeRow = Row.of(IndicationStatusChange)
EvaluationRow = Row.of(Evaluation)
ResultProgressRow = Row.of(ResultProgress)
ZrmAssessmentRow = Row.of(ZrmAssessment)
ReviewRow = Row.of(Review)
ReviewQuestionRow = Row.of(ReviewQuestion)
AssignmentRow = Row.of(Assignment)
CareEventRow = Row.of(CareEvent)
ChangeRequestRow = Row.of(ChangeRequest)
SupportPlanRow = Row.of(SupportPlan)
SupportPlanPartRow = Row.of(SupportPlanPart)


class Rows:
    """The rows of one chunk of clients, by table."""

    def __init__(self):
        self.clients, self.meldingen, self.intakes, self.conversations = [], [], [], []
        self.mantelzorgers = []
        self.provisions, self.aanvragen, self.levels = [], [], []
        self.results, self.result_subs, self.evaluations, self.assessments, self.scores = [], [], [], [], []
        self.progress, self.planned, self.status_changes, self.reviews, self.questions = [], [], [], [], []
        self.assignments, self.care_events, self.change_requests = [], [], []
        self.support_plans, self.support_plan_parts = [], []
        self.pgb_budgets = []

    def level(self, number: int) -> list:
        """Beschikkingen by how many they replace (0: a first one), so each follows the one it replaces."""
        while len(self.levels) <= number:
            self.levels.append([])
        return self.levels[number]

    @property
    def indications(self) -> list:
        return [ind for level in self.levels for ind in level]


@dataclass
class ClientState:
    client: Row
    consultant: object
    born: date
    group: int = 1
    provider: Provider | None = None
    scores: dict = field(default_factory=dict)  # ZrmDomain pk → current score
    domains: list = field(default_factory=list)  # result domains of the running trajectory
    provisions: list = field(default_factory=list)  # (kind, start, end)
    unknown_cost: set = field(default_factory=set)  # (kind, start) of extramural provisions without a cost
    gone: bool = False  # died or moved away: no further trajectories
    pgb: bool = False  # the running trajectory is a pgb: no provider, no toewijzing
    youth: str = ""  # the step at 18: "step" came in from the Jeugdwet, "nearing" turns 18 soon (figures)
