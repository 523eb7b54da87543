"""Demo data: a realistic, deterministic case load for the seven municipalities, at any size.

Rows are written with bulk_create per chunk of clients, one transaction per chunk: no services and
no per-row save(), so 300,000 clients fit in bounded memory. The generator only builds histories
the services would have accepted: ZRM scores that justify every result, IB2 bounded, no two live
beschikkingen of one client overlapping, statuses that agree with the dates, a team lead's approval
wherever an active complexity rule applies, evaluations whose outcomes match what follows. The
provider side mirrors providers/services.py: contracts, a toewijzing per vastgestelde beschikking
(ended, withdrawn or handed over as the services do it), start and stop reports (WMO305/307 with a
WMO588 reason), overstap and verzoeken om wijziging. Timestamps lie on the historic dates. Audit
events are not generated: nobody read or changed these files. Beschikking and toewijzing numbers
follow the services (IB-<year of decision>-<pk:07d>, <pk:010d>), so the numbers the services assign
later continue the same sequences.

Figures from DOMAIN.md and seed 000: clients per provider reference group 2016-2019, new clients
getting younger (average 57 → 43 years), about a fifth of the clients leaving each year, an average
cost per client per period near € 560-600, IB0 from August 2018 as a way down. IB2 stays below its
2019 share of spending (36%) because it is at most 26 weeks and never simply extended.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Case, CharField, Q, Value, When
from django.db.models.functions import Cast, Concat, ExtractYear, LPad
from django.utils import timezone

from accounts import roles
from accounts.models import Team
from providers.codes import UNIT_OUTPUT, RedenBeeindiging, RedenWijziging
from providers.models import Assignment, CareEvent, ChangeRequest, Contract, Provider, ReferenceGroup

from .models import (
    Aanvraag,
    Client,
    ComplexityRule,
    Conversation,
    Evaluation,
    IbResult,
    IbSubResult,
    Indication,
    IndicationResult,
    IndicationStatus,
    IndicationStatusChange,
    Intake,
    Melding,
    Municipality,
    OtherProvision,
    PlannedEvaluation,
    Product,
    ResultDomain,
    ResultProgress,
    Review,
    ReviewQuestion,
    Tariff,
    ZrmAssessment,
    ZrmDomain,
    ZrmScore,
)

S = IndicationStatus
Kind = Indication.Kind
Outcome = Evaluation.Outcome
Progress = ResultProgress.Progress
Rule = ComplexityRule.Kind

FIRST_DAY = date(2016, 1, 1)
CHUNK = 2000
BATCH = 2000
# One consultant per this many clients (over the years), so each worklist keeps a workable size.
CLIENTS_PER_CONSULTANT = 600

# --------------------------------------------------------------------------------------------
# Word lists and figures
# --------------------------------------------------------------------------------------------

# (username, password, first name, last name, role, staff, superuser)
DEMO_USERS = [
    ("consulent", "demo-consulent-2026", "Fatima", "El Amrani", roles.CONSULENT, False, False),
    ("consulent2", "demo-consulent-2026", "Joost", "van der Linden", roles.CONSULENT, False, False),
    ("teamleider", "demo-teamleider-2026", "Marieke", "Verbeek", roles.TEAMLEIDER, False, False),
    ("contractmanager", "demo-contract-2026", "Ruud", "Hoogendoorn", roles.CONTRACTMANAGER, False, False),
    ("beheerder", "demo-beheer-2026", "Anouk", "de Graaf", roles.FUNCTIONEEL_BEHEERDER, True, False),
]
TEAM_LEAD = "teamleider"
# (team, code for colleagues' usernames, municipalities, named demo consultant)
TEAMS = [
    ("Team Dordrecht", "ddt", ("Dordrecht",), "consulent"),
    ("Team Zwijndrechtse Waard", "zwd", ("Zwijndrecht", "Hendrik-Ido-Ambacht"), None),
    (
        "Team Alblasserwaard",
        "awd",
        ("Alblasserdam", "Hardinxveld-Giessendam", "Papendrecht", "Sliedrecht"),
        "consulent2",
    ),
]

# Inhabitants (CBS, rounded): the weight of each municipality in the case load.
POPULATION = {
    "Dordrecht": 121_000,
    "Zwijndrecht": 45_000,
    "Papendrecht": 32_500,
    "Hendrik-Ido-Ambacht": 31_500,
    "Sliedrecht": 25_500,
    "Alblasserdam": 20_500,
    "Hardinxveld-Giessendam": 18_500,
}
POSTCODES = {
    "Dordrecht": (3311, 3329),
    "Zwijndrecht": (3331, 3336),
    "Hendrik-Ido-Ambacht": (3341, 3344),
    "Papendrecht": (3351, 3356),
    "Sliedrecht": (3361, 3364),
    "Hardinxveld-Giessendam": (3371, 3373),
    "Alblasserdam": (2951, 2954),
}
STREETS = {
    "Dordrecht": [
        "Voorstraat", "Bankastraat", "Reeweg-Oost", "Krispijnseweg", "Vrieseweg", "Dubbeldamseweg",
        "Admiraal de Ruyterweg", "Brouwersdijk", "Sumatraplein", "Singel", "Nolensplein", "Laan der VN",
    ],
    "Zwijndrecht": [
        "Lindtsedijk", "Burgemeester Jansenlaan", "Koninginneweg", "Heer Janstraat", "Kerkweg", "Dorpsstraat",
    ],
    "Papendrecht": ["Markt", "Burgemeester Keijzerweg", "Westeind", "Oostpolderweg", "Veerdam", "Vijverhoek"],
    "Sliedrecht": ["Kerkbuurt", "Stationsweg", "Rivierdijk", "Thorbeckelaan", "Baanhoek", "Lijsterstraat"],
    "Hendrik-Ido-Ambacht": ["Weverskade", "Vrouwgelen", "Sophiastraat", "Antoniapolderweg", "Laan van Welhoek"],
    "Alblasserdam": ["Dam", "Hof van Alblas", "Kortland", "Ieplaan", "Makkerstraat", "Cortgene"],
    "Hardinxveld-Giessendam": ["Peulenstraat", "Nieuweweg", "Talmaweg", "Rivierdijk", "Buitendams"],
}
FIRST_NAMES = {
    "V": [
        "Anna", "Sanne", "Fatma", "Lotte", "Ingrid", "Yvonne", "Naima", "Ria", "Demi", "Esther", "Marloes",
        "Samira", "Wilma", "Kim", "Joyce", "Annemiek", "Priya", "Sevda", "Tineke", "Noor", "Emma", "Julia",
        "Bianca", "Gerda", "Hanneke", "Khadija", "Mirjam", "Saskia", "Chantal", "Iris",
    ],
    "M": [
        "Jan", "Pieter", "Mohamed", "Kees", "Dennis", "Ahmet", "Bas", "Ricardo", "Henk", "Tim", "Youssef",
        "Sander", "Gerrit", "Kevin", "Marco", "Arjen", "Rachid", "Wim", "Luuk", "Erik", "Daan", "Mustafa",
        "Ruben", "Cor", "Jeroen", "Bilal", "Niels", "Teun", "Frank", "Stefan",
    ],
    "X": ["Robin", "Sam", "Charlie", "Kai", "Noa"],
}
LAST_NAMES = [
    ("", "Jansen"), ("de", "Vries"), ("van", "Dijk"), ("", "Bakker"), ("", "Visser"), ("", "Smit"),
    ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"),
    ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"),
    ("", "Yilmaz"), ("", "El Idrissi"), ("", "Kaya"), ("van der", "Heijden"), ("van den", "Berg"),
    ("", "Verhoeven"), ("", "Koster"), ("", "Prins"), ("van", "Wijk"), ("", "Sardjoe"), ("", "Baldewsingh"),
    ("", "Öztürk"), ("", "Boukhari"), ("van der", "Graaf"), ("", "Kok"), ("", "Schouten"), ("", "Post"),
    ("", "Kloet"), ("van", "Rossum"), ("", "Stam"), ("den", "Hartog"), ("", "Pols"), ("van der", "Giessen"),
    ("", "Baars"), ("", "Verschoor"), ("", "Timmer"), ("", "Lagendijk"), ("van", "Wingerden"), ("", "Boele"),
]

# Clients per provider reference group in 2016, 2017, 2018, 2019 (seed 000); later years as 2019.
GROUP_CLIENTS = {
    1: (593, 677, 754, 765),
    2: (236, 338, 534, 700),
    3: (20, 42, 92, 132),
    4: (174, 249, 332, 402),
    5: (407, 459, 484, 491),
    6: (78, 92, 101, 109),
}
# About 50 providers (38 in 2015, 51 in 2019): (name, year of the first contract). Fictitious names.
PROVIDERS = {
    1: [
        ("Stichting De Merwelanden", 2016), ("Zuiderkruis Zorg", 2016), ("Gewoon Meedoen Drechtsteden", 2016),
        ("Stichting De Zeven Dorpen", 2016), ("Kompasgroep Begeleiding", 2016), ("Lindenhoven Zorg", 2016),
        ("Stichting De Waalkant", 2016), ("Oude Maas Zorggroep", 2016), ("Drechtborg", 2016),
        ("Samen Thuis Zuid-Holland", 2016), ("Rivierenland Begeleiding", 2018), ("De Wielborg", 2019),
    ],
    2: [
        ("GGZ Drechtoever", 2016), ("Merwestad GGZ", 2016), ("Balans Zuid Ambulant", 2016),
        ("Helder Hoofd Begeleiding", 2016), ("De Linde Psychiatrie Thuis", 2016), ("GGZ Riviergebied", 2016),
        ("Noorderlicht Ambulante Zorg", 2017), ("Parkzicht GGZ", 2017), ("Veerkracht Begeleiding", 2018),
        ("Brugzorg", 2018), ("Horizon GGZ Thuis", 2019),
    ],
    3: [
        ("Op Koers Begeleiding", 2016), ("Stap Verder", 2016), ("Eigen Regie Drechtsteden", 2017),
        ("Het Anker Psychosociaal", 2018), ("Stichting Overeind", 2019),
    ],
    4: [
        ("Prikkelarm Begeleiding", 2016), ("Structuur Plus", 2016), ("Het Puzzelstuk", 2016),
        ("Helder Zicht Autismezorg", 2016), ("Rustpunt", 2017), ("Autvrij Coaching", 2017),
        ("Samen Sterk in Autisme", 2018), ("Stapsteen", 2019),
    ],
    5: [
        ("Thuiszorg Drechtsteden", 2016), ("Waardstreek Thuis", 2016), ("Aan Huis Zorg", 2016),
        ("De Buurtkracht", 2016), ("Naast Je Begeleiding", 2016), ("Maatwerk Thuis", 2016),
        ("Het Wijkhuis", 2016), ("Zorgzaam Sliedrecht", 2016), ("De Schakel Maatschappelijke Dienstverlening", 2016),
        ("Merwezorg Thuis", 2017),
    ],
    6: [
        ("Zilverlinde Ouderenzorg", 2016), ("Het Parkhuis", 2016), ("De Lange Wei", 2016),
        ("Avondrood Thuis", 2016), ("Vitaal Ouder Worden", 2018),
    ],
}
# Which result areas each reference group mostly works on (weights by result-domain code).
GROUP_DOMAINS = {
    1: {"financien": 3, "huisvesting": 2, "huiselijke-relaties": 1, "geestelijke-gezondheid-verslaving": 1,
        "zelfzorg": 2, "sociaal-netwerk": 2, "dagbesteding-participatie": 3},
    2: {"financien": 2, "huisvesting": 2, "huiselijke-relaties": 1, "geestelijke-gezondheid-verslaving": 6,
        "zelfzorg": 1, "sociaal-netwerk": 2, "dagbesteding-participatie": 2},
    3: {"financien": 3, "huisvesting": 3, "huiselijke-relaties": 2, "geestelijke-gezondheid-verslaving": 3,
        "zelfzorg": 1, "sociaal-netwerk": 2, "dagbesteding-participatie": 2},
    4: {"financien": 2, "huisvesting": 1, "huiselijke-relaties": 2, "geestelijke-gezondheid-verslaving": 1,
        "zelfzorg": 1, "sociaal-netwerk": 3, "dagbesteding-participatie": 3},
    5: {"financien": 4, "huisvesting": 3, "huiselijke-relaties": 2, "geestelijke-gezondheid-verslaving": 1,
        "zelfzorg": 2, "sociaal-netwerk": 2, "dagbesteding-participatie": 1},
    6: {"financien": 2, "huisvesting": 1, "huiselijke-relaties": 1, "geestelijke-gezondheid-verslaving": 1,
        "zelfzorg": 4, "sociaal-netwerk": 4, "dagbesteding-participatie": 2},
}
# Chance that justitie is part of the results (only together with geestelijke gezondheid / verslaving).
GROUP_JUSTICE = {2: 0.12, 3: 0.10}
# The first product (weights); IB0 only where a tariff is in force, IB2 grew in 2016-2017.
FIRST_PRODUCTS = {"IB0": 4, "IB1": 36, "IB2": 48, "IB3": 12}
# What follows a beschikking that runs to its end date: (kind, product, weight). A kind whose product
# is not lighter (afschaling) or heavier (opschaling), or has no tariff then, is skipped.
FOLLOW_UPS = {
    "IB0": [("stop", None, 55), ("herindicatie", "IB0", 20), ("opschaling", "IB1", 15), ("opschaling", "IB2", 10)],
    "IB1": [("stop", None, 22), ("herindicatie", "IB1", 38), ("afschaling", "IB0", 18), ("opschaling", "IB2", 17),
            ("opschaling", "IB3", 5)],
    "IB2": [("stop", None, 16), ("afschaling", "IB1", 50), ("afschaling", "IB0", 12), ("opschaling", "IB3", 22)],
    "IB3": [("stop", None, 12), ("herindicatie", "IB3", 22), ("afschaling", "IB2", 46), ("afschaling", "IB1", 20)],
}
OPSLAG_MOTIVATION = "Ernstige gedragsproblematiek (PSY/NAH); intensievere begeleiding nodig."
EVALUATION_OUTCOME = {"herindicatie": Outcome.HERINDICATIE, "afschaling": Outcome.SCALE_DOWN,
                      "opschaling": Outcome.SCALE_UP}

QUESTIONS = {
    "financien": ["Post en rekeningen stapelen zich op; loopt achter met betalen.",
                  "Heeft schulden en geen overzicht meer over inkomsten en uitgaven."],
    "huisvesting": ["Dreigende huisuitzetting door huurachterstand en vervuiling van de woning.",
                    "Gaat na beschermd wonen zelfstandig wonen en wil hulp om de woning te houden."],
    "huiselijke-relaties": ["Spanningen in het gezin; hulp bij communicatie en rust in huis.",
                            "Na de scheiding lopen de ruzies met de ex-partner over de kinderen hoog op."],
    "geestelijke-gezondheid-verslaving": [
        "Na ontslag uit de kliniek hulp nodig bij het weer oppakken van het dagelijks leven.",
        "Terugval in alcoholgebruik; dreigt de grip op het eigen leven te verliezen.",
        "Somber en angstig, komt de deur nauwelijks uit; de huisarts verwijst door."],
    "zelfzorg": ["Lukt het niet meer om voor zichzelf te zorgen: eten, medicatie, persoonlijke verzorging.",
                 "Na een herseninfarct moeite met de dagelijkse routines thuis."],
    "sociaal-netwerk": ["Sociaal geïsoleerd, weinig contacten, somberheid.",
                        "Mantelzorger raakt overbelast; cliënt heeft begeleiding nodig in de thuissituatie."],
    "dagbesteding-participatie": ["Moeite met structuur in de dag en het nakomen van afspraken.",
                                  "Zit na het wegvallen van werk thuis zonder daginvulling; overlast in de buurt."],
    "justitie": ["Komt uit detentie en moet zich aan de voorwaarden van de reclassering houden."],
}
GOALS = {
    "financien": ["Heeft binnen zes maanden een geordende administratie en betaalt de vaste lasten zelf op tijd.",
                  "Opent wekelijks zelf de post en legt die samen met de begeleider af."],
    "huisvesting": ["Houdt de woning schoon en leefbaar; er is geen huurachterstand meer.",
                    "Heeft een eigen woning gevonden en woont daar na drie maanden zelfstandig."],
    "huiselijke-relaties": ["Praat thuis rustig over spanningen; escalaties nemen af.",
                            "Maakt met de ex-partner werkbare afspraken over de omgang met de kinderen."],
    "geestelijke-gezondheid-verslaving": ["Herkent signalen van terugval en neemt de medicatie trouw in.",
                                          "Houdt de afspraken met de behandelaar en blijft abstinent."],
    "zelfzorg": ["Zorgt dagelijks voor persoonlijke verzorging en gezonde maaltijden.",
                 "Beheert de eigen medicatie met een weekdoos en een vaste routine."],
    "sociaal-netwerk": ["Heeft wekelijks contact met ten minste twee mensen uit het netwerk.",
                        "De mantelzorger houdt één vrije dag per week; het netwerk vangt die op."],
    "dagbesteding-participatie": [
        "Heeft een vaste dagstructuur en neemt twee dagdelen per week deel aan activiteiten.",
        "Doet drie ochtenden per week vrijwilligerswerk en komt de afspraken na."],
    "justitie": ["Houdt zich aan de afspraken met de reclassering."],
}
REFERRALS = ["Sociaal wijkteam", "Maatschappelijk werk", "Schuldhulpmaatje", "Buurtkamer", "Vrijwilligerscentrale",
             "Inloop GGZ", "Maaltijdservice", "Klussendienst"]
NETWORK_NOTES = ["Klein netwerk: een zus op afstand.", "Buurvrouw helpt af en toe.", "Geen netwerk van betekenis.",
                 "Betrokken dochter, maar zij werkt fulltime.", "Partner is overbelast en vraagt om ontlasting."]
OWN_STRENGTH_NOTES = ["Cliënt is gemotiveerd maar krijgt het niet alleen georganiseerd.",
                      "Weet wat er moet gebeuren, maar het lukt niet om het vol te houden.",
                      "Heeft weinig zicht op de eigen situatie; de hulpvraag komt vooral van de omgeving."]
PROVISION_NOTES = {
    OtherProvision.Kind.HUISHOUDELIJKE_ONDERSTEUNING: "Huishoudelijke ondersteuning, 3 uur per week.",
    OtherProvision.Kind.DAGBESTEDING: "Dagbesteding, twee dagdelen per week.",
    OtherProvision.Kind.BIJSTAND: "Bijstandsuitkering via de SDD.",
    OtherProvision.Kind.ZVW_BEHANDELING: "In behandeling bij het FACT-team.",
    OtherProvision.Kind.WIJKVERPLEGING: "Wijkverpleging voor medicatie en verzorging.",
    OtherProvision.Kind.BESCHERMD_WONEN: "Beschermd wonen tot de uitstroom naar een eigen woning.",
    OtherProvision.Kind.WLZ: "Indicatie Wet langdurige zorg; zorg via het zorgkantoor.",
}
# Early ends: (reason, weight, whether the client leaves for good, WMO588 reden beëindiging).
EARLY_ENDS = [
    ("Eenzijdig door cliënt beëindigd (reden 21)", 24, False, RedenBeeindiging.DOOR_CLIENT),
    ("In overeenstemming voortijdig beëindigd (reden 23)", 34, False, RedenBeeindiging.VOORTIJDIG),
    ("Eenzijdig door aanbieder beëindigd (reden 22)", 5, False, RedenBeeindiging.DOOR_AANBIEDER),
    ("Verhuizing naar een andere gemeente (reden 31)", 12, True, RedenBeeindiging.VERHUIZING),
    ("Uitstroom naar ander domein: Wlz (reden 39)", 15, True, RedenBeeindiging.ANDER_DOMEIN),
    ("Overlijden (reden 02)", 10, True, RedenBeeindiging.OVERLIJDEN),
]
CHANGE_MOTIVATIONS = {
    "product": ["De situatie is verslechterd; met de huidige intensiteit halen we de doelen niet.",
                "Cliënt heeft meer aansturing nodig dan afgesproken; graag een zwaarder product."],
    "end_date": ["De doelen zijn nog niet behaald; cliënt heeft meer tijd nodig.",
                 "De afbouw loopt trager dan gepland; graag verlenging van de toewijzing."],
}
CHANGE_ANSWERS = {
    ChangeRequest.Status.GRANTED: ["Toegekend na overleg met cliënt en aanbieder."],
    ChangeRequest.Status.REFUSED: ["Afgewezen: de evaluatie laat voldoende voortgang zien.",
                                   "Afgewezen: eerst de afgesproken doelen concreet uitwerken."],
}
ASSIGNMENT_PLACEHOLDER = "demo-"
WITHDRAWALS = ["Bezwaar gegrond verklaard; de aanvraag wordt opnieuw beoordeeld.",
               "Cliënt ziet af van de ondersteuning.",
               "Ten onrechte vastgesteld (administratieve correctie)."]
REJECTIONS = ["Maak de doelen concreet en meetbaar; nu zijn ze te algemeen geformuleerd.",
              "Onderbouw waarom een lichter product niet volstaat.",
              "Kies voor een eerste indicatie een kortere looptijd met een vroege evaluatie.",
              "Licht de samenhang met de behandeling (Zvw) toe: wie doet wat?"]
REVIEW_QUESTIONS = [("Is er al afgestemd met de behandelaar over de taakverdeling?",
                     "Ja, telefonisch met de casemanager van het FACT-team; zij doet de medicatie."),
                    ("Waarom is een algemene voorziening voor het netwerk niet genoeg?",
                     "De buurtkamer is geprobeerd; cliënt haakte na twee weken af zonder begeleiding."),
                    ("Is de mantelzorger betrokken bij het plan?",
                     "Ja, de dochter was bij het tweede gesprek en stemt in met het plan.")]
EVALUATION_NOTES = {
    Outcome.CONTINUE: "Voortgang besproken met cliënt en aanbieder; de doelen blijven staan.",
    Outcome.SCALE_DOWN: "Doelen grotendeels behaald; lichtere begeleiding volstaat.",
    Outcome.SCALE_UP: "Situatie verslechterd; zwaardere begeleiding nodig.",
    Outcome.STOP: "Doelen behaald of niet meer haalbaar; de begeleiding stopt.",
    Outcome.HERINDICATIE: "Doelen nog niet behaald; een nieuwe beschikking volgt.",
}
NAZORG_NOTES = ["De verwijzing werkt; cliënt gaat er wekelijks heen.", "Cliënt is tevreden; geen verdere vragen.",
                "Loopt nog niet; opnieuw contact gelegd met de voorziening."]


@dataclass
class Plan:
    """What happens in one trajectory. Random by default; a scenario fixes it (forced) so that the
    consultant's worklist always holds an example of every kind of open work."""

    stage: str = "besloten"  # gemeld, onderzoek, verwezen, aanvraag, concept, ter_beoordeling, ...
    melding_ago: int | None = None
    conclusion: str | None = None
    product: str | None = None
    weeks: int | None = None
    start_in: int | None = None
    fate: str | None = None  # for a running beschikking: live, decided_follow, concept_follow
    overdue_evaluation: bool = False
    provider: str | None = None  # AGB-code: this provider gets the toewijzing
    care_started: bool = True  # False: the provider has not reported the start yet
    forced: bool = False


