"""Every write of the letters app: the letterhead, a new template version, issuing a letter,
rendering its PDF once, and opening it (audited).

A letter is issued in the transaction of the decision it reports (letters.apps registers the hooks):
the Letter row with its frozen content is written there, so a decision never goes without its letter.
Its PDF is rendered by a Celery task right after commit (eager by default); a letter whose task did
not run is rendered on its first download instead. Once rendered, the PDF is stored in the
"letters" storage with its SHA-256 and the letter is frozen (Letter.save and a database trigger).
"""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.template.base import FilterExpression, Node, NodeList, TemplateSyntaxError, Variable
from django.template.smartif import TokenBase
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEvent
from audit.services import changed_fields, record_event
from indications.models import Municipality

from . import kinds, rendering, tasks
from .freezing import LetterTampered, open_letter, render_letter
from .models import Letter, LetterTemplate, MunicipalityLetterhead

# Inside `rendering_deferred()` a new letter's PDF is left to its first download (a bulk load such as
# the demo's, where rendering every letter on commit would cost about half a second each).
_defer_rendering: ContextVar[bool] = ContextVar("letters_defer_rendering", default=False)


@contextmanager
def rendering_deferred():
    """Letters issued inside this block get no PDF on commit; the first download renders it, as for
    `issue_letter(render=False)`. The frozen content and its template version are written as always."""
    token = _defer_rendering.set(True)
    try:
        yield
    finally:
        _defer_rendering.reset(token)


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
    if render and not _defer_rendering.get():
        transaction.on_commit(lambda: tasks.render_letter.delay(letter.pk))
    return letter


__all__ = ["LetterTampered", "issue_letter", "open_letter", "render_letter", "save_template_version"]


# --------------------------------------------------------------------------------------------
# Beheer pages: the template edit (checked against the kind's placeholders), its preview and
# restore, and the letterhead edit (letters.views). One block, so merges stay simple.
# --------------------------------------------------------------------------------------------

# What each placeholder holds, for the list on the edit page (Dutch: the beheerder reads it).
PLACEHOLDER_LABELS = {
    "client_name": gettext_lazy("naam van de cliënt"),
    "municipality": gettext_lazy("naam van de gemeente"),
    "product": gettext_lazy("het product, bijvoorbeeld individuele begeleiding licht (IB1)"),
    "product_description": gettext_lazy("wat het product is"),
    "start_date": gettext_lazy("ingangsdatum"),
    "end_date": gettext_lazy("einddatum"),
    "provider": gettext_lazy("naam van de aanbieder (leeg bij een pgb)"),
    "pgb": gettext_lazy("waar bij een persoonsgebonden budget (voor {% if pgb %})"),
    "partial_motivation": gettext_lazy("waarom de cliënt niet alles krijgt wat hij vroeg (kan leeg zijn)"),
    "refusal_ground": gettext_lazy("de grond van de afwijzing"),
    "refusal_motivation": gettext_lazy("de motivering van de afwijzing"),
    "ended_on": gettext_lazy("laatste dag van de hulp"),
    "end_reason": gettext_lazy("reden van de beëindiging"),
    "withdrawal_reason": gettext_lazy("reden van de intrekking"),
    "indication_number": gettext_lazy("kenmerk van het besluit"),
    "replaces_number": gettext_lazy("kenmerk van het besluit dat vervangen wordt"),
    "report": gettext_lazy("het verslag van het onderzoek (gebruik {{ report|linebreaks }})"),
    "concluded_on": gettext_lazy("datum waarop het onderzoek is afgerond"),
    "persoonlijk_plan": gettext_lazy("wat het onderzoek zegt over het persoonlijk plan (ontvangen of niet)"),
}
COMMON_PLACEHOLDERS = ("client_name", "municipality")
DECISION_PLACEHOLDERS = (
    "product",
    "product_description",
    "start_date",
    "end_date",
    "provider",
    "pgb",
    "partial_motivation",
    "refusal_ground",
    "refusal_motivation",
    "ended_on",
    "end_reason",
    "withdrawal_reason",
    "indication_number",
    "replaces_number",
)
# The values each kind's letter is issued with (letters.decision_letters.decision_values, issue_verslag).
KIND_PLACEHOLDERS = {
    kinds.TOEKENNING: DECISION_PLACEHOLDERS,
    kinds.WIJZIGING: DECISION_PLACEHOLDERS,
    kinds.AFWIJZING: DECISION_PLACEHOLDERS,
    kinds.BEEINDIGING: DECISION_PLACEHOLDERS,
    kinds.INTREKKING: DECISION_PLACEHOLDERS,
    kinds.VERSLAG: ("report", "concluded_on", "persoonlijk_plan"),
}
PREVIEW_VALUES = {
    **SAMPLE_VALUES,
    "concluded_on": "1 december 2026",
    "persoonlijk_plan": "U heeft op 20-11-2026 een persoonlijk plan ingeleverd.",
}


