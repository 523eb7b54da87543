"""The WMO301 for a change of toewijzingen (the hook providers.hooks.assignments_changed).

A 301 carries every current toewijzing of the client at the provider plus the changed ones (the
standard: a provider reads the 301 as the full picture). A changed toewijzing gets a new
Toewijzingsdatum and -tijd (its new version); an unchanged one keeps those of its last version.
Several changes in one transaction (a vaststelling that ends the old toewijzing and creates the new
one) give one 301: a 301 still waiting in the outbox for that client and provider, not yet tried,
is rewritten with the new picture instead of sending two."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from indications.models import Client
from providers.hooks import AssignmentsChanged
from providers.models import Assignment, AssignmentRequest, Provider

from . import codes, outbox, wmo301
from .models import AssignmentVersion, OutgoingMessage, ProductOmvang

# A product without a ProductOmvang row: one result (stuks, output) per month (docs/iwmo.md).
DEFAULT_OMVANG = wmo301.Omvang(volume=1, eenheid=codes.Eenheid.STUKS_OUTPUT, frequentie=codes.Frequentie.PER_MAAND)


def toewijzingnummer(number: str) -> int:
    """Our toewijzingnummer (ten digits) as the standard's ToewijzingNummer (an integer up to 9 digits)."""
    digits = "".join(character for character in number if character.isdigit())
    if not digits or int(digits) > 999_999_999:
        raise ValidationError(
            _("Toewijzingnummer %(number)s past niet in een iWmo-bericht.") % {"number": number}, code="iwmo_number"
        )
    return int(digits)


def omvang_of(product) -> wmo301.Omvang | None:
    if not product.iwmo_code:
        return None  # CD080: no product code (aspecifiek), no Omvang
    try:
        row = product.iwmo_omvang
    except ProductOmvang.DoesNotExist:
        return DEFAULT_OMVANG
    return wmo301.Omvang(volume=row.volume, eenheid=row.eenheid, frequentie=row.frequentie)


def person_of(client: Client) -> wmo301.Persoon:
    number, letter, addition = wmo301.split_house_number(client.house_number)
    address = None
    if client.street or client.postcode or client.city or number is not None:
        address = wmo301.Adres(
            huisnummer=number,
            huisletter=letter,
            toevoeging=addition,
            postcode=client.postcode.replace(" ", "").upper(),
            straat=client.street,
            plaats=client.city,
        )
    return wmo301.Persoon(
        bsn=client.bsn,
        geboortedatum=client.date_of_birth,
        geslacht=codes.GESLACHT.get(client.gender, "0"),
        achternaam=client.last_name,
        voorvoegsel=client.name_prefix,
        voornamen=client.first_name,
        voorletters=wmo301.initials_of(client.initials),
        adres=address,
    )


def product_of(assignment: Assignment, issued_at) -> wmo301.ToegewezenProduct:
    issued = timezone.localtime(issued_at)
    withdrawn = assignment.status == Assignment.Status.WITHDRAWN
    return wmo301.ToegewezenProduct(
        nummer=toewijzingnummer(assignment.number),
        categorie=assignment.product.iwmo_category,
        code=assignment.product.iwmo_code,
        toewijzingsdatum=issued.date(),
        toewijzingstijd=issued.time().replace(microsecond=0),
        ingangsdatum=assignment.start_date,
        # CS335: a withdrawn toewijzing (13 verwijderd) ends on its ingangsdatum.
        einddatum=assignment.start_date if withdrawn else assignment.end_date,
        reden_wijziging=codes.REDEN_WIJZIGING_VERWIJDERD if withdrawn else assignment.change_reason,
        omvang=omvang_of(assignment.product),
        referentie_aanbieder=_reference_of(assignment),
    )


def _reference_of(assignment: Assignment) -> str:
    """The ReferentieAanbieder of the verzoek om toewijzing (WMO315) this toewijzing answers, if any."""
    try:
        return assignment.assignment_request.reference
    except AssignmentRequest.DoesNotExist:
        return ""


def queue_toewijzing(change: AssignmentsChanged) -> OutgoingMessage:
    """Hook `assignments_changed` (IwmoConfig.ready): write the client's WMO301 to the provider into
    the outbox, in the transaction of the change."""
    # The new version's Toewijzingsdatum is the day of the change (injected), its time the clock's.
    now = timezone.make_aware(datetime.combine(change.today, timezone.localtime().time()))
    # One upsert for all changed toewijzingen (update_or_create took a SELECT and two savepoints each).
    AssignmentVersion.objects.bulk_create(
        [AssignmentVersion(assignment_id=assignment_id, issued_at=now) for assignment_id in change.assignment_ids],
        update_conflicts=True,
        unique_fields=["assignment"],
        update_fields=["issued_at"],
    )
    waiting = (
        OutgoingMessage.objects.select_for_update(skip_locked=True)
        .filter(
            message_type=codes.MessageType.WMO301,
            client_id=change.client_id,
            provider_id=change.provider_id,
            status=OutgoingMessage.Status.QUEUED,
            attempts=0,
            retour_message__isnull=True,  # one the provider answered already (a 302) is not rewritten
        )
        .order_by("-id")
        .first()
    )
    changed_ids = set(change.assignment_ids)
    # The toewijzingen of the waiting 301 count as changed too (it is rewritten with them).
    waiting_numbers = set(waiting.assignment_numbers) if waiting is not None else set()
    changed = Q(pk__in=changed_ids) | Q(number__in=waiting_numbers) if waiting_numbers else Q(pk__in=changed_ids)
    # One query for the toewijzingen with their client, its municipality and the provider.
    assignments = list(
        Assignment.objects.filter(indication__client_id=change.client_id, provider_id=change.provider_id)
        .filter(Assignment.active_condition(change.today) | changed)
        .select_related(
            "product__iwmo_omvang", "iwmo_version", "assignment_request", "indication__client__municipality", "provider"
        )
        .order_by("start_date", "number")
    )
    if assignments:
        client, provider = assignments[0].indication.client, assignments[0].provider
    else:
        client = Client.objects.select_related("municipality").get(pk=change.client_id)
        provider = Provider.objects.get(pk=change.provider_id)
    changed_ids |= {a.pk for a in assignments if a.number in waiting_numbers}
    if waiting is not None:
        message = waiting
    else:
        message = outbox.new_message(
            message_type=codes.MessageType.WMO301,
            sender=client.municipality.code,
            receiver=provider.agb_code,
            today=change.today,
            municipality=client.municipality,
            provider=provider,
            client=client,
        )
    products = []
    for assignment in assignments:
        version = getattr(assignment, "iwmo_version", None)
        products.append(product_of(assignment, version.issued_at if version else assignment.created_at))
    message.assignment_numbers = sorted(a.number for a in assignments if a.pk in changed_ids)
    xml = wmo301.build(
        wmo301.Toewijzingbericht(header=outbox.header_of(message), client=person_of(client), producten=products)
    )
    return outbox.store(
        message,
        xml,
        by=change.by,
        client_id=client.pk,
        summary=f"WMO301 {message.identification} aan {provider.agb_code} ({', '.join(message.assignment_numbers)})",
    )
