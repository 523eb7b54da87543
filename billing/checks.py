"""The rules a prestatie of a declaratie must meet, each with its WJ001 code (the technical rule in
brackets), judged in memory on facts billing.services loads for the whole declaratie at once.

Lines are judged in the order of the message; an accepted line counts for the lines after it (its
reference is then used, its debit stands, its volume is billed), so each line is decided once."""

import calendar
from dataclasses import dataclass, field
from datetime import date

from iwmo.codes import Eenheid, Frequentie
from iwmo.codes import Retourcode as R
from providers.models import Assignment

from .types import CREDIT, DeclaratieIn, PrestatieIn

REDEN_WIJZIGING_VERWIJDERD = "13"


@dataclass(frozen=True)
class AssignmentFacts:
    pk: int
    number: str
    provider_id: int
    product_id: int
    volume: int
    unit: str
    start_date: date
    end_date: date | None
    status: str
    change_reason: str
    bsn: str
    category: str
    code: str
    opslag: bool


@dataclass(frozen=True)
class DebitFacts:
    pk: int
    reference: str
    assignment_id: int | None
    product_category: str
    product_code: str
    period_start: date
    period_end: date
    volume: int
    unit: str
    amount_cents: int
    credited: bool


@dataclass(frozen=True)
class TariffFacts:
    valid_from: date
    valid_to: date | None
    price_cents: int
    opslag_cents: int | None

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass
class Context:
    provider_id: int
    declaratie: DeclaratieIn
    clients: dict[str, int]  # bsn -> client id
    assignments: dict[str, AssignmentFacts]  # stored number -> facts
    frequencies: dict[int, str]  # product id -> WMO757 of its Omvang
    known_references: set[str]  # references of this provider's accepted prestaties
    debits: dict[str, DebitFacts]  # accepted debits named as VorigReferentieNummer
    open_debits: set[tuple]  # (assignment id, month, category, code) with an uncredited debit
    billed_volume: dict[int, int]  # assignment id -> accepted volume so far (debits - credits)
    tariffs: dict[tuple[int, str], list[TariffFacts]]  # (product id, unit) -> the provider's tariffs
    client_codes: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Judgement:
    codes: tuple[str, ...]
    client_id: int | None = None
    assignment_id: int | None = None
    cancels_id: int | None = None

    @property
    def accepted(self) -> bool:
        return self.codes == (str(R.GEEN_OPMERKING),)


def month_of(day: date) -> date:
    return day.replace(day=1)


def last_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def is_calendar_month(first: date, last: date) -> bool:
    return first.day == 1 and last == last_of_month(first)