def _expressions(obj, seen: set[int]):
    """Every FilterExpression in a compiled text (variables, tag arguments, if conditions)."""
    if id(obj) in seen or isinstance(obj, str | int | float | bool | type(None)):
        return
    seen.add(id(obj))
    if isinstance(obj, FilterExpression):
        yield obj
        return
    if isinstance(obj, list | tuple | NodeList):
        for item in obj:
            yield from _expressions(item, seen)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from _expressions(item, seen)
    elif isinstance(obj, Node | TokenBase):
        for name, item in vars(obj).items():
            if name not in ("origin", "token"):
                yield from _expressions(item, seen)


def _bound_names(nodelist) -> set[str]:
    """The names a text binds itself ({% for x in ... %}, {% with x=... %}, {% cycle ... as x %})."""
    names = {"forloop"}
    for node in nodelist.get_nodes_by_type(Node):
        names.update(getattr(node, "loopvars", ()) or ())
        names.update(getattr(node, "extra_context", {}) or {})
        if getattr(node, "variable_name", None):
            names.add(node.variable_name)
    return names


def _used_names(source: str) -> set[str]:
    """The placeholders (first part of each variable) a text reads from its values; empty for a
    text that does not compile (its syntax error is reported instead)."""
    try:
        nodelist = rendering.TEXT_ENGINE.from_string(source).nodelist
    except TemplateSyntaxError:
        return set()
    used = set()
    for expression in _expressions(nodelist, set()):
        variables = [expression.var] + [arg for _func, args in expression.filters for _lookup, arg in args]
        for variable in variables:
            if isinstance(variable, Variable) and variable.lookups:
                used.add(variable.lookups[0])
    return used - _bound_names(nodelist)


_SYNTAX_MESSAGES = (
    (
        re.compile(r"Invalid block tag on line (\d+): '([^']*)'"),
        gettext_lazy("Regel %(1)s: {%% %(2)s %%} bestaat niet of mag niet in een brieftekst."),
    ),
    (
        re.compile(r"Unclosed tag on line (\d+): '([^']*)'. Looking for one of: (?:\w+, )*(\w+)"),
        gettext_lazy("Regel %(1)s: {%% %(2)s %%} is niet afgesloten; zet er {%% %(3)s %%} achter."),
    ),
    (re.compile(r"Invalid filter: '([^']*)'"), gettext_lazy("Het filter '%(1)s' bestaat niet.")),
    (
        re.compile(r"Could not parse the remainder: '([^']*)' from '([^']*)'"),
        gettext_lazy("De plaatshouder {{ %(2)s }} is niet goed geschreven."),
    ),
    (
        re.compile(r"Could not parse some characters: (.*)"),
        gettext_lazy("De plaatshouder {{ %(1)s }} is niet goed geschreven."),
    ),
    (re.compile(r"Empty variable tag on line (\d+)"), gettext_lazy("Regel %(1)s: een lege plaatshouder {{ }}.")),
    (re.compile(r"Empty block tag on line (\d+)"), gettext_lazy("Regel %(1)s: een lege opdracht {%% %%}.")),
)


def _dutch_text_error(source: str, values, offered: set[str]) -> str | None:
    """The first problem of a text in words a beheerder can act on, or None when it can be saved:
    a syntax error, a placeholder the kind does not offer (it would print nothing), a failure on the
    sample values, or braces that are not closed (they would be printed as text)."""
    try:
        rendering.TEXT_ENGINE.from_string(source)
    except TemplateSyntaxError as error:
        message = str(error)
        for pattern, dutch in _SYNTAX_MESSAGES:
            if match := pattern.search(message):
                detail = dutch % {str(number): group for number, group in enumerate(match.groups(), start=1)}
                return _("De tekst is geen geldig sjabloon. %(detail)s") % {"detail": detail}
        return _("De tekst is geen geldig sjabloon: %(error)s") % {"error": message}
    unknown = sorted(_used_names(source) - offered)
    if unknown:
        return _("Deze soort brief kent de plaatshouder %(names)s niet. Gebruik een plaatshouder uit de lijst.") % {
            "names": ", ".join("{{ " + name + " }}" for name in unknown)
        }
    try:
        rendering.render_text(source, values)
    except Exception as error:  # a filter or loop that fails on the values (e.g. a loop over a yes/no)
        return _("De tekst kan niet worden opgemaakt met de voorbeeldwaarden: %(error)s") % {"error": str(error)[:200]}
    if re.search(r"\{\{|\}\}|\{%|%\}", _without_tags(source)):
        return _(
            "Een plaatshouder of opdracht is niet goed afgesloten. Schrijf een plaatshouder als {{ naam }}, "
            "een opdracht als {% if naam %}."
        )
    return None


def _without_tags(source: str) -> str:
    """The text without its well-formed {{ ... }} and {% ... %} (what is left is printed as text)."""
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", "", source, flags=re.DOTALL)


