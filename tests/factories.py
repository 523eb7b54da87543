"""factory-boy factories with realistic defaults. Reference data (municipalities, ZRM domains,
result areas, products, tariffs) comes from the data migration and is looked up, never created."""

from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Team
from accounts.roles import CONSULENT, TEAMLEIDER
from indications.models import (
    Aanvraag,
    Client,
    IbResult,
    Indication,
    IndicationResult,
    IndicationStatus,
    Intake,
    Melding,
    Municipality,
    PlannedEvaluation,
    Product,
    ZrmAssessment,
    ZrmDomain,
    ZrmScore,
)
from indications.services import issue_beschikking
from providers.models import Assignment, Contract, Provider, ReferenceGroup

TODAY = date(2026, 11, 23)


def bsn_for(number: int) -> str:
    """A valid BSN for a counter: "3", seven digits, then the elfproef check digit."""
    while True:
        digits = f"3{number:07d}"
        check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check <= 9:
            return digits + str(check)
        number += 1_000_000


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"medewerker{n}")
    first_name = factory.Iterator(["Fatima", "Joost", "Marieke", "Ruud"])
    last_name = factory.Iterator(["El Amrani", "van der Linden", "Verbeek", "Hoogendoorn"])
    password = factory.django.Password("Test-wachtwoord-2026")


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Stichting Begeleiding {n}")
    agb_code = factory.Sequence(lambda n: f"{98000000 + n:08d}")
    reference_group = factory.LazyFunction(lambda: ReferenceGroup.objects.get(number=1))


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    bsn = factory.Sequence(bsn_for)
    initials = "J."
    first_name = "Jan"
    last_name = factory.Sequence(lambda n: f"Jansen{n}")
    date_of_birth = date(1975, 5, 17)
    gender = Client.Gender.MALE
    municipality = factory.LazyFunction(lambda: Municipality.objects.get(name="Dordrecht"))
    street = "Voorstraat"
    house_number = "1"
    postcode = "3311 AA"
    city = "Dordrecht"


class MeldingFactory(factory.django.DjangoModelFactory):
    """A melding with its (open) onderzoek, as register_melding makes them."""

    class Meta:
        model = Melding
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    received_on = TODAY - timedelta(days=20)
    channel = Melding.Channel.TELEFOON
    question = "Hulp bij de administratie"
    consultant = factory.SubFactory(UserFactory)
    intake = factory.RelatedFactory("tests.factories.IntakeFactory", factory_related_name="melding")


class IntakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intake

    melding = factory.SubFactory(MeldingFactory, intake=None)

    class Params:
        maatwerk = factory.Trait(
            conclusion=Intake.Conclusion.MAATWERK,
            concluded_on=factory.LazyAttribute(lambda o: o.melding.received_on + timedelta(days=10)),
            report="Verslag van het onderzoek.",
        )


class ZrmAssessmentFactory(factory.django.DjangoModelFactory):
    """A ZRM with scores given per domain code: ZrmAssessmentFactory(scores={"financien": 2}).
    Domains not named score 4 (voldoende zelfredzaam)."""

    class Meta:
        model = ZrmAssessment
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    assessed_on = TODAY - timedelta(days=15)
    assessed_by = factory.SubFactory(UserFactory)
    intake = factory.LazyAttribute(lambda o: IntakeFactory(melding__client=o.client))

    @factory.post_generation
    def scores(self, create, extracted, **kwargs):
        given = extracted or {}
        ZrmScore.objects.bulk_create(
            ZrmScore(assessment=self, domain=domain, score=given.get(domain.code, 4))
            for domain in ZrmDomain.objects.all()
            if given.get(domain.code, 4) is not None
        )


class AanvraagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Aanvraag

    client = factory.SubFactory(ClientFactory)
    received_on = TODAY - timedelta(days=7)
    consultant = factory.SubFactory(UserFactory)


