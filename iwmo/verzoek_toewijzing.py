"""WMO315 verzoek om toewijzing in, WMO316 retour out.

A provider asks the municipality for a toewijzing, one AangevraagdProduct per product (each judged
and answered on its own: Processen_WMO, "Proces beoordelen"). The inbox (iwmo.inbox) parses the
message and runs `judge_and_apply` in the same three layers as for the 305/307:

1. Structure: the hardened parser and, with IWMO_XSD_DIR, the official XSD (inbox: 0001 in the header).
2. In-message conditions, each 0001 on its class: CS002 (BSN elfproef on the Client; its products
   0233), CS003 (ToewijzingEinddatum not before ToewijzingIngangsdatum), CD079 (a Product when there
   is no Budget), CD041 (an Omvang when a ProductCode is given), CD075/CD078/CD077 (a Budget needs an
   Einddatum and excludes an Omvang), CD076 (Frequentie 2 needs an Einddatum), CD043
   (BeschikkingIngangsdatum exactly when there is a BeschikkingNummer), TR134 (dates not after the
   Dagtekening), TR383 (ReferentieAanbieder unique within the message), TR386 (the same product
   twice only for periods that do not overlap), CD066/CD067/CD068 (the Verwijzer: a ZorgverlenerCode
   or a Naam for types 02-05, no ZorgverlenerCode for the others), dates that are dates. On the
   Client (its products then 0233, as for CS002): TR002 (a Geboortedatum not more than 120 years
   before the Dagtekening, unless unknown: DatumGebruik 3 with 1900-01-01) and CS139 (DatumGebruik
   and Datum agree: 1 = day unknown, the Datum on the 1st; 2 = day and month unknown, on 1 January;
   3 = unknown, 1900-01-01).
3. The technical rules against the database (the inbox's header checks TR056 9056, TR135 8848,
   TR378 S300), and per product TR347 (9347: the ReferentieAanbieder unique for the provider), TR374
   (9374: no other verzoek of this provider for this client onderhanden), TR381 (S329: a product code
   of ours). They come from providers.services.submit_assignment_request, the one service that
   registers a verzoek; its ValidationError codes map to the retourcodes below.

An accepted product becomes a providers.AssignmentRequest (open, on the consultant's worklist). A
product this provider has no contract for is accepted technically (0200: no WJ001 code says
"geen contract") and rejected at once with WJ759 3, answered by a WMO319 through the hook
providers.hooks.assignment_request_answered. A BSN that is not a client of ours is not a technical
error either (no rule for the 315 says so): the verzoek is registered without a client and the
consultant answers it (typically WJ759 5 andere gemeente or 8 woonplaatsbeginsel).
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indications.models import Client
from indications.validators import is_valid_bsn
from providers import services as provider_services
from providers.hooks import AssignmentRequestAnswered
from providers.models import AssignmentRequest

from . import antwoord, codes, regie
from .codes import Retourcode as R
from .codes import RetourcodeVerzoek as RV
from .models import IncomingMessage
from .xml import Header, Reader, TechnicalError, Writer, parse_message

MESSAGE_TYPE = codes.MessageType.WMO315
RETOUR_TYPE = codes.MessageType.WMO316
# Product categories whose periods may overlap (TR386).
OVERLAP_ALLOWED_CATEGORIES = {"11", "12", "13", "14"}
# The service's ValidationError codes and the retourcode each one answers.
SERVICE_CODES = {
    "reference_not_unique": RV.REFERENTIE_NIET_UNIEK,  # TR347
    "request_open": RV.VERZOEK_ONDERHANDEN,  # TR374
    "unknown_product": R.PRODUCTCODE_ONGELDIG,  # TR381
}


@dataclass
class Omvang:
    volume: str
    eenheid: str
    frequentie: str = ""


def read_omvang(reader: Reader, element) -> Omvang | None:
    """The Omvang (CDT_Omvang) of a product class, as written (checked by omvang_budget_problems)."""
    if reader.find(element, "Omvang") is None:
        return None
    return Omvang(
        volume=reader.text(element, "Omvang", basis=("Volume",)),
        eenheid=reader.text(element, "Omvang", basis=("Eenheid",)),
        frequentie=reader.text(element, "Omvang", basis=("Frequentie",)),
    )


def write_omvang(writer: Writer, element, omvang: Omvang | None) -> None:
    if omvang is not None:
        node = writer.add(element, "Omvang", always=True)
        writer.basis(node, "Volume", omvang.volume)
        writer.basis(node, "Eenheid", omvang.eenheid)
        writer.basis(node, "Frequentie", omvang.frequentie)


def omvang_budget_problems(omvang: Omvang | None, budget: str) -> list[str]:
    """An Omvang or a Budget, not both (CD077, CD078); Volume and Budget whole numbers (LDT_Budget:
    eurocent)."""
    problems = []
    if budget and omvang is not None:
        problems.append(_("Omvang en Budget gaan niet samen (CD077, CD078)."))
    if omvang is not None and not omvang.volume.isdigit():
        problems.append(_("Het Volume van de Omvang is geen getal."))
    if budget and not (budget.isdigit() and len(budget) <= 8):
        problems.append(_("Het Budget is geen bedrag in eurocent (LDT_Budget)."))
    return problems


@dataclass
class AangevraagdProduct:
    referentie: str
    toewijzing_ingangsdatum: date | None
    verwijzer_type: str
    verwijzer_naam: str = ""
    verwijzer_zorgverlenercode: str = ""
    beschikkingnummer: str = ""
    beschikking_ingangsdatum: date | None = None
    categorie: str = ""
    code: str = ""
    toewijzing_einddatum: date | None = None
    omvang: Omvang | None = None
    budget: str = ""
    raamcontract: str = ""
    commentaar: str = ""
    fouten: list[str] = field(default_factory=list)


@dataclass
class VerzoekOmToewijzing:
    header: Header
    client: regie.RegieClient
    producten: list[AangevraagdProduct]
    commentaar: str = ""
    message_type: str = MESSAGE_TYPE


def read(root) -> VerzoekOmToewijzing:
    """The WMO315 as plain data (raises TechnicalError for a header we cannot answer or no products)."""
    reader = Reader(root, MESSAGE_TYPE)
    header = reader.header()
    regie.check_header(header)
    client = reader.find(root, "Client")
    if client is None:
        raise TechnicalError(_("Het bericht heeft geen Client."))
    products = []
    for element in reader.findall(client, "AangevraagdeProducten", "AangevraagdProduct"):
        problems: list[str] = []
        product = AangevraagdProduct(
            referentie=reader.text(element, "ReferentieAanbieder"),
            toewijzing_ingangsdatum=regie.read_date(
                reader.text(element, "ToewijzingIngangsdatum"), "ToewijzingIngangsdatum", problems
            ),
            verwijzer_type=reader.text(element, "Verwijzer", basis=("Type",)),
            verwijzer_naam=reader.text(element, "Verwijzer", basis=("Naam",)),
            verwijzer_zorgverlenercode=reader.text(element, "Verwijzer", basis=("ZorgverlenerCode",)),
            beschikkingnummer=reader.text(element, "BeschikkingNummer"),
            beschikking_ingangsdatum=regie.read_date(
                reader.text(element, "BeschikkingIngangsdatum"), "BeschikkingIngangsdatum", problems
            ),
            categorie=reader.text(element, "Product", basis=("Categorie",)),
            code=reader.text(element, "Product", basis=("Code",)),
            toewijzing_einddatum=regie.read_date(
                reader.text(element, "ToewijzingEinddatum"), "ToewijzingEinddatum", problems
            ),
            omvang=read_omvang(reader, element),
            budget=reader.text(element, "Budget"),
            raamcontract=reader.text(element, "Raamcontract"),
            commentaar=reader.text(element, "Commentaar"),
            fouten=problems,
        )
        if product.toewijzing_ingangsdatum is None and not problems:
            problems.append(_("ToewijzingIngangsdatum ontbreekt."))
        products.append(product)
    if not products:
        raise TechnicalError(_("Het bericht vraagt geen product aan."))
    return VerzoekOmToewijzing(
        header=header,
        client=regie.RegieClient(
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
        commentaar=reader.text(client, "Commentaar"),
    )


# -- writing: the 315 (tests, a provider simulator) and the 316 -----------------------------------


def _client(writer: Writer, message: VerzoekOmToewijzing, retourcodes=None, product_codes=None):
    person = message.client
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
    writer.add(client, "Commentaar", message.commentaar)
    container = writer.add(client, "AangevraagdeProducten", always=True)
    for index, product in enumerate(message.producten):
        element = writer.add(container, "AangevraagdProduct", always=True)
        writer.add(element, "ReferentieAanbieder", product.referentie)
        writer.add(element, "BeschikkingNummer", product.beschikkingnummer)
        if product.categorie:
            code = writer.add(element, "Product", always=True)
            writer.basis(code, "Categorie", product.categorie)
            writer.basis(code, "Code", product.code)
        writer.add(element, "BeschikkingIngangsdatum", product.beschikking_ingangsdatum)
        writer.add(element, "ToewijzingIngangsdatum", product.toewijzing_ingangsdatum)
        writer.add(element, "ToewijzingEinddatum", product.toewijzing_einddatum)
        write_omvang(writer, element, product.omvang)
        writer.add(element, "Budget", product.budget)
        verwijzer = writer.add(element, "Verwijzer", always=True)
        writer.basis(verwijzer, "Type", product.verwijzer_type)
        writer.basis(verwijzer, "ZorgverlenerCode", product.verwijzer_zorgverlenercode)
        writer.basis(verwijzer, "Naam", product.verwijzer_naam)
        writer.add(element, "Raamcontract", product.raamcontract)
        writer.add(element, "Commentaar", product.commentaar)
        if product_codes is not None:
            writer.retourcodes(element, product_codes[index])
    if retourcodes is not None:
        writer.retourcodes(client, retourcodes)
    return client


def build(message: VerzoekOmToewijzing) -> bytes:
    """A WMO315 as a provider sends it."""
    writer = Writer(MESSAGE_TYPE)
    writer.header(message.header)
    _client(writer, message)
    return writer.tobytes()


def build_retour(message: VerzoekOmToewijzing | None, header: Header, retour: regie.Retour) -> bytes:
    """The WMO316 answering `header` (and, when it could be read and the header was fine, `message`
    with the codes of its Client and of each AangevraagdProduct)."""
    writer = Writer(RETOUR_TYPE)
    regie.write_retour_header(writer, header, retour)
    if message is not None and retour.client_codes:
        _client(writer, message, retour.client_codes, retour.product_codes)
    return writer.tobytes()


def read_retour(raw: bytes) -> tuple[Header, regie.Retour, list[str]]:
    """Read a WMO316 (our own, in the tests): the heenbericht's header, the codes per element and the
    ReferentieAanbieder of each product in order."""
    _type, root = parse_message(raw, expected=(RETOUR_TYPE,))
    reader = Reader(root, RETOUR_TYPE)
    header = reader.header()
    head = reader.find(root, "Header")
    header_codes = tuple(e.text for e in reader.findall(head, "RetourCodes", "RetourCode"))
    client = reader.find(root, "Client")
    client_codes: tuple[str, ...] = ()
    product_codes, references = [], []
    if client is not None:
        client_codes = tuple(e.text for e in reader.findall(client, "RetourCodes", "RetourCode"))
        for product in reader.findall(client, "AangevraagdeProducten", "AangevraagdProduct"):
            product_codes.append(tuple(e.text for e in reader.findall(product, "RetourCodes", "RetourCode")))
            references.append(reader.text(product, "ReferentieAanbieder"))
    retour = regie.Retour(
        identification=reader.text(head, "IdentificatieRetour"),
        dagtekening=date.fromisoformat(reader.text(head, "DagtekeningRetour")),
        header_codes=header_codes,
        client_codes=client_codes,
        product_codes=tuple(product_codes),
    )
    return header, retour, references


# -- judging and applying --------------------------------------------------------------------------


def _conditions(message: VerzoekOmToewijzing, product: AangevraagdProduct) -> list[str]:
    """The in-message conditions of one AangevraagdProduct (each a 0001 on it), in Dutch."""
    problems = list(product.fouten)
    dagtekening = message.header.dagtekening
    start, end = product.toewijzing_ingangsdatum, product.toewijzing_einddatum
    if not product.referentie or len(product.referentie) > 36:
        problems.append(_("ReferentieAanbieder ontbreekt of is langer dan 36 tekens."))
    if start and end and end < start:
        problems.append(_("De ToewijzingEinddatum ligt vóór de ToewijzingIngangsdatum (CS003)."))
    if not product.budget and not product.categorie:
        problems.append(_("Product is verplicht als er geen Budget is (CD079)."))
    if product.code and product.omvang is None and not product.budget:
        problems.append(_("Omvang is verplicht als er een ProductCode is (CD041)."))
    if product.budget and end is None:
        problems.append(_("ToewijzingEinddatum is verplicht bij een Budget (CD075)."))
    if product.omvang is not None and product.omvang.frequentie == "2" and end is None:
        problems.append(_("ToewijzingEinddatum is verplicht bij frequentie per week (CD076)."))
    problems.extend(omvang_budget_problems(product.omvang, product.budget))
    problems.extend(verwijzer_problems(product))
    if bool(product.beschikkingnummer) != bool(product.beschikking_ingangsdatum):
        problems.append(_("BeschikkingIngangsdatum hoort precies bij een BeschikkingNummer (CD043)."))
    if product.beschikking_ingangsdatum and product.beschikking_ingangsdatum > dagtekening:
        problems.append(_("De BeschikkingIngangsdatum ligt na de Dagtekening (TR134)."))
    return problems


# Verwijzer types identified by a ZorgverlenerCode (huisarts, jeugdarts, gecertificeerde instelling,
# medisch specialist: LDT_TypeVerwijzer 02-05), for CD066-CD068.
VERWIJZER_MET_ZORGVERLENERCODE = {"02", "03", "04", "05"}
# A Geboortedatum that is unknown altogether (DatumGebruik 3) is written as this date (CS139, TR002).
UNKNOWN_BIRTH_DATE = date(1900, 1, 1)


def verwijzer_problems(product: AangevraagdProduct) -> list[str]:
    if product.verwijzer_type in VERWIJZER_MET_ZORGVERLENERCODE:
        if product.verwijzer_zorgverlenercode and product.verwijzer_naam:
            return [_("Bij een ZorgverlenerCode van de verwijzer blijft de Naam leeg (CD066).")]
        if not product.verwijzer_zorgverlenercode and not product.verwijzer_naam:
            return [_("Zonder ZorgverlenerCode is de Naam van de verwijzer verplicht (CD067).")]
    elif product.verwijzer_zorgverlenercode:
        return [_("Alleen verwijzers van type 02 tot en met 05 hebben een ZorgverlenerCode (CD068).")]
    return []


def birth_date_problems(person: regie.RegieClient, *, dagtekening: date) -> list[str]:
    """TR002 and CS139 on a Geboortedatum (Datum with its DatumGebruik, COD170)."""
    try:
        born = date.fromisoformat(person.geboortedatum)
    except ValueError:
        return [_("De Geboortedatum is geen datum.")]
    problems = []
    usage = person.datum_gebruik
    if (
        (usage == "1" and born.day != 1)
        or (usage == "2" and (born.day, born.month) != (1, 1))
        or (usage == "3" and born != UNKNOWN_BIRTH_DATE)
    ):
        problems.append(_("DatumGebruik en Datum van de Geboortedatum komen niet overeen (CS139)."))
    unknown = usage == "3" and born == UNKNOWN_BIRTH_DATE
    try:
        limit = dagtekening.replace(year=dagtekening.year - 120)
    except ValueError:  # 29 February
        limit = dagtekening.replace(year=dagtekening.year - 120, day=28)
    if born < limit and not unknown:
        problems.append(_("De Geboortedatum ligt meer dan 120 jaar voor de Dagtekening (TR002)."))
    return problems


def _overlap_problems(message: VerzoekOmToewijzing) -> dict[int, str]:
    """TR383 (ReferentieAanbieder unique in the message) and TR386 (the same product only for periods
    that do not overlap, except categories 11-14), as a 0001 on the later product."""
    problems: dict[int, str] = {}
    far = date.max
    for index, product in enumerate(message.producten):
        for earlier in message.producten[:index]:
            if product.referentie and product.referentie == earlier.referentie:
                problems[index] = _("ReferentieAanbieder komt twee keer voor in het bericht (TR383).")
            same = (product.categorie, product.code) == (earlier.categorie, earlier.code)
            if same and product.categorie not in OVERLAP_ALLOWED_CATEGORIES and index not in problems:
                if (
                    product.toewijzing_ingangsdatum
                    and earlier.toewijzing_ingangsdatum
                    and product.toewijzing_ingangsdatum <= (earlier.toewijzing_einddatum or far)
                    and earlier.toewijzing_ingangsdatum <= (product.toewijzing_einddatum or far)
                ):
                    problems[index] = _("Hetzelfde product met overlappende perioden (TR386).")
    return problems


def judge_and_apply(message: VerzoekOmToewijzing, incoming, judgement, *, sender, actor, today: date) -> None:
    """Judge the Client and each AangevraagdProduct; register each accepted one as a verzoek om
    toewijzing through providers.services.submit_assignment_request (each in its own savepoint)."""
    from_message = {
        "message_type": MESSAGE_TYPE,
        "message_identification": message.header.identification[:12],
        "message_dagtekening": message.header.dagtekening,
        "message_uuid": incoming.uuid,
    }
    incoming.client = Client.objects.filter(bsn=message.client.bsn).first()
    client_problems = [] if is_valid_bsn(message.client.bsn) else [_("Het BSN voldoet niet aan de elfproef (CS002).")]
    client_problems += birth_date_problems(message.client, dagtekening=message.header.dagtekening)
    if client_problems:
        judgement.client_codes = [R.TECHNISCH_AFGEKEURD]
        judgement.note("Client", R.TECHNISCH_AFGEKEURD, " ".join(client_problems))
        judgement.product_codes = [[R.NIET_BEOORDEELD] for _product in message.producten]
        return
    judgement.client_codes = [R.GEEN_OPMERKING]
    overlaps = _overlap_problems(message)
    for index, product in enumerate(message.producten):
        element = f"AangevraagdProduct {product.referentie}"
        problems = _conditions(message, product)
        if index in overlaps:
            problems.append(overlaps[index])
        if problems:
            code, text = R.TECHNISCH_AFGEKEURD, " ".join(problems)[:500]
        else:
            code, text = _apply(message, product, sender=sender, actor=actor, today=today, **from_message)
        judgement.product_codes.append([code])
        if code != R.GEEN_OPMERKING:
            judgement.errors.append(
                {"element": element, "codes": [code], "melding": text or str(codes.RETOURCODE_LABEL[code])}
            )


def _apply(message, product: AangevraagdProduct, *, sender, actor, today, **from_message) -> tuple[str, str]:
    requested = provider_services.RequestedAssignment(
        reference=product.referentie,
        product_category=product.categorie,
        product_code=product.code,
        start_date=product.toewijzing_ingangsdatum,
        end_date=product.toewijzing_einddatum,
        volume=int(product.omvang.volume) if product.omvang is not None else None,
        unit=product.omvang.eenheid if product.omvang is not None else "",
        frequency=product.omvang.frequentie if product.omvang is not None else "",
        comment=" ".join(part for part in (message.commentaar, product.commentaar) if part),
        referrer=product.verwijzer_naam or product.verwijzer_zorgverlenercode or product.verwijzer_type,
    )
    try:
        with transaction.atomic():
            provider_services.submit_assignment_request(
                sender, bsn=message.client.bsn, requested=requested, by=actor, today=today, **from_message
            )
    except ValidationError as error:
        code = SERVICE_CODES.get(getattr(error, "code", None) or "", R.TECHNISCH_AFGEKEURD)
        return code, " ".join(error.messages)[:500]
    return R.GEEN_OPMERKING, ""


# ---------------------------------------------------------------------------------------------
# The answer to a rejected verzoek om toewijzing: WMO319 (the hook providers.hooks.assignment_request_answered)


def answer_assignment_request(answered: AssignmentRequestAnswered) -> None:
    """Write the WMO319 (WJ760 1 with the WJ759 reason) for a verzoek om toewijzing that came in as a
    WMO315 and was rejected, in the transaction of the answer. A granted one is answered by its
    toewijzing's WMO301, which carries the ReferentieAanbieder."""
    if answered.accepted:
        return
    request = AssignmentRequest.objects.select_related("provider", "client__municipality").get(pk=answered.request_id)
    if request.message_type != codes.MessageType.WMO315 or request.message_uuid is None:
        return
    if request.client is not None:
        municipality = request.client.municipality
    else:  # a BSN that is not a client of ours: the municipality the provider addressed
        incoming = IncomingMessage.objects.select_related("municipality").get(uuid=request.message_uuid)
        municipality = incoming.municipality
    antwoord.queue_wmo319(
        municipality=municipality,
        provider=request.provider,
        client=request.client,
        reference=request.reference,
        antwoord=codes.VerzoekAntwoord.AFGEWEZEN,
        reden=answered.wj759_reden,
        today=answered.today,
        by=request.answered_by,
        answers=f"WMO315 {request.message_identification}",
    )
