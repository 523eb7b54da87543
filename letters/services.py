"""Every write of the letters app: the letterhead, a new template version, issuing a letter,
rendering its PDF once, and opening it (audited).

A letter is issued in the transaction of the decision it reports (letters.apps registers the hooks):
the Letter row with its frozen content is written there, so a decision never goes without its letter.
Its PDF is rendered by a Celery task right after commit (eager by default); a letter whose task did
not run is rendered on its first download instead. Once rendered, the PDF is stored in the
"letters" storage with its SHA-256 and the letter is frozen (Letter.save and a database trigger).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event
from indications.models import Municipality

from . import kinds, rendering, tasks
from .freezing import LetterTampered, open_letter, render_letter
from .models import Letter, LetterTemplate, MunicipalityLetterhead

# Awb 6:7: the bezwaartermijn and the beroepstermijn are six weeks, from the day after the letter is
# sent (Awb 6:8).
BEZWAAR_WEEKS = 6
REMEDY_WEEKS = 6

# Beroep against a beslissing op bezwaar goes to the rechtbank of the arrondissement (Awb 8:7): the
# seven Drechtsteden municipalities lie in the arrondissement Rotterdam. Copied into each letter's
# frozen content, so a later change of address leaves sent letters as they were.
COURT = {
    "name": "Rechtbank Rotterdam",
    "department": "team bestuursrecht",
    "postal_address": ["Postbus 50951", "3007 BM  Rotterdam"],
    "website": "www.rechtspraak.nl",
}


def dutch_date(day: date | None) -> str:
    if day is None:
        return ""
    with translation.override("nl"):
        return date_format(day, "j F Y")


# --------------------------------------------------------------------------------------------
# Letterhead and templates
# --------------------------------------------------------------------------------------------


def ensure_letterhead(municipality) -> MunicipalityLetterhead:
    """The municipality's letterhead, created with default values (the SDD's, on behalf of the
    municipality) when beheer has not entered one yet; beheer edits it in the admin."""
    letterhead, _created = MunicipalityLetterhead.objects.get_or_create(
        municipality=municipality,
        defaults={
            "sender": f"Gemeente {municipality.name}",
            "postal_address": "Sociale Dienst Drechtsteden\nPostbus 619\n3300 AP Dordrecht",
            "visiting_address": "Johan de Wittstraat 140\n3311 KJ Dordrecht",
            "phone": "078 770 80 00",
            "website": "www.socialedienstdrechtsteden.nl",
            "email": "wmo@socialedienstdrechtsteden.nl",
            "place": municipality.name,
            "bezwaar_address": f"Het college van burgemeester en wethouders van {municipality.name}\n"
            "t.a.v. Team Bezwaar\nPostbus 619\n3300 AP Dordrecht",
            "signatory_name": "M. de Groot",
            "signatory_function": "teamleider Wmo",
            "mandate_line": f"Het college van burgemeester en wethouders van {municipality.name}, namens dezen:",
        },
    )
    return letterhead


def _latest(kind: str, municipality) -> LetterTemplate | None:
    return LetterTemplate.objects.filter(kind=kind, municipality=municipality).order_by("-version").first()


def ensure_default_templates() -> list[LetterTemplate]:
    """Version 1 of the default (all-municipality) template of every registered kind that has none."""
    created = []
    for kind in kinds.all_kinds():
        if _latest(kind.code, None) is None:
            created.append(
                LetterTemplate.objects.create(kind=kind.code, version=1, subject=kind.subject, body=kind.body)
            )
    return created


def current_template(kind: str, municipality) -> LetterTemplate:
    """The newest version of the municipality's own template of this kind, or of the default one."""
    template = _latest(kind, municipality) or _latest(kind, None)
    if template is None:
        spec = kinds.get(kind)
        template = LetterTemplate.objects.create(kind=kind, version=1, subject=spec.subject, body=spec.body)
    return template


SAMPLE_VALUES = {
    "client_name": "J. de Vries",
    "product": "individuele begeleiding licht (IB1)",
    "product_description": "Begeleiding bij het regelen van het dagelijks leven.",
    "start_date": "1 januari 2027",
    "end_date": "31 december 2027",
    "provider": "Zorg Voorbeeld B.V.",
    "pgb": False,
    "partial_motivation": "",
    "refusal_ground": "een algemene voorziening volstaat",
    "refusal_motivation": "Het buurtcentrum helpt u bij uw administratie.",
    "ended_on": "31 maart 2027",
    "end_reason": "De doelen zijn bereikt.",
    "withdrawal_reason": "U bent verhuisd naar een andere gemeente.",
    "indication_number": "IB-2027-0000001",
    "replaces_number": "IB-2026-0000001",
    "report": "Wij spraken op 1 december met u.\n\nU wilt uw administratie weer zelf doen.",
    "municipality": "Dordrecht",
}


