"""factory-boy factories with realistic defaults: valid BSNs, clients in Dordrecht each at an address of
their own, dates relative to the fixed TODAY (or to a `today` passed in), and traits for states
(IndicationFactory(actief=True), IndicationFactory(afgewezen=True), IntakeFactory(maatwerk=True),
AssignmentFactory(gestopt=True), ReviewFactory(afgekeurd=True), ChangeRequestFactory(toegekend=True),
CareEventFactory(stop=True), SignalFactory(opgelost=True)).

Reference data (municipalities, ZRM domains, result areas, products, tariffs, reference groups)
comes from the data migrations and is looked up here, never created."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Team
from accounts.roles import CONSULENT, TEAMLEIDER
from indications.models import (
    Aanvraag,
    Client,
    Conversation,
    EigenBijdrageExemption,
    EigenBijdrageRule,
    Evaluation,
    IbResult,
    Indication,
    IndicationResult,
    IndicationStatus,
    Intake,
    Melding,
    Municipality,
    PgbBudget,
    PgbTariff,
    PlannedEvaluation,
    Product,
    ResultDomain,
    Review,
    ZrmAssessment,
    ZrmDomain,
    ZrmScore,
)
from indications.services import issue_beschikking
from iwmo.models import IncomingMessage, OutgoingMessage
from providers.codes import RedenBeeindiging
from providers.models import (
    Assignment,
    CareEvent,
    ChangeRequest,
    Contract,
    Provider,
    ReferenceGroup,
    SupportPlan,
    SupportPlanPart,
)
from signals.models import Signal, SignalStatus, SignalType, Urgency

# The tests' "today": services get it injected, factories place their dates around it.
TODAY = date(2026, 11, 23)

ELFPROEF_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


# --------------------------------------------------------------------------------------------
# BSN
# --------------------------------------------------------------------------------------------


def bsn_for(number: int) -> str:
    """The valid BSN for a sequence number 0..999999: "3", the number in six digits, a free digit
    and the elfproef check digit. Different numbers never give the same BSN.

    The free digit (weight 2) is 0, or 1 where 0 would need the impossible check digit 10."""
    if not 0 <= number <= 999_999:
        raise ValueError("bsn_for covers sequence numbers 0..999999")
    head = f"3{number:06d}"
    partial = sum(int(digit) * weight for digit, weight in zip(head, ELFPROEF_WEIGHTS, strict=False))
    free = 1 if partial % 11 == 10 else 0
    check = (partial + 2 * free) % 11
    return f"{head}{free}{check}"


# --------------------------------------------------------------------------------------------
# Reference data from the data migrations
# --------------------------------------------------------------------------------------------


def get_product(code: str) -> Product:
    return Product.objects.get(code=code)


def get_zrm_domain(code: str) -> ZrmDomain:
    return ZrmDomain.objects.get(code=code)


def get_result_domain(code: str) -> ResultDomain:
    return ResultDomain.objects.get(code=code)


def result_in(domain_code: str) -> IbResult:
    """The IB result of a result area (each area of seed 002 has one result with its sub-results)."""
    return IbResult.objects.filter(domain__code=domain_code).order_by("pk").first()


def get_municipality(name: str = "Dordrecht") -> Municipality:
    return Municipality.objects.get(name=name)


# --------------------------------------------------------------------------------------------
# People and organisations
# --------------------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"medewerker{n}")
    first_name = factory.Iterator(["Fatima", "Joost", "Marieke", "Ruud"])
    last_name = factory.Iterator(["El Amrani", "van der Linden", "Verbeek", "Hoogendoorn"])
    email = factory.LazyAttribute(lambda o: f"{o.username}@sdd.example.nl")
    password = factory.django.Password("Test-wachtwoord-2026")


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


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Stichting Begeleiding {n}")
    agb_code = factory.Sequence(lambda n: f"{98000000 + n:08d}")
    reference_group = factory.LazyFunction(lambda: ReferenceGroup.objects.get(number=1))
    contact_email = "toewijzingen@aanbieder.example.nl"


def contracted_provider(**fields) -> Provider:
    """A provider with a contract for every IB product since 2016."""
    provider = ProviderFactory(**fields)
    contract = Contract.objects.create(provider=provider, valid_from=date(2016, 1, 1))
    contract.products.set(Product.objects.all())
    return provider


# --------------------------------------------------------------------------------------------
# The case: client, melding, onderzoek, ZRM, aanvraag
# --------------------------------------------------------------------------------------------


class ClientFactory(factory.django.DjangoModelFactory):
    """A client in Dordrecht (the municipality of the test teams) with a valid BSN, at an address of
    their own: Voorstraat 1000, 1001, ... in 3311 AA, above the house numbers tests choose, so two
    clients form a household only when a test gives them the same house number (and postcode)."""

    class Meta:
        model = Client

    bsn = factory.Sequence(bsn_for)
    initials = "J."
    first_name = "Jan"
    last_name = factory.Sequence(lambda n: f"Jansen{n}")
    date_of_birth = date(1975, 5, 17)
    gender = Client.Gender.MALE
    municipality = factory.LazyFunction(get_municipality)
    street = "Voorstraat"
    house_number = factory.Sequence(lambda n: str(1000 + n))
    postcode = "3311 AA"
    city = "Dordrecht"


class MeldingFactory(factory.django.DjangoModelFactory):
    """A melding with its (open) onderzoek, as register_melding makes them."""

    class Meta:
        model = Melding
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    received_on = TODAY - timedelta(days=20)
    channel = Melding.Channel.PHONE
    question = "Hulp bij de administratie"
    consultant = factory.SubFactory(UserFactory)
    intake = factory.RelatedFactory("tests.factories.IntakeFactory", factory_related_name="melding")


class IntakeFactory(factory.django.DjangoModelFactory):
    """An open onderzoek. Traits: maatwerk (concluded: maatwerkvoorziening, so an aanvraag may
    follow) and referred (concluded: algemene voorziening, nazorg planned 6 weeks later)."""

    class Meta:
        model = Intake

    melding = factory.SubFactory(MeldingFactory, intake=None)

    class Params:
        maatwerk = factory.Trait(
            conclusion=Intake.Conclusion.MAATWERK,
            concluded_on=factory.LazyAttribute(lambda o: o.melding.received_on + timedelta(days=10)),
            report="Verslag van het onderzoek.",
        )
        referred = factory.Trait(
            conclusion=Intake.Conclusion.ALGEMENE_VOORZIENING,
            referral_provision="Sociaal wijkteam",
            concluded_on=factory.LazyAttribute(lambda o: o.melding.received_on + timedelta(days=10)),
            nazorg_due_on=factory.LazyAttribute(lambda o: o.concluded_on + timedelta(days=42)),
            report="Verslag van het onderzoek.",
        )


class ConversationFactory(factory.django.DjangoModelFactory):
    """A keukentafelgesprek at home with the client, a few days after the melding."""

    class Meta:
        model = Conversation

    intake = factory.SubFactory(IntakeFactory)
    held_on = factory.LazyAttribute(lambda o: o.intake.melding.received_on + timedelta(days=5))
    place = Conversation.Place.HOME
    participants = factory.LazyFunction(lambda: [Conversation.Participant.CLIENT])
    clientondersteuning_offered = True
    persoonlijk_plan_informed = True
    need_notes = "Loopt vast in de administratie; post blijft ongeopend liggen."


class MantelzorgerFactory(factory.django.DjangoModelFactory):
    """The client's partner, living in, doing the household and supervision 20 hours a week,
    somewhat loaded, nothing offered. Trait: overbelast (overloaded, nothing offered yet)."""

    class Meta:
        model = "indications.Mantelzorger"

    intake = factory.SubFactory(IntakeFactory)
    name = "Joke"
    relation = "partner"
    tasks = factory.LazyFunction(lambda: ["huishouden", "begeleiding"])
    hours_per_week = 20
    load = "enigszins"
    lives_with_client = True
    recorded_by = factory.SubFactory(UserFactory)

    class Params:
        overbelast = factory.Trait(load="overbelast", hours_per_week=35)


def set_zrm_scores(assessment: ZrmAssessment, scores: dict[str, int | None]) -> ZrmAssessment:
    """Set the assessment's scores per ZRM domain code; None removes the domain's score."""
    for code, score in scores.items():
        domain = get_zrm_domain(code)
        if score is None:
            ZrmScore.objects.filter(assessment=assessment, domain=domain).delete()
        else:
            ZrmScore.objects.update_or_create(assessment=assessment, domain=domain, defaults={"score": score})
    return assessment


class ZrmAssessmentFactory(factory.django.DjangoModelFactory):
    """A ZRM from an onderzoek with scores per domain code: ZrmAssessmentFactory(scores={"financien": 2}).
    Domains not named score 4 (voldoende zelfredzaam); a domain named with None is not scored."""

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
    """An aanvraag a week before TODAY (the beschikking is due in another week)."""

    class Meta:
        model = Aanvraag

    client = factory.SubFactory(ClientFactory)
    received_on = TODAY - timedelta(days=7)
    consultant = factory.SubFactory(UserFactory)


# --------------------------------------------------------------------------------------------
# Indication / beschikking and evaluation
# --------------------------------------------------------------------------------------------


class EigenBijdrageExemptionFactory(factory.django.DjangoModelFactory):
    """An exemption of clients younger than 21 (the data migration's is under 18)."""

    class Meta:
        model = EigenBijdrageExemption

    code = factory.Sequence(lambda n: f"vrijstelling-{n}")
    name = "cliënt jonger dan 21 jaar"
    rule = EigenBijdrageExemption.Rule.AGE_BELOW
    age = 21


class EigenBijdrageRuleFactory(factory.django.DjangoModelFactory):
    """A year without eigen bijdrage long before the data migration's periods (1951, 1952, ...).
    Trait: due (abonnementstarief EUR 19 per month)."""

    class Meta:
        model = EigenBijdrageRule
        skip_postgeneration_save = True

    valid_from = factory.Sequence(lambda n: date(1951 + n, 1, 1))
    valid_until = factory.LazyAttribute(lambda o: date(o.valid_from.year, 12, 31) if o.valid_from else None)
    is_due = False

    class Params:
        due = factory.Trait(is_due=True, amount_per_month=Decimal("19.00"))

    @factory.post_generation
    def exemptions(self, create, extracted, **kwargs):
        if extracted:
            self.exemptions.set(extracted)


class IndicationFactory(factory.django.DjangoModelFactory):
    """A concept IB1 indication: start in a week, 52 weeks, one planned evaluation after 13 weeks and
    a result in each area named in `results` (default financiën). Traits: vastgesteld, actief,
    beeindigd, ingetrokken (rows as the services leave them, without their history)."""

    class Meta:
        model = Indication
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    # The aanvraag comes before the start (a week before TODAY, or before an earlier start).
    aanvraag = factory.SubFactory(
        AanvraagFactory,
        client=factory.SelfAttribute("..client"),
        received_on=factory.LazyAttribute(
            lambda o: min(TODAY - timedelta(days=7), o.factory_parent.start_date - timedelta(days=7))
        ),
    )
    product = factory.LazyFunction(lambda: get_product("IB1"))
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
        ingetrokken = factory.Trait(status=IndicationStatus.INGETROKKEN, status_reason="Aanvraag ingetrokken")
        # An afwijzing as the vaststelling leaves it (pass results=[] and evaluations=[]: it has none).
        afgewezen = factory.Trait(
            status=IndicationStatus.AFGEWEZEN,
            outcome=Indication.Outcome.AFWIJZING,
            refusal_ground=Indication.RefusalGround.ALGEMENE_VOORZIENING,
            refusal_motivation="Het sociaal wijkteam biedt de ondersteuning die nodig is.",
            provider=None,
            end_date=None,
            decision_date=TODAY - timedelta(days=1),
            number=factory.Sequence(lambda n: f"IB-TEST-R{n:06d}"),
        )

    @factory.post_generation
    def results(self, create, extracted, **kwargs):
        for code in ["financien"] if extracted is None else extracted:
            IndicationResult.objects.create(indication=self, result=result_in(code), goal=f"Doel op {code}")

    @factory.post_generation
    def evaluations(self, create, extracted, **kwargs):
        dates = [self.start_date + timedelta(days=91)] if extracted is None else extracted
        PlannedEvaluation.objects.bulk_create(PlannedEvaluation(indication=self, planned_on=day) for day in dates)


class PgbBudgetFactory(factory.django.DjangoModelFactory):
    """The pgb of a pgb beschikking as it stands when it may be vastgesteld: the client is the
    budgetholder, the budget plan is in and the three conditions of art. 2.3.6 lid 2 are met."""

    class Meta:
        model = PgbBudget

    indication = factory.SubFactory(IndicationFactory, delivery_form="pgb")
    budget_plan_received_on = factory.LazyAttribute(lambda o: o.indication.start_date - timedelta(days=3))
    able_to_manage = True
    motivated = True
    quality_plausible = True


class PgbTariffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PgbTariff

    product = factory.LazyFunction(lambda: get_product("IB1"))
    valid_from = date(2030, 1, 1)
    amount_per_period = Decimal("300.00")


def _at_noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


class ReviewFactory(factory.django.DjangoModelFactory):
    """An open four-eyes review of an indication ter beoordeling, submitted two days before TODAY.
    Traits: goedgekeurd and afgekeurd (decided by another user the day after, with the indication's
    status as the review services leave it; afgekeurd with its motivation)."""

    class Meta:
        model = Review

    indication = factory.SubFactory(IndicationFactory)
    indication__status = IndicationStatus.TER_BEOORDELING
    submitted_by = factory.SelfAttribute("indication.consultant")
    submitted_at = factory.LazyFunction(lambda: _at_noon(TODAY - timedelta(days=2)))
    findings = factory.LazyFunction(lambda: ["Product IB3 vraagt altijd om een tweede beoordelaar."])

    class Params:
        goedgekeurd = factory.Trait(
            indication__status=IndicationStatus.GOEDGEKEURD,
            reviewer=factory.SubFactory(UserFactory),
            decided_at=factory.LazyAttribute(lambda o: o.submitted_at + timedelta(days=1)),
            outcome=Review.Outcome.APPROVED,
        )
        afgekeurd = factory.Trait(
            indication__status=IndicationStatus.CONCEPT,
            reviewer=factory.SubFactory(UserFactory),
            decided_at=factory.LazyAttribute(lambda o: o.submitted_at + timedelta(days=1)),
            outcome=Review.Outcome.REJECTED,
            motivation="De resultaten sluiten niet aan op de ZRM-scores.",
        )


class IndicationResultFactory(factory.django.DjangoModelFactory):
    """A result (by default financiën) with its first sub-result and a concrete goal."""

    class Meta:
        model = IndicationResult
        skip_postgeneration_save = True

    indication = factory.SubFactory(IndicationFactory, results=[])
    result = factory.LazyFunction(lambda: result_in("financien"))
    goal = "Betaalt vaste lasten binnen drie maanden zelf op tijd."

    @factory.post_generation
    def sub_results(self, create, extracted, **kwargs):
        self.sub_results.set(extracted if extracted is not None else self.result.sub_results.order_by("order")[:1])


class PlannedEvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlannedEvaluation

    indication = factory.SubFactory(IndicationFactory, evaluations=[])
    planned_on = factory.LazyAttribute(lambda o: o.indication.start_date + timedelta(days=91))


class EvaluationFactory(factory.django.DjangoModelFactory):
    """An evaluation of an active beschikking yesterday: voortzetten, next one in 13 weeks."""

    class Meta:
        model = Evaluation

    indication = factory.SubFactory(IndicationFactory, actief=True)
    held_on = TODAY - timedelta(days=1)
    consultant = factory.SelfAttribute("indication.consultant")
    outcome = Evaluation.Outcome.CONTINUE
    next_evaluation_on = factory.LazyAttribute(lambda o: o.held_on + timedelta(days=91))
    notes = "Goede voortgang op de administratie."


# --------------------------------------------------------------------------------------------
# A whole case file, and a vastgestelde beschikking with its toewijzing
# --------------------------------------------------------------------------------------------


@dataclass
class CaseFile:
    client: Client
    melding: Melding
    intake: Intake
    zrm: ZrmAssessment
    aanvraag: Aanvraag
    indication: Indication


def build_case_file(
    *,
    consultant=None,
    scores: dict[str, int | None] | None = None,
    results: list[str] | None = None,
    melding_on: date = TODAY - timedelta(days=30),
    **indication_fields,
) -> CaseFile:
    """A client's file up to a concept indication that passes every IB rule (as the services would
    have built it): melding, onderzoek with a conversation concluded as maatwerk, ZRM (financiën 2,
    sociaal netwerk 3 unless `scores` says otherwise), aanvraag, and a concept on those domains."""
    consultant = consultant or UserFactory()
    client = ClientFactory()
    melding = MeldingFactory(client=client, consultant=consultant, received_on=melding_on, intake=None)
    intake = IntakeFactory(melding=melding, maatwerk=True)
    ConversationFactory(intake=intake)
    zrm = ZrmAssessmentFactory(
        client=client,
        intake=intake,
        assessed_by=consultant,
        assessed_on=melding_on + timedelta(days=5),
        scores=scores if scores is not None else {"financien": 2, "sociaal-netwerk": 3},
    )
    aanvraag = AanvraagFactory(
        client=client, intake=intake, consultant=consultant, received_on=intake.concluded_on + timedelta(days=1)
    )
    indication = IndicationFactory(
        client=client,
        aanvraag=aanvraag,
        consultant=consultant,
        results=results if results is not None else ["financien", "sociaal-netwerk"],
        **indication_fields,
    )
    return CaseFile(client, melding, intake, zrm, aanvraag, indication)


def issued_assignment(provider, consultant, *, today: date, product="IB1", days_ago=20) -> Assignment:
    """A beschikking vastgesteld through the services on `today`, starting `days_ago` days before it:
    its toewijzing goes to `provider`. API and page tests pass the real date (timezone.localdate()),
    since the API and the pages read the clock; others pass TODAY."""
    client = ZrmAssessmentFactory(scores={"financien": 2}, assessed_on=today - timedelta(days=days_ago + 10)).client
    indication = IndicationFactory(
        client=client,
        consultant=consultant,
        provider=provider,
        product=Product.objects.get(code=product),
        start_date=today - timedelta(days=days_ago),
        end_date=today + timedelta(days=200),
        aanvraag__received_on=today - timedelta(days=days_ago + 5),
    )
    issue_beschikking(indication, by=consultant, today=today, decision_date=today - timedelta(days=days_ago + 2))
    return Assignment.objects.get(indication=indication)


# --------------------------------------------------------------------------------------------
# Toewijzingen and other provisions (for the signal checks)
# --------------------------------------------------------------------------------------------


class AssignmentFactory(factory.django.DjangoModelFactory):
    """An active toewijzing of an active beschikking (IndicationFactory(actief=True)), assigned and
    starting on the beschikking's start date, with no start or stop of care reported yet (toegewezen).
    Traits, as the services leave the row: gestart (care started two days after the start date),
    gestopt (and stopped the day before TODAY, reden 19, beëindigd on that day), beeindigd (ended by
    the municipality the day before TODAY, without a stop report) and ingetrokken (withdrawn: it
    never applied, its end date is its start date)."""

    class Meta:
        model = Assignment

    indication = factory.SubFactory(IndicationFactory, actief=True)
    provider = factory.SubFactory(ProviderFactory)
    product = factory.SelfAttribute("indication.product")
    number = factory.Sequence(lambda n: f"TW-TEST-{n:07d}")
    assigned_on = factory.SelfAttribute("indication.start_date")
    start_date = factory.SelfAttribute("indication.start_date")
    end_date = factory.SelfAttribute("indication.end_date")
    status = Assignment.Status.ACTIVE

    class Params:
        gestart = factory.Trait(care_started_on=factory.LazyAttribute(lambda o: o.start_date + timedelta(days=2)))
        gestopt = factory.Trait(
            care_started_on=factory.LazyAttribute(lambda o: o.start_date + timedelta(days=2)),
            care_stopped_on=TODAY - timedelta(days=1),
            stop_reason=RedenBeeindiging.VOLGENS_PLAN,
            end_date=TODAY - timedelta(days=1),
            status=Assignment.Status.ENDED,
        )
        beeindigd = factory.Trait(end_date=TODAY - timedelta(days=1), status=Assignment.Status.ENDED)
        ingetrokken = factory.Trait(
            end_date=factory.SelfAttribute("start_date"), status=Assignment.Status.WITHDRAWN, change_reason="13"
        )


class ChangeRequestFactory(factory.django.DjangoModelFactory):
    """An open verzoek om wijziging of a started toewijzing: three months longer. Traits: toegekend
    and afgewezen (answered by a consultant the day before TODAY, with the reason; a granted one's
    follow-up beschikking is left to the test, as answer_change_request makes it)."""

    class Meta:
        model = ChangeRequest

    assignment = factory.SubFactory(AssignmentFactory, gestart=True)
    requested_end_date = factory.LazyAttribute(
        lambda o: (o.assignment.end_date or o.assignment.start_date + timedelta(days=364)) + timedelta(days=91)
    )
    motivation = "De doelen op financiën vragen meer tijd."

    class Params:
        toegekend = factory.Trait(
            status=ChangeRequest.Status.GRANTED,
            answer_reason="Akkoord na overleg met de aanbieder.",
            answered_by=factory.SubFactory(UserFactory),
            answered_at=factory.LazyFunction(lambda: _at_noon(TODAY - timedelta(days=1))),
        )
        afgewezen = factory.Trait(
            status=ChangeRequest.Status.REFUSED,
            answer_reason="Eerst de evaluatie afwachten.",
            answered_by=factory.SubFactory(UserFactory),
            answered_at=factory.LazyFunction(lambda: _at_noon(TODAY - timedelta(days=1))),
        )


class SupportPlanFactory(factory.django.DjangoModelFactory):
    """Version 1 of the ondersteuningsplan of a started toewijzing, submitted on the day before TODAY,
    with a text for each result of its beschikking and no PDF (the rows support_plans.submit_support_plan
    writes). Traits: geaccepteerd and wijziging_gevraagd (judged on TODAY by a consultant)."""

    class Meta:
        model = SupportPlan
        skip_postgeneration_save = True

    assignment = factory.SubFactory(AssignmentFactory, gestart=True)
    version = 1
    submitted_at = factory.LazyFunction(lambda: _at_noon(TODAY - timedelta(days=1)))

    class Params:
        geaccepteerd = factory.Trait(
            status=SupportPlan.Status.ACCEPTED, judged_on=TODAY, judged_by=factory.SubFactory(UserFactory)
        )
        wijziging_gevraagd = factory.Trait(
            status=SupportPlan.Status.CHANGES_REQUESTED,
            judged_on=TODAY,
            judged_by=factory.SubFactory(UserFactory),
            remark="Werk de stappen op financiën concreet uit.",
        )

    @factory.post_generation
    def parts(self, create, extracted, **kwargs):
        if extracted is not None or not create:
            return
        SupportPlanPart.objects.bulk_create(
            SupportPlanPart(
                plan=self,
                indication_result=result,
                approach=f"Wekelijks huisbezoek voor {result.result.name}.",
                steps="Overzicht maken, afspraken met schuldeisers.",
            )
            for result in self.assignment.indication.results.all()
        )


class CareEventFactory(factory.django.DjangoModelFactory):
    """An accepted start zorg of a started toewijzing, with the date it reported. Traits: stop (the
    accepted stop zorg of a stopped toewijzing, with its reason), wijzigingsverzoek (an accepted
    verzoek om wijziging, 201) and afgewezen (refused by a rule: 400, not accepted)."""

    class Meta:
        model = CareEvent

    assignment = factory.SubFactory(AssignmentFactory, gestart=True)
    provider = factory.SelfAttribute("assignment.provider")
    message_id = factory.Sequence(lambda n: f"bericht-{n:06d}")
    kind = CareEvent.Kind.START
    event_date = factory.LazyAttribute(lambda o: o.assignment.care_started_on or o.assignment.start_date)
    accepted = True
    response_status = 200
    response = factory.LazyAttribute(lambda o: {"toewijzingnummer": o.assignment.number})

    class Params:
        stop = factory.Trait(
            assignment=factory.SubFactory(AssignmentFactory, gestopt=True),
            kind=CareEvent.Kind.STOP,
            event_date=factory.LazyAttribute(lambda o: o.assignment.care_stopped_on),
            reason=factory.LazyAttribute(lambda o: o.assignment.stop_reason),
        )
        wijzigingsverzoek = factory.Trait(kind=CareEvent.Kind.CHANGE_REQUEST, event_date=None, response_status=201)
        afgewezen = factory.Trait(
            accepted=False,
            response_status=400,
            response=factory.LazyFunction(lambda: {"code": "ongeldig", "fouten": []}),
        )


class OtherProvisionFactory(factory.django.DjangoModelFactory):
    """Dagbesteding (Wmo) since two months before TODAY, open-ended."""

    class Meta:
        model = "indications.OtherProvision"

    client = factory.SubFactory(ClientFactory)
    kind = "dagbesteding"
    start_date = TODAY - timedelta(days=60)
    end_date = None
    recorded_by = factory.SubFactory(UserFactory)


class SignalFactory(factory.django.DjangoModelFactory):
    """An open signal "geen start zorg gemeld" about a toegewezen toewijzing, due the day before TODAY,
    for its provider and client. Traits: in_behandeling, opgelost and vervallen (closed on TODAY)."""

    class Meta:
        model = Signal

    class Params:
        subject = factory.SubFactory(AssignmentFactory)
        in_behandeling = factory.Trait(status=SignalStatus.IN_PROGRESS)
        opgelost = factory.Trait(status=SignalStatus.RESOLVED, closed_on=TODAY)
        vervallen = factory.Trait(status=SignalStatus.LAPSED, closed_on=TODAY)

    type = SignalType.NO_START_REPORTED
    assignment = factory.SelfAttribute("subject")
    subject_id = factory.SelfAttribute("assignment.pk")
    client = factory.SelfAttribute("assignment.indication.client")
    indication = factory.SelfAttribute("assignment.indication")
    provider = factory.SelfAttribute("assignment.provider")
    status = SignalStatus.OPEN
    urgency = Urgency.OVERDUE
    due_date = TODAY - timedelta(days=1)
    created_on = TODAY - timedelta(days=1)


# --------------------------------------------------------------------------------------------
# iWmo messages
# --------------------------------------------------------------------------------------------


class OutgoingMessageFactory(factory.django.DjangoModelFactory):
    """A WMO301 in the outbox, still queued (the services write real ones: iwmo.toewijzing). Trait:
    afgeleverd (delivered on TODAY)."""

    class Meta:
        model = OutgoingMessage

    message_type = "WMO301"
    client = factory.SubFactory(ClientFactory)
    municipality = factory.SelfAttribute("client.municipality")
    provider = factory.SubFactory(ProviderFactory)
    sender = factory.SelfAttribute("municipality.code")
    receiver = factory.SelfAttribute("provider.agb_code")
    identification = factory.Sequence(lambda n: f"{900_000_000_000 + n:012d}")
    dagtekening = TODAY
    xml = "<wmo301:Bericht xmlns:wmo301='http://www.istandaarden.nl/iwmo/3_2/wmo301/schema'/>"

    class Params:
        afgeleverd = factory.Trait(
            status=OutgoingMessage.Status.DELIVERED,
            attempts=1,
            delivered_at=factory.LazyFunction(lambda: timezone.make_aware(datetime.combine(TODAY, time(12)))),
        )


class IncomingMessageFactory(factory.django.DjangoModelFactory):
    """A WMO305 received from a folder and accepted (iwmo.inbox.receive writes real ones)."""

    class Meta:
        model = IncomingMessage

    raw = factory.Sequence(lambda n: f"<bericht nummer='{n}'/>".encode())
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.raw).hexdigest())
    channel = IncomingMessage.Channel.FOLDER
    message_type = "WMO305"
    provider = factory.SubFactory(ProviderFactory)
    sender = factory.SelfAttribute("provider.agb_code")
    client = factory.SubFactory(ClientFactory)
    municipality = factory.SelfAttribute("client.municipality")
    receiver = factory.SelfAttribute("municipality.code")
    identification = factory.Sequence(lambda n: f"F{n:011d}")
    dagtekening = TODAY
    status = IncomingMessage.Status.ACCEPTED
