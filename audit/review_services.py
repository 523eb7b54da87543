"""The log review's one state change: an item marked as reviewed, with a note (audited)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import context
from .models import ReviewMark
from .review import get_source
from .review_selectors import may_review_kind
from .services import record_event

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
