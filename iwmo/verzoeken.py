"""WMO317 (verzoek om wijziging) in, WMO318 retour out, WMO319 answer out.

A provider asks for another product or another end date of a current toewijzing. The message is
read into plain data (`VerzoekOmWijziging`; `build` writes one, for the tests and a simulator) and
judged in the inbox's three layers (registered with iwmo.inbox.register):

1. Structure: the hardened parser and, with IWMO_XSD_DIR, the official XSD (0001 in the header).
2. In-message conditions: CS002 (BSN elfproef: 0001 on the Client, the rest 0233), WJ758 (RedenVerzoek
   1 or 2), ReferentieAanbieder present, TR101 (a toewijzing named once), TR352 (at least one
   OngewijzigdProduct or TeWijzigenProduct), TR353 (at least one TeWijzigenProduct or NieuwProduct),
   dates that are dates and an Einddatum not before the GewensteIngangsdatum, an Omvang or a Budget
   (not both, CD077/CD078) with whole numbers: each 0001 on its class.
3. The technical rules against the database: TR056 (9056), TR135 (8848), TR378 (S300) in the
   header as for every message; TR304 (8187: a client of ours with a toewijzing at this provider
   from the receiving municipality), TR347 (9347: the ReferentieAanbieder unique for the provider),
   TR349 (9349: every current toewijzing named), TR350 (9350) and TR351 (9351: each named toewijzing
   is a current one of this provider and client), TR357 (9357: a GewensteIngangsdatum on or before
   the dagtekening is the toewijzing's Ingangsdatum), the NieuwProduct's product code known (S329).

An accepted verzoek goes through `providers.services.submit_change_request`, the service of the
REST API, with the provider as actor; its own rules (an active toewijzing, a contract for the product,
one open verzoek per toewijzing) answer 0001 on the Verzoek. Our ChangeRequest changes one toewijzing:
a verzoek with more than one TeWijzigenProduct or NieuwProduct is answered 0001 on the Verzoek. The
request keeps the GewensteIngangsdatum, Omvang and Budget of its NieuwProduct (else of its
TeWijzigenProduct): the GewensteIngangsdatum is the proposed start of a grant
(`providers.services.proposed_start`); the Omvang and Budget are shown to the consultant.

The consultant's answer (providers.services.answer_change_request) runs the hook
`change_request_answered`; `answer_verzoek` writes the WMO319 for a refusal (WJ760 1 with WJ759) or
in onderzoek (WJ760 2), only for a verzoek that came in as XML. A grant is answered by the new
toewijzing's WMO301.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indications.models import Client, Product
from indications.validators import is_valid_bsn
from providers import services as provider_services
from providers.hooks import ChangeRequestAnswered
from providers.models import Assignment, ChangeRequest, Provider

from . import antwoord, codes, inbox, regie
from .codes import Retourcode as R
from .verzoek_toewijzing import Omvang, omvang_budget_problems, read_omvang, write_omvang
from .xml import Header, Reader, TechnicalError, Writer, parse_message

VERZOEK = codes.MessageType.WMO317
ONGEWIJZIGD, TE_WIJZIGEN, NIEUW = "OngewijzigdProduct", "TeWijzigenProduct", "NieuwProduct"
CONTAINER = {ONGEWIJZIGD: "OngewijzigdeProducten", TE_WIJZIGEN: "TeWijzigenProducten", NIEUW: "NieuweProducten"}


@dataclass
class VerzoekProduct:
    """An OngewijzigdProduct (only `nummer`), a TeWijzigenProduct (`nummer`, dates) or a NieuwProduct
    (`categorie`/`code`, dates); both of the latter with an Omvang or a Budget (eurocent) as asked."""

    soort: str
    nummer: str = ""
    categorie: str = ""
    code: str = ""
    gewenste_ingangsdatum: date | None = None
    einddatum: date | None = None
    omvang: Omvang | None = None
    budget: str = ""
    fouten: list[str] = field(default_factory=list)

    @property
    def element(self) -> str:
        return f"{self.soort} {self.nummer or self.code or self.categorie}".strip()


@dataclass
class VerzoekOmWijziging:
    header: Header
    bsn: str
    referentie_aanbieder: str
    reden_verzoek: str
    producten: list[VerzoekProduct]
    message_type: str = VERZOEK

    def of(self, soort: str) -> list[VerzoekProduct]:
        return [product for product in self.producten if product.soort == soort]


def read(message_type: str, root) -> VerzoekOmWijziging:
    reader = Reader(root, message_type)
    header = reader.header()
    regie.check_header(header)
    client = reader.find(root, "Client")
    verzoek = reader.find(client, "Verzoek") if client is not None else None
    if verzoek is None:
        raise TechnicalError(_("Het bericht heeft geen Client met een Verzoek."))
    products = []
    for soort in (ONGEWIJZIGD, TE_WIJZIGEN, NIEUW):  # the XSD's order, which the retour repeats
        for element in reader.findall(verzoek, CONTAINER[soort], soort):
            problems: list[str] = []
            product = VerzoekProduct(
                soort=soort,
                nummer=reader.text(element, "ToewijzingNummer"),
                categorie=reader.text(element, "Product", basis=("Categorie",)),
                code=reader.text(element, "Product", basis=("Code",)),
                fouten=problems,
            )
            if soort != ONGEWIJZIGD:
                product.gewenste_ingangsdatum = regie.read_date(
                    reader.text(element, "GewensteIngangsdatum"), "GewensteIngangsdatum", problems
                )
                if product.gewenste_ingangsdatum is None and not problems:
                    problems.append(_("GewensteIngangsdatum ontbreekt."))
                product.einddatum = regie.read_date(reader.text(element, "Einddatum"), "Einddatum", problems)
                product.omvang = read_omvang(reader, element)
                product.budget = reader.text(element, "Budget")
                problems.extend(omvang_budget_problems(product.omvang, product.budget))
            products.append(product)
    return VerzoekOmWijziging(
        header=header,
        bsn=reader.text(client, "Bsn"),
        referentie_aanbieder=reader.text(verzoek, "ReferentieAanbieder"),
        reden_verzoek=reader.text(verzoek, "RedenVerzoek"),
        producten=products,
    )


def build(message: VerzoekOmWijziging) -> bytes:
    """A WMO317 as a provider sends it (the tests' messages, a provider simulator)."""
    writer = Writer(VERZOEK)
    writer.header(message.header)
    _verzoek(writer, message)
    return writer.tobytes()


def _verzoek(writer: Writer, message: VerzoekOmWijziging, judgement: "inbox.Judgement | None" = None):
    client = writer.add(writer.root, "Client", always=True)
    writer.add(client, "Bsn", message.bsn)
    verzoek = writer.add(client, "Verzoek", always=True)
    writer.add(verzoek, "ReferentieAanbieder", message.referentie_aanbieder)
    writer.add(verzoek, "RedenVerzoek", message.reden_verzoek)
    product_codes = iter(judgement.product_codes) if judgement else None
    for soort in (ONGEWIJZIGD, TE_WIJZIGEN, NIEUW):
        products = message.of(soort)
        if not products:
            continue
        container = writer.add(verzoek, CONTAINER[soort], always=True)
        for product in products:
            element = writer.add(container, soort, always=True)
            if soort == NIEUW:
                if product.categorie:
                    code = writer.add(element, "Product", always=True)
                    writer.basis(code, "Categorie", product.categorie)
                    writer.basis(code, "Code", product.code)
            else:
                writer.add(element, "ToewijzingNummer", product.nummer)
            if soort != ONGEWIJZIGD:
                writer.add(element, "GewensteIngangsdatum", product.gewenste_ingangsdatum)
                writer.add(element, "Einddatum", product.einddatum)
                write_omvang(writer, element, product.omvang)
                writer.add(element, "Budget", product.budget)
            if product_codes is not None:
                writer.retourcodes(element, next(product_codes))
    if judgement is not None:
        writer.retourcodes(verzoek, judgement.element_codes.get("Verzoek", [R.GEEN_OPMERKING]))
        writer.retourcodes(client, judgement.client_codes)


def build_retour(message, header: Header, retour: regie.Retour, judgement) -> bytes:
    """The WMO318: the heenbericht's header and, when it was read, the Client, the Verzoek and every
    product with their WJ001 codes (0200 where there is nothing to say)."""
    if message is None or not judgement.client_codes:
        return regie.build_retour(None, header, retour)
    writer = Writer(codes.RETOUR_OF[VERZOEK])
    regie.write_retour_header(writer, header, retour)
    _verzoek(writer, message, judgement)
    return writer.tobytes()


@dataclass(frozen=True)
class Retour318:
    """A WMO318 as read back (the tests): the codes per class, products in the message's order."""

    header: Header
    identification: str
    header_codes: tuple[str, ...]
    client_codes: tuple[str, ...]
    verzoek_codes: tuple[str, ...]
    product_codes: tuple[tuple[str, ...], ...]


def read_retour(raw: bytes) -> Retour318:
    retour_type, root = parse_message(raw, expected=(codes.MessageType.WMO318,))
    reader = Reader(root, retour_type)
    head = reader.find(root, "Header")

    def codes_of(element) -> tuple[str, ...]:
        return (
            tuple(e.text for e in reader.findall(element, "RetourCodes", "RetourCode")) if element is not None else ()
        )

    client = reader.find(root, "Client")
    verzoek = reader.find(client, "Verzoek") if client is not None else None
    products = []
    if verzoek is not None:
        for soort in (ONGEWIJZIGD, TE_WIJZIGEN, NIEUW):
            products += [codes_of(element) for element in reader.findall(verzoek, CONTAINER[soort], soort)]
    return Retour318(
        header=reader.header(),
        identification=reader.text(head, "IdentificatieRetour"),
        header_codes=codes_of(head),
        client_codes=codes_of(client),
        verzoek_codes=codes_of(verzoek),
        product_codes=tuple(products),
    )


# ---------------------------------------------------------------------------------------------
# Judging and applying


def judge_and_apply(message: VerzoekOmWijziging, incoming, judgement, *, sender: Provider, actor, today: date) -> None:
    not_judged = [[R.NIET_BEOORDEELD] for _product in message.producten]
    if not is_valid_bsn(message.bsn):  # CS002
        judgement.client_codes = [R.TECHNISCH_AFGEKEURD]
        judgement.note("Client", R.TECHNISCH_AFGEKEURD, _("Het BSN voldoet niet aan de elfproef (CS002)."))
        judgement.element_codes["Verzoek"], judgement.product_codes = [R.NIET_BEOORDEELD], not_judged
        return
    client = (
        Client.objects.filter(
            bsn=message.bsn,
            municipality__code=message.header.receiver,
            indications__assignments__provider=sender,
        )
        .distinct()
        .first()
    )
    incoming.client = client
    if client is None:  # TR304
        judgement.client_codes = [R.BSN_ONBEKEND]
        judgement.note("Client", R.BSN_ONBEKEND)
        judgement.element_codes["Verzoek"], judgement.product_codes = [R.NIET_BEOORDEELD], not_judged
        return
    judgement.client_codes = [R.GEEN_OPMERKING]
    current = {
        assignment.number: assignment
        for assignment in Assignment.objects.active_on(today)
        .select_related("product")
        .filter(provider=sender, indication__client=client)
    }
    named: list[Assignment | None] = []
    product_codes = []
    requested_products: list[Product | None] = []
    for product in message.producten:
        code, text, assignment, requested = _judge_product(product, message, current=current)
        product_codes.append([code])
        named.append(assignment)
        requested_products.append(requested)
        if code != R.GEEN_OPMERKING:
            judgement.note(product.element, code, text)
    judgement.product_codes = product_codes
    code, text = _judge_verzoek(message, sender=sender, current=current, named=named)
    if code == R.GEEN_OPMERKING and any(codes_ != [R.GEEN_OPMERKING] for codes_ in product_codes):
        code, text = R.NIET_BEOORDEELD, _("Een of meer producten zijn afgekeurd; het verzoek is niet verwerkt.")
    if code == R.GEEN_OPMERKING:
        code, text = _apply(message, incoming, actor=actor, named=named, requested=requested_products, today=today)
    judgement.element_codes["Verzoek"] = [code]
    if code != R.GEEN_OPMERKING:
        judgement.note(f"Verzoek {message.referentie_aanbieder}", code, text)


def _number(nummer: str) -> str | None:
    return f"{int(nummer):010d}" if nummer.isdigit() and len(nummer) <= 10 else None


def _judge_product(product: VerzoekProduct, message, *, current) -> tuple[str, str, Assignment | None, Product | None]:
    if product.fouten:
        return R.TECHNISCH_AFGEKEURD, " ".join(product.fouten), None, None
    if product.soort == NIEUW:
        requested = Product.objects.filter(iwmo_category=product.categorie, iwmo_code=product.code).first()
        if not product.categorie or requested is None:
            return R.PRODUCTCODE_ONGELDIG, "", None, None
        if product.einddatum and product.einddatum < product.gewenste_ingangsdatum:
            return R.TECHNISCH_AFGEKEURD, _("De Einddatum ligt vóór de GewensteIngangsdatum."), None, None
        return R.GEEN_OPMERKING, "", None, requested
    assignment = current.get(_number(product.nummer) or "")
    if assignment is None:  # TR350 / TR351
        code = R.ONGEWIJZIGD_GEEN_TOEWIJZING if product.soort == ONGEWIJZIGD else R.TE_WIJZIGEN_GEEN_TOEWIJZING
        return code, "", None, None
    if product.soort == TE_WIJZIGEN:
        if product.einddatum and product.einddatum < product.gewenste_ingangsdatum:
            return R.TECHNISCH_AFGEKEURD, _("De Einddatum ligt vóór de GewensteIngangsdatum."), None, None
        if (
            product.gewenste_ingangsdatum <= message.header.dagtekening
            and product.gewenste_ingangsdatum != assignment.start_date
        ):  # TR357
            return R.GEWENSTE_INGANGSDATUM, "", None, None
    return R.GEEN_OPMERKING, "", assignment, None


def _judge_verzoek(message: VerzoekOmWijziging, *, sender, current, named) -> tuple[str, str]:
    if message.reden_verzoek not in codes.RedenVerzoek.values:
        return R.TECHNISCH_AFGEKEURD, _("RedenVerzoek moet een waarde uit WJ758 zijn (1 of 2).")
    if not 1 <= len(message.referentie_aanbieder) <= 36:
        return R.TECHNISCH_AFGEKEURD, _("ReferentieAanbieder ontbreekt of is langer dan 36 tekens.")
    numbers = [product.nummer for product in message.producten if product.soort != NIEUW]
    if len(numbers) != len(set(numbers)):  # TR101
        return R.TECHNISCH_AFGEKEURD, _("Een toewijzing komt meer dan eens in het verzoek voor (TR101).")
    if not message.of(ONGEWIJZIGD) and not message.of(TE_WIJZIGEN):  # TR352
        return R.TECHNISCH_AFGEKEURD, _("Het verzoek noemt geen ongewijzigd of te wijzigen product (TR352).")
    if not message.of(TE_WIJZIGEN) and not message.of(NIEUW):  # TR353
        return R.TECHNISCH_AFGEKEURD, _("Het verzoek vraagt geen wijziging en geen nieuw product (TR353).")
    if ChangeRequest.objects.filter(assignment__provider=sender, reference=message.referentie_aanbieder).exists():
        return R.REFERENTIE_NIET_UNIEK, ""  # TR347
    if set(current) - {assignment.number for assignment in named if assignment is not None}:
        return R.NIET_ALLE_ACTUELE_PRODUCTEN, ""  # TR349
    if len(message.of(TE_WIJZIGEN)) != 1 or len(message.of(NIEUW)) > 1:
        return R.TECHNISCH_AFGEKEURD, _(
            "Een verzoek om wijziging wijzigt hier precies één toewijzing, met hoogstens één nieuw product "
            "in de plaats daarvan."
        )
    return R.GEEN_OPMERKING, ""


def _apply(message: VerzoekOmWijziging, incoming, *, actor, named, requested, today) -> tuple[str, str]:
    index = next(i for i, product in enumerate(message.producten) if product.soort == TE_WIJZIGEN)
    assignment, to_change = named[index], message.producten[index]
    new = next((i for i, product in enumerate(message.producten) if product.soort == NIEUW), None)
    product = requested[new] if new is not None else None
    asked = message.producten[new] if new is not None else to_change  # its dates, Omvang or Budget
    omvang = asked.omvang
    label = codes.RedenVerzoek(message.reden_verzoek).label
    try:
        with transaction.atomic():
            provider_services.submit_change_request(
                assignment,
                motivation=_("Verzoek om wijziging (iWmo WMO317 %(id)s), reden: %(reden)s.")
                % {"id": message.header.identification, "reden": label},
                by=actor,
                product=product,
                end_date=asked.einddatum,
                start_date=asked.gewenste_ingangsdatum,
                volume=int(omvang.volume) if omvang is not None else None,
                unit=omvang.eenheid if omvang is not None else "",
                frequency=omvang.frequentie if omvang is not None else "",
                budget=int(asked.budget) if asked.budget else None,
                today=today,
                reason=message.reden_verzoek,
                reference=message.referentie_aanbieder,
                message_identification=message.header.identification,
                incoming_message_id=incoming.pk,
            )
    except ValidationError as error:
        return R.TECHNISCH_AFGEKEURD, " ".join(error.messages)[:500]
    return R.GEEN_OPMERKING, ""


inbox.register(
    VERZOEK, inbox.Handler(read=read, judge_and_apply=judge_and_apply, build_retour=build_retour, needs_id=True)
)


# ---------------------------------------------------------------------------------------------
# The answer: WMO319 for a refusal or in onderzoek (the hook providers.hooks.change_request_answered)


def answer_verzoek(answered: ChangeRequestAnswered) -> None:
    """Write the WMO319 for a verzoek that came in as XML and was refused or put in onderzoek, in the
    transaction of the answer. A grant is answered by the new toewijzing (its WMO301); a verzoek
    through the REST API is answered there (GET /api/v1/wijzigingsverzoeken/{id}/)."""
    if answered.granted or not answered.answer or not answered.reference:
        return
    client = Client.objects.select_related("municipality").get(pk=answered.client_id)
    antwoord.queue_wmo319(
        municipality=client.municipality,
        provider=Provider.objects.get(pk=answered.provider_id),
        client=client,
        reference=answered.reference,
        antwoord=answered.answer,
        reden=answered.refusal_reason,
        today=answered.today,
        by=answered.by,
        answers=f"WMO317 {answered.message_identification}",
    )
