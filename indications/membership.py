"""The rules of membership: the SDD carries out the Wmo for a municipality only while it is a member
(Municipality.member_from up to and including member_until). A pure module (reads, never writes):
the services of the case file call it and refuse what falls outside the membership.

- a new client (or a client moved to another municipality) lives in a municipality that is a member
  today;
- a melding, an aanvraag and the ingangsdatum of a beschikking fall on a day on which the client's
  municipality is a member;
- a beschikking of a municipality whose membership ends has an einddatum on or before the last day
  of membership, so that it ends with it (checked at the vaststelling);
- the membership of a municipality cannot be shortened past its case file: the admin refuses a
  member_from after its first melding or aanvraag and a member_until before the end of a live
  beschikking (end those first).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Min, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Aanvraag, Indication, Melding, Municipality
from .workflow import LIVE_STATUSES, VOID_STATUSES


def _day(day: date) -> str:
    return date_format(day, "j F Y")


def membership_text(municipality: Municipality) -> str:
    """The membership in words: 'lid vanaf 1 januari 2018' or 'lid van ... tot en met ...'."""
    if municipality.member_until is None:
        return _("lid vanaf %(from)s") % {"from": _day(municipality.member_from)}
    return _("lid van %(from)s tot en met %(until)s") % {
        "from": _day(municipality.member_from),
        "until": _day(municipality.member_until),
    }


def not_member_message(municipality: Municipality, day: date) -> str:
    """Why nothing can be registered for this municipality on this day, or "" when it can."""
    if municipality.is_member_on(day):
        return ""
    return _(
        "%(municipality)s is op %(day)s geen lid van de Sociale Dienst Drechtsteden (%(membership)s): de SDD "
        "voert daar dan de Wmo niet uit."
    ) % {"day": _day(day), "municipality": municipality.name, "membership": membership_text(municipality)}


def membership_errors(indication: Indication) -> list[ValidationError]:
    """The ingangsdatum within the membership, and the einddatum no later than its last day."""
    municipality = indication.client.municipality
    if indication.start_date and not municipality.is_member_on(indication.start_date):
        return [
            ValidationError(
                not_member_message(municipality, indication.start_date),
                code="municipality_not_member",
                params={"field": "start_date"},
            )
        ]
    until = municipality.member_until
    if until is not None and (indication.end_date is None or indication.end_date > until):
        return [
            ValidationError(
                _(
                    "Het lidmaatschap van %(municipality)s eindigt op %(until)s: kies een einddatum uiterlijk op "
                    "die dag."
                ),
                code="beyond_membership",
                params={"municipality": municipality.name, "until": _day(until), "field": "end_date"},
            )
        ]
    return []


def membership_change_errors(
    municipality: Municipality, *, member_from: date | None, member_until: date | None
) -> dict[str, str]:
    """Why the membership cannot be changed to these dates: it may not leave case data outside."""
    errors: dict[str, str] = {}
    if member_from and member_until and member_until <= member_from:
        return {"member_until": _("De einddatum van het lidmaatschap moet na de begindatum liggen.")}
    if municipality.pk is None:
        return errors
    if member_from:
        first = min(
            (
                day
                for day in (
                    Melding.objects.filter(client__municipality=municipality).aggregate(day=Min("received_on"))["day"],
                    Aanvraag.objects.filter(client__municipality=municipality).aggregate(day=Min("received_on"))["day"],
                    Indication.objects.filter(client__municipality=municipality)
                    .exclude(status__in=VOID_STATUSES)
                    .aggregate(day=Min("start_date"))["day"],
                )
                if day is not None
            ),
            default=None,
        )
        if first is not None and first < member_from:
            errors["member_from"] = _(
                "Het dossier van %(municipality)s begint al op %(day)s: het lidmaatschap kan niet later beginnen."
            ) % {"municipality": municipality.name, "day": _day(first)}
    if member_until:
        running = Indication.objects.filter(client__municipality=municipality, status__in=LIVE_STATUSES).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=member_until)
        )
        count = running.count()
        if count:
            errors["member_until"] = _(
                "%(count)s lopende beschikking(en) van %(municipality)s duren langer dan %(until)s: beëindig die "
                "eerst uiterlijk per die dag."
            ) % {"count": count, "municipality": municipality.name, "until": _day(member_until)}
    return errors
