"""A provider's system, simulated (the demo, `manage.py iwmo_simulate_provider AGB`): it reads the
WMO301s the municipality sent it, answers each with a WMO302, and reports the start (WMO305) and the
stop (WMO307) of some of the toewijzingen as a real provider would: dates inside the toewijzing, the
start on or after its ingangsdatum and not in the future, reported within the 5 werkdagen the
regieberichten allow. Everything goes through iwmo.inbox.receive, the real path.

It knows only what the 301s told it (the toewijzingnummers, the client), never our tables, except to
see what it reported before. Deterministic and idempotent: its identifications are derived from the
messages they answer, it answers a 301 once, and it reports N starts and N stops in all (counting
its own earlier reports), so a second run with the same numbers sends nothing new.

Now and then it also sends what else a provider's system sends, each up to N in all and chosen
with a random generator seeded by `seed` and the provider's AGB code (the same seed, the same
choice): it withdraws a stop or a start it reported (StatusAanlevering 3, CS058: a 307/305 with the
logical key of the report, TR063), asks to extend a running toewijzing by a verzoek om wijziging
(WMO317, naming every current toewijzing of the client, TR349) and asks for a new toewijzing for a
client whose toewijzing ended (WMO315). Every WMO319 (the answer to a verzoek it did not get
granted) it answers with a WMO320 retour, once, as it answers the 301s with 302s."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from providers.models import Assignment

from . import regie, retour_in, verzoek_toewijzing, verzoeken, wmo301
from .codes import MessageType
from .codes import Retourcode as R
from .inbox import receive
from .models import IncomingMessage, OutgoingMessage, RetourStatus
from .xml import Header

# The start is reported a few days after it happened, inside the 5 werkdagen of the regieberichten.
START_DAYS_BEFORE_REPORT = 2
STOP_REASON_EARLY = "23"  # WMO588: in overeenstemming voortijdig beëindigd
STOP_REASON_PLANNED = "19"  # WMO588: levering volgens plan beëindigd
# A verzoek om wijziging asks to extend the toewijzing by this many days (reden WJ758 1 or 2).
EXTENSION_DAYS = 91
# A verzoek om toewijzing (after an ended toewijzing) asks for one from next week, for half a year.
REQUEST_STARTS_IN_DAYS, REQUEST_DAYS = 7, 182
# The prefixes of the simulator's own identifications (12 characters with the toewijzingnummer):
# S5/S7 its starts and stops, SI a withdrawal (of a 305 or a 307: TR056 is per type), SV a 317, SQ a 315.
WITHDRAWAL, CHANGE_REQUEST, ASSIGNMENT_REQUEST = "SI", "SV", "SQ"


@dataclass
class Simulation:
    retours: int = 0
    rejected_retours: int = 0
    antwoord_retours: int = 0
    starts: int = 0
    stops: int = 0
    withdrawals: int = 0
    change_requests: int = 0
    assignment_requests: int = 0
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
    provider,
    *,
    starts: int,
    stops: int,
    reject_every: int = 0,
    today: date,
    seed: int = 0,
    withdrawals: int = 0,
    change_requests: int = 0,
    assignment_requests: int = 0,
) -> Simulation:
    """Answer the provider's unanswered 301s (every `reject_every`-th with 9332 on its first product,
    0 = none), then report `starts` starts and `stops` stops, withdraw up to `withdrawals` of its
    reports, answer the 301s those caused, send up to `change_requests` WMO317s and
    `assignment_requests` WMO315s, then run the registered STEPS (deterministic per `seed`)."""
    result = Simulation()
    _answer_antwoorden(provider, today=today, result=result)
    known = _answer_toewijzingen(provider, reject_every=reject_every, today=today, result=result)
    candidates = [t for t in sorted(known.values(), key=lambda t: t.nummer) if not t.rejected]
    reported = _reported(provider, candidates)
    # A report it withdrew is not sent again (the same bytes would be the message already received).
    started_before = _own_reports(provider, MessageType.WMO305)
    to_start = [
        t
        for t in candidates
        if reported[t.nummer][0] is None and t.nummer not in started_before and _start_day(t, today=today)
    ]
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
    stopped_before = _own_reports(provider, MessageType.WMO307)
    to_stop = [
        t
        for t in candidates
        if reported[t.nummer][0] is not None and reported[t.nummer][1] is None and t.nummer not in stopped_before
    ]
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
    rng = random.Random(f"{seed}:{provider.agb_code}")
    _withdraw(provider, candidates, withdrawals, rng=rng, today=today, result=result)
    # An accepted stop ends the toewijzing (a withdrawn stop may restore its end), which sends a new
    # 301: answer that as well; the 301s now say what is current.
    current = _answer_toewijzingen(provider, reject_every=0, today=today, result=result)
    _ask_for_changes(provider, current, change_requests, rng=rng, today=today, result=result)
    _ask_for_toewijzingen(provider, current, assignment_requests, rng=rng, today=today, result=result)
    _answer_antwoorden(provider, today=today, result=result)  # a verzoek refused at once has its 319 now
    for step in STEPS:
        step(provider, known=known, today=today, seed=seed, result=result)
    return result


def _receive(raw: bytes, name: str, *, today: date, result: Simulation) -> IncomingMessage:
    incoming = receive(raw, channel=IncomingMessage.Channel.FOLDER, file_name=f"simulator-{name}.xml", today=today)
    result.count(incoming)
    return incoming


def _unsent(provider, message_types, prefix: str, candidates: list[_Known]) -> list[_Known]:
    """The candidates the simulator sent no message of these types with this prefix for yet (one
    per toewijzing: the identification is derived from its number)."""
    sent = set(
        IncomingMessage.objects.filter(
            sender=provider.agb_code, message_type__in=message_types, identification__startswith=prefix
        ).values_list("identification", flat=True)
    )
    return [t for t in candidates if f"{prefix}{t.nummer:010d}" not in sent]


def _budget(provider, message_types, prefix: str, wanted: int) -> int:
    """How many more of these messages the simulator may send: `wanted` in all, its earlier ones counted."""
    done = IncomingMessage.objects.filter(
        sender=provider.agb_code, message_type__in=message_types, identification__startswith=prefix
    ).count()
    return max(wanted - done, 0)


def _withdraw(provider, candidates: list[_Known], wanted: int, *, rng, today: date, result: Simulation) -> None:
    """CS058: withdraw a stop it reported (a 307 with StatusAanlevering 3, the stop's Begindatum and
    Einddatum, TR063), or a start without a stop (a 305 with its Begindatum, TR069)."""
    types = (MessageType.WMO305, MessageType.WMO307)
    room = _budget(provider, types, WITHDRAWAL, wanted)
    if not room:
        return
    reported = _reported(provider, candidates)
    own = _own_reports(provider, MessageType.WMO305)
    chosen = [t for t in _unsent(provider, types, WITHDRAWAL, candidates) if t.nummer in own]
    chosen = [t for t in chosen if reported[t.nummer][0] is not None]
    for toewijzing in rng.sample(chosen, min(room, len(chosen))):
        begun, ended = reported[toewijzing.nummer]
        message_type = MessageType.WMO307 if ended else MessageType.WMO305
        raw = _regiebericht(
            message_type,
            provider,
            toewijzing,
            begin=begun,
            end=ended,
            reason=_stop_reason(provider, toewijzing) if ended else "",
            today=today,
            identification=f"{WITHDRAWAL}{toewijzing.nummer:010d}",
            status="3",
        )
        _receive(raw, f"{message_type[-3:]}-intrekking-{toewijzing.nummer}", today=today, result=result)
        result.withdrawals += 1


def _own_reports(provider, message_type: str) -> set[int]:
    """The toewijzingnummers the simulator itself reported a start (WMO305, its S5 identifications)
    or a stop (WMO307, S7) for."""
    identifications = IncomingMessage.objects.filter(
        sender=provider.agb_code, message_type=message_type, identification__startswith=f"S{message_type[-1]}"
    ).values_list("identification", flat=True)
    return {int(identification[2:]) for identification in identifications}


def _stop_reason(provider, toewijzing: _Known) -> str:
    """The reden beëindiging of the stop being withdrawn: it is part of what is withdrawn."""
    stopped = Assignment.objects.filter(provider=provider, number=f"{toewijzing.nummer:010d}")
    return stopped.values_list("stop_reason", flat=True).first() or STOP_REASON_EARLY


def _is_current(toewijzing: _Known, *, today: date) -> bool:
    return (
        not toewijzing.rejected
        and toewijzing.ingangsdatum <= today
        and (toewijzing.einddatum is None or toewijzing.einddatum >= today)
    )


def _ask_for_changes(provider, known: dict[int, _Known], wanted: int, *, rng, today: date, result) -> None:
    """WMO317: ask to extend a running toewijzing (started, not stopped, with an end date) by
    EXTENSION_DAYS, naming the client's other current toewijzingen at this provider unchanged (TR349)."""
    room = _budget(provider, (MessageType.WMO317,), CHANGE_REQUEST, wanted)
    if not room:
        return
    current = [t for t in sorted(known.values(), key=lambda t: t.nummer) if _is_current(t, today=today)]
    reported = _reported(provider, current)
    running = [t for t in current if t.einddatum and reported[t.nummer][0] and not reported[t.nummer][1]]
    chosen = _unsent(provider, (MessageType.WMO317,), CHANGE_REQUEST, running)
    for toewijzing in rng.sample(chosen, min(room, len(chosen))):
        others = [t for t in current if t.client.bsn == toewijzing.client.bsn and t.nummer != toewijzing.nummer]
        message = verzoeken.VerzoekOmWijziging(
            header=_header(MessageType.WMO317, provider, toewijzing, CHANGE_REQUEST, today=today),
            bsn=toewijzing.client.bsn,
            referentie_aanbieder=f"SIM-WIJZIGING-{toewijzing.nummer}",
            reden_verzoek=rng.choice(("1", "2")),
            producten=[
                *(verzoeken.VerzoekProduct(soort=verzoeken.ONGEWIJZIGD, nummer=str(t.nummer)) for t in others),
                verzoeken.VerzoekProduct(
                    soort=verzoeken.TE_WIJZIGEN,
                    nummer=str(toewijzing.nummer),
                    gewenste_ingangsdatum=toewijzing.ingangsdatum,  # TR357: a past date is the Ingangsdatum
                    einddatum=toewijzing.einddatum + timedelta(days=EXTENSION_DAYS),
                ),
            ],
        )
        _receive(verzoeken.build(message), f"317-{toewijzing.nummer}", today=today, result=result)
        result.change_requests += 1


