"""The roles of the system as Django groups with permissions (assignable in the admin).

Every page and action checks a permission, never a group name; this table is the one place that
says which role holds which permission.
"""

import logging

from django.contrib.auth.models import Group, Permission
from django.utils import translation
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

CONSULENT = "consulent"
TEAMLEIDER = "teamleider"
CONTRACTMANAGER = "contractmanager"
FUNCTIONEEL_BEHEERDER = "functioneel beheerder"
PRIVACY_FUNCTIONARIS = "privacy-functionaris"

CASE_WORK = [
    "indications.view_client",
    "indications.add_client",
    "indications.change_client",
    "indications.add_melding",
    "indications.change_intake",
    "indications.add_aanvraag",
    "indications.add_indication",
    "indications.change_indication",
    "indications.issue_beschikking",
    "indications.add_evaluation",
    "providers.view_provider",
    "providers.view_assignment",
    "providers.change_changerequest",
    "providers.change_assignmentrequest",
    "providers.view_supportplan",
    "providers.change_supportplan",
    "signals.view_signal",
    "signals.change_signal",
    # Mark a retour that rejected our WMO301/WMO319 handled, from the worklist (iwmo.retour_handling).
    "iwmo.handle_retour_outgoingmessage",
    # The client's letters: read (download, audited) and send the verslag van het onderzoek.
    "letters.view_letter",
    "letters.add_letter",
    # Bezwaar (Awb): consultants register one and keep its procedure (hoorzitting, verdaging, ingebrekestelling).
    "objections.view_bezwaar",
    "objections.add_bezwaar",
    "objections.change_bezwaar",
    # Calamiteiten (art. 3.4 Wmo): a consultant sees those of their own clients (incidents.selectors),
    # registers one a provider reports by phone and records the report to the GGD.
    "incidents.view_incident",
    "incidents.add_incident",
    "incidents.change_incident",
]
REFERENCE_DATA_MODELS = [
    "indications.municipality",
    "indications.zrmdomain",
    "indications.resultdomain",
    "indications.ibresult",
    "indications.ibsubresult",
    "indications.product",
    "indications.tariff",
    "indications.pgbtariff",
    "indications.complexityrule",
    "indications.qualityquestion",
    "indications.eigenbijdragerule",
    "indications.eigenbijdrageexemption",
    "providers.provider",
    "providers.referencegroup",
    "providers.contract",
    "providers.apitoken",
    "providers.satisfactiontarget",
    "accounts.team",
    "monitor.population",
    "monitor.durationambition",
    "iwmo.productomvang",
    # The letters: the municipality's letterhead and the letter templates (an edit is a new version).
    "letters.municipalityletterhead",
    "letters.lettertemplate",
]


def _model_permissions(label: str, actions=("view", "add", "change")) -> list[str]:
    app_label, model = label.split(".")
    return [f"{app_label}.{action}_{model}" for action in actions]


ROLE_PERMISSIONS: dict[str, list[str]] = {
    CONSULENT: CASE_WORK,
    TEAMLEIDER: [
        *CASE_WORK,
        "indications.review_indication",
        "indications.view_review_figures",
        # The beslissing op bezwaar (gegrond, ongegrond, niet-ontvankelijk, ingetrokken): no "jurist" role here.
        "objections.decide_bezwaar",
        # Resend a failed (mislukt) iWmo message from the day page (iwmo.resend).
        "iwmo.resend_outgoingmessage",
        # Every calamiteit of the teams' clients, not only those of their own clients.
        "incidents.oversee_incident",
        # The log review of their teams: the break-the-glass accesses of their teams' users (audit.review).
        "audit.review_team_log",
    ],
    CONTRACTMANAGER: [
        "providers.view_provider",
        "providers.view_referencegroup",
        "indications.view_management_information",
        "signals.view_signal",
        "monitor.export_ceo_population",
        "providers.view_annualreview",
        "providers.add_annualreview",
        "providers.view_clientsatisfaction",
        "providers.add_clientsatisfaction",
        # The payment run of the declaraties (billing.payments): see, make, export and download.
        "billing.view_paymentbatch",
        "billing.manage_paymentbatch",
    ],
    FUNCTIONEEL_BEHEERDER: [
        *(perm for label in REFERENCE_DATA_MODELS for perm in _model_permissions(label)),
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
        "audit.view_auditevent",
        "audit.export_auditevent",  # the NEN 7513 export for the SIEM (audit.views)
        # The iWmo message traffic, read-only in the admin (what was sent and received, and its answer).
        "iwmo.view_outgoingmessage",
        "iwmo.view_incomingmessage",
        # The payment batches and their files, read-only (what was paid to whom).
        "billing.view_paymentbatch",
        # Put a message whose delivery failed (mislukt) back in the queue (iwmo.resend).
        "iwmo.resend_outgoingmessage",
        "indications.search_client_for_access_log",
        "indications.export_client_data",
        # The eigen bijdrage: the periods of care for the CAK (indications.eigen_bijdrage).
        "indications.export_cak",
        # The pgb list for the SVB (BSN and budget per budgetholder): personal data, like the AVG export.
        "indications.export_svb",
        # The review of the proposals to destroy (anonymise) closed client files (indications.retention).
        "indications.review_destruction",
        # Login protection (django-axes): see the attempts, and unlock an account by deleting them.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accessfailurelog",
        "axes.view_accesslog",
    ],
    # The privacy officer (functionaris gegevensbescherming's team): reviews the log (audit.review) and
    # reads what an item points to (a client's access log, the audit trail and its export); no case work.
    PRIVACY_FUNCTIONARIS: [
        "audit.review_log",
        "audit.view_auditevent",
        "audit.export_auditevent",
        "audit.view_reviewmark",
        "audit.view_reviewsettings",
        "audit.add_reviewsettings",
        "audit.change_reviewsettings",
        "indications.search_client_for_access_log",
        "indications.export_client_data",
        "axes.view_accessfailurelog",
    ],
}
# Django names its default permissions in English when they are created ("Can add cliënt"); the
# roles' screens show them in Dutch.
DEFAULT_PERMISSION_NAMES = {
    "add": _("Kan %(model)s toevoegen"),
    "change": _("Kan %(model)s wijzigen"),
    "delete": _("Kan %(model)s verwijderen"),
    "view": _("Kan %(model)s bekijken"),
}


def name_default_permissions_in_dutch() -> None:
    """Rename Django's default permissions ("Can add X") to Dutch ("Kan X toevoegen"), idempotent."""
    renamed = []
    with translation.override("nl"):
        for permission in Permission.objects.select_related("content_type"):
            action, _sep, model_name = permission.codename.partition("_")
            model = permission.content_type.model_class()
            if action not in DEFAULT_PERMISSION_NAMES or model is None or model._meta.model_name != model_name:
                continue
            name = str(DEFAULT_PERMISSION_NAMES[action] % {"model": model._meta.verbose_name})[:255]
            if permission.name != name:
                permission.name = name
                renamed.append(permission)
    Permission.objects.bulk_update(renamed, ["name"], batch_size=500)


def sync_roles() -> None:
    """Create the role groups and give each exactly its permissions (idempotent)."""
    name_default_permissions_in_dutch()
    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    available = {
        f"{p.content_type.app_label}.{p.codename}": p for p in Permission.objects.select_related("content_type")
    }
    missing = sorted(wanted - available.keys())
    if missing:
        logger.warning("Permissions not (yet) present, skipped: %s", ", ".join(missing))
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([available[perm] for perm in perms if perm in available])


def sync_roles_after_migrate(sender, using="default", **kwargs):
    sync_roles()
