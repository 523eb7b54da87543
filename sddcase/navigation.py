"""The main menu as data: each item with the permission that shows it, and one rule for which
item is the current page (aria-current): the visible item whose address is the longest prefix of
the page's path. So exactly one item is current on every page (the SLA benchmark under
/aanbieders/sla/ is "SLA-cijfers", not also "Aanbieders"), and a page below an item (a provider's
dashboard, the CEO download of the monitor) marks that item."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.selectors import needs_second_factor


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    visible: Callable  # user -> bool


def _perm(*perms: str) -> Callable:
    return lambda user: any(user.has_perm(perm) for perm in perms)


MENU = [
    MenuItem(_("Werkvoorraad"), "indications:worklist", _perm("indications.view_client")),
    MenuItem(
        _("Cliënt zoeken"),
        "indications:client_search",
        _perm("indications.view_client", "indications.search_client_for_access_log"),
    ),
    MenuItem(_("Nieuwe cliënt"), "indications:client_create", _perm("indications.add_client")),
    MenuItem(_("Signalen"), "signals:list", _perm("signals.change_signal")),
    MenuItem(_("Calamiteiten"), "incidents:list", _perm("incidents.view_incident")),
    MenuItem(
        _("Zorgstapeling"),
        "signals:stacking_overview",
        _perm("indications.review_indication", "indications.view_management_information"),
    ),
    MenuItem(_("Bezwaren"), "objections:list", _perm("objections.view_bezwaar")),
    MenuItem(_("Beoordelingen"), "indications:review_queue", _perm("indications.review_indication")),
    MenuItem(_("Kwaliteitscontrole"), "indications:quality_checks", _perm("indications.review_indication")),
    MenuItem(_("Monitor"), "monitor:dashboard", _perm("indications.view_management_information")),
    MenuItem(_("Pgb-lijst SVB"), "indications:svb_export", _perm("indications.export_svb")),
    MenuItem(_("SLA-cijfers"), "providers:sla", _perm("indications.view_management_information")),
    MenuItem(_("Eigen bijdrage (CAK)"), "indications:cak_export", _perm("indications.export_cak")),
    MenuItem(
        _("iWmo-berichten"),
        "iwmo:day",
        _perm("indications.view_client", "indications.view_management_information"),
    ),
    MenuItem(_("Declaraties"), "billing:overview", _perm("indications.view_management_information")),
    MenuItem(_("Betaalrondes"), "billing:payment_batches", _perm("billing.view_paymentbatch")),
    MenuItem(_("Logbeoordeling"), "audit:log_review", _perm("audit.review_log", "audit.review_team_log")),
    MenuItem(_("Audittrail"), "audit:export", _perm("audit.export_auditevent")),
    MenuItem(_("Bewaartermijn dossiers"), "indications:destruction_proposals", _perm("indications.review_destruction")),
    MenuItem(_("Aanbieders"), "providers:overview", _perm("providers.view_provider")),
    MenuItem(_("Briefsjablonen"), "letters:templates", _perm("letters.change_lettertemplate")),
    MenuItem(_("Tweede factor"), "accounts:second_factor_overview", _perm("auth.change_user")),
    MenuItem(_("Beheer"), "admin:index", lambda user: user.is_staff),
]


def menu_for(user, path: str) -> list[dict]:
    """The items `user` may see, each with its url and whether it is the current one for `path`."""
    items = [{"label": item.label, "url": reverse(item.url_name)} for item in MENU if item.visible(user)]
    matching = [item for item in items if path.startswith(item["url"])]
    current = max(matching, key=lambda item: len(item["url"]), default=None)
    for item in items:
        item["current"] = item is current
    return items


def menu(request) -> dict:
    """Context processor: the main menu of the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or needs_second_factor(user):
        return {}  # no menu before the login's second factor: it would lead back to it
    return {"menu_items": menu_for(user, request.path)}
