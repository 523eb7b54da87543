"""The demo's letters: every decided beschikking of the generated history gets the letter of its
vaststelling (toekenning, wijziging or afwijzing), written as the letters app writes it, dated on
its decision date. Only the most recent RENDER_NOW letters are rendered as PDF during the load
(about 0.5 s each); the others are frozen as content and rendered on their first download, after
which they never change. Idempotent: a beschikking that has its letter gets none again."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef

from indications.models import DECIDED, Indication
from letters.decision_letters import issue_decision_letter
from letters.freezing import render_letter
from letters.models import Letter

# How many of the newest decisions get their letter in the demo (older decisions have none: the
# demo must stay quick), and how many of those are rendered as PDF right away.
LETTERS_FOR = 200
RENDER_NOW = 5


def ensure_demo_letters(*, limit: int = LETTERS_FOR, render_now: int | None = None) -> int:
    """Write the letter of the newest `limit` decided beschikkingen that have none; render the
    newest `render_now` of them (by default RENDER_NOW, read at the call). Returns the number of
    letters written."""
    render_now = RENDER_NOW if render_now is None else render_now
    has_letter = Letter.objects.filter(
        about_type=ContentType.objects.get_for_model(Indication), about_id=OuterRef("pk")
    )
    pending = list(
        Indication.objects.filter(DECIDED)
        .exclude(Exists(has_letter))
        .select_related("client__municipality", "product", "provider", "replaces", "consultant")
        .order_by("-decision_date", "-id")[:limit]
    )
    written = []
    with transaction.atomic():
        for indication in pending:
            written.append(issue_decision_letter(indication, by=indication.consultant, render=False))
    for letter in written[:render_now]:
        render_letter(letter)
    return len(written)
