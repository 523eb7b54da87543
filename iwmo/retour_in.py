"""The provider's retour on what we sent: WMO302 (on our 301) and WMO320 (on our 319) read into plain
data, written (for the tests and the provider simulator), judged and recorded on the outbox row.

A retour echoes its heenbericht: the heenbericht's header (its Afzender, Ontvanger and
BerichtIdentificatie) followed by IdentificatieRetour, DagtekeningRetour, XsdVersieRetour and the
header's RetourCodes, and every class of the heenbericht with its own RetourCodes (WJ001) as its last
child. That shape is the same for every retour type, so the reader and the writer are generic: the
table RETOUR_CLASSES names, per retour type, the classes that carry RetourCodes, and PRODUCT_CLASS the
one whose codes decide "deels geaccepteerd". A retour on a type we never send simply finds no
heenbericht.

Judging: the structure (the hardened parser, the XSD when IWMO_XSD_DIR is set), the header, the
referenced heenbericht exists in our outbox (type, Afzender, Identificatie and Dagtekening of the
heenbericht), the retour's sender is the provider we sent it to, and it is not a second retour on the
same message (nor the same IdentificatieRetour twice, TR056). A retour on a retour is not answered
(OP090 asks a retour of a heenbericht only), so nothing is queued.
"""

import copy
from dataclasses import dataclass, replace
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from lxml import etree

from audit.models import AuditEvent
from audit.services import record_event
from indications.models import Municipality
from providers.models import Provider

from . import codes
from .codes import MessageType as M
from .codes import Retourcode as R
from .models import IncomingMessage, OutgoingMessage, RetourStatus
from .xml import Header, Reader, TechnicalError

# The classes of each retour type that carry RetourCodes (besides the Header), from the retour XSDs.
RETOUR_CLASSES = {
    M.WMO302: ("Client", "Relatie", "Contact", "ToegewezenProduct"),
    M.WMO320: ("Antwoord",),
}
# The class whose codes say which parts were accepted (deels geaccepteerd).
PRODUCT_CLASS = {M.WMO302: "ToegewezenProduct", M.WMO320: "Antwoord"}
HEENBERICHT_OF = {retour: heen for heen, retour in codes.RETOUR_OF.items() if retour in RETOUR_CLASSES}
RETOUR_TYPES = tuple(RETOUR_CLASSES)


@dataclass(frozen=True)
class ElementCodes:
    """The RetourCodes of one class: "Header", "Client", "ToegewezenProduct 42", "Contact 1", ..."""

    element: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Retourbericht:
    message_type: str
    heenbericht: Header  # the header of the message it answers (Afzender = the municipality)
    identification: str  # IdentificatieRetour
    dagtekening: date  # DagtekeningRetour
    elements: tuple[ElementCodes, ...]  # the Header first

    @property
    def sender(self) -> str:
        """The provider that sends the retour: the heenbericht's Ontvanger."""
        return self.heenbericht.receiver


def meaning(code: str) -> str:
    """The Dutch meaning of a WJ001 code (iwmo/codes.py); a code outside our list says so."""
    return str(R(code).label) if code in R.values else _("Onbekende retourcode %(code)s.") % {"code": code}


def status_of(message_type: str, elements: tuple[ElementCodes, ...]) -> str:
    """0200 everywhere: geaccepteerd. Anything else in the header, or on every product: afgekeurd.
    Some products accepted and something else not: deels geaccepteerd."""

    def clean(element: ElementCodes) -> bool:
        return set(element.codes) <= {R.GEEN_OPMERKING} and bool(element.codes)

    if all(clean(element) for element in elements):
        return RetourStatus.ACCEPTED
    header = [element for element in elements if element.element == "Header"]
    if header and not clean(header[0]):
        return RetourStatus.REJECTED
    products = [e for e in elements if e.element.split(" ")[0] == PRODUCT_CLASS[message_type]]
    return RetourStatus.PARTLY_ACCEPTED if any(clean(product) for product in products) else RetourStatus.REJECTED


# ------------------------------------------------------------------------------------------------
# Writing (the provider's side: tests and the simulator)
# ------------------------------------------------------------------------------------------------


