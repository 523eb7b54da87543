"""WMO301, the toewijzing: plain data (`Toewijzingbericht`) to XML and back. What goes into it is
decided by iwmo.services (which toewijzingen, which version); this module only writes and reads."""

import re
from dataclasses import dataclass, field
from datetime import date, time

from . import codes
from .xml import Header, Reader, TechnicalError, Writer, parse_message


@dataclass(frozen=True)
class Omvang:
    volume: int
    eenheid: str
    frequentie: str


@dataclass(frozen=True)
class Adres:
    huisnummer: int | None = None
    huisletter: str = ""
    toevoeging: str = ""
    postcode: str = ""
    straat: str = ""
    plaats: str = ""
    landcode: str = "NL"


@dataclass(frozen=True)
class Persoon:
    bsn: str
    geboortedatum: date
    geslacht: str  # COD046
    achternaam: str
    voorvoegsel: str = ""
    voornamen: str = ""
    voorletters: str = ""
    adres: Adres | None = None


@dataclass(frozen=True)
class ToegewezenProduct:
    nummer: int
    categorie: str
    code: str
    toewijzingsdatum: date
    toewijzingstijd: time
    ingangsdatum: date
    einddatum: date | None = None
    reden_wijziging: str = ""
    omvang: Omvang | None = None
    # The verzoek om toewijzing (WMO315) this toewijzing answers (TR374: it is no longer onderhanden).
    referentie_aanbieder: str = ""


@dataclass(frozen=True)
class Toewijzingbericht:
    header: Header
    client: Persoon
    producten: list[ToegewezenProduct] = field(default_factory=list)


_HOUSE = re.compile(r"^(\d{1,5})\s*([A-Za-z]?)(?:[\s-]*(.{0,4}))?$")


def split_house_number(value: str) -> tuple[int | None, str, str]:
    """'12A' -> (12, 'A', ''), '12-2' -> (12, '', '2'), '12 bis' -> (12, '', 'bis')."""
    match = _HOUSE.match(value.strip())
    if not match:
        return None, "", ""
    number, letter, addition = match.groups()
    return int(number), letter.upper(), (addition or "").strip()


def initials_of(value: str) -> str:
    """Voorletters as LDT_Voorletters wants them: letters only, at most 6 ('J.P.' -> 'JP')."""
    return "".join(character for character in value if character.isalpha())[:6]