def preview_content(template: LetterTemplate) -> dict:
    """A letter's content from this template on sample values (the admin's preview); nothing is saved."""
    spec = kinds.get(template.kind)
    municipality = template.municipality or Municipality.objects.order_by("name").first()
    letterhead = ensure_letterhead(municipality)
    return {
        "kind": spec.code,
        "kind_label": str(spec.label),
        "kenmerk": "VOORBEELD",
        "date": dutch_date(timezone.localdate()),
        "subject": str(rendering.render_text(template.subject, SAMPLE_VALUES)),
        "salutation": "Geachte heer De Vries,",
        "recipient": {"name": "J. de Vries", "lines": ["Voorstraat 1", "3311 AA  DORDRECHT"]},
        "bsn": "*****0000",
        "letterhead": _letterhead(letterhead),
        "body_html": str(rendering.render_text(template.body, SAMPLE_VALUES)),
        "details": SAMPLE_DETAILS if spec.decision_details else None,
        "eigen_bijdrage": spec.eigen_bijdrage,
        **_remedy(spec, timezone.localdate()),
        "follows_bezwaar_of": "",
        "regarding": "",
        "corrects": None,
        "template_version": template.version,
    }


SAMPLE_DETAILS = {
    "indication_number": "IB-2027-0000001",
    "product": SAMPLE_VALUES["product"],
    "product_code": "IB1",
    "product_description": SAMPLE_VALUES["product_description"],
    "results": [
        {
            "domain": "Financiën",
            "result": "Financiële zelfredzaamheid",
            "sub_results": [],
            "goal": "Zelf de vaste lasten betalen.",
        }
    ],
    "start_date": SAMPLE_VALUES["start_date"],
    "end_date": SAMPLE_VALUES["end_date"],
    "pgb": False,
    "provider": SAMPLE_VALUES["provider"],
    "evaluation": "1 juli 2027",
}


@transaction.atomic
def save_template_version(kind: str, *, municipality, subject: str, body: str, by) -> LetterTemplate:
    """An edit of a letter template: a new version (the old ones stay, as sent letters use them)."""
    kinds.get(kind)
    errors = {}
    for field, source in (("subject", subject), ("body", body)):
        if not source.strip():
            errors[field] = _("Vul dit veld in.")
        elif problems := rendering.text_errors(source, SAMPLE_VALUES):
            errors[field] = problems[0]
    if errors:
        raise ValidationError(errors)
    previous = (
        LetterTemplate.objects.select_for_update().filter(kind=kind, municipality=municipality).order_by("-version")
    ).first()
    template = LetterTemplate(
        kind=kind,
        municipality=municipality,
        version=(previous.version + 1) if previous else 1,
        subject=subject,
        body=body,
        created_by=by,
    )
    template.full_clean()
    template.save()
    record_event(actor=by, action=AuditEvent.Action.CREATE, obj=template, summary=f"briefsjabloon {template}")
    return template


# --------------------------------------------------------------------------------------------
# Issuing a letter
# --------------------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _salutation(client) -> str:
    surname = " ".join(part for part in (client.name_prefix.capitalize(), client.last_name) if part)
    if client.gender == client.Gender.FEMALE:
        return f"Geachte mevrouw {surname},"
    if client.gender == client.Gender.MALE:
        return f"Geachte heer {surname},"
    return f"Geachte {client.full_name},"


def _recipient(client) -> dict[str, Any]:
    given = client.initials or (client.first_name[:1] + "." if client.first_name else "")
    name = " ".join(part for part in (given, client.name_prefix, client.last_name) if part)
    street = " ".join(part for part in (client.street, client.house_number) if part)
    place = "  ".join(part for part in (client.postcode, client.city.upper()) if part)
    return {"name": name, "lines": [line for line in (street, place) if line]}


def _letterhead(letterhead: MunicipalityLetterhead) -> dict[str, Any]:
    return {
        "sender": letterhead.sender,
        "municipality": letterhead.municipality.name,
        "postal_address": _lines(letterhead.postal_address),
        "visiting_address": _lines(letterhead.visiting_address),
        "phone": letterhead.phone,
        "website": letterhead.website,
        "email": letterhead.email,
        "place": letterhead.place,
        "bezwaar_address": _lines(letterhead.bezwaar_address),
        "signatory_name": letterhead.signatory_name,
        "signatory_function": letterhead.signatory_function,
        "mandate_line": letterhead.mandate_line,
    }