def build(
    heenbericht_xml: bytes | str,
    *,
    identification: str,
    dagtekening: date,
    rejections: dict[str, tuple[str, ...]] | None = None,
) -> bytes:
    """The retour on `heenbericht_xml` (a 301 or 319 as we sent it): every class gets 0200 unless
    `rejections` names it ("Header", "Client", "ToegewezenProduct 42", "Antwoord", "Contact 1")."""
    raw = heenbericht_xml.encode("utf-8") if isinstance(heenbericht_xml, str) else heenbericht_xml
    heen_root = etree.fromstring(raw)
    heen_type = next((t for t in codes.RETOUR_OF if heen_root.tag == f"{{{codes.namespace(t)}}}Bericht"), "")
    retour_type = codes.RETOUR_OF.get(heen_type, "")
    if retour_type not in RETOUR_CLASSES:
        raise ValueError(f"geen retourbericht voor {heen_root.tag}")
    rejections = rejections or {}
    heen_ns, ns = codes.namespace(heen_type), codes.namespace(retour_type)
    root = _renamespaced(heen_root, heen_ns, ns, retour_type.lower())
    header = root.find(f"{{{ns}}}Header")
    header.find(f"{{{ns}}}BerichtCode").text = codes.BERICHTCODE[retour_type]

    def add(parent, name, text=None, namespace=ns):
        element = etree.SubElement(parent, f"{{{namespace}}}{name}")
        element.text = text
        return element

    add(header, "IdentificatieRetour", identification)
    add(header, "DagtekeningRetour", dagtekening.isoformat())
    versie = add(header, "XsdVersieRetour")
    add(versie, "BasisschemaXsdVersie", codes.BASISSCHEMA_XSD_VERSIE, codes.BASIS_NAMESPACE)
    add(versie, "BerichtXsdVersie", codes.BERICHT_XSD_VERSIE, codes.BASIS_NAMESPACE)
    for element, key in [(header, "Header"), *_classes(root, retour_type)]:
        container = add(element, "RetourCodes")
        for code in rejections.get(key, (R.GEEN_OPMERKING,)):
            add(container, "RetourCode", code)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _renamespaced(heen_root, heen_ns: str, ns: str, prefix: str):
    """A copy of the heenbericht with its own namespace replaced by the retour's."""
    root = etree.Element(f"{{{ns}}}Bericht", nsmap={prefix: ns, "iwmo": codes.BASIS_NAMESPACE})
    for child in heen_root:
        root.append(copy.deepcopy(child))
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith(f"{{{heen_ns}}}"):
            element.tag = f"{{{ns}}}{element.tag[len(heen_ns) + 2 :]}"
    etree.cleanup_namespaces(root)
    return root


def _classes(root, retour_type: str):
    """(element, key) of every class below the Header that carries RetourCodes, in document order."""
    ns = codes.namespace(retour_type)
    names = RETOUR_CLASSES[retour_type]
    seen: dict[str, int] = {}
    for element in root.iter():
        if not isinstance(element.tag, str) or not element.tag.startswith(f"{{{ns}}}"):
            continue
        name = etree.QName(element).localname
        if name not in names:
            continue
        number = element.find(f"{{{ns}}}ToewijzingNummer")
        if number is not None and (number.text or "").strip().isdigit():
            yield element, f"{name} {int(number.text)}"
        elif name in ("Client", "Antwoord"):
            yield element, name
        else:
            seen[name] = seen.get(name, 0) + 1
            yield element, f"{name} {seen[name]}"


# ------------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------------


def read(message_type: str, root) -> Retourbericht:
    """A parsed WMO302/WMO320 into plain data; raises TechnicalError when it is not one we can use."""
    reader = Reader(root, message_type)
    heenbericht = reader.header()
    head = reader.find(root, "Header")
    heen_type = HEENBERICHT_OF[message_type]
    heenbericht = replace(heenbericht, message_type=heen_type)
    if not heenbericht.identification or not heenbericht.receiver:
        raise TechnicalError(_("De header noemt het heenbericht niet (Identificatie, Ontvanger)."))
    identification = reader.text(head, "IdentificatieRetour")
    if not 1 <= len(identification) <= 12:
        raise TechnicalError(_("IdentificatieRetour ontbreekt of is te lang."))
    try:
        dagtekening = date.fromisoformat(reader.text(head, "DagtekeningRetour"))
    except ValueError as error:
        raise TechnicalError(_("DagtekeningRetour is geen datum.")) from error
    elements = [ElementCodes("Header", _codes(reader, head))]
    for element, key in _classes(root, message_type):
        elements.append(ElementCodes(key, _codes(reader, element)))
    if any(not element.codes for element in elements[1:]):
        raise TechnicalError(_("Een berichtklasse heeft geen RetourCodes."))
    return Retourbericht(message_type, heenbericht, identification, dagtekening, tuple(elements))


