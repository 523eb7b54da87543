"""The privacy officer's log review: what needs a look, gathered from the layers that know it.

The audit app owns the review (the page, the marks "reviewed, with a note"); the apps above it
know what counts as an item: indications the break-the-glass accesses, accounts the failed logins
and lockouts, providers the API keys used from a new address, audit itself the users who opened
more files than usual and access outside office hours. Each registers a source in its
AppConfig.ready() (never an import from audit upwards).

An item is identified by (kind, key), stable across requests, so that a mark sticks to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ReviewItem:
    kind: str  # the source's kind, e.g. "noodtoegang"
    key: str  # stable within the kind, e.g. the uuid of the access
    at: datetime  # when it happened (the list is newest first)
    user_label: str  # who did it: a user's name, "aanbieder <AGB>" for an API key
    summary: str  # Dutch, for the list; never a full BSN
    url: str = ""  # where the reviewer reads more (may be empty)


@dataclass(frozen=True)
class ReviewSource:
    kind: str
    label: str  # Dutch, the heading of the kind on the page
    # fetch(viewer, since, until) -> the items in [since, until) the viewer may review
    fetch: Callable[[object, datetime, datetime], Iterable[ReviewItem]]
    for_team_lead: bool = False  # team leads review this kind too (their teams' items, fetch decides)
    position: int = 100  # the order of the kinds on the page (lowest first)


_sources: dict[str, ReviewSource] = {}


def register_source(source: ReviewSource) -> ReviewSource:
    """Register a source of review items (a second registration of a kind replaces the first)."""
    _sources[source.kind] = source
    return source


def sources() -> list[ReviewSource]:
    """The registered sources by position, then in the order of registration."""
    return sorted(_sources.values(), key=lambda source: source.position)


def get_source(kind: str) -> ReviewSource | None:
    return _sources.get(kind)
