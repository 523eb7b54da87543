"""The structure of the iWmo 3.2 messages we write, as the project knows it: per message type and
class, the child elements in their order ("?" optional, "*" repeated). A test-side check that runs
without the official XSDs (which are not shipped); the full XSD check runs locally with
IWMO_XSD_DIR (docs/iwmo.md). Only the message classes: the composite data types (CDT_*:
Naam, Omvang, Product, ...) are the basisschema's."""

from lxml import etree

from iwmo import codes

_RETOUR_HEADER = (
    "BerichtCode BerichtVersie BerichtSubversie Afzender Ontvanger BerichtIdentificatie XsdVersie "
    "IdentificatieRetour DagtekeningRetour XsltVersie? XsdVersieRetour RetourCodes?"
)
_HEEN_HEADER = "BerichtCode BerichtVersie BerichtSubversie Afzender Ontvanger BerichtIdentificatie XsdVersie"

CLASSES: dict[str, dict[str, str]] = {
    "WMO301": {
        "Bericht": "Header Client",
        "Header": _HEEN_HEADER,
        "Client": "Bsn Geboortedatum Geslacht Naam Communicatie? JuridischeStatus? WettelijkeVertegenwoordiging? "
        "Commentaar? Relaties? Contactgegevens ToegewezenProducten",
        "Relaties": "Relatie*",
        "Relatie": "Nummer Volgorde? Soort Geboortedatum? Geslacht? Naam Contact",
        "Contactgegevens": "Contact*",
        "Contact": "Soort Adres? Organisatie? Telefoon? Emailadres? Periode?",
        "ToegewezenProducten": "ToegewezenProduct*",
        "ToegewezenProduct": "ToewijzingNummer ReferentieAanbieder? Product? Toewijzingsdatum Toewijzingstijd "
        "Ingangsdatum Einddatum? RedenWijziging? Omvang? Budget? Commentaar?",
    },
    "WMO306": {
        "Bericht": "Header Client?",
        "Header": _RETOUR_HEADER,
        "Client": "Bsn Geboortedatum Geslacht Naam StartProducten RetourCodes",
        "StartProducten": "StartProduct*",
        "StartProduct": "ToewijzingNummer? Product? ToewijzingIngangsdatum? Begindatum StatusAanlevering RetourCodes",
    },
    "WMO308": {
        "Bericht": "Header Client?",
        "Header": _RETOUR_HEADER,
        "Client": "Bsn Geboortedatum Geslacht Naam StopProducten RetourCodes",
        "StopProducten": "StopProduct*",
        "StopProduct": "ToewijzingNummer? Product? ToewijzingIngangsdatum? Begindatum RedenBeeindiging Einddatum "
        "StatusAanlevering RetourCodes",
    },
    "WMO316": {
        "Bericht": "Header Client?",
        "Header": _RETOUR_HEADER,
        "Client": "Bsn Geboortedatum Geslacht Naam Commentaar? AangevraagdeProducten RetourCodes",
        "AangevraagdeProducten": "AangevraagdProduct*",
        "AangevraagdProduct": "ReferentieAanbieder BeschikkingNummer? Product? BeschikkingIngangsdatum? "
        "ToewijzingIngangsdatum ToewijzingEinddatum? Omvang? Budget? Verwijzer Raamcontract? Commentaar? RetourCodes",
    },
    "WMO318": {
        "Bericht": "Header Client?",
        "Header": _RETOUR_HEADER,
        "Client": "Bsn Verzoek RetourCodes",
        "Verzoek": "ReferentieAanbieder RedenVerzoek OngewijzigdeProducten? TeWijzigenProducten? NieuweProducten? "
        "RetourCodes",
        "OngewijzigdeProducten": "OngewijzigdProduct*",
        "OngewijzigdProduct": "ToewijzingNummer RetourCodes",
        "TeWijzigenProducten": "TeWijzigenProduct*",
        "TeWijzigenProduct": "ToewijzingNummer GewensteIngangsdatum Einddatum? Omvang? Budget? RetourCodes",
        "NieuweProducten": "NieuwProduct*",
        "NieuwProduct": "Product? GewensteIngangsdatum Einddatum? Omvang? Budget? RetourCodes",
    },
    "WMO319": {
        "Bericht": "Header Antwoord",
        "Header": _HEEN_HEADER,
        "Antwoord": "ReferentieAanbieder VerzoekAntwoord RedenAfwijzingVerzoek?",
    },
}


def _matches(children: list[str], pattern: str) -> str | None:
    """None when `children` follow `pattern` (in order, required present, only "*" repeated)."""
    position = 0
    for item in pattern.split():
        name, optional, repeated = item.rstrip("?*"), item.endswith("?"), item.endswith("*")
        count = 0
        while position < len(children) and children[position] == name and (repeated or count == 0):
            position += 1
            count += 1
        if count == 0 and not optional:
            return f"{name} ontbreekt"
    if position < len(children):
        return f"{children[position]} staat niet op zijn plaats"
    return None


def structure_errors(message_type: str, xml: bytes) -> list[str]:
    """Where a message we wrote leaves the structure of CLASSES: [] when it follows it."""
    namespace = codes.namespace(message_type)
    root = etree.fromstring(xml)
    errors = []
    if root.tag != f"{{{namespace}}}Bericht":
        return [f"root {root.tag} is geen {message_type}-Bericht"]
    berichtcode = root.findtext(f"{{{namespace}}}Header/{{{namespace}}}BerichtCode")
    if berichtcode != codes.BERICHTCODE[message_type]:
        errors.append(f"BerichtCode {berichtcode}")
    classes = CLASSES[message_type]
    for element in root.iter(f"{{{namespace}}}*"):
        name = etree.QName(element).localname
        if name not in classes:
            continue
        children = [etree.QName(child).localname for child in element if isinstance(child.tag, str)]
        problem = _matches(children, classes[name])
        if problem:
            errors.append(f"{name}: {problem} ({' '.join(children)})")
    return errors