def _months(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def assigned_volume(volume: int, frequency: str, first: date, last: date) -> int:
    """What a toewijzing of `volume` per `frequency` (WMO757) allows from first to last inclusive."""
    if frequency == Frequentie.TOTAAL:
        return volume
    if frequency == Frequentie.PER_MAAND:
        return volume * _months(first, last)
    days = (last - first).days + 1
    if frequency == "2":  # per week
        return volume * -(-days // 7)
    return volume * days  # "1": per dag


def judge(context: Context) -> list[Judgement]:
    """Decide each prestatie of the declaratie (in its order)."""
    return [_judge_line(context, line) for line in context.declaratie.prestaties]


def normalised_assignment_number(number: str) -> str:
    """A ToewijzingNummer as sent (an integer in iWmo, e.g. "42") as our stored number ("0000000042",
    providers.numbering); any other text as it is."""
    number = number.strip()
    if number.isdigit() and len(number) <= 10:
        return f"{int(number):010d}"
    return number


def _find_assignment(context: Context, number: str) -> AssignmentFacts | None:
    return context.assignments.get(number) or context.assignments.get(normalised_assignment_number(number))


def _reject_client(context: Context, bsn: str, code: str) -> None:
    codes = context.client_codes.get(bsn, ())
    if code not in codes:
        context.client_codes[bsn] = (*codes, code)


def _judge_line(context: Context, line: PrestatieIn) -> Judgement:
    codes: list[str] = []
    client_id = context.clients.get(line.bsn)
    if client_id is None:
        codes.append(R.BSN_ONBEKEND)  # TR304
        _reject_client(context, line.bsn, R.BSN_ONBEKEND)
    facts = _find_assignment(context, line.assignment_number)
    if facts is None or facts.provider_id != context.provider_id:
        codes.append(R.PRESTATIE_ZONDER_TOEWIJZING)  # TR338
        facts = None
    elif client_id is not None and facts.bsn != line.bsn:
        codes.append(R.BSN_ONBEKEND)  # TR304: the prestatie does not belong to this client
    if line.reference in context.known_references:
        codes.append(R.REFERENTIE_AL_AANGELEVERD)  # TR314
    cancels_id = None
    if facts is not None:
        if line.debit_credit == CREDIT:
            codes_credit, cancels_id = _credit_codes(context, line, facts)
            codes += codes_credit
        else:
            codes += _debit_codes(context, line, facts)
    codes = list(dict.fromkeys(str(code) for code in codes))
    judgement = Judgement(
        codes=tuple(codes) or (str(R.GEEN_OPMERKING),),
        client_id=client_id,
        assignment_id=facts.pk if facts is not None else None,
        cancels_id=None if codes else cancels_id,
    )
    if judgement.accepted:
        _count(context, line, facts, cancels_id)
    return judgement


def _credit_codes(context: Context, line: PrestatieIn, facts: AssignmentFacts) -> tuple[list, int | None]:
    """A credit is the accepted debit it names (VorigReferentieNummer) again, with a new reference
    and C (IV091): the same toewijzing, product, period, volume, unit and amount."""
    debit = context.debits.get(line.previous_reference)
    if debit is None or not _same_as(line, debit, facts):
        return [R.GEEN_DEBET_BEKEND], None  # TR323
    if debit.credited:
        return [R.AL_GECREDITEERD], None  # TR390
    return [], debit.pk


def _same_as(line: PrestatieIn, debit: DebitFacts, facts: AssignmentFacts) -> bool:
    return (
        debit.assignment_id == facts.pk
        and debit.product_category == line.product_category
        and debit.product_code == line.product_code
        and debit.period_start == line.period_start
        and debit.period_end == line.period_end
        and debit.volume == line.volume
        and debit.unit == line.unit
        and debit.amount_cents == line.amount_cents
    )


def _debit_codes(context: Context, line: PrestatieIn, facts: AssignmentFacts) -> list:
    codes = []
    declaratie = context.declaratie
    if facts.status == Assignment.Status.WITHDRAWN or facts.change_reason == REDEN_WIJZIGING_VERWIJDERD:
        codes.append(R.TOEWIJZING_VERWIJDERD)  # TR384
    if line.product_category != facts.category:
        codes.append(R.PRODUCTCATEGORIE_ANDERS)  # TR339
    if facts.code and line.product_code != facts.code:
        codes.append(R.PRODUCTCODE_ANDERS)  # TR340
    if line.unit != facts.unit:
        codes.append(R.EENHEID_ANDERS)  # TR341
    # TR319: within one calendar month, in the declaratieperiode or an earlier one.
    if month_of(line.period_start) != month_of(line.period_end) or line.period_end > declaratie.period_end:
        codes.append(R.PERIODE_BUITEN_DECLARATIEPERIODE)
    end = facts.end_date
    if line.period_start < facts.start_date or (end is not None and line.period_start > end):
        codes.append(R.BEGIN_BUITEN_TOEWIJZING)  # TR307
    if (end is not None and line.period_end > end) or line.period_end < facts.start_date:
        codes.append(R.EINDE_BUITEN_TOEWIJZING)  # TR308
    # TR387 / TR388: the whole month, unless the toewijzing starts later / ends earlier in it.
    first = month_of(line.period_start)
    if line.period_start != (facts.start_date if month_of(facts.start_date) == first else first):
        codes.append(R.BEGIN_NIET_EERSTE_DAG)
    last = last_of_month(line.period_end)
    if line.period_end != (end if end is not None and last_of_month(end) == last else last):
        codes.append(R.EINDE_NIET_LAATSTE_DAG)
    codes += _volume_codes(context, line, facts)
    codes += _amount_codes(context, line, facts)
    key = (facts.pk, month_of(line.period_start), line.product_category, line.product_code)
    if key in context.open_debits:
        codes.append(R.DEBET_ZONDER_CREDIT)  # TR389 (and TR416 within the message)
    return codes


def _volume_codes(context: Context, line: PrestatieIn, facts: AssignmentFacts) -> list:
    frequency = context.frequencies.get(facts.product_id, Frequentie.PER_MAAND)
    codes = []
    if frequency != Frequentie.TOTAAL and line.volume > assigned_volume(
        facts.volume, frequency, line.period_start, line.period_end
    ):
        codes.append(R.VOLUME_TE_HOOG)  # TR321
    # TR322: over the toewijzing's whole run (an open one: up to the end of this declaratieperiode).
    last = facts.end_date or context.declaratie.period_end
    allowed = assigned_volume(facts.volume, frequency, facts.start_date, max(last, facts.start_date))
    if context.billed_volume.get(facts.pk, 0) + line.volume > allowed:
        codes.append(R.SOM_VOLUME_TE_HOOG)
    return codes


def _amount_codes(context: Context, line: PrestatieIn, facts: AssignmentFacts) -> list:
    tariff = next(
        (t for t in context.tariffs.get((facts.product_id, line.unit), ()) if t.in_force_on(line.period_start)),
        None,
    )
    codes = []
    contractual = None
    if tariff is not None:
        contractual = tariff.price_cents + ((tariff.opslag_cents or 0) if facts.opslag else 0)
    if tariff is None or (line.tariff_cents is not None and line.tariff_cents != contractual):
        codes.append(R.TARIEF_NIET_CONTRACTUEEL)  # TR418
    per_unit = line.tariff_cents if line.tariff_cents is not None else contractual
    if line.unit != Eenheid.EUROS and per_unit is not None and line.amount_cents != line.volume * per_unit:
        codes.append(R.BEDRAG_NIET_VOLUME_MAAL_TARIEF)  # TR346
    return codes


def _count(context: Context, line: PrestatieIn, facts: AssignmentFacts, cancels_id: int | None) -> None:
    """An accepted line counts for the lines after it in the same declaratie."""
    context.known_references.add(line.reference)
    key = (facts.pk, month_of(line.period_start), line.product_category, line.product_code)
    if line.debit_credit == CREDIT:
        context.billed_volume[facts.pk] = context.billed_volume.get(facts.pk, 0) - line.volume
        context.open_debits.discard(key)
        debit = context.debits[line.previous_reference]
        context.debits[line.previous_reference] = DebitFacts(**{**debit.__dict__, "credited": True})
    else:
        context.billed_volume[facts.pk] = context.billed_volume.get(facts.pk, 0) + line.volume
        context.open_debits.add(key)
