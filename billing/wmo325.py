"""WMO325 (declaratie-antwoord) out: the municipality's answer to one WMO323, written from the 323's
header, its `DeclaratieIn` and the checks' `DeclaratieOutcome`; `read` reads one back (the provider
simulator and the tests).

What the standard asks of it:
- The Header names the 323 in DeclaratieIdentificatie (its Identificatie and Dagtekening) and its XSD
  versions in XsdVersieDeclaratie; its RetourCodes are 0200, or the technical rejection (0001, 9056,
  8848, S300...), in which case the message carries no DeclaratieAntwoord.
- The DeclaratieAntwoord repeats the DeclaratieNummer and the TotaalIngediendBedrag and states the
  TotaalToegekendBedrag. TR342: only rejected Prestaties are listed (so SOM(IngediendBedrag of the
  listed prestaties) = TotaalIngediendBedrag - TotaalToegekendBedrag), and Clienten holds only the
  clients with such a prestatie; when the DeclaratieAntwoord itself is rejected, no prestatie is
  judged or listed and the TotaalToegekendBedrag is 0.
- CS325: an amount of 0 has DebetCredit D."""

from dataclasses import dataclass
from datetime import date

from iwmo import codes, regie
from iwmo.codes import MessageType
from iwmo.codes import Retourcode as R
from iwmo.xml import Header, Reader, Writer, parse_message

from .types import CREDIT, DEBIT, DeclaratieIn, DeclaratieOutcome, PrestatieDecision, PrestatieIn
from .wmo323 import group_by_client, write_amount, write_prestatie

ANTWOORD = MessageType.WMO325


def signed_to_dc(cents: int) -> tuple[int, str]:
    """Signed cents as iWmo writes them: the amount and D or C (CS325: 0 is D)."""
    return (abs(cents), CREDIT if cents < 0 else DEBIT)


def rejected_prestaties(declaratie: DeclaratieIn, outcome: DeclaratieOutcome) -> dict[int, PrestatieDecision]:
    """The prestaties the 325 lists (TR342): each rejected one by index; none when the declaratie as a
    whole was rejected. A prestatie without a decision counts as not judged (0233), never as granted."""
    if is_rejected(outcome.declaratie_codes):
        return {}
    decided = {decision.index: decision for decision in outcome.decisions}
    rejected = {}
    for index in range(len(declaratie.prestaties)):
        decision = decided.get(index) or PrestatieDecision(index=index, accepted=False, codes=(R.NIET_BEOORDEELD,))
        if not decision.accepted:
            rejected[index] = decision
    return rejected


def is_rejected(retourcodes) -> bool:
    return any(code != R.GEEN_OPMERKING for code in retourcodes)


def build(
    header: Header,
    *,
    identification: str,
    dagtekening: date,
    header_codes: tuple[str, ...],
    declaratie: DeclaratieIn | None = None,
    outcome: DeclaratieOutcome | None = None,
    receiver: str = "",
) -> bytes:
    """The WMO325 answering the 323 with `header`: our `identification` and `dagtekening`, to
    `receiver` (default: the 323's sender; the inbox answers the authenticated provider when the
    header names another); with only the Header when `header_codes` reject the message."""
    writer = Writer(ANTWOORD)
    _header(
        writer,
        header,
        identification=identification,
        dagtekening=dagtekening,
        header_codes=header_codes,
        receiver=receiver or header.sender,
    )
    if declaratie is None or outcome is None or is_rejected(header_codes):
        return writer.tobytes()
    element = writer.add(writer.root, "DeclaratieAntwoord", always=True)
    writer.add(element, "DeclaratieNummer", declaratie.number)
    write_amount(writer, element, "TotaalIngediendBedrag", declaratie.total_cents, declaratie.total_debit_credit)
    granted = 0 if is_rejected(outcome.declaratie_codes) else outcome.granted_cents
    write_amount(writer, element, "TotaalToegekendBedrag", *signed_to_dc(granted))
    rejected = rejected_prestaties(declaratie, outcome)
    if rejected:
        clients = writer.add(element, "Clienten", always=True)
        for bsn, lines in group_by_client(declaratie.prestaties).items():
            listed = [(index, prestatie) for index, prestatie in lines if index in rejected]
            if not listed:
                continue
            client = writer.add(clients, "Client", always=True)
            writer.add(client, "Bsn", bsn)
            container = writer.add(client, "Prestaties", always=True)
            for index, prestatie in listed:
                write_prestatie(writer, container, prestatie, rejected[index].codes or (R.TECHNISCH_AFGEKEURD,))
            writer.retourcodes(client, outcome.client_codes.get(bsn) or (R.GEEN_OPMERKING,))
    writer.retourcodes(element, outcome.declaratie_codes or (R.GEEN_OPMERKING,))
    return writer.tobytes()


