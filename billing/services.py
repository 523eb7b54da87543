"""Every write of the billing app: contract tariffs per unit (and the conversion of the 4-weekly
result tariffs into them), budgets, and the judging of a declaratie (`submit_declaratie`), which
both the WMO323 inbox and the REST API call. The rules and their WJ001 codes are in
docs/billing.md; `billing.checks` holds the per-line judgement on data loaded set-based here."""

import hashlib
from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from audit.services import record_event
from indications.models import Client, Product, Tariff
from iwmo.codes import Eenheid, Frequentie
from iwmo.codes import Retourcode as R
from iwmo.toewijzing import omvang_of
from providers.models import Assignment, Contract, Provider

from . import checks
from .models import ContractBudget, ContractTariff, Declaratie, Prestatie
from .types import CREDIT, DEBIT, DeclaratieIn, DeclaratieOutcome, PrestatieDecision

# -- Contract tariffs ---------------------------------------------------------------------------

# A year has 13 periods of 4 weeks and 12 calendar months: a 4-weekly amount is 13/12 of it per month.
PERIODS_PER_YEAR = 13
MONTHS_PER_YEAR = 12


def monthly_cents(amount_per_period: Decimal) -> int:
    """A 4-weekly amount in euros as the amount per calendar month in cents: × 13 / 12, rounded
    half up to the cent (the rounding is applied once, on the monthly amount)."""
    cents = Decimal(amount_per_period) * 100 * PERIODS_PER_YEAR / MONTHS_PER_YEAR
    return int(cents.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _per_unit(monthly: int, volume: int) -> int:
    return int((Decimal(monthly) / volume).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _overlapping(contract, product, unit, valid_from, valid_to, *, exclude_pk=None):
    rows = ContractTariff.objects.filter(contract=contract, product=product, unit=unit).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if valid_to is not None:
        rows = rows.filter(valid_from__lte=valid_to)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows.exists()


@transaction.atomic
def set_contract_tariff(
    contract: Contract,
    *,
    product: Product,
    unit: str,
    valid_from: date,
    valid_to: date | None,
    price_cents: int,
    opslag_cents: int | None = None,
    by,
) -> ContractTariff:
    """A new price per unit for a product under a contract; refused when its period overlaps
    another of the same contract, product and unit (the database holds it too on PostgreSQL)."""
    tariff = ContractTariff(
        contract=contract,
        product=product,
        unit=unit,
        valid_from=valid_from,
        valid_to=valid_to,
        price_cents=price_cents,
        opslag_cents=opslag_cents,
    )
    tariff.full_clean()
    if _overlapping(contract, product, unit, valid_from, valid_to):
        raise ValidationError(
            {"valid_from": _("Deze periode overlapt met een ander tarief van dit contract, product en eenheid.")},
            code="tariff_overlap",
        )
    tariff.save()
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=tariff,
        summary=f"contracttarief {product.code} {unit}: {price_cents} ct vanaf {valid_from}",
    )
    return tariff


@transaction.atomic
def convert_result_tariffs(contract: Contract, *, by) -> list[ContractTariff]:
    """The contract's prices per unit from today's 4-weekly result tariffs (indications.Tariff,
    amount and opslag per 4 weeks), in the unit our toewijzing states (iwmo ProductOmvang: by
    default 1 stuks (output) per maand): per month = × 13/12 (monthly_cents), per unit = the
    monthly amount / the volume per month. Euro's (83) cost 100 cents a unit. Each tariff period
    that overlaps the contract becomes one row, cut to the contract's period; rows already there
    (same start) are kept. Products without an iWmo code (no Omvang) or with another frequency
    than per maand are left out: they are not billed per month."""
    created = []
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    products = contract.products.select_related("iwmo_omvang").order_by("level")
    for product in products:
        omvang = omvang_of(product)
        if omvang is None or omvang.frequentie != Frequentie.PER_MAAND:
            continue
        tariffs = Tariff.objects.filter(product=product).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=contract.valid_from)
        )
        if contract.valid_to is not None:
            tariffs = tariffs.filter(valid_from__lte=contract.valid_to)
        for tariff in tariffs.order_by("valid_from"):
            valid_from = max(tariff.valid_from, contract.valid_from)
            valid_to = min(
                (day for day in (tariff.valid_to, contract.valid_to) if day is not None),
                default=None,
            )
            if ContractTariff.objects.filter(
                contract=contract, product=product, unit=omvang.eenheid, valid_from=valid_from
            ).exists():
                continue
            if omvang.eenheid == Eenheid.EUROS:
                price, opslag = 100, None
            else:
                price = _per_unit(monthly_cents(tariff.amount_per_period), omvang.volume)
                opslag = (
                    _per_unit(monthly_cents(tariff.opslag_per_period), omvang.volume)
                    if tariff.opslag_per_period is not None and product.allows_opslag
                    else None
                )
            created.append(
                set_contract_tariff(
                    contract,
                    product=product,
                    unit=omvang.eenheid,
                    valid_from=valid_from,
                    valid_to=valid_to,
                    price_cents=price,
                    opslag_cents=opslag,
                    by=by,
                )
            )
    return created