def _scenario(**kwargs) -> Plan:
    return Plan(forced=True, **kwargs)


# The named consultant's open work today, whatever the size of the data set.
SCENARIOS = [
    _scenario(stage="gemeld", melding_ago=3),
    _scenario(stage="onderzoek", melding_ago=37),  # deadline within a week
    _scenario(stage="onderzoek", melding_ago=49),  # over the 6-week deadline
    _scenario(stage="aanvraag", melding_ago=12),
    _scenario(stage="concept", melding_ago=30, product="IB1", weeks=26),  # aanvraag over its deadline
    _scenario(stage="ter_beoordeling", melding_ago=20, product="IB3", weeks=52),
    _scenario(stage="teruggestuurd", melding_ago=25, product="IB3", weeks=52),
    _scenario(stage="goedgekeurd", melding_ago=18, product="IB3", weeks=26),
    _scenario(stage="verwezen", melding_ago=47, conclusion=Intake.Conclusion.ALGEMENE_VOORZIENING),
    _scenario(melding_ago=16, product="IB2", weeks=20, start_in=14),  # vastgesteld, starts in 10 days
    _scenario(melding_ago=362, product="IB1", weeks=52, start_in=7, fate="live"),  # ends in ~3 weeks
    _scenario(melding_ago=352, product="IB1", weeks=52, start_in=7, fate="concept_follow"),
    _scenario(melding_ago=345, product="IB3", weeks=52, start_in=7, fate="decided_follow"),
    _scenario(melding_ago=119, product="IB1", weeks=52, start_in=7, fate="live", overdue_evaluation=True),
]
# The README's API example: a toewijzing of this provider whose start can be reported today.
API_EXAMPLE_PROVIDER = "98030001"
# Vastgesteld 12 days after the melding (the scenarios' fixed steps), so it starts today.
API_EXAMPLE = _scenario(melding_ago=16, product="IB1", weeks=26, start_in=4, provider=API_EXAMPLE_PROVIDER,
                        care_started=False)


