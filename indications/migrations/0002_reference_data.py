"""Reference data of DOMAIN.md: the seven municipalities, the ZRM domains, the IB result areas
(seed 002), the IB products and the 2016 tariffs. Everything stays editable in the admin."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import migrations

MUNICIPALITIES = [
    ("0482", "Alblasserdam"),
    ("0505", "Dordrecht"),
    ("0523", "Hardinxveld-Giessendam"),
    ("0531", "Hendrik-Ido-Ambacht"),
    ("0590", "Papendrecht"),
    ("0610", "Sliedrecht"),
    ("0642", "Zwijndrecht"),
]

# (code, name, IB also at score 1)
ZRM_DOMAINS = [
    ("financien", "Financiën", False),
    ("dagbesteding", "Dagbesteding", True),
    ("huisvesting", "Huisvesting", False),
    ("huiselijke-relaties", "Huiselijke relaties", False),
    ("geestelijke-gezondheid", "Geestelijke gezondheid", True),
    ("lichamelijke-gezondheid", "Lichamelijke gezondheid", False),
    ("verslaving", "Verslaving", False),
    ("adl", "ADL (algemene dagelijkse levensverrichtingen)", False),
    ("sociaal-netwerk", "Sociaal netwerk", False),
    ("maatschappelijke-participatie", "Maatschappelijke participatie", False),
    ("justitie", "Justitie", False),
]

# (code, name, ZRM domains, related provisions, result, sub-results)
RESULT_DOMAINS = [
    (
        "financien",
        "Financiën",
        ["financien"],
        "Wgs (schuldhulpverlening), Participatiewet",
        "Voert zelfstandig de eigen (financiële) administratie",
        [
            "Heeft inzicht in inkomsten en uitgaven",
            "Heeft een geordende administratie",
            "Verwerkt de post",
            "Betaalt rekeningen op tijd",
            "Inkomsten en uitgaven zijn in balans",
        ],
    ),
    (
        "huisvesting",
        "Huisvesting",
        ["huisvesting"],
        "Financiën, huishoudelijke ondersteuning, woonvoorzieningen",
        "Woont zelfstandig in een leefbare, geordende en schone woning",
        ["Vindt passende huisvesting", "Behoudt de woning"],
    ),
    (
        "huiselijke-relaties",
        "Huiselijke relaties",
        ["huiselijke-relaties"],
        "",
        "Heeft gezonde huiselijke relaties",
        ["Voorkomt en de-escaleert verstoorde relaties", "Communiceert goed en open met huisgenoten"],
    ),
    (
        "geestelijke-gezondheid-verslaving",
        "Geestelijke gezondheid / verslaving",
        ["geestelijke-gezondheid", "verslaving"],
        "Zvw (behandeling)",
        "Functioneert psychisch zelfstandig",
        [
            "Heeft besef van de eigen situatie",
            "Voert regie over het eigen leven",
            "Volgt de therapie",
            "Gebruikt medicatie op de juiste wijze",
            "Vermindert destructief gedrag",
            "Beheerst de verslaving",
        ],
    ),
    (
        "zelfzorg",
        "Zelfzorg (lichamelijke gezondheid en ADL)",
        ["lichamelijke-gezondheid", "adl"],
        "Zvw (persoonlijke verzorging), vervoersvoorzieningen",
        "Zorgt voor zichzelf en de eigen gezondheid",
        [
            "Bezoekt behandelaars",
            "Gebruikt medicatie",
            "Houdt de conditie op peil",
            "Eet gezond",
            "Wast zich",
            "Draagt schone kleding",
            "Doet boodschappen",
            "Doet eenvoudige huishoudelijke taken",
        ],
    ),
    (
        "sociaal-netwerk",
        "Sociaal netwerk",
        ["sociaal-netwerk"],
        "Algemene voorzieningen, kortdurend verblijf, begeleiding groep",
        "Heeft een gezond netwerk en kan daarop terugvallen",
        [
            "Bouwt een netwerk op",
            "Onderhoudt het netwerk",
            "Doet een beroep op het netwerk",
            "Gaat sociale relaties aan",
            "Voorkomt overbelasting van het netwerk (ook: de mantelzorger leren)",
        ],
    ),
    (
        "dagbesteding-participatie",
        "Dagbesteding en maatschappelijke participatie",
        ["dagbesteding", "maatschappelijke-participatie"],
        "Begeleiding groep, Participatiewet",
        "Neemt deel aan de samenleving",
        [
            "Heeft een dagstructuur",
            "Plant en voert taken uit",
            "Komt afspraken na",
            "Voorkomt overlast",
            "Heeft een zinvolle daginvulling",
        ],
    ),
    (
        "justitie",
        "Justitie",
        ["justitie"],
        "Reclassering; alleen samen met IB op geestelijke gezondheid en/of verslaving",
        "Houdt zich aan justitiële afspraken en voorwaarden",
        ["Komt afspraken met reclassering na", "Voorkomt terugval in strafbaar gedrag"],
    ),
]

# (code, name, iWmo code, level, always finite, max weeks, opslag possible, description)
PRODUCTS = [
    ("IB0", "IB0 waakvlam", "", 0, False, None, False, "Vinger aan de pols; ondersteunt uitstroom (afschaling)."),
    ("IB1", "IB1 licht", "02A06", 1, False, None, True, "Toezicht en stimuleren; waar mogelijk afbouwen."),
    ("IB2", "IB2 middel", "02A07", 2, True, 26, True, "Aanleren en oefenen; altijd eindig en van beperkte duur."),
    ("IB3", "IB3 zwaar", "02A09", 3, False, None, True, "Helpen, overnemen en regie bij multiproblematiek."),
]

TARIFFS_2016 = {"IB1": ("337.66", "110.45"), "IB2": ("732.16", "239.50"), "IB3": ("1124.99", "368.00")}

REFERENCE_GROUPS = [
    (1, "Gehandicaptenzorg"),
    (2, "GGZ"),
    (3, "Psychische kwetsbaarheid / psychosociaal"),
    (4, "Autismezorg"),
    (5, "Thuiszorg en maatschappelijke dienstverlening"),
    (6, "Ouderenzorg"),
]


def load(apps, schema_editor):
    Municipality = apps.get_model("indications", "Municipality")
    ZrmDomain = apps.get_model("indications", "ZrmDomain")
    ResultDomain = apps.get_model("indications", "ResultDomain")
    IbResult = apps.get_model("indications", "IbResult")
    IbSubResult = apps.get_model("indications", "IbSubResult")
    Product = apps.get_model("indications", "Product")
    Tariff = apps.get_model("indications", "Tariff")
    ReferenceGroup = apps.get_model("providers", "ReferenceGroup")

    for code, name in MUNICIPALITIES:
        Municipality.objects.update_or_create(code=code, defaults={"name": name})
    zrm = {}
    for order, (code, name, acute) in enumerate(ZRM_DOMAINS, start=1):
        zrm[code], _ = ZrmDomain.objects.update_or_create(
            code=code, defaults={"name": name, "order": order, "allows_acute_score": acute}
        )
    result_domains = {}
    for order, (code, name, zrm_codes, related, result_name, subs) in enumerate(RESULT_DOMAINS, start=1):
        domain, _ = ResultDomain.objects.update_or_create(
            code=code, defaults={"name": name, "order": order, "related_provisions": related}
        )
        domain.zrm_domains.set([zrm[c] for c in zrm_codes])
        result, _ = IbResult.objects.get_or_create(domain=domain, name=result_name)
        for sub_order, sub in enumerate(subs, start=1):
            IbSubResult.objects.get_or_create(result=result, name=sub, defaults={"order": sub_order})
        result_domains[code] = domain
    result_domains["justitie"].requires_any_of.set([result_domains["geestelijke-gezondheid-verslaving"]])

    for code, name, iwmo, level, finite, weeks, opslag, description in PRODUCTS:
        product, _ = Product.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "iwmo_code": iwmo,
                "level": level,
                "requires_end_date": finite,
                "max_duration_weeks": weeks,
                "allows_opslag": opslag,
                "description": description,
            },
        )
        if code in TARIFFS_2016:
            amount, surcharge = TARIFFS_2016[code]
            Tariff.objects.get_or_create(
                product=product,
                valid_from=date(2016, 1, 1),
                defaults={"amount_per_period": Decimal(amount), "opslag_per_period": Decimal(surcharge)},
            )
        else:
            Tariff.objects.get_or_create(
                product=product,
                valid_from=date(2018, 8, 1),
                defaults={"amount_per_period": Decimal(settings.SDD["IB0_TARIFF"])},
            )
    for number, name in REFERENCE_GROUPS:
        ReferenceGroup.objects.update_or_create(number=number, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [
        ("indications", "0001_initial"),
        ("providers", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