def build(message: Toewijzingbericht) -> bytes:
    writer = Writer(codes.MessageType.WMO301)
    writer.header(message.header)
    person = message.client
    client = writer.add(writer.root, "Client", always=True)
    writer.add(client, "Bsn", person.bsn)
    birth = writer.add(client, "Geboortedatum", always=True)
    writer.basis(birth, "Datum", person.geboortedatum)
    writer.add(client, "Geslacht", person.geslacht)
    name = writer.add(client, "Naam", always=True)
    surname = writer.basis(name, "Geslachtsnaam", always=True)
    writer.basis(surname, "Achternaam", person.achternaam)
    writer.basis(surname, "Voorvoegsel", person.voorvoegsel)
    writer.basis(name, "Voornamen", person.voornamen)
    writer.basis(name, "Voorletters", person.voorletters)
    writer.basis(name, "NaamGebruik", codes.NAAMGEBRUIK_EIGEN_NAAM)
    contacts = writer.add(client, "Contactgegevens", always=True)
    contact = writer.add(contacts, "Contact", always=True)
    writer.add(contact, "Soort", codes.ADRES_BRP)
    if person.adres is not None:
        address = person.adres
        element = writer.add(contact, "Adres", always=True)
        if address.huisnummer is not None:
            house = writer.basis(element, "Huis", always=True)
            writer.basis(house, "Huisnummer", address.huisnummer)
            writer.basis(house, "Huisletter", address.huisletter)
            writer.basis(house, "HuisnummerToevoeging", address.toevoeging)
        writer.basis(element, "Postcode", address.postcode)
        writer.basis(element, "Straatnaam", address.straat)
        writer.basis(element, "Plaatsnaam", address.plaats)
        writer.basis(element, "LandCode", address.landcode)
    products = writer.add(client, "ToegewezenProducten", always=True)
    for product in message.producten:
        element = writer.add(products, "ToegewezenProduct", always=True)
        writer.add(element, "ToewijzingNummer", product.nummer)
        writer.add(element, "ReferentieAanbieder", product.referentie_aanbieder)
        code = writer.add(element, "Product", always=True)
        writer.basis(code, "Categorie", product.categorie)
        writer.basis(code, "Code", product.code)
        writer.add(element, "Toewijzingsdatum", product.toewijzingsdatum)
        writer.add(element, "Toewijzingstijd", product.toewijzingstijd.replace(microsecond=0).isoformat())
        writer.add(element, "Ingangsdatum", product.ingangsdatum)
        writer.add(element, "Einddatum", product.einddatum)
        writer.add(element, "RedenWijziging", product.reden_wijziging)
        if product.omvang is not None:
            omvang = writer.add(element, "Omvang", always=True)
            writer.basis(omvang, "Volume", product.omvang.volume)
            writer.basis(omvang, "Eenheid", product.omvang.eenheid)
            writer.basis(omvang, "Frequentie", product.omvang.frequentie)
    return writer.tobytes()


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def parse(raw: bytes) -> Toewijzingbericht:
    """Read a WMO301 back (the round trip of our own messages; the provider simulator)."""
    message_type, root = parse_message(raw, expected=(codes.MessageType.WMO301,))
    reader = Reader(root, message_type)
    client = reader.find(root, "Client")
    if client is None:
        raise TechnicalError("Het bericht heeft geen Client.")
    address = reader.find(client, "Contactgegevens", "Contact", "Adres")
    adres = None
    if address is not None:
        number = _basis_text(address, "Huis", "Huisnummer")
        adres = Adres(
            huisnummer=int(number) if number else None,
            huisletter=_basis_text(address, "Huis", "Huisletter"),
            toevoeging=_basis_text(address, "Huis", "HuisnummerToevoeging"),
            postcode=_basis_text(address, "Postcode"),
            straat=_basis_text(address, "Straatnaam"),
            plaats=_basis_text(address, "Plaatsnaam"),
            landcode=_basis_text(address, "LandCode"),
        )
    producten = []
    for element in reader.findall(client, "ToegewezenProducten", "ToegewezenProduct"):
        omvang = reader.find(element, "Omvang")
        producten.append(
            ToegewezenProduct(
                nummer=int(reader.text(element, "ToewijzingNummer")),
                categorie=reader.text(element, "Product", basis=("Categorie",)),
                code=reader.text(element, "Product", basis=("Code",)),
                toewijzingsdatum=_date(reader.text(element, "Toewijzingsdatum")),
                toewijzingstijd=time.fromisoformat(reader.text(element, "Toewijzingstijd")),
                ingangsdatum=_date(reader.text(element, "Ingangsdatum")),
                einddatum=_date(reader.text(element, "Einddatum")),
                reden_wijziging=reader.text(element, "RedenWijziging"),
                referentie_aanbieder=reader.text(element, "ReferentieAanbieder"),
                omvang=None
                if omvang is None
                else Omvang(
                    volume=int(_basis_text(omvang, "Volume")),
                    eenheid=_basis_text(omvang, "Eenheid"),
                    frequentie=_basis_text(omvang, "Frequentie"),
                ),
            )
        )
    return Toewijzingbericht(
        header=reader.header(),
        client=Persoon(
            bsn=reader.text(client, "Bsn"),
            geboortedatum=_date(reader.text(client, "Geboortedatum", basis=("Datum",))),
            geslacht=reader.text(client, "Geslacht"),
            achternaam=reader.text(client, "Naam", basis=("Geslachtsnaam", "Achternaam")),
            voorvoegsel=reader.text(client, "Naam", basis=("Geslachtsnaam", "Voorvoegsel")),
            voornamen=reader.text(client, "Naam", basis=("Voornamen",)),
            voorletters=reader.text(client, "Naam", basis=("Voorletters",)),
            adres=adres,
        ),
        producten=producten,
    )


def _basis_text(parent, *path: str) -> str:
    element = Reader.basis(parent, *path)
    return "" if element is None or element.text is None else element.text.strip()