# --------------------------------------------------------------------------------------------
# Users, teams, providers
# --------------------------------------------------------------------------------------------


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def ensure_demo_users() -> list[tuple[str, str]]:
    """The demo logins with their roles (idempotent; passwords are reset to the documented ones)."""
    if Group.objects.filter(name__in={user[4] for user in DEMO_USERS}).count() < len({user[4] for user in DEMO_USERS}):
        roles.sync_roles()
    user_model = get_user_model()
    logins = []
    for username, password, first_name, last_name, role, staff, superuser in DEMO_USERS:
        user, _created = user_model.objects.get_or_create(username=username)
        user.first_name, user.last_name = first_name, last_name
        user.email = f"{username}@sdd.example.nl"
        user.is_active, user.is_staff, user.is_superuser = True, staff, superuser
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=role))
        logins.append((username, password))
    return logins


def ensure_demo_teams(*, clients: int) -> dict[str, list]:
    """The three teams with their municipalities, the team lead in each, and enough consultants for
    the case load (the named demo consultants first; colleagues cannot log in)."""
    user_model = get_user_model()
    municipalities = {m.name: m for m in Municipality.objects.all()}
    total = sum(POPULATION.get(name, 20_000) for name in municipalities) or 1
    lead = user_model.objects.get(username=TEAM_LEAD)
    consultant_group = Group.objects.get(name=roles.CONSULENT)
    consultants_by_team = {}
    for name, code, municipality_names, named in TEAMS:
        team, _created = Team.objects.get_or_create(name=name)
        members = [municipalities[m] for m in municipality_names if m in municipalities]
        team.municipalities.add(*members)
        share = sum(POPULATION.get(m.name, 20_000) for m in members) / total
        wanted = max(1, round(share * clients / CLIENTS_PER_CONSULTANT))
        consultants = [user_model.objects.get(username=named)] if named else []
        for number in range(1, wanted - len(consultants) + 1):
            username = f"consulent-{code}-{number:02d}"
            user, created = user_model.objects.get_or_create(username=username)
            if created:
                names = random.Random(username)
                user.first_name = names.choice(FIRST_NAMES[names.choice("VM")])
                prefix, last_name = names.choice(LAST_NAMES)
                user.last_name = f"{prefix} {last_name}".strip()
                user.email = f"{username}@sdd.example.nl"
                user.set_unusable_password()
                user.save()
                user.groups.add(consultant_group)
            consultants.append(user)
        team.members.add(lead, *consultants)
        consultants_by_team[name] = consultants
    return consultants_by_team


def ensure_demo_providers() -> list[Provider]:
    """About 50 providers in the six reference groups, with their contracts (idempotent on the AGB-code)."""
    groups = {group.number: group for group in ReferenceGroup.objects.all()}
    providers = []
    for number, entries in PROVIDERS.items():
        if number not in groups:
            continue
        for rank, (name, since) in enumerate(entries, start=1):
            agb_code = f"98{number:02d}{rank:04d}"
            provider = Provider.objects.filter(agb_code=agb_code).first()
            if provider is None:
                provider = Provider.objects.create(
                    name=name,
                    agb_code=agb_code,
                    reference_group=groups[number],
                    contact_email=f"zorgbemiddeling@{_ascii(name)}.example.nl",
                    contact_phone=f"078-{6000000 + number * 100_000 + rank * 137:07d}",
                )
            provider.demo_since, provider.demo_weight = since, 1 / rank**0.7
            providers.append(provider)
    _ensure_demo_contracts(providers)
    return providers


def _ensure_demo_contracts(providers: list[Provider]) -> None:
    """Every demo provider has a contract for the products that have a tariff, from its first year:
    a new contract period starts when a product is added (IB0 in August 2018). Idempotent."""
    first_tariff = {}
    for tariff in Tariff.objects.all():
        first_tariff[tariff.product_id] = min(tariff.valid_from, first_tariff.get(tariff.product_id, tariff.valid_from))
    products = [p for p in Product.objects.all() if p.pk in first_tariff]
    for provider in providers:
        begin = date(max(provider.demo_since, FIRST_DAY.year), 1, 1)
        starts = sorted({begin} | {day for day in first_tariff.values() if day > begin})
        for number, valid_from in enumerate(starts):
            valid_to = starts[number + 1] - timedelta(days=1) if number + 1 < len(starts) else None
            contract, _created = Contract.objects.get_or_create(
                provider=provider, valid_from=valid_from, defaults={"valid_to": valid_to}
            )
            contract.products.add(*[p for p in products if first_tariff[p.pk] <= valid_from])
    contracts = {}
    for contract in Contract.objects.filter(provider__in=providers).prefetch_related("products"):
        contracts.setdefault(contract.provider_id, []).append(
            (contract.valid_from, contract.valid_to, {p.pk for p in contract.products.all()})
        )
    for provider in providers:
        provider.demo_contracts = contracts.get(provider.pk, [])


def valid_bsns(start: int = 0):
    """Deterministic valid BSNs: "2" + a seven-digit counter + the elfproef check digit."""
    counter = start
    while True:
        digits = f"2{counter:07d}"
        counter += 1
        check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check <= 9:
            yield digits + str(check)


# --------------------------------------------------------------------------------------------
# Reference data in memory
# --------------------------------------------------------------------------------------------


@dataclass
class _Reference:
    municipalities: list
    municipality_weights: list
    consultants: dict  # municipality pk → the consultants of its team
    team_lead: object
    zrm_domains: list
    result_domains: list
    domain_codes: dict  # result domain pk → code
    zrm_of_domain: dict  # result domain pk → [ZrmDomain]
    requires: dict  # result domain pk → {result domain pk}
    results: dict  # result domain pk → [IbResult]
    subs: dict  # IbResult pk → [IbSubResult]
    products: dict  # code → Product
    tariffs: dict  # product pk → [Tariff]
    rules: list
    providers: dict  # reference group number → [Provider]


def _load_reference(providers: list[Provider], consultants_by_team: dict) -> _Reference:
    municipalities = list(Municipality.objects.all())
    team_of = {}
    for team in Team.objects.filter(name__in=consultants_by_team).prefetch_related("municipalities"):
        for municipality in team.municipalities.all():
            team_of.setdefault(municipality.pk, team.name)
    fallback = consultants_by_team[TEAMS[0][0]]
    result_domains = list(ResultDomain.objects.prefetch_related("zrm_domains", "requires_any_of"))
    results, subs, tariffs, by_group = {}, {}, {}, {}
    for result in IbResult.objects.all():
        results.setdefault(result.domain_id, []).append(result)
    for sub in IbSubResult.objects.all():
        subs.setdefault(sub.result_id, []).append(sub)
    for tariff in Tariff.objects.all():
        tariffs.setdefault(tariff.product_id, []).append(tariff)
    for provider in providers:
        by_group.setdefault(provider.reference_group.number, []).append(provider)
    active_zrm = {zrm.pk for zrm in ZrmDomain.objects.filter(is_active=True)}
    usable = [d for d in result_domains if d.pk in results and any(z.pk in active_zrm for z in d.zrm_domains.all())]
    return _Reference(
        municipalities=municipalities,
        municipality_weights=[POPULATION.get(m.name, 20_000) for m in municipalities],
        consultants={m.pk: consultants_by_team.get(team_of.get(m.pk), fallback) for m in municipalities},
        team_lead=get_user_model().objects.get(username=TEAM_LEAD),
        zrm_domains=list(ZrmDomain.objects.filter(is_active=True)),
        result_domains=usable,
        domain_codes={d.pk: d.code for d in usable},
        zrm_of_domain={d.pk: [z for z in d.zrm_domains.all() if z.pk in active_zrm] for d in usable},
        requires={d.pk: {r.pk for r in d.requires_any_of.all()} for d in usable},
        results=results,
        subs=subs,
        products={p.code: p for p in Product.objects.all()},
        tariffs=tariffs,
        rules=list(ComplexityRule.objects.filter(is_active=True).select_related("product")),
        providers=by_group,
    )


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


@dataclass
class _ClientState:
    client: Client
    consultant: object
    born: date
    group: int = 1
    provider: Provider | None = None
    scores: dict = field(default_factory=dict)  # ZrmDomain pk → current score
    domains: list = field(default_factory=list)  # result domains of the running trajectory
    provisions: list = field(default_factory=list)  # (kind, start, end)
    gone: bool = False  # died or moved away: no further trajectories


class _Rows:
    """The rows of one chunk of clients, written table by table so foreign keys resolve."""

    def __init__(self):
        self.clients, self.meldingen, self.intakes, self.conversations = [], [], [], []
        self.provisions, self.aanvragen, self.levels = [], [], []
        self.results, self.result_subs, self.evaluations, self.assessments, self.scores = [], [], [], [], []
        self.progress, self.planned, self.status_changes, self.reviews, self.questions = [], [], [], [], []
        self.assignments, self.care_events, self.change_requests = [], [], []

    def level(self, number: int) -> list:
        while len(self.levels) <= number:
            self.levels.append([])
        return self.levels[number]


class _Clock:
    """Timestamps for one object's history: on the given day in office hours, never going back."""

    def __init__(self, rng: random.Random, tz):
        self.rng, self.tz, self.last = rng, tz, None

    def at(self, day: date, hour: int | None = None) -> datetime:
        hour = self.rng.randint(8, 16) if hour is None else hour
        moment = datetime.combine(day, time(hour, self.rng.randint(0, 59)), tzinfo=self.tz)
        if self.last is not None and moment <= self.last:
            moment = self.last + timedelta(minutes=self.rng.randint(1, 20))
        self.last = moment
        return moment


