"""The log review's items that the audit trail itself knows (registered in AuditConfig.ready()):
users who opened more client files in a day than the threshold, and access to client files outside
office hours. Both count events that concern a client (client_id set) by a staff user; the API's
calls are the providers' and are reviewed by their own source."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import AuditEvent, ReviewSettings
from .review import ReviewItem, ReviewSource

# What counts as opening a file: reading it, searching in it, exporting or printing from it.
FILE_ACCESS_ACTIONS = [AuditEvent.Action.READ, AuditEvent.Action.SEARCH, AuditEvent.Action.EXPORT]


def _staff_access(since: datetime, until: datetime):
    return AuditEvent.objects.filter(
        at__gte=since, at__lt=until, actor__isnull=False, client_id__isnull=False, action__in=FILE_ACCESS_ACTIONS
    )


def _names(user_ids) -> dict[int, str]:
    users = get_user_model().objects.filter(pk__in=set(user_ids)).only("username", "first_name", "last_name")
    return {user.pk: user.get_full_name() or user.get_username() for user in users}


def many_files(viewer, since: datetime, until: datetime) -> list[ReviewItem]:
    """Per user and day: more distinct client files than the threshold (ReviewSettings.files_per_day)."""
    threshold = ReviewSettings.current().files_per_day
    rows = list(
        _staff_access(since, until)
        .annotate(day=TruncDate("at"))
        .values("actor_id", "day")
        .annotate(files=Count("client_id", distinct=True), first=Min("at"))
        .filter(files__gt=threshold)
        .order_by()
    )
    names = _names(row["actor_id"] for row in rows)
    return [
        ReviewItem(
            kind=MANY_FILES.kind,
            key=f"{row['actor_id']}:{row['day']:%Y-%m-%d}",
            at=row["first"],
            user_label=names.get(row["actor_id"], str(row["actor_id"])),
            summary=_("%(files)s verschillende dossiers geopend op %(day)s (drempel %(threshold)s per dag)")
            % {"files": row["files"], "day": f"{row['day']:%d-%m-%Y}", "threshold": threshold},
        )
        for row in rows
    ]


def outside_office_hours(viewer, since: datetime, until: datetime) -> list[ReviewItem]:
    """Per user and day: client files opened before or after office hours, or in the weekend (the
    hours in ReviewSettings, in the installation's time zone)."""
    settings = ReviewSettings.current()
    outside = Q(hour__lt=settings.office_hours_start) | Q(hour__gte=settings.office_hours_end)
    if settings.weekend_is_outside:
        outside |= Q(weekday__gte=6)
    rows = list(
        _staff_access(since, until)
        .annotate(hour=ExtractHour("at"), weekday=ExtractIsoWeekDay("at"), day=TruncDate("at"))
        .filter(outside)
        .values("actor_id", "day")
        .annotate(events=Count("id"), files=Count("client_id", distinct=True), first=Min("at"), last=Max("at"))
        .order_by()
    )
    names = _names(row["actor_id"] for row in rows)
    items = []
    for row in rows:
        first, last = timezone.localtime(row["first"]), timezone.localtime(row["last"])
        items.append(
            ReviewItem(
                kind=OUTSIDE_OFFICE_HOURS.kind,
                key=f"{row['actor_id']}:{row['day']:%Y-%m-%d}",
                at=row["first"],
                user_label=names.get(row["actor_id"], str(row["actor_id"])),
                summary=ngettext(
                    "%(files)s dossier (%(events)s keer) buiten kantooruren op %(day)s, %(first)s–%(last)s",
                    "%(files)s dossiers (%(events)s keer) buiten kantooruren op %(day)s, %(first)s–%(last)s",
                    row["files"],
                )
                % {
                    "files": row["files"],
                    "events": row["events"],
                    "day": f"{row['day']:%d-%m-%Y}",
                    "first": f"{first:%H:%M}",
                    "last": f"{last:%H:%M}",
                },
            )
        )
    return items


MANY_FILES = ReviewSource(
    kind="veel-dossiers", label=gettext_lazy("Meer dossiers geopend dan gebruikelijk"), fetch=many_files, position=20
)
OUTSIDE_OFFICE_HOURS = ReviewSource(
    kind="buiten-kantooruren", label=gettext_lazy("Toegang buiten kantooruren"), fetch=outside_office_hours, position=30
)