def _codes(reader: Reader, element) -> tuple[str, ...]:
    return tuple((code.text or "").strip() for code in reader.findall(element, "RetourCodes", "RetourCode"))


# ------------------------------------------------------------------------------------------------
# Judging and recording (called by iwmo.inbox for the types in RETOUR_TYPES)
# ------------------------------------------------------------------------------------------------


def receive_retour(
    incoming: IncomingMessage, root, *, failure: TechnicalError | None, provider: Provider | None, today: date
) -> IncomingMessage:
    """Judge a retour and record it on the heenbericht's outbox row; saves `incoming`. No answer is sent."""
    errors: list[dict] = []

    def refuse(text: str, code: str = "") -> IncomingMessage:
        errors.append({"element": "Header", "codes": [code] if code else [], "melding": text[:500]})
        incoming.errors, incoming.status = errors, IncomingMessage.Status.REJECTED
        incoming.save()
        return incoming

    message = None
    if failure is None:
        try:
            message = read(incoming.message_type or _type_of(root), root)
        except TechnicalError as error:
            failure = error
    if message is not None:
        incoming.message_type = message.message_type
        incoming.sender, incoming.receiver = message.sender[:8], message.heenbericht.sender[:8]
        incoming.identification, incoming.dagtekening = message.identification, message.dagtekening
        incoming.provider = Provider.objects.filter(agb_code=message.sender).first()
        incoming.municipality = Municipality.objects.filter(code=message.heenbericht.sender).first()
    if provider is not None:
        incoming.provider = provider
    if failure is not None:
        incoming.message_type = incoming.message_type or _type_of(root)
        return refuse(str(failure), R.TECHNISCH_AFGEKEURD)
    heen = (
        OutgoingMessage.objects.select_for_update()
        .filter(
            message_type=message.heenbericht.message_type,
            sender=message.heenbericht.sender,
            identification=message.heenbericht.identification,
            dagtekening=message.heenbericht.dagtekening,
        )
        .first()
    )
    if heen is None:
        return refuse(
            _("Het retourbericht verwijst naar een %(type)s %(id)s van %(date)s dat wij niet hebben verstuurd.")
            % {
                "type": message.heenbericht.message_type,
                "id": message.heenbericht.identification,
                "date": message.heenbericht.dagtekening.strftime("%d-%m-%Y"),
            }
        )
    incoming.client = heen.client
    incoming.municipality = incoming.municipality or heen.municipality
    if message.sender != heen.receiver or (provider is not None and provider.pk != heen.provider_id):
        return refuse(_("De afzender van het retourbericht is niet de aanbieder waaraan het bericht is verstuurd."))
    if message.dagtekening > today:
        return refuse(str(R.DAGTEKENING_IN_TOEKOMST.label), R.DAGTEKENING_IN_TOEKOMST)  # TR135
    if IncomingMessage.objects.filter(
        sender=incoming.sender, message_type=incoming.message_type, identification=incoming.identification
    ).exists():
        return refuse(str(R.IDENTIFICATIE_NIET_UNIEK.label), R.IDENTIFICATIE_NIET_UNIEK)  # TR056
    if heen.retour_message_id is not None:
        return refuse(_("Op dit bericht is al een retourbericht ontvangen."))
    incoming.status = IncomingMessage.Status.ACCEPTED
    incoming.save()
    heen.retour_message = incoming
    heen.retour_status = status_of(message.message_type, message.elements)
    heen.retour_codes = [
        {"element": e.element, "codes": [{"code": c, "betekenis": meaning(c)} for c in e.codes]}
        for e in message.elements
    ]
    heen.retour_dagtekening = message.dagtekening
    with transaction.atomic():
        heen.save(update_fields=["retour_message", "retour_status", "retour_codes", "retour_dagtekening"])
        record_event(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            obj=heen,
            client_id=heen.client_id,
            summary=f"{message.message_type} {message.identification} van {message.sender} op "
            f"{heen.message_type} {heen.identification}: {heen.get_retour_status_display()}",
        )
    return incoming


def _type_of(root) -> str:
    if root is None:
        return ""
    return next((t for t in RETOUR_TYPES if root.tag == f"{{{codes.namespace(t)}}}Bericht"), "")
