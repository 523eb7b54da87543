"""WMO305 (start ondersteuning) and WMO307 (stop ondersteuning) in, WMO306 and WMO308 out: the
provider's regieberichten read into plain data, and the retour that answers them per element.

Reading never trusts the message: a value that is not what the element needs is kept as text and
noted in `fouten` of its class (an in-message condition, retourcode 0001 on that class)."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from . import codes
from .xml import Header, Reader, TechnicalError, Writer, parse_message

START, STOP = codes.MessageType.WMO305, codes.MessageType.WMO307
PRODUCT_ELEMENT = {START: ("StartProducten", "StartProduct"), STOP: ("StopProducten", "StopProduct")}


@dataclass
class RegieProduct:
    nummer: str
    categorie: str = ""
    code: str = ""
    toewijzing_ingangsdatum: date | None = None
    begindatum: date | None = None
    reden_beeindiging: str = ""
    einddatum: date | None = None
    status_aanlevering: str = ""
    fouten: list[str] = field(default_factory=list)


@dataclass
class RegieClient:
    bsn: str
    geboortedatum: str
    datum_gebruik: str
    geslacht: str
    achternaam: str
    voorvoegsel: str = ""
    voornamen: str = ""
    voorletters: str = ""

    @classmethod
    def of(cls, client) -> "RegieClient":
        """The Client element for one of our clients as a provider's system would send it (the
        simulator, the demo, the bench), geslacht in COD046 as the WMO301 sends it."""
        return cls(
            bsn=client.bsn,
            geboortedatum=client.date_of_birth.isoformat(),
            datum_gebruik="",
            geslacht=codes.GESLACHT.get(client.gender, "0"),
            achternaam=client.last_name,
            voornamen=client.first_name,
        )


@dataclass
class Regiebericht:
    message_type: str
    header: Header
    client: RegieClient
    producten: list[RegieProduct]


_AGB = re.compile(r"^[0-9]{8}$")
_GEMEENTE = re.compile(r"^[0-9]{4}$")


def check_header(header: Header) -> None:
    """A header we could not answer to (no sender, no identification) is a technical error."""
    if not _AGB.match(header.sender) or not _GEMEENTE.match(header.receiver):
        raise TechnicalError(_("Afzender of ontvanger ontbreekt of heeft niet de vorm van een AGB- of gemeentecode."))
    if not 1 <= len(header.identification) <= 12:
        raise TechnicalError(_("De identificatie van het bericht ontbreekt of is te lang."))


def read_date(value: str, name: str, problems: list[str]) -> date | None:
    """An optional date element of a message; a value that is no date adds a Dutch problem."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(_("%(name)s is geen datum.") % {"name": name})
        return None


def read(message_type: str, root) -> Regiebericht:
    reader = Reader(root, message_type)
    header = reader.header()
    check_header(header)
    client = reader.find(root, "Client")
    if client is None:
        raise TechnicalError(_("Het bericht heeft geen Client."))
    products = []
    for element in reader.findall(client, *PRODUCT_ELEMENT[message_type]):
        problems: list[str] = []
        product = RegieProduct(
            nummer=reader.text(element, "ToewijzingNummer"),
            categorie=reader.text(element, "Product", basis=("Categorie",)),
            code=reader.text(element, "Product", basis=("Code",)),
            status_aanlevering=reader.text(element, "StatusAanlevering"),
            reden_beeindiging=reader.text(element, "RedenBeeindiging"),
            fouten=problems,
        )
        product.toewijzing_ingangsdatum = read_date(
            reader.text(element, "ToewijzingIngangsdatum"), "ToewijzingIngangsdatum", problems
        )
        product.begindatum = read_date(reader.text(element, "Begindatum"), "Begindatum", problems)
        if product.begindatum is None and not problems:
            problems.append(_("Begindatum ontbreekt."))
        if message_type == STOP:
            product.einddatum = read_date(reader.text(element, "Einddatum"), "Einddatum", problems)
            if product.einddatum is None and not any(problem.startswith("Einddatum") for problem in problems):
                problems.append(_("Einddatum ontbreekt."))
        products.append(product)
    if not products:
        raise TechnicalError(_("Het bericht meldt geen product."))
    return Regiebericht(
        message_type=message_type,
        header=header,
        client=RegieClient(
            bsn=reader.text(client, "Bsn"),
            geboortedatum=reader.text(client, "Geboortedatum", basis=("Datum",)),
            datum_gebruik=reader.text(client, "Geboortedatum", basis=("DatumGebruik",)),
            geslacht=reader.text(client, "Geslacht"),
            achternaam=reader.text(client, "Naam", basis=("Geslachtsnaam", "Achternaam")),
            voorvoegsel=reader.text(client, "Naam", basis=("Geslachtsnaam", "Voorvoegsel")),
            voornamen=reader.text(client, "Naam", basis=("Voornamen",)),
            voorletters=reader.text(client, "Naam", basis=("Voorletters",)),
        ),
        producten=products,
    )


