"""The provider simulator bills monthly (a step of iwmo.simulator, registered in billing's
apps.ready): after its regieberichten, the simulated provider sends one WMO323 per municipality for
the last full calendar month, for the toewijzingen the 301s told it of whose care it reported as
started, and reads the WMO325s it gets back.

Each line follows the standard's shape (a ProductPeriode inside the month and the toewijzing,
TR387/TR388; the 301's Omvang as volume and unit; ProductTarief and IngediendBedrag = volume x the
provider's price), so a correct line passes the conditions; a small, seeded share (ERROR_SHARE) has
an error of a known kind (ERROR_KINDS), which the checks must catch. Deterministic per seed, provider
and month, and idempotent: the identification is derived from the month and the municipality, a
month already billed is not billed again. Now and then (CREDIT_SHARE) a month also credits an
accepted debit of an earlier month exactly.

The provider's price per month is its own price list, here the product's 4-weekly tariff in force on
the first day of the ProductPeriode times 13/12 (13 four-week periods in a year, 12 months): the
conversion the provider's system is assumed to make."""

import random
from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from indications.selectors import tariff_for
from iwmo.codes import Eenheid, Frequentie
from iwmo.inbox import receive
from iwmo.models import IncomingMessage, OutgoingMessage
from iwmo.xml import Header
from providers.models import Assignment

from . import wmo323, wmo325
from .models import Prestatie
from .types import CREDIT, DEBIT, DeclaratieIn, PrestatieIn

ERROR_SHARE = 0.1
# Known kinds of error a provider's system makes, and who catches them: the amount is not volume x
# price (the database checks), the ProductCode is not the toewijzing's (TR340, 9340), the
# toewijzingnummer is unknown (TR338, 9338), a ReferentieNummer repeated in the message (TR314, 8021).
ERROR_KINDS = ("bedrag", "productcode", "toewijzingnummer", "referentie")
# Now and then the provider corrects an earlier month: the share of its accepted, uncredited debits
# of earlier months to this municipality that a month's 323 credits exactly (IV091: the same line, a
# new ReferentieNummer, the debit's as VorigReferentieNummer, C), which the checks must accept.
CREDIT_SHARE = 0.05
PERIODS_PER_YEAR = 13
MONTHS_PER_YEAR = 12


def billing_month(today: date) -> tuple[date, date]:
    """The last full calendar month before `today` (the declaratieperiode, CS340)."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def identification_of(first: date, municipality: str) -> str:
    return f"S3{first:%Y%m}{municipality}"  # 12 characters: unique per provider, month and municipality


def monthly_price_cents(product, on: date) -> int | None:
    tariff = tariff_for(product, on)
    if tariff is None:
        return None
    per_month = tariff.amount_per_period * 100 * PERIODS_PER_YEAR / MONTHS_PER_YEAR
    return int(Decimal(per_month).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def bill_month(provider, *, known, today: date, seed: int, result) -> None:
    """Send this month's WMO323s (one per municipality) and read their WMO325s into `result`."""
    first, last = billing_month(today)
    assignments = {
        int(assignment.number): assignment
        for assignment in Assignment.objects.select_related("product").filter(
            provider=provider,
            number__in=[f"{number:010d}" for number in known],
            care_started_on__lte=last,
        )
    }
    rng = random.Random(f"{seed}-{provider.agb_code}-{first:%Y%m}")
    lines: dict[str, list[PrestatieIn]] = {}
    for number in sorted(known):
        toewijzing, assignment = known[number], assignments.get(number)
        prestatie = _line(toewijzing, assignment, first=first, last=last)
        if prestatie is not None:
            lines.setdefault(toewijzing.municipality, []).append(prestatie)
    for municipality, prestaties in sorted(lines.items()):
        identification = identification_of(first, municipality)
        if IncomingMessage.objects.filter(
            sender=provider.agb_code, message_type=wmo323.DECLARATIE, identification=identification
        ).exists():
            continue  # billed before: a second run sends nothing new
        prestaties = _with_errors(prestaties, rng=rng, result=result)
        prestaties += _credits(provider, municipality=municipality, before=first, rng=rng, result=result)
        total = sum(prestatie.signed_cents for prestatie in prestaties)
        declaratie = DeclaratieIn(
            number=f"D{first:%Y%m}{municipality}",
            period_start=first,
            period_end=last,
            dagtekening=today,
            total_cents=abs(total),
            total_debit_credit=CREDIT if total < 0 else DEBIT,
            prestaties=tuple(prestaties),
        )
        header = Header(
            message_type=wmo323.DECLARATIE,
            sender=provider.agb_code,
            receiver=municipality,
            identification=identification,
            dagtekening=today,
        )
        incoming = receive(
            wmo323.build(header, declaratie),
            channel=IncomingMessage.Channel.FOLDER,
            file_name=f"simulator-323-{identification}.xml",
            today=today,
        )
        result.count(incoming)
        for answer in read_answers(provider, incoming=incoming):
            _count(result, "WMO325 afgewezen prestaties", len(answer.rejected))
            _count(result, "WMO325 toegekend (centen)", answer.granted_cents)


