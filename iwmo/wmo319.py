"""WMO319 (antwoordbericht): the municipality's answer to a verzoek om toewijzing (WMO315) or a
verzoek om wijziging (WMO317) that it does not grant (yet): WJ760 1 *verzoek afgewezen* with a WJ759
reden, or WJ760 2 *aanvraag in onderzoek*. A granted verzoek has no 319: its answer is the new
toewijzing (WMO301).

Generic on purpose: plain data in, bytes out, and back; it knows nothing of ChangeRequest, so the
answer to a 315 uses the same builder. The ReferentieAanbieder is the verzoek's own (TR355)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import codes
from .xml import Header, Reader, TechnicalError, Writer, parse_message

ANTWOORD = codes.MessageType.WMO319


@dataclass(frozen=True)
class Antwoord:
    """One WMO319: `header` (Afzender the municipality, Ontvanger the provider), the verzoek's
    ReferentieAanbieder, `antwoord` (WJ760) and, for a refusal, `reden` (WJ759; CS: only with 1)."""

    header: Header
    referentie_aanbieder: str
    antwoord: str
    reden: str = ""

    def __post_init__(self):
        if self.header.message_type != ANTWOORD:
            raise ValueError("A WMO319 needs a WMO319 header.")
        if self.antwoord not in codes.VerzoekAntwoord.values:
            raise ValueError(f"Unknown VerzoekAntwoord (WJ760): {self.antwoord!r}")
        if self.antwoord == codes.VerzoekAntwoord.AFGEWEZEN and self.reden not in codes.RedenAfwijzingVerzoek.values:
            raise ValueError(f"A refusal needs a RedenAfwijzingVerzoek (WJ759): {self.reden!r}")
        if self.antwoord != codes.VerzoekAntwoord.AFGEWEZEN and self.reden:
            raise ValueError("Only a refusal (WJ760 1) has a RedenAfwijzingVerzoek.")
        if not 1 <= len(self.referentie_aanbieder) <= 36:
            raise ValueError("ReferentieAanbieder has 1 to 36 characters.")


def build(antwoord: Antwoord) -> bytes:
    writer = Writer(ANTWOORD)
    writer.header(antwoord.header)
    element = writer.add(writer.root, "Antwoord", always=True)
    writer.add(element, "ReferentieAanbieder", antwoord.referentie_aanbieder)
    writer.add(element, "VerzoekAntwoord", antwoord.antwoord)
    writer.add(element, "RedenAfwijzingVerzoek", antwoord.reden)
    return writer.tobytes()


def read(raw: bytes) -> Antwoord:
    """Read a WMO319 (ours, in the tests; a provider simulator)."""
    message_type, root = parse_message(raw, expected=(ANTWOORD,))
    reader = Reader(root, message_type)
    element = reader.find(root, "Antwoord")
    if element is None:
        raise TechnicalError(_("Het antwoordbericht heeft geen Antwoord."))
    return Antwoord(
        header=reader.header(),
        referentie_aanbieder=reader.text(element, "ReferentieAanbieder"),
        antwoord=reader.text(element, "VerzoekAntwoord"),
        reden=reader.text(element, "RedenAfwijzingVerzoek"),
    )
