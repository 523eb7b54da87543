"""Demo data: a realistic, deterministic case load for the seven municipalities, at any size.

Rows are written with bulk_create in chunks (no per-row save, no services): the generator builds
only histories that the services would have accepted (ZRM scores that justify the results, IB2
bounded, no overlapping live beschikkingen, statuses consistent with the dates). Audit events are
not generated: nobody read or changed these files.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import Team
from accounts.roles import CONSULENT, CONTRACTMANAGER, FUNCTIONEEL_BEHEERDER, TEAMLEIDER
from providers.models import Provider, ReferenceGroup

from .models import (
    Aanvraag,
    Client,
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
    ZrmAssessment,
    ZrmDomain,
    ZrmScore,
)

S = IndicationStatus
FIRST_DAY = date(2016, 1, 1)
IB0_FROM = date(2018, 8, 1)
CHUNK = 1000

# (username, password, first name, last name, role, teams, staff)
DEMO_USERS = [
    ("consulent", "demo-consulent-2026", "Fatima", "El Amrani", CONSULENT, ["Dordrecht", "Zwijndrecht en H-I-Ambacht"],
     False),
    ("consulent2", "demo-consulent-2026", "Joost", "van der Linden", CONSULENT, ["Dordrecht", "Oost"], False),
    ("teamleider", "demo-teamleider-2026", "Marieke", "Verbeek", TEAMLEIDER,
     ["Dordrecht", "Zwijndrecht en H-I-Ambacht", "Oost"], False),
    ("contractmanager", "demo-contract-2026", "Ruud", "Hoogendoorn", CONTRACTMANAGER, [], False),
    ("beheerder", "demo-beheer-2026", "Anouk", "de Graaf", FUNCTIONEEL_BEHEERDER, [], True),
]
DEMO_TEAMS = {
    "Dordrecht": ["Dordrecht"],
    "Zwijndrecht en H-I-Ambacht": ["Zwijndrecht", "Hendrik-Ido-Ambacht"],
    "Oost": ["Papendrecht", "Sliedrecht", "Alblasserdam", "Hardinxveld-Giessendam"],
}
CONSULTANTS = ("consulent", "consulent2")

# Inhabitants (CBS, rounded): the weight of each municipality in the case load.
POPULATION = {
    "Dordrecht": 121_000,
    "Zwijndrecht": 45_000,
    "Papendrecht": 32_500,
    "Sliedrecht": 25_500,
    "Hendrik-Ido-Ambacht": 31_500,
    "Alblasserdam": 20_500,
    "Hardinxveld-Giessendam": 18_500,
}
STREETS = {
    "Dordrecht": ["Voorstraat", "Bankastraat", "Reeweg-Oost", "Krispijnseweg", "Vrieseweg", "Dubbeldamseweg"],
    "Zwijndrecht": ["Lindtsedijk", "Burgemeester Jansenlaan", "Koninginneweg", "Heer Janstraat"],
    "Papendrecht": ["Markt", "Burgemeester Keijzerweg", "Westeind", "Oostpolderweg"],
    "Sliedrecht": ["Kerkbuurt", "Stationsweg", "Rivierdijk", "Thorbeckelaan"],
    "Hendrik-Ido-Ambacht": ["Weverskade", "Vrouwgelen", "Sophiastraat", "Antoniapolderweg"],
    "Alblasserdam": ["Dam", "Hof van Alblas", "Kortland", "Ieplaan"],
    "Hardinxveld-Giessendam": ["Peulenstraat", "Nieuweweg", "Talmaweg", "Rivierdijk"],
}
POSTCODE_PREFIX = {
    "Dordrecht": 3311,
    "Zwijndrecht": 3331,
    "Papendrecht": 3351,
    "Sliedrecht": 3361,
    "Hendrik-Ido-Ambacht": 3341,
    "Alblasserdam": 2951,
    "Hardinxveld-Giessendam": 3371,
}
FIRST_NAMES = {
    "V": ["Anna", "Sanne", "Fatma", "Lotte", "Ingrid", "Yvonne", "Naima", "Ria", "Demi", "Esther", "Marloes",
          "Samira", "Wilma", "Kim", "Joyce", "Annemiek", "Priya", "Sevda", "Tineke", "Noor"],
    "M": ["Jan", "Pieter", "Mohamed", "Kees", "Dennis", "Ahmet", "Bas", "Ricardo", "Henk", "Tim", "Youssef",
          "Sander", "Gerrit", "Kevin", "Marco", "Arjen", "Rachid", "Wim", "Luuk", "Erik"],
    "X": ["Robin", "Sam", "Charlie", "Kai", "Noa"],
}
LAST_NAMES = [
    ("", "Jansen"), ("de", "Vries"), ("van", "Dijk"), ("", "Bakker"), ("", "Visser"), ("", "Smit"),
    ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"),
    ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"),
    ("", "Yilmaz"), ("", "El Idrissi"), ("", "Kaya"), ("van der", "Heijden"), ("van den", "Berg"),
    ("", "Verhoeven"), ("", "Koster"), ("", "Prins"), ("van", "Wijk"), ("", "Sardjoe"), ("", "Baldewsingh"),
    ("", "Öztürk"), ("", "Boukhari"), ("van der", "Graaf"), ("", "Kok"), ("", "Schouten"), ("", "Post"),
]
# Clients per reference group in 2019 (DOMAIN.md): the share of providers and clients per group.
GROUP_WEIGHTS = {1: 765, 2: 700, 3: 132, 4: 402, 5: 491, 6: 109}
PROVIDERS_PER_GROUP = {1: 12, 2: 11, 3: 5, 4: 8, 5: 9, 6: 5}
PROVIDER_WORDS = {
    1: ("Stichting", ["De Merwelanden", "Het Zuiderkruis", "Gewoon Meedoen", "De Zeven Dorpen", "Kompasgroep",
                      "Lindenhoven", "De Waalkant", "Oude Maas Zorg", "Drechtborg", "Samen Thuis", "Rivierenzorg",
                      "De Wielborg"]),
    2: ("GGZ", ["Drechtoever", "Merwestad", "Balans Zuid", "Helder Hoofd", "De Linde", "Riviergebied", "Noorderlicht",
                "Parkzicht", "Veerkracht", "Brugzorg", "Horizon"]),
    3: ("Begeleiding", ["Op Koers", "Stap Verder", "Eigen Kracht Drechtsteden", "Het Anker", "Overeind"]),
    4: ("Autismezorg", ["Prikkelarm", "Structuur Plus", "Het Puzzelstuk", "Helder Zicht", "Rustpunt", "Autvrij",
                        "Samen Sterk", "Stapsteen"]),
    5: ("Thuiszorg", ["Drechtsteden", "Waardeburgh", "Aan Huis", "De Buurtkracht", "Present", "Maatwerk Thuis",
                      "Het Wijkhuis", "Zorgzaam", "De Schakel"]),
    6: ("Ouderenzorg", ["Crabbehof", "Het Parkhuis", "Zilverlinde", "De Lange Wei", "Avondrood"]),
}
QUESTIONS = [
    "Post en rekeningen stapelen zich op; loopt achter met betalen.",
    "Na ontslag uit de kliniek hulp nodig bij het weer oppakken van het dagelijks leven.",
    "Moeite met structuur in de dag en het nakomen van afspraken.",
    "Dreigende huisuitzetting door huurachterstand en vervuiling van de woning.",
    "Mantelzorger raakt overbelast; cliënt heeft begeleiding nodig in de thuissituatie.",
    "Sociaal geïsoleerd, weinig contacten, somberheid.",
    "Wil zelfstandig gaan wonen en heeft hulp nodig bij het regelen daarvan.",
    "Spanningen in het gezin; hulp bij communicatie en rust in huis.",
]
REFERRALS = ["Sociaal wijkteam", "Maatschappelijk werk", "Schuldhulpmaatje", "Buurtkamer", "Vrijwilligerscentrale"]
GOALS = {
    "financien": "Heeft binnen zes maanden een geordende administratie en betaalt de vaste lasten zelf op tijd.",
    "huisvesting": "Houdt de woning schoon en leefbaar; er is geen huurachterstand meer.",
    "huiselijke-relaties": "Praat thuis rustig over spanningen; escalaties nemen af.",
    "geestelijke-gezondheid-verslaving": "Herkent signalen van terugval en neemt de medicatie trouw in.",
    "zelfzorg": "Zorgt dagelijks voor persoonlijke verzorging en gezonde maaltijden.",
    "sociaal-netwerk": "Heeft wekelijks contact met ten minste twee mensen uit het netwerk.",
    "dagbesteding-participatie": "Heeft een vaste dagstructuur en neemt twee dagdelen per week deel aan activiteiten.",
    "justitie": "Houdt zich aan de afspraken met de reclassering.",
}


@dataclass
class Reference:
    municipalities: list
    municipality_weights: list
    zrm_domains: list
    result_domains: list
    results_by_domain: dict
    subs_by_result: dict
    products: dict
    providers: list
    provider_weights: list
    consultants_by_municipality: dict


@dataclass
class DemoSummary:
    clients: int = 0
    meldingen: int = 0
    indications: int = 0
    evaluations: int = 0
    skipped: bool = False
    users: list = field(default_factory=list)


def ensure_demo_users() -> list[tuple[str, str]]:
    """The demo teams and logins, each in its role (idempotent; passwords reset to the documented ones)."""
    user_model = get_user_model()
    teams = {}
    for name, municipality_names in DEMO_TEAMS.items():
        teams[name], _created = Team.objects.get_or_create(name=f"Team {name}")
        teams[name].municipalities.set(Municipality.objects.filter(name__in=municipality_names))
    logins = []
    for username, password, first_name, last_name, role, team_names, staff in DEMO_USERS:
        user, _created = user_model.objects.get_or_create(username=username)
        user.first_name, user.last_name = first_name, last_name
        user.email = f"{username}@sdd.example.nl"
        user.is_staff = staff
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        user.teams.set([teams[name] for name in team_names])
        logins.append((username, password))
    return logins


def ensure_demo_providers(rng: random.Random) -> list[Provider]:
    """About 50 providers in the six reference groups (idempotent on the AGB-code)."""
    groups = {group.number: group for group in ReferenceGroup.objects.all()}
    providers = []
    serial = 0
    for number, count in PROVIDERS_PER_GROUP.items():
        prefix, names = PROVIDER_WORDS[number]
        for name in names[:count]:
            serial += 1
            agb_code = f"9803{serial:04d}"
            slug = name.lower().replace(" ", "")
            provider, _created = Provider.objects.get_or_create(
                agb_code=agb_code,
                defaults={
                    "name": f"{prefix} {name}",
                    "reference_group": groups[number],
                    "contact_email": f"zorgbemiddeling@{slug}.example.nl",
                    "contact_phone": f"078-{rng.randint(1000000, 9999999)}",
                },
            )
            providers.append(provider)
    return providers


def valid_bsns(start: int = 0) -> Iterator[str]:
    """Deterministic valid BSNs ("2" + seven digits + elfproef check digit)."""
    counter = start
    while True:
        digits = f"2{counter:07d}"
        counter += 1
        check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check <= 9:
            yield digits + str(check)


def _load_reference(providers: list[Provider]) -> Reference:
    user_model = get_user_model()
    municipalities = list(Municipality.objects.all())
    result_domains = list(ResultDomain.objects.prefetch_related("zrm_domains", "requires_any_of"))
    results_by_domain: dict = {}
    for result in IbResult.objects.all():
        results_by_domain.setdefault(result.domain_id, []).append(result)
    subs_by_result: dict = {}
    for sub in IbSubResult.objects.all():
        subs_by_result.setdefault(sub.result_id, []).append(sub)
    weights = {group: GROUP_WEIGHTS[group] / PROVIDERS_PER_GROUP[group] for group in GROUP_WEIGHTS}
    return Reference(
        municipalities=municipalities,
        municipality_weights=[POPULATION.get(m.name, 20_000) for m in municipalities],
        zrm_domains=list(ZrmDomain.objects.filter(is_active=True)),
        result_domains=[d for d in result_domains if d.pk in results_by_domain],
        results_by_domain=results_by_domain,
        subs_by_result=subs_by_result,
        products={p.code: p for p in Product.objects.all()},
        providers=providers,
        provider_weights=[weights[p.reference_group.number] for p in providers],
        consultants_by_municipality={
            municipality.pk: list(
                user_model.objects.filter(username__in=CONSULTANTS, teams__municipalities=municipality)
                .distinct()
                .order_by("username")
            )
            for municipality in municipalities
        },
    )


class _Chunk:
    """The rows of one chunk of clients, written table by table so foreign keys resolve."""

    def __init__(self):
        self.clients: list[Client] = []
        self.meldingen: list[Melding] = []
        self.intakes: list[Intake] = []
        self.conversations: list[Conversation] = []
        self.aanvragen: list[Aanvraag] = []
        self.assessments: list[ZrmAssessment] = []
        self.scores: list[tuple[ZrmAssessment, dict]] = []
        self.indication_levels: list[list[Indication]] = []
        self.results: list[tuple[Indication, IbResult, list, str]] = []
        self.status_changes: list[tuple[Indication, str, str, str]] = []
        self.evaluations: list[tuple[Indication, Evaluation, dict, str]] = []
        self.planned: list[tuple[Indication, date, Evaluation | None]] = []
        self.reviews: list[Review] = []

    def indications_at(self, level: int) -> list[Indication]:
        while len(self.indication_levels) <= level:
            self.indication_levels.append([])
        return self.indication_levels[level]


class DemoGenerator:
    def __init__(self, *, rng: random.Random, today: date, reference: Reference):
        self.rng = rng
        self.today = today
        self.ref = reference

    # -- people -------------------------------------------------------------------------------

    def _client(self, bsn: str, household: Client | None) -> Client:
        rng = self.rng
        gender = rng.choices(["V", "M", "X"], weights=[49, 49, 2])[0]
        prefix, last_name = rng.choice(LAST_NAMES)
        first_name = rng.choice(FIRST_NAMES[gender])
        age = rng.choices([rng.randint(18, 25), rng.randint(26, 45), rng.randint(46, 65), rng.randint(66, 90)],
                          weights=[15, 40, 35, 10])[0]
        born = self.today - timedelta(days=age * 365 + rng.randint(0, 364))
        if household is not None:  # a second client at the same address: a household
            municipality, street, number, postcode, city = (
                household.municipality, household.street, household.house_number, household.postcode,
                household.city,
            )
            prefix, last_name = household.name_prefix, household.last_name
        else:
            municipality = rng.choices(self.ref.municipalities, weights=self.ref.municipality_weights)[0]
            street = rng.choice(STREETS.get(municipality.name, ["Dorpsstraat"]))
            number = str(rng.randint(1, 250))
            letters = "ABCDEFGHJKLMNPRSTVWXZ"
            postcode = f"{POSTCODE_PREFIX.get(municipality.name, 3300) + rng.randint(0, 8)} " + "".join(
                rng.choice(letters) for _ in range(2)
            )
            city = municipality.name
        return Client(
            bsn=bsn,
            initials=f"{first_name[0]}.",
            first_name=first_name,
            name_prefix=prefix,
            last_name=last_name,
            date_of_birth=born,
            gender=gender,
            municipality=municipality,
            street=street,
            house_number=number,
            postcode=postcode,
            city=city,
            phone=f"06-{rng.randint(10000000, 99999999)}",
        )

    # -- a client's history -------------------------------------------------------------------

    def _first_melding_day(self) -> date:
        # The case load grew over the years (1,572 clients in 2015 → 2,720 in 2019): later years weigh more.
        span = (self.today - FIRST_DAY).days - 30
        return FIRST_DAY + timedelta(days=int(span * (self.rng.random() ** 0.8)))

    def _choose_result_domains(self) -> list[ResultDomain]:
        rng = self.rng
        plain = [d for d in self.ref.result_domains if not d.requires_any_of.all()]
        chosen = rng.sample(plain, k=rng.choices([1, 2, 3], weights=[35, 45, 20])[0])
        dependent = [d for d in self.ref.result_domains if d.requires_any_of.all()]
        for domain in dependent:  # justitie: only together with one of the domains it requires
            required = set(domain.requires_any_of.all())
            if rng.random() < 0.08:
                if not required & set(chosen):
                    chosen.append(rng.choice(list(required)))
                chosen.append(domain)
        return chosen

    def _zrm_scores(self, domains: list[ResultDomain], *, improve: int = 0) -> dict:
        """Scores that justify IB on the chosen domains: 2 or 3 there (1 where acute is allowed)."""
        rng = self.rng
        needy = {zrm.pk for domain in domains for zrm in domain.zrm_domains.all()}
        scores = {}
        for zrm in self.ref.zrm_domains:
            if zrm.pk in needy:
                score = 1 if zrm.allows_acute_score and rng.random() < 0.1 else rng.choice([2, 2, 3])
                score = min(3, score + improve) if improve and rng.random() < 0.5 else score
            else:
                score = rng.choice([4, 4, 4, 5])
            scores[zrm.pk] = score
        return scores

    def _product_code(self, start: date) -> str:
        codes, weights = ["IB1", "IB2", "IB3"], [50, 15, 35]
        if start >= IB0_FROM:
            codes.append("IB0")
            weights.append(6)
        return self.rng.choices(codes, weights=weights)[0]

    def _duration_days(self, product: Product) -> int | None:
        rng = self.rng
        if product.max_duration_weeks:
            return rng.randint(8, product.max_duration_weeks) * 7 - 1
        if product.code != "IB0" and rng.random() < 0.12:
            return None  # open-ended
        return rng.choice([26, 39, 52, 52, 78, 104]) * 7 - 1

    def build_history(self, chunk: _Chunk, client: Client) -> None:
        rng = self.rng
        # A few clients are new: their first melding came in over the last weeks (open work today).
        day = self.today - timedelta(days=rng.randint(1, 40)) if rng.random() < 0.03 else self._first_melding_day()
        trajectories = rng.choices([1, 2, 3], weights=[72, 23, 5])[0]
        for number in range(trajectories):
            if day > self.today - timedelta(days=1):
                break
            last = number == trajectories - 1
            day = self._trajectory(chunk, client, day, open_work=last)
            if day is None:
                break
            day += timedelta(days=rng.randint(30, 420))  # a heraanmelding after outflow

    def _trajectory(self, chunk: _Chunk, client: Client, melding_day: date, *, open_work: bool) -> date | None:
        """One melding → onderzoek → (aanvraag → beschikkingen); returns the day the support ended."""
        rng, today = self.rng, self.today
        consultant = rng.choice(self.ref.consultants_by_municipality[client.municipality_id])
        melding = Melding(
            client=client,
            received_on=melding_day,
            channel=rng.choices(["telefoon", "wijkteam", "huisarts", "aanbieder", "balie", "anders"],
                                weights=[35, 25, 15, 15, 7, 3])[0],
            question=rng.choice(QUESTIONS),
            consultant=consultant,
        )
        chunk.meldingen.append(melding)
        intake = Intake(melding=melding)
        chunk.intakes.append(intake)
        age = (today - melding_day).days
        conversation_day = melding_day + timedelta(days=rng.randint(3, 20))
        if conversation_day <= today:
            chunk.conversations.append(
                Conversation(
                    intake=intake,
                    held_on=conversation_day,
                    place=rng.choices(["thuis", "kantoor", "telefonisch"], weights=[75, 15, 10])[0],
                    participants=rng.choice([["client"], ["client", "mantelzorger"], ["client", "clientondersteuner"],
                                             ["client", "familie", "wijkteam"]]),
                    clientondersteuning_offered=True,
                    persoonlijk_plan_informed=rng.random() < 0.9,
                    need_notes=melding.question,
                    own_strength_notes="Cliënt is gemotiveerd maar krijgt het niet alleen georganiseerd.",
                    network_notes=rng.choice(["Klein netwerk: een zus op afstand.", "Buurvrouw helpt af en toe.",
                                              "Geen netwerk van betekenis."]),
                )
            )
        if conversation_day > today:
            return None  # the onderzoek has only just started
        domains = self._choose_result_domains()
        assessment = ZrmAssessment(client=client, assessed_on=conversation_day, assessed_by=consultant, intake=intake)
        chunk.assessments.append(assessment)
        chunk.scores.append((assessment, self._zrm_scores(domains)))

        # Open work for the worklist: recent meldingen are still in onderzoek, or waiting for a beschikking.
        if open_work and age < 45:
            stage = rng.choices(["onderzoek", "aanvraag", "concept", "done"], weights=[45, 20, 20, 15])[0]
            if stage == "onderzoek":
                return None
        else:
            stage = "done"
        concluded_on = min(conversation_day + timedelta(days=rng.randint(1, 21)), today)
        if rng.random() < 0.06 and age > 49:
            # A delayed onderzoek: concluded after the 6-week deadline.
            concluded_on = min(melding_day + timedelta(days=rng.randint(43, 60)), today)
        referral_weight = 30 if age < 120 else 12  # recent referrals put nazorg calls on the worklist
        conclusion = rng.choices(
            ["maatwerkvoorziening", "algemene_voorziening", "andere_wet", "eigen_kracht"],
            weights=[80, referral_weight, referral_weight // 2, 5],
        )[0] if stage == "done" else "maatwerkvoorziening"
        intake.conclusion = conclusion
        intake.concluded_on = concluded_on
        intake.report = f"Verslag van het onderzoek naar aanleiding van de melding: {melding.question}"
        intake.report_sent_on = min(concluded_on + timedelta(days=rng.randint(1, 5)), today)
        if conclusion == "algemene_voorziening":
            intake.referral_provision = rng.choice(REFERRALS)
        if conclusion == "andere_wet":
            intake.other_law = rng.choice(["zvw", "wlz", "jeugdwet"])
        if conclusion in Intake.REFERRAL_CONCLUSIONS:
            intake.nazorg_due_on = concluded_on + timedelta(days=42)
            if intake.nazorg_due_on < today - timedelta(days=21) or rng.random() < 0.2:
                intake.nazorg_done_on = min(intake.nazorg_due_on + timedelta(days=rng.randint(0, 7)), today)
                intake.nazorg_notes = rng.choice(["De verwijzing werkt.", "Cliënt gaat er wekelijks heen.",
                                                  "Loopt nog niet; opnieuw contact gelegd."])
        if conclusion != "maatwerkvoorziening":
            return concluded_on

        aanvraag_day = min(concluded_on + timedelta(days=rng.randint(0, 5)), today)
        aanvraag = Aanvraag(client=client, intake=intake, received_on=aanvraag_day, consultant=consultant)
        chunk.aanvragen.append(aanvraag)
        if stage == "aanvraag":
            return None
        late = rng.random() < 0.07
        decision = aanvraag_day + timedelta(days=rng.randint(15, 30) if late else rng.randint(2, 13))
        if stage == "concept" or decision > today:
            product = self.ref.products[self._product_code(aanvraag_day)]
            start = today + timedelta(days=rng.randint(3, 21))
            in_review = rng.random() < 0.35  # a complex IB3 concept waiting for a team lead
            if in_review:
                product = self.ref.products["IB3"]
            indication = self._indication(chunk, 0, client, aanvraag, product, start, consultant, domains,
                                          status=S.TER_BEOORDELING if in_review else S.CONCEPT, decision=None)
            if in_review:
                indication.four_eyes_required = True
                submitted = timezone.now() - timedelta(days=rng.randint(0, 9), hours=rng.randint(0, 8))
                chunk.reviews.append(Review(
                    indication=indication, submitted_by=consultant, submitted_at=submitted,
                    findings=[{"code": "product", "rule": "Product IB3 zwaar", "reason": f"Product {product.name}."}],
                ))
            return None
        return self._chain(chunk, client, aanvraag, decision, consultant, domains)

    def _chain(self, chunk, client, aanvraag, decision, consultant, domains) -> date | None:
        """A first beschikking and its follow-ups (herindicatie, afschaling, opschaling), back to back."""
        rng, today = self.rng, self.today
        start = decision + timedelta(days=rng.randint(0, 14))
        product = self.ref.products[self._product_code(start)]
        previous = None
        kind = Indication.Kind.FIRST
        for level in range(4):
            indication = self._indication(chunk, level, client, aanvraag if level == 0 else None, product, start,
                                          consultant, domains, status=None, decision=decision, replaces=previous,
                                          kind=kind)
            end = indication.end_date
            if end is None or end >= today or rng.random() < 0.5 or indication.status == S.INGETROKKEN:
                return None if end is None or end >= today else end
            # A follow-up starts the day after: afschaling, opschaling or herindicatie on the same product.
            levels = sorted(self.ref.products.values(), key=lambda p: p.level)
            follow = rng.choices(["herindicatie", "afschaling", "opschaling"], weights=[45, 40, 15])[0]
            lighter = [p for p in levels if p.level < product.level and (p.code != "IB0" or end >= IB0_FROM)]
            heavier = [p for p in levels if p.level > product.level and p.code != "IB0"]
            if follow == "afschaling" and lighter:
                product, kind = lighter[-1], Indication.Kind.AFSCHALING
            elif follow == "opschaling" and heavier:
                product, kind = heavier[0], Indication.Kind.OPSCHALING
            elif product.max_duration_weeks:  # IB2 is never simply extended
                product, kind = self.ref.products["IB1"], Indication.Kind.AFSCHALING
            else:
                kind = Indication.Kind.HERINDICATIE
            previous = indication
            decision = max(end - timedelta(days=rng.randint(7, 28)), indication.start_date + timedelta(days=2))
            start = end + timedelta(days=1)
        return previous.end_date if previous else None

    def _indication(self, chunk, level, client, aanvraag, product, start, consultant, domains, *, status,
                    decision, replaces=None, kind=Indication.Kind.FIRST) -> Indication:
        rng, today = self.rng, self.today
        duration = self._duration_days(product)
        end = start + timedelta(days=duration) if duration else None
        if status is None:
            if rng.random() < 0.015:
                status = S.INGETROKKEN
            elif end is not None and end < today:
                status = S.BEEINDIGD
            elif start <= today:
                status = S.ACTIEF
            else:
                status = S.VASTGESTELD
        opslag = product.allows_opslag and rng.random() < 0.12
        indication = Indication(
            client=client,
            aanvraag=aanvraag,
            kind=kind,
            replaces=replaces,
            product=product,
            opslag=opslag,
            opslag_motivation="Ernstige gedragsproblematiek (NAH); intensievere begeleiding nodig." if opslag else "",
            start_date=start,
            end_date=end,
            provider=rng.choices(self.ref.providers, weights=self.ref.provider_weights)[0],
            status=status,
            decision_date=decision,
            consultant=consultant,
            ended_on=end if status == S.BEEINDIGD else None,
            status_reason="Bezwaar gegrond verklaard" if status == S.INGETROKKEN else "",
        )
        chunk.indications_at(level).append(indication)
        for domain in domains:
            result = rng.choice(self.ref.results_by_domain[domain.pk])
            subs = self.ref.subs_by_result.get(result.pk, [])
            chunk.results.append((indication, result, rng.sample(subs, k=min(len(subs), rng.randint(1, 3))),
                                  GOALS.get(domain.code, "Werkt zelfstandig aan het doel.")))
        path = {
            S.CONCEPT: [],
            S.TER_BEOORDELING: [S.TER_BEOORDELING],
            S.VASTGESTELD: [S.VASTGESTELD],
            S.ACTIEF: [S.VASTGESTELD, S.ACTIEF],
            S.BEEINDIGD: [S.VASTGESTELD, S.ACTIEF, S.BEEINDIGD],
            S.INGETROKKEN: [S.VASTGESTELD, S.INGETROKKEN],
        }[status]
        previous = S.CONCEPT
        for target in path:
            reason = {S.ACTIEF: "Ingangsdatum bereikt", S.BEEINDIGD: "Einddatum verstreken",
                      S.INGETROKKEN: "Bezwaar gegrond verklaard"}.get(target, "")
            chunk.status_changes.append((indication, previous, target, reason))
            previous = target
        self._evaluations(chunk, indication, domains)
        return indication

    def _evaluations(self, chunk, indication: Indication, domains) -> None:
        """Planned evaluations 13 weeks after the start and then every half year; held ones recorded."""
        rng, today = self.rng, self.today
        last_day = indication.end_date or (indication.start_date + timedelta(days=3 * 365))
        planned_on = indication.start_date + timedelta(weeks=13)
        if planned_on > last_day:
            planned_on = indication.start_date + (last_day - indication.start_date) // 2
        live = indication.status in (S.ACTIEF, S.BEEINDIGD)
        while planned_on <= last_day:
            evaluation = None
            held_on = planned_on + timedelta(days=rng.randint(-7, 10))
            overdue_allowed = (today - planned_on).days < 60 and rng.random() < 0.3
            if live and held_on < today and (indication.status == S.BEEINDIGD or not overdue_allowed):
                evaluation = Evaluation(
                    indication=indication,
                    held_on=held_on,
                    consultant=indication.consultant,
                    outcome=rng.choices(["voortzetten", "afschalen", "herindicatie", "beeindigen"],
                                        weights=[70, 12, 12, 6])[0],
                    notes="Voortgang besproken met cliënt en aanbieder.",
                )
                chunk.evaluations.append((indication, evaluation, self._zrm_scores(domains, improve=1),
                                          rng.choices(["behaald", "deels", "niet_behaald"], weights=[35, 45, 20])[0]))
            chunk.planned.append((indication, planned_on, evaluation))
            if indication.status in (S.CONCEPT, S.TER_BEOORDELING, S.INGETROKKEN):
                break
            planned_on += timedelta(weeks=26)

    # -- writing ------------------------------------------------------------------------------

    def write(self, chunk: _Chunk) -> None:
        Client.objects.bulk_create(chunk.clients)
        for melding in chunk.meldingen:
            melding.client_id = melding.client.pk
        Melding.objects.bulk_create(chunk.meldingen)
        for intake in chunk.intakes:
            intake.melding_id = intake.melding.pk
        Intake.objects.bulk_create(chunk.intakes)
        for conversation in chunk.conversations:
            conversation.intake_id = conversation.intake.pk
        Conversation.objects.bulk_create(chunk.conversations)
        for aanvraag in chunk.aanvragen:
            aanvraag.client_id, aanvraag.intake_id = aanvraag.client.pk, aanvraag.intake.pk
        Aanvraag.objects.bulk_create(chunk.aanvragen)

        for level in chunk.indication_levels:
            for indication in level:
                indication.client_id = indication.client.pk
                indication.aanvraag_id = indication.aanvraag.pk if indication.aanvraag else None
                indication.replaces_id = indication.replaces.pk if indication.replaces else None
            Indication.objects.bulk_create(level)
        numbered = [i for level in chunk.indication_levels for i in level if i.decision_date]
        for indication in numbered:
            indication.number = f"IB-{indication.decision_date.year}-{indication.pk:07d}"
        Indication.objects.bulk_update(numbered, ["number"], batch_size=2000)

        results = []
        for indication, result, _subs, goal in chunk.results:
            results.append(IndicationResult(indication_id=indication.pk, result=result, goal=goal))
        IndicationResult.objects.bulk_create(results)
        through = IndicationResult.sub_results.through
        through.objects.bulk_create(
            through(indicationresult_id=row.pk, ibsubresult_id=sub.pk)
            for row, (_i, _r, subs, _g) in zip(results, chunk.results, strict=True)
            for sub in subs
        )
        IndicationStatusChange.objects.bulk_create(
            IndicationStatusChange(indication_id=indication.pk, from_status=source, to_status=target,
                                   by=indication.consultant, reason=reason)
            for indication, source, target, reason in chunk.status_changes
        )
        for review in chunk.reviews:
            review.indication_id = review.indication.pk
        Review.objects.bulk_create(chunk.reviews)

        for indication, evaluation, _scores, _progress in chunk.evaluations:
            evaluation.indication_id = indication.pk
        Evaluation.objects.bulk_create([evaluation for _i, evaluation, _s, _p in chunk.evaluations])
        results_by_indication: dict = {}
        for row in results:
            results_by_indication.setdefault(row.indication_id, []).append(row)
        ResultProgress.objects.bulk_create(
            ResultProgress(evaluation_id=evaluation.pk, indication_result_id=row.pk, progress=progress)
            for indication, evaluation, _s, progress in chunk.evaluations
            for row in results_by_indication.get(indication.pk, [])
        )
        for indication, evaluation, scores, _p in chunk.evaluations:
            assessment = ZrmAssessment(client_id=indication.client_id, assessed_on=evaluation.held_on,
                                       assessed_by=evaluation.consultant, evaluation_id=evaluation.pk)
            chunk.assessments.append(assessment)
            chunk.scores.append((assessment, scores))
        PlannedEvaluation.objects.bulk_create(
            PlannedEvaluation(indication_id=indication.pk, planned_on=planned_on,
                              evaluation_id=evaluation.pk if evaluation else None)
            for indication, planned_on, evaluation in chunk.planned
        )

        for assessment in chunk.assessments:
            assessment.client_id = assessment.client_id or assessment.client.pk
            if assessment.intake is not None:
                assessment.intake_id = assessment.intake.pk
        ZrmAssessment.objects.bulk_create(chunk.assessments)
        ZrmScore.objects.bulk_create(
            (ZrmScore(assessment_id=assessment.pk, domain_id=domain_pk, score=score)
             for assessment, scores in chunk.scores for domain_pk, score in scores.items()),
            batch_size=5000,
        )


def reset_demo_case_data() -> None:
    """Remove all case data (not reference data, users or providers). Audit events stay: they are
    append-only by design."""
    ZrmScore.objects.all().delete()
    ZrmAssessment.objects.all().delete()
    ReviewQuestion.objects.all().delete()
    Review.objects.all().delete()
    OtherProvision.objects.all().delete()
    ResultProgress.objects.all().delete()
    PlannedEvaluation.objects.all().delete()
    Evaluation.objects.all().delete()
    IndicationStatusChange.objects.all().delete()
    IndicationResult.objects.all().delete()
    Indication.objects.update(replaces=None)
    Indication.objects.all().delete()
    Aanvraag.objects.all().delete()
    Conversation.objects.all().delete()
    Intake.objects.all().delete()
    Melding.objects.all().delete()
    Client.objects.all().delete()


def generate_demo(
    *,
    clients: int,
    today: date,
    seed: int = 2026,
    progress: Callable[[int], None] | None = None,
) -> DemoSummary:
    """Top the case load up to `clients` clients (idempotent: nothing happens when they exist)."""
    rng = random.Random(seed)
    summary = DemoSummary(users=ensure_demo_users())
    providers = ensure_demo_providers(rng)
    existing = Client.objects.count()
    if existing >= clients:
        summary.skipped = True
        summary.clients = existing
        return summary
    rng.seed(f"{seed}-{existing}")
    reference = _load_reference(providers)
    generator = DemoGenerator(rng=rng, today=today, reference=reference)
    taken = set(Client.objects.values_list("bsn", flat=True))
    bsns = (bsn for bsn in valid_bsns() if bsn not in taken)
    to_make = clients - existing
    while to_make > 0:
        size = min(CHUNK, to_make)
        chunk = _Chunk()
        for _ in range(size):
            household = chunk.clients[-1] if chunk.clients and rng.random() < 0.06 else None
            client = generator._client(next(bsns), household)
            chunk.clients.append(client)
            generator.build_history(chunk, client)
        with transaction.atomic():
            generator.write(chunk)
        summary.clients += size
        summary.meldingen += len(chunk.meldingen)
        summary.indications += sum(len(level) for level in chunk.indication_levels)
        summary.evaluations += len(chunk.evaluations)
        to_make -= size
        if progress:
            progress(size)
    return summary
