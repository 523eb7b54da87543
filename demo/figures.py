"""The demo's figures and word lists, and the scenarios that fill the named consultant's worklist.

Figures from DOMAIN.md and seed 000: clients per provider reference group 2016-2019, new clients
getting younger (average 57 → 43 years), about a fifth of the clients leaving each year, an average
cost per client per period near € 560-600, IB0 from August 2018 as a way down. IB2 stays below its
2019 share of spending (36%) because it is at most 26 weeks and never simply extended.
"""

from dataclasses import dataclass
from datetime import date

from accounts import roles
from indications.models import Evaluation, Intake, OtherProvision
from providers.codes import RedenBeeindiging
from providers.models import ChangeRequest

Outcome = Evaluation.Outcome

FIRST_DAY = date(2016, 1, 1)
CHUNK = 2000
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
    ("privacy", "demo-privacy-2026", "Sanne", "Bakker", roles.PRIVACY_FUNCTIONARIS, True, False),
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
        "Voorstraat",
        "Bankastraat",
        "Reeweg-Oost",
        "Krispijnseweg",
        "Vrieseweg",
        "Dubbeldamseweg",
        "Admiraal de Ruyterweg",
        "Brouwersdijk",
        "Sumatraplein",
        "Singel",
        "Nolensplein",
        "Laan der VN",
    ],
    "Zwijndrecht": [
        "Lindtsedijk",
        "Burgemeester Jansenlaan",
        "Koninginneweg",
        "Heer Janstraat",
        "Kerkweg",
        "Dorpsstraat",
    ],
    "Papendrecht": ["Markt", "Burgemeester Keijzerweg", "Westeind", "Oostpolderweg", "Veerdam", "Vijverhoek"],
    "Sliedrecht": ["Kerkbuurt", "Stationsweg", "Rivierdijk", "Thorbeckelaan", "Baanhoek", "Lijsterstraat"],
    "Hendrik-Ido-Ambacht": ["Weverskade", "Vrouwgelen", "Sophiastraat", "Antoniapolderweg", "Laan van Welhoek"],
    "Alblasserdam": ["Dam", "Hof van Alblas", "Kortland", "Ieplaan", "Makkerstraat", "Cortgene"],
    "Hardinxveld-Giessendam": ["Peulenstraat", "Nieuweweg", "Talmaweg", "Rivierdijk", "Buitendams"],
}
FIRST_NAMES = {
    "V": [
        "Anna",
        "Sanne",
        "Fatma",
        "Lotte",
        "Ingrid",
        "Yvonne",
        "Naima",
        "Ria",
        "Demi",
        "Esther",
        "Marloes",
        "Samira",
        "Wilma",
        "Kim",
        "Joyce",
        "Annemiek",
        "Priya",
        "Sevda",
        "Tineke",
        "Noor",
        "Emma",
        "Julia",
        "Bianca",
        "Gerda",
        "Hanneke",
        "Khadija",
        "Mirjam",
        "Saskia",
        "Chantal",
        "Iris",
    ],
    "M": [
        "Jan",
        "Pieter",
        "Mohamed",
        "Kees",
        "Dennis",
        "Ahmet",
        "Bas",
        "Ricardo",
        "Henk",
        "Tim",
        "Youssef",
        "Sander",
        "Gerrit",
        "Kevin",
        "Marco",
        "Arjen",
        "Rachid",
        "Wim",
        "Luuk",
        "Erik",
        "Daan",
        "Mustafa",
        "Ruben",
        "Cor",
        "Jeroen",
        "Bilal",
        "Niels",
        "Teun",
        "Frank",
        "Stefan",
    ],
    "X": ["Robin", "Sam", "Charlie", "Kai", "Noa"],
}
LAST_NAMES = [
    ("", "Jansen"),
    ("de", "Vries"),
    ("van", "Dijk"),
    ("", "Bakker"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Yilmaz"),
    ("", "El Idrissi"),
    ("", "Kaya"),
    ("van der", "Heijden"),
    ("van den", "Berg"),
    ("", "Verhoeven"),
    ("", "Koster"),
    ("", "Prins"),
    ("van", "Wijk"),
    ("", "Sardjoe"),
    ("", "Baldewsingh"),
    ("", "Öztürk"),
    ("", "Boukhari"),
    ("van der", "Graaf"),
    ("", "Kok"),
    ("", "Schouten"),
    ("", "Post"),
    ("", "Kloet"),
    ("van", "Rossum"),
    ("", "Stam"),
    ("den", "Hartog"),
    ("", "Pols"),
    ("van der", "Giessen"),
    ("", "Baars"),
    ("", "Verschoor"),
    ("", "Timmer"),
    ("", "Lagendijk"),
    ("van", "Wingerden"),
    ("", "Boele"),
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
        ("Stichting De Merwelanden", 2016),
        ("Zuiderkruis Zorg", 2016),
        ("Gewoon Meedoen Drechtsteden", 2016),
        ("Stichting De Zeven Dorpen", 2016),
        ("Kompasgroep Begeleiding", 2016),
        ("Lindenhoven Zorg", 2016),
        ("Stichting De Waalkant", 2016),
        ("Oude Maas Zorggroep", 2016),
        ("Drechtborg", 2016),
        ("Samen Thuis Zuid-Holland", 2016),
        ("Rivierenland Begeleiding", 2018),
        ("De Wielborg", 2019),
    ],
    2: [
        ("GGZ Drechtoever", 2016),
        ("Merwestad GGZ", 2016),
        ("Balans Zuid Ambulant", 2016),
        ("Helder Hoofd Begeleiding", 2016),
        ("De Linde Psychiatrie Thuis", 2016),
        ("GGZ Riviergebied", 2016),
        ("Noorderlicht Ambulante Zorg", 2017),
        ("Parkzicht GGZ", 2017),
        ("Veerkracht Begeleiding", 2018),
        ("Brugzorg", 2018),
        ("Horizon GGZ Thuis", 2019),
    ],
    3: [
        ("Op Koers Begeleiding", 2016),
        ("Stap Verder", 2016),
        ("Eigen Regie Drechtsteden", 2017),
        ("Het Anker Psychosociaal", 2018),
        ("Stichting Overeind", 2019),
    ],
    4: [
        ("Prikkelarm Begeleiding", 2016),
        ("Structuur Plus", 2016),
        ("Het Puzzelstuk", 2016),
        ("Helder Zicht Autismezorg", 2016),
        ("Rustpunt", 2017),
        ("Autvrij Coaching", 2017),
        ("Samen Sterk in Autisme", 2018),
        ("Stapsteen", 2019),
    ],
    5: [
        ("Thuiszorg Drechtsteden", 2016),
        ("Waardstreek Thuis", 2016),
        ("Aan Huis Zorg", 2016),
        ("De Buurtkracht", 2016),
        ("Naast Je Begeleiding", 2016),
        ("Maatwerk Thuis", 2016),
        ("Het Wijkhuis", 2016),
        ("Zorgzaam Sliedrecht", 2016),
        ("De Schakel Maatschappelijke Dienstverlening", 2016),
        ("Merwezorg Thuis", 2017),
    ],
    6: [
        ("Zilverlinde Ouderenzorg", 2016),
        ("Het Parkhuis", 2016),
        ("De Lange Wei", 2016),
        ("Avondrood Thuis", 2016),
        ("Vitaal Ouder Worden", 2018),
    ],
}
# Which result areas each reference group mostly works on (weights by result-domain code).
GROUP_DOMAINS = {
    1: {
        "financien": 3,
        "huisvesting": 2,
        "huiselijke-relaties": 1,
        "geestelijke-gezondheid-verslaving": 1,
        "zelfzorg": 2,
        "sociaal-netwerk": 2,
        "dagbesteding-participatie": 3,
    },
    2: {
        "financien": 2,
        "huisvesting": 2,
        "huiselijke-relaties": 1,
        "geestelijke-gezondheid-verslaving": 6,
        "zelfzorg": 1,
        "sociaal-netwerk": 2,
        "dagbesteding-participatie": 2,
    },
    3: {
        "financien": 3,
        "huisvesting": 3,
        "huiselijke-relaties": 2,
        "geestelijke-gezondheid-verslaving": 3,
        "zelfzorg": 1,
        "sociaal-netwerk": 2,
        "dagbesteding-participatie": 2,
    },
    4: {
        "financien": 2,
        "huisvesting": 1,
        "huiselijke-relaties": 2,
        "geestelijke-gezondheid-verslaving": 1,
        "zelfzorg": 1,
        "sociaal-netwerk": 3,
        "dagbesteding-participatie": 3,
    },
    5: {
        "financien": 4,
        "huisvesting": 3,
        "huiselijke-relaties": 2,
        "geestelijke-gezondheid-verslaving": 1,
        "zelfzorg": 2,
        "sociaal-netwerk": 2,
        "dagbesteding-participatie": 1,
    },
    6: {
        "financien": 2,
        "huisvesting": 1,
        "huiselijke-relaties": 1,
        "geestelijke-gezondheid-verslaving": 1,
        "zelfzorg": 4,
        "sociaal-netwerk": 4,
        "dagbesteding-participatie": 2,
    },
}
# Chance that justitie is part of the results (only together with geestelijke gezondheid / verslaving).
GROUP_JUSTICE = {2: 0.12, 3: 0.10}
# The first product (weights); IB0 only where a tariff is in force, IB2 grew in 2016-2017.
FIRST_PRODUCTS = {"IB0": 4, "IB1": 36, "IB2": 48, "IB3": 12}
# The step at 18 (seed 003): the share of new clients who come in from the Jeugdwet around their 18th
# birthday (melding channel jeugdhulp), and the chance that such a client gets IB4 (from 2017).
YOUTH_SHARE = 0.02
YOUTH_IB4_CHANCE = 0.7
# Melding channels (weights); jeugdhulp and GGZ / kliniek are the inflow seed 000 names.
CHANNELS = {"telefoon": 35, "wijkteam": 25, "huisarts": 15, "aanbieder": 15, "balie": 7, "ggz_kliniek": 4, "anders": 3}
# What follows a beschikking that runs to its end date: (kind, product, weight). A kind whose product
# is not lighter (afschaling) or heavier (opschaling), or has no tariff then, is skipped.
FOLLOW_UPS = {
    "IB0": [("stop", None, 55), ("herindicatie", "IB0", 20), ("opschaling", "IB1", 15), ("opschaling", "IB2", 10)],
    "IB1": [
        ("stop", None, 22),
        ("herindicatie", "IB1", 38),
        ("afschaling", "IB0", 18),
        ("opschaling", "IB2", 17),
        ("opschaling", "IB3", 5),
    ],
    "IB2": [("stop", None, 16), ("afschaling", "IB1", 50), ("afschaling", "IB0", 12), ("opschaling", "IB3", 22)],
    "IB3": [("stop", None, 12), ("herindicatie", "IB3", 22), ("afschaling", "IB2", 46), ("afschaling", "IB1", 20)],
    # IB4 (the step at 18, age limit): no herindicatie on IB4 itself in the demo, a way down to IB3 / IB2.
    "IB4": [("stop", None, 25), ("afschaling", "IB3", 50), ("afschaling", "IB2", 25)],
}
OPSLAG_MOTIVATION = "Ernstige gedragsproblematiek (PSY/NAH); intensievere begeleiding nodig."
EVALUATION_OUTCOME = {
    "herindicatie": Outcome.HERINDICATIE,
    "afschaling": Outcome.SCALE_DOWN,
    "opschaling": Outcome.SCALE_UP,
}

