"""The letters' read queries."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, Max, OuterRef, QuerySet, Window

from indications.models import Intake, Municipality

from . import kinds
from .models import Letter, LetterTemplate


def letters_of_clients(clients: QuerySet) -> QuerySet[Letter]:
    return Letter.objects.filter(client__in=clients)


def letters_of_client(client) -> list[Letter]:
    return list(Letter.objects.filter(client=client).select_related("corrects").order_by("-letter_date", "-id"))


def letters_about(obj) -> list[Letter]:
    return list(
        Letter.objects.filter(about_type=ContentType.objects.get_for_model(obj), about_id=obj.pk)
        .select_related("corrects")
        .order_by("-letter_date", "-id")
    )


def intakes_with_verslag(client) -> list[Intake]:
    """The client's concluded onderzoeken with a verslag, each annotated with whether it was sent."""
    sent = Letter.objects.filter(
        kind=kinds.VERSLAG, about_type=ContentType.objects.get_for_model(Intake), about_id=OuterRef("pk")
    )
    return list(
        Intake.objects.filter(melding__client=client, concluded_on__isnull=False)
        .exclude(report="")
        .annotate(verslag_sent=Exists(sent))
        .order_by("-concluded_on")
    )


# The beheer pages of the templates (letters.views): one block, so merges stay simple.


def newest_template_versions() -> dict[tuple[str, int | None], LetterTemplate]:
    """The newest version of every (kind, municipality) template, the default ones (municipality
    None) included, with its author: one query."""
    newest = LetterTemplate.objects.annotate(
        newest=Window(Max("version"), partition_by=[F("kind"), F("municipality")])
    ).filter(version=F("newest"))
    return {(row.kind, row.municipality_id): row for row in newest.select_related("created_by")}


@dataclass(frozen=True)
class TemplateRow:
    kind: kinds.Kind
    municipality: Municipality
    template: LetterTemplate | None  # the version letters get now; None: the kind's text is not seeded yet
    own: bool  # the municipality has its own text (else the default for all municipalities)


def template_overview(municipalities) -> list[TemplateRow]:
    """Every letter kind for each municipality, with the version its letters get now."""
    newest = newest_template_versions()
    rows = []
    for kind in kinds.all_kinds():
        for municipality in municipalities:
            own = newest.get((kind.code, municipality.pk))
            rows.append(TemplateRow(kind, municipality, own or newest.get((kind.code, None)), own is not None))
    return rows


def template_versions(kind: str, municipality) -> list[LetterTemplate]:
    """The municipality's own versions of a kind, newest first, each with how many letters used it."""
    return list(
        LetterTemplate.objects.filter(kind=kind, municipality=municipality)
        .select_related("created_by")
        .annotate(letters_sent=Count("letters"))
        .order_by("-version")
    )


def client_of_page(kwargs: dict) -> int | None:
    """The client of a page about a letter (audit.hooks.page_client: a refused page's event)."""
    if "letter_uuid" not in kwargs:
        return None
    return Letter.objects.filter(uuid=kwargs["letter_uuid"]).values_list("client_id", flat=True).first()