@transaction.atomic
def set_contract_budget(contract: Contract, *, year: int, amount_cents: int, by) -> ContractBudget:
    """The yearly budget ceiling of a contract (a new amount replaces the year's old one)."""
    budget, created = ContractBudget.objects.select_for_update().get_or_create(
        contract=contract, year=year, defaults={"amount_cents": amount_cents}
    )
    before = budget.amount_cents
    budget.amount_cents = amount_cents
    budget.full_clean()
    budget.save()
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        obj=budget,
        summary=f"budgetplafond {year}: {amount_cents} ct",
        changes=None if created else {"amount_cents": [before, amount_cents]},
    )
    return budget


# -- Declaraties --------------------------------------------------------------------------------


# The lengths the stored rows hold (the message's own limits are the parser's to check).
_LENGTHS = {
    "reference": 36,
    "previous_reference": 36,
    "assignment_number": 20,
    "product_category": 2,
    "product_code": 5,
    "unit": 2,
    "bsn": 9,
}


def _storable(line) -> bool:
    """Whether a prestatie fits the table (a period in order, D/C, no negative number, each text
    within its field's length)."""
    return not (
        line.period_end < line.period_start
        or line.debit_credit not in (DEBIT, CREDIT)
        or line.amount_cents < 0
        or line.volume < 0
        or (line.tariff_cents is not None and line.tariff_cents < 0)
        or not line.reference
        or any(len(getattr(line, name)) > length for name, length in _LENGTHS.items())
    )


def _check_shape(declaratie: DeclaratieIn, *, prejudged=()) -> None:
    """Refuse what no rule can judge (the faces check the shape first; this guards the tables):
    a declaratie without lines, a period ending before it starts, a sign other than D/C, a
    negative amount or volume, a text longer than its field. A line the face already rejected
    (`prejudged`, by index) is not judged here; it is stored only when it fits the table."""
    errors = []
    if not declaratie.prestaties:
        errors.append(_("Een declaratie heeft ten minste één prestatie."))
    if declaratie.period_end < declaratie.period_start or len(declaratie.number) > 12 or not declaratie.number:
        errors.append(_("De declaratieperiode of het declaratienummer is ongeldig."))
    if declaratie.total_debit_credit not in (DEBIT, CREDIT) or declaratie.total_cents < 0:
        errors.append(_("Het totaalbedrag is ongeldig."))
    for index, line in enumerate(declaratie.prestaties):
        if index not in prejudged and not _storable(line):
            errors.append(_("Prestatie %(number)s is ongeldig van vorm.") % {"number": index + 1})
    if errors:
        raise ValidationError(errors, code="invalid_declaratie")


def _follows_previous_period(declaratie: DeclaratieIn, *, provider: Provider, municipality) -> bool:
    """TR318: the declaratieperiode follows the provider's previous one to this municipality (one
    judged: a declaratie rejected as a whole does not count). A month skipped is allowed: in a month
    without care there is nothing to declare, and whether care was given we only know from the
    declaraties. A second declaratie for the same month is allowed too (it breaks no sequence; a
    provider completes the month); a period before the previous one is refused. One query."""
    previous = (
        Declaratie.objects.filter(provider=provider, municipality=municipality)
        .exclude(status=Declaratie.Status.REJECTED)
        .aggregate(last=Max("period_start"))["last"]
    )
    return previous is None or declaratie.period_start >= previous


