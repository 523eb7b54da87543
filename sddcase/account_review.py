"""The log review's failed logins and lockouts (audit.review), from django-axes' failure log: the
project wiring knows the login (accounts, axes) and the review (audit), siblings of each other, so
it connects them (registered in sddcase.apps at start-up). A wrong second-factor code is a failed
login as well (accounts.views sends user_login_failed for it), recognised by its path."""

from datetime import datetime

from axes.models import AccessFailureLog
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from audit.review import ReviewItem, ReviewSource


def failed_logins(viewer, since: datetime, until: datetime) -> list[ReviewItem]:
    """Per username, address and day: the failed attempts (password or second factor), and whether
    they ended in a lockout."""
    second_factor = reverse("accounts:second_factor")
    rows = (
        AccessFailureLog.objects.filter(attempt_time__gte=since, attempt_time__lt=until)
        .annotate(day=TruncDate("attempt_time"))
        .values("username", "ip_address", "day")
        .annotate(
            failures=Count("id"),
            second_factor=Count("id", filter=Q(path_info__startswith=second_factor)),
            lockouts=Count("id", filter=Q(locked_out=True)),
            first=Min("attempt_time"),
            last=Max("attempt_time"),
        )
        .order_by()
    )
    items = []
    for row in rows:
        summary = ngettext(
            "%(failures)s mislukte inlogpoging vanaf %(ip)s op %(day)s, %(first)s–%(last)s",
            "%(failures)s mislukte inlogpogingen vanaf %(ip)s op %(day)s, %(first)s–%(last)s",
            row["failures"],
        ) % {
            "failures": row["failures"],
            "ip": row["ip_address"] or _("onbekend adres"),
            "day": f"{row['day']:%d-%m-%Y}",
            "first": f"{timezone.localtime(row['first']):%H:%M}",
            "last": f"{timezone.localtime(row['last']):%H:%M}",
        }
        if row["second_factor"]:
            summary += _(", waarvan %(count)s met een onjuiste tweede factor") % {"count": row["second_factor"]}
        if row["lockouts"]:
            summary += _(" — geblokkeerd")
        items.append(
            ReviewItem(
                kind=FAILED_LOGINS.kind,
                key=f"{row['username'] or ''}|{row['ip_address'] or ''}|{row['day']:%Y-%m-%d}",
                at=row["first"],
                user_label=row["username"] or _("(geen gebruikersnaam)"),
                summary=summary,
            )
        )
    return items


FAILED_LOGINS = ReviewSource(
    kind="inlogpogingen", label=gettext_lazy("Mislukte inlogpogingen en blokkades"), fetch=failed_logins, position=40
)