def _header(writer: Writer, header: Header, *, identification: str, dagtekening: date, header_codes, receiver) -> None:
    element = writer.add(writer.root, "Header", always=True)
    writer.add(element, "BerichtCode", codes.BERICHTCODE[ANTWOORD])
    writer.add(element, "BerichtVersie", codes.BERICHT_VERSIE)
    writer.add(element, "BerichtSubversie", codes.BERICHT_SUBVERSIE)
    writer.add(element, "Afzender", header.receiver)  # the municipality the 323 was sent to
    writer.add(element, "Ontvanger", receiver)
    ours = writer.add(element, "BerichtIdentificatie", always=True)
    writer.basis(ours, "Identificatie", identification)
    writer.basis(ours, "Dagtekening", dagtekening)
    writer.xsd_versie(element, "XsdVersie", codes.BASISSCHEMA_XSD_VERSIE, codes.BERICHT_XSD_VERSIE)
    theirs = writer.add(element, "DeclaratieIdentificatie", always=True)
    writer.basis(theirs, "Identificatie", header.identification)
    writer.basis(theirs, "Dagtekening", header.dagtekening)
    writer.xsd_versie(
        element,
        "XsdVersieDeclaratie",
        regie.version_or(header.basisschema_xsd_versie, codes.BASISSCHEMA_XSD_VERSIE),
        regie.version_or(header.bericht_xsd_versie, codes.BERICHT_XSD_VERSIE),
    )
    writer.retourcodes(element, header_codes or (R.GEEN_OPMERKING,))


# ---------------------------------------------------------------------------------------------
# Reading (the provider's side)


@dataclass(frozen=True)
class RejectedPrestatie:
    prestatie: PrestatieIn
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Declaratieantwoord:
    """A WMO325 as read: its own header, the 323 it answers, the codes per class and the rejected
    prestaties (empty lists when it carries only a Header)."""

    header: Header
    declaratie_identification: str
    declaratie_dagtekening: date
    header_codes: tuple[str, ...]
    number: str = ""
    submitted_cents: int = 0  # signed
    granted_cents: int = 0  # signed
    declaratie_codes: tuple[str, ...] = ()
    client_codes: dict[str, tuple[str, ...]] | None = None
    rejected: tuple[RejectedPrestatie, ...] = ()


def read(raw: bytes) -> Declaratieantwoord:
    """Read a WMO325 (TechnicalError when it is none)."""
    message_type, root = parse_message(raw, expected=(ANTWOORD,))
    reader = Reader(root, message_type)
    header = reader.header()
    head = reader.find(root, "Header")

    def codes_of(element) -> tuple[str, ...]:
        return tuple(e.text for e in reader.findall(element, "RetourCodes", "RetourCode"))

    found = {
        "header": header,
        "declaratie_identification": reader.text(head, "DeclaratieIdentificatie", basis=("Identificatie",)),
        "declaratie_dagtekening": date.fromisoformat(
            reader.text(head, "DeclaratieIdentificatie", basis=("Dagtekening",))
        ),
        "header_codes": codes_of(head),
    }
    element = reader.find(root, "DeclaratieAntwoord")
    if element is None:
        return Declaratieantwoord(**found)
    client_codes: dict[str, tuple[str, ...]] = {}
    rejected = []
    for client in reader.findall(element, "Clienten", "Client"):
        bsn = reader.text(client, "Bsn")
        client_codes[bsn] = codes_of(client)
        for line in reader.findall(client, "Prestaties", "Prestatie"):
            rejected.append(RejectedPrestatie(_read_prestatie(reader, line, bsn), codes_of(line)))
    return Declaratieantwoord(
        **found,
        number=reader.text(element, "DeclaratieNummer"),
        submitted_cents=_signed(reader, element, "TotaalIngediendBedrag"),
        granted_cents=_signed(reader, element, "TotaalToegekendBedrag"),
        declaratie_codes=codes_of(element),
        client_codes=client_codes,
        rejected=tuple(rejected),
    )


def _signed(reader: Reader, element, name: str, amount: str = "TotaalBedrag") -> int:
    cents = int(reader.text(element, name, basis=(amount,)))
    return -cents if reader.text(element, name, basis=("DebetCredit",)) == CREDIT else cents


def _read_prestatie(reader: Reader, line, bsn: str) -> PrestatieIn:
    tariff = reader.text(line, "ProductTarief")
    return PrestatieIn(
        bsn=bsn,
        reference=reader.text(line, "ProductReferentie", basis=("ReferentieNummer",)),
        previous_reference=reader.text(line, "ProductReferentie", basis=("VorigReferentieNummer",)),
        assignment_number=reader.text(line, "ToewijzingNummer"),
        product_category=reader.text(line, "ProductCategorie"),
        product_code=reader.text(line, "ProductCode"),
        period_start=date.fromisoformat(reader.text(line, "ProductPeriode", basis=("Begindatum",))),
        period_end=date.fromisoformat(reader.text(line, "ProductPeriode", basis=("Einddatum",))),
        volume=int(reader.text(line, "GeleverdVolume")),
        unit=reader.text(line, "Eenheid"),
        tariff_cents=int(tariff) if tariff else None,
        amount_cents=int(reader.text(line, "IngediendBedrag", basis=("Bedrag",))),
        debit_credit=reader.text(line, "IngediendBedrag", basis=("DebetCredit",)),
    )