def _declaratie_codes(declaratie: DeclaratieIn, *, provider: Provider, municipality, today: date) -> list[str]:
    """The codes that reject the declaratie as a whole (its prestaties are then not judged, TR342)."""
    found = []
    if declaratie.dagtekening > today:
        found.append(R.DAGTEKENING_IN_TOEKOMST)  # TR135
    if not checks.is_calendar_month(declaratie.period_start, declaratie.period_end):
        found.append(R.TECHNISCH_AFGEKEURD)  # the declaratieperiode is one calendar month
    if declaratie.signed_total_cents != sum(line.signed_cents for line in declaratie.prestaties):
        found.append(R.TECHNISCH_AFGEKEURD)  # TR358
    if (
        Declaratie.objects.filter(provider=provider, number=declaratie.number)
        .exclude(status=Declaratie.Status.REJECTED)
        .exists()
    ):
        found.append(R.DECLARATIENUMMER_NIET_UNIEK)  # TR333
    if not _follows_previous_period(declaratie, provider=provider, municipality=municipality):
        found.append(R.DECLARATIEPERIODE_NIET_AANSLUITEND)  # TR318
    return list(dict.fromkeys(str(code) for code in found))


def _load_context(declaratie: DeclaratieIn, *, provider: Provider, other_bsns=()) -> checks.Context:
    """Everything the line checks need, in a fixed number of queries for the whole declaratie
    (`other_bsns`: the clients of lines judged elsewhere, looked up in the same query)."""
    lines = declaratie.prestaties
    bsns = {line.bsn for line in lines} | set(other_bsns)
    clients = dict(Client.objects.filter(bsn__in=bsns).values_list("bsn", "pk"))

    numbers = {line.assignment_number for line in lines}
    wanted = numbers | {checks.normalised_assignment_number(number) for number in numbers}
    assignments = {
        row["number"]: checks.AssignmentFacts(**row)
        for row in Assignment.objects.filter(number__in=wanted).values(
            "pk",
            "number",
            "provider_id",
            "product_id",
            "volume",
            "unit",
            "start_date",
            "end_date",
            "status",
            "change_reason",
            bsn=F("indication__client__bsn"),
            category=F("product__iwmo_category"),
            code=F("product__iwmo_code"),
            opslag=F("indication__opslag"),
        )
    }
    frequencies = {}
    for product in Product.objects.select_related("iwmo_omvang"):
        omvang = omvang_of(product)
        frequencies[product.pk] = omvang.frequentie if omvang is not None else Frequentie.TOTAAL

    own_ids = [facts.pk for facts in assignments.values() if facts.provider_id == provider.pk]
    accepted = Prestatie.objects.filter(provider=provider, accepted=True)
    references = {line.reference for line in lines} | {line.previous_reference for line in lines} - {""}
    known_references = set(accepted.filter(reference__in=references).values_list("reference", flat=True))
    debits = {
        row["reference"]: checks.DebitFacts(**row)
        for row in accepted.filter(
            debit_credit=DEBIT, reference__in={line.previous_reference for line in lines} - {""}
        ).values(
            "pk",
            "reference",
            "assignment_id",
            "product_category",
            "product_code",
            "period_start",
            "period_end",
            "volume",
            "unit",
            "amount_cents",
            credited=_credited(),
        )
    }
    # Debits standing (not credited) per toewijzing and month (TR389), and the volume billed so far.
    open_debits = set()
    billed_volume: dict[int, int] = defaultdict(int)
    for row in (
        accepted.filter(assignment_id__in=own_ids)
        .values("assignment_id", "period_start", "product_category", "product_code", "debit_credit", "volume")
        .annotate(credited=_credited())
    ):
        sign = -1 if row["debit_credit"] == CREDIT else 1
        billed_volume[row["assignment_id"]] += sign * row["volume"]
        if row["debit_credit"] == DEBIT and not row["credited"]:
            open_debits.add(
                (
                    row["assignment_id"],
                    checks.month_of(row["period_start"]),
                    row["product_category"],
                    row["product_code"],
                )
            )
    tariffs = defaultdict(list)
    for tariff in ContractTariff.objects.filter(contract__provider=provider).select_related("contract"):
        tariffs[(tariff.product_id, tariff.unit)].append(
            checks.TariffFacts(
                valid_from=max(tariff.valid_from, tariff.contract.valid_from),
                valid_to=min(
                    (day for day in (tariff.valid_to, tariff.contract.valid_to) if day is not None), default=None
                ),
                price_cents=tariff.price_cents,
                opslag_cents=tariff.opslag_cents,
            )
        )
    return checks.Context(
        provider_id=provider.pk,
        declaratie=declaratie,
        clients=clients,
        assignments=assignments,
        frequencies=frequencies,
        known_references=known_references,
        debits=debits,
        open_debits=open_debits,
        billed_volume=billed_volume,
        tariffs=tariffs,
    )


