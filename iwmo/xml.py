"""XML at the boundary: writing elements with lxml, the message header, a hardened parser and the
optional validation against the official XSD set (settings.IWMO["XSD_DIR"])."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from . import codes


class TechnicalError(Exception):
    """The message cannot be read as an iWmo message (not XML, a DOCTYPE, too large, the wrong
    namespace, not valid against the XSD): a technical rejection, retourcode 0001. When the XML itself
    was read (only the XSD refused it), `root` and `message_type` say what it was, for the retour."""

    def __init__(self, message: str, *, root=None, message_type: str = ""):
        super().__init__(message)
        self.root = root
        self.message_type = message_type


@dataclass(frozen=True)
class Header:
    message_type: str
    sender: str
    receiver: str
    identification: str
    dagtekening: date
    berichtversie: str = codes.BERICHT_VERSIE
    berichtsubversie: str = codes.BERICHT_SUBVERSIE
    basisschema_xsd_versie: str = codes.BASISSCHEMA_XSD_VERSIE
    bericht_xsd_versie: str = codes.BERICHT_XSD_VERSIE


class Writer:
    """Writes one message: `add(parent, "Name", text)` in the message's namespace, `basis(...)` in
    the Basisschema's. Empty text (None or "") writes nothing, so optional elements need no ifs."""

    def __init__(self, message_type: str):
        self.ns = codes.namespace(message_type)
        self.prefix = message_type.lower()
        self.root = etree.Element(f"{{{self.ns}}}Bericht", nsmap={self.prefix: self.ns, "iwmo": codes.BASIS_NAMESPACE})

    def add(self, parent, name: str, text=None, *, always: bool = False):
        return self._element(parent, self.ns, name, text, always)

    def basis(self, parent, name: str, text=None, *, always: bool = False):
        return self._element(parent, codes.BASIS_NAMESPACE, name, text, always)

    @staticmethod
    def _element(parent, ns, name, text, always):
        if text is None and not always:
            return None
        if isinstance(text, str) and text == "" and not always:
            return None
        element = etree.SubElement(parent, f"{{{ns}}}{name}")
        if text is not None:
            element.text = text.isoformat() if isinstance(text, date) else str(text)
        return element

    def header(self, header: Header):
        element = self.add(self.root, "Header", always=True)
        self.add(element, "BerichtCode", codes.BERICHTCODE[header.message_type])
        self.add(element, "BerichtVersie", header.berichtversie)
        self.add(element, "BerichtSubversie", header.berichtsubversie)
        self.add(element, "Afzender", header.sender)
        self.add(element, "Ontvanger", header.receiver)
        identification = self.add(element, "BerichtIdentificatie", always=True)
        self.basis(identification, "Identificatie", header.identification)
        self.basis(identification, "Dagtekening", header.dagtekening)
        self.xsd_versie(element, "XsdVersie", header.basisschema_xsd_versie, header.bericht_xsd_versie)
        return element

    def xsd_versie(self, parent, name: str, basis: str, bericht: str):
        element = self.add(parent, name, always=True)
        self.basis(element, "BasisschemaXsdVersie", basis)
        self.basis(element, "BerichtXsdVersie", bericht)
        return element

    def retourcodes(self, parent, retourcodes):
        element = self.add(parent, "RetourCodes", always=True)
        for code in retourcodes:
            self.add(element, "RetourCode", code)
        return element

    def tobytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