def kind_placeholders(kind: str) -> list[tuple[str, str]]:
    """The placeholders a kind's texts may use, each with what it holds. A kind registered by a
    higher app without an entry here offers the names its default texts use."""
    spec = kinds.get(kind)
    names = KIND_PLACEHOLDERS.get(kind)
    if names is None:
        names = sorted(_used_names(spec.subject) | _used_names(spec.body))
    names = [*COMMON_PLACEHOLDERS, *(name for name in names if name not in COMMON_PLACEHOLDERS)]
    return [(name, str(PLACEHOLDER_LABELS.get(name, ""))) for name in names]


def template_text_errors(kind: str, *, subject: str, body: str) -> dict[str, str]:
    """What is wrong with the texts of an edit, per field, in Dutch (see _dutch_text_error); {}
    when both can be saved."""
    offered = {name for name, _label in kind_placeholders(kind)}
    errors = {}
    for field, source in (("subject", subject), ("body", body)):
        if not source.strip():
            errors[field] = _("Vul dit veld in.")
        elif problem := _dutch_text_error(source, PREVIEW_VALUES, offered):
            errors[field] = problem
    return errors


def _draft(kind: str, *, municipality, subject: str, body: str) -> LetterTemplate:
    latest = _latest(kind, municipality)
    return LetterTemplate(
        kind=kind,
        municipality=municipality,
        version=(latest.version + 1) if latest else 1,
        subject=subject,
        body=body,
    )


def edit_template(kind: str, *, municipality, subject: str, body: str, by) -> LetterTemplate:
    """The edit page's save: the texts checked against the kind's placeholders, then a new version
    of the municipality's own template (save_template_version, audited)."""
    errors = template_text_errors(kind, subject=subject, body=body)
    if errors:
        raise ValidationError(errors)
    return save_template_version(kind, municipality=municipality, subject=subject, body=body, by=by)


def preview_letter(kind: str, *, municipality, subject: str, body: str) -> dict:
    """A letter's content from unsaved texts on sample values, for the preview: nothing is stored
    (no template version, no letter). ValidationError when the texts cannot be rendered."""
    errors = template_text_errors(kind, subject=subject, body=body)
    if errors:
        raise ValidationError(errors)
    content = preview_content(_draft(kind, municipality=municipality, subject=subject, body=body))
    content["subject"] = str(rendering.render_text(subject, PREVIEW_VALUES))
    content["body_html"] = str(rendering.render_text(body, PREVIEW_VALUES))
    return content


# On screen the letter has no page margins: its letterhead, window and date lines (placed in the
# first page's top margin) would sit above the page. This lays the first page out as on paper.
PREVIEW_SCREEN_STYLE = (
    "<style>@media screen { html { background: #fff; } "
    "body { position: relative; max-width: 165mm; margin: 108mm 20mm 25mm 25mm; } }</style>"
)


def preview_letter_html(kind: str, *, municipality, subject: str, body: str) -> str:
    """The preview as the letter's HTML for a screen (nothing stored)."""
    html = rendering.letter_html(preview_letter(kind, municipality=municipality, subject=subject, body=body))
    return html.replace("</head>", PREVIEW_SCREEN_STYLE + "</head>", 1)


def preview_letter_pdf(kind: str, *, municipality, subject: str, body: str) -> bytes:
    """The preview as the PDF the client would get (nothing stored)."""
    return rendering.render_pdf(preview_letter(kind, municipality=municipality, subject=subject, body=body))


@transaction.atomic
def restore_template_version(old: LetterTemplate, *, by) -> LetterTemplate:
    """Put an earlier version's texts back: a new version with the old texts (the versions between
    stay, as letters were sent with them)."""
    template = save_template_version(old.kind, municipality=old.municipality, subject=old.subject, body=old.body, by=by)
    record_event(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=template,
        summary=f"briefsjabloon {template}: tekst van versie {old.version} teruggezet",
        changes={"restored_from_version": old.version},
    )
    return template


LETTERHEAD_FIELDS = (
    "sender",
    "postal_address",
    "visiting_address",
    "phone",
    "website",
    "email",
    "place",
    "bezwaar_address",
    "signatory_name",
    "signatory_function",
    "mandate_line",
)


@transaction.atomic
def update_letterhead(municipality, *, by, **values) -> MunicipalityLetterhead:
    """Edit the municipality's letterhead and signature (letters sent keep what they showed: their
    content is frozen). Validates the model's rules; the change is audited field by field."""
    unknown = set(values) - set(LETTERHEAD_FIELDS)
    if unknown:
        raise TypeError(f"Not letterhead fields: {sorted(unknown)}")
    ensure_letterhead(municipality)
    letterhead = MunicipalityLetterhead.objects.select_for_update().get(municipality=municipality)
    before = {name: getattr(letterhead, name) for name in LETTERHEAD_FIELDS}
    for name, value in values.items():
        setattr(letterhead, name, value.strip() if isinstance(value, str) else value)
    letterhead.full_clean()
    changes = changed_fields(before, {name: getattr(letterhead, name) for name in LETTERHEAD_FIELDS})
    if changes:
        letterhead.save()
        record_event(
            actor=by,
            action=AuditEvent.Action.UPDATE,
            obj=letterhead,
            summary=f"briefhoofd {municipality.name}",
            changes=changes,
        )
    return letterhead
