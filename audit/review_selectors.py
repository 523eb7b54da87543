"""What the log review page shows: per source its items in a period, each with its mark (if any)."""

from dataclasses import dataclass, field
from datetime import datetime

from .models import ReviewMark
from .review import ReviewItem, ReviewSource, sources

REVIEW_PERMISSION = "audit.review_log"
TEAM_REVIEW_PERMISSION = "audit.review_team_log"


def may_review(user) -> bool:
    return user.has_perm(REVIEW_PERMISSION) or user.has_perm(TEAM_REVIEW_PERMISSION)


def may_review_kind(user, source: ReviewSource) -> bool:
    """The privacy officer reviews every kind; a team lead the kinds a source offers team leads."""
    if user.has_perm(REVIEW_PERMISSION):
        return True
    return source.for_team_lead and user.has_perm(TEAM_REVIEW_PERMISSION)


@dataclass
class Row:
    item: ReviewItem
    mark: ReviewMark | None = None


@dataclass
class Section:
    source: ReviewSource
    rows: list[Row] = field(default_factory=list)
    total: int = 0  # the items in the period, reviewed ones included
    open: int = 0  # the items not yet reviewed


def review_sections(viewer, since: datetime, until: datetime, *, only_open: bool = True) -> list[Section]:
    """One section per kind the viewer reviews, its items in [since, until) newest first, with the
    marks of all sections loaded in one query; `only_open` leaves reviewed items out of the rows."""
    fetched = [
        (source, list(source.fetch(viewer, since, until))) for source in sources() if may_review_kind(viewer, source)
    ]
    wanted = {(source.kind, item.key) for source, items in fetched for item in items}
    marks = {}
    if wanted:
        kinds = {kind for kind, _key in wanted}
        keys = {key for _kind, key in wanted}
        for mark in ReviewMark.objects.filter(kind__in=kinds, key__in=keys).select_related("reviewed_by"):
            if (mark.kind, mark.key) in wanted:
                marks[mark.kind, mark.key] = mark
    sections = []
    for source, items in fetched:
        section = Section(source=source, total=len(items))
        for item in sorted(items, key=lambda item: item.at, reverse=True):
            mark = marks.get((source.kind, item.key))
            if mark is None:
                section.open += 1
            if mark is None or not only_open:
                section.rows.append(Row(item=item, mark=mark))
        sections.append(section)
    return sections
