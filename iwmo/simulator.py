"""A provider's system, simulated (the demo, `manage.py iwmo_simulate_provider AGB`): it reads the
WMO301s the municipality sent it, answers each with a WMO302, and reports the start (WMO305) and the
stop (WMO307) of some of the toewijzingen as a real provider would: dates inside the toewijzing, the
start on or after its ingangsdatum and not in the future, reported within the 5 werkdagen the
regieberichten allow. Everything goes through iwmo.inbox.receive, the real path.

It knows only what the 301s told it (the toewijzingnummers, the client), never our tables, except to
see what it reported before. Deterministic and idempotent: its identifications are derived from the
messages they answer, it answers a 301 once, and it reports N starts and N stops in all (counting
its own earlier reports), so a second run with the same numbers sends nothing new."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from providers.models import Assignment

from . import regie, retour_in, verzoek_toewijzing, wmo301
from .codes import MessageType
from .codes import Retourcode as R
from .inbox import receive
from .models import IncomingMessage, OutgoingMessage, RetourStatus
from .xml import Header

# The start is reported a few days after it happened, inside the 5 werkdagen of the regieberichten.
START_DAYS_BEFORE_REPORT = 2
STOP_REASON_EARLY = "23"  # WMO588: in overeenstemming voortijdig beëindigd
STOP_REASON_PLANNED = "19"  # WMO588: levering volgens plan beëindigd


@dataclass
class Simulation:
    retours: int = 0
    rejected_retours: int = 0
    starts: int = 0
    stops: int = 0
    statuses: dict[str, int] = field(default_factory=dict)

    def count(self, incoming: IncomingMessage) -> None:
        label = f"{incoming.message_type} {incoming.get_status_display()}"
        self.statuses[label] = self.statuses.get(label, 0) + 1


@dataclass(frozen=True)
class _Known:
    """A toewijzing as the provider knows it from the last 301 that named it."""

    nummer: int
    categorie: str
    code: str
    ingangsdatum: date
    einddatum: date | None
    client: wmo301.Persoon
    municipality: str
    rejected: bool
    omvang: wmo301.Omvang | None = None


# Further steps of the provider's system, registered at start-up by the apps above this one (billing:
# the monthly WMO323): step(provider, known=, today=, seed=, result=) runs after the regieberichten,
# with what the 301s told the provider per toewijzingnummer (`known`, the rejected ones included).
STEPS: list[Callable] = []


def register_step(step: Callable) -> None:
    if step not in STEPS:
        STEPS.append(step)


def simulate_provider(
    provider, *, starts: int, stops: int, reject_every: int = 0, today: date, seed: int = 0
) -> Simulation:
    """Answer the provider's unanswered 301s (every `reject_every`-th with 9332 on its first product,
    0 = none), then report `starts` starts and `stops` stops, then answer the 301s those caused,
    then run the registered STEPS (deterministic per `seed`)."""
    result = Simulation()
    known = _answer_toewijzingen(provider, reject_every=reject_every, today=today, result=result)
    candidates = [t for t in sorted(known.values(), key=lambda t: t.nummer) if not t.rejected]
    reported = _reported(provider, candidates)
    to_start = [t for t in candidates if reported[t.nummer][0] is None and _start_day(t, today=today)]
    for toewijzing in to_start[: max(starts - _sent(provider, MessageType.WMO305), 0)]:
        incoming = receive(
            _regiebericht(
                MessageType.WMO305, provider, toewijzing, begin=_start_day(toewijzing, today=today), today=today
            ),
            channel=IncomingMessage.Channel.FOLDER,
            file_name=f"simulator-305-{toewijzing.nummer}.xml",
            today=today,
        )
        result.starts += 1
        result.count(incoming)
    reported = _reported(provider, candidates)
    to_stop = [t for t in candidates if reported[t.nummer][0] is not None and reported[t.nummer][1] is None]
    for toewijzing in to_stop[: max(stops - _sent(provider, MessageType.WMO307), 0)]:
        end = min(toewijzing.einddatum or today, today)
        reason = STOP_REASON_PLANNED if toewijzing.einddatum and toewijzing.einddatum <= today else STOP_REASON_EARLY
        begun = reported[toewijzing.nummer][0]
        incoming = receive(
            _regiebericht(MessageType.WMO307, provider, toewijzing, begin=begun, end=end, reason=reason, today=today),
            channel=IncomingMessage.Channel.FOLDER,
            file_name=f"simulator-307-{toewijzing.nummer}.xml",
            today=today,
        )
        result.stops += 1
        result.count(incoming)
    # An accepted stop ends the toewijzing, which sends a new 301: answer that as well.
    _answer_toewijzingen(provider, reject_every=0, today=today, result=result)
    for step in STEPS:
        step(provider, known=known, today=today, seed=seed, result=result)
    return result


def _answer_toewijzingen(provider, *, reject_every: int, today: date, result: Simulation) -> dict[int, _Known]:
    """The 302 on every 301 to this provider that has none; returns what the 301s said per toewijzing."""
    known: dict[int, _Known] = {}
    messages = (
        OutgoingMessage.objects.filter(
            provider=provider,
            message_type=MessageType.WMO301,
            status__in=(OutgoingMessage.Status.QUEUED, OutgoingMessage.Status.DELIVERED),
        )
        .only("pk", "xml", "identification", "retour_message_id", "retour_status")
        .order_by("pk")
    )
    for message in messages:
        toewijzing = wmo301.parse(message.xml.encode("utf-8"))
        rejected = bool(reject_every) and int(message.identification) % reject_every == 0
        if message.retour_message_id is not None:
            rejected = message.retour_status != RetourStatus.ACCEPTED
        else:
            rejections = {}
            if rejected and toewijzing.producten:
                rejections = {f"ToegewezenProduct {toewijzing.producten[0].nummer}": (R.TOEWIJZINGNUMMER_NIET_UNIEK,)}
            raw = retour_in.build(
                message.xml, identification=f"S{message.identification[-11:]}", dagtekening=today, rejections=rejections
            )
            incoming = receive(
                raw,
                channel=IncomingMessage.Channel.FOLDER,
                file_name=f"simulator-302-{message.identification}.xml",
                today=today,
            )
            result.retours += 1
            result.rejected_retours += int(bool(rejections))
            result.count(incoming)
        for product in toewijzing.producten:
            known[product.nummer] = _Known(
                nummer=product.nummer,
                categorie=product.categorie,
                code=product.code,
                ingangsdatum=product.ingangsdatum,
                einddatum=product.einddatum,
                client=toewijzing.client,
                municipality=toewijzing.header.sender,
                rejected=rejected and product.nummer == toewijzing.producten[0].nummer,
                omvang=product.omvang,
            )
    return known


def _reported(provider, candidates: list[_Known]) -> dict[int, tuple[date | None, date | None]]:
    """What was reported before (start, stop) per toewijzingnummer: our side of the provider's memory."""
    rows = Assignment.objects.filter(provider=provider, number__in=[f"{t.nummer:010d}" for t in candidates])
    found = {
        int(number): (started, stopped)
        for number, started, stopped in rows.values_list("number", "care_started_on", "care_stopped_on")
    }
    # A number we no longer know (not expected) counts as reported: the simulator leaves it alone.
    return {t.nummer: found.get(t.nummer, (t.ingangsdatum, t.ingangsdatum)) for t in candidates}


