"""The letters' read queries."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet

from indications.models import Intake

from . import kinds
from .models import Letter


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