def _ask_for_toewijzingen(provider, known: dict[int, _Known], wanted: int, *, rng, today: date, result) -> None:
    """WMO315: ask for a new toewijzing of the same product for a client whose toewijzing ended
    (its end date passed, or its stop was reported) and who has no other running one here."""
    room = _budget(provider, (MessageType.WMO315,), ASSIGNMENT_REQUEST, wanted)
    if not room:
        return
    toewijzingen = [t for t in sorted(known.values(), key=lambda t: t.nummer) if not t.rejected]
    reported = _reported(provider, toewijzingen)

    def ended(toewijzing: _Known) -> bool:
        return reported[toewijzing.nummer][1] is not None or bool(toewijzing.einddatum and toewijzing.einddatum < today)

    served = {t.client.bsn for t in toewijzingen if _is_current(t, today=today) and not ended(t)}
    ended = [t for t in toewijzingen if ended(t) and t.client.bsn not in served]
    chosen = _unsent(
        provider, (MessageType.WMO315,), ASSIGNMENT_REQUEST, list({t.client.bsn: t for t in ended}.values())
    )
    for toewijzing in rng.sample(chosen, min(room, len(chosen))):
        start = today + timedelta(days=REQUEST_STARTS_IN_DAYS)
        message = _verzoek_om_toewijzing(
            _header(MessageType.WMO315, provider, toewijzing, ASSIGNMENT_REQUEST, today=today),
            _regie_client(toewijzing.client),
            categorie=toewijzing.categorie,
            code=toewijzing.code,
            reference=f"SIM-TOEWIJZING-{toewijzing.nummer}",
            start=start,
        )
        _receive(verzoek_toewijzing.build(message), f"315-{toewijzing.nummer}", today=today, result=result)
        result.assignment_requests += 1


