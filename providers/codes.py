"""iWmo code lists (release 3.2) that providers know: kept as the standard defines them.

RedenWijziging (WMO002) is used by the case file as well, so it lives in the lower layer
(indications.codes) and is re-exported here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from indications.codes import RedenWijziging

__all__ = [
    "UNIT_OUTPUT",
    "RedenAfwijzingVerzoek",
    "RedenBeeindiging",
    "RedenVerzoek",
    "RedenWijziging",
    "VerzoekAntwoord",
]


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


# Result-financed IB is output: one unit (WJ756 82 "stuks (output)") per period of 4 weeks.
UNIT_OUTPUT = "82"


class RedenVerzoek(models.TextChoices):
    """WJ758: why a provider asks for a change (verzoek om wijziging, WMO317)."""

    CLIENTSITUATIE = "1", _("verandering cliëntsituatie")
    ZORGPLAN = "2", _("wijziging zorgplan")


class RedenAfwijzingVerzoek(models.TextChoices):
    """WJ759: why the municipality rejects a verzoek om toewijzing (WMO315) or om wijziging (WMO317);
    sent in the WMO319 antwoordbericht with VerzoekAntwoord 1 (verzoek afgewezen)."""

    NIEUWE_AANVRAAG = "1", _("geen wijziging, maar nieuwe aanvraag")
    BUDGET = "2", _("past niet binnen budget")
    GEEN_CONTRACT = "3", _("geen contract")
    NIET_BINNEN_CONTRACT = "4", _("past niet binnen contract")
    ANDERE_GEMEENTE = "5", _("andere gemeente")
    STAPELING = "6", _("stapeling")
    ZORGINHOUDELIJK = "7", _("zorginhoudelijke afkeur")
    WOONPLAATSBEGINSEL = "8", _("woonplaatsbeginsel")
    LEEFTIJDSGRENS = "9", _("leeftijdsgrens is bereikt")


class VerzoekAntwoord(models.TextChoices):
    """WJ760: the answer a WMO319 carries. A granted verzoek has no 319: its answer is the new
    toewijzing (WMO301)."""

    AFGEWEZEN = "1", _("verzoek afgewezen")
    IN_ONDERZOEK = "2", _("aanvraag in onderzoek")
