"""Data of the consultant's case file, one module per part of it:

- `reference`: reference data the functioneel beheerder edits (municipalities, ZRM and result domains,
  results, products and tariffs);
- `case`: the client, melding, onderzoek (intake) with keukentafelgesprekken and mantelzorgers, aanvraag,
  other provisions;
- `beschikking`: the indication that becomes the beschikking, its results and status history;
- `evaluation`: evaluations and ZRM assessments;
- `review`: the four-eyes review and the complexity rules that call for it;
- `pgb`: the persoonsgebonden budget (pgb tariffs, and per pgb beschikking its budgetholder and
  the conditions of art. 2.3.6 Wmo 2015);
- `quality`: quality checks after the fact on a random sample of issued beschikkingen;
- `retention`: proposals to destroy (anonymise) closed client files, and their review;
- `emergency`: break-the-glass, the time-limited access to a file outside one's teams;
- `eigen_bijdrage`: the periods of the eigen bijdrage and its exemptions (reference data).

Models hold data, constraints and small derived properties; every rule and state change lives in
the services. Import models from `indications.models`, not from the submodules.

The one known upward reference of the case file: `Indication.provider` is a foreign key by string
to `providers.Provider` (a beschikking names its provider), at model level only; no code of the case
file imports providers (see indications.hooks for how the case file reaches that layer).
"""

from .beschikking import (
    DECIDED,
    EDITABLE_STATUSES,
    GRANTED_STATUSES,
    LIVE_STATUSES,
    REFUSED_STATUSES,
    UNDECIDED_STATUSES,
    VOID_STATUSES,
    DecisionOutcome,
    DeliveryForm,
    Indication,
    IndicationResult,
    IndicationStatus,
    IndicationStatusChange,
    PlannedEvaluation,
    RefusalGround,
    TreatmentNeeded,
    decided,
    decided_grant,
)
from .case import (
    PERSOONLIJK_PLAN_DAYS,
    Aanvraag,
    Client,
    Conversation,
    Intake,
    Mantelzorger,
    Melding,
    OtherProvision,
    person_name,
)
from .eigen_bijdrage import CakExport, EigenBijdrageExemption, EigenBijdrageRule
from .emergency import EmergencyAccess
from .evaluation import Evaluation, ResultProgress, ZrmAssessment, ZrmScore
from .pgb import PgbBudget, PgbTariff
from .quality import QualityAnswer, QualityCheck, QualityQuestion, QualitySample
from .reference import CostReference, IbResult, IbSubResult, Municipality, Product, ResultDomain, Tariff, ZrmDomain
from .retention import OPEN_DESTRUCTION_STATUSES, DestructionProposal, DestructionStatus, DestructionStatusChange
from .review import REVIEW_AUTHOR_FIELDS, ComplexityRule, Review, ReviewQuestion, own_work_of

__all__ = [
    "PERSOONLIJK_PLAN_DAYS",
    "CostReference",
    "DECIDED",
    "DeliveryForm",
    "DestructionProposal",
    "DestructionStatus",
    "DestructionStatusChange",
    "OPEN_DESTRUCTION_STATUSES",
    "PgbBudget",
    "PgbTariff",
    "EDITABLE_STATUSES",
    "GRANTED_STATUSES",
    "LIVE_STATUSES",
    "REFUSED_STATUSES",
    "UNDECIDED_STATUSES",
    "VOID_STATUSES",
    "Aanvraag",
    "Client",
    "person_name",
    "ComplexityRule",
    "Conversation",
    "CakExport",
    "EigenBijdrageExemption",
    "EmergencyAccess",
    "EigenBijdrageRule",
    "DecisionOutcome",
    "Evaluation",
    "IbResult",
    "IbSubResult",
    "Indication",
    "IndicationResult",
    "IndicationStatus",
    "IndicationStatusChange",
    "Intake",
    "Mantelzorger",
    "Melding",
    "Municipality",
    "OtherProvision",
    "PlannedEvaluation",
    "TreatmentNeeded",
    "Product",
    "QualityAnswer",
    "QualityCheck",
    "QualityQuestion",
    "QualitySample",
    "RefusalGround",
    "ResultDomain",
    "ResultProgress",
    "Review",
    "ReviewQuestion",
    "REVIEW_AUTHOR_FIELDS",
    "own_work_of",
    "Tariff",
    "ZrmAssessment",
    "ZrmDomain",
    "ZrmScore",
    "decided",
    "decided_grant",
]
