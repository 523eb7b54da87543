"""Receiving a WMO323 through the iWmo inbox (`POST /iwmo/berichten/`, `iwmo_import`) and answering
it with one WMO325 in the outbox, in the inbox's three layers:

1. Structure: the hardened parser, the official XSD when IWMO_XSD_DIR is set, and the reader's own
   type checks (billing.wmo323.read): anything else is a technical rejection, a 325 with only its
   Header (0001).
2. The header's technical rules, as for every message (iwmo.inbox): TR056 (9056, the identification
   unique per sender: a resent 323 changes nothing), TR135 (8848), TR378 (S300), the sender a
   provider we know (and the one of the API key). A rejected header: a 325 with only its Header.
3. The in-message conditions (billing.wmo323.check_conditions): a finding on the Declaratie rejects
   it as a whole (0001 on the DeclaratieAntwoord, no prestatie judged, TotaalToegekendBedrag 0); one
   on a Client (CS002, TR101) rejects its prestaties as not judged (0233); one on a Prestatie rejects
   that line. The whole declaratie goes to `billing.services.submit_declaratie`, the service of the
   REST API, with the lines the conditions rejected as `prejudged`: it judges the others against the
   database (set-based) and records the declaratie with every line (the rejected ones with their
   codes), so the reconciliation counts each line of the 323 once.

The same bytes received again are the message already received (no second 325)."""

from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from iwmo import inbox as iwmo_inbox
from iwmo.codes import Retourcode as R

from . import services, wmo323, wmo325
from .types import DeclaratieIn, DeclaratieOutcome
from .wmo325 import is_rejected

CHANNEL = "iwmo"  # submit_declaratie's channel for a declaratie that came in as a WMO323


def judge_and_apply(message: wmo323.Declaratiebericht, incoming, judgement, *, sender, actor, today) -> None:
    """Judge the 323 (conditions here, the database checks in the service) and fill the inbox's
    judgement; the outcome is kept on the message for the 325."""
    declaratie = message.declaratie
    found = wmo323.check_conditions(declaratie, dagtekening=message.header.dagtekening, client_bsns=message.client_bsns)
    if found.declaratie:
        outcome = DeclaratieOutcome(
            declaratie_codes=_codes(found.declaratie),
            submitted_cents=declaratie.signed_total_cents,
        )
        for code, text in found.declaratie:
            judgement.note(f"Declaratie {declaratie.number}", code, text)
    else:
        outcome = _judge_lines(message, found, incoming, sender=sender, actor=actor, today=today, judgement=judgement)
    message.outcome = outcome
    _fill(judgement, message, outcome)


def _judge_lines(message, found: wmo323.Conditions, incoming, *, sender, actor, today, judgement) -> DeclaratieOutcome:
    declaratie = message.declaratie
    here: dict[int, tuple[str, ...]] = {}
    for index, prestatie in enumerate(declaratie.prestaties):
        if prestatie.bsn in found.clients:
            here[index] = (R.NIET_BEOORDEELD,)
        elif index in found.prestaties:
            here[index] = _codes(found.prestaties[index])
    for bsn, findings in found.clients.items():
        for code, text in findings:
            judgement.note(f"Client {bsn}", code, text)
    for index, findings in found.prestaties.items():
        for code, text in findings:
            judgement.note(f"Prestatie {declaratie.prestaties[index].reference}", code, text)
    judged = _submit(declaratie, here, message, incoming, sender=sender, actor=actor, today=today, judgement=judgement)
    if is_rejected(judged.declaratie_codes):
        return replace(judged, decisions=(), submitted_cents=declaratie.signed_total_cents, granted_cents=0)
    client_codes = {bsn: _codes(findings) for bsn, findings in found.clients.items()}
    for bsn, codes in judged.client_codes.items():
        client_codes.setdefault(bsn, codes)
    return replace(judged, declaratie_codes=(), client_codes=client_codes)


def _codes(findings) -> tuple[str, ...]:
    return tuple(dict.fromkeys(code for code, _text in findings))


def _submit(declaratie: DeclaratieIn, prejudged, message, incoming, *, sender, actor, today, judgement):
    """The service judges the lines the conditions let through and stores every line, those the
    conditions rejected (`prejudged`) with their codes, so every line of the 323 is counted."""
    try:
        with transaction.atomic():
            return services.submit_declaratie(
                declaratie,
                provider=sender,
                municipality=incoming.municipality,
                channel=CHANNEL,
                identification=message.header.identification,
                actor=actor,
                today=today,
                incoming_message=incoming,
                prejudged=prejudged,
            )
    except ValidationError as error:
        # The service refused the declaratie as a whole: nothing of it was written (its savepoint).
        judgement.note(f"Declaratie {declaratie.number}", R.TECHNISCH_AFGEKEURD, " ".join(error.messages)[:500])
        return DeclaratieOutcome(declaratie_codes=(R.TECHNISCH_AFGEKEURD,))


def _fill(judgement, message: wmo323.Declaratiebericht, outcome: DeclaratieOutcome) -> None:
    """The inbox's judgement (its status and error list) from the outcome."""
    judgement.client_codes = [R.GEEN_OPMERKING]  # per-client codes live in the outcome (a 323 has many)
    judgement.element_codes["DeclaratieAntwoord"] = list(outcome.declaratie_codes or [R.GEEN_OPMERKING])
    rejected = wmo325.rejected_prestaties(message.declaratie, outcome)
    if is_rejected(outcome.declaratie_codes):
        judgement.product_codes = [[R.NIET_BEOORDEELD] for _prestatie in message.declaratie.prestaties]
        if not judgement.errors:
            for code in outcome.declaratie_codes:
                judgement.note(f"Declaratie {message.declaratie.number}", code, _label(code))
        return
    judgement.product_codes = [
        list(rejected[index].codes) if index in rejected else [R.GEEN_OPMERKING]
        for index in range(len(message.declaratie.prestaties))
    ]
    noted = {error["element"] for error in judgement.errors}
    for index, decision in rejected.items():
        element = f"Prestatie {message.declaratie.prestaties[index].reference}"
        if element not in noted:
            for code in decision.codes:
                judgement.note(element, code, _label(code))


def _label(code: str) -> str:
    try:
        return str(R(code).label)
    except ValueError:
        return _("Retourcode %(code)s.") % {"code": code}


def build_retour(message, header, retour, _judgement) -> bytes:
    """The WMO325: only the Header when the 323 was rejected technically (message None); addressed
    to the provider its outbox row goes to (the authenticated one when the header named another)."""
    return wmo325.build(
        header,
        receiver=retour.receiver,
        identification=retour.identification,
        dagtekening=retour.dagtekening,
        header_codes=retour.header_codes,
        declaratie=message.declaratie if message is not None else None,
        outcome=message.outcome if message is not None else None,
    )


def register() -> None:
    iwmo_inbox.register(
        wmo323.DECLARATIE,
        iwmo_inbox.Handler(read=wmo323.read, judge_and_apply=judge_and_apply, build_retour=build_retour, needs_id=True),
    )
