"""Typed page-panel registry: how the case file's pages show what higher layers know.

The worklist, the client file and the beschikking page show provider data (toewijzingen, the
verzoeken om wijziging and the forms to answer them, the change of provider) and signal data (the
consultant's open signals) next to the case file. The case file cannot import providers or signals,
and moving these pages up a layer would take the case file's own pages out of its app. So each page
offers a named panel slot here; the higher app registers a panel for it at start-up (in its
AppConfig.ready()), and the page merges what the panels return into its template context. The
templates include the higher app's fragments (templates are not imports); each fragment renders
nothing when its panel is not there.

A panel is `panel(PanelRequest) -> Mapping[str, object]`: the context it adds. The actions those
panels offer post to the higher app's own views (e.g. providers.views.change_provider), which come
back to the page through `indications.views.render_indication_detail(..., failed=...)`.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import HttpRequest

from .hooks import Hook

# The pages that offer a panel slot, and what each page passes as the subject.
WORKLIST = "worklist"  # subject: the user whose worklist it is
CLIENT_FILE = "client_file"  # subject: the Client, its indications prefetched (selectors.client_file)
INDICATION_DETAIL = "indication_detail"  # subject: the Indication (selectors.indication_detail)


@dataclass(frozen=True)
class PanelRequest:
    """What a panel gets: the request, the page's subject, the day, and the page's bound forms that
    failed (by name, or by (name, row) for a form per row), which replace their blank twins."""

    request: HttpRequest
    subject: Any
    today: date
    failed: Mapping[Any, Any] = field(default_factory=dict)


Panel = Callable[[PanelRequest], Mapping[str, object]]

_slots: dict[str, Hook[Panel]] = {page: Hook(f"panel:{page}") for page in (WORKLIST, CLIENT_FILE, INDICATION_DETAIL)}


def register_panel(page: str, panel: Panel) -> Panel:
    """Register a panel for one of the pages above (an unknown page is a KeyError at start-up)."""
    return _slots[page].register(panel)


def panels_of(page: str) -> tuple[Panel, ...]:
    return _slots[page].callbacks


def panel_context(
    page: str, request: HttpRequest, subject: Any, *, today: date, failed: Mapping[Any, Any] | None = None
) -> dict[str, object]:
    """The context every panel registered for `page` adds, in the order they were registered."""
    panel_request = PanelRequest(request=request, subject=subject, today=today, failed=failed or {})
    context: dict[str, object] = {}
    for panel in panels_of(page):
        context.update(panel(panel_request))
    return context