class _Generator:
    def __init__(self, *, rng: random.Random, today: date, reference: _Reference, trajectories: int | None = None):
        self.rng, self.today, self.ref = rng, today, reference
        self.trajectories = trajectories
        self.tz = timezone.get_current_timezone() if settings.USE_TZ else None
        self.nazorg_days = settings.SDD["NAZORG_AFTER_DAYS"]
        self.assignment_serial = 0
        self.zrm_names = {z.pk: z.name for z in reference.zrm_domains}
        # The worklist scenarios belong to the named consultant, in a municipality of the team.
        self.scenario_municipality = next(
            (m for m in reference.municipalities if reference.consultants[m.pk][0].username == DEMO_USERS[0][0]),
            reference.municipalities[0],
        )

    # -- small helpers ------------------------------------------------------------------------

    def _days(self, low: int, high: int, plan: Plan | None = None, fixed: int | None = None) -> timedelta:
        if plan is not None and plan.forced and fixed is not None:
            return timedelta(days=fixed)
        return timedelta(days=self.rng.randint(low, high))

    def _at(self, day: date, hour: int | None = None) -> datetime:
        return _Clock(self.rng, self.tz).at(day, hour)

    def _tariff(self, product: Product, day: date) -> Tariff | None:
        for tariff in self.ref.tariffs.get(product.pk, []):
            if tariff.valid_from <= day and (tariff.valid_to is None or tariff.valid_to >= day):
                return tariff
        return None

    def _weighted_sample(self, weights: dict, k: int) -> list:
        pool, chosen = dict(weights), []
        while pool and len(chosen) < k:
            item = self.rng.choices(list(pool), weights=list(pool.values()))[0]
            chosen.append(item)
            del pool[item]
        return chosen

    # -- the client ---------------------------------------------------------------------------

    def _first_melding_day(self) -> date:
        if self.rng.random() < 0.02:  # new clients: open work on the worklists today
            return self.today - timedelta(days=self.rng.randint(1, 60))
        # The case load grew over the years (1,572 clients in 2015 → 2,720 in 2019): later years weigh more.
        span = (self.today - FIRST_DAY).days - 30
        return FIRST_DAY + timedelta(days=int(span * self.rng.random() ** 0.8))

    def new_client(self, rows: _Rows, bsn: str, first_day: date, *, scenario: bool) -> _ClientState:
        rng, ref = self.rng, self.ref
        gender = rng.choices(["V", "M", "X"], weights=[52, 46, 2])[0]
        # New clients got younger: average age 57 in 2016, 43 from 2019 (seed 000).
        progress = min(max((first_day.year - 2016) / 3, 0), 1)
        age = int(rng.triangular(18, 92, 60 - 40 * progress))
        born = first_day - timedelta(days=age * 365 + rng.randint(0, 364))
        prefix, last_name = rng.choice(LAST_NAMES)
        household = rows.clients[-1] if rows.clients and not scenario and rng.random() < 0.06 else None
        if household is not None:  # a second client at the same address: a household
            municipality = household.municipality
            street, number, postcode = household.street, household.house_number, household.postcode
            if rng.random() < 0.7:
                prefix, last_name = household.name_prefix, household.last_name
        else:
            if scenario:
                municipality = self.scenario_municipality
            else:
                municipality = rng.choices(ref.municipalities, weights=ref.municipality_weights)[0]
            street = rng.choice(STREETS.get(municipality.name, ["Dorpsstraat", "Kerkstraat", "Molenweg"]))
            number = str(rng.randint(1, 250)) + rng.choice(["", "", "", "", "A", "B"])
            low, high = POSTCODES.get(municipality.name, (3300, 3399))
            letters = "".join(rng.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))
            # PostNL does not issue SA, SD and SS (validators.validate_postcode); same draws, other letters.
            letters = {"SA": "SB", "SD": "SE", "SS": "ST"}.get(letters, letters)
            postcode = f"{rng.randint(low, high)} {letters}"
        first_name = rng.choice(FIRST_NAMES[gender])
        second = rng.choice(FIRST_NAMES[gender]) if rng.random() < 0.4 else ""
        client = Client(
            bsn=bsn,
            initials=f"{first_name[0]}." + (f"{second[0]}." if second else ""),
            first_name=first_name,
            name_prefix=prefix,
            last_name=last_name,
            date_of_birth=born,
            gender=gender,
            municipality=municipality,
            street=street,
            house_number=number,
            postcode=postcode,
            city=municipality.name,
            phone=f"06-{rng.randint(10000000, 99999999)}",
            email=f"{_ascii(first_name)}.{_ascii(last_name)}{rng.randint(1, 99)}@example.nl"
            if rng.random() < 0.35
            else "",
            created_at=self._at(first_day),
        )
        rows.clients.append(client)
        consultants = ref.consultants[municipality.pk]
        consultant = consultants[0] if scenario else rng.choice(consultants)
        return _ClientState(client=client, consultant=consultant, born=born)

    def _age(self, state: _ClientState, day: date) -> int:
        return (day - state.born).days // 365

    def _choose_group(self, state: _ClientState, day: date) -> int:
        age = self._age(state, day)
        year = min(max(day.year, 2016), 2019) - 2016
        affinity = {
            1: 1.0,
            2: 1.2 if 23 <= age <= 65 else 0.6,
            3: 1.0,
            4: 2.5 if age < 30 else (1.0 if age < 50 else 0.2),
            5: 1.1 if age >= 60 else 0.9,
            6: 8.0 if age >= 75 else (3.0 if age >= 65 else 0.5 if age >= 55 else 0.03),
        }
        groups = [g for g in GROUP_CLIENTS if g in self.ref.providers]
        return self.rng.choices(groups, weights=[GROUP_CLIENTS[g][year] * affinity[g] for g in groups])[0]

    def _covered(self, provider: Provider | None, product: Product, day: date) -> bool:
        """ensure_contract_covers, in memory."""
        return provider is not None and any(
            valid_from <= day and (valid_to is None or valid_to >= day) and product.pk in products
            for valid_from, valid_to, products in provider.demo_contracts
        )

    def _choose_provider(self, group: int, day: date, product: Product) -> Provider | None:
        contracted = [p for p in self.ref.providers[group] if self._covered(p, product, day)]
        if not contracted:
            contracted = [p for ps in self.ref.providers.values() for p in ps if self._covered(p, product, day)]
        if not contracted:
            return None
        return self.rng.choices(contracted, weights=[p.demo_weight for p in contracted])[0]

    def _plan_provider(self, plan: Plan) -> Provider | None:
        if plan.provider is None:
            return None
        return next((p for ps in self.ref.providers.values() for p in ps if p.agb_code == plan.provider), None)

    def _heavier(self, product: Product, day: date) -> Product | None:
        heavier = sorted((p for p in self.ref.products.values() if p.level > product.level and self._tariff(p, day)),
                         key=lambda p: p.level)
        return heavier[0] if heavier else None

    # -- ZRM ----------------------------------------------------------------------------------

    def _choose_domains(self, group: int) -> list[ResultDomain]:
        ref = self.ref
        plain = [d for d in ref.result_domains if not ref.requires[d.pk]]
        weights = {d: GROUP_DOMAINS.get(group, {}).get(d.code, 1) for d in plain}
        chosen = self._weighted_sample(weights, self.rng.choices([1, 2, 3], weights=[30, 45, 25])[0])
        for domain in ref.result_domains:  # justitie: only together with a domain it requires
            required = [d for d in ref.result_domains if d.pk in ref.requires[domain.pk]]
            if required and self.rng.random() < GROUP_JUSTICE.get(group, 0.03):
                if not any(d in chosen for d in required):
                    chosen.append(self.rng.choice(required))
                chosen.append(domain)
        return sorted(chosen, key=lambda d: d.order)

    def _intake_scores(self, state: _ClientState) -> None:
        """Scores that justify IB on the trajectory's domains: 2 or 3 there (1 only where acute care
        is IB territory); elsewhere mostly self-reliant, sometimes a problem that IB does not take on."""
        rng = self.rng
        needy = set()
        for domain in state.domains:
            zrms = self.ref.zrm_of_domain[domain.pk]
            picked = [z for z in zrms if rng.random() < 0.6] or [rng.choice(zrms)]
            needy.update(z.pk for z in picked)
        scores = {}
        for zrm in self.ref.zrm_domains:
            if zrm.pk in needy:
                score = 1 if zrm.allows_acute_score and rng.random() < 0.05 else rng.choice([2, 2, 3, 3, 3])
            elif zrm.code == "justitie":
                score = 5 if rng.random() < 0.9 else 4
            else:
                roll = rng.random()
                score = 1 if roll < 0.01 else 3 if roll < 0.08 else rng.choice([4, 4, 4, 5])
            scores[zrm.pk] = score
        state.scores = scores

    def _evolve(self, state: _ClientState, mode: str) -> None:
        """The scores at an evaluation. Result domains stay at 2-3 while IB continues on them; an
        achieved domain goes to 4 (and then leaves the results of a follow-up)."""
        rng = self.rng
        achieved = set()
        if mode == "partly":
            plain = [d for d in state.domains if not self.ref.requires[d.pk]]
            achieved = {d.pk for d in plain[1:] if rng.random() < 0.4} if len(plain) > 1 else set()
            keep = [d for d in plain if d.pk not in achieved]
            if not keep and plain:
                achieved.discard(plain[0].pk)
        for domain in state.domains:
            for zrm in self.ref.zrm_of_domain[domain.pk]:
                score, low = state.scores[zrm.pk], 1 if zrm.allows_acute_score else 2
                if score >= 4:
                    continue  # not (or no longer) a problem area of this trajectory
                if mode == "achieved" or domain.pk in achieved:
                    score = 4 if rng.random() < 0.7 or domain.pk in achieved else min(3, score + 1)
                elif mode == "worse":
                    score = max(low, score - 1) if rng.random() < 0.6 else score
                else:
                    roll = rng.random()
                    if roll < 0.25 or score == 1 and roll < 0.6:
                        score += 1
                    elif roll > 0.92:
                        score -= 1
                    score = min(3, max(low, score))
                state.scores[zrm.pk] = score
        if achieved:
            state.domains = [d for d in state.domains if d.pk not in achieved]
        # A domain that is IB territory only together with another one leaves with it.
        state.domains = [
            d for d in state.domains
            if not self.ref.requires[d.pk] or self.ref.requires[d.pk] & {o.pk for o in state.domains}
        ]

    def _assess(self, rows: _Rows, state: _ClientState, day: date, by, *, intake=None, evaluation=None) -> None:
        assessment = ZrmAssessment(client=state.client, assessed_on=day, assessed_by=by, intake=intake,
                                   evaluation=evaluation)
        rows.assessments.append(assessment)
        rows.scores.append((assessment, dict(state.scores)))

    # -- provisions besides IB (for stacking) -------------------------------------------------

    def _provisions(self, rows: _Rows, state: _ClientState, day: date) -> None:
        """Provisions the client already has at the first onderzoek, recorded by the consultant then."""
        rng, age, group = self.rng, self._age(state, day), state.group
        kinds = OtherProvision.Kind
        chances = [
            (kinds.HUISHOUDELIJKE_ONDERSTEUNING, 0.3 if age >= 65 else 0.08),
            (kinds.DAGBESTEDING, 0.2 if group in (1, 4) else 0.06),
            (kinds.BIJSTAND, 0.3 if age < 67 else 0.0),
            (kinds.ZVW_BEHANDELING, 0.45 if group == 2 else 0.25 if group == 3 else 0.05),
            (kinds.WIJKVERPLEGING, 0.2 if age >= 70 else 0.02),
            (kinds.BESCHERMD_WONEN, 0.04 if group in (2, 3) else 0.0),
        ]
        for kind, chance in chances:
            if rng.random() >= chance:
                continue
            start = day - timedelta(days=rng.randint(30, 5 * 365))
            if kind == kinds.BESCHERMD_WONEN:  # IB follows the uitstroom from beschermd wonen
                end = day - timedelta(days=rng.randint(1, 60))
                start = min(start, end - timedelta(days=180))
            else:
                end = None if rng.random() < 0.7 else day + timedelta(days=rng.randint(30, 900))
            self._provision(rows, state, kind, start, end, recorded=day)

    def _provision(self, rows: _Rows, state: _ClientState, kind, start: date, end: date | None, *, recorded) -> None:
        state.provisions.append((kind, start, end))
        rows.provisions.append(
            OtherProvision(client=state.client, kind=kind, start_date=start, end_date=end,
                           notes=PROVISION_NOTES.get(kind, ""), recorded_by=state.consultant,
                           recorded_at=self._at(recorded))
        )

    # -- four eyes ----------------------------------------------------------------------------

    def _findings(self, state: _ClientState, ind: Indication, *, results: int, replaced: Indication | None) -> list:
        """The active complexity rules this indication meets, as four_eyes.complexity_findings finds them."""
        findings, zrm_names = [], self.zrm_names
        for rule in self.ref.rules:
            reason = ""
            if rule.kind == Rule.PRODUCT and ind.product.pk == rule.product_id:
                reason = f"Product {ind.product.name}."
            elif rule.kind == Rule.OPSLAG and ind.opslag:
                motivation = ind.opslag_motivation.strip().rstrip(".")
                reason = f"Opslag: {motivation}." if motivation else "Opslag, nog zonder motivering."
            elif rule.kind == Rule.ZRM_ACUTE:
                acute = [zrm_names[pk] for pk, score in state.scores.items() if score == 1]
                reason = f"ZRM-score 1 op {', '.join(acute)}." if acute else ""
            elif rule.kind == Rule.RESULT_COUNT and results > rule.threshold:
                reason = f"{results} resultaten (drempel {rule.threshold})."
            elif rule.kind == Rule.DURATION:
                if ind.end_date is None:
                    reason = "Onbepaalde looptijd."
                elif (weeks := (ind.end_date - ind.start_date).days / 7) > rule.threshold:
                    reason = f"Looptijd {weeks:.0f} weken (drempel {rule.threshold})."
            elif rule.kind == Rule.STACKING and rule.provision_kinds:
                names = sorted(
                    {str(OtherProvision.Kind(kind).label) for kind, start, end in state.provisions
                     if kind in rule.provision_kinds and (end is None or end >= ind.start_date)
                     and (ind.end_date is None or start <= ind.end_date)}
                )
                reason = f"Stapeling met {', '.join(names)}." if names else ""
            elif rule.kind == Rule.SCALING_UP and replaced is not None and ind.product.level > replaced.product.level:
                reason = f"Zwaarder product: van {replaced.product.name} naar {ind.product.name}."
            elif rule.kind == Rule.MANUAL and ind.four_eyes_requested:
                reason = "De consulent vraagt om vier ogen."
            if reason:
                findings.append({"code": rule.kind, "rule": rule.name, "reason": reason})
        return findings

    def _review(self, rows: _Rows, ind: Indication, findings: list, clock: _Clock, *, first: date, last: date,
                outcome: str) -> None:
        """Four eyes between first and last: submitted, sometimes a question or a round back to the
        consultant, then approved by the team lead (or still open, or sent back)."""
        rng, lead, author = self.rng, self.ref.team_lead, ind.consultant
        reasons = " ".join(f["reason"] for f in findings)  # sentences, as four_eyes.submit_for_review
        rounds = 2 if outcome == "approved" and rng.random() < 0.1 else 1
        span = max(0, (last - first).days)
        days = sorted(first + timedelta(days=rng.randint(0, span)) for _ in range(2 * rounds))
        ind.four_eyes_required = True
        for number in range(rounds):
            submitted = clock.at(days[2 * number])
            self._move(rows, ind, S.TER_BEOORDELING, submitted, author, reasons)
            review = Review(indication=ind, submitted_by=author, submitted_at=submitted, findings=findings)
            rows.reviews.append(review)
            final = number == rounds - 1
            if rng.random() < 0.15 or (final and outcome == "open" and rng.random() < 0.3):
                question, answer = rng.choice(REVIEW_QUESTIONS)
                asked = ReviewQuestion(review=review, question=question, asked_by=lead,
                                       asked_at=clock.at(days[2 * number]))
                if not (final and outcome == "open"):
                    asked.answer, asked.answered_by = answer, author
                    asked.answered_at = clock.at(days[2 * number + 1])
                rows.questions.append(asked)
            if final and outcome == "open":
                return
            decided = clock.at(days[2 * number + 1])
            review.reviewer, review.decided_at = lead, decided
            if not final or outcome == "rejected":
                review.outcome, review.motivation = Review.Outcome.REJECTED, rng.choice(REJECTIONS)
                self._move(rows, ind, S.CONCEPT, decided, lead, review.motivation)
            else:
                review.outcome, review.motivation = Review.Outcome.APPROVED, ""
                ind.approved_by, ind.approved_at = lead, decided
                self._move(rows, ind, S.GOEDGEKEURD, decided, lead, "Goedgekeurd (vier ogen)")

    # -- indications --------------------------------------------------------------------------

    def _move(self, rows: _Rows, ind: Indication, target: str, at: datetime, by, reason: str = "") -> None:
        rows.status_changes.append(
            IndicationStatusChange(indication=ind, from_status=ind.status, to_status=target, at=at, by=by,
                                   reason=reason)
        )
        ind.status, ind.status_reason, ind.updated_at = target, reason, at

    def _weeks(self, product: Product) -> int | None:
        rng = self.rng
        if product.max_duration_weeks:  # IB2: always finite and short
            return rng.choice([w for w in (8, 13, 17, 20, 26, 26, 26) if w <= product.max_duration_weeks] or [8])
        if product.level == 0:  # IB0: a limited finger on the pulse
            return rng.choice([13, 26, 26, 52])
        if not product.requires_end_date and rng.random() < 0.07:
            return None  # open-ended
        return rng.choice([26, 26, 39, 52, 52, 52, 78] if product.level < 3 else [26, 39, 39, 52, 52])

    def _first_product(self, state: _ClientState, day: date, plan: Plan) -> Product:
        products = self.ref.products
        if plan.product and plan.product in products:
            return products[plan.product]
        weights = {
            code: weight * (1.3 if code == "IB3" and state.group in (2, 3) else 1)
            * (1.3 if code == "IB1" and state.group == 6 else 1)
            for code, weight in FIRST_PRODUCTS.items()
            if code in products and self._tariff(products[code], day)
        }
        return products[self.rng.choices(list(weights), weights=list(weights.values()))[0]]

    def _indication(self, rows: _Rows, state: _ClientState, level: int, *, product: Product, kind: str,
                    replaced: Indication | None, aanvraag: Aanvraag | None, start: date, weeks: int | None,
                    provider: Provider) -> Indication:
        """A concept with its results; _decide or _leave_open moves it on."""
        rng = self.rng
        tariff = self._tariff(product, start)
        opslag = bool(product.allows_opslag and tariff and tariff.opslag_per_period is not None
                      and rng.random() < (0.1 if state.group in (1, 2) else 0.04))
        ind = Indication(
            client=state.client,
            aanvraag=aanvraag,
            kind=kind,
            replaces=replaced,
            product=product,
            opslag=opslag,
            opslag_motivation=OPSLAG_MOTIVATION if opslag else "",
            start_date=start,
            end_date=start + timedelta(days=weeks * 7 - 1) if weeks else None,
            provider=provider,
            status=S.CONCEPT,
            consultant=state.consultant,
            four_eyes_requested=rng.random() < 0.02,
        )
        rows.level(level).append(ind)
        ind.demo_results = []
        for domain in state.domains:
            result = rng.choice(self.ref.results[domain.pk])
            subs = self.ref.subs.get(result.pk, [])
            row = IndicationResult(indication=ind, result=result, goal=rng.choice(GOALS.get(domain.code, [
                "Werkt zelfstandig aan het doel."])))
            row.demo_domain = domain
            rows.results.append(row)
            rows.result_subs.append((row, rng.sample(subs, k=min(len(subs), rng.randint(1, 3)))))
            ind.demo_results.append(row)
        return ind

    def _schedule(self, ind: Indication) -> list[date]:
        """Planned evaluations: 13 weeks after the start (halfway for short ones), then every half year,
        the last one four weeks before the end date."""
        start, end = ind.start_date, ind.end_date
        last = end or max(self.today, start) + timedelta(days=400)
        day = start + timedelta(weeks=13)
        if end is not None and day > end - timedelta(days=14):
            day = start + (end - start) // 2
        dates = []
        while day <= last:
            dates.append(day)
            following = day + timedelta(weeks=26)
            if end is not None and following > end - timedelta(days=14):
                following = end - timedelta(days=28)
                if following <= day + timedelta(days=28):
                    break
            day = following
        return dates

    def _decide(self, rows: _Rows, state: _ClientState, ind: Indication, *, created: date, decision: date,
                change_reason: str = "") -> None:
        """Concept → (four eyes) → vastgesteld (→ actief when it starts on the day of the decision)."""
        clock = _Clock(self.rng, self.tz)
        created = min(created, decision)
        ind.created_at = clock.at(created)
        findings = self._findings(state, ind, results=len(ind.demo_results), replaced=ind.replaces)
        if findings:
            self._review(rows, ind, findings, clock, first=created, last=decision, outcome="approved")
        ind.decision_date = decision
        decided = clock.at(decision)
        self._move(rows, ind, S.VASTGESTELD, decided, ind.consultant)
        ind.demo_clock = clock
        self._assign(rows, ind, decision, change_reason)
        if ind.start_date <= decision:
            self._move(rows, ind, S.ACTIEF, decided, ind.consultant, "Ingangsdatum bereikt")

    def _leave_open(self, rows: _Rows, state: _ClientState, ind: Indication, *, created: date, stage: str,
                    forced: bool = False) -> None:
        """An undecided indication on today's worklists: concept, ter beoordeling, sent back or approved."""
        clock = _Clock(self.rng, self.tz)
        ind.created_at = ind.updated_at = clock.at(created)
        findings = self._findings(state, ind, results=len(ind.demo_results), replaced=ind.replaces)
        if stage in ("ter_beoordeling", "teruggestuurd", "goedgekeurd") and not findings:
            if not forced:
                stage = "concept"
            else:
                ind.four_eyes_requested = True  # the consultant asks a team lead to look along
                findings = self._findings(state, ind, results=len(ind.demo_results), replaced=ind.replaces)
        if findings and stage in ("ter_beoordeling", "teruggestuurd", "goedgekeurd"):
            outcome = {"ter_beoordeling": "open", "teruggestuurd": "rejected", "goedgekeurd": "approved"}[stage]
            self._review(rows, ind, findings, clock, first=created, last=self.today, outcome=outcome)
        schedule = self._schedule(ind)
        if schedule:
            rows.planned.append(PlannedEvaluation(indication=ind, planned_on=schedule[0]))

    def _end(self, rows: _Rows, ind: Indication, day: date, *, by, reason: str, recorded: date | None = None,
             code: str = RedenBeeindiging.VOLGENS_PLAN) -> None:
        """Beëindigd: by the nightly job the day after the end date (recorded None), or by the consultant
        on the day recorded; the assignments end with it and the provider reports the stop."""
        self._close_assignments(rows, ind, on=day, code=code, ended_on_day=recorded or day + timedelta(days=1))
        ind.ended_on = day
        if day > ind.start_date and (ind.end_date is None or ind.end_date > day):
            ind.end_date = day
        clock = ind.demo_clock
        at = clock.at(recorded) if recorded else clock.at(day + timedelta(days=1), hour=1)
        self._move(rows, ind, S.BEEINDIGD, at, by, reason)

    def _activate(self, rows: _Rows, ind: Indication) -> None:
        if ind.status == S.VASTGESTELD and ind.start_date <= self.today:
            self._move(rows, ind, S.ACTIEF, ind.demo_clock.at(ind.start_date, hour=1), None, "Ingangsdatum bereikt")

    def _follow_kind(self, product: Product, day: date) -> tuple[str, Product | None]:
        options = []
        for kind, code, weight in FOLLOW_UPS.get(product.code, [("stop", None, 1)]):
            target = self.ref.products.get(code) if code else None
            if code and (target is None or not self._tariff(target, day)):
                continue
            if kind == "afschaling" and target.level >= product.level:
                continue
            if kind == "opschaling" and target.level <= product.level:
                continue
            if kind == "herindicatie" and product.max_duration_weeks:  # IB2 is never simply extended
                continue
            options.append((kind, target, weight))
        kind, target, _weight = self.rng.choices(options, weights=[o[2] for o in options])[0]
        return kind, target

    def _switch_product(self, product: Product, day: date) -> tuple[str, Product] | None:
        """Op- or afschaling in the middle of a beschikking, after an evaluation."""
        levels = sorted((p for p in self.ref.products.values() if self._tariff(p, day)), key=lambda p: p.level)
        heavier = [p for p in levels if p.level > product.level]
        lighter = [p for p in levels if p.level < product.level]
        if heavier and (not lighter or self.rng.random() < 0.6):
            return Kind.OPSCHALING, heavier[0]
        if lighter:
            return Kind.AFSCHALING, lighter[-1]
        return None

    def _evaluate(self, rows: _Rows, state: _ClientState, ind: Indication, held_on: date, outcome: str,
                  next_on: date | None, mode: str) -> Evaluation:
        rng = self.rng
        self._evolve(state, mode)
        evaluation = Evaluation(indication=ind, held_on=held_on, consultant=ind.consultant, outcome=outcome,
                                next_evaluation_on=next_on, notes=EVALUATION_NOTES[outcome],
                                created_at=self._at(held_on))
        rows.evaluations.append(evaluation)
        remaining = {d.pk for d in state.domains}
        for row in ind.demo_results:
            if row.demo_domain.pk not in remaining or outcome == Outcome.STOP and mode == "achieved":
                progress = Progress.ACHIEVED
            elif outcome == Outcome.SCALE_UP:
                progress = rng.choice([Progress.NOT_ACHIEVED, Progress.NOT_ACHIEVED, Progress.PARTLY])
            else:
                progress = rng.choices([Progress.ACHIEVED, Progress.PARTLY, Progress.NOT_ACHIEVED],
                                       weights=[20, 60, 20])[0]
            rows.progress.append(ResultProgress(evaluation=evaluation, indication_result=row, progress=progress))
        self._assess(rows, state, held_on, ind.consultant, evaluation=evaluation)
        return evaluation

    # -- toewijzingen and the provider's reports (mirrors providers/services.py) ---------------

    def _assign(self, rows: _Rows, ind: Indication, day: date, reason: str = "") -> None:
        """At vaststelling: end the assignments of the replaced beschikking, assign this one."""
        if ind.replaces is not None:
            self._end_assignments(ind.replaces, end_date=ind.start_date - timedelta(days=1),
                                  reason=reason or RedenWijziging.VERLENGING, day=day)
        ind.demo_assignments = []
        if ind.provider is not None:
            self._new_assignment(rows, ind, ind.provider, start=ind.start_date, day=day)

    def _new_assignment(self, rows: _Rows, ind: Indication, provider: Provider, *, start: date, day: date):
        self.assignment_serial += 1
        assignment = Assignment(
            indication=ind, provider=provider, product=ind.product, assigned_on=day, start_date=start,
            end_date=ind.end_date, number=f"{ASSIGNMENT_PLACEHOLDER}{self.assignment_serial}",
            unit=UNIT_OUTPUT, created_at=ind.demo_clock.at(day),
        )
        rows.assignments.append(assignment)
        ind.demo_assignments.append(assignment)
        return assignment

    def _end_assignments(self, ind: Indication, *, end_date: date, reason: str, day: date) -> None:
        """end_assignments_of: the active assignments end with the beschikking (or are withdrawn)."""
        for assignment in getattr(ind, "demo_assignments", []):
            if assignment.status != Assignment.Status.ACTIVE:
                continue
            if end_date < assignment.start_date:
                assignment.status, assignment.end_date = Assignment.Status.WITHDRAWN, assignment.start_date
            else:
                assignment.end_date = end_date if assignment.end_date is None else min(end_date, assignment.end_date)
                if assignment.end_date < day:
                    assignment.status = Assignment.Status.ENDED
            assignment.change_reason = reason

    def _message(self, rows: _Rows, assignment: Assignment, kind: str, received: date, *, event_date=None,
                 reason: str = "", status: int = 200) -> CareEvent:
        """A provider's message as the API keeps it (the stored answer is a summary of the toewijzing)."""
        event = CareEvent(
            provider=assignment.provider, assignment=assignment, message_id=f"{self.rng.getrandbits(64):016x}",
            kind=kind, event_date=event_date, reason=reason, accepted=True, response_status=status,
            received_at=self._at(received),
        )
        started, stopped = assignment.care_started_on, assignment.care_stopped_on
        event.demo_body = {"status": str(assignment.status), "zorgGestartOp": started and started.isoformat(),
                           "zorgGestoptOp": stopped and stopped.isoformat(), "redenBeeindiging": assignment.stop_reason}
        rows.care_events.append(event)
        return event

    def _care_start(self, rows: _Rows, assignment: Assignment) -> None:
        """Start zorg (WMO305), usually within days; some reports come late or not (yet)."""
        rng, today = self.rng, self.today
        started = assignment.start_date + timedelta(days=rng.randint(0, 10) if rng.random() < 0.95 else
                                                    rng.randint(11, 30))
        if assignment.end_date is not None:
            started = min(started, assignment.end_date)
        received = max(assignment.assigned_on,
                       started + timedelta(days=rng.randint(0, 5) if rng.random() < 0.9 else rng.randint(8, 25)))
        if received > today or rng.random() < 0.02:
            return
        assignment.care_started_on = started
        self._message(rows, assignment, CareEvent.Kind.START, received, event_date=started)

    def _care_stop(self, rows: _Rows, assignment: Assignment, on: date, code: str, received: date) -> None:
        """Stop zorg (WMO307) with its reden beëindiging (WMO588)."""
        if (assignment.care_started_on is None or on < assignment.care_started_on or received > self.today
                or assignment.care_stopped_on is not None or assignment.status == Assignment.Status.WITHDRAWN):
            return
        assignment.care_stopped_on, assignment.stop_reason = on, code
        assignment.status = Assignment.Status.ENDED
        self._message(rows, assignment, CareEvent.Kind.STOP, received, event_date=on, reason=code)

    def _close_assignments(self, rows: _Rows, ind: Indication, *, on: date, code: str, ended_on_day: date) -> None:
        """Care ends on `on`: the provider reports the stop (mostly), the beschikking ends on ended_on_day.
        Whichever comes first decides what the assignment looks like, as in the services."""
        rng = self.rng
        current = next((a for a in reversed(getattr(ind, "demo_assignments", []))
                        if a.status == Assignment.Status.ACTIVE), None)
        report = on + timedelta(days=rng.randint(0, 10)) if current is not None and rng.random() < 0.9 else None
        if report is not None and report < ended_on_day:
            self._care_stop(rows, current, on, code, report)
        self._end_assignments(ind, end_date=on, reason=RedenWijziging.VERKORTING, day=ended_on_day)
        if report is not None and report >= ended_on_day:
            self._care_stop(rows, current, on, code, report)

    def _change_provider(self, rows: _Rows, state: _ClientState, ind: Indication, on: date) -> None:
        """Overstap naar een andere aanbieder (change_provider), recorded just after `on`; the old
        provider reports the stop (38) afterwards."""
        rng, today = self.rng, self.today
        others = [p for p in self.ref.providers[state.group]
                  if p != ind.provider and self._covered(p, ind.product, on)]
        old = next((a for a in ind.demo_assignments if a.status == Assignment.Status.ACTIVE), None)
        if not others or old is None:
            return
        recorded = min(today, on + timedelta(days=rng.randint(0, 2)))
        self._end_assignments(ind, end_date=on - timedelta(days=1), reason=RedenWijziging.ANDERE_AANBIEDER,
                              day=recorded)
        self._care_stop(rows, old, on - timedelta(days=1), RedenBeeindiging.ANDERE_AANBIEDER,
                        min(today, recorded + timedelta(days=rng.randint(0, 7))))
        ind.provider = state.provider = rng.choice(others)
        self._care_start(rows, self._new_assignment(rows, ind, ind.provider, start=on, day=recorded))

    def _change_request(self, rows: _Rows, ind: Indication, *, created: date, product: Product | None = None,
                        end_date: date | None = None, answer: str = "", answered: date | None = None,
                        follow_up: Indication | None = None) -> ChangeRequest | None:
        """A verzoek om wijziging (WMO317) on the active assignment; open, granted or refused."""
        assignment = next((a for a in getattr(ind, "demo_assignments", [])
                           if a.status == Assignment.Status.ACTIVE and a.start_date <= created), None)
        if assignment is None or (product is None and end_date is None):
            return None
        statuses = ChangeRequest.Status
        request = ChangeRequest(
            assignment=assignment, requested_product=product, requested_end_date=end_date,
            motivation=self.rng.choice(CHANGE_MOTIVATIONS["product" if product else "end_date"]),
            status=statuses.OPEN if not answer else statuses.GRANTED if follow_up or answer == "granted"
            else statuses.REFUSED,
            created_at=self._at(created),
        )
        if answer:
            request.answered_by, request.answered_at = ind.consultant, self._at(answered)
            request.answer_reason = self.rng.choice(CHANGE_ANSWERS[request.status])
            request.follow_up = follow_up
        rows.change_requests.append(request)
        self._message(rows, assignment, CareEvent.Kind.CHANGE_REQUEST, created, status=201)
        return request

    def _chain(self, rows: _Rows, state: _ClientState, plan: Plan, *, aanvraag: Aanvraag, created: date,
               decision: date) -> date | None:
        """The first beschikking and what follows it: evaluations, then herindicatie, op- or afschaling,
        an early end, or still running today. Returns the day support ended (None: it runs on)."""
        rng, today = self.rng, self.today
        product = self._first_product(state, decision, plan)
        start = decision + self._days(0, 14, plan, plan.start_in)
        if not self._tariff(product, start):
            product = self.ref.products.get("IB1", product)
        weeks = plan.weeks if plan.forced and plan.weeks else self._weeks(product)
        provider = state.provider = self._plan_provider(plan) or self._choose_provider(state.group, start, product)
        kind, replaced, level, change_reason, request = Kind.FIRST, None, 0, "", None
        while True:
            ind = self._indication(rows, state, level, product=product, kind=kind, replaced=replaced,
                                   aanvraag=aanvraag if level == 0 else None, start=start, weeks=weeks,
                                   provider=provider)
            self._decide(rows, state, ind, created=created, decision=decision, change_reason=change_reason)
            if request is not None:  # the provider's verzoek om wijziging that led to this beschikking
                request.follow_up = ind
            if replaced is not None and replaced.start_date <= today and ind.start_date <= today:
                # The nightly job ends the replaced one when this one starts (after the vaststelling,
                # which already ended its assignment as issue_beschikking does).
                self._end(rows, replaced, replaced.end_date, by=None, reason="Einddatum verstreken")
            if level == 0 and not plan.forced and rng.random() < 0.015:  # withdrawn after bezwaar
                withdrawn = decision + timedelta(days=rng.randint(7, 42))
                if withdrawn <= today:
                    if ind.start_date <= withdrawn:
                        self._activate(rows, ind)
                    self._move(rows, ind, S.INGETROKKEN, ind.demo_clock.at(withdrawn), ind.consultant,
                               rng.choice(WITHDRAWALS))
                    self._end_assignments(ind, end_date=ind.start_date - timedelta(days=1),
                                          reason=RedenWijziging.VERWIJDERD, day=withdrawn)
                    rows.planned.append(PlannedEvaluation(indication=ind, planned_on=self._schedule(ind)[0]))
                    return withdrawn
            self._activate(rows, ind)
            for assignment in ind.demo_assignments:
                if plan.care_started or level > 0:
                    self._care_start(rows, assignment)

            # Which planned evaluations have been held (some recent ones are overdue on the worklist).
            schedule = self._schedule(ind)
            held = []
            for planned_on in schedule:
                held_on = max(planned_on + timedelta(days=rng.randint(-7, 10)), ind.start_date + timedelta(days=1))
                if ind.end_date:
                    held_on = min(held_on, ind.end_date)
                if held_on >= today:
                    break
                overdue = plan.overdue_evaluation or not plan.forced and rng.random() < 0.12
                if (today - planned_on).days <= 60 and overdue:
                    break
                held.append((planned_on, held_on))

            # What happens: an early end or op-/afschaling after an evaluation, the end date, or it runs on.
            end, event, follow, switch_at = ind.end_date, None, None, None
            candidates = [i for i, (_p, h) in enumerate(held)
                          if h <= today - timedelta(days=21) and (end is None or h <= end - timedelta(days=42))]
            if candidates and not plan.forced:
                roll = rng.random()
                if roll < 0.06:
                    switch_at = rng.choice(candidates)
                    switch = self._switch_product(product, held[switch_at][1])
                    if switch is not None:
                        event, follow = "switch", switch
                elif roll < 0.12:
                    switch_at = rng.choice(candidates)
                    event = "stop"
            if event is not None:
                held = held[: switch_at + 1]
            elif end is not None and end < today:
                kind_name, target = self._follow_kind(product, end + timedelta(days=1))
                event = "end"
                follow = None if kind_name == "stop" else (kind_name, target)
            else:
                event = "live"
                ending_soon = end is not None and (end - today).days <= 56
                fate = (plan.fate if level == 0 else None) or ("live" if not ending_soon else rng.choices(
                    ["live", "decided_follow", "concept_follow"], weights=[45, 35, 20])[0])
                if fate != "live" and end is not None:
                    kind_name, target = self._follow_kind(product, end + timedelta(days=1))
                    if kind_name == "stop" and plan.forced:
                        kind_name, target = Kind.HERINDICATIE, product
                        if product.max_duration_weeks:
                            kind_name, target = Kind.AFSCHALING, self.ref.products.get("IB1", product)
                    follow = None if kind_name == "stop" else (kind_name, target)
                    event = fate if follow else "live"

            # The held evaluations, with outcomes that fit what follows.
            for index, (planned_on, held_on) in enumerate(held):
                next_on = schedule[index + 1] if index + 1 < len(schedule) else None
                final = index == len(held) - 1
                if not final or (event not in ("switch", "stop") and next_on is not None):
                    outcome, mode = Outcome.CONTINUE, "continue"
                elif event == "switch":
                    outcome = Outcome.SCALE_UP if follow[0] == Kind.OPSCHALING else Outcome.SCALE_DOWN
                    mode = "worse" if outcome == Outcome.SCALE_UP else "partly"
                elif event == "stop":
                    outcome, mode = Outcome.STOP, rng.choice(["achieved", "continue"])
                elif follow is not None:
                    outcome = EVALUATION_OUTCOME[follow[0]]
                    mode = "worse" if outcome == Outcome.SCALE_UP else "partly"
                else:  # it runs to its end date and stops there
                    outcome, mode = Outcome.STOP, "achieved" if event == "end" else "continue"
                next_on = next_on if outcome == Outcome.CONTINUE else None
                evaluation = self._evaluate(rows, state, ind, held_on, outcome, next_on, mode)
                rows.planned.append(PlannedEvaluation(indication=ind, planned_on=planned_on, evaluation=evaluation))
                if final and next_on is not None:  # planned at this evaluation, not held (yet)
                    rows.planned.append(PlannedEvaluation(indication=ind, planned_on=next_on))
                if not final and outcome == Outcome.CONTINUE and not plan.forced:
                    roll = rng.random()
                    if roll < 0.03 and held_on + timedelta(days=14) < held[index + 1][1]:
                        self._change_provider(rows, state, ind, held_on + timedelta(days=rng.randint(7, 14)))
                    elif roll < 0.05:  # a verzoek om wijziging the consultant refused at this evaluation
                        self._change_request(rows, ind, created=held_on - timedelta(days=rng.randint(1, 10)),
                                             product=self._heavier(ind.product, held_on), answer="refused",
                                             answered=held_on)
            if not held and schedule:
                rows.planned.append(PlannedEvaluation(indication=ind, planned_on=schedule[0]))
            last_held = held[-1][1] if held else ind.start_date
            provider = ind.provider

            # The end of this beschikking and the start of the next.
            if event == "stop":
                stop_day = min(last_held + timedelta(days=rng.randint(0, 28)), today - timedelta(days=1))
                if end is not None:
                    stop_day = min(stop_day, end)
                stop_day = max(stop_day, ind.start_date + timedelta(days=1))
                reason, _weight, gone, code = rng.choices(EARLY_ENDS, weights=[e[1] for e in EARLY_ENDS])[0]
                if code == RedenBeeindiging.OVERLIJDEN and self._age(state, stop_day) < 60:
                    reason, _weight, gone, code = EARLY_ENDS[1]
                recorded = min(today, stop_day + timedelta(days=rng.randint(1, 8)))
                self._end(rows, ind, stop_day, by=ind.consultant, reason=reason, recorded=recorded, code=code)
                if code == RedenBeeindiging.ANDER_DOMEIN:
                    self._provision(rows, state, OtherProvision.Kind.WLZ, stop_day + timedelta(days=1), None,
                                    recorded=recorded)
                state.gone = gone
                return stop_day
            if follow is None:
                if event == "end":
                    self._end(rows, ind, end, by=None, reason="Einddatum verstreken")
                    return end
                if end is not None and not plan.forced and rng.random() < 0.03:  # asks for an extension
                    self._change_request(rows, ind, created=today - timedelta(days=rng.randint(0, 10)),
                                         end_date=end + timedelta(weeks=rng.choice([13, 26])))
                if plan.forced and plan.fate == "live" and not plan.overdue_evaluation:
                    self._change_request(rows, ind, created=today - timedelta(days=2),
                                         end_date=end + timedelta(weeks=26))
                return None  # runs on today

            next_kind, next_product = follow
            change_reason, request = "", None
            if event == "switch":
                next_decision = last_held + timedelta(days=rng.randint(2, 10))
                next_start = last_held + timedelta(days=rng.randint(14, 35))
                if end is not None:
                    next_start = min(next_start, end)
                if rng.random() < 0.4:  # the provider asked for it (verzoek om wijziging, WMO317)
                    request = self._change_request(rows, ind, created=last_held - timedelta(days=rng.randint(0, 10)),
                                                   product=next_product, answer="granted", answered=next_decision)
                    change_reason = RedenWijziging.DOOR_AANBIEDER if request else ""
            else:
                next_start = end + timedelta(days=1)
                lower = max(last_held, ind.decision_date + timedelta(days=1), ind.start_date + timedelta(days=2))
                next_decision = max(lower, end - timedelta(days=rng.randint(7, 28)))
                if event == "decided_follow":
                    next_decision = max(lower, today - timedelta(days=rng.randint(0, 10)))
                if event == "concept_follow" or next_decision > today:
                    concept = self._indication(rows, state, level + 1, product=next_product, kind=next_kind,
                                               replaced=ind, aanvraag=None, start=next_start,
                                               weeks=self._weeks(next_product), provider=provider)
                    created = min(today, max(lower, today - timedelta(days=rng.randint(0, 7))))
                    self._leave_open(rows, state, concept, created=created, stage="concept")
                    return None
            # The beschikking it replaces ends the day before (issue_beschikking does the same).
            ind.end_date = next_start - timedelta(days=1)
            replaced, kind, product, level = ind, next_kind, next_product, level + 1
            start, decision = next_start, next_decision
            created = min(next_decision, max(ind.decision_date, next_decision - timedelta(days=rng.randint(0, 6)),
                                             last_held))
            weeks = self._weeks(product)
            if rng.random() < 0.1 or not self._covered(provider, product, start):  # another provider
                provider = state.provider = self._choose_provider(state.group, start, product)

    # -- meldingen and onderzoeken ------------------------------------------------------------

    def _plan(self, melding_day: date) -> Plan:
        age = (self.today - melding_day).days
        if age >= 70:
            return Plan()
        if age < 14:
            stage = self.rng.choices(["gemeld", "onderzoek"], weights=[40, 60])[0]
        elif age < 45:
            stage = self.rng.choices(["onderzoek", "besloten"], weights=[30, 70])[0]
        else:
            stage = self.rng.choices(["onderzoek", "besloten"], weights=[5, 95])[0]
        return Plan(stage=stage)

    def _conversation(self, rows: _Rows, state: _ClientState, intake: Intake, day: date, question: str) -> None:
        rng = self.rng
        current = ", ".join(sorted({str(OtherProvision.Kind(k).label) for k, s, e in state.provisions
                                    if s <= day and (e is None or e >= day)}))
        rows.conversations.append(
            Conversation(
                intake=intake,
                held_on=day,
                place=rng.choices(["thuis", "kantoor", "telefonisch", "elders"], weights=[75, 12, 10, 3])[0],
                participants=rng.choice([["client"], ["client", "mantelzorger"], ["client", "clientondersteuner"],
                                         ["client", "familie", "wijkteam"], ["client", "aanbieder"]]),
                clientondersteuning_offered=rng.random() < 0.96,
                persoonlijk_plan_informed=rng.random() < 0.9,
                need_notes=question,
                own_strength_notes=rng.choice(OWN_STRENGTH_NOTES),
                network_notes=rng.choice(NETWORK_NOTES),
                general_provisions_notes=f"Besproken: {rng.choice(REFERRALS).lower()}; volstaat niet alleen.",
                other_laws_notes="Geen Wlz-indicatie; behandeling loopt via de Zvw."
                if any(k == OtherProvision.Kind.ZVW_BEHANDELING for k, _s, _e in state.provisions) else "",
                current_provisions_notes=current,
            )
        )

    def _conclusion(self, repeat: bool) -> str:
        conclusions = Intake.Conclusion
        return self.rng.choices(
            [conclusions.MAATWERK, conclusions.ALGEMENE_VOORZIENING, conclusions.OTHER_LAW, conclusions.OWN_STRENGTH],
            weights=[62, 18, 10, 10] if repeat else [80, 11, 5, 4],
        )[0]

    def trajectory(self, rows: _Rows, state: _ClientState, melding_day: date, plan: Plan, *, repeat: bool):
        """Melding → onderzoek → conclusion (→ aanvraag → beschikkingen). Returns the day the support
        or the referral ended, None while work is open or care runs on."""
        rng, today = self.rng, self.today
        if not repeat or rng.random() < 0.3:
            state.group = self._choose_group(state, melding_day)
        state.domains = self._choose_domains(state.group)
        question = rng.choice(QUESTIONS.get(state.domains[0].code, QUESTIONS["financien"]))
        melding = Melding(
            client=state.client,
            received_on=melding_day,
            channel=rng.choices(["telefoon", "wijkteam", "huisarts", "aanbieder", "balie", "anders"],
                                weights=[35, 25, 15, 15, 7, 3])[0],
            question=question,
            consultant=state.consultant,
            created_at=self._at(melding_day),
        )
        rows.meldingen.append(melding)
        intake = Intake(melding=melding)
        rows.intakes.append(intake)
        if plan.stage == "gemeld":
            return None

        # The keukentafelgesprek: usually one, sometimes two, none for a herindicatie where enough is known.
        first_talk = melding_day + self._days(3, 18, plan, 5)
        if first_talk >= today:
            return None
        talks = [] if repeat and plan.stage == "besloten" and rng.random() < 0.12 else [first_talk]
        if talks and rng.random() < 0.15 and not plan.forced:
            talks.append(first_talk + timedelta(days=rng.randint(5, 14)))
        talks = [day for day in talks if day < today]
        zrm_day = talks[-1] if talks else melding_day + timedelta(days=rng.randint(1, 7))
        if not state.provisions and not repeat:
            self._provisions(rows, state, zrm_day)
        for day in talks:
            self._conversation(rows, state, intake, day, question)
        if plan.stage == "onderzoek":
            if rng.random() < 0.6 and zrm_day < today:
                self._intake_scores(state)
                self._assess(rows, state, zrm_day, state.consultant, intake=intake)
            return None

        conclusion = plan.conclusion or (Intake.Conclusion.MAATWERK if plan.forced else self._conclusion(repeat))
        concluded = zrm_day + self._days(1, 14, plan, 3)
        if not plan.forced and (today - melding_day).days > 75 and rng.random() < 0.06:
            concluded = melding_day + timedelta(days=rng.randint(43, 70))  # later than the 6-week deadline
        if concluded > today:
            self._intake_scores(state)
            self._assess(rows, state, zrm_day, state.consultant, intake=intake)
            return None
        if conclusion == Intake.Conclusion.MAATWERK or rng.random() < 0.5:
            self._intake_scores(state)
            self._assess(rows, state, zrm_day, state.consultant, intake=intake)
        intake.conclusion, intake.concluded_on = conclusion, concluded
        intake.report = (
            f"Onderzoek naar aanleiding van de melding: {question} Besproken: "
            f"{', '.join(d.name.lower() for d in state.domains)}. Conclusie: {intake.get_conclusion_display()}."
        )
        intake.report_sent_on = min(concluded + timedelta(days=rng.randint(1, 5)), today)
        if not talks:
            intake.no_conversation_reason = "Heraanmelding: de situatie is bekend uit het vorige onderzoek en de " \
                                            "evaluatie met de aanbieder."
        if rng.random() < 0.05:
            intake.persoonlijk_plan_received_on = max(melding_day, first_talk - timedelta(days=2))
        if conclusion == Intake.Conclusion.ALGEMENE_VOORZIENING:
            intake.referral_provision = rng.choice(REFERRALS)
        if conclusion == Intake.Conclusion.OTHER_LAW:
            intake.other_law = rng.choices(["zvw", "wlz", "jeugdwet"],
                                           weights=[60, 35 if self._age(state, concluded) > 65 else 5,
                                                    5 if self._age(state, concluded) < 23 else 0])[0]
        if conclusion in Intake.REFERRAL_CONCLUSIONS:
            intake.nazorg_due_on = concluded + timedelta(days=self.nazorg_days)
            overdue = (today - intake.nazorg_due_on).days
            if not plan.forced and (overdue > 30 or overdue >= 0 and rng.random() < 0.5):
                intake.nazorg_done_on = min(intake.nazorg_due_on + timedelta(days=rng.randint(0, 10)), today)
                intake.nazorg_notes = rng.choice(NAZORG_NOTES)
        if conclusion != Intake.Conclusion.MAATWERK:
            return concluded

        aanvraag_day = concluded + self._days(0, 5, plan, 1)
        if aanvraag_day > today:
            return None
        aanvraag = Aanvraag(client=state.client, intake=intake, received_on=aanvraag_day, consultant=state.consultant,
                            created_at=self._at(aanvraag_day))
        rows.aanvragen.append(aanvraag)
        if plan.stage == "aanvraag":
            return None
        created = min(today, aanvraag_day + self._days(0, 3, plan, 1))
        late = rng.random() < 0.07
        decision = aanvraag_day + self._days(15, 30, plan, 3) if late else aanvraag_day + self._days(2, 13, plan, 3)
        stage = plan.stage
        if stage == "besloten" and decision > today:
            stage = rng.choices(["concept", "ter_beoordeling", "goedgekeurd"], weights=[50, 35, 15])[0]
        if stage == "besloten":
            return self._chain(rows, state, plan, aanvraag=aanvraag, created=created, decision=decision)

        # Still open today: a concept, in review, sent back, or approved and waiting to be vastgesteld.
        product = self._first_product(state, created, plan)
        start = max(created, today) + self._days(7, 21, plan, 14)
        weeks = plan.weeks if plan.forced and plan.weeks else self._weeks(product)
        provider = state.provider = self._choose_provider(state.group, start, product)
        ind = self._indication(rows, state, 0, product=product, kind=Kind.FIRST, replaced=None, aanvraag=aanvraag,
                               start=start, weeks=weeks, provider=provider)
        self._leave_open(rows, state, ind, created=created, stage=stage, forced=plan.forced)
        return None

    def client_history(self, rows: _Rows, bsn: str, scenario: Plan | None = None) -> None:
        rng, today = self.rng, self.today
        first_day = today - timedelta(days=scenario.melding_ago) if scenario else self._first_melding_day()
        state = self.new_client(rows, bsn, first_day, scenario=scenario is not None)
        day = first_day
        if scenario:
            trajectories = 1
        elif self.trajectories:  # a benchmark's longer histories: 1..N returns, evenly
            trajectories = rng.randint(1, self.trajectories)
        else:
            trajectories = rng.choices([1, 2, 3], weights=[74, 21, 5])[0]
        for number in range(trajectories):
            plan = scenario or self._plan(day)
            ended = self.trajectory(rows, state, day, plan, repeat=number > 0)
            if ended is None or state.gone:
                return
            day = ended + timedelta(days=rng.randint(30, 540))  # a heraanmelding after outflow
            if day >= today:
                return

    # -- writing ------------------------------------------------------------------------------

    def write(self, rows: _Rows) -> None:
        """Insert the chunk table by table; foreign keys to rows inserted earlier resolve from the pks
        that bulk_create sets (SQLite and PostgreSQL)."""
        for model, objects in (
            (Client, rows.clients),
            (Melding, rows.meldingen),
            (Intake, rows.intakes),
            (Conversation, rows.conversations),
            (OtherProvision, rows.provisions),
            (Aanvraag, rows.aanvragen),
        ):
            model.objects.bulk_create(objects, batch_size=BATCH)
        for level in rows.levels:  # a beschikking is inserted after the one it replaces
            Indication.objects.bulk_create(level, batch_size=BATCH)
        _number_beschikkingen([ind.pk for level in rows.levels for ind in level if ind.decision_date])
        Assignment.objects.bulk_create(rows.assignments, batch_size=BATCH)
        _number_assignments([assignment.pk for assignment in rows.assignments])
        for event in rows.care_events:
            event.response = {"toewijzingnummer": f"{event.assignment.pk:010d}", **event.demo_body}
        IndicationResult.objects.bulk_create(rows.results, batch_size=BATCH)
        through = IndicationResult.sub_results.through
        through.objects.bulk_create(
            [through(indicationresult_id=row.pk, ibsubresult_id=sub.pk)
             for row, subs in rows.result_subs for sub in subs],
            batch_size=BATCH,
        )
        Evaluation.objects.bulk_create(rows.evaluations, batch_size=BATCH)
        ZrmAssessment.objects.bulk_create(rows.assessments, batch_size=BATCH)
        ZrmScore.objects.bulk_create(
            [ZrmScore(assessment_id=assessment.pk, domain_id=pk, score=score)
             for assessment, scores in rows.scores for pk, score in scores.items()],
            batch_size=BATCH,
        )
        for model, objects in (
            (ResultProgress, rows.progress),
            (PlannedEvaluation, rows.planned),
            (IndicationStatusChange, rows.status_changes),
            (Review, rows.reviews),
            (ReviewQuestion, rows.questions),
            (ChangeRequest, rows.change_requests),
            (CareEvent, rows.care_events),
        ):
            model.objects.bulk_create(objects, batch_size=BATCH)