def build_heenbericht(message: Regiebericht) -> bytes:
    """A WMO305/307 as a provider sends it (the tests' messages, the provider simulator)."""
    writer = Writer(message.message_type)
    writer.header(message.header)
    client = _client(writer, message.client)
    container = writer.add(client, PRODUCT_ELEMENT[message.message_type][0], always=True)
    for product in message.producten:
        _product(writer, container, message.message_type, product)
    return writer.tobytes()


def _client(writer: Writer, person: RegieClient):
    client = writer.add(writer.root, "Client", always=True)
    writer.add(client, "Bsn", person.bsn)
    birth = writer.add(client, "Geboortedatum", always=True)
    writer.basis(birth, "Datum", person.geboortedatum)
    writer.basis(birth, "DatumGebruik", person.datum_gebruik)
    writer.add(client, "Geslacht", person.geslacht)
    name = writer.add(client, "Naam", always=True)
    surname = writer.basis(name, "Geslachtsnaam", always=True)
    writer.basis(surname, "Achternaam", person.achternaam)
    writer.basis(surname, "Voorvoegsel", person.voorvoegsel)
    writer.basis(name, "Voornamen", person.voornamen)
    writer.basis(name, "Voorletters", person.voorletters)
    return client


def _product(writer: Writer, container, message_type: str, product: RegieProduct, retourcodes=None):
    element = writer.add(container, PRODUCT_ELEMENT[message_type][1], always=True)
    writer.add(element, "ToewijzingNummer", product.nummer)
    if product.categorie:
        code = writer.add(element, "Product", always=True)
        writer.basis(code, "Categorie", product.categorie)
        writer.basis(code, "Code", product.code)
    writer.add(element, "ToewijzingIngangsdatum", product.toewijzing_ingangsdatum)
    writer.add(element, "Begindatum", product.begindatum)
    if message_type == STOP:
        writer.add(element, "RedenBeeindiging", product.reden_beeindiging)
        writer.add(element, "Einddatum", product.einddatum)
    writer.add(element, "StatusAanlevering", product.status_aanlevering)
    if retourcodes is not None:
        writer.retourcodes(element, retourcodes)
    return element


@dataclass(frozen=True)
class Retour:
    """What the retour says: the codes of the header, of the client and of each product (in order).
    Header codes other than 0200 reject the whole message: the retour then carries no Client."""

    identification: str
    dagtekening: date
    header_codes: tuple[str, ...]
    client_codes: tuple[str, ...] = ()
    product_codes: tuple[tuple[str, ...], ...] = ()
    # Who the retour goes to (the outbox row's receiver), for a retour whose header is its own
    # (the WMO325) rather than the heenbericht's repeated.
    receiver: str = ""


