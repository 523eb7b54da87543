"""iWmo code lists (release 3.2) that the case file itself needs, kept as the standard defines them.

A code list lives in the lowest layer that uses it: the case file ends and withdraws beschikkingen
for a reden wijziging (WMO002), so that list is here; the provider domain uses it too and re-exports
it from providers.codes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RedenWijziging(models.TextChoices):
    """WMO002: reason an assignment (toewijzing) is changed or ended by the municipality."""

    OVERLEDEN = "02", _("cliënt overleden")
    CONTRACTWIJZIGING = "03", _("contractwijziging")
    VERLENGING = "04", _("herbeoordeling: verlenging")
    VERKORTING = "05", _("herbeoordeling: verkorting")
    ANDER_DOMEIN = "06", _("uitstroom naar ander domein")
    VERHUIZING = "07", _("verhuizing naar een andere gemeente")
    LEVERINGSVORM = "08", _("wijziging leveringsvorm")
    ANDERE_AANBIEDER = "09", _("overstap naar andere aanbieder")
    BEKOSTIGING = "10", _("nieuwe bekostigingssystematiek")
    HERINDELING = "11", _("gemeentelijke herindeling")
    DOOR_AANBIEDER = "12", _("geïnitieerd door de aanbieder")
    VERWIJDERD = "13", _("verwijderd")
    CORRECTIE = "14", _("administratieve correctie")