QUESTIONS = {
    "financien": [
        "Post en rekeningen stapelen zich op; loopt achter met betalen.",
        "Heeft schulden en geen overzicht meer over inkomsten en uitgaven.",
    ],
    "huisvesting": [
        "Dreigende huisuitzetting door huurachterstand en vervuiling van de woning.",
        "Gaat na beschermd wonen zelfstandig wonen en wil hulp om de woning te houden.",
    ],
    "huiselijke-relaties": [
        "Spanningen in het gezin; hulp bij communicatie en rust in huis.",
        "Na de scheiding lopen de ruzies met de ex-partner over de kinderen hoog op.",
    ],
    "geestelijke-gezondheid-verslaving": [
        "Na ontslag uit de kliniek hulp nodig bij het weer oppakken van het dagelijks leven.",
        "Terugval in alcoholgebruik; dreigt de grip op het eigen leven te verliezen.",
        "Somber en angstig, komt de deur nauwelijks uit; de huisarts verwijst door.",
    ],
    "zelfzorg": [
        "Lukt het niet meer om voor zichzelf te zorgen: eten, medicatie, persoonlijke verzorging.",
        "Na een herseninfarct moeite met de dagelijkse routines thuis.",
    ],
    "sociaal-netwerk": [
        "Sociaal geïsoleerd, weinig contacten, somberheid.",
        "Mantelzorger raakt overbelast; cliënt heeft begeleiding nodig in de thuissituatie.",
    ],
    "dagbesteding-participatie": [
        "Moeite met structuur in de dag en het nakomen van afspraken.",
        "Zit na het wegvallen van werk thuis zonder daginvulling; overlast in de buurt.",
    ],
    "justitie": ["Komt uit detentie en moet zich aan de voorwaarden van de reclassering houden."],
}
GOALS = {
    "financien": [
        "Heeft binnen zes maanden een geordende administratie en betaalt de vaste lasten zelf op tijd.",
        "Opent wekelijks zelf de post en legt die samen met de begeleider af.",
    ],
    "huisvesting": [
        "Houdt de woning schoon en leefbaar; er is geen huurachterstand meer.",
        "Heeft een eigen woning gevonden en woont daar na drie maanden zelfstandig.",
    ],
    "huiselijke-relaties": [
        "Praat thuis rustig over spanningen; escalaties nemen af.",
        "Maakt met de ex-partner werkbare afspraken over de omgang met de kinderen.",
    ],
    "geestelijke-gezondheid-verslaving": [
        "Herkent signalen van terugval en neemt de medicatie trouw in.",
        "Houdt de afspraken met de behandelaar en blijft abstinent.",
    ],
    "zelfzorg": [
        "Zorgt dagelijks voor persoonlijke verzorging en gezonde maaltijden.",
        "Beheert de eigen medicatie met een weekdoos en een vaste routine.",
    ],
    "sociaal-netwerk": [
        "Heeft wekelijks contact met ten minste twee mensen uit het netwerk.",
        "De mantelzorger houdt één vrije dag per week; het netwerk vangt die op.",
    ],
    "dagbesteding-participatie": [
        "Heeft een vaste dagstructuur en neemt twee dagdelen per week deel aan activiteiten.",
        "Doet drie ochtenden per week vrijwilligerswerk en komt de afspraken na.",
    ],
    "justitie": ["Houdt zich aan de afspraken met de reclassering."],
}
REFERRALS = [
    "Sociaal wijkteam",
    "Maatschappelijk werk",
    "Schuldhulpmaatje",
    "Buurtkamer",
    "Vrijwilligerscentrale",
    "Inloop GGZ",
    "Maaltijdservice",
    "Klussendienst",
]
NETWORK_NOTES = [
    "Klein netwerk: een zus op afstand.",
    "Buurvrouw helpt af en toe.",
    "Geen netwerk van betekenis.",
    "Betrokken dochter, maar zij werkt fulltime.",
    "Partner is overbelast en vraagt om ontlasting.",
]
OWN_STRENGTH_NOTES = [
    "Cliënt is gemotiveerd maar krijgt het niet alleen georganiseerd.",
    "Weet wat er moet gebeuren, maar het lukt niet om het vol te houden.",
    "Heeft weinig zicht op de eigen situatie; de hulpvraag komt vooral van de omgeving.",
]
PROVISION_NOTES = {
    OtherProvision.Kind.HUISHOUDELIJKE_ONDERSTEUNING: "Huishoudelijke ondersteuning, 3 uur per week.",
    OtherProvision.Kind.DAGBESTEDING: "Dagbesteding, twee dagdelen per week.",
    OtherProvision.Kind.BIJSTAND: "Bijstandsuitkering via de SDD.",
    OtherProvision.Kind.ZVW_BEHANDELING: "In behandeling bij het FACT-team.",
    OtherProvision.Kind.WIJKVERPLEGING: "Wijkverpleging voor medicatie en verzorging.",
    OtherProvision.Kind.BESCHERMD_WONEN: "Beschermd wonen tot de uitstroom naar een eigen woning.",
    OtherProvision.Kind.WLZ: "Indicatie Wet langdurige zorg; zorg via het zorgkantoor.",
}
# The known cost per 4 weeks of an extramural provision (euro, low-high), recorded for most of them:
# the IB rule compares the whole extramural package with an intramural one (indications.ib_rules).
PROVISION_COSTS = {
    OtherProvision.Kind.HUISHOUDELIJKE_ONDERSTEUNING: (120, 400),
    OtherProvision.Kind.DAGBESTEDING: (300, 900),
    OtherProvision.Kind.ZVW_BEHANDELING: (150, 700),
    OtherProvision.Kind.WIJKVERPLEGING: (200, 900),
}
PROVISION_COST_KNOWN = 0.8
EXTRAMURAL_COST_MOTIVATION = (
    "Kosten van de andere voorziening(en) nog niet bekend; naar verwachting ruim onder een intramuraal pakket."
)
VERBLIJF_MOTIVATION = "Uitstroom uit beschermd wonen naar een eigen woning; verblijf is niet langer nodig."
# The primary life domain is named on most beschikkingen; treatment (Zvw) needed, per group (2 and
# 3: GGZ and psychische kwetsbaarheid need it more often): weights of nee, ingezet, wachtlijst, niet ingezet.
PRIMARY_DOMAIN_SHARE = 0.9
TREATMENT_WEIGHTS = {"default": (70, 18, 7, 5), 2: (35, 40, 17, 8), 3: (50, 28, 14, 8)}
# Of the clients with dagbesteding and IB1/IB2, the share whose dagbesteding is filled in with IB
# (1-3 dagdelen a week, each counted as one hour IB).
DAGDELEN_IB_SHARE = 0.25
# Leveringsvorm (seed 003, around line 3037): on 31-12-2016 IB was 1,365 in natura and 304 as pgb,
# so about 18% of the trajectories are a pgb (no provider, no toewijzing); a budgetholder other than
# the client in about a third of them, care bought from the social network in about a quarter.
PGB_SHARE = 304 / 1669
PGB_REPRESENTATIVES = [
    ("wettelijk", "ouder (mentor)"),
    ("wettelijk", "bewindvoerder"),
    ("gemachtigde", "partner"),
    ("gemachtigde", "zoon / dochter"),
]
PGB_REPRESENTATIVE_SHARE = 0.35
PGB_SOCIAL_NETWORK_SHARE = 0.25
PGB_NOTES = {
    "able_to_manage": "Beheert het budget zelf of met hulp van de vertegenwoordiger; budgetplan is helder.",
    "motivated": "Wil de begeleiding door een vaste, vertrouwde begeleider op eigen tijden.",
    "quality": "Begeleider is ervaren en heeft een VOG; afspraken over doelen en verslaglegging zijn vastgelegd.",
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
# Seed 001: clients stop their support because of the eigen bijdrage. In the months after its
# reintroduction (1-12-2020, the data migration's rule) an early end "in overeenstemming voortijdig"
# of a client of 18 or older is one the client ends himself, so the monitor's "stops na de eigen
# bijdrage" shows the effect against the same months a year earlier (no extra random draw).
EIGEN_BIJDRAGE_FROM = date(2020, 12, 1)
EIGEN_BIJDRAGE_STOP_UNTIL = date(2021, 5, 31)
EIGEN_BIJDRAGE_STOP_REASON = (
    "Eenzijdig door cliënt beëindigd (reden 21): cliënt ziet af van de ondersteuning vanwege de eigen bijdrage"
)
CHANGE_MOTIVATIONS = {
    "product": [
        "De situatie is verslechterd; met de huidige intensiteit halen we de doelen niet.",
        "Cliënt heeft meer aansturing nodig dan afgesproken; graag een zwaarder product.",
    ],
    "end_date": [
        "De doelen zijn nog niet behaald; cliënt heeft meer tijd nodig.",
        "De afbouw loopt trager dan gepland; graag verlenging van de toewijzing.",
    ],
}
CHANGE_ANSWERS = {
    ChangeRequest.Status.GRANTED: ["Toegekend na overleg met cliënt en aanbieder."],
    ChangeRequest.Status.REFUSED: [
        "Afgewezen: de evaluatie laat voldoende voortgang zien.",
        "Afgewezen: eerst de afgesproken doelen concreet uitwerken.",
    ],
}
WITHDRAWALS = [
    "Bezwaar gegrond verklaard; de aanvraag wordt opnieuw beoordeeld.",
    "Cliënt ziet af van de ondersteuning.",
    "Ten onrechte vastgesteld (administratieve correctie).",
]
REJECTIONS = [
    "Maak de doelen concreet en meetbaar; nu zijn ze te algemeen geformuleerd.",
    "Onderbouw waarom een lichter product niet volstaat.",
    "Kies voor een eerste indicatie een kortere looptijd met een vroege evaluatie.",
    "Licht de samenhang met de behandeling (Zvw) toe: wie doet wat?",
]
REVIEW_QUESTIONS = [
    (
        "Is er al afgestemd met de behandelaar over de taakverdeling?",
        "Ja, telefonisch met de casemanager van het FACT-team; zij doet de medicatie.",
    ),
    (
        "Waarom is een algemene voorziening voor het netwerk niet genoeg?",
        "De buurtkamer is geprobeerd; cliënt haakte na twee weken af zonder begeleiding.",
    ),
    (
        "Is de mantelzorger betrokken bij het plan?",
        "Ja, de dochter was bij het tweede gesprek en stemt in met het plan.",
    ),
]
EVALUATION_NOTES = {
    Outcome.CONTINUE: "Voortgang besproken met cliënt en aanbieder; de doelen blijven staan.",
    Outcome.SCALE_DOWN: "Doelen grotendeels behaald; lichtere begeleiding volstaat.",
    Outcome.SCALE_UP: "Situatie verslechterd; zwaardere begeleiding nodig.",
    Outcome.STOP: "Doelen behaald of niet meer haalbaar; de begeleiding stopt.",
    Outcome.HERINDICATIE: "Doelen nog niet behaald; een nieuwe beschikking volgt.",
}
NAZORG_NOTES = [
    "De verwijzing werkt; cliënt gaat er wekelijks heen.",
    "Cliënt is tevreden; geen verdere vragen.",
    "Loopt nog niet; opnieuw contact gelegd met de voorziening.",
]


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
    youth: str = ""  # the step at 18 (YOUTH_SHARE): "step" or "nearing"; stage "geen_melding": no melding


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
    # The step at 18 (seed 003): youth with jeugdhulp who turn 18 within months, three not yet known to
    # the Wmo (the signal jeugdhulp_18), two with a melding; two young adults on IB4.
    *[_scenario(stage="geen_melding", melding_ago=20, youth="nearing") for _ in range(3)],
    *[_scenario(stage="gemeld", melding_ago=4, youth="nearing") for _ in range(2)],
    *[_scenario(melding_ago=120, product="IB4", weeks=52, start_in=7, fate="live", youth="step") for _ in range(2)],
]
# The README's API example: a toewijzing of this provider whose start can be reported today.
API_EXAMPLE_PROVIDER = "98030001"
# Vastgesteld 12 days after the melding (the scenarios' fixed steps), so it starts today.
API_EXAMPLE = _scenario(
    melding_ago=16, product="IB1", weeks=26, start_in=4, provider=API_EXAMPLE_PROVIDER, care_started=False
)