def _header(message_type: str, provider, toewijzing: _Known, prefix: str, *, today: date) -> Header:
    return Header(
        message_type=message_type,
        sender=provider.agb_code,
        receiver=toewijzing.municipality,
        identification=f"{prefix}{toewijzing.nummer:010d}",
        dagtekening=today,
    )


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


def _answer_antwoorden(provider, *, today: date, result: Simulation) -> None:
    """The WMO320 on every WMO319 to this provider that has no retour yet (0200 throughout: the
    provider's system read the answer). Its IdentificatieRetour is derived from the 319's."""
    antwoorden = (
        OutgoingMessage.objects.filter(
            provider=provider,
            message_type=MessageType.WMO319,
            status__in=(OutgoingMessage.Status.QUEUED, OutgoingMessage.Status.DELIVERED),
            retour_message__isnull=True,
        )
        .only("pk", "xml", "identification")
        .order_by("pk")
    )
    for message in antwoorden:
        raw = retour_in.build(message.xml, identification=f"SA{message.identification[-10:]}", dagtekening=today)
        _receive(raw, f"320-{message.identification}", today=today, result=result)
        result.antwoord_retours += 1


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


def _regie_client(person: wmo301.Persoon) -> regie.RegieClient:
    """The Client element as the provider knows the client: from the 301."""
    return regie.RegieClient(
        bsn=person.bsn,
        geboortedatum=person.geboortedatum.isoformat(),
        datum_gebruik="",
        geslacht=person.geslacht,
        achternaam=person.achternaam,
        voorvoegsel=person.voorvoegsel,
        voornamen=person.voornamen,
        voorletters=person.voorletters,
    )