def _credited():
    """Whether an accepted credit cancels the (debit) prestatie of the outer row."""
    return Exists(Prestatie.objects.filter(cancels=OuterRef("pk"), accepted=True))


def fingerprint_of(declaratie: DeclaratieIn) -> str:
    """SHA-256 of the declaratie's content (its plain shape's repr is canonical: same fields, same
    order), so a retry is told apart from another declaratie under a used identification."""
    return hashlib.sha256(repr(declaratie).encode()).hexdigest()


def is_other_content(declaratie: DeclaratieIn, *, provider: Provider, identification: str) -> bool:
    """Whether `identification` was used before by this provider for other content."""
    stored = Declaratie.objects.filter(provider=provider, identification=identification).values_list(
        "fingerprint", flat=True
    )
    return any(value != fingerprint_of(declaratie) for value in stored)


def stored_outcome(declaratie: Declaratie) -> DeclaratieOutcome:
    """The outcome as it was decided and stored (the answer to a resubmission)."""
    lines = list(declaratie.prestaties.order_by("index").values_list("index", "accepted", "codes"))
    return DeclaratieOutcome(
        declaratie_codes=tuple(declaratie.codes),
        decisions=tuple(PrestatieDecision(index=i, accepted=ok, codes=tuple(codes)) for i, ok, codes in lines),
        client_codes={bsn: tuple(codes) for bsn, codes in declaratie.client_codes.items()},
        submitted_cents=declaratie.submitted_cents,
        granted_cents=declaratie.granted_cents,
    )


def _status_of(declaratie_codes, decisions) -> str:
    if declaratie_codes:
        return Declaratie.Status.REJECTED
    accepted = sum(1 for decision in decisions if decision.accepted)
    if accepted == len(decisions):
        return Declaratie.Status.ACCEPTED
    return Declaratie.Status.PARTLY_ACCEPTED if accepted else Declaratie.Status.LINES_REJECTED


def submit_declaratie(
    declaratie: DeclaratieIn,
    *,
    provider: Provider,
    municipality,
    channel: str,
    identification: str,
    actor,
    today: date,
    incoming_message=None,
    prejudged: dict[int, tuple[str, ...]] | None = None,
) -> DeclaratieOutcome:
    """Judge a declaratie and store it with its answer, all or nothing. The same (provider,
    identification) again returns the stored outcome of the first and changes nothing. Each
    prestatie is decided once, on data loaded for the whole declaratie at once. Input no rule can
    judge (an end before a start, a sign other than D/C) raises a ValidationError and stores nothing.

    `prejudged`: the lines (by index) a face already rejected with their codes (the WMO323's
    in-message conditions, billing.inbox); they are stored as rejected prestaties with those codes
    and do not count for the other lines (an unstorable one, e.g. a period ending before it
    starts, is left out of the table; its decision is in the outcome)."""
    try:
        with transaction.atomic():
            return _submit(
                declaratie,
                provider=provider,
                municipality=municipality,
                channel=channel,
                identification=identification,
                actor=actor,
                today=today,
                incoming_message=incoming_message,
                prejudged=prejudged or {},
            )
    except IntegrityError:
        # A concurrent submission of the same identification won the race: answer with its outcome.
        first = Declaratie.objects.filter(provider=provider, identification=identification).first()
        if first is None:
            raise
        return stored_outcome(first)