def _remedy(spec: kinds.Kind, letter_date: date) -> dict[str, Any]:
    """The remedy clause's data: which remedy, until when (six weeks from the letter's date), and for
    beroep the rechtbank. `appealable` and `bezwaar_until` stay for letters frozen before `remedy`."""
    until = dutch_date(letter_date + timedelta(weeks=REMEDY_WEEKS))
    return {
        "remedy": spec.remedy or "",
        "appealable": spec.appealable,
        "remedy_until": until if spec.remedy else "",
        "bezwaar_until": until if spec.remedy == kinds.BEZWAAR else "",
        "court": dict(COURT) if spec.remedy == kinds.BEROEP else None,
    }


def _content(
    letter: Letter, *, spec: kinds.Kind, values: dict, details: dict | None, template, recipient: dict | None
) -> dict:
    client = letter.client
    text_values = {**values, "client_name": client.full_name, "municipality": letter.municipality.name}
    corrects = letter.corrects
    regarding = f"{client.full_name} (BSN {client.masked_bsn})" if recipient else ""
    return {
        "kind": spec.code,
        "kind_label": str(spec.label),
        "kenmerk": letter.kenmerk,
        "date": dutch_date(letter.letter_date),
        "subject": letter.subject,
        "salutation": recipient["salutation"] if recipient else _salutation(client),
        "recipient": (
            {"name": recipient["name"], "lines": list(recipient["lines"])} if recipient else _recipient(client)
        ),
        "bsn": client.masked_bsn,
        "letterhead": _letterhead(ensure_letterhead(letter.municipality)),
        "body_html": str(rendering.render_text(template.body, text_values)),
        "details": details if spec.decision_details else None,
        "eigen_bijdrage": spec.eigen_bijdrage,
        **_remedy(spec, letter.letter_date),
        # A herziening made while a bezwaar runs (Awb 6:19): the bezwaar clause says so.
        "follows_bezwaar_of": str(values.get("bezwaar_received_on") or ""),
        "regarding": regarding,
        "corrects": {"kenmerk": corrects.kenmerk, "date": dutch_date(corrects.letter_date)} if corrects else None,
        "template_version": template.version,
    }


def _next_kenmerk(letter: Letter) -> str:
    return f"WMO-{letter.letter_date:%Y}-{letter.pk:07d}"


@transaction.atomic
def issue_letter(
    kind: str,
    *,
    client,
    municipality,
    values: dict,
    by,
    details: dict | None = None,
    about: models.Model | None = None,
    corrects: Letter | None = None,
    recipient: dict | None = None,
    today: date | None = None,
    render: bool = True,
) -> Letter:
    """Write a letter to the client: its frozen content from the kind's current template, rendered
        with `values` (plain data: the placeholders of the text) and `details` (the decision's parts, for
        a kind that shows them). The PDF follows right after commit (render_letter). `corrects`: the
        letter this one corrects (the old one stays as it was). `render=False` leaves the PDF to its first
    download (the demo's older letters: the content is frozen already, the PDF follows from it).
        `recipient`: someone else than the client the letter goes to (a representative who filed a bezwaar),
        as plain data {"name", "lines" (the address), "salutation"}; the letter then names the client
        it is about. The letter stays the client's (its file, its AVG export)."""
    spec = kinds.get(kind)
    if recipient is not None and not (recipient.get("name") and recipient.get("lines") and recipient.get("salutation")):
        raise ValueError("A recipient needs a name, address lines and a salutation")
    if corrects is not None and corrects.client_id != client.pk:
        raise ValidationError({"corrects": _("Een correctie hoort bij een brief aan dezelfde cliënt.")})
    template = current_template(kind, municipality)
    letter_date = today or timezone.localdate()
    letter = Letter.objects.create(
        kind=kind,
        client=client,
        municipality=municipality,
        template=template,
        kenmerk=f"nieuw-{uuid.uuid4().hex[:24]}",  # numbered below, once the row has its id
        letter_date=letter_date,
        subject="",
        content={},
        about_type=ContentType.objects.get_for_model(about) if about is not None else None,
        about_id=about.pk if about is not None else None,
        corrects=corrects,
        created_by=by,
    )
    letter.kenmerk = _next_kenmerk(letter)
    letter.subject = str(rendering.render_text(template.subject, values))
    letter.content = _content(letter, spec=spec, values=values, details=details, template=template, recipient=recipient)
    letter.save(update_fields=["kenmerk", "subject", "content"])
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=letter,
        client_id=client.pk,
        summary=f"brief {letter.kenmerk}: {spec.label}" + (f" (corrigeert {corrects.kenmerk})" if corrects else ""),
    )
    if render:
        transaction.on_commit(lambda: tasks.render_letter.delay(letter.pk))
    return letter


__all__ = ["LetterTampered", "issue_letter", "open_letter", "render_letter", "save_template_version"]