def _regiebericht(
    message_type, provider, toewijzing: _Known, *, begin, today, end=None, reason="", identification="", status="1"
) -> bytes:
    stop = message_type == MessageType.WMO307
    return regie.build_heenbericht(
        regie.Regiebericht(
            message_type=message_type,
            header=Header(
                message_type=message_type,
                sender=provider.agb_code,
                receiver=toewijzing.municipality,
                identification=identification or f"S{message_type[-1]}{toewijzing.nummer:010d}",
                dagtekening=today,
            ),
            client=_regie_client(toewijzing.client),
            producten=[
                regie.RegieProduct(
                    nummer=str(toewijzing.nummer),
                    categorie=toewijzing.categorie,
                    code=toewijzing.code,
                    toewijzing_ingangsdatum=toewijzing.ingangsdatum,
                    begindatum=begin,
                    reden_beeindiging=reason if stop else "",
                    einddatum=end if stop else None,
                    status_aanlevering=status,
                )
            ],
        )
    )


def request_toewijzing(provider, client, product, *, reference: str, today: date) -> IncomingMessage:
    """The provider's system asks for a toewijzing of `product` for `client` from the next week
    (WMO315, verzoek om toewijzing), through the real inbox: it lands on the consultants' worklist,
    or is rejected at once with a WMO319 when the provider has no contract for the product."""
    header = Header(
        message_type=MessageType.WMO315,
        sender=provider.agb_code,
        receiver=client.municipality.code,
        identification=f"SIM315{client.pk:06d}"[-12:],
        dagtekening=today,
    )
    message = _verzoek_om_toewijzing(
        header,
        regie.RegieClient.of(client),
        categorie=product.iwmo_category,
        code=product.iwmo_code,
        reference=reference,
        start=today + timedelta(days=REQUEST_STARTS_IN_DAYS),
    )
    return receive(verzoek_toewijzing.build(message), channel=IncomingMessage.Channel.FOLDER, file_name="", today=today)


def _verzoek_om_toewijzing(
    header: Header, client: regie.RegieClient, *, categorie: str, code: str, reference: str, start: date
) -> verzoek_toewijzing.VerzoekOmToewijzing:
    """A WMO315 of one product from `start` for REQUEST_DAYS, one unit (82) per month as our products."""
    return verzoek_toewijzing.VerzoekOmToewijzing(
        header=header,
        client=client,
        producten=[
            verzoek_toewijzing.AangevraagdProduct(
                referentie=reference,
                toewijzing_ingangsdatum=start,
                toewijzing_einddatum=start + timedelta(days=REQUEST_DAYS),
                verwijzer_type="01",  # gemeente
                categorie=categorie,
                code=code,
                omvang=verzoek_toewijzing.Omvang(volume="1", eenheid="82", frequentie="4"),
                commentaar="Cliënt meldde zich bij ons; graag een toewijzing.",
            )
        ],
    )