# Decisions on an aanvraag besides the toekenning (issue #15): about 7% are refused, on the grounds of
# seed 003 and the onderzoek, and about 5% are granted in part (a lighter product or a shorter period
# than asked), each with its motivation.
REFUSAL_SHARE = 0.07
PARTIAL_SHARE = 0.05
REFUSAL_GROUNDS = {
    "eigen_kracht": 30,
    "algemene_voorziening": 25,
    "wlz": 12,
    "zvw": 12,
    "jeugdwet": 3,
    "verblijf": 10,
    "niet_ingezetene": 8,
}
REFUSAL_MOTIVATIONS = {
    "eigen_kracht": "Uit het onderzoek blijkt dat de cliënt met hulp van partner en kinderen de administratie en "
    "de dagstructuur zelf kan regelen; de ondersteuning door het netwerk volstaat.",
    "algemene_voorziening": "Het inloopspreekuur van het sociaal wijkteam en de vrijwillige thuisadministratie "
    "bieden de ondersteuning die nodig is; een maatwerkvoorziening is niet nodig.",
    "wlz": "De cliënt heeft een Wlz-indicatie (CIZ) met zorg in de thuissituatie; de begeleiding valt onder de "
    "Wet langdurige zorg.",
    "zvw": "De gevraagde ondersteuning is behandeling door de GGZ-behandelaar en valt onder de Zorgverzekeringswet.",
    "jeugdwet": "De cliënt is jonger dan 18 jaar; de ondersteuning valt onder de Jeugdwet.",
    "verblijf": "De cliënt heeft toezicht en een beschermende woonomgeving nodig; ambulante begeleiding volstaat "
    "niet, verblijf (beschermd wonen) is noodzakelijk.",
    "niet_ingezetene": "De cliënt staat niet ingeschreven in de BRP van de gemeente en woont er niet; het college "
    "van de woongemeente beslist op de aanvraag.",
}
PARTIAL_MOTIVATIONS = [
    "Het netwerk neemt een deel van de ondersteuning over; een lichter product volstaat om de resultaten te bereiken.",
    "Eerst een kortere looptijd met een vroege evaluatie; daarna wordt bezien of verlenging nodig is.",
    "De ZRM-scores rechtvaardigen geen zwaarder product; de gevraagde intensiteit is niet nodig.",
]