def _number_beschikkingen(pks: list[int]) -> None:
    """Number the new beschikkingen as issue_beschikking does: IB-<year of the decision>-<pk, 7 digits>."""
    if not pks:
        return
    pk_text = Cast("pk", CharField())
    Indication.objects.filter(pk__gte=min(pks), pk__lte=max(pks), number__isnull=True,
                              decision_date__isnull=False).update(
        number=Concat(
            Value("IB-"),
            Cast(ExtractYear("decision_date"), CharField()),
            Value("-"),
            Case(When(pk__lt=10_000_000, then=LPad(pk_text, 7, Value("0"))), default=pk_text),
            output_field=CharField(),
        )
    )


def _number_assignments(pks: list[int]) -> None:
    """Toewijzingnummers as providers.services assigns them: the pk in 10 digits."""
    if not pks:
        return
    pk_text = Cast("pk", CharField())
    Assignment.objects.filter(pk__gte=min(pks), pk__lte=max(pks), number__startswith=ASSIGNMENT_PLACEHOLDER).update(
        number=Case(When(pk__lt=10**10, then=LPad(pk_text, 10, Value("0"))), default=pk_text,
                    output_field=CharField())
    )


@contextmanager
def _historic_timestamps():
    """Let bulk_create keep the historic created/updated moments we set, instead of 'now'."""
    fields = [
        model._meta.get_field(name)
        for model, name in (
            (Client, "created_at"),
            (Melding, "created_at"),
            (Aanvraag, "created_at"),
            (Indication, "created_at"),
            (Indication, "updated_at"),
            (IndicationStatusChange, "at"),
            (Evaluation, "created_at"),
            (OtherProvision, "recorded_at"),
            (Assignment, "created_at"),
            (CareEvent, "received_at"),
            (ChangeRequest, "created_at"),
        )
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------

# Case data, children first. Models of other apps that point into it are deleted before it.
CASE_MODELS = [
    ReviewQuestion,
    Review,
    ResultProgress,
    PlannedEvaluation,
    ZrmScore,
    ZrmAssessment,
    Evaluation,
    IndicationStatusChange,
    IndicationResult.sub_results.through,
    IndicationResult,
    Indication,
    Aanvraag,
    OtherProvision,
    Conversation,
    Intake,
    Melding,
    Client,
]


def reset_demo_case_data() -> None:
    """Delete all case data (not reference data, users, teams or providers) with one DELETE per table.
    Audit events stay: they are append-only by design. Database sequences continue, so beschikking
    numbers are never reused."""
    order = list(CASE_MODELS)
    grew = True
    while grew:
        grew = False
        for model in apps.get_models(include_auto_created=True):
            if model not in order and any(
                f.is_relation and f.related_model in order for f in model._meta.concrete_fields
            ):
                order.insert(0, model)
                grew = True
    with transaction.atomic(), connection.cursor() as cursor:
        for model in order:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def api_example_assignment(*, today: date) -> Assignment | None:
    """The toewijzing the README's curl flow picks: the demo provider's first in the API's order
    (ingangsdatum up to today, newest first) that is not withdrawn, has no start reported and has
    not ended before today."""
    return (
        Assignment.objects.filter(provider__agb_code=API_EXAMPLE_PROVIDER, start_date__lte=today,
                                  care_started_on=None)
        .exclude(status=Assignment.Status.WITHDRAWN)
        .filter(Q(end_date=None) | Q(end_date__gte=today))
        .select_related("indication")
        .order_by("-start_date", "-id")
        .first()
    )


def api_example_works(assignment: Assignment | None, *, today: date) -> bool:
    """Whether the README's flow succeeds on it: start today, ask for IB2 (the contract covers it, no
    request is open yet), stop today."""
    if assignment is None or assignment.status != Assignment.Status.ACTIVE:
        return False
    return (
        assignment.indication.status in (S.VASTGESTELD, S.ACTIEF)
        and not ChangeRequest.objects.filter(assignment=assignment, status=ChangeRequest.Status.OPEN).exists()
        and Contract.objects.filter(Q(valid_to=None) | Q(valid_to__gte=assignment.start_date),
                                    provider=assignment.provider_id, valid_from__lte=assignment.start_date,
                                    products__code="IB2").exists()
    )


@dataclass
class DemoSummary:
    clients: int = 0
    meldingen: int = 0
    indications: int = 0
    evaluations: int = 0
    reviews: int = 0
    consultants: int = 0
    skipped: bool = False
    api_example_added: bool = False  # a client added so that the README's API example can run today
    users: list = field(default_factory=list)


def generate_demo(
    *,
    clients: int,
    today: date,
    seed: int = 2026,
    progress: Callable[[int, int], None] | None = None,
    trajectories: int | None = None,
) -> DemoSummary:
    """Top the case load up to `clients` clients. Idempotent: when they exist nothing is added (the demo
    users are still ensured). progress(added, total) is called after every chunk. `trajectories`
    (for benchmarks) lets each client come back up to that many times instead of the usual 1-3."""
    summary = DemoSummary(users=ensure_demo_users())
    existing = Client.objects.count()
    consultants_by_team = ensure_demo_teams(clients=max(clients, existing))
    summary.consultants = sum(len(users) for users in consultants_by_team.values())
    if existing >= clients:
        summary.skipped, summary.clients = True, existing
        if clients:  # clients=0 asks for the users only
            _ensure_api_example(summary, today=today, seed=seed, consultants_by_team=consultants_by_team)
        return summary
    reference = _load_reference(ensure_demo_providers(), consultants_by_team)
    generator = _Generator(rng=random.Random(f"{seed}-{existing}"), today=today, reference=reference,
                           trajectories=trajectories)
    taken = set(Client.objects.values_list("bsn", flat=True))
    bsns = (bsn for bsn in valid_bsns() if bsn not in taken)
    scenarios = [API_EXAMPLE, *SCENARIOS] if existing == 0 else []
    to_make = total = clients - existing
    while to_make > 0:
        size = min(CHUNK, to_make)
        rows = _Rows()
        for _ in range(size):
            generator.client_history(rows, next(bsns), scenarios.pop(0) if scenarios else None)
        with transaction.atomic(), _historic_timestamps():
            generator.write(rows)
        summary.clients += size
        summary.meldingen += len(rows.meldingen)
        summary.indications += sum(len(level) for level in rows.levels)
        summary.evaluations += len(rows.evaluations)
        summary.reviews += len(rows.reviews)
        to_make -= size
        if progress:
            progress(total - to_make, total)
    _ensure_api_example(summary, today=today, seed=seed, consultants_by_team=consultants_by_team)
    return summary


def _ensure_api_example(summary: DemoSummary, *, today: date, seed: int, consultants_by_team: dict) -> None:
    """On any day, the README's curl flow finds a toewijzing it can start: when the one it would pick
    is used up (started by an earlier run of the flow) or cannot take the flow, one client is added
    whose toewijzing starts today (the newest, so the first the flow picks)."""
    if api_example_works(api_example_assignment(today=today), today=today):
        return
    generator = _Generator(rng=random.Random(f"{seed}-api-{today.isoformat()}"), today=today,
                           reference=_load_reference(ensure_demo_providers(), consultants_by_team))
    taken = set(Client.objects.values_list("bsn", flat=True))
    rows = _Rows()
    generator.client_history(rows, next(bsn for bsn in valid_bsns() if bsn not in taken), API_EXAMPLE)
    with transaction.atomic(), _historic_timestamps():
        generator.write(rows)
    summary.api_example_added = True
