"""AVG (GDPR): who looked at a client's file, and the export for an inzageverzoek (art. 15 AVG)."""

from io import BytesIO

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from audit.models import AuditEvent

from .models import Client, ZrmDomain
from .selectors import client_file


def access_log(client: Client) -> QuerySet[AuditEvent]:
    """Every recorded read and change of this client's file, newest first."""
    return AuditEvent.objects.filter(client_id=client.pk).select_related("actor").order_by("-at", "-id")


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append(["" if value is None else value for value in row])
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(name) + 4)
    sheet.freeze_panes = "A2"


def inzage_export(client: Client) -> bytes:
    """An XLSX with the personal data the system holds on the client and who accessed it."""
    client = client_file(client.pk)
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(
        workbook,
        "Persoonsgegevens",
        ["Gegeven", "Waarde"],
        [
            ["BSN", client.bsn],
            ["Naam", client.full_name],
            ["Geboortedatum", client.date_of_birth],
            ["Geslacht", client.get_gender_display()],
            ["Gemeente", client.municipality.name],
            ["Adres", client.address],
            ["Telefoon", client.phone],
            ["E-mail", client.email],
        ],
    )
    meldingen = list(client.meldingen.all())
    _sheet(
        workbook,
        "Meldingen",
        ["Datum", "Kanaal", "Hulpvraag", "Conclusie onderzoek", "Afgerond op", "Verslag"],
        [
            [m.received_on, m.get_channel_display(), m.question, m.intake.get_conclusion_display(),
             m.intake.concluded_on, m.intake.report]
            for m in meldingen
        ],
    )
    domain_names = dict(ZrmDomain.objects.values_list("pk", "name"))
    _sheet(
        workbook,
        "ZRM",
        ["Datum", "Domein", "Score"],
        [
            [assessment.assessed_on, domain_names[score.domain_id], score.score]
            for assessment in client.zrm_assessments.all()
            for score in assessment.scores.all()
        ],
    )
    _sheet(
        workbook,
        "Beschikkingen",
        ["Nummer", "Product", "Status", "Ingang", "Einde", "Besluitdatum", "Resultaten"],
        [
            [i.number, i.product.name, i.get_status_display(), i.start_date, i.end_date, i.decision_date,
             "; ".join(f"{r.result.name}: {r.goal}" for r in i.results.all())]
            for i in client.indications.all()
        ],
    )
    _sheet(
        workbook,
        "Inzage en wijzigingen",
        ["Moment", "Medewerker", "Handeling", "Onderdeel", "Omschrijving", "IP-adres"],
        [
            [timezone.localtime(e.at).replace(tzinfo=None), e.actor.get_full_name() if e.actor else "systeem",
             e.get_action_display(), e.object_type, e.summary, e.ip_address]
            for e in access_log(client)
        ],
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