def build_retour(message: Regiebericht | None, header: Header, retour: Retour) -> bytes:
    """The WMO306/308 answering `header` (and, when it could be read, `message`)."""
    retour_type = codes.RETOUR_OF[header.message_type]
    writer = Writer(retour_type)
    write_retour_header(writer, header, retour)
    if message is not None and retour.client_codes:
        client = _client(writer, message.client)
        container = writer.add(client, PRODUCT_ELEMENT[retour_type_source(retour_type)][0], always=True)
        for product, product_codes in zip(message.producten, retour.product_codes, strict=True):
            _product(writer, container, message.message_type, product, product_codes)
        writer.retourcodes(client, retour.client_codes)
    return writer.tobytes()


def write_retour_header(writer: Writer, header: Header, retour: Retour):
    """The Header of any retour (306, 308, 316, 318, 320): the heenbericht's header, our
    IdentificatieRetour and DagtekeningRetour, XsdVersieRetour and the header's RetourCodes."""
    retour_type = codes.RETOUR_OF[header.message_type]
    element = writer.add(writer.root, "Header", always=True)
    writer.add(element, "BerichtCode", codes.BERICHTCODE[retour_type])
    writer.add(element, "BerichtVersie", codes.BERICHT_VERSIE)
    writer.add(element, "BerichtSubversie", codes.BERICHT_SUBVERSIE)
    writer.add(element, "Afzender", header.sender)
    writer.add(element, "Ontvanger", header.receiver)
    identification = writer.add(element, "BerichtIdentificatie", always=True)
    writer.basis(identification, "Identificatie", header.identification)
    writer.basis(identification, "Dagtekening", header.dagtekening)
    writer.xsd_versie(
        element,
        "XsdVersie",
        header.basisschema_xsd_versie
        if _VERSION.match(header.basisschema_xsd_versie)
        else codes.BASISSCHEMA_XSD_VERSIE,
        header.bericht_xsd_versie if _VERSION.match(header.bericht_xsd_versie) else codes.BERICHT_XSD_VERSIE,
    )
    writer.add(element, "IdentificatieRetour", retour.identification)
    writer.add(element, "DagtekeningRetour", retour.dagtekening)
    writer.xsd_versie(element, "XsdVersieRetour", codes.BASISSCHEMA_XSD_VERSIE, codes.BERICHT_XSD_VERSIE)
    writer.retourcodes(element, retour.header_codes)
    return element


_VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")


def version_or(value: str, default: str) -> str:
    """The heenbericht's XSD version as it came, if it is one (else ours: the retour must stay valid)."""
    return value if _VERSION.match(value) else default


def retour_type_source(retour_type: str) -> str:
    return START if retour_type == codes.MessageType.WMO306 else STOP


def read_retour(raw: bytes) -> tuple[Header, Retour]:
    """Read a WMO306/308 (our own, in the tests): the heenbericht's header and the codes per element."""
    retour_type, root = parse_message(raw, expected=(codes.MessageType.WMO306, codes.MessageType.WMO308))
    reader = Reader(root, retour_type)
    header = reader.header()
    head = reader.find(root, "Header")
    header_codes = tuple(e.text for e in reader.findall(head, "RetourCodes", "RetourCode"))
    client = reader.find(root, "Client")
    client_codes: tuple[str, ...] = ()
    product_codes: list[tuple[str, ...]] = []
    if client is not None:
        client_codes = tuple(e.text for e in reader.findall(client, "RetourCodes", "RetourCode"))
        for product in reader.findall(client, *PRODUCT_ELEMENT[retour_type_source(retour_type)]):
            product_codes.append(tuple(e.text for e in reader.findall(product, "RetourCodes", "RetourCode")))
    return header, Retour(
        identification=reader.text(head, "IdentificatieRetour"),
        dagtekening=date.fromisoformat(reader.text(head, "DagtekeningRetour")),
        header_codes=header_codes,
        client_codes=client_codes,
        product_codes=tuple(product_codes),
    )
