"""The plain shapes a declaratie travels in between its two faces and the checks.

A WMO323 (iwmo XML, read in billing.wmo323) and the REST API's JSON both become a `DeclaratieIn`;
`billing.services.submit_declaratie` judges it against the database and returns a
`DeclaratieOutcome`, from which billing.wmo325 writes the WMO325 and the API its JSON answer.
Amounts are in eurocents, as iWmo counts them (LDT_Bedrag), always positive with a debit/credit
sign beside them (D or C), as in the message."""

from dataclasses import dataclass, field
from datetime import date

DEBIT = "D"
CREDIT = "C"


@dataclass(frozen=True)
class PrestatieIn:
    """One Prestatie of a WMO323, in the order of the message."""

    bsn: str
    reference: str  # ProductReferentie/ReferentieNummer
    previous_reference: str  # ProductReferentie/VorigReferentieNummer ("" when absent)
    assignment_number: str  # ToewijzingNummer
    product_category: str
    product_code: str
    period_start: date
    period_end: date
    volume: int  # GeleverdVolume
    unit: str  # Eenheid (WJ756)
    tariff_cents: int | None  # ProductTarief (optional in the message)
    amount_cents: int  # IngediendBedrag/Bedrag
    debit_credit: str  # IngediendBedrag/DebetCredit

    @property
    def signed_cents(self) -> int:
        return -self.amount_cents if self.debit_credit == CREDIT else self.amount_cents


@dataclass(frozen=True)
class DeclaratieIn:
    """A WMO323's Declaratie (and the header's identification it arrived with)."""

    number: str  # DeclaratieNummer
    period_start: date  # DeclaratiePeriode
    period_end: date
    dagtekening: date  # DeclaratieDagtekening
    total_cents: int  # TotaalIngediendBedrag/TotaalBedrag
    total_debit_credit: str
    prestaties: tuple[PrestatieIn, ...]

    @property
    def signed_total_cents(self) -> int:
        return -self.total_cents if self.total_debit_credit == CREDIT else self.total_cents


@dataclass(frozen=True)
class PrestatieDecision:
    """What the checks decided on prestaties[index]: accepted, or rejected with its WJ001 codes."""

    index: int
    accepted: bool
    codes: tuple[str, ...] = ()  # WJ001; ("0200",) when accepted


@dataclass(frozen=True)
class DeclaratieOutcome:
    """The answer to one declaratie: codes on the declaratie as a whole (empty when it was judged
    line by line), codes per client (by BSN, e.g. a BSN we do not know), a decision per prestatie,
    and the submitted and granted totals (signed cents)."""

    declaratie_codes: tuple[str, ...]
    decisions: tuple[PrestatieDecision, ...] = field(default_factory=tuple)
    client_codes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    submitted_cents: int = 0
    granted_cents: int = 0
