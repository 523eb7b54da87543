"""Break-the-glass: "toegang in noodsituatie" (issue 19).

A consultant who needs the file of a client outside their teams' municipalities (a crisis call)
asks for it by the client's full BSN and a reason. The grant opens that one file, read-only, for
EMERGENCY_ACCESS_HOURS; every audit event recorded while it is read through the grant carries the
purpose "toegang in noodsituatie" and the reason (purpose_of()), and every grant is on the review
list of the privacy officer and of the team leads of the user's teams (review_items(), registered
as an audit.review source in IndicationsConfig.ready()).

Whether a client with the BSN exists is told by the grant only: the search offers the access on
every not-found answer to a full, valid BSN, whatever the database holds.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import context as audit_context
from audit.models import AuditEvent
from audit.review import ReviewItem, ReviewSource
from audit.services import record_event

from .models import Client, EmergencyAccess
from .selectors import CASE_WORK_PERMISSION, clients_visible_to
from .validators import is_valid_bsn

EMERGENCY_PURPOSE = gettext_lazy("toegang in noodsituatie")
REASON_MIN_LENGTH = 20
# Who reviews the accesses: the privacy officer (audit.review_log), the team lead (the four-eyes
# permission, indications.four_eyes.REVIEW_PERMISSION) for the users of their teams.
REVIEW_LOG_PERMISSION = "audit.review_log"
TEAM_LEAD_PERMISSION = "indications.review_indication"
PURPOSE_MAX_LENGTH = 120  # audit.AuditEvent.purpose


def _case_work_permission() -> str:
    app_label, codename = CASE_WORK_PERMISSION
    return f"{app_label}.{codename}"


def shortened(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def purpose_of(access: EmergencyAccess) -> str:
    """The purpose of use of the events recorded while reading through the access."""
    head = f"{EMERGENCY_PURPOSE}: "
    return head + shortened(access.reason, PURPOSE_MAX_LENGTH - len(head))


def expiry_for(granted_at: datetime) -> datetime:
    return granted_at + timedelta(hours=settings.EMERGENCY_ACCESS_HOURS)


def grant_emergency_access(*, by, bsn: str, reason: str, now: datetime | None = None) -> EmergencyAccess:
    """Open the file of the client with this BSN to `by`, read-only, until the expiry. Refused: a
    user without case work, a short reason, an invalid BSN, no such client, a client `by` may
    already see (all with the message at the field)."""
    if not by.has_perm(_case_work_permission()):
        raise ValidationError(
            _("Alleen een consulent kan toegang in noodsituatie krijgen."), code="emergency_not_allowed"
        )
    bsn, reason = (bsn or "").strip(), (reason or "").strip()
    errors = {}
    if len(reason) < REASON_MIN_LENGTH:
        errors["reason"] = ValidationError(
            _("Geef de reden in ten minste %(min)d tekens: waarom is het dossier nu nodig?")
            % {"min": REASON_MIN_LENGTH},
            code="emergency_reason_too_short",
        )
    client = None
    if not is_valid_bsn(bsn):
        errors["bsn"] = ValidationError(_("Vul een volledig, geldig BSN in (9 cijfers)."), code="bsn_invalid")
    else:
        client = Client.objects.filter(bsn=bsn).first()
        if client is None:
            errors["bsn"] = ValidationError(_("Er is geen cliënt met dit BSN."), code="emergency_client_unknown")
        elif clients_visible_to(by).filter(pk=client.pk).exists():
            errors["bsn"] = ValidationError(
                _("Deze cliënt hoort bij uw teams: open het dossier via Cliënt zoeken."),
                code="emergency_client_visible",
            )
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    with transaction.atomic():
        access = EmergencyAccess(user=by, client=client, reason=reason, granted_at=now, expires_at=expiry_for(now))
        access.full_clean()
        access.save()
        with audit_context.purpose_of_use(purpose_of(access)):
            record_event(
                actor=by,
                action=AuditEvent.Action.CREATE,
                obj=access,
                client_id=client.pk,
                summary=f"toegang in noodsituatie verleend tot {timezone.localtime(access.expires_at):%d-%m-%Y %H:%M}",
                changes={"reason": reason},
            )
    return access


def end_emergency_access(access: EmergencyAccess, *, by, now: datetime | None = None) -> EmergencyAccess:
    """The user ends their own access before it expires."""
    now = now or timezone.now()
    with transaction.atomic():
        access = EmergencyAccess.objects.select_for_update().get(pk=access.pk)
        if access.user_id != by.pk:
            raise ValidationError(_("Alleen wie de toegang kreeg, kan haar beëindigen."), code="emergency_not_yours")
        if not access.is_active(now):
            raise ValidationError(_("Deze toegang is al beëindigd of verlopen."), code="emergency_closed")
        access.ended_at = now
        access.full_clean()
        access.save(update_fields=["ended_at"])
        with audit_context.purpose_of_use(purpose_of(access)):
            record_event(
                actor=by,
                action=AuditEvent.Action.UPDATE,
                obj=access,
                client_id=access.client_id,
                summary="toegang in noodsituatie beëindigd",
            )
    return access


# -- the log review (audit.review) ---------------------------------------------------------------


def accesses_for_review(viewer, since: datetime | None = None, until: datetime | None = None):
    """The grants in [since, until) the viewer reviews: all for the privacy officer, those of the
    users in their teams for a team lead (their own included), none for anyone else."""
    accesses = EmergencyAccess.objects.select_related("user", "client")
    if since is not None:
        accesses = accesses.filter(granted_at__gte=since)
    if until is not None:
        accesses = accesses.filter(granted_at__lt=until)
    if viewer.has_perm(REVIEW_LOG_PERMISSION):
        return accesses.order_by("-granted_at")
    if viewer.has_perm(TEAM_LEAD_PERMISSION):
        team_members = get_user_model().objects.filter(teams__members=viewer).values("pk")
        return accesses.filter(user__in=team_members).order_by("-granted_at")
    return accesses.none()


def events_under(access: EmergencyAccess):
    """What the user did in the client's file while the access was in force (the audit events)."""
    return AuditEvent.objects.filter(
        actor_id=access.user_id, client_id=access.client_id, at__gte=access.granted_at, at__lt=access.closed_at
    ).order_by("at")


def review_items(viewer, since: datetime, until: datetime) -> list[ReviewItem]:
    items = []
    for access in accesses_for_review(viewer, since, until):
        until_at = timezone.localtime(access.closed_at)
        items.append(
            ReviewItem(
                kind=REVIEW_SOURCE.kind,
                key=str(access.uuid),
                at=access.granted_at,
                user_label=access.user.get_full_name() or access.user.get_username(),
                summary=_("Dossier BSN %(bsn)s tot %(until)s — reden: %(reason)s")
                % {
                    "bsn": access.client.masked_bsn,
                    "until": f"{until_at:%d-%m-%Y %H:%M}",
                    "reason": shortened(access.reason, 200),
                },
                url=reverse("indications:emergency_access_detail", kwargs={"access_uuid": access.uuid}),
            )
        )
    return items


REVIEW_SOURCE = ReviewSource(
    kind="noodtoegang",
    label=gettext_lazy("Toegang in noodsituatie"),
    fetch=review_items,
    for_team_lead=True,
    position=10,
)