def _sent(provider, message_type: str) -> int:
    """How many reports of this type the simulator sent for this provider before (its identifications
    start with S5 / S7): the run reports up to N in all, so a second run sends nothing new."""
    return IncomingMessage.objects.filter(
        sender=provider.agb_code, message_type=message_type, identification__startswith=f"S{message_type[-1]}"
    ).count()


def _start_day(toewijzing: _Known, *, today: date) -> date | None:
    """A start inside the toewijzing, not in the future, reported in time (or None: not yet)."""
    if toewijzing.ingangsdatum > today or (toewijzing.einddatum and toewijzing.einddatum < toewijzing.ingangsdatum):
        return None
    begin = max(toewijzing.ingangsdatum, today - timedelta(days=START_DAYS_BEFORE_REPORT))
    if toewijzing.einddatum and begin > toewijzing.einddatum:
        return None
    return begin


def _regiebericht(message_type, provider, toewijzing: _Known, *, begin, today, end=None, reason="") -> bytes:
    stop = message_type == MessageType.WMO307
    person = toewijzing.client
    return regie.build_heenbericht(
        regie.Regiebericht(
            message_type=message_type,
            header=Header(
                message_type=message_type,
                sender=provider.agb_code,
                receiver=toewijzing.municipality,
                identification=f"S{message_type[-1]}{toewijzing.nummer:010d}",
                dagtekening=today,
            ),
            client=regie.RegieClient(
                bsn=person.bsn,
                geboortedatum=person.geboortedatum.isoformat(),
                datum_gebruik="",
                geslacht=person.geslacht,
                achternaam=person.achternaam,
                voorvoegsel=person.voorvoegsel,
                voornamen=person.voornamen,
                voorletters=person.voorletters,
            ),
            producten=[
                regie.RegieProduct(
                    nummer=str(toewijzing.nummer),
                    categorie=toewijzing.categorie,
                    code=toewijzing.code,
                    toewijzing_ingangsdatum=toewijzing.ingangsdatum,
                    begindatum=begin,
                    reden_beeindiging=reason if stop else "",
                    einddatum=end if stop else None,
                    status_aanlevering="1",
                )
            ],
        )
    )


def request_toewijzing(provider, client, product, *, reference: str, today: date) -> IncomingMessage:
    """The provider's system asks for a toewijzing of `product` for `client` from the next week
    (WMO315, verzoek om toewijzing), through the real inbox: it lands on the consultants' worklist,
    or is rejected at once with a WMO319 when the provider has no contract for the product."""
    start = today + timedelta(days=7)
    message = verzoek_toewijzing.VerzoekOmToewijzing(
        header=Header(
            message_type=MessageType.WMO315,
            sender=provider.agb_code,
            receiver=client.municipality.code,
            identification=f"SIM315{client.pk:06d}"[-12:],
            dagtekening=today,
        ),
        client=regie.RegieClient.of(client),
        producten=[
            verzoek_toewijzing.AangevraagdProduct(
                referentie=reference,
                toewijzing_ingangsdatum=start,
                toewijzing_einddatum=start + timedelta(days=182),
                verwijzer_type="01",  # gemeente
                categorie=product.iwmo_category,
                code=product.iwmo_code,
                omvang=verzoek_toewijzing.Omvang(volume="1", eenheid="82", frequentie="4"),
                commentaar="Cliënt meldde zich bij ons; graag een toewijzing.",
            )
        ],
    )
    return receive(verzoek_toewijzing.build(message), channel=IncomingMessage.Channel.FOLDER, file_name="", today=today)