def _judge(declaratie: DeclaratieIn, *, provider, prejudged) -> tuple[list, dict]:
    """A Judgement per line in the message's order, the prejudged ones with their codes, and the
    codes per client."""
    clean = [index for index in range(len(declaratie.prestaties)) if index not in prejudged]
    subset = replace(declaratie, prestaties=tuple(declaratie.prestaties[index] for index in clean))
    context = _load_context(
        subset, provider=provider, other_bsns={declaratie.prestaties[index].bsn for index in prejudged}
    )
    judged = dict(zip(clean, checks.judge(context), strict=True))
    for index, codes in prejudged.items():
        judged[index] = checks.Judgement(
            codes=tuple(codes), client_id=context.clients.get(declaratie.prestaties[index].bsn)
        )
    return [judged[index] for index in range(len(declaratie.prestaties))], context.client_codes


def _submit(declaratie, *, provider, municipality, channel, identification, actor, today, incoming_message, prejudged):
    # One declaratie of a provider at a time: the checks read what earlier ones accepted.
    Provider.objects.select_for_update().get(pk=provider.pk)
    first = Declaratie.objects.filter(provider=provider, identification=identification).first()
    if first is not None:
        return stored_outcome(first)
    _check_shape(declaratie, prejudged=prejudged)

    declaratie_codes = _declaratie_codes(declaratie, provider=provider, municipality=municipality, today=today)
    client_codes: dict[str, tuple[str, ...]] = {}
    if declaratie_codes:
        # TR342: a declaratie rejected as a whole has its prestaties not judged.
        judged = [checks.Judgement(codes=(str(R.NIET_BEOORDEELD),)) for _line in declaratie.prestaties]
    else:
        judged, client_codes = _judge(declaratie, provider=provider, prejudged=prejudged)
    decisions = tuple(
        PrestatieDecision(index=index, accepted=judgement.accepted, codes=judgement.codes)
        for index, judgement in enumerate(judged)
    )
    granted = sum(
        line.signed_cents for line, decision in zip(declaratie.prestaties, decisions, strict=True) if decision.accepted
    )
    stored = Declaratie.objects.create(
        provider=provider,
        municipality=municipality,
        number=declaratie.number,
        period_start=declaratie.period_start,
        period_end=declaratie.period_end,
        dagtekening=declaratie.dagtekening,
        channel=channel,
        identification=identification,
        fingerprint=fingerprint_of(declaratie),
        submitted_cents=declaratie.signed_total_cents,
        granted_cents=granted,
        status=_status_of(declaratie_codes, decisions),
        codes=declaratie_codes,
        client_codes={bsn: list(codes) for bsn, codes in client_codes.items()},
        incoming_message=incoming_message,
    )
    Prestatie.objects.bulk_create(
        [
            Prestatie(
                declaratie=stored,
                provider=provider,
                index=index,
                bsn=line.bsn,
                client_id=judgement.client_id,
                assignment_id=judgement.assignment_id,
                assignment_number=line.assignment_number,
                reference=line.reference,
                previous_reference=line.previous_reference,
                product_category=line.product_category,
                product_code=line.product_code,
                period_start=line.period_start,
                period_end=line.period_end,
                volume=line.volume,
                unit=line.unit,
                tariff_cents=line.tariff_cents,
                amount_cents=line.amount_cents,
                debit_credit=line.debit_credit,
                accepted=judgement.accepted,
                codes=list(judgement.codes),
                cancels_id=judgement.cancels_id,
            )
            for index, (line, judgement) in enumerate(zip(declaratie.prestaties, judged, strict=True))
            if index not in prejudged or _storable(line)
        ],
        batch_size=2000,
    )
    accepted = sum(1 for decision in decisions if decision.accepted)
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=stored,
        summary=(
            f"declaratie {declaratie.number} ({channel}) van {provider.agb_code}: {accepted} van "
            f"{len(decisions)} prestaties toegekend, {granted} van {declaratie.signed_total_cents} ct"
        ),
        changes={"codes": declaratie_codes} if declaratie_codes else None,
    )
    return DeclaratieOutcome(
        declaratie_codes=tuple(declaratie_codes),
        decisions=decisions,
        client_codes=client_codes,
        submitted_cents=declaratie.signed_total_cents,
        granted_cents=granted,
    )
