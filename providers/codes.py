"""iWmo code lists (release 3.2) that providers know: kept as the standard defines them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RedenBeeindiging(models.TextChoices):
    """WMO588: reason a provider gives when care stops (stop ondersteuning)."""

    OVERLIJDEN = "02", _("overlijden")
    VOLGENS_PLAN = "19", _("levering volgens plan beëindigd")
    TIJDELIJK = "20", _("levering tijdelijk beëindigd")
    DOOR_CLIENT = "21", _("eenzijdig door cliënt beëindigd")
    DOOR_AANBIEDER = "22", _("eenzijdig door aanbieder beëindigd")
    VOORTIJDIG = "23", _("in overeenstemming voortijdig beëindigd")
    VERHUIZING = "31", _("verhuizing naar een andere gemeente")
    DOOR_GEMEENTE = "36", _("geïnitieerd door de gemeente")
    WIJZIGINGSVERZOEK = "37", _("in verband met wijzigingsverzoek")
    ANDERE_AANBIEDER = "38", _("overstap naar andere aanbieder")
    ANDER_DOMEIN = "39", _("uitstroom naar ander domein (Wlz, Zvw)")


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


# Result-financed IB is output: one unit (WJ756 82 "stuks (output)") per period of 4 weeks.
UNIT_OUTPUT = "82"