def result_in(domain_code: str) -> IbResult:
    return IbResult.objects.filter(domain__code=domain_code).order_by("pk").first()


class IndicationFactory(factory.django.DjangoModelFactory):
    """A concept IB1 indication: start in a week, one year, one planned evaluation and results in the
    domains named in `results` (default financiën). Traits: vastgesteld, actief, beeindigd."""

    class Meta:
        model = Indication
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    aanvraag = factory.SubFactory(AanvraagFactory, client=factory.SelfAttribute("..client"))
    product = factory.LazyFunction(lambda: Product.objects.get(code="IB1"))
    start_date = TODAY + timedelta(days=7)
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=364) if o.start_date else None)
    consultant = factory.SubFactory(UserFactory)
    status = IndicationStatus.CONCEPT

    class Params:
        vastgesteld = factory.Trait(
            status=IndicationStatus.VASTGESTELD,
            decision_date=TODAY - timedelta(days=1),
            number=factory.Sequence(lambda n: f"IB-TEST-{n:07d}"),
        )
        actief = factory.Trait(
            status=IndicationStatus.ACTIEF,
            start_date=TODAY - timedelta(days=30),
            decision_date=TODAY - timedelta(days=35),
            number=factory.Sequence(lambda n: f"IB-TEST-A{n:06d}"),
        )
        beeindigd = factory.Trait(
            status=IndicationStatus.BEEINDIGD,
            start_date=TODAY - timedelta(days=400),
            end_date=TODAY - timedelta(days=36),
            ended_on=TODAY - timedelta(days=36),
            decision_date=TODAY - timedelta(days=405),
            number=factory.Sequence(lambda n: f"IB-TEST-B{n:06d}"),
        )

    @factory.post_generation
    def results(self, create, extracted, **kwargs):
        for code in ["financien"] if extracted is None else extracted:
            IndicationResult.objects.create(indication=self, result=result_in(code), goal=f"Doel op {code}")

    @factory.post_generation
    def evaluations(self, create, extracted, **kwargs):
        dates = [self.start_date + timedelta(days=91)] if extracted is None else extracted
        PlannedEvaluation.objects.bulk_create(PlannedEvaluation(indication=self, planned_on=day) for day in dates)


class TeamFactory(factory.django.DjangoModelFactory):
    """A team working for Dordrecht unless other municipality names are given."""

    class Meta:
        model = Team
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        self.municipalities.set(Municipality.objects.filter(name__in=extracted or ["Dordrecht"]))


def staff_member(role: str, *, team: Team | None = None, **fields):
    """A user in one of the roles of accounts.roles, member of `team` (default: a Dordrecht team)."""
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=role))
    if role in (CONSULENT, TEAMLEIDER):
        (team or TeamFactory(name="Team Dordrecht")).members.add(user)
    return user


def contracted_provider(**fields) -> Provider:
    """A provider with a contract for every IB product since 2016."""
    provider = ProviderFactory(**fields)
    contract = Contract.objects.create(provider=provider, valid_from=date(2016, 1, 1))
    contract.products.set(Product.objects.all())
    return provider


def issued_assignment(provider, consultant, *, product="IB1", days_ago=20) -> Assignment:
    """A beschikking vastgesteld through the services: its toewijzing goes to `provider`."""
    today = timezone.localdate()
    client = ZrmAssessmentFactory(scores={"financien": 2}, assessed_on=today - timedelta(days=days_ago + 10)).client
    indication = IndicationFactory(
        client=client, consultant=consultant, provider=provider, product=Product.objects.get(code=product),
        start_date=today - timedelta(days=days_ago), end_date=today + timedelta(days=200),
        aanvraag__received_on=today - timedelta(days=days_ago + 5),
    )
    issue_beschikking(indication, by=consultant, today=today,
                                          decision_date=today - timedelta(days=days_ago + 2))
    return Assignment.objects.get(indication=indication)