class Reader:
    """Reads one parsed message: `text(parent, "Name", "Sub")` follows the path (message namespace
    for the message's own elements, Basisschema for those below a composite type)."""

    def __init__(self, root, message_type: str):
        self.root = root
        self.ns = codes.namespace(message_type)

    def find(self, parent, *path: str):
        element = parent
        for name in path:
            if element is None:
                return None
            element = element.find(f"{{{self.ns}}}{name}")
        return element

    def findall(self, parent, *path: str):
        *head, last = path
        container = self.find(parent, *head) if head else parent
        return [] if container is None else container.findall(f"{{{self.ns}}}{last}")

    @staticmethod
    def basis(parent, *path: str):
        element = parent
        for name in path:
            if element is None:
                return None
            element = element.find(f"{{{codes.BASIS_NAMESPACE}}}{name}")
        return element

    def text(self, parent, *path: str, basis: tuple[str, ...] = ()) -> str:
        element = self.find(parent, *path)
        if basis:
            element = self.basis(element, *basis)
        return "" if element is None or element.text is None else element.text.strip()

    def header(self) -> Header:
        element = self.find(self.root, "Header")
        if element is None:
            raise TechnicalError(_("Het bericht heeft geen Header."))
        try:
            dagtekening = date.fromisoformat(self.text(element, "BerichtIdentificatie", basis=("Dagtekening",)))
        except ValueError as error:
            raise TechnicalError(_("De dagtekening is geen datum.")) from error
        return Header(
            message_type=codes.MESSAGE_TYPE_OF_CODE.get(self.text(element, "BerichtCode"), ""),
            sender=self.text(element, "Afzender"),
            receiver=self.text(element, "Ontvanger"),
            identification=self.text(element, "BerichtIdentificatie", basis=("Identificatie",)),
            dagtekening=dagtekening,
            berichtversie=self.text(element, "BerichtVersie"),
            berichtsubversie=self.text(element, "BerichtSubversie"),
            basisschema_xsd_versie=self.text(element, "XsdVersie", basis=("BasisschemaXsdVersie",)),
            bericht_xsd_versie=self.text(element, "XsdVersie", basis=("BerichtXsdVersie",)),
        )


def _parser() -> etree.XMLParser:
    # No entities resolved, no DTD loaded, nothing fetched from the network, no huge trees: an XML bomb
    # or an external entity cannot expand; a DOCTYPE is refused after parsing (parse_message).
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_message(raw: bytes, *, expected: tuple[str, ...]) -> tuple[str, etree._Element]:
    """The message type and root element of `raw`, one of the `expected` message types; raises
    TechnicalError for anything that is not such a message, never another exception."""
    limit = settings.IWMO["MAX_MESSAGE_BYTES"]
    if len(raw) > limit:
        raise TechnicalError(_("Het bericht is groter dan %(limit)s bytes.") % {"limit": limit})
    if b"<!DOCTYPE" in raw[:4096].upper() or b"<!ENTITY" in raw.upper():
        raise TechnicalError(_("Een bericht met een DOCTYPE of entiteiten wordt niet gelezen."))
    try:
        root = etree.fromstring(raw, parser=_parser())
    except (etree.XMLSyntaxError, ValueError) as error:
        raise TechnicalError(_("Het bericht is geen geldige XML: %(error)s") % {"error": error}) from error
    if root.getroottree().docinfo.doctype:
        raise TechnicalError(_("Een bericht met een DOCTYPE wordt niet gelezen."))
    for message_type in expected:
        if root.tag == f"{{{codes.namespace(message_type)}}}Bericht":
            try:
                validate_against_xsd(message_type, root)
            except TechnicalError as error:
                raise TechnicalError(str(error), root=root, message_type=message_type) from error
            return message_type, root
    raise TechnicalError(_("Onbekend bericht of verkeerde namespace: %(tag)s") % {"tag": str(root.tag)[:200]})


@lru_cache(maxsize=32)
def _schema(directory: str, message_type: str) -> etree.XMLSchema | None:
    folder = Path(directory)
    for path in folder.iterdir():
        if path.name.lower() == f"{message_type.lower()}.xsd":
            return etree.XMLSchema(etree.parse(str(path)))
    return None


def validate_against_xsd(message_type: str, root) -> None:
    """Validate against the official XSD when settings.IWMO["XSD_DIR"] names a folder that holds it."""
    directory = settings.IWMO["XSD_DIR"]
    if not directory:
        return
    schema = _schema(directory, message_type)
    if schema is None:
        return
    if not schema.validate(root):
        raise TechnicalError("; ".join(str(error.message) for error in list(schema.error_log)[:5]))


def validate_bytes(message_type: str, xml: bytes) -> None:
    """Validate a message we wrote (XSD_DIR set): a message that the standard refuses never leaves."""
    if settings.IWMO["XSD_DIR"]:
        validate_against_xsd(message_type, etree.fromstring(xml, parser=_parser()))