def _line(toewijzing, assignment, *, first: date, last: date) -> PrestatieIn | None:
    """The month's line of one toewijzing, or None: rejected, not started, no monthly Omvang, not
    in force in the month, or no price."""
    omvang = toewijzing.omvang
    if toewijzing.rejected or assignment is None or omvang is None or omvang.frequentie != Frequentie.PER_MAAND:
        return None
    if assignment.care_stopped_on is not None and assignment.care_stopped_on < first:
        return None
    start = max(first, toewijzing.ingangsdatum)  # TR387
    end = min(last, toewijzing.einddatum or last)  # TR388
    if end < start:
        return None
    price = monthly_price_cents(assignment.product, start)
    if price is None:
        return None
    euros = omvang.eenheid == Eenheid.EUROS
    volume = price if euros else omvang.volume
    return PrestatieIn(
        bsn=toewijzing.client.bsn,
        reference=f"{toewijzing.nummer}{first:%Y%m}",
        previous_reference="",
        assignment_number=str(toewijzing.nummer),
        product_category=toewijzing.categorie,
        product_code=toewijzing.code,
        period_start=start,
        period_end=end,
        volume=volume,
        unit=omvang.eenheid,
        tariff_cents=None if euros else price,  # CD087
        amount_cents=volume if euros else volume * price,  # CS339
        debit_credit=DEBIT,
    )


def _with_errors(prestaties: list[PrestatieIn], *, rng: random.Random, result) -> list[PrestatieIn]:
    """A seeded share of the lines with an error of a known kind (counted in `result`)."""
    changed = []
    for index, prestatie in enumerate(prestaties):
        if rng.random() >= ERROR_SHARE:
            changed.append(prestatie)
            continue
        kind = rng.choice(ERROR_KINDS if index else ERROR_KINDS[:3])
        _count(result, f"WMO323 regel met fout ({kind})", 1)
        if kind == "bedrag":
            prestatie = replace(prestatie, amount_cents=prestatie.amount_cents + 100)
        elif kind == "productcode":
            prestatie = replace(prestatie, product_code=_other_code(prestatie.product_code))
        elif kind == "toewijzingnummer":
            prestatie = replace(prestatie, assignment_number=str(999_000_000 + index))
        else:
            prestatie = replace(prestatie, reference=prestaties[index - 1].reference)
        changed.append(prestatie)
    return changed


def _credits(provider, *, municipality: str, before: date, rng: random.Random, result) -> list[PrestatieIn]:
    """Credit lines for a seeded share (CREDIT_SHARE) of the provider's accepted debits of months
    before `before` to `municipality` that no credit cancelled yet (one query)."""
    debits = Prestatie.objects.filter(
        provider=provider,
        accepted=True,
        debit_credit=DEBIT,
        cancelled_by__isnull=True,
        declaratie__municipality__code=municipality,
        declaratie__period_start__lt=before,
    ).order_by("pk")
    credits = []
    for debit in debits:
        if rng.random() >= CREDIT_SHARE:
            continue
        credits.append(
            PrestatieIn(
                bsn=debit.bsn,
                reference=f"{debit.reference}{CREDIT}",
                previous_reference=debit.reference,
                assignment_number=debit.assignment_number,
                product_category=debit.product_category,
                product_code=debit.product_code,
                period_start=debit.period_start,
                period_end=debit.period_end,
                volume=debit.volume,
                unit=debit.unit,
                tariff_cents=debit.tariff_cents,
                amount_cents=debit.amount_cents,
                debit_credit=CREDIT,
            )
        )
    _count(result, "WMO323 creditregels", len(credits))
    return credits


def _other_code(code: str) -> str:
    return code[:-1] + ("9" if code[-1:] != "9" else "8")


def _count(result, label: str, amount: int) -> None:
    result.statuses[label] = result.statuses.get(label, 0) + amount


def read_answers(provider, *, incoming=None) -> list[wmo325.Declaratieantwoord]:
    """The WMO325s the municipality sent this provider (those answering `incoming`, if given), read
    as the provider's system reads them."""
    messages = OutgoingMessage.objects.filter(provider=provider, message_type=wmo325.ANTWOORD).order_by("pk")
    if incoming is not None:
        messages = messages.filter(in_reply_to=incoming)
    return [wmo325.read(message.xml.encode("utf-8")) for message in messages]
