"""Queueing a WMO319 antwoordbericht, for either kind of verzoek: the answer to a refused (or, for a
WMO317, in onderzoek) verzoek om toewijzing (WMO315) or om wijziging (WMO317), written in the
transaction of the consultant's answer (a transactional outbox, like every outgoing message)."""

from datetime import date

from . import codes, outbox, wmo319
from .models import OutgoingMessage


def queue_wmo319(
    *,
    municipality,
    provider,
    client,
    reference: str,
    antwoord: str,
    reden: str,
    today: date,
    by,
    answers: str,
) -> OutgoingMessage:
    """The WMO319 to `provider` for the verzoek with ReferentieAanbieder `reference`: `antwoord`
    WJ760, `reden` WJ759 (a refusal only); `answers` names the verzoek in the audit summary."""
    outgoing = outbox.new_message(
        message_type=codes.MessageType.WMO319,
        sender=municipality.code,
        receiver=provider.agb_code,
        today=today,
        municipality=municipality,
        provider=provider,
        client=client,
    )
    xml = wmo319.build(
        wmo319.Antwoord(
            header=outbox.header_of(outgoing),
            referentie_aanbieder=reference,
            antwoord=antwoord,
            reden=reden,
        )
    )
    outbox.store(
        outgoing,
        xml,
        by=by,
        client_id=client.pk if client else None,
        summary=f"WMO319 {outgoing.identification} op {answers}: {codes.VerzoekAntwoord(antwoord).label}",
    )
    return outgoing
