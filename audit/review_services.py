"""The log review's one state change: an item marked as reviewed, with a note (audited)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import context
from .models import ReviewMark, ReviewSettings
from .review import get_source
from .review_selectors import may_review_kind
from .services import changed_fields, record_event

NOTE_MAX_LENGTH = 2000


def mark_reviewed(*, by, kind: str, key: str, note: str, ip_address: str | None = None) -> ReviewMark:
    """Mark the item (kind, key) reviewed by `by` with `note`. Refuses an unknown kind, a kind the
    user does not review, an empty note and an item marked before (ValidationError per field)."""
    source = get_source(kind)
    if source is None or not may_review_kind(by, source):
        raise ValidationError({"kind": _("Dit soort logitem kunt u niet beoordelen.")}, code="unknown_kind")
    key = (key or "").strip()
    if not key or len(key) > ReviewMark._meta.get_field("key").max_length:
        raise ValidationError({"key": _("Dit logitem bestaat niet.")}, code="unknown_item")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Schrijf op wat u heeft bekeken en wat u concludeert.")}, code="required")
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("De notitie is te lang (ten hoogste %(max)s tekens).") % {"max": NOTE_MAX_LENGTH}},
            code="max_length",
        )
    try:
        with transaction.atomic(), context.purpose_of_use(context.LOG_REVIEW):
            mark = ReviewMark.objects.create(kind=kind, key=key, reviewed_by=by, note=note)
            record_event(
                actor=by,
                action="create",
                obj=mark,
                summary=_("Logitem beoordeeld: %(label)s") % {"label": source.label},
                changes={"kind": kind, "key": key},
                ip_address=ip_address,
            )
    except IntegrityError:
        raise ValidationError({"key": _("Dit logitem is al beoordeeld.")}, code="already_reviewed") from None
    return mark


def update_review_settings(
    *,
    by,
    files_per_day: int,
    office_hours_start: int,
    office_hours_end: int,
    weekend_is_outside: bool,
    ip_address: str | None = None,
) -> ReviewSettings:
    """Change the thresholds (one row): validated, written and audited with what changed."""
    if not 0 <= office_hours_start < office_hours_end <= 24:
        raise ValidationError(
            {"office_hours_end": _("De kantoortijd moet eindigen na het begin, uiterlijk om 24 uur.")},
            code="office_hours_order",
        )
    if files_per_day < 1:
        raise ValidationError({"files_per_day": _("Kies ten minste 1 dossier per dag.")}, code="min_value")
    with transaction.atomic():
        current = ReviewSettings.objects.select_for_update().filter(pk=1).first() or ReviewSettings(pk=1)
        fields = ["files_per_day", "office_hours_start", "office_hours_end", "weekend_is_outside"]
        before = {field: getattr(current, field) for field in fields}
        current.files_per_day = files_per_day
        current.office_hours_start = office_hours_start
        current.office_hours_end = office_hours_end
        current.weekend_is_outside = weekend_is_outside
        current.save()
        record_event(
            actor=by,
            action="update",
            obj=current,
            summary=_("Instellingen van de logbeoordeling gewijzigd"),
            changes=changed_fields(before, {field: getattr(current, field) for field in fields}),
            ip_address=ip_address,
        )
    return current
